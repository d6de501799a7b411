/*
 * conn.h — one client connection: its buffers, its state, its lifetime.
 *
 * Like redis' networking.c, this module owns everything about a peer that is
 * not the meaning of its requests: reading frames, the handshake, the
 * encrypted channel, output buffering with backpressure, timeouts, and
 * closing with exactly one logged reason.
 *
 *   HANDSHAKE --hello ok--> READY --fatal / idle / no login / shutdown--> (dead)
 *       \--key offer/reject--> CLOSING (flush the answer, then close)
 *
 * Backpressure: reading stops while more than CONN_OUT_HIGH bytes wait to be
 * sent and resumes below CONN_OUT_LOW; a peer whose pending output would pass
 * CONN_OUT_MAX is dropped.  The write watcher runs only while output waits.
 *
 * Lifetime: conn_fail() closes the socket and stops the watchers at once but
 * frees the struct only later (server_reap, once per loop iteration), so a
 * caller up the stack never touches freed memory.  Anything that outlives a
 * callback (auth jobs, held replies) refers to a connection by `id` and looks
 * it up with conn_find(), which returns NULL once it is closed.
 */
#ifndef SRV_CONN_H
#define SRV_CONN_H

#include <stddef.h>
#include <stdint.h>

#include <ev.h>
#include <sys/socket.h>

#include "proto/buf.h"
#include "proto/channel.h"
#include "proto/error.h"
#include "srvd/session.h"

struct srv;

#define CONN_OUT_MAX          (4u * 1024u * 1024u)
#define CONN_OUT_HIGH         (1024u * 1024u)
#define CONN_OUT_LOW          (256u * 1024u)
#define CONN_FRAME_MAX_ANON   4096u    /* before login */
#define CONN_ADDR_MAX         64u

enum conn_state {
	CONN_HANDSHAKE,
	CONN_READY,
	CONN_CLOSING,     /* last answer queued; close once it is written */
	CONN_DEAD,        /* closed; waiting to be freed */
};

struct conn {
	struct srv         *srv;
	uint64_t            id;            /* unique for the server's life */
	int                 fd;
	enum conn_state     state;
	char                addr[CONN_ADDR_MAX];   /* IP: throttling, audit */
	char                peer[CONN_ADDR_MAX];   /* "IP:port" or "[IP]:port": logs */
	ev_io               rio, wio;
	ev_timer            timer;
	ev_tstamp           accepted_at, last_activity;
	ev_tstamp           anon_since;    /* READY and not logged in since
	                                      (channel up, logout): login_timeout */
	ev_tstamp           partial_since; /* an incomplete frame began (0: none) */
	int                 paused;        /* reading stopped by backpressure */
	int                 waiting;       /* a request waits for the writer:
	                                      reading stopped (dispatch.c) */
	struct hr_buf       in, out;
	size_t              max_frame;
	struct hr_channel   ch;
	int                 hs_key;        /* index in srv->keys the handshake used */
	char                terminal[65];  /* terminal proven at login ("": none) */
	struct conn_session sess;
	int                 login_pending; /* an auth job is out for it */
	int                 query_out;     /* a read is on a query thread */
	char               *reason;        /* why it closes (CLOSING, DEAD) */
	uint64_t            requests;
	struct conn        *prev, *next;   /* srv->conns, or srv->dead */
};

/* Take over an accepted socket.  NULL (fd closed) when out of memory. */
struct conn *conn_new(struct srv *srv, int fd, const struct sockaddr *sa,
    socklen_t salen);
void         conn_free(struct conn *c);

/* The live connection with this id, or NULL. */
struct conn *conn_find(struct srv *srv, uint64_t id);

/*
 * Encrypt one message into the output.  Dropped silently unless READY;
 * a full output buffer closes the connection.  0 or -1 (connection closed).
 */
int  conn_send(struct conn *c, const uint8_t *msg, size_t len);

/* Close now with a reason (logged once; later calls are ignored). */
void conn_fail(struct conn *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Stop reading; close once the pending output is written. */
void conn_close_after_flush(struct conn *c, const char *reason);

/*
 * A request of this connection waits for the database writer (commit.h):
 * stop reading and processing its frames so its requests keep their order;
 * conn_resume reads on and handles the frames that arrived meanwhile.
 */
void conn_wait(struct conn *c);
void conn_resume(struct conn *c);

/* Pending output bytes. */
size_t conn_pending_output(const struct conn *c);

/* Install / forget the logged-in user (frees the old name). */
void conn_session_set(struct conn *c, const struct conn_session *s);
void conn_session_clear(struct conn *c);

#endif
