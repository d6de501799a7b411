/*
 * test_attachments.c — the store side of scans: the rows (db/attachments.h)
 * and the file store beside the database (db/filestore.h).
 *
 * The package follows the attachments whoever writes (triggers); history
 * rows record attach and detach; uploads are found again by (user,
 * application, document, content); gc's query keeps what an attachment
 * or an open upload names; the store publishes, finds, re-hashes, lists
 * and removes files by their hash.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "db/applications.h"
#include "db/attachments.h"
#include "db/db.h"
#include "db/filestore.h"
#include "db/persons.h"
#include "db/territory.h"
#include "db/users.h"
#include "proto/ident.h"
#include "proto/roles.h"
#include "tests/lib/tdb.h"

#define NOW 1790000000

struct fx {
	char          dir[256], path[300];
	struct hr_db *db;
	int64_t       user, app;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct db_application_new a = { 0 };
	struct db_person p = { 0 };
	int64_t country, oblast, spszn, hr, cnap, person;
	const char *tmp = getenv("TMPDIR");
	char rn[HR_RNOKPP_LEN + 1], birth[16];
	struct hr_date d;
	struct hr_error err;

	assert_non_null(f);
	snprintf(f->dir, sizeof f->dir, "%s/test_att.XXXXXX", tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/h.db", f->dir);
	if (db_open(&f->db, f->path, HR_DB_CREATE, &err) < 0)
		fail_msg("db_open: %s", err.msg);
	assert_int_equal(db_territory_add(f->db, 0, HR_TERR_COUNTRY, "Україна",
	    NULL, &country, &err), 0);
	assert_int_equal(db_territory_add(f->db, country, HR_TERR_OBLAST, "О",
	    NULL, &oblast, &err), 0);
	assert_int_equal(db_territory_add(f->db, oblast, HR_TERR_SPSZN, "С",
	    NULL, &spszn, &err), 0);
	assert_int_equal(db_territory_add(f->db, spszn, HR_TERR_HROMADA, "Г",
	    NULL, &hr, &err), 0);
	assert_int_equal(db_territory_add(f->db, hr, HR_TERR_CNAP, "ЦНАП",
	    NULL, &cnap, &err), 0);
	assert_int_equal(db_user_add(f->db, "cnap", "Мельник Оксана",
	    HR_ROLE_USER_CNAP, cnap, "secret-pass-1", &f->user, &err), 0);
	tdb_exec(f->db, "INSERT INTO document_types VALUES ('passport', 'Паспорт'), "
	    "('rnokpp', 'РНОКПП'), ('photo', 'Фото'); "
	    "INSERT INTO services (code, name, system) VALUES ('birth', 'Народження', 'asopd'), "
	    "('other', 'Інше', 'asopd'); "
	    "INSERT INTO service_documents VALUES ('birth', 'passport', 1), "
	    "('birth', 'rnokpp', 2)");
	assert_int_equal(hr_rnokpp_make(30000, 1, HR_SEX_MALE, rn), 0);
	hr_date_from_days(30000, &d);
	snprintf(birth, sizeof birth, "%04d-%02d-%02d", d.y, d.m, d.d);
	p.rnokpp = rn;
	p.surname = "Тестенко";
	p.name = "Петро";
	p.birth_date = birth;
	p.sex = HR_SEX_MALE;
	if (db_person_add(f->db, &p, &person, &err) != 0)
		fail_msg("person: %s", err.msg);
	a.front_office_id = cnap;
	a.service_code = "birth";
	a.applicant_id = person;
	a.created_by = f->user;
	a.at = NOW;
	assert_int_equal(db_application_add(f->db, &a, &f->app, &err), 0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	char cmd[600];

	db_close(f->db);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static void
record_file(struct fx *f, uint8_t seed, uint8_t hash[HR_FILE_HASH_LEN])
{
	struct db_file file = { .size = 1000, .stored_at = NOW };
	struct hr_error err;

	memset(file.hash, seed, sizeof file.hash);
	snprintf(file.type, sizeof file.type, "pdf");
	assert_int_equal(db_file_add(f->db, &file, &err), 0);
	memcpy(hash, file.hash, HR_FILE_HASH_LEN);
}

static int64_t
attach(struct fx *f, const char *doc, uint8_t seed)
{
	struct db_attachment a = { 0 };
	struct hr_error err;
	int64_t id;

	record_file(f, seed, a.hash);
	a.application_id = f->app;
	a.doc_code = doc;
	a.name = "скан.pdf";
	a.type = "pdf";
	a.size = 1000;
	a.user_id = f->user;
	a.attached_at = NOW + seed;
	assert_int_equal(db_attachment_add(f->db, &a, &id, &err), 0);
	return id;
}

static int
full(struct fx *f)
{
	struct hr_error err;
	int v = -1;

	assert_int_equal(db_app_package_full(f->db, f->app, &v, &err), 0);
	return v;
}

static void
test_package(void **state)
{
	struct fx *f = *state;
	struct db_attachment a = { 0 };
	struct hr_error err;
	int64_t rn, ph;

	assert_int_equal(full(f), 0);
	/* The application's row is written only when its package changes
	 * (030): each write of package_full counted here. */
	tdb_exec(f->db, "CREATE TEMP TABLE pf_writes (n INTEGER)");
	tdb_exec(f->db, "CREATE TEMP TRIGGER pf_write AFTER UPDATE OF "
	    "package_full ON applications BEGIN INSERT INTO pf_writes "
	    "VALUES (1); END");
	attach(f, "passport", 1);
	assert_int_equal(full(f), 0);
	assert_int_equal(tdb_int(f->db, "SELECT count(*) FROM pf_writes"), 0);
	rn = attach(f, "rnokpp", 2);
	assert_int_equal(full(f), 1);
	assert_int_equal(tdb_int(f->db, "SELECT count(*) FROM pf_writes"), 1);
	ph = attach(f, "photo", 3);            /* not required: no change */
	assert_int_equal(full(f), 1);
	/* A second page of the same document is fine; the same file twice as
	 * the same document is not. */
	attach(f, "passport", 4);
	assert_int_equal(tdb_int(f->db, "SELECT count(*) FROM pf_writes"), 1);
	record_file(f, 4, a.hash);
	a.application_id = f->app;
	a.doc_code = "passport";
	a.name = "x.pdf";
	a.user_id = f->user;
	assert_int_equal(db_attachment_add(f->db, &a, &rn, &err), -1);
	assert_int_equal(err.code, HR_E_DUPLICATE);
	rn = tdb_int(f->db, "SELECT id FROM attachments WHERE doc_code = 'rnokpp'");
	assert_int_equal(db_attachment_delete(f->db, rn, f->app, f->user, &err),
	    0);
	assert_int_equal(full(f), 0);
	assert_int_equal(tdb_int(f->db, "SELECT count(*) FROM "
	    "application_documents"), 2);
	/* One of two passport pages off: the document is still there. */
	assert_int_equal(db_attachment_delete(f->db, tdb_int(f->db, "SELECT "
	    "min(id) FROM attachments WHERE doc_code = 'passport'"), f->app,
	    f->user, &err), 0);
	assert_int_equal(tdb_int(f->db, "SELECT count(*) FROM "
	    "application_documents WHERE doc_code = 'passport'"), 1);
	assert_int_equal(tdb_int(f->db, "SELECT count(*) FROM pf_writes"), 2);
	tdb_exec(f->db, "DROP TRIGGER pf_write");
	/* Of another application: not found. */
	assert_int_equal(db_attachment_delete(f->db, ph, f->app + 1, f->user,
	    &err), -1);
	assert_int_equal(err.code, HR_E_NOT_FOUND);
	assert_int_equal(tdb_int(f->db, "SELECT count(*) FROM application_history "
	    "WHERE event = 'attach'"), 4);
	assert_int_equal(tdb_int(f->db, "SELECT count(*) FROM application_history "
	    "WHERE event = 'detach' AND event_detail = 'rnokpp|1000|pdf|скан.pdf'"),
	    1);

	/* Another service requires other documents: judged again. */
	tdb_exec(f->db, "UPDATE applications SET service_code = 'other'");
	assert_int_equal(full(f), 1);
	tdb_exec(f->db, "UPDATE applications SET service_code = 'birth'");
	assert_int_equal(full(f), 0);
	/* The reference data changed: refreshed on demand. */
	tdb_exec(f->db, "DELETE FROM service_documents WHERE doc_code = 'rnokpp'");
	assert_int_equal(full(f), 0);
	assert_int_equal(db_packages_refresh(f->db, &rn, &err), 0);
	assert_int_equal(rn, 1);
	assert_int_equal(full(f), 1);
}

