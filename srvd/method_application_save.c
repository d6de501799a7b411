/*
 * method_application_save.c — `application.save`: create an application
 * (front offices) or update one (whoever may edit it in its status), with
 * its applicant and family, income and payment details (scans are
 * attached apart: method_upload_*.c) — the whole form in one request, one
 * transaction (the request's savepoint in the group commit).
 *
 *   update: visible (else HR_E_NOT_FOUND) -> version (else HR_E_CONFLICT
 *           naming who changed it) -> editable in its status for the role
 *           (else HR_E_STATE)
 *   create: a front-office role; the office is the user's own territory
 *   both:   every field validated (intake_parse.c, the persons against
 *           what is stored: intake_persons.c) -> the base corrected or
 *           the new persons added (never twice: HR_E_DUPLICATE names the
 *           one in the base) -> no second open application of the
 *           applicant for the service -> the rows, the application's own
 *           copy of its persons -> history with what changed
 *           (application_changes.c) -> audit
 *
 * Changes of identifiers and of bank details get audit records of their
 * own ("person.identifiers", "application.payment"), values masked.
 */
#include "srvd/method_table.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "db/attachments.h"
#include "db/regno.h"
#include "db/territory.h"
#include "proto/app_fields.h"
#include "proto/mpread.h"
#include "proto/roles.h"
#include "proto/rpc.h"
#include "proto/workflow.h"
#include "srvd/application_changes.h"
#include "srvd/app_echo.h"
#include "srvd/intake.h"
#include "srvd/request_audit.h"
#include "srvd/session.h"

/* The params as proto/app_fields.h has them (the documents are attached
 * apart). */
const struct hr_schema method_application_save_params =
    HR_APP_SCHEMA(hr_save_fields, HR_SAVE_PARAMS);

/* ---- the application's rows ------------------------------------------- */

static void
save_fields(const struct intake_save *s, struct db_app_fields *f)
{
	f->service_code = s->service;
	f->applicant_id = s->applicant.id;
	f->pay_method = s->pay_method;
	f->iban = s->pay_method && strcmp(s->pay_method, "bank") == 0 ?
	    s->iban : NULL;
	f->post_office = s->post_office;
	f->phone = s->phone[0] ? s->phone : NULL;
	f->notes = s->notes;
}

/* The form's parts: the persons' copy, family links in the base, income. */
static int
save_parts(struct srv_req *rq, int64_t id, const struct intake_save *s,
    struct hr_error *err)
{
	struct db_income r[200];
	struct hr_db *db = rq->db;

	for (size_t i = 0; i < s->nfamily; i++)
		if (db_family_link(db, s->applicant.id, s->family[i].person.id,
		    s->family[i].relation, err) < 0)
			return -1;
	for (size_t i = 0; i < s->nincome && i < 200; i++)
		r[i] = s->income[i].r;
	if (intake_persons_copy(rq, s, id, err) < 0 ||
	    db_app_income_set(db, id, r, s->nincome, err) < 0)
		return -1;
	return 0;
}

/* What this save changed, under its history row. */
static int
save_changes(struct srv_req *rq, int64_t id, const struct db_app *old,
    const struct intake_save *s, struct hr_error *err)
{
	struct app_changes c;
	int rc;

	app_changes_init(&c);
	rc = old != NULL ? app_changes_update(rq->db, old, s, &c, err) :
	    app_changes_create(s, &c, err);
	if (rc == 0)
		rc = db_app_note_changes(rq->db, id, c.v, c.n, err);
	app_changes_free(&c);
	return rc;
}

/* "bank …6001", "post 41400" or "none". */
static void
payment_text(const char *method, const char *iban, const char *post,
    char *out, size_t cap)
{
	char m[32];

	if (method == NULL)
		snprintf(out, cap, "none");
	else if (strcmp(method, "bank") == 0) {
		intake_mask(iban, m, sizeof m);
		snprintf(out, cap, "bank %s", m);
	} else
		snprintf(out, cap, "post %s", post ? post : "-");
}

/* Equal strings, NULL equal only to NULL. */
static int
same(const char *a, const char *b)
{
	return a == NULL || b == NULL ? a == b : strcmp(a, b) == 0;
}

