/*
 * tupload.c — the loop of a client that uploads (tupload.h).
 */
#include "tests/lib/tupload.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include "proto/method_names.h"
#include "tests/lib/tclient.h"

static int
all_ended(const struct hr_uploader *u)
{
	struct hr_upload_info in;

	for (size_t i = 0; i < hr_uploader_count(u); i++)
		if (hr_uploader_get(u, i, &in) == 0 && in.state != HR_UP_DONE &&
		    in.state != HR_UP_FAILED)
			return 0;
	return 1;
}

int
tupload_drive(struct hr_client *c, struct hr_uploader *u,
    tupload_hook_fn *hook, void *ud, int timeout_ms)
{
	double deadline = tclock_ms() + timeout_ms;
	struct hr_error err;

	for (;;) {
		struct pollfd p = { .fd = hr_client_fd(c), .events = POLLIN };
		int more, n;

		more = hr_uploader_step(u, hr_client_state(c) == HR_CS_READY,
		    (long)tclock_ms());
		if (all_ended(u))
			return 0;
		if (hook != NULL && hook(ud, c, u))
			return 1;
		if (hr_client_state(c) == HR_CS_CLOSED || p.fd < 0)
			return 2;
		if (tclock_ms() > deadline)
			return -1;
		if (hr_client_wants_write(c))
			p.events |= POLLOUT;
		n = poll(&p, 1, more ? 0 : 10);
		if (n < 0 && errno != EINTR)
			return -1;
		if (n > 0 && hr_client_io(c, (p.revents & (POLLIN | POLLHUP |
		    POLLERR)) != 0, (p.revents & POLLOUT) != 0, &err) != 0)
			return 2;
	}
}

int
tupload_reconnect(struct hr_client *c, const char *addr, int timeout_ms,
    struct hr_error *err)
{
	msgpack_packer *pk;
	struct tcall t;
	int rc;

	if (hr_client_ticket(c) == NULL)
		return hr_error_set(err, HR_E_TICKET, "no ticket to resume with");
	hr_client_close(c);
	if (hr_client_connect(c, addr, err) < 0 ||
	    hr_client_wait_ready(c, timeout_ms, err) < 0)
		return -1;
	pk = hr_client_begin(c, HR_M_RESUME);
	msgpack_pack_map(pk, hr_client_resume_fields(c));
	if (hr_client_pack_resume(c, pk) < 0)
		return hr_error_set(err, HR_E_TICKET, "no ticket to resume with");
	tcall_init(&t);
	rc = tcall_send_wait(c, &t, timeout_ms);
	if (rc != HR_OK)
		hr_error_set(err, rc, "resume: %s", t.msg);
	tcall_free(&t);
	return rc == HR_OK ? 0 : -1;
}

int
tupload_all_done(const struct hr_uploader *u)
{
	struct hr_upload_info in;
	int ok = 1;

	for (size_t i = 0; i < hr_uploader_count(u); i++) {
		if (hr_uploader_get(u, i, &in) != 0 || in.state == HR_UP_DONE)
			continue;
		fprintf(stderr, "#   upload %u (%s) state %d: %s\n", in.id,
		    in.name, in.state, in.err.msg);
		ok = 0;
	}
	return ok;
}
