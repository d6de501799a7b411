/*
 * client.c — one encrypted session with hromadad, without blocking.
 *
 * The caller's event loop asks for the fd (hr_client_fd) and whether to wait
 * for writability (hr_client_wants_write) and calls hr_client_io when it is
 * ready.  Inside, the connection goes CONNECTING -> HANDSHAKE -> READY:
 *
 *   - connect(2) is non-blocking; a failed address makes us try the next one
 *     getaddrinfo gave us;
 *   - the ClientHello is framed into the output buffer at once, so it leaves
 *     as soon as the socket is writable;
 *   - a request made before READY keeps its plaintext in its pending entry
 *     and is sealed (in msgid order) the moment the channel is up;
 *   - replies find their pending entry by msgid; whatever order they come in.
 *
 * Every pending request gets exactly one callback: its reply, or
 * HR_E_DISCONNECTED when the link ends first.  Callbacks may make new
 * requests or close the client, but must not free it.
 */
#include "proto/client.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "proto/buf.h"
#include "proto/channel.h"
#include "proto/frame.h"
#include "proto/method_names.h"
#include "proto/mpread.h"
#include "proto/terminal.h"
#include "proto/ticket.h"

#define CLIENT_IN_LIMIT   (HR_FRAME_MAX + HR_FRAME_HEADER)
#define CLIENT_OUT_LIMIT  (8u * (HR_FRAME_MAX + HR_FRAME_HEADER))
#define CLIENT_READ_CHUNK 16384u

/* One request waiting for its reply. */
struct pending {
	uint32_t     msgid;
	hr_reply_fn *fn;
	void        *ud;
	int          session;   /* login/resume: its result carries the ticket */
	uint8_t     *unsent;    /* plaintext until the channel is up, else NULL */
	size_t       unsent_len;
	size_t       proof_off; /* where its terminal proof goes (0: none) */
	size_t       ticket_off; /* where its ticket id and binder go (0: none) */
	char         method[HR_TRACE_METHOD_MAX + 1];  /* for the trace */
};

struct hr_client {
	int                  fd;
	unsigned             gen;       /* bumped whenever the link is reset */
	enum hr_client_state state;
	struct hr_error      err;

	struct addrinfo     *ai_list;   /* addresses still to try */
	struct addrinfo     *ai_next;

	uint8_t              server_pk[HR_PUBKEY_LEN];
	int                  have_server_pk;
	struct hr_hs_client  hs;
	struct hr_channel    ch;
	uint8_t              offered[HR_MAX_SERVER_KEYS * HR_PUBKEY_LEN];
	size_t               offered_count;

	struct hr_buf        in, out;
	uint8_t             *pt;        /* scratch for one decrypted frame */

	struct pending      *pend;
	size_t               npend, cappend;
	uint32_t             next_msgid;

	msgpack_sbuffer      req;       /* request being built (begin..send) */
	msgpack_packer       pk;
	uint32_t             req_msgid;
	int                  req_session;

	uint8_t              ticket[HR_TICKET_LEN];
	int                  have_ticket;
	uint8_t              ticket_pk[HR_PUBKEY_LEN];  /* the server key it came
	                                                  under (client_take_ticket) */
	uint8_t              ticket_pk_next[HR_PUBKEY_LEN]; /* the key that one
	                                                  announced, if any */
	int                  have_ticket_next;
	uint8_t              announced[HR_PUBKEY_LEN];  /* `server_key` on this
	                                                  connection */
	int                  have_announced;

	char                 term_name[HR_TERMINAL_NAME_MAX + 1];
	uint8_t              term_sk[HR_PUBKEY_LEN];
	int                  have_term;
	size_t               req_proof_off;  /* of the request being built */
	size_t               req_ticket_off;

	hr_notify_fn        *notify;
	void                *notify_ud;
	struct hr_client_stats stats;

	hr_trace_fn         *trace;
	void                *trace_ud;
	char                 req_method[HR_TRACE_METHOD_MAX + 1];
	size_t               in_frame;  /* wire bytes of the frame being handled */
};

static void client_drop(struct hr_client *c, const struct hr_error *why);

/* A request's plaintext may hold a password or a ticket: wipe, then free. */
static void
client_unsent_free(struct pending *p)
{
	if (p->unsent != NULL)
		sodium_memzero(p->unsent, p->unsent_len);
	free(p->unsent);
	p->unsent = NULL;
}

