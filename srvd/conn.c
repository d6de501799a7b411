/*
 * conn.c — per-connection I/O, handshake, channel, backpressure, timeouts,
 * and the table of connections (see conn.h for the state machine, the
 * lifetime rules and the hooks through which the server is told).
 *
 * Circle kept on purpose: conn.h includes session.h for struct
 * conn_session alone (a type, no call), which closes a circle of types
 * with session and request_audit; conn.h's include line says so (circle:).
 */
#include "srvd/conn.h"

#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "proto/frame.h"
#include "proto/handshake.h"
#include "proto/method_names.h"
#include "proto/rpc.h"
#include "srvd/conf.h"
#include "srvd/log.h"

#define READ_CHUNK 16384u

static void conn_read_cb(struct ev_loop *, ev_io *, int);
static void conn_write_cb(struct ev_loop *, ev_io *, int);
static void conn_timer_cb(struct ev_loop *, ev_timer *, int);
static void conn_process(struct conn *c);
static int  conn_retire_forced(const struct conn *c);
static void conn_free(struct conn *c);

/* ---- the table ---- */

int
conn_table_init(struct conn_table *t, size_t max, struct hr_error *err)
{
	memset(t, 0, sizeof *t);
	t->nslots = max;
	t->slots = calloc(max, sizeof *t->slots);
	t->free_slots = calloc(max, sizeof *t->free_slots);
	if (t->slots == NULL || t->free_slots == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory for %zu "
		    "connections", max);
	for (size_t i = 0; i < max; i++)
		t->free_slots[t->nfree++] = (uint32_t)(max - 1 - i);
	return 0;
}

/* Give c an id and a slot; -1 when every slot is taken. */
static int
conn_table_add(struct conn_table *t, struct conn *c)
{
	uint32_t slot;

	if (t->nfree == 0)
		return -1;
	slot = t->free_slots[--t->nfree];
	c->id = (++t->serial << CONN_SLOT_BITS) | slot;
	t->slots[slot] = c;
	c->prev = NULL;
	c->next = t->live;
	if (t->live != NULL)
		t->live->prev = c;
	t->live = c;
	t->count++;
	return 0;
}

/* By conn_fail: forget the id, tell the owner, move the struct to the
 * dead list. */
static void
conn_table_remove(struct conn_table *t, struct conn *c)
{
	uint32_t slot = (uint32_t)(c->id & CONN_SLOT_MASK);

	if (t->slots[slot] == c) {
		t->slots[slot] = NULL;
		t->free_slots[t->nfree++] = slot;
	}
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		t->live = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	t->count--;
	if (t->hooks.closed != NULL)
		t->hooks.closed(c);
	c->prev = NULL;
	c->next = t->dead;
	t->dead = c;
}

struct conn *
conn_table_find(struct conn_table *t, uint64_t id)
{
	size_t slot = (size_t)(id & CONN_SLOT_MASK);

	if (slot >= t->nslots || t->slots[slot] == NULL ||
	    t->slots[slot]->id != id)
		return NULL;
	/* A closed connection has left its slot (conn_fail): what outlives a
	 * callback never reaches one that is only waiting to be freed. */
	assert(t->slots[slot]->state != CONN_DEAD);
	return t->slots[slot];
}

void
conn_table_stop(struct conn_table *t)
{
	t->stopping = 1;
	for (struct conn *c = t->live; c != NULL; c = c->next) {
		ev_io_stop(t->loop, &c->rio);
		c->paused = 1;
	}
}

void
conn_table_reap(struct conn_table *t)
{
	struct conn *c;

	while ((c = t->dead) != NULL) {
		t->dead = c->next;
		conn_free(c);
	}
}

void
conn_table_free(struct conn_table *t, const char *why)
{
	if (t->frames > 0)
		log_info("connections: %llu requests, %llu of them read ahead "
		    "while an earlier one waited", (unsigned long long)t->frames,
		    (unsigned long long)t->ahead);
	while (t->live != NULL)
		conn_fail(t->live, "%s", why);
	conn_table_reap(t);
	free(t->slots);
	free(t->free_slots);
	t->slots = NULL;
	t->free_slots = NULL;
	t->nslots = t->nfree = 0;
}

