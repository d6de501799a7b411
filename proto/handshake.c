/*
 * handshake.c — one round trip from connect to an encrypted channel
 * (see handshake.h; exact bytes in PROTOCOL.md "Handshake").
 *
 *   client -> server   ClientHello = "HRMD" | ver | flags | key id | e_c
 *   server -> client   0x01 | e_s | tag          (ACCEPT)
 *                      0x02 | n | n x S          (KEY OFFER, then close)
 *                      0x03 | code | reason      (REJECT, then close)
 *
 *   h    = BLAKE2b-256(PROTOCOL_NAME || ClientHello || S || e_s)
 *   ikm  = DH(e_c, S) || DH(e_c, e_s)
 *   okm  = BLAKE2b-512(key = h, ikm);  c2s = okm[0..32), s2c = okm[32..64)
 *   tag  = XChaCha20-Poly1305(s2c, nonce 0, ad = h, plaintext "")
 *
 * Only the holder of S's secret can compute DH(e_c, S), so a tag that opens
 * proves the server; DH(e_c, e_s) gives forward secrecy; keying the KDF
 * with h binds every handshake byte (version, flags, key id, both
 * ephemerals, the static key) into the session keys.  The server keeps
 * e_s's secret with the channel keys for the life of the connection
 * (hr_channel.server_eph_sk), for the terminal proofs that bind a
 * terminal to this handshake (terminal.h).
 */
#include "proto/handshake.h"
#include "proto/schema.h"     /* hr_utf8_valid for REJECT reasons */

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#define HS_PROTOCOL_NAME  "Hromada_NK_25519_XChaChaPoly_BLAKE2b v1"
#define HS_KEYID_LABEL    "hromada key id"
#define HS_HASH_LEN       32u
#define HS_ACCEPT_LEN     (1u + HR_PUBKEY_LEN + HR_TAG_LEN)
#define HS_REASON_MAX     128u

/* Offsets inside the ClientHello body. */
enum {
	HELLO_MAGIC   = 0,
	HELLO_VERSION = 4,
	HELLO_FLAGS   = 5,
	HELLO_KEYID   = 6,
	HELLO_EPHEM   = 6 + HR_KEYID_LEN,
};

/* ---- keys and names ---- */

void
hr_key_id(const uint8_t pk[HR_PUBKEY_LEN], uint8_t id[HR_KEYID_LEN])
{
	crypto_generichash_state st;
	uint8_t                  h[HS_HASH_LEN];

	crypto_generichash_init(&st, NULL, 0, sizeof h);
	crypto_generichash_update(&st, (const uint8_t *)HS_KEYID_LABEL,
	    strlen(HS_KEYID_LABEL));
	crypto_generichash_update(&st, pk, HR_PUBKEY_LEN);
	crypto_generichash_final(&st, h, sizeof h);
	memcpy(id, h, HR_KEYID_LEN);
}