struct hr_client *
hr_client_new(void)
{
	struct hr_client *c = calloc(1, sizeof *c);

	if (c == NULL)
		return NULL;
	c->fd = -1;
	c->state = HR_CS_IDLE;
	c->next_msgid = 1;
	hr_buf_init(&c->in, CLIENT_IN_LIMIT);
	hr_buf_init(&c->out, CLIENT_OUT_LIMIT);
	msgpack_sbuffer_init(&c->req);
	msgpack_packer_init(&c->pk, &c->req, msgpack_sbuffer_write);
	hr_error_clear(&c->err);
	return c;
}

void
hr_client_free(struct hr_client *c)
{
	if (c == NULL)
		return;
	hr_client_close(c);
	for (size_t i = 0; i < c->npend; i++)
		client_unsent_free(&c->pend[i]);
	free(c->pend);
	hr_buf_free(&c->in);
	hr_buf_free(&c->out);
	free(c->pt);
	msgpack_sbuffer_destroy(&c->req);
	sodium_memzero(c->ticket, sizeof c->ticket);
	sodium_memzero(c->term_sk, sizeof c->term_sk);
	free(c);
}

void
hr_client_set_server_key(struct hr_client *c, const uint8_t *pk)
{
	c->have_server_pk = (pk != NULL);
	if (pk != NULL)
		memcpy(c->server_pk, pk, HR_PUBKEY_LEN);
}

void
hr_client_set_trace(struct hr_client *c, hr_trace_fn *fn, void *ud)
{
	c->trace = fn;
	c->trace_ud = ud;
}

static void
client_trace(struct hr_client *c, int out, uint32_t msgid, const char *what,
    size_t bytes)
{
	if (c->trace != NULL)
		c->trace(c->trace_ud, out, msgid, what, bytes);
}

void
hr_client_set_notify(struct hr_client *c, hr_notify_fn *fn, void *ud)
{
	c->notify = fn;
	c->notify_ud = ud;
}

int  hr_client_fd(const struct hr_client *c) { return c->fd; }
enum hr_client_state hr_client_state(const struct hr_client *c) { return c->state; }
const struct hr_error *hr_client_error(const struct hr_client *c) { return &c->err; }

int
hr_client_wants_write(const struct hr_client *c)
{
	if (c->fd < 0)
		return 0;
	return c->state == HR_CS_CONNECTING || hr_buf_used(&c->out) > 0;
}

size_t
hr_client_offered_keys(const struct hr_client *c, const uint8_t **keys)
{
	if (keys != NULL)
		*keys = c->offered;
	return c->offered_count;
}

/*
 * A ticket goes only to the server key it came from: never to a key
 * pinned after it -- one a person accepted in a dialog during this run,
 * say -- which could be an impostor's (PROTOCOL.md "resume").
 */
static int
client_ticket_usable(const struct hr_client *c)
{
	return c->have_ticket && c->have_server_pk &&
	    (sodium_memcmp(c->ticket_pk, c->server_pk, HR_PUBKEY_LEN) == 0 ||
	    (c->have_ticket_next && sodium_memcmp(c->ticket_pk_next,
	    c->server_pk, HR_PUBKEY_LEN) == 0));
}

const uint8_t *
hr_client_ticket(const struct hr_client *c)
{
	return client_ticket_usable(c) ? c->ticket : NULL;
}

void
hr_client_set_ticket(struct hr_client *c, const uint8_t ticket[HR_TICKET_LEN],
    const uint8_t server_pk[HR_PUBKEY_LEN])
{
	c->have_ticket = ticket != NULL;
	if (ticket == NULL) {
		sodium_memzero(c->ticket, sizeof c->ticket);
		return;
	}
	memcpy(c->ticket, ticket, HR_TICKET_LEN);
	memcpy(c->ticket_pk, server_pk != NULL ? server_pk : c->server_pk,
	    HR_PUBKEY_LEN);
	c->have_ticket_next = 0;
}

void
hr_client_stats(const struct hr_client *c, struct hr_client_stats *st)
{
	*st = c->stats;
}

/* ---- addresses and connecting ---- */

/*
 * Split "host:port" or "[v6]:port" into freshly allocated host and a port
 * string pointing into `addr`.
 */
static int
client_split_addr(const char *addr, char **host, const char **port,
    struct hr_error *err)
{
	const char *colon, *h = addr;
	size_t hl;

