/*
 * method_journal_list.c — `journal.list`: one page of the journal, newest
 * first, within the user's scope (scope.h), with optional filters and the
 * per-status counts the journal screen shows on its tabs.  The back office
 * sees only the statuses that reached it (hr_workflow_visible), in the page
 * and in the counts alike.
 *
 * Rows are compact arrays; names the client has in its reference data
 * (services, front offices) are not repeated in them, and a page the
 * client already shows is answered "unchanged" by its etag
 * (revalidate.h).  Every page is a read of persons' data, so every page
 * appends one "journal.read" audit record naming the applications shown
 * (marked "prefetch" when the client fetched it ahead of the user).  The page is
 * read on a query thread; the loop appends the record and the reply waits
 * for its group commit (an audit record that could be lost must not have
 * shown anything; srvd/query.h).
 */
#include "srvd/method_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/calendar.h"
#include "db/deadlines.h"
#include "db/journal.h"
#include "db/notify.h"
#include "proto/dat.h"
#include "proto/ident.h"
#include "proto/mpread.h"
#include "proto/roles.h"
#include "proto/rpc.h"
#include "proto/workflow.h"
#include "srvd/app_echo.h"
#include "srvd/request_audit.h"
#include "srvd/revalidate.h"
#include "srvd/session.h"

enum { P_LIMIT, P_BEFORE, P_STATUS, P_SERVICE, P_Q, P_COUNTS, P_PACKAGE,
    P_DATE_FROM, P_DATE_TO, P_FRONT_OFFICE, P_ETAG, P_PREFETCH, P_UNNOTIFIED,
    P_DECISION, P_REG_NO, P_CLOCK, P_ORDER, P_MARKS, P__COUNT };

static const struct hr_field fields[P__COUNT] = {
	[P_LIMIT]        = { "limit",        HR_F_INT,  HR_F_NULLABLE, 1, 100 },
	[P_BEFORE]       = { "before",       HR_F_INT,  HR_F_NULLABLE, 0, INT64_MAX },
	[P_STATUS]       = { "status",       HR_F_STR,  HR_F_NULLABLE, 0, 32 },
	[P_SERVICE]      = { "service",      HR_F_STR,  HR_F_NULLABLE, 0, 64 },
	[P_Q]            = { "q",            HR_F_STR,  HR_F_NULLABLE, 0, 64 },
	[P_COUNTS]       = { "counts",       HR_F_BOOL, HR_F_NULLABLE, 0, 0 },
	[P_PACKAGE]      = { "package",      HR_F_STR,  HR_F_NULLABLE, 0, 8 },
	[P_DATE_FROM]    = { "date_from",    HR_F_STR,  HR_F_NULLABLE, 0, 10 },
	[P_DATE_TO]      = { "date_to",      HR_F_STR,  HR_F_NULLABLE, 0, 10 },
	[P_FRONT_OFFICE] = { "front_office", HR_F_INT,  HR_F_NULLABLE, 1, INT64_MAX },
	[P_ETAG]         = { "etag",         HR_F_INT,  HR_F_NULLABLE, 1, INT64_MAX },
	[P_PREFETCH]     = { "prefetch",     HR_F_BOOL, HR_F_NULLABLE, 0, 0 },
	[P_UNNOTIFIED]   = { "unnotified",   HR_F_BOOL, HR_F_NULLABLE, 0, 0 },
	[P_DECISION]     = { "decision",     HR_F_STR,  HR_F_NULLABLE, 1, 24 },
	[P_REG_NO]       = { "reg_no",       HR_F_STR,  HR_F_NULLABLE, 1, 16 },
	[P_CLOCK]        = { "clock",        HR_F_STR,  HR_F_NULLABLE, 1, 16 },
	[P_ORDER]        = { "order",        HR_F_STR,  HR_F_NULLABLE, 1, 16 },
	[P_MARKS]        = { "marks",        HR_F_BOOL, HR_F_NULLABLE, 0, 0 },
};
const struct hr_schema method_journal_list_params = { fields, P__COUNT, 0 };

#define JOURNAL_DEFAULT_LIMIT 20
#define JOURNAL_ROW_FIELDS    12     /* elements of a row (PROTOCOL.md) */
#define AUDIT_IDS_MAX         (100 * 21 + 64)

/*
 * Rows are packed into their own buffer (the array count comes first), as
 * compact arrays (PROTOCOL.md "journal.list"): status as its code, the
 * service as an index into the page's own `services` list, the front
 * office as its territory id.  The names are the client's reference data.
 */
