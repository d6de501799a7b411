/*
 * known_hosts.c — pinned server keys in a small text file (see known_hosts.h).
 *
 * The file is tiny (one line per server a clerk ever used), so every change
 * reads it whole, writes a new copy beside it and renames the copy over the
 * original.  Lines are read with getline(3): no fixed-size line buffer.
 */
#include "proto/known_hosts.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#define KH_B64_LEN sodium_base64_ENCODED_LEN(HR_PUBKEY_LEN, \
    sodium_base64_VARIANT_ORIGINAL)

char *
hr_known_hosts_path(struct hr_error *err)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	const char *base, *sub;
	char *p;
	size_t n;

	if (xdg != NULL && xdg[0] == '/') {
		base = xdg;
		sub = "/hromada/known_hosts";
	} else if (home != NULL && home[0] != '\0') {
		base = home;
		sub = "/.config/hromada/known_hosts";
	} else {
		hr_errorf(err, HR_E_IO, "known_hosts.no_home",
		    "cannot locate known_hosts: neither XDG_CONFIG_HOME nor HOME "
		    "is set");
		return NULL;
	}
	n = strlen(base) + strlen(sub) + 1;
	if ((p = malloc(n)) == NULL) {
		hr_error_set(err, HR_E_IO, "out of memory");
		return NULL;
	}
	snprintf(p, n, "%s%s", base, sub);
	return p;
}

/*
 * Split an entry line into host and key.  Returns 1 when `line` is an entry
 * for `host` (pk filled), 0 when it is some other line, -1 when it is an
 * entry for `host` whose key does not decode.
 */
static int
kh_match(const char *line, const char *host, uint8_t pk[HR_PUBKEY_LEN])
{
	size_t hl = strlen(host), kl;
	const char *key;
	size_t binlen = 0;

	if (strncmp(line, host, hl) != 0 || (line[hl] != ' ' && line[hl] != '\t'))
		return 0;
	key = line + hl + strspn(line + hl, " \t");
	kl = strcspn(key, " \t\r\n");
	if (sodium_base642bin(pk, HR_PUBKEY_LEN, key, kl, NULL, &binlen, NULL,
	    sodium_base64_VARIANT_ORIGINAL) != 0 || binlen != HR_PUBKEY_LEN)
		return -1;
	return 1;
}

int
hr_known_hosts_lookup(const char *path, const char *host,
    uint8_t pk[HR_PUBKEY_LEN], struct hr_error *err)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0;
	int found = 0;

	if ((f = fopen(path, "r")) == NULL) {
		if (errno == ENOENT)
			return 0;
		return hr_errorf(err, HR_E_IO, "io.read", "cannot read {file}: "
		    "{reason}", HR_STR("file", path),
		    HR_STR("reason", strerror(errno)));
	}
	while (found == 0 && getline(&line, &cap, f) != -1)
		found = kh_match(line, host, pk);
	free(line);
	fclose(f);
	if (found < 0)
		return hr_errorf(err, HR_E_IO, "known_hosts.malformed",
		    "{file}: the key for {host} is malformed; fix or delete "
		    "that line", HR_STR("file", path), HR_STR("host", host));
	return found;
}

int
hr_mkdir_parents(const char *path, struct hr_error *err)
{
	char *dir = strdup(path);
	char *slash, c;
	int rc = 0;

	if (dir == NULL)
		return hr_error_set(err, HR_E_IO, "out of memory");
	slash = strrchr(dir, '/');
	if (slash == NULL || slash == dir) {
		free(dir);
		return 0;
	}
	*slash = '\0';
	for (char *p = dir + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		c = *p;
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			rc = hr_errorf(err, HR_E_IO, "io.create",
			    "cannot create {file}: {reason}", HR_STR("file", dir),
			    HR_STR("reason", strerror(errno)));
			break;
		}
		if (c == '\0')
			break;
		*p = '/';
	}
	free(dir);
	return rc;
}

