/*
 * checkpoint.h — keeping the server's write-ahead log short.
 *
 * Every COMMIT appends its pages to the database's -wal; a checkpoint
 * copies them back into the database file; the log starts again from its
 * beginning only when a writer finds it copied back whole and no reader
 * still reading it.  A long log costs every reader (pages looked up in the
 * log's index and read from it instead of the database file), the backup's
 * moment (ctl/walwatch.h) and the disk: under load it grew without bound
 * (490 MB after three minutes of 200 clerks), for two reasons:
 *
 *   - the query threads are never all idle: at any instant some reader
 *     holds a snapshot, and the log can start again only while none of the
 *     readers that began before the last checkpoint is still reading;
 *   - the restart was tried with a 10 ms wait, and when that failed not
 *     again until the log was another 16,384 frames longer: on a loaded
 *     machine each try failed, and the log grew in 64 MiB steps.
 *
 * So, with SQLite's own rules (https://sqlite.org/wal.html, "Avoiding
 * Excessively Large WAL Files"):
 *
 *   - PASSIVE checkpoints run on a THREAD OF THEIR OWN ("hr-ckpt"), on a
 *     connection of their own, each time the log grew by
 *     CHECKPOINT_PASSIVE_FRAMES: they copy pages back while batches keep
 *     committing (a checkpoint and a COMMIT do not wait for each other)
 *     and never wait for a reader -- they copy up to the oldest snapshot
 *     in use, which with one read transaction per request is a few
 *     milliseconds old.  So the log's part that readers must search stays
 *     short whatever the log's length, and a restart has little to copy.
 *   - Once the log is CHECKPOINT_RESTART_FRAMES long, its owner -- the
 *     commit thread, after a COMMIT and before it gives the writer back,
 *     so that no batch can begin meanwhile -- runs a RESTART checkpoint:
 *     it copies the rest and waits up to CHECKPOINT_RESTART_WAIT_MS for
 *     the readers that began before it (readers that begin after it read
 *     the database file alone and do not hold the log).  The next batch
 *     then writes the log from its beginning.  A try that could not wait
 *     long enough is tried again after CHECKPOINT_RETRY_S, doubling up to
 *     CHECKPOINT_RETRY_MAX_S, and each try after a failure may wait twice
 *     as long, up to CHECKPOINT_RESTART_WAIT_MAX_MS.  On an overloaded
 *     machine (load 11-15 on 2 cores) a read takes 50-100 ms and a fixed
 *     40 ms wait failed 39 tries in 42: the log reached 490 MB in 3
 *     minutes again.  A long reader (a backup's moment, a report) makes
 *     the tries fail; the growing intervals keep the writer's waits to a
 *     few per cent of the time meanwhile.
 *   - journal_size_limit (CHECKPOINT_LIMIT_FACTOR times the restart
 *     length) cuts the -wal file back at the first commit after a restart
 *     when a long reader had let it grow past that; below it the file is
 *     written over, not cut, so its blocks are not allocated again and
 *     the backup's watch sees every generation end.
 *
 * How often the log restarts is what the backup's watch races against
 * (ctl/walwatch.h): once per CHECKPOINT_RESTART_FRAMES, as before; only
 * the tries that used to fail now succeed.
 *
 * Durability is untouched: a COMMIT is on disk when it returns (the log is
 * synced), and a checkpoint only copies what is already durable, syncing
 * the database file before the log may be written over.
 */
#ifndef SRV_CHECKPOINT_H
#define SRV_CHECKPOINT_H

#include <pthread.h>
#include <stdint.h>

#include "db/db.h"
#include "proto/error.h"

/* A PASSIVE checkpoint each time the log grew by this many frames
 * (~4 MiB at 4 KiB a page)... */
#define CHECKPOINT_PASSIVE_FRAMES 1024
/* ... and the log restarted once it is this long (~64 MiB)... */
#define CHECKPOINT_RESTART_FRAMES 16384
/* ... waiting this long for the readers still in it... */
#define CHECKPOINT_RESTART_WAIT_MS 40
/* ... and after a try that could not, again this much later, doubling,
 * each try waiting twice as long as the one before. */
#define CHECKPOINT_RETRY_S        0.1
#define CHECKPOINT_RETRY_MAX_S    5.0
#define CHECKPOINT_RESTART_WAIT_MAX_MS 160
/* The -wal file is cut back to this many restart lengths. */
#define CHECKPOINT_LIMIT_FACTOR   2

struct srv_checkpoint {
	struct hr_db   *db;            /* the checkpointer's own connection */
	/* ---- the writer's owner only (checkpoint_committed) ---- */
	int             asked;         /* log length at the last PASSIVE asked */
	int             last;          /* log length after the last commit */
	double          next_try;      /* no RESTART before (monotonic s) */
	double          retry;         /* the wait after the next failure */
	double          wait;          /* a try's wait for readers (s) */
	double          busy_t0;       /* busy handler: first wait (0: none) */
	/* ---- shared with the thread, under `lock` ---- */
	pthread_mutex_t lock;
	pthread_cond_t  work;
	int             want;          /* a PASSIVE is asked for */
	int             running;       /* the connection is in use */
	int             restart_next;  /* the owner waits to RESTART */
	int             stop;
	int             threaded;
	pthread_t       thread;
	/* ---- figures (for the log at exit) ---- */
	uint64_t        passives;      /* PASSIVE checkpoints run */
	uint64_t        tries, restarts;  /* RESTART checkpoints: tried, ok */
	uint64_t        generations;   /* the log started again */
	int             longest;       /* the log's most frames */
	double          held_s, held_max_s;  /* the writer held by tries */
};

/*
 * Take `ckpt` (a read-write connection of its own to the database the
 * writer `writer` writes; NULL: no checkpoints at all) and start the
 * thread; sets the writer's journal_size_limit.  On the loop, before the
 * commit thread starts.  -1 with err.
 */
int  checkpoint_start(struct srv_checkpoint *c, struct hr_db *writer,
    struct hr_db *ckpt, struct hr_error *err);

/*
 * The owner of the writer, right after a COMMIT that left the log `frames`
 * long (SQLite's WAL hook), and before any other batch may begin: asks for
 * a PASSIVE checkpoint, or runs the RESTART one, when due.
 */
void checkpoint_committed(struct srv_checkpoint *c, int frames);

/*
 * Would checkpoint_committed(c, frames), called now or later by the same
 * owner, run the RESTART (and hold the writer while it waits for
 * readers)?  So that the owner can let the batch's replies go first.
 */
int  checkpoint_restart_due(const struct srv_checkpoint *c, int frames);

/* Finish the checkpoint running and stop the thread (idempotent). */
void checkpoint_stop(struct srv_checkpoint *c);

#endif
