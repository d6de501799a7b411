/*
 * rpc.h — messages inside the channel, msgpack-RPC style.
 *
 *   request       [0, msgid, method, params]
 *   response      [1, msgid, error, result]     error: nil or
 *                                               [code, message] or
 *                                               [code, message, details]
 *   notification  [2, method, params]
 *
 * `params` is always a map from field names to values (checked against the
 * method's schema, see schema.h); `result` is a map or nil.  msgid is a u32
 * chosen by the client; responses may arrive in any order.
 * See PROTOCOL.md "Messages".
 */
#ifndef HR_RPC_H
#define HR_RPC_H

#include <stddef.h>
#include <stdint.h>

#include <msgpack.h>

#include "proto/error.h"

enum hr_msg_type {
	HR_MSG_REQUEST      = 0,
	HR_MSG_RESPONSE     = 1,
	HR_MSG_NOTIFICATION = 2,
};

#define HR_METHOD_MAX 64u   /* longest method name */

struct hr_msg {
	int            type;        /* enum hr_msg_type */
	uint32_t       msgid;       /* request, response */
	const char    *method;      /* request, notification: NOT NUL-terminated */
	size_t         method_len;
	msgpack_object params;      /* request, notification: a map */
	int            err_code;    /* response: HR_OK or the error code */
	const char    *err_msg;     /* response: NOT NUL-terminated, may be NULL */
	size_t         err_msg_len;
	msgpack_object err_details; /* response: map, or nil when absent */
	msgpack_object result;      /* response: map or nil */
};

/*
 * Decode one decrypted frame.  Runs hr_mpscan first, then unpacks into
 * `zone` (objects point into `data` and the zone: keep both alive while
 * using `out`), and checks the envelope's shape.  0 or -1 with err set
 * (HR_E_PROTOCOL); on -1 `out->msgid` is set when it could be read, so a
 * server can still answer a request whose params were bad.
 */
int hr_rpc_decode(const uint8_t *data, size_t len, msgpack_zone *zone,
    struct hr_msg *out, struct hr_error *err);

/* True when the message's method equals the NUL-terminated `name`. */
int hr_rpc_method_is(const struct hr_msg *m, const char *name);

/*
 * Encoding: begin the envelope, then pack the params/result map yourself
 * with the msgpack_pack_* functions.
 */
void hr_rpc_pack_request(msgpack_packer *pk, uint32_t msgid, const char *method);
void hr_rpc_pack_notification(msgpack_packer *pk, const char *method);
/* Response with error nil; pack the result next. */
void hr_rpc_pack_result(msgpack_packer *pk, uint32_t msgid);
/*
 * Complete error response: [1, msgid, [code, message], nil], or with the
 * details map [code, message, {id, parts}] for a structured error
 * (PROTOCOL.md "Error details").
 */
void hr_rpc_pack_error(msgpack_packer *pk, uint32_t msgid, const struct hr_error *err);

/*
 * The error of a decoded response as a struct hr_error: code, message and,
 * when the details are well-formed and within the bounds of error.h, the
 * structured form (else it is dropped: the English message remains).
 */
void hr_rpc_error_read(const struct hr_msg *m, struct hr_error *e);

/*
 * An error as a value inside a result (a row refused by a batch): the
 * [code, message] or [code, message, details] array of an error response;
 * and read back (a malformed one reads as HR_E_PROTOCOL).
 */
void hr_rpc_pack_error_obj(msgpack_packer *pk, const struct hr_error *err);
void hr_rpc_error_obj_read(const msgpack_object *o, struct hr_error *e);

/* Pack a NUL-terminated string (nil when s is NULL). */
void hr_pack_str(msgpack_packer *pk, const char *s);
/* Pack a map key + string value pair; the usual shape of a result field. */
void hr_pack_kv_str(msgpack_packer *pk, const char *key, const char *val);
void hr_pack_kv_int(msgpack_packer *pk, const char *key, int64_t val);
void hr_pack_kv_bool(msgpack_packer *pk, const char *key, int val);
/* ... and binary bytes (nil when p is NULL). */
void hr_pack_kv_bin(msgpack_packer *pk, const char *key, const void *p,
    size_t n);

#endif
