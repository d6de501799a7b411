/*
 * ckptlog.h — the pages checkpoints write into a database file, noted for
 * a backup that asks (ctl/walwatch.h says why it needs them).
 *
 * A backup's first part copies the database file as it lies while the
 * server goes on; its moment must then take again every page a checkpoint
 * wrote into the file meanwhile.  hromadactl learns those pages by
 * following the server's WAL, but a log generation can be restarted and
 * overwritten before a look reads it to its end -- the server restarts its
 * log whenever a checkpoint has caught up, as often as every few dozen
 * milliseconds under load.  The restart itself loses nothing: a log is
 * restarted only once every frame of it was copied into the database
 * file.  So the process that copied them says which pages it wrote:
 *
 *   - every connection db_open makes goes through a thin VFS (this file):
 *     between SQLITE_FCNTL_CKPT_START and SQLITE_FCNTL_CKPT_DONE it notes
 *     the page of each write to the database file, in memory;
 *   - at CKPT_DONE -- after the pages are in the file, before the -shm
 *     records that they are, so before the log can be restarted -- it
 *     appends them to DB-ckptlog, with the salts of the log generation
 *     they came from, if a backup holds that file (a shared flock); else
 *     it empties the file (under an exclusive flock) if it holds anything.
 *
 * The server opens DB-ckptlog with its connections, while it is still
 * root (db_ckptlog_keep_open): the user it becomes may not be able to
 * open a file beside the database later.  Other programs open it at each
 * checkpoint, if it exists.
 *
 * DB-ckptlog is a stream of records of little-endian 32-bit words: magic
 * CKPTLOG_MAGIC, the log's salt-1 and salt-2, the page size, n, then n
 * page numbers (1-based); n = CKPTLOG_UNKNOWN (no pages follow): a write
 * that was not one whole page, the reader cannot know what changed.  Each
 * record is one write(2) with O_APPEND.  A backup that takes the file
 * appends its MARK first (CKPTLOG_HELD and 16 random bytes) and reads from
 * it on.  A note that cannot be written empties the file, so that the
 * mark is gone and the backup stops trusting it.  Only Hromada's programs
 * note their checkpoints: another program checkpointing the live database
 * (the sqlite3 shell) during a backup is not seen.
 */
#ifndef DB_CKPTLOG_H
#define DB_CKPTLOG_H

#include <stdint.h>

#include "proto/error.h"

#define CKPTLOG_SUFFIX  "-ckptlog"
#define CKPTLOG_MAGIC   0x4b435248u    /* "HRCK" little-endian */
#define CKPTLOG_UNKNOWN 0xffffffffu
#define CKPTLOG_HELD    0x444c4548u    /* "HELD": a backup's mark */

/*
 * The noting VFS's name for sqlite3_open_v2, registered (not as the
 * default) on the first call; NULL when it cannot be (then the default
 * VFS, and nothing is noted).
 */
const char *db_ckptlog_vfs(void);

/* The server's: its connections opened from now on keep DB-ckptlog open
 * (made if missing), so that checkpoints can note after root is given up. */
void db_ckptlog_keep_open(void);

/* A backup's hold on DB-ckptlog. */
struct db_ckptlog {
	int           fd;         /* -1: none held */
	char         *path;
	uint64_t      start;      /* where its mark is */
	unsigned char token[16];  /* the mark's */
};

/*
 * Hold DB-ckptlog for the database `db` (made if missing, owned as the
 * database is) with a shared lock, and put this backup's mark at its end.
 * -1 with err when it cannot be: then nothing is noted for this backup.
 */
int  db_ckptlog_hold(struct db_ckptlog *l, const char *db,
    struct hr_error *err);

/* One record: pages[n] (n CKPTLOG_UNKNOWN: pages NULL).  Non-zero stops. */
typedef int db_ckptlog_fn(void *ud, uint32_t salt1, uint32_t salt2,
    uint32_t page_size, const uint32_t *pages, uint32_t n);

/*
 * Every whole record noted since the mark, oldest first, to fn (a record
 * still being appended is left for a later read).  -1 with err when the
 * mark is gone (a note failed and emptied the file) or the file is not
 * made of records: then it must not be trusted.
 */
int  db_ckptlog_read(struct db_ckptlog *l, db_ckptlog_fn *fn, void *ud,
    struct hr_error *err);

/* Let go (the file stays, for the next backup). */
void db_ckptlog_release(struct db_ckptlog *l);

#endif
