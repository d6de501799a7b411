/*
 * ckptlog.c — noting the pages checkpoints write into the database file,
 * for a backup that asks (see ckptlog.h for why and the file's format).
 *
 * The VFS wraps the default one.  Every file it opens is the default
 * VFS's file placed right behind a small header (SQLite's own shims,
 * test_vfstrace.c and cksumvfs.c, are built so); every method passes the
 * call on, and only the main database file's xWrite and xFileControl add
 * anything.  A checkpoint runs on one connection, so its pages are kept
 * in that connection's file object; nothing here is shared.
 */
#include "config.h"

#include "db/ckptlog.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define CKPTLOG_VFS     "hr-ckptlog"
#define CKPTLOG_HEAD    5              /* words before the pages */
#define CKPTLOG_WAL_HDR 32

struct ckpt_file {
	sqlite3_file  base;
	sqlite3_file *real;          /* right behind this struct */
	/* the main database file only */
	char         *log_path;      /* DB-ckptlog; NULL: not a main file */
	char         *wal_path;      /* DB-wal */
	int           log_fd;        /* DB-ckptlog kept open; -1: opened
	                                when needed */
	int           in_ckpt;       /* between CKPT_START and CKPT_DONE */
	int           odd;           /* a write that was not one whole page */
	uint32_t      page_size;
	uint32_t     *page;          /* with CKPTLOG_HEAD words before them */
	size_t        n, cap;
};

static sqlite3_vfs *ckpt_dflt;
static int ckpt_keep_open;         /* db_ckptlog_keep_open */

static void
put_le32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static uint32_t
get_le32(const unsigned char *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[1] << 8 | p[0];
}

static uint32_t
get_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* ---- noting (the checkpointing process) ------------------------------ */

/* A checkpoint wrote n bytes at off into the database file. */
static void
ckpt_note(struct ckpt_file *p, int n, sqlite3_int64 off)
{
	uint32_t *v;
	size_t cap;

	if (n < 512 || n > 65536 || (n & (n - 1)) != 0 || off % n != 0 ||
	    (p->page_size != 0 && p->page_size != (uint32_t)n)) {
		p->odd = 1;
		return;
	}
	p->page_size = (uint32_t)n;
	if (CKPTLOG_HEAD + p->n >= p->cap) {
		cap = p->cap ? p->cap * 2 : 1024;
		if ((v = realloc(p->page, cap * sizeof *v)) == NULL) {
			p->odd = 1;
			return;
		}
		p->page = v;
		p->cap = cap;
	}
	p->page[CKPTLOG_HEAD + p->n++] = (uint32_t)(off / n + 1);
}

/* The salts of the log generation now in DB-wal (0, 0: unreadable). */
static void
ckpt_salts(const struct ckpt_file *p, uint32_t salt[2])
{
	unsigned char h[CKPTLOG_WAL_HDR];
	int fd = open(p->wal_path, O_RDONLY | O_CLOEXEC);

	salt[0] = salt[1] = 0;
	if (fd < 0)
		return;
	if (pread(fd, h, sizeof h, 0) == (ssize_t)sizeof h) {
		salt[0] = get_be32(h + 16);
		salt[1] = get_be32(h + 20);
	}
	close(fd);
}

/*
 * CKPT_DONE: the checkpoint's pages into DB-ckptlog if a backup holds it
 * (ckptlog.h).  Never fails the checkpoint: a note that cannot be made
 * empties the file, so that the backup no longer finds its mark in it and
 * compares every page.
 */
static void
ckpt_flush(struct ckpt_file *p)
{
	unsigned char *rec;
	uint32_t salt[2], n;
	size_t words, len;
	int fd = p->log_fd;

	if (p->n == 0 && !p->odd)
		return;
	if (fd < 0)
		fd = open(p->log_path, O_WRONLY | O_APPEND | O_CLOEXEC |
		    O_NOFOLLOW);
	if (fd < 0)
		goto out;                      /* no backup asks */
	if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
		/* Nobody holds it: what it holds is stale. */
		struct stat st;

		if (fstat(fd, &st) == 0 && st.st_size > 0)
			(void)ftruncate(fd, 0);
		(void)flock(fd, LOCK_UN);
		goto done;
	}
	if (p->page == NULL && (p->page = calloc(CKPTLOG_HEAD,
	    sizeof *p->page)) == NULL)
		p->odd = 1;
	if (p->page == NULL) {
		(void)ftruncate(fd, 0);
		goto done;
	}
	ckpt_salts(p, salt);
	n = p->odd ? CKPTLOG_UNKNOWN : (uint32_t)p->n;
	words = CKPTLOG_HEAD + (p->odd ? 0 : p->n);
	/* In place: the words are the pages' own array, as bytes. */
	rec = (unsigned char *)p->page;
	put_le32(rec, CKPTLOG_MAGIC);
	put_le32(rec + 4, salt[0]);
	put_le32(rec + 8, salt[1]);
	put_le32(rec + 12, p->page_size);
	put_le32(rec + 16, n);
	for (size_t i = CKPTLOG_HEAD; i < words; i++)
		put_le32(rec + 4 * i, p->page[i]);
	len = words * 4;
	if (write(fd, rec, len) != (ssize_t)len)
		(void)ftruncate(fd, 0);        /* the backup must not trust it */
