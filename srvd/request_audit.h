/*
 * request_audit.h — audit records in the name of a session's user.
 *
 * Every handler that audits (every read of persons' data does) calls
 * srv_audit; a read on a query thread may not touch the writer, so its
 * records are kept for the loop, which appends them (session_audit_append,
 * through readaudit.h: durable within audit_read_window of the reply).
 * The log itself is db/audit.h.
 *
 * Circle kept on purpose: session.c audits through this header, and
 * request_audit.c reads the session's user (session.h); request_audit.c's
 * include line says so (circle:).
 */
#ifndef SRV_REQUEST_AUDIT_H
#define SRV_REQUEST_AUDIT_H

#include <stdint.h>

#include "proto/error.h"

struct conn;
struct hr_db;
struct srv;
struct srv_req;

/* Append an audit record in the name of the connection's user (on the
 * writer `db`: a request's rq->db when its method writes). */
int  session_audit(struct hr_db *db, const struct conn *c, const char *action,
    const char *object, const char *detail, struct hr_error *err);

/*
 * An audit record a read on a query thread leaves for the loop to append
 * (query.h): the thread may not touch the writer.
 */
struct srv_audit_rec {
	char                 *action, *object, *detail;
	struct srv_audit_rec *next;
	int64_t               at;        /* when the read ran; 0: now */
};

/*
 * Append an audit record in the name of the request's user: at once on
 * rq->db (a writer, inside the request's savepoint), or -- for a read on a
 * query thread, rq->later set -- kept in that list, which the loop appends
 * (readaudit.h).  -1 with err (out of memory, or the write failed).
 */
int  srv_audit(struct srv_req *rq, const char *action, const char *object,
    const char *detail, struct hr_error *err);
void srv_audit_free(struct srv_audit_rec *list);

/*
 * Add a copy of one record at the end of `later` (the loop appends it later).
 * -1 with err when out of memory (then `later` is as it was).
 */
int  srv_audit_later(struct srv_audit_rec **later, const char *action,
    const char *object, const char *detail, struct hr_error *err);

/*
 * Append `list` in the name of user (`user_id`, `user`, from `where`) on
 * the writer, in a savepoint of the group commit of its own: for the work
 * the loop does outside a request (a read's records, a session's end).
 * 0; COMMIT_DEFER when the writer is busy (nothing written: queue the work
 * with commit_defer); -1 with err (then nothing of it is kept).
 */
int  session_audit_append(struct srv *srv, int64_t user_id, const char *user,
    const char *where, const struct srv_audit_rec *list,
    struct hr_error *err);

#endif
