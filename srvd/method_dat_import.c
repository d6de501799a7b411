/*
 * method_dat_import.c — `dat.import`: the back office loads a decision
 * system's answer file and every application in it gets its decision.
 *
 * The work is db/dat_import.h's (hromadactl's `dat import` runs the
 * same), in the request's savepoint, so a file is imported whole or not at
 * all, in the name of the session's user; each answered application's
 * notice is queued in the same transaction (notices.h).  A refused file
 * leaves its audit record (rq->keep: nothing else was written).
 * `dry_run` checks the file the same way and says what it would do.
 */
#include "srvd/method_table.h"

#include <stdio.h>
#include <string.h>

#include "db/dat_import.h"
#include "proto/mpread.h"
#include "proto/rpc.h"
#include "srvd/dat.h"

enum { P_NAME, P_DATA, P_DRY_RUN };

static const struct hr_field fields[] = {
	[P_NAME]    = { "name",    HR_F_STR,  HR_F_REQUIRED, 1, 128 },
	[P_DATA]    = { "data",    HR_F_BIN,  HR_F_REQUIRED, 1, HR_DAT_FILE_MAX },
	[P_DRY_RUN] = { "dry_run", HR_F_BOOL, HR_F_NULLABLE, 0, 0 },
};
const struct hr_schema method_dat_import_params = { fields, 3, 0 };

/*
 * What the file would do: {dry_run, system, number, count, decisions:
 * {kind: n}, apps: [[line, id, reg_no, decision, amount|nil]], bad,
 * refusals: [[line, error]]}.
 */
static void
preview_reply(msgpack_packer *pk, const struct db_dat_import *x)
{
	const struct hr_dat_header *h = &x->dat.hdr;

	msgpack_pack_map(pk, 8);
	hr_pack_kv_bool(pk, "dry_run", 1);
	hr_pack_kv_str(pk, "system", h->system);
	hr_pack_kv_int(pk, "number", h->number);
	hr_pack_kv_int(pk, "count", h->count);
	hr_pack_str(pk, "decisions");
	msgpack_pack_map(pk, HR_DEC__END - 1);
	for (int k = 1; k < HR_DEC__END; k++)
		hr_pack_kv_int(pk, hr_decision_name(k), (int64_t)x->kinds[k]);
	hr_pack_str(pk, "apps");
	msgpack_pack_array(pk, h->count);
	for (uint32_t i = 0; i < h->count; i++) {
		const struct hr_dat_answer *r = &x->dat.answers[i];

		msgpack_pack_array(pk, 5);
		msgpack_pack_uint32(pk, r->line);
		msgpack_pack_int64(pk, r->app_id);
		hr_pack_str(pk, r->reg_no);
		hr_pack_str(pk, hr_decision_name(r->decision));
		if (r->has_amount)
			msgpack_pack_int64(pk, r->amount);
		else
			msgpack_pack_nil(pk);
	}
	hr_pack_kv_int(pk, "bad", (int64_t)x->nbad);
	hr_pack_str(pk, "refusals");
	msgpack_pack_array(pk, x->nbad_kept);
	for (size_t i = 0; i < x->nbad_kept; i++) {
		msgpack_pack_array(pk, 2);
		msgpack_pack_uint32(pk, x->bad[i].line);
		hr_rpc_pack_error_obj(pk, &x->bad[i].why);
	}
}

int
method_dat_import(struct srv_req *rq, struct hr_error *err)
{
	struct db_dat_import x;
	struct db_dat_actor who;
	char name[132], office[HR_DAT_OFFICE_MAX];
	int rc;

	memset(&x, 0, sizeof x);
	dat_actor(rq, &who);
	snprintf(name, sizeof name, "%.*s",
	    (int)rq->vals[P_NAME]->via.str.size, rq->vals[P_NAME]->via.str.ptr);
	x.name = name;
	x.office = office;
	x.data = (const uint8_t *)rq->vals[P_DATA]->via.bin.ptr;
	x.len = rq->vals[P_DATA]->via.bin.size;
	x.dry_run = hr_val_bool(rq->vals[P_DRY_RUN], 0);
	rc = dat_office(rq, &x.spszn_id, office, sizeof office, err);
	if (rc == 0)
		rc = db_dat_import_run(rq->db, &who, &x, err);
	if (rc < 0 && x.refused)
		rq->keep = 1;        /* the record of the refusal stays */
	if (rc == 0 && x.dry_run)
		preview_reply(rq->pk, &x);
	else if (rc == 0) {
		msgpack_pack_map(rq->pk, 2);
		hr_pack_kv_int(rq->pk, "imported", x.imported);
		hr_pack_kv_int(rq->pk, "file_id", x.file_id);
	}
	db_dat_import_free(&x);
	return rc;
}
