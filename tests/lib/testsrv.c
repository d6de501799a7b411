/*
 * testsrv.c — run a real hromadad for tests and benchmarks (testsrv.h).
 *
 * Everything here is bounded: child processes are killed when a deadline
 * passes, readiness is polled with a short interval against a deadline, and
 * the watchdog ends a test that hangs anyway.  Children get
 * PR_SET_PDEATHSIG so that they die with the test process -- but hromadad
 * drops its privileges when run as root, and a change of user clears that
 * signal (prctl(2)), so the servers still running are also killed when the
 * test process exits, or is told to stop (SIGTERM, SIGINT: `timeout`, ^C).
 */
#include "config.h"

#include "tests/lib/testsrv.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#define POLL_STEP_MS   5      /* readiness / exit polling interval */
#define LAUNCH_TRIES   5      /* ports to try when one is taken meanwhile */
/* init + demo hash nine passwords and fsync 200 scans: a bound against a
 * hang, not a verdict on speed (ASan at load 25+ took over a minute) */
#define CTL_TIMEOUT_MS 300000
#define WATCH_MAX      16     /* servers the watchdog knows about */

static volatile pid_t watched[WATCH_MAX];

int64_t
testsrv_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
watch_kill_all(void)
{
	for (size_t i = 0; i < WATCH_MAX; i++)
		if (watched[i] > 0)
			kill(watched[i], SIGKILL);
}

static void
watch_stop(int sig)
{
	watch_kill_all();
	_exit(128 + sig);
}

static void
watch_add(pid_t pid)
{
	static int armed;

	if (!armed) {
		struct sigaction sa;

		memset(&sa, 0, sizeof sa);
		sa.sa_handler = watch_stop;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGINT, &sa, NULL);
		atexit(watch_kill_all);
		armed = 1;
	}
	for (size_t i = 0; i < WATCH_MAX; i++)
		if (watched[i] == 0) {
			watched[i] = pid;
			return;
		}
}

static void
watch_del(pid_t pid)
{
	for (size_t i = 0; i < WATCH_MAX; i++)
		if (watched[i] == pid)
			watched[i] = 0;
}

static void
watchdog_fire(int sig)
{
	static const char msg[] = "testsrv: watchdog: test took too long, "
	    "killing its servers\n";
	ssize_t n;

	(void)sig;
	watch_kill_all();
	n = write(STDERR_FILENO, msg, sizeof msg - 1);
	(void)n;
	_exit(99);
}

int
testsrv_slow(void)
{
	const char *v = getenv("TESTSRV_SLOW");
	long n = v != NULL ? strtol(v, NULL, 10) : 1;

	return n >= 1 && n <= 20 ? (int)n : 1;
}

void
testsrv_watchdog(unsigned seconds)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = watchdog_fire;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	alarm(seconds * (unsigned)testsrv_slow());
}

int
testsrv_program(const char *name, char *out, size_t cap, struct hr_error *err)
{
	const char *dir = getenv("top_builddir");
	int n;

	if (dir == NULL || *dir == '\0')
		dir = ".";
	n = snprintf(out, cap, "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= cap)
		return hr_error_set(err, HR_E_IO, "path of %s too long", name);
	if (access(out, X_OK) != 0)
		return hr_error_set(err, HR_E_IO, "%s: %s (is it built? top_builddir=%s)",
		    out, strerror(errno), dir);
	return 0;
}

/* In a fresh child: die with the parent, stdin from /dev/null. */
static void
child_setup(pid_t parent)
{
	int fd;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
	fd = open("/dev/null", O_RDONLY);
	if (fd >= 0) {
		dup2(fd, STDIN_FILENO);
		if (fd != STDIN_FILENO)
			close(fd);
	}
}

/*
 * Wait for `pid` until deadline (monotonic ms).  1 when it ended (*status
 * set), 0 on timeout, -1 on a waitpid error.
 */
static int
wait_until(pid_t pid, int64_t deadline, int *status)
{
	for (;;) {
		pid_t r = waitpid(pid, status, WNOHANG);

		if (r == pid)
			return 1;
		if (r < 0 && errno != EINTR)
			return -1;
		if (testsrv_now_ms() >= deadline)
			return 0;
		poll(NULL, 0, POLL_STEP_MS);
	}
}

static void
describe_status(char *buf, size_t cap, int status)
{
	if (WIFEXITED(status))
		snprintf(buf, cap, "exit status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, cap, "killed by signal %d", WTERMSIG(status));
	else
		snprintf(buf, cap, "wait status 0x%x", status);
}

/* Read from fd into out until EOF or the deadline; NUL-terminates. */
static int
read_all(int fd, char *out, size_t cap, int64_t deadline)
{
	size_t len = 0;
	char sink[512];

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int64_t left = deadline - testsrv_now_ms();
		ssize_t n;

		if (left <= 0)
			break;
		if (poll(&p, 1, (int)left) <= 0)
			continue;
		if (len + 1 < cap)
			n = read(fd, out + len, cap - 1 - len);
		else
			n = read(fd, sink, sizeof sink);   /* drain what does not fit */
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			break;
		}
		if (len + 1 < cap)
			len += (size_t)n;
	}
	if (cap > 0)
		out[len] = '\0';
	return testsrv_now_ms() < deadline ? 0 : -1;
}

