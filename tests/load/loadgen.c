/*
 * loadgen.c — many encrypted sessions against one hromadad, in one process.
 *
 * The question it answers: does one small server hold the country's load,
 * and is "saved" cheap enough?  It opens N sessions with the real client
 * library (proto/client.h, non-blocking) and drives them all from one epoll
 * loop, the way a busy office would: each session logs in as a demo clerk
 * and then runs a realistic mix of requests.  The mix is a TABLE below
 * (method, weight, params builder); rows whose method the server does not
 * have yet are found by a probe (HR_E_NO_METHOD) and skipped, and the report
 * says which.  Then it prints, per row, throughput and p50/p99/max latency,
 * the server's RSS and CPU (/proc/PID), bytes on the wire per request, and
 * the durable write rate against raw SQLite on the same disk (one fsync'd
 * transaction per insert), with the targets side by side.
 *
 * Logging in costs the server one Argon2id verification (~50 ms, 64 MiB, two
 * worker threads, a bounded queue), so only a few sessions per user log in
 * with the password; every other session takes a ticket from a per-user pool
 * and `resume`s, which returns a fresh ticket to the pool.  The mix's
 * `resume` row uses the same pool.
 *
 * With --idle N it measures idle capacity instead: N connections that finish
 * the handshake (and --idle-login K of them logged in) and then stay quiet,
 * while a fresh client connects and pings.
 *
 * Latency is measured in this process from hr_client_send to the reply
 * callback, so it includes the time this process takes to notice the reply;
 * with both processes on a 2-core machine that is part of the figure.
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "proto/client.h"
#include "proto/method_names.h"
#include "proto/rpc.h"
#include "tests/lib/tapp.h"
#include "tests/lib/tclient.h"
#include "tests/load/raw_reads.h"

/* Targets of the issue «Proof under load and faults». */
#define T_PAGE_P99_MS   20.0    /* every query kind's p99 at 200 sessions */
#define T_DURABLE_RATIO 0.50    /* application writes vs raw SQLite's
                                   one-insert transactions on the same file */
#define T_IDLE_RSS_MB   512.0   /* server RSS with 10,000 idle sessions */
#define T_IDLE_PING_MS  2000.0  /* a fresh client's ping during that */

#define HS_INFLIGHT_MAX   128   /* handshakes in progress at once (ramp) */
#define LOGIN_INFLIGHT    2     /* password logins at once: auth_workers */
#define BUSY_RETRY_MS     100.0 /* after HR_E_BUSY on a login */
#define STALL_MS          10000.0 /* a request without reply this long: stall */
#define RAMP_MAX_MS       120000.0
#define DRAIN_MAX_MS      10000.0
#define LAT_MAX           4000000 /* latency samples kept per row */
#define EPOLL_BATCH       256
#define CALL_MS           10000

/* ---- options ---------------------------------------------------------- */

struct opts {
	const char *addr;
	uint8_t     pk[HR_PUBKEY_LEN];
	int         sessions;
	double      seconds;
	double      think_ms;       /* mean pause between a reply and the next request */
	int         logins_per_user;
	long        server_pid;
	const char *raw_dir;        /* where the raw SQLite rate is measured */
	const char *raw_db;         /* ... or in this database file itself */
	const char *audit_db;       /* the server's database: audit figures */
	const char *raw_reads;      /* ... each query kind on SQLite alone */
	int         raw_only;       /* only that, no server */
	double      raw_seconds;
	int         idle;           /* > 0: idle mode with this many sessions */
	int         idle_login;     /* of which logged in */
	int         strict;         /* exit 1 when a target is missed */
	const char *only;           /* comma-separated rows to run; NULL: all */
};

/* The demo accounts of the roles that work with cases (PROTOCOL.md); the
 * first NFRONT are front offices, who may create applications. */
static const char *const users[] = {
	"sta", "cnap", "supersta", "supercnap", "upo", "spszn",
};
#define NUSERS (sizeof users / sizeof users[0])
#define NFRONT 4

/* "loadgen: MESSAGE" on stderr and exit 2: err.h's errx, which names the
 * program itself. */
#define die(...) errx(2, __VA_ARGS__)

/* ---- latency samples -------------------------------------------------- */

struct lat {
	double *v;
	size_t  n, cap;
	double  max, max_at;     /* the slowest sample and when it ended */
};

