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

#include <stdint.h>

#include "db/db.h"

struct db_application_new {
	int64_t     front_office_id; /* a cnap or starosta territory */
	const char *service_code;
	int64_t     applicant_id;
	int64_t     created_by;      /* user id */
	int         package_full;
	const char *reg_no;          /* journal number, NULL for a draft */
	int         reg_year;        /* with reg_no */
	int64_t     at;              /* creation time; 0 = now */
};

/* Insert in status draft with a history row (from NULL to draft). */
int db_application_add(struct hr_db *db, const struct db_application_new *a,
    int64_t *id, struct hr_error *err);

/*
 * Move application `id` from status `from` to `to` (enum hr_status) at time
 * `at` (0 = now) by `user_id`, with an optional comment (the reason of a
 * return).  HR_E_CONFLICT when the application is no longer in `from`.
 */
int db_application_set_status(struct hr_db *db, int64_t id, int from, int to,
    int64_t user_id, const char *comment, int64_t at, struct hr_error *err);

#endif
