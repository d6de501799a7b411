/*
 * method_territory_front_offices.c — `territory.front_offices`: the ЦНАПs
 * and starosta districts within the user's scope, for the journal's front
 * office filter and for the names of the offices journal rows carry by
 * id.  A front-office clerk gets their own office only.  Revalidated by
 * etag like reference.get (revalidate.h), and by the login (cached.h).
 */
#include "srvd/method_table.h"

#include "db/territory.h"
#include "proto/roles.h"
#include "proto/mpread.h"
#include "proto/rpc.h"
#include "srvd/cached.h"
#include "srvd/intake.h"
#include "srvd/session.h"

enum { P_ETAG };

static const struct hr_field fields[] = {
	[P_ETAG] = { "etag", HR_F_INT, HR_F_NULLABLE, 1, INT64_MAX },
};
const struct hr_schema method_territory_front_offices_params = { fields, 1, 0 };

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
cached_front_offices(struct hr_db *db, const struct srv_scope *s,
    struct revalidate *rv, struct hr_error *err)
{
	struct intake_list l;

	if (!s->applications)
		return hr_errorf(err, HR_E_FORBIDDEN, "scope.no_applications",
		    "this role sees no applications");
	intake_list_init(&l);
	if (db_territory_front_offices(db, s->col == DB_SCOPE_ALL ? 0 :
	    s->territory_id, office_cb, &l, err) < 0) {
		intake_list_destroy(&l);
		return -1;
	}
	intake_list_flush(&l, &rv->pk, "items");
	rv->pairs++;
	return 0;
}

int
method_territory_front_offices(struct srv_req *rq, struct hr_error *err)
{
	struct revalidate rv;

	revalidate_init(&rv);
	if (cached_front_offices(rq->db, &rq->sess->scope, &rv, err) < 0) {
		msgpack_sbuffer_destroy(&rv.sb);
		return -1;
	}
	revalidate_finish(&rv, rq->pk, hr_val_int(rq->vals[P_ETAG], 0));
	return 0;
}