/* ---- one connection ---- */

/* "IP" and "IP:port" / "[IP]:port" of the peer, numerically. */
static void
conn_name_peer(struct conn *c, const struct sockaddr *sa, socklen_t salen)
{
	char host[INET6_ADDRSTRLEN], port[8];

	if (getnameinfo(sa, salen, host, sizeof host, port, sizeof port,
	    NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
		snprintf(c->addr, sizeof c->addr, "?");
		snprintf(c->peer, sizeof c->peer, "?");
		return;
	}
	snprintf(c->addr, sizeof c->addr, "%s", host);
	snprintf(c->peer, sizeof c->peer, sa->sa_family == AF_INET6 ?
	    "[%s]:%s" : "%s:%s", host, port);
}

struct conn *
conn_new(struct conn_table *t, int fd, const struct sockaddr *sa,
    socklen_t salen, const char *source)
{
	struct conn *c = calloc(1, sizeof *c);
	int          one = 1;

	if (c == NULL) {
		close(fd);
		return NULL;
	}
	c->table = t;
	c->srv = t->owner;
	c->fd = fd;
	c->state = CONN_HANDSHAKE;
	c->max_frame = CONN_FRAME_MAX_ANON;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	conn_name_peer(c, sa, salen);
	snprintf(c->source, sizeof c->source, "%s", source);
	hr_buf_init(&c->in, HR_FRAME_HEADER + HR_FRAME_MAX);
	hr_buf_init(&c->out, CONN_OUT_MAX);
	if (conn_table_add(t, c) < 0) {
		close(fd);
		free(c);
		return NULL;
	}
	c->accepted_at = c->last_activity = ev_now(t->loop);
	ev_io_init(&c->rio, conn_read_cb, fd, EV_READ);
	ev_io_init(&c->wio, conn_write_cb, fd, EV_WRITE);
	ev_init(&c->timer, conn_timer_cb);
	c->rio.data = c->wio.data = c->timer.data = c;
	c->timer.repeat = t->cfg->handshake_timeout;
	ev_io_start(t->loop, &c->rio);
	ev_timer_again(t->loop, &c->timer);
	log_debug("conn %llu: accepted from %s", (unsigned long long)c->id,
	    c->peer);
	return c;
}

/* A decrypted request: it may hold a password or a ticket. */
static void
conn_msg_free(uint8_t *msg, size_t len)
{
	if (msg == NULL)
		return;
	sodium_memzero(msg, len);
	free(msg);
}

static void
conn_free(struct conn *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->nahead; i++)
		if (c->ahead_job[i] != NULL)
			c->table->hooks.unstaged(c->ahead_job[i]);
		else
			conn_msg_free(c->ahead[i], c->ahead_len[i]);
	hr_buf_free(&c->in);
	hr_buf_free(&c->out);
	conn_session_clear(c);
	free(c->reason);
	free(c);
}

int
conn_evictable(const struct conn *c)
{
	return c->sess.user_id == 0 && !c->login_pending && !c->waiting &&
	    !c->query_out && c->held == 0 && c->nahead == 0;
}

ev_tstamp
conn_anonymous_since(const struct conn *c)
{
	return c->anon_since != 0 ? c->anon_since : c->accepted_at;
}

size_t
conn_pending_output(const struct conn *c)
{
	return hr_buf_used(&c->out);
}

void
conn_fail(struct conn *c, const char *fmt, ...)
{
	struct ev_loop *loop = c->table->loop;
	char            why[512];
	va_list         ap;

	if (c->state == CONN_DEAD)
		return;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	log_info("conn %llu %s%s%s: closed: %s", (unsigned long long)c->id,
	    c->peer, c->sess.user ? " user " : "",
	    c->sess.user ? c->sess.user : "", why);
	ev_io_stop(loop, &c->rio);
	ev_io_stop(loop, &c->wio);
	ev_timer_stop(loop, &c->timer);
	close(c->fd);
	c->fd = -1;
	hr_channel_wipe(&c->ch);
	c->state = CONN_DEAD;
	conn_table_remove(c->table, c);
}

