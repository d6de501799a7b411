/*
 * filepicker.h — choose a file, or a directory, on this PC with the
 * keyboard: a modal framed list of one directory at a time.
 *
 *   ..            the parent directory (always first)
 *   Скани/        directories, then files, each sorted by name
 *   паспорт.jpg   240 КБ  12.03.2026
 *
 * Keys: Up/Down/PgUp/PgDn/Home/End move; Enter opens a directory or
 * chooses a file; Left (or Backspace with nothing typed) goes to the
 * parent; typing narrows the list to the names that contain the text
 * (case-folded, Cyrillic too) and Backspace widens it; a text typed from
 * "/" or "~" is a path: Enter goes there.  Esc clears what was typed, or
 * cancels.  In directory mode the first row is the directory itself
 * ("choose this directory"), and F2 chooses it too.  Hidden files (".x")
 * show only when the typed text starts with a dot.  A directory that
 * cannot be read says so and stays where it was.
 *
 * The caller may rank files (e.g. *.DAT first, or hide what it cannot
 * use): rank(ud, name) < 0 hides the file, > 0 lists it before the rest.
 * The directory last chosen for a purpose ("scans", "dat", "save") is
 * remembered across runs of the client (filepicker_last_dir /
 * filepicker_remember, a small file under $XDG_STATE_HOME/hromada).
 * Domain-free: it knows names, sizes and times, nothing of attachments.
 */
#ifndef TUI_FILEPICKER_H
#define TUI_FILEPICKER_H

#include <stddef.h>

#include "tui/tui.h"

enum filepicker_mode { FILEPICKER_FILE, FILEPICKER_DIR };

/* filepicker_key results. */
enum { FILEPICKER_OPEN = 0, FILEPICKER_CANCEL = 1, FILEPICKER_CHOSEN = 2 };

/* < 0 hides the file, > 0 lists it first, 0 as usual. */
typedef int filepicker_rank_fn(void *ud, const char *name);

struct filepicker;

/*
 * A picker over `dir` (NULL or unreadable: the home directory, then /).
 * `rank` may be NULL.  NULL when out of memory.
 */
struct filepicker *filepicker_new(const char *title, enum filepicker_mode mode,
    const char *dir, filepicker_rank_fn *rank, void *ud);
void filepicker_free(struct filepicker *fp);

/* FILEPICKER_OPEN, _CANCEL or _CHOSEN (then filepicker_path). */
int  filepicker_key(struct filepicker *fp, const struct key *k);

/* Draw centred on `w` (most of it); *cy, *cx get the cursor. */
void filepicker_draw(struct filepicker *fp, WINDOW *w, int *cy, int *cx);

/* After FILEPICKER_CHOSEN: the chosen file's (or directory's) path. */
const char *filepicker_path(const struct filepicker *fp);
/* The directory shown now (to remember it). */
const char *filepicker_dir(const struct filepicker *fp);

/* Rows shown under the current filter (for tests), ".." included. */
size_t filepicker_visible(const struct filepicker *fp);

/*
 * The directory remembered for `purpose` (a short ASCII word), malloc'd,
 * or NULL when none (or it is gone); filepicker_remember stores one.
 */
char *filepicker_last_dir(const char *purpose);
void  filepicker_remember(const char *purpose, const char *dir);

#endif
