/*
 * journal_rows.c — the journal's rows and pages, and how the server's
 * replies change them (see journal_rows.h; journal_fetch.c asks for them).
 *
 * Pages are asked with the server's cursor: `before` = the previous
 * page's `next` (the id of its last row), so a page is an id range, not a
 * position.  That is what makes revalidation merge cleanly: a page asked
 * with {before: B, limit: L} describes every row with an id in
 * [its last id, B) when it is full, or every row below B when it is not
 * (`next` 0), and a changed page replaces exactly the held rows of that
 * range.  A new application at the top makes the first page cover a
 * narrower range; the rows it pushed down stay as they were, so nothing
 * disappears under the user's cursor.
 */
#include "config.h"

#include "tui/journal_rows.h"

#include <stdlib.h>
#include <string.h>

#include "proto/buf.h"
#include "proto/dat.h"
#include "tui/mp.h"

static unsigned jrows_generation;      /* unique across resets */

/* ---- rows ---- */

void
jrow_free(struct jrow *r)
{
	free(r->reg_no);
	free(r->service);
	free(r->applicant);
	memset(r, 0, sizeof *r);
}

static int
jrow_int(const msgpack_object *o, int64_t *out)
{
	if (o->type == MSGPACK_OBJECT_POSITIVE_INTEGER &&
	    o->via.u64 <= (uint64_t)INT64_MAX)
		*out = (int64_t)o->via.u64;
	else if (o->type == MSGPACK_OBJECT_NEGATIVE_INTEGER)
		*out = o->via.i64;
	else
		return -1;
	return 0;
}

/* A string element, or NULL for nil (the copy is owned). */
static int
jrow_str(const msgpack_object *o, char **out, int nullable)
{
	*out = NULL;
	if (o->type == MSGPACK_OBJECT_NIL && nullable)
		return 0;
	if (o->type != MSGPACK_OBJECT_STR)
		return -1;
	return (*out = mp_strdup(o)) != NULL ? 0 : -1;
}

/* Element 8, the decision: nil, or [kind, amount|nil] of a known kind. */
static int
jrow_decision(const msgpack_object *o, struct jrow *r)
{
	char kind[32];
	const msgpack_object *e;

	r->decision = -1;
	if (o->type == MSGPACK_OBJECT_NIL)
		return 0;
	if (o->type != MSGPACK_OBJECT_ARRAY || o->via.array.size < 2)
		return -1;
	e = o->via.array.ptr;
	if (e[0].type != MSGPACK_OBJECT_STR ||
	    (r->decision = hr_decision_from_name(mp_text(&e[0], kind,
	    sizeof kind))) < 0)
		return -1;
	if (e[1].type == MSGPACK_OBJECT_NIL)
		return 0;
	r->has_amount = 1;
	return jrow_int(&e[1], &r->amount);
}

/* Elements 10 (version) and 11 (the clock: nil or [left, state]), when
 * the server sends them; anything else there is taken as no clock. */
static void
jrow_clock(const msgpack_object *arr, struct jrow *r)
{
	const msgpack_object *e = arr->via.array.ptr, *k;
	int64_t left, state;

	if (arr->via.array.size > 10)
		(void)jrow_int(&e[10], &r->version);
	if (arr->via.array.size < 12)
		return;
	k = &e[11];
	if (k->type != MSGPACK_OBJECT_ARRAY || k->via.array.size < 2 ||
	    jrow_int(&k->via.array.ptr[0], &left) != 0 ||
	    jrow_int(&k->via.array.ptr[1], &state) != 0 || state < 0 ||
	    state > 2 || left < -100000 || left > 100000)
		return;
	r->has_clock = 1;
	r->clock_left = (int)left;
	r->clock_state = (int)state;
}

/*
 * [id, reg_no, created_at, status, service, applicant, front_office,
 * package_full, decision, notified, version, clock, ...]: the first ten
 * by position, the next two when there; later elements belong to later
 * versions of the protocol and are ignored here.
 */
