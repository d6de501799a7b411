/*
 * known_hosts.h — the client's pinned server keys, like ssh's known_hosts.
 *
 * File: $XDG_CONFIG_HOME/hromada/known_hosts (default ~/.config/hromada/
 * known_hosts), mode 0600 in a 0700 directory.  One line per server:
 *
 *     HOST:PORT BASE64-PUBLIC-KEY
 *
 * Blank lines and lines starting with '#' are kept as they are.  The host
 * string is compared exactly as the user typed it (like ssh, "localhost:7350"
 * and "127.0.0.1:7350" are different entries).  Every change rewrites the
 * whole file through a temporary file and rename(2), so a crash leaves
 * either the old or the new file, never half of one.
 */
#ifndef HR_KNOWN_HOSTS_H
#define HR_KNOWN_HOSTS_H

#include <stdint.h>

#include "proto/error.h"
#include "proto/handshake.h"

/*
 * Default path (newly allocated; caller frees), or NULL with err set when
 * neither XDG_CONFIG_HOME nor HOME is set.
 */
char *hr_known_hosts_path(struct hr_error *err);

/*
 * Find the key pinned for `host` ("HOST:PORT").  Returns 1 and fills `pk`
 * when found, 0 when the host (or the whole file) is absent, -1 with err set
 * on a read error or a malformed entry for that host.
 */
int hr_known_hosts_lookup(const char *path, const char *host,
    uint8_t pk[HR_PUBKEY_LEN], struct hr_error *err);

/*
 * Pin `pk` for `host`, creating the directory (0700) and file (0600) when
 * needed.  Fails with HR_E_KEY_CHANGED when the host is pinned to a
 * different key already (use replace for that); adding the same key again
 * is a no-op.  0 or -1 with err set.
 */
int hr_known_hosts_add(const char *path, const char *host,
    const uint8_t pk[HR_PUBKEY_LEN], struct hr_error *err);

/* Pin `pk` for `host`, replacing whatever key was pinned.  0 or -1. */
int hr_known_hosts_replace(const char *path, const char *host,
    const uint8_t pk[HR_PUBKEY_LEN], struct hr_error *err);

/*
 * Forget the key pinned for `host` (as `ssh-keygen -R`): the next
 * connection is a first contact again, whose fingerprint a person
 * compares.  1 when an entry went, 0 when there was none, -1 with err.
 */
int hr_known_hosts_remove(const char *path, const char *host,
    struct hr_error *err);

/*
 * mkdir -p of the directory part of `path`, each new level 0700 (for
 * known_hosts and the client's other files).  0 or -1 with err set.
 */
int hr_mkdir_parents(const char *path, struct hr_error *err);

#endif