void
hr_key_fingerprint(const uint8_t pk[HR_PUBKEY_LEN], char out[HR_FINGERPRINT_LEN])
{
	uint8_t digest[crypto_hash_sha256_BYTES];
	size_t  pfx = strlen("SHA256:");

	crypto_hash_sha256(digest, pk, HR_PUBKEY_LEN);
	memcpy(out, "SHA256:", pfx);
	sodium_bin2base64(out + pfx, HR_FINGERPRINT_LEN - pfx, digest,
	    sizeof digest, sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
}

void
hr_keypair_generate(struct hr_keypair *kp)
{
	crypto_box_keypair(kp->pk, kp->sk);
}

/* ---- the key schedule, shared by both sides ---- */

/* h = BLAKE2b-256(name || hello || S || e_s) */
static void
hs_transcript(const uint8_t hello[HR_CLIENT_HELLO_LEN],
    const uint8_t s_pk[HR_PUBKEY_LEN], const uint8_t es_pk[HR_PUBKEY_LEN],
    uint8_t h[HS_HASH_LEN])
{
	crypto_generichash_state st;

	crypto_generichash_init(&st, NULL, 0, HS_HASH_LEN);
	crypto_generichash_update(&st, (const uint8_t *)HS_PROTOCOL_NAME,
	    strlen(HS_PROTOCOL_NAME));
	crypto_generichash_update(&st, hello, HR_CLIENT_HELLO_LEN);
	crypto_generichash_update(&st, s_pk, HR_PUBKEY_LEN);
	crypto_generichash_update(&st, es_pk, HR_PUBKEY_LEN);
	crypto_generichash_final(&st, h, HS_HASH_LEN);
}

/*
 * okm = BLAKE2b-512(key = h, dh1 || dh2).  Fills both directions of `ch`
 * from the side's point of view and wipes every intermediate secret.
 */
static void
hs_derive(const uint8_t dh1[32], const uint8_t dh2[32],
    const uint8_t h[HS_HASH_LEN], int is_server, struct hr_channel *ch)
{
	uint8_t ikm[64], okm[64];

	memcpy(ikm, dh1, 32);
	memcpy(ikm + 32, dh2, 32);
	crypto_generichash(okm, sizeof okm, ikm, sizeof ikm, h, HS_HASH_LEN);
	memset(ch, 0, sizeof *ch);
	memcpy(is_server ? ch->rx_key : ch->tx_key, okm, HR_KEY_LEN);       /* c2s */
	memcpy(is_server ? ch->tx_key : ch->rx_key, okm + 32, HR_KEY_LEN);  /* s2c */
	memcpy(ch->transcript, h, HS_HASH_LEN);
	sodium_memzero(ikm, sizeof ikm);
	sodium_memzero(okm, sizeof okm);
}

/* Nonce 0 for the ACCEPT tag: the first nonce of the s2c direction. */
static const uint8_t hs_nonce0[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];

/* ---- client ---- */

void
hr_hs_client_start(struct hr_hs_client *hs, const uint8_t *pinned,
    uint8_t hello[HR_CLIENT_HELLO_LEN])
{
	uint8_t pin[HR_PUBKEY_LEN];

	if (pinned != NULL)              /* may point into *hs (hs->offered) */
		memcpy(pin, pinned, sizeof pin);
	memset(hs, 0, sizeof *hs);
	crypto_box_keypair(hs->e_pk, hs->e_sk);
	memcpy(hs->hello + HELLO_MAGIC, HR_PROTO_MAGIC, 4);
	hs->hello[HELLO_VERSION] = HR_PROTO_VERSION;
	hs->hello[HELLO_FLAGS] = 0;          /* bit 0: reserved, terminal key */
	if (pinned != NULL) {
		memcpy(hs->server_pk, pin, HR_PUBKEY_LEN);
		hs->have_server_pk = 1;
		hr_key_id(pin, hs->hello + HELLO_KEYID);
	}                                    /* else key id stays all zero */
	memcpy(hs->hello + HELLO_EPHEM, hs->e_pk, HR_PUBKEY_LEN);
	memcpy(hello, hs->hello, HR_CLIENT_HELLO_LEN);
}

/* ACCEPT: compute the keys and check the server's proof. */
static int
client_accept(struct hr_hs_client *hs, const uint8_t *body, size_t len,
    struct hr_channel *ch, struct hr_error *err)
{
	const uint8_t *es_pk, *tag;
	uint8_t        dh1[32], dh2[32], h[HS_HASH_LEN];
	int            bad;

	if (!hs->have_server_pk)
		return hr_error_set(err, HR_E_PROTOCOL,
		    "server accepted a handshake without a pinned key");
	if (len != HS_ACCEPT_LEN)
		return hr_error_set(err, HR_E_PROTOCOL,
		    "server ACCEPT has %zu bytes, expected %u", len, HS_ACCEPT_LEN);
	es_pk = body + 1;
	tag = body + 1 + HR_PUBKEY_LEN;
	bad = crypto_scalarmult(dh1, hs->e_sk, hs->server_pk) != 0;
	bad |= crypto_scalarmult(dh2, hs->e_sk, es_pk) != 0;
	if (bad) {
		sodium_memzero(dh1, sizeof dh1);
		sodium_memzero(dh2, sizeof dh2);
		return hr_error_set(err, HR_E_CRYPTO,
		    "server sent a weak ephemeral key");
	}
	hs_transcript(hs->hello, hs->server_pk, es_pk, h);
	hs_derive(dh1, dh2, h, 0, ch);
	memcpy(ch->server_eph_pk, es_pk, HR_PUBKEY_LEN);
	sodium_memzero(dh1, sizeof dh1);
	sodium_memzero(dh2, sizeof dh2);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(NULL, NULL, NULL, tag,
	    HR_TAG_LEN, h, HS_HASH_LEN, hs_nonce0, ch->rx_key) != 0) {
		hr_channel_wipe(ch);
		return hr_error_set(err, HR_E_CRYPTO,
		    "server could not prove it holds the pinned key");
	}
	ch->tx_ctr = 0;
	ch->rx_ctr = 1;     /* nonce 0 of s2c was the ACCEPT tag */
	return 0;
}

