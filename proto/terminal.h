/*
 * terminal.h — per-terminal keys: the second factor of a login.
 *
 * A back office may require its users to log in only from a registered
 * terminal (hromadactl territory require-terminal).  Each such PC holds an
 * X25519 key pair made by `hromadactl terminal add`; the server keeps the
 * public half.  At login the client proves it holds the secret half by
 * sending
 *
 *   terminal_proof = BLAKE2b-256(key = DH(terminal_sk, S),
 *                                "hromada terminal proof" || h)
 *
 * where S is the server key this connection's handshake used and h the
 * handshake transcript hash (hr_channel.transcript).  The server computes
 * the same with DH(s, terminal_pk).  Because h is fresh per connection the
 * proof cannot be replayed into another session.  PROTOCOL.md "login".
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
 * The proof from one side's secret and the other side's public key (the
 * DH is symmetric).  -1 when the DH result is all zero (a low-order point:
 * refuse the key).
 */
int hr_terminal_proof(const uint8_t sk[HR_PUBKEY_LEN],
    const uint8_t peer_pk[HR_PUBKEY_LEN], const uint8_t transcript[32],
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
