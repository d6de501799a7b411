/*
 * pdf.c — the PDF renderer (render.h), with libharu.
 *
 * Layout in two steps.  First each block becomes UNITS: groups of drawing
 * operations (text runs, lines, tick boxes) positioned relative to the
 * unit's top, with the unit's height.  A paragraph gives a unit per line
 * (it may flow onto the next page), a field, a row of tick boxes or a
 * signature one unit (never split), a table a header unit and a unit per
 * row.  Then the units are placed down the pages: a unit that does not fit
 * starts a new page, a table's header is drawn again above its rows there,
 * and a block marked PAPER_KEEP moves to the next page together with the
 * first unit of the block after it.  Page numbers ("Сторінка N з M") and
 * the document's footer are drawn last, when the page count is known.
 *
 * Text strings are never copied: a run points into the document's own
 * strings (wrap.h gives slices), so a 500-row register costs one array of
 * operations.  libharu reports errors through a handler that records the
 * first one; every page operation after it is skipped and the render
 * fails with that code.
 */
#include "config.h"

#include "paper/render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hpdf.h>

#include "paper/wrap.h"

#ifndef HR_FONT_DIR
#define HR_FONT_DIR "/usr/share/fonts/truetype/dejavu"
#endif
#define FONT_FILE "DejaVuSerif.ttf"

/* A4 and the margins of ДСТУ 4163 (FORMS.md §6), in points; the page of
 * the document being made is in struct pdf (portrait or landscape). */
#define MM        (72.0f / 25.4f)
#define A4_SHORT  (210.0f * MM)
#define A4_LONG   (297.0f * MM)
#define LEFT      (p->left)
#define RIGHT     (p->right)
#define TOP       (p->top)
#define BOTTOM    (p->bottom)
#define FOOT_Y    (10.0f * MM)

#define SZ_BODY   10.0f
#define SZ_CAPTION 7.0f        /* captions under lines, page footers */
#define SZ_SMALL  8.5f        /* small print: statements, notes */
#define SZ_LARGE  14.0f
#define SZ_TABLE  9.5f
#define SZ_TABLE_DENSE 8.5f   /* tables of more than five columns */
#define LEAD      1.2f        /* line height / font size */
#define PAD       2.0f        /* table cell padding */
#define BOX       8.0f        /* tick box side */
#define THIN      0.5f        /* rules, underlines, grid */
#define BOLD_W    0.035f      /* outline stroke of bold text, x size */

enum op_kind { OP_TEXT, OP_LINE, OP_BOX };

struct op {
	enum op_kind k;
	float        x, y;        /* text: baseline below the unit top */
	float        x2, y2;      /* line: the other end; box: checked */
	float        size;
	int          bold;
	const char  *s;           /* not NUL-terminated */
	size_t       len;
};

struct unit {
	size_t op0, nops;
	float  h;
};

struct blk {
	size_t u0, nu;            /* units of the block */
	size_t head;              /* table: the first `head` units are its header */
	int    whole;             /* its units go on one page */
};

struct pdf {
	float        page_w, page_h, left, right, top, bottom;
	HPDF_Doc     doc;
	HPDF_Font    font;
	HPDF_Page    page;
	HPDF_Page   *pages;
	size_t       npages, cappages;
	float        y;           /* top of the free space on the page */
	struct op   *ops;
	size_t       nops, capops;
	struct unit *units;
	size_t       nunits, capunits;
	int          oom;
	HPDF_STATUS  hpdf_err, hpdf_detail;
};

static void
pdf_on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data)
{
	struct pdf *p = user_data;

	if (p->hpdf_err == 0) {
		p->hpdf_err = error_no;
		p->hpdf_detail = detail_no;
	}
}

static int
pdf_ok(const struct pdf *p)
{
	return p->hpdf_err == 0 && !p->oom;
}

/* ---- measuring ---- */

struct measure {
	struct pdf *p;
	float       size;
};

static double
pdf_measure(void *ud, const char *s, size_t len)
{
	struct measure *m = ud;
	HPDF_TextWidth tw;

	if (len == 0)
		return 0;
	tw = HPDF_Font_TextWidth(m->p->font, (const HPDF_BYTE *)s,
	    (HPDF_UINT)len);
	return (double)tw.width * m->size / 1000.0;
}

static float
width_of(struct pdf *p, const char *s, size_t len, float size)
{
	struct measure m = { p, size };

	return (float)pdf_measure(&m, s, len);
}

