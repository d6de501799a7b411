/*
 * method_dat_get.c — `dat.get`: one stored *.DAT file of the user's back
 * office, whole, to save again.  The file holds persons' data: audited
 * ("dat.read").  Another back office's file is HR_E_NOT_FOUND.
 */
#include "srvd/method_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/dat.h"
#include "proto/mpread.h"
#include "proto/rpc.h"
#include "srvd/dat.h"
#include "srvd/request_audit.h"

enum { P_ID };

static const struct hr_field fields[] = {
	[P_ID] = { "id", HR_F_INT, HR_F_REQUIRED, 1, INT64_MAX },
};
const struct hr_schema method_dat_get_params = { fields, 1, 0 };

static int
file_cb(void *ud, const struct db_dat_file *f)
{
	msgpack_packer *pk = ud;

	msgpack_pack_map(pk, 7);
	hr_pack_kv_int(pk, "file_id", f->id);
	hr_pack_kv_str(pk, "direction", f->direction);
	hr_pack_kv_str(pk, "system", f->system);
	hr_pack_kv_int(pk, "number", f->number);
	hr_pack_kv_str(pk, "name", f->name);
	hr_pack_kv_int(pk, "count", f->record_count);
	return 0;
}

int
method_dat_get(struct srv_req *rq, struct hr_error *err)
{
	char office[HR_DAT_OFFICE_MAX], object[40];
	int64_t spszn_id, id = hr_val_int(rq->vals[P_ID], 0);
	void *data = NULL;
	size_t len;
	int rc;

	if (dat_office(rq, &spszn_id, office, sizeof office, err) < 0)
		return -1;
	snprintf(object, sizeof object, "dat_file:%lld", (long long)id);
	rc = db_dat_file_get(rq->db, id, spszn_id, file_cb, rq->pk, &data,
	    &len, err);
	if (rc == 0)
		rc = srv_audit(rq, "dat.read", object, NULL,
		    err);
	if (rc == 0) {
		hr_pack_str(rq->pk, "data");
		msgpack_pack_bin(rq->pk, len);
		msgpack_pack_bin_body(rq->pk, data, len);
	}
	free(data);
	return rc;
}
