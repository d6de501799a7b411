/*
 * test_client.c — the client library against a fake in-process server.
 *
 * The fake server is built from the real proto pieces (hr_hs_server_respond,
 * hr_channel_*, hr_rpc_*) over a socketpair, so these tests check the client
 * library's own logic: requests queued before the channel is up, replies
 * matched by msgid in any order, every pending callback failed on a dropped
 * link, key offers on first contact and on a changed key, the session ticket,
 * notifications, and a real non-blocking TCP connect over loopback.
 *
 * Alike on purpose: the tests set up and take down the fake server the
 * same way (pair_open ... pair_close) and end by checking how a request's
 * callback was called (calls, code); the steps between are each test's
 * own.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <sodium.h>

#include "proto/buf.h"
#include "proto/channel.h"
#include "proto/client.h"
#include "proto/frame.h"
#include "proto/handshake.h"
#include "proto/method_names.h"
#include "proto/rpc.h"
#include "proto/ticket.h"

/* ---- the fake server ---- */

#define FAKE_MAXREQ 16

struct fake {
	int                   fd;
	struct hr_server_keys keys;
	struct hr_channel     ch;
	int                   ready;
	struct hr_buf         in;
	uint32_t              msgids[FAKE_MAXREQ];
	char                  methods[FAKE_MAXREQ][HR_METHOD_MAX + 1];
	size_t                nreq;
	int                   binder_ok;   /* last resume: id + binder verified */
};

static void
fake_set_fd(struct fake *f, int fd)
{
	f->fd = fd;
	if (fd >= 0)
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

static void
fake_init(struct fake *f, int fd)
{
	memset(f, 0, sizeof *f);
	fake_set_fd(f, fd);
	hr_keypair_generate(&f->keys.keys[0]);
	f->keys.count = 1;
	hr_buf_init(&f->in, HR_FRAME_MAX + HR_FRAME_HEADER);
}

static void
fake_free(struct fake *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	hr_buf_free(&f->in);
}

static void
fake_write(struct fake *f, const uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(f->fd, p, n);
		assert_true(w > 0);
		p += w;
		n -= (size_t)w;
	}
}

static void
fake_on_hello(struct fake *f, const uint8_t *body, size_t len)
{
	uint8_t out[HR_FRAME_HEADER + HR_SERVER_HELLO_MAX];
	size_t outlen = 0;
	struct hr_error err;
	int rc = hr_hs_server_respond(&f->keys, body, len, out + HR_FRAME_HEADER,
	    &outlen, &f->ch, &err);

	assert_true(rc >= 0);
	hr_frame_put_len(out, (uint32_t)outlen);
	fake_write(f, out, HR_FRAME_HEADER + outlen);
	f->ready = (rc == 0);
	if (rc == 1) {          /* offer or reject: the server closes */
		close(f->fd);
		f->fd = -1;
	}
}

/* A resume's {ticket_id, binder}: a binder for this fake's handshake? */
static int
fake_binder_ok(const struct fake *f, const msgpack_object *params)
{
	const uint8_t *id = NULL, *binder = NULL;

	for (uint32_t i = 0; i < params->via.map.size; i++) {
		const msgpack_object_kv *kv = &params->via.map.ptr[i];

		if (kv->val.type != MSGPACK_OBJECT_BIN)
			continue;
		if (kv->key.via.str.size == 9 && kv->val.via.bin.size ==
		    HR_TICKET_ID_LEN &&
		    memcmp(kv->key.via.str.ptr, "ticket_id", 9) == 0)
			id = (const uint8_t *)kv->val.via.bin.ptr;
		if (kv->key.via.str.size == 6 && kv->val.via.bin.size ==
		    HR_TICKET_BINDER_LEN &&
		    memcmp(kv->key.via.str.ptr, "binder", 6) == 0)
			binder = (const uint8_t *)kv->val.via.bin.ptr;
	}
	return id != NULL && binder != NULL &&
	    hr_ticket_binder_ok(id, f->ch.transcript, binder);
}