static int
payment_audit(struct srv_req *rq, int64_t id, const struct db_app *old,
    const struct db_app_fields *f, struct hr_error *err)
{
	char a[256], b[256], detail[520], object[32];

	if (old != NULL && same(old->pay_method, f->pay_method) &&
	    same(old->iban, f->iban) && same(old->post_office, f->post_office))
		return 0;
	payment_text(old ? old->pay_method : NULL, old ? old->iban : NULL,
	    old ? old->post_office : NULL, a, sizeof a);
	payment_text(f->pay_method, f->iban, f->post_office, b, sizeof b);
	snprintf(detail, sizeof detail, "%s -> %s", a, b);
	snprintf(object, sizeof object, "application:%lld", (long long)id);
	return srv_audit(rq, "application.payment", object,
	    detail, err);
}

static int
save_audit(struct srv_req *rq, const char *action, int64_t id,
    const struct intake_save *s, const char *reg_no, struct hr_error *err)
{
	char object[32], detail[160];

	snprintf(object, sizeof object, "application:%lld", (long long)id);
	snprintf(detail, sizeof detail, "%s; service %s; applicant person:%lld; "
	    "%zu family, %zu income rows", reg_no ? reg_no : "-",
	    s->service, (long long)s->applicant.id, s->nfamily, s->nincome);
	return srv_audit(rq, action, object, detail, err);
}

/* Does the user's scope see application `id`?  1, 0, or -1 with err. */
static int
open_twin_seen(struct srv_req *rq, int64_t id, struct hr_error *err)
{
	struct db_app a;
	int           seen;

	if (db_app_get(rq->db, id, &a, err) < 0)
		return -1;
	seen = scope_sees_app(&rq->sess->scope, rq->sess->role, &a);
	db_app_free(&a);
	return seen;
}

static int
no_open_twin(struct srv_req *rq, const struct intake_save *s, int64_t self,
    struct hr_error *err)
{
	char reg_no[DB_REGNO_MAX + 16];
	int64_t found;
	int seen;

	if (db_app_find_open(rq->db, s->applicant.id, s->service, self,
	    &found, reg_no, sizeof reg_no, err) < 0)
		return -1;
	if (found == 0)
		return 0;
	if ((seen = open_twin_seen(rq, found, err)) < 0)
		return -1;
	/* The twin may belong to another office: its number is theirs. */
	if (!seen)
		return hr_errorf(err, HR_E_DUPLICATE, "application.open_elsewhere",
		    "an open application for this service exists in another "
		    "office");
	return hr_errorf(err, HR_E_DUPLICATE, "application.open_twin",
	    "an open application for this service exists: No. {reg_no}",
	    HR_STR("reg_no", reg_no));
}

/*
 * The reply; the package as the attachments and the (new) service make it.
 * Then what the client shows next, so that it waits for nothing more
 * (app_echo.h): the application's journal row and its case -- packed after
 * the COMMIT on a query thread when the dispatcher allows it (rq->echo),
 * else here.
 */
static int
save_reply(struct srv_req *rq, int64_t id, int64_t version, const char *reg_no,
    struct hr_error *err)
{
	int package_full;

	if (db_app_package_full(rq->db, id, &package_full, err) < 0)
		return -1;
	msgpack_pack_map(rq->pk, 6);
	hr_pack_kv_int(rq->pk, "id", id);
	hr_pack_kv_int(rq->pk, "version", version);
	hr_pack_kv_str(rq->pk, "reg_no", reg_no);
	hr_pack_kv_bool(rq->pk, "package_full", package_full);
	if (rq->echo == NULL)
		return app_echo_pack(rq, id, rq->pk, 1, err);
	*rq->echo = id;
	return app_echo_audit(rq, id, reg_no, err);
}

/* ---- create and update ------------------------------------------------ */

/* The new row whole, the form's fields `f` in its INSERT. */
static int
create_numbered(struct srv_req *rq, const struct intake_save *s,
    const struct db_app_fields *f, char reg_no[DB_REGNO_MAX], int64_t *id,
    struct hr_error *err)
{
	const struct conn_session *ss = rq->sess;
	struct db_application_new n = { 0 };
	int64_t hromada, now = db_now();
	time_t t = (time_t)now;
	struct tm tm;

