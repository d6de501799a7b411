/*
 * loop.c — the server's life around its event loop: listening sockets,
 * accepting, the connection table's hooks, signals and the shutdown
 * sequence (see loop.h; the state it builds is struct srv, server.h).
 *
 * Accepting never spins: at EMFILE/ENFILE the spare descriptor is given up
 * to accept and immediately close the waiting peer, then taken back (the
 * trick from libev's documentation).
 *
 * Who gets a slot (limits.h): a new peer whose source has no token left
 * in its bucket, or holds max_connections_per_source already, is accepted
 * and closed at once (it fails fast instead of waiting in the backlog).
 * When all max_connections slots are taken, the connection that has gone
 * longest without logging in -- none of its logins or requests under way
 * -- is closed to make room ("evicted"), so that one host holding every
 * slot with handshakes it never uses cannot keep an office out; only when
 * every slot is logged in or logging in is the newcomer refused.  Each of
 * these is logged at most once per second, with counts.
 *
 * Shutdown (SIGTERM/SIGINT): close the listeners, stop reading requests,
 * tell every client with a channel `closing`, then let the loop run until
 * the logins being verified are answered, the group commit is idle -- the
 * commit in flight done, the write requests deferred behind it run and
 * committed, every held reply released -- and every output buffer is
 * written; or SRV_STOP_GRACE passes.  No connection is closed while the
 * group commit is busy: one of its replies may still be for it.
 */
#include "config.h"           /* _GNU_SOURCE: accept4 */

#include "srvd/loop.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "db/audit.h"
#include "srvd/batch.h"
#include "srvd/conn.h"
#include "srvd/dispatch.h"
#include "srvd/keyring.h"
#include "srvd/log.h"
#include "srvd/query.h"
#include "srvd/readaudit.h"
#include "srvd/server.h"
#include "srvd/unknown_names.h"

#define ACCEPT_BURST 64
#define LISTEN_BACKLOG 511

/* The connection table's `closed` hook: its source has one less. */
static void
loop_conn_closed(struct conn *c)
{
	limits_conn_release(c->srv->limits, c->source);
}

int
loop_init(struct srv *srv, struct ev_loop *loop, const struct srv_config *cfg,
    struct hr_error *err)
{
	memset(srv, 0, sizeof *srv);
	srv->loop = loop;
	srv->cfg = cfg;
	srv->spare_fd = -1;
	if (conn_table_init(&srv->conns, (size_t)cfg->max_connections,
	    err) < 0)
		return -1;
	srv->conns.loop = loop;
	srv->conns.cfg = cfg;
	srv->conns.keys = &srv->keys;
	srv->conns.owner = srv;
	/* Read-ahead work (ahead, staged, unstaged): prehash_start. */
	srv->conns.hooks = (struct conn_hooks){ keyring_conn_ready,
	    srv_dispatch, loop_conn_closed, NULL, NULL, NULL };
	srv->spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	srv->limits = limits_new(&(struct srv_limits_conf){
	    cfg->max_connections_per_source, cfg->connect_rate_per_source,
	    cfg->connect_burst_per_source, cfg->logins_in_flight_per_source,
	    cfg->logins_in_flight_per_user });
	srv->unknown = unknown_names_new();
	if (srv->limits == NULL || srv->unknown == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	srv->throttle = (struct db_throttle_policy){ cfg->lock_window,
	    cfg->lock_after_user_source, cfg->lock_after_user,
	    cfg->lock_after_source, cfg->lock_max, cfg->lock_max_user };
	return 0;
}

/* ---- listening ---- */

/* Split "host:port" / "[v6]:port" / "*:port"; host "" means any address. */
static int
split_addr(char *spec, char **host, char **port, struct hr_error *err)
{
	char *colon;

	if (spec[0] == '[') {
		char *close = strchr(spec, ']');

		if (close == NULL || close[1] != ':')
			return hr_error_set(err, HR_E_USAGE, "listen address "
			    "'%s': expected [IPv6]:port", spec);
		*close = '\0';
		*host = spec + 1;
		*port = close + 2;
		return 0;
	}
	colon = strrchr(spec, ':');
	if (colon == NULL || strchr(spec, ':') != colon)
		return hr_error_set(err, HR_E_USAGE, "listen address '%s': "
		    "expected host:port (IPv6 in brackets: [::1]:7350)", spec);
	*colon = '\0';
	*host = strcmp(spec, "*") == 0 ? spec + 1 : spec;
	*port = colon + 1;
	return 0;
}

static void
name_sockaddr(int fd, char *out, size_t outlen)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	char host[NI_MAXHOST], port[NI_MAXSERV];