done:
	if (fd != p->log_fd)
		close(fd);
out:
	p->n = 0;
	p->odd = 0;
}

/* ---- the methods: passed on ----------------------------------------- */

static int
ckpt_close(sqlite3_file *pf)
{
	struct ckpt_file *p = (struct ckpt_file *)pf;
	int rc = p->real->pMethods->xClose(p->real);

	if (p->log_fd >= 0)
		close(p->log_fd);
	free(p->log_path);
	free(p->wal_path);
	free(p->page);
	return rc;
}

static int
ckpt_read(sqlite3_file *pf, void *buf, int n, sqlite3_int64 off)
{
	struct ckpt_file *p = (struct ckpt_file *)pf;

	return p->real->pMethods->xRead(p->real, buf, n, off);
}

static int
ckpt_write(sqlite3_file *pf, const void *buf, int n, sqlite3_int64 off)
{
	struct ckpt_file *p = (struct ckpt_file *)pf;

	if (p->in_ckpt)
		ckpt_note(p, n, off);
	return p->real->pMethods->xWrite(p->real, buf, n, off);
}

static int
ckpt_truncate(sqlite3_file *pf, sqlite3_int64 size)
{
	struct ckpt_file *p = (struct ckpt_file *)pf;

	return p->real->pMethods->xTruncate(p->real, size);
}

static int
ckpt_sync(sqlite3_file *pf, int flags)
{
	struct ckpt_file *p = (struct ckpt_file *)pf;

	return p->real->pMethods->xSync(p->real, flags);
}

static int
ckpt_file_size(sqlite3_file *pf, sqlite3_int64 *size)
{
	struct ckpt_file *p = (struct ckpt_file *)pf;

	return p->real->pMethods->xFileSize(p->real, size);
}

static int
ckpt_lock(sqlite3_file *pf, int level)
{
	struct ckpt_file *p = (struct ckpt_file *)pf;

	return p->real->pMethods->xLock(p->real, level);
}

static int
ckpt_unlock(sqlite3_file *pf, int level)
{
	struct ckpt_file *p = (struct ckpt_file *)pf;

	return p->real->pMethods->xUnlock(p->real, level);
}

static int
ckpt_reserved(sqlite3_file *pf, int *out)
{
	struct ckpt_file *p = (struct ckpt_file *)pf;

	return p->real->pMethods->xCheckReservedLock(p->real, out);
}

static int
ckpt_control(sqlite3_file *pf, int op, void *arg)
{
	struct ckpt_file *p = (struct ckpt_file *)pf;

	if (p->log_path != NULL && op == SQLITE_FCNTL_CKPT_START) {
		p->in_ckpt = 1;
		p->n = 0;
		p->odd = 0;
	} else if (p->log_path != NULL && op == SQLITE_FCNTL_CKPT_DONE) {
		ckpt_flush(p);
		p->in_ckpt = 0;
	}
	return p->real->pMethods->xFileControl(p->real, op, arg);
}

static int
ckpt_sector(sqlite3_file *pf)
{
	struct ckpt_file *p = (struct ckpt_file *)pf;

	return p->real->pMethods->xSectorSize(p->real);
}

static int
ckpt_device(sqlite3_file *pf)
{
	struct ckpt_file *p = (struct ckpt_file *)pf;

	return p->real->pMethods->xDeviceCharacteristics(p->real);
}

static int
ckpt_shm_map(sqlite3_file *pf, int pg, int pgsz, int extend,
    void volatile **pp)
{
	struct ckpt_file *p = (struct ckpt_file *)pf;

	return p->real->pMethods->xShmMap(p->real, pg, pgsz, extend, pp);
}

static int
ckpt_shm_lock(sqlite3_file *pf, int off, int n, int flags)
{
	struct ckpt_file *p = (struct ckpt_file *)pf;

	return p->real->pMethods->xShmLock(p->real, off, n, flags);
}

static void
ckpt_shm_barrier(sqlite3_file *pf)
{
	struct ckpt_file *p = (struct ckpt_file *)pf;

	p->real->pMethods->xShmBarrier(p->real);
}

