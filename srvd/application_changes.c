/*
 * application_changes.c — the fields an application.save changed (application_changes.h).
 *
 * Each part of the form is compared as text: scalar fields by value, a
 * person field by field (the applicant as one person when the form names
 * another one), the family by person (a member added or removed is one
 * change, a member kept is compared field by field under their new
 * position), income rows by position.  The documents are no part of the
 * form: an attach or detach notes them (db/attachments.c).
 */
#include "srvd/application_changes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/application_parts.h"
#include "proto/app_fields.h"
#include "proto/buf.h"
#include "proto/ident.h"

void
app_changes_init(struct app_changes *c)
{
	memset(c, 0, sizeof *c);
}

void
app_changes_free(struct app_changes *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free((void *)c->v[i].field);
		free((void *)c->v[i].old);
		free((void *)c->v[i].new);
	}
	free(c->v);
	memset(c, 0, sizeof *c);
}

static char *
dup_or_null(const char *s, int *oom)
{
	char *d;

	if (s == NULL || *s == '\0')
		return NULL;
	if ((d = strdup(s)) == NULL)
		*oom = 1;
	return d;
}

/* Identifiers are kept masked, as in the audit log (intake_mask): the
 * fields proto/app_fields.h marks so. */
static int
field_masked(const char *field)
{
	const struct hr_app_field *f = hr_app_field_of_path(field);

	return f != NULL && f->masked;
}

/* Note `field` if old and new differ ("" is no value). */
static void
change_add(struct app_changes *c, const char *field, const char *old,
    const char *new)
{
	char mo[32], mn[32];
	struct db_change *x;

	if (strcmp(old ? old : "", new ? new : "") == 0 || c->oom)
		return;
	if (field_masked(field)) {
		if (old != NULL && *old != '\0') {
			intake_mask(old, mo, sizeof mo);
			old = mo;
		}
		if (new != NULL && *new != '\0') {
			intake_mask(new, mn, sizeof mn);
			new = mn;
		}
	}
	if ((x = hr_grow(c->v, &c->cap, c->n, sizeof *x, 16)) == NULL) {
		c->oom = 1;
		return;
	}
	c->v = x;
	x = &c->v[c->n];
	x->field = strdup(field);
	x->old = dup_or_null(old, &c->oom);
	x->new = dup_or_null(new, &c->oom);
	if (x->field == NULL)
		c->oom = 1;
	c->n++;
}

/* ---- persons ----------------------------------------------------------- */

/* Field by field under `prefix` ("applicant", "family[2]"). */
static void
person_changes(struct app_changes *c, const char *prefix,
    const struct db_person *o, const struct db_person *n)
{
	char field[64];

	for (int f = 0; f < HR_PF_ID; f++) {
		snprintf(field, sizeof field, "%s.%s", prefix,
		    hr_person_fields[f].wire.name);
		change_add(c, field, intake_person_value(o, f),
		    intake_person_value(n, f));
	}
}

/* "Surname Name Patronymic" (relation) */
static void
person_label(const struct db_person *p, const char *relation, char *out,
    size_t cap)
{
	snprintf(out, cap, "%s %s%s%s%s%s%s", p->surname ? p->surname : "",
	    p->name ? p->name : "", p->patronymic && *p->patronymic ? " " : "",
	    p->patronymic ? p->patronymic : "", relation && *relation ? " (" :
	    "", relation ? relation : "", relation && *relation ? ")" : "");
}

static void
applicant_changes(struct app_changes *c, const struct intake_save *s)
{
	const struct intake_pcopy *o = s->nold > 0 ? &s->old[0] : NULL;
	char a[400], b[400];

	if (o == NULL)
		return;
	if (o->id == s->applicant.id) {
		person_changes(c, "applicant", &o->p, &s->applicant.p);
		return;
	}
	person_label(&o->p, NULL, a, sizeof a);
	person_label(&s->applicant.p, NULL, b, sizeof b);
	change_add(c, "applicant", a, b);
}

