/*
 * batch_summaries.c — the summaries a batch held, moved once at its end
 * (batch_summaries.h, migration 029_batch_summaries).
 *
 * What the triggers left to the batch, counted from its own rows:
 *  - its status changes are the history rows since the hold that move an
 *    application from one status to another; each is -1 at the old status
 *    and +1 at the new one in status_counts, and, when the applicant has
 *    not been told, -1/+1 in untold_counts as it leaves or reaches
 *    `answered`, at the application's five levels (front office,
 *    hromada, back office, oblast, the country);
 *  - its new applications are the creation rows since the hold (no
 *    "from"): +1 at their status in status_counts (038_insert_hold; their
 *    untold counts are never held: none is created answered);
 *  - its report facts are those the views of 019 give for the same
 *    history rows and for the decisions of its answer file, fanned out
 *    to the five levels exactly as report_fact_in_add does one fact;
 *  - the decisions of its answer file are counted in decision_counts
 *    (033) by kind at the same five levels, as their applications are
 *    then (a decided application's move while held leaves it to this).
 *  - its creations and status changes are counted by creation day
 *    (037) from the same history rows, creations included.
 * Each summary row moves once by the sum of its changes: rows that grow
 * are upserted, rows that shrink (they exist: what leaves a status was
 * counted in it) updated.
 */
#include "db/batch_summaries.h"
#include "db/db_priv.h"

#include <assert.h>

/*
 * The batch's status changes, with the application's territories (read
 * once: MATERIALIZED -- flattened into a statement that tests
 * a.notified_at, SQLite built a Bloom filter of every application's row
 * first), counted per (from, to, territories, service, package, untold)
 * first -- a file's 500 changes are a few dozen such groups -- then fanned
 * out to the five levels and summed into temp.batch_moves: per (scope,
 * territory, service, package, status) the status counts' change
 * (031_service_counts), and with a NULL status the untold counts'.
 * (Fanned out row by row, the sort of 7,500 rows was most of the
 * statement's 7 ms a file.)
 */
static const char batch_moves_sql[] =
	"WITH ch(f, t, fo, hr, sp, ob, sv, pk, untold, n) AS MATERIALIZED "
	"(SELECT h.from_status, h.to_status, a.front_office_id, a.hromada_id, "
	"a.spszn_id, a.oblast_id, a.service_code, a.package_full, "
	"a.notified_at IS NULL, count(*) FROM "
	"application_history h CROSS JOIN applications a ON a.id = "
	"h.application_id WHERE h.id >= ?1 AND "
	"h.from_status IS NOT h.to_status GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9), "
	"lv(k, scope) AS (VALUES (1, 'front_office'), (2, 'hromada'), "
	"(3, 'spszn'), (4, 'oblast'), (5, 'all')) "
	"INSERT INTO temp.batch_moves (scope, territory_id, service, package, "
	"status, d) SELECT lv.scope, CASE lv.k WHEN 1 THEN fo WHEN 2 THEN hr "
	"WHEN 3 THEN sp WHEN 4 THEN ob ELSE 0 END, m.sv, m.pk, m.status, "
	"sum(m.d) FROM (SELECT fo, hr, sp, ob, sv, pk, f AS status, -n AS d "
	"FROM ch WHERE f IS NOT NULL UNION ALL "
	"SELECT fo, hr, sp, ob, sv, pk, t, n FROM ch "
	"UNION ALL SELECT fo, hr, sp, ob, NULL, NULL, NULL, "
	"n * ((t = 'answered') - (f = 'answered')) FROM ch WHERE untold AND "
	"f IS NOT NULL) m, lv GROUP BY 1, 2, 3, 4, 5";

/* In order, after batch_moves_sql, each with what it binds: the
 * history's first row and the answer file (decisions: only with one). */
