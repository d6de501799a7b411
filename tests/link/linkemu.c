/*
 * linkemu.c — a slow link between two loopback sockets: a TCP proxy that
 * delays and rate-limits what it carries, in both directions.
 *
 *   linkemu --listen 127.0.0.1:PORT --to 127.0.0.1:PORT
 *           [--rate 64kbit] [--delay 300ms] [--up-rate R] [--down-rate R]
 *           [--overhead 40] [--mtu 1460] [--queue 262144]
 *           [--stats PATH] [--ready FILE] [-v]
 *   linkemu --query PATH
 *
 * Why: the clerks' links are 64 kbit/s with long round trips, and this
 * machine has no netem (PITFALLS.md), so the benchmarks need a link of
 * their own.  tests/link/README.md says how to use it.
 *
 * The model is one bottleneck per direction, shared by every connection
 * through the proxy, followed by a fixed propagation delay:
 *
 *   - what the proxy reads from a socket is cut into packets of at most
 *     --mtu bytes;
 *   - a packet waits for the direction's link to be free, then takes
 *     (bytes + --overhead) * 8 / rate seconds to go onto it (the overhead
 *     stands for the TCP/IP headers a real packet carries), and arrives
 *     --delay later on the far side, where the proxy writes it;
 *   - the end of a stream (FIN) travels like an empty packet, so a
 *     half-close arrives in order after the data.
 *
 * "Up" is towards the --to side (client -> server), "down" back.  What the
 * far side does not read stays queued; above --queue bytes per direction
 * and connection the proxy stops reading that source (TCP's own flow
 * control then holds the sender), so a flood costs bounded memory.
 *
 * Counters (payload bytes and packets per direction, turns, connections)
 * are answered on the Unix socket --stats PATH, one line per connection
 * to it, and printed by `linkemu --query PATH`.  A turn is one change of
 * direction from up to down: a request and its answer, however many
 * packets each takes.  Pipelined requests answered together are one turn.
 *
 * Only loopback addresses are accepted on either side: this is a test
 * tool, not a relay.  Single-threaded, poll(2); exits on SIGTERM/SIGINT.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define LE_MAX_CONNS  64
#define LE_READ_CHUNK 65536

/* One packet on its way: due_us is when it reaches the far side. */
struct pkt {
	struct pkt *next;
	uint64_t    due_us;
	size_t      len, off;     /* len 0: the end of the stream */
	uint8_t     data[];
};

/* One direction of one connection: from `src` to `dst`. */
struct flow {
	int         src, dst;
	struct pkt *head, *tail;
	size_t      queued;       /* bytes not yet written to dst */
	int         eof_read;     /* src said EOF (its FIN is queued) */
	int         eof_sent;     /* dst has been shut down for writing */
};

/* A direction's bottleneck, shared by all connections. */
struct link {
	const char *name;
	double      bps;          /* bits per second; 0 = unlimited */
	uint64_t    delay_us;
	uint64_t    free_at_us;   /* when the last packet leaves the wire */
	uint64_t    bytes, packets;
};

struct conn {
	int         used;
	int         a, b;         /* accepted client side, connected server side */
	int         connecting;   /* b's connect(2) not finished yet */
	struct flow up, down;     /* a -> b, b -> a */
};

static struct {
	struct link up, down;
	size_t      mtu, overhead, queue_max;
	struct sockaddr_in to;
	int         lfd, sfd;     /* listener, stats socket */
	const char *stats_path;
	int         verbose;
	uint64_t    turns, conns;
	int         last_dir;     /* 0 none, 1 up, 2 down */
	struct conn c[LE_MAX_CONNS];
	uint64_t    t0;
} le;

static volatile sig_atomic_t le_stop;

static void
le_on_signal(int sig)
{
	(void)sig;
	le_stop = 1;
}

