/*
 * test_channel.c — the encrypted channel: round trip, tampering, replay,
 * reordering, counters.
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

struct pair {
	struct hr_channel a, b;   /* a sends to b with a.tx_key == b.rx_key */
};

static int
setup(void **state)
{
	static struct pair p;

	memset(&p, 0, sizeof p);
	randombytes_buf(p.a.tx_key, HR_KEY_LEN);
	randombytes_buf(p.a.rx_key, HR_KEY_LEN);
	memcpy(p.b.rx_key, p.a.tx_key, HR_KEY_LEN);
	memcpy(p.b.tx_key, p.a.rx_key, HR_KEY_LEN);
	*state = &p;
	return 0;
}

/* Open a whole sealed frame as a receiver would. */
static int
open_frame(struct hr_channel *ch, const uint8_t *frame, size_t flen,
    uint8_t *pt, struct hr_error *err)
{
	return hr_channel_open(ch, frame, frame + HR_FRAME_HEADER,
	    flen - HR_FRAME_HEADER, pt, err);
}

static void
test_roundtrip(void **state)
{
	struct pair    *p = *state;
	uint8_t         frame[64], pt[64];
	struct hr_error err;
	size_t          n;

	n = hr_channel_seal(&p->a, (const uint8_t *)"hello", 5, frame);
	assert_int_equal(n, HR_FRAME_HEADER + 5 + HR_TAG_LEN);
	assert_int_equal(hr_frame_get_len(frame), 5 + HR_TAG_LEN);
	assert_int_equal(open_frame(&p->b, frame, n, pt, &err), 0);
	assert_memory_equal(pt, "hello", 5);
	/* the other direction uses the other key */
	n = hr_channel_seal(&p->b, (const uint8_t *)"hi", 2, frame);
	assert_int_equal(open_frame(&p->a, frame, n, pt, &err), 0);
	assert_memory_equal(pt, "hi", 2);
	/* empty plaintext is a valid frame (tag only) */
	n = hr_channel_seal(&p->a, NULL, 0, frame);
	assert_int_equal(n, HR_FRAME_HEADER + HR_TAG_LEN);
	assert_int_equal(open_frame(&p->b, frame, n, pt, &err), 0);
}

static void
test_counters(void **state)
{
	struct pair    *p = *state;
	uint8_t         frame[64], pt[64];
	struct hr_error err;

	for (uint64_t i = 0; i < 5; i++) {
		size_t n = hr_channel_seal(&p->a, (const uint8_t *)"x", 1, frame);

		assert_int_equal(p->a.tx_ctr, i + 1);
		assert_int_equal(open_frame(&p->b, frame, n, pt, &err), 0);
		assert_int_equal(p->b.rx_ctr, i + 1);
	}
	assert_int_equal(p->a.rx_ctr, 0);
	assert_int_equal(p->b.tx_ctr, 0);
}

/*
 * The last counter value is never used: sealing stops (returns 0, writes
 * nothing, keeps the counter) instead of wrapping to nonce 0 -- in every
 * build (this file is also built with -DNDEBUG: test_channel_ndebug).
 * Before issue 18 the guard was an assert, gone under NDEBUG.
 */
static void
test_counter_exhausted(void **state)
{
	struct pair    *p = *state;
	uint8_t         frame[64], pt[64];
	struct hr_error err;
	size_t          n;

	p->a.tx_ctr = p->b.rx_ctr = UINT64_MAX - 1;
	n = hr_channel_seal(&p->a, (const uint8_t *)"x", 1, frame);
	assert_true(n > 0);
	assert_int_equal(open_frame(&p->b, frame, n, pt, &err), 0);
	assert_true(p->a.tx_ctr == UINT64_MAX);
	memset(frame, 0xaa, sizeof frame);
	assert_int_equal(hr_channel_seal(&p->a, (const uint8_t *)"y", 1,
	    frame), 0);
	assert_true(p->a.tx_ctr == UINT64_MAX);
	assert_int_equal(frame[0], 0xaa);
	/* And a plaintext too big for a frame is refused, not asserted. */
	assert_int_equal(hr_channel_seal(&p->b, NULL, HR_FRAME_MAX, frame), 0);
}

/* Flip each byte of the frame in turn (header, ciphertext, tag): all fail. */
static void
test_tamper(void **state)
{
	struct pair    *p = *state;
	uint8_t         frame[64], bad[64], pt[64];
	struct hr_error err;
	size_t          n;

	n = hr_channel_seal(&p->a, (const uint8_t *)"payload", 7, frame);
	for (size_t i = 0; i < n; i++) {
		memcpy(bad, frame, n);
		bad[i] ^= 0x01;
		hr_error_clear(&err);
		assert_int_equal(open_frame(&p->b, bad, n, pt, &err), -1);
		assert_int_equal(err.code, HR_E_CRYPTO);
		assert_int_equal(p->b.rx_ctr, 0);     /* failure does not advance */
	}
	/* a length header that matches the body but was not sealed: fails */
	memcpy(bad, frame, n);
	hr_frame_put_len(bad, (uint32_t)(n - HR_FRAME_HEADER - 1));
	assert_int_equal(hr_channel_open(&p->b, bad, bad + 4, n - 5, pt, &err), -1);
	/* too short to hold a tag */
	hr_frame_put_len(bad, 3);
	assert_int_equal(hr_channel_open(&p->b, bad, bad + 4, 3, pt, &err), -1);
	/* the untouched frame still opens */
	assert_int_equal(open_frame(&p->b, frame, n, pt, &err), 0);
}

static void
test_replay(void **state)
{
	struct pair    *p = *state;
	uint8_t         frame[64], pt[64];
	struct hr_error err;
	size_t          n;

	n = hr_channel_seal(&p->a, (const uint8_t *)"once", 4, frame);
	assert_int_equal(open_frame(&p->b, frame, n, pt, &err), 0);
	assert_int_equal(open_frame(&p->b, frame, n, pt, &err), -1);
	assert_int_equal(err.code, HR_E_CRYPTO);
}

static void
test_reorder(void **state)
{
	struct pair    *p = *state;
	uint8_t         f1[64], f2[64], pt[64];
	struct hr_error err;
	size_t          n1, n2;

	n1 = hr_channel_seal(&p->a, (const uint8_t *)"first", 5, f1);
	n2 = hr_channel_seal(&p->a, (const uint8_t *)"second", 6, f2);
	assert_int_equal(open_frame(&p->b, f2, n2, pt, &err), -1);   /* skipped one */
	assert_int_equal(open_frame(&p->b, f1, n1, pt, &err), 0);
	assert_int_equal(open_frame(&p->b, f2, n2, pt, &err), 0);
	/* a frame reflected back to its sender does not open either */
	n1 = hr_channel_seal(&p->a, (const uint8_t *)"mirror", 6, f1);
	assert_int_equal(open_frame(&p->a, f1, n1, pt, &err), -1);
}

static void
test_wipe(void **state)
{
	struct pair *p = *state;
	uint8_t      zero[sizeof p->a];

	memset(zero, 0, sizeof zero);
	hr_channel_wipe(&p->a);
	assert_memory_equal(&p->a, zero, sizeof zero);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_roundtrip, setup),
		cmocka_unit_test_setup(test_counter_exhausted, setup),
		cmocka_unit_test_setup(test_counters, setup),
		cmocka_unit_test_setup(test_tamper, setup),
		cmocka_unit_test_setup(test_replay, setup),
		cmocka_unit_test_setup(test_reorder, setup),
		cmocka_unit_test_setup(test_wipe, setup),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
