/*
 * print.c — an application or a transfer register as the printed
 * documents need it (print.h).
 *
 * Strings are copied into the structure's arena as they are read; an
 * allocation that fails marks the arena, and the reader reports it once at
 * the end.
 *
 * print_person copies a person field by field into the form's person, as
 * db/dat.c's person_cb does into an exchange record: alike because both
 * name the fields of one person, each the map to a format of its own.
 */
#include "db/db_priv.h"
#include "db/print.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/application_parts.h"
#include "db/application_persons.h"
#include "db/applications.h"
#include "db/contacts.h"
#include "db/dat.h"
#include "db/persons.h"
#include "db/territory.h"
#include "proto/dat.h"
#include "proto/ident.h"
#include "proto/roles.h"

void
db_local_day(int64_t t, char out[11])
{
	time_t    tt = (time_t)t;
	struct tm tm;

	out[0] = '\0';
	if (localtime_r(&tt, &tm) != NULL)
		strftime(out, 11, "%Y-%m-%d", &tm);
}

int
db_day_start(const char *iso, int days, int64_t *out)
{
	struct hr_date d;

	if (iso == NULL || hr_date_parse(iso, strlen(iso), NULL, &d, NULL) < 0)
		return -1;
	*out = hr_date_local(&d, days, 0, 0);
	return 0;
}

#define DUP(a, s) paper_arena_strdup(&(a)->arena, (s))

/* ---- persons: the application's own copy (application_persons.h) ---- */

/* One person of the copy into a paper_person. */
static void
print_person(struct paper_app *a, const struct db_app_person *r,
    struct paper_person *p)
{
	const struct db_person *d = &r->v.p;

	p->surname = DUP(a, d->surname);
	p->name = DUP(a, d->name);
	p->patronymic = DUP(a, d->patronymic);
	p->birth_date = DUP(a, d->birth_date);
	p->sex = d->sex == HR_SEX_FEMALE ? "F" : "M";
	p->rnokpp = DUP(a, d->rnokpp);
	p->rnokpp_refused = d->rnokpp_refused;
	p->unzr = DUP(a, d->unzr);
	p->doc_type = DUP(a, d->doc_type);
	p->doc_number = DUP(a, d->doc_number);
	p->reg_address = DUP(a, d->reg_address);
	p->act_address = DUP(a, d->act_address);
	p->phone = DUP(a, d->phone);
	p->relation = r->relation != NULL ? DUP(a, r->relation) : NULL;
}

static int
count_cb(void *ud, const struct db_app_person *r)
{
	if (r->ordinal > 0)
		++*(size_t *)ud;
	return 0;
}

struct persons_ctx {
	struct paper_app *a;
	size_t            cap;            /* of a->family */
};

static int
person_cb(void *ud, const struct db_app_person *r)
{
	struct persons_ctx *c = ud;
	struct paper_app *a = c->a;

	if (r->ordinal == 0)
		print_person(a, r, &a->applicant);
	else if (a->nfamily < c->cap)
		print_person(a, r, &a->family[a->nfamily++]);
	return 0;
}

/*
 * The applicant and the family as the application carries them: what was
 * saved (and checked, exported), whatever the base says since.
 */
static int
print_persons(struct hr_db *db, struct paper_app *a, struct hr_error *err)
{
	struct persons_ctx c = { a, 0 };

	if (db_app_persons_each(db, a->id, count_cb, &c.cap, err) < 0)
		return -1;
	if (c.cap > 0 && (a->family = paper_arena_alloc(&a->arena,
	    c.cap * sizeof *a->family)) == NULL)
		c.cap = 0;                    /* the arena says why */
	a->nfamily = 0;
	return db_app_persons_each(db, a->id, person_cb, &c, err);
}

/* ---- income and documents: rows collected into growing arrays ---- */

struct grow {
	struct paper_app *a;
	void            **v;
	size_t           *n, cap, size;
};

static void *
grow_next(struct grow *g)
{
	if (*g->n == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 8;
		void *nv = paper_arena_alloc(&g->a->arena, cap * g->size);
		if (nv == NULL)
			return NULL;
		if (*g->n > 0)
			memcpy(nv, *g->v, *g->n * g->size);
		*g->v = nv;                   /* the old array stays in the arena */
		g->cap = cap;
	}
	return (char *)*g->v + (*g->n)++ * g->size;
}