static int
unref_cb(void *ud, const struct db_file *file)
{
	assert_int_equal(file->hash[0], 7);
	++*(int64_t *)ud;
	return 0;
}

/* An upload of the fixture's user and application as "passport", its
 * hash `fill` repeated. */
static void
passport_upload(struct fx *f, struct db_upload *u, int fill, const char *name,
    int64_t size)
{
	memset(u->hash, fill, sizeof u->hash);
	u->user_id = f->user;
	u->application_id = f->app;
	snprintf(u->doc_code, sizeof u->doc_code, "passport");
	u->name = (char *)name;
	u->size = size;
}

/*
 * An upload's id is never handed out twice by one server run: upload.begin
 * answers before its commit, so an insert rolled back must not free its
 * id for the next begin (db_upload_add's `after`).
 */
static void
test_upload_ids_never_repeat(void **state)
{
	struct fx *f = *state;
	struct db_upload u = { 0 };
	struct hr_error err;
	int64_t first, lost, next;

	passport_upload(f, &u, 7, "ids.png", 100);
	assert_int_equal(db_upload_add(f->db, &u, NOW, 0, &first, &err), 0);
	assert_int_equal(db_begin(f->db, &err), 0);
	u.hash[0] = 8;
	assert_int_equal(db_upload_add(f->db, &u, NOW, first, &lost, &err), 0);
	assert_true(lost > first);
	db_rollback(f->db);             /* its batch failed: the row is gone */
	assert_int_equal(db_upload_add(f->db, &u, NOW, lost, &next, &err), 0);
	assert_true(next > lost);
	/* Without `after`, the committed history alone. */
	u.hash[0] = 9;
	assert_int_equal(db_upload_add(f->db, &u, NOW, 0, &lost, &err), 0);
	assert_true(lost > next);
}

