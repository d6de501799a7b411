/*
 * method_report_get.c — `report.get` {territory, from, to, window}: the
 * report of one territory of the caller's scope over a period of months
 * (db/reports.h) — totals, months with the growth over the last `window`
 * months, times per stage, returns by stage and reason, decisions by kind
 * and service, and the same counters for each child territory, so the
 * client drills down by asking again with a child's id.
 *
 * A territory outside the scope reads exactly like one that does not exist
 * ("territory not found").  Nothing of an applicant: not audited.  The
 * roles that work with cases (front office, hromada, back office) also
 * get `clerks`, the users who sent the territory's cases up, by name —
 * their colleagues, whom they meet in every case's history anyway.  The
 * roles that see no persons (oblast, ministry) get clerks only as counts,
 * and a return reason only when typed alike at least
 * DB_REP_REASON_MIN_AGGREGATE times, since a text typed once may name the
 * applicant.
 *
 * The lists of rows are packed by one pack_rows from tables of columns
 * (key, type, field): those tables are alike in shape by design.
 */
#include "srvd/method_table.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "db/deadline_report.h"
#include "db/deadlines.h"
#include "db/reports.h"
#include "db/territory.h"
#include "proto/mpread.h"
#include "proto/roles.h"
#include "proto/rpc.h"
#include "proto/workflow.h"
#include "srvd/scope.h"
#include "srvd/session.h"

enum { P_TERRITORY, P_FROM, P_TO, P_WINDOW };

static const struct hr_field fields[] = {
	[P_TERRITORY] = { "territory", HR_F_INT, HR_F_NULLABLE, 1, INT64_MAX },
	[P_FROM]      = { "from",      HR_F_STR, HR_F_NULLABLE, 0, 7 },
	[P_TO]        = { "to",        HR_F_STR, HR_F_NULLABLE, 0, 7 },
	[P_WINDOW]    = { "window",    HR_F_INT, HR_F_NULLABLE, 1, 120 },
};
const struct hr_schema method_report_get_params = { fields, 4, 0 };

/* "YYYY-MM" -> YYYYMM; 0 when malformed. */
static int
month_parse(const msgpack_object *v)
{
	if (v == NULL || v->type != MSGPACK_OBJECT_STR)
		return 0;
	return db_month_parse(v->via.str.ptr, v->via.str.size);
}

static int
period(struct srv_req *rq, int *from, int *to, struct hr_error *err)
{
	const msgpack_object *f = rq->vals[P_FROM], *t = rq->vals[P_TO];
	int has_f = f != NULL && f->type != MSGPACK_OBJECT_NIL;
	int has_t = t != NULL && t->type != MSGPACK_OBJECT_NIL;

	*to = has_t ? month_parse(t) : db_month_of(db_now());
	if (*to == 0) {
		hr_errorf(err, HR_E_INVALID, "report.month",
		    "is not a month (YYYY-MM)");
		return hr_error_at(err, "to");
	}
	*from = has_f ? month_parse(f) : db_month_add(*to, -11);
	if (*from == 0) {
		hr_errorf(err, HR_E_INVALID, "report.month",
		    "is not a month (YYYY-MM)");
		return hr_error_at(err, "from");
	}
	if (*from > *to || db_month_add(*from, 120) <= *to)
		return hr_errorf(err, HR_E_INVALID, "report.period_range",
		    "the period must run forward and span at most 120 months");
	return 0;
}

/* The territory asked for, within the scope; out of scope = not found. */
static int
territory(struct srv_req *rq, int64_t *id, struct hr_error *err)
{
	const struct srv_scope *s = &rq->sess->scope;
	int64_t want = hr_val_int(rq->vals[P_TERRITORY], 0);
	int     in;

	*id = want ? want : s->territory_id;
	if (want == 0)
		return 0;
	if ((in = scope_has_territory(rq->db, s, want, err)) < 0)
		return -1;
	if (in == 0)
		return hr_errorf(err, HR_E_NOT_FOUND, "territory.not_found",
		    "territory not found");
	return 0;
}

