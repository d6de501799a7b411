/*
 * download.h — the client side of saving a scan: attachment.read piece by
 * piece, in the background of the caller's event loop, into a local file.
 *
 * The first piece (offset 0) is the audited read and brings the token the
 * later pieces carry (PROTOCOL.md "attachment.read").  Pieces go in order
 * within a small window; each is written where it belongs in DEST.part;
 * when the last one is there the whole file's BLAKE2b-256 must be the
 * attachment's hash, and only then DEST.part becomes DEST (never an
 * existing file: DEST is made unique, "name (2).pdf").  A cut link waits
 * for the caller to say it is online again and goes on where the file
 * ends; a token the server no longer knows (it restarted) starts the
 * reading again from byte 0.  One scan at a time, in queue order.
 *
 * As uploader.h: steps are bounded, requests only while online, and the
 * downloader outlives every request it made (free the client first).
 */
#ifndef HR_DOWNLOAD_H
#define HR_DOWNLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "proto/client.h"
#include "proto/error.h"

enum hr_download_state {
	HR_DL_QUEUED,      /* not started, or waiting to go on after a cut */
	HR_DL_READING,     /* pieces on their way */
	HR_DL_DONE,        /* saved: `path` is where */
	HR_DL_FAILED,      /* err says why; nothing left behind */
};

struct hr_download_info {
	unsigned    id;
	int         state;                 /* enum hr_download_state */
	int64_t     attachment;
	const char *path;                  /* the file made (DONE), or to make */
	uint64_t    size, done;            /* bytes of the file; written */
	struct hr_error err;
};

struct hr_download_totals {
	size_t   active;
	uint64_t bytes, done;
	double   rate, eta;                /* bytes/s; seconds, -1 unknown */
};

struct hr_downloader;

typedef void hr_download_done_fn(void *ud, const struct hr_download_info *in);

struct hr_downloader *hr_downloader_new(struct hr_client *c);
void hr_downloader_free(struct hr_downloader *d);
void hr_downloader_on_done(struct hr_downloader *d, hr_download_done_fn *fn,
    void *ud);
/* The server's chunk_max (reference.get), 0 = a safe default. */
void hr_downloader_set_piece_max(struct hr_downloader *d, uint64_t max);

/*
 * Queue attachment `id` to be saved in directory `dir` under `name` (its
 * name on the server; only the last part of it is used, and a number is
 * added when that file exists).  Returns the download's id (> 0), or 0
 * with err.
 */
unsigned hr_downloader_add(struct hr_downloader *d, int64_t attachment,
    const char *dir, const char *name, struct hr_error *err);

void hr_downloader_cancel(struct hr_downloader *d, unsigned id);
/* Drop every entry that ended. */
void hr_downloader_prune(struct hr_downloader *d);

/* Requests while `online`; returns 1 when local work is left. */
int  hr_downloader_step(struct hr_downloader *d, int online, long now_ms);

size_t hr_downloader_count(const struct hr_downloader *d);
int    hr_downloader_get(const struct hr_downloader *d, size_t i,
    struct hr_download_info *out);
void   hr_downloader_totals(const struct hr_downloader *d, long now_ms,
    struct hr_download_totals *t);

#endif
