/*
 * dat_import.c — an answer file imported whole in the caller's
 * transaction (dat_import.h): parse, check the header and every record,
 * then store the file and answer each application.
 */
#include "db/dat_import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/applications.h"
#include "db/batch_summaries.h"
#include "proto/ident.h"
#include "proto/roles.h"
#include "proto/workflow.h"

static int
seen_cb(void *ud, const struct db_dat_file *f)
{
	struct hr_error *err = ud;
	char when[32], number[16];

	db_dat_when(f->stored_at, when, sizeof when);
	snprintf(number, sizeof number, "%06lld", (long long)f->number);
	hr_errorf(err, HR_E_DUPLICATE, "dat.answer_imported",
	    "answer {system} No. {number} was already imported on {at} by "
	    "{user} (file {name}); a file is imported once",
	    HR_STR("system", f->system), HR_STR("number", number),
	    HR_STR("at", when), HR_STR("user", f->user),
	    HR_STR("name", f->name));
	return 1;
}

/* The header: an answer, for this back office, of a known system, new. */
static int
import_header(struct hr_db *db, struct db_dat_import *x,
    struct hr_error *err)
{
	const struct hr_dat_header *h = &x->dat.hdr;
	int seen;

	if (h->kind != HR_DAT_ANSWER)
		return hr_errorf(err, HR_E_INVALID, "dat.not_answer",
		    "this is an export file, not an answer of a decision "
		    "system"), hr_error_prefix(err, "line {line}, field {field}",
		    HR_INT("line", 1), HR_STR("field", "kind"));
	if (strcmp(h->office, x->office) != 0)
		return hr_errorf(err, HR_E_INVALID, "dat.other_office",
		    "the file is for back office {office}, yours is {yours}",
		    HR_STR("office", h->office), HR_STR("yours", x->office)),
		    hr_error_prefix(err, "line {line}, field {field}",
		    HR_INT("line", 1), HR_STR("field", "office"));
	if (db_dat_system_check(db, h->system, err) < 0)
		return hr_error_prefix(err, "line {line}, field {field}",
		    HR_INT("line", 1), HR_STR("field", "system"));
	if (db_dat_file_find(db, x->spszn_id, h->system, "answer",
	    h->number, seen_cb, err, &seen, err) < 0)
		return -1;
	return seen ? -1 : 0;
}

/*
 * An application the back office may not see — another back office's, or
 * one of its own not handed over yet — reads exactly like one that does
 * not exist, and neither repeats the id the file gave: the line number
 * says which record it is.
 */
static void
not_ours(struct hr_error *why)
{
	hr_errorf(why, HR_E_NOT_FOUND, "dat.not_ours",
	    "no application of this back office has this id");
}

/*
 * Why record i cannot be applied: 1 with `why` set, 0 when it can be,
 * -1 with err on a failure of the database.
 */
static int
record_problem(struct hr_db *db, const struct db_dat_actor *who,
    struct db_dat_import *x, size_t i, struct hr_error *why,
    struct hr_error *err)
{
	const struct hr_dat_answer *r = &x->dat.answers[i];
	struct db_app a;
	int bad = 1;

	for (size_t k = 0; k < i; k++)
		if (x->dat.answers[k].app_id == r->app_id) {
			hr_errorf(why, HR_E_DUPLICATE, "dat.answered_twice",
			    "the same application as line {other}",
			    HR_INT("other", x->dat.answers[k].line));
			return 1;
		}
	if (db_app_get(db, r->app_id, &a, why) < 0) {
		if (why->code != HR_E_NOT_FOUND) {
			*err = *why;
			return -1;
		}
		not_ours(why);
		return 1;
	}
	if (a.spszn_id != x->spszn_id ||
	    !hr_workflow_visible(a.status, who->role))
		not_ours(why);
	else if (a.reg_no == NULL || strcmp(a.reg_no, r->reg_no) != 0)
		hr_errorf(why, HR_E_INVALID, "dat.other_number",
		    "application {id} has number {reg_no}, not {value}",
		    HR_INT("id", r->app_id), HR_STR("reg_no", a.reg_no ?
		    a.reg_no : "-"), HR_STR("value", r->reg_no));
	else if (a.system == NULL || strcmp(a.system, x->dat.hdr.system) != 0)
		hr_errorf(why, HR_E_INVALID, "dat.other_system",
		    "application {reg_no} goes to {system}, not {value}",
		    HR_STR("reg_no", a.reg_no), HR_STR("system", a.system ?
		    a.system : "-"), HR_STR("value", x->dat.hdr.system));
	else if (a.status != HR_ST_EXPORTED)
		hr_errorf(why, HR_E_STATE, "dat.not_exported",
		    "application {reg_no} is {status}, not exported",
		    HR_STR("reg_no", a.reg_no),
		    HR_STR("status", hr_status_name(a.status)));
	else
		bad = 0;
	x->versions[i] = a.version;
	db_app_free(&a);
	return bad;
}

