/*
 * method_user_list.c — `user.list` {} -> {users: [...]}: the accounts whose
 * territory lies within the administrator's territory, for the admin
 * screen.  Password hashes never leave the server: `login` says only
 * whether the account has a password at all (db_user_can_log_in).
 */
#include "srvd/method_table.h"

#include "db/users.h"
#include "proto/roles.h"
#include "proto/rpc.h"
#include "srvd/session.h"

const struct hr_schema method_user_list_params = { NULL, 0, 0 };

struct user_rows {
	msgpack_sbuffer sb;
	msgpack_packer  pk;
	uint32_t        n;
};

static int
user_row(void *ud, const struct db_user *u)
{
	struct user_rows *ur = ud;
	msgpack_packer   *pk = &ur->pk;
	const struct hr_role_info *ri = hr_role_info(u->role);

	msgpack_pack_map(pk, 7);
	hr_pack_kv_int(pk, "id", u->id);
	hr_pack_kv_str(pk, "name", u->name);
	hr_pack_kv_str(pk, "full_name", u->full_name);
	hr_pack_kv_str(pk, "role", ri ? ri->name : NULL);
	hr_pack_kv_str(pk, "territory", u->territory_name);
	hr_pack_kv_bool(pk, "disabled", u->disabled);
	hr_pack_kv_bool(pk, "login", db_user_can_log_in(u));
	ur->n++;
	return 0;
}

int
method_user_list(struct srv_req *rq, struct hr_error *err)
{
	struct user_rows ur = { .n = 0 };
	int              rc;

	msgpack_sbuffer_init(&ur.sb);
	msgpack_packer_init(&ur.pk, &ur.sb, msgpack_sbuffer_write);
	rc = db_user_each(rq->db, rq->sess->territory_id, user_row,
	    &ur, err);
	if (rc == 0) {
		msgpack_pack_map(rq->pk, 1);
		hr_pack_str(rq->pk, "users");
		msgpack_pack_array(rq->pk, ur.n);
		rq->pk->callback(rq->pk->data, ur.sb.data, ur.sb.size);
	}
	msgpack_sbuffer_destroy(&ur.sb);
	return rc;
}
