/*
 * sheet.c — typed cells collected in memory, written as CSV or XLSX
 * (sheet.h says what each kind of cell becomes).
 *
 * XLSX: libxlsxwriter (Debian's libxlsxwriter-dev) — a well-kept writer of
 * the Office Open XML package, so the zip container, shared strings and
 * styles are not ours to get right.  Its 1.1.4 writes to a named file
 * only, so the workbook goes to a private temporary file, is read back
 * into memory and the temporary file removed.
 */
#include "config.h"

#include "paper/sheet.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "proto/csv_write.h"

enum cell_kind { C_EMPTY, C_STR, C_INT, C_MONEY, C_MONTH, C_MOMENT };

struct cell {
	enum cell_kind kind;
	int64_t        v;
	char          *text;
};

enum row_kind { R_DATA, R_HEAD, R_NOTE };

struct row {
	enum row_kind kind;
	struct cell  *c;
	size_t        n;
};

struct paper_sheet {
	char       *name;
	struct row *rows;
	size_t      nrows;
	int         open;     /* the last row still takes cells */
	int         oom;      /* a cell was lost: render fails */
};

#define WIDTH_MIN 6
#define WIDTH_MAX 60

struct paper_sheet *
paper_sheet_new(const char *name)
{
	struct paper_sheet *s = calloc(1, sizeof *s);

	if (s == NULL)
		return NULL;
	if ((s->name = strdup(name ? name : "")) == NULL) {
		free(s);
		return NULL;
	}
	return s;
}

void
paper_sheet_free(struct paper_sheet *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->nrows; i++) {
		for (size_t k = 0; k < s->rows[i].n; k++)
			free(s->rows[i].c[k].text);
		free(s->rows[i].c);
	}
	free(s->rows);
	free(s->name);
	free(s);
}

/* The row cells go to: the open one, or a new one of `kind`. */
static struct row *
row_open(struct paper_sheet *s, enum row_kind kind)
{
	struct row *r;

	if (s->open && s->rows[s->nrows - 1].kind == kind)
		return &s->rows[s->nrows - 1];
	if (s->open)
		paper_sheet_end(s);
	r = realloc(s->rows, (s->nrows + 1) * sizeof *r);
	if (r == NULL)
		return NULL;
	s->rows = r;
	r = &s->rows[s->nrows++];
	memset(r, 0, sizeof *r);
	r->kind = kind;
	s->open = 1;
	return r;
}

static void
cell_add(struct paper_sheet *s, enum row_kind rk, enum cell_kind kind,
    int64_t v, const char *text)
{
	struct row  *r;
	struct cell *c;

	if (s->oom || (r = row_open(s, rk)) == NULL) {
		s->oom = 1;
		return;
	}
	if ((c = realloc(r->c, (r->n + 1) * sizeof *c)) == NULL) {
		s->oom = 1;
		return;
	}
	r->c = c;
	c = &r->c[r->n];
	c->kind = kind;
	c->v = v;
	c->text = NULL;
	if (text != NULL && (c->text = strdup(text)) == NULL) {
		s->oom = 1;
		return;
	}
	r->n++;
}

void
paper_sheet_str(struct paper_sheet *s, const char *text)
{
	cell_add(s, R_DATA, text && *text ? C_STR : C_EMPTY, 0,
	    text && *text ? text : NULL);
}

void
paper_sheet_int(struct paper_sheet *s, int64_t v)
{
	cell_add(s, R_DATA, C_INT, v, NULL);
}

void
paper_sheet_money(struct paper_sheet *s, int64_t kopecks)
{
	cell_add(s, R_DATA, C_MONEY, kopecks, NULL);
}

void
paper_sheet_month(struct paper_sheet *s, int yyyymm)
{
	cell_add(s, R_DATA, C_MONTH, yyyymm, NULL);
}

void
paper_sheet_moment(struct paper_sheet *s, int64_t t)
{
	cell_add(s, R_DATA, t > 0 ? C_MOMENT : C_EMPTY, t, NULL);
}

void
paper_sheet_empty(struct paper_sheet *s)
{
	cell_add(s, R_DATA, C_EMPTY, 0, NULL);
}

void
paper_sheet_end(struct paper_sheet *s)
{
	if (!s->open && !s->oom)
		(void)row_open(s, R_DATA);    /* an empty row */
	s->open = 0;
}

void
paper_sheet_head(struct paper_sheet *s, const char *title)
{
	cell_add(s, R_HEAD, C_STR, 0, title ? title : "");
}

void
paper_sheet_header(struct paper_sheet *s, const char *const *titles)
{
	if (s->open)
		paper_sheet_end(s);
	for (size_t i = 0; titles[i] != NULL; i++)
		paper_sheet_head(s, titles[i]);
	paper_sheet_end(s);
}

void
paper_sheet_note(struct paper_sheet *s, const char *text)
{
	if (s->open)
		paper_sheet_end(s);
	cell_add(s, R_NOTE, C_STR, 0, text ? text : "");
	paper_sheet_end(s);
}