/* KEY OFFER: store the keys; say whether this is first contact or a change. */
static int
client_offer(struct hr_hs_client *hs, const uint8_t *body, size_t len,
    struct hr_error *err)
{
	size_t n = len >= 2 ? body[1] : 0;

	if (n == 0 || n > HR_MAX_SERVER_KEYS || len != 2 + n * HR_PUBKEY_LEN)
		return hr_error_set(err, HR_E_PROTOCOL, "malformed KEY OFFER");
	for (size_t i = 0; i < n; i++)
		memcpy(hs->offered[i], body + 2 + i * HR_PUBKEY_LEN, HR_PUBKEY_LEN);
	hs->offered_count = n;
	if (!hs->have_server_pk)
		return hr_error_set(err, HR_E_KEY_UNKNOWN,
		    "server key is not pinned yet; the server offers %zu key(s)", n);
	for (size_t i = 0; i < n; i++)
		if (sodium_memcmp(hs->offered[i], hs->server_pk, HR_PUBKEY_LEN) == 0)
			return hr_error_set(err, HR_E_PROTOCOL,
			    "server offered the pinned key but did not accept it");
	return hr_error_set(err, HR_E_KEY_CHANGED,
	    "server key differs from the pinned one (rotated, or someone is "
	    "impersonating the server)");
}

/*
 * Is code point `cp` safe to show?  Not the C0 and C1 controls and DEL
 * (terminal escape sequences: a forged REJECT must not drive the clerk's
 * terminal), nor the bidirectional overrides and isolates (they would
 * reorder what is shown around them).
 */
static int
reject_printable(uint32_t cp)
{
	return cp >= 0x20 && cp != 0x7f && !(cp >= 0x80 && cp <= 0x9f) &&
	    cp != 0x200e && cp != 0x200f && !(cp >= 0x202a && cp <= 0x202e) &&
	    !(cp >= 0x2066 && cp <= 0x2069);
}

/*
 * The reason as text fit to show: valid UTF-8 (checked already), every
 * character reject_printable() refuses replaced by '?', at most
 * HS_REASON_MAX bytes.  The REJECT is not authenticated: anyone on the
 * path can write it.
 */
static void
reject_clean(const uint8_t *in, size_t n, char *out, size_t cap)
{
	size_t o = 0;

	for (size_t i = 0; i < n && o + 4 < cap; ) {
		uint32_t cp = in[i];
		size_t   len = cp < 0x80 ? 1 : cp < 0xe0 ? 2 : cp < 0xf0 ? 3 : 4;

		if (len > n - i)
			break;
		if (len == 2)
			cp = (cp & 0x1f) << 6 | (in[i + 1] & 0x3f);
		else if (len == 3)
			cp = (cp & 0x0f) << 12 | (in[i + 1] & 0x3f) << 6 |
			    (in[i + 2] & 0x3f);
		else if (len == 4)
			cp = (cp & 0x07) << 18 | (in[i + 1] & 0x3f) << 12 |
			    (in[i + 2] & 0x3f) << 6 | (in[i + 3] & 0x3f);
		if (reject_printable(cp)) {
			memcpy(out + o, in + i, len);
			o += len;
		} else
			out[o++] = '?';
		i += len;
	}
	out[o] = '\0';
}