#define PAGE_SERVICES_MAX 100     /* at most one per row */

struct page {
	msgpack_sbuffer sb;
	msgpack_packer  pk;
	uint32_t        n;
	char           *svc[PAGE_SERVICES_MAX];   /* codes, in order of use */
	uint32_t        nsvc;
	int             oom;
	char            ids[AUDIT_IDS_MAX];   /* "ids 7,5,3" for the audit */
	size_t          idlen;
	/* the clocks: days left counted over the calendar, read once */
	struct hr_db     *db;
	int32_t           today;
	struct hr_workcal cal;
	int               cal_state;          /* 0 not read, 1 read, -1 failed */
};

/* 11: nil, or [working days left (negative: late by), 0 green | 1 amber |
 * 2 red] — the days left of the page's rows alone, the calendar read
 * once a page. */
static void
page_clock(struct page *pg, const struct db_journal_row *row)
{
	msgpack_packer *pk = &pg->pk;
	struct hr_error e;

	if (!row->has_clock) {
		msgpack_pack_nil(pk);
		return;
	}
	if (pg->cal_state == 0)
		pg->cal_state = db_calendar_load(pg->db, &pg->cal, &e) < 0 ?
		    -1 : 1;
	if (pg->cal_state < 0)
		pg->oom = 1;
	msgpack_pack_array(pk, 2);
	msgpack_pack_int32(pk, hr_clock_left(&pg->cal, pg->today, row->due));
	msgpack_pack_int(pk, (int)hr_clock_state(pg->today, row->due,
	    row->warn));
}

/* Index of `code` in the page's services list, added when new. */
static uint32_t
page_service(struct page *pg, const char *code)
{
	uint32_t i;

	for (i = 0; i < pg->nsvc; i++)
		if (strcmp(pg->svc[i], code) == 0)
			return i;
	if (pg->nsvc == PAGE_SERVICES_MAX ||
	    (pg->svc[pg->nsvc] = strdup(code)) == NULL) {
		pg->oom = 1;
		return 0;
	}
	return pg->nsvc++;
}

static int
page_row(void *ud, const struct db_journal_row *row)
{
	struct page    *pg = ud;
	msgpack_packer *pk = &pg->pk;
	int             n;

	msgpack_pack_array(pk, JOURNAL_ROW_FIELDS);
	msgpack_pack_int64(pk, row->id);
	hr_pack_str(pk, row->reg_no);
	msgpack_pack_int64(pk, row->created_at);
	msgpack_pack_int(pk, row->status);
	msgpack_pack_uint32(pk, page_service(pg, row->service));
	hr_pack_str(pk, row->applicant);
	msgpack_pack_int64(pk, row->front_office_id);
	row->package_full ? msgpack_pack_true(pk) : msgpack_pack_false(pk);
	if (row->decision < 0) {             /* 8: [kind, amount] or nil */
		msgpack_pack_nil(pk);
	} else {
		msgpack_pack_array(pk, 2);
		hr_pack_str(pk, hr_decision_name(row->decision));
		if (row->has_amount)
			msgpack_pack_int64(pk, row->amount);
		else
			msgpack_pack_nil(pk);
	}
	row->notified ? msgpack_pack_true(pk) : msgpack_pack_false(pk);
	msgpack_pack_int64(pk, row->version);          /* 10 */
	page_clock(pg, row);                           /* 11 */
	n = snprintf(pg->ids + pg->idlen, sizeof pg->ids - pg->idlen, "%s%lld",
	    pg->n ? "," : "ids ", (long long)row->id);
	if (n > 0 && (size_t)n < sizeof pg->ids - pg->idlen)
		pg->idlen += (size_t)n;
	pg->n++;
	return 0;
}

/* "YYYY-MM-DD" -> local midnight of that day (+ days), in seconds. */
static int
journal_day(const msgpack_object *v, int days, const char *field,
    int64_t *out, struct hr_error *err)
{
	struct hr_date d;

	if (v == NULL)
		return 0;
	if (hr_date_parse(v->via.str.ptr, v->via.str.size, NULL, &d, err) < 0)
		return hr_error_pop(err), hr_error_at(err, field);
	*out = hr_date_local(&d, days, 0, 0);
	return 0;
}

/*
 * The intake filters: package, creation dates (inclusive days, server
 * local time), and a front office, which narrows the scope to that office
 * if it lies within the scope (else HR_E_NOT_FOUND, as for a foreign id).
 */