static void
fake_on_request(struct fake *f, const uint8_t *hdr, const uint8_t *body, size_t len)
{
	uint8_t *pt = malloc(len);
	msgpack_zone zone;
	struct hr_msg m;
	struct hr_error err;

	assert_int_equal(hr_channel_open(&f->ch, hdr, body, len, pt, &err), 0);
	msgpack_zone_init(&zone, 1024);
	assert_int_equal(hr_rpc_decode(pt, len - HR_TAG_LEN, &zone, &m, &err), 0);
	assert_int_equal(m.type, HR_MSG_REQUEST);
	assert_true(f->nreq < FAKE_MAXREQ);
	f->msgids[f->nreq] = m.msgid;
	snprintf(f->methods[f->nreq], sizeof f->methods[0], "%.*s",
	    (int)m.method_len, m.method);
	f->nreq++;
	if (hr_rpc_method_is(&m, HR_M_RESUME))
		f->binder_ok = fake_binder_ok(f, &m.params);
	msgpack_zone_destroy(&zone);
	free(pt);
}

/* Read and handle whatever the client sent. */
static void
fake_pump(struct fake *f)
{
	uint8_t buf[4096];
	ssize_t n;
	size_t blen;
	struct hr_error err;

	while (f->fd >= 0 && (n = read(f->fd, buf, sizeof buf)) > 0)
		assert_int_equal(hr_buf_append(&f->in, buf, (size_t)n), 0);
	while (f->fd >= 0 && hr_frame_peek(hr_buf_head(&f->in), hr_buf_used(&f->in),
	    HR_FRAME_MAX, &blen, &err) == 1) {
		uint8_t *p = hr_buf_head(&f->in);
		if (!f->ready)
			fake_on_hello(f, p + HR_FRAME_HEADER, blen);
		else
			fake_on_request(f, p, p + HR_FRAME_HEADER, blen);
		if (f->fd >= 0)
			hr_buf_consume(&f->in, HR_FRAME_HEADER + blen);
	}
}

/* Seal and send one packed plaintext message. */
static void
fake_send_sbuf(struct fake *f, msgpack_sbuffer *sb)
{
	uint8_t *frame = malloc(HR_FRAME_HEADER + sb->size + HR_TAG_LEN);
	size_t n = hr_channel_seal(&f->ch, (uint8_t *)sb->data, sb->size, frame);

	fake_write(f, frame, n);
	free(frame);
}

/* Reply {n: msgid} to msgid, or {ticket: bin} when `ticket` is set. */
static void
fake_reply(struct fake *f, uint32_t msgid, const uint8_t *ticket)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;

	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	hr_rpc_pack_result(&pk, msgid);
	msgpack_pack_map(&pk, 1);
	if (ticket != NULL) {
		hr_pack_str(&pk, "ticket");
		msgpack_pack_bin_with_body(&pk, ticket, HR_TICKET_LEN);
	} else {
		hr_pack_kv_int(&pk, "n", msgid);
	}
	fake_send_sbuf(f, &sb);
	msgpack_sbuffer_destroy(&sb);
}

static void
fake_error(struct fake *f, uint32_t msgid, int code)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;
	struct hr_error e;

	hr_error_set(&e, code, "nope");
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	hr_rpc_pack_error(&pk, msgid, &e);
	fake_send_sbuf(f, &sb);
	msgpack_sbuffer_destroy(&sb);
}

static void
fake_notify(struct fake *f, const char *method)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;

	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	hr_rpc_pack_notification(&pk, method);
	msgpack_pack_map(&pk, 1);
	hr_pack_kv_str(&pk, "reason", "restart");
	fake_send_sbuf(f, &sb);
	msgpack_sbuffer_destroy(&sb);
}

/* ---- recording callbacks ---- */

struct got {
	int      calls;
	int      null_reply;
	int      code;
	int64_t  n;
	int      order;
};

static int call_order;

static void
record(void *ud, const struct hr_msg *reply, const struct hr_error *err)
{
	struct got *g = ud;

	assert_non_null(err);
	g->calls++;
	g->order = ++call_order;
	g->null_reply = (reply == NULL);
	g->code = err->code;
	if (reply != NULL && reply->result.type == MSGPACK_OBJECT_MAP &&
	    reply->result.via.map.size == 1 &&
	    reply->result.via.map.ptr[0].val.type == MSGPACK_OBJECT_POSITIVE_INTEGER)
		g->n = (int64_t)reply->result.via.map.ptr[0].val.via.u64;
}

static uint32_t
send_ping(struct hr_client *c, struct got *g)
{
	msgpack_packer *pk = hr_client_begin(c, HR_M_PING);

	msgpack_pack_map(pk, 0);
	return hr_client_send(c, record, g);
}

/* Let both sides run until nothing moves (bounded). */
static int
pump(struct hr_client *c, struct fake *f, struct hr_error *err)
{
	int rc = 0;

	for (int i = 0; i < 20 && rc == 0; i++) {
		if (hr_client_fd(c) >= 0)
			rc = hr_client_io(c, 1, 1, err);
		fake_pump(f);
	}
	return rc;
}

