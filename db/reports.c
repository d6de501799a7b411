/*
 * reports.c — the report of one territory over a period, from report_facts
 * (migration 019).
 *
 * Every query is a range of report_facts' primary key (territory, month):
 * the territory's own rows for the totals, the months and the times, one
 * range per child for the drill-down.  A fact row is (measure, key, n,
 * amount); fact_fold below is the one place that says which counter a
 * fact adds to.
 */
#include "db/reports.h"
#include "db/db_priv.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proto/roles.h"

const char *const db_rep_counter_names[DB_REP__COUNTERS] = {
	"created", "formed", "sent", "accepted", "returned", "decided",
	"assigned", "notified",
};

const char *const db_rep_stage_names[DB_REP__STAGES] = {
	"front", "otg", "spszn", "decision", "total", "notify",
};

const char db_report_rebuild_sql[] =
	"DELETE FROM report_facts; DELETE FROM territory_activity; "
	"INSERT INTO report_fact_in SELECT application_id, at, measure, key, "
	"amount FROM report_history_facts; "
	"INSERT INTO report_fact_in SELECT application_id, at, measure, key, "
	"amount FROM report_decision_facts; "
	"INSERT INTO report_fact_in SELECT application_id, at, measure, key, "
	"amount FROM report_notify_facts; "
	"INSERT INTO territory_activity (territory_id, last_at) "
	"SELECT u.territory_id, max(h.at) FROM application_history h "
	"JOIN users u ON u.id = h.user_id GROUP BY u.territory_id;";

/* The measures that are counters (fact_fold), for the SQL filters. */
#define COUNTER_LIST "'created', 'formed', 'sent', 'accepted', " \
	"'returned', 'decision', 'notified'"
#define COUNTER_MEASURES "(" COUNTER_LIST ")"
/* ... and the senders, counted per child */
#define CHILD_MEASURES "(" COUNTER_LIST ", 'clerk')"

int
db_month_valid(int month)
{
	return month >= 190001 && month <= 999912 && month % 100 >= 1 &&
	    month % 100 <= 12;
}

int
db_month_parse(const char *s, size_t len)
{
	int y = 0, m = 0;

	if (len != 7 || s[4] != '-')
		return 0;
	for (size_t i = 0; i < 7; i++) {
		if (i == 4)
			continue;
		if (s[i] < '0' || s[i] > '9')
			return 0;
		if (i < 4)
			y = y * 10 + (s[i] - '0');
		else
			m = m * 10 + (s[i] - '0');
	}
	return db_month_valid(y * 100 + m) ? y * 100 + m : 0;
}

int
db_month_add(int month, int delta)
{
	int m = (month / 100) * 12 + (month % 100 - 1) + delta;

	return (m / 12) * 100 + m % 12 + 1;
}

int
db_month_of(int64_t t)
{
	time_t    tt = (time_t)t;
	struct tm tm;

	if (localtime_r(&tt, &tm) == NULL)
		return 0;
	return (tm.tm_year + 1900) * 100 + tm.tm_mon + 1;
}

/* Add one fact to a set of counters; 0 if it is no counter. */
static int
fact_fold(struct db_rep_counts *c, const char *measure, const char *key,
    int64_t n, int64_t amount)
{
	static const struct {
		const char         *measure;
		enum db_rep_counter counter;
	} map[] = {
		{ "created",  DB_REP_CREATED },
		{ "formed",   DB_REP_FORMED },
		{ "sent",     DB_REP_SENT },
		{ "accepted", DB_REP_ACCEPTED },
		{ "returned", DB_REP_RETURNED },
		{ "decision", DB_REP_DECIDED },
		{ "notified", DB_REP_NOTIFIED },
	};

	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
		if (strcmp(measure, map[i].measure) != 0)
			continue;
		c->n[map[i].counter] += n;
		if (map[i].counter == DB_REP_DECIDED &&
		    strncmp(key, "assigned:", 9) == 0) {
			c->n[DB_REP_ASSIGNED] += n;
			c->assigned_sum += amount;
		}
		return 1;
	}
	return 0;
}

static const char *
col_text(sqlite3_stmt *st, int col)
{
	const char *s = (const char *)sqlite3_column_text(st, col);

	return s ? s : "";
}

