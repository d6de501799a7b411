/*
 * monitor.c — connected and using, by the territory's children; the
 * hromadas' accepted cases of a month (monitor.h).
 *
 * One walk down the tree to the hromadas (DB_SUBTREE), and per back office
 * or hromada three index lookups: an enabled user attached to it (or, for
 * a hromada, to one of its front offices), its latest activity
 * (territory_activity), its accepted cases of the month (report_facts).
 * The row a unit counts in is the child of the territory its path starts
 * with.
 */
#include "db/monitor.h"
#include "db/db_priv.h"

#include <stdlib.h>
#include <string.h>

#include "proto/roles.h"

/* Front offices of hromada s (the units' correlated subqueries). */
#define FRONTS_OF_S "SELECT c.id FROM territories c WHERE c.parent_id = " \
	"s.id AND c.kind IN ('cnap', 'starosta') AND s.kind = 'hromada'"

#define UNITS_SQL \
	"WITH RECURSIVE " DB_SUBTREE("s.kind IN ('country', 'oblast', " \
	    "'spszn')") \
	"SELECT s.id, s.kind, t.name, " \
	"CASE WHEN s.depth > 0 THEN CAST(substr(s.path, 13, 12) AS INTEGER) " \
	"ELSE 0 END, " \
	"EXISTS (SELECT 1 FROM users u WHERE u.territory_id = s.id AND " \
	"    NOT u.disabled) OR EXISTS (SELECT 1 FROM users u WHERE " \
	"    u.territory_id IN (" FRONTS_OF_S ") AND NOT u.disabled), " \
	"max(coalesce((SELECT last_at FROM territory_activity WHERE " \
	"    territory_id = s.id), 0), coalesce((SELECT max(a.last_at) FROM " \
	"    territory_activity a WHERE a.territory_id IN (" FRONTS_OF_S \
	"    )), 0)), " \
	"(SELECT coalesce(sum(f.n), 0) FROM report_facts f WHERE " \
	"    f.territory_id = s.id AND f.month = ?2 AND " \
	"    f.measure = 'accepted'), " \
	"(SELECT p.name FROM territories p WHERE p.id = t.parent_id) " \
	"FROM subtree s JOIN territories t ON t.id = s.id " \
	"WHERE s.kind IN ('spszn', 'hromada')"

static const char *
col_text(sqlite3_stmt *st, int col)
{
	const char *s = (const char *)sqlite3_column_text(st, col);

	return s ? s : "";
}

static int
oom(struct hr_error *err)
{
	return hr_error_set(err, HR_E_INTERNAL, "out of memory");
}

/* The territory and its children (the rows, by name). */
static int
monitor_rows(struct hr_db *db, int64_t id, struct db_monitor *m,
    struct hr_error *err)
{
	sqlite3_stmt *st;
	int           rc;

	st = db_prepare(db, "SELECT id, kind, name FROM territories WHERE "
	    "(?1 = 0 AND parent_id IS NULL) OR id = ?1 ORDER BY id LIMIT 1",
	    err);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = db_step_row(db, st, "read the monitored territory", err)) < 0)
		return -1;
	if (rc == 1) {
		m->territory_id = sqlite3_column_int64(st, 0);
		m->kind = hr_terr_kind_from_name(col_text(st, 1));
		m->name = strdup(col_text(st, 2));
		(void)sqlite3_reset(st);
		if (m->name == NULL)
			return oom(err);
	}
	if (rc == 0 || m->kind < HR_TERR_COUNTRY || m->kind > HR_TERR_HROMADA)
		return hr_errorf(err, HR_E_NOT_FOUND, "territory.not_found",
		    "territory not found");
	st = db_prepare(db, "SELECT id, kind, name FROM territories WHERE "
	    "parent_id = ?1 AND kind IN ('oblast', 'spszn', 'hromada') "
	    "ORDER BY name, id", err);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, m->territory_id);
	while ((rc = db_step_row(db, st, "read the monitored rows", err)) == 1) {
		struct db_mon_row *r = realloc(m->rows,
		    (m->nrows + 1) * sizeof *r);

		if (r == NULL) {
			(void)sqlite3_reset(st);
			return oom(err);
		}
		m->rows = r;
		r = &m->rows[m->nrows];
		memset(r, 0, sizeof *r);
		r->id = sqlite3_column_int64(st, 0);
		r->kind = hr_terr_kind_from_name(col_text(st, 1));
		if ((r->name = strdup(col_text(st, 2))) == NULL) {
			(void)sqlite3_reset(st);
			return oom(err);
		}
		m->nrows++;
	}
	return rc < 0 ? -1 : 0;
}

static void
counts_add(struct db_mon_counts *c, int is_spszn, int connected, int using,
    int64_t accepted)
{
	if (is_spszn) {
		c->spszn++;
		c->spszn_connected += connected;
		c->spszn_using += using;
		return;
	}
	c->hromadas++;
	c->hromadas_connected += connected;
	c->hromadas_using += using;
	c->hromadas_accepting += accepted > 0;
	c->accepted += accepted;
}

