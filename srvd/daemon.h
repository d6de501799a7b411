/*
 * daemon.h — what hromadad does once at start as a system service: hold
 * the database so that no second server (and no `hromadactl restore`)
 * works on it at the same time, and give up root.
 *
 * Order in main.c: open the log, the database and the listening sockets
 * as root (a port below 1024 and files owned by root stay usable through
 * their descriptors), then daemon_drop_root, then start the worker
 * threads — setuid in a threaded process is best avoided.
 */
#ifndef SRV_DAEMON_H
#define SRV_DAEMON_H

#include "proto/error.h"

#define SRV_DEFAULT_USER "hromada"
#define SRV_FALLBACK_USER "nobody"

/*
 * Take an exclusive flock(2) on the database file (an open descriptor
 * returned in *fd, kept for the server's life).  HR_E_BUSY naming the file
 * when another process holds it.  hromadactl restore takes the same lock.
 */
int daemon_lock_db(const char *path, int *fd, struct hr_error *err);

/*
 * When running as root: switch to `user` (NULL: "hromada", or "nobody"
 * with a warning when no "hromada" account exists) and `group` (NULL: the
 * user's primary group): setgroups, setgid, setuid in that order, then
 * prove that root cannot be regained.  `user` "root" keeps root (a
 * warning is logged).  A no-op for other users.  -1 with err saying what
 * to fix.
 */
int daemon_drop_root(const char *user, const char *group, struct hr_error *err);

/*
 * The user and group daemon_drop_root will become, while still root: what
 * files made by root must belong to (the scans' store).  *keep_root set
 * (and the ids 0) when the server stays root.  -1 with err as above.
 */
int daemon_run_ids(const char *user, const char *group, unsigned *uid,
    unsigned *gid, int *keep_root, struct hr_error *err);

#endif
