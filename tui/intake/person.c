/*
 * person.c — the personal fields of the applicant and of a family
 * member: adding them to a form, reading them back, checking them as the
 * clerk types with the same validators the server runs (proto/ident.h),
 * and taking a person who is already in the base instead of typing them
 * again (never create the same person twice).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proto/ident.h"
#include "proto/method_names.h"
#include "proto/rpc.h"
#include "tui/errmsg.h"
#include "tui/intake/form_priv.h"
#include "tui/mp.h"

/* person.search's keys, a person's fields (proto/app_fields.h). */
#define K_PERSON(f) HR_KEY(hr_person_fields, HR_PF_##f)

#define P(field) (PERSON_BASE + (field))

/* The typed fields' widths on the form (0: the rest of the line); their
 * labels and lengths are the table's (proto/app_fields.h). */
static const int person_width[HR_PF__COUNT] = {
	[HR_PF_RNOKPP] = 12, [HR_PF_BIRTH] = 12, [HR_PF_UNZR] = 16,
	[HR_PF_DOCNUM] = 18, [HR_PF_PHONE] = 18,
};

/* The person's fields in the table's order: the texts, the refusal's
 * check box after the РНОКПП, the choices of sex and document. */
int
person_add_fields(struct fs *s, struct form *f, const struct intake_person *p)
{
	int r = 0;

	for (int i = 0; i < HR_PF__COUNT; i++) {
		const struct hr_app_field *k = &hr_person_fields[i];

		if (hr_person_field_typed(i))
			r |= form_add_text(f, P(i), _(k->form_label), k->form_max,
			    person_width[i], p->f[i]);
		else if (i == HR_PF_REFUSED)
			r |= form_add_check(f, ID_REFUSED, _(k->form_label),
			    p->rnokpp_refused);
		else if (i == HR_PF_SEX)
			r |= form_add_choice(f, ID_SEX, _(k->form_label),
			    s->labels_sex, 2, p->sex - 1);
		else if (i == HR_PF_DOCTYPE)
			r |= form_add_choice(f, ID_DOC_TYPE, _(k->form_label),
			    s->labels_doc, 3, p->doc_type - 1);
	}
	form_set_readonly(f, P(HR_PF_RNOKPP), p->rnokpp_refused);
	if (p->f[HR_PF_ACTADDR] == NULL)
		form_set_note(f, P(HR_PF_ACTADDR),
		    _("F6 or Ctrl-D: the same as the registration address"), A_DIM);
	return r ? -1 : 0;
}

/* Text without blanks at either end. */
static char *
person_trimmed(const struct form *f, int id)
{
	char *t = form_text(f, id);
	size_t a = 0, n;

	if (t == NULL)
		return NULL;
	while (t[a] == ' ')
		a++;
	n = strlen(t + a);
	while (n > 0 && t[a + n - 1] == ' ')
		n--;
	memmove(t, t + a, n);
	t[n] = '\0';
	return t;
}

void
person_read(const struct form *f, struct intake_person *p)
{
	for (int i = 0; i < HR_PF__COUNT; i++) {
		char *t;

		if (!hr_person_field_typed(i))
			continue;
		t = person_trimmed(f, P(i));
		intake_set(&p->f[i], t);
		free(t);
	}
	p->rnokpp_refused = form_on(f, ID_REFUSED);
	p->sex = form_choice(f, ID_SEX) + 1;
	p->doc_type = form_choice(f, ID_DOC_TYPE) + 1;
}

void
person_copy_address(struct form *f)
{
	char *reg = form_text(f, P(HR_PF_REGADDR));

	form_set_text(f, P(HR_PF_ACTADDR), reg);
	form_set_note(f, P(HR_PF_ACTADDR), NULL, 0);
	f->changed = 1;
	free(reg);
}

/* ---- checks ---- */

static int
person_birth(const struct form *f, struct hr_date *d)
{
	char *t = form_text(f, P(HR_PF_BIRTH));
	int r = t ? hr_date_parse(t, strlen(t), NULL, d, NULL) : -1;

	free(t);
	return r;
}

