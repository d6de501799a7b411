/*
 * download.c — saving scans piece by piece (download.h).
 *
 * The server answers a connection's requests in order, so the pieces come
 * back in the order they were asked for and are appended; what was written
 * is what was received (`done`), and after a cut the reading goes on from
 * there.  Requests carry (id, generation) as in upload.c, so answers to a
 * reading that was restarted are ignored.
 */
#include "proto/download.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "proto/filehash.h"
#include "proto/method_names.h"
#include "proto/mpread.h"
#include "proto/rpc.h"

#define DL_PIECE_START  16384u
#define DL_PIECE_MIN    4096u
#define DL_PIECE_CAP    (512u * 1024u)
#define DL_WINDOW       2               /* pieces in flight */
#define DL_TOKEN_LEN    16u
#define DL_BACKOFF_MS   2000L
#define DL_NAME_MAX     255u

struct dl {
	unsigned  id, gen;
	int       state;
	int64_t   att;
	char     *dir, *name;        /* the directory and the wished name */
	char     *part, *path;       /* DEST.part; DEST once saved */
	int       fd;
	uint64_t  size, done, next;
	int       have_meta, inflight;
	uint8_t   hash[HR_FILE_HASH_LEN], token[DL_TOKEN_LEN];
	long      retry_at;
	struct hr_error err;
};

struct dl_req {
	struct hr_downloader *d;
	unsigned              id, gen;
	uint64_t              off;
	size_t                len;
	long                  sent_at;
};

struct hr_downloader {
	struct hr_client     *c;
	struct dl           **v;
	size_t                n, cap;
	unsigned              next_id;
	uint64_t              piece_max;
	double                rate;
	long                  now, rate_t0;
	uint64_t              rate_b0, total_done;
	hr_download_done_fn  *done;
	void                 *done_ud;
};

struct hr_downloader *
hr_downloader_new(struct hr_client *c)
{
	struct hr_downloader *d = calloc(1, sizeof *d);

	if (d != NULL) {
		d->c = c;
		d->next_id = 1;
	}
	return d;
}

static void
dl_free(struct dl *x)
{
	if (x->fd >= 0)
		close(x->fd);
	if (x->part != NULL && x->state != HR_DL_DONE)
		(void)unlink(x->part);
	free(x->dir);
	free(x->name);
	free(x->part);
	free(x->path);
	free(x);
}

void
hr_downloader_free(struct hr_downloader *d)
{
	if (d == NULL)
		return;
	for (size_t i = 0; i < d->n; i++)
		dl_free(d->v[i]);
	free(d->v);
	free(d);
}

void
hr_downloader_on_done(struct hr_downloader *d, hr_download_done_fn *fn,
    void *ud)
{
	d->done = fn;
	d->done_ud = ud;
}

void
hr_downloader_set_piece_max(struct hr_downloader *d, uint64_t max)
{
	d->piece_max = max;
}

static struct dl *
dl_find(const struct hr_downloader *d, unsigned id)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i]->id == id)
			return d->v[i];
	return NULL;
}

static void
dl_info(const struct dl *x, struct hr_download_info *o)
{
	memset(o, 0, sizeof *o);
	o->id = x->id;
	o->state = x->state;
	o->attachment = x->att;
	o->path = x->path != NULL ? x->path : x->name;
	o->size = x->size;
	o->done = x->done;
	o->err = x->err;
}

static void
dl_end(struct hr_downloader *d, struct dl *x, int state,
    const struct hr_error *why)
{
	struct hr_download_info in;

	x->state = state;
	x->gen++;
	if (x->fd >= 0)
		close(x->fd);
	x->fd = -1;
	if (state != HR_DL_DONE && x->part != NULL)
		(void)unlink(x->part);
	if (why != NULL)
		x->err = *why;
	if (d->done != NULL) {
		dl_info(x, &in);
		d->done(d->done_ud, &in);
	}
}

/* "dir/name" */
static char *
dl_join(const char *dir, const char *name, const char *suffix)
{
	size_t n = strlen(dir) + strlen(name) + strlen(suffix) + 2;
	char *p = malloc(n);

	if (p != NULL)
		snprintf(p, n, "%s/%s%s", dir, name, suffix);
	return p;
}

