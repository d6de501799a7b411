/*
 * forms.c — the documents by kind (forms.h): the dispatch to the
 * builder of each (form_*.c), and the file names documents are saved
 * under.  What the builders share is in form_shared.c: they call it, it
 * calls none of them.
 */
#include "config.h"

#include "paper/forms.h"

#include <stdio.h>
#include <string.h>

#include "paper/forms_priv.h"
#include "paper/render.h"

int
paper_form_app(int kind, const struct paper_app *a, struct paper_doc **out,
    struct hr_error *err)
{
	struct paper_doc *d;
	char title[256];
	int rc;

	*out = NULL;
	if (kind == PAPER_NOTICE && !a->has_decision)
		return hr_error_set(err, HR_E_STATE, "application %s has no "
		    "decision yet: there is no notice to print",
		    a->reg_no ? a->reg_no : "?");
	if (kind < 0 || kind >= PAPER_KIND__COUNT || kind == PAPER_REGISTER)
		return hr_error_set(err, HR_E_INVALID, "not a document of an "
		    "application: %d", kind);
	snprintf(title, sizeof title, "%s № %s", paper_kind_title(kind),
	    a->reg_no ? a->reg_no : "");
	if (a->arena.failed || (d = paper_doc_new(title)) == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	rc = kind == PAPER_APPLICATION ? paper_form_application(a, d) :
	    kind == PAPER_RECEIPT ? paper_form_receipt(a, d) :
	    paper_form_notice(a, d);
	if (rc < 0) {
		paper_doc_free(d);
		return hr_error_set(err, HR_E_INTERNAL, "out of memory while "
		    "building the %s", paper_kind_name(kind));
	}
	*out = d;
	return 0;
}

int
paper_form_register(const struct paper_register *r, struct paper_doc **out,
    struct hr_error *err)
{
	struct paper_doc *d;
	char title[256];

	*out = NULL;
	snprintf(title, sizeof title, "%s № %d/%d", paper_kind_title(PAPER_REGISTER),
	    r->number, r->year);
	if (r->arena.failed || (d = paper_doc_new(title)) == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	if (paper_form_register_doc(r, d) < 0) {
		paper_doc_free(d);
		return hr_error_set(err, HR_E_INTERNAL, "out of memory while "
		    "building the register");
	}
	*out = d;
	return 0;
}

void
paper_file_name(int kind, const char *number, int fmt, char *out, size_t cap)
{
	char safe[128];
	size_t n = 0;

	for (const char *p = number ? number : ""; *p && n + 1 < sizeof safe; p++) {
		unsigned char c = (unsigned char)*p;
		if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z') || c == '-' || c == '_' || c == '.')
			safe[n++] = (char)c;
		else if (c == '/' || c == ' ')
			safe[n++] = '-';
	}
	safe[n] = '\0';
	snprintf(out, cap, "%s_%s.%s", paper_kind_name(kind),
	    n ? safe : "new", paper_format_ext(fmt));
}
