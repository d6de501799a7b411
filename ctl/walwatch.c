/*
 * walwatch.c — following a live write-ahead log's committed frames
 * without SQLite and without a lock (see walwatch.h for why).
 *
 * The WAL format (sqlite.org/fileformat2.html#walformat): a 32-byte
 * header -- magic, version, page size, checkpoint sequence, salt-1,
 * salt-2, a checksum of the first 24 bytes -- then frames of a 24-byte
 * header (page number, the database's size in pages for a commit frame
 * else 0, the two salts, a cumulative checksum) and a page.  A frame is
 * valid when its salts are the header's and its checksum continues the
 * chain from the header through every frame before it; the valid frames
 * up to the last commit frame are the log.  A RESTART checkpoint makes the
 * next writer write the log from its beginning under new salts, salt-1
 * one higher (SQLite's walRestartHdr), so stale frames can never pass for
 * live ones -- and a watch can tell the next generation from a later one.
 *
 * Invariants:
 *   - frames up to `pos` of the current generation are consumed: valid,
 *     committed, their pages marked `touched` and in `frame`; `ck` is the
 *     chain after frame `pos`;
 *   - frames after the last commit are never consumed: a writer may still
 *     rewrite them in place (SQLite does, for a page written twice in one
 *     transaction), so each poll reads them again;
 *   - `lost` is set once and never cleared.
 */
#include "config.h"

#include "ctl/ctl.h"             /* N_ */
#include "ctl/walwatch.h"
#include "db/ckptlog.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define WAL_HDR         32
#define WAL_FRAME_HDR   24
#define WAL_MAGIC       0x377f0682u   /* | 1: checksums of big-endian words */
#define WAL_VERSION     3007000u
#define WAL_READ_FRAMES 64            /* frames a pread */
#define WAL_GAPS_MAX    65536         /* generations left to mend, at most */

/* A generation the watch could not read to its end (wal_watch_mend). */
struct wal_gap {
	uint32_t salt1, salt2;
	int      salt2_known;         /* seen: else only salt-1 is known */
	int      mended;
};

struct wal_watch {
	char       *path;             /* DB-wal */
	int         fd;               /* -1: no log file (yet) */
	dev_t       dev;
	ino_t       ino;
	int         page_size;
	int         known;            /* following a generation */
	int         began_empty;      /* no log header when the watch began */
	const char *lost;             /* NULL: complete */
	/* the current generation */
	uint32_t    salt1, salt2;
	int         be;               /* checksum words are big-endian */
	uint32_t    ck[2];            /* the chain after frame `pos` */
	uint32_t    pos;              /* frames consumed */
	uint32_t    db_pages;         /* at the newest commit consumed */
	uint32_t   *frame;            /* [pgno - 1]: newest frame, 0 none */
	size_t      frame_cap;
	uint32_t   *pending;          /* pages of the frames after `pos` */
	size_t      pending_cap;
	/* every generation */
	uint8_t    *touched;          /* bit pgno - 1 */
	size_t      touched_cap;      /* bytes */
	uint32_t    max_page;
	struct wal_gap *gap;          /* in the order the log had them */
	size_t      ngap, gap_cap;
	unsigned char *buf;           /* WAL_READ_FRAMES frames */
	uint64_t    frames, generations, mended;
	uint64_t    notes;            /* checkpoints' notes read */
};

struct wal_hdr {
	uint32_t salt1, salt2, ck[2];
	int      be;
};

static uint32_t
get_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static uint32_t
get_le32(const unsigned char *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[1] << 8 | p[0];
}

/* SQLite's walChecksumBytes: n (a multiple of 8) bytes into the chain. */
static void
wal_cksum(int be, const unsigned char *a, size_t n, uint32_t ck[2])
{
	uint32_t s1 = ck[0], s2 = ck[1];

	for (size_t i = 0; i < n; i += 8) {
		s1 += (be ? get_be32(a + i) : get_le32(a + i)) + s2;
		s2 += (be ? get_be32(a + i + 4) : get_le32(a + i + 4)) + s1;
	}
	ck[0] = s1;
	ck[1] = s2;
}

