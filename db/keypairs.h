/*
 * keypairs.h — the server's long-term X25519 keys: their public halves and
 * history in the database, their secret halves in the key file.
 *
 * Exactly one key is current; a rotated-out key stays usable until its
 * grace period ends, so that clients pinned to it learn the new one
 * (the server announces it inside their channels) and terminals keep
 * working; a revoked key is unusable at once.  The secrets are in a key
 * file of their own (db/keyfile.h), never in the database, so no backup
 * holds them; a database from before that (migration 016) has its secrets
 * moved into the key file -- and wiped from the database -- the first
 * time the keys are loaded.  A secret whose key is past its grace period
 * or revoked is wiped from the key file (db_keys_prune).
 */
#ifndef HR_DB_KEYPAIRS_H
#define HR_DB_KEYPAIRS_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "proto/handshake.h"

/* The key file of a database when none is configured: "DB.key". */
void db_keys_default_file(const char *db_path, char *out, size_t cap);

/*
 * Load the keys usable at `now` -- current first, then those in their
 * grace period, newest first -- with their secrets from `keyfile`.
 * HR_E_NOT_FOUND when the database has no key (run init); HR_E_IO when
 * the key file lacks the current key's secret (the message says what to
 * do).  A key in grace whose secret is missing is left out.  Moves secrets
 * still in the database into the key file first (needs a writable
 * database; a read-only one only reads).
 */
int db_keys_load(struct hr_db *db, const char *keyfile, int64_t now,
    struct hr_server_keys *out, struct hr_error *err);

/*
 * Make a new current key, retiring the current one with `grace_seconds`
 * of grace: its secret goes into the key file first, then the rows are
 * written (in the caller's transaction, which it commits).
 */
int db_keys_create(struct hr_db *db, const char *keyfile, int64_t now,
    int64_t grace_seconds, struct hr_keypair *out, struct hr_error *err);

/*
 * Revoke the key with this public key: unusable from now, its secret
 * wiped from the key file.  HR_E_NOT_FOUND for no such key, HR_E_STATE
 * for the current key (make a new one first) or one revoked already.
 */
int db_keys_revoke(struct hr_db *db, const char *keyfile,
    const uint8_t pk[HR_PUBKEY_LEN], int64_t now, struct hr_error *err);

/*
 * Wipe from the key file every secret whose key is not usable at `now`
 * (past its grace period, revoked, or unknown to the database).
 * *dropped (may be NULL) gets how many.
 */
int db_keys_prune(struct hr_db *db, const char *keyfile, int64_t now,
    size_t *dropped, struct hr_error *err);

/* One key's record, for listing. */
struct db_key_info {
	uint8_t pk[HR_PUBKEY_LEN];
	int64_t created_at;
	int64_t retired_at;       /* 0: current */
	int64_t grace_until;      /* when retired: usable until */
	int64_t revoked_at;       /* 0: not revoked */
};

/* Every key, newest first; fn returns 0 to go on, non-zero to stop. */
typedef int db_key_fn(void *ud, const struct db_key_info *k);
int db_keys_each(struct hr_db *db, db_key_fn *fn, void *ud,
    struct hr_error *err);

#endif