	if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0 ||
	    getnameinfo((struct sockaddr *)&ss, len, host, sizeof host, port,
	    sizeof port, NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
		snprintf(out, outlen, "?");
		return;
	}
	snprintf(out, outlen, ss.ss_family == AF_INET6 ? "[%s]:%s" : "%s:%s",
	    host, port);
}

static void accept_cb(struct ev_loop *, ev_io *, int);

static int
listen_one(struct srv *srv, const struct addrinfo *ai, const char *spec,
    struct hr_error *err)
{
	struct srv_listener *l;
	int fd, one = 1;

	if (srv->nlisteners == SRV_MAX_LISTENERS)
		return hr_error_set(err, HR_E_USAGE, "more than %d listen "
		    "addresses", SRV_MAX_LISTENERS);
	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, ai->ai_protocol);
	if (fd < 0)
		return hr_error_set(err, HR_E_IO, "cannot listen on %s: socket: "
		    "%s", spec, strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (ai->ai_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 ||
	    listen(fd, LISTEN_BACKLOG) < 0) {
		hr_error_set(err, HR_E_IO, "cannot listen on %s: %s", spec,
		    strerror(errno));
		close(fd);
		return -1;
	}
	l = &srv->listeners[srv->nlisteners++];
	l->fd = fd;
	l->srv = srv;
	name_sockaddr(fd, l->name, sizeof l->name);
	ev_io_init(&l->io, accept_cb, fd, EV_READ);
	l->io.data = l;
	return 0;
}

static int
listen_spec(struct srv *srv, char *spec, struct hr_error *err)
{
	struct addrinfo hints, *res, *ai;
	char *host = NULL, *port = NULL, orig[256];
	int   rc;

	snprintf(orig, sizeof orig, "%s", spec);
	if (split_addr(spec, &host, &port, err) < 0)
		return -1;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((rc = getaddrinfo(*host ? host : NULL, port, &hints, &res)) != 0)
		return hr_error_set(err, HR_E_USAGE, "listen address '%s': %s",
		    orig, gai_strerror(rc));
	rc = 0;
	for (ai = res; ai != NULL && rc == 0; ai = ai->ai_next)
		rc = listen_one(srv, ai, orig, err);
	freeaddrinfo(res);
	return rc;
}

int
loop_listen(struct srv *srv, struct hr_error *err)
{
	char *list = strdup(srv->cfg->listen), *save = NULL, *spec;
	int   rc = 0;

	if (list == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	for (spec = strtok_r(list, ", \t", &save); spec != NULL && rc == 0;
	    spec = strtok_r(NULL, ", \t", &save))
		rc = listen_spec(srv, spec, err);
	free(list);
	if (rc == 0 && srv->nlisteners == 0)
		rc = hr_error_set(err, HR_E_USAGE, "no listen address");
	return rc;
}

/* ---- accepting ---- */

static int
shed_log_due(struct srv *srv)
{
	ev_tstamp now = ev_now(srv->loop);

	if (now - srv->last_shed_log < 1.0)
		return 0;
	srv->last_shed_log = now;
	return 1;
}

/* Out of descriptors: free the spare, accept and drop one peer, re-take it. */
static void
accept_shed(struct srv *srv, int lfd)
{
	int fd;

	if (shed_log_due(srv))
		log_warning("out of file descriptors (%s) with %zu connections: "
		    "dropping new ones; raise the limit (ulimit -n, "
		    "LimitNOFILE=) or lower max_connections", strerror(errno),
		    srv->conns.count);
	if (srv->spare_fd < 0)
		return;
	close(srv->spare_fd);
	fd = accept(lfd, NULL, NULL);
	if (fd >= 0)
		close(fd);
	srv->spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
}

/*
 * All slots are taken: close the connection that has been without a
 * session longest and has nothing under way.  0 when one made room.
 */
static int
accept_evict(struct srv *srv)
{
	struct conn *c, *victim = NULL;

	for (c = srv->conns.live; c != NULL; c = c->next)
		if (conn_evictable(c) && (victim == NULL ||
		    conn_anonymous_since(c) < conn_anonymous_since(victim)))
			victim = c;
	if (victim == NULL)
		return -1;
	srv->evicted++;
	conn_fail(victim, "evicted: all %d connection slots were taken and "
	    "it was the oldest not logged in", srv->cfg->max_connections);
	return 0;
}

/* The source (db_throttle_source) of an accepted peer. */
static void
accept_source(const struct sockaddr_storage *ss, socklen_t len,
    char out[DB_SOURCE_MAX])
{
	char host[NI_MAXHOST];

	if (getnameinfo((const struct sockaddr *)ss, len, host, sizeof host,
	    NULL, 0, NI_NUMERICHOST) != 0)
		snprintf(host, sizeof host, "?");
	db_throttle_source(host, out);
}

/* May a new peer from `source` have a slot?  0 yes (counted). */
static int
accept_admit(struct srv *srv, const char *source)
{
	const struct srv_config *cfg = srv->cfg;
	enum limits_verdict v;

	v = limits_conn_admit(srv->limits, source, ev_now(srv->loop));
	if (v != LIMITS_OK) {
		if (v == LIMITS_RATE)
			srv->refused_rate++;
		else
			srv->refused_conns++;
		if (shed_log_due(srv))
			log_warning("refusing connections from %s: %s "
			    "(refused so far: %llu over the rate, %llu over "
			    "the number)", source, v == LIMITS_RATE ?
			    "more new connections than connect_rate_per_source "
			    "allows" : v == LIMITS_CONNS ? "it holds "
			    "max_connections_per_source already" :
			    "out of memory", (unsigned long long)srv->refused_rate,
			    (unsigned long long)srv->refused_conns);
		return -1;
	}
	if (srv->conns.count < (size_t)cfg->max_connections ||
	    accept_evict(srv) == 0)
		return 0;
	limits_conn_release(srv->limits, source);
	if (shed_log_due(srv))
		log_warning("max_connections (%d) reached, every one logged in "
		    "or logging in: refusing new connections",
		    cfg->max_connections);
	return -1;
}

static void
accept_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct srv_listener    *l = w->data;
	struct srv             *srv = l->srv;
	struct sockaddr_storage ss;
	socklen_t               len;
	char                    source[DB_SOURCE_MAX];
	int                     fd;

	for (int i = 0; i < ACCEPT_BURST; i++) {
		len = sizeof ss;
		fd = accept4(l->fd, (struct sockaddr *)&ss, &len,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno == EMFILE || errno == ENFILE)
				accept_shed(srv, l->fd);
			else if (errno != EAGAIN && errno != EWOULDBLOCK)
				log_warning("accept on %s: %s", l->name,
				    strerror(errno));
			return;
		}
		accept_source(&ss, len, source);
		if (accept_admit(srv, source) < 0) {
			close(fd);
			continue;
		}
		if (conn_new(&srv->conns, fd, (struct sockaddr *)&ss, len,
		    source) == NULL)
			limits_conn_release(srv->limits, source);
	}
}

