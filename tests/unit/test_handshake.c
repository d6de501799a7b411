/*
 * test_handshake.c — the 1-RTT handshake: keys agree, pinning works both
 * ways, rotation grace keys are accepted, and every malformed or truncated
 * message ends in a clean error.
 *
 * Alike on purpose: each attack test (test_impostor, test_tampered_*,
 * test_truncated_*) runs the handshake whole, changes one thing in transit
 * and asserts the same refusal; written out in full so that each reads
 * alone as the attack it is.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <sodium.h>

#include "proto/channel.h"
#include "proto/handshake.h"

static struct hr_server_keys keys;   /* keys[0] current, keys[1] grace */

static int
setup(void **state)
{
	memset(&keys, 0, sizeof keys);
	hr_keypair_generate(&keys.keys[0]);
	hr_keypair_generate(&keys.keys[1]);
	keys.count = 2;
	return 0;
}

/* Both channels carry a message each way. */
static void
assert_channels_agree(struct hr_channel *c, struct hr_channel *s)
{
	uint8_t         frame[64], pt[64];
	struct hr_error err;
	size_t          n;

	assert_memory_equal(c->tx_key, s->rx_key, HR_KEY_LEN);
	assert_memory_equal(c->rx_key, s->tx_key, HR_KEY_LEN);
	assert_memory_not_equal(c->tx_key, c->rx_key, HR_KEY_LEN);
	assert_memory_equal(c->transcript, s->transcript, 32);
	assert_int_equal(c->tx_ctr, 0);
	assert_int_equal(s->rx_ctr, 0);
	assert_int_equal(s->tx_ctr, 1);
	assert_int_equal(c->rx_ctr, 1);
	n = hr_channel_seal(c, (const uint8_t *)"ping", 4, frame);
	assert_int_equal(hr_channel_open(s, frame, frame + 4, n - 4, pt, &err), 0);
	assert_memory_equal(pt, "ping", 4);
	n = hr_channel_seal(s, (const uint8_t *)"pong", 4, frame);
	assert_int_equal(hr_channel_open(c, frame, frame + 4, n - 4, pt, &err), 0);
	assert_memory_equal(pt, "pong", 4);
}

/* Run the exchange; return the client's result, fill the server's. */
static int
exchange(const uint8_t *pinned, struct hr_hs_client *hs, struct hr_channel *cc,
    struct hr_channel *sc, int *srv_rc, struct hr_error *err)
{
	uint8_t         hello[HR_CLIENT_HELLO_LEN], reply[HR_SERVER_HELLO_MAX];
	size_t          rlen;
	struct hr_error serr;

	hr_hs_client_start(hs, pinned, hello);
	*srv_rc = hr_hs_server_respond(&keys, hello, sizeof hello, reply, &rlen,
	    sc, &serr);
	hr_error_clear(err);
	return hr_hs_client_finish(hs, reply, rlen, cc, err);
}

static void
test_full_exchange(void **state)
{
	struct hr_hs_client hs;
	struct hr_channel   cc, sc;
	struct hr_error     err;
	int                 srv;
	uint8_t             zero[HR_PUBKEY_LEN] = { 0 };

	assert_int_equal(exchange(keys.keys[0].pk, &hs, &cc, &sc, &srv, &err), 0);
	assert_int_equal(srv, 0);
	assert_channels_agree(&cc, &sc);
	assert_memory_equal(hs.e_sk, zero, sizeof zero);   /* ephemeral wiped */
}

static void
test_grace_key(void **state)
{
	struct hr_hs_client hs;
	struct hr_channel   cc, sc;
	struct hr_error     err;
	int                 srv;

	assert_int_equal(exchange(keys.keys[1].pk, &hs, &cc, &sc, &srv, &err), 0);
	assert_int_equal(srv, 0);
	assert_channels_agree(&cc, &sc);
}

