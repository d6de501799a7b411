/*
 * method_reference_get.c — `reference.get`: the services and document types
 * the intake form offers (DOMAIN.md "Reference data").  No personal data.
 * A client keeps it (on disk too) and revalidates it with the etag
 * (version) it holds: unchanged, the reply is a few bytes (revalidate.h);
 * at login the login itself carries it back when it changed (cached.h).
 */
#include "srvd/method_table.h"

#include "db/reference.h"
#include "proto/mpread.h"
#include "proto/rpc.h"
#include "srvd/cached.h"
#include "srvd/intake.h"
#include "srvd/upload.h"

enum { P_ETAG };

static const struct hr_field fields[] = {
	[P_ETAG] = { "etag", HR_F_INT, HR_F_NULLABLE, 1, INT64_MAX },
};
const struct hr_schema method_reference_get_params = { fields, 1, 0 };

struct ref_ctx {
	struct hr_db      *db;
	struct intake_list list, docs;
	struct hr_error   *err;
};

static int
required_cb(void *ud, const char *code)
{
	struct ref_ctx *c = ud;

	hr_pack_str(&c->docs.pk, code);
	c->docs.n++;
	return 0;
}

static int
service_cb(void *ud, const struct db_service *s)
{
	struct ref_ctx *c = ud;

	intake_list_init(&c->docs);
	if (db_service_required(c->db, s->code, required_cb, c, c->err) < 0) {
		intake_list_destroy(&c->docs);
		return -1;
	}
	msgpack_pack_map(&c->list.pk, 5);
	hr_pack_kv_str(&c->list.pk, "code", s->code);
	hr_pack_kv_str(&c->list.pk, "name", s->name);
	hr_pack_kv_str(&c->list.pk, "short", s->short_name);
	hr_pack_kv_str(&c->list.pk, "system", s->system);
	intake_list_flush(&c->docs, &c->list.pk, "documents");
	c->list.n++;
	return 0;
}

static int
doctype_cb(void *ud, const char *code, const char *name)
{
	struct ref_ctx *c = ud;

	msgpack_pack_map(&c->list.pk, 2);
	hr_pack_kv_str(&c->list.pk, "code", code);
	hr_pack_kv_str(&c->list.pk, "name", name);
	c->list.n++;
	return 0;
}

int
cached_reference(struct hr_db *db, const struct srv_uploads *uploads,
    struct revalidate *rv, struct hr_error *err)
{
	struct ref_ctx c = { .db = db, .err = err };
	struct hr_error inner;

	hr_error_clear(&inner);
	c.err = &inner;
	intake_list_init(&c.list);
	if (db_reference_services(c.db, service_cb, &c, err) < 0) {
		if (inner.code != HR_OK)
			*err = inner;
		intake_list_destroy(&c.list);
		return -1;
	}
	intake_list_flush(&c.list, &rv->pk, "services");
	intake_list_init(&c.list);
	if (db_reference_documents(c.db, doctype_cb, &c, err) < 0) {
		intake_list_destroy(&c.list);
		return -1;
	}
	intake_list_flush(&c.list, &rv->pk, "documents");
	rv->pairs += 2;
	if (uploads != NULL) {          /* the limits a client checks first */
		hr_pack_str(&rv->pk, "uploads");
		msgpack_pack_map(&rv->pk, 3);
		hr_pack_kv_int(&rv->pk, "file_max", uploads->file_max);
		hr_pack_kv_int(&rv->pk, "application_max", uploads->app_max);
		hr_pack_kv_int(&rv->pk, "chunk_max", UPLOAD_CHUNK_MAX);
		rv->pairs++;
	}
	return 0;
}

int
method_reference_get(struct srv_req *rq, struct hr_error *err)
{
	struct revalidate rv;

	revalidate_init(&rv);
	if (cached_reference(rq->db, rq->uploads, &rv, err) < 0) {
		msgpack_sbuffer_destroy(&rv.sb);
		return -1;
	}
	revalidate_finish(&rv, rq->pk, hr_val_int(rq->vals[P_ETAG], 0));
	return 0;
}