static int
hromada_add(struct db_monitor *m, sqlite3_stmt *st, int connected, int using)
{
	struct db_mon_hromada *h = realloc(m->hromadas,
	    (m->nhromadas + 1) * sizeof *h);

	if (h == NULL)
		return -1;
	m->hromadas = h;
	h = &m->hromadas[m->nhromadas++];
	memset(h, 0, sizeof *h);
	h->id = sqlite3_column_int64(st, 0);
	h->connected = connected;
	h->using = using;
	h->last_active = sqlite3_column_int64(st, 5);
	h->accepted = sqlite3_column_int64(st, 6);
	h->name = strdup(col_text(st, 2));
	h->spszn = strdup(col_text(st, 7));
	return h->name && h->spszn ? 0 : -1;
}

static int
monitor_units(struct hr_db *db, struct db_monitor *m, int with_hromadas,
    struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, UNITS_SQL, err);
	int           rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, m->territory_id);
	sqlite3_bind_int(st, 2, m->month);
	while ((rc = db_step_row(db, st, "read the offices monitored",
	    err)) == 1) {
		int     is_spszn = strcmp(col_text(st, 1), "spszn") == 0;
		int64_t branch = sqlite3_column_int64(st, 3);
		int     connected = sqlite3_column_int(st, 4) != 0;
		int     using = sqlite3_column_int64(st, 5) >= m->since &&
		    sqlite3_column_int64(st, 5) > 0;
		int64_t accepted = sqlite3_column_int64(st, 6);

		counts_add(&m->totals, is_spszn, connected, using, accepted);
		for (size_t i = 0; i < m->nrows; i++)
			if (m->rows[i].id == branch)
				counts_add(&m->rows[i].c, is_spszn, connected,
				    using, accepted);
		if (with_hromadas && !is_spszn &&
		    hromada_add(m, st, connected, using) < 0) {
			(void)sqlite3_reset(st);
			return oom(err);
		}
	}
	return rc < 0 ? -1 : 0;
}

/* a/b against c/d; a share of nothing (b or d 0) is the lowest. */
static int
share_cmp(int64_t a, int64_t b, int64_t c, int64_t d)
{
	if (b == 0 || d == 0)
		return (b != 0) - (d != 0);
	return (a * d > c * b) - (a * d < c * b);
}

/* Better covered first. */
static int
row_cmp(const void *x, const void *y)
{
	const struct db_mon_row *a = *(const struct db_mon_row *const *)x;
	const struct db_mon_row *b = *(const struct db_mon_row *const *)y;
	int c;

	if ((c = share_cmp(a->c.hromadas_using, a->c.hromadas,
	    b->c.hromadas_using, b->c.hromadas)) != 0 ||
	    (c = share_cmp(a->c.spszn_connected, a->c.spszn,
	    b->c.spszn_connected, b->c.spszn)) != 0)
		return -c;
	if (a->c.hromadas_using != b->c.hromadas_using)
		return a->c.hromadas_using > b->c.hromadas_using ? -1 : 1;
	return strcmp(a->name, b->name);
}

static int
hromada_cmp(const void *x, const void *y)
{
	const struct db_mon_hromada *a = x, *b = y;

	if (a->accepted != b->accepted)
		return a->accepted > b->accepted ? -1 : 1;
	return strcmp(a->name, b->name);
}

static int
monitor_rank(struct db_monitor *m, struct hr_error *err)
{
	struct db_mon_row **order;

	if (m->nrows == 0)
		return 0;
	if ((order = calloc(m->nrows, sizeof *order)) == NULL)
		return oom(err);
	for (size_t i = 0; i < m->nrows; i++)
		order[i] = &m->rows[i];
	qsort(order, m->nrows, sizeof *order, row_cmp);
	for (size_t i = 0; i < m->nrows; i++)
		order[i]->rank = (int)i + 1;
	free(order);
	return 0;
}

int
db_monitor_build(struct hr_db *db, int64_t territory_id, int64_t since,
    int month, int with_hromadas, struct db_monitor *out,
    struct hr_error *err)
{
	memset(out, 0, sizeof *out);
	out->since = since;
	out->month = month;
	if (monitor_rows(db, territory_id, out, err) < 0 ||
	    monitor_units(db, out, with_hromadas, err) < 0 ||
	    monitor_rank(out, err) < 0) {
		db_monitor_free(out);
		return -1;
	}
	if (out->nhromadas > 1)
		qsort(out->hromadas, out->nhromadas, sizeof *out->hromadas,
		    hromada_cmp);
	return 0;
}

void
db_monitor_free(struct db_monitor *m)
{
	free(m->name);
	for (size_t i = 0; i < m->nrows; i++)
		free(m->rows[i].name);
	free(m->rows);
	for (size_t i = 0; i < m->nhromadas; i++) {
		free(m->hromadas[i].name);
		free(m->hromadas[i].spszn);
	}
	free(m->hromadas);
	memset(m, 0, sizeof *m);
}
