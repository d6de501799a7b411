/*
 * method_dat_export.c — `dat.export`: the back office writes its checked
 * applications of one decision system into a numbered *.DAT file.
 *
 * Everything happens in the request's savepoint, so it is all or nothing:
 * the oldest checked applications of the system in the user's back office
 * (at most SRV_DAT_EXPORT_MAX) become `exported` with a history row and an
 * audit record each, the file takes the next number of (back office,
 * system), is written (proto/dat.h, which parses its own output) and stored
 * whole so dat.get can hand it out again.  Nothing checked: HR_E_STATE and
 * no number is used.  The reply carries the file itself.
 */
#include "srvd/method_table.h"

#include <stdio.h>
#include <string.h>

#include "db/applications.h"
#include "db/dat.h"
#include "proto/buf.h"
#include "proto/mpread.h"
#include "proto/roles.h"
#include "proto/rpc.h"
#include "srvd/dat.h"
#include "srvd/request_audit.h"
#include "srvd/session.h"

enum { P_SYSTEM, P_CHARSET };

static const struct hr_field fields[] = {
	[P_SYSTEM]  = { "system",  HR_F_STR, HR_F_REQUIRED, 0, HR_DAT_SYSTEM_MAX - 1 },
	[P_CHARSET] = { "charset", HR_F_STR, HR_F_NULLABLE, 0, 16 },
};
const struct hr_schema method_dat_export_params = { fields, 2, 0 };

struct export {
	struct srv_req      *rq;
	char                 system[HR_DAT_SYSTEM_MAX];
	int64_t              spszn_id;
	struct hr_dat        dat;
	struct db_dat_batch  batch;
	struct hr_buf        file;
	char                 name[HR_DAT_NAME_MAX];
	int64_t              file_id;
};

static int
export_params(struct export *x, struct hr_error *err)
{
	struct srv_req *rq = x->rq;
	const msgpack_object *cs = rq->vals[P_CHARSET];

	snprintf(x->system, sizeof x->system, "%.*s",
	    (int)rq->vals[P_SYSTEM]->via.str.size,
	    rq->vals[P_SYSTEM]->via.str.ptr);
	x->dat.hdr.charset = HR_DAT_UTF8;
	if (cs != NULL && hr_val_str_eq(cs, "CP1251"))
		x->dat.hdr.charset = HR_DAT_CP1251;
	else if (cs != NULL && !hr_val_str_eq(cs, "UTF-8"))
		return hr_errorf(err, HR_E_INVALID, "dat.charset",
		    "UTF-8 or CP1251"), hr_error_at(err, "charset");
	if (dat_office(rq, &x->spszn_id, x->dat.hdr.office,
	    sizeof x->dat.hdr.office, err) < 0)
		return -1;
	if (dat_system_check(rq, x->system, err) < 0)
		return hr_error_at(err, "system");
	return 0;
}

/* Write the file; a file too big for one frame is written with fewer
 * applications (the rest stay checked for the next file). */
static int
export_write(struct export *x, struct hr_error *err)
{
	struct hr_dat_header *h = &x->dat.hdr;

	h->version = HR_DAT_VERSION;
	h->kind = HR_DAT_EXPORT;
	snprintf(h->system, sizeof h->system, "%s", x->system);
	h->created = db_now();
	h->count = (uint32_t)x->batch.napps;
	x->dat.apps = x->batch.apps;
	if (db_dat_next_number(x->rq->db, x->spszn_id, x->system, &h->number,
	    err) < 0)
		return -1;
	while (hr_dat_write(&x->dat, &x->file, err) < 0) {
		if (strcmp(err->id, "dat.too_big") != 0 || h->count < 2)
			return -1;
		x->batch.remaining += h->count - h->count / 2;
		h->count /= 2;
	}
	hr_dat_filename(h, x->name, sizeof x->name);
	return 0;
}

