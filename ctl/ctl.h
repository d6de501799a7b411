/*
 * ctl.h — what hromadactl's commands share.
 *
 * Like tmux's cmd-*.c, each command is one file exporting one table entry
 * (struct ctl_cmd); ctl/main.c lists them, parses the global options and
 * dispatches.  A handler gets its own argv (argv[0] is the command name),
 * reports problems through struct hr_error and returns 0 or -1; main prints
 * the message and picks the exit status.
 */
#ifndef HR_CTL_H
#define HR_CTL_H

#include <libintl.h>
#include <stdint.h>
#include <stdio.h>

#include "db/db.h"
#include "proto/error.h"

/* Messages through gettext (po/uk.po); English is the source language. */
#define _(s)  gettext(s)
#define N_(s) (s)

struct ctl_ctx {
	const char *db_path;     /* --db, $HROMADA_DB or the default */
	const char *key_path;    /* the server's key file (db/keyfile.h):
	                            --key-file, $HROMADA_KEY_FILE or DB.key */
};

struct ctl_cmd {
	const char *name;
	int       (*exec)(struct ctl_ctx *ctx, int argc, char **argv,
	              struct hr_error *err);
	const char *usage;       /* arguments after the name (not translated) */
	const char *summary;     /* one line, N_() */
	const char *help;        /* more lines for `hromadactl help CMD`, N_(),
	                            or NULL */
};

extern const struct ctl_cmd ctl_cmd_init;
extern const struct ctl_cmd ctl_cmd_demo;
extern const struct ctl_cmd ctl_cmd_user;
extern const struct ctl_cmd ctl_cmd_key;
extern const struct ctl_cmd ctl_cmd_lock;
extern const struct ctl_cmd ctl_cmd_terminal;
extern const struct ctl_cmd ctl_cmd_territory;
extern const struct ctl_cmd ctl_cmd_service;
extern const struct ctl_cmd ctl_cmd_calendar;
extern const struct ctl_cmd ctl_cmd_backup;
extern const struct ctl_cmd ctl_cmd_restore;
extern const struct ctl_cmd ctl_cmd_audit;
extern const struct ctl_cmd ctl_cmd_stats;
extern const struct ctl_cmd ctl_cmd_print;
extern const struct ctl_cmd ctl_cmd_report;
extern const struct ctl_cmd ctl_cmd_files;
extern const struct ctl_cmd ctl_cmd_dat;

/* Print a command's usage and help text to stdout. */
void ctl_cmd_help(const struct ctl_cmd *cmd);

/*
 * An error in the user's language (LANG=uk_UA.UTF-8: Ukrainian): a
 * structured error through the catalogue, else its English message (a
 * failure of the database or the system, told as it is).  Returns buf.
 */
const char *ctl_error_text(const struct hr_error *e, char *buf, size_t cap);

/* Print s left-aligned in `width` terminal columns (UTF-8 aware, so that
 * tables line up in Ukrainian too); never cuts s. */
void ctl_cell(const char *s, int width);

/* A table's cells side by side, one space between them: pairs of
 * (const char *text, int width), each printed as ctl_cell does, up to a
 * NULL text.  What follows the last cell, its separator too, is the
 * caller's (a table's header and its rows say their columns once each). */
void ctl_cells(const char *s, int width, ...) __attribute__((sentinel));

/* ---- ctl/util.c ---- */

/*
 * Open the existing, initialised database (a server key on record).  Any
 * secret still in the database moves to the key file here (db/keypairs.h); a
 * key file that lacks the current key's secret is only warned about --
 * it stops the server, not the administrator.
 */
int  ctl_open(struct ctl_ctx *ctx, struct hr_db **db, struct hr_error *err);

/*
 * A file for a person to open (an export), written whole or not at all:
 * ctl_out_open creates PATH.tmp (its name into tmp[cap]); ctl_out_close
 * flushes it to disk, closes it and, when rc is 0, renames it over PATH —
 * else, or when that fails, removes it.  Returns rc or -1, err naming
 * the file.
 */
FILE *ctl_out_open(const char *path, char *tmp, size_t cap,
    struct hr_error *err);
int   ctl_out_close(FILE *f, const char *tmp, const char *path, int rc,
    struct hr_error *err);

/* The reference-data directory: --reference, else installed, else source. */
const char *ctl_reference_dir(const char *given);

/*
 * Option scanning shared by the commands: `--name VALUE` or `--name=VALUE`
 * for value options, `--name` for flags.  Walks argv[*i]; returns 1 and sets
 * *value when argv[*i] is the option (advancing *i past a separate value),
 * 0 when it is not, -1 with err when its value is missing.
 */
int  ctl_opt_value(int argc, char **argv, int *i, const char *name,
    const char **value, struct hr_error *err);

/* The usage error for an argument `command` does not take: -1, err set. */
int  ctl_unexpected(const char *command, const char *arg,
    struct hr_error *err);

/* Who runs hromadactl and where ("USER@TTY"), the audit's address. */
const char *ctl_where(char *buf, size_t cap);

/* The value of option `name` as a duration: seconds, or a number with s,
 * m, h or d ("90", "30m", "36h", "7d"), at most `max` seconds. */
