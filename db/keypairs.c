/*
 * keypairs.c — the server's long-term key pairs (see keypairs.h).
 *
 * server_keys keeps, per key, its public half, when it was made, when it
 * was retired and until when it is still accepted (grace_until), and when
 * it was revoked.  Its `secret` column is a relic: empty for every key
 * since migration 016, the secrets being in the key file (keyfile.h).
 */
#include "db/keypairs.h"
#include "db/db_priv.h"
#include "db/keyfile.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* The keys usable at `now`, current first: the handshake's order. */
#define KEYS_USABLE "SELECT public FROM server_keys WHERE revoked_at IS " \
	"NULL AND (retired_at IS NULL OR grace_until > ?1) ORDER BY " \
	"retired_at IS NULL DESC, id DESC"

void
db_keys_default_file(const char *db_path, char *out, size_t cap)
{
	snprintf(out, cap, "%s.key", db_path);
}

/*
 * Secrets a database made before migration 016 still holds: into the key
 * file, then overwritten in the database (secure_delete, so that freed
 * pages keep no copy either).
 */
static int
keys_move_out(struct hr_db *db, const char *keyfile, struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT public, secret FROM "
	    "server_keys WHERE length(secret) = 32", err);
	struct hr_keypair kp;
	int own, rc, moved = 0;

	if (st == NULL)
		return -1;
	while ((rc = db_step_row(db, st, "read the server keys", err)) == 1) {
		memcpy(kp.sk, sqlite3_column_blob(st, 1), HR_PUBKEY_LEN);
		if (crypto_scalarmult_base(kp.pk, kp.sk) != 0 ||
		    sqlite3_column_bytes(st, 0) != HR_PUBKEY_LEN ||
		    memcmp(kp.pk, sqlite3_column_blob(st, 0), HR_PUBKEY_LEN)) {
			(void)sqlite3_reset(st);
			sodium_memzero(&kp, sizeof kp);
			return hr_errorf(err, HR_E_INTERNAL, "keys.mismatch",
			    "a server key in {file} does not match its secret",
			    HR_STR("file", db->path));
		}
		rc = keyfile_update(keyfile, db->path, &kp, NULL, 0, NULL, err);
		sodium_memzero(&kp, sizeof kp);
		if (rc < 0) {
			(void)sqlite3_reset(st);
			return -1;
		}
		moved++;
	}
	if (rc < 0 || moved == 0)
		return rc;
	if (db_tx_enter(db, &own, err) < 0)
		return -1;
	(void)sqlite3_exec(db->sql, "PRAGMA secure_delete = ON", NULL, NULL,
	    NULL);
	rc = db_run(db, "UPDATE server_keys SET secret = X'' WHERE "
	    "length(secret) > 0", "wipe the server keys' secrets from the "
	    "database", err, "");
	rc = db_tx_leave(db, own, rc, err);
	(void)sqlite3_exec(db->sql, "PRAGMA secure_delete = OFF", NULL, NULL,
	    NULL);
	return rc;
}

int
db_keys_load(struct hr_db *db, const char *keyfile, int64_t now,
    struct hr_server_keys *out, struct hr_error *err)
{
	sqlite3_stmt *st;
	struct keyfile kf;
	char fp[HR_FINGERPRINT_LEN];
	int rc, nrows = 0, missing = 0;

	memset(out, 0, sizeof *out);
	if ((db->flags & HR_DB_READONLY) == 0 && keys_move_out(db, keyfile,
	    err) < 0)
		return -1;
	if (keyfile_read(keyfile, &kf, err) < 0)    /* none: kf is empty */
		return -1;
	if ((st = db_prepare(db, KEYS_USABLE, err)) == NULL ||
	    db_bindf(db, st, "server keys", err, "i", now) < 0) {
		sodium_memzero(&kf, sizeof kf);
		return -1;
	}
	while ((rc = db_step_row(db, st, "read the server keys", err)) == 1) {
		const uint8_t *pk = sqlite3_column_blob(st, 0);
		size_t i;

		if (sqlite3_column_bytes(st, 0) != HR_PUBKEY_LEN)
			continue;
		if (nrows++ == 0)
			hr_key_fingerprint(pk, fp);
		for (i = 0; i < kf.n; i++)
			if (memcmp(kf.keys[i].pk, pk, HR_PUBKEY_LEN) == 0)
				break;
		if (i == kf.n) {
			missing |= nrows == 1;  /* the current key's secret */
			continue;
		}
		if (out->count < HR_MAX_SERVER_KEYS)
			out->keys[out->count++] = kf.keys[i];
	}
	sodium_memzero(&kf, sizeof kf);
	if (rc < 0 || missing || nrows == 0)
		sodium_memzero(out, sizeof *out);
	if (rc < 0)
		return -1;
	if (nrows == 0)
		return hr_errorf(err, HR_E_NOT_FOUND, "keys.none", "{file} has no "
		    "server key (run hromadactl init)", HR_STR("file",
		    db->path));
	if (missing)
		return hr_errorf(err, HR_E_IO, "keys.no_secret", "the key file "
		    "{keyfile} has no secret for the current server key "
		    "{fingerprint}: copy the key file from the server that "
		    "made the key, or make a new key (hromadactl key rotate; "
		    "clients must then confirm it)", HR_STR("keyfile",
		    keyfile), HR_STR("fingerprint", fp));
	return 0;
}

