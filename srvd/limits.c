/*
 * limits.c — per-source and per-user counters and the connection token
 * bucket (see limits.h).
 *
 * One chained hash table of entries.  An entry's key is a kind byte ('s'
 * source, 'u' user name, 'k' throttle key) followed by the string, so the
 * three never collide.  The table doubles when it holds twice as many
 * entries as buckets; entries go in limits_sweep, never while counted.
 */
#include "srvd/limits.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#define LIMITS_BUCKETS_MIN 256u

struct entry {
	struct entry *next;         /* hash chain */
	uint64_t      hash;
	unsigned      conns;        /* 's': open connections */
	unsigned      logins;       /* 's', 'u', 'k': logins being verified */
	double        tokens;       /* 's': the connect bucket */
	double        stamp;        /* 's': when tokens was last refilled */
	size_t        len;
	char          key[];        /* kind byte + string, NUL-terminated */
};

struct srv_limits {
	struct srv_limits_conf conf;
	uint8_t                hkey[crypto_shorthash_KEYBYTES];
	struct entry         **buckets;
	size_t                 nbuckets, count;
};

struct srv_limits *
limits_new(const struct srv_limits_conf *conf)
{
	struct srv_limits *l = calloc(1, sizeof *l);

	if (l == NULL)
		return NULL;
	l->conf = *conf;
	l->nbuckets = LIMITS_BUCKETS_MIN;
	if ((l->buckets = calloc(l->nbuckets, sizeof *l->buckets)) == NULL) {
		free(l);
		return NULL;
	}
	crypto_shorthash_keygen(l->hkey);
	return l;
}

void
limits_free(struct srv_limits *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < l->nbuckets; i++)
		while (l->buckets[i] != NULL) {
			struct entry *e = l->buckets[i];

			l->buckets[i] = e->next;
			free(e);
		}
	free(l->buckets);
	free(l);
}

size_t
limits_size(const struct srv_limits *l)
{
	return l->count;
}

/*
 * SipHash of kind + string.  Strings are short (names of at most 64
 * bytes, keys of a few more); a longer one is hashed by its first bytes
 * only, which costs nothing in correctness (keys are compared whole).
 */
static uint64_t
limits_hash(const struct srv_limits *l, char kind, const char *s, size_t n)
{
	uint8_t  out[crypto_shorthash_BYTES], in[256];
	uint64_t h;

	if (n > sizeof in - 1)
		n = sizeof in - 1;
	in[0] = (uint8_t)kind;
	memcpy(in + 1, s, n);
	crypto_shorthash(out, in, n + 1, l->hkey);
	memcpy(&h, out, sizeof h);
	return h;
}

/* Double the table (best effort: a failed allocation keeps the old one). */
static void
limits_grow(struct srv_limits *l)
{
	size_t        n = l->nbuckets * 2;
	struct entry **b = calloc(n, sizeof *b);

	if (b == NULL)
		return;
	for (size_t i = 0; i < l->nbuckets; i++)
		while (l->buckets[i] != NULL) {
			struct entry *e = l->buckets[i];

			l->buckets[i] = e->next;
			e->next = b[e->hash & (n - 1)];
			b[e->hash & (n - 1)] = e;
		}
	free(l->buckets);
	l->buckets = b;
	l->nbuckets = n;
}

/* The entry of (kind, s); created (bucket full at `now`) when `create`. */
static struct entry *
limits_get(struct srv_limits *l, char kind, const char *s, int create,
    double now)
{
	size_t        n = strlen(s);
	uint64_t      h = limits_hash(l, kind, s, n);
	struct entry *e;

	for (e = l->buckets[h & (l->nbuckets - 1)]; e != NULL; e = e->next)
		if (e->hash == h && e->len == n + 1 && e->key[0] == kind &&
		    memcmp(e->key + 1, s, n) == 0)
			return e;
	if (!create || (e = calloc(1, sizeof *e + n + 2)) == NULL)
		return NULL;
	e->hash = h;
	e->len = n + 1;
	e->key[0] = kind;
	memcpy(e->key + 1, s, n + 1);
	e->tokens = l->conf.connect_burst;
	e->stamp = now;
	if (l->count >= l->nbuckets * 2)
		limits_grow(l);
	e->next = l->buckets[h & (l->nbuckets - 1)];
	l->buckets[h & (l->nbuckets - 1)] = e;
	l->count++;
	return e;
}

