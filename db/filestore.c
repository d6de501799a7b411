/*
 * filestore.c — the content-addressed file store beside the database
 * (filestore.h).  Everything is relative to the store's directory
 * descriptors (openat, renameat), so a store never follows a changed
 * working directory and paths are built in fixed, bounded buffers.
 */
#include "config.h"

#include "db/filestore.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proto/fileio.h"

#define STORE_PARTIAL "partial"
#define STORE_ID_MAX  24            /* decimal int64 and a NUL */
#define STORE_PATH_MAX 4096

/* "DIR/a/b" for messages (cut to fit). */
static const char *
store_path(const struct hr_store *st, const char *a, const char *b,
    char *buf, size_t cap)
{
	snprintf(buf, cap, "%s%s%s%s%s", st->dir ? st->dir : "", a ? "/" : "",
	    a ? a : "", b ? "/" : "", b ? b : "");
	return buf;
}

/* The error code a failed system call on the store means. */
static int
store_code(int e)
{
	return e == ENOSPC || e == EDQUOT ? HR_E_NO_SPACE : e == ENOENT ?
	    HR_E_NOT_FOUND : HR_E_IO;
}

char *
hr_store_dir_for_db(const char *db_path)
{
	size_t n = strlen(db_path);
	char *out = malloc(n + sizeof ".files");

	if (out == NULL)
		return NULL;
	memcpy(out, db_path, n + 1);
	if (n > 3 && strcmp(db_path + n - 3, ".db") == 0)
		n -= 3;
	memcpy(out + n, ".files", sizeof ".files");
	return out;
}

/* Give what we just created to the database's owner (when root: a
 * server that dropped root creates its files as their owner already). */
static void
store_own(const struct hr_store *st, int fd)
{
	if (st->uid >= 0 && fd >= 0 && geteuid() == 0)
		(void)fchown(fd, (uid_t)st->uid, (gid_t)st->gid);
}

/* mkdir (0700) relative to `at`, owned as above. */
static int
store_mkdir(const struct hr_store *st, int at, const char *path,
    struct hr_error *err)
{
	char shown[STORE_PATH_MAX];
	int fd;

	if (mkdirat(at, path, 0700) != 0)
		return errno == EEXIST ? 0 : hr_errorf(err, store_code(errno),
		    "store.mkdir", "cannot create the directory {file}: {why}",
		    HR_STR("file", at == AT_FDCWD ? path : store_path(st, path,
		    NULL, shown, sizeof shown)), HR_STR("why", strerror(errno)));
	if (st->uid >= 0 && (fd = openat(at, path, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) >= 0) {
		store_own(st, fd);
		close(fd);
	}
	return 0;
}

int
hr_store_open(struct hr_store *st, const char *db_path, int create,
    struct hr_error *err)
{
	struct stat sb;
	const char *dir;

