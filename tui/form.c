/*
 * form.c — vertical scrollable form of labelled items (see form.h).
 *
 * Layout of an item: the label in a fixed column, the value after it, a
 * "!" mark while the value is wrong; under it, only when there is
 * something to say, the message (after the focus has left) or the note.
 * The choice pop-up is drawn last, over the items, next to its field.
 *
 * Alike on purpose: form_clear/free have the shape of every container
 * here (tui/table.c, proto/buf.c), and form_error_count the counting loop
 * of any list (tui/case_scans.c's case_scans_count).
 */
#include "config.h"

#include "tui/form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "proto/buf.h"
#include "tui/text.h"

#define FORM_MSG_MAX  512
#define FORM_POP_ROWS 10

void
form_init(struct form *f, int label_w, form_check_fn *check, void *ud)
{
	memset(f, 0, sizeof *f);
	f->label_w = label_w;
	f->check = check;
	f->ud = ud;
	f->page = 1;
}

static void
form_item_free(struct form_item *it)
{
	free(it->label);
	free(it->error);
	free(it->note);
	if (it->kind == FORM_TEXT)
		field_free(&it->field);
}

void
form_clear(struct form *f)
{
	for (size_t i = 0; i < f->n; i++)
		form_item_free(&f->items[i]);
	f->n = f->focus = f->top = 0;
	f->pop_open = 0;
}

void
form_free(struct form *f)
{
	form_clear(f);
	free(f->items);
	f->items = NULL;
	f->cap = 0;
}

static int
form_focusable(const struct form_item *it)
{
	return it->kind != FORM_HEADING;
}

/* A new item at the end, zeroed, with its label; NULL if out of memory. */
static struct form_item *
form_push(struct form *f, enum form_kind kind, int id, const char *label)
{
	struct form_item *it, *ni;

	if ((ni = hr_grow(f->items, &f->cap, f->n, sizeof *ni, 32)) == NULL)
		return NULL;
	f->items = ni;
	it = &f->items[f->n];
	memset(it, 0, sizeof *it);
	it->kind = kind;
	it->id = id;
	it->choice = -1;
	if ((it->label = strdup(label ? label : "")) == NULL)
		return NULL;
	/* The first focusable item gets the focus. */
	if (form_focusable(it) &&
	    (f->focus >= f->n || !form_focusable(&f->items[f->focus])))
		f->focus = f->n;
	f->n++;
	return it;
}

int
form_add_heading(struct form *f, int id, const char *label)
{
	return form_push(f, FORM_HEADING, id, label) ? 0 : -1;
}

int
form_add_text(struct form *f, int id, const char *label, size_t max,
    int width, const char *value)
{
	struct form_item *it = form_push(f, FORM_TEXT, id, label);

	if (it == NULL)
		return -1;
	if (field_init(&it->field, max, 0) != 0) {
		free(it->label);
		f->n--;
		return -1;
	}
	it->width = width;
	field_set(&it->field, value);
	it->field.cur = 0;
	return 0;
}

int
form_add_choice(struct form *f, int id, const char *label,
    const char *const *opts, size_t nopts, int choice)
{
	struct form_item *it = form_push(f, FORM_CHOICE, id, label);

	if (it == NULL)
		return -1;
	it->opts = opts;
	it->nopts = nopts;
	it->choice = choice >= 0 && (size_t)choice < nopts ? choice : -1;
	return 0;
}

int
form_add_check(struct form *f, int id, const char *label, int on)
{
	struct form_item *it = form_push(f, FORM_CHECK, id, label);

	if (it == NULL)
		return -1;
	it->on = on != 0;
	return 0;
}

int
form_add_button(struct form *f, int id, const char *label)
{
	return form_push(f, FORM_BUTTON, id, label) ? 0 : -1;
}

/* ---- values ---- */

struct form_item *
form_item(struct form *f, int id)
{
	for (size_t i = 0; id >= 0 && i < f->n; i++)
		if (f->items[i].id == id)
			return &f->items[i];
	return NULL;
}