static void
test_no_pinned_key(void **state)
{
	struct hr_hs_client hs;
	struct hr_channel   cc, sc;
	struct hr_error     err;
	int                 srv;

	assert_int_equal(exchange(NULL, &hs, &cc, &sc, &srv, &err), -1);
	assert_int_equal(srv, 1);
	assert_int_equal(err.code, HR_E_KEY_UNKNOWN);
	assert_int_equal(hs.offered_count, 2);
	assert_memory_equal(hs.offered[0], keys.keys[0].pk, HR_PUBKEY_LEN);
	assert_memory_equal(hs.offered[1], keys.keys[1].pk, HR_PUBKEY_LEN);
	/* pin what was offered and try again: accepted */
	uint8_t pin[HR_PUBKEY_LEN];
	memcpy(pin, hs.offered[0], sizeof pin);
	assert_int_equal(exchange(pin, &hs, &cc, &sc, &srv, &err), 0);
	assert_channels_agree(&cc, &sc);
}

static void
test_unknown_pinned_key(void **state)
{
	struct hr_hs_client hs;
	struct hr_channel   cc, sc;
	struct hr_error     err;
	struct hr_keypair   other;
	int                 srv;

	hr_keypair_generate(&other);
	assert_int_equal(exchange(other.pk, &hs, &cc, &sc, &srv, &err), -1);
	assert_int_equal(srv, 1);
	assert_int_equal(err.code, HR_E_KEY_CHANGED);
	assert_int_equal(hs.offered_count, 2);
}

/*
 * An impostor that knows the pinned key's id (it is public) but not its
 * secret answers ACCEPT with its own static key: the tag cannot open.
 */
static void
test_impostor(void **state)
{
	struct hr_server_keys fake;
	struct hr_hs_client   hs;
	struct hr_channel     cc, sc;
	struct hr_error       err, serr;
	uint8_t               hello[HR_CLIENT_HELLO_LEN], reply[HR_SERVER_HELLO_MAX];
	size_t                rlen;

	memset(&fake, 0, sizeof fake);
	hr_keypair_generate(&fake.keys[0]);
	memcpy(fake.keys[0].pk, keys.keys[0].pk, HR_PUBKEY_LEN); /* claims S */
	fake.count = 1;
	hr_hs_client_start(&hs, keys.keys[0].pk, hello);
	assert_int_equal(hr_hs_server_respond(&fake, hello, sizeof hello, reply,
	    &rlen, &sc, &serr), 0);
	assert_int_equal(hr_hs_client_finish(&hs, reply, rlen, &cc, &err), -1);
	assert_int_equal(err.code, HR_E_CRYPTO);
}

static void
test_tampered_reply(void **state)
{
	struct hr_hs_client hs;
	struct hr_channel   cc, sc;
	struct hr_error     err, serr;
	uint8_t             hello[HR_CLIENT_HELLO_LEN], reply[HR_SERVER_HELLO_MAX];
	uint8_t             bad[HR_SERVER_HELLO_MAX];
	size_t              rlen;

	hr_hs_client_start(&hs, keys.keys[0].pk, hello);
	assert_int_equal(hr_hs_server_respond(&keys, hello, sizeof hello, reply,
	    &rlen, &sc, &serr), 0);
	for (size_t i = 1; i < rlen; i++) {        /* e_s and tag bytes */
		struct hr_hs_client copy = hs;

		memcpy(bad, reply, rlen);
		bad[i] ^= 0x80;
		assert_int_equal(hr_hs_client_finish(&copy, bad, rlen, &cc, &err), -1);
		assert_true(err.code == HR_E_CRYPTO);
	}
	/* a tampered hello gives the two sides different transcripts */
	hr_hs_client_start(&hs, keys.keys[0].pk, hello);
	memcpy(bad, hello, sizeof hello);
	bad[HR_CLIENT_HELLO_LEN - 1] ^= 0x01;      /* e_c changed in transit */
	assert_int_equal(hr_hs_server_respond(&keys, bad, sizeof hello, reply,
	    &rlen, &sc, &serr), 0);
	assert_int_equal(hr_hs_client_finish(&hs, reply, rlen, &cc, &err), -1);
	assert_int_equal(err.code, HR_E_CRYPTO);
}