/* ---- building units ---- */

static struct op *
op_add(struct pdf *p, enum op_kind k)
{
	if (p->nops == p->capops) {
		size_t cap = p->capops ? p->capops * 2 : 1024;
		struct op *n = realloc(p->ops, cap * sizeof *n);
		if (n == NULL) {
			p->oom = 1;
			return NULL;
		}
		p->ops = n;
		p->capops = cap;
	}
	memset(&p->ops[p->nops], 0, sizeof p->ops[0]);
	p->ops[p->nops].k = k;
	return &p->ops[p->nops++];
}

static void
op_text(struct pdf *p, float x, float y, const char *s, size_t len,
    float size, int bold)
{
	struct op *o = op_add(p, OP_TEXT);

	if (o == NULL)
		return;
	o->x = x;
	o->y = y;
	o->s = s;
	o->len = len;
	o->size = size;
	o->bold = bold;
}

static void
op_line(struct pdf *p, float x, float y, float x2, float y2)
{
	struct op *o = op_add(p, OP_LINE);

	if (o != NULL) {
		o->x = x;
		o->y = y;
		o->x2 = x2;
		o->y2 = y2;
	}
}

static void
op_box(struct pdf *p, float x, float y, int on)
{
	struct op *o = op_add(p, OP_BOX);

	if (o != NULL) {
		o->x = x;
		o->y = y;
		o->x2 = on ? 1.0f : 0.0f;
	}
}

/* Open a unit at the current end of the operations; close it with its
 * height. */
static size_t
unit_open(struct pdf *p)
{
	return p->nops;
}

static void
unit_close(struct pdf *p, size_t op0, float h)
{
	if (p->nunits == p->capunits) {
		size_t cap = p->capunits ? p->capunits * 2 : 256;
		struct unit *n = realloc(p->units, cap * sizeof *n);
		if (n == NULL) {
			p->oom = 1;
			return;
		}
		p->units = n;
		p->capunits = cap;
	}
	p->units[p->nunits++] = (struct unit){ op0, p->nops - op0, h };
}

/* ---- wrapped text into operations ---- */

struct flow {
	struct pdf      *p;
	float            x, width, size, y;   /* y: baseline of the next line */
	int              bold;
	enum paper_align align;
	int              unit_per_line;       /* paragraphs: flow across pages */
	const char      *para_end;            /* justify: the paragraph's end */
};

/* The next word of s[*i..len), spaces skipped: its start in *w0, its
 * length returned (0: no word left); *i moves past it. */
static size_t
next_word(const char *s, size_t len, size_t *i, size_t *w0)
{
	while (*i < len && s[*i] == ' ')
		(*i)++;
	*w0 = *i;
	while (*i < len && s[*i] != ' ')
		(*i)++;
	return *i - *w0;
}

/* Justified line: words spread over the width (not the last line). */
static void
flow_justify(struct flow *f, const char *s, size_t len)
{
	size_t words = 0, i = 0, w0, n;
	float used = 0, gap, x = f->x;

	while ((n = next_word(s, len, &i, &w0)) > 0) {
		words++;
		used += width_of(f->p, s + w0, n, f->size);
	}
	gap = words > 1 ? (f->width - used) / (float)(words - 1) : 0;
	for (i = 0; (n = next_word(s, len, &i, &w0)) > 0;) {
		op_text(f->p, x, f->y, s + w0, n, f->size, f->bold);
		x += width_of(f->p, s + w0, n, f->size) + gap;
	}
}

static int
flow_line(void *ud, const char *s, size_t len)
{
	struct flow *f = ud;
	float w = width_of(f->p, s, len, f->size), x = f->x;
	size_t op0 = unit_open(f->p);
	/* the last line of a paragraph: its end is the paragraph's or a '\n' */
	int last = s + len >= f->para_end || s[len] == '\n' ||
	    (s[len] == ' ' && strspn(s + len, " ") + s + len >= f->para_end);

	if (f->unit_per_line)
		f->y = f->size;           /* baseline within its own unit */
	if (f->align == PAPER_JUSTIFY && !last && w < f->width) {
		flow_justify(f, s, len);
	} else {
		if (f->align == PAPER_CENTER)
			x += (f->width - w) / 2;
		else if (f->align == PAPER_RIGHT)
			x += f->width - w;
		op_text(f->p, x, f->y, s, len, f->size, f->bold);
	}
	if (f->unit_per_line)
		unit_close(f->p, op0, f->size * LEAD);
	else
		f->y += f->size * LEAD;
	return 0;
}