int
form_set_label(struct form *f, int id, const char *label)
{
	struct form_item *it = form_item(f, id);
	char *c;

	if (it == NULL || (c = strdup(label)) == NULL)
		return -1;
	free(it->label);
	it->label = c;
	return 0;
}

char *
form_text(const struct form *f, int id)
{
	struct form_item *it = form_item((struct form *)f, id);

	if (it == NULL || it->kind != FORM_TEXT)
		return strdup("");
	return field_text(&it->field);
}

void
form_set_text(struct form *f, int id, const char *value)
{
	struct form_item *it = form_item(f, id);

	if (it == NULL || it->kind != FORM_TEXT)
		return;
	field_set(&it->field, value);
	it->field.cur = 0;
	it->field.scroll = 0;
}

int
form_choice(const struct form *f, int id)
{
	struct form_item *it = form_item((struct form *)f, id);

	return it != NULL && it->kind == FORM_CHOICE ? it->choice : -1;
}

void
form_set_choice(struct form *f, int id, int choice)
{
	struct form_item *it = form_item(f, id);

	if (it != NULL && it->kind == FORM_CHOICE)
		it->choice = choice >= 0 && (size_t)choice < it->nopts ? choice : -1;
}

int
form_on(const struct form *f, int id)
{
	struct form_item *it = form_item((struct form *)f, id);

	return it != NULL && it->kind == FORM_CHECK && it->on;
}

static void
form_replace(char **slot, const char *s)
{
	free(*slot);
	*slot = s != NULL ? strdup(s) : NULL;
}

void
form_set_error(struct form *f, int id, const char *msg)
{
	struct form_item *it = form_item(f, id);

	if (it == NULL)
		return;
	form_replace(&it->error, msg);
	it->err_shown = msg != NULL;
}

void
form_set_note(struct form *f, int id, const char *note, attr_t attr)
{
	struct form_item *it = form_item(f, id);

	if (it == NULL)
		return;
	form_replace(&it->note, note);
	it->note_attr = attr;
}

void
form_set_readonly(struct form *f, int id, int ro)
{
	struct form_item *it = form_item(f, id);

	if (it != NULL)
		it->readonly = ro;
}

/* Entering a text field puts the cursor after its text: Backspace
 * corrects the last character, typing goes on where the value ends. */
static void
form_enter_item(struct form *f)
{
	struct form_item *it = &f->items[f->focus];

	if (it->kind == FORM_TEXT) {
		it->field.cur = it->field.len;
		it->field.scroll = 0;
	}
}

int
form_focus_id(const struct form *f)
{
	return f->focus < f->n ? f->items[f->focus].id : -1;
}

void
form_focus(struct form *f, int id)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->items[i].id == id && form_focusable(&f->items[i])) {
			f->focus = i;
			f->pop_open = 0;
			form_enter_item(f);
			return;
		}
}

/* ---- checking ---- */

static void
form_run_check(struct form *f, size_t i, int leaving)
{
	struct form_item *it = &f->items[i];
	char buf[FORM_MSG_MAX];
	const char *msg;

	if (f->check == NULL || it->kind == FORM_HEADING || it->kind == FORM_BUTTON)
		return;
	buf[0] = '\0';
	msg = f->check(f->ud, f, it->id, leaving, buf, sizeof buf);
	it = &f->items[i];              /* the owner may not add items, but be safe */
	form_replace(&it->error, msg);
	if (leaving || msg == NULL)
		it->err_shown = msg != NULL;
}

void
form_recheck(struct form *f)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->items[i].kind == FORM_TEXT && f->items[i].field.len > 0)
			form_run_check(f, i, 0);
}

int
form_error_count(const struct form *f)
{
	int n = 0;

	for (size_t i = 0; i < f->n; i++)
		n += f->items[i].error != NULL;
	return n;
}