/* A client attached to a fake server through a socketpair. */
struct pair {
	struct hr_client *c;
	struct fake       f;
};

static void
pair_open(struct pair *p, int pin)
{
	int sv[2];
	struct hr_error err;

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	fake_init(&p->f, sv[1]);
	p->c = hr_client_new();
	assert_non_null(p->c);
	if (pin)
		hr_client_set_server_key(p->c, p->f.keys.keys[0].pk);
	assert_int_equal(hr_client_attach_fd(p->c, sv[0], &err), 0);
	assert_int_equal(hr_client_state(p->c), HR_CS_HANDSHAKE);
}

static void
pair_close(struct pair *p)
{
	hr_client_free(p->c);
	fake_free(&p->f);
}

/* ---- tests ---- */

static void
test_queued_before_ready(void **state)
{
	struct pair p;
	struct got g = { 0 };
	struct hr_error err;
	uint32_t id;

	pair_open(&p, 1);
	id = send_ping(p.c, &g);           /* channel not up yet */
	assert_true(id != 0);
	assert_int_equal(pump(p.c, &p.f, &err), 0);
	assert_int_equal(hr_client_state(p.c), HR_CS_READY);
	assert_int_equal(p.f.nreq, 1);
	assert_int_equal(p.f.msgids[0], id);
	assert_string_equal(p.f.methods[0], "ping");
	fake_reply(&p.f, id, NULL);
	assert_int_equal(pump(p.c, &p.f, &err), 0);
	assert_int_equal(g.calls, 1);
	assert_int_equal(g.code, HR_OK);
	assert_int_equal(g.n, id);
	pair_close(&p);
}

static void
test_queued_while_idle(void **state)
{
	struct hr_client *c = hr_client_new();
	struct fake f;
	struct got g = { 0 };
	struct hr_error err;
	int sv[2];
	uint32_t id;

	id = send_ping(c, &g);              /* not even connected */
	assert_true(id != 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	fake_init(&f, sv[1]);
	hr_client_set_server_key(c, f.keys.keys[0].pk);
	assert_int_equal(hr_client_attach_fd(c, sv[0], &err), 0);
	assert_int_equal(pump(c, &f, &err), 0);
	assert_int_equal(f.nreq, 1);
	assert_int_equal(f.msgids[0], id);
	hr_client_free(c);
	fake_free(&f);
}

static void
test_out_of_order(void **state)
{
	struct pair p;
	struct got g[3] = { { 0 } };
	struct hr_error err;
	uint32_t id[3];
	struct hr_client_stats st;

	pair_open(&p, 1);
	assert_int_equal(pump(p.c, &p.f, &err), 0);
	for (int i = 0; i < 3; i++)
		id[i] = send_ping(p.c, &g[i]);
	assert_int_equal(pump(p.c, &p.f, &err), 0);
	assert_int_equal(p.f.nreq, 3);
	call_order = 0;
	fake_reply(&p.f, id[2], NULL);
	fake_error(&p.f, id[0], HR_E_FORBIDDEN);
	fake_reply(&p.f, id[1], NULL);
	fake_reply(&p.f, 9999, NULL);       /* unknown msgid: ignored */
	assert_int_equal(pump(p.c, &p.f, &err), 0);
	assert_int_equal(g[2].order, 1);
	assert_int_equal(g[0].order, 2);
	assert_int_equal(g[1].order, 3);
	assert_int_equal(g[2].n, id[2]);
	assert_int_equal(g[1].n, id[1]);
	assert_int_equal(g[0].code, HR_E_FORBIDDEN);
	assert_false(g[0].null_reply);
	for (int i = 0; i < 3; i++)
		assert_int_equal(g[i].calls, 1);
	hr_client_stats(p.c, &st);
	assert_true(st.frames_out == 4 && st.frames_in == 5);
	assert_true(st.bytes_out > 0 && st.bytes_in > 0);
	pair_close(&p);
}

/* A cancelled request: never sent while queued, its reply dropped once
 * sent; the other requests are untouched, the connection stays up. */
static void
test_cancel(void **state)
{
	struct pair p;
	struct got g[3] = { { 0 } };
	struct hr_error err;
	uint32_t id[3];

	pair_open(&p, 1);
	id[0] = send_ping(p.c, &g[0]);        /* queued: channel not up yet */
	id[1] = send_ping(p.c, &g[1]);
	assert_int_equal(hr_client_pending(p.c), 2);
	assert_int_equal(hr_client_cancel(p.c, id[0]), 1);
	assert_int_equal(hr_client_cancel(p.c, id[0]), 0);
	assert_int_equal(hr_client_pending(p.c), 1);
	assert_int_equal(pump(p.c, &p.f, &err), 0);
	assert_int_equal(p.f.nreq, 1);         /* the cancelled one never went */
	assert_int_equal(p.f.msgids[0], id[1]);
	id[2] = send_ping(p.c, &g[2]);         /* sent at once */
	assert_int_equal(pump(p.c, &p.f, &err), 0);
	assert_int_equal(hr_client_cancel(p.c, id[2]), 1);
	fake_reply(&p.f, id[2], NULL);
	fake_reply(&p.f, id[1], NULL);
	assert_int_equal(pump(p.c, &p.f, &err), 0);
	assert_int_equal(g[0].calls, 0);
	assert_int_equal(g[2].calls, 0);
	assert_int_equal(g[1].calls, 1);
	assert_int_equal(g[1].code, HR_OK);
	assert_int_equal(hr_client_pending(p.c), 0);
	assert_int_equal(hr_client_state(p.c), HR_CS_READY);
	pair_close(&p);
}

static void
test_disconnect_fails_pending(void **state)
{
	struct pair p;
	struct got g[2] = { { 0 } }, late = { 0 };
	struct hr_error err;

	pair_open(&p, 1);
	send_ping(p.c, &g[0]);
	assert_int_equal(pump(p.c, &p.f, &err), 0);
	send_ping(p.c, &g[1]);
	close(p.f.fd);
	p.f.fd = -1;
	assert_int_equal(pump(p.c, &p.f, &err), -1);
	assert_int_equal(err.code, HR_E_DISCONNECTED);
	assert_int_equal(hr_client_state(p.c), HR_CS_CLOSED);
	assert_int_equal(hr_client_fd(p.c), -1);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(g[i].calls, 1);
		assert_true(g[i].null_reply);
		assert_int_equal(g[i].code, HR_E_DISCONNECTED);
	}
	/* a request made now waits for the next connection; close fails it */
	assert_true(send_ping(p.c, &late) != 0);
	assert_int_equal(late.calls, 0);
	hr_client_close(p.c);
	assert_int_equal(late.calls, 1);
	assert_int_equal(late.code, HR_E_DISCONNECTED);
	pair_close(&p);
}

