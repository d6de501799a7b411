/*
 * db.c — opening the store, migrations, transactions and the statement cache.
 *
 * Each struct hr_db is one SQLite connection with its own cache of prepared
 * statements.  A connection is used by one thread at a time (the server's
 * writer passes between its event loop and its commit thread under a mutex,
 * srvd/commit.h; its reader stays on the loop), so the cache needs no lock.  Statements are
 * cached by their SQL text: the same literal from different call sites shares
 * one statement, and generated SQL (the journal's filter combinations) is
 * cached like any other, up to DB_CACHE_MAX statements and DB_CACHE_BYTES
 * of their memory (the least recently used goes first).  Callers must not keep a cached statement across a
 * call that may prepare the same text; every module resets its statements
 * when done so that no read transaction stays open behind them (an open
 * reader would stop WAL checkpoints).
 *
 * db_query, db_run and db_int open their variable arguments alike and hand
 * them to db_vprepare: C cannot pass `...` on, so each has those lines.
 */
#include "db/db.h"
#include "db/ckptlog.h"
#include "db/db_priv.h"
#include "db/migrations.h"

#include <errno.h>
#include <fcntl.h>
#ifdef __GLIBC__
#include <malloc.h>             /* malloc_trim */
#endif
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DB_BUSY_TIMEOUT_MS 5000
#define DB_CACHE_BUCKETS   256u

struct db_cache_entry {
	struct db_cache_entry *next;
	sqlite3_stmt          *stmt;
	uint64_t               hash;    /* of the key, compared first */
	uint64_t               used;    /* db_cache.clock at its last use */
	size_t                 bytes;   /* the prepared statement's memory */
	size_t                 len;
	char                   sql[];   /* the key */
};

struct db_cache {
	struct db_cache_entry *bucket[DB_CACHE_BUCKETS];
	size_t                 n;       /* entries, <= DB_CACHE_MAX and */
	size_t                 bytes;   /* <= DB_CACHE_BYTES but for busy
	                                   ones (db_cache_evict) */
	uint64_t               clock;   /* counts uses: the LRU order */
};

/*
 * The statement cache's key hash, eight bytes a step: every query looks
 * its SQL up here, and a journal page's SQL is 1.5 KB -- hashed a byte at
 * a time that was 2 % of the server's CPU under a write load (perf).
 * FNV-1a over 64-bit words, then a final mix so that the table's low bits
 * depend on every word.
 */
static uint64_t
db_cache_hash(const char *s, size_t len)
{
	uint64_t h = 14695981039346656037u, w;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 1099511628211u;
	}
	for (; i < len; i++)
		h = (h ^ (uint8_t)s[i]) * 1099511628211u;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9u;
	return h ^ (h >> 32);
}

static void
db_cache_free(struct db_cache *c)
{
	if (c == NULL)
		return;
	for (unsigned i = 0; i < DB_CACHE_BUCKETS; i++) {
		struct db_cache_entry *e = c->bucket[i], *next;

		for (; e != NULL; e = next) {
			next = e->next;
			sqlite3_finalize(e->stmt);
			free(e);
		}
	}
	free(c);
}

/*
 * Make room (db.h, DB_CACHE_MAX and DB_CACHE_BYTES): finalize the least
 * recently used statement that is not being stepped; 0 when there is
 * none.  A hit only stamps its entry (one store: the hit path stays what
 * it was), so the oldest is found here by a walk of the table --
 * DB_CACHE_MAX entries, a few microseconds, paid only by a miss at the
 * cap, which prepares a statement anyway (tens of microseconds and up).
 * A caller may hold a statement while it prepares others (a loop over
 * rows that reads more for each): one being stepped is busy
 * (sqlite3_stmt_busy) and stays; one bound and not yet stepped is among
 * the newest.  When every entry is busy nothing goes, and the cache is
 * over its cap until they end.
 */
