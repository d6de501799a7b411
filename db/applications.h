/*
 * applications.h — creating applications and moving them through statuses.
 *
 * This layer records what the caller decided: whether a role may make a
 * transition is the workflow table's business (proto/workflow.h, checked
 * by the server).  What it guarantees is consistency: the denormalised
 * territory ids match the front office's ancestors, the status changes only
 * from the status the caller saw (else HR_E_CONFLICT), the version grows
 * with every change, and every change leaves a history row.
 */
#ifndef HR_DB_APPLICATIONS_H
#define HR_DB_APPLICATIONS_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

struct db_app_fields;

struct db_application_new {
	int64_t     front_office_id; /* a cnap or starosta territory */
	const char *service_code;
	int64_t     applicant_id;
	int64_t     created_by;      /* user id */
	const char *reg_no;          /* journal number, NULL for a draft */
	int         reg_year;        /* with reg_no */
	int64_t     at;              /* creation time; 0 = now */
	/* The rest of the form, written in the same INSERT (its service and
	 * applicant are the ones above); NULL: none yet. */
	const struct db_app_fields *fields;
};

/* Insert in status draft with a history row (from NULL to draft).  The
 * creation time is at least the latest one already stored (created_at
 * never decreases with id). */
int db_application_add(struct hr_db *db, const struct db_application_new *a,
    int64_t *id, struct hr_error *err);

/*
 * Move application `id` from status `from` to `to` (enum hr_status) at time
 * `at` (0 = now) by `user_id`, with an optional comment (the reason of a
 * return).  HR_E_CONFLICT when the application is no longer in `from`.
 */
int db_application_set_status(struct hr_db *db, int64_t id, int from, int to,
    int64_t user_id, const char *comment, int64_t at, struct hr_error *err);

/* ---- reading and editing (application.get / save / transition) ---- */

/* One application as stored, with the names the form shows.  Owned
 * strings; db_app_free releases them. */
struct db_app {
	int64_t id, version, created_at, updated_at, created_by;
	int64_t front_office_id, hromada_id, spszn_id, oblast_id, applicant_id;
	int     status;                    /* enum hr_status */
	int     package_full;
	char   *reg_no, *service, *service_name, *system;
	char   *front_office, *hromada;    /* territory names */
	char   *pay_method, *iban, *post_office, *phone, *notes, *last_reason;
};

void db_app_free(struct db_app *a);

/* Application `id`; HR_E_NOT_FOUND "application not found" (no id, no
 * personal data) if there is none. */
int db_app_get(struct hr_db *db, int64_t id, struct db_app *out,
    struct hr_error *err);

/* What the last change was: who (full name) and when; "" / 0 if unknown. */
int db_app_last_change(struct hr_db *db, int64_t id, char *who, size_t cap,
    int64_t *at, struct hr_error *err);

/* The editable columns of an application.  The package is not one: it
 * follows the attachments and the service (db/attachments.h). */
struct db_app_fields {
	const char *service_code;
	int64_t     applicant_id;
	const char *pay_method;            /* "bank", "post" or NULL */
	const char *iban, *post_office;    /* canonical IBAN; NULL */
	const char *phone, *notes;
};

/*
 * Overwrite the fields of application `id` if its version is still
 * `version`: version + 1, updated_at, a history row (from = to = the
 * status, comment NULL: an edit) by `user_id`.  HR_E_CONFLICT otherwise.
 */
int db_app_update(struct hr_db *db, int64_t id, int64_t version,
    const struct db_app_fields *f, int64_t user_id, struct hr_error *err);

/*
 * Record an event that changes neither status nor contents (the applicant
 * was told of the decision): if the version is still `version`, version +
 * 1, updated_at, a history row from = to = the status with `comment` by
 * `user_id`.  HR_E_CONFLICT otherwise.
 */
int db_app_event(struct hr_db *db, int64_t id, int64_t version,
    int64_t user_id, const char *comment, struct hr_error *err);

/*
 * Move `id` from `from` to `to` if its version is still `version`: status,
 * version + 1, updated_at, last_reason (when `is_return`), history row with
 * the comment.  HR_E_CONFLICT when the version or status moved on.
 */
int db_app_transition(struct hr_db *db, int64_t id, int64_t version,
    int from, int to, int64_t user_id, const char *comment, int is_return,
    struct hr_error *err);

/* The same, its history row marked with an event and its detail (a
 * transition that sent a partial package: "partial", the missing
 * documents) in the same INSERT. */
int db_app_transition_marked(struct hr_db *db, int64_t id, int64_t version,
    int from, int to, int64_t user_id, const char *comment, int is_return,
    const char *event, const char *detail, struct hr_error *err);

/*
 * The ids of the applications of `applicant_id` that are not answered,
 * newest first, at most `max` of them into ids[]; *n gets how many.
 */
int db_app_open_ids(struct hr_db *db, int64_t applicant_id, int64_t *ids,
    size_t max, size_t *n, struct hr_error *err);

/*
 * An open application (status not answered) of `applicant_id` for
 * `service`, other than `except_id`: its id into *found (0: none) and its
 * registration number into reg_no[0..cap).
 */
int db_app_find_open(struct hr_db *db, int64_t applicant_id,
    const char *service, int64_t except_id, int64_t *found, char *reg_no,
    size_t cap, struct hr_error *err);

/* History rows, oldest first.  `event` (NULL for a plain status change
 * or edit) says what else the row records: "attach" or "detach" of a scan
 * (detail "DOC|SIZE|TYPE|NAME", db/attachments.c) or "partial" (a package
 * sent up without every required document; detail: the missing codes,
 * separated by spaces). */
struct db_app_history {
	int64_t     id, at, user_id;
	const char *user, *full_name, *from, *to, *comment;   /* from may be NULL */
	const char *event, *detail;                           /* NULL when none */
};
typedef int db_app_history_fn(void *ud, const struct db_app_history *h);
int db_app_history_each(struct hr_db *db, int64_t id, db_app_history_fn *fn,
    void *ud, struct hr_error *err);

/*
 * What an edit changed, one field at a time: `field` a path as in
 * PROTOCOL.md ("applicant.reg_address", "family[2].birth_date",
 * "payment.iban", "documents"), old and new as text (NULL: none),
 * identifiers already masked by the caller.
 */
struct db_change {
	const char *field, *old, *new;
};

/* Record changes c[0..n) under the latest history row of application
 * `id` (the edit or creation just written). */
int db_app_note_changes(struct hr_db *db, int64_t id,
    const struct db_change *c, size_t n, struct hr_error *err);

/* The changes recorded for application `id`, by history row (its id) and
 * in the order they were noted. */
typedef int db_app_change_fn(void *ud, int64_t history_id,
    const struct db_change *c);
int db_app_changes_each(struct hr_db *db, int64_t id, db_app_change_fn *fn,
    void *ud, struct hr_error *err);

#endif
