/*
 * test_session.c — a real hromadad and the real client library over TCP.
 *
 * One server on a demo database serves most tests (handshake, login of every
 * demo role, credential errors, schema errors, scopes, resume, and abuse of
 * the raw socket after which the server must still serve others).  Tests
 * that change the server for good — throttling a user, changing accounts
 * with hromadactl, SIGTERM — start a server of their own.  Every call has a timeout and every test runs under
 * a 60 s watchdog (tests/lib/testsrv.h), so a broken server fails the test
 * instead of hanging it.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "proto/channel.h"
#include "proto/client.h"
#include "proto/frame.h"
#include "proto/handshake.h"
#include "proto/method_names.h"
#include "proto/roles.h"
#include "proto/rpc.h"
#include "proto/ticket.h"
#include "tests/lib/tclient.h"
#include "tests/lib/testsrv.h"
#include "tests/lib/tsock.h"

/* db/throttle.h: failures of one user from one source that lock it. */
#define PAIR_MAX 5

#define CALL_MS     (10000 * testsrv_slow())   /* one request */
#define READY_MS    (10000 * testsrv_slow())   /* connect + handshake */
#define CLOSE_MS    5000    /* the server must drop an abusive peer by then */
#define TEST_SECS   60      /* watchdog per test */
#define PAGES_MAX   1000    /* bound on journal paging */

static struct testsrv srv;   /* the shared server of the first group */

/* One account of every role in `hromadactl demo`, with its role's wire name. */
static const struct {
	const char *user;
	const char *role;
} demo_users[] = {
	{ "sta",       "userSta" },
	{ "cnap",      "userCnap" },
	{ "supersta",  "super_userSta" },
	{ "supercnap", "super_userCnap" },
	{ "upo",       "upo_otg" },
	{ "spszn",     "spszn" },
	{ "oblast",    "oblast" },
	{ "ministry",  "ministry" },
	{ "admin",     "admin" },
};

static const char *
password_of(const char *user)
{
	static char buf[128];

	snprintf(buf, sizeof buf, "demo-%s-2026", user);
	return buf;
}

/* ------------------------------------------------------------------------ */
/* helpers: clients                                                          */

static struct hr_client *
open_client(const struct testsrv *s)
{
	struct hr_error err;
	struct hr_client *c;

	hr_error_clear(&err);
	c = tclient_open(s->addr, s->pk, READY_MS, &err);
	if (c == NULL)
		fail_msg("connect %s: %s (%s)", s->addr, err.msg, hr_error_name(err.code));
	return c;
}

/* A client from local address `from` (127.x.y.z: another source). */
static struct hr_client *
open_client_from(const struct testsrv *s, const char *from)
{
	struct hr_error err;
	struct hr_client *c;

	hr_error_clear(&err);
	c = tclient_open_from(s->addr, from, s->pk, READY_MS, &err);
	if (c == NULL)
		fail_msg("connect %s from %s: %s", s->addr, from, err.msg);
	return c;
}

static void
expect_code(const struct tcall *t, int want, const char *what)
{
	if (t->code != want)
		fail_msg("%s: expected %s, got %s: %s", what, hr_error_name(want),
		    hr_error_name(t->code), t->msg);
}

/* Log in as `user` on c, which must work (`what` names the step). */
static void
login_on(struct hr_client *c, const char *user, const char *what)
{
	struct tcall t;

	tcall_init(&t);
	tcall_login(c, user, password_of(user), &t, CALL_MS);
	expect_code(&t, HR_OK, what);
	tcall_free(&t);
}

static struct hr_client *
login_client(const struct testsrv *s, const char *user)
{
	struct hr_client *c = open_client(s);

	login_on(c, user, user);
	return c;
}

/* `method` without params, called after `after`, answers `code`; the
 * reply stays in *t (the caller frees it). */
static void
call_after(struct hr_client *c, const char *method, int code,
    const char *after, struct tcall *t)
{
	char what[128];

	snprintf(what, sizeof what, "%s after %s", method, after);
	tcall_init(t);
	tcall_empty(c, method, t, CALL_MS);
	expect_code(t, code, what);
}

/* `method` without params answers `code` (`what` names the call). */
static void
expect_call(struct hr_client *c, const char *method, int code,
    const char *what)
{
	struct tcall t;

	tcall_init(&t);
	tcall_empty(c, method, &t, CALL_MS);
	expect_code(&t, code, what);
	tcall_free(&t);
}

static void
expect_ping(struct hr_client *c, const char *after)
{
	struct tcall t;

	call_after(c, HR_M_PING, HR_OK, after, &t);
	assert_true(tobj_is_int(tobj_get(tcall_result(&t), "time")));
	tcall_free(&t);
}

/* A new client can still connect, log in and ping. */
static void
expect_serves(struct testsrv *s, const char *after)
{
	struct hr_client *c;

	if (!testsrv_alive(s)) {
		testsrv_dump_log(s, stderr, 3000);
		fail_msg("hromadad died after %s", after);
	}
	c = login_client(s, "spszn");
	expect_ping(c, after);
	hr_client_free(c);
}

/* ------------------------------------------------------------------------ */
/* helpers: raw sockets                                                      */

static int
raw_connect(const struct testsrv *s)
{
	struct hr_error err;
	int fd = tsock_connect(s->addr, &err);

	if (fd < 0)
		fail_msg("%s", err.msg);
	return fd;
}

/* Read exactly n bytes: 1, or 0 on EOF/reset, -1 on timeout. */
static int
raw_read(int fd, void *p, size_t n, int timeout_ms)
{
	int64_t deadline = testsrv_now_ms() + timeout_ms;
	uint8_t *b = p;

	while (n > 0) {
		struct pollfd pf = { .fd = fd, .events = POLLIN };
		int64_t left = deadline - testsrv_now_ms();
		ssize_t r;

		if (left <= 0)
			return -1;
		if (poll(&pf, 1, (int)left) <= 0)
			continue;
		r = recv(fd, b, n, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return 0;
		b += r;
		n -= (size_t)r;
	}
	return 1;
}

/* Did the server close the connection within CLOSE_MS?  Discards data. */
static int
raw_closed_by_peer(int fd)
{
	int64_t deadline = testsrv_now_ms() + CLOSE_MS;
	uint8_t sink[4096];

	for (;;) {
		struct pollfd pf = { .fd = fd, .events = POLLIN };
		int64_t left = deadline - testsrv_now_ms();
		ssize_t r;

		if (left <= 0)
			return 0;
		if (poll(&pf, 1, (int)left) <= 0)
			continue;
		r = recv(fd, sink, sizeof sink, 0);
		if (r == 0 || (r < 0 && errno != EINTR && errno != EAGAIN))
			return 1;
	}
}

/* Read one frame into a new buffer (*body, owned by the caller). */
static int
raw_read_frame(int fd, uint8_t hdr[HR_FRAME_HEADER], uint8_t **body,
    size_t *len)
{
	uint32_t n;
	int r;

	*body = NULL;
	r = raw_read(fd, hdr, HR_FRAME_HEADER, CALL_MS);
	if (r != 1)
		return r;
	n = hr_frame_get_len(hdr);
	if (n == 0 || n > HR_FRAME_MAX)
		fail_msg("server sent a frame of %u bytes", n);
	*body = malloc(n);
	assert_non_null(*body);
	*len = n;
	r = raw_read(fd, *body, n, CALL_MS);
	if (r != 1) {
		free(*body);
		*body = NULL;
	}
	return r;
}

/* The handshake by hand, pinned to the server's key. */
static void
raw_handshake(const struct testsrv *s, int fd, struct hr_channel *ch)
{
	struct hr_hs_client hs;
	uint8_t hello[HR_CLIENT_HELLO_LEN], hdr[HR_FRAME_HEADER], *body;
	struct hr_error err;
	size_t len;

	hr_hs_client_start(&hs, s->pk, hello);
	tsock_send_frame(fd, hello, sizeof hello);
	assert_int_equal(raw_read_frame(fd, hdr, &body, &len), 1);
	hr_error_clear(&err);
	if (hr_hs_client_finish(&hs, body, len, ch, &err) != 0)
		fail_msg("raw handshake: %s", err.msg);
	free(body);
}

/* A connection with the handshake done by hand: its descriptor. */
static int
raw_session(const struct testsrv *s, struct hr_channel *ch)
{
	int fd = raw_connect(s);

	raw_handshake(s, fd, ch);
	return fd;
}

/* A raw session over: the channel's keys wiped, the socket closed. */
static void
raw_end(int fd, struct hr_channel *ch)
{
	hr_channel_wipe(ch);
	close(fd);
}

/* `frame` (n bytes, freed here) sent on the raw session fd: the server
 * must end the session — `what` names the frame when it does not. */
static void
raw_send_ends(int fd, struct hr_channel *ch, uint8_t *frame, size_t n,
    const char *what)
{
	tsock_send(fd, frame, n);
	if (!raw_closed_by_peer(fd))
		fail_msg("%s did not end the session", what);
	free(frame);
	raw_end(fd, ch);
}

/* Seal plaintext into a new frame (*out, owned by the caller). */
static size_t
raw_seal(struct hr_channel *ch, const void *pt, size_t ptlen, uint8_t **out)
{
	*out = malloc(HR_FRAME_HEADER + ptlen + HR_TAG_LEN);
	assert_non_null(*out);
	return hr_channel_seal(ch, pt, ptlen, *out);
}

/* A sealed request frame `[0, msgid, method, {}]`. */
static size_t
raw_request(struct hr_channel *ch, uint32_t msgid, const char *method,
    uint8_t **out)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;
	size_t n;

	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	hr_rpc_pack_request(&pk, msgid, method);
	msgpack_pack_map(&pk, 0);
	n = raw_seal(ch, (const uint8_t *)sb.data, sb.size, out);
	msgpack_sbuffer_destroy(&sb);
	return n;
}

