/*
 * mp.h — reading decoded msgpack maps the way screens need: field by name,
 * as display text or number.  Domain-free.
 */
#ifndef TUI_MP_H
#define TUI_MP_H

#include <stddef.h>
#include <stdint.h>

#include <msgpack.h>

/* Value of `key` in map `m`, or NULL (absent, or `m` is not a map). */
const msgpack_object *mp_get(const msgpack_object *m, const char *key);

/*
 * Display text of a scalar (string, integer, boolean; "" for nil and
 * others) into `buf`; returns buf.
 */
const char *mp_text(const msgpack_object *v, char *buf, size_t n);

/* Newly allocated copy of mp_text (never NULL unless out of memory). */
char *mp_strdup(const msgpack_object *v);

int64_t mp_int(const msgpack_object *v, int64_t dflt);

/* Key `i` of a map as text into buf. */
const char *mp_key(const msgpack_object *m, uint32_t i, char *buf, size_t n);

#endif