/*
 * Every record is checked; the refusal names the lines that cannot be
 * applied and why the first of them cannot.
 */
static int
import_check(struct hr_db *db, const struct db_dat_actor *who,
    struct db_dat_import *x, struct hr_error *err)
{
	char lines[96] = "";
	size_t bad = 0, used = 0;
	struct hr_error why, first;
	unsigned first_line = 0;
	int rc;

	for (size_t i = 0; i < x->dat.hdr.count; i++) {
		hr_error_clear(&why);
		if ((rc = record_problem(db, who, x, i, &why, err)) < 0)
			return -1;
		if (rc == 0) {
			x->kinds[x->dat.answers[i].decision]++;
			continue;
		}
		if (x->dry_run && x->nbad_kept < DB_DAT_PREVIEW_BAD_MAX) {
			x->bad[x->nbad_kept].line = x->dat.answers[i].line;
			x->bad[x->nbad_kept++].why = why;
		}
		x->nbad++;
		if (bad++ == 0) {
			first = why;
			first_line = x->dat.answers[i].line;
		}
		if (used + 16 < sizeof lines)
			used += (size_t)snprintf(lines + used, sizeof lines -
			    used, "%s%u", used ? ", " : "",
			    x->dat.answers[i].line);
		else if (used + 4 < sizeof lines && lines[used - 1] != '.')
			used += (size_t)snprintf(lines + used, sizeof lines -
			    used, ", ...");
	}
	if (bad == 0 || x->dry_run)
		return 0;
	*err = first;
	hr_error_prefix(err, "line {line}", HR_INT("line", first_line));
	return hr_error_prefix(err, "nothing imported, {bad} of {count} "
	    "records cannot be applied (lines {lines})", HR_INT("bad", bad),
	    HR_INT("count", x->dat.hdr.count), HR_STR("lines", lines));
}

static int
import_store(struct hr_db *db, const struct db_dat_actor *who,
    struct db_dat_import *x, struct hr_error *err)
{
	char crc[16], object[40], detail[300];
	struct db_dat_file f = { .direction = "answer",
	    .system = x->dat.hdr.system, .number = x->dat.hdr.number,
	    .spszn_id = x->spszn_id, .name = x->name,
	    .created_at = x->dat.hdr.created, .stored_at = db_now(),
	    .user_id = who->user_id, .crc32 = crc,
	    .record_count = x->dat.hdr.count };

	db_dat_file_crc(x->data, x->len, crc, sizeof crc);
	if (db_dat_file_add(db, &f, x->data, x->len, &x->file_id, err) < 0)
		return -1;
	snprintf(object, sizeof object, "dat_file:%lld", (long long)x->file_id);
	snprintf(detail, sizeof detail, "%s: answer %s No. %06u, %u decisions",
	    x->name, x->dat.hdr.system, x->dat.hdr.number, x->dat.hdr.count);
	return who->audit(who->ud, "dat.import", object, detail, err);
}

/* "assigned 1 234,56 UAH 2024-07-01..2024-12-31: reason" */
static void
decision_text(const struct hr_dat_answer *r, char *out, size_t cap)
{
	char amount[HR_AMOUNT_STR_MAX] = "";

	if (r->has_amount)
		hr_amount_format(r->amount, amount, sizeof amount);
	snprintf(out, cap, "decision: %s%s%s%s%s%s%s%s%s",
	    hr_decision_name(r->decision), r->has_amount ? " " : "", amount,
	    r->has_amount ? " UAH" : "", r->period_from[0] ? " " : "",
	    r->period_from, r->period_from[0] ? ".." : "", r->period_to,
	    r->reason[0] ? "; " : "");
	if (r->reason[0] != '\0')
		snprintf(out + strlen(out), cap - strlen(out), "%s", r->reason);
}

