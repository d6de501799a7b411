/*
 * app_fields.c — the table of the application's fields (app_fields.h).
 *
 * A row: { { key, wire type, flags, min, max }, check, form_max, masked,
 * choices, nchoices, label, form_label, word }.  The wire bounds are what
 * the server takes before checking a value (a little more than a right
 * value needs, so that a wrong one is named by its check, not by its
 * length); form_max is what a clerk can type.  Changing a key or a bound
 * here changes the protocol: PROTOCOL.md "application.save" says the same.
 */
#include "config.h"

#include "proto/app_fields.h"

#include <stdint.h>
#include <string.h>

#include "proto/error.h"

#define CHOICES(c) (c), sizeof (c) / sizeof (c)[0]

const struct hr_choice hr_doc_types[3] = {
	{ "passport",   HR_MSGID("passport booklet") },
	{ "id_card",    HR_MSGID("ID card") },
	{ "birth_cert", HR_MSGID("birth certificate") },
};

const struct hr_choice hr_sexes[2] = {
	{ "M", HR_MSGID("male") },
	{ "F", HR_MSGID("female") },
};

const struct hr_choice hr_relations[HR_REL__COUNT] = {
	[HR_REL_SPOUSE]  = { "spouse",  HR_MSGID("spouse") },
	[HR_REL_CHILD]   = { "child",   HR_MSGID("child") },
	[HR_REL_PARENT]  = { "parent",  HR_MSGID("parent") },
	[HR_REL_SIBLING] = { "sibling", HR_MSGID("brother or sister") },
	[HR_REL_OTHER]   = { "other",   HR_MSGID("other relative") },
};

const struct hr_choice hr_income_types[HR_INC__COUNT] = {
	[HR_INC_SALARY]   = { "salary",   HR_MSGID("salary") },
	[HR_INC_PENSION]  = { "pension",  HR_MSGID("pension") },
	[HR_INC_BENEFIT]  = { "benefit",  HR_MSGID("state benefit") },
	[HR_INC_ALIMONY]  = { "alimony",  HR_MSGID("alimony") },
	[HR_INC_BUSINESS] = { "business", HR_MSGID("business income") },
	[HR_INC_OTHER]    = { "other",    HR_MSGID("other income") },
};

const struct hr_choice hr_pay_methods[HR_PAY__COUNT] = {
	[HR_PAY_BANK] = { "bank", HR_MSGID("to a bank account") },
	[HR_PAY_POST] = { "post", HR_MSGID("through a post office") },
};

#define NUL  HR_F_NULLABLE
#define REQ  HR_F_REQUIRED

