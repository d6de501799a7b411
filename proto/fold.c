/*
 * fold.c — search folding of Ukrainian (and legacy Russian) text; see fold.h.
 *
 * Everything is table-driven so that adding a look-alike is one line.  Only
 * the characters our data actually carries are folded; other code points
 * are copied unchanged, which keeps the function total and idempotent.
 */
#include "proto/fold.h"

#include <stdint.h>
#include <stdlib.h>

#include "proto/ident_priv.h"

/* Code point classes that are not simply copied. */
#define FOLD_SPACE 0xFFFFFFFEu   /* white space: collapse */
#define FOLD_DROP  0xFFFFFFFFu   /* invisible: drop */

/* Upper-case ranges.  `odd_pairs`: only even code points in the range are
 * capitals, each followed by its small letter (the Ґ ґ block). */
static const struct {
	uint32_t lo, hi, delta;
	int      odd_pairs;
} case_ranges[] = {
	{ 0x0041, 0x005A, 0x20, 0 },   /* A..Z */
	{ 0x0400, 0x040F, 0x50, 0 },   /* Ѐ Ё Ђ Ѓ Є Ѕ І Ї Ј Љ Њ Ћ Ќ Ѝ Ў Џ */
	{ 0x0410, 0x042F, 0x20, 0 },   /* А..Я, with Ъ Ы Э */
	{ 0x0490, 0x04BF, 0x01, 1 },   /* Ґ ґ, Ғ ғ, ... */
};

/* Single code points mapped to another one or to a class. */
static const struct { uint32_t from, to; } char_map[] = {
	/* apostrophes, as typed on different keyboards and by autocorrect */
	{ 0x0060, '\'' }, { 0x00B4, '\'' }, { 0x02B9, '\'' }, { 0x02BC, '\'' },
	{ 0x2018, '\'' }, { 0x2019, '\'' }, { 0x2032, '\'' },
	/* hyphens in double surnames */
	{ 0x2010, '-' }, { 0x2011, '-' }, { 0x2013, '-' },
	/* white space beyond ASCII */
	{ 0x0085, FOLD_SPACE }, { 0x00A0, FOLD_SPACE }, { 0x1680, FOLD_SPACE },
	{ 0x2028, FOLD_SPACE }, { 0x2029, FOLD_SPACE }, { 0x202F, FOLD_SPACE },
	{ 0x205F, FOLD_SPACE }, { 0x3000, FOLD_SPACE },
	/* invisible */
	{ 0x007F, FOLD_DROP }, { 0x00AD, FOLD_DROP }, { 0xFEFF, FOLD_DROP },
};

/* Ranges mapped to a class. */
static const struct { uint32_t lo, hi, to; } class_ranges[] = {
	{ 0x0009, 0x000D, FOLD_SPACE },   /* \t \n \v \f \r */
	{ 0x0020, 0x0020, FOLD_SPACE },
	{ 0x2000, 0x200A, FOLD_SPACE },   /* en quad .. hair space */
	{ 0x0000, 0x001F, FOLD_DROP },    /* other C0 controls (after blanks) */
	{ 0x0080, 0x009F, FOLD_DROP },    /* C1 controls */
	{ 0x200B, 0x200F, FOLD_DROP },    /* zero-width, direction marks */
};

/*
 * The first code point of every run of ten decimal digits beyond ASCII
 * (Unicode general category Nd, as of Unicode 15): Arabic-Indic,
 * Devanagari, the full-width ０-９ of East Asian input methods, the
 * mathematical digits, ...  A digit folds to its ASCII value, so an РНОКПП
 * typed or pasted with any of them reads as the number it is.
 */
static const uint32_t digit_zeros[] = {
	0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66,
	0x0BE6, 0x0C66, 0x0CE6, 0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20,
	0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
	0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0,
	0xA9F0, 0xAA50, 0xABF0, 0xFF10, 0x104A0, 0x10D30, 0x11066, 0x110F0,
	0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650, 0x116C0,
	0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x11F50,
	0x16A60, 0x16AC0, 0x16B50, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC,
	0x1D7F6, 0x1E140, 0x1E2F0, 0x1E4F0, 0x1E950, 0x1FBF0,
};

/* Letter + combining mark -> precomposed letter (all small, all 2 bytes). */
static const struct { uint32_t base, mark, composed; } compose[] = {
	{ 0x0438, 0x0306, 0x0439 },   /* и + breve     = й */
	{ 0x0443, 0x0306, 0x045E },   /* у + breve     = ў */
	{ 0x0456, 0x0308, 0x0457 },   /* і + diaeresis = ї */
	{ 0x0435, 0x0308, 0x0451 },   /* е + diaeresis = ё */
};

#define NELEM(a) (sizeof (a) / sizeof (a)[0])

