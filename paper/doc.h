/*
 * doc.h — a printed document as data: the plain model that the PDF and the
 * plain-text renderers both lay out.
 *
 * WHY A LIBRARY OF ITS OWN (paper/, libhrpaper.a): the same documents are
 * printed on both sides of the wire — the terminal client prints from what
 * the server sends (tui/), hromadactl prints from the database (ctl/).  The
 * client may not include db/ or srvd/, and the server side may not include
 * tui/, so the renderer sits beside proto/ and depends on nothing else of
 * ours: paper/ <- tui/, paper/ <- ctl/.  It is fed plain C data (this model,
 * and the application/register data of paper/data.h), never msgpack objects
 * or SQLite rows, so either side can fill it.
 *
 * A document is a list of blocks in reading order: paragraphs, labelled
 * fields with a line to write on when empty, rows of tick boxes, tables,
 * signature lines, gaps and page breaks.  The model says WHAT is printed and
 * how it is emphasised; WHERE it lands (page size, fonts, wrapping, page
 * breaks, repeated table headers, page numbers) is each renderer's job.
 *
 * Builders never fail one by one: an allocation failure marks the document,
 * and the renderers then refuse it with HR_E_INTERNAL.  All text is UTF-8,
 * copied into the document (the caller's strings may go away).
 */
#ifndef HR_PAPER_DOC_H
#define HR_PAPER_DOC_H

#include <stddef.h>
#include <stdint.h>

/* Emphasis of a paragraph or a table row (bits). */
enum {
	PAPER_BOLD  = 1,     /* headings, totals, the chosen option */
	PAPER_SMALL = 2,     /* captions under blanks, notes */
	PAPER_LARGE = 4,     /* the document's title */
	PAPER_KEEP  = 8,     /* keep this block on the page of the next one */
};

enum paper_align { PAPER_LEFT, PAPER_CENTER, PAPER_RIGHT, PAPER_JUSTIFY };

enum paper_block_kind {
	PAPER_B_TEXT,        /* a paragraph, wrapped */
	PAPER_B_FIELD,       /* "label value", the value on a line to write on */
	PAPER_B_CHECKS,      /* a row of tick boxes: [X] chosen  [ ] other */
	PAPER_B_TABLE,       /* a ruled table; its header repeats on each page */
	PAPER_B_SIGN,        /* role, a signature line, name, date */
	PAPER_B_SPACE,       /* a vertical gap of `n` half lines */
	PAPER_B_RULE,        /* a thin horizontal line across the text */
	PAPER_B_PAGE,        /* start a new page */
};

struct paper_check {
	const char *label;
	int         on;
};

struct paper_col {
	const char      *title;
	int              width;    /* relative weight, >= 1 */
	enum paper_align align;
	int              whole;    /* numbers, dates: the cells' words are
	                              never broken (headings may be) */
};

struct paper_row {
	const char **cells;       /* ncols strings, never NULL ("" for empty) */
	int          style;       /* PAPER_BOLD for a total row */
};

struct paper_block {
	enum paper_block_kind kind;
	int              style;
	enum paper_align align;
	const char      *text;       /* TEXT; FIELD's label; SIGN's role */
	const char      *value;      /* FIELD (NULL/"" = blank); SIGN's name */
	const char      *caption;    /* FIELD, SIGN: small text under the line */
	const char      *date;       /* SIGN: NULL = a blank date to fill in */
	int              n;          /* SPACE: half lines */
	/* CHECKS */
	struct paper_check *checks;
	size_t           nchecks;
	/* TABLE */
	struct paper_col *cols;
	size_t           ncols;
	struct paper_row *rows;
	size_t           nrows, caprows;
};

struct paper_doc {
	char               *title;       /* the PDF's Title, the file's subject */
	char               *footer;      /* on every page with its number; NULL */
	int                 landscape;   /* PDF pages A4 landscape (wide tables) */
	struct paper_block *blocks;
	size_t              nblocks, cap;
	int                 failed;      /* out of memory while building */
	/* every string and array of the document, freed together */
	void              **owned;
	size_t              nowned, capowned;
};

/* A new empty document with a title (NULL when out of memory). */
struct paper_doc *paper_doc_new(const char *title);
void              paper_doc_free(struct paper_doc *d);

/* A paragraph, printf-style. */
void paper_text(struct paper_doc *d, int style, enum paper_align align,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * "label  value" with the value on a line; an empty or NULL value leaves
 * the line blank to be filled in by hand (forms stay usable on paper).
 * `caption` (may be NULL) is printed small under the line.
 */
void paper_field(struct paper_doc *d, const char *label, const char *value,
    const char *caption);

/* A row of tick boxes; the labels are copied. */
void paper_checks(struct paper_doc *d, const struct paper_check *c, size_t n);

/* A table with these columns (copied); returns its handle for paper_row
 * (-1 when the document failed). */
int  paper_table(struct paper_doc *d, const struct paper_col *cols,
    size_t ncols);
/* One row of table `t`: ncols cells (NULL cells print empty). */
void paper_row(struct paper_doc *d, int t, int style,
    const char *const *cells);

/*
 * A signature line: `role` ("Заявник"), a line for the signature, the
 * name written out (NULL: a blank to fill in) and the date (NULL: a blank
 * date «___» ____________ 20__ р.).
 */
void paper_sign(struct paper_doc *d, const char *role, const char *name,
    const char *date);

void paper_space(struct paper_doc *d, int half_lines);
void paper_rule(struct paper_doc *d);
void paper_page(struct paper_doc *d);

/* Text printed at the foot of every page beside "сторінка N з M" (a
 * register's number and date); numbers are printed only when the document
 * has more than one page or a footer. */
void paper_footer(struct paper_doc *d, const char *text);

/* Mark the last block added to be kept on one page with the next one. */
void paper_keep(struct paper_doc *d);

/*
 * For the renderers: the blocks after block i that must land on its page
 * (i kept with the next, PAPER_KEEP) are i + 1 .. the return value - 1 —
 * the gaps after it and the blocks up to the first one, not a gap, that is
 * not kept with the next itself; never past a page break.  i + 1 when i
 * is not kept.
 */
size_t paper_keep_end(const struct paper_doc *d, size_t i);

/* ---- output: bytes a renderer produced ---- */

struct paper_bytes {
	uint8_t *data;       /* malloc'd; paper_bytes_free */
	size_t   len, cap;
};
void paper_bytes_free(struct paper_bytes *b);
int  paper_bytes_add(struct paper_bytes *b, const void *p, size_t n);

#endif