static size_t
wal_frame_size(const struct wal_watch *w)
{
	return WAL_FRAME_HDR + (size_t)w->page_size;
}

static off_t
wal_frame_off(const struct wal_watch *w, uint32_t frame)
{
	return WAL_HDR + (off_t)(frame - 1) * (off_t)wal_frame_size(w);
}

static void
wal_lose(struct wal_watch *w, const char *why)
{
	if (w->lost == NULL)
		w->lost = why;
}

/* The log's header: 1 valid (for our page size), 0 not (torn, empty). */
static int
wal_hdr_read(const struct wal_watch *w, struct wal_hdr *h)
{
	unsigned char b[WAL_HDR];
	uint32_t magic, ck[2] = { 0, 0 };

	if (w->fd < 0 || pread(w->fd, b, sizeof b, 0) != (ssize_t)sizeof b)
		return 0;
	magic = get_be32(b);
	if ((magic & ~1u) != WAL_MAGIC || get_be32(b + 4) != WAL_VERSION ||
	    get_be32(b + 8) != (uint32_t)w->page_size)
		return 0;
	h->be = (int)(magic & 1);
	wal_cksum(h->be, b, 24, ck);
	if (ck[0] != get_be32(b + 24) || ck[1] != get_be32(b + 28))
		return 0;
	h->salt1 = get_be32(b + 16);
	h->salt2 = get_be32(b + 20);
	h->ck[0] = ck[0];
	h->ck[1] = ck[1];
	return 1;
}

/* Room for index i in a zero-filled array of `size`-byte elements. */
static int
wal_room(void **v, size_t *cap, size_t i, size_t size)
{
	size_t ncap = *cap ? *cap : 1024;
	void *nv;

	if (i < *cap)
		return 0;
	while (ncap <= i)
		ncap *= 2;
	if ((nv = realloc(*v, ncap * size)) == NULL)
		return -1;
	memset((char *)nv + *cap * size, 0, (ncap - *cap) * size);
	*v = nv;
	*cap = ncap;
	return 0;
}

/* Page pg (1-based) changed since the start.  -1: out of memory. */
static int
wal_touch(struct wal_watch *w, uint32_t pg)
{
	if (wal_room((void **)&w->touched, &w->touched_cap, (pg - 1) / 8,
	    1) < 0) {
		wal_lose(w, N_("out of memory"));
		return -1;
	}
	w->touched[(pg - 1) / 8] |= (uint8_t)(1u << ((pg - 1) % 8));
	if (pg > w->max_page)
		w->max_page = pg;
	return 0;
}

/* Frames pos + 1 .. pos + n (their pages in `pending`) are committed. */
static void
wal_consume(struct wal_watch *w, uint32_t n, const uint32_t ck[2],
    uint32_t db_pages)
{
	for (uint32_t j = 0; j < n; j++) {
		uint32_t pg = w->pending[j];

		if (wal_room((void **)&w->frame, &w->frame_cap, pg - 1,
		    sizeof *w->frame) < 0) {
			wal_lose(w, N_("out of memory"));
			return;
		}
		if (wal_touch(w, pg) < 0)
			return;
		w->frame[pg - 1] = w->pos + 1 + j;
	}
	w->pos += n;
	w->frames += n;
	w->ck[0] = ck[0];
	w->ck[1] = ck[1];
	w->db_pages = db_pages;
}

/*
 * Read the current generation's frames after `pos`, consuming those up
 * to the last valid commit frame.  Returns how many frames after `pos`
 * were valid (committed or not).
 */
