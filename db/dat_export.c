/*
 * dat_export.c — one *.DAT export in the caller's transaction
 * (dat_export.h): gather the checked applications (db/dat.h's batch),
 * number and write the file, move each application to `exported`, store
 * the file; every step audited through the caller's hook.
 */
#include "db/dat_export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/applications.h"
#include "db/batch_summaries.h"
#include "db/db_priv.h"
#include "proto/roles.h"
#include "proto/workflow.h"

/* Write the file; a file too big for one frame is written with fewer
 * applications (the rest stay checked for the next file). */
static int
export_write(struct hr_db *db, struct db_dat_export *x, struct hr_dat *dat,
    struct db_dat_batch *batch, struct hr_error *err)
{
	struct hr_dat_header *h = &dat->hdr;

	h->version = HR_DAT_VERSION;
	h->kind = HR_DAT_EXPORT;
	h->charset = x->charset;
	snprintf(h->system, sizeof h->system, "%s", x->system);
	snprintf(h->office, sizeof h->office, "%s", x->office);
	h->created = db_now();
	h->count = (uint32_t)batch->napps;
	dat->apps = batch->apps;
	if (db_dat_next_number(db, x->spszn_id, x->system, &h->number,
	    err) < 0)
		return -1;
	while (hr_dat_write(dat, &x->file, err) < 0) {
		if (strcmp(err->id, "dat.too_big") != 0 || h->count < 2)
			return -1;
		batch->remaining += h->count - h->count / 2;
		h->count /= 2;
	}
	hr_dat_filename(h, x->name, sizeof x->name);
	x->number = h->number;
	x->count = h->count;
	x->remaining = batch->remaining;
	return 0;
}

static int
export_transitions(struct hr_db *db, const struct db_dat_actor *who,
    const struct db_dat_export *x, const struct db_dat_batch *batch,
    struct hr_error *err)
{
	char comment[160], object[32];
	int rc = 0;

	snprintf(comment, sizeof comment, "exchange file %s", x->name);
	/* the journal's counts move once for the file (batch_summaries.h) */
	if (db_batch_summaries_hold(db, 0, err) < 0)
		return -1;
	for (uint32_t i = 0; rc == 0 && i < x->count; i++) {
		const struct hr_dat_app *a = &batch->apps[i];

		snprintf(object, sizeof object, "application:%lld",
		    (long long)a->id);
		if (db_app_transition(db, a->id, batch->versions[i],
		    HR_ST_CHECKED, HR_ST_EXPORTED, who->user_id, comment, 0,
		    err) < 0 || who->audit(who->ud, "application.export",
		    object, comment, err) < 0)
			rc = -1;
	}
	return db_batch_summaries_release(db, rc, err);
}

static int
export_store(struct hr_db *db, const struct db_dat_actor *who,
    struct db_dat_export *x, const struct hr_dat_header *h,
    struct hr_error *err)
{
	const uint8_t *p = hr_buf_head(&x->file);
	size_t n = hr_buf_used(&x->file);
	char crc[16], object[40], detail[200];
	struct db_dat_file f = { .direction = "export", .system = x->system,
	    .number = h->number, .spszn_id = x->spszn_id,
	    .name = x->name, .created_at = h->created,
	    .stored_at = db_now(), .user_id = who->user_id,
	    .crc32 = crc, .record_count = h->count };

	db_dat_file_crc(p, n, crc, sizeof crc);
	if (db_dat_file_add(db, &f, p, n, &x->file_id, err) < 0)
		return -1;
	snprintf(object, sizeof object, "dat_file:%lld", (long long)x->file_id);
	snprintf(detail, sizeof detail, "%s: %u applications exported, %zu "
	    "left checked", x->name, x->count, x->remaining);
	return who->audit(who->ud, "dat.export", object, detail, err);
}

/* ---- a chosen set ------------------------------------------------------ */

void
db_dat_refusal_error(const struct db_dat_refusal *r, const char *system,
    struct hr_error *e)
{
	switch (r->kind) {
	case DB_DAT_REFUSE_NOT_CHECKED:
		hr_errorf(e, HR_E_STATE, "dat.export_not_checked",
		    "application {reg_no} is {status}, not checked",
		    HR_STR("reg_no", r->reg_no),
		    HR_STR("status", hr_status_name(r->status)));
		break;
	case DB_DAT_REFUSE_OTHER_SYSTEM:
		hr_errorf(e, HR_E_INVALID, "dat.export_other_system",
		    "application {reg_no} goes to {system}, not {value}",
		    HR_STR("reg_no", r->reg_no), HR_STR("system", r->system),
		    HR_STR("value", system ? system : "-"));
		break;
	case DB_DAT_REFUSE_CHANGED:
		hr_errorf(e, HR_E_CONFLICT, "dat.export_changed",
		    "application {reg_no} was changed by someone else since "
		    "it was marked", HR_STR("reg_no", r->reg_no));
		break;
	case DB_DAT_REFUSE_TWICE:
		hr_errorf(e, HR_E_DUPLICATE, "dat.export_twice",
		    "the same application is named twice");
		break;
	default:
		/* One answer, byte for byte, for an id that does not exist
		 * and one out of sight. */
		hr_errorf(e, HR_E_NOT_FOUND, "application.not_found",
		    "application not found");
		break;
	}
}