static int
income_cb(void *ud, const struct db_income *r)
{
	struct grow *g = ud;
	struct paper_income *o = grow_next(g);

	if (o != NULL)
		*o = (struct paper_income){ r->member, DUP(g->a, r->type),
		    DUP(g->a, r->period_from), DUP(g->a, r->period_to),
		    r->amount };
	return 0;
}

static int
doc_cb(void *ud, const char *code)
{
	struct grow *g = ud;
	struct paper_docref *o = grow_next(g);

	if (o != NULL)
		o->code = DUP(g->a, code);
	return 0;
}

/* Names of the documents from the reference (the code when unknown). */
static int
doc_names(struct hr_db *db, struct paper_app *a, struct paper_docref *d,
    size_t n, struct hr_error *err)
{
	sqlite3_stmt *st;

	for (size_t i = 0; i < n; i++) {
		int rc;
		st = db_prepare(db, "SELECT name FROM document_types WHERE "
		    "code = ?", err);
		if (st == NULL || db_bindf(db, st, "read a document name", err,
		    "t", d[i].code) < 0)
			return -1;
		if ((rc = db_step_row(db, st, "read a document name", err)) < 0)
			return -1;
		d[i].name = rc == 1 ? DUP(a, (const char *)sqlite3_column_text(
		    st, 0)) : d[i].code;
		(void)sqlite3_reset(st);
	}
	return 0;
}

static int
print_parts(struct hr_db *db, struct paper_app *a, struct hr_error *err)
{
	struct grow inc = { a, (void **)&a->income, &a->nincome, 0,
	    sizeof *a->income };
	struct grow docs = { a, (void **)&a->documents, &a->ndocuments, 0,
	    sizeof *a->documents };
	struct grow miss = { a, (void **)&a->missing, &a->nmissing, 0,
	    sizeof *a->missing };

	if (db_app_income_each(db, a->id, income_cb, &inc, err) < 0 ||
	    db_app_documents_each(db, a->id, doc_cb, &docs, err) < 0 ||
	    db_app_missing_each(db, a->id, doc_cb, &miss, err) < 0)
		return -1;
	return doc_names(db, a, a->documents, a->ndocuments, err) < 0 ||
	    doc_names(db, a, a->missing, a->nmissing, err) < 0 ? -1 : 0;
}

/* ---- offices, people, decision ---- */

static int
print_office(struct hr_db *db, struct paper_app *a, int64_t id,
    struct paper_office *o, struct hr_error *err)
{
	struct db_territory t;
	struct db_contacts c;

	if (db_territory_get(db, id, &t, err) < 0)
		return -1;
	o->name = DUP(a, t.name);
	db_territory_free(&t);
	if (db_contacts_get(db, id, &c, err) < 0)
		return -1;
	o->address = DUP(a, c.address);
	o->phone = DUP(a, c.phone);
	o->email = DUP(a, c.email);
	o->hours = DUP(a, c.hours);
	db_contacts_free(&c);
	return 0;
}

/* A text column of a one-row query with one int64 parameter; NULL when
 * there is no row. */
static int
one_text(struct hr_db *db, const char *sql, int64_t arg, struct paper_app *a,
    const char **out, struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, sql, err);
	int rc;

	*out = NULL;
	if (st == NULL || db_bindf(db, st, "read for printing", err, "i",
	    arg) < 0)
		return -1;
	if ((rc = db_step_row(db, st, "read for printing", err)) < 0)
		return -1;
	if (rc == 1) {
		*out = DUP(a, (const char *)sqlite3_column_text(st, 0));
		(void)sqlite3_reset(st);
	}
	return 0;
}

static int
print_repeat(struct hr_db *db, struct paper_app *a, int64_t applicant_id,
    struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT EXISTS (SELECT 1 FROM "
	    "applications WHERE applicant_id = ? AND service_code = ? AND "
	    "id < ?)", err);
	int rc;

	if (st == NULL || db_bindf(db, st, "read earlier applications", err,
	    "iti", applicant_id, a->service, a->id) < 0)
		return -1;
	if ((rc = db_step_row(db, st, "read earlier applications", err)) < 0)
		return -1;
	a->repeat = rc == 1 && sqlite3_column_int(st, 0) != 0;
	(void)sqlite3_reset(st);
	return 0;
}

