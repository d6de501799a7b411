/*
 * test_mpscan_rpc.c — the msgpack pre-scan and the RPC envelopes: bombs are
 * refused before msgpack-c sees them, valid messages round-trip through the
 * pack helpers, malformed envelopes are refused.
 *
 * Alike on purpose: bad_cases[] is a table, a row an input (BAD(name,
 * bytes, type, msgid)); rows of one shape are the point, so that a new
 * hostile envelope is one line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <msgpack.h>

#include "proto/mpscan.h"
#include "proto/rpc.h"

#define B(s) (const uint8_t *)(s), sizeof(s) - 1

static void
test_scan_bombs(void **state)
{
	struct hr_error err;

	/* array 32 declaring 2^32-1 elements: 5 bytes that would ask ~96 GB */
	assert_int_equal(hr_mpscan(B("\xdd\xff\xff\xff\xff"), 16, &err), -1);
	assert_int_equal(err.code, HR_E_PROTOCOL);
	assert_int_equal(hr_mpscan(B("\xdf\xff\xff\xff\xff"), 16, &err), -1);
	assert_int_equal(hr_mpscan(B("\xdc\xff\xff"), 16, &err), -1);
	/* map of 2 pairs needs 4 bytes; 3 is a lie */
	assert_int_equal(hr_mpscan(B("\x82\x01\x02\x03"), 16, &err), -1);
	assert_int_equal(hr_mpscan(B("\x82\x01\x02\x03\x04"), 16, &err), 0);
	/* str/bin/ext longer than the input */
	assert_int_equal(hr_mpscan(B("\xdb\xff\xff\xff\xff"), 16, &err), -1);
	assert_int_equal(hr_mpscan(B("\xc6\x00\x00\x00\x02" "a"), 16, &err), -1);
	assert_int_equal(hr_mpscan(B("\xc9\xff\xff\xff\xff\x01"), 16, &err), -1);
	assert_int_equal(hr_mpscan(B("\xc7\x01\x05" "a"), 16, &err), 0);
	assert_int_equal(hr_mpscan(B("\xc7\x01\x05"), 16, &err), -1);
	/* reserved byte */
	assert_int_equal(hr_mpscan(B("\xc1"), 16, &err), -1);
	assert_int_equal(hr_mpscan(B("\x91\xc1"), 16, &err), -1);
}

static void
test_scan_depth(void **state)
{
	uint8_t         deep[1000];
	struct hr_error err;

	memset(deep, 0x91, sizeof deep);         /* [[[[...]]]] */
	deep[sizeof deep - 1] = 0xc0;
	assert_int_equal(hr_mpscan(deep, sizeof deep, HR_MP_MAX_DEPTH, &err), -1);
	assert_int_equal(err.code, HR_E_PROTOCOL);
	/* exactly max_depth containers pass, one more fails */
	assert_int_equal(hr_mpscan(deep + sizeof deep - 17, 17, 16, &err), 0);
	assert_int_equal(hr_mpscan(deep + sizeof deep - 18, 18, 16, &err), -1);
	/* a caller asking for absurd depth is still capped */
	assert_int_equal(hr_mpscan(deep, sizeof deep, 1 << 30, &err), -1);
	/* maps nest too */
	uint8_t m[40];
	for (size_t i = 0; i < 20; i++) {
		m[2 * i] = 0x81;
		m[2 * i + 1] = 0x01;
	}
	assert_int_equal(hr_mpscan(m, 39, 16, &err), -1);
}

static void
test_scan_trailing_truncated(void **state)
{
	struct hr_error err;

	assert_int_equal(hr_mpscan(B("\x01\x02"), 16, &err), -1);       /* two objects */
	assert_int_equal(hr_mpscan(B("\x92\x01\x02\x03"), 16, &err), -1);
	assert_int_equal(hr_mpscan(B(""), 16, &err), -1);
	assert_int_equal(hr_mpscan(B("\x92\x01"), 16, &err), -1);
	assert_int_equal(hr_mpscan(B("\xcd\x01"), 16, &err), -1);       /* uint16 cut */
	assert_int_equal(hr_mpscan(B("\xcb\x00\x00\x00"), 16, &err), -1);
	assert_int_equal(hr_mpscan(B("\xd9"), 16, &err), -1);           /* str8 no len */
	assert_int_equal(hr_mpscan(B("\xa3" "ab"), 16, &err), -1);
	assert_int_equal(hr_mpscan(B("\xa3" "abc"), 16, &err), 0);
	assert_int_equal(hr_mpscan(B("\xd8\x01" "0123456789abcde"), 16, &err), -1);
	assert_int_equal(hr_mpscan(B("\xd8\x01" "0123456789abcdef"), 16, &err), 0);
}

