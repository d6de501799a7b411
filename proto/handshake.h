/*
 * handshake.h — one round trip from TCP connect to an encrypted channel.
 *
 * Pattern: Noise NK-like.  The client knows (pins) the server's long-term
 * X25519 key S.  It sends an ephemeral key e_c; the server answers with an
 * ephemeral e_s and a tag proving it holds S.  Keys come from
 * DH(e_c, S) || DH(e_c, e_s) keyed by the hash of every handshake byte.
 * Identity of the person is proven afterwards, inside the channel (login).
 *
 * A client that has no pinned key, or whose key id the server does not hold,
 * gets a KEY OFFER listing the server's public keys (current first, then
 * keys in their rotation grace period) and decides, like ssh's known_hosts,
 * whether to trust them.  Exact bytes: PROTOCOL.md "Handshake".
 */
#ifndef HR_HANDSHAKE_H
#define HR_HANDSHAKE_H

#include <stddef.h>
#include <stdint.h>

#include "proto/channel.h"
#include "proto/error.h"

#define HR_PROTO_MAGIC          "HRMD"
#define HR_PROTO_VERSION        1
#define HR_PUBKEY_LEN           32u
#define HR_KEYID_LEN            8u
#define HR_MAX_SERVER_KEYS      4u    /* current + keys in grace period */
#define HR_CLIENT_HELLO_LEN     (4u + 1u + 1u + HR_KEYID_LEN + HR_PUBKEY_LEN)
#define HR_SERVER_HELLO_MAX     (1u + HR_MAX_SERVER_KEYS * HR_PUBKEY_LEN + 1u + 128u)

/* Server reply types (first byte of the server's handshake body). */
enum hr_hs_reply {
	HR_HS_ACCEPT    = 0x01,  /* e_s | tag */
	HR_HS_KEY_OFFER = 0x02,  /* count | count x public key; server closes */
	HR_HS_REJECT    = 0x03,  /* error code | UTF-8 reason; server closes */
};

struct hr_keypair {
	uint8_t pk[HR_PUBKEY_LEN];
	uint8_t sk[HR_PUBKEY_LEN];
};

/* The server's long-term keys; keys[0] is current, the rest in grace. */
struct hr_server_keys {
	struct hr_keypair keys[HR_MAX_SERVER_KEYS];
	size_t            count;
};

/* Key id: first 8 bytes of BLAKE2b-256("hromada key id" || pk). */
void hr_key_id(const uint8_t pk[HR_PUBKEY_LEN], uint8_t id[HR_KEYID_LEN]);

/*
 * Fingerprint for people: "SHA256:" + base64 (no padding) of SHA-256(pk),
 * like ssh.  `out` needs HR_FINGERPRINT_LEN bytes.
 */
#define HR_FINGERPRINT_LEN 52u
void hr_key_fingerprint(const uint8_t pk[HR_PUBKEY_LEN], char out[HR_FINGERPRINT_LEN]);

/* New long-term key pair (crypto_box/X25519). */
void hr_keypair_generate(struct hr_keypair *kp);

/* ---- client side ---- */

struct hr_hs_client {
	uint8_t e_pk[HR_PUBKEY_LEN], e_sk[HR_PUBKEY_LEN];
	uint8_t server_pk[HR_PUBKEY_LEN];
	int     have_server_pk;
	uint8_t hello[HR_CLIENT_HELLO_LEN];
	/* filled by hr_hs_client_finish on a KEY OFFER */
	uint8_t offered[HR_MAX_SERVER_KEYS][HR_PUBKEY_LEN];
	size_t  offered_count;
};

/*
 * Start: generate the ephemeral key and the ClientHello body (put it in a
 * frame yourself).  `pinned` may be NULL (first contact: expect a KEY OFFER).
 */
void hr_hs_client_start(struct hr_hs_client *hs, const uint8_t *pinned,
    uint8_t hello[HR_CLIENT_HELLO_LEN]);

/*
 * Finish with the server's handshake body.  Returns 0 with `ch` ready, or -1
 * and err->code: HR_E_KEY_UNKNOWN (offer stored in hs->offered: nothing was
 * pinned), HR_E_KEY_CHANGED (offer does not contain the pinned key),
 * HR_E_CRYPTO (bad tag: not the pinned server), HR_E_VERSION / others from a
 * REJECT, HR_E_PROTOCOL (malformed).  Wipes the ephemeral secret.
 */
int  hr_hs_client_finish(struct hr_hs_client *hs, const uint8_t *body,
    size_t len, struct hr_channel *ch, struct hr_error *err);

/* ---- server side ---- */

/*
 * Answer a ClientHello body.  Always writes a reply body to `out`
 * (room for HR_SERVER_HELLO_MAX bytes) and its length to *outlen.
 * Returns 0 when the channel is ready (ACCEPT), 1 when the reply is a KEY
 * OFFER or REJECT after which the server closes, -1 with `err` set when the
 * hello is garbage (nothing to send; close).
 */
int  hr_hs_server_respond(const struct hr_server_keys *keys,
    const uint8_t *hello, size_t len, uint8_t *out, size_t *outlen,
    struct hr_channel *ch, struct hr_error *err);

/*
 * Which of `keys` a hello (already ACCEPTed by hr_hs_server_respond)
 * selected by its key id: the index, or -1.  The server needs it to check
 * proofs made with that key after the handshake (terminal keys).
 */
int  hr_hs_server_key_index(const struct hr_server_keys *keys,
    const uint8_t *hello, size_t len);

#endif