/* Read and open one reply; returns its msgid (the response must be one). */
static uint32_t
raw_reply(int fd, struct hr_channel *ch, int *code)
{
	uint8_t hdr[HR_FRAME_HEADER], *body, *pt;
	struct hr_error err;
	struct hr_msg m;
	msgpack_zone zone;
	size_t len;

	assert_int_equal(raw_read_frame(fd, hdr, &body, &len), 1);
	assert_true(len > HR_TAG_LEN);
	pt = malloc(len - HR_TAG_LEN);
	assert_non_null(pt);
	hr_error_clear(&err);
	if (hr_channel_open(ch, hdr, body, len, pt, &err) != 0)
		fail_msg("raw reply does not open: %s", err.msg);
	msgpack_zone_init(&zone, 1024);
	if (hr_rpc_decode(pt, len - HR_TAG_LEN, &zone, &m, &err) != 0)
		fail_msg("raw reply does not decode: %s", err.msg);
	assert_int_equal(m.type, HR_MSG_RESPONSE);
	*code = m.err_code;
	msgpack_zone_destroy(&zone);
	free(pt);
	free(body);
	return m.msgid;
}

/* ------------------------------------------------------------------------ */
/* group setup                                                               */

static int
group_setup(void **state)
{
	struct hr_error err;

	(void)state;
	testsrv_watchdog(3 * TEST_SECS);
	hr_error_clear(&err);
	if (testsrv_start(&srv, &err) != 0) {
		fprintf(stderr, "cannot start the test server: %s\n", err.msg);
		if (srv.dir[0] != '\0')
			testsrv_dump_log(&srv, stderr, 3000);
		testsrv_free(&srv);
		return -1;
	}
	fprintf(stderr, "# hromadad on %s, db %s\n", srv.addr, srv.db);
	return 0;
}

static int
group_teardown(void **state)
{
	struct hr_error err;

	(void)state;
	if (srv.dir[0] == '\0')
		return 0;                   /* setup failed and said why */
	testsrv_watchdog(TEST_SECS);
	hr_error_clear(&err);
	return testsrv_finish(&srv, "stopping the shared server", &err);
}

static int
test_setup(void **state)
{
	(void)state;
	testsrv_watchdog(TEST_SECS);
	return 0;
}

/* ------------------------------------------------------------------------ */
/* handshake                                                                 */

static void
test_handshake_pinned(void **state)
{
	struct hr_client *c = open_client(&srv);
	struct hr_client_stats st;

	(void)state;
	assert_int_equal(hr_client_state(c), HR_CS_READY);
	hr_client_stats(c, &st);
	assert_true(st.frames_out >= 1 && st.frames_in >= 1);
	hr_client_free(c);
}

static void
test_handshake_unpinned(void **state)
{
	struct hr_client *c = hr_client_new();
	const uint8_t *keys = NULL;
	struct hr_error err;
	size_t n;

	(void)state;
	hr_error_clear(&err);
	assert_int_equal(hr_client_connect(c, srv.addr, &err), 0);
	assert_int_equal(hr_client_wait_ready(c, READY_MS, &err), -1);
	if (err.code != HR_E_KEY_UNKNOWN)
		fail_msg("unpinned: expected key_unknown, got %s: %s",
		    hr_error_name(err.code), err.msg);
	assert_int_not_equal(hr_client_state(c), HR_CS_READY);
	n = hr_client_offered_keys(c, &keys);
	assert_true(n >= 1 && n <= HR_MAX_SERVER_KEYS);
	assert_non_null(keys);
	assert_memory_equal(keys, srv.pk, HR_PUBKEY_LEN);   /* current key first */
	hr_client_free(c);
}

static void
test_handshake_wrong_key(void **state)
{
	struct hr_client *c = hr_client_new();
	uint8_t wrong[HR_PUBKEY_LEN];
	struct hr_error err;
	struct tcall t;

	(void)state;
	randombytes_buf(wrong, sizeof wrong);
	hr_client_set_server_key(c, wrong);
	hr_error_clear(&err);
	tcall_init(&t);
	assert_int_equal(hr_client_connect(c, srv.addr, &err), 0);
	/* A request queued before the channel must never be sent. */
	msgpack_pack_map(hr_client_begin(c, HR_M_PING), 0);
	hr_client_send(c, tcall_reply, &t);
	assert_int_equal(hr_client_wait_ready(c, READY_MS, &err), -1);
	if (err.code != HR_E_KEY_CHANGED)
		fail_msg("wrong pinned key: expected key_changed, got %s: %s",
		    hr_error_name(err.code), err.msg);
	assert_int_not_equal(hr_client_state(c), HR_CS_READY);
	hr_client_close(c);
	assert_true(t.done);
	assert_int_not_equal(t.code, HR_OK);
	tcall_free(&t);
	hr_client_free(c);
}

/* ------------------------------------------------------------------------ */
/* login                                                                     */

/*
 * Check a session map (login and resume results).  The scope names the
 * user's own territory exactly when the role's scope kind is its home kind
 * (proto/roles.c); the scope's name goes to scope_out.
 */
