/*
 * method_application_transition.c — `application.transition`: move an
 * application one step along the workflow (proto/workflow.h, the only place
 * the rules live): send to the hromada, check and send to the back office,
 * return with a reason, mark checked.
 *
 * Order of checks: the action exists and is not one of the *.DAT exchange's
 * (export, answer: HR_E_STATE); then transition.h's for the application
 * (visible, the version the user saw, a workflow row, a reason, a full or
 * confirmed partial package).  The change runs in the request's savepoint:
 * status, version + 1, history row with the reason (and the missing
 * documents of a partial package), audit record.  `application.batch`
 * makes the same change for each application of a marked set.
 */
#include "srvd/method_table.h"

#include <stdlib.h>

#include "proto/mpread.h"
#include "proto/roles.h"
#include "proto/rpc.h"
#include "srvd/transition.h"

enum { P_ID, P_VERSION, P_ACTION, P_REASON, P_PARTIAL, P__COUNT };

static const struct hr_field fields[P__COUNT] = {
	[P_ID]      = { "id",      HR_F_INT,  HR_F_REQUIRED, 1, INT64_MAX },
	[P_VERSION] = { "version", HR_F_INT,  HR_F_REQUIRED, 1, INT64_MAX },
	[P_ACTION]  = { "action",  HR_F_STR,  HR_F_REQUIRED, 0, 32 },
	[P_REASON]  = { "reason",  HR_F_STR,  HR_F_NULLABLE, 0, 1000 },
	[P_PARTIAL] = { "partial", HR_F_BOOL, HR_F_NULLABLE, 0, 0 },
};
const struct hr_schema method_application_transition_params = { fields,
    P__COUNT, 0 };

int
method_application_transition(struct srv_req *rq, struct hr_error *err)
{
	struct transition_ask ask;
	struct transition_done done;
	char *reason;
	int act, rc;

	if ((act = transition_action(rq->vals[P_ACTION], err)) < 0)
		return -1;
	reason = hr_val_strdup(rq->vals[P_REASON]);
	if (rq->vals[P_REASON] != NULL && reason == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	ask = (struct transition_ask){ hr_val_int(rq->vals[P_ID], 0),
	    hr_val_int(rq->vals[P_VERSION], 0), act, reason,
	    hr_val_bool(rq->vals[P_PARTIAL], 0), NULL };
	rc = transition_apply(rq, &ask, &done, err);
	if (rc == 0) {
		msgpack_pack_map(rq->pk, 2);
		hr_pack_kv_str(rq->pk, "status", hr_status_name(done.to));
		hr_pack_kv_int(rq->pk, "version", done.version);
	}
	free(reason);
	return rc;
}