int
form_check_all(struct form *f)
{
	int bad = 0;
	size_t first = f->n;

	for (size_t i = 0; i < f->n; i++) {
		form_run_check(f, i, 0);
		if (f->items[i].error != NULL) {
			f->items[i].err_shown = 1;
			if (bad++ == 0)
				first = i;
		}
	}
	if (first < f->n) {
		f->focus = first;
		form_enter_item(f);
	}
	return bad;
}

/* ---- moving ---- */

static void
form_goto(struct form *f, size_t to)
{
	struct form_item *it;

	if (to >= f->n || to == f->focus)
		return;
	form_run_check(f, f->focus, 1);
	/* Passing an empty field is not a mistake yet: its message waits for
	 * form_check_all (the mark shows meanwhile). */
	it = &f->items[f->focus];
	if (it->kind == FORM_TEXT && it->field.len == 0)
		it->err_shown = 0;
	f->focus = to;
	f->pop_open = 0;
	form_enter_item(f);
}

/* Next focusable item in direction dir (+1/-1), `steps` times. */
static void
form_step(struct form *f, int dir, int steps)
{
	size_t i = f->focus, to = f->focus;

	while (steps-- > 0) {
		for (;;) {
			if ((dir < 0 && i == 0) || (dir > 0 && i + 1 >= f->n))
				goto done;
			i = dir < 0 ? i - 1 : i + 1;
			if (form_focusable(&f->items[i]))
				break;
		}
		to = i;
	}
done:
	form_goto(f, to);
}

/* ---- keys ---- */

/* Next option (after `from`) whose label starts with `ch`, or -1. */
static int
form_opt_by_letter(const struct form_item *it, int from, wint_t ch)
{
	for (size_t n = 1; n <= it->nopts; n++) {
		size_t i = ((size_t)(from < 0 ? -1 : from) + n) % it->nopts;
		wchar_t wc;
		mbstate_t st;

		memset(&st, 0, sizeof st);
		if (mbrtowc(&wc, it->opts[i], strlen(it->opts[i]), &st) > 0 &&
		    towlower((wint_t)wc) == towlower(ch))
			return (int)i;
	}
	return -1;
}

static void
form_set_pick(struct form *f, struct form_item *it, int choice)
{
	if (choice < 0 || choice == it->choice)
		return;
	it->choice = choice;
	f->changed = 1;
	form_run_check(f, f->focus, 0);
}

/* Does option label `s` contain the typed text (case-folded)? */
static int
form_opt_contains(const char *s, const wchar_t *find, size_t nfind)
{
	wchar_t w[256];
	size_t n = mbstowcs(w, s, 255);

	if (n == (size_t)-1)
		return 0;
	for (size_t i = 0; i + nfind <= n; i++) {
		size_t k = 0;

		while (k < nfind && towlower((wint_t)w[i + k]) ==
		    towlower((wint_t)find[k]))
			k++;
		if (k == nfind)
			return 1;
	}
	return 0;
}

/*
 * Type-to-find in the pop-up list: the typed text selects the first
 * option that contains it (a service list of 22 is two syllables away:
 * "нар" finds «Допомога при народженні дитини»); Backspace shortens it.
 */
static int
form_pop_find_key(struct form *f, struct form_item *it, const struct key *k)
{
	if (k->is_key)
		return 0;
	if (k->ch == 0x7f || k->ch == CTRL_KEY('h')) {
		if (f->pop_nfind > 0)
			f->pop_find[--f->pop_nfind] = L'\0';
	} else if (iswprint(k->ch) && f->pop_nfind + 1 < sizeof f->pop_find /
	    sizeof f->pop_find[0]) {
		f->pop_find[f->pop_nfind++] = (wchar_t)k->ch;
		f->pop_find[f->pop_nfind] = L'\0';
	} else {
		return 0;
	}
	for (size_t i = 0; f->pop_nfind > 0 && i < it->nopts; i++)
		if (form_opt_contains(it->opts[i], f->pop_find, f->pop_nfind)) {
			f->pop_sel = (int)i;
			break;
		}
	return 1;
}

