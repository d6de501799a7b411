/*
 * doc.c — building the document model (doc.h).
 *
 * Every string and array a document holds is registered in its `owned`
 * list and freed with it.  A failed allocation sets `failed` and the
 * builder call does nothing more, so form builders read top to bottom
 * without an error check per line; the renderers refuse a failed document.
 */
#include "config.h"

#include "paper/doc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Register p as owned by d; on failure free it and mark d. */
static void *
doc_own(struct paper_doc *d, void *p)
{
	if (p == NULL) {
		d->failed = 1;
		return NULL;
	}
	if (d->nowned == d->capowned) {
		size_t cap = d->capowned ? d->capowned * 2 : 64;
		void **n = realloc(d->owned, cap * sizeof *n);
		if (n == NULL) {
			free(p);
			d->failed = 1;
			return NULL;
		}
		d->owned = n;
		d->capowned = cap;
	}
	d->owned[d->nowned++] = p;
	return p;
}

/*
 * Control characters, C0 and C1 (a terminal escape in a name, a form feed
 * in a note), become blanks: the text file is printed and shown as it is.  A newline
 * is kept where `keep_nl` (paragraphs break lines on it).
 */
static char *
doc_clean(char *s, int keep_nl)
{
	if (s == NULL)
		return NULL;
	for (unsigned char *p = (unsigned char *)s; *p; p++) {
		if ((*p < 0x20 && !(keep_nl && *p == '\n')) || *p == 0x7f)
			*p = ' ';
		else if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			p[0] = p[1] = ' ';        /* C1 controls: U+0080..U+009F */
	}
	return s;
}

static const char *
doc_str(struct paper_doc *d, const char *s)
{
	if (s == NULL)
		return NULL;
	return doc_own(d, doc_clean(strdup(s), 0));
}

static struct paper_block *
doc_add(struct paper_doc *d, enum paper_block_kind kind)
{
	struct paper_block *b;

	if (d->failed)
		return NULL;
	if (d->nblocks == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 32;
		struct paper_block *n = realloc(d->blocks, cap * sizeof *n);
		if (n == NULL) {
			d->failed = 1;
			return NULL;
		}
		d->blocks = n;
		d->cap = cap;
	}
	b = &d->blocks[d->nblocks++];
	memset(b, 0, sizeof *b);
	b->kind = kind;
	return b;
}

struct paper_doc *
paper_doc_new(const char *title)
{
	struct paper_doc *d = calloc(1, sizeof *d);

	if (d == NULL)
		return NULL;
	d->title = strdup(title ? title : "");
	if (d->title == NULL) {
		free(d);
		return NULL;
	}
	return d;
}

void
paper_doc_free(struct paper_doc *d)
{
	if (d == NULL)
		return;
	for (size_t i = 0; i < d->nowned; i++)
		free(d->owned[i]);
	for (size_t i = 0; i < d->nblocks; i++)
		free(d->blocks[i].rows);
	free(d->owned);
	free(d->blocks);
	free(d->title);
	free(d->footer);
	free(d);
}

void
paper_text(struct paper_doc *d, int style, enum paper_align align,
    const char *fmt, ...)
{
	struct paper_block *b = doc_add(d, PAPER_B_TEXT);
	va_list ap;
	char *s = NULL;

	if (b == NULL)
		return;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	b->style = style;
	b->align = align;
	b->text = doc_own(d, doc_clean(s, 1));
}

void
paper_field(struct paper_doc *d, const char *label, const char *value,
    const char *caption)
{
	struct paper_block *b = doc_add(d, PAPER_B_FIELD);

	if (b == NULL)
		return;
	b->text = doc_str(d, label ? label : "");
	b->value = value != NULL && value[0] != '\0' ? doc_str(d, value) : NULL;
	b->caption = doc_str(d, caption);
}

void
paper_checks(struct paper_doc *d, const struct paper_check *c, size_t n)
{
	struct paper_block *b = doc_add(d, PAPER_B_CHECKS);

	if (b == NULL)
		return;
	b->checks = doc_own(d, calloc(n ? n : 1, sizeof *b->checks));
	if (b->checks == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		b->checks[i].label = doc_str(d, c[i].label);
		b->checks[i].on = c[i].on;
	}
	b->nchecks = n;
}

