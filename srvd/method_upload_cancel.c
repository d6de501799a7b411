/*
 * method_upload_cancel.c — `upload.cancel`: give an upload up.  Its row
 * and the bytes received so far go; nothing was attached.  Only the
 * user's own uploads (another's is not found).
 */
#include "srvd/method_table.h"

#include <inttypes.h>
#include <stdio.h>

#include "proto/mpread.h"
#include "srvd/upload.h"

enum { P_UPLOAD, P__COUNT };

static const struct hr_field fields[P__COUNT] = {
	[P_UPLOAD] = { "upload", HR_F_INT, HR_F_REQUIRED, 1, INT64_MAX },
};
const struct hr_schema method_upload_cancel_params = { fields, P__COUNT, 0 };

int
method_upload_cancel(struct srv_req *rq, struct hr_error *err)
{
	struct db_upload u;
	int rc;

	if (upload_load(rq, hr_val_int(rq->vals[P_UPLOAD], 0), &u, err) < 0)
		return -1;
	rc = upload_drop(rq, u.id, err);
	db_upload_free(&u);
	if (rc < 0)
		return -1;
	msgpack_pack_map(rq->pk, 0);
	return 0;
}
