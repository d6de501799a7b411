/*
 * commit.h — group commit: many write requests, one durable COMMIT, and
 * that COMMIT (its fsync) off the event loop.
 *
 * With synchronous=FULL every COMMIT is an fsync (~5.7k/s here, PITFALLS.md);
 * one per request would cap the server at that and make each clerk wait for
 * every other clerk's fsync.  Instead:
 *
 *   - the first write request opens one shared transaction (BEGIN
 *     IMMEDIATE) on the WRITER connection lazily;
 *   - a request that wrote files the batch's rows will name (scans,
 *     commit_sync) has them fsync'd by the commit thread before COMMIT --
 *     at once, while the loop still builds the batch (the thread is idle
 *     then), the rest at the hand-over;
 *   - each write request runs inside its own SAVEPOINT, so a failing
 *     request is rolled back alone and the others keep their work;
 *   - its reply is *held*, not sent;
 *   - at the end of the loop iteration (an ev_prepare watcher), or at once
 *     when the batch reaches batch_max, the batch is handed to the COMMIT
 *     THREAD, which runs COMMIT (the fsync) and reports back through an
 *     ev_async; only then are the held replies released to their
 *     connections.  If COMMIT fails the batch is rolled back and every held
 *     reply becomes an HR_E_INTERNAL error;
 *   - a batch whose scans are still being fsync'd, or whose requests
 *     have work on its way back to the loop (a scan's chunk on the hash
 *     thread, commit_set_wait), stays open a few milliseconds more
 *     (COMMIT_WAIT_MAX at most): the loop goes on adding requests to it,
 *     instead of handing over a batch whose COMMIT would wait for those
 *     fsyncs while every new request waits for the COMMIT (the store of
 *     scans was bound by that cycle: SCANS.md, session 10).
 *
 * So a "saved" reply always means "on disk", a batch of N requests costs one
 * fsync, and the loop keeps serving reads, pings and handshakes while the
 * disk flushes.  Replies are addressed by connection id, never by pointer:
 * a connection may be gone by the time its reply is released, and then the
 * reply is dropped.
 *
 * WHO MAY TOUCH THE WRITER CONNECTION, AND WHEN (the invariant of this
 * module; SQLite connections are not to be shared concurrently):
 *
 *   - the loop thread, while no commit is in flight (!inflight): BEGIN,
 *     savepoints and the write handlers;
 *   - the commit thread, from the hand-off (inflight = 1, under `lock`)
 *     until it posts the result (done = 1, under `lock`): the summaries
 *     the batch held moved once (db_batch_summaries_end: the journal's
 *     status counts and the reports' facts of every application the batch
 *     changed, db/batch_summaries.h), COMMIT or ROLLBACK.  The mutex hand-off orders every access of one thread
 *     before every access of the other.
 *
 * While a commit is in flight, or while BEGIN waits for another process's
 * lock (below), work that needs the writer is DEFERRED: the caller queues a
 * closure with commit_defer() and it runs, in arrival order, as soon as the
 * writer is free again -- the requests that piled up during one fsync
 * become the next batch, which is what makes this group commit under load.
 * They run COMMIT_REPLAY_CHUNK per loop iteration (the loop polls between
 * chunks), and the batch is handed over once they all ran (or at
 * batch_max).
 *
 * Another process (hromadactl) may hold the database's write lock.  The
 * loop must not wait for it: the writer's busy timeout is short
 * (COMMIT_BEGIN_WAIT_MS) and a BEGIN that still finds the lock taken starts
 * a retry timer instead; requests meanwhile are deferred.  After
 * COMMIT_BUSY_GIVEUP seconds the waiting requests are answered HR_E_BUSY.
 *
 * WAL checkpoints: automatic checkpoints would run inside a COMMIT on
 * whatever thread commits; they are turned off on the writer.  Right after
 * each COMMIT, while it still owns the writer, the commit thread tells
 * checkpoint.h the log's length: a thread of its own copies the log back
 * (PASSIVE) while batches go on committing, and once the log is long the
 * commit thread restarts it there and then, when no batch can begin.  A
 * restart may wait 40-160 ms for readers: the batch is on disk by then,
 * so its replies are released first (`early`), and only the next batch
 * waits for the writer.  commit_free truncates the WAL.
 *
 * Read-only requests do not come here: they run on a separate reader
 * connection (srv->reader) that sees committed data only, and their replies
 * go out at once.
 */