static const struct {
	const char *sql, *binds;
	int         file_only;
} moves[] = {
	{ "INSERT INTO status_counts (scope, territory_id, service, "
	"package_full, status, n) SELECT scope, territory_id, service, "
	"package, status, d FROM temp.batch_moves WHERE status IS NOT NULL "
	"AND d > 0 ON CONFLICT DO UPDATE SET n = status_counts.n + excluded.n",
	"", 0 },
	{ "UPDATE status_counts SET n = n + m.d FROM temp.batch_moves m WHERE "
	"m.status IS NOT NULL AND m.d < 0 AND status_counts.scope = m.scope "
	"AND status_counts.territory_id = m.territory_id AND "
	"status_counts.service = m.service AND status_counts.package_full = "
	"m.package AND status_counts.status = m.status", "", 0 },
	{ "INSERT INTO untold_counts (scope, territory_id, n) SELECT scope, "
	"territory_id, d FROM temp.batch_moves WHERE status IS NULL AND d > 0 "
	"ON CONFLICT DO UPDATE SET n = untold_counts.n + excluded.n", "", 0 },
	{ "UPDATE untold_counts SET n = n + m.d FROM temp.batch_moves m WHERE "
	"m.status IS NULL AND m.d < 0 AND untold_counts.scope = m.scope AND "
	"untold_counts.territory_id = m.territory_id", "", 0 },
	/* report_fact_in_add's fan-out (019), grouped: each fact's month and
	 * key (a time's bucket) made once and the facts of the same
	 * territories summed (g), then fanned out to the five levels and
	 * summed again -- not every fact five times through the sort.  The
	 * batch's rows are a few at the end of the history: said with
	 * likelihood(), or on a database never analysed SQLite reads some of
	 * the view's arms from application_history_sent, every row handed
	 * over since the start. */
	{ "WITH g(fo, hr, sp, ob, month, measure, key, n, amount) AS "
	"MATERIALIZED (SELECT a.front_office_id, a.hromada_id, a.spszn_id, "
	"a.oblast_id, "
	"CAST(strftime('%Y%m', f.at, 'unixepoch', 'localtime') AS INTEGER), "
	"f.measure, CASE WHEN f.measure = 'time' THEN f.key || ':' || "
	"CASE WHEN f.amount < 259200 THEN max(f.amount, 0) / 3600 "
	"ELSE f.amount / 86400 * 24 END ELSE coalesce(f.key, '') END, "
	"count(*), sum(max(coalesce(f.amount, 0), 0)) "
	"FROM (SELECT application_id, at, measure, key, amount "
	"FROM report_history_facts WHERE likelihood(history_id >= ?1, 1e-6) "
	"UNION ALL "
	"SELECT application_id, at, measure, key, amount "
	"FROM report_decision_facts WHERE application_id IN "
	"(SELECT application_id FROM decisions WHERE file_id = ?2)) f "
	"JOIN applications a ON a.id = f.application_id "
	"WHERE NOT (f.measure = 'time' AND f.amount IS NULL) "
	"GROUP BY 1, 2, 3, 4, 5, 6, 7) "
	"INSERT INTO report_facts (territory_id, month, measure, key, n, "
	"amount) SELECT CASE l.level WHEN 1 THEN fo WHEN 2 THEN hr "
	"WHEN 3 THEN sp WHEN 4 THEN ob ELSE 0 END, month, measure, key, "
	"sum(n), sum(amount) FROM g, "
	"(SELECT 1 AS level UNION ALL SELECT 2 UNION ALL SELECT 3 "
	"UNION ALL SELECT 4 UNION ALL SELECT 5) l "
	"WHERE true GROUP BY 1, 2, 3, 4 "      /* WHERE: the upsert's parse */
	"ON CONFLICT DO UPDATE SET n = report_facts.n + excluded.n, "
	"amount = report_facts.amount + excluded.amount", "ii", 0 },
	/* decision_counts_insert's fan-out (033), grouped */
	{ "WITH lv(k, scope) AS (VALUES (1, 'front_office'), (2, 'hromada'), "
	"(3, 'spszn'), (4, 'oblast'), (5, 'all')) "
	"INSERT INTO decision_counts (scope, territory_id, service, "
	"package_full, decision, n) SELECT lv.scope, CASE lv.k WHEN 1 THEN "
	"a.front_office_id WHEN 2 THEN a.hromada_id WHEN 3 THEN a.spszn_id "
	"WHEN 4 THEN a.oblast_id ELSE 0 END, a.service_code, a.package_full, "
	"d.decision, count(*) FROM decisions d CROSS JOIN applications a ON "
	"a.id = d.application_id, lv WHERE d.file_id = ?2 "
	"GROUP BY 1, 2, 3, 4, 5 "
	"ON CONFLICT DO UPDATE SET n = decision_counts.n + excluded.n",
	"ii", 1 },
};

