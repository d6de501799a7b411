/*
 * csv.c — the one CSV reader and writer (see csv.h for the dialect).
 *
 * The reader keeps one growing line buffer, bounded by DB_CSV_LINE_MAX, so
 * a file without newlines cannot make it allocate without limit.  Fields
 * are split in place: a field is never longer than its source text, so
 * unquoting writes behind the reading position.
 */
#include "db/csv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int
db_csv_open(struct db_csv *c, const char *path, int max_fields,
    struct hr_error *err)
{
	memset(c, 0, sizeof *c);
	if (max_fields < 1 || max_fields > DB_CSV_MAX_FIELDS)
		return hr_error_set(err, HR_E_INTERNAL, "%s: %d fields asked "
		    "for, at most %d", path, max_fields, DB_CSV_MAX_FIELDS);
	c->max_fields = max_fields;
	if ((c->path = strdup(path)) == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	if ((c->f = fopen(path, "r")) == NULL) {
		int e = errno;

		db_csv_close(c);
		return hr_errorf(err, HR_E_IO, "io.open", "cannot open {file}: "
		    "{reason}", HR_STR("file", path), HR_STR("reason",
		    strerror(e)));
	}
	return 0;
}

void
db_csv_close(struct db_csv *c)
{
	if (c->f != NULL)
		fclose(c->f);
	free(c->line);
	free(c->path);
	memset(c, 0, sizeof *c);
}

/* c->line holds at least `need` bytes (need <= DB_CSV_LINE_MAX + 1). */
static int
csv_reserve(struct db_csv *c, size_t need, struct hr_error *err)
{
	size_t ncap = c->cap ? c->cap : 256;
	char *nl;

	if (need <= c->cap)
		return 0;
	while (ncap < need)
		ncap *= 2;
	if (ncap > DB_CSV_LINE_MAX + 1)
		ncap = DB_CSV_LINE_MAX + 1;
	if ((nl = realloc(c->line, ncap)) == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	c->line = nl;
	c->cap = ncap;
	return 0;
}

int
db_csv_read(struct db_csv *c, struct hr_error *err)
{
	size_t n = 0;
	int ch;

	c->nfields = 0;
	c->lineno++;
	while ((ch = getc(c->f)) != EOF && ch != '\n') {
		if (n == DB_CSV_LINE_MAX)
			return (hr_errorf(err, HR_E_INVALID, "csv.line_long",
			    "line longer than {max} bytes", HR_INT("max",
			    DB_CSV_LINE_MAX)), hr_error_prefix(err,
			    "{file}:{line}", HR_STR("file", c->path),
			    HR_INT("line", c->lineno)));
		if (csv_reserve(c, n + 2, err) < 0)
			return -1;
		c->line[n++] = (char)ch;
	}
	if (ferror(c->f))
		return hr_errorf(err, HR_E_IO, "file.error", "{file}: {reason}",
		    HR_STR("file", c->path), HR_STR("reason", strerror(errno)));
	if (ch == EOF && n == 0) {
		c->lineno--;
		return 0;
	}
	if (csv_reserve(c, n + 1, err) < 0)
		return -1;
	while (n > 0 && c->line[n - 1] == '\r')
		n--;
	c->line[n] = '\0';
	return 1;
}

int
db_csv_split(struct db_csv *c, struct hr_error *err)
{
	char *r = c->line, *w = c->line;

	c->nfields = 0;
	for (;;) {
		int quoted = *r == '"';

		if (c->nfields == c->max_fields)
			return (hr_errorf(err, HR_E_INVALID, "csv.fields",
			    "too many fields"), hr_error_prefix(err,
			    "{file}:{line}", HR_STR("file", c->path),
			    HR_INT("line", c->lineno)));
		c->field[c->nfields++] = w;
		r += quoted;
		while (*r != '\0' && (quoted || *r != ',')) {
			if (quoted && *r == '"') {
				if (r[1] != '"') {
					quoted = 0;
					r++;
					continue;
				}
				r++;
			}
			*w++ = *r++;
		}
		if (quoted)
			return (hr_errorf(err, HR_E_INVALID, "csv.quote",
			    "unterminated quote"), hr_error_prefix(err,
			    "{file}:{line}", HR_STR("file", c->path),
			    HR_INT("line", c->lineno)));
		if (*r == '\0') {
			*w = '\0';
			return 0;
		}
		*w++ = '\0';
		r++;
	}
}

void
db_csv_put(FILE *f, const char *s, int last)
{
	if (s == NULL)
		s = "";
	if (strpbrk(s, ",\"") == NULL && s[0] != ' ' &&
	    (s[0] == '\0' || s[strlen(s) - 1] != ' ')) {
		fputs(s, f);
	} else {
		fputc('"', f);
		for (; *s != '\0'; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s, f);
		}
		fputc('"', f);
	}
	fputc(last ? '\n' : ',', f);
}