/*
 * The report's lists of rows (times, decisions, services, reasons, clerks)
 * are packed from tables: a row is a map of the struct's fields the table
 * names, in the table's order, each a string (char *) or an int64_t.
 */
struct col {
	const char *key;
	int         is_str;
	size_t      off;
};

#define COL_INT(type, key, f) { key, 0, offsetof(struct type, f) }
#define COL_STR(type, key, f) { key, 1, offsetof(struct type, f) }
#define NCOLS(cols)           ((uint32_t)(sizeof cols / sizeof cols[0]))

static const struct col time_cols[] = {
	COL_INT(db_rep_time, "count", count),
	COL_INT(db_rep_time, "median_h", median_h),
	COL_INT(db_rep_time, "p90_h", p90_h),
	COL_INT(db_rep_time, "mean_s", mean_s),
};
static const struct col decision_cols[] = {
	COL_STR(db_rep_decision, "kind", kind),
	COL_STR(db_rep_decision, "service", service),
	COL_INT(db_rep_decision, "count", n),
	COL_INT(db_rep_decision, "amount", amount),
};
static const struct col service_cols[] = {
	COL_STR(db_rep_service, "code", code),
	COL_STR(db_rep_service, "name", name),
	COL_INT(db_rep_service, "formed", formed),
	COL_INT(db_rep_service, "sent", sent),
	COL_INT(db_rep_service, "accepted", accepted),
	COL_INT(db_rep_service, "decided", decided),
};
static const struct col reason_cols[] = {
	COL_STR(db_rep_reason, "stage", stage),
	COL_STR(db_rep_reason, "reason", text),
	COL_INT(db_rep_reason, "count", n),
};
static const struct col clerk_cols[] = {
	COL_INT(db_rep_clerk, "id", user_id),
	COL_STR(db_rep_clerk, "login", login),
	COL_STR(db_rep_clerk, "name", name),
	COL_INT(db_rep_clerk, "office_id", office_id),
	COL_STR(db_rep_clerk, "office", office),
	COL_INT(db_rep_clerk, "formed", formed),
};

/* The fields of one row as key/value pairs (the caller packs the map). */
static void
pack_cols(msgpack_packer *pk, const void *row, const struct col *cols,
    uint32_t ncols)
{
	const char *base = row;

	for (uint32_t c = 0; c < ncols; c++) {
		if (cols[c].is_str)
			hr_pack_kv_str(pk, cols[c].key,
			    *(char *const *)(const void *)(base + cols[c].off));
		else
			hr_pack_kv_int(pk, cols[c].key,
			    *(const int64_t *)(const void *)(base + cols[c].off));
	}
}

/* `key`: an array of n rows of `size` bytes, each a map of its columns. */
static void
pack_rows(msgpack_packer *pk, const char *key, const void *rows, size_t n,
    size_t size, const struct col *cols, uint32_t ncols)
{
	hr_pack_str(pk, key);
	msgpack_pack_array(pk, (uint32_t)n);
	for (size_t i = 0; i < n; i++) {
		msgpack_pack_map(pk, ncols);
		pack_cols(pk, (const char *)rows + i * size, cols, ncols);
	}
}

#define PACK_ROWS(pk, key, rows, n, cols) \
	pack_rows(pk, key, rows, n, sizeof *(rows), cols, NCOLS(cols))

static void
pack_counts(msgpack_packer *pk, const struct db_rep_counts *c, int extra)
{
	msgpack_pack_map(pk, DB_REP__COUNTERS + 1 + (uint32_t)extra);
	for (int i = 0; i < DB_REP__COUNTERS; i++)
		hr_pack_kv_int(pk, db_rep_counter_names[i], c->n[i]);
	hr_pack_kv_int(pk, "assigned_sum", c->assigned_sum);
}

static void
pack_month_text(msgpack_packer *pk, const char *key, int month)
{
	char buf[16];

	snprintf(buf, sizeof buf, "%04d-%02d", month / 100, month % 100);
	hr_pack_kv_str(pk, key, buf);
}