	if (addr[0] == '[') {
		const char *end = strchr(addr, ']');
		if (end == NULL || end[1] != ':')
			goto bad;
		h = addr + 1;
		hl = (size_t)(end - h);
		colon = end + 1;
	} else {
		colon = strrchr(addr, ':');
		if (colon == NULL || memchr(addr, ':', (size_t)(colon - addr)))
			goto bad;
		hl = (size_t)(colon - addr);
	}
	if (hl == 0 || colon[1] == '\0' || strspn(colon + 1, "0123456789") !=
	    strlen(colon + 1))
		goto bad;
	if ((*host = strndup(h, hl)) == NULL)
		return hr_error_set(err, HR_E_IO, "out of memory");
	*port = colon + 1;
	return 0;
bad:
	return hr_error_set(err, HR_E_USAGE,
	    "bad server address \"%s\": expected HOST:PORT or [IPv6]:PORT", addr);
}

static int
client_set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -1;
	return fcntl(fd, F_SETFD, FD_CLOEXEC);
}

/* Queue the framed ClientHello; the handshake state starts here. */
static int
client_queue_hello(struct hr_client *c, struct hr_error *err)
{
	uint8_t frame[HR_FRAME_HEADER + HR_CLIENT_HELLO_LEN];

	hr_hs_client_start(&c->hs, c->have_server_pk ? c->server_pk : NULL,
	    frame + HR_FRAME_HEADER);
	hr_frame_put_len(frame, HR_CLIENT_HELLO_LEN);
	if (hr_buf_append(&c->out, frame, sizeof frame) != 0)
		return hr_error_set(err, HR_E_IO, "out of memory");
	c->stats.frames_out++;
	client_trace(c, 1, 0, "(handshake)", sizeof frame);
	return 0;
}

/*
 * Start connecting to the next address in the list.  0 when a connect is in
 * progress (or done), -1 with err when no address is left.
 */
static int
client_try_next(struct hr_client *c, struct hr_error *err)
{
	int last_errno = ECONNREFUSED;

	while (c->ai_next != NULL) {
		struct addrinfo *ai = c->ai_next;
		int fd;

		c->ai_next = ai->ai_next;
		fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
		if (fd < 0 || client_set_nonblock(fd) != 0) {
			last_errno = errno;
			if (fd >= 0)
				close(fd);
			continue;
		}
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0 ||
		    errno == EINPROGRESS) {
			c->fd = fd;
			c->state = HR_CS_CONNECTING;
			return 0;
		}
		last_errno = errno;
		close(fd);
	}
	return hr_error_set(err, HR_E_IO, "cannot connect to the server: %s",
	    strerror(last_errno));
}

/* Forget the socket and the per-connection state; keep pending requests. */
static void
client_reset_link(struct hr_client *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->gen++;
	c->in.off = c->in.len = 0;
	c->out.off = c->out.len = 0;
	hr_channel_wipe(&c->ch);
	sodium_memzero(&c->hs, sizeof c->hs);
	c->have_announced = 0;
	if (c->ai_list != NULL)
		freeaddrinfo(c->ai_list);
	c->ai_list = c->ai_next = NULL;
}

static int
client_fail_connect(struct hr_client *c, struct hr_error *err)
{
	c->err = *err;
	client_drop(c, err);
	return -1;
}

int
hr_client_connect(struct hr_client *c, const char *addr, struct hr_error *err)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
	    .ai_flags = AI_ADDRCONFIG };
	char *host = NULL;
	const char *port = NULL;
	int rc;

	if (c->fd >= 0)
		hr_client_close(c);
	hr_error_clear(&c->err);
	c->offered_count = 0;
	if (client_split_addr(addr, &host, &port, err) != 0)
		return client_fail_connect(c, err);
	rc = getaddrinfo(host, port, &hints, &c->ai_list);
	free(host);
	if (rc != 0) {
		c->ai_list = NULL;
		hr_error_set(err, HR_E_IO, "cannot resolve %s: %s", addr,
		    gai_strerror(rc));
		return client_fail_connect(c, err);
	}
	c->ai_next = c->ai_list;
	if (client_try_next(c, err) != 0 || client_queue_hello(c, err) != 0)
		return client_fail_connect(c, err);
	return 0;
}

int
hr_client_attach_fd(struct hr_client *c, int fd, struct hr_error *err)
{
	if (c->fd >= 0)
		hr_client_close(c);
	hr_error_clear(&c->err);
	c->offered_count = 0;
	if (client_set_nonblock(fd) != 0) {
		hr_error_set(err, HR_E_IO, "cannot use descriptor %d: %s", fd,
		    strerror(errno));
		close(fd);
		return client_fail_connect(c, err);
	}
	c->fd = fd;
	c->state = HR_CS_HANDSHAKE;
	if (client_queue_hello(c, err) != 0)
		return client_fail_connect(c, err);
	return 0;
}

