/*
 * method_upload_begin.c — `upload.begin`: announce a scan to attach to an
 * application as a document: its name, size and BLAKE2b-256 hash.
 *
 *   application visible and editable by this user (else NOT_FOUND/STATE)
 *   -> document type known, name printable -> size within the per-file
 *   limit -> not attached as this document already -> the application's
 *   scans within their limit -> the open upload of the same (user,
 *   application, document, content), resumed; or a new one
 *
 * The reply says how many bytes the server holds already (0 for a new
 * upload): the client sends the rest with upload.chunk.  When the store
 * holds this content already (another application's scan, an earlier
 * attempt), no byte is sent again: the reply carries a challenge and the
 * client proves it has the file with upload.prove.  Nothing about other
 * applications is revealed: the proof needs the bytes.  A whole file the
 * store holds without a row (a crash before its commit) is recorded and
 * proved the same way.
 */
#include "srvd/method_table.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "db/attachments.h"
#include "db/filestore.h"
#include "db/reference.h"
#include "proto/filetype.h"
#include "proto/mpread.h"
#include "proto/rpc.h"
#include "srvd/log.h"
#include "srvd/session.h"
#include "srvd/upload.h"

enum { P_APPLICATION, P_DOCUMENT, P_NAME, P_SIZE, P_HASH, P__COUNT };

static const struct hr_field fields[P__COUNT] = {
	[P_APPLICATION] = { "application", HR_F_INT, HR_F_REQUIRED, 1, INT64_MAX },
	[P_DOCUMENT]    = { "document",    HR_F_STR, HR_F_REQUIRED, 0, 32 },
	[P_NAME]        = { "name",        HR_F_STR, HR_F_REQUIRED, 0, UPLOAD_NAME_MAX },
	[P_SIZE]        = { "size",        HR_F_INT, HR_F_REQUIRED, 1, INT64_C(1) << 40 },
	[P_HASH]        = { "hash",        HR_F_BIN, HR_F_REQUIRED, 0, HR_FILE_HASH_LEN },
};
const struct hr_schema method_upload_begin_params = { fields, P__COUNT, 0 };

/* A file's name as people will see it in the case: no path, nothing that
 * moves a terminal's cursor. */
static int
name_check(const msgpack_object *v, struct hr_error *err)
{
	const unsigned char *p = (const unsigned char *)v->via.str.ptr;
	uint32_t n = v->via.str.size;

	if (n == 0)
		return hr_errorf(err, HR_E_INVALID, "field.required",
		    "is required"), hr_error_at(err, "name");
	for (uint32_t i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] == 0x7f || p[i] == '/' || p[i] == '\\')
			return hr_errorf(err, HR_E_INVALID, "upload.name", "the "
			    "file's name without its directory and without "
			    "control characters"), hr_error_at(err, "name");
	return 0;
}

static int
begin_checks(struct srv_req *rq, const struct db_app *a, const char *doc,
    const uint8_t *hash, int64_t size, struct hr_error *err)
{
	int rc, found = 0;

	if ((rc = db_doctype_exists(rq->db, doc, err)) < 0)
		return -1;
	if (rc == 0)
		return hr_errorf(err, HR_E_INVALID, "upload.document",
		    "unknown document type \"{value}\"", HR_STR("value", doc)),
		    hr_error_at(err, "document");
	if (name_check(rq->vals[P_NAME], err) < 0)
		return -1;
	if (size > rq->uploads->file_max)
		return hr_errorf(err, HR_E_TOO_LARGE, "upload.file_max", "the "
		    "file is {size} bytes; the server accepts at most {max} "
		    "bytes per file", HR_INT("size", size),
		    HR_INT("max", rq->uploads->file_max));
	if (db_attachment_exists(rq->db, a->id, doc, hash, &found, err) < 0)
		return -1;
	if (found)
		return hr_errorf(err, HR_E_DUPLICATE, "upload.attached",
		    "this file is attached to application {reg_no} as {doc} "
		    "already", HR_STR("reg_no", a->reg_no ? a->reg_no : "(draft)"),
		    HR_STR("doc", doc));
	return 0;
}

/* The open upload of this content, or a new one: *u filled either way. */
static int
begin_upload(struct srv_req *rq, const struct db_app *a, const char *doc,
    const uint8_t *hash, int64_t size, struct db_upload *u,
    struct hr_error *err)
{
	int found = 0;

