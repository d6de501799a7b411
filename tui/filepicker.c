/*
 * filepicker.c — choose a file or a directory with the keyboard
 * (filepicker.h).
 *
 * The directory is read whole when entered (at most FP_MAX_ENTRIES, so a
 * huge directory costs bounded memory) and sorted once: directories, then
 * the files the caller ranks first, then the rest, by folded name.  Every
 * entry keeps a case-folded wide copy of its name for the filter, as
 * tui/picker.c does.  `shown` lists what the filter lets through, with two
 * pseudo rows: ROW_HERE (directory mode: this directory) and ROW_UP ("..").
 */
#include "config.h"

#include "tui/filepicker.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <wctype.h>

#include "proto/buf.h"
#include "tui/box.h"
#include "tui/bytes.h"
#include "tui/field.h"
#include "tui/listsel.h"
#include "tui/statefile.h"
#include "tui/text.h"

#define FP_MAX_ENTRIES 10000
#define FP_SEARCH_MAX  PATH_MAX
#define FP_MSG_MAX     512
#define FP_WIDTH_MAX   78
#define FP_ROWS_MAX    18

enum { ROW_HERE = -2, ROW_UP = -1 };

struct fp_entry {
	char     *name;
	wchar_t  *folded;
	int       dir, rank;
	long long size;
	time_t    mtime;
};

struct filepicker {
	char               *title;
	enum filepicker_mode mode;
	filepicker_rank_fn *rank;
	void               *ud;
	char               *dir;          /* absolute, no trailing slash but "/" */
	char               *chosen;
	struct fp_entry    *e;
	size_t              n, more;      /* entries; not read (over the cap) */
	long               *shown;        /* ROW_* or an index into e */
	size_t              nshown, sel, top;
	int                 page;
	struct field        search;
	char                msg[FP_MSG_MAX];
};

/* ---- names ---- */

static void
fp_entries_free(struct filepicker *fp)
{
	for (size_t i = 0; i < fp->n; i++) {
		free(fp->e[i].name);
		free(fp->e[i].folded);
	}
	free(fp->e);
	fp->e = NULL;
	fp->n = fp->more = 0;
}

static int
fp_cmp(const void *a, const void *b)
{
	const struct fp_entry *x = a, *y = b;

	if (x->dir != y->dir)
		return y->dir - x->dir;             /* directories first */
	if (x->rank != y->rank)
		return y->rank - x->rank;           /* then what ranks higher */
	return wcscmp(x->folded, y->folded);
}

/* "a/b" + "c" -> "a/b/c"; "/" + "c" -> "/c".  malloc'd. */
static char *
fp_join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);

	if (p != NULL)
		snprintf(p, n, "%s%s%s", dir, strcmp(dir, "/") ? "/" : "", name);
	return p;
}

/* ---- reading a directory ---- */

static int
fp_add(struct filepicker *fp, size_t *cap, int dfd, const char *name)
{
	struct stat sb;
	struct fp_entry *e, *ne;

	if (fstatat(dfd, name, &sb, 0) != 0)
		return 0;                           /* gone, or a broken link */
	if (!S_ISDIR(sb.st_mode) && !S_ISREG(sb.st_mode))
		return 0;
	if (fp->mode == FILEPICKER_DIR && !S_ISDIR(sb.st_mode))
		return 0;
	if (fp->n == FP_MAX_ENTRIES) {
		fp->more++;
		return 0;
	}
	if ((ne = hr_grow(fp->e, cap, fp->n, sizeof *ne, 64)) == NULL)
		return -1;
	fp->e = ne;
	e = &fp->e[fp->n];
	memset(e, 0, sizeof *e);
	e->dir = S_ISDIR(sb.st_mode);
	e->size = (long long)sb.st_size;
	e->mtime = sb.st_mtime;
	e->rank = !e->dir && fp->rank != NULL ? fp->rank(fp->ud, name) : 0;
	if (e->rank < 0)
		return 0;                           /* the caller hides it */
	if ((e->name = strdup(name)) == NULL || (e->folded = listsel_fold(name)) ==
	    NULL) {
		free(e->name);
		return -1;
	}
	fp->n++;
	return 0;
}

static void fp_filter(struct filepicker *fp);