int
testsrv_run(char *const argv[], char *out, size_t cap, int timeout_ms,
    struct hr_error *err)
{
	int64_t deadline = testsrv_now_ms() + timeout_ms;
	pid_t parent = getpid(), pid;
	int fds[2], status = 0, r;
	char how[64];

	if (pipe2(fds, O_CLOEXEC) != 0)
		return hr_error_set(err, HR_E_IO, "pipe: %s", strerror(errno));
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return hr_error_set(err, HR_E_IO, "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		child_setup(parent);
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		execvp(argv[0], argv);
		fprintf(stderr, "testsrv: exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(fds[1]);
	watch_add(pid);
	read_all(fds[0], out, cap, deadline);
	close(fds[0]);
	r = wait_until(pid, deadline, &status);
	if (r != 1) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		watch_del(pid);
		return hr_error_set(err, HR_E_TIMEOUT, "%s %s: no exit within %d ms",
		    argv[0], argv[1] ? argv[1] : "", timeout_ms);
	}
	watch_del(pid);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	describe_status(how, sizeof how, status);
	return hr_error_set(err, HR_E_IO, "%s %s %s: %s", argv[0],
	    argv[1] ? argv[1] : "", argv[2] ? argv[2] : "", how);
}

/* Run `hromadactl --db DB cmd...` (up to 3 words) with stdout into out. */
static int
run_ctl(const struct testsrv *s, const char *const words[], char *out,
    size_t cap, struct hr_error *err)
{
	char prog[TESTSRV_PATH_MAX];
	char *argv[8];
	size_t n = 0;

	if (testsrv_program("hromadactl", prog, sizeof prog, err) != 0)
		return -1;
	argv[n++] = prog;
	argv[n++] = (char *)"--db";
	argv[n++] = (char *)s->db;
	for (size_t i = 0; words[i] != NULL && n < 7; i++)
		argv[n++] = (char *)words[i];
	argv[n] = NULL;
	return testsrv_run(argv, out, cap, CTL_TIMEOUT_MS, err);
}

int
testsrv_prepare(struct testsrv *s, struct hr_error *err)
{
	static const char *const init[] = { "init", NULL };
	static const char *const demo[] = { "demo", NULL };
	const char *tmp = getenv("TMPDIR");
	char out[8192];

	memset(s, 0, sizeof *s);
	if (tmp == NULL || *tmp == '\0')
		tmp = "/tmp";
	snprintf(s->dir, sizeof s->dir, "%s/hromada-test.XXXXXX", tmp);
	if (mkdtemp(s->dir) == NULL) {
		hr_error_set(err, HR_E_IO, "mkdtemp %s: %s", s->dir, strerror(errno));
		s->dir[0] = '\0';
		return -1;
	}
	if (snprintf(s->db, sizeof s->db, "%s/hromada.db", s->dir) >=
	    (int)sizeof s->db ||
	    snprintf(s->log, sizeof s->log, "%s/hromadad.log", s->dir) >=
	    (int)sizeof s->log)
		return hr_error_set(err, HR_E_IO, "TMPDIR path too long: %s", s->dir);
	if (run_ctl(s, init, out, sizeof out, err) != 0)
		return -1;
	if (run_ctl(s, demo, out, sizeof out, err) != 0)
		return -1;
	return 0;
}

/* A loopback port that was free a moment ago (the kernel picked it). */
static int
free_port(struct hr_error *err)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof sa;
	int fd, port;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return hr_error_set(err, HR_E_IO, "socket: %s", strerror(errno));
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) != 0) {
		hr_error_set(err, HR_E_IO, "bind 127.0.0.1:0: %s", strerror(errno));
		close(fd);
		return -1;
	}
	port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

