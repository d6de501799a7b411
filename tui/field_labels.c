/*
 * field_labels.c — names and values of an application's fields for the
 * clerk (field_labels.h): the words are those of the fields table
 * (proto/app_fields.h).
 */
#include "config.h"

#include "tui/field_labels.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/ident.h"
#include "proto/app_fields.h"
#include "tui/tui.h"

/* The parts of an application a change names as a whole: a family
 * member's path alone is one removed (an added one has fields). */
static const struct {
	const char *path, *label;
} app_parts[] = {
	{ "applicant",           N_("Applicant") },
	{ "family",              N_("Family member (removed)") },
};

const char *
field_person_label(const char *key)
{
	const struct hr_app_field *f;

	if ((f = hr_app_field_find(hr_person_fields, HR_PF__COUNT, key)) == NULL &&
	    (f = hr_app_field_find(hr_member_fields, HR_MF__COUNT, key)) == NULL)
		return NULL;
	return f->label ? _(f->label) : NULL;
}

/* The label of an application's own field: "service", "payment.iban". */
static const char *
app_field_label(const char *path)
{
	const char *dot = strchr(path, '.');
	const struct hr_app_field *f;

	if (dot == NULL)
		f = hr_app_field_find(hr_save_fields, HR_SF__COUNT, path);
	else if (strncmp(path, HR_KEY(hr_save_fields, HR_SF_PAYMENT),
	    (size_t)(dot - path)) == 0)
		f = hr_app_field_find(hr_payment_fields, HR_YF__COUNT, dot + 1);
	else
		f = NULL;
	return f != NULL && f->label != NULL ? _(f->label) : NULL;
}

const char *
field_path_label(const char *path, char *buf, size_t cap)
{
	const char *dot = strchr(path, '.'), *f;
	int k;

	for (size_t i = 0; i < sizeof app_parts / sizeof app_parts[0]; i++)
		if (strcmp(path, app_parts[i].path) == 0) {
			snprintf(buf, cap, "%s", _(app_parts[i].label));
			return buf;
		}
	if ((f = app_field_label(path)) != NULL) {
		snprintf(buf, cap, "%s", f);
		return buf;
	}
	if (sscanf(path, "income[%d]", &k) == 1 && dot == NULL) {
		snprintf(buf, cap, _("Income, row %d"), k);
		return buf;
	}
	if (sscanf(path, "family[%d]", &k) == 1) {
		if (dot == NULL)
			snprintf(buf, cap, _("Family member %d"), k);
		else if ((f = field_person_label(dot + 1)) != NULL)
			snprintf(buf, cap, "%s %d: %s", _("Family member"), k, f);
		else
			snprintf(buf, cap, "%s", path);
		return buf;
	}
	if (strncmp(path, "applicant.", 10) == 0 &&
	    (f = field_person_label(path + 10)) != NULL) {
		snprintf(buf, cap, "%s: %s", _("Applicant"), f);
		return buf;
	}
	snprintf(buf, cap, "%s", path);
	return buf;
}

/* The clerk's word for `value` among a field's choices; NULL if none. */
static const char *
choice_label(const struct hr_app_field *f, const char *value)
{
	int i;

	if (f == NULL || f->check != HR_FC_CHOICE ||
	    (i = hr_choice_find(f->choices, f->nchoices, value)) < 0)
		return NULL;
	return _(f->choices[i].label);
}

const char *
field_value_text(const char *path, const char *value, char *buf, size_t cap)
{
	const char *word;
	const struct hr_app_field *f = hr_app_field_of_path(path);
	struct hr_date d;

	if (value == NULL || *value == '\0')
		return "—";
	if (f != NULL && f->check == HR_FC_DATE &&
	    hr_date_parse(value, strlen(value), NULL, &d, NULL) == 0 &&
	    hr_date_format(&d, buf, cap) == 0)
		return buf;
	if (f == &hr_person_fields[HR_PF_REFUSED])
		return strcmp(value, "true") == 0 ? _("Yes") : _("No");
	if ((word = choice_label(f, value)) != NULL)
		return word;
	snprintf(buf, cap, "%s", value);
	return buf;
}
