/*
 * crash.c — kill -9 the server under write load, many times, and prove that
 * every acknowledged write survived and nothing unacknowledged is half there.
 *
 * A "saved" reply from hromadad means "on disk" (group commit, commit.h).
 * This program holds the server to that.  Each cycle: start hromadad on the
 * same database, connect W writer sessions, let each run durable writes one
 * at a time, and kill -9 the server at a random moment.  Replies that
 * arrived before the kill are acknowledged writes; a request without a
 * reply may or may not have been committed, but only all or nothing.  Then,
 * with the server dead, the database is opened and checked:
 *
 *   - PRAGMA integrity_check is "ok" and the audit hash chain verifies;
 *   - every ticket an acknowledged resume returned is there until an
 *     acknowledged resume consumed it, then gone;
 *   - every acknowledged application is there at the acknowledged version
 *     and status; a save, transition or resume in flight at the kill is
 *     all or nothing, and the rows and audit records are exactly those the
 *     acknowledged and committed writes explain;
 *   - the summaries (journal counts, report facts) are exact: nothing left
 *     held, equal to a recount and to the reports' rebuild;
 *   - read records (journal.read) are lost only within audit_read_window
 *     of the kill.
 *
 * Password logins happen only before the kill window opens (a chain whose
 * ticket was consumed by an unacknowledged resume logs in again), so every
 * `login` record is acknowledged.
 *
 * Every wait is bounded; the whole run has a watchdog (tests/lib/testsrv.h).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "db/audit.h"
#include "db/db.h"
#include "db/reports.h"
#include "proto/client.h"
#include "proto/method_names.h"
#include "proto/ticket.h"
#include "tests/lib/tapp.h"
#include "tests/lib/tclient.h"
#include "tests/lib/tdb.h"
#include "tests/lib/testsrv.h"

#define CHAINS_PER_USER 2
#define READY_MS        10000
#define CALL_MS         10000
#define DRAIN_MS        3000
#define WATCHDOG_S      280        /* the whole run, under the 5-minute budget */
#define READ_WINDOW_MS  1000       /* hromadad's audit_read_window (default) */
#define READ_MARGIN_MS  2000       /* ... and a slow disk's commit on top */
#define NFRONT          4          /* users[0..3] may create applications */
#define SURNAME         "Аварійний"  /* finds this run's applications */

static const char *const users[] = {
	"sta", "cnap", "supersta", "supercnap", "upo", "spszn",
};
#define NUSERS (sizeof users / sizeof users[0])
#define NCHAINS (NUSERS * CHAINS_PER_USER)

enum op { OP_NONE, OP_LOGIN, OP_RESUME, OP_JOURNAL, OP_SAVE, OP_TRANSITION };

/* An application this run created, as far as the writers know for sure. */
struct capp {
	int64_t id, version;
	int     at_otg;                       /* sent on: status at_otg */
	char    rnokpp[HR_RNOKPP_LEN + 1];
};

/* One writer session and what it knows for sure. */
struct chain {
	int               user;
	struct hr_client *c;
	uint8_t           tk[HR_TICKET_LEN];  /* last acknowledged ticket */
	int               have_tk;
	int               broken;             /* tk consumed by an unacked resume */
	enum op           inflight;
	int               ready;              /* logged in this cycle */
	struct tapp_person save;              /* the applicant of a save */
	long              draft;              /* its own draft in T.apps, -1 */
};

/* Hashes of tickets that acknowledged resumes consumed: absent for good. */
struct hashes {
	uint8_t (*h)[HR_TICKET_LEN];
	size_t    n, cap;
};

static struct {
	struct testsrv srv;
	struct chain   ch[NCHAINS];
	struct hashes  dead_new;           /* consumed this cycle: checked once */
	/* totals over the run */
	long acked_login, acked_resume, acked_journal;
	long lost_resume_committed;        /* resumes committed, reply lost */
	long lost_journal;                 /* journal.list in flight at kills */
	long orphans;                      /* unknown ticket rows (= the above) */
	long cycles, kills_inflight;
	unsigned max_window_ms;
	struct capp *apps;                 /* every application committed */
	size_t napps, capapps;
	long acked_save, acked_transition;
	long lost_save_committed, lost_transition_committed;
	long transitions;                  /* committed, acked or not */
	long journal_acked_total;
	long journal_lost;                 /* acked reads whose record a kill took */
	long journal_lost_max;             /* ... most in one kill */
	int64_t *jacked;                   /* reply times of this cycle's reads */
	size_t njacked, capjacked;
} T;

