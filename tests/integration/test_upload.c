/*
 * test_upload.c — scans attached to applications, against a real hromadad
 * on the demo database (PROTOCOL.md "Attachments").
 *
 * The demo's ЦНАП of Березівська (user cnap) has applications it may edit
 * (00039/2026 returned for rework, a partial package; 00001/2026 a draft)
 * and ones it may not (00036/2026 sent to the hromada); Шалигинська's
 * draft 00001/2026 is outside its scope.  The tests run in order:
 *
 *   - the limits a client checks first are in reference.get;
 *   - three scans attached through the client's upload queue; their
 *     stored files have their hashes, the history and the audit say so;
 *   - every bad input of the issue, each refused with its own error and
 *     leaving what was there: a zero-byte file, one over the limit, a
 *     chunk with a wrong hash, chunks out of order, a chunk for another
 *     user's upload, an application out of scope or not editable, a file
 *     that is not a scan, a file whose bytes are not what begin said;
 *   - a file the server has already is not sent again (bytes counted),
 *     and a wrong proof of having it is refused;
 *   - the link cut at a random chunk: the upload resumes where the server
 *     acknowledged, and the stored file's hash is the original's;
 *   - hromadad killed (SIGKILL) in the middle of an upload: afterwards no
 *     half file is visible, and the upload resumes; a whole file stored
 *     but not recorded (killed before its commit) is recorded and proved,
 *     a damaged one in its place sent anew;
 *   - reading a scan in pieces: scope, the token, one audit record;
 *   - detaching; sending a partial package up asks for a confirmation
 *     and records what is missing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "db/filestore.h"
#include "proto/filehash.h"
#include "proto/filetype.h"
#include "proto/method_names.h"
#include "proto/rpc.h"
#include "proto/uploader.h"
#include "srvd/prehash.h"
#include "tests/integration/intake_util.h"
#include "tests/lib/taudit.h"
#include "tests/lib/tscan.h"
#include "tests/lib/tupload.h"

/* The demo's applications the tests work on, found by their numbers (the
 * demo's ids depend on what else it loads): */
static int64_t app_rework;  /* 00039/2026, returned_front, partial, cnap's */
static int64_t app_draft;   /* 00001/2026, draft, cnap's office */
static int64_t app_sent;    /* 00036/2026, at_otg: not editable */
static int64_t app_other;   /* Шалигинська's 00001/2026, draft: not cnap's */
#define APP_REWORK app_rework
#define APP_DRAFT  app_draft
#define APP_SENT   app_sent
#define APP_OTHER  app_other
#define DEMO_APP(hromada, reg) "SELECT a.id FROM applications a JOIN " \
	"territories t ON t.id = a.hromada_id WHERE t.name LIKE '" hromada \
	"%' AND a.reg_no = '" reg "'"

static struct testsrv srv;
static struct hr_client *cnap;
static sqlite3 *db;
static char dir[TESTSRV_PATH_MAX + 32];    /* the scans on the "clerk's PC" */

/* ---- helpers ------------------------------------------------------------ */

static void
scan_path(char *out, size_t cap, const char *name)
{
	snprintf(out, cap, "%s/%s", dir, name);
}

static void
make_scan(const char *name, size_t size, int type, uint64_t seed)
{
	char p[sizeof dir + 64];

	scan_path(p, sizeof p, name);
	if (tscan_write(p, size, type, seed) != 0)
		fail_msg("cannot write %s", p);
}

static void
hash_of(const char *name, uint8_t h[HR_FILE_HASH_LEN])
{
	char p[sizeof dir + 64];
	uint8_t *b;
	size_t n;

	scan_path(p, sizeof p, name);
	assert_non_null(b = tscan_read(p, &n));
	hr_filehash_mem(b, n, h);
	free(b);
}

static int
call_begin(struct hr_client *c, int64_t app, const char *doc,
    const char *name, int64_t size, const uint8_t *hash, struct tcall *t)
{
	msgpack_packer *pk = hr_client_begin(c, HR_M_UPLOAD_BEGIN);

	msgpack_pack_map(pk, 5);
	hr_pack_kv_int(pk, "application", app);
	hr_pack_kv_str(pk, "document", doc);
	hr_pack_kv_str(pk, "name", name);
	hr_pack_kv_int(pk, "size", size);
	hr_pack_kv_bin(pk, "hash", hash, HR_FILE_HASH_LEN);
	return tcall_send_wait(c, t, IU_CALL_MS);
}

static int
call_chunk(struct hr_client *c, int64_t upload, int64_t off,
    const uint8_t *data, size_t len, const uint8_t *hash, struct tcall *t)
{
	msgpack_packer *pk = hr_client_begin(c, HR_M_UPLOAD_CHUNK);
	uint8_t h[HR_FILE_HASH_LEN];

	if (hash == NULL) {
		hr_filehash_mem(data, len, h);
		hash = h;
	}
	msgpack_pack_map(pk, 4);
	hr_pack_kv_int(pk, "upload", upload);
	hr_pack_kv_int(pk, "offset", off);
	hr_pack_kv_bin(pk, "data", data, len);
	hr_pack_kv_bin(pk, "hash", hash, HR_FILE_HASH_LEN);
	return tcall_send_wait(c, t, IU_CALL_MS);
}

static int
call_id(struct hr_client *c, const char *method, const char *key, int64_t id,
    struct tcall *t)
{
	msgpack_packer *pk = hr_client_begin(c, method);

	msgpack_pack_map(pk, 1);
	hr_pack_kv_int(pk, key, id);
	return tcall_send_wait(c, t, IU_CALL_MS);
}

/* upload.prove with `proof` as the answer to the upload's challenge. */
static int
call_prove(struct hr_client *c, int64_t upload, const uint8_t *proof,
    size_t len, struct tcall *t)
{
	msgpack_packer *pk = hr_client_begin(c, HR_M_UPLOAD_PROVE);

	msgpack_pack_map(pk, 2);
	hr_pack_kv_int(pk, "upload", upload);
	hr_pack_kv_bin(pk, "proof", proof, len);
	return tcall_send_wait(c, t, IU_CALL_MS);
}

/* upload.begin, answered `code`; the upload's id when HR_OK (and its
 * offset in *offset when not NULL), else 0. */
static int64_t
begin_call(struct hr_client *c, int64_t app, const char *doc,
    const char *name, int64_t size, const uint8_t *hash, int code,
    const char *what, int64_t *offset)
{
	struct tcall t;
	int64_t id = 0;

	tcall_init(&t);
	call_begin(c, app, doc, name, size, hash, &t);
	iu_expect(&t, code, what);
	if (code == HR_OK) {
		id = tobj_int(tobj_get(tcall_result(&t), "upload"), 0);
		if (offset != NULL)
			*offset = tobj_int(tobj_get(tcall_result(&t), "offset"),
			    -1);
	}
	tcall_free(&t);
	return id;
}

