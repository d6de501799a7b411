/*
 * tpaper.h — the sample documents' data that tests/unit/test_paper prints
 * against its golden files and tests/bench/bench_paper times: one
 * application's and one transfer register's fields, said once.  Each
 * caller adds its own lists (family, income, documents, register rows).
 *
 * Changing a value changes test_paper's golden files
 * (HROMADA_UPDATE_GOLDEN=1, then read the diff).
 */
#ifndef HR_TESTS_TPAPER_H
#define HR_TESTS_TPAPER_H

struct paper_app;
struct paper_register;

/* *a zeroed, then application 00012/2026 of ЦНАП Березівської сільської
 * ради: offices, clerk, applicant, bank payment, an assigned decision; no
 * family, income or documents. */
void tpaper_app(struct paper_app *a);

/* *r zeroed, then register No. 3/2026 of 2026-12-08 from the same ЦНАП
 * to its hromada's back office, for 2026-12-07..08; no rows. */
void tpaper_register(struct paper_register *r);

#endif