static void
fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void
fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stdout, "crash: FAILED at cycle %ld: ", T.cycles);
	vfprintf(stdout, fmt, ap);
	fputc('\n', stdout);
	va_end(ap);
	fflush(stdout);
	if (T.srv.pid > 0)
		testsrv_dump_log(&T.srv, stdout, 3000);
	testsrv_free(&T.srv);
	exit(1);
}

/* What the server stores of a ticket: its id (proto/ticket.h). */
static void
ticket_hash(const uint8_t t[HR_TICKET_LEN], uint8_t h[HR_TICKET_ID_LEN])
{
	hr_ticket_id(t, h);
}

static void
hashes_add(struct hashes *hs, const uint8_t t[HR_TICKET_LEN])
{
	if (hs->n == hs->cap) {
		size_t cap = hs->cap ? hs->cap * 2 : 256;
		void  *p = realloc(hs->h, cap * sizeof *hs->h);

		if (p == NULL)
			fail("out of memory");
		hs->h = p;
		hs->cap = cap;
	}
	ticket_hash(t, hs->h[hs->n++]);
}

static void *
grow(void *v, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return v;
	*cap = *cap ? *cap * 2 : 64;
	if ((v = realloc(v, *cap * size)) == NULL)
		fail("out of memory");
	return v;
}

static long
app_add(int64_t id, int64_t version, const char *rnokpp)
{
	struct capp *a;

	T.apps = grow(T.apps, &T.capapps, T.napps + 1, sizeof *T.apps);
	a = &T.apps[T.napps];
	a->id = id;
	a->version = version;
	a->at_otg = 0;
	snprintf(a->rnokpp, sizeof a->rnokpp, "%s", rnokpp);
	return (long)T.napps++;
}

/* ---- the writers ------------------------------------------------------ */

static void
reply_cb(void *ud, const struct hr_msg *m, const struct hr_error *err)
{
	struct chain *c = ud;
	enum op       op = c->inflight;
	const uint8_t *t;

	if (m == NULL)
		return;                 /* no reply: the kill; judged by the check */
	c->inflight = OP_NONE;
	if (m->err_code != HR_OK) {
		if (op == OP_RESUME && m->err_code == HR_E_TICKET)
			fail("%s: resume with an acknowledged ticket refused: %s",
			    users[c->user], err->msg);
		fail("%s: %s: %s", users[c->user], hr_error_name(m->err_code),
		    err->msg);
	}
	switch (op) {
	case OP_LOGIN:
	case OP_RESUME:
		if ((t = hr_client_ticket(c->c)) == NULL)
			fail("%s: session reply without a ticket", users[c->user]);
		if (op == OP_RESUME) {
			hashes_add(&T.dead_new, c->tk);
			T.acked_resume++;
		} else
			T.acked_login++;
		memcpy(c->tk, t, HR_TICKET_LEN);
		c->have_tk = 1;
		c->broken = 0;
		c->ready = 1;
		break;
	case OP_JOURNAL:
		T.acked_journal++;
		T.journal_acked_total++;
		T.jacked = grow(T.jacked, &T.capjacked, T.njacked + 1,
		    sizeof *T.jacked);
		T.jacked[T.njacked++] = testsrv_now_ms();
		break;
	case OP_SAVE:
		c->draft = app_add(tobj_int(tobj_get(&m->result, "id"), 0),
		    tobj_int(tobj_get(&m->result, "version"), 0), c->save.rnokpp);
		T.acked_save++;
		break;
	case OP_TRANSITION:
		T.apps[c->draft].version = tobj_int(tobj_get(&m->result, "version"), 0);
		T.apps[c->draft].at_otg = 1;
		c->draft = -1;
		T.acked_transition++;
		T.transitions++;
		break;
	default:
		break;
	}
}

static void
send_save(struct chain *c)
{
	msgpack_packer *pk = hr_client_begin(c->c, HR_M_APPLICATION_SAVE);

	tapp_next(&c->save);
	tapp_pack_save(pk, &c->save, SURNAME);
	c->inflight = OP_SAVE;
	if (hr_client_send(c->c, reply_cb, c) == 0)
		fail("cannot queue a save");
}

