/*
 * hostile.c — hostile clients against a real hromadad, while a well-behaved
 * client keeps working.
 *
 * Each attack is one row of the table below: how an attacking connection
 * starts, what it sends on every tick, and what the server must log when it
 * drops it.  For each attack this program opens its connections, runs them
 * for a while, and meanwhile pings the server from a logged-out but
 * encrypted session (and from a fresh connection now and then), printing
 * the worst latency; the only assertion on it is a generous bound (2 s),
 * because the machine is shared.  Afterwards every attacking connection
 * must have been closed by the server, and the server log must say why
 * exactly once for it ("conn N 127.0.0.1:PORT: closed: <reason>").
 *
 * The server must run with handshake_timeout = 1 s (tests/hostile/
 * run-hostile.sh writes the config), so that the slow attacks end within
 * the test.  The default is the short version (~2 s per attack, CI);
 * --full runs longer with more connections.
 *
 * --sources runs the other half instead, against a server with few slots
 * and per-source limits (run-hostile.sh starts a second one), playing
 * several sources on the loopback (127.0.0.x):
 *
 *   slots   two sources hold every connection slot with handshakes they
 *           never use, re-opening whatever the server closes, while a
 *           clerk from a third source logs in again and again: every
 *           login must succeed (the server evicts the oldest connection
 *           that is not logged in), and no source may ever hold more than
 *           max_connections_per_source;
 *   rate    one source opens connections as fast as it can: no more may
 *           get a handshake answered than its token bucket allows
 *           (connect_burst_per_source + connect_rate_per_source x time).
 *
 * Alike on purpose: attacks[] is data, a row an attack of one shape (name,
 * what, the log line, connections, how it opens, what it sends each tick).
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "proto/client.h"
#include "proto/frame.h"
#include "proto/handshake.h"
#include "proto/method_names.h"
#include "tests/lib/tclient.h"
#include "tests/lib/tsock.h"

#define GOOD_PING_MAX_MS 2000.0   /* a well-behaved ping must finish by then */
#define PING_EVERY_MS    50.0
#define FRESH_EVERY      5        /* every 5th ping on a fresh connection */
#define TICK_MS          10
#define CLOSE_GRACE_MS   4000.0   /* after the attack: time for the server to drop them */
#define READY_MS         3000
#define LOG_MAX          (64u << 20)

struct opts {
	const char *addr;
	const char *log;
	uint8_t     pk[HR_PUBKEY_LEN];
	int         full;
	const char *only;        /* run just this attack */
	int         sources;     /* the per-source half (--sources) */
	int         slots;       /* the server's max_connections */
	int         per_source;  /* its max_connections_per_source */
	int         rate, burst; /* its connect_rate/burst_per_source */
};

static struct opts o;

/* "hostile: MESSAGE" on stderr and exit 2: err.h's errx, which names the
 * program itself. */
#define die(...) errx(2, __VA_ARGS__)

/* ---- attacking connections ------------------------------------------------ */

struct attacker {
	int               fd;        /* the socket (owned by c when c is set) */
	struct hr_client *c;         /* when the attack needs a channel first */
	int               port;      /* our local port: names us in the log */
	size_t            sent;      /* bytes of the attack sent so far */
	int               closed;    /* the server closed it */
	int               answered;  /* the server sent something on it */
};

typedef int open_fn(struct attacker *a);
typedef void tick_fn(struct attacker *a);

struct attack {
	const char *name;
	const char *what;
	const char *expect;      /* the reason the server must log */
	int         conns;       /* connections in the short version (x10 full) */
	open_fn    *open;
	tick_fn    *tick;        /* NULL: nothing more to send */
	int         flood;       /* open and finish connections all the time */
};

