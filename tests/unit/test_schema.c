/*
 * test_schema.c — params checking: each kind of failure names the field,
 * valid params fill vals[], accessors, the UTF-8 validator, and the
 * application's fields table (proto/app_fields.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <msgpack.h>

#include "proto/app_fields.h"
#include "proto/ident.h"
#include "proto/mpread.h"
#include "proto/schema.h"

static const struct hr_field fields[] = {
	{ "name",  HR_F_STR,   HR_F_REQUIRED, 0, 8 },
	{ "age",   HR_F_INT,   0, -5, 150 },
	{ "ok",    HR_F_BOOL,  HR_F_NULLABLE, 0, 0 },
	{ "blob",  HR_F_BIN,   0, 0, 4 },
	{ "opts",  HR_F_MAP,   0, 0, 2 },
	{ "items", HR_F_ARRAY, 0, 0, 3 },
};
static const struct hr_schema schema = { fields, 6, 0 };

/* Decode a hex-free literal map and check it; return the rc. */
static int
check(const char *bytes, size_t len, const msgpack_object **vals,
    msgpack_zone *zone, struct hr_error *err)
{
	msgpack_object obj;
	size_t         off = 0;

	assert_int_equal(msgpack_unpack(bytes, len, &off, zone, &obj),
	    MSGPACK_UNPACK_SUCCESS);
	hr_error_clear(err);
	return hr_schema_check(&schema, &obj, vals, err);
}

#define CHECK(s) check(s, sizeof(s) - 1, vals, &zone, &err)

static void
test_success(void **state)
{
	const msgpack_object *vals[6];
	msgpack_zone          zone;
	struct hr_error       err;
	char                 *s;

	msgpack_zone_init(&zone, 1024);
	/* {"name":"Оля","age":-5,"ok":true,"blob":bin"ab","opts":{},"items":[1,2,3]} */
	assert_int_equal(CHECK("\x86\xa4name\xa6\xd0\x9e\xd0\xbb\xd1\x8f"
	    "\xa3" "age\xfb" "\xa2ok\xc3" "\xa4" "blob\xc4\x02" "ab"
	    "\xa4opts\x80" "\xa5items\x93\x01\x02\x03"), 0);
	for (int i = 0; i < 6; i++)
		assert_non_null(vals[i]);
	assert_true(hr_val_str_eq(vals[0], "Оля"));
	assert_false(hr_val_str_eq(vals[0], "Оля!"));
	assert_int_equal(hr_val_int(vals[1], 0), -5);
	assert_int_equal(hr_val_bool(vals[2], 0), 1);
	s = hr_val_strdup(vals[0]);
	assert_string_equal(s, "Оля");
	free(s);
	/* absent optional fields and nil for a nullable one */
	assert_int_equal(CHECK("\x82\xa4name\xa0\xa2ok\xc0"), 0);
	assert_non_null(vals[0]);
	assert_true(hr_val_str_eq(vals[0], ""));
	assert_null(vals[1]);
	assert_null(vals[2]);
	assert_int_equal(hr_val_int(vals[1], 42), 42);
	assert_int_equal(hr_val_bool(vals[2], 1), 1);
	assert_null(hr_val_strdup(vals[1]));
	assert_false(hr_val_str_eq(NULL, "x"));
	msgpack_zone_destroy(&zone);
}

struct fail_case {
	const char *what;
	const char *bytes;
	size_t      len;
	const char *needle;    /* must appear in the message */
};

#define F(what, s, needle) { what, s, sizeof(s) - 1, needle }

