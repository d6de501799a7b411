/*
 * fmt.c — Ukrainian document conventions (fmt.h).
 *
 * The words here are the printed language of the documents, not the user
 * interface: a form is printed in Ukrainian whatever the locale of the
 * program that prints it, so none of this goes through gettext.
 */
#include "config.h"

#include "paper/fmt.h"

#include <stdio.h>
#include <string.h>

#include "proto/ident.h"

static const char *const month_gen[12] = {
	"січня", "лютого", "березня", "квітня", "травня", "червня", "липня",
	"серпня", "вересня", "жовтня", "листопада", "грудня",
};

static const char *
out_str(char *out, size_t cap, const char *s)
{
	if (cap > 0)
		snprintf(out, cap, "%s", s);
	return out;
}

static int
parse_iso(const char *iso, struct hr_date *d)
{
	return iso != NULL && iso[0] != '\0' &&
	    hr_date_parse(iso, strlen(iso), NULL, d, NULL) == 0 ? 0 : -1;
}

const char *
paper_date_short(const char *iso, char *out, size_t cap)
{
	struct hr_date d;

	if (parse_iso(iso, &d) < 0)
		return out_str(out, cap, "");
	snprintf(out, cap, "%02d.%02d.%04d", d.d, d.m, d.y);
	return out;
}

const char *
paper_date_long(const char *iso, char *out, size_t cap)
{
	struct hr_date d;

	if (parse_iso(iso, &d) < 0)
		return out_str(out, cap, "");
	snprintf(out, cap, "%02d %s %04d року", d.d, month_gen[d.m - 1], d.y);
	return out;
}

const char *
paper_date_add_months(const char *iso, int months, char *out, size_t cap)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };
	struct hr_date d;
	int m, last;

	if (parse_iso(iso, &d) < 0)
		return out_str(out, cap, "");
	m = d.m - 1 + months;
	d.y += m / 12;
	d.m = m % 12 + 1;
	last = mdays[d.m - 1] + (d.m == 2 && hr_date_valid(d.y, 2, 29));
	if (d.d > last)
		d.d = last;
	snprintf(out, cap, "%04d-%02d-%02d", d.y, d.m, d.d);
	return out;
}

/* ---- money and numbers ---- */

#define NBSP "\xc2\xa0"

const char *
paper_amount(int64_t kopecks, char *out, size_t cap)
{
	char num[HR_AMOUNT_STR_MAX];
	size_t len = 0;

	if (cap == 0)
		return out;
	out[0] = '\0';
	if (hr_amount_format(kopecks, num, sizeof num) != 0)
		return out;
	for (const char *p = num; *p && len + 3 < cap; p++) {
		if (*p == ' ') {
			memcpy(out + len, NBSP, 2);
			len += 2;
		} else {
			out[len++] = *p;
		}
	}
	out[len] = '\0';
	return out;
}

const char *
paper_money(int64_t kopecks, char *out, size_t cap)
{
	char num[PAPER_AMOUNT_MAX];

	snprintf(out, cap, "%s" NBSP "грн", paper_amount(kopecks, num,
	    sizeof num));
	return out;
}

const char *
paper_plural(int64_t n, const char *one, const char *few, const char *many)
{
	int64_t m100 = n % 100, m10 = n % 10;

	if (m100 >= 11 && m100 <= 14)
		return many;
	if (m10 == 1)
		return one;
	if (m10 >= 2 && m10 <= 4)
		return few;
	return many;
}

static const char *const w_units[3][10] = {
	{ "", "один", "два", "три", "чотири", "п'ять", "шість", "сім",
	  "вісім", "дев'ять" },
	{ "", "одна", "дві", "три", "чотири", "п'ять", "шість", "сім",
	  "вісім", "дев'ять" },
	{ "", "одне", "два", "три", "чотири", "п'ять", "шість", "сім",
	  "вісім", "дев'ять" },
};
static const char *const w_teens[10] = {
	"десять", "одинадцять", "дванадцять", "тринадцять", "чотирнадцять",
	"п'ятнадцять", "шістнадцять", "сімнадцять", "вісімнадцять",
	"дев'ятнадцять",
};
static const char *const w_tens[10] = {
	"", "", "двадцять", "тридцять", "сорок", "п'ятдесят", "шістдесят",
	"сімдесят", "вісімдесят", "дев'яносто",
};
static const char *const w_hundreds[10] = {
	"", "сто", "двісті", "триста", "чотириста", "п'ятсот", "шістсот",
	"сімсот", "вісімсот", "дев'ятсот",
};

/* The scales, biggest first: word forms and gender. */
static const struct {
	int64_t           value;
	const char       *one, *few, *many;
	enum paper_gender g;
} w_scales[] = {
	{ 1000000000, "мільярд", "мільярди", "мільярдів", PAPER_MASC },
	{ 1000000, "мільйон", "мільйони", "мільйонів", PAPER_MASC },
	{ 1000, "тисяча", "тисячі", "тисяч", PAPER_FEM },
};

static void
append(char *out, size_t cap, size_t *len, const char *w)
{
	int n;

	if (w[0] == '\0' || *len >= cap)
		return;
	n = snprintf(out + *len, cap - *len, "%s%s", *len ? " " : "", w);
	if (n > 0)
		*len += (size_t)n < cap - *len ? (size_t)n : cap - *len - 1;
}

/* 1..999 in words. */
static void
words_999(int n, enum paper_gender g, char *out, size_t cap, size_t *len)
{
	append(out, cap, len, w_hundreds[n / 100]);
	n %= 100;
	if (n >= 10 && n < 20) {
		append(out, cap, len, w_teens[n - 10]);
		return;
	}
	append(out, cap, len, w_tens[n / 10]);
	append(out, cap, len, w_units[g][n % 10]);
}

