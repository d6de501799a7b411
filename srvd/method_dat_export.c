/*
 * method_dat_export.c — `dat.export`: the back office writes its checked
 * applications of one decision system into a numbered *.DAT file.
 *
 * The work is db/dat_export.h's (hromadactl's `dat export` runs the same),
 * in the request's savepoint, so it is all or nothing, in the name of the
 * session's user.  The reply carries the file itself.
 */
#include "srvd/method_table.h"

#include <stdio.h>
#include <string.h>

#include "db/dat_export.h"
#include "proto/mpread.h"
#include "proto/rpc.h"
#include "srvd/dat.h"

enum { P_SYSTEM, P_CHARSET };

static const struct hr_field fields[] = {
	[P_SYSTEM]  = { "system",  HR_F_STR, HR_F_REQUIRED, 0, HR_DAT_SYSTEM_MAX - 1 },
	[P_CHARSET] = { "charset", HR_F_STR, HR_F_NULLABLE, 0, 16 },
};
const struct hr_schema method_dat_export_params = { fields, 2, 0 };

static int
export_params(struct srv_req *rq, struct db_dat_export *x, char *system,
    char *office, struct hr_error *err)
{
	const msgpack_object *cs = rq->vals[P_CHARSET];

	snprintf(system, HR_DAT_SYSTEM_MAX, "%.*s",
	    (int)rq->vals[P_SYSTEM]->via.str.size,
	    rq->vals[P_SYSTEM]->via.str.ptr);
	x->system = system;
	x->office = office;
	x->charset = HR_DAT_UTF8;
	if (cs != NULL && hr_val_str_eq(cs, "CP1251"))
		x->charset = HR_DAT_CP1251;
	else if (cs != NULL && !hr_val_str_eq(cs, "UTF-8"))
		return hr_errorf(err, HR_E_INVALID, "dat.charset",
		    "UTF-8 or CP1251"), hr_error_at(err, "charset");
	if (dat_office(rq, &x->spszn_id, office, HR_DAT_OFFICE_MAX, err) < 0)
		return -1;
	if (db_dat_system_check(rq->db, system, err) < 0)
		return hr_error_at(err, "system");
	return 0;
}

static void
export_reply(struct srv_req *rq, const struct db_dat_export *x)
{
	msgpack_packer *pk = rq->pk;

	msgpack_pack_map(pk, 6);
	hr_pack_kv_int(pk, "file_id", x->file_id);
	hr_pack_kv_str(pk, "name", x->name);
	hr_pack_kv_int(pk, "number", x->number);
	hr_pack_kv_int(pk, "count", x->count);
	hr_pack_kv_int(pk, "remaining", (int64_t)x->remaining);
	hr_pack_str(pk, "data");
	msgpack_pack_bin(pk, hr_buf_used(&x->file));
	msgpack_pack_bin_body(pk, hr_buf_head(&x->file), hr_buf_used(&x->file));
}

int
method_dat_export(struct srv_req *rq, struct hr_error *err)
{
	struct db_dat_export x;
	struct db_dat_actor who;
	char system[HR_DAT_SYSTEM_MAX], office[HR_DAT_OFFICE_MAX];
	int rc;

	memset(&x, 0, sizeof x);
	dat_actor(rq, &who);
	rc = export_params(rq, &x, system, office, err);
	if (rc == 0)
		rc = db_dat_export_run(rq->db, &who, &x, err);
	if (rc == 0)
		export_reply(rq, &x);
	db_dat_export_free(&x);
	return rc;
}
