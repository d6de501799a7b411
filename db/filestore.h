/*
 * filestore.h — the directory beside the database where the scans live.
 *
 * Scans are not SQLite blobs: a 10 MB file in the main database would make
 * every backup, checkpoint and page cache carry it.  They are files, one
 * per content, named by the content's BLAKE2b-256 hash (filehash.h):
 *
 *   DIR                 the database's path with ".db" replaced by ".files"
 *                       (/var/lib/hromada/hromada.db -> hromada.files), or
 *                       the path with ".files" appended
 *   DIR/ab/ab12…ef      a stored file (64 hex digits), never changed again
 *   DIR/partial/N       the bytes of upload N received so far
 *
 * Directories are 0700 and files 0600: they hold persons' documents.
 *
 * The order that keeps the database truthful (the server's upload.chunk
 * and hromadactl alike): bytes go to DIR/partial/N; when the last byte is
 * there and the whole file's hash is right, hr_store_publish renames it
 * to its name; the file and its directory are fsync'd; only then may the
 * transaction that records it (db/attachments.h) commit.  A crash at any
 * point leaves at worst a file nobody references — never a row naming a
 * file that is not whole.  Files without a row are removed by
 * `hromadactl files gc`, never while an upload of that content is open.
 *
 * The database's write lock orders the server's publishing against gc
 * (gc removes files inside its write transaction, see ctl/cmd_files.c);
 * a lock on the directory (hr_store_lock) keeps gc from removing what a
 * backup is copying.
 */
#ifndef HR_DB_FILESTORE_H
#define HR_DB_FILESTORE_H

#include <stddef.h>
#include <stdint.h>

#include "proto/error.h"
#include "proto/filehash.h"

struct hr_store {
	char *dir;           /* owned */
	int   fd;            /* DIR, O_DIRECTORY */
	int   partial_fd;    /* DIR/partial */
	long  uid, gid;      /* run as root: what we create is given to the
	                        database's owner (hromadad's user); else -1 */
};

/* DIR for the database at db_path (malloc'd; NULL when out of memory). */
char *hr_store_dir_for_db(const char *db_path);

/*
 * Open the store of the database at `db_path`; with `create`, make DIR
 * and DIR/partial when missing (mode 0700).  Run as root, every directory
 * and file the store creates belongs to DIR's owner (a new DIR: the
 * database file's), so that hromadad, which drops root and owns its
 * store, can use them.  0, or -1 with err (HR_E_IO naming the path).
 */
int  hr_store_open(struct hr_store *st, const char *db_path, int create,
    struct hr_error *err);
void hr_store_close(struct hr_store *st);

/*
 * Give the whole store (directories and files) to uid:gid: a server that
 * starts as root and then drops it must own what it writes into and
 * reads.  Only entries owned by someone else are changed.  -1 with err on
 * the first failure.
 */
int  hr_store_give(struct hr_store *st, unsigned uid, unsigned gid,
    struct hr_error *err);

/*
 * Make every directory DIR/00 .. DIR/ff that is missing, and sync DIR when
 * one was made.  The server does at start: a directory made while files
 * are stored costs that file an inode search, which on a busy file system
 * took milliseconds (ext4's Orlov allocator spreads directories), and a
 * sync of DIR (tests/bench/SCANS.md); hr_store_publish still makes one
 * that went missing.  -1 with err.
 */
int  hr_store_fan_out(struct hr_store *st, struct hr_error *err);

/* "ab/ab12…ef": the stored file's path relative to DIR (NUL included). */
#define HR_STORE_REL_MAX (3u + HR_FILE_HASH_HEX)
void hr_store_rel(const uint8_t hash[HR_FILE_HASH_LEN],
    char out[HR_STORE_REL_MAX]);

/* ---- uploads in progress ---- */

/*
 * Open DIR/partial/<id> for reading and writing; when `create`, empty,
 * made (0600) if it does not exist and cut to nothing if it does (what a
 * crash left there).  *fd the descriptor (the caller closes it).
 * HR_E_NOT_FOUND when it does not exist and !create; HR_E_IO otherwise.
 */
int  hr_store_partial_open(struct hr_store *st, int64_t id, int create,
    int *fd, struct hr_error *err);
/* Remove DIR/partial/<id> if it is there. */
void hr_store_partial_remove(struct hr_store *st, int64_t id);

/*
 * Rename DIR/partial/<id> to the stored file `hash` (replacing an
 * unreferenced copy of the same content).  *dir_fd gets an open
 * descriptor of the directory the name is in, and *top_fd one of DIR
 * when that directory was created now (else -1): fsync them (with the
 * file) before recording the file.  The caller closes both.
 */