/* Every prefix of a valid message is refused, and refused cleanly. */
static void
test_scan_every_prefix(void **state)
{
	msgpack_sbuffer sb;
	msgpack_packer  pk;
	struct hr_error err;

	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	hr_rpc_pack_request(&pk, 7, "journal.list");
	msgpack_pack_map(&pk, 3);
	hr_pack_kv_str(&pk, "q", "Іваненко");
	hr_pack_kv_int(&pk, "limit", -50);
	hr_pack_str(&pk, "b");
	msgpack_pack_bin(&pk, 3);
	msgpack_pack_bin_body(&pk, "\x00\x01\x02", 3);
	assert_int_equal(hr_mpscan((uint8_t *)sb.data, sb.size, 16, &err), 0);
	for (size_t n = 0; n < sb.size; n++)
		assert_int_equal(hr_mpscan((uint8_t *)sb.data, n, 16, &err), -1);
	msgpack_sbuffer_destroy(&sb);
}

/* What the RPC tests pack into and decode from. */
struct rpc_fx {
	msgpack_sbuffer sb;
	msgpack_packer  pk;
	msgpack_zone    zone;
	struct hr_msg   m;
	struct hr_error err;
};

static int
rpc_setup(void **state)
{
	struct rpc_fx *f = calloc(1, sizeof *f);

	if (f == NULL)
		return -1;
	msgpack_zone_init(&f->zone, 1024);
	msgpack_sbuffer_init(&f->sb);
	msgpack_packer_init(&f->pk, &f->sb, msgpack_sbuffer_write);
	*state = f;
	return 0;
}

static int
rpc_teardown(void **state)
{
	struct rpc_fx *f = *state;

	msgpack_sbuffer_destroy(&f->sb);
	msgpack_zone_destroy(&f->zone);
	free(f);
	return 0;
}

/* Decode what was packed into f->m; 0 or -1 (f->err). */
static int
rpc_decode(struct rpc_fx *f)
{
	return hr_rpc_decode((uint8_t *)f->sb.data, f->sb.size, &f->zone,
	    &f->m, &f->err);
}

/* Pack with the helpers, decode, compare. */
static void
test_rpc_roundtrip(void **state)
{
	struct rpc_fx *f = *state;
	struct hr_error e2;

	hr_rpc_pack_request(&f->pk, 4000000000u, "login");
	msgpack_pack_map(&f->pk, 2);
	hr_pack_kv_str(&f->pk, "user", "olena");
	hr_pack_kv_str(&f->pk, "password", "secret");
	assert_int_equal(rpc_decode(f), 0);
	assert_int_equal(f->m.type, HR_MSG_REQUEST);
	assert_int_equal(f->m.msgid, 4000000000u);
	assert_true(hr_rpc_method_is(&f->m, "login"));
	assert_false(hr_rpc_method_is(&f->m, "logi"));
	assert_false(hr_rpc_method_is(&f->m, "logout"));
	assert_int_equal(f->m.params.type, MSGPACK_OBJECT_MAP);
	assert_int_equal(f->m.params.via.map.size, 2);

	msgpack_sbuffer_clear(&f->sb);
	hr_rpc_pack_result(&f->pk, 9);
	msgpack_pack_map(&f->pk, 1);
	hr_pack_kv_int(&f->pk, "time", 1700000000);
	assert_int_equal(rpc_decode(f), 0);
	assert_int_equal(f->m.type, HR_MSG_RESPONSE);
	assert_int_equal(f->m.msgid, 9);
	assert_int_equal(f->m.err_code, HR_OK);
	assert_int_equal(f->m.result.type, MSGPACK_OBJECT_MAP);

	msgpack_sbuffer_clear(&f->sb);
	hr_error_set(&e2, HR_E_NOT_FOUND, "no application 42");
	hr_rpc_pack_error(&f->pk, 10, &e2);
	assert_int_equal(rpc_decode(f), 0);
	assert_int_equal(f->m.type, HR_MSG_RESPONSE);
	assert_int_equal(f->m.msgid, 10);
	assert_int_equal(f->m.err_code, HR_E_NOT_FOUND);
	assert_int_equal(f->m.err_msg_len, strlen("no application 42"));
	assert_memory_equal(f->m.err_msg, "no application 42", f->m.err_msg_len);
	assert_int_equal(f->m.result.type, MSGPACK_OBJECT_NIL);

	msgpack_sbuffer_clear(&f->sb);
	hr_rpc_pack_notification(&f->pk, "closing");
	msgpack_pack_map(&f->pk, 1);
	hr_pack_kv_str(&f->pk, "reason", "shutdown");
	assert_int_equal(rpc_decode(f), 0);
	assert_int_equal(f->m.type, HR_MSG_NOTIFICATION);
	assert_true(hr_rpc_method_is(&f->m, "closing"));
}

