/*
 * channel.h — the encrypted channel after the handshake.
 *
 * XChaCha20-Poly1305 (IETF) with one key per direction.  The nonce is never
 * sent: it is the direction's frame counter (u64 little-endian, zero padded
 * to 24 bytes), so a replayed, dropped, reordered or altered frame fails to
 * open and the session ends.  The frame's 4 length bytes are the additional
 * data, so a changed length fails too.  See PROTOCOL.md "Channel".
 */
#ifndef HR_CHANNEL_H
#define HR_CHANNEL_H

#include <stddef.h>
#include <stdint.h>

#include "proto/error.h"

#define HR_KEY_LEN   32u
#define HR_TAG_LEN   16u

struct hr_channel {
	uint8_t  tx_key[HR_KEY_LEN];
	uint8_t  rx_key[HR_KEY_LEN];
	uint64_t tx_ctr;              /* next nonce to send */
	uint64_t rx_ctr;              /* next nonce expected */
	uint8_t  transcript[32];      /* handshake hash; binds tickets/terminal proofs */
	/* The server's ephemeral key of the handshake, for terminal proofs
	 * (terminal.h): its public half on both sides, its secret half on
	 * the server only (zero on the client).  Wiped with the channel. */
	uint8_t  server_eph_pk[32];
	uint8_t  server_eph_sk[32];
};

/*
 * Seal plaintext into a complete frame at `out`, which must have room for
 * HR_FRAME_HEADER + ptlen + HR_TAG_LEN bytes.  Returns the frame length,
 * or 0 (nothing written, the counter unchanged) when the plaintext does
 * not fit a frame or the send counter is used up: a nonce is never used
 * twice, in any build (this is a check, not an assert).  The caller must
 * then end the session.
 */
size_t hr_channel_seal(struct hr_channel *ch, const uint8_t *pt, size_t ptlen,
    uint8_t *out);

/*
 * Open one frame body (ciphertext + tag) whose 4 header bytes are `hdr`.
 * Writes ctlen - HR_TAG_LEN bytes to `pt`.  Returns 0, or -1 with `err` set
 * (HR_E_CRYPTO) when the frame is not the next authentic one.
 */
int    hr_channel_open(struct hr_channel *ch, const uint8_t hdr[4],
    const uint8_t *ct, size_t ctlen, uint8_t *pt, struct hr_error *err);

/* Erase keys (sodium_memzero). */
void   hr_channel_wipe(struct hr_channel *ch);

#endif
