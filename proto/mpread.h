/*
 * mpread.h — reading decoded msgpack values: one set of rules for the
 * server reading a request's params (once schema.h has checked them) and
 * for the client and the tests reading replies.
 *
 *   - a map's field is the value of the first key that is a string of the
 *     same bytes; NULL when there is none or the object is not a map;
 *   - a value that is absent (NULL) or of another type reads as the
 *     caller's default: an integer is never taken from a boolean, a string
 *     never from an integer;
 *   - an integer outside int64_t reads as the default.
 *
 * Only msgpack-c objects decoded from bytes that proto/mpscan.h checked.
 */
#ifndef HR_MPREAD_H
#define HR_MPREAD_H

#include <stdint.h>

#include <msgpack.h>

/* The value of `key` in `map`, or NULL. */
const msgpack_object *hr_val_get(const msgpack_object *map, const char *key);

int64_t hr_val_int(const msgpack_object *v, int64_t dflt);
int     hr_val_bool(const msgpack_object *v, int dflt);
/* How many elements an array has; 0 when absent or not an array. */
uint32_t hr_val_len(const msgpack_object *v);
/* Newly allocated NUL-terminated copy of a string, or NULL when absent or
 * not a string (or out of memory); the caller frees. */
char   *hr_val_strdup(const msgpack_object *v);
/* Is `v` a string equal to the NUL-terminated `s`? */
int     hr_val_str_eq(const msgpack_object *v, const char *s);

#endif