static void
test_uploads_and_gc(void **state)
{
	struct fx *f = *state;
	struct db_upload u = { 0 }, got;
	uint8_t h[HR_FILE_HASH_LEN], free_hash[HR_FILE_HASH_LEN];
	struct hr_error err;
	int64_t bytes, n = 0;
	int found, open;

	passport_upload(f, &u, 9, "p.png", 5000);
	assert_int_equal(db_upload_add(f->db, &u, NOW, 0, &u.id, &err), 0);
	assert_int_equal(db_upload_find(f->db, f->user, f->app, "passport",
	    u.hash, &got, &found, &err), 0);
	assert_true(found);
	assert_int_equal(got.id, u.id);
	assert_string_equal(got.name, "p.png");
	assert_false(got.has_challenge);
	db_upload_free(&got);
	assert_int_equal(db_upload_find(f->db, f->user, f->app, "rnokpp",
	    u.hash, &got, &found, &err), 0);
	assert_false(found);
	assert_int_equal(db_upload_progress(f->db, u.id, 4096, "png", NOW + 5,
	    &err), 0);
	assert_int_equal(db_upload_get(f->db, u.id, &got, &found, &err), 0);
	assert_int_equal(got.received, 4096);
	assert_string_equal(got.type, "png");
	db_upload_free(&got);
	assert_int_equal(db_upload_progress(f->db, u.id, 5001, NULL, NOW,
	    &err), -1);                         /* past the size */
	assert_int_equal(db_uploads_bytes(f->db, f->app, 0, &bytes, &err), 0);
	assert_int_equal(bytes, 5000);
	assert_int_equal(db_uploads_bytes(f->db, f->app, u.id, &bytes, &err), 0);
	assert_int_equal(bytes, 0);

	/* gc keeps what an attachment or an open upload names. */
	attach(f, "passport", 1);
	record_file(f, 9, h);                   /* the open upload's content */
	record_file(f, 7, free_hash);           /* nobody's */
	assert_int_equal(db_upload_hash_open(f->db, h, &open, &err), 0);
	assert_true(open);
	assert_int_equal(db_files_unreferenced_each(f->db, unref_cb, &n, &err),
	    0);
	assert_int_equal(n, 1);                 /* only nobody's */
	assert_int_equal(db_upload_delete(f->db, u.id, &err), 0);
	assert_int_equal(db_upload_hash_open(f->db, h, &open, &err), 0);
	assert_false(open);
}

