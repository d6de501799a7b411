/*
 * copy.c — consistent copies of a live database (backup and restore).
 *
 * Never cp: a WAL database is the main file *and* its -wal, and a copy
 * taken while the server commits can be torn (PITFALLS.md).  The online
 * backup API copies pages from one read transaction, so the copy is the
 * database as of one moment.  Holding that transaction across the chunked
 * steps matters: without it every commit of the server would restart the
 * backup from page 1, and a busy server could keep a backup from ever
 * finishing.  In WAL mode the held read transaction does not block the
 * server's writers; it only keeps checkpoints from passing our snapshot
 * until we are done.
 *
 * That is cheap for a restore or a small database, and dear for a paced
 * backup of a national one: a read transaction held for the minutes of a
 * paced copy pins the server's WAL, which grows by every commit meanwhile
 * (hundreds of MiB), and every page a query reads that was written since
 * must then come from that long log instead of the database file -- the
 * clerks' CPU per request rose by a third.  So a paced copy
 * (ctl_db_copy_paced, pace.h) holds no read transaction while it is slow:
 *
 *   1. the file: the database file's pages are read straight from the
 *      file (no SQLite, no lock: the server and its checkpoints go on) and
 *      written to the copy in paced steps; each page's keyed hash is kept
 *      (SipHash-2-4 under a random key: 8 bytes a page, 10 MiB for 5 GiB).
 *      Pages torn by a checkpoint writing meanwhile, pages whose newest
 *      version is still in the WAL -- all fine, step 2 mends them;
 *   2. one moment: one read transaction and the online backup API at full
 *      speed, into the same file through a VFS (copy_fix_*) that writes a
 *      page only when its hash differs from what step 1 wrote.  Every page
 *      of the copy is then the page of that one snapshot -- the copy is
 *      exactly as consistent as the backup API makes it -- but only the
 *      pages changed since step 1 are written; the snapshot is held for
 *      the seconds it takes to read the database from the page cache, not
 *      for the minutes of a paced copy to disk.
 *
 * A page step 2 finds equal keeps step 1's bytes: the chance that a
 * changed page hashes equal is 2^-64 under a key nobody else knows, and
 * the copy is verified (integrity_check, audit chain) afterwards.
 *
 * A paced copy is a good neighbour to the server in its writes too: the
 * copy is written without SQLite's own journal and fsyncs (it is a new
 * file that nobody reads until it is finished, checked and renamed), and
 * after each step its pages are forced out to the disk (fdatasync, which
 * also empties the disk's write cache of them), so at most one step of
 * data ever stands between a server fsync and the disk -- not the
 * gigabytes the kernel, or the disk's cache, would write back in bursts.
 * Then the pacer pauses.  Step 1 holds nothing, so a backup runs it on a
 * thread of the idle scheduling class (copy_file_step): it takes only CPU
 * nobody else wants.  Step 2 holds its snapshot, so it reads through a map
 * of the source, its cheapest way, and is idle only for its first
 * seconds (COPY_MOMENT_IDLE_S), then takes its share at nice 10.
 * The copy's pages stay in the page cache, clean,
 * for its verification (integrity_check walks the B-trees: from the disk
 * that is random reads, ten times slower); the backup command drops them
 * after that.
 */
#include "config.h"

#include "ctl/ctl.h"
#include "ctl/pace.h"
#include "ctl/walwatch.h"
#include "db/ckptlog.h"
#include "db/durable.h"
#include "proto/buf.h"
#include "proto/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define COPY_PAGES_PER_STEP 256       /* 1 MiB with 4 KiB pages */
#define COPY_BUSY_SLEEP_MS  20
#define COPY_BUSY_MAX_MS    60000     /* a lock held longer is a failure */
#define COPY_TIMEOUT_MS     5000      /* sqlite3_busy_timeout of the source */
#define COPY_STEP_BYTES     (4 << 20) /* a paced step: 4 MiB */
/* Step 1 moves a step in pieces this big: read, hashed and written while
 * they are still in the CPU's own cache (a 4 MiB buffer went through the
 * shared cache and memory three times, the server's pages out of it). */
#define COPY_PIECE_BYTES    (256 << 10)
/* Step 2 reads the source through a map of its first 2 GiB (SQLite's
 * limit less 64 KiB), not a pread and a copy per page. */
#define COPY_SRC_MMAP       "2147418112"
#define COPY_DEST_CACHE     "-2048"   /* KiB of the copy's own page cache */
/* Step 2 takes only idle CPUs for this long, then its share at nice 10
 * (its snapshot pins the server's WAL; pace.h). */
#define COPY_MOMENT_IDLE_S  10.0
#define COPY_CHECK_OPS      10000     /* VM steps between verify pauses */
#define COPY_WATCH_MS       10        /* between two looks at the log */
#define COPY_FIX_VFS        "hr-copy-fix"
/*
 * Verifying: PRAGMA integrity_check looks every row of every table up in
 * each of its indexes.  Through SQLite's default 2 MiB cache each lookup
 * is a pread of pages the kernel holds anyway: at national size (4.6 GiB,
 * 24 indexes) that read 93 GB.  The file being checked is new and nobody
 * writes it, so a large cache stays valid the whole check and the file
 * can be mapped read-only (SQLite maps at most 2 GiB less 64 KiB of it).
 */
#define COPY_CHECK_CACHE    "-262144"  /* KiB: 256 MiB */
#define COPY_QUICK_CACHE    "-16384"   /* KiB: 16 MiB, for quick_check */
#define COPY_CHECK_MMAP     "2147418112"

static void
copy_sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static int
copy_fail(sqlite3 *h, const char *path, const char *what,
    struct hr_error *err)
{
	return hr_errorf(err, HR_E_IO, "ctl.sqlite", "{label} {file}: {reason}",
	    HR_STR("label", what), HR_STR("file", path), HR_STR("reason", h ?
	    sqlite3_errmsg(h) : "out of memory"));
}

/*
 * Paced: force the copy's pages written so far out to the disk (fd is the
 * copy), through the disk's own write cache too.  sync_file_range alone
 * left them in that cache (a virtual disk's: the host's page cache), and
 * the server's next fsync -- a cache flush -- waited for all of them:
 * application.save p99 ~0.5 s at quiet during a backup (the lead, session
 * 8).  Flushed a step at a time, a server fsync waits for at most one.
 * Then the step's pages -- clean now -- leave the page cache: gigabytes
 * of a copy nobody reads would push the server's own pages out of it
 * (its next reads from the disk), and the verification must read the
 * copy back from the disk anyway (ctl_db_copy_verify).  `len` 0: to the
 * end.  Errors only cost pacing.
 */
