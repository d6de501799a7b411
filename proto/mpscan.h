/*
 * mpscan.h — check untrusted msgpack bytes before msgpack-c sees them.
 *
 * msgpack-c's unpacker allocates 24 bytes times whatever count an array or
 * map header declares, before reading a single element (PITFALLS.md).  This
 * scanner walks the bytes without allocating and accepts them only if every
 * declared count fits in the bytes that remain, nesting stays within
 * `max_depth`, and exactly one object fills the buffer.  After it says yes,
 * msgpack_unpack of the same bytes allocates at most ~24 bytes per input byte.
 */
#ifndef HR_MPSCAN_H
#define HR_MPSCAN_H

#include <stddef.h>
#include <stdint.h>

#include "proto/error.h"

#define HR_MP_MAX_DEPTH 16

/* 0 when `p[0..len)` is exactly one well-formed, bounded object; else -1. */
int hr_mpscan(const uint8_t *p, size_t len, int max_depth, struct hr_error *err);

#endif
