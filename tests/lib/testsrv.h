/*
 * testsrv.h — run a real hromadad for tests and benchmarks.
 *
 * A test server lives in its own temporary directory: a database prepared
 * with `hromadactl init` and `hromadactl demo`, the server's standard error
 * in a log file there, and a free loopback port.  testsrv_start waits until
 * the server says "listening on" (with a timeout) and reads the server's
 * public key with `hromadactl key show --known-hosts` so that a client can
 * pin it; testsrv_stop sends SIGTERM and checks that the server exits 0;
 * testsrv_free kills what is still running and removes the directory.
 *
 * Programs are looked up in $top_builddir (set by the test harness, see
 * Makefile.am AM_TESTS_ENVIRONMENT), else in the current directory.
 * Every child process gets PR_SET_PDEATHSIG, so a crashed test leaves no
 * server behind, and every wait here is bounded.
 */
#ifndef HR_TESTSRV_H
#define HR_TESTSRV_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "proto/error.h"
#include "proto/handshake.h"

#define TESTSRV_PATH_MAX 512

struct testsrv {
	char    dir[TESTSRV_PATH_MAX];   /* temporary directory (owned) */
	char    db[TESTSRV_PATH_MAX];    /* dir/hromada.db */
	char    log[TESTSRV_PATH_MAX];   /* dir/hromadad.log: the server's stderr */
	char    addr[64];                /* "127.0.0.1:PORT" */
	int     port;
	pid_t   pid;                     /* running server, 0 when none */
	uint8_t pk[HR_PUBKEY_LEN];       /* server's current public key */
};

/* Milliseconds on the monotonic clock. */
int64_t testsrv_now_ms(void);

/*
 * Path of one of our programs ("hromadad", "hromadactl", "hromada") in
 * $top_builddir or the current directory.  -1 with err when it does not
 * exist or is not executable.
 */
int testsrv_program(const char *name, char *out, size_t cap, struct hr_error *err);

/*
 * Run argv (argv[0] a path) with standard output captured into out[0..cap)
 * (NUL-terminated, truncated to fit) and standard error inherited.  Kills the
 * child after timeout_ms.  0 when it exited 0; -1 with err otherwise.
 */
int testsrv_run(char *const argv[], char *out, size_t cap, int timeout_ms,
    struct hr_error *err);

/* Temporary directory and a database with `init` + `demo`; no server yet. */
int testsrv_prepare(struct testsrv *s, struct hr_error *err);

/*
 * Start hromadad on a free loopback port and wait until it listens (at most
 * timeout_ms), then read its key into s->pk.  Retries with another port when
 * the chosen one was taken meanwhile.
 */
int testsrv_launch(struct testsrv *s, int timeout_ms, struct hr_error *err);

/* testsrv_prepare + testsrv_launch with a 20 s readiness timeout. */
int testsrv_start(struct testsrv *s, struct hr_error *err);

/*
 * Read the server's current key with `hromadactl key show --known-hosts
 * s->addr` and check that the line names s->addr.
 */
int testsrv_key(const struct testsrv *s, uint8_t pk[HR_PUBKEY_LEN],
    struct hr_error *err);

/*
 * Send SIGTERM and wait at most timeout_ms for the exit (then SIGKILL).
 * *status gets the wait status.  0 when the server exited with status 0;
 * -1 with err saying how it ended otherwise.
 */
int testsrv_stop(struct testsrv *s, int timeout_ms, int *status,
    struct hr_error *err);

/*
 * The end of a test's server: testsrv_stop (15 s), then testsrv_free.  When
 * it did not stop cleanly: "WHAT: reason" and the tail of its log on
 * stderr, err set, -1.
 */
int testsrv_finish(struct testsrv *s, const char *what, struct hr_error *err);

/* Send a signal to the server; -1 when it is not running. */
int testsrv_signal(struct testsrv *s, int sig, struct hr_error *err);

/*
 * Wait at most timeout_ms for the server to exit (then SIGKILL).  0 when it
 * exited with status 0; -1 with err saying how it ended otherwise.
 */
int testsrv_wait_exit(struct testsrv *s, int timeout_ms, int *status,
    struct hr_error *err);

/* Is the server process still running? */
int testsrv_alive(struct testsrv *s);

/* Kill a still running server (SIGKILL), remove the directory. */
void testsrv_free(struct testsrv *s);

/* Copy the last `max` bytes of the server log to f (for failure reports). */
void testsrv_dump_log(const struct testsrv *s, FILE *f, size_t max);

/*
 * TESTSRV_SLOW=N (1..20, default 1): how many times slower than native the
 * server under test runs — set under valgrind on a loaded shared machine.
 * Start-up deadlines and the watchdog are stretched by it; a test's own
 * waits for replies may multiply by testsrv_slow() too.
 */
int testsrv_slow(void);

/*
 * Watchdog for a whole test: after `seconds` SIGALRM kills every server
 * this process started and exits with status 99 (automake: hard error).
 * 0 disarms.
 */
void testsrv_watchdog(unsigned seconds);

#endif