static void
test_key_unknown_offer(void **state)
{
	struct pair p;
	struct got g = { 0 };
	struct hr_error err;
	const uint8_t *keys;

	pair_open(&p, 0);
	send_ping(p.c, &g);
	assert_int_equal(pump(p.c, &p.f, &err), -1);
	assert_int_equal(err.code, HR_E_KEY_UNKNOWN);
	assert_int_equal(hr_client_error(p.c)->code, HR_E_KEY_UNKNOWN);
	assert_int_equal(hr_client_offered_keys(p.c, &keys), 1);
	assert_memory_equal(keys, p.f.keys.keys[0].pk, HR_PUBKEY_LEN);
	assert_int_equal(g.calls, 1);
	assert_int_equal(g.code, HR_E_DISCONNECTED);
	pair_close(&p);
}

static void
test_key_changed_offer(void **state)
{
	struct pair p;
	struct hr_keypair other;
	struct hr_error err;
	const uint8_t *keys;
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	fake_init(&p.f, sv[1]);
	p.c = hr_client_new();
	hr_keypair_generate(&other);
	hr_client_set_server_key(p.c, other.pk);       /* pinned: some other key */
	assert_int_equal(hr_client_attach_fd(p.c, sv[0], &err), 0);
	assert_int_equal(pump(p.c, &p.f, &err), -1);
	assert_int_equal(err.code, HR_E_KEY_CHANGED);
	assert_int_equal(hr_client_offered_keys(p.c, &keys), 1);
	assert_memory_equal(keys, p.f.keys.keys[0].pk, HR_PUBKEY_LEN);
	pair_close(&p);
}

