/*
 * audit_archive.c — archive files of the audit chain (see audit_archive.h
 * for what and why, hromada-audit-archive(5) for the format).
 *
 * A block's records are their chain encodings one after another
 * (db_audit_encode), zstd-compressed; its `applications` and `persons`
 * columns are the sorted distinct ids its records name (db_audit_keys),
 * each as the difference from the previous one in LEB128 (7 bits a byte,
 * low first, high bit set on all but the last byte), zstd-compressed.
 * Everything read from a file is bounded and checked: a corrupt or forged
 * file is an error naming what is wrong, never a crash.
 */
#include "config.h"

#include "db/audit_archive.h"
#include "db/db_priv.h"
#include "db/durable.h"
#include "proto/buf.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zstd.h>

#define ARCHIVE_MAGIC     "hromada audit archive"
#define ARCHIVE_LEVEL     9          /* zstd: ~10x on audit records */
#define ARCHIVE_RAW_MAX   (64 << 20) /* a block's records, decompressed */
#define ARCHIVE_KEYS_MAX  (16 << 20) /* a block's ids, decompressed */
#define ARCHIVE_PATH_MAX  4096
#define HASH_LEN          DB_AUDIT_HASH_LEN

static const char archive_schema[] =
    "PRAGMA journal_mode=OFF;"
    "PRAGMA synchronous=OFF;"
    "CREATE TABLE archive ("
    " magic TEXT NOT NULL, format INTEGER NOT NULL,"
    " first_id INTEGER NOT NULL, last_id INTEGER NOT NULL,"
    " records INTEGER NOT NULL, first_at INTEGER NOT NULL,"
    " last_at INTEGER NOT NULL, before INTEGER NOT NULL,"
    " created_at INTEGER NOT NULL, prev_hash BLOB NOT NULL,"
    " last_hash BLOB NOT NULL);"
    "CREATE TABLE blocks ("
    " first_id INTEGER PRIMARY KEY, last_id INTEGER NOT NULL,"
    " records INTEGER NOT NULL, first_at INTEGER NOT NULL,"
    " last_at INTEGER NOT NULL, last_hash BLOB NOT NULL,"
    " raw_bytes INTEGER NOT NULL, data BLOB NOT NULL,"
    " applications BLOB NOT NULL, persons BLOB NOT NULL);";

/* ---- buffers and ids ---- */

struct abuf {
	uint8_t *p;
	size_t   n, cap;
};

static int
abuf_reserve(struct abuf *b, size_t more)
{
	size_t cap = b->cap ? b->cap : 4096;
	uint8_t *p;

	if (b->cap - b->n >= more)
		return 0;
	while (cap - b->n < more)
		cap *= 2;
	if ((p = realloc(b->p, cap)) == NULL)
		return -1;
	b->p = p;
	b->cap = cap;
	return 0;
}

struct ids {
	int64_t *v;
	size_t   n, cap;
};

static int
ids_add(struct ids *s, int64_t id)
{
	int64_t *v = hr_grow(s->v, &s->cap, s->n, sizeof *v, 1024);

	if (v == NULL)
		return -1;
	s->v = v;
	s->v[s->n++] = id;
	return 0;
}

static int
ids_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Sort and drop repeats. */
static void
ids_unique(struct ids *s)
{
	size_t k = 0;

	if (s->n == 0)
		return;
	qsort(s->v, s->n, sizeof *s->v, ids_cmp);
	for (size_t i = 0; i < s->n; i++)
		if (k == 0 || s->v[k - 1] != s->v[i])
			s->v[k++] = s->v[i];
	s->n = k;
}

static int
ids_has(const struct ids *s, int64_t id)
{
	return s->n > 0 &&
	    bsearch(&id, s->v, s->n, sizeof *s->v, ids_cmp) != NULL;
}

/* Sorted ids as LEB128 differences. */
static int
ids_encode(const struct ids *s, struct abuf *out)
{
	uint64_t prev = 0;

	out->n = 0;
	for (size_t i = 0; i < s->n; i++) {
		uint64_t d = (uint64_t)s->v[i] - prev;

		prev = (uint64_t)s->v[i];
		if (abuf_reserve(out, 10) < 0)
			return -1;
		do {
			out->p[out->n++] = (uint8_t)((d & 0x7f) | (d > 0x7f ?
			    0x80 : 0));
			d >>= 7;
		} while (d > 0);
	}
	return 0;
}

static int
ids_decode(const uint8_t *p, size_t n, struct ids *s)
{
	uint64_t v = 0;
	size_t i = 0;

	s->n = 0;
	while (i < n) {
		uint64_t d = 0;
		int shift = 0;

		do {
			if (i >= n || shift > 56)
				return -1;
			d |= (uint64_t)(p[i] & 0x7f) << shift;
			shift += 7;
		} while (p[i++] & 0x80);
		v += d;
		if (v > INT64_MAX || ids_add(s, (int64_t)v) < 0)
			return -1;
	}
	return 0;
}

/* ---- errors ---- */

static int
archive_corrupt(const char *path, const char *what, struct hr_error *err)
{
	return hr_errorf(err, HR_E_INVALID, "audit.archive_corrupt",
	    "{file} is not an intact audit archive: {label}",
	    HR_STR("file", path), HR_STR("label", what));
}

static int
archive_sql_fail(sqlite3 *h, const char *path, struct hr_error *err)
{
	return hr_errorf(err, HR_E_IO, "audit.archive_io", "audit archive "
	    "{file}: {reason}", HR_STR("file", path), HR_STR("reason",
	    h != NULL ? sqlite3_errmsg(h) : "out of memory"));
}

static int
archive_oom(struct hr_error *err)
{
	return hr_error_set(err, HR_E_INTERNAL, "out of memory");
}

