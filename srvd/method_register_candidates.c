/*
 * method_register_candidates.c — `register.candidates`: the applications
 * a transfer register of this user could list — sent up to the stage in
 * the period, in the scope, not on a register of the stage yet — for the
 * clerk to pick from (db/registers.h).  Audited ("register.candidates":
 * the rows name applicants).
 */
#include "srvd/method_table.h"

#include <stdio.h>
#include <string.h>

#include "proto/mpread.h"
#include "proto/rpc.h"
#include "srvd/registers.h"
#include "srvd/request_audit.h"
#include "srvd/session.h"

enum { P_STAGE, P_DATE_FROM, P_DATE_TO, P_LIMIT };

static const struct hr_field fields[] = {
	[P_STAGE]     = { "stage",     HR_F_STR, HR_F_NULLABLE, 0, 16 },
	[P_DATE_FROM] = { "date_from", HR_F_STR, HR_F_NULLABLE, 0, 10 },
	[P_DATE_TO]   = { "date_to",   HR_F_STR, HR_F_NULLABLE, 0, 10 },
	[P_LIMIT]     = { "limit",     HR_F_INT, HR_F_NULLABLE, 1,
	                  DB_REGISTER_MAX },
};
const struct hr_schema method_register_candidates_params = { fields, 4, 0 };

struct cands {
	msgpack_sbuffer sb;
	msgpack_packer  pk;
	uint32_t        n;
};

static int
cand_row(void *ud, const struct db_reg_candidate *c)
{
	struct cands *l = ud;

	msgpack_pack_map(&l->pk, 8);
	hr_pack_kv_int(&l->pk, "id", c->id);
	hr_pack_kv_str(&l->pk, "reg_no", c->reg_no);
	hr_pack_kv_int(&l->pk, "created_at", c->created_at);
	hr_pack_kv_int(&l->pk, "sent_at", c->sent_at);
	hr_pack_kv_str(&l->pk, "applicant", c->applicant);
	hr_pack_kv_str(&l->pk, "service_name", c->service_name);
	hr_pack_kv_int(&l->pk, "documents", c->documents);
	hr_pack_kv_int(&l->pk, "missing", c->missing);
	l->n++;
	return 0;
}

int
method_register_candidates(struct srv_req *rq, struct hr_error *err)
{
	const struct srv_scope *s = &rq->sess->scope;
	struct cands l = { .n = 0 };
	char from[11], to[11], detail[128];
	int64_t t0, t1;
	int stage, more = 0, rc;

	if (reg_stage(rq, rq->vals[P_STAGE], &stage, err) < 0 ||
	    reg_period(rq->vals[P_DATE_FROM], rq->vals[P_DATE_TO], &t0, &t1,
	    from, to, err) < 0)
		return -1;
	msgpack_sbuffer_init(&l.sb);
	msgpack_packer_init(&l.pk, &l.sb, msgpack_sbuffer_write);
	rc = db_register_candidates(rq->db, s->col, s->territory_id, stage, t0,
	    t1, (int)hr_val_int(rq->vals[P_LIMIT], DB_REGISTER_MAX), cand_row,
	    &l, &more, err);
	if (rc == 0) {
		msgpack_pack_map(rq->pk, 5);
		hr_pack_kv_str(rq->pk, "stage", db_reg_stage_name(stage));
		hr_pack_kv_str(rq->pk, "date_from", from);
		hr_pack_kv_str(rq->pk, "date_to", to);
		hr_pack_str(rq->pk, "items");
		msgpack_pack_array(rq->pk, l.n);
		if (l.sb.size > 0)
			rq->pk->callback(rq->pk->data, l.sb.data, l.sb.size);
		hr_pack_kv_bool(rq->pk, "more", more);
		snprintf(detail, sizeof detail, "stage %s, %s..%s: %u rows",
		    db_reg_stage_name(stage), from, to, l.n);
		rc = srv_audit(rq, "register.candidates", "registers", detail,
		    err);
	}
	msgpack_sbuffer_destroy(&l.sb);
	return rc;
}
