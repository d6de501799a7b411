/*
 * test_filetype.c — scans judged by their bytes (proto/filetype.h) and
 * named by their hash (proto/filehash.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "proto/filehash.h"
#include "proto/filetype.h"

static uint8_t buf[8192];

static int
check(enum hr_filetype t, const uint8_t *p, size_t n, struct hr_error *err)
{
	size_t nh = n < HR_FILETYPE_HEAD ? n : HR_FILETYPE_HEAD;
	size_t nt = n < HR_FILETYPE_TAIL ? n : HR_FILETYPE_TAIL;

	return hr_filetype_check(t, p, nh, p + n - nt, nt, n, err);
}

static void
test_jpeg(void **state)
{
	struct hr_error err;

	(void)state;
	memset(buf, 0x55, sizeof buf);
	memcpy(buf, "\xff\xd8\xff\xe0", 4);
	buf[sizeof buf - 2] = 0xff;
	buf[sizeof buf - 1] = 0xd9;
	assert_int_equal(hr_filetype_sniff(buf, sizeof buf), HR_FT_JPEG);
	assert_int_equal(check(HR_FT_JPEG, buf, sizeof buf, &err), 0);
	/* Padding after the end marker is fine; a file cut short is not. */
	memcpy(buf + sizeof buf - 12, "\xff\xd9\0\0\0\0\0\0\0\0\0\0", 12);
	assert_int_equal(check(HR_FT_JPEG, buf, sizeof buf, &err), 0);
	assert_int_equal(check(HR_FT_JPEG, buf, sizeof buf - 100, &err), -1);
	assert_int_equal(err.code, HR_E_INVALID);
	assert_non_null(strstr(err.msg, "cut short"));
}

static void
test_png_pdf_tiff(void **state)
{
	static const uint8_t png[8] = { 0x89, 'P', 'N', 'G', 13, 10, 26, 10 };
	static const uint8_t iend[12] = { 0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae,
	    0x42, 0x60, 0x82 };
	struct hr_error err;

	(void)state;
	memset(buf, 0, sizeof buf);
	memcpy(buf, png, 8);
	memcpy(buf + 12, "IHDR", 4);
	memcpy(buf + sizeof buf - 12, iend, 12);
	assert_int_equal(hr_filetype_sniff(buf, sizeof buf), HR_FT_PNG);
	assert_int_equal(check(HR_FT_PNG, buf, sizeof buf, &err), 0);
	assert_int_equal(check(HR_FT_PNG, buf, sizeof buf - 1, &err), -1);

	memset(buf, ' ', sizeof buf);
	memcpy(buf + 10, "%PDF-1.7", 8);         /* junk before is allowed */
	memcpy(buf + sizeof buf - 7, "%%EOF\r\n", 7);
	assert_int_equal(hr_filetype_sniff(buf, sizeof buf), HR_FT_PDF);
	assert_int_equal(check(HR_FT_PDF, buf, sizeof buf, &err), 0);
	assert_int_equal(check(HR_FT_PDF, buf, sizeof buf - 10, &err), -1);

	memset(buf, 0, sizeof buf);
	memcpy(buf, "II*\0\x08\0\0\0", 8);       /* first directory at 8 */
	assert_int_equal(hr_filetype_sniff(buf, sizeof buf), HR_FT_TIFF);
	assert_int_equal(check(HR_FT_TIFF, buf, sizeof buf, &err), 0);
	memcpy(buf, "MM\0*\0\0\x40\0", 8);       /* 16384: past the end */
	assert_int_equal(hr_filetype_sniff(buf, sizeof buf), HR_FT_TIFF);
	assert_int_equal(check(HR_FT_TIFF, buf, sizeof buf, &err), -1);
}

static void
test_not_a_scan(void **state)
{
	struct hr_error err;

	(void)state;
	memset(buf, 'x', sizeof buf);
	memcpy(buf, "PK\3\4", 4);                /* a .docx is a zip */
	assert_int_equal(hr_filetype_sniff(buf, sizeof buf), HR_FT_NONE);
	assert_int_equal(check(HR_FT_JPEG, buf, sizeof buf, &err), -1);
	assert_non_null(strstr(err.msg, "not a JPEG, PNG, PDF or TIFF"));
	assert_int_equal(hr_filetype_sniff(buf, 0), HR_FT_NONE);
	assert_int_equal(hr_filetype_sniff((const uint8_t *)"\xff\xd8", 2),
	    HR_FT_NONE);
	assert_string_equal(hr_filetype_name(HR_FT_TIFF), "tiff");
	assert_int_equal(hr_filetype_from_name("pdf"), HR_FT_PDF);
	assert_int_equal(hr_filetype_from_name("gif"), HR_FT_NONE);
	assert_null(hr_filetype_name(HR_FT_NONE));
}

static void
test_hash(void **state)
{
	/* BLAKE2b-256("abc"), as `printf abc | b2sum -l 256` prints it. */
	static const char want[] = "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319";
	uint8_t h[HR_FILE_HASH_LEN], back[HR_FILE_HASH_LEN];
	char hex[HR_FILE_HASH_HEX];

	(void)state;
	hr_filehash_mem("abc", 3, h);
	hr_filehash_hex(h, hex);
	assert_string_equal(hex, want);
	assert_int_equal(hr_filehash_parse(want, strlen(want), back), 0);
	assert_memory_equal(back, h, sizeof h);
	assert_int_equal(hr_filehash_parse(want, 63, back), -1);
	assert_int_equal(hr_filehash_parse("zz", 2, back), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jpeg),
		cmocka_unit_test(test_png_pdf_tiff),
		cmocka_unit_test(test_not_a_scan),
		cmocka_unit_test(test_hash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
