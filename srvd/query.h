/*
 * query.h — read requests on threads of their own.
 *
 * A read is a SQLite query, and a big scope makes some slow (a name search
 * over a hromada's 50,000 applications, an oblast's report).  On the loop,
 * every other clerk's request, ping and handshake waited behind each one,
 * and the loop was the one core doing every query of the server
 * (tests/load: the loop at 100 % of a core while the other stood idle).
 * So the reads of logged-in users -- the method table's rows with
 * `needs_login` and not `writes` -- go to a pool (pool.h) of query
 * threads, each with a read-only connection of its own:
 *
 *   loop:   copy the request and the session into a job, stop reading the
 *           connection (its requests keep their order), submit
 *   thread: decode; session still good?  role, params, handler -- on its
 *           reader, in one read transaction -- giving the reply and the
 *           handler's audit records (srv_audit, request_audit.h)
 *   loop:   the session ended?  log it out.  Send the reply now and hand
 *           the audit records to readaudit.h, which appends them on the
 *           writer in the order of the replies and has them on disk within
 *           audit_read_window; only while the disk is further behind than
 *           that, append them (deferred while the writer is busy) and hold
 *           the reply until they are on disk.  Read on.
 *
 * A query thread sees committed data only (a WAL snapshot), as the loop's
 * reader always did, and touches nothing but its job and its connection.
 * With query_threads = 0 the same steps run on the loop, on srv->reader.
 */
#ifndef SRV_QUERY_H
#define SRV_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include "proto/error.h"

struct srv;
struct conn;
struct srv_method;

/*
 * Open `threads` read-only connections to the database and start the
 * threads (none: run reads on the loop).  On failure call query_stop.
 */
int    query_start(struct srv *srv, int threads, size_t queue_max,
    struct hr_error *err);

/* Drop waiting reads, finish running ones, close the connections. */
void   query_stop(struct srv *srv);

/*
 * Run a read request of logged-in connection c (`msg` is its decrypted
 * bytes, copied).  0 when taken: the reply comes later, or has gone
 * already; -1 with HR_E_BUSY in err when too many reads wait.
 */
int    query_submit(struct srv *srv, struct conn *c, const struct srv_method *me,
    uint32_t msgid, const uint8_t *msg, size_t len, struct hr_error *err);

/*
 * The reply `data` (`len` bytes) of a save by connection c, on disk now,
 * lacks its echo (app_echo.h): pack it on a query thread from what is
 * committed, then send the reply and let c read on (it waits since the
 * save: conn_wait).  Without query threads, or when they cannot take it,
 * the same on the loop's reader, now.  The echo is not the save's to
 * lose: when it cannot be read its pairs are nil.
 */
void   query_echo(struct srv *srv, struct conn *c, uint32_t msgid,
    const uint8_t *data, size_t len, int64_t id);

/* Do reads run on threads (not on the loop)? */
int    query_threaded(const struct srv *srv);

/* Reads from submit until their reply is sent or held. */
size_t query_pending(const struct srv *srv);

#endif