/* upload.begin by the front office's clerk is refused with `code`. */
static void
begin_expect(int64_t app, const char *doc, const char *name, int64_t size,
    const uint8_t *hash, int code, const char *what)
{
	(void)begin_call(cnap, app, doc, name, size, hash, code, what, NULL);
}

static int64_t
begin_ok(struct hr_client *c, int64_t app, const char *doc, const char *name,
    int64_t size, const uint8_t *hash, int64_t *offset)
{
	int64_t id = begin_call(c, app, doc, name, size, hash, HR_OK,
	    "upload.begin", offset);

	assert_true(id > 0);
	return id;
}

static int64_t
count(const char *sql, int64_t param)
{
	return iu_db_int(db, sql, param);
}

/* Queue files through the client's upload queue and drive it. */
static struct hr_uploader *
uploader(struct hr_client *c)
{
	struct hr_uploader *u = hr_uploader_new(c);

	assert_non_null(u);
	hr_uploader_set_limits(u, 10u << 20, 0);
	return u;
}

static unsigned
queue(struct hr_uploader *u, const char *name, int64_t app, const char *doc)
{
	char p[sizeof dir + 64];
	struct hr_error err;
	unsigned id;

	scan_path(p, sizeof p, name);
	id = hr_uploader_add(u, p, app, doc, &err);
	if (id == 0)
		fail_msg("queue %s: %s", name, err.msg);
	return id;
}

/* Does every recorded file still have its name's content? */
static void
store_all_whole(void)
{
	struct hr_store st;
	struct hr_error err;
	sqlite3_stmt *q;
	int n = 0;

	if (hr_store_open(&st, srv.db, 0, &err) != 0)
		fail_msg("store: %s", err.msg);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT hash FROM files", -1,
	    &q, NULL), SQLITE_OK);
	while (sqlite3_step(q) == SQLITE_ROW) {
		int ok = 0;

		assert_int_equal(sqlite3_column_bytes(q, 0), HR_FILE_HASH_LEN);
		if (hr_store_rehash(&st, sqlite3_column_blob(q, 0), &ok, NULL,
		    &err) != 0 || !ok)
			fail_msg("a recorded file is not whole: %s", err.msg);
		n++;
	}
	sqlite3_finalize(q);
	hr_store_close(&st);
	assert_true(n > 0);
}

/* ---- fixture ------------------------------------------------------------ */

/*
 * The hash thread checks and writes the big chunks (hash_threads 1, the
 * default since session 10; named here so that this file tests that path
 * whatever the default becomes) -- unless the run names a configuration
 * of its own (TESTSRV_CONFIG with hash_threads = 0: the loop's path).
 */
static char conf[64];

static int
hash_thread_conf(void)
{
	int fd;

	if (getenv("TESTSRV_CONFIG") != NULL)
		return 0;
	snprintf(conf, sizeof conf, "/tmp/hromada-test-upload.XXXXXX");
	if ((fd = mkstemp(conf)) < 0)
		return -1;
	if (write(fd, "hash_threads = 1\n", 17) != 17) {
		close(fd);
		return -1;
	}
	close(fd);
	return setenv("TESTSRV_CONFIG", conf, 1);
}

static int
group_setup(void **state)
{
	struct hr_error err;

	(void)state;
	testsrv_watchdog(600);
	if (hash_thread_conf() < 0) {
		fprintf(stderr, "test_upload: cannot write a configuration\n");
		return -1;
	}
	if (sodium_init() < 0 || testsrv_start(&srv, &err) != 0) {
		fprintf(stderr, "test server: %s\n", err.msg);
		return -1;
	}
	snprintf(dir, sizeof dir, "%s/pc", srv.dir);
	if (mkdir(dir, 0700) != 0)
		return -1;
	cnap = iu_login(&srv, "cnap");
	db = iu_db_open(&srv);
	app_rework = iu_db_int(db, DEMO_APP("Березівська", "00039/2026"), -1);
	app_draft = iu_db_int(db, DEMO_APP("Березівська", "00001/2026"), -1);
	app_sent = iu_db_int(db, DEMO_APP("Березівська", "00036/2026"), -1);
	app_other = iu_db_int(db, DEMO_APP("Шалигинська", "00001/2026"), -1);
	return app_rework > 0 && app_draft > 0 && app_sent > 0 &&
	    app_other > 0 ? 0 : -1;
}

static int
group_teardown(void **state)
{
	struct hr_error err;

	(void)state;
	hr_client_free(cnap);
	sqlite3_close(db);
	if (conf[0] != '\0')
		unlink(conf);
	return testsrv_finish(&srv, "hromadad", &err);
}

/* ---- the tests ------------------------------------------------------------ */

static void
test_limits(void **state)
{
	const msgpack_object *up;
	struct tcall t;

	(void)state;
	tcall_init(&t);
	tcall_empty(cnap, HR_M_REFERENCE_GET, &t, IU_CALL_MS);
	iu_expect(&t, HR_OK, "reference.get");
	up = tobj_get(tcall_result(&t), "uploads");
	assert_int_equal(tobj_int(tobj_get(up, "file_max"), 0), 10 << 20);
	assert_int_equal(tobj_int(tobj_get(up, "application_max"), 0), 50 << 20);
	assert_true(tobj_int(tobj_get(up, "chunk_max"), 0) >= 65536);
	tcall_free(&t);
}

