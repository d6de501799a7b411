/*
 * raw_reads.c — the load mix's queries on SQLite alone (see raw_reads.h).
 *
 * Each function below makes the db/ calls its server handler makes, in
 * the same order and with the same filter (method_journal_list.c's
 * journal_filter, journal_page and journal_counts; method_person_search.c),
 * and nothing else.
 */
#include "config.h"

#include "tests/load/raw_reads.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "db/calendar.h"
#include "db/deadlines.h"
#include "db/journal.h"
#include "db/notify.h"
#include "db/persons.h"
#include "db/workdays.h"
#include "proto/dat.h"
#include "proto/ident.h"
#include "proto/roles.h"
#include "proto/workflow.h"
#include "srvd/scope.h"

#define RAW_PAGE_LIMIT   20     /* loadgen's pages */
#define RAW_SEARCH_LIMIT 10     /* person.search's default */

struct raw_user {
	int              role;
	struct srv_scope scope;
	int64_t          before;        /* journal.page's cursor */
};

struct raw_db {
	struct hr_db    *db;
	struct raw_user *u;
	size_t           n;
	int              failed;        /* said once */
};

static double
raw_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double
raw_fail(struct raw_db *r, const char *what, const struct hr_error *err)
{
	if (!r->failed)
		fprintf(stderr, "loadgen: raw reads: %s: %s\n", what, err->msg);
	r->failed = 1;
	return -1;
}

/* The user's role and territory, on a plain connection of its own. */
static int
raw_user(struct hr_db *db, const char *file, const char *name,
    struct raw_user *u, struct hr_error *err)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	int64_t territory = 0;
	int rc = SQLITE_ERROR;

	memset(u, 0, sizeof *u);
	u->role = -1;
	if (sqlite3_open_v2(file, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(h, "SELECT role, territory_id FROM users "
	    "WHERE name = ?", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			u->role = hr_role_from_name((const char *)
			    sqlite3_column_text(st, 0));
			territory = sqlite3_column_int64(st, 1);
		}
	}
	sqlite3_finalize(st);
	sqlite3_close(h);
	if (rc != SQLITE_ROW || u->role < 0)
		return hr_error_set(err, HR_E_NOT_FOUND, "no user %s", name);
	return scope_resolve(db, u->role, territory, &u->scope, err);
}

