/*
 * application.h — an application as the intake form holds it, and its wire
 * form.
 *
 * The form screen keeps what the clerk typed here, as text (dates as
 * DD.MM.YYYY, amounts in kopecks), so nothing typed is lost when the
 * server says no.  intake_pack writes the application.save params
 * compactly: absent and empty values are left out (but a person from
 * the base sends an emptied field as "": left out, the server would keep
 * it), dates go as
 * YYYY-MM-DD, identifiers in their canonical form when they parse (else as
 * typed: the server then names the field); the applicant's phone is also
 * the application's contact phone.  intake_load reads
 * application.get and person.get results.  No ncurses here, so the unit
 * tests can drive it.
 */
#ifndef TUI_INTAKE_APPLICATION_H
#define TUI_INTAKE_APPLICATION_H

#include <stddef.h>
#include <stdint.h>

#include <msgpack.h>

#include "proto/app_fields.h"


#define INTAKE_FAMILY_MAX 20
#define INTAKE_INCOME_MAX 200
#define INTAKE_DOCS_MAX   40

struct intake_person {
	int64_t id;                 /* 0: a new person */
	char   *f[HR_PF__COUNT];    /* the typed fields (hr_person_field_typed,
	                               proto/app_fields.h); owned; NULL = empty */
	int     rnokpp_refused;
	int     sex;                /* enum hr_sex */
	int     doc_type;           /* enum hr_doc_kind */
};

struct intake_member {
	int                  relation;   /* HR_REL_* (hr_relations) */
	struct intake_person p;
};

struct intake_income {
	int     member;             /* 0 applicant, k = family[k - 1] */
	int     type;               /* HR_INC_* (hr_income_types) */
	char   *from, *to;          /* DD.MM.YYYY as typed; owned */
	int64_t amount;             /* kopecks */
};

enum { PAY_NONE, PAY_BANK, PAY_POST };

struct intake {
	int64_t               id, version;    /* 0: not saved yet */
	char                 *reg_no, *status, *last_reason;
	int                   editable;
	char                 *service;        /* code */
	struct intake_person  applicant;
	struct intake_member *family;
	size_t                nfamily;
	struct intake_income *income;
	size_t                nincome;
	char                **docs;           /* codes of documents with a scan */
	size_t                ndocs;
	size_t                nscans;         /* scans attached (the server's) */
	uint64_t              scan_bytes;     /* and their bytes */
	int                   pay_method;     /* PAY_* */
	char                 *iban, *post_office, *notes;
};

void intake_init(struct intake *in);
void intake_free(struct intake *in);
void intake_person_free(struct intake_person *p);
int  intake_person_copy(struct intake_person *dst, const struct intake_person *src);

/* Replace a string slot with a copy of s (NULL or "" leave it NULL). */
int  intake_set(char **slot, const char *s);
/* Set a person's field from its wire key and value ("reg_address",
 * "birth_date" YYYY-MM-DD, "sex" M/F, "doc_type", "rnokpp_refused"
 * "true"/"false"; NULL empties it).  -1 for an unknown key. */
int  intake_person_take(struct intake_person *p, const char *key,
    const char *value);

/* Family and income lists.  0, or -1 when full or out of memory. */
int  intake_family_add(struct intake *in, const struct intake_member *m);
/* Removes member `i` (0-based), its income rows, and renumbers the rest. */
void intake_family_remove(struct intake *in, size_t i);
int  intake_income_add(struct intake *in, const struct intake_income *r);
void intake_income_remove(struct intake *in, size_t i);
void intake_income_free(struct intake_income *r);

int  intake_doc_has(const struct intake *in, const char *code);
int  intake_doc_set(struct intake *in, const char *code, int on);

/* "YYYY-MM-DD" of a typed date into out (HR_DATE_STR_MAX); -1 if it is not
 * a date. */
int  intake_date_wire(const char *typed, char *out, size_t cap);

/* The application.save params map. */
void intake_pack(const struct intake *in, msgpack_packer *pk);

/* A person from a person_brief/person_full map (dates shown DD.MM.YYYY). */
void intake_person_load(struct intake_person *p, const msgpack_object *m);

/* An application from an application.get `application` map. */
void intake_load(struct intake *in, const msgpack_object *app);
/* Only its documents and scans (after a scan was attached meanwhile). */
void intake_load_docs(struct intake *in, const msgpack_object *app);

/* A person.get result: the applicant and, when the base knows one, the
 * family from it (replacing what the family list held). */
void intake_load_person_get(struct intake *in, const msgpack_object *result);

#endif