/* Read `path` and show it; on failure say why and keep what was shown. */
static int
fp_load(struct filepicker *fp, const char *path)
{
	char *real = realpath(path, NULL);
	struct filepicker tmp = *fp;
	struct dirent *de;
	size_t cap = 0;
	DIR *d;

	if (real == NULL || (d = opendir(real)) == NULL) {
		snprintf(fp->msg, sizeof fp->msg, "%s: %s", path,
		    strerror(errno));
		free(real);
		return -1;
	}
	tmp.e = NULL;
	tmp.n = tmp.more = 0;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (fp_add(&tmp, &cap, dirfd(d), de->d_name) < 0)
			break;
	}
	closedir(d);
	fp_entries_free(fp);
	fp->e = tmp.e;
	fp->n = tmp.n;
	fp->more = tmp.more;
	if (fp->n > 1)
		qsort(fp->e, fp->n, sizeof *fp->e, fp_cmp);
	free(fp->dir);
	fp->dir = real;
	fp->msg[0] = '\0';
	{
		long *ns = realloc(fp->shown, (fp->n + 2) * sizeof *ns);

		if (ns == NULL) {
			fp_entries_free(fp);    /* shown would not fit them */
			fp->nshown = 0;
			return -1;
		}
		fp->shown = ns;
	}
	field_clear(&fp->search);
	fp->sel = fp->top = 0;
	fp_filter(fp);
	return 0;
}

/* ---- the filter ---- */

static void
fp_filter(struct filepicker *fp)
{
	wchar_t q[FP_SEARCH_MAX + 1];
	int path = fp->search.len > 0 && (fp->search.buf[0] == L'/' ||
	    fp->search.buf[0] == L'~');
	int dots = fp->search.len > 0 && fp->search.buf[0] == L'.';

	if (fp->shown == NULL)
		return;
	for (size_t i = 0; i <= fp->search.len; i++)
		q[i] = (wchar_t)towlower((wint_t)fp->search.buf[i]);
	fp->nshown = 0;
	if (fp->mode == FILEPICKER_DIR && fp->search.len == 0)
		fp->shown[fp->nshown++] = ROW_HERE;
	if (fp->search.len == 0 && strcmp(fp->dir, "/") != 0)
		fp->shown[fp->nshown++] = ROW_UP;
	for (size_t i = 0; i < fp->n && !path; i++) {
		if (fp->e[i].name[0] == '.' && !dots)
			continue;
		if (q[0] != L'\0' && wcsstr(fp->e[i].folded, q) == NULL)
			continue;
		fp->shown[fp->nshown++] = (long)i;
	}
	if (fp->sel >= fp->nshown)
		fp->sel = fp->nshown ? fp->nshown - 1 : 0;
	fp->top = 0;
}

/* ---- life ---- */

struct filepicker *
filepicker_new(const char *title, enum filepicker_mode mode, const char *dir,
    filepicker_rank_fn *rank, void *ud)
{
	struct filepicker *fp = calloc(1, sizeof *fp);
	const char *home = getenv("HOME");

	if (fp == NULL)
		return NULL;
	fp->mode = mode;
	fp->rank = rank;
	fp->ud = ud;
	fp->page = 1;
	if ((fp->title = strdup(title ? title : "")) == NULL ||
	    field_init(&fp->search, FP_SEARCH_MAX, 0) != 0) {
		filepicker_free(fp);
		return NULL;
	}
	if ((dir == NULL || fp_load(fp, dir) < 0) &&
	    (home == NULL || fp_load(fp, home) < 0) && fp_load(fp, "/") < 0) {
		filepicker_free(fp);
		return NULL;
	}
	return fp;
}

void
filepicker_free(struct filepicker *fp)
{
	if (fp == NULL)
		return;
	fp_entries_free(fp);
	field_free(&fp->search);
	free(fp->shown);
	free(fp->title);
	free(fp->dir);
	free(fp->chosen);
	free(fp);
}

const char *filepicker_path(const struct filepicker *fp) { return fp->chosen; }
const char *filepicker_dir(const struct filepicker *fp) { return fp->dir; }
size_t filepicker_visible(const struct filepicker *fp) { return fp->nshown; }

/* ---- keys ---- */

static int
fp_choose(struct filepicker *fp, const char *path)
{
	free(fp->chosen);
	fp->chosen = strdup(path);
	return fp->chosen != NULL ? FILEPICKER_CHOSEN : FILEPICKER_OPEN;
}

static void
fp_up(struct filepicker *fp)
{
	char *parent = fp_join(fp->dir, "..");

	if (parent != NULL)
		(void)fp_load(fp, parent);
	free(parent);
}