static void
lat_add(struct lat *l, double ms)
{
	if (ms >= l->max) {
		l->max = ms;
		l->max_at = tclock_ms();
	}
	if (l->n == l->cap) {
		size_t  cap = l->cap ? l->cap * 2 : 1024;
		double *v;

		if (cap > LAT_MAX || (v = realloc(l->v, cap * sizeof *v)) == NULL)
			return;          /* enough samples for percentiles */
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = ms;
}

static int
dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Sorts the samples; the q-quantile (nearest rank), 0 when empty. */
static double
lat_q(struct lat *l, double q)
{
	size_t i;

	if (l->n == 0)
		return 0;
	qsort(l->v, l->n, sizeof *l->v, dbl_cmp);
	i = (size_t)ceil(q * (double)l->n);
	return l->v[i > 0 ? i - 1 : 0];
}

/* ---- sessions ----------------------------------------------------------- */

enum sess_state {
	S_NEW,          /* not connected yet */
	S_HANDSHAKE,    /* connect + handshake in progress */
	S_WAIT_TICKET,  /* channel up, waiting for a ticket of its user */
	S_AUTH,         /* login or resume in flight */
	S_READY,        /* logged in (or, idle mode, just the channel) */
	S_DEAD,         /* the link dropped */
};

struct sess {
	struct hr_client *c;
	int               idx;
	int               user;          /* index into users[] */
	enum sess_state   state;
	int               reg_fd;        /* fd registered with epoll, -1 none */
	uint32_t          reg_ev;
	int               row;           /* row of the request in flight, -1 */
	double            sent_at;
	double            next_at;       /* earliest time of the next request */
	int64_t           before;        /* journal cursor */
	int64_t           app_id;        /* its own draft saved last, 0 none */
	int64_t           app_version;   /* ... and the version the save returned */
	int               login_mode;    /* 1: password login, 0: resume */
	int               counted;       /* counted in the stats of this row */
};

/* Tickets of one user, to log sessions in by `resume`. */
struct pool {
	uint8_t (*t)[HR_TICKET_LEN];
	size_t    n, cap;
	int       logins;                /* password logins started for it */
};

/* ---- the mix ------------------------------------------------------------ */

typedef void pack_fn(struct sess *s, msgpack_packer *pk);
typedef void done_fn(struct sess *s, const msgpack_object *result);
typedef int  can_fn(const struct sess *s);
struct raw_kind;

struct row {
	const char *name;        /* label in the report */
	const char *method;
	int         weight;
	char        kind;        /* ROW_QUERY, ROW_WRITE, ROW_SESSION or 0 */
	int         ticket;      /* needs a ticket from the pool (resume) */
	pack_fn    *pack;
	done_fn    *done;
	can_fn     *can;         /* may this session send it now; NULL: always */
	const struct raw_kind *raw;  /* its SQL alone; NULL: not a query */
};

/* What a row is, for the targets. */
#define ROW_QUERY   'q'  /* a journal page or a search: p99 < 20 ms */
#define ROW_WRITE   'w'  /* an application write: "saved" = on disk */
#define ROW_SESSION 's'  /* durable too (a ticket, its audit), not an
                            application */

/* What happened to each row in this run (same index as rows[]). */
struct row_run {
	int         enabled;
	char        why[320];    /* why it is skipped */
	struct lat  lat;
	uint64_t    ok, errs, sent;
	char        last_err[320];
	struct lat  raw;         /* its SQL alone (--raw-reads) */
	double      raw_cpu_ms;  /* ... the CPU it took, all of them */
};

/* Surname prefixes that occur in the demo data (ctl/demo_data.c). */
static const char *const prefixes[] = { "Ковал", "Бонда", "Мельн", "Ткач", "Шевч" };
#define NPREFIXES (sizeof prefixes / sizeof prefixes[0])

static uint32_t
pick(uint32_t n)
{
	return randombytes_uniform(n);
}

/* Journal paging: the next page after the last one, from the top at the end. */
static void
pack_journal(struct sess *s, msgpack_packer *pk)
{
	msgpack_pack_map(pk, s->before > 0 ? 2 : 1);
	hr_pack_kv_int(pk, "limit", 20);
	if (s->before > 0)
		hr_pack_kv_int(pk, "before", s->before);
}

static void
done_journal(struct sess *s, const msgpack_object *r)
{
	s->before = tobj_int(tobj_get(r, "next"), 0);
}

/* The first page as a clerk opens the journal: with the counts per status. */
static void
pack_journal_counts(struct sess *s, msgpack_packer *pk)
{
	(void)s;
	msgpack_pack_map(pk, 2);
	hr_pack_kv_int(pk, "limit", 20);
	msgpack_pack_str_with_body(pk, "counts", 6);
	msgpack_pack_true(pk);
}

/* A first page of 20 with one filter, its value picked from vals[n]. */
static void
pack_page_one_of(msgpack_packer *pk, const char *key,
    const char *const *vals, uint32_t n)
{
	msgpack_pack_map(pk, 2);
	hr_pack_kv_int(pk, "limit", 20);
	hr_pack_kv_str(pk, key, vals[pick(n)]);
}

/* The journal filtered by the start of a surname. */
static void
pack_journal_q(struct sess *s, msgpack_packer *pk)
{
	(void)s;
	pack_page_one_of(pk, "q", prefixes, NPREFIXES);
}

/* ... by its first letter only (the widest name filter). */
static const char *const letters[] = { "К", "Б", "М", "Т", "Ш", "П" };
#define NLETTERS (sizeof letters / sizeof letters[0])

static void
pack_journal_q1(struct sess *s, msgpack_packer *pk)
{
	(void)s;
	pack_page_one_of(pk, "q", letters, NLETTERS);
}

/* One status tab, as a clerk switches to it. */
static const char *const statuses[] = { "draft", "at_otg", "at_spszn",
    "checked", "answered" };
#define NSTATUSES (sizeof statuses / sizeof statuses[0])

static void
pack_journal_status(struct sess *s, msgpack_packer *pk)
{
	(void)s;
	msgpack_pack_map(pk, 3);
	hr_pack_kv_int(pk, "limit", 20);
	hr_pack_kv_str(pk, "status", statuses[pick(NSTATUSES)]);
	msgpack_pack_str_with_body(pk, "counts", 6);
	msgpack_pack_true(pk);
}

/* One service. */
static const char *const services[] = { "subsidy", "low_income", "birth" };
#define NSERVICES (sizeof services / sizeof services[0])

static void
pack_journal_service(struct sess *s, msgpack_packer *pk)
{
	(void)s;
	pack_page_one_of(pk, "service", services, NSERVICES);
}

/*
 * The other filters of the journal's filter dialog (tui/journal_filter.c),
 * each as the client sends a filter's first page: with the counts
 * (tui/journal_fetch.c), which are counted with every filter but the
 * status applied.
 */
static void
pack_first_page(msgpack_packer *pk, const char *key, const char *val)
{
	msgpack_pack_map(pk, 3);
	hr_pack_kv_int(pk, "limit", 20);
	hr_pack_kv_bool(pk, "counts", 1);
	hr_pack_kv_str(pk, key, val);
}

/* A service with its counts: per status, of that service alone. */
static void
pack_journal_service_counts(struct sess *s, msgpack_packer *pk)
{
	(void)s;
	pack_first_page(pk, "service", services[pick(NSERVICES)]);
}

/* A surname's start with its counts. */
static void
pack_journal_q_counts(struct sess *s, msgpack_packer *pk)
{
	(void)s;
	pack_first_page(pk, "q", prefixes[pick(NPREFIXES)]);
}

/* The package: full or partial. */
static const char *const packages[] = { "full", "partial" };
#define NPACKAGES (sizeof packages / sizeof packages[0])

static void
pack_journal_package(struct sess *s, msgpack_packer *pk)
{
	(void)s;
	pack_first_page(pk, "package", packages[pick(NPACKAGES)]);
}

/* The decision imported for it, or none yet. */
static const char *const decisions[] = { "assigned", "refused", "none" };
#define NDECISIONS (sizeof decisions / sizeof decisions[0])

static void
pack_journal_decision(struct sess *s, msgpack_packer *pk)
{
	(void)s;
	pack_first_page(pk, "decision", decisions[pick(NDECISIONS)]);
}

/* A registration number's start, as a clerk types it from a paper. */
static const char *const reg_nos[] = { "00012", "0003", "00107/2026" };
#define NREG_NOS (sizeof reg_nos / sizeof reg_nos[0])

static void
pack_journal_reg_no(struct sess *s, msgpack_packer *pk)
{
	(void)s;
	pack_first_page(pk, "reg_no", reg_nos[pick(NREG_NOS)]);
}

/* The clock: late, running out, or every case by its due date. */
static const char *const clocks[] = { "late", "expiring", "order" };
#define NCLOCKS (sizeof clocks / sizeof clocks[0])

static void
pack_journal_clock(struct sess *s, msgpack_packer *pk)
{
	const char *c = clocks[pick(NCLOCKS)];

	(void)s;
	if (strcmp(c, "order") == 0)
		pack_first_page(pk, "order", "clock");
	else
		pack_first_page(pk, "clock", c);
}

/* «Рішення є, заявника не повідомлено». */
static void
pack_journal_untold(struct sess *s, msgpack_packer *pk)
{
	(void)s;
	msgpack_pack_map(pk, 3);
	hr_pack_kv_int(pk, "limit", 20);
	hr_pack_kv_bool(pk, "counts", 1);
	hr_pack_kv_bool(pk, "unnotified", 1);
}

/* Created within one of the last weeks (server local days). */
static void
journal_week(char from[11], char to[11])
{
	time_t now = time(NULL) - (time_t)pick(8) * 7 * 86400;
	time_t start = now - 6 * 86400;
	struct tm tm;

	strftime(from, 11, "%Y-%m-%d", localtime_r(&start, &tm));
	strftime(to, 11, "%Y-%m-%d", localtime_r(&now, &tm));
}

static void
pack_journal_dates(struct sess *s, msgpack_packer *pk)
{
	char from[11], to[11];

	(void)s;
	journal_week(from, to);
	msgpack_pack_map(pk, 4);
	hr_pack_kv_int(pk, "limit", 20);
	hr_pack_kv_bool(pk, "counts", 1);
	hr_pack_kv_str(pk, "date_from", from);
	hr_pack_kv_str(pk, "date_to", to);
}

/* person.search: the start of a surname, as a clerk types it. */
static void
pack_person_search(struct sess *s, msgpack_packer *pk)
{
	(void)s;
	msgpack_pack_map(pk, 1);
	hr_pack_kv_str(pk, "q", prefixes[pick(NPREFIXES)]);
}

/*
 * The same queries on SQLite alone (raw_reads.h): which filter each row
 * sets, its value picked from the same list as its packer's.
 */
struct raw_kind {
	const char *const *q, *const *status, *const *service;
	uint32_t    nq, nstatus, nservice;
	int         counts, walk, search;
	/* one of the other filters (raw_journal_params), from vals[n] */
	const char *filter;
	const char *const *vals;
	uint32_t    nvals;
};

static const struct raw_kind raw_page = { .walk = 1 };
static const struct raw_kind raw_counts = { .counts = 1 };
static const struct raw_kind raw_q = { .q = prefixes, .nq = NPREFIXES };
static const struct raw_kind raw_q1 = { .q = letters, .nq = NLETTERS };
static const struct raw_kind raw_status = { .status = statuses,
    .nstatus = NSTATUSES, .counts = 1 };
static const struct raw_kind raw_service = { .service = services,
    .nservice = NSERVICES };
static const struct raw_kind raw_search = { .q = prefixes,
    .nq = NPREFIXES, .search = 1 };
static const struct raw_kind raw_service_counts = { .service = services,
    .nservice = NSERVICES, .counts = 1 };
static const struct raw_kind raw_q_counts = { .q = prefixes,
    .nq = NPREFIXES, .counts = 1 };
static const struct raw_kind raw_package = { .counts = 1,
    .filter = "package", .vals = packages, .nvals = NPACKAGES };
static const struct raw_kind raw_decision = { .counts = 1,
    .filter = "decision", .vals = decisions, .nvals = NDECISIONS };
static const struct raw_kind raw_reg_no = { .counts = 1,
    .filter = "reg_no", .vals = reg_nos, .nvals = NREG_NOS };
static const struct raw_kind raw_clock = { .counts = 1,
    .filter = "clock", .vals = clocks, .nvals = NCLOCKS };
static const char *const untold_vals[] = { "1" };
static const struct raw_kind raw_untold = { .counts = 1,
    .filter = "unnotified", .vals = untold_vals, .nvals = 1 };
static const struct raw_kind raw_dates = { .counts = 1, .filter = "dates" };

/* One of them as user u: ms, or -1. */
static double
raw_run(struct raw_db *r, size_t u, const struct raw_kind *k)
{
	struct raw_journal_params p;
	char from[11], to[11];

	memset(&p, 0, sizeof p);
	p.counts = k->counts;
	p.walk = k->walk;
	if (k->filter != NULL && strcmp(k->filter, "dates") == 0) {
		journal_week(from, to);
		p.date_from = from;
		p.date_to = to;
	} else if (k->filter != NULL) {
		p.filter = k->filter;
		p.value = k->vals[pick(k->nvals)];
	}
	p.q = k->nq ? k->q[pick(k->nq)] : NULL;
	p.status = k->nstatus ? k->status[pick(k->nstatus)] : NULL;
	p.service = k->nservice ? k->service[pick(k->nservice)] : NULL;
	return k->search ? raw_person_search(r, u, p.q) : raw_journal(r, u, &p);
}

/*
 * application.save creates a draft for a person nobody has yet
 * (tests/lib/tapp.h), so the server refuses neither a duplicate person nor
 * a second open application; the walk starts from the clock, so the passes
 * of run-load.sh on one server do not meet either.
 */
static int
can_app_save(const struct sess *s)
{
	return s->user < NFRONT;
}

static void
pack_app_save(struct sess *s, msgpack_packer *pk)
{
	struct tapp_person p;

	(void)s;
	tapp_next(&p);
	tapp_pack_save(pk, &p, "Навантаженко");
}

static void
done_app_save(struct sess *s, const msgpack_object *r)
{
	s->app_id = tobj_int(tobj_get(r, "id"), 0);
	s->app_version = tobj_int(tobj_get(r, "version"), 0);
}

/* application.transition: the front office sends its own draft on to the
 * hromada, once; a session without a draft of its own waits for a save. */
static int
can_app_transition(const struct sess *s)
{
	return s->app_id > 0 && s->app_version > 0;
}

static void
pack_app_transition(struct sess *s, msgpack_packer *pk)
{
	msgpack_pack_map(pk, 4);
	hr_pack_kv_int(pk, "id", s->app_id > 0 ? s->app_id : 1);
	hr_pack_kv_int(pk, "version", s->app_version > 0 ? s->app_version : 1);
	hr_pack_kv_str(pk, "action", "send_otg");
	hr_pack_kv_bool(pk, "partial", 1);     /* it has no scans */
	s->app_id = s->app_version = 0;      /* sent, or refused: not again */
}

static void
pack_empty(struct sess *s, msgpack_packer *pk)
{
	(void)s;
	msgpack_pack_map(pk, 0);
}

/* resume's ticket is packed by the caller (it comes from the pool). */

static const struct row rows[] = {
	/* name             method                  weight kind         ticket pack                  done           can                 raw */
	{ "journal.page",   HR_M_JOURNAL_LIST,       26,   ROW_QUERY,   0,     pack_journal,         done_journal,  NULL,              &raw_page },
	{ "journal.counts", HR_M_JOURNAL_LIST,       10,   ROW_QUERY,   0,     pack_journal_counts,  NULL,          NULL,              &raw_counts },
	{ "journal.q",      HR_M_JOURNAL_LIST,        5,   ROW_QUERY,   0,     pack_journal_q,       NULL,          NULL,              &raw_q },
	{ "journal.q1",     HR_M_JOURNAL_LIST,        2,   ROW_QUERY,   0,     pack_journal_q1,      NULL,          NULL,              &raw_q1 },
	{ "journal.status", HR_M_JOURNAL_LIST,        3,   ROW_QUERY,   0,     pack_journal_status,  NULL,          NULL,              &raw_status },
	{ "journal.service",HR_M_JOURNAL_LIST,        2,   ROW_QUERY,   0,     pack_journal_service, NULL,          NULL,              &raw_service },
	{ "journal.svc+n",  HR_M_JOURNAL_LIST,        2,   ROW_QUERY,   0,     pack_journal_service_counts, NULL,   NULL,              &raw_service_counts },
	{ "journal.q+n",    HR_M_JOURNAL_LIST,        2,   ROW_QUERY,   0,     pack_journal_q_counts, NULL,         NULL,              &raw_q_counts },
	{ "journal.package",HR_M_JOURNAL_LIST,        1,   ROW_QUERY,   0,     pack_journal_package, NULL,          NULL,              &raw_package },
	{ "journal.dates",  HR_M_JOURNAL_LIST,        1,   ROW_QUERY,   0,     pack_journal_dates,   NULL,          NULL,              &raw_dates },
	{ "journal.untold", HR_M_JOURNAL_LIST,        1,   ROW_QUERY,   0,     pack_journal_untold,  NULL,          NULL,              &raw_untold },
	{ "journal.decision",HR_M_JOURNAL_LIST,       1,   ROW_QUERY,   0,     pack_journal_decision, NULL,         NULL,              &raw_decision },
	{ "journal.reg_no", HR_M_JOURNAL_LIST,        1,   ROW_QUERY,   0,     pack_journal_reg_no,  NULL,          NULL,              &raw_reg_no },
	{ "journal.clock",  HR_M_JOURNAL_LIST,        1,   ROW_QUERY,   0,     pack_journal_clock,   NULL,          NULL,              &raw_clock },
	{ "person.search",  HR_M_PERSON_SEARCH,      15,   ROW_QUERY,   0,     pack_person_search,   NULL,          NULL,              &raw_search },
	{ "app.save",       HR_M_APPLICATION_SAVE,   10,   ROW_WRITE,   0,     pack_app_save,        done_app_save, can_app_save,       NULL },
	{ "app.transition", HR_M_APPLICATION_TRANSITION, 5, ROW_WRITE,  0,     pack_app_transition,  NULL,          can_app_transition, NULL },
	{ "resume",         HR_M_RESUME,              5,   ROW_SESSION, 1,     NULL,                 NULL,          NULL,               NULL },
	{ "ping",           HR_M_PING,                7,   0,           0,     pack_empty,           NULL,          NULL,               NULL },
};
#define NROWS (sizeof rows / sizeof rows[0])

static struct row_run runs[NROWS];
#define RUN(r) (&runs[(r) - rows])

/* ---- the run -------------------------------------------------------------- */


struct lg {
	struct opts  o;
	struct sess *s;
	size_t       n;
	int          ep;
	struct pool  pools[NUSERS];
	size_t       opened, handshaking, logging_in, ready, dead;
	int          measuring;
	double       t_start, t_end;
	uint64_t     stalls, lost;       /* requests without a reply */
	struct lat   login_lat, resume_lat, hs_lat, idle_ping_lat;
	char         dead_why[200];
};

static struct lg lg;

/*
 * A clerk's pause before the next request: exponential around --think-ms,
 * so that requests arrive like independent people's (Poisson), not in step.
 */
static double
think_pause(void)
{
	if (lg.o.think_ms <= 0)
		return 0;
	return -log(1.0 - randombytes_uniform(1000000) / 1e6) * lg.o.think_ms;
}

static void
pool_put(struct pool *p, const uint8_t *t)
{
	if (t == NULL)
		return;
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		void  *v = realloc(p->t, cap * sizeof *p->t);

		if (v == NULL)
			return;
		p->t = v;
		p->cap = cap;
	}
	memcpy(p->t[p->n++], t, HR_TICKET_LEN);
}

