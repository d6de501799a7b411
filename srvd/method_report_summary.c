/*
 * method_report_summary.c — `report.summary` {} -> counts of applications
 * per hromada and status within the caller's scope (an oblast, or the
 * country for the ministry).  Aggregates only: no person appears, so
 * nothing is audited and the reply does not wait for a commit.
 *
 * The query is here rather than in db/ because no db/ function aggregates
 * by hromada yet; it only reads the denormalised territory ids of
 * `applications` (db/migrations/001_init.sql) and should move to a
 * db/report.c when reporting grows (periods, services, dynamics).
 */
#include "srvd/method.h"

#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/journal.h"
#include "proto/roles.h"
#include "proto/rpc.h"
#include "srvd/conn.h"
#include "srvd/server.h"

const struct hr_schema method_report_summary_params = { NULL, 0 };

#define SUMMARY_SELECT \
	"SELECT a.hromada_id, t.name, a.status, count(*) FROM applications a " \
	"JOIN territories t ON t.id = a.hromada_id "
#define SUMMARY_GROUP " GROUP BY a.hromada_id, a.status ORDER BY t.name, a.hromada_id"

/* One query per scope column; ALL binds nothing. */
static const char *const summary_sql[] = {
	[DB_SCOPE_FRONT_OFFICE] = SUMMARY_SELECT "WHERE a.front_office_id = ?1" SUMMARY_GROUP,
	[DB_SCOPE_HROMADA]      = SUMMARY_SELECT "WHERE a.hromada_id = ?1" SUMMARY_GROUP,
	[DB_SCOPE_SPSZN]        = SUMMARY_SELECT "WHERE a.spszn_id = ?1" SUMMARY_GROUP,
	[DB_SCOPE_OBLAST]       = SUMMARY_SELECT "WHERE a.oblast_id = ?1" SUMMARY_GROUP,
	[DB_SCOPE_ALL]          = SUMMARY_SELECT SUMMARY_GROUP,
};

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
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;

		if ((h = realloc(s->h, cap * sizeof *h)) == NULL)
			return NULL;
		s->h = h;
		s->cap = cap;
	}
	h = &s->h[s->n];
	memset(h, 0, sizeof *h);
	h->id = id;
	if ((h->name = strdup(name ? name : "")) == NULL)
		return NULL;
	s->n++;
	return h;
}

static int
summary_load(struct srv *srv, const struct srv_scope *sc, struct summary *s,
    struct hr_error *err)
{
	struct hromada_counts *h;
	sqlite3_stmt *st;
	int           rc, status;

	if ((st = db_prepare(srv->db, summary_sql[sc->col], err)) == NULL)
		return -1;
	if (sc->col != DB_SCOPE_ALL)
		sqlite3_bind_int64(st, 1, sc->territory_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		status = hr_status_from_name((const char *)sqlite3_column_text(st, 2));
		h = summary_hromada(s, sqlite3_column_int64(st, 0),
		    (const char *)sqlite3_column_text(st, 1));
		if (h == NULL) {
			sqlite3_reset(st);
			return hr_error_set(err, HR_E_INTERNAL, "out of memory");
		}
		if (status < 0)
			continue;
		h->counts[status] += sqlite3_column_int64(st, 3);
		s->totals[status] += sqlite3_column_int64(st, 3);
	}
	if (rc != SQLITE_DONE)
		db_fail(srv->db, err, "report summary");
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
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
	if (summary_load(rq->srv, &rq->conn->sess.scope, &s, err) < 0) {
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
