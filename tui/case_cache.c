/*
 * case_cache.c — applications kept for the case screen (see case_cache.h).
 *
 * Each entry keeps the result map's bytes and the object decoded from
 * them.  A request in flight belongs to its entry (msgid); its reply finds
 * the entry by id and generation, so a reply after case_cache_clear or to
 * an entry taken over by another application is dropped.
 *
 * It sends through the app (app.h) and the app clears it at login and
 * logout (app_link.c): a call circle kept on purpose, see app_link.c.
 */
#include "config.h"

#include "tui/case_cache.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "proto/method_names.h"
#include "proto/rpc.h"
#include "tui/app.h"
#include "tui/mp.h"

struct case_req;

struct case_entry {
	int64_t          id;            /* 0: free */
	unsigned         gen;
	msgpack_sbuffer  sb;            /* the result's bytes */
	msgpack_unpacked up;            /* decoded from sb */
	int              have;
	int64_t          etag;
	long             fetched_at;
	long             used_at;
	uint32_t         msgid;         /* request in flight, 0 none */
	struct case_req *req;           /* ... and what its reply gets */
	int              waiting;       /* the user waits for it */
	int              prefetch;      /* it is a prefetch */
	struct hr_error  err;           /* of the last request waited for */
};

struct case_req {
	struct app *a;
	int64_t     id;
	unsigned    gen;
};

static struct case_entry cache[CASE_CACHE_SIZE];
static unsigned          case_generation;

static struct case_entry *
case_find(int64_t id)
{
	for (int i = 0; id != 0 && i < CASE_CACHE_SIZE; i++)
		if (cache[i].id == id)
			return &cache[i];
	return NULL;
}

/* Wipe what an entry holds (persons' data) and free it. */
static void
case_forget_copy(struct case_entry *e)
{
	if (!e->have)
		return;
	msgpack_unpacked_destroy(&e->up);
	if (e->sb.data != NULL)
		sodium_memzero(e->sb.data, e->sb.size);
	msgpack_sbuffer_destroy(&e->sb);
	e->have = 0;
	e->etag = 0;
}

/* An entry for `id`: its own, a free one, or the least recently used. */
static struct case_entry *
case_slot(int64_t id)
{
	struct case_entry *e = case_find(id), *lru = NULL;

	if (e != NULL)
		return e;
	for (int i = 0; i < CASE_CACHE_SIZE; i++) {
		if (cache[i].id == 0) {
			lru = &cache[i];
			break;
		}
		if (cache[i].msgid == 0 && (lru == NULL || cache[i].used_at < lru->used_at))
			lru = &cache[i];
	}
	if (lru == NULL)
		return NULL;           /* every entry has a request in flight */
	case_forget_copy(lru);
	memset(lru, 0, sizeof *lru);
	lru->id = id;
	lru->gen = ++case_generation;
	hr_error_clear(&lru->err);
	return lru;
}

const msgpack_object *
case_cache_get(int64_t id, long *age_ms)
{
	struct case_entry *e = case_find(id);

	if (e == NULL || !e->have)
		return NULL;
	e->used_at = app_now_ms();
	if (age_ms != NULL)
		*age_ms = e->used_at - e->fetched_at;
	return &e->up.data;
}

/* Keep a copy of `result`. */
static void
case_take(struct case_entry *e, const msgpack_object *result)
{
	msgpack_packer pk;
	size_t off = 0;

	case_forget_copy(e);
	msgpack_sbuffer_init(&e->sb);
	msgpack_packer_init(&pk, &e->sb, msgpack_sbuffer_write);
	msgpack_unpacked_init(&e->up);
	e->have = 1;
	if (msgpack_pack_object(&pk, *result) != 0 || e->sb.data == NULL ||
	    msgpack_unpack_next(&e->up, e->sb.data, e->sb.size, &off) !=
	    MSGPACK_UNPACK_SUCCESS) {
		case_forget_copy(e);
		return;
	}
	e->etag = mp_int(mp_get(result, "etag"), 0);
}

