/*
 * persons.c — adding persons and family links to the base of recipients.
 */
#include "db/persons.h"
#include "db/db_priv.h"
#include "proto/fold.h"
#include "proto/ident.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
person_check(const struct db_person *p, struct hr_date *birth,
    struct hr_error *err)
{
	if (p->surname == NULL || p->surname[0] == '\0' ||
	    p->name == NULL || p->name[0] == '\0')
		return hr_error_set(err, HR_E_INVALID, "surname and name are "
		    "required");
	if (p->sex != HR_SEX_MALE && p->sex != HR_SEX_FEMALE)
		return hr_error_set(err, HR_E_INVALID, "sex must be male or "
		    "female");
	if (p->birth_date == NULL || hr_date_parse(p->birth_date,
	    strlen(p->birth_date), "birth date", birth, err) < 0)
		return p->birth_date == NULL ? hr_error_set(err, HR_E_INVALID,
		    "birth date is required") : -1;
	if (p->rnokpp != NULL && p->rnokpp_refused)
		return hr_error_set(err, HR_E_INVALID, "РНОКПП given although "
		    "the person refused it");
	if (p->rnokpp != NULL && hr_rnokpp_match(p->rnokpp, strlen(p->rnokpp),
	    birth, (enum hr_sex)p->sex, err) < 0)
		return -1;
	if (p->unzr != NULL && hr_unzr_match(p->unzr, strlen(p->unzr), birth,
	    err) < 0)
		return -1;
	return 0;
}

/* "surname name patronymic", folded; caller frees. */
static char *
person_search_name(const struct db_person *p)
{
	const char *pat = p->patronymic ? p->patronymic : "";
	size_t n = strlen(p->surname) + strlen(p->name) + strlen(pat) + 3;
	char *full = malloc(n), *folded;

	if (full == NULL)
		return NULL;
	snprintf(full, n, "%s %s %s", p->surname, p->name, pat);
	folded = hr_fold(full, strlen(full));
	free(full);
	return folded;
}

int
db_person_add(struct hr_db *db, const struct db_person *p, int64_t *id,
    struct hr_error *err)
{
	struct hr_date birth;
	char iso[16], *search;
	int rc;

	if (person_check(p, &birth, err) < 0)
		return -1;
	snprintf(iso, sizeof iso, "%04d-%02d-%02d", birth.y, birth.m, birth.d);
	search = person_search_name(p);
	if (search == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	rc = db_run(db, "INSERT INTO persons (rnokpp, rnokpp_refused, surname, "
	    "name, patronymic, birth_date, sex, unzr, doc_type, doc_number, "
	    "reg_address, act_address, phone, search_name, created_at) VALUES "
	    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "add a person", err,
	    "tdtttttttttttti", p->rnokpp, p->rnokpp_refused != 0, p->surname,
	    p->name, p->patronymic ? p->patronymic : "", iso,
	    p->sex == HR_SEX_MALE ? "M" : "F", p->unzr, p->doc_type,
	    p->doc_number, p->reg_address, p->act_address, p->phone, search,
	    db_now());
	free(search);
	if (rc < 0 && err != NULL && err->code == HR_E_DUPLICATE)
		return hr_error_set(err, HR_E_DUPLICATE, "a person with РНОКПП "
		    "%s or УНЗР %s exists already", p->rnokpp ? p->rnokpp : "-",
		    p->unzr ? p->unzr : "-");
	if (rc == 0 && id != NULL)
		*id = sqlite3_last_insert_rowid(db->sql);
	return rc;
}

int
db_family_add(struct hr_db *db, int64_t person_id, int64_t member_id,
    const char *relation, struct hr_error *err)
{
	static const char *const relations[] = { "spouse", "child", "parent",
	    "other" };
	size_t i;

	for (i = 0; i < sizeof relations / sizeof relations[0]; i++)
		if (strcmp(relation, relations[i]) == 0)
			break;
	if (i == sizeof relations / sizeof relations[0])
		return hr_error_set(err, HR_E_INVALID, "family relation \"%s\" "
		    "is unknown", relation);
	if (person_id == member_id)
		return hr_error_set(err, HR_E_INVALID, "a person is not their "
		    "own family member");
	return db_run(db, "INSERT INTO family_members (person_id, member_id, "
	    "relation) VALUES (?, ?, ?)", "add a family member", err, "iit",
	    person_id, member_id, relation);
}
