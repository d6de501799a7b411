/*
 * forms_priv.h — the builders behind paper_form_app and
 * paper_form_register (forms.c), one file per document.  Internal to
 * paper/.  Each adds its document's blocks to `d` and returns 0, or -1
 * when the document ran out of memory.
 */
#ifndef HR_PAPER_FORMS_PRIV_H
#define HR_PAPER_FORMS_PRIV_H

#include "paper/data.h"
#include "paper/doc.h"

int paper_form_application(const struct paper_app *a, struct paper_doc *d);
int paper_form_receipt(const struct paper_app *a, struct paper_doc *d);
int paper_form_notice(const struct paper_app *a, struct paper_doc *d);
int paper_form_register_doc(const struct paper_register *r,
    struct paper_doc *d);

/* The office's contacts in one line: "адреса; тел. ...; e-mail ...;
 * години роботи ..." ("" when none is known). */
const char *paper_office_contacts(const struct paper_office *o, char *out,
    size_t cap);

#endif