int
paper_sheet_format_of(const char *name)
{
	if (name != NULL && strcmp(name, "csv") == 0)
		return PAPER_SHEET_CSV;
	if (name != NULL && strcmp(name, "xlsx") == 0)
		return PAPER_SHEET_XLSX;
	return -1;
}

const char *
paper_sheet_ext(enum paper_sheet_format f)
{
	return f == PAPER_SHEET_XLSX ? "xlsx" : "csv";
}

static int
oom(struct hr_error *err)
{
	return hr_error_set(err, HR_E_INTERNAL, "out of memory");
}

/* ---- CSV ---- */

static void
moment_text(int64_t t, char *buf, size_t n)
{
	time_t    tt = (time_t)t;
	struct tm tm;

	if (localtime_r(&tt, &tm) == NULL ||
	    strftime(buf, n, "%Y-%m-%d %H:%M", &tm) == 0)
		buf[0] = '\0';
}

static int
render_csv(const struct paper_sheet *s, int bom, char **data, size_t *len,
    struct hr_error *err)
{
	struct hr_csv c;
	FILE         *f = open_memstream(data, len);
	char          buf[32];

	if (f == NULL)
		return oom(err);
	hr_csv_init(&c, f, bom);
	for (size_t i = 0; i < s->nrows; i++) {
		const struct row *r = &s->rows[i];

		for (size_t k = 0; k < r->n; k++) {
			const struct cell *x = &r->c[k];

			switch (x->kind) {
			case C_EMPTY:  hr_csv_str(&c, ""); break;
			case C_STR:    hr_csv_str(&c, x->text); break;
			case C_INT:    hr_csv_int(&c, x->v); break;
			case C_MONEY:  hr_csv_money(&c, x->v); break;
			case C_MONTH:  hr_csv_month(&c, (int)x->v); break;
			case C_MOMENT:
				moment_text(x->v, buf, sizeof buf);
				hr_csv_str(&c, buf);
				break;
			}
		}
		hr_csv_end(&c);
	}
	if (fclose(f) != 0 || *data == NULL) {
		free(*data);
		*data = NULL;
		return oom(err);
	}
	return 0;
}

/* ---- XLSX ---- */

/* Characters a cell shows (UTF-8 code points), for the column width. */
static size_t
cell_width(const struct cell *x)
{
	char   buf[32];
	size_t n = 0;

	switch (x->kind) {
	case C_EMPTY:  return 0;
	case C_MONTH:  return 7;
	case C_MOMENT: return 16;
	case C_INT:
		return (size_t)snprintf(buf, sizeof buf, "%lld",
		    (long long)x->v);
	case C_MONEY:
		return (size_t)snprintf(buf, sizeof buf, "%lld.00",
		    (long long)(x->v / 100));
	case C_STR:
		for (const unsigned char *p = (const unsigned char *)x->text;
		    *p; p++)
			n += (*p & 0xC0) != 0x80;
		return n;
	}
	return 0;
}

struct xlsx_formats {
	lxw_format *head, *money, *month, *moment;
};

static lxw_datetime
datetime_of(const struct cell *x)
{
	lxw_datetime d;

	memset(&d, 0, sizeof d);
	if (x->kind == C_MONTH) {
		d.year = (int)(x->v / 100);
		d.month = (int)(x->v % 100);
		d.day = 1;
	} else {
		time_t    tt = (time_t)x->v;
		struct tm tm;

		if (localtime_r(&tt, &tm) != NULL) {
			d.year = tm.tm_year + 1900;
			d.month = tm.tm_mon + 1;
			d.day = tm.tm_mday;
			d.hour = tm.tm_hour;
			d.min = tm.tm_min;
			d.sec = tm.tm_sec;
		}
	}
	return d;
}

static lxw_error
xlsx_cell(lxw_worksheet *ws, const struct xlsx_formats *fm, lxw_row_t row,
    lxw_col_t col, const struct cell *x, int head)
{
	lxw_datetime d;

	switch (x->kind) {
	case C_EMPTY:
		return LXW_NO_ERROR;
	case C_STR:
		return worksheet_write_string(ws, row, col, x->text,
		    head ? fm->head : NULL);
	case C_INT:
		return worksheet_write_number(ws, row, col, (double)x->v, NULL);
	case C_MONEY:
		return worksheet_write_number(ws, row, col,
		    (double)x->v / 100.0, fm->money);
	case C_MONTH:
	case C_MOMENT:
		d = datetime_of(x);
		return worksheet_write_datetime(ws, row, col, &d,
		    x->kind == C_MONTH ? fm->month : fm->moment);
	}
	return LXW_NO_ERROR;
}

static int
xlsx_fill(const struct paper_sheet *s, lxw_workbook *wb, lxw_worksheet *ws,
    struct hr_error *err)
{
	struct xlsx_formats fm;
	size_t  ncols = 0, *width;
	int     frozen = 0;
	lxw_error e = LXW_NO_ERROR;

