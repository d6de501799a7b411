/*
 * method_ping.c — `ping` {} -> {time}: keeps an idle connection alive and
 * lets the client show the server's clock.  Allowed before login.
 */
#include "srvd/method_table.h"

#include "db/db.h"
#include "proto/rpc.h"

const struct hr_schema method_ping_params = { NULL, 0, 0 };

int
method_ping(struct srv_req *rq, struct hr_error *err)
{
	msgpack_pack_map(rq->pk, 1);
	hr_pack_kv_int(rq->pk, "time", db_now());
	return 0;
}
