/*
 * frame.c — length-prefixed framing (see frame.h, PROTOCOL.md "Framing").
 *
 * The reader never trusts the length: a zero or over-limit length is an
 * error at once, before any byte of the body is buffered, so a peer cannot
 * make us wait for (or allocate) a body we would refuse anyway.
 */
#include "proto/frame.h"

void
hr_frame_put_len(uint8_t hdr[HR_FRAME_HEADER], uint32_t body_len)
{
	hdr[0] = (uint8_t)(body_len >> 24);
	hdr[1] = (uint8_t)(body_len >> 16);
	hdr[2] = (uint8_t)(body_len >> 8);
	hdr[3] = (uint8_t)body_len;
}

uint32_t
hr_frame_get_len(const uint8_t hdr[HR_FRAME_HEADER])
{
	return (uint32_t)hdr[0] << 24 | (uint32_t)hdr[1] << 16 |
	    (uint32_t)hdr[2] << 8 | (uint32_t)hdr[3];
}

/*
 * `max` is the caller's limit (a server may want less than the protocol
 * ceiling); it is clamped to HR_FRAME_MAX so no caller can exceed it.
 */
int
hr_frame_peek(const uint8_t *p, size_t avail, size_t max, size_t *body_len,
    struct hr_error *err)
{
	uint32_t len;

	if (max > HR_FRAME_MAX)
		max = HR_FRAME_MAX;
	if (avail < HR_FRAME_HEADER)
		return 0;
	len = hr_frame_get_len(p);
	if (len == 0)
		return hr_error_set(err, HR_E_PROTOCOL, "frame with zero length");
	if (len > max)
		return hr_error_set(err, HR_E_PROTOCOL,
		    "frame of %lu bytes exceeds the limit of %lu bytes",
		    (unsigned long)len, (unsigned long)max);
	if (avail - HR_FRAME_HEADER < len)
		return 0;
	*body_len = len;
	return 1;
}
