/*
 * audit_archive.h — closed segments of the audit chain in archive files.
 *
 * Every read is an audit record; with thousands of clerks audit_log grows
 * by gigabytes a day and would dwarf the applications.  Its retention:
 * `hromadactl audit archive --before DATE` moves the oldest records (those
 * before the first record at or after DATE) into an ARCHIVE FILE and then
 * deletes them from audit_log, so the live table holds about one period.
 *
 * An archive file is an SQLite database (hromada-audit-archive(5)): one
 * row `archive` (the segment: first and last id, the hash the first one
 * follows, the last one's hash, times), and `blocks` of 8192 records each,
 * the records in the chain's own encoding (db_audit_encode) compressed with
 * zstd, with the block's last hash and the sorted ids of the applications
 * and persons its records name (searching decompresses only the blocks
 * that name the one asked for).  It verifies itself: recomputing the chain
 * from its first hash must give every block's last hash and the last hash.
 *
 * Continuity: the live database keeps a registry row per archived segment
 * (its hashes, and how far its deletion got) and appends an anchor record
 * `audit.archive` that repeats them; db_audit_verify checks that the
 * registry is one chain from record 1 and the live log continues it, and
 * db_archive_check_registered that a file is the segment the registry
 * holds.  The order of an archiving, so that a crash anywhere loses
 * nothing: write the file (FILE.partial, fsync, rename), verify it,
 * register it (one transaction), then delete the records in short
 * transactions, oldest first (db_archive_prune, resumable).
 */
#ifndef HR_DB_AUDIT_ARCHIVE_H
#define HR_DB_AUDIT_ARCHIVE_H

#include <stdint.h>

#include "db/audit.h"
#include "db/db.h"

#define DB_ARCHIVE_FORMAT        1
#define DB_ARCHIVE_BLOCK_RECORDS 8192

/* A segment, as planned, written or read back from a file. */
struct db_archive {
	int64_t first_id, last_id, records;
	int64_t first_at, last_at;
	int64_t before, created_at;         /* the --before cut; when written */
	uint8_t prev_hash[DB_AUDIT_HASH_LEN];
	uint8_t last_hash[DB_AUDIT_HASH_LEN];
	int64_t blocks;
	int64_t raw_bytes;                  /* the records, encoded */
	int64_t file_bytes;
};

/* Progress of a long step: `done` of `total` units (records). */
typedef void db_archive_progress_fn(void *ud, int64_t done, int64_t total);

/*
 * Which live records an archive before `before` (seconds) takes: those
 * not yet archived, up to the first record at or after `before`.
 * a->records is 0 when there are none.
 */
int db_archive_plan(struct hr_db *db, int64_t before, struct db_archive *a,
    struct hr_error *err);

/*
 * Write the planned segment to `path` (a new file: it must not exist),
 * checking the live chain record by record on the way (a broken chain is
 * never archived).  Fills a's sizes and hashes.
 */
int db_archive_write(struct hr_db *db, struct db_archive *a, const char *path,
    db_archive_progress_fn *progress, void *ud, struct hr_error *err);

/* The segment a file says it holds (its header only, not verified). */
int db_archive_header(const char *path, struct db_archive *a,
    struct hr_error *err);

/* Read a file back and verify it whole; its segment in *a. */
int db_archive_verify_file(const char *path, struct db_archive *a,
    struct hr_error *err);

/*
 * Record a verified file's segment in the live database: its registry row
 * and its anchor record in the name of `who` (action, object and detail
 * are set here; dated a->created_at), in one transaction.  The segment must continue the
 * registry and match the live records it covers.  `file` is where it was
 * written (for people: the file may move).
 */
int db_archive_register(struct hr_db *db, const struct db_archive *a,
    const char *file, const struct db_audit_entry *who,
    struct hr_error *err);

/*
 * Delete archived records still in audit_log, oldest first, `chunk` per
 * transaction; after each, pause(ud, the records it deleted, the seconds
 * it took) (the server keeps writing meanwhile).  Also finishes a
 * deletion a crash interrupted.  *deleted: how many in all.
 */
typedef void db_archive_pause_fn(void *ud, int64_t n, double busy);
int db_archive_prune(struct hr_db *db, int chunk, db_archive_pause_fn *pause,
    void *ud, int64_t *deleted, struct hr_error *err);

/* How many segments and records the registry says are archived. */
int db_archive_totals(struct hr_db *db, int64_t *segments, int64_t *records,
    struct hr_error *err);

/*
 * Is a's segment (read from a file) the one the registry holds, with the
 * same hashes?  The file's name in the registry, in file[0..cap).
 */
int db_archive_check_registered(struct hr_db *db, const struct db_archive *a,
    char *file, size_t cap, struct hr_error *err);

/*
 * The records of an archive file that pass `f` (person, application,
 * actor, action, object, since, until), newest first; fn as
 * db_audit_each's (return 1 to stop).  f->limit is the caller's to count.
 */
int db_archive_each(const char *path, const struct db_audit_filter *f,
    db_audit_fn *fn, void *ud, struct hr_error *err);

/*
 * The hash of record `id` in an archive file: 1 found (hash in out), 0 the
 * file does not hold it, -1 with err.
 */
int db_archive_hash_of(const char *path, int64_t id,
    uint8_t out[DB_AUDIT_HASH_LEN], struct hr_error *err);

#endif
