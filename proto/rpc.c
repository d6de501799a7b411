/*
 * rpc.c — msgpack-RPC envelopes inside the channel (see rpc.h,
 * PROTOCOL.md "Messages").
 *
 * Decoding is three gates, each cheaper than the next: hr_mpscan proves
 * the bytes are one bounded object (so msgpack-c cannot be made to
 * allocate more than ~24 bytes per input byte), msgpack_unpack builds the
 * object tree in the caller's zone, and the envelope checks below accept
 * exactly the three shapes of the protocol and nothing else.
 */
#include "proto/rpc.h"
#include "proto/mpread.h"
#include "proto/mpscan.h"
#include "proto/schema.h"     /* hr_utf8_valid */

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Method names are printable ASCII without spaces: safe to log as is. */
static int
rpc_method_ok(const msgpack_object *o)
{
	if (o->type != MSGPACK_OBJECT_STR || o->via.str.size == 0 ||
	    o->via.str.size > HR_METHOD_MAX)
		return 0;
	for (uint32_t i = 0; i < o->via.str.size; i++) {
		unsigned char c = (unsigned char)o->via.str.ptr[i];

		if (c <= 0x20 || c >= 0x7f)
			return 0;
	}
	return 1;
}

static int
rpc_msgid(const msgpack_object *o, uint32_t *msgid)
{
	if (o->type != MSGPACK_OBJECT_POSITIVE_INTEGER ||
	    o->via.u64 > UINT32_MAX)
		return 0;
	*msgid = (uint32_t)o->via.u64;
	return 1;
}

/* [0, msgid, method, params] */
static int
rpc_request(const msgpack_object_array *a, struct hr_msg *m, struct hr_error *err)
{
	if (a->size != 4 || !rpc_msgid(&a->ptr[1], &m->msgid))
		return hr_error_set(err, HR_E_PROTOCOL,
		    "request must be [0, u32 msgid, method, params]");
	m->type = HR_MSG_REQUEST;    /* from here on the msgid can be answered */
	if (!rpc_method_ok(&a->ptr[2]))
		return hr_error_set(err, HR_E_PROTOCOL,
		    "request method must be 1..%u printable ASCII bytes",
		    HR_METHOD_MAX);
	m->method = a->ptr[2].via.str.ptr;
	m->method_len = a->ptr[2].via.str.size;
	if (a->ptr[3].type != MSGPACK_OBJECT_MAP)
		return hr_error_set(err, HR_E_PROTOCOL,
		    "request params must be a map");
	m->params = a->ptr[3];
	return 0;
}

/* error: nil, or [positive int code, UTF-8 str message(, details map)] */
static int
rpc_response_error(const msgpack_object *o, struct hr_msg *m)
{
	const msgpack_object *e;

	if (o->type == MSGPACK_OBJECT_NIL) {
		m->err_code = HR_OK;
		return 1;
	}
	if (o->type != MSGPACK_OBJECT_ARRAY || o->via.array.size < 2 ||
	    o->via.array.size > 3)
		return 0;
	e = o->via.array.ptr;
	if (e[0].type != MSGPACK_OBJECT_POSITIVE_INTEGER || e[0].via.u64 == 0 ||
	    e[0].via.u64 > INT_MAX || e[1].type != MSGPACK_OBJECT_STR ||
	    (e[1].via.str.size > 0 &&
	     !hr_utf8_valid(e[1].via.str.ptr, e[1].via.str.size)))
		return 0;
	m->err_code = (int)e[0].via.u64;
	m->err_msg = e[1].via.str.ptr;
	m->err_msg_len = e[1].via.str.size;
	if (o->via.array.size == 3) {
		if (e[2].type != MSGPACK_OBJECT_MAP && e[2].type != MSGPACK_OBJECT_NIL)
			return 0;
		m->err_details = e[2];
	}
	return 1;
}

