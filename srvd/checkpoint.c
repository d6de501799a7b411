/*
 * checkpoint.c — keeping the server's write-ahead log short (see
 * checkpoint.h).
 */
#include "config.h"           /* _GNU_SOURCE: pthread_setname_np */

#include "srvd/checkpoint.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "srvd/log.h"

static double
checkpoint_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * The checkpointer's busy handler, called only by a RESTART checkpoint
 * (a PASSIVE one never waits): for the readers that still hold the log,
 * c->wait from the first wait in all.  It looks every
 * quarter of a millisecond, not in SQLite's default steps of 1, 2, 5,
 * 10 ... ms: the owner keeps the writer meanwhile, so every millisecond
 * slept after the last reader left is a millisecond every write waits.
 */
static int
checkpoint_busy(void *ud, int n)
{
	struct srv_checkpoint *c = ud;
	struct timespec pause = { 0, 250 * 1000 };
	double now = checkpoint_clock();

	(void)n;
	if (c->busy_t0 == 0)
		c->busy_t0 = now;
	if (now - c->busy_t0 >= c->wait)
		return 0;
	nanosleep(&pause, NULL);
	return 1;
}

/* Claim the connection (the thread or the owner); 0 if it is in use. */
static int
checkpoint_claim(struct srv_checkpoint *c, int restart)
{
	int ok;

	pthread_mutex_lock(&c->lock);
	ok = !c->running;
	if (ok)
		c->running = 1;
	/* A RESTART that found a PASSIVE running waits for it to end: no
	 * new PASSIVE begins meanwhile, or a busy thread could put the
	 * restart off for ever. */
	if (restart)
		c->restart_next = !ok;
	pthread_mutex_unlock(&c->lock);
	return ok;
}

static void
checkpoint_release(struct srv_checkpoint *c)
{
	pthread_mutex_lock(&c->lock);
	c->running = 0;
	pthread_cond_signal(&c->work);
	pthread_mutex_unlock(&c->lock);
}