static void
test_attach_three(void **state)
{
	struct hr_uploader *u = uploader(cnap);
	const msgpack_object *a, *att;
	int64_t audits = count("SELECT count(*) FROM audit_log WHERE action = "
	    "'attachment.add'", -1);
	int64_t hist = count("SELECT count(*) FROM application_history WHERE "
	    "application_id = ? AND event = 'attach'", APP_REWORK);
	int64_t before = count("SELECT count(*) FROM attachments WHERE "
	    "application_id = ?", APP_REWORK);
	uint8_t h[HR_FILE_HASH_LEN];
	struct tcall t;
	int found = 0;

	(void)state;
	make_scan("passport.png", 300 * 1024, HR_FT_PNG, 1);
	make_scan("income.pdf", 50 * 1024, HR_FT_PDF, 2);
	make_scan("page2.jpg", 20 * 1024, HR_FT_JPEG, 3);
	queue(u, "passport.png", APP_REWORK, "id_doc");
	queue(u, "income.pdf", APP_REWORK, "income_decl");
	queue(u, "page2.jpg", APP_REWORK, "id_doc");
	assert_int_equal(tupload_drive(cnap, u, NULL, NULL, 60000), 0);
	assert_true(tupload_all_done(u));
	hr_uploader_free(u);

	tcall_init(&t);
	iu_get(cnap, APP_REWORK, &t);
	iu_expect(&t, HR_OK, "application.get");
	a = iu_app(&t);
	att = tobj_get(a, "attachments");
	assert_int_equal(iu_len(att), before + 3);
	hash_of("passport.png", h);
	for (uint32_t i = 0; i < iu_len(att); i++) {
		const msgpack_object *x = &att->via.array.ptr[i];
		const msgpack_object *hh = tobj_get(x, "hash");

		if (hh->via.bin.size == HR_FILE_HASH_LEN &&
		    memcmp(hh->via.bin.ptr, h, HR_FILE_HASH_LEN) == 0) {
			found = 1;
			assert_true(tobj_is_str(tobj_get(x, "user"), "cnap"));
			assert_true(tobj_is_str(tobj_get(x, "type"), "png"));
			assert_true(tobj_is_str(tobj_get(x, "name"),
			    "passport.png"));
			assert_int_equal(tobj_int(tobj_get(x, "size"), 0),
			    300 * 1024);
		}
	}
	assert_true(found);
	assert_true(iu_has_str(tobj_get(a, "documents"), "id_doc"));
	assert_true(iu_has_str(tobj_get(a, "documents"), "income_decl"));
	tcall_free(&t);
	assert_int_equal(count("SELECT count(*) FROM application_history WHERE "
	    "application_id = ? AND event = 'attach'", APP_REWORK), hist + 3);
	assert_int_equal(count("SELECT count(*) FROM audit_log WHERE action = "
	    "'attachment.add'", -1), audits + 3);
	assert_int_equal(count("SELECT count(*) FROM uploads", -1), 0);
	store_all_whole();
}

static void
test_bad_begin(void **state)
{
	uint8_t h[HR_FILE_HASH_LEN];
	struct tcall t, t2;

	(void)state;
	make_scan("bad.jpg", 8192, HR_FT_JPEG, 4);
	hash_of("bad.jpg", h);
	tcall_init(&t);
	tcall_init(&t2);
	begin_expect(APP_REWORK, "id_doc", "empty.jpg", 0, h, HR_E_PARAMS,
	    "a zero-byte file");
	begin_expect(APP_REWORK, "id_doc", "huge.jpg", 11 << 20, h,
	    HR_E_TOO_LARGE, "a file over the limit");
	begin_expect(APP_REWORK, "no_such_doc", "bad.jpg", 8192, h,
	    HR_E_INVALID, "an unknown document type");
	begin_expect(APP_REWORK, "id_doc", "../../etc/x.jpg", 8192, h,
	    HR_E_INVALID, "a name with a path");
	/* Out of scope reads exactly as a missing application. */
	call_begin(cnap, APP_OTHER, "id_doc", "bad.jpg", 8192, h, &t);
	iu_expect(&t, HR_E_NOT_FOUND, "another hromada's application");
	call_begin(cnap, 999999, "id_doc", "bad.jpg", 8192, h, &t2);
	iu_expect(&t2, HR_E_NOT_FOUND, "no such application");
	assert_string_equal(strstr(t.msg, "not found"), strstr(t2.msg,
	    "not found"));
	tcall_free(&t);
	tcall_free(&t2);
	begin_expect(APP_SENT, "id_doc", "bad.jpg", 8192, h, HR_E_STATE,
	    "an application sent up");
	assert_int_equal(count("SELECT count(*) FROM uploads", -1), 0);
}

static void
test_bad_chunks(void **state)
{
	char p[sizeof dir + 64];
	uint8_t h[HR_FILE_HASH_LEN], wrong[HR_FILE_HASH_LEN] = { 1 }, *b;
	struct hr_client *sta;
	struct tcall t;
	int64_t id, off;
	size_t n;

	(void)state;
	scan_path(p, sizeof p, "bad.jpg");
	assert_non_null(b = tscan_read(p, &n));
	hash_of("bad.jpg", h);
	id = begin_ok(cnap, APP_REWORK, "rnokpp", "bad.jpg", (int64_t)n, h,
	    &off);
	assert_int_equal(off, 0);
	tcall_init(&t);

	/* A chunk damaged on the way: refused, nothing counted. */
	call_chunk(cnap, id, 0, b, 4096, wrong, &t);
	iu_expect(&t, HR_E_INVALID, "a chunk with a wrong hash");
	assert_non_null(strstr(t.msg, "send it again"));
	tcall_free(&t);
	assert_int_equal(count("SELECT received FROM uploads WHERE id = ?", id),
	    0);
	call_chunk(cnap, id, 0, b, 4096, NULL, &t);
	iu_expect(&t, HR_OK, "the chunk again");
	assert_int_equal(tobj_int(tobj_get(tcall_result(&t), "offset"), 0),
	    4096);
	tcall_free(&t);

	/* Out of order: the reply says where to go on from. */
	call_chunk(cnap, id, 6000, b + 6000, 1000, NULL, &t);
	iu_expect(&t, HR_E_STATE, "a chunk out of order");
	assert_non_null(strstr(t.msg, "send from byte 4096"));
	tcall_free(&t);
	call_chunk(cnap, id, 0, b, 4096, NULL, &t);
	iu_expect(&t, HR_E_STATE, "a chunk sent twice");
	tcall_free(&t);

	/* Another user's upload does not exist for them. */
	sta = iu_login(&srv, "sta");
	call_chunk(sta, id, 4096, b + 4096, 1024, NULL, &t);
	iu_expect(&t, HR_E_NOT_FOUND, "a chunk for another user's upload");
	tcall_free(&t);
	call_id(sta, HR_M_UPLOAD_CANCEL, "upload", id, &t);
	iu_expect(&t, HR_E_NOT_FOUND, "cancelling another user's upload");
	tcall_free(&t);
	hr_client_free(sta);
	assert_int_equal(count("SELECT received FROM uploads WHERE id = ?", id),
	    4096);

	/* The rest: attached. */
	call_chunk(cnap, id, 4096, b + 4096, n - 4096, NULL, &t);
	iu_expect(&t, HR_OK, "the last chunk");
	assert_non_null(tobj_get(tcall_result(&t), "attachment"));
	tcall_free(&t);
	free(b);

	/* A big chunk is hashed on the server's hash thread (srvd/prehash.h,
	 * hash_thread_conf): damaged, it is refused the same way; sound, it
	 * counts. */
	make_scan("bad-big.jpg", 3 * PREHASH_MIN, HR_FT_JPEG, 41);
	scan_path(p, sizeof p, "bad-big.jpg");
	assert_non_null(b = tscan_read(p, &n));
	hash_of("bad-big.jpg", h);
	id = begin_ok(cnap, APP_REWORK, "rnokpp", "bad-big.jpg", (int64_t)n, h,
	    &off);
	call_chunk(cnap, id, 0, b, 2 * PREHASH_MIN, wrong, &t);
	iu_expect(&t, HR_E_INVALID, "a big chunk with a wrong hash");
	assert_non_null(strstr(t.msg, "send it again"));
	tcall_free(&t);
	assert_int_equal(count("SELECT received FROM uploads WHERE id = ?", id),
	    0);
	call_chunk(cnap, id, 0, b, 2 * PREHASH_MIN, NULL, &t);
	iu_expect(&t, HR_OK, "the big chunk again");
	assert_int_equal(tobj_int(tobj_get(tcall_result(&t), "offset"), 0),
	    2 * PREHASH_MIN);
	tcall_free(&t);
	call_id(cnap, HR_M_UPLOAD_CANCEL, "upload", id, &t);
	iu_expect(&t, HR_OK, "cancelling it");
	tcall_free(&t);
	free(b);
}