/* Grow an array by one zeroed element; NULL when out of memory. */
static void *
grow(void *arrp, size_t *n, size_t size)
{
	void **arr = arrp;
	char  *p = realloc(*arr, (*n + 1) * size);

	if (p == NULL)
		return NULL;
	*arr = p;
	memset(p + *n * size, 0, size);
	return p + (*n)++ * size;
}

static int
oom(struct hr_error *err)
{
	return hr_error_set(err, HR_E_INTERNAL, "out of memory");
}

/* ---- the territory ---- */

static int
report_territory(struct hr_db *db, int64_t id, struct db_report *r,
    int64_t *facts_id, struct hr_error *err)
{
	sqlite3_stmt *st;
	int           rc;

	st = db_prepare(db, id == 0 ?
	    "SELECT id, kind, name, parent_id FROM territories "
	    "WHERE parent_id IS NULL ORDER BY id LIMIT 1" :
	    "SELECT id, kind, name, parent_id FROM territories WHERE id = ?1",
	    err);
	if (st == NULL)
		return -1;
	if (id != 0)
		sqlite3_bind_int64(st, 1, id);
	if ((rc = db_step_row(db, st, "read the report's territory", err)) < 0)
		return -1;
	if (rc == 0)
		return hr_errorf(err, HR_E_NOT_FOUND, "territory.not_found",
		    "territory not found");
	r->territory_id = sqlite3_column_int64(st, 0);
	r->kind = hr_terr_kind_from_name(col_text(st, 1));
	r->name = strdup(col_text(st, 2));
	*facts_id = sqlite3_column_type(st, 3) == SQLITE_NULL ? 0 :
	    r->territory_id;
	(void)sqlite3_reset(st);
	if (r->name == NULL)
		return oom(err);
	if (r->kind < HR_TERR_COUNTRY || r->kind > HR_TERR_STAROSTA)
		return hr_errorf(err, HR_E_NOT_FOUND, "territory.not_found",
		    "territory not found");
	return 0;
}

/* ---- the territory's own facts: totals, times, reasons, services ---- */

struct bucket {
	int     stage;
	int64_t hours, n, seconds;
};

static int
bucket_cmp(const void *a, const void *b)
{
	const struct bucket *x = a, *y = b;

	if (x->stage != y->stage)
		return x->stage < y->stage ? -1 : 1;
	return (x->hours > y->hours) - (x->hours < y->hours);
}

/* Median and p90 (nearest rank) from the sorted buckets of each stage. */
static void
times_fold(struct db_report *r, struct bucket *b, size_t nb)
{
	if (nb > 1)
		qsort(b, nb, sizeof *b, bucket_cmp);
	for (size_t i = 0; i < nb;) {
		struct db_rep_time *t = &r->times[b[i].stage];
		int64_t total = 0, secs = 0, cum = 0, r50, r90;
		size_t  j;

		for (j = i; j < nb && b[j].stage == b[i].stage; j++) {
			total += b[j].n;
			secs += b[j].seconds;
		}
		r50 = (total + 1) / 2;
		r90 = (9 * total + 9) / 10;
		t->count = total;
		t->mean_s = total ? secs / total : 0;
		for (size_t k = i; k < j; k++) {
			if (cum < r50 && cum + b[k].n >= r50)
				t->median_h = b[k].hours;
			if (cum < r90 && cum + b[k].n >= r90)
				t->p90_h = b[k].hours;
			cum += b[k].n;
		}
		i = j;
	}
}

static int
stage_of(const char *name, size_t len)
{
	for (int s = 0; s < DB_REP__STAGES; s++)
		if (strlen(db_rep_stage_names[s]) == len &&
		    strncmp(db_rep_stage_names[s], name, len) == 0)
			return s;
	return -1;
}

static struct db_rep_service *
service_slot(struct db_report *r, const char *code)
{
	struct db_rep_service *s;

	for (size_t i = 0; i < r->nservices; i++)
		if (strcmp(r->services[i].code, code) == 0)
			return &r->services[i];
	if ((s = grow(&r->services, &r->nservices, sizeof *s)) == NULL)
		return NULL;
	if ((s->code = strdup(code)) == NULL)
		return NULL;
	return s;
}