static void
check_session_result(struct hr_client *c, const msgpack_object *r,
    const char *user, const char *role, char *scope_out, size_t scope_cap)
{
	const struct hr_role_info *ri = hr_role_info(hr_role_from_name(role));
	const msgpack_object *ticket = tobj_get(r, "ticket");
	const uint8_t *kept = hr_client_ticket(c);
	char terr[256], scope[256], full[256];
	int64_t now = (int64_t)time(NULL), st;

	assert_non_null(r);
	if (!tobj_is_str(tobj_get(r, "user"), user))
		fail_msg("%s: result field user is not \"%s\"", user, user);
	if (!tobj_is_str(tobj_get(r, "role"), role))
		fail_msg("%s: role is \"%s\", expected \"%s\"", user,
		    tobj_str(tobj_get(r, "role"), terr, sizeof terr), role);
	assert_true(tobj_int(tobj_get(r, "user_id"), 0) > 0);
	assert_true(tobj_int(tobj_get(r, "territory_id"), 0) > 0);
	assert_true(*tobj_str(tobj_get(r, "territory"), terr, sizeof terr) != '\0');
	assert_true(*tobj_str(tobj_get(r, "full_name"), full, sizeof full) != '\0');
	assert_non_null(tobj_get(r, "scope"));
	assert_true(tobj_int(tobj_get(r, "ticket_ttl"), 0) > 0);
	st = tobj_int(tobj_get(r, "server_time"), 0);
	if (st < now - 300 || st > now + 300)
		fail_msg("%s: server_time %lld, local time %lld", user,
		    (long long)st, (long long)now);
	assert_non_null(ticket);
	assert_int_equal(ticket->type, MSGPACK_OBJECT_BIN);
	assert_int_equal(ticket->via.bin.size, HR_TICKET_LEN);
	assert_non_null(kept);
	assert_memory_equal(kept, ticket->via.bin.ptr, HR_TICKET_LEN);
	if (tobj_get(r, "scope")->type == MSGPACK_OBJECT_STR)
		tobj_str(tobj_get(r, "scope"), scope, sizeof scope);
	else if (tobj_get(r, "scope")->type == MSGPACK_OBJECT_NIL)
		snprintf(scope, sizeof scope, "nil");
	else
		fail_msg("%s: scope is neither a string nor nil", user);
	fprintf(stderr, "#   %-9s %-14s territory %lld \"%s\" scope \"%s\"\n", user,
	    role, (long long)tobj_int(tobj_get(r, "territory_id"), 0), terr, scope);
	assert_non_null(ri);
	if (ri->home == ri->scope && strcmp(scope, terr) != 0)
		fail_msg("%s: scope \"%s\" should be its own territory \"%s\"", user,
		    scope, terr);
	if (ri->home != ri->scope && strcmp(scope, terr) == 0)
		fail_msg("%s: scope should be wider than its territory \"%s\"", user,
		    terr);
	if (scope_out != NULL)
		snprintf(scope_out, scope_cap, "%s", scope);
}

static void
test_login_roles(void **state)
{
	char scopes[sizeof demo_users / sizeof demo_users[0]][256];

	(void)state;
	for (size_t i = 0; i < sizeof demo_users / sizeof demo_users[0]; i++) {
		struct hr_client *c = open_client(&srv);
		struct tcall t;

		tcall_init(&t);
		tcall_login(c, demo_users[i].user, password_of(demo_users[i].user),
		    &t, CALL_MS);
		expect_code(&t, HR_OK, demo_users[i].user);
		check_session_result(c, tcall_result(&t), demo_users[i].user,
		    demo_users[i].role, scopes[i], sizeof scopes[i]);
		tcall_free(&t);
		hr_client_free(c);
	}
	/* The demo's super users and upo work in the same hromada (index 2, 3, 4). */
	assert_string_equal(scopes[2], scopes[4]);
	assert_string_equal(scopes[3], scopes[4]);
}

/* One failing login on a fresh connection; returns the call's time. */
static int64_t
failed_login(const char *user, const char *password, char *msg, size_t cap)
{
	struct hr_client *c = open_client(&srv);
	struct tcall t;
	int64_t ms;

	tcall_init(&t);
	tcall_login(c, user, password, &t, CALL_MS);
	expect_code(&t, HR_E_CREDENTIALS, user);
	snprintf(msg, cap, "%s", t.msg);
	ms = t.ms;
	tcall_free(&t);
	hr_client_free(c);
	return ms;
}

static void
test_credentials(void **state)
{
	char m1[HR_ERROR_MSG_MAX], m2[HR_ERROR_MSG_MAX];
	int64_t wrong[2], unknown[2];

	(void)state;
	for (int i = 0; i < 2; i++) {
		wrong[i] = failed_login("supersta", "not-the-password", m1, sizeof m1);
		unknown[i] = failed_login("nobody-here", "not-the-password", m2, sizeof m2);
	}
	fprintf(stderr, "#   wrong password: %lld, %lld ms; unknown user: %lld, %lld ms\n",
	    (long long)wrong[0], (long long)wrong[1],
	    (long long)unknown[0], (long long)unknown[1]);
	/* The reply must not say which of the two was wrong. */
	if (strcmp(m1, m2) != 0)
		fail_msg("messages differ: \"%s\" vs \"%s\"", m1, m2);
}

static void
test_auth_needed(void **state)
{
	static const char *const methods[] = {
		HR_M_JOURNAL_LIST, HR_M_REPORT_SUMMARY, HR_M_USER_LIST,
	};
	struct hr_client *c = open_client(&srv);

	(void)state;
	for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
		expect_call(c, methods[i], HR_E_AUTH_NEEDED, methods[i]);
	/* The connection stays usable: log in on it now. */
	login_on(c, "sta", "login after auth_needed");
	hr_client_free(c);
}

static void
test_unknown_method(void **state)
{
	struct hr_client *c = open_client(&srv);

	(void)state;
	/* Before login: the method is looked up first (PROTOCOL.md). */
	expect_call(c, "no.such.method", HR_E_NO_METHOD,
	    "no.such.method before login");
	expect_ping(c, "an unknown method before login");
	hr_client_free(c);

	c = login_client(&srv, "sta");
	expect_call(c, "no.such.method", HR_E_NO_METHOD, "no.such.method");
	expect_ping(c, "an unknown method");
	hr_client_free(c);
}

/* ------------------------------------------------------------------------ */
/* bad params                                                                */

enum bad_kind { BAD_UNKNOWN_KEY, BAD_TYPE, BAD_RANGE_LO, BAD_RANGE_HI,
	BAD_DUP_KEY, BAD_HUGE_STR, BAD_NOT_MAP };

/*
 * `code` is what the server must answer.  Params that are not a map break
 * the envelope (rpc.h: "params is always a map"), so that one is a
 * protocol error; the connection stays usable all the same.
 */
static const struct {
	enum bad_kind kind;
	const char   *method;
	int           code;
	const char   *what;
} bad_params[] = {
	{ BAD_UNKNOWN_KEY, HR_M_PING,         HR_E_PARAMS,   "ping {bogus: 1}" },
	{ BAD_UNKNOWN_KEY, HR_M_JOURNAL_LIST, HR_E_PARAMS,   "journal.list {bogus: 1}" },
	{ BAD_TYPE,        HR_M_JOURNAL_LIST, HR_E_PARAMS,   "journal.list {limit: \"ten\"}" },
	{ BAD_RANGE_LO,    HR_M_JOURNAL_LIST, HR_E_PARAMS,   "journal.list {limit: 0}" },
	{ BAD_RANGE_HI,    HR_M_JOURNAL_LIST, HR_E_PARAMS,   "journal.list {limit: 101}" },
	{ BAD_DUP_KEY,     HR_M_JOURNAL_LIST, HR_E_PARAMS,   "journal.list {limit: 5, limit: 5}" },
	{ BAD_HUGE_STR,    HR_M_JOURNAL_LIST, HR_E_PARAMS,   "journal.list {q: <64 KiB>}" },
	{ BAD_NOT_MAP,     HR_M_JOURNAL_LIST, HR_E_PROTOCOL, "journal.list params [1]" },
};

static void
pack_bad(msgpack_packer *pk, enum bad_kind kind)
{
	static char huge[64 * 1024 + 1];

	switch (kind) {
	case BAD_UNKNOWN_KEY:
		msgpack_pack_map(pk, 1);
		hr_pack_kv_int(pk, "bogus", 1);
		break;
	case BAD_TYPE:
		msgpack_pack_map(pk, 1);
		hr_pack_kv_str(pk, "limit", "ten");
		break;
	case BAD_RANGE_LO:
		msgpack_pack_map(pk, 1);
		hr_pack_kv_int(pk, "limit", 0);
		break;
	case BAD_RANGE_HI:
		msgpack_pack_map(pk, 1);
		hr_pack_kv_int(pk, "limit", 101);
		break;
	case BAD_DUP_KEY:
		msgpack_pack_map(pk, 2);
		hr_pack_kv_int(pk, "limit", 5);
		hr_pack_kv_int(pk, "limit", 5);
		break;
	case BAD_HUGE_STR:
		memset(huge, 'a', sizeof huge - 1);
		msgpack_pack_map(pk, 1);
		hr_pack_kv_str(pk, "q", huge);
		break;
	case BAD_NOT_MAP:
		msgpack_pack_array(pk, 1);
		msgpack_pack_int(pk, 1);
		break;
	}
}