/* ---- the file store ------------------------------------------------------ */

static int
count_cb(void *ud, const uint8_t hash[HR_FILE_HASH_LEN])
{
	(void)hash;
	++*(int *)ud;
	return 0;
}

static int
count_partial_cb(void *ud, int64_t id)
{
	(void)id;
	++*(int *)ud;
	return 0;
}

static void
test_store(void **state)
{
	struct fx *f = *state;
	struct hr_store st;
	struct hr_error err;
	uint8_t data[3000], h[HR_FILE_HASH_LEN];
	char *dir;
	int fd, dfd, tfd, ok = 0, n = 0;
	uint64_t size = 0;

	assert_non_null(dir = hr_store_dir_for_db("/var/lib/hromada/hromada.db"));
	assert_string_equal(dir, "/var/lib/hromada/hromada.files");
	free(dir);
	assert_non_null(dir = hr_store_dir_for_db("/srv/h"));
	assert_string_equal(dir, "/srv/h.files");
	free(dir);

	assert_int_equal(hr_store_open(&st, f->path, 0, &err), -1);
	assert_int_equal(err.code, HR_E_NOT_FOUND);
	assert_int_equal(hr_store_open(&st, f->path, 1, &err), 0);

	/* An upload's bytes, published under their hash. */
	randombytes_buf(data, sizeof data);
	hr_filehash_mem(data, sizeof data, h);
	assert_int_equal(hr_store_partial_open(&st, 42, 0, &fd, &err), -1);
	assert_int_equal(err.code, HR_E_NOT_FOUND);
	assert_int_equal(hr_store_partial_open(&st, 42, 1, &fd, &err), 0);
	assert_int_equal(pwrite(fd, data, sizeof data, 0), (ssize_t)sizeof data);
	assert_int_equal(hr_store_has(&st, h, NULL), 0);
	assert_int_equal(hr_store_publish(&st, 42, h, &dfd, &tfd, &err), 0);
	assert_true(dfd >= 0 && tfd >= 0);     /* its directory was new */
	close(dfd);
	close(tfd);
	close(fd);
	assert_int_equal(hr_store_has(&st, h, &size), 1);
	assert_int_equal(size, sizeof data);
	assert_int_equal(hr_store_rehash(&st, h, &ok, NULL, &err), 0);
	assert_true(ok);
	assert_int_equal(hr_store_partials_each(&st, count_partial_cb, &n,
	    &err), 0);
	assert_int_equal(n, 0);

	/* Damaged on disk: found out by re-hashing. */
	{
		char rel[HR_STORE_REL_MAX], p[700];

		hr_store_rel(h, rel);
		snprintf(p, sizeof p, "%s/%s", st.dir, rel);
		assert_int_equal(truncate(p, 100), 0);
	}
	assert_int_equal(hr_store_rehash(&st, h, &ok, &size, &err), 0);
	assert_false(ok);
	assert_int_equal(size, 100);

	/* Whole at once (hromadactl), listed, removed. */
	assert_int_equal(hr_store_put(&st, data, sizeof data, h, 0, &err), 0);
	assert_int_equal(hr_store_rehash(&st, h, &ok, NULL, &err), 0);
	assert_true(ok);
	data[0] ^= 1;
	hr_filehash_mem(data, sizeof data, h);
	assert_int_equal(hr_store_put(&st, data, sizeof data, h, 1, &err), 0);
	assert_int_equal(hr_store_sync(&st, &err), 0);
	n = 0;
	assert_int_equal(hr_store_each(&st, count_cb, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(hr_store_remove(&st, h, &err), 0);
	assert_int_equal(hr_store_remove(&st, h, &err), 0);   /* gone: fine */
	assert_int_equal(hr_store_has(&st, h, NULL), 0);
	n = 0;
	assert_int_equal(hr_store_each(&st, count_cb, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(hr_store_open_file(&st, h, &fd, NULL, &err), -1);
	assert_int_equal(err.code, HR_E_NOT_FOUND);
	hr_store_close(&st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_package, setup, teardown),
		cmocka_unit_test_setup_teardown(test_upload_ids_never_repeat,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_uploads_and_gc, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_store, setup, teardown),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