	st->fd = st->partial_fd = -1;
	st->uid = st->gid = -1;
	if ((st->dir = hr_store_dir_for_db(db_path)) == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	dir = st->dir;
	if (geteuid() == 0 && stat(db_path, &sb) == 0) {
		st->uid = (long)sb.st_uid;
		st->gid = (long)sb.st_gid;
	}
	if (create && store_mkdir(st, AT_FDCWD, dir, err) < 0)
		goto fail;
	st->fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (st->fd < 0 && errno == ENOENT) {
		hr_errorf(err, HR_E_NOT_FOUND, "store.missing", "there is no "
		    "file store {file} (hromadad or hromadactl init makes it "
		    "beside the database)", HR_STR("file", dir));
		goto fail;
	}
	if (st->fd < 0) {
		hr_errorf(err, HR_E_IO, "store.open", "cannot open {file}: {why}",
		    HR_STR("file", dir), HR_STR("why", strerror(errno)));
		goto fail;
	}
	/* What we create belongs to whoever owns the store: the server gives
	 * it to its user at start (hr_store_give), which may not be the
	 * database file's owner. */
	if (st->uid >= 0 && fstat(st->fd, &sb) == 0) {
		st->uid = (long)sb.st_uid;
		st->gid = (long)sb.st_gid;
	}
	if (create && store_mkdir(st, st->fd, STORE_PARTIAL, err) < 0)
		goto fail;
	st->partial_fd = openat(st->fd, STORE_PARTIAL, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC);
	if (st->partial_fd < 0) {
		char shown[STORE_PATH_MAX];

		hr_errorf(err, HR_E_IO, "store.open", "cannot open {file}: {why}",
		    HR_STR("file", store_path(st, STORE_PARTIAL, NULL, shown,
		    sizeof shown)), HR_STR("why", strerror(errno)));
		goto fail;
	}
	return 0;
fail:
	hr_store_close(st);
	return -1;
}

int
hr_store_fan_out(struct hr_store *st, struct hr_error *err)
{
	char sub[3];
	int made = 0;

	for (unsigned i = 0; i < 256; i++) {
		snprintf(sub, sizeof sub, "%02x", i);
		if (faccessat(st->fd, sub, F_OK, 0) == 0)
			continue;
		if (store_mkdir(st, st->fd, sub, err) < 0)
			return -1;
		made = 1;
	}
	if (made && fsync(st->fd) != 0)
		return hr_errorf(err, HR_E_IO, "store.sync", "cannot sync {file}: "
		    "{why}", HR_STR("file", st->dir), HR_STR("why",
		    strerror(errno)));
	return 0;
}

void
hr_store_close(struct hr_store *st)
{
	if (st == NULL)
		return;
	if (st->fd >= 0)
		close(st->fd);
	if (st->partial_fd >= 0)
		close(st->partial_fd);
	free(st->dir);
	st->dir = NULL;
	st->fd = st->partial_fd = -1;
}

void
hr_store_rel(const uint8_t hash[HR_FILE_HASH_LEN], char out[HR_STORE_REL_MAX])
{
	char hex[HR_FILE_HASH_HEX];

	hr_filehash_hex(hash, hex);
	out[0] = hex[0];
	out[1] = hex[1];
	out[2] = '/';
	memcpy(out + 3, hex, HR_FILE_HASH_HEX);
}

/* Give fd's file to uid:gid unless it has them. */
static int
store_give_fd(int fd, unsigned uid, unsigned gid)
{
	struct stat sb;

	if (fstat(fd, &sb) != 0)
		return -1;
	if (sb.st_uid == uid && sb.st_gid == gid)
		return 0;
	return fchown(fd, uid, gid);
}

/* Walk the entries of directory `fd` (a dup is read, fd stays open). */
typedef int store_entry_fn(void *ud, const char *name);

static int
store_walk(int fd, const char *shown, store_entry_fn *fn, void *ud,
    struct hr_error *err)
{
	int dfd = dup(fd), rc = 0;
	struct dirent *e;
	DIR *d;