static int
journal_intake_filter(struct srv_req *rq, struct db_journal_filter *f,
    struct hr_error *err)
{
	const msgpack_object *pkg = rq->vals[P_PACKAGE];
	int64_t fo = hr_val_int(rq->vals[P_FRONT_OFFICE], 0);
	int rc;

	f->visible = hr_workflow_visible_mask(rq->sess->role);
	if (pkg != NULL && !hr_val_str_eq(pkg, "full") &&
	    !hr_val_str_eq(pkg, "partial"))
		return hr_errorf(err, HR_E_INVALID, "journal.package",
		    "must be full or partial"), hr_error_at(err, "package");
	f->package = pkg == NULL ? DB_PACKAGE_ANY : hr_val_str_eq(pkg, "full") ?
	    DB_PACKAGE_FULL : DB_PACKAGE_PARTIAL;
	if (journal_day(rq->vals[P_DATE_FROM], 0, "date_from",
	    &f->created_from, err) < 0 ||
	    journal_day(rq->vals[P_DATE_TO], 1, "date_to", &f->created_to,
	    err) < 0)
		return -1;
	if (fo == 0)
		return 0;
	rc = scope_has_front_office(rq->db, &rq->sess->scope, fo, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return hr_errorf(err, HR_E_NOT_FOUND, "journal.front_office",
		    "no such front office in your scope"),
		    hr_error_at(err, "front_office");
	f->scope_col = DB_SCOPE_FRONT_OFFICE;
	f->scope_id = fo;
	return 0;
}

/* `decision`: a decision kind, or "none" (no decision imported yet). */
static int
journal_decision(const msgpack_object *v, int *out, struct hr_error *err)
{
	char *s;
	int   d;

	if (v == NULL)
		return 0;
	s = hr_val_strdup(v);
	if (s != NULL && strcmp(s, "none") == 0)
		d = DB_DECISION_NONE;
	else if ((d = hr_decision_from_name(s)) < 1)
		d = 0;
	free(s);
	if (d == 0)
		return hr_errorf(err, HR_E_INVALID, "journal.decision",
		    "must be assigned, refused, registered, "
		    "registration_refused or none"), hr_error_at(err,
		    "decision");
	*out = d;
	return 0;
}

/* `reg_no`: a registration number or its start — digits, then "/" and
 * the year. */
static int
journal_reg_no(const msgpack_object *v, struct hr_error *err)
{
	for (uint32_t i = 0; v != NULL && i < v->via.str.size; i++) {
		char c = v->via.str.ptr[i];

		if (!(c >= '0' && c <= '9') && c != '/')
			return hr_errorf(err, HR_E_INVALID, "journal.reg_no",
			    "write the number as NNNNN/YYYY or its start"),
			    hr_error_at(err, "reg_no");
	}
	return 0;
}

/* `clock`: late or expiring; `order`: newest (the default) or clock. */
static int
journal_clock(struct srv_req *rq, struct db_journal_filter *f,
    struct hr_error *err)
{
	const msgpack_object *c = rq->vals[P_CLOCK], *o = rq->vals[P_ORDER];

	f->today = db_today();
	if (c != NULL) {
		if (hr_val_str_eq(c, "late"))
			f->clock = DB_CLOCK_LATE;
		else if (hr_val_str_eq(c, "expiring"))
			f->clock = DB_CLOCK_EXPIRING;
		else
			return hr_errorf(err, HR_E_INVALID, "journal.clock",
			    "must be late or expiring"), hr_error_at(err,
			    "clock");
	}
	if (o != NULL && !hr_val_str_eq(o, "newest") &&
	    !hr_val_str_eq(o, "clock"))
		return hr_errorf(err, HR_E_INVALID, "journal.order",
		    "must be newest or clock"), hr_error_at(err, "order");
	f->clock_order = o != NULL && hr_val_str_eq(o, "clock");
	/* a clock filter lists by the clock: the most overdue first */
	if (f->clock != DB_CLOCK_ANY || f->clock_order) {
		f->after_clock = f->before_id;
		f->before_id = 0;
	}
	return 0;
}

/* Params -> filter; the scope comes from the session, never the client. */
static int
journal_filter(struct srv_req *rq, struct db_journal_filter *f, char **strs,
    struct hr_error *err)
{
	const msgpack_object *st = rq->vals[P_STATUS];

