/*
 * tscan.c — scans for tests (tscan.h).  The bytes between the start and
 * the end are a splitmix64 stream: the same seed gives the same file.
 */
#include "tests/lib/tscan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/dat.h"

static uint64_t
mix(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static void
noise(uint8_t *p, size_t n, uint64_t seed)
{
	uint64_t s = seed;

	for (size_t i = 0; i < n; i += 8) {
		uint64_t v = mix(&s);

		memcpy(p + i, &v, n - i < 8 ? n - i : 8);
	}
}

static void
be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* A PNG chunk at p: length, type, data (already there), CRC. */
static size_t
png_chunk(uint8_t *p, const char *type, size_t len)
{
	be32(p, (uint32_t)len);
	memcpy(p + 4, type, 4);
	be32(p + 8 + len, hr_dat_crc32(0, p + 4, 4 + len));
	return 12 + len;
}

static void
fill_png(uint8_t *b, size_t size, uint64_t seed)
{
	static const uint8_t sig[8] = { 0x89, 'P', 'N', 'G', 0x0d, 0x0a,
	    0x1a, 0x0a };
	size_t off = 8, idat;

	memcpy(b, sig, 8);
	be32(b + off + 8, 640);                 /* IHDR: 640 x 480 gray */
	be32(b + off + 12, 480);
	memcpy(b + off + 16, "\x08\x00\x00\x00\x00", 5);
	off += png_chunk(b + off, "IHDR", 13);
	idat = size - off - 12 - 12;
	noise(b + off + 8, idat, seed);
	off += png_chunk(b + off, "IDAT", idat);
	png_chunk(b + off, "IEND", 0);
}

static void
fill_jpeg(uint8_t *b, size_t size, uint64_t seed)
{
	static const uint8_t soi[] = { 0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 'J',
	    'F', 'I', 'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01,
	    0x00, 0x00 };

	memcpy(b, soi, sizeof soi);
	noise(b + sizeof soi, size - sizeof soi - 2, seed);
	for (size_t i = sizeof soi; i < size - 2; i++)
		if (b[i] == 0xff)
			b[i] = 0xfe;               /* no stray markers */
	b[size - 2] = 0xff;
	b[size - 1] = 0xd9;
}

static void
fill_pdf(uint8_t *b, size_t size, uint64_t seed)
{
	static const char head[] = "%PDF-1.4\n% hromada test scan\n";
	static const char tail[] = "\n%%EOF\n";
	size_t mid = size - (sizeof head - 1) - (sizeof tail - 1);

	memcpy(b, head, sizeof head - 1);
	noise(b + sizeof head - 1, mid, seed);
	for (size_t i = 0; i < mid; i++)         /* printable, no "%%EOF" */
		b[sizeof head - 1 + i] = (uint8_t)('a' + b[sizeof head - 1 + i] %
		    26);
	memcpy(b + size - (sizeof tail - 1), tail, sizeof tail - 1);
}

void
tscan_fill(uint8_t *buf, size_t size, enum hr_filetype type, uint64_t seed)
{
	if (type == HR_FT_PNG)
		fill_png(buf, size, seed);
	else if (type == HR_FT_PDF)
		fill_pdf(buf, size, seed);
	else
		fill_jpeg(buf, size, seed);
}

int
tscan_write(const char *path, size_t size, enum hr_filetype type,
    uint64_t seed)
{
	uint8_t *b = malloc(size);
	FILE *f;
	int rc = -1;

	if (b == NULL)
		return -1;
	tscan_fill(b, size, type, seed);
	if ((f = fopen(path, "wb")) != NULL) {
		rc = fwrite(b, 1, size, f) == size ? 0 : -1;
		if (fclose(f) != 0)
			rc = -1;
	}
	free(b);
	return rc;
}

uint8_t *
tscan_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *b = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (b = malloc((size_t)n + 1)) != NULL &&
	    fread(b, 1, (size_t)n, f) != (size_t)n) {
		free(b);
		b = NULL;
	}
	if (b != NULL)
		*len = (size_t)n;
	fclose(f);
	return b;
}
