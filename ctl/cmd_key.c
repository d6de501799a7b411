/*
 * cmd_key.c — hromadactl key show|rotate|revoke: the server's long-term
 * key (db/keypairs.h; the secrets in the key file, db/keyfile.h).
 *
 * `show` prints what a clerk compares on first contact (the fingerprint)
 * and what a client pins (the base64 public key, standard alphabet with
 * padding, as in the client's known_hosts file, proto/known_hosts.h).
 */
#include "ctl/ctl.h"
#include "db/keypairs.h"
#include "proto/handshake.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define KEY_B64_LEN sodium_base64_ENCODED_LEN(HR_PUBKEY_LEN, \
	sodium_base64_VARIANT_ORIGINAL)
#define KEY_GRACE_DEFAULT (14 * 86400)   /* time for terminals to re-pin */

/* HOST:PORT with a port 1..65535 and a non-empty host without blanks. */
static int
key_check_hostport(const char *s, struct hr_error *err)
{
	const char *colon = strrchr(s, ':');
	char *end;
	long port;

	if (colon == NULL || colon == s || strpbrk(s, " \t\n") != NULL)
		return hr_errorf(err, HR_E_USAGE, "ctl.host_port",
		    "--known-hosts wants HOST:PORT, not \"{value}\"",
		    HR_STR("value", s));
	port = strtol(colon + 1, &end, 10);
	if (colon[1] == '\0' || *end != '\0' || port < 1 || port > 65535)
		return hr_errorf(err, HR_E_USAGE, "ctl.port", "--known-hosts: "
		    "bad port in \"{value}\"", HR_STR("value", s));
	return 0;
}

struct key_list {
	int64_t now;
	int     found;
	struct db_key_info current;
	struct db_key_info grace[8];
	size_t  ngrace;
};

static int
key_collect(void *ud, const struct db_key_info *k)
{
	struct key_list *l = ud;

	if (k->revoked_at != 0)
		return 0;
	if (k->retired_at == 0 && !l->found) {
		l->current = *k;
		l->found = 1;
	} else if (k->retired_at != 0 && k->grace_until > l->now &&
	    l->ngrace < sizeof l->grace / sizeof l->grace[0])
		l->grace[l->ngrace++] = *k;
	return 0;
}

/* The keys on record (public halves only: no secret is needed). */
static int
key_show(struct hr_db *db, const char *hostport, struct hr_error *err)
{
	struct key_list l = { .now = db_now() };
	char fp[HR_FINGERPRINT_LEN], b64[KEY_B64_LEN], when[32];
	struct tm tm;
	time_t at;

	if (db_keys_each(db, key_collect, &l, err) < 0)
		return -1;
	if (!l.found)
		return hr_errorf(err, HR_E_NOT_FOUND, "keys.none", "{file} has no "
		    "server key (run hromadactl init)", HR_STR("file",
		    db->path));
	hr_key_fingerprint(l.current.pk, fp);
	sodium_bin2base64(b64, sizeof b64, l.current.pk, HR_PUBKEY_LEN,
	    sodium_base64_VARIANT_ORIGINAL);
	if (hostport != NULL)
		printf("%s %s\n", hostport, b64);
	else
		printf("%s\n%s\n", fp, b64);
	/* Keys still in their grace period, for the record. */
	for (size_t i = 0; hostport == NULL && i < l.ngrace; i++) {
		hr_key_fingerprint(l.grace[i].pk, fp);
		at = (time_t)l.grace[i].grace_until;
		strftime(when, sizeof when, "%Y-%m-%d %H:%M",
		    localtime_r(&at, &tm));
		printf(_("previous key (in grace period until %s): %s\n"), when,
		    fp);
	}
	return 0;
}

/* Tell the running server; it reloads its keys every minute anyway. */
static void
key_tell_server(void)
{
	fprintf(stderr, "%s\n", _("hromadad takes the change within a minute, "
	    "or at once on SIGHUP (systemctl reload hromadad)."));
}

static int
key_rotate(struct hr_db *db, const char *key_path, int64_t grace,
    struct hr_error *err)
{
	char fp[HR_FINGERPRINT_LEN], detail[128];
	struct hr_keypair kp;
	int rc;

	if (db_begin(db, err) < 0)
		return -1;
	rc = db_keys_create(db, key_path, db_now(), grace, &kp, err);
	if (rc == 0) {
		hr_key_fingerprint(kp.pk, fp);
		snprintf(detail, sizeof detail, "new key %s, old key valid for "
		    "%lld s", fp, (long long)grace);
		rc = ctl_audit(db, "key.rotate", "server_key", detail, err);
	}
	rc = rc == 0 ? db_commit(db, err) : rc;
	if (rc < 0) {
		db_rollback(db);
		return -1;
	}
	sodium_memzero(&kp, sizeof kp);
	/* With no grace, the old secret goes now (else when its grace ends). */
	if (db_keys_prune(db, key_path, db_now(), NULL, err) < 0)
		return -1;
	printf("%s\n", fp);
	fprintf(stderr, _("The previous key is accepted for another %lld "
	    "seconds; clients that connect with it are told the new one.\n"),
	    (long long)grace);
	key_tell_server();
	return 0;
}

