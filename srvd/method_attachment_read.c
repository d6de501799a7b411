/*
 * method_attachment_read.c — `attachment.read`: the bytes of a scan, a
 * piece at a time, to save it on the clerk's PC.
 *
 * Visible as its application is (the scope rules of application.get);
 * otherwise not found, worded as for an id that does not exist.
 *
 * A scan holds persons' data, so reading it is audited as a read of
 * personal data ("attachment.read"): once per reading, not once per
 * piece.  The read that starts at byte 0 is audited and returns a token;
 * the pieces after it must carry that token, which the server checks
 * without keeping anything: BLAKE2b-128 keyed with a secret drawn at
 * start, over the user, the attachment and its content.  A token stays
 * good for the server's life; after a restart the client reads from byte
 * 0 again (audited again).  A piece never starts elsewhere unaudited.
 *
 * Runs on a query thread: it reads the store through &rq->uploads->store, whose
 * descriptors do not change while the server runs.
 */
#include "srvd/method_table.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "db/attachments.h"
#include "db/filestore.h"
#include "proto/mpread.h"
#include "proto/rpc.h"
#include "srvd/intake.h"
#include "srvd/request_audit.h"
#include "srvd/session.h"
#include "srvd/upload.h"

#define READ_TOKEN_LEN 16u

enum { P_ID, P_OFFSET, P_LENGTH, P_TOKEN, P__COUNT };

static const struct hr_field fields[P__COUNT] = {
	[P_ID]     = { "id",     HR_F_INT, HR_F_REQUIRED, 1, INT64_MAX },
	[P_OFFSET] = { "offset", HR_F_INT, HR_F_NULLABLE, 0, INT64_MAX },
	[P_LENGTH] = { "length", HR_F_INT, HR_F_REQUIRED, 1, UPLOAD_CHUNK_MAX },
	[P_TOKEN]  = { "token",  HR_F_BIN, HR_F_NULLABLE, 0, READ_TOKEN_LEN },
};
const struct hr_schema method_attachment_read_params = { fields, P__COUNT, 0 };

static uint8_t        read_key[crypto_generichash_KEYBYTES];
static pthread_once_t read_key_once = PTHREAD_ONCE_INIT;

static void
read_key_init(void)
{
	randombytes_buf(read_key, sizeof read_key);
}

static void
read_token(int64_t user_id, const struct db_attachment *a,
    uint8_t out[READ_TOKEN_LEN])
{
	crypto_generichash_state st;
	uint8_t ids[16];

	pthread_once(&read_key_once, read_key_init);
	for (int i = 0; i < 8; i++) {
		ids[i] = (uint8_t)((uint64_t)user_id >> (8 * i));
		ids[8 + i] = (uint8_t)((uint64_t)a->id >> (8 * i));
	}
	crypto_generichash_init(&st, read_key, sizeof read_key, READ_TOKEN_LEN);
	crypto_generichash_update(&st, (const uint8_t *)"hromada read token",
	    18);
	crypto_generichash_update(&st, ids, sizeof ids);
	crypto_generichash_update(&st, a->hash, HR_FILE_HASH_LEN);
	crypto_generichash_final(&st, out, READ_TOKEN_LEN);
}

/* What the attachment is, copied out of the row. */
struct read_what {
	struct db_attachment a;
	char doc[64], name[UPLOAD_NAME_MAX + 1], type[8];
};

static int
read_cb(void *ud, const struct db_attachment *a)
{
	struct read_what *w = ud;

	w->a = *a;
	snprintf(w->doc, sizeof w->doc, "%s", a->doc_code);
	snprintf(w->name, sizeof w->name, "%s", a->name);
	snprintf(w->type, sizeof w->type, "%s", a->type);
	w->a.doc_code = w->doc;
	w->a.name = w->name;
	w->a.type = w->type;
	w->a.user = w->a.full_name = NULL;
	return 0;
}