static enum form_result
form_pop_key(struct form *f, struct form_item *it, const struct key *k)
{
	int n = (int)it->nopts, s = f->pop_sel;

	if (key_is_enter(k)) {
		f->pop_open = 0;
		form_set_pick(f, it, s);
		return FORM_USED;
	}
	if (!k->is_key && k->ch == 27) {
		f->pop_open = 0;
		return FORM_USED;
	}
	if (form_pop_find_key(f, it, k))
		return FORM_USED;
	switch (k->is_key ? (int)k->ch : 0) {
	case KEY_UP:    s--; break;
	case KEY_DOWN:  s++; break;
	case KEY_PPAGE: s -= FORM_POP_ROWS - 1; break;
	case KEY_NPAGE: s += FORM_POP_ROWS - 1; break;
	case KEY_HOME:  s = 0; break;
	case KEY_END:   s = n - 1; break;
	default:        return FORM_USED;      /* modal: nothing else */
	}
	f->pop_sel = s < 0 ? 0 : s >= n ? n - 1 : s;
	return FORM_USED;
}

static enum form_result
form_choice_key(struct form *f, struct form_item *it, const struct key *k)
{
	int n = (int)it->nopts;

	if (it->readonly || f->readonly || n == 0)
		return FORM_UNUSED;
	if (key_is_enter(k) || (!k->is_key && k->ch == ' ')) {
		f->pop_open = 1;
		f->pop_sel = it->choice >= 0 ? it->choice : 0;
		f->pop_nfind = 0;
		f->pop_find[0] = L'\0';
		return FORM_USED;
	}
	if (k->is_key && (k->ch == KEY_LEFT || k->ch == KEY_RIGHT)) {
		int d = k->ch == KEY_LEFT ? n - 1 : 1;
		form_set_pick(f, it, it->choice < 0 ? 0 : (it->choice + d) % n);
		return FORM_USED;
	}
	if (!k->is_key && iswprint(k->ch)) {
		form_set_pick(f, it, form_opt_by_letter(it, it->choice, k->ch));
		return FORM_USED;
	}
	return FORM_UNUSED;
}

static unsigned long
form_field_hash(const struct field *fl)
{
	unsigned long h = 5381 + fl->len;

	for (size_t i = 0; i < fl->len; i++)
		h = h * 33 + (unsigned long)fl->buf[i];
	return h;
}

static int
form_is_move_key(const struct key *k)
{
	if (k->is_key)
		return k->ch == KEY_LEFT || k->ch == KEY_RIGHT ||
		    k->ch == KEY_HOME || k->ch == KEY_END;
	return k->ch == CTRL_KEY('a') || k->ch == CTRL_KEY('e');
}

/* A key the form will not take: say why (form_refusal). */
static enum form_result
form_refuse(struct form *f, const char *why)
{
	f->refusal = why;
	return FORM_USED;
}

const char *
form_refusal(struct form *f)
{
	const char *why = f->refusal;

	f->refusal = NULL;
	return why;
}

/* Would this key change the text?  (Typing, deleting, Ctrl-U/K.) */
static int
form_is_edit_key(const struct key *k)
{
	if (k->is_key)
		return k->ch == KEY_DC || k->ch == KEY_BACKSPACE;
	return k->ch == 0x7f || k->ch == CTRL_KEY('h') ||
	    k->ch == CTRL_KEY('u') || k->ch == CTRL_KEY('k') || iswprint(k->ch);
}

