/*
 * test_error.c — structured errors (proto/error.h): the English message of
 * hr_errorf and of contexts put in front, rendering through a catalogue
 * and value hooks, the bounds (values cut on a character, parts beyond
 * the limit kept in English only), and the way over the wire: packed by
 * hr_rpc_pack_error, decoded, read back by hr_rpc_error_read identical.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <msgpack.h>

#include "proto/error.h"
#include "proto/rpc.h"

static void
test_english(void **state)
{
	struct hr_error e;

	hr_error_clear(&e);
	assert_int_equal(hr_errorf(&e, HR_E_INVALID, "dat.not_integer",
	    "\"{value}\" is not a whole number", HR_STR("value", "3125,50")), -1);
	assert_int_equal(e.code, HR_E_INVALID);
	assert_string_equal(e.id, "dat.not_integer");
	assert_string_equal(e.msg, "\"3125,50\" is not a whole number");
	hr_error_prefix(&e, "line {line}, field {field}", HR_INT("line", 2),
	    HR_STR("field", "amount"));
	assert_string_equal(e.msg,
	    "line 2, field amount: \"3125,50\" is not a whole number");
	assert_string_equal(e.id, "dat.not_integer");
	assert_int_equal(e.nparts, 2);
	assert_string_equal(hr_error_value(&e, "line"), "2");
	assert_string_equal(hr_error_value(&e, "value"), "3125,50");
	assert_null(hr_error_value(&e, "nothing"));

	/* no values at all; a placeholder without a value stays */
	hr_errorf(&e, HR_E_STATE, "x.y", "plain {unknown} text");
	assert_string_equal(e.msg, "plain {unknown} text");
	hr_error_at(&e, "applicant.rnokpp");
	assert_string_equal(e.msg, "applicant.rnokpp: plain {unknown} text");
	assert_string_equal(hr_error_value(&e, "path"), "applicant.rnokpp");
}

/* An error from hr_error_set gets a context as a literal part. */
static void
test_unstructured(void **state)
{
	struct hr_error e;
	char out[256];

	hr_error_set(&e, HR_E_INTERNAL, "sqlite: disk I/O error");
	assert_int_equal(e.nparts, 0);
	hr_error_at(&e, "income[1]");
	assert_string_equal(e.msg, "income[1]: sqlite: disk I/O error");
	assert_true(hr_error_part_raw(&e, 0));
	/* rendered in a language, an unstructured error is its code's text */
	hr_error_set(&e, HR_E_BUSY, "queue full");
	hr_error_render(&e, NULL, out, sizeof out);
	assert_string_equal(out, "queue full");
}

static const char *
fake_translate(const char *msgid)
{
	if (strcmp(msgid, "line {line}, field {field}") == 0)
		return "рядок {line}, поле {field}";
	if (strcmp(msgid, "\"{value}\" is not a whole number") == 0)
		return "«{value}» — не ціле число";
	if (strcmp(msgid, "Server is busy, try again") == 0)
		return "Сервер зайнятий";
	return msgid;
}

static const char *
fake_value(const char *name, const char *val, char *buf, size_t cap)
{
	if (strcmp(name, "field") == 0 && strcmp(val, "amount") == 0)
		return "«сума»";
	return NULL;
}

static void
test_render(void **state)
{
	const struct hr_error_lang uk = { fake_translate, fake_value };
	struct hr_error e;
	char out[256];

	hr_errorf(&e, HR_E_INVALID, "dat.not_integer",
	    "\"{value}\" is not a whole number", HR_STR("value", "3125,50"));
	hr_error_prefix(&e, "line {line}, field {field}", HR_INT("line", 2),
	    HR_STR("field", "amount"));
	assert_string_equal(hr_error_render(&e, &uk, out, sizeof out),
	    "рядок 2, поле «сума»: «3125,50» — не ціле число");
	assert_string_equal(hr_error_render(&e, NULL, out, sizeof out), e.msg);
	/* a short buffer is cut on a character, always terminated */
	hr_error_render(&e, &uk, out, 12);
	assert_true(strlen(out) <= 11);
	assert_string_equal(out, "рядок ");  /* 11 bytes: the space fits, "2" not */
	hr_error_set(&e, HR_E_BUSY, "login queue full");
	assert_string_equal(hr_error_render(&e, &uk, out, sizeof out),
	    "Сервер зайнятий");
}

