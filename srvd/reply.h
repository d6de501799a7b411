/*
 * reply.h — a reply to one request: built in a buffer, then sent at once
 * or held for the group commit (commit.h), which hands it back through
 * srv_deliver when the batch is on disk (or failed).  The connection is
 * named by id: it may be gone by then.
 */
#ifndef SRV_REPLY_H
#define SRV_REPLY_H

#include <stddef.h>
#include <stdint.h>

#include <msgpack.h>

#include "proto/error.h"

struct srv;

/* A reply being built: an sbuffer and a packer writing into it. */
struct srv_reply {
	msgpack_sbuffer sb;
	msgpack_packer  pk;
};

void srv_reply_init(struct srv_reply *r);
/* Envelope of a successful response; pack the result map next. */
void srv_reply_result(struct srv_reply *r, uint32_t msgid);
/* A complete error response (both replace anything packed so far). */
void srv_reply_error(struct srv_reply *r, uint32_t msgid,
    const struct hr_error *err);
/*
 * Send the reply to connection `conn_id` now, or hold it for the group
 * commit when `held`.  Frees the reply's buffer either way; a reply too big
 * for one frame is replaced by an HR_E_INTERNAL error.
 */
void srv_reply_finish(struct srv *srv, uint64_t conn_id, uint32_t msgid,
    struct srv_reply *r, int held);

/* The group commit's delivery of a held reply (commit.h commit_deliver_fn):
 * `failed` set when its batch did not reach the disk. */
void srv_deliver(void *ud, uint64_t conn_id, uint32_t msgid,
    const uint8_t *data, size_t len, const struct hr_error *failed);

#endif
