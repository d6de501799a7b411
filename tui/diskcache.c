/*
 * diskcache.c — the client's cache files (see diskcache.h).
 */
#include "config.h"

#include "tui/diskcache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proto/known_hosts.h"

/* Append `s` to `out` with anything unusual in a file name as '_'. */
static void
diskcache_name(char *out, size_t cap, const char *s)
{
	size_t n = strlen(out);

	for (; *s != '\0' && n + 1 < cap; s++, n++) {
		unsigned char c = (unsigned char)*s;
		out[n] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '-' ? (char)c : '_';
	}
	out[n] = '\0';
}

char *
diskcache_path(const char *server, const char *user, const char *kind)
{
	const char *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");
	char name[256] = "", *p;
	size_t n;

	diskcache_name(name, sizeof name, server);
	diskcache_name(name, sizeof name, "@");
	diskcache_name(name, sizeof name, user);
	diskcache_name(name, sizeof name, ".");
	diskcache_name(name, sizeof name, kind);
	if (xdg != NULL && xdg[0] == '/')
		n = strlen(xdg) + strlen(name) + sizeof "/hromada/";
	else if (home != NULL && home[0] != '\0')
		n = strlen(home) + strlen(name) + sizeof "/.cache/hromada/";
	else
		return NULL;
	if ((p = malloc(n)) == NULL)
		return NULL;
	if (xdg != NULL && xdg[0] == '/')
		snprintf(p, n, "%s/hromada/%s", xdg, name);
	else
		snprintf(p, n, "%s/.cache/hromada/%s", home, name);
	return p;
}

int
diskcache_read(const char *path, size_t max, uint8_t **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	size_t n;

	*data = NULL;
	*len = 0;
	if (f == NULL)
		return -1;
	if ((buf = malloc(max + 1)) == NULL) {
		fclose(f);
		return -1;
	}
	n = fread(buf, 1, max + 1, f);
	if (ferror(f) || n == 0 || n > max) {       /* unreadable or too big */
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	*data = buf;
	*len = n;
	return 0;
}

int
diskcache_write(const char *path, const void *data, size_t len)
{
	struct hr_error err;
	size_t n = strlen(path) + sizeof ".tmp";
	char *tmp = malloc(n);
	int fd, ok;

	if (tmp == NULL || hr_mkdir_parents(path, &err) != 0) {
		free(tmp);
		return -1;
	}
	snprintf(tmp, n, "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ok = fd >= 0 && write(fd, data, len) == (ssize_t)len;
	if (fd >= 0 && close(fd) != 0)
		ok = 0;
	if (ok && rename(tmp, path) != 0)
		ok = 0;
	if (!ok)
		(void)unlink(tmp);
	free(tmp);
	return ok ? 0 : -1;
}