/* A plain TCP connection to the server, non-blocking once connected. */
static int
raw_connect(struct attacker *a)
{
	struct hr_error err;
	int one = 1;

	a->fd = tsock_connect(o.addr, &err);
	if (a->fd < 0) {
		if (err.code != HR_E_IO)
			die("--addr: %s", err.msg);
		return -1;
	}
	setsockopt(a->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	fcntl(a->fd, F_SETFL, fcntl(a->fd, F_GETFL) | O_NONBLOCK);
	a->port = tsock_local_port(a->fd);
	return 0;
}

/* A connection with the encrypted channel up, through the client library. */
static int
channel_connect(struct attacker *a)
{
	struct hr_error err;

	a->c = tclient_open(o.addr, o.pk, READY_MS, &err);
	if (a->c == NULL) {
		fprintf(stderr, "hostile: channel: %s\n", err.msg);
		return -1;
	}
	a->fd = hr_client_fd(a->c);
	a->port = tsock_local_port(a->fd);
	return 0;
}

static void
send_some(struct attacker *a, const void *p, size_t n)
{
	ssize_t w = send(a->fd, p, n, MSG_NOSIGNAL);

	if (w > 0)
		a->sent += (size_t)w;
}

/* A valid ClientHello frame for the pinned key (50 bytes). */
static void
hello_frame(uint8_t out[HR_FRAME_HEADER + HR_CLIENT_HELLO_LEN])
{
	struct hr_hs_client hs;

	hr_hs_client_start(&hs, o.pk, out + HR_FRAME_HEADER);
	hr_frame_put_len(out, HR_CLIENT_HELLO_LEN);
	sodium_memzero(&hs, sizeof hs);
}

/* slowloris on the handshake: one byte of a real hello per tick. */
static void
tick_hello_byte(struct attacker *a)
{
	static uint8_t f[HR_FRAME_HEADER + HR_CLIENT_HELLO_LEN];
	static int     made;

	if (!made) {                 /* one real hello serves every trickler */
		hello_frame(f);
		made = 1;
	}
	if (a->sent < sizeof f - 1)  /* never complete it */
		send_some(a, f + a->sent, 1);
}

/* slowloris on a frame: a 64-byte frame announced, then a byte per tick. */
static int
open_frame_header(struct attacker *a)
{
	uint8_t hdr[HR_FRAME_HEADER];

	if (channel_connect(a) < 0)
		return -1;
	hr_frame_put_len(hdr, 64);
	send_some(a, hdr, sizeof hdr);
	return 0;
}

static void
tick_frame_byte(struct attacker *a)
{
	uint8_t b = 0x5a;

	if (a->sent < HR_FRAME_HEADER + 63)
		send_some(a, &b, 1);
}

/* A frame header far above the pre-login limit, in the handshake. */
static int
open_huge_hello(struct attacker *a)
{
	static const uint8_t hdr[] = { 0xff, 0xff, 0xff, 0xff };

	if (raw_connect(a) < 0)
		return -1;
	send_some(a, hdr, sizeof hdr);
	return 0;
}

/* A 1 MiB frame announced on the channel before login (limit 4 KiB). */
static int
open_huge_frame(struct attacker *a)
{
	uint8_t hdr[HR_FRAME_HEADER];

	if (channel_connect(a) < 0)
		return -1;
	hr_frame_put_len(hdr, HR_FRAME_MAX);
	send_some(a, hdr, sizeof hdr);
	return 0;
}

/* Random bytes as the hello. */
static int
open_garbage_hello(struct attacker *a)
{
	uint8_t f[HR_FRAME_HEADER + HR_CLIENT_HELLO_LEN];

	if (raw_connect(a) < 0)
		return -1;
	randombytes_buf(f, sizeof f);
	hr_frame_put_len(f, HR_CLIENT_HELLO_LEN);
	send_some(a, f, sizeof f);
	return 0;
}

/* Random bytes as an encrypted frame: fails authentication. */
static int
open_garbage_frame(struct attacker *a)
{
	uint8_t f[HR_FRAME_HEADER + 48];

	if (channel_connect(a) < 0)
		return -1;
	randombytes_buf(f, sizeof f);
	hr_frame_put_len(f, 48);
	send_some(a, f, sizeof f);
	return 0;
}

/* Connect and never send a byte. */
static int
open_half(struct attacker *a)
{
	return raw_connect(a);
}

/* A full handshake, then hang up: the flood's unit. */
static int
open_handshake_then_close(struct attacker *a)
{
	if (channel_connect(a) < 0)
		return -1;
	hr_client_close(a->c);
	a->fd = -1;
	a->closed = 1;               /* we closed it: the server says so */
	return 0;
}

static const struct attack attacks[] = {
	{ "slowloris-hello", "a real hello trickled one byte per tick",
	  "no handshake within", 20, raw_connect, tick_hello_byte, 0 },
	{ "slowloris-frame", "a frame announced, its body trickled",
	  "not completed within", 20, open_frame_header, tick_frame_byte, 0 },
	{ "huge-hello", "frame header 0xffffffff instead of a hello",
	  "exceeds the limit of 4096", 20, open_huge_hello, NULL, 0 },
	{ "huge-frame", "1 MiB frame announced before login",
	  "exceeds the limit of 4096", 20, open_huge_frame, NULL, 0 },
	{ "half-open", "connect and never send",
	  "no handshake within", 50, open_half, NULL, 0 },
	{ "handshake-flood", "handshake after handshake, then hang up",
	  "closed by the client", 0, open_handshake_then_close, NULL, 1 },
	{ "garbage-hello", "random bytes as the hello",
	  "not a Hromada client hello", 20, open_garbage_hello, NULL, 0 },
	{ "garbage-frame", "random bytes as an encrypted frame",
	  "failed authentication", 20, open_garbage_frame, NULL, 0 },
};
#define NATTACKS (sizeof attacks / sizeof attacks[0])

/* Has the server closed it?  Reads (and drops) whatever it sent first. */
static void
check_closed(struct attacker *a)
{
	uint8_t buf[4096];
	ssize_t n;

	if (a->closed || a->fd < 0)
		return;
	while ((n = recv(a->fd, buf, sizeof buf, MSG_DONTWAIT)) > 0)
		a->answered = 1;
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK &&
	    errno != EINTR))
		a->closed = 1;
}

