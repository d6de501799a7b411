/*
 * method_register_list.c — `register.list`: the transfer registers the
 * user's scope sees, newest first — made in the front office or the
 * hromada, or handed to the back office (db/registers.h).  Heads only (no
 * applicants), so nothing to audit.
 */
#include "srvd/method_table.h"

#include "db/registers.h"
#include "proto/mpread.h"
#include "proto/rpc.h"
#include "srvd/session.h"

enum { P_BEFORE, P_LIMIT };

static const struct hr_field fields[] = {
	[P_BEFORE] = { "before", HR_F_INT, HR_F_NULLABLE, 0, INT64_MAX },
	[P_LIMIT]  = { "limit",  HR_F_INT, HR_F_NULLABLE, 1, 200 },
};
const struct hr_schema method_register_list_params = { fields, 2, 0 };

struct heads {
	msgpack_sbuffer sb;
	msgpack_packer  pk;
	uint32_t        n;
};

static int
head_row(void *ud, const struct db_register_info *r)
{
	struct heads *l = ud;

	msgpack_pack_map(&l->pk, 11);
	hr_pack_kv_int(&l->pk, "id", r->id);
	hr_pack_kv_int(&l->pk, "number", r->number);
	hr_pack_kv_int(&l->pk, "year", r->year);
	hr_pack_kv_str(&l->pk, "made_on", r->made_on);
	hr_pack_kv_int(&l->pk, "made_at", r->made_at);
	hr_pack_kv_str(&l->pk, "stage", db_reg_stage_name(r->stage));
	hr_pack_kv_str(&l->pk, "from_name", r->from_name);
	hr_pack_kv_str(&l->pk, "to_name", r->to_name);
	hr_pack_kv_str(&l->pk, "made_by", r->made_by_name);
	hr_pack_kv_int(&l->pk, "rows", (int64_t)r->rows);
	hr_pack_kv_int(&l->pk, "documents", (int64_t)r->documents);
	l->n++;
	return 0;
}

int
method_register_list(struct srv_req *rq, struct hr_error *err)
{
	const struct srv_scope *s = &rq->sess->scope;
	struct heads l = { .n = 0 };
	int64_t next = 0;
	int rc;

	msgpack_sbuffer_init(&l.sb);
	msgpack_packer_init(&l.pk, &l.sb, msgpack_sbuffer_write);
	rc = db_register_list(rq->db, s->col, s->territory_id,
	    hr_val_int(rq->vals[P_BEFORE], 0),
	    (int)hr_val_int(rq->vals[P_LIMIT], 50), head_row, &l, &next, err);
	if (rc == 0) {
		msgpack_pack_map(rq->pk, 2);
		hr_pack_str(rq->pk, "items");
		msgpack_pack_array(rq->pk, l.n);
		if (l.sb.size > 0)
			rq->pk->callback(rq->pk->data, l.sb.data, l.sb.size);
		hr_pack_kv_int(rq->pk, "next", next);
	}
	msgpack_sbuffer_destroy(&l.sb);
	return rc;
}
