/*
 * upload.c — the file store, the uploads held open between chunks, and
 * the steps the attachment methods share (upload.h).
 */
#include "srvd/upload.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proto/fileio.h"
#include "proto/roles.h"
#include "proto/rpc.h"
#include "proto/workflow.h"
#include "srvd/intake.h"
#include "srvd/request_audit.h"
#include "srvd/session.h"
#include "srvd/spares.h"

#define UPLOAD_REHASH_BUF 65536u

int
uploads_init(struct srv_uploads *u, const char *db_path, int64_t file_max,
    int64_t app_max, struct hr_error *err)
{
	memset(u, 0, sizeof *u);
	u->file_max = file_max;
	u->app_max = app_max;
	if (hr_store_open(&u->store, db_path, 1, err) < 0)
		return -1;
	return hr_store_fan_out(&u->store, err);
}

static void
open_close(struct upload_open *o)
{
	if (o->fd >= 0)
		close(o->fd);
	sodium_memzero(&o->state, sizeof o->state);
	free(o);
}

static void
open_unlink(struct srv_uploads *u, struct upload_open *o)
{
	if (o->prev != NULL)
		o->prev->next = o->next;
	else
		u->open = o->next;
	if (o->next != NULL)
		o->next->prev = o->prev;
	o->prev = o->next = NULL;
	u->nopen--;
}

static void
open_push(struct srv_uploads *u, struct upload_open *o)
{
	o->prev = NULL;
	o->next = u->open;
	if (u->open != NULL)
		u->open->prev = o;
	u->open = o;
	u->nopen++;
}

void
uploads_free(struct srv_uploads *u)
{
	struct upload_open *o;

	if (u == NULL)
		return;
	spares_stop(u->spares);
	u->spares = NULL;
	while ((o = u->open) != NULL) {
		open_unlink(u, o);
		open_close(o);
	}
	hr_store_close(&u->store);
}

void
uploads_forget(struct srv_uploads *u, int64_t id)
{
	for (struct upload_open *o = u->open; o != NULL; o = o->next)
		if (o->id == id) {
			open_unlink(u, o);
			open_close(o);
			return;
		}
}

/* The partial file lost bytes it acknowledged (or is gone). */
static int
upload_lost(int64_t id, struct hr_error *err)
{
	return hr_errorf(err, HR_E_NOT_FOUND, "upload.partial_lost",
	    "the bytes of upload {upload} received before are gone from the "
	    "server; begin the upload again", HR_INT("upload", id));
}

int
upload_store_err(struct hr_error *err)
{
	if (err->code == HR_E_NO_SPACE)
		return hr_errorf(err, HR_E_NO_SPACE, "upload.no_space",
		    "the server's disk is full: the scan was not stored (what "
		    "was received before is kept); tell the administrator");
	if (err->code == HR_E_IO)
		return hr_error_recode(err, HR_E_INTERNAL);
	return -1;
}

static int
rehash_piece(void *ud, const void *buf, size_t n)
{
	crypto_generichash_update(ud, buf, n);
	return 0;
}

/* Cut the partial file to `received` and hash it from the start (a
 * file opened empty, `fresh`, needs neither). */
static int
open_rebuild(struct upload_open *o, int64_t received, int fresh,
    struct hr_error *err)
{
	uint8_t buf[UPLOAD_REHASH_BUF];
	int rc;

	if (fresh) {
		crypto_generichash_init(&o->state, NULL, 0, HR_FILE_HASH_LEN);
		o->hashed = 0;
		return 0;
	}
	if (ftruncate(o->fd, (off_t)received) != 0)
		return hr_error_set(err, HR_E_INTERNAL, "upload %" PRId64 ": "
		    "cannot cut its partial file: %s", o->id, strerror(errno));
	crypto_generichash_init(&o->state, NULL, 0, HR_FILE_HASH_LEN);
	rc = hr_pread_each(o->fd, (uint64_t)received, buf, sizeof buf,
	    rehash_piece, &o->state);
	if (rc == HR_FILEIO_SHORT)
		return upload_lost(o->id, err);
	if (rc < 0)
		return hr_error_set(err, HR_E_INTERNAL, "upload %" PRId64 ": "
		    "cannot read its partial file: %s", o->id, strerror(errno));
	o->hashed = received;
	return 0;
}

int
uploads_take(struct srv_uploads *u, int64_t id, int64_t received,
    struct upload_open **out, struct hr_error *err)
{
	struct upload_open *o;
	int fresh = 0;

	for (o = u->open; o != NULL; o = o->next)
		if (o->id == id)
			break;
	if (o != NULL) {
		open_unlink(u, o);
	} else {
		if ((o = calloc(1, sizeof *o)) == NULL)
			return hr_errorf(err, HR_E_BUSY, "server.memory",
			    "the server is short of memory; try again");
		o->id = id;
		o->hashed = -1;
		if (hr_store_partial_open(&u->store, id, received == 0, &o->fd,
		    err) < 0) {
			o->fd = -1;
			open_close(o);
			return err->code == HR_E_NOT_FOUND ? upload_lost(id, err) :
			    upload_store_err(err);
		}
		fresh = received == 0;          /* opened empty */
	}
	if (o->hashed != received && open_rebuild(o, received, fresh,
	    err) < 0) {
		open_close(o);
		return -1;
	}
	open_push(u, o);
	while (u->nopen > UPLOAD_OPEN_MAX) {   /* the least recently used */
		struct upload_open *last = u->open;

		while (last->next != NULL)
			last = last->next;
		open_unlink(u, last);
		open_close(last);
	}
	*out = o;
	return 0;
}

/* ---- the steps the methods share ---- */

