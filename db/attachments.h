/*
 * attachments.h — the rows of the scans: uploads on their way, files the
 * store holds, and which application has which file as which document
 * (migration 014).  The bytes are in the file store (filestore.h); what
 * order the two are written in is said there.
 *
 * The package follows the attachments by itself: triggers keep
 * application_documents and applications.package_full up to date on
 * every insert and delete here, whoever writes.
 *
 * Every function runs in the caller's transaction (the server's group
 * commit, or hromadactl's own).  Hashes are HR_FILE_HASH_LEN bytes.
 */
#ifndef HR_DB_ATTACHMENTS_H
#define HR_DB_ATTACHMENTS_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "proto/filehash.h"

/* ---- uploads ---- */

struct db_upload {
	int64_t     id, user_id, application_id;
	int64_t     size, received, created_at, updated_at;
	char        doc_code[64], type[8];  /* type "" until the first chunk */
	char       *name;                   /* owned (db_upload_free) */
	uint8_t     hash[HR_FILE_HASH_LEN];
	uint8_t     challenge[HR_FILE_HASH_LEN];
	int         has_challenge;
};
void db_upload_free(struct db_upload *u);

/* Upload `id` into *u (*found 0 when there is none). */
int db_upload_get(struct hr_db *db, int64_t id, struct db_upload *u,
    int *found, struct hr_error *err);

/* The open upload of (user, application, document, content), if any. */
int db_upload_find(struct hr_db *db, int64_t user_id, int64_t app_id,
    const char *doc_code, const uint8_t hash[HR_FILE_HASH_LEN],
    struct db_upload *u, int *found, struct hr_error *err);

/*
 * A new upload (received 0): u's user, application, document, name, hash,
 * size; *id its id, above `after` and above every id the table ever had.
 * The server passes the last id it handed out: a reply that names an
 * upload before its commit (upload.begin) must never name another one
 * after that commit failed (a rolled-back insert would free its id).
 */
int db_upload_add(struct hr_db *db, const struct db_upload *u, int64_t now,
    int64_t after, int64_t *id, struct hr_error *err);

/* After a chunk: received, the type once known (NULL keeps it). */
int db_upload_progress(struct hr_db *db, int64_t id, int64_t received,
    const char *type, int64_t now, struct hr_error *err);

/* Set (or clear, NULL) the challenge of a proof of possession. */
int db_upload_challenge(struct hr_db *db, int64_t id,
    const uint8_t challenge[HR_FILE_HASH_LEN], struct hr_error *err);

int db_upload_delete(struct hr_db *db, int64_t id, struct hr_error *err);

/* Bytes the open uploads of an application will add (sizes). */
int db_uploads_bytes(struct hr_db *db, int64_t app_id, int64_t except_id,
    int64_t *bytes, struct hr_error *err);

/* Is an upload of this content open (gc must keep the file)? */
int db_upload_hash_open(struct hr_db *db, const uint8_t hash[HR_FILE_HASH_LEN],
    int *open, struct hr_error *err);

/* Uploads with no progress since before `before`, oldest first. */
typedef int db_upload_fn(void *ud, const struct db_upload *u);
int db_uploads_stale_each(struct hr_db *db, int64_t before, db_upload_fn *fn,
    void *ud, struct hr_error *err);

/* Is there an upload with this id at all (for gc's partial files)? */
int db_upload_exists(struct hr_db *db, int64_t id, int *exists,
    struct hr_error *err);

/* ---- files ---- */

struct db_file {
	uint8_t hash[HR_FILE_HASH_LEN];
	int64_t size, stored_at;
	char    type[8];
};

/* The stored content `hash` (*found 0: the store does not hold it). */
int db_file_get(struct hr_db *db, const uint8_t hash[HR_FILE_HASH_LEN],
    struct db_file *f, int *found, struct hr_error *err);

/* Record a content the store holds now (no-op when recorded already). */
int db_file_add(struct hr_db *db, const struct db_file *f,
    struct hr_error *err);

int db_file_delete(struct hr_db *db, const uint8_t hash[HR_FILE_HASH_LEN],
    struct hr_error *err);

typedef int db_file_fn(void *ud, const struct db_file *f);
/* Every recorded file, by hash. */
int db_files_each(struct hr_db *db, db_file_fn *fn, void *ud,
    struct hr_error *err);
/* Recorded files no attachment references and no open upload is
 * bringing (gc may remove them). */
int db_files_unreferenced_each(struct hr_db *db, db_file_fn *fn, void *ud,
    struct hr_error *err);

/* Where a content is attached, for a person to read: "00039/2026 id_doc,
 * 00041/2026 passport" (cut to fit cap; "" when nowhere). */
int db_file_uses(struct hr_db *db, const uint8_t hash[HR_FILE_HASH_LEN],
    char *out, size_t cap, struct hr_error *err);

/* ---- attachments ---- */

struct db_attachment {
	int64_t     id, application_id, user_id, attached_at, size;
	const char *doc_code, *name, *type;
	const char *user, *full_name;       /* reads only */
	uint8_t     hash[HR_FILE_HASH_LEN];
};

/*
 * Attach a recorded file to an application as `doc_code`, with a history
 * row (event "attach", from = to = the application's status).  *id the
 * new attachment's id.  HR_E_DUPLICATE when this content is attached as
 * this document already.
 */
int db_attachment_add(struct hr_db *db, const struct db_attachment *a,
    int64_t *id, struct hr_error *err);

/*
 * Remove attachment `id` of application `app_id` with a history row
 * (event "detach") by `user_id`.  HR_E_NOT_FOUND when there is none.
 * The file stays in the store until gc.
 */
int db_attachment_delete(struct hr_db *db, int64_t id, int64_t app_id,
    int64_t user_id, struct hr_error *err);

typedef int db_attachment_fn(void *ud, const struct db_attachment *a);

/* Attachment `id` (strings valid during fn only); *found. */
int db_attachment_get(struct hr_db *db, int64_t id, db_attachment_fn *fn,
    void *ud, int *found, struct hr_error *err);

/* An application's attachments: its service's documents in the service's
 * order first, then the others by code; pages in the order attached. */
int db_attachments_each(struct hr_db *db, int64_t app_id,
    db_attachment_fn *fn, void *ud, struct hr_error *err);

/* Bytes attached to an application (a content counted once per page). */
int db_attachments_bytes(struct hr_db *db, int64_t app_id, int64_t *bytes,
    struct hr_error *err);

/* Is `hash` attached to `app_id` as `doc_code`? */
int db_attachment_exists(struct hr_db *db, int64_t app_id,
    const char *doc_code, const uint8_t hash[HR_FILE_HASH_LEN], int *found,
    struct hr_error *err);

/* Is the application's package full (its package_full column)? */
int db_app_package_full(struct hr_db *db, int64_t app_id, int *full,
    struct hr_error *err);

/*
 * Recompute package_full of every application from its attachments and
 * its service's documents (after the reference data changed).  *changed
 * gets the number of applications whose package changed.
 */
int db_packages_refresh(struct hr_db *db, int64_t *changed,
    struct hr_error *err);

#endif