/* Refill the bucket for the time since it was last looked at. */
static void
limits_refill(const struct srv_limits *l, struct entry *e, double now)
{
	if (now > e->stamp) {
		e->tokens += (now - e->stamp) * l->conf.connect_rate;
		if (e->tokens > l->conf.connect_burst)
			e->tokens = l->conf.connect_burst;
	}
	e->stamp = now;
}

enum limits_verdict
limits_conn_admit(struct srv_limits *l, const char *source, double now)
{
	struct entry *e = limits_get(l, 's', source, 1, now);

	if (e == NULL)
		return LIMITS_NOMEM;
	limits_refill(l, e, now);
	if (e->conns >= (unsigned)l->conf.max_conns)
		return LIMITS_CONNS;
	if (e->tokens < 1.0)
		return LIMITS_RATE;
	e->tokens -= 1.0;
	e->conns++;
	return LIMITS_OK;
}

void
limits_conn_release(struct srv_limits *l, const char *source)
{
	struct entry *e = limits_get(l, 's', source, 0, 0);

	if (e != NULL && e->conns > 0)
		e->conns--;
}

unsigned
limits_conn_count(struct srv_limits *l, const char *source)
{
	struct entry *e = limits_get(l, 's', source, 0, 0);

	return e != NULL ? e->conns : 0;
}

int
limits_login_admit(struct srv_limits *l, const char *source, const char *user,
    struct hr_error *err)
{
	struct entry *s = limits_get(l, 's', source, 1, 0);
	struct entry *u = limits_get(l, 'u', user, 1, 0);

	if (s == NULL || u == NULL)
		return hr_errorf(err, HR_E_BUSY, "server.memory",
		    "the server is short of memory; try again");
	if (u->logins >= (unsigned)l->conf.logins_user)
		return hr_errorf(err, HR_E_BUSY, "login.in_flight",
		    "logins of this account are being checked; try again in "
		    "a moment");
	if (s->logins >= (unsigned)l->conf.logins_source)
		return hr_errorf(err, HR_E_BUSY, "login.source_busy",
		    "too many logins from your network are being checked; "
		    "try again in a moment");
	s->logins++;
	u->logins++;
	return 0;
}

void
limits_login_release(struct srv_limits *l, const char *source,
    const char *user)
{
	struct entry *s = limits_get(l, 's', source, 0, 0);
	struct entry *u = limits_get(l, 'u', user, 0, 0);

	if (s != NULL && s->logins > 0)
		s->logins--;
	if (u != NULL && u->logins > 0)
		u->logins--;
}

int
limits_key_add(struct srv_limits *l, const char *key, int delta)
{
	struct entry *e = limits_get(l, 'k', key, delta > 0, 0);

	if (e == NULL)
		return delta > 0 ? -1 : 0;
	if (delta < 0 && e->logins < (unsigned)-delta)
		e->logins = 0;
	else
		e->logins += (unsigned)delta;
	return 0;
}

unsigned
limits_key_count(struct srv_limits *l, const char *key)
{
	struct entry *e = limits_get(l, 'k', key, 0, 0);

	return e != NULL ? e->logins : 0;
}

void
limits_sweep(struct srv_limits *l, double now)
{
	for (size_t i = 0; i < l->nbuckets; i++) {
		struct entry **pp = &l->buckets[i];

		while (*pp != NULL) {
			struct entry *e = *pp;

			if (e->key[0] == 's')
				limits_refill(l, e, now);
			if (e->conns == 0 && e->logins == 0 &&
			    (e->key[0] != 's' ||
			    e->tokens >= l->conf.connect_burst)) {
				*pp = e->next;
				free(e);
				l->count--;
			} else
				pp = &e->next;
		}
	}
}