/* Decompress a zstd frame of at most `max` bytes into out. */
static int
archive_unzstd(const void *src, size_t n, size_t max, struct abuf *out)
{
	unsigned long long size = ZSTD_getFrameContentSize(src, n);
	size_t got;

	if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN ||
	    size > max)
		return -1;
	out->n = 0;
	if (abuf_reserve(out, (size_t)size + 1) < 0)
		return -1;
	got = ZSTD_decompress(out->p, (size_t)size + 1, src, n);
	if (ZSTD_isError(got) || got != size)
		return -1;
	out->n = got;
	return 0;
}

static int
archive_zstd(const void *src, size_t n, struct abuf *out)
{
	size_t bound = ZSTD_compressBound(n), got;

	out->n = 0;
	if (abuf_reserve(out, bound) < 0)
		return -1;
	got = ZSTD_compress(out->p, bound, src, n, ARCHIVE_LEVEL);
	if (ZSTD_isError(got))
		return -1;
	out->n = got;
	return 0;
}

/* ---- planning ---- */

/* The newest archived segment's last id and hash (0 and zeros: none). */
static int
archive_registry_end(struct hr_db *db, int64_t *last,
    uint8_t hash[HASH_LEN], struct hr_error *err)
{
	sqlite3_stmt *st;
	int rc;

	*last = 0;
	memset(hash, 0, HASH_LEN);
	if (!db_has_table(db, "audit_archives"))
		return hr_errorf(err, HR_E_INTERNAL, "audit.no_registry",
		    "the database has no audit archive registry (migration 017)");
	st = db_prepare(db, "SELECT last_id, last_hash FROM audit_archives "
	    "ORDER BY last_id DESC LIMIT 1", err);
	if (st == NULL)
		return -1;
	if ((rc = db_step_row(db, st, "read the audit archives", err)) <= 0)
		return rc;
	*last = sqlite3_column_int64(st, 0);
	if (sqlite3_column_bytes(st, 1) == HASH_LEN)
		memcpy(hash, sqlite3_column_blob(st, 1), HASH_LEN);
	(void)sqlite3_reset(st);
	return 0;
}

/* One int64 from a query with int64 parameters (fmt as db_bindf). */
static int
archive_int(struct hr_db *db, const char *sql, int64_t *out,
    struct hr_error *err, int64_t a, int64_t b)
{
	sqlite3_stmt *st = db_prepare(db, sql, err);
	int rc;

	*out = 0;
	if (st == NULL || db_bindf(db, st, "audit archive", err, "ii", a, b) < 0)
		return -1;
	if ((rc = db_step_row(db, st, "audit archive", err)) < 0)
		return -1;
	if (rc == 1) {
		*out = sqlite3_column_int64(st, 0);
		(void)sqlite3_reset(st);
	}
	return 0;
}

int
db_archive_plan(struct hr_db *db, int64_t before, struct db_archive *a,
    struct hr_error *err)
{
	int64_t after, last;

	memset(a, 0, sizeof *a);
	a->before = before;
	if (archive_registry_end(db, &a->first_id, a->prev_hash, err) < 0)
		return -1;
	a->first_id++;                /* the first record not archived */
	/* The prefix before the first record at or after `before`. */
	if (archive_int(db, "SELECT min(id) FROM audit_log WHERE id >= ?1 AND "
	    "at >= ?2", &after, err, a->first_id, before) < 0 ||
	    archive_int(db, "SELECT max(id) FROM audit_log WHERE id >= ?1 AND "
	    "?2 >= 0", &last, err, a->first_id, 0) < 0)
		return -1;
	a->last_id = after > 0 ? after - 1 : last;
	if (a->last_id < a->first_id) {
		a->last_id = a->first_id - 1;
		return 0;
	}
	a->records = a->last_id - a->first_id + 1;
	return 0;
}

/* ---- writing ---- */

struct block {
	int64_t     first_id, last_id, records, first_at, last_at;
	uint8_t     last_hash[HASH_LEN];
	struct abuf raw;
	struct ids  apps, persons;
};

static void
block_key(void *ud, int kind, int64_t id)
{
	struct block *b = ud;

	/* Out of memory here shows as a missing id in the block's list; the
	 * verification after writing catches it. */
	(void)ids_add(kind == DB_AUDIT_APPLICATION ? &b->apps : &b->persons, id);
}

static void
block_reset(struct block *b)
{
	b->records = 0;
	b->raw.n = 0;
	b->apps.n = b->persons.n = 0;
}

static void
block_free(struct block *b)
{
	free(b->raw.p);
	free(b->apps.v);
	free(b->persons.v);
}

/* Compress and insert one block into the archive being written. */
static int
block_flush(sqlite3 *h, sqlite3_stmt *ins, struct block *b, const char *path,
    struct db_archive *a, struct hr_error *err)
{
	struct abuf data = { 0 }, ak = { 0 }, pk = { 0 }, enc = { 0 };
	int rc = -1;

