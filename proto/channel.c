/*
 * channel.c — the encrypted channel after the handshake (see channel.h,
 * PROTOCOL.md "Channel").
 *
 * Like WireGuard's transport and CurveCP, nonces are implicit: each side
 * counts the frames it sent and received, and the counter is the nonce.
 * Nothing about ordering is on the wire, so there is nothing to parse and
 * nothing to forge: the only way for a frame to open is to be exactly the
 * next frame the peer sealed, with exactly the length it had.  TCP already
 * delivers in order, so any gap or repeat is an attack or a bug, and ends
 * the session (we never resynchronise).
 */
#include "proto/channel.h"
#include "proto/frame.h"

#include <string.h>

#include <sodium.h>

/* 24-byte XChaCha20 nonce: counter as u64 little-endian, then zeros. */
static void
channel_nonce(uint64_t ctr, uint8_t nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES])
{
	memset(nonce, 0, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
	for (int i = 0; i < 8; i++)
		nonce[i] = (uint8_t)(ctr >> (8 * i));
}

size_t
hr_channel_seal(struct hr_channel *ch, const uint8_t *pt, size_t ptlen,
    uint8_t *out)
{
	uint8_t            nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
	unsigned long long clen = 0;

	/* Callers bound their messages; 2^64 - 1 frames cannot be sent in
	 * practice -- but a reused nonce must never be, so both are checked
	 * in every build, NDEBUG or not. */
	if (ptlen > HR_FRAME_MAX - HR_TAG_LEN || ch->tx_ctr == UINT64_MAX)
		return 0;

	hr_frame_put_len(out, (uint32_t)(ptlen + HR_TAG_LEN));
	channel_nonce(ch->tx_ctr, nonce);
	crypto_aead_xchacha20poly1305_ietf_encrypt(out + HR_FRAME_HEADER, &clen,
	    pt, ptlen, out, HR_FRAME_HEADER, NULL, nonce, ch->tx_key);
	ch->tx_ctr++;
	return HR_FRAME_HEADER + (size_t)clen;
}

/*
 * The counter advances only when a frame opens: on failure the caller must
 * end the session anyway, and an unchanged state makes that easy to reason
 * about.  Every failure has the same code and nearly the same message, so
 * the error reveals nothing to a prober beyond "not authentic".
 */
int
hr_channel_open(struct hr_channel *ch, const uint8_t hdr[4], const uint8_t *ct,
    size_t ctlen, uint8_t *pt, struct hr_error *err)
{
	uint8_t            nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
	unsigned long long ptlen = 0;

	if (ctlen < HR_TAG_LEN || ctlen > HR_FRAME_MAX)
		return hr_error_set(err, HR_E_CRYPTO,
		    "encrypted frame of %zu bytes has an impossible size", ctlen);
	if (hr_frame_get_len(hdr) != ctlen)
		return hr_error_set(err, HR_E_CRYPTO,
		    "encrypted frame length does not match its header");
	if (ch->rx_ctr == UINT64_MAX)
		return hr_error_set(err, HR_E_CRYPTO, "frame counter exhausted");
	channel_nonce(ch->rx_ctr, nonce);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(pt, &ptlen, NULL, ct,
	    ctlen, hdr, HR_FRAME_HEADER, nonce, ch->rx_key) != 0)
		return hr_error_set(err, HR_E_CRYPTO,
		    "frame %llu failed authentication (altered, replayed or "
		    "out of order)", (unsigned long long)ch->rx_ctr);
	ch->rx_ctr++;
	return 0;
}

void
hr_channel_wipe(struct hr_channel *ch)
{
	sodium_memzero(ch, sizeof *ch);
}
