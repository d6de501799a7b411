/*
 * csv.c — the CSV dialect of hromadactl's import and export files.
 *
 * UTF-8, one record per line (no line breaks inside fields), fields split
 * on commas outside double quotes, "" for a quote inside a quoted field —
 * the dialect of db/reference.c and what spreadsheets write.
 */
#include "ctl/ctl.h"

#include <string.h>

int
ctl_csv_split(char *line, char **field, int max, int *n)
{
	char *r = line, *w = line;

	line[strcspn(line, "\r\n")] = '\0';
	*n = 0;
	for (;;) {
		int quoted = *r == '"';

		if (*n == max)
			return -1;
		field[(*n)++] = w;
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
			return -1;
		if (*r == '\0') {
			*w = '\0';
			return 0;
		}
		*w++ = '\0';
		r++;
	}
}

void
ctl_csv_put(FILE *f, const char *s, int last)
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