void
conn_close_after_flush(struct conn *c, const char *reason)
{
	if (c->state == CONN_DEAD || c->state == CONN_CLOSING)
		return;
	free(c->reason);
	c->reason = strdup(reason);
	c->state = CONN_CLOSING;
	c->last_activity = ev_now(c->table->loop);
	ev_io_stop(c->table->loop, &c->rio);
	if (conn_pending_output(c) == 0)
		conn_fail(c, "%s", reason);
}

/* While waiting, may it read and decrypt one more frame ahead? */
static int
conn_may_read_ahead(const struct conn *c)
{
	return c->state == CONN_READY && c->sess.user_id != 0 &&
	    !c->login_pending && c->nahead < CONN_AHEAD_MAX &&
	    c->ahead_bytes < CONN_AHEAD_BYTES;
}

void
conn_wait(struct conn *c)
{
	c->waiting = 1;
	if (!conn_may_read_ahead(c))
		ev_io_stop(c->table->loop, &c->rio);
}

void
conn_resume(struct conn *c)
{
	c->waiting = 0;
	if ((c->state != CONN_HANDSHAKE && c->state != CONN_READY) ||
	    c->paused)
		return;                  /* closing, backpressure, shutdown */
	if (!conn_retire_forced(c))
		ev_io_start(c->table->loop, &c->rio);
	conn_process(c);                 /* what was read ahead, at least */
}

/* Output grew: watch for writability, and stop reading above the mark. */
static void
conn_output_added(struct conn *c)
{
	ev_io_start(c->table->loop, &c->wio);
	if (!c->paused && conn_pending_output(c) > CONN_OUT_HIGH) {
		c->paused = 1;
		ev_io_stop(c->table->loop, &c->rio);
		log_debug("conn %llu: reading paused, %zu bytes unsent",
		    (unsigned long long)c->id, conn_pending_output(c));
	}
}

/* Queue an unencrypted handshake frame. */
static int
conn_send_plain(struct conn *c, const uint8_t *body, size_t len)
{
	uint8_t *p = hr_buf_reserve(&c->out, HR_FRAME_HEADER + len);

	if (p == NULL) {
		conn_fail(c, "out of memory for the handshake reply");
		return -1;
	}
	hr_frame_put_len(p, (uint32_t)len);
	memcpy(p + HR_FRAME_HEADER, body, len);
	hr_buf_commit(&c->out, HR_FRAME_HEADER + len);
	conn_output_added(c);
	return 0;
}

int
conn_send(struct conn *c, const uint8_t *msg, size_t len)
{
	size_t   flen = HR_FRAME_HEADER + len + HR_TAG_LEN;
	uint8_t *p;

	if (c->state != CONN_READY)
		return -1;
	if (len + HR_TAG_LEN > HR_FRAME_MAX) {
		conn_fail(c, "bug: a %zu-byte message does not fit a frame", len);
		return -1;
	}
	if ((p = hr_buf_reserve(&c->out, flen)) == NULL) {
		conn_fail(c, "client does not read its replies (%zu bytes "
		    "unsent, limit %u)", conn_pending_output(c), CONN_OUT_MAX);
		return -1;
	}
	if ((flen = hr_channel_seal(&c->ch, msg, len, p)) == 0) {
		conn_fail(c, "the send counter is used up");
		return -1;
	}
	hr_buf_commit(&c->out, flen);
	conn_output_added(c);
	if (c->ch.tx_ctr >= CONN_FRAMES_MAX)
		conn_retire(c, "frame limit reached");
	return 0;
}