/* The non-blocking connect finished: move on, or try the next address. */
static int
client_connected(struct hr_client *c, struct hr_error *err)
{
	int soerr = 0;
	socklen_t sl = sizeof soerr;

	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0)
		soerr = errno;
	if (soerr == 0) {
		c->state = HR_CS_HANDSHAKE;
		return 0;
	}
	close(c->fd);
	c->fd = -1;
	if (client_try_next(c, err) == 0)
		return 0;
	return hr_error_set(err, HR_E_IO, "cannot connect to the server: %s",
	    strerror(soerr));
}

/* ---- pending requests ---- */

static struct pending *
client_pending_add(struct hr_client *c)
{
	if (c->npend == c->cappend) {
		size_t ncap = c->cappend ? c->cappend * 2 : 8;
		struct pending *np = realloc(c->pend, ncap * sizeof *np);
		if (np == NULL)
			return NULL;
		c->pend = np;
		c->cappend = ncap;
	}
	memset(&c->pend[c->npend], 0, sizeof c->pend[0]);
	return &c->pend[c->npend++];
}

/* Remove entry i (order kept: unsent requests must go out in msgid order). */
static struct pending
client_pending_take(struct hr_client *c, size_t i)
{
	struct pending p = c->pend[i];

	memmove(&c->pend[i], &c->pend[i + 1], (c->npend - i - 1) * sizeof p);
	c->npend--;
	return p;
}

/* Seal one plaintext (request p's) into the output buffer as a frame. */
static int
client_seal(struct hr_client *c, const struct pending *p, const uint8_t *pt,
    size_t len)
{
	size_t flen = HR_FRAME_HEADER + len + HR_TAG_LEN;
	uint8_t *dst;

	if (len + HR_TAG_LEN > HR_FRAME_MAX || (dst = hr_buf_reserve(&c->out, flen)) == NULL)
		return -1;
	if ((flen = hr_channel_seal(&c->ch, pt, len, dst)) == 0)
		return -1;               /* the counter is used up */
	hr_buf_commit(&c->out, flen);
	c->stats.frames_out++;
	client_trace(c, 1, p->msgid, p->method, flen);
	return 0;
}

/*
 * Write what depends on this connection's handshake into a request's
 * plaintext, now that the transcript is known: the terminal proof at
 * p->proof_off, the ticket's id and binder at p->ticket_off (the id
 * first, then the binder HR_TICKET_BINDER_LEN bytes on, as
 * hr_client_pack_resume laid them out).  A key that gives no proof, or a
 * ticket the pinned key may not have, leaves the zero bytes, which the
 * server refuses.
 */
#define CLIENT_BINDER_GAP (1u + 6u + 2u)    /* str "binder", bin8 header */

static void
client_fill_proof(struct hr_client *c, uint8_t *pt, const struct pending *p)
{
	/* The key this connection's handshake used (the pinned one may
	 * have changed since: an announced rotation). */
	if (p->proof_off != 0 && c->have_term && c->hs.have_server_pk)
		(void)hr_terminal_proof(c->term_sk, c->hs.server_pk, c->term_sk,
		    c->ch.server_eph_pk, c->ch.transcript, pt + p->proof_off);
	if (p->ticket_off != 0 && client_ticket_usable(c)) {
		hr_ticket_id(c->ticket, pt + p->ticket_off);
		hr_ticket_binder(c->ticket, c->ch.transcript, pt +
		    p->ticket_off + HR_TICKET_ID_LEN + CLIENT_BINDER_GAP);
	}
}

/* The channel is up: seal every request that was waiting for it. */
static int
client_flush_unsent(struct hr_client *c, struct hr_error *err)
{
	for (size_t i = 0; i < c->npend; i++) {
		struct pending *p = &c->pend[i];
		if (p->unsent == NULL)
			continue;
		client_fill_proof(c, p->unsent, p);
		if (client_seal(c, p, p->unsent, p->unsent_len) != 0)
			return hr_error_set(err, HR_E_IO,
			    "output buffer full (%zu bytes queued)", hr_buf_used(&c->out));
		client_unsent_free(p);
	}
	return 0;
}

/*
 * Fail every pending request with HR_E_DISCONNECTED.  The list is detached
 * first, so callbacks that make new requests add to a fresh list.
 */
static void
client_fail_pending(struct hr_client *c, const struct hr_error *why)
{
	struct pending *list = c->pend;
	size_t n = c->npend;
	struct hr_error e;

	c->pend = NULL;
	c->npend = c->cappend = 0;
	hr_error_set(&e, HR_E_DISCONNECTED, "connection closed%s%s",
	    why && why->msg[0] ? ": " : "", why ? why->msg : "");
	for (size_t i = 0; i < n; i++) {
		client_unsent_free(&list[i]);
		if (list[i].fn != NULL)
			list[i].fn(list[i].ud, NULL, &e);
	}
	free(list);
}