static void
test_not_a_scan(void **state)
{
	uint8_t text[2048], h[HR_FILE_HASH_LEN], *b;
	char p[sizeof dir + 64];
	struct tcall t;
	int64_t id, files = count("SELECT count(*) FROM files", -1);
	int64_t attached = count("SELECT count(*) FROM attachments WHERE "
	    "application_id = ? AND doc_code = 'application'", APP_REWORK);
	size_t n;

	(void)state;
	/* A .pdf that is a letter: refused at its first chunk, dropped. */
	memset(text, 'x', sizeof text);
	memcpy(text, "Dear colleague,", 15);
	hr_filehash_mem(text, sizeof text, h);
	id = begin_ok(cnap, APP_REWORK, "application", "letter.pdf",
	    sizeof text, h, NULL);
	tcall_init(&t);
	call_chunk(cnap, id, 0, text, sizeof text, NULL, &t);
	iu_expect(&t, HR_E_INVALID, "a file that is not a scan");
	assert_non_null(strstr(t.msg, "not a JPEG, PNG, PDF or TIFF"));
	tcall_free(&t);
	assert_int_equal(count("SELECT count(*) FROM uploads WHERE id = ?", id),
	    0);
	snprintf(p, sizeof p, "%s/hromada.files/partial/%lld", srv.dir,
	    (long long)id);
	assert_int_not_equal(access(p, F_OK), 0);

	/* A JPEG cut short (no end marker), its hash right: refused at its
	 * end, nothing visible. */
	make_scan("cut.jpg", 9000, HR_FT_JPEG, 5);
	scan_path(p, sizeof p, "cut.jpg");
	assert_non_null(b = tscan_read(p, &n));
	n -= 100;
	hr_filehash_mem(b, n, h);
	id = begin_ok(cnap, APP_REWORK, "application", "cut.jpg", (int64_t)n,
	    h, NULL);
	call_chunk(cnap, id, 0, b, n, NULL, &t);
	iu_expect(&t, HR_E_INVALID, "a JPEG cut short");
	assert_non_null(strstr(t.msg, "cut short"));
	tcall_free(&t);

	/* Bytes that are not what begin's hash said: refused, dropped. */
	randombytes_buf(h, sizeof h);            /* nobody's file */
	id = begin_ok(cnap, APP_REWORK, "application", "liar.jpg", 8192, h,
	    NULL);
	call_chunk(cnap, id, 0, b, 8192 - 2, NULL, &t);
	iu_expect(&t, HR_OK, "the first chunk");
	tcall_free(&t);
	call_chunk(cnap, id, 8190, (const uint8_t *)"\xff\xd9", 2, NULL, &t);
	iu_expect(&t, HR_E_INVALID, "bytes of another hash");
	assert_non_null(strstr(t.msg, "do not have the hash"));
	tcall_free(&t);
	free(b);
	assert_int_equal(count("SELECT count(*) FROM uploads", -1), 0);
	assert_int_equal(count("SELECT count(*) FROM files", -1), files);
	assert_int_equal(count("SELECT count(*) FROM attachments WHERE "
	    "application_id = ? AND doc_code = 'application'", APP_REWORK),
	    attached);
}

/* ---- a file the server has: proven, not sent ---------------------------- */

static void
test_duplicate_not_resent(void **state)
{
	struct hr_uploader *u = uploader(cnap);
	struct hr_client_stats before, after;
	struct hr_upload_info in;
	uint8_t h[HR_FILE_HASH_LEN], bad[HR_FILE_HASH_LEN] = { 7 };
	struct tcall t;
	int64_t id;

	(void)state;
	/* passport.png (300 KiB) is on 00039/2026 already: the draft gets it
	 * too, and less than 2 KiB go up for it. */
	hr_client_stats(cnap, &before);
	queue(u, "passport.png", APP_DRAFT, "id_doc");
	assert_int_equal(tupload_drive(cnap, u, NULL, NULL, 30000), 0);
	assert_true(tupload_all_done(u));
	hr_client_stats(cnap, &after);
	assert_int_equal(hr_uploader_get(u, 0, &in), 0);
	fprintf(stderr, "#   a 300 KiB duplicate cost %llu bytes up, %llu of "
	    "them file bytes\n", (unsigned long long)(after.bytes_out -
	    before.bytes_out), (unsigned long long)in.sent);
	assert_true(in.deduplicated);
	assert_int_equal(in.sent, 0);
	assert_true(after.bytes_out - before.bytes_out < 2048);
	assert_int_equal(count("SELECT count(*) FROM attachments t JOIN "
	    "attachments o ON o.file_hash = t.file_hash WHERE t.application_id "
	    "= ? AND o.application_id = (" DEMO_APP("Березівська", "00039/2026")
	    ") AND t.name = 'passport.png' AND "
	    "o.name = 'passport.png'", APP_DRAFT), 1);
	hr_uploader_free(u);

	/* Knowing the hash is not having the file: a wrong proof is refused
	 * and the challenge gone. */
	hash_of("income.pdf", h);
	tcall_init(&t);
	call_begin(cnap, APP_DRAFT, "income_decl", "income.pdf", 50 * 1024, h,
	    &t);
	iu_expect(&t, HR_OK, "begin a duplicate");
	assert_non_null(tobj_get(tcall_result(&t), "challenge"));
	assert_int_equal(tobj_int(tobj_get(tcall_result(&t), "offset"), 0),
	    50 * 1024);
	id = tobj_int(tobj_get(tcall_result(&t), "upload"), 0);
	tcall_free(&t);
	call_prove(cnap, id, bad, sizeof bad, &t);
	iu_expect(&t, HR_E_FORBIDDEN, "a wrong proof");
	tcall_free(&t);
	call_prove(cnap, id, bad, sizeof bad, &t);
	iu_expect(&t, HR_E_STATE, "a second guess");
	tcall_free(&t);
	call_id(cnap, HR_M_UPLOAD_CANCEL, "upload", id, &t);
	iu_expect(&t, HR_OK, "cancel");
	tcall_free(&t);
	assert_int_equal(count("SELECT count(*) FROM attachments WHERE "
	    "application_id = ? AND doc_code = 'income_decl'", APP_DRAFT) >= 0,
	    1);
	assert_int_equal(count("SELECT count(*) FROM uploads", -1), 0);
}

