/*
 * reply.c — building a reply and getting it to its connection: now, or
 * held for the group commit and delivered by it (see reply.h).
 */
#include "srvd/reply.h"

#include "proto/channel.h"
#include "proto/frame.h"
#include "proto/rpc.h"
#include "srvd/commit.h"
#include "srvd/conn.h"
#include "srvd/log.h"
#include "srvd/server.h"

#define REPLY_MAX (HR_FRAME_MAX - HR_TAG_LEN)

void
srv_reply_init(struct srv_reply *r)
{
	msgpack_sbuffer_init(&r->sb);
	msgpack_packer_init(&r->pk, &r->sb, msgpack_sbuffer_write);
}

void
srv_reply_result(struct srv_reply *r, uint32_t msgid)
{
	msgpack_sbuffer_clear(&r->sb);
	hr_rpc_pack_result(&r->pk, msgid);
}

void
srv_reply_error(struct srv_reply *r, uint32_t msgid, const struct hr_error *err)
{
	msgpack_sbuffer_clear(&r->sb);
	hr_rpc_pack_error(&r->pk, msgid, err);
}

/* Send packed bytes, or an error if they do not fit in one frame. */
static void
send_reply_bytes(struct conn *c, uint32_t msgid, const uint8_t *data, size_t len)
{
	struct srv_reply r;
	struct hr_error  err;

	if (len <= REPLY_MAX) {
		conn_send(c, data, len);
		return;
	}
	log_error("conn %llu: reply to %u is %zu bytes, over the frame limit",
	    (unsigned long long)c->id, msgid, len);
	hr_error_set(&err, HR_E_INTERNAL, "the reply is too large; narrow "
	    "the request");
	srv_reply_init(&r);
	srv_reply_error(&r, msgid, &err);
	conn_send(c, (const uint8_t *)r.sb.data, r.sb.size);
	msgpack_sbuffer_destroy(&r.sb);
}

void
srv_reply_finish(struct srv *srv, uint64_t conn_id, uint32_t msgid,
    struct srv_reply *r, int held)
{
	struct conn *c;
	size_t       len = r->sb.size;

	if (held) {
		if ((c = conn_table_find(&srv->conns, conn_id)) != NULL)
			c->held++;          /* srv_deliver counts it back */
		commit_hold(&srv->commit, conn_id, msgid,
		    (uint8_t *)msgpack_sbuffer_release(&r->sb), len);
		return;
	}
	if ((c = conn_table_find(&srv->conns, conn_id)) != NULL)
		send_reply_bytes(c, msgid, (const uint8_t *)r->sb.data, len);
	msgpack_sbuffer_destroy(&r->sb);
}

void
srv_deliver(void *ud, uint64_t conn_id, uint32_t msgid, const uint8_t *data,
    size_t len, const struct hr_error *failed)
{
	struct srv      *srv = ud;
	struct conn     *c = conn_table_find(&srv->conns, conn_id);
	struct srv_reply r;
	int64_t          echo = 0;

	if (c == NULL)
		return;                 /* the client left before the commit */
	if (c->held > 0)
		c->held--;
	if (c->echo_app != 0 && c->held == 0) {
		/* A save's, its last (app_echo.h): its echo first. */
		echo = c->echo_app;
		c->echo_app = 0;
		if (failed == NULL && srv->echo_run != NULL) {
			srv->echo_run(srv, c, msgid, data, len, echo);
			return;
		}
	}
	if (failed == NULL) {
		send_reply_bytes(c, msgid, data, len);
		return;
	}
	srv_reply_init(&r);
	srv_reply_error(&r, msgid, failed);
	conn_send(c, (const uint8_t *)r.sb.data, r.sb.size);
	msgpack_sbuffer_destroy(&r.sb);
	if (echo != 0)
		conn_resume(c);         /* it waited for this reply */
}
