/*
 * test_frame.c — hr_frame_peek on complete, partial, empty and oversize
 * frames.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "proto/frame.h"

static void
test_len_roundtrip(void **state)
{
	uint8_t hdr[4];

	hr_frame_put_len(hdr, 0x01020304u);
	assert_memory_equal(hdr, "\x01\x02\x03\x04", 4);
	assert_int_equal(hr_frame_get_len(hdr), 0x01020304u);
}

static void
test_complete(void **state)
{
	uint8_t         buf[4 + 5] = { 0, 0, 0, 5, 'h', 'e', 'l', 'l', 'o' };
	size_t          n = 0;
	struct hr_error err;

	assert_int_equal(hr_frame_peek(buf, sizeof buf, HR_FRAME_MAX, &n, &err), 1);
	assert_int_equal(n, 5);
	/* extra bytes after the frame belong to the next one */
	uint8_t more[12] = { 0, 0, 0, 1, 'x', 0, 0 };
	assert_int_equal(hr_frame_peek(more, sizeof more, HR_FRAME_MAX, &n, &err), 1);
	assert_int_equal(n, 1);
}

static void
test_partial(void **state)
{
	uint8_t         buf[4 + 5] = { 0, 0, 0, 5, 'h', 'e', 'l', 'l', 'o' };
	size_t          n = 99;
	struct hr_error err;

	for (size_t avail = 0; avail < 4; avail++)          /* partial header */
		assert_int_equal(hr_frame_peek(buf, avail, HR_FRAME_MAX, &n, &err), 0);
	for (size_t avail = 4; avail < sizeof buf; avail++) /* partial body */
		assert_int_equal(hr_frame_peek(buf, avail, HR_FRAME_MAX, &n, &err), 0);
	assert_int_equal(n, 99);
}

static void
test_zero_length(void **state)
{
	uint8_t         buf[4] = { 0, 0, 0, 0 };
	size_t          n;
	struct hr_error err;

	hr_error_clear(&err);
	assert_int_equal(hr_frame_peek(buf, 4, HR_FRAME_MAX, &n, &err), -1);
	assert_int_equal(err.code, HR_E_PROTOCOL);
}

static void
test_oversize(void **state)
{
	uint8_t         hdr[4];
	size_t          n;
	struct hr_error err;

	/* over the caller's limit: refused from the header alone */
	hr_frame_put_len(hdr, 101);
	assert_int_equal(hr_frame_peek(hdr, 4, 100, &n, &err), -1);
	assert_int_equal(err.code, HR_E_PROTOCOL);
	hr_frame_put_len(hdr, 100);
	assert_int_equal(hr_frame_peek(hdr, 4, 100, &n, &err), 0);
	/* the protocol ceiling holds whatever the caller asks */
	hr_frame_put_len(hdr, HR_FRAME_MAX + 1);
	assert_int_equal(hr_frame_peek(hdr, 4, SIZE_MAX, &n, &err), -1);
	hr_frame_put_len(hdr, 0xffffffffu);
	assert_int_equal(hr_frame_peek(hdr, 4, SIZE_MAX, &n, &err), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_len_roundtrip),
		cmocka_unit_test(test_complete),
		cmocka_unit_test(test_partial),
		cmocka_unit_test(test_zero_length),
		cmocka_unit_test(test_oversize),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