static void
test_truncated_hello(void **state)
{
	struct hr_hs_client hs;
	struct hr_channel   sc;
	struct hr_error     err;
	uint8_t             hello[HR_CLIENT_HELLO_LEN], reply[HR_SERVER_HELLO_MAX];
	uint8_t             longer[HR_CLIENT_HELLO_LEN + 1];
	size_t              rlen;

	hr_hs_client_start(&hs, keys.keys[0].pk, hello);
	for (size_t n = 0; n < sizeof hello; n++) {
		assert_int_equal(hr_hs_server_respond(&keys, hello, n, reply, &rlen,
		    &sc, &err), -1);
		assert_int_equal(err.code, HR_E_PROTOCOL);
		assert_int_equal(rlen, 0);
	}
	memcpy(longer, hello, sizeof hello);
	longer[sizeof hello] = 0;
	assert_int_equal(hr_hs_server_respond(&keys, longer, sizeof longer, reply,
	    &rlen, &sc, &err), -1);
}

static void
test_truncated_reply(void **state)
{
	struct hr_hs_client hs;
	struct hr_channel   cc, sc;
	struct hr_error     err;
	uint8_t             hello[HR_CLIENT_HELLO_LEN], reply[HR_SERVER_HELLO_MAX];
	size_t              rlen;

	/* ACCEPT and KEY OFFER, cut at every length */
	for (int pinned = 0; pinned < 2; pinned++) {
		hr_hs_client_start(&hs, pinned ? keys.keys[0].pk : NULL, hello);
		hr_hs_server_respond(&keys, hello, sizeof hello, reply, &rlen, &sc,
		    &err);
		for (size_t n = 0; n < rlen; n++) {
			struct hr_hs_client copy = hs;

			hr_error_clear(&err);
			assert_int_equal(hr_hs_client_finish(&copy, reply, n, &cc,
			    &err), -1);
			assert_int_equal(err.code, HR_E_PROTOCOL);
		}
	}
}

static void
test_reject(void **state)
{
	struct hr_hs_client hs;
	struct hr_channel   cc, sc;
	struct hr_error     err;
	uint8_t             hello[HR_CLIENT_HELLO_LEN], reply[HR_SERVER_HELLO_MAX];
	uint8_t             bad[HR_CLIENT_HELLO_LEN];
	size_t              rlen;

	hr_hs_client_start(&hs, keys.keys[0].pk, hello);
	/* bad magic */
	memcpy(bad, hello, sizeof bad);
	bad[0] = 'X';
	assert_int_equal(hr_hs_server_respond(&keys, bad, sizeof bad, reply, &rlen,
	    &sc, &err), 1);
	assert_int_equal(reply[0], HR_HS_REJECT);
	assert_int_equal(reply[1], HR_E_PROTOCOL);
	assert_int_equal(hr_hs_client_finish(&hs, reply, rlen, &cc, &err), -1);
	assert_int_equal(err.code, HR_E_PROTOCOL);
	/* unsupported version: REJECT whatever the length */
	hr_hs_client_start(&hs, keys.keys[0].pk, hello);
	memcpy(bad, hello, sizeof bad);
	bad[4] = 2;
	assert_int_equal(hr_hs_server_respond(&keys, bad, 10, reply, &rlen, &sc,
	    &err), 1);
	assert_int_equal(reply[0], HR_HS_REJECT);
	assert_int_equal(reply[1], HR_E_VERSION);
	assert_int_equal(hr_hs_client_finish(&hs, reply, rlen, &cc, &err), -1);
	assert_int_equal(err.code, HR_E_VERSION);
	assert_non_null(strstr(err.msg, "version 2"));
	/* reserved flag (terminal key) is not supported yet */
	hr_hs_client_start(&hs, keys.keys[0].pk, hello);
	memcpy(bad, hello, sizeof bad);
	bad[5] = 1;
	assert_int_equal(hr_hs_server_respond(&keys, bad, sizeof bad, reply, &rlen,
	    &sc, &err), 1);
	assert_int_equal(reply[0], HR_HS_REJECT);
}

/*
 * A REJECT's reason is shown to clerks, and anyone on the path can forge
 * one: control characters (terminal escapes, C1 controls) and bidi
 * overrides come out as '?' (issue 18, item 9).
 */