static void
family_changes(struct app_changes *c, const struct intake_save *s)
{
	char field[48], label[400];
	int used[64] = { 0 };

	for (size_t i = 0; i < s->nfamily; i++) {
		const struct intake_member *m = &s->family[i];
		size_t k;

		snprintf(field, sizeof field, "family[%zu]", i + 1);
		for (k = 1; k < s->nold && k < 64; k++)
			if (!used[k] && s->old[k].id == m->person.id &&
			    m->person.prev.id != 0)
				break;
		if (k < s->nold && k < 64) {
			char rel[64];

			used[k] = 1;
			snprintf(rel, sizeof rel, "%s.relation", field);
			change_add(c, rel, s->old[k].relation, m->relation);
			person_changes(c, field, &s->old[k].p, &m->person.p);
			continue;
		}
		person_label(&m->person.p, m->relation, label, sizeof label);
		change_add(c, field, NULL, label);
	}
	for (size_t k = 1; k < s->nold && k < 64; k++) {
		if (used[k])
			continue;
		person_label(&s->old[k].p, s->old[k].relation, label, sizeof label);
		change_add(c, "family", label, NULL);
	}
}

/* ---- the form's other parts -------------------------------------------- */

/* "0 salary 2024-01-01..2024-06-30 12 345,67" */
static void
income_text(const struct db_income *r, char *out, size_t cap)
{
	char amount[HR_AMOUNT_STR_MAX];

	if (hr_amount_format(r->amount, amount, sizeof amount) < 0)
		snprintf(amount, sizeof amount, "%lld", (long long)r->amount);
	snprintf(out, cap, "%d %s %s..%s %s", r->member, r->type, r->period_from,
	    r->period_to, amount);
}

struct old_income {
	char   (*row)[128];
	size_t n, cap;
};

static int
old_income_cb(void *ud, const struct db_income *r)
{
	struct old_income *o = ud;

	char (*g)[128] = hr_grow(o->row, &o->cap, o->n, sizeof *g, 16);

	if (g == NULL)
		return 1;
	o->row = g;
	income_text(r, o->row[o->n++], sizeof o->row[0]);
	return 0;
}

static int
income_changes(struct hr_db *db, int64_t id, const struct intake_save *s,
    struct app_changes *c, struct hr_error *err)
{
	struct old_income o = { NULL, 0, 0 };
	size_t n = o.n;
	char field[32], text[128];

	if (db_app_income_each(db, id, old_income_cb, &o, err) < 0) {
		free(o.row);
		return -1;
	}
	n = o.n > s->nincome ? o.n : s->nincome;
	for (size_t i = 0; i < n; i++) {
		snprintf(field, sizeof field, "income[%zu]", i + 1);
		text[0] = '\0';
		if (i < s->nincome)
			income_text(&s->income[i].r, text, sizeof text);
		change_add(c, field, i < o.n ? o.row[i] : NULL, text);
	}
	free(o.row);
	return 0;
}

/* A list of codes, sorted and without repeats, joined by ", ". */
static void
scalar_changes(struct app_changes *c, const struct db_app *a,
    const struct intake_save *s)
{
	int bank = s->pay_method && strcmp(s->pay_method, "bank") == 0;

	change_add(c, "service", a->service, s->service);
	change_add(c, "payment.method", a->pay_method, s->pay_method);
	change_add(c, "payment.iban", a->iban, bank ? s->iban : NULL);
	change_add(c, "payment.post_office", a->post_office, s->post_office);
	change_add(c, "phone", a->phone, s->phone);
	change_add(c, "notes", a->notes, s->notes);
}

int
app_changes_update(struct hr_db *db, const struct db_app *old,
    const struct intake_save *s, struct app_changes *c, struct hr_error *err)
{
	scalar_changes(c, old, s);
	applicant_changes(c, s);
	family_changes(c, s);
	if (income_changes(db, old->id, s, c, err) < 0)
		return -1;
	return c->oom ? hr_error_set(err, HR_E_INTERNAL, "out of memory") : 0;
}

int
app_changes_create(const struct intake_save *s, struct app_changes *c,
    struct hr_error *err)
{
	char prefix[32];

	if (s->applicant.prev.id != 0)
		person_changes(c, "applicant", &s->applicant.prev.p,
		    &s->applicant.p);
	for (size_t i = 0; i < s->nfamily; i++) {
		const struct intake_person *ip = &s->family[i].person;

		if (ip->prev.id == 0)
			continue;
		snprintf(prefix, sizeof prefix, "family[%zu]", i + 1);
		person_changes(c, prefix, &ip->prev.p, &ip->p);
	}
	return c->oom ? hr_error_set(err, HR_E_INTERNAL, "out of memory") : 0;
}
