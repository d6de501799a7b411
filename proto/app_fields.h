/*
 * app_fields.h — the application's fields, named once.
 *
 * What an application.save carries and application.get returns
 * (PROTOCOL.md "application.save"), map by map: the params themselves,
 * a person map, a family entry, an income row and the payment.  Each field
 * has one row: its wire key, type and bounds as the server's schema checks
 * them (the row starts with a struct hr_field, so a map's rows are a
 * schema: HR_APP_SCHEMA), how many characters the form lets a clerk type,
 * the check its value goes through (proto/ident.h), whether it is an
 * identifier kept masked in the audit and the history, its choices, and
 * the words a clerk reads for it (msgids: a label; the form's label when
 * it says more; the word inside an error message).
 *
 * Read by the client's packer and reader (tui/intake/wire.c) and form
 * (tui/intake/person.c), the server's parser and packers
 * (srvd/intake_parse.c, srvd/intake.c), the history of changes
 * (srvd/application_changes.c) and the clerk's words for a field path
 * (tui/field_labels.c, tui/errmsg.c): none of them spells a field's name
 * again.  Cross-field rules (the РНОКПП against birth date and sex, a
 * refusal needing a passport) stay with the code that applies them.
 */
#ifndef HR_APP_FIELDS_H
#define HR_APP_FIELDS_H

#include <stddef.h>

#include "proto/schema.h"

/* The check a field's value goes through (proto/ident.h). */
enum hr_field_check {
	HR_FC_NONE,
	HR_FC_RNOKPP,      /* hr_rnokpp_match, against birth date and sex */
	HR_FC_DATE,        /* hr_date_parse; YYYY-MM-DD on the wire */
	HR_FC_UNZR,        /* hr_unzr_match, against the birth date */
	HR_FC_DOCNUM,      /* hr_docnum_normalize, by the document's kind */
	HR_FC_PHONE,       /* hr_phone_normalize */
	HR_FC_IBAN,        /* hr_iban_normalize */
	HR_FC_CHOICE,      /* one of the field's choices */
};

/* A value a field may take: its wire name and the clerk's word (msgid). */
struct hr_choice {
	const char *name;
	const char *label;
};

struct hr_app_field {
	struct hr_field         wire;       /* key, type, bounds: the schema */
	enum hr_field_check     check;
	unsigned                form_max;   /* characters the form takes; 0:
	                                       not a typed text */
	int                     masked;     /* an identifier: masked ("…1234")
	                                       in the audit and the history */
	const struct hr_choice *choices;    /* HR_FC_CHOICE: its values */
	size_t                  nchoices;
	const char             *label;      /* msgid: "Registration address" */
	const char             *form_label; /* msgid: the form's label */
	const char             *word;       /* msgid: "registration address",
	                                       as an error message says it */
};

/* ---- a person map (the applicant, a family member) ---- */

enum hr_person_field {
	HR_PF_RNOKPP, HR_PF_REFUSED, HR_PF_SURNAME, HR_PF_NAME,
	HR_PF_PATRONYMIC, HR_PF_BIRTH, HR_PF_SEX, HR_PF_UNZR, HR_PF_DOCTYPE,
	HR_PF_DOCNUM, HR_PF_REGADDR, HR_PF_ACTADDR, HR_PF_PHONE,
	HR_PF_ID,                  /* a person of the base; no field of its own */
	HR_PF__COUNT
};
extern const struct hr_app_field hr_person_fields[HR_PF__COUNT];
/* Is field f a text the clerk types (not the refusal, sex, document kind
 * or id)? */
int hr_person_field_typed(enum hr_person_field f);

/* Document kinds by enum hr_doc_kind - 1; sexes by enum hr_sex - 1. */
extern const struct hr_choice hr_doc_types[3];
extern const struct hr_choice hr_sexes[2];

/* ---- a family entry: {relation, person} ---- */

enum hr_member_field { HR_MF_RELATION, HR_MF_PERSON, HR_MF__COUNT };
extern const struct hr_app_field hr_member_fields[HR_MF__COUNT];
enum { HR_REL_SPOUSE, HR_REL_CHILD, HR_REL_PARENT, HR_REL_SIBLING,
	HR_REL_OTHER, HR_REL__COUNT };
extern const struct hr_choice hr_relations[HR_REL__COUNT];

/* ---- an income row ---- */

enum hr_income_field {
	HR_IF_MEMBER, HR_IF_TYPE, HR_IF_FROM, HR_IF_TO, HR_IF_AMOUNT,
	HR_IF__COUNT
};
extern const struct hr_app_field hr_income_fields[HR_IF__COUNT];
enum { HR_INC_SALARY, HR_INC_PENSION, HR_INC_BENEFIT, HR_INC_ALIMONY,
	HR_INC_BUSINESS, HR_INC_OTHER, HR_INC__COUNT };
extern const struct hr_choice hr_income_types[HR_INC__COUNT];

/* ---- the payment ---- */

enum hr_payment_field { HR_YF_METHOD, HR_YF_IBAN, HR_YF_POST, HR_YF__COUNT };
extern const struct hr_app_field hr_payment_fields[HR_YF__COUNT];
enum { HR_PAY_BANK, HR_PAY_POST, HR_PAY__COUNT };
extern const struct hr_choice hr_pay_methods[HR_PAY__COUNT];

/* ---- application.save's params ---- */

enum hr_save_field {
	HR_SF_ID, HR_SF_VERSION, HR_SF_SERVICE, HR_SF_APPLICANT, HR_SF_FAMILY,
	HR_SF_INCOME, HR_SF_PAYMENT, HR_SF_PHONE, HR_SF_NOTES,
	HR_SF_DOCUMENTS,           /* application.get only (the scans' types) */
	HR_SF__COUNT
};
extern const struct hr_app_field hr_save_fields[HR_SF__COUNT];
/* How many of hr_save_fields application.save takes (not documents). */
#define HR_SAVE_PARAMS HR_SF_DOCUMENTS

/* The schema of a map's rows, as an initializer:
 * static const struct hr_schema s = HR_APP_SCHEMA(hr_income_fields,
 * HR_IF__COUNT); */
#define HR_APP_SCHEMA(rows, n) { &(rows)[0].wire, (n), sizeof (rows)[0] }

/* The wire key of field i of a map: HR_KEY(hr_income_fields, HR_IF_TYPE). */
#define HR_KEY(rows, i) ((rows)[i].wire.name)

/* The row of `key` among rows[0..n), or NULL. */
const struct hr_app_field *hr_app_field_find(const struct hr_app_field *rows,
    size_t n, const char *key);
/* The row of a field path's last key ("family[2].person.birth_date" ->
 * birth_date's row), looked for among every map's fields; NULL when no
 * field has that key.  A person's fields are looked at first. */
const struct hr_app_field *hr_app_field_of_path(const char *path);

/* Index of `name` among choices[0..n), or -1. */
int hr_choice_find(const struct hr_choice *choices, size_t n,
    const char *name);

#endif
