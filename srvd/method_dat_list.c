/*
 * method_dat_list.c — `dat.list`: the *.DAT exchange files of the user's
 * back office, both directions, newest first (no personal data: names,
 * numbers, counts).
 */
#include "srvd/method_table.h"

#include "db/dat.h"
#include "proto/mpread.h"
#include "proto/rpc.h"
#include "srvd/dat.h"
#include "srvd/intake.h"

enum { P_LIMIT };

static const struct hr_field fields[] = {
	[P_LIMIT] = { "limit", HR_F_INT, HR_F_NULLABLE, 1, 200 },
};
const struct hr_schema method_dat_list_params = { fields, 1, 0 };

static int
file_cb(void *ud, const struct db_dat_file *f)
{
	struct intake_list *l = ud;

	msgpack_pack_map(&l->pk, 10);
	hr_pack_kv_int(&l->pk, "id", f->id);
	hr_pack_kv_str(&l->pk, "direction", f->direction);
	hr_pack_kv_str(&l->pk, "system", f->system);
	hr_pack_kv_int(&l->pk, "number", f->number);
	hr_pack_kv_str(&l->pk, "name", f->name);
	hr_pack_kv_int(&l->pk, "created_at", f->created_at);
	hr_pack_kv_int(&l->pk, "stored_at", f->stored_at);
	hr_pack_kv_str(&l->pk, "user", f->user);
	hr_pack_kv_int(&l->pk, "count", f->record_count);
	hr_pack_kv_int(&l->pk, "size", f->size);
	l->n++;
	return 0;
}

int
method_dat_list(struct srv_req *rq, struct hr_error *err)
{
	struct intake_list l;
	char office[HR_DAT_OFFICE_MAX];
	int64_t spszn_id;

	if (dat_office(rq, &spszn_id, office, sizeof office, err) < 0)
		return -1;
	intake_list_init(&l);
	if (db_dat_file_each(rq->db, spszn_id, (int)hr_val_int(
	    rq->vals[P_LIMIT], 50), file_cb, &l, err) < 0) {
		intake_list_destroy(&l);
		return -1;
	}
	msgpack_pack_map(rq->pk, 2);
	hr_pack_kv_str(rq->pk, "office", office);
	intake_list_flush(&l, rq->pk, "items");
	return 0;
}