static uint32_t
wal_scan(struct wal_watch *w)
{
	size_t fsz = wal_frame_size(w);
	uint32_t ck[2] = { w->ck[0], w->ck[1] }, valid = 0;
	ssize_t got;

	for (;;) {
		got = pread(w->fd, w->buf, WAL_READ_FRAMES * fsz,
		    wal_frame_off(w, w->pos + valid + 1));
		if (got < (ssize_t)fsz)
			return valid;
		for (size_t k = 0; k < (size_t)got / fsz; k++) {
			const unsigned char *fr = w->buf + k * fsz;
			uint32_t pg = get_be32(fr), commit = get_be32(fr + 4);

			if (get_be32(fr + 8) != w->salt1 ||
			    get_be32(fr + 12) != w->salt2 || pg == 0)
				return valid;
			wal_cksum(w->be, fr, 8, ck);
			wal_cksum(w->be, fr + WAL_FRAME_HDR,
			    (size_t)w->page_size, ck);
			if (ck[0] != get_be32(fr + 16) ||
			    ck[1] != get_be32(fr + 20))
				return valid;
			if (wal_room((void **)&w->pending, &w->pending_cap,
			    valid, sizeof *w->pending) < 0) {
				wal_lose(w, N_("out of memory"));
				return valid;
			}
			w->pending[valid++] = pg;
			if (commit != 0) {
				wal_consume(w, valid, ck, commit);
				valid = 0;
			}
		}
		if ((size_t)got < WAL_READ_FRAMES * fsz)
			return valid;
	}
}

/* Frames with the salts of h from frame 1 on (not checksummed). */
static uint32_t
wal_count(const struct wal_watch *w, const struct wal_hdr *h)
{
	unsigned char fr[WAL_FRAME_HDR];
	uint32_t n = 0;

	while (pread(w->fd, fr, sizeof fr, wal_frame_off(w, n + 1)) ==
	    (ssize_t)sizeof fr && get_be32(fr + 8) == h->salt1 &&
	    get_be32(fr + 12) == h->salt2)
		n++;
	return n;
}

/* Frame `pos` still holds what was consumed (salts and chain). */
static int
wal_last_intact(const struct wal_watch *w)
{
	unsigned char fr[WAL_FRAME_HDR];

	if (w->pos == 0)
		return 0;
	return pread(w->fd, fr, sizeof fr, wal_frame_off(w, w->pos)) ==
	    (ssize_t)sizeof fr && get_be32(fr + 8) == w->salt1 &&
	    get_be32(fr + 12) == w->salt2 && get_be32(fr + 16) == w->ck[0] &&
	    get_be32(fr + 20) == w->ck[1];
}

static void
wal_begin(struct wal_watch *w, const struct wal_hdr *h)
{
	w->known = 1;
	w->salt1 = h->salt1;
	w->salt2 = h->salt2;
	w->be = h->be;
	w->ck[0] = h->ck[0];
	w->ck[1] = h->ck[1];
	w->pos = 0;
	w->db_pages = 0;
	if (w->frame != NULL)
		memset(w->frame, 0, w->frame_cap * sizeof *w->frame);
	w->generations++;
}

/* Generation salt1 (salt2, if known) is to be mended (wal_watch_mend). */
static void
wal_gap(struct wal_watch *w, uint32_t salt1, uint32_t salt2, int known)
{
	struct wal_gap *g;
	size_t cap;

	if (w->ngap == WAL_GAPS_MAX) {
		wal_lose(w, N_("the log restarted too often to be followed"));
		return;
	}
	if (w->ngap == w->gap_cap) {
		cap = w->gap_cap ? w->gap_cap * 2 : 16;
		if ((g = realloc(w->gap, cap * sizeof *g)) == NULL) {
			wal_lose(w, N_("out of memory"));
			return;
		}
		w->gap = g;
		w->gap_cap = cap;
	}
	w->gap[w->ngap++] = (struct wal_gap){ salt1, salt2, known, 0 };
}

/*
 * The log moved to a generation with salt-1 one higher: finish the old
 * one from where it was read to, then follow the new one.  When the new
 * one may already have overwritten what was unread of the old, the old
 * one is a gap: every page of it is in the database file by now (a log
 * restarts only once all of it was copied there), and the checkpoints
 * that copied them noted which (wal_watch_mend).
 */
static void
wal_next_generation(struct wal_watch *w, const struct wal_hdr *h)
{
	if (wal_last_intact(w)) {
		(void)wal_scan(w);
		if (wal_count(w, h) <= w->pos) {
			wal_begin(w, h);
			return;
		}
	}
	wal_gap(w, w->salt1, w->salt2, 1);
	wal_begin(w, h);
}