/* The key whose fingerprint (SHA256:..., as key show prints it) is fp. */
struct key_find {
	const char *fp;
	uint8_t     pk[HR_PUBKEY_LEN];
	int         found;
};

static int
key_match(void *ud, const struct db_key_info *k)
{
	struct key_find *f = ud;
	char fp[HR_FINGERPRINT_LEN];

	hr_key_fingerprint(k->pk, fp);
	if (strcmp(fp, f->fp) != 0)
		return 0;
	memcpy(f->pk, k->pk, HR_PUBKEY_LEN);
	f->found = 1;
	return 1;
}

static int
key_revoke(struct hr_db *db, const char *key_path, const char *fp,
    struct hr_error *err)
{
	struct key_find f = { fp, { 0 }, 0 };
	char detail[128];
	int rc;

	if (db_keys_each(db, key_match, &f, err) < 0)
		return -1;
	if (!f.found)
		return hr_errorf(err, HR_E_NOT_FOUND, "keys.unknown", "no server "
		    "key {fingerprint}", HR_STR("fingerprint", fp));
	if (db_begin(db, err) < 0)
		return -1;
	snprintf(detail, sizeof detail, "key %s revoked", fp);
	rc = db_keys_revoke(db, key_path, f.pk, db_now(), err);
	if (rc == 0)
		rc = ctl_audit(db, "key.revoke", "server_key", detail, err);
	rc = rc == 0 ? db_commit(db, err) : rc;
	if (rc < 0) {
		db_rollback(db);
		return -1;
	}
	printf(_("Revoked %s: its secret is wiped from %s; hromadad stops "
	    "accepting it and closes the connections made with it.\n"), fp,
	    key_path);
	key_tell_server();
	return 0;
}

static int
cmd_key_exec(struct ctl_ctx *ctx, int argc, char **argv, struct hr_error *err)
{
	const char *hostport = NULL, *grace_s = NULL, *fp = NULL;
	int64_t grace = KEY_GRACE_DEFAULT;
	struct hr_db *db;
	int rotate, revoke, rc;

	if (argc < 2 || (strcmp(argv[1], "show") != 0 &&
	    strcmp(argv[1], "rotate") != 0 && strcmp(argv[1], "revoke") != 0))
		return hr_errorf(err, HR_E_USAGE, "ctl.subcommand", "key wants "
		    "show, rotate or revoke");
	rotate = strcmp(argv[1], "rotate") == 0;
	revoke = strcmp(argv[1], "revoke") == 0;
	for (int i = 2; i < argc; i++) {
		int r = 0;

		if (revoke && fp == NULL && argv[i][0] != '-') {
			fp = argv[i];
			continue;
		}
		if (!revoke)
			r = ctl_opt_value(argc, argv, &i, rotate ? "--grace" :
			    "--known-hosts", rotate ? &grace_s : &hostport, err);
		if (r < 0)
			return -1;
		if (r == 0)
			return ctl_unexpected(argv[0], argv[i], err);
	}
	if (revoke && fp == NULL)
		return hr_errorf(err, HR_E_USAGE, "ctl.arguments", "key revoke "
		    "needs the key's fingerprint (SHA256:..., as key show "
		    "prints it)");
	if ((hostport != NULL && key_check_hostport(hostport, err) < 0) ||
	    (grace_s != NULL && ctl_opt_duration("--grace", grace_s,
	    365LL * 86400, &grace, err) < 0))
		return -1;
	if (ctl_open(ctx, &db, err) < 0)
		return -1;
	rc = rotate ? key_rotate(db, ctx->key_path, grace, err) :
	    revoke ? key_revoke(db, ctx->key_path, fp, err) :
	    key_show(db, hostport, err);
	db_close(db);
	return rc;
}

const struct ctl_cmd ctl_cmd_key = {
	"key", cmd_key_exec,
	"show [--known-hosts HOST:PORT] | rotate [--grace DURATION] | "
	"revoke FINGERPRINT",
	N_("Show, rotate or revoke the server's key"),
	N_("show               print the current key's fingerprint (line 1) and\n"
	"                   its public key in base64 (line 2)\n"
	"  --known-hosts HOST:PORT\n"
	"                   print instead the line a client puts in its\n"
	"                   known_hosts file: \"HOST:PORT BASE64-KEY\"\n"
	"rotate             make a new current key and print its fingerprint;\n"
	"  --grace DURATION how long the old key still works, so that clients\n"
	"                   connecting with it learn the new one: seconds or\n"
	"                   36h, 14d (default 14d); 0 ends it now\n"
	"revoke FINGERPRINT stop accepting a previous key at once (it leaked,\n"
	"                   say) and wipe its secret; the current key cannot\n"
	"                   be revoked: rotate first\n"
	"The secrets are in the key file (--key-file, default DB.key), never in\n"
	"the database; hromadad rereads the keys every minute and on SIGHUP.\n"),
};