static enum form_result
form_text_key(struct form *f, struct form_item *it, const struct key *k)
{
	unsigned long before;

	if ((it->readonly || f->readonly) && !form_is_move_key(k)) {
		if (form_is_edit_key(k))
			return form_refuse(f, f->readonly ? _("Nothing here can "
			    "be changed (view only)") : _("This field cannot be "
			    "changed here"));
		return FORM_UNUSED;
	}
	if (!k->is_key && iswprint(k->ch) && it->field.len >= it->field.max)
		return form_refuse(f, _("The field is full; Backspace or Ctrl-U "
		    "deletes"));
	before = form_field_hash(&it->field);
	if (!field_key(&it->field, k))
		return FORM_UNUSED;
	if (form_field_hash(&it->field) != before) {
		f->changed = 1;
		form_run_check(f, f->focus, 0);
	}
	return FORM_USED;
}

/* Keys that move between items. */
static int
form_move_key(struct form *f, const struct key *k)
{
	int page = f->page > 1 ? f->page - 1 : 1;

	if (!k->is_key)
		return k->ch == '\t' ? (form_step(f, 1, 1), 1) : 0;
	switch (k->ch) {
	case KEY_DOWN:  form_step(f, 1, 1); return 1;
	case KEY_UP:
	case KEY_BTAB:  form_step(f, -1, 1); return 1;
	case KEY_NPAGE: form_step(f, 1, page); return 1;
	case KEY_PPAGE: form_step(f, -1, page); return 1;
	}
	return 0;
}

static enum form_result
form_item_key(struct form *f, struct form_item *it, const struct key *k)
{
	switch (it->kind) {
	case FORM_TEXT:
		return form_text_key(f, it, k);
	case FORM_CHOICE:
		return form_choice_key(f, it, k);
	case FORM_CHECK:
		/* Space or Enter ticks a box (as a clerk expects of a list of
		 * documents); Tab and the arrows move on. */
		if ((!k->is_key && k->ch == ' ') || key_is_enter(k)) {
			if (it->readonly || f->readonly)
				return form_refuse(f, _("Nothing here can be "
				    "changed (view only)"));
			it->on = !it->on;
			f->changed = 1;
			form_run_check(f, f->focus, 0);
			return FORM_USED;
		}
		return FORM_UNUSED;
	case FORM_BUTTON:
		if (key_is_enter(k))
			return FORM_ACTIVATE;
		if (k->is_key && k->ch == KEY_DC && !f->readonly)
			return FORM_DELETE;
		return FORM_UNUSED;
	default:
		return FORM_UNUSED;
	}
}

enum form_result
form_key(struct form *f, const struct key *k)
{
	struct form_item *it;
	enum form_result r;

	if (f->focus >= f->n)
		return FORM_UNUSED;
	it = &f->items[f->focus];
	if (f->pop_open && it->kind == FORM_CHOICE)
		return form_pop_key(f, it, k);
	if ((r = form_item_key(f, it, k)) != FORM_UNUSED)
		return r;
	if (form_move_key(f, k))
		return FORM_USED;
	if (key_is_enter(k)) {
		form_step(f, 1, 1);
		return FORM_USED;
	}
	return FORM_UNUSED;
}

/* ---- drawing ---- */

static int
form_has_line2(const struct form_item *it)
{
	return (it->error != NULL && it->err_shown) || it->note != NULL;
}

static int
form_rows(const struct form_item *it)
{
	return 1 + form_has_line2(it);
}

/* Scroll so that the focused item (and its message line) is visible. */
static void
form_scroll(struct form *f, int h)
{
	int rows = 0;

	if (f->focus < f->top)
		f->top = f->focus;
	/* Show the heading just above the focus when scrolling up to it. */
	if (f->top == f->focus && f->top > 0 &&
	    f->items[f->top - 1].kind == FORM_HEADING)
		f->top--;
	for (size_t i = f->top; i <= f->focus && i < f->n; i++)
		rows += form_rows(&f->items[i]);
	while (rows > h && f->top < f->focus)
		rows -= form_rows(&f->items[f->top++]);
}