/* Enter on a typed path: "~/x" is under $HOME. */
static int
fp_typed_path(struct filepicker *fp)
{
	char *typed = field_text(&fp->search), *path = typed;
	const char *home = getenv("HOME");
	struct stat sb;
	int rc = FILEPICKER_OPEN;

	if (typed == NULL)
		return FILEPICKER_OPEN;
	if (typed[0] == '~' && home != NULL) {
		size_t n = strlen(home) + strlen(typed) + 1;

		if ((path = malloc(n)) != NULL)
			snprintf(path, n, "%s%s", home, typed + 1);
	}
	if (path == NULL)
		rc = FILEPICKER_OPEN;
	else if (stat(path, &sb) != 0)
		snprintf(fp->msg, sizeof fp->msg, "%s: %s", path,
		    strerror(errno));
	else if (S_ISDIR(sb.st_mode))
		(void)fp_load(fp, path);
	else if (fp->mode == FILEPICKER_FILE && S_ISREG(sb.st_mode))
		rc = fp_choose(fp, path);
	if (path != typed)
		free(path);
	free(typed);
	return rc;
}

static int
fp_enter(struct filepicker *fp)
{
	long row;
	char *path;
	int rc = FILEPICKER_OPEN;

	if (fp->search.len > 0 && (fp->search.buf[0] == L'/' ||
	    fp->search.buf[0] == L'~'))
		return fp_typed_path(fp);
	if (fp->nshown == 0)
		return FILEPICKER_OPEN;
	row = fp->shown[fp->sel];
	if (row == ROW_HERE)
		return fp_choose(fp, fp->dir);
	if (row == ROW_UP) {
		fp_up(fp);
		return FILEPICKER_OPEN;
	}
	if ((path = fp_join(fp->dir, fp->e[row].name)) == NULL)
		return FILEPICKER_OPEN;
	if (fp->e[row].dir)
		(void)fp_load(fp, path);
	else
		rc = fp_choose(fp, path);
	free(path);
	return rc;
}

static int
fp_is_backspace(const struct key *k)
{
	return (k->is_key && k->ch == KEY_BACKSPACE) ||
	    (!k->is_key && (k->ch == 127 || k->ch == 8));
}

int
filepicker_key(struct filepicker *fp, const struct key *k)
{
	if (key_is_enter(k))
		return fp_enter(fp);
	if (!k->is_key && k->ch == 27) {
		if (fp->search.len == 0)
			return FILEPICKER_CANCEL;
		field_clear(&fp->search);
		fp_filter(fp);
		return FILEPICKER_OPEN;
	}
	if (k->is_key && k->ch == KEY_F(2) && fp->mode == FILEPICKER_DIR)
		return fp_choose(fp, fp->dir);
	if ((k->is_key && k->ch == KEY_LEFT && fp->search.len == 0) ||
	    (fp_is_backspace(k) && fp->search.len == 0)) {
		fp_up(fp);
		return FILEPICKER_OPEN;
	}
	if (k->is_key && k->ch == KEY_RIGHT && fp->search.len == 0 &&
	    fp->nshown > 0 && fp->shown[fp->sel] >= 0 &&
	    fp->e[fp->shown[fp->sel]].dir)
		return fp_enter(fp);
	if (k->is_key && listsel_move(&fp->sel, fp->nshown, fp->page,
	    (int)k->ch))
		return FILEPICKER_OPEN;
	if (k->is_key && !fp_is_backspace(k) && k->ch != KEY_DC)
		return FILEPICKER_OPEN;     /* other keys do not edit the text */
	if (field_key(&fp->search, k)) {
		fp->msg[0] = '\0';
		fp_filter(fp);
	}
	return FILEPICKER_OPEN;
}

/* ---- drawing ---- */

static void
fp_draw_row(const struct filepicker *fp, long row, WINDOW *w, int y, int x,
    int width, attr_t attr)
{
	char line[1024], name[600], size[32], date[16];
	const struct fp_entry *e;
	int namew = width - 22;
	struct tm tm;

	if (row == ROW_HERE) {
		snprintf(line, sizeof line, "./  %s", _("(choose this "
		    "directory)"));
		text_put(w, y, x, line, width, attr | A_BOLD, 1);
		return;
	}
	if (row == ROW_UP) {
		snprintf(line, sizeof line, "../  %s", _("(up)"));
		text_put(w, y, x, line, width, attr, 1);
		return;
	}
	e = &fp->e[row];
	snprintf(line, sizeof line, "%s%s", e->name, e->dir ? "/" : "");
	text_trunc(line, namew > 8 ? namew : 8, name, sizeof name);
	text_put(w, y, x, name, width, attr | (e->dir ? A_BOLD : 0), 1);
	if (e->dir || namew < 8)
		return;
	bytes_size((uint64_t)e->size, size, sizeof size);
	date[0] = '\0';
	if (localtime_r(&e->mtime, &tm) != NULL)
		strftime(date, sizeof date, "%d.%m.%Y", &tm);
	snprintf(line, sizeof line, "%9s  %s", size, date);
	text_put(w, y, x + width - 21, line, 21, attr, 1);
}

