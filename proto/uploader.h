/*
 * uploader.h — the client side of attaching scans: a queue of files sent to
 * hromadad in the background of the caller's event loop.
 *
 * The terminal client, the tests and the benchmark use it alike.  Nothing
 * here blocks for long: the caller calls hr_uploader_step from its loop,
 * and each step does a bounded amount of local work (hashing at most
 * HR_UPLOAD_STEP_BYTES of a file) and queues requests on the client
 * (proto/client.h); the replies come back through the client's callbacks.
 *
 * A file goes through:
 *
 *   QUEUED  -> checked (readable, not empty, a JPEG/PNG/PDF/TIFF by its
 *              bytes, within the server's limits) and hashed (BLAKE2b-256)
 *           -> upload.begin: the server says how much it holds (resume)
 *              or that it has the file (then upload.prove: no byte sent)
 *           -> upload.chunk, several in flight, each acknowledged
 *           -> DONE (the server's last reply carries the attachment)
 *
 * Flow control.  Chunks are pipelined within a window of unacknowledged
 * bytes, so a 600 ms round trip does not idle the link, and the window is
 * kept small enough that a clerk's own request (a search, a save) waits
 * behind at most about a second of upload on a slow link: the chunk is
 * about HR_UPLOAD_CHUNK_TIME of the link's rate (at least 4 KiB; the rest
 * of a file goes whole when it is at most half a chunk more), the window
 * the rate times (the least round trip seen + HR_UPLOAD_CHUNK_TIME), at
 * least two chunks; a chunk goes while less than the window is on its
 * way (tests/bench/bench_scans: 1.08 x the physical minimum at 64 kbit/s
 * and 600 ms).  The link's rate is the larger of two lower bounds: the
 * bytes acknowledged a second lately, and the most one chunk has shown
 * the link carries (its bytes over its round trip) — the one a busy
 * server, whose answers come slowly to every client, does not pull down:
 * on a fast link a scan of a few hundred KB goes in one chunk.  The begins of several files go out together, and their chunks
 * follow in queue order, so a batch of scans pays one round trip, not one
 * per file.
 *
 * The link drops: every request in flight fails (HR_E_DISCONNECTED); the
 * uploader waits until the caller says it is online again (after resume)
 * and begins again — the server answers with the bytes it holds, so the
 * upload goes on from the last acknowledged chunk (or that the file is
 * attached already: its last reply was lost; then it is DONE).  A restarted client
 * does the same from the saved queue (hr_uploader_save / _load): the file
 * is hashed again, and if it changed it starts anew.
 *
 * Lifetime: the uploader must outlive every request it made, so free the
 * client first (which fails them) and the uploader after.
 */
#ifndef HR_UPLOADER_H
#define HR_UPLOADER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "proto/client.h"
#include "proto/error.h"

#define HR_UPLOAD_STEP_BYTES  (1u << 20)   /* hashed per step at most */
#define HR_UPLOAD_CHUNK_MIN   4096u
#define HR_UPLOAD_CHUNK_TIME  0.5          /* seconds of link per chunk */
#define HR_UPLOAD_NAME_MAX    255u         /* bytes of a file's name */
#define HR_UPLOAD_DOC_MAX     32u          /* bytes of a document code */

enum hr_upload_state {
	HR_UP_QUEUED,      /* waiting for its checks and hash */
	HR_UP_READY,       /* hashed; upload.begin not sent (or to resend) */
	HR_UP_BEGUN,       /* upload.begin on its way */
	HR_UP_SENDING,     /* chunks on their way */
	HR_UP_PROVING,     /* upload.prove on its way */
	HR_UP_DONE,
	HR_UP_FAILED,      /* err says why; hr_uploader_retry starts anew */
};

/* What the caller shows of one file (hr_uploader_get). */
struct hr_upload_info {
	unsigned   id;                 /* the uploader's own number */
	int        state;              /* enum hr_upload_state */
	int64_t    application;
	char       document[HR_UPLOAD_DOC_MAX + 1];
	char       name[HR_UPLOAD_NAME_MAX + 1];
	const char *path;
	int        type;               /* enum hr_filetype, once checked */
	uint64_t   size;
	uint64_t   acked;              /* bytes the server holds */
	uint64_t   sent;               /* file bytes sent (again after a cut) */
	uint64_t   hashed;
	int64_t    attachment;         /* DONE: the attachment's id */
	int        deduplicated;       /* DONE without sending: proven */
	struct hr_error err;           /* FAILED: why */
};

