/*
 * keyfile.h — the server's secret keys, in a file of their own.
 *
 * The database holds the public half of each server key and its history
 * (db/keypairs.h); the secret halves live here, so that no copy of the
 * database -- a backup, a file sent for support -- holds them, and the
 * file can be guarded on its own: mode 0600, owned by the database's owner
 * (the server's user).  Text, one line per key:
 *
 *   # comments
 *   secret BASE64-OF-32-BYTES
 *
 * The public half is derived from the secret (X25519 base point), so the
 * file cannot disagree with itself.  It is never edited in place: a change
 * is written to FILE.new, synced and renamed over FILE, under an exclusive
 * flock(2) of FILE.lock, so that hromadad (dropping retired secrets) and
 * hromadactl (adding a new key) never lose each other's changes.  Reading
 * refuses a file that others may read or write.
 */
#ifndef HR_DB_KEYFILE_H
#define HR_DB_KEYFILE_H

#include <stddef.h>
#include <stdint.h>

#include "proto/error.h"
#include "proto/handshake.h"

#define KEYFILE_MAX 16        /* secrets a file may hold */

struct keyfile {
	struct hr_keypair keys[KEYFILE_MAX];
	size_t            n;
};

/*
 * Read the file.  0 with kf filled; 1 when it does not exist (kf empty);
 * -1 with err naming the file and line of anything wrong.  Wipe kf after
 * use (sodium_memzero).
 */
int  keyfile_read(const char *path, struct keyfile *kf, struct hr_error *err);

/*
 * Change the file under its lock: keep only the secrets whose public key
 * is one of keep[0..nkeep) (keep NULL: keep all), then add `add` (NULL:
 * nothing) unless it is there.  Written only when something changed; a
 * new file gets the owner of `owner_of` (when run as root) and mode 0600.
 * *dropped (may be NULL) gets how many secrets went.
 */
int  keyfile_update(const char *path, const char *owner_of,
    const struct hr_keypair *add, const uint8_t (*keep)[HR_PUBKEY_LEN],
    size_t nkeep, size_t *dropped, struct hr_error *err);

#endif
