/*
 * mp.h — a reply's values as the screens use them.
 *
 * How a value is read (which key, which types, what counts as absent) is
 * proto/mpread.h's, the rules the server reads params by: mp_get, mp_int,
 * mp_bool and mp_len are those under the client's short names.  What is the
 * client's own is display: the text of a scalar.  Domain-free.
 */
#ifndef TUI_MP_H
#define TUI_MP_H

#include <stddef.h>
#include <stdint.h>

#include <msgpack.h>

#include "proto/mpread.h"

/* Value of `key` in map `m`, or NULL (absent, or `m` is not a map). */
static inline const msgpack_object *
mp_get(const msgpack_object *m, const char *key)
{
	return hr_val_get(m, key);
}

/* An integer (not a boolean), else dflt. */
static inline int64_t
mp_int(const msgpack_object *v, int64_t dflt)
{
	return hr_val_int(v, dflt);
}

/* A boolean as 1 or 0, else dflt. */
static inline int
mp_bool(const msgpack_object *v, int dflt)
{
	return hr_val_bool(v, dflt);
}

/* An array's number of elements; 0 when absent or not an array. */
static inline uint32_t
mp_len(const msgpack_object *v)
{
	return hr_val_len(v);
}

/*
 * Display text of a scalar (string, integer, boolean; "" for nil and
 * others) into `buf`; returns buf.
 */
const char *mp_text(const msgpack_object *v, char *buf, size_t n);

/* Newly allocated copy of mp_text (never NULL unless out of memory). */
char *mp_strdup(const msgpack_object *v);

/* Key `i` of a map as text into buf. */
const char *mp_key(const msgpack_object *m, uint32_t i, char *buf, size_t n);

#endif