const char *
paper_number_words(int64_t n, enum paper_gender g, char *out, size_t cap)
{
	size_t len = 0;

	if (cap == 0)
		return out;
	out[0] = '\0';
	if (n < 0 || n >= INT64_C(1000000000000))
		return out;
	if (n == 0)
		return out_str(out, cap, "нуль");
	for (size_t i = 0; i < sizeof w_scales / sizeof w_scales[0]; i++) {
		int64_t k = n / w_scales[i].value;
		if (k == 0)
			continue;
		words_999((int)k, w_scales[i].g, out, cap, &len);
		append(out, cap, &len, paper_plural(k, w_scales[i].one,
		    w_scales[i].few, w_scales[i].many));
		n %= w_scales[i].value;
	}
	if (n > 0)
		words_999((int)n, g, out, cap, &len);
	return out;
}

const char *
paper_money_words(int64_t kopecks, char *out, size_t cap)
{
	char w[512];
	int64_t uah, kop;

	if (kopecks < 0)
		return out_str(out, cap, "");
	uah = kopecks / 100;
	kop = kopecks % 100;
	paper_number_words(uah, PAPER_FEM, w, sizeof w);
	snprintf(out, cap, "%s %s %02d %s", w, paper_plural(uah, "гривня",
	    "гривні", "гривень"), (int)kop, paper_plural(kop, "копійка",
	    "копійки", "копійок"));
	return out;
}

/* ---- names and documents ---- */

const char *
paper_full_name(const struct paper_person *p, char *out, size_t cap)
{
	snprintf(out, cap, "%s %s%s%s", p->surname ? p->surname : "",
	    p->name ? p->name : "", p->patronymic && p->patronymic[0] ? " " : "",
	    p->patronymic ? p->patronymic : "");
	return out;
}

/* The first letter of s and a dot: "Г." ("" for an empty s). */
static void
initial(const char *s, char *out, size_t cap)
{
	size_t n = 1;
	unsigned char c;

	out[0] = '\0';
	if (s == NULL || s[0] == '\0')
		return;
	c = (unsigned char)s[0];
	if (c >= 0xf0)
		n = 4;
	else if (c >= 0xe0)
		n = 3;
	else if (c >= 0xc0)
		n = 2;
	if (strlen(s) < n)
		n = strlen(s);
	snprintf(out, cap, "%.*s.", (int)n, s);
}

const char *
paper_short_name(const struct paper_person *p, char *out, size_t cap)
{
	char a[8], b[8];

	initial(p->name, a, sizeof a);
	initial(p->patronymic, b, sizeof b);
	snprintf(out, cap, "%s %s%s%s", p->surname ? p->surname : "", a,
	    b[0] ? " " : "", b);
	return out;
}

/* Split a canonical number into series and number: "МК123456" -> "МК",
 * "123456"; "I-АБ123456" -> "I-АБ", "123456"; "123456789" -> "", all. */
static void
doc_split(const char *num, char *series, size_t scap, const char **digits)
{
	const char *p = num + strlen(num);

	while (p > num && p[-1] >= '0' && p[-1] <= '9')
		p--;
	snprintf(series, scap, "%.*s", (int)(p - num), num);
	*digits = p;
}

const char *
paper_doc_number(const struct paper_person *p, char *out, size_t cap)
{
	char series[64];
	const char *digits;

	if (p->doc_number == NULL || p->doc_number[0] == '\0')
		return out_str(out, cap, "");
	doc_split(p->doc_number, series, sizeof series, &digits);
	snprintf(out, cap, "%s%s%s", series, series[0] ? " " : "", digits);
	return out;
}

const char *
paper_id_document(const struct paper_person *p, char *out, size_t cap)
{
	static const struct { const char *type, *name; } kinds[] = {
		{ "passport", "паспорт громадянина України" },
		{ "id_card", "паспорт громадянина України у формі ID-картки" },
		{ "birth_cert", "свідоцтво про народження" },
	};
	const char *kind = "документ";
	char series[64];
	const char *digits;

	if (p->doc_number == NULL || p->doc_number[0] == '\0')
		return out_str(out, cap, "");
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (p->doc_type && strcmp(p->doc_type, kinds[i].type) == 0)
			kind = kinds[i].name;
	doc_split(p->doc_number, series, sizeof series, &digits);
	if (series[0])
		snprintf(out, cap, "%s серія %s № %s", kind, series, digits);
	else
		snprintf(out, cap, "%s № %s", kind, digits);
	return out;
}

const char *
paper_relation(const struct paper_person *p)
{
	static const struct { const char *rel, *m, *f; } rels[] = {
		{ "spouse", "чоловік", "дружина" },
		{ "child", "син", "дочка" },
		{ "parent", "батько", "мати" },
		{ "sibling", "брат", "сестра" },
		{ "other", "інший член сім'ї", "інший член сім'ї" },
	};
	int female = p->sex && strcmp(p->sex, "F") == 0;

	for (size_t i = 0; i < sizeof rels / sizeof rels[0]; i++)
		if (p->relation && strcmp(p->relation, rels[i].rel) == 0)
			return female ? rels[i].f : rels[i].m;
	return p->relation ? p->relation : "";
}

const char *
paper_income_type(const char *type)
{
	static const struct { const char *code, *name; } types[] = {
		{ "salary", "заробітна плата" },
		{ "pension", "пенсія" },
		{ "benefit", "соціальна допомога" },
		{ "alimony", "аліменти" },
		{ "business", "доходи від підприємницької діяльності" },
		{ "other", "інші доходи" },
	};

	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		if (type && strcmp(type, types[i].code) == 0)
			return types[i].name;
	return type ? type : "";
}