/* End the connection: state CLOSED, callbacks failed. */
static void
client_drop(struct hr_client *c, const struct hr_error *why)
{
	client_reset_link(c);
	c->state = HR_CS_CLOSED;
	client_fail_pending(c, why);
}

void
hr_client_close(struct hr_client *c)
{
	struct hr_error e;

	if (c->fd < 0 && c->state != HR_CS_CONNECTING && c->npend == 0)
		return;
	hr_error_set(&e, HR_E_DISCONNECTED, "closed by the client");
	if (c->err.code == HR_OK)
		c->err = e;
	client_drop(c, &e);
}

/* ---- building requests ---- */

msgpack_packer *
hr_client_begin(struct hr_client *c, const char *method)
{
	msgpack_sbuffer_clear(&c->req);
	c->req_msgid = c->next_msgid++;
	if (c->next_msgid == 0)
		c->next_msgid = 1;
	snprintf(c->req_method, sizeof c->req_method, "%s", method);
	c->req_session = strcmp(method, HR_M_LOGIN) == 0 ||
	    strcmp(method, HR_M_RESUME) == 0;
	c->req_proof_off = 0;
	c->req_ticket_off = 0;
	hr_rpc_pack_request(&c->pk, c->req_msgid, method);
	return &c->pk;
}

uint8_t *
hr_client_reserve(struct hr_client *c, size_t len)
{
	msgpack_sbuffer *sb = &c->req;
	uint8_t *at;

	if (len > HR_FRAME_MAX || sb->size > HR_FRAME_MAX)
		return NULL;                /* client_queue refuses it anyway */
	if (sb->alloc - sb->size < len) {
		size_t cap = sb->alloc > 0 ? sb->alloc : MSGPACK_SBUFFER_INIT_SIZE;
		char *d;

		while (cap - sb->size < len)
			cap *= 2;
		if ((d = realloc(sb->data, cap)) == NULL)
			return NULL;
		sb->data = d;
		sb->alloc = cap;
	}
	at = (uint8_t *)sb->data + sb->size;
	sb->size += len;
	return at;
}

/* Seal the request now, or keep a copy until the channel is up. */
static uint32_t
client_queue(struct hr_client *c, hr_reply_fn *fn, void *ud)
{
	struct pending *p;

	if (c->req.size + HR_TAG_LEN > HR_FRAME_MAX || (p = client_pending_add(c)) == NULL)
		return 0;
	p->msgid = c->req_msgid;
	p->fn = fn;
	p->ud = ud;
	p->session = c->req_session;
	p->proof_off = c->req_proof_off;
	p->ticket_off = c->req_ticket_off;
	memcpy(p->method, c->req_method, sizeof p->method);
	if (c->state == HR_CS_READY)
		client_fill_proof(c, (uint8_t *)c->req.data, p);
	if (c->state == HR_CS_READY && client_seal(c, p, (uint8_t *)c->req.data,
	    c->req.size) == 0)
		return p->msgid;
	if (c->state == HR_CS_READY) {
		c->npend--;
		return 0;
	}
	if ((p->unsent = malloc(c->req.size)) == NULL) {
		c->npend--;
		return 0;
	}
	memcpy(p->unsent, c->req.data, c->req.size);
	p->unsent_len = c->req.size;
	return p->msgid;
}

/*
 * A login carries the password and a resume the ticket: once sealed or
 * copied, their plaintext must not linger in the reused request buffer.
 */
uint32_t
hr_client_send(struct hr_client *c, hr_reply_fn *fn, void *ud)
{
	uint32_t msgid = client_queue(c, fn, ud);

	if (c->req_session && c->req.data != NULL)
		sodium_memzero(c->req.data, c->req.size);
	return msgid;
}

int
hr_client_cancel(struct hr_client *c, uint32_t msgid)
{
	for (size_t i = 0; i < c->npend; i++)
		if (c->pend[i].msgid == msgid) {
			struct pending p = client_pending_take(c, i);
			client_unsent_free(&p);
			return 1;
		}
	return 0;
}

size_t
hr_client_pending(const struct hr_client *c)
{
	return c->npend;
}

/* ---- terminal keys ---- */

void
hr_client_set_terminal(struct hr_client *c, const char *name,
    const uint8_t sk[HR_PUBKEY_LEN])
{
	c->have_term = name != NULL && strlen(name) <= HR_TERMINAL_NAME_MAX;
	if (!c->have_term) {
		sodium_memzero(c->term_sk, sizeof c->term_sk);
		return;
	}
	strcpy(c->term_name, name);
	memcpy(c->term_sk, sk, HR_PUBKEY_LEN);
}

