/*
 * refdata.c — the reference data cache (see refdata.h).  One cache per
 * client process, tagged with the server and user it belongs to, mirrored
 * in one disk file: the msgpack array
 *
 *     [1, role|nil, reference.get result|nil, territory.front_offices result|nil]
 *
 * with each result map exactly as the server sent it, `etag` included.
 * The file is scanned (hr_mpscan) before it is decoded, like anything
 * from the network, and a file that does not have this shape is ignored.
 *
 * It sends through the app (app.h) and the app opens and fills it at
 * login (app_link.c): a call circle kept on purpose, see app_link.c.
 */
#include "config.h"

#include "tui/refdata.h"
#include "tui/downloads.h"  /* circle: the server's scan limits go to the queues when the reference data arrive */
#include "tui/uploads.h"    /* circle: as downloads.h */

#include <stdlib.h>
#include <string.h>

#include "proto/method_names.h"
#include "proto/mpscan.h"
#include "proto/rpc.h"
#include "tui/diskcache.h"
#include "tui/mp.h"

#define REFDATA_FILE_MAX (1024 * 1024)
#define REFDATA_FORMAT   1
#define REFDATA_FRESH_MS 60000    /* checked this recently: no need again */

/* A result map kept whole: its bytes and the object decoded from them. */
struct blob {
	msgpack_sbuffer  sb;
	msgpack_unpacked up;
	int              ok;
};

static struct {
	struct refdata rd;
	int            ok;              /* services and documents loaded */
	char          *server, *user;   /* whose cache this is */
	char          *role;
	struct blob    ref, off;        /* the two results as received */
	uint32_t       ref_msgid, off_msgid;   /* revalidations in flight */
	long           ref_at, off_at;         /* when they were last answered */
} cache;

static app_reply_fn *pending_done;

/* ---- loading results ---- */

static void
refdata_free_offices(struct refdata *rd)
{
	for (size_t i = 0; i < rd->noffice; i++) {
		free(rd->office[i].name);
		free(rd->office[i].kind);
		free(rd->office[i].hromada);
	}
	free(rd->office);
	rd->office = NULL;
	rd->noffice = 0;
}

void
refdata_free(struct refdata *rd)
{
	for (size_t i = 0; i < rd->nsvc; i++) {
		struct ref_service *s = &rd->svc[i];
		free(s->code);
		free(s->name);
		free(s->system);
		free(s->short_name);
		for (size_t k = 0; k < s->ndocs; k++)
			free(s->docs[k]);
		free(s->docs);
	}
	for (size_t i = 0; i < rd->ndoc; i++) {
		free(rd->doc[i].code);
		free(rd->doc[i].name);
	}
	free(rd->svc);
	free(rd->doc);
	free(rd->svc_labels);
	refdata_free_offices(rd);
	memset(rd, 0, sizeof *rd);
}

static size_t
arr_size(const msgpack_object *a)
{
	return a != NULL && a->type == MSGPACK_OBJECT_ARRAY ? a->via.array.size : 0;
}

static int
load_service(struct ref_service *s, const msgpack_object *m)
{
	const msgpack_object *d = mp_get(m, "documents");

	s->code = mp_strdup(mp_get(m, "code"));
	s->name = mp_strdup(mp_get(m, "name"));
	s->system = mp_strdup(mp_get(m, "system"));
	s->short_name = mp_strdup(mp_get(m, "short"));
	s->ndocs = arr_size(d);
	s->docs = calloc(s->ndocs ? s->ndocs : 1, sizeof *s->docs);
	if (s->code == NULL || s->name == NULL || s->system == NULL ||
	    s->short_name == NULL || s->docs == NULL)
		return -1;
	for (size_t k = 0; k < s->ndocs; k++)
		if ((s->docs[k] = mp_strdup(&d->via.array.ptr[k])) == NULL)
			return -1;
	if (s->name[0] == '\0') {            /* a nameless service shows its code */
		free(s->name);
		s->name = strdup(s->code);
	}
	return s->name != NULL ? 0 : -1;
}

