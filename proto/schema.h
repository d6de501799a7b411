/*
 * schema.h — strict checking of request params.
 *
 * A method's params are described by a table of fields.  hr_schema_check
 * accepts a params map only if every key is known, no key repeats, each
 * value has the declared type and fits the declared bound, and every
 * required field is present.  Anything else is an HR_E_PARAMS error that
 * names the field; the connection stays usable.
 */
#ifndef HR_SCHEMA_H
#define HR_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

#include <msgpack.h>

#include "proto/error.h"

enum hr_ftype {
	HR_F_STR,     /* UTF-8 string, `max` = max bytes, must be valid UTF-8 */
	HR_F_INT,     /* signed or unsigned integer within [min, max] */
	HR_F_BOOL,
	HR_F_BIN,     /* binary, `max` = max bytes */
	HR_F_MAP,     /* `max` = max entries; contents checked by the handler */
	HR_F_ARRAY,   /* `max` = max items; contents checked by the handler */
};

#define HR_F_REQUIRED 0x1u
#define HR_F_NULLABLE 0x2u   /* nil is accepted and treated as absent */

struct hr_field {
	const char   *name;
	enum hr_ftype type;
	unsigned      flags;
	int64_t       min;     /* HR_F_INT only */
	int64_t       max;     /* see enum hr_ftype */
};

#define HR_SCHEMA_MAX_FIELDS 64

/*
 * The fields of a schema: fields[0..count), each `stride` bytes after the
 * one before (0: an array of struct hr_field; a table whose rows start
 * with one gives its row size — proto/app_fields.h).
 */
struct hr_schema {
	const struct hr_field *fields;
	size_t                 count;   /* <= HR_SCHEMA_MAX_FIELDS */
	size_t                 stride;
};

/* Field i of a schema. */
const struct hr_field *hr_schema_field(const struct hr_schema *schema,
    size_t i);

/*
 * Check `params` (must be a map) and point vals[i] at the value of
 * fields[i], or NULL when absent/nil.  `vals` has schema->count entries.
 */
int hr_schema_check(const struct hr_schema *schema, const msgpack_object *params,
    const msgpack_object **vals, struct hr_error *err);

/*
 * The same for a map nested in params at `path` ("applicant",
 * "family[2].person"): failures are HR_E_INVALID "<path>.<field>: <what>"
 * ("applicant.rnokpp: is too long (17, at most 16)"), the form of
 * PROTOCOL.md "Field errors".  path NULL is hr_schema_check.
 */
int hr_schema_check_at(const struct hr_schema *schema,
    const msgpack_object *params, const msgpack_object **vals,
    const char *path, struct hr_error *err);

/* The checked values are read with proto/mpread.h (hr_val_int, ...). */

/* Is `p[0..len)` valid UTF-8 without NUL bytes? */
int     hr_utf8_valid(const char *p, size_t len);

#endif
