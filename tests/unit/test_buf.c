/*
 * test_buf.c — hr_buf: limit, growth, lazy compaction; hr_grow.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "proto/buf.h"

static void
test_append_consume(void **state)
{
	struct hr_buf b;
	uint8_t       chunk[100];

	memset(chunk, 'x', sizeof chunk);
	hr_buf_init(&b, 1000);
	for (int i = 0; i < 10; i++)
		assert_int_equal(hr_buf_append(&b, chunk, sizeof chunk), 0);
	assert_int_equal(hr_buf_used(&b), 1000);
	assert_int_equal(hr_buf_append(&b, "y", 1), -1);    /* over the limit */
	hr_buf_consume(&b, 300);
	assert_int_equal(hr_buf_used(&b), 700);
	assert_int_equal(hr_buf_append(&b, chunk, sizeof chunk), 0);  /* compacts */
	assert_int_equal(hr_buf_used(&b), 800);
	assert_true(b.cap <= 1000);
	assert_int_equal(hr_buf_head(&b)[0], 'x');
	hr_buf_consume(&b, 800);
	assert_int_equal(b.off, 0);
	assert_int_equal(b.len, 0);
	hr_buf_free(&b);
}

static void
test_reserve_commit(void **state)
{
	struct hr_buf b;
	uint8_t      *p;

	hr_buf_init(&b, 64);
	assert_null(hr_buf_reserve(&b, 65));
	assert_non_null(p = hr_buf_reserve(&b, 10));
	memcpy(p, "0123456789", 10);
	hr_buf_commit(&b, 4);
	assert_int_equal(hr_buf_used(&b), 4);
	assert_memory_equal(hr_buf_head(&b), "0123", 4);
	assert_null(hr_buf_reserve(&b, 61));
	assert_non_null(hr_buf_reserve(&b, 60));
	hr_buf_free(&b);
}

/* hr_grow: the same array while there is room, `first` at the first
 * growth, twice the room after, what was held kept; an impossible size
 * refused with the array and its room unchanged. */
static void
test_grow(void **state)
{
	int64_t *v = NULL, *nv;
	size_t cap = 0, n = 0;

	(void)state;
	for (int64_t i = 0; i < 20; i++) {
		assert_non_null(v = hr_grow(v, &cap, n, sizeof *v, 4));
		assert_true(n < cap);
		v[n++] = i * 7;
	}
	assert_int_equal(cap, 32);                   /* 4, 8, 16, 32 */
	for (size_t i = 0; i < n; i++)
		assert_int_equal(v[i], (int64_t)i * 7);
	nv = hr_grow(v, &cap, 5, sizeof *v, 4);      /* room: the same */
	assert_ptr_equal(nv, v);
	assert_int_equal(cap, 32);
	assert_null(hr_grow(v, &cap, cap, SIZE_MAX / 8, 4));
	assert_int_equal(cap, 32);
	assert_int_equal(v[19], 19 * 7);
	free(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_append_consume),
		cmocka_unit_test(test_reserve_commit),
		cmocka_unit_test(test_grow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