unsigned
hr_downloader_add(struct hr_downloader *d, int64_t attachment,
    const char *dir, const char *name, struct hr_error *err)
{
	const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
	struct dl *x;
	struct stat sb;

	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode) ||
	    access(dir, W_OK) != 0) {
		hr_errorf(err, HR_E_IO, "download.dir", "cannot save into {file}: "
		    "{why}", HR_STR("file", dir), HR_STR("why", strerror(errno ?
		    errno : ENOTDIR)));
		return 0;
	}
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 4;
		struct dl **nv = realloc(d->v, cap * sizeof *nv);

		if (nv == NULL) {
			hr_error_set(err, HR_E_INTERNAL, "out of memory");
			return 0;
		}
		d->v = nv;
		d->cap = cap;
	}
	if ((x = calloc(1, sizeof *x)) == NULL) {
		hr_error_set(err, HR_E_INTERNAL, "out of memory");
		return 0;
	}
	x->fd = -1;
	x->id = d->next_id++;
	x->att = attachment;
	x->dir = strdup(dir);
	x->name = strndup(base[0] && strcmp(base, ".") && strcmp(base, "..") ?
	    base : "scan", DL_NAME_MAX);
	if (x->dir == NULL || x->name == NULL ||
	    (x->part = dl_join(dir, x->name, ".part")) == NULL) {
		dl_free(x);
		hr_error_set(err, HR_E_INTERNAL, "out of memory");
		return 0;
	}
	x->state = HR_DL_QUEUED;
	d->v[d->n++] = x;
	return x->id;
}

void
hr_downloader_cancel(struct hr_downloader *d, unsigned id)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i]->id == id) {
			struct dl *x = d->v[i];

			memmove(&d->v[i], &d->v[i + 1], (d->n - i - 1) *
			    sizeof d->v[0]);
			d->n--;
			dl_free(x);
			return;
		}
}

void
hr_downloader_prune(struct hr_downloader *d)
{
	size_t k = 0;

	for (size_t i = 0; i < d->n; i++)
		if (d->v[i]->state == HR_DL_DONE || d->v[i]->state == HR_DL_FAILED)
			dl_free(d->v[i]);
		else
			d->v[k++] = d->v[i];
	d->n = k;
}

/* ---- the end: hash, then the name ---- */

/* DEST, or "name (2).ext", ... that does not exist yet: link(2) fails on
 * an existing name, so nothing is ever replaced. */
static int
dl_publish(struct dl *x, struct hr_error *err)
{
	const char *dot = strrchr(x->name, '.');
	size_t stem = dot != NULL && dot != x->name ? (size_t)(dot - x->name) :
	    strlen(x->name);

	for (int k = 1; k < 1000; k++) {
		char name[DL_NAME_MAX + 16];

		if (k == 1)
			snprintf(name, sizeof name, "%s", x->name);
		else
			snprintf(name, sizeof name, "%.*s (%d)%s", (int)stem,
			    x->name, k, x->name + stem);
		free(x->path);
		if ((x->path = dl_join(x->dir, name, "")) == NULL)
			break;
		if (link(x->part, x->path) == 0) {
			(void)unlink(x->part);
			return 0;
		}
		if (errno != EEXIST)
			return hr_errorf(err, HR_E_IO, "download.save", "cannot save "
			    "{file}: {why}", HR_STR("file", x->path),
			    HR_STR("why", strerror(errno)));
	}
	return hr_errorf(err, HR_E_IO, "download.save", "cannot save {file}: "
	    "{why}", HR_STR("file", x->name), HR_STR("why", strerror(EEXIST)));
}

static void
dl_finish(struct hr_downloader *d, struct dl *x)
{
	uint8_t got[HR_FILE_HASH_LEN];
	struct hr_error e;

	hr_error_clear(&e);
	if (fsync(x->fd) != 0)
		hr_errorf(&e, HR_E_IO, "download.save", "cannot save {file}: "
		    "{why}", HR_STR("file", x->part), HR_STR("why",
		    strerror(errno)));
	else if (hr_filehash_fd(x->fd, x->size, got, &e) == 0 &&
	    sodium_memcmp(got, x->hash, HR_FILE_HASH_LEN) != 0)
		hr_errorf(&e, HR_E_INVALID, "download.hash", "the scan received "
		    "does not have its hash: it was damaged; save it again");
	if (e.code == HR_OK && dl_publish(x, &e) == 0) {
		dl_end(d, x, HR_DL_DONE, NULL);
		return;
	}
	dl_end(d, x, HR_DL_FAILED, &e);
}

