/*
 * attachments.c — uploads, files and attachments rows (attachments.h).
 *
 * History rows of attach and detach carry event_detail
 * "DOC|SIZE|TYPE|NAME" (the name last: it may hold anything);
 * db/applications.c hands the detail to readers as it is and
 * srvd/method_application_get.c unpacks it for the wire.
 *
 * Alike on purpose: upload_read reads a row into its struct column by
 * column, as every row reader in db/ does (db/terminals.c's
 * term_from_row): each is the map of its own table's columns.
 */
#include "db/attachments.h"
#include "db/applications.h"
#include "db/batch_summaries.h"
#include "db/db_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HASH_LEN ((size_t)HR_FILE_HASH_LEN)

static void
col_copy(sqlite3_stmt *st, int col, char *out, size_t cap)
{
	const char *s = (const char *)sqlite3_column_text(st, col);

	snprintf(out, cap, "%s", s ? s : "");
}

static void
col_hash(sqlite3_stmt *st, int col, uint8_t out[HR_FILE_HASH_LEN], int *has)
{
	const void *b = sqlite3_column_blob(st, col);
	int ok = b != NULL && sqlite3_column_bytes(st, col) == (int)HASH_LEN;

	if (ok)
		memcpy(out, b, HASH_LEN);
	else
		memset(out, 0, HASH_LEN);
	if (has != NULL)
		*has = ok;
}

/* ---- uploads ---------------------------------------------------------- */

#define UPLOAD_COLS "id, user_id, application_id, doc_code, name, hash, " \
	"size, type, received, challenge, created_at, updated_at"

void
db_upload_free(struct db_upload *u)
{
	if (u == NULL)
		return;
	free(u->name);
	u->name = NULL;
}

static int
upload_read(sqlite3_stmt *st, struct db_upload *u, struct hr_error *err)
{
	memset(u, 0, sizeof *u);
	u->id = sqlite3_column_int64(st, 0);
	u->user_id = sqlite3_column_int64(st, 1);
	u->application_id = sqlite3_column_int64(st, 2);
	col_copy(st, 3, u->doc_code, sizeof u->doc_code);
	col_hash(st, 5, u->hash, NULL);
	u->size = sqlite3_column_int64(st, 6);
	col_copy(st, 7, u->type, sizeof u->type);
	u->received = sqlite3_column_int64(st, 8);
	col_hash(st, 9, u->challenge, &u->has_challenge);
	u->created_at = sqlite3_column_int64(st, 10);
	u->updated_at = sqlite3_column_int64(st, 11);
	return db_col_dup(st, 4, &u->name, err);
}

/* One upload row from a prepared, bound statement. */
static int
upload_one(struct hr_db *db, sqlite3_stmt *st, struct db_upload *u,
    int *found, struct hr_error *err)
{
	int rc = db_step_row(db, st, "read an upload", err);

	*found = 0;
	if (rc <= 0)
		return rc;
	rc = upload_read(st, u, err);
	(void)sqlite3_reset(st);
	if (rc < 0)
		return -1;
	*found = 1;
	return 0;
}

int
db_upload_get(struct hr_db *db, int64_t id, struct db_upload *u, int *found,
    struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " UPLOAD_COLS " FROM uploads "
	    "WHERE id = ?", err);

	if (st == NULL || db_bindf(db, st, "read an upload", err, "i", id) < 0)
		return -1;
	return upload_one(db, st, u, found, err);
}

int
db_upload_find(struct hr_db *db, int64_t user_id, int64_t app_id,
    const char *doc_code, const uint8_t hash[HR_FILE_HASH_LEN],
    struct db_upload *u, int *found, struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " UPLOAD_COLS " FROM uploads "
	    "WHERE user_id = ? AND application_id = ? AND doc_code = ? AND "
	    "hash = ?", err);

	if (st == NULL || db_bindf(db, st, "find an upload", err, "iitb",
	    user_id, app_id, doc_code, hash, HASH_LEN) < 0)
		return -1;
	return upload_one(db, st, u, found, err);
}

int
db_upload_add(struct hr_db *db, const struct db_upload *u, int64_t now,
    int64_t after, int64_t *id, struct hr_error *err)
{
	/* AUTOINCREMENT's counter (sqlite_sequence) never goes back within
	 * committed history; `after` covers what was rolled back. */
	if (db_run(db, "INSERT INTO uploads (id, user_id, application_id, "
	    "doc_code, name, hash, size, received, created_at, updated_at) "
	    "VALUES (max(?, coalesce((SELECT seq FROM sqlite_sequence WHERE "
	    "name = 'uploads'), 0)) + 1, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
	    "begin an upload", err,
	    "iiittbiii", after, u->user_id, u->application_id, u->doc_code,
	    u->name, u->hash, HASH_LEN, u->size, now, now) < 0)
		return -1;
	*id = sqlite3_last_insert_rowid(db->sql);
	return 0;
}