/* ---- the link cut at a random chunk -------------------------------------- */

struct cut {
	uint64_t at;            /* cut once this many bytes are sent/acked */
	int      kill;          /* 0: the link drops once `at` bytes are
	                           sent; 1: hromadad is killed (-9) once `at`
	                           bytes are acknowledged */
	int      done;
};

/* The cut, once: after a dropped link what reached the server is somewhere
 * between what it acknowledged and what was sent. */
static int
cut_hook(void *ud, struct hr_client *c, struct hr_uploader *u)
{
	struct cut *k = ud;
	struct hr_upload_info in;
	struct hr_error err;

	if (k->done || hr_uploader_get(u, 0, &in) != 0 ||
	    (k->kill ? in.acked : in.sent) < k->at)
		return 0;
	k->done = 1;
	if (k->kill)
		testsrv_signal(&srv, SIGKILL, &err);
	else
		hr_client_close(c);      /* the link drops */
	return 1;
}

static void
test_resume_after_cut(void **state)
{
	struct hr_uploader *u = uploader(cnap);
	struct hr_upload_info in;
	struct hr_error err;
	uint8_t h[HR_FILE_HASH_LEN];
	struct cut k = { 0, 0, 0 };
	size_t size = 1536 * 1024;
	uint64_t acked_at_cut, sent_at_cut;
	int64_t id, off;
	int rc;

	(void)state;
	make_scan("big.pdf", size, HR_FT_PDF, 8);
	hash_of("big.pdf", h);
	/* A random chunk: somewhere in the middle of the file, chunks of at
	 * most 16 KiB, at most 64 KiB on their way. */
	k.at = 64 * 1024 + randombytes_uniform((uint32_t)(size / 2));
	hr_uploader_set_limits(u, 10u << 20, 16384);
	hr_uploader_set_window_max(u, 65536);
	queue(u, "big.pdf", APP_DRAFT, "application");
	rc = tupload_drive(cnap, u, cut_hook, &k, 60000);
	assert_int_equal(rc, 1);
	assert_int_equal(hr_uploader_get(u, 0, &in), 0);
	acked_at_cut = in.acked;
	sent_at_cut = in.sent;
	fprintf(stderr, "#   cut at %llu bytes sent (%llu acknowledged)\n",
	    (unsigned long long)sent_at_cut, (unsigned long long)acked_at_cut);
	assert_true(sent_at_cut < size);

	/* The server holds at least what it acknowledged, and keeps it. */
	hr_uploader_step(u, 0, (long)tclock_ms());    /* fails the in-flight */
	id = count("SELECT id FROM uploads WHERE application_id = ?",
	    APP_DRAFT);
	off = count("SELECT received FROM uploads WHERE id = ?", id);
	assert_true((uint64_t)off >= acked_at_cut &&
	    (uint64_t)off <= sent_at_cut);

	if (tupload_reconnect(cnap, srv.addr, IU_CALL_MS, &err) != 0)
		fail_msg("reconnect: %s", err.msg);
	assert_int_equal(tupload_drive(cnap, u, NULL, NULL, 60000), 0);
	assert_true(tupload_all_done(u));
	assert_int_equal(hr_uploader_get(u, 0, &in), 0);
	fprintf(stderr, "#   resumed from %lld: %llu file bytes sent in all "
	    "for %zu\n", (long long)off, (unsigned long long)in.sent, size);
	/* Resumed, not restarted: at most what was in flight is sent twice. */
	assert_true(in.sent < size + (sent_at_cut - acked_at_cut) + 1);
	assert_true(in.sent >= size);
	hr_uploader_free(u);

	/* The stored file's hash is the original's. */
	assert_int_equal(count("SELECT count(*) FROM attachments t JOIN files "
	    "f ON f.hash = t.file_hash WHERE t.application_id = ? AND "
	    "t.name = 'big.pdf' AND f.size = 1572864", APP_DRAFT), 1);
	{
		struct hr_store st;
		int ok = 0;

		assert_int_equal(hr_store_open(&st, srv.db, 0, &err), 0);
		assert_int_equal(hr_store_rehash(&st, h, &ok, NULL, &err), 0);
		assert_true(ok);
		hr_store_close(&st);
	}
}

/* ---- hromadad killed in the middle of an upload ----------------------------- */