/* REJECT: pass the server's code and reason on, after checking them. */
static int
client_reject(const uint8_t *body, size_t len, struct hr_error *err)
{
	char   reason[HS_REASON_MAX + 8];
	size_t rlen;

	if (len < 2 || body[1] == HR_OK || len - 2 > HS_REASON_MAX)
		return hr_error_set(err, HR_E_PROTOCOL, "malformed REJECT");
	rlen = len - 2;
	if (rlen > 0 && !hr_utf8_valid((const char *)body + 2, rlen))
		return hr_error_set(err, HR_E_PROTOCOL, "malformed REJECT reason");
	reject_clean(body + 2, rlen, reason, sizeof reason);
	return hr_error_set(err, body[1], "server refused the connection: %s",
	    reason);
}

int
hr_hs_client_finish(struct hr_hs_client *hs, const uint8_t *body, size_t len,
    struct hr_channel *ch, struct hr_error *err)
{
	int rc;

	if (len == 0)
		rc = hr_error_set(err, HR_E_PROTOCOL, "empty server handshake");
	else if (body[0] == HR_HS_ACCEPT)
		rc = client_accept(hs, body, len, ch, err);
	else if (body[0] == HR_HS_KEY_OFFER)
		rc = client_offer(hs, body, len, err);
	else if (body[0] == HR_HS_REJECT)
		rc = client_reject(body, len, err);
	else
		rc = hr_error_set(err, HR_E_PROTOCOL,
		    "unknown server handshake type 0x%02x", body[0]);
	sodium_memzero(hs->e_sk, sizeof hs->e_sk);   /* one attempt per key */
	return rc;
}

/* ---- server ---- */

/* REJECT body: 0x03 | code | reason (ASCII, at most HS_REASON_MAX bytes). */
static int
server_reject(uint8_t *out, size_t *outlen, int code, const char *reason,
    struct hr_error *err)
{
	size_t rlen = strlen(reason);

	if (rlen > HS_REASON_MAX)
		rlen = HS_REASON_MAX;
	out[0] = HR_HS_REJECT;
	out[1] = (uint8_t)code;
	memcpy(out + 2, reason, rlen);
	*outlen = 2 + rlen;
	hr_error_set(err, code, "handshake rejected: %s", reason);
	return 1;
}

/* KEY OFFER body: 0x02 | count | keys, current first. */
static int
server_offer(const struct hr_server_keys *keys, uint8_t *out, size_t *outlen,
    struct hr_error *err)
{
	size_t n = keys->count;

	out[0] = HR_HS_KEY_OFFER;
	out[1] = (uint8_t)n;
	for (size_t i = 0; i < n; i++)
		memcpy(out + 2 + i * HR_PUBKEY_LEN, keys->keys[i].pk, HR_PUBKEY_LEN);
	*outlen = 2 + n * HR_PUBKEY_LEN;
	hr_error_set(err, HR_E_KEY_UNKNOWN,
	    "client does not know our key; offered %zu key(s)", n);
	return 1;
}

/* The server key whose id the client sent, or NULL (zero id: none). */
static const struct hr_keypair *
server_find_key(const struct hr_server_keys *keys, const uint8_t *id)
{
	static const uint8_t zero[HR_KEYID_LEN];
	uint8_t              kid[HR_KEYID_LEN];

	if (memcmp(id, zero, HR_KEYID_LEN) == 0)
		return NULL;
	for (size_t i = 0; i < keys->count; i++) {
		hr_key_id(keys->keys[i].pk, kid);
		if (memcmp(kid, id, HR_KEYID_LEN) == 0)   /* ids are public */
			return &keys->keys[i];
	}
	return NULL;
}