/* Text wrapped into [x, x + width) from baseline y; returns the baseline
 * after the last line. */
static float
flow_text(struct pdf *p, const char *s, float x, float width, float y,
    float size, int bold, enum paper_align align)
{
	struct flow f = { p, x, width, size, y, bold, align, 0, s + strlen(s) };
	struct measure m = { p, size };

	paper_wrap(s, width, pdf_measure, &m, flow_line, &f);
	return f.y;
}

/* ---- blocks to units ---- */

static float
style_size(int style)
{
	return (style & PAPER_LARGE) ? SZ_LARGE :
	    (style & PAPER_SMALL) ? SZ_SMALL : SZ_BODY;
}

static void
build_text(struct pdf *p, const struct paper_block *b)
{
	float size = style_size(b->style);
	struct flow f = { p, LEFT, RIGHT - LEFT, size, 0,
	    (b->style & (PAPER_BOLD | PAPER_LARGE)) != 0,
	    (b->style & PAPER_LARGE) ? PAPER_CENTER : b->align, 1,
	    b->text + strlen(b->text) };
	struct measure m = { p, size };

	paper_wrap(b->text, RIGHT - LEFT, pdf_measure, &m, flow_line, &f);
}

/* Caption centred under [x0, x1) in small type, its top at `top`;
 * returns its bottom. */
static float
caption_under(struct pdf *p, const char *cap, float x0, float x1, float top)
{
	float after = flow_text(p, cap, x0, x1 - x0, top + SZ_CAPTION, SZ_CAPTION,
	    0, PAPER_CENTER);

	return after - SZ_CAPTION * LEAD + SZ_CAPTION * 0.3f;
}

static void
build_field(struct pdf *p, const struct paper_block *b)
{
	const float line_h = SZ_BODY * LEAD;
	size_t op0 = unit_open(p);
	float lw = width_of(p, b->text, strlen(b->text), SZ_BODY);
	float vx = b->text[0] ? LEFT + lw + 4 : LEFT, base = SZ_BODY, bottom;

	if (vx > LEFT + (RIGHT - LEFT) * 0.55f) {
		/* a long label: the value on the lines below it */
		base = flow_text(p, b->text, LEFT, RIGHT - LEFT, base, SZ_BODY,
		    0, PAPER_LEFT);
		vx = LEFT;
	} else if (b->text[0]) {
		op_text(p, LEFT, base, b->text, strlen(b->text), SZ_BODY, 0);
	}
	if (b->value != NULL) {
		float after = flow_text(p, b->value, vx + 2, RIGHT - vx - 2,
		    base, SZ_BODY, 1, PAPER_LEFT);
		for (float ly = base; ly < after - 0.1f; ly += line_h)
			op_line(p, vx, ly + 2.5f, RIGHT, ly + 2.5f);
		bottom = after - line_h + 3.0f;
	} else {
		/* a little more room: it is written in by hand */
		base += SZ_BODY * 0.4f;
		op_line(p, vx, base + 2.5f, RIGHT, base + 2.5f);
		bottom = base + 3.0f;
	}
	if (b->caption != NULL)
		bottom = caption_under(p, b->caption, vx, RIGHT, bottom);
	unit_close(p, op0, bottom + 3.5f);
}

static void
build_checks(struct pdf *p, const struct paper_block *b)
{
	size_t op0 = unit_open(p);
	float x = LEFT, y = SZ_BODY;

	for (size_t i = 0; i < b->nchecks; i++) {
		const char *l = b->checks[i].label;
		float w = BOX + 4 + width_of(p, l, strlen(l), SZ_BODY);
		if (x > LEFT && x + w > RIGHT) {
			x = LEFT;
			y += SZ_BODY * LEAD;
		}
		op_box(p, x, y, b->checks[i].on);
		op_text(p, x + BOX + 4, y, l, strlen(l), SZ_BODY,
		    b->checks[i].on);
		x += w + 16;
	}
	unit_close(p, op0, y + SZ_BODY * (LEAD - 1.0f) + 2.0f);
}

static const char blank_date[] = "«___» ____________ 20__ р.";
static const char cap_sign[] = "(підпис)";
static const char cap_name[] = "(ім'я та прізвище)";