static void
test_kill9_mid_upload(void **state)
{
	struct hr_uploader *u = uploader(cnap);
	struct hr_upload_info in;
	struct hr_error err;
	uint8_t h[HR_FILE_HASH_LEN];
	struct cut k = { 700 * 1024, 1, 0 };
	int64_t files, attached, received;
	int status;

	(void)state;
	make_scan("scan.png", 2048 * 1024, HR_FT_PNG, 9);
	hash_of("scan.png", h);
	files = count("SELECT count(*) FROM files", -1);
	attached = count("SELECT count(*) FROM attachments", -1);
	queue(u, "scan.png", APP_DRAFT, "rnokpp");
	hr_uploader_set_window_max(u, 131072);   /* killed mid-way, not at the end */
	assert_int_equal(tupload_drive(cnap, u, cut_hook, &k, 60000), 1);
	(void)testsrv_wait_exit(&srv, 10000, &status, &err);
	hr_uploader_get(u, 0, &in);
	fprintf(stderr, "#   killed with %llu bytes acknowledged\n",
	    (unsigned long long)in.acked);

	/* Nothing half is visible: no attachment, no file row, every
	 * recorded file whole; the acknowledged bytes kept for the resume. */
	sqlite3_close(db);
	db = iu_db_open(&srv);
	assert_int_equal(count("SELECT count(*) FROM files", -1), files);
	assert_int_equal(count("SELECT count(*) FROM attachments", -1),
	    attached);
	received = count("SELECT received FROM uploads WHERE application_id = "
	    "?", APP_DRAFT);
	assert_true((uint64_t)received >= in.acked);
	store_all_whole();

	/* Back up: the upload goes on from what was acknowledged. */
	if (testsrv_launch(&srv, 20000, &err) != 0)
		fail_msg("restart: %s", err.msg);
	hr_uploader_step(u, 0, (long)tclock_ms());
	hr_client_free(cnap);
	cnap = iu_login(&srv, "cnap");
	hr_uploader_free(u);
	u = uploader(cnap);
	queue(u, "scan.png", APP_DRAFT, "rnokpp");
	assert_int_equal(tupload_drive(cnap, u, NULL, NULL, 60000), 0);
	assert_true(tupload_all_done(u));
	hr_uploader_get(u, 0, &in);
	fprintf(stderr, "#   a restarted client resumed from %lld: %llu "
	    "bytes sent%s\n", (long long)received, (unsigned long long)in.sent,
	    in.deduplicated ? " (the whole file was in the store already, "
	    "its commit lost: proved, not sent)" : "");
	/* Killed before the last chunk: the rest is sent.  Killed between
	 * the file's rename into place and its commit: the server records
	 * the whole file it finds and the client proves it has it. */
	assert_int_equal(in.sent, in.deduplicated ? 0 :
	    2048 * 1024 - (uint64_t)received);
	hr_uploader_free(u);
	assert_int_equal(count("SELECT count(*) FROM files", -1), files + 1);
	store_all_whole();
}

/*
 * The crash between a finished file's rename into place and the commit
 * that records it, made by hand: the file is in the store, no row names
 * it, the upload's row says less was received.  The next begin records
 * the whole file it finds and the client proves it has it; nothing is
 * sent.  A damaged file in that place is not taken: it is sent anew.
 */
static void
test_stored_without_row(void **state)
{
	struct hr_uploader *u;
	struct hr_upload_info in;
	struct hr_store st;
	struct hr_error err;
	uint8_t h[HR_FILE_HASH_LEN], *b;
	char p[sizeof dir + 64];
	int64_t files;
	size_t n;

	(void)state;
	make_scan("crash.jpg", 96 * 1024, HR_FT_JPEG, 21);
	make_scan("crash2.jpg", 64 * 1024, HR_FT_JPEG, 22);
	files = count("SELECT count(*) FROM files", -1);
	assert_int_equal(hr_store_open(&st, srv.db, 0, &err), 0);
	scan_path(p, sizeof p, "crash.jpg");
	assert_non_null(b = tscan_read(p, &n));
	hr_filehash_mem(b, n, h);
	assert_int_equal(hr_store_put(&st, b, n, h, 0, &err), 0);
	free(b);
	/* crash2.jpg's place holds other bytes: not its content. */
	scan_path(p, sizeof p, "crash2.jpg");
	assert_non_null(b = tscan_read(p, &n));
	hr_filehash_mem(b, n, h);
	b[100] ^= 1;
	assert_int_equal(hr_store_put(&st, b, n, h, 0, &err), 0);
	free(b);
	hr_store_close(&st);

	u = uploader(cnap);
	queue(u, "crash.jpg", APP_DRAFT, "income_decl");
	queue(u, "crash2.jpg", APP_DRAFT, "income_decl");
	assert_int_equal(tupload_drive(cnap, u, NULL, NULL, 30000), 0);
	assert_true(tupload_all_done(u));
	assert_int_equal(hr_uploader_get(u, 0, &in), 0);
	assert_true(in.deduplicated);
	assert_int_equal(in.sent, 0);
	assert_int_equal(hr_uploader_get(u, 1, &in), 0);
	assert_false(in.deduplicated);
	assert_int_equal(in.sent, 64 * 1024);
	hr_uploader_free(u);
	assert_int_equal(count("SELECT count(*) FROM files", -1), files + 2);
	store_all_whole();
}

/* Names in DIR/partial (a spare's or a partial file's), "." and ".."
 * not counted. */
static int
partial_names(void)
{
	char *d = hr_store_dir_for_db(srv.db), path[4200];
	struct dirent *e;
	DIR *dp;
	int n = 0;

	assert_non_null(d);
	snprintf(path, sizeof path, "%s/partial", d);
	free(d);
	assert_non_null(dp = opendir(path));
	while ((e = readdir(dp)) != NULL)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(dp);
	return n;
}

/*
 * A scan in one chunk goes into a file made ahead (srvd/spares.h) and is
 * linked to its place: a damaged copy of the same content found there
 * is replaced at once, and a refused scan leaves no name behind.
 */
static void
test_whole_into_place(void **state)
{
	char p[sizeof dir + 64];
	uint8_t h[HR_FILE_HASH_LEN], *b;
	struct hr_store st;
	struct hr_error err;
	struct tcall t;
	int64_t id, off;
	int names;
	size_t n;

	(void)state;
	make_scan("whole.jpg", 96 * 1024, HR_FT_JPEG, 31);
	scan_path(p, sizeof p, "whole.jpg");
	assert_non_null(b = tscan_read(p, &n));
	hr_filehash_mem(b, n, h);
	/* Its place holds other bytes: a crash's leftover, not its content. */
	assert_int_equal(hr_store_open(&st, srv.db, 0, &err), 0);
	b[100] ^= 1;
	assert_int_equal(hr_store_put(&st, b, n, h, 0, &err), 0);
	b[100] ^= 1;
	names = partial_names();
	id = begin_ok(cnap, APP_DRAFT, "income_decl", "whole.jpg", (int64_t)n,
	    h, &off);
	assert_int_equal(off, 0);
	tcall_init(&t);
	call_chunk(cnap, id, 0, b, n, NULL, &t);
	iu_expect(&t, HR_OK, "a whole scan in one chunk");
	assert_non_null(tobj_get(tcall_result(&t), "attachment"));
	tcall_free(&t);
	store_all_whole();
	assert_int_equal(partial_names(), names);

	/* A whole chunk that is not what its type says (no end-of-image
	 * marker): refused, dropped, nothing named. */
	make_scan("cut.jpg", 80 * 1024, HR_FT_JPEG, 32);
	free(b);
	scan_path(p, sizeof p, "cut.jpg");
	assert_non_null(b = tscan_read(p, &n));
	memset(b + n - 16, 0, 16);
	hr_filehash_mem(b, n, h);
	id = begin_ok(cnap, APP_DRAFT, "income_decl", "cut.jpg", (int64_t)n, h,
	    &off);
	call_chunk(cnap, id, 0, b, n, NULL, &t);
	iu_expect(&t, HR_E_INVALID, "a whole scan without its end");
	tcall_free(&t);
	assert_false(hr_store_has(&st, h, NULL));
	assert_int_equal(count("SELECT count(*) FROM uploads WHERE id = ?", id),
	    0);
	assert_int_equal(partial_names(), names);
	hr_store_close(&st);
	free(b);
}