static void
copy_flush_step(int fd, off_t off, off_t len)
{
	if (fd < 0)
		return;
	(void)fdatasync(fd);
	(void)posix_fadvise(fd, off, len, POSIX_FADV_DONTNEED);
}

/* Bytes step 2 wrote to the copy since its last flush (copy_fix_write). */
static size_t copy_unflushed;

/*
 * The pages, in chunks; a busy source is retried, up to a limit.  Paced
 * (pace != NULL): flush each step, then let the pacer pause.
 */
static int
copy_steps(sqlite3_backup *b, const char *src, struct ctl_pace *pace,
    int fd, int page_size, struct hr_error *err)
{
	int waited = 0, rc, step = COPY_PAGES_PER_STEP, before, after;
	double t;

	if (pace != NULL && page_size > 0)
		step = COPY_STEP_BYTES / page_size;
	for (;;) {
		before = sqlite3_backup_pagecount(b) - sqlite3_backup_remaining(b);
		t = pace_work_now();
		rc = sqlite3_backup_step(b, step);
		if (pace != NULL && (rc == SQLITE_OK || rc == SQLITE_DONE)) {
			if (pace->total == 0)
				pace->total = (uint64_t)sqlite3_backup_pagecount(b) *
				    (uint64_t)page_size;
			after = sqlite3_backup_pagecount(b) -
			    sqlite3_backup_remaining(b);
			/* Only what was written: most steps of the moment
			 * find every page as step 1 wrote it, and a flush
			 * of nothing still empties the disk's cache. */
			if (copy_unflushed >= COPY_STEP_BYTES / 4) {
				copy_flush_step(fd, 0, 0);
				copy_unflushed = 0;
			}
			pace_step(pace, (uint64_t)(after - before) *
			    (uint64_t)page_size, pace_work_now() - t);
		}
		if (rc == SQLITE_DONE)
			return 0;
		if (rc == SQLITE_OK)
			continue;
		if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) &&
		    waited < COPY_BUSY_MAX_MS) {
			copy_sleep_ms(COPY_BUSY_SLEEP_MS);
			waited += COPY_BUSY_SLEEP_MS;
			continue;
		}
		return hr_errorf(err, rc == SQLITE_BUSY ? HR_E_BUSY : HR_E_IO,
		    "ctl.copy", "copying {file}: {reason}", HR_STR("file", src),
		    HR_STR("reason", sqlite3_errstr(rc)));
	}
}

/* Make the new file ourselves so it is 0600 from the first byte. */
static int
copy_create(const char *dst, struct hr_error *err)
{
	int fd = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd < 0)
		return (errno == EEXIST ? hr_errorf(err, HR_E_IO, "file.exists",
		    "{file} exists already; choose a new name", HR_STR("file",
		    dst)) : hr_errorf(err, HR_E_IO, "io.create", "cannot "
		    "create {file}: {reason}", HR_STR("file", dst),
		    HR_STR("reason", strerror(errno))));
	close(fd);
	return 0;
}

/* One integer from a PRAGMA; -1 when it fails. */
static int
copy_pragma_int(sqlite3 *h, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int v = -1;

	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* ---- step 1: the file as it lies, each page's hash kept ------------- */

/* What step 1 wrote, for step 2 to compare against (file comment). */
struct copy_fix {
	unsigned char key[crypto_shorthash_KEYBYTES];
	uint64_t     *hash;         /* [i]: page i + 1 as last written */
	size_t        n, cap;       /* pages hashed */
	int           page_size;    /* 0: nothing hashed */
	int64_t       rewritten;    /* pages step 2 wrote anyway */
	int           unhashed;     /* something was written that is not
	                               a whole page: no page check */
};

static uint64_t
copy_page_hash(const struct copy_fix *f, const unsigned char *page)
{
	unsigned char h[crypto_shorthash_BYTES];
	uint64_t v;

	crypto_shorthash(h, page, (unsigned long long)f->page_size, f->key);
	memcpy(&v, h, sizeof v);
	return v;
}

/* The page size a database header names (h: its first 100 bytes); 0 when
 * it names none. */
static int
copy_page_size_of(const unsigned char *h)
{
	int size;

	if (memcmp(h, "SQLite format 3", 16) != 0)
		return 0;
	size = h[16] << 8 | h[17];
	if (size == 1)
		size = 65536;
	return size >= 512 && size <= 65536 && (size & (size - 1)) == 0 ?
	    size : 0;
}

/* ... of the database file open as fd. */
static int
copy_header_page_size(int fd)
{
	unsigned char h[100];

	return pread(fd, h, sizeof h, 0) == (ssize_t)sizeof h ?
	    copy_page_size_of(h) : 0;
}

/* A failed read (`writing` 0) or write of `path`, errno saying why. */
static int
copy_io_fail(int writing, const char *path, struct hr_error *err)
{
	return writing ? hr_errorf(err, HR_E_IO, "io.write", "cannot write "
	    "{file}: {reason}", HR_STR("file", path), HR_STR("reason",
	    strerror(errno))) : hr_errorf(err, HR_E_IO, "io.read", "cannot "
	    "read {file}: {reason}", HR_STR("file", path), HR_STR("reason",
	    strerror(errno)));
}

/* Pages [first, first + n) of buf into the hashes. */
static int
copy_fix_note(struct copy_fix *f, size_t first, const unsigned char *buf,
    size_t n, struct hr_error *err)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t *v;

		while (first + i >= f->cap) {
			if ((v = hr_grow(f->hash, &f->cap, f->cap, sizeof *v,
			    1024)) == NULL)
				return hr_error_set(err, HR_E_INTERNAL, "out of "
				    "memory");
			f->hash = v;
		}
		for (size_t gap = f->n; gap < first + i; gap++)
			f->hash[gap] = 0;     /* never written: fails a check */
		f->hash[first + i] = copy_page_hash(f, buf + i *
		    (size_t)f->page_size);
		if (first + i + 1 > f->n)
			f->n = first + i + 1;
	}
	return 0;
}

/*
 * The database file `src`, read-only, through SQLite's default VFS: not
 * with open(2), whose close(2) would drop every POSIX lock this process
 * holds on the file -- those of any SQLite connection of ours on it too.
 */
