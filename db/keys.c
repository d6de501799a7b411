/*
 * keys.c — the server's long-term key pairs.
 *
 * The secret half lives in the database file, which is why db_open creates
 * that file with mode 0600.  Rotation keeps the old key in server_keys with
 * a grace_until time; the handshake offers current + in-grace keys.
 */
#include "db/keys.h"
#include "db/db_priv.h"

#include <sodium.h>
#include <string.h>

int
db_keys_load(struct hr_db *db, int64_t now, struct hr_server_keys *out,
    struct hr_error *err)
{
	/* Current key first (retired_at IS NULL sorts first with DESC on the
	 * flag), then the newest retired ones still in grace. */
	sqlite3_stmt *st = db_prepare(db, "SELECT public, secret FROM "
	    "server_keys WHERE retired_at IS NULL OR grace_until > ? "
	    "ORDER BY retired_at IS NULL DESC, id DESC LIMIT ?", err);
	int rc;

	memset(out, 0, sizeof *out);
	if (st == NULL || db_bindf(db, st, "server keys", err, "id", now,
	    (int)HR_MAX_SERVER_KEYS) < 0)
		return -1;
	while ((rc = db_step_row(db, st, "read the server keys", err)) == 1) {
		struct hr_keypair *kp = &out->keys[out->count];

		if (sqlite3_column_bytes(st, 0) != HR_PUBKEY_LEN ||
		    sqlite3_column_bytes(st, 1) != HR_PUBKEY_LEN) {
			(void)sqlite3_reset(st);
			sodium_memzero(out, sizeof *out);
			return hr_error_set(err, HR_E_INTERNAL, "a server key "
			    "in %s has the wrong length", db->path);
		}
		memcpy(kp->pk, sqlite3_column_blob(st, 0), HR_PUBKEY_LEN);
		memcpy(kp->sk, sqlite3_column_blob(st, 1), HR_PUBKEY_LEN);
		out->count++;
	}
	if (rc < 0)
		return -1;
	if (out->count == 0)
		return hr_errorf(err, HR_E_NOT_FOUND, "keys.none", "{file} has "
		    "no server key (run hromadactl init)", HR_STR("file",
		    db->path));
	return 0;
}

int
db_keys_create(struct hr_db *db, int64_t now, int64_t grace_seconds,
    struct hr_keypair *out, struct hr_error *err)
{
	int own, rc;

	hr_keypair_generate(out);
	if (db_tx_enter(db, &own, err) < 0)
		return -1;
	rc = db_run(db, "UPDATE server_keys SET retired_at = ?1, grace_until "
	    "= ?1 + ?2 WHERE retired_at IS NULL", "retire the current key", err,
	    "ii", now, grace_seconds);
	if (rc == 0)
		rc = db_run(db, "INSERT INTO server_keys (public, secret, "
		    "created_at) VALUES (?, ?, ?)", "store a new server key",
		    err, "bbi", out->pk, (size_t)HR_PUBKEY_LEN, out->sk,
		    (size_t)HR_PUBKEY_LEN, now);
	rc = db_tx_leave(db, own, rc, err);
	if (rc < 0)
		sodium_memzero(out, sizeof *out);
	return rc;
}