	if (b->records == 0)
		return 0;
	ids_unique(&b->apps);
	ids_unique(&b->persons);
	if (archive_zstd(b->raw.p, b->raw.n, &data) < 0 ||
	    ids_encode(&b->apps, &enc) < 0 || archive_zstd(enc.p, enc.n,
	    &ak) < 0 || ids_encode(&b->persons, &enc) < 0 ||
	    archive_zstd(enc.p, enc.n, &pk) < 0) {
		archive_oom(err);
		goto out;
	}
	sqlite3_reset(ins);
	sqlite3_bind_int64(ins, 1, b->first_id);
	sqlite3_bind_int64(ins, 2, b->last_id);
	sqlite3_bind_int64(ins, 3, b->records);
	sqlite3_bind_int64(ins, 4, b->first_at);
	sqlite3_bind_int64(ins, 5, b->last_at);
	sqlite3_bind_blob(ins, 6, b->last_hash, HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(ins, 7, (sqlite3_int64)b->raw.n);
	sqlite3_bind_blob(ins, 8, data.p, (int)data.n, SQLITE_STATIC);
	sqlite3_bind_blob(ins, 9, ak.p, (int)ak.n, SQLITE_STATIC);
	sqlite3_bind_blob(ins, 10, pk.p, (int)pk.n, SQLITE_STATIC);
	if (sqlite3_step(ins) != SQLITE_DONE) {
		archive_sql_fail(h, path, err);
		goto out;
	}
	sqlite3_reset(ins);
	a->blocks++;
	a->raw_bytes += (int64_t)b->raw.n;
	rc = 0;
out:
	free(data.p);
	free(ak.p);
	free(pk.p);
	free(enc.p);
	block_reset(b);
	return rc;
}

/* A text column as (pointer, length), NULL kept. */
static void
archive_col_text(sqlite3_stmt *st, int col, struct db_audit_fields *f, int i)
{
	f->text[i] = (const char *)sqlite3_column_text(st, col);
	f->len[i] = f->text[i] != NULL ? (size_t)sqlite3_column_bytes(st, col) :
	    0;
}

/* One live row: still the chain, then into the block. */
static int
archive_take_row(sqlite3_stmt *st, int64_t want, uint8_t prev[HASH_LEN],
    struct block *b, struct hr_error *err)
{
	struct db_audit_fields f;
	uint8_t hash[HASH_LEN];
	size_t n;

	f.id = sqlite3_column_int64(st, 0);
	f.at = sqlite3_column_int64(st, 1);
	f.user_id = sqlite3_column_int64(st, 2);
	for (int i = 0; i < 5; i++)
		archive_col_text(st, 3 + i, &f, i);
	if (f.id != want || sqlite3_column_bytes(st, 8) != HASH_LEN ||
	    sodium_memcmp(sqlite3_column_blob(st, 8), prev, HASH_LEN) != 0)
		return hr_errorf(err, HR_E_INVALID, "audit.archive_broken",
		    "audit chain broken at record {id}; nothing archived (run "
		    "hromadactl audit verify)", HR_INT("id", want));
	db_audit_hash(prev, &f, hash);
	if (sqlite3_column_bytes(st, 9) != HASH_LEN ||
	    sodium_memcmp(sqlite3_column_blob(st, 9), hash, HASH_LEN) != 0)
		return hr_errorf(err, HR_E_INVALID, "audit.archive_broken",
		    "audit chain broken at record {id}; nothing archived (run "
		    "hromadactl audit verify)", HR_INT("id", want));
	n = db_audit_encode(&f, NULL, 0);
	if (abuf_reserve(&b->raw, n) < 0)
		return archive_oom(err);
	db_audit_encode(&f, b->raw.p + b->raw.n, n);
	b->raw.n += n;
	db_audit_keys(&f, block_key, b);
	if (b->records == 0) {
		b->first_id = f.id;
		b->first_at = f.at;
	}
	b->records++;
	b->last_id = f.id;
	b->last_at = f.at;
	memcpy(b->last_hash, hash, HASH_LEN);
	memcpy(prev, hash, HASH_LEN);
	return 0;
}

/* The live records of the segment, block by block, into the file. */
static int
archive_fill(struct hr_db *db, sqlite3 *h, struct db_archive *a,
    const char *path, db_archive_progress_fn *progress, void *ud,
    struct hr_error *err)
{
	sqlite3_stmt *st, *ins = NULL;
	struct block b;
	uint8_t prev[HASH_LEN];
	int64_t want = a->first_id;
	int rc;