static int
decision_cb(void *ud, const struct db_decision *d)
{
	struct paper_app *a = ud;
	char day[11];

	a->decision.decision = hr_decision_name(d->decision);
	a->decision.has_amount = d->has_amount;
	a->decision.amount = d->amount;
	a->decision.period_from = d->period_from && d->period_from[0] ?
	    DUP(a, d->period_from) : NULL;
	a->decision.period_to = d->period_to && d->period_to[0] ?
	    DUP(a, d->period_to) : NULL;
	a->decision.reason = d->reason && d->reason[0] ? DUP(a, d->reason) :
	    NULL;
	db_local_day(d->imported_at, day);
	a->decision.decided_on = DUP(a, day);
	return 0;
}

static int
print_head(struct hr_db *db, struct paper_app *a, const struct db_app *r,
    int64_t printed_by, struct hr_error *err)
{
	char day[11];

	a->id = r->id;
	a->reg_no = DUP(a, r->reg_no);
	db_local_day(r->created_at, day);
	a->reg_date = DUP(a, day);
	a->status = DUP(a, hr_status_name(r->status));
	a->service = DUP(a, r->service);
	a->service_name = DUP(a, r->service_name);
	a->hromada = DUP(a, r->hromada);
	a->pay_method = DUP(a, r->pay_method);
	a->iban = DUP(a, r->iban);
	a->post_office = DUP(a, r->post_office);
	a->phone = DUP(a, r->phone);
	db_local_day(db_now(), day);
	a->printed_on = DUP(a, day);
	if (printed_by != 0 && one_text(db, "SELECT full_name FROM users WHERE "
	    "id = ?", printed_by, a, &a->printed_by, err) < 0)
		return -1;
	return one_text(db, "SELECT full_name FROM users WHERE id = ?",
	    r->created_by, a, &a->clerk, err);
}

int
db_print_app(struct hr_db *db, int64_t id, int64_t printed_by,
    struct paper_app *out, struct hr_error *err)
{
	struct db_app r;
	int rc;

	memset(out, 0, sizeof *out);
	if (db_app_get(db, id, &r, err) < 0)
		return -1;
	rc = print_head(db, out, &r, printed_by, err) < 0 ||
	    print_repeat(db, out, r.applicant_id, err) < 0 ||
	    print_office(db, out, r.front_office_id, &out->front_office,
	        err) < 0 ||
	    print_office(db, out, r.spszn_id, &out->back_office, err) < 0 ||
	    print_persons(db, out, err) < 0 ||
	    print_parts(db, out, err) < 0 ||
	    db_decision_get(db, id, decision_cb, out, &out->has_decision,
	        err) < 0 ? -1 : 0;
	db_app_free(&r);
	if (rc == 0 && out->arena.failed)
		rc = hr_error_set(err, HR_E_INTERNAL, "out of memory while "
		    "reading application %lld for printing", (long long)id);
	return rc;
}

/* ---- registers ---- */

static int
register_head(struct hr_db *db, int64_t id, struct paper_register *r,
    struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT number, year, made_on, stage, "
	    "from_name, to_name, made_by_name, period_from, period_to, "
	    "row_count FROM transfer_registers WHERE id = ?", err);
	int rc;

	if (st == NULL || db_bindf(db, st, "read a register", err, "i", id) < 0)
		return -1;
	if ((rc = db_step_row(db, st, "read a register", err)) != 1)
		return rc < 0 ? -1 : hr_errorf(err, HR_E_NOT_FOUND,
		    "register.not_found", "register not found");
	r->id = id;
	r->number = sqlite3_column_int(st, 0);
	r->year = sqlite3_column_int(st, 1);
#define COL(i) paper_arena_strdup(&r->arena, \
	(const char *)sqlite3_column_text(st, (i)))
	r->made_on = COL(2);
	r->stage = COL(3);
	r->from_name = COL(4);
	r->to_name = COL(5);
	r->made_by = COL(6);
	r->period_from = COL(7);
	r->period_to = COL(8);
#undef COL
	r->nrows = (size_t)sqlite3_column_int64(st, 9);
	(void)sqlite3_reset(st);
	return 0;
}

int
db_print_register(struct hr_db *db, int64_t id, struct paper_register *r,
    struct hr_error *err)
{
	sqlite3_stmt *st;
	size_t want, n = 0;
	int rc;