/* Restarted k > 1 times between two looks: the old generation and the
 * k - 1 never seen are gaps (salt-1 grows by one a restart). */
static void
wal_skipped_generations(struct wal_watch *w, const struct wal_hdr *h)
{
	uint32_t k = h->salt1 - w->salt1;

	wal_gap(w, w->salt1, w->salt2, 1);
	for (uint32_t i = 1; i < k && w->lost == NULL; i++)
		wal_gap(w, w->salt1 + i, 0, 0);
	wal_begin(w, h);
}

void
wal_watch_poll(struct wal_watch *w)
{
	struct stat st;
	struct wal_hdr h;

	if (w->lost != NULL)
		return;
	if (w->fd < 0) {
		if ((w->fd = open(w->path, O_RDONLY | O_CLOEXEC)) < 0)
			return;
		if (fstat(w->fd, &st) != 0) {
			wal_lose(w, N_("cannot read the log"));
			return;
		}
		w->dev = st.st_dev;
		w->ino = st.st_ino;
	}
	if (stat(w->path, &st) != 0 || st.st_dev != w->dev ||
	    st.st_ino != w->ino) {
		wal_lose(w, N_("the log was removed or made anew"));
		return;
	}
	if (!wal_hdr_read(w, &h)) {
		/* Torn while being rewritten: look again next time; but a
		 * log shorter than what was read was cut. */
		if (w->known && st.st_size < wal_frame_off(w, w->pos + 1))
			wal_lose(w, N_("the log was truncated"));
		return;
	}
	if (!w->known) {
		if (w->began_empty) {
			wal_lose(w, N_("the log began after the copy started"));
			return;
		}
		wal_begin(w, &h);
	} else if (h.salt1 == w->salt1 && h.salt2 == w->salt2) {
		if (st.st_size < wal_frame_off(w, w->pos + 1)) {
			wal_lose(w, N_("the log was truncated"));
			return;
		}
	} else if (h.salt1 == w->salt1 + 1) {
		wal_next_generation(w, &h);
	} else if (h.salt1 - w->salt1 > 1 && h.salt1 - w->salt1 <=
	    WAL_GAPS_MAX) {
		wal_skipped_generations(w, &h);
	} else {
		wal_lose(w, N_("the log was made anew"));
		return;
	}
	if (w->lost != NULL)
		return;
	(void)wal_scan(w);
}

int
wal_watch_open(struct wal_watch **out, const char *db, int page_size,
    struct hr_error *err)
{
	struct wal_watch *w;

	*out = NULL;
	if ((w = calloc(1, sizeof *w)) == NULL ||
	    (w->path = malloc(strlen(db) + 5)) == NULL ||
	    (w->buf = malloc(WAL_READ_FRAMES * (WAL_FRAME_HDR +
	    (size_t)page_size))) == NULL) {
		wal_watch_close(w);
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	}
	sprintf(w->path, "%s-wal", db);
	w->fd = -1;
	w->page_size = page_size;
	wal_watch_poll(w);
	if (!w->known && w->lost == NULL)
		w->began_empty = 1;
	*out = w;
	return 0;
}

void
wal_watch_close(struct wal_watch *w)
{
	if (w == NULL)
		return;
	if (w->fd >= 0)
		close(w->fd);
	free(w->path);
	free(w->frame);
	free(w->pending);
	free(w->touched);
	free(w->gap);
	free(w->buf);
	free(w);
}

/* A checkpoint's note (db/ckptlog.h): the pages of a gap's generation. */
static int
wal_mend_record(void *ud, uint32_t salt1, uint32_t salt2, uint32_t page_size,
    const uint32_t *pages, uint32_t n)
{
	struct wal_watch *w = ud;
	int hit = 0;

	w->notes++;
	for (size_t i = 0; i < w->ngap; i++) {
		struct wal_gap *g = &w->gap[i];

		if (g->salt1 != salt1 || (g->salt2_known && g->salt2 != salt2))
			continue;
		if (n == CKPTLOG_UNKNOWN || page_size != (uint32_t)w->page_size) {
			wal_lose(w, N_("a checkpoint wrote what it could not "
			    "name"));
			return 1;
		}
		g->mended = 1;
		hit = 1;
	}
	for (uint32_t j = 0; hit && j < n; j++)
		if (pages[j] > 0 && wal_touch(w, pages[j]) < 0)
			return 1;
	return 0;
}

