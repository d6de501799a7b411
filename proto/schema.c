/*
 * schema.c — strict checking of request params (see schema.h).
 *
 * A handler should only ever see params that match its table: every key
 * known, none repeated, every value of the declared type and within its
 * bound, every required field present.  Rejecting unknown keys (rather than
 * ignoring them) means a client typo or a version mismatch is reported at
 * once instead of silently doing something else.
 *
 * Error messages name the field, but field names that come from the peer
 * are printed only when they are short printable ASCII, so a hostile key
 * cannot put control characters or arbitrary bytes into our logs.
 */
#include "proto/schema.h"

#include <stdio.h>
#include <string.h>

static const char *const ftype_names[] = {
	[HR_F_STR]   = HR_MSGID("a string"),
	[HR_F_INT]   = HR_MSGID("an integer"),
	[HR_F_BOOL]  = HR_MSGID("a boolean"),
	[HR_F_BIN]   = HR_MSGID("binary data"),
	[HR_F_MAP]   = HR_MSGID("a map"),
	[HR_F_ARRAY] = HR_MSGID("an array"),
};

/* ---- UTF-8 ---- */

/*
 * Length of the UTF-8 sequence starting with `b` and the allowed range of
 * its second byte: this is where overlong forms (C0, C1, E0 80..9F,
 * F0 80..8F), surrogates (ED A0..BF) and code points above U+10FFFF
 * (F4 90.., F5..FF) are refused.  0 length: not a valid lead byte.
 */
static int
utf8_lead(uint8_t b, uint8_t *lo, uint8_t *hi)
{
	*lo = 0x80;
	*hi = 0xbf;
	if (b >= 0xc2 && b <= 0xdf)
		return 2;
	if (b >= 0xe0 && b <= 0xef) {
		if (b == 0xe0)
			*lo = 0xa0;
		if (b == 0xed)
			*hi = 0x9f;
		return 3;
	}
	if (b >= 0xf0 && b <= 0xf4) {
		if (b == 0xf0)
			*lo = 0x90;
		if (b == 0xf4)
			*hi = 0x8f;
		return 4;
	}
	return 0;
}

int
hr_utf8_valid(const char *s, size_t len)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t         i = 0;

	while (i < len) {
		uint8_t lo, hi;
		int     n;

		if (p[i] == 0)
			return 0;
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		n = utf8_lead(p[i], &lo, &hi);
		if (n == 0 || len - i < (size_t)n || p[i + 1] < lo || p[i + 1] > hi)
			return 0;
		for (int k = 2; k < n; k++)
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
		i += (size_t)n;
	}
	return 1;
}

/* ---- checking ---- */

/* A printable copy of a peer-supplied key for error messages. */
static const char *
schema_key_name(const msgpack_object_str *k, char *buf, size_t size)
{
	if (k->size == 0 || k->size >= size)
		return "(unprintable)";
	for (uint32_t i = 0; i < k->size; i++) {
		unsigned char c = (unsigned char)k->ptr[i];

		if (c <= 0x20 || c >= 0x7f)
			return "(unprintable)";
	}
	memcpy(buf, k->ptr, k->size);
	buf[k->size] = '\0';
	return buf;
}

const struct hr_field *
hr_schema_field(const struct hr_schema *schema, size_t i)
{
	size_t stride = schema->stride ? schema->stride : sizeof (struct hr_field);

	return (const struct hr_field *)(const void *)((const char *)
	    schema->fields + i * stride);
}

static int
schema_find(const struct hr_schema *schema, const msgpack_object_str *k)
{
	for (size_t i = 0; i < schema->count; i++) {
		const char *name = hr_schema_field(schema, i)->name;

		if (strlen(name) == k->size && memcmp(name, k->ptr, k->size) == 0)
			return (int)i;
	}
	return -1;
}

/* Is integer `v` within [min, max]? u64 values above INT64_MAX never are. */
static int
schema_int_ok(const msgpack_object *v, const struct hr_field *f)
{
	int64_t x;

	if (v->type == MSGPACK_OBJECT_POSITIVE_INTEGER) {
		if (v->via.u64 > INT64_MAX)
			return 0;
		x = (int64_t)v->via.u64;
	} else
		x = v->via.i64;
	return x >= f->min && x <= f->max;
}

/*
 * A problem with field `key`.  In a method's params it is HR_E_PARAMS
 * "field 'key' <what>"; in a map nested at `path` ("applicant",
 * "family[2].person") it is HR_E_INVALID "<path>.<key>: <what>", the
 * field-path form of PROTOCOL.md "Field errors".  The caller has set the
 * nested form's <what>; schema_at puts the path in front.
 */
