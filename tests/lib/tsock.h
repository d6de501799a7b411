/*
 * tsock.h — plain TCP for tests that speak below the client library: the
 * hostile clients (tests/hostile) and the raw-frame cases of the session
 * test (tests/integration/test_session.c).
 *
 * Only what is the same for all of them: connecting to the server's
 * "HOST:PORT", writing a whole buffer or one frame (length header and
 * body), and the local port that names a connection in the server log.
 */
#ifndef HR_TSOCK_H
#define HR_TSOCK_H

#include <stddef.h>
#include <stdint.h>

#include "proto/error.h"

/*
 * A blocking connection to the IPv4 address "HOST:PORT" (close-on-exec).
 * The descriptor, or -1: HR_E_PARAMS for an address that is not IPv4
 * HOST:PORT, HR_E_IO when the connection fails.
 */
int  tsock_connect(const char *addr, struct hr_error *err);

/*
 * The same from local IPv4 address `from` (NULL: any).  Every 127.x.y.z
 * is the loopback on Linux, so a test plays several sources with
 * "127.0.0.2", "127.0.0.3"... (the server's limits count per source).
 */
int  tsock_connect_from(const char *addr, const char *from,
    struct hr_error *err);

/* Our port of a connected socket, or -1. */
int  tsock_local_port(int fd);

/* Write everything; a peer that closed meanwhile is not an error here. */
void tsock_send(int fd, const void *p, size_t n);

/* One frame: the length header, then `len` bytes of body. */
void tsock_send_frame(int fd, const void *body, uint32_t len);

#endif
