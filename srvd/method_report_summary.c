/*
 * method_report_summary.c — `report.summary` {} -> counts of applications
 * per hromada and status within the caller's scope (an oblast, or the
 * country for the ministry).  Aggregates only: no person appears, so
 * nothing is audited and the reply does not wait for a commit.
 * The counting is db/report.c's; this file gathers its rows per hromada
 * and packs them.
 */
#include "srvd/method_table.h"

#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/journal.h"
#include "db/report.h"
#include "proto/buf.h"
#include "proto/roles.h"
#include "proto/rpc.h"
#include "srvd/session.h"

const struct hr_schema method_report_summary_params = { NULL, 0, 0 };

struct hromada_counts {
	int64_t id;
	char   *name;
	int64_t counts[HR_ST__COUNT];
};

struct summary {
	struct hromada_counts *h;
	size_t                 n, cap;
	int64_t                totals[HR_ST__COUNT];
};

static void
summary_free(struct summary *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->h[i].name);
	free(s->h);
}

/* The row's hromada: the last one if the same (rows come grouped). */
static struct hromada_counts *
summary_hromada(struct summary *s, int64_t id, const char *name)
{
	struct hromada_counts *h;

	if (s->n > 0 && s->h[s->n - 1].id == id)
		return &s->h[s->n - 1];
	if ((h = hr_grow(s->h, &s->cap, s->n, sizeof *h, 64)) == NULL)
		return NULL;
	s->h = h;
	h = &s->h[s->n];
	memset(h, 0, sizeof *h);
	h->id = id;
	if ((h->name = strdup(name ? name : "")) == NULL)
		return NULL;
	s->n++;
	return h;
}

/* db_report_fn: fold one (hromada, status, count) row into the summary. */
static int
summary_row(void *ud, int64_t hromada_id, const char *name, int status,
    int64_t count)
{
	struct summary        *s = ud;
	struct hromada_counts *h = summary_hromada(s, hromada_id, name);

	if (h == NULL)
		return -1;
	if (status >= 0) {
		h->counts[status] += count;
		s->totals[status] += count;
	}
	return 0;
}

static int
summary_load(struct hr_db *db, const struct srv_scope *sc, struct summary *s,
    struct hr_error *err)
{
	int64_t scope = sc->col == DB_SCOPE_ALL ? 0 : sc->territory_id;

	return db_report_by_hromada(db, scope, summary_row, s, err);
}

static void
pack_counts(msgpack_packer *pk, const char *key, const int64_t counts[])
{
	hr_pack_str(pk, key);
	msgpack_pack_map(pk, HR_ST__COUNT);
	for (int st = 0; st < HR_ST__COUNT; st++)
		hr_pack_kv_int(pk, hr_status_name(st), counts[st]);
}

int
method_report_summary(struct srv_req *rq, struct hr_error *err)
{
	struct summary  s;
	msgpack_packer *pk = rq->pk;

	memset(&s, 0, sizeof s);
	if (summary_load(rq->db, &rq->sess->scope, &s, err) < 0) {
		summary_free(&s);
		return -1;
	}
	msgpack_pack_map(pk, 3);
	hr_pack_kv_int(pk, "generated_at", db_now());
	hr_pack_str(pk, "hromadas");
	msgpack_pack_array(pk, (uint32_t)s.n);
	for (size_t i = 0; i < s.n; i++) {
		msgpack_pack_map(pk, 3);
		hr_pack_kv_int(pk, "id", s.h[i].id);
		hr_pack_kv_str(pk, "name", s.h[i].name);
		pack_counts(pk, "counts", s.h[i].counts);
	}
	pack_counts(pk, "totals", s.totals);
	summary_free(&s);
	return 0;
}