/* The first frame: ClientHello.  Answer it; maybe close after the answer. */
static void
conn_handshake(struct conn *c, const uint8_t *body, size_t len)
{
	uint8_t         reply[HR_SERVER_HELLO_MAX];
	size_t          rlen = 0;
	struct hr_error err;
	ev_tstamp       age_left;
	int             rc;

	hr_error_clear(&err);
	rc = hr_hs_server_respond(c->table->keys, body, len, reply, &rlen,
	    &c->ch, &err);
	if (rc < 0) {
		conn_fail(c, "handshake failed: %s", err.msg);
		return;
	}
	if (conn_send_plain(c, reply, rlen) < 0)
		return;
	if (rc == 1) {
		conn_close_after_flush(c, err.msg[0] ? err.msg :
		    "client does not know the server key: sent the key offer");
		return;
	}
	c->state = CONN_READY;
	c->anon_since = ev_now(c->table->loop);
	if (c->table->hooks.ready != NULL)
		c->table->hooks.ready(c, body, len);
	/* The timer runs for the handshake; a connection_max_age shorter
	 * than what is left of it must still be kept. */
	age_left = c->accepted_at + c->table->cfg->connection_max_age -
	    ev_now(c->table->loop);
	if (ev_timer_remaining(c->table->loop, &c->timer) > age_left) {
		c->timer.repeat = age_left > 0 ? age_left : 0.001;
		ev_timer_again(c->table->loop, &c->timer);
	}
	log_debug("conn %llu: channel up", (unsigned long long)c->id);
}

/* Hand one decrypted request to the owner; wipe it unless kept. */
static void
conn_hand_over(struct conn *c, uint8_t *pt, size_t ptlen)
{
	if (c->table->hooks.frame != NULL)
		c->table->hooks.frame(c, &pt, ptlen);
	conn_msg_free(pt, ptlen);
}

/* The oldest request read ahead: hand it over now. */
static void
conn_hand_ahead(struct conn *c)
{
	uint8_t *pt = c->ahead[0];
	size_t   ptlen = c->ahead_len[0];
	void    *job = c->ahead_job[0];

	c->nahead--;
	c->ahead_bytes -= ptlen;
	memmove(c->ahead, c->ahead + 1, c->nahead * sizeof *c->ahead);
	memmove(c->ahead_len, c->ahead_len + 1, c->nahead *
	    sizeof *c->ahead_len);
	memmove(c->ahead_job, c->ahead_job + 1, c->nahead *
	    sizeof *c->ahead_job);
	if (job != NULL)
		c->table->hooks.staged(c, job);
	else
		conn_hand_over(c, pt, ptlen);
}

/* One encrypted frame (header + body at f): open it and hand it over, or
 * keep it while the connection waits. */
static void
conn_frame(struct conn *c, const uint8_t *f, size_t body)
{
	struct hr_error err;
	size_t          ptlen;
	uint8_t        *pt;

	if (body < HR_TAG_LEN) {
		conn_fail(c, "frame of %zu bytes is shorter than its tag", body);
		return;
	}
	ptlen = body - HR_TAG_LEN;
	if ((pt = malloc(ptlen + 1)) == NULL) {
		conn_fail(c, "out of memory for a %zu-byte frame", body);
		return;
	}
	hr_error_clear(&err);
	if (hr_channel_open(&c->ch, f, f + HR_FRAME_HEADER, body, pt, &err) < 0) {
		conn_fail(c, "%s", err.msg[0] ? err.msg : "frame failed to open");
		conn_msg_free(pt, ptlen);
		return;
	}
	c->requests++;
	c->table->frames++;
	if (c->ch.rx_ctr >= CONN_FRAMES_MAX)
		conn_retire(c, "frame limit reached");
	if (!c->waiting) {
		conn_hand_over(c, pt, ptlen);
		return;
	}
	c->table->ahead++;
	c->ahead_job[c->nahead] = c->table->hooks.ahead != NULL ?
	    c->table->hooks.ahead(c, &pt, ptlen) : NULL;
	c->ahead[c->nahead] = pt;        /* NULL when the job took it */
	c->ahead_len[c->nahead++] = ptlen;
	c->ahead_bytes += ptlen;
}