/* ACCEPT body: 0x01 | e_s | tag.  Fresh e_s per connection, wiped at once. */
static int
server_accept(const struct hr_keypair *s, const uint8_t *hello, uint8_t *out,
    size_t *outlen, struct hr_channel *ch, struct hr_error *err)
{
	const uint8_t *ec_pk = hello + HELLO_EPHEM;
	uint8_t        es_pk[HR_PUBKEY_LEN], es_sk[HR_PUBKEY_LEN];
	uint8_t        dh1[32], dh2[32], h[HS_HASH_LEN];
	int            bad;

	crypto_box_keypair(es_pk, es_sk);
	bad = crypto_scalarmult(dh1, s->sk, ec_pk) != 0;
	bad |= crypto_scalarmult(dh2, es_sk, ec_pk) != 0;
	if (bad) {
		sodium_memzero(es_sk, sizeof es_sk);
		sodium_memzero(dh1, sizeof dh1);
		sodium_memzero(dh2, sizeof dh2);
		return hr_error_set(err, HR_E_CRYPTO,
		    "client sent a weak ephemeral key");
	}
	hs_transcript(hello, s->pk, es_pk, h);
	hs_derive(dh1, dh2, h, 1, ch);
	/* Kept with the channel keys, for terminal proofs (terminal.h). */
	memcpy(ch->server_eph_pk, es_pk, HR_PUBKEY_LEN);
	memcpy(ch->server_eph_sk, es_sk, HR_PUBKEY_LEN);
	sodium_memzero(es_sk, sizeof es_sk);
	sodium_memzero(dh1, sizeof dh1);
	sodium_memzero(dh2, sizeof dh2);
	out[0] = HR_HS_ACCEPT;
	memcpy(out + 1, es_pk, HR_PUBKEY_LEN);
	crypto_aead_xchacha20poly1305_ietf_encrypt(out + 1 + HR_PUBKEY_LEN, NULL,
	    NULL, 0, h, HS_HASH_LEN, NULL, hs_nonce0, ch->tx_key);
	*outlen = HS_ACCEPT_LEN;
	ch->tx_ctr = 1;     /* nonce 0 of s2c was the tag */
	ch->rx_ctr = 0;
	return 0;
}

/*
 * Checks run in the order that gives the most useful answer: a peer that is
 * not speaking our protocol at all, or speaks another version, learns why
 * (REJECT) before anything about length is judged, since another version's
 * hello may be longer or shorter.  A v1 hello of the wrong length is garbage.
 */
int
hr_hs_server_respond(const struct hr_server_keys *keys, const uint8_t *hello,
    size_t len, uint8_t *out, size_t *outlen, struct hr_channel *ch,
    struct hr_error *err)
{
	const struct hr_keypair *s;
	char                     why[80];

	*outlen = 0;
	if (len < HELLO_KEYID)
		return hr_error_set(err, HR_E_PROTOCOL,
		    "client hello truncated (%zu bytes)", len);
	if (memcmp(hello + HELLO_MAGIC, HR_PROTO_MAGIC, 4) != 0)
		return server_reject(out, outlen, HR_E_PROTOCOL,
		    "not a Hromada client hello", err);
	if (hello[HELLO_VERSION] != HR_PROTO_VERSION) {
		snprintf(why, sizeof why, "protocol version %u not supported; "
		    "this server speaks version %u", hello[HELLO_VERSION],
		    HR_PROTO_VERSION);
		return server_reject(out, outlen, HR_E_VERSION, why, err);
	}
	if (len != HR_CLIENT_HELLO_LEN)
		return hr_error_set(err, HR_E_PROTOCOL,
		    "client hello has %zu bytes, expected %u", len,
		    HR_CLIENT_HELLO_LEN);
	if (hello[HELLO_FLAGS] != 0)
		return server_reject(out, outlen, HR_E_VERSION,
		    "handshake flags not supported by this server", err);
	if (keys->count == 0 || keys->count > HR_MAX_SERVER_KEYS)
		return hr_error_set(err, HR_E_INTERNAL,
		    "server has %zu keys; 1..%u expected", keys->count,
		    HR_MAX_SERVER_KEYS);
	if ((s = server_find_key(keys, hello + HELLO_KEYID)) == NULL)
		return server_offer(keys, out, outlen, err);
	return server_accept(s, hello, out, outlen, ch, err);
}

int
hr_hs_server_key_index(const struct hr_server_keys *keys, const uint8_t *hello,
    size_t len)
{
	const struct hr_keypair *s;

	if (len != HR_CLIENT_HELLO_LEN)
		return -1;
	s = server_find_key(keys, hello + HELLO_KEYID);
	return s == NULL ? -1 : (int)(s - keys->keys);
}
