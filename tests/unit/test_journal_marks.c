/*
 * test_journal_marks.c — the journal's marked set (tui/journal_marks.h):
 * toggling, the bound, and a journal.list `marks` reply (ids newest first
 * as differences) merged into what is marked already.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "proto/rpc.h"
#include "proto/workflow.h"
#include "tui/journal_marks.h"

static void
test_toggle(void **state)
{
	struct jmarks s = { NULL, 0, 0 };

	(void)state;
	assert_int_equal(jmarks_toggle(&s, 30, 2), 1);
	assert_int_equal(jmarks_toggle(&s, 10, 1), 1);
	assert_int_equal(jmarks_toggle(&s, 20, 5), 1);
	assert_true(jmarks_has(&s, 20));
	assert_int_equal(s.n, 3);
	assert_int_equal(s.m[0].id, 10);      /* sorted */
	assert_int_equal(s.m[2].id, 30);
	assert_int_equal(jmarks_toggle(&s, 20, 5), 0);
	assert_false(jmarks_has(&s, 20));
	assert_int_equal(s.n, 2);
	jmarks_clear(&s);
	assert_int_equal(s.n, 0);
	assert_false(jmarks_has(&s, 10));
	for (int i = 1; i <= HR_BATCH_MAX; i++)
		assert_int_equal(jmarks_add(&s, i, 1), 1);
	assert_int_equal(jmarks_add(&s, HR_BATCH_MAX + 1, 1), -1);
	assert_int_equal(jmarks_add(&s, 5, 7), 1);   /* already: new version */
	assert_int_equal(s.m[4].version, 7);
	jmarks_free(&s);
}

/* {count, over, ids, versions} */
static void
pack_marks(msgpack_sbuffer *sb, int64_t count, const int64_t *ids,
    const int64_t *vers, size_t n)
{
	msgpack_packer pk;

	msgpack_packer_init(&pk, sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 4);
	hr_pack_kv_int(&pk, "count", count);
	hr_pack_kv_bool(&pk, "over", 0);
	hr_pack_str(&pk, "ids");
	msgpack_pack_array(&pk, (uint32_t)n);
	for (size_t i = 0; i < n; i++)
		msgpack_pack_int64(&pk, ids[i]);
	hr_pack_str(&pk, "versions");
	msgpack_pack_array(&pk, (uint32_t)n);
	for (size_t i = 0; i < n; i++)
		msgpack_pack_int64(&pk, vers[i]);
}

static void
test_take(void **state)
{
	/* 50, 47, 40, 7: differences 50, 3, 7, 33 */
	static const int64_t ids[] = { 50, 3, 7, 33 }, vers[] = { 4, 1, 9, 2 };
	static const int64_t bad[] = { 5, 9 }, vbad[] = { 1, 1 };
	struct jmarks s = { NULL, 0, 0 };
	msgpack_sbuffer sb;
	msgpack_unpacked u;
	int64_t count;
	int over;

	(void)state;
	jmarks_add(&s, 47, 1);           /* marked before, an older version */
	jmarks_add(&s, 100, 3);
	msgpack_sbuffer_init(&sb);
	pack_marks(&sb, 4, ids, vers, 4);
	msgpack_unpacked_init(&u);
	assert_int_equal(msgpack_unpack_next(&u, sb.data, sb.size, NULL),
	    MSGPACK_UNPACK_SUCCESS);
	assert_int_equal(jmarks_take(&s, &u.data, &count, &over), 5);
	assert_int_equal(count, 4);
	assert_false(over);
	assert_true(jmarks_has(&s, 50) && jmarks_has(&s, 47) &&
	    jmarks_has(&s, 40) && jmarks_has(&s, 7) && jmarks_has(&s, 100));
	assert_int_equal(s.m[0].id, 7);
	assert_int_equal(s.m[0].version, 2);
	assert_int_equal(s.m[2].id, 47);
	assert_int_equal(s.m[2].version, 1);  /* the server's, now */
	msgpack_unpacked_destroy(&u);
	msgpack_sbuffer_destroy(&sb);

	/* ids that go below 1: malformed, nothing added */
	msgpack_sbuffer_init(&sb);
	pack_marks(&sb, 2, bad, vbad, 2);
	msgpack_unpacked_init(&u);
	assert_int_equal(msgpack_unpack_next(&u, sb.data, sb.size, NULL),
	    MSGPACK_UNPACK_SUCCESS);
	assert_int_equal(jmarks_take(&s, &u.data, &count, &over), -1);
	assert_int_equal(s.n, 5);
	msgpack_unpacked_destroy(&u);
	msgpack_sbuffer_destroy(&sb);
	jmarks_free(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_toggle),
		cmocka_unit_test(test_take),
	};

	return cmocka_run_group_tests_name("journal marks", tests, NULL, NULL);
}
