/*
 * persons.h — the central base of recipients (DOMAIN.md "What an
 * application holds": applicant and family members).
 *
 * Adding a person validates the identifiers against each other (РНОКПП
 * against birth date and sex, УНЗР against birth date) and stores the folded
 * search form of the name (proto/fold.h) that journal and person search use.
 * Reading and editing persons come with the application screens.
 */
#ifndef HR_DB_PERSONS_H
#define HR_DB_PERSONS_H

#include <stdint.h>

#include "db/db.h"

struct db_person {
	const char *rnokpp;          /* 10 digits, or NULL */
	int         rnokpp_refused;  /* refused on religious grounds: rnokpp NULL */
	const char *surname;
	const char *name;
	const char *patronymic;      /* may be NULL or "" */
	const char *birth_date;      /* "YYYY-MM-DD" or "DD.MM.YYYY" */
	int         sex;             /* enum hr_sex: HR_SEX_MALE or HR_SEX_FEMALE */
	const char *unzr;            /* may be NULL */
	const char *doc_type;        /* "passport", "id_card", "birth_cert" or NULL */
	const char *doc_number;      /* canonical form (hr_docnum_normalize) */
	const char *reg_address;     /* registration address */
	const char *act_address;     /* actual address, NULL: same */
	const char *phone;           /* "+380XXXXXXXXX" or NULL */
};

/* Validate and insert; HR_E_DUPLICATE names a taken РНОКПП or УНЗР. */
int db_person_add(struct hr_db *db, const struct db_person *p, int64_t *id,
    struct hr_error *err);

/* relation: "spouse", "child", "parent" or "other". */
int db_family_add(struct hr_db *db, int64_t person_id, int64_t member_id,
    const char *relation, struct hr_error *err);

#endif
