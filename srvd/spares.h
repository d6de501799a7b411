/*
 * spares.h — empty unnamed files made ahead on a thread of their own, for
 * scans that arrive whole to be written into on the event loop.
 *
 * Making a file is mostly the file system's search for a free inode, and
 * on ext4 without a journal that search steps over every inode freed in
 * the last minutes, one buffer lookup each: on this project's shared
 * machine (many deletions) it was a quarter of the event loop's time per
 * stored scan, on the one thread every request runs on (tests/bench/
 * SCANS.md, session 9).  So a thread keeps a few files made ahead, with
 * no name yet (db/filestore.h hr_store_unnamed: O_TMPFILE), and
 * upload.chunk writes a whole scan into one and links it to its place in
 * the store.  A refused chunk closes its spare and nothing is left; so
 * does a crash (the file never had a name).
 *
 * When none is ready (the thread is behind), or the file system or the
 * kernel cannot make and link unnamed files (spares_start tries once),
 * the scan goes through DIR/partial/<id> as before.
 *
 * Loop thread: spares_start, spares_take, spares_stop.
 */
#ifndef SRV_SPARES_H
#define SRV_SPARES_H

#include "db/filestore.h"
#include "proto/error.h"

#define SPARES_MAX 32          /* files made ahead at most */

struct srv_spares;

/*
 * Start the thread making spares in `st` (which must outlive it), once a
 * file made and linked the way upload.chunk will shows it works.  *out
 * NULL when it does not (logged: scans go through DIR/partial); -1 with
 * err only when the thread cannot start.  Start it after root is given
 * up: the files are the server's user's, and so is the right to link them.
 */
int  spares_start(struct srv_spares **out, struct hr_store *st,
    struct hr_error *err);
/* Stop the thread and close the spares left (they vanish).  NULL is fine. */
void spares_stop(struct srv_spares *s);
/* An empty unnamed file of the store, the caller's to close; -1 when
 * none is ready (or s is NULL). */
int  spares_take(struct srv_spares *s);

#endif
