/*
 * test_linkemu.c — the link emulator (tests/link/linkemu.c) carries bytes
 * intact, never faster than the link it emulates, passes a half-close on,
 * counts bytes and turns, and refuses anything but loopback.
 *
 * Timing is checked only from below: data cannot arrive before the delay
 * and the serialisation time, however loaded the machine.  An upper bound
 * would flake on a shared machine, so there is only a generous one that
 * catches "never arrives".
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <setjmp.h>
#include <stddef.h>
#include <cmocka.h>

#include "tests/lib/tbench.h"

#define GIVE_UP_MS 20000

static char   emu_path[1024], dir[64], stats[128];
static pid_t  emu_pid = -1, echo_pid = -1;
static int    emu_port;

static long
now_ms(void)
{
	return (long)tb_clock_ms(CLOCK_MONOTONIC);
}

/* An echo server on a free loopback port, in a child; returns the port. */
static int
echo_start(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t sl = sizeof sa;
	int lfd = socket(AF_INET, SOCK_STREAM, 0);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_true(lfd >= 0);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(listen(lfd, 8), 0);
	assert_int_equal(getsockname(lfd, (struct sockaddr *)&sa, &sl), 0);
	echo_pid = fork();
	assert_true(echo_pid >= 0);
	if (echo_pid == 0) {
		for (;;) {
			int fd = accept(lfd, NULL, NULL);
			char buf[8192];
			ssize_t n;
			if (fd < 0)
				_exit(0);
			/* Echo until EOF, then close: a half-close comes back. */
			while ((n = read(fd, buf, sizeof buf)) > 0)
				if (write(fd, buf, (size_t)n) != n)
					break;
			close(fd);
		}
	}
	close(lfd);
	return ntohs(sa.sin_port);
}

/* Run linkemu with extra args between us and the echo server. */
static void
emu_start(const char *rate, const char *delay)
{
	char listen_arg[] = "127.0.0.1:0", to[64], ready[128], buf[32];
	int echo_port = echo_start();
	long until = now_ms() + GIVE_UP_MS;
	FILE *f;

	snprintf(to, sizeof to, "127.0.0.1:%d", echo_port);
	snprintf(ready, sizeof ready, "%s/port", dir);
	unlink(ready);
	emu_pid = fork();
	assert_true(emu_pid >= 0);
	if (emu_pid == 0) {
		execl(emu_path, "linkemu", "--listen", listen_arg, "--to", to,
		    "--rate", rate, "--delay", delay, "--stats", stats,
		    "--ready", ready, (char *)NULL);
		_exit(127);
	}
	while ((f = fopen(ready, "r")) == NULL && now_ms() < until)
		usleep(10000);
	assert_non_null(f);
	while (fgets(buf, sizeof buf, f) == NULL && now_ms() < until) {
		usleep(10000);
		clearerr(f);
	}
	fclose(f);
	emu_port = atoi(buf);
	assert_true(emu_port > 0);
}

static void
stop(pid_t *pid)
{
	if (*pid > 0) {
		kill(*pid, SIGTERM);
		waitpid(*pid, NULL, 0);
	}
	*pid = -1;
}

static int
teardown(void **state)
{
	(void)state;
	stop(&emu_pid);
	stop(&echo_pid);
	return 0;
}

static int
emu_connect(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons((uint16_t)emu_port);
	assert_true(fd >= 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	return fd;
}

static void
send_all(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n > 0) {
		ssize_t k = write(fd, c, n);
		assert_true(k > 0);
		c += k;
		n -= (size_t)k;
	}
}

/* Read exactly n bytes (or up to EOF: the count read). */
static size_t
recv_all(int fd, void *p, size_t n)
{
	char *c = p;
	size_t got = 0;
	long until = now_ms() + GIVE_UP_MS;

	while (got < n) {
		struct pollfd pf = { .fd = fd, .events = POLLIN };
		ssize_t k;
		assert_true(poll(&pf, 1, (int)(until - now_ms())) == 1);
		k = read(fd, c + got, n - got);
		assert_true(k >= 0);
		if (k == 0)
			break;
		got += (size_t)k;
	}
	return got;
}

