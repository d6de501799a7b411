/*
 * intake.h — what the intake methods (person.*, application.*) share:
 * loading an application the user may see, packing persons, masking
 * identifiers for the audit log, the conflict message, and the parsed and
 * validated form of an application.save request (intake_parse.c).
 *
 * Field paths in error messages are 1-based for arrays ("family[1]" is the
 * first family member, the one an income row calls member 1).
 */
#ifndef SRV_INTAKE_H
#define SRV_INTAKE_H

#include <stddef.h>
#include <stdint.h>

#include <msgpack.h>

#include "db/application_parts.h"
#include "db/applications.h"
#include "db/persons.h"
#include "proto/error.h"
#include "proto/ident.h"
#include "srvd/method_table.h"

/*
 * Application `id` if the connection's user may see it (scope.h
 * scope_sees_app); HR_E_NOT_FOUND otherwise, worded exactly as for an id
 * that does not exist and without personal data.  db_app_free when done.
 */
int  intake_app_load(struct srv_req *rq, int64_t id, struct db_app *out,
    struct hr_error *err);

/* HR_E_CONFLICT "application N (reg no) was changed by <full name> at
 * DD.MM.YYYY HH:MM; reload" from its history. */
int  intake_conflict(struct srv_req *rq, const struct db_app *a,
    struct hr_error *err);

/* person_brief (full = 0) or person_full (full = 1) as a map; with a
 * relation, the map carries it too ({relation, ...person_full}). */
void intake_pack_person(msgpack_packer *pk, const struct db_person_view *v,
    int full, const char *relation);

/* Pack person `id` as person_full (relation as above, may be NULL). */
int  intake_pack_person_id(struct srv_req *rq, int64_t id,
    const char *relation, struct hr_error *err);

/*
 * An array packed apart and then appended: the count goes first in
 * msgpack but is known only at the end.
 */
struct intake_list {
	msgpack_sbuffer sb;
	msgpack_packer  pk;
	uint32_t        n;
};
void intake_list_init(struct intake_list *l);
/* Pack "key": [items] into pk and free the buffer. */
void intake_list_flush(struct intake_list *l, msgpack_packer *pk,
    const char *key);
void intake_list_destroy(struct intake_list *l);

/* Family members of an application or a person, collected before packing
 * (their persons are read one by one). */
#define INTAKE_FAMILY_MAX 64
struct intake_family {
	int64_t id[INTAKE_FAMILY_MAX];
	char    relation[INTAKE_FAMILY_MAX][16];
	size_t  n;
};
int  intake_family_of_app(struct srv_req *rq, int64_t app_id,
    struct intake_family *f, struct hr_error *err);
int  intake_family_of_person(struct srv_req *rq, int64_t person_id,
    struct intake_family *f, struct hr_error *err);

/* "…1234": all but the last 4 characters hidden ("-" for NULL). */
void intake_mask(const char *s, char *out, size_t cap);

/* Rewrite err as HR_E_INVALID "<path>: <what>", dropping the validator's
 * own field label ("РНОКПП: ...").  Returns -1. */
int  intake_field_err(struct hr_error *err, const char *path);


/* ---- application.save, parsed and validated (intake_parse.c) ---- */

struct intake_person {
	int64_t          id;                 /* 0: a new person */
	struct db_person p;                  /* points into the buffers */
	char             rnokpp[HR_RNOKPP_LEN + 1];
	char             unzr[HR_UNZR_LEN + 1];
	char             birth[HR_DATE_STR_MAX];
	char             doc[HR_DOCNUM_STR_MAX];
	char             phone[HR_PHONE_STR_MAX];
};

struct intake_member {
	char                 relation[16];
	struct intake_person person;
};

struct intake_income {
	struct db_income r;
	char             type[16];
	char             from[HR_DATE_STR_MAX], to[HR_DATE_STR_MAX];
};

struct intake_save {
	int64_t               id, version;   /* id 0: create */
	char                 *service;
	struct intake_person  applicant;
	struct intake_member *family;
	size_t                nfamily;
	struct intake_income *income;
	size_t                nincome;
	const char          **docs;          /* codes, point into owned */
	size_t                ndocs;
	int                   package_full;
	const char           *pay_method;    /* "bank", "post" or NULL */
	char                  iban[HR_IBAN_STR_MAX];
	char                 *post_office;
	char                  phone[HR_PHONE_STR_MAX];
	char                 *notes;
	char                **owned;         /* every string copied in */
	size_t                nowned, capowned;
};

/*
 * Check the params of application.save (srvd/method_application_save.c's
 * schema indices) field by field with proto/ident.h and the reference
 * data, into `s`.  HR_E_INVALID naming the field.  intake_save_free after,
 * whatever the result.
 */
int  intake_parse(struct srv_req *rq, struct intake_save *s,
    struct hr_error *err);
void intake_save_free(struct intake_save *s);

/* Indices of application.save's params (the schema's order). */
enum {
	SAVE_ID, SAVE_VERSION, SAVE_SERVICE, SAVE_APPLICANT, SAVE_FAMILY,
	SAVE_INCOME, SAVE_DOCUMENTS, SAVE_PAYMENT, SAVE_PHONE, SAVE_NOTES,
	SAVE__COUNT
};

#endif