static int
pool_take(struct pool *p, uint8_t out[HR_TICKET_LEN])
{
	if (p->n == 0)
		return -1;
	memcpy(out, p->t[--p->n], HR_TICKET_LEN);
	return 0;
}

/* Keep epoll's registration in step with the client's fd and wishes. */
static void
sess_sync(struct sess *s)
{
	int fd = hr_client_fd(s->c);
	uint32_t ev = EPOLLIN | (hr_client_wants_write(s->c) ? EPOLLOUT : 0);
	struct epoll_event e = { .events = ev, .data.u32 = (uint32_t)s->idx };

	if (fd != s->reg_fd) {
		if (s->reg_fd >= 0)
			epoll_ctl(lg.ep, EPOLL_CTL_DEL, s->reg_fd, NULL);
		s->reg_fd = -1;
		if (fd >= 0 && epoll_ctl(lg.ep, EPOLL_CTL_ADD, fd, &e) == 0) {
			s->reg_fd = fd;
			s->reg_ev = ev;
		}
		return;
	}
	if (fd >= 0 && ev != s->reg_ev && epoll_ctl(lg.ep, EPOLL_CTL_MOD, fd,
	    &e) == 0)
		s->reg_ev = ev;
}

static void
sess_dead(struct sess *s, const char *why)
{
	if (s->state == S_DEAD)
		return;
	if (s->state == S_HANDSHAKE)
		lg.handshaking--;
	if (s->state == S_AUTH)
		lg.logging_in--;
	if (s->state == S_READY)
		lg.ready--;
	s->state = S_DEAD;
	lg.dead++;
	if (lg.dead_why[0] == '\0')
		snprintf(lg.dead_why, sizeof lg.dead_why, "session %d: %s",
		    s->idx, why);
}

static void auth_reply(void *ud, const struct hr_msg *m, const struct hr_error *err);

/* Log in: the password for the first sessions of a user, else a ticket. */
static void
sess_auth(struct sess *s)
{
	struct pool   *p = &lg.pools[s->user];
	uint8_t        t[HR_TICKET_LEN];
	msgpack_packer *pk;
	char           pw[64];

	if (p->logins < lg.o.logins_per_user && lg.logging_in < LOGIN_INFLIGHT) {
		p->logins++;
		snprintf(pw, sizeof pw, "demo-%s-2026", users[s->user]);
		pk = hr_client_begin(s->c, HR_M_LOGIN);
		msgpack_pack_map(pk, 3);
		hr_pack_kv_str(pk, "user", users[s->user]);
		hr_pack_kv_str(pk, "password", pw);
		hr_pack_kv_str(pk, "client", "loadgen");
		s->login_mode = 1;
	} else if (pool_take(p, t) == 0) {
		/* A ticket another session got, under the same key. */
		hr_client_set_ticket(s->c, t, NULL);
		sodium_memzero(t, sizeof t);
		pk = hr_client_begin(s->c, HR_M_RESUME);
		msgpack_pack_map(pk, 2);
		(void)hr_client_pack_resume(s->c, pk);
		s->login_mode = 0;
	} else {
		s->state = S_WAIT_TICKET;
		return;
	}
	s->state = S_AUTH;
	lg.logging_in++;
	s->sent_at = tclock_ms();
	if (hr_client_send(s->c, auth_reply, s) == 0)
		sess_dead(s, "cannot queue the login");
}