static int
import_apply(struct hr_db *db, const struct db_dat_actor *who,
    struct db_dat_import *x, struct hr_error *err)
{
	char text[1200], object[32];
	int rc = 0;

	/* the summaries move once for the file (batch_summaries.h) */
	if (db_batch_summaries_hold(db, x->file_id, err) < 0)
		return -1;
	for (size_t i = 0; rc == 0 && i < x->dat.hdr.count; i++) {
		const struct hr_dat_answer *r = &x->dat.answers[i];
		struct db_decision d = { r->app_id, x->file_id, db_now(),
		    r->decision, r->has_amount, r->amount, r->period_from,
		    r->period_to, r->reason, 0, NULL };

		decision_text(r, text, sizeof text);
		snprintf(object, sizeof object, "application:%lld",
		    (long long)r->app_id);
		if (db_decision_add(db, &d, err) < 0 ||
		    db_app_transition(db, r->app_id, x->versions[i],
		    HR_ST_EXPORTED, HR_ST_ANSWERED, who->user_id, text, 0,
		    err) < 0 ||
		    who->audit(who->ud, "application.answer", object, text,
		    err) < 0 ||
		    (who->answered != NULL &&
		    who->answered(who->ud, r->app_id, err) < 0))
			rc = -1;
	}
	if ((rc = db_batch_summaries_release(db, rc, err)) == 0)
		x->imported = x->dat.hdr.count;
	return rc;
}

/*
 * The file was refused: who tried to import which file, and why, into the
 * chain (the caller keeps this record when it rolls back the rest).
 */
static int
import_refused(const struct db_dat_actor *who, struct db_dat_import *x,
    const struct hr_error *why, struct hr_error *err)
{
	char detail[HR_ERROR_MSG_MAX + 320], object[HR_DAT_NAME_MAX + 160];
	const struct hr_dat_header *h = &x->dat.hdr;

	snprintf(object, sizeof object, "dat_file:%s", x->name);
	if (h->system[0] != '\0')
		snprintf(detail, sizeof detail, "%s (%zu bytes, %s %s No. "
		    "%06u, %u records) refused: %s [%s]", x->name, x->len,
		    h->kind == HR_DAT_ANSWER ? "answer" : "export", h->system,
		    h->number, h->count, why->msg, why->id);
	else
		snprintf(detail, sizeof detail, "%s (%zu bytes) refused: %s "
		    "[%s]", x->name, x->len, why->msg, why->id);
	x->refused = 1;
	return who->audit(who->ud, "dat.import_refused", object, detail, err);
}

/* Is err a refusal of the file (not a failure of the system)? */
static int
is_refusal(const struct hr_error *err)
{
	return err->code != HR_E_INTERNAL && err->code != HR_E_BUSY &&
	    err->code != HR_E_IO;
}

static int
import_run(struct hr_db *db, const struct db_dat_actor *who,
    struct db_dat_import *x, struct hr_error *err)
{
	struct hr_error e;
	int rc;

	if (hr_dat_parse(x->data, x->len, &x->dat, err) < 0 ||
	    import_header(db, x, err) < 0)
		rc = -1;
	else if ((x->versions = calloc(x->dat.hdr.count + 1,
	    sizeof *x->versions)) == NULL ||
	    (x->dry_run && (x->bad = calloc(DB_DAT_PREVIEW_BAD_MAX,
	    sizeof *x->bad)) == NULL))
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	else
		rc = import_check(db, who, x, err);
	if (rc < 0 && !x->dry_run && is_refusal(err)) {
		hr_error_clear(&e);
		if (import_refused(who, x, err, &e) < 0) {
			*err = e;
			x->refused = 0;
		}
		return -1;
	}
	if (rc < 0 || x->dry_run)
		return rc;
	return import_store(db, who, x, err) < 0 ||
	    import_apply(db, who, x, err) < 0 ? -1 : 0;
}

int
db_dat_import_run(struct hr_db *db, const struct db_dat_actor *who,
    struct db_dat_import *x, struct hr_error *err)
{
	int was, rc;

	if (db_cache_raise(db, DB_DAT_CACHE_KIB, &was, err) < 0)
		return -1;
	rc = import_run(db, who, x, err);
	db_cache_restore(db, was);
	return rc;
}

void
db_dat_import_free(struct db_dat_import *x)
{
	free(x->versions);
	free(x->bad);
	x->versions = NULL;
	x->bad = NULL;
	hr_dat_free(&x->dat);
}