	memset(r, 0, sizeof *r);
	if (register_head(db, id, r, err) < 0)
		return -1;
	want = r->nrows;
	r->nrows = 0;
	r->rows = paper_arena_alloc(&r->arena, (want ? want : 1) *
	    sizeof *r->rows);
	st = db_prepare(db, "SELECT ord, application_id, reg_no, reg_date, "
	    "applicant, ident, service_name, documents, missing FROM "
	    "transfer_register_rows WHERE register_id = ? ORDER BY ord", err);
	if (r->rows == NULL || st == NULL ||
	    db_bindf(db, st, "read a register's rows", err, "i", id) < 0)
		return r->rows == NULL ? hr_error_set(err, HR_E_INTERNAL,
		    "out of memory") : -1;
	while ((rc = db_step_row(db, st, "read a register's rows", err)) == 1) {
		struct paper_register_row *w;
		if (n == want) {
			(void)sqlite3_reset(st);
			return hr_error_set(err, HR_E_INTERNAL, "register %lld "
			    "has more rows than it counts", (long long)id);
		}
		w = &r->rows[n++];
		w->ord = sqlite3_column_int(st, 0);
		w->application_id = sqlite3_column_int64(st, 1);
#define COL(i) paper_arena_strdup(&r->arena, \
	(const char *)sqlite3_column_text(st, (i)))
		w->reg_no = COL(2);
		w->reg_date = COL(3);
		w->applicant = COL(4);
		w->ident = COL(5);
		w->service_name = COL(6);
#undef COL
		w->documents = sqlite3_column_int(st, 7);
		w->missing = sqlite3_column_int(st, 8);
	}
	if (rc < 0)
		return -1;
	r->nrows = n;
	if (r->arena.failed)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory while "
		    "reading register %lld", (long long)id);
	return 0;
}

/* ---- naming them ---- */

static int
all_digits(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

int
db_print_find_app(struct hr_db *db, const char *spec, int64_t hromada_id,
    int64_t *id, struct hr_error *err)
{
	sqlite3_stmt *st;
	int rc, n = 0;

	*id = 0;
	if (all_digits(spec)) {
		*id = strtoll(spec, NULL, 10);
		st = db_prepare(db, "SELECT id FROM applications WHERE id = ?",
		    err);
		if (st == NULL || db_bindf(db, st, "find an application", err,
		    "i", *id) < 0)
			return -1;
	} else {
		st = db_prepare(db, "SELECT id FROM applications WHERE reg_no = ? "
		    "AND (? = 0 OR hromada_id = ?) LIMIT 2", err);
		if (st == NULL || db_bindf(db, st, "find an application", err,
		    "tii", spec, hromada_id, hromada_id) < 0)
			return -1;
	}
	while ((rc = db_step_row(db, st, "find an application", err)) == 1) {
		*id = sqlite3_column_int64(st, 0);
		n++;
	}
	if (rc < 0)
		return -1;
	if (n == 0)
		return hr_errorf(err, HR_E_NOT_FOUND, "print.no_application",
		    "no application {spec}", HR_STR("spec", spec));
	if (n > 1)
		return hr_errorf(err, HR_E_DUPLICATE, "print.ambiguous",
		    "several hromadas have an application {spec}: give its id "
		    "or the hromada", HR_STR("spec", spec));
	return 0;
}

int
db_print_find_register(struct hr_db *db, const char *spec, int64_t office_id,
    int64_t *id, struct hr_error *err)
{
	sqlite3_stmt *st;
	int number = 0, year = 0, rc;
	char tail;

	*id = 0;
	if (all_digits(spec))
		st = db_prepare(db, "SELECT id FROM transfer_registers WHERE "
		    "id = ?", err);
	else if (sscanf(spec, "%d/%d%c", &number, &year, &tail) == 2 &&
	    office_id > 0)
		st = db_prepare(db, "SELECT id FROM transfer_registers WHERE "
		    "office_id = ? AND number = ? AND year = ?", err);
	else
		return hr_errorf(err, HR_E_USAGE, "print.register_spec",
		    "name a register by its id, or by N/YYYY with the office "
		    "that made it");
	if (st == NULL || (all_digits(spec) ? db_bindf(db, st,
	    "find a register", err, "i", strtoll(spec, NULL, 10)) :
	    db_bindf(db, st, "find a register", err, "idd", office_id, number,
	    year)) < 0)
		return -1;
	if ((rc = db_step_row(db, st, "find a register", err)) < 0)
		return -1;
	if (rc == 0)
		return hr_errorf(err, HR_E_NOT_FOUND, "print.no_register",
		    "no transfer register {spec}", HR_STR("spec", spec));
	*id = sqlite3_column_int64(st, 0);
	(void)sqlite3_reset(st);
	return 0;
}