const struct hr_app_field hr_person_fields[HR_PF__COUNT] = {
	[HR_PF_RNOKPP] = { { "rnokpp", HR_F_STR, NUL, 0, 16 }, HR_FC_RNOKPP,
	    10, 1, NULL, 0, HR_MSGID("RNOKPP"), HR_MSGID("RNOKPP"),
	    HR_MSGID("RNOKPP") },
	[HR_PF_REFUSED] = { { "rnokpp_refused", HR_F_BOOL, NUL, 0, 0 },
	    HR_FC_NONE, 0, 0, NULL, 0, HR_MSGID("Refused the RNOKPP"),
	    HR_MSGID("Refused the RNOKPP (mark in the passport)"),
	    HR_MSGID("refused the RNOKPP") },
	[HR_PF_SURNAME] = { { "surname", HR_F_STR, NUL, 0, 64 }, HR_FC_NONE,
	    64, 0, NULL, 0, HR_MSGID("Surname"), HR_MSGID("Surname"),
	    HR_MSGID("surname") },
	[HR_PF_NAME] = { { "name", HR_F_STR, NUL, 0, 64 }, HR_FC_NONE,
	    64, 0, NULL, 0, HR_MSGID("Given name"), HR_MSGID("Given name"),
	    HR_MSGID("given name") },
	[HR_PF_PATRONYMIC] = { { "patronymic", HR_F_STR, NUL, 0, 64 },
	    HR_FC_NONE, 64, 0, NULL, 0, HR_MSGID("Patronymic"),
	    HR_MSGID("Patronymic"), HR_MSGID("patronymic") },
	[HR_PF_BIRTH] = { { "birth_date", HR_F_STR, NUL, 0, 16 }, HR_FC_DATE,
	    10, 0, NULL, 0, HR_MSGID("Birth date"), HR_MSGID("Birth date"),
	    HR_MSGID("birth date") },
	[HR_PF_SEX] = { { "sex", HR_F_STR, NUL, 0, 1 }, HR_FC_CHOICE,
	    0, 0, CHOICES(hr_sexes), HR_MSGID("Sex"), HR_MSGID("Sex"),
	    HR_MSGID("sex") },
	[HR_PF_UNZR] = { { "unzr", HR_F_STR, NUL, 0, 20 }, HR_FC_UNZR,
	    14, 1, NULL, 0, HR_MSGID("UNZR"), HR_MSGID("UNZR (if any)"),
	    HR_MSGID("UNZR") },
	[HR_PF_DOCTYPE] = { { "doc_type", HR_F_STR, NUL, 0, 16 }, HR_FC_CHOICE,
	    0, 0, CHOICES(hr_doc_types), HR_MSGID("Document"),
	    HR_MSGID("Document"), HR_MSGID("document type") },
	[HR_PF_DOCNUM] = { { "doc_number", HR_F_STR, NUL, 0, 32 }, HR_FC_DOCNUM,
	    24, 1, NULL, 0, HR_MSGID("Document number"),
	    HR_MSGID("Document number"), HR_MSGID("document number") },
	[HR_PF_REGADDR] = { { "reg_address", HR_F_STR, NUL, 0, 300 },
	    HR_FC_NONE, 200, 0, NULL, 0, HR_MSGID("Registration address"),
	    HR_MSGID("Registration address"),
	    HR_MSGID("registration address") },
	[HR_PF_ACTADDR] = { { "act_address", HR_F_STR, NUL, 0, 300 },
	    HR_FC_NONE, 200, 0, NULL, 0, HR_MSGID("Actual address"),
	    HR_MSGID("Actual address"), HR_MSGID("actual address") },
	[HR_PF_PHONE] = { { "phone", HR_F_STR, NUL, 0, 32 }, HR_FC_PHONE,
	    20, 0, NULL, 0, HR_MSGID("Phone"), HR_MSGID("Phone"),
	    HR_MSGID("phone") },
	[HR_PF_ID] = { { "id", HR_F_INT, NUL, 1, INT64_MAX }, HR_FC_NONE,
	    0, 0, NULL, 0, NULL, NULL, HR_MSGID("record") },
};

const struct hr_app_field hr_member_fields[HR_MF__COUNT] = {
	[HR_MF_RELATION] = { { "relation", HR_F_STR, REQ, 0, 15 }, HR_FC_CHOICE,
	    0, 0, CHOICES(hr_relations), HR_MSGID("Relation"),
	    HR_MSGID("Relation"), HR_MSGID("relation") },
	[HR_MF_PERSON] = { { "person", HR_F_MAP, REQ, 0, HR_PF__COUNT },
	    HR_FC_NONE, 0, 0, NULL, 0, NULL, NULL, NULL },
};

const struct hr_app_field hr_income_fields[HR_IF__COUNT] = {
	[HR_IF_MEMBER] = { { "member", HR_F_INT, REQ, 0, 20 }, HR_FC_NONE,
	    0, 0, NULL, 0, NULL, HR_MSGID("Whose income"),
	    HR_MSGID("family member") },
	[HR_IF_TYPE] = { { "type", HR_F_STR, REQ, 0, 15 }, HR_FC_CHOICE,
	    0, 0, CHOICES(hr_income_types), NULL, HR_MSGID("Kind of income"),
	    HR_MSGID("income type") },
	[HR_IF_FROM] = { { "period_from", HR_F_STR, REQ, 0, 16 }, HR_FC_DATE,
	    10, 0, NULL, 0, NULL, HR_MSGID("Period from"),
	    HR_MSGID("period from") },
	[HR_IF_TO] = { { "period_to", HR_F_STR, REQ, 0, 16 }, HR_FC_DATE,
	    10, 0, NULL, 0, NULL, HR_MSGID("Period to"),
	    HR_MSGID("period to") },
	[HR_IF_AMOUNT] = { { "amount", HR_F_INT, REQ, INT64_MIN, INT64_MAX },
	    HR_FC_NONE, 24, 0, NULL, 0, NULL, HR_MSGID("Sum, UAH"),
	    HR_MSGID("amount") },
};

