/*
 * ident_priv.h — small helpers shared by the identifier checks and fold.c.
 *
 * Not a contract: only proto/{rnokpp,unzr,docnum,iban,katottg,phone,date,
 * amount,fold}.c include it.  Everything is static inline so that each
 * module stays one self-contained file.
 */
#ifndef HR_IDENT_PRIV_H
#define HR_IDENT_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "proto/error.h"

/*
 * A check's failure, "LABEL: problem": the label ("РНОКПП") is a context
 * part of its own, so that the server can put the request's field path in
 * its place (hr_error_pop, then hr_error_at).  Both are msgids
 * (mark them HR_MSGID for xgettext).
 */
#define hr_ident_fail(err, label, id, text, ...) \
	(hr_errorf((err), HR_E_INVALID, (id), text __VA_OPT__(,) __VA_ARGS__), \
	    hr_error_prefix((err), label))

static inline int
hr_isdigit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* Are s[0..n) all ASCII digits?  (1 for n == 0.) */
static inline int
hr_all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!hr_isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Value of the ASCII digits s[0..n), n <= 9 so it fits an int. */
static inline int
hr_digits_value(const char *s, size_t n)
{
	int v = 0;

	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

static inline int
hr_isblank_ascii(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\v' || c == '\f';
}

/* Shrink (*s, *len) past leading and trailing ASCII blanks. */
static inline void
hr_trim_ascii(const char **s, size_t *len)
{
	while (*len > 0 && hr_isblank_ascii((unsigned char)(*s)[0])) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && hr_isblank_ascii((unsigned char)(*s)[*len - 1]))
		(*len)--;
}

/*
 * Decode one UTF-8 sequence at s[0..len), len > 0.  Returns the number of
 * bytes used (1..4) and the code point in *cp, or 0 if the bytes are not a
 * well-formed sequence (overlong forms, surrogates and values past U+10FFFF
 * included) so that the caller can skip one byte and go on.
 */
static inline size_t
hr_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	static const uint32_t min_for_len[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	const unsigned char *p = (const unsigned char *)s;
	size_t n;
	uint32_t c;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if ((p[0] & 0xe0) == 0xc0) {
		n = 2;
		c = p[0] & 0x1f;
	} else if ((p[0] & 0xf0) == 0xe0) {
		n = 3;
		c = p[0] & 0x0f;
	} else if ((p[0] & 0xf8) == 0xf0) {
		n = 4;
		c = p[0] & 0x07;
	} else
		return 0;
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if (c < min_for_len[n] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* Encode cp (a valid scalar value) into out; returns 1..4 bytes written.
 * out must have room for 4. */
static inline size_t
hr_utf8_encode(uint32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;

	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xc0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xe0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (unsigned char)(0xf0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

#endif