/* [1, msgid, error, result] */
static int
rpc_response(const msgpack_object_array *a, struct hr_msg *m, struct hr_error *err)
{
	if (a->size != 4 || !rpc_msgid(&a->ptr[1], &m->msgid))
		return hr_error_set(err, HR_E_PROTOCOL,
		    "response must be [1, u32 msgid, error, result]");
	if (!rpc_response_error(&a->ptr[2], m))
		return hr_error_set(err, HR_E_PROTOCOL,
		    "response error must be nil or [code, UTF-8 message, "
		    "details map]");
	if (a->ptr[3].type != MSGPACK_OBJECT_MAP &&
	    a->ptr[3].type != MSGPACK_OBJECT_NIL)
		return hr_error_set(err, HR_E_PROTOCOL,
		    "response result must be a map or nil");
	m->result = a->ptr[3];
	m->type = HR_MSG_RESPONSE;
	return 0;
}

/* [2, method, params] */
static int
rpc_notification(const msgpack_object_array *a, struct hr_msg *m,
    struct hr_error *err)
{
	if (a->size != 3 || !rpc_method_ok(&a->ptr[1]) ||
	    a->ptr[2].type != MSGPACK_OBJECT_MAP)
		return hr_error_set(err, HR_E_PROTOCOL,
		    "notification must be [2, method, params map]");
	m->method = a->ptr[1].via.str.ptr;
	m->method_len = a->ptr[1].via.str.size;
	m->params = a->ptr[2];
	m->type = HR_MSG_NOTIFICATION;
	return 0;
}

/*
 * out->type stays -1 unless the envelope was recognised; a request with a
 * readable msgid but bad method or params fails with out->type set to
 * HR_MSG_REQUEST and out->msgid valid, so the server can answer it.
 */
int
hr_rpc_decode(const uint8_t *data, size_t len, msgpack_zone *zone,
    struct hr_msg *out, struct hr_error *err)
{
	msgpack_object        obj;
	msgpack_unpack_return rc;
	size_t                off = 0;

	memset(out, 0, sizeof *out);
	out->type = -1;
	out->params.type = MSGPACK_OBJECT_NIL;
	out->result.type = MSGPACK_OBJECT_NIL;
	out->err_details.type = MSGPACK_OBJECT_NIL;
	if (hr_mpscan(data, len, HR_MP_MAX_DEPTH, err) == -1)
		return -1;
	rc = msgpack_unpack((const char *)data, len, &off, zone, &obj);
	if (rc != MSGPACK_UNPACK_SUCCESS || off != len)
		return hr_error_set(err, HR_E_PROTOCOL,
		    "message could not be decoded (msgpack error %d)", (int)rc);
	if (obj.type != MSGPACK_OBJECT_ARRAY || obj.via.array.size < 3 ||
	    obj.via.array.ptr[0].type != MSGPACK_OBJECT_POSITIVE_INTEGER)
		return hr_error_set(err, HR_E_PROTOCOL,
		    "message must be an array [type, ...]");
	switch (obj.via.array.ptr[0].via.u64) {
	case HR_MSG_REQUEST:
		return rpc_request(&obj.via.array, out, err);
	case HR_MSG_RESPONSE:
		return rpc_response(&obj.via.array, out, err);
	case HR_MSG_NOTIFICATION:
		return rpc_notification(&obj.via.array, out, err);
	default:
		return hr_error_set(err, HR_E_PROTOCOL, "unknown message type %llu",
		    (unsigned long long)obj.via.array.ptr[0].via.u64);
	}
}

int
hr_rpc_method_is(const struct hr_msg *m, const char *name)
{
	size_t n = strlen(name);

	return m->method != NULL && m->method_len == n &&
	    memcmp(m->method, name, n) == 0;
}

/* ---- encoding ---- */

void
hr_pack_str(msgpack_packer *pk, const char *s)
{
	size_t n;

	if (s == NULL) {
		msgpack_pack_nil(pk);
		return;
	}
	n = strlen(s);
	msgpack_pack_str(pk, n);
	msgpack_pack_str_body(pk, s, n);
}

void
hr_pack_kv_str(msgpack_packer *pk, const char *key, const char *val)
{
	hr_pack_str(pk, key);
	hr_pack_str(pk, val);
}

void
hr_pack_kv_int(msgpack_packer *pk, const char *key, int64_t val)
{
	hr_pack_str(pk, key);
	msgpack_pack_int64(pk, val);
}

void
hr_rpc_pack_request(msgpack_packer *pk, uint32_t msgid, const char *method)
{
	msgpack_pack_array(pk, 4);
	msgpack_pack_uint8(pk, HR_MSG_REQUEST);
	msgpack_pack_uint32(pk, msgid);
	hr_pack_str(pk, method);
}