/* The log from byte `from` on, NUL-terminated, into buf. */
static void
log_read(const struct testsrv *s, long from, char *buf, size_t cap)
{
	FILE *f = fopen(s->log, "r");
	size_t n = 0;

	if (f != NULL) {
		if (fseek(f, from, SEEK_SET) == 0)
			n = fread(buf, 1, cap - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
}

static long
log_size(const struct testsrv *s)
{
	struct stat st;

	return stat(s->log, &st) == 0 ? (long)st.st_size : 0;
}

static pid_t
spawn_server(struct testsrv *s, struct hr_error *err)
{
	char prog[TESTSRV_PATH_MAX];
	/* TESTSRV_CONFIG: run the same tests against another configuration
	 * (tests/integration/loop-reads.sh: no query threads). */
	char *conf = getenv("TESTSRV_CONFIG");
	char *argv[] = { prog, (char *)"--db", s->db, (char *)"--listen",
	    s->addr, conf ? (char *)"--config" : NULL, conf, NULL };
	pid_t parent = getpid(), pid;
	int fd;

	if (testsrv_program("hromadad", prog, sizeof prog, err) != 0)
		return -1;
	fd = open(s->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0)
		return hr_error_set(err, HR_E_IO, "%s: %s", s->log, strerror(errno));
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(fd);
		return hr_error_set(err, HR_E_IO, "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		child_setup(parent);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		execv(prog, argv);
		fprintf(stderr, "testsrv: exec %s: %s\n", prog, strerror(errno));
		_exit(127);
	}
	close(fd);
	watch_add(pid);
	return pid;
}

/*
 * Poll the log for "listening on" until the deadline.  0 ready, 1 the
 * server exited because its port was taken (try another), -1 failure.
 */
static int
await_ready(struct testsrv *s, long log_from, int64_t deadline,
    struct hr_error *err)
{
	char text[4096], how[64];
	int status;

	for (;;) {
		log_read(s, log_from, text, sizeof text);
		if (strstr(text, "listening on") != NULL)
			return 0;
		if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
			watch_del(s->pid);
			s->pid = 0;
			log_read(s, log_from, text, sizeof text);
			if (strstr(text, "in use") != NULL)
				return 1;
			describe_status(how, sizeof how, status);
			return hr_error_set(err, HR_E_IO,
			    "hromadad ended before listening (%s); log: %.1500s",
			    how, text);
		}
		if (testsrv_now_ms() >= deadline)
			return hr_error_set(err, HR_E_TIMEOUT,
			    "hromadad did not say \"listening on\" in time; log: %.1500s",
			    text);
		poll(NULL, 0, POLL_STEP_MS);
	}
}

int
testsrv_launch(struct testsrv *s, int timeout_ms, struct hr_error *err)
{
	int64_t deadline = testsrv_now_ms() + (int64_t)timeout_ms * testsrv_slow();

	for (int i = 0; i < LAUNCH_TRIES; i++) {
		long from = log_size(s);
		int r;

		s->port = free_port(err);
		if (s->port < 0)
			return -1;
		snprintf(s->addr, sizeof s->addr, "127.0.0.1:%d", s->port);
		s->pid = spawn_server(s, err);
		if (s->pid < 0) {
			s->pid = 0;
			return -1;
		}
		r = await_ready(s, from, deadline, err);
		if (r == 0)
			return testsrv_key(s, s->pk, err);
		if (r < 0)
			return -1;
	}
	return hr_error_set(err, HR_E_IO, "no free loopback port after %d tries",
	    LAUNCH_TRIES);
}

int
testsrv_start(struct testsrv *s, struct hr_error *err)
{
	if (testsrv_prepare(s, err) != 0)
		return -1;
	return testsrv_launch(s, 20000, err);
}

int
testsrv_key(const struct testsrv *s, uint8_t pk[HR_PUBKEY_LEN],
    struct hr_error *err)
{
	const char *const words[] = { "key", "show", "--known-hosts", s->addr, NULL };
	static const int variants[] = {
		sodium_base64_VARIANT_ORIGINAL,
		sodium_base64_VARIANT_ORIGINAL_NO_PADDING,
	};
	char out[2048];
	size_t alen = strlen(s->addr);
	const char *line = out, *b64;

	if (sodium_init() < 0)
		return hr_error_set(err, HR_E_CRYPTO, "sodium_init failed");
	if (run_ctl(s, words, out, sizeof out, err) != 0)
		return -1;
	/* Find the line "HOST:PORT BASE64". */
	while (line != NULL && !(strncmp(line, s->addr, alen) == 0 &&
	    (line[alen] == ' ' || line[alen] == '\t'))) {
		line = strchr(line, '\n');
		if (line != NULL)
			line++;
	}
	if (line == NULL)
		return hr_error_set(err, HR_E_PROTOCOL,
		    "key show --known-hosts %s printed no line for it: %.300s",
		    s->addr, out);
	b64 = line + alen + strspn(line + alen, " \t");
	for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++) {
		size_t blen = strcspn(b64, " \t\r\n"), got = 0;

		if (sodium_base642bin(pk, HR_PUBKEY_LEN, b64, blen, NULL, &got,
		    NULL, variants[i]) == 0 && got == HR_PUBKEY_LEN)
			return 0;
	}
	return hr_error_set(err, HR_E_PROTOCOL,
	    "key show --known-hosts: not a base64 32-byte key: %.200s", b64);
}

