/*
 * csv_write.h — writing CSV the way spreadsheets read it (RFC 4180):
 * fields split by commas, a field with a comma, a quote or a line break in
 * double quotes with its quotes doubled, records ended by CRLF, and a
 * UTF-8 byte-order mark first so that Excel reads Cyrillic right.  Used by
 * `hromadactl report` and the client's «Звітність» export, so both write
 * the same dialect.
 */
#ifndef HR_CSV_WRITE_H
#define HR_CSV_WRITE_H

#include <stdint.h>
#include <stdio.h>

struct hr_csv {
	FILE *f;
	int   col;      /* fields written in the current record */
	int   bom;      /* the byte-order mark still to write */
};

/* Start writing to f; with `bom` the mark goes before the first field. */
void hr_csv_init(struct hr_csv *c, FILE *f, int bom);
void hr_csv_str(struct hr_csv *c, const char *s);
void hr_csv_int(struct hr_csv *c, int64_t v);
/* kopecks as hryvnias with a point: 123456 -> "1234.56" */
void hr_csv_money(struct hr_csv *c, int64_t kopecks);
/* YYYYMM as "YYYY-MM" */
void hr_csv_month(struct hr_csv *c, int month);
/* End the record (CRLF). */
void hr_csv_end(struct hr_csv *c);
/* A whole record from a NULL-terminated list. */
void hr_csv_row(struct hr_csv *c, const char *const *fields);

#endif
