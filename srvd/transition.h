/*
 * transition.h — one application, one step along the workflow: the checks
 * and the change that `application.transition` makes, shared with
 * `application.batch`, which makes them for each application of a marked
 * set.  The rules themselves are proto/workflow.h's table; this module
 * only applies them to one stored application, on the writer, inside the
 * caller's savepoint.
 */
#ifndef SRV_TRANSITION_H
#define SRV_TRANSITION_H

#include <stdint.h>

#include <msgpack.h>

#include "proto/error.h"

struct srv_req;

/*
 * The action named by a request's `action` value (a msgpack string): its
 * enum hr_action, or -1 with err (HR_E_INVALID for an unknown name,
 * HR_E_STATE for export/answer, which only *.DAT files do), the error
 * placed at `action`.
 */
int transition_action(const msgpack_object *v, struct hr_error *err);

/* What one transition asks for. */
struct transition_ask {
	int64_t     id;
	int64_t     version;       /* the version the user saw */
	int         action;        /* enum hr_action */
	const char *reason;        /* for a return; NULL none */
	int         partial;       /* a partial package may go up */
	const char *via;           /* audit detail suffix ("batch"), or NULL */
};

/* What it did. */
struct transition_done {
	int     from, to;          /* statuses */
	int64_t version;           /* the new version */
	char    reg_no[32];        /* "" for a draft */
};

/*
 * Check and apply one transition for the user of rq, in this order: the
 * application visible to them (else HR_E_NOT_FOUND, "application not
 * found", the same bytes as for one that does not exist); the version the
 * one they saw (else HR_E_CONFLICT naming who changed it and when); a row
 * (status, action, role) in the workflow table (else HR_E_STATE); a
 * reason for a return (else HR_E_INVALID at `reason`); a full package, or
 * `partial`, for an action that sends it up (else HR_E_STATE naming the
 * missing documents).  Then the status, version + 1, the history row and
 * the audit record `application.transition`.  0 with *done filled, or -1
 * with err; on -1 the caller rolls its savepoint back (something may have
 * been written).
 */
int transition_apply(struct srv_req *rq, const struct transition_ask *ask,
    struct transition_done *done, struct hr_error *err);

#endif
