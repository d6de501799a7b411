/*
 * tdb.h — SQL for the tests and benchmarks that set up or look into a
 * database directly (test_db, test_attachments, test_journal_scope,
 * bench_dat, test_commit, test_checkpoint, test_copy): a statement that
 * must work, one number read back, and the database file's place.
 *
 * A statement that fails here is a broken test, not a finding: the
 * program ends (exit 1) naming the statement and SQLite's message.
 */
#ifndef HR_TESTS_TDB_H
#define HR_TESTS_TDB_H

#include <stddef.h>
#include <stdint.h>

struct hr_db;

/* Run `sql` (one or more statements, no rows wanted). */
void    tdb_exec(struct hr_db *db, const char *sql);

/* The first column of the first row of `sql` as an integer; -1 when the
 * query has no row. */
int64_t tdb_int(struct hr_db *db, const char *sql);

/* The same, from the database file at `path` through a read-only
 * connection of its own: what another process sees there. */
int64_t tdb_path_int(const char *path, const char *sql);

/* A stored answer file (*.DAT) of the first back office, for decisions
 * written straight into `decisions` (db_decision_add): its id. */
int64_t tdb_answer_file(struct hr_db *db);

/* A fresh name for a test's database file, /tmp/NAME.XXXXXX made unique
 * (mkstemp) into path[cap], with no file there yet: the test's open
 * creates it, and tdb_remove takes it away. */
void    tdb_temp_path(char *path, size_t cap, const char *name);

/* A database file with its -wal and -shm, removed (a test's teardown). */
void    tdb_remove(const char *path);

/* One count (0 when exact): the rows where the journal's kept counts --
 * status_counts (008, by service and package since 031), untold_counts
 * (026), decision_counts (033), clock_odd_counts (034),
 * clock_due_counts (035) and created_day_counts (037; both three levels,
 * a back office's statuses) -- differ from a recount of the
 * applications (and decisions) at their levels,
 * and the decisions whose copy of their application's territories (033)
 * is not its own.
 * For tdb_int, or any connection to the database. */
extern const char tdb_counts_differ_sql[];

/* The same for the deadline clocks' summaries (027): the rows where
 * deadline_running and deadline_facts differ from a recount of
 * application_clocks (0 when exact). */
extern const char tdb_deadlines_differ_sql[];

#endif