static void
form_draw_choice(const struct form_item *it, WINDOW *w, int y, int x, int fw,
    attr_t attr)
{
	char buf[256];
	const char *v = it->choice >= 0 ? it->opts[it->choice] : "-";

	text_put(w, y, x, "<", 1, attr, 0);
	text_put(w, y, x + 1, text_trunc(v, fw - 3, buf, sizeof buf), fw - 2,
	    attr, 1);
	text_put(w, y, x + fw - 1, ">", 1, attr, 0);
}

static void
form_draw_readonly(const struct form_item *it, WINDOW *w, int y, int x, int fw)
{
	char *s = field_text(&it->field);

	text_put(w, y, x, s ? s : "", fw, A_NORMAL, 1);
	free(s);
}

/* The value column of a labelled item; returns the cursor column or -1. */
static int
form_draw_value(struct form *f, struct form_item *it, WINDOW *w, int y,
    int vx, int fw, int focused)
{
	attr_t attr = focused ? A_REVERSE : A_UNDERLINE;

	if (it->kind == FORM_CHOICE) {
		form_draw_choice(it, w, y, vx, fw, attr);
		return -1;
	}
	if (it->readonly || f->readonly) {
		form_draw_readonly(it, w, y, vx, fw);
		return -1;
	}
	return field_draw(&it->field, w, y, vx, fw, focused);
}

static int
form_value_width(const struct form *f, const struct form_item *it, int width)
{
	int room = width - f->label_w - 3;

	if (room < 4)
		room = 4;
	return it->width > 0 && it->width < room ? it->width : room;
}

static void
form_draw_line2(const struct form *f, const struct form_item *it, WINDOW *w,
    int y, int x, int width)
{
	char buf[FORM_MSG_MAX + 8];
	int vx = x + f->label_w + 1;

	if (it->error != NULL && it->err_shown) {
		snprintf(buf, sizeof buf, "! %s", it->error);
		if (text_width(buf) > width - (vx - x))      /* use the label column too */
			vx = x + 1 + (width - 2 - text_width(buf) > 0 ?
			    width - 2 - text_width(buf) : 0);
		text_put(w, y, vx, buf, width - (vx - x), A_BOLD, 0);
	} else if (it->note != NULL) {
		text_put(w, y, vx, it->note, width - (vx - x), it->note_attr, 0);
	}
}

/* One item at row y; returns the cursor column or -1. */
static int
form_draw_item(struct form *f, struct form_item *it, WINDOW *w, int y, int x,
    int width, int focused)
{
	int vx = x + f->label_w + 1, fw = form_value_width(f, it, width), cx = -1;
	char buf[FORM_MSG_MAX];

	switch (it->kind) {
	case FORM_HEADING:
		text_put(w, y, x, it->label, width, A_BOLD | A_UNDERLINE, 0);
		return -1;
	case FORM_BUTTON:
		text_put(w, y, x + 1, it->label, width - 2,
		    focused ? A_REVERSE : A_NORMAL, 1);
		return -1;
	case FORM_CHECK:
		snprintf(buf, sizeof buf, "[%s] %s", it->on ? "x" : " ", it->label);
		text_put(w, y, x + 1, buf, width - 2, focused ? A_REVERSE : A_NORMAL, 0);
		return -1;
	default:
		break;
	}
	text_put(w, y, x + 1, it->label, f->label_w - 1, focused ? A_BOLD : A_NORMAL, 0);
	cx = form_draw_value(f, it, w, y, vx, fw, focused);
	if (it->error != NULL)
		text_put(w, y, vx + fw + 1, "!", 1, A_BOLD, 0);
	return cx;
}

