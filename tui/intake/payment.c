/*
 * payment.c — how the assistance is paid (a bank account, IBAN with
 * its mod-97 check, or a post office) and the clerk's notes.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/ident.h"
#include "tui/errmsg.h"
#include "tui/intake/form_priv.h"

/* The payment's fields and the notes (proto/app_fields.h). */
#define Y(i) hr_payment_fields[i]
#define NOTES hr_save_fields[HR_SF_NOTES]

int
payment_add_items(struct fs *s, struct form *f)
{
	int r = 0, bank = s->in.pay_method != PAY_POST;

	r |= form_add_heading(f, -1, _("Payment"));
	r |= form_add_choice(f, ID_PAY_METHOD, _(Y(HR_YF_METHOD).form_label),
	    s->labels_pay, HR_PAY__COUNT, bank ? HR_PAY_BANK : HR_PAY_POST);
	if (bank)
		r |= form_add_text(f, ID_IBAN, _(Y(HR_YF_IBAN).form_label),
		    Y(HR_YF_IBAN).form_max, 34, s->in.iban);
	else
		r |= form_add_text(f, ID_POST, _(Y(HR_YF_POST).form_label),
		    Y(HR_YF_POST).form_max, 0, s->in.post_office);
	r |= form_add_heading(f, -1, _("Notes"));
	r |= form_add_text(f, ID_NOTES, _(NOTES.form_label), NOTES.form_max, 0,
	    s->in.notes);
	return r ? -1 : 0;
}

void
payment_read(struct fs *s, const struct form *f)
{
	char *t;

	s->in.pay_method = form_choice(f, ID_PAY_METHOD) == 1 ? PAY_POST : PAY_BANK;
	if (form_item((struct form *)f, ID_IBAN) != NULL) {
		t = form_text(f, ID_IBAN);
		intake_set(&s->in.iban, t);
		free(t);
	}
	if (form_item((struct form *)f, ID_POST) != NULL) {
		t = form_text(f, ID_POST);
		intake_set(&s->in.post_office, t);
		free(t);
	}
	t = form_text(f, ID_NOTES);
	intake_set(&s->in.notes, t);
	free(t);
}

static const char *
payment_iban(struct form *f, char *buf, size_t n)
{
	char *t = form_text(f, ID_IBAN), out[HR_IBAN_STR_MAX], note[96];
	struct hr_error e;
	const char *m = NULL;

	form_set_note(f, ID_IBAN, NULL, 0);
	if (t == NULL)
		return NULL;
	if (hr_iban_normalize(t, strlen(t), out, sizeof out, &e) != 0)
		m = *t ? errmsg(&e, buf, n) : _("Enter the IBAN of the applicant's account");
	else if (strcmp(out, t) != 0) {
		snprintf(note, sizeof note, _("will be saved as %s"), out);
		form_set_note(f, ID_IBAN, note, A_NORMAL);
	}
	free(t);
	return m;
}

const char *
payment_check(struct fs *s, struct form *f, int id, char *buf, size_t n)
{
	char *t;
	int empty;

	switch (id) {
	case ID_PAY_METHOD:
		s->rebuild = 1;          /* IBAN or post office: another field */
		return NULL;
	case ID_IBAN:
		return payment_iban(f, buf, n);
	case ID_POST:
		t = form_text(f, ID_POST);
		empty = t == NULL || *t == '\0';
		free(t);
		return empty ? _("Enter the post office") : NULL;
	default:
		return NULL;
	}
}
