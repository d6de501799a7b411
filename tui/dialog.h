/*
 * dialog.h — a modal message or yes/no question, centred on the screen.
 *
 * The dialog keeps its own copies of title and text and draws a box sized
 * to them (word-wrapped to the screen).  A `loud` dialog is drawn in
 * reverse video for warnings that must not be missed.  Keys: Left/Right/Tab
 * switch the answer, Enter confirms, Esc (or the No key) answers no; the
 * letters y/n and т/н (Так/Ні) answer directly.
 *
 * A *guarded* question (DIALOG_GUARDED: "leave without saving?") can only
 * be answered yes by its letter: its «Так» is never highlighted, so Enter,
 * Space or any stray key can never take it.
 *
 * A function key (F2..F9, or Esc+digit) closes the dialog as Esc does and
 * is then the caller's to act on (DIALOG_PASS): the clerk who presses F6
 * while «the file is saved» is still shown gets F6, not a beep.  F1 stays
 * with the dialog (the keys it takes are on its last line), F10 quits.
 * Any other key the dialog does not use is not dropped silently either:
 * the dialog beeps and shows on its last line which keys it takes.
 * Domain-free.
 */
#ifndef TUI_DIALOG_H
#define TUI_DIALOG_H

#include "tui/tui.h"

enum dialog_kind { DIALOG_MESSAGE, DIALOG_YESNO, DIALOG_GUARDED };

/*
 * Result of a key: still open, or closed with an answer — DIALOG_PASS is
 * closed with the answer of Esc (no), the key to be handled as if no
 * dialog had been open.
 */
enum { DIALOG_OPEN = -1, DIALOG_NO = 0, DIALOG_YES = 1, DIALOG_PASS = 2 };

struct dialog;

struct dialog *dialog_new(enum dialog_kind kind, const char *title,
    const char *text, int loud, int default_yes);
void dialog_free(struct dialog *d);

int  dialog_key(struct dialog *d, const struct key *k);
void dialog_draw(struct dialog *d, WINDOW *w);

#endif