int
jrow_read(struct jrow *r, const msgpack_object *arr, const msgpack_object *services)
{
	const msgpack_object *e;
	int64_t st, svc;

	memset(r, 0, sizeof *r);
	if (arr->type != MSGPACK_OBJECT_ARRAY || arr->via.array.size < 10 ||
	    services == NULL || services->type != MSGPACK_OBJECT_ARRAY)
		return -1;
	e = arr->via.array.ptr;
	if (jrow_int(&e[0], &r->id) != 0 || r->id <= 0 ||
	    jrow_str(&e[1], &r->reg_no, 1) != 0 ||
	    jrow_int(&e[2], &r->created_at) != 0 ||
	    jrow_int(&e[3], &st) != 0 ||
	    jrow_int(&e[4], &svc) != 0 || svc < 0 ||
	    (uint64_t)svc >= services->via.array.size ||
	    jrow_str(&services->via.array.ptr[svc], &r->service, 0) != 0 ||
	    jrow_str(&e[5], &r->applicant, 0) != 0 ||
	    jrow_int(&e[6], &r->front_office) != 0 ||
	    e[7].type != MSGPACK_OBJECT_BOOLEAN ||
	    jrow_decision(&e[8], r) != 0 ||
	    e[9].type != MSGPACK_OBJECT_BOOLEAN) {
		jrow_free(r);
		return -1;
	}
	r->status = st >= 0 && st < HR_ST__COUNT ? (int)st : -1;
	r->package_full = e[7].via.boolean;
	r->notified = e[9].via.boolean;
	jrow_clock(arr, r);
	return 0;
}

/* ---- the set ---- */

void
jrows_init(struct jrows *j)
{
	memset(j, 0, sizeof *j);
	j->gen = ++jrows_generation;
}

static void
jrows_drop_rows(struct jrows *j)
{
	for (size_t i = 0; i < j->n; i++)
		jrow_free(&j->row[i]);
	j->n = 0;
}

void
jrows_free(struct jrows *j)
{
	jrows_drop_rows(j);
	free(j->row);
	free(j->page);
	jrows_init(j);
}

void
jrows_reset(struct jrows *j)
{
	jrows_drop_rows(j);
	j->npage = 0;
	j->next = 0;
	j->loaded = 0;
	j->msgid = 0;
	j->waiting = 0;
	j->reval = 0;
	memset(j->counts, 0, sizeof j->counts);
	j->total = 0;
	j->untold = 0;
	j->late = 0;
	j->gen = ++jrows_generation;
}

int
jrows_more(const struct jrows *j)
{
	return !j->loaded || j->next != 0;
}

long
jrows_find(const struct jrows *j, int64_t id)
{
	for (size_t i = 0; i < j->n; i++)
		if (j->row[i].id == id)
			return (long)i;
	return -1;
}

void
jrows_set_status(struct jrows *j, int64_t id, int status)
{
	long i = jrows_find(j, id);

	if (i >= 0)
		j->row[i].status = status;
}

static int
jrows_reserve(struct jrows *j, size_t more)
{
	if (j->n + more > j->cap) {
		size_t ncap = j->cap ? j->cap : 64;
		struct jrow *nr;
		while (ncap < j->n + more)
			ncap *= 2;
		if ((nr = realloc(j->row, ncap * sizeof *nr)) == NULL)
			return -1;
		j->row = nr;
		j->cap = ncap;
	}
	return 0;
}

static int
jrows_add_page(struct jrows *j, int64_t before, int limit, int64_t etag)
{
	struct jpage *np = hr_grow(j->page, &j->cappage, j->npage, sizeof *np,
	    8);

	if (np == NULL)
		return -1;
	j->page = np;
	j->page[j->npage++] = (struct jpage){ before, limit, etag, j->n, 0 };
	return 0;
}

