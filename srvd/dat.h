/*
 * dat.h — what the *.DAT methods (method_dat_*.c) share: the back
 * office of the user and the user as the actor of an exchange
 * (db/dat_export.h, db/dat_import.h do the work).
 */
#ifndef SRV_DAT_H
#define SRV_DAT_H

#include <stddef.h>
#include <stdint.h>

#include "srvd/method_table.h"

/* The user's back office: its id and its code in files (КАТОТТГ or id).
 * HR_E_FORBIDDEN when the session's scope is not a back office. */
int  dat_office(struct srv_req *rq, int64_t *spszn_id, char *code,
    size_t cap, struct hr_error *err);

struct db_dat_actor;

/* The request's user as the actor of an exchange: audit records through
 * srv_audit, each answered application's notice queued (notices.h). */
void dat_actor(struct srv_req *rq, struct db_dat_actor *who);

/*
 * application.get's `decision`: *has says whether application `app_id` has
 * one (call with pack 0 before sizing the result map); with pack 1 the
 * pair "decision": {decision, amount, period_from, period_to, reason,
 * imported_at, file_id} goes into rq->pk.
 */
int  dat_decision(struct srv_req *rq, int64_t app_id, int pack, int *has,
    struct hr_error *err);

#endif
