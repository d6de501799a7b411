/*
 * keys.c — the key encodings terminals really send, the Esc-digit
 * folding, key names and the key test (see keys.h).
 */
#include "config.h"

#include "tui/keys.h"

#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <term.h>
#include <unistd.h>

#include "tui/text.h"

/*
 * Sequence -> key, in addition to the terminfo entry of $TERM.  A table:
 * who sends what is documented per row, so a new terminal is a new row.
 * These meanings win over the entry's: VT220 entries call ESC [1~ "Find"
 * and ESC [4~ "Select", keys no PC keyboard has, where every PC terminal
 * means Home and End; the Linux entry binds ESC [Z to a key of its own.
 */
static const struct {
	const char *seq;
	int         key;
} key_seqs[] = {
	/* VT220 / Linux console / screen / tmux / PuTTY / rxvt: ESC [ n ~ */
	{ "\033[1~", KEY_HOME },  { "\033[2~", KEY_IC },
	{ "\033[3~", KEY_DC },    { "\033[4~", KEY_END },
	{ "\033[5~", KEY_PPAGE }, { "\033[6~", KEY_NPAGE },
	/* rxvt */
	{ "\033[7~", KEY_HOME },  { "\033[8~", KEY_END },
	/* xterm, normal and application cursor mode */
	{ "\033[H", KEY_HOME },   { "\033[F", KEY_END },
	{ "\033OH", KEY_HOME },   { "\033OF", KEY_END },
	{ "\033[A", KEY_UP },     { "\033[B", KEY_DOWN },
	{ "\033[C", KEY_RIGHT },  { "\033[D", KEY_LEFT },
	{ "\033OA", KEY_UP },     { "\033OB", KEY_DOWN },
	{ "\033OC", KEY_RIGHT },  { "\033OD", KEY_LEFT },
	{ "\033[Z", KEY_BTAB },   { "\033OM", KEY_ENTER },
	/* F1–F4: xterm/VT100 (ESC O P..S), rxvt and PuTTY (ESC [11~..14~),
	 * the Linux console (ESC [[A..E, F5 included) */
	{ "\033OP", KEY_F(1) },   { "\033OQ", KEY_F(2) },
	{ "\033OR", KEY_F(3) },   { "\033OS", KEY_F(4) },
	{ "\033[11~", KEY_F(1) }, { "\033[12~", KEY_F(2) },
	{ "\033[13~", KEY_F(3) }, { "\033[14~", KEY_F(4) },
	{ "\033[[A", KEY_F(1) },  { "\033[[B", KEY_F(2) },
	{ "\033[[C", KEY_F(3) },  { "\033[[D", KEY_F(4) },
	{ "\033[[E", KEY_F(5) },
	/* F5–F12: xterm, VT220, screen/tmux, rxvt, PuTTY, Linux console */
	{ "\033[15~", KEY_F(5) }, { "\033[17~", KEY_F(6) },
	{ "\033[18~", KEY_F(7) }, { "\033[19~", KEY_F(8) },
	{ "\033[20~", KEY_F(9) }, { "\033[21~", KEY_F(10) },
	{ "\033[23~", KEY_F(11) }, { "\033[24~", KEY_F(12) },
	/* PuTTY in its VT100+ keyboard mode: F5–F10 as ESC O T..Y */
	{ "\033OT", KEY_F(5) },   { "\033OU", KEY_F(6) },
	{ "\033OV", KEY_F(7) },   { "\033OW", KEY_F(8) },
	{ "\033OX", KEY_F(9) },   { "\033OY", KEY_F(10) },
};

void
keys_init(void)
{
	for (size_t i = 0; i < sizeof key_seqs / sizeof key_seqs[0]; i++)
		if (key_defined(key_seqs[i].seq) != key_seqs[i].key) {
			define_key(key_seqs[i].seq, 0);     /* drop the old */
			define_key(key_seqs[i].seq, key_seqs[i].key);
		}
}

int
keys_few_fkeys(void)
{
	char cap[] = "kf10";
	const char *s = tigetstr(cap);

	return s == NULL || s == (char *)-1 || s[0] == '\0';
}

/* One key from ncurses (or the pushback); 0 when none is waiting. */
static int
keys_get(struct keys_reader *r, struct key *k)
{
	wint_t ch;
	int rc;

	if (r->has_pushback) {
		*k = r->pushback;
		r->has_pushback = 0;
		return 1;
	}
	rc = wget_wch(stdscr, &ch);
	if (rc == ERR)
		return 0;
	k->is_key = (rc == KEY_CODE_YES);
	k->ch = ch;
	return 1;
}

/*
 * Esc and a digit at once (within the read) is a function key; a lone
 * Esc stays Esc; Esc and anything else is Esc, then that key.
 */
