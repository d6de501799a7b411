/*
 * method_upload_chunk.c — `upload.chunk`: the next bytes of an upload.
 *
 *   the upload is this user's (else NOT_FOUND) -> its application still
 *   visible and editable -> no proof pending -> the chunk starts where the
 *   server's bytes end (else STATE naming the offset to send from) and
 *   stays within the file -> its hash is right (else INVALID: damaged,
 *   send it again) -> the first chunk is the start of a JPEG, PNG, PDF or
 *   TIFF (else the upload is dropped)
 *   -> the bytes are written to the partial file, which the group commit
 *   fsyncs before the row that counts them commits (upload.h)
 *   -> the last byte: the whole file's hash and its end are checked (else
 *   the upload is dropped), the file is renamed into the store, its
 *   directory fsync'd with it, recorded, and attached (upload_attach).
 *   A scan that comes whole in one chunk is written into a file made
 *   ahead without a name (spares.h) and linked into the store instead:
 *   no partial file, and no inode search on the event loop.  With a hash
 *   thread (prehash.h) that file comes written already: the loop checks,
 *   links and records, and the bytes never touch it.
 *
 * A refused chunk changes nothing: what was acknowledged before stays.
 * A dropped upload (the file is not what it claims to be) leaves nothing
 * behind; the client must begin again with the right file.
 */
#include "srvd/method_table.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include "proto/fileio.h"
#include "proto/filetype.h"
#include "proto/mpread.h"
#include "proto/rpc.h"
#include "srvd/commit.h"
#include "srvd/log.h"
#include "srvd/server.h"
#include "srvd/spares.h"
#include "srvd/upload.h"

enum { P_UPLOAD, P_OFFSET, P_DATA, P_HASH, P__COUNT };

static const struct hr_field fields[P__COUNT] = {
	[P_UPLOAD] = { "upload", HR_F_INT, HR_F_REQUIRED, 1, INT64_MAX },
	[P_OFFSET] = { "offset", HR_F_INT, HR_F_REQUIRED, 0, INT64_MAX },
	[P_DATA]   = { "data",   HR_F_BIN, HR_F_REQUIRED, 0, UPLOAD_CHUNK_MAX },
	[P_HASH]   = { "hash",   HR_F_BIN, HR_F_REQUIRED, 0, HR_FILE_HASH_LEN },
};
const struct hr_schema method_upload_chunk_params = { fields, P__COUNT, 0 };

/* What a refused file costs: the upload is dropped and the refusal kept
 * (rq->keep), so the drop commits although the reply is an error, which
 * says so in front ("upload N was cancelled: why"). */
static int
chunk_refuse(struct srv_req *rq, const struct db_upload *u,
    struct hr_error *err)
{
	struct hr_error e;

	hr_error_clear(&e);
	if (upload_drop(rq, u->id, &e) < 0) {
		log_error("upload %" PRId64 ": cannot drop it: %s", u->id, e.msg);
		return -1;
	}
	rq->keep = 1;
	return hr_error_prefix(err, "upload {upload} was cancelled",
	    HR_INT("upload", u->id));
}

/* Checks that need no bytes written: order, bounds, the chunk's hash
 * (`got`: the hash of `data`, computed here or ahead: `pre`). */
static int
chunk_checks(const struct db_upload *u, int64_t offset, const uint8_t *data,
    size_t len, const uint8_t *hash, const struct srv_hashed *pre,
    uint8_t got[HR_FILE_HASH_LEN], struct hr_error *err)
{

	if (u->has_challenge)
		return hr_errorf(err, HR_E_STATE, "upload.prove_instead",
		    "upload {upload}: the server has this file already; prove it "
		    "with upload.prove instead of sending it",
		    HR_INT("upload", u->id));
	if (offset != u->received)
		return hr_errorf(err, HR_E_STATE, "upload.offset", "upload "
		    "{upload}: the chunk starts at byte {offset} but the server "
		    "holds {received} bytes; send from byte {received}",
		    HR_INT("upload", u->id), HR_INT("offset", offset),
		    HR_INT("received", u->received));
	if (len == 0 || (int64_t)len > u->size - offset)
		return hr_errorf(err, HR_E_INVALID, "upload.past_end", "{n} bytes "
		    "at byte {offset} pass the end of the {size}-byte file",
		    HR_INT("n", len), HR_INT("offset", offset),
		    HR_INT("size", u->size)), hr_error_at(err, "data");
	if (pre != NULL && pre->at == data && pre->n == len)
		memcpy(got, pre->hash, HR_FILE_HASH_LEN);
	else
		hr_filehash_mem(data, len, got);
	if (sodium_memcmp(got, hash, HR_FILE_HASH_LEN) != 0)
		return hr_errorf(err, HR_E_INVALID, "upload.chunk_hash", "the "
		    "chunk at byte {offset} does not match its hash (damaged on "
		    "the way); nothing was stored, send it again",
		    HR_INT("offset", offset)), hr_error_at(err, "hash");
	if (offset == 0 && (int64_t)len < u->size && len < HR_FILETYPE_HEAD)
		return hr_errorf(err, HR_E_INVALID, "upload.first_chunk", "the "
		    "first chunk must hold at least the first {n} bytes",
		    HR_INT("n", HR_FILETYPE_HEAD)), hr_error_at(err, "data");
	return 0;
}