int
db_keys_create(struct hr_db *db, const char *keyfile, int64_t now,
    int64_t grace_seconds, struct hr_keypair *out, struct hr_error *err)
{
	int own, rc;

	hr_keypair_generate(out);
	/* The secret first: a key on record without it would stop the
	 * server; a secret without its record is pruned later. */
	if (keyfile_update(keyfile, db->path, out, NULL, 0, NULL, err) < 0 ||
	    db_tx_enter(db, &own, err) < 0) {
		sodium_memzero(out, sizeof *out);
		return -1;
	}
	rc = db_run(db, "UPDATE server_keys SET retired_at = ?1, grace_until "
	    "= ?1 + ?2 WHERE retired_at IS NULL", "retire the current key", err,
	    "ii", now, grace_seconds);
	if (rc == 0)
		rc = db_run(db, "INSERT INTO server_keys (public, secret, "
		    "created_at) VALUES (?, X'', ?)", "store a new server key",
		    err, "bi", out->pk, (size_t)HR_PUBKEY_LEN, now);
	rc = db_tx_leave(db, own, rc, err);
	if (rc < 0)
		sodium_memzero(out, sizeof *out);
	return rc;
}

int
db_keys_prune(struct hr_db *db, const char *keyfile, int64_t now,
    size_t *dropped, struct hr_error *err)
{
	uint8_t keep[KEYFILE_MAX][HR_PUBKEY_LEN];
	sqlite3_stmt *st = db_prepare(db, KEYS_USABLE, err);
	size_t n = 0;
	int rc;

	if (st == NULL || db_bindf(db, st, "server keys", err, "i", now) < 0)
		return -1;
	while ((rc = db_step_row(db, st, "read the server keys", err)) == 1)
		if (n < KEYFILE_MAX && sqlite3_column_bytes(st, 0) ==
		    HR_PUBKEY_LEN)
			memcpy(keep[n++], sqlite3_column_blob(st, 0),
			    HR_PUBKEY_LEN);
	if (rc < 0)
		return -1;
	if (n == 0)          /* never wipe the lot on a database without keys */
		return 0;
	return keyfile_update(keyfile, db->path, NULL,
	    (const uint8_t (*)[HR_PUBKEY_LEN])keep, n, dropped, err);
}

int
db_keys_revoke(struct hr_db *db, const char *keyfile,
    const uint8_t pk[HR_PUBKEY_LEN], int64_t now, struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT retired_at IS NULL, "
	    "revoked_at IS NOT NULL FROM server_keys WHERE public = ?", err);
	char fp[HR_FINGERPRINT_LEN];
	int rc, current, revoked;

	hr_key_fingerprint(pk, fp);
	if (st == NULL || db_bindf(db, st, "server key", err, "b", pk,
	    (size_t)HR_PUBKEY_LEN) < 0)
		return -1;
	if ((rc = db_step_row(db, st, "read a server key", err)) <= 0)
		return rc < 0 ? -1 : hr_errorf(err, HR_E_NOT_FOUND,
		    "keys.unknown", "no server key {fingerprint}",
		    HR_STR("fingerprint", fp));
	current = sqlite3_column_int(st, 0);
	revoked = sqlite3_column_int(st, 1);
	(void)sqlite3_reset(st);
	if (current)
		return hr_errorf(err, HR_E_STATE, "keys.revoke_current",
		    "{fingerprint} is the current key: make a new one first "
		    "(hromadactl key rotate --grace 0), then revoke this one",
		    HR_STR("fingerprint", fp));
	if (revoked)
		return hr_errorf(err, HR_E_STATE, "keys.revoked", "{fingerprint} "
		    "is revoked already", HR_STR("fingerprint", fp));
	if (db_run(db, "UPDATE server_keys SET revoked_at = ?1, grace_until "
	    "= min(coalesce(grace_until, ?1), ?1) WHERE public = ?2",
	    "revoke a server key", err, "ib", now, pk,
	    (size_t)HR_PUBKEY_LEN) < 0)
		return -1;
	return db_keys_prune(db, keyfile, now, NULL, err);
}

int
db_keys_each(struct hr_db *db, db_key_fn *fn, void *ud, struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT public, created_at, "
	    "coalesce(retired_at, 0), coalesce(grace_until, 0), "
	    "coalesce(revoked_at, 0) FROM server_keys ORDER BY id DESC", err);
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = db_step_row(db, st, "read the server keys", err)) == 1) {
		struct db_key_info k;

		if (sqlite3_column_bytes(st, 0) != HR_PUBKEY_LEN)
			continue;
		memcpy(k.pk, sqlite3_column_blob(st, 0), HR_PUBKEY_LEN);
		k.created_at = sqlite3_column_int64(st, 1);
		k.retired_at = sqlite3_column_int64(st, 2);
		k.grace_until = sqlite3_column_int64(st, 3);
		k.revoked_at = sqlite3_column_int64(st, 4);
		if (fn(ud, &k) != 0) {
			(void)sqlite3_reset(st);
			return 0;
		}
	}
	return rc < 0 ? -1 : 0;
}
