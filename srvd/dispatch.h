/*
 * dispatch.h — the server's answer to one decrypted frame of a connection
 * (dispatch.c): decode it, run it where its method says, reply.
 */
#ifndef SRV_DISPATCH_H
#define SRV_DISPATCH_H

#include <stddef.h>
#include <stdint.h>

struct conn;

/* Decode and run one decrypted request of `c`. */
void srv_dispatch(struct conn *c, const uint8_t *msg, size_t len);

#endif
