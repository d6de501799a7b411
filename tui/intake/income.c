/*
 * income.c — the income declaration: rows in the main form and the
 * sub-form for one row (whose income, what kind, the period, the sum).
 * Sums are kopecks in int64 from hr_amount_parse and shown with
 * hr_amount_format ("1 234,56"): never floating point.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "proto/ident.h"
#include "tui/errmsg.h"
#include "tui/intake/form_priv.h"

void
income_free_labels(struct fs *s)
{
	for (size_t i = 0; i < s->nmember_labels; i++)
		free(s->member_labels[i]);
	free(s->member_labels);
	s->member_labels = NULL;
	s->nmember_labels = 0;
}

/* A field of an income row (proto/app_fields.h). */
#define F(i) hr_income_fields[i]

static void
income_member_name(const struct intake *in, int member, char *buf, size_t n)
{
	const struct intake_person *p = member == 0 ? &in->applicant :
	    (size_t)member <= in->nfamily ? &in->family[member - 1].p : NULL;

	if (p == NULL)
		snprintf(buf, n, "?");
	else if (member == 0)
		snprintf(buf, n, "%s (%s %s)", _("Applicant"),
		    p->f[HR_PF_SURNAME] ? p->f[HR_PF_SURNAME] : "",
		    p->f[HR_PF_NAME] ? p->f[HR_PF_NAME] : "");
	else
		snprintf(buf, n, "%d. %s %s", member,
		    p->f[HR_PF_SURNAME] ? p->f[HR_PF_SURNAME] : "?",
		    p->f[HR_PF_NAME] ? p->f[HR_PF_NAME] : "");
}

/* "Surname N." of the applicant (member 0) or of family member k. */
static void
income_member_short(const struct intake *in, int member, char *buf, size_t n)
{
	const struct intake_person *p = member == 0 ? &in->applicant :
	    (size_t)member <= in->nfamily ? &in->family[member - 1].p : NULL;
	const char *sur = p && p->f[HR_PF_SURNAME] ? p->f[HR_PF_SURNAME] : "?";
	const char *nm = p && p->f[HR_PF_NAME] ? p->f[HR_PF_NAME] : "";
	mbstate_t st;
	wchar_t wc;
	size_t l;

	memset(&st, 0, sizeof st);
	l = mbrtowc(&wc, nm, strlen(nm), &st);      /* the initial: one character */
	if (l == (size_t)-1 || l == (size_t)-2 || l == 0)
		l = 0;
	snprintf(buf, n, "%s %.*s%s", sur, (int)l, nm, l ? "." : "");
}

static void
income_label(const struct intake *in, size_t i, char *buf, size_t n)
{
	const struct intake_income *r = &in->income[i];
	char who[256], sum[HR_AMOUNT_STR_MAX];

	income_member_short(in, r->member, who, sizeof who);
	hr_amount_format(r->amount, sum, sizeof sum);
	snprintf(buf, n, "%s: %s, %s-%s, %s %s", who,
	    _(hr_income_types[r->type].label), r->from ? r->from : "",
	    r->to ? r->to : "", sum, _("UAH"));
}

int
income_add_rows(struct fs *s, struct form *f)
{
	char buf[512];
	int r = 0;

	snprintf(buf, sizeof buf, _("Income declaration (%zu)"), s->in.nincome);
	r |= form_add_heading(f, -1, buf);
	for (size_t i = 0; i < s->in.nincome; i++) {
		income_label(&s->in, i, buf, sizeof buf);
		r |= form_add_button(f, ID_INCOME_ROW + (int)i, buf);
	}
	if (!s->readonly)
		r |= form_add_button(f, ID_INCOME_ADD,
		    _("[+] Add an income (Enter; Delete removes a row)"));
	return r ? -1 : 0;
}

static int
income_make_labels(struct fs *s)
{
	char buf[256];
	size_t n = 1 + s->in.nfamily;

	income_free_labels(s);
	if ((s->member_labels = calloc(n, sizeof *s->member_labels)) == NULL)
		return -1;
	for (size_t i = 0; i < n; i++) {
		income_member_name(&s->in, (int)i, buf, sizeof buf);
		if ((s->member_labels[i] = strdup(buf)) == NULL)
			return -1;
		s->nmember_labels = i + 1;
	}
	return 0;
}

