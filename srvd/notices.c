/*
 * notices.c — automatic notices of decisions through notify_command
 * (notices.h): the command as a child process the loop watches, and the
 * notices table's states around it.
 */
#include "config.h"

#include "srvd/notices.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ev.h>

#include "db/notify.h"
#include "db/print.h"
#include "paper/fmt.h"
#include "paper/forms.h"
#include "proto/ident.h"
#include "srvd/commit.h"
#include "srvd/conf.h"
#include "srvd/log.h"
#include "srvd/method_table.h"
#include "srvd/server.h"
#include "srvd/session.h"

#define NOTICES_TICK      1.0     /* seconds between looks at the table */
#define NOTICES_MAX       32      /* notices marked or queued at once */
#define NOTICE_OUT_MAX    240     /* what the command said, kept */
#define NOTICE_ENV        7       /* variables of its environment + NULL */
#define NOTICES_RECENT    (4 * NOTICES_MAX)   /* finished ids remembered */

/* One notice from "sending" to its outcome. */
struct notice_job {
	int64_t            id;
	char              *phone, *message, *reg_no, *decision, *app;
	struct notice_job *next;      /* the queue */
	/* while it runs */
	struct srv_notices *owner;
	pid_t              pid;
	ev_child           child;
	ev_io              in_w, out_w;
	ev_timer           deadline;
	int                in_fd, out_fd;
	size_t             fed;           /* bytes of message written */
	char               out[NOTICE_OUT_MAX];
	size_t             out_len;
	int                timed_out;
};

/* An outcome waiting for the writer. */
struct notice_done {
	int64_t             id;
	int                 sent;
	char                outcome[NOTICE_OUT_MAX + 64];
	struct notice_done *next;
};

struct srv_notices {
	struct srv         *srv;
	ev_timer            timer;
	int64_t             marked[NOTICES_MAX];   /* "sending" written */
	size_t              nmarked;
	struct notice_job  *queue;        /* on disk as "sending", to run */
	struct notice_job  *running;      /* the one command running */
	struct notice_done *done;         /* outcomes to write */
	/* Notices this run finished: the reader may still see them
	 * "sending" until their outcome is committed, and they are neither
	 * to run again nor a previous run's left-overs. */
	int64_t             recent[NOTICES_RECENT];
	size_t              nrecent;
};

static void notices_next(struct srv_notices *n);
static void notices_finish_later(struct srv_notices *n, int64_t id, int sent,
    const char *outcome);

static void
notice_job_free(struct notice_job *j)
{
	if (j == NULL)
		return;
	free(j->phone);
	free(j->message);
	free(j->reg_no);
	free(j->decision);
	free(j->app);
	free(j);
}

/* ---- the command ---- */

/* "NAME=value" into a malloc'd string (NULL when out of memory). */
static char *
env_pair(const char *name, const char *value)
{
	char *s = NULL;

	if (asprintf(&s, "%s=%s", name, value ? value : "") < 0)
		return NULL;
	return s;
}

static void
close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* The first line the command wrote, for the record. */
static const char *
first_line(char *s)
{
	char *nl = strpbrk(s, "\r\n");

	if (nl != NULL)
		*nl = '\0';
	return s;
}

/* Read what it wrote without blocking; 1 at its end (or an error). */
static int
notice_read(struct notice_job *j)
{
	char sink[512];

	for (;;) {
		ssize_t r;
		if (j->out_len + 1 < sizeof j->out)
			r = read(j->out_fd, j->out + j->out_len,
			    sizeof j->out - 1 - j->out_len);
		else
			r = read(j->out_fd, sink, sizeof sink);  /* keep it flowing */
		if (r > 0) {
			if (j->out_len + 1 < sizeof j->out)
				j->out_len += (size_t)r;
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		return r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) ? 0 : 1;
	}
}

static void
notice_out_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct notice_job *j = w->data;

	(void)revents;
	if (notice_read(j)) {
		ev_io_stop(loop, w);
		close_fd(&j->out_fd);
	}
}

/* Feed the message into its stdin; close it when all is written (or it
 * stopped reading: its business). */