static int
db_cache_evict(struct db_cache *c)
{
	struct db_cache_entry **oldest = NULL, *e;

	for (unsigned i = 0; i < DB_CACHE_BUCKETS; i++)
		for (struct db_cache_entry **link = &c->bucket[i];
		    (e = *link) != NULL; link = &e->next)
			if ((oldest == NULL || e->used < (*oldest)->used) &&
			    !sqlite3_stmt_busy(e->stmt))
				oldest = link;
	if (oldest == NULL)
		return 0;
	e = *oldest;
	*oldest = e->next;
	c->n--;
	c->bytes -= e->bytes;
	sqlite3_finalize(e->stmt);
	free(e);
	return 1;
}

/* Map SQLite's result codes onto ours so callers can react to the kind. */
static int
db_map_code(int rc)
{
	switch (rc) {
	case SQLITE_CONSTRAINT_UNIQUE:
	case SQLITE_CONSTRAINT_PRIMARYKEY:
		return HR_E_DUPLICATE;
	case SQLITE_CONSTRAINT_FOREIGNKEY:
	case SQLITE_CONSTRAINT_CHECK:
	case SQLITE_CONSTRAINT_NOTNULL:
		return HR_E_INVALID;
	}
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return HR_E_BUSY;
	case SQLITE_CANTOPEN:
	case SQLITE_IOERR:
	case SQLITE_FULL:
	case SQLITE_READONLY:
	case SQLITE_PERM:
		return HR_E_IO;
	}
	return HR_E_INTERNAL;
}

int
db_fail(struct hr_db *db, struct hr_error *err, const char *what)
{
	int rc = sqlite3_extended_errcode(db->sql);

	return hr_error_set(err, db_map_code(rc), "%s: %s (%s)", what,
	    sqlite3_errmsg(db->sql), db->path ? db->path : "database");
}

int64_t
db_now(void)
{
	return (int64_t)time(NULL);
}

sqlite3_stmt *
db_prepare(struct hr_db *db, const char *sql, struct hr_error *err)
{
	struct db_cache *c = db->cache;
	size_t len = strlen(sql);
	uint64_t hash = db_cache_hash(sql, len);
	unsigned h = (unsigned)(hash % DB_CACHE_BUCKETS);
	struct db_cache_entry *e;

	for (e = c->bucket[h]; e != NULL; e = e->next) {
		if (e->hash == hash && e->len == len &&
		    memcmp(e->sql, sql, len) == 0) {
			e->used = ++c->clock;
			/* The previous user has seen any error already. */
			(void)sqlite3_reset(e->stmt);
			(void)sqlite3_clear_bindings(e->stmt);
			return e->stmt;
		}
	}
	e = malloc(sizeof *e + len + 1);
	if (e == NULL) {
		hr_error_set(err, HR_E_INTERNAL, "out of memory preparing a query");
		return NULL;
	}
	memcpy(e->sql, sql, len + 1);
	e->hash = hash;
	e->len = len;
	if (sqlite3_prepare_v3(db->sql, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &e->stmt, NULL) != SQLITE_OK) {
		db_fail(db, err, "prepare");
		free(e);
		return NULL;
	}
	e->bytes = (size_t)sqlite3_stmt_status(e->stmt,
	    SQLITE_STMTSTATUS_MEMUSED, 0);
	while ((c->n >= DB_CACHE_MAX || c->bytes + e->bytes > DB_CACHE_BYTES) &&
	    db_cache_evict(c))
		;
	e->used = ++c->clock;
	e->next = c->bucket[h];
	c->bucket[h] = e;
	c->n++;
	c->bytes += e->bytes;
	return e->stmt;
}

