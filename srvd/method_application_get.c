/*
 * method_application_get.c — `application.get`: one application with
 * everything the form and the case screen show — applicant, family,
 * income, documents and what is missing, payment, history — plus the
 * workflow actions this user may apply now and whether they may edit.
 *
 * An answered application carries the decision imported from the
 * decision system's *.DAT answer (`decision`, srvd/dat.c).
 *
 * Visible only in scope and in a status the role sees (intake_app_load);
 * otherwise HR_E_NOT_FOUND as for an id that does not exist.  Audited
 * ("application.read").
 */
#include "srvd/method_table.h"

#include <stdio.h>

#include "proto/mpread.h"
#include "proto/roles.h"
#include "proto/rpc.h"
#include "proto/workflow.h"
#include "srvd/dat.h"
#include "srvd/intake.h"
#include "srvd/request_audit.h"
#include "srvd/session.h"

enum { P_ID };

static const struct hr_field fields[] = {
	[P_ID] = { "id", HR_F_INT, HR_F_REQUIRED, 1, INT64_MAX },
};
const struct hr_schema method_application_get_params = { fields, 1 };

static int
pack_family(struct srv_req *rq, const struct db_app *a, struct hr_error *err)
{
	struct intake_family f;

	if (intake_family_of_app(rq, a->id, &f, err) < 0)
		return -1;
	hr_pack_str(rq->pk, "family");
	msgpack_pack_array(rq->pk, f.n);
	for (size_t i = 0; i < f.n; i++)
		if (intake_pack_person_id(rq, f.id[i], f.relation[i], err) < 0)
			return -1;
	return 0;
}

static int
income_cb(void *ud, const struct db_income *r)
{
	struct intake_list *l = ud;

	msgpack_pack_map(&l->pk, 5);
	hr_pack_kv_int(&l->pk, "member", r->member);
	hr_pack_kv_str(&l->pk, "type", r->type);
	hr_pack_kv_str(&l->pk, "period_from", r->period_from);
	hr_pack_kv_str(&l->pk, "period_to", r->period_to);
	hr_pack_kv_int(&l->pk, "amount", r->amount);
	l->n++;
	return 0;
}

static int
code_cb(void *ud, const char *code)
{
	struct intake_list *l = ud;

	hr_pack_str(&l->pk, code);
	l->n++;
	return 0;
}

enum part { PART_INCOME, PART_DOCUMENTS, PART_MISSING };

static int
read_part(struct hr_db *db, enum part which, int64_t id,
    struct intake_list *l, struct hr_error *err)
{
	switch (which) {
	case PART_INCOME:
		return db_app_income_each(db, id, income_cb, l, err);
	case PART_DOCUMENTS:
		return db_app_documents_each(db, id, code_cb, l, err);
	case PART_MISSING:
		return db_app_missing_each(db, id, code_cb, l, err);
	}
	return hr_error_set(err, HR_E_INTERNAL, "unknown application part");
}

/* "key": [...] from one of the application_parts readers. */
static int
pack_part(struct srv_req *rq, const char *key, enum part which, int64_t id,
    struct hr_error *err)
{
	struct intake_list l;

	intake_list_init(&l);
	if (read_part(rq->db, which, id, &l, err) < 0) {
		intake_list_destroy(&l);
		return -1;
	}
	intake_list_flush(&l, rq->pk, key);
	return 0;
}

static void
pack_payment(msgpack_packer *pk, const struct db_app *a)
{
	hr_pack_str(pk, "payment");
	msgpack_pack_map(pk, 3);
	hr_pack_kv_str(pk, "method", a->pay_method);
	hr_pack_kv_str(pk, "iban", a->iban);
	hr_pack_kv_str(pk, "post_office", a->post_office);
}

static void
pack_head(msgpack_packer *pk, const struct db_app *a)
{
	hr_pack_kv_int(pk, "id", a->id);
	hr_pack_kv_str(pk, "reg_no", a->reg_no);
	hr_pack_kv_str(pk, "status", hr_status_name(a->status));
	hr_pack_kv_str(pk, "service", a->service);
	hr_pack_kv_str(pk, "service_name", a->service_name);
	hr_pack_kv_str(pk, "system", a->system);
	hr_pack_kv_int(pk, "version", a->version);
	hr_pack_kv_int(pk, "created_at", a->created_at);
	hr_pack_kv_int(pk, "updated_at", a->updated_at);
	hr_pack_kv_int(pk, "front_office_id", a->front_office_id);
	hr_pack_kv_str(pk, "front_office", a->front_office);
	hr_pack_kv_str(pk, "hromada", a->hromada);
}