static void
notice_in_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct notice_job *j = w->data;
	size_t len = strlen(j->message);

	(void)revents;
	while (j->fed < len) {
		ssize_t r = write(j->in_fd, j->message + j->fed, len - j->fed);
		if (r > 0) {
			j->fed += (size_t)r;
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;                 /* again when it reads */
		break;                          /* EPIPE: it does not read */
	}
	ev_io_stop(loop, w);
	close_fd(&j->in_fd);
}

static void
notice_deadline_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct notice_job *j = w->data;

	(void)loop;
	(void)revents;
	j->timed_out = 1;
	kill(-j->pid, SIGKILL);         /* the ev_child watcher sees it go */
}

/* It exited (or was killed): what it wrote until now, and the outcome. */
static void
notice_child_cb(struct ev_loop *loop, ev_child *w, int revents)
{
	struct notice_job *j = w->data;
	struct srv_notices *n = j->owner;
	int status = w->rstatus, sent = 0;
	char outcome[NOTICE_OUT_MAX + 64];

	(void)revents;
	ev_child_stop(loop, w);
	ev_timer_stop(loop, &j->deadline);
	ev_io_stop(loop, &j->in_w);
	ev_io_stop(loop, &j->out_w);
	if (j->out_fd >= 0)
		(void)notice_read(j);   /* a child of its own may keep the pipe */
	close_fd(&j->in_fd);
	close_fd(&j->out_fd);
	j->out[j->out_len] = '\0';
	if (j->timed_out)
		snprintf(outcome, sizeof outcome, "timed out after %d s",
		    n->srv->cfg->notify_timeout);
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		sent = 1;
		snprintf(outcome, sizeof outcome, "%s", first_line(j->out));
	} else if (WIFEXITED(status))
		snprintf(outcome, sizeof outcome, "exit status %d%s%s",
		    WEXITSTATUS(status), j->out[0] ? ": " : "",
		    first_line(j->out));
	else
		snprintf(outcome, sizeof outcome, "killed by signal %d",
		    WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	log_info("notice %lld (%s, %s): %s: %s", (long long)j->id, j->reg_no,
	    j->phone, sent ? "sent" : "failed", outcome);
	n->running = NULL;
	notices_finish_later(n, j->id, sent, outcome);
	notice_job_free(j);
	notices_next(n);
}

static int
nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/*
 * Start /bin/sh -c COMMAND for job j: posix_spawn, its own process group,
 * stdin from a pipe we feed, stdout and stderr into a pipe we read, the
 * signals a server ignores (SIGPIPE) back to their defaults.  0, or -1
 * with the reason in `why`.
 */
static int
notice_spawn(struct srv_notices *n, struct notice_job *j, char *why,
    size_t cap)
{
	struct ev_loop *loop = n->srv->loop;
	const struct srv_config *cfg = n->srv->cfg;
	const char *path = getenv("PATH");
	char *env[NOTICE_ENV] = { NULL };
	char *argv[] = { (char *)"sh", (char *)"-c", cfg->notify_command, NULL };
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, rc = -1, e;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, dfl;

	env[0] = env_pair("PATH", path ? path : "/usr/bin:/bin");
	env[1] = env_pair("HROMADA_PHONE", j->phone);
	env[2] = env_pair("HROMADA_REG_NO", j->reg_no);
	env[3] = env_pair("HROMADA_APPLICATION", j->app);
	env[4] = env_pair("HROMADA_DECISION", j->decision);
	env[5] = env_pair("LANG", "C.UTF-8");
	sigemptyset(&none);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGPIPE);
	sigaddset(&dfl, SIGCHLD);
	if (posix_spawn_file_actions_init(&fa) != 0) {
		snprintf(why, cap, "cannot run notify_command: out of memory");
		goto free_env;
	}
	if (posix_spawnattr_init(&at) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		snprintf(why, cap, "cannot run notify_command: out of memory");
		goto free_env;
	}
	if (env[0] == NULL || env[1] == NULL || env[2] == NULL ||
	    env[3] == NULL || env[4] == NULL || env[5] == NULL) {
		snprintf(why, cap, "cannot run notify_command: out of memory");
		goto out;
	}
	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0 ||
	    nonblock(in[1]) < 0 || nonblock(out[0]) < 0) {
		snprintf(why, cap, "cannot run notify_command: %s",
		    strerror(errno));
		goto out;
	}
	if ((e = posix_spawn_file_actions_adddup2(&fa, in[0], 0)) != 0 ||
	    (e = posix_spawn_file_actions_adddup2(&fa, out[1], 1)) != 0 ||
	    (e = posix_spawn_file_actions_adddup2(&fa, out[1], 2)) != 0 ||
	    (e = posix_spawnattr_setpgroup(&at, 0)) != 0 ||
	    (e = posix_spawnattr_setsigmask(&at, &none)) != 0 ||
	    (e = posix_spawnattr_setsigdefault(&at, &dfl)) != 0 ||
	    (e = posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP |
	    POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)) != 0 ||
	    (e = posix_spawn(&j->pid, "/bin/sh", &fa, &at, argv, env)) != 0) {
		snprintf(why, cap, "cannot run notify_command: %s", strerror(e));
		goto out;
	}
	close_fd(&in[0]);
	close_fd(&out[1]);
	j->owner = n;
	j->in_fd = in[1];
	j->out_fd = out[0];
	in[1] = out[0] = -1;
	ev_child_init(&j->child, notice_child_cb, j->pid, 0);
	ev_io_init(&j->in_w, notice_in_cb, j->in_fd, EV_WRITE);
	ev_io_init(&j->out_w, notice_out_cb, j->out_fd, EV_READ);
	ev_timer_init(&j->deadline, notice_deadline_cb,
	    (ev_tstamp)cfg->notify_timeout, 0.);
	j->child.data = j->in_w.data = j->out_w.data = j->deadline.data = j;
	ev_child_start(loop, &j->child);
	ev_io_start(loop, &j->in_w);
	ev_io_start(loop, &j->out_w);
	ev_timer_start(loop, &j->deadline);
	rc = 0;