void
wal_watch_mend(struct wal_watch *w, struct db_ckptlog *l)
{
	struct hr_error err;

	if (w->lost != NULL || w->ngap == 0)
		return;
	if (l == NULL || l->fd < 0) {
		wal_lose(w, N_("the log restarted before it was read to its "
		    "end, and no checkpoint's notes were kept"));
		return;
	}
	hr_error_clear(&err);
	if (db_ckptlog_read(l, wal_mend_record, w, &err) < 0) {
		wal_lose(w, N_("the checkpoints' notes could not be read"));
		return;
	}
	/*
	 * A gap without a note: a generation never seen was written after
	 * a look and copied into the file after it, so it must have one.
	 * The one the watch was reading needs one only if frames came after
	 * its last look (a look reads to the end) -- their checkpoint came
	 * later still and was noted, if checkpoints are noted at all, which
	 * any note proves.
	 */
	for (size_t i = 0; i < w->ngap && w->lost == NULL; i++)
		if (!w->gap[i].mended && !(w->gap[i].salt2_known &&
		    w->notes > 0))
			wal_lose(w, N_("the log restarted before it was read to "
			    "its end, and no checkpoint noted its pages"));
	if (w->lost == NULL)
		w->mended = w->ngap;
}

int
wal_watch_complete(const struct wal_watch *w, const char **why)
{
	*why = w->lost;
	if (w->lost == NULL && w->ngap > w->mended)
		*why = N_("the log restarted before it was read to its end");
	return *why == NULL;
}

uint64_t
wal_watch_mended(const struct wal_watch *w)
{
	return w->mended;
}

int
wal_watch_touched(const struct wal_watch *w, uint32_t pgno)
{
	size_t i = (size_t)pgno - 1;

	return pgno > 0 && i / 8 < w->touched_cap &&
	    (w->touched[i / 8] >> (i % 8) & 1);
}

uint32_t
wal_watch_max_page(const struct wal_watch *w)
{
	return w->max_page;
}

uint32_t
wal_watch_frame(const struct wal_watch *w, uint32_t pgno)
{
	return pgno > 0 && pgno - 1 < w->frame_cap ? w->frame[pgno - 1] : 0;
}

uint32_t
wal_watch_db_pages(const struct wal_watch *w)
{
	return w->known ? w->db_pages : 0;
}

int
wal_watch_read(struct wal_watch *w, uint32_t frame, unsigned char *buf,
    struct hr_error *err)
{
	size_t fsz = wal_frame_size(w);

	if (frame == 0 || frame > w->pos ||
	    pread(w->fd, w->buf, fsz, wal_frame_off(w, frame)) != (ssize_t)fsz)
		return hr_errorf(err, HR_E_IO, "io.read", "cannot read frame "
		    "{frame} of {file}", HR_INT("frame", frame),
		    HR_STR("file", w->path));
	if (get_be32(w->buf + 8) != w->salt1 ||
	    get_be32(w->buf + 12) != w->salt2)
		return hr_errorf(err, HR_E_BUSY, "ctl.copy_log", "{file} was "
		    "written again while it was read", HR_STR("file", w->path));
	memcpy(buf, w->buf + WAL_FRAME_HDR, (size_t)w->page_size);
	return 0;
}

int
wal_watch_same(struct wal_watch *w)
{
	struct wal_hdr h;

	if (!w->known)              /* no log then: still none */
		return !wal_hdr_read(w, &h);
	return wal_hdr_read(w, &h) && h.salt1 == w->salt1 &&
	    h.salt2 == w->salt2;
}

uint64_t
wal_watch_frames(const struct wal_watch *w)
{
	return w->frames;
}

uint64_t
wal_watch_generations(const struct wal_watch *w)
{
	return w->generations;
}