static void
test_bad_params(void **state)
{
	struct hr_client *c = login_client(&srv, "sta");
	struct hr_client *anon = open_client(&srv);
	char big_user[1025];   /* over the 64-byte bound, under the 4 KiB pre-login frame */
	msgpack_packer *pk;
	struct tcall t;

	(void)state;
	for (size_t i = 0; i < sizeof bad_params / sizeof bad_params[0]; i++) {
		tcall_init(&t);
		pack_bad(hr_client_begin(c, bad_params[i].method), bad_params[i].kind);
		tcall_send_wait(c, &t, CALL_MS);
		expect_code(&t, bad_params[i].code, bad_params[i].what);
		tcall_free(&t);
		expect_ping(c, bad_params[i].what);
	}

	/* Before login too: a wrong type and a long user name. */
	tcall_init(&t);
	pk = hr_client_begin(anon, HR_M_LOGIN);
	msgpack_pack_map(pk, 2);
	hr_pack_kv_int(pk, "user", 12345);
	hr_pack_kv_str(pk, "password", "x");
	tcall_send_wait(anon, &t, CALL_MS);
	expect_code(&t, HR_E_PARAMS, "login {user: 12345}");
	tcall_free(&t);

	memset(big_user, 'u', sizeof big_user - 1);
	big_user[sizeof big_user - 1] = '\0';
	tcall_init(&t);
	tcall_login(anon, big_user, "x", &t, CALL_MS);
	expect_code(&t, HR_E_PARAMS, "login {user: <1 KiB>}");
	tcall_free(&t);

	login_on(anon, "sta", "login after bad params");
	hr_client_free(anon);
	hr_client_free(c);
}

/* ------------------------------------------------------------------------ */
/* journal scope                                                             */

/* Sum of the integers in a counts map or array (-1 when there is none). */
static int64_t
counts_total(const msgpack_object *counts)
{
	int64_t sum = 0;

	if (counts == NULL || counts->type == MSGPACK_OBJECT_NIL)
		return -1;
	if (counts->type == MSGPACK_OBJECT_MAP) {
		for (uint32_t i = 0; i < counts->via.map.size; i++)
			sum += tobj_int(&counts->via.map.ptr[i].val, 0);
		return sum;
	}
	if (counts->type == MSGPACK_OBJECT_ARRAY) {
		for (uint32_t i = 0; i < counts->via.array.size; i++)
			sum += tobj_int(&counts->via.array.ptr[i], 0);
		return sum;
	}
	return -1;
}

/*
 * Page through the whole journal of a logged-in client.  Every item must
 * have an id; when `front` is given, items that name their front office
 * must name this one.  Returns the number of items; *counted gets the sum
 * of the first page's counts (-1 if none).
 */
/*
 * Walk every page of the journal; with `front` (a territory id), every row
 * must be of that front office.  Rows are arrays (PROTOCOL.md
 * "journal.list"): [id, reg_no, created_at, status, service, applicant,
 * front_office, package_full].
 */
static int64_t
journal_all(struct hr_client *c, const char *who, int64_t front,
    int64_t *counted)
{
	int64_t total = 0, before = 0;

	*counted = -1;
	for (int page = 0; page < PAGES_MAX; page++) {
		msgpack_packer *pk = hr_client_begin(c, HR_M_JOURNAL_LIST);
		const msgpack_object *r, *rows, *next;
		struct tcall t;

		msgpack_pack_map(pk, before > 0 ? 3 : 2);
		hr_pack_kv_int(pk, "limit", 100);
		msgpack_pack_str(pk, 6);
		msgpack_pack_str_body(pk, "counts", 6);
		if (page == 0)
			msgpack_pack_true(pk);
		else
			msgpack_pack_false(pk);
		if (before > 0)
			hr_pack_kv_int(pk, "before", before);
		tcall_init(&t);
		tcall_send_wait(c, &t, CALL_MS);
		expect_code(&t, HR_OK, who);
		r = tcall_result(&t);
		rows = tobj_get(r, "rows");
		assert_non_null(rows);
		assert_int_equal(rows->type, MSGPACK_OBJECT_ARRAY);
		if (page == 0)
			*counted = counts_total(tobj_get(r, "counts"));
		for (uint32_t i = 0; i < rows->via.array.size; i++) {
			const msgpack_object *it = &rows->via.array.ptr[i];
			int64_t fo;

			assert_int_equal(it->type, MSGPACK_OBJECT_ARRAY);
			assert_true(it->via.array.size >= 8);
			assert_true(tobj_int(&it->via.array.ptr[0], 0) > 0);
			fo = tobj_int(&it->via.array.ptr[6], 0);
			if (front != 0 && fo != front)
				fail_msg("%s sees an application of front office "
				    "%lld, not of %lld", who, (long long)fo,
				    (long long)front);
		}
		total += rows->via.array.size;
		next = tobj_get(r, "next");
		before = tobj_int(next, 0);
		tcall_free(&t);
		if (before <= 0)
			return total;
	}
	fail_msg("%s: journal has more than %d pages", who, PAGES_MAX);
	return total;
}

/* Log in and return the territory (name and id) from the login result. */
static struct hr_client *
login_territory(const char *user, char *terr, size_t cap, int64_t *terr_id)
{
	struct hr_client *c = open_client(&srv);
	struct tcall t;

	tcall_init(&t);
	tcall_login(c, user, password_of(user), &t, CALL_MS);
	expect_code(&t, HR_OK, user);
	tobj_str(tobj_get(tcall_result(&t), "territory"), terr, cap);
	*terr_id = tobj_int(tobj_get(tcall_result(&t), "territory_id"), 0);
	tcall_free(&t);
	return c;
}

static void
test_journal_scope(void **state)
{
	char sta_terr[256], upo_terr[256];
	int64_t n_sta, n_upo, c_sta, c_upo, sta_id, upo_id;
	struct hr_client *c;

	(void)state;
	c = login_territory("sta", sta_terr, sizeof sta_terr, &sta_id);
	assert_true(sta_id > 0);
	n_sta = journal_all(c, "sta", sta_id, &c_sta);
	hr_client_free(c);
	c = login_territory("upo", upo_terr, sizeof upo_terr, &upo_id);
	n_upo = journal_all(c, "upo", 0, &c_upo);
	hr_client_free(c);
	fprintf(stderr, "#   journal: sta (%s) %lld items, counts %lld; "
	    "upo (%s) %lld items, counts %lld\n", sta_terr, (long long)n_sta,
	    (long long)c_sta, upo_terr, (long long)n_upo, (long long)c_upo);
	assert_true(n_sta > 0);             /* the demo has applications there */
	assert_true(n_upo >= n_sta);
	if (c_sta >= 0)
		assert_int_equal(c_sta, n_sta);
	if (c_upo >= 0)
		assert_int_equal(c_upo, n_upo);

	c = login_client(&srv, "oblast");
	expect_call(c, HR_M_JOURNAL_LIST, HR_E_FORBIDDEN,
	    "journal.list as oblast");
	expect_ping(c, "forbidden");
	hr_client_free(c);
}

/* ------------------------------------------------------------------------ */
/* resume                                                                    */

/*
 * resume with `ticket` on c: its id and a binder for c's own handshake
 * (hr_client_pack_resume), as a client that got the ticket under the key
 * c has pinned.
 */
static int
resume_call(struct hr_client *c, const uint8_t ticket[HR_TICKET_LEN],
    struct tcall *t)
{
	msgpack_packer *pk;

	hr_client_set_ticket(c, ticket, NULL);
	pk = hr_client_begin(c, HR_M_RESUME);
	msgpack_pack_map(pk, 2);
	assert_int_equal(hr_client_pack_resume(c, pk), 0);
	return tcall_send_wait(c, t, CALL_MS);
}