static int
schema_at(const char *path, const char *key, struct hr_error *err)
{
	char at[128];

	snprintf(at, sizeof at, "%s.%s", path, key);
	hr_error_recode(err, HR_E_INVALID);
	return hr_error_at(err, at);
}

/* A problem of the map itself (not of one field) at `path`. */
static int
schema_map_at(const char *path, struct hr_error *err)
{
	hr_error_recode(err, HR_E_INVALID);
	return hr_error_at(err, path);
}

/* nil for a field that is not nullable: missing when required. */
static int
schema_nil(const char *path, const struct hr_field *f, struct hr_error *err)
{
	if (path != NULL)
		return (f->flags & HR_F_REQUIRED) ? (hr_errorf(err, HR_E_INVALID,
		    "field.required", "is required"), schema_at(path, f->name,
		    err)) : (hr_errorf(err, HR_E_INVALID, "field.nil",
		    "must not be nil"), schema_at(path, f->name, err));
	return (f->flags & HR_F_REQUIRED) ? hr_errorf(err, HR_E_PARAMS,
	    "params.required", "field '{key}' is required", HR_STR("key",
	    f->name)) : hr_errorf(err, HR_E_PARAMS, "params.nil",
	    "field '{key}' must not be nil", HR_STR("key", f->name));
}

/* A string value: no NUL byte, valid UTF-8. */
static int
schema_text(const char *path, const struct hr_field *f, const msgpack_object *v,
    struct hr_error *err)
{
	uint32_t size = v->via.str.size;

	if (size > 0 && memchr(v->via.str.ptr, '\0', size) != NULL)
		return path != NULL ? (hr_errorf(err, HR_E_INVALID, "field.nul",
		    "must not contain a NUL byte"), schema_at(path, f->name,
		    err)) : hr_errorf(err, HR_E_PARAMS, "params.nul",
		    "field '{key}' must not contain a NUL byte",
		    HR_STR("key", f->name));
	if (size > 0 && !hr_utf8_valid(v->via.str.ptr, size))
		return path != NULL ? (hr_errorf(err, HR_E_INVALID, "field.utf8",
		    "is not valid UTF-8 text"), schema_at(path, f->name, err)) :
		    hr_errorf(err, HR_E_PARAMS, "params.utf8",
		    "field '{key}' is not valid UTF-8 text",
		    HR_STR("key", f->name));
	return 0;
}

/* Type and bound of one value; message names the field. */
static int
schema_value(const char *path, const struct hr_field *f,
    const msgpack_object *v, struct hr_error *err)
{
	static const msgpack_object_type wire[] = {
		[HR_F_STR] = MSGPACK_OBJECT_STR,   [HR_F_INT] = MSGPACK_OBJECT_POSITIVE_INTEGER,
		[HR_F_BOOL] = MSGPACK_OBJECT_BOOLEAN, [HR_F_BIN] = MSGPACK_OBJECT_BIN,
		[HR_F_MAP] = MSGPACK_OBJECT_MAP,   [HR_F_ARRAY] = MSGPACK_OBJECT_ARRAY,
	};
	int      type_ok = v->type == wire[f->type] || (f->type == HR_F_INT &&
	    v->type == MSGPACK_OBJECT_NEGATIVE_INTEGER);
	uint32_t size = 0;

	if (v->type == MSGPACK_OBJECT_NIL)
		return schema_nil(path, f, err);
	if (!type_ok)
		return path != NULL ? (hr_errorf(err, HR_E_INVALID, "field.type",
		    "must be {label}", HR_STR("label", ftype_names[f->type])),
		    schema_at(path, f->name, err)) : hr_errorf(err, HR_E_PARAMS,
		    "params.type", "field '{key}' must be {label}",
		    HR_STR("key", f->name), HR_STR("label",
		    ftype_names[f->type]));
	switch (f->type) {
	case HR_F_STR:
		size = v->via.str.size;
		if (schema_text(path, f, v, err) < 0)
			return -1;
		break;
	case HR_F_BIN:   size = v->via.bin.size;   break;
	case HR_F_MAP:   size = v->via.map.size;   break;
	case HR_F_ARRAY: size = v->via.array.size; break;
	case HR_F_INT:
		if (schema_int_ok(v, f))
			return 0;
		return path != NULL ? (hr_errorf(err, HR_E_INVALID, "field.range",
		    "must be between {min} and {max}", HR_INT("min", f->min),
		    HR_INT("max", f->max)), schema_at(path, f->name, err)) :
		    hr_errorf(err, HR_E_PARAMS, "params.range",
		    "field '{key}' must be between {min} and {max}",
		    HR_STR("key", f->name), HR_INT("min", f->min),
		    HR_INT("max", f->max));
	case HR_F_BOOL:
		return 0;
	}
	if ((int64_t)size <= f->max)
		return 0;
	return path != NULL ? (hr_errorf(err, HR_E_INVALID, "field.too_long",
	    "is too long ({size}, at most {max})", HR_INT("size", size),
	    HR_INT("max", f->max)), schema_at(path, f->name, err)) :
	    hr_errorf(err, HR_E_PARAMS, "params.too_long",
	    "field '{key}' is too long ({size}, at most {max})",
	    HR_STR("key", f->name), HR_INT("size", size), HR_INT("max", f->max));
}

