/*
 * xlsx2csv.c — the tests' own reader of the XLSX files Hromada writes
 * (paper/sheet.c), to compare them with the CSV of the same report.
 *
 *   xlsx2csv FILE.xlsx            the first sheet as CSV (CRLF, no BOM)
 *   xlsx2csv --types FILE.xlsx    one line a row: each cell's kind,
 *                                 s text, n number, d date, - empty
 *
 * Independent of the writer on purpose: `unzip -p` takes the package
 * apart, and a small scanner reads sheet1.xml, sharedStrings.xml and
 * styles.xml (only what libxlsxwriter writes: <c r= t= s=><v>, <si><t>,
 * numFmt/xf).  Numbers print as the cell's format shows them: "0.00" with
 * two decimals, date formats (yyyy-mm, yyyy-mm-dd hh:mm) as dates from
 * the serial day count, others as integers when whole.  Trailing empty
 * cells of a row are not in the file, so they are not printed; rows the
 * file skips (empty rows) are printed empty.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *
unzip_member(const char *file, const char *member)
{
	char   cmd[4096], *buf = NULL;
	size_t len = 0, cap = 0, n;
	FILE  *p;

	if (strchr(file, '\'') != NULL)
		return NULL;
	snprintf(cmd, sizeof cmd, "unzip -p '%s' %s", file, member);
	if ((p = popen(cmd, "r")) == NULL)
		return NULL;
	for (;;) {
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 65536;
			if ((buf = realloc(buf, cap)) == NULL)
				exit(3);
		}
		if ((n = fread(buf + len, 1, 4096, p)) == 0)
			break;
		len += n;
	}
	if (pclose(p) != 0 || buf == NULL) {
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

/* The value of attribute `name` in the tag starting at `tag`, into out. */
static int
attr(const char *tag, const char *name, char *out, size_t cap)
{
	const char *end = strchr(tag, '>'), *p = tag;
	size_t      nl = strlen(name), i = 0;

	while ((p = strstr(p, name)) != NULL && p < end) {
		if (p[-1] == ' ' && p[nl] == '=' && p[nl + 1] == '"') {
			p += nl + 2;
			while (*p && *p != '"' && i + 1 < cap)
				out[i++] = *p++;
			out[i] = '\0';
			return 1;
		}
		p += nl;
	}
	return 0;
}