/*
 * The bytes into the partial file.  A chunk that is not the last has the
 * file fsync'd with its batch (`sync`); the last one's file is registered
 * by file_publish after its rename instead, so that both its syncs follow
 * the rename (below).
 */
static int
chunk_write_failed(int64_t id, int e, struct hr_error *err)
{
	hr_error_set(err, e == ENOSPC || e == EDQUOT ? HR_E_NO_SPACE : HR_E_IO,
	    "upload %" PRId64 ": cannot store the chunk: %s", id, strerror(e));
	log_warning("%s", err->msg);
	return upload_store_err(err);
}

static int
chunk_write(int64_t id, int fd, int64_t offset, const uint8_t *data,
    size_t len, struct hr_error *err)
{
	if (hr_pwrite_full(fd, data, len, offset) == 0)
		return 0;
	return chunk_write_failed(id, errno, err);
}

static int
chunk_store(struct srv_req *rq, struct upload_open *o, int64_t offset,
    const uint8_t *data, size_t len, int sync, struct hr_error *err)
{
	if (chunk_write(o->id, o->fd, offset, data, len, err) < 0)
		return -1;
	return sync ? commit_sync(&rq->srv->commit, o->fd, err) : 0;
}

/*
 * The last byte is there: the whole file is what begin said it is.  `got`
 * is the whole file's hash: o's state finished, or the chunk's own hash
 * when one chunk carried the whole file.  The last chunk (`data`, `len`
 * bytes at `offset`, ending at the file's end) holds its tail, and its
 * head too when it is the whole file; what it does not hold is read back.
 */
static int
file_checks(const struct db_upload *u, int fd, const char *type,
    const uint8_t got[HR_FILE_HASH_LEN], const uint8_t *data, int64_t offset,
    size_t len, struct hr_error *err)
{
	static uint8_t tail[HR_FILETYPE_TAIL];   /* the loop thread's only */
	uint8_t head[HR_FILETYPE_HEAD];
	const uint8_t *hp = head, *tp = tail;
	size_t nh = (size_t)(u->size < HR_FILETYPE_HEAD ? u->size :
	    HR_FILETYPE_HEAD);
	size_t nt = (size_t)(u->size < HR_FILETYPE_TAIL ? u->size :
	    HR_FILETYPE_TAIL);

	if (sodium_memcmp(got, u->hash, HR_FILE_HASH_LEN) != 0)
		return hr_errorf(err, HR_E_INVALID, "upload.file_hash", "the "
		    "{size} bytes received do not have the hash upload.begin "
		    "gave", HR_INT("size", u->size));
	if (offset == 0)
		hp = data;
	else if (hr_pread_full(fd, head, nh, 0) < 0)
		goto unread;
	if (len >= nt)
		tp = data + len - nt;
	else if (hr_pread_full(fd, tail, nt, u->size - (int64_t)nt) < 0)
		goto unread;
	return hr_filetype_check(hr_filetype_from_name(type), hp, nh, tp,
	    nt, (uint64_t)u->size, err);
unread:
	return hr_error_set(err, HR_E_INTERNAL, "upload %" PRId64 ": cannot "
	    "read the file back: %s", u->id, strerror(errno));
}