static void
attacker_free(struct attacker *a)
{
	if (a->c != NULL)
		hr_client_free(a->c);        /* closes the fd */
	else if (a->fd >= 0)
		close(a->fd);
	a->c = NULL;
	a->fd = -1;
}

/* ---- the well-behaved client ---------------------------------------------- */

#define GOOD_PORTS_MAX 4096

struct good {
	struct hr_client *c;
	double            worst;
	int               pings, failed;
	char              why[256];
	/* Ports of its fresh connections: they close "by the client" too. */
	int               ports[GOOD_PORTS_MAX];
	size_t            nports;
};

struct ping_res { int done, code; };

static void
ping_reply(void *ud, const struct hr_msg *m, const struct hr_error *err)
{
	struct ping_res *p = ud;

	p->done = 1;
	p->code = m ? m->err_code : err->code ? err->code : HR_E_DISCONNECTED;
}

/* One ping on c, bounded; its time in ms, or -1. */
static double
ping_once(struct hr_client *c)
{
	struct ping_res p = { 0, 0 };
	struct hr_error err;
	double t0 = tclock_ms();
	msgpack_packer *pk = hr_client_begin(c, HR_M_PING);
	uint32_t id;

	msgpack_pack_map(pk, 0);
	id = hr_client_send(c, ping_reply, &p);
	if (id == 0 || hr_client_wait(c, id, (int)GOOD_PING_MAX_MS, &err) < 0 ||
	    !p.done || p.code != HR_OK)
		return -1;
	return tclock_ms() - t0;
}

static struct hr_client *
good_open(void)
{
	struct hr_error err;

	return tclient_open(o.addr, o.pk, (int)GOOD_PING_MAX_MS, &err);
}

/* Ping on the standing session, or (every FRESH_EVERY) on a new one. */
static void
good_ping(struct good *g)
{
	double t0 = tclock_ms(), ms;
	struct hr_client *fresh = NULL;
	int use_fresh = g->pings % FRESH_EVERY == FRESH_EVERY - 1;

	if (use_fresh)
		fresh = good_open();
	if (use_fresh && fresh == NULL)
		ms = -1;
	else
		ms = ping_once(use_fresh ? fresh : g->c);
	if (fresh != NULL && g->nports < GOOD_PORTS_MAX)
		g->ports[g->nports++] = tsock_local_port(hr_client_fd(fresh));
	hr_client_free(fresh);
	g->pings++;
	if (ms < 0) {
		g->failed++;
		snprintf(g->why, sizeof g->why, "%s ping failed after %.0f ms",
		    use_fresh ? "fresh connection's" : "standing session's",
		    tclock_ms() - t0);
		if (!use_fresh) {            /* reconnect the standing session */
			hr_client_free(g->c);
			g->c = good_open();
			if (g->c == NULL)
				die("the server stopped answering");
		}
		return;
	}
	ms = tclock_ms() - t0;              /* connect + handshake included */
	if (ms > g->worst)
		g->worst = ms;
}

