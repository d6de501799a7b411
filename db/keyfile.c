/*
 * keyfile.c — reading and rewriting the server's key file (see keyfile.h).
 */
#include "db/keyfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "db/durable.h"

#define KEYFILE_LINE_MAX 256
#define KEYFILE_B64_LEN  sodium_base64_ENCODED_LEN(HR_PUBKEY_LEN, \
	sodium_base64_VARIANT_ORIGINAL)

/* One line into kf; 0 ok (or nothing on it), -1 with err. */
static int
keyfile_line(const char *path, int lineno, char *line, struct keyfile *kf,
    struct hr_error *err)
{
	struct hr_keypair *kp;
	size_t binlen = 0;

	line[strcspn(line, "\r\n")] = '\0';
	if (line[0] == '\0' || line[0] == '#')
		return 0;
	if (strncmp(line, "secret ", 7) != 0)
		return hr_errorf(err, HR_E_INVALID, "keyfile.line", "expected "
		    "\"secret BASE64\""), hr_error_prefix(err, "{file}:{line}",
		    HR_STR("file", path), HR_INT("line", lineno));
	if (kf->n == KEYFILE_MAX)
		return hr_errorf(err, HR_E_INVALID, "keyfile.full", "more than "
		    "{max} keys", HR_INT("max", KEYFILE_MAX)),
		    hr_error_prefix(err, "{file}:{line}", HR_STR("file", path),
		    HR_INT("line", lineno));
	kp = &kf->keys[kf->n];
	if (sodium_base642bin(kp->sk, HR_PUBKEY_LEN, line + 7, strlen(line + 7),
	    NULL, &binlen, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    binlen != HR_PUBKEY_LEN ||
	    crypto_scalarmult_base(kp->pk, kp->sk) != 0) {
		sodium_memzero(kp, sizeof *kp);
		return hr_errorf(err, HR_E_INVALID, "keyfile.secret", "the "
		    "secret is not 32 bytes in base64"), hr_error_prefix(err,
		    "{file}:{line}", HR_STR("file", path), HR_INT("line",
		    lineno));
	}
	kf->n++;
	return 0;
}

int
keyfile_read(const char *path, struct keyfile *kf, struct hr_error *err)
{
	char        line[KEYFILE_LINE_MAX];
	struct stat st;
	int         lineno = 0, rc = 0;
	FILE       *f;

	memset(kf, 0, sizeof *kf);
	if ((f = fopen(path, "re")) == NULL) {
		if (errno == ENOENT)
			return 1;
		return hr_errorf(err, HR_E_IO, "io.read", "cannot read {file}: "
		    "{reason}", HR_STR("file", path), HR_STR("reason",
		    strerror(errno)));
	}
	if (fstat(fileno(f), &st) == 0 && (st.st_mode & 077) != 0) {
		fclose(f);
		return hr_errorf(err, HR_E_IO, "keyfile.mode", "the server's "
		    "key file {file} may be read by others; run: chmod 600 "
		    "{file}", HR_STR("file", path));
	}
	while (rc == 0 && fgets(line, sizeof line, f) != NULL)
		rc = keyfile_line(path, ++lineno, line, kf, err);
	sodium_memzero(line, sizeof line);
	if (rc == 0 && ferror(f))
		rc = hr_errorf(err, HR_E_IO, "io.read", "cannot read {file}: "
		    "{reason}", HR_STR("file", path), HR_STR("reason",
		    strerror(errno)));
	fclose(f);
	if (rc < 0)
		sodium_memzero(kf, sizeof *kf);
	return rc;
}

/* Write kf to path.new, then rename it over path. */
static int
keyfile_write(const char *path, const char *owner_of, const struct keyfile *kf,
    struct hr_error *err)
{
	char        tmp[4096], b64[KEYFILE_B64_LEN];
	struct stat st;
	FILE       *f;
	int         fd, bad;

