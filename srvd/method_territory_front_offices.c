/*
 * method_territory_front_offices.c — `territory.front_offices`: the ЦНАПs
 * and starosta districts within the user's scope, for the journal's front
 * office filter.  A front-office clerk gets their own office only.
 */
#include "srvd/method_table.h"

#include "db/territory.h"
#include "proto/roles.h"
#include "proto/rpc.h"
#include "srvd/intake.h"
#include "srvd/session.h"

const struct hr_schema method_territory_front_offices_params = { NULL, 0 };

static int
office_cb(void *ud, const struct db_territory *t, const char *hromada)
{
	struct intake_list *l = ud;

	msgpack_pack_map(&l->pk, 4);
	hr_pack_kv_int(&l->pk, "id", t->id);
	hr_pack_kv_str(&l->pk, "name", t->name);
	hr_pack_kv_str(&l->pk, "kind", hr_terr_kind_name(t->kind));
	hr_pack_kv_str(&l->pk, "hromada", hromada);
	l->n++;
	return 0;
}

int
method_territory_front_offices(struct srv_req *rq, struct hr_error *err)
{
	const struct srv_scope *s = &rq->sess->scope;
	struct intake_list l;

	if (!s->applications)
		return hr_errorf(err, HR_E_FORBIDDEN, "scope.no_applications",
		    "this role sees no applications");
	intake_list_init(&l);
	if (db_territory_front_offices(rq->db, s->col == DB_SCOPE_ALL ? 0 :
	    s->territory_id, office_cb, &l, err) < 0) {
		intake_list_destroy(&l);
		return -1;
	}
	msgpack_pack_map(rq->pk, 1);
	intake_list_flush(&l, rq->pk, "items");
	return 0;
}