static uint32_t
fold_cp(uint32_t cp)
{
	if (cp >= 0x0660)
		for (size_t i = 0; i < NELEM(digit_zeros); i++)
			if (cp >= digit_zeros[i] && cp < digit_zeros[i] + 10)
				return '0' + (cp - digit_zeros[i]);
	for (size_t i = 0; i < NELEM(char_map); i++)
		if (cp == char_map[i].from)
			return char_map[i].to;
	for (size_t i = 0; i < NELEM(class_ranges); i++)
		if (cp >= class_ranges[i].lo && cp <= class_ranges[i].hi)
			return class_ranges[i].to;
	for (size_t i = 0; i < NELEM(case_ranges); i++) {
		if (cp < case_ranges[i].lo || cp > case_ranges[i].hi)
			continue;
		if (case_ranges[i].odd_pairs && (cp & 1))
			return cp;
		return cp + case_ranges[i].delta;
	}
	return cp;
}

static uint32_t
composed(uint32_t base, uint32_t mark)
{
	for (size_t i = 0; i < NELEM(compose); i++)
		if (base == compose[i].base && mark == compose[i].mark)
			return compose[i].composed;
	return 0;
}

/*
 * The output side.  `len` counts every byte of the folded text; only the
 * first `written` of them reach `out`, whole characters only, so a cut never
 * splits a character and out[written] is where the NUL goes.
 */
struct fold_out {
	char     *out;
	size_t    cap, len, written;
	uint32_t  prev;      /* last character emitted, for composition; 0 none */
	size_t    prev_at;   /* its offset */
};

static void
emit(struct fold_out *o, uint32_t cp)
{
	char tmp[4];
	size_t k = hr_utf8_encode(cp, tmp);

	/* Keep one byte for the NUL; once cut, stay cut. */
	if (o->written == o->len && o->cap > 0 && o->cap - 1 - o->written >= k) {
		for (size_t i = 0; i < k; i++)
			o->out[o->written + i] = tmp[i];
		o->written += k;
	}
	o->prev = cp;
	o->prev_at = o->len;
	o->len += k;
}

/* A combining mark after a letter it composes with: rewrite that letter in
 * place (base and composed letter have the same UTF-8 length, see table). */
static int
try_compose(struct fold_out *o, uint32_t mark)
{
	uint32_t c = o->prev ? composed(o->prev, mark) : 0;
	char tmp[4];
	size_t k;

	if (c == 0)
		return 0;
	k = hr_utf8_encode(c, tmp);
	if (o->prev_at + k <= o->written)
		for (size_t i = 0; i < k; i++)
			o->out[o->prev_at + i] = tmp[i];
	o->prev = c;
	return 1;
}

size_t
hr_fold_into(const char *s, size_t len, char *out, size_t cap)
{
	struct fold_out o = { out, cap, 0, 0, 0, 0 };
	int space = 0;
	size_t i = 0, k;
	uint32_t cp;

	while (i < len) {
		if ((k = hr_utf8_decode(s + i, len - i, &cp)) == 0) {
			i++;                  /* not UTF-8: drop the byte */
			continue;
		}
		i += k;
		cp = fold_cp(cp);
		if (cp == FOLD_DROP)
			continue;
		if (cp == FOLD_SPACE) {
			space = o.len > 0;    /* leading blanks vanish */
			o.prev = 0;
			continue;
		}
		if (!space && try_compose(&o, cp))
			continue;
		if (space)
			emit(&o, ' ');
		space = 0;
		emit(&o, cp);
	}
	if (cap > 0)
		out[o.written] = '\0';
	return o.len;
}

char *
hr_fold(const char *s, size_t len)
{
	char *out;

	if (len == SIZE_MAX || (out = malloc(len + 1)) == NULL)
		return NULL;
	hr_fold_into(s, len, out, len + 1);
	return out;
}

size_t
hr_query_digits(const char *s, size_t len, char *out, size_t cap)
{
	char *f = hr_fold(s, len);
	size_t n = 0, i;

	if (f == NULL)
		return 0;
	for (i = 0; f[i] != '\0'; i++) {
		if (f[i] >= '0' && f[i] <= '9') {
			if (n + 1 < cap)
				out[n] = f[i];
			n++;
		} else if (f[i] != ' ' && f[i] != '-')
			break;
	}
	if (f[i] != '\0' || n + 1 > cap)
		n = 0;                /* not digits only, or no room */
	if (cap > 0)
		out[n] = '\0';
	free(f);
	return n;
}

enum hr_query_kind
hr_query_kind(const char *s, size_t len)
{
	char digits[64];
	size_t n;

	hr_trim_ascii(&s, &len);
	if (len == 0)
		return HR_QUERY_EMPTY;
	n = hr_query_digits(s, len, digits, sizeof digits);
	if (n == 0) {
		char *f = hr_fold(s, len);
		int empty = f == NULL || f[0] == '\0';

		free(f);
		return empty ? HR_QUERY_EMPTY : HR_QUERY_NAME;
	}
	return n == 10 ? HR_QUERY_RNOKPP : HR_QUERY_DIGITS;
}