/* The attachment, if this user sees its application. */
static int
read_find(struct srv_req *rq, int64_t id, struct read_what *w,
    char *reg_no, size_t cap, struct hr_error *err)
{
	struct db_app app;
	int found = 0;

	if (db_attachment_get(rq->db, id, read_cb, w, &found, err) < 0)
		return -1;
	if (found && intake_app_load(rq, w->a.application_id, &app, err) == 0) {
		snprintf(reg_no, cap, "%s", app.reg_no ? app.reg_no : "(draft)");
		db_app_free(&app);
		return 0;
	}
	if (found && err->code != HR_E_NOT_FOUND)
		return -1;
	return hr_errorf(err, HR_E_NOT_FOUND, "attachment.not_found",
	    "attachment {id} not found", HR_INT("id", id));
}

static int
read_bytes(struct srv_req *rq, const struct read_what *w, int64_t offset,
    size_t len, uint8_t *buf, struct hr_error *err)
{
	uint64_t size = 0;
	size_t got = 0;
	int fd = -1;

	if (hr_store_open_file(&rq->uploads->store, w->a.hash, &fd, &size, err) == 0 &&
	    size != (uint64_t)w->a.size) {
		close(fd);
		fd = -1;
	}
	if (fd < 0)
		return hr_error_set(err, HR_E_INTERNAL, "the stored file of "
		    "attachment %" PRId64 " is missing or damaged; tell the "
		    "administrator (hromadactl files verify)", w->a.id);
	while (got < len) {
		ssize_t n = pread(fd, buf + got, len - got,
		    (off_t)(offset + (int64_t)got));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			return hr_error_set(err, HR_E_INTERNAL, "cannot read the "
			    "stored file of attachment %" PRId64, w->a.id);
		}
		got += (size_t)n;
	}
	close(fd);
	return 0;
}

int
method_attachment_read(struct srv_req *rq, struct hr_error *err)
{
	int64_t id = hr_val_int(rq->vals[P_ID], 0);
	int64_t offset = hr_val_int(rq->vals[P_OFFSET], 0);
	const msgpack_object *tk = rq->vals[P_TOKEN];
	uint8_t token[READ_TOKEN_LEN], *buf;
	struct read_what w;
	char reg_no[32], object[32], detail[160];
	size_t len;

	if (read_find(rq, id, &w, reg_no, sizeof reg_no, err) < 0)
		return -1;
	read_token(rq->sess->user_id, &w.a, token);
	if (offset > w.a.size)
		return hr_errorf(err, HR_E_INVALID, "attachment.offset", "past "
		    "the end of the {size}-byte file", HR_INT("size", w.a.size)),
		    hr_error_at(err, "offset");
	if (offset > 0 && (tk == NULL || tk->via.bin.size != READ_TOKEN_LEN ||
	    sodium_memcmp(tk->via.bin.ptr, token, READ_TOKEN_LEN) != 0))
		return hr_errorf(err, HR_E_INVALID, "attachment.token", "a read "
		    "that does not start at byte 0 carries the token of the read "
		    "that did (read from byte 0 again)"),
		    hr_error_at(err, "token");
	len = (size_t)hr_val_int(rq->vals[P_LENGTH], 1);
	if ((int64_t)len > w.a.size - offset)
		len = (size_t)(w.a.size - offset);
	if ((buf = malloc(len ? len : 1)) == NULL)
		return hr_errorf(err, HR_E_BUSY, "server.memory",
		    "the server is short of memory; try again");
	if (read_bytes(rq, &w, offset, len, buf, err) < 0) {
		free(buf);
		return -1;
	}
	msgpack_pack_map(rq->pk, 7);
	hr_pack_kv_int(rq->pk, "size", w.a.size);
	hr_pack_kv_bin(rq->pk, "hash", w.a.hash, HR_FILE_HASH_LEN);
	hr_pack_kv_str(rq->pk, "type", w.type);
	hr_pack_kv_str(rq->pk, "name", w.name);
	hr_pack_kv_str(rq->pk, "document", w.doc);
	hr_pack_kv_bin(rq->pk, "data", buf, len);
	hr_pack_kv_bin(rq->pk, "token", token, READ_TOKEN_LEN);
	free(buf);
	if (offset > 0)
		return 0;
	snprintf(object, sizeof object, "attachment:%" PRId64, id);
	snprintf(detail, sizeof detail, "application %s (id %" PRId64 "), %s",
	    reg_no, w.a.application_id, w.doc);
	return srv_audit(rq, "attachment.read", object, detail, err);
}