int
db_upload_progress(struct hr_db *db, int64_t id, int64_t received,
    const char *type, int64_t now, struct hr_error *err)
{
	return db_run(db, "UPDATE uploads SET received = ?, type = coalesce(?, "
	    "type), updated_at = ? WHERE id = ?", "record an upload's progress",
	    err, "itii", received, type, now, id);
}

int
db_upload_challenge(struct hr_db *db, int64_t id,
    const uint8_t challenge[HR_FILE_HASH_LEN], struct hr_error *err)
{
	return db_run(db, "UPDATE uploads SET challenge = ? WHERE id = ?",
	    "record a challenge", err, "bi", challenge, challenge ? HASH_LEN :
	    (size_t)0, id);
}

int
db_upload_delete(struct hr_db *db, int64_t id, struct hr_error *err)
{
	return db_run(db, "DELETE FROM uploads WHERE id = ?", "end an upload",
	    err, "i", id);
}

int
db_uploads_bytes(struct hr_db *db, int64_t app_id, int64_t except_id,
    int64_t *bytes, struct hr_error *err)
{
	return db_int(db, "SELECT coalesce(sum(size), 0) FROM uploads WHERE "
	    "application_id = ? AND id != ?", "sum uploads", bytes, err, "ii",
	    app_id, except_id);
}

int
db_upload_hash_open(struct hr_db *db, const uint8_t hash[HR_FILE_HASH_LEN],
    int *open, struct hr_error *err)
{
	int64_t n = 0;

	if (db_int(db, "SELECT EXISTS (SELECT 1 FROM uploads WHERE hash = ?)",
	    "look for an open upload", &n, err, "b", hash, HASH_LEN) < 0)
		return -1;
	*open = n != 0;
	return 0;
}

int
db_upload_exists(struct hr_db *db, int64_t id, int *exists,
    struct hr_error *err)
{
	int64_t n = 0;

	if (db_int(db, "SELECT EXISTS (SELECT 1 FROM uploads WHERE id = ?)",
	    "look for an upload", &n, err, "i", id) < 0)
		return -1;
	*exists = n != 0;
	return 0;
}

int
db_uploads_stale_each(struct hr_db *db, int64_t before, db_upload_fn *fn,
    void *ud, struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " UPLOAD_COLS " FROM uploads "
	    "WHERE updated_at < ? ORDER BY updated_at", err);
	struct db_upload u;
	int rc;

	if (st == NULL || db_bindf(db, st, "read stale uploads", err, "i",
	    before) < 0)
		return -1;
	while ((rc = db_step_row(db, st, "read stale uploads", err)) == 1) {
		int stop;

		if (upload_read(st, &u, err) < 0) {
			(void)sqlite3_reset(st);
			return -1;
		}
		stop = fn(ud, &u);
		db_upload_free(&u);
		if (stop) {
			(void)sqlite3_reset(st);
			return hr_error_set(err, HR_E_INTERNAL, "reading uploads "
			    "stopped");
		}
	}
	return rc;
}

/* ---- files ------------------------------------------------------------ */

static void
file_read(sqlite3_stmt *st, struct db_file *f)
{
	col_hash(st, 0, f->hash, NULL);
	f->size = sqlite3_column_int64(st, 1);
	col_copy(st, 2, f->type, sizeof f->type);
	f->stored_at = sqlite3_column_int64(st, 3);
}

int
db_file_get(struct hr_db *db, const uint8_t hash[HR_FILE_HASH_LEN],
    struct db_file *f, int *found, struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT hash, size, type, stored_at "
	    "FROM files WHERE hash = ?", err);
	int rc;

	*found = 0;
	if (st == NULL || db_bindf(db, st, "read a file", err, "b", hash,
	    HASH_LEN) < 0 || (rc = db_step_row(db, st, "read a file", err)) < 0)
		return -1;
	if (rc == 1) {
		file_read(st, f);
		*found = 1;
		(void)sqlite3_reset(st);
	}
	return 0;
}

int
db_file_add(struct hr_db *db, const struct db_file *f, struct hr_error *err)
{
	return db_run(db, "INSERT OR IGNORE INTO files (hash, size, type, "
	    "stored_at) VALUES (?, ?, ?, ?)", "record a stored file", err,
	    "biti", f->hash, HASH_LEN, f->size, f->type, f->stored_at);
}