/* XML text (entities, _xHHHH_) between p and end, decoded, allocated. */
static char *
text_of(const char *p, const char *end)
{
	char  *out = malloc((size_t)(end - p) + 1), *o = out;

	if (out == NULL)
		exit(3);
	while (p < end) {
		static const struct { const char *e; char c; } ents[] = {
			{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
			{ "&quot;", '"' }, { "&apos;", '\'' },
		};
		size_t k;

		for (k = 0; k < 5; k++)
			if (strncmp(p, ents[k].e, strlen(ents[k].e)) == 0)
				break;
		if (k < 5) {
			*o++ = ents[k].c;
			p += strlen(ents[k].e);
		} else if (p[0] == '_' && p[1] == 'x' && end - p >= 7 &&
		    p[6] == '_') {
			*o++ = (char)strtol(p + 2, NULL, 16);
			p += 7;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	return out;
}

static char **strings;
static size_t nstrings;
static char  *formats[256];    /* by xf index: its format code */
static size_t nxf;

static void
read_strings(const char *xml)
{
	const char *p = xml;

	while (xml && (p = strstr(p, "<si>")) != NULL) {
		const char *end = strstr(p, "</si>"), *t = strstr(p, "<t");
		const char *b, *e;

		if (end == NULL)
			break;
		strings = realloc(strings, (nstrings + 1) * sizeof *strings);
		if (strings == NULL)
			exit(3);
		if (t != NULL && t < end && (b = strchr(t, '>')) != NULL &&
		    (e = strstr(b, "</t>")) != NULL && e <= end)
			strings[nstrings++] = text_of(b + 1, e);
		else
			strings[nstrings++] = text_of(p, p);
		p = end;
	}
}

static void
read_styles(const char *xml)
{
	char        codes[512][64];
	const char *p, *xfs;

	memset(codes, 0, sizeof codes);
	snprintf(codes[2], sizeof codes[2], "0.00");
	snprintf(codes[14], sizeof codes[14], "yyyy-mm-dd");
	for (p = xml; p && (p = strstr(p, "<numFmt ")) != NULL; p++) {
		char id[16], code[64];

		if (attr(p, "numFmtId", id, sizeof id) &&
		    attr(p, "formatCode", code, sizeof code) && atoi(id) < 512)
			snprintf(codes[atoi(id)], sizeof codes[0], "%s", code);
	}
	if (xml == NULL || (xfs = strstr(xml, "<cellXfs")) == NULL)
		return;
	for (p = xfs; (p = strstr(p, "<xf ")) != NULL && nxf < 256; p++) {
		char id[16];

		if (strstr(xfs, "</cellXfs>") < p)
			break;
		formats[nxf++] = strdup(attr(p, "numFmtId", id, sizeof id) &&
		    atoi(id) < 512 ? codes[atoi(id)] : "");
	}
}

static void
csv_field(const char *s, int first)
{
	if (!first)
		putchar(',');
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, stdout);
		return;
	}
	putchar('"');
	for (; *s; s++) {
		if (*s == '"')
			putchar('"');
		putchar(*s);
	}
	putchar('"');
}

/* A number as its format shows it; *kind gets 'n' or 'd'. */
static void
number_text(double v, const char *fmt, char *out, size_t cap, char *kind)
{
	*kind = 'n';
	if (fmt && strchr(fmt, 'y') != NULL) {
		/* Excel's serial days from 1899-12-30 */
		long   days = (long)floor(v);
		long   secs = lround((v - (double)days) * 86400.0);
		long   z = days - 25569 + 719468, era, doe, yoe, doy, mp, y, m, d;

		*kind = 'd';
		era = z / 146097;
		doe = z - era * 146097;
		yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
		y = yoe + era * 400;
		doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
		mp = (5 * doy + 2) / 153;
		d = doy - (153 * mp + 2) / 5 + 1;
		m = mp < 10 ? mp + 3 : mp - 9;
		y += m <= 2;
		if (strstr(fmt, "hh") != NULL)
			snprintf(out, cap, "%04ld-%02ld-%02ld %02ld:%02ld", y, m,
			    d, secs / 3600, secs / 60 % 60);
		else if (strstr(fmt, "dd") != NULL)
			snprintf(out, cap, "%04ld-%02ld-%02ld", y, m, d);
		else
			snprintf(out, cap, "%04ld-%02ld", y, m);
	} else if (fmt && strcmp(fmt, "0.00") == 0) {
		snprintf(out, cap, "%.2f", v);
	} else if (v == floor(v) && fabs(v) < 9e15) {
		snprintf(out, cap, "%lld", (long long)v);
	} else {
		snprintf(out, cap, "%.15g", v);
	}
}

static int
col_of(const char *ref)
{
	int c = 0;

	while (*ref >= 'A' && *ref <= 'Z')
		c = c * 26 + (*ref++ - 'A' + 1);
	return c - 1;
}

int
main(int argc, char **argv)
{
	int         types = argc == 3 && strcmp(argv[1], "--types") == 0;
	const char *file = argv[argc - 1];
	char       *sheet, *shared, *styles, *p;
	long        last_row = 0;

	if (argc != 2 && !types) {
		fprintf(stderr, "usage: xlsx2csv [--types] FILE.xlsx\n");
		return 2;
	}
	if ((sheet = unzip_member(file, "xl/worksheets/sheet1.xml")) == NULL) {
		fprintf(stderr, "xlsx2csv: %s: no xl/worksheets/sheet1.xml\n",
		    file);
		return 1;
	}
	shared = unzip_member(file, "xl/sharedStrings.xml");
	styles = unzip_member(file, "xl/styles.xml");
	read_strings(shared);
	read_styles(styles);
	for (p = sheet; (p = strstr(p, "<row ")) != NULL;) {
		char  rnum[16];
		char *rend = strstr(p, "</row>"), *c;
		int   col = 0;

		if (!attr(p, "r", rnum, sizeof rnum))
			return 1;
		while (++last_row < atol(rnum))
			fputs("\r\n", stdout);       /* skipped empty rows */
		if (rend == NULL) {              /* <row .../> */
			fputs("\r\n", stdout);
			p++;
			continue;
		}
		for (c = p; (c = strstr(c, "<c ")) != NULL && c < rend; c++) {
			char ref[16], t[8] = "", s[8] = "", out[64], kind = 's';
			char *v = strstr(c, "<v>"), *ce = strstr(c, "</c>");
			const char *cell = "";
			char *owned = NULL;
			int   at;

			attr(c, "r", ref, sizeof ref);
			attr(c, "t", t, sizeof t);
			attr(c, "s", s, sizeof s);
			at = col_of(ref);
			for (; col < at; col++) {
				if (types)
					fputs(col ? ",-" : "-", stdout);
				else
					csv_field("", col == 0);
			}
			if (v != NULL && ce != NULL && v < ce) {
				owned = text_of(v + 3, strstr(v, "</v>"));
				if (strcmp(t, "s") == 0) {
					size_t k = strtoul(owned, NULL, 10);

					cell = k < nstrings ? strings[k] : "";
				} else {
					size_t xf = (size_t)atoi(s);

					number_text(strtod(owned, NULL),
					    xf < nxf ? formats[xf] : NULL, out,
					    sizeof out, &kind);
					cell = out;
				}
			} else {
				kind = '-';
			}
			if (types) {
				if (col)
					putchar(',');
				putchar(kind);
			} else {
				csv_field(cell, col == 0);
			}
			free(owned);
			col++;
		}
		fputs("\r\n", stdout);
		p = rend;
	}
	for (size_t i = 0; i < nstrings; i++)
		free(strings[i]);
	for (size_t i = 0; i < nxf; i++)
		free(formats[i]);
	free(strings);
	free(sheet);
	free(shared);
	free(styles);
	return fflush(stdout) == 0 ? 0 : 1;
}