/* One key/value pair of the params map. */
static int
schema_pair(const char *path, const struct hr_schema *schema,
    const msgpack_object_kv *kv, uint64_t *seen, const msgpack_object **vals,
    struct hr_error *err)
{
	const struct hr_field *f;
	char                   name[40];
	int                    i;

	if (kv->key.type != MSGPACK_OBJECT_STR)
		return path != NULL ? (hr_errorf(err, HR_E_INVALID,
		    "field.key_type", "keys must be strings"),
		    schema_map_at(path, err)) : hr_errorf(err, HR_E_PARAMS,
		    "params.key_type", "params keys must be strings");
	if ((i = schema_find(schema, &kv->key.via.str)) < 0) {
		hr_errorf(err, HR_E_PARAMS, "params.unknown",
		    "unknown field '{key}'", HR_STR("key",
		    schema_key_name(&kv->key.via.str, name, sizeof name)));
		return path != NULL ? schema_map_at(path, err) : -1;
	}
	f = hr_schema_field(schema, (size_t)i);
	if (*seen & (UINT64_C(1) << i))
		return path != NULL ? (hr_errorf(err, HR_E_INVALID, "field.twice",
		    "given twice"), schema_at(path, f->name, err)) :
		    hr_errorf(err, HR_E_PARAMS, "params.twice",
		    "field '{key}' given twice", HR_STR("key", f->name));
	*seen |= UINT64_C(1) << i;
	if (kv->val.type == MSGPACK_OBJECT_NIL && (f->flags & HR_F_NULLABLE))
		return 0;                              /* treated as absent */
	if (schema_value(path, f, &kv->val, err) == -1)
		return -1;
	vals[i] = &kv->val;
	return 0;
}

int
hr_schema_check_at(const struct hr_schema *schema, const msgpack_object *params,
    const msgpack_object **vals, const char *path, struct hr_error *err)
{
	uint64_t seen = 0;

	if (schema->count > HR_SCHEMA_MAX_FIELDS)
		return hr_error_set(err, HR_E_INTERNAL,
		    "schema has %zu fields, at most %d", schema->count,
		    HR_SCHEMA_MAX_FIELDS);
	for (size_t i = 0; i < schema->count; i++)
		vals[i] = NULL;
	if (params->type != MSGPACK_OBJECT_MAP)
		return path != NULL ? (hr_errorf(err, HR_E_INVALID, "field.map",
		    "must be a map"), schema_map_at(path, err)) :
		    hr_errorf(err, HR_E_PARAMS, "params.map",
		    "params must be a map");
	for (uint32_t j = 0; j < params->via.map.size; j++)
		if (schema_pair(path, schema, &params->via.map.ptr[j], &seen,
		    vals, err) == -1)
			return -1;
	for (size_t i = 0; i < schema->count; i++)
		if ((hr_schema_field(schema, i)->flags & HR_F_REQUIRED) &&
		    vals[i] == NULL)
			return path != NULL ? (hr_errorf(err, HR_E_INVALID,
			    "field.required", "is required"), schema_at(path,
			    hr_schema_field(schema, i)->name, err)) : hr_errorf(err,
			    HR_E_PARAMS, "params.required",
			    "field '{key}' is required",
			    HR_STR("key", hr_schema_field(schema, i)->name));
	return 0;
}

int
hr_schema_check(const struct hr_schema *schema, const msgpack_object *params,
    const msgpack_object **vals, struct hr_error *err)
{
	return hr_schema_check_at(schema, params, vals, NULL, err);
}
