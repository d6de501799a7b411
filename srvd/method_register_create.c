/*
 * method_register_create.c — `register.create`: make a transfer register
 * of the applications picked (`ids`, in that order), or of every one sent
 * up in a period (`date_from`, `date_to`), numbered next for the user's
 * office and year, stored as made (db/registers.h).
 *
 * Whole or nothing: an application not visible is HR_E_NOT_FOUND, one not
 * sent up or already on a register of the stage HR_E_STATE naming it;
 * then nothing is numbered.  Audited ("register.create").
 */
#include "srvd/method_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/rpc.h"
#include "srvd/registers.h"
#include "srvd/request_audit.h"
#include "srvd/session.h"

enum { P_STAGE, P_IDS, P_DATE_FROM, P_DATE_TO };

static const struct hr_field fields[] = {
	[P_STAGE]     = { "stage",     HR_F_STR,   HR_F_NULLABLE, 0, 16 },
	[P_IDS]       = { "ids",       HR_F_ARRAY, HR_F_NULLABLE, 0,
	                  DB_REGISTER_MAX },
	[P_DATE_FROM] = { "date_from", HR_F_STR,   HR_F_NULLABLE, 0, 10 },
	[P_DATE_TO]   = { "date_to",   HR_F_STR,   HR_F_NULLABLE, 0, 10 },
};
const struct hr_schema method_register_create_params = { fields, 4, 0 };

struct idlist {
	int64_t v[DB_REGISTER_MAX];
	size_t  n;
};

static int
ids_from_param(const msgpack_object *a, struct idlist *l, struct hr_error *err)
{
	for (uint32_t i = 0; i < a->via.array.size; i++) {
		const msgpack_object *o = &a->via.array.ptr[i];
		if (o->type != MSGPACK_OBJECT_POSITIVE_INTEGER ||
		    o->via.u64 == 0 || o->via.u64 > INT64_MAX)
			return hr_errorf(err, HR_E_PARAMS, "register.ids_item",
			    "item {n} must be an application id",
			    HR_INT("n", i + 1)), hr_error_at(err, "ids");
		l->v[l->n++] = (int64_t)o->via.u64;
	}
	if (l->n == 0)
		return hr_errorf(err, HR_E_INVALID, "register.ids_empty",
		    "pick at least one application"), hr_error_at(err, "ids");
	return 0;
}

static int
cand_id(void *ud, const struct db_reg_candidate *c)
{
	struct idlist *l = ud;

	l->v[l->n++] = c->id;
	return 0;
}

static int
ids_from_period(struct srv_req *rq, int stage, int64_t t0, int64_t t1,
    struct idlist *l, struct hr_error *err)
{
	const struct srv_scope *s = &rq->sess->scope;
	int more = 0;

	if (db_register_candidates(rq->db, s->col, s->territory_id, stage, t0,
	    t1, DB_REGISTER_MAX, cand_id, l, &more, err) < 0)
		return -1;
	if (l->n == 0)
		return hr_errorf(err, HR_E_STATE, "register.period_empty",
		    "no applications were sent up in the period that are not "
		    "on a register yet; nothing was numbered");
	if (more)
		return hr_errorf(err, HR_E_INVALID, "register.period_big",
		    "more than {max} applications in the period: pick a "
		    "shorter one", HR_INT("max", DB_REGISTER_MAX));
	return 0;
}

static int
create_reply(struct srv_req *rq, const struct db_register_made *m,
    const struct idlist *l, struct hr_error *err)
{
	char object[32], detail[160];

	msgpack_pack_map(rq->pk, 5);
	hr_pack_kv_int(rq->pk, "id", m->id);
	hr_pack_kv_int(rq->pk, "number", m->number);
	hr_pack_kv_int(rq->pk, "year", m->year);
	hr_pack_kv_int(rq->pk, "rows", (int64_t)m->rows);
	hr_pack_kv_int(rq->pk, "documents", (int64_t)m->documents);
	snprintf(object, sizeof object, "register:%lld", (long long)m->id);
	snprintf(detail, sizeof detail, "No. %d/%d, %zu applications, first id "
	    "%lld", m->number, m->year, l->n, (long long)l->v[0]);
	return srv_audit(rq, "register.create", object, detail, err);
}

int
method_register_create(struct srv_req *rq, struct hr_error *err)
{
	const struct srv_scope *s = &rq->sess->scope;
	struct db_register_new r;
	struct db_register_made m;
	struct reg_names *names = NULL;
	struct idlist *l = NULL;
	char from[11], to[11];
	int64_t t0, t1;
	int stage, rc, by_ids = rq->vals[P_IDS] != NULL;

	if (reg_stage(rq, rq->vals[P_STAGE], &stage, err) < 0 ||
	    reg_period(rq->vals[P_DATE_FROM], rq->vals[P_DATE_TO], &t0, &t1,
	    from, to, err) < 0)
		return -1;
	if (by_ids && (rq->vals[P_DATE_FROM] || rq->vals[P_DATE_TO]))
		return hr_errorf(err, HR_E_INVALID, "register.ids_and_period",
		    "give the applications or a period, not both"),
		    hr_error_at(err, "ids");
	if ((l = calloc(1, sizeof *l)) == NULL ||
	    (names = calloc(1, sizeof *names)) == NULL) {
		free(l);
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	}
	rc = by_ids ? ids_from_param(rq->vals[P_IDS], l, err) :
	    ids_from_period(rq, stage, t0, t1, l, err);
	if (rc == 0)
		rc = reg_head(rq, stage, &r, names, err);
	if (rc == 0 && !by_ids) {
		r.period_from = from;
		r.period_to = to;
	}
	if (rc == 0)
		rc = db_register_create(rq->db, &r, s->col, s->territory_id,
		    l->v, l->n, &m, err);
	if (rc == 0)
		rc = create_reply(rq, &m, l, err);
	free(names);
	free(l);
	return rc;
}
