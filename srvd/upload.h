/*
 * upload.h — what the attachment methods share: the file store, the
 * limits, the uploads held open between chunks, and the steps every one of
 * them takes (method_upload_*.c, method_attachment_*.c).
 *
 * An upload in progress is a row (db/attachments.h) and a partial file
 * (db/filestore.h).  Between two chunks the server keeps, for the uploads
 * in use, the partial file open and a BLAKE2b state over the bytes
 * received so far, so that the whole file's hash is known the moment its
 * last byte arrives, without reading it again.  This state is a cache:
 * when it is missing (the server restarted, the upload was evicted) or
 * does not cover exactly the bytes the row says are received (a batch was
 * rolled back after the state moved on), it is rebuilt from the partial
 * file, which is first cut to the received length (a crash may have left
 * bytes after it that were never acknowledged).
 *
 * Every chunk's bytes are written before its row is updated, and the
 * partial file is fsync'd by the group commit before the row commits
 * (commit_sync): an acknowledged chunk is on disk.
 *
 * Loop thread only, except `store` and the limits, which a query thread
 * may use (attachment.read, reference.get) through rq->uploads: they do
 * not change after uploads_init.
 */
#ifndef SRV_UPLOAD_H
#define SRV_UPLOAD_H

#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

#include "db/applications.h"
#include "db/attachments.h"
#include "db/filestore.h"
#include "proto/error.h"
#include "srvd/method_table.h"

/* The longest chunk (upload.chunk data, attachment.read length). */
#define UPLOAD_CHUNK_MAX   (512u * 1024u)
/* Uploads kept open in memory at once (least recently used go first). */
#define UPLOAD_OPEN_MAX    64u
/* A file's name as the clerk's PC had it, in bytes. */
#define UPLOAD_NAME_MAX    255u

struct upload_open {
	int64_t                  id;
	int                      fd;          /* DIR/partial/<id> */
	int64_t                  hashed;      /* bytes `state` covers */
	crypto_generichash_state state;
	struct upload_open      *prev, *next; /* most recently used first */
};

struct srv_spares;

struct srv_uploads {
	struct hr_store     store;
	struct srv_spares  *spares;    /* whole scans' files (spares.h), or NULL */
	int64_t             file_max, app_max;   /* hromadad.conf */
	struct upload_open *open;
	size_t              nopen;
	int64_t             last_id;   /* the last upload id handed out */
};

/* Open (creating it) the store beside the database.  -1 with err. */
int  uploads_init(struct srv_uploads *u, const char *db_path,
    int64_t file_max, int64_t app_max, struct hr_error *err);
void uploads_free(struct srv_uploads *u);

/*
 * Upload `id`, with `received` bytes acknowledged, open and hashed up to
 * there (see above): its partial file is then exactly `received` bytes
 * long (a new one is opened empty, a cached one was left at its last
 * chunk's end, any other is cut).  HR_E_NOT_FOUND when its partial file is gone (the
 * upload must begin again), HR_E_IO otherwise.
 */
int  uploads_take(struct srv_uploads *u, int64_t id, int64_t received,
    struct upload_open **out, struct hr_error *err);

/*
 * A store failure as a client is told it: a full disk is HR_E_NO_SPACE
 * in words ("upload.no_space"), anything else HR_E_INTERNAL (the detail
 * goes to the log).  Returns -1.
 */
int  upload_store_err(struct hr_error *err);

/* Close and forget upload `id`'s open state (ended, cancelled, failed). */
void uploads_forget(struct srv_uploads *u, int64_t id);

/* ---- the steps the methods share ---- */

/*
 * Application `id` may get or lose attachments from this user now: it is
 * visible (else HR_E_NOT_FOUND as for one that does not exist) and the
 * user's role may edit it in its status (else HR_E_STATE naming it).
 * db_app_free `a` after success.
 */
int  upload_app_editable(struct srv_req *rq, int64_t id, struct db_app *a,
    struct hr_error *err);

/* Upload `id` of this user (another user's is not found either). */
int  upload_load(struct srv_req *rq, int64_t id, struct db_upload *u,
    struct hr_error *err);

/*
 * The steps of upload.chunk and upload.prove: upload `id` of this user
 * (upload_load), its application still editable by them
 * (upload_app_editable), then fn on both; everything freed after.
 */
typedef int upload_apply_fn(struct srv_req *rq, struct db_upload *u,
    const struct db_app *a, struct hr_error *err);
int  upload_run(struct srv_req *rq, int64_t id, upload_apply_fn *fn,
    struct hr_error *err);

/* Would `size` more bytes keep application `app_id` within app_max
 * (attached files and the other open uploads counted)?  HR_E_TOO_LARGE. */
int  upload_app_room(struct srv_req *rq, int64_t app_id, int64_t size,
    int64_t except_upload, struct hr_error *err);

/* Drop an upload: its row, its partial file, its open state. */
int  upload_drop(struct srv_req *rq, int64_t id, struct hr_error *err);

/*
 * The upload's file is recorded in `files` (received whole, or proven):
 * `f` its row when the caller has just published the upload's partial
 * file as it (upload.chunk: the partial is gone), else NULL (read here;
 * a partial file is removed).  Attach it
 * (history, audit "attachment.add"), end the upload, and pack
 * "attachment": the attachment map into rq->pk (the caller packed the
 * map header with room for it).
 */
int  upload_attach(struct srv_req *rq, const struct db_upload *up,
    const struct db_app *app, const struct db_file *f, struct hr_error *err);

/* The attachment map of PROTOCOL.md (application.get, upload.*). */
void upload_pack_attachment(msgpack_packer *pk, const struct db_attachment *a);

#endif
