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
#include "proto/app_fields.h"
#include "proto/error.h"
#include "proto/ident.h"
#include "srvd/method_table.h"

/*
 * Application `id` if the connection's user may see it (scope.h
 * scope_sees_app); HR_E_NOT_FOUND "application not found" otherwise, the
 * same bytes whether it does not exist or is out of sight (issue 10).
 * db_app_free when done.
 * Sets rq->app_seen: the readers of an application's parts assert it.
 */
int  intake_app_load(struct srv_req *rq, int64_t id, struct db_app *out,
    struct hr_error *err);

/* HR_E_CONFLICT "application N (reg no) was changed by <full name> at
 * DD.MM.YYYY HH:MM; reload" from its history. */
int  intake_conflict(struct srv_req *rq, const struct db_app *a,
    struct hr_error *err);

/*
 * May the user open person `id` of the base?  Yes when the person is one
 * of the user's oblast (a name search there finds them: address or an
 * application, migration 015), or when one of idents[0..n) — what the
 * user typed, NULL entries skipped — is the person's РНОКПП, document
 * number or УНЗР (a lookup by identifier is national).  *yes 1 or 0; a
 * person who does not exist is 0, like one out of reach.
 */
int  intake_person_reachable(struct srv_req *rq, int64_t id,
    const char *const *idents, size_t n, int *yes, struct hr_error *err);

/* person_brief (full = 0) or person_full (full = 1) as a map; with a
 * relation, the map carries it too ({relation, ...person_full}). */
void intake_pack_person(msgpack_packer *pk, const struct db_person_view *v,
    int full, const char *relation);

/*
 * person_lean (PROTOCOL.md "application.get"): person_full with only the
 * fields that have a value; with `same_reg` (the applicant's registration
 * address), a member registered there carries reg_same: true instead of
 * the address.
 */
void intake_pack_person_lean(msgpack_packer *pk, const struct db_person_view *v,
    const char *relation, const char *same_reg);

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

/* The family of a person in the base, collected before packing (their
 * persons are read one by one). */
#define INTAKE_FAMILY_MAX 64
struct intake_family {
	int64_t id[INTAKE_FAMILY_MAX];
	char    relation[INTAKE_FAMILY_MAX][16];
	size_t  n;
};
int  intake_family_of_person(struct srv_req *rq, int64_t person_id,
    struct intake_family *f, struct hr_error *err);

/*
 * Field f of a person as a person map carries it (proto/app_fields.h): a
 * text as stored, sex "M"/"F", rnokpp_refused "true"/"false"; NULL when it
 * has none (NULL or "", and for HR_PF_ID).  For what compares persons
 * field by field: the history's changes (application_changes.c),
 * application.get's base_changed, the base's corrections.
 */
const char *intake_person_value(const struct db_person *p,
    enum hr_person_field f);

/* "…1234": all but the last 4 characters hidden ("-" for NULL). */
void intake_mask(const char *s, char *out, size_t cap);

/* Rewrite err as HR_E_INVALID "<path>: <what>", dropping the validator's
 * own field label ("РНОКПП: ...").  Returns -1. */
int  intake_field_err(struct hr_error *err, const char *path);


/* ---- application.save, parsed and validated (intake_parse.c) ---- */

/*
 * A person's fields as the save sees them: a copy it owns (strings in the
 * intake_save's `owned`), of the application's stored copy or of the base.
 */
struct intake_pcopy {
	int64_t          id;            /* the person in the base; 0: none */
	int64_t          version;       /* base version (stored copy: the one
	                                   it was saved against) */
	char             relation[16];  /* family members; "" the applicant */
	struct db_person p;
};

struct intake_person {
	int64_t              id;             /* 0: a new person */
	char                 path[48];       /* "applicant", "family[2].person" */
	/* What the map said: a key left out keeps the field as it is. */
	unsigned             given;          /* 1 << HR_PF_*: the key was sent
	                                        (proto/app_fields.h) */
	const char          *raw[HR_PF__COUNT];/* its text; NULL: sent empty
	                                        (clears the field) */
	int                  refused;        /* rnokpp_refused, when given */
	/* What the save starts from (intake_persons.c). */
	struct intake_pcopy  prev;           /* prev.id 0: nothing */
	/* The person as it will be stored: prev with the map laid over it,
	 * checked and in canonical form (points into the buffers and prev). */
	struct db_person     p;
	int64_t              base_version;   /* the base's version after the save */
	char                 rnokpp[HR_RNOKPP_LEN + 1];
	char                 unzr[HR_UNZR_LEN + 1];
	char                 birth[HR_DATE_STR_MAX];
	char                 doc[HR_DOCNUM_STR_MAX];
	char                 phone[HR_PHONE_STR_MAX];
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
	const char           *pay_method;    /* "bank", "post" or NULL */
	char                  iban[HR_IBAN_STR_MAX];
	char                 *post_office;
	char                  phone[HR_PHONE_STR_MAX];
	char                 *notes;
	/* The application's persons before this save (an update). */
	struct intake_pcopy  *old;
	size_t                nold;
	char                **owned;         /* every string copied in */
	size_t                nowned, capowned;
};

/*
 * Check the params of application.save (srvd/method_application_save.c's
 * schema indices) into `s`: the form's parts field by field with
 * proto/ident.h and the reference data, the person maps only as far as
 * they go without what is stored (intake_persons.c does the rest).
 * HR_E_INVALID naming the field.  intake_save_free after, whatever the
 * result.
 */
int  intake_parse(struct srv_req *rq, struct intake_save *s,
    struct hr_error *err);
void intake_save_free(struct intake_save *s);

/* A copy of str owned by s (NULL stays NULL); NULL and *oom set when out
 * of memory. */
char *intake_own(struct intake_save *s, const char *str, int *oom);

/* ---- the persons of a save (intake_persons.c) ---- */

/*
 * Resolve every person of `s` against what is stored: the application's
 * own copy (its persons before the save, loaded into s->old for an
 * update, app_id != 0) or the base; lay the map over it and check the
 * result as a whole (HR_E_INVALID naming the field).  Nothing is written.
 */
int  intake_persons_resolve(struct srv_req *rq, struct intake_save *s,
    int64_t app_id, struct hr_error *err);

/*
 * Write what the save corrects in the base (fields that differ from what
 * it started from, laid over the base's current record; audited) and add
 * the new persons; then every person's base_version is known.
 */
int  intake_persons_store(struct srv_req *rq, struct intake_save *s,
    struct hr_error *err);

/* The application's copy of its persons, as resolved, for `app_id`. */
int  intake_persons_copy(struct srv_req *rq, const struct intake_save *s,
    int64_t app_id, struct hr_error *err);

/* application.save's params are indexed by enum hr_save_field
 * (proto/app_fields.h). */

#endif
