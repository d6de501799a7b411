/*
 * method_attachment_detach.c — `attachment.detach`: take a scan off an
 * application while it can be edited (the same rule as attaching).  The
 * history records it; the package is judged again; the file stays in the
 * store until `hromadactl files gc` finds nothing referencing it.
 */
#include "srvd/method_table.h"

#include <inttypes.h>
#include <stdio.h>

#include "db/attachments.h"
#include "proto/mpread.h"
#include "proto/rpc.h"
#include "srvd/request_audit.h"
#include "srvd/session.h"
#include "srvd/upload.h"

enum { P_ID, P__COUNT };

static const struct hr_field fields[P__COUNT] = {
	[P_ID] = { "id", HR_F_INT, HR_F_REQUIRED, 1, INT64_MAX },
};
const struct hr_schema method_attachment_detach_params = { fields, P__COUNT,
    0 };

struct detach_what {
	int64_t app_id;
	char    doc[64], hex[HR_FILE_HASH_HEX];
};

static int
detach_cb(void *ud, const struct db_attachment *a)
{
	struct detach_what *w = ud;

	w->app_id = a->application_id;
	snprintf(w->doc, sizeof w->doc, "%s", a->doc_code);
	hr_filehash_hex(a->hash, w->hex);
	return 0;
}

int
method_attachment_detach(struct srv_req *rq, struct hr_error *err)
{
	int64_t id = hr_val_int(rq->vals[P_ID], 0);
	struct detach_what w = { 0 };
	char object[32], detail[256];
	struct db_app a;
	int found = 0, full = 0, rc;

	if (db_attachment_get(rq->db, id, detach_cb, &w, &found, err) < 0)
		return -1;
	if (!found)
		return hr_errorf(err, HR_E_NOT_FOUND, "attachment.not_found",
		    "attachment {id} not found", HR_INT("id", id));
	/* Out of scope reads as not found, as for the application itself. */
	if (upload_app_editable(rq, w.app_id, &a, err) < 0)
		return err->code != HR_E_NOT_FOUND ? -1 : hr_errorf(err,
		    HR_E_NOT_FOUND, "attachment.not_found",
		    "attachment {id} not found", HR_INT("id", id));
	rc = db_attachment_delete(rq->db, id, a.id, rq->sess->user_id, err);
	if (rc == 0)
		rc = db_app_package_full(rq->db, a.id, &full, err);
	snprintf(object, sizeof object, "attachment:%" PRId64, id);
	snprintf(detail, sizeof detail, "application %s (id %" PRId64 "), %s, "
	    "blake2b %s", a.reg_no ? a.reg_no : "(draft)", a.id, w.doc, w.hex);
	db_app_free(&a);
	if (rc < 0 || srv_audit(rq, "attachment.detach", object, detail,
	    err) < 0)
		return -1;
	msgpack_pack_map(rq->pk, 1);
	hr_pack_kv_bool(rq->pk, "package_full", full);
	return 0;
}
