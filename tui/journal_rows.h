/*
 * journal_rows.h — the journal's rows for the session: what journal.list
 * answered for the current filter, page by page (PROTOCOL.md
 * "journal.list": compact rows).  The journal memo keeps them while other
 * screens come and go, so the journal comes back at once from a case; the
 * next page is fetched ahead of the user (prefetch), and the pages held
 * are revalidated by etag instead of fetched again.
 *
 * Replies are taken whatever screen is current (they are background
 * requests, app_send_bg); the current screen is told with APP_EV_DATA.
 * A reset (another filter, a refresh) bumps a generation number, so a
 * reply to an older request is dropped.
 */
#ifndef TUI_JOURNAL_ROWS_H
#define TUI_JOURNAL_ROWS_H

#include <stddef.h>
#include <stdint.h>

#include <msgpack.h>

#include "proto/roles.h"

struct app;                       /* tui/app.h */
struct journal_filter;            /* journal_filter.h */

/* One application as the journal lists it. */
struct jrow {
	int64_t id;
	char   *reg_no;          /* NULL for a draft */
	int64_t created_at;
	int     status;          /* enum hr_status; -1 unknown */
	char   *service;         /* code (names: refdata) */
	char   *applicant;
	int64_t front_office;    /* territory id (names: refdata) */
	int     package_full;
	int     decision;        /* enum hr_decision when answered, -1 none */
	int     has_amount;
	int64_t amount;          /* kopecks, when has_amount */
	int     notified;        /* the applicant was told of the decision */
	int64_t version;         /* element 10; 0 from an older server */
	int     has_clock;       /* element 11: the stage's clock */
	int     clock_left;      /* working days left, negative: late by */
	int     clock_state;     /* 0 green, 1 amber, 2 red */
};

/* One journal.list request as it was made, to revalidate it later. */
struct jpage {
	int64_t before;          /* its `before`; 0 = the first page */
	int     limit;
	int64_t etag;
	size_t  first;           /* index of its first row in jrows.row */
	long    at;              /* app_now_ms when it came or was checked */
};

struct jrows {
	struct jrow  *row;        /* newest first */
	size_t        n, cap;
	struct jpage *page;
	size_t        npage, cappage;
	int64_t       next;       /* `before` of the page after the last; 0 none */
	int           loaded;     /* the first page has come (n may be 0) */
	int64_t       counts[HR_ST__COUNT];
	int64_t       total;      /* sum of counts */
	int64_t       untold;     /* the scope's decisions not told (cabinet) */
	int64_t       late;       /* the scope's cases past their due date */
	int           by_clock;   /* rows in clock order (the cursor is
	                             opaque, ids do not fall): set by the
	                             requests from the filter */
	uint32_t      msgid;      /* the page request in flight, 0 none */
	int           waiting;    /* ... and the user waits for it */
	uint32_t      reval;      /* revalidations in flight */
	long          fetched_at; /* app_now_ms of the last page or check */
	int           shown;      /* the journal was shown in this session
	                             (a new filter keeps it; jrows_free
	                             clears it) */
	unsigned      gen;
};

void jrows_init(struct jrows *j);
void jrows_free(struct jrows *j);

/* Forget every row and drop the replies still to come. */
void jrows_reset(struct jrows *j);

/*
 * Ask for the next page (the first when none came yet) of `limit` rows
 * under filter `f`.  prefetch: nobody waits for it (the audit says so);
 * otherwise the status line says "Loading..." until it comes.  Nothing is
 * sent when a page request is in flight already: a user's fetch then
 * takes over the prefetch (jrows_wait).  0 when a request is in flight
 * now, -1 when none could be sent or there is no next page.
 */
int  jrows_fetch(struct app *a, struct jrows *j, const struct journal_filter *f,
    int limit, int prefetch);

/* The user now waits for the page in flight. */
void jrows_wait(struct app *a, struct jrows *j);

/* Is there a page after the rows held? */
int  jrows_more(const struct jrows *j);

/*
 * Check every page held with its etag (one background request per page,
 * all in one round trip); a page that changed replaces the rows of the id
 * range it covers.  Nothing while pages are still being fetched; a page
 * that came or was checked in the last JROWS_FRESH_MS is not asked about
 * again (the first page that came with the login is shown as it is).
 * -1, nothing asked, while a page is on its way (fetched or checked) or
 * none has come yet: ask again when its reply is in (APP_EV_DATA).
 */
#define JROWS_FRESH_MS 2000
int  jrows_revalidate(struct app *a, struct jrows *j, const struct journal_filter *f);

/*
 * Forget how fresh the pages are: the next jrows_revalidate asks about
 * every page.  For a journal shown again after another screen, where the
 * user may have changed what its pages or counts show (told an applicant,
 * moved a case) however recently the pages came.
 */
void jrows_stale(struct jrows *j);

/* Index of application `id` among the rows, or -1. */
long jrows_find(const struct jrows *j, int64_t id);

/*
 * The row of an application the user just saved (application.save's
 * `journal`: a one-row page, or nil): it replaces the held row with its
 * id, or, with `insert` (the journal is not filtered nor in clock order),
 * goes in among the rows held in id order and counts in the status
 * counts.  Returns 1 when
 * it was inserted as a new row, else 0.
 */
int  jrows_put(struct jrows *j, const msgpack_object *page, int insert);

/* A transition the user made: the row's status follows at once. */
void jrows_set_status(struct jrows *j, int64_t id, int status);

/*
 * A reply to {before, limit}: the rows of a next page go after those held
 * (and the page is remembered with its etag); a revalidated page that
 * changed replaces the held rows of the id range it covers.
 */
void jrows_take_page(struct jrows *j, int64_t before, int limit,
    const msgpack_object *result);
void jrows_merge_page(struct jrows *j, int64_t before,
    const msgpack_object *result);

/*
 * Read one row (a journal.list `rows` element) with the page's `services`
 * list into r (fields owned by r; jrow_free).  0, or -1 when malformed.
 */
int  jrow_read(struct jrow *r, const msgpack_object *arr,
    const msgpack_object *services);
void jrow_free(struct jrow *r);

#endif