	if (dfd < 0 || (d = fdopendir(dfd)) == NULL) {
		if (dfd >= 0)
			close(dfd);
		return hr_errorf(err, HR_E_IO, "store.list", "cannot list "
		    "{file}: {why}", HR_STR("file", shown),
		    HR_STR("why", strerror(errno)));
	}
	rewinddir(d);
	while (rc == 0 && (e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			rc = fn(ud, e->d_name);
	closedir(d);
	return rc;
}

struct store_give {
	int              fd;          /* the directory walked */
	unsigned         uid, gid;
	int              descend;
	const char      *shown;
	struct hr_error *err;
};

static int
store_give_entry(void *ud, const char *name)
{
	struct store_give *g = ud;
	struct stat sb;
	int efd = openat(g->fd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW), rc = 0;

	if (efd < 0)
		return 0;                       /* gone meanwhile, a link */
	if (store_give_fd(efd, g->uid, g->gid) != 0)
		rc = hr_errorf(g->err, HR_E_IO, "store.give", "cannot give "
		    "{file} to user {uid}: {why}", HR_STR("file", name),
		    HR_INT("uid", g->uid), HR_STR("why", strerror(errno)));
	else if (g->descend && fstat(efd, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		struct store_give sub = { efd, g->uid, g->gid, 0, g->shown,
		    g->err };

		rc = store_walk(efd, g->shown, store_give_entry, &sub, g->err);
	}
	close(efd);
	return rc;
}

int
hr_store_give(struct hr_store *st, unsigned uid, unsigned gid,
    struct hr_error *err)
{
	struct store_give g = { st->fd, uid, gid, 1, st->dir, err };

	if (store_give_fd(st->fd, uid, gid) != 0)
		return hr_errorf(err, HR_E_IO, "store.give", "cannot give {file} "
		    "to user {uid}: {why}", HR_STR("file", st->dir),
		    HR_INT("uid", uid), HR_STR("why", strerror(errno)));

	return store_walk(st->fd, st->dir, store_give_entry, &g, err);
}

/* ---- partials ---- */

static void
store_id_name(int64_t id, char out[STORE_ID_MAX])
{
	snprintf(out, STORE_ID_MAX, "%" PRId64, id);
}

int
hr_store_partial_open(struct hr_store *st, int64_t id, int create, int *fd,
    struct hr_error *err)
{
	char name[STORE_ID_MAX], shown[STORE_PATH_MAX];

	store_id_name(id, name);
	/* O_TRUNC costs nothing when the file is new (the kernel skips it). */
	*fd = openat(st->partial_fd, name, O_RDWR | O_CLOEXEC |
	    (create ? O_CREAT | O_TRUNC : 0), 0600);
	if (*fd >= 0) {
		if (create)
			store_own(st, *fd);
		return 0;
	}
	return hr_errorf(err, store_code(errno), "store.open", "cannot open "
	    "{file}: {why}", HR_STR("file", store_path(st, STORE_PARTIAL, name,
	    shown, sizeof shown)), HR_STR("why", strerror(errno)));
}

void
hr_store_partial_remove(struct hr_store *st, int64_t id)
{
	char name[STORE_ID_MAX];

	store_id_name(id, name);
	(void)unlinkat(st->partial_fd, name, 0);
}

/* The descriptors of a file just placed in `sub` (and of DIR when `made`
 * it) for the caller to fsync. */
static int
store_placed(struct hr_store *st, const char *sub, int made, int *dir_fd,
    int *top_fd, struct hr_error *err)
{
	char shown[STORE_PATH_MAX];

	*dir_fd = openat(st->fd, sub, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (*dir_fd < 0)
		return hr_errorf(err, HR_E_IO, "store.open", "cannot open "
		    "{file}: {why}", HR_STR("file", store_path(st, sub, NULL,
		    shown, sizeof shown)), HR_STR("why", strerror(errno)));
	if (made && (*top_fd = dup(st->fd)) < 0) {
		close(*dir_fd);
		*dir_fd = -1;
		return hr_errorf(err, HR_E_IO, "store.sync", "cannot sync "
		    "{file}: {why}", HR_STR("file", st->dir),
		    HR_STR("why", strerror(errno)));
	}
	return 0;
}

/* How a file comes to its name in the store: 0, or -1 with errno. */
typedef int store_place_fn(struct hr_store *st, const void *from,
    const char *rel);

/*
 * Give a file its name `hash` by `place`; its directory is there
 * (hr_store_fan_out made it) unless someone took it away: look only
 * when placing fails.  Then the descriptors to sync (hr_store_publish).
 * -1 with errno set, and the caller words the error.
 */
static int
store_place(struct hr_store *st, store_place_fn *place, const void *from,
    const uint8_t hash[HR_FILE_HASH_LEN], char rel[HR_STORE_REL_MAX],
    int *dir_fd, int *top_fd, struct hr_error *err)
{
	char sub[3];
	int made = 0, rc;

	*dir_fd = *top_fd = -1;
	hr_store_rel(hash, rel);
	memcpy(sub, rel, 2);
	sub[2] = '\0';
	rc = place(st, from, rel);
	if (rc != 0 && errno == ENOENT && faccessat(st->fd, sub, F_OK, 0) != 0) {
		if (store_mkdir(st, st->fd, sub, err) < 0)
			return -2;
		made = 1;
		rc = place(st, from, rel);
	}
	if (rc != 0)
		return -1;
	return store_placed(st, sub, made, dir_fd, top_fd, err) < 0 ? -2 : 0;
}

static int
place_partial(struct hr_store *st, const void *from, const char *rel)
{
	return renameat(st->partial_fd, from, st->fd, rel);
}

int
hr_store_publish(struct hr_store *st, int64_t id,
    const uint8_t hash[HR_FILE_HASH_LEN], int *dir_fd, int *top_fd,
    struct hr_error *err)
{
	char rel[HR_STORE_REL_MAX], name[STORE_ID_MAX];
	char shown[STORE_PATH_MAX];
	int rc;

	store_id_name(id, name);
	rc = store_place(st, place_partial, name, hash, rel, dir_fd, top_fd,
	    err);
	if (rc == -1)
		return hr_errorf(err, store_code(errno), "store.move", "cannot "
		    "move upload {upload} to {file}: {why}", HR_INT("upload", id),
		    HR_STR("file", store_path(st, rel, NULL, shown, sizeof shown)),
		    HR_STR("why", strerror(errno)));
	return rc < 0 ? -1 : 0;
}

/* ---- unnamed files ---- */

int
hr_store_unnamed(struct hr_store *st, int *fd, struct hr_error *err)
{
	char shown[STORE_PATH_MAX];

	*fd = openat(st->partial_fd, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (*fd >= 0) {
		store_own(st, *fd);
		return 0;
	}
	return hr_errorf(err, store_code(errno), "store.tmpfile", "cannot make "
	    "an unnamed file in {file}: {why}", HR_STR("file", store_path(st,
	    STORE_PARTIAL, NULL, shown, sizeof shown)), HR_STR("why",
	    strerror(errno)));
}

/* Link the unnamed file fd as `at`/`name`: by its descriptor where the
 * kernel lets its opener (Linux 6.10), else through /proc. */
static int
store_link(int fd, int at, const char *name)
{
	char proc[48];

	if (linkat(fd, "", at, name, AT_EMPTY_PATH) == 0)
		return 0;
	if (errno != ENOENT && errno != EPERM)
		return -1;
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
	return linkat(AT_FDCWD, proc, at, name, AT_SYMLINK_FOLLOW);
}

/* An unnamed file to its place: linked; where an unreferenced copy is
 * there already, linked beside it in DIR/partial and renamed over it
 * (a rename replaces a name at once, a link does not). */
static int
place_unnamed(struct hr_store *st, const void *from, const char *rel)
{
	int fd = *(const int *)from, e;
	char tmp[64];

	if (store_link(fd, st->fd, rel) == 0)
		return 0;
	if (errno != EEXIST)
		return -1;
	snprintf(tmp, sizeof tmp, "put-%ld-u%d", (long)getpid(), fd);
	if (store_link(fd, st->partial_fd, tmp) != 0)
		return -1;
	if (renameat(st->partial_fd, tmp, st->fd, rel) == 0)
		return 0;
	e = errno;
	(void)unlinkat(st->partial_fd, tmp, 0);
	errno = e;
	return -1;
}

int
hr_store_unnamed_works(struct hr_store *st, struct hr_error *err)
{
	char tmp[64], shown[STORE_PATH_MAX];
	int fd, rc = 0;

	if (hr_store_unnamed(st, &fd, err) < 0)
		return -1;
	snprintf(tmp, sizeof tmp, "put-%ld-probe", (long)getpid());
	if (store_link(fd, st->partial_fd, tmp) != 0)
		rc = hr_errorf(err, HR_E_IO, "store.link", "cannot link an "
		    "unnamed file into {file}: {why}", HR_STR("file", store_path(st,
		    STORE_PARTIAL, NULL, shown, sizeof shown)), HR_STR("why",
		    strerror(errno)));
	else
		(void)unlinkat(st->partial_fd, tmp, 0);
	close(fd);
	return rc;
}

int
hr_store_publish_unnamed(struct hr_store *st, int fd,
    const uint8_t hash[HR_FILE_HASH_LEN], int *dir_fd, int *top_fd,
    struct hr_error *err)
{
	char rel[HR_STORE_REL_MAX], shown[STORE_PATH_MAX];
	int rc = store_place(st, place_unnamed, &fd, hash, rel, dir_fd, top_fd,
	    err);

	if (rc == -1)
		return hr_errorf(err, store_code(errno), "store.link", "cannot "
		    "name {file}: {why}", HR_STR("file", store_path(st, rel, NULL,
		    shown, sizeof shown)), HR_STR("why", strerror(errno)));
	return rc < 0 ? -1 : 0;
}

/* ---- stored files ---- */

/* A new temporary file in DIR/partial, given to the database's owner. */
static int
store_tmp_open(struct hr_store *st, char tmp[64], int *fd,
    struct hr_error *err)
{
	static unsigned serial;

	snprintf(tmp, 64, "put-%ld-%u", (long)getpid(), serial++);
	*fd = openat(st->partial_fd, tmp, O_RDWR | O_CREAT | O_TRUNC |
	    O_CLOEXEC, 0600);
	if (*fd < 0)
		return hr_errorf(err, store_code(errno), "store.write", "cannot "
		    "write into {file}: {why}", HR_STR("file", st->dir),
		    HR_STR("why", strerror(errno)));
	store_own(st, *fd);
	return 0;
}

static int
store_write_err(struct hr_store *st, struct hr_error *err)
{
	return hr_errorf(err, store_code(errno), "store.write", "cannot write "
	    "into {file}: {why}", HR_STR("file", st->dir), HR_STR("why",
	    strerror(errno)));
}

/* Rename the (written, closed) temporary file to its name `hash`; its
 * directory fsync'd unless `nosync`.  The temporary file is gone after. */
static int
store_tmp_publish(struct hr_store *st, const char *tmp,
    const uint8_t hash[HR_FILE_HASH_LEN], int nosync, struct hr_error *err)
{
	char rel[HR_STORE_REL_MAX], sub[3];
	int dfd, rc;

	hr_store_rel(hash, rel);
	memcpy(sub, rel, 2);
	sub[2] = '\0';
	rc = store_mkdir(st, st->fd, sub, err);
	if (rc == 0 && renameat(st->partial_fd, tmp, st->fd, rel) != 0)
		rc = store_write_err(st, err);
	if (rc < 0) {
		(void)unlinkat(st->partial_fd, tmp, 0);
		return -1;
	}
	if (nosync)
		return 0;
	if ((dfd = openat(st->fd, sub, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		rc = fsync(dfd);
		close(dfd);
	}
	if (dfd < 0 || rc != 0 || fsync(st->fd) != 0)
		return hr_errorf(err, HR_E_IO, "store.sync", "cannot sync {file}: "
		    "{why}", HR_STR("file", st->dir), HR_STR("why",
		    strerror(errno)));
	return 0;
}

int
hr_store_put(struct hr_store *st, const void *data, size_t len,
    const uint8_t hash[HR_FILE_HASH_LEN], int nosync, struct hr_error *err)
{
	char tmp[64];
	int fd, rc = 0;

	if (store_tmp_open(st, tmp, &fd, err) < 0)
		return -1;
	if (hr_pwrite_full(fd, data, len, HR_FILEIO_APPEND) < 0 ||
	    (!nosync && fdatasync(fd) < 0))
		rc = store_write_err(st, err);
	close(fd);
	if (rc < 0) {
		(void)unlinkat(st->partial_fd, tmp, 0);
		return -1;
	}
	return store_tmp_publish(st, tmp, hash, nosync, err);
}

static int
copy_piece(void *ud, const void *buf, size_t n)
{
	return hr_pwrite_full(*(const int *)ud, buf, n, HR_FILEIO_APPEND);
}

/* Copy in->out from offset 0, `len` bytes; -1 with errno. */
static int
store_copy_fd(int in, int out, uint64_t len)
{
	uint8_t buf[65536];
	int rc = hr_pread_each(in, len, buf, sizeof buf, copy_piece, &out);

	if (rc == HR_FILEIO_SHORT)
		errno = EIO;                /* shorter than it was */
	return rc < 0 ? -1 : 0;
}

int
hr_store_copy_in(struct hr_store *to, struct hr_store *from,
    const uint8_t hash[HR_FILE_HASH_LEN], int sync, uint64_t *size,
    struct hr_error *err)
{
	char tmp[64], rel[HR_STORE_REL_MAX], shown[STORE_PATH_MAX];
	uint8_t got[HR_FILE_HASH_LEN];
	uint64_t len = 0;
	int in, out, rc = 0;

	if (hr_store_open_file(from, hash, &in, &len, err) < 0)
		return -1;
	if (store_tmp_open(to, tmp, &out, err) < 0) {
		close(in);
		return -1;
	}
	if (store_copy_fd(in, out, len) < 0 || (sync && fdatasync(out) < 0))
		rc = store_write_err(to, err);
	close(in);
	/* The copy is hashed as written: what lands is what was named. */
	if (rc == 0)
		rc = hr_filehash_fd(out, len, got, err);
	close(out);
	if (rc == 0 && memcmp(got, hash, HR_FILE_HASH_LEN) != 0) {
		hr_store_rel(hash, rel);
		rc = hr_errorf(err, HR_E_INVALID, "store.damaged", "{file} is "
		    "damaged: its content no longer has its name (run "
		    "hromadactl files verify)", HR_STR("file", store_path(from,
		    rel, NULL, shown, sizeof shown)));
	}
	if (rc < 0) {
		(void)unlinkat(to->partial_fd, tmp, 0);
		return -1;
	}
	if (size != NULL)
		*size = len;
	return store_tmp_publish(to, tmp, hash, 1, err);
}

int
hr_store_lock(struct hr_store *st, int exclusive, struct hr_error *err)
{
	if (flock(st->fd, exclusive ? LOCK_EX | LOCK_NB : LOCK_SH) == 0)
		return 0;
	if (errno == EWOULDBLOCK)
		return hr_errorf(err, HR_E_BUSY, "store.busy", "a backup is "
		    "copying {file}; try again when it is done",
		    HR_STR("file", st->dir));
	return hr_errorf(err, HR_E_IO, "store.lock", "cannot lock {file}: "
	    "{why}", HR_STR("file", st->dir), HR_STR("why", strerror(errno)));
}

int
hr_store_has(struct hr_store *st, const uint8_t hash[HR_FILE_HASH_LEN],
    uint64_t *size)
{
	char rel[HR_STORE_REL_MAX];
	struct stat sb;

	hr_store_rel(hash, rel);
	if (fstatat(st->fd, rel, &sb, 0) != 0 || !S_ISREG(sb.st_mode))
		return 0;
	if (size != NULL)
		*size = (uint64_t)sb.st_size;
	return 1;
}

int
hr_store_open_file(struct hr_store *st, const uint8_t hash[HR_FILE_HASH_LEN],
    int *fd, uint64_t *size, struct hr_error *err)
{
	char rel[HR_STORE_REL_MAX], shown[STORE_PATH_MAX];
	struct stat sb;

	hr_store_rel(hash, rel);
	*fd = openat(st->fd, rel, O_RDONLY | O_CLOEXEC);
	if (*fd < 0)
		return hr_errorf(err, store_code(errno), "store.open", "cannot "
		    "open {file}: {why}", HR_STR("file", store_path(st, rel, NULL,
		    shown, sizeof shown)), HR_STR("why", strerror(errno)));
	if (fstat(*fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(*fd);
		*fd = -1;
		return hr_errorf(err, HR_E_IO, "store.not_file", "{file} is not "
		    "a regular file", HR_STR("file", store_path(st, rel, NULL,
		    shown, sizeof shown)));
	}
	if (size != NULL)
		*size = (uint64_t)sb.st_size;
	return 0;
}

int
hr_store_remove(struct hr_store *st, const uint8_t hash[HR_FILE_HASH_LEN],
    struct hr_error *err)
{
	char rel[HR_STORE_REL_MAX], shown[STORE_PATH_MAX];

	hr_store_rel(hash, rel);
	if (unlinkat(st->fd, rel, 0) == 0 || errno == ENOENT)
		return 0;
	return hr_errorf(err, HR_E_IO, "store.remove", "cannot remove {file}: "
	    "{why}", HR_STR("file", store_path(st, rel, NULL, shown,
	    sizeof shown)), HR_STR("why", strerror(errno)));
}

int
hr_store_rehash(struct hr_store *st, const uint8_t hash[HR_FILE_HASH_LEN],
    int *ok, uint64_t *size, struct hr_error *err)
{
	uint8_t got[HR_FILE_HASH_LEN];
	uint64_t sz = 0;
	int fd, rc;

	*ok = 0;
	if (hr_store_open_file(st, hash, &fd, &sz, err) < 0)
		return -1;
	rc = hr_filehash_fd(fd, sz, got, err);
	close(fd);
	if (rc < 0)
		return -1;
	*ok = memcmp(got, hash, HR_FILE_HASH_LEN) == 0;
	if (size != NULL)
		*size = sz;
	return 0;
}

int
hr_store_sync(struct hr_store *st, struct hr_error *err)
{
	if (syncfs(st->fd) != 0)
		return hr_errorf(err, HR_E_IO, "store.sync", "cannot sync {file}: "
		    "{why}", HR_STR("file", st->dir), HR_STR("why",
		    strerror(errno)));
	return 0;
}

struct store_each {
	struct hr_store  *st;
	hr_store_file_fn *fn;
	void             *ud;
	const char       *sub;
	struct hr_error  *err;
};

static int
store_each_file(void *ud, const char *name)
{
	struct store_each *x = ud;
	uint8_t hash[HR_FILE_HASH_LEN];

	if (strlen(name) != 2 * HR_FILE_HASH_LEN || strncmp(name, x->sub, 2) ||
	    hr_filehash_parse(name, strlen(name), hash) < 0)
		return 0;
	return x->fn(x->ud, hash);
}

static int
store_each_sub(void *ud, const char *name)
{
	struct store_each *x = ud;
	char shown[4096];
	int fd, rc;

	if (strlen(name) != 2 || strcmp(name, STORE_PARTIAL) == 0)
		return 0;
	fd = openat(x->st->fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0;                      /* not a directory of ours */
	snprintf(shown, sizeof shown, "%s/%s", x->st->dir, name);
	x->sub = name;
	rc = store_walk(fd, shown, store_each_file, x, x->err);
	close(fd);
	return rc;
}

int
hr_store_each(struct hr_store *st, hr_store_file_fn *fn, void *ud,
    struct hr_error *err)
{
	struct store_each x = { st, fn, ud, NULL, err };

	return store_walk(st->fd, st->dir, store_each_sub, &x, err);
}

struct store_partials {
	hr_store_partial_fn *fn;
	void                *ud;
};

static int
store_each_partial(void *ud, const char *name)
{
	struct store_partials *x = ud;
	char *end;
	long long id;

	errno = 0;
	id = strtoll(name, &end, 10);
	if (*end != '\0' || errno != 0 || id <= 0)
		return 0;
	return x->fn(x->ud, (int64_t)id);
}

int
hr_store_partials_each(struct hr_store *st, hr_store_partial_fn *fn, void *ud,
    struct hr_error *err)
{
	struct store_partials x = { fn, ud };
	char shown[4096];

	snprintf(shown, sizeof shown, "%s/%s", st->dir, STORE_PARTIAL);
	return store_walk(st->partial_fd, shown, store_each_partial, &x, err);
}
