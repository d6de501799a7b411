/*
 * uploader.c — the queue of scans a client sends in the background
 * (uploader.h explains the life of a file and the flow control).
 *
 * Requests carry a small context (struct up_req) naming the upload by id
 * and by its generation: a reset (a cut link, a refused chunk) bumps the
 * generation, so the answers to requests made before it are counted out
 * of the window and otherwise ignored.
 */
#include "proto/uploader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "proto/filehash.h"
#include "proto/fileio.h"
#include "proto/filetype.h"
#include "proto/method_names.h"
#include "proto/mpread.h"
#include "proto/rpc.h"

#define UP_CHUNK_START   16384u          /* before the rate is known */
#define UP_CHUNK_CAP     (256u * 1024u)  /* ours, below the server's */
#define UP_WINDOW_CAP    (4u << 20)
#define UP_RATE_SPAN_MS  2000L
#define UP_SAMPLES       32
#define UP_RETRIES       3
#define UP_BACKOFF_MIN   1000L
#define UP_BACKOFF_MAX   30000L

enum up_kind { REQ_BEGIN, REQ_CHUNK, REQ_PROVE };

struct up {
	unsigned  id, gen;
	int       state;
	int64_t   app;
	char      doc[HR_UPLOAD_DOC_MAX + 1];
	char      name[HR_UPLOAD_NAME_MAX + 1];
	char     *path;
	int       type;
	uint64_t  size;
	struct timespec mtime;
	int       fd;
	uint64_t  hashed;
	crypto_generichash_state hs;
	uint8_t   hash[HR_FILE_HASH_LEN];
	int64_t   server_id;
	uint64_t  acked, next, sent;
	uint8_t   challenge[HR_FILE_HASH_LEN];
	uint64_t  proved;              /* bytes of the proof hashed */
	int64_t   attachment;
	int       dedup, retries;
	long      retry_at, backoff;
	struct hr_error err;
};

struct up_req {
	struct hr_uploader *u;
	unsigned            id, gen;
	int                 kind;
	size_t              len;       /* chunk bytes in the window */
	long                sent_at;
};

struct hr_uploader {
	struct hr_client  *c;
	struct up        **ups;
	size_t             n, cap;
	unsigned           next_id;
	uint64_t           file_max, chunk_max, window_max;
	uint64_t           inflight;   /* chunk bytes not yet answered */
	uint64_t           acked_total, wire_sent, chunks_sent;
	double             srtt, rate; /* the least round trip seen (s, 0:
	                                  none yet); bytes per second */
	double             carry;      /* bytes/s one chunk has shown (below) */
	long               carry_at;
	struct { long t; uint64_t acked; } samp[UP_SAMPLES];
	int                nsamp;
	long               now;
	uint8_t           *buf;        /* a chunk's bytes, UP_CHUNK_CAP */
	hr_upload_done_fn *done;
	void              *done_ud;
};

/* ---- the queue ---------------------------------------------------------- */

struct hr_uploader *
hr_uploader_new(struct hr_client *c)
{
	struct hr_uploader *u = calloc(1, sizeof *u);

	if (u == NULL)
		return NULL;
	u->c = c;
	u->next_id = 1;
	return u;
}

static void
up_close(struct up *p)
{
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
}

static void
up_free(struct up *p)
{
	up_close(p);
	free(p->path);
	free(p);
}

void
hr_uploader_free(struct hr_uploader *u)
{
	if (u == NULL)
		return;
	for (size_t i = 0; i < u->n; i++)
		up_free(u->ups[i]);
	free(u->ups);
	free(u->buf);
	free(u);
}

void
hr_uploader_on_done(struct hr_uploader *u, hr_upload_done_fn *fn, void *ud)
{
	u->done = fn;
	u->done_ud = ud;
}

void
hr_uploader_set_limits(struct hr_uploader *u, uint64_t file_max,
    uint64_t chunk_max)
{
	u->file_max = file_max;
	u->chunk_max = chunk_max;
}

void
hr_uploader_set_window_max(struct hr_uploader *u, uint64_t bytes)
{
	u->window_max = bytes;
}

static struct up *
up_find(const struct hr_uploader *u, unsigned id)
{
	for (size_t i = 0; i < u->n; i++)
		if (u->ups[i]->id == id)
			return u->ups[i];
	return NULL;
}