out:
	close_fd(&in[0]);
	close_fd(&in[1]);
	close_fd(&out[0]);
	close_fd(&out[1]);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
free_env:
	for (size_t i = 0; i < NOTICE_ENV; i++)
		free(env[i]);
	return rc;
}

/* Run the next queued notice when none runs. */
static void
notices_next(struct srv_notices *n)
{
	char why[NOTICE_OUT_MAX + 64];

	while (n->running == NULL && n->queue != NULL && !n->srv->stopping) {
		struct notice_job *j = n->queue;
		n->queue = j->next;
		j->next = NULL;
		j->in_fd = j->out_fd = -1;
		if (notice_spawn(n, j, why, sizeof why) == 0) {
			n->running = j;
			return;
		}
		log_warning("notice %lld: %s", (long long)j->id, why);
		notices_finish_later(n, j->id, 0, why);
		notice_job_free(j);
	}
}

/* ---- the notices table, on the loop ---- */

static int
set_has(const int64_t *v, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == id)
			return 1;
	return 0;
}

static void
set_del(int64_t *v, size_t *n, int64_t id)
{
	for (size_t i = 0; i < *n; i++)
		if (v[i] == id) {
			v[i] = v[--*n];
			return;
		}
}

static int
queued(const struct srv_notices *n, int64_t id)
{
	if (n->running != NULL && n->running->id == id)
		return 1;
	for (const struct notice_job *j = n->queue; j != NULL; j = j->next)
		if (j->id == id)
			return 1;
	return 0;
}

static size_t
queue_len(const struct srv_notices *n)
{
	size_t k = n->running != NULL;

	for (const struct notice_job *j = n->queue; j != NULL; j = j->next)
		k++;
	return k;
}

/* One write in a savepoint of the group commit's batch: notice `id`
 * marked sending (d NULL), or its outcome d recorded; COMMIT_DEFER when
 * the writer is busy (try again at the next tick). */
static int
notices_write(struct srv *srv, int64_t id, const struct notice_done *d)
{
	struct srv_commit *gc = &srv->commit;
	struct hr_error err;
	int rc;

	hr_error_clear(&err);
	if ((rc = commit_request_begin(gc, &err)) != 0)
		return rc;
	rc = d != NULL ? db_notice_finish(gc->db, id, d->sent, d->outcome,
	    &err) : db_notice_sending(gc->db, id, &err);
	commit_request_end(gc, rc == 0);
	if (rc < 0)
		log_warning("notice %lld: %s%s", (long long)id, d != NULL ?
		    "the outcome was not recorded: " : "", err.msg);
	return rc;
}