int
db_file_delete(struct hr_db *db, const uint8_t hash[HR_FILE_HASH_LEN],
    struct hr_error *err)
{
	return db_run(db, "DELETE FROM files WHERE hash = ?", "forget a stored "
	    "file", err, "b", hash, HASH_LEN);
}

static int
files_walk(struct hr_db *db, const char *sql, db_file_fn *fn, void *ud,
    struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, sql, err);
	struct db_file f;
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = db_step_row(db, st, "read stored files", err)) == 1) {
		file_read(st, &f);
		if (fn(ud, &f) != 0) {
			(void)sqlite3_reset(st);
			return hr_error_set(err, HR_E_INTERNAL, "reading stored "
			    "files stopped");
		}
	}
	return rc;
}

int
db_files_each(struct hr_db *db, db_file_fn *fn, void *ud, struct hr_error *err)
{
	return files_walk(db, "SELECT hash, size, type, stored_at FROM files "
	    "ORDER BY hash", fn, ud, err);
}

int
db_files_unreferenced_each(struct hr_db *db, db_file_fn *fn, void *ud,
    struct hr_error *err)
{
	return files_walk(db, "SELECT hash, size, type, stored_at FROM files f "
	    "WHERE NOT EXISTS (SELECT 1 FROM attachments a WHERE a.file_hash = "
	    "f.hash) AND NOT EXISTS (SELECT 1 FROM uploads u WHERE u.hash = "
	    "f.hash) ORDER BY hash", fn, ud, err);
}

int
db_file_uses(struct hr_db *db, const uint8_t hash[HR_FILE_HASH_LEN],
    char *out, size_t cap, struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT group_concat(coalesce("
	    "a.reg_no, '#' || a.id) || ' ' || t.doc_code, ', ') FROM "
	    "attachments t JOIN applications a ON a.id = t.application_id "
	    "WHERE t.file_hash = ?", err);
	int rc;

	if (cap > 0)
		out[0] = '\0';
	if (st == NULL || db_bindf(db, st, "read where a file is attached",
	    err, "b", hash, HASH_LEN) < 0 || (rc = db_step_row(db, st,
	    "read where a file is attached", err)) < 0)
		return -1;
	if (rc == 1) {
		col_copy(st, 0, out, cap);
		(void)sqlite3_reset(st);
	}
	return 0;
}

/* ---- attachments ------------------------------------------------------ */

/* "DOC|SIZE|TYPE|NAME" of a history row. */
static char *
event_detail(const char *doc, int64_t size, const char *type, const char *name)
{
	size_t n = strlen(doc) + strlen(type) + strlen(name) + 32;
	char *s = malloc(n);

	if (s != NULL)
		snprintf(s, n, "%s|%lld|%s|%s", doc, (long long)size, type, name);
	return s;
}

/* The document types the application's scans cover, "a, b, c" by code
 * (application_documents, kept by the triggers); "" when none. */
static int
doc_codes(struct hr_db *db, int64_t app_id, char *out, size_t cap,
    struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT group_concat(doc_code, ', ') "
	    "FROM (SELECT doc_code FROM application_documents WHERE "
	    "application_id = ? ORDER BY doc_code)", err);
	int rc;

	out[0] = '\0';
	if (st == NULL || db_bindf(db, st, "read the documents", err, "i",
	    app_id) < 0 || (rc = db_step_row(db, st, "read the documents",
	    err)) < 0)
		return -1;
	if (rc == 1) {
		col_copy(st, 0, out, cap);
		(void)sqlite3_reset(st);
	}
	return 0;
}

/* After an attach or detach: when the document types covered changed,
 * the change `documents` under its history row (db_app_note_changes, as
 * an edit notes what it changed). */
static int
note_documents(struct hr_db *db, int64_t app_id, const char *before,
    struct hr_error *err)
{
	char after[2048];
	struct db_change c = { "documents", before[0] ? before : NULL, NULL };

	if (doc_codes(db, app_id, after, sizeof after, err) < 0)
		return -1;
	if (strcmp(before, after) == 0)
		return 0;
	c.new = after[0] ? after : NULL;
	return db_app_note_changes(db, app_id, &c, 1, err);
}

/* Is `code` one of the "a, b, c" list of doc_codes? */
static int
codes_has(const char *list, const char *code)
{
	size_t n = strlen(code);

	for (const char *p = list; *p != '\0'; ) {
		const char *end = strstr(p, ", ");
		size_t len = end != NULL ? (size_t)(end - p) : strlen(p);

		if (len == n && memcmp(p, code, n) == 0)
			return 1;
		if (end == NULL)
			break;
		p = end + 2;
	}
	return 0;
}