/*
 * The deadline clocks' moves the batch's triggers noted in deadline_held
 * (032_deadline_hold), each summary row moved once by their sum: the
 * running clocks per (office, stage), the stopped ones per (office,
 * stage, month) as deadline_moves_apply (027) adds one clock.  Rows that
 * a batch's moves leave at 0 are written as the triggers would have.
 */
static const char *const deadline_moves[] = {
	"INSERT INTO deadline_running (office_id, stage, running) "
	"SELECT office_id, stage, sum(sign) FROM deadline_held "
	"WHERE stopped_at IS NULL GROUP BY 1, 2 "
	"ON CONFLICT (office_id, stage) DO UPDATE SET "
	"running = running + excluded.running",
	"INSERT INTO deadline_facts (office_id, stage, month, closed, on_time, "
	"late, late_days) SELECT office_id, stage, "
	"CAST(strftime('%Y%m', stopped_at, 'unixepoch', 'localtime') "
	"AS INTEGER), sum(sign), sum(sign * (coalesce(late_days, 0) = 0)), "
	"sum(sign * (coalesce(late_days, 0) > 0)), "
	"sum(sign * coalesce(late_days, 0)) FROM deadline_held "
	"WHERE stopped_at IS NOT NULL GROUP BY 1, 2, 3 "
	"ON CONFLICT (office_id, stage, month) DO UPDATE SET "
	"closed = closed + excluded.closed, "
	"on_time = on_time + excluded.on_time, late = late + excluded.late, "
	"late_days = late_days + excluded.late_days",
	"DELETE FROM deadline_held",
};

/*
 * The running clocks' moves by due day the batch's triggers noted in
 * clock_due_held (035_clock_due_counts), fanned out to the three levels
 * (a back office's: its statuses only) and summed per row: rows that
 * grow upserted, rows that shrink (they exist) updated, as the status
 * counts above.
 */
#define CLOCK_DUE_MOVES \
	"WITH lv(k, scope) AS (VALUES (1, 'front_office'), (2, 'hromada'), " \
	"(3, 'spszn')), m(scope, territory_id, due, warn, status, d) AS " \
	"(SELECT lv.scope, CASE lv.k WHEN 1 THEN h.front_office_id WHEN 2 " \
	"THEN h.hromada_id ELSE h.spszn_id END, h.due, h.warn, h.status, " \
	"sum(h.sign) FROM clock_due_held h, lv WHERE lv.k < 3 OR h.status IN " \
	"('at_spszn', 'returned_otg', 'checked', 'exported', 'answered') " \
	"GROUP BY 1, 2, 3, 4, 5) "
static const char *const clock_due_moves[] = {
	CLOCK_DUE_MOVES "INSERT INTO clock_due_counts (scope, territory_id, "
	"due, warn, status, n) SELECT scope, territory_id, due, warn, status, "
	"d FROM m WHERE d > 0 ON CONFLICT DO UPDATE SET "
	"n = clock_due_counts.n + excluded.n",
	CLOCK_DUE_MOVES "UPDATE clock_due_counts SET n = n + m.d FROM m WHERE "
	"m.d < 0 AND clock_due_counts.scope = m.scope AND "
	"clock_due_counts.territory_id = m.territory_id AND "
	"clock_due_counts.due = m.due AND clock_due_counts.warn = m.warn AND "
	"clock_due_counts.status = m.status",
	"DELETE FROM clock_due_held",
};