const struct hr_app_field hr_payment_fields[HR_YF__COUNT] = {
	[HR_YF_METHOD] = { { "method", HR_F_STR, REQ, 0, 8 }, HR_FC_CHOICE,
	    0, 0, CHOICES(hr_pay_methods), HR_MSGID("Payment"),
	    HR_MSGID("Paid"), HR_MSGID("payment method") },
	[HR_YF_IBAN] = { { "iban", HR_F_STR, NUL, 0, 64 }, HR_FC_IBAN,
	    40, 1, NULL, 0, HR_MSGID("IBAN"), HR_MSGID("IBAN"),
	    HR_MSGID("IBAN") },
	[HR_YF_POST] = { { "post_office", HR_F_STR, NUL, 0, 200 }, HR_FC_NONE,
	    120, 0, NULL, 0, HR_MSGID("Post office"), HR_MSGID("Post office"),
	    HR_MSGID("post office") },
};

const struct hr_app_field hr_save_fields[HR_SF__COUNT] = {
	[HR_SF_ID] = { { "id", HR_F_INT, NUL, 1, INT64_MAX }, HR_FC_NONE,
	    0, 0, NULL, 0, NULL, NULL, HR_MSGID("record") },
	[HR_SF_VERSION] = { { "version", HR_F_INT, NUL, 1, INT64_MAX },
	    HR_FC_NONE, 0, 0, NULL, 0, NULL, NULL, HR_MSGID("version") },
	[HR_SF_SERVICE] = { { "service", HR_F_STR, REQ, 0, 64 }, HR_FC_NONE,
	    0, 0, NULL, 0, HR_MSGID("Service"), HR_MSGID("Service"),
	    HR_MSGID("service") },
	[HR_SF_APPLICANT] = { { "applicant", HR_F_MAP, REQ, 0, 16 },
	    HR_FC_NONE, 0, 0, NULL, 0, HR_MSGID("Applicant"),
	    HR_MSGID("Applicant"), HR_MSGID("applicant") },
	[HR_SF_FAMILY] = { { "family", HR_F_ARRAY, NUL, 0, 20 }, HR_FC_NONE,
	    0, 0, NULL, 0, HR_MSGID("Family member"), NULL,
	    HR_MSGID("family member") },
	[HR_SF_INCOME] = { { "income", HR_F_ARRAY, NUL, 0, 200 }, HR_FC_NONE,
	    0, 0, NULL, 0, NULL, NULL, HR_MSGID("income row") },
	[HR_SF_PAYMENT] = { { "payment", HR_F_MAP, NUL, 0, 3 }, HR_FC_NONE,
	    0, 0, NULL, 0, NULL, HR_MSGID("Payment"), HR_MSGID("payment") },
	[HR_SF_PHONE] = { { "phone", HR_F_STR, NUL, 0, 32 }, HR_FC_PHONE,
	    0, 0, NULL, 0, HR_MSGID("Contact phone"), NULL, HR_MSGID("phone") },
	[HR_SF_NOTES] = { { "notes", HR_F_STR, NUL, 0, 2000 }, HR_FC_NONE,
	    2000, 0, NULL, 0, HR_MSGID("Notes"), HR_MSGID("Notes"),
	    HR_MSGID("notes") },
	[HR_SF_DOCUMENTS] = { { "documents", HR_F_ARRAY, NUL, 0, 40 },
	    HR_FC_NONE, 0, 0, NULL, 0, HR_MSGID("Documents"), NULL,
	    HR_MSGID("document") },
};

int
hr_person_field_typed(enum hr_person_field f)
{
	return hr_person_fields[f].form_max > 0;
}

const struct hr_app_field *
hr_app_field_find(const struct hr_app_field *rows, size_t n, const char *key)
{
	for (size_t i = 0; key != NULL && i < n; i++)
		if (strcmp(rows[i].wire.name, key) == 0)
			return &rows[i];
	return NULL;
}

const struct hr_app_field *
hr_app_field_of_path(const char *path)
{
	static const struct {
		const struct hr_app_field *rows;
		size_t n;
	} maps[] = {
		{ hr_person_fields,  HR_PF__COUNT },
		{ hr_member_fields,  HR_MF__COUNT },
		{ hr_income_fields,  HR_IF__COUNT },
		{ hr_payment_fields, HR_YF__COUNT },
		{ hr_save_fields,    HR_SF__COUNT },
	};
	const char *dot = path ? strrchr(path, '.') : NULL;
	const char *key = dot ? dot + 1 : path;
	const struct hr_app_field *f;

	for (size_t i = 0; i < sizeof maps / sizeof maps[0]; i++)
		if ((f = hr_app_field_find(maps[i].rows, maps[i].n, key)) != NULL)
			return f;
	return NULL;
}

int
hr_choice_find(const struct hr_choice *choices, size_t n, const char *name)
{
	for (size_t i = 0; name != NULL && i < n; i++)
		if (strcmp(choices[i].name, name) == 0)
			return (int)i;
	return -1;
}