static void
auth_reply(void *ud, const struct hr_msg *m, const struct hr_error *err)
{
	struct sess *s = ud;
	double       ms = tclock_ms() - s->sent_at;

	if (s->state != S_AUTH)
		return;
	lg.logging_in--;
	if (m == NULL) {
		s->state = S_READY;        /* counted by sess_dead */
		lg.ready++;
		sess_dead(s, err->msg);
		return;
	}
	if (m->err_code == HR_E_BUSY && s->login_mode) {
		lg.pools[s->user].logins--;      /* try again shortly */
		s->state = S_WAIT_TICKET;
		s->next_at = tclock_ms() + BUSY_RETRY_MS;
		return;
	}
	if (m->err_code != HR_OK) {
		s->state = S_READY;
		lg.ready++;
		sess_dead(s, err->msg);
		return;
	}
	lat_add(s->login_mode ? &lg.login_lat : &lg.resume_lat, ms);
	pool_put(&lg.pools[s->user], hr_client_ticket(s->c));
	s->state = S_READY;
	/* The first request after a pause too: 200 sessions logged in within
	 * a few ms must not all send their first request in the same instant
	 * (no office does; it would measure a burst, not the load). */
	s->next_at = tclock_ms() + think_pause();
	lg.ready++;
}

/* ---- requests of the mix ---------------------------------------------- */


static void mix_reply(void *ud, const struct hr_msg *m, const struct hr_error *err);

/* A row by weight among those the server has and this session may send. */
static int
row_open(const struct row *r, const struct sess *s)
{
	return RUN(r)->enabled && (r->can == NULL || r->can(s));
}

static const struct row *
mix_pick(const struct sess *s)
{
	uint32_t w = 0;

	for (size_t i = 0; i < NROWS; i++)
		if (row_open(&rows[i], s))
			w += (uint32_t)rows[i].weight;
	if (w == 0)
		return NULL;
	w = pick(w);
	for (size_t i = 0; i < NROWS; i++) {
		if (!row_open(&rows[i], s))
			continue;
		if (w < (uint32_t)rows[i].weight)
			return &rows[i];
		w -= (uint32_t)rows[i].weight;
	}
	return NULL;
}

/* Pack the row's request on client c; -1 when it cannot (no ticket). */
static int
row_begin(const struct row *r, struct sess *s)
{
	msgpack_packer *pk;
	uint8_t         t[HR_TICKET_LEN];

	if (r->ticket) {
		if (pool_take(&lg.pools[s->user], t) < 0)
			return -1;
		hr_client_set_ticket(s->c, t, NULL);
		sodium_memzero(t, sizeof t);
		pk = hr_client_begin(s->c, r->method);
		msgpack_pack_map(pk, 2);
		return hr_client_pack_resume(s->c, pk);
	}
	pk = hr_client_begin(s->c, r->method);
	r->pack(s, pk);
	return 0;
}

static void
mix_send(struct sess *s)
{
	const struct row *r = mix_pick(s);

	if (r == NULL)
		return;
	if (row_begin(r, s) < 0) {
		/* No ticket of this user is free: a ping instead. */
		for (r = rows; r < rows + NROWS && strcmp(r->method, HR_M_PING); r++)
			;
		if (r == rows + NROWS || row_begin(r, s) < 0)
			return;
	}
	s->row = (int)(r - rows);
	s->sent_at = tclock_ms();
	s->counted = lg.measuring;
	if (hr_client_send(s->c, mix_reply, s) == 0) {
		s->row = -1;
		sess_dead(s, "cannot queue a request");
		return;
	}
	if (s->counted)
		RUN(r)->sent++;
}

static void
mix_reply(void *ud, const struct hr_msg *m, const struct hr_error *err)
{
	struct sess *s = ud;
	const struct row *r;
	double       t = tclock_ms();

	if (s->row < 0)
		return;
	r = &rows[s->row];
	s->row = -1;
	if (m == NULL) {
		if (s->counted)
			lg.lost++;
		sess_dead(s, err->msg);
		return;
	}
	if (r->ticket && m->err_code == HR_OK)
		pool_put(&lg.pools[s->user], hr_client_ticket(s->c));
	if (m->err_code == HR_OK && r->done != NULL)
		r->done(s, &m->result);
	if (s->counted && t <= lg.t_end) {
		if (m->err_code == HR_OK) {
			RUN(r)->ok++;
			lat_add(&RUN(r)->lat, t - s->sent_at);
		} else {
			RUN(r)->errs++;
			snprintf(RUN(r)->last_err, sizeof RUN(r)->last_err, "%s: %.200s",
			    hr_error_name(m->err_code), err->msg);
		}
	}
	s->next_at = t + think_pause();
}

/* ---- the probe: which rows does this server have? ----------------------- */

/* --only: run just the named rows (to see what one kind of request costs). */
static void
only_rows(const char *list)
{
	size_t named = 0;

	for (size_t i = 0; i < NROWS; i++) {
		const struct row *r = &rows[i];
		size_t n = strlen(r->name);
		const char *p = list;
		int in = 0;

		while (*p != '\0' && !in) {
			size_t len = strcspn(p, ",");

			in = len == n && memcmp(p, r->name, n) == 0;
			p += len + (p[len] == ',');
		}
		named += (size_t)in;
		if (!in && RUN(r)->enabled) {
			RUN(r)->enabled = 0;
			snprintf(RUN(r)->why, sizeof RUN(r)->why, "not in --only");
		}
	}
	if (named == 0)
		die("--only %s: no such row (see the report's first column)", list);
}

struct probe_res {
	int  done, code;
	char msg[HR_ERROR_MSG_MAX];
	msgpack_sbuffer copy;          /* the result, re-packed */
};

static void
probe_reply(void *ud, const struct hr_msg *m, const struct hr_error *err)
{
	struct probe_res *p = ud;
	msgpack_packer    pk;

	p->done = 1;
	p->code = m ? m->err_code : (err->code ? err->code : HR_E_DISCONNECTED);
	snprintf(p->msg, sizeof p->msg, "%s", err->msg);
	if (m != NULL && m->err_code == HR_OK) {
		msgpack_packer_init(&pk, &p->copy, msgpack_sbuffer_write);
		msgpack_pack_object(&pk, m->result);
	}
}

/* Send what was packed on c and wait for the reply (bounded). */
static int
probe_call(struct hr_client *c, struct probe_res *p)
{
	struct hr_error err;
	uint32_t        id;

	msgpack_sbuffer_clear(&p->copy);
	p->done = 0;
	id = hr_client_send(c, probe_reply, p);
	if (id == 0 || (hr_client_wait(c, id, CALL_MS, &err) < 0 && !p->done)) {
		p->code = HR_E_TIMEOUT;
		snprintf(p->msg, sizeof p->msg, "no reply within %d ms", CALL_MS);
	}
	return p->code;
}

/*
 * Log in one session as `supersta` (sees the whole hromada) and try every
 * row once.  HR_E_NO_METHOD: the server does not have it yet; HR_E_PARAMS:
 * it has, but the builder above is out of date.  Either way: skipped.
 */
static void
probe_rows(void)
{
	struct hr_error   err;
	struct probe_res  p;
	struct hr_client *c = tclient_open(lg.o.addr, lg.o.pk, CALL_MS, &err);
	struct sess       fake;
	msgpack_packer   *pk;

	if (c == NULL)
		die("cannot connect to %s: %s", lg.o.addr, err.msg);
	memset(&p, 0, sizeof p);
	msgpack_sbuffer_init(&p.copy);
	pk = hr_client_begin(c, HR_M_LOGIN);
	msgpack_pack_map(pk, 2);
	hr_pack_kv_str(pk, "user", "supersta");
	hr_pack_kv_str(pk, "password", "demo-supersta-2026");
	if (probe_call(c, &p) != HR_OK)
		die("probe login as supersta: %s: %s", hr_error_name(p.code), p.msg);
	memset(&fake, 0, sizeof fake);
	fake.c = c;
	fake.user = 2;                        /* supersta */
	pool_put(&lg.pools[fake.user], hr_client_ticket(c));
	for (size_t i = 0; i < NROWS; i++) {
		const struct row *r = &rows[i];

		if (row_begin(r, &fake) < 0) {
			snprintf(RUN(r)->why, sizeof RUN(r)->why, "no ticket to probe with");
			continue;
		}
		probe_call(c, &p);
		if (p.code == HR_OK || p.code == HR_E_NOT_FOUND ||
		    p.code == HR_E_STATE || p.code == HR_E_CONFLICT) {
			RUN(r)->enabled = 1;
			if (r->ticket)
				pool_put(&lg.pools[fake.user], hr_client_ticket(c));
			if (p.code == HR_OK && r->done != NULL) {
				msgpack_unpacked u;
				size_t off = 0;

				msgpack_unpacked_init(&u);
				if (msgpack_unpack_next(&u, p.copy.data, p.copy.size,
				    &off) == MSGPACK_UNPACK_SUCCESS)
					r->done(&fake, &u.data);
				msgpack_unpacked_destroy(&u);
			}
		} else if (p.code == HR_E_NO_METHOD)
			snprintf(RUN(r)->why, sizeof RUN(r)->why, "server has no %s yet",
			    r->method);
		else
			snprintf(RUN(r)->why, sizeof RUN(r)->why, "%s refused the probe: "
			    "%s: %.200s (update its params builder)", r->method,
			    hr_error_name(p.code), p.msg);
	}
	if (lg.o.only != NULL)
		only_rows(lg.o.only);
	/* The probe's last ticket serves the mix too. */
	msgpack_sbuffer_destroy(&p.copy);
	hr_client_free(c);
}