void
hr_rpc_pack_notification(msgpack_packer *pk, const char *method)
{
	msgpack_pack_array(pk, 3);
	msgpack_pack_uint8(pk, HR_MSG_NOTIFICATION);
	hr_pack_str(pk, method);
}

void
hr_rpc_pack_result(msgpack_packer *pk, uint32_t msgid)
{
	msgpack_pack_array(pk, 4);
	msgpack_pack_uint8(pk, HR_MSG_RESPONSE);
	msgpack_pack_uint32(pk, msgid);
	msgpack_pack_nil(pk);
}

/* A UTF-8 string from the error's storage, cut back to valid UTF-8. */
static void
rpc_pack_utf8(msgpack_packer *pk, const char *s, size_t cap)
{
	size_t n = strnlen(s, cap);

	while (n > 0 && !hr_utf8_valid(s, n))
		n--;
	msgpack_pack_str(pk, n);
	msgpack_pack_str_body(pk, s, n);
}

/* {id, parts: [{text, args: {name: value}}, ...]}, outermost part first. */
static void
rpc_pack_details(msgpack_packer *pk, const struct hr_error *err)
{
	msgpack_pack_map(pk, 2);
	hr_pack_kv_str(pk, "id", err->id);
	hr_pack_str(pk, "parts");
	msgpack_pack_array(pk, err->nparts);
	for (int k = err->nparts - 1; k >= 0; k--) {
		int nargs = 0;

		for (int i = 0; i < err->nargs; i++)
			nargs += err->arg[i].part == k;
		msgpack_pack_map(pk, 2);
		hr_pack_str(pk, "text");
		rpc_pack_utf8(pk, err->pool + err->part[k].text, HR_ERROR_POOL_MAX);
		hr_pack_str(pk, "args");
		msgpack_pack_map(pk, (size_t)nargs);
		for (int i = 0; i < err->nargs; i++) {
			const char *v = err->pool + err->arg[i].val;

			if (err->arg[i].part != k)
				continue;
			hr_pack_str(pk, err->pool + err->arg[i].name);
			if (err->arg[i].is_int)
				msgpack_pack_int64(pk, strtoll(v, NULL, 10));
			else
				rpc_pack_utf8(pk, v, HR_ERROR_POOL_MAX);
		}
	}
}

/*
 * The message must be valid UTF-8 for the peer to accept the response
 * (hr_rpc_decode checks it), and error messages are formatted from input:
 * truncation by vsnprintf can split a character, so cut back to the last
 * complete one.  A part that is a literal message (hr_error_prefix over an
 * unstructured error) has nothing to translate: such errors go without
 * details, as the English message says it all.
 */
void
hr_rpc_pack_error_obj(msgpack_packer *pk, const struct hr_error *err)
{
	int code = err->code > 0 ? err->code : HR_E_INTERNAL;
	int details = err->nparts > 0 && code != HR_E_INTERNAL;

	for (int k = 0; k < err->nparts; k++)
		if (err->part[k].raw)
			details = 0;
	msgpack_pack_array(pk, details ? 3 : 2);
	msgpack_pack_int(pk, code);
	rpc_pack_utf8(pk, err->msg, sizeof err->msg);
	if (details)
		rpc_pack_details(pk, err);
}

void
hr_rpc_pack_error(msgpack_packer *pk, uint32_t msgid, const struct hr_error *err)
{
	msgpack_pack_array(pk, 4);
	msgpack_pack_uint8(pk, HR_MSG_RESPONSE);
	msgpack_pack_uint32(pk, msgid);
	hr_rpc_pack_error_obj(pk, err);
	msgpack_pack_nil(pk);
}

/* ---- reading an error's details ---- */

static int
rpc_str_ok(const msgpack_object *o)
{
	return o != NULL && o->type == MSGPACK_OBJECT_STR &&
	    hr_utf8_valid(o->via.str.ptr, o->via.str.size) &&
	    memchr(o->via.str.ptr, '\0', o->via.str.size) == NULL;
}