/* Send the writer's own draft on to the hromada. */
static void
send_transition(struct chain *c)
{
	msgpack_packer *pk = hr_client_begin(c->c, HR_M_APPLICATION_TRANSITION);

	msgpack_pack_map(pk, 4);
	hr_pack_kv_int(pk, "id", T.apps[c->draft].id);
	hr_pack_kv_int(pk, "version", T.apps[c->draft].version);
	hr_pack_kv_str(pk, "action", "send_otg");
	hr_pack_kv_bool(pk, "partial", 1);     /* it has no scans */
	c->inflight = OP_TRANSITION;
	if (hr_client_send(c->c, reply_cb, c) == 0)
		fail("cannot queue a transition");
}

static void
send_login(struct chain *c)
{
	msgpack_packer *pk = hr_client_begin(c->c, HR_M_LOGIN);
	char pw[64];

	snprintf(pw, sizeof pw, "demo-%s-2026", users[c->user]);
	msgpack_pack_map(pk, 2);
	hr_pack_kv_str(pk, "user", users[c->user]);
	hr_pack_kv_str(pk, "password", pw);
	c->inflight = OP_LOGIN;
	if (hr_client_send(c->c, reply_cb, c) == 0)
		fail("cannot queue a login");
}

static void
send_resume(struct chain *c)
{
	msgpack_packer *pk;

	hr_client_set_ticket(c->c, c->tk, NULL);
	pk = hr_client_begin(c->c, HR_M_RESUME);
	msgpack_pack_map(pk, 2);
	if (hr_client_pack_resume(c->c, pk) < 0)
		fail("cannot pack a resume");
	c->inflight = OP_RESUME;
	if (hr_client_send(c->c, reply_cb, c) == 0)
		fail("cannot queue a resume");
}

static void
send_journal(struct chain *c)
{
	msgpack_packer *pk = hr_client_begin(c->c, HR_M_JOURNAL_LIST);

	msgpack_pack_map(pk, 1);
	hr_pack_kv_int(pk, "limit", 5);
	c->inflight = OP_JOURNAL;
	if (hr_client_send(c->c, reply_cb, c) == 0)
		fail("cannot queue a journal page");
}

/* One turn of I/O over every writer, at most wait_ms. */
static void
pump(int wait_ms)
{
	struct pollfd p[NCHAINS];
	size_t        map[NCHAINS], n = 0;

	for (size_t i = 0; i < NCHAINS; i++) {
		struct chain *c = &T.ch[i];
		int fd = c->c ? hr_client_fd(c->c) : -1;

		if (fd < 0)
			continue;
		p[n].fd = fd;
		p[n].events = POLLIN | (hr_client_wants_write(c->c) ? POLLOUT : 0);
		p[n].revents = 0;
		map[n++] = i;
	}
	if (n == 0) {
		poll(NULL, 0, wait_ms);
		return;
	}
	if (poll(p, n, wait_ms) <= 0)
		return;
	for (size_t k = 0; k < n; k++)
		if (p[k].revents != 0)
			hr_client_io(T.ch[map[k]].c, (p[k].revents & (POLLIN |
			    POLLHUP | POLLERR)) != 0, (p[k].revents & POLLOUT) != 0,
			    NULL);
}

/* Connect every writer and log it in (resume, or the password if broken). */
static void
connect_all(void)
{
	int64_t deadline = testsrv_now_ms() + READY_MS + CALL_MS;
	struct hr_error err;
	size_t ready;

	for (size_t i = 0; i < NCHAINS; i++) {
		struct chain *c = &T.ch[i];

		hr_client_free(c->c);
		c->c = hr_client_new();
		c->ready = 0;
		c->inflight = OP_NONE;
		if (c->c == NULL)
			fail("out of memory");
		hr_client_set_server_key(c->c, T.srv.pk);
		if (hr_client_connect(c->c, T.srv.addr, &err) < 0)
			fail("connect %s: %s", T.srv.addr, err.msg);
		/* Requests queue until the channel is up (client.h). */
		if (c->have_tk && !c->broken)
			send_resume(c);
		else
			send_login(c);
	}
	do {
		if (testsrv_now_ms() > deadline)
			fail("writers not logged in after %d ms", READY_MS + CALL_MS);
		pump(10);
		ready = 0;
		for (size_t i = 0; i < NCHAINS; i++) {
			if (hr_client_state(T.ch[i].c) == HR_CS_CLOSED)
				fail("writer %zu dropped before the kill: %s", i,
				    hr_client_error(T.ch[i].c)->msg);
			ready += T.ch[i].ready && T.ch[i].inflight == OP_NONE;
		}
	} while (ready < NCHAINS);
}