static void
test_reject_reason_clean(void **state)
{
	static const uint8_t body[] = "\x03\x0b" "busy\x1b]0;pwned\x07\x1b[2J"
	    "\x7f\xc2\x9b" "31m\xe2\x80\xae" "evil \xd0\xa6\xd0\x9d\xd0\x90\xd0\x9f";
	struct hr_hs_client hs;
	struct hr_channel   cc;
	struct hr_error     err;
	uint8_t             hello[HR_CLIENT_HELLO_LEN];

	(void)state;
	hr_hs_client_start(&hs, keys.keys[0].pk, hello);
	assert_int_equal(hr_hs_client_finish(&hs, body, sizeof body - 1, &cc,
	    &err), -1);
	assert_int_equal(err.code, HR_E_BUSY);
	for (const unsigned char *p = (const unsigned char *)err.msg; *p; p++)
		assert_true(*p >= 0x20 && *p != 0x7f);
	assert_null(strstr(err.msg, "\xc2\x9b"));
	assert_null(strstr(err.msg, "\xe2\x80\xae"));
	assert_non_null(strstr(err.msg, "busy?]0;pwned??[2J??31m?evil "
	    "\xd0\xa6\xd0\x9d\xd0\x90\xd0\x9f"));
}

/* Replies a server never sends: the client refuses each cleanly. */
static void
test_malformed_replies(void **state)
{
	static const struct {
		const char *bytes;
		size_t      len;
	} cases[] = {
		{ "\x04", 1 },                    /* unknown type */
		{ "\x02\x00", 2 },                /* offer of no keys */
		{ "\x02\x05", 2 },                /* more keys than allowed */
		{ "\x03\x00oops", 6 },            /* REJECT with code 0 */
		{ "\x03\x11\xff\xfe", 4 },        /* reason not UTF-8 */
		{ "\x03\x11\x00", 3 },            /* reason with NUL */
	};
	struct hr_hs_client hs;
	struct hr_channel   cc;
	struct hr_error     err;
	uint8_t             hello[HR_CLIENT_HELLO_LEN];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		hr_hs_client_start(&hs, keys.keys[0].pk, hello);
		assert_int_equal(hr_hs_client_finish(&hs,
		    (const uint8_t *)cases[i].bytes, cases[i].len, &cc, &err), -1);
		assert_int_equal(err.code, HR_E_PROTOCOL);
	}
	/* ACCEPT when nothing was pinned is not a valid answer */
	hr_hs_client_start(&hs, NULL, hello);
	uint8_t acc[1 + 32 + 16] = { HR_HS_ACCEPT };
	assert_int_equal(hr_hs_client_finish(&hs, acc, sizeof acc, &cc, &err), -1);
	assert_int_equal(err.code, HR_E_PROTOCOL);
	/* ACCEPT with an all-zero (low-order) e_s */
	hr_hs_client_start(&hs, keys.keys[0].pk, hello);
	assert_int_equal(hr_hs_client_finish(&hs, acc, sizeof acc, &cc, &err), -1);
	assert_int_equal(err.code, HR_E_CRYPTO);
}

/* A hello whose ephemeral is a low-order point: server refuses, says nothing. */
static void
test_weak_client_key(void **state)
{
	struct hr_hs_client hs;
	struct hr_channel   sc;
	struct hr_error     err;
	uint8_t             hello[HR_CLIENT_HELLO_LEN], reply[HR_SERVER_HELLO_MAX];
	size_t              rlen;

	hr_hs_client_start(&hs, keys.keys[0].pk, hello);
	memset(hello + 14, 0, HR_PUBKEY_LEN);
	assert_int_equal(hr_hs_server_respond(&keys, hello, sizeof hello, reply,
	    &rlen, &sc, &err), -1);
	assert_int_equal(err.code, HR_E_CRYPTO);
	assert_int_equal(rlen, 0);
}

