/*
 * sheet.h — a table of typed cells saved as a spreadsheet a person opens:
 * CSV (RFC 4180, UTF-8 with a byte-order mark, proto/csv_write.h) or XLSX
 * (libxlsxwriter) from the same cells, so the two files of one report never
 * differ in a number.
 *
 * The cells keep their kind: text, a whole number, an amount in kopecks,
 * a month (YYYYMM), a moment (Unix seconds, local time).  In XLSX numbers
 * and amounts are number cells (amounts with two decimals), months and
 * moments date cells with a date format, header rows bold (the first one
 * frozen at the top), and every column as wide as its widest cell.  In CSV
 * they are written as hromadactl(8) describes: amounts 1234.56, months
 * 2026-11, moments 2026-11-20 14:05.  A note row (a sentence, the title)
 * is text in the first column that no column's width follows.
 *
 * The cells are collected in memory (a report is at most a few thousand
 * rows) and written whole by paper_sheet_render; the caller saves the bytes
 * (paper_file_save, or a file of its own).
 */
#ifndef HR_PAPER_SHEET_H
#define HR_PAPER_SHEET_H

#include <stddef.h>
#include <stdint.h>

#include "proto/error.h"

enum paper_sheet_format {
	PAPER_SHEET_CSV,
	PAPER_SHEET_XLSX,
};

struct paper_sheet;

/* A new empty sheet named `name` (the XLSX tab; at most 31 characters are
 * used).  NULL when out of memory. */
struct paper_sheet *paper_sheet_new(const char *name);
void paper_sheet_free(struct paper_sheet *s);

/* Cells, left to right, of the current row. */
void paper_sheet_str(struct paper_sheet *s, const char *text);
void paper_sheet_int(struct paper_sheet *s, int64_t v);
void paper_sheet_money(struct paper_sheet *s, int64_t kopecks);
void paper_sheet_month(struct paper_sheet *s, int yyyymm);
void paper_sheet_moment(struct paper_sheet *s, int64_t unix_seconds);
void paper_sheet_empty(struct paper_sheet *s);
/* End the current row. */
void paper_sheet_end(struct paper_sheet *s);
/* A whole header row (bold in XLSX) from a NULL-terminated list. */
void paper_sheet_header(struct paper_sheet *s, const char *const *titles);
/* A header cell of the current row (end the row with paper_sheet_end). */
void paper_sheet_head(struct paper_sheet *s, const char *title);
/* A whole row of one sentence that sets no column's width. */
void paper_sheet_note(struct paper_sheet *s, const char *text);

/* "csv" | "xlsx" -> the format; -1 for anything else. */
int paper_sheet_format_of(const char *name);
/* The file name extension of a format ("csv", "xlsx"). */
const char *paper_sheet_ext(enum paper_sheet_format f);

/*
 * Write the sheet in format `f` into a new buffer: *data (free() it) of
 * *len bytes.  `bom` puts the byte-order mark before CSV (XLSX has none).
 * 0, or -1 with err (out of memory, or XLSX's temporary file not written:
 * $TMPDIR full or not writable).
 */
int paper_sheet_render(const struct paper_sheet *s, enum paper_sheet_format f,
    int bom, char **data, size_t *len, struct hr_error *err);

#endif