/* ---- requests ---- */

static uint64_t
dl_piece(const struct hr_downloader *d)
{
	uint64_t cap = d->piece_max > 0 && d->piece_max < DL_PIECE_CAP ?
	    d->piece_max : DL_PIECE_CAP;
	uint64_t p = d->rate > 0 ? (uint64_t)d->rate : DL_PIECE_START;

	if (p < DL_PIECE_MIN)
		p = DL_PIECE_MIN;
	return p > cap ? cap : p;
}

/* Start over from byte 0 (the server forgot the token). */
static void
dl_restart(struct dl *x)
{
	x->gen++;
	x->done = x->next = 0;
	x->have_meta = 0;
	x->inflight = 0;
	x->state = HR_DL_QUEUED;
	if (x->fd >= 0 && ftruncate(x->fd, 0) != 0) {
		close(x->fd);
		x->fd = -1;
	}
}

static int
dl_meta(struct dl *x, const msgpack_object *res)
{
	const msgpack_object *h = hr_val_get(res, "hash");
	const msgpack_object *t = hr_val_get(res, "token");
	const msgpack_object *s = hr_val_get(res, "size");

	if (h == NULL || h->type != MSGPACK_OBJECT_BIN ||
	    h->via.bin.size != HR_FILE_HASH_LEN || t == NULL ||
	    t->type != MSGPACK_OBJECT_BIN || t->via.bin.size != DL_TOKEN_LEN ||
	    s == NULL || s->type != MSGPACK_OBJECT_POSITIVE_INTEGER)
		return -1;
	memcpy(x->hash, h->via.bin.ptr, HR_FILE_HASH_LEN);
	memcpy(x->token, t->via.bin.ptr, DL_TOKEN_LEN);
	x->size = s->via.u64;
	x->have_meta = 1;
	return 0;
}

static void
dl_failed(struct hr_downloader *d, struct dl *x, const struct hr_error *err)
{
	if (err->code == HR_E_DISCONNECTED || err->code == HR_E_TIMEOUT) {
		x->gen++;
		x->inflight = 0;
		x->next = x->done;
		x->state = HR_DL_QUEUED;            /* goes on when online */
		return;
	}
	if (err->code == HR_E_BUSY || err->code == HR_E_INTERNAL) {
		x->gen++;
		x->inflight = 0;
		x->next = x->done;
		x->state = HR_DL_QUEUED;
		x->retry_at = d->now + DL_BACKOFF_MS;
		return;
	}
	if (err->code == HR_E_INVALID && x->done > 0) {
		dl_restart(x);                      /* a token of another run */
		return;
	}
	dl_end(d, x, HR_DL_FAILED, err);
}

static void
dl_piece_in(struct hr_downloader *d, struct dl *x, const struct dl_req *r,
    const msgpack_object *res)
{
	const msgpack_object *data = hr_val_get(res, "data");
	struct hr_error e;
	size_t len;
	double dt;

	if ((!x->have_meta && dl_meta(x, res) < 0) || data == NULL ||
	    data->type != MSGPACK_OBJECT_BIN || r->off != x->done ||
	    x->done + data->via.bin.size > x->size) {
		hr_errorf(&e, HR_E_PROTOCOL, "download.reply", "the server's "
		    "reply to attachment.read is not one this client "
		    "understands");
		dl_end(d, x, HR_DL_FAILED, &e);
		return;
	}
	len = data->via.bin.size;
	if (pwrite(x->fd, data->via.bin.ptr, len, (off_t)x->done) !=
	    (ssize_t)len) {
		hr_errorf(&e, HR_E_IO, "download.save", "cannot save {file}: "
		    "{why}", HR_STR("file", x->part), HR_STR("why",
		    strerror(errno ? errno : ENOSPC)));
		dl_end(d, x, HR_DL_FAILED, &e);
		return;
	}
	x->done += len;
	d->total_done += len;
	dt = (double)(d->now - d->rate_t0) / 1000.0;
	if (dt > 0.05)
		d->rate = (double)(d->total_done - d->rate_b0) / dt;
	if (x->done == x->size)
		dl_finish(d, x);
}

