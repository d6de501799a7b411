/*
 * method_application_notify.c — `application.notify`: the front office
 * records that the applicant was told of the decision — when and how (in
 * person, by phone, SMS or letter) — into the application's history
 * (db/notify.h).  The journal's «рішення є, заявника не повідомлено»
 * then no longer lists it.
 *
 * Checks in order: `how` known (HR_E_INVALID); the application visible
 * (HR_E_NOT_FOUND); answered, i.e. there is a decision to tell
 * (HR_E_STATE); the version the clerk saw (HR_E_CONFLICT naming who
 * changed it).  A later record is kept too: the history shows each.
 */
#include "srvd/method_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/notify.h"
#include "proto/mpread.h"
#include "proto/roles.h"
#include "proto/rpc.h"
#include "srvd/intake.h"
#include "srvd/request_audit.h"
#include "srvd/session.h"

enum { P_ID, P_VERSION, P_HOW, P_AT, P_COMMENT };

static const struct hr_field fields[] = {
	[P_ID]      = { "id",      HR_F_INT, HR_F_REQUIRED, 1, INT64_MAX },
	[P_VERSION] = { "version", HR_F_INT, HR_F_REQUIRED, 1, INT64_MAX },
	[P_HOW]     = { "how",     HR_F_STR, HR_F_REQUIRED, 0, 16 },
	[P_AT]      = { "at",      HR_F_INT, HR_F_NULLABLE, 1, INT64_MAX },
	[P_COMMENT] = { "comment", HR_F_STR, HR_F_NULLABLE, 0, 500 },
};
const struct hr_schema method_application_notify_params = { fields, 5, 0 };

static int
notify_how(const msgpack_object *v, struct hr_error *err)
{
	char name[24];
	int how;

	snprintf(name, sizeof name, "%.*s", (int)v->via.str.size, v->via.str.ptr);
	if ((how = db_told_how_from_name(name)) < 0)
		return hr_errorf(err, HR_E_INVALID, "notify.how",
		    "\"{name}\" is not a way of telling the applicant "
		    "(in_person, phone, sms, letter)", HR_STR("name", name)),
		    hr_error_at(err, "how");
	return how;
}

static int
notify_apply(struct srv_req *rq, const struct db_app *a, int how,
    struct hr_error *err)
{
	int64_t version = hr_val_int(rq->vals[P_VERSION], 0);
	int64_t at = hr_val_int(rq->vals[P_AT], 0);
	char *comment = hr_val_strdup(rq->vals[P_COMMENT]);
	char object[32], detail[700];
	int rc;

	if (rq->vals[P_COMMENT] != NULL && comment == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	if (a->status == HR_ST_ANSWERED && a->version != version)
		rc = intake_conflict(rq, a, err);
	else
		rc = db_app_told(rq->db, a->id, version, at ? at : db_now(), how,
		    comment, rq->sess->user_id, err);
	if (rc == 0) {
		snprintf(object, sizeof object, "application:%lld",
		    (long long)a->id);
		snprintf(detail, sizeof detail, "%s at %lld%s%s",
		    db_told_how_name(how), (long long)(at ? at : db_now()),
		    comment ? "; " : "", comment ? comment : "");
		rc = srv_audit(rq, "application.notify", object, detail, err);
	}
	free(comment);
	if (rc == 0) {
		msgpack_pack_map(rq->pk, 1);
		hr_pack_kv_int(rq->pk, "version", version + 1);
	}
	return rc;
}

int
method_application_notify(struct srv_req *rq, struct hr_error *err)
{
	struct db_app a;
	int how, rc;

	if ((how = notify_how(rq->vals[P_HOW], err)) < 0)
		return -1;
	if (intake_app_load(rq, hr_val_int(rq->vals[P_ID], 0), &a, err) < 0)
		return -1;
	rc = notify_apply(rq, &a, how, err);
	db_app_free(&a);
	return rc;
}
