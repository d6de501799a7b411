/*
 * journal.c — the journal page and its status counts.
 *
 * The page is one range of a (scope column, id) index read backwards: the
 * scope is an equality on a denormalised territory column, the cursor is
 * "id < before_id" and the order "id DESC", so SQLite walks the index from
 * the cursor and stops after `limit` rows whatever the size of the table —
 * no sort, no temporary b-tree (tests/unit/test_db.c checks the plan).  A
 * service, a status or a package filter in a front office, hromada or
 * back office reads instead the ranges of its
 * (service, status, package) combinations on the (scope, service, status,
 * package, id) index of 036_journal_kinds, merged newest first (see
 * journal_arms_wanted): what it lists, not what the scope holds between.
 * An oblast's page tests its entries along the walk (no table read for a
 * row passed over).
 *
 * The search query (an exact РНОКПП, a РНОКПП prefix, or a prefix of the
 * folded name through the range q <= search_name < q || x'F4'; 0xF4 is
 * above every lead byte of well-formed UTF-8, so the range holds exactly the
 * strings starting with q) is run one of two ways (a name in a front
 * office, hromada or back office: always in the scope, below), chosen by
 * how many match in the country, counted up to JOURNAL_NARROW —
 * persons of the base for an РНОКПП (the person's identifier),
 * applications for a name (the
 * applicant's name as the application carries it, applicant_search, kept
 * from the application's own copy of its persons: migration 014, so a
 * person renamed in the base since is still found and listed as the
 * application says):
 *  - narrow (few, always for an exact РНОКПП): start from those persons
 *    (reaching their applications through applications_applicant) or
 *    those applications (applications_search), keep those in scope and
 *    sort the handful found.  The unary + on the scope and cursor terms
 *    stops SQLite from walking the scope instead.
 *  - wide (a short prefix like "п" matching a good part of the country):
 *    walk the scope index as without a query and test each applicant's
 *    folded name; matches are dense, so the page fills fast.  The + on
 *    the name terms keeps SQLite from starting at the name index and
 *    sorting everything it holds.
 * A name prefix that is wide in the country can still be rare in the scope
 * ("ков": 60,000 persons, a few hundred of a hromada's 50,000
 * applications); walking the scope for it read the whole scope (0.2-0.35 s
 * per page, tests/bench/INTAKE.md).  So a name query in a scope with a
 * (scope, applicant_search, status) index of migration 005 (a front office,
 * hromada or back office) is measured in the scope itself, narrow in the
 * country or not -- the scope's range is never longer than the
 * country's, and the narrow way tested the scope on a table row per match
 * (at 1M counting the country's matches was ~0.6 M instructions of a
 * name page's 4 M) --, counting up to JOURNAL_DENSE or an eighth of the
 * scope (JOURNAL_DENSE_SHARE; its size from the kept status counts),
 * whichever is more:
 *  - range (fewer): that index range holds exactly the matching
 *    applications; they are read and the ones found sorted by id -- an
 *    index entry each, a few thousand in a millisecond;
 *  - scan (more): matches are dense, so the scope walk above fills a page
 *    fast; it tests a.applicant_search, without a persons lookup per row,
 *    but with a table lookup per application it passes.  At 1M
 *    applications a fixed 500 sent "ковал" (1,300 of a hromada's 97,000)
 *    and every one-letter query to the walk: ~2,000-5,000 lookups, 5-6 ms
 *    of CPU a page, where the range is 0.2-1 ms (tests/load/README.md).
 * Counts of a wide name query always read that range: index entries only.
 *
 * The intake filters: statuses the role may see and the package test each
 * row met along the same index; creation dates narrow the index range
 * itself, as ids (created_at never decreases with id), so a date far in the
 * past costs no more than today.  Their counts, dates alone, are kept by
 * creation day (037_created_day_counts, journal_counts_days): a few rows
 * a day, not the days' applications.
 *
 * A registration number (or its start) is not on the scope's walk: tested
 * along it, a number that matches one application read the table row of
 * every application of the scope (a hromada's 50,000 at 1M, for the page
 * and again for its counts).  So it is read from the (hromada, year,
 * number) index of 001 instead, for each hromada of the scope and each
 * year that hromada has numbers in (found by a seek each, a loose scan of
 * the same index: regno_from_fmt): the matching numbers' entries,
 * their ids sorted like a name's range.  Counts always read it so; a page
 * from a start of JOURNAL_REGNO_MIN characters (a shorter one is dense
 * along the walk).
 *
 * A decision's kind (033_decision_counts) is walked on the decisions'
 * own index of the scope's territory and that kind, newest first, joining
 * each decision's application (the scope tested on it too): only that
 * kind's decided applications, not every application of the scope
 * probed against `decisions` (12 ms of SQLite a request at 1M).  A front
 * office walks its hromada's.  «No decision» walks the scope, probing
 * only the answered entries (a decision comes with the answered status
 * and nothing leaves it).  Their counts are kept (decision_counts): a
 * kind's are answered ones; «none»'s the status counts less the decided.
 *
 * The clock (issue 17, db/deadlines.h): a late or expiring filter, or the
 * order by the clock, walks the scope's (scope, due date, id, status,
 * amber day) index (022_deadlines) forward from the cursor — due dates
 * compared with today's number, no calendar arithmetic per row — and the
 * cursor is the last row's (due date, id).
 *
 * The cabinet's «late» count, in every counts reply, reads kept counts
 * too (db_journal_late: 034, 035).
 *
 * Counts without filters (the journal as it opens) are not counted: they are
 * kept per scope, service, package and status by triggers
 * (008_status_counts, 031_service_counts) and read in a few rows, with a
 * service, package or decision filter too; with another filter they are
 * counted on the indexes as above.
 *
 * The SQL is assembled from fixed fragments (never from input) and cached
 * per combination by db_prepare; values are bound by name.
 */
#include "db/journal.h"
#include "db/db_priv.h"
#include "db/deadlines.h"
#include "proto/dat.h"
#include "proto/fold.h"
#include "proto/ident.h"
#include "proto/roles.h"
#include "proto/workflow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JOURNAL_SQL_MAX 4096

#define JOURNAL_NARROW 1000    /* matches: below this a query is narrow */
#define JOURNAL_DENSE  500     /* in scope: from this many, walk the scope */
#define JOURNAL_DENSE_SHARE 8  /* ... and from this share (1/8) of it */
#define JOURNAL_REGNO_MIN 3    /* a page reads the number's index from this */
#define JOURNAL_ARMS_MAX  256  /* kind ranges merged, at most (see the top) */

/* The (scope, applicant_search, status) index of each scope (005_perf). */
static const char *const scope_search_index[] = {
	[DB_SCOPE_FRONT_OFFICE] = "applications_front_search",
	[DB_SCOPE_HROMADA]      = "applications_hromada_search",
	[DB_SCOPE_SPSZN]        = "applications_spszn_search",
	[DB_SCOPE_OBLAST]       = NULL,
	[DB_SCOPE_ALL]          = NULL,
};

/* The (scope, id, status, package) index a page walks (007_journal_walk),
 * named so that SQLite never takes the rowid instead when its statistics
 * say the scope column is not selective (one back office in the file). */
static const char *const scope_walk_index[] = {
	[DB_SCOPE_FRONT_OFFICE] = "applications_front_walk",
	[DB_SCOPE_HROMADA]      = "applications_hromada_walk",
	[DB_SCOPE_SPSZN]        = "applications_spszn_walk",
	[DB_SCOPE_OBLAST]       = "applications_oblast_walk",
	[DB_SCOPE_ALL]          = NULL,
};

/* The (scope, stage_due, id, status, stage_warn) index of the clock order
 * and filters (022_deadlines); answered cases are not in it. */
static const char *const scope_clock_index[] = {
	[DB_SCOPE_FRONT_OFFICE] = "applications_front_clock",
	[DB_SCOPE_HROMADA]      = "applications_hromada_clock",
	[DB_SCOPE_SPSZN]        = "applications_spszn_clock",
	[DB_SCOPE_OBLAST]       = NULL,
	[DB_SCOPE_ALL]          = NULL,
};

/* The partial index of the answered cases nobody was told of (012_paper,
 * 024_unnotified_scopes), in id order: the «не повідомлено» page.  Named:
 * at national size, with the load's drafts at the top of the scope,
 * SQLite's statistics took the scope's walk instead and passed them all
 * (39 M instructions a page). */
static const char *const scope_untold_index[] = {
	[DB_SCOPE_FRONT_OFFICE] = "applications_front_unnotified",
	[DB_SCOPE_HROMADA]      = "applications_hromada_unnotified",
	[DB_SCOPE_SPSZN]        = "applications_spszn_unnotified",
	[DB_SCOPE_OBLAST]       = "applications_oblast_unnotified",
	[DB_SCOPE_ALL]          = NULL,
};

/* The (scope, service, status, package, id) index of the kind filters
 * (036_journal_kinds): one range per combination, in id order. */
static const char *const scope_kind_index[] = {
	[DB_SCOPE_FRONT_OFFICE] = "applications_front_kind",
	[DB_SCOPE_HROMADA]      = "applications_hromada_kind",
	[DB_SCOPE_SPSZN]        = "applications_spszn_kind",
	[DB_SCOPE_OBLAST]       = NULL,
	[DB_SCOPE_ALL]          = NULL,
};