/*
 * Handle what was read ahead, then every complete frame in the input,
 * unless paused or closing; while waiting, read ahead what may be.
 */
static void
conn_process(struct conn *c)
{
	struct hr_error err;
	size_t          body;
	int             rc;

	while ((c->state == CONN_HANDSHAKE || c->state == CONN_READY) &&
	    !c->paused) {
		if (!c->waiting && c->nahead > 0) {
			conn_hand_ahead(c);  /* read already: not reading */
			continue;
		}
		if (conn_retire_forced(c)) {
			ev_io_stop(c->table->loop, &c->rio);
			return;
		}
		if (c->waiting && !conn_may_read_ahead(c)) {
			ev_io_stop(c->table->loop, &c->rio);
			return;
		}
		hr_error_clear(&err);
		rc = hr_frame_peek(hr_buf_head(&c->in), hr_buf_used(&c->in),
		    c->max_frame, &body, &err);
		if (rc < 0) {
			conn_fail(c, "%s%s", err.msg,
			    c->sess.user_id ? "" : " (before login)");
			return;
		}
		if (rc == 0)
			return;
		if (c->state == CONN_HANDSHAKE)
			conn_handshake(c, hr_buf_head(&c->in) + HR_FRAME_HEADER,
			    body);
		else
			conn_frame(c, hr_buf_head(&c->in), body);
		hr_buf_consume(&c->in, HR_FRAME_HEADER + body);
	}
}

/*
 * Before login a frame must arrive whole within handshake_timeout of its
 * first byte.  Otherwise a peer could hold a connection and its buffer for
 * ever by trickling a byte of a frame now and then, each byte putting off
 * idle_timeout (slowloris).  Pre-login frames are at most 4 KiB, so the
 * bound costs an honest client nothing even on a slow link.  Records when
 * the incomplete frame began and makes the timer fire by its deadline.
 */
static void
conn_note_partial(struct conn *c, ev_tstamp now)
{
	struct ev_loop *loop = c->table->loop;
	double          limit = c->table->cfg->handshake_timeout;

	if (c->state != CONN_READY || c->sess.user_id != 0 || c->paused ||
	    hr_buf_used(&c->in) == 0) {
		c->partial_since = 0;
		return;
	}
	if (c->partial_since != 0)
		return;
	c->partial_since = now;
	if (ev_timer_remaining(loop, &c->timer) > limit) {
		c->timer.repeat = limit;
		ev_timer_again(loop, &c->timer);
	}
}

/*
 * How much to read now, within `room`: READ_CHUNK, or more when the input
 * ends in a frame whose header has arrived -- the rest of it, so that a
 * scan's 200 KB chunk takes one read, not thirteen (a length the
 * connection does not accept is left to conn_process to refuse).
 */
static size_t
conn_read_want(const struct conn *c, size_t room)
{
	size_t used = hr_buf_used(&c->in), want = READ_CHUNK, len;

	if (used >= HR_FRAME_HEADER) {
		len = hr_frame_get_len(hr_buf_head(&c->in));
		if (len <= c->max_frame && HR_FRAME_HEADER + len > used &&
		    HR_FRAME_HEADER + len - used > want)
			want = HR_FRAME_HEADER + len - used;
	}
	return want < room ? want : room;
}

static void
conn_read_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct conn *c = w->data;
	size_t       room = conn_read_want(c, c->in.limit -
	    hr_buf_used(&c->in));
	uint8_t     *p;
	ssize_t      n;

	if (room == 0 || (p = hr_buf_reserve(&c->in, room)) == NULL) {
		conn_fail(c, "input buffer full");
		return;
	}
	n = read(c->fd, p, room);
	if (n == 0) {
		conn_fail(c, "closed by the client");
		return;
	}
	if (n < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			conn_fail(c, "read: %s", strerror(errno));
		return;
	}
	hr_buf_commit(&c->in, (size_t)n);
	c->last_activity = ev_now(loop);
	conn_process(c);
	conn_note_partial(c, ev_now(loop));
}