/* Resume with `ticket` on a new connection to s: refused. */
static void
expect_resume_refused_on(const struct testsrv *s,
    const uint8_t ticket[HR_TICKET_LEN], const char *what)
{
	struct hr_client *c = open_client(s);
	struct tcall t;

	tcall_init(&t);
	resume_call(c, ticket, &t);
	expect_code(&t, HR_E_TICKET, what);
	tcall_free(&t);
	hr_client_free(c);
}

static void
expect_resume_refused(const uint8_t ticket[HR_TICKET_LEN], const char *what)
{
	expect_resume_refused_on(&srv, ticket, what);
}

static void ctl(const struct testsrv *s, ...);
static void expect_session_ended(struct hr_client *c, const char *after);
static char ctl_out[1024];

static void
test_resume(void **state)
{
	uint8_t first[HR_TICKET_LEN], second[HR_TICKET_LEN];
	struct hr_client *c = login_client(&srv, "cnap");
	struct hr_error err;
	struct tcall t;

	(void)state;
	assert_non_null(hr_client_ticket(c));
	memcpy(first, hr_client_ticket(c), HR_TICKET_LEN);

	/* Drop the link; connect again and resume without the password. */
	hr_client_close(c);
	assert_int_equal(hr_client_state(c), HR_CS_CLOSED);
	hr_error_clear(&err);
	assert_int_equal(hr_client_connect(c, srv.addr, &err), 0);
	if (hr_client_wait_ready(c, READY_MS, &err) != 0)
		fail_msg("reconnect: %s", err.msg);
	tcall_init(&t);
	resume_call(c, first, &t);
	expect_code(&t, HR_OK, "resume");
	check_session_result(c, tcall_result(&t), "cnap", "userCnap", NULL, 0);
	tcall_free(&t);
	memcpy(second, hr_client_ticket(c), HR_TICKET_LEN);
	assert_memory_not_equal(first, second, HR_TICKET_LEN);

	/* The resumed session is logged in. */
	expect_call(c, HR_M_JOURNAL_LIST, HR_OK, "journal.list after resume");

	/* Logout ends the session and revokes the fresh ticket. */
	expect_call(c, HR_M_LOGOUT, HR_OK, "logout");
	expect_call(c, HR_M_JOURNAL_LIST, HR_E_AUTH_NEEDED,
	    "journal.list after logout");
	hr_client_free(c);
	expect_resume_refused(second, "resume after logout");
}

/*
 * A spent ticket presented again (issue 18, item 8): someone else holds
 * it.  The server revokes every ticket of the user, ends the user's live
 * sessions and audits "resume.reuse" -- so the thief's session and the
 * thief's next ticket are worthless whoever came first.  Before, the
 * reuse was just "unknown ticket" and the other party's session lived on.
 */
static void
test_resume_reuse(void **state)
{
	uint8_t first[HR_TICKET_LEN], second[HR_TICKET_LEN];
	struct hr_client *c = login_client(&srv, "supercnap"), *again;
	struct tcall t;

	(void)state;
	memcpy(first, hr_client_ticket(c), HR_TICKET_LEN);
	again = open_client(&srv);
	tcall_init(&t);
	resume_call(again, first, &t);
	expect_code(&t, HR_OK, "resume");
	tcall_free(&t);
	memcpy(second, hr_client_ticket(again), HR_TICKET_LEN);
	expect_ping(again, "the resumed session");
	/* The spent ticket again: refused, and everything of the user ends. */
	expect_resume_refused(first, "a spent ticket presented again");
	expect_session_ended(again, "the session resumed with the ticket");
	expect_session_ended(c, "the session of the login");
	expect_resume_refused(second, "the resumed session's fresh ticket");
	ctl(&srv, "audit", "show", "--action", "resume.reuse", "--limit", "1",
	    (char *)NULL);
	if (strstr(ctl_out, "supercnap") == NULL)
		fail_msg("no resume.reuse audit record: %s", ctl_out);
	hr_client_free(again);
	hr_client_free(c);
}

/*
 * A resume is bound to its handshake (issue 18, item 8): the resume
 * request of one connection, replayed byte for byte on another (by a
 * server impersonated with a stolen key, say), is refused -- and spends
 * nothing, so the ticket's holder resumes afterwards.  The ticket itself
 * never travels.
 */
static void
test_resume_bound(void **state)
{
	uint8_t ticket[HR_TICKET_LEN], id[HR_TICKET_ID_LEN];
	uint8_t binder[HR_TICKET_BINDER_LEN];
	struct hr_client *c = login_client(&srv, "upo"), *a, *b;
	uint8_t h[32];
	msgpack_packer *pk;
	struct tcall t;

	(void)state;
	memcpy(ticket, hr_client_ticket(c), HR_TICKET_LEN);
	hr_client_free(c);
	a = open_client(&srv);
	b = open_client(&srv);
	/* The binder a's handshake gets, sent on b. */
	assert_int_equal(hr_client_transcript(a, h), 0);
	hr_ticket_id(ticket, id);
	hr_ticket_binder(ticket, h, binder);
	pk = hr_client_begin(b, HR_M_RESUME);
	msgpack_pack_map(pk, 2);
	hr_pack_str(pk, "ticket_id");
	msgpack_pack_bin(pk, sizeof id);
	msgpack_pack_bin_body(pk, id, sizeof id);
	hr_pack_str(pk, "binder");
	msgpack_pack_bin(pk, sizeof binder);
	msgpack_pack_bin_body(pk, binder, sizeof binder);
	tcall_init(&t);
	tcall_send_wait(b, &t, CALL_MS);
	expect_code(&t, HR_E_TICKET, "a binder of another connection");
	tcall_free(&t);
	/* On its own connection it resumes: nothing was spent. */
	tcall_init(&t);
	resume_call(a, ticket, &t);
	expect_code(&t, HR_OK, "the holder's resume afterwards");
	tcall_free(&t);
	hr_client_free(a);
	hr_client_free(b);
}

/* ------------------------------------------------------------------------ */
/* raw socket abuse                                                          */

static void
test_raw_oversized(void **state)
{
	/* 8 KiB: above the 4 KiB that a client may send before login. */
	static const uint32_t lengths[] = { 0xffffffffu, HR_FRAME_MAX + 1u,
	    8192u, 0u };
	struct hr_client *good = login_client(&srv, "sta");
	uint8_t hdr[HR_FRAME_HEADER];
	struct hr_channel ch;
	int fd;

	(void)state;
	for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
		/* Instead of a ClientHello. */
		fd = raw_connect(&srv);
		hr_frame_put_len(hdr, lengths[i]);
		tsock_send(fd, hdr, sizeof hdr);
		if (!raw_closed_by_peer(fd))
			fail_msg("length %u before the handshake: not closed", lengths[i]);
		close(fd);

		/* Inside the channel. */
		fd = raw_session(&srv, &ch);
		tsock_send(fd, hdr, sizeof hdr);
		if (!raw_closed_by_peer(fd))
			fail_msg("length %u after the handshake: not closed", lengths[i]);
		raw_end(fd, &ch);
	}
	expect_ping(good, "oversized frames from another peer");
	hr_client_free(good);
	expect_serves(&srv, "oversized frames");
}

static void
test_raw_truncated_handshake(void **state)
{
	uint8_t junk[HR_CLIENT_HELLO_LEN], hdr[HR_FRAME_HEADER];
	int fd;

	(void)state;
	/* Half a ClientHello, then hang up. */
	fd = raw_connect(&srv);
	randombytes_buf(junk, sizeof junk);
	memcpy(junk, HR_PROTO_MAGIC, 4);
	hr_frame_put_len(hdr, sizeof junk);
	tsock_send(fd, hdr, sizeof hdr);
	tsock_send(fd, junk, 10);
	close(fd);

	/* Only part of the length header, then hang up. */
	fd = raw_connect(&srv);
	tsock_send(fd, hdr, 2);
	close(fd);

	/* A whole hello of garbage: the server must drop it. */
	fd = raw_connect(&srv);
	randombytes_buf(junk, sizeof junk);
	tsock_send_frame(fd, junk, sizeof junk);
	if (!raw_closed_by_peer(fd))
		fail_msg("a garbage ClientHello did not end the connection");
	close(fd);

	expect_serves(&srv, "truncated handshakes");
}

