/*
 * fuzz_frame_handshake.c — fuzz target: bytes as a server would read them
 * from a socket.
 *
 * Input: one mode byte, then a byte stream that is cut into frames through
 * an hr_buf fed in small chunks (as reads would arrive) and hr_frame_peek.
 *
 *   first frame   hr_hs_server_respond (and, as if it were a server reply,
 *                 hr_hs_client_finish: both parsers see hostile bytes)
 *   later frames  mode bit 0 clear: raw to hr_channel_open on the channel
 *                 the fuzzed hello opened (stops at the first failure, as
 *                 the server would);
 *                 mode bit 0 set: an honest client seals each frame body on
 *                 a real channel, the server opens it (must succeed and give
 *                 the same bytes back: an oracle) and hr_rpc_decode parses
 *                 it, so the decoder sees fuzzed plaintext.
 *
 * Randomness is deterministic (a fixed-seed generator installed into
 * libsodium) so every input replays exactly, including the server's
 * ephemeral key.  Build and run: tests/fuzz/README.md.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <msgpack.h>
#include <sodium.h>

#include "proto/buf.h"
#include "proto/channel.h"
#include "proto/frame.h"
#include "proto/handshake.h"
#include "proto/rpc.h"

#define HR_FUZZ_NAME "fuzz_frame_handshake"
#define CHUNK        61u          /* bytes per simulated read */

/* ---- deterministic randomness (splitmix64) ---- */

static uint64_t rng_state;

static uint32_t
rng_random(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return (uint32_t)(z ^ (z >> 31));
}

static void
rng_buf(void *const p, const size_t n)
{
	uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		b[i] = (uint8_t)rng_random();
}

static const char *
rng_name(void)
{
	return "fuzz-deterministic";
}

static randombytes_implementation rng_impl = {
	.implementation_name = rng_name,
	.random = rng_random,
	.buf = rng_buf,
};

/* ---- fixed server keys ---- */

static struct hr_server_keys keys;

static void
fuzz_init(void)
{
	static int done;
	uint8_t    seed[crypto_box_SEEDBYTES];

	if (done)
		return;
	randombytes_set_implementation(&rng_impl);
	if (sodium_init() < 0)
		abort();
	for (size_t i = 0; i < 2; i++) {
		memset(seed, (int)('A' + i), sizeof seed);
		crypto_box_seed_keypair(keys.keys[i].pk, keys.keys[i].sk, seed);
	}
	keys.count = 2;
	done = 1;
}

/* ---- the stream ---- */

struct stream {
	const uint8_t *in;
	size_t         len, fed;
	struct hr_buf  buf;
};

/*
 * Next whole frame: feed CHUNK bytes at a time until hr_frame_peek has one.
 * Returns the body length (body at hr_buf_head + 4), 0 at end or on error.
 */
static size_t
stream_next(struct stream *s)
{
	struct hr_error err;
	size_t          blen;

	for (;;) {
		int rc = hr_frame_peek(hr_buf_head(&s->buf), hr_buf_used(&s->buf),
		    HR_FRAME_MAX, &blen, &err);

		if (rc == 1)
			return blen;
		if (rc == -1 || s->fed == s->len)
			return 0;
		size_t n = s->len - s->fed < CHUNK ? s->len - s->fed : CHUNK;
		if (hr_buf_append(&s->buf, s->in + s->fed, n) == -1)
			return 0;
		s->fed += n;
	}
}

/* The same bytes seen by a client as the server's reply. */
static void
fuzz_client_finish(const uint8_t *body, size_t blen, int pinned)
{
	struct hr_hs_client hs;
	struct hr_channel   ch;
	struct hr_error     err;
	uint8_t             hello[HR_CLIENT_HELLO_LEN];

	hr_hs_client_start(&hs, pinned ? keys.keys[0].pk : NULL, hello);
	if (hr_hs_client_finish(&hs, body, blen, &ch, &err) == 0)
		hr_channel_wipe(&ch);
}

/* Decode one plaintext as the server's dispatcher would. */
static void
fuzz_decode(const uint8_t *pt, size_t len)
{
	msgpack_zone    zone;
	struct hr_msg   m;
	struct hr_error err;

	msgpack_zone_init(&zone, 2048);
	(void)hr_rpc_decode(pt, len, &zone, &m, &err);
	msgpack_zone_destroy(&zone);
}

