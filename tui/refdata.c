/*
 * refdata.c — the reference data cache (see refdata.h).  One cache per
 * client process, tagged with the user it was fetched for.
 */
#include "config.h"

#include "tui/refdata.h"

#include <stdlib.h>
#include <string.h>

#include "proto/method_names.h"
#include "tui/mp.h"

static struct refdata cache;
static int            cache_ok;
static char          *cache_user;     /* who it was fetched for */
static app_reply_fn  *pending_done;

void
refdata_free(struct refdata *rd)
{
	for (size_t i = 0; i < rd->nsvc; i++) {
		struct ref_service *s = &rd->svc[i];
		free(s->code);
		free(s->name);
		free(s->system);
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
	s->ndocs = arr_size(d);
	s->docs = calloc(s->ndocs ? s->ndocs : 1, sizeof *s->docs);
	if (s->code == NULL || s->name == NULL || s->system == NULL || s->docs == NULL)
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

int
refdata_load(struct refdata *rd, const msgpack_object *result)
{
	const msgpack_object *sv = mp_get(result, "services");
	const msgpack_object *dc = mp_get(result, "documents");
	size_t ns = arr_size(sv), nd = arr_size(dc);

	memset(rd, 0, sizeof *rd);
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
	refdata_free(rd);
	return -1;
}

const struct refdata *
refdata_get(const struct app *a)
{
	const struct session *se = app_session(a);

	if (!cache_ok || cache_user == NULL || se->user == NULL ||
	    strcmp(cache_user, se->user) != 0)
		return NULL;
	return &cache;
}

static void
refdata_reply(struct app *a, struct screen *s, const struct hr_msg *reply,
    const struct hr_error *err)
{
	app_reply_fn *done = pending_done;
	const struct session *se = app_session(a);

	pending_done = NULL;
	if (reply != NULL && err->code == HR_OK) {
		refdata_free(&cache);
		free(cache_user);
		cache_user = strdup(se->user ? se->user : "");
		cache_ok = refdata_load(&cache, &reply->result) == 0 && cache_user != NULL;
	}
	if (done != NULL)
		done(a, s, reply, err);
}

int
refdata_fetch(struct app *a, app_reply_fn *done)
{
	msgpack_packer *pk = app_begin(a, HR_M_REFERENCE_GET);

	msgpack_pack_map(pk, 0);
	pending_done = done;
	return app_send(a, refdata_reply);
}

int
refdata_service(const struct refdata *rd, const char *code)
{
	for (size_t i = 0; code != NULL && i < rd->nsvc; i++)
		if (strcmp(rd->svc[i].code, code) == 0)
			return (int)i;
	return -1;
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
