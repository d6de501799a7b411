/*
 * prehash.h — the BLAKE2b-256 of a big upload.chunk's bytes, computed on a
 * thread of its own before the request runs on the event loop.
 *
 * Hashing a scan's chunk (200 KB: ~0.13 ms) was the biggest single cost of
 * a stored scan on the loop, the one thread every request runs on
 * (tests/bench/SCANS.md).  The hash depends on nothing but the bytes, so a
 * thread computes it while the loop serves the others; then the request
 * runs as before, in its connection's order (the connection waits
 * meanwhile, reading ahead: conn.h), and upload.chunk compares the hash
 * the client gave with this one instead of hashing the bytes itself.  What
 * the request checks, writes and answers does not change.
 *
 * A chunk that starts a file (offset 0) of a logged-in user is also
 * written there, at once, into a file made ahead without a name (spares.h):
 * for a scan that comes whole in one chunk -- nearly every one on a fast
 * link -- that write (200 KB copied into the page cache: about 40 % of the
 * loop's time per scan, SCANS.md, session 9) was the rest of the bytes'
 * work on the loop.  The request then checks everything as before and,
 * when the chunk is the whole file and all is right, links that file into
 * the store; else the file is closed and vanishes (nothing ever had a
 * name).  A failed write (a full disk) is reported by the request as its
 * own write's failure would be.
 *
 * The group commit's batch waits for the chunks on the threads
 * (commit_set_wait, COMMIT_WAIT_MAX at most), so that a chunk coming
 * back joins the batch of its loop turn instead of committing alone.
 *
 * Only a chunk of PREHASH_MIN bytes or more goes to a thread (a small one
 * costs less to hash than to hand over); with no thread (hash_threads 0),
 * or their queue full, the request runs at once and hashes its bytes
 * itself.
 */
#ifndef SRV_PREHASH_H
#define SRV_PREHASH_H

#include <stddef.h>
#include <stdint.h>

#include "proto/error.h"

#define PREHASH_MIN    (64u * 1024u)   /* bytes of data worth a hand-over */
#define PREHASH_QUEUE  256u            /* chunks waiting for the thread */

struct conn;
struct hr_msg;
struct srv;
struct srv_hashed;

/* Run the request *msg of c now, with what was done ahead: h (its `at`
 * inside *msg; a spare left in it is closed after) -- dispatch.c's
 * srv_dispatch_hashed, handed in so that this module needs nothing above
 * it. */
typedef void prehash_run_fn(struct conn *c, uint8_t **msg, size_t len,
    struct srv_hashed *h);

/* Start `threads` threads (hromadad.conf hash_threads; 0: none, the
 * loop hashes), whose requests `run` runs.  After commit_init and
 * loop_init (it installs the connections' read-ahead hooks).  -1 with
 * err. */
int  prehash_start(struct srv *srv, int threads, prehash_run_fn *run,
    struct hr_error *err);
/* Stop it; chunks not hashed yet are dropped unanswered (shutdown). */
void prehash_stop(struct srv *srv);

/*
 * An upload.chunk request `m` of connection c, decoded from *msg: when its
 * `data` is big enough, take *msg (set to NULL) to hash it on a thread,
 * make c wait, and return 1; prehash_start's `run` runs it with its hash
 * once hashed (on the loop).  0: run it here and now.
 *
 * A chunk read ahead while its connection waits (conn.h) goes to the
 * thread at once, through the connection's hooks; in its turn it runs at
 * once if the thread is done with it, else the connection waits for it.
 */
int  prehash_submit(struct conn *c, const struct hr_msg *m, uint8_t **msg,
    size_t len);

#endif