/* Services and documents of `result`; the offices in rd are kept. */
int
refdata_load(struct refdata *rd, const msgpack_object *result)
{
	const msgpack_object *sv = mp_get(result, "services");
	const msgpack_object *dc = mp_get(result, "documents");
	const msgpack_object *up = mp_get(result, "uploads");
	size_t ns = arr_size(sv), nd = arr_size(dc);
	struct ref_office *office = rd->office;
	size_t noffice = rd->noffice;

	rd->office = NULL;
	rd->noffice = 0;
	refdata_free(rd);
	rd->office = office;
	rd->noffice = noffice;
	rd->svc = calloc(ns ? ns : 1, sizeof *rd->svc);
	rd->doc = calloc(nd ? nd : 1, sizeof *rd->doc);
	rd->svc_labels = calloc(ns ? ns : 1, sizeof *rd->svc_labels);
	if (rd->svc == NULL || rd->doc == NULL || rd->svc_labels == NULL)
		goto fail;
	for (; rd->nsvc < ns; rd->nsvc++) {
		if (load_service(&rd->svc[rd->nsvc], &sv->via.array.ptr[rd->nsvc]) != 0) {
			rd->nsvc++;             /* free what was loaded of it */
			goto fail;
		}
		rd->svc_labels[rd->nsvc] = rd->svc[rd->nsvc].name;
	}
	rd->file_max = (uint64_t)mp_int(mp_get(up, "file_max"), 0);
	rd->app_max = (uint64_t)mp_int(mp_get(up, "application_max"), 0);
	rd->chunk_max = (uint64_t)mp_int(mp_get(up, "chunk_max"), 0);
	for (; rd->ndoc < nd; rd->ndoc++) {
		struct ref_doc *d = &rd->doc[rd->ndoc];
		d->code = mp_strdup(mp_get(&dc->via.array.ptr[rd->ndoc], "code"));
		d->name = mp_strdup(mp_get(&dc->via.array.ptr[rd->ndoc], "name"));
		if (d->code == NULL || d->name == NULL) {
			rd->ndoc++;
			goto fail;
		}
	}
	return 0;
fail:
	office = rd->office;
	noffice = rd->noffice;
	rd->office = NULL;
	rd->noffice = 0;
	refdata_free(rd);
	rd->office = office;
	rd->noffice = noffice;
	return -1;
}

int
refdata_load_offices(struct refdata *rd, const msgpack_object *result)
{
	const msgpack_object *items = mp_get(result, "items");
	size_t n = arr_size(items);

	refdata_free_offices(rd);
	if ((rd->office = calloc(n ? n : 1, sizeof *rd->office)) == NULL)
		return -1;
	for (; rd->noffice < n; rd->noffice++) {
		const msgpack_object *it = &items->via.array.ptr[rd->noffice];
		struct ref_office *o = &rd->office[rd->noffice];
		o->id = mp_int(mp_get(it, "id"), 0);
		o->name = mp_strdup(mp_get(it, "name"));
		o->kind = mp_strdup(mp_get(it, "kind"));
		o->hromada = mp_strdup(mp_get(it, "hromada"));
		if (o->name == NULL || o->kind == NULL || o->hromada == NULL) {
			rd->noffice++;
			refdata_free_offices(rd);
			return -1;
		}
	}
	return 0;
}

/* ---- blobs ---- */

static void
blob_clear(struct blob *b)
{
	if (b->ok) {
		msgpack_unpacked_destroy(&b->up);
		msgpack_sbuffer_destroy(&b->sb);
	}
	b->ok = 0;
}

