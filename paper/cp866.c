/*
 * cp866.c — UTF-8 to CP866, the DOS Cyrillic code page that dot-matrix
 * printers have in their character generators (render.h).
 *
 * CP866 was made for Russian: it has Є є Ї ї (0xF2..0xF5) but not І і Ґ ґ.
 * Ukrainian texts in DOS wrote І і with the Latin letters and Ґ ґ as Г г;
 * typographic quotes, apostrophes and dashes become their ASCII forms.
 * Anything else without a place in the page prints as '?', never as a
 * wrong letter.
 */
#include "config.h"

#include "paper/render.h"

#include <stdint.h>

#include "paper/wrap.h"

/* Code points outside А..я with a byte of their own, or a stand-in. */
static const struct { uint32_t cp; unsigned char b; } cp866_extra[] = {
	{ 0x00a0, 0xff },   /* no-break space */
	{ 0x00ab, '"' },    /* « */
	{ 0x00b0, 0xf8 },   /* ° */
	{ 0x00b7, 0xfa },   /* · */
	{ 0x00bb, '"' },    /* » */
	{ 0x0401, 0xf0 },   /* Ё */
	{ 0x0404, 0xf2 },   /* Є */
	{ 0x0406, 'I' },    /* І */
	{ 0x0407, 0xf4 },   /* Ї */
	{ 0x040e, 0xf6 },   /* Ў */
	{ 0x0451, 0xf1 },   /* ё */
	{ 0x0454, 0xf3 },   /* є */
	{ 0x0456, 'i' },    /* і */
	{ 0x0457, 0xf5 },   /* ї */
	{ 0x045e, 0xf7 },   /* ў */
	{ 0x0490, 0x83 },   /* Ґ -> Г */
	{ 0x0491, 0xa3 },   /* ґ -> г */
	{ 0x02bc, '\'' },   /* ʼ modifier letter apostrophe */
	{ 0x2013, '-' },    /* – */
	{ 0x2014, '-' },    /* — */
	{ 0x2018, '\'' },
	{ 0x2019, '\'' },   /* ’ */
	{ 0x201c, '"' },
	{ 0x201d, '"' },
	{ 0x201e, '"' },
	{ 0x2116, 0xfc },   /* № */
	{ 0x2219, 0xf9 },   /* ∙ */
	{ 0x221a, 0xfb },   /* √ */
	{ 0x25a0, 0xfe },   /* ■ */
};

static unsigned char
cp866_byte(uint32_t cp)
{
	if (cp < 0x80)
		return (unsigned char)cp;
	if (cp >= 0x0410 && cp <= 0x043f)           /* А..п */
		return (unsigned char)(0x80 + (cp - 0x0410));
	if (cp >= 0x0440 && cp <= 0x044f)           /* р..я */
		return (unsigned char)(0xe0 + (cp - 0x0440));
	for (size_t i = 0; i < sizeof cp866_extra / sizeof cp866_extra[0]; i++)
		if (cp866_extra[i].cp == cp)
			return cp866_extra[i].b;
	return '?';
}

int
paper_cp866(const char *s, size_t len, struct paper_bytes *out)
{
	size_t i = 0;

	while (i < len) {
		uint32_t cp = paper_utf8_next(s, len, &i);
		unsigned char b;
		if (cp == 0x2026) {                     /* … */
			if (paper_bytes_add(out, "...", 3))
				return -1;
			continue;
		}
		b = cp866_byte(cp);
		if (paper_bytes_add(out, &b, 1))
			return -1;
	}
	return 0;
}
