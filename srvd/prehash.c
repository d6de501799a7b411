/*
 * prehash.c — a big upload.chunk's hash on a thread of its own (see
 * prehash.h for why).
 *
 *   loop:   dispatch: upload.chunk with >= PREHASH_MIN bytes of data
 *           -> prehash_submit: the decrypted request moves into a job
 *              (with a spare file when it starts a file), the connection
 *              waits (reading ahead)
 *   thread: the data written into the spare at offset 0, if any; its
 *           BLAKE2b-256 (nothing else: no database, no state)
 *   loop:   prehash_done: its run (dispatch.c's srv_dispatch_hashed) --
 *           the request runs as any other, its handler given the hash and
 *           the spare (struct srv_req hashed); a spare it did not keep is
 *           closed; then the connection goes on with what it read ahead
 *
 * The request's bytes and the spare belong to the job from the hand-over
 * on: the thread reads the bytes and writes the spare, nobody else touches
 * either; the pool's lock orders the hand-overs.
 */
#include "srvd/prehash.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "proto/fileio.h"
#include "proto/filehash.h"
#include "proto/method_names.h"
#include "proto/rpc.h"
#include "srvd/commit.h"
#include "srvd/conn.h"
#include "srvd/log.h"
#include "srvd/method_table.h"
#include "srvd/pool.h"
#include "srvd/server.h"
#include "srvd/spares.h"
#include "srvd/upload.h"

struct prehash_job {
	struct pool_job link;        /* first: the pool links through it */
	struct srv     *srv;
	uint64_t        conn_id;
	uint8_t        *msg;         /* the decrypted request, owned, wiped */
	size_t          len;
	size_t          off, n;      /* its data: msg[off .. off + n) */
	uint8_t         hash[HR_FILE_HASH_LEN];
	int             spare;       /* the data goes here at 0, or -1 */
	int             spare_errno; /* 0: written; else why not */
	/* Loop thread only: */
	int             staged;      /* read ahead: its connection holds it */
	int             handed;      /* its turn came: the connection waits */
	int             done;        /* back from the thread */
	int             orphan;      /* its connection was freed first */
	int             dropped;     /* the pool stopped; the connection frees */
};

static void
prehash_job_free(struct prehash_job *j)
{
	if (j->msg != NULL) {
		sodium_memzero(j->msg, j->len);
		free(j->msg);
	}
	if (j->spare >= 0)
		close(j->spare);         /* unnamed: it vanishes */
	free(j);
}

/* On the thread. */
static void
prehash_work(void *state, struct pool_job *pj)
{
	struct prehash_job *j = (struct prehash_job *)pj;

	(void)state;
	/* The job owns the request's bytes; its data lies within them. */
	assert(j->msg != NULL && j->off <= j->len && j->n <= j->len - j->off);
	if (j->spare >= 0 && hr_pwrite_full(j->spare, j->msg + j->off, j->n,
	    0) != 0)
		j->spare_errno = errno != 0 ? errno : EIO;
	hr_filehash_mem(j->msg + j->off, j->n, j->hash);
}

/* Run j's request on c now, with what the thread did; then j is spent. */
static void
prehash_run(struct conn *c, struct prehash_job *j)
{
	struct srv_hashed h = { j->msg + j->off, j->n, j->hash, j->spare,
	    j->spare_errno };

	assert(j->msg != NULL);        /* still the job's: nobody took it */
	j->spare = -1;                 /* h's now: run keeps it, or we close it */
	j->srv->prewritten += h.spare >= 0 && h.spare_errno == 0;
	j->srv->prehash_run(c, &j->msg, j->len, &h);
	if (h.spare >= 0)
		close(h.spare);
}

/*
 * Back on the loop.  A chunk read ahead whose turn has not come stays with
 * its connection (prehash_staged runs it); else its connection waits for
 * it: run it now, as its connection's next request.
 */