static uint64_t
le_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void __attribute__((format(printf, 1, 2)))
le_log(const char *fmt, ...)
{
	va_list ap;

	if (!le.verbose)
		return;
	fprintf(stderr, "linkemu %8.3f ", (double)(le_now_us() - le.t0) / 1e6);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void __attribute__((format(printf, 1, 2), noreturn))
le_die(const char *fmt, ...)
{
	va_list ap;

	fputs("linkemu: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/* ---- options ---- */

/* "64kbit", "1.5mbit", "8000" (bit/s), "0" unlimited. */
static double
le_parse_rate(const char *s)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || v < 0)
		le_die("bad rate \"%s\": expected e.g. 64kbit, 2mbit or 64000", s);
	if (*end == '\0' || strcmp(end, "bit") == 0)
		return v;
	if (strcmp(end, "kbit") == 0 || strcmp(end, "k") == 0)
		return v * 1e3;
	if (strcmp(end, "mbit") == 0 || strcmp(end, "m") == 0)
		return v * 1e6;
	le_die("bad rate unit in \"%s\": bit, kbit or mbit", s);
}

/* "300ms", "0.3s", "300" (ms). */
static uint64_t
le_parse_delay(const char *s)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || v < 0 || v > 600000)
		le_die("bad delay \"%s\": expected e.g. 300ms or 0.3s", s);
	if (*end == '\0' || strcmp(end, "ms") == 0)
		return (uint64_t)(v * 1000.0);
	if (strcmp(end, "s") == 0)
		return (uint64_t)(v * 1e6);
	if (strcmp(end, "us") == 0)
		return (uint64_t)v;
	le_die("bad delay unit in \"%s\": us, ms or s", s);
}

static size_t
le_parse_size(const char *s, const char *what, size_t lo, size_t hi)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);

	if (end == s || *end != '\0' || v < lo || v > hi)
		le_die("bad %s \"%s\": %zu..%zu", what, s, lo, hi);
	return (size_t)v;
}

/* "127.0.0.1:PORT" (any 127/8 address) into sa; loopback only. */
static void
le_parse_addr(const char *s, struct sockaddr_in *sa, int allow_port0)
{
	const char *colon = strrchr(s, ':');
	char host[64];
	char *end;
	unsigned long port;

	if (colon == NULL || (size_t)(colon - s) >= sizeof host)
		le_die("bad address \"%s\": expected 127.0.0.1:PORT", s);
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	if (strcmp(host, "localhost") == 0)
		strcpy(host, "127.0.0.1");
	port = strtoul(colon + 1, &end, 10);
	memset(sa, 0, sizeof *sa);
	sa->sin_family = AF_INET;
	if (inet_pton(AF_INET, host, &sa->sin_addr) != 1 || *end != '\0' ||
	    port > 65535 || (port == 0 && !allow_port0))
		le_die("bad address \"%s\": expected 127.0.0.1:PORT", s);
	if ((ntohl(sa->sin_addr.s_addr) >> 24) != 127)
		le_die("%s is not a loopback address: linkemu only joins loopback "
		    "sockets", host);
	sa->sin_port = htons((uint16_t)port);
}

/* ---- sockets ---- */

static void
le_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)
		le_die("fcntl: %s", strerror(errno));
}

/* No Nagle on either side: the emulated link decides when bytes move. */
static void
le_nodelay(int fd)
{
	int one = 1;

	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

static int
le_listen(const struct sockaddr_in *sa)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	if (fd < 0)
		le_die("socket: %s", strerror(errno));
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (const struct sockaddr *)sa, sizeof *sa) != 0 ||
	    listen(fd, 16) != 0)
		le_die("cannot listen on %s:%u: %s", inet_ntoa(sa->sin_addr),
		    ntohs(sa->sin_port), strerror(errno));
	le_nonblock(fd);
	return fd;
}

static int
le_stats_listen(const char *path)
{
	struct sockaddr_un su = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof su.sun_path)
		le_die("stats path too long: %s", path);
	strcpy(su.sun_path, path);
	(void)unlink(path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&su, sizeof su) != 0 ||
	    listen(fd, 4) != 0)
		le_die("cannot listen on %s: %s", path, strerror(errno));
	le_nonblock(fd);
	return fd;
}

/* ---- packets ---- */

static void
le_flow_init(struct flow *f, int src, int dst)
{
	memset(f, 0, sizeof *f);
	f->src = src;
	f->dst = dst;
}

static void
le_flow_free(struct flow *f)
{
	while (f->head != NULL) {
		struct pkt *p = f->head;
		f->head = p->next;
		free(p);
	}
	f->tail = NULL;
	f->queued = 0;
}

/*
 * Put len bytes (len 0: the end of the stream) on the link: the packet
 * leaves when the link is free, takes its serialisation time, and arrives
 * one delay later.
 */
