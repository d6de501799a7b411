/*
 * forms.h — the documents the front office prints, built from the data of
 * data.h into a document (doc.h) that render.h lays out.
 *
 *   application  the application with the income declaration, signed by
 *                the applicant (order 441 of Мінсоцполітики; FORMS.md §1-2)
 *   receipt      the slip the applicant takes: number, documents accepted
 *                and missing, how the decision will be known (§3)
 *   notice       the decision told to the applicant (§5.1)
 *   register     the transfer register sent with the paper files (§4)
 *
 * The wording is the Ukrainian text of the forms as FORMS.md gives it; it
 * is the document's content, printed the same in any locale, so it is not
 * translated through gettext.  Where FORMS.md marks a label as
 * reconstructed [R], it is used as given there.
 */
#ifndef HR_PAPER_FORMS_H
#define HR_PAPER_FORMS_H

#include "paper/data.h"
#include "paper/doc.h"
#include "proto/error.h"

enum paper_kind {
	PAPER_APPLICATION,
	PAPER_RECEIPT,
	PAPER_NOTICE,
	PAPER_REGISTER,
	PAPER_KIND__COUNT
};

/* Wire/command-line names: "application", "receipt", "notice",
 * "register"; -1 if unknown. */
int         paper_kind_from_name(const char *name);
const char *paper_kind_name(int kind);
/* The title a PDF carries: "Заява", "Розписка", ... */
const char *paper_kind_title(int kind);

/*
 * The document of `kind` for application `a` (not PAPER_REGISTER) into a
 * new document *out (paper_doc_free).  HR_E_STATE for a notice of an
 * application without a decision; HR_E_INTERNAL when memory runs out.
 */
int paper_form_app(int kind, const struct paper_app *a,
    struct paper_doc **out, struct hr_error *err);

/* The transfer register `r`. */
int paper_form_register(const struct paper_register *r,
    struct paper_doc **out, struct hr_error *err);

/*
 * The file name a document is saved under, without a directory:
 * "application_00012-2026.pdf", "register_3-2026.txt" (the '/' of a
 * number becomes '-'; only letters, digits, '-', '_' and '.' are kept).
 */
void paper_file_name(int kind, const char *number, int fmt, char *out,
    size_t cap);

/*
 * The decision as the notice tells it: "refused" for the low-income
 * assistance assigned with a sum of 0.00 (the family's income is above the
 * guaranteed minimum; FORMS.md §5.1 item 9), else the decision's own; and
 * the reason then printed (PAPER_REASON_INCOME_ABOVE when the answer gave
 * none).  The automatic notice (srvd/notices.c) words it the same.
 */
const char *paper_notice_decision(const struct paper_app *a);
const char *paper_notice_reason(const struct paper_app *a);
#define PAPER_REASON_INCOME_ABOVE "середньомісячний сукупний дохід сім'ї " \
	"перевищує рівень забезпечення прожиткового мінімуму для сім'ї"

/* The deadline for the missing documents: the registration date plus one
 * month, three for disability assistance (FORMS.md §1.2 F20). */
const char *paper_missing_deadline(const struct paper_app *a, char *out,
    size_t cap);

#endif