/* A history row of `event` at the application's current status. */
static int
attach_history(struct hr_db *db, int64_t app_id, int64_t user_id, int64_t at,
    const char *event, const char *detail, struct hr_error *err)
{
	if (db_run(db, "INSERT INTO application_history (application_id, at, "
	    "user_id, from_status, to_status, event, event_detail) SELECT id, "
	    "?, ?, status, status, ?, ? FROM applications WHERE id = ?",
	    "record application history", err, "iitti", at, user_id, event,
	    detail, app_id) < 0)
		return -1;
	if (sqlite3_changes(db->sql) == 0)
		return hr_error_set(err, HR_E_INTERNAL, "application %lld not "
		    "found for its history", (long long)app_id);
	return db_run(db, "UPDATE applications SET updated_at = max(updated_at, "
	    "?) WHERE id = ?", "touch an application", err, "ii", at, app_id);
}

int
db_attachment_add(struct hr_db *db, const struct db_attachment *a,
    int64_t *id, struct hr_error *err)
{
	int64_t at = a->attached_at ? a->attached_at : db_now();
	char *detail, before[2048];
	int rc;

	/* the package its held rows count may change (batch_summaries.h) */
	if (db_batch_summaries_touch(db, a->application_id, err) < 0 ||
	    doc_codes(db, a->application_id, before, sizeof before, err) < 0)
		return -1;
	if (db_run(db, "INSERT INTO attachments (application_id, doc_code, "
	    "file_hash, name, user_id, attached_at) VALUES (?, ?, ?, ?, ?, ?)",
	    "attach a file", err, "itbtii", a->application_id, a->doc_code,
	    a->hash, HASH_LEN, a->name, a->user_id, at) < 0) {
		if (err->code == HR_E_DUPLICATE)
			hr_errorf(err, HR_E_DUPLICATE, "attachment.duplicate",
			    "this file is attached to the application as {doc} "
			    "already", HR_STR("doc", a->doc_code));
		return -1;
	}
	*id = sqlite3_last_insert_rowid(db->sql);
	if ((detail = event_detail(a->doc_code, a->size, a->type ? a->type : "",
	    a->name)) == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	rc = attach_history(db, a->application_id, a->user_id, at, "attach",
	    detail, err);
	free(detail);
	/* Another page of a document type already covered changes nothing. */
	if (rc == 0 && !codes_has(before, a->doc_code))
		rc = note_documents(db, a->application_id, before, err);
	return rc;
}

#define ATTACH_SELECT "SELECT t.id, t.application_id, t.doc_code, " \
	"t.file_hash, t.name, t.user_id, t.attached_at, f.size, f.type, " \
	"u.name, u.full_name FROM attachments t JOIN files f ON f.hash = " \
	"t.file_hash JOIN users u ON u.id = t.user_id "

static void
attach_read(sqlite3_stmt *st, struct db_attachment *a)
{
	memset(a, 0, sizeof *a);
	a->id = sqlite3_column_int64(st, 0);
	a->application_id = sqlite3_column_int64(st, 1);
	a->doc_code = (const char *)sqlite3_column_text(st, 2);
	col_hash(st, 3, a->hash, NULL);
	a->name = (const char *)sqlite3_column_text(st, 4);
	a->user_id = sqlite3_column_int64(st, 5);
	a->attached_at = sqlite3_column_int64(st, 6);
	a->size = sqlite3_column_int64(st, 7);
	a->type = (const char *)sqlite3_column_text(st, 8);
	a->user = (const char *)sqlite3_column_text(st, 9);
	a->full_name = (const char *)sqlite3_column_text(st, 10);
}

static int
attach_walk(struct hr_db *db, sqlite3_stmt *st, db_attachment_fn *fn,
    void *ud, int *found, struct hr_error *err)
{
	struct db_attachment a;
	int rc;

	if (found != NULL)
		*found = 0;
	while ((rc = db_step_row(db, st, "read attachments", err)) == 1) {
		attach_read(st, &a);
		if (found != NULL)
			*found = 1;
		if (fn(ud, &a) != 0) {
			(void)sqlite3_reset(st);
			return hr_error_set(err, HR_E_INTERNAL, "reading "
			    "attachments stopped");
		}
	}
	return rc;
}

int
db_attachment_get(struct hr_db *db, int64_t id, db_attachment_fn *fn,
    void *ud, int *found, struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, ATTACH_SELECT "WHERE t.id = ?", err);

	if (st == NULL || db_bindf(db, st, "read an attachment", err, "i",
	    id) < 0)
		return -1;
	return attach_walk(db, st, fn, ud, found, err);
}

