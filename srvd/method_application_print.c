/*
 * method_application_print.c — `application.print`: what a printed
 * document of one application shows — the application with its income
 * declaration, the receipt, or the decision notice — as plain data the
 * client lays out (paper/wire.h, db/print.h).
 *
 * Visible only as application.get is (intake_app_load: scope, status);
 * otherwise HR_E_NOT_FOUND.  A notice needs a decision (HR_E_STATE
 * before).  Every print of personal data is audited: "application.print"
 * naming the document; the server cannot see the printer, so what it
 * records is that the data was handed out for printing.
 */
#include "srvd/method_table.h"

#include <stdio.h>
#include <string.h>

#include "db/print.h"
#include "paper/forms.h"
#include "paper/wire.h"
#include "proto/mpread.h"
#include "proto/rpc.h"
#include "srvd/intake.h"
#include "srvd/request_audit.h"
#include "srvd/session.h"

enum { P_ID, P_DOCUMENT };

static const struct hr_field fields[] = {
	[P_ID]       = { "id",       HR_F_INT, HR_F_REQUIRED, 1, INT64_MAX },
	[P_DOCUMENT] = { "document", HR_F_STR, HR_F_REQUIRED, 0, 16 },
};
const struct hr_schema method_application_print_params = { fields, 2, 0 };

static int
print_kind(const msgpack_object *v, struct hr_error *err)
{
	char name[24];
	int kind;

	snprintf(name, sizeof name, "%.*s", (int)v->via.str.size, v->via.str.ptr);
	kind = paper_kind_from_name(name);
	if (kind < 0 || kind == PAPER_REGISTER)
		return hr_errorf(err, HR_E_INVALID, "print.document",
		    "\"{name}\" is not a document of an application "
		    "(application, receipt, notice)", HR_STR("name", name)),
		    hr_error_at(err, "document");
	return kind;
}

static int
print_reply(struct srv_req *rq, int kind, const struct paper_app *pa,
    struct hr_error *err)
{
	char object[32], detail[96];

	if (kind == PAPER_NOTICE && !pa->has_decision)
		return hr_errorf(err, HR_E_STATE, "print.no_decision",
		    "application {reg_no} has no decision yet: there is no "
		    "notice to print", HR_STR("reg_no", pa->reg_no ?
		    pa->reg_no : ""));
	msgpack_pack_map(rq->pk, 2);
	hr_pack_kv_str(rq->pk, "document", paper_kind_name(kind));
	hr_pack_str(rq->pk, "application");
	paper_wire_pack_app(rq->pk, pa);
	snprintf(object, sizeof object, "application:%lld", (long long)pa->id);
	snprintf(detail, sizeof detail, "%s %s", paper_kind_name(kind),
	    pa->reg_no ? pa->reg_no : "");
	return srv_audit(rq, "application.print", object, detail, err);
}

int
method_application_print(struct srv_req *rq, struct hr_error *err)
{
	struct db_app a;
	struct paper_app pa;
	int kind, rc;

	if ((kind = print_kind(rq->vals[P_DOCUMENT], err)) < 0)
		return -1;
	if (intake_app_load(rq, hr_val_int(rq->vals[P_ID], 0), &a, err) < 0)
		return -1;
	rc = db_print_app(rq->db, a.id, rq->sess->user_id, &pa, err);
	if (rc == 0)
		rc = print_reply(rq, kind, &pa, err);
	paper_app_free(&pa);
	db_app_free(&a);
	return rc;
}
