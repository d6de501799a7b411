/*
 * docnum.c — numbers of identity documents: passport booklet, ID card and
 * birth certificate.
 *
 * Legacy registers were typed on whatever keyboard layout was active, so a
 * passport series "МК" is often stored as Latin "MK" or "mk".  We accept the
 * Latin letters that look like Cyrillic ones and store the Cyrillic form, so
 * the same document compares equal however it was typed.  Birth certificate
 * series open with a Roman numeral, where the opposite happens: Cyrillic "І"
 * and "Х" are typed for Latin "I" and "X".
 */
#include "proto/ident.h"

#include <string.h>

#include "proto/ident_priv.h"

/* Longest input we look at, in code points after dropping blanks and "№". */
#define DOC_MAX_CP 20

/* Latin capital -> the Cyrillic capital it looks like. */
static const struct { char latin; uint32_t cyr; } lookalike[] = {
	{ 'A', 0x0410 }, { 'B', 0x0412 }, { 'C', 0x0421 }, { 'E', 0x0415 },
	{ 'H', 0x041D }, { 'I', 0x0406 }, { 'K', 0x041A }, { 'M', 0x041C },
	{ 'O', 0x041E }, { 'P', 0x0420 }, { 'T', 0x0422 }, { 'X', 0x0425 },
};

/* Ukrainian capitals outside the contiguous А..Я block, with lower case. */
static const struct { uint32_t upper, lower; } uk_extra[] = {
	{ 0x0490, 0x0491 },   /* Ґ ґ */
	{ 0x0404, 0x0454 },   /* Є є */
	{ 0x0406, 0x0456 },   /* І і */
	{ 0x0407, 0x0457 },   /* Ї ї */
};

/* Characters that stand for a Roman digit in a birth certificate series. */
static const struct { uint32_t cp; char roman; } roman_char[] = {
	{ 'I', 'I' }, { 'i', 'I' }, { 0x0406, 'I' }, { 0x0456, 'I' },
	{ 'V', 'V' }, { 'v', 'V' },
	{ 'X', 'X' }, { 'x', 'X' }, { 0x0425, 'X' }, { 0x0445, 'X' },
};

static const char *const kind_name[] = {
	[HR_DOC_UNKNOWN]    = HR_MSGID("document"),
	[HR_DOC_PASSPORT]   = HR_MSGID("passport"),
	[HR_DOC_ID_CARD]    = HR_MSGID("ID card"),
	[HR_DOC_BIRTH_CERT] = HR_MSGID("birth certificate"),
};

static const char *const kind_form[] = {
	[HR_DOC_UNKNOWN]    = HR_MSGID("an unknown document kind"),
	[HR_DOC_PASSPORT]   = HR_MSGID("write 2 Cyrillic letters and 6 digits, "
	    "like МК123456"),
	[HR_DOC_ID_CARD]    = HR_MSGID("write the 9 digits of the number"),
	[HR_DOC_BIRTH_CERT] = HR_MSGID("write the series and number like "
	    "I-АБ123456"),
};

/* The canonical upper-case Cyrillic series letter for cp, or 0. */
static uint32_t
series_letter(uint32_t cp)
{
	if (cp >= 'a' && cp <= 'z')
		cp -= 'a' - 'A';
	for (size_t i = 0; i < sizeof lookalike / sizeof lookalike[0]; i++)
		if (cp == (uint32_t)lookalike[i].latin)
			return lookalike[i].cyr;
	if (cp >= 0x0410 && cp <= 0x042F)         /* А..Я */
		return cp;
	if (cp >= 0x0430 && cp <= 0x044F)         /* а..я */
		return cp - 0x20;
	for (size_t i = 0; i < sizeof uk_extra / sizeof uk_extra[0]; i++)
		if (cp == uk_extra[i].upper || cp == uk_extra[i].lower)
			return uk_extra[i].upper;
	return 0;
}

static char
roman_digit(uint32_t cp)
{
	for (size_t i = 0; i < sizeof roman_char / sizeof roman_char[0]; i++)
		if (cp == roman_char[i].cp)
			return roman_char[i].roman;
	return 0;
}

/* Is r[0..n) the canonical Roman numeral of some number 1..39? */
static int
roman_valid(const char *r, size_t n)
{
	static const char *const units[10] = {
		"", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"
	};
	static const char *const tens[4] = { "", "X", "XX", "XXX" };

	for (int t = 0; t < 4; t++) {
		size_t tl = strlen(tens[t]);
		for (int u = (t == 0); u < 10; u++) {
			if (tl + strlen(units[u]) == n &&
			    memcmp(r, tens[t], tl) == 0 &&
			    memcmp(r + tl, units[u], n - tl) == 0)
				return 1;
		}
	}
	return 0;
}

/*
 * Decode s into code points, dropping blanks and "№" (U+2116), which clerks
 * type between series and number.  -1 on bad UTF-8 or more than DOC_MAX_CP.
 */