	memset(f, 0, sizeof *f);
	scope_apply(&rq->sess->scope, f);
	f->limit = (int)hr_val_int(rq->vals[P_LIMIT], JOURNAL_DEFAULT_LIMIT);
	f->before_id = hr_val_int(rq->vals[P_BEFORE], 0);
	f->status = -1;
	if (st != NULL) {
		strs[0] = hr_val_strdup(st);
		if (strs[0] == NULL || (f->status = hr_status_from_name(strs[0])) < 0)
			return hr_errorf(err, HR_E_INVALID, "journal.status",
			    "unknown status '{value}'", HR_STR("value",
			    strs[0] ? strs[0] : "")), hr_error_at(err, "status");
	}
	/* «рішення є, заявника не повідомлено»: answered ones only */
	if (hr_val_bool(rq->vals[P_UNNOTIFIED], 0)) {
		if (f->status != -1 && f->status != HR_ST_ANSWERED)
			return hr_errorf(err, HR_E_INVALID, "journal.unnotified",
			    "applications not told of a decision are answered "
			    "ones: leave out status or give answered"),
			    hr_error_at(err, "unnotified");
		f->status = HR_ST_ANSWERED;
		f->unnotified = 1;
	}
	strs[1] = hr_val_strdup(rq->vals[P_SERVICE]);
	strs[2] = hr_val_strdup(rq->vals[P_Q]);
	f->service = strs[1] && *strs[1] ? strs[1] : NULL;
	f->query = strs[2] && *strs[2] ? strs[2] : NULL;
	if (journal_decision(rq->vals[P_DECISION], &f->decision, err) < 0 ||
	    journal_reg_no(rq->vals[P_REG_NO], err) < 0)
		return -1;
	strs[3] = hr_val_strdup(rq->vals[P_REG_NO]);
	f->reg_no = strs[3];
	if (journal_clock(rq, f, err) < 0)
		return -1;
	return journal_intake_filter(rq, f, err);
}

/*
 * "counts": [n per status code], every filter but the status applied;
 * "unnotified": the scope's decisions the applicants were not told of.
 */
static int
journal_counts(struct srv_req *rq, const struct db_journal_filter *f,
    msgpack_packer *pk, struct hr_error *err)
{
	struct db_journal_filter cf = *f;
	const struct srv_scope *sc = &rq->sess->scope;
	int64_t counts[HR_ST__COUNT] = { 0 };
	int64_t untold = 0, late = 0;

	cf.status = -1;          /* counts per status, for the tabs */
	cf.unnotified = 0;
	cf.before_id = 0;
	cf.after_clock = 0;
	if (db_journal_counts(rq->db, &cf, counts, err) < 0 ||
	    db_untold_count(rq->db, sc->col, sc->territory_id, &untold,
	    err) < 0 || db_journal_late(rq->db, &cf, &late, err) < 0)
		return -1;
	hr_pack_str(pk, "counts");
	msgpack_pack_array(pk, HR_ST__COUNT);
	for (int s = 0; s < HR_ST__COUNT; s++)
		msgpack_pack_int64(pk, counts[s]);
	/* the cabinet's "decisions waiting": the whole scope, no filter */
	hr_pack_kv_int(pk, "unnotified", untold);
	/* the cabinet's "late": the whole scope's cases past their due date */
	hr_pack_kv_int(pk, "late", late);
	return 0;
}

static int
journal_audit(struct srv_req *rq, const struct db_journal_filter *f,
    const struct page *pg, struct hr_error *err)
{
	char detail[AUDIT_IDS_MAX + 256];

	snprintf(detail, sizeof detail, "%u rows; before %lld; status %s%s; "
	    "service %s; q %s; package %d; created %lld..%lld; decision %s; "
	    "reg_no %s; clock %s%s; scope %d:%lld; %s%s", pg->n,
	    (long long)(f->before_id ? f->before_id : f->after_clock),
	    f->status >= 0 ? hr_status_name(f->status) : "any",
	    f->unnotified ? " (applicant not told)" : "",
	    f->service ? f->service : "any", f->query ? f->query : "-",
	    f->package, (long long)f->created_from, (long long)f->created_to,
	    f->decision == DB_DECISION_NONE ? "none" : f->decision ?
	    hr_decision_name(f->decision) : "any", f->reg_no ? f->reg_no : "-",
	    f->clock == DB_CLOCK_LATE ? "late" : f->clock == DB_CLOCK_EXPIRING ?
	    "expiring" : "any", f->clock_order ? " (clock order)" : "",
	    (int)f->scope_col, (long long)f->scope_id,
	    pg->n ? pg->ids : "no ids",
	    hr_val_bool(rq->vals[P_PREFETCH], 0) ? "; prefetch" : "");
	return srv_audit(rq, "journal.read", "journal",
	    detail, err);
}

/*
 * The page, its services and cursor (and the counts when asked) go into a
 * revalidation buffer: the etag is their hash, and a client that shows
 * the page with that etag already gets {etag, unchanged: true} instead.
 */
static int
journal_page(struct srv_req *rq, const struct db_journal_filter *f,
    struct page *pg, struct hr_error *err)
{
	struct revalidate rv;
	int64_t next = 0;
	int     rc = 0;

