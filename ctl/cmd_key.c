/*
 * cmd_key.c — hromadactl key show|rotate: the server's long-term key.
 *
 * `show` prints what a clerk compares on first contact (the fingerprint)
 * and what a client pins (the base64 public key, standard alphabet with
 * padding, as in the client's known_hosts file, proto/known_hosts.h).
 */
#include "ctl/ctl.h"
#include "db/keys.h"
#include "proto/handshake.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static int
key_show(struct hr_db *db, const char *hostport, struct hr_error *err)
{
	struct hr_server_keys keys;
	char fp[HR_FINGERPRINT_LEN], b64[KEY_B64_LEN];

	if (db_keys_load(db, db_now(), &keys, err) < 0)
		return -1;
	hr_key_fingerprint(keys.keys[0].pk, fp);
	sodium_bin2base64(b64, sizeof b64, keys.keys[0].pk, HR_PUBKEY_LEN,
	    sodium_base64_VARIANT_ORIGINAL);
	if (hostport != NULL)
		printf("%s %s\n", hostport, b64);
	else
		printf("%s\n%s\n", fp, b64);
	/* Keys still in their grace period, for the record. */
	for (size_t i = 1; hostport == NULL && i < keys.count; i++) {
		hr_key_fingerprint(keys.keys[i].pk, fp);
		printf(_("previous key (in grace period): %s\n"), fp);
	}
	sodium_memzero(&keys, sizeof keys);
	return 0;
}

static int
key_rotate(struct hr_db *db, int64_t grace, struct hr_error *err)
{
	char fp[HR_FINGERPRINT_LEN], detail[128];
	struct hr_keypair kp;
	int rc;

	if (db_begin(db, err) < 0)
		return -1;
	rc = db_keys_create(db, db_now(), grace, &kp, err);
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
	printf("%s\n", fp);
	fprintf(stderr, _("The previous key is accepted for another %lld "
	    "seconds; restart hromadad to use the new one.\n"),
	    (long long)grace);
	return 0;
}

/* Seconds, or a number with s, m, h or d: "1209600", "14d", "36h". */
static int
key_parse_grace(const char *s, int64_t *grace, struct hr_error *err)
{
	static const struct { char unit; long long mult; } units[] = {
		{ 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 },
	};
	long long mult = 1, v;
	char *end;

	v = strtoll(s, &end, 10);
	for (size_t i = 0; *end != '\0' && end[1] == '\0' &&
	    i < sizeof units / sizeof units[0]; i++)
		if (*end == units[i].unit) {
			mult = units[i].mult;
			end++;
		}
	if (*s == '\0' || *end != '\0' || v < 0 || v > 365LL * 86400 / mult)
		return hr_errorf(err, HR_E_USAGE, "ctl.grace", "--grace wants "
		    "a duration up to 365 days (seconds, or 36h, 14d), not "
		    "\"{value}\"", HR_STR("value", s));
	*grace = v * mult;
	return 0;
}

static int
cmd_key_exec(struct ctl_ctx *ctx, int argc, char **argv, struct hr_error *err)
{
	const char *hostport = NULL, *grace_s = NULL;
	int64_t grace = KEY_GRACE_DEFAULT;
	struct hr_db *db;
	int rotate, rc;

	if (argc < 2 || (strcmp(argv[1], "show") != 0 &&
	    strcmp(argv[1], "rotate") != 0))
		return hr_errorf(err, HR_E_USAGE, "ctl.subcommand", "key wants "
		    "show or rotate");
	rotate = strcmp(argv[1], "rotate") == 0;
	for (int i = 2; i < argc; i++) {
		int r = ctl_opt_value(argc, argv, &i, rotate ? "--grace" :
		    "--known-hosts", rotate ? &grace_s : &hostport, err);

		if (r < 0)
			return -1;
		if (r == 0)
			return hr_errorf(err, HR_E_USAGE, "ctl.argument",
			    "{command}: unexpected argument \"{value}\"",
			    HR_STR("command", argv[0]), HR_STR("value",
			    argv[i]));
	}
	if ((hostport != NULL && key_check_hostport(hostport, err) < 0) ||
	    (grace_s != NULL && key_parse_grace(grace_s, &grace, err) < 0))
		return -1;
	if (ctl_open(ctx, &db, err) < 0)
		return -1;
	rc = rotate ? key_rotate(db, grace, err) : key_show(db, hostport, err);
	db_close(db);
	return rc;
}

const struct ctl_cmd ctl_cmd_key = {
	"key", cmd_key_exec,
	"show [--known-hosts HOST:PORT] | rotate [--grace DURATION]",
	N_("Show or rotate the server's key"),
	N_("show               print the current key's fingerprint (line 1) and\n"
	"                   its public key in base64 (line 2)\n"
	"  --known-hosts HOST:PORT\n"
	"                   print instead the line a client puts in its\n"
	"                   known_hosts file: \"HOST:PORT BASE64-KEY\"\n"
	"rotate             make a new current key and print its fingerprint;\n"
	"  --grace DURATION how long the old key still works, so terminals\n"
	"                   can re-pin: seconds or 36h, 14d (default 14d)\n"),
};
