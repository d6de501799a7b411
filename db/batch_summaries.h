/*
 * batch_summaries.h — a batch of status changes moves the summaries once,
 * at its end (migrations 029_batch_summaries, 032_deadline_hold).
 *
 * status_counts, untold_counts and report_facts, and the deadline clocks'
 * deadline_running and deadline_facts (027), are kept by triggers,
 * application by application.  A batch that changes the status of many
 * applications in one transaction holds them instead: between a hold and
 * its release the triggers leave the batch's status changes (those that
 * move no territory, each with its history row), the status counts of
 * its new applications (038_insert_hold: each with its creation row), the
 * facts of its history
 * rows and the decisions of its answer file to the release, which counts
 * them from the batch's history rows and decisions and moves each summary
 * row once; the clocks' triggers note each clock's move in
 * deadline_held, which the release sums into the clocks' summaries, and
 * the running clocks' counts by due day (035) note theirs in
 * clock_due_held, summed the same way; the counts by creation day (037)
 * note nothing: the release counts the batch's history rows (a
 * creation's and a status change's) at the applications' territories
 * and creation days as they then are.
 * Both in the caller's transaction; no other writer runs in
 * between (SQLite has one), and other connections see the summaries only
 * as the COMMIT after the release leaves them.
 *
 * Two kinds of batch:
 *  - a *.DAT export or import, a slice of application.batch:
 *    db_batch_summaries_hold and db_batch_summaries_release around its
 *    status changes;
 *  - the server's group commit (srvd/commit.c): every write transaction of
 *    its writer is a batch of requests.  db_batch_summaries_batches marks
 *    the connection once; db_batch_summaries_begin after each BEGIN; the
 *    first change of an application in the transaction holds
 *    (db_batch_summaries_join, db/applications.c), and
 *    db_batch_summaries_end moves what was held right before the COMMIT.
 *    A request rolled back to its savepoint takes its history rows, and
 *    the hold if it made it, with it.  A file's hold inside such a batch
 *    moves what the batch held so far first.
 * What a held row counts is read at the release from the application as
 * it is then: a change of what it depends on (the service, the package,
 * the told mark) first moves what the application's held rows count
 * (db_batch_summaries_touch, db/ before such a change).  So must an
 * application's move to another office and its deletion (nothing does
 * either in a batch; 037's triggers refuse them while a hold is there).
 */
#ifndef HR_DB_BATCH_SUMMARIES_H
#define HR_DB_BATCH_SUMMARIES_H

#include <stdint.h>

#include "db/db.h"

/* struct hr_db.batches */
#define DB_BATCH_ON   0x1u   /* write transactions are batches */
#define DB_BATCH_OPEN 0x2u   /* one is open (begin .. end) */
#define DB_BATCH_HELD 0x4u   /* it may hold (a join since begin) */

/* From now on the summaries wait for the release; `file_id` the answer
 * file whose decisions the batch inserts (0: none).  Must be inside a
 * transaction; a hold already there (the group commit's) is released
 * first. */
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

/* ---- the group commit's batches ---- */

/* Every write transaction of `db` is a batch from now on.  Outside a
 * transaction (it makes the connection's scratch table). */
int db_batch_summaries_batches(struct hr_db *db, struct hr_error *err);

/* The transaction just begun on `db` is a batch (no-op unless marked). */
void db_batch_summaries_begin(struct hr_db *db);

/* db/: an application is about to be created or change status in the
 * batch open on `db`, if any: hold, unless something holds already. */
int db_batch_summaries_join(struct hr_db *db, struct hr_error *err);

/* db/: the service, package or told mark of application `app_id` (0:
 * of any) is about to change: what its held history rows count is moved
 * first. */
int db_batch_summaries_touch(struct hr_db *db, int64_t app_id,
    struct hr_error *err);

/* Right before the batch's COMMIT: move what it held, and end it.  With
 * `rc` < 0 (the batch is being rolled back) only ends it and returns rc.
 * 0, or -1 with err when the summaries cannot be moved: roll back. */
int db_batch_summaries_end(struct hr_db *db, int rc, struct hr_error *err);

#endif