/* An error message cut inside a UTF-8 character still packs as valid UTF-8. */
static void
test_rpc_error_utf8_cut(void **state)
{
	struct rpc_fx *f = *state;
	struct hr_error e2;

	e2.code = HR_E_INVALID;
	memset(e2.msg, 0, sizeof e2.msg);
	memcpy(e2.msg, "\xd0\x86\xd0", 3);       /* "І" then half a character */
	hr_rpc_pack_error(&f->pk, 1, &e2);
	assert_int_equal(rpc_decode(f), 0);
	assert_int_equal(f->m.err_msg_len, 2);
}

struct bad_case {
	const char *name;
	const char *bytes;
	size_t      len;
	int         type;      /* out->type after the failure */
	uint32_t    msgid;
};

#define BAD(name, s, type, id) { name, s, sizeof(s) - 1, type, id }

static const struct bad_case bad_cases[] = {
	BAD("not an array", "\x80", -1, 0),
	BAD("short array", "\x92\x00\x01", -1, 0),
	BAD("unknown type", "\x94\x03\x01\xa1m\x80", -1, 0),
	BAD("negative type", "\x94\xff\x01\xa1m\x80", -1, 0),
	BAD("request msgid negative", "\x94\x00\xff\xa1m\x80", -1, 0),
	BAD("request msgid > u32", "\x94\x00\xcf\x00\x00\x00\x01\x00\x00\x00\x00\xa1m\x80", -1, 0),
	BAD("request 3 items", "\x93\x00\x05\xa1m", -1, 0),
	BAD("request params array", "\x94\x00\x05\xa1m\x90", HR_MSG_REQUEST, 5),
	BAD("request params nil", "\x94\x00\x06\xa1m\xc0", HR_MSG_REQUEST, 6),
	BAD("request empty method", "\x94\x00\x07\xa0\x80", HR_MSG_REQUEST, 7),
	BAD("request method bin", "\x94\x00\x08\xc4\x01m\x80", HR_MSG_REQUEST, 8),
	BAD("request method space", "\x94\x00\x09\xa2m \x80", HR_MSG_REQUEST, 9),
	BAD("request method too long", "\x94\x00\x0a\xd9\x41"
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\x80",
	    HR_MSG_REQUEST, 10),
	BAD("response error int", "\x94\x01\x01\x05\xc0", -1, 0),
	BAD("response error 1 item", "\x94\x01\x01\x91\x05\xc0", -1, 0),
	BAD("response error code 0", "\x94\x01\x01\x92\x00\xa1x\xc0", -1, 0),
	BAD("response error msg bad utf8", "\x94\x01\x01\x92\x05\xa1\xff\xc0", -1, 0),
	BAD("response result array", "\x94\x01\x01\xc0\x90", -1, 0),
	BAD("response 3 items", "\x93\x01\x01\xc0", -1, 0),
	BAD("notification params nil", "\x93\x02\xa1n\xc0", -1, 0),
	BAD("notification 4 items", "\x94\x02\xa1n\x80\x80", -1, 0),
	BAD("notification method int", "\x93\x02\x01\x80", -1, 0),
	BAD("trailing byte", "\x93\x02\xa1n\x80\x00", -1, 0),
	BAD("bomb inside params", "\x94\x00\x01\xa1m\xdf\xff\xff\xff\xff", -1, 0),
};

static void
test_rpc_bad_envelopes(void **state)
{
	msgpack_zone    zone;
	struct hr_msg   m;
	struct hr_error err;

	msgpack_zone_init(&zone, 1024);
	for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
		const struct bad_case *c = &bad_cases[i];

		hr_error_clear(&err);
		if (hr_rpc_decode((const uint8_t *)c->bytes, c->len, &zone, &m,
		    &err) != -1)
			fail_msg("accepted: %s", c->name);
		assert_int_equal(err.code, HR_E_PROTOCOL);
		if (m.type != c->type || (c->type == HR_MSG_REQUEST &&
		    m.msgid != c->msgid))
			fail_msg("%s: type %d msgid %u", c->name, m.type, m.msgid);
		msgpack_zone_clear(&zone);
	}
	msgpack_zone_destroy(&zone);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan_bombs),
		cmocka_unit_test(test_scan_depth),
		cmocka_unit_test(test_scan_trailing_truncated),
		cmocka_unit_test(test_scan_every_prefix),
		cmocka_unit_test_setup_teardown(test_rpc_roundtrip, rpc_setup,
		    rpc_teardown),
		cmocka_unit_test_setup_teardown(test_rpc_error_utf8_cut,
		    rpc_setup, rpc_teardown),
		cmocka_unit_test(test_rpc_bad_envelopes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