/* Keep every writer busy until the kill at kill_ms from now; its time. */
static int64_t
write_until_kill(unsigned kill_ms)
{
	int64_t kill_at = testsrv_now_ms() + kill_ms, deadline;
	struct hr_error err;
	int status;

	while (testsrv_now_ms() < kill_at) {
		for (size_t i = 0; i < NCHAINS; i++) {
			struct chain *c = &T.ch[i];

			if (c->inflight != OP_NONE ||
			    hr_client_state(c->c) == HR_CS_CLOSED)
				continue;
			switch (randombytes_uniform(c->user < NFRONT ? 4 : 2)) {
			case 0:
				send_resume(c);
				break;
			case 1:
				send_journal(c);
				break;
			default:                /* front offices only */
				if (c->draft >= 0)
					send_transition(c);
				else
					send_save(c);
				break;
			}
		}
		pump(1);
	}
	if (testsrv_signal(&T.srv, SIGKILL, &err) < 0)
		fail("kill: %s (did the server die by itself?)", err.msg);
	testsrv_wait_exit(&T.srv, 5000, &status, &err);
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
		fail("the server ended by itself before the kill");
	/* Replies the server sent before it died are acknowledged too. */
	deadline = testsrv_now_ms() + DRAIN_MS;
	for (;;) {
		size_t open = 0;

		for (size_t i = 0; i < NCHAINS; i++)
			open += hr_client_state(T.ch[i].c) != HR_CS_CLOSED;
		if (open == 0)
			break;
		if (testsrv_now_ms() > deadline)
			fail("%zu writers still connected after the kill", open);
		pump(10);
	}
	return kill_at;
}

/* ---- the check -------------------------------------------------------- */

