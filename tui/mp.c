/*
 * mp.c — the display text of reply values (see mp.h).
 */
#include "config.h"

#include "tui/mp.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

const char *
mp_text(const msgpack_object *v, char *buf, size_t n)
{
	buf[0] = '\0';
	if (v == NULL)
		return buf;
	switch (v->type) {
	case MSGPACK_OBJECT_STR:
		snprintf(buf, n, "%.*s", (int)v->via.str.size, v->via.str.ptr);
		break;
	case MSGPACK_OBJECT_POSITIVE_INTEGER:
		snprintf(buf, n, "%" PRIu64, v->via.u64);
		break;
	case MSGPACK_OBJECT_NEGATIVE_INTEGER:
		snprintf(buf, n, "%" PRId64, v->via.i64);
		break;
	case MSGPACK_OBJECT_BOOLEAN:
		snprintf(buf, n, "%s", v->via.boolean ? "1" : "0");
		break;
	default:
		break;
	}
	return buf;
}

char *
mp_strdup(const msgpack_object *v)
{
	size_t n = (v != NULL && v->type == MSGPACK_OBJECT_STR) ?
	    v->via.str.size + 1 : 32;
	char *buf = malloc(n);

	if (buf != NULL)
		mp_text(v, buf, n);
	return buf;
}

const char *
mp_key(const msgpack_object *m, uint32_t i, char *buf, size_t n)
{
	buf[0] = '\0';
	if (m == NULL || m->type != MSGPACK_OBJECT_MAP || i >= m->via.map.size)
		return buf;
	return mp_text(&m->via.map.ptr[i].key, buf, n);
}