static void
up_info(const struct up *p, struct hr_upload_info *o)
{
	memset(o, 0, sizeof *o);
	o->id = p->id;
	o->state = p->state;
	o->application = p->app;
	memcpy(o->document, p->doc, sizeof o->document);
	memcpy(o->name, p->name, sizeof o->name);
	o->path = p->path;
	o->type = p->type;
	o->size = p->size;
	o->acked = p->acked;
	o->sent = p->sent;
	o->hashed = p->hashed;
	o->attachment = p->attachment;
	o->deduplicated = p->dedup;
	o->err = p->err;
}

/* The end of a file's way: tell the caller. */
static void
up_end(struct hr_uploader *u, struct up *p, int state,
    const struct hr_error *why)
{
	struct hr_upload_info info;

	p->state = state;
	p->gen++;
	up_close(p);
	if (why != NULL)
		p->err = *why;
	if (u->done != NULL) {
		up_info(p, &info);
		u->done(u->done_ud, &info);
	}
}

/* ---- looking at a file -------------------------------------------------- */

/* The checks of hr_upload_check_file on an open descriptor. */
static int
check_fd(int fd, const char *path, uint64_t file_max, int *type,
    uint64_t *size, struct timespec *mtime, struct hr_error *err)
{
	static uint8_t tail[HR_FILETYPE_TAIL];
	uint8_t head[HR_FILETYPE_HEAD];
	struct stat sb;
	size_t nh, nt;
	int t;

	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode))
		return hr_errorf(err, HR_E_IO, "upload.not_file", "{file} is not "
		    "a file", HR_STR("file", path));
	if (sb.st_size == 0)
		return hr_errorf(err, HR_E_INVALID, "upload.empty", "{file} is "
		    "empty (0 bytes)", HR_STR("file", path));
	if (file_max > 0 && (uint64_t)sb.st_size > file_max)
		return hr_errorf(err, HR_E_TOO_LARGE, "upload.file_max_local",
		    "{file} is {size} bytes; the server accepts at most {max} "
		    "bytes per file", HR_STR("file", path),
		    HR_INT("size", sb.st_size), HR_INT("max", file_max));
	nh = (size_t)(sb.st_size < HR_FILETYPE_HEAD ? sb.st_size :
	    HR_FILETYPE_HEAD);
	nt = (size_t)(sb.st_size < HR_FILETYPE_TAIL ? sb.st_size :
	    HR_FILETYPE_TAIL);
	if (hr_pread_full(fd, head, nh, 0) < 0 ||
	    hr_pread_full(fd, tail, nt, (uint64_t)sb.st_size - nt) < 0)
		return hr_errorf(err, HR_E_IO, "upload.read", "cannot read "
		    "{file}: {why}", HR_STR("file", path),
		    HR_STR("why", strerror(errno ? errno : EIO)));
	if ((t = hr_filetype_sniff(head, nh)) == HR_FT_NONE)
		return hr_errorf(err, HR_E_INVALID, "upload.not_scan_local",
		    "{file} is not a JPEG, PNG, PDF or TIFF scan",
		    HR_STR("file", path));
	if (hr_filetype_check(t, head, nh, tail, nt, (uint64_t)sb.st_size,
	    err) < 0)
		return hr_error_prefix(err, "{file}", HR_STR("file", path));
	if (type != NULL)
		*type = t;
	if (size != NULL)
		*size = (uint64_t)sb.st_size;
	if (mtime != NULL)
		*mtime = sb.st_mtim;
	return 0;
}

int
hr_upload_check_file(const char *path, uint64_t file_max, int *type,
    uint64_t *size, struct hr_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

	if (fd < 0)
		return hr_errorf(err, HR_E_IO, "upload.open", "cannot open "
		    "{file}: {why}", HR_STR("file", path),
		    HR_STR("why", strerror(errno)));
	rc = check_fd(fd, path, file_max, type, size, NULL, err);
	close(fd);
	return rc;
}

static const char *
base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL && s[1] != '\0' ? s + 1 : path;
}

/* Room for one more entry; -1 when out of memory. */
static int
up_grow(struct hr_uploader *u)
{
	size_t cap;
	struct up **np;

	if (u->n < u->cap)
		return 0;
	cap = u->cap ? u->cap * 2 : 8;
	if ((np = realloc(u->ups, cap * sizeof *np)) == NULL)
		return -1;
	u->ups = np;
	u->cap = cap;
	return 0;
}