/* app_full: 22 fields (PROTOCOL.md "application.get"). */
static int
pack_application(struct srv_req *rq, const struct db_app *a,
    struct hr_error *err)
{
	msgpack_packer *pk = rq->pk;

	hr_pack_str(pk, "application");
	msgpack_pack_map(pk, 22);
	pack_head(pk, a);
	hr_pack_str(pk, "applicant");
	if (intake_pack_person_id(rq, a->applicant_id, NULL, err) < 0 ||
	    pack_family(rq, a, err) < 0 ||
	    pack_part(rq, "income", PART_INCOME, a->id, err) < 0 ||
	    pack_part(rq, "documents", PART_DOCUMENTS, a->id, err) < 0 ||
	    pack_part(rq, "missing", PART_MISSING, a->id, err) < 0)
		return -1;
	hr_pack_kv_bool(pk, "package_full", a->package_full);
	pack_payment(pk, a);
	hr_pack_kv_str(pk, "phone", a->phone);
	hr_pack_kv_str(pk, "notes", a->notes);
	hr_pack_kv_str(pk, "last_reason", a->last_reason);
	return 0;
}

static int
history_cb(void *ud, const struct db_app_history *h)
{
	struct intake_list *l = ud;

	msgpack_pack_map(&l->pk, 6);
	hr_pack_kv_int(&l->pk, "at", h->at);
	hr_pack_kv_str(&l->pk, "user", h->user);
	hr_pack_kv_str(&l->pk, "full_name", h->full_name);
	hr_pack_kv_str(&l->pk, "from", h->from);
	hr_pack_kv_str(&l->pk, "to", h->to);
	hr_pack_kv_str(&l->pk, "comment", h->comment);
	l->n++;
	return 0;
}

/*
 * The workflow rows this role may apply from the current status, once
 * each; export and answer come with the *.DAT exchange, not a transition.
 */
static void
pack_actions(msgpack_packer *pk, int status, int role)
{
	const char *names[HR_ACT__COUNT];
	uint32_t n = 0;

	for (int act = 0; act < HR_ACT__COUNT; act++)
		if (act != HR_ACT_EXPORT && act != HR_ACT_ANSWER &&
		    hr_workflow_find(status, act, role) != NULL)
			names[n++] = hr_action_name(act);
	hr_pack_str(pk, "actions");
	msgpack_pack_array(pk, n);
	for (uint32_t i = 0; i < n; i++)
		hr_pack_str(pk, names[i]);
}

static int
get_reply(struct srv_req *rq, const struct db_app *a, struct hr_error *err)
{
	struct intake_list hist;
	int role = rq->sess->role, decided = 0;
	char object[32];

	if (a->status == HR_ST_ANSWERED &&
	    dat_decision(rq, a->id, 0, &decided, err) < 0)
		return -1;
	msgpack_pack_map(rq->pk, 4 + decided);
	if (pack_application(rq, a, err) < 0 ||
	    (decided && dat_decision(rq, a->id, 1, &decided, err) < 0))
		return -1;
	intake_list_init(&hist);
	if (db_app_history_each(rq->db, a->id, history_cb, &hist, err) < 0) {
		intake_list_destroy(&hist);
		return -1;
	}
	intake_list_flush(&hist, rq->pk, "history");
	pack_actions(rq->pk, a->status, role);
	hr_pack_kv_bool(rq->pk, "editable", hr_workflow_can_edit(a->status,
	    role));
	snprintf(object, sizeof object, "application:%lld", (long long)a->id);
	return srv_audit(rq, "application.read", object,
	    a->reg_no, err);
}

int
method_application_get(struct srv_req *rq, struct hr_error *err)
{
	struct db_app a;
	int rc;

	if (intake_app_load(rq, hr_val_int(rq->vals[P_ID], 0), &a, err) < 0)
		return -1;
	rc = get_reply(rq, &a, err);
	db_app_free(&a);
	return rc;
}