static void
test_bounds(void **state)
{
	struct hr_error e;
	char big[600];

	/* a value longer than HR_ERROR_VALUE_MAX is cut on a character + … */
	for (size_t i = 0; i + 2 < sizeof big; i += 2)
		memcpy(big + i, "ї", 2);
	big[sizeof big - 2] = '\0';
	hr_errorf(&e, HR_E_INVALID, "v", "{value}", HR_STR("value", big));
	assert_true(strlen(hr_error_value(&e, "value")) <= HR_ERROR_VALUE_MAX);
	assert_non_null(strstr(hr_error_value(&e, "value"), "…"));
	/* the English message shows the value as kept */
	assert_string_equal(e.msg, hr_error_value(&e, "value"));

	/* more contexts than parts: the English message keeps them all */
	hr_errorf(&e, HR_E_INVALID, "v", "inner");
	for (int k = 0; k < HR_ERROR_PARTS_MAX + 2; k++)
		hr_error_prefix(&e, "c{n}", HR_INT("n", k));
	assert_int_equal(e.nparts, HR_ERROR_PARTS_MAX);
	assert_string_equal(e.msg, "c5: c4: c3: c2: c1: c0: inner");
}

/* Pack an error response, decode it, read the error back. */
static void
roundtrip(const struct hr_error *in, struct hr_error *out)
{
	msgpack_sbuffer sb;
	msgpack_packer  pk;
	msgpack_zone    zone;
	struct hr_msg   m;
	struct hr_error err;

	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	hr_rpc_pack_error(&pk, 7, in);
	msgpack_zone_init(&zone, 1024);
	assert_int_equal(hr_rpc_decode((const uint8_t *)sb.data, sb.size, &zone,
	    &m, &err), 0);
	assert_int_equal(m.msgid, 7);
	hr_rpc_error_read(&m, out);
	msgpack_zone_destroy(&zone);
	msgpack_sbuffer_destroy(&sb);
}

static void
test_wire(void **state)
{
	struct hr_error e, r;
	char a[256], b[256];

	hr_errorf(&e, HR_E_DUPLICATE, "dat.answer_imported",
	    "answer {system} No. {number} was already imported on {at} by {user}",
	    HR_STR("system", "asopd"), HR_STR("number", "000101"),
	    HR_STR("at", "03.12.2026 10:15"), HR_STR("user", "Ковальчук"));
	hr_error_prefix(&e, "file {name}", HR_STR("name", "a.DAT"));
	hr_error_prefix(&e, "line {line}", HR_INT("line", -3));
	roundtrip(&e, &r);
	assert_int_equal(r.code, HR_E_DUPLICATE);
	assert_string_equal(r.msg, e.msg);
	assert_string_equal(r.id, "dat.answer_imported");
	assert_int_equal(r.nparts, 3);
	assert_int_equal(r.nargs, e.nargs);
	for (int k = 0; k < 3; k++)
		assert_string_equal(hr_error_part_text(&r, k),
		    hr_error_part_text(&e, k));
	assert_string_equal(hr_error_value(&r, "line"), "-3");
	assert_string_equal(hr_error_value(&r, "user"), "Ковальчук");
	assert_string_equal(hr_error_render(&r, NULL, a, sizeof a),
	    hr_error_render(&e, NULL, b, sizeof b));

	/* unstructured: two elements on the wire, no details */
	hr_error_set(&e, HR_E_NOT_FOUND, "no application 42");
	roundtrip(&e, &r);
	assert_int_equal(r.code, HR_E_NOT_FOUND);
	assert_string_equal(r.msg, "no application 42");
	assert_int_equal(r.nparts, 0);
	/* internal errors never carry details, whatever was set */
	hr_errorf(&e, HR_E_INTERNAL, "x", "secret {v}", HR_STR("v", "db path"));
	roundtrip(&e, &r);
	assert_int_equal(r.nparts, 0);
}

/* Malformed details are dropped; the message survives. */
static void
test_wire_bad_details(void **state)
{
	/* [1, 1, [10, "m", {"id": "x", "parts": [{"text": 5}]}], nil] */
	static const uint8_t bad[] = "\x94\x01\x01\x93\x0a\xa1m"
	    "\x82\xa2id\xa1x\xa5parts\x91\x81\xa4text\x05\xc0";
	/* [1, 1, [10, "m", 7], nil]: details not a map, a protocol error */
	static const uint8_t worse[] = "\x94\x01\x01\x93\x0a\xa1m\x07\xc0";
	msgpack_zone zone;
	struct hr_msg m;
	struct hr_error err, r;

	msgpack_zone_init(&zone, 1024);
	assert_int_equal(hr_rpc_decode(bad, sizeof bad - 1, &zone, &m, &err), 0);
	hr_rpc_error_read(&m, &r);
	assert_int_equal(r.code, 10);
	assert_string_equal(r.msg, "m");
	assert_int_equal(r.nparts, 0);
	assert_int_equal(hr_rpc_decode(worse, sizeof worse - 1, &zone, &m, &err),
	    -1);
	msgpack_zone_destroy(&zone);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_english),
		cmocka_unit_test(test_unstructured),
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_wire),
		cmocka_unit_test(test_wire_bad_details),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