/* Outcomes waiting for the writer, oldest first. */
static void
notices_flush_done(struct srv_notices *n)
{
	while (n->done != NULL) {
		struct notice_done *d = n->done;
		if (notices_write(n->srv, d->id, d) == COMMIT_DEFER)
			return;
		n->done = d->next;
		free(d);
	}
}

static void
notices_finish_later(struct srv_notices *n, int64_t id, int sent,
    const char *outcome)
{
	struct notice_done *d = calloc(1, sizeof *d), **tail = &n->done;

	if (d == NULL) {
		log_warning("notice %lld: out of memory for its outcome (%s)",
		    (long long)id, outcome);
		return;
	}
	n->recent[n->nrecent++ % NOTICES_RECENT] = id;
	d->id = id;
	d->sent = sent;
	snprintf(d->outcome, sizeof d->outcome, "%s", outcome);
	while (*tail != NULL)
		tail = &(*tail)->next;
	*tail = d;
	notices_flush_done(n);
}

/* A notice the reader sees "sending": ours is now on disk — queue it; not
 * ours is a previous run's, its outcome unknown. */
static void
notices_submit(struct srv_notices *n, const struct db_notice *d)
{
	struct notice_job *j, **tail = &n->queue;
	char app[32];

	if (!set_has(n->marked, n->nmarked, d->id)) {
		notices_finish_later(n, d->id, 0, "outcome unknown: the server "
		    "stopped before the command finished; tell the applicant "
		    "yourself");
		return;
	}
	snprintf(app, sizeof app, "%lld", (long long)d->application_id);
	if ((j = calloc(1, sizeof *j)) == NULL ||
	    (j->phone = strdup(d->phone)) == NULL ||
	    (j->message = strdup(d->message)) == NULL ||
	    (j->app = strdup(app)) == NULL ||
	    (j->reg_no = strdup(d->reg_no)) == NULL ||
	    (j->decision = strdup(d->decision)) == NULL) {
		notice_job_free(j);
		return;                        /* again at the next tick */
	}
	j->id = d->id;
	j->in_fd = j->out_fd = -1;
	while (*tail != NULL)
		tail = &(*tail)->next;
	*tail = j;
	set_del(n->marked, &n->nmarked, d->id);
}

static int
notices_row(void *ud, const struct db_notice *d)
{
	struct srv_notices *n = ud;

	if (queued(n, d->id) || set_has(n->recent, n->nrecent < NOTICES_RECENT ?
	    n->nrecent : NOTICES_RECENT, d->id))
		return 0;
	if (strcmp(d->state, "sending") == 0) {
		notices_submit(n, d);
		return 0;
	}
	/* pending: mark it; it runs once the mark is on disk */
	if (set_has(n->marked, n->nmarked, d->id) ||
	    n->nmarked + queue_len(n) >= NOTICES_MAX)
		return 0;
	if (notices_write(n->srv, d->id, NULL) == 0)
		n->marked[n->nmarked++] = d->id;
	return 0;
}

static void
notices_tick(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct srv_notices *n = w->data;
	struct hr_error err;

	(void)loop;
	(void)revents;
	if (n->srv->stopping)
		return;
	notices_flush_done(n);
	hr_error_clear(&err);
	if (db_notice_open(n->srv->reader, NOTICES_MAX, notices_row, n,
	    &err) < 0)
		log_warning("notices: %s", err.msg);
	notices_next(n);
}