	memset(&b, 0, sizeof b);
	memcpy(prev, a->prev_hash, HASH_LEN);
	if (sqlite3_prepare_v2(h, "INSERT INTO blocks (first_id, last_id, "
	    "records, first_at, last_at, last_hash, raw_bytes, data, "
	    "applications, persons) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", -1,
	    &ins, NULL) != SQLITE_OK)
		return archive_sql_fail(h, path, err);
	st = db_prepare(db, "SELECT id, at, user_id, actor, address, action, "
	    "object, detail, prev_hash, hash FROM audit_log WHERE id BETWEEN "
	    "? AND ? ORDER BY id", err);
	if (st == NULL || db_bindf(db, st, "audit archive", err, "ii",
	    a->first_id, a->last_id) < 0) {
		sqlite3_finalize(ins);
		return -1;
	}
	while ((rc = db_step_row(db, st, "read the audit log", err)) == 1) {
		if (want == a->first_id)
			a->first_at = sqlite3_column_int64(st, 1);
		a->last_at = sqlite3_column_int64(st, 1);
		if (archive_take_row(st, want, prev, &b, err) < 0 ||
		    (b.records == DB_ARCHIVE_BLOCK_RECORDS &&
		    block_flush(h, ins, &b, path, a, err) < 0)) {
			(void)sqlite3_reset(st);
			rc = -1;
			break;
		}
		if (progress != NULL && (want - a->first_id) % 1024 == 0)
			progress(ud, want - a->first_id, a->records);
		want++;
	}
	if (rc == 0 && want != a->last_id + 1)
		rc = hr_errorf(err, HR_E_INVALID, "audit.archive_broken",
		    "audit chain broken at record {id}; nothing archived (run "
		    "hromadactl audit verify)", HR_INT("id", want));
	if (rc == 0)
		rc = block_flush(h, ins, &b, path, a, err);
	if (rc == 0)
		memcpy(a->last_hash, prev, HASH_LEN);
	sqlite3_finalize(ins);
	block_free(&b);
	return rc;
}

static int
archive_head_row(sqlite3 *h, const struct db_archive *a, const char *path,
    struct hr_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(h, "INSERT INTO archive (magic, format, "
	    "first_id, last_id, records, first_at, last_at, before, created_at, "
	    "prev_hash, last_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", -1,
	    &st, NULL) != SQLITE_OK)
		return archive_sql_fail(h, path, err);
	sqlite3_bind_text(st, 1, ARCHIVE_MAGIC, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, DB_ARCHIVE_FORMAT);
	sqlite3_bind_int64(st, 3, a->first_id);
	sqlite3_bind_int64(st, 4, a->last_id);
	sqlite3_bind_int64(st, 5, a->records);
	sqlite3_bind_int64(st, 6, a->first_at);
	sqlite3_bind_int64(st, 7, a->last_at);
	sqlite3_bind_int64(st, 8, a->before);
	sqlite3_bind_int64(st, 9, a->created_at);
	sqlite3_bind_blob(st, 10, a->prev_hash, HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(st, 11, a->last_hash, HASH_LEN, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : archive_sql_fail(h, path,
	    err);
	sqlite3_finalize(st);
	return rc;
}

int
db_archive_write(struct hr_db *db, struct db_archive *a, const char *path,
    db_archive_progress_fn *progress, void *ud, struct hr_error *err)
{
	char tmp[ARCHIVE_PATH_MAX + 16];
	struct stat st;
	sqlite3 *h = NULL;
	int rc;

	if (a->records <= 0)
		return hr_errorf(err, HR_E_STATE, "audit.nothing_to_archive",
		    "no audit records to archive");
	if (strlen(path) > ARCHIVE_PATH_MAX)
		return hr_errorf(err, HR_E_USAGE, "ctl.path_long", "database "
		    "path too long");
	if (lstat(path, &st) == 0)
		return hr_errorf(err, HR_E_IO, "file.exists", "{file} exists "
		    "already; choose a new name", HR_STR("file", path));
	snprintf(tmp, sizeof tmp, "%s.partial", path);
	(void)unlink(tmp);                 /* left by an interrupted run */
	a->created_at = db_now();
	a->blocks = a->raw_bytes = 0;
	if (sqlite3_open_v2(tmp, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
	    NULL) != SQLITE_OK || sqlite3_exec(h, archive_schema, NULL, NULL,
	    NULL) != SQLITE_OK) {
		rc = archive_sql_fail(h, tmp, err);
		goto out;
	}
	(void)chmod(tmp, 0600);
	/* One snapshot of the live log: the server may append meanwhile. */
	if ((rc = db_begin_read(db, err)) < 0)
		goto out;
	rc = archive_fill(db, h, a, tmp, progress, ud, err);
	db_rollback(db);
	if (rc == 0)
		rc = archive_head_row(h, a, tmp, err);
out:
	if (sqlite3_close(h) != SQLITE_OK && rc == 0)
		rc = archive_sql_fail(h, tmp, err);
	if (rc == 0)
		rc = db_fsync_file(tmp, err);
	if (rc == 0 && link(tmp, path) != 0)     /* never replaces */
		rc = hr_errorf(err, HR_E_IO, "io.rename", "cannot rename {file} "
		    "to {to}: {reason}", HR_STR("file", tmp), HR_STR("to", path),
		    HR_STR("reason", strerror(errno)));
	(void)unlink(tmp);
	if (rc == 0)
		rc = db_fsync_dir(path, err);
	if (rc == 0 && stat(path, &st) == 0)
		a->file_bytes = (int64_t)st.st_size;
	return rc;
}

/* ---- reading a file ---- */

struct afile {
	sqlite3          *h;
	const char       *path;
	struct db_archive a;
};

static void
afile_close(struct afile *f)
{
	sqlite3_close(f->h);
	f->h = NULL;
}

static int
afile_blob(sqlite3_stmt *st, int col, uint8_t out[HASH_LEN])
{
	if (sqlite3_column_bytes(st, col) != HASH_LEN)
		return -1;
	memcpy(out, sqlite3_column_blob(st, col), HASH_LEN);
	return 0;
}

/* Open read-only and read the `archive` row. */
static int
afile_open(struct afile *f, const char *path, struct hr_error *err)
{
	sqlite3_stmt *st = NULL;
	const unsigned char *magic;
	int rc = -1;

	memset(f, 0, sizeof *f);
	f->path = path;
	if (access(path, R_OK) != 0)
		return hr_errorf(err, HR_E_IO, "file.error", "{file}: {reason}",
		    HR_STR("file", path), HR_STR("reason", strerror(errno)));
	if (sqlite3_open_v2(path, &f->h, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		archive_sql_fail(f->h, path, err);
		afile_close(f);
		return -1;
	}
	if (sqlite3_prepare_v2(f->h, "SELECT magic, format, first_id, last_id, "
	    "records, first_at, last_at, before, created_at, prev_hash, "
	    "last_hash FROM archive", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		archive_corrupt(path,
		    HR_MSGID("no archive header (not an audit archive?)"), err);
		goto out;
	}
	magic = sqlite3_column_text(st, 0);
	if (magic == NULL || strcmp((const char *)magic, ARCHIVE_MAGIC) != 0 ||
	    sqlite3_column_int(st, 1) != DB_ARCHIVE_FORMAT) {
		archive_corrupt(path,
		    HR_MSGID("not an audit archive of format 1"), err);
		goto out;
	}
	f->a.first_id = sqlite3_column_int64(st, 2);
	f->a.last_id = sqlite3_column_int64(st, 3);
	f->a.records = sqlite3_column_int64(st, 4);
	f->a.first_at = sqlite3_column_int64(st, 5);
	f->a.last_at = sqlite3_column_int64(st, 6);
	f->a.before = sqlite3_column_int64(st, 7);
	f->a.created_at = sqlite3_column_int64(st, 8);
	if (afile_blob(st, 9, f->a.prev_hash) < 0 ||
	    afile_blob(st, 10, f->a.last_hash) < 0 || f->a.first_id < 1 ||
	    f->a.last_id < f->a.first_id ||
	    f->a.records != f->a.last_id - f->a.first_id + 1) {
		archive_corrupt(path,
		    HR_MSGID("its header is inconsistent"), err);
		goto out;
	}
	if (sqlite3_step(st) != SQLITE_DONE) {
		archive_corrupt(path,
		    HR_MSGID("more than one header"), err);
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	if (rc < 0)
		afile_close(f);
	return rc;
}

int
db_archive_header(const char *path, struct db_archive *a,
    struct hr_error *err)
{
	struct afile f;

	if (afile_open(&f, path, err) < 0)
		return -1;
	*a = f.a;
	afile_close(&f);
	return 0;
}

/* A block's records: decompressed, decoded, checked against its row. */
struct ablock {
	int64_t                 first_id, last_id, records, first_at, last_at;
	uint8_t                 last_hash[HASH_LEN];
	struct abuf             raw;
	struct db_audit_fields *rec;
	size_t                  nrec, caprec;
};

static void
ablock_free(struct ablock *b)
{
	free(b->raw.p);
	free(b->rec);
}

/*
 * Decompress and decode the data of the block row `st` is on (columns as
 * afile_blocks' query).
 */
static int
ablock_load(struct afile *f, sqlite3_stmt *st, struct ablock *b,
    struct hr_error *err)
{
	size_t off = 0, used;

	b->first_id = sqlite3_column_int64(st, 0);
	b->last_id = sqlite3_column_int64(st, 1);
	b->records = sqlite3_column_int64(st, 2);
	b->first_at = sqlite3_column_int64(st, 3);
	b->last_at = sqlite3_column_int64(st, 4);
	if (afile_blob(st, 5, b->last_hash) < 0 || b->records < 1 ||
	    b->records > DB_ARCHIVE_BLOCK_RECORDS ||
	    b->last_id - b->first_id + 1 != b->records)
		return archive_corrupt(f->path,
		    HR_MSGID("a block header is inconsistent"), err);
	if (archive_unzstd(sqlite3_column_blob(st, 7),
	    (size_t)sqlite3_column_bytes(st, 7), ARCHIVE_RAW_MAX, &b->raw) < 0 ||
	    (int64_t)b->raw.n != sqlite3_column_int64(st, 6))
		return archive_corrupt(f->path,
		    HR_MSGID("a block does not decompress"), err);
	b->nrec = 0;
	while (off < b->raw.n) {
		if (b->nrec == b->caprec) {
			size_t cap = b->caprec ? b->caprec * 2 : 1024;
			struct db_audit_fields *v = realloc(b->rec, cap *
			    sizeof *v);

			if (v == NULL)
				return archive_oom(err);
			b->rec = v;
			b->caprec = cap;
		}
		if (db_audit_decode(b->raw.p + off, b->raw.n - off, &used,
		    &b->rec[b->nrec]) < 0)
			return archive_corrupt(f->path,
			    HR_MSGID("a record is malformed"), err);
		if (b->rec[b->nrec].id != b->first_id + (int64_t)b->nrec)
			return archive_corrupt(f->path,
			    HR_MSGID("records are missing or out of order"), err);
		off += used;
		b->nrec++;
	}
	if ((int64_t)b->nrec != b->records)
		return archive_corrupt(f->path,
		    HR_MSGID("a block holds another number of records than "
		    "it says"), err);
	return 0;
}

#define AFILE_BLOCKS "SELECT first_id, last_id, records, first_at, last_at, " \
    "last_hash, raw_bytes, data, applications, persons FROM blocks"

/* Collect the ids a block's records name, as the block should list them. */
struct keyset {
	struct ids apps, persons;
};

static void
keyset_add(void *ud, int kind, int64_t id)
{
	struct keyset *k = ud;

	(void)ids_add(kind == DB_AUDIT_APPLICATION ? &k->apps : &k->persons, id);
}

/* The block's stored id list (column col) equals `want`? */
static int
ablock_keys_match(sqlite3_stmt *st, int col, struct ids *want)
{
	struct abuf raw = { 0 }, enc = { 0 };
	int ok;

	ids_unique(want);
	ok = archive_unzstd(sqlite3_column_blob(st, col),
	    (size_t)sqlite3_column_bytes(st, col), ARCHIVE_KEYS_MAX, &raw) == 0 &&
	    ids_encode(want, &enc) == 0 && raw.n == enc.n &&
	    (raw.n == 0 || memcmp(raw.p, enc.p, raw.n) == 0);
	free(raw.p);
	free(enc.p);
	return ok;
}

int
db_archive_verify_file(const char *path, struct db_archive *out,
    struct hr_error *err)
{
	struct afile f;
	struct ablock b;
	struct keyset ks;
	sqlite3_stmt *st = NULL;
	uint8_t prev[HASH_LEN];
	int64_t next, records = 0;
	int rc = -1, step;

	if (afile_open(&f, path, err) < 0)
		return -1;
	memset(&b, 0, sizeof b);
	memset(&ks, 0, sizeof ks);
	memcpy(prev, f.a.prev_hash, HASH_LEN);
	next = f.a.first_id;
	if (sqlite3_prepare_v2(f.h, AFILE_BLOCKS " ORDER BY first_id", -1, &st,
	    NULL) != SQLITE_OK) {
		archive_corrupt(path,
		    HR_MSGID("no blocks table"), err);
		goto out;
	}
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_int64(st, 0) != next) {
			archive_corrupt(path,
			    HR_MSGID("blocks are missing or overlap"), err);
			goto out;
		}
		if (ablock_load(&f, st, &b, err) < 0)
			goto out;
		ks.apps.n = ks.persons.n = 0;
		for (size_t i = 0; i < b.nrec; i++) {
			db_audit_hash(prev, &b.rec[i], prev);
			db_audit_keys(&b.rec[i], keyset_add, &ks);
		}
		if (sodium_memcmp(prev, b.last_hash, HASH_LEN) != 0) {
			hr_errorf(err, HR_E_INVALID, "audit.archive_altered",
			    "{file}: the audit chain breaks in records "
			    "{first}..{last} (altered, removed or reordered)",
			    HR_STR("file", path), HR_INT("first", b.first_id),
			    HR_INT("last", b.last_id));
			goto out;
		}
		if (b.rec[0].at != b.first_at || b.rec[b.nrec - 1].at !=
		    b.last_at || !ablock_keys_match(st, 8, &ks.apps) ||
		    !ablock_keys_match(st, 9, &ks.persons)) {
			archive_corrupt(path,
			    HR_MSGID("a block's index does not match its "
			    "records"), err);
			goto out;
		}
		records += b.records;
		next = b.last_id + 1;
		f.a.blocks++;
		f.a.raw_bytes += (int64_t)b.raw.n;
	}
	if (step != SQLITE_DONE) {
		archive_sql_fail(f.h, path, err);
		goto out;
	}
	if (next != f.a.last_id + 1 || records != f.a.records) {
		archive_corrupt(path,
		    HR_MSGID("records at the end are missing"), err);
		goto out;
	}
	if (sodium_memcmp(prev, f.a.last_hash, HASH_LEN) != 0) {
		hr_errorf(err, HR_E_INVALID, "audit.archive_altered",
		    "{file}: the audit chain breaks in records {first}..{last} "
		    "(altered, removed or reordered)", HR_STR("file", path),
		    HR_INT("first", f.a.first_id), HR_INT("last", f.a.last_id));
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	ablock_free(&b);
	free(ks.apps.v);
	free(ks.persons.v);
	afile_close(&f);
	if (rc == 0 && out != NULL) {
		struct stat sb;

		*out = f.a;
		out->file_bytes = stat(path, &sb) == 0 ? (int64_t)sb.st_size : 0;
	}
	return rc;
}

/* ---- the registry in the live database ---- */

/* The hash column `col` of live record id into out; 0, or -1 (not there). */
static int
archive_live_hash(struct hr_db *db, int64_t id, const char *col,
    uint8_t out[HASH_LEN], struct hr_error *err)
{
	char sql[80];
	sqlite3_stmt *st;
	int rc;

	snprintf(sql, sizeof sql, "SELECT %s FROM audit_log WHERE id = ?", col);
	st = db_prepare(db, sql, err);
	if (st == NULL || db_bindf(db, st, "audit archive", err, "i", id) < 0)
		return -1;
	if ((rc = db_step_row(db, st, "read the audit log", err)) < 0)
		return -1;
	if (rc == 0 || afile_blob(st, 0, out) < 0) {
		if (rc == 1)
			(void)sqlite3_reset(st);
		return hr_errorf(err, HR_E_INVALID, "audit.archive_mismatch",
		    "the archive does not match the live audit log at record "
		    "{id}", HR_INT("id", id));
	}
	(void)sqlite3_reset(st);
	return 0;
}

static int
archive_register_tx(struct hr_db *db, const struct db_archive *a,
    const char *file, const struct db_audit_entry *who, struct hr_error *err)
{
	uint8_t end_hash[HASH_LEN], h[HASH_LEN];
	char object[64], detail[DB_AUDIT_ANCHOR_MAX];
	struct db_audit_entry e = *who;
	int64_t end, anchor;

	if (archive_registry_end(db, &end, end_hash, err) < 0)
		return -1;
	if (a->first_id != end + 1 || sodium_memcmp(a->prev_hash, end_hash,
	    HASH_LEN) != 0)
		return hr_errorf(err, HR_E_INVALID, "audit.archive_mismatch",
		    "the archive does not match the live audit log at record "
		    "{id}", HR_INT("id", a->first_id));
	if (archive_live_hash(db, a->first_id, "prev_hash", h, err) < 0)
		return -1;
	if (sodium_memcmp(h, a->prev_hash, HASH_LEN) != 0)
		return hr_errorf(err, HR_E_INVALID, "audit.archive_mismatch",
		    "the archive does not match the live audit log at record "
		    "{id}", HR_INT("id", a->first_id));
	if (archive_live_hash(db, a->last_id, "hash", h, err) < 0)
		return -1;
	if (sodium_memcmp(h, a->last_hash, HASH_LEN) != 0)
		return hr_errorf(err, HR_E_INVALID, "audit.archive_mismatch",
		    "the archive does not match the live audit log at record "
		    "{id}", HR_INT("id", a->last_id));
	db_audit_anchor_text(a->first_id, a->last_id, a->records, a->first_at,
	    a->last_at, file, a->prev_hash, a->last_hash, object, sizeof object,
	    detail, sizeof detail);
	e.action = "audit.archive";
	e.object = object;
	e.detail = detail;
	/* Dated when the file was made (a->created_at, "now" but in a
	 * simulation): the first record of the live log the next archiving
	 * takes. */
	if (db_audit_at(db, &e, a->created_at, err) < 0 ||
	    archive_int(db, "SELECT max(id) FROM audit_log WHERE ?1 >= 0 AND "
	    "?2 >= 0", &anchor, err, 0, 0) < 0)
		return -1;
	return db_run(db, "INSERT INTO audit_archives (first_id, last_id, "
	    "records, first_at, last_at, prev_hash, last_hash, file, "
	    "file_bytes, created_at, anchor_id, deleted_to, deleted_hash) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "register the "
	    "audit archive", err, "iiiiibbtiiiib", a->first_id, a->last_id,
	    a->records, a->first_at, a->last_at, a->prev_hash, (size_t)HASH_LEN,
	    a->last_hash, (size_t)HASH_LEN, file, a->file_bytes, db_now(),
	    anchor, a->first_id - 1, a->prev_hash, (size_t)HASH_LEN);
}

int
db_archive_register(struct hr_db *db, const struct db_archive *a,
    const char *file, const struct db_audit_entry *who, struct hr_error *err)
{
	int own, rc;

	if (db_tx_enter(db, &own, err) < 0)
		return -1;
	rc = archive_register_tx(db, a, file, who, err);
	return db_tx_leave(db, own, rc, err);
}

/* One chunk: 1 done, 0 nothing left, -1 error. */
static int
archive_prune_chunk(struct hr_db *db, int chunk, int64_t *deleted,
    struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT id, last_id, deleted_to FROM "
	    "audit_archives WHERE deleted_to < last_id ORDER BY first_id LIMIT 1",
	    err);
	uint8_t h[HASH_LEN];
	int64_t row, from, to;
	int rc;

	if (st == NULL)
		return -1;
	if ((rc = db_step_row(db, st, "read the audit archives", err)) <= 0)
		return rc;
	row = sqlite3_column_int64(st, 0);
	from = sqlite3_column_int64(st, 2) + 1;
	to = sqlite3_column_int64(st, 1);
	(void)sqlite3_reset(st);
	if (to - from + 1 > chunk)
		to = from + chunk - 1;
	if (archive_live_hash(db, to, "hash", h, err) < 0 ||
	    db_run(db, "DELETE FROM audit_log WHERE id BETWEEN ? AND ?",
	    "delete archived audit records", err, "ii", from, to) < 0)
		return -1;
	if (sqlite3_changes64(db->sql) != to - from + 1)
		return hr_errorf(err, HR_E_INVALID, "audit.archive_mismatch",
		    "the archive does not match the live audit log at record "
		    "{id}", HR_INT("id", from));
	if (db_run(db, "UPDATE audit_archives SET deleted_to = ?, "
	    "deleted_hash = ? WHERE id = ?", "record the deletion", err, "ibi",
	    to, h, (size_t)HASH_LEN, row) < 0)
		return -1;
	*deleted += to - from + 1;
	return 1;
}

int
db_archive_prune(struct hr_db *db, int chunk, db_archive_pause_fn *pause,
    void *ud, int64_t *deleted, struct hr_error *err)
{
	int64_t before;
	struct timespec t0, t1;
	int rc;

	*deleted = 0;
	if (chunk < 1)
		chunk = 1;
	if (!db_has_table(db, "audit_archives"))
		return 0;
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		before = *deleted;
		if (db_begin(db, err) < 0)
			return -1;
		rc = archive_prune_chunk(db, chunk, deleted, err);
		if (rc < 0) {
			db_rollback(db);
			return -1;
		}
		if (db_commit(db, err) < 0)
			return -1;
		if (rc == 0)
			return 0;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (pause != NULL)
			pause(ud, *deleted - before, (double)(t1.tv_sec -
			    t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	}
}

int
db_archive_totals(struct hr_db *db, int64_t *segments, int64_t *records,
    struct hr_error *err)
{
	sqlite3_stmt *st;
	int rc;

	*segments = *records = 0;
	if (!db_has_table(db, "audit_archives"))
		return 0;
	st = db_prepare(db, "SELECT count(*), coalesce(sum(records), 0) FROM "
	    "audit_archives", err);
	if (st == NULL || (rc = db_step_row(db, st, "read the audit archives",
	    err)) < 0)
		return -1;
	if (rc == 1) {
		*segments = sqlite3_column_int64(st, 0);
		*records = sqlite3_column_int64(st, 1);
		(void)sqlite3_reset(st);
	}
	return 0;
}

int
db_archive_check_registered(struct hr_db *db, const struct db_archive *a,
    char *file, size_t cap, struct hr_error *err)
{
	sqlite3_stmt *st;
	int rc, same;

	if (!db_has_table(db, "audit_archives"))
		return hr_errorf(err, HR_E_INTERNAL, "audit.no_registry",
		    "the database has no audit archive registry (migration 017)");
	st = db_prepare(db, "SELECT last_id, records, prev_hash, last_hash, "
	    "file FROM audit_archives WHERE first_id = ?", err);
	if (st == NULL || db_bindf(db, st, "audit archive", err, "i",
	    a->first_id) < 0)
		return -1;
	if ((rc = db_step_row(db, st, "read the audit archives", err)) < 0)
		return -1;
	if (rc == 0)
		return hr_errorf(err, HR_E_INVALID, "audit.archive_unknown",
		    "this database never archived records {first}..{last}",
		    HR_INT("first", a->first_id), HR_INT("last", a->last_id));
	same = sqlite3_column_int64(st, 0) == a->last_id &&
	    sqlite3_column_int64(st, 1) == a->records &&
	    sqlite3_column_bytes(st, 2) == HASH_LEN &&
	    sodium_memcmp(sqlite3_column_blob(st, 2), a->prev_hash,
	    HASH_LEN) == 0 && sqlite3_column_bytes(st, 3) == HASH_LEN &&
	    sodium_memcmp(sqlite3_column_blob(st, 3), a->last_hash,
	    HASH_LEN) == 0;
	snprintf(file, cap, "%s", sqlite3_column_text(st, 4) ?
	    (const char *)sqlite3_column_text(st, 4) : "");
	(void)sqlite3_reset(st);
	if (!same)
		return hr_errorf(err, HR_E_INVALID, "audit.archive_foreign",
		    "records {first}..{last}: this archive is not the one this "
		    "database made (other hashes: rewritten, or from another "
		    "database)", HR_INT("first", a->first_id),
		    HR_INT("last", a->last_id));
	return 0;
}

/* ---- searching a file ---- */

static int
archive_text_eq(const struct db_audit_fields *r, int i, const char *s)
{
	return r->text[i] != NULL && r->len[i] == strlen(s) &&
	    memcmp(r->text[i], s, r->len[i]) == 0;
}

/* The SQL half of the filter, in C. */
static int
archive_passes(const struct db_audit_filter *f, const struct db_audit_fields *r,
    char *scratch)
{
	if (f->actor != NULL && !archive_text_eq(r, 0, f->actor))
		return 0;
	if (f->object != NULL && !archive_text_eq(r, 3, f->object))
		return 0;
	if ((f->since != 0 && r->at < f->since) ||
	    (f->until != 0 && r->at >= f->until))
		return 0;
	if (f->action != NULL) {
		if (r->text[2] == NULL)
			return 0;
		memcpy(scratch, r->text[2], r->len[2]);
		scratch[r->len[2]] = '\0';
		if (sqlite3_strglob(f->action, scratch) != 0)
			return 0;
	}
	return db_audit_filter_names(f, r);
}

/* Hand one record to fn with NUL-terminated copies of its texts. */
static int
archive_emit(const struct db_audit_fields *r, db_audit_fn *fn, void *ud)
{
	size_t total = 0;
	char *buf, *p, *t[5];
	int rc;

	for (int i = 0; i < 5; i++)
		total += r->len[i] + 1;
	if ((p = buf = malloc(total)) == NULL)
		return -1;
	for (int i = 0; i < 5; i++) {
		t[i] = NULL;
		if (r->text[i] == NULL)
			continue;
		t[i] = p;
		memcpy(p, r->text[i], r->len[i]);
		p[r->len[i]] = '\0';
		p += r->len[i] + 1;
	}
	rc = fn(ud, &(struct db_audit_record){ r->id, r->at, r->user_id, t[0],
	    t[1], t[2], t[3], t[4] });
	free(buf);
	return rc;
}

/* May the block hold what the filter asks for (its time, its ids)? */
static int
archive_block_may(sqlite3_stmt *st, const struct db_audit_filter *f,
    struct ids *tmp)
{
	struct abuf raw = { 0 };
	int may = 1;

	if ((f->since != 0 && sqlite3_column_int64(st, 4) < f->since) ||
	    (f->until != 0 && sqlite3_column_int64(st, 3) >= f->until))
		return 0;
	for (int k = 0; k < 2 && may; k++) {
		int64_t want = k == 0 ? f->application : f->person;

		if (want == 0)
			continue;
		may = archive_unzstd(sqlite3_column_blob(st, 8 + k),
		    (size_t)sqlite3_column_bytes(st, 8 + k), ARCHIVE_KEYS_MAX,
		    &raw) == 0 && ids_decode(raw.p, raw.n, tmp) == 0 &&
		    ids_has(tmp, want);
	}
	free(raw.p);
	return may;
}

int
db_archive_each(const char *path, const struct db_audit_filter *f,
    db_audit_fn *fn, void *ud, struct hr_error *err)
{
	struct afile af;
	struct ablock b;
	struct ids tmp = { 0 };
	sqlite3_stmt *st = NULL;
	char *scratch = NULL;
	int rc = 0, step;

	if (afile_open(&af, path, err) < 0)
		return -1;
	memset(&b, 0, sizeof b);
	if ((scratch = malloc(ARCHIVE_RAW_MAX + 1)) == NULL) {
		rc = archive_oom(err);
		goto out;
	}
	if (sqlite3_prepare_v2(af.h, AFILE_BLOCKS " ORDER BY first_id DESC",
	    -1, &st, NULL) != SQLITE_OK) {
		rc = archive_corrupt(path,
		    HR_MSGID("no blocks table"), err);
		goto out;
	}
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		if (!archive_block_may(st, f, &tmp))
			continue;
		if (ablock_load(&af, st, &b, err) < 0) {
			rc = -1;
			break;
		}
		for (size_t i = b.nrec; i-- > 0 && rc == 0; ) {
			if (!archive_passes(f, &b.rec[i], scratch))
				continue;
			rc = archive_emit(&b.rec[i], fn, ud);
			if (rc < 0 && err->code == HR_OK)
				archive_oom(err);
		}
	}
	if (rc == 1)
		rc = 0;                   /* the caller had enough */
out:
	sqlite3_finalize(st);
	ablock_free(&b);
	free(tmp.v);
	free(scratch);
	afile_close(&af);
	return rc;
}

int
db_archive_hash_of(const char *path, int64_t id, uint8_t out[HASH_LEN],
    struct hr_error *err)
{
	struct afile af;
	struct ablock b;
	sqlite3_stmt *st = NULL;
	uint8_t prev[HASH_LEN];
	int rc = 0, step;

	if (afile_open(&af, path, err) < 0)
		return -1;
	if (id < af.a.first_id || id > af.a.last_id) {
		afile_close(&af);
		return 0;
	}
	memset(&b, 0, sizeof b);
	memcpy(prev, af.a.prev_hash, HASH_LEN);
	/* The block before gives the hash the one holding `id` follows. */
	if (sqlite3_prepare_v2(af.h, AFILE_BLOCKS " WHERE first_id <= ?1 AND "
	    "last_id >= ?1 - " "8192" " ORDER BY first_id", -1, &st, NULL) !=
	    SQLITE_OK) {
		rc = archive_corrupt(path,
		    HR_MSGID("no blocks table"), err);
		goto out;
	}
	sqlite3_bind_int64(st, 1, id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_int64(st, 1) < id) {
			if (afile_blob(st, 5, prev) < 0) {
				rc = archive_corrupt(path,
				    HR_MSGID("a block header is inconsistent"), err);
				goto out;
			}
			continue;
		}
		if (ablock_load(&af, st, &b, err) < 0) {
			rc = -1;
			goto out;
		}
		for (size_t i = 0; i < b.nrec; i++) {
			db_audit_hash(prev, &b.rec[i], prev);
			if (b.rec[i].id == id) {
				memcpy(out, prev, HASH_LEN);
				rc = 1;
				goto out;
			}
		}
	}
	rc = archive_corrupt(path,
	    HR_MSGID("records are missing or out of order"), err);
out:
	sqlite3_finalize(st);
	ablock_free(&b);
	afile_close(&af);
	return rc;
}
