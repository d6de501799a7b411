/*
 * notify.h — telling the applicant of the decision: the record that the
 * front office told them (when and how), and the queue of automatic
 * notices that hromadad's notify_command sends (migration 012).
 *
 * Every record goes into the application's history too, so the case shows
 * who told the applicant, when and how, and what an automatic notice
 * achieved.  An application counts as "told" once a record says so
 * (applications.notified_at); the journal's filter «рішення є, заявника
 * не повідомлено» is the answered ones without it.
 */
#ifndef HR_DB_NOTIFY_H
#define HR_DB_NOTIFY_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

/* How the applicant was told. */
enum db_told_how { DB_TOLD_IN_PERSON, DB_TOLD_PHONE, DB_TOLD_SMS,
	DB_TOLD_LETTER, DB_TOLD__COUNT };

const char *db_told_how_name(int how);         /* "in_person", ... */
int         db_told_how_from_name(const char *s);   /* -1 if unknown */

/*
 * Record that the applicant of answered application `id` was told at
 * `told_at` (seconds; not in the future) by `how`, with an optional
 * comment, by `user_id`, if its version is still `version`: the latest
 * told time and way on the application, version + 1 and a history row
 * ("applicant told: phone, 07.12.2026 14:30; COMMENT").  HR_E_STATE when
 * it is not answered, HR_E_CONFLICT when the version moved on.
 */
int db_app_told(struct hr_db *db, int64_t id, int64_t version,
    int64_t told_at, int how, const char *comment, int64_t user_id,
    struct hr_error *err);

/*
 * Answered applications of the scope (col, scope_id) whose applicant has
 * not been told yet — the cabinet's "decisions waiting": one row of the
 * counts kept by triggers (migration 026).
 */
int db_untold_count(struct hr_db *db, int col, int64_t scope_id,
    int64_t *n, struct hr_error *err);

/* ---- automatic notices ---- */

struct db_notice {
	int64_t     id, application_id, user_id;
	const char *phone, *message, *state;
	const char *reg_no, *decision;   /* the application's, for the command */
};

/* Queue a notice of application `app_id` (state pending), in the caller's
 * transaction: the import that brought the decision. */
int db_notice_add(struct hr_db *db, int64_t app_id, int64_t user_id,
    const char *phone, const char *message, struct hr_error *err);

/* The notices not finished (pending or sending), oldest first, at most
 * `limit` (strings live during fn). */
typedef int db_notice_fn(void *ud, const struct db_notice *n);
int db_notice_open(struct hr_db *db, int limit, db_notice_fn *fn, void *ud,
    struct hr_error *err);

/* pending -> sending: written before the command runs. */
int db_notice_sending(struct hr_db *db, int64_t id, struct hr_error *err);

/*
 * Finish a notice: sent (the command said so) or failed, with what
 * happened in `outcome`; a history row either way, and a sent one counts
 * as the applicant told by SMS.  In the caller's transaction or its own.
 */
int db_notice_finish(struct hr_db *db, int64_t id, int sent,
    const char *outcome, struct hr_error *err);

#endif