/* A reply's `counts` by status code, and the scope's `unnotified`. */
static void
jrows_read_counts(struct jrows *j, const msgpack_object *res)
{
	const msgpack_object *counts = mp_get(res, "counts");

	if (counts == NULL || counts->type != MSGPACK_OBJECT_ARRAY)
		return;
	j->untold = mp_int(mp_get(res, "unnotified"), 0);
	j->late = mp_int(mp_get(res, "late"), 0);
	memset(j->counts, 0, sizeof j->counts);
	j->total = 0;
	for (uint32_t i = 0; i < counts->via.array.size; i++) {
		int64_t n = mp_int(&counts->via.array.ptr[i], 0);
		if (i < HR_ST__COUNT)
			j->counts[i] = n;
		j->total += n;
	}
}

/*
 * The rows of a reply, read into a fresh array (n of them).  Malformed
 * rows are skipped: the others are still worth showing.
 */
static struct jrow *
jrows_parse(const msgpack_object *result, size_t *n)
{
	const msgpack_object *rows = mp_get(result, "rows");
	const msgpack_object *svc = mp_get(result, "services");
	uint32_t cnt = rows && rows->type == MSGPACK_OBJECT_ARRAY ?
	    rows->via.array.size : 0;
	struct jrow *out = calloc(cnt ? cnt : 1, sizeof *out);

	*n = 0;
	if (out == NULL)
		return NULL;
	for (uint32_t i = 0; i < cnt; i++)
		if (jrow_read(&out[*n], &rows->via.array.ptr[i], svc) == 0)
			(*n)++;
	return out;
}

/* A next page: its rows go after the held ones (ids only ever fall). */
int
jrows_put(struct jrows *j, const msgpack_object *page, int insert)
{
	size_t n = 0, at;
	struct jrow *rows;
	long i;

	if (page == NULL || page->type != MSGPACK_OBJECT_MAP || !j->loaded ||
	    (rows = jrows_parse(page, &n)) == NULL)
		return 0;
	if (n != 1) {
		for (size_t k = 0; k < n; k++)
			jrow_free(&rows[k]);
		free(rows);
		return 0;
	}
	if ((i = jrows_find(j, rows[0].id)) >= 0) {
		jrow_free(&j->row[i]);
		j->row[i] = rows[0];
		free(rows);
		return 0;
	}
	for (at = 0; at < j->n && j->row[at].id > rows[0].id; at++)
		;
	/* Below the rows held, it belongs to a page still to come. */
	if (!insert || (at == j->n && jrows_more(j)) ||
	    jrows_reserve(j, 1) != 0) {
		jrow_free(&rows[0]);
		free(rows);
		return 0;
	}
	memmove(&j->row[at + 1], &j->row[at], (j->n - at) * sizeof *j->row);
	j->row[at] = rows[0];
	j->n++;
	/* It belongs to the page above a boundary it lands on. */
	for (size_t p = 1; p < j->npage; p++)
		if (j->page[p].first >= at)
			j->page[p].first++;
	free(rows);
	if (j->row[at].status >= 0 && j->row[at].status < HR_ST__COUNT) {
		j->counts[j->row[at].status]++;
		j->total++;
	}
	return 1;
}

void
jrows_take_page(struct jrows *j, int64_t before, int limit,
    const msgpack_object *res)
{
	size_t n = 0;
	struct jrow *rows = jrows_parse(res, &n);
	int64_t last = j->n ? j->row[j->n - 1].id : INT64_MAX;

	if (rows == NULL || jrows_reserve(j, n) != 0 ||
	    jrows_add_page(j, before, limit, mp_int(mp_get(res, "etag"), 0)) != 0) {
		for (size_t i = 0; rows != NULL && i < n; i++)
			jrow_free(&rows[i]);
		free(rows);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		/* newest first, ids fall; in clock order, each id once */
		if (j->by_clock ? jrows_find(j, rows[i].id) < 0 :
		    rows[i].id < last) {
			j->row[j->n++] = rows[i];
			last = rows[i].id;
		} else {
			jrow_free(&rows[i]);
		}
	}
	free(rows);
	j->next = mp_int(mp_get(res, "next"), 0);
	j->loaded = 1;
	jrows_read_counts(j, res);
}