int
upload_app_editable(struct srv_req *rq, int64_t id, struct db_app *a,
    struct hr_error *err)
{
	if (intake_app_load(rq, id, a, err) < 0)
		return -1;
	if (hr_workflow_can_edit(a->status, rq->sess->role))
		return 0;
	hr_errorf(err, HR_E_STATE, "upload.not_editable", "application "
	    "{reg_no} is {status}: scans are attached and detached only while "
	    "you can edit the application", HR_STR("reg_no", a->reg_no ?
	    a->reg_no : "(draft)"), HR_STR("status", hr_status_name(a->status)));
	db_app_free(a);
	return -1;
}

int
upload_load(struct srv_req *rq, int64_t id, struct db_upload *u,
    struct hr_error *err)
{
	int found = 0;

	if (db_upload_get(rq->db, id, u, &found, err) < 0)
		return -1;
	if (found && u->user_id == rq->sess->user_id)
		return 0;
	if (found)
		db_upload_free(u);
	return hr_errorf(err, HR_E_NOT_FOUND, "upload.not_found", "upload "
	    "{upload} not found (it ended, was cancelled, or is not yours)",
	    HR_INT("upload", id));
}

int
upload_run(struct srv_req *rq, int64_t id, upload_apply_fn *fn,
    struct hr_error *err)
{
	struct db_upload u;
	struct db_app a;
	int rc;

	if (upload_load(rq, id, &u, err) < 0)
		return -1;
	rc = upload_app_editable(rq, u.application_id, &a, err);
	if (rc == 0) {
		rc = fn(rq, &u, &a, err);
		db_app_free(&a);
	}
	db_upload_free(&u);
	return rc;
}

int
upload_app_room(struct srv_req *rq, int64_t app_id, int64_t size,
    int64_t except_upload, struct hr_error *err)
{
	int64_t attached = 0, pending = 0, max = rq->uploads->app_max;

	if (db_attachments_bytes(rq->db, app_id, &attached, err) < 0 ||
	    db_uploads_bytes(rq->db, app_id, except_upload, &pending, err) < 0)
		return -1;
	if (attached + pending + size <= max)
		return 0;
	return hr_errorf(err, HR_E_TOO_LARGE, "upload.application_max", "the "
	    "application's scans would take {total} bytes ({attached} attached, "
	    "{pending} on their way, {size} this file); the server keeps at most "
	    "{max} bytes of scans per application",
	    HR_INT("total", attached + pending + size),
	    HR_INT("attached", attached), HR_INT("pending", pending),
	    HR_INT("size", size), HR_INT("max", max));
}

int
upload_drop(struct srv_req *rq, int64_t id, struct hr_error *err)
{
	struct srv_uploads *u = rq->uploads;

	uploads_forget(u, id);
	hr_store_partial_remove(&u->store, id);
	return db_upload_delete(rq->db, id, err);
}

void
upload_pack_attachment(msgpack_packer *pk, const struct db_attachment *a)
{
	msgpack_pack_map(pk, 9);
	hr_pack_kv_int(pk, "id", a->id);
	hr_pack_kv_str(pk, "document", a->doc_code);
	hr_pack_kv_str(pk, "name", a->name);
	hr_pack_kv_str(pk, "type", a->type);
	hr_pack_kv_int(pk, "size", a->size);
	hr_pack_kv_bin(pk, "hash", a->hash, HR_FILE_HASH_LEN);
	hr_pack_kv_str(pk, "user", a->user);
	hr_pack_kv_str(pk, "full_name", a->full_name);
	hr_pack_kv_int(pk, "at", a->attached_at);
}

static int
attach_pack_cb(void *ud, const struct db_attachment *a)
{
	struct srv_req *rq = ud;

	hr_pack_str(rq->pk, "attachment");
	upload_pack_attachment(rq->pk, a);
	return 0;
}

int
upload_attach(struct srv_req *rq, const struct db_upload *up,
    const struct db_app *app, const struct db_file *f, struct hr_error *err)
{
	struct db_attachment a = { 0 };
	struct db_file got;
	char object[32], detail[512], hex[HR_FILE_HASH_HEX];
	int64_t id;
	int found = 0;

	if (f == NULL) {
		if (db_file_get(rq->db, up->hash, &got, &found, err) < 0)
			return -1;
		if (!found)
			return hr_error_set(err, HR_E_INTERNAL, "upload %" PRId64
			    ": its file is not recorded", up->id);
		f = &got;
	}
	a.application_id = up->application_id;
	a.doc_code = up->doc_code;
	a.name = up->name;
	a.type = f->type;
	a.size = f->size;
	a.user_id = rq->sess->user_id;
	a.attached_at = db_now();
	memcpy(a.hash, up->hash, sizeof a.hash);
	if (db_attachment_add(rq->db, &a, &id, err) < 0)
		return -1;
	/* Its partial file became the stored one when the caller has the
	 * file's row (upload.chunk); else it may be there still. */
	if (f == &got ? upload_drop(rq, up->id, err) < 0 :
	    db_upload_delete(rq->db, up->id, err) < 0)
		return -1;
	hr_filehash_hex(up->hash, hex);
	snprintf(object, sizeof object, "attachment:%" PRId64, id);
	snprintf(detail, sizeof detail, "application %s (id %" PRId64 "), %s, "
	    "%s %" PRId64 " bytes, blake2b %s", app->reg_no ? app->reg_no :
	    "(draft)", app->id, up->doc_code, f->type, f->size, hex);
	if (srv_audit(rq, "attachment.add", object, detail, err) < 0)
		return -1;
	return db_attachment_get(rq->db, id, attach_pack_cb, rq, &found, err);
}
