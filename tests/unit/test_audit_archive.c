/*
 * test_audit_archive.c — the audit log's retention (db/audit_archive.h)
 * against real database and archive files:
 *
 *   - an archive takes exactly the records before the cut, verifies, is
 *     registered with an anchor, and the records leave the live log; the
 *     live chain still verifies, now from where the archive ends, and
 *     appending goes on with the next id and hash;
 *   - a second archive continues the first; archiving nothing says so;
 *   - searching an archive by person and application finds the records
 *     that name them (objects and the ids a page or a search listed) and
 *     no other, newest first;
 *   - a deletion interrupted half-way (a crash) verifies and is finished
 *     by the next prune;
 *   - tampering is found: a changed block, a cut file, a registry row
 *     altered or removed, an archive of another database;
 *   - an anchor of an archived record is checked in the registry or the
 *     file (db_archive_hash_of);
 *   - the encoding round-trips (db_audit_encode / db_audit_decode) and
 *     db_audit_keys reads the ids a record names.
 *
 * Alike on purpose: each search check sets one filter field, runs the
 * search (over the archive file or the live log) and checks the ids it
 * collected: the same three steps with each check's own filter and ids.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zstd.h>

#include "db/audit.h"
#include "db/audit_archive.h"
#include "db/db.h"

#define DAY 86400

struct fx {
	char          dir[64];
	char          db_path[96], file1[96], file2[96];
	struct hr_db *db;
};

static const struct db_audit_entry who = { 0, "hromadactl", "test", NULL,
    NULL, NULL };

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct hr_error err;

	assert_non_null(f);
	snprintf(f->dir, sizeof f->dir, "/tmp/test_archive.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->db_path, sizeof f->db_path, "%s/h.db", f->dir);
	snprintf(f->file1, sizeof f->file1, "%s/a1.db", f->dir);
	snprintf(f->file2, sizeof f->file2, "%s/a2.db", f->dir);
	if (db_open(&f->db, f->db_path, HR_DB_CREATE, &err) < 0)
		fail_msg("db_open: %s", err.msg);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];

	db_close(f->db);
	snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

/* n records a day apart from `t0`, of three kinds in turn. */
static void
fill(struct fx *f, int64_t t0, int n)
{
	struct hr_error err;

	assert_int_equal(db_begin(f->db, &err), 0);
	for (int i = 0; i < n; i++) {
		char obj[32], detail[64];
		struct db_audit_entry e = { 7, "sta", "10.0.0.1", NULL, NULL,
		    NULL };

		switch (i % 3) {
		case 0:
			e.action = "journal.read";
			e.object = "journal";
			snprintf(detail, sizeof detail, "3 rows; q -; ids %d,%d,%d",
			    100 + i, 200 + i, 300);
			e.detail = detail;
			break;
		case 1:
			e.action = "person.search";
			e.object = "persons";
			snprintf(detail, sizeof detail, "1 rows; by name; q Ков; "
			    "ids %d", 5000 + i);
			e.detail = detail;
			break;
		default:
			e.action = "application.read";
			snprintf(obj, sizeof obj, "application:%d", 900 + i);
			e.object = obj;
			break;
		}
		if (db_audit_at(f->db, &e, t0 + (int64_t)i * DAY, &err) < 0)
			fail_msg("audit: %s", err.msg);
	}
	assert_int_equal(db_commit(f->db, &err), 0);
}

