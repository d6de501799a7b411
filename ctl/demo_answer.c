/*
 * demo_answer.c — the demo's decisions, as the decision systems' answer
 * files bring them (see demo_answer.h).
 */
#include "ctl/demo_answer.h"
#include "ctl/demo.h"
#include "db/dat.h"
#include "proto/buf.h"
#include "proto/dat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

int
demo_answer_note(struct demo_answers *a, const struct demo_decision *d,
    struct hr_error *err)
{
	if (a->n == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 32;
		struct demo_decision *v = realloc(a->v, cap * sizeof *v);

		if (v == NULL)
			return hr_error_set(err, HR_E_INTERNAL, "out of memory");
		a->v = v;
		a->cap = cap;
	}
	a->v[a->n++] = *d;
	return 0;
}

void
demo_answers_free(struct demo_answers *a)
{
	free(a->v);
	memset(a, 0, sizeof *a);
}

int
demo_answer_decided(struct demo_answers *a, int64_t app_id, int64_t user_id,
    int64_t at, struct hr_error *err)
{
	struct demo_decision dec = { app_id, user_id, at, HR_DEC_ASSIGNED,
	    150000 + (app_id % 7) * 12500 };

	if (app_id % 3 == 2) {
		dec.decision = HR_DEC_REFUSED;
		dec.amount = 0;
	}
	return demo_answer_note(a, &dec, err);
}

/* What the answer file says of one application besides its decision. */
struct demo_answer_app {
	char    reg_no[24];
	char    system[HR_DAT_SYSTEM_MAX];
	int64_t spszn_id;
	char    from[16], to[16];  /* an assignment's six months */
};

static int
demo_answer_app_read(struct hr_db *db, int64_t id, struct demo_answer_app *o,
    struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT a.reg_no, a.spszn_id, "
	    "s.system FROM applications a JOIN services s ON s.code = "
	    "a.service_code WHERE a.id = ?", err);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(o->reg_no, sizeof o->reg_no, "%s",
		    (const char *)sqlite3_column_text(st, 0));
		o->spszn_id = sqlite3_column_int64(st, 1);
		snprintf(o->system, sizeof o->system, "%s",
		    (const char *)sqlite3_column_text(st, 2));
	}
	(void)sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return hr_error_set(err, HR_E_INTERNAL, "demo: no application "
		    "%lld to answer", (long long)id);
	return 0;
}

/* An assignment runs six months from the first of the month after it. */
static void
demo_answer_period(int64_t at, struct demo_answer_app *o)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	time_t t = (time_t)at;
	struct tm tm;
	int y, m, ey, em, last;

	gmtime_r(&t, &tm);
	y = tm.tm_year + 1900;
	m = tm.tm_mon + 2;                  /* the next month, 1-based */
	if (m > 12) {
		m -= 12;
		y++;
	}
	ey = y;
	em = m + 5;
	if (em > 12) {
		em -= 12;
		ey++;
	}
	last = mdays[em - 1] + (em == 2 && ey % 4 == 0 &&
	    (ey % 100 != 0 || ey % 400 == 0));
	snprintf(o->from, sizeof o->from, "%04d-%02d-01", y % 10000, m % 100);
	snprintf(o->to, sizeof o->to, "%04d-%02d-%02d", ey % 10000, em % 100,
	    last % 100);
}

/*
 * One answer file: the decisions a->v[pick[0..n)] (one back office and
 * decision system, in the order noted), numbered `number`, written, stored
 * and recorded.  The file's time and signer are those of its newest
 * decision.
 */
static int
demo_answer_file(struct demo_answers *a, struct hr_db *db,
    struct demo_answer_app *apps, const size_t *pick, size_t n,
    uint32_t number, struct hr_error *err)
{
	const struct demo_answer_app *first = &apps[pick[0]];
	struct hr_dat d = { .hdr = { HR_DAT_VERSION, HR_DAT_ANSWER,
	    HR_DAT_UTF8, "", number, "", 0, 0 } };
	struct db_dat_file f = { 0 };
	struct hr_buf b;
	int64_t file_id, user = 0;
	char name[HR_DAT_NAME_MAX], crc[16];
	int rc = -1;

	d.answers = calloc(n, sizeof *d.answers);
	hr_buf_init(&b, HR_DAT_FILE_MAX);
	if (d.answers == NULL) {
		hr_error_set(err, HR_E_INTERNAL, "out of memory");
		goto out;
	}
	snprintf(d.hdr.system, sizeof d.hdr.system, "%s", first->system);
	if (db_dat_office_code(db, first->spszn_id, d.hdr.office,
	    sizeof d.hdr.office, err) < 0)
		goto out;
	for (size_t k = 0; k < n; k++) {
		const struct demo_decision *v = &a->v[pick[k]];
		struct demo_answer_app *app = &apps[pick[k]];
		int assigned = v->decision == HR_DEC_ASSIGNED;

		if (assigned)
			demo_answer_period(v->at, app);
		d.answers[d.hdr.count++] = (struct hr_dat_answer){ v->app_id,
		    app->reg_no, v->decision, assigned, assigned ?
		    v->amount : 0, assigned ? app->from : "", assigned ?
		    app->to : "", assigned ? "" : demo_refusal, 0 };
		if (v->at >= d.hdr.created) {
			d.hdr.created = v->at;
			user = v->user_id;
		}
	}
	if (hr_dat_write(&d, &b, err) < 0 ||
	    hr_dat_filename(&d.hdr, name, sizeof name) < 0) {
		if (err->code == 0)
			hr_error_set(err, HR_E_INTERNAL, "demo answer name");
		goto out;
	}
	db_dat_file_crc(hr_buf_head(&b), hr_buf_used(&b), crc, sizeof crc);
	f.direction = "answer";
	f.system = d.hdr.system;
	f.number = d.hdr.number;
	f.spszn_id = first->spszn_id;
	f.name = name;
	f.created_at = f.stored_at = d.hdr.created;
	f.user_id = user;
	f.crc32 = crc;
	f.record_count = d.hdr.count;
	if (db_dat_file_add(db, &f, hr_buf_head(&b), hr_buf_used(&b),
	    &file_id, err) < 0)
		goto out;
	for (uint32_t k = 0; k < d.hdr.count; k++) {
		const struct hr_dat_answer *an = &d.answers[k];
		struct db_decision dec = { 0 };

		dec.application_id = an->app_id;
		dec.file_id = file_id;
		dec.imported_at = a->v[pick[k]].at;
		dec.decision = an->decision;
		dec.has_amount = an->has_amount;
		dec.amount = an->amount;
		dec.period_from = an->period_from;
		dec.period_to = an->period_to;
		dec.reason = an->reason;
		if (db_decision_add(db, &dec, err) < 0)
			goto out;
	}
	rc = 0;
out:
	hr_buf_free(&b);
	free(d.answers);
	return rc;
}