#ifndef SRV_COMMIT_H
#define SRV_COMMIT_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include <ev.h>

#include "db/db.h"
#include "proto/error.h"
#include "srvd/checkpoint.h"

/* commit_request_begin: the writer is busy; queue the work (commit_defer). */
#define COMMIT_DEFER            1
/* The loop waits at most this long for another process's write lock... */
#define COMMIT_BEGIN_WAIT_MS    20
/* ...then retries BEGIN from a timer this often... */
#define COMMIT_RETRY_INTERVAL   0.03
/* ...and answers the waiting requests HR_E_BUSY after this long. */
#define COMMIT_BUSY_GIVEUP      5.0
/* Deferred work run per loop iteration: between two chunks the loop polls,
 * so pings, reads and handshakes wait for one chunk, not a whole batch. */
#define COMMIT_REPLAY_CHUNK     32
/* Threads that fsync a batch's files beside the commit thread, at most. */
#define COMMIT_SYNCERS_MAX       16
/* A batch stays open at most this long for its files' fsyncs and work on
 * its way (commit_set_wait), from the first loop turn it waited. */
#define COMMIT_WAIT_MAX          0.005

/*
 * Deliver one released reply.  `failed` is NULL when the batch is on disk
 * (send `data`), or the reason the batch was lost (send an error reply to
 * `msgid` instead).
 */
typedef void commit_deliver_fn(void *ud, uint64_t conn_id, uint32_t msgid,
    const uint8_t *data, size_t len, const struct hr_error *failed);

/* Deferred work: run it (the writer is free now), or drop it unrun. */
typedef void commit_work_fn(void *ud, void *arg);

/*
 * Batches are numbered from 1 in the order they begin (commit_batch_id).
 * After each COMMIT, on the loop and before the batch's replies go out,
 * the batch-done hook learns which batch it was and whether it is on
 * disk (ok) or was rolled back.
 */
typedef void commit_batch_fn(void *ud, uint64_t batch, int ok);

/*
 * Writes that must come before any other on the writer (the audit of
 * reads answered while the writer was busy, readaudit.h): run by
 * commit_request_begin, inside the open transaction and before the
 * request's savepoint, and at the end of each loop iteration when the
 * writer is free.  It may call commit_request_begin/end itself (they do
 * not call it again meanwhile).
 */
typedef void commit_first_fn(void *ud);

/*
 * Is work on its way that the open batch `batch` should wait for (a
 * scan's chunk being hashed and written on a thread, prehash.h)?  Asked
 * at the end of a loop iteration, before the batch would be handed over:
 * non-zero keeps it open, so that the work joins it when it comes back
 * instead of opening a batch -- one more COMMIT, one more flush of the
 * log -- of its own.  The batch waits so at most `wait_max` seconds
 * (commit_set_wait).
 */
typedef int commit_wait_fn(void *ud, uint64_t batch);

struct commit_held {
	uint64_t conn_id;
	uint32_t msgid;
	uint8_t *data;         /* the packed reply, owned */
	size_t   len;
	uint64_t seq;          /* 1, 2, ... in the order held */
};

/* Descriptors to fsync before a batch's COMMIT (commit_sync); owned
 * (fd[next..n): the ones not yet synced and closed). */
struct commit_syncs {
	int    *fd;
	size_t  n, cap, next;
};

struct commit_deferred {
	commit_work_fn         *run, *drop;
	void                   *arg;
	struct commit_deferred *next;
};

