/*
 * demo.h — the tables behind `hromadactl demo` (ctl/demo_data.c).
 *
 * Data, not code: the territories of two oblasts as the seeds describe them
 * (Березівська ОТГ of the Глухів district in Сумська, see seeds/004), the
 * demo accounts, and the name stock the synthetic recipients are drawn from.
 * Entries refer to each other by a short key so the tables read top-down.
 */
#ifndef HR_CTL_DEMO_H
#define HR_CTL_DEMO_H

#include <stddef.h>

#include "proto/roles.h"
#include "proto/workflow.h"

struct demo_terr {
	const char *key;         /* reference for other rows */
	const char *parent;      /* parent's key, NULL for the country */
	int         kind;        /* enum hr_terr_kind */
	const char *name;
	const char *katottg;     /* NULL where the classifier has none */
	const char *area;        /* hromadas: "X р-н, Y обл." for addresses */
	const char *prefix;      /* settlements: "с." / "смт" / "м." */
};

struct demo_user {
	const char *name;
	const char *role;        /* wire name */
	const char *terr;        /* key of its territory */
	const char *full_name;
};

struct demo_given {
	const char *name;
	const char *patr_m;      /* patronymic for a son of this name */
	const char *patr_f;      /* ... and for a daughter */
};

struct demo_surname {
	const char *m, *f;
};

extern const struct demo_terr demo_terrs[];
extern const size_t demo_nterrs;
extern const struct demo_user demo_users[];
extern const size_t demo_nusers;
extern const struct demo_given demo_male[];
extern const size_t demo_nmale;
extern const char *const demo_female[];
extern const size_t demo_nfemale;
extern const struct demo_surname demo_surnames[];
extern const size_t demo_nsurnames;
extern const char *const demo_streets[];
extern const size_t demo_nstreets;

/*
 * How the sample applications got to their status: the actions from draft
 * to each status (-1 ends a path), and the reason each return carries.
 * Shared by `hromadactl demo` and the benchmark's generator.
 */
extern const int         demo_paths[HR_ST__COUNT][6];
extern const char *const demo_reasons[HR_ACT__COUNT];

/*
 * The months before Березівська (seed 001's take-up): accounts that sign
 * the other hromadas' history (no password: nobody logs in as them), and
 * how many applications each hromada's front office formed per month from
 * April to September 2026.  A signer is an account like demo_users'.
 */
struct demo_takeup {
	const char *office, *clerk, *upo, *spszn;    /* keys, signer names */
	int         per_month[6];
};
#define DEMO_SIGNERS_MAX 16
extern const struct demo_user demo_signers[];
extern const size_t demo_nsigners;
extern const struct demo_takeup demo_takeups[];
extern const size_t demo_ntakeups;
extern const char demo_refusal[];

/*
 * A small PDF standing for a scan of document `doc_code`
 * (ctl/demo_scan.c), into out[0..*len).  -1 when it does not fit `cap`
 * (4096 bytes is plenty).
 */
int demo_scan_pdf(const char *doc_code, char *out, size_t cap, size_t *len);

#endif
