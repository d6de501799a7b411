/*
 * csv.h — the CSV dialect of the files an administrator edits: the
 * reference data (db/reference.c) and hromadactl's imports and exports
 * (territory import, service list).
 *
 * UTF-8, one record per line (no line breaks inside fields), fields split
 * on commas outside double quotes, "" for a quote inside a quoted field —
 * what spreadsheets write.  Lines are read with a bound (DB_CSV_LINE_MAX),
 * and errors name the file and the line.
 */
#ifndef HR_DB_CSV_H
#define HR_DB_CSV_H

#include "proto/error.h"

#include <stdio.h>

#define DB_CSV_LINE_MAX   65536   /* bytes in one line, without its newline */
#define DB_CSV_MAX_FIELDS 8

/* One file being read.  Everything is owned by the reader. */
struct db_csv {
	FILE   *f;
	char   *path;                 /* for messages */
	char   *line;                 /* the current line, then its fields */
	size_t  cap;
	int     lineno;               /* of the current line, from 1 */
	int     max_fields;           /* at most DB_CSV_MAX_FIELDS */
	char   *field[DB_CSV_MAX_FIELDS];
	int     nfields;
};

/*
 * Open `path` for reading records of at most `max_fields` fields (up to
 * DB_CSV_MAX_FIELDS).  On failure the reader needs no db_csv_close.
 */
int  db_csv_open(struct db_csv *c, const char *path, int max_fields,
    struct hr_error *err);
void db_csv_close(struct db_csv *c);

/*
 * Read the next line into c->line, its newline and any trailing '\r'
 * removed.  1, 0 at the end of the file, -1 on a read error or a line
 * longer than DB_CSV_LINE_MAX.
 */
int  db_csv_read(struct db_csv *c, struct hr_error *err);

/*
 * Split c->line in place into c->field[0 .. c->nfields - 1], quotes
 * removed and "" unescaped.  -1 ("FILE:LINE: too many fields" or
 * "FILE:LINE: unterminated quote") when the line is not a record.
 */
int  db_csv_split(struct db_csv *c, struct hr_error *err);

/* Write one field, quoted when needed, then ',' or (last) a newline. */
void db_csv_put(FILE *f, const char *s, int last);

#endif