static void
build_sign(struct pdf *p, const struct paper_block *b)
{
	const float role_w = 95, date_w = 140, sig_w = 90, gap = 8;
	size_t op0 = unit_open(p);
	float y = SZ_BODY + 4, x = LEFT, sx, nx;
	const char *date = b->date ? b->date : blank_date;

	if (width_of(p, b->text, strlen(b->text), SZ_BODY) > role_w - 4)
		y = flow_text(p, b->text, LEFT, RIGHT - LEFT, SZ_BODY, SZ_BODY,
		    1, PAPER_LEFT) + 6;
	else
		op_text(p, LEFT, y, b->text, strlen(b->text), SZ_BODY, 1);
	x += role_w;
	op_text(p, x, y, date, strlen(date), SZ_BODY, 0);
	x += date_w + gap;
	sx = x;
	op_line(p, sx, y + 2.5f, sx + sig_w, y + 2.5f);
	op_text(p, sx + (sig_w - width_of(p, cap_sign, strlen(cap_sign),
	    SZ_CAPTION)) / 2, y + 2.5f + SZ_CAPTION + 1, cap_sign,
	    strlen(cap_sign), SZ_CAPTION, 0);
	nx = sx + sig_w + gap;
	if (b->value != NULL) {
		op_text(p, nx, y, b->value, strlen(b->value), SZ_BODY, 0);
	} else {
		op_line(p, nx, y + 2.5f, RIGHT, y + 2.5f);
		op_text(p, nx + (RIGHT - nx - width_of(p, cap_name,
		    strlen(cap_name), SZ_CAPTION)) / 2, y + 2.5f + SZ_CAPTION + 1,
		    cap_name, strlen(cap_name), SZ_CAPTION, 0);
	}
	unit_close(p, op0, y + 2.5f + SZ_CAPTION * LEAD + 4);
}

/* ---- tables ---- */

#define TCOLS_MAX 32

struct tlayout {
	float  x[TCOLS_MAX + 1];   /* column edges */
	size_t n;
	float  size;
};

static void
table_layout(struct pdf *p, const struct paper_block *b, struct tlayout *t)
{
	double weight[TCOLS_MAX], minw[TCOLS_MAX], out[TCOLS_MAX];
	int hard[TCOLS_MAX];
	struct measure m = { p, 0 };
	float x = LEFT;

	t->n = b->ncols < TCOLS_MAX ? b->ncols : TCOLS_MAX;
	t->size = t->n > 5 ? SZ_TABLE_DENSE : SZ_TABLE;
	if (b->style & PAPER_SMALL)
		t->size = SZ_TABLE_DENSE;
	m.size = t->size;
	for (size_t i = 0; i < t->n; i++) {
		weight[i] = b->cols[i].width;
		hard[i] = b->cols[i].whole;
		minw[i] = hard[i] ? 0 :
		    paper_longest_word(b->cols[i].title, pdf_measure, &m);
		for (size_t r = 0; r < b->nrows; r++) {
			double w = paper_longest_word(b->rows[r].cells[i],
			    pdf_measure, &m);
			if (w > minw[i])
				minw[i] = w;
		}
		minw[i] += 2 * PAD + 1;
		if (minw[i] > (RIGHT - LEFT) / 3)
			minw[i] = (RIGHT - LEFT) / 3;
	}
	paper_col_widths(weight, minw, hard, t->n, RIGHT - LEFT, out);
	for (size_t i = 0; i < t->n; i++) {
		t->x[i] = x;
		x += (float)out[i];
	}
	t->x[t->n] = RIGHT;
}

/* One row of cells as a unit with its grid; `top` draws the line above. */
static void
table_row(struct pdf *p, const struct tlayout *t, const char *const *cells,
    const struct paper_col *cols, int header, int bold, int top)
{
	size_t op0 = unit_open(p);
	float h = 0;

	for (size_t i = 0; i < t->n; i++) {
		enum paper_align al = header ? PAPER_CENTER :
		    cols[i].align == PAPER_JUSTIFY ? PAPER_LEFT : cols[i].align;
		float bottom = flow_text(p, cells[i], t->x[i] + PAD,
		    t->x[i + 1] - t->x[i] - 2 * PAD, PAD + t->size, t->size,
		    header || bold, al);
		bottom = bottom - t->size * LEAD + t->size * 0.3f + PAD;
		if (bottom > h)
			h = bottom;
	}
	if (top)
		op_line(p, t->x[0], 0, t->x[t->n], 0);
	op_line(p, t->x[0], h, t->x[t->n], h);
	for (size_t i = 0; i <= t->n; i++)
		op_line(p, t->x[i], 0, t->x[i], h);
	unit_close(p, op0, h);
}