/* Later frames straight into the channel the fuzzed hello opened. */
static void
fuzz_raw_frames(struct stream *s, struct hr_channel *sch)
{
	struct hr_error err;
	size_t          blen;

	while ((blen = stream_next(s)) > 0) {
		uint8_t *frame = hr_buf_head(&s->buf);
		uint8_t *pt = malloc(blen);

		if (pt == NULL)
			abort();
		int rc = hr_channel_open(sch, frame, frame + HR_FRAME_HEADER, blen,
		    pt, &err);
		if (rc == 0)
			fuzz_decode(pt, blen - HR_TAG_LEN);
		free(pt);
		hr_buf_consume(&s->buf, HR_FRAME_HEADER + blen);
		if (rc == -1)
			return;          /* the server ends the session here */
	}
}

/* Later frames as plaintext an honest client seals; the server must agree. */
static void
fuzz_sealed_frames(struct stream *s)
{
	struct hr_hs_client hs;
	struct hr_channel   cch, sch;
	struct hr_error     err;
	uint8_t             hello[HR_CLIENT_HELLO_LEN], reply[HR_SERVER_HELLO_MAX];
	size_t              rlen, blen;

	hr_hs_client_start(&hs, keys.keys[0].pk, hello);
	if (hr_hs_server_respond(&keys, hello, sizeof hello, reply, &rlen, &sch,
	    &err) != 0 || hr_hs_client_finish(&hs, reply, rlen, &cch, &err) != 0)
		abort();                 /* an honest handshake must succeed */
	while ((blen = stream_next(s)) > 0) {
		const uint8_t *body = hr_buf_head(&s->buf) + HR_FRAME_HEADER;
		uint8_t       *frame, *pt;
		size_t         flen;

		if (blen > HR_FRAME_MAX - HR_TAG_LEN)
			break;
		frame = malloc(HR_FRAME_HEADER + blen + HR_TAG_LEN);
		pt = malloc(blen + HR_TAG_LEN);
		if (frame == NULL || pt == NULL)
			abort();
		flen = hr_channel_seal(&cch, body, blen, frame);
		if (hr_channel_open(&sch, frame, frame + HR_FRAME_HEADER,
		    flen - HR_FRAME_HEADER, pt, &err) != 0 ||
		    memcmp(pt, body, blen) != 0)
			abort();             /* the channel lost or changed data */
		fuzz_decode(pt, blen);
		free(frame);
		free(pt);
		hr_buf_consume(&s->buf, HR_FRAME_HEADER + blen);
	}
	hr_channel_wipe(&cch);
	hr_channel_wipe(&sch);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct stream     s;
	struct hr_channel sch;
	struct hr_error   err;
	uint8_t           reply[HR_SERVER_HELLO_MAX];
	size_t            rlen, blen;
	int               mode, rc;

	fuzz_init();
	rng_state = 0x486d6164;          /* same randomness for every run */
	if (size < 1)
		return 0;
	mode = data[0];
	s = (struct stream){ data + 1, size - 1, 0, { 0 } };
	hr_buf_init(&s.buf, 2 * (HR_FRAME_HEADER + HR_FRAME_MAX));
	if ((blen = stream_next(&s)) == 0)
		goto out;
	const uint8_t *body = hr_buf_head(&s.buf) + HR_FRAME_HEADER;
	fuzz_client_finish(body, blen, mode & 2);
	rc = hr_hs_server_respond(&keys, body, blen, reply, &rlen, &sch, &err);
	if (rlen > HR_SERVER_HELLO_MAX || (rc == -1 && rlen != 0))
		abort();
	hr_buf_consume(&s.buf, HR_FRAME_HEADER + blen);
	if (mode & 1)
		fuzz_sealed_frames(&s);
	else if (rc == 0)
		fuzz_raw_frames(&s, &sch);
	if (rc == 0)
		hr_channel_wipe(&sch);
out:
	hr_buf_free(&s.buf);
	return 0;
}

#ifndef HR_LIBFUZZER
#include "tests/fuzz/replay.h"
#endif
