/*
 * bench_intake.c — intake at country scale: journal pages, person search and
 * saving an application against a real hromadad on a big database.
 *
 * The claim under test (tests/bench/INTAKE.md): with 1,000,000 applications
 * and 5,000,000 persons, person search and a journal page answer within
 * 20 ms at the 99th percentile, and saving an application costs one round
 * trip and at most 3 KB on the wire.
 *
 * The program prepares a server the way tests/lib/testsrv.h does (a
 * temporary directory, `hromadactl init` + `demo`), fills the database with
 * tests/bench/gen_big (or copies a cached file made earlier with the same
 * arguments), starts hromadad on a loopback port and logs in as the demo
 * users whose scopes differ most: sta (one starosta district), supersta and
 * upo (the whole of the big Березівська ОТГ), spszn (its back office, the
 * statuses that reached it).  For each it first harvests what real clerks
 * would type — surnames, РНОКПП, document numbers, ids, front offices —
 * from its own journal, then times every query kind with the real client
 * library.
 *
 * Times are taken in this process from sending a request to having its
 * reply: the server's work plus one loopback round trip and the channel's
 * encryption both ways.  hromadad does not log per-request durations, so
 * this is the closest outside measure; the `ping` row shows that floor
 * (tens of microseconds).  journal.list is a writer (an audit record per
 * page) and so includes the group commit's fsync.  Bytes are counted by the
 * client library (hr_client_stats): frames as sent, headers and AEAD tags
 * included.  A round trip is a frame out followed by a frame in.
 *
 * Exit status: 0 when every call succeeded and every save kept its
 * deterministic budget (1 round trip, <= 3 KB); timings are reported and
 * flagged, never a failure (machines differ), unless --strict.
 *
 * Alike on purpose: the forms it saves are packed field by field
 * (pack_person for the applicant, then each family member as {relation,
 * person}) as application.save's schema reads them; a family of two is two
 * such members.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "proto/client.h"
#include "proto/fold.h"
#include "proto/ident.h"
#include "proto/method_names.h"
#include "proto/roles.h"
#include "tests/lib/tclient.h"
#include "tests/lib/testsrv.h"
#include "tests/lib/tbench.h"

/* The claim's targets. */
#define T_P99_MS     20.0
#define T_SAVE_RTT   1
#define T_SAVE_BYTES 3072

#define CALL_MS      30000       /* bound on one call */
#define ROWS_MAX     128         /* report rows */
#define HARVEST_MAX  2000        /* values kept per kind per user */
#define PAGE         20          /* a journal screen's page */
#define SCROLL_PAGES 10          /* pages followed by `next` */
#define GEN_MS       (30 * 60 * 1000)

struct opts {
	int         small;
	const char *cache;
	long long   persons, apps, big_apps, hromadas;
	int         reps, saves, strict, verbose;
};

static struct opts opt;

/* ---- results ------------------------------------------------------------ */

struct row {
	char     kind[64];
	char     user[16];
	double  *ms;                  /* one per successful call */
	int      n, cap, errors;
	char     first_error[HR_ERROR_MSG_MAX + 64];
	int      rtt_max;             /* saves: round trips of the worst call */
	uint64_t bytes_max, bytes_sum;
	int      is_save;
};

static struct row rows[ROWS_MAX];
static int nrows;

