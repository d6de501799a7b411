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
 *   READY --connection_max_age or CONN_FRAMES_MAX frames--> retiring: no
 *       more reading; once idle, `closing` {reconnect: true}, CLOSING
 *
 * A connection lives at most connection_max_age, and carries at most
 * CONN_FRAMES_MAX frames each way: a channel's keys are not used for ever,
 * and a client gets fresh ones by reconnecting (and resuming its session
 * with its ticket).  There is no rekeying inside a connection.
 *
 * Backpressure: reading stops while more than CONN_OUT_HIGH bytes wait to be
 * sent and resumes below CONN_OUT_LOW; a peer whose pending output would pass
 * CONN_OUT_MAX is dropped.  The write watcher runs only while output waits.
 *
 * Reading ahead: while a logged-in connection waits (conn_wait: its request
 * waits for the writer, a query thread, ...) it goes on reading and
 * decrypting the frames that follow, up to CONN_AHEAD_MAX of them or
 * CONN_AHEAD_BYTES, and keeps them; conn_resume hands them to the owner in
 * the order they came before it reads on.  So requests still run one after
 * another in order, but the loop decrypts them while it would otherwise
 * wait (a group commit in flight), and a pipelining client's next requests
 * join the next batch at once instead of one a commit.  The owner may
 * start work on a request read ahead at once (hooks.ahead: a scan's chunk
 * hashed and written on a thread, prehash.h); it is still handed over in
 * its turn (hooks.staged), by then mostly done.
 *
 * Lifetime: conn_fail() closes the socket and stops the watchers at once but
 * frees the struct only later (conn_table_reap, once per loop iteration), so
 * a caller up the stack never touches freed memory.  Anything that outlives
 * a callback (auth jobs, held replies) refers to a connection by `id` and
 * looks it up with conn_table_find(), which returns NULL once it is closed.
 *
 * Like redis' ae.c, this layer knows nothing of its users: the connections
 * live in a table (struct conn_table) whose owner, the server (server.h),
 * installs what happens to them -- a frame to answer (dispatch.c), a
 * channel come up (keyring.c), a connection closed (limits.h) -- as the
 * table's hooks.  conn.c includes none of the modules above it; `srv` in
 * each connection is the owner's, for them.
 *
 * Circle kept on purpose: this header includes session.h for struct
 * conn_session alone (a type: the session a connection carries), which
 * closes a circle of types with session and request_audit; the include
 * line says so (circle:).
 */
#ifndef SRV_CONN_H
#define SRV_CONN_H

#include <stddef.h>
#include <stdint.h>

#include <ev.h>
#include <msgpack.h>
#include <sys/socket.h>

#include "db/throttle.h"
#include "proto/buf.h"
#include "proto/channel.h"
#include "proto/error.h"
#include "srvd/session.h"  /* circle: struct conn_session only (what a
                              connection carries); conn.c calls nothing of
                              session.c, which calls conn_session_set */

struct hr_server_keys;
struct srv;
struct srv_config;

#define CONN_OUT_MAX          (4u * 1024u * 1024u)
#define CONN_OUT_HIGH         (1024u * 1024u)
#define CONN_OUT_LOW          (256u * 1024u)
#define CONN_FRAME_MAX_ANON   4096u    /* before login */
#define CONN_AHEAD_MAX        8u       /* frames read ahead while waiting */
#define CONN_AHEAD_BYTES      (512u * 1024u)  /* ... while below this */
#define CONN_ADDR_MAX         64u
#define CONN_FRAMES_MAX       (UINT64_C(1) << 32)   /* each way */
#define CONN_RETIRE_IDLE      2.0     /* a retiring connection's quiet gap */
/* A connection id is (serial << CONN_SLOT_BITS) | slot. */
#define CONN_SLOT_BITS        20
#define CONN_SLOT_MASK        ((UINT64_C(1) << CONN_SLOT_BITS) - 1)

enum conn_state {
	CONN_HANDSHAKE,
	CONN_READY,
	CONN_CLOSING,     /* last answer queued; close once it is written */
	CONN_DEAD,        /* closed; waiting to be freed */
};