	if (db_journal_page(rq->db, f, page_row, pg, &next, err) < 0)
		return -1;
	if (pg->oom)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	if (journal_audit(rq, f, pg, err) < 0)
		return -1;
	revalidate_init(&rv);
	hr_pack_str(&rv.pk, "rows");
	msgpack_pack_array(&rv.pk, pg->n);
	if (pg->sb.size > 0)
		rv.pk.callback(rv.pk.data, pg->sb.data, pg->sb.size);
	hr_pack_str(&rv.pk, "services");
	msgpack_pack_array(&rv.pk, pg->nsvc);
	for (uint32_t i = 0; i < pg->nsvc; i++)
		hr_pack_str(&rv.pk, pg->svc[i]);
	hr_pack_kv_int(&rv.pk, "next", next);
	rv.pairs = 3;
	if (hr_val_bool(rq->vals[P_COUNTS], 0)) {
		rc = journal_counts(rq, f, &rv.pk, err);
		rv.pairs += 3;       /* counts, unnotified, late */
	}
	if (rc == 0)
		revalidate_finish(&rv, rq->pk,
		    hr_val_int(rq->vals[P_ETAG], 0));
	else
		msgpack_sbuffer_destroy(&rv.sb);
	return rc;
}

/*
 * `marks`: every application of the filter (all pages), for the journal's
 * marked set (application.batch): how many, and when at most HR_BATCH_MAX
 * their ids and versions.  Ids newest first, each after the first as the
 * difference to the one before (small numbers: a few bytes a row over a
 * slow link).  Counting stops past JOURNAL_MARKS_COUNT_MAX (`over`).
 */
#define JOURNAL_MARKS_COUNT_MAX 100000

struct mark {
	int64_t id, version;
};

struct marks {
	struct mark m[HR_BATCH_MAX];    /* the first HR_BATCH_MAX met */
	int64_t     n;                  /* all met */
};

static int
marks_row(void *ud, const struct db_journal_row *row)
{
	struct marks *m = ud;

	if (m->n < HR_BATCH_MAX) {
		m->m[m->n].id = row->id;
		m->m[m->n].version = row->version;
	}
	m->n++;
	return 0;
}

/* Newest first (a clock-ordered filter meets them in another order). */
static int
mark_newest_first(const void *a, const void *b)
{
	const struct mark *x = a, *y = b;

	return (x->id < y->id) - (x->id > y->id);
}

/* {count, over, ids (differences), versions} */
static void
marks_pack(msgpack_packer *pk, struct marks *m, int over)
{
	uint32_t n = m->n <= HR_BATCH_MAX && !over ? (uint32_t)m->n : 0;

	qsort(m->m, n, sizeof m->m[0], mark_newest_first);
	msgpack_pack_map(pk, 1);
	hr_pack_str(pk, "marks");
	msgpack_pack_map(pk, 4);
	hr_pack_kv_int(pk, "count", m->n);
	hr_pack_kv_bool(pk, "over", over);
	hr_pack_str(pk, "ids");
	msgpack_pack_array(pk, n);
	for (uint32_t i = 0; i < n; i++)
		msgpack_pack_int64(pk, i == 0 ? m->m[0].id : m->m[i - 1].id -
		    m->m[i].id);
	hr_pack_str(pk, "versions");
	msgpack_pack_array(pk, n);
	for (uint32_t i = 0; i < n; i++)
		msgpack_pack_int64(pk, m->m[i].version);
}

static int
journal_marks(struct srv_req *rq, struct db_journal_filter *f,
    struct hr_error *err)
{
	struct marks *m = calloc(1, sizeof *m);
	char detail[600];
	int64_t next = 0;
	int rc = 0, all, clock = f->clock != DB_CLOCK_ANY || f->clock_order;