static void
test_raw_replay(void **state)
{
	struct hr_channel ch;
	uint8_t *frame;
	size_t n;
	int fd, code;

	(void)state;
	fd = raw_session(&srv, &ch);
	n = raw_request(&ch, 1, HR_M_PING, &frame);
	tsock_send(fd, frame, n);
	assert_int_equal(raw_reply(fd, &ch, &code), 1);   /* any answer will do */
	/* the same bytes again */
	raw_send_ends(fd, &ch, frame, n, "a replayed frame");

	/* An altered frame: one bit of the ciphertext flipped. */
	fd = raw_session(&srv, &ch);
	n = raw_request(&ch, 1, HR_M_PING, &frame);
	frame[n - 1] ^= 0x01;
	raw_send_ends(fd, &ch, frame, n, "an altered frame");

	/* A frame sealed for the second slot sent first (reordered). */
	fd = raw_session(&srv, &ch);
	n = raw_request(&ch, 1, HR_M_PING, &frame);
	free(frame);
	n = raw_request(&ch, 2, HR_M_PING, &frame);
	raw_send_ends(fd, &ch, frame, n, "a reordered frame");

	expect_serves(&srv, "replayed frames");
}

static void
test_raw_garbage(void **state)
{
	/* msgpack that asks the unpacker for 2^32 elements (PITFALLS.md). */
	static const uint8_t bomb[] = { 0xdd, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t deep_bomb[] = { 0x94, 0x00, 0x01, 0xa4, 'p', 'i', 'n',
	    'g', 0xdf, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t not_msgpack[] = { 0xc1, 0xc1, 0xc1 };
	static const struct { const uint8_t *p; size_t n; } sealed[] = {
		{ bomb, sizeof bomb },
		{ deep_bomb, sizeof deep_bomb },
		{ not_msgpack, sizeof not_msgpack },
	};
	struct hr_client *good = login_client(&srv, "upo");
	uint8_t junk[64], *frame;
	struct hr_channel ch;
	size_t n;
	int fd;

	(void)state;
	/* Unauthenticated garbage in a frame after the handshake. */
	fd = raw_session(&srv, &ch);
	randombytes_buf(junk, sizeof junk);
	tsock_send_frame(fd, junk, sizeof junk);
	if (!raw_closed_by_peer(fd))
		fail_msg("garbage after the handshake did not end the session");
	raw_end(fd, &ch);

	/*
	 * Authentic frames whose plaintext is hostile msgpack: the server may
	 * answer with an error or drop the peer, but must not fall over.
	 */
	for (size_t i = 0; i < sizeof sealed / sizeof sealed[0]; i++) {
		fd = raw_session(&srv, &ch);
		n = raw_seal(&ch, sealed[i].p, sealed[i].n, &frame);
		tsock_send(fd, frame, n);
		free(frame);
		/* Then a valid ping: answered or the connection closed, never a hang. */
		n = raw_request(&ch, 7, HR_M_PING, &frame);
		tsock_send(fd, frame, n);
		free(frame);
		shutdown(fd, SHUT_WR);
		if (!raw_closed_by_peer(fd))
			fail_msg("hostile msgpack #%zu: the server neither closed nor "
			    "finished with the connection", i);
		raw_end(fd, &ch);
		if (!testsrv_alive(&srv)) {
			testsrv_dump_log(&srv, stderr, 3000);
			fail_msg("hromadad died on hostile msgpack #%zu", i);
		}
	}
	expect_ping(good, "garbage from another peer");
	hr_client_free(good);
	expect_serves(&srv, "garbage after the handshake");
}

/* ------------------------------------------------------------------------ */
/* tests with a server of their own                                          */

static void
start_own(struct testsrv *s)
{
	struct hr_error err;

	hr_error_clear(&err);
	if (testsrv_start(s, &err) != 0) {
		if (s->dir[0] != '\0')
			testsrv_dump_log(s, stderr, 3000);
		testsrv_free(s);
		fail_msg("cannot start a test server: %s", err.msg);
	}
}

static void
stop_own(struct testsrv *s)
{
	struct hr_error err;

	hr_error_clear(&err);
	if (testsrv_finish(s, "stopping a test server", &err) != 0)
		fail_msg("%s", err.msg);
}

static void
test_throttling(void **state)
{
	struct testsrv own;
	struct hr_client *c;
	struct tcall t;
	int first_throttled = -1;

	(void)state;
	start_own(&own);
	for (int i = 0; i < PAIR_MAX; i++) {
		c = open_client(&own);
		tcall_init(&t);
		tcall_login(c, "sta", "wrong-password", &t, CALL_MS);
		if (t.code == HR_E_THROTTLED && first_throttled < 0)
			first_throttled = i;
		else if (t.code != HR_E_CREDENTIALS && t.code != HR_E_THROTTLED)
			expect_code(&t, HR_E_CREDENTIALS, "failed login");
		tcall_free(&t);
		hr_client_free(c);
	}
	c = open_client(&own);
	tcall_init(&t);
	tcall_login(c, "sta", password_of("sta"), &t, CALL_MS);
	fprintf(stderr, "#   after %d failures: right password -> %s (%s); "
	    "first throttled attempt: %d\n", PAIR_MAX,
	    hr_error_name(t.code), t.msg, first_throttled);
	expect_code(&t, HR_E_THROTTLED, "right password after repeated failures");
	tcall_free(&t);
	hr_client_free(c);

	/* Another user from the same address is not locked out, nor the
	 * same user from another source (issue 18, item 4). */
	c = login_client(&own, "cnap");
	hr_client_free(c);
	c = open_client_from(&own, "127.0.0.2");
	login_on(c, "sta", "the same user from another source");
	hr_client_free(c);
	stop_own(&own);
}

/*
 * A burst of guesses for one user, all sent at once: an attempt counts
 * from the moment it is admitted, so no more are verified than the user
 * has left before the lock (5 from one source), and the rest are told
 * BUSY or THROTTLED at once instead of queueing for the Argon2 workers
 * (issue 18, item 2: before, every one was verified and answered
 * CREDENTIALS).  Meanwhile a clerk from another source logs in.
 */
#define BURST 24

static void
test_login_burst(void **state)
{
	struct testsrv own;
	struct hr_client *c[BURST], *clerk;
	struct tcall t[BURST], ok;
	struct hr_error err;
	int verified = 0, refused = 0;
	double deadline;

	(void)state;
	start_own(&own);
	for (int i = 0; i < BURST; i++) {
		msgpack_packer *pk;

		c[i] = open_client(&own);
		tcall_init(&t[i]);
		pk = hr_client_begin(c[i], HR_M_LOGIN);
		msgpack_pack_map(pk, 2);
		hr_pack_kv_str(pk, "user", "supersta");
		hr_pack_kv_str(pk, "password", "wrong-password");
		assert_true(hr_client_send(c[i], tcall_reply, &t[i]) != 0);
	}
	deadline = tclock_ms() + 20000.0 * testsrv_slow();
	for (int pending = BURST; pending > 0 && tclock_ms() < deadline; ) {
		pending = 0;
		for (int i = 0; i < BURST; i++)
			if (!t[i].done) {
				pending++;
				(void)tclient_pump(c[i], 2, &err);
			}
	}
	for (int i = 0; i < BURST; i++) {
		assert_true(t[i].done);
		if (t[i].code == HR_E_CREDENTIALS)
			verified++;
		else if (t[i].code == HR_E_BUSY || t[i].code == HR_E_THROTTLED)
			refused++;
		else
			expect_code(&t[i], HR_E_CREDENTIALS, "a guess in a burst");
	}
	fprintf(stderr, "#   %d guesses at once: %d verified, %d refused at "
	    "once\n", BURST, verified, refused);
	assert_true(verified >= 1 && verified <= PAIR_MAX);
	clerk = open_client_from(&own, "127.0.0.2");
	tcall_init(&ok);
	tcall_login(clerk, "cnap", password_of("cnap"), &ok, CALL_MS);
	expect_code(&ok, HR_OK, "a clerk from another source during the burst");
	tcall_free(&ok);
	hr_client_free(clerk);
	for (int i = 0; i < BURST; i++) {
		tcall_free(&t[i]);
		hr_client_free(c[i]);
	}
	stop_own(&own);
}

/* What the last ctl() printed. */
static char ctl_out[1024];

/* hromadactl --db DB WORDS... (NULL-terminated); fails the test unless 0. */
static void
ctl(const struct testsrv *s, ...)
{
	char prog[TESTSRV_PATH_MAX];
	char *argv[12] = { prog, (char *)"--db", (char *)s->db };
	struct hr_error err;
	va_list ap;
	size_t n = 3;

	hr_error_clear(&err);
	if (testsrv_program("hromadactl", prog, sizeof prog, &err) != 0)
		fail_msg("%s", err.msg);
	va_start(ap, s);
	while (n < 11 && (argv[n] = va_arg(ap, char *)) != NULL)
		n++;
	va_end(ap);
	argv[n] = NULL;
	if (testsrv_run(argv, ctl_out, sizeof ctl_out, 60000, &err) != 0)
		fail_msg("hromadactl %s %s: %s", argv[3], argv[4] ? argv[4] : "",
		    err.msg);
}

/* The session on c has ended: the next request, even a ping, says so. */
static void
expect_session_ended(struct hr_client *c, const char *after)
{
	struct tcall t;

	call_after(c, HR_M_PING, HR_E_AUTH_NEEDED, after, &t);
	tcall_free(&t);
	call_after(c, HR_M_JOURNAL_LIST, HR_E_AUTH_NEEDED, after, &t);
	tcall_free(&t);
}

/*
 * A live session ends at its next request when the account changes
 * under it (hromadactl user disable / role) or the user logs out
 * elsewhere; its ticket does not bring it back.
 */
static void
test_session_revalidated(void **state)
{
	uint8_t ticket[HR_TICKET_LEN];
	struct testsrv own;
	struct hr_client *c, *other;
	struct tcall t;

	(void)state;
	start_own(&own);

	c = login_client(&own, "cnap");
	memcpy(ticket, hr_client_ticket(c), HR_TICKET_LEN);
	expect_ping(c, "login");
	ctl(&own, "user", "disable", "cnap", (char *)NULL);
	expect_session_ended(c, "user disable");
	hr_client_free(c);
	expect_resume_refused_on(&own, ticket, "resume after user disable");

	c = login_client(&own, "sta");
	memcpy(ticket, hr_client_ticket(c), HR_TICKET_LEN);
	expect_ping(c, "login");
	ctl(&own, "user", "role", "sta", "--role", "super_userSta",
	    (char *)NULL);
	expect_session_ended(c, "user role");
	/* Logging in again gives the new role. */
	tcall_init(&t);
	tcall_login(c, "sta", password_of("sta"), &t, CALL_MS);
	expect_code(&t, HR_OK, "login after user role");
	assert_true(tobj_is_str(tobj_get(tcall_result(&t), "role"),
	    "super_userSta"));
	tcall_free(&t);
	expect_ping(c, "login after user role");
	hr_client_free(c);
	expect_resume_refused_on(&own, ticket, "resume after user role");

	/* A logout on one connection ends the user's other ones too. */
	c = login_client(&own, "spszn");
	other = login_client(&own, "spszn");
	expect_call(other, HR_M_LOGOUT, HR_OK, "logout");
	expect_session_ended(c, "logout elsewhere");
	hr_client_free(other);
	hr_client_free(c);
	stop_own(&own);
}

/*
 * A session lasts session_max_age from its password login, however often
 * it resumes: a resumed ticket is no younger than the login, a live
 * session ends at that age, and its last ticket does not bring it back.
 */
static void
test_session_max_age(void **state)
{
	char conf[] = "/tmp/hromada-max-age.XXXXXX";
	uint8_t ticket[HR_TICKET_LEN];
	struct testsrv own;
	struct hr_client *c, *again;
	struct tcall t;
	char line[64];
	/* Long enough for a login, a ping and a resume (valgrind: slower). */
	int fd = mkstemp(conf), age = 3 * testsrv_slow(), n;

	(void)state;
	assert_true(fd >= 0);
	n = snprintf(line, sizeof line, "session_max_age = %ds\n", age);
	assert_true(write(fd, line, (size_t)n) == n);
	close(fd);
	setenv("TESTSRV_CONFIG", conf, 1);
	start_own(&own);
	unsetenv("TESTSRV_CONFIG");
	unlink(conf);

	c = login_client(&own, "cnap");
	memcpy(ticket, hr_client_ticket(c), HR_TICKET_LEN);
	expect_ping(c, "login");
	/* A resume right away works, and its ticket ends with the session. */
	again = open_client(&own);
	tcall_init(&t);
	resume_call(again, ticket, &t);
	expect_code(&t, HR_OK, "resume within session_max_age");
	assert_true(tobj_int(tobj_get(tcall_result(&t), "ticket_ttl"), 999) <= age);
	tcall_free(&t);
	memcpy(ticket, hr_client_ticket(again), HR_TICKET_LEN);
	usleep((useconds_t)(age * 1000 + 200) * 1000);
	expect_session_ended(c, "session_max_age (the login's connection)");
	expect_session_ended(again, "session_max_age (the resumed one)");
	/* The record is committed just after the refusal went out. */
	for (int64_t end = testsrv_now_ms() + 5000 * testsrv_slow();;) {
		ctl(&own, "audit", "show", "--action", "session.end", "--limit",
		    "1", (char *)NULL);
		if (strstr(ctl_out, "maximum age") != NULL)
			break;
		if (testsrv_now_ms() > end)
			fail_msg("no session.end audit record: %s", ctl_out);
		usleep(20000);
	}
	expect_resume_refused_on(&own, ticket, "resume after session_max_age");
	hr_client_free(again);
	hr_client_free(c);
	stop_own(&own);
}

struct closing_seen {
	int closing;
	int other;
};

static void
on_note(void *ud, const struct hr_msg *note)
{
	struct closing_seen *seen = ud;

	if (hr_rpc_method_is(note, HR_N_CLOSING))
		seen->closing++;
	else
		seen->other++;
}

/*
 * Failed logins under names that do not exist are audited in aggregate
 * (issue 18, item 9): one record per source a minute -- the last written
 * at the shutdown -- instead of one per attempt, which let anyone grow the
 * audit log without bound.  Existing users keep one record per failure.
 * A slow run (valgrind) spans more minutes, so the bound on aggregate
 * records is two per source and minute begun, below the 8 of before.
 */
static void
test_unknown_names_aggregated(void **state)
{
	struct testsrv own;
	struct hr_client *c;
	struct hr_error err;
	struct tcall t;
	char name[32];
	int records = 0, aggregates = 0, bound;
	double t0;

	(void)state;
	start_own(&own);
	t0 = tclock_ms();
	for (int i = 0; i < 8; i++) {
		c = open_client_from(&own, i % 2 ? "127.0.0.5" : "127.0.0.6");
		snprintf(name, sizeof name, "nobody-%d", i);
		tcall_init(&t);
		tcall_login(c, name, "whatever-password", &t, CALL_MS);
		if (t.code != HR_E_CREDENTIALS && t.code != HR_E_THROTTLED &&
		    t.code != HR_E_BUSY)
			expect_code(&t, HR_E_CREDENTIALS, "an unknown name");
		tcall_free(&t);
		hr_client_free(c);
	}
	c = open_client(&own);
	tcall_init(&t);
	tcall_login(c, "sta", "wrong-password", &t, CALL_MS);
	tcall_free(&t);
	hr_client_free(c);
	/* The shutdown writes what it aggregated. */
	if (testsrv_stop(&own, 15000 * testsrv_slow(), NULL, &err) != 0)
		fail_msg("stop: %s", err.msg);
	bound = 2 * ((int)((tclock_ms() - t0) / 60000.0) + 2);
	ctl(&own, "audit", "show", "--action", "login.fail", "--limit", "0",
	    (char *)NULL);
	for (const char *p = ctl_out; (p = strchr(p, '\n')) != NULL; p++)
		records++;
	for (const char *p = ctl_out;
	    (p = strstr(p, " under unknown user names ")) != NULL; p++)
		aggregates++;
	fprintf(stderr, "#   8 failures under unknown names from 2 sources, "
	    "1 of a user: %d login.fail records (%d aggregates, at most %d)\n",
	    records, aggregates, bound);
	if (aggregates < 2 || aggregates > bound || aggregates >= 8 ||
	    records != aggregates + 1 ||
	    strstr(ctl_out, "(unknown names)") == NULL ||
	    strstr(ctl_out, "wrong password") == NULL)
		fail_msg("expected aggregates per source and sta's own "
		    "record:\n%s", ctl_out);
	for (int i = 0; i < 8; i++) {
		snprintf(name, sizeof name, "nobody-%d", i);
		if (strstr(ctl_out, name) == NULL)
			fail_msg("%s is in no aggregate:\n%s", name, ctl_out);
	}
	testsrv_free(&own);
}

/* A `closing` that asks this client only to reconnect (params.reconnect). */
static void
on_retire_note(void *ud, const struct hr_msg *note)
{
	int *seen = ud;
	const msgpack_object *r = tobj_get(&note->params, "reconnect");

	if (hr_rpc_method_is(note, HR_N_CLOSING) && r != NULL &&
	    r->type == MSGPACK_OBJECT_BOOLEAN && r->via.boolean)
		(*seen)++;
}

/*
 * A connection lives at most connection_max_age (issue 18, item 9: no
 * rekeying inside a connection, so its keys must not serve for ever): a
 * logged-in, quiet connection is told `closing` {reconnect: true} and
 * closed once it is past the age, and the client resumes on a new one
 * with fresh keys.  Before, it lived as long as the client pinged.
 */
static void
test_connection_max_age(void **state)
{
	char conf[] = "/tmp/hromada-conn-age.XXXXXX", line[64];
	struct testsrv own;
	struct hr_client *c, *again;
	struct hr_error err;
	struct tcall t;
	uint8_t ticket[HR_TICKET_LEN];
	int fd = mkstemp(conf), seen = 0, age, len;
	double t0;

	(void)state;
	/* The age counts from the connection's start, so the login must fit
	 * in it: an Argon2id login under valgrind takes seconds (a CI run
	 * saw the connection retired before the login's reply). */
	age = 2 * testsrv_slow();
	len = snprintf(line, sizeof line, "connection_max_age = %ds\n", age);
	assert_true(fd >= 0);
	assert_true(write(fd, line, (size_t)len) == len);
	close(fd);
	setenv("TESTSRV_CONFIG", conf, 1);
	start_own(&own);
	unsetenv("TESTSRV_CONFIG");
	unlink(conf);

	/* The notification may follow the login's reply at once (a slow
	 * machine, valgrind): listen from the start. */
	c = open_client(&own);
	hr_client_set_notify(c, on_retire_note, &seen);
	tcall_init(&t);
	tcall_login(c, "cnap", password_of("cnap"), &t, CALL_MS);
	expect_code(&t, HR_OK, "login");
	tcall_free(&t);
	memcpy(ticket, hr_client_ticket(c), HR_TICKET_LEN);
	t0 = tclock_ms();
	while (hr_client_state(c) != HR_CS_CLOSED &&
	    tclock_ms() - t0 < 15000.0 * age)
		(void)tclient_pump(c, 100, &err);
	fprintf(stderr, "#   closed after %.1f s (connection_max_age %d s)\n",
	    (tclock_ms() - t0) / 1e3, age);
	assert_int_equal(hr_client_state(c), HR_CS_CLOSED);
	assert_int_equal(seen, 1);
	again = open_client(&own);
	tcall_init(&t);
	resume_call(again, ticket, &t);
	expect_code(&t, HR_OK, "resume after the connection retired");
	tcall_free(&t);
	hr_client_free(again);
	hr_client_free(c);
	stop_own(&own);
}

static void
test_sigterm(void **state)
{
	struct closing_seen seen = { 0, 0 };
	struct testsrv own;
	struct hr_client *c;
	const struct hr_error *why;
	struct hr_error err;
	int status = 0;

	(void)state;
	start_own(&own);
	c = login_client(&own, "sta");
	hr_client_set_notify(c, on_note, &seen);
	hr_error_clear(&err);
	assert_int_equal(testsrv_signal(&own, SIGTERM, &err), 0);
	if (!tclient_pump(c, 15000, &err))
		fail_msg("the client was not disconnected within 15 s of SIGTERM");
	why = hr_client_error(c);
	fprintf(stderr, "#   SIGTERM: closing notifications %d, then %s (%s)\n",
	    seen.closing, why != NULL ? hr_error_name(why->code) : "-",
	    why != NULL ? why->msg : "");
	/* Either the polite notification or a plain clean disconnect. */
	if (seen.closing == 0 && (why == NULL || why->code != HR_E_DISCONNECTED))
		fail_msg("neither a closing notification nor a clean disconnect: %s",
		    why != NULL ? why->msg : "no error");
	hr_client_free(c);
	if (testsrv_wait_exit(&own, 15000, &status, &err) != 0) {
		testsrv_dump_log(&own, stderr, 3000);
		testsrv_free(&own);
		fail_msg("after SIGTERM: %s", err.msg);
	}
	testsrv_free(&own);
}

int
main(void)
{
	const struct CMUnitTest shared[] = {
		cmocka_unit_test_setup(test_handshake_pinned, test_setup),
		cmocka_unit_test_setup(test_handshake_unpinned, test_setup),
		cmocka_unit_test_setup(test_handshake_wrong_key, test_setup),
		cmocka_unit_test_setup(test_login_roles, test_setup),
		cmocka_unit_test_setup(test_credentials, test_setup),
		cmocka_unit_test_setup(test_auth_needed, test_setup),
		cmocka_unit_test_setup(test_unknown_method, test_setup),
		cmocka_unit_test_setup(test_bad_params, test_setup),
		cmocka_unit_test_setup(test_journal_scope, test_setup),
		cmocka_unit_test_setup(test_resume, test_setup),
		cmocka_unit_test_setup(test_resume_reuse, test_setup),
		cmocka_unit_test_setup(test_resume_bound, test_setup),
		cmocka_unit_test_setup(test_raw_oversized, test_setup),
		cmocka_unit_test_setup(test_raw_truncated_handshake, test_setup),
		cmocka_unit_test_setup(test_raw_replay, test_setup),
		cmocka_unit_test_setup(test_raw_garbage, test_setup),
	};
	const struct CMUnitTest own[] = {
		cmocka_unit_test_setup(test_throttling, test_setup),
		cmocka_unit_test_setup(test_login_burst, test_setup),
		cmocka_unit_test_setup(test_connection_max_age, test_setup),
		cmocka_unit_test_setup(test_unknown_names_aggregated, test_setup),
		cmocka_unit_test_setup(test_session_revalidated, test_setup),
		cmocka_unit_test_setup(test_session_max_age, test_setup),
		cmocka_unit_test_setup(test_sigterm, test_setup),
	};
	int failed;

	if (sodium_init() < 0)
		return 99;
	signal(SIGPIPE, SIG_IGN);
	failed = cmocka_run_group_tests_name("session, shared server", shared,
	    group_setup, group_teardown);
	failed += cmocka_run_group_tests_name("session, own server", own, NULL, NULL);
	return failed == 0 ? 0 : 1;
}
