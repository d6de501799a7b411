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

/* Start `threads` threads (hromadad.conf hash_threads; 0: none, the
 * loop hashes).  -1 with err. */
int  prehash_start(struct srv *srv, int threads, struct hr_error *err);
/* Stop it; chunks not hashed yet are dropped unanswered (shutdown). */
void prehash_stop(struct srv *srv);

/* Run the request *msg of c now: msg[off .. off + n) hashes to `hash`
 * (dispatch.c's srv_dispatch_hashed; handed in, so that this module
 * needs nothing above it). */
typedef void prehash_run_fn(struct conn *c, uint8_t **msg, size_t len,
    size_t off, size_t n, const uint8_t *hash);

/*
 * An upload.chunk request `m` of connection c, decoded from *msg: when its
 * `data` is big enough, take *msg (set to NULL) to hash it on a thread,
 * make c wait, and return 1; `run` runs it with its hash once hashed (on
 * the loop).  0: run it here and now.
 */
int  prehash_submit(struct conn *c, const struct hr_msg *m, uint8_t **msg,
    size_t len, prehash_run_fn *run);

#endif