	if (db_territory_ancestor(rq->db, ss->territory_id,
	    HR_TERR_HROMADA, &hromada, err) < 0)
		return -1;
	localtime_r(&t, &tm);
	if (db_regno_next(rq->db, hromada, tm.tm_year + 1900, reg_no,
	    err) < 0)
		return -1;
	n.front_office_id = ss->territory_id;
	n.service_code = s->service;
	n.applicant_id = s->applicant.id;
	n.created_by = ss->user_id;
	n.reg_no = reg_no;
	n.reg_year = tm.tm_year + 1900;
	n.at = now;
	n.fields = f;
	return db_application_add(rq->db, &n, id, err);
}

static int
save_create(struct srv_req *rq, struct intake_save *s, struct hr_error *err)
{
	char reg_no[DB_REGNO_MAX];
	struct db_app_fields f;
	int64_t id = 0;

	if (intake_persons_resolve(rq, s, 0, err) < 0 ||
	    intake_persons_store(rq, s, err) < 0 ||
	    no_open_twin(rq, s, 0, err) < 0)
		return -1;
	save_fields(s, &f);
	if (create_numbered(rq, s, &f, reg_no, &id, err) < 0 ||
	    save_parts(rq, id, s, err) < 0 ||
	    save_changes(rq, id, NULL, s, err) < 0 ||
	    save_audit(rq, "application.create", id, s, reg_no, err) < 0 ||
	    (f.pay_method && payment_audit(rq, id, NULL, &f, err) < 0))
		return -1;
	return save_reply(rq, id, 1, reg_no, err);
}

static int
save_update(struct srv_req *rq, struct intake_save *s, const struct db_app *a,
    struct hr_error *err)
{
	struct db_app_fields f;

	if (intake_persons_resolve(rq, s, a->id, err) < 0 ||
	    intake_persons_store(rq, s, err) < 0 ||
	    no_open_twin(rq, s, a->id, err) < 0)
		return -1;
	save_fields(s, &f);
	if (db_app_update(rq->db, a->id, a->version, &f,
	    rq->sess->user_id, err) < 0 ||
	    save_changes(rq, a->id, a, s, err) < 0 ||
	    save_parts(rq, a->id, s, err) < 0 ||
	    save_audit(rq, "application.update", a->id, s, a->reg_no, err) < 0 ||
	    payment_audit(rq, a->id, a, &f, err) < 0)
		return -1;
	return save_reply(rq, a->id, a->version + 1, a->reg_no, err);
}

/* May this user change application `a` now?  (It is visible already.) */
static int
update_allowed(struct srv_req *rq, const struct db_app *a,
    struct hr_error *err)
{
	int role = rq->sess->role;

	if (a->version != hr_val_int(rq->vals[HR_SF_VERSION], 0))
		return intake_conflict(rq, a, err);
	if (!hr_workflow_can_edit(a->status, role))
		return hr_errorf(err, HR_E_STATE, "application.not_editable",
		    "application {reg_no} is {status} and cannot be edited by "
		    "your role now",
		    HR_STR("reg_no", a->reg_no ? a->reg_no : "(draft)"),
		    HR_STR("status", hr_status_name(a->status)));
	return 0;
}

static int
save_existing(struct srv_req *rq, struct hr_error *err)
{
	struct intake_save s;
	struct db_app a;
	int rc;

	if (rq->vals[HR_SF_VERSION] == NULL)
		return hr_errorf(err, HR_E_INVALID, "application.version",
		    "is required with id (the version you loaded)"),
		    hr_error_at(err, "version");
	if (intake_app_load(rq, hr_val_int(rq->vals[HR_SF_ID], 0), &a, err) < 0)
		return -1;
	memset(&s, 0, sizeof s);
	rc = update_allowed(rq, &a, err);
	if (rc == 0 && (rc = intake_parse(rq, &s, err)) == 0)
		rc = save_update(rq, &s, &a, err);
	intake_save_free(&s);
	db_app_free(&a);
	return rc;
}

int
method_application_save(struct srv_req *rq, struct hr_error *err)
{
	unsigned front = HR_ROLES_FRONT | HR_ROLES_SUPER;
	struct intake_save s;
	int rc;

	if (rq->vals[HR_SF_ID] != NULL)
		return save_existing(rq, err);
	if (!(front & HR_ROLE_BIT(rq->sess->role)))
		return hr_errorf(err, HR_E_FORBIDDEN, "application.front_only",
		    "only a front office (ЦНАП, starosta district) creates "
		    "applications");
	rc = intake_parse(rq, &s, err);
	if (rc == 0)
		rc = save_create(rq, &s, err);
	intake_save_free(&s);
	return rc;
}