static int
rpc_part_read(const msgpack_object *p, struct hr_error *e)
{
	const msgpack_object *text = hr_val_get(p, "text");
	const msgpack_object *args = hr_val_get(p, "args");
	char num[32];

	if (!rpc_str_ok(text) ||
	    hr_error_load_part(e, text->via.str.ptr, text->via.str.size) < 0)
		return -1;
	if (args == NULL || args->type == MSGPACK_OBJECT_NIL)
		return 0;
	if (args->type != MSGPACK_OBJECT_MAP)
		return -1;
	for (uint32_t i = 0; i < args->via.map.size; i++) {
		const msgpack_object *k = &args->via.map.ptr[i].key;
		const msgpack_object *v = &args->via.map.ptr[i].val;
		int rc;

		if (!rpc_str_ok(k))
			return -1;
		if (v->type == MSGPACK_OBJECT_POSITIVE_INTEGER ||
		    v->type == MSGPACK_OBJECT_NEGATIVE_INTEGER) {
			if (v->type == MSGPACK_OBJECT_POSITIVE_INTEGER)
				snprintf(num, sizeof num, "%llu",
				    (unsigned long long)v->via.u64);
			else
				snprintf(num, sizeof num, "%lld",
				    (long long)v->via.i64);
			rc = hr_error_load_arg(e, k->via.str.ptr, k->via.str.size,
			    num, strlen(num), 1);
		} else if (rpc_str_ok(v)) {
			rc = hr_error_load_arg(e, k->via.str.ptr, k->via.str.size,
			    v->via.str.ptr, v->via.str.size, 0);
		} else {
			return -1;
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* An error from its code, message and details map (may be nil). */
static void
rpc_error_load(int code, const char *msg, size_t msg_len,
    const msgpack_object *details, struct hr_error *e)
{
	const msgpack_object *id = hr_val_get(details, "id");
	const msgpack_object *parts = hr_val_get(details, "parts");

	hr_error_load_begin(e, code, msg, msg_len, "", 0);
	if (details->type != MSGPACK_OBJECT_MAP || !rpc_str_ok(id) ||
	    parts == NULL || parts->type != MSGPACK_OBJECT_ARRAY ||
	    parts->via.array.size == 0 ||
	    parts->via.array.size > HR_ERROR_PARTS_MAX ||
	    hr_error_load_begin(e, code, msg, msg_len, id->via.str.ptr,
	    id->via.str.size) < 0)
		return;
	for (uint32_t i = 0; i < parts->via.array.size; i++)
		if (rpc_part_read(&parts->via.array.ptr[i], e) < 0) {
			hr_error_drop_details(e);
			return;
		}
	hr_error_load_end(e);
}

void
hr_rpc_error_obj_read(const msgpack_object *o, struct hr_error *e)
{
	const msgpack_object nil = { .type = MSGPACK_OBJECT_NIL };
	const msgpack_object *a;

	if (o == NULL || o->type != MSGPACK_OBJECT_ARRAY ||
	    o->via.array.size < 2 || o->via.array.size > 3 ||
	    o->via.array.ptr[0].type != MSGPACK_OBJECT_POSITIVE_INTEGER ||
	    !rpc_str_ok(&o->via.array.ptr[1])) {
		hr_error_load_begin(e, HR_E_PROTOCOL, "", 0, "", 0);
		return;
	}
	a = o->via.array.ptr;
	rpc_error_load((int)a[0].via.u64, a[1].via.str.ptr, a[1].via.str.size,
	    o->via.array.size == 3 ? &a[2] : &nil, e);
}

void
hr_rpc_error_read(const struct hr_msg *m, struct hr_error *e)
{
	const char *msg = m->err_msg != NULL ? m->err_msg : "";

	rpc_error_load(m->err_code, msg, m->err_msg ? m->err_msg_len : 0,
	    &m->err_details, e);
}

void
hr_pack_kv_bool(msgpack_packer *pk, const char *key, int val)
{
	hr_pack_str(pk, key);
	if (val)
		msgpack_pack_true(pk);
	else
		msgpack_pack_false(pk);
}

void
hr_pack_kv_bin(msgpack_packer *pk, const char *key, const void *p, size_t n)
{
	hr_pack_str(pk, key);
	if (p == NULL) {
		msgpack_pack_nil(pk);
		return;
	}
	msgpack_pack_bin(pk, n);
	msgpack_pack_bin_body(pk, p, n);
}
