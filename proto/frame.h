/*
 * frame.h — length-prefixed framing.
 *
 * Every message on the wire, handshake or encrypted, is one frame:
 *
 *     u32 big-endian body length | body
 *
 * A body longer than the receiver's maximum ends the connection (the peer
 * is broken or hostile); so does a zero length.  See PROTOCOL.md "Framing".
 */
#ifndef HR_FRAME_H
#define HR_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "proto/error.h"

#define HR_FRAME_HEADER   4u
#define HR_FRAME_MAX      (1024u * 1024u)   /* protocol ceiling for a body */

/*
 * Look at `avail` bytes at `p`.  Returns 1 and sets *body_len when a whole
 * frame is there (header + body), 0 when more bytes are needed, -1 with
 * `err` set when the declared length is 0 or above `max`.
 */
int  hr_frame_peek(const uint8_t *p, size_t avail, size_t max,
    size_t *body_len, struct hr_error *err);

void     hr_frame_put_len(uint8_t hdr[HR_FRAME_HEADER], uint32_t body_len);
uint32_t hr_frame_get_len(const uint8_t hdr[HR_FRAME_HEADER]);

#endif