static void
build_table(struct pdf *p, const struct paper_block *b, struct blk *k)
{
	struct tlayout t;
	const char *titles[TCOLS_MAX];

	if (b->ncols == 0)
		return;
	table_layout(p, b, &t);
	for (size_t i = 0; i < t.n; i++)
		titles[i] = b->cols[i].title;
	unit_close(p, unit_open(p), 3.0f);          /* air above the grid */
	table_row(p, &t, titles, b->cols, 1, 1, 1);
	k->head = 2;
	for (size_t r = 0; r < b->nrows; r++)
		table_row(p, &t, b->rows[r].cells, b->cols, 0,
		    (b->rows[r].style & PAPER_BOLD) != 0, 0);
}

static void
build_block(struct pdf *p, const struct paper_block *b, struct blk *k)
{
	size_t op0;

	k->u0 = p->nunits;
	switch (b->kind) {
	case PAPER_B_TEXT:
		build_text(p, b);
		break;
	case PAPER_B_FIELD:
		build_field(p, b);
		k->whole = 1;
		break;
	case PAPER_B_CHECKS:
		build_checks(p, b);
		k->whole = 1;
		break;
	case PAPER_B_SIGN:
		build_sign(p, b);
		k->whole = 1;
		break;
	case PAPER_B_SPACE:
		op0 = unit_open(p);
		unit_close(p, op0, (float)b->n * SZ_BODY * LEAD / 2);
		break;
	case PAPER_B_RULE:
		op0 = unit_open(p);
		op_line(p, LEFT, 4, RIGHT, 4);
		unit_close(p, op0, 8);
		break;
	case PAPER_B_PAGE:
		break;
	case PAPER_B_TABLE:
		build_table(p, b, k);
		break;
	}
	k->nu = p->nunits - k->u0;
}

/* ---- pages ---- */

static void
page_new(struct pdf *p)
{
	if (!pdf_ok(p))
		return;
	if (p->npages == p->cappages) {
		size_t cap = p->cappages ? p->cappages * 2 : 8;
		HPDF_Page *n = realloc(p->pages, cap * sizeof *n);
		if (n == NULL) {
			p->oom = 1;
			return;
		}
		p->pages = n;
		p->cappages = cap;
	}
	p->page = HPDF_AddPage(p->doc);
	if (!pdf_ok(p))
		return;
	HPDF_Page_SetWidth(p->page, p->page_w);
	HPDF_Page_SetHeight(p->page, p->page_h);
	HPDF_Page_SetLineWidth(p->page, THIN);
	p->pages[p->npages++] = p->page;
	p->y = TOP;
}

/* Draw a run of text at (x, baseline y) in page coordinates. */
static void
draw_text(struct pdf *p, HPDF_Page pg, float x, float y, const char *s,
    size_t len, float size, int bold)
{
	char buf[1024];
	char *t = len < sizeof buf ? buf : malloc(len + 1);

	if (t == NULL) {
		p->oom = 1;
		return;
	}
	memcpy(t, s, len);
	t[len] = '\0';
	if (bold)
		HPDF_Page_SetLineWidth(pg, size * BOLD_W);
	HPDF_Page_BeginText(pg);
	HPDF_Page_SetFontAndSize(pg, p->font, size);
	HPDF_Page_SetTextRenderingMode(pg, bold ? HPDF_FILL_THEN_STROKE :
	    HPDF_FILL);
	HPDF_Page_TextOut(pg, x, y, t);
	HPDF_Page_EndText(pg);
	if (bold)
		HPDF_Page_SetLineWidth(pg, THIN);
	if (t != buf)
		free(t);
}