int
raw_open(struct raw_db **out, const char *file, const char *const *users,
    size_t n)
{
	struct raw_db *r = calloc(1, sizeof *r);
	struct hr_error err;

	*out = NULL;
	hr_error_clear(&err);
	if (r == NULL || (r->u = calloc(n, sizeof *r->u)) == NULL) {
		fprintf(stderr, "loadgen: raw reads: out of memory\n");
		raw_close(r);
		return -1;
	}
	r->n = n;
	if (db_open(&r->db, file, HR_DB_READONLY, &err) < 0) {
		fprintf(stderr, "loadgen: raw reads: %s\n", err.msg);
		raw_close(r);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (raw_user(r->db, file, users[i], &r->u[i], &err) < 0) {
			fprintf(stderr, "loadgen: raw reads: %s: %s\n", users[i],
			    err.msg);
			raw_close(r);
			return -1;
		}
	*out = r;
	return 0;
}

void
raw_close(struct raw_db *r)
{
	if (r == NULL)
		return;
	db_close(r->db);
	free(r->u);
	free(r);
}

/* A row of the page: the handler packs it and reads the calendar once a
 * page when a row has a clock (page_clock). */
static int
raw_row(void *ud, const struct db_journal_row *row)
{
	int *clocks = ud;

	*clocks |= row->has_clock;
	return 0;
}

/* A "YYYY-MM-DD" day's local midnight (+ days), as the handler reads
 * date_from and date_to; 0 for none. */
static int64_t
raw_day(const char *s, int days)
{
	struct hr_date d;
	struct hr_error err;

	if (s == NULL || hr_date_parse(s, strlen(s), NULL, &d, &err) < 0)
		return 0;
	return hr_date_local(&d, days, 0, 0);
}

/* The other filters into f, as method_journal_list.c's journal_filter
 * sets them. */
static void
raw_filter(struct db_journal_filter *f, const struct raw_journal_params *p)
{
	const char *v = p->value ? p->value : "";

	f->created_from = raw_day(p->date_from, 0);
	f->created_to = raw_day(p->date_to, 1);
	if (p->filter == NULL)
		return;
	if (strcmp(p->filter, "package") == 0)
		f->package = strcmp(v, "full") == 0 ? DB_PACKAGE_FULL :
		    DB_PACKAGE_PARTIAL;
	else if (strcmp(p->filter, "decision") == 0)
		f->decision = strcmp(v, "none") == 0 ? DB_DECISION_NONE :
		    hr_decision_from_name(v);
	else if (strcmp(p->filter, "reg_no") == 0)
		f->reg_no = v;
	else if (strcmp(p->filter, "clock") == 0 && strcmp(v, "order") == 0)
		f->clock_order = 1;
	else if (strcmp(p->filter, "clock") == 0)
		f->clock = strcmp(v, "late") == 0 ? DB_CLOCK_LATE :
		    DB_CLOCK_EXPIRING;
	else if (strcmp(p->filter, "unnotified") == 0) {
		f->status = HR_ST_ANSWERED;
		f->unnotified = 1;
	}
}

double
raw_journal(struct raw_db *r, size_t u, const struct raw_journal_params *p)
{
	struct raw_user *ru = &r->u[u % r->n];
	struct db_journal_filter f, cf;
	int64_t counts[HR_ST__COUNT], untold, late, next = 0;
	struct hr_workcal cal;
	struct hr_error err;
	double t0;
	int clocks = 0, rc;

	hr_error_clear(&err);
	memset(&f, 0, sizeof f);
	scope_apply(&ru->scope, &f);
	f.visible = hr_workflow_visible_mask(ru->role);
	f.package = DB_PACKAGE_ANY;
	f.limit = RAW_PAGE_LIMIT;
	f.status = p->status ? hr_status_from_name(p->status) : -1;
	f.service = p->service;
	f.query = p->q;
	f.before_id = p->walk ? ru->before : 0;
	raw_filter(&f, p);
	t0 = raw_ms();
	f.today = db_today();
	if (db_begin_read(r->db, &err) < 0)
		return raw_fail(r, "begin", &err);
	rc = db_journal_page(r->db, &f, raw_row, &clocks, &next, &err);
	if (rc == 0 && clocks) {
		rc = db_calendar_load(r->db, &cal, &err);
		if (rc == 0)
			hr_workcal_free(&cal);
	}
	if (rc == 0 && p->counts) {
		cf = f;
		cf.status = -1;
		cf.unnotified = 0;
		cf.before_id = 0;
		cf.after_clock = 0;
		rc = db_journal_counts(r->db, &cf, counts, &err);
		if (rc == 0)
			rc = db_untold_count(r->db, (int)ru->scope.col,
			    ru->scope.territory_id, &untold, &err);
		if (rc == 0)
			rc = db_journal_late(r->db, &cf, &late, &err);
	}
	db_rollback(r->db);
	if (rc < 0)
		return raw_fail(r, "journal", &err);
	if (p->walk)
		ru->before = next;           /* from the top after the last */
	return raw_ms() - t0;
}

static int
raw_person(void *ud, const struct db_person_view *v)
{
	(void)ud;
	(void)v;
	return 0;
}

double
raw_person_search(struct raw_db *r, size_t u, const char *q)
{
	struct raw_user *ru = &r->u[u % r->n];
	struct hr_error err;
	double t0;
	int more = 0, rc;

	hr_error_clear(&err);
	t0 = raw_ms();
	if (db_begin_read(r->db, &err) < 0)
		return raw_fail(r, "begin", &err);
	rc = db_person_search(r->db, DB_PQ_NAME, q, ru->scope.oblast_id,
	    RAW_SEARCH_LIMIT, raw_person, NULL, &more, &err);
	db_rollback(r->db);
	if (rc < 0)
		return raw_fail(r, "person search", &err);
	return raw_ms() - t0;
}