static const char *
person_msg(const struct hr_error *e, char *buf, size_t n)
{
	return errmsg(e, buf, n);
}

/* РНОКПП against birth date and sex; NULL when right (or refused). */
static const char *
person_rnokpp(const struct form *f, const char *t, char *buf, size_t n)
{
	struct hr_date d;
	struct hr_error e;
	int have_birth = person_birth(f, &d) == 0;

	if (form_on(f, ID_REFUSED))
		return NULL;
	/* A child with a birth certificate may have no РНОКПП yet; anyone
	 * else has one or the refusal mark (the server says the same). */
	if (*t == '\0' && form_choice(f, ID_DOC_TYPE) + 1 == HR_DOC_BIRTH_CERT)
		return NULL;
	if (*t == '\0')
		return _("Enter the RNOKPP or mark that the person refused it");
	if (hr_rnokpp_match(t, strlen(t), have_birth ? &d : NULL,
	    form_choice(f, ID_SEX) + 1, &e) != 0)
		return person_msg(&e, buf, n);
	return NULL;
}

/* Birth date or sex changed: the РНОКПП's message follows. */
static void
person_recheck_rnokpp(struct form *f)
{
	char *t = person_trimmed(f, P(HR_PF_RNOKPP));
	char buf[256];
	struct form_item *it = form_item(f, P(HR_PF_RNOKPP));

	if (t != NULL && it != NULL && (*t != '\0' || it->error != NULL))
		form_set_error(f, P(HR_PF_RNOKPP), *t ? person_rnokpp(f, t, buf,
		    sizeof buf) : NULL);
	free(t);
}

static const char *
person_docnum(struct form *f, const char *t, char *buf, size_t n)
{
	int kind = form_choice(f, ID_DOC_TYPE) + 1;
	char out[HR_DOCNUM_STR_MAX], note[HR_DOCNUM_STR_MAX + 64];
	struct hr_error e;

	form_set_note(f, P(HR_PF_DOCNUM), NULL, 0);
	if (*t == '\0')
		return form_on(f, ID_REFUSED) ?
		    _("Without an RNOKPP the identity document is required") : NULL;
	if (kind <= 0)
		return _("Choose the kind of the document");
	if (hr_docnum_normalize(kind, t, strlen(t), out, sizeof out, &e) != 0)
		return person_msg(&e, buf, n);
	if (strcmp(out, t) != 0) {
		snprintf(note, sizeof note, _("will be saved as %s"), out);
		form_set_note(f, P(HR_PF_DOCNUM), note, A_NORMAL);
	}
	return NULL;
}

static const char *
person_phone(struct form *f, const char *t, char *buf, size_t n)
{
	char out[HR_PHONE_STR_MAX], note[HR_PHONE_STR_MAX + 64];
	struct hr_error e;

	form_set_note(f, P(HR_PF_PHONE), NULL, 0);
	if (*t == '\0')
		return NULL;
	if (hr_phone_normalize(t, strlen(t), out, sizeof out, &e) != 0)
		return person_msg(&e, buf, n);
	if (strcmp(out, t) != 0) {
		snprintf(note, sizeof note, _("will be saved as %s"), out);
		form_set_note(f, P(HR_PF_PHONE), note, A_NORMAL);
	}
	return NULL;
}

static int
person_future(const struct hr_date *d)
{
	time_t now = time(NULL);
	struct tm tm;
	struct hr_date today;

	localtime_r(&now, &tm);
	today = (struct hr_date){ tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday };
	return hr_date_cmp(d, &today) > 0;
}