static int
own_decision(struct db_report *r, const char *key, int64_t n, int64_t amount)
{
	const char             *colon = strchr(key, ':');
	struct db_rep_decision *d;
	struct db_rep_service  *s;

	if (colon == NULL)
		return 0;
	if ((d = grow(&r->decisions, &r->ndecisions, sizeof *d)) == NULL ||
	    (d->kind = strndup(key, (size_t)(colon - key))) == NULL ||
	    (d->service = strdup(colon + 1)) == NULL ||
	    (s = service_slot(r, colon + 1)) == NULL)
		return -1;
	d->n = n;
	d->amount = amount;
	s->decided += n;
	return 0;
}

static int
own_reason(struct db_report *r, const char *key, int64_t n, int reason_min)
{
	const char           *colon = strchr(key, ':');
	struct db_rep_reason *x;

	if (colon == NULL || n < reason_min)
		return 0;
	if ((x = grow(&r->reasons, &r->nreasons, sizeof *x)) == NULL ||
	    (x->stage = strndup(key, (size_t)(colon - key))) == NULL ||
	    (x->text = strdup(colon + 1)) == NULL)
		return -1;
	x->n = n;
	return 0;
}

static int
own_clerk(struct db_report *r, const char *key, int64_t n, unsigned flags)
{
	struct db_rep_clerk *c;

	r->clerks++;
	if (!(flags & DB_REP_PERSONS))
		return 0;
	if ((c = grow(&r->clerk_rows, &r->nclerk_rows, sizeof *c)) == NULL)
		return -1;
	c->user_id = strtoll(key, NULL, 10);
	c->formed = n;
	return 0;
}

/* One (measure, key, n, amount) of the territory's own totals. */
static int
own_fact(struct db_report *r, const char *m, const char *key, int64_t n,
    int64_t amount, unsigned flags, struct bucket **b, size_t *nb)
{
	int reason_min = flags & DB_REP_PERSONS ? 1 :
	    DB_REP_REASON_MIN_AGGREGATE;

	struct db_rep_service *s;

	fact_fold(&r->totals, m, key, n, amount);
	if (strcmp(m, "decision") == 0)
		return own_decision(r, key, n, amount);
	if (strcmp(m, "reason") == 0)
		return own_reason(r, key, n, reason_min);
	if (strcmp(m, "returned") == 0) {
		*(strcmp(key, "otg") == 0 ? &r->returned_otg :
		    &r->returned_spszn) += n;
		return 0;
	}
	if (strcmp(m, "package") == 0) {
		*(strcmp(key, "full") == 0 ? &r->package_full :
		    &r->package_partial) += n;
		return 0;
	}
	if (strcmp(m, "clerk") == 0)
		return own_clerk(r, key, n, flags);
	if (strcmp(m, "time") == 0) {
		const char    *colon = strchr(key, ':');
		int            stage = colon ? stage_of(key,
		    (size_t)(colon - key)) : -1;
		struct bucket *x;

		if (stage < 0)
			return 0;
		if ((x = grow(b, nb, sizeof *x)) == NULL)
			return -1;
		x->stage = stage;
		x->hours = strtoll(colon + 1, NULL, 10);
		x->n = n;
		x->seconds = amount;
		return 0;
	}
	if (strcmp(m, "formed") != 0 && strcmp(m, "sent") != 0 &&
	    strcmp(m, "accepted") != 0)
		return 0;
	if ((s = service_slot(r, key)) == NULL)
		return -1;
	*(m[0] == 'f' ? &s->formed : m[0] == 's' ? &s->sent : &s->accepted)
	    += n;
	return 0;
}

static int
reason_cmp(const void *a, const void *b)
{
	const struct db_rep_reason *x = a, *y = b;
	int c = strcmp(x->stage, y->stage);

	if (c != 0)
		return c;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->text, y->text);
}

/* Keep the DB_REP_REASONS_MAX most frequent reasons of each stage. */
static void
reasons_trim(struct db_report *r)
{
	size_t out = 0;

	if (r->nreasons > 1)
		qsort(r->reasons, r->nreasons, sizeof *r->reasons,
		    reason_cmp);
	for (size_t i = 0, k = 0; i < r->nreasons; i++) {
		k = (i > 0 && strcmp(r->reasons[i].stage,
		    r->reasons[i - 1].stage) == 0) ? k + 1 : 0;
		if (k < DB_REP_REASONS_MAX) {
			r->reasons[out++] = r->reasons[i];
		} else {
			free(r->reasons[i].stage);
			free(r->reasons[i].text);
		}
	}
	r->nreasons = out;
}