/* The (territory, kind, application) index of decisions a decision-kind
 * page walks (033_decision_counts), and the terms that pick the scope's
 * range of it: a front office walks its hromada's. */
static const char *const scope_decided_index[] = {
	[DB_SCOPE_FRONT_OFFICE] = "decisions_hromada",
	[DB_SCOPE_HROMADA]      = "decisions_hromada",
	[DB_SCOPE_SPSZN]        = "decisions_spszn",
	[DB_SCOPE_OBLAST]       = "decisions_oblast",
	[DB_SCOPE_ALL]          = "decisions_kind",
};
static const char *const scope_decided_cond[] = {
	[DB_SCOPE_FRONT_OFFICE] = "dk.hromada_id = (SELECT parent_id FROM "
	    "territories WHERE id = :scope) AND ",
	[DB_SCOPE_HROMADA]      = "dk.hromada_id = :scope AND ",
	[DB_SCOPE_SPSZN]        = "dk.spszn_id = :scope AND ",
	[DB_SCOPE_OBLAST]       = "dk.oblast_id = :scope AND ",
	[DB_SCOPE_ALL]          = "",
};

/* The hromadas a scope lies in or holds (the territory tree: country,
 * oblast, back office, hromada, front office), as `id`. */
static const char *const scope_hromadas[] = {
	[DB_SCOPE_FRONT_OFFICE] = "SELECT parent_id AS id FROM territories "
	    "WHERE id = :scope",
	[DB_SCOPE_HROMADA]      = "SELECT :scope AS id",
	[DB_SCOPE_SPSZN]        = "SELECT id FROM territories WHERE parent_id "
	    "= :scope AND kind = 'hromada'",
	[DB_SCOPE_OBLAST]       = "SELECT h.id AS id FROM territories s JOIN "
	    "territories h ON h.parent_id = s.id WHERE s.parent_id = :scope "
	    "AND h.kind = 'hromada'",
	[DB_SCOPE_ALL]          = "SELECT id FROM territories WHERE kind = "
	    "'hromada'",
};

/*
 * The registration numbers starting with :regno in the scope's hromadas
 * (applications_reg_no: hromada, year, number): the (hromada, year)
 * pairs that have numbers, each year found by one seek past the last,
 * then each pair's range of numbers.
 */
static const char regno_from_fmt[] =
	"(WITH RECURSIVE hy(h, y) AS (SELECT hs.id, (SELECT min(reg_year) "
	"FROM applications INDEXED BY applications_reg_no WHERE hromada_id = "
	"hs.id AND reg_no IS NOT NULL) FROM (%s) hs UNION ALL SELECT hy.h, "
	"(SELECT min(reg_year) FROM applications INDEXED BY "
	"applications_reg_no WHERE hromada_id = hy.h AND reg_year > hy.y AND "
	"reg_no IS NOT NULL) FROM hy WHERE hy.y IS NOT NULL) SELECT h, y FROM "
	"hy WHERE y IS NOT NULL) AS yr CROSS JOIN applications a INDEXED BY "
	"applications_reg_no ON a.hromada_id = yr.h AND a.reg_year = yr.y AND "
	"a.reg_no >= :regno AND a.reg_no < :regno || x'F4'";

/* Kept by due day (035) and by creation day (037): a front office's, a
 * hromada's, a back office's for a role that sees no more than a back
 * office does. */
static int
journal_level_is_kept(const struct db_journal_filter *f)
{
	unsigned seen = hr_workflow_visible_mask(HR_ROLE_SPSZN);

	return scope_clock_index[f->scope_col] != NULL &&
	    (f->scope_col != DB_SCOPE_SPSZN || (f->visible != 0 &&
	    (f->visible & ~seen) == 0));
}

/*
 * An expiring page on the clock index of a scope with kept counts by due
 * day (035) seeks only the days that have expiring cases (a row due from
 * today on whose amber day has come), not every day from today on: a
 * case of a one-day deadline turns amber on its due day, so the load's
 * tens of thousands of drafts due tomorrow sat between today's expiring
 * cases and the later ones, and the walk passed them all (17 M
 * instructions a clock page).  The IN list is sorted: the index keeps the
 * page's order (due date, id) without a sort; days before the cursor's
 * are not in it.
 */
static const char expiring_days[] = " AND +a.stage_warn <= :today AND "
    "a.stage_due IN (SELECT due FROM clock_due_counts WHERE scope = :kscope "
    "AND territory_id = :scope AND due >= max(:today, :cdue) AND warn <= "
    ":today AND n > 0)";

/* A page in clock order (by the due date) rather than newest first. */
static int
journal_clock_page(const struct db_journal_filter *f, int page)
{
	return page && (f->clock != DB_CLOCK_ANY || f->clock_order);
}

/* A name prefix on that index (range) or tested along the walk (scan). */
static const char scope_name_range[] =
	"a.applicant_search >= :q AND a.applicant_search < :q || x'F4'";
static const char scope_name_scan[] =
	"+a.applicant_search >= :q AND +a.applicant_search < :q || x'F4'";

enum { JOURNAL_PERSONS, JOURNAL_RANGE, JOURNAL_SCAN };

static const char *const scope_cond[] = {
	[DB_SCOPE_FRONT_OFFICE] = "a.front_office_id = :scope",
	[DB_SCOPE_HROMADA]      = "a.hromada_id = :scope",
	[DB_SCOPE_SPSZN]        = "a.spszn_id = :scope",
	[DB_SCOPE_OBLAST]       = "a.oblast_id = :scope",
	[DB_SCOPE_ALL]          = "1",
};

/* What a query selects, by kind (none for HR_QUERY_EMPTY): persons of
 * the base by РНОКПП, applications by their applicant's name. */
static const char *const query_cond[] = {
	[HR_QUERY_EMPTY]  = NULL,
	[HR_QUERY_RNOKPP] = "p.rnokpp = :q",
	[HR_QUERY_DIGITS] = "p.rnokpp >= :q AND p.rnokpp < :q || x'F4'",
	[HR_QUERY_NAME]   = "a.applicant_search >= :q AND a.applicant_search "
	    "< :q || x'F4'",
};

/* Where the narrow count and the narrow way start from. */
static const char *const query_from[] = {
	[HR_QUERY_EMPTY]  = NULL,
	[HR_QUERY_RNOKPP] = "persons p",
	[HR_QUERY_DIGITS] = "persons p",
	[HR_QUERY_NAME]   = "applications a INDEXED BY applications_search",
};

/* The filter as bound values: query text folded or trimmed. */
struct journal_args {
	const struct db_journal_filter *f;
	enum hr_query_kind qkind;
	int   narrow;                 /* see the top of the file */
	int   in_scope;               /* JOURNAL_RANGE or _SCAN; 0: persons */
	char *q;                      /* owned */
	int64_t id_lo, id_hi;         /* creation dates as ids: [lo, hi) */
	/* The kind filters' ranges (journal_arms_init): used, how many,
	 * each one's service (owned), status and package. */
	int   arms, narms;
	struct journal_arm {
		char *service;
		int   status, pkg;
	} arm[JOURNAL_ARMS_MAX];
};

static void
journal_args_free(struct journal_args *ja)
{
	free(ja->q);
	ja->q = NULL;
	for (int i = 0; i < ja->narms; i++)
		free(ja->arm[i].service);
	ja->narms = 0;
}

/* Few enough matching persons to start from them? */
static int
journal_is_narrow(struct hr_db *db, struct journal_args *ja,
    struct hr_error *err)
{
	char sql[256];
	sqlite3_stmt *st;
	int rc;

	if (ja->qkind == HR_QUERY_RNOKPP) {
		ja->narrow = 1;
		return 0;
	}
	snprintf(sql, sizeof sql, "SELECT count(*) FROM (SELECT 1 FROM %s "
	    "WHERE %s LIMIT %d)", query_from[ja->qkind], query_cond[ja->qkind],
	    JOURNAL_NARROW);
	if ((st = db_prepare(db, sql, err)) == NULL ||
	    db_bindf(db, st, "journal: count persons", err, "t", ja->q) < 0)
		return -1;
	rc = db_step_row(db, st, "journal: count persons", err);
	if (rc < 0)
		return -1;
	ja->narrow = rc == 1 && sqlite3_column_int(st, 0) < JOURNAL_NARROW;
	(void)sqlite3_reset(st);
	return 0;
}

/* status_counts.scope of each scope column (008_status_counts). */
static const char *const kept_scope[] = {
	[DB_SCOPE_FRONT_OFFICE] = "front_office",
	[DB_SCOPE_HROMADA]      = "hromada",
	[DB_SCOPE_SPSZN]        = "spszn",
	[DB_SCOPE_OBLAST]       = "oblast",
	[DB_SCOPE_ALL]          = "all",
};

const char *
db_journal_kept_scope(enum db_scope_col col)
{
	return (unsigned)col <= DB_SCOPE_ALL ? kept_scope[col] : "";
}

