/*
 * form.h — a vertical, scrollable form of labelled items.
 *
 * Items are text fields (tui/field.h; entering one puts the cursor after
 * its text), choices (a value from a list of labels, picked in a pop-up
 * list — where typing finds the option containing what was typed — or
 * cycled with Left/Right), check boxes (Space or Enter ticks),
 * buttons (rows that do something on Enter, e.g. open a sub-form) and
 * section headings.  One item has the focus; Tab/Down/Enter go to the next
 * focusable item, Shift-Tab/Up to the previous, PgUp/PgDn by a page.  The
 * form scrolls to keep the focus visible, so it fits any height.
 *
 * Validation: the owner's check function is asked about an item after each
 * edit (a live "!" mark next to the item while the value is wrong) and when
 * the focus leaves it (then the message appears on the line under the
 * item; for a field left empty only at form_check_all).  A note (a normalised value, a hint) can take that line when there
 * is no error.  Domain-free: the form knows labels, values and messages,
 * not what they mean.
 */
#ifndef TUI_FORM_H
#define TUI_FORM_H

#include <stddef.h>

#include "tui/field.h"
#include "tui/tui.h"

enum form_kind {
	FORM_TEXT, FORM_CHOICE, FORM_CHECK, FORM_BUTTON, FORM_HEADING,
};

struct form;

/*
 * Is the item `id` right?  NULL when it is, else a message (translated;
 * it may be written into buf[0..n)).  `leaving`: the focus is moving away
 * (the owner may also react, e.g. look a number up).
 */
typedef const char *form_check_fn(void *ud, struct form *f, int id,
    int leaving, char *buf, size_t n);

struct form_item {
	enum form_kind kind;
	int            id;          /* the owner's name for the item */
	char          *label;       /* owned */
	struct field   field;       /* FORM_TEXT */
	int            width;       /* FORM_TEXT: columns; 0 = the rest */
	const char *const *opts;    /* FORM_CHOICE: labels (not owned) */
	size_t         nopts;
	int            choice;      /* FORM_CHOICE: index, -1 = none */
	int            on;          /* FORM_CHECK */
	int            readonly;
	char          *error;       /* owned; NULL when the value is right */
	int            err_shown;   /* the message is on screen (left once) */
	char          *note;        /* owned; shown when there is no error */
	attr_t         note_attr;
};

struct form {
	struct form_item *items;
	size_t         n, cap;
	size_t         focus;
	size_t         top;         /* first item shown */
	int            label_w;     /* label column width */
	int            page;        /* items shown at the last draw */
	int            readonly;    /* nothing can be edited */
	int            changed;     /* set by every edit; the owner clears it */
	form_check_fn *check;
	void          *ud;
	int            pop_open;    /* the choice pop-up list */
	int            pop_sel, pop_top;
	wchar_t        pop_find[33];   /* typed to find an option */
	size_t         pop_nfind;
	const char    *refusal;     /* why the last key was refused, or NULL */
};

/* What a key did. */
enum form_result {
	FORM_UNUSED,      /* not a form key (Esc, F-keys...): the owner's */
	FORM_USED,
	FORM_ACTIVATE,    /* Enter on a button: form_focus_id says which */
	FORM_DELETE,      /* Delete on a button */
};

void form_init(struct form *f, int label_w, form_check_fn *check, void *ud);
void form_free(struct form *f);     /* items and their text */
void form_clear(struct form *f);    /* remove all items, keep settings */

/* Adding items: each returns 0, or -1 when out of memory. */
int  form_add_heading(struct form *f, int id, const char *label);
int  form_add_text(struct form *f, int id, const char *label, size_t max,
         int width, const char *value);
int  form_add_choice(struct form *f, int id, const char *label,
         const char *const *opts, size_t nopts, int choice);
int  form_add_check(struct form *f, int id, const char *label, int on);
int  form_add_button(struct form *f, int id, const char *label);

struct form_item *form_item(struct form *f, int id);   /* NULL if none */
int   form_set_label(struct form *f, int id, const char *label);

/* Values.  form_text returns a new UTF-8 string ("" if no such item). */
char *form_text(const struct form *f, int id);
void  form_set_text(struct form *f, int id, const char *value);
int   form_choice(const struct form *f, int id);       /* -1 if none */
void  form_set_choice(struct form *f, int id, int choice);
int   form_on(const struct form *f, int id);

void  form_set_error(struct form *f, int id, const char *msg);  /* NULL clears */
void  form_set_note(struct form *f, int id, const char *note, attr_t attr);
void  form_set_readonly(struct form *f, int id, int ro);

int   form_focus_id(const struct form *f);             /* -1 if none */
void  form_focus(struct form *f, int id);

/* Check again every text item that holds something, without showing new
 * messages (notes and live marks come back after the owner rebuilt the
 * form; empty fields stay unmarked until visited). */
void  form_recheck(struct form *f);

/* Check every item and show every message; the first wrong item gets the
 * focus.  Returns how many are wrong. */
int   form_check_all(struct form *f);

/* How many items are wrong now (as last checked). */
int   form_error_count(const struct form *f);

enum form_result form_key(struct form *f, const struct key *k);

/*
 * Why the form refused the last key (a full field, a field or form that
 * cannot be changed), translated; NULL when it did not.  Reading clears
 * it: the owner shows it on the status line after form_key.
 */
const char *form_refusal(struct form *f);

/*
 * Draw in the h x width box at (y, x).  *cy, *cx get the cursor position
 * for the focused text field (-1 when the cursor should be hidden).
 */
void  form_draw(struct form *f, WINDOW *w, int y, int x, int h, int width,
          int *cy, int *cx);

#endif
