/*
 * regno.h — registration numbers in a hromada's journal (журнал
 * реєстрації звернень): "NNNNN/YYYY", unique per hromada and year.
 *
 * The counter is one row per (hromada, year) in journal_counters; taking a
 * number increments it inside the caller's transaction, so a rolled-back
 * application gives its number back and two applications never share one
 * (the writer holds the database's write lock, BEGIN IMMEDIATE).
 */
#ifndef HR_DB_REGNO_H
#define HR_DB_REGNO_H

#include <stdint.h>

#include "db/db.h"

#define DB_REGNO_MAX 24        /* "NNNNN/YYYY" + NUL, with room to grow */

/* Format number n of `year`: "00042/2026".  -1 if it does not fit. */
int db_regno_format(int n, int year, char out[DB_REGNO_MAX]);

/*
 * Take the next number of hromada `hromada_id` in `year` into out.
 * Joins the caller's transaction or runs its own.
 */
int db_regno_next(struct hr_db *db, int64_t hromada_id, int year,
    char out[DB_REGNO_MAX], struct hr_error *err);

#endif