int
testsrv_alive(struct testsrv *s)
{
	int status;

	if (s->pid <= 0)
		return 0;
	if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
		watch_del(s->pid);
		s->pid = 0;
		return 0;
	}
	return 1;
}

int
testsrv_signal(struct testsrv *s, int sig, struct hr_error *err)
{
	if (s->pid <= 0)
		return hr_error_set(err, HR_E_IO, "hromadad is not running "
		    "(it ended before signal %d)", sig);
	if (kill(s->pid, sig) != 0)
		return hr_error_set(err, HR_E_IO, "kill: %s", strerror(errno));
	return 0;
}

int
testsrv_wait_exit(struct testsrv *s, int timeout_ms, int *status,
    struct hr_error *err)
{
	char how[64];
	int st = 0, r;

	if (s->pid <= 0)
		return hr_error_set(err, HR_E_IO, "hromadad is not running");
	r = wait_until(s->pid, testsrv_now_ms() + timeout_ms, &st);
	if (r != 1) {
		kill(s->pid, SIGKILL);
		waitpid(s->pid, &st, 0);
	}
	watch_del(s->pid);
	s->pid = 0;
	if (status != NULL)
		*status = st;
	if (r != 1)
		return hr_error_set(err, HR_E_TIMEOUT,
		    "hromadad did not exit within %d ms (killed)", timeout_ms);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	describe_status(how, sizeof how, st);
	return hr_error_set(err, HR_E_IO, "hromadad ended with %s", how);
}

int
testsrv_stop(struct testsrv *s, int timeout_ms, int *status,
    struct hr_error *err)
{
	if (testsrv_signal(s, SIGTERM, err) != 0)
		return -1;
	return testsrv_wait_exit(s, timeout_ms, status, err);
}

int
testsrv_finish(struct testsrv *s, const char *what, struct hr_error *err)
{
	int rc = testsrv_stop(s, 15000, NULL, err);

	if (rc != 0) {
		fprintf(stderr, "%s: %s\n", what, err->msg);
		testsrv_dump_log(s, stderr, 3000);
	}
	testsrv_free(s);
	return rc;
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		return rmdir(path);
	return unlink(path);
}

void
testsrv_free(struct testsrv *s)
{
	int status;

	if (s->pid > 0) {
		kill(s->pid, SIGKILL);
		waitpid(s->pid, &status, 0);
		watch_del(s->pid);
		s->pid = 0;
	}
	if (s->dir[0] != '\0' && getenv("TESTSRV_KEEP") == NULL)
		nftw(s->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	s->dir[0] = '\0';
	sodium_memzero(s->pk, sizeof s->pk);
}

void
testsrv_dump_log(const struct testsrv *s, FILE *f, size_t max)
{
	char buf[8192];
	long size = log_size(s), from;

	if (max >= sizeof buf)
		max = sizeof buf - 1;
	from = size > (long)max ? size - (long)max : 0;
	log_read(s, from, buf, max + 1);
	fprintf(f, "---- %s (last %zu bytes) ----\n%s\n----\n", s->log, max, buf);
}