static int
service_names(struct hr_db *db, struct db_report *r, struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT name FROM services "
	    "WHERE code = ?1", err);

	if (st == NULL)
		return -1;
	for (size_t i = 0; i < r->nservices; i++) {
		int rc;

		sqlite3_bind_text(st, 1, r->services[i].code, -1,
		    SQLITE_TRANSIENT);
		if ((rc = db_step_row(db, st, "read a service's name", err)) < 0)
			return -1;
		r->services[i].name = strdup(rc ? col_text(st, 0) :
		    r->services[i].code);
		if (rc)
			(void)sqlite3_reset(st);
		if (r->services[i].name == NULL)
			return oom(err);
	}
	return 0;
}

static int
clerk_cmp(const void *a, const void *b)
{
	const struct db_rep_clerk *x = a, *y = b;

	if (x->formed != y->formed)
		return x->formed > y->formed ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* The clerks' names and offices, most cases first. */
static int
clerk_names(struct hr_db *db, struct db_report *r, struct hr_error *err)
{
	sqlite3_stmt *st;

	if (r->nclerk_rows == 0)
		return 0;
	st = db_prepare(db, "SELECT u.name, u.full_name, u.territory_id, "
	    "t.name FROM users u LEFT JOIN territories t ON "
	    "t.id = u.territory_id WHERE u.id = ?1", err);
	if (st == NULL)
		return -1;
	for (size_t i = 0; i < r->nclerk_rows; i++) {
		struct db_rep_clerk *c = &r->clerk_rows[i];
		int rc;

		sqlite3_bind_int64(st, 1, c->user_id);
		if ((rc = db_step_row(db, st, "read a clerk's name", err)) < 0)
			return -1;
		c->login = strdup(rc ? col_text(st, 0) : "");
		c->name = strdup(rc ? col_text(st, 1) : "");
		c->office_id = rc ? sqlite3_column_int64(st, 2) : 0;
		c->office = strdup(rc ? col_text(st, 3) : "");
		if (rc)
			(void)sqlite3_reset(st);
		if (!c->login || !c->name || !c->office)
			return oom(err);
	}
	qsort(r->clerk_rows, r->nclerk_rows, sizeof *r->clerk_rows, clerk_cmp);
	return 0;
}

static int
report_own(struct hr_db *db, int64_t facts_id, unsigned flags,
    struct db_report *r, struct hr_error *err)
{
	sqlite3_stmt  *st;
	struct bucket *b = NULL;
	size_t         nb = 0;
	int            rc;

	st = db_prepare(db, "SELECT measure, key, sum(n), sum(amount) "
	    "FROM report_facts WHERE territory_id = ?1 AND month BETWEEN ?2 "
	    "AND ?3 GROUP BY measure, key", err);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, facts_id);
	sqlite3_bind_int(st, 2, r->from);
	sqlite3_bind_int(st, 3, r->to);
	while ((rc = db_step_row(db, st, "read a report's totals", err)) == 1) {
		if (own_fact(r, col_text(st, 0), col_text(st, 1),
		    sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3),
		    flags, &b, &nb) < 0) {
			(void)sqlite3_reset(st);
			free(b);
			return oom(err);
		}
	}
	if (rc == 0)
		times_fold(r, b, nb);
	free(b);
	if (rc < 0)
		return -1;
	reasons_trim(r);
	if (clerk_names(db, r, err) < 0)
		return -1;
	return service_names(db, r, err);
}

/* ---- months and children: counters only ---- */

static int
report_months(struct hr_db *db, int64_t facts_id, struct db_report *r,
    struct hr_error *err)
{
	sqlite3_stmt *st;
	int           rc;

