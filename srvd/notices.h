/*
 * notices.h — automatic notices of decisions: hromadad.conf may name a
 * notify_command (an SMS gateway's client, a mailer) that gets each
 * decision's message on standard input when its answer is imported.
 *
 * Never blocking the loop, never unbounded:
 *
 *   dat.import --(same transaction)--> notices row "pending"
 *   loop timer (1 s): pending rows the reader sees -> "sending" (a write
 *     in the group commit); once the reader sees "sending" (it is on disk)
 *     the notice is queued to run
 *   one at a time: /bin/sh -c COMMAND started with posix_spawn (no copy of
 *     the server's memory), in a process group of its own, the message on
 *     its stdin, HROMADA_PHONE, HROMADA_REG_NO, HROMADA_APPLICATION,
 *     HROMADA_DECISION in its environment; the loop feeds and reads its
 *     pipes without blocking and learns its exit from an ev_child watcher
 *     (libev's default loop reaps every child, so nobody else may wait
 *     for it); at notify_timeout its process group is killed
 *   the outcome (exit status, the first line it wrote, or the timeout)
 *     into the notice and the application's history; a sent one counts as
 *     the applicant told by SMS.
 *
 * "sending" is on disk before the command runs, so a server that stops
 * (or dies) meanwhile never sends twice: at the next start such a notice
 * is finished as failed "outcome unknown" and the front office, which
 * sees it untold in its journal, tells the applicant itself.  A failed or
 * slow command delays no request: only the notices after it, by at most
 * notify_timeout each.
 */
#ifndef SRV_NOTICES_H
#define SRV_NOTICES_H

#include <stdint.h>

#include "proto/error.h"

struct srv;
struct srv_req;

/* When notify_command is set: finish what a previous run left "sending",
 * start the worker and the timer (srv->notices).  0 otherwise too. */
int  notices_start(struct srv *srv, struct hr_error *err);
/* Stop the timer, kill a running command, join the worker. */
void notices_stop(struct srv *srv);

/*
 * In dat.import's transaction: queue the notice of application `app_id`'s
 * decision when notify_command is set and the application has a phone
 * (its contact phone, else the applicant's).  0 also when not queued.
 */
int  notices_queue(struct srv_req *rq, int64_t app_id, struct hr_error *err);

#endif