static void
test_ticket_kept(void **state)
{
	struct pair p;
	struct got g = { 0 };
	struct hr_error err;
	uint8_t ticket[HR_TICKET_LEN];
	msgpack_packer *pk;
	uint32_t id;

	memset(ticket, 0x5a, sizeof ticket);
	pair_open(&p, 1);
	assert_null(hr_client_ticket(p.c));
	pk = hr_client_begin(p.c, HR_M_LOGIN);
	msgpack_pack_map(pk, 2);
	hr_pack_kv_str(pk, "user", "sta");
	hr_pack_kv_str(pk, "password", "x");
	id = hr_client_send(p.c, record, &g);
	assert_int_equal(pump(p.c, &p.f, &err), 0);
	/* a non-session reply with a "ticket" field does not count */
	fake_reply(&p.f, send_ping(p.c, &g), ticket);
	assert_int_equal(pump(p.c, &p.f, &err), 0);
	assert_null(hr_client_ticket(p.c));
	fake_reply(&p.f, id, ticket);
	assert_int_equal(pump(p.c, &p.f, &err), 0);
	assert_non_null(hr_client_ticket(p.c));
	assert_memory_equal(hr_client_ticket(p.c), ticket, HR_TICKET_LEN);
	pair_close(&p);
}

/* A login whose reply (from the fake server) carries `ticket`. */
static void
login_with_ticket(struct pair *p, struct got *g,
    const uint8_t ticket[HR_TICKET_LEN])
{
	struct hr_error err;
	msgpack_packer *pk = hr_client_begin(p->c, HR_M_LOGIN);
	uint32_t id;

	msgpack_pack_map(pk, 2);
	hr_pack_kv_str(pk, "user", "sta");
	hr_pack_kv_str(pk, "password", "x");
	id = hr_client_send(p->c, record, g);
	assert_int_equal(pump(p->c, &p->f, &err), 0);
	fake_reply(&p->f, id, ticket);
	assert_int_equal(pump(p->c, &p->f, &err), 0);
}

/* A resume carries the ticket's id and a binder for this very handshake,
 * never the ticket (issue 18, item 8). */
static void
test_resume_binder(void **state)
{
	struct pair p;
	struct got g = { 0 };
	struct hr_error err;
	uint8_t ticket[HR_TICKET_LEN];
	msgpack_packer *pk;

	randombytes_buf(ticket, sizeof ticket);
	pair_open(&p, 1);
	login_with_ticket(&p, &g, ticket);
	assert_int_equal(hr_client_resume_fields(p.c), 2);
	pk = hr_client_begin(p.c, HR_M_RESUME);
	msgpack_pack_map(pk, hr_client_resume_fields(p.c));
	assert_int_equal(hr_client_pack_resume(p.c, pk), 0);
	assert_true(hr_client_send(p.c, record, &g) != 0);
	assert_int_equal(pump(p.c, &p.f, &err), 0);
	assert_string_equal(p.f.methods[p.f.nreq - 1], HR_M_RESUME);
	assert_true(p.f.binder_ok);
	pair_close(&p);
}

/*
 * A ticket is never used with a server key pinned after it (issue 18,
 * item 3): the key a person accepted in a dialog during this run may be
 * an impostor's.
 */
static void
test_ticket_not_for_new_key(void **state)
{
	struct pair p;
	struct got g = { 0 };
	struct hr_keypair other;
	uint8_t ticket[HR_TICKET_LEN];
	msgpack_packer *pk;

	memset(ticket, 0x6b, sizeof ticket);
	pair_open(&p, 1);
	login_with_ticket(&p, &g, ticket);
	assert_non_null(hr_client_ticket(p.c));
	hr_keypair_generate(&other);
	hr_client_set_server_key(p.c, other.pk);
	assert_null(hr_client_ticket(p.c));
	assert_int_equal(hr_client_resume_fields(p.c), 0);
	pk = hr_client_begin(p.c, HR_M_RESUME);
	assert_int_equal(hr_client_pack_resume(p.c, pk), -1);
	hr_client_set_server_key(p.c, p.f.keys.keys[0].pk);
	assert_non_null(hr_client_ticket(p.c));
	pair_close(&p);
}

static int notes;

static void
on_note(void *ud, const struct hr_msg *note)
{
	assert_true(hr_rpc_method_is(note, HR_N_CLOSING));
	notes++;
}

static void
test_notification(void **state)
{
	struct pair p;
	struct hr_error err;

	pair_open(&p, 1);
	hr_client_set_notify(p.c, on_note, NULL);
	assert_int_equal(pump(p.c, &p.f, &err), 0);
	notes = 0;
	fake_notify(&p.f, HR_N_CLOSING);
	assert_int_equal(pump(p.c, &p.f, &err), 0);
	assert_int_equal(notes, 1);
	pair_close(&p);
}

/* A callback that closes the client from inside a reply must be safe. */
static void
close_in_callback(void *ud, const struct hr_msg *reply, const struct hr_error *err)
{
	if (reply != NULL)
		hr_client_close(ud);
}

