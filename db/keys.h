/*
 * keys.h — the server's long-term X25519 keys, kept in the database.
 *
 * Exactly one key is current; a rotated-out key stays usable until its
 * grace period ends so terminals can re-pin (hromadactl key rotate).
 */
#ifndef HR_DB_KEYS_H
#define HR_DB_KEYS_H

#include "db/db.h"
#include "proto/handshake.h"

/* Load current + in-grace keys at `now`; HR_E_NOT_FOUND if none (run init). */
int db_keys_load(struct hr_db *db, int64_t now, struct hr_server_keys *out,
    struct hr_error *err);
/* Generate and store a new current key (used by init and rotate). */
int db_keys_create(struct hr_db *db, int64_t now, int64_t grace_seconds,
    struct hr_keypair *out, struct hr_error *err);

#endif