/* A counter from `linkemu --query`. */
static unsigned long long
counter(const char *name)
{
	char cmd[1400], line[512], *p;
	unsigned long long v = 0;
	FILE *f;

	snprintf(cmd, sizeof cmd, "'%s' --query '%s'", emu_path, stats);
	f = popen(cmd, "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof line, f));
	pclose(f);
	p = strstr(line, name);
	assert_non_null(p);
	v = strtoull(p + strlen(name) + 1, NULL, 10);
	return v;
}

/* 100,000 random bytes through and back, intact; the counters agree. */
static void
test_intact(void **state)
{
	static unsigned char out[100000], in[100000];
	int fd;

	(void)state;
	emu_start("100mbit", "1ms");
	for (size_t i = 0; i < sizeof out; i++)
		out[i] = (unsigned char)(rand() & 0xff);
	fd = emu_connect();
	send_all(fd, out, sizeof out);
	assert_int_equal(recv_all(fd, in, sizeof in), sizeof in);
	assert_memory_equal(in, out, sizeof out);
	close(fd);
	assert_int_equal(counter("up_bytes"), sizeof out);
	assert_int_equal(counter("down_bytes"), sizeof out);
	assert_int_equal(counter("connections"), 1);
}

/* A round trip takes at least twice the one-way delay. */
static void
test_delay(void **state)
{
	char b[16] = "ping";
	long t0;
	int fd;

	(void)state;
	emu_start("100mbit", "150ms");
	fd = emu_connect();
	t0 = now_ms();
	send_all(fd, b, 4);
	assert_int_equal(recv_all(fd, b, 4), 4);
	assert_true(now_ms() - t0 >= 300);
	close(fd);
}

/* 8 KiB each way at 256 kbit/s: at least 2 x 8192 x 8 / 256000 s. */
static void
test_rate(void **state)
{
	static char out[8192], in[8192];
	long t0, ms;
	int fd;

	(void)state;
	emu_start("256kbit", "0ms");
	fd = emu_connect();
	t0 = now_ms();
	send_all(fd, out, sizeof out);
	assert_int_equal(recv_all(fd, in, sizeof in), sizeof in);
	ms = now_ms() - t0;
	/* Up and down are separate links, so they overlap: one transfer's
	 * time (256 ms) plus the last packet's is the floor. */
	assert_true(ms >= 256);
	close(fd);
}

/* Three requests, each answered before the next: three turns.  Then a
 * half-close travels through and the echo server's close comes back. */
static void
test_turns_and_half_close(void **state)
{
	char b[8];
	int fd;

	(void)state;
	emu_start("1mbit", "5ms");
	fd = emu_connect();
	for (int i = 0; i < 3; i++) {
		send_all(fd, "abc", 3);
		assert_int_equal(recv_all(fd, b, 3), 3);
	}
	send_all(fd, "tail", 4);
	assert_int_equal(shutdown(fd, SHUT_WR), 0);
	assert_int_equal(recv_all(fd, b, sizeof b), 4);   /* then EOF */
	assert_memory_equal(b, "tail", 4);
	close(fd);
	assert_int_equal(counter("turns"), 4);
	assert_int_equal(counter("up_bytes"), 13);
}

/* Anything but loopback is refused, on either side. */
static void
test_loopback_only(void **state)
{
	char cmd[1400];

	(void)state;
	snprintf(cmd, sizeof cmd, "'%s' --listen 0.0.0.0:0 --to 127.0.0.1:1 "
	    "2>/dev/null", emu_path);
	assert_int_equal(WEXITSTATUS(system(cmd)), 2);
	snprintf(cmd, sizeof cmd, "'%s' --listen 127.0.0.1:0 --to 10.1.2.3:22 "
	    "2>/dev/null", emu_path);
	assert_int_equal(WEXITSTATUS(system(cmd)), 2);
	snprintf(cmd, sizeof cmd, "'%s' --listen 127.0.0.1:0 --to 127.0.0.1:1 "
	    "--rate fast 2>/dev/null", emu_path);
	assert_int_equal(WEXITSTATUS(system(cmd)), 2);
}

int
main(void)
{
	const char *b = getenv("top_builddir");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_intact, teardown),
		cmocka_unit_test_teardown(test_delay, teardown),
		cmocka_unit_test_teardown(test_rate, teardown),
		cmocka_unit_test_teardown(test_turns_and_half_close, teardown),
		cmocka_unit_test(test_loopback_only),
	};
	int rc;

	snprintf(emu_path, sizeof emu_path, "%s/tests/link/linkemu", b ? b : ".");
	if (access(emu_path, X_OK) != 0) {
		printf("SKIP: %s not built\n", emu_path);
		return 77;
	}
	snprintf(dir, sizeof dir, "/tmp/linkemu-test.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return 99;
	snprintf(stats, sizeof stats, "%s/stats", dir);
	signal(SIGPIPE, SIG_IGN);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	unlink(stats);
	{
		char p[128];
		snprintf(p, sizeof p, "%s/port", dir);
		unlink(p);
	}
	rmdir(dir);
	return rc;
}
