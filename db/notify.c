/*
 * notify.c — the applicant told of the decision, and automatic notices
 * (notify.h).
 *
 * Alike on purpose: db_notice_open is a walk over rows in the frame every
 * walk in db/ has (db_query, db_step_row until done, the callback a row;
 * db_priv.h), as db/deadlines.c's db_deadline_clocks: the columns differ.
 */
#include "db/notify.h"
#include "db/batch_summaries.h"
#include "db/db_priv.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "db/applications.h"
#include "db/journal.h"

/* Wire names and the words of the history row. */
static const struct {
	const char *name, *words;
} told_hows[DB_TOLD__COUNT] = {
	[DB_TOLD_IN_PERSON] = { "in_person", "in person" },
	[DB_TOLD_PHONE]     = { "phone",     "by phone" },
	[DB_TOLD_SMS]       = { "sms",       "by SMS" },
	[DB_TOLD_LETTER]    = { "letter",    "by letter" },
};

const char *
db_told_how_name(int how)
{
	return how >= 0 && how < DB_TOLD__COUNT ? told_hows[how].name : NULL;
}

int
db_told_how_from_name(const char *s)
{
	for (int i = 0; i < DB_TOLD__COUNT; i++)
		if (s != NULL && strcmp(s, told_hows[i].name) == 0)
			return i;
	return -1;
}

/* Status, version and number of an application. */
static int
app_state(struct hr_db *db, int64_t id, char *status, size_t scap,
    int64_t *version, char *reg_no, size_t rcap, struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT status, version, "
	    "coalesce(reg_no, '') FROM applications WHERE id = ?", err);
	int rc;

	if (st == NULL || db_bindf(db, st, "read an application", err, "i",
	    id) < 0)
		return -1;
	if ((rc = db_step_row(db, st, "read an application", err)) != 1)
		return rc < 0 ? -1 : hr_errorf(err, HR_E_NOT_FOUND,
		    "application.not_found", "application not found");
	snprintf(status, scap, "%s", (const char *)sqlite3_column_text(st, 0));
	*version = sqlite3_column_int64(st, 1);
	snprintf(reg_no, rcap, "%s", (const char *)sqlite3_column_text(st, 2));
	(void)sqlite3_reset(st);
	return 0;
}

/* The latest time and way the applicant was told; an earlier one does
 * not replace a later one. */
static int
told_set(struct hr_db *db, int64_t id, int64_t at, int how,
    struct hr_error *err)
{
	/* its held status change counts it untold or not */
	if (db_batch_summaries_touch(db, id, err) < 0)
		return -1;
	return db_run(db, "UPDATE applications SET notified_at = ?1, "
	    "notified_how = ?2 WHERE id = ?3 AND (notified_at IS NULL OR "
	    "notified_at <= ?1)", "record that the applicant was told", err,
	    "iti", at, told_hows[how].name, id);
}

int
db_app_told(struct hr_db *db, int64_t id, int64_t version, int64_t told_at,
    int how, const char *comment, int64_t user_id, struct hr_error *err)
{
	char status[32], reg_no[32], when[32], text[1200];
	int64_t current;
	time_t t = (time_t)told_at;
	struct tm tm;
	int own, rc;

	if (how < 0 || how >= DB_TOLD__COUNT)
		return hr_error_set(err, HR_E_INTERNAL, "unknown way of telling "
		    "the applicant: %d", how);
	if (told_at > db_now() + 60)
		return hr_errorf(err, HR_E_INVALID, "notify.future",
		    "the applicant cannot have been told in the future"),
		    hr_error_at(err, "at");
	if (db_tx_enter(db, &own, err) < 0)
		return -1;
	rc = app_state(db, id, status, sizeof status, &current, reg_no,
	    sizeof reg_no, err);
	if (rc == 0 && strcmp(status, "answered") != 0)
		rc = hr_errorf(err, HR_E_STATE, "notify.no_decision",
		    "application {reg_no} has no decision yet (status "
		    "{status}): the applicant is told of a decision",
		    HR_STR("reg_no", reg_no), HR_STR("status", status));
	if (rc == 0 && current != version)
		rc = hr_errorf(err, HR_E_CONFLICT, "application.changed_meanwhile",
		    "application {id} was changed meanwhile; reload",
		    HR_INT("id", id));
	if (rc == 0) {
		when[0] = '\0';
		if (localtime_r(&t, &tm) != NULL)
			strftime(when, sizeof when, "%d.%m.%Y %H:%M", &tm);
		snprintf(text, sizeof text, "applicant told: %s, %s%s%s",
		    told_hows[how].words, when, comment && comment[0] ? "; " :
		    "", comment ? comment : "");
		rc = db_app_event(db, id, version, user_id, text, err);
	}
	if (rc == 0)
		rc = told_set(db, id, told_at, how, err);
	return db_tx_leave(db, own, rc, err);
}

