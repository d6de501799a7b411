/*
 * method_dat_import.c — `dat.import`: the back office loads a decision
 * system's answer file and every application in it gets its decision.
 *
 * The work is db/dat_import.h's (hromadactl's `dat import` runs the
 * same), in the request's savepoint, so a file is imported whole or not at
 * all, in the name of the session's user; each answered application's
 * notice is queued in the same transaction (notices.h).
 */
#include "srvd/method_table.h"

#include <stdio.h>
#include <string.h>

#include "db/dat_import.h"
#include "proto/rpc.h"
#include "srvd/dat.h"

enum { P_NAME, P_DATA };

static const struct hr_field fields[] = {
	[P_NAME] = { "name", HR_F_STR, HR_F_REQUIRED, 1, 128 },
	[P_DATA] = { "data", HR_F_BIN, HR_F_REQUIRED, 1, HR_DAT_FILE_MAX },
};
const struct hr_schema method_dat_import_params = { fields, 2, 0 };

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
	rc = dat_office(rq, &x.spszn_id, office, sizeof office, err);
	if (rc == 0)
		rc = db_dat_import_run(rq->db, &who, &x, err);
	if (rc == 0) {
		msgpack_pack_map(rq->pk, 2);
		hr_pack_kv_int(rq->pk, "imported", x.imported);
		hr_pack_kv_int(rq->pk, "file_id", x.file_id);
	}
	db_dat_import_free(&x);
	return rc;
}