static void
prehash_done(void *ud, struct pool_job *pj)
{
	struct prehash_job *j = (struct prehash_job *)pj;
	struct srv         *srv = ud;
	struct conn        *c;

	j->done = 1;
	if (j->staged && !j->handed) {
		if (j->orphan)
			prehash_job_free(j);
		return;
	}
	srv->prehash_waited--;
	c = conn_table_find(&srv->conns, j->conn_id);
	if (c != NULL) {               /* else the client left: it never ran */
		assert(c->waiting);    /* it waited for this one since */
		c->waiting = 0;
		prehash_run(c, j);
		if (!c->waiting)
			conn_resume(c);
	}
	prehash_job_free(j);
}

/* conn hooks.staged: the turn of a chunk read ahead. */
static void
prehash_staged(struct conn *c, void *job)
{
	struct prehash_job *j = job;

	assert(j->staged && !j->handed && !c->waiting);
	if (j->done) {                 /* as hooks.frame would */
		prehash_run(c, j);
		prehash_job_free(j);
		return;
	}
	j->handed = 1;                 /* prehash_done runs it */
	c->srv->prehash_waited++;
	conn_wait(c);
}

/* conn hooks.unstaged: its connection is freed before its turn. */
static void
prehash_unstaged(void *job)
{
	struct prehash_job *j = job;

	if (j->done || j->dropped)
		prehash_job_free(j);
	else
		j->orphan = 1;           /* prehash_done frees it */
}

/*
 * commit_set_wait: connections wait for chunks on the threads; each will
 * run its chunk when it comes back, in the open batch if it still is.
 */
static int
prehash_waiting(void *ud, uint64_t batch)
{
	struct srv *srv = ud;

	(void)batch;
	return srv->prehash != NULL && srv->prehash_waited > 0;
}

/* The pool stops with j not handed back: a chunk read ahead is its
 * connection's to free (prehash_unstaged), any other is freed here. */
static void
prehash_drop(struct pool_job *pj)
{
	struct prehash_job *j = (struct prehash_job *)pj;

	if (j->staged && !j->handed && !j->orphan)
		j->dropped = 1;
	else
		prehash_job_free(j);
}

static void *prehash_ahead(struct conn *c, uint8_t **msg, size_t len);

int
prehash_start(struct srv *srv, int threads, prehash_run_fn *run,
    struct hr_error *err)
{
	struct pool_desc d = { "hash", threads, PREHASH_QUEUE, prehash_work,
	    prehash_done, prehash_drop, srv, NULL };

	if (threads == 0)
		return 0;                /* hashed on the loop */
	srv->prehash_run = run;
	if (pool_start(&srv->prehash, srv->loop, &d, err) < 0)
		return -1;
	commit_set_wait(&srv->commit, prehash_waiting, 0);
	srv->conns.hooks.ahead = prehash_ahead;
	srv->conns.hooks.staged = prehash_staged;
	srv->conns.hooks.unstaged = prehash_unstaged;
	return 0;
}

void
prehash_stop(struct srv *srv)
{
	if (srv->prehashed > 0)
		log_info("prehash: %llu chunks hashed off the event loop, %llu "
		    "of them written ahead into a spare file",
		    (unsigned long long)srv->prehashed,
		    (unsigned long long)srv->prewritten);
	if (srv->prehash != NULL)
		commit_set_wait(&srv->commit, NULL, 0);
	srv->conns.hooks.ahead = NULL;   /* staged ones are still freed */
	pool_stop(srv->prehash);
	srv->prehash = NULL;
}

/* The param `name` of a request, or NULL. */
static const msgpack_object *
prehash_param(const struct hr_msg *m, const char *name)
{
	const msgpack_object_map *p = &m->params.via.map;
	size_t n = strlen(name);

	if (m->params.type != MSGPACK_OBJECT_MAP)
		return NULL;
	for (uint32_t i = 0; i < p->size; i++) {
		const msgpack_object *k = &p->ptr[i].key;

		if (k->type == MSGPACK_OBJECT_STR && k->via.str.size == n &&
		    memcmp(k->via.str.ptr, name, n) == 0)
			return &p->ptr[i].val;
	}
	return NULL;
}