/* The same file on its way to the same application and document? */
static int
up_queued(const struct hr_uploader *u, const char *path, int64_t app,
    const char *doc)
{
	for (size_t i = 0; i < u->n; i++) {
		const struct up *p = u->ups[i];

		if (p->app == app && p->state != HR_UP_FAILED &&
		    p->state != HR_UP_DONE && strcmp(p->doc, doc) == 0 &&
		    strcmp(p->path, path) == 0)
			return 1;
	}
	return 0;
}

unsigned
hr_uploader_add(struct hr_uploader *u, const char *path, int64_t application,
    const char *document, struct hr_error *err)
{
	struct up *p = NULL;

	if (strlen(document) > HR_UPLOAD_DOC_MAX || document[0] == '\0') {
		hr_error_set(err, HR_E_INTERNAL, "bad document code");
		return 0;
	}
	if (hr_upload_check_file(path, u->file_max, NULL, NULL, err) < 0)
		return 0;
	if (up_queued(u, path, application, document)) {
		hr_errorf(err, HR_E_DUPLICATE, "upload.queued", "{file} is being "
		    "attached already", HR_STR("file", path));
		return 0;
	}
	if (up_grow(u) < 0 || (p = calloc(1, sizeof *p)) == NULL ||
	    (p->path = strdup(path)) == NULL) {
		free(p);
		hr_error_set(err, HR_E_INTERNAL, "out of memory");
		return 0;
	}
	p->id = u->next_id++;
	p->fd = -1;
	p->app = application;
	p->state = HR_UP_QUEUED;
	snprintf(p->doc, sizeof p->doc, "%s", document);
	snprintf(p->name, sizeof p->name, "%s", base_name(path));
	u->ups[u->n++] = p;
	return p->id;
}

/* Back to the start: checked and hashed again (a retry, a changed file). */
static void
up_requeue(struct up *p)
{
	up_close(p);
	p->gen++;
	p->state = HR_UP_QUEUED;
	p->hashed = p->acked = p->next = p->proved = 0;
	p->server_id = 0;
	p->retries = 0;
	p->backoff = 0;
	p->retry_at = 0;
	hr_error_clear(&p->err);
}

void
hr_uploader_retry(struct hr_uploader *u, unsigned id)
{
	struct up *p = up_find(u, id);

	if (p != NULL && p->state == HR_UP_FAILED)
		up_requeue(p);
}

/* Take entry `id` out of the queue; tell the server when `cancel`. */
static void
up_remove(struct hr_uploader *u, unsigned id, int cancel)
{
	struct up *p;
	size_t i;

	for (i = 0; i < u->n && u->ups[i]->id != id; i++)
		;
	if (i == u->n)
		return;
	p = u->ups[i];
	if (cancel && p->server_id > 0 && p->state != HR_UP_DONE &&
	    hr_client_state(u->c) == HR_CS_READY) {
		msgpack_packer *pk = hr_client_begin(u->c, HR_M_UPLOAD_CANCEL);

		msgpack_pack_map(pk, 1);
		hr_pack_kv_int(pk, "upload", p->server_id);
		(void)hr_client_send(u->c, NULL, NULL);
	}
	memmove(&u->ups[i], &u->ups[i + 1], (u->n - i - 1) * sizeof u->ups[0]);
	u->n--;
	up_free(p);
}

void
hr_uploader_cancel(struct hr_uploader *u, unsigned id)
{
	up_remove(u, id, 1);
}

void
hr_uploader_forget(struct hr_uploader *u, unsigned id)
{
	up_remove(u, id, 0);
}

void
hr_uploader_prune(struct hr_uploader *u)
{
	size_t k = 0;

	for (size_t i = 0; i < u->n; i++) {
		if (u->ups[i]->state == HR_UP_DONE ||
		    u->ups[i]->state == HR_UP_FAILED)
			up_free(u->ups[i]);
		else
			u->ups[k++] = u->ups[i];
	}
	u->n = k;
}

/* ---- the rate and the window ------------------------------------------ */

/*
 * Record the bytes acknowledged so far; the rate is measured from the
 * oldest sample of the last UP_RATE_SPAN_MS (the start of the burst when
 * it is younger).
 */
static void
rate_sample(struct hr_uploader *u)
{
	int i = 0;
	long span;

	if (u->nsamp == UP_SAMPLES) {
		memmove(&u->samp[0], &u->samp[1], (UP_SAMPLES - 1) *
		    sizeof u->samp[0]);
		u->nsamp--;
	}
	u->samp[u->nsamp].t = u->now;
	u->samp[u->nsamp].acked = u->acked_total;
	u->nsamp++;
	while (i < u->nsamp - 2 && u->now - u->samp[i].t > UP_RATE_SPAN_MS)
		i++;
	span = u->now - u->samp[i].t;
	if (u->nsamp >= 2 && span >= 20)
		u->rate = (double)(u->acked_total - u->samp[i].acked) * 1000.0 /
		    (double)span;
}

