/*
 * server.h — the server as a whole: struct srv, the state every part of
 * the server reaches through -- listening sockets, the table of
 * connections, the shared database, the group commit, the limits.  It
 * declares no functions: its life (init, listen, run, shut down, free) is
 * srvd/loop.h, which alone calls into the parts, so the parts can include
 * this header without a circle.
 *
 * One event loop thread does everything except Argon2id (srvd/auth.c),
 * the read requests of logged-in users (srvd/query.c, threads of their
 * own) and the group commit's COMMIT (srvd/commit.c, a thread of its own).
 * The pieces hang off struct srv, which main.c builds and tears down:
 *
 *   listeners --accept--> conn (conn.c) --frames--> dispatch.c --> method_*.c
 *                                                       |
 *                 commit.c (group commit, thread) <-----+----> auth.c (threads)
 *                                                       +----> query.c (threads)
 *
 * The connections know nothing of the rest: loop.c installs the hooks
 * through which they hand over their frames (srv_dispatch), a channel
 * come up (keyring_conn_ready) and their closing (limits.h) in the
 * connection table, srv->conns (conn.h).
 *
 * SQLite connections to the one database: the WRITER (write requests, on
 * the loop, inside the group commit's batch; COMMIT on the commit thread
 * -- commit.h says who may touch it when), the READER (reads on the loop:
 * ping, and every read when there are no query threads), one read-only
 * connection per query thread, and the commit thread's own checkpointer.
 *
 * Circle kept on purpose: struct srv holds the connection table (conn.h),
 * and conn.h, session and request_audit reach one another's types (a
 * connection's struct conn_session, a session's audit records kept in
 * struct srv): types, not calls; the include lines that close it say so
 * (circle:).
 */
#ifndef SRV_SERVER_H
#define SRV_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include <ev.h>

#include "db/db.h"
#include "db/throttle.h"
#include "proto/handshake.h"
#include "srvd/auth.h"
#include "srvd/commit.h"
#include "srvd/conf.h"
#include "srvd/conn.h"
#include "srvd/limits.h"

struct conn;
struct srv_hashed;
struct srv_uploads;
struct batch_job;

struct srv_listener {
	int   fd;
	ev_io io;
	char  name[80];          /* "127.0.0.1:7350", for the log */
	struct srv *srv;
};

#define SRV_MAX_LISTENERS 8
#define SRV_STOP_GRACE    5.0      /* seconds to finish work on SIGTERM */
#define SRV_AUDIT_ANCHOR  3600.0   /* seconds between audit heads in the log */
#define SRV_SWEEP         5.0      /* seconds between limits_sweep */

struct srv {
	struct ev_loop        *loop;
	const struct srv_config *cfg;
	struct hr_db          *writer;        /* see above and commit.h */
	struct hr_db          *reader;        /* read-only requests */
	struct hr_server_keys  keys;          /* in use (keyring.h) */
	const char            *key_file;      /* their secrets (db/keyfile.h) */
	ev_timer               key_reload;
	int                    key_reload_failing; /* said once (keyring.c) */
	struct srv_auth       *auth;
	struct srv_query      *query;         /* reads off the loop (query.h) */
	struct srv_pool       *prehash;       /* chunks' hashes (prehash.h) */
	uint64_t               prehashed;     /* ... so many, for the log */
	uint64_t               prewritten;    /* ... written into a spare too */
	size_t                 prehash_waited;/* connections waiting for one */
	void                 (*prehash_run)(struct conn *c, uint8_t **msg,
	                           size_t len, struct srv_hashed *h);
	void                 (*echo_run)(struct srv *srv, struct conn *c,
	                           uint32_t msgid, const uint8_t *data,
	                           size_t len, int64_t id);
	                                      /* a save's echo after its COMMIT
	                                         (query_echo, app_echo.h) */
	struct srv_readaudit  *readaudit;     /* their audit (readaudit.h) */
	struct srv_notices    *notices;       /* notify_command (notices.h) */
	struct srv_uploads    *uploads;       /* scans: store, limits (upload.h) */
	struct srv_commit      commit;
	struct batch_job      *batches;       /* application.batch in slices */

	struct srv_listener    listeners[SRV_MAX_LISTENERS];
	size_t                 nlisteners;
	int                    spare_fd;      /* given up to shed a peer at EMFILE */
	ev_tstamp              last_shed_log;
	struct srv_limits     *limits;        /* per source and user (limits.h) */
	struct db_throttle_policy throttle;   /* from the configuration */
	ev_timer               sweep;         /* limits_sweep every few seconds */
	struct srv_unknown_names *unknown;    /* unknown_names.h */
	ev_timer               unknown_flush;
	uint64_t               refused_rate, refused_conns, evicted;

	struct conn_table      conns;         /* the connections (conn.h) */

	ev_prepare             housekeeping;  /* reap, shutdown progress */
	ev_timer               audit_anchor;  /* log the audit head hourly */
	ev_signal              sig_term, sig_int, sig_hup;
	ev_timer               stop_timer;
	int                    stopping;
	int                    exit_code;
};

#endif
