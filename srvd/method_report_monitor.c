/*
 * method_report_monitor.c — `report.monitor` {territory, days, month,
 * hromadas}: which back offices and hromadas under a territory of the
 * caller's scope are connected and which use the system, by the
 * territory's children ranked by coverage, and optionally each hromada's
 * cases accepted in a month (db/monitor.h).  For the oblast and ministry
 * roles; offices only, no person: not audited.
 */
#include "srvd/method_table.h"

#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "db/monitor.h"
#include "db/reports.h"
#include "proto/mpread.h"
#include "proto/roles.h"
#include "proto/rpc.h"
#include "srvd/conf.h"
#include "srvd/scope.h"
#include "srvd/session.h"

enum { P_TERRITORY, P_DAYS, P_MONTH, P_HROMADAS };

static const struct hr_field fields[] = {
	[P_TERRITORY] = { "territory", HR_F_INT,  HR_F_NULLABLE, 1, INT64_MAX },
	[P_DAYS]      = { "days",      HR_F_INT,  HR_F_NULLABLE, 1, 366 },
	[P_MONTH]     = { "month",     HR_F_STR,  HR_F_NULLABLE, 0, 7 },
	[P_HROMADAS]  = { "hromadas",  HR_F_BOOL, HR_F_NULLABLE, 0, 0 },
};
const struct hr_schema method_report_monitor_params = { fields, 4, 0 };

static void
pack_counts(msgpack_packer *pk, const struct db_mon_counts *c, int extra)
{
	msgpack_pack_map(pk, 8 + (uint32_t)extra);
	hr_pack_kv_int(pk, "spszn", c->spszn);
	hr_pack_kv_int(pk, "spszn_connected", c->spszn_connected);
	hr_pack_kv_int(pk, "spszn_using", c->spszn_using);
	hr_pack_kv_int(pk, "hromadas", c->hromadas);
	hr_pack_kv_int(pk, "hromadas_connected", c->hromadas_connected);
	hr_pack_kv_int(pk, "hromadas_using", c->hromadas_using);
	hr_pack_kv_int(pk, "hromadas_accepting", c->hromadas_accepting);
	hr_pack_kv_int(pk, "accepted", c->accepted);
}

static void
pack_monitor(msgpack_packer *pk, const struct db_monitor *m, int days,
    int with_hromadas)
{
	char month[16];

	snprintf(month, sizeof month, "%04d-%02d", m->month / 100,
	    m->month % 100);
	msgpack_pack_map(pk, 6 + (uint32_t)(with_hromadas != 0));
	hr_pack_str(pk, "territory");
	msgpack_pack_map(pk, 3);
	hr_pack_kv_int(pk, "id", m->territory_id);
	hr_pack_kv_str(pk, "kind", hr_terr_kind_name(m->kind));
	hr_pack_kv_str(pk, "name", m->name);
	hr_pack_kv_int(pk, "days", days);
	hr_pack_kv_int(pk, "since", m->since);
	hr_pack_kv_str(pk, "month", month);
	hr_pack_str(pk, "totals");
	pack_counts(pk, &m->totals, 0);
	hr_pack_str(pk, "rows");
	msgpack_pack_array(pk, (uint32_t)m->nrows);
	for (size_t i = 0; i < m->nrows; i++) {
		pack_counts(pk, &m->rows[i].c, 4);
		hr_pack_kv_int(pk, "id", m->rows[i].id);
		hr_pack_kv_str(pk, "kind", hr_terr_kind_name(m->rows[i].kind));
		hr_pack_kv_str(pk, "name", m->rows[i].name);
		hr_pack_kv_int(pk, "rank", m->rows[i].rank);
	}
	if (!with_hromadas)
		return;
	hr_pack_str(pk, "hromadas");
	msgpack_pack_array(pk, (uint32_t)m->nhromadas);
	for (size_t i = 0; i < m->nhromadas; i++) {
		const struct db_mon_hromada *h = &m->hromadas[i];

		msgpack_pack_map(pk, 7);
		hr_pack_kv_int(pk, "id", h->id);
		hr_pack_kv_str(pk, "name", h->name);
		hr_pack_kv_str(pk, "spszn", h->spszn);
		hr_pack_kv_bool(pk, "connected", h->connected);
		hr_pack_kv_bool(pk, "using", h->using);
		hr_pack_kv_int(pk, "last_active", h->last_active);
		hr_pack_kv_int(pk, "accepted", h->accepted);
	}
}

int
method_report_monitor(struct srv_req *rq, struct hr_error *err)
{
	const struct srv_scope *s = &rq->sess->scope;
	const msgpack_object   *mv = rq->vals[P_MONTH];
	struct db_monitor       m;
	int64_t                 want = hr_val_int(rq->vals[P_TERRITORY], 0);
	int64_t                 now = db_now();
	int                     days = (int)hr_val_int(rq->vals[P_DAYS],
	    rq->cfg ? rq->cfg->monitor_using_days : 30);
	int                     with = hr_val_bool(rq->vals[P_HROMADAS], 0);
	int                     month = db_month_add(db_month_of(now), -1);

	if (mv != NULL && mv->type == MSGPACK_OBJECT_STR &&
	    (month = db_month_parse(mv->via.str.ptr, mv->via.str.size)) == 0) {
		hr_errorf(err, HR_E_INVALID, "report.month",
		    "is not a month (YYYY-MM)");
		return hr_error_at(err, "month");
	}
	if (want != 0) {
		int in = scope_has_territory(rq->db, s, want, err);

		if (in < 0)
			return -1;
		if (in == 0)
			return hr_errorf(err, HR_E_NOT_FOUND,
			    "territory.not_found", "territory not found");
	}
	if (db_monitor_build(rq->db, want ? want : s->territory_id,
	    now - (int64_t)days * 86400, month, with, &m, err) < 0)
		return -1;
	pack_monitor(rq->pk, &m, days, with);
	db_monitor_free(&m);
	return 0;
}