int  hr_store_publish(struct hr_store *st, int64_t id,
    const uint8_t hash[HR_FILE_HASH_LEN], int *dir_fd, int *top_fd,
    struct hr_error *err);

/*
 * Unnamed files (O_TMPFILE in DIR/partial), for a scan written whole at
 * once: made ahead, off the event loop (srvd/spares.h), since making a
 * file is mostly the file system's search for a free inode; nothing has
 * its name until it is published, so a refused or crashed upload leaves
 * nothing behind.  hr_store_unnamed: a new one in *fd (HR_E_IO,
 * "store.tmpfile", where the file system has none).  Safe on any thread.
 * hr_store_publish_unnamed: link it as the stored file `hash`, as
 * hr_store_publish does (an unreferenced copy of the same content is
 * replaced; *dir_fd and *top_fd to fsync).  The caller keeps fd.
 * hr_store_unnamed_works: both work here (a file made, linked, removed);
 * -1 with err saying why not.
 */
int  hr_store_unnamed(struct hr_store *st, int *fd, struct hr_error *err);
int  hr_store_unnamed_works(struct hr_store *st, struct hr_error *err);
int  hr_store_publish_unnamed(struct hr_store *st, int fd,
    const uint8_t hash[HR_FILE_HASH_LEN], int *dir_fd, int *top_fd,
    struct hr_error *err);

/* ---- stored files ---- */

/*
 * Store data[0..len) as the file `hash` (which the caller computed), the
 * whole way at once: a temporary file in DIR/partial, written, fsync'd,
 * renamed into place, its directory fsync'd.  For hromadactl (demo,
 * restore) and tests; the server stores chunk by chunk.  With `nosync`
 * nothing is fsync'd: the caller stores many and calls hr_store_sync
 * once before it records them.
 */
int  hr_store_put(struct hr_store *st, const void *data, size_t len,
    const uint8_t hash[HR_FILE_HASH_LEN], int nosync, struct hr_error *err);

/*
 * Copy the stored file `hash` of store `from` into store `to`, hashing
 * the copy as written: a file whose content no longer has its name is
 * refused (HR_E_INVALID, "store.damaged") and not copied.  With `sync`
 * the copy's data is forced to the disk (its directory is not:
 * hr_store_sync after the last).  *size its size.  For backup and
 * restore.
 */
int  hr_store_copy_in(struct hr_store *to, struct hr_store *from,
    const uint8_t hash[HR_FILE_HASH_LEN], int sync, uint64_t *size,
    struct hr_error *err);

/*
 * Lock the store until it is closed: shared (a backup copying it, waits
 * for an exclusive holder) or exclusive (gc removing from it; HR_E_BUSY
 * at once while a backup holds it).  The server takes no lock: only gc
 * removes files, and a backup must not lose one it is about to copy.
 */
int  hr_store_lock(struct hr_store *st, int exclusive, struct hr_error *err);

/* Make everything written into the store so far durable (syncfs of its
 * file system). */
int  hr_store_sync(struct hr_store *st, struct hr_error *err);

/* Is the file there?  1 yes (*size its size when not NULL), 0 no. */
int  hr_store_has(struct hr_store *st, const uint8_t hash[HR_FILE_HASH_LEN],
    uint64_t *size);

/* Open a stored file for reading.  HR_E_NOT_FOUND / HR_E_IO. */
int  hr_store_open_file(struct hr_store *st,
    const uint8_t hash[HR_FILE_HASH_LEN], int *fd, uint64_t *size,
    struct hr_error *err);

/* Remove a stored file; 0 also when it was not there. */
int  hr_store_remove(struct hr_store *st,
    const uint8_t hash[HR_FILE_HASH_LEN], struct hr_error *err);

/*
 * Hash a stored file anew: *ok 1 when its content still has its name
 * (and *size its size).  HR_E_NOT_FOUND when it is missing.
 */
int  hr_store_rehash(struct hr_store *st,
    const uint8_t hash[HR_FILE_HASH_LEN], int *ok, uint64_t *size,
    struct hr_error *err);

/* Every stored file's hash (names that are not 64 hex digits are
 * skipped), in no order.  fn returning non-zero stops the walk. */
typedef int hr_store_file_fn(void *ud, const uint8_t hash[HR_FILE_HASH_LEN]);
int  hr_store_each(struct hr_store *st, hr_store_file_fn *fn, void *ud,
    struct hr_error *err);

/* Every partial's upload id. */
typedef int hr_store_partial_fn(void *ud, int64_t id);
int  hr_store_partials_each(struct hr_store *st, hr_store_partial_fn *fn,
    void *ud, struct hr_error *err);

#endif