int
hr_client_terminal_fields(const struct hr_client *c)
{
	return c->have_term ? 2 : 0;
}

void
hr_client_pack_terminal(struct hr_client *c, msgpack_packer *pk)
{
	static const uint8_t zero[HR_TERMINAL_PROOF_LEN];

	if (!c->have_term)
		return;
	hr_pack_kv_str(pk, "terminal", c->term_name);
	hr_pack_str(pk, "terminal_proof");
	msgpack_pack_bin(pk, HR_TERMINAL_PROOF_LEN);
	msgpack_pack_bin_body(pk, zero, HR_TERMINAL_PROOF_LEN);
	/* Filled in when the request is sealed (client_fill_proof). */
	c->req_proof_off = c->req.size - HR_TERMINAL_PROOF_LEN;
}

/* ---- resuming with the ticket ---- */

int
hr_client_transcript(const struct hr_client *c, uint8_t out[32])
{
	if (c->state != HR_CS_READY)
		return -1;
	memcpy(out, c->ch.transcript, 32);
	return 0;
}

int
hr_client_resume_fields(const struct hr_client *c)
{
	return client_ticket_usable(c) ? 2 : 0;
}

int
hr_client_pack_resume(struct hr_client *c, msgpack_packer *pk)
{
	static const uint8_t zero[HR_TICKET_BINDER_LEN];
	size_t id_off;

	if (!client_ticket_usable(c))
		return -1;
	hr_pack_str(pk, "ticket_id");
	msgpack_pack_bin(pk, HR_TICKET_ID_LEN);
	msgpack_pack_bin_body(pk, zero, HR_TICKET_ID_LEN);
	id_off = c->req.size - HR_TICKET_ID_LEN;
	hr_pack_str(pk, "binder");
	msgpack_pack_bin(pk, HR_TICKET_BINDER_LEN);
	msgpack_pack_bin_body(pk, zero, HR_TICKET_BINDER_LEN);
	/* Both filled in when the request is sealed (client_fill_proof). */
	if (c->req.size - HR_TICKET_BINDER_LEN != id_off + HR_TICKET_ID_LEN +
	    CLIENT_BINDER_GAP)
		return -1;             /* not the layout client_fill_proof knows */
	c->req_ticket_off = id_off;
	return 0;
}

/* ---- incoming messages ---- */

/* Keep the ticket from a login/resume result map. */
static void
client_take_ticket(struct hr_client *c, const msgpack_object *result)
{
	const msgpack_object *t = hr_val_get(result, "ticket");

	if (t == NULL || t->type != MSGPACK_OBJECT_BIN ||
	    t->via.bin.size != HR_TICKET_LEN)
		return;
	memcpy(c->ticket, t->via.bin.ptr, HR_TICKET_LEN);
	c->have_ticket = 1;
	/* It came through a channel this key authenticated; a key that
	 * channel announced may have it too. */
	memcpy(c->ticket_pk, c->hs.server_pk, HR_PUBKEY_LEN);
	c->have_ticket_next = c->have_announced;
	memcpy(c->ticket_pk_next, c->announced, HR_PUBKEY_LEN);
}

static void
client_on_response(struct hr_client *c, const struct hr_msg *m)
{
	struct hr_error e;
	struct pending p;
	size_t i;

	for (i = 0; i < c->npend; i++)
		if (c->pend[i].msgid == m->msgid && c->pend[i].unsent == NULL)
			break;
	if (i == c->npend) {
		client_trace(c, 0, m->msgid, "(dropped)", c->in_frame);
		return;         /* not ours (already failed locally): ignore */
	}
	p = client_pending_take(c, i);
	client_trace(c, 0, p.msgid, p.method, c->in_frame);
	hr_error_clear(&e);
	if (m->err_code != HR_OK)
		hr_rpc_error_read(m, &e);
	else if (p.session) {
		client_take_ticket(c, &m->result);
	}
	if (p.fn != NULL)
		p.fn(p.ud, m, &e);
}

/*
 * `server_key` {key}: the server's current key, announced inside a channel
 * another of its keys authenticated (a rotation's grace period).  Kept
 * for hr_client_announced_key; a ticket this key's channel gave may go to
 * the announced key (client_ticket_usable).
 */