struct srv_commit {
	/* ---- loop thread only ---- */
	struct hr_db       *db;          /* the writer (see the rule above) */
	int                 in_tx;       /* the batch's transaction is open */
	int                 in_request;  /* a request's savepoint is open */
	struct commit_held *held;        /* replies of the batch being built */
	size_t              nheld, cap;
	size_t              batch_max;
	commit_deliver_fn  *deliver;
	void               *ud;
	struct ev_loop     *loop;        /* NULL: no thread, commits inline */
	ev_prepare          prepare;
	ev_async            async;       /* the commit thread finished */
	ev_timer            retry;       /* BEGIN again (another process) */
	ev_tstamp           busy_since;
	int                 refusing;    /* giving up: begin answers BUSY */
	struct commit_deferred *qhead, *qtail;   /* deferred work, FIFO */
	size_t              nqueued;
	int                 replaying;   /* running deferred work now */
	ev_idle             more;        /* deferred work left: next chunk */
	int                 inflight;    /* the commit thread owns the writer */
	struct commit_held *flight;      /* replies of the batch in flight */
	size_t              nflight;
	uint64_t            held_seq;    /* the last reply held ... */
	uint64_t            released_seq; /* ... and released: in order */
	struct commit_syncs syncs;       /* files of the open batch, when
	                                    there is no commit thread */
	uint64_t            commits, requests, failures;  /* for the log */
	uint64_t            batch_open;  /* id of the open batch (in_tx) */
	uint64_t            batch_flight;/* id of the batch in flight */
	uint64_t            batches;     /* batches begun so far */
	commit_batch_fn    *batch_done;  /* NULL: nobody asks */
	commit_first_fn    *first;       /* NULL: nothing comes first */
	int                 in_first;    /* running it now */
	commit_wait_fn     *wait;        /* NULL: no work on its way */
	double              wait_max;    /* seconds a batch may wait at most */
	ev_tstamp           waited_since;/* the open batch began waiting, or 0 */
	ev_timer            waited;      /* wakes the loop at wait_max */
	uint64_t            waits;       /* loop turns a batch waited, for the log */
	int                 flight_out;  /* the flight's replies went (early) */
	uint64_t            early_batches;/* ... so many times, for the log */

	/* ---- shared with the commit thread, under `lock` ---- */
	pthread_mutex_t     lock;
	pthread_cond_t      work;        /* job or stop set */
	pthread_cond_t      finished;    /* done set */
	pthread_cond_t      synced;      /* an fsync ahead ended */
	int                 job, done, stop;
	int                 early;       /* the batch in flight is on disk,
	                                    the writer still busy (a log
	                                    restart): its replies may go */
	struct commit_syncs ahead;       /* files of the open batch, synced
	                                    by the commit thread while idle */
	int                 ahead_busy;  /* fsyncs of them running now */
	int                 ahead_failed;/* one failed since the batch began */
	int                 sync_waiting;/* the loop waits for `ahead`: wake it
	                                    (async) once all are synced */
	struct hr_error     ahead_err;   /* ... why */
	uint64_t            synced_files;/* fsyncs of registered files */
	double              sync_s;      /* ... and the time they took */
	double              busy_s;      /* from hand-overs to COMMITs' end */
	int                 result;      /* of the COMMIT: 0 or -1 */
	struct hr_error     result_err;
	int                 threaded;    /* the thread was started */
	pthread_t           thread;
	pthread_cond_t      sync_work;   /* ahead has files: the syncers */
	size_t              nsyncers;    /* started; COMMIT_SYNCERS_MAX at most */
	pthread_t           syncer[COMMIT_SYNCERS_MAX];

	/* ---- whoever owns the writer (WAL hook), then the commit thread ---- */
	int                 wal_frames;  /* pages in the WAL after a commit */
	struct srv_checkpoint ckpt;      /* keeps the WAL short */
};

void commit_init(struct srv_commit *gc, struct hr_db *db, size_t batch_max,
    commit_deliver_fn *deliver, void *ud);

/*
 * The hooks above (either may be NULL), called with the `ud` of
 * commit_init.
 */
void commit_set_hooks(struct srv_commit *gc, commit_batch_fn *batch_done,
    commit_first_fn *first);

/*
 * The open batch waits for work on its way while `wait` says there is
 * some (NULL: none ever is), as it waits for its files' fsyncs: at most
 * `max_s` seconds from the first turn it waited (<= 0: COMMIT_WAIT_MAX,
 * the default).  Threaded mode only; called with the `ud` of
 * commit_init.
 */
void commit_set_wait(struct srv_commit *gc, commit_wait_fn *wait,
    double max_s);

