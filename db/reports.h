/*
 * reports.h — «Звітність»: what happened to applications in a territory
 * over a period, read from the summary the writes keep (migration 019,
 * report_facts), never from persons.
 *
 * One report shape at every level of the tree (country, oblast, back
 * office, hromada, front office): totals, the months of the period, the
 * times per stage, returns by stage and reason, decisions by kind and
 * service, and the same counters for each child territory (the
 * drill-down).  Aggregates only, except for the per-clerk rows a caller
 * asks for with DB_REP_PERSONS (the roles that work with cases: a clerk is
 * a person).  Months are YYYYMM integers.  Who may ask for which territory is the
 * caller's business (srvd/method_report_get.c checks the scope).
 */
#ifndef HR_DB_REPORTS_H
#define HR_DB_REPORTS_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

/* The counters of one territory (or month, or child). */
enum db_rep_counter {
	DB_REP_CREATED,     /* applications created (drafts begun) */
	DB_REP_FORMED,      /* first sent up from the front office */
	DB_REP_SENT,        /* first reached the back office */
	DB_REP_ACCEPTED,    /* checked (accepted) by the back office */
	DB_REP_RETURNED,    /* returns, both stages */
	DB_REP_DECIDED,     /* decisions imported */
	DB_REP_ASSIGNED,    /* of them: assigned */
	DB_REP_NOTIFIED,    /* of the decisions: applicant told */
	DB_REP__COUNTERS
};

/* Wire/CSV names of the counters, in enum order. */
extern const char *const db_rep_counter_names[DB_REP__COUNTERS];

struct db_rep_counts {
	int64_t n[DB_REP__COUNTERS];
	int64_t assigned_sum;   /* kopecks: amounts of assigned decisions */
};

/* Stages timed (median, 90th percentile), in wire-name order. */
enum db_rep_stage {
	DB_STAGE_FRONT,     /* created -> first sent up */
	DB_STAGE_OTG,       /* at the hromada -> sent to the back office */
	DB_STAGE_SPSZN,     /* at the back office -> checked */
	DB_STAGE_DECISION,  /* exported -> decision imported */
	DB_STAGE_TOTAL,     /* created -> decision */
	DB_STAGE_NOTIFY,    /* decision -> applicant told */
	DB_REP__STAGES
};
extern const char *const db_rep_stage_names[DB_REP__STAGES];

/* Durations are counted to the hour below 72 hours and to the day above
 * (migration 019); median and p90 are the nearest-rank bucket, in hours. */
struct db_rep_time {
	int64_t count;
	int64_t median_h, p90_h;
	int64_t mean_s;
};

struct db_rep_month {
	int                  month;
	struct db_rep_counts c;
};

struct db_rep_child {
	int64_t              id;
	int                  kind;       /* enum hr_terr_kind */
	char                *name;
	struct db_rep_counts c;
	int64_t              clerks;     /* users who sent its cases up */
};

/* One user who sent applications of the territory up in the period. */
struct db_rep_clerk {
	int64_t  user_id;
	char    *login, *name;      /* users.name, users.full_name */
	int64_t  office_id;         /* the user's territory */
	char    *office;
	int64_t  formed;            /* applications sent up */
};

struct db_rep_decision {
	char    *kind;      /* assigned, refused, registered, ... */
	char    *service;   /* service code */
	int64_t  n, amount;
};

struct db_rep_service {
	char    *code, *name;
	int64_t  formed, sent, accepted, decided;
};

struct db_rep_reason {
	char    *stage;     /* "otg" (hromada returned) | "spszn" */
	char    *text;
	int64_t  n;
};

struct db_report {
	int64_t                 territory_id;
	int                     kind;
	char                   *name;
	int                     from, to;          /* YYYYMM */
	struct db_rep_counts    totals;
	int64_t                 returned_otg, returned_spszn;
	int64_t                 package_full, package_partial;
	int64_t                 clerks;            /* who sent cases up */
	struct db_rep_time      times[DB_REP__STAGES];
	struct db_rep_month    *months;   size_t nmonths;
	struct db_rep_child    *children; size_t nchildren;
	struct db_rep_decision *decisions; size_t ndecisions;
	struct db_rep_service  *services; size_t nservices;
	struct db_rep_reason   *reasons;  size_t nreasons;
	struct db_rep_clerk    *clerk_rows; size_t nclerk_rows;  /* PERSONS */
};

/* How many reasons per stage a report lists at most. */
#define DB_REP_REASONS_MAX 10
/* Without DB_REP_PERSONS a return reason must be typed alike this often to
 * be listed: a text typed once may name the applicant. */
#define DB_REP_REASON_MIN_AGGREGATE 3

/* db_report_build flags */
#define DB_REP_PERSONS 1u   /* for a role that sees persons: the clerks'
                               rows (clerk_rows) and every return reason */

/*
 * Build the report of `territory_id` (0: the country root) for the months
 * from..to (YYYYMM, inclusive).  Without DB_REP_PERSONS in `flags` no
 * person appears: clerks only as counts, reasons typed fewer than
 * DB_REP_REASON_MIN_AGGREGATE times left out.  HR_E_NOT_FOUND
 * "territory.not_found" for an id that is no reportable territory (a
 * settlement, or none).
 */
int  db_report_build(struct hr_db *db, int64_t territory_id, int from, int to,
    unsigned flags, struct db_report *out, struct hr_error *err);
void db_report_free(struct db_report *r);

/*
 * The statements that recompute report_facts and territory_activity from
 * the history, the decisions and the users — what migration 019 does when
 * it creates them.  For a database filled with the report triggers off
 * (tests/bench/gen_big drops them, like its indexes, while it fills).
 */
extern const char db_report_rebuild_sql[];

/* Month arithmetic on YYYYMM. */
int  db_month_add(int month, int delta);
int  db_month_of(int64_t t);          /* local time */
int  db_month_valid(int month);
/* "YYYY-MM" (exactly len bytes) -> YYYYMM; 0 when it is no month. */
int  db_month_parse(const char *s, size_t len);

#endif