/*
 * What one chunk has shown the link carries: its bytes over its round
 * trip, the best of the last UP_RATE_SPAN_MS.  Like the rate, it is never
 * more than the link's own (a chunk's round trip holds its time on the
 * link), but it does not fall when many clients share a busy server: the
 * rate is what this client got through the window lately, and with
 * chunks sized by it alone a slow moment shrank the chunks, more chunks
 * made more write requests for the server, and its answers came slower
 * still (SCANS.md, session 9: 2.5 chunks a 200 KB file on loopback).
 * On a slow link the rate is the larger (the chunks queue behind each
 * other on the link, so each one's round trip is long).
 */
static void
carry_sample(struct hr_uploader *u, size_t len, long sent_at)
{
	long ms = u->now - sent_at;
	double v = (double)len * 1000.0 / (double)(ms > 0 ? ms : 1);

	if (v > u->carry || u->now - u->carry_at > UP_RATE_SPAN_MS) {
		u->carry = v;
		u->carry_at = u->now;
	}
}

/* The link's rate as far as it is known (bytes/s), 0 before any reply. */
static double
up_link_rate(const struct hr_uploader *u)
{
	return u->rate > u->carry ? u->rate : u->carry;
}

static uint64_t
up_chunk_len(const struct hr_uploader *u)
{
	uint64_t cap = UP_CHUNK_CAP, c;
	double rate = up_link_rate(u);

	if (u->chunk_max > 0 && u->chunk_max < cap)
		cap = u->chunk_max;
	c = rate > 0 ? (uint64_t)(rate * HR_UPLOAD_CHUNK_TIME) : UP_CHUNK_START;
	if (c < HR_UPLOAD_CHUNK_MIN)
		c = HR_UPLOAD_CHUNK_MIN;
	c = (c + 1023) / 1024 * 1024;
	return c > cap ? cap : c;
}

/* The next chunk of p: `chunk` bytes, or the rest of the file when that
 * is at most half a chunk more (no runt chunk: one request fewer, at most
 * 1.5 x HR_UPLOAD_CHUNK_TIME on the link), within the server's limit. */
static uint64_t
up_next_len(const struct hr_uploader *u, const struct up *p, uint64_t chunk)
{
	uint64_t left = p->size - p->next;

	if (left <= chunk + chunk / 2 &&
	    (u->chunk_max == 0 || left <= u->chunk_max) && left <= UP_CHUNK_CAP)
		return left;
	return chunk;
}

/* CLOCK_MONOTONIC in ms (the clock hr_uploader_step is given), never
 * before `last`. */
static long
up_clock_ms(long last)
{
	struct timespec ts;
	long ms;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return last;
	ms = (long)ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
	return ms > last ? ms : last;
}

/* A request's round trip: the least one seen is the link's own (a chunk's
 * includes its time on the link), what the window must cover. */
static void
rtt_sample(struct hr_uploader *u, long sent_at)
{
	double rtt = (double)(u->now - sent_at) / 1000.0;

	if (rtt > 0 && (u->srtt <= 0 || rtt < u->srtt))
		u->srtt = rtt;
}

/*
 * Bytes that may be on their way: the link's rate times its round trip
 * and half a second more, so the link never waits for an acknowledgement
 * while the queue before it stays short (a form's request waits behind
 * at most that much); two chunks before the rate is known.
 */
static uint64_t
up_window(const struct hr_uploader *u, uint64_t chunk)
{
	uint64_t w = 2 * chunk;

	uint64_t cap = u->window_max > 0 && u->window_max < UP_WINDOW_CAP ?
	    u->window_max : UP_WINDOW_CAP;
	double rate = up_link_rate(u);

	if (rate > 0) {
		double bdp = rate * ((u->srtt > 0 ? u->srtt : 0.5) +
		    HR_UPLOAD_CHUNK_TIME);

		if (bdp > (double)w)
			w = bdp > (double)cap ? cap : (uint64_t)bdp;
	}
	return w < cap ? w : cap;
}

/* ---- requests ------------------------------------------------------------ */

static struct up_req *
req_new(struct hr_uploader *u, struct up *p, int kind, size_t len)
{
	struct up_req *r = malloc(sizeof *r);

	if (r != NULL)
		*r = (struct up_req){ u, p->id, p->gen, kind, len, u->now };
	return r;
}