/* Copy every line of `in` (may be NULL) except `host`'s entries to `out`. */
static int
kh_copy_others(FILE *in, FILE *out, const char *host)
{
	char *line = NULL;
	size_t cap = 0;
	uint8_t pk[HR_PUBKEY_LEN];
	ssize_t n;

	if (in == NULL)
		return 0;
	while ((n = getline(&line, &cap, in)) != -1) {
		if (kh_match(line, host, pk) != 0)
			continue;
		fwrite(line, 1, (size_t)n, out);
		if (n > 0 && line[n - 1] != '\n')
			fputc('\n', out);
	}
	free(line);
	return ferror(in) ? -1 : 0;
}

/*
 * Write the new file to a temporary name and rename it into place: every
 * other host's line, then `host` with `pk` (pk NULL: none, it is removed).
 */
static int
kh_rewrite(const char *path, const char *host, const uint8_t *pk,
    struct hr_error *err)
{
	char b64[KH_B64_LEN];
	size_t tl = strlen(path) + 32;
	char *tmp = malloc(tl);
	FILE *in, *out;
	int fd, rc = 0;

	if (tmp == NULL)
		return hr_error_set(err, HR_E_IO, "out of memory");
	snprintf(tmp, tl, "%s.tmp.%ld", path, (long)getpid());
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0 ||
	    (out = fdopen(fd, "w")) == NULL) {
		rc = hr_errorf(err, HR_E_IO, "io.write", "cannot write {file}: "
		    "{reason}", HR_STR("file", tmp),
		    HR_STR("reason", strerror(errno)));
		if (fd >= 0)
			close(fd);
		free(tmp);
		return rc;
	}
	in = fopen(path, "r");
	rc = kh_copy_others(in, out, host);
	if (in != NULL)
		fclose(in);
	if (pk != NULL) {
		sodium_bin2base64(b64, sizeof b64, pk, HR_PUBKEY_LEN,
		    sodium_base64_VARIANT_ORIGINAL);
		fprintf(out, "%s %s\n", host, b64);
	}
	if (rc != 0 || fflush(out) != 0 || fsync(fileno(out)) != 0)
		rc = -1;
	if (fclose(out) != 0 || rc != 0 || rename(tmp, path) != 0) {
		rc = hr_errorf(err, HR_E_IO, "io.update", "cannot update {file}: "
		    "{reason}", HR_STR("file", path),
		    HR_STR("reason", strerror(errno)));
		unlink(tmp);
	}
	free(tmp);
	return rc;
}

static int
kh_store(const char *path, const char *host, const uint8_t pk[HR_PUBKEY_LEN],
    int replace, struct hr_error *err)
{
	uint8_t old[HR_PUBKEY_LEN];
	int found;

	if (host[0] == '\0' || strpbrk(host, " \t\r\n#") != NULL)
		return hr_errorf(err, HR_E_INVALID, "known_hosts.address",
		    "server address \"{host}\" cannot be stored in known_hosts",
		    HR_STR("host", host));
	if (hr_mkdir_parents(path, err) != 0)
		return -1;
	found = hr_known_hosts_lookup(path, host, old, err);
	if (found < 0 && !replace)
		return -1;
	if (found == 1 && memcmp(old, pk, HR_PUBKEY_LEN) == 0)
		return 0;
	if (found == 1 && !replace)
		return hr_errorf(err, HR_E_KEY_CHANGED, "known_hosts.pinned",
		    "{host} is pinned to a different key in {file}",
		    HR_STR("host", host), HR_STR("file", path));
	return kh_rewrite(path, host, pk, err);
}

int
hr_known_hosts_add(const char *path, const char *host,
    const uint8_t pk[HR_PUBKEY_LEN], struct hr_error *err)
{
	return kh_store(path, host, pk, 0, err);
}

int
hr_known_hosts_replace(const char *path, const char *host,
    const uint8_t pk[HR_PUBKEY_LEN], struct hr_error *err)
{
	return kh_store(path, host, pk, 1, err);
}

int
hr_known_hosts_remove(const char *path, const char *host,
    struct hr_error *err)
{
	uint8_t old[HR_PUBKEY_LEN];
	int found = hr_known_hosts_lookup(path, host, old, err);

	/* A malformed entry for the host is removed too. */
	if (found == 0)
		return 0;
	return kh_rewrite(path, host, NULL, err) < 0 ? -1 : 1;
}
