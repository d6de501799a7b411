/*
 * dat.c — helpers of the *.DAT methods (dat.h).
 */
#include "srvd/dat.h"

#include <stdio.h>
#include <string.h>

#include "db/dat.h"
#include "proto/rpc.h"
#include "srvd/notices.h"
#include "srvd/request_audit.h"
#include "srvd/session.h"

int
dat_office(struct srv_req *rq, int64_t *spszn_id, char *code, size_t cap,
    struct hr_error *err)
{
	const struct srv_scope *s = &rq->sess->scope;

	if (!s->applications || s->col != DB_SCOPE_SPSZN)
		return hr_errorf(err, HR_E_FORBIDDEN, "dat.back_office_only",
		    "only a back office exchanges *.DAT files");
	*spszn_id = s->territory_id;
	return db_dat_office_code(rq->db, *spszn_id, code, cap, err);
}

static int
actor_audit(void *ud, const char *action, const char *object,
    const char *detail, struct hr_error *err)
{
	return srv_audit(ud, action, object, detail, err);
}

static int
actor_answered(void *ud, int64_t app_id, struct hr_error *err)
{
	return notices_queue(ud, app_id, err);
}

void
dat_actor(struct srv_req *rq, struct db_dat_actor *who)
{
	who->user_id = rq->sess->user_id;
	who->role = rq->sess->role;
	who->audit = actor_audit;
	who->answered = actor_answered;
	who->ud = rq;
}

static int
decision_pack_cb(void *ud, const struct db_decision *d)
{
	msgpack_packer *pk = ud;

	if (pk == NULL)
		return 0;
	hr_pack_str(pk, "decision");
	msgpack_pack_map(pk, 9);
	hr_pack_kv_str(pk, "decision", hr_decision_name(d->decision));
	hr_pack_str(pk, "amount");
	if (d->has_amount)
		msgpack_pack_int64(pk, d->amount);
	else
		msgpack_pack_nil(pk);
	hr_pack_kv_str(pk, "period_from", d->period_from);
	hr_pack_kv_str(pk, "period_to", d->period_to);
	hr_pack_kv_str(pk, "reason", d->reason);
	hr_pack_kv_int(pk, "imported_at", d->imported_at);
	hr_pack_kv_int(pk, "file_id", d->file_id);
	hr_pack_str(pk, "notified_at");
	if (d->notified_at > 0)
		msgpack_pack_int64(pk, d->notified_at);
	else
		msgpack_pack_nil(pk);
	hr_pack_kv_str(pk, "notified_how", d->notified_how);
	return 0;
}

int
dat_decision(struct srv_req *rq, int64_t app_id, int pack, int *has,
    struct hr_error *err)
{
	return db_decision_get(rq->db, app_id, decision_pack_cb,
	    pack ? rq->pk : NULL, has, err);
}
