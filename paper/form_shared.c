/*
 * form_shared.c — what the documents' builders (form_*.c) share
 * (forms_priv.h): the deadline for the missing documents, an office's
 * contacts in one line.
 */
#include "config.h"

#include "paper/forms_priv.h"

#include <stdio.h>
#include <string.h>

#include "paper/fmt.h"
#include "paper/forms.h"

/* Services whose missing documents may come within three months, not one
 * (assistance 248 of ЄІССС: FORMS.md §1.2 F20). */
static const char *const three_month_services[] = { "disability_child" };

const char *
paper_missing_deadline(const struct paper_app *a, char *out, size_t cap)
{
	int months = 1;

	for (size_t i = 0; i < sizeof three_month_services /
	    sizeof three_month_services[0]; i++)
		if (a->service && strcmp(a->service, three_month_services[i]) == 0)
			months = 3;
	return paper_date_add_months(a->reg_date, months, out, cap);
}

const char *
paper_office_contacts(const struct paper_office *o, char *out, size_t cap)
{
	const struct { const char *prefix, *v; } parts[] = {
		{ "", o->address }, { "тел. ", o->phone }, { "e-mail ", o->email },
		{ "години роботи: ", o->hours },
	};
	size_t len = 0;

	if (cap > 0)
		out[0] = '\0';
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		int n;
		if (parts[i].v == NULL || parts[i].v[0] == '\0' || len >= cap)
			continue;
		n = snprintf(out + len, cap - len, "%s%s%s", len ? "; " : "",
		    parts[i].prefix, parts[i].v);
		if (n > 0)
			len += (size_t)n;
	}
	return out;
}