/* The first free number of a back office's answer files from a system,
 * from DEMO_ANSWER_NUMBER on (gen_big adds to the demo's). */
static int
demo_answer_number(struct hr_db *db, const struct demo_answer_app *app,
    uint32_t *out, struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT max(number) FROM dat_files "
	    "WHERE direction = 'answer' AND spszn_id = ? AND system = ?", err);
	int64_t max;
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, app->spszn_id);
	sqlite3_bind_text(st, 2, app->system, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	max = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	(void)sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return hr_error_set(err, HR_E_INTERNAL, "demo: cannot read the "
		    "answer files' numbers");
	*out = max < DEMO_ANSWER_NUMBER ? DEMO_ANSWER_NUMBER :
	    (uint32_t)max + 1;
	return 0;
}

/* A decision's place in the files: its back office and system, then the
 * order it was noted in. */
struct demo_answer_key {
	int64_t     spszn_id;
	const char *system;
	size_t      i;              /* into demo_answers.v */
};

static int
demo_answer_key_cmp(const void *pa, const void *pb)
{
	const struct demo_answer_key *x = pa, *y = pb;
	int c;

	if (x->spszn_id != y->spszn_id)
		return x->spszn_id < y->spszn_id ? -1 : 1;
	if ((c = strcmp(x->system, y->system)) != 0)
		return c;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* One back office and system's decisions: pick[start..start+n), the
 * earliest noted a->v[first]. */
struct demo_answer_group {
	size_t first, start, n;
};

static int
demo_answer_group_cmp(const void *pa, const void *pb)
{
	const struct demo_answer_group *x = pa, *y = pb;

	return x->first < y->first ? -1 : x->first > y->first;
}

/*
 * The files: the decisions of one back office and decision system, as
 * they were noted, DEMO_ANSWER_FILE_MAX to a file numbered on from
 * DEMO_ANSWER_NUMBER (or the office's last); the back offices and systems in the order their
 * first decision was noted, so that file ids follow the notes.  Sorted,
 * not searched: gen_big notes some 700,000 decisions.
 */
static int
demo_answer_files(struct demo_answers *a, struct hr_db *db,
    struct demo_answer_app *apps, struct hr_error *err)
{
	struct demo_answer_key *key = calloc(a->n, sizeof *key);
	struct demo_answer_group *g = calloc(a->n, sizeof *g);
	size_t *pick = calloc(a->n, sizeof *pick), ng = 0;
	int rc = 0;

	if (key == NULL || g == NULL || pick == NULL) {
		rc = hr_error_set(err, HR_E_INTERNAL, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < a->n; i++)
		key[i] = (struct demo_answer_key){ apps[i].spszn_id,
		    apps[i].system, i };
	qsort(key, a->n, sizeof *key, demo_answer_key_cmp);
	for (size_t i = 0; i < a->n; i++) {
		pick[i] = key[i].i;
		if (i == 0 || key[i].spszn_id != key[i - 1].spszn_id ||
		    strcmp(key[i].system, key[i - 1].system) != 0)
			g[ng++] = (struct demo_answer_group){ key[i].i, i, 0 };
		g[ng - 1].n++;
	}
	qsort(g, ng, sizeof *g, demo_answer_group_cmp);
	for (size_t k = 0; k < ng && rc == 0; k++) {
		uint32_t no = 0;

		rc = demo_answer_number(db, &apps[g[k].first], &no, err);
		for (size_t off = 0; off < g[k].n && rc == 0;
		    off += DEMO_ANSWER_FILE_MAX, no++)
			rc = demo_answer_file(a, db, apps, pick + g[k].start +
			    off, g[k].n - off < DEMO_ANSWER_FILE_MAX ? g[k].n -
			    off : DEMO_ANSWER_FILE_MAX, no, err);
	}
out:
	free(key);
	free(g);
	free(pick);
	return rc;
}

int
demo_answers_store(struct demo_answers *a, struct hr_db *db,
    struct hr_error *err)
{
	struct demo_answer_app *apps;
	int rc = 0;

	if (a->n == 0)
		return 0;
	if ((apps = calloc(a->n, sizeof *apps)) == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	for (size_t i = 0; i < a->n && rc == 0; i++)
		rc = demo_answer_app_read(db, a->v[i].app_id, &apps[i], err);
	if (rc == 0)
		rc = demo_answer_files(a, db, apps, err);
	free(apps);
	return rc;
}