static void *
checkpoint_thread(void *arg)
{
	struct srv_checkpoint *c = arg;
	int log, copied, rc;

	(void)pthread_setname_np(pthread_self(), "hr-ckpt");
	pthread_mutex_lock(&c->lock);
	for (;;) {
		while (!c->stop && (!c->want || c->running || c->restart_next))
			pthread_cond_wait(&c->work, &c->lock);
		if (c->stop)
			break;
		c->want = 0;
		c->running = 1;
		pthread_mutex_unlock(&c->lock);

		rc = sqlite3_wal_checkpoint_v2(c->db->sql, NULL,
		    SQLITE_CHECKPOINT_PASSIVE, &log, &copied);
		if (rc != SQLITE_OK && rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
			log_warning("WAL checkpoint: %s",
			    sqlite3_errmsg(c->db->sql));

		pthread_mutex_lock(&c->lock);
		c->running = 0;
		c->passives++;
	}
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

/*
 * The owner of the writer: copy the rest of the log back and wait for its
 * readers, so that the next batch writes it from its beginning.
 */
static void
checkpoint_restart(struct srv_checkpoint *c, double now)
{
	int log = 0, copied = 0, rc;
	double held;

	if (!checkpoint_claim(c, 1))
		return;                 /* the next commit tries again */
	c->busy_t0 = 0;
	c->tries++;
	rc = sqlite3_wal_checkpoint_v2(c->db->sql, NULL,
	    SQLITE_CHECKPOINT_RESTART, &log, &copied);
	checkpoint_release(c);
	held = checkpoint_clock() - now;
	c->held_s += held;
	if (held > c->held_max_s)
		c->held_max_s = held;
	if (rc == SQLITE_OK) {
		c->restarts++;
		c->retry = CHECKPOINT_RETRY_S;
		c->wait = CHECKPOINT_RESTART_WAIT_MS / 1000.0;
	} else {
		if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
			log_warning("WAL restart: %s",
			    sqlite3_errmsg(c->db->sql));
		srv_log(SRV_LOG_DEBUG, "WAL restart put off: %d of %d frames "
		    "copied back, readers still in the log after %.0f ms",
		    copied, log, 1000 * c->wait);
		c->retry = c->retry * 2 < CHECKPOINT_RETRY_MAX_S ?
		    c->retry * 2 : CHECKPOINT_RETRY_MAX_S;
		c->wait = c->wait * 2 < CHECKPOINT_RESTART_WAIT_MAX_MS /
		    1000.0 ? c->wait * 2 : CHECKPOINT_RESTART_WAIT_MAX_MS /
		    1000.0;
	}
	/* Also after a success: if the log did not restart after all
	 * (another process writing), not again at the very next commit. */
	c->next_try = now + c->retry;
}

int
checkpoint_restart_due(const struct srv_checkpoint *c, int frames)
{
	return c->db != NULL && frames >= CHECKPOINT_RESTART_FRAMES &&
	    checkpoint_clock() >= c->next_try;
}

void
checkpoint_committed(struct srv_checkpoint *c, int frames)
{
	double now;

	if (c->db == NULL)
		return;
	if (frames < c->last) {         /* the log started again */
		c->generations++;
		c->asked = 0;
	}
	c->last = frames;
	if (frames > c->longest)
		c->longest = frames;
	if (frames >= CHECKPOINT_RESTART_FRAMES &&
	    (now = checkpoint_clock()) >= c->next_try) {
		checkpoint_restart(c, now);
		return;
	}
	if (frames - c->asked < CHECKPOINT_PASSIVE_FRAMES)
		return;
	c->asked = frames;
	pthread_mutex_lock(&c->lock);
	c->want = 1;
	pthread_cond_signal(&c->work);
	pthread_mutex_unlock(&c->lock);
}

int
checkpoint_start(struct srv_checkpoint *c, struct hr_db *writer,
    struct hr_db *ckpt, struct hr_error *err)
{
	char sql[64];
	sqlite3_stmt *st;
	int page = 4096;

	memset(c, 0, sizeof *c);
	c->retry = CHECKPOINT_RETRY_S;
	c->wait = CHECKPOINT_RESTART_WAIT_MS / 1000.0;
	if (ckpt == NULL)
		return 0;
	/* A frame is a page and its 24-byte header; the log's header 32. */
	if (sqlite3_prepare_v2(writer->sql, "PRAGMA page_size", -1, &st,
	    NULL) != SQLITE_OK)
		return db_fail(writer, err, "read the page size");
	if (sqlite3_step(st) == SQLITE_ROW)
		page = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	snprintf(sql, sizeof sql, "PRAGMA journal_size_limit=%lld",
	    (long long)CHECKPOINT_LIMIT_FACTOR * CHECKPOINT_RESTART_FRAMES *
	    (page + 24) + 32);
	if (db_exec(writer, sql, "limit the write-ahead log", err) < 0)
		return -1;
	sqlite3_busy_handler(ckpt->sql, checkpoint_busy, c);
	c->db = ckpt;
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->work, NULL);
	if (pthread_create(&c->thread, NULL, checkpoint_thread, c) != 0) {
		pthread_cond_destroy(&c->work);
		pthread_mutex_destroy(&c->lock);
		c->db = NULL;
		return hr_error_set(err, HR_E_INTERNAL, "cannot start the "
		    "checkpoint thread");
	}
	c->threaded = 1;
	return 0;
}

void
checkpoint_stop(struct srv_checkpoint *c)
{
	if (!c->threaded)
		return;
	pthread_mutex_lock(&c->lock);
	c->stop = 1;
	pthread_cond_signal(&c->work);
	pthread_mutex_unlock(&c->lock);
	pthread_join(c->thread, NULL);
	pthread_cond_destroy(&c->work);
	pthread_mutex_destroy(&c->lock);
	c->threaded = 0;
	c->db = NULL;
	log_info("write-ahead log: %llu checkpoints; restarted %llu times "
	    "(%llu of %llu tries waited out their readers, holding the "
	    "writer %.1f ms on average, at most %.1f ms); at most %d frames "
	    "long", (unsigned long long)c->passives,
	    (unsigned long long)c->generations,
	    (unsigned long long)c->restarts, (unsigned long long)c->tries,
	    c->tries ? 1000 * c->held_s / (double)c->tries : 0.0,
	    1000 * c->held_max_s, c->longest);
}
