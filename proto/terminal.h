/*
 * terminal.h — per-terminal keys: the second factor of a login.
 *
 * A back office may require its users to log in only from a registered
 * terminal (hromadactl territory require-terminal).  Each such PC holds an
 * X25519 key pair made by `hromadactl terminal add`; the server keeps the
 * public half.  At login the client proves it holds the secret half by
 * sending
 *
 *   terminal_proof = BLAKE2b-256(key = DH(terminal_sk, S) || DH(terminal_sk, e_s),
 *                                "hromada terminal proof" || h)
 *
 * where S is the server key this connection's handshake used, e_s the
 * server's ephemeral key of that handshake and h its transcript hash
 * (hr_channel.server_eph_pk, .transcript).  The server computes the same
 * with DH(s, terminal_pk) || DH(e_s secret, terminal_pk).  Because h is
 * fresh per connection the proof cannot be replayed into another session;
 * because it needs DH(t, e_s), not only DH(t, S), even the holder of the
 * server's long-term secret cannot make one without the terminal's secret
 * (key-compromise impersonation, as Noise XK's `se` token prevents it):
 * the real server's e_s secret never leaves it.  PROTOCOL.md "login".
 *
 * The key file (written by hromadactl, read by the client) is text:
 *
 *   # comment lines
 *   terminal NAME
 *   secret BASE64-OF-32-BYTES
 *
 * and must not be readable by group or others (like ssh's private keys).
 */
#ifndef HR_TERMINAL_H
#define HR_TERMINAL_H

#include <stddef.h>
#include <stdint.h>

#include "proto/error.h"
#include "proto/handshake.h"

#define HR_TERMINAL_NAME_MAX  64u
#define HR_TERMINAL_PROOF_LEN 32u

/*
 * The proof: BLAKE2b-256 keyed with DH(sk1, pk1) || DH(sk2, pk2) over the
 * label and the transcript.  The client passes (terminal secret, S,
 * terminal secret, e_s), the server (its secret of S, terminal key, its
 * secret of e_s, terminal key): the DHs are symmetric.  -1 when a DH
 * result is all zero (a low-order point: refuse the key).
 */
int hr_terminal_proof(const uint8_t sk1[HR_PUBKEY_LEN],
    const uint8_t pk1[HR_PUBKEY_LEN], const uint8_t sk2[HR_PUBKEY_LEN],
    const uint8_t pk2[HR_PUBKEY_LEN], const uint8_t transcript[32],
    uint8_t out[HR_TERMINAL_PROOF_LEN]);

/* Terminal names: 1..64 of [a-z0-9._-], not starting with '-' or '.'. */
int hr_terminal_name_check(const char *name, struct hr_error *err);

/*
 * Read a key file: name (NUL-terminated, at most HR_TERMINAL_NAME_MAX
 * bytes) and secret.  Refuses a file readable by group or others, and
 * names the file and line of anything malformed.
 */
int hr_terminal_key_load(const char *path,
    char name[HR_TERMINAL_NAME_MAX + 1], uint8_t sk[HR_PUBKEY_LEN],
    struct hr_error *err);

#endif