static void
test_key_id_and_fingerprint(void **state)
{
	uint8_t pk[HR_PUBKEY_LEN], id[HR_KEYID_LEN], id2[HR_KEYID_LEN];
	uint8_t h[32];
	char    fp[HR_FINGERPRINT_LEN];

	for (size_t i = 0; i < sizeof pk; i++)
		pk[i] = (uint8_t)i;
	hr_key_id(pk, id);
	/* key id = BLAKE2b-256("hromada key id" || pk)[0..8) */
	uint8_t msg[14 + 32];
	memcpy(msg, "hromada key id", 14);
	memcpy(msg + 14, pk, 32);
	crypto_generichash(h, 32, msg, sizeof msg, NULL, 0);
	assert_memory_equal(id, h, HR_KEYID_LEN);
	pk[0] ^= 1;
	hr_key_id(pk, id2);
	assert_memory_not_equal(id, id2, HR_KEYID_LEN);

	hr_key_fingerprint(pk, fp);
	assert_int_equal(strncmp(fp, "SHA256:", 7), 0);
	assert_int_equal(strlen(fp), 7 + 43);
	assert_null(strchr(fp, '='));
}

static void
test_hello_layout(void **state)
{
	struct hr_hs_client hs;
	uint8_t             hello[HR_CLIENT_HELLO_LEN], id[HR_KEYID_LEN];
	static const uint8_t zero[HR_KEYID_LEN];

	assert_int_equal(HR_CLIENT_HELLO_LEN, 46);
	hr_hs_client_start(&hs, keys.keys[0].pk, hello);
	assert_memory_equal(hello, "HRMD\x01\x00", 6);
	hr_key_id(keys.keys[0].pk, id);
	assert_memory_equal(hello + 6, id, HR_KEYID_LEN);
	assert_memory_equal(hello + 14, hs.e_pk, HR_PUBKEY_LEN);
	hr_hs_client_start(&hs, NULL, hello);
	assert_memory_equal(hello + 6, zero, HR_KEYID_LEN);
}

/*
 * The example in PROTOCOL.md: fixed secrets, every byte checked, so the
 * document and the code cannot drift apart.
 */
static const uint8_t kat_hello[HR_CLIENT_HELLO_LEN] = {
	0x48, 0x52, 0x4d, 0x44, 0x01, 0x00, 0x56, 0x81, 0x49, 0x5b, 0x2f, 0xba,
	0x97, 0xd7, 0x7b, 0x4e, 0x90, 0x9b, 0xbe, 0x7f, 0xfe, 0x44, 0xc4, 0x65,
	0xa2, 0x20, 0x03, 0x7d, 0x60, 0x8e, 0xe3, 0x58, 0x97, 0xd3, 0x1e, 0xf9,
	0x72, 0xf0, 0x7f, 0x74, 0x89, 0x2c, 0xb0, 0xf7, 0x3f, 0x13,
};
static const uint8_t kat_accept[49] = {
	0x01, 0x0f, 0xaa, 0x68, 0x4e, 0xd2, 0x88, 0x67, 0xb9, 0x7f, 0x4a, 0x6a,
	0x2d, 0xee, 0x5d, 0xf8, 0xce, 0x97, 0x4e, 0x76, 0xb7, 0x01, 0x8e, 0x3f,
	0x22, 0xa1, 0xc4, 0xcf, 0x26, 0x78, 0x57, 0x0f, 0x20, 0x43, 0x87, 0x4e,
	0x76, 0xec, 0xcc, 0xbd, 0xf4, 0x7f, 0x5b, 0xf9, 0xda, 0x21, 0x48, 0x51,
	0xe2,
};
static const uint8_t kat_c2s[32] = {
	0x89, 0xbf, 0x58, 0xa1, 0x25, 0x5b, 0xef, 0x37, 0xea, 0x7b, 0x81, 0xd8,
	0xac, 0xab, 0x13, 0xb8, 0x7c, 0xe6, 0x3d, 0xec, 0x35, 0x21, 0xef, 0x68,
	0x2f, 0x5f, 0x01, 0x50, 0x2b, 0xeb, 0x68, 0x92,
};
static const uint8_t kat_s2c[32] = {
	0xfb, 0xd4, 0xf8, 0xa2, 0x60, 0x38, 0xd7, 0x59, 0xa6, 0xeb, 0x74, 0x95,
	0xb8, 0xf4, 0x54, 0x87, 0x17, 0x1c, 0x33, 0x08, 0xed, 0x8a, 0xf6, 0x66,
	0x25, 0xbb, 0x8b, 0x03, 0x20, 0x15, 0xeb, 0x93,
};
static const uint8_t kat_h[32] = {
	0x5d, 0x2e, 0xbf, 0xa7, 0x5b, 0xe4, 0xa9, 0x7c, 0xff, 0x7c, 0x20, 0xf0,
	0x38, 0xd2, 0x4d, 0x7c, 0x10, 0x50, 0x41, 0xcb, 0x75, 0xfe, 0x39, 0x63,
	0xcf, 0x11, 0x76, 0x28, 0x12, 0x41, 0xc6, 0xae,
};
static const uint8_t kat_ping_frame[29] = {
	0x00, 0x00, 0x00, 0x19, 0x30, 0xb6, 0xa7, 0x18, 0xad, 0xa2, 0x62, 0xcc,
	0xae, 0x63, 0xa6, 0xbb, 0x5a, 0x1c, 0xb0, 0xab, 0x62, 0xad, 0x44, 0x8e,
	0x5f, 0x9f, 0xeb, 0x99, 0x04,
};