/* How many matches make a name query dense in the scope (see the top). */
static int
journal_dense(struct hr_db *db, const struct db_journal_filter *f,
    int64_t *dense, struct hr_error *err)
{
	int64_t size = 0;

	if (db_int(db, "SELECT coalesce(sum(n), 0) FROM status_counts WHERE "
	    "scope = ? AND territory_id = ?", "journal: scope size", &size,
	    err, "ti", kept_scope[f->scope_col], f->scope_id) < 0)
		return -1;
	*dense = size / JOURNAL_DENSE_SHARE > JOURNAL_DENSE ?
	    size / JOURNAL_DENSE_SHARE : JOURNAL_DENSE;
	return 0;
}

/* A wide name query: how many matches in the scope itself (up to dense)? */
static int
journal_in_scope(struct hr_db *db, struct journal_args *ja,
    struct hr_error *err)
{
	const char *idx = scope_search_index[ja->f->scope_col];
	char sql[512];
	sqlite3_stmt *st;
	int64_t dense;
	int rc;

	if (ja->narrow || ja->qkind != HR_QUERY_NAME || idx == NULL)
		return 0;
	if (journal_dense(db, ja->f, &dense, err) < 0)
		return -1;
	snprintf(sql, sizeof sql, "SELECT count(*) FROM (SELECT 1 FROM "
	    "applications a INDEXED BY %s WHERE %s AND %s LIMIT ?3)", idx,
	    scope_cond[ja->f->scope_col], scope_name_range);
	if ((st = db_prepare(db, sql, err)) == NULL ||
	    db_bindf(db, st, "journal: count in scope", err, "iti",
	    ja->f->scope_id, ja->q, dense) < 0)
		return -1;
	rc = db_step_row(db, st, "journal: count in scope", err);
	if (rc < 0)
		return -1;
	ja->in_scope = rc == 1 && sqlite3_column_int64(st, 0) >= dense ?
	    JOURNAL_SCAN : JOURNAL_RANGE;
	(void)sqlite3_reset(st);
	return 0;
}

/* The first application created at or after t; 0 when none is. */
static int
journal_first_id(struct hr_db *db, int64_t t, int64_t *id,
    struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT id FROM applications WHERE "
	    "created_at >= ? ORDER BY created_at, id LIMIT 1", err);
	int rc;

	*id = 0;
	if (st == NULL || db_bindf(db, st, "journal: date bound", err, "i",
	    t) < 0)
		return -1;
	rc = db_step_row(db, st, "journal: date bound", err);
	if (rc == 1) {
		*id = sqlite3_column_int64(st, 0);
		(void)sqlite3_reset(st);
	}
	return rc < 0 ? -1 : 0;
}

/*
 * Creation dates to an id range: created_at never decreases with id
 * (applications.c), so [created_from, created_to) is [first id created at
 * or after created_from, first id created at or after created_to).
 */
static int
journal_id_range(struct hr_db *db, struct journal_args *ja,
    struct hr_error *err)
{
	const struct db_journal_filter *f = ja->f;
	int64_t id;

	ja->id_lo = 0;
	ja->id_hi = INT64_MAX;
	if (f->created_from) {
		if (journal_first_id(db, f->created_from, &id, err) < 0)
			return -1;
		ja->id_lo = id ? id : INT64_MAX;   /* none: nothing matches */
	}
	if (f->created_to) {
		if (journal_first_id(db, f->created_to, &id, err) < 0)
			return -1;
		if (id)
			ja->id_hi = id;
	}
	return 0;
}