/* The binder behind db_bindf and db_run (formats: see db_priv.h). */
static int
db_vbind(sqlite3_stmt *st, const char *what, struct hr_error *err,
    const char *fmt, va_list ap)
{
	int rc = SQLITE_OK, i = 1;

	/* A format that does not match the SQL is a programming error that
	 * would otherwise bind silently wrong columns. */
	if ((int)strlen(fmt) != sqlite3_bind_parameter_count(st))
		return hr_error_set(err, HR_E_INTERNAL, "%s: %zu values for %d "
		    "parameters", what, strlen(fmt),
		    sqlite3_bind_parameter_count(st));
	for (const char *f = fmt; *f != '\0' && rc == SQLITE_OK; f++, i++) {
		const char *s;
		const void *b;
		size_t n;

		switch (*f) {
		case 'i':
			rc = sqlite3_bind_int64(st, i, va_arg(ap, int64_t));
			break;
		case 'd':
			rc = sqlite3_bind_int(st, i, va_arg(ap, int));
			break;
		case 't':
			s = va_arg(ap, const char *);
			rc = s == NULL ? sqlite3_bind_null(st, i) :
			    sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
			break;
		case 'b':
			b = va_arg(ap, const void *);
			n = va_arg(ap, size_t);
			rc = b == NULL ? sqlite3_bind_null(st, i) :
			    sqlite3_bind_blob64(st, i, b, n, SQLITE_TRANSIENT);
			break;
		default:
			rc = SQLITE_MISUSE;
			break;
		}
	}
	if (rc != SQLITE_OK)
		return hr_error_set(err, HR_E_INTERNAL, "%s: binding parameter "
		    "%d: %s", what, i - 1, sqlite3_errstr(rc));
	return 0;
}

int
db_bindf(struct hr_db *db, sqlite3_stmt *st, const char *what,
    struct hr_error *err, const char *fmt, ...)
{
	va_list ap;
	int rc;

	(void)db;
	va_start(ap, fmt);
	rc = db_vbind(st, what, err, fmt, ap);
	va_end(ap);
	return rc;
}

int
db_step_done(struct hr_db *db, sqlite3_stmt *st, const char *what,
    struct hr_error *err)
{
	int rc = sqlite3_step(st);

	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		db_fail(db, err, what);
		(void)sqlite3_reset(st);
		return -1;
	}
	(void)sqlite3_reset(st);
	return 0;
}

int
db_step_row(struct hr_db *db, sqlite3_stmt *st, const char *what,
    struct hr_error *err)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE) {
		(void)sqlite3_reset(st);
		return 0;
	}
	db_fail(db, err, what);
	(void)sqlite3_reset(st);
	return -1;
}

/* The cached statement of `sql` with the arguments bound (db_vbind);
 * NULL on an error. */
static sqlite3_stmt *
db_vprepare(struct hr_db *db, const char *sql, const char *what,
    struct hr_error *err, const char *fmt, va_list ap)
{
	sqlite3_stmt *st = db_prepare(db, sql, err);

	if (st == NULL || db_vbind(st, what, err, fmt, ap) < 0)
		return NULL;
	return st;
}

sqlite3_stmt *
db_query(struct hr_db *db, const char *sql, const char *what,
    struct hr_error *err, const char *fmt, ...)
{
	sqlite3_stmt *st;
	va_list ap;

	va_start(ap, fmt);
	st = db_vprepare(db, sql, what, err, fmt, ap);
	va_end(ap);
	return st;
}

int
db_stopped(sqlite3_stmt *st, const char *what, struct hr_error *err)
{
	(void)sqlite3_reset(st);
	return hr_error_set(err, HR_E_INTERNAL, "reading %s stopped", what);
}

int
db_run(struct hr_db *db, const char *sql, const char *what,
    struct hr_error *err, const char *fmt, ...)
{
	sqlite3_stmt *st;
	va_list ap;

	va_start(ap, fmt);
	st = db_vprepare(db, sql, what, err, fmt, ap);
	va_end(ap);
	if (st == NULL)
		return -1;
	return db_step_done(db, st, what, err);
}

/* db_first with the arguments in a va_list. */
static int
db_vfirst(struct hr_db *db, sqlite3_stmt **st, const char *sql,
    const char *what, struct hr_error *err, const char *fmt, va_list ap)
{
	if ((*st = db_vprepare(db, sql, what, err, fmt, ap)) == NULL)
		return -1;
	return db_step_row(db, *st, what, err);
}