/* The path from the scope's territory down to the report's parent. */
static int
pack_path(struct srv_req *rq, const struct db_report *r, struct hr_error *err)
{
	struct db_territory chain[8];
	int                 n = 0, rc = 0;
	int64_t             top = rq->sess->scope.territory_id;
	int64_t             id = r->territory_id;

	while (id != top && n < 8) {
		struct db_territory t;

		if (db_territory_get(rq->db, id, &t, err) < 0) {
			rc = -1;
			break;
		}
		id = t.parent_id;
		db_territory_free(&t);
		if (id == 0)
			break;
		if ((rc = db_territory_get(rq->db, id, &chain[n], err)) < 0)
			break;
		n++;
		if (top == 0 && chain[n - 1].parent_id == 0)
			break;
	}
	hr_pack_str(rq->pk, "path");
	msgpack_pack_array(rq->pk, (uint32_t)(rc < 0 ? 0 : n));
	for (int i = n - 1; i >= 0; i--) {
		if (rc == 0) {
			msgpack_pack_map(rq->pk, 3);
			hr_pack_kv_int(rq->pk, "id", chain[i].id);
			hr_pack_kv_str(rq->pk, "kind",
			    hr_terr_kind_name(chain[i].kind));
			hr_pack_kv_str(rq->pk, "name", chain[i].name);
		}
		db_territory_free(&chain[i]);
	}
	return rc;
}

static void
pack_growth(msgpack_packer *pk, const struct db_report *r, int window)
{
	struct db_rep_counts g;

	memset(&g, 0, sizeof g);
	for (size_t i = r->nmonths > (size_t)window ?
	    r->nmonths - (size_t)window : 0; i < r->nmonths; i++) {
		for (int k = 0; k < DB_REP__COUNTERS; k++)
			g.n[k] += r->months[i].c.n[k];
		g.assigned_sum += r->months[i].c.assigned_sum;
	}
	hr_pack_str(pk, "growth");
	pack_counts(pk, &g, 0);
}

static void
pack_report(msgpack_packer *pk, const struct db_report *r, int window)
{
	hr_pack_kv_int(pk, "window", window);
	hr_pack_str(pk, "totals");
	pack_counts(pk, &r->totals, 5);
	hr_pack_kv_int(pk, "returned_otg", r->returned_otg);
	hr_pack_kv_int(pk, "returned_spszn", r->returned_spszn);
	hr_pack_kv_int(pk, "package_full", r->package_full);
	hr_pack_kv_int(pk, "package_partial", r->package_partial);
	hr_pack_kv_int(pk, "clerks", r->clerks);
	pack_growth(pk, r, window);

	hr_pack_str(pk, "times");
	msgpack_pack_array(pk, DB_REP__STAGES);
	for (int s = 0; s < DB_REP__STAGES; s++) {
		msgpack_pack_map(pk, 1 + NCOLS(time_cols));
		hr_pack_kv_str(pk, "stage", db_rep_stage_names[s]);
		pack_cols(pk, &r->times[s], time_cols, NCOLS(time_cols));
	}
	hr_pack_str(pk, "months");
	msgpack_pack_array(pk, (uint32_t)r->nmonths);
	for (size_t i = 0; i < r->nmonths; i++) {
		pack_counts(pk, &r->months[i].c, 1);
		pack_month_text(pk, "month", r->months[i].month);
	}
	hr_pack_str(pk, "children");
	msgpack_pack_array(pk, (uint32_t)r->nchildren);
	for (size_t i = 0; i < r->nchildren; i++) {
		pack_counts(pk, &r->children[i].c, 4);
		hr_pack_kv_int(pk, "clerks", r->children[i].clerks);
		hr_pack_kv_int(pk, "id", r->children[i].id);
		hr_pack_kv_str(pk, "kind",
		    hr_terr_kind_name(r->children[i].kind));
		hr_pack_kv_str(pk, "name", r->children[i].name);
	}
	PACK_ROWS(pk, "decisions", r->decisions, r->ndecisions, decision_cols);
	PACK_ROWS(pk, "services", r->services, r->nservices, service_cols);
	PACK_ROWS(pk, "reasons", r->reasons, r->nreasons, reason_cols);
}