static int
decode(const char *s, size_t len, uint32_t *cp, size_t *n)
{
	size_t i = 0, k;
	uint32_t c;

	*n = 0;
	while (i < len) {
		if ((k = hr_utf8_decode(s + i, len - i, &c)) == 0)
			return -1;
		i += k;
		if ((c < 0x80 && hr_isblank_ascii((unsigned char)c)) ||
		    c == 0x2116)
			continue;
		if (*n == DOC_MAX_CP)
			return -1;
		cp[(*n)++] = c;
	}
	return 0;
}

/* Bounded writer into the caller's buffer. */
struct sink {
	char   *p;
	size_t  cap, len;
	int     full;
};

static void
put_cp(struct sink *o, uint32_t cp)
{
	char tmp[4];
	size_t k = hr_utf8_encode(cp, tmp);

	if (o->full || o->cap - o->len < k + 1) {
		o->full = 1;
		return;
	}
	memcpy(o->p + o->len, tmp, k);
	o->len += k;
	o->p[o->len] = '\0';
}

static int
all_digit_cps(const uint32_t *cp, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (cp[i] < '0' || cp[i] > '9')
			return 0;
	return 1;
}

/* Two series letters then six digits: cp[0..8). */
static int
put_series_number(struct sink *o, const uint32_t *cp)
{
	uint32_t a = series_letter(cp[0]), b = series_letter(cp[1]);

	if (a == 0 || b == 0 || !all_digit_cps(cp + 2, 6))
		return -1;
	put_cp(o, a);
	put_cp(o, b);
	for (int i = 2; i < 8; i++)
		put_cp(o, cp[i]);
	return 0;
}

static int
norm_passport(const uint32_t *cp, size_t n, struct sink *o)
{
	return n == 8 ? put_series_number(o, cp) : -1;
}

static int
norm_id_card(const uint32_t *cp, size_t n, struct sink *o)
{
	if (n != 9 || !all_digit_cps(cp, n))
		return -1;
	for (size_t i = 0; i < n; i++)
		put_cp(o, cp[i]);
	return 0;
}

static int
norm_birth_cert(const uint32_t *cp, size_t n, struct sink *o)
{
	char roman[8];
	size_t r = 0;

	while (r < n && r < sizeof roman && (roman[r] = roman_digit(cp[r])))
		r++;
	if (r == 0 || r == n || cp[r] != '-' || !roman_valid(roman, r) ||
	    n - r - 1 != 8)
		return -1;
	for (size_t i = 0; i < r; i++)
		put_cp(o, (uint32_t)roman[i]);
	put_cp(o, '-');
	return put_series_number(o, cp + r + 1);
}

typedef int doc_norm_fn(const uint32_t *, size_t, struct sink *);

static doc_norm_fn *const kind_norm[] = {
	[HR_DOC_UNKNOWN]    = NULL,
	[HR_DOC_PASSPORT]   = norm_passport,
	[HR_DOC_ID_CARD]    = norm_id_card,
	[HR_DOC_BIRTH_CERT] = norm_birth_cert,
};

int
hr_docnum_normalize(enum hr_doc_kind kind, const char *s, size_t len,
    char *out, size_t cap, struct hr_error *err)
{
	uint32_t cp[DOC_MAX_CP];
	struct sink o = { out, cap, 0, cap == 0 };
	size_t n;

	if ((unsigned)kind >= sizeof kind_norm / sizeof kind_norm[0] ||
	    kind_norm[kind] == NULL)
		return hr_error_set(err, HR_E_INTERNAL,
		    "document: unknown document kind %d", (int)kind);
	if (cap > 0)
		out[0] = '\0';
	if (decode(s, len, cp, &n) != 0)
		return hr_errorf_text(err, HR_E_INVALID, "docnum.form",
		    kind_form[kind]), hr_error_prefix(err, "{label}",
		    HR_STR("label", kind_name[kind]));
	if (n == 0)
		return hr_errorf(err, HR_E_INVALID, "docnum.empty",
		    "number is empty"), hr_error_prefix(err, "{label}",
		    HR_STR("label", kind_name[kind]));
	if (kind_norm[kind](cp, n, &o) != 0) {
		if (cap > 0)
			out[0] = '\0';
		return hr_errorf_text(err, HR_E_INVALID, "docnum.form",
		    kind_form[kind]), hr_error_prefix(err, "{label}",
		    HR_STR("label", kind_name[kind]));
	}
	if (o.full) {
		if (cap > 0)
			out[0] = '\0';
		return hr_error_set(err, HR_E_INTERNAL,
		    "%s: output buffer too small", kind_name[kind]);
	}
	return 0;
}

enum hr_doc_kind
hr_docnum_guess(const char *s, size_t len)
{
	static const enum hr_doc_kind order[] = {
		HR_DOC_ID_CARD, HR_DOC_PASSPORT, HR_DOC_BIRTH_CERT
	};
	char tmp[HR_DOCNUM_STR_MAX];

	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
		if (hr_docnum_normalize(order[i], s, len, tmp, sizeof tmp,
		    NULL) == 0)
			return order[i];
	return HR_DOC_UNKNOWN;
}
