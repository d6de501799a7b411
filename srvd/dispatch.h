/*
 * dispatch.h — the server's answer to one decrypted frame of a connection
 * (dispatch.c): decode it, run it where its method says, reply.
 */
#ifndef SRV_DISPATCH_H
#define SRV_DISPATCH_H

#include <stddef.h>
#include <stdint.h>

struct conn;
struct srv_hashed;

/*
 * Decode and run one decrypted request of `c` (the connection table's
 * frame hook): *msg is malloc'd; a request that must wait for the writer
 * keeps it (sets *msg to NULL, and wipes and frees it once run) instead of
 * copying its bytes.
 */
void srv_dispatch(struct conn *c, uint8_t **msg, size_t len);

/* The same for a request whose bytes h->at [0, h->n) inside *msg are
 * known to hash to h->hash, and may be written into h->spare already
 * (prehash.h): a handler that keeps the spare sets it to -1, and the
 * caller closes it otherwise. */
void srv_dispatch_hashed(struct conn *c, uint8_t **msg, size_t len,
    struct srv_hashed *h);

#endif
