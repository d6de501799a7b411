/*
 * tscan.h — scans for tests and benchmarks: files that start and end as a
 * JPEG, PNG or PDF must (proto/filetype.h), with deterministic content in
 * between, of any size.
 */
#ifndef HR_TSCAN_H
#define HR_TSCAN_H

#include <stddef.h>
#include <stdint.h>

#include "proto/filetype.h"

/*
 * Fill buf[0..size) with a scan of `type` (HR_FT_JPEG, _PNG or _PDF);
 * `seed` makes the content differ.  size must be at least 128.
 */
void tscan_fill(uint8_t *buf, size_t size, enum hr_filetype type,
    uint64_t seed);

/* Write such a scan to `path`; 0, or -1 (errno set). */
int  tscan_write(const char *path, size_t size, enum hr_filetype type,
    uint64_t seed);

/* Read a whole file into a malloc'd buffer (*len its size); NULL on error. */
uint8_t *tscan_read(const char *path, size_t *len);

#endif