static void
conn_write_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct conn *c = w->data;
	ssize_t      n;

	n = send(c->fd, hr_buf_head(&c->out), hr_buf_used(&c->out),
	    MSG_NOSIGNAL);
	if (n < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			conn_fail(c, "write: %s", strerror(errno));
		return;
	}
	hr_buf_consume(&c->out, (size_t)n);
	if (conn_pending_output(c) > 0)
		return;
	ev_io_stop(loop, &c->wio);
	if (c->state == CONN_CLOSING) {
		conn_fail(c, "%s", c->reason ? c->reason : "closing");
		return;
	}
	if (c->paused && !c->table->stopping && !conn_retire_forced(c)) {
		c->paused = 0;
		if (c->waiting)
			return;          /* conn_resume reads on */
		ev_io_start(loop, &c->rio);
		log_debug("conn %llu: reading resumed", (unsigned long long)c->id);
		conn_process(c);             /* frames left waiting in input */
	}
}

/*
 * When an anonymous READY connection must have logged in: login_timeout
 * after the channel came up or the last logout.  A login being verified
 * holds it open (checked again a second later); a logged-in one has no
 * such deadline.
 */
static ev_tstamp
conn_login_deadline(const struct conn *c, ev_tstamp now)
{
	if (c->sess.user_id != 0)
		return now + 1e9;
	if (c->login_pending)
		return now + 1.0;
	return c->anon_since + c->table->cfg->login_timeout;
}

/* ---- retiring (connection_max_age, CONN_FRAMES_MAX) ---- */

static int
conn_retire_forced(const struct conn *c)
{
	return c->retiring != 0 &&
	    ev_now(c->table->loop) >= c->retiring + CONN_RETIRE_FORCE;
}

void
conn_retire(struct conn *c, const char *why)
{
	struct ev_loop *loop = c->table->loop;

	if (c->retiring != 0 || c->state != CONN_READY)
		return;
	c->retiring = ev_now(loop);
	log_debug("conn %llu: retiring (%s); closing at its first quiet "
	    "moment", (unsigned long long)c->id, why);
	c->timer.repeat = 0.25;
	ev_timer_again(loop, &c->timer);
}

msgpack_packer *
conn_note_begin(struct conn_note *n, const char *name)
{
	msgpack_sbuffer_init(&n->sb);
	msgpack_packer_init(&n->pk, &n->sb, msgpack_sbuffer_write);
	hr_rpc_pack_notification(&n->pk, name);
	return &n->pk;
}

int
conn_note_send(struct conn *c, struct conn_note *n)
{
	int rc = conn_send(c, (const uint8_t *)n->sb.data, n->sb.size);

	msgpack_sbuffer_destroy(&n->sb);
	return rc;
}

void
conn_notify_closing(struct conn *c, const char *reason, int reconnect)
{
	struct conn_note n;
	msgpack_packer *pk = conn_note_begin(&n, HR_N_CLOSING);

	msgpack_pack_map(pk, reconnect ? 2 : 1);
	hr_pack_kv_str(pk, "reason", reason);
	if (reconnect)
		hr_pack_kv_bool(pk, "reconnect", 1);
	(void)conn_note_send(c, &n);
}

/*
 * The timer of a connection past its age: close it at a quiet moment,
 * stop reading it once it has had CONN_RETIRE_FORCE seconds to be quiet.
 */
static void
conn_retire_tick(struct conn *c, ev_tstamp now)
{
	struct ev_loop *loop = c->table->loop;
	/* A reply held for a commit that never came back (out of memory)
	 * stops holding it up after a while. */
	int busy = c->login_pending || c->query_out || c->waiting ||
	    (c->nahead > 0 && !c->paused) || (c->held && now < c->retiring + 2 * CONN_RETIRE_FORCE);

	if (c->retiring == 0)
		conn_retire(c, "connection_max_age reached");
	if (!busy && (conn_retire_forced(c) ||
	    now - c->last_activity >= CONN_RETIRE_IDLE)) {
		conn_notify_closing(c, "this connection reached its maximum "
		    "age; reconnect", 1);   /* only this connection ends */
		conn_close_after_flush(c, "retired: connection_max_age or "
		    "frame limit reached (the client reconnects)");
		return;
	}
	if (conn_retire_forced(c))
		ev_io_stop(loop, &c->rio);
	c->timer.repeat = 0.25;
	ev_timer_again(loop, &c->timer);
}