static void
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("bench_intake: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

static struct row *
row_get(const char *kind, const char *user)
{
	for (int i = 0; i < nrows; i++)
		if (strcmp(rows[i].kind, kind) == 0 &&
		    strcmp(rows[i].user, user) == 0)
			return &rows[i];
	if (nrows == ROWS_MAX)
		die("more than %d report rows", ROWS_MAX);
	snprintf(rows[nrows].kind, sizeof rows[0].kind, "%s", kind);
	snprintf(rows[nrows].user, sizeof rows[0].user, "%s", user);
	return &rows[nrows++];
}

static void
row_add(struct row *r, double ms)
{
	if (r->n == r->cap) {
		int cap = r->cap ? 2 * r->cap : 64;
		double *p = realloc(r->ms, (size_t)cap * sizeof *p);

		if (p == NULL)
			die("out of memory");
		r->ms = p;
		r->cap = cap;
	}
	r->ms[r->n++] = ms;
}

/* Nearest-rank percentile of the sorted samples. */
static double
pct(const struct row *r, double p)
{
	int k = (int)ceil(p / 100.0 * r->n) - 1;

	return r->n == 0 ? 0 : r->ms[k < 0 ? 0 : k >= r->n ? r->n - 1 : k];
}

/* ---- random ------------------------------------------------------------- */

static uint64_t rng = 0x1BADB002u;

static uint64_t
rnd(void)
{
	uint64_t z = (rng += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static int
pick(int n)
{
	return n > 0 ? (int)(rnd() % (uint64_t)n) : 0;
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* ---- a user's session and what it harvested ----------------------------- */

struct strs {
	char *v[HARVEST_MAX];
	int   n;
};

static void
strs_add(struct strs *s, const char *x)
{
	if (x == NULL || *x == '\0' || s->n == HARVEST_MAX)
		return;
	for (int i = s->n > 64 ? s->n - 64 : 0; i < s->n; i++)
		if (strcmp(s->v[i], x) == 0)
			return;          /* neighbours repeat; enough variety */
	if ((s->v[s->n] = strdup(x)) == NULL)
		die("out of memory");
	s->n++;
}

static const char *
strs_pick(const struct strs *s)
{
	return s->n ? s->v[pick(s->n)] : NULL;
}

static void
strs_free(struct strs *s)
{
	for (int i = 0; i < s->n; i++)
		free(s->v[i]);
	s->n = 0;
}

struct sess {
	const char       *user;
	int               role;
	struct hr_client *c;
	int64_t           max_id;             /* newest id in scope */
	int64_t           ids[HARVEST_MAX];
	int               nids;
	int64_t           offices[64];
	int               noffices;
	struct strs       surnames, rnokpp, docs, services;
	unsigned          visible;            /* statuses seen in its journal */
};

/* One timed call: send what is packed, wait, book time and bytes. */
static int
measure(struct sess *s, struct row *r, struct tcall *t)
{
	struct hr_client_stats a, b;
	double t0, ms;
	int rtt;

	hr_client_stats(s->c, &a);
	t0 = now_ms();
	tcall_send_wait(s->c, t, CALL_MS);
	ms = now_ms() - t0;
	hr_client_stats(s->c, &b);
	if (t->code != HR_OK) {
		if (r->errors++ == 0)
			snprintf(r->first_error, sizeof r->first_error, "%s: %s",
			    hr_error_name(t->code), t->msg);
		return -1;
	}
	row_add(r, ms);
	/* One frame out answered by one frame in is one round trip; more
	 * frames either way would mean the call needed more. */
	rtt = (int)(b.frames_out - a.frames_out > b.frames_in - a.frames_in ?
	    b.frames_out - a.frames_out : b.frames_in - a.frames_in);
	if (rtt > r->rtt_max)
		r->rtt_max = rtt;
	if (b.bytes_out + b.bytes_in - a.bytes_out - a.bytes_in > r->bytes_max)
		r->bytes_max = b.bytes_out + b.bytes_in - a.bytes_out - a.bytes_in;
	r->bytes_sum += b.bytes_out + b.bytes_in - a.bytes_out - a.bytes_in;
	return 0;
}

/* ---- packing requests --------------------------------------------------- */

/* A journal.list request; zero/NULL fields are left out. */
struct jq {
	int64_t     before, front_office;
	const char *status, *service, *q, *date_from, *date_to;
	int         counts, limit;
};

static void
pack_journal(struct hr_client *c, const struct jq *q)
{
	msgpack_packer *pk = hr_client_begin(c, HR_M_JOURNAL_LIST);
	int n = 1 + (q->before > 0) + (q->front_office > 0) + !!q->status +
	    !!q->service + !!q->q + !!q->date_from + !!q->date_to + !!q->counts;

	msgpack_pack_map(pk, (size_t)n);
	hr_pack_kv_int(pk, "limit", q->limit ? q->limit : PAGE);
	if (q->before > 0)
		hr_pack_kv_int(pk, "before", q->before);
	if (q->front_office > 0)
		hr_pack_kv_int(pk, "front_office", q->front_office);
	if (q->status)
		hr_pack_kv_str(pk, "status", q->status);
	if (q->service)
		hr_pack_kv_str(pk, "service", q->service);
	if (q->q)
		hr_pack_kv_str(pk, "q", q->q);
	if (q->date_from)
		hr_pack_kv_str(pk, "date_from", q->date_from);
	if (q->date_to)
		hr_pack_kv_str(pk, "date_to", q->date_to);
	if (q->counts) {
		hr_pack_str(pk, "counts");
		msgpack_pack_true(pk);
	}
}

/*
 * Take what a journal page shows into the session's harvest.  Rows are
 * arrays (PROTOCOL.md "journal.list"): [id, reg_no, created_at, status,
 * service index, applicant, front office, package_full].
 */
static void
harvest_page(struct sess *s, const msgpack_object *res, int64_t *next)
{
	const msgpack_object *page = tobj_get(res, "rows");
	const msgpack_object *svc = tobj_get(res, "services");
	char buf[256];

	*next = tobj_int(tobj_get(res, "next"), 0);
	if (page == NULL || page->type != MSGPACK_OBJECT_ARRAY ||
	    svc == NULL || svc->type != MSGPACK_OBJECT_ARRAY)
		return;
	for (uint32_t i = 0; i < page->via.array.size; i++) {
		const msgpack_object *it = &page->via.array.ptr[i], *e;
		int64_t id, st, si;

		if (it->type != MSGPACK_OBJECT_ARRAY || it->via.array.size < 8)
			continue;
		e = it->via.array.ptr;
		id = tobj_int(&e[0], 0);
		if (id > s->max_id)
			s->max_id = id;
		if (s->nids < HARVEST_MAX && id > 0)
			s->ids[s->nids++] = id;
		tobj_str(&e[5], buf, sizeof buf);
		buf[strcspn(buf, " ")] = '\0';
		strs_add(&s->surnames, buf);
		si = tobj_int(&e[4], -1);
		if (si >= 0 && (uint64_t)si < svc->via.array.size)
			strs_add(&s->services, tobj_str(&svc->via.array.ptr[si],
			    buf, sizeof buf));
		st = tobj_int(&e[3], -1);
		if (st >= 0 && st < HR_ST__COUNT)
			s->visible |= 1u << st;
	}
}

/* ---- user-typed text ---------------------------------------------------- */

/* Bytes of the first n UTF-8 characters of s. */
static size_t
utf8_prefix(const char *s, int n)
{
	size_t i = 0;

	while (s[i] != '\0' && n > 0) {
		i++;
		while ((s[i] & 0xC0) == 0x80)
			i++;
		n--;
	}
	return i;
}

/* Upper-case Cyrillic (and ASCII) in place: А-Я, Ґ Є І Ї. */
static void
utf8_upper(char *s)
{
	unsigned char *p = (unsigned char *)s;

	for (; *p; p++) {
		unsigned cp;

		if (*p >= 'a' && *p <= 'z') {
			*p -= 'a' - 'A';
			continue;
		}
		if ((p[0] & 0xE0) != 0xC0 || (p[1] & 0xC0) != 0x80)
			continue;
		cp = ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu);
		if (cp >= 0x430 && cp <= 0x44F)
			cp -= 0x20;
		else if (cp == 0x454 || cp == 0x456 || cp == 0x457)
			cp -= 0x50;
		else if (cp == 0x491)
			cp = 0x490;
		else {
			p++;
			continue;
		}
		p[0] = (unsigned char)(0xC0 | (cp >> 6));
		p[1] = (unsigned char)(0x80 | (cp & 0x3F));
		p++;
	}
}

/*
 * What a clerk types for a surname: its first n letters in lower, upper or
 * title case, with a typographic apostrophe now and then — the server must
 * fold all of them to the same prefix.
 */
static void
typed_prefix(const char *surname, int n, char *out, size_t cap)
{
	size_t len = utf8_prefix(surname, n), k = 0;
	char tmp[128];
	int mode = pick(3);

	if (len >= sizeof tmp)
		len = sizeof tmp - 1;
	memcpy(tmp, surname, len);
	tmp[len] = '\0';
	if (mode == 0) {
		char *f = hr_fold(tmp, len);

		if (f != NULL) {
			snprintf(tmp, sizeof tmp, "%s", f);
			free(f);
		}
	} else if (mode == 1)
		utf8_upper(tmp);
	for (const char *p = tmp; *p && k + 4 < cap; p++)
		if (*p == '\'' && pick(2)) {
			memcpy(out + k, "\xCA\xBC", 2);   /* ʼ U+02BC */
			k += 2;
		} else
			out[k++] = *p;
	out[k] = '\0';
}

/* "YYYY-MM-DD" of a unix day. */
static void
iso_day(int64_t t, char out[16])
{
	struct hr_date d;

	hr_date_from_days((int32_t)(t / 86400 + 25569), &d);
	snprintf(out, 16, "%04d-%02d-%02d", d.y, d.m, d.d);
}

/* ---- harvest: what the clerks of this scope would type ------------------ */

static int
page_call(struct sess *s, const struct jq *q, struct row *r, int64_t *next)
{
	struct tcall t;
	int rc;

	tcall_init(&t);
	pack_journal(s->c, q);
	rc = measure(s, r, &t);
	if (rc == 0)
		harvest_page(s, tcall_result(&t), next);
	tcall_free(&t);
	return rc;
}

static void
harvest_offices(struct sess *s)
{
	const msgpack_object *items;
	struct tcall t;

	tcall_init(&t);
	if (tcall_empty(s->c, HR_M_TERRITORY_FRONT_OFFICES, &t, CALL_MS) == HR_OK &&
	    (items = tobj_get(tcall_result(&t), "items")) != NULL &&
	    items->type == MSGPACK_OBJECT_ARRAY)
		for (uint32_t i = 0; i < items->via.array.size && s->noffices <
		    (int)(sizeof s->offices / sizeof s->offices[0]); i++)
			s->offices[s->noffices++] = tobj_int(tobj_get(
			    &items->via.array.ptr[i], "id"), 0);
	tcall_free(&t);
}

/* РНОКПП of the scope's applicants, as application.get shows them (the
 * journal's rows do not carry them). */
static void
harvest_rnokpp(struct sess *s)
{
	char buf[64];

	for (int i = 0; i < s->nids && i < 100; i++) {
		msgpack_packer *pk = hr_client_begin(s->c, HR_M_APPLICATION_GET);
		struct tcall t;
		const msgpack_object *app;

		msgpack_pack_map(pk, 1);
		hr_pack_kv_int(pk, "id", s->ids[i * (s->nids / 100 + 1) % s->nids]);
		tcall_init(&t);
		if (tcall_send_wait(s->c, &t, CALL_MS) == HR_OK &&
		    (app = tobj_get(tcall_result(&t), "application")) != NULL)
			strs_add(&s->rnokpp, tobj_str(tobj_get(tobj_get(app,
			    "applicant"), "rnokpp"), buf, sizeof buf));
		tcall_free(&t);
	}
}

/* Document numbers as person.search shows them, for a few РНОКПП. */
static void
harvest_docs(struct sess *s)
{
	char buf[64];

	for (int i = 0; i < s->rnokpp.n && i < 100; i++) {
		const msgpack_object *items;
		msgpack_packer *pk = hr_client_begin(s->c, HR_M_PERSON_SEARCH);
		struct tcall t;

		msgpack_pack_map(pk, 1);
		hr_pack_kv_str(pk, "q", s->rnokpp.v[i]);
		tcall_init(&t);
		if (tcall_send_wait(s->c, &t, CALL_MS) == HR_OK &&
		    (items = tobj_get(tcall_result(&t), "items")) != NULL &&
		    items->type == MSGPACK_OBJECT_ARRAY && items->via.array.size)
			strs_add(&s->docs, tobj_str(tobj_get(
			    &items->via.array.ptr[0], "doc_number"), buf,
			    sizeof buf));
		tcall_free(&t);
	}
}

static void
harvest(struct sess *s)
{
	struct row *r = row_get("(harvest pages)", s->user);
	struct jq q = { .limit = 100 };
	int64_t next = 0;

	/* The newest hundred, then hundreds from random depths. */
	page_call(s, &q, r, &next);
	for (int i = 0; i < 8 && s->max_id > 0; i++) {
		q.before = 1 + pick((int)s->max_id);
		page_call(s, &q, r, &next);
	}
	harvest_offices(s);
	harvest_rnokpp(s);
	harvest_docs(s);
	if (opt.verbose)
		printf("  %s: %d ids (newest %lld), %d surnames, %d РНОКПП, %d "
		    "documents, %d front offices\n", s->user, s->nids,
		    (long long)s->max_id, s->surnames.n, s->rnokpp.n, s->docs.n,
		    s->noffices);
}

/* ---- journal.list ------------------------------------------------------- */

static const char *
visible_status(const struct sess *s)
{
	int st[HR_ST__COUNT], n = 0;

	for (int i = 0; i < HR_ST__COUNT; i++)
		if (s->visible & (1u << i))
			st[n++] = i;
	return hr_status_name(n ? st[pick(n)] : HR_ST_ANSWERED);
}

/* A random range of `days` days within the data's year (gen_big: the 365
 * days before 2026-11-20). */
static void
date_range(int days, char from[16], char to[16])
{
	int64_t end = hr_date_to_days(&(struct hr_date){ 2026, 11, 20 }) - 25569;
	int64_t last = end - pick(365 - days);

	iso_day(last * 86400, to);
	iso_day((last - days + 1) * 86400, from);
}

enum jkind {
	J_FIRST, J_FIRST_COUNTS, J_SCROLL, J_DEEP, J_STATUS, J_SERVICE,
	J_Q1, J_Q2, J_Q3, J_Q_RNOKPP, J_Q1_COUNTS, J_Q3_COUNTS, J_WEEK,
	J_MONTH_COUNTS, J_OFFICE, J_OFFICE_STATUS_COUNTS, J__COUNT
};

static const char *const jnames[J__COUNT] = {
	[J_FIRST]        = "journal: first page",
	[J_FIRST_COUNTS] = "journal: first page + counts",
	[J_SCROLL]       = "journal: next page (scrolling)",
	[J_DEEP]         = "journal: deep page (before)",
	[J_STATUS]       = "journal: status",
	[J_SERVICE]      = "journal: service",
	[J_Q1]           = "journal: q 1 letter",
	[J_Q2]           = "journal: q 2 letters",
	[J_Q3]           = "journal: q 3-6 letters",
	[J_Q_RNOKPP]     = "journal: q РНОКПП",
	[J_Q1_COUNTS]    = "journal: q 1 letter + counts",
	[J_Q3_COUNTS]    = "journal: q 3-6 letters + counts",
	[J_WEEK]         = "journal: dates (a week)",
	[J_MONTH_COUNTS] = "journal: dates (a month) + counts",
	[J_OFFICE]       = "journal: front office",
	[J_OFFICE_STATUS_COUNTS] = "journal: office+status+counts",
};

/* Fill q for one call of kind k; 0 when this user cannot ask it. */
static int
journal_query(struct sess *s, enum jkind k, struct jq *q, char *text,
    size_t cap, char from[16], char to[16])
{
	const char *sn = strs_pick(&s->surnames);

	memset(q, 0, sizeof *q);
	switch (k) {
	case J_FIRST_COUNTS:
		q->counts = 1;
		/* FALLTHROUGH */
	case J_FIRST:
	case J_SCROLL:
		return 1;
	case J_DEEP:
		q->before = 1 + pick((int)(s->max_id > 0 ? s->max_id : 1));
		return 1;
	case J_STATUS:
		q->status = visible_status(s);
		return 1;
	case J_SERVICE:
		q->service = strs_pick(&s->services);
		return q->service != NULL;
	case J_Q1_COUNTS:
	case J_Q3_COUNTS:
		q->counts = 1;
		/* FALLTHROUGH */
	case J_Q1:
	case J_Q2:
	case J_Q3:
		if (sn == NULL)
			return 0;
		typed_prefix(sn, k == J_Q1 || k == J_Q1_COUNTS ? 1 : k == J_Q2 ?
		    2 : 3 + pick(4), text, cap);
		q->q = text;
		return 1;
	case J_Q_RNOKPP:
		q->q = strs_pick(&s->rnokpp);
		return q->q != NULL;
	case J_MONTH_COUNTS:
		q->counts = 1;
		/* FALLTHROUGH */
	case J_WEEK:
		date_range(k == J_WEEK ? 7 : 30, from, to);
		q->date_from = from;
		q->date_to = to;
		return 1;
	case J_OFFICE_STATUS_COUNTS:
		q->status = visible_status(s);
		q->counts = 1;
		/* FALLTHROUGH */
	case J_OFFICE:
		if (s->noffices == 0)
			return 0;
		q->front_office = s->offices[pick(s->noffices)];
		return 1;
	case J__COUNT:
		break;
	}
	return 0;
}

static void
bench_journal(struct sess *s)
{
	char text[128], from[16], to[16];

	for (int k = 0; k < J__COUNT; k++) {
		struct row *r = row_get(jnames[k], s->user);
		int reps = k != J_SCROLL ? opt.reps : opt.reps > SCROLL_PAGES ?
		    opt.reps / SCROLL_PAGES : 1;

		for (int i = 0; i < reps; i++) {
			struct jq q;
			int64_t next = 0;

			if (!journal_query(s, (enum jkind)k, &q, text, sizeof text,
			    from, to))
				break;
			if (page_call(s, &q, k == J_SCROLL ? row_get("(harvest "
			    "pages)", s->user) : r, &next) < 0 || k != J_SCROLL)
				continue;
			/* Scrolling: the next pages after a first page. */
			for (int p = 0; p < SCROLL_PAGES && next > 0; p++) {
				q.before = next;
				if (page_call(s, &q, r, &next) < 0)
					break;
			}
		}
	}
}

/* ---- person.search and application.get ---------------------------------- */

static void
person_call(struct sess *s, const char *kind, const char *q)
{
	msgpack_packer *pk;
	struct tcall t;

	if (q == NULL)
		return;
	pk = hr_client_begin(s->c, HR_M_PERSON_SEARCH);
	msgpack_pack_map(pk, 2);
	hr_pack_kv_str(pk, "q", q);
	hr_pack_kv_int(pk, "limit", 10);
	tcall_init(&t);
	measure(s, row_get(kind, s->user), &t);
	tcall_free(&t);
}

static void
bench_person(struct sess *s)
{
	static const char *const by_len[] = { NULL, "person: surname 1 letter",
	    "person: surname 2 letters", "person: surname 3 letters",
	    "person: surname 4 letters", "person: surname 5 letters",
	    "person: surname 6 letters" };
	char text[128];

	for (int i = 0; i < opt.reps; i++)
		person_call(s, "person: РНОКПП", strs_pick(&s->rnokpp));
	for (int n = 1; n <= 6; n++)
		for (int i = 0; i < opt.reps && s->surnames.n; i++) {
			typed_prefix(strs_pick(&s->surnames), n, text, sizeof text);
			person_call(s, by_len[n], text);
		}
	for (int i = 0; i < opt.reps; i++)
		person_call(s, "person: document number", strs_pick(&s->docs));
}

static void
bench_get(struct sess *s)
{
	for (int i = 0; i < opt.reps && s->nids; i++) {
		msgpack_packer *pk = hr_client_begin(s->c, HR_M_APPLICATION_GET);
		struct tcall t;

		msgpack_pack_map(pk, 1);
		hr_pack_kv_int(pk, "id", s->ids[pick(s->nids)]);
		tcall_init(&t);
		measure(s, row_get("application.get", s->user), &t);
		tcall_free(&t);
	}
}

/* ---- application.save --------------------------------------------------- */

/* A person nobody has yet: РНОКПП serials 4000..4999 are never used by
 * gen_big, document series ЯЮ by neither gen_big nor the demo. */
struct newp {
	char rnokpp[HR_RNOKPP_LEN + 1], birth[16], doc[HR_DOCNUM_STR_MAX];
	const char *surname, *name, *patronymic, *doc_type;
	int sex;
};

static int fresh_serial;

static void
newp_make(struct newp *p, const char *surname, const char *name,
    const char *patr, int sex, int age)
{
	struct hr_date today = { 2026, 11, 20 }, b;
	int32_t days = hr_date_to_days(&today) - age * 365 - pick(300);
	int serial = 4000 + fresh_serial++ % 1000;
	enum hr_doc_kind kind = age < 14 ? HR_DOC_BIRTH_CERT : HR_DOC_PASSPORT;
	char raw[48];

	hr_date_from_days(days, &b);
	snprintf(p->birth, sizeof p->birth, "%04d-%02d-%02d", b.y, b.m, b.d);
	hr_rnokpp_make(days, serial, (enum hr_sex)sex, p->rnokpp);
	snprintf(raw, sizeof raw, "%sЯЮ%06d", kind == HR_DOC_BIRTH_CERT ?
	    "I-" : "", (fresh_serial * 7919) % 1000000);
	if (hr_docnum_normalize(kind, raw, strlen(raw), p->doc, sizeof p->doc,
	    NULL) < 0)
		die("document number %s does not normalise", raw);
	p->doc_type = kind == HR_DOC_BIRTH_CERT ? "birth_cert" : "passport";
	p->surname = surname;
	p->name = name;
	p->patronymic = patr;
	p->sex = sex;
}

static void
pack_person(msgpack_packer *pk, const struct newp *p, int adult)
{
	msgpack_pack_map(pk, adult ? 10 : 9);
	hr_pack_kv_str(pk, "rnokpp", p->rnokpp);
	hr_pack_kv_str(pk, "surname", p->surname);
	hr_pack_kv_str(pk, "name", p->name);
	hr_pack_kv_str(pk, "patronymic", p->patronymic);
	hr_pack_kv_str(pk, "birth_date", p->birth);
	hr_pack_kv_str(pk, "sex", p->sex == HR_SEX_MALE ? "M" : "F");
	hr_pack_kv_str(pk, "doc_type", p->doc_type);
	hr_pack_kv_str(pk, "doc_number", p->doc);
	hr_pack_kv_str(pk, "reg_address", "с. Слоут, вул. Шевченка, 17, "
	    "Глухівський р-н, Сумська обл.");
	if (adult)
		hr_pack_kv_str(pk, "phone", "+380671234567");
}

/* A valid IBAN (ISO 13616 mod 97) with a varying account number. */
static void
iban_make(char out[HR_IBAN_STR_MAX])
{
	char bban[32];

	snprintf(bban, sizeof bban, "305299%019llu",
	    (unsigned long long)(rnd() % 10000000000000000000ull));
	(void)hr_iban_make(bban, out);            /* 25 digits: cannot fail */
}

/*
 * The typical application of the claim: the applicant, a spouse and a
 * child, three income rows, bank details (scans are attached apart) — a birth
 * benefit as a ЦНАП clerk enters it.
 */
static void
pack_save(struct hr_client *c)
{
	static const struct { int member; const char *type; int64_t amount; }
	    income[] = { { 0, "salary", 1854000 }, { 1, "salary", 2210050 },
	    { 0, "benefit", 420000 } };
	msgpack_packer *pk = hr_client_begin(c, HR_M_APPLICATION_SAVE);
	struct newp a, sp, ch;
	char iban[HR_IBAN_STR_MAX];

	newp_make(&a, "Гребенюк", "Олена", "Василівна", HR_SEX_FEMALE, 29);
	newp_make(&sp, "Гребенюк", "Андрій", "Петрович", HR_SEX_MALE, 31);
	newp_make(&ch, "Гребенюк", "Софія", "Андріївна", HR_SEX_FEMALE, 0);
	iban_make(iban);
	msgpack_pack_map(pk, 6);
	hr_pack_kv_str(pk, "service", "birth");
	hr_pack_str(pk, "applicant");
	pack_person(pk, &a, 1);
	hr_pack_str(pk, "family");
	msgpack_pack_array(pk, 2);
	msgpack_pack_map(pk, 2);
	hr_pack_kv_str(pk, "relation", "spouse");
	hr_pack_str(pk, "person");
	pack_person(pk, &sp, 1);
	msgpack_pack_map(pk, 2);
	hr_pack_kv_str(pk, "relation", "child");
	hr_pack_str(pk, "person");
	pack_person(pk, &ch, 0);
	hr_pack_str(pk, "income");
	msgpack_pack_array(pk, 3);
	for (int i = 0; i < 3; i++) {
		msgpack_pack_map(pk, 5);
		hr_pack_kv_int(pk, "member", income[i].member);
		hr_pack_kv_str(pk, "type", income[i].type);
		hr_pack_kv_str(pk, "period_from", "2026-05-01");
		hr_pack_kv_str(pk, "period_to", "2026-10-31");
		hr_pack_kv_int(pk, "amount", income[i].amount);
	}
	hr_pack_str(pk, "payment");
	msgpack_pack_map(pk, 2);
	hr_pack_kv_str(pk, "method", "bank");
	hr_pack_kv_str(pk, "iban", iban);
	hr_pack_kv_str(pk, "phone", "+380671234567");
}

static void
bench_save(struct sess *s)
{
	struct row *r = row_get("application.save (create)", s->user);

	r->is_save = 1;
	for (int i = 0; i < opt.saves; i++) {
		struct tcall t;
		int64_t id;

		tcall_init(&t);
		pack_save(s->c);
		if (measure(s, r, &t) == 0 &&
		    (id = tobj_int(tobj_get(tcall_result(&t), "id"), 0)) > 0 &&
		    s->nids < HARVEST_MAX)
			s->ids[s->nids++] = id;
		tcall_free(&t);
	}
}

static void
bench_ping(struct sess *s)
{
	for (int i = 0; i < opt.reps; i++) {
		struct tcall t;

		tcall_init(&t);
		msgpack_pack_map(hr_client_begin(s->c, HR_M_PING), 0);
		measure(s, row_get("ping (loopback + crypto floor)", s->user), &t);
		tcall_free(&t);
	}
}

/* ---- the report --------------------------------------------------------- */

/* Print s left-aligned in `width` columns: printf pads bytes, not the
 * characters of a Cyrillic name. */
static void
put_padded(const char *s, int width)
{
	int chars = 0;

	for (const char *p = s; *p; p++)
		chars += (*p & 0xC0) != 0x80;
	fputs(s, stdout);
	for (; chars < width; chars++)
		putchar(' ');
	putchar(' ');
}

/* Prints the table; returns how many rows missed a deterministic target
 * (*timing_misses gets the timing ones). */
static int
report(int *timing_misses)
{
	int hard = 0;

	*timing_misses = 0;
	printf("\n%-34s %-9s %5s %8s %8s %8s  %-24s %s\n", "query", "user", "n",
	    "p50 ms", "p99 ms", "max ms", "target", "");
	for (int i = 0; i < nrows; i++) {
		struct row *r = &rows[i];
		int harvest = r->kind[0] == '(' || strncmp(r->kind, "ping", 4) == 0;
		char target[64] = "", flag[64] = "ok";

		qsort(r->ms, (size_t)r->n, sizeof r->ms[0], tb_cmp_double);
		if (r->is_save) {
			snprintf(target, sizeof target, "%d RTT, <= %d B",
			    T_SAVE_RTT, T_SAVE_BYTES);
			if (r->n > 0 && (r->rtt_max > T_SAVE_RTT ||
			    r->bytes_max > T_SAVE_BYTES)) {
				snprintf(flag, sizeof flag, "MISS");
				hard++;
			}
		} else if (!harvest) {
			snprintf(target, sizeof target, "p99 < %.0f ms", T_P99_MS);
			if (pct(r, 99) >= T_P99_MS) {
				snprintf(flag, sizeof flag, "MISS");
				++*timing_misses;
			}
		} else
			snprintf(flag, sizeof flag, "-");
		if (r->errors) {
			snprintf(flag, sizeof flag, "%d ERRORS", r->errors);
			hard++;
		}
		put_padded(r->kind, 34);
		printf("%-9s %5d %8.2f %8.2f %8.2f  %-24s %s\n",
		    r->user, r->n, pct(r, 50), pct(r, 99), r->n ?
		    r->ms[r->n - 1] : 0.0, target, flag);
		if (r->is_save && r->n > 0)
			printf("%-34s %-9s %5s round trips %d (max), wire bytes "
			    "%llu max, %llu mean (request + reply)\n", "", "", "",
			    r->rtt_max, (unsigned long long)r->bytes_max,
			    (unsigned long long)(r->bytes_sum / (uint64_t)r->n));
		if (r->errors)
			printf("%-34s first error: %s\n", "", r->first_error);
	}
	return hard;
}

/* ---- the server and its database ---------------------------------------- */

/* gen_big's arguments; the smoke test's small file is also checked by
 * gen_big itself (--check: references, decisions), seconds at that size. */
static void
gen_args(char *out, size_t cap)
{
	snprintf(out, cap, "--persons %lld --apps %lld --big-apps %lld "
	    "--hromadas %lld%s", opt.persons, opt.apps, opt.big_apps,
	    opt.hromadas, opt.small ? " --check" : "");
}

/*
 * The cache key: gen_big's arguments and the generator binary's size and
 * time (a rebuilt generator may generate differently).  Stored next to the
 * cache file as FILE.key.
 */
static void
cache_key(const char *gen, char *out, size_t cap)
{
	struct stat st;
	char args[256];

	gen_args(args, sizeof args);
	if (stat(gen, &st) != 0)
		memset(&st, 0, sizeof st);
	snprintf(out, cap, "%s; gen_big %lld bytes, mtime %lld\n", args,
	    (long long)st.st_size, (long long)st.st_mtime);
}

static int
cache_valid(const char *key)
{
	char path[TESTSRV_PATH_MAX + 8], have[512] = "", wal[TESTSRV_PATH_MAX + 8];
	FILE *f;

	snprintf(path, sizeof path, "%s.key", opt.cache);
	snprintf(wal, sizeof wal, "%s-wal", opt.cache);
	if (access(opt.cache, R_OK) != 0 || access(wal, F_OK) == 0 ||
	    (f = fopen(path, "r")) == NULL)
		return 0;
	if (fgets(have, sizeof have, f) == NULL)
		have[0] = '\0';
	fclose(f);
	return strcmp(have, key) == 0;
}

/* cp: neither file is open by any process (no server yet, gen_big ended
 * and checkpointed), so a plain copy is a consistent copy. */
static void
copy_file(const char *from, const char *to)
{
	char *const argv[] = { (char *)"cp", (char *)from, (char *)to, NULL };
	struct hr_error err;
	char out[256];

	if (testsrv_run(argv, out, sizeof out, GEN_MS, &err) != 0)
		die("copy %s to %s: %s", from, to, err.msg);
}

static void
prepare_db(struct testsrv *s)
{
	char gen[TESTSRV_PATH_MAX], key[512], args[256], out[8192];
	char *argv[16];
	struct hr_error err;
	double t0 = now_ms();
	int n = 0;

	if (testsrv_program("tests/bench/gen_big", gen, sizeof gen, &err) != 0)
		die("%s", err.msg);
	cache_key(gen, key, sizeof key);
	if (opt.cache != NULL && cache_valid(key)) {
		copy_file(opt.cache, s->db);
		printf("database: copied from the cache %s in %.1f s\n", opt.cache,
		    (now_ms() - t0) / 1e3);
		return;
	}
	gen_args(args, sizeof args);
	printf("database: generating (gen_big %s)...\n", args);
	argv[n++] = gen;
	argv[n++] = (char *)"--db";
	argv[n++] = s->db;
	for (char *w = strtok(args, " "); w != NULL && n < 14; w = strtok(NULL, " "))
		argv[n++] = w;
	argv[n] = NULL;
	fflush(stdout);
	if (testsrv_run(argv, out, sizeof out, GEN_MS, &err) != 0)
		die("gen_big: %s", err.msg);
	fputs(out, stdout);
	printf("database: generated in %.1f s\n", (now_ms() - t0) / 1e3);
	if (opt.cache != NULL) {
		char path[TESTSRV_PATH_MAX + 8];
		FILE *f;

		copy_file(s->db, opt.cache);
		snprintf(path, sizeof path, "%s.key", opt.cache);
		if ((f = fopen(path, "w")) == NULL || fputs(key, f) < 0 ||
		    fclose(f) != 0)
			die("%s: %s", path, strerror(errno));
		printf("database: cached as %s\n", opt.cache);
	}
}

static void
sess_open(struct sess *s, const struct testsrv *srv, const char *user)
{
	struct hr_error err;
	struct tcall t;
	char pw[64];

	memset(s, 0, sizeof *s);
	s->user = user;
	s->c = tclient_open(srv->addr, srv->pk, CALL_MS, &err);
	if (s->c == NULL)
		die("connect as %s: %s", user, err.msg);
	snprintf(pw, sizeof pw, "demo-%s-2026", user);
	tcall_init(&t);
	if (tcall_login(s->c, user, pw, &t, CALL_MS) != HR_OK)
		die("login %s: %s: %s", user, hr_error_name(t.code), t.msg);
	tcall_free(&t);
}

static void
sess_close(struct sess *s)
{
	hr_client_free(s->c);
	strs_free(&s->surnames);
	strs_free(&s->rnokpp);
	strs_free(&s->docs);
	strs_free(&s->services);
}

/* ---- main --------------------------------------------------------------- */

/* Who, and what each may do (PROTOCOL.md roles; /tmp spec). */
static const struct {
	const char *user;
	int         saves;        /* front-office roles create applications */
} users[] = {
	{ "sta", 1 }, { "supersta", 1 }, { "upo", 0 }, { "spszn", 0 },
};

/* die() exits from anywhere: the server and its directory go with us. */
static struct testsrv *running;

static void
cleanup(void)
{
	if (running != NULL)
		testsrv_free(running);
	running = NULL;
}

static void
usage(void)
{
	fprintf(stderr, "usage: bench_intake [--small] [--cache FILE] "
	    "[--persons N] [--apps M] [--big-apps K] [--hromadas H]\n"
	    "                    [--reps R] [--saves S] [--strict] [--verbose]\n");
	exit(2);
}

static long long
num(const char *s, long long min, long long max)
{
	char *end;
	long long v = strtoll(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < min || v > max)
		usage();
	return v;
}

static void
parse(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "small", no_argument, NULL, 'S' },
		{ "cache", required_argument, NULL, 'C' },
		{ "persons", required_argument, NULL, 'p' },
		{ "apps", required_argument, NULL, 'a' },
		{ "big-apps", required_argument, NULL, 'b' },
		{ "hromadas", required_argument, NULL, 'H' },
		{ "reps", required_argument, NULL, 'r' },
		{ "saves", required_argument, NULL, 's' },
		{ "strict", no_argument, NULL, 'x' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	long long v[6] = { -1, -1, -1, -1, -1, -1 };
	int c;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1)
		switch (c) {
		case 'S': opt.small = 1; break;
		case 'C': opt.cache = optarg; break;
		case 'p': v[0] = num(optarg, 0, 50000000); break;
		case 'a': v[1] = num(optarg, 0, 20000000); break;
		case 'b': v[2] = num(optarg, 0, 20000000); break;
		case 'H': v[3] = num(optarg, 1, 20000); break;
		case 'r': v[4] = num(optarg, 1, 100000); break;
		case 's': v[5] = num(optarg, 1, 10000); break;
		case 'x': opt.strict = 1; break;
		case 'v': opt.verbose = 1; break;
		default: usage();
		}
	if (optind != argc)
		usage();
	/* --small: the smoke test's size, seconds to generate. */
	opt.persons = v[0] >= 0 ? v[0] : opt.small ? 50000 : 5000000;
	opt.apps = v[1] >= 0 ? v[1] : opt.small ? 10000 : 1000000;
	opt.big_apps = v[2] >= 0 ? v[2] : opt.small ? 2000 : 50000;
	opt.hromadas = v[3] >= 0 ? v[3] : opt.small ? 60 : 1470;
	opt.reps = (int)(v[4] >= 0 ? v[4] : opt.small ? 5 : 200);
	opt.saves = (int)(v[5] >= 0 ? v[5] : opt.small ? 5 : 50);
}

int
main(int argc, char **argv)
{
	struct testsrv srv;
	struct hr_error err;
	struct sess s[sizeof users / sizeof users[0]];
	const size_t nu = sizeof users / sizeof users[0];
	int hard, timing;
	double t0;

	parse(argc, argv);
	setvbuf(stdout, NULL, _IOLBF, 0);    /* in order with stderr in a log */
	if (sodium_init() < 0)
		die("sodium_init failed");
	testsrv_watchdog(opt.small ? 240 : 3600);
	running = &srv;
	atexit(cleanup);
	if (testsrv_prepare(&srv, &err) != 0)
		die("prepare: %s", err.msg);
	prepare_db(&srv);
	if (testsrv_launch(&srv, 120000, &err) != 0) {
		testsrv_dump_log(&srv, stderr, 2000);
		die("start hromadad: %s", err.msg);
	}
	printf("hromadad on %s; %lld persons, %lld applications (%lld in the "
	    "big hromada); %d calls per query kind and user\n", srv.addr,
	    opt.persons, opt.apps, opt.big_apps, opt.reps);
	t0 = now_ms();
	for (size_t i = 0; i < nu; i++) {
		sess_open(&s[i], &srv, users[i].user);
		harvest(&s[i]);
	}
	for (size_t i = 0; i < nu; i++) {
		bench_ping(&s[i]);
		bench_journal(&s[i]);
		bench_person(&s[i]);
		bench_get(&s[i]);
		if (users[i].saves)
			bench_save(&s[i]);
	}
	printf("measured in %.1f s\n", (now_ms() - t0) / 1e3);
	hard = report(&timing);
	printf("\ntimes: from send to reply in this process over loopback "
	    "(hromadad logs no per-request durations); journal.list includes "
	    "its audit commit.\n%d row(s) miss the time target; %d row(s) miss "
	    "a deterministic target or failed.\n", timing, hard);
	for (size_t i = 0; i < nu; i++)
		sess_close(&s[i]);
	if (testsrv_stop(&srv, 20000, NULL, &err) != 0) {
		fprintf(stderr, "bench_intake: %s\n", err.msg);
		testsrv_dump_log(&srv, stderr, 2000);
		hard++;
	}
	cleanup();
	for (int i = 0; i < nrows; i++)
		free(rows[i].ms);
	return hard || (opt.strict && timing) ? 1 : 0;
}
