/*
 * spares.c — empty unnamed files made ahead on a thread (see spares.h for
 * why).
 *
 *   thread: while fewer than SPARES_MAX are ready: make one (no lock held
 *           meanwhile), add it; else sleep until the loop has taken half
 *   loop:   spares_take: the newest ready one, or -1 at once
 *
 * A file the thread cannot make (a full disk, no descriptors) is tried
 * again a second later; the loop meanwhile stores through DIR/partial.
 */
#include "config.h"           /* _GNU_SOURCE: pthread_setname_np */

#include "srvd/spares.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "srvd/log.h"

struct srv_spares {
	struct hr_store *st;
	pthread_t        thread;
	pthread_mutex_t  lock;
	pthread_cond_t   want;       /* the loop took half, or stop */
	int              fd[SPARES_MAX];
	size_t           n;
	int              stop;
	unsigned long    made, taken, missed;
};

/* Sleep a second or until told to stop (with `lock` held). */
static void
spares_pause(struct srv_spares *s)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 1;
	while (!s->stop && pthread_cond_timedwait(&s->want, &s->lock,
	    &until) != ETIMEDOUT)
		;
}

static void *
spares_thread(void *arg)
{
	struct srv_spares *s = arg;
	struct hr_error err;
	int fd, rc, told = 0;

	(void)pthread_setname_np(pthread_self(), "hr-spares");
	pthread_mutex_lock(&s->lock);
	for (;;) {
		while (!s->stop && s->n == SPARES_MAX)
			pthread_cond_wait(&s->want, &s->lock);
		if (s->stop)
			break;
		pthread_mutex_unlock(&s->lock);
		rc = hr_store_unnamed(s->st, &fd, &err);
		pthread_mutex_lock(&s->lock);
		if (rc < 0) {
			if (!told++)
				log_warning("spare files: %s (scans go through "
				    "the partial directory meanwhile)", err.msg);
			spares_pause(s);
			continue;
		}
		told = 0;
		s->fd[s->n++] = fd;
		s->made++;
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

int
spares_start(struct srv_spares **out, struct hr_store *st,
    struct hr_error *err)
{
	struct srv_spares *s;
	struct hr_error why;

	*out = NULL;
	if (hr_store_unnamed_works(st, &why) < 0) {
		log_info("whole scans go through the partial directory: %s",
		    why.msg);
		return 0;
	}
	if ((s = calloc(1, sizeof *s)) == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	s->st = st;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->want, NULL);
	if (pthread_create(&s->thread, NULL, spares_thread, s) != 0) {
		pthread_cond_destroy(&s->want);
		pthread_mutex_destroy(&s->lock);
		free(s);
		return hr_error_set(err, HR_E_INTERNAL, "cannot start the spare "
		    "files' thread");
	}
	*out = s;
	return 0;
}

void
spares_stop(struct srv_spares *s)
{
	if (s == NULL)
		return;
	pthread_mutex_lock(&s->lock);
	s->stop = 1;
	pthread_cond_signal(&s->want);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);
	while (s->n > 0)
		close(s->fd[--s->n]);
	if (s->taken > 0 || s->missed > 0)
		log_info("spare files: %lu made, %lu taken, %lu times none "
		    "ready", s->made, s->taken, s->missed);
	pthread_cond_destroy(&s->want);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

int
spares_take(struct srv_spares *s)
{
	int fd = -1;

	if (s == NULL)
		return -1;
	pthread_mutex_lock(&s->lock);
	if (s->n > 0) {
		fd = s->fd[--s->n];
		s->taken++;
		/* Wake the thread only when half are gone: one wake-up for
		 * many files, not one a file. */
		if (s->n == SPARES_MAX / 2)
			pthread_cond_signal(&s->want);
	} else {
		s->missed++;
		pthread_cond_signal(&s->want);
	}
	pthread_mutex_unlock(&s->lock);
	return fd;
}
