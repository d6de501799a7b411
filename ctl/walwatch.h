/*
 * walwatch.h — which pages a live database's write-ahead log committed
 * while a backup read the database file without a lock (ctl/copy.c).
 *
 * A backup's first part copies the database file as it lies, holding
 * nothing; its second part, from one read transaction, must take again
 * every page that differs from what the first part read.  A page of the
 * file changes only when a checkpoint copies it there from the WAL, so the
 * pages that can differ are exactly those of the frames the WAL committed
 * from the first part's start on, in every generation of the log (a
 * RESTART checkpoint makes the server write the log again from its
 * beginning).  A watch reads the log's frames as they come, without SQLite
 * and without any lock -- the frames' salts and cumulative checksums say
 * which are valid, as SQLite's own recovery reads them -- and keeps:
 *
 *   - every page any committed frame named, from the watch's start;
 *   - of the current generation, each page's newest committed frame, and
 *     the database's size at the newest commit.
 *
 * So the second part reads only those pages: its time is bounded by what
 * changed during the copy, not by the database's size.
 *
 * The watch is a race it may lose: a generation can be restarted, and its
 * unread tail overwritten by the next, before a look reads it to its end
 * (the server restarts its log whenever a checkpoint caught up: under
 * load every few dozen milliseconds, and a short generation can be
 * overwritten whole by the next one's first commit).  Such a GAP loses
 * nothing that matters: a log restarts only once every frame of it was
 * copied into the database file, and the checkpoint that copied them
 * noted their pages, with the generation's salts, in the file the backup
 * holds (db/ckptlog.h).  salt-1 grows by one a restart, so the watch
 * knows each generation it missed, seen or not; wal_watch_mend takes
 * their pages from those notes.
 *
 * A watch is COMPLETE when every generation since the start was read to
 * its end or mended.  Anything else -- a gap no note covers, the log
 * removed, replaced or truncated, a log that began only after the watch
 * started -- makes it incomplete (with a reason), and the caller must
 * then compare every page.
 */
#ifndef HR_CTL_WALWATCH_H
#define HR_CTL_WALWATCH_H

#include <stdint.h>

#include "proto/error.h"

struct wal_watch;
struct db_ckptlog;

/*
 * Watch `db`'s log (db-wal) for a database of `page_size` bytes a page;
 * reads what the log holds now (its current generation, from its first
 * frame).  -1 with err only when out of memory.
 */
int  wal_watch_open(struct wal_watch **out, const char *db, int page_size,
    struct hr_error *err);
void wal_watch_close(struct wal_watch *w);

/* Read the frames committed since the last look.  Cheap when nothing
 * changed (a stat and a 32-byte read); call it often (every ~10 ms). */
void wal_watch_poll(struct wal_watch *w);

/*
 * The pages of the generations the watch could not read to their end,
 * from the checkpoints' notes in `l` (held since before the watch began;
 * NULL: none held).  Call after the last poll, which must find every gap's
 * notes written: a generation is noted before it can be restarted.
 */
void wal_watch_mend(struct wal_watch *w, struct db_ckptlog *l);

/* 1 when every frame since the start was seen, or its generation
 * mended; else 0 and *why (static English text). */
int  wal_watch_complete(const struct wal_watch *w, const char **why);

/* Did a committed frame name page `pgno` (1-based) since the start? */
int  wal_watch_touched(const struct wal_watch *w, uint32_t pgno);
/* The highest page number any committed frame named (0: none). */
uint32_t wal_watch_max_page(const struct wal_watch *w);

/*
 * The current generation, as of the last poll: page `pgno`'s newest
 * committed frame (1-based; 0: none), and the database's size in pages
 * at the newest commit (0: no commit in this generation).
 */
uint32_t wal_watch_frame(const struct wal_watch *w, uint32_t pgno);
uint32_t wal_watch_db_pages(const struct wal_watch *w);

/*
 * The page held by frame `frame` of the current generation into buf
 * (page_size bytes).  -1 with err when it cannot be read or is no longer
 * that generation's (the log restarted meanwhile): then the pages read
 * from the log are not to be trusted.
 */
int  wal_watch_read(struct wal_watch *w, uint32_t frame, unsigned char *buf,
    struct hr_error *err);

/* Is the log still in the generation the last poll followed?  (Checked
 * after reading frames: a restart rewrites the header first.) */
int  wal_watch_same(struct wal_watch *w);

/* What was read, for the backup's report: frames and generations. */
uint64_t wal_watch_frames(const struct wal_watch *w);
uint64_t wal_watch_generations(const struct wal_watch *w);
/* ... of them, mended from the checkpoints' notes. */
uint64_t wal_watch_mended(const struct wal_watch *w);

#endif