static void
refuse(struct db_dat_export *x, int64_t id, int kind, const struct db_app *a)
{
	struct db_dat_refusal *r = &x->refused[x->nrefused++];

	memset(r, 0, sizeof *r);
	r->id = id;
	r->kind = kind;
	if (a != NULL && kind != DB_DAT_REFUSE_MISSING) {
		r->status = a->status;
		snprintf(r->reg_no, sizeof r->reg_no, "%s", a->reg_no ?
		    a->reg_no : "-");
		snprintf(r->system, sizeof r->system, "%s", a->system ?
		    a->system : "-");
	}
}

static void
plan_add(struct db_dat_export *x, const struct db_app *a)
{
	size_t k;

	for (k = 0; k < x->nplan; k++)
		if (strcmp(x->plan[k].system, a->system) == 0)
			break;
	if (k == x->nplan) {
		if (x->nplan == DB_DAT_PLAN_MAX)
			return;
		snprintf(x->plan[x->nplan++].system, HR_DAT_SYSTEM_MAX, "%s",
		    a->system);
	}
	x->plan[k].count++;
	x->plan[k].partial += !a->package_full;
}

/* Which of the chosen applications can be exported, into good[]. */
static int
judge_one(struct hr_db *db, const struct db_dat_actor *who,
    struct db_dat_export *x, size_t i, int64_t *good, size_t *ngood,
    struct hr_error *err)
{
	int64_t id = x->ids[i];
	struct db_app a;

	for (size_t k = 0; k < i; k++)
		if (x->ids[k] == id) {
			refuse(x, id, DB_DAT_REFUSE_TWICE, NULL);
			return 0;
		}
	if (db_app_get(db, id, &a, err) < 0) {
		if (err->code != HR_E_NOT_FOUND)
			return -1;
		refuse(x, id, DB_DAT_REFUSE_MISSING, NULL);
		return 0;
	}
	if (a.spszn_id != x->spszn_id ||
	    !hr_workflow_visible(a.status, who->role))
		refuse(x, id, DB_DAT_REFUSE_MISSING, NULL);
	else if (a.status != HR_ST_CHECKED)
		refuse(x, id, DB_DAT_REFUSE_NOT_CHECKED, &a);
	else if (a.system == NULL || (x->system != NULL &&
	    strcmp(a.system, x->system) != 0))
		refuse(x, id, DB_DAT_REFUSE_OTHER_SYSTEM, &a);
	else if (x->versions != NULL && a.version != x->versions[i])
		refuse(x, id, DB_DAT_REFUSE_CHANGED, &a);
	else {
		good[(*ngood)++] = id;
		plan_add(x, &a);
	}
	db_app_free(&a);
	return 0;
}

/* The chosen set's batch: the good ones, at most max, the rest left. */
static int
chosen_batch(struct hr_db *db, const struct db_dat_actor *who,
    struct db_dat_export *x, struct db_dat_batch *batch,
    struct hr_error *err)
{
	size_t max = x->max ? x->max : DB_DAT_EXPORT_MAX, ngood = 0, take;
	int64_t *good = calloc(x->nids + 1, sizeof *good);
	int rc = 0;

	x->refused = calloc(x->nids + 1, sizeof *x->refused);
	x->left = calloc(x->nids + 1, sizeof *x->left);
	if (good == NULL || x->refused == NULL || x->left == NULL) {
		free(good);
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	}
	for (size_t i = 0; rc == 0 && i < x->nids; i++)
		rc = judge_one(db, who, x, i, good, &ngood, err);
	take = ngood < max ? ngood : max;
	if (rc == 0 && !x->dry_run) {
		memcpy(x->left, good + take, (ngood - take) * sizeof *good);
		x->nleft = ngood - take;
		rc = db_dat_batch_collect_ids(db, good, take, batch, err);
	}
	free(good);
	return rc;
}

/* A dry run without a chosen set: the checked ones, per system (the
 * index of checked applications alone, 025_dat_checked). */
