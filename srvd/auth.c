/*
 * auth.c — the password-verifying threads (see auth.h): a pool (pool.h)
 * whose work is one crypto_pwhash_str_verify.
 */
#include "srvd/auth.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "db/users.h"

struct srv_auth {
	struct srv_pool *pool;
	auth_done_fn    *done_fn;
	void            *ud;
	char             dummy[128];
};

struct auth_job *
auth_job_new(void)
{
	return calloc(1, sizeof(struct auth_job));
}

void
auth_job_free(struct auth_job *job)
{
	if (job == NULL)
		return;
	if (job->password != NULL) {
		sodium_memzero(job->password, strlen(job->password));
		free(job->password);
	}
	free(job->user);
	free(job->addr);
	free(job->source);
	free(job->client);
	free(job->pwhash);
	free(job->terminal);
	free(job);
}

/* On a worker: verify, and wipe the password at once. */
static void
auth_work(void *state, struct pool_job *pj)
{
	struct auth_job *job = (struct auth_job *)pj;

	(void)state;
	job->match = crypto_pwhash_str_verify(job->pwhash, job->password,
	    strlen(job->password)) == 0;
	sodium_memzero(job->password, strlen(job->password));
}

static void
auth_done(void *ud, struct pool_job *pj)
{
	struct srv_auth *a = ud;

	a->done_fn(a->ud, (struct auth_job *)pj);
}

static void
auth_drop(struct pool_job *pj)
{
	auth_job_free((struct auth_job *)pj);
}

/* The dummy: the hash of a random password nobody knows. */
static int
auth_make_dummy(struct srv_auth *a, struct hr_error *err)
{
	unsigned char rnd[16];
	char          pw[sizeof rnd * 2 + 1];

	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2hex(pw, sizeof pw, rnd, sizeof rnd);
	if (db_password_hash(pw, a->dummy, err) < 0)
		return -1;
	sodium_memzero(pw, sizeof pw);
	return 0;
}

int
auth_start(struct srv_auth **out, struct ev_loop *loop, int workers,
    int queue_max, auth_done_fn *done, void *ud, struct hr_error *err)
{
	struct srv_auth *a = calloc(1, sizeof *a);
	struct pool_desc d = { "password", workers, (size_t)queue_max,
	    auth_work, auth_done, auth_drop, NULL, NULL };

	*out = a;
	if (a == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	a->done_fn = done;
	a->ud = ud;
	d.ud = a;
	if (auth_make_dummy(a, err) < 0)
		return -1;
	return pool_start(&a->pool, loop, &d, err);
}

void
auth_stop(struct srv_auth *a)
{
	if (a == NULL)
		return;
	pool_stop(a->pool);
	sodium_memzero(a->dummy, sizeof a->dummy);
	free(a);
}

int
auth_submit(struct srv_auth *a, struct auth_job *job, struct hr_error *err)
{
	if (pool_submit(a->pool, &job->link) < 0)
		return hr_errorf(err, HR_E_BUSY, "login.queue_full",
		    "too many logins in progress; try again in a few seconds");
	return 0;
}

const char *
auth_dummy_hash(const struct srv_auth *a)
{
	return a->dummy;
}

size_t
auth_pending(const struct srv_auth *a)
{
	return a ? pool_pending(a->pool) : 0;
}