	if (db_upload_find(rq->db, rq->sess->user_id, a->id, doc, hash, u,
	    &found, err) < 0)
		return -1;
	if (found && u->size != size) {   /* the same hash, another size? */
		db_upload_free(u);
		return hr_errorf(err, HR_E_INVALID, "upload.size", "an open "
		    "upload of this content says {size} bytes",
		    HR_INT("size", u->size)), hr_error_at(err, "size");
	}
	if (upload_app_room(rq, a->id, size, found ? u->id : 0, err) < 0) {
		if (found)
			db_upload_free(u);
		return -1;
	}
	if (found)
		return 0;
	memset(u, 0, sizeof *u);
	u->user_id = rq->sess->user_id;
	u->application_id = a->id;
	snprintf(u->doc_code, sizeof u->doc_code, "%s", doc);
	u->name = hr_val_strdup(rq->vals[P_NAME]);
	memcpy(u->hash, hash, HR_FILE_HASH_LEN);
	u->size = size;
	if (u->name == NULL)
		return hr_errorf(err, HR_E_BUSY, "server.memory",
		    "the server is short of memory; try again");
	if (db_upload_add(rq->db, u, db_now(), rq->uploads->last_id, &u->id,
	    err) < 0) {
		db_upload_free(u);
		return -1;
	}
	rq->uploads->last_id = u->id;  /* never again, commit or not */
	return 0;
}

/*
 * A file in the store that no row records: a crash between a finished
 * upload's rename into place and the commit that records it (or a gc
 * that could not commit).  Whole — its content has its name and the size
 * begin gave — it is recorded now, and the upload ends with a proof
 * instead of sending the rest again.  *found 1 then.
 */
static int
begin_adopt(struct srv_req *rq, const struct db_upload *u, int *found,
    struct hr_error *err)
{
	struct hr_store *st = &rq->uploads->store;
	struct db_file f = { .size = u->size, .stored_at = db_now() };
	uint8_t head[HR_FILETYPE_HEAD];
	uint64_t size = 0;
	const char *type;
	ssize_t n;
	int fd, ok = 0;

	*found = 0;
	if (!hr_store_has(st, u->hash, &size) || size != (uint64_t)u->size)
		return 0;
	if (hr_store_rehash(st, u->hash, &ok, &size, err) < 0 || !ok)
		return 0;                  /* gone or damaged: sent anew */
	if (hr_store_open_file(st, u->hash, &fd, &size, err) < 0)
		return 0;
	n = pread(fd, head, sizeof head, 0);
	close(fd);
	type = n > 0 ? hr_filetype_name(hr_filetype_sniff(head,
	    (size_t)n)) : NULL;
	if (type == NULL)
		return 0;
	memcpy(f.hash, u->hash, sizeof f.hash);
	snprintf(f.type, sizeof f.type, "%s", type);
	if (db_file_add(rq->db, &f, err) < 0)
		return -1;
	log_info("upload %" PRId64 ": a stored file without its row "
	    "recorded (a crash before its commit)", u->id);
	*found = 1;
	return 0;
}

/* The store has this content: challenge the client for a proof. */
static int
begin_challenge(struct srv_req *rq, struct db_upload *u, int *challenged,
    struct hr_error *err)
{
	struct db_file f;
	int found = 0;

	*challenged = 0;
	if (db_file_get(rq->db, u->hash, &f, &found, err) < 0)
		return -1;
	if (!found && begin_adopt(rq, u, &found, err) < 0)
		return -1;
	if (!found || !hr_store_has(&rq->uploads->store, u->hash, NULL))
		return 0;
	randombytes_buf(u->challenge, sizeof u->challenge);
	if (db_upload_challenge(rq->db, u->id, u->challenge, err) < 0)
		return -1;
	*challenged = 1;
	return 0;
}

int
method_upload_begin(struct srv_req *rq, struct hr_error *err)
{
	const msgpack_object *h = rq->vals[P_HASH];
	int64_t size = hr_val_int(rq->vals[P_SIZE], 0);
	char doc[40];
	struct db_upload u;
	struct db_app a;
	int challenged = 0, rc;

	if (h->via.bin.size != HR_FILE_HASH_LEN)
		return hr_errorf(err, HR_E_PARAMS, "upload.hash_size",
		    "must be {size} bytes", HR_INT("size", HR_FILE_HASH_LEN)),
		    hr_error_at(err, "hash");
	snprintf(doc, sizeof doc, "%.*s", (int)rq->vals[P_DOCUMENT]->via.str.size,
	    rq->vals[P_DOCUMENT]->via.str.ptr);
	if (upload_app_editable(rq, hr_val_int(rq->vals[P_APPLICATION], 0), &a,
	    err) < 0)
		return -1;
	rc = begin_checks(rq, &a, doc, (const uint8_t *)h->via.bin.ptr, size,
	    err);
	if (rc == 0)
		rc = begin_upload(rq, &a, doc, (const uint8_t *)h->via.bin.ptr,
		    size, &u, err);
	db_app_free(&a);
	if (rc < 0)
		return -1;
	if (begin_challenge(rq, &u, &challenged, err) < 0) {
		db_upload_free(&u);
		return -1;
	}
	msgpack_pack_map(rq->pk, 3 + challenged);
	hr_pack_kv_int(rq->pk, "upload", u.id);
	hr_pack_kv_int(rq->pk, "offset", challenged ? u.size : u.received);
	hr_pack_kv_int(rq->pk, "chunk_max", UPLOAD_CHUNK_MAX);
	if (challenged)
		hr_pack_kv_bin(rq->pk, "challenge", u.challenge,
		    sizeof u.challenge);
	db_upload_free(&u);
	return 0;
}