static const char *
person_check_text(struct fs *s, struct form *f, int field, const char *t,
    int leaving, char *buf, size_t n)
{
	struct hr_date d;
	struct hr_error e;

	switch (field) {
	case HR_PF_RNOKPP: {
		const char *m = person_rnokpp(f, t, buf, n);
		if (m == NULL && leaving && *t && strcmp(t, s->looked_up) != 0)
			person_lookup(s, s->app, t, f == &s->sub);
		return m;
	}
	case HR_PF_SURNAME:
	case HR_PF_NAME:
		return *t ? NULL : _("This field must be filled in");
	case HR_PF_BIRTH:
		if (leaving)
			person_recheck_rnokpp(f);
		if (hr_date_parse(t, strlen(t), NULL, &d, &e) != 0)
			return *t ? person_msg(&e, buf, n) : _("This field must be filled in");
		return person_future(&d) ? _("The date is in the future") : NULL;
	case HR_PF_UNZR:
		if (*t == '\0')
			return NULL;
		if (hr_unzr_match(t, strlen(t), person_birth(f, &d) == 0 ? &d : NULL, &e) != 0)
			return person_msg(&e, buf, n);
		return NULL;
	case HR_PF_DOCNUM:
		return person_docnum(f, t, buf, n);
	case HR_PF_PHONE:
		return person_phone(f, t, buf, n);
	case HR_PF_ACTADDR:
		if (*t != '\0')
			form_set_note(f, P(HR_PF_ACTADDR), NULL, 0);
		return NULL;
	default:
		return NULL;
	}
}

/* Re-check the document number after the kind or the refusal changed. */
static void
person_recheck_docnum(struct form *f)
{
	char *t = person_trimmed(f, P(HR_PF_DOCNUM));
	char buf[256];

	if (t != NULL)
		form_set_error(f, P(HR_PF_DOCNUM), person_docnum(f, t, buf, sizeof buf));
	free(t);
}

const char *
person_check(struct fs *s, struct form *f, int id, int leaving, char *buf,
    size_t n)
{
	const char *m;
	char *t;

	switch (id) {
	case ID_SEX:
		person_recheck_rnokpp(f);
		return form_choice(f, ID_SEX) < 0 ? _("Choose the sex") : NULL;
	case ID_DOC_TYPE:
		person_recheck_docnum(f);
		person_recheck_rnokpp(f);
		return NULL;
	case ID_REFUSED:
		form_set_readonly(f, P(HR_PF_RNOKPP), form_on(f, ID_REFUSED));
		person_recheck_rnokpp(f);
		if (form_on(f, ID_REFUSED))
			form_set_error(f, P(HR_PF_RNOKPP), NULL);
		person_recheck_docnum(f);
		return NULL;
	}
	if (id < PERSON_BASE || id >= PERSON_BASE + HR_PF__COUNT ||
	    !hr_person_field_typed(id - PERSON_BASE))
		return NULL;
	if ((t = person_trimmed(f, id)) == NULL)
		return NULL;
	m = person_check_text(s, f, id - PERSON_BASE, t, leaving, buf, n);
	free(t);
	return m;
}

/* ---- a person who is in the base already ---- */

/*
 * The applicant has applications still open in the user's scope (any
 * service; the same service is refused at save): say so on the status
 * line and under the applicant's name, without stopping the clerk.
 */
static void
person_warn_open(struct fs *s, struct app *a, const msgpack_object *open)
{
	char text[512], reg[32], svc[256], st[32], note[600];
	const msgpack_object *o;
	uint32_t n;

	if (open == NULL || open->type != MSGPACK_OBJECT_ARRAY ||
	    (n = open->via.array.size) == 0)
		return;
	for (uint32_t i = 0; i < n; i++) {
		o = &open->via.array.ptr[i];
		if (mp_int(mp_get(o, "id"), 0) == s->in.id)
			continue;               /* this very application */
		mp_text(mp_get(o, "reg_no"), reg, sizeof reg);
		mp_text(mp_get(o, "service_name"), svc, sizeof svc);
		mp_text(mp_get(o, "status"), st, sizeof st);
		snprintf(text, sizeof text, n > 1 ? _("This person already has "
		    "open applications: No. %s (%s, %s) and %u more") :
		    _("This person already has an open application: No. %s "
		    "(%s, %s)"), reg[0] ? reg : "—", svc, app_status_label(st),
		    n - 1);
		snprintf(note, sizeof note, "! %s", text);
		app_status(a, "%s. %s", _("The person's data were taken from the "
		    "base"), text);
		form_set_note(&s->main, PERSON_BASE + HR_PF_SURNAME, note, A_BOLD);
		return;
	}
}