static void
client_on_server_key(struct hr_client *c, const msgpack_object *params)
{
	const msgpack_object *k = hr_val_get(params, "key");

	if (k == NULL || k->type != MSGPACK_OBJECT_BIN ||
	    k->via.bin.size != HR_PUBKEY_LEN)
		return;
	memcpy(c->announced, k->via.bin.ptr, HR_PUBKEY_LEN);
	c->have_announced = 1;
	if (c->have_ticket && sodium_memcmp(c->ticket_pk, c->hs.server_pk,
	    HR_PUBKEY_LEN) == 0) {
		memcpy(c->ticket_pk_next, c->announced, HR_PUBKEY_LEN);
		c->have_ticket_next = 1;
	}
}

int
hr_client_announced_key(const struct hr_client *c, uint8_t pk[HR_PUBKEY_LEN])
{
	if (!c->have_announced || c->state != HR_CS_READY)
		return 0;
	memcpy(pk, c->announced, HR_PUBKEY_LEN);
	return 1;
}

/* Decrypt and dispatch one frame body.  0, or -1 with err (session over). */
static int
client_on_frame(struct hr_client *c, const uint8_t *hdr, const uint8_t *body,
    size_t len, struct hr_error *err)
{
	msgpack_zone zone;
	struct hr_msg m;
	size_t ptlen;
	int rc;

	if (len < HR_TAG_LEN)
		return hr_error_set(err, HR_E_PROTOCOL, "frame too short (%zu bytes)", len);
	ptlen = len - HR_TAG_LEN;
	if (c->pt == NULL && (c->pt = malloc(HR_FRAME_MAX)) == NULL)
		return hr_error_set(err, HR_E_IO, "out of memory");
	if (hr_channel_open(&c->ch, hdr, body, len, c->pt, err) != 0)
		return -1;
	msgpack_zone_init(&zone, 2048);
	rc = hr_rpc_decode(c->pt, ptlen, &zone, &m, err);
	if (rc == 0 && m.type == HR_MSG_RESPONSE)
		client_on_response(c, &m);
	else if (rc == 0 && m.type == HR_MSG_NOTIFICATION) {
		client_trace(c, 0, 0, "(notification)", c->in_frame);
		if (hr_rpc_method_is(&m, HR_N_SERVER_KEY))
			client_on_server_key(c, &m.params);
		if (c->notify != NULL)
			c->notify(c->notify_ud, &m);
	}
	else if (rc == 0 && m.type == HR_MSG_REQUEST)
		rc = hr_error_set(err, HR_E_PROTOCOL, "server sent a request");
	msgpack_zone_destroy(&zone);
	sodium_memzero(c->pt, ptlen);      /* tickets, persons' data */
	return rc;
}

/* The server's handshake answer: channel up, or the session ends. */
static int
client_on_handshake(struct hr_client *c, const uint8_t *body, size_t len,
    struct hr_error *err)
{
	if (hr_hs_client_finish(&c->hs, body, len, &c->ch, err) != 0) {
		size_t n = c->hs.offered_count;
		if (n > HR_MAX_SERVER_KEYS)
			n = HR_MAX_SERVER_KEYS;
		if (err->code == HR_E_KEY_UNKNOWN || err->code == HR_E_KEY_CHANGED) {
			memcpy(c->offered, c->hs.offered, n * HR_PUBKEY_LEN);
			c->offered_count = n;
		}
		return -1;
	}
	c->state = HR_CS_READY;
	return client_flush_unsent(c, err);
}

/* Handle every whole frame in the input buffer. */
static int
client_process_input(struct hr_client *c, struct hr_error *err)
{
	unsigned gen = c->gen;

	for (;;) {
		size_t max = c->state == HR_CS_READY ? HR_FRAME_MAX : HR_SERVER_HELLO_MAX;
		size_t blen;
		uint8_t *p = hr_buf_head(&c->in);
		int rc = hr_frame_peek(p, hr_buf_used(&c->in), max, &blen, err);

		if (rc <= 0)
			return rc;
		c->stats.frames_in++;
		c->in_frame = HR_FRAME_HEADER + blen;
		if (c->state != HR_CS_READY)
			client_trace(c, 0, 0, "(handshake)", c->in_frame);
		if (c->state == HR_CS_READY)
			rc = client_on_frame(c, p, p + HR_FRAME_HEADER, blen, err);
		else
			rc = client_on_handshake(c, p + HR_FRAME_HEADER, blen, err);
		if (rc != 0)
			return -1;
		if (c->gen != gen)      /* a callback closed (or reconnected) us */
			return 0;
		hr_buf_consume(&c->in, HR_FRAME_HEADER + blen);
	}
}

