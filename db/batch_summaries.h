/*
 * batch_summaries.h — a batch of status changes moves the summaries once,
 * at its end (migration 029_batch_summaries).
 *
 * status_counts, untold_counts and report_facts are kept by triggers,
 * application by application.  A batch that changes the status of many
 * applications in one transaction (a *.DAT export or import, a slice of
 * application.batch) holds them
 * instead: between db_batch_summaries_hold and db_batch_summaries_release
 * the triggers leave the batch's status changes (those that move no
 * territory, each with its history row) and the decisions of its answer
 * file to the release, which counts them from the batch's history rows
 * and decisions and moves each summary row once.  Both in the caller's
 * transaction; no other writer runs in between (SQLite has one).
 */
#ifndef HR_DB_BATCH_SUMMARIES_H
#define HR_DB_BATCH_SUMMARIES_H

#include <stdint.h>

#include "db/db.h"

/* From now on the summaries wait for the release; `file_id` the answer
 * file whose decisions the batch inserts (0: none).  Must be inside a
 * transaction; one hold at a time. */
int db_batch_summaries_hold(struct hr_db *db, int64_t file_id,
    struct hr_error *err);

/* Move the summaries for everything since the hold and end it, whatever
 * the batch's outcome `rc` (a rollback after takes it back with the rest;
 * a batch that stopped half-way and is kept anyway leaves the summaries
 * right).  Returns rc when it is < 0 (err as the batch left it), else 0,
 * or -1 when the summaries cannot be moved.  Without a hold it only
 * returns rc. */
int db_batch_summaries_release(struct hr_db *db, int rc,
    struct hr_error *err);

#endif