static int
export_store(struct export *x, struct hr_error *err)
{
	struct srv_req *rq = x->rq;
	const uint8_t *p = hr_buf_head(&x->file);
	size_t n = hr_buf_used(&x->file);
	char crc[16], object[40], detail[200];
	struct db_dat_file f = { .direction = "export", .system = x->system,
	    .number = x->dat.hdr.number, .spszn_id = x->spszn_id,
	    .name = x->name, .created_at = x->dat.hdr.created,
	    .stored_at = db_now(), .user_id = rq->sess->user_id,
	    .crc32 = crc, .record_count = x->dat.hdr.count };

	/* The END line's CRC covers everything before that line. */
	size_t end = n - 1;
	while (end > 0 && p[end - 1] != '\n')
		end--;
	snprintf(crc, sizeof crc, "%08x", hr_dat_crc32(0, p, end));
	if (db_dat_file_add(rq->db, &f, p, n, &x->file_id, err) < 0)
		return -1;
	snprintf(object, sizeof object, "dat_file:%lld", (long long)x->file_id);
	snprintf(detail, sizeof detail, "%s: %u applications exported, %zu "
	    "left checked", x->name, x->dat.hdr.count, x->batch.remaining);
	return srv_audit(rq, "dat.export", object, detail,
	    err);
}

static int
export_transitions(struct export *x, struct hr_error *err)
{
	struct srv_req *rq = x->rq;
	char comment[160], object[32];

	snprintf(comment, sizeof comment, "exchange file %s", x->name);
	for (uint32_t i = 0; i < x->dat.hdr.count; i++) {
		const struct hr_dat_app *a = &x->batch.apps[i];

		if (db_app_transition(rq->db, a->id, x->batch.versions[i],
		    HR_ST_CHECKED, HR_ST_EXPORTED, rq->sess->user_id,
		    comment, 0, err) < 0)
			return -1;
		snprintf(object, sizeof object, "application:%lld",
		    (long long)a->id);
		if (srv_audit(rq, "application.export",
		    object, comment, err) < 0)
			return -1;
	}
	return 0;
}

static void
export_reply(struct export *x)
{
	msgpack_packer *pk = x->rq->pk;

	msgpack_pack_map(pk, 6);
	hr_pack_kv_int(pk, "file_id", x->file_id);
	hr_pack_kv_str(pk, "name", x->name);
	hr_pack_kv_int(pk, "number", x->dat.hdr.number);
	hr_pack_kv_int(pk, "count", x->dat.hdr.count);
	hr_pack_kv_int(pk, "remaining", (int64_t)x->batch.remaining);
	hr_pack_str(pk, "data");
	msgpack_pack_bin(pk, hr_buf_used(&x->file));
	msgpack_pack_bin_body(pk, hr_buf_head(&x->file), hr_buf_used(&x->file));
}

static int
export_run(struct export *x, struct hr_error *err)
{
	if (export_params(x, err) < 0 ||
	    db_dat_batch_collect(x->rq->db, x->spszn_id, x->system,
	    SRV_DAT_EXPORT_MAX, &x->batch, err) < 0)
		return -1;
	if (x->batch.napps == 0)
		return hr_errorf(err, HR_E_STATE, "dat.nothing_to_export",
		    "no checked applications of {system} to export; nothing "
		    "was numbered", HR_STR("system", x->system));
	if (export_write(x, err) < 0 || export_transitions(x, err) < 0 ||
	    export_store(x, err) < 0)
		return -1;
	export_reply(x);
	return 0;
}

int
method_dat_export(struct srv_req *rq, struct hr_error *err)
{
	struct export x;
	int rc;

	memset(&x, 0, sizeof x);
	x.rq = rq;
	hr_buf_init(&x.file, HR_DAT_FILE_MAX);
	rc = export_run(&x, err);
	hr_buf_free(&x.file);
	db_dat_batch_free(&x.batch);
	return rc;
}