/* ---- /proc of the server -------------------------------------------------- */

/* VmRSS or VmHWM in KiB, -1 when unreadable. */
static long
proc_kb(long pid, const char *field)
{
	char path[64], line[256];
	size_t flen = strlen(field);
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%ld/status", pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL)
		if (strncmp(line, field, flen) == 0 && line[flen] == ':') {
			kb = strtol(line + flen + 1, NULL, 10);
			break;
		}
	fclose(f);
	return kb;
}

/* utime + stime of the process in clock ticks, -1 when unreadable. */
static long long
proc_cpu_ticks(long pid)
{
	char path[64], buf[1024], *p;
	unsigned long long ut, st;
	FILE *f;
	size_t n;

	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* The command name may hold spaces: fields count from the last ')'. */
	if ((p = strrchr(buf, ')')) == NULL)
		return -1;
	/* state(3) ... utime is field 14, stime 15: 11 fields after state. */
	if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
	    &ut, &st) != 2)
		return -1;
	return (long long)(ut + st);
}

/* ---- raw SQLite on the same disk ------------------------------------------ */

static int
raw_exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "loadgen: raw sqlite: %s: %s\n", sql,
		    msg ? msg : "?");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/*
 * One row per transaction, WAL, synchronous=FULL — what the server would
 * manage with one fsync per request.  In a temporary file in `dir` (the
 * same disk), or with `db` in a scratch table of that database file itself
 * (the server's: the same file, its WAL, its size), dropped afterwards.
 * Transactions per second, -1 on failure.
 */
static double
raw_sqlite_rate(const char *dir, const char *db_file, double seconds)
{
	static const char *const sfx[] = { "", "-wal", "-shm", "-journal" };
	char path[PATH_MAX], rm[PATH_MAX + 16];
	uint8_t blob[100];
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	double t0, t;
	long n = 0;
	int ok = 0;

	if (db_file != NULL)
		snprintf(path, sizeof path, "%s", db_file);
	else
		snprintf(path, sizeof path, "%s/loadgen-raw-%ld.db", dir,
		    (long)getpid());
	randombytes_buf(blob, sizeof blob);
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_busy_timeout(db, 10000) != SQLITE_OK ||
	    raw_exec(db, "PRAGMA journal_mode=WAL") < 0 ||
	    raw_exec(db, "PRAGMA synchronous=FULL") < 0 ||
	    raw_exec(db, "CREATE TABLE IF NOT EXISTS loadgen_raw (id INTEGER "
	    "PRIMARY KEY, v BLOB)") < 0 ||
	    sqlite3_prepare_v2(db, "INSERT INTO loadgen_raw (v) VALUES (?)", -1,
	    &st, NULL) != SQLITE_OK)
		goto out;
	t0 = t = tclock_ms();
	while (t - t0 < seconds * 1e3) {
		if (raw_exec(db, "BEGIN IMMEDIATE") < 0)
			goto out;
		sqlite3_bind_blob(st, 1, blob, sizeof blob, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			goto out;
		sqlite3_reset(st);
		if (raw_exec(db, "COMMIT") < 0)
			goto out;
		n++;
		t = tclock_ms();
	}
	ok = 1;
out:
	sqlite3_finalize(st);
	if (db != NULL && db_file != NULL)
		(void)raw_exec(db, "DROP TABLE IF EXISTS loadgen_raw");
	sqlite3_close(db);
	for (size_t i = 0; db_file == NULL && i < sizeof sfx / sizeof sfx[0];
	    i++) {
		snprintf(rm, sizeof rm, "%s%s", path, sfx[i]);
		unlink(rm);
	}
	return ok ? n / ((t - t0) / 1e3) : -1;
}

/* ---- the audit log's growth (--audit-db) ---------------------------------- */

struct audit_mark {
	int64_t last_id;               /* the newest record */
	int     ok;
};