int
db_attachments_each(struct hr_db *db, int64_t app_id, db_attachment_fn *fn,
    void *ud, struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, ATTACH_SELECT "JOIN applications a ON "
	    "a.id = t.application_id LEFT JOIN service_documents sd ON "
	    "sd.service_code = a.service_code AND sd.doc_code = t.doc_code "
	    "WHERE t.application_id = ? ORDER BY sd.ordinal IS NULL, "
	    "sd.ordinal, t.doc_code, t.id", err);

	if (st == NULL || db_bindf(db, st, "read attachments", err, "i",
	    app_id) < 0)
		return -1;
	return attach_walk(db, st, fn, ud, NULL, err);
}

struct attach_del {
	char   *detail;
	int64_t app_id;
};

static int
attach_del_cb(void *ud, const struct db_attachment *a)
{
	struct attach_del *d = ud;

	d->app_id = a->application_id;
	d->detail = event_detail(a->doc_code, a->size, a->type ? a->type : "",
	    a->name ? a->name : "");
	return 0;
}

int
db_attachment_delete(struct hr_db *db, int64_t id, int64_t app_id,
    int64_t user_id, struct hr_error *err)
{
	struct attach_del d = { NULL, 0 };
	char before[2048];
	int found = 0, rc;

	if (db_attachment_get(db, id, attach_del_cb, &d, &found, err) < 0)
		return -1;
	if (!found || d.app_id != app_id) {
		free(d.detail);
		return hr_errorf(err, HR_E_NOT_FOUND, "attachment.not_found",
		    "attachment {id} not found", HR_INT("id", id));
	}
	if (d.detail == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	rc = db_batch_summaries_touch(db, app_id, err);
	if (rc == 0)
		rc = doc_codes(db, app_id, before, sizeof before, err);
	if (rc == 0)
		rc = db_run(db, "DELETE FROM attachments WHERE id = ?", "detach "
		    "a file", err, "i", id);
	if (rc == 0)
		rc = attach_history(db, app_id, user_id, db_now(), "detach",
		    d.detail, err);
	if (rc == 0)
		rc = note_documents(db, app_id, before, err);
	free(d.detail);
	return rc;
}

int
db_attachments_bytes(struct hr_db *db, int64_t app_id, int64_t *bytes,
    struct hr_error *err)
{
	return db_int(db, "SELECT coalesce(sum(f.size), 0) FROM attachments t "
	    "JOIN files f ON f.hash = t.file_hash WHERE t.application_id = ?",
	    "sum attachments", bytes, err, "i", app_id);
}

int
db_attachment_exists(struct hr_db *db, int64_t app_id, const char *doc_code,
    const uint8_t hash[HR_FILE_HASH_LEN], int *found, struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT 1 FROM attachments WHERE "
	    "application_id = ? AND doc_code = ? AND file_hash = ?", err);
	int rc;

	*found = 0;
	if (st == NULL || db_bindf(db, st, "look for an attachment", err, "itb",
	    app_id, doc_code, hash, HASH_LEN) < 0 ||
	    (rc = db_step_row(db, st, "look for an attachment", err)) < 0)
		return -1;
	if (rc == 1) {
		*found = 1;
		(void)sqlite3_reset(st);
	}
	return 0;
}

int
db_app_package_full(struct hr_db *db, int64_t app_id, int *full,
    struct hr_error *err)
{
	int64_t v = 0;

	if (db_int(db, "SELECT package_full FROM applications WHERE id = ?",
	    "read the package", &v, err, "i", app_id) < 0)
		return -1;
	*full = v != 0;
	return 0;
}

int
db_packages_refresh(struct hr_db *db, int64_t *changed, struct hr_error *err)
{
	if (db_batch_summaries_touch(db, 0, err) < 0 ||
	    db_run(db, "UPDATE applications SET package_full = NOT "
	    "package_full WHERE package_full != (NOT EXISTS (SELECT 1 FROM "
	    "service_documents sd WHERE sd.service_code = "
	    "applications.service_code AND NOT EXISTS (SELECT 1 FROM "
	    "application_documents d WHERE d.application_id = applications.id "
	    "AND d.doc_code = sd.doc_code)))", "recompute the packages", err,
	    "") < 0)
		return -1;
	if (changed != NULL)
		*changed = sqlite3_changes(db->sql);
	return 0;
}
