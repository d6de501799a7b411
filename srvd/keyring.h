/*
 * keyring.h — the server's long-term keys while it runs.
 *
 * At start main.c loads them (db/keypairs.h: public halves and history in the
 * database, secrets in the key file).  After that the keyring reloads
 * them every KEYRING_RELOAD seconds and on SIGHUP, so that what
 * `hromadactl key rotate|revoke` did takes effect without a restart, and:
 *
 *   - a key past its grace period or revoked is no longer accepted: it
 *     leaves srv->keys (its secret wiped from memory, and from the key
 *     file: db_keys_prune), and every connection whose handshake used it
 *     is closed;
 *   - a client whose connection uses a key that is not current (one in
 *     its grace period) is told the current key inside the channel, the
 *     notification `server_key` {key}: right after the handshake, and to
 *     every such connection when a reload finds a new current key.  The
 *     client pins it from there (PROTOCOL.md "Key rotation").
 *
 * Terminal proofs are checked here too (keyring_terminal_proof_ok): they
 * need the secret of the key the connection's handshake used.
 */
#ifndef SRV_KEYRING_H
#define SRV_KEYRING_H

#include <stdint.h>

#include "proto/handshake.h"

#define KEYRING_RELOAD 60.0      /* seconds between reloads */

struct srv;
struct conn;

/* Start the reload timer (after the keys were loaded once). */
void keyring_start(struct srv *srv);
void keyring_stop(struct srv *srv);

/*
 * Reload now (the timer, SIGHUP: `why` says which, for the log).  On a
 * failure the keys in use stay as they were and the reason is logged.
 */
void keyring_reload(struct srv *srv, const char *why);

/*
 * The channel of `c` is up: remember the key its handshake used, and
 * announce the current key if that was another one.
 */
void keyring_conn_ready(struct conn *c, const uint8_t *hello, size_t len);

/*
 * Is `proof` the proof of the terminal whose public key is t_pk, for this
 * connection's handshake (proto/terminal.h)?  1 yes, 0 no.
 */
int  keyring_terminal_proof_ok(const struct conn *c,
    const uint8_t t_pk[HR_PUBKEY_LEN], const uint8_t *proof);

#endif