int  ctl_opt_duration(const char *name, const char *s, int64_t max,
    int64_t *out, struct hr_error *err);

/* Append one audit record with actor "hromadactl" and the terminal. */
int  ctl_audit(struct hr_db *db, const char *action, const char *object,
    const char *detail, struct hr_error *err);

/*
 * Read a password: with `from_stdin` one line from standard input; on a
 * terminal prompt twice without echo and require both to match.  Returns a
 * malloc'd string the caller wipes (ctl_password_free).
 */
char *ctl_password_read(int from_stdin, struct hr_error *err);
void  ctl_password_free(char *pw);

/* ---- ctl/cmd_audit.c, ctl/audit_archive.c ---- */

/*
 * "YYYY-MM-DD" (local midnight; with `end`, the midnight after) or
 * "YYYY-MM-DD HH:MM[:SS]" (local time) to seconds since the epoch; `opt`
 * names the option in the error (ctl/options.c).
 */
int  ctl_audit_time(const char *opt, const char *s, int end, int64_t *out,
    struct hr_error *err);
/* audit archive ... (argv[1] is "archive"). */
int  ctl_audit_archive(struct ctl_ctx *ctx, int argc, char **argv,
    struct hr_error *err);
/* audit verify --archive FILE: verify it whole, check it is registered. */
int  ctl_audit_verify_archive(struct hr_db *db, const char *path,
    struct hr_error *err);

/* ---- ctl/copy.c ---- */

/*
 * Copy the SQLite database `src` into a new file `dst` with the online
 * backup API: a consistent snapshot while a server keeps writing (the
 * source is opened read-only and read inside one transaction, in chunks
 * of pages; a locked source is retried for a while).  *pages gets the
 * size in pages.
 */
int  ctl_db_copy(const char *src, const char *dst, int *pages,
    struct hr_error *err);

/*
 * The same, paced, for copying from under a running server, without
 * holding a read transaction while it is slow (ctl/copy.c): the file's
 * pages in paced steps (ctl/pace.h: flushed to the disk, pauses, progress)
 * in the phase of `pace` the caller began ("copying"), which this ends;
 * then, in a phase of its own that the caller ends, from one read
 * transaction, the pages the server's log committed meanwhile
 * (ctl/walwatch.h) -- or, when the log cannot say, every page.
 */
struct copy_fix;
struct ctl_copy_made {
	int         pages;      /* the copy's size in pages */
	int64_t     examined;   /* pages the moment read */
	int64_t     rewritten;  /* ... found changed and wrote again */
	const char *whole;      /* NULL: the moment read what the log
	                           named; else why it compared every page
	                           (static English text) */
	uint64_t    frames;     /* log frames followed during the copy */
	uint64_t    mended;     /* log generations restarted before the
	                           watch read them to their end, their pages
	                           taken from the checkpoints' notes */
	double      copied;     /* seconds of the paced file copy */
	double      held;       /* seconds the one read transaction was held */
	struct copy_fix *fix;   /* each page's hash as written, for
	                           ctl_db_copy_verify; ctl_copy_made_free */
};
struct ctl_pace;
int  ctl_db_copy_paced(const char *src, const char *dst,
    struct ctl_copy_made *m, struct ctl_pace *pace, struct hr_error *err);
void ctl_copy_made_free(struct ctl_copy_made *m);

/*
 * Read the copy `dst` back from the disk (not the page cache), paced in a
 * phase of `pace` of its own, and compare every page's hash with what the
 * copy wrote: the bytes on the disk are the bytes copied.  Read once, in
 * order, its pages stay in the page cache for the check that follows
 * (a read-once stream: the kernel keeps the server's often-read pages
 * before them); ctl_db_check_paced drops them.
 */
int  ctl_db_copy_verify(const char *dst, const struct ctl_copy_made *m,
    struct ctl_pace *pace, struct hr_error *err);

/* PRAGMA integrity_check of a database file (opened read-only). */
int  ctl_db_check(const char *path, struct hr_error *err);
/*
 * ... paced, in a phase of `pace` of its own (NULL: none) measured by the
 * bytes it reads: full, integrity_check (every row looked up in each of
 * its indexes: minutes at national size); else quick_check (every b-tree
 * page, the free list, every page used exactly once) with a small page
 * cache of its own.  Paced, the file's pages leave the page cache after.
 */
int  ctl_db_check_paced(const char *path, int full, struct ctl_pace *pace,
    struct hr_error *err);

/* ---- ctl/copy_files.c ---- */

struct hr_store;

/*
 * Copy into store `to` every file the database copy `rows_db` records
 * (its files table; none in a database from before the scans) from store
 * `from`, each hashed as written, then sync `to`.  *n files, *bytes.
 * With `pace` (NULL: at full speed), as its phase "copying the scans":
 * each file forced to the disk, pauses, progress.
 * rows_db is a copy this command made (it is opened read-write, so that
 * closing it leaves no -wal behind).
 */
int  ctl_files_copy(const char *rows_db, struct hr_store *from,
    struct hr_store *to, struct ctl_pace *pace, int64_t *n, int64_t *bytes,
    struct hr_error *err);

/* Remove a store directory and everything in it (0 if it is not there). */
int  ctl_store_discard(const char *dir, struct hr_error *err);

#endif