static void
dl_reply(void *ud, const struct hr_msg *reply, const struct hr_error *err)
{
	struct dl_req *r = ud;
	struct hr_downloader *d = r->d;
	struct dl *x = dl_find(d, r->id);

	if (x != NULL && x->gen == r->gen) {
		x->inflight--;
		if (reply == NULL || err->code != HR_OK)
			dl_failed(d, x, err);
		else
			dl_piece_in(d, x, r, &reply->result);
	}
	free(r);
}

static int
dl_send(struct hr_downloader *d, struct dl *x, uint64_t off, uint64_t len)
{
	msgpack_packer *pk = hr_client_begin(d->c, HR_M_ATTACHMENT_READ);
	struct dl_req *r = malloc(sizeof *r);

	if (r == NULL)
		return -1;
	*r = (struct dl_req){ d, x->id, x->gen, off, (size_t)len, d->now };
	msgpack_pack_map(pk, 3 + (off > 0));
	hr_pack_kv_int(pk, "id", x->att);
	hr_pack_kv_int(pk, "offset", (int64_t)off);
	hr_pack_kv_int(pk, "length", (int64_t)len);
	if (off > 0)
		hr_pack_kv_bin(pk, "token", x->token, DL_TOKEN_LEN);
	if (hr_client_send(d->c, dl_reply, r) == 0) {
		free(r);
		return -1;
	}
	x->inflight++;
	x->next = off + len;
	return 0;
}

/* The first entry not ended: the one being read (one at a time). */
static struct dl *
dl_current(struct hr_downloader *d)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i]->state == HR_DL_QUEUED ||
		    d->v[i]->state == HR_DL_READING)
			return d->v[i];
	return NULL;
}

int
hr_downloader_step(struct hr_downloader *d, int online, long now_ms)
{
	struct dl *x;
	struct hr_error e;

	d->now = now_ms;
	if ((x = dl_current(d)) == NULL || !online ||
	    hr_client_state(d->c) != HR_CS_READY || x->retry_at > now_ms)
		return 0;
	if (x->fd < 0 && (x->fd = open(x->part, O_RDWR | O_CREAT | O_CLOEXEC,
	    0600)) < 0) {
		hr_errorf(&e, HR_E_IO, "download.save", "cannot save {file}: "
		    "{why}", HR_STR("file", x->part), HR_STR("why",
		    strerror(errno)));
		dl_end(d, x, HR_DL_FAILED, &e);
		return 0;
	}
	if (x->state == HR_DL_QUEUED) {
		x->state = HR_DL_READING;
		d->rate_t0 = now_ms;
		d->rate_b0 = d->total_done;
	}
	if (!x->have_meta) {                /* the audited first piece alone */
		if (x->inflight == 0)
			(void)dl_send(d, x, 0, dl_piece(d));
		return 0;
	}
	while (x->inflight < DL_WINDOW && x->next < x->size) {
		uint64_t len = dl_piece(d);

		if (len > x->size - x->next)
			len = x->size - x->next;
		if (dl_send(d, x, x->next, len) < 0)
			break;
	}
	return 0;
}

size_t
hr_downloader_count(const struct hr_downloader *d)
{
	return d->n;
}

int
hr_downloader_get(const struct hr_downloader *d, size_t i,
    struct hr_download_info *out)
{
	if (i >= d->n)
		return -1;
	dl_info(d->v[i], out);
	return 0;
}

void
hr_downloader_totals(const struct hr_downloader *d, long now_ms,
    struct hr_download_totals *t)
{
	(void)now_ms;
	memset(t, 0, sizeof *t);
	for (size_t i = 0; i < d->n; i++) {
		const struct dl *x = d->v[i];

		if (x->state != HR_DL_QUEUED && x->state != HR_DL_READING)
			continue;
		t->active++;
		t->bytes += x->size;
		t->done += x->done;
	}
	t->rate = t->active ? d->rate : 0;
	t->eta = t->rate > 0 && t->bytes >= t->done ?
	    (double)(t->bytes - t->done) / t->rate : -1;
}
