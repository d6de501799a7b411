/*
 * tclient.c — blocking calls over the client library (tclient.h).
 */
#include "config.h"

#include "tests/lib/tclient.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <time.h>

#include "proto/method_names.h"
#include "proto/mpread.h"
#include "tests/lib/tsock.h"

double
tclock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

void
tcall_init(struct tcall *t)
{
	memset(t, 0, sizeof *t);
	msgpack_sbuffer_init(&t->copy);
	msgpack_unpacked_init(&t->result);
}

void
tcall_free(struct tcall *t)
{
	msgpack_unpacked_destroy(&t->result);
	msgpack_sbuffer_destroy(&t->copy);
	tcall_init(t);
}

const msgpack_object *
tcall_result(const struct tcall *t)
{
	return t->have_result ? &t->result.data : NULL;
}

/* Keep a private copy of `obj`: re-pack it and decode the copy. */
static void
keep_result(struct tcall *t, const msgpack_object *obj)
{
	msgpack_packer pk;
	size_t off = 0;

	msgpack_packer_init(&pk, &t->copy, msgpack_sbuffer_write);
	msgpack_pack_object(&pk, *obj);
	if (msgpack_unpack_next(&t->result, t->copy.data, t->copy.size, &off) ==
	    MSGPACK_UNPACK_SUCCESS)
		t->have_result = 1;
}

void
tcall_reply(void *ud, const struct hr_msg *reply, const struct hr_error *err)
{
	struct tcall *t = ud;

	t->done = 1;
	t->msg[0] = '\0';
	if (reply == NULL) {
		t->code = err != NULL && err->code != HR_OK ? err->code : HR_E_DISCONNECTED;
		if (err != NULL)
			snprintf(t->msg, sizeof t->msg, "%s", err->msg);
		return;
	}
	t->code = reply->err_code;
	if (reply->err_code != HR_OK) {
		if (reply->err_msg != NULL)
			snprintf(t->msg, sizeof t->msg, "%.*s",
			    (int)(reply->err_msg_len < sizeof t->msg ?
			    reply->err_msg_len : sizeof t->msg - 1), reply->err_msg);
		else if (err != NULL)
			snprintf(t->msg, sizeof t->msg, "%s", err->msg);
		return;
	}
	keep_result(t, &reply->result);
}

int
tcall_send_wait(struct hr_client *c, struct tcall *t, int timeout_ms)
{
	struct hr_error err;
	double start = tclock_ms();
	uint32_t id;

	hr_error_clear(&err);
	id = hr_client_send(c, tcall_reply, t);
	if (hr_client_wait(c, id, timeout_ms, &err) != 0 && !t->done) {
		t->code = err.code != HR_OK ? err.code : HR_E_TIMEOUT;
		snprintf(t->msg, sizeof t->msg, "%s", err.msg);
	}
	t->ms = (int64_t)(tclock_ms() - start);
	return t->code;
}

int
tcall_empty(struct hr_client *c, const char *method, struct tcall *t,
    int timeout_ms)
{
	msgpack_packer *pk = hr_client_begin(c, method);

	msgpack_pack_map(pk, 0);
	return tcall_send_wait(c, t, timeout_ms);
}

int
tcall_login(struct hr_client *c, const char *user, const char *password,
    struct tcall *t, int timeout_ms)
{
	msgpack_packer *pk = hr_client_begin(c, HR_M_LOGIN);

	msgpack_pack_map(pk, 2);
	hr_pack_kv_str(pk, "user", user);
	hr_pack_kv_str(pk, "password", password);
	return tcall_send_wait(c, t, timeout_ms);
}

struct hr_client *
tclient_open(const char *addr, const uint8_t *pk, int timeout_ms,
    struct hr_error *err)
{
	struct hr_client *c = hr_client_new();

	if (c == NULL) {
		hr_error_set(err, HR_E_INTERNAL, "hr_client_new failed");
		return NULL;
	}
	if (pk != NULL)
		hr_client_set_server_key(c, pk);
	if (hr_client_connect(c, addr, err) != 0 ||
	    hr_client_wait_ready(c, timeout_ms, err) != 0) {
		hr_client_free(c);
		return NULL;
	}
	return c;
}

struct hr_client *
tclient_open_from(const char *addr, const char *from, const uint8_t *pk,
    int timeout_ms, struct hr_error *err)
{
	struct hr_client *c = hr_client_new();
	int fd;

	if (c == NULL) {
		hr_error_set(err, HR_E_INTERNAL, "hr_client_new failed");
		return NULL;
	}
	if (pk != NULL)
		hr_client_set_server_key(c, pk);
	if ((fd = tsock_connect_from(addr, from, err)) < 0 ||
	    hr_client_attach_fd(c, fd, err) != 0 ||
	    hr_client_wait_ready(c, timeout_ms, err) != 0) {
		hr_client_free(c);
		return NULL;
	}
	return c;
}

int
tclient_pump(struct hr_client *c, int timeout_ms, struct hr_error *err)
{
	double deadline = tclock_ms() + timeout_ms;

	while (hr_client_state(c) != HR_CS_CLOSED && hr_client_state(c) != HR_CS_IDLE) {
		struct pollfd p = { .fd = hr_client_fd(c), .events = POLLIN };
		double left = deadline - tclock_ms();
		int n;

		if (left <= 0)
			return 0;
		if (p.fd < 0)
			return 1;
		if (hr_client_wants_write(c))
			p.events |= POLLOUT;
		n = poll(&p, 1, (int)left);
		if (n < 0 && errno != EINTR) {
			hr_error_set(err, HR_E_IO, "poll: %s", strerror(errno));
			return 0;
		}
		if (n <= 0)
			continue;
		if (hr_client_io(c, (p.revents & (POLLIN | POLLHUP | POLLERR)) != 0,
		    (p.revents & POLLOUT) != 0, err) != 0)
			return 1;
	}
	return 1;
}

const msgpack_object *
tobj_get(const msgpack_object *map, const char *key)
{
	return hr_val_get(map, key);
}

int
tobj_is_str(const msgpack_object *o, const char *s)
{
	return hr_val_str_eq(o, s);
}

int
tobj_is_int(const msgpack_object *o)
{
	return o != NULL && (o->type == MSGPACK_OBJECT_POSITIVE_INTEGER ||
	    o->type == MSGPACK_OBJECT_NEGATIVE_INTEGER);
}

int64_t
tobj_int(const msgpack_object *o, int64_t dflt)
{
	return hr_val_int(o, dflt);
}

const char *
tobj_str(const msgpack_object *o, char *out, size_t cap)
{
	size_t n;

	if (cap == 0)
		return out;
	if (o == NULL || o->type != MSGPACK_OBJECT_STR) {
		out[0] = '\0';
		return out;
	}
	n = o->via.str.size < cap - 1 ? o->via.str.size : cap - 1;
	memcpy(out, o->via.str.ptr, n);
	out[n] = '\0';
	return out;
}