/* After a failure worth retrying: begin again later (resume). */
static void
up_reset(struct hr_uploader *u, struct up *p, long delay)
{
	p->gen++;
	p->state = HR_UP_READY;
	p->next = p->acked;
	if (delay > 0) {
		p->backoff = p->backoff ? p->backoff * 2 : delay;
		if (p->backoff > UP_BACKOFF_MAX)
			p->backoff = UP_BACKOFF_MAX;
		p->retry_at = u->now + p->backoff;
	}
}

/* Which failures end a file, which are tried again. */
static void
up_failed(struct hr_uploader *u, struct up *p, int kind,
    const struct hr_error *err)
{
	switch (err->code) {
	case HR_E_DISCONNECTED:
	case HR_E_TIMEOUT:
		up_reset(u, p, 0);              /* when online again */
		return;
	case HR_E_BUSY:
	case HR_E_INTERNAL:
	case HR_E_IO:
		up_reset(u, p, UP_BACKOFF_MIN);
		return;
	case HR_E_DUPLICATE:
		/* Attached already as this document: after a cut, the last
		 * chunk's reply was lost while the server finished the file. */
		if (kind == REQ_BEGIN) {
			p->acked = p->size;
			up_end(u, p, HR_UP_DONE, NULL);
			return;
		}
		break;
	case HR_E_STATE:
	case HR_E_NOT_FOUND:
	case HR_E_INVALID:
	case HR_E_FORBIDDEN:
		/* A chunk out of step, an upload gone, a damaged chunk, a proof
		 * that failed: begin again, which also says if the application
		 * may still take the file.  Not for ever. */
		if (kind != REQ_BEGIN && ++p->retries <= UP_RETRIES) {
			up_reset(u, p, 0);
			return;
		}
		break;
	}
	up_end(u, p, HR_UP_FAILED, err);
}

static void
on_done_attached(struct hr_uploader *u, struct up *p,
    const msgpack_object *res, int dedup)
{
	p->attachment = hr_val_int(hr_val_get(hr_val_get(res, "attachment"),
	    "id"), 0);
	p->acked = p->size;
	p->dedup = dedup;
	up_end(u, p, HR_UP_DONE, NULL);
}

static void
on_begin(struct hr_uploader *u, struct up *p, const struct up_req *r,
    const msgpack_object *res)
{
	const msgpack_object *ch = hr_val_get(res, "challenge");
	int64_t off = hr_val_int(hr_val_get(res, "offset"), -1);
	int64_t cmax = hr_val_int(hr_val_get(res, "chunk_max"), 0);
	struct hr_error e;

	rtt_sample(u, r->sent_at);
	if (cmax > 0 && (u->chunk_max == 0 || (uint64_t)cmax < u->chunk_max))
		u->chunk_max = (uint64_t)cmax;
	p->server_id = hr_val_int(hr_val_get(res, "upload"), 0);
	p->backoff = 0;
	if (ch != NULL && ch->type == MSGPACK_OBJECT_BIN &&
	    ch->via.bin.size == HR_FILE_HASH_LEN) {
		memcpy(p->challenge, ch->via.bin.ptr, HR_FILE_HASH_LEN);
		p->proved = 0;
		crypto_generichash_init(&p->hs, p->challenge, HR_FILE_HASH_LEN,
		    HR_FILE_HASH_LEN);
		p->state = HR_UP_PROVING;
		return;
	}
	if (p->server_id <= 0 || off < 0 || (uint64_t)off >= p->size) {
		hr_errorf(&e, HR_E_PROTOCOL, "upload.reply", "the server's "
		    "reply to upload.begin is not one this client understands");
		up_end(u, p, HR_UP_FAILED, &e);
		return;
	}
	p->acked = p->next = (uint64_t)off;
	p->state = HR_UP_SENDING;
}

static void
on_chunk(struct hr_uploader *u, struct up *p, const msgpack_object *res)
{
	int64_t off = hr_val_int(hr_val_get(res, "offset"), -1);
	uint64_t before = p->acked;

	if (off > 0 && (uint64_t)off > p->acked && (uint64_t)off <= p->size) {
		p->acked = (uint64_t)off;
		u->acked_total += p->acked - before;
		rate_sample(u);
	}
	p->retries = 0;
	if (hr_val_get(res, "attachment") != NULL)
		on_done_attached(u, p, res, 0);
}