struct conn {
	struct conn_table  *table;         /* the one it lives in */
	struct srv         *srv;           /* the owner's (conn.c: never) */
	uint64_t            id;            /* unique for the server's life */
	int                 fd;
	enum conn_state     state;
	char                addr[CONN_ADDR_MAX];   /* IP: throttling, audit */
	char                peer[CONN_ADDR_MAX];   /* "IP:port" or "[IP]:port": logs */
	char                source[DB_SOURCE_MAX]; /* IPv4 or IPv6 /64: limits.h */
	ev_io               rio, wio;
	ev_timer            timer;
	ev_tstamp           accepted_at, last_activity;
	ev_tstamp           anon_since;    /* READY and not logged in since
	                                      (channel up, logout): login_timeout */
	ev_tstamp           partial_since; /* an incomplete frame began (0: none) */
	int                 paused;        /* reading stopped by backpressure */
	ev_tstamp           retiring;      /* when it became too old (0: not):
	                                      it closes once idle */
	unsigned            held;          /* replies held for the group commit */
	int                 waiting;       /* a request waits for the writer:
	                                      reading stopped (dispatch.c) */
	uint8_t            *ahead[CONN_AHEAD_MAX];   /* read ahead meanwhile: */
	size_t              ahead_len[CONN_AHEAD_MAX];  /* decrypted, in order */
	void               *ahead_job[CONN_AHEAD_MAX];  /* or the owner's
	                                      (hooks.ahead; ahead[i] NULL) */
	size_t              nahead, ahead_bytes;
	struct hr_buf       in, out;
	size_t              max_frame;
	struct hr_channel   ch;
	uint8_t             hs_pk[32];     /* the server key its handshake used */
	int                 have_hs_pk;    /* (keyring.h) */
	char                terminal[65];  /* terminal proven at login ("": none) */
	struct conn_session sess;
	int                 login_pending; /* an auth job is out for it */
	int                 query_out;     /* a read is on a query thread */
	int64_t             echo_app;      /* its last held reply is a save's,
	                                      whose echo follows the COMMIT
	                                      (app_echo.h): the application;
	                                      reading stopped meanwhile */
	char               *reason;        /* why it closes (CLOSING, DEAD) */
	uint64_t            requests;
	struct conn        *prev, *next;   /* table->live, or table->dead */
};

/*
 * What the table's owner does with its connections; conn.c calls these and
 * nothing else above it.  Any may be NULL.
 */
struct conn_hooks {
	/* The channel is up; `hello` is the client's first frame. */
	void (*ready)(struct conn *c, const uint8_t *hello, size_t len);
	/* One decrypted request, malloc'd: the hook may keep it (taking *msg
	 * and setting it to NULL; then it wipes and frees it), else it is
	 * wiped and freed after the call. */
	void (*frame)(struct conn *c, uint8_t **msg, size_t len);
	/* It closed (conn_fail): give back what was counted for it. */
	void (*closed)(struct conn *c);
	/* A request read ahead (may be NULL): the hook may start work on it
	 * now, taking *msg (setting it to NULL) and returning what stands
	 * for it; NULL leaves it to be handed over through `frame`. */
	void *(*ahead)(struct conn *c, uint8_t **msg, size_t len);
	/* Its turn: the request `ahead` took runs now (as `frame` would). */
	void (*staged)(struct conn *c, void *job);
	/* The connection is freed before its turn came: drop `job`. */
	void (*unstaged)(void *job);
};

/*
 * The connection table: every live connection by its id's slot and in a
 * list, and the closed ones until conn_table_reap frees them.  The owner
 * fills in loop, cfg, keys, owner and hooks after conn_table_init.
 */
struct conn_table {
	struct ev_loop              *loop;
	const struct srv_config     *cfg;     /* timeouts, max_connections */
	const struct hr_server_keys *keys;    /* for handshakes */
	struct srv                  *owner;   /* each connection's `srv` */
	struct conn_hooks            hooks;
	int                          stopping; /* conn_table_stop was called */

