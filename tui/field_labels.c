/*
 * field_labels.c — names and values of an application's fields for the
 * clerk (field_labels.h).
 */
#include "config.h"

#include "tui/field_labels.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/ident.h"
#include "tui/intake/application.h"
#include "tui/tui.h"

static const struct {
	const char *key, *label;
} person_fields[] = {
	{ "rnokpp",         N_("RNOKPP") },
	{ "rnokpp_refused", N_("Refused the RNOKPP") },
	{ "surname",        N_("Surname") },
	{ "name",           N_("Given name") },
	{ "patronymic",     N_("Patronymic") },
	{ "birth_date",     N_("Birth date") },
	{ "sex",            N_("Sex") },
	{ "unzr",           N_("UNZR") },
	{ "doc_type",       N_("Document") },
	{ "doc_number",     N_("Document number") },
	{ "reg_address",    N_("Registration address") },
	{ "act_address",    N_("Actual address") },
	{ "phone",          N_("Phone") },
	{ "relation",       N_("Relation") },
};

static const struct {
	const char *path, *label;
} app_fields[] = {
	{ "service",             N_("Service") },
	{ "payment.method",      N_("Payment") },
	{ "payment.iban",        N_("IBAN") },
	{ "payment.post_office", N_("Post office") },
	{ "phone",               N_("Contact phone") },
	{ "notes",               N_("Notes") },
	{ "documents",           N_("Documents") },
	{ "applicant",           N_("Applicant") },
	{ "family",              N_("Family member (removed)") },
};

const char *
field_person_label(const char *key)
{
	for (size_t i = 0; i < sizeof person_fields / sizeof person_fields[0];
	    i++)
		if (strcmp(key, person_fields[i].key) == 0)
			return _(person_fields[i].label);
	return NULL;
}

const char *
field_path_label(const char *path, char *buf, size_t cap)
{
	const char *dot = strchr(path, '.'), *f;
	int k;

	for (size_t i = 0; i < sizeof app_fields / sizeof app_fields[0]; i++)
		if (strcmp(path, app_fields[i].path) == 0) {
			snprintf(buf, cap, "%s", _(app_fields[i].label));
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

/* The last component of a path: "reg_address" of "family[2].reg_address". */
static const char *
last_key(const char *path)
{
	const char *dot = strrchr(path, '.');

	return dot ? dot + 1 : path;
}

const char *
field_value_text(const char *path, const char *value, char *buf, size_t cap)
{
	static const char *const docs[][2] = {
		{ "passport", N_("passport booklet") }, { "id_card", N_("ID card") },
		{ "birth_cert", N_("birth certificate") },
	};
	const char *key = last_key(path);
	struct hr_date d;

	if (value == NULL || *value == '\0')
		return "—";
	if (strcmp(key, "birth_date") == 0 &&
	    hr_date_parse(value, strlen(value), NULL, &d, NULL) == 0 &&
	    hr_date_format(&d, buf, cap) == 0)
		return buf;
	if (strcmp(key, "sex") == 0)
		return strcmp(value, "M") == 0 ? _("male") : _("female");
	if (strcmp(key, "rnokpp_refused") == 0)
		return strcmp(value, "true") == 0 ? _("Yes") : _("No");
	if (strcmp(key, "doc_type") == 0)
		for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++)
			if (strcmp(value, docs[i][0]) == 0)
				return _(docs[i][1]);
	if (strcmp(key, "relation") == 0)
		for (int i = 0; i < REL__COUNT; i++)
			if (strcmp(value, intake_rel_names[i]) == 0)
				return _(intake_rel_labels[i]);
	if (strcmp(path, "payment.method") == 0)
		return strcmp(value, "bank") == 0 ? _("to a bank account") :
		    _("through a post office");
	snprintf(buf, cap, "%s", value);
	return buf;
}