/*
 * One timer per connection, re-armed lazily (libev "be smart about
 * timeouts", method 3): activity only updates last_activity; when the timer
 * fires it either closes or re-arms for the remaining time.
 */
static void
conn_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct conn      *c = w->data;
	const struct srv_config *cfg = c->table->cfg;
	ev_tstamp         now = ev_now(loop), deadline;

	switch (c->state) {
	case CONN_HANDSHAKE:
		deadline = c->accepted_at + cfg->handshake_timeout;
		break;
	case CONN_CLOSING:
		deadline = c->last_activity + cfg->handshake_timeout;
		break;
	default:
		if (c->retiring != 0 || now >= c->accepted_at +
		    cfg->connection_max_age) {
			conn_retire_tick(c, now);
			return;
		}
		deadline = c->accepted_at + cfg->connection_max_age;
		if (c->last_activity + cfg->idle_timeout < deadline)
			deadline = c->last_activity + cfg->idle_timeout;
		if (c->partial_since != 0 && c->sess.user_id == 0 &&
		    c->partial_since + cfg->handshake_timeout < deadline)
			deadline = c->partial_since + cfg->handshake_timeout;
		if (conn_login_deadline(c, now) < deadline)
			deadline = conn_login_deadline(c, now);
		break;
	}
	if (deadline <= now) {
		if (c->state == CONN_READY && c->partial_since != 0 &&
		    c->sess.user_id == 0 &&
		    c->partial_since + cfg->handshake_timeout <= now)
			conn_fail(c, "frame not completed within %d s of its "
			    "first byte (before login)", cfg->handshake_timeout);
		else if (c->state == CONN_READY &&
		    conn_login_deadline(c, now) <= now)
			conn_fail(c, "not logged in within %d s",
			    cfg->login_timeout);
		else if (c->state == CONN_HANDSHAKE)
			conn_fail(c, "no handshake within %d s",
			    cfg->handshake_timeout);
		else if (c->state == CONN_CLOSING)
			conn_fail(c, "%s (answer not read within %d s)",
			    c->reason, cfg->handshake_timeout);
		else
			conn_fail(c, "idle for %d s", cfg->idle_timeout);
		return;
	}
	w->repeat = deadline - now;
	ev_timer_again(loop, w);
}

_Static_assert(CONN_WHERE_MAX >= CONN_ADDR_MAX +
    sizeof ((struct conn *)0)->terminal + sizeof " terminal ",
    "CONN_WHERE_MAX holds an address and a terminal");

const char *
conn_where(const struct conn *c, char *buf, size_t cap)
{
	if (c->terminal[0] == '\0')
		return c->addr;
	snprintf(buf, cap, "%s terminal %s", c->addr, c->terminal);
	return buf;
}

void
conn_session_set(struct conn *c, const struct conn_session *s)
{
	free(c->sess.user);
	c->sess = *s;
	c->sess.user = s->user ? strdup(s->user) : NULL;
	c->max_frame = HR_FRAME_MAX;
}

void
conn_session_clear(struct conn *c)
{
	struct ev_loop *loop = c->table->loop;
	int             was_in = c->sess.user_id != 0;

	free(c->sess.user);
	memset(&c->sess, 0, sizeof c->sess);
	c->max_frame = CONN_FRAME_MAX_ANON;
	if (!was_in || c->state != CONN_READY)
		return;
	/* Logged out: anonymous again, so login_timeout applies anew. */
	c->anon_since = ev_now(loop);
	if (ev_timer_remaining(loop, &c->timer) >
	    c->table->cfg->login_timeout) {
		c->timer.repeat = c->table->cfg->login_timeout;
		ev_timer_again(loop, &c->timer);
	}
}