static int64_t
live(struct fx *f)
{
	sqlite3_stmt *st;
	int64_t n;

	assert_int_equal(sqlite3_prepare_v2(f->db->sql, "SELECT count(*) FROM "
	    "audit_log", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void
verify_ok(struct fx *f, const char *when)
{
	struct hr_error err;
	int64_t n = 0;

	if (db_audit_verify(f->db, &n, &err) < 0)
		fail_msg("%s: verify: %s", when, err.msg);
}

/* plan, write, verify, register, prune: the whole of `audit archive`. */
static void
archive(struct fx *f, int64_t before, const char *file, struct db_archive *a)
{
	struct hr_error err;
	int64_t deleted = 0;

	if (db_archive_plan(f->db, before, a, &err) < 0 ||
	    db_archive_write(f->db, a, file, NULL, NULL, &err) < 0 ||
	    db_archive_verify_file(file, a, &err) < 0 ||
	    db_archive_register(f->db, a, file, &who, &err) < 0 ||
	    db_archive_prune(f->db, 7, NULL, NULL, &deleted, &err) < 0)
		fail_msg("archive: %s", err.msg);
	assert_int_equal(deleted, a->records);
}

static void
test_archive_and_continue(void **state)
{
	struct fx *f = *state;
	struct db_archive a, b;
	struct hr_error err;
	char head[DB_AUDIT_HEAD_MAX];
	int64_t t0 = 1700000000;

	fill(f, t0, 30);                          /* ids 1..30 */
	/* Before day 20: records 1..20. */
	archive(f, t0 + 20 * DAY, f->file1, &a);
	assert_int_equal(a.first_id, 1);
	assert_int_equal(a.last_id, 20);
	assert_int_equal(a.records, 20);
	assert_int_equal(a.first_at, t0);
	assert_int_equal(a.last_at, t0 + 19 * DAY);
	assert_true(a.file_bytes > 0);
	/* 10 left and the anchor record. */
	assert_int_equal(live(f), 11);
	verify_ok(f, "after the first archive");
	/* Appending goes on after the anchor (id 31). */
	fill(f, t0 + 40 * DAY, 3);               /* ids 32..34 */
	assert_int_equal(db_audit_head(f->db, head, &err), 0);
	assert_int_equal(strncmp(head, "34:", 3), 0);
	verify_ok(f, "after appending");
	/* Nothing older is left to take. */
	assert_int_equal(db_archive_plan(f->db, t0 + 20 * DAY, &b, &err), 0);
	assert_int_equal(b.records, 0);
	/* The second archive continues the first: 21..30 (the anchor, 31,
	 * was written now, after the cut). */
	archive(f, t0 + 40 * DAY, f->file2, &b);
	assert_int_equal(b.first_id, 21);
	assert_int_equal(b.last_id, 30);
	assert_memory_equal(b.prev_hash, a.last_hash, DB_AUDIT_HASH_LEN);
	verify_ok(f, "after the second archive");
	assert_int_equal(live(f), 5);       /* 31, 32..34 and the new anchor */
	/* Both files are what the registry holds. */
	char file[512];
	assert_int_equal(db_archive_check_registered(f->db, &a, file,
	    sizeof file, &err), 0);
	assert_string_equal(file, f->file1);
	assert_int_equal(db_archive_check_registered(f->db, &b, file,
	    sizeof file, &err), 0);
	/* A file is never written over. */
	assert_int_equal(db_archive_plan(f->db, INT64_MAX / 2, &b, &err), 0);
	assert_int_equal(b.records, 5);
	assert_int_equal(db_archive_write(f->db, &b, f->file1, NULL, NULL,
	    &err), -1);
	assert_string_equal(err.id, "file.exists");
}

struct found {
	int64_t ids[64];
	int     n;
};

static int
collect(void *ud, const struct db_audit_record *r)
{
	struct found *fd = ud;

	if (fd->n < 64)
		fd->ids[fd->n++] = r->id;
	return 0;
}

static void
test_search(void **state)
{
	struct fx *f = *state;
	struct db_archive a;
	struct db_audit_filter flt;
	struct found fd;
	struct hr_error err;
	int64_t t0 = 1700000000;

	fill(f, t0, 30);
	archive(f, t0 + 30 * DAY, f->file1, &a);
	/* Application 300 is on every journal page: ids 1, 4, ..., 28. */
	memset(&flt, 0, sizeof flt);
	flt.application = 300;
	memset(&fd, 0, sizeof fd);
	assert_int_equal(db_archive_each(f->file1, &flt, collect, &fd, &err), 0);
	assert_int_equal(fd.n, 10);
	assert_int_equal(fd.ids[0], 28);         /* newest first */
	assert_int_equal(fd.ids[9], 1);
	/* Application 902 is record 3's object; page i (id i + 1) lists
	 * 100 + i, 200 + i and 300. */
	flt.application = 902;
	memset(&fd, 0, sizeof fd);
	assert_int_equal(db_archive_each(f->file1, &flt, collect, &fd, &err), 0);
	assert_int_equal(fd.n, 1);
	assert_int_equal(fd.ids[0], 3);
	flt.application = 103;                    /* page of id 4 */
	memset(&fd, 0, sizeof fd);
	assert_int_equal(db_archive_each(f->file1, &flt, collect, &fd, &err), 0);
	assert_int_equal(fd.n, 1);
	assert_int_equal(fd.ids[0], 4);
	/* Person 5001 was shown by the search of id 2. */
	memset(&flt, 0, sizeof flt);
	flt.person = 5001;
	memset(&fd, 0, sizeof fd);
	assert_int_equal(db_archive_each(f->file1, &flt, collect, &fd, &err), 0);
	assert_int_equal(fd.n, 1);
	assert_int_equal(fd.ids[0], 2);
	flt.person = 42;                           /* nobody */
	memset(&fd, 0, sizeof fd);
	assert_int_equal(db_archive_each(f->file1, &flt, collect, &fd, &err), 0);
	assert_int_equal(fd.n, 0);
	/* Action and time filters work there too. */
	memset(&flt, 0, sizeof flt);
	flt.action = "person.*";
	flt.since = t0 + 20 * DAY;
	memset(&fd, 0, sizeof fd);
	assert_int_equal(db_archive_each(f->file1, &flt, collect, &fd, &err), 0);
	assert_int_equal(fd.n, 3);                 /* ids 23, 26, 29 */
	assert_int_equal(fd.ids[0], 29);
	/* The live log is searched the same way (records 31.. are new). */
	fill(f, t0 + 40 * DAY, 3);
	memset(&flt, 0, sizeof flt);
	flt.application = 300;
	memset(&fd, 0, sizeof fd);
	assert_int_equal(db_audit_each(f->db, &flt, collect, &fd, &err), 0);
	assert_int_equal(fd.n, 1);
	assert_int_equal(fd.ids[0], 32);
}

static void
test_interrupted_prune(void **state)
{
	struct fx *f = *state;
	struct db_archive a;
	struct hr_error err;
	sqlite3_stmt *st;
	int64_t deleted = 0;
	int64_t t0 = 1700000000;

	fill(f, t0, 40);
	if (db_archive_plan(f->db, t0 + 30 * DAY, &a, &err) < 0 ||
	    db_archive_write(f->db, &a, f->file1, NULL, NULL, &err) < 0 ||
	    db_archive_verify_file(f->file1, &a, &err) < 0 ||
	    db_archive_register(f->db, &a, f->file1, &who, &err) < 0)
		fail_msg("%s", err.msg);
	verify_ok(f, "registered, nothing deleted");
	/* A crash after the first chunk: what one chunk's transaction does. */
	assert_int_equal(db_begin(f->db, &err), 0);
	assert_int_equal(sqlite3_prepare_v2(f->db->sql, "UPDATE audit_archives "
	    "SET deleted_to = 12, deleted_hash = (SELECT hash FROM audit_log "
	    "WHERE id = 12)", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_exec(f->db->sql, "DELETE FROM audit_log WHERE "
	    "id <= 12", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(db_commit(f->db, &err), 0);
	verify_ok(f, "half deleted");
	/* Unarchived records cannot be deleted by mistake. */
	assert_int_not_equal(sqlite3_exec(f->db->sql, "DELETE FROM audit_log "
	    "WHERE id = 35", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(db_archive_prune(f->db, 1000, NULL, NULL, &deleted,
	    &err), 0);
	assert_int_equal(deleted, 30 - 12);
	verify_ok(f, "finished");
	assert_int_equal(live(f), 11);
}

/* Flip one byte of a blob column of the archive file. */
static void
tamper(const char *file, const char *sql)
{
	sqlite3 *h;

	assert_int_equal(sqlite3_open(file, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
}

static void
test_tampering(void **state)
{
	struct fx *f = *state;
	struct db_archive a;
	struct hr_error err;
	char cp[256];
	int64_t t0 = 1700000000;

	fill(f, t0, 20000);                       /* three blocks */
	archive(f, t0 + 15000 * DAY, f->file1, &a);
	assert_int_equal(a.blocks, 2);
	/* A copy with one record's text changed in a block: its hash chain
	 * breaks (the block re-compressed, so it decompresses fine). */
	snprintf(cp, sizeof cp, "cp %s %s", f->file1, f->file2);
	assert_int_equal(system(cp), 0);
	{
		sqlite3 *h;
		sqlite3_stmt *st;
		uint8_t *raw;
		size_t n, packed;
		void *z;

		assert_int_equal(sqlite3_open(f->file2, &h), SQLITE_OK);
		assert_int_equal(sqlite3_prepare_v2(h, "SELECT data, raw_bytes "
		    "FROM blocks ORDER BY first_id LIMIT 1", -1, &st, NULL),
		    SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		n = (size_t)sqlite3_column_int64(st, 1);
		raw = malloc(n);
		assert_int_equal(ZSTD_decompress(raw, n, sqlite3_column_blob(st,
		    0), (size_t)sqlite3_column_bytes(st, 0)), n);
		sqlite3_finalize(st);
		raw[n / 2] ^= 1;                      /* a byte of some text */
		z = malloc(ZSTD_compressBound(n));
		packed = ZSTD_compress(z, ZSTD_compressBound(n), raw, n, 1);
		assert_int_equal(sqlite3_prepare_v2(h, "UPDATE blocks SET data = ? "
		    "WHERE first_id = 1", -1, &st, NULL), SQLITE_OK);
		sqlite3_bind_blob(st, 1, z, (int)packed, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(st), SQLITE_DONE);
		sqlite3_finalize(st);
		sqlite3_close(h);
		free(raw);
		free(z);
	}
	assert_int_equal(db_archive_verify_file(f->file2, &a, &err), -1);
	assert_non_null(strstr(err.id, "audit.archive"));
	/* A garbled block does not decompress; a cut file misses records. */
	unlink(f->file2);
	assert_int_equal(system(cp), 0);
	tamper(f->file2, "UPDATE blocks SET data = x'00112233' WHERE first_id = "
	    "1");
	assert_int_equal(db_archive_verify_file(f->file2, &a, &err), -1);
	assert_string_equal(err.id, "audit.archive_corrupt");
	unlink(f->file2);
	assert_int_equal(system(cp), 0);
	tamper(f->file2, "DELETE FROM blocks WHERE first_id = (SELECT max("
	    "first_id) FROM blocks)");
	assert_int_equal(db_archive_verify_file(f->file2, &a, &err), -1);
	/* An index that does not match its records. */
	unlink(f->file2);
	assert_int_equal(system(cp), 0);
	tamper(f->file2, "UPDATE blocks SET persons = applications");
	assert_int_equal(db_archive_verify_file(f->file2, &a, &err), -1);
	assert_string_equal(err.id, "audit.archive_corrupt");
	/* Not an archive at all. */
	assert_int_equal(db_archive_verify_file(f->db_path, &a, &err), -1);
	/* The registry altered: its anchor record says otherwise. */
	assert_int_equal(db_archive_verify_file(f->file1, &a, &err), 0);
	assert_int_equal(sqlite3_exec(f->db->sql, "UPDATE audit_archives SET "
	    "records = records + 1", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(db_audit_verify(f->db, NULL, &err), -1);
	assert_string_equal(err.id, "audit.archive_anchor");
	assert_int_equal(sqlite3_exec(f->db->sql, "UPDATE audit_archives SET "
	    "records = records - 1", NULL, NULL, NULL), SQLITE_OK);
	verify_ok(f, "registry restored");
	/* The registry row removed: the live log no longer continues it. */
	assert_int_equal(sqlite3_exec(f->db->sql, "CREATE TABLE keep AS SELECT * "
	    "FROM audit_archives; DELETE FROM audit_archives", NULL, NULL,
	    NULL), SQLITE_OK);
	assert_int_equal(db_audit_verify(f->db, NULL, &err), -1);
	assert_int_equal(sqlite3_exec(f->db->sql, "INSERT INTO audit_archives "
	    "SELECT * FROM keep; DROP TABLE keep", NULL, NULL, NULL), SQLITE_OK);
	verify_ok(f, "registry back");
}

/* An archive made from another database is not this one's. */
static void
test_foreign(void **state)
{
	struct fx *f = *state;
	struct db_archive a, other;
	struct hr_db *db2;
	struct hr_error err;
	char path[128], file[512];
	int64_t t0 = 1700000000;

	fill(f, t0, 10);
	archive(f, t0 + 5 * DAY, f->file1, &a);
	snprintf(path, sizeof path, "%s/other.db", f->dir);
	assert_int_equal(db_open(&db2, path, HR_DB_CREATE, &err), 0);
	{
		struct hr_db *keep = f->db;

		f->db = db2;
		fill(f, t0 + 1, 10);                  /* other times, other hashes */
		archive(f, t0 + 5 * DAY, f->file2, &other);
		f->db = keep;
	}
	db_close(db2);
	assert_int_equal(db_archive_check_registered(f->db, &other, file,
	    sizeof file, &err), -1);
	assert_string_equal(err.id, "audit.archive_foreign");
}

static void
test_archived_anchor(void **state)
{
	struct fx *f = *state;
	struct db_archive a;
	struct hr_error err;
	uint8_t h[DB_AUDIT_HASH_LEN];
	char anchor[DB_AUDIT_HEAD_MAX], hex[DB_AUDIT_HASH_LEN * 2 + 1];
	int64_t t0 = 1700000000;

	fill(f, t0, 12);
	/* Record 12's hash, written down before it is archived. */
	assert_int_equal(db_audit_head(f->db, anchor, &err), 0);
	fill(f, t0 + 20 * DAY, 2);
	archive(f, t0 + 20 * DAY, f->file1, &a);  /* 1..12 */
	/* The last of its segment: the registry knows its hash. */
	assert_int_equal(db_audit_verify_head(f->db, anchor, NULL, &err), 0);
	/* Another one needs the file. */
	assert_int_equal(db_archive_hash_of(f->file1, 5, h, &err), 1);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	snprintf(anchor, sizeof anchor, "5:%s", hex);
	assert_int_equal(db_audit_verify_head(f->db, anchor, NULL, &err), -1);
	assert_string_equal(err.id, "audit.anchor_archived");
	assert_int_equal(db_archive_hash_of(f->file1, 13, h, &err), 0);
	/* The file's hash of 12 is the registry's. */
	assert_int_equal(db_archive_hash_of(f->file1, 12, h, &err), 1);
	assert_memory_equal(h, a.last_hash, DB_AUDIT_HASH_LEN);
}

struct keys {
	int kind[8];
	int64_t id[8];
	int n;
};

static void
key(void *ud, int kind, int64_t id)
{
	struct keys *k = ud;

	if (k->n < 8) {
		k->kind[k->n] = kind;
		k->id[k->n++] = id;
	}
}

static void
test_encoding_and_keys(void **state)
{
	struct db_audit_fields r = { 3, 1700000000, 9, { "sta", NULL,
	    "journal.read", "journal", "20 rows; q Ков; ids 7,55,1234" },
	    { 3, 0, 12, 7, 29 } }, back;
	uint8_t buf[256], h1[DB_AUDIT_HASH_LEN], h2[DB_AUDIT_HASH_LEN];
	uint8_t zero[DB_AUDIT_HASH_LEN] = { 0 };
	struct keys k = { { 0 }, { 0 }, 0 };
	size_t n, used;

	(void)state;
	r.len[4] = strlen(r.text[4]);
	n = db_audit_encode(&r, NULL, 0);
	assert_int_equal(db_audit_encode(&r, buf, sizeof buf), n);
	assert_int_equal(db_audit_decode(buf, n, &used, &back), 0);
	assert_int_equal(used, n);
	assert_int_equal(back.id, 3);
	assert_null(back.text[1]);
	assert_int_equal(back.len[4], r.len[4]);
	db_audit_hash(zero, &r, h1);
	db_audit_hash(zero, &back, h2);
	assert_memory_equal(h1, h2, sizeof h1);
	/* Cut anywhere: not a whole record. */
	for (size_t cut = 0; cut < n; cut++)
		assert_int_equal(db_audit_decode(buf, cut, &used, &back), -1);
	db_audit_keys(&r, key, &k);
	assert_int_equal(k.n, 3);
	assert_int_equal(k.kind[0], DB_AUDIT_APPLICATION);
	assert_int_equal(k.id[2], 1234);
	/* person.search lists persons; an object names its kind. */
	r.text[2] = "person.search";
	r.len[2] = strlen(r.text[2]);
	assert_true(db_audit_names(&r, DB_AUDIT_PERSON, 55));
	assert_false(db_audit_names(&r, DB_AUDIT_APPLICATION, 55));
	r.text[3] = "application:77";
	r.len[3] = strlen(r.text[3]);
	assert_true(db_audit_names(&r, DB_AUDIT_APPLICATION, 77));
	assert_false(db_audit_names(&r, DB_AUDIT_APPLICATION, 7));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_archive_and_continue, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_search, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interrupted_prune, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_tampering, setup, teardown),
		cmocka_unit_test_setup_teardown(test_foreign, setup, teardown),
		cmocka_unit_test_setup_teardown(test_archived_anchor, setup,
		    teardown),
		cmocka_unit_test(test_encoding_and_keys),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
