/*
 * plaintext.c — the plain-text renderer (render.h): 80 columns, 64-line pages
 * separated by form feeds, ASCII-ruled tables, UTF-8 or CP866.
 *
 * Two passes.  First every block becomes lines (a table becomes its
 * header's lines and each row's lines, kept apart so the header can be
 * repeated); then the lines are put on pages: a field, a row of tick boxes
 * or a signature is never split, a block marked PAPER_KEEP moves to the
 * next page with the block after it, a table row that does not fit starts
 * a new page under a repeated header.  The footer (page number and the
 * document's footer text) is the last line of each page when the document
 * has more than one page or a footer.
 *
 * Every character counts as one column: the documents are Ukrainian and
 * Latin text, and numbers.
 */
#include "config.h"

#include "paper/render.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paper/wrap.h"

#define W         PAPER_TEXT_WIDTH
#define BODY      (PAPER_TEXT_LINES - 2)     /* a blank and the footer */
#define SIGN_ROLE 12                          /* an inline role's columns */
#define SIGN_LINE 12                          /* the signature's line */

/* ---- lines ---- */

struct lines {
	char  **v;
	size_t  n, cap;
	int     failed;
};

static void
lines_free(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* Take ownership of s (NULL: out of memory). */
static void
lines_take(struct lines *l, char *s)
{
	if (s == NULL || l->failed) {
		free(s);
		l->failed = 1;
		return;
	}
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		char **v = realloc(l->v, cap * sizeof *v);
		if (v == NULL) {
			free(s);
			l->failed = 1;
			return;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = s;
}

static void
lines_add(struct lines *l, const char *s, size_t len)
{
	char *c = malloc(len + 1);

	if (c != NULL) {
		memcpy(c, s, len);
		c[len] = '\0';
	}
	lines_take(l, c);
}

/* ---- building one line ---- */

static size_t
cols(const char *s)
{
	return paper_utf8_count(s, strlen(s));
}

static double
measure_cols(void *ud, const char *s, size_t len)
{
	(void)ud;
	return (double)paper_utf8_count(s, len);
}

/* A growing line: text, then padding to a column. */
struct lbuf {
	char   s[W * 4 * 4 + 64];
	size_t len, col;
};

static void
lb_put(struct lbuf *b, const char *s, size_t len)
{
	if (b->len + len >= sizeof b->s)
		len = sizeof b->s - b->len - 1;
	memcpy(b->s + b->len, s, len);
	b->len += len;
	b->s[b->len] = '\0';
	b->col += paper_utf8_count(s, len);
}

static void
lb_str(struct lbuf *b, const char *s)
{
	lb_put(b, s, strlen(s));
}

static void
lb_rep(struct lbuf *b, char c, size_t n)
{
	while (n-- > 0)
		lb_put(b, &c, 1);
}

static void
lb_pad_to(struct lbuf *b, size_t col)
{
	if (b->col < col)
		lb_rep(b, ' ', col - b->col);
}

/* Drop trailing blanks (printers do not need them; goldens stay clean). */
static void
lb_done(struct lbuf *b, struct lines *l)
{
	while (b->len > 0 && b->s[b->len - 1] == ' ')
		b->len--;
	lines_add(l, b->s, b->len);
	b->len = b->col = 0;
	b->s[0] = '\0';
}

/* One wrapped line, aligned in `width` columns after `indent`. */
struct wrap_ctx {
	struct lines    *out;
	size_t           indent, width;
	enum paper_align align;
	size_t           first_indent;   /* for the first line only */
	int              nth;
};

static int
wrap_line(void *ud, const char *s, size_t len)
{
	struct wrap_ctx *w = ud;
	struct lbuf b = { .len = 0 };
	size_t n = paper_utf8_count(s, len), ind;

	ind = w->nth++ == 0 ? w->first_indent : w->indent;
	lb_rep(&b, ' ', ind);
	if (w->align == PAPER_CENTER && n < w->width)
		lb_rep(&b, ' ', (w->width - n) / 2);
	else if (w->align == PAPER_RIGHT && n < w->width)
		lb_rep(&b, ' ', w->width - n);
	lb_put(&b, s, len);
	lb_done(&b, w->out);
	return 0;
}

static void
wrap_into(struct lines *out, const char *s, size_t indent, size_t width,
    enum paper_align align)
{
	struct wrap_ctx w = { out, indent, width, align, indent, 0 };

	paper_wrap(s, (double)width, measure_cols, NULL, wrap_line, &w);
}

/* ---- blocks to lines ---- */

static void
render_text(const struct paper_block *b, struct lines *out)
{
	enum paper_align al = b->align == PAPER_JUSTIFY ? PAPER_LEFT : b->align;

	if (b->style & PAPER_LARGE)
		al = PAPER_CENTER;
	wrap_into(out, b->text, 0, W, al);
}

static void
render_field(const struct paper_block *b, struct lines *out)
{
	size_t lc = cols(b->text), vcol = lc ? lc + 1 : 0;
	struct lbuf lb = { .len = 0 };

	if (vcol > W / 2) {             /* a long label: the value below it */
		wrap_into(out, b->text, 0, W, PAPER_LEFT);
		vcol = 2;
	} else if (lc > 0) {
		lb_str(&lb, b->text);
		lb_str(&lb, " ");
	}
	if (b->value != NULL) {
		struct wrap_ctx w = { out, vcol, W - vcol, PAPER_LEFT, 0, 0 };
		if (lb.len > 0) {
			/* the label heads the value's first line */
			struct lines tmp = { 0 };
			w.out = &tmp;
			w.first_indent = 0;
			paper_wrap(b->value, (double)(W - vcol), measure_cols,
			    NULL, wrap_line, &w);
			for (size_t i = 0; i < tmp.n; i++) {
				if (i == 0) {
					lb_str(&lb, tmp.v[0]);
					lb_done(&lb, out);
				} else {
					lines_take(out, tmp.v[i]);
					tmp.v[i] = NULL;
				}
			}
			if (tmp.failed)
				out->failed = 1;
			lines_free(&tmp);
		} else {
			w.first_indent = vcol;
			paper_wrap(b->value, (double)(W - vcol), measure_cols,
			    NULL, wrap_line, &w);
		}
	} else {
		lb_pad_to(&lb, vcol);
		lb_rep(&lb, '_', W - lb.col);
		lb_done(&lb, out);
	}
	if (b->caption != NULL)
		wrap_into(out, b->caption, vcol, W - vcol, PAPER_CENTER);
}

static void
render_checks(const struct paper_block *b, struct lines *out)
{
	struct lbuf lb = { .len = 0 };

	for (size_t i = 0; i < b->nchecks; i++) {
		size_t need = 4 + cols(b->checks[i].label);
		if (lb.col > 0 && lb.col + 3 + need > W)
			lb_done(&lb, out);
		if (lb.col > 0)
			lb_str(&lb, "   ");
		lb_str(&lb, b->checks[i].on ? "[X] " : "[ ] ");
		lb_str(&lb, b->checks[i].label);
	}
	if (lb.col > 0)
		lb_done(&lb, out);
}

static void
render_sign(const struct paper_block *b, struct lines *out)
{
	static const char blank_date[] = "«___» ____________ 20__ р.";
	struct lbuf lb = { .len = 0 }, cap = { .len = 0 };
	size_t sig, name;

	if (cols(b->text) + 1 > SIGN_ROLE) {
		wrap_into(out, b->text, 0, W, PAPER_LEFT);
		lb_rep(&lb, ' ', SIGN_ROLE);
	} else {
		lb_str(&lb, b->text);
		lb_pad_to(&lb, SIGN_ROLE);
	}
	lb_str(&lb, b->date ? b->date : blank_date);
	lb_str(&lb, "  ");
	sig = lb.col;
	lb_rep(&lb, '_', SIGN_LINE);
	lb_str(&lb, "  ");
	name = lb.col;
	if (b->value == NULL) {
		lb_rep(&lb, '_', W > lb.col ? W - lb.col : 10);
		lb_done(&lb, out);
	} else if (cols(b->value) <= W - name) {
		lb_str(&lb, b->value);
		lb_done(&lb, out);
	} else {
		/* a long name goes under its place, wrapped there */
		lb_done(&lb, out);
		wrap_into(out, b->value, name, W - name, PAPER_LEFT);
	}
	lb_pad_to(&cap, sig + 2);
	lb_str(&cap, "(підпис)");
	if (b->value == NULL) {
		lb_pad_to(&cap, name + 2);
		lb_str(&cap, "(ім'я та прізвище)");
	}
	lb_done(&cap, out);
}

/* ---- tables ---- */

struct table_layout {
	size_t w[32];      /* column widths (text, without the rules) */
	size_t n;
	size_t pad;        /* blanks each side of a cell: 1, 0 when dense */
};

/* Tables of more than this many columns lose the blanks beside the rules
 * (80 columns are few), and their headings may break inside long words. */
#define TEXT_DENSE_COLS 6
#define TEXT_HEAD_WORD  7

static void
table_widths(const struct paper_block *b, struct table_layout *t)
{
	double weight[32], minw[32], out[32];
	int hard[32];
	size_t avail, used = 0;

	t->n = b->ncols < 32 ? b->ncols : 32;
	if (t->n == 0)
		return;
	t->pad = t->n > TEXT_DENSE_COLS ? 0 : 1;
	avail = W - (t->n + 1) - 2 * t->pad * t->n;   /* rules and blanks */
	for (size_t i = 0; i < t->n; i++) {
		weight[i] = b->cols[i].width;
		hard[i] = b->cols[i].whole;
		minw[i] = paper_longest_word(b->cols[i].title, measure_cols, NULL);
		if (t->pad == 0 && minw[i] > TEXT_HEAD_WORD)
			minw[i] = TEXT_HEAD_WORD;
		if (hard[i])
			minw[i] = 1;        /* its heading may break */
		for (size_t r = 0; r < b->nrows; r++) {
			double w = paper_longest_word(b->rows[r].cells[i],
			    measure_cols, NULL);
			if (w > minw[i])
				minw[i] = w;
		}
		if (minw[i] > (double)avail / 2)
			minw[i] = (double)avail / 2;
	}
	paper_col_widths(weight, minw, hard, t->n, (double)avail, out);
	for (size_t i = 0; i < t->n; i++) {
		t->w[i] = (size_t)out[i];
		if (t->w[i] < 2)
			t->w[i] = 2;
		used += t->w[i];
	}
	/* the columns rounded down: the rest to those short of their words */
	for (size_t i = 0; used < avail; i = (i + 1) % t->n) {
		if (t->w[i] < minw[i] || i == t->n - 1 ||
		    avail - used >= t->n) {
			t->w[i]++;
			used++;
		}
	}
}

static void
table_rule(const struct table_layout *t, struct lines *out)
{
	struct lbuf lb = { .len = 0 };

	for (size_t i = 0; i < t->n; i++) {
		lb_str(&lb, "+");
		lb_rep(&lb, '-', t->w[i] + 2 * t->pad);
	}
	lb_str(&lb, "+");
	lb_done(&lb, out);
}

/* The lines of one row: each cell wrapped in its column, side by side. */
static void
table_cells(const struct table_layout *t, const char *const *cells,
    const struct paper_col *cl, int header, struct lines *out)
{
	struct lines c[32];
	size_t h = 1;

	memset(c, 0, sizeof c);
	for (size_t i = 0; i < t->n; i++) {
		wrap_into(&c[i], cells[i], 0, t->w[i],
		    header ? PAPER_CENTER : cl[i].align == PAPER_JUSTIFY ?
		    PAPER_LEFT : cl[i].align);
		if (c[i].failed)
			out->failed = 1;
		if (c[i].n > h)
			h = c[i].n;
	}
	for (size_t k = 0; k < h; k++) {
		struct lbuf lb = { .len = 0 };
		for (size_t i = 0; i < t->n; i++) {
			size_t at = lb.col;
			lb_str(&lb, "|");
			lb_rep(&lb, ' ', t->pad);
			if (k < c[i].n)
				lb_str(&lb, c[i].v[k]);
			lb_pad_to(&lb, at + 1 + t->w[i] + 2 * t->pad);
		}
		lb_str(&lb, "|");
		lines_add(out, lb.s, lb.len);
	}
	for (size_t i = 0; i < t->n; i++)
		lines_free(&c[i]);
}

/* ---- pages ---- */

struct pager {
	struct lines all;      /* lines; NULL entries are page breaks */
	size_t       used;     /* lines on the current page */
	size_t       pages;
};

static void
pager_break(struct pager *p)
{
	lines_take(&p->all, strdup("\f"));
	p->used = 0;
	p->pages++;
}

static size_t
pager_room(const struct pager *p)
{
	return BODY - p->used;
}

static void
pager_put(struct pager *p, struct lines *l)
{
	for (size_t i = 0; i < l->n; i++) {
		if (p->used == BODY)
			pager_break(p);
		lines_take(&p->all, l->v[i]);
		l->v[i] = NULL;
		p->used++;
	}
	if (l->failed)
		p->all.failed = 1;
	l->n = 0;
}

struct tblock {
	struct lines  l;       /* the block's lines (not tables) */
	struct lines  head;    /* a table's header, ruled */
	struct lines *rows;    /* a table's rows, each ending in a rule */
	size_t        nrows;
};

static void
tblock_free(struct tblock *t)
{
	lines_free(&t->l);
	lines_free(&t->head);
	for (size_t i = 0; i < t->nrows; i++)
		lines_free(&t->rows[i]);
	free(t->rows);
}

static int
tblock_render(const struct paper_block *b, struct tblock *t)
{
	struct table_layout tl;
	const char *titles[32];

	switch (b->kind) {
	case PAPER_B_TEXT:
		render_text(b, &t->l);
		break;
	case PAPER_B_FIELD:
		render_field(b, &t->l);
		break;
	case PAPER_B_CHECKS:
		render_checks(b, &t->l);
		break;
	case PAPER_B_SIGN:
		render_sign(b, &t->l);
		break;
	case PAPER_B_SPACE:
		for (int i = 0; i < (b->n + 1) / 2; i++)
			lines_add(&t->l, "", 0);
		break;
	case PAPER_B_RULE: {
		char r[W + 1];
		memset(r, '-', W);
		lines_add(&t->l, r, W);
		break;
	}
	case PAPER_B_PAGE:
		break;
	case PAPER_B_TABLE:
		if (b->ncols == 0)
			break;
		table_widths(b, &tl);
		for (size_t i = 0; i < tl.n; i++)
			titles[i] = b->cols[i].title;
		table_rule(&tl, &t->head);
		table_cells(&tl, titles, b->cols, 1, &t->head);
		table_rule(&tl, &t->head);
		if (b->nrows > 0 &&
		    (t->rows = calloc(b->nrows, sizeof *t->rows)) == NULL)
			return -1;
		t->nrows = b->nrows;
		for (size_t r = 0; r < b->nrows; r++) {
			table_cells(&tl, b->rows[r].cells, b->cols, 0,
			    &t->rows[r]);
			table_rule(&tl, &t->rows[r]);
		}
		break;
	}
	return 0;
}

/* Lines the block needs on its first page (for PAPER_KEEP). */
static size_t
tblock_first(const struct tblock *t)
{
	return t->head.n > 0 ? t->head.n + (t->nrows ? t->rows[0].n : 0) : t->l.n;
}

static void
place_table(struct pager *p, struct tblock *t)
{
	struct lines copy = { 0 };

	if (t->head.n + (t->nrows ? t->rows[0].n : 0) > pager_room(p) &&
	    p->used > 0)
		pager_break(p);
	for (size_t i = 0; i < t->head.n; i++)
		lines_add(&copy, t->head.v[i], strlen(t->head.v[i]));
	pager_put(p, &copy);
	for (size_t r = 0; r < t->nrows; r++) {
		if (t->rows[r].n > pager_room(p) && t->rows[r].n <= BODY) {
			pager_break(p);
			for (size_t i = 0; i < t->head.n; i++)
				lines_add(&copy, t->head.v[i],
				    strlen(t->head.v[i]));
			pager_put(p, &copy);
		}
		pager_put(p, &t->rows[r]);
	}
	lines_free(&copy);
}

/* Lines that must fit with block i (see pdf.c need_h): all of a block
 * never split or kept, and what it is kept with past the gaps. */
static size_t
need_lines(const struct paper_doc *d, const struct tblock *t, size_t i)
{
	size_t need = t[i].head.n > 0 ? tblock_first(&t[i]) : t[i].l.n;

	for (size_t j = i + 1, end = paper_keep_end(d, i); j < end; j++) {
		const struct paper_block *n = &d->blocks[j];

		need += (n->style & PAPER_KEEP) && n->kind != PAPER_B_TABLE ?
		    t[j].l.n : tblock_first(&t[j]);
	}
	return need;
}

static void
place(struct pager *p, const struct paper_doc *d, struct tblock *t, size_t i)
{
	const struct paper_block *b = &d->blocks[i];
	size_t need = need_lines(d, t, i);

	switch (b->kind) {
	case PAPER_B_PAGE:
		if (p->used > 0)
			pager_break(p);
		return;
	case PAPER_B_SPACE:
		if (p->used > 0)           /* no gap at the top of a page */
			pager_put(p, &t[i].l);
		return;
	case PAPER_B_TABLE:
		if (need > pager_room(p) && need <= BODY && p->used > 0)
			pager_break(p);
		place_table(p, &t[i]);
		return;
	case PAPER_B_TEXT:
		if (!(b->style & PAPER_KEEP)) {
			pager_put(p, &t[i].l);
			return;
		}
		/* FALLTHROUGH */
	default:
		if (need > pager_room(p) && need <= BODY && p->used > 0)
			pager_break(p);
		pager_put(p, &t[i].l);
	}
}

/* ---- output ---- */

static int
emit(struct paper_bytes *out, const char *s, int cp866)
{
	return cp866 ? paper_cp866(s, strlen(s), out) :
	    paper_bytes_add(out, s, strlen(s));
}

static int
emit_footer(struct paper_bytes *out, const struct paper_doc *d, size_t page,
    size_t pages, int cp866, const char *eol)
{
	char num[64], line[W * 4 + 64];
	size_t fl = d->footer ? cols(d->footer) : 0, nl;

	snprintf(num, sizeof num, "Сторінка %zu з %zu", page, pages);
	nl = cols(num);
	if (d->footer != NULL && fl + 2 + nl <= W)
		snprintf(line, sizeof line, "%s%*s%s", d->footer,
		    (int)(W - fl - nl), "", num);
	else
		snprintf(line, sizeof line, "%*s%s", (int)(W - nl), "", num);
	return emit(out, eol, 0) || emit(out, line, cp866);
}

static int
emit_pages(const struct paper_doc *d, struct pager *p, int cp866,
    struct paper_bytes *out)
{
	const char *eol = cp866 ? "\r\n" : "\n";
	size_t pages = p->pages + 1, page = 1, used = 0;
	int numbered = pages > 1 || d->footer != NULL;

	for (size_t i = 0; i < p->all.n; i++) {
		const char *s = p->all.v[i];
		if (strcmp(s, "\f") == 0) {
			if (numbered) {
				for (; used < BODY; used++)
					if (emit(out, eol, 0))
						return -1;
				if (emit_footer(out, d, page, pages, cp866, eol) ||
				    emit(out, eol, 0))
					return -1;
			}
			if (emit(out, "\f", 0))
				return -1;
			page++;
			used = 0;
			continue;
		}
		if (emit(out, s, cp866) || emit(out, eol, 0))
			return -1;
		used++;
	}
	if (numbered) {
		for (; used < BODY; used++)
			if (emit(out, eol, 0))
				return -1;
		if (emit_footer(out, d, page, pages, cp866, eol) || emit(out, eol, 0))
			return -1;
	}
	return 0;
}

int
paper_render_text(const struct paper_doc *d, int cp866,
    struct paper_bytes *out, struct hr_error *err)
{
	struct tblock *t;
	struct pager p = { .pages = 0 };
	int rc = 0;

	if (d->failed)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory while "
		    "building the document");
	if ((t = calloc(d->nblocks ? d->nblocks : 1, sizeof *t)) == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	for (size_t i = 0; i < d->nblocks && rc == 0; i++)
		rc = tblock_render(&d->blocks[i], &t[i]);
	for (size_t i = 0; i < d->nblocks && rc == 0; i++)
		place(&p, d, t, i);
	for (size_t i = 0; i < d->nblocks; i++) {
		if (t[i].l.failed || t[i].head.failed)
			rc = -1;
		tblock_free(&t[i]);
	}
	free(t);
	if (rc == 0 && !p.all.failed && emit_pages(d, &p, cp866, out) == 0) {
		lines_free(&p.all);
		return 0;
	}
	lines_free(&p.all);
	return hr_error_set(err, HR_E_INTERNAL, "out of memory while laying "
	    "out the text");
}
