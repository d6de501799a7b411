/*
 * bench_spine.c — what the first minute of a clerk's day costs on the wire.
 *
 * The "spine" is connect + handshake + login + the first journal page: what
 * every terminal does before a clerk can work, and what a slow rural link
 * pays for.  With the real client library this program counts the bytes on
 * the wire in both directions (hr_client_stats) and the round trips, i.e.
 * the times the client had to wait for the server: it drives the client's
 * I/O itself and counts each turn from "sent something" to "received
 * something".  TCP's own connect round trip is not included.
 *
 * It also times the terminal client `hromada` from start to its login
 * screen and reads its resident memory from /proc/PID/status there: once on
 * a pseudo-terminal of its own (precise), and in tmux polling capture-pane,
 * where every look costs a tmux client start (so a stand-in that prints the
 * text at once is timed the same way, to show what the harness costs).
 *
 * Everything is printed next to its target; medians over --runs runs.
 * tests/bench/run-spine.sh starts a server on a demo database and runs this.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "proto/client.h"
#include "proto/method_names.h"
#include "tests/lib/tclient.h"
#include "tests/lib/testsrv.h"
#include "tests/lib/tbench.h"

#define RUNS_MAX      50
#define STEP_MS       10000   /* bound on one phase */
#define SCREEN_MS     5000    /* bound on waiting for the login screen */
#define JOURNAL_LIMIT 17      /* rows a page has on an 80x24 screen (the
                                 client asks for what its list shows) */

/* Targets (the project's budget for the spine). */
#define T_SPINE_RTT   2
#define T_SPINE_BYTES 1500
#define T_PAGE_RTT    1
#define T_TUI_MS      50.0
#define T_TUI_RSS_KB  (8 * 1024)

struct opts {
	const char *addr;
	const char *known_hosts;     /* "HOST:PORT BASE64" */
	const char *user;
	const char *password;
	const char *hromada;         /* terminal client; NULL skips that part */
	const char *login_text;      /* texts that show the login screen, '|' between */
	const char *localedir;
	int         runs;
};

struct phase {
	uint64_t out, in;            /* bytes */
	int      rtt;                /* times the client waited for the server */
	double   ms;
};

struct spine {
	struct phase hs, login, page;
};