static void
form_draw_popup(struct form *f, WINDOW *w, int fy, int fx, int y0, int h,
    int width)
{
	struct form_item *it = &f->items[f->focus];
	int rows = (int)it->nopts < FORM_POP_ROWS ? (int)it->nopts : FORM_POP_ROWS;
	int bw = text_width(_("type to find")) + 6, by, bh = rows + 2;
	char cut[512];

	/* As wide as its longest option and its hint, moved left rather
	 * than cut where the field's column leaves too little room (a
	 * service's name is up to ~100 columns); cut with "…" only at the
	 * screen's width. */
	for (size_t i = 0; i < it->nopts; i++) {
		int tw = text_width(it->opts[i]) + 4;
		bw = tw > bw ? tw : bw;
	}
	if (bw > width)
		bw = width;
	if (fx + bw > width)
		fx = width - bw;
	by = fy + 1 + bh <= y0 + h ? fy + 1 : fy - bh;
	if (by < y0)
		by = y0;
	if (f->pop_sel < f->pop_top)
		f->pop_top = f->pop_sel;
	if (f->pop_sel >= f->pop_top + rows)
		f->pop_top = f->pop_sel - rows + 1;
	for (int r = 0; r < bh; r++)
		text_put(w, by + r, fx, "", bw, A_NORMAL, 1);
	wattr_on(w, A_NORMAL, NULL);
	mvwhline(w, by, fx + 1, ACS_HLINE, bw - 2);
	mvwhline(w, by + bh - 1, fx + 1, ACS_HLINE, bw - 2);
	mvwvline(w, by + 1, fx, ACS_VLINE, bh - 2);
	mvwvline(w, by + 1, fx + bw - 1, ACS_VLINE, bh - 2);
	mvwaddch(w, by, fx, ACS_ULCORNER);
	mvwaddch(w, by, fx + bw - 1, ACS_URCORNER);
	mvwaddch(w, by + bh - 1, fx, ACS_LLCORNER);
	mvwaddch(w, by + bh - 1, fx + bw - 1, ACS_LRCORNER);
	for (int r = 0; r < rows && f->pop_top + r < (int)it->nopts; r++) {
		int i = f->pop_top + r;
		text_put(w, by + 1 + r, fx + 1, text_trunc(it->opts[i], bw - 2,
		    cut, sizeof cut), bw - 2, i == f->pop_sel ? A_REVERSE :
		    A_NORMAL, 1);
	}
	/* What was typed, in the bottom border; else that typing finds. */
	{
		char find[160], tag[200];

		if (f->pop_nfind > 0 &&
		    wcstombs(find, f->pop_find, sizeof find) != (size_t)-1) {
			find[sizeof find - 1] = '\0';
			snprintf(tag, sizeof tag, _(" Find: %s "), find);
		} else {
			snprintf(tag, sizeof tag, " %s ", _("type to find"));
		}
		text_put(w, by + bh - 1, fx + 2, tag, bw - 4 < text_width(tag) ?
		    bw - 4 : text_width(tag), f->pop_nfind ? A_REVERSE : A_NORMAL,
		    0);
	}
}

void
form_draw(struct form *f, WINDOW *w, int y, int x, int h, int width,
    int *cy, int *cx)
{
	int row = 0, fy = -1, shown = 0;

	*cy = *cx = -1;
	if (h < 1 || f->n == 0)
		return;
	form_scroll(f, h);
	for (size_t i = f->top; i < f->n && row < h; i++) {
		struct form_item *it = &f->items[i];
		int focused = i == f->focus;
		int c = form_draw_item(f, it, w, y + row, x, width, focused);

		if (focused) {
			fy = y + row;
			if (c >= 0) {
				*cy = fy;
				*cx = c;
			}
		}
		if (form_has_line2(it) && row + 1 < h)
			form_draw_line2(f, it, w, y + row + 1, x, width);
		row += form_rows(it);
		shown++;
	}
	f->page = shown > 0 ? shown : 1;
	if (f->top > 0)
		text_put(w, y, x + width - 1, "^", 1, A_BOLD, 0);
	if (f->top + (size_t)shown < f->n)
		text_put(w, y + h - 1, x + width - 1, "v", 1, A_BOLD, 0);
	if (f->pop_open && fy >= 0 && f->items[f->focus].kind == FORM_CHOICE) {
		form_draw_popup(f, w, fy, x + f->label_w + 1, y, h, width);
		*cy = *cx = -1;
	}
}