int
db_first(struct hr_db *db, sqlite3_stmt **st, const char *sql,
    const char *what, struct hr_error *err, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = db_vfirst(db, st, sql, what, err, fmt, ap);
	va_end(ap);
	return rc;
}

int
db_int(struct hr_db *db, const char *sql, const char *what, int64_t *out,
    struct hr_error *err, const char *fmt, ...)
{
	sqlite3_stmt *st;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = db_vfirst(db, &st, sql, what, err, fmt, ap);
	va_end(ap);
	if (rc < 0)
		return -1;
	*out = rc == 1 ? sqlite3_column_int64(st, 0) : 0;
	if (rc == 1)
		(void)sqlite3_reset(st);
	return 0;
}

int
db_col_dup(sqlite3_stmt *st, int col, char **out, struct hr_error *err)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	*out = NULL;
	if (s == NULL)
		return 0;
	*out = strdup((const char *)s);
	if (*out == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	return 0;
}

int
db_exec(struct hr_db *db, const char *sql, const char *what,
    struct hr_error *err)
{
	if (sqlite3_exec(db->sql, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(db, err, what);
	return 0;
}

int
db_begin(struct hr_db *db, struct hr_error *err)
{
	return db_run(db, "BEGIN IMMEDIATE", "begin a write transaction", err, "");
}

int
db_begin_read(struct hr_db *db, struct hr_error *err)
{
	return db_run(db, "BEGIN", "begin a read transaction", err, "");
}

int
db_commit(struct hr_db *db, struct hr_error *err)
{
	return db_run(db, "COMMIT", "commit", err, "");
}

void
db_rollback(struct hr_db *db)
{
	/* Nothing to undo when SQLite already rolled back (after SQLITE_FULL,
	 * say): then ROLLBACK fails harmlessly. */
	if (!sqlite3_get_autocommit(db->sql))
		(void)sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
}

/* Run "VERB NAME" on a savepoint.  Names are spliced into SQL: letters,
 * digits and '_' only. */
static int
db_savepoint_run(struct hr_db *db, const char *verb, const char *name,
    const char *what, struct hr_error *err)
{
	char sql[96];
	size_t n = strlen(name);
	int len;

	if (n == 0 || n > 64 || strspn(name, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789") != n)
		return hr_error_set(err, HR_E_INTERNAL, "bad savepoint name");
	len = snprintf(sql, sizeof sql, "%s %s", verb, name);
	if (len < 0 || (size_t)len >= sizeof sql)
		return hr_error_set(err, HR_E_INTERNAL, "bad savepoint name");
	return db_run(db, sql, what, err, "");
}

int
db_savepoint(struct hr_db *db, const char *name, struct hr_error *err)
{
	return db_savepoint_run(db, "SAVEPOINT", name, "savepoint", err);
}

int
db_release(struct hr_db *db, const char *name, struct hr_error *err)
{
	return db_savepoint_run(db, "RELEASE", name, "release savepoint", err);
}

void
db_rollback_to(struct hr_db *db, const char *name)
{
	struct hr_error err;

	(void)db_savepoint_run(db, "ROLLBACK TO", name,
	    "rollback to savepoint", &err);
}

int
db_tx_enter(struct hr_db *db, int *own, struct hr_error *err)
{
	*own = 0;
	if (!sqlite3_get_autocommit(db->sql))
		return 0;
	if (db_begin(db, err) < 0)
		return -1;
	*own = 1;
	return 0;
}

int
db_tx_leave(struct hr_db *db, int own, int rc, struct hr_error *err)
{
	if (!own)
		return rc;
	if (rc == 0 && db_commit(db, err) == 0)
		return 0;
	db_rollback(db);
	return -1;
}

int
db_has_table(struct hr_db *db, const char *name)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(db->sql, "SELECT 1 FROM sqlite_schema WHERE "
	    "name = ?", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC) != SQLITE_OK) {
		sqlite3_finalize(st);
		return 0;
	}
	rc = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return rc;
}

int
db_schema_version(struct hr_db *db)
{
	struct hr_error err;
	sqlite3_stmt *st;
	int v, rc;

	st = db_prepare(db, "SELECT count(*) FROM sqlite_schema "
	    "WHERE type = 'table' AND name = 'schema_migrations'", &err);
	if (st == NULL || db_step_row(db, st, "schema", &err) != 1)
		return -1;
	v = sqlite3_column_int(st, 0);
	(void)sqlite3_reset(st);
	if (v == 0)
		return 0;
	st = db_prepare(db, "SELECT coalesce(max(version), 0) "
	    "FROM schema_migrations", &err);
	if (st == NULL || (rc = db_step_row(db, st, "schema", &err)) != 1)
		return -1;
	v = sqlite3_column_int(st, 0);
	(void)sqlite3_reset(st);
	return v;
}

/*
 * Apply one migration in its own transaction.  The version is checked again
 * under the write lock: the server and hromadactl may open a fresh file at
 * the same moment, and only one of them must run the script.
 */
static int
db_migrate_one(struct hr_db *db, const struct db_migration *m,
    struct hr_error *err)
{
	char what[128];
	int rc;

	snprintf(what, sizeof what, "migration %s", m->name);
	if (db_begin(db, err) < 0)
		return -1;
	rc = db_exec(db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
	    "version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
	    "applied_at INTEGER NOT NULL)", what, err);
	if (rc == 0) {
		int v = db_schema_version(db);

		if (v < 0)
			rc = hr_error_set(err, HR_E_INTERNAL, "%s: cannot read "
			    "the schema version", what);
		else if (v >= m->number) {
			db_rollback(db);
			return 0;
		}
	}
	if (rc == 0)
		rc = db_exec(db, m->sql, what, err);
	if (rc == 0)
		rc = db_run(db, "INSERT INTO schema_migrations (version, name, "
		    "applied_at) VALUES (?, ?, ?)", what, err, "dti",
		    m->number, m->name, db_now());
	return db_tx_leave(db, 1, rc, err);
}

/*
 * A migration rewrites tables and fills new ones from the old: at national
 * size (a million applications) that is gigabytes of pages, and with
 * SQLite's default 2 MiB page cache the transaction spills its dirty pages
 * to the WAL and reads them back over and over -- migrations 019-021 ran
 * for more than 20 minutes and wrote 50 GB for a 4.6 GiB file.  A large
 * cache while migrating (memory is only taken as pages are touched), the
 * connection's own size again after.
 */
#define DB_MIGRATE_CACHE_KIB 524288   /* 512 MiB */

int
db_cache_raise(struct hr_db *db, int kib, int *was, struct hr_error *err)
{
	sqlite3_stmt *st = NULL;

	*was = 0;
	if (sqlite3_prepare_v2(db->sql, "PRAGMA cache_size", -1, &st, NULL) ==
	    SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		*was = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (*was == 0)
		return db_fail(db, err, "read the page cache's size");
	/* negative: KiB.  A cache already as large (hromadad's writer,
	 * writer_cache) stays as it is, and so do its pages: nothing to give
	 * back after, so that consecutive pieces of work find the pages the
	 * ones before them read. */
	if (*was < 0 && -*was >= kib) {
		*was = 0;
		return 0;
	}
	return db_cache_set(db, kib, err);
}

int
db_cache_set(struct hr_db *db, int kib, struct hr_error *err)
{
	char sql[64];

	snprintf(sql, sizeof sql, "PRAGMA cache_size=-%d", kib);
	if (sqlite3_exec(db->sql, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(db, err, "size the page cache");
	return 0;
}

void
db_cache_restore(struct hr_db *db, int was)
{
	char sql[64];

	if (was == 0)
		return;
	snprintf(sql, sizeof sql, "PRAGMA cache_size=%d", was);
	(void)sqlite3_exec(db->sql, sql, NULL, NULL, NULL);
	/* Shrinking the setting frees the clean pages above it; give the
	 * memory back to the system too, or a server that migrated a
	 * national database at its start keeps hundreds of MiB it never uses
	 * again.  (Dirty pages of an open transaction stay until it ends.) */
	(void)sqlite3_db_release_memory(db->sql);
#ifdef __GLIBC__
	(void)malloc_trim(0);
#endif
}

static int
db_migrate(struct hr_db *db, struct hr_error *err)
{
	int have = db_schema_version(db);
	int newest = db_migrations[db_migrations_count - 1].number;
	int cache = 0, rc = 0;

	if (have < 0)
		return db_fail(db, err, "read the schema version");
	if (have > newest)
		return hr_errorf(err, HR_E_VERSION, "db.newer", "{file}: "
		    "schema "
		    "version {version} is newer than this program knows "
		    "({newest}); upgrade Hromada", HR_STR("file", db->path),
		    HR_INT("version", have), HR_INT("newest", newest));
	if (db->flags & HR_DB_READONLY) {
		if (have < newest)
			return hr_errorf(err, HR_E_VERSION, "db.migrate",
			    "{file}: schema version {version} needs migrating "
			    "to {newest}; open it read-write once",
			    HR_STR("file", db->path),
			    HR_INT("version", have),
			    HR_INT("newest", newest));
		return 0;
	}
	if (have < newest && db_cache_raise(db, DB_MIGRATE_CACHE_KIB, &cache,
	    err) < 0)
		return -1;
	for (int i = 0; i < db_migrations_count && rc == 0; i++)
		if (db_migrations[i].number > have)
			rc = db_migrate_one(db, &db_migrations[i], err);
	if (have < newest)
		db_cache_restore(db, cache);
	return rc;
}

/* One pragma whose result row (if any) must read `expect`. */
static int
db_pragma(struct hr_db *db, const char *sql, const char *expect,
    struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, sql, err);
	int rc;

	if (st == NULL)
		return -1;
	rc = db_step_row(db, st, sql, err);
	if (rc < 0)
		return -1;
	if (rc == 1 && expect != NULL) {
		const char *got = (const char *)sqlite3_column_text(st, 0);

		if (got == NULL || strcmp(got, expect) != 0) {
			hr_error_set(err, HR_E_IO, "%s: %s gave %s, not %s",
			    db->path, sql, got ? got : "nothing", expect);
			(void)sqlite3_reset(st);
			return -1;
		}
	}
	(void)sqlite3_reset(st);
	return 0;
}

static int
db_configure(struct hr_db *db, struct hr_error *err)
{
	if (sqlite3_busy_timeout(db->sql, DB_BUSY_TIMEOUT_MS) != SQLITE_OK)
		return db_fail(db, err, "set the busy timeout");
	if (sqlite3_extended_result_codes(db->sql, 1) != SQLITE_OK)
		return db_fail(db, err, "enable extended result codes");
	if (!(db->flags & HR_DB_READONLY) &&
	    db_pragma(db, "PRAGMA journal_mode=WAL", "wal", err) < 0)
		return -1;
	/*
	 * temp_store=MEMORY: the server runs each write request in a
	 * SAVEPOINT inside one big group-commit transaction, and SQLite keeps
	 * every such savepoint's undo pages in a statement journal.  Left to
	 * the default, a statement journal over 64 KiB goes to a temporary
	 * file (/var/tmp/etilqs_*): under load that was 10,000 pwrite()s a
	 * second on the event loop and more than half of an application
	 * save's cost.  One request's undo pages are few, so memory is the
	 * right place; it also keeps personal data out of temporary files.
	 */
	if (db_pragma(db, "PRAGMA synchronous=FULL", NULL, err) < 0 ||
	    db_pragma(db, "PRAGMA foreign_keys=ON", NULL, err) < 0 ||
	    db_pragma(db, "PRAGMA temp_store=MEMORY", NULL, err) < 0)
		return -1;
	return 0;
}

/*
 * A new database holds the server's secret key and password hashes: create
 * the file 0600 ourselves (SQLite gives the -wal and -shm files the mode of
 * the database file).
 */
static int
db_create_file(const char *path, struct hr_error *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd < 0 && errno != EEXIST)
		return hr_errorf(err, HR_E_IO, "io.create", "cannot create "
		    "{file}: {reason}", HR_STR("file", path), HR_STR("reason",
		    strerror(errno)));
	if (fd >= 0)
		close(fd);
	return 0;
}

static int
db_open_file(struct hr_db *db, const char *path, int flags,
    struct hr_error *err)
{
	struct stat sb;
	int oflags;

	if (stat(path, &sb) != 0) {
		if (errno != ENOENT || !(flags & HR_DB_CREATE))
			return (errno == ENOENT ? hr_errorf(err, HR_E_NOT_FOUND,
			    "db.missing", "cannot open database {file}: there "
			    "is no such file (create it with hromadactl init)",
			    HR_STR("file", path)) : hr_errorf(err, HR_E_IO,
			    "db.open", "cannot open database {file}: {reason}",
			    HR_STR("file", path), HR_STR("reason",
			    strerror(errno))));
		if (db_create_file(path, err) < 0)
			return -1;
	}
	/* No connection is used by two threads at once (the server's writer
	 * changes hands under the group commit's lock, srvd/commit.h; every
	 * other connection stays with one thread): SQLite's own lock around
	 * every call -- each step, bind and column -- is not needed.  Debian
	 * builds SQLite serialized; this makes our connections multi-thread. */
	oflags = ((flags & HR_DB_READONLY) ? SQLITE_OPEN_READONLY :
	    SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX;
	/* Through the VFS that notes a checkpoint's pages for a backup that
	 * asks (db/ckptlog.h): every connection that may checkpoint. */
	if (sqlite3_open_v2(path, &db->sql, oflags, db_ckptlog_vfs()) !=
	    SQLITE_OK) {
		if (db->sql == NULL)
			return hr_error_set(err, HR_E_INTERNAL, "out of memory "
			    "opening %s", path);
		return db_fail(db, err, "open the database");
	}
	return 0;
}

/*
 * Once per process, before the first connection: no memory statistics.
 * With them on (SQLite's default) every sqlite3_malloc and sqlite3_free
 * takes one process-wide mutex to count bytes nobody reads; with the
 * server's query threads, the loop and the commit thread all querying at
 * once, that mutex was the most contended lock of the process (perf under
 * tests/load).  sqlite3_config only works before SQLite initialises; if
 * something initialised it already, it says so and nothing changes.
 */
static void
db_global_config(void)
{
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	(void)db_ckptlog_vfs();         /* registered after the config */
}

int
db_open(struct hr_db **out, const char *path, int flags, struct hr_error *err)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct hr_db *db;

	(void)pthread_once(&once, db_global_config);
	*out = NULL;
	db = calloc(1, sizeof *db);
	if (db == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	db->flags = flags;
	db->path = strdup(path);
	db->cache = calloc(1, sizeof *db->cache);
	if (db->path == NULL || db->cache == NULL) {
		db_close(db);
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	}
	if (db_open_file(db, path, flags, err) < 0 ||
	    db_configure(db, err) < 0 || db_migrate(db, err) < 0) {
		db_close(db);
		return -1;
	}
	*out = db;
	return 0;
}

void
db_close(struct hr_db *db)
{
	if (db == NULL)
		return;
	db_cache_free(db->cache);
	/* sqlite3_close_v2 defers the close if a statement outside the cache
	 * were still open, instead of leaking the connection. */
	if (db->sql != NULL)
		(void)sqlite3_close_v2(db->sql);
	free(db->path);
	free(db);
}
