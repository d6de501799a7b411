/*
 * tsock.c — plain TCP for tests (tsock.h).
 */
#include "config.h"

#include "tests/lib/tsock.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "proto/frame.h"

int
tsock_connect(const char *addr, struct hr_error *err)
{
	return tsock_connect_from(addr, NULL, err);
}

int
tsock_connect_from(const char *addr, const char *from, struct hr_error *err)
{
	struct sockaddr_in sa, local;
	char host[64];
	const char *colon = strrchr(addr, ':');
	int fd;

	if (colon == NULL || (size_t)(colon - addr) >= sizeof host)
		return hr_error_set(err, HR_E_PARAMS, "%s is not IPv4 HOST:PORT",
		    addr);
	memcpy(host, addr, (size_t)(colon - addr));
	host[colon - addr] = '\0';
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)atoi(colon + 1));
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1)
		return hr_error_set(err, HR_E_PARAMS, "%s is not an IPv4 "
		    "address", host);
	memset(&local, 0, sizeof local);
	local.sin_family = AF_INET;
	if (from != NULL && inet_pton(AF_INET, from, &local.sin_addr) != 1)
		return hr_error_set(err, HR_E_PARAMS, "%s is not an IPv4 "
		    "address", from);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return hr_error_set(err, HR_E_IO, "socket: %s", strerror(errno));
	if (from != NULL && bind(fd, (struct sockaddr *)&local,
	    sizeof local) != 0) {
		int e = errno;

		close(fd);
		return hr_error_set(err, HR_E_IO, "bind %s: %s", from,
		    strerror(e));
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		int e = errno;

		close(fd);
		return hr_error_set(err, HR_E_IO, "connect %s: %s", addr,
		    strerror(e));
	}
	return fd;
}

int
tsock_local_port(int fd)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof sa;

	if (getsockname(fd, (struct sockaddr *)&sa, &len) != 0)
		return -1;
	return ntohs(sa.sin_port);
}

void
tsock_send(int fd, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n > 0) {
		ssize_t w = send(fd, b, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		b += w;
		n -= (size_t)w;
	}
}

void
tsock_send_frame(int fd, const void *body, uint32_t len)
{
	uint8_t hdr[HR_FRAME_HEADER];

	hr_frame_put_len(hdr, len);
	tsock_send(fd, hdr, sizeof hdr);
	tsock_send(fd, body, len);
}
