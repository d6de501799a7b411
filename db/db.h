/*
 * db.h — the SQLite store: open, migrate, transactions.
 *
 * One database file, WAL mode, synchronous=FULL: a commit that returned is
 * on disk.  Migrations (db/migrations/NNN_name.sql, embedded in the binary)
 * are applied in order at open, each in its own transaction, and recorded in
 * schema_migrations.  The db layer knows nothing of connections or clients;
 * it may use proto/ for validators.
 *
 * Every function that can fail takes a struct hr_error and returns 0 or -1.
 * Writers wrap their work in db_begin/db_commit (BEGIN IMMEDIATE: a deferred
 * read-then-write transaction would fail with SQLITE_BUSY and ignore the
 * busy timeout, PITFALLS.md).
 */
#ifndef HR_DB_H
#define HR_DB_H

#include <stdint.h>

#include <sqlite3.h>

#include "proto/error.h"

struct db_cache;

struct hr_db {
	sqlite3         *sql;
	char            *path;
	struct db_cache *cache;   /* prepared statements by SQL text (db.c) */
	int              flags;   /* HR_DB_* given to db_open */
	unsigned         batches; /* DB_BATCH_* (batch_summaries.h): its
	                             write transactions are batches */
};

#define HR_DB_CREATE   0x1   /* create the file if missing */
#define HR_DB_READONLY 0x2

/* Open, set pragmas, apply pending migrations. */
int  db_open(struct hr_db **out, const char *path, int flags, struct hr_error *err);
void db_close(struct hr_db *db);

int  db_begin(struct hr_db *db, struct hr_error *err);    /* BEGIN IMMEDIATE */
/* BEGIN (deferred) for reading only: every statement until db_commit sees
 * the same committed snapshot (WAL).  For the server's reader connection. */
int  db_begin_read(struct hr_db *db, struct hr_error *err);
int  db_commit(struct hr_db *db, struct hr_error *err);
void db_rollback(struct hr_db *db);

/* Savepoints: one per request inside a group commit (srvd/commit.c). */
int  db_savepoint(struct hr_db *db, const char *name, struct hr_error *err);
int  db_release(struct hr_db *db, const char *name, struct hr_error *err);
void db_rollback_to(struct hr_db *db, const char *name);

/*
 * Prepare (cached by SQL text) and reset/clear on each call.
 *
 * A connection keeps at most DB_CACHE_MAX statements and DB_CACHE_BYTES of
 * their memory prepared; past either the least recently used one not
 * being stepped is finalized.  Before the caps every connection (the
 * writer, each query thread) kept every statement it had ever prepared,
 * and the journal's generated texts have no small bound: a page's SQL
 * follows its filters, and a page of kind ranges (db/journal.c) its
 * number of ranges -- 16 KB prepared for one range, 220 KB for 64, 850 KB
 * for 256 (SQLITE_STMTSTATUS_MEMUSED), one per count of ranges, filter
 * terms and kind of scope, over months of clerks' filters.  In use the
 * caps are far off: under the load generator's whole mix a query thread
 * held 75 statements in 1.1 MB, the writer 77 in 0.6 MB; 64 MiB still
 * holds 75 of the largest range pages (5 ms each to prepare again).  So
 * in steady work nothing is evicted, and a hit costs what it did.  A
 * statement the caller is stepping (a row returned, not yet reset) is
 * never evicted; one prepared and not yet stepped goes only after many
 * others are prepared -- hold none across more than a few.
 */
#define DB_CACHE_MAX   1024u
#define DB_CACHE_BYTES (64u << 20)
sqlite3_stmt *db_prepare(struct hr_db *db, const char *sql, struct hr_error *err);

/* Turn the last SQLite error into err (code HR_E_INTERNAL unless mapped). */
int  db_fail(struct hr_db *db, struct hr_error *err, const char *what);

/*
 * A page cache of at least `kib` KiB for a large piece of work (migrations,
 * a *.DAT exchange at national size): SQLite's default of 2 MiB re-reads
 * the upper pages of every index it walks.  Memory is only taken as pages
 * are read.  *was gets the size to restore; db_cache_restore(db, *was)
 * sets it back and gives the freed memory back to the system.
 */
int  db_cache_raise(struct hr_db *db, int kib, int *was, struct hr_error *err);
void db_cache_restore(struct hr_db *db, int was);

/*
 * The page cache of a connection, `kib` KiB from now on (memory is taken
 * as pages are read, never given back while the connection lives).
 * hromadad gives its writer DB_WRITER_CACHE_KIB unless hromadad.conf's
 * writer_cache says otherwise: every write reads the upper pages of the
 * indexes it changes and the rows around it, and at national size
 * SQLite's default 2 MiB holds few of them -- a *.DAT import after the
 * export of the same applications read 9-11 pages an application again.
 * The writer's cache stays valid across its own commits (WAL: nobody
 * else writes), unlike the readers', which every commit empties.
 */
#define DB_WRITER_CACHE_KIB (256 * 1024)
int  db_cache_set(struct hr_db *db, int kib, struct hr_error *err);

/* Seconds since the epoch (wall clock), the time unit of the schema. */
int64_t db_now(void);

/* Highest applied migration number. */
int  db_schema_version(struct hr_db *db);

/*
 * Run one or more SQL statements without results (sqlite3_exec), e.g. DDL in
 * tests.  `what` names the work in the error message.
 */
int  db_exec(struct hr_db *db, const char *sql, const char *what,
    struct hr_error *err);

/*
 * Step a statement from db_prepare that returns no rows (INSERT, UPDATE,
 * DELETE) and reset it.  0, or -1 with err naming `what`; a UNIQUE
 * violation maps to HR_E_DUPLICATE, SQLITE_BUSY to HR_E_BUSY.
 */
int  db_step_done(struct hr_db *db, sqlite3_stmt *st, const char *what,
    struct hr_error *err);

#endif