static const struct fail_case fail_cases[] = {
	F("not a map", "\x90", "map"),
	F("missing required", "\x80", "'name' is required"),
	F("unknown key", "\x82\xa4name\xa1x\xa3zzz\x01", "unknown field 'zzz'"),
	F("unknown key unprintable", "\x82\xa4name\xa1x\xa2\x01\x02\x01",
	    "unknown field '(unprintable)'"),
	F("duplicate key", "\x82\xa4name\xa1x\xa4name\xa1y", "'name' given twice"),
	F("duplicate nil key", "\x83\xa4name\xa1x\xa2ok\xc0\xa2ok\xc2",
	    "'ok' given twice"),
	F("non-str key", "\x82\xa4name\xa1x\x01\x01", "keys must be strings"),
	F("bin key", "\x82\xa4name\xa1x\xc4\x03" "age\x01", "keys must be strings"),
	F("wrong type str", "\x81\xa4name\x05", "'name' must be a string"),
	/* PROTOCOL.md: nil for a required field is a missing field */
	F("nil not nullable", "\x81\xa4name\xc0", "field 'name' is required"),
	F("wrong type int", "\x82\xa4name\xa1x\xa3" "age\xa1" "1", "'age' must be an integer"),
	F("float is not int", "\x82\xa4name\xa1x\xa3" "age\xcb\x3f\xf0\0\0\0\0\0\0",
	    "'age' must be an integer"),
	F("wrong type bool", "\x82\xa4name\xa1x\xa2ok\x01", "'ok' must be a boolean"),
	F("str too long", "\x81\xa4name\xa9" "123456789", "'name' is too long"),
	F("bin too long", "\x82\xa4name\xa1x\xa4" "blob\xc4\x05" "12345", "'blob' is too long"),
	F("map too big", "\x82\xa4name\xa1x\xa4opts\x83\x01\x01\x02\x02\x03\x03",
	    "'opts' is too long"),
	F("array too big", "\x82\xa4name\xa1x\xa5items\x94\x01\x02\x03\x04",
	    "'items' is too long"),
	F("int above max", "\x82\xa4name\xa1x\xa3" "age\xcc\x97", "'age' must be between"),
	F("int below min", "\x82\xa4name\xa1x\xa3" "age\xfa", "'age' must be between"),
	F("u64 huge", "\x82\xa4name\xa1x\xa3" "age\xcf\xff\xff\xff\xff\xff\xff\xff\xff",
	    "'age' must be between"),
	F("bad utf8", "\x81\xa4name\xa2\xc3\x28", "'name' is not valid UTF-8"),
	F("nul in str", "\x81\xa4name\xa2" "a\x00",
	    "field 'name' must not contain a NUL byte"),
	F("surrogate", "\x81\xa4name\xa3\xed\xa0\x80", "'name' is not valid UTF-8"),
};

static void
test_failures(void **state)
{
	const msgpack_object *vals[6];
	msgpack_zone          zone;
	struct hr_error       err;

	msgpack_zone_init(&zone, 1024);
	for (size_t i = 0; i < sizeof fail_cases / sizeof fail_cases[0]; i++) {
		const struct fail_case *c = &fail_cases[i];

		if (check(c->bytes, c->len, vals, &zone, &err) != -1)
			fail_msg("accepted: %s", c->what);
		assert_int_equal(err.code, HR_E_PARAMS);
		if (strstr(err.msg, c->needle) == NULL)
			fail_msg("%s: message \"%s\" lacks \"%s\"", c->what, err.msg,
			    c->needle);
		msgpack_zone_clear(&zone);
	}
	msgpack_zone_destroy(&zone);
}

/*
 * A map nested in params names the field by its path, as PROTOCOL.md
 * "Field errors" says ("applicant.rnokpp: is too long ..."), with
 * HR_E_INVALID.
 */
static void
test_nested_paths(void **state)
{
	static const struct fail_case cases[] = {
		F("too long", "\x81\xa4name\xa9" "123456789",
		    "applicant.name: is too long (9, at most 8)"),
		F("missing", "\x80", "applicant.name: is required"),
		F("nil", "\x81\xa4name\xc0", "applicant.name: is required"),
		F("unknown", "\x82\xa4name\xa1x\xa3zzz\x01",
		    "applicant: unknown field 'zzz'"),
		F("type", "\x82\xa4name\xa1x\xa3" "age\xa1" "1",
		    "applicant.age: must be an integer"),
		F("nul", "\x81\xa4name\xa2" "a\x00",
		    "applicant.name: must not contain a NUL byte"),
		F("not a map", "\x90", "applicant: must be a map"),
	};
	const msgpack_object *vals[6];
	msgpack_unpacked      up;
	struct hr_error       err;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		msgpack_unpacked_init(&up);
		assert_int_equal(msgpack_unpack_next(&up, cases[i].bytes,
		    cases[i].len, NULL), MSGPACK_UNPACK_SUCCESS);
		if (hr_schema_check_at(&schema, &up.data, vals, "applicant",
		    &err) != -1)
			fail_msg("accepted: %s", cases[i].what);
		assert_int_equal(err.code, HR_E_INVALID);
		if (strcmp(err.msg, cases[i].needle) != 0)
			fail_msg("%s: \"%s\", expected \"%s\"", cases[i].what,
			    err.msg, cases[i].needle);
		msgpack_unpacked_destroy(&up);
	}
}

