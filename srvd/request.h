/*
 * request.h — running one decoded request: the checks the method table
 * asks for, then its handler.
 */
#ifndef SRV_REQUEST_H
#define SRV_REQUEST_H

#include "proto/error.h"
#include "srvd/method_table.h"

/*
 * The checks and the handler, on rq->db inside its transaction (or its
 * savepoint): the session still good (else *ended says why, for
 * session_end), logged in if the method needs it, the role, the params;
 * then the handler.  Shared by the loop and the query threads (query.h).
 */
struct hr_msg;
int  srv_request_handle(struct srv_req *rq, const struct srv_method *me,
    const struct hr_msg *m, const char *terminal, const char **ended,
    struct hr_error *err);

#endif
