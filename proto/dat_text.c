/*
 * dat_text.c — the text layer of the *.DAT files: field escapes, the
 * UTF-8 / CP1251 codec and the CRC-32 of the END line.
 *
 * A field on the wire is bytes between `|` separators.  Four escapes let a
 * value hold what would break the line structure: `\|`, `\\`, `\n`, `\r`;
 * any other backslash, and any raw control character, is an error (so a
 * file damaged in transit is refused instead of read wrongly).  CP1251 is
 * one byte per character; its upper half is the table below (Windows code
 * page 1251, byte 0x98 unassigned).  Decoding CP1251 to UTF-8 at most
 * triples the size, which is how the parser sizes its arena.
 */
#include "proto/dat_priv.h"

#include <stdio.h>
#include <string.h>

/* U+0000 where the code page assigns nothing. */
static const uint16_t cp1251_high[64] = {
	/* 0x80 */ 0x0402, 0x0403, 0x201A, 0x0453, 0x201E, 0x2026, 0x2020, 0x2021,
	/* 0x88 */ 0x20AC, 0x2030, 0x0409, 0x2039, 0x040A, 0x040C, 0x040B, 0x040F,
	/* 0x90 */ 0x0452, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	/* 0x98 */ 0x0000, 0x2122, 0x0459, 0x203A, 0x045A, 0x045C, 0x045B, 0x045F,
	/* 0xA0 */ 0x00A0, 0x040E, 0x045E, 0x0408, 0x00A4, 0x0490, 0x00A6, 0x00A7,
	/* 0xA8 */ 0x0401, 0x00A9, 0x0404, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x0407,
	/* 0xB0 */ 0x00B0, 0x00B1, 0x0406, 0x0456, 0x0491, 0x00B5, 0x00B6, 0x00B7,
	/* 0xB8 */ 0x0451, 0x2116, 0x0454, 0x00BB, 0x0458, 0x0405, 0x0455, 0x0457,
};

/* CP1251 byte -> code point; 0 when unassigned. */
static uint32_t
cp1251_to_ucs(unsigned char b)
{
	if (b < 0x80)
		return b;
	if (b >= 0xC0)
		return 0x0410 + (b - 0xC0);     /* А..я */
	return cp1251_high[b - 0x80];
}

/* Code point -> CP1251 byte; -1 when the code page has none. */
static int
ucs_to_cp1251(uint32_t c)
{
	if (c < 0x80)
		return (int)c;
	if (c >= 0x0410 && c <= 0x044F)
		return (int)(0xC0 + (c - 0x0410));
	for (int i = 0; i < 64; i++)
		if (cp1251_high[i] != 0 && cp1251_high[i] == c)
			return 0x80 + i;
	return -1;
}

static size_t
utf8_put(char *out, uint32_t c)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xC0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	out[0] = (char)(0xE0 | (c >> 12));
	out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
	out[2] = (char)(0x80 | (c & 0x3F));
	return 3;
}

/*
 * One UTF-8 character at s[0..n): its length, or 0 when malformed
 * (overlong forms, surrogates and values past U+10FFFF included).
 */
static size_t
utf8_get(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t   len;
	uint32_t c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xE0) == 0xC0)
		len = 2, c = s[0] & 0x1F, min = 0x80;
	else if ((s[0] & 0xF0) == 0xE0)
		len = 3, c = s[0] & 0x0F, min = 0x800;
	else if ((s[0] & 0xF8) == 0xF0)
		len = 4, c = s[0] & 0x07, min = 0x10000;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

/* The byte an escape stands for, or -1. */
static int
unescape_char(char c)
{
	static const char from[] = "|\\nr", to[] = "|\\\n\r";
	const char *p = c != '\0' ? strchr(from, c) : NULL;

	return p != NULL ? to[p - from] : -1;
}

/* Copy one decoded byte of the file's charset to out as UTF-8. */
static int
put_decoded(unsigned char b, enum hr_dat_charset cs, char *out, size_t *o,
    struct hr_error *err)
{
	uint32_t c;

	if (cs == HR_DAT_UTF8 || b < 0x80) {
		out[(*o)++] = (char)b;
		return 0;
	}
	if ((c = cp1251_to_ucs(b)) == 0)
	{
		char hex[8];

		snprintf(hex, sizeof hex, "0x%02X", b);
		return hr_errorf(err, HR_E_INVALID, "dat.cp1251_byte",
		    "byte {byte} is not a CP1251 character", HR_STR("byte", hex));
	}
	*o += utf8_put(out + *o, c);
	return 0;
}