static int
le_send(struct flow *f, struct link *l, const uint8_t *data, size_t len)
{
	struct pkt *p = malloc(sizeof *p + len);
	uint64_t now = le_now_us(), start, wire;

	if (p == NULL)
		return -1;
	start = l->free_at_us > now ? l->free_at_us : now;
	wire = 0;
	if (len > 0 && l->bps > 0)
		wire = (uint64_t)((double)(len + le.overhead) * 8.0 * 1e6 / l->bps);
	l->free_at_us = start + wire;
	p->next = NULL;
	p->due_us = l->free_at_us + l->delay_us;
	p->len = len;
	p->off = 0;
	if (len > 0)
		memcpy(p->data, data, len);
	if (f->tail != NULL)
		f->tail->next = p;
	else
		f->head = p;
	f->tail = p;
	f->queued += len;
	if (len > 0) {
		l->bytes += len;
		l->packets++;
	}
	return 0;
}

/* Counting turns: data going down after data went up. */
static void
le_note_dir(int dir)
{
	if (dir == 2 && le.last_dir == 1)
		le.turns++;
	le.last_dir = dir;
}

/*
 * Read what src has (while the queue has room) and put it on the link.
 * 0, or -1 when the connection must end (error).
 */
static int
le_flow_read(struct flow *f, struct link *l, int dir)
{
	static uint8_t buf[LE_READ_CHUNK];

	while (!f->eof_read && f->queued < le.queue_max) {
		ssize_t n = read(f->src, buf, sizeof buf);

		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			le_log("%s read: %s", l->name, strerror(errno));
			return -1;
		}
		if (n == 0) {
			f->eof_read = 1;
			le_log("%s end of stream", l->name);
			return le_send(f, l, NULL, 0);
		}
		le_note_dir(dir);
		for (size_t off = 0; off < (size_t)n; off += le.mtu) {
			size_t k = (size_t)n - off < le.mtu ? (size_t)n - off : le.mtu;
			if (le_send(f, l, buf + off, k) != 0)
				return -1;
		}
		le_log("%s %zd bytes in, arrive in %.0f ms", l->name, n,
		    (double)(f->tail->due_us - le_now_us()) / 1000.0);
	}
	return 0;
}

/* Write the packets that have arrived.  0, or -1 to end the connection. */
static int
le_flow_write(struct flow *f, struct link *l)
{
	uint64_t now = le_now_us();

	while (f->head != NULL && f->head->due_us <= now) {
		struct pkt *p = f->head;

		if (p->len == 0) {
			(void)shutdown(f->dst, SHUT_WR);
			f->eof_sent = 1;
		} else {
			ssize_t n = send(f->dst, p->data + p->off, p->len - p->off,
			    MSG_NOSIGNAL);
			if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
				return 0;
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				le_log("%s write: %s", l->name, strerror(errno));
				return -1;
			}
			p->off += (size_t)n;
			f->queued -= (size_t)n;
			if (p->off < p->len)
				return 0;
		}
		f->head = p->next;
		if (f->head == NULL)
			f->tail = NULL;
		free(p);
	}
	return 0;
}

/* ---- connections ---- */

static void
le_conn_close(struct conn *c)
{
	le_log("connection closed");
	close(c->a);
	close(c->b);
	le_flow_free(&c->up);
	le_flow_free(&c->down);
	c->used = 0;
}

static void
le_accept(void)
{
	for (;;) {
		int a = accept(le.lfd, NULL, NULL), b;
		struct conn *c = NULL;

		if (a < 0)
			return;
		for (int i = 0; i < LE_MAX_CONNS && c == NULL; i++)
			if (!le.c[i].used)
				c = &le.c[i];
		b = c ? socket(AF_INET, SOCK_STREAM, 0) : -1;
		if (b < 0) {
			le_log("refusing a connection: %s", c ? strerror(errno) :
			    "too many connections");
			close(a);
			continue;
		}
		le_nonblock(a);
		le_nonblock(b);
		le_nodelay(a);
		le_nodelay(b);
		memset(c, 0, sizeof *c);
		c->used = 1;
		c->a = a;
		c->b = b;
		c->connecting = 1;
		le_flow_init(&c->up, a, b);
		le_flow_init(&c->down, b, a);
		le.conns++;
		if (connect(b, (struct sockaddr *)&le.to, sizeof le.to) == 0)
			c->connecting = 0;
		else if (errno != EINPROGRESS) {
			le_log("connect: %s", strerror(errno));
			le_conn_close(c);
			continue;
		}
		le_log("connection accepted");
	}
}

static void
le_stats_answer(void)
{
	char line[256];
	int fd = accept(le.sfd, NULL, NULL), n;

	if (fd < 0)
		return;
	n = snprintf(line, sizeof line, "up_bytes %llu down_bytes %llu "
	    "up_packets %llu down_packets %llu turns %llu connections %llu\n",
	    (unsigned long long)le.up.bytes, (unsigned long long)le.down.bytes,
	    (unsigned long long)le.up.packets, (unsigned long long)le.down.packets,
	    (unsigned long long)le.turns, (unsigned long long)le.conns);
	(void)!write(fd, line, (size_t)n);
	close(fd);
}