int
db_untold_count(struct hr_db *db, int col, int64_t scope_id, int64_t *n,
    struct hr_error *err)
{
	/* Kept per scope by triggers (026_untold_counts): one row. */
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if (col < 0 || col > DB_SCOPE_ALL)
		return hr_error_set(err, HR_E_INTERNAL, "unknown scope %d", col);
	st = db_prepare(db, "SELECT n FROM untold_counts WHERE scope = ? AND "
	    "territory_id = ?", err);
	if (st == NULL || db_bindf(db, st, "count untold decisions", err, "ti",
	    db_journal_kept_scope(col), col == DB_SCOPE_ALL ? 0 : scope_id) < 0)
		return -1;
	if ((rc = db_step_row(db, st, "count untold decisions", err)) < 0)
		return -1;
	if (rc == 1) {
		*n = sqlite3_column_int64(st, 0);
		(void)sqlite3_reset(st);
	}
	return 0;
}

/* ---- automatic notices ---- */

int
db_notice_add(struct hr_db *db, int64_t app_id, int64_t user_id,
    const char *phone, const char *message, struct hr_error *err)
{
	return db_run(db, "INSERT INTO notices (application_id, user_id, phone, "
	    "message, state, created_at) VALUES (?, ?, ?, ?, 'pending', ?)",
	    "queue a notice", err, "iitti", app_id, user_id, phone, message,
	    db_now());
}

int
db_notice_open(struct hr_db *db, int limit, db_notice_fn *fn, void *ud,
    struct hr_error *err)
{
	sqlite3_stmt *st = db_query(db, "SELECT n.id, n.application_id, "
	    "n.user_id, n.phone, n.message, n.state, coalesce(a.reg_no, ''), "
	    "coalesce(d.decision, '') FROM notices n JOIN applications a ON "
	    "a.id = n.application_id LEFT JOIN decisions d ON "
	    "d.application_id = n.application_id WHERE n.state IN ('pending', "
	    "'sending') ORDER BY n.id LIMIT ?", "read the notices", err, "d",
	    limit);
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = db_step_row(db, st, "read the notices", err)) == 1) {
		struct db_notice n = {
			sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
			sqlite3_column_int64(st, 2), db_text(st, 3),
			db_text(st, 4), db_text(st, 5), db_text(st, 6),
			db_text(st, 7),
		};
		if ((rc = fn(ud, &n)) != 0) {
			(void)sqlite3_reset(st);
			return rc < 0 ? -1 : 0;
		}
	}
	return rc < 0 ? -1 : 0;
}

int
db_notice_sending(struct hr_db *db, int64_t id, struct hr_error *err)
{
	return db_run(db, "UPDATE notices SET state = 'sending' WHERE id = ? "
	    "AND state = 'pending'", "mark a notice sending", err, "i", id);
}

int
db_notice_finish(struct hr_db *db, int64_t id, int sent, const char *outcome,
    struct hr_error *err)
{
	sqlite3_stmt *st;
	char status[32], reg_no[32], phone[64], text[1200];
	int64_t app = 0, user = 0, version;
	int own, rc;

	if (db_tx_enter(db, &own, err) < 0)
		return -1;
	st = db_prepare(db, "SELECT application_id, user_id, phone FROM notices "
	    "WHERE id = ?", err);
	rc = st == NULL || db_bindf(db, st, "read a notice", err, "i", id) < 0 ?
	    -1 : db_step_row(db, st, "read a notice", err);
	if (rc == 1) {
		app = sqlite3_column_int64(st, 0);
		user = sqlite3_column_int64(st, 1);
		snprintf(phone, sizeof phone, "%s",
		    (const char *)sqlite3_column_text(st, 2));
		(void)sqlite3_reset(st);
		rc = 0;
	} else if (rc == 0) {
		rc = hr_error_set(err, HR_E_NOT_FOUND, "notice %lld not found",
		    (long long)id);
	}
	if (rc == 0)
		rc = db_run(db, "UPDATE notices SET state = ?, finished_at = ?, "
		    "outcome = ? WHERE id = ?", "finish a notice", err, "titi",
		    sent ? "sent" : "failed", db_now(), outcome, id);
	if (rc == 0)
		rc = app_state(db, app, status, sizeof status, &version, reg_no,
		    sizeof reg_no, err);
	if (rc == 0) {
		snprintf(text, sizeof text, "automatic notice to %s: %s%s%s",
		    phone, sent ? "sent" : "failed", outcome && outcome[0] ?
		    ": " : "", outcome ? outcome : "");
		rc = db_app_event(db, app, version, user, text, err);
	}
	if (rc == 0 && sent)
		rc = told_set(db, app, db_now(), DB_TOLD_SMS, err);
	return db_tx_leave(db, own, rc, err);
}
