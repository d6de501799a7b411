/*
 * fileio.h — whole reads and writes of a descriptor: the loops that
 * retry a short transfer and EINTR, written once (scans: the client's
 * upload and download queues, the server's partial files, the store).
 */
#ifndef HR_FILEIO_H
#define HR_FILEIO_H

#include <stddef.h>
#include <stdint.h>

/* Read exactly n bytes at `off`; 0, or -1 (errno; EIO when the file
 * ends first). */
int hr_pread_full(int fd, void *buf, size_t n, uint64_t off);

/* Write all n bytes at `off` (pwrite) or at the file position (off ==
 * HR_FILEIO_APPEND, write); 0, or -1 (errno). */
#define HR_FILEIO_APPEND UINT64_MAX
int hr_pwrite_full(int fd, const void *buf, size_t n, uint64_t off);

#endif