static void
up_reply(void *ud, const struct hr_msg *reply, const struct hr_error *err)
{
	struct up_req *r = ud;
	struct hr_uploader *u = r->u;
	struct up *p = up_find(u, r->id);

	/* Round trips end now, not at the caller's last step (which may be
	 * a poll of up to a second ago). */
	u->now = up_clock_ms(u->now);
	if (p != NULL && p->gen == r->gen) {
		if (reply == NULL || err->code != HR_OK)
			up_failed(u, p, r->kind, err);
		else if (r->kind == REQ_BEGIN)
			on_begin(u, p, r, &reply->result);
		else if (r->kind == REQ_CHUNK) {
			rtt_sample(u, r->sent_at);
			carry_sample(u, r->len, r->sent_at);
			on_chunk(u, p, &reply->result);
		}
		else
			on_done_attached(u, p, &reply->result, 1);
	}
	/* p may be gone now (the done callback may prune): only u and r. */
	if (r->kind == REQ_CHUNK) {
		u->inflight -= r->len <= u->inflight ? r->len : u->inflight;
		if (u->inflight == 0)
			u->nsamp = 0;            /* idle: the next burst measures anew */
	}
	free(r);
}

static int
up_send(struct hr_uploader *u, struct up *p, int kind, size_t len)
{
	struct up_req *r = req_new(u, p, kind, len);

	if (r == NULL)
		return -1;
	if (hr_client_send(u->c, up_reply, r) == 0) {
		free(r);
		return -1;
	}
	return 0;
}

static int
send_begin(struct hr_uploader *u, struct up *p)
{
	msgpack_packer *pk = hr_client_begin(u->c, HR_M_UPLOAD_BEGIN);

	msgpack_pack_map(pk, 5);
	hr_pack_kv_int(pk, "application", p->app);
	hr_pack_kv_str(pk, "document", p->doc);
	hr_pack_kv_str(pk, "name", p->name);
	hr_pack_kv_int(pk, "size", (int64_t)p->size);
	hr_pack_kv_bin(pk, "hash", p->hash, HR_FILE_HASH_LEN);
	if (up_send(u, p, REQ_BEGIN, 0) < 0)
		return -1;
	p->state = HR_UP_BEGUN;
	return 0;
}

/*
 * The next `len` bytes of p as an upload.chunk.  They are read from the
 * file straight into the request being built (hr_client_reserve), not
 * into a buffer the packer copies again: on a fast link every scan's
 * bytes pass here, and that second copy of 200 KB was about 6 % of the
 * benchmark clients' CPU (SCANS.md, session 11).  A request left unsent
 * (the file cannot be read) is cleared by the next hr_client_begin.
 */
static int
send_chunk(struct hr_uploader *u, struct up *p, uint64_t len)
{
	uint8_t h[HR_FILE_HASH_LEN], *data;
	msgpack_packer *pk;
	struct hr_error e;

	pk = hr_client_begin(u->c, HR_M_UPLOAD_CHUNK);
	msgpack_pack_map(pk, 4);
	hr_pack_kv_int(pk, "upload", p->server_id);
	hr_pack_kv_int(pk, "offset", (int64_t)p->next);
	hr_pack_str(pk, "data");
	msgpack_pack_bin(pk, (size_t)len);
	if ((data = hr_client_reserve(u->c, (size_t)len)) == NULL)
		return -1;                     /* out of memory: try later */
	if (hr_pread_full(p->fd, data, (size_t)len, p->next) < 0) {
		hr_errorf(&e, HR_E_IO, "upload.read", "cannot read {file}: {why}",
		    HR_STR("file", p->path), HR_STR("why", strerror(errno ?
		    errno : EIO)));
		up_end(u, p, HR_UP_FAILED, &e);
		return -1;
	}
	/* One chunk, the whole file: its hash is the file's, known already
	 * (if the file changed since, the server refuses the chunk as
	 * damaged and the begin that follows finds the change). */
	if (p->next == 0 && len == p->size)
		memcpy(h, p->hash, HR_FILE_HASH_LEN);
	else
		hr_filehash_mem(data, (size_t)len, h);
	hr_pack_kv_bin(pk, "hash", h, HR_FILE_HASH_LEN);
	if (up_send(u, p, REQ_CHUNK, (size_t)len) < 0)
		return -1;
	if (u->inflight == 0 && u->nsamp == 0)
		rate_sample(u);                /* the start of a burst */
	u->inflight += len;
	p->next += len;
	p->sent += len;
	u->wire_sent += len;
	u->chunks_sent++;
	return 0;
}

