/*
 * base.c — what changed in the base of recipients since this draft
 * was saved.
 *
 * An application carries its own copy of its applicant and family; a
 * person corrected in the base since (through another application) does
 * not change it.  When a draft or returned application is opened for
 * editing and the server says the base has moved on (application.get
 * `base_changed`), the form offers the new data one field at a time: the
 * clerk sees the application's value and the base's and takes it or not.
 * What is taken goes into the form; F2 saves it like any other edit.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/field_labels.h"
#include "tui/intake/form_priv.h"
#include "tui/mp.h"

struct base_offer {
	int     member;           /* -1 the applicant, else family index */
	int64_t person_id;
	char    key[24];          /* wire key of the field */
	char   *app, *base;       /* values; NULL none */
};

void
base_offer_free(struct fs *s)
{
	for (size_t i = 0; i < s->noffers; i++) {
		free(s->offers[i].app);
		free(s->offers[i].base);
	}
	free(s->offers);
	s->offers = NULL;
	s->noffers = s->next_offer = s->offers_taken = 0;
}

static char *
offer_value(const msgpack_object *v)
{
	return v != NULL && v->type == MSGPACK_OBJECT_STR ? mp_strdup(v) : NULL;
}

/* One person's fields into the queue. */
static void
offer_person(struct fs *s, const msgpack_object *e)
{
	const msgpack_object *fields = mp_get(e, "fields");
	char who[32];
	int member = -1, k;

	mp_text(mp_get(e, "person"), who, sizeof who);
	if (sscanf(who, "family[%d]", &k) == 1)
		member = k - 1;
	else if (strcmp(who, "applicant") != 0)
		return;
	for (uint32_t i = 0; fields && fields->type == MSGPACK_OBJECT_ARRAY &&
	    i < fields->via.array.size; i++) {
		const msgpack_object *f = &fields->via.array.ptr[i];
		struct base_offer *o, *g;

		g = realloc(s->offers, (s->noffers + 1) * sizeof *g);
		if (g == NULL)
			return;
		s->offers = g;
		o = &s->offers[s->noffers++];
		memset(o, 0, sizeof *o);
		o->member = member;
		o->person_id = mp_int(mp_get(e, "id"), 0);
		mp_text(mp_get(f, "field"), o->key, sizeof o->key);
		o->app = offer_value(mp_get(f, "application"));
		o->base = offer_value(mp_get(f, "base"));
	}
}

/* The person of the form an offer is about, if it is still there. */
static struct intake_person *
offer_target(struct fs *s, const struct base_offer *o)
{
	struct intake_person *p;

	if (o->member < 0)
		p = &s->in.applicant;
	else if ((size_t)o->member < s->in.nfamily)
		p = &s->in.family[o->member].p;
	else
		return NULL;
	return p->id == o->person_id ? p : NULL;
}

static void offer_next(struct fs *s, struct app *a);

static void
offer_answer(struct app *a, void *ud, int yes)
{
	struct fs *s = ud;
	struct base_offer *o;
	struct intake_person *p;

	if (!fs_alive(ud) || s->next_offer >= s->noffers)
		return;
	o = &s->offers[s->next_offer++];
	if (yes && (p = offer_target(s, o)) != NULL &&
	    intake_person_take(p, o->key, o->base) == 0) {
		s->offers_taken++;
		s->dirty = 1;
		fs_build(s);
	}
	offer_next(s, a);
}

static void
offer_next(struct fs *s, struct app *a)
{
	const struct base_offer *o;
	char title[128], who[128], label[160], av[512], bv[512], text[1600];
	const char *field;

	while (s->next_offer < s->noffers &&
	    offer_target(s, &s->offers[s->next_offer]) == NULL)
		s->next_offer++;
	if (s->next_offer >= s->noffers) {
		if (s->offers_taken > 0)
			app_status(a, _("Taken from the base: %zu field(s); F2 saves "
			    "the application"), s->offers_taken);
		base_offer_free(s);
		return;
	}
	o = &s->offers[s->next_offer];
	if (o->member < 0)
		snprintf(who, sizeof who, "%s", _("Applicant"));
	else
		snprintf(who, sizeof who, "%s %d", _("Family member"), o->member + 1);
	field = field_person_label(o->key);
	snprintf(label, sizeof label, "%s: %s", who, field ? field : o->key);
	snprintf(title, sizeof title, _("The base of recipients has changed "
	    "(%zu of %zu)"), s->next_offer + 1, s->noffers);
	snprintf(text, sizeof text, "%s\n\n%s: %s\n%s: %s\n\n%s", label,
	    _("In the application"), field_value_text(o->key, o->app, av,
	    sizeof av), _("In the base"), field_value_text(o->key, o->base, bv,
	    sizeof bv), _("Take the value from the base?"));
	app_ask(a, title, text, 0, 1, offer_answer, s);
}

void
base_offer_start(struct fs *s, struct app *a, const msgpack_object *bc)
{
	base_offer_free(s);
	if (s->readonly || bc == NULL || bc->type != MSGPACK_OBJECT_ARRAY)
		return;
	for (uint32_t i = 0; i < bc->via.array.size; i++)
		offer_person(s, &bc->via.array.ptr[i]);
	offer_next(s, a);
}