static void
person_take_reply(struct app *a, struct screen *sc, const struct hr_msg *reply,
    const struct hr_error *err)
{
	struct fs *s = (struct fs *)sc;

	if (reply == NULL)
		return;
	if (err->code != HR_OK) {
		app_status(a, "%s", app_error(err));
		return;
	}
	if (s->lookup_for_sub && s->mode == FS_MEMBER) {
		intake_person_load(&s->sub_person, mp_get(&reply->result, "person"));
		family_edit(s, -2);             /* rebuild the sub-form, same row */
	} else {
		fs_sync(s);
		intake_load_person_get(&s->in, &reply->result);
		fs_build(s);
	}
	s->dirty = 1;
	app_status(a, "%s", _("The person's data were taken from the base"));
	if (!s->lookup_for_sub)
		person_warn_open(s, a, mp_get(&reply->result, "open"));
}

void
person_take(struct fs *s, struct app *a, int64_t id, const char *found_by,
    int for_sub)
{
	msgpack_packer *pk = app_begin(a, HR_M_PERSON_GET);
	int by = found_by != NULL && *found_by != '\0';

	/* A person of another oblast opens only with the identifier they
	 * were found by (PROTOCOL.md person.get). */
	msgpack_pack_map(pk, 1 + by);
	hr_pack_kv_int(pk, "id", id);
	if (by)
		hr_pack_kv_str(pk, "q", found_by);
	s->lookup_for_sub = for_sub;
	app_send(a, person_take_reply);
}

static void
person_offer_answer(struct app *a, void *ud, int yes)
{
	struct fs *s = ud;

	if (!fs_alive(ud) || !yes)
		return;
	person_take(s, a, s->offer_id, s->offer_ident, s->lookup_for_sub);
}

static void
person_lookup_reply(struct app *a, struct screen *sc, const struct hr_msg *reply,
    const struct hr_error *err)
{
	struct fs *s = (struct fs *)sc;
	const msgpack_object *items, *p;
	char text[768], sur[128], nm[128], pat[128], born[32], shown[HR_DATE_STR_MAX];
	struct hr_date d;

	if (reply == NULL || err->code != HR_OK)
		return;                 /* the form still checks; the save decides */
	items = mp_get(&reply->result, "items");
	if (items == NULL || items->type != MSGPACK_OBJECT_ARRAY || items->via.array.size == 0)
		return;
	p = &items->via.array.ptr[0];
	s->offer_id = mp_int(mp_get(p, K_PERSON(ID)), 0);
	snprintf(s->offer_ident, sizeof s->offer_ident, "%s", s->looked_up);
	mp_text(mp_get(p, K_PERSON(BIRTH)), born, sizeof born);
	if (hr_date_parse(born, strlen(born), NULL, &d, NULL) == 0 &&
	    hr_date_format(&d, shown, sizeof shown) == 0)
		snprintf(born, sizeof born, "%s", shown);
	snprintf(text, sizeof text, _("A person with this RNOKPP is in the base already:\n"
	    "%s %s %s, born %s.\nTake their data from the base?"),
	    mp_text(mp_get(p, K_PERSON(SURNAME)), sur, sizeof sur),
	    mp_text(mp_get(p, K_PERSON(NAME)), nm, sizeof nm),
	    mp_text(mp_get(p, K_PERSON(PATRONYMIC)), pat, sizeof pat), born);
	app_ask(a, _("The person is known"), text, 0, 1, person_offer_answer, s);
}

void
person_lookup(struct fs *s, struct app *a, const char *rnokpp, int for_sub)
{
	msgpack_packer *pk;

	snprintf(s->looked_up, sizeof s->looked_up, "%s", rnokpp);
	if ((for_sub ? s->sub_person.id : s->in.applicant.id) != 0)
		return;                 /* already a person from the base */
	pk = app_begin(a, HR_M_PERSON_SEARCH);
	msgpack_pack_map(pk, 2);
	hr_pack_kv_str(pk, "q", rnokpp);
	hr_pack_kv_int(pk, "limit", 1);
	s->lookup_for_sub = for_sub;
	app_send(a, person_lookup_reply);
}