static int
send_prove(struct hr_uploader *u, struct up *p)
{
	uint8_t proof[HR_FILE_HASH_LEN];
	msgpack_packer *pk;

	crypto_generichash_final(&p->hs, proof, HR_FILE_HASH_LEN);
	pk = hr_client_begin(u->c, HR_M_UPLOAD_PROVE);
	msgpack_pack_map(pk, 2);
	hr_pack_kv_int(pk, "upload", p->server_id);
	hr_pack_kv_bin(pk, "proof", proof, HR_FILE_HASH_LEN);
	if (up_send(u, p, REQ_PROVE, 0) < 0)
		return -1;
	p->proved = p->size + 1;               /* sent: wait for the reply */
	return 0;
}

/* ---- local work: checks and hashes -------------------------------------- */

/* Open and check a queued file; 0 ready to hash, -1 it ended (FAILED). */
static int
up_open(struct hr_uploader *u, struct up *p)
{
	struct hr_error e;

	hr_error_clear(&e);
	p->fd = open(p->path, O_RDONLY | O_CLOEXEC);
	if (p->fd < 0) {
		hr_errorf(&e, HR_E_IO, "upload.open", "cannot open {file}: {why}",
		    HR_STR("file", p->path), HR_STR("why", strerror(errno)));
		up_end(u, p, HR_UP_FAILED, &e);
		return -1;
	}
	if (check_fd(p->fd, p->path, u->file_max, &p->type, &p->size,
	    &p->mtime, &e) < 0) {
		up_end(u, p, HR_UP_FAILED, &e);
		return -1;
	}
	crypto_generichash_init(&p->hs, NULL, 0, HR_FILE_HASH_LEN);
	p->hashed = 0;
	return 0;
}

/* Hash at most *budget more bytes of the file (or of its proof). */
static int
up_hash_some(struct hr_uploader *u, struct up *p, uint64_t *done,
    uint64_t *budget, uint8_t *buf, size_t cap)
{
	struct hr_error e;

	while (*done < p->size && *budget > 0) {
		size_t want = (size_t)(p->size - *done < cap ? p->size - *done :
		    cap);

		if (want > *budget)
			want = (size_t)*budget;
		if (hr_pread_full(p->fd, buf, want, *done) < 0) {
			hr_errorf(&e, HR_E_IO, "upload.read", "cannot read "
			    "{file}: {why}", HR_STR("file", p->path),
			    HR_STR("why", strerror(errno ? errno : EIO)));
			up_end(u, p, HR_UP_FAILED, &e);
			return -1;
		}
		crypto_generichash_update(&p->hs, buf, want);
		*done += want;
		*budget -= want;
	}
	return 0;
}

/* Has the file changed since it was hashed?  Then it starts anew. */
static int
up_changed(struct up *p)
{
	struct stat sb;

	if (fstat(p->fd, &sb) != 0 || (uint64_t)sb.st_size != p->size ||
	    sb.st_mtim.tv_sec != p->mtime.tv_sec ||
	    sb.st_mtim.tv_nsec != p->mtime.tv_nsec) {
		up_requeue(p);
		return 1;
	}
	return 0;
}

/* Checks and hashing within the step's budget; 1 when work is left. */
static int
step_local(struct hr_uploader *u, uint8_t *buf, size_t cap)
{
	uint64_t budget = HR_UPLOAD_STEP_BYTES;

	for (size_t i = 0; i < u->n && budget > 0; i++) {
		struct up *p = u->ups[i];

		if (p->state == HR_UP_QUEUED && p->fd < 0 && up_open(u, p) < 0)
			continue;
		if (p->state == HR_UP_QUEUED) {
			if (up_hash_some(u, p, &p->hashed, &budget, buf, cap) < 0)
				continue;
			if (p->hashed == p->size) {
				crypto_generichash_final(&p->hs, p->hash,
				    HR_FILE_HASH_LEN);
				p->state = HR_UP_READY;
			}
		} else if (p->state == HR_UP_PROVING && p->proved < p->size)
			(void)up_hash_some(u, p, &p->proved, &budget, buf, cap);
	}
	for (size_t i = 0; i < u->n; i++)
		if (u->ups[i]->state == HR_UP_QUEUED ||
		    (u->ups[i]->state == HR_UP_PROVING &&
		    u->ups[i]->proved < u->ups[i]->size))
			return 1;
	return 0;
}

