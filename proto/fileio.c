/*
 * fileio.c — whole reads and writes (fileio.h).
 */
#include "proto/fileio.h"

#include <errno.h>
#include <sys/types.h>
#include <unistd.h>

int
hr_pread_full(int fd, void *buf, size_t n, uint64_t off)
{
	uint8_t *p = buf;
	size_t got = 0;

	while (got < n) {
		ssize_t r = pread(fd, p + got, n - got, (off_t)(off + got));

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r == 0)
				errno = EIO;
			return -1;
		}
		got += (size_t)r;
	}
	return 0;
}

int
hr_pread_each(int fd, uint64_t len, void *buf, size_t cap, hr_piece_fn *fn,
    void *ud)
{
	uint64_t off = 0;
	int rc;

	while (off < len) {
		size_t want = len - off < cap ? (size_t)(len - off) : cap;
		ssize_t n = pread(fd, buf, want, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return HR_FILEIO_SHORT;
		if ((rc = fn(ud, buf, (size_t)n)) != 0)
			return rc;
		off += (uint64_t)n;
	}
	return 0;
}

int
hr_pwrite_full(int fd, const void *buf, size_t n, uint64_t off)
{
	const uint8_t *p = buf;

	while (n > 0) {
		ssize_t w = off == HR_FILEIO_APPEND ? write(fd, p, n) :
		    pwrite(fd, p, n, (off_t)off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
		if (off != HR_FILEIO_APPEND)
			off += (uint64_t)w;
	}
	return 0;
}