int
notices_start(struct srv *srv, struct hr_error *err)
{
	struct srv_notices *n;

	srv->notices = NULL;
	if (srv->cfg->notify_command == NULL || srv->cfg->notify_command[0] == '\0')
		return 0;
	if ((n = calloc(1, sizeof *n)) == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	n->srv = srv;
	ev_timer_init(&n->timer, notices_tick, NOTICES_TICK, NOTICES_TICK);
	n->timer.data = n;
	ev_timer_start(srv->loop, &n->timer);
	srv->notices = n;
	log_info("automatic notices through notify_command (timeout %d s)",
	    srv->cfg->notify_timeout);
	return 0;
}

void
notices_stop(struct srv *srv)
{
	struct srv_notices *n = srv->notices;
	struct notice_job *j;

	if (n == NULL)
		return;
	ev_timer_stop(srv->loop, &n->timer);
	if ((j = n->running) != NULL) {
		/* the loop no longer runs: nobody else reaps it now */
		ev_child_stop(srv->loop, &j->child);
		ev_timer_stop(srv->loop, &j->deadline);
		ev_io_stop(srv->loop, &j->in_w);
		ev_io_stop(srv->loop, &j->out_w);
		kill(-j->pid, SIGKILL);
		while (waitpid(j->pid, NULL, 0) < 0 && errno == EINTR)
			;
		log_warning("notice %lld: its command was killed as the server "
		    "stopped; it is finished as unknown at the next start",
		    (long long)j->id);
		close_fd(&j->in_fd);
		close_fd(&j->out_fd);
		notice_job_free(j);
	}
	while ((j = n->queue) != NULL) {
		n->queue = j->next;
		notice_job_free(j);
	}
	while (n->done != NULL) {
		struct notice_done *d = n->done;
		log_warning("notice %lld: outcome not recorded (%s); it is "
		    "finished as unknown at the next start", (long long)d->id,
		    d->outcome);
		n->done = d->next;
		free(d);
	}
	free(n);
	srv->notices = NULL;
}

/* ---- queueing, in dat.import ---- */

/* The words of a decision for the applicant. */
static const struct {
	const char *decision, *words;
} notice_words[] = {
	{ "assigned", "призначено" },
	{ "refused", "відмовлено" },
	{ "registered", "взято на облік" },
	{ "registration_refused", "відмовлено у взятті на облік" },
};

static void
notice_text(const struct paper_app *a, char *out, size_t cap)
{
	const struct paper_decision *d = &a->decision;
	const char *decision = paper_notice_decision(a), *words = decision;
	const char *reason = paper_notice_reason(a);
	int award = strcmp(decision, "assigned") == 0 ||
	    strcmp(decision, "registered") == 0;
	char amount[HR_AMOUNT_STR_MAX] = "", from[16], to[16];
	size_t len;

	for (size_t i = 0; i < sizeof notice_words / sizeof notice_words[0]; i++)
		if (strcmp(decision, notice_words[i].decision) == 0)
			words = notice_words[i].words;
	len = (size_t)snprintf(out, cap, "Рішення за заявою № %s (%s): %s",
	    a->reg_no ? a->reg_no : "", a->service_name ? a->service_name : "",
	    words);
	if (award && d->has_amount && len < cap && hr_amount_format(d->amount, amount,
	    sizeof amount) == 0)
		len += (size_t)snprintf(out + len, cap - len, ", %s грн на місяць",
		    amount);
	if (award && d->period_from != NULL && len < cap)
		len += (size_t)snprintf(out + len, cap - len, " з %s%s%s",
		    paper_date_short(d->period_from, from, sizeof from),
		    d->period_to ? " по " : "", d->period_to ?
		    paper_date_short(d->period_to, to, sizeof to) : "");
	if (!award && reason != NULL && reason[0] != '\0' && len < cap)
		len += (size_t)snprintf(out + len, cap - len, ". Причина: %s",
		    reason);
	if (len < cap)
		snprintf(out + len, cap - len, ". %s%s%s.\n",
		    a->front_office.name ? a->front_office.name : "",
		    a->front_office.phone ? ", тел. " : "",
		    a->front_office.phone ? a->front_office.phone : "");
}

int
notices_queue(struct srv_req *rq, int64_t app_id, struct hr_error *err)
{
	const struct srv_config *cfg = rq->srv ? rq->srv->cfg : NULL;
	struct paper_app a;
	const char *phone;
	char text[1200];
	int rc = 0;

	if (cfg == NULL || cfg->notify_command == NULL ||
	    cfg->notify_command[0] == '\0')
		return 0;
	if (db_print_app(rq->db, app_id, 0, &a, err) < 0) {
		paper_app_free(&a);
		return -1;
	}
	phone = a.phone ? a.phone : a.applicant.phone;
	if (phone != NULL && phone[0] != '\0' && a.has_decision) {
		notice_text(&a, text, sizeof text);
		rc = db_notice_add(rq->db, app_id, rq->sess->user_id, phone, text,
		    err);
	}
	paper_app_free(&a);
	return rc;
}