static double
now_msf(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* ---- the client's side ---------------------------------------------------- */

/* Counts round trips: a receive after a send is one wait for the server. */
struct meter {
	struct hr_client_stats last;
	int waiting;
};

static void
meter_update(struct meter *m, struct hr_client *c, struct phase *ph)
{
	struct hr_client_stats st;

	hr_client_stats(c, &st);
	if (st.bytes_in > m->last.bytes_in && m->waiting) {
		ph->rtt++;
		m->waiting = 0;
	}
	if (st.bytes_out > m->last.bytes_out)
		m->waiting = 1;
	ph->out += st.bytes_out - m->last.bytes_out;
	ph->in += st.bytes_in - m->last.bytes_in;
	m->last = st;
}

typedef int done_fn(struct hr_client *c, void *ud);

static int
ready_or_closed(struct hr_client *c, void *ud)
{
	(void)ud;
	return hr_client_state(c) == HR_CS_READY || hr_client_state(c) == HR_CS_CLOSED;
}

static int
call_done(struct hr_client *c, void *ud)
{
	(void)c;
	return ((struct tcall *)ud)->done;
}

/* Drive the client's I/O until done(); -1 on timeout or a closed link. */
static int
drive(struct hr_client *c, struct meter *m, struct phase *ph, done_fn *done,
    void *ud)
{
	double start = now_msf(), deadline = start + STEP_MS;
	struct hr_error err;

	meter_update(m, c, ph);          /* what begin/send wrote at once */
	while (!done(c, ud)) {
		struct pollfd p = { .fd = hr_client_fd(c), .events = POLLIN };
		double left = deadline - now_msf();
		int n;

		if (p.fd < 0 || left <= 0)
			return -1;
		if (hr_client_wants_write(c))
			p.events |= POLLOUT;
		n = poll(&p, 1, (int)left + 1);
		if (n < 0 && errno != EINTR)
			return -1;
		if (n <= 0)
			continue;
		hr_error_clear(&err);
		if (hr_client_io(c, (p.revents & (POLLIN | POLLHUP | POLLERR)) != 0,
		    (p.revents & POLLOUT) != 0, &err) != 0) {
			fprintf(stderr, "bench_spine: link closed: %s\n", err.msg);
			meter_update(m, c, ph);
			return -1;
		}
		meter_update(m, c, ph);
	}
	ph->ms += now_msf() - start;
	return 0;
}

static int
spine_once(const struct opts *o, const uint8_t *pk, struct spine *sp)
{
	struct hr_client *c = hr_client_new();
	struct meter m;
	struct hr_error err;
	struct tcall t;
	msgpack_packer *pk_;
	int rc = -1;

	memset(sp, 0, sizeof *sp);
	memset(&m, 0, sizeof m);
	tcall_init(&t);
	hr_client_set_server_key(c, pk);
	hr_error_clear(&err);
	if (hr_client_connect(c, o->addr, &err) != 0) {
		fprintf(stderr, "bench_spine: connect %s: %s\n", o->addr, err.msg);
		goto out;
	}
	if (drive(c, &m, &sp->hs, ready_or_closed, NULL) != 0 ||
	    hr_client_state(c) != HR_CS_READY) {
		fprintf(stderr, "bench_spine: handshake failed: %s\n",
		    hr_client_error(c)->msg);
		goto out;
	}

	pk_ = hr_client_begin(c, HR_M_LOGIN);
	msgpack_pack_map(pk_, 2);
	hr_pack_kv_str(pk_, "user", o->user);
	hr_pack_kv_str(pk_, "password", o->password);
	hr_client_send(c, tcall_reply, &t);
	if (drive(c, &m, &sp->login, call_done, &t) != 0 || t.code != HR_OK) {
		fprintf(stderr, "bench_spine: login as %s: %s %s\n", o->user,
		    hr_error_name(t.code), t.msg);
		goto out;
	}
	tcall_free(&t);

	pk_ = hr_client_begin(c, HR_M_JOURNAL_LIST);
	msgpack_pack_map(pk_, 2);
	hr_pack_kv_int(pk_, "limit", JOURNAL_LIMIT);
	msgpack_pack_str(pk_, 6);
	msgpack_pack_str_body(pk_, "counts", 6);
	msgpack_pack_true(pk_);
	hr_client_send(c, tcall_reply, &t);
	if (drive(c, &m, &sp->page, call_done, &t) != 0 || t.code != HR_OK) {
		fprintf(stderr, "bench_spine: journal.list: %s %s\n",
		    hr_error_name(t.code), t.msg);
		goto out;
	}
	rc = 0;
out:
	tcall_free(&t);
	hr_client_free(c);
	return rc;
}

/* ---- the terminal client in tmux ------------------------------------------ */

/* Run `tmux -L sock args...`; stdout into out.  0 or -1. */
static int
tmux(const char *sock, const char *const args[], char *out, size_t cap)
{
	char *argv[16];
	struct hr_error err;
	size_t n = 0;
	char dummy[64];

	argv[n++] = (char *)"tmux";
	argv[n++] = (char *)"-L";
	argv[n++] = (char *)sock;
	for (size_t i = 0; args[i] != NULL && n < 15; i++)
		argv[n++] = (char *)args[i];
	argv[n] = NULL;
	if (out == NULL) {
		out = dummy;
		cap = sizeof dummy;
	}
	hr_error_clear(&err);
	if (testsrv_run(argv, out, cap, 5000, &err) != 0) {
		fprintf(stderr, "bench_spine: tmux %s: %s\n", args[0], err.msg);
		return -1;
	}
	return 0;
}

static long
rss_kb(long pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%ld/status", pid);
	f = fopen(path, "r");
	if (f == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL)
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* Does the screen show one of the '|'-separated alternatives? */
static int
screen_has(const char *screen, const char *alts)
{
	char one[256];

	while (*alts != '\0') {
		size_t n = strcspn(alts, "|");

		if (n > 0 && n < sizeof one) {
			memcpy(one, alts, n);
			one[n] = '\0';
			if (strstr(screen, one) != NULL)
				return 1;
		}
		alts += n;
		if (*alts == '|')
			alts++;
	}
	return 0;
}

/* Quote a word for sh. */
static void
shell_quote(char *out, size_t cap, const char *s)
{
	size_t n = 0;

	if (cap < 3)
		return;
	out[n++] = '\'';
	for (; *s != '\0' && n + 5 < cap; s++) {
		if (*s == '\'') {
			memcpy(out + n, "'\\''", 4);
			n += 4;
		} else {
			out[n++] = *s;
		}
	}
	out[n++] = '\'';
	out[n] = '\0';
}

/*
 * Build the pane's command: the terminal client, or with `baseline` a
 * stand-in that prints the login text at once (what the measuring costs).
 */
static int
tui_command(const struct opts *o, const char *xdg, int baseline, char *cmd,
    size_t cap)
{
	char qprog[600], qxdg[600], qloc[600], qaddr[200], qtext[300], first[256];
	int n;

	if (baseline) {
		snprintf(first, sizeof first, "%.*s",
		    (int)strcspn(o->login_text, "|"), o->login_text);
		shell_quote(qtext, sizeof qtext, first);
		n = snprintf(cmd, cap, "printf '%%s\\n' %s; exec cat", qtext);
	} else {
		shell_quote(qprog, sizeof qprog, o->hromada);
		shell_quote(qxdg, sizeof qxdg, xdg);
		shell_quote(qloc, sizeof qloc, o->localedir != NULL ? o->localedir : "");
		shell_quote(qaddr, sizeof qaddr, o->addr);
		n = snprintf(cmd, cap, "exec env XDG_CONFIG_HOME=%s "
		    "HROMADA_LOCALEDIR=%s LANG=C.UTF-8 %s --server %s", qxdg, qloc,
		    qprog, qaddr);
	}
	if (n < 0 || (size_t)n >= cap) {
		fprintf(stderr, "bench_spine: paths too long\n");
		return -1;
	}
	return 0;
}

/*
 * One start in a new session of a running tmux server: milliseconds until
 * the login text shows, and the pane process's RSS then.  -1 on failure.
 */
static int
tui_once(const struct opts *o, const char *sock, const char *xdg, int run,
    int baseline, double *ms, long *kb)
{
	char cmd[2048], session[32], screen[8192], pidbuf[32];
	const char *new_args[] = { "new-session", "-d", "-s", session, "-x", "80",
	    "-y", "24", cmd, NULL };
	const char *cap_args[] = { "capture-pane", "-p", "-t", session, NULL };
	const char *pid_args[] = { "display-message", "-p", "-t", session,
	    "#{pane_pid}", NULL };
	const char *kill_args[] = { "kill-session", "-t", session, NULL };
	double start, deadline;
	int found = 0;

	snprintf(session, sizeof session, "%s%d", baseline ? "base" : "run", run);
	if (tui_command(o, xdg, baseline, cmd, sizeof cmd) != 0)
		return -1;
	screen[0] = '\0';
	start = now_msf();
	if (tmux(sock, new_args, NULL, 0) != 0)
		return -1;
	deadline = start + SCREEN_MS;
	while (now_msf() < deadline) {
		if (tmux(sock, cap_args, screen, sizeof screen) != 0)
			break;
		if (screen_has(screen, o->login_text)) {
			found = 1;
			break;
		}
	}
	*ms = now_msf() - start;
	*kb = -1;
	if (found && tmux(sock, pid_args, pidbuf, sizeof pidbuf) == 0)
		*kb = rss_kb(strtol(pidbuf, NULL, 10));
	if (!found)
		fprintf(stderr, "bench_spine: no \"%s\" on the screen within %d ms:\n%s\n",
		    o->login_text, SCREEN_MS, screen);
	tmux(sock, kill_args, NULL, 0);
	return found ? 0 : -1;
}

/*
 * The same start without tmux: the client on a pseudo-terminal of its own
 * (80x24, TERM=screen), reading its output until the login text appears.
 * Sub-millisecond resolution, where tmux's polling costs a tmux client
 * start per look.  RSS read at that moment.  -1 on failure.
 */
static int
pty_once(const struct opts *o, const char *xdg, double *ms, long *kb)
{
	struct winsize ws = { .ws_row = 24, .ws_col = 80 };
	static char out[256 * 1024];
	size_t len = 0;
	double start, deadline;
	int master, found = 0, status;
	pid_t pid;

	start = now_msf();
	pid = forkpty(&master, NULL, NULL, &ws);
	if (pid < 0) {
		fprintf(stderr, "bench_spine: forkpty: %s\n", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		setenv("XDG_CONFIG_HOME", xdg, 1);
		setenv("HROMADA_LOCALEDIR", o->localedir != NULL ? o->localedir : "", 1);
		setenv("LANG", "C.UTF-8", 1);
		setenv("TERM", "screen", 1);
		execl(o->hromada, o->hromada, "--server", o->addr, (char *)NULL);
		_exit(127);
	}
	deadline = start + SCREEN_MS;
	while (!found && now_msf() < deadline && len + 1 < sizeof out) {
		struct pollfd p = { .fd = master, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, (int)(deadline - now_msf()) + 1) <= 0)
			continue;
		n = read(master, out + len, sizeof out - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
		out[len] = '\0';
		found = screen_has(out, o->login_text);
	}
	*ms = now_msf() - start;
	*kb = found ? rss_kb((long)pid) : -1;
	kill(pid, SIGTERM);
	if (!found)
		fprintf(stderr, "bench_spine: no \"%s\" from the client on a pty "
		    "within %d ms\n", o->login_text, SCREEN_MS);
	/* Drain so that the client is not blocked writing while it exits. */
	for (int i = 0; i < 100 && waitpid(pid, &status, WNOHANG) == 0; i++) {
		struct pollfd p = { .fd = master, .events = POLLIN };
		char sink[4096];

		if (poll(&p, 1, 20) > 0 && read(master, sink, sizeof sink) <= 0)
			break;
	}
	if (waitpid(pid, &status, WNOHANG) == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	close(master);
	return found ? 0 : -1;
}

/* A private XDG_CONFIG_HOME with the server's key pinned. */
static int
make_xdg(char *dir, size_t cap, const char *known_hosts)
{
	char path[600];
	FILE *f;

	snprintf(dir, cap, "%s/hromada-bench.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof path, "%s/hromada", dir);
	if (mkdir(path, 0700) != 0)
		return -1;
	snprintf(path, sizeof path, "%s/hromada/known_hosts", dir);
	f = fopen(path, "w");
	if (f == NULL)
		return -1;
	fprintf(f, "%s\n", known_hosts);
	fclose(f);
	chmod(path, 0600);
	return 0;
}

static void
remove_xdg(const char *dir)
{
	char path[600];

	snprintf(path, sizeof path, "%s/hromada/known_hosts", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/hromada", dir);
	rmdir(path);
	rmdir(dir);
}

/* ---- figures ---------------------------------------------------------------- */

static double
median(double *v, int n)
{
	if (n <= 0)
		return -1;
	qsort(v, (size_t)n, sizeof *v, tb_cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static const char *
verdict(int ok)
{
	return ok ? "ok" : "OVER";
}

static int
parse_key(const char *line, const char *addr, uint8_t pk[HR_PUBKEY_LEN])
{
	size_t alen = strlen(addr), got = 0;
	const char *b64;

	if (strncmp(line, addr, alen) != 0 || line[alen] != ' ')
		return -1;
	b64 = line + alen + 1;
	if (sodium_base642bin(pk, HR_PUBKEY_LEN, b64, strcspn(b64, " \r\n"),
	    NULL, &got, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 &&
	    sodium_base642bin(pk, HR_PUBKEY_LEN, b64, strcspn(b64, " \r\n"),
	    NULL, &got, NULL, sodium_base64_VARIANT_ORIGINAL_NO_PADDING) != 0)
		return -1;
	return got == HR_PUBKEY_LEN ? 0 : -1;
}

static void
usage(void)
{
	fprintf(stderr,
	    "usage: bench_spine --addr HOST:PORT --known-hosts 'HOST:PORT BASE64'\n"
	    "         [--user sta] [--password P] [--runs 7]\n"
	    "         [--hromada PATH --login-text TEXT [--localedir DIR]]\n");
	exit(2);
}

static void
parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "addr", required_argument, NULL, 'a' },
		{ "known-hosts", required_argument, NULL, 'k' },
		{ "user", required_argument, NULL, 'u' },
		{ "password", required_argument, NULL, 'p' },
		{ "runs", required_argument, NULL, 'r' },
		{ "hromada", required_argument, NULL, 'H' },
		{ "login-text", required_argument, NULL, 't' },
		{ "localedir", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	memset(o, 0, sizeof *o);
	o->user = "sta";
	o->password = "demo-sta-2026";
	o->runs = 7;
	while ((ch = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (ch) {
		case 'a': o->addr = optarg; break;
		case 'k': o->known_hosts = optarg; break;
		case 'u': o->user = optarg; break;
		case 'p': o->password = optarg; break;
		case 'r': o->runs = atoi(optarg); break;
		case 'H': o->hromada = optarg; break;
		case 't': o->login_text = optarg; break;
		case 'l': o->localedir = optarg; break;
		default: usage();
		}
	}
	if (o->addr == NULL || o->known_hosts == NULL || o->runs < 1 ||
	    o->runs > RUNS_MAX || (o->hromada != NULL && o->login_text == NULL))
		usage();
}

static void
report_spine(const struct spine *sp, int n)
{
	double hs_ms[RUNS_MAX], login_ms[RUNS_MAX], page_ms[RUNS_MAX];
	const struct spine *s0 = &sp[0];
	uint64_t sb = s0->hs.out + s0->hs.in + s0->login.out + s0->login.in;
	uint64_t pb = s0->page.out + s0->page.in;
	int srtt = s0->hs.rtt + s0->login.rtt;

	for (int i = 0; i < n; i++) {
		hs_ms[i] = sp[i].hs.ms;
		login_ms[i] = sp[i].login.ms;
		page_ms[i] = sp[i].page.ms;
		/* Bytes and round trips do not vary between runs; say so if they do. */
		if (sp[i].hs.rtt + sp[i].login.rtt != srtt || sp[i].page.rtt != s0->page.rtt)
			printf("note: run %d had different round trips\n", i + 1);
	}
	printf("%-26s %-35s %s\n", "", "measured", "target");
	printf("%-26s %d RTT, %5llu bytes %-20s <= %d RTT, <= %d bytes  [%s]\n",
	    "handshake+login", srtt, (unsigned long long)sb, "",
	    T_SPINE_RTT, T_SPINE_BYTES,
	    verdict(srtt <= T_SPINE_RTT && sb <= T_SPINE_BYTES));
	printf("  %-24s %d RTT, out %llu + in %llu bytes, %.2f ms\n", "handshake",
	    s0->hs.rtt, (unsigned long long)s0->hs.out, (unsigned long long)s0->hs.in,
	    median(hs_ms, n));
	printf("  %-24s %d RTT, out %llu + in %llu bytes, %.2f ms (Argon2id)\n",
	    "login", s0->login.rtt, (unsigned long long)s0->login.out,
	    (unsigned long long)s0->login.in, median(login_ms, n));
	printf("%-26s %d RTT, %5llu bytes %-20s <= %d RTT  [%s]\n",
	    "journal page", s0->page.rtt, (unsigned long long)pb, "", T_PAGE_RTT,
	    verdict(s0->page.rtt <= T_PAGE_RTT));
	printf("  %-24s out %llu + in %llu bytes, %.2f ms (%d rows asked, counts)\n",
	    "journal page", (unsigned long long)s0->page.out,
	    (unsigned long long)s0->page.in, median(page_ms, n), JOURNAL_LIMIT);
	printf("  (round trips: the client's waits for the server; TCP's own connect "
	    "adds one more)\n");
}

/*
 * Time the terminal client to its login screen in a warm tmux server (an
 * idle session keeps it up), after the same measurement of a stand-in that
 * prints the text at once: the difference is the client's own start.
 */
static int
bench_tui(const struct opts *o)
{
	double ms[RUNS_MAX], kb[RUNS_MAX], base[RUNS_MAX], pms[RUNS_MAX];
	double pkb[RUNS_MAX], m, b, r, pm, pr;
	const char *idle_args[] = { "new-session", "-d", "-s", "idle", "-x", "80",
	    "-y", "24", "cat", NULL };
	const char *kill_args[] = { "kill-server", NULL };
	char sock[64], xdg[512];
	int ok = 0, nb = 0, np = 0, rc = 0;
	long k;

	snprintf(sock, sizeof sock, "hrbench%ld", (long)getpid());
	if (make_xdg(xdg, sizeof xdg, o->known_hosts) != 0) {
		fprintf(stderr, "bench_spine: cannot make a config dir\n");
		return -1;
	}
	for (int i = 0; i < o->runs && rc == 0; i++) {
		if (pty_once(o, xdg, &pms[np], &k) != 0)
			rc = -1;
		else
			pkb[np++] = (double)k;
	}
	if (rc != 0 || tmux(sock, idle_args, NULL, 0) != 0) {
		remove_xdg(xdg);
		return -1;
	}
	for (int i = 0; i < o->runs && rc == 0; i++) {
		if (tui_once(o, sock, xdg, i, 1, &base[nb], &k) != 0)
			rc = -1;
		else
			nb++;
	}
	for (int i = 0; i < o->runs && rc == 0; i++) {
		if (tui_once(o, sock, xdg, i, 0, &ms[ok], &k) != 0)
			rc = -1;
		else
			kb[ok++] = (double)k;
	}
	tmux(sock, kill_args, NULL, 0);
	remove_xdg(xdg);
	if (ok == 0 || nb == 0 || np == 0)
		return -1;
	m = median(ms, ok);
	b = median(base, nb);
	r = median(kb, ok);
	pm = median(pms, np);
	pr = median(pkb, np);
	printf("%-26s %6.1f ms %-25s < %.0f ms  [%s]\n", "hromada to login screen",
	    pm, "", T_TUI_MS, verdict(pm < T_TUI_MS));
	printf("  %-24s (on a pty of its own, 80x24, from fork to the text)\n", "");
	printf("  %-24s %6.1f ms (polling capture-pane; a stand-in that prints "
	    "the text\n  %-33s at once takes %.1f ms the same way)\n", "in tmux",
	    m, "", b);
	printf("%-26s %6.1f MB %-25s < %d MB  [%s]\n", "hromada RSS at login",
	    pr / 1024.0, "", T_TUI_RSS_KB / 1024,
	    verdict(pr >= 0 && pr < T_TUI_RSS_KB && r < T_TUI_RSS_KB));
	printf("  %-24s %6.1f MB\n", "in tmux", r / 1024.0);
	return rc;
}

int
main(int argc, char **argv)
{
	struct spine sp[RUNS_MAX];
	uint8_t pk[HR_PUBKEY_LEN];
	struct opts o;
	int rc = 0;

	parse_opts(argc, argv, &o);
	if (sodium_init() < 0)
		return 1;
	if (parse_key(o.known_hosts, o.addr, pk) != 0) {
		fprintf(stderr, "bench_spine: --known-hosts must be \"%s BASE64KEY\"\n",
		    o.addr);
		return 2;
	}
	printf("Hromada spine — server %s, user %s, median of %d runs\n",
	    o.addr, o.user, o.runs);
	for (int i = 0; i < o.runs; i++)
		if (spine_once(&o, pk, &sp[i]) != 0)
			return 1;
	report_spine(sp, o.runs);
	if (o.hromada != NULL && bench_tui(&o) != 0)
		rc = 1;
	return rc;
}