/*
 * Commit on a thread of its own from now on, handing a batch over at the
 * end of each iteration of `loop` (ev_prepare).  Configures the writer
 * (short busy timeout, no automatic checkpoints) and takes `ckpt`, a second
 * read-write connection to the same database, for checkpoints (may be NULL:
 * no checkpoints).  -1 with err if the thread cannot start.
 */
int  commit_watch(struct srv_commit *gc, struct ev_loop *loop,
    struct hr_db *ckpt, struct hr_error *err);

/*
 * Before commit_watch: `n` more threads (hromadad.conf sync_threads, at
 * most COMMIT_SYNCERS_MAX) fsync the files of the batch being built beside
 * the commit thread, each file as soon as it is registered (commit_sync).
 * Why: a file's fsync is a chain of synchronous writes (its data, its
 * inode, its directory) and, above all on ext4 without a journal, nothing
 * joins two files' chains into one: one thread syncs one file after
 * another, several keep the disk's queue full.  0 (the default): the
 * commit thread syncs them alone.
 */
void commit_set_syncers(struct srv_commit *gc, size_t n);

/*
 * Finish: wait for the commit in flight, commit what is open (replies
 * delivered), drop deferred work unrun, stop the thread and the watchers,
 * truncate the WAL.  Does not close the connections.
 */
void commit_free(struct srv_commit *gc);

/*
 * Start one write request: open the shared transaction if needed, then the
 * request's savepoint.  0; COMMIT_DEFER when the writer is not available
 * now (queue the work with commit_defer); -1 with err (HR_E_BUSY when
 * another process held the database for COMMIT_BUSY_GIVEUP seconds).
 */
int  commit_request_begin(struct srv_commit *gc, struct hr_error *err);
/* End it: keep its work (ok) or roll back just this request. */
void commit_request_end(struct srv_commit *gc, int ok);

/*
 * A file the running request wrote (a scan's bytes, the directory it was
 * renamed into) must be on disk before the batch's rows that name it: the
 * commit thread fsyncs every such descriptor, in order, before COMMIT
 * (starting at once, while the loop builds the rest of the batch), and a
 * failed fsync fails the batch like a failed COMMIT.  So register a file
 * after the change to it that must be durable.  The fd is
 * duplicated (the caller keeps its own); commit_sync_give takes the
 * caller's instead (closed after its fsync, or at once when it cannot be
 * registered) -- a dup and a close fewer for a file the caller is done
 * with.  Inside a request only; -1 with err when out of memory or
 * descriptors.
 */
int  commit_sync(struct srv_commit *gc, int fd, struct hr_error *err);
int  commit_sync_give(struct srv_commit *gc, int fd, struct hr_error *err);

/* May a write request run now (else commit_request_begin would defer)? */
int  commit_writer_ready(const struct srv_commit *gc);

/* A batch is open: a write request's reply, error or not, must be held. */
int  commit_batch_open(const struct srv_commit *gc);

/* The id of the open batch: what a write done now becomes durable with
 * (0 when no batch is open). */
uint64_t commit_batch_id(const struct srv_commit *gc);

/*
 * Queue work for when the writer is free; run(gc->ud, arg) then, or
 * drop(gc->ud, arg) if the server stops first.  Work deferred again while
 * it runs goes back to the head, so the order is kept.  -1 when out of
 * memory (the caller still owns arg).
 */
int  commit_defer(struct srv_commit *gc, commit_work_fn *run,
    commit_work_fn *drop, void *arg);

/*
 * Hold a reply until the batch is durable; takes ownership of `data`
 * (malloc'd).  Hands the batch over at once when it reaches batch_max.
 */
void commit_hold(struct srv_commit *gc, uint64_t conn_id, uint32_t msgid,
    uint8_t *data, size_t len);

/*
 * Make everything durable now, on the calling thread: wait for the commit
 * in flight (its replies released), then COMMIT the open batch here and
 * release its replies.  0, or -1 when a COMMIT failed (that batch was
 * rolled back and its replies delivered as failures).  For tests, for
 * commit_free, and for the inline mode (no commit_watch).
 */
int  commit_flush(struct srv_commit *gc);

/* Nothing open, nothing held, nothing in flight, nothing deferred. */
int  commit_idle(const struct srv_commit *gc);

#endif
