/*
 * method_upload_prove.c — `upload.prove`: attach a file the store holds
 * already without sending it, by proving to have it.
 *
 * upload.begin answered with a random challenge because the store has a
 * file of this hash (another application's scan, an earlier attempt).
 * Knowing a hash is not having the file — hashes travel in *.DAT exports
 * — so the client proves it has the bytes: proof = BLAKE2b-256 keyed with
 * the challenge over the whole file.  The server computes the same over
 * its stored copy; a wrong proof ends the challenge (begin again: the
 * bytes must then be sent), a right one attaches the stored file.
 */
#include "srvd/method_table.h"

#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "proto/mpread.h"
#include "srvd/upload.h"

#define PROVE_BUF 65536u

enum { P_UPLOAD, P_PROOF, P__COUNT };

static const struct hr_field fields[P__COUNT] = {
	[P_UPLOAD] = { "upload", HR_F_INT, HR_F_REQUIRED, 1, INT64_MAX },
	[P_PROOF]  = { "proof",  HR_F_BIN, HR_F_REQUIRED, 0, HR_FILE_HASH_LEN },
};
const struct hr_schema method_upload_prove_params = { fields, P__COUNT, 0 };

/* BLAKE2b-256 keyed with the challenge over the stored file. */
static int
prove_expected(struct srv_req *rq, const struct db_upload *u,
    uint8_t out[HR_FILE_HASH_LEN], struct hr_error *err)
{
	crypto_generichash_state st;
	uint8_t buf[PROVE_BUF];
	uint64_t size = 0, off = 0;
	int fd;

	if (hr_store_open_file(&rq->uploads->store, u->hash, &fd, &size,
	    err) < 0)
		return hr_error_recode(err, HR_E_INTERNAL);
	crypto_generichash_init(&st, u->challenge, HR_FILE_HASH_LEN,
	    HR_FILE_HASH_LEN);
	while (off < size) {
		ssize_t n = pread(fd, buf, sizeof buf, (off_t)off);

		if (n <= 0) {
			close(fd);
			return hr_error_set(err, HR_E_INTERNAL, "upload %" PRId64
			    ": cannot read its stored file", u->id);
		}
		crypto_generichash_update(&st, buf, (size_t)n);
		off += (uint64_t)n;
	}
	close(fd);
	crypto_generichash_final(&st, out, HR_FILE_HASH_LEN);
	return 0;
}

static int
prove_apply(struct srv_req *rq, struct db_upload *u, const struct db_app *a,
    struct hr_error *err)
{
	const msgpack_object *p = rq->vals[P_PROOF];
	uint8_t want[HR_FILE_HASH_LEN];

	if (!u->has_challenge)
		return hr_errorf(err, HR_E_STATE, "upload.nothing_to_prove",
		    "upload {upload}: there is nothing to prove; send the file "
		    "with upload.chunk", HR_INT("upload", u->id));
	if (p->via.bin.size != HR_FILE_HASH_LEN)
		return hr_errorf(err, HR_E_PARAMS, "upload.hash_size",
		    "must be {size} bytes", HR_INT("size", HR_FILE_HASH_LEN)),
		    hr_error_at(err, "proof");
	if (upload_app_room(rq, a->id, u->size, u->id, err) < 0 ||
	    prove_expected(rq, u, want, err) < 0)
		return -1;
	if (sodium_memcmp(want, p->via.bin.ptr, HR_FILE_HASH_LEN) != 0) {
		/* One guess per challenge: the next begin makes a new one. */
		if (db_upload_challenge(rq->db, u->id, NULL, err) < 0)
			return -1;
		rq->keep = 1;
		return hr_errorf(err, HR_E_FORBIDDEN, "upload.proof", "upload "
		    "{upload}: the proof does not match the file; begin the "
		    "upload again", HR_INT("upload", u->id));
	}
	msgpack_pack_map(rq->pk, 1);
	return upload_attach(rq, u, a, NULL, err);
}

int
method_upload_prove(struct srv_req *rq, struct hr_error *err)
{
	return upload_run(rq, hr_val_int(rq->vals[P_UPLOAD], 0), prove_apply,
	    err);
}