/* ---- signals, housekeeping, shutdown ---- */

static void
loop_close_listeners(struct srv *srv)
{
	for (size_t i = 0; i < srv->nlisteners; i++) {
		ev_io_stop(srv->loop, &srv->listeners[i].io);
		close(srv->listeners[i].fd);
	}
	srv->nlisteners = 0;
}

static void
stop_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct srv *srv = w->data;

	log_warning("shutdown: %.0f s passed with %zu connections and %zu "
	    "logins still busy; stopping anyway", SRV_STOP_GRACE,
	    srv->conns.count,
	    auth_pending(srv->auth));
	ev_break(loop, EVBREAK_ALL);
}

void
loop_shutdown(struct srv *srv, const char *why)
{
	struct conn *c, *next;

	if (srv->stopping) {
		log_warning("%s again: stopping now", why);
		ev_break(srv->loop, EVBREAK_ALL);
		return;
	}
	srv->stopping = 1;
	srv_log_always("%s: shutting down; finishing %zu connections",
	    why, srv->conns.count);
	loop_close_listeners(srv);
	conn_table_stop(&srv->conns);
	for (c = srv->conns.live; c != NULL; c = next) {
		next = c->next;
		if (c->state == CONN_READY)
			conn_notify_closing(c, "server is shutting down", 0);
	}
	ev_timer_init(&srv->stop_timer, stop_timer_cb, SRV_STOP_GRACE, 0.);
	srv->stop_timer.data = srv;
	ev_timer_start(srv->loop, &srv->stop_timer);
}

/* While stopping: close what is finished; end the loop when all is. */
static void
shutdown_progress(struct srv *srv)
{
	struct conn *c, *next;
	int          committing, unwritten;

	unwritten = unknown_names_flush(srv, srv->unknown);
	committing = !commit_idle(&srv->commit) || unwritten > 0 ||
	    !readaudit_idle(srv);
	for (c = srv->conns.live; c != NULL && !committing; c = next) {
		next = c->next;
		if (!c->login_pending && !c->query_out &&
		    conn_pending_output(c) == 0)
			conn_fail(c, "server shutting down");
	}
	conn_table_reap(&srv->conns);
	if (srv->conns.live == NULL && auth_pending(srv->auth) == 0 &&
	    query_pending(srv) == 0 && !committing)
		ev_break(srv->loop, EVBREAK_ALL);
}