static void
case_reply(void *ud, const struct hr_msg *reply, const struct hr_error *err)
{
	struct case_req *q = ud;
	struct case_entry *e = case_find(q->id);
	struct app *a = q->a;
	unsigned gen = q->gen;
	int waiting;

	free(q);
	if (e == NULL || e->gen != gen)
		return;                  /* cleared, or the slot went elsewhere */
	waiting = e->waiting;
	e->msgid = 0;
	e->req = NULL;
	e->waiting = e->prefetch = 0;
	if (reply == NULL)
		return;                  /* the link dropped: nothing to show */
	if (err->code == HR_OK) {
		e->fetched_at = app_now_ms();
		if (!(mp_bool(mp_get(&reply->result, "unchanged"), 0) && e->have &&
		    e->etag == mp_int(mp_get(&reply->result, "etag"), -1)))
			case_take(e, &reply->result);
		hr_error_clear(&e->err);
	} else if (waiting) {
		e->err = *err;           /* the screen shows it */
	}
	if (waiting)
		app_status_clear_if(a, _("Loading..."));
	app_notify_data(a);
}

int
case_cache_fetch(struct app *a, int64_t id, enum case_fetch how)
{
	struct case_entry *e = case_slot(id);
	struct case_req *q;
	msgpack_packer *pk;

	if (e == NULL)
		return -1;
	if (e->msgid == 0) {
		if ((q = malloc(sizeof *q)) == NULL)
			return -1;
		*q = (struct case_req){ a, id, e->gen };
		pk = app_begin(a, HR_M_APPLICATION_GET);
		msgpack_pack_map(pk, 1 + (e->etag != 0) + (how == CASE_PREFETCH));
		hr_pack_kv_int(pk, "id", id);
		if (e->etag != 0)
			hr_pack_kv_int(pk, "etag", e->etag);
		if (how == CASE_PREFETCH)
			hr_pack_kv_bool(pk, "prefetch", 1);
		if ((e->msgid = app_send_bg(a, case_reply, q)) == 0) {
			free(q);
			return -1;
		}
		e->req = q;
		e->prefetch = how == CASE_PREFETCH;
	}
	e->used_at = app_now_ms();
	hr_error_clear(&e->err);
	if (how == CASE_WAIT && !e->waiting) {
		e->waiting = 1;
		e->prefetch = 0;
		app_status(a, "%s", _("Loading..."));
	}
	return 0;
}

int
case_cache_pending(int64_t id)
{
	for (int i = 0; i < CASE_CACHE_SIZE; i++)
		if (cache[i].msgid != 0 && (id == 0 || cache[i].id == id))
			return 1;
	return 0;
}

const struct hr_error *
case_cache_error(int64_t id)
{
	static struct hr_error none;
	struct case_entry *e = case_find(id);

	return e != NULL ? &e->err : &none;
}

void
case_cache_cancel_prefetch(struct app *a, int64_t keep)
{
	for (int i = 0; i < CASE_CACHE_SIZE; i++) {
		struct case_entry *e = &cache[i];
		if (e->msgid == 0 || !e->prefetch || e->id == keep)
			continue;
		app_cancel(a, e->msgid);          /* its callback will not run */
		free(e->req);
		e->req = NULL;
		e->msgid = 0;
		e->prefetch = 0;
	}
}

void
case_cache_forget(struct app *a, int64_t id)
{
	struct case_entry *e = case_find(id);

	if (e == NULL)
		return;
	if (e->msgid != 0) {
		app_cancel(a, e->msgid);          /* its callback will not run */
		free(e->req);
	}
	case_forget_copy(e);
	memset(e, 0, sizeof *e);
}

void
case_cache_put(struct app *a, int64_t id, const msgpack_object *result)
{
	struct case_entry *e;

	case_cache_forget(a, id);
	if (id <= 0 || result == NULL || result->type != MSGPACK_OBJECT_MAP ||
	    (e = case_slot(id)) == NULL)
		return;
	case_take(e, result);
	e->fetched_at = e->used_at = app_now_ms();
}

void
case_cache_clear(struct app *a)
{
	for (int i = 0; i < CASE_CACHE_SIZE; i++) {
		if (cache[i].msgid != 0 && a != NULL) {
			app_cancel(a, cache[i].msgid);
			free(cache[i].req);
		}
		case_forget_copy(&cache[i]);
		memset(&cache[i], 0, sizeof cache[i]);
	}
	case_generation++;
}