static void
test_close_from_callback(void **state)
{
	struct pair p;
	struct got g = { 0 };
	struct hr_error err;
	msgpack_packer *pk;
	uint32_t id;

	pair_open(&p, 1);
	pk = hr_client_begin(p.c, HR_M_PING);
	msgpack_pack_map(pk, 0);
	id = hr_client_send(p.c, close_in_callback, p.c);
	send_ping(p.c, &g);
	assert_int_equal(pump(p.c, &p.f, &err), 0);
	fake_reply(&p.f, id, NULL);
	fake_reply(&p.f, id + 1, NULL);
	pump(p.c, &p.f, &err);
	assert_int_equal(hr_client_state(p.c), HR_CS_CLOSED);
	assert_int_equal(g.calls, 1);
	assert_int_equal(g.code, HR_E_DISCONNECTED);
	pair_close(&p);
}

static void
test_tcp_connect(void **state)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t sl = sizeof sa;
	int lfd = socket(AF_INET, SOCK_STREAM, 0), sfd;
	struct hr_client *c = hr_client_new();
	struct fake f;
	struct got g = { 0 };
	struct hr_error err;
	char addr[64];
	uint32_t id;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(listen(lfd, 4), 0);
	assert_int_equal(getsockname(lfd, (struct sockaddr *)&sa, &sl), 0);
	snprintf(addr, sizeof addr, "127.0.0.1:%d", ntohs(sa.sin_port));
	fake_init(&f, -1);
	hr_client_set_server_key(c, f.keys.keys[0].pk);
	assert_int_equal(hr_client_connect(c, addr, &err), 0);
	assert_true(hr_client_fd(c) >= 0);
	assert_true(hr_client_wants_write(c));
	id = send_ping(c, &g);
	sfd = accept(lfd, NULL, NULL);
	assert_true(sfd >= 0);
	fake_set_fd(&f, sfd);
	assert_int_equal(pump(c, &f, &err), 0);
	assert_int_equal(hr_client_state(c), HR_CS_READY);
	assert_int_equal(f.nreq, 1);
	fake_reply(&f, id, NULL);
	assert_int_equal(hr_client_wait(c, id, 2000, &err), 0);
	assert_int_equal(g.calls, 1);
	assert_int_equal(g.n, id);
	fake_free(&f);
	close(lfd);
	hr_client_free(c);
}

static void
test_bad_addresses(void **state)
{
	struct hr_client *c = hr_client_new();
	struct hr_error err;
	static const char *const bad[] = {
		"nohost", "host:", ":7350", "::1:7350", "[::1]7350", "h:12x",
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(hr_client_connect(c, bad[i], &err), -1);
		assert_int_equal(err.code, HR_E_USAGE);
		assert_int_equal(hr_client_state(c), HR_CS_CLOSED);
	}
	hr_client_free(c);
}

static void
test_connection_refused(void **state)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t sl = sizeof sa;
	int lfd = socket(AF_INET, SOCK_STREAM, 0);
	struct hr_client *c = hr_client_new();
	struct hr_error err;
	struct got g = { 0 };
	char addr[64];

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(getsockname(lfd, (struct sockaddr *)&sa, &sl), 0);
	close(lfd);             /* the port is free now: nobody listens */
	snprintf(addr, sizeof addr, "127.0.0.1:%d", ntohs(sa.sin_port));
	send_ping(c, &g);
	if (hr_client_connect(c, addr, &err) == 0)
		assert_int_equal(hr_client_wait_ready(c, 2000, &err), -1);
	assert_true(err.code == HR_E_IO || err.code == HR_E_DISCONNECTED);
	assert_int_equal(hr_client_state(c), HR_CS_CLOSED);
	assert_int_equal(g.calls, 1);
	hr_client_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_queued_before_ready),
		cmocka_unit_test(test_queued_while_idle),
		cmocka_unit_test(test_out_of_order),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_disconnect_fails_pending),
		cmocka_unit_test(test_key_unknown_offer),
		cmocka_unit_test(test_key_changed_offer),
		cmocka_unit_test(test_ticket_kept),
		cmocka_unit_test(test_resume_binder),
		cmocka_unit_test(test_ticket_not_for_new_key),
		cmocka_unit_test(test_notification),
		cmocka_unit_test(test_close_from_callback),
		cmocka_unit_test(test_tcp_connect),
		cmocka_unit_test(test_bad_addresses),
		cmocka_unit_test(test_connection_refused),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