/* ---- hromadad killed while whole scans are on their way ------------------ */

#define KILL_WHOLE_FILES 16

static int
name_whole(void *ud, const uint8_t hash[HR_FILE_HASH_LEN])
{
	struct hr_store *st = ud;
	struct hr_error err;
	int ok = 0;

	if (hr_store_rehash(st, hash, &ok, NULL, &err) != 0 || !ok)
		fail_msg("a named file of the store is not whole");
	return 0;
}

/* Every file with a name in the store has its name's content, recorded
 * or not: nothing half-written is visible there at all. */
static void
store_names_whole(void)
{
	struct hr_store st;
	struct hr_error err;

	if (hr_store_open(&st, srv.db, 0, &err) != 0)
		fail_msg("store: %s", err.msg);
	if (hr_store_each(&st, name_whole, &st, &err) != 0)
		fail_msg("store: %s", err.msg);
	hr_store_close(&st);
}

/* Kill hromadad (-9) once `at` files of the queue are attached. */
static int
kill_after_done(void *ud, struct hr_client *c, struct hr_uploader *u)
{
	struct cut *k = ud;
	struct hr_upload_info in;
	struct hr_error err;
	uint64_t done = 0;

	(void)c;
	for (size_t i = 0; i < hr_uploader_count(u); i++)
		done += hr_uploader_get(u, i, &in) == 0 && in.state == HR_UP_DONE;
	if (k->done || done < k->at)
		return 0;
	k->done = 1;
	testsrv_signal(&srv, SIGKILL, &err);
	return 1;
}

/*
 * Whole scans in one chunk each, several on their way at once (written
 * ahead into unnamed files on the hash thread, then linked on the loop),
 * and hromadad killed in the middle: every file acknowledged is recorded
 * and whole, every recorded file whole, no file without its upload left
 * with a name in partial/; after a restart the rest go (or are proved).
 */
static void
test_kill9_whole_scans(void **state)
{
	struct hr_uploader *u = uploader(cnap);
	struct hr_upload_info in;
	struct hr_error err;
	struct cut k = { 4, 1, 0 };
	char name[32];
	int64_t files;
	size_t acked = 0;
	int status, rc;

	(void)state;
	files = count("SELECT count(*) FROM files", -1);
	for (int i = 0; i < KILL_WHOLE_FILES; i++) {
		snprintf(name, sizeof name, "whole-%d.jpg", i);
		make_scan(name, 100 * 1024, HR_FT_JPEG, 700 + (uint64_t)i);
		queue(u, name, APP_DRAFT, "income_decl");
	}
	rc = tupload_drive(cnap, u, kill_after_done, &k, 60000);
	/* A fast machine may end all of them within one read of replies,
	 * before the hook sees k.at done (distcheck did): kill it now, with
	 * every scan attached -- what follows holds all the same. */
	assert_true(rc == 1 || rc == 0);
	if (rc == 0)
		testsrv_signal(&srv, SIGKILL, &err);
	(void)testsrv_wait_exit(&srv, 10000, &status, &err);
	for (size_t i = 0; i < hr_uploader_count(u); i++)
		acked += hr_uploader_get(u, i, &in) == 0 &&
		    in.state == HR_UP_DONE;
	fprintf(stderr, "#   killed with %zu of %d scans attached\n", acked,
	    KILL_WHOLE_FILES);

	sqlite3_close(db);
	db = iu_db_open(&srv);
	assert_true(count("SELECT count(*) FROM files", -1) >=
	    files + (int64_t)acked);          /* "attached" means on disk */
	store_all_whole();
	assert_int_equal(count("SELECT count(*) FROM attachments a WHERE NOT "
	    "EXISTS (SELECT 1 FROM files f WHERE f.hash = a.file_hash)", -1),
	    0);
	store_names_whole();

	if (testsrv_launch(&srv, 20000, &err) != 0)
		fail_msg("restart: %s", err.msg);
	hr_uploader_step(u, 0, (long)tclock_ms());
	hr_client_free(cnap);
	cnap = iu_login(&srv, "cnap");
	hr_uploader_free(u);
	u = uploader(cnap);
	for (int i = 0; i < KILL_WHOLE_FILES; i++) {
		snprintf(name, sizeof name, "whole-%d.jpg", i);
		queue(u, name, APP_DRAFT, "income_decl");
	}
	assert_int_equal(tupload_drive(cnap, u, NULL, NULL, 60000), 0);
	assert_true(tupload_all_done(u));
	hr_uploader_free(u);
	assert_int_equal(count("SELECT count(*) FROM files", -1),
	    files + KILL_WHOLE_FILES);
	store_all_whole();
	store_names_whole();
}

/* ---- reading a scan ---------------------------------------------------------- */

static int
call_read(struct hr_client *c, int64_t id, int64_t off, int64_t len,
    const msgpack_object *token, struct tcall *t)
{
	msgpack_packer *pk = hr_client_begin(c, HR_M_ATTACHMENT_READ);

	msgpack_pack_map(pk, 3 + (token != NULL));
	hr_pack_kv_int(pk, "id", id);
	hr_pack_kv_int(pk, "offset", off);
	hr_pack_kv_int(pk, "length", len);
	if (token != NULL)
		hr_pack_kv_bin(pk, "token", token->via.bin.ptr,
		    token->via.bin.size);
	return tcall_send_wait(c, t, IU_CALL_MS);
}

