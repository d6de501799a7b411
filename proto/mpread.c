/*
 * mpread.c — reading decoded msgpack values (see mpread.h for the rules).
 */
#include "proto/mpread.h"

#include <stdlib.h>
#include <string.h>

const msgpack_object *
hr_val_get(const msgpack_object *map, const char *key)
{
	size_t n = strlen(key);

	if (map == NULL || map->type != MSGPACK_OBJECT_MAP)
		return NULL;
	for (uint32_t i = 0; i < map->via.map.size; i++) {
		const msgpack_object_kv *kv = &map->via.map.ptr[i];

		if (kv->key.type == MSGPACK_OBJECT_STR &&
		    kv->key.via.str.size == n &&
		    (n == 0 || memcmp(kv->key.via.str.ptr, key, n) == 0))
			return &kv->val;
	}
	return NULL;
}

int64_t
hr_val_int(const msgpack_object *v, int64_t dflt)
{
	if (v == NULL)
		return dflt;
	if (v->type == MSGPACK_OBJECT_POSITIVE_INTEGER)
		return v->via.u64 <= INT64_MAX ? (int64_t)v->via.u64 : dflt;
	if (v->type == MSGPACK_OBJECT_NEGATIVE_INTEGER)
		return v->via.i64;
	return dflt;
}

int
hr_val_bool(const msgpack_object *v, int dflt)
{
	if (v == NULL || v->type != MSGPACK_OBJECT_BOOLEAN)
		return dflt;
	return v->via.boolean ? 1 : 0;
}

uint32_t
hr_val_len(const msgpack_object *v)
{
	return v != NULL && v->type == MSGPACK_OBJECT_ARRAY ?
	    v->via.array.size : 0;
}

char *
hr_val_strdup(const msgpack_object *v)
{
	char *s;

	if (v == NULL || v->type != MSGPACK_OBJECT_STR)
		return NULL;
	if ((s = malloc((size_t)v->via.str.size + 1)) == NULL)
		return NULL;
	if (v->via.str.size > 0)
		memcpy(s, v->via.str.ptr, v->via.str.size);
	s[v->via.str.size] = '\0';
	return s;
}

int
hr_val_str_eq(const msgpack_object *v, const char *s)
{
	size_t n = strlen(s);

	return v != NULL && v->type == MSGPACK_OBJECT_STR &&
	    v->via.str.size == n && (n == 0 || memcmp(v->via.str.ptr, s, n) == 0);
}
