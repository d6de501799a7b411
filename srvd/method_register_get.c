/*
 * method_register_get.c — `register.get`: one transfer register as it was
 * made, to print (again): the same data every time, so the same document
 * (paper/wire.h, db/print.h).  Visible as in register.list, else
 * HR_E_NOT_FOUND; audited ("register.read": it names applicants).
 */
#include "srvd/method_table.h"

#include <stdio.h>

#include "db/print.h"
#include "db/registers.h"
#include "paper/wire.h"
#include "proto/mpread.h"
#include "proto/rpc.h"
#include "srvd/request_audit.h"
#include "srvd/session.h"

enum { P_ID };

static const struct hr_field fields[] = {
	[P_ID] = { "id", HR_F_INT, HR_F_REQUIRED, 1, INT64_MAX },
};
const struct hr_schema method_register_get_params = { fields, 1, 0 };

int
method_register_get(struct srv_req *rq, struct hr_error *err)
{
	const struct srv_scope *s = &rq->sess->scope;
	int64_t id = hr_val_int(rq->vals[P_ID], 0);
	struct paper_register r;
	char object[32], detail[64];
	int yes, rc;

	if (db_register_visible(rq->db, id, s->col, s->territory_id, &yes,
	    err) < 0)
		return -1;
	if (!yes)
		return hr_errorf(err, HR_E_NOT_FOUND, "register.not_found",
		    "register not found");
	rc = db_print_register(rq->db, id, &r, err);
	if (rc == 0) {
		msgpack_pack_map(rq->pk, 1);
		hr_pack_str(rq->pk, "register");
		paper_wire_pack_register(rq->pk, &r);
		snprintf(object, sizeof object, "register:%lld", (long long)id);
		snprintf(detail, sizeof detail, "No. %d/%d, %zu rows", r.number,
		    r.year, r.nrows);
		rc = srv_audit(rq, "register.read", object, detail, err);
	}
	paper_register_free(&r);
	return rc;
}