void
income_edit(struct fs *s, int index)
{
	const struct intake_income *r = index >= 0 ? &s->in.income[index] : NULL;
	char sum[HR_AMOUNT_STR_MAX] = "";

	fs_sync(s);                   /* member names as typed so far */
	s->sub_index = index;
	form_clear(&s->sub);
	if (income_make_labels(s) != 0)
		return;
	if (r != NULL)
		hr_amount_format(r->amount, sum, sizeof sum);
	form_add_heading(&s->sub, -1, _("Income: F2 accepts, Esc cancels"));
	form_add_choice(&s->sub, ID_INC_MEMBER, _(F(HR_IF_MEMBER).form_label),
	    (const char *const *)s->member_labels, s->nmember_labels, r ? r->member : 0);
	form_add_choice(&s->sub, ID_INC_TYPE, _(F(HR_IF_TYPE).form_label),
	    s->labels_inc, HR_INC__COUNT, r ? r->type : HR_INC_SALARY);
	form_add_text(&s->sub, ID_INC_FROM, _(F(HR_IF_FROM).form_label),
	    F(HR_IF_FROM).form_max, 12, r ? r->from : NULL);
	form_add_text(&s->sub, ID_INC_TO, _(F(HR_IF_TO).form_label),
	    F(HR_IF_TO).form_max, 12, r ? r->to : NULL);
	form_add_text(&s->sub, ID_INC_AMOUNT, _(F(HR_IF_AMOUNT).form_label),
	    F(HR_IF_AMOUNT).form_max, 18, r ? sum : NULL);
	form_add_button(&s->sub, ID_SUB_DONE, _("[ Accept (F2) ]"));
	fs_sub_show(s, FS_INCOME);
}

static int
income_date(const struct form *f, int id, struct hr_date *d, struct hr_error *e)
{
	char *t = form_text(f, id);
	int r = t ? hr_date_parse(t, strlen(t), NULL, d, e) : -1;

	free(t);
	return r;
}

static const char *
income_amount(struct form *f, char *buf, size_t n)
{
	char *t = form_text(f, ID_INC_AMOUNT), sum[HR_AMOUNT_STR_MAX], note[96];
	struct hr_error e;
	int64_t k;
	const char *m = NULL;

	form_set_note(f, ID_INC_AMOUNT, NULL, 0);
	if (t == NULL)
		return NULL;
	if (hr_amount_parse(t, strlen(t), NULL, &k, &e) != 0) {
		m = *t ? errmsg(&e, buf, n) : _("This field must be filled in");
	} else {
		hr_amount_format(k, sum, sizeof sum);
		snprintf(note, sizeof note, "= %s %s", sum, _("UAH"));
		form_set_note(f, ID_INC_AMOUNT, note, A_NORMAL);
	}
	free(t);
	return m;
}

const char *
income_check(struct fs *s, struct form *f, int id, char *buf, size_t n)
{
	struct hr_date from, to;
	struct hr_error e;

	(void)s;
	switch (id) {
	case ID_INC_FROM:
		if (income_date(f, id, &from, &e) != 0)
			return errmsg(&e, buf, n);
		return NULL;
	case ID_INC_TO:
		if (income_date(f, id, &to, &e) != 0)
			return errmsg(&e, buf, n);
		if (income_date(f, ID_INC_FROM, &from, NULL) == 0 &&
		    hr_date_cmp(&from, &to) > 0)
			return _("The period ends before it begins");
		return NULL;
	case ID_INC_AMOUNT:
		return income_amount(f, buf, n);
	default:
		return NULL;
	}
}

/* A typed date in the form DD.MM.YYYY (as typed if it does not parse). */
static char *
income_date_text(const struct form *f, int id)
{
	struct hr_date d;
	char *t = form_text(f, id), out[HR_DATE_STR_MAX];

	if (t != NULL && hr_date_parse(t, strlen(t), NULL, &d, NULL) == 0 &&
	    hr_date_format(&d, out, sizeof out) == 0) {
		free(t);
		return strdup(out);
	}
	return t;
}

int
income_accept(struct fs *s)
{
	struct intake_income r;
	char *amount;

	if (form_check_all(&s->sub) > 0)
		return -1;
	memset(&r, 0, sizeof r);
	r.member = form_choice(&s->sub, ID_INC_MEMBER);
	r.type = form_choice(&s->sub, ID_INC_TYPE);
	r.member = r.member < 0 ? 0 : r.member;
	r.type = r.type < 0 ? HR_INC_OTHER : r.type;
	r.from = income_date_text(&s->sub, ID_INC_FROM);
	r.to = income_date_text(&s->sub, ID_INC_TO);
	amount = form_text(&s->sub, ID_INC_AMOUNT);
	if (amount != NULL)
		hr_amount_parse(amount, strlen(amount), NULL, &r.amount, NULL);
	free(amount);
	if (s->sub_index >= 0 && (size_t)s->sub_index < s->in.nincome) {
		intake_income_free(&s->in.income[s->sub_index]);
		s->in.income[s->sub_index] = r;
	} else if (intake_income_add(&s->in, &r) != 0) {
		intake_income_free(&r);
		return -1;
	}
	return 0;
}

static void
income_remove_answer(struct app *a, void *ud, int yes)
{
	struct fs *s = ud;

	if (!fs_alive(ud) || !yes)
		return;
	fs_sync(s);
	intake_income_remove(&s->in, (size_t)s->del_index);
	s->dirty = 1;
	fs_build(s);
	app_status(a, "%s", _("The income row was removed"));
}

void
income_remove(struct fs *s, struct app *a, int index)
{
	char label[512], text[768];

	if (index < 0 || (size_t)index >= s->in.nincome)
		return;
	s->del_index = index;
	income_label(&s->in, (size_t)index, label, sizeof label);
	snprintf(text, sizeof text, _("Remove the income row?\n%s"), label);
	app_ask(a, _("Remove an income"), text, 1, 0, income_remove_answer, s);
}