	struct conn                **slots;   /* live connections by slot */
	size_t                       nslots;
	uint32_t                    *free_slots; /* stack of unused slots */
	size_t                       nfree;
	size_t                       count;   /* live connections */
	uint64_t                     serial;  /* makes ids unique */
	struct conn                 *live;
	struct conn                 *dead;    /* closed, freed by the reaping */
	uint64_t                     frames;  /* requests decrypted, ... */
	uint64_t                     ahead;   /* ... of them read ahead */
};

/* Room for `max` live connections; the rest zeroed. */
int  conn_table_init(struct conn_table *t, size_t max, struct hr_error *err);

/* The live connection with this id, or NULL. */
struct conn *conn_table_find(struct conn_table *t, uint64_t id);

/* Shutdown: stop reading every connection, and never read again. */
void conn_table_stop(struct conn_table *t);

/* Free the connections closed since the last call (once per iteration). */
void conn_table_reap(struct conn_table *t);

/* Close every connection (`why`), free them and the table. */
void conn_table_free(struct conn_table *t, const char *why);

/*
 * Take over an accepted socket from `source` (counted already in the
 * server's limits: the `closed` hook releases it).  NULL (fd closed) when
 * out of memory or out of slots: the caller releases the source then.
 */
struct conn *conn_new(struct conn_table *t, int fd, const struct sockaddr *sa,
    socklen_t salen, const char *source);

/*
 * May it be closed to make room for someone logging in?  Not logged in,
 * and no login, resume or request of it is under way, and no reply of it
 * (a refused login's, say) waits for the group commit.
 */
int          conn_evictable(const struct conn *c);
/* Since when it has been without a session (for oldest-first eviction). */
ev_tstamp    conn_anonymous_since(const struct conn *c);

/*
 * Encrypt one message into the output.  Dropped silently unless READY;
 * a full output buffer closes the connection.  0 or -1 (connection closed).
 */
int  conn_send(struct conn *c, const uint8_t *msg, size_t len);

/*
 * A notification to a connection: conn_note_begin starts notification
 * `name` in n and returns the packer for its params (one map);
 * conn_note_send sends it as conn_send does and frees what n holds.
 */
struct conn_note {
	msgpack_sbuffer sb;
	msgpack_packer  pk;
};
msgpack_packer *conn_note_begin(struct conn_note *n, const char *name);
int  conn_note_send(struct conn *c, struct conn_note *n);

/* Close now with a reason (logged once; later calls are ignored). */
void conn_fail(struct conn *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Stop reading; close once the pending output is written. */
void conn_close_after_flush(struct conn *c, const char *reason);

/*
 * A request of this connection waits for the database writer (commit.h):
 * stop handing its frames over so its requests keep their order (a
 * logged-in one reads ahead, above); conn_resume hands over what was read
 * ahead, then reads on and handles the frames that arrived meanwhile.
 */
void conn_wait(struct conn *c);
void conn_resume(struct conn *c);

/*
 * Retire it (connection_max_age, CONN_FRAMES_MAX): from now on it closes
 * at its first quiet moment -- nothing of it under way, no reply held, no
 * frame for CONN_RETIRE_IDLE seconds -- after the notification `closing`
 * {reason, reconnect: true}; a client that is never quiet stops being read
 * after CONN_RETIRE_FORCE seconds and is closed when its work is done.
 */
#define CONN_RETIRE_FORCE 60.0
void conn_retire(struct conn *c, const char *why);

/* Where it acts from, for the audit: "ADDRESS" or "ADDRESS terminal NAME"
 * (in buf, or the connection's own address). */
#define CONN_WHERE_MAX 160
const char *conn_where(const struct conn *c, char *buf, size_t cap);

/*
 * The notification `closing` {reason[, reconnect: true]} (PROTOCOL.md):
 * the server shuts down, or (reconnect) this connection retires.  Sent
 * only when READY.
 */
void conn_notify_closing(struct conn *c, const char *reason, int reconnect);

/* Pending output bytes. */
size_t conn_pending_output(const struct conn *c);

/* Install / forget the logged-in user (frees the old name). */
void conn_session_set(struct conn *c, const struct conn_session *s);
void conn_session_clear(struct conn *c);

#endif