/*
 * Into the store, fsync'd with its directory before the rows commit;
 * recorded as *f.  The file is registered for its fsync after the rename,
 * then its directory.  Synced before the rename, a new file's fsync also
 * writes the directory it was made in (ext4 without a journal syncs a new
 * file's parent; with one, it commits the creation), DIR/partial, which
 * every upload shares -- and the store's directory is written again by
 * its own fsync.  After the rename the file's fsync writes the store's
 * directory, whose fsync then has nothing left to write: one block
 * request a file fewer (SCANS.md, session 8), and no directory that
 * concurrent syncs (commit_set_syncers) queue on.
 */
static int
file_publish(struct srv_req *rq, const struct db_upload *u, int *fd,
    int unnamed, const char *type, struct db_file *f, struct hr_error *err)
{
	struct srv_uploads *ups = rq->uploads;
	int dir_fd = -1, top_fd = -1, rc;

	/* Its bytes end at the file's end: uploads_take left the partial
	 * file exactly the acknowledged bytes long, and the last chunk's
	 * bytes followed them up to the size (a spare: all of them). */
	rc = unnamed ? hr_store_publish_unnamed(&ups->store, *fd, u->hash,
	    &dir_fd, &top_fd, err) : hr_store_publish(&ups->store, u->id,
	    u->hash, &dir_fd, &top_fd, err);
	if (rc < 0) {
		log_warning("upload %" PRId64 ": %s", u->id, err->msg);
		upload_store_err(err);
	}
	/* Their descriptors go to the commit's fsyncs, which close them: the
	 * partial's is the stored file's now (the caller forgets o). */
	if (rc == 0) {
		rc = commit_sync_give(&rq->srv->commit, *fd, err);
		*fd = -1;
	}
	if (rc == 0) {
		rc = commit_sync_give(&rq->srv->commit, dir_fd, err);
		dir_fd = -1;
	}
	if (rc == 0 && top_fd >= 0) {
		rc = commit_sync_give(&rq->srv->commit, top_fd, err);
		top_fd = -1;
	}
	if (dir_fd >= 0)
		close(dir_fd);
	if (top_fd >= 0)
		close(top_fd);
	if (rc < 0)
		return -1;
	memset(f, 0, sizeof *f);
	f->size = u->size;
	f->stored_at = db_now();
	memcpy(f->hash, u->hash, sizeof f->hash);
	snprintf(f->type, sizeof f->type, "%s", type);
	return db_file_add(rq->db, f, err);
}

/* The type from the first chunk; a file that is none of ours is refused. */
static int
chunk_type(const struct db_upload *u, int64_t offset, const uint8_t *data,
    size_t len, const char **type, struct hr_error *err)
{
	*type = u->type[0] ? u->type : NULL;
	if (offset != 0)
		return 0;
	*type = hr_filetype_name(hr_filetype_sniff(data, len));
	if (*type == NULL)
		return hr_errorf(err, HR_E_INVALID, "upload.not_scan", "the file "
		    "is not a JPEG, PNG, PDF or TIFF scan (judged by its first "
		    "bytes)");
	return 0;
}

/*
 * A file made ahead for a whole scan (spares.h), -1 when none: the one
 * the hash thread wrote `data` into (*written 1, *werr its errno, 0 when
 * all went), else one taken now (*written 0).  Ours to close.
 */
static int
chunk_spare(struct srv_req *rq, const uint8_t *data, size_t len,
    int *written, int *werr)
{
	struct srv_hashed *pre = rq->hashed;
	int fd;

	*written = 0;
	*werr = 0;
	if (pre != NULL && pre->spare >= 0 && pre->at == data &&
	    pre->n == len) {
		fd = pre->spare;
		pre->spare = -1;
		*written = 1;
		*werr = pre->spare_errno;
		return fd;
	}
	return spares_take(rq->uploads->spares);
}

/*
 * A scan in one chunk, into a file made ahead (spares.h, `fd`, ours to
 * close) -- written already when `written` (`werr` why not, or 0) --:
 * written, checked, linked into the store and recorded as the last chunk
 * of any upload is -- no partial file, no open upload.
 */
