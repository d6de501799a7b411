/*
 * file.h — saving a printed document on the machine the program runs on,
 * and handing it to the printer queue (CUPS lp), with what went wrong in
 * words a clerk can act on (structured errors, proto/error.h: the client
 * shows them in Ukrainian).
 *
 * Documents go to $HROMADA_PRINT_DIR, else ~/hromada-print (made 0700),
 * each file 0600: they hold persons' data.  A file is written under a
 * temporary name in the same folder, flushed to disk, then renamed over
 * the name it belongs under, so a full disk or a crash never leaves a
 * half-written document there — an older print of the same document
 * stays until the new one is complete.
 */
#ifndef HR_PAPER_FILE_H
#define HR_PAPER_FILE_H

#include <stddef.h>

#include "proto/error.h"

#define PAPER_PATH_MAX 1024

/* An I/O failure of `path` (errno `e`) as an error: no such file, no
 * permission, a folder, the disk is full, or the system's reason.  -1. */
int paper_file_error(struct hr_error *err, const char *path, int e);

/* "~/x" -> "$HOME/x" into out; -1 when it does not fit. */
int paper_expand_home(const char *in, char *out, size_t cap);

/* The folder documents are printed into (see above), into out. */
const char *paper_print_dir(char *out, size_t cap);

/* Save data[0..len) as dir/name, atomically as above; *path gets the full
 * name.  0, or -1 with err (nothing of it left behind). */
int paper_file_save(const char *dir, const char *name, const void *data,
    size_t len, char *path, size_t cap, struct hr_error *err);

/* Is `lp` on $PATH?  1 / 0. */
int paper_lp_found(void);

/*
 * Send a saved file to the default printer with `lp` (raw for CP866
 * text: it is for a dot-matrix printer's own character set), waiting at
 * most `timeout_ms`.  0 with lp's answer ("request id is …") in
 * reply[0..cap), or -1 with err holding what lp said ("No default
 * destination" when no printer is set up).
 */
int paper_lp_print(const char *path, int fmt, int timeout_ms, char *reply,
    size_t cap, struct hr_error *err);

#endif