/*
 * The applications counted by creation day (037_created_day_counts): the
 * batch's creations and status changes are its history rows (from NULL
 * at a creation), read with the application's territories and creation
 * time (grouped by that time first: a batch's new applications share a
 * few seconds, and the local day is worked out once for each), fanned
 * out to the three levels (a back office's: its statuses only) and
 * summed per row into temp.day_moves -- once: the history rows and their
 * applications read again for the rows that grow and for those that
 * shrink were two thirds of this -- then rows that grow upserted, rows
 * that shrink (they exist) updated.  Nothing was noted while the batch
 * ran: the history rows are written anyway.
 */
static const char *const created_day_moves[] = {
	"WITH ch(f, t, fo, hr, sp, day, n) AS MATERIALIZED (SELECT "
	"h.from_status, h.to_status, a.front_office_id, a.hromada_id, "
	"a.spszn_id, CAST(round(julianday(a.created_at, 'unixepoch', "
	"'localtime', 'start of day') - julianday('1899-12-31')) AS INTEGER), "
	"count(*) FROM application_history h CROSS JOIN applications a ON "
	"a.id = h.application_id WHERE h.id >= ?1 AND h.from_status IS NOT "
	"h.to_status GROUP BY 1, 2, 3, 4, 5, a.created_at), "
	"x(fo, hr, sp, day, status, d) AS (SELECT fo, hr, sp, day, f, -n "
	"FROM ch WHERE f IS NOT NULL UNION ALL SELECT fo, hr, sp, day, t, n "
	"FROM ch), "
	"lv(k, scope) AS (VALUES (1, 'front_office'), (2, 'hromada'), "
	"(3, 'spszn')) "
	"INSERT INTO temp.day_moves (scope, territory_id, day, status, d) "
	"SELECT lv.scope, CASE lv.k WHEN 1 THEN x.fo WHEN 2 THEN x.hr "
	"ELSE x.sp END, x.day, x.status, sum(x.d) FROM x, lv WHERE lv.k < 3 "
	"OR x.status IN ('at_spszn', 'returned_otg', 'checked', 'exported', "
	"'answered') GROUP BY 1, 2, 3, 4",
	"INSERT INTO created_day_counts (scope, territory_id, day, status, n) "
	"SELECT scope, territory_id, day, status, d FROM temp.day_moves "
	"WHERE d > 0 ON CONFLICT DO UPDATE SET "
	"n = created_day_counts.n + excluded.n",
	"UPDATE created_day_counts SET n = n + m.d FROM temp.day_moves m "
	"WHERE m.d < 0 AND created_day_counts.scope = m.scope AND "
	"created_day_counts.territory_id = m.territory_id AND "
	"created_day_counts.day = m.day AND created_day_counts.status = "
	"m.status",
	"DELETE FROM temp.day_moves",
};

/* The connection's own scratch table, made once (outside a transaction
 * for the group commit's batches: a rollback would take it away). */
static int
scratch_table(struct hr_db *db, struct hr_error *err)
{
	return db_exec(db, "CREATE TEMP TABLE IF NOT EXISTS batch_moves (scope "
	    "TEXT NOT NULL, territory_id INTEGER NOT NULL, service TEXT, "
	    "package INTEGER, status TEXT, d INTEGER NOT NULL); "
	    "CREATE TEMP TABLE IF NOT EXISTS day_moves (scope TEXT NOT NULL, "
	    "territory_id INTEGER NOT NULL, day INTEGER NOT NULL, status TEXT "
	    "NOT NULL, d INTEGER NOT NULL)", "make the batch's scratch tables",
	    err);
}

static int release(struct hr_db *db, struct hr_error *err);

int
db_batch_summaries_hold(struct hr_db *db, int64_t file_id,
    struct hr_error *err)
{
	assert(!sqlite3_get_autocommit(db->sql));   /* the caller's transaction */
	if (scratch_table(db, err) < 0 ||
	    release(db, err) < 0)                   /* the group commit's */
		return -1;
	return db_run(db, "INSERT INTO summary_hold (id, history_from, file_id) "
	    "VALUES (1, (SELECT coalesce(max(id), 0) + 1 FROM "
	    "application_history), nullif(?1, 0))", "hold the summaries", err,
	    "i", file_id);
}