/* Keep a copy of `o` (a result map). */
static int
blob_set(struct blob *b, const msgpack_object *o)
{
	msgpack_packer pk;
	size_t off = 0;

	blob_clear(b);
	msgpack_sbuffer_init(&b->sb);
	msgpack_packer_init(&pk, &b->sb, msgpack_sbuffer_write);
	msgpack_unpacked_init(&b->up);
	b->ok = 1;
	if (msgpack_pack_object(&pk, *o) != 0 || b->sb.data == NULL ||
	    msgpack_unpack_next(&b->up, b->sb.data, b->sb.size, &off) !=
	    MSGPACK_UNPACK_SUCCESS) {
		blob_clear(b);
		return -1;
	}
	return 0;
}

static int64_t
blob_etag(const struct blob *b)
{
	return b->ok ? mp_int(mp_get(&b->up.data, "etag"), 0) : 0;
}

/* ---- the disk file ---- */

static void
refdata_save(void)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;
	char *path;

	if (cache.server == NULL || cache.user == NULL ||
	    (path = diskcache_path(cache.server, cache.user, "ref")) == NULL)
		return;
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_array(&pk, 4);
	msgpack_pack_int(&pk, REFDATA_FORMAT);
	hr_pack_str(&pk, cache.role);
	if (cache.ref.ok)
		msgpack_pack_object(&pk, cache.ref.up.data);
	else
		msgpack_pack_nil(&pk);
	if (cache.off.ok)
		msgpack_pack_object(&pk, cache.off.up.data);
	else
		msgpack_pack_nil(&pk);
	if (sb.data != NULL)
		(void)diskcache_write(path, sb.data, sb.size);
	msgpack_sbuffer_destroy(&sb);
	free(path);
}

static void
refdata_take_ref(const msgpack_object *result)
{
	if (blob_set(&cache.ref, result) == 0)
		cache.ok = refdata_load(&cache.rd, &cache.ref.up.data) == 0;
	if (!cache.ok)
		blob_clear(&cache.ref);
}

static void
refdata_take_offices(const msgpack_object *result)
{
	if (blob_set(&cache.off, result) != 0 ||
	    refdata_load_offices(&cache.rd, &cache.off.up.data) != 0)
		blob_clear(&cache.off);
}

/* What the disk file holds, when it has the expected shape. */
static void
refdata_read_file(void)
{
	char *path = diskcache_path(cache.server, cache.user, "ref");
	msgpack_unpacked up;
	struct hr_error err;
	uint8_t *data = NULL;
	size_t len = 0, off = 0;
	const msgpack_object *v;

	if (path == NULL || diskcache_read(path, REFDATA_FILE_MAX, &data, &len) != 0 ||
	    hr_mpscan(data, len, HR_MP_MAX_DEPTH, &err) != 0) {
		free(path);
		free(data);
		return;
	}
	msgpack_unpacked_init(&up);
	if (msgpack_unpack_next(&up, (const char *)data, len, &off) ==
	    MSGPACK_UNPACK_SUCCESS && off == len &&
	    up.data.type == MSGPACK_OBJECT_ARRAY && up.data.via.array.size == 4 &&
	    mp_int(&up.data.via.array.ptr[0], 0) == REFDATA_FORMAT) {
		v = up.data.via.array.ptr;
		if (v[1].type == MSGPACK_OBJECT_STR)
			cache.role = mp_strdup(&v[1]);
		if (v[2].type == MSGPACK_OBJECT_MAP)
			refdata_take_ref(&v[2]);
		if (v[3].type == MSGPACK_OBJECT_MAP)
			refdata_take_offices(&v[3]);
	}
	msgpack_unpacked_destroy(&up);
	free(data);
	free(path);
}

static void
refdata_reset(void)
{
	refdata_free(&cache.rd);
	blob_clear(&cache.ref);
	blob_clear(&cache.off);
	free(cache.server);
	free(cache.user);
	free(cache.role);
	cache.server = cache.user = cache.role = NULL;
	cache.ok = 0;
	cache.ref_msgid = cache.off_msgid = 0;
	cache.ref_at = cache.off_at = 0;
}