static int
chunk_whole(struct srv_req *rq, const struct db_upload *u,
    const struct db_app *a, int fd, int written, int werr,
    const uint8_t *data, size_t len, const char *type,
    const uint8_t got[HR_FILE_HASH_LEN], struct hr_error *err)
{
	struct db_file f;
	int rc;

	uploads_forget(rq->uploads, u->id);    /* an earlier try's, if any */
	if (!written)
		rc = chunk_write(u->id, fd, 0, data, len, err);
	else
		rc = werr == 0 ? 0 : chunk_write_failed(u->id, werr, err);
	if (rc == 0 && file_checks(u, fd, type, got, data, 0, len, err) < 0) {
		close(fd);
		return chunk_refuse(rq, u, err);
	}
	if (rc == 0)
		rc = file_publish(rq, u, &fd, 1, type, &f, err);
	if (fd >= 0)
		close(fd);
	if (rc < 0)
		return -1;
	msgpack_pack_map(rq->pk, 2);
	hr_pack_kv_int(rq->pk, "offset", u->size);
	return upload_attach(rq, u, a, &f, err);
}

static int
chunk_apply(struct srv_req *rq, struct db_upload *u, const struct db_app *a,
    struct hr_error *err)
{
	const msgpack_object *d = rq->vals[P_DATA], *h = rq->vals[P_HASH];
	const uint8_t *data = (const uint8_t *)d->via.bin.ptr;
	size_t len = d->via.bin.size;
	int64_t offset = hr_val_int(rq->vals[P_OFFSET], 0), end;
	uint8_t got[HR_FILE_HASH_LEN];
	struct upload_open *o;
	struct db_file f;
	const char *type;
	int whole, rc, fd, written, werr;

	if (h->via.bin.size != HR_FILE_HASH_LEN)
		return hr_errorf(err, HR_E_PARAMS, "upload.hash_size",
		    "must be {size} bytes", HR_INT("size", HR_FILE_HASH_LEN)),
		    hr_error_at(err, "hash");
	if (chunk_checks(u, offset, data, len, (const uint8_t *)h->via.bin.ptr,
	    rq->hashed, got, err) < 0)
		return -1;
	/* One chunk, the whole file: its hash is the file's, not hashed twice. */
	whole = offset == 0 && (int64_t)len == u->size;
	if (chunk_type(u, offset, data, len, &type, err) < 0)
		return chunk_refuse(rq, u, err);
	if (whole && (fd = chunk_spare(rq, data, len, &written, &werr)) >= 0)
		return chunk_whole(rq, u, a, fd, written, werr, data, len, type,
		    got, err);
	if (uploads_take(rq->uploads, u->id, u->received, &o, err) < 0)
		return err->code == HR_E_NOT_FOUND ? chunk_refuse(rq, u, err) : -1;
	end = offset + (int64_t)len;
	if (chunk_store(rq, o, offset, data, len, end < u->size, err) < 0) {
		uploads_forget(rq->uploads, u->id);
		return -1;
	}
	/* The last chunk ends the upload (its row goes in this request):
	 * nothing to count. */
	if (end < u->size && db_upload_progress(rq->db, u->id, end,
	    offset == 0 ? type : NULL, db_now(), err) < 0) {
		uploads_forget(rq->uploads, u->id);
		return -1;
	}
	if (end < u->size) {
		crypto_generichash_update(&o->state, data, len);
		o->hashed = end;
		msgpack_pack_map(rq->pk, 1);
		hr_pack_kv_int(rq->pk, "offset", end);
		return 0;
	}
	if (!whole) {
		crypto_generichash_update(&o->state, data, len);
		crypto_generichash_final(&o->state, got, HR_FILE_HASH_LEN);
	}
	o->hashed = -1;                 /* the state is spent (or unused) */
	if (file_checks(u, o->fd, type, got, data, offset, len, err) < 0)
		return chunk_refuse(rq, u, err);
	/* Forgotten however publishing went: its file may be in the store
	 * already, where a later chunk must not cut or write it; the next
	 * chunk or begin finds the partial file, or else begins anew. */
	rc = file_publish(rq, u, &o->fd, 0, type, &f, err);
	uploads_forget(rq->uploads, u->id);
	if (rc < 0)
		return -1;
	msgpack_pack_map(rq->pk, 2);
	hr_pack_kv_int(rq->pk, "offset", end);
	return upload_attach(rq, u, a, &f, err);
}

int
method_upload_chunk(struct srv_req *rq, struct hr_error *err)
{
	return upload_run(rq, hr_val_int(rq->vals[P_UPLOAD], 0), chunk_apply,
	    err);
}