	if (snprintf(tmp, sizeof tmp, "%s.new", path) >= (int)sizeof tmp)
		return hr_errorf(err, HR_E_USAGE, "keyfile.path", "the key "
		    "file's path is too long");
	(void)unlink(tmp);                     /* left by a crash */
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return hr_errorf(err, HR_E_IO, "io.create", "cannot create "
		    "{file}: {reason}", HR_STR("file", tmp), HR_STR("reason",
		    strerror(errno)));
	if (geteuid() == 0 && owner_of != NULL && stat(owner_of, &st) == 0)
		(void)fchown(fd, st.st_uid, st.st_gid);
	if ((f = fdopen(fd, "w")) == NULL) {
		close(fd);
		unlink(tmp);
		return hr_errorf(err, HR_E_IO, "io.write", "cannot write "
		    "{file}: {reason}", HR_STR("file", tmp), HR_STR("reason",
		    strerror(errno)));
	}
	fprintf(f, "# Hromada server keys: SECRET.  Mode 0600, owned by the "
	    "server's user.\n# Not in the database, so not in its backups: "
	    "keep a copy of this file\n# somewhere safe (hromadad(8)).\n");
	for (size_t i = 0; i < kf->n; i++) {
		sodium_bin2base64(b64, sizeof b64, kf->keys[i].sk, HR_PUBKEY_LEN,
		    sodium_base64_VARIANT_ORIGINAL);
		fprintf(f, "secret %s\n", b64);
	}
	sodium_memzero(b64, sizeof b64);
	bad = fflush(f) != 0 || fsync(fd) != 0;
	bad |= fclose(f) != 0;
	if (bad || rename(tmp, path) != 0) {
		hr_errorf(err, HR_E_IO, "io.write", "cannot write {file}: "
		    "{reason}", HR_STR("file", path), HR_STR("reason",
		    strerror(errno)));
		unlink(tmp);
		return -1;
	}
	(void)db_fsync_dir(path, &(struct hr_error){ 0 });
	return 0;
}

static int
keyfile_has(const uint8_t (*keep)[HR_PUBKEY_LEN], size_t nkeep,
    const uint8_t pk[HR_PUBKEY_LEN])
{
	for (size_t i = 0; i < nkeep; i++)
		if (memcmp(keep[i], pk, HR_PUBKEY_LEN) == 0)
			return 1;
	return 0;
}

/* Under the lock: read, keep, add, write when changed. */
static int
keyfile_change(const char *path, const char *owner_of,
    const struct hr_keypair *add, const uint8_t (*keep)[HR_PUBKEY_LEN],
    size_t nkeep, size_t *dropped, struct hr_error *err)
{
	struct keyfile kf, out;
	int rc = keyfile_read(path, &kf, err), changed = 0, have = 0;

	if (rc < 0)
		return -1;
	memset(&out, 0, sizeof out);
	for (size_t i = 0; i < kf.n; i++) {
		if (keep != NULL && !keyfile_has(keep, nkeep, kf.keys[i].pk)) {
			changed = 1;
			(*dropped)++;
			continue;
		}
		if (add != NULL && memcmp(kf.keys[i].pk, add->pk,
		    HR_PUBKEY_LEN) == 0)
			have = 1;
		out.keys[out.n++] = kf.keys[i];
	}
	if (add != NULL && !have) {
		if (out.n == KEYFILE_MAX)
			rc = hr_errorf(err, HR_E_INVALID, "keyfile.full", "more "
			    "than {max} keys", HR_INT("max", KEYFILE_MAX));
		else {
			out.keys[out.n++] = *add;
			changed = 1;
		}
	}
	if (rc >= 0)
		rc = changed ? keyfile_write(path, owner_of, &out, err) : 0;
	sodium_memzero(&kf, sizeof kf);
	sodium_memzero(&out, sizeof out);
	return rc < 0 ? -1 : 0;
}

int
keyfile_update(const char *path, const char *owner_of,
    const struct hr_keypair *add, const uint8_t (*keep)[HR_PUBKEY_LEN],
    size_t nkeep, size_t *dropped, struct hr_error *err)
{
	char        lock[4096];
	struct stat st;
	size_t      none = 0;
	int         fd, rc;

	if (dropped == NULL)
		dropped = &none;
	*dropped = 0;
	if (snprintf(lock, sizeof lock, "%s.lock", path) >= (int)sizeof lock)
		return hr_errorf(err, HR_E_USAGE, "keyfile.path", "the key "
		    "file's path is too long");
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return hr_errorf(err, HR_E_IO, "io.create", "cannot create "
		    "{file}: {reason}", HR_STR("file", lock), HR_STR("reason",
		    strerror(errno)));
	if (geteuid() == 0 && owner_of != NULL && stat(owner_of, &st) == 0)
		(void)fchown(fd, st.st_uid, st.st_gid);   /* for the server too */
	if (flock(fd, LOCK_EX) != 0) {
		close(fd);
		return hr_errorf(err, HR_E_IO, "io.write", "cannot write "
		    "{file}: {reason}", HR_STR("file", lock), HR_STR("reason",
		    strerror(errno)));
	}
	rc = keyfile_change(path, owner_of, add, keep, nkeep, dropped, err);
	close(fd);                               /* releases the lock */
	return rc;
}