	if (m == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	f->limit = 100;
	f->before_id = f->after_clock = 0;
	do {        /* the cursor is the clock key in clock order (above) */
		rc = db_journal_page(rq->db, f, marks_row, m, &next, err);
		if (clock)
			f->after_clock = next;
		else
			f->before_id = next;
	} while (rc == 0 && next != 0 && m->n <= JOURNAL_MARKS_COUNT_MAX);
	all = m->n <= HR_BATCH_MAX;
	snprintf(detail, sizeof detail, "marks: %lld%s applications%s; status "
	    "%s; service %s; q %s; package %d; created %lld..%lld; scope "
	    "%d:%lld", (long long)m->n, next != 0 ? "+" : "",
	    all ? " (ids sent)" : " (count only)",
	    f->status >= 0 ? hr_status_name(f->status) : "any",
	    f->service ? f->service : "any", f->query ? f->query : "-",
	    f->package, (long long)f->created_from, (long long)f->created_to,
	    (int)f->scope_col, (long long)f->scope_id);
	if (rc == 0)
		rc = srv_audit(rq, "journal.marks", "journal", detail, err);
	if (rc == 0)
		marks_pack(rq->pk, m, next != 0);
	free(m);
	return rc;
}

int
method_journal_list(struct srv_req *rq, struct hr_error *err)
{
	struct db_journal_filter f;
	struct page *pg;
	char        *strs[4] = { NULL, NULL, NULL, NULL };
	int          rc;

	if (!rq->sess->scope.applications)
		return hr_errorf(err, HR_E_FORBIDDEN, "scope.no_applications",
		    "this role sees no applications");
	if ((pg = calloc(1, sizeof *pg)) == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	msgpack_sbuffer_init(&pg->sb);
	msgpack_packer_init(&pg->pk, &pg->sb, msgpack_sbuffer_write);
	pg->db = rq->db;
	rc = journal_filter(rq, &f, strs, err);
	pg->today = f.today;
	if (rc == 0 && hr_val_bool(rq->vals[P_MARKS], 0))
		rc = journal_marks(rq, &f, err);
	else if (rc == 0)
		rc = journal_page(rq, &f, pg, err);
	msgpack_sbuffer_destroy(&pg->sb);
	hr_workcal_free(&pg->cal);
	for (uint32_t i = 0; i < pg->nsvc; i++)
		free(pg->svc[i]);
	free(pg);
	for (int i = 0; i < 4; i++)
		free(strs[i]);
	return rc;
}

int
journal_one(struct srv_req *rq, int64_t id, msgpack_packer *out,
    struct hr_error *err)
{
	struct db_journal_filter f;
	struct page *pg;
	int64_t next = 0;
	int rc;

	if (!rq->sess->scope.applications) {
		msgpack_pack_nil(out);
		return 0;
	}
	if ((pg = calloc(1, sizeof *pg)) == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	msgpack_sbuffer_init(&pg->sb);
	msgpack_packer_init(&pg->pk, &pg->sb, msgpack_sbuffer_write);
	memset(&f, 0, sizeof f);
	scope_apply(&rq->sess->scope, &f);
	f.visible = hr_workflow_visible_mask(rq->sess->role);
	f.package = DB_PACKAGE_ANY;
	f.status = -1;
	f.limit = 1;
	f.before_id = id + 1;            /* the newest at or below id */
	f.today = db_today();            /* its clock, as journal.list's */
	pg->db = rq->db;
	pg->today = f.today;
	rc = db_journal_page(rq->db, &f, page_row, pg, &next, err);
	if (rc == 0 && pg->oom)
		rc = hr_error_set(err, HR_E_INTERNAL, "out of memory");
	if (rc == 0 && pg->n == 1 && pg->sb.size > 0 &&
	    strncmp(pg->ids, "ids ", 4) == 0 &&
	    strtoll(pg->ids + 4, NULL, 10) == id) {
		msgpack_pack_map(out, 2);
		hr_pack_str(out, "rows");
		msgpack_pack_array(out, 1);
		out->callback(out->data, pg->sb.data, pg->sb.size);
		hr_pack_str(out, "services");
		msgpack_pack_array(out, pg->nsvc);
		for (uint32_t i = 0; i < pg->nsvc; i++)
			hr_pack_str(out, pg->svc[i]);
	} else if (rc == 0)
		msgpack_pack_nil(out);
	msgpack_sbuffer_destroy(&pg->sb);
	hr_workcal_free(&pg->cal);
	for (uint32_t i = 0; i < pg->nsvc; i++)
		free(pg->svc[i]);
	free(pg);
	return rc;
}