	fm.head = workbook_add_format(wb);
	fm.money = workbook_add_format(wb);
	fm.month = workbook_add_format(wb);
	fm.moment = workbook_add_format(wb);
	if (!fm.head || !fm.money || !fm.month || !fm.moment)
		return oom(err);
	format_set_bold(fm.head);
	format_set_num_format(fm.money, "0.00");
	format_set_num_format(fm.month, "yyyy-mm");
	format_set_num_format(fm.moment, "yyyy-mm-dd hh:mm");

	for (size_t i = 0; i < s->nrows; i++)
		if (s->rows[i].n > ncols)
			ncols = s->rows[i].n;
	if ((width = calloc(ncols + 1, sizeof *width)) == NULL)
		return oom(err);
	for (size_t i = 0; i < s->nrows && e == LXW_NO_ERROR; i++) {
		const struct row *r = &s->rows[i];

		if (r->kind == R_HEAD && !frozen) {
			worksheet_freeze_panes(ws, (lxw_row_t)(i + 1), 0);
			frozen = 1;
		}
		for (size_t k = 0; k < r->n && e == LXW_NO_ERROR; k++) {
			size_t w = cell_width(&r->c[k]);

			e = xlsx_cell(ws, &fm, (lxw_row_t)i, (lxw_col_t)k,
			    &r->c[k], r->kind == R_HEAD);
			if (r->kind != R_NOTE && w > width[k])
				width[k] = w;
		}
	}
	for (size_t k = 0; k < ncols && e == LXW_NO_ERROR; k++) {
		size_t w = width[k] + 2;

		w = w < WIDTH_MIN ? WIDTH_MIN : w > WIDTH_MAX ? WIDTH_MAX : w;
		e = worksheet_set_column(ws, (lxw_col_t)k, (lxw_col_t)k,
		    (double)w, NULL);
	}
	free(width);
	if (e != LXW_NO_ERROR)
		return hr_errorf(err, HR_E_INVALID, "sheet.cell",
		    "a cell cannot be written to XLSX: {reason}",
		    HR_STR("reason", lxw_strerror(e)));
	return 0;
}

/* The whole of a file into memory. */
static int
slurp(const char *path, char **data, size_t *len)
{
	FILE  *f = fopen(path, "rb");
	long   n;
	char  *buf;

	if (f == NULL)
		return -1;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 ||
	    (buf = malloc((size_t)n + 1)) == NULL) {
		fclose(f);
		return -1;
	}
	if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	*data = buf;
	*len = (size_t)n;
	return 0;
}

static int
render_xlsx(const struct paper_sheet *s, char **data, size_t *len,
    struct hr_error *err)
{
	const char    *dir = getenv("TMPDIR");
	char           path[1024];
	lxw_workbook  *wb;
	lxw_worksheet *ws;
	lxw_error      e;
	int            fd, rc = 0, saved;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	if ((size_t)snprintf(path, sizeof path, "%s/hromada-sheet-XXXXXX",
	    dir) >= sizeof path || (fd = mkstemp(path)) < 0)
		return hr_errorf(err, HR_E_IO, "sheet.tmp",
		    "no temporary file for the spreadsheet in {path}: {reason}",
		    HR_STR("path", dir), HR_STR("reason", strerror(errno)));
	close(fd);
	if ((wb = workbook_new(path)) == NULL) {
		(void)unlink(path);
		return oom(err);
	}
	ws = workbook_add_worksheet(wb, s->name[0] != '\0' &&
	    workbook_validate_sheet_name(wb, s->name) == LXW_NO_ERROR ?
	    s->name : NULL);
	if (ws == NULL)
		rc = oom(err);
	else
		rc = xlsx_fill(s, wb, ws, err);
	e = workbook_close(wb);
	saved = errno;
	if (rc == 0 && e != LXW_NO_ERROR)
		rc = hr_errorf(err, HR_E_IO, "sheet.tmp",
		    "no temporary file for the spreadsheet in {path}: {reason}",
		    HR_STR("path", dir), HR_STR("reason",
		    e == LXW_ERROR_CREATING_XLSX_FILE ||
		    e == LXW_ERROR_CREATING_TMPFILE ? strerror(saved) :
		    lxw_strerror(e)));
	if (rc == 0 && slurp(path, data, len) < 0)
		rc = hr_errorf(err, HR_E_IO, "sheet.tmp",
		    "no temporary file for the spreadsheet in {path}: {reason}",
		    HR_STR("path", dir), HR_STR("reason", strerror(errno)));
	(void)unlink(path);
	return rc;
}

int
paper_sheet_render(const struct paper_sheet *s, enum paper_sheet_format f,
    int bom, char **data, size_t *len, struct hr_error *err)
{
	*data = NULL;
	*len = 0;
	if (s->oom)
		return oom(err);
	return f == PAPER_SHEET_XLSX ? render_xlsx(s, data, len, err) :
	    render_csv(s, bom, data, len, err);
}