/* The `data` of a request's params, when it is bytes. */
static const msgpack_object *
prehash_data(const struct hr_msg *m)
{
	const msgpack_object *d = prehash_param(m, "data");

	return d != NULL && d->type == MSGPACK_OBJECT_BIN ? d : NULL;
}

/*
 * A spare for a chunk that starts a file, when its user is logged in (a
 * stranger's bytes are only hashed: the request refuses them) -- or -1.
 * A chunk that starts a longer file wastes it (closed unused): rare on a
 * fast link, where a scan goes whole, and a slow link's chunks are too
 * small to come here.
 */
static int
prehash_spare(const struct conn *c, const struct hr_msg *m)
{
	const msgpack_object *o = prehash_param(m, "offset");

	if (c->sess.user_id == 0 || o == NULL ||
	    o->type != MSGPACK_OBJECT_POSITIVE_INTEGER || o->via.u64 != 0 ||
	    c->srv->uploads == NULL)
		return -1;
	return spares_take(c->srv->uploads->spares);
}

/*
 * A job for the upload.chunk request `m` of connection c, decoded from
 * *msg, when its data is big enough: submitted, *msg taken (set to NULL).
 * NULL when it runs where it is.
 */
static struct prehash_job *
prehash_job_submit(struct conn *c, const struct hr_msg *m, uint8_t **msg,
    size_t len, int staged)
{
	const msgpack_object *d;
	struct prehash_job   *j;
	const uint8_t        *at;

	if (c->srv->prehash == NULL ||
	    !hr_rpc_method_is(m, HR_M_UPLOAD_CHUNK) ||
	    (d = prehash_data(m)) == NULL || d->via.bin.size < PREHASH_MIN)
		return NULL;
	/* The decoder points into the request's bytes (msgpack-c does not
	 * copy a bin); anything else is hashed where it is. */
	at = (const uint8_t *)d->via.bin.ptr;
	if (at < *msg || at + d->via.bin.size > *msg + len ||
	    (j = calloc(1, sizeof *j)) == NULL)
		return NULL;
	j->srv = c->srv;
	j->conn_id = c->id;
	j->msg = *msg;
	j->len = len;
	j->off = (size_t)(at - *msg);
	j->n = d->via.bin.size;
	j->spare = prehash_spare(c, m);
	j->staged = staged;
	j->handed = !staged;
	if (pool_submit(c->srv->prehash, &j->link) < 0) {
		j->msg = NULL;           /* still the caller's */
		prehash_job_free(j);
		return NULL;
	}
	*msg = NULL;
	c->srv->prehashed++;
	return j;
}

/* conn hooks.ahead: a chunk read ahead goes to the thread now. */
static void *
prehash_ahead(struct conn *c, uint8_t **msg, size_t len)
{
	struct prehash_job *j = NULL;
	struct hr_error     err;
	msgpack_zone        zone;
	struct hr_msg       m;

	hr_error_clear(&err);
	msgpack_zone_init(&zone, 2048);
	if (hr_rpc_decode(*msg, len, &zone, &m, &err) == 0 &&
	    m.type == HR_MSG_REQUEST)
		j = prehash_job_submit(c, &m, msg, len, 1);
	msgpack_zone_destroy(&zone);
	return j;
}

int
prehash_submit(struct conn *c, const struct hr_msg *m, uint8_t **msg,
    size_t len)
{
	if (prehash_job_submit(c, m, msg, len, 0) == NULL)
		return 0;
	c->srv->prehash_waited++;
	assert(!c->waiting);           /* it ran this request: nothing waited */
	conn_wait(c);
	return 1;
}