struct copy_src {
	sqlite3_vfs  *vfs;
	sqlite3_file *file;       /* NULL: not open */
	const char   *name;       /* sqlite3_create_filename's */
};

static void
copy_src_close(struct copy_src *in)
{
	if (in->file != NULL && in->file->pMethods != NULL)
		in->file->pMethods->xClose(in->file);
	sqlite3_free(in->file);
	sqlite3_free_filename((char *)in->name);
	memset(in, 0, sizeof *in);
}

static int
copy_src_open(struct copy_src *in, const char *src, struct hr_error *err)
{
	int flags = 0;

	memset(in, 0, sizeof *in);
	if ((in->vfs = sqlite3_vfs_find(NULL)) == NULL ||
	    (in->name = sqlite3_create_filename(src, "", "", 0, NULL)) == NULL ||
	    (in->file = sqlite3_malloc(in->vfs->szOsFile)) == NULL) {
		copy_src_close(in);
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	}
	memset(in->file, 0, (size_t)in->vfs->szOsFile);
	if (in->vfs->xOpen(in->vfs, in->name, in->file, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_MAIN_DB, &flags) != SQLITE_OK) {
		copy_src_close(in);
		errno = errno ? errno : EIO;
		return copy_io_fail(0, src, err);
	}
	return 0;
}

/*
 * n bytes at off (whole pages) of the source into buf, their hashes into
 * f, and into the copy.  A short read (the file cut meanwhile) reads as
 * zeros: step 2 finds those pages changed, or cuts them off.
 */
static int
copy_piece(struct copy_src *in, const char *src, const char *dst, int fd,
    struct copy_fix *f, unsigned char *buf, off_t off, size_t n,
    struct hr_error *err)
{
	ssize_t put;
	int rc;

	rc = in->file->pMethods->xRead(in->file, buf, (int)n, off);
	if (rc != SQLITE_OK && rc != SQLITE_IOERR_SHORT_READ)
		return copy_io_fail(0, src, err);
	if (copy_fix_note(f, (size_t)(off / f->page_size), buf,
	    n / (size_t)f->page_size, err) < 0)
		return -1;
	for (size_t done = 0; done < n; done += (size_t)put)
		if ((put = pwrite(fd, buf + done, n - done,
		    off + (off_t)done)) < 0 && errno != EINTR)
			return copy_io_fail(1, dst, err);
		else if (put < 0)
			put = 0;
	return 0;
}

/*
 * Step 1: `src`'s file into `fd` (the copy) as it lies, in paced steps,
 * holding nothing of the database; each page's hash into f (whose
 * page_size the caller read from the file's header: 0, nothing to do --
 * step 2 copies every page).  `w`, when not NULL, is polled between
 * steps (no thread of its own watches the log).
 */
static int
copy_file_pass(const char *src, const char *dst, int fd, struct copy_fix *f,
    struct wal_watch *w, struct ctl_pace *pace, struct hr_error *err)
{
	unsigned char *buf = NULL;
	struct copy_src in;
	sqlite3_int64 size = 0;
	size_t step;
	off_t off = 0;
	ssize_t got, piece;
	double t;
	int rc = 0;

	if (f->page_size == 0)
		return 0;
	if (copy_src_open(&in, src, err) < 0)
		return -1;
	if (in.file->pMethods->xFileSize(in.file, &size) != SQLITE_OK ||
	    (buf = malloc(COPY_PIECE_BYTES)) == NULL) {
		copy_src_close(&in);
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	}
	pace->total = (uint64_t)size;
	step = COPY_STEP_BYTES / (size_t)f->page_size * (size_t)f->page_size;
	/* Up to the size it had: pages added since are step 2's. */
	while (off < size) {
		t = pace_work_now();
		got = (ssize_t)(size - off < (sqlite3_int64)step ? size - off :
		    (sqlite3_int64)step);
		got -= got % f->page_size;
		if (got == 0)
			break;
		for (ssize_t at = 0; rc == 0 && at < got; at += piece) {
			piece = got - at < COPY_PIECE_BYTES ? got - at :
			    COPY_PIECE_BYTES;
			rc = copy_piece(&in, src, dst, fd, f, buf, off + at,
			    (size_t)piece, err);
		}
		if (rc < 0)
			break;
		copy_flush_step(fd, off, (off_t)got);
		off += got;
		if (w != NULL)
			wal_watch_poll(w);
		pace_step(pace, (uint64_t)got, pace_work_now() - t);
	}
	free(buf);
	copy_src_close(&in);
	return rc;
}

/*
 * Step 1 holds nothing the server waits for, so when the pacer says so
 * (pace->idle) it runs on a thread of its own in the idle scheduling
 * class: a clerk's request never waits for a CPU behind it.  Meanwhile
 * this thread -- at the process's own class -- follows the server's log
 * every COPY_WATCH_MS (walwatch.h); a generation restarted before a look
 * read it to its end is mended from the checkpoints' notes
 * (db/ckptlog.h), so a late look costs nothing.  Step 2 stays on the caller's
 * thread, whose class is its own (a starved step 2 would hold its read
 * transaction, and the server's WAL, longer).
 */
struct copy_file_job {
	const char      *src, *dst;
	int              fd;
	struct copy_fix *f;
	struct ctl_pace *pace;
	struct hr_error *err;
	int              rc;
	int              done;      /* __atomic */
};