static void
draw_unit(struct pdf *p, const struct unit *u)
{
	HPDF_Page pg = p->page;

	for (size_t i = u->op0; i < u->op0 + u->nops && pdf_ok(p); i++) {
		const struct op *o = &p->ops[i];
		switch (o->k) {
		case OP_TEXT:
			draw_text(p, pg, o->x, p->y - o->y, o->s, o->len,
			    o->size, o->bold);
			break;
		case OP_LINE:
			HPDF_Page_MoveTo(pg, o->x, p->y - o->y);
			HPDF_Page_LineTo(pg, o->x2, p->y - o->y2);
			HPDF_Page_Stroke(pg);
			break;
		case OP_BOX: {
			float bx = o->x, by = p->y - o->y - 1.0f;
			HPDF_Page_Rectangle(pg, bx, by, BOX, BOX);
			HPDF_Page_Stroke(pg);
			if (o->x2 > 0) {
				HPDF_Page_MoveTo(pg, bx + 1.5f, by + 1.5f);
				HPDF_Page_LineTo(pg, bx + BOX - 1.5f, by + BOX - 1.5f);
				HPDF_Page_MoveTo(pg, bx + 1.5f, by + BOX - 1.5f);
				HPDF_Page_LineTo(pg, bx + BOX - 1.5f, by + 1.5f);
				HPDF_Page_Stroke(pg);
			}
			break;
		}
		}
	}
	p->y -= u->h;
}

static float
room(const struct pdf *p)
{
	return p->y - BOTTOM;
}

static int
page_empty(const struct pdf *p)
{
	return p->y >= TOP - 0.01f;
}

static float
units_h(const struct pdf *p, size_t u0, size_t n)
{
	float h = 0;

	for (size_t i = 0; i < n; i++)
		h += p->units[u0 + i].h;
	return h;
}

/* Height of a block's first unit (a table: its header and first row). */
static float
first_h(const struct pdf *p, const struct blk *k)
{
	size_t n = k->whole ? k->nu : k->head + (k->nu > k->head ? 1 : 0);

	if (n == 0 && k->nu > 0)
		n = 1;
	return units_h(p, k->u0, n);
}

/*
 * What must fit on this page with block i: all of it when it is never
 * split (a field, a signature, a kept paragraph), else its first unit; and
 * when it is kept with the next, the gaps after it and the first unit of
 * the block after them.
 */
static float
need_h(const struct pdf *p, const struct paper_doc *d, const struct blk *k,
    size_t i)
{
	const struct paper_block *b = &d->blocks[i];
	float need = k[i].whole || (b->style & PAPER_KEEP) ?
	    units_h(p, k[i].u0, k[i].nu) : first_h(p, &k[i]);

	for (size_t j = i + 1, end = paper_keep_end(d, i); j < end; j++) {
		const struct paper_block *n = &d->blocks[j];

		need += n->kind == PAPER_B_SPACE || k[j].whole ||
		    (n->style & PAPER_KEEP) ? units_h(p, k[j].u0, k[j].nu) :
		    first_h(p, &k[j]);
	}
	return need;
}

static void
place_block(struct pdf *p, const struct paper_doc *d, const struct blk *k,
    size_t i)
{
	const struct paper_block *b = &d->blocks[i];
	const struct blk *kb = &k[i];
	float need = need_h(p, d, k, i);

	if (b->kind == PAPER_B_PAGE) {
		if (!page_empty(p))
			page_new(p);
		return;
	}
	if (b->kind == PAPER_B_SPACE && page_empty(p))
		return;
	if (need > room(p) && !page_empty(p) && need <= TOP - BOTTOM)
		page_new(p);
	for (size_t u = kb->head; u < kb->nu && pdf_ok(p); u++) {
		const struct unit *un = &p->units[kb->u0 + u];
		if (u == kb->head)
			for (size_t h = 0; h < kb->head; h++)
				draw_unit(p, &p->units[kb->u0 + h]);
		if (un->h > room(p) && !page_empty(p)) {
			page_new(p);
			for (size_t h = 0; h < kb->head; h++)
				draw_unit(p, &p->units[kb->u0 + h]);
		}
		draw_unit(p, un);
	}
	if (kb->nu == kb->head)          /* a table without rows */
		for (size_t h = 0; h < kb->head; h++)
			draw_unit(p, &p->units[kb->u0 + h]);
}

static void
draw_footers(struct pdf *p, const struct paper_doc *d)
{
	char num[64];

	if (p->npages < 2 && d->footer == NULL)
		return;
	for (size_t i = 0; i < p->npages && pdf_ok(p); i++) {
		float w;
		snprintf(num, sizeof num, "Сторінка %zu з %zu", i + 1,
		    p->npages);
		w = width_of(p, num, strlen(num), SZ_CAPTION);
		draw_text(p, p->pages[i], RIGHT - w, FOOT_Y, num, strlen(num),
		    SZ_CAPTION, 0);
		if (d->footer != NULL)
			draw_text(p, p->pages[i], LEFT, FOOT_Y, d->footer,
			    strlen(d->footer), SZ_CAPTION, 0);
	}
}