/* Runs after the group commit (lower priority) before the loop blocks. */
static void
housekeeping_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
	struct srv *srv = w->data;

	conn_table_reap(&srv->conns);
	if (srv->stopping)
		shutdown_progress(srv);
}

static void
signal_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct srv *srv = w->data;

	if (w->signum == SIGHUP) {
		srv_log_reopen();
		keyring_reload(srv, "SIGHUP");
		return;
	}
	loop_shutdown(srv, w->signum == SIGTERM ? "SIGTERM" : "SIGINT");
}

static void
loop_watch_signal(struct srv *srv, ev_signal *w, int signum)
{
	ev_signal_init(w, signal_cb, signum);
	w->data = srv;
	ev_signal_start(srv->loop, w);
}

void
loop_log_audit_head(struct hr_db *db, const char *when)
{
	char            head[DB_AUDIT_HEAD_MAX];
	struct hr_error err;

	hr_error_clear(&err);
	if (db_audit_head(db, head, &err) < 0)
		log_warning("audit head (%s): %s", when, err.msg);
	else
		srv_log_always("audit head %s (%s; hromadactl audit verify "
		    "--head checks that no record after it was cut)", head, when);
}

/* Every hour: an anchor of the audit log in the log (loop.h). */
static void
audit_anchor_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct srv *srv = w->data;

	(void)loop;
	(void)revents;
	loop_log_audit_head(srv->reader, "hourly");
}

/* Forget sources and names nothing is counted under any more. */
static void
sweep_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct srv *srv = w->data;

	(void)revents;
	limits_sweep(srv->limits, ev_now(loop));
}

/* The aggregate audit of unknown names; again in a second if the writer
 * was busy. */
static void
unknown_flush_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct srv *srv = w->data;

	(void)revents;
	w->repeat = unknown_names_flush(srv, srv->unknown) > 0 ? 1.0 :
	    UNKNOWN_NAMES_FLUSH;
	ev_timer_again(loop, w);
}

void
loop_run(struct srv *srv)
{
	loop_watch_signal(srv, &srv->sig_term, SIGTERM);
	loop_watch_signal(srv, &srv->sig_int, SIGINT);
	loop_watch_signal(srv, &srv->sig_hup, SIGHUP);
	ev_prepare_init(&srv->housekeeping, housekeeping_cb);
	ev_set_priority(&srv->housekeeping, EV_MINPRI);
	srv->housekeeping.data = srv;
	ev_prepare_start(srv->loop, &srv->housekeeping);
	ev_timer_init(&srv->audit_anchor, audit_anchor_cb, SRV_AUDIT_ANCHOR,
	    SRV_AUDIT_ANCHOR);
	srv->audit_anchor.data = srv;
	ev_timer_start(srv->loop, &srv->audit_anchor);
	keyring_start(srv);
	ev_timer_init(&srv->sweep, sweep_cb, SRV_SWEEP, SRV_SWEEP);
	srv->sweep.data = srv;
	ev_timer_start(srv->loop, &srv->sweep);
	ev_init(&srv->unknown_flush, unknown_flush_cb);
	srv->unknown_flush.repeat = UNKNOWN_NAMES_FLUSH;
	srv->unknown_flush.data = srv;
	ev_timer_again(srv->loop, &srv->unknown_flush);
	for (size_t i = 0; i < srv->nlisteners; i++) {
		ev_io_start(srv->loop, &srv->listeners[i].io);
		srv_log_always("listening on %s", srv->listeners[i].name);
		fprintf(stderr, "hromadad: listening on %s\n",
		    srv->listeners[i].name);
	}
	fflush(stderr);
	ev_run(srv->loop, 0);
}

void
loop_free(struct srv *srv)
{
	loop_close_listeners(srv);
	conn_table_free(&srv->conns, "server stopped");
	ev_prepare_stop(srv->loop, &srv->housekeeping);
	ev_timer_stop(srv->loop, &srv->audit_anchor);
	ev_timer_stop(srv->loop, &srv->sweep);
	keyring_stop(srv);
	ev_timer_stop(srv->loop, &srv->unknown_flush);
	ev_signal_stop(srv->loop, &srv->sig_term);
	ev_signal_stop(srv->loop, &srv->sig_int);
	ev_signal_stop(srv->loop, &srv->sig_hup);
	ev_timer_stop(srv->loop, &srv->stop_timer);
	if (srv->spare_fd >= 0)
		close(srv->spare_fd);
	batch_free_all(srv);
	limits_free(srv->limits);
	srv->limits = NULL;
	unknown_names_free(srv->unknown);
	srv->unknown = NULL;
}
