/*
 * method_dat_export.c — `dat.export`: the back office writes its checked
 * applications of one decision system into a numbered *.DAT file.
 *
 * The work is db/dat_export.h's (hromadactl's `dat export` runs the same),
 * in the request's savepoint, so it is all or nothing, in the name of the
 * session's user.  The reply carries the file itself.  With `ids` (the
 * journal's marked set) exactly those are judged row by row; `dry_run`
 * only says what would go where (the confirmation's counts).
 */
#include "srvd/method_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/dat_export.h"
#include "proto/mpread.h"
#include "proto/rpc.h"
#include "srvd/dat.h"

enum { P_SYSTEM, P_CHARSET, P_IDS, P_VERSIONS, P_DRY_RUN };

static const struct hr_field fields[] = {
	[P_SYSTEM]   = { "system",   HR_F_STR,   HR_F_NULLABLE, 0, HR_DAT_SYSTEM_MAX - 1 },
	[P_CHARSET]  = { "charset",  HR_F_STR,   HR_F_NULLABLE, 0, 16 },
	[P_IDS]      = { "ids",      HR_F_ARRAY, HR_F_NULLABLE, 1, DB_DAT_EXPORT_IDS_MAX },
	[P_VERSIONS] = { "versions", HR_F_ARRAY, HR_F_NULLABLE, 1, DB_DAT_EXPORT_IDS_MAX },
	[P_DRY_RUN]  = { "dry_run",  HR_F_BOOL,  HR_F_NULLABLE, 0, 0 },
};
const struct hr_schema method_dat_export_params = { fields, 5, 0 };

/* ids (and versions, as many) into arrays the caller frees. */
static int
export_ids(struct srv_req *rq, int64_t **ids, int64_t **versions, size_t *n,
    struct hr_error *err)
{
	const msgpack_object *a = rq->vals[P_IDS], *v = rq->vals[P_VERSIONS];
	static const char *const keys[] = { "ids", "versions" };

	*ids = *versions = NULL;
	*n = 0;
	if (a == NULL)
		return v == NULL ? 0 : (hr_errorf(err, HR_E_INVALID,
		    "dat.versions_alone", "versions go with ids"),
		    hr_error_at(err, "versions"));
	if (v != NULL && v->via.array.size != a->via.array.size)
		return hr_errorf(err, HR_E_INVALID, "dat.versions_count",
		    "one version for each id"), hr_error_at(err, "versions");
	*n = a->via.array.size;
	*ids = calloc(*n, sizeof **ids);
	*versions = v != NULL ? calloc(*n, sizeof **versions) : NULL;
	if (*ids == NULL || (v != NULL && *versions == NULL))
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	for (int k = 0; k < 2; k++) {
		const msgpack_object *arr = k ? v : a;
		int64_t *out = k ? *versions : *ids;

		for (uint32_t i = 0; arr != NULL && i < arr->via.array.size;
		    i++) {
			const msgpack_object *o = &arr->via.array.ptr[i];

			if (o->type != MSGPACK_OBJECT_POSITIVE_INTEGER ||
			    o->via.u64 > INT64_MAX || (k == 0 && o->via.u64 == 0))
				return hr_errorf(err, HR_E_INVALID,
				    "dat.ids_item", "item {n} must be a "
				    "positive integer", HR_INT("n", i + 1)),
				    hr_error_at(err, keys[k]);
			out[i] = (int64_t)o->via.u64;
		}
	}
	return 0;
}