	for (int m = r->from; m <= r->to; m = db_month_add(m, 1)) {
		struct db_rep_month *x = grow(&r->months, &r->nmonths,
		    sizeof *x);

		if (x == NULL)
			return oom(err);
		x->month = m;
	}
	st = db_prepare(db, "SELECT month, measure, key, sum(n), sum(amount) "
	    "FROM report_facts WHERE territory_id = ?1 AND month BETWEEN ?2 "
	    "AND ?3 AND measure IN " COUNTER_MEASURES " "
	    "GROUP BY month, measure, key", err);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, facts_id);
	sqlite3_bind_int(st, 2, r->from);
	sqlite3_bind_int(st, 3, r->to);
	while ((rc = db_step_row(db, st, "read a report's months", err)) == 1) {
		int month = sqlite3_column_int(st, 0);

		for (size_t i = 0; i < r->nmonths; i++)
			if (r->months[i].month == month)
				fact_fold(&r->months[i].c, col_text(st, 1),
				    col_text(st, 2),
				    sqlite3_column_int64(st, 3),
				    sqlite3_column_int64(st, 4));
	}
	return rc < 0 ? -1 : 0;
}

static int
report_children(struct hr_db *db, struct db_report *r, struct hr_error *err)
{
	sqlite3_stmt        *st;
	struct db_rep_child *c = NULL;
	int                  rc;

	st = db_prepare(db, "SELECT c.id, c.kind, c.name, f.measure, f.key, "
	    "sum(f.n), sum(f.amount) FROM territories c LEFT JOIN "
	    "report_facts f ON f.territory_id = c.id AND f.month BETWEEN ?2 "
	    "AND ?3 AND f.measure IN " CHILD_MEASURES " "
	    "WHERE c.parent_id = ?1 AND c.kind IN ('oblast', 'spszn', "
	    "'hromada', 'cnap', 'starosta') "
	    "GROUP BY c.id, f.measure, f.key ORDER BY c.name, c.id", err);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, r->territory_id);
	sqlite3_bind_int(st, 2, r->from);
	sqlite3_bind_int(st, 3, r->to);
	while ((rc = db_step_row(db, st, "read a report's drill-down",
	    err)) == 1) {
		int64_t id = sqlite3_column_int64(st, 0);

		if (c == NULL || c->id != id) {
			if ((c = grow(&r->children, &r->nchildren,
			    sizeof *c)) == NULL ||
			    (c->name = strdup(col_text(st, 2))) == NULL) {
				(void)sqlite3_reset(st);
				return oom(err);
			}
			c->id = id;
			c->kind = hr_terr_kind_from_name(col_text(st, 1));
		}
		if (sqlite3_column_type(st, 3) == SQLITE_NULL)
			continue;
		if (strcmp(col_text(st, 3), "clerk") == 0)
			c->clerks++;    /* one row per sender: GROUP BY key */
		else
			fact_fold(&c->c, col_text(st, 3), col_text(st, 4),
			    sqlite3_column_int64(st, 5),
			    sqlite3_column_int64(st, 6));
	}
	return rc < 0 ? -1 : 0;
}

int
db_report_build(struct hr_db *db, int64_t territory_id, int from, int to,
    unsigned flags, struct db_report *out, struct hr_error *err)
{
	int64_t facts_id = 0;

	memset(out, 0, sizeof *out);
	if (!db_month_valid(from) || !db_month_valid(to) || from > to)
		return hr_errorf(err, HR_E_INVALID, "report.period",
		    "the period must be months from..to, the first not after "
		    "the last");
	out->from = from;
	out->to = to;
	if (report_territory(db, territory_id, out, &facts_id, err) < 0 ||
	    report_own(db, facts_id, flags, out, err) < 0 ||
	    report_months(db, facts_id, out, err) < 0 ||
	    report_children(db, out, err) < 0) {
		db_report_free(out);
		return -1;
	}
	return 0;
}

void
db_report_free(struct db_report *r)
{
	free(r->name);
	free(r->months);
	for (size_t i = 0; i < r->nchildren; i++)
		free(r->children[i].name);
	free(r->children);
	for (size_t i = 0; i < r->ndecisions; i++) {
		free(r->decisions[i].kind);
		free(r->decisions[i].service);
	}
	free(r->decisions);
	for (size_t i = 0; i < r->nservices; i++) {
		free(r->services[i].code);
		free(r->services[i].name);
	}
	free(r->services);
	for (size_t i = 0; i < r->nreasons; i++) {
		free(r->reasons[i].stage);
		free(r->reasons[i].text);
	}
	free(r->reasons);
	for (size_t i = 0; i < r->nclerk_rows; i++) {
		free(r->clerk_rows[i].login);
		free(r->clerk_rows[i].name);
		free(r->clerk_rows[i].office);
	}
	free(r->clerk_rows);
	memset(r, 0, sizeof *r);
}