static int
release(struct hr_db *db, struct hr_error *err)
{
	sqlite3_stmt *st;
	int64_t from, file_id;
	int rc;

	rc = db_first(db, &st, "SELECT history_from, coalesce(file_id, 0) "
	    "FROM summary_hold WHERE id = 1", "read the summaries' hold", err,
	    "");
	if (rc <= 0)
		return rc;
	from = sqlite3_column_int64(st, 0);
	file_id = sqlite3_column_int64(st, 1);
	(void)sqlite3_reset(st);
	if (db_run(db, batch_moves_sql, "count a batch's status changes", err,
	    "i", from) < 0)
		return -1;
	for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++)
		if ((file_id != 0 || !moves[i].file_only) && db_run(db,
		    moves[i].sql, "move a batch's summaries", err,
		    moves[i].binds, from, file_id) < 0)
			return -1;
	for (size_t i = 0; i < sizeof deadline_moves / sizeof
	    deadline_moves[0]; i++)
		if (db_run(db, deadline_moves[i], "move a batch's deadline "
		    "summaries", err, "") < 0)
			return -1;
	for (size_t i = 0; i < sizeof clock_due_moves / sizeof
	    clock_due_moves[0]; i++)
		if (db_run(db, clock_due_moves[i], "move a batch's clocks by "
		    "due day", err, "") < 0)
			return -1;
	for (size_t i = 0; i < sizeof created_day_moves / sizeof
	    created_day_moves[0]; i++)
		if (db_run(db, created_day_moves[i], "move a batch's counts by "
		    "creation day", err, i == 0 ? "i" : "", from) < 0)
			return -1;
	return db_run(db, "DELETE FROM temp.batch_moves", "end the summaries' "
	    "hold", err, "") < 0 || db_run(db, "DELETE FROM summary_hold",
	    "end the summaries' hold", err, "") < 0 ? -1 : 0;
}

int
db_batch_summaries_release(struct hr_db *db, int rc, struct hr_error *err)
{
	struct hr_error ignored;

	if (rc < 0) {
		(void)release(db, &ignored);     /* the batch's error stands */
		return rc;
	}
	return release(db, err);
}

/* ---- the group commit's batches ---- */

int
db_batch_summaries_batches(struct hr_db *db, struct hr_error *err)
{
	assert(sqlite3_get_autocommit(db->sql));
	if (scratch_table(db, err) < 0)
		return -1;
	db->batches = DB_BATCH_ON;
	return 0;
}

void
db_batch_summaries_begin(struct hr_db *db)
{
	if (db->batches & DB_BATCH_ON)
		db->batches = DB_BATCH_ON | DB_BATCH_OPEN;
}

/*
 * A hold from the first change on, not from BEGIN: a batch of resumes and
 * read records pays nothing.  It may be made inside a request's savepoint
 * and leave with its rollback -- then the next change holds again (the
 * flag only says a hold may be there).
 */
int
db_batch_summaries_join(struct hr_db *db, struct hr_error *err)
{
	if (!(db->batches & DB_BATCH_OPEN))
		return 0;
	db->batches |= DB_BATCH_HELD;
	return db_run(db, "INSERT OR IGNORE INTO summary_hold (id, "
	    "history_from) VALUES (1, (SELECT coalesce(max(id), 0) + 1 FROM "
	    "application_history))", "hold the summaries", err, "");
}

int
db_batch_summaries_touch(struct hr_db *db, int64_t app_id,
    struct hr_error *err)
{
	int64_t held = 0;

	if (!(db->batches & DB_BATCH_HELD))
		return 0;
	if (app_id == 0)
		return release(db, err);
	if (db_int(db, "SELECT count(*) FROM summary_hold s JOIN "
	    "application_history h ON h.application_id = ?1 AND h.id >= "
	    "s.history_from", "look for held changes", &held, err, "i",
	    app_id) < 0)
		return -1;
	return held > 0 ? release(db, err) : 0;
}

int
db_batch_summaries_end(struct hr_db *db, int rc, struct hr_error *err)
{
	int held = (db->batches & DB_BATCH_HELD) != 0;

	db->batches &= DB_BATCH_ON;
	if (rc < 0 || !held)
		return rc;
	return release(db, err);
}