static void
test_known_answer(void **state)
{
	static const uint8_t ping[] = { 0x94, 0x00, 0x01, 0xa4, 'p', 'i', 'n', 'g', 0x80 };
	struct hr_hs_client hs;
	struct hr_channel   cc;
	struct hr_error     err;
	uint8_t             s_sk[32], s_pk[32], hello[HR_CLIENT_HELLO_LEN];
	uint8_t             frame[64];
	char                fp[HR_FINGERPRINT_LEN];

	memset(s_sk, 0x33, sizeof s_sk);
	assert_int_equal(crypto_scalarmult_base(s_pk, s_sk), 0);
	hr_key_fingerprint(s_pk, fp);
	assert_string_equal(fp, "SHA256:Gb0ZX4+p7Llf2qjd1clvkQHFR9U9ioifDhBeRzsK/zY");
	/* the client state with its ephemeral fixed to 32 x 0x11 */
	hr_hs_client_start(&hs, s_pk, hello);
	memset(hs.e_sk, 0x11, sizeof hs.e_sk);
	assert_int_equal(crypto_scalarmult_base(hs.e_pk, hs.e_sk), 0);
	memcpy(hs.hello + 14, hs.e_pk, HR_PUBKEY_LEN);
	assert_memory_equal(hs.hello, kat_hello, sizeof kat_hello);
	assert_int_equal(hr_hs_client_finish(&hs, kat_accept, sizeof kat_accept,
	    &cc, &err), 0);
	assert_memory_equal(cc.tx_key, kat_c2s, 32);
	assert_memory_equal(cc.rx_key, kat_s2c, 32);
	assert_memory_equal(cc.transcript, kat_h, 32);
	assert_int_equal(hr_channel_seal(&cc, ping, sizeof ping, frame),
	    sizeof kat_ping_frame);
	assert_memory_equal(frame, kat_ping_frame, sizeof kat_ping_frame);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_exchange),
		cmocka_unit_test(test_grace_key),
		cmocka_unit_test(test_no_pinned_key),
		cmocka_unit_test(test_unknown_pinned_key),
		cmocka_unit_test(test_impostor),
		cmocka_unit_test(test_tampered_reply),
		cmocka_unit_test(test_truncated_hello),
		cmocka_unit_test(test_truncated_reply),
		cmocka_unit_test(test_reject),
		cmocka_unit_test(test_reject_reason_clean),
		cmocka_unit_test(test_malformed_replies),
		cmocka_unit_test(test_weak_client_key),
		cmocka_unit_test(test_key_id_and_fingerprint),
		cmocka_unit_test(test_hello_layout),
		cmocka_unit_test(test_known_answer),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, setup, NULL);
}