static int
utf8_check(const char *s, size_t n, struct hr_error *err)
{
	uint32_t c;

	for (size_t i = 0; i < n; ) {
		size_t k = utf8_get((const unsigned char *)s + i, n - i, &c);

		if (k == 0)
			return hr_errorf(err, HR_E_INVALID, "dat.utf8",
			    "not valid UTF-8 at byte {offset}",
			    HR_INT("offset", i + 1));
		i += k;
	}
	return 0;
}

int
dat_field_decode(const char *s, size_t n, enum hr_dat_charset cs, char *out,
    size_t *outlen, struct hr_error *err)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char b = (unsigned char)s[i];
		int e;

		if (b < 0x20 || b == 0x7F) {
			char hex[8];

			snprintf(hex, sizeof hex, "0x%02X", b);
			return hr_errorf(err, HR_E_INVALID, "dat.control",
			    "control character {byte} (write \\n for a line "
			    "break)", HR_STR("byte", hex));
		}
		if (b == '\\') {
			if (i + 1 == n || (e = unescape_char(s[i + 1])) < 0)
				return hr_errorf(err, HR_E_INVALID, "dat.escape",
				    "a backslash must start \\| \\\\ \\n or \\r");
			out[o++] = (char)e;
			i++;
			continue;
		}
		if (put_decoded(b, cs, out, &o, err) < 0)
			return -1;
	}
	out[o] = '\0';
	*outlen = o;
	return utf8_check(out, o, err);
}

/* Append one code point in `cs`, escaped. */
static int
put_encoded(struct hr_buf *out, uint32_t c, const char *raw, size_t rawlen,
    enum hr_dat_charset cs, struct hr_error *err)
{
	static const char esc_from[] = "|\\\n\r", esc_to[] = "|\\nr";
	const char *p = c != 0 && c < 0x80 ? strchr(esc_from, (int)c) : NULL;
	char two[2];
	int  b;

	if (p != NULL) {
		two[0] = '\\';
		two[1] = esc_to[p - esc_from];
		return hr_buf_append(out, two, 2);
	}
	if (c < 0x20 || c == 0x7F) {
		char hex[8];

		snprintf(hex, sizeof hex, "0x%02X", (unsigned)c);
		return hr_errorf(err, HR_E_INVALID, "dat.control",
		    "control character {byte}", HR_STR("byte", hex));
	}
	if (cs == HR_DAT_UTF8)
		return hr_buf_append(out, raw, rawlen);
	if ((b = ucs_to_cp1251(c)) < 0)
	{
		char u[16];

		snprintf(u, sizeof u, "U+%04X", (unsigned)c);
		return hr_errorf(err, HR_E_INVALID, "dat.no_cp1251",
		    "character {char} has no CP1251 form", HR_STR("char", u));
	}
	two[0] = (char)b;
	return hr_buf_append(out, two, 1);
}

int
dat_field_encode(struct hr_buf *out, const char *s, enum hr_dat_charset cs,
    struct hr_error *err)
{
	size_t n = s != NULL ? strlen(s) : 0;

	hr_error_clear(err);
	for (size_t i = 0; i < n; ) {
		uint32_t c;
		size_t   k = utf8_get((const unsigned char *)s + i, n - i, &c);

		if (k == 0)
			return hr_errorf(err, HR_E_INVALID, "dat.utf8",
			    "not valid UTF-8 at byte {offset}",
			    HR_INT("offset", i + 1));
		if (put_encoded(out, c, s + i, k, cs, err) < 0) {
			if (err != NULL && err->code == HR_OK)
				hr_errorf(err, HR_E_INVALID, "dat.too_big",
				    "the file would exceed {max} bytes",
				    HR_INT("max", HR_DAT_FILE_MAX));
			return -1;
		}
		i += k;
	}
	return 0;
}

int
dat_is_token(const char *s, size_t n, size_t max)
{
	if (n == 0 || n > max)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

/* Nibble table of the reflected polynomial 0xEDB88320. */
static const uint32_t crc_nibble[16] = {
	0x00000000, 0x1DB71064, 0x3B6E20C8, 0x26D930AC,
	0x76DC4190, 0x6B6B51F4, 0x4DB26158, 0x5005713C,
	0xEDB88320, 0xF00F9344, 0xD6D6A3E8, 0xCB61B38C,
	0x9B64C2B0, 0x86D3D2D4, 0xA00AE278, 0xBDBDF21C,
};

uint32_t
hr_dat_crc32(uint32_t crc, const void *p, size_t n)
{
	const unsigned char *s = p;

	crc = ~crc;
	for (size_t i = 0; i < n; i++) {
		crc ^= s[i];
		crc = (crc >> 4) ^ crc_nibble[crc & 15];
		crc = (crc >> 4) ^ crc_nibble[crc & 15];
	}
	return ~crc;
}