static int
ckpt_shm_unmap(sqlite3_file *pf, int del)
{
	struct ckpt_file *p = (struct ckpt_file *)pf;

	return p->real->pMethods->xShmUnmap(p->real, del);
}

static int
ckpt_fetch(sqlite3_file *pf, sqlite3_int64 off, int n, void **pp)
{
	struct ckpt_file *p = (struct ckpt_file *)pf;

	return p->real->pMethods->xFetch(p->real, off, n, pp);
}

static int
ckpt_unfetch(sqlite3_file *pf, sqlite3_int64 off, void *page)
{
	struct ckpt_file *p = (struct ckpt_file *)pf;

	return p->real->pMethods->xUnfetch(p->real, off, page);
}

/* [v]: the methods as version v of sqlite3_io_methods, the real file's
 * (a method SQLite does not expect must not be offered). */
#define CKPT_IO(v) { v, ckpt_close, ckpt_read, ckpt_write, ckpt_truncate, \
	ckpt_sync, ckpt_file_size, ckpt_lock, ckpt_unlock, ckpt_reserved, \
	ckpt_control, ckpt_sector, ckpt_device, \
	v >= 2 ? ckpt_shm_map : NULL, v >= 2 ? ckpt_shm_lock : NULL, \
	v >= 2 ? ckpt_shm_barrier : NULL, v >= 2 ? ckpt_shm_unmap : NULL, \
	v >= 3 ? ckpt_fetch : NULL, v >= 3 ? ckpt_unfetch : NULL }
static const sqlite3_io_methods ckpt_io[3] = { CKPT_IO(1), CKPT_IO(2),
	CKPT_IO(3) };

static char *
ckpt_path(const char *name, const char *suffix)
{
	char *s = malloc(strlen(name) + strlen(suffix) + 1);

	if (s != NULL)
		sprintf(s, "%s%s", name, suffix);
	return s;
}

/*
 * DB-ckptlog (path), made if missing and opened for appending, owned as
 * the database `db` is (a server started as root, or hromadactl run as
 * root, must leave it to the database's owner).  -1 when it cannot be.
 */
static int
ckpt_log_create(const char *path, const char *db)
{
	struct stat st;
	int fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
	    0600);

	if (fd >= 0 && geteuid() == 0 && stat(db, &st) == 0)
		(void)fchown(fd, st.st_uid, st.st_gid);
	return fd;
}

void
db_ckptlog_keep_open(void)
{
	ckpt_keep_open = 1;
}

static int
ckpt_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *pf, int flags,
    int *out_flags)
{
	struct ckpt_file *p = (struct ckpt_file *)pf;
	int rc, v;

	(void)vfs;
	memset(p, 0, sizeof *p);
	p->log_fd = -1;
	p->real = (sqlite3_file *)(p + 1);
	rc = ckpt_dflt->xOpen(ckpt_dflt, name, p->real, flags, out_flags);
	if (rc != SQLITE_OK || p->real->pMethods == NULL) {
		p->base.pMethods = NULL;
		return rc != SQLITE_OK ? rc : SQLITE_CANTOPEN;
	}
	v = p->real->pMethods->iVersion;
	p->base.pMethods = &ckpt_io[(v < 1 ? 1 : v > 3 ? 3 : v) - 1];
	if ((flags & SQLITE_OPEN_MAIN_DB) && name != NULL &&
	    !(flags & SQLITE_OPEN_READONLY)) {
		p->log_path = ckpt_path(name, CKPTLOG_SUFFIX);
		p->wal_path = ckpt_path(name, "-wal");
		if (p->log_path == NULL || p->wal_path == NULL) {
			ckpt_close(pf);
			p->base.pMethods = NULL;
			return SQLITE_NOMEM;
		}
		if (ckpt_keep_open)
			p->log_fd = ckpt_log_create(p->log_path, name);
	}
	return SQLITE_OK;
}

static int ckpt_registered;

static void
ckpt_register(void)
{
	static sqlite3_vfs vfs;
	sqlite3_vfs *d;

	if ((d = sqlite3_vfs_find(NULL)) == NULL)
		return;
	ckpt_dflt = d;
	vfs = *d;
	vfs.szOsFile = (int)sizeof(struct ckpt_file) + d->szOsFile;
	vfs.zName = CKPTLOG_VFS;
	vfs.pNext = NULL;
	vfs.xOpen = ckpt_open;
	ckpt_registered = sqlite3_vfs_register(&vfs, 0) == SQLITE_OK;
}

const char *
db_ckptlog_vfs(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	(void)pthread_once(&once, ckpt_register);
	return ckpt_registered ? CKPTLOG_VFS : NULL;
}