static int
client_read(struct hr_client *c, struct hr_error *err)
{
	unsigned gen = c->gen;

	for (;;) {
		size_t room = c->in.limit - hr_buf_used(&c->in);
		size_t want = room < CLIENT_READ_CHUNK ? room : CLIENT_READ_CHUNK;
		uint8_t *dst;
		ssize_t n;

		if (want == 0 || (dst = hr_buf_reserve(&c->in, want)) == NULL)
			return hr_error_set(err, HR_E_PROTOCOL, "input buffer overflow");
		n = read(c->fd, dst, want);
		if (n > 0) {
			hr_buf_commit(&c->in, (size_t)n);
			c->stats.bytes_in += (uint64_t)n;
			if (client_process_input(c, err) != 0)
				return -1;
			if (c->gen != gen)
				return 0;
			continue;
		}
		if (n == 0)
			return hr_error_set(err, HR_E_DISCONNECTED,
			    "the server closed the connection");
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		if (errno != EINTR)
			return hr_error_set(err, HR_E_DISCONNECTED, "read: %s",
			    strerror(errno));
	}
}

static int
client_write(struct hr_client *c, struct hr_error *err)
{
	while (hr_buf_used(&c->out) > 0) {
		ssize_t n = send(c->fd, hr_buf_head(&c->out), hr_buf_used(&c->out),
		    MSG_NOSIGNAL);
		if (n > 0) {
			hr_buf_consume(&c->out, (size_t)n);
			c->stats.bytes_out += (uint64_t)n;
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n < 0 && errno == EINTR)
			continue;
		return hr_error_set(err, HR_E_DISCONNECTED, "write: %s",
		    n < 0 ? strerror(errno) : "no progress");
	}
	return 0;
}

int
hr_client_io(struct hr_client *c, int readable, int writable, struct hr_error *err)
{
	struct hr_error local;
	unsigned gen = c->gen;

	if (err == NULL)
		err = &local;
	hr_error_clear(err);
	if (c->fd < 0)
		return 0;
	if (c->state == HR_CS_CONNECTING && (writable || readable) &&
	    client_connected(c, err) != 0)
		goto fail;
	if (c->state == HR_CS_CONNECTING)
		return 0;
	if (writable && client_write(c, err) != 0)
		goto fail;
	if (readable && client_read(c, err) != 0)
		goto fail;
	/* Callbacks may have queued more; try to send it right away. */
	if (c->gen == gen && hr_buf_used(&c->out) > 0 && client_write(c, err) != 0)
		goto fail;
	return 0;
fail:
	c->err = *err;
	client_drop(c, err);
	return -1;
}

/* ---- blocking helpers for tests and tools ---- */

static long
client_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* One poll + io round; -1 with err when the link ended or time ran out. */
static int
client_step(struct hr_client *c, long deadline, struct hr_error *err)
{
	struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
	long left = deadline - client_now_ms();
	int n;

	if (c->fd < 0)
		return hr_error_set(err, c->err.code ? c->err.code : HR_E_DISCONNECTED,
		    "%s", c->err.msg[0] ? c->err.msg : "not connected");
	if (left <= 0)
		return hr_error_set(err, HR_E_TIMEOUT, "no answer from the server in time");
	if (hr_client_wants_write(c))
		pfd.events |= POLLOUT;
	n = poll(&pfd, 1, (int)left);
	if (n < 0 && errno != EINTR)
		return hr_error_set(err, HR_E_IO, "poll: %s", strerror(errno));
	if (n <= 0)
		return 0;
	return hr_client_io(c, (pfd.revents & (POLLIN | POLLHUP | POLLERR)) != 0,
	    (pfd.revents & (POLLOUT | POLLERR)) != 0, err);
}

static int
client_has_pending(const struct hr_client *c, uint32_t msgid)
{
	for (size_t i = 0; i < c->npend; i++)
		if (c->pend[i].msgid == msgid)
			return 1;
	return 0;
}

int
hr_client_wait(struct hr_client *c, uint32_t msgid, int timeout_ms,
    struct hr_error *err)
{
	long deadline = client_now_ms() + timeout_ms;

	hr_error_clear(err);
	while (client_has_pending(c, msgid))
		if (client_step(c, deadline, err) != 0)
			return client_has_pending(c, msgid) ? -1 : 0;
	return 0;
}

int
hr_client_wait_ready(struct hr_client *c, int timeout_ms, struct hr_error *err)
{
	long deadline = client_now_ms() + timeout_ms;

	hr_error_clear(err);
	while (c->state != HR_CS_READY)
		if (client_step(c, deadline, err) != 0)
			return -1;
	return 0;
}