/* ---- the server log ------------------------------------------------------- */

static char *
log_read(long from)
{
	FILE *f = fopen(o.log, "r");
	char *buf;
	size_t n;

	if (f == NULL)
		die("cannot read the server log %s: %s", o.log, strerror(errno));
	if ((buf = malloc(LOG_MAX + 1)) == NULL)
		die("out of memory");
	fseek(f, from, SEEK_SET);
	n = fread(buf, 1, LOG_MAX, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static long
log_size(void)
{
	FILE *f = fopen(o.log, "r");
	long n;

	if (f == NULL)
		return 0;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fclose(f);
	return n;
}

/*
 * Each attacker's port must name exactly one "closed:" line (as many as
 * connections used that port in this attack) with the expected reason.
 * Returns the number of attackers that fail; prints the first few.
 */
static int
log_check(const struct attack *at, const struct attacker *a, size_t n,
    const struct good *g, const char *text)
{
	char needle[64], line[600];
	int bad = 0;

	for (size_t i = 0; i < n; i++) {
		const char *p = text, *hit = NULL;
		int count = 0, want = 0;

		if (a[i].port <= 0)
			continue;
		for (size_t j = 0; j < n; j++)
			want += a[j].port == a[i].port;
		for (size_t j = 0; j < g->nports; j++)
			want += g->ports[j] == a[i].port;
		snprintf(needle, sizeof needle, "127.0.0.1:%d: closed: ", a[i].port);
		while ((p = strstr(p, needle)) != NULL) {
			count++;
			hit = p;
			p += strlen(needle);
		}
		if (count == want && strstr(hit ? hit : "", at->expect) != NULL &&
		    (strchr(hit, '\n') == NULL || strstr(hit, at->expect) <
		    strchr(hit, '\n')))
			continue;
		if (bad++ < 3) {
			snprintf(line, sizeof line, "%.*s", hit ? (int)strcspn(hit,
			    "\n") : 0, hit ? hit : "");
			printf("    port %d: %d \"closed\" lines (want %d)%s%s\n",
			    a[i].port, count, want, hit ? "; last: " : "", line);
		}
	}
	return bad;
}

/* ---- one attack ----------------------------------------------------------- */

static int
run_attack(const struct attack *at, struct good *g, double dur_ms)
{
	size_t cap = at->flood ? 100000 : (size_t)at->conns * (o.full ? 10 : 1);
	struct attacker *a = calloc(cap, sizeof *a);
	size_t n = 0, open_fail = 0, not_closed = 0;
	long log_from = log_size();
	double t0 = tclock_ms(), next_ping = t0, t;
	int bad;
	char *text;

	if (a == NULL)
		die("out of memory");
	g->worst = 0;
	g->failed = 0;
	g->pings = 0;
	g->nports = 0;
	/* Open the attack's connections (the flood keeps opening). */
	if (!at->flood)
		for (; n < cap; n++) {
			a[n].fd = -1;
			if (at->open(&a[n]) < 0)
				open_fail++;
		}
	while ((t = tclock_ms()) - t0 < dur_ms) {
		if (at->flood && n < cap) {
			a[n].fd = -1;
			if (at->open(&a[n]) < 0)
				open_fail++;
			n++;
		}
		if (t >= next_ping) {
			good_ping(g);
			next_ping = tclock_ms() + PING_EVERY_MS;
		}
		if (at->tick != NULL)
			for (size_t i = 0; i < n; i++)
				if (!a[i].closed && a[i].fd >= 0)
					at->tick(&a[i]);
		for (size_t i = 0; i < n; i++)
			check_closed(&a[i]);
		if (!at->flood)
			poll(NULL, 0, TICK_MS * (o.full ? 10 : 1));
	}
	/* Give the server time to drop what is left (timeouts). */
	for (t = tclock_ms(); tclock_ms() - t < CLOSE_GRACE_MS; ) {
		size_t open_now = 0;

		for (size_t i = 0; i < n; i++) {
			check_closed(&a[i]);
			open_now += !a[i].closed && a[i].fd >= 0;
		}
		if (open_now == 0)
			break;
		good_ping(g);
		poll(NULL, 0, 20);
	}
	for (size_t i = 0; i < n; i++)
		not_closed += !a[i].closed && a[i].fd >= 0;
	for (size_t i = 0; i < n; i++)
		attacker_free(&a[i]);
	poll(NULL, 0, 100);           /* let the server write its last lines */
	text = log_read(log_from);
	printf("%-16s %5zu conns  good ping worst %7.1f ms over %3d pings%s\n",
	    at->name, n, g->worst, g->pings, g->failed ? " FAILED" : "");
	bad = log_check(at, a, n, g, text);
	if (not_closed > 0)
		printf("    %zu connections still open %.0f s after the attack\n",
		    not_closed, CLOSE_GRACE_MS / 1e3);
	if (bad > 0)
		printf("    %d connections without exactly one log line saying "
		    "\"%s\"\n", bad, at->expect);
	if (open_fail > 0)
		printf("    %zu attacking connections could not be opened\n",
		    open_fail);
	if (g->failed)
		printf("    %d good pings failed: %s\n", g->failed, g->why);
	free(text);
	free(a);
	return (bad > 0 || not_closed > 0 || g->failed > 0 ||
	    g->worst >= GOOD_PING_MAX_MS || n == 0) ? 1 : 0;
}

/* ---- per-source limits (--sources) --------------------------------------- */

#define SLOT_SOURCES   2            /* sources holding the slots */
#define CLERK_FROM     "127.0.0.2"
#define RATE_FROM      "127.0.0.9"
#define CLERK_EVERY_MS 250.0
#define CLERK_MAX_MS   3000.0

static const char *const slot_from[SLOT_SOURCES] = { "127.0.0.3",
    "127.0.0.4" };

/*
 * Open a slot-holder from `from`: connect and send a real hello (the
 * server answers ACCEPT and waits for a login that never comes).
 */
static int
holder_open(struct attacker *a, const char *from)
{
	static uint8_t f[HR_FRAME_HEADER + HR_CLIENT_HELLO_LEN];
	static int     made;
	struct hr_error err;

	memset(a, 0, sizeof *a);
	if (!made) {
		hello_frame(f);
		made = 1;
	}
	a->fd = tsock_connect_from(o.addr, from, &err);
	if (a->fd < 0) {
		if (err.code != HR_E_IO)
			die("%s", err.msg);
		return -1;
	}
	fcntl(a->fd, F_SETFL, fcntl(a->fd, F_GETFL) | O_NONBLOCK);
	a->port = tsock_local_port(a->fd);
	send_some(a, f, sizeof f);
	return 0;
}

/* A clerk logs in from its own source on a fresh connection: ms or -1. */
static double
clerk_login(char *why, size_t cap)
{
	struct hr_error err;
	struct hr_client *c;
	struct tcall t;
	double t0 = tclock_ms();
	int code;

	c = tclient_open_from(o.addr, CLERK_FROM, o.pk, (int)CLERK_MAX_MS, &err);
	if (c == NULL) {
		snprintf(why, cap, "connect: %s", err.msg);
		return -1;
	}
	tcall_init(&t);
	code = tcall_login(c, "cnap", "demo-cnap-2026", &t, (int)CLERK_MAX_MS);
	if (code != HR_OK)
		snprintf(why, cap, "login: %s: %s", hr_error_name(code), t.msg);
	tcall_free(&t);
	hr_client_free(c);
	return code == HR_OK ? tclock_ms() - t0 : -1;
}

static int
run_slots(double dur_ms)
{
	size_t cap = (size_t)o.slots * 2;
	struct attacker *a[SLOT_SOURCES];
	size_t most[SLOT_SOURCES] = { 0 }, opened = 0;
	double t0 = tclock_ms(), next_clerk = t0, worst = 0, ms;
	int logins = 0, failed = 0;
	char why[300] = "";
	long log_from = log_size();
	char *text;
	int bad;

	for (int k = 0; k < SLOT_SOURCES; k++) {
		if ((a[k] = calloc(cap, sizeof *a[k])) == NULL)
			die("out of memory");
		for (size_t i = 0; i < cap; i++)
			a[k][i].fd = -1;
	}
	while (tclock_ms() - t0 < dur_ms) {
		/* What the server holds: answered (accepted, not just in the
		 * listen backlog) and not closed, all sockets read first. */
		for (int k = 0; k < SLOT_SOURCES; k++)
			for (size_t i = 0; i < cap; i++)
				check_closed(&a[k][i]);
		for (int k = 0; k < SLOT_SOURCES; k++) {
			size_t held = 0;

			for (size_t i = 0; i < cap; i++)
				held += a[k][i].answered && !a[k][i].closed;
			if (held > most[k])
				most[k] = held;
			for (size_t i = 0; i < cap; i++) {
				if (a[k][i].fd >= 0 && !a[k][i].closed)
					continue;
				attacker_free(&a[k][i]);
				if (holder_open(&a[k][i], slot_from[k]) == 0)
					opened++;
				else
					a[k][i].fd = -1;
			}
		}
		if (tclock_ms() >= next_clerk) {
			ms = clerk_login(why, sizeof why);
			logins++;
			if (ms < 0)
				failed++;
			else if (ms > worst)
				worst = ms;
			next_clerk = tclock_ms() + CLERK_EVERY_MS;
		}
		poll(NULL, 0, TICK_MS);
	}
	for (int k = 0; k < SLOT_SOURCES; k++) {
		for (size_t i = 0; i < cap; i++)
			attacker_free(&a[k][i]);
		free(a[k]);
	}
	text = log_read(log_from);
	printf("%-16s %5zu conns  clerk logins %d, %d failed, worst %.1f ms; "
	    "most held by one source %zu, %zu (limit %d)\n", "slots", opened,
	    logins, failed, worst, most[0], most[1], o.per_source);
	bad = failed > 0 || logins == 0;
	if (failed > 0)
		printf("    the clerk was kept out: %s\n", why);
	/* A close and the next answer may cross while the sockets are read:
	 * a little slack. */
	for (int k = 0; k < SLOT_SOURCES; k++)
		if (most[k] > (size_t)o.per_source + 2) {
			printf("    source %s held %zu connections\n",
			    slot_from[k], most[k]);
			bad = 1;
		}
	if (strstr(text, "evicted: all") == NULL) {
		printf("    the server log says nothing of evictions\n");
		bad = 1;
	}
	free(text);
	return bad;
}

/* Handshakes answered to one source opening connections at full speed. */
static int
run_rate(double dur_ms)
{
	uint8_t f[HR_FRAME_HEADER + HR_CLIENT_HELLO_LEN], reply[64];
	struct hr_error err;
	int accepted = 0, refused = 0;
	double t0 = tclock_ms(), elapsed, allowed;

	hello_frame(f);
	while (tclock_ms() - t0 < dur_ms) {
		struct pollfd p;
		int fd = tsock_connect_from(o.addr, RATE_FROM, &err);
		ssize_t n = 0;

		if (fd < 0) {
			refused++;
			continue;
		}
		tsock_send(fd, f, sizeof f);
		p.fd = fd;
		p.events = POLLIN;
		if (poll(&p, 1, 1000) == 1)
			n = recv(fd, reply, sizeof reply, 0);
		if (n > HR_FRAME_HEADER && reply[HR_FRAME_HEADER] == HR_HS_ACCEPT)
			accepted++;
		else
			refused++;
		close(fd);
	}
	elapsed = (tclock_ms() - t0) / 1e3;
	allowed = o.burst + o.rate * elapsed + 2;
	printf("%-16s %5d conns  %d answered in %.1f s (bucket allows %.0f), "
	    "%d refused\n", "rate", accepted + refused, accepted, elapsed,
	    allowed, refused);
	if (accepted > allowed || refused == 0) {
		printf("    the source was not held to its token bucket\n");
		return 1;
	}
	return 0;
}

static int
run_sources(void)
{
	double dur_ms = o.full ? 10000 : 3000;
	int failed = 0;

	if (o.slots <= 0 || o.per_source <= 0 || o.rate <= 0 || o.burst <= 0)
		die("--sources needs --slots, --per-source, --rate and --burst");
	printf("per-source limits: %d slots, %d per source, %d/s after a burst "
	    "of %d; a clerk logs in from %s every %.0f ms\n", o.slots,
	    o.per_source, o.rate, o.burst, CLERK_FROM, CLERK_EVERY_MS);
	failed += run_slots(dur_ms);
	failed += run_rate(o.full ? 5000 : 1500);
	printf("%d of 2 per-source checks passed\n", 2 - failed);
	return failed ? 1 : 0;
}

static void
parse_key(const char *arg)
{
	const char *b64 = strrchr(arg, ' ');
	size_t got = 0;

	b64 = b64 ? b64 + 1 : arg;
	if ((sodium_base642bin(o.pk, sizeof o.pk, b64, strcspn(b64, " \t\r\n"),
	    NULL, &got, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 &&
	    sodium_base642bin(o.pk, sizeof o.pk, b64, strcspn(b64, " \t\r\n"),
	    NULL, &got, NULL, sodium_base64_VARIANT_ORIGINAL_NO_PADDING) != 0) ||
	    got != sizeof o.pk)
		die("--key: not a base64 32-byte key: %s", b64);
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "addr", 1, NULL, 'a' }, { "key", 1, NULL, 'k' },
		{ "log", 1, NULL, 'l' }, { "full", 0, NULL, 'f' },
		{ "only", 1, NULL, 'o' }, { "sources", 0, NULL, 's' },
		{ "slots", 1, NULL, 'S' }, { "per-source", 1, NULL, 'P' },
		{ "rate", 1, NULL, 'R' }, { "burst", 1, NULL, 'B' },
		{ NULL, 0, NULL, 0 },
	};
	struct good g;
	struct rlimit rl;
	int c, failed = 0, have_key = 0, ran = 0;
	double dur_ms;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'a': o.addr = optarg; break;
		case 'k': parse_key(optarg); have_key = 1; break;
		case 'l': o.log = optarg; break;
		case 'f': o.full = 1; break;
		case 'o': o.only = optarg; break;
		case 's': o.sources = 1; break;
		case 'S': o.slots = atoi(optarg); break;
		case 'P': o.per_source = atoi(optarg); break;
		case 'R': o.rate = atoi(optarg); break;
		case 'B': o.burst = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: hostile --addr IP:PORT --key KEY "
			    "--log SERVER_LOG [--full] [--only ATTACK]\n"
			    "       hostile ... --sources --slots N --per-source N "
			    "--rate N --burst N\n");
			return 2;
		}
	}
	if (o.addr == NULL || o.log == NULL || !have_key)
		die("--addr, --key and --log are required");
	if (sodium_init() < 0)
		die("sodium_init failed");
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (o.sources)
		return run_sources();
	dur_ms = o.full ? 10000 : 2000;
	memset(&g, 0, sizeof g);
	if ((g.c = good_open()) == NULL)
		die("cannot connect to %s", o.addr);
	printf("%zu attacks, %.0f s each%s; the well-behaved client pings every "
	    "%.0f ms (every %dth on a fresh connection), bound %.0f ms\n",
	    NATTACKS, dur_ms / 1e3, o.full ? " (full)" : " (short)",
	    PING_EVERY_MS, FRESH_EVERY, GOOD_PING_MAX_MS);
	for (size_t i = 0; i < NATTACKS; i++) {
		if (o.only != NULL && strcmp(o.only, attacks[i].name) != 0)
			continue;
		ran++;
		failed += run_attack(&attacks[i], &g, dur_ms);
	}
	if (ping_once(g.c) < 0) {
		printf("the server no longer answers after the attacks\n");
		failed++;
	}
	hr_client_free(g.c);
	printf("%d of %d attacks handled as expected\n", ran - failed, ran);
	return failed ? 1 : 0;
}