int
keys_read(struct keys_reader *r, struct key *k)
{
	struct key next;

	if (!keys_get(r, k))
		return 0;
	if (k->is_key || k->ch != 27 || r->has_pushback || !keys_get(r, &next))
		return 1;
	if (!next.is_key && next.ch >= L'0' && next.ch <= L'9') {
		k->is_key = 1;
		k->ch = KEY_F(next.ch == L'0' ? 10 : (int)(next.ch - L'0'));
		return 1;
	}
	r->pushback = next;
	r->has_pushback = 1;
	return 1;
}

static const struct {
	int         key;
	const char *name;
} key_names[] = {
	{ KEY_HOME, "Home" }, { KEY_END, "End" }, { KEY_IC, "Insert" },
	{ KEY_DC, "Delete" }, { KEY_PPAGE, "PgUp" }, { KEY_NPAGE, "PgDn" },
	{ KEY_UP, "Up" }, { KEY_DOWN, "Down" }, { KEY_LEFT, "Left" },
	{ KEY_RIGHT, "Right" }, { KEY_BTAB, "Shift-Tab" },
	{ KEY_ENTER, "Enter" }, { KEY_BACKSPACE, "Backspace" },
	{ KEY_RESIZE, "Resize" },
};

const char *
keys_name(const struct key *k, char *buf, size_t cap)
{
	if (k->is_key) {
		for (int n = 1; n <= 12; n++)
			if (k->ch == (wint_t)KEY_F(n)) {
				snprintf(buf, cap, "F%d", n);
				return buf;
			}
		for (size_t i = 0; i < sizeof key_names / sizeof key_names[0]; i++)
			if (k->ch == (wint_t)key_names[i].key) {
				snprintf(buf, cap, "%s", key_names[i].name);
				return buf;
			}
		snprintf(buf, cap, "key %#o", (unsigned)k->ch);
		return buf;
	}
	switch (k->ch) {
	case 27:   snprintf(buf, cap, "Esc"); return buf;
	case '\r': case '\n': snprintf(buf, cap, "Enter"); return buf;
	case '\t': snprintf(buf, cap, "Tab"); return buf;
	case 0x7f: case CTRL_KEY('h'): snprintf(buf, cap, "Backspace"); return buf;
	case ' ':  snprintf(buf, cap, "Space"); return buf;
	}
	if (k->ch < 0x20)
		snprintf(buf, cap, "Ctrl-%c", (char)(k->ch + '@'));
	else {
		wchar_t s[2] = { (wchar_t)k->ch, 0 };

		snprintf(buf, cap, "'%ls'", s);
	}
	return buf;
}

/* ---- the key test ---- */

#define KEYS_TEST_LINES 12

/* Remember a key's name in the scrolling list; 1 when it ends the test. */
static int
keys_test_note(char names[][48], int *n, const struct key *k, int *last_esc)
{
	char name[48];
	int end;

	keys_name(k, name, sizeof name);
	if (*n == KEYS_TEST_LINES) {
		memmove(names[0], names[1], sizeof names[0] *
		    (KEYS_TEST_LINES - 1));
		(*n)--;
	}
	snprintf(names[(*n)++], sizeof names[0], "%s", name);
	end = (!k->is_key && k->ch == CTRL_KEY('q')) ||
	    (!k->is_key && k->ch == 27 && *last_esc);
	*last_esc = !k->is_key && k->ch == 27;
	return end;
}

static void
keys_test_draw(char names[][48], int n)
{
	int h, w;

	getmaxyx(stdscr, h, w);
	erase();
	text_put(stdscr, 0, 0, _("Key test: press keys to see what the program "
	    "receives."), w, A_BOLD, 0);
	text_put(stdscr, 1, 0, _("Ctrl-Q or Esc twice: leave."), w,
	    A_NORMAL, 0);
	text_put(stdscr, 2, 0, keys_few_fkeys() ? _("This terminal has no "
	    "F5-F10: type Esc and a digit (Esc 0 = F10).") : _("Esc and a "
	    "digit also works as F1-F10 (Esc 0 = F10)."), w, A_NORMAL, 0);
	for (int i = 0; i < n && 4 + i < h; i++)
		text_put(stdscr, 4 + i, 2, names[i], w - 2, A_NORMAL, 0);
	refresh();
}

int
keys_test(void)
{
	char names[KEYS_TEST_LINES][48];
	struct keys_reader r = { 0 };
	struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
	struct key k;
	int n = 0, last_esc = 0, done = 0;

	initscr();
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(250);
	keys_init();
	curs_set(0);
	while (!done) {
		keys_test_draw(names, n);
		(void)poll(&p, 1, -1);
		while (!done && keys_read(&r, &k))
			done = keys_test_note(names, &n, &k, &last_esc);
	}
	endwin();
	return 0;
}