/* The filter's bound values; for a page (1) or the counts (0). */
static int
journal_args_init(struct hr_db *db, struct journal_args *ja,
    const struct db_journal_filter *f, int page, struct hr_error *err)
{
	size_t len = f->query ? strlen(f->query) : 0;

	memset(ja, 0, sizeof *ja);
	ja->f = f;
	if ((unsigned)f->scope_col > DB_SCOPE_ALL)
		return hr_error_set(err, HR_E_INTERNAL, "journal: bad scope");
	if (f->status != -1 && hr_status_name(f->status) == NULL)
		return hr_error_set(err, HR_E_INVALID, "journal: unknown "
		    "status %d", f->status);
	if (journal_id_range(db, ja, err) < 0)
		return -1;
	ja->qkind = f->query ? hr_query_kind(f->query, len) : HR_QUERY_EMPTY;
	if (ja->qkind == HR_QUERY_EMPTY)
		return 0;
	/* A number is its ASCII digits (typed with blanks or full-width
	 * digits too); a name is folded. */
	if (ja->qkind == HR_QUERY_NAME)
		ja->q = hr_fold(f->query, len);
	else if ((ja->q = malloc(len + 1)) != NULL)
		hr_query_digits(f->query, len, ja->q, len + 1);
	if (ja->q == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	/* A name in a scope with a name index of its own: that index's range
	 * holds exactly the matches, never more than the country's; counts
	 * always read it, a page measures it (see the top). */
	if (ja->qkind == HR_QUERY_NAME &&
	    scope_search_index[f->scope_col] != NULL) {
		if (!page) {
			ja->in_scope = JOURNAL_RANGE;
			return 0;
		}
		return journal_in_scope(db, ja, err);
	}
	if (journal_is_narrow(db, ja, err) < 0)
		return -1;
	return journal_in_scope(db, ja, err);
}

/* Read the registration numbers' index (see the top): counts always, a
 * page (not in clock order) for a start long enough. */
static int
journal_regno(const struct journal_args *ja, int page)
{
	const struct db_journal_filter *f = ja->f;

	return f->reg_no != NULL && f->reg_no[0] != '\0' &&
	    ja->qkind == HR_QUERY_EMPTY && (!page ||
	    (strlen(f->reg_no) >= JOURNAL_REGNO_MIN &&
	    !journal_clock_page(f, 1)));
}

/* A page of one decision kind walks that kind's decisions of the scope
 * (see the top), unless a narrower way serves the filter: a name or an
 * РНОКПП, a registration number, the clock (decided cases have none). */
static int
journal_decided_walk(const struct journal_args *ja, int page)
{
	const struct db_journal_filter *f = ja->f;

	return page && f->decision > 0 && ja->qkind == HR_QUERY_EMPTY &&
	    !journal_clock_page(f, page) && !journal_regno(ja, page);
}

/*
 * A back office's page walks an index of its own (007_journal_walk): the
 * partial index of the applications in the statuses it sees, so drafts it
 * may not see cost nothing to pass over however many the front offices
 * keep.  SQLite takes a partial index only when the query repeats the
 * index's condition term for term, so such a page writes the status list
 * exactly as the migration does (the statuses in enum order, no unary +),
 * and only when the filter's statuses are exactly what proto/workflow.c
 * lets the back office see (tests/unit/test_db.c checks the plan).
 */
static const char back_office_index[] = "applications_spszn_seen";

static int
journal_back_office_walk(const struct journal_args *ja, int page)
{
	const struct db_journal_filter *f = ja->f;
	unsigned seen = hr_workflow_visible_mask(HR_ROLE_SPSZN);

	return page && f->scope_col == DB_SCOPE_SPSZN && f->status == -1 &&
	    !ja->narrow && ja->in_scope != JOURNAL_RANGE && f->visible == seen &&
	    !journal_clock_page(f, page) && !journal_regno(ja, page) &&
	    !journal_decided_walk(ja, page);
}

/* An expiring page that seeks the days with expiring cases (see
 * expiring_days): on the clock index (no query), counts kept. */
static int
journal_expiring_days(const struct journal_args *ja, int page)
{
	return page && ja->f->clock == DB_CLOCK_EXPIRING &&
	    ja->qkind == HR_QUERY_EMPTY && journal_level_is_kept(ja->f);
}

/* Append to out[*n..cap); -1 when it does not fit. */
static int
journal_cat(char *out, size_t cap, size_t *n, const char *a, const char *b)
{
	int w = snprintf(out + *n, cap - *n, "%s%s", a, b);

	if (w < 0 || (size_t)w >= cap - *n)
		return -1;
	*n += (size_t)w;
	return 0;
}

/*
 * The intake filters.  Statuses the role may see and the package test each
 * row along the scope index; the unary + keeps an index holding the status
 * after the scope (the name search's) from serving the status list, which
 * would lose the index's id order and need a sort.  Creation dates are an id range (journal_id_range): the
 * lower end here, the upper end merged into the page's cursor (counts have
 * no cursor: there it is a term of its own).  Status names are fixed
 * words, not input.
 */
static int
journal_row_filters(char *out, size_t cap, const struct journal_args *ja,
    int page, int back_office)
{
	const struct db_journal_filter *f = ja->f;
	const char *plus = ja->narrow ? "+" : "";
	const unsigned all = (1u << HR_ST__COUNT) - 1u;
	const char *sep = back_office ? " AND a.status IN ('" :
	    " AND +a.status IN ('";
	/* the decided walk's own order and range are the decision's */
	int decided = journal_decided_walk(ja, page);
	const char *id = decided ? "dk.application_id" : "a.id";
	size_t n = 0;

	out[0] = '\0';
	/* Counts group by status anyway: db_journal_counts drops the hidden
	 * ones instead of testing every index entry against the list (a back
	 * office's counts: 7 ms -> 3 ms for 54,000 applications). */
	for (int s = 0; page && f->visible != 0 && (f->visible & all) != all &&
	    s < HR_ST__COUNT; s++) {
		if (!(f->visible & (1u << s)))
			continue;
		if (journal_cat(out, cap, &n, sep, hr_status_name(s)) < 0)
			return -1;
		sep = "', '";
	}
	if (n > 0 && journal_cat(out, cap, &n, "')", "") < 0)
		return -1;
	if (f->package && journal_cat(out, cap, &n, " AND a.package_full = "
	    ":pkg", "") < 0)
		return -1;
	if (f->unnotified && journal_cat(out, cap, &n, " AND a.status = "
	    "'answered' AND a.notified_at IS NULL", "") < 0)
		return -1;
	/* A decision kind, unless the walk is that kind's (one primary-key
	 * lookup per row tested); none: only an answered entry can have one
	 * (the back office's walk has no status on its entries: probe).  A
	 * registration number's start tests each row along the scope's
	 * walk. */
	if (f->decision && !decided && journal_cat(out, cap, &n,
	    f->decision > 0 ? " AND EXISTS (SELECT 1 FROM decisions dd WHERE "
	    "dd.application_id = a.id AND dd.decision = :decision)" :
	    back_office ? " AND NOT EXISTS (SELECT 1 FROM decisions dd WHERE "
	    "dd.application_id = a.id)" : " AND (a.status <> 'answered' OR "
	    "NOT EXISTS (SELECT 1 FROM decisions dd WHERE dd.application_id = "
	    "a.id))", "") < 0)
		return -1;
	if (f->reg_no && journal_cat(out, cap, &n, " AND substr(a.reg_no, 1, "
	    "length(:regno)) = :regno", "") < 0)
		return -1;
	if (f->created_from && (journal_cat(out, cap, &n, " AND ", plus) < 0 ||
	    journal_cat(out, cap, &n, id, " >= :lo") < 0))
		return -1;
	if (f->created_to && (!page || journal_clock_page(f, page)) &&
	    (journal_cat(out, cap, &n, " AND ", plus) < 0 ||
	    journal_cat(out, cap, &n, id, " < :hi") < 0))
		return -1;
	/* The clock: cases with one (in clock order), late, or with a
	 * quarter or less left and not late (the days that have such: see
	 * expiring_days). */
	if (journal_expiring_days(ja, page))
		return journal_cat(out, cap, &n, expiring_days, "");
	if (journal_clock_page(f, page) && journal_cat(out, cap, &n,
	    " AND a.stage_due IS NOT NULL", "") < 0)
		return -1;
	if (f->clock == DB_CLOCK_LATE && journal_cat(out, cap, &n,
	    " AND a.stage_due < :today", "") < 0)
		return -1;
	if (f->clock == DB_CLOCK_EXPIRING && journal_cat(out, cap, &n,
	    " AND a.stage_due >= :today AND a.stage_warn <= :today", "") < 0)
		return -1;
	return 0;
}

/*
 * FROM and WHERE shared by page and counts (without the cursor).  The join
 * order is forced with CROSS JOIN, which SQLite never reorders: from the
 * persons for a narrow РНОКПП query, from the applications otherwise; in
 * the narrow way the unary + keeps the scope index from serving the inner
 * loop.
 */
/* The applicant shown is the application's own copy (014), one
 * primary-key lookup per row of the page. */
static const char page_joins[] = " JOIN services s ON s.code = "
    "a.service_code JOIN territories t ON t.id = a.front_office_id "
    "JOIN application_persons ap ON ap.application_id = a.id AND "
    "ap.ordinal = 0";

/* A page that reads a name's index range (JOURNAL_RANGE) or the numbers'
 * picks its ids first, then joins their rows (journal_page_stmt). */
static int
journal_range_page(const struct journal_args *ja)
{
	return (ja->in_scope == JOURNAL_RANGE && !journal_clock_page(ja->f, 1)) ||
	    journal_regno(ja, 1);
}

static int
journal_from_where(char *out, size_t cap, const struct journal_args *ja,
    int page, int joins)
{
	const struct db_journal_filter *f = ja->f;
	int query = ja->qkind != HR_QUERY_EMPTY, n;
	/* In the scope: counts always read the range; a page as chosen. */
	int range = ja->in_scope == JOURNAL_RANGE || (ja->in_scope && !page);
	int back_office = journal_back_office_walk(ja, page);
	/* The persons of the base are joined only to be searched by РНОКПП. */
	int persons = query && ja->qkind != HR_QUERY_NAME;
	int by_name = ja->qkind == HR_QUERY_NAME;
	int decided = journal_decided_walk(ja, page);
	char rowf[640], from[1024];

	if (journal_row_filters(rowf, sizeof rowf, ja, page, back_office) < 0)
		return -1;
	if (decided)
		snprintf(from, sizeof from, "decisions dk INDEXED BY %s CROSS "
		    "JOIN applications a ON a.id = dk.application_id",
		    scope_decided_index[f->scope_col]);
	else if (journal_regno(ja, page))
		snprintf(from, sizeof from, regno_from_fmt,
		    scope_hromadas[f->scope_col]);
	else if (range)
		snprintf(from, sizeof from, "applications a INDEXED BY %s",
		    scope_search_index[f->scope_col]);
	else if (journal_clock_page(f, page) && !query &&
	    scope_clock_index[f->scope_col] != NULL)
		snprintf(from, sizeof from, "applications a INDEXED BY %s",
		    scope_clock_index[f->scope_col]);
	else if (back_office)
		snprintf(from, sizeof from, "applications a INDEXED BY %s%s",
		    back_office_index, persons ? " CROSS JOIN persons p ON "
		    "p.id = a.applicant_id" : "");
	/* «не повідомлено» reads the partial index of the untold decisions
	 * (012_paper, 024) in id order */
	else if (page && !query && f->unnotified &&
	    scope_untold_index[f->scope_col] != NULL)
		snprintf(from, sizeof from, "applications a INDEXED BY %s",
		    scope_untold_index[f->scope_col]);
	/* with or without a status */
	else if (page && !query && !f->unnotified &&
	    scope_walk_index[f->scope_col] != NULL)
		snprintf(from, sizeof from, "applications a INDEXED BY %s",
		    scope_walk_index[f->scope_col]);
	else
		snprintf(from, sizeof from, "%s",
		    by_name && ja->narrow ? query_from[HR_QUERY_NAME] :
		    !persons ? "applications a" :
		    ja->narrow ? "persons p CROSS JOIN applications a ON "
		    "a.applicant_id = p.id" : "applications a CROSS JOIN persons "
		    "p ON p.id = a.applicant_id");
	n = snprintf(out, cap, "%s%s WHERE %s%s%s%s%s%s%s%s%s", from,
	    page && joins ? page_joins : "",
	    decided ? scope_decided_cond[f->scope_col] : "",
	    decided ? "dk.decision = :decision AND " : "",
	    (ja->narrow || decided) && f->scope_col != DB_SCOPE_ALL ? "+" : "",
	    scope_cond[f->scope_col],
	    page && f->status != -1 ? " AND a.status = :status" : "",
	    f->service ? " AND a.service_code = :service" : "",
	    query ? " AND " : "", range ? scope_name_range :
	    ja->in_scope || (by_name && !ja->narrow) ? scope_name_scan :
	    query ? query_cond[ja->qkind] : "", rowf);
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

/*
 * Bind the filter's values by name, each only if the statement holds it.
 * The page and counts statements (`ranges` 0) may hold any of them; the
 * kind ranges' statement (journal_arms_sql, `ranges` 1) only the scope,
 * the cursor, the dates' lower id, a number's start and the limit --
 * SQLite finds a name by walking the statement's whole list of
 * parameters, and a ranges statement holds hundreds (its ranges' keys are
 * bound by number: journal_arms_bind).
 */
static int
journal_bind_all(struct hr_db *db, sqlite3_stmt *st,
    const struct journal_args *ja, int ranges, struct hr_error *err)
{
	const struct db_journal_filter *f = ja->f;
	int limit = f->limit < 1 ? 1 : f->limit > 100 ? 100 : f->limit;
	/* name, bound in the page's statement, in the ranges', the value */
	const struct {
		const char *name;
		int         page, ranges;
		const char *text;          /* NULL: the number */
		int64_t     v;
	} val[] = {
		{ ":scope", 1, 1, NULL, f->scope_id },
		{ ":before", 1, 1, NULL, f->before_id > 0 &&
		    f->before_id < ja->id_hi ? f->before_id : ja->id_hi },
		{ ":status", f->status != -1, 0, hr_status_name(f->status), 0 },
		{ ":service", f->service != NULL, 0, f->service, 0 },
		{ ":q", ja->q != NULL, 0, ja->q, 0 },
		{ ":pkg", f->package != DB_PACKAGE_ANY, 0, NULL,
		    f->package == DB_PACKAGE_FULL },
		{ ":decision", f->decision > 0, 0, hr_decision_name(f->decision),
		    0 },
		{ ":regno", f->reg_no != NULL, f->reg_no != NULL, f->reg_no, 0 },
		{ ":lo", 1, f->created_from != 0, NULL, ja->id_lo },
		{ ":hi", 1, 0, NULL, ja->id_hi },
		{ ":today", 1, 0, NULL, f->today },
		{ ":kscope", 1, 0, kept_scope[f->scope_col], 0 },
		{ ":cdue", 1, 0, NULL, f->after_clock >> DB_JOURNAL_CLOCK_SHIFT },
		{ ":cid", 1, 0, NULL, f->after_clock &
		    (((int64_t)1 << DB_JOURNAL_CLOCK_SHIFT) - 1) },
		/* one row more than asked tells whether another page exists */
		{ ":limit", 1, 1, NULL, limit + 1 },
	};

	for (size_t k = 0; k < sizeof val / sizeof val[0]; k++) {
		int i, rc;

		if (!(ranges ? val[k].ranges : val[k].page) ||
		    (i = sqlite3_bind_parameter_index(st, val[k].name)) == 0)
			continue;
		rc = val[k].text != NULL ? sqlite3_bind_text(st, i,
		    val[k].text, -1, SQLITE_TRANSIENT) :
		    sqlite3_bind_int64(st, i, val[k].v);
		if (rc != SQLITE_OK)
			return db_fail(db, err, "journal: bind");
	}
	return 0;
}

/*
 * The kind filters -- a service, a status, or both, with or without a
 * package -- read the (scope, service, status, package, id) index of
 * 036_journal_kinds: one range per combination the filter admits, which
 * holds exactly the applications of that combination, newest first.  A
 * page merges those ranges (a compound SELECT ordered by id: SQLite steps
 * each range on demand and stops at the page's end), so it reads about
 * as many entries as it lists, plus a seek per range, whatever else the
 * scope holds -- where the scope's walk tested each entry it passed (a
 * service: a table row each) and, with a front office saving thousands
 * of drafts, passed tens of thousands (tests/load/README.md).  The
 * combinations are those the kept counts (status_counts, 008, 031) say
 * the scope has, in the statuses the role sees: a service's are at most
 * its statuses x 2 packages, a status's the services x 2, a package's the
 * services x statuses (176 at most with the reference's 22 services: a
 * seek each, ~0.5 ms, where the walk passed the load's partial drafts
 * looking for full packages, 4-11 ms); more than JOURNAL_ARMS_MAX and
 * the page walks the scope as before.  Not with a
 * name or an РНОКПП, a registration number's index, the clock, a
 * decision kind's walk or the untold decisions: those have their own.
 */
static int
journal_arms_wanted(const struct journal_args *ja)
{
	const struct db_journal_filter *f = ja->f;

	return scope_kind_index[f->scope_col] != NULL &&
	    (f->service != NULL || f->status != -1 ||
	    f->package != DB_PACKAGE_ANY) &&
	    ja->qkind == HR_QUERY_EMPTY && !f->unnotified &&
	    !journal_clock_page(f, 1) && !journal_decided_walk(ja, 1) &&
	    !journal_regno(ja, 1);
}

/* The ranges of a page (see above) into ja->arm; ja->arms 1 when the page
 * reads them (ja->narms 0: the scope has none). */
static int
journal_arms_init(struct hr_db *db, struct journal_args *ja,
    struct hr_error *err)
{
	const struct db_journal_filter *f = ja->f;
	sqlite3_stmt *st;
	int rc, n = 0;

	if (!journal_arms_wanted(ja))
		return 0;
	st = db_prepare(db, "SELECT service, status, package_full FROM "
	    "status_counts WHERE scope = ?1 AND territory_id = ?2 AND (?3 IS "
	    "NULL OR service = ?3) AND (?4 IS NULL OR status = ?4) AND (?5 < 0 "
	    "OR package_full = ?5) AND n > 0", err);
	if (st == NULL || db_bindf(db, st, "journal: kind ranges", err,
	    "tittd", kept_scope[f->scope_col], f->scope_id, f->service,
	    f->status == -1 ? NULL : hr_status_name(f->status),
	    f->package == DB_PACKAGE_ANY ? -1 : f->package == DB_PACKAGE_FULL) <
	    0)
		return -1;
	while ((rc = db_step_row(db, st, "journal: kind ranges", err)) == 1) {
		const char *sv = (const char *)sqlite3_column_text(st, 0);
		const char *name = (const char *)sqlite3_column_text(st, 1);
		int k = name ? hr_status_from_name(name) : -1;

		if (sv == NULL || k < 0 || (f->visible != 0 &&
		    !(f->visible & (1u << k))))
			continue;
		/* too many, or a status the back office's index does not
		 * hold (a role that sees more than a back office): walk */
		if (n == JOURNAL_ARMS_MAX || (f->scope_col == DB_SCOPE_SPSZN &&
		    !(hr_workflow_visible_mask(HR_ROLE_SPSZN) & (1u << k)))) {
			(void)sqlite3_reset(st);
			journal_args_free(ja);
			return 0;
		}
		if ((ja->arm[n].service = strdup(sv)) == NULL) {
			(void)sqlite3_reset(st);
			return hr_error_set(err, HR_E_INTERNAL, "out of memory");
		}
		ja->arm[n].status = k;
		ja->arm[n].pkg = sqlite3_column_int(st, 2);
		ja->narms = ++n;
	}
	if (rc < 0)
		return -1;
	ja->arms = 1;
	return 0;
}

/* How many ranges the statement holds: the next power of two up to 16,
 * then the next multiple of 16, so that a few statements serve every
 * count (the ranges past narms bind NULL and hold nothing) and few
 * empty ones are parsed, hashed and stepped. */
static int
journal_arms_slots(int narms)
{
	int k = 1;

	if (narms > 16)
		return (narms + 15) / 16 * 16;
	while (k < narms)
		k *= 2;
	return k;
}

/* The page's columns (journal_row reads them in this order). */
static const char page_columns[] = "a.id, a.reg_no, a.created_at, "
    "a.updated_at, a.status, a.service_code, s.name, "
    "ap.surname || ' ' || ap.name || ' ' || ap.patronymic, ap.rnokpp, "
    "t.name, a.package_full, a.front_office_id, a.notified_at IS NOT NULL, "
    "(SELECT d.decision || ' ' || coalesce(d.amount, '') FROM decisions d "
    "WHERE d.application_id = a.id), a.stage_due, a.stage_warn, "
    "a.stage_days, a.version";

/*
 * The page of the kind ranges (journal_arms_init): their ids merged
 * newest first, the page's rows read and joined after.  Each range tests
 * the filter's other terms (dates, a short registration number, «no
 * decision») on its rows; the statuses and the package are its key.
 * Allocated (sqlite3_mprintf): 64 ranges do not fit JOURNAL_SQL_MAX.
 */
static char *
journal_arms_sql(const struct journal_args *ja)
{
	const struct db_journal_filter *f = ja->f;
	struct db_journal_filter af = *f;
	struct journal_args aja = *ja;
	char rowf[640];
	sqlite3_str *sql = sqlite3_str_new(NULL);
	int slots = journal_arms_slots(ja->narms);
	int back = f->scope_col == DB_SCOPE_SPSZN;

	/* The visible statuses and the package are the ranges' own; the
	 * back office's index is partial: its condition, term for term
	 * (journal_back_office_walk). */
	af.visible = back ? hr_workflow_visible_mask(HR_ROLE_SPSZN) : 0;
	af.package = DB_PACKAGE_ANY;
	aja.f = &af;
	if (journal_row_filters(rowf, sizeof rowf, &aja, 1, back) < 0) {
		sqlite3_free(sqlite3_str_finish(sql));
		return NULL;
	}
	sqlite3_str_appendf(sql, "SELECT %s FROM (", page_columns);
	for (int i = 0; i < slots; i++)
		sqlite3_str_appendf(sql, "%sSELECT a.id AS pick FROM "
		    "applications a INDEXED BY %s WHERE a.service_code = :s%d "
		    "AND a.status = :t%d AND a.package_full = :p%d AND %s AND "
		    "a.id < :before%s", i ? " UNION ALL " : "",
		    scope_kind_index[f->scope_col], i, i, i,
		    scope_cond[f->scope_col], rowf);
	sqlite3_str_appendf(sql, " ORDER BY 1 DESC LIMIT :limit) AS p CROSS "
	    "JOIN applications a ON a.id = p.pick%s ORDER BY a.id DESC",
	    page_joins);
	return sqlite3_str_finish(sql);
}

/*
 * Bind the ranges' keys (:sN, :tN, :pN); the slots past narms stay NULL.
 * By number, not by name: SQLite finds a name by walking the statement's
 * list of parameters, and 64 ranges' 192 names so took 0.45 M
 * instructions a page.  A named parameter gets the next number at its
 * first appearance (sqlite3_bind_parameter_index(3)), and each range
 * names its own three first, then only names range 0 has named already:
 * :s0 :t0 :p0 are 1 2 3, and range i > 0's follow range 1's, three each.
 */
static int
journal_arms_bind(struct hr_db *db, sqlite3_stmt *st,
    const struct journal_args *ja, struct hr_error *err)
{
	int rc = SQLITE_OK, one = 0, at;
	char last[16];

	if (ja->narms > 0 && (sqlite3_bind_parameter_name(st, 1) == NULL ||
	    strcmp(sqlite3_bind_parameter_name(st, 1), ":s0") != 0))
		return hr_error_set(err, HR_E_INTERNAL, "journal: the ranges' "
		    "parameters are not where expected");
	if (ja->narms > 1) {
		one = sqlite3_bind_parameter_index(st, ":s1");
		snprintf(last, sizeof last, ":s%d", ja->narms - 1);
		at = one + 3 * (ja->narms - 2);
		if (one == 0 || sqlite3_bind_parameter_name(st, at) == NULL ||
		    strcmp(sqlite3_bind_parameter_name(st, at), last) != 0)
			return hr_error_set(err, HR_E_INTERNAL, "journal: the "
			    "ranges' parameters are not where expected");
	}
	for (int i = 0; rc == SQLITE_OK && i < ja->narms; i++) {
		at = i == 0 ? 1 : one + 3 * (i - 1);
		rc = sqlite3_bind_text(st, at, ja->arm[i].service, -1,
		    SQLITE_TRANSIENT);
		if (rc == SQLITE_OK)
			rc = sqlite3_bind_text(st, at + 1,
			    hr_status_name(ja->arm[i].status), -1, SQLITE_STATIC);
		if (rc == SQLITE_OK)
			rc = sqlite3_bind_int(st, at + 2, ja->arm[i].pkg);
	}
	if (rc != SQLITE_OK)
		return db_fail(db, err, "journal: bind");
	return 0;
}

/*
 * The page query.  Its rows come from the scope's walk (or the filter's
 * index) in id order, so LIMIT stops it early.  A name's index range
 * (JOURNAL_RANGE) is not in id order and must be sorted: its ids are
 * picked first (the index holds them) and only the page's rows are then
 * read and joined -- SQLite sorts whole result rows, and sorting every
 * match's row with its joins cost a millisecond per thousand matches.
 */
static sqlite3_stmt *
journal_page_stmt(struct hr_db *db, const struct journal_args *ja,
    struct hr_error *err)
{
	char where[2560], sql[JOURNAL_SQL_MAX], order[160];
	const char *plus = ja->narrow ? "+" : "";
	int range = journal_range_page(ja), n;
	sqlite3_stmt *st;
	char *asql;

	if (ja->arms) {
		if ((asql = journal_arms_sql(ja)) == NULL) {
			hr_error_set(err, HR_E_INTERNAL, "journal: out of memory");
			return NULL;
		}
		st = db_prepare(db, asql, err);
		sqlite3_free(asql);
		if (st != NULL && (journal_bind_all(db, st, ja, 1, err) < 0 ||
		    journal_arms_bind(db, st, ja, err) < 0))
			return NULL;
		return st;
	}

	/* newest first from the cursor, or by the clock after it; a decision
	 * kind's walk in its decisions' order */
	if (journal_clock_page(ja->f, 1))
		snprintf(order, sizeof order, "(%sa.stage_due, %sa.id) > (:cdue, "
		    ":cid) ORDER BY a.stage_due, a.id",
		    journal_expiring_days(ja, 1) ? "+" : plus,
		    journal_expiring_days(ja, 1) ? "+" : plus);
	else if (journal_decided_walk(ja, 1))
		snprintf(order, sizeof order, "dk.application_id < :before "
		    "ORDER BY dk.application_id DESC");
	else
		snprintf(order, sizeof order, "%sa.id < :before ORDER BY a.id "
		    "DESC", plus);
	if (journal_from_where(where, sizeof where, ja, 1, !range) < 0)
		n = -1;
	else if (range)
		n = snprintf(sql, sizeof sql, "SELECT %s FROM (SELECT a.id AS "
		    "pick FROM %s AND %s LIMIT :limit) AS p CROSS JOIN "
		    "applications a ON a.id = p.pick%s ORDER BY a.id DESC",
		    page_columns, where, order, page_joins);
	else
		n = snprintf(sql, sizeof sql, "SELECT %s FROM %s AND %s LIMIT "
		    ":limit", page_columns, where, order);
	if (n < 0 || (size_t)n >= sizeof sql) {
		hr_error_set(err, HR_E_INTERNAL, "journal: query too long");
		return NULL;
	}
	st = db_prepare(db, sql, err);
	if (st != NULL && journal_bind_all(db, st, ja, 0, err) < 0)
		return NULL;
	return st;
}

/* The decision column: "kind amount" ("kind " without an amount), NULL
 * for none. */
static void
journal_decision(sqlite3_stmt *st, int col, struct db_journal_row *r)
{
	const char *d = (const char *)sqlite3_column_text(st, col);
	char kind[32];
	const char *sp;

	r->decision = -1;
	r->has_amount = 0;
	r->amount = 0;
	if (d == NULL || (sp = strchr(d, ' ')) == NULL ||
	    (size_t)(sp - d) >= sizeof kind)
		return;
	snprintf(kind, sizeof kind, "%.*s", (int)(sp - d), d);
	r->decision = hr_decision_from_name(kind);
	if (sp[1] != '\0') {
		r->has_amount = 1;
		r->amount = strtoll(sp + 1, NULL, 10);
	}
}

static void
journal_row(sqlite3_stmt *st, struct db_journal_row *r)
{
	const char *status = (const char *)sqlite3_column_text(st, 4);

	r->id = sqlite3_column_int64(st, 0);
	r->reg_no = (const char *)sqlite3_column_text(st, 1);
	r->created_at = sqlite3_column_int64(st, 2);
	r->updated_at = sqlite3_column_int64(st, 3);
	r->status = status ? hr_status_from_name(status) : -1;
	r->service = (const char *)sqlite3_column_text(st, 5);
	r->service_name = (const char *)sqlite3_column_text(st, 6);
	r->applicant = (const char *)sqlite3_column_text(st, 7);
	r->rnokpp = (const char *)sqlite3_column_text(st, 8);
	r->front_office = (const char *)sqlite3_column_text(st, 9);
	r->package_full = sqlite3_column_int(st, 10);
	r->front_office_id = sqlite3_column_int64(st, 11);
	r->notified = sqlite3_column_int(st, 12);
	journal_decision(st, 13, r);
	r->has_clock = sqlite3_column_type(st, 14) != SQLITE_NULL;
	r->due = (int32_t)sqlite3_column_int(st, 14);
	r->warn = (int32_t)sqlite3_column_int(st, 15);
	r->days = sqlite3_column_int(st, 16);
	r->version = sqlite3_column_int64(st, 17);
}

static int
journal_walk(struct hr_db *db, sqlite3_stmt *st, int limit, int by_clock,
    db_journal_fn *fn, void *ud, int64_t *next_before, struct hr_error *err)
{
	int64_t last = 0;
	int n = 0, rc;

	while ((rc = db_step_row(db, st, "journal page", err)) == 1) {
		struct db_journal_row r;

		if (n == limit) {
			/* The extra row: there is a next page after `last`. */
			*next_before = last;
			(void)sqlite3_reset(st);
			return 0;
		}
		journal_row(st, &r);
		last = by_clock ? db_journal_clock_key(r.due, r.id) : r.id;
		n++;
		if (fn(ud, &r) != 0) {
			(void)sqlite3_reset(st);
			return hr_error_set(err, HR_E_INTERNAL, "journal page "
			    "stopped");
		}
	}
	return rc;
}

/* The scope's decisions (of one kind, or all: kind NULL) with the
 * filter's service and package, from the kept counts (033): the largest
 * count of a row (is there any?), or their sum. */
static int
journal_decided_count(struct hr_db *db, const struct db_journal_filter *f,
    const char *kind, int sum, int64_t *n, struct hr_error *err)
{
	return db_int(db, sum ? "SELECT coalesce(sum(n), 0) FROM "
	    "decision_counts WHERE scope = ?1 AND territory_id = ?2 AND (?3 IS "
	    "NULL OR service = ?3) AND (?4 < 0 OR package_full = ?4) AND (?5 IS "
	    "NULL OR decision = ?5)" : "SELECT coalesce(max(n), 0) FROM "
	    "decision_counts WHERE scope = ?1 AND territory_id = ?2 AND (?3 IS "
	    "NULL OR service = ?3) AND (?4 < 0 OR package_full = ?4) AND (?5 IS "
	    "NULL OR decision = ?5)", "journal: decision count", n, err,
	    "titdt", kept_scope[f->scope_col], f->scope_col == DB_SCOPE_ALL ?
	    0 : f->scope_id, f->service, f->package == DB_PACKAGE_ANY ? -1 :
	    f->package == DB_PACKAGE_FULL, kind);
}

/*
 * A page of a status, a service, a package, a decision kind or some of
 * them that the scope has none of (the kept counts, 008, 031, 033): 1.
 * Without it the page would pass over every entry of the scope's walk to
 * learn that (028_status_indexes: an oblast's 89,000 entries, ~6 ms; a
 * service: a table lookup each).  A kind alone walks its own decisions
 * (an empty range costs a seek); with other filters it is looked up.
 */
static int
journal_status_absent(struct hr_db *db, const struct db_journal_filter *f,
    struct hr_error *err)
{
	const char *kind = f->decision > 0 ? hr_decision_name(f->decision) :
	    NULL;
	int64_t n = 0;

	if ((f->status != -1 && hr_status_name(f->status) == NULL) ||
	    (unsigned)f->scope_col > DB_SCOPE_ALL)
		return 0;            /* journal_args_init says what is wrong */
	/* a decision comes with the answered status */
	if (kind != NULL && f->status != -1 && f->status != HR_ST_ANSWERED)
		return 1;
	if (kind != NULL && (f->service != NULL || f->package !=
	    DB_PACKAGE_ANY || f->query != NULL || f->reg_no != NULL ||
	    f->clock != DB_CLOCK_ANY || f->clock_order)) {
		if (journal_decided_count(db, f, kind, 0, &n, err) < 0)
			return -1;
		if (n == 0)
			return 1;
	}
	if (f->status == -1 && f->service == NULL &&
	    f->package == DB_PACKAGE_ANY)
		return 0;
	if (db_int(db, "SELECT coalesce(max(n), 0) FROM status_counts WHERE "
	    "scope = ?1 AND territory_id = ?2 AND (?3 IS NULL OR service = ?3) "
	    "AND (?4 IS NULL OR status = ?4) AND (?5 < 0 OR package_full = ?5)",
	    "journal: status count", &n, err, "tittd", kept_scope[f->scope_col],
	    f->scope_col == DB_SCOPE_ALL ? 0 : f->scope_id, f->service,
	    f->status == -1 ? NULL : hr_status_name(f->status),
	    f->package == DB_PACKAGE_ANY ? -1 : f->package == DB_PACKAGE_FULL) <
	    0)
		return -1;
	return n == 0;
}

int
db_journal_page(struct hr_db *db, const struct db_journal_filter *f,
    db_journal_fn *fn, void *ud, int64_t *next_before, struct hr_error *err)
{
	struct journal_args ja;
	sqlite3_stmt *st;
	int rc, limit = f->limit < 1 ? 1 : f->limit > 100 ? 100 : f->limit;

	*next_before = 0;
	if ((rc = journal_status_absent(db, f, err)) != 0)
		return rc < 0 ? -1 : 0;
	if (journal_args_init(db, &ja, f, 1, err) < 0 ||
	    journal_arms_init(db, &ja, err) < 0) {
		journal_args_free(&ja);
		return -1;
	}
	/* kind ranges wanted, and the scope has none the role sees */
	if (ja.arms && ja.narms == 0) {
		journal_args_free(&ja);
		return 0;
	}
	st = journal_page_stmt(db, &ja, err);
	rc = st == NULL ? -1 : journal_walk(db, st, limit,
	    journal_clock_page(f, 1), fn, ud, next_before, err);
	journal_args_free(&ja);
	return rc;
}

/* One (status, count) row added, if the reader may see that status. */
static void
journal_count_row(sqlite3_stmt *st, const struct db_journal_filter *f,
    int64_t counts[])
{
	const char *s = (const char *)sqlite3_column_text(st, 0);
	int k = s ? hr_status_from_name(s) : -1;

	if (k >= 0 && (f->visible == 0 || (f->visible & (1u << k))))
		counts[k] += sqlite3_column_int64(st, 1);
}

/*
 * Counts without a filter, or with a service, a package and a decision
 * only: the kept ones, a few rows per status whatever the size of the
 * scope (one per service and package).  A decision kind's are all
 * answered; «none»'s are the status counts less the decided ones.  1 when
 * the filter has another (count the index then).
 */
static int
journal_counts_kept(struct hr_db *db, const struct db_journal_filter *f,
    int64_t counts[], struct hr_error *err)
{
	const unsigned answered = 1u << HR_ST_ANSWERED;
	sqlite3_stmt *st;
	int64_t decided = 0;
	int rc;

	if ((f->query != NULL && hr_query_kind(f->query,
	    strlen(f->query)) != HR_QUERY_EMPTY) ||
	    f->created_from != 0 || f->created_to != 0 ||
	    f->reg_no != NULL || f->clock != DB_CLOCK_ANY ||
	    (f->decision > 0 && hr_decision_name(f->decision) == NULL))
		return 1;
	if (f->decision != 0 && journal_decided_count(db, f, f->decision > 0 ?
	    hr_decision_name(f->decision) : NULL, 1, &decided, err) < 0)
		return -1;
	if (f->decision > 0) {
		if (f->visible == 0 || (f->visible & answered))
			counts[HR_ST_ANSWERED] = decided;
		return 0;
	}
	/* summed here: SQLite's GROUP BY sorted the scope's few hundred
	 * rows (one per service, package and status) -- ~1 M instructions
	 * of every counts reply at 1M */
	st = db_prepare(db, "SELECT status, n FROM status_counts WHERE "
	    "scope = ?1 AND territory_id = ?2 AND (?3 IS NULL OR service = ?3) "
	    "AND (?4 < 0 OR package_full = ?4)", err);
	if (st == NULL || db_bindf(db, st, "journal: kept counts", err, "titd",
	    kept_scope[f->scope_col], f->scope_col == DB_SCOPE_ALL ? 0 :
	    f->scope_id, f->service, f->package == DB_PACKAGE_ANY ? -1 :
	    f->package == DB_PACKAGE_FULL) < 0)
		return -1;
	while ((rc = db_step_row(db, st, "journal: kept counts", err)) == 1)
		journal_count_row(st, f, counts);
	counts[HR_ST_ANSWERED] = counts[HR_ST_ANSWERED] > decided ?
	    counts[HR_ST_ANSWERED] - decided : 0;
	return rc;
}

static int journal_counts_clock(struct hr_db *db,
    const struct db_journal_filter *f, int64_t counts[],
    struct hr_error *err);

/* The local day starting at t (a day number), or INT32_MIN when t is not
 * a local midnight. */
static int32_t
journal_midnight_day(int64_t t)
{
	int32_t day = db_day_of(t);
	struct hr_date d;

	if (hr_date_from_days(day, &d) < 0 || hr_date_local(&d, 0, 0, 0) != t)
		return INT32_MIN;
	return day;
}

/*
 * Counts of creation dates, no other filter: the kept counts by creation
 * day (037_created_day_counts), the rows of the filter's days -- a few
 * statuses a day, whatever the days hold.  Counted on the scope's index,
 * a week's counts cost that week's applications (the load's current
 * week: a hundred thousand drafts, 5 ms a reply).  The server's bounds
 * are local midnights (method_journal_list.c); other bounds, or a scope
 * or a role without kept rows: 1 (count the index).
 */
static int
journal_counts_days(struct hr_db *db, const struct db_journal_filter *f,
    int64_t counts[], struct hr_error *err)
{
	int32_t lo = INT32_MIN, hi = INT32_MAX;
	sqlite3_stmt *st;
	int rc;

	if ((f->created_from == 0 && f->created_to == 0) ||
	    (f->query != NULL && hr_query_kind(f->query, strlen(f->query)) !=
	    HR_QUERY_EMPTY) || f->reg_no != NULL || f->service != NULL ||
	    f->package != DB_PACKAGE_ANY || f->decision != 0 ||
	    f->unnotified || f->clock != DB_CLOCK_ANY ||
	    !journal_level_is_kept(f) ||
	    (f->created_from != 0 &&
	    (lo = journal_midnight_day(f->created_from)) == INT32_MIN) ||
	    (f->created_to != 0 &&
	    (hi = journal_midnight_day(f->created_to)) == INT32_MIN))
		return 1;
	st = db_prepare(db, "SELECT status, n FROM created_day_counts WHERE "
	    "scope = ?1 AND territory_id = ?2 AND day >= ?3 AND day < ?4", err);
	if (st == NULL || db_bindf(db, st, "journal: counts by day", err,
	    "tiii", kept_scope[f->scope_col], f->scope_id, (int64_t)lo,
	    (int64_t)hi) < 0)
		return -1;
	while ((rc = db_step_row(db, st, "journal: counts by day", err)) == 1)
		journal_count_row(st, f, counts);
	return rc;
}

int
db_journal_counts(struct hr_db *db, const struct db_journal_filter *f,
    int64_t counts[], struct hr_error *err)
{
	char where[2560], sql[JOURNAL_SQL_MAX];
	struct journal_args ja;
	sqlite3_stmt *st = NULL;
	int rc;

	memset(counts, 0, HR_ST__COUNT * sizeof counts[0]);
	if ((unsigned)f->scope_col > DB_SCOPE_ALL)
		return hr_error_set(err, HR_E_INTERNAL, "journal: bad scope");
	if ((rc = journal_counts_kept(db, f, counts, err)) <= 0 ||
	    (rc = journal_counts_clock(db, f, counts, err)) <= 0 ||
	    (rc = journal_counts_days(db, f, counts, err)) <= 0)
		return rc;
	rc = -1;
	if (journal_args_init(db, &ja, f, 0, err) < 0)
		goto out;
	if (journal_from_where(where, sizeof where, &ja, 0, 0) < 0 ||
	    (size_t)snprintf(sql, sizeof sql, "SELECT a.status, count(*) FROM "
	    "%s GROUP BY a.status", where) >= sizeof sql) {
		hr_error_set(err, HR_E_INTERNAL, "journal: query too long");
		goto out;
	}
	st = db_prepare(db, sql, err);
	if (st == NULL || journal_bind_all(db, st, &ja, 0, err) < 0)
		goto out;
	while ((rc = db_step_row(db, st, "journal counts", err)) == 1)
		journal_count_row(st, f, counts);
out:
	journal_args_free(&ja);
	return rc;
}

/*
 * The scope's running clocks per status from kept counts, each status the
 * filter sees:
 *  - clocked[s]: every application not answered has a running clock and
 *    an answered one none, but for the few counted in clock_odd_counts
 *    (034): N(s) - odd(s) for each status but answered, odd for answered
 *    (status_counts, 008, 031: a row per service and package);
 *  - due[s]: those due from today on, and amber[s]: those of them from
 *    their amber day on (stage_warn <= today), from the rows of
 *    clock_due_counts (035) due from today on: a row per day ahead (a
 *    stage's deadline, at most DB_DAYS_MAX working days), amber day and
 *    status.
 * A few hundred rows whatever the scope holds.  Summed here, not by
 * GROUP BY: SQLite sorted the rows for it (~1 M instructions at 1M).
 */
static int
journal_clock_kept(struct hr_db *db, const struct db_journal_filter *f,
    int64_t clocked[], int64_t due[], int64_t amber[], struct hr_error *err)
{
	static const char *const sql[3] = {
		"SELECT status, n FROM status_counts WHERE scope = ?1 AND "
		"territory_id = ?2",
		"SELECT status, n FROM clock_odd_counts WHERE scope = ?1 AND "
		"territory_id = ?2",
		"SELECT status, n, warn FROM clock_due_counts WHERE scope = ?1 "
		"AND territory_id = ?2 AND due >= ?3",
	};
	int rc = 0;

	memset(clocked, 0, HR_ST__COUNT * sizeof clocked[0]);
	memset(due, 0, HR_ST__COUNT * sizeof due[0]);
	memset(amber, 0, HR_ST__COUNT * sizeof amber[0]);
	for (int k = 0; rc == 0 && k < 3; k++) {
		sqlite3_stmt *st = db_prepare(db, sql[k], err);

		if (st == NULL || db_bindf(db, st, "journal: clocked cases", err,
		    k < 2 ? "ti" : "tii", kept_scope[f->scope_col],
		    f->scope_col == DB_SCOPE_ALL ? 0 : f->scope_id,
		    (int64_t)f->today) < 0)
			return -1;
		while ((rc = db_step_row(db, st, "journal: clocked cases",
		    err)) == 1) {
			const char *name = (const char *)sqlite3_column_text(st,
			    0);
			int s = name ? hr_status_from_name(name) : -1;
			int64_t n = sqlite3_column_int64(st, 1);

			if (s < 0 || (f->visible != 0 &&
			    !(f->visible & (1u << s))))
				continue;
			/* k 0: N(s) but answered; k 1: - odd, + odd answered */
			if (k == 0 && s != HR_ST_ANSWERED)
				clocked[s] += n;
			else if (k == 1)
				clocked[s] += s != HR_ST_ANSWERED ? -n : n;
			else if (k == 2) {
				due[s] += n;
				if (sqlite3_column_int64(st, 2) <= f->today)
					amber[s] += n;
			}
		}
	}
	return rc;
}

/*
 * Counts of the late or the expiring cases, no other filter: from the
 * kept counts (journal_clock_kept) -- late: clocked less those due from
 * today on; expiring (due from today on, amber day reached): summed from
 * the rows due from today on.  Counted on the clock index they cost
 * every late case (a scope whose clocks ran out: 9,300 of a hromada's
 * 9,350 at 1M, 16 M instructions a reply) or every case not late (the
 * load's new drafts).  1 when the filter has more (count the index).
 */
static int
journal_counts_clock(struct hr_db *db, const struct db_journal_filter *f,
    int64_t counts[], struct hr_error *err)
{
	int64_t clocked[HR_ST__COUNT], due[HR_ST__COUNT], amber[HR_ST__COUNT];

	if ((f->clock != DB_CLOCK_LATE && f->clock != DB_CLOCK_EXPIRING) ||
	    (f->query != NULL && hr_query_kind(f->query, strlen(f->query)) !=
	    HR_QUERY_EMPTY) || f->created_from != 0 || f->created_to != 0 ||
	    f->reg_no != NULL || f->service != NULL || f->package !=
	    DB_PACKAGE_ANY || f->decision != 0 || f->unnotified ||
	    !journal_level_is_kept(f))
		return 1;
	if (journal_clock_kept(db, f, clocked, due, amber, err) < 0)
		return -1;
	for (int s = 0; s < HR_ST__COUNT; s++)
		counts[s] = f->clock == DB_CLOCK_EXPIRING ? amber[s] :
		    clocked[s] > due[s] ? clocked[s] - due[s] : 0;
	return 0;
}

/* count(*) of the scope's late entries (the statuses it sees), read on
 * the applications: where no counts are kept (journal_level_is_kept). */
static int
journal_late_counted(struct hr_db *db, const struct db_journal_filter *f,
    int64_t *n, struct hr_error *err)
{
	struct journal_args ja;
	char rowf[640], sql[1024];
	sqlite3_stmt *st;
	int rc;

	memset(&ja, 0, sizeof ja);
	ja.f = f;
	ja.id_hi = INT64_MAX;
	/* the status list as a page tests it */
	if (journal_row_filters(rowf, sizeof rowf, &ja, 1, 0) < 0 ||
	    (size_t)snprintf(sql, sizeof sql, "SELECT count(*) FROM "
	    "applications a WHERE %s%s", scope_cond[f->scope_col], rowf) >=
	    sizeof sql)
		return hr_error_set(err, HR_E_INTERNAL, "journal: query too "
		    "long");
	if ((st = db_prepare(db, sql, err)) == NULL ||
	    journal_bind_all(db, st, &ja, 0, err) < 0)
		return -1;
	rc = db_step_row(db, st, "journal: late cases", err);
	*n = rc == 1 ? sqlite3_column_int64(st, 0) : 0;
	if (rc == 1)
		(void)sqlite3_reset(st);
	return rc < 0 ? -1 : 0;
}

/*
 * The scope's running clocks less those due from today on, from kept
 * counts (journal_clock_kept): a few hundred rows whatever the scope
 * holds.  Counting the entries of the clock index instead -- the late
 * ones (a scope whose clocks ran out: 9,300 of a hromada's 9,350 at 1M)
 * or the ones not late (the load's front offices: tens of thousands of
 * new drafts due tomorrow) -- cost what the scope holds on every counts
 * reply.
 */
int
db_journal_late(struct hr_db *db, const struct db_journal_filter *f,
    int64_t *n, struct hr_error *err)
{
	struct db_journal_filter lf;
	int64_t counts[HR_ST__COUNT];
	int rc;

	*n = 0;
	if ((unsigned)f->scope_col > DB_SCOPE_ALL)
		return hr_error_set(err, HR_E_INTERNAL, "journal: bad scope");
	/* the scope and what the role sees, nothing else */
	memset(&lf, 0, sizeof lf);
	lf.scope_col = f->scope_col;
	lf.scope_id = f->scope_id;
	lf.status = -1;
	lf.visible = f->visible;
	lf.today = f->today;
	lf.clock = DB_CLOCK_LATE;
	if ((rc = journal_counts_clock(db, &lf, counts, err)) > 0)
		return journal_late_counted(db, &lf, n, err);
	for (int s = 0; rc == 0 && s < HR_ST__COUNT; s++)
		*n += counts[s];
	return rc;
}

int
db_journal_plan(struct hr_db *db, const struct db_journal_filter *f,
    char *out, size_t cap, struct hr_error *err)
{
	struct journal_args ja;
	sqlite3_stmt *st, *eqp = NULL;
	char *sql = NULL;
	size_t n = 0;
	int rc = -1;

	if (cap == 0)
		return hr_error_set(err, HR_E_INTERNAL, "no room for the plan");
	out[0] = '\0';
	if (journal_args_init(db, &ja, f, 1, err) < 0 ||
	    journal_arms_init(db, &ja, err) < 0 ||
	    (st = journal_page_stmt(db, &ja, err)) == NULL)
		goto out;
	/* EXPLAIN QUERY PLAN of the very statement the page would run. */
	if ((sql = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sqlite3_sql(st))) ==
	    NULL) {
		hr_error_set(err, HR_E_INTERNAL, "out of memory");
		goto out;
	}
	if (sqlite3_prepare_v2(db->sql, sql, -1, &eqp, NULL) != SQLITE_OK) {
		db_fail(db, err, "journal: explain");
		goto out;
	}
	if (journal_bind_all(db, eqp, &ja, ja.arms, err) < 0 ||
	    (ja.arms && journal_arms_bind(db, eqp, &ja, err) < 0))
		goto out;
	while ((rc = db_step_row(db, eqp, "journal: explain", err)) == 1) {
		int w = snprintf(out + n, cap - n, "%s\n",
		    (const char *)sqlite3_column_text(eqp, 3));

		if (w < 0 || (size_t)w >= cap - n) {
			rc = hr_error_set(err, HR_E_INTERNAL, "plan too long");
			break;
		}
		n += (size_t)w;
	}
out:
	sqlite3_finalize(eqp);
	sqlite3_free(sql);
	journal_args_free(&ja);
	return rc;
}
