/*
 * prehash.c — a big upload.chunk's hash on a thread of its own (see
 * prehash.h for why).
 *
 *   loop:   dispatch: upload.chunk with >= PREHASH_MIN bytes of data
 *           -> prehash_submit: the decrypted request moves into a job,
 *              the connection waits (reading ahead)
 *   thread: BLAKE2b-256 of the data (nothing else: no database, no state)
 *   loop:   prehash_done: its run (dispatch.c's srv_dispatch_hashed) --
 *           the request runs as any other, its handler given the hash
 *           (struct srv_req hashed); then the connection goes on with
 *           what it read ahead
 *
 * The request's bytes belong to the job from the hand-over on: the thread
 * reads them, nobody writes them; the pool's lock orders the hand-overs.
 */
#include "srvd/prehash.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "proto/filehash.h"
#include "proto/method_names.h"
#include "proto/rpc.h"
#include "srvd/conn.h"
#include "srvd/log.h"
#include "srvd/pool.h"
#include "srvd/server.h"

struct prehash_job {
	struct pool_job link;        /* first: the pool links through it */
	struct srv     *srv;
	prehash_run_fn *run;         /* then, on the loop */
	uint64_t        conn_id;
	uint8_t        *msg;         /* the decrypted request, owned, wiped */
	size_t          len;
	size_t          off, n;      /* its data: msg[off .. off + n) */
	uint8_t         hash[HR_FILE_HASH_LEN];
};

static void
prehash_job_free(struct prehash_job *j)
{
	if (j->msg != NULL) {
		sodium_memzero(j->msg, j->len);
		free(j->msg);
	}
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
	hr_filehash_mem(j->msg + j->off, j->n, j->hash);
}

/* Back on the loop: run the request now, as its connection's next. */
static void
prehash_done(void *ud, struct pool_job *pj)
{
	struct prehash_job *j = (struct prehash_job *)pj;
	struct srv         *srv = ud;
	struct conn        *c = conn_table_find(&srv->conns, j->conn_id);

	assert(j->msg != NULL);        /* still the job's: nobody took it */
	if (c != NULL) {               /* else the client left: it never ran */
		assert(c->waiting);    /* it waited for this one since submit */
		c->waiting = 0;
		j->run(c, &j->msg, j->len, j->off, j->n, j->hash);
		if (!c->waiting)
			conn_resume(c);
	}
	prehash_job_free(j);
}

static void
prehash_drop(struct pool_job *pj)
{
	prehash_job_free((struct prehash_job *)pj);
}

int
prehash_start(struct srv *srv, int threads, struct hr_error *err)
{
	struct pool_desc d = { "hash", threads, PREHASH_QUEUE, prehash_work,
	    prehash_done, prehash_drop, srv, NULL };

	if (threads == 0)
		return 0;                /* hashed on the loop */
	return pool_start(&srv->prehash, srv->loop, &d, err);
}

void
prehash_stop(struct srv *srv)
{
	if (srv->prehashed > 0)
		log_info("prehash: %llu chunks hashed off the event loop",
		    (unsigned long long)srv->prehashed);
	pool_stop(srv->prehash);
	srv->prehash = NULL;
}

/* The `data` of a request's params, when it is bytes. */
static const msgpack_object *
prehash_data(const struct hr_msg *m)
{
	const msgpack_object_map *p = &m->params.via.map;

	if (m->params.type != MSGPACK_OBJECT_MAP)
		return NULL;
	for (uint32_t i = 0; i < p->size; i++) {
		const msgpack_object *k = &p->ptr[i].key;

		if (k->type == MSGPACK_OBJECT_STR && k->via.str.size == 4 &&
		    memcmp(k->via.str.ptr, "data", 4) == 0)
			return p->ptr[i].val.type == MSGPACK_OBJECT_BIN ?
			    &p->ptr[i].val : NULL;
	}
	return NULL;
}

int
prehash_submit(struct conn *c, const struct hr_msg *m, uint8_t **msg,
    size_t len, prehash_run_fn *run)
{
	const msgpack_object *d;
	struct prehash_job   *j;
	const uint8_t        *at;

	if (c->srv->prehash == NULL ||
	    !hr_rpc_method_is(m, HR_M_UPLOAD_CHUNK) ||
	    (d = prehash_data(m)) == NULL || d->via.bin.size < PREHASH_MIN)
		return 0;
	/* The decoder points into the request's bytes (msgpack-c does not
	 * copy a bin); anything else is hashed where it is. */
	at = (const uint8_t *)d->via.bin.ptr;
	if (at < *msg || at + d->via.bin.size > *msg + len ||
	    (j = calloc(1, sizeof *j)) == NULL)
		return 0;
	j->srv = c->srv;
	j->run = run;
	j->conn_id = c->id;
	j->msg = *msg;
	j->len = len;
	j->off = (size_t)(at - *msg);
	j->n = d->via.bin.size;
	if (pool_submit(c->srv->prehash, &j->link) < 0) {
		j->msg = NULL;           /* still the caller's */
		free(j);
		return 0;
	}
	*msg = NULL;
	c->srv->prehashed++;
	assert(!c->waiting);           /* it ran this request: nothing waited */
	conn_wait(c);
	return 1;
}