/* The connect(2) to the server side finished: fine, or the end. */
static int
le_connected(struct conn *c)
{
	int soerr = 0;
	socklen_t sl = sizeof soerr;

	if (getsockopt(c->b, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0 || soerr) {
		le_log("connect: %s", strerror(soerr ? soerr : errno));
		return -1;
	}
	c->connecting = 0;
	return 0;
}

/* Milliseconds until the next packet is due (-1: none, 0: now). */
static int
le_next_due(void)
{
	uint64_t now = le_now_us(), best = UINT64_MAX;

	for (int i = 0; i < LE_MAX_CONNS; i++) {
		struct conn *c = &le.c[i];
		if (!c->used || c->connecting)
			continue;
		if (c->up.head && c->up.head->due_us < best)
			best = c->up.head->due_us;
		if (c->down.head && c->down.head->due_us < best)
			best = c->down.head->due_us;
	}
	if (best == UINT64_MAX)
		return -1;
	if (best <= now)
		return 0;
	return (int)((best - now + 999) / 1000);
}

/* Poll events wanted for one side of a connection. */
static short
le_events(const struct flow *in, const struct flow *out)
{
	short ev = 0;

	if (!in->eof_read && in->queued < le.queue_max)
		ev |= POLLIN;
	if (out->head != NULL && out->head->due_us <= le_now_us() &&
	    out->head->len > 0)
		ev |= POLLOUT;
	return ev;
}

static void
le_loop(void)
{
	struct pollfd pf[2 + 2 * LE_MAX_CONNS];
	int idx[LE_MAX_CONNS];

	while (!le_stop) {
		int n = 0, timeout;

		pf[n++] = (struct pollfd){ .fd = le.lfd, .events = POLLIN };
		pf[n++] = (struct pollfd){ .fd = le.sfd, .events = POLLIN };
		for (int i = 0; i < LE_MAX_CONNS; i++) {
			struct conn *c = &le.c[i];
			idx[i] = -1;
			if (!c->used)
				continue;
			idx[i] = n;
			pf[n] = (struct pollfd){ .fd = c->a, .events = c->connecting ?
			    0 : le_events(&c->up, &c->down) };
			pf[n + 1] = (struct pollfd){ .fd = c->b, .events = c->connecting ?
			    POLLOUT : le_events(&c->down, &c->up) };
			/* A side with nothing to do now is not watched: after its
			 * peer hung up, POLLHUP would wake us until the next packet
			 * is due. */
			for (int s = n; s < n + 2; s++)
				if (pf[s].events == 0)
					pf[s].fd = -1;
			n += 2;
		}
		timeout = le_next_due();
		if (poll(pf, (nfds_t)n, timeout) < 0 && errno != EINTR)
			le_die("poll: %s", strerror(errno));
		if (pf[0].revents & POLLIN)
			le_accept();
		if (pf[1].fd >= 0 && (pf[1].revents & POLLIN))
			le_stats_answer();
		for (int i = 0; i < LE_MAX_CONNS; i++) {
			struct conn *c = &le.c[i];
			int k = idx[i], bad = 0;

			if (!c->used || k < 0)
				continue;
			if (c->connecting) {
				if (pf[k + 1].revents != 0 && le_connected(c) != 0)
					bad = 1;
			} else {
				if (pf[k].revents & (POLLIN | POLLHUP | POLLERR))
					bad |= le_flow_read(&c->up, &le.up, 1) != 0;
				if (pf[k + 1].revents & (POLLIN | POLLHUP | POLLERR))
					bad |= le_flow_read(&c->down, &le.down, 2) != 0;
				if (!bad)
					bad = le_flow_write(&c->up, &le.up) != 0 ||
					    le_flow_write(&c->down, &le.down) != 0;
			}
			if (bad || (c->up.eof_sent && c->down.eof_sent))
				le_conn_close(c);
		}
	}
}

/* ---- main ---- */

static int
le_query(const char *path)
{
	struct sockaddr_un su = { .sun_family = AF_UNIX };
	char buf[512];
	ssize_t n;
	int fd;

	if (strlen(path) >= sizeof su.sun_path)
		le_die("stats path too long: %s", path);
	strcpy(su.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&su, sizeof su) != 0)
		le_die("cannot reach %s: %s", path, strerror(errno));
	while ((n = read(fd, buf, sizeof buf)) > 0)
		fwrite(buf, 1, (size_t)n, stdout);
	close(fd);
	return n < 0 ? 1 : 0;
}

