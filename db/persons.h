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

#include <stddef.h>
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

/* Validate and insert; HR_E_DUPLICATE names a taken РНОКПП or УНЗР.  The
 * oblasts the addresses name are kept for the name search (015). */
int db_person_add(struct hr_db *db, const struct db_person *p, int64_t *id,
    struct hr_error *err);

/* relation: "spouse", "child", "parent", "sibling" or "other". */
int db_family_add(struct hr_db *db, int64_t person_id, int64_t member_id,
    const char *relation, struct hr_error *err);

/* Is `relation` one of the names above? */
int db_relation_valid(const char *relation);

/*
 * Link both ways (person -> member as `relation`, member -> person as its
 * inverse: spouse/spouse, child/parent, sibling/sibling, other/other),
 * replacing the forward link and keeping an existing backward one.
 */
int db_family_link(struct hr_db *db, int64_t person_id, int64_t member_id,
    const char *relation, struct hr_error *err);

/* A person as read: the fields point into the query's row and live only
 * during the callback. */
struct db_person_view {
	int64_t          id;
	struct db_person p;
	int64_t          version;   /* grows by one with every update */
};

typedef int db_person_fn(void *ud, const struct db_person_view *v);

/* Person `id` to fn; HR_E_NOT_FOUND if there is none. */
int db_person_get(struct hr_db *db, int64_t id, db_person_fn *fn, void *ud,
    struct hr_error *err);

/*
 * Validate and overwrite person `id` with p (all fields: NULL clears);
 * version + 1.
 * HR_E_DUPLICATE "person already in the base: id N" when an identifier
 * belongs to another person; HR_E_NOT_FOUND if `id` does not exist.
 */
int db_person_update(struct hr_db *db, int64_t id, const struct db_person *p,
    struct hr_error *err);

/*
 * Another person (id != except_id) holding p's РНОКПП, УНЗР or document
 * number: *found gets their id (0: none) and *which names the identifier
 * ("РНОКПП", "УНЗР", "document number").
 */
int db_person_find_ident(struct hr_db *db, const struct db_person *p,
    int64_t except_id, int64_t *found, const char **which,
    struct hr_error *err);

/*
 * person.search: q is an РНОКПП (exact), a document number (exact, in the
 * canonical form) — both national — or the start of "surname name
 * patronymic" (folded here) among the persons of oblast `oblast_id` only
 * (registration or actual address in it, or on an application of it:
 * migration 015).  At most `limit` persons by folded name; *more says
 * whether there are others.  Each branch is one index range
 * (person_oblasts' key, the РНОКПП's unique index, persons_doc).
 */
enum db_person_q { DB_PQ_NAME, DB_PQ_RNOKPP, DB_PQ_DOC };
int db_person_search(struct hr_db *db, enum db_person_q kind, const char *q,
    int64_t oblast_id, int limit, db_person_fn *fn, void *ud, int *more,
    struct hr_error *err);

/* Is person `id` one of oblast `oblast_id`'s (as a name search there
 * would find them)?  *yes 1 or 0. */
int db_person_in_oblast(struct hr_db *db, int64_t id, int64_t oblast_id,
    int *yes, struct hr_error *err);

/* The query plan of db_person_search (EXPLAIN QUERY PLAN lines) for tests. */
int db_person_search_plan(struct hr_db *db, enum db_person_q kind,
    char *out, size_t cap, struct hr_error *err);

/* Family links of `person_id` (member id and relation), by member id. */
typedef int db_family_fn(void *ud, int64_t member_id, const char *relation);
int db_family_each(struct hr_db *db, int64_t person_id, db_family_fn *fn,
    void *ud, struct hr_error *err);

#endif
