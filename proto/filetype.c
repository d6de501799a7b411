/*
 * filetype.c — the type of a scan from its bytes (filetype.h).
 *
 * One row per type: its names and two small functions, one for the start
 * of a file and one for its end.  The signatures are the formats' own:
 *   JPEG  FF D8 FF ...                      ... FF D9 (EOI)
 *   PNG   89 50 4E 47 0D 0A 1A 0A, IHDR     ... IEND chunk
 *   PDF   %PDF- within the first 1024 bytes ... %%EOF in the last 1024
 *   TIFF  II*\0 / MM\0* (BigTIFF II+\0 / MM\0+), first directory inside
 * Trailing bytes after a JPEG's EOI or a PNG's IEND (some scanners pad
 * their files) are accepted when the marker lies in the tail we look at.
 */
#include "proto/filetype.h"

#include <string.h>

#define PDF_WINDOW 1024u

/* Why a file that starts as a scan is not a whole one (structured
 * errors, proto/error.h: the texts are in po/uk.po). */
enum ftype_why { WHY_OK, WHY_JPEG_END, WHY_PNG_END, WHY_PDF_END,
    WHY_BIGTIFF, WHY_TIFF_DIR };

static const struct { const char *id, *text; } ftype_whys[] = {
	[WHY_JPEG_END] = { "filetype.jpeg_end", HR_MSGID("the file starts as "
	    "a JPEG but has no end-of-image marker (FF D9): it was cut short "
	    "or is damaged") },
	[WHY_PNG_END]  = { "filetype.png_end", HR_MSGID("the file starts as a "
	    "PNG but has no IEND chunk: it was cut short or is damaged") },
	[WHY_PDF_END]  = { "filetype.pdf_end", HR_MSGID("the file starts as a "
	    "PDF but has no %%EOF in its last 1024 bytes: it was cut short or "
	    "is damaged") },
	[WHY_BIGTIFF]  = { "filetype.bigtiff", HR_MSGID("the file starts as a "
	    "BigTIFF but its header is damaged") },
	[WHY_TIFF_DIR] = { "filetype.tiff_dir", HR_MSGID("the file starts as a "
	    "TIFF but its first image directory lies outside the file: it was "
	    "cut short or is damaged") },
};

struct ftype_row {
	enum hr_filetype type;
	const char   *name, *label;
	int  (*head)(const uint8_t *p, size_t n);
	enum ftype_why (*tail)(const uint8_t *head, size_t nhead,
	         const uint8_t *tail, size_t ntail, uint64_t size);
};

/* Last occurrence of needle[0..k) in p[0..n); -1 if none. */
static long
find_last(const uint8_t *p, size_t n, const void *needle, size_t k)
{
	if (k == 0 || n < k)
		return -1;
	for (size_t i = n - k + 1; i-- > 0;)
		if (memcmp(p + i, needle, k) == 0)
			return (long)i;
	return -1;
}

/* ---- JPEG ---- */

static int
jpeg_head(const uint8_t *p, size_t n)
{
	return n >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff;
}

static enum ftype_why
jpeg_tail(const uint8_t *head, size_t nhead, const uint8_t *t, size_t n,
    uint64_t size)
{
	static const uint8_t eoi[2] = { 0xff, 0xd9 };

	(void)head;
	(void)nhead;
	return size < 4 || find_last(t, n, eoi, 2) < 0 ? WHY_JPEG_END : WHY_OK;
}

/* ---- PNG ---- */

static const uint8_t png_sig[8] = { 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a };

static int
png_head(const uint8_t *p, size_t n)
{
	return n >= 16 && memcmp(p, png_sig, 8) == 0 &&
	    memcmp(p + 12, "IHDR", 4) == 0;
}

static enum ftype_why
png_tail(const uint8_t *head, size_t nhead, const uint8_t *t, size_t n,
    uint64_t size)
{
	/* The IEND chunk: length 0, type, CRC of the type. */
	static const uint8_t iend[12] = { 0, 0, 0, 0, 'I', 'E', 'N', 'D',
	    0xae, 0x42, 0x60, 0x82 };

	(void)head;
	(void)nhead;
	return size < 8 + 25 + 12 || find_last(t, n, iend, sizeof iend) < 0 ?
	    WHY_PNG_END : WHY_OK;
}

