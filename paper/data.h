/*
 * data.h — what the printed documents are made from: an application (with
 * its decision, the offices and who printed it) and a transfer register,
 * as plain C data.
 *
 * Two sides fill these: the terminal client from the server's replies
 * (paper/wire.c: application.print, register.get) and hromadactl from the
 * database.  The forms (forms.h) read nothing else, so both sides print the
 * same document from the same facts.
 *
 * Strings are UTF-8, owned by the structure's arena (paper_arena_*), NULL
 * when absent.  Dates are "YYYY-MM-DD" as the server or database gave them
 * (the server's calendar day, so a reprint elsewhere prints the same day);
 * amounts are kopecks.  Codes keep their wire names ("passport",
 * "spouse", "salary", "assigned"); the forms word them in Ukrainian.
 */
#ifndef HR_PAPER_DATA_H
#define HR_PAPER_DATA_H

#include <stddef.h>
#include <stdint.h>

/* Every string and array of one structure, freed together. */
struct paper_arena {
	void  **p;
	size_t  n, cap;
	int     failed;          /* an allocation failed: the data is partial */
};

void *paper_arena_alloc(struct paper_arena *a, size_t size);  /* zeroed */
char *paper_arena_strdup(struct paper_arena *a, const char *s);
char *paper_arena_strndup(struct paper_arena *a, const char *s, size_t n);
void  paper_arena_free(struct paper_arena *a);

struct paper_person {
	const char *surname, *name, *patronymic;
	const char *birth_date;          /* YYYY-MM-DD */
	const char *sex;                 /* "M" / "F" */
	const char *rnokpp;              /* NULL when refused or unknown */
	int         rnokpp_refused;
	const char *unzr;
	const char *doc_type;            /* passport, id_card, birth_cert */
	const char *doc_number;          /* canonical: МК123456, I-АБ123456 */
	const char *reg_address, *act_address, *phone;
	const char *relation;            /* family: spouse, child, parent, ... */
};

struct paper_income {
	int         member;              /* 0 applicant, k = family[k - 1] */
	const char *type;                /* salary, pension, ... */
	const char *period_from, *period_to;
	int64_t     amount;              /* kopecks */
};

struct paper_docref {
	const char *code, *name;
};

/* An office as it is printed: name and how to reach it. */
struct paper_office {
	const char *name, *address, *phone, *email, *hours;
};

struct paper_decision {
	const char *decision;            /* assigned, refused, registered,
	                                    registration_refused */
	int         has_amount;
	int64_t     amount;              /* kopecks, a month */
	const char *period_from, *period_to;   /* period_to NULL: no end */
	const char *reason;
	const char *decided_on;          /* YYYY-MM-DD it was imported */
};

struct paper_app {
	struct paper_arena    arena;
	int64_t               id;
	const char           *reg_no;          /* NNNNN/YYYY */
	const char           *reg_date;        /* YYYY-MM-DD */
	const char           *status;
	const char           *service, *service_name;
	int                   repeat;          /* applied for it before: 1/0 */
	const char           *hromada;
	struct paper_office   front_office;    /* took it */
	struct paper_office   back_office;     /* decides it (СПСЗН) */
	const char           *clerk;           /* who registered it */
	const char           *printed_by;      /* who prints it now */
	const char           *printed_on;      /* YYYY-MM-DD */
	struct paper_person   applicant;
	struct paper_person  *family;
	size_t                nfamily;
	struct paper_income  *income;
	size_t                nincome;
	struct paper_docref  *documents;       /* presented / attached */
	size_t                ndocuments;
	struct paper_docref  *missing;         /* still to be brought */
	size_t                nmissing;
	const char           *pay_method;      /* bank, post, NULL */
	const char           *iban, *post_office;
	const char           *phone;           /* contact phone */
	int                   has_decision;
	struct paper_decision decision;
};

void paper_app_free(struct paper_app *a);

/* One row of a transfer register, as it was when the register was made. */
struct paper_register_row {
	int         ord;                 /* № з/п, from 1 */
	int64_t     application_id;      /* the electronic case */
	const char *reg_no, *reg_date;   /* YYYY-MM-DD */
	const char *applicant;           /* full name */
	const char *ident;               /* РНОКПП, or the document number */
	const char *service_name;
	int         documents;           /* documents in the package */
	int         missing;             /* required but not there */
};

struct paper_register {
	struct paper_arena         arena;
	int64_t                    id;
	int                        number, year;
	const char                *made_on;      /* YYYY-MM-DD */
	const char                *stage;        /* otg, spszn */
	const char                *from_name;    /* who hands over */
	const char                *to_name;      /* who receives */
	const char                *made_by;      /* full name */
	const char                *period_from, *period_to;  /* or NULL */
	struct paper_register_row *rows;
	size_t                     nrows;
};

void paper_register_free(struct paper_register *r);

#endif
