/*
 * journal.h — applications as the journal screen lists them.
 *
 * The scope (which applications a user may see) is given as territory ids
 * already resolved by the server from the user's role: a page query never
 * decides permissions itself, it only filters by them.
 */
#ifndef HR_DB_JOURNAL_H
#define HR_DB_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

/* Which column the scope id matches. */
enum db_scope_col {
	DB_SCOPE_FRONT_OFFICE,   /* application.front_office_id */
	DB_SCOPE_HROMADA,        /* application.hromada_id */
	DB_SCOPE_SPSZN,          /* application.spszn_id */
	DB_SCOPE_OBLAST,         /* application.oblast_id */
	DB_SCOPE_ALL,
};

struct db_journal_filter {
	enum db_scope_col scope_col;
	int64_t  scope_id;
	int      status;          /* enum hr_status, -1 any */
	const char *service;      /* service code, NULL any */
	const char *query;        /* РНОКПП or start of a surname, NULL any */
	int64_t  before_id;       /* cursor: rows with id < before_id; 0 = first page */
	int      limit;           /* 1..100 */
	/* Added with the intake API; zero means "no filter" for each. */
	unsigned visible;         /* statuses the role may see (1 << status), 0 all */
	int      package;         /* DB_PACKAGE_* */
	int64_t  created_from;    /* created_at >= this (seconds), 0 none */
	int64_t  created_to;      /* created_at < this (seconds), 0 none */
	/* Added with printing (issue 13): answered applications whose
	 * applicant has not been told of the decision (status answered is
	 * implied: the caller sets `status` to it). */
	int      unnotified;
	/* Added for the journal at 80 columns (issue 14). */
	int         decision;     /* 0 any, an enum hr_decision, or
	                             DB_DECISION_NONE: no decision imported */
	const char *reg_no;       /* registration number or its start, NULL any */
	/* Added for deadlines (issue 17): the running clocks (db/deadlines.h)
	 * compared with `today`, a day number.  In clock order a page lists
	 * the cases with a clock (not answered ones), the earliest due date
	 * first, and its cursor is after_clock (db_journal_clock_key of the
	 * last row; 0 the first page) instead of before_id. */
	int      clock;           /* DB_CLOCK_* */
	int      clock_order;
	int32_t  today;
	int64_t  after_clock;
};

enum { DB_DECISION_NONE = -1 };

enum {
	DB_CLOCK_ANY,
	DB_CLOCK_LATE,            /* past the due date («прострочені») */
	DB_CLOCK_EXPIRING,        /* a quarter or less left («спливає строк») */
};

/* The clock-order cursor of a row: its due date and id in one number. */
#define DB_JOURNAL_CLOCK_SHIFT 40
#define db_journal_clock_key(due, id) \
	(((int64_t)(due) << DB_JOURNAL_CLOCK_SHIFT) | (int64_t)(id))

enum { DB_PACKAGE_ANY, DB_PACKAGE_FULL, DB_PACKAGE_PARTIAL };

struct db_journal_row {
	int64_t     id;
	const char *reg_no;       /* may be NULL for drafts */
	int64_t     created_at;
	int64_t     updated_at;
	int         status;
	const char *service;      /* code */
	const char *service_name;
	const char *applicant;    /* "Surname Name Patronymic" */
	const char *rnokpp;       /* may be NULL */
	const char *front_office; /* territory name */
	int         package_full;
	int64_t     front_office_id;
	/* the decision, when answered (issue 13) */
	int         decision;     /* enum hr_decision, -1 none */
	int         has_amount;
	int64_t     amount;       /* kopecks */
	int         notified;     /* the applicant was told */
	/* the running clock (issue 17); has_clock 0 once answered */
	int         has_clock;
	int32_t     due, warn;    /* day numbers */
	int         days;         /* the stage's deadline */
	int64_t     version;      /* the application's (a marked set's) */
};

typedef int db_journal_fn(void *ud, const struct db_journal_row *row);

/* The scope column's name in the kept counts (status_counts of 008,
 * untold_counts of 026): "front_office", ... "all" (territory 0). */
const char *db_journal_kept_scope(enum db_scope_col col);

/* Calls fn per row, newest first; sets *next_before (0 = no more). */
int db_journal_page(struct hr_db *db, const struct db_journal_filter *f,
    db_journal_fn *fn, void *ud, int64_t *next_before, struct hr_error *err);

/*
 * Count applications per status: counts[HR_ST__COUNT].  Honours scope,
 * service and query (not status, cursor or limit).  Without a filter, or
 * with a service or package filter only, it reads the kept counts
 * (008, 031: a few rows); a registration number's start reads the numbers'
 * index (hromada, year, number).  Without a query, or with
 * one matching few persons, it reads index entries only; so does a name
 * query matching many persons (a one- or two-letter prefix) in a front
 * office, hromada or back office scope: it reads the scope's range of the
 * (scope, applicant name, status) index (migration 005), about a tenth of
 * the scope for one letter — milliseconds for 50,000 applications.  Only
 * an oblast or the whole country with a wide query (no role lists
 * applications there) still tests every application in the scope.
 */
int db_journal_counts(struct hr_db *db, const struct db_journal_filter *f,
    int64_t counts[], struct hr_error *err);

/*
 * The late cases of the filter's scope (scope and visible statuses only,
 * no other filter): their clock's due date is before f->today.  In a
 * front office, hromada or back office it reads kept counts only (the
 * running clocks less those due from today on, 035_clock_due_counts): a
 * few rows whatever the scope holds; an oblast's or the country's, and a
 * back office's for a filter that sees more than a back office does, are
 * counted on the applications.
 */
int db_journal_late(struct hr_db *db, const struct db_journal_filter *f,
    int64_t *n, struct hr_error *err);

/*
 * The query plan of the page query for `f` (EXPLAIN QUERY PLAN, one detail
 * per line) into out[0..cap): tests and benchmarks check that a page is an
 * index range without a sort.
 */
int db_journal_plan(struct hr_db *db, const struct db_journal_filter *f,
    char *out, size_t cap, struct hr_error *err);

#endif
