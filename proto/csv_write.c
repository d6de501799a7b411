/*
 * csv_write.c — RFC 4180 records (csv_write.h).
 */
#include "proto/csv_write.h"

#include <stdlib.h>
#include <string.h>

void
hr_csv_init(struct hr_csv *c, FILE *f, int bom)
{
	c->f = f;
	c->col = 0;
	c->bom = bom;
}

void
hr_csv_str(struct hr_csv *c, const char *s)
{
	if (c->bom) {
		fputs("\xEF\xBB\xBF", c->f);
		c->bom = 0;
	}
	if (c->col++ > 0)
		fputc(',', c->f);
	if (s == NULL)
		return;
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, c->f);
		return;
	}
	fputc('"', c->f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', c->f);
		fputc(*s, c->f);
	}
	fputc('"', c->f);
}

void
hr_csv_int(struct hr_csv *c, int64_t v)
{
	char buf[32];

	snprintf(buf, sizeof buf, "%lld", (long long)v);
	hr_csv_str(c, buf);
}

void
hr_csv_money(struct hr_csv *c, int64_t kop)
{
	char buf[40];

	snprintf(buf, sizeof buf, "%s%lld.%02lld", kop < 0 ? "-" : "",
	    (long long)(llabs(kop) / 100), (long long)(llabs(kop) % 100));
	hr_csv_str(c, buf);
}

void
hr_csv_month(struct hr_csv *c, int month)
{
	char buf[16];

	snprintf(buf, sizeof buf, "%04d-%02d", month / 100, month % 100);
	hr_csv_str(c, buf);
}

void
hr_csv_end(struct hr_csv *c)
{
	fputs("\r\n", c->f);
	c->col = 0;
}

void
hr_csv_row(struct hr_csv *c, const char *const *fields)
{
	for (; *fields; fields++)
		hr_csv_str(c, *fields);
	hr_csv_end(c);
}