static void *
copy_file_thread(void *arg)
{
	struct copy_file_job *j = arg;

	pace_enter_idle(j->pace);
	j->rc = copy_file_pass(j->src, j->dst, j->fd, j->f, NULL, j->pace,
	    j->err);
	__atomic_store_n(&j->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static int
copy_file_step(const char *src, const char *dst, int fd, struct copy_fix *f,
    struct wal_watch *w, struct ctl_pace *pace, struct hr_error *err)
{
	struct copy_file_job j = { src, dst, fd, f, pace, err, 0, 0 };
	pthread_t t;

	if (!pace->idle || pthread_create(&t, NULL, copy_file_thread, &j) != 0)
		return copy_file_pass(src, dst, fd, f, w, pace, err);
	while (!__atomic_load_n(&j.done, __ATOMIC_ACQUIRE)) {
		if (w != NULL)
			wal_watch_poll(w);
		copy_sleep_ms(COPY_WATCH_MS);
	}
	(void)pthread_join(t, NULL);
	return j.rc;
}

/* ---- step 2's VFS: a page is written only when it differs ------------ */

/*
 * The copy as step 2's connection sees it: at first empty (so the backup
 * API copies every page into it), growing by what SQLite writes; a
 * written page equal by hash to the one step 1 left there is not written
 * again.  Everything else goes to the default VFS's file behind it.
 */
struct copy_fix_file {
	sqlite3_file     base;
	sqlite3_file    *real;       /* right behind this struct */
	struct copy_fix *fix;        /* the main database file; else NULL */
	sqlite3_int64    size;       /* fix: what SQLite has written */
};

static sqlite3_vfs     *copy_dflt_vfs;
static struct copy_fix *copy_fixing;  /* for the next main file opened */

/*
 * The methods: most pass the call on to the default VFS's file.  Each is
 * a small function of its own, alike, because sqlite3_io_methods wants a
 * function per method (SQLite's own shims, test_vfstrace.c, are written
 * so); a macro making them would hide more than their repetition costs.
 */

static int
copy_fix_close(sqlite3_file *pf)
{
	struct copy_fix_file *p = (struct copy_fix_file *)pf;

	return p->real->pMethods->xClose(p->real);
}

static int
copy_fix_read(sqlite3_file *pf, void *buf, int n, sqlite3_int64 off)
{
	struct copy_fix_file *p = (struct copy_fix_file *)pf;

	if (p->fix != NULL && off >= p->size) {
		memset(buf, 0, (size_t)n);  /* not written yet: empty to SQLite */
		return SQLITE_IOERR_SHORT_READ;
	}
	return p->real->pMethods->xRead(p->real, buf, n, off);
}

static int
copy_fix_write(sqlite3_file *pf, const void *buf, int n, sqlite3_int64 off)
{
	struct copy_fix_file *p = (struct copy_fix_file *)pf;
	struct copy_fix *f = p->fix;

	copy_unflushed += (size_t)n;
	if (f == NULL)
		return p->real->pMethods->xWrite(p->real, buf, n, off);
	if (off + n > p->size)
		p->size = off + n;
	if (n == f->page_size && off % n == 0) {
		size_t i = (size_t)(off / n);

		if (i < f->n && f->hash[i] == copy_page_hash(f, buf)) {
			copy_unflushed -= (size_t)n;
			return SQLITE_OK;          /* step 1 wrote it so */
		}
		f->rewritten++;
		/* For the verification: the page as it is now. */
		if (copy_fix_note(f, i, buf, 1, NULL) < 0)
			f->unhashed = 1;
	} else
		f->unhashed = 1;
	return p->real->pMethods->xWrite(p->real, buf, n, off);
}

static int
copy_fix_truncate(sqlite3_file *pf, sqlite3_int64 size)
{
	struct copy_fix_file *p = (struct copy_fix_file *)pf;

	if (p->fix != NULL)
		p->size = size;
	return p->real->pMethods->xTruncate(p->real, size);
}

static int
copy_fix_sync(sqlite3_file *pf, int flags)
{
	struct copy_fix_file *p = (struct copy_fix_file *)pf;

	return p->real->pMethods->xSync(p->real, flags);
}

static int
copy_fix_file_size(sqlite3_file *pf, sqlite3_int64 *size)
{
	struct copy_fix_file *p = (struct copy_fix_file *)pf;

	if (p->fix == NULL)
		return p->real->pMethods->xFileSize(p->real, size);
	*size = p->size;
	return SQLITE_OK;
}

static int
copy_fix_lock(sqlite3_file *pf, int level)
{
	struct copy_fix_file *p = (struct copy_fix_file *)pf;

	return p->real->pMethods->xLock(p->real, level);
}

static int
copy_fix_unlock(sqlite3_file *pf, int level)
{
	struct copy_fix_file *p = (struct copy_fix_file *)pf;

	return p->real->pMethods->xUnlock(p->real, level);
}

static int
copy_fix_reserved(sqlite3_file *pf, int *out)
{
	struct copy_fix_file *p = (struct copy_fix_file *)pf;

	return p->real->pMethods->xCheckReservedLock(p->real, out);
}

static int
copy_fix_control(sqlite3_file *pf, int op, void *arg)
{
	struct copy_fix_file *p = (struct copy_fix_file *)pf;

	return p->real->pMethods->xFileControl(p->real, op, arg);
}

static int
copy_fix_sector(sqlite3_file *pf)
{
	struct copy_fix_file *p = (struct copy_fix_file *)pf;

	return p->real->pMethods->xSectorSize(p->real);
}

static int
copy_fix_device(sqlite3_file *pf)
{
	struct copy_fix_file *p = (struct copy_fix_file *)pf;

	return p->real->pMethods->xDeviceCharacteristics(p->real);
}

/* Version 1: no shared memory -- the copy is opened in exclusive locking
 * mode without a journal (copy_moment). */
static const sqlite3_io_methods copy_fix_io = {
	1, copy_fix_close, copy_fix_read, copy_fix_write, copy_fix_truncate,
	copy_fix_sync, copy_fix_file_size, copy_fix_lock, copy_fix_unlock,
	copy_fix_reserved, copy_fix_control, copy_fix_sector, copy_fix_device,
	NULL, NULL, NULL, NULL, NULL, NULL,
};

static int
copy_fix_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *pf, int flags,
    int *out_flags)
{
	struct copy_fix_file *p = (struct copy_fix_file *)pf;
	int rc;

	(void)vfs;
	memset(p, 0, sizeof *p);
	p->real = (sqlite3_file *)(p + 1);
	rc = copy_dflt_vfs->xOpen(copy_dflt_vfs, name, p->real, flags,
	    out_flags);
	if (rc != SQLITE_OK || p->real->pMethods == NULL) {
		p->base.pMethods = NULL;
		return rc != SQLITE_OK ? rc : SQLITE_CANTOPEN;
	}
	if (flags & SQLITE_OPEN_MAIN_DB) {
		p->fix = copy_fixing;
		copy_fixing = NULL;
	}
	p->base.pMethods = &copy_fix_io;
	return SQLITE_OK;
}

/* The default VFS with copy_fix_open; registered once (not default). */
static int
copy_fix_register(void)
{
	static sqlite3_vfs vfs;

	if (copy_dflt_vfs != NULL)
		return SQLITE_OK;
	if ((copy_dflt_vfs = sqlite3_vfs_find(NULL)) == NULL)
		return SQLITE_ERROR;
	vfs = *copy_dflt_vfs;
	vfs.szOsFile = (int)sizeof(struct copy_fix_file) +
	    copy_dflt_vfs->szOsFile;
	vfs.zName = COPY_FIX_VFS;
	vfs.pNext = NULL;
	vfs.xOpen = copy_fix_open;
	return sqlite3_vfs_register(&vfs, 0);
}

/*
 * Read transaction on the source, backup, end of the transaction.  Paced
 * (pace != NULL): the copy `d` without journal and fsyncs, each step
 * flushed.
 */
static int
copy_run(sqlite3 *s, sqlite3 *d, const char *src, const char *dst,
    int *pages, struct ctl_pace *pace, struct hr_error *err)
{
	sqlite3_backup *b;
	int rc, fd = -1;

	if (sqlite3_exec(s, "BEGIN; SELECT count(*) FROM sqlite_schema",
	    NULL, NULL, NULL) != SQLITE_OK)
		return copy_fail(s, src, HR_MSGID("cannot read"), err);
	/* A new file nobody reads before it is checked: no journal, no
	 * fsyncs of SQLite's; a small cache so pages reach the file (and
	 * our flush) step by step.  Exclusive: the copy's own VFS (step 2)
	 * has no shared memory. */
	if (pace != NULL && (sqlite3_exec(d, "PRAGMA locking_mode=EXCLUSIVE; "
	    "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; "
	    "PRAGMA cache_size=" COPY_DEST_CACHE, NULL, NULL, NULL) !=
	    SQLITE_OK || (fd = open(dst, O_WRONLY | O_CLOEXEC)) < 0)) {
		(void)sqlite3_exec(s, "COMMIT", NULL, NULL, NULL);
		return copy_fail(d, dst, HR_MSGID("cannot prepare"), err);
	}
	if ((b = sqlite3_backup_init(d, "main", s, "main")) == NULL) {
		rc = copy_fail(d, src, HR_MSGID("cannot start copying"), err);
	} else {
		rc = copy_steps(b, src, pace, fd, copy_pragma_int(s,
		    "PRAGMA page_size"), err);
		*pages = sqlite3_backup_pagecount(b);
		if (sqlite3_backup_finish(b) != SQLITE_OK && rc == 0)
			rc = copy_fail(d, src, HR_MSGID("cannot finish copying"), err);
	}
	(void)sqlite3_exec(s, "COMMIT", NULL, NULL, NULL);
	if (fd >= 0)
		close(fd);
	return rc;
}

/*
 * `src` into `dst` (which exists, empty or holding step 1's pages) from
 * one read transaction; `vfs` for the copy (NULL: the default).
 */
static int
copy_moment(const char *src, const char *dst, const char *vfs, int *pages,
    struct ctl_pace *pace, struct hr_error *err)
{
	sqlite3 *s = NULL, *d = NULL;
	int rc;

	if (sqlite3_open_v2(src, &s, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		rc = copy_fail(s, src, HR_MSGID("cannot open"), err);
	else if (sqlite3_open_v2(dst, &d, SQLITE_OPEN_READWRITE, vfs) !=
	    SQLITE_OK)
		rc = copy_fail(d, dst, HR_MSGID("cannot open"), err);
	else {
		sqlite3_busy_timeout(s, COPY_TIMEOUT_MS);
		/* Paced (step 2): its snapshot is held while it reads, so it
		 * reads the cheapest way (a map; failing it, preads). */
		if (pace != NULL)
			(void)sqlite3_exec(s, "PRAGMA mmap_size=" COPY_SRC_MMAP,
			    NULL, NULL, NULL);
		rc = copy_run(s, d, src, dst, pages, pace, err);
	}
	sqlite3_close(s);
	/* Closing the copy checkpoints it into one self-contained file. */
	if (sqlite3_close(d) != SQLITE_OK && rc == 0)
		rc = hr_errorf(err, HR_E_IO, "io.close", "cannot close {file}",
		    HR_STR("file", dst));
	return rc;
}

int
ctl_db_copy(const char *src, const char *dst, int *pages, struct hr_error *err)
{
	int rc;

	*pages = 0;
	if (copy_create(dst, err) < 0)
		return -1;
	rc = copy_moment(src, dst, NULL, pages, NULL, err);
	if (rc == 0)
		rc = db_fsync_file(dst, err);
	if (rc < 0)
		unlink(dst);
	return rc;
}

/* The copy `dst` cut after its `pages` pages (of its header's size). */
static int
copy_cut(const char *dst, int pages, struct copy_fix *f, struct hr_error *err)
{
	int fd = open(dst, O_RDWR | O_CLOEXEC), size, rc = 0;

	if (fd < 0)
		return copy_io_fail(1, dst, err);
	if ((size = copy_header_page_size(fd)) == 0)
		rc = hr_errorf(err, HR_E_IO, "ctl.copy", "the copy {file} has "
		    "no database header", HR_STR("file", dst));
	else if (ftruncate(fd, (off_t)pages * size) != 0)
		rc = copy_io_fail(1, dst, err);
	close(fd);
	if (rc == 0 && f->n > (size_t)pages)
		f->n = (size_t)pages;
	return rc;
}

/*
 * Step 2 when the log cannot say what changed (file comment): every page
 * of one moment through the backup API, over step 1's.
 */
static int
copy_paced_moment(const char *src, const char *dst, struct copy_fix *f,
    struct ctl_copy_made *m, struct ctl_pace *pace, struct hr_error *err)
{
	double share = pace->share, rate = pace->rate, t;
	int rc;

	if (copy_fix_register() != SQLITE_OK)
		return hr_errorf(err, HR_E_INTERNAL, "ctl.copy_vfs", "cannot "
		    "register the copy's file layer with SQLite");
	/* Its read transaction pins the server's WAL: at full speed, on
	 * idle CPUs for its first seconds (a clerk's request preempts it at
	 * once), then -- if the machine has none to spare -- at nice 10. */
	pace->share = 1;
	pace->rate = 0;
	t = pace_now();
	if (pace->idle && pace_may_leave_idle()) {
		pace_idle_class();
		pace->idle_until = t + COPY_MOMENT_IDLE_S;
	}
	copy_fixing = f;
	rc = copy_moment(src, dst, COPY_FIX_VFS, &m->pages, pace, err);
	copy_fixing = NULL;
	if (pace->idle_until > 0) {
		pace_normal_class();
		pace->idle_until = 0;
	}
	pace->share = share;
	pace->rate = rate;
	m->examined = m->pages;
	m->rewritten = f->rewritten;
	/* A database smaller than the file step 1 read: no pages beyond its
	 * end (to SQLite they were never written). */
	if (rc == 0 && f->page_size > 0 && copy_cut(dst, m->pages, f, err) < 0)
		rc = -1;
	return rc;
}

/*
 * The moment's read of page `pgno`: its newest frame in the log up to the
 * last commit the watch read, else the database file's page (which no
 * checkpoint can write while we read: checkpoints copy only frames our
 * read transaction's mark covers, and those pages we read from the log).
 * 1: the log cannot be trusted (rewritten meanwhile).
 */
static int
copy_log_page(struct wal_watch *w, struct copy_src *in, const char *src,
    uint32_t pgno, int page_size, unsigned char *buf, int file_only,
    struct hr_error *err)
{
	uint32_t frame = file_only ? 0 : wal_watch_frame(w, pgno);
	int rc;

	if (frame != 0) {
		if (wal_watch_read(w, frame, buf, err) == 0)
			return 0;
		return err->code == HR_E_BUSY ? 1 : -1;
	}
	rc = in->file->pMethods->xRead(in->file, buf, page_size,
	    (sqlite3_int64)(pgno - 1) * page_size);
	if (rc == SQLITE_OK)
		return 0;
	/* Past the file's end and in no frame: not the database we
	 * think it is. */
	if (rc == SQLITE_IOERR_SHORT_READ)
		return 1;
	return copy_io_fail(0, src, err);
}

/*
 * The moment's pages into the copy (fd): those the watch saw changed and
 * those past step 1's end, up to `pages`, each from its newest frame (or,
 * file_only, from the database file) and written when it differs from
 * what step 1 wrote.  0; 1: the log was rewritten under a read; -1 err.
 */
static int
copy_moment_pages(struct wal_watch *w, struct copy_src *in, const char *src,
    int fd, const char *dst, struct copy_fix *f, uint32_t pages,
    int file_only, unsigned char *page, struct ctl_copy_made *m,
    struct hr_error *err)
{
	size_t unflushed = 0;
	int rc = 0;

	for (uint32_t pg = 1; pg <= pages && rc == 0; pg++) {
		size_t i = pg - 1;

		/* On the disk a step at a time, as step 1's: one fdatasync
		 * of everything at the end (260 MB after a 7-minute copy at
		 * 2 million frames) held every server fsync for 4 s. */
		if (unflushed >= COPY_STEP_BYTES) {
			copy_flush_step(fd, 0, 0);
			unflushed = 0;
		}
		if (i < f->n && !wal_watch_touched(w, pg))
			continue;
		if ((rc = copy_log_page(w, in, src, pg, f->page_size, page,
		    file_only, err)) != 0)
			break;
		m->examined++;
		if (i < f->n && f->hash[i] == copy_page_hash(f, page))
			continue;
		if (hr_pwrite_full(fd, page, (size_t)f->page_size,
		    (uint64_t)i * (uint64_t)f->page_size) != 0) {
			rc = copy_io_fail(1, dst, err);
			break;
		}
		if (copy_fix_note(f, i, page, 1, err) < 0)
			rc = -1;
		f->rewritten++;
		unflushed += (size_t)f->page_size;
	}
	return rc;
}

/* The database file's size in pages. */
static int
copy_src_pages(struct copy_src *in, const char *src, int page_size,
    uint32_t *pages, struct hr_error *err)
{
	sqlite3_int64 size = 0;

	if (in->file->pMethods->xFileSize(in->file, &size) != SQLITE_OK)
		return copy_io_fail(0, src, err);
	*pages = (uint32_t)(size / page_size);
	return 0;
}

/*
 * Step 2 from the log (file comment): in one read transaction, the pages
 * the server's log committed since step 1 began, and those past step 1's
 * end -- each read from its newest frame or the database file, written
 * when it differs from what step 1 wrote.  0 done; 1 when only a
 * comparison of every page will do (m->whole says why; nothing is lost:
 * the pages written so far are hashed as written); -1 with err.
 *
 * The snapshot is the database file and the current generation's frames
 * up to the last commit the final look read, which may be a little newer
 * than SQLite's own snapshot of the same transaction: still one moment,
 * for the transaction's read mark keeps checkpoints from writing any page
 * of a newer frame into the file, and keeps the log from being restarted.
 * Unless the mark is 0 (the log was all in the file when the transaction
 * began): then nothing may be copied into the file at all, but the log
 * may be restarted -- and only then.  So a log found restarted after the
 * reads proves the file held still: every page is read again from it.
 */
static int
copy_moment_log(const char *src, const char *dst, struct copy_fix *f,
    struct wal_watch *w, struct db_ckptlog *notes, struct ctl_copy_made *m,
    struct hr_error *err)
{
	sqlite3 *s = NULL;
	sqlite3_stmt *st = NULL;
	struct copy_src in = { 0 };
	unsigned char *page = NULL;
	uint32_t pages;
	int fd = -1, rc = 0, wal = 0;

	if (w == NULL) {
		m->whole = N_("the file had no database header when it was "
		    "read");
		return 1;
	}
	if (sqlite3_open_v2(src, &s, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		rc = copy_fail(s, src, HR_MSGID("cannot open"), err);
		goto out;
	}
	sqlite3_busy_timeout(s, COPY_TIMEOUT_MS);
	if (sqlite3_exec(s, "BEGIN; SELECT count(*) FROM sqlite_schema", NULL,
	    NULL, NULL) != SQLITE_OK) {
		rc = copy_fail(s, src, HR_MSGID("cannot read"), err);
		goto out;
	}
	if (sqlite3_prepare_v2(s, "PRAGMA journal_mode", -1, &st, NULL) ==
	    SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		wal = sqlite3_column_text(st, 0) != NULL &&
		    strcmp((const char *)sqlite3_column_text(st, 0), "wal") == 0;
	sqlite3_finalize(st);
	/* The last look, then the generations it could not read to their
	 * end, from the checkpoints' notes (all written by now: each before
	 * its generation could be restarted). */
	wal_watch_poll(w);
	wal_watch_mend(w, notes);
	if (!wal) {
		m->whole = N_("the database is not in WAL mode");
		rc = 1;
	} else if (copy_pragma_int(s, "PRAGMA page_size") != f->page_size) {
		m->whole = N_("its page size changed");
		rc = 1;
	} else if (!wal_watch_complete(w, &m->whole))
		rc = 1;
	if (rc != 0)
		goto out;
	if (copy_src_open(&in, src, err) < 0 ||
	    (page = malloc((size_t)f->page_size)) == NULL) {
		rc = page == NULL && in.file != NULL ? hr_error_set(err,
		    HR_E_INTERNAL, "out of memory") : -1;
		goto out;
	}
	if ((fd = open(dst, O_WRONLY | O_CLOEXEC)) < 0) {
		rc = copy_io_fail(1, dst, err);
		goto out;
	}
	/* The database's size at that commit; no commit in this
	 * generation: the file's (all of the log is in it). */
	if ((pages = wal_watch_db_pages(w)) == 0 &&
	    copy_src_pages(&in, src, f->page_size, &pages, err) < 0) {
		rc = -1;
		goto out;
	}
	rc = copy_moment_pages(w, &in, src, fd, dst, f, pages, 0, page, m,
	    err);
	/* A restart rewrites the header before any frame: the read mark
	 * was 0 and the file held still (above) -- it is the moment. */
	if (rc >= 0 && !wal_watch_same(w)) {
		m->examined = 0;
		rc = copy_src_pages(&in, src, f->page_size, &pages, err);
		if (rc == 0)
			rc = copy_moment_pages(w, &in, src, fd, dst, f, pages, 1,
			    page, m, err);
	}
	if (rc == 1 && m->whole == NULL)
		m->whole = N_("the log was written again while the moment "
		    "read it");
	if (rc == 0 && ftruncate(fd, (off_t)pages * f->page_size) != 0)
		rc = copy_io_fail(1, dst, err);
	if (rc == 0) {
		if (f->n > pages)
			f->n = pages;
		m->pages = (int)pages;
		m->rewritten = f->rewritten;
	}
out:
	if (fd >= 0) {
		copy_flush_step(fd, 0, 0);
		close(fd);
	}
	free(page);
	copy_src_close(&in);
	if (s != NULL)
		(void)sqlite3_exec(s, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(s);
	return rc;
}

/* The page size the header of the database file `src` names; 0: none. */
static int
copy_src_page_size(const char *src)
{
	struct copy_src in;
	unsigned char h[100];
	int size = 0;

	if (copy_src_open(&in, src, NULL) < 0)
		return 0;
	if (in.file->pMethods->xRead(in.file, h, sizeof h, 0) == SQLITE_OK)
		size = copy_page_size_of(h);
	copy_src_close(&in);
	return size;
}

int
ctl_db_copy_paced(const char *src, const char *dst, struct ctl_copy_made *m,
    struct ctl_pace *pace, struct hr_error *err)
{
	struct copy_fix *f;
	struct wal_watch *w = NULL;
	struct db_ckptlog notes = { .fd = -1 };
	struct hr_error why;
	double t;
	int rc = 0, fd;

	memset(m, 0, sizeof *m);
	if ((f = calloc(1, sizeof *f)) == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	m->fix = f;
	if (copy_create(dst, err) < 0)
		return -1;
	randombytes_buf(f->key, sizeof f->key);
	/* The checkpoints' notes are asked for, and the log watched, from
	 * before the first page is read.  Without the notes (another backup
	 * holds them) the watch alone may still be complete. */
	f->page_size = copy_src_page_size(src);
	hr_error_clear(&why);
	if (f->page_size > 0)
		(void)db_ckptlog_hold(&notes, src, &why);
	if (f->page_size > 0 && wal_watch_open(&w, src, f->page_size,
	    err) < 0)
		rc = -1;
	else if ((fd = open(dst, O_WRONLY | O_CLOEXEC)) < 0)
		rc = copy_io_fail(1, dst, err);
	else {
		rc = copy_file_step(src, dst, fd, f, w, pace, err);
		close(fd);
	}
	m->copied = pace_end(pace);
	if (rc == 0) {
		pace_phase(pace, _("copying the pages changed meanwhile, from "
		    "one moment"), 0);
		t = pace_now();
		rc = copy_moment_log(src, dst, f, w, &notes, m, err);
		if (rc == 1) {
			f->rewritten = 0;
			rc = copy_paced_moment(src, dst, f, m, pace, err);
		}
		m->held = pace_now() - t;
	}
	if (w != NULL) {
		m->frames = wal_watch_frames(w);
		m->mended = wal_watch_mended(w);
	}
	wal_watch_close(w);
	db_ckptlog_release(&notes);
	if (rc == 0)
		rc = db_fsync_file(dst, err);
	if (rc < 0)
		unlink(dst);
	return rc;
}

void
ctl_copy_made_free(struct ctl_copy_made *m)
{
	if (m->fix != NULL) {
		free(m->fix->hash);
		sodium_memzero(m->fix->key, sizeof m->fix->key);
		free(m->fix);
	}
	m->fix = NULL;
}

/* The file's pages out of the page cache (after SQLite closed it: a
 * descriptor's close drops every POSIX lock the process holds on it). */
static void
copy_drop_cache(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		(void)posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
		close(fd);
	}
}

/*
 * The read-back hashes the copy through a map of each step, not a pread
 * into a buffer: the kernel's copy of every page from the page cache into
 * the buffer was 85 % of the read-back's CPU (perf at national size,
 * 13 s of system time for 5 GB), and the pages must pass through the
 * page cache anyway, for quick_check after it.  A page the disk cannot
 * give back is a SIGBUS on a map, not an error return: while a step is
 * hashed the signal jumps back (copy_check_mapped) and fails the
 * verification.
 */
static sigjmp_buf copy_bus_jump;

static void
copy_on_bus(int sig)
{
	(void)sig;
	siglongjmp(copy_bus_jump, 1);
}

/* Pages [first, first + n) of the copy, mapped at m, against their
 * hashes: 0, or the first that differs, 1-based. */
static size_t
copy_check_pages(const struct copy_fix *f, const unsigned char *m,
    size_t first, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (f->hash[first + i] != copy_page_hash(f, m + i *
		    (size_t)f->page_size))
			return first + i + 1;
	return 0;
}

/* ... under the SIGBUS catch (file comment): -1 when the disk failed. */
static int
copy_check_mapped(const struct copy_fix *f, const unsigned char *m,
    size_t first, size_t n, size_t *bad)
{
	if (sigsetjmp(copy_bus_jump, 1) != 0)
		return -1;
	*bad = copy_check_pages(f, m, first, n);
	return 0;
}

int
ctl_db_copy_verify(const char *dst, const struct ctl_copy_made *m,
    struct ctl_pace *pace, struct hr_error *err)
{
	const struct copy_fix *f = m->fix;
	struct sigaction bus, old_bus;
	struct stat sb;
	off_t off = 0, step;
	unsigned char *map;
	size_t bad = 0;
	double t;
	int fd, rc = 0;

	if (f == NULL || f->page_size == 0 || f->unhashed)
		return 0;           /* nothing hashed to compare with */
	if ((fd = open(dst, O_RDONLY | O_CLOEXEC)) < 0 || fstat(fd, &sb) != 0) {
		rc = copy_io_fail(0, dst, err);
		if (fd >= 0)
			close(fd);
		return rc;
	}
	if (sb.st_size != (off_t)f->n * f->page_size) {
		close(fd);
		return hr_errorf(err, HR_E_INVALID, "ctl.copy_size", "the copy "
		    "{file} is {bytes} bytes long, not the {pages} pages "
		    "written", HR_STR("file", dst), HR_INT("bytes",
		    (long long)sb.st_size), HR_INT("pages", (long long)f->n));
	}
	/* From the disk: what the page cache still holds of it goes. */
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	if (pace != NULL)
		pace_phase(pace, _("verifying: every page read back from the "
		    "disk"), (uint64_t)sb.st_size);
	memset(&bus, 0, sizeof bus);
	bus.sa_handler = copy_on_bus;
	sigemptyset(&bus.sa_mask);
	(void)sigaction(SIGBUS, &bus, &old_bus);
	while (rc == 0 && bad == 0 && off < sb.st_size) {
		t = pace_work_now();
		step = sb.st_size - off < COPY_STEP_BYTES ? sb.st_size - off :
		    COPY_STEP_BYTES;
		map = mmap(NULL, (size_t)step, PROT_READ, MAP_SHARED, fd, off);
		if (map == MAP_FAILED) {
			rc = copy_io_fail(0, dst, err);
			break;
		}
		/* The next step comes from the disk while this one hashes.
		 * (No MADV_SEQUENTIAL: the pages must stay for quick_check,
		 * and the kernel would let them go first.) */
		(void)posix_fadvise(fd, off + step, COPY_STEP_BYTES,
		    POSIX_FADV_WILLNEED);
		if (copy_check_mapped(f, map, (size_t)(off / f->page_size),
		    (size_t)(step / f->page_size), &bad) < 0) {
			errno = EIO;
			rc = copy_io_fail(0, dst, err);
		}
		(void)munmap(map, (size_t)step);
		off += step;
		if (pace != NULL)
			pace_step(pace, (uint64_t)step, pace_work_now() - t);
	}
	(void)sigaction(SIGBUS, &old_bus, NULL);
	if (rc == 0 && bad != 0)
		rc = hr_errorf(err, HR_E_INVALID, "ctl.copy_page", "page {page} "
		    "of the copy {file} is not what was written to it: the disk "
		    "or the file system changed it", HR_INT("page",
		    (long long)bad), HR_STR("file", dst));
	if (pace != NULL)
		(void)pace_end(pace);
	close(fd);
	return rc;
}

/*
 * Verifying under a pacer.  Progress is the bytes the check read so far
 * (rchar of /proc/self/io: with no memory map every page SQLite reads is
 * a pread, each page about once for quick_check).
 */
struct copy_check {
	struct ctl_pace *pace;
	uint64_t         base;      /* rchar at the start */
	uint64_t         seen;      /* read so far */
};

static uint64_t
copy_rchar(void)
{
	char line[128];
	unsigned long long v = 0;
	FILE *io = fopen("/proc/self/io", "re");

	if (io == NULL)
		return 0;
	while (fgets(line, sizeof line, io) != NULL)
		if (sscanf(line, "rchar: %llu", &v) == 1)
			break;
	fclose(io);
	return v;
}

static int
copy_check_tick(void *ud)
{
	struct copy_check *c = ud;
	uint64_t now = copy_rchar() - c->base, more = 0;

	if (now > c->seen) {
		more = now - c->seen;
		c->seen = now;
	}
	pace_tick(c->pace, more);
	return 0;
}

int
ctl_db_check(const char *path, struct hr_error *err)
{
	return ctl_db_check_paced(path, 1, NULL, err);
}

int
ctl_db_check_paced(const char *path, int full, struct ctl_pace *pace,
    struct hr_error *err)
{
	struct copy_check c = { pace, 0, 0 };
	struct stat sb;
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	const char *res;
	int rc;

	if (access(path, R_OK) != 0 || stat(path, &sb) != 0)
		return hr_errorf(err, HR_E_IO, "file.error", "{file}: {reason}",
		    HR_STR("file", path), HR_STR("reason", strerror(errno)));
	rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL);
	/* integrity_check: a large cache and a map (COPY_CHECK_CACHE);
	 * quick_check reads each page about once: a small cache, no map
	 * (each read a pread, which the progress counts). */
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(h, full ? "PRAGMA cache_size="
		    COPY_CHECK_CACHE "; PRAGMA mmap_size=" COPY_CHECK_MMAP :
		    "PRAGMA cache_size=" COPY_QUICK_CACHE "; PRAGMA mmap_size=0",
		    NULL, NULL, NULL);
	if (rc == SQLITE_OK && pace != NULL) {
		c.base = copy_rchar();
		pace_phase(pace, full ? _("verifying: integrity_check") :
		    _("verifying: quick_check"), (uint64_t)sb.st_size);
		sqlite3_progress_handler(h, COPY_CHECK_OPS, copy_check_tick, &c);
	}
	if (rc != SQLITE_OK || sqlite3_prepare_v2(h, full ?
	    "PRAGMA integrity_check(1)" : "PRAGMA quick_check(1)", -1, &st,
	    NULL) != SQLITE_OK) {
		rc = copy_fail(h, path, HR_MSGID("cannot check"), err);
	} else if (sqlite3_step(st) != SQLITE_ROW) {
		rc = copy_fail(h, path, HR_MSGID("cannot check"), err);
	} else {
		res = (const char *)sqlite3_column_text(st, 0);
		rc = res != NULL && strcmp(res, "ok") == 0 ? 0 :
		    hr_errorf(err, HR_E_INVALID, "ctl.integrity", "{file} "
		    "fails the integrity check: {reason}", HR_STR("file", path),
		    HR_STR("reason", res ? res : "?"));
	}
	sqlite3_finalize(st);
	sqlite3_close(h);
	if (pace != NULL) {
		(void)pace_end(pace);
		copy_drop_cache(path);
	}
	return rc;
}
