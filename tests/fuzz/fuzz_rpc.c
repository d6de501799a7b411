/*
 * fuzz_rpc.c — fuzz target: one decrypted frame through hr_rpc_decode and,
 * when it decodes to a request or notification, hr_schema_check with a
 * sample schema, then the value accessors.
 *
 * Build and run: tests/fuzz/README.md.  Without HR_LIBFUZZER this is also
 * a replay program (replay.h) that `make check` runs over the seed corpus.
 */
#include <stdint.h>
#include <stdlib.h>

#include <msgpack.h>

#include "proto/mpread.h"
#include "proto/rpc.h"
#include "proto/schema.h"

#define HR_FUZZ_NAME "fuzz_rpc"

/* Every field type and flag, so each checking branch is reachable. */
static const struct hr_field sample_fields[] = {
	{ "user",     HR_F_STR,   HR_F_REQUIRED, 0, 64 },
	{ "limit",    HR_F_INT,   0, 1, 500 },
	{ "offset",   HR_F_INT,   HR_F_NULLABLE, INT64_MIN, INT64_MAX },
	{ "active",   HR_F_BOOL,  HR_F_NULLABLE, 0, 0 },
	{ "ticket",   HR_F_BIN,   0, 0, 32 },
	{ "filters",  HR_F_MAP,   0, 0, 8 },
	{ "ids",      HR_F_ARRAY, 0, 0, 100 },
};
static const struct hr_schema sample_schema = {
	sample_fields, sizeof sample_fields / sizeof sample_fields[0], 0
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const msgpack_object *vals[sizeof sample_fields / sizeof sample_fields[0]];
	msgpack_zone          zone;
	struct hr_msg         m;
	struct hr_error       err;
	char                 *s;

	msgpack_zone_init(&zone, 2048);
	if (hr_rpc_decode(data, size, &zone, &m, &err) == 0 &&
	    m.type != HR_MSG_RESPONSE &&
	    hr_schema_check(&sample_schema, &m.params, vals, &err) == 0) {
		(void)hr_val_int(vals[1], 50);
		(void)hr_val_int(vals[2], 0);
		(void)hr_val_bool(vals[3], 0);
		(void)hr_val_str_eq(vals[0], "admin");
		s = hr_val_strdup(vals[0]);
		free(s);
	}
	msgpack_zone_destroy(&zone);
	return 0;
}

#ifndef HR_LIBFUZZER
#include "tests/fuzz/replay.h"
#endif