static long
q_long(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int
ticket_present(sqlite3 *db, sqlite3_stmt *st, const uint8_t h[HR_TICKET_LEN])
{
	int rc;

	sqlite3_reset(st);
	sqlite3_bind_blob(st, 1, h, HR_TICKET_LEN, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		fail("ticket lookup: %s", sqlite3_errmsg(db));
	return rc == SQLITE_ROW;
}

/* One integer from a query with one text and/or int parameter. */
static int64_t
q_int(sqlite3 *db, const char *sql, const char *text, int64_t num)
{
	sqlite3_stmt *st;
	int64_t v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail("%s: %s", sql, sqlite3_errmsg(db));
	if (text != NULL)
		sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(st, 1, num);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/*
 * The applications: a save or transition in flight committed whole or not
 * at all (then learnt as committed), every one known is there as known,
 * and the rows and records they leave are exactly theirs.
 */
static void
check_apps(sqlite3 *db, const enum op inflight[NCHAINS])
{
	static const char app_of[] = "SELECT a.id FROM applications a JOIN "
	    "persons p ON p.id = a.applicant_id WHERE p.rnokpp = ?";
	long expect_hist;

	for (size_t i = 0; i < NCHAINS; i++) {
		struct chain *c = &T.ch[i];
		int64_t id, persons, version;

		if (inflight[i] == OP_SAVE) {
			id = q_int(db, app_of, c->save.rnokpp, 0);
			persons = q_int(db, "SELECT count(*) FROM persons WHERE "
			    "rnokpp = ?", c->save.rnokpp, 0);
			if ((id > 0) != (persons == 1))
				fail("a save in flight is half there: application "
				    "%lld, %lld persons with its РНОКПП",
				    (long long)id, (long long)persons);
			if (id > 0) {                /* committed, reply lost */
				c->draft = app_add(id, q_int(db, "SELECT version "
				    "FROM applications WHERE id = ?", NULL, id),
				    c->save.rnokpp);
				T.lost_save_committed++;
			}
		} else if (inflight[i] == OP_TRANSITION) {
			struct capp *a = &T.apps[c->draft];

			version = q_int(db, "SELECT version FROM applications "
			    "WHERE id = ?", NULL, a->id);
			if (version == a->version + 1) {  /* committed */
				a->version = version;
				a->at_otg = 1;
				c->draft = -1;
				T.lost_transition_committed++;
				T.transitions++;
			} else if (version != a->version)
				fail("application %lld: version %lld after a "
				    "transition from %lld in flight", (long long)a->id,
				    (long long)version, (long long)a->version);
		}
	}
	for (size_t k = 0; k < T.napps; k++) {
		struct capp *a = &T.apps[k];
		char sql[200];

		if (q_int(db, app_of, a->rnokpp, 0) != a->id)
			fail("acknowledged application %lld (applicant %s) is "
			    "missing: an acknowledged write was lost",
			    (long long)a->id, a->rnokpp);
		snprintf(sql, sizeof sql, "SELECT count(*) FROM applications "
		    "WHERE id = ? AND version = %lld AND status = '%s'",
		    (long long)a->version, a->at_otg ? "at_otg" : "draft");
		if (q_int(db, sql, NULL, a->id) != 1)
			fail("application %lld is not at version %lld, %s: an "
			    "acknowledged write was lost", (long long)a->id,
			    (long long)a->version, a->at_otg ? "at_otg" : "draft");
	}
	if (q_int(db, "SELECT count(*) FROM applications a JOIN persons p ON "
	    "p.id = a.applicant_id WHERE p.surname = ?", SURNAME, 0) !=
	    (int64_t)T.napps)
		fail("%lld applications of this run, expected %zu (acknowledged "
		    "and committed): a save is half there", (long long)q_int(db,
		    "SELECT count(*) FROM applications a JOIN persons p ON "
		    "p.id = a.applicant_id WHERE p.surname = ?", SURNAME, 0),
		    T.napps);
	expect_hist = (long)T.napps + T.transitions;
	if (q_int(db, "SELECT count(*) FROM application_history h JOIN "
	    "applications a ON a.id = h.application_id JOIN persons p ON "
	    "p.id = a.applicant_id WHERE p.surname = ?", SURNAME, 0) !=
	    expect_hist)
		fail("history rows of this run's applications are not %ld",
		    expect_hist);
	if (q_int(db, "SELECT count(*) FROM audit_log WHERE action = ?",
	    "application.create", 0) != (int64_t)T.napps ||
	    q_int(db, "SELECT count(*) FROM audit_log WHERE action = ?",
	    "application.transition", 0) != T.transitions)
		fail("application.create / .transition records are not %zu / "
		    "%ld", T.napps, T.transitions);
}

/*
 * The summaries the server keeps by triggers and moves once a batch
 * (db/batch_summaries.h): nothing held, the journal's status and untold
 * counts and the deadline clocks' summaries equal a recount, the
 * reports' facts equal the reports' own rebuild from the history (in a
 * transaction rolled back: it rewrites them).
 */
static void
check_summaries(sqlite3 *db)
{
	static const char facts[] = "SELECT count(*) FROM (SELECT * FROM "
	    "temp.kept_facts EXCEPT SELECT * FROM main.report_facts UNION ALL "
	    "SELECT * FROM (SELECT * FROM main.report_facts EXCEPT SELECT * "
	    "FROM temp.kept_facts))";
	long n;

	if ((n = q_long(db, "SELECT count(*) FROM summary_hold")) != 0)
		fail("the summaries are still held after a crash (%ld)", n);
	if ((n = q_long(db, tdb_counts_differ_sql)) != 0)
		fail("status and untold counts: %ld rows differ from a recount",
		    n);
	if ((n = q_long(db, "SELECT count(*) FROM deadline_held")) != 0)
		fail("deadline clocks' moves still held after a crash (%ld)", n);
	if ((n = q_long(db, tdb_deadlines_differ_sql)) != 0)
		fail("deadline summaries: %ld rows differ from a recount", n);
	if (sqlite3_exec(db, "BEGIN; CREATE TEMP TABLE kept_facts AS SELECT * "
	    "FROM report_facts", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, db_report_rebuild_sql, NULL, NULL, NULL) !=
	    SQLITE_OK)
		fail("rebuild the report facts: %s", sqlite3_errmsg(db));
	n = q_long(db, facts);
	if (sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL) != SQLITE_OK)
		fail("rollback: %s", sqlite3_errmsg(db));
	if (n != 0)
		fail("report facts: %ld rows differ from their rebuild", n);
}

/*
 * With the server dead: the database as the next start will find it.
 * `inflight` holds what each writer had in flight at the kill, `killed`
 * when (testsrv_now_ms).
 */
static void
check_db(const enum op inflight[NCHAINS], int64_t killed)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	struct hr_db *hdb;
	struct hr_error err;
	const unsigned char *ic;
	long rows, resumes, logins, journals, committed = 0, journal_inflight = 0;
	long known = 0, recent = 0, lost;
	int64_t checked = 0;
	uint8_t h[HR_TICKET_LEN];

	/* Read-write: opening a WAL database after a crash recovers it. */
	if (sqlite3_open_v2(T.srv.db, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		fail("open %s: %s", T.srv.db, sqlite3_errmsg(db));
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) !=
	    SQLITE_OK || sqlite3_step(st) != SQLITE_ROW ||
	    (ic = sqlite3_column_text(st, 0)) == NULL)
		fail("integrity_check: %s", sqlite3_errmsg(db));
	if (strcmp((const char *)ic, "ok") != 0)
		fail("integrity_check: %s", ic);
	sqlite3_finalize(st);

	if (sqlite3_prepare_v2(db, "SELECT 1 FROM session_tickets WHERE id = ? "
	    "AND spent_at IS NULL", -1, &st, NULL) != SQLITE_OK)
		fail("prepare: %s", sqlite3_errmsg(db));
	/* Consumed by an acknowledged resume: must be gone. */
	for (size_t i = 0; i < T.dead_new.n; i++)
		if (ticket_present(db, st, T.dead_new.h[i]))
			fail("a ticket consumed by an acknowledged resume is back");
	T.dead_new.n = 0;
	/* Each writer's last acknowledged ticket. */
	for (size_t i = 0; i < NCHAINS; i++) {
		struct chain *c = &T.ch[i];

		ticket_hash(c->tk, h);
		if (ticket_present(db, st, h)) {
			known++;
			continue;
		}
		if (inflight[i] != OP_RESUME)
			fail("writer %zu (%s): its acknowledged ticket is missing "
			    "and no resume was in flight: an acknowledged write "
			    "was lost", i, users[c->user]);
		c->broken = 1;           /* committed; the reply was lost */
		committed++;
	}
	for (size_t i = 0; i < NCHAINS; i++)
		journal_inflight += inflight[i] == OP_JOURNAL;
	sqlite3_finalize(st);
	T.lost_resume_committed += committed;
	T.orphans += committed;
	T.lost_journal += journal_inflight;

	rows = q_long(db, "SELECT count(*) FROM session_tickets WHERE spent_at "
	    "IS NULL");
	resumes = q_long(db, "SELECT count(*) FROM audit_log WHERE action = 'resume'");
	logins = q_long(db, "SELECT count(*) FROM audit_log WHERE action = 'login'");
	journals = q_long(db, "SELECT count(*) FROM audit_log WHERE action = "
	    "'journal.read'");
	check_apps(db, inflight);
	check_summaries(db);
	sqlite3_close(db);

	if (rows != known + T.orphans)
		fail("%ld ticket rows, expected %ld (%ld acknowledged + %ld from "
		    "committed resumes whose reply was lost): a write is half "
		    "there", rows, known + T.orphans, known, T.orphans);
	if (resumes != T.acked_resume + T.lost_resume_committed)
		fail("%ld resume records, expected %ld acknowledged + %ld "
		    "committed without reply", resumes, T.acked_resume,
		    T.lost_resume_committed);
	if (logins != T.acked_login)
		fail("%ld login records, expected %ld", logins, T.acked_login);
	/* Reads answered within the window (and a slow commit) before the
	 * kill may have lost their record; older ones may not. */
	for (size_t i = 0; i < T.njacked; i++)
		recent += T.jacked[i] > killed - READ_WINDOW_MS - READ_MARGIN_MS;
	T.njacked = 0;
	if (journals < T.acked_journal - recent ||
	    journals > T.acked_journal + T.lost_journal)
		fail("%ld journal.read records, expected %ld..%ld (%ld "
		    "acknowledged, %ld of them within %d ms of the kill, %ld in "
		    "flight)", journals, T.acked_journal - recent,
		    T.acked_journal + T.lost_journal, T.acked_journal, recent,
		    READ_WINDOW_MS + READ_MARGIN_MS, T.lost_journal);
	lost = T.acked_journal > journals ? T.acked_journal - journals : 0;
	T.journal_lost += lost;
	if (lost > T.journal_lost_max)
		T.journal_lost_max = lost;
	/* What is there now is what the next cycle builds on. */
	T.lost_journal = 0;
	T.acked_journal = journals;

	/* The audit chain, with the project's own verifier. */
	if (db_open(&hdb, T.srv.db, 0, &err) < 0)
		fail("db_open: %s", err.msg);
	if (db_audit_verify(hdb, &checked, &err) < 0)
		fail("audit chain: %s", err.msg);
	db_close(hdb);
}

/* ---- main -------------------------------------------------------------- */

int
main(int argc, char **argv)
{
	struct hr_error err;
	int cycles = 100, c;
	unsigned window_max = 400;
	int64_t t0;

	while ((c = getopt(argc, argv, "n:w:")) != -1) {
		switch (c) {
		case 'n': cycles = atoi(optarg); break;
		case 'w': window_max = (unsigned)atoi(optarg); break;
		default:
			fprintf(stderr, "usage: crash [-n CYCLES] [-w MAX_MS]\n");
			return 2;
		}
	}
	if (cycles < 1 || cycles > 10000 || window_max < 1 || window_max > 60000) {
		fprintf(stderr, "crash: -n 1..10000, -w 1..60000\n");
		return 2;
	}
	if (sodium_init() < 0)
		return 2;
	testsrv_watchdog(WATCHDOG_S);
	t0 = testsrv_now_ms();
	if (testsrv_prepare(&T.srv, &err) < 0)
		fail("prepare: %s", err.msg);
	for (size_t i = 0; i < NCHAINS; i++) {
		T.ch[i].user = (int)(i % NUSERS);
		T.ch[i].draft = -1;
	}
	tapp_walk_start((uint64_t)time(NULL) * 4096u);

	for (T.cycles = 1; T.cycles <= cycles; T.cycles++) {
		enum op inflight[NCHAINS];
		int64_t killed;
		unsigned kill_ms = randombytes_uniform(window_max + 1);

		if (testsrv_launch(&T.srv, 20000, &err) < 0)
			fail("restart: %s", err.msg);
		connect_all();
		killed = write_until_kill(kill_ms);
		/* reply_cb cleared the acknowledged ones; the rest were lost. */
		for (size_t i = 0; i < NCHAINS; i++) {
			inflight[i] = T.ch[i].inflight;
			T.kills_inflight += inflight[i] != OP_NONE;
			T.ch[i].inflight = OP_NONE;
		}
		check_db(inflight, killed);
	}
	for (size_t i = 0; i < NCHAINS; i++)
		hr_client_free(T.ch[i].c);
	printf("crash: %d kill -9 cycles in %.1f s, %zu writers, kill after "
	    "0..%u ms of writing\n", cycles, (testsrv_now_ms() - t0) / 1e3,
	    (size_t)NCHAINS, window_max);
	printf("crash: acknowledged writes: %ld application saves, %ld "
	    "transitions, %ld resumes, %ld logins — all present, 0 lost\n",
	    T.acked_save, T.acked_transition, T.acked_resume, T.acked_login);
	printf("crash: in flight at the kills: %ld requests; committed whole "
	    "without a reply: %ld saves, %ld transitions, %ld resumes; none "
	    "half\n", T.kills_inflight, T.lost_save_committed,
	    T.lost_transition_committed, T.lost_resume_committed);
	printf("crash: acknowledged journal reads: %ld; records lost at the "
	    "kills: %ld (at most %ld at one kill), each within the "
	    "audit_read_window (%d ms) + %d ms of its kill\n",
	    T.journal_acked_total, T.journal_lost, T.journal_lost_max,
	    READ_WINDOW_MS, READ_MARGIN_MS);
	printf("crash: integrity_check ok, the audit chain verified and the "
	    "summaries exact (nothing held, counts and clocks = a recount, "
	    "report facts = their rebuild) after every kill\n");
	testsrv_free(&T.srv);
	free(T.dead_new.h);
	free(T.apps);
	free(T.jacked);
	return 0;
}