int
paper_table(struct paper_doc *d, const struct paper_col *cols, size_t ncols)
{
	struct paper_block *b = doc_add(d, PAPER_B_TABLE);

	if (b == NULL)
		return -1;
	b->cols = doc_own(d, calloc(ncols ? ncols : 1, sizeof *b->cols));
	if (b->cols == NULL)
		return -1;
	for (size_t i = 0; i < ncols; i++) {
		b->cols[i] = cols[i];
		b->cols[i].title = doc_str(d, cols[i].title ? cols[i].title : "");
		if (b->cols[i].width < 1)
			b->cols[i].width = 1;
	}
	b->ncols = ncols;
	/* An index, not a pointer: the block array may move later. */
	return (int)(b - d->blocks);
}

void
paper_row(struct paper_doc *d, int table, int style, const char *const *cells)
{
	struct paper_block *t;
	struct paper_row *r;
	const char **c;

	if (d->failed || table < 0 || (size_t)table >= d->nblocks ||
	    d->blocks[table].kind != PAPER_B_TABLE)
		return;
	t = &d->blocks[table];
	if (t->nrows == t->caprows) {
		size_t cap = t->caprows ? t->caprows * 2 : 16;
		struct paper_row *n = realloc(t->rows, cap * sizeof *n);
		if (n == NULL) {
			d->failed = 1;
			return;
		}
		t->rows = n;
		t->caprows = cap;
	}
	c = doc_own(d, calloc(t->ncols ? t->ncols : 1, sizeof *c));
	if (c == NULL)
		return;
	for (size_t i = 0; i < t->ncols; i++)
		c[i] = doc_str(d, cells[i] ? cells[i] : "");
	r = &t->rows[t->nrows++];
	r->cells = c;
	r->style = style;
}

void
paper_sign(struct paper_doc *d, const char *role, const char *name,
    const char *date)
{
	struct paper_block *b = doc_add(d, PAPER_B_SIGN);

	if (b == NULL)
		return;
	b->text = doc_str(d, role ? role : "");
	b->value = name != NULL && name[0] != '\0' ? doc_str(d, name) : NULL;
	b->date = date != NULL && date[0] != '\0' ? doc_str(d, date) : NULL;
}

void
paper_space(struct paper_doc *d, int half_lines)
{
	struct paper_block *b = doc_add(d, PAPER_B_SPACE);

	if (b != NULL)
		b->n = half_lines > 0 ? half_lines : 1;
}

void
paper_rule(struct paper_doc *d)
{
	doc_add(d, PAPER_B_RULE);
}

void
paper_page(struct paper_doc *d)
{
	doc_add(d, PAPER_B_PAGE);
}

void
paper_footer(struct paper_doc *d, const char *text)
{
	free(d->footer);
	d->footer = NULL;
	if (text != NULL && (d->footer = strdup(text)) == NULL)
		d->failed = 1;
}

void
paper_keep(struct paper_doc *d)
{
	if (!d->failed && d->nblocks > 0)
		d->blocks[d->nblocks - 1].style |= PAPER_KEEP;
}

size_t
paper_keep_end(const struct paper_doc *d, size_t i)
{
	size_t j = i + 1;

	if (!(d->blocks[i].style & PAPER_KEEP))
		return j;
	for (; j < d->nblocks; j++) {
		const struct paper_block *n = &d->blocks[j];

		if (n->kind == PAPER_B_PAGE)
			break;
		if (n->kind != PAPER_B_SPACE && !(n->style & PAPER_KEEP))
			return j + 1;         /* the chain ends with it */
	}
	return j;
}

/* ---- bytes ---- */

void
paper_bytes_free(struct paper_bytes *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

int
paper_bytes_add(struct paper_bytes *b, const void *p, size_t n)
{
	if (n == 0)
		return 0;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		uint8_t *d;
		while (cap < b->len + n)
			cap *= 2;
		if ((d = realloc(b->data, cap)) == NULL)
			return -1;
		b->data = d;
		b->cap = cap;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
	return 0;
}