static int
export_params(struct srv_req *rq, struct db_dat_export *x, char *system,
    char *office, struct hr_error *err)
{
	const msgpack_object *cs = rq->vals[P_CHARSET];

	x->dry_run = hr_val_bool(rq->vals[P_DRY_RUN], 0);
	if (rq->vals[P_SYSTEM] == NULL && !x->dry_run)
		return hr_errorf(err, HR_E_PARAMS, "params.required",
		    "field '{key}' is required", HR_STR("key", "system"));
	if (rq->vals[P_SYSTEM] != NULL) {
		snprintf(system, HR_DAT_SYSTEM_MAX, "%.*s",
		    (int)rq->vals[P_SYSTEM]->via.str.size,
		    rq->vals[P_SYSTEM]->via.str.ptr);
		x->system = system;
	}
	x->office = office;
	x->charset = HR_DAT_UTF8;
	if (cs != NULL && hr_val_str_eq(cs, "CP1251"))
		x->charset = HR_DAT_CP1251;
	else if (cs != NULL && !hr_val_str_eq(cs, "UTF-8"))
		return hr_errorf(err, HR_E_INVALID, "dat.charset",
		    "UTF-8 or CP1251"), hr_error_at(err, "charset");
	if (dat_office(rq, &x->spszn_id, office, HR_DAT_OFFICE_MAX, err) < 0)
		return -1;
	if (x->system != NULL && db_dat_system_check(rq->db, system, err) < 0)
		return hr_error_at(err, "system");
	return 0;
}

/* [[id, error], ...] of a chosen set */
static void
pack_refused(msgpack_packer *pk, const struct db_dat_export *x)
{
	struct hr_error e;

	hr_pack_str(pk, "refused");
	msgpack_pack_array(pk, x->nrefused);
	for (size_t i = 0; i < x->nrefused; i++) {
		msgpack_pack_array(pk, 2);
		msgpack_pack_int64(pk, x->refused[i].id);
		hr_error_clear(&e);
		db_dat_refusal_error(&x->refused[i], x->system, &e);
		hr_rpc_pack_error_obj(pk, &e);
	}
}

static void
plan_reply(struct srv_req *rq, const struct db_dat_export *x)
{
	msgpack_packer *pk = rq->pk;

	msgpack_pack_map(pk, 2);
	hr_pack_str(pk, "systems");
	msgpack_pack_array(pk, x->nplan);
	for (size_t i = 0; i < x->nplan; i++) {
		msgpack_pack_map(pk, 3);
		hr_pack_kv_str(pk, "system", x->plan[i].system);
		hr_pack_kv_int(pk, "count", (int64_t)x->plan[i].count);
		hr_pack_kv_int(pk, "partial", (int64_t)x->plan[i].partial);
	}
	pack_refused(pk, x);
}

static void
export_reply(struct srv_req *rq, const struct db_dat_export *x)
{
	msgpack_packer *pk = rq->pk;

	msgpack_pack_map(pk, x->ids != NULL ? 8 : 6);
	if (x->ids != NULL) {
		pack_refused(pk, x);
		hr_pack_str(pk, "left");
		msgpack_pack_array(pk, x->nleft);
		for (size_t i = 0; i < x->nleft; i++)
			msgpack_pack_int64(pk, x->left[i]);
	}
	hr_pack_kv_int(pk, "file_id", x->file_id);
	hr_pack_kv_str(pk, "name", x->name);
	hr_pack_kv_int(pk, "number", x->number);
	hr_pack_kv_int(pk, "count", x->count);
	hr_pack_kv_int(pk, "remaining", (int64_t)x->remaining);
	hr_pack_str(pk, "data");
	msgpack_pack_bin(pk, hr_buf_used(&x->file));
	msgpack_pack_bin_body(pk, hr_buf_head(&x->file), hr_buf_used(&x->file));
}

int
method_dat_export(struct srv_req *rq, struct hr_error *err)
{
	struct db_dat_export x;
	struct db_dat_actor who;
	char system[HR_DAT_SYSTEM_MAX], office[HR_DAT_OFFICE_MAX];
	int64_t *ids = NULL, *versions = NULL;
	int rc;

	memset(&x, 0, sizeof x);
	dat_actor(rq, &who);
	rc = export_params(rq, &x, system, office, err);
	if (rc == 0 && (rc = export_ids(rq, &ids, &versions, &x.nids,
	    err)) == 0) {
		x.ids = ids;
		x.versions = versions;
		rc = db_dat_export_run(rq->db, &who, &x, err);
	}
	if (rc == 0 && x.dry_run)
		plan_reply(rq, &x);
	else if (rc == 0)
		export_reply(rq, &x);
	db_dat_export_free(&x);
	free(ids);
	free(versions);
	return rc;
}