/* The directory, cut from the left to fit: "…/Скани/2026". */
static void
fp_draw_dir(const struct filepicker *fp, WINDOW *w, int y, int x, int width)
{
	const char *s = fp->dir;

	while (text_width(s) > width - 1 && strchr(s + 1, '/') != NULL)
		s = strchr(s + 1, '/');
	if (s != fp->dir) {
		char buf[PATH_MAX + 8];

		snprintf(buf, sizeof buf, "…%s", s);
		text_put(w, y, x, buf, width, A_BOLD, 1);
	} else
		text_put(w, y, x, s, width, A_BOLD, 1);
}

void
filepicker_draw(struct filepicker *fp, WINDOW *w, int *cy, int *cx)
{
	int sh, sw, y, x, bh, bw, rows, i;
	char more[128];

	getmaxyx(w, sh, sw);
	bw = sw - 2 < FP_WIDTH_MAX ? sw - 2 : FP_WIDTH_MAX;
	rows = sh - 8 < FP_ROWS_MAX ? sh - 8 : FP_ROWS_MAX;
	if (rows < 1)
		rows = 1;
	bh = rows + 6;
	box_center(w, &y, &x, &bh, &bw);
	box_draw(w, y, x, bh, bw, fp->title, A_NORMAL);
	fp_draw_dir(fp, w, y + 1, x + 2, bw - 4);
	fp->page = bh - 6 > 0 ? bh - 6 : 1;
	if (fp->sel < fp->top)
		fp->top = fp->sel;
	if (fp->sel >= fp->top + (size_t)fp->page)
		fp->top = fp->sel - (size_t)fp->page + 1;
	for (i = 0; i < fp->page && fp->top + (size_t)i < fp->nshown; i++) {
		size_t at = fp->top + (size_t)i;

		fp_draw_row(fp, fp->shown[at], w, y + 2 + i, x + 1, bw - 2,
		    at == fp->sel ? A_REVERSE : A_NORMAL);
	}
	if (fp->nshown == 0)
		text_put(w, y + 2, x + 2, _("(nothing matches)"), bw - 4, A_DIM,
		    0);
	if (fp->msg[0] != '\0')
		text_put(w, y + bh - 4, x + 2, fp->msg, bw - 4, A_BOLD | A_REVERSE,
		    0);
	else if (fp->more > 0) {
		snprintf(more, sizeof more, _("%zu more not listed: type to "
		    "narrow"), fp->more);
		text_put(w, y + bh - 4, x + 2, more, bw - 4, A_DIM, 0);
	}
	text_put(w, y + bh - 2, x + 1, fp->mode == FILEPICKER_DIR ?
	    _("Enter: open  F2: choose this directory  ←: up  Esc: cancel") :
	    _("Enter: open or choose  ←: up  type: find, /path  Esc: cancel"),
	    bw - 2, A_DIM, 0);
	text_put(w, y + bh - 3, x + 1, "/", 2, A_BOLD, 1);
	*cx = field_draw(&fp->search, w, y + bh - 3, x + 3, bw - 4, 1);
	*cy = y + bh - 3;
}

/* ---- the remembered directory ---- */

/* $XDG_STATE_HOME/hromada/lastdir-<purpose> (statefile.h). */
static char *
fp_state_file(const char *purpose, int make_dirs)
{
	char name[80];

	snprintf(name, sizeof name, "lastdir-%s", purpose);
	return state_file_path(name, make_dirs);
}

char *
filepicker_last_dir(const char *purpose)
{
	char *file = fp_state_file(purpose, 0), line[PATH_MAX + 2];
	struct stat sb;
	FILE *f;

	if (file == NULL)
		return NULL;
	f = fopen(file, "r");
	free(file);
	if (f == NULL)
		return NULL;
	if (fgets(line, sizeof line, f) == NULL) {
		fclose(f);
		return NULL;
	}
	fclose(f);
	line[strcspn(line, "\n")] = '\0';
	if (line[0] != '/' || stat(line, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return NULL;
	return strdup(line);
}

void
filepicker_remember(const char *purpose, const char *dir)
{
	char *file = fp_state_file(purpose, 1), *tmp;
	size_t n;
	FILE *f;

	if (file == NULL || dir == NULL || strchr(dir, '\n') != NULL) {
		free(file);
		return;
	}
	n = strlen(file) + 8;
	if ((tmp = malloc(n)) == NULL) {
		free(file);
		return;
	}
	snprintf(tmp, n, "%s.tmp", file);
	if ((f = fopen(tmp, "w")) != NULL) {
		int ok = fprintf(f, "%s\n", dir) > 0;

		if (fclose(f) == 0 && ok)
			(void)rename(tmp, file);
		else
			(void)unlink(tmp);
	}
	free(tmp);
	free(file);
}
