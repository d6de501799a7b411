/*
 * readaudit.h — the audit of reads, durable within a window, off the
 * replies' path.
 *
 * Every read that shows persons' data (a journal page, a search, a case)
 * leaves audit records (srv_audit, session.h).  Their replies used to wait
 * for those records' COMMIT, so every read followed the disk's fsync
 * latency: 5-16 ms at 200 clerks, ~300 ms while a backup wrote, 1.4 s while
 * the kernel wrote the backup's pages back -- while `ping` stayed at 2 ms.
 * The guarantee now (hromadad(8) and PROTOCOL.md "Audit of reads"):
 *
 *   - a read's records join the same hash chain, in the order the reads
 *     were answered and before any write that runs after the reply;
 *   - its reply goes out at once, before the records are on disk, while
 *     every read record answered earlier is on disk or was answered less
 *     than audit_read_window ago (hromadad.conf, default 1 s);
 *   - when the disk falls further behind, read replies wait for their own
 *     records' commit, as write replies always do, until it catches up;
 *   - so a crash (kill -9, power loss) loses at most the read records of
 *     the last audit_read_window before the disk fell behind, never a
 *     write: a write's reply still means "on disk".  A COMMIT that fails
 *     does not lose them either: they are appended again.
 *
 * How:
 *
 *   answered --> PENDING (FIFO) --writer free--> appended in a savepoint
 *                                 of the open batch --> UNSAFE (tagged with
 *                                 the batch id) --batch on disk--> freed
 *                                                  --batch failed--> back
 *                                                    to the head of PENDING
 *
 * PENDING is drained first whenever the writer is used (the group commit's
 * commit_first_fn), so no write can overtake a read answered before it,
 * and at the end of every loop iteration in which the writer is free.
 * Except into a batch a write has opened, PENDING goes to the writer only
 * once its oldest read has waited 50 ms (a quarter of the window at most):
 * every COMMIT empties the query threads' page caches, so committing the
 * records of reads once a loop iteration made every read re-read its
 * pages.  They wait in memory, not in an open transaction, so the
 * database's write lock stays free meanwhile.
 */
#ifndef SRV_READAUDIT_H
#define SRV_READAUDIT_H

#include <stdint.h>

#include "proto/error.h"

struct srv;
struct srv_audit_rec;

/* Attach to srv (srv->readaudit) and to its group commit's hooks. */
int  readaudit_start(struct srv *srv, int window_ms, struct hr_error *err);

/*
 * After commit_free: log the figures, warn about records that never
 * reached the database (the server stopped while another program held
 * the lock), free everything.
 */
void readaudit_stop(struct srv *srv);

/*
 * May a read be answered now, before its records are on disk?  A "no" is
 * counted (and logged once while the disk stays behind).
 */
int  readaudit_early(const struct srv *srv);

/*
 * Take the records of a read answered now in the name of user (`user_id`,
 * `user`, from `where`): appended at once when the writer is free, else as
 * soon as it is.  Takes `list` (NULL is nothing to do).  -1 with err when
 * out of memory: then the caller still owns the list and must hold the
 * reply for it (the old way).
 */
int  readaudit_add(struct srv *srv, int64_t user_id, const char *user,
    const char *where, struct srv_audit_rec *list, struct hr_error *err);

/* Nothing waits to be appended (shutdown waits for this). */
int  readaudit_idle(const struct srv *srv);

#endif