/* The link as a whole (progress bar: bytes, speed, time left). */
struct hr_upload_totals {
	size_t   files, active;        /* in the queue; not DONE/FAILED */
	uint64_t bytes, acked;         /* of the active files */
	double   rate;                 /* bytes/s acknowledged, recently */
	double   eta;                  /* seconds left, -1 unknown */
	uint64_t wire_sent;            /* file bytes sent since the start */
	uint64_t chunks;               /* upload.chunk requests since then */
};

struct hr_uploader;

/* A file has ended (DONE or FAILED): the caller may reload what it shows. */
typedef void hr_upload_done_fn(void *ud, const struct hr_upload_info *info);

struct hr_uploader *hr_uploader_new(struct hr_client *c);
void hr_uploader_free(struct hr_uploader *u);

void hr_uploader_on_done(struct hr_uploader *u, hr_upload_done_fn *fn,
    void *ud);

/* The server's limits (reference.get "uploads"); 0 = not known. */
void hr_uploader_set_limits(struct hr_uploader *u, uint64_t file_max,
    uint64_t chunk_max);

/* Keep at most `bytes` unacknowledged on the link (0: the default cap),
 * e.g. to leave most of a shared line to others. */
void hr_uploader_set_window_max(struct hr_uploader *u, uint64_t bytes);

/*
 * Look at a file before queueing it: it exists, is a regular file the
 * user may read, is not empty, is a JPEG, PNG, PDF or TIFF by its first
 * bytes, and is at most file_max bytes (0: no limit).  *type and *size
 * when not NULL.  HR_E_IO / HR_E_INVALID / HR_E_TOO_LARGE with a message;
 * the code tells a UI which sentence of its own to show.
 */
int  hr_upload_check_file(const char *path, uint64_t file_max, int *type,
    uint64_t *size, struct hr_error *err);

/*
 * Queue `path` to attach to `application` as `document`; its name on the
 * server is the path's last part.  Returns the upload's id (> 0), or 0
 * with err (the file's check, or the same file queued already for that
 * application and document: HR_E_DUPLICATE).
 */
unsigned hr_uploader_add(struct hr_uploader *u, const char *path,
    int64_t application, const char *document, struct hr_error *err);

/* Forget an upload (and cancel it on the server when it began there). */
void hr_uploader_cancel(struct hr_uploader *u, unsigned id);
/* Forget it here only: the server keeps what it received, for the same
 * user to resume later (another user logs in on this client). */
void hr_uploader_forget(struct hr_uploader *u, unsigned id);
/* Start a FAILED upload again from its checks. */
void hr_uploader_retry(struct hr_uploader *u, unsigned id);
/* Drop every DONE and FAILED entry (after the caller showed them). */
void hr_uploader_prune(struct hr_uploader *u);

/*
 * Do what can be done now: checks and hashing (bounded), requests while
 * `online` (READY and logged in; requests are never queued on a link
 * that is not).  `now_ms` is CLOCK_MONOTONIC in milliseconds (the
 * uploader reads the same clock when a reply comes).  Returns 1 when local
 * work is left (call again soon, without waiting for input), else 0.
 */
int  hr_uploader_step(struct hr_uploader *u, int online, long now_ms);

/* Entries (in queue order) and the totals. */
size_t hr_uploader_count(const struct hr_uploader *u);
int    hr_uploader_get(const struct hr_uploader *u, size_t i,
    struct hr_upload_info *out);
void   hr_uploader_totals(const struct hr_uploader *u, long now_ms,
    struct hr_upload_totals *t);

/*
 * The queue of unfinished uploads as text lines, and back: what a
 * restarted client resumes.  _load adds what it reads to the queue (the
 * files are checked and hashed anew); lines it cannot use are skipped.
 */
int  hr_uploader_save(const struct hr_uploader *u, FILE *f);
int  hr_uploader_load(struct hr_uploader *u, FILE *f, struct hr_error *err);

#endif
