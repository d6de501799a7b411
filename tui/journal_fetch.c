/*
 * journal_fetch.c — asking the server for the journal's rows: the next
 * page (the user's, or a prefetch nobody waits for) and the revalidation
 * of the pages held (see journal_rows.h).  Every request is a background
 * one (app_send_bg): its reply changes the rows whatever screen is
 * current, and the screen is told with APP_EV_DATA.
 */
#include "config.h"

#include "tui/journal_rows.h"

#include <stdlib.h>

#include "proto/method_names.h"
#include "proto/rpc.h"
#include "tui/app.h"
#include "tui/journal_filter.h"
#include "tui/mp.h"

enum jreq_kind { JREQ_FETCH, JREQ_REVALIDATE };

/* What a reply needs to know about its request. */
struct jreq {
	struct app    *a;
	struct jrows  *j;
	unsigned       gen;
	enum jreq_kind kind;
	int64_t        before;
	int            limit;
};

static void
jrows_reply(void *ud, const struct hr_msg *reply, const struct hr_error *err)
{
	struct jreq *q = ud;
	struct jrows *j = q->j;
	struct app *a = q->a;
	int waiting = 0;

	if (j->gen != q->gen) {          /* reset meanwhile: not ours any more */
		free(q);
		return;
	}
	if (q->kind == JREQ_FETCH) {
		waiting = j->waiting;
		j->msgid = 0;
		j->waiting = 0;
	} else if (j->reval > 0) {
		j->reval--;
	}
	if (reply != NULL && err->code == HR_OK) {
		j->fetched_at = app_now_ms();
		if (q->kind == JREQ_FETCH)
			jrows_take_page(j, q->before, q->limit, &reply->result);
		else if (!mp_bool(mp_get(&reply->result, "unchanged"), 0))
			jrows_merge_page(j, q->before, &reply->result);
		for (size_t i = 0; i < j->npage; i++)
			if (j->page[i].before == q->before)
				j->page[i].at = j->fetched_at;
	} else if (reply != NULL && waiting) {
		app_status(a, "%s", app_error(err));
	}
	if (waiting)
		app_status_clear_if(a, _("Loading..."));
	free(q);
	if (reply != NULL)
		app_notify_data(a);
}

/* Send journal.list {filter, limit, before?, counts?, etag?, prefetch?}. */
static uint32_t
jrows_send(struct app *a, struct jrows *j, const struct journal_filter *f,
    enum jreq_kind kind, int64_t before, int limit, int64_t etag, int prefetch)
{
	struct jreq *q = malloc(sizeof *q);
	msgpack_packer *pk;
	uint32_t id;

	if (q == NULL)
		return 0;
	*q = (struct jreq){ a, j, j->gen, kind, before, limit };
	pk = app_begin(a, HR_M_JOURNAL_LIST);
	msgpack_pack_map(pk, 1 + (before != 0) + (before == 0) + (etag != 0) +
	    (prefetch != 0) + jfilter_nparams(f));
	hr_pack_kv_int(pk, "limit", limit);
	if (before != 0)
		hr_pack_kv_int(pk, "before", before);
	else                             /* the first page brings the counts */
		hr_pack_kv_bool(pk, "counts", 1);
	if (etag != 0)
		hr_pack_kv_int(pk, "etag", etag);
	if (prefetch)
		hr_pack_kv_bool(pk, "prefetch", 1);
	jfilter_pack(f, pk);
	if ((id = app_send_bg(a, jrows_reply, q)) == 0)
		free(q);
	return id;
}

int
jrows_fetch(struct app *a, struct jrows *j, const struct journal_filter *f,
    int limit, int prefetch)
{
	if (j->msgid != 0) {
		if (!prefetch)
			jrows_wait(a, j);
		return 0;
	}
	if (!jrows_more(j))
		return -1;
	j->by_clock = f->clock != JF_CLOCK_ANY;
	if (limit < 1)
		limit = 1;
	if (limit > 100)
		limit = 100;
	j->msgid = jrows_send(a, j, f, JREQ_FETCH, j->loaded ? j->next : 0,
	    limit, 0, prefetch);
	if (j->msgid == 0)
		return -1;
	if (!prefetch)
		jrows_wait(a, j);
	return 0;
}

void
jrows_wait(struct app *a, struct jrows *j)
{
	if (j->msgid == 0 || j->waiting)
		return;
	j->waiting = 1;
	app_status(a, "%s", _("Loading..."));
}

void
jrows_stale(struct jrows *j)
{
	for (size_t i = 0; i < j->npage; i++)
		j->page[i].at = 0;
}

int
jrows_revalidate(struct app *a, struct jrows *j, const struct journal_filter *f)
{
	long now = app_now_ms();

	if (j->msgid != 0 || j->reval != 0 || !j->loaded)
		return -1;
	for (size_t i = 0; i < j->npage; i++)
		if ((j->page[i].at == 0 || now - j->page[i].at >= JROWS_FRESH_MS) &&
		    jrows_send(a, j, f, JREQ_REVALIDATE, j->page[i].before,
		    j->page[i].limit, j->page[i].etag, 0) != 0)
			j->reval++;
	return 0;
}
