/*
 * linktrace.c — the client's trace of its link (see linktrace.h): a line
 * per frame, written at once (unbuffered), so a test reading the file
 * while the client runs sees every frame handled so far.
 */
#include "config.h"

#include "tui/linktrace.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct linktrace {
	int  fd;
	long t0;                /* ms, monotonic, at the opening */
};

static long
linktrace_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

struct linktrace *
linktrace_open(const char *path)
{
	struct linktrace *t;
	int fd;

	if (path == NULL || path[0] == '\0')
		return NULL;
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0) {
		fprintf(stderr, "hromada: HROMADA_TRACE %s: %s\n", path,
		    strerror(errno));
		return NULL;
	}
	if ((t = malloc(sizeof *t)) == NULL) {
		close(fd);
		return NULL;
	}
	t->fd = fd;
	t->t0 = linktrace_ms();
	return t;
}

void
linktrace_close(struct linktrace *t)
{
	if (t == NULL)
		return;
	close(t->fd);
	free(t);
}

void
linktrace_frame(void *ud, int out, uint32_t msgid, const char *what,
    size_t bytes)
{
	struct linktrace *t = ud;
	char line[128];
	int n;

	n = snprintf(line, sizeof line, "%ld %c %zu %lu %s\n",
	    linktrace_ms() - t->t0, out ? '>' : '<', bytes,
	    (unsigned long)msgid, what);
	if (n > 0 && (size_t)n < sizeof line)
		(void)!write(t->fd, line, (size_t)n);   /* a trace, not data */
}