/* ---- the document ---- */

static int
pdf_font(struct pdf *p, const struct paper_opts *opts, struct hr_error *err)
{
	const char *dir = opts && opts->font_dir ? opts->font_dir :
	    getenv("HROMADA_FONT_DIR");
	char path[4096];
	const char *name;

	if (dir == NULL || dir[0] == '\0')
		dir = HR_FONT_DIR;
	snprintf(path, sizeof path, "%s/%s", dir, FONT_FILE);
	if (access(path, R_OK) != 0)
		return hr_errorf(err, HR_E_IO, "paper.font_missing",
		    "the font {file} is missing: install fonts-dejavu-core "
		    "(a PDF needs an embedded Cyrillic font), or print as text",
		    HR_STR("file", path));
	name = HPDF_LoadTTFontFromFile(p->doc, path, HPDF_TRUE);
	if (name != NULL)
		p->font = HPDF_GetFont(p->doc, name, "UTF-8");
	if (!pdf_ok(p) || p->font == NULL)
		return hr_errorf(err, HR_E_IO, "paper.font_bad",
		    "the font {file} cannot be loaded (libharu error {code}): "
		    "reinstall fonts-dejavu-core, or print as text",
		    HR_STR("file", path), HR_INT("code", p->hpdf_err));
	return 0;
}

static int
pdf_save(struct pdf *p, struct paper_bytes *out)
{
	uint8_t buf[16384];

	if (HPDF_SaveToStream(p->doc) != HPDF_OK)
		return -1;
	for (;;) {
		HPDF_UINT32 n = sizeof buf;
		HPDF_STATUS st = HPDF_ReadFromStream(p->doc, buf, &n);
		if (n > 0 && paper_bytes_add(out, buf, n) != 0) {
			p->oom = 1;
			return -1;
		}
		if (st == HPDF_STREAM_EOF)
			return 0;
		if (st != HPDF_OK)
			return -1;
	}
}

static void
pdf_layout(struct pdf *p, const struct paper_doc *d)
{
	struct blk *k = calloc(d->nblocks ? d->nblocks : 1, sizeof *k);

	if (k == NULL) {
		p->oom = 1;
		return;
	}
	for (size_t i = 0; i < d->nblocks && pdf_ok(p); i++)
		build_block(p, &d->blocks[i], &k[i]);
	page_new(p);
	for (size_t i = 0; i < d->nblocks && pdf_ok(p); i++)
		place_block(p, d, k, i);
	draw_footers(p, d);
	free(k);
}

int
paper_render_pdf(const struct paper_doc *d, const struct paper_opts *opts,
    struct paper_bytes *out, struct hr_error *err)
{
	struct pdf p;
	int rc = 0;

	if (d->failed)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory while "
		    "building the document");
	memset(&p, 0, sizeof p);
	p.page_w = d->landscape ? A4_LONG : A4_SHORT;
	p.page_h = d->landscape ? A4_SHORT : A4_LONG;
	p.left = 30.0f * MM;
	p.right = p.page_w - 10.0f * MM;
	p.top = p.page_h - 20.0f * MM;
	p.bottom = 20.0f * MM;
	if ((p.doc = HPDF_New(pdf_on_error, &p)) == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "libharu: cannot "
		    "create a document");
	HPDF_SetCompressionMode(p.doc, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(p.doc);
	HPDF_SetCurrentEncoder(p.doc, "UTF-8");
	if (pdf_font(&p, opts, err) < 0) {
		rc = -1;
		goto done;
	}
	HPDF_SetInfoAttr(p.doc, HPDF_INFO_TITLE, d->title);
	HPDF_SetInfoAttr(p.doc, HPDF_INFO_CREATOR, "Hromada");
	pdf_layout(&p, d);
	if (!pdf_ok(&p) || pdf_save(&p, out) != 0)
		rc = hr_error_set(err, HR_E_INTERNAL, p.oom ? "out of memory "
		    "while making the PDF" : "libharu error 0x%04X (detail %u) "
		    "while making the PDF", (unsigned)p.hpdf_err,
		    (unsigned)p.hpdf_detail);
done:
	HPDF_Free(p.doc);
	free(p.pages);
	free(p.ops);
	free(p.units);
	return rc;
}
