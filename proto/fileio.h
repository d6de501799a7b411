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

/*
 * Read the first `len` bytes of fd in order, at most `cap` at a time into
 * buf, handing each piece to fn(ud, buf, n) (a hash, a copy); the file
 * position is untouched.  0 when all was read; fn's value when it returns
 * non-zero (the walk stops); -1 with errno on a read error;
 * HR_FILEIO_SHORT when the file ends first.
 */
#define HR_FILEIO_SHORT (-2)
typedef int hr_piece_fn(void *ud, const void *buf, size_t n);
int hr_pread_each(int fd, uint64_t len, void *buf, size_t cap,
    hr_piece_fn *fn, void *ud);

/* Write all n bytes at `off` (pwrite) or at the file position (off ==
 * HR_FILEIO_APPEND, write); 0, or -1 (errno). */
#define HR_FILEIO_APPEND UINT64_MAX
int hr_pwrite_full(int fd, const void *buf, size_t n, uint64_t off);

#endif
