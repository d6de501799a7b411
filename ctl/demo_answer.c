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
 * One answer file: the decisions of apps[] whose back office and system
 * are those of apps[first], written, stored and recorded; each is marked
 * done[i].  The file's time and signer are those of its newest decision.
 */
static int
demo_answer_file(struct demo_answers *a, struct hr_db *db,
    struct demo_answer_app *apps, char *done, size_t first,
    struct hr_error *err)
{
	struct hr_dat d = { .hdr = { HR_DAT_VERSION, HR_DAT_ANSWER,
	    HR_DAT_UTF8, "", DEMO_ANSWER_NUMBER, "", 0, 0 } };
	struct db_dat_file f = { 0 };
	struct hr_buf b;
	size_t *of = calloc(a->n, sizeof *of);
	int64_t file_id, user = 0;
	char name[HR_DAT_NAME_MAX], crc[16];
	int rc = -1;

	d.answers = calloc(a->n, sizeof *d.answers);
	hr_buf_init(&b, HR_DAT_FILE_MAX);
	if (of == NULL || d.answers == NULL) {
		hr_error_set(err, HR_E_INTERNAL, "out of memory");
		goto out;
	}
	snprintf(d.hdr.system, sizeof d.hdr.system, "%s", apps[first].system);
	if (db_dat_office_code(db, apps[first].spszn_id, d.hdr.office,
	    sizeof d.hdr.office, err) < 0)
		goto out;
	for (size_t i = first; i < a->n; i++) {
		const struct demo_decision *v = &a->v[i];
		int assigned = v->decision == HR_DEC_ASSIGNED;

		if (done[i] || apps[i].spszn_id != apps[first].spszn_id ||
		    strcmp(apps[i].system, apps[first].system) != 0)
			continue;
		done[i] = 1;
		if (assigned)
			demo_answer_period(v->at, &apps[i]);
		d.answers[d.hdr.count] = (struct hr_dat_answer){ v->app_id,
		    apps[i].reg_no, v->decision, assigned, assigned ?
		    v->amount : 0, assigned ? apps[i].from : "", assigned ?
		    apps[i].to : "", assigned ? "" : demo_refusal, 0 };
		of[d.hdr.count++] = i;
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
	f.spszn_id = apps[first].spszn_id;
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
		dec.imported_at = a->v[of[k]].at;
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
	free(of);
	return rc;
}

int
demo_answers_store(struct demo_answers *a, struct hr_db *db,
    struct hr_error *err)
{
	struct demo_answer_app *apps;
	char *done;
	int rc = 0;

	if (a->n == 0)
		return 0;
	apps = calloc(a->n, sizeof *apps);
	done = calloc(a->n, 1);
	if (apps == NULL || done == NULL) {
		free(apps);
		free(done);
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	}
	for (size_t i = 0; i < a->n && rc == 0; i++)
		rc = demo_answer_app_read(db, a->v[i].app_id, &apps[i], err);
	for (size_t i = 0; i < a->n && rc == 0; i++)
		if (!done[i])
			rc = demo_answer_file(a, db, apps, done, i, err);
	free(apps);
	free(done);
	return rc;
}