/* ---- the step ------------------------------------------------------------- */

static void
step_requests(struct hr_uploader *u)
{
	uint64_t chunk = up_chunk_len(u), window = up_window(u, chunk);

	for (size_t i = 0; i < u->n; i++) {
		struct up *p = u->ups[i];

		if (p->state == HR_UP_READY && p->retry_at <= u->now &&
		    !up_changed(p))
			(void)send_begin(u, p);
		else if (p->state == HR_UP_PROVING && p->proved == p->size)
			(void)send_prove(u, p);
	}
	/* Chunks in queue order while less than the window is on its way:
	 * the last one may pass it, so a window between two chunks does not
	 * round down and leave the link waiting for an acknowledgement. */
	for (size_t i = 0; i < u->n; i++) {
		struct up *p = u->ups[i];

		while (p->state == HR_UP_SENDING && p->next < p->size &&
		    u->inflight < window) {
			uint64_t len = up_next_len(u, p, chunk);

			if (send_chunk(u, p, len) < 0)
				return;
		}
		if (p->state == HR_UP_SENDING && p->next < p->size)
			return;                 /* the window is full */
	}
}

int
hr_uploader_step(struct hr_uploader *u, int online, long now_ms)
{
	int more;

	u->now = now_ms;
	if (u->n == 0)
		return 0;
	if (u->buf == NULL && (u->buf = malloc(UP_CHUNK_CAP)) == NULL)
		return 1;
	more = step_local(u, u->buf, UP_CHUNK_CAP);
	if (online && hr_client_state(u->c) == HR_CS_READY)
		step_requests(u);
	return more;
}

/* ---- what the caller shows ------------------------------------------------ */

size_t
hr_uploader_count(const struct hr_uploader *u)
{
	return u->n;
}

int
hr_uploader_get(const struct hr_uploader *u, size_t i,
    struct hr_upload_info *out)
{
	if (i >= u->n)
		return -1;
	up_info(u->ups[i], out);
	return 0;
}

void
hr_uploader_totals(const struct hr_uploader *u, long now_ms,
    struct hr_upload_totals *t)
{
	memset(t, 0, sizeof *t);
	t->files = u->n;
	for (size_t i = 0; i < u->n; i++) {
		const struct up *p = u->ups[i];

		if (p->state == HR_UP_DONE || p->state == HR_UP_FAILED)
			continue;
		t->active++;
		t->bytes += p->size;
		t->acked += p->acked;
	}
	/* A rate not refreshed for a while is no rate. */
	t->rate = u->nsamp > 0 && now_ms - u->samp[u->nsamp - 1].t < 10000 ?
	    u->rate : 0;
	t->eta = t->rate > 0 ? (double)(t->bytes - t->acked) / t->rate : -1;
	t->wire_sent = u->wire_sent;
	t->chunks = u->chunks_sent;
}

/* ---- the saved queue -------------------------------------------------------- */

int
hr_uploader_save(const struct hr_uploader *u, FILE *f)
{
	for (size_t i = 0; i < u->n; i++) {
		const struct up *p = u->ups[i];

		if (p->state == HR_UP_DONE || p->state == HR_UP_FAILED ||
		    strchr(p->path, '\n') != NULL)
			continue;
		if (fprintf(f, "upload\t%lld\t%s\t%s\n", (long long)p->app,
		    p->doc, p->path) < 0)
			return -1;
	}
	return fflush(f) == 0 ? 0 : -1;
}

int
hr_uploader_load(struct hr_uploader *u, FILE *f, struct hr_error *err)
{
	char line[4096 + 128];

	while (fgets(line, sizeof line, f) != NULL) {
		char *app, *doc, *path, *end;
		long long id;
		struct hr_error e;

		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "upload\t", 7) != 0)
			continue;
		app = line + 7;
		if ((doc = strchr(app, '\t')) == NULL)
			continue;
		*doc++ = '\0';
		if ((path = strchr(doc, '\t')) == NULL)
			continue;
		*path++ = '\0';
		id = strtoll(app, &end, 10);
		if (*end != '\0' || id <= 0 || path[0] != '/')
			continue;
		/* A file gone or changed into something else is dropped: the
		 * caller may show why from its own list. */
		(void)hr_uploader_add(u, path, id, doc, &e);
	}
	if (ferror(f))
		return hr_errorf(err, HR_E_IO, "upload.saved", "cannot read the "
		    "saved uploads: {why}", HR_STR("why", strerror(errno)));
	return 0;
}