static void
test_read(void **state)
{
	int64_t id = count("SELECT id FROM attachments WHERE name = "
	    "'passport.png' AND application_id = ?", APP_REWORK);
	int64_t reads = count("SELECT count(*) FROM audit_log WHERE action = "
	    "'attachment.read'", -1);
	uint8_t h[HR_FILE_HASH_LEN], got[HR_FILE_HASH_LEN], *all;
	struct hr_client *other, *spszn;
	struct tcall t, first;
	size_t off = 0, size = 300 * 1024;
	msgpack_object token;

	(void)state;
	assert_true(id > 0);
	hash_of("passport.png", h);
	assert_non_null(all = malloc(size));
	tcall_init(&t);
	tcall_init(&first);
	call_read(cnap, id, 0, 100000, NULL, &first);
	iu_expect(&first, HR_OK, "read from 0");
	token = *tobj_get(tcall_result(&first), "token");
	assert_int_equal(tobj_int(tobj_get(tcall_result(&first), "size"), 0),
	    (int64_t)size);
	memcpy(all, tobj_get(tcall_result(&first), "data")->via.bin.ptr, 100000);
	off = 100000;
	/* Without the token a later piece is refused. */
	call_read(cnap, id, (int64_t)off, 100000, NULL, &t);
	iu_expect(&t, HR_E_INVALID, "a piece without the token");
	tcall_free(&t);
	while (off < size) {
		const msgpack_object *d;

		call_read(cnap, id, (int64_t)off, 100000, &token, &t);
		iu_expect(&t, HR_OK, "a piece");
		d = tobj_get(tcall_result(&t), "data");
		assert_true(d->via.bin.size > 0 && off + d->via.bin.size <= size);
		memcpy(all + off, d->via.bin.ptr, d->via.bin.size);
		off += d->via.bin.size;
		tcall_free(&t);
	}
	tcall_free(&first);
	hr_filehash_mem(all, size, got);
	assert_memory_equal(got, h, sizeof h);
	free(all);
	/* One reading, one audit record (durable just after the reply). */
	assert_int_equal(taudit_count_reaches(db, "attachment.read", NULL,
	    reads + 1), reads + 1);

	/* Outside the scope: not found, as for an id that does not exist. */
	other = iu_login(&srv, "supercnap2");
	call_read(other, id, 0, 1000, NULL, &t);
	iu_expect(&t, HR_E_NOT_FOUND, "another hromada's scan");
	tcall_free(&t);
	hr_client_free(other);
	/* The back office does not see a case still at the front office. */
	spszn = iu_login(&srv, "spszn");
	call_read(spszn, id, 0, 1000, NULL, &t);
	iu_expect(&t, HR_E_NOT_FOUND, "a scan of a case not sent up");
	tcall_free(&t);
	hr_client_free(spszn);
	assert_int_equal(count("SELECT count(*) FROM audit_log WHERE action = "
	    "'attachment.read'", -1), reads + 1);
}

/* ---- detaching, and sending a partial package ------------------------------ */

static void
test_detach(void **state)
{
	int64_t id = count("SELECT id FROM attachments WHERE name = "
	    "'income.pdf' AND application_id = ?", APP_REWORK);
	int64_t sent = count("SELECT id FROM attachments WHERE application_id "
	    "= ? LIMIT 1", APP_SENT);
	struct hr_client *other;
	struct tcall t;

	(void)state;
	assert_true(id > 0 && sent > 0);
	tcall_init(&t);
	other = iu_login(&srv, "supercnap2");
	call_id(other, HR_M_ATTACHMENT_DETACH, "id", id, &t);
	iu_expect(&t, HR_E_NOT_FOUND, "another hromada's attachment");
	tcall_free(&t);
	hr_client_free(other);
	call_id(cnap, HR_M_ATTACHMENT_DETACH, "id", sent, &t);
	iu_expect(&t, HR_E_STATE, "a scan of a case sent up");
	tcall_free(&t);
	call_id(cnap, HR_M_ATTACHMENT_DETACH, "id", id, &t);
	iu_expect(&t, HR_OK, "detach");
	tcall_free(&t);
	assert_int_equal(count("SELECT count(*) FROM attachments WHERE id = ?",
	    id), 0);
	assert_int_equal(count("SELECT count(*) FROM application_history WHERE "
	    "application_id = ? AND event = 'detach'", APP_REWORK), 1);
	assert_int_equal(count("SELECT count(*) FROM application_documents "
	    "WHERE application_id = ? AND doc_code = 'income_decl'",
	    APP_REWORK), 0);
}

static void
test_partial_send(void **state)
{
	const msgpack_object *a, *hist, *row, *ev;
	msgpack_packer *pk;
	struct tcall t;
	int64_t version;
	char missing[64];

	(void)state;
	tcall_init(&t);
	iu_get(cnap, APP_REWORK, &t);
	iu_expect(&t, HR_OK, "get");
	a = iu_app(&t);
	assert_null(tobj_get(a, "package_full"));    /* false: left out */
	assert_true(iu_len(tobj_get(a, "missing")) > 0);
	tobj_str(&tobj_get(a, "missing")->via.array.ptr[0], missing,
	    sizeof missing);
	version = tobj_int(tobj_get(a, "version"), 0);
	tcall_free(&t);

	pk = hr_client_begin(cnap, HR_M_APPLICATION_TRANSITION);
	msgpack_pack_map(pk, 3);
	hr_pack_kv_int(pk, "id", APP_REWORK);
	hr_pack_kv_int(pk, "version", version);
	hr_pack_kv_str(pk, "action", "send_otg");
	tcall_send_wait(cnap, &t, IU_CALL_MS);
	iu_expect(&t, HR_E_STATE, "a partial package without confirming");
	assert_non_null(strstr(t.msg, "partial"));
	assert_non_null(strstr(t.msg, missing));
	tcall_free(&t);

	iu_transition(cnap, APP_REWORK, version, "send_otg", NULL, &t);
	iu_expect(&t, HR_OK, "a partial package, confirmed");   /* partial: 1 */
	tcall_free(&t);

	iu_get(cnap, APP_REWORK, &t);
	iu_expect(&t, HR_OK, "get");
	hist = tobj_get(tcall_result(&t), "history");
	/* [at, user, from, to, comment, changes, event] */
	row = &hist->via.array.ptr[iu_len(hist) - 1];
	assert_int_equal(row->type, MSGPACK_OBJECT_ARRAY);
	assert_int_equal(row->via.array.size, 7);
	ev = &row->via.array.ptr[6];
	assert_true(tobj_is_str(tobj_get(ev, "kind"), "partial"));
	assert_true(iu_has_str(tobj_get(ev, "missing"), missing));
	tcall_free(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_attach_three),
		cmocka_unit_test(test_bad_begin),
		cmocka_unit_test(test_bad_chunks),
		cmocka_unit_test(test_not_a_scan),
		cmocka_unit_test(test_duplicate_not_resent),
		cmocka_unit_test(test_resume_after_cut),
		cmocka_unit_test(test_kill9_mid_upload),
		cmocka_unit_test(test_stored_without_row),
		cmocka_unit_test(test_whole_into_place),
		cmocka_unit_test(test_kill9_whole_scans),
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_detach),
		cmocka_unit_test(test_partial_send),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