/*
 * In clock order a changed page replaces the rows it brought before (from
 * its first to the next page's first); when its cursor onwards changed,
 * the pages after it go (the journal fetches them again as it scrolls).
 */
static void
jrows_merge_clock(struct jrows *j, size_t pi, struct jrow *rows, size_t n,
    int64_t next)
{
	size_t start = j->page[pi].first, end = pi + 1 < j->npage ?
	    j->page[pi + 1].first : j->n, keep_tail;
	int64_t old_next = pi + 1 < j->npage ? j->page[pi + 1].before : j->next;
	struct jrow *all;

	if (start > j->n)
		start = j->n;
	if (end > j->n || end < start)
		end = j->n;
	keep_tail = next == old_next ? j->n - end : 0;
	if ((all = calloc(start + n + keep_tail + 1, sizeof *all)) == NULL) {
		for (size_t i = 0; i < n; i++)
			jrow_free(&rows[i]);
		return;
	}
	if (start > 0)
		memcpy(all, j->row, start * sizeof *all);
	if (n > 0)
		memcpy(all + start, rows, n * sizeof *all);
	if (keep_tail > 0)
		memcpy(all + start + n, j->row + end, keep_tail * sizeof *all);
	for (size_t i = start; i < j->n; i++)
		if (i < end || !keep_tail)
			jrow_free(&j->row[i]);
	for (size_t p = pi + 1; keep_tail && p < j->npage; p++)
		j->page[p].first = j->page[p].first - end + start + n;
	if (!keep_tail) {
		j->npage = pi + 1;
		j->next = next;
	}
	free(j->row);
	j->row = all;
	j->n = start + n + keep_tail;
	j->cap = j->n + 1;
}

/*
 * A page that changed: its rows replace the held rows of the id range it
 * covers, [last id, before) when full, everything below `before` when not.
 */
void
jrows_merge_page(struct jrows *j, int64_t before, const msgpack_object *res)
{
	size_t n = 0, k = 0;
	struct jrow *rows = jrows_parse(res, &n), *all;
	int64_t next = mp_int(mp_get(res, "next"), 0);
	int64_t hi = before ? before : INT64_MAX;
	int64_t lo = next != 0 && n > 0 ? rows[n - 1].id : INT64_MIN;
	size_t total = j->n + n, pi;

	if (mp_get(res, "rows") == NULL ||
	    mp_get(res, "rows")->type != MSGPACK_OBJECT_ARRAY) {
		free(rows);               /* not a page: nothing to merge */
		return;
	}
	for (pi = 0; pi < j->npage && j->page[pi].before != before; pi++)
		;
	if (pi < j->npage && rows != NULL && j->by_clock) {
		jrows_merge_clock(j, pi, rows, n, next);
		free(rows);
		j->page[pi].etag = mp_int(mp_get(res, "etag"), 0);
		jrows_read_counts(j, res);
		return;
	}
	if (pi == j->npage || rows == NULL ||
	    (all = calloc(total ? total : 1, sizeof *all)) == NULL) {
		for (size_t i = 0; rows != NULL && i < n; i++)
			jrow_free(&rows[i]);
		free(rows);
		return;
	}
	for (size_t i = 0; i < j->n && j->row[i].id >= hi; i++)
		all[k++] = j->row[i];
	for (size_t i = 0; i < n; i++)
		all[k++] = rows[i];
	for (size_t i = 0; i < j->n; i++) {
		if (j->row[i].id < hi && j->row[i].id >= lo)
			jrow_free(&j->row[i]);
		else if (j->row[i].id < lo)
			all[k++] = j->row[i];
	}
	free(rows);
	free(j->row);
	j->row = all;
	j->n = k;
	j->cap = total ? total : 1;
	j->page[pi].etag = mp_int(mp_get(res, "etag"), 0);
	if (next == 0) {                 /* nothing below: later pages are gone */
		j->npage = pi + 1;
		j->next = 0;
	} else if (pi + 1 == j->npage) {
		j->next = next;
	}
	jrows_read_counts(j, res);
}

