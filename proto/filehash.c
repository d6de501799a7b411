/*
 * filehash.c — BLAKE2b-256 of files and chunks, and its hex form
 * (filehash.h).
 */
#include "proto/filehash.h"

#include <errno.h>
#include <string.h>

#include <sodium.h>

#include "proto/fileio.h"

#define FILEHASH_BUF 65536u

void
hr_filehash_hex(const uint8_t h[HR_FILE_HASH_LEN], char out[HR_FILE_HASH_HEX])
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < HR_FILE_HASH_LEN; i++) {
		out[2 * i] = digits[h[i] >> 4];
		out[2 * i + 1] = digits[h[i] & 15];
	}
	out[2 * HR_FILE_HASH_LEN] = '\0';
}

static int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
hr_filehash_parse(const char *hex, size_t len, uint8_t out[HR_FILE_HASH_LEN])
{
	if (len != 2 * HR_FILE_HASH_LEN)
		return -1;
	for (size_t i = 0; i < HR_FILE_HASH_LEN; i++) {
		int hi = hex_digit(hex[2 * i]), lo = hex_digit(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

void
hr_filehash_mem(const void *p, size_t n, uint8_t out[HR_FILE_HASH_LEN])
{
	crypto_generichash(out, HR_FILE_HASH_LEN, p, n, NULL, 0);
}

static int
hash_piece(void *ud, const void *buf, size_t n)
{
	crypto_generichash_update(ud, buf, n);
	return 0;
}

int
hr_filehash_fd(int fd, uint64_t len, uint8_t out[HR_FILE_HASH_LEN],
    struct hr_error *err)
{
	crypto_generichash_state st;
	uint8_t buf[FILEHASH_BUF];
	int rc;

	crypto_generichash_init(&st, NULL, 0, HR_FILE_HASH_LEN);
	rc = hr_pread_each(fd, len, buf, sizeof buf, hash_piece, &st);
	if (rc == HR_FILEIO_SHORT)
		return hr_errorf(err, HR_E_IO, "file.short", "the file is "
		    "shorter than {size} bytes", HR_INT("size", len));
	if (rc < 0)
		return hr_errorf(err, HR_E_IO, "file.read", "cannot read the "
		    "file: {why}", HR_STR("why", strerror(errno)));
	crypto_generichash_final(&st, out, HR_FILE_HASH_LEN);
	return 0;
}