static void
test_too_many_fields(void **state)
{
	static struct hr_field many[HR_SCHEMA_MAX_FIELDS + 1];
	struct hr_schema       s = { many, HR_SCHEMA_MAX_FIELDS + 1 };
	msgpack_object         params = { .type = MSGPACK_OBJECT_MAP };
	const msgpack_object  *vals[HR_SCHEMA_MAX_FIELDS + 1];
	struct hr_error        err;

	assert_int_equal(hr_schema_check(&s, &params, vals, &err), -1);
	assert_int_equal(err.code, HR_E_INTERNAL);
}

/*
 * proto/mpread.h, the one set of reading rules: the first string key of the
 * same bytes; NULL for a non-map; integers never from booleans nor
 * booleans from integers; a string copy only of a string.
 */
static void
test_mpread(void **state)
{
	/* {"a": 1, 7: 2, "a": 3, "t": true, "big": 2^63, "s": "x"} */
	static const char bytes[] = "\x86\xa1" "a\x01\x07\x02\xa1" "a\x03"
	    "\xa1t\xc3\xa3" "big\xcf\x80\x00\x00\x00\x00\x00\x00\x00"
	    "\xa1s\xa1x";
	msgpack_zone   zone;
	msgpack_object obj;
	size_t         off = 0;
	char          *copy;

	(void)state;
	msgpack_zone_init(&zone, 1024);
	assert_int_equal(msgpack_unpack(bytes, sizeof bytes - 1, &off, &zone,
	    &obj), MSGPACK_UNPACK_SUCCESS);
	assert_int_equal(hr_val_int(hr_val_get(&obj, "a"), 0), 1);
	assert_null(hr_val_get(&obj, "b"));
	assert_null(hr_val_get(hr_val_get(&obj, "a"), "a"));
	assert_null(hr_val_get(NULL, "a"));
	assert_int_equal(hr_val_int(hr_val_get(&obj, "t"), -1), -1);
	assert_int_equal(hr_val_bool(hr_val_get(&obj, "t"), 0), 1);
	assert_int_equal(hr_val_bool(hr_val_get(&obj, "a"), 0), 0);
	assert_int_equal(hr_val_int(hr_val_get(&obj, "big"), -1), -1);
	assert_null(hr_val_strdup(hr_val_get(&obj, "a")));
	copy = hr_val_strdup(hr_val_get(&obj, "s"));
	assert_string_equal(copy, "x");
	free(copy);
	assert_true(hr_val_str_eq(hr_val_get(&obj, "s"), "x"));
	msgpack_zone_destroy(&zone);
}

