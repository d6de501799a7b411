/*
 * test_handshake.c — the 1-RTT handshake: keys agree, pinning works both
 * ways, rotation grace keys are accepted, and every malformed or truncated
 * message ends in a clean error.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <sodium.h>

#include "proto/channel.h"
#include "proto/frame.h"
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
		cmocka_unit_test(test_malformed_replies),
		cmocka_unit_test(test_weak_client_key),
		cmocka_unit_test(test_key_id_and_fingerprint),
		cmocka_unit_test(test_hello_layout),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, setup, NULL);
}