/* One row of `deadlines` (issue 17): the clocks of a stage (and office). */
static void
pack_deadline_row(msgpack_packer *pk, const struct db_deadline_row *r)
{
	msgpack_pack_map(pk, r->name ? 9 : 7);
	if (r->name) {
		hr_pack_kv_int(pk, "id", r->office_id);
		hr_pack_kv_str(pk, "name", r->name);
	}
	hr_pack_kv_str(pk, "stage", hr_stage_name(r->stage));
	hr_pack_kv_int(pk, "closed", r->closed);
	hr_pack_kv_int(pk, "on_time", r->on_time);
	hr_pack_kv_int(pk, "late", r->late);
	hr_pack_kv_int(pk, "late_days", r->late_days);
	hr_pack_kv_int(pk, "running", r->running);
	hr_pack_kv_int(pk, "running_late", r->running_late);
}

/* "deadlines": compliance per stage, and per stage and office (the
 * worst first) — db/deadline_report.h. */
static int
pack_deadlines(struct srv_req *rq, int64_t id, int from, int to,
    struct hr_error *err)
{
	struct db_deadline_report d;

	if (db_deadline_report(rq->db, id, from, to, db_today(), &d, err) < 0)
		return -1;
	hr_pack_str(rq->pk, "deadlines");
	msgpack_pack_map(rq->pk, 3);
	hr_pack_str(rq->pk, "stages");
	msgpack_pack_array(rq->pk, 3);
	for (int s = 0; s < 3; s++)
		pack_deadline_row(rq->pk, &d.stages[s]);
	hr_pack_str(rq->pk, "offices");
	msgpack_pack_array(rq->pk, (uint32_t)d.noffices);
	for (size_t i = 0; i < d.noffices; i++)
		pack_deadline_row(rq->pk, &d.offices[i]);
	hr_pack_kv_int(rq->pk, "offices_total", d.offices_total);
	db_deadline_report_free(&d);
	return 0;
}

/* Who sent the cases up: only for the roles that see persons. */
static void
pack_clerks(msgpack_packer *pk, const struct db_report *r)
{
	PACK_ROWS(pk, "clerks", r->clerk_rows, r->nclerk_rows, clerk_cols);
}

int
method_report_get(struct srv_req *rq, struct hr_error *err)
{
	const struct hr_role_info *ri = hr_role_info(rq->sess->role);
	unsigned         flags = ri && ri->personal_data ? DB_REP_PERSONS : 0;
	struct db_report r;
	int64_t          id;
	int              from = 0, to = 0, window, rc;

	window = (int)hr_val_int(rq->vals[P_WINDOW], 3);
	if (period(rq, &from, &to, err) < 0 || territory(rq, &id, err) < 0)
		return -1;
	if (db_report_build(rq->db, id, from, to, flags, &r, err) < 0)
		return -1;
	/* + deadlines (issue 17), + clerks for the roles that see persons */
	msgpack_pack_map(rq->pk, 14 + (flags & DB_REP_PERSONS ? 1 : 0));
	hr_pack_str(rq->pk, "territory");
	msgpack_pack_map(rq->pk, 3);
	hr_pack_kv_int(rq->pk, "id", r.territory_id);
	hr_pack_kv_str(rq->pk, "kind", hr_terr_kind_name(r.kind));
	hr_pack_kv_str(rq->pk, "name", r.name);
	pack_month_text(rq->pk, "from", r.from);
	pack_month_text(rq->pk, "to", r.to);
	rc = pack_path(rq, &r, err);
	if (rc == 0)
		pack_report(rq->pk, &r, window);
	if (rc == 0 && (flags & DB_REP_PERSONS))
		pack_clerks(rq->pk, &r);
	if (rc == 0)
		rc = pack_deadlines(rq, r.territory_id, r.from, r.to, err);
	db_report_free(&r);
	return rc;
}