/* ---- PDF ---- */

static int
pdf_head(const uint8_t *p, size_t n)
{
	return find_last(p, n < PDF_WINDOW ? n : PDF_WINDOW, "%PDF-", 5) >= 0;
}

static enum ftype_why
pdf_tail(const uint8_t *head, size_t nhead, const uint8_t *t, size_t n,
    uint64_t size)
{
	size_t w = n < PDF_WINDOW ? n : PDF_WINDOW;

	(void)head;
	(void)nhead;
	(void)size;
	return find_last(t + n - w, w, "%%EOF", 5) < 0 ? WHY_PDF_END : WHY_OK;
}

/* ---- TIFF ---- */

static int
tiff_head(const uint8_t *p, size_t n)
{
	if (n < 8)
		return 0;
	return (p[0] == 'I' && p[1] == 'I' && (p[2] == 42 || p[2] == 43) &&
	    p[3] == 0) || (p[0] == 'M' && p[1] == 'M' && p[2] == 0 &&
	    (p[3] == 42 || p[3] == 43));
}

static uint64_t
tiff_uint(const uint8_t *p, size_t k, int big_endian)
{
	uint64_t v = 0;

	for (size_t i = 0; i < k; i++)
		v |= (uint64_t)p[big_endian ? i : k - 1 - i] << (8 * (k - 1 - i));
	return v;
}

static enum ftype_why
tiff_tail(const uint8_t *h, size_t nhead, const uint8_t *t, size_t n,
    uint64_t size)
{
	int be = h[0] == 'M', big = (be ? h[3] : h[2]) == 43;
	uint64_t first, min = big ? 16 : 8;

	(void)t;
	(void)n;
	if (big && (nhead < 16 || tiff_uint(h + 4, 2, be) != 8))
		return WHY_BIGTIFF;
	first = big ? tiff_uint(h + 8, 8, be) : tiff_uint(h + 4, 4, be);
	return first < min || first > size - 2 ? WHY_TIFF_DIR : WHY_OK;
}

static const struct ftype_row ftypes[] = {
	{ HR_FT_JPEG, "jpeg", "JPEG", jpeg_head, jpeg_tail },
	{ HR_FT_PNG,  "png",  "PNG",  png_head,  png_tail },
	{ HR_FT_PDF,  "pdf",  "PDF",  pdf_head,  pdf_tail },
	{ HR_FT_TIFF, "tiff", "TIFF", tiff_head, tiff_tail },
};
#define NFTYPES (sizeof ftypes / sizeof ftypes[0])

static const struct ftype_row *
ftype_row(enum hr_filetype t)
{
	for (size_t i = 0; i < NFTYPES; i++)
		if (ftypes[i].type == t)
			return &ftypes[i];
	return NULL;
}

enum hr_filetype
hr_filetype_sniff(const uint8_t *head, size_t n)
{
	for (size_t i = 0; i < NFTYPES; i++)
		if (ftypes[i].head(head, n))
			return ftypes[i].type;
	return HR_FT_NONE;
}

int
hr_filetype_check(enum hr_filetype type, const uint8_t *head, size_t nhead,
    const uint8_t *tail, size_t ntail, uint64_t size, struct hr_error *err)
{
	const struct ftype_row *r = ftype_row(type);
	enum ftype_why why;

	if (r == NULL || !r->head(head, nhead))
		return hr_errorf(err, HR_E_INVALID, "filetype.unknown", "the file "
		    "is not a JPEG, PNG, PDF or TIFF scan");
	if ((why = r->tail(head, nhead, tail, ntail, size)) == WHY_OK)
		return 0;
	return hr_errorf_text(err, HR_E_INVALID, ftype_whys[why].id,
	    ftype_whys[why].text);
}

const char *
hr_filetype_name(enum hr_filetype t)
{
	const struct ftype_row *r = ftype_row(t);

	return r ? r->name : NULL;
}

enum hr_filetype
hr_filetype_from_name(const char *name)
{
	for (size_t i = 0; name != NULL && i < NFTYPES; i++)
		if (strcmp(ftypes[i].name, name) == 0)
			return ftypes[i].type;
	return HR_FT_NONE;
}

const char *
hr_filetype_label(enum hr_filetype t)
{
	const struct ftype_row *r = ftype_row(t);

	return r ? r->label : "?";
}