/* ---- holding and reading (the backup) -------------------------------- */

int
db_ckptlog_hold(struct db_ckptlog *l, const char *db, struct hr_error *err)
{
	unsigned char mark[CKPTLOG_HEAD * 4];
	off_t end;

	l->fd = -1;
	l->start = 0;
	if ((l->path = ckpt_path(db, CKPTLOG_SUFFIX)) == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	/* Shared: other backups may hold it too; a checkpoint empties it
	 * only while nobody does (under its exclusive lock). */
	if ((l->fd = ckpt_log_create(l->path, db)) < 0 ||
	    flock(l->fd, LOCK_SH) != 0)
		goto fail;
	/* Our mark, then the checkpoints' notes: a note that failed empties
	 * the file, and the mark is gone.  Appended as a note is (a server
	 * may append one meanwhile): it ends where the write left us. */
	randombytes_buf(l->token, sizeof l->token);
	put_le32(mark, CKPTLOG_HELD);
	memcpy(mark + 4, l->token, sizeof l->token);
	if (write(l->fd, mark, sizeof mark) != (ssize_t)sizeof mark ||
	    (end = lseek(l->fd, 0, SEEK_CUR)) < (off_t)sizeof mark)
		goto fail;
	l->start = (uint64_t)end - sizeof mark;
	return 0;
fail:
	hr_errorf(err, HR_E_IO, "db.ckptlog", "cannot make {file}: {reason}",
	    HR_STR("file", l->path), HR_STR("reason", strerror(errno)));
	db_ckptlog_release(l);
	return -1;
}

int
db_ckptlog_read(struct db_ckptlog *l, db_ckptlog_fn *fn, void *ud,
    struct hr_error *err)
{
	unsigned char *buf = NULL;
	uint32_t *pages = NULL;
	struct stat st;
	size_t len, at = CKPTLOG_HEAD * 4;
	int rc = 0;

	if (l->fd < 0)
		return hr_error_set(err, HR_E_IO, "no checkpoints' notes held");
	if (fstat(l->fd, &st) != 0)
		return hr_errorf(err, HR_E_IO, "io.read", "cannot read {file}: "
		    "{reason}", HR_STR("file", l->path), HR_STR("reason",
		    strerror(errno)));
	len = st.st_size > (off_t)l->start ? (size_t)(st.st_size -
	    (off_t)l->start) : 0;
	if ((buf = malloc(len + 1)) == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	if (len < at || pread(l->fd, buf, len, (off_t)l->start) !=
	    (ssize_t)len || get_le32(buf) != CKPTLOG_HELD ||
	    memcmp(buf + 4, l->token, sizeof l->token) != 0) {
		free(buf);
		return hr_errorf(err, HR_E_IO, "db.ckptlog_gone", "{file} was "
		    "emptied: a checkpoint could not note its pages",
		    HR_STR("file", l->path));
	}
	while (rc == 0 && len - at >= CKPTLOG_HEAD * 4) {
		const unsigned char *r = buf + at;
		uint32_t n = get_le32(r + 16), *v;
		size_t words = n == CKPTLOG_UNKNOWN ? 0 : n;

		if (get_le32(r) == CKPTLOG_HELD) {
			at += CKPTLOG_HEAD * 4;  /* another backup's mark */
			continue;
		}
		if (get_le32(r) != CKPTLOG_MAGIC) {
			rc = hr_errorf(err, HR_E_INVALID, "db.ckptlog_bad", "{file} "
			    "is not made of checkpoints' notes", HR_STR("file",
			    l->path));
			break;
		}
		if ((len - at) / 4 - CKPTLOG_HEAD < words)
			break;                  /* being appended: later */
		if (words > 0) {
			if ((v = realloc(pages, words * sizeof *v)) == NULL) {
				rc = hr_error_set(err, HR_E_INTERNAL, "out of "
				    "memory");
				break;
			}
			pages = v;
			for (size_t i = 0; i < words; i++)
				pages[i] = get_le32(r + 4 * (CKPTLOG_HEAD + i));
		}
		if (fn(ud, get_le32(r + 4), get_le32(r + 8), get_le32(r + 12),
		    n == CKPTLOG_UNKNOWN ? NULL : pages, n) != 0)
			break;
		at += 4 * (CKPTLOG_HEAD + words);
	}
	free(pages);
	free(buf);
	return rc;
}

void
db_ckptlog_release(struct db_ckptlog *l)
{
	if (l->fd >= 0)
		close(l->fd);       /* and its lock */
	free(l->path);
	l->fd = -1;
	l->path = NULL;
}