static int
plan_checked(struct hr_db *db, struct db_dat_export *x, struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT s.system, count(*), "
	    "sum(a.package_full = 0) FROM applications a INDEXED BY "
	    "applications_checked JOIN services s ON s.code = a.service_code "
	    "WHERE a.spszn_id = ?1 AND a.status = 'checked' AND (?2 IS NULL "
	    "OR s.system = ?2) GROUP BY s.system ORDER BY s.system", err);
	int rc;

	if (st == NULL || db_bindf(db, st, "count checked applications", err,
	    "it", x->spszn_id, x->system) < 0)
		return -1;
	while ((rc = db_step_row(db, st, "count checked applications",
	    err)) == 1 && x->nplan < DB_DAT_PLAN_MAX) {
		struct db_dat_plan *p = &x->plan[x->nplan++];

		snprintf(p->system, sizeof p->system, "%s",
		    (const char *)sqlite3_column_text(st, 0));
		p->count = (size_t)sqlite3_column_int64(st, 1);
		p->partial = (size_t)sqlite3_column_int64(st, 2);
	}
	if (rc == 1)
		(void)sqlite3_reset(st);
	return rc < 0 ? -1 : 0;
}

/* Nothing of the chosen set can go: why the first cannot. */
static int
chosen_none(const struct db_dat_export *x, struct hr_error *err)
{
	if (x->nrefused == 0)
		return hr_errorf(err, HR_E_INVALID, "dat.export_no_ids",
		    "no applications named");
	db_dat_refusal_error(&x->refused[0], x->system, err);
	return hr_error_prefix(err, "nothing exported, {bad} of {count} "
	    "applications cannot be exported", HR_INT("bad", x->nrefused),
	    HR_INT("count", x->nids));
}

static int
export_run(struct hr_db *db, const struct db_dat_actor *who,
    struct db_dat_export *x, struct hr_error *err)
{
	struct db_dat_batch batch;
	struct hr_dat dat;
	int rc = -1;

	memset(&dat, 0, sizeof dat);
	memset(&batch, 0, sizeof batch);
	hr_buf_init(&x->file, HR_DAT_FILE_MAX);
	if (x->system != NULL && db_dat_system_check(db, x->system, err) < 0)
		return -1;
	if (x->system == NULL && !x->dry_run)
		return hr_errorf(err, HR_E_INVALID, "field.required",
		    "is required"), hr_error_at(err, "system");
	if (x->ids != NULL) {
		if (x->nids > DB_DAT_EXPORT_IDS_MAX)
			return hr_errorf(err, HR_E_INVALID, "dat.export_ids_max",
			    "at most {max} applications at once",
			    HR_INT("max", DB_DAT_EXPORT_IDS_MAX));
		if (chosen_batch(db, who, x, &batch, err) < 0) {
			db_dat_batch_free(&batch);
			return -1;
		}
		if (x->dry_run)
			return 0;
		if (batch.napps == 0) {
			db_dat_batch_free(&batch);
			return chosen_none(x, err);
		}
	} else if (x->dry_run) {
		return plan_checked(db, x, err);
	} else if (db_dat_batch_collect(db, x->spszn_id, x->system,
	    x->max ? x->max : DB_DAT_EXPORT_MAX, &batch, err) < 0)
		return -1;
	if (batch.napps == 0)
		hr_errorf(err, HR_E_STATE, "dat.nothing_to_export",
		    "no checked applications of {system} to export; nothing "
		    "was numbered", HR_STR("system", x->system));
	else if (export_write(db, x, &dat, &batch, err) == 0 &&
	    export_transitions(db, who, x, &batch, err) == 0 &&
	    export_store(db, who, x, &dat.hdr, err) == 0)
		rc = 0;
	if (rc == 0 && x->ids != NULL) {
		/* those a full file left out go first into the next */
		size_t cut = batch.napps - x->count;

		memmove(x->left + cut, x->left, x->nleft * sizeof *x->left);
		for (size_t i = 0; i < cut; i++)
			x->left[i] = batch.apps[x->count + i].id;
		x->nleft += cut;
		x->remaining = x->nleft;
	}
	db_dat_batch_free(&batch);
	return rc;
}

int
db_dat_export_run(struct hr_db *db, const struct db_dat_actor *who,
    struct db_dat_export *x, struct hr_error *err)
{
	int was, rc;

	if (db_cache_raise(db, DB_DAT_CACHE_KIB, &was, err) < 0)
		return -1;
	rc = export_run(db, who, x, err);
	db_cache_restore(db, was);
	return rc;
}

void
db_dat_export_free(struct db_dat_export *x)
{
	hr_buf_free(&x->file);
	free(x->refused);
	free(x->left);
	x->refused = NULL;
	x->left = NULL;
}