/* The newest audit record's id, read-only (the server runs). */
static struct audit_mark
audit_mark(const char *file)
{
	struct audit_mark m = { 0, 0 };
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;

	if (file != NULL && sqlite3_open_v2(file, &db, SQLITE_OPEN_READONLY,
	    NULL) == SQLITE_OK && sqlite3_prepare_v2(db, "SELECT max(id) FROM "
	    "audit_log", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		m.last_id = sqlite3_column_int64(st, 0);
		m.ok = 1;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return m;
}

/*
 * Bytes per audit record in the live table with its index (dbstat over
 * audit_log and audit_log_object, all records); -1 when unavailable.
 */
static double
audit_bytes_per_record(const char *file)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	double v = -1;

	if (sqlite3_open_v2(file, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, "SELECT (SELECT sum(pgsize) FROM dbstat "
	    "WHERE name IN ('audit_log', 'audit_log_object')) * 1.0 / "
	    "(SELECT count(*) FROM audit_log)", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) !=
	    SQLITE_NULL)
		v = sqlite3_column_double(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* ---- the loop ------------------------------------------------------------- */

static void
raise_nofile(size_t want)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return;
	if (rl.rlim_cur < want + 64) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
			fprintf(stderr, "loadgen: setrlimit: %s\n", strerror(errno));
	}
	getrlimit(RLIMIT_NOFILE, &rl);
	if (rl.rlim_cur < want + 64)
		die("%zu sessions need %zu descriptors; the limit is %llu "
		    "(raise the hard limit: ulimit -Hn)", want, want + 64,
		    (unsigned long long)rl.rlim_cur);
}

static void
sess_open(struct sess *s)
{
	struct hr_error err;

	s->c = hr_client_new();
	if (s->c == NULL)
		die("out of memory for session %d", s->idx);
	hr_client_set_server_key(s->c, lg.o.pk);
	s->sent_at = tclock_ms();
	if (hr_client_connect(s->c, lg.o.addr, &err) < 0) {
		sess_dead(s, err.msg);
		return;
	}
	s->state = S_HANDSHAKE;
	lg.handshaking++;
	sess_sync(s);
}

/* Open more sessions while the number of handshakes in flight allows. */
static void
ramp(void)
{
	while (lg.opened < lg.n && lg.handshaking < HS_INFLIGHT_MAX)
		sess_open(&lg.s[lg.opened++]);
}

/* Per session after I/O: state changes the library made. */
static void
sess_after_io(struct sess *s, int idle_mode, size_t nlogin)
{
	if (s->state == S_HANDSHAKE && hr_client_state(s->c) == HR_CS_READY) {
		lg.handshaking--;
		lat_add(&lg.hs_lat, tclock_ms() - s->sent_at);
		if (idle_mode && (size_t)s->idx >= nlogin) {
			s->state = S_READY;
			lg.ready++;
		} else
			sess_auth(s);
	}
	if (hr_client_state(s->c) == HR_CS_CLOSED && s->state != S_DEAD) {
		const struct hr_error *e = hr_client_error(s->c);

		sess_dead(s, e->msg[0] ? e->msg : "closed");
	}
	sess_sync(s);
}

/* Sessions waiting for a ticket or a pause to end; new requests. */
static void
sess_timers(int idle_mode, double t)
{
	for (size_t i = 0; i < lg.opened; i++) {
		struct sess *s = &lg.s[i];

		if (s->state == S_WAIT_TICKET && t >= s->next_at)
			sess_auth(s);
		else if (!idle_mode && s->state == S_READY && s->row < 0 &&
		    t >= s->next_at && t < lg.t_end)
			mix_send(s);
		else if (s->row >= 0 && lg.measuring && s->counted &&
		    t - s->sent_at > STALL_MS) {
			lg.stalls++;
			s->counted = 0;          /* count each stall once */
		}
		if (s->state != S_DEAD)
			sess_sync(s);
	}
}

/* One turn of the loop: wait for I/O (at most wait_ms), handle it. */
static void
loop_once(int wait_ms, int idle_mode, size_t nlogin)
{
	struct epoll_event ev[EPOLL_BATCH];
	int n = epoll_wait(lg.ep, ev, EPOLL_BATCH, wait_ms);

	for (int i = 0; i < n; i++) {
		struct sess *s = &lg.s[ev[i].data.u32];
		struct hr_error err;

		if (s->state == S_DEAD)
			continue;
		hr_client_io(s->c, (ev[i].events & (EPOLLIN | EPOLLHUP |
		    EPOLLERR)) != 0, (ev[i].events & EPOLLOUT) != 0, &err);
		sess_after_io(s, idle_mode, nlogin);
	}
}

static void
sessions_init(size_t n)
{
	lg.n = n;
	lg.s = calloc(n, sizeof *lg.s);
	if (lg.s == NULL)
		die("out of memory for %zu sessions", n);
	for (size_t i = 0; i < n; i++) {
		lg.s[i].idx = (int)i;
		lg.s[i].user = (int)(i % NUSERS);
		lg.s[i].reg_fd = -1;
		lg.s[i].row = -1;
	}
	lg.ep = epoll_create1(EPOLL_CLOEXEC);
	if (lg.ep < 0)
		die("epoll_create1: %s", strerror(errno));
}

/* Connect (and log in) every session; bounded by RAMP_MAX_MS. */
static int
ramp_all(int idle_mode, size_t nlogin)
{
	double t0 = tclock_ms(), last = t0;

	while (lg.ready + lg.dead < lg.n) {
		double t = tclock_ms();

		if (t - t0 > RAMP_MAX_MS) {
			fprintf(stderr, "loadgen: ramp: only %zu of %zu sessions "
			    "ready after %.0f s\n", lg.ready, lg.n, RAMP_MAX_MS / 1e3);
			return -1;
		}
		if (t - last > 5000) {
			fprintf(stderr, "loadgen: ramp: %zu/%zu ready\n", lg.ready,
			    lg.n);
			last = t;
		}
		ramp();
		loop_once(10, idle_mode, nlogin);
		sess_timers(1, tclock_ms());
	}
	fprintf(stderr, "loadgen: %zu sessions ready in %.1f s (%zu dead)\n",
	    lg.ready, (tclock_ms() - t0) / 1e3, lg.dead);
	return lg.dead > 0 ? -1 : 0;
}

static void
stats_sum(struct hr_client_stats *sum)
{
	memset(sum, 0, sizeof *sum);
	for (size_t i = 0; i < lg.n; i++) {
		struct hr_client_stats st;

		if (lg.s[i].c == NULL)
			continue;
		hr_client_stats(lg.s[i].c, &st);
		sum->bytes_out += st.bytes_out;
		sum->bytes_in += st.bytes_in;
		sum->frames_out += st.frames_out;
		sum->frames_in += st.frames_in;
	}
}

static const char *
verdict(int ok)
{
	return ok ? "ok" : "MISSED";
}

/* ---- mode: the mix under load --------------------------------------------- */

/*
 * --raw-reads: each query kind of the mix on SQLite alone (raw_reads.h),
 * RAW_READS_PER_KIND times, the demo users in turn, one at a time, before
 * the sessions start -- what the SQL costs when nobody waits, beside what
 * the clerks get from the server.
 */
#define RAW_READS_PER_KIND 300

/* This thread's CPU time, ms. */
static double
thread_cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void
raw_reads_measure(void)
{
	struct raw_db *r;

	if (lg.o.raw_reads == NULL || raw_open(&r, lg.o.raw_reads, users,
	    NUSERS) < 0)
		return;
	fprintf(stderr, "loadgen: each query kind on SQLite alone in %s, %d "
	    "times...\n", lg.o.raw_reads, RAW_READS_PER_KIND);
	for (size_t i = 0; i < NROWS; i++) {
		const struct row *w = &rows[i];
		double cpu0 = thread_cpu_ms();

		for (int k = 0; w->raw != NULL && RUN(w)->enabled &&
		    k < RAW_READS_PER_KIND; k++) {
			double ms = raw_run(r, (size_t)k % NUSERS, w->raw);

			if (ms < 0)
				break;
			lat_add(&RUN(w)->raw, ms);
		}
		RUN(w)->raw_cpu_ms = thread_cpu_ms() - cpu0;
	}
	raw_close(r);
}

/*
 * --raw-only: the query kinds on SQLite alone and nothing else (no
 * server): p50, p99 and the CPU a request of each, the demo users in
 * turn.  With --only KIND under callgrind: one kind's instructions.
 */
static int
run_raw_only(void)
{
	for (size_t i = 0; i < NROWS; i++)
		RUN(&rows[i])->enabled = rows[i].raw != NULL;
	if (lg.o.only != NULL)
		only_rows(lg.o.only);
	raw_reads_measure();
	printf("%-16s %9s %9s %11s  (SQLite alone, %d each, in %s)\n", "row",
	    "p50 ms", "p99 ms", "CPU ms/req", RAW_READS_PER_KIND,
	    lg.o.raw_reads);
	for (size_t i = 0; i < NROWS; i++) {
		const struct row *w = &rows[i];

		if (RUN(w)->raw.n == 0)
			continue;
		printf("%-16s %9.2f %9.2f %11.3f\n", w->name,
		    lat_q(&RUN(w)->raw, .5), lat_q(&RUN(w)->raw, .99),
		    RUN(w)->raw_cpu_ms / (double)RUN(w)->raw.n);
	}
	return 0;
}

static int
run_mix(void)
{
	struct hr_client_stats b0, b1;
	long long cpu0 = -1, cpu1 = -1;
	double raw = -1, t, secs, durable_rate, app_rate, worst_q = 0;
	const char *worst_name = "-";
	int have_save = 0;
	uint64_t durable = 0, app_writes = 0, total = 0;
	struct audit_mark am0 = { 0, 0 }, am1 = { 0, 0 };
	long clk = sysconf(_SC_CLK_TCK);
	int missed = 0, failed = 0;

	if (lg.o.raw_dir != NULL || lg.o.raw_db != NULL) {
		fprintf(stderr, "loadgen: raw SQLite rate in %s for %.0f s...\n",
		    lg.o.raw_db ? lg.o.raw_db : lg.o.raw_dir, lg.o.raw_seconds);
		raw = raw_sqlite_rate(lg.o.raw_dir, lg.o.raw_db,
		    lg.o.raw_seconds);
	}
	probe_rows();
	raw_reads_measure();
	sessions_init((size_t)lg.o.sessions);
	if (ramp_all(0, lg.n) < 0)
		failed = 1;

	/* Measure: from now for --seconds; requests sent before don't count. */
	am0 = audit_mark(lg.o.audit_db);
	stats_sum(&b0);
	if (lg.o.server_pid > 0)
		cpu0 = proc_cpu_ticks(lg.o.server_pid);
	lg.t_start = tclock_ms();
	lg.t_end = lg.t_start + lg.o.seconds * 1e3;
	lg.measuring = 1;
	while ((t = tclock_ms()) < lg.t_end) {
		loop_once(lg.o.think_ms > 0 ? 1 : 5, 0, lg.n);
		sess_timers(0, tclock_ms());
	}
	secs = (tclock_ms() - lg.t_start) / 1e3;
	if (lg.o.server_pid > 0)
		cpu1 = proc_cpu_ticks(lg.o.server_pid);
	stats_sum(&b1);
	am1 = audit_mark(lg.o.audit_db);
	lg.measuring = 0;
	/* Let the requests in flight finish (their replies are not counted). */
	for (t = tclock_ms(); tclock_ms() - t < DRAIN_MAX_MS; ) {
		size_t busy = 0;

		for (size_t i = 0; i < lg.n; i++)
			busy += lg.s[i].row >= 0 && lg.s[i].state != S_DEAD;
		if (busy == 0)
			break;
		loop_once(10, 0, lg.n);
	}

	printf("\nLoad: %zu sessions (%s), %.1f s measured, think time %.0f ms "
	    "(closed loop: each session has at most one request in flight)\n",
	    lg.n, "encrypted, logged in", secs, lg.o.think_ms);
	printf("Logins: %zu password logins (p50 %.0f ms, max %.0f ms), "
	    "%zu resumes (p50 %.1f ms); handshake p50 %.1f ms, max %.1f ms\n",
	    lg.login_lat.n, lat_q(&lg.login_lat, .5), lat_q(&lg.login_lat, 1),
	    lg.resume_lat.n, lat_q(&lg.resume_lat, .5), lat_q(&lg.hs_lat, .5),
	    lat_q(&lg.hs_lat, 1));
	printf("\n%-16s %6s %8s %9s %9s %9s %6s %7s  %-14s%s\n", "row", "weight",
	    "req/s", "p50 ms", "p99 ms", "max ms", "at s", "errors", "",
	    lg.o.raw_reads ? "SQLite alone p50 / p99 ms" : "");
	for (size_t i = 0; i < NROWS; i++) {
		const struct row *r = &rows[i];

		if (!RUN(r)->enabled) {
			printf("%-16s %6d  skipped: %s\n", r->name, r->weight, RUN(r)->why);
			continue;
		}
		printf("%-16s %6d %8.0f %9.2f %9.2f %9.2f %6.1f %7llu  %-14s",
		    r->name, r->weight, RUN(r)->ok / secs, lat_q(&RUN(r)->lat, .5),
		    lat_q(&RUN(r)->lat, .99), lat_q(&RUN(r)->lat, 1),
		    (RUN(r)->lat.max_at - lg.t_start) / 1e3,
		    (unsigned long long)RUN(r)->errs, r->kind == ROW_QUERY ?
		    "query" : r->kind == ROW_WRITE ? "durable write" :
		    r->kind == ROW_SESSION ? "durable" : "");
		if (RUN(r)->raw.n > 0)
			printf("%7.2f / %6.2f", lat_q(&RUN(r)->raw, .5),
			    lat_q(&RUN(r)->raw, .99));
		printf("\n");
		if (RUN(r)->errs > 0)
			printf("%-16s        last error: %s\n", "", RUN(r)->last_err);
		total += RUN(r)->ok;
		if (r->kind == ROW_WRITE || r->kind == ROW_SESSION)
			durable += RUN(r)->ok;
		if (r->kind == ROW_WRITE)
			app_writes += RUN(r)->ok;
		if (r->kind == ROW_QUERY && RUN(r)->ok > 0 &&
		    lat_q(&RUN(r)->lat, .99) > worst_q) {
			worst_q = lat_q(&RUN(r)->lat, .99);
			worst_name = r->name;
		}
		if (strcmp(r->method, HR_M_APPLICATION_SAVE) == 0)
			have_save = 1;
	}
	printf("%-16s %6s %8.0f\n", "all", "", total / secs);
	if (total > 0)
		printf("\nWire: %.0f bytes out + %.0f bytes in per request "
		    "(frames, encryption and envelopes included)\n",
		    (double)(b1.bytes_out - b0.bytes_out) / total,
		    (double)(b1.bytes_in - b0.bytes_in) / total);
	if (lg.o.server_pid > 0)
		printf("Server: RSS %ld KiB (peak %ld KiB), CPU %.0f%% of one core "
		    "(%.2f ms per request)\n",
		    proc_kb(lg.o.server_pid, "VmRSS"), proc_kb(lg.o.server_pid,
		    "VmHWM"), cpu0 >= 0 && cpu1 >= 0 ? 100.0 * (cpu1 - cpu0) / clk /
		    secs : -1, total ? 1e3 * (cpu1 - cpu0) / clk / total : 0);

	durable_rate = durable / secs;
	app_rate = app_writes / secs;
	printf("\nDurable writes (replies that mean \"on disk\"): %.0f/s, of "
	    "them application writes (save, transition) %.0f/s; journal pages "
	    "and searches are audited reads, answered before their record is "
	    "on disk (audit_read_window)%s\n", durable_rate, app_rate,
	    have_save ? "" : "; application.save is not on this server");
	if (raw > 0)
		printf("Raw SQLite, %s, WAL, synchronous=FULL, one insert per "
		    "transaction: %.0f tx/s\n", lg.o.raw_db ? "the same "
		    "database file (a scratch table)" : "same disk", raw);
	if (am0.ok && am1.ok && am1.last_id >= am0.last_id && total > 0) {
		double recs = (double)(am1.last_id - am0.last_id);
		double per_s = recs / secs / (double)lg.n;
		double bpr = audit_bytes_per_record(lg.o.audit_db);

		printf("Audit: %.0f records (%.2f per request, %.2f a second per "
		    "session); at this pace a clerk-day (8 h) is %.0f records",
		    recs, recs / (double)total, per_s, per_s * 8 * 3600);
		if (bpr > 0)
			printf(", %.1f MiB in the live table (%.0f B a record with "
			    "its index)", per_s * 8 * 3600 * bpr / (1 << 20), bpr);
		printf("\n");
	}

	printf("\n%-44s %12s %12s  %s\n", "target", "measured", "target", "");
	if (lg.o.think_ms > 0) {
		char label[64];

		snprintf(label, sizeof label, "every query kind p99 (worst: %s)",
		    worst_name);
		printf("%-44s %9.2f ms %9.0f ms  %s\n", label, worst_q,
		    T_PAGE_P99_MS, verdict(worst_q < T_PAGE_P99_MS));
		missed += !(worst_q < T_PAGE_P99_MS);
	} else
		/* Without pauses every session always waits for a reply: the
		 * server is saturated by definition and a request's latency
		 * is about sessions / throughput (Little's law), whatever the
		 * server.  The latency target is judged with pauses. */
		printf("%-44s %9.2f ms %9.0f ms  %s\n", "query p99 (worst), "
		    "saturated (sessions/throughput)", worst_q, T_PAGE_P99_MS,
		    "(latency: run with --think-ms)");
	if (raw > 0 && lg.o.think_ms == 0 && app_writes > 0) {
		double ratio = app_rate / raw;

		printf("%-44s %11.0f%% %11.0f%%  %s\n",
		    "application writes / raw SQLite's inserts", 100 * ratio,
		    100 * T_DURABLE_RATIO, verdict(ratio >= T_DURABLE_RATIO));
		missed += ratio < T_DURABLE_RATIO;
	} else if (raw > 0)
		/* With pauses the clients, not the server, set the rate. */
		printf("%-44s %12s %11.0f%%  (capacity: run with --think-ms 0)\n",
		    "application writes / raw SQLite's inserts", "n/a",
		    100 * T_DURABLE_RATIO);
	printf("%-44s %12llu %12d  %s\n", "requests lost (link dropped) or "
	    "stalled > 10 s", (unsigned long long)(lg.lost + lg.stalls), 0,
	    verdict(lg.lost + lg.stalls == 0));
	printf("%-44s %12zu %12d  %s\n", "sessions dropped", lg.dead, 0,
	    verdict(lg.dead == 0));
	if (lg.dead > 0)
		printf("first drop: %s\n", lg.dead_why);
	if (lg.lost + lg.stalls > 0 || lg.dead > 0)
		failed = 1;
	return failed || (lg.o.strict && missed) ? 1 : 0;
}

/* ---- mode: idle capacity ---------------------------------------------------- */

/* A fresh client: connect + handshake + ping, in ms; -1 on failure. */
static double
fresh_ping(double *hs_ms)
{
	struct hr_error   err;
	struct probe_res  p;
	double            t0 = tclock_ms(), t1;
	struct hr_client *c = tclient_open(lg.o.addr, lg.o.pk, CALL_MS, &err);
	msgpack_packer   *pk;

	if (c == NULL) {
		fprintf(stderr, "loadgen: fresh client: %s\n", err.msg);
		return -1;
	}
	t1 = tclock_ms();
	*hs_ms = t1 - t0;
	memset(&p, 0, sizeof p);
	msgpack_sbuffer_init(&p.copy);
	pk = hr_client_begin(c, HR_M_PING);
	msgpack_pack_map(pk, 0);
	probe_call(c, &p);
	msgpack_sbuffer_destroy(&p.copy);
	hr_client_free(c);
	return p.code == HR_OK ? tclock_ms() - t1 : -1;
}

/* Reply to a ping of an idle session that woke up. */
static void
idle_ping_reply(void *ud, const struct hr_msg *m, const struct hr_error *err)
{
	struct sess *s = ud;

	(void)err;
	if (s->row >= 0 && m != NULL && m->err_code == HR_OK)
		lat_add(&lg.idle_ping_lat, tclock_ms() - s->sent_at);
	s->row = -1;
}

static int
run_idle(void)
{
	size_t nlogin = (size_t)lg.o.idle_login, k, waiting;
	long rss0 = -1, rss1 = -1, hwm = -1;
	double hs = 0, ping, worst = 0, t;
	int failed = 0, pings_ok = 0;

	sessions_init((size_t)lg.o.idle);
	raise_nofile(lg.n);
	if (ramp_all(1, nlogin) < 0)
		failed = 1;
	if (lg.o.server_pid > 0)
		rss0 = proc_kb(lg.o.server_pid, "VmRSS");
	/* Hold them idle while fresh clients come and go. */
	for (t = tclock_ms(); tclock_ms() - t < lg.o.seconds * 1e3; ) {
		loop_once(50, 1, nlogin);
		ping = fresh_ping(&hs);
		if (ping >= 0) {
			pings_ok++;
			if (ping + hs > worst)
				worst = ping + hs;
		} else
			failed = 1;
		for (double w = tclock_ms(); tclock_ms() - w < 500; )
			loop_once(50, 1, nlogin);
	}
	/* Some idle sessions wake up at once and ping. */
	for (k = 0; k < lg.n && k < 1000; k++) {
		struct sess *s = &lg.s[(k * 7919) % lg.n];
		msgpack_packer *pk;

		if (s->state != S_READY || s->row >= 0)
			continue;
		pk = hr_client_begin(s->c, HR_M_PING);
		msgpack_pack_map(pk, 0);
		s->row = 0;              /* marks "in flight"; not a mix row */
		s->sent_at = tclock_ms();
		if (hr_client_send(s->c, idle_ping_reply, s) == 0)
			s->row = -1;
		sess_sync(s);
	}
	for (t = tclock_ms(); tclock_ms() - t < 10000; ) {
		waiting = 0;
		for (k = 0; k < lg.n; k++)
			waiting += lg.s[k].row >= 0 && lg.s[k].state != S_DEAD;
		if (waiting == 0)
			break;
		loop_once(10, 1, nlogin);
	}
	if (lg.o.server_pid > 0) {
		rss1 = proc_kb(lg.o.server_pid, "VmRSS");
		hwm = proc_kb(lg.o.server_pid, "VmHWM");
	}
	printf("\nIdle: %zu encrypted sessions held %.0f s: handshake done for "
	    "all, %zu of them logged in: %zu password logins (Argon2id, %d per "
	    "user), %zu resumes with a ticket (p50 %.1f ms); handshake p50 "
	    "%.1f ms, max %.1f ms\n", lg.ready, lg.o.seconds,
	    lg.login_lat.n + lg.resume_lat.n, lg.login_lat.n,
	    lg.o.logins_per_user, lg.resume_lat.n, lat_q(&lg.resume_lat, .5),
	    lat_q(&lg.hs_lat, .5), lat_q(&lg.hs_lat, 1));
	printf("Server RSS: %.1f MiB after the ramp, %.1f MiB at the end, peak "
	    "%.1f MiB (%.1f KiB per session)\n", rss0 / 1024.0, rss1 / 1024.0,
	    hwm / 1024.0, lg.n ? (double)rss1 / lg.n : 0);
	printf("Fresh clients during it: %d pings ok; worst connect+handshake+"
	    "ping %.1f ms\n", pings_ok, worst);
	printf("%zu idle sessions pinging at once: p50 %.1f ms, max %.1f ms\n",
	    lg.idle_ping_lat.n, lat_q(&lg.idle_ping_lat, .5),
	    lat_q(&lg.idle_ping_lat, 1));
	printf("\n%-44s %12s %12s  %s\n", "target", "measured", "target", "");
	printf("%-44s %8.1f MiB %8.0f MiB  %s\n", "server RSS, idle sessions",
	    hwm / 1024.0, T_IDLE_RSS_MB, verdict(hwm / 1024.0 < T_IDLE_RSS_MB));
	printf("%-44s %9.1f ms %9.0f ms  %s\n", "fresh client's ping meanwhile",
	    worst, T_IDLE_PING_MS, verdict(pings_ok > 0 && worst < T_IDLE_PING_MS));
	printf("%-44s %12zu %12d  %s\n", "sessions dropped", lg.dead, 0,
	    verdict(lg.dead == 0));
	if (lg.dead > 0)
		printf("first drop: %s\n", lg.dead_why);
	if (lg.dead > 0 || pings_ok == 0 || worst >= T_IDLE_PING_MS)
		failed = 1;
	if (lg.o.strict && hwm / 1024.0 >= T_IDLE_RSS_MB)
		failed = 1;
	return failed;
}

/* ---- main ------------------------------------------------------------------ */

static void
usage(FILE *f)
{
	fprintf(f, "usage: loadgen --addr HOST:PORT --key KEY [options]\n"
	    "  --key KEY           server key: base64, or a known_hosts line "
	    "\"HOST:PORT BASE64\"\n"
	    "  --sessions N        concurrent sessions (200)\n"
	    "  --seconds S         measured time (20)\n"
	    "  --think-ms MS       mean pause between requests of a session (0)\n"
	    "  --logins-per-user N password logins per demo user (2); the "
	    "rest resume\n"
	    "  --server-pid PID    read the server's RSS and CPU from /proc\n"
	    "  --raw-dir DIR       measure raw SQLite there (the server db's "
	    "directory)\n"
	    "  --raw-db FILE       ... or in a scratch table of this database "
	    "file (the server's)\n"
	    "  --audit-db FILE     the server's database: audit records per "
	    "request and clerk-day\n"
	    "  --raw-seconds S     (3)\n"
	    "  --raw-reads FILE    also run each query kind on SQLite alone "
	    "in FILE (the\n"
	    "                      server's database): p50/p99 beside the "
	    "server's\n"
	    "  --raw-only          with --raw-reads: only that, no server "
	    "(and CPU ms a request)\n"
	    "  --idle N            idle mode: N sessions after the handshake\n"
	    "  --idle-login K      of which K logged in (0)\n"
	    "  --only ROW[,ROW]    run only these rows of the mix (e.g. "
	    "journal.page)\n"
	    "  --strict            exit 1 when a target is missed\n");
}

static void
parse_key(const char *arg, uint8_t pk[HR_PUBKEY_LEN])
{
	const char *b64 = strrchr(arg, ' ');
	size_t got = 0;

	b64 = b64 ? b64 + 1 : arg;
	if (sodium_base642bin(pk, HR_PUBKEY_LEN, b64, strcspn(b64, " \t\r\n"),
	    NULL, &got, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 &&
	    sodium_base642bin(pk, HR_PUBKEY_LEN, b64, strcspn(b64, " \t\r\n"),
	    NULL, &got, NULL, sodium_base64_VARIANT_ORIGINAL_NO_PADDING) != 0)
		die("--key: not base64: %s", b64);
	if (got != HR_PUBKEY_LEN)
		die("--key: %zu bytes, expected %u", got, HR_PUBKEY_LEN);
}

static double
num(const char *opt, const char *v, double min, double max)
{
	char *end;
	double d = strtod(v, &end);

	if (*v == '\0' || *end != '\0' || !(d >= min && d <= max))
		die("%s: expected a number in [%g, %g], got '%s'", opt, min, max, v);
	return d;
}

int
main(int argc, char **argv)
{
	enum { O_ADDR = 256, O_KEY, O_SESS, O_SECS, O_THINK, O_LPU, O_PID,
	       O_RAW, O_RAWDB, O_AUDITDB, O_RAWS, O_IDLE, O_IDLEL, O_STRICT,
	       O_ONLY, O_RAWREADS, O_RAWONLY, O_HELP };
	static const struct option lo[] = {
		{ "addr", 1, NULL, O_ADDR }, { "key", 1, NULL, O_KEY },
		{ "sessions", 1, NULL, O_SESS }, { "seconds", 1, NULL, O_SECS },
		{ "think-ms", 1, NULL, O_THINK },
		{ "logins-per-user", 1, NULL, O_LPU },
		{ "server-pid", 1, NULL, O_PID }, { "raw-dir", 1, NULL, O_RAW },
		{ "raw-db", 1, NULL, O_RAWDB }, { "audit-db", 1, NULL, O_AUDITDB },
		{ "raw-seconds", 1, NULL, O_RAWS }, { "idle", 1, NULL, O_IDLE },
		{ "idle-login", 1, NULL, O_IDLEL }, { "strict", 0, NULL, O_STRICT },
		{ "only", 1, NULL, O_ONLY }, { "raw-reads", 1, NULL, O_RAWREADS },
		{ "raw-only", 0, NULL, O_RAWONLY },
		{ "help", 0, NULL, O_HELP }, { NULL, 0, NULL, 0 },
	};
	struct opts *o = &lg.o;
	int c, have_key = 0;

	o->sessions = 200;
	o->seconds = 20;
	o->logins_per_user = 2;
	o->raw_seconds = 3;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case O_ADDR:   o->addr = optarg; break;
		case O_KEY:    parse_key(optarg, o->pk); have_key = 1; break;
		case O_SESS:   o->sessions = (int)num("--sessions", optarg, 1, 200000); break;
		case O_SECS:   o->seconds = num("--seconds", optarg, 0.1, 3600); break;
		case O_THINK:  o->think_ms = num("--think-ms", optarg, 0, 600000); break;
		case O_LPU:    o->logins_per_user = (int)num("--logins-per-user", optarg, 1, 100); break;
		case O_PID:    o->server_pid = (long)num("--server-pid", optarg, 1, 1e9); break;
		case O_RAW:    o->raw_dir = optarg; break;
		case O_RAWDB:  o->raw_db = optarg; break;
		case O_AUDITDB: o->audit_db = optarg; break;
		case O_RAWS:   o->raw_seconds = num("--raw-seconds", optarg, 0.1, 600); break;
		case O_IDLE:   o->idle = (int)num("--idle", optarg, 1, 200000); break;
		case O_IDLEL:  o->idle_login = (int)num("--idle-login", optarg, 0, 200000); break;
		case O_STRICT: o->strict = 1; break;
		case O_ONLY:   o->only = optarg; break;
		case O_RAWREADS: o->raw_reads = optarg; break;
		case O_RAWONLY: o->raw_only = 1; break;
		case O_HELP:   usage(stdout); return 0;
		default:       usage(stderr); return 2;
		}
	}
	if (o->raw_only && o->raw_reads != NULL && optind == argc)
		return run_raw_only();
	if (o->addr == NULL || !have_key || optind != argc) {
		usage(stderr);
		return 2;
	}
	if (sodium_init() < 0)
		die("sodium_init failed");
	tapp_walk_start((uint64_t)time(NULL) * 4096u);
	if (o->idle_login > o->idle)
		o->idle_login = o->idle;
	raise_nofile((size_t)(o->idle > 0 ? o->idle : o->sessions));
	return o->idle > 0 ? run_idle() : run_mix();
}
