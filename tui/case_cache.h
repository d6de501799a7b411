/*
 * case_cache.h — applications as application.get answered them, kept for
 * a while so that a case fetched ahead of the user (the one under the
 * journal's cursor, after a short pause there) opens at once, and one
 * opened again is only revalidated by etag.
 *
 * A few entries; the least recently used goes first.  They hold persons'
 * data, so a dropped entry is wiped, and the session's end clears them
 * all.  Replies are taken whatever screen is current (background
 * requests); the current screen is told with APP_EV_DATA.
 */
#ifndef TUI_CASE_CACHE_H
#define TUI_CASE_CACHE_H

#include <stdint.h>

#include <msgpack.h>

#include "proto/error.h"

struct app;                       /* tui/app.h */

#define CASE_CACHE_SIZE  6
#define CASE_FRESH_MS    30000    /* younger than this: shown without a check */

enum case_fetch {
	CASE_WAIT,        /* the user waits for it ("Loading...") */
	CASE_PREFETCH,    /* ahead of the user; nobody waits */
	CASE_CHECK,       /* revalidate the copy the user already sees */
};

/*
 * The application.get result held for `id`, or NULL; *age_ms (may be
 * NULL) says how old it is.  Valid until the next call into this module.
 */
const msgpack_object *case_cache_get(int64_t id, long *age_ms);

/*
 * Ask for application `id` (with the etag of the copy held, if any).  A
 * request already in flight for it is not repeated: CASE_WAIT then makes
 * the user wait for it.  0 when a request is in flight now, -1 when none
 * could be sent.
 */
int  case_cache_fetch(struct app *a, int64_t id, enum case_fetch how);

/* Is a request for `id` in flight?  For any id when id is 0. */
int  case_cache_pending(int64_t id);

/*
 * The error of the last request for `id` the user waited for (HR_OK when
 * none); the caller shows it.
 */
const struct hr_error *case_cache_error(int64_t id);

/* Forget prefetches in flight (the user went elsewhere): not `keep`. */
void case_cache_cancel_prefetch(struct app *a, int64_t keep);

/*
 * Drop the copy of `id` (it was just saved: the next open fetches it
 * anew); a request for it in flight is forgotten with it.
 */
void case_cache_forget(struct app *a, int64_t id);

/*
 * Keep `result` (application.get's, e.g. the one application.save's reply
 * carries) as the fresh copy of `id`; a request for it in flight is
 * forgotten.  Not a map: the copy is dropped, as by case_cache_forget.
 */
void case_cache_put(struct app *a, int64_t id, const msgpack_object *result);

/* Drop everything (the session ended): entries wiped, replies ignored. */
void case_cache_clear(struct app *a);

#endif
