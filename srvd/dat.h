/*
 * dat.h — what the *.DAT methods (method_dat_*.c) share: the back
 * office of the user, the decision system named in a request, and the
 * "DD.MM.YYYY HH:MM" of a stored time for messages.
 */
#ifndef SRV_DAT_H
#define SRV_DAT_H

#include <stddef.h>
#include <stdint.h>

#include "srvd/method_table.h"

/* Applications per export file: far below HR_DAT_RECORDS_MAX so that a
 * file of large families still fits HR_DAT_FILE_MAX; the rest wait for the
 * next file (the reply says how many). */
#define SRV_DAT_EXPORT_MAX 500

/* The user's back office: its id and its code in files (КАТОТТГ or id).
 * HR_E_FORBIDDEN when the session's scope is not a back office. */
int  dat_office(struct srv_req *rq, int64_t *spszn_id, char *code,
    size_t cap, struct hr_error *err);

/* Is `system` the decision system of some service?  HR_E_INVALID
 * otherwise (the caller puts the field in front). */
int  dat_system_check(struct srv_req *rq, const char *system,
    struct hr_error *err);

/*
 * application.get's `decision`: *has says whether application `app_id` has
 * one (call with pack 0 before sizing the result map); with pack 1 the
 * pair "decision": {decision, amount, period_from, period_to, reason,
 * imported_at, file_id} goes into rq->pk.
 */
int  dat_decision(struct srv_req *rq, int64_t app_id, int pack, int *has,
    struct hr_error *err);

/* Local "DD.MM.YYYY HH:MM". */
void dat_when(int64_t at, char *out, size_t cap);

#endif