void
refdata_open(const char *server, const char *user)
{
	if (server == NULL || user == NULL)
		return;
	if (cache.server != NULL && cache.user != NULL &&
	    strcmp(cache.server, server) == 0 && strcmp(cache.user, user) == 0)
		return;
	refdata_reset();
	cache.server = strdup(server);
	cache.user = strdup(user);
	if (cache.server != NULL && cache.user != NULL)
		refdata_read_file();
}

const char *
refdata_last_role(void)
{
	return cache.role;
}

void
refdata_set_role(const char *role)
{
	if (role == NULL || (cache.role != NULL && strcmp(cache.role, role) == 0))
		return;
	free(cache.role);
	cache.role = strdup(role);
	refdata_save();
}

/* ---- revalidation ---- */

/* A reply for the cache: unchanged, new data, or an error (kept as is). */
static int
refdata_on_reply(struct blob *b, const struct hr_msg *reply,
    const struct hr_error *err, int offices)
{
	if (reply == NULL || err->code != HR_OK)
		return 0;
	if (mp_bool(mp_get(&reply->result, "unchanged"), 0) && b->ok &&
	    blob_etag(b) == mp_int(mp_get(&reply->result, "etag"), -1))
		return 0;
	if (offices)
		refdata_take_offices(&reply->result);
	else
		refdata_take_ref(&reply->result);
	refdata_save();
	return 1;
}

/* The server's limits on scans, to the client's upload and download
 * queues: checked before a byte is sent. */
static void
refdata_limits(struct app *a)
{
	if (!cache.ok)
		return;
	uploads_set_limits(app_uploads(a), cache.rd.file_max,
	    cache.rd.app_max, cache.rd.chunk_max);
	downloads_set_piece_max(app_downloads(a), cache.rd.chunk_max);
}

static void
refdata_ref_reply(void *ud, const struct hr_msg *reply, const struct hr_error *err)
{
	cache.ref_msgid = 0;
	if (reply != NULL && err->code == HR_OK)
		cache.ref_at = app_now_ms();
	if (refdata_on_reply(&cache.ref, reply, err, 0))
		app_notify_data(ud);
	refdata_limits(ud);
}

static void
refdata_off_reply(void *ud, const struct hr_msg *reply, const struct hr_error *err)
{
	cache.off_msgid = 0;
	if (reply != NULL && err->code == HR_OK)
		cache.off_at = app_now_ms();
	if (refdata_on_reply(&cache.off, reply, err, 1))
		app_notify_data(ud);
}

static int
refdata_fresh(long at)
{
	return at != 0 && app_now_ms() - at < REFDATA_FRESH_MS;
}

/* Params {etag} when a copy is held, {} otherwise. */
static void
refdata_pack_etag(msgpack_packer *pk, const struct blob *b)
{
	int64_t etag = blob_etag(b);

	msgpack_pack_map(pk, etag > 0 ? 1 : 0);
	if (etag > 0)
		hr_pack_kv_int(pk, "etag", etag);
}

void
refdata_pack_login(msgpack_packer *pk)
{
	hr_pack_kv_int(pk, "reference", blob_etag(&cache.ref));
	hr_pack_kv_int(pk, "front_offices", blob_etag(&cache.off));
}

void
refdata_take_login(struct app *a, const msgpack_object *result)
{
	const msgpack_object *ref = mp_get(result, "reference");
	const msgpack_object *off = mp_get(result, "front_offices");
	int changed = 0;

	if (ref != NULL && ref->type == MSGPACK_OBJECT_MAP) {
		refdata_take_ref(ref);
		changed = 1;
	}
	if (off != NULL && off->type == MSGPACK_OBJECT_MAP) {
		refdata_take_offices(off);
		changed = 1;
	}
	if (changed)
		refdata_save();
	/* Both are as current as the login: nothing to ask for a while. */
	cache.ref_at = cache.off_at = app_now_ms();
	refdata_limits(a);
	if (changed)
		app_notify_data(a);
}