static void
test_utf8(void **state)
{
	static const struct {
		const char *s;
		size_t      len;
		int         ok;
	} cases[] = {
		{ "", 0, 1 },
		{ "ascii", 5, 1 },
		{ "Київ", 8, 1 },
		{ "\xca\xbc", 2, 1 },                 /* U+02BC modifier apostrophe */
		{ "\xe2\x80\x99", 3, 1 },             /* U+2019 */
		{ "\xef\xbf\xbf", 3, 1 },             /* U+FFFF */
		{ "\xf0\x9f\x98\x80", 4, 1 },         /* U+1F600 */
		{ "\xf4\x8f\xbf\xbf", 4, 1 },         /* U+10FFFF */
		{ "\xed\x9f\xbf", 3, 1 },             /* U+D7FF */
		{ "\xee\x80\x80", 3, 1 },             /* U+E000 */
		{ "a\0b", 3, 0 },                     /* NUL */
		{ "\xc0\x80", 2, 0 },                 /* overlong NUL */
		{ "\xc1\xbf", 2, 0 },                 /* overlong */
		{ "\xe0\x80\xaf", 3, 0 },             /* overlong '/' */
		{ "\xe0\x9f\xbf", 3, 0 },             /* overlong */
		{ "\xf0\x8f\xbf\xbf", 4, 0 },         /* overlong */
		{ "\xed\xa0\x80", 3, 0 },             /* U+D800 surrogate */
		{ "\xed\xbf\xbf", 3, 0 },             /* U+DFFF surrogate */
		{ "\xf4\x90\x80\x80", 4, 0 },         /* U+110000 */
		{ "\xf5\x80\x80\x80", 4, 0 },
		{ "\xff", 1, 0 },
		{ "\x80", 1, 0 },                     /* lone continuation */
		{ "\xd0", 1, 0 },                     /* truncated */
		{ "\xe2\x80", 2, 0 },
		{ "\xf0\x9f\x98", 3, 0 },
		{ "\xe2\x28\xa1", 3, 0 },             /* bad second byte */
		{ "\xe2\x82\x28", 3, 0 },             /* bad third byte */
		{ "\xf0\x9f\x98\x28", 4, 0 },         /* bad fourth byte */
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (hr_utf8_valid(cases[i].s, cases[i].len) != cases[i].ok)
			fail_msg("case %zu: expected %d", i, cases[i].ok);
}

/*
 * The application's fields (proto/app_fields.h): a map's rows are its
 * schema (stride), keys are unique within a map, every field a clerk can
 * meet in an error has a word, the choices follow the enums they stand
 * for, and the identifiers are the masked ones.
 */
static void
test_app_fields(void)
{
	static const struct { const struct hr_app_field *rows; size_t n; } maps[] = {
		{ hr_person_fields, HR_PF__COUNT }, { hr_member_fields, HR_MF__COUNT },
		{ hr_income_fields, HR_IF__COUNT }, { hr_payment_fields, HR_YF__COUNT },
		{ hr_save_fields, HR_SF__COUNT },
	};
	static const struct hr_schema person = HR_APP_SCHEMA(hr_person_fields,
	    HR_PF__COUNT);
	/* {"unzr": "x", "id": 7} */
	static const char map[] = "\x82\xa4unzr\xa1x\xa2id\x07";
	const msgpack_object *vals[HR_PF__COUNT];
	msgpack_zone zone;
	msgpack_object obj;
	struct hr_error err;
	size_t off = 0;
	const struct hr_app_field *f;

	for (size_t m = 0; m < sizeof maps / sizeof maps[0]; m++)
		for (size_t i = 0; i < maps[m].n; i++) {
			const struct hr_app_field *r = &maps[m].rows[i];

			assert_ptr_equal(hr_app_field_find(maps[m].rows, maps[m].n,
			    r->wire.name), r);
			if (r->wire.type != HR_F_MAP || m == 4)
				assert_non_null(r->word);
			if (r->check == HR_FC_CHOICE)
				assert_true(r->nchoices > 0);
		}
	assert_string_equal(hr_doc_types[HR_DOC_PASSPORT - 1].name, "passport");
	assert_string_equal(hr_doc_types[HR_DOC_ID_CARD - 1].name, "id_card");
	assert_string_equal(hr_doc_types[HR_DOC_BIRTH_CERT - 1].name,
	    "birth_cert");
	assert_string_equal(hr_sexes[HR_SEX_MALE - 1].name, "M");
	assert_string_equal(hr_sexes[HR_SEX_FEMALE - 1].name, "F");
	for (int i = 0; i < HR_PF__COUNT; i++)
		assert_int_equal(hr_person_fields[i].masked, i == HR_PF_RNOKPP ||
		    i == HR_PF_UNZR || i == HR_PF_DOCNUM);
	assert_true(hr_payment_fields[HR_YF_IBAN].masked);
	assert_int_equal(hr_choice_find(hr_income_types, HR_INC__COUNT,
	    "alimony"), HR_INC_ALIMONY);
	assert_int_equal(hr_choice_find(hr_income_types, HR_INC__COUNT, "x"), -1);
	f = hr_app_field_of_path("family[2].person.birth_date");
	assert_ptr_equal(f, &hr_person_fields[HR_PF_BIRTH]);
	assert_ptr_equal(hr_app_field_of_path("payment.iban"),
	    &hr_payment_fields[HR_YF_IBAN]);
	assert_null(hr_app_field_of_path("family[2].nothing"));

	msgpack_zone_init(&zone, 512);
	assert_int_equal(msgpack_unpack(map, sizeof map - 1, &off, &zone, &obj),
	    MSGPACK_UNPACK_SUCCESS);
	hr_error_clear(&err);
	assert_int_equal(hr_schema_check_at(&person, &obj, vals, "applicant",
	    &err), 0);
	assert_non_null(vals[HR_PF_UNZR]);
	assert_int_equal(hr_val_int(vals[HR_PF_ID], 0), 7);
	assert_null(vals[HR_PF_SURNAME]);
	assert_ptr_equal(hr_schema_field(&person, HR_PF_PHONE),
	    &hr_person_fields[HR_PF_PHONE].wire);
	msgpack_zone_destroy(&zone);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_success),
		cmocka_unit_test(test_failures),
		cmocka_unit_test(test_nested_paths),
		cmocka_unit_test(test_too_many_fields),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_mpread),
		cmocka_unit_test(test_app_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