static void
le_usage(FILE *out)
{
	fputs("usage: linkemu --listen 127.0.0.1:PORT --to 127.0.0.1:PORT\n"
	    "               [--rate 64kbit] [--delay 300ms] [--up-rate R] [--down-rate R]\n"
	    "               [--overhead BYTES] [--mtu BYTES] [--queue BYTES]\n"
	    "               [--stats PATH] [--ready FILE] [-v]\n"
	    "       linkemu --query PATH\n"
	    "--delay is one way (a round trip takes twice it); see tests/link/README.md\n",
	    out);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "to", required_argument, NULL, 't' },
		{ "rate", required_argument, NULL, 'r' },
		{ "up-rate", required_argument, NULL, 'U' },
		{ "down-rate", required_argument, NULL, 'D' },
		{ "delay", required_argument, NULL, 'd' },
		{ "overhead", required_argument, NULL, 'o' },
		{ "mtu", required_argument, NULL, 'm' },
		{ "queue", required_argument, NULL, 'q' },
		{ "stats", required_argument, NULL, 's' },
		{ "ready", required_argument, NULL, 'R' },
		{ "query", required_argument, NULL, 'Q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct sockaddr_in lsa;
	const char *listen_at = NULL, *to = NULL, *ready = NULL;
	double up = -1, down = -1, both = 64000;
	uint64_t delay = 300000;
	int ch;

	le.mtu = 1460;
	le.overhead = 40;
	le.queue_max = 256 * 1024;
	le.up.name = "up";
	le.down.name = "down";
	while ((ch = getopt_long(argc, argv, "v", opts, NULL)) != -1) {
		switch (ch) {
		case 'l': listen_at = optarg; break;
		case 't': to = optarg; break;
		case 'r': both = le_parse_rate(optarg); break;
		case 'U': up = le_parse_rate(optarg); break;
		case 'D': down = le_parse_rate(optarg); break;
		case 'd': delay = le_parse_delay(optarg); break;
		case 'o': le.overhead = le_parse_size(optarg, "overhead", 0, 1000); break;
		case 'm': le.mtu = le_parse_size(optarg, "mtu", 64, 65536); break;
		case 'q': le.queue_max = le_parse_size(optarg, "queue", 1024,
		    (size_t)1 << 30); break;
		case 's': le.stats_path = optarg; break;
		case 'R': ready = optarg; break;
		case 'Q': return le_query(optarg);
		case 'v': le.verbose = 1; break;
		case 'h': le_usage(stdout); return 0;
		default: le_usage(stderr); return 2;
		}
	}
	if (optind != argc || listen_at == NULL || to == NULL) {
		le_usage(stderr);
		return 2;
	}
	le_parse_addr(listen_at, &lsa, 1);
	le_parse_addr(to, &le.to, 0);
	le.up.bps = up >= 0 ? up : both;
	le.down.bps = down >= 0 ? down : both;
	le.up.delay_us = le.down.delay_us = delay;
	le.t0 = le_now_us();

	signal(SIGPIPE, SIG_IGN);
	signal(SIGTERM, le_on_signal);
	signal(SIGINT, le_on_signal);
	le.lfd = le_listen(&lsa);
	le.sfd = le.stats_path ? le_stats_listen(le.stats_path) : -1;
	if (ready != NULL) {
		/* The port we got (--listen 127.0.0.1:0 picks a free one). */
		struct sockaddr_in got;
		socklen_t gl = sizeof got;
		FILE *f;
		if (getsockname(le.lfd, (struct sockaddr *)&got, &gl) != 0 ||
		    (f = fopen(ready, "w")) == NULL)
			le_die("cannot write %s: %s", ready, strerror(errno));
		fprintf(f, "%u\n", ntohs(got.sin_port));
		fclose(f);
	}
	le_log("up %.0f bit/s, down %.0f bit/s, one-way delay %.1f ms",
	    le.up.bps, le.down.bps, (double)delay / 1000.0);
	le_loop();
	for (int i = 0; i < LE_MAX_CONNS; i++)
		if (le.c[i].used)
			le_conn_close(&le.c[i]);
	close(le.lfd);
	if (le.sfd >= 0) {
		close(le.sfd);
		(void)unlink(le.stats_path);
	}
	return 0;
}