void
refdata_sync(struct app *a)
{
	if (cache.ref_msgid == 0 && !refdata_fresh(cache.ref_at)) {
		refdata_pack_etag(app_begin(a, HR_M_REFERENCE_GET), &cache.ref);
		cache.ref_msgid = app_send_bg(a, refdata_ref_reply, a);
	}
	if (cache.off_msgid == 0 && !refdata_fresh(cache.off_at)) {
		refdata_pack_etag(app_begin(a, HR_M_TERRITORY_FRONT_OFFICES),
		    &cache.off);
		cache.off_msgid = app_send_bg(a, refdata_off_reply, a);
	}
}

const struct refdata *
refdata_get(const struct app *a)
{
	const struct session *se = app_session(a);

	if (!cache.ok || cache.user == NULL || se->user == NULL ||
	    strcmp(cache.user, se->user) != 0)
		return NULL;
	return &cache.rd;
}

const msgpack_object *
refdata_offices_result(void)
{
	return cache.off.ok ? &cache.off.up.data : NULL;
}

static void
refdata_reply(struct app *a, struct screen *s, const struct hr_msg *reply,
    const struct hr_error *err)
{
	app_reply_fn *done = pending_done;
	const struct session *se = app_session(a);

	pending_done = NULL;
	if (cache.user == NULL || se->user == NULL || strcmp(cache.user, se->user) != 0)
		refdata_open(app_server(a), se->user ? se->user : "");
	refdata_on_reply(&cache.ref, reply, err, 0);
	refdata_limits(a);
	if (done != NULL)
		done(a, s, reply, err);
}

int
refdata_fetch(struct app *a, app_reply_fn *done)
{
	const struct session *se = app_session(a);

	if (cache.user == NULL || se->user == NULL || strcmp(cache.user, se->user) != 0)
		refdata_open(app_server(a), se->user ? se->user : "");
	refdata_pack_etag(app_begin(a, HR_M_REFERENCE_GET), &cache.ref);
	pending_done = done;
	return app_send(a, refdata_reply);
}

/* ---- lookups ---- */

int
refdata_service(const struct refdata *rd, const char *code)
{
	for (size_t i = 0; code != NULL && i < rd->nsvc; i++)
		if (strcmp(rd->svc[i].code, code) == 0)
			return (int)i;
	return -1;
}

const char *
refdata_service_name(const struct refdata *rd, const char *code)
{
	int i = rd != NULL ? refdata_service(rd, code) : -1;

	return i >= 0 ? rd->svc[i].name : code ? code : "";
}

const char *
refdata_service_short(const struct refdata *rd, const char *code)
{
	int i = rd != NULL ? refdata_service(rd, code) : -1;

	if (i < 0)
		return code ? code : "";
	return rd->svc[i].short_name[0] ? rd->svc[i].short_name :
	    rd->svc[i].name;
}

const char *
refdata_doc_name(const struct refdata *rd, const char *code)
{
	for (size_t i = 0; i < rd->ndoc; i++)
		if (strcmp(rd->doc[i].code, code) == 0)
			return rd->doc[i].name;
	return code;
}

int
refdata_required(const struct refdata *rd, int si, const char *code)
{
	if (si < 0 || (size_t)si >= rd->nsvc)
		return 0;
	for (size_t k = 0; k < rd->svc[si].ndocs; k++)
		if (strcmp(rd->svc[si].docs[k], code) == 0)
			return 1;
	return 0;
}

const struct ref_office *
refdata_office(const struct refdata *rd, int64_t id)
{
	for (size_t i = 0; rd != NULL && i < rd->noffice; i++)
		if (rd->office[i].id == id)
			return &rd->office[i];
	return NULL;
}
