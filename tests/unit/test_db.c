/*
 * test_db.c — the SQLite store: migrations, users, throttling, tickets, the
 * audit chain (and that tampering is caught), the territory tree, and the
 * journal's scoping, cursor, search and query plan.
 *
 * Every test works on a fresh database in its own temporary directory,
 * removed afterwards.
 *
 * Alike on purpose: main's table of cmocka tests (a row a test, with its
 * setup and teardown), as every cmocka test file has.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db/applications.h"
#include "db/audit.h"
#include "db/db.h"
#include "db/journal.h"
#include "db/keyfile.h"
#include "db/keypairs.h"
#include "db/persons.h"
#include "db/territory.h"
#include "db/throttle.h"
#include "db/tickets.h"
#include "db/users.h"
#include "proto/ident.h"
#include "proto/roles.h"
#include "proto/workflow.h"
#include "tests/lib/tdb.h"

#define NOW 1790000000

struct fx {
	char          dir[256];
	char          path[300];
	struct hr_db *db;
	/* a small tree: country > oblast > spszn > 2 hromadas > offices */
	int64_t country, oblast, spszn, hr1, hr2, cnap1, sta1, sta2, cnap2, vil1;
	int64_t user;      /* a userSta at sta1 */
};

static void
fx_path(struct fx *f, const char *suffix, char *out, size_t cap)
{
	snprintf(out, cap, "%s%s", f->path, suffix);
}

static void
fx_open(struct fx *f)
{
	struct hr_error err;

	if (db_open(&f->db, f->path, HR_DB_CREATE, &err) < 0)
		fail_msg("db_open: %s", err.msg);
}

static void
fx_tree(struct fx *f)
{
	struct hr_error err;
	struct hr_db *db = f->db;

	assert_int_equal(db_territory_add(db, 0, HR_TERR_COUNTRY, "Україна",
	    NULL, &f->country, &err), 0);
	assert_int_equal(db_territory_add(db, f->country, HR_TERR_OBLAST,
	    "Сумська область", "UA59000000000057109", &f->oblast, &err), 0);
	assert_int_equal(db_territory_add(db, f->oblast, HR_TERR_SPSZN,
	    "УСЗН", NULL, &f->spszn, &err), 0);
	assert_int_equal(db_territory_add(db, f->spszn, HR_TERR_HROMADA,
	    "Березівська", NULL, &f->hr1, &err), 0);
	assert_int_equal(db_territory_add(db, f->spszn, HR_TERR_HROMADA,
	    "Шалигинська", NULL, &f->hr2, &err), 0);
	assert_int_equal(db_territory_add(db, f->hr1, HR_TERR_CNAP, "ЦНАП 1",
	    NULL, &f->cnap1, &err), 0);
	assert_int_equal(db_territory_add(db, f->hr1, HR_TERR_STAROSTA,
	    "Слоутський", NULL, &f->sta1, &err), 0);
	assert_int_equal(db_territory_add(db, f->hr1, HR_TERR_STAROSTA,
	    "Дунаєцький", NULL, &f->sta2, &err), 0);
	assert_int_equal(db_territory_add(db, f->hr2, HR_TERR_CNAP, "ЦНАП 2",
	    NULL, &f->cnap2, &err), 0);
	assert_int_equal(db_territory_add(db, f->sta1, HR_TERR_SETTLEMENT,
	    "Слоут", NULL, &f->vil1, &err), 0);
	assert_int_equal(db_user_add(db, "sta", "Ковальчук Людмила", HR_ROLE_USER_STA,
	    f->sta1, "secret-pass-1", &f->user, &err), 0);
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	const char *tmp = getenv("TMPDIR");

	assert_non_null(f);
	snprintf(f->dir, sizeof f->dir, "%s/test_db.XXXXXX", tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/h.db", f->dir);
	fx_open(f);
	fx_tree(f);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	char p[320];

	db_close(f->db);
	unlink(f->path);
	fx_path(f, "-wal", p, sizeof p);
	unlink(p);
	fx_path(f, "-shm", p, sizeof p);
	unlink(p);
	for (size_t i = 0; i < 3; i++) {
		static const char *const keyfiles[] = { ".key", ".key.lock",
		    ".key.new" };

		fx_path(f, keyfiles[i], p, sizeof p);
		unlink(p);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

/* ---- migrations ---------------------------------------------------------- */

static void
test_migrations_reopen(void **state)
{
	struct fx *f = *state;
	int v = db_schema_version(f->db);

	assert_true(v >= 1);
	db_close(f->db);
	fx_open(f);
	assert_int_equal(db_schema_version(f->db), v);
	assert_int_equal(tdb_int(f->db, "SELECT count(*) FROM schema_migrations"), v);
	/* The data survived and the pragmas are in force. */
	assert_int_equal(tdb_int(f->db, "SELECT count(*) FROM users"), 1);
	assert_int_equal(tdb_int(f->db, "PRAGMA foreign_keys"), 1);
	assert_int_equal(tdb_int(f->db, "PRAGMA synchronous"), 2);
}

static void
test_open_missing(void **state)
{
	struct fx *f = *state;
	struct hr_db *db;
	struct hr_error err;
	char p[320];

	fx_path(f, ".none", p, sizeof p);
	assert_int_equal(db_open(&db, p, 0, &err), -1);
	assert_int_equal(err.code, HR_E_NOT_FOUND);
	assert_null(db);
}

/* ---- the statement cache ------------------------------------------------- */

/* Statements prepared on the connection, cached or not. */
static unsigned
stmts_open(struct hr_db *db)
{
	unsigned n = 0;

	for (sqlite3_stmt *st = sqlite3_next_stmt(db->sql, NULL); st != NULL;
	    st = sqlite3_next_stmt(db->sql, st))
		n++;
	return n;
}

/* Their memory, as SQLite counts it. */
static size_t
stmts_bytes(struct hr_db *db)
{
	size_t n = 0;

	for (sqlite3_stmt *st = sqlite3_next_stmt(db->sql, NULL); st != NULL;
	    st = sqlite3_next_stmt(db->sql, st))
		n += (size_t)sqlite3_stmt_status(st, SQLITE_STMTSTATUS_MEMUSED, 0);
	return n;
}

/*
 * Twice DB_CACHE_MAX distinct texts through one connection: the cache
 * stays at its cap, a statement in use all along is still the same one
 * (a hit keeps it among the newest), and one being stepped through the
 * whole churn -- the oldest by then -- is never finalized under its
 * caller: it goes on to its next rows (ASan would see a freed one).
 */
static void
test_statement_cache(void **state)
{
	struct fx *f = *state;
	struct hr_error err;
	sqlite3_stmt *rows, *hot, *st;
	char sql[64];

	rows = db_prepare(f->db, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL "
	    "SELECT x + 1 FROM c WHERE x < 3) SELECT x FROM c", &err);
	assert_non_null(rows);
	assert_int_equal(sqlite3_step(rows), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(rows, 0), 1);
	hot = db_prepare(f->db, "SELECT 'hot'", &err);
	assert_non_null(hot);
	for (unsigned i = 0; i < 2 * DB_CACHE_MAX; i++) {
		snprintf(sql, sizeof sql, "SELECT %u", i);
		assert_non_null(st = db_prepare(f->db, sql, &err));
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(st, 0), (int)i);
		(void)sqlite3_reset(st);
		if (i % 64 == 0)
			assert_ptr_equal(db_prepare(f->db, "SELECT 'hot'",
			    &err), hot);
		assert_true(stmts_open(f->db) <= DB_CACHE_MAX);
	}
	assert_int_equal(sqlite3_step(rows), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(rows, 0), 2);
	assert_int_equal(sqlite3_step(rows), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(rows, 0), 3);
	assert_int_equal(sqlite3_step(rows), SQLITE_DONE);
	(void)sqlite3_reset(rows);
	/* no longer busy, and the oldest: the next miss takes it */
	assert_non_null(db_prepare(f->db, "SELECT 'one more'", &err));
	assert_int_equal(stmts_open(f->db), DB_CACHE_MAX);
	assert_ptr_equal(db_prepare(f->db, "SELECT 'hot'", &err), hot);
}

/*
 * Large statements (a journal page of many kind ranges is up to 850 KB
 * prepared): the cache holds at most DB_CACHE_BYTES of them, dropping the
 * oldest, and fewer statements than were prepared.
 */
static void
test_statement_cache_bytes(void **state)
{
	struct fx *f = *state;
	struct hr_error err;
	size_t cap = 64 * 1024, len, made = 0, each;
	unsigned before = stmts_open(f->db);
	char *sql = malloc(cap);

	assert_non_null(sql);
	do {
		len = (size_t)snprintf(sql, cap, "SELECT %zu", made);
		for (int i = 0; i < 300; i++)
			len += (size_t)snprintf(sql + len, cap - len, " UNION ALL "
			    "SELECT x + %d FROM (SELECT %zu AS x)", i, made);
		assert_true(len < cap);
		assert_non_null(db_prepare(f->db, sql, &err));
		made++;
		assert_true(stmts_bytes(f->db) <= DB_CACHE_BYTES);
	} while (stmts_open(f->db) == before + made);
	/* the first went when the cap was near: one more would not fit */
	each = stmts_bytes(f->db) / stmts_open(f->db);
	assert_true(stmts_bytes(f->db) + 2 * each > DB_CACHE_BYTES);
	assert_true(made > 100);
	free(sql);
}

/* ---- users --------------------------------------------------------------- */

static void
test_users(void **state)
{
	struct fx *f = *state;
	struct hr_error err;
	struct db_user u;
	int64_t id;

	assert_int_equal(db_user_by_name(f->db, "sta", &u, &err), 0);
	assert_int_equal(u.role, HR_ROLE_USER_STA);
	assert_int_equal(u.territory_id, f->sta1);
	assert_string_equal(u.territory_name, "Слоутський");
	assert_int_equal(crypto_pwhash_str_verify(u.pwhash, "secret-pass-1",
	    strlen("secret-pass-1")), 0);
	assert_false(u.disabled);
	db_user_free(&u);

	/* Duplicate name, wrong territory kind, short password, bad role. */
	assert_int_equal(db_user_add(f->db, "sta", "X", HR_ROLE_USER_STA,
	    f->sta1, "secret-pass-2", &id, &err), -1);
	assert_int_equal(err.code, HR_E_DUPLICATE);
	assert_int_equal(db_user_add(f->db, "upo", "X", HR_ROLE_UPO_OTG,
	    f->sta1, "secret-pass-2", &id, &err), -1);
	assert_int_equal(err.code, HR_E_INVALID);
	assert_int_equal(db_user_add(f->db, "upo", "X", HR_ROLE_UPO_OTG,
	    f->hr1, "short", &id, &err), -1);
	assert_int_equal(err.code, HR_E_INVALID);
	assert_int_equal(db_user_add(f->db, "Bad Name", "X", HR_ROLE_UPO_OTG,
	    f->hr1, "secret-pass-2", &id, &err), -1);
	assert_int_equal(db_user_add(f->db, "upo", "X", 99, f->hr1,
	    "secret-pass-2", &id, &err), -1);
	assert_int_equal(db_user_add(f->db, "upo", "Артеменко Надія",
	    HR_ROLE_UPO_OTG, f->hr1, "secret-pass-2", &id, &err), 0);

	assert_int_equal(db_user_set_disabled(f->db, "upo", 1, &err), 0);
	assert_int_equal(db_user_by_id(f->db, id, &u, &err), 0);
	assert_true(u.disabled);
	db_user_free(&u);
	assert_int_equal(db_user_set_disabled(f->db, "nobody", 1, &err), -1);
	assert_int_equal(err.code, HR_E_NOT_FOUND);

	assert_int_equal(db_user_set_password(f->db, "upo", "another-pass", &err), 0);
	assert_int_equal(db_user_by_name(f->db, "upo", &u, &err), 0);
	assert_int_equal(crypto_pwhash_str_verify(u.pwhash, "another-pass",
	    strlen("another-pass")), 0);
	db_user_free(&u);
	assert_int_equal(db_user_set_password(f->db, "upo", "1234567", &err), -1);
	assert_int_equal(db_user_by_name(f->db, "ghost", &u, &err), -1);
	assert_int_equal(err.code, HR_E_NOT_FOUND);
}

static int
count_user(void *ud, const struct db_user *u)
{
	(void)u;
	++*(int *)ud;
	return 0;
}

static void
test_user_each_scope(void **state)
{
	struct fx *f = *state;
	struct hr_error err;
	int64_t id;
	int n = 0;

	assert_int_equal(db_user_add(f->db, "cnap2", "Зінченко", HR_ROLE_USER_CNAP,
	    f->cnap2, "secret-pass-3", &id, &err), 0);
	assert_int_equal(db_user_each(f->db, 0, count_user, &n, &err), 0);
	assert_int_equal(n, 2);
	n = 0;
	assert_int_equal(db_user_each(f->db, f->hr1, count_user, &n, &err), 0);
	assert_int_equal(n, 1);
	n = 0;
	assert_int_equal(db_user_each(f->db, f->spszn, count_user, &n, &err), 0);
	assert_int_equal(n, 2);
}

/* ---- throttling ---------------------------------------------------------- */

/* A login attempt of `user` from `source` (terminal NULL: none proven). */
static struct db_login_from
from(const char *user, const char *source, const char *terminal)
{
	return (struct db_login_from){ user, source, terminal };
}

static int
throttle_check(struct fx *f, const struct db_throttle_policy *p,
    struct db_login_from w, int64_t t, int64_t *retry)
{
	static const unsigned none[DB_THROTTLE_KEYS];
	struct hr_error err;

	return db_throttle_check(f->db, p, &w, none, t, retry, &err);
}

static void
throttle_fail(struct fx *f, const struct db_throttle_policy *p,
    struct db_login_from w, int64_t t)
{
	struct hr_error err;

	assert_int_equal(db_throttle_fail(f->db, p, &w, t, &err), 0);
}

/* Sources: an IPv4 address, an IPv6 /64 (issue 18: not the full address). */
static void
test_throttle_source(void **state)
{
	char s[DB_SOURCE_MAX];

	(void)state;
	db_throttle_source("203.0.113.7", s);
	assert_string_equal(s, "203.0.113.7");
	db_throttle_source("2001:db8:1:2:aaaa:bbbb:cccc:dddd", s);
	assert_string_equal(s, "2001:db8:1:2::/64");
	db_throttle_source("2001:db8:1:2::9", s);
	assert_string_equal(s, "2001:db8:1:2::/64");
	db_throttle_source("::ffff:198.51.100.4", s);
	assert_string_equal(s, "198.51.100.4");
	db_throttle_source("fe80::1%eth0", s);
	assert_string_equal(s, "fe80::/64");
}

static void
test_throttle(void **state)
{
	struct fx *f = *state;
	struct db_throttle_policy p;
	struct hr_error err;
	int64_t retry;
	int64_t t = NOW;

	db_throttle_policy_default(&p);
	/* One user from one source: locked there only (issue 18, item 4). */
	for (int i = 0; i < p.pair_max - 1; i++)
		throttle_fail(f, &p, from("sta", "10.0.0.1", NULL), t);
	assert_int_equal(throttle_check(f, &p, from("sta", "10.0.0.1", NULL),
	    t, &retry), 0);
	throttle_fail(f, &p, from("sta", "10.0.0.1", NULL), t);
	assert_int_equal(throttle_check(f, &p, from("sta", "10.0.0.1", NULL),
	    t, &retry), 1);
	assert_int_equal(retry, 60);
	assert_int_equal(throttle_check(f, &p, from("sta", "10.0.0.2", NULL),
	    t, &retry), 0);
	assert_int_equal(throttle_check(f, &p, from("other", "10.0.0.1", NULL),
	    t, &retry), 0);
	/* After the lock: allowed; the next failure locks twice as long. */
	t += 61;
	assert_int_equal(throttle_check(f, &p, from("sta", "10.0.0.1", NULL),
	    t, &retry), 0);
	throttle_fail(f, &p, from("sta", "10.0.0.1", NULL), t);
	assert_int_equal(throttle_check(f, &p, from("sta", "10.0.0.1", NULL),
	    t, &retry), 1);
	assert_int_equal(retry, 120);
	/* A success clears the pair (and the user's key). */
	assert_int_equal(db_throttle_success(f->db, &(struct db_login_from){
	    "sta", "10.0.0.1", NULL }, &err), 0);
	assert_int_equal(throttle_check(f, &p, from("sta", "10.0.0.1", NULL),
	    t, &retry), 0);
	/* The window: failures spread wider than it never lock. */
	for (int i = 0; i < 3 * p.pair_max; i++) {
		t += p.window / 2 + 1;
		throttle_fail(f, &p, from("slow", "10.0.0.1", NULL), t);
		assert_int_equal(throttle_check(f, &p, from("slow", "10.0.0.1",
		    NULL), t, &retry), 0);
	}
	/* A source is locked after its own, higher limit, for every name. */
	for (int i = 0; i < p.source_max; i++) {
		char name[32];

		snprintf(name, sizeof name, "guess%d", i);
		throttle_fail(f, &p, from(name, "10.9.9.9", NULL), t);
	}
	assert_int_equal(throttle_check(f, &p, from("fresh", "10.9.9.9", NULL),
	    t, &retry), 1);
}

/*
 * Guesses from many sources lock the user everywhere, but never longer
 * than user_lock_max; a login proving a registered terminal is not
 * locked by failures from elsewhere (issue 18, item 4).
 */
static void
test_throttle_user_ceiling(void **state)
{
	struct fx *f = *state;
	struct db_throttle_policy p;
	int64_t retry, t = NOW;
	char src[32];

	db_throttle_policy_default(&p);
	for (int i = 0; i < p.user_max + 10; i++) {
		snprintf(src, sizeof src, "192.0.2.%d", i + 1);
		throttle_fail(f, &p, from("cnap", src, NULL), t + i);
	}
	t += p.user_max + 10;
	assert_int_equal(throttle_check(f, &p, from("cnap", "10.1.1.1", NULL),
	    t, &retry), 1);
	assert_true(retry > 0 && retry <= p.user_lock_max);
	/* The terminal's own key knows nothing of it. */
	assert_int_equal(throttle_check(f, &p, from("cnap", "10.1.1.1", "pc1"),
	    t, &retry), 0);
	/* Nor of a locked source (a NAT shared with a guesser). */
	for (int i = 0; i < p.source_max; i++) {
		snprintf(src, sizeof src, "g%d", i);
		throttle_fail(f, &p, from(src, "10.2.2.2", NULL), t);
	}
	assert_int_equal(throttle_check(f, &p, from("sta", "10.2.2.2", NULL),
	    t, &retry), 1);
	assert_int_equal(throttle_check(f, &p, from("sta", "10.2.2.2", "pc1"),
	    t, &retry), 0);
	/* Its own failures do lock it, there only. */
	for (int i = 0; i < p.pair_max; i++)
		throttle_fail(f, &p, from("sta", "10.2.2.2", "pc1"), t);
	assert_int_equal(throttle_check(f, &p, from("sta", "10.2.2.2", "pc1"),
	    t, &retry), 1);
	assert_int_equal(throttle_check(f, &p, from("sta", "10.3.3.3", "pc2"),
	    t, &retry), 0);
}

/* IPv6: the /64 is one source (issue 18, item 2). */
static void
test_throttle_ipv6(void **state)
{
	struct fx *f = *state;
	struct db_throttle_policy p;
	int64_t retry, t = NOW;
	char addr[64], src[DB_SOURCE_MAX];

	db_throttle_policy_default(&p);
	for (int i = 0; i < p.pair_max; i++) {
		snprintf(addr, sizeof addr, "2001:db8:5:6::%x", i + 1);
		db_throttle_source(addr, src);
		throttle_fail(f, &p, from("upo", src, NULL), t);
	}
	db_throttle_source("2001:db8:5:6:ffff::1", src);
	assert_int_equal(throttle_check(f, &p, from("upo", src, NULL), t,
	    &retry), 1);
	db_throttle_source("2001:db8:5:7::1", src);
	assert_int_equal(throttle_check(f, &p, from("upo", src, NULL), t,
	    &retry), 0);
}

/*
 * Attempts being verified count: with 4 failures on record and one
 * attempt in flight, a fifth may not start (issue 18, item 2).
 */
static void
test_throttle_inflight(void **state)
{
	struct fx *f = *state;
	struct db_throttle_policy p;
	struct db_login_from w = from("super", "10.4.4.4", NULL);
	unsigned one[DB_THROTTLE_KEYS] = { 1, 1, 1 };
	unsigned many[DB_THROTTLE_KEYS] = { 4, 4, 4 };
	struct hr_error err;
	int64_t retry, t = NOW;

	db_throttle_policy_default(&p);
	assert_int_equal(db_throttle_check(f->db, &p, &w, many, t, &retry,
	    &err), 0);
	for (int i = 0; i < p.pair_max - 1; i++)
		throttle_fail(f, &p, w, t);
	assert_int_equal(throttle_check(f, &p, w, t, &retry), 0);
	assert_int_equal(db_throttle_check(f->db, &p, &w, one, t, &retry,
	    &err), 2);
}

static int
throttle_row(void *ud, const struct db_throttle_row *r)
{
	char *out = ud;
	size_t n = strlen(out);

	snprintf(out + n, 1024 - n, "%c|%s|%s|%d;", r->kind,
	    r->user ? r->user : "-", r->where ? r->where : "-", r->failures);
	return 0;
}

/* What hromadactl lock shows and clears; rows expire (item 9). */
static void
test_throttle_admin(void **state)
{
	struct fx *f = *state;
	struct db_throttle_policy p;
	struct hr_error err;
	char out[1024] = "";
	int64_t cleared = 0, retry, t = NOW;

	db_throttle_policy_default(&p);
	for (int i = 0; i < p.pair_max; i++)
		throttle_fail(f, &p, from("ivan petrenko", "10.5.5.5", NULL), t);
	throttle_fail(f, &p, from("x", "10.6.6.6", NULL), t);
	assert_int_equal(db_throttle_each(f->db, t, 0, throttle_row, out,
	    &err), 0);
	assert_string_equal(out, "p|ivan petrenko|10.5.5.5|5;");
	out[0] = '\0';
	assert_int_equal(db_throttle_each(f->db, t, 1, throttle_row, out,
	    &err), 0);
	assert_non_null(strstr(out, "u|ivan petrenko|-|5;"));
	assert_non_null(strstr(out, "a|-|10.6.6.6|1;"));
	assert_non_null(strstr(out, "p|x|10.6.6.6|1;"));
	assert_int_equal(db_throttle_clear(f->db, "ivan petrenko", NULL,
	    &cleared, &err), 0);
	assert_int_equal(cleared, 2);
	assert_int_equal(throttle_check(f, &p, from("ivan petrenko",
	    "10.5.5.5", NULL), t, &retry), 0);
	assert_int_equal(db_throttle_clear(f->db, NULL, "10.6.6.6", &cleared,
	    &err), 0);
	assert_int_equal(cleared, 2);
	/* Rows go once their window and lock are over. */
	throttle_fail(f, &p, from("y", "10.7.7.7", NULL), t);
	throttle_fail(f, &p, from("z", "10.8.8.8", NULL), t + p.window + 1);
	out[0] = '\0';
	assert_int_equal(db_throttle_each(f->db, t + p.window + 1, 1,
	    throttle_row, out, &err), 0);
	assert_null(strstr(out, "10.7.7.7"));
	assert_int_equal(db_throttle_clear(f->db, NULL, NULL, &cleared, &err), 0);
	assert_int_equal(cleared, 3);      /* z's three: the rest expired */
}

/* ---- tickets ------------------------------------------------------------- */

/* Redeem ticket `t` (by its id) from `terminal`; the reply code. */
static int
redeem(struct fx *f, const uint8_t t[HR_TICKET_LEN], const char *terminal,
    int64_t now, struct db_ticket_use *use)
{
	uint8_t id[HR_TICKET_ID_LEN];
	struct hr_error err;

	hr_ticket_id(t, id);
	hr_error_clear(&err);
	if (db_ticket_redeem(f->db, id, terminal, now, use, &err) == 0)
		return HR_OK;
	return err.code;
}

static void
test_tickets(void **state)
{
	struct fx *f = *state;
	struct hr_error err;
	struct db_ticket_use use;
	uint8_t t1[32], t2[32], t3[32];

	assert_int_equal(db_ticket_issue(f->db, f->user, NULL, NOW, 3600, NOW,
	    t1, &err), 0);
	assert_int_equal(db_ticket_issue(f->db, f->user, NULL, NOW, 10, NOW,
	    t2, &err), 0);
	assert_int_equal(redeem(f, t1, NULL, NOW + 5, &use), HR_OK);
	assert_int_equal(use.user_id, f->user);
	assert_false(use.reused);
	/* Single use: presented again, it is a reuse (issue 18, item 8). */
	assert_int_equal(redeem(f, t1, NULL, NOW + 6, &use), HR_E_TICKET);
	assert_true(use.reused);
	assert_int_equal(use.user_id, f->user);
	/* Expired. */
	assert_int_equal(redeem(f, t2, NULL, NOW + 11, &use), HR_E_TICKET);
	assert_false(use.reused);
	/* Only the ids (public keys) are stored: neither ticket is there. */
	assert_int_equal(tdb_int(f->db, "SELECT count(*) FROM session_tickets "
	    "WHERE spent_at IS NULL"), 0);
	/* A ticket of a terminal's session needs that terminal's name; a
	 * wrong one spends it all the same. */
	assert_int_equal(db_ticket_issue(f->db, f->user, "pc1", NOW - 500,
	    3600, NOW, t2, &err), 0);
	assert_int_equal(redeem(f, t2, "pc2", NOW + 1, &use), HR_E_TICKET);
	assert_int_equal(redeem(f, t2, "pc1", NOW + 1, &use), HR_E_TICKET);
	assert_true(use.reused);
	assert_int_equal(db_ticket_issue(f->db, f->user, "pc1", NOW - 500,
	    3600, NOW, t2, &err), 0);
	assert_int_equal(redeem(f, t2, NULL, NOW + 1, &use), HR_E_TICKET);
	assert_int_equal(db_ticket_issue(f->db, f->user, "pc1", NOW - 500,
	    3600, NOW, t2, &err), 0);
	assert_int_equal(redeem(f, t2, "pc1", NOW + 1, &use), HR_OK);
	assert_int_equal(use.user_id, f->user);
	assert_int_equal(use.login_at, NOW - 500);   /* the password login */
	/* ... and a plain one is not redeemed with a terminal's name. */
	assert_int_equal(db_ticket_issue(f->db, f->user, NULL, NOW, 3600, NOW,
	    t2, &err), 0);
	assert_int_equal(redeem(f, t2, "pc1", NOW + 1, &use), HR_E_TICKET);
	/* Tombstones go once the ticket would have expired. */
	assert_true(tdb_int(f->db, "SELECT count(*) FROM session_tickets") > 0);
	assert_int_equal(db_ticket_issue(f->db, f->user, NULL, NOW, 3600,
	    NOW + 3601, t3, &err), 0);
	assert_int_equal(tdb_int(f->db, "SELECT count(*) FROM session_tickets"), 1);
	/* A new password revokes the tickets issued with the old one. */
	assert_int_equal(db_user_set_password(f->db, "sta", "new-password-1",
	    &err), 0);
	assert_int_equal(tdb_int(f->db, "SELECT count(*) FROM session_tickets"), 0);
	assert_int_equal(redeem(f, t3, NULL, NOW + 3602, &use), HR_E_TICKET);
	assert_false(use.reused);
	/* Disabling the user revokes the ticket. */
	assert_int_equal(db_ticket_issue(f->db, f->user, NULL, NOW, 3600, NOW,
	    t3, &err), 0);
	assert_int_equal(db_user_set_disabled(f->db, "sta", 1, &err), 0);
	assert_int_equal(tdb_int(f->db, "SELECT count(*) FROM session_tickets"), 0);
	assert_int_equal(redeem(f, t3, NULL, NOW + 1, &use), HR_E_TICKET);
}

/* Binders: only the ticket makes one, for one transcript only. */
static void
test_ticket_binder(void **state)
{
	uint8_t t[HR_TICKET_LEN], other[HR_TICKET_LEN], id[HR_TICKET_ID_LEN];
	uint8_t h1[32], h2[32], b[HR_TICKET_BINDER_LEN];

	(void)state;
	hr_ticket_new(t, id);
	randombytes_buf(other, sizeof other);
	randombytes_buf(h1, sizeof h1);
	randombytes_buf(h2, sizeof h2);
	hr_ticket_binder(t, h1, b);
	assert_true(hr_ticket_binder_ok(id, h1, b));
	assert_false(hr_ticket_binder_ok(id, h2, b));  /* another handshake */
	hr_ticket_binder(other, h1, b);
	assert_false(hr_ticket_binder_ok(id, h1, b));  /* another ticket */
}

/* ---- audit --------------------------------------------------------------- */

static void
audit_fill(struct fx *f, int n)
{
	struct hr_error err;

	for (int i = 0; i < n; i++) {
		char obj[32];
		struct db_audit_entry e = { f->user, "sta", "10.0.0.1", "journal.read",
		    obj, i % 2 ? NULL : "detail" };

		snprintf(obj, sizeof obj, "application:%d", i);
		assert_int_equal(db_audit(f->db, &e, &err), 0);
	}
}

static void
audit_expect_break(struct fx *f, const char *needle)
{
	struct hr_error err;
	int64_t n;

	assert_int_equal(db_audit_verify(f->db, &n, &err), -1);
	if (strstr(err.msg, needle) == NULL)
		fail_msg("expected \"%s\" in \"%s\"", needle, err.msg);
}

static void
test_audit_intact(void **state)
{
	struct fx *f = *state;
	struct hr_error err;
	int64_t n;

	audit_fill(f, 6);
	assert_int_equal(db_audit_verify(f->db, &n, &err), 0);
	assert_int_equal(n, 6);
	/* Append-only: the triggers refuse changes. */
	assert_int_not_equal(sqlite3_exec(f->db->sql, "UPDATE audit_log SET "
	    "detail = 'x' WHERE id = 2", NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(f->db->sql, "DELETE FROM audit_log "
	    "WHERE id = 2", NULL, NULL, NULL), SQLITE_OK);
}

static void
audit_untrigger(struct fx *f)
{
	tdb_exec(f->db, "DROP TRIGGER audit_log_no_update; "
	    "DROP TRIGGER audit_log_no_delete;");
}

static void
test_audit_deleted(void **state)
{
	struct fx *f = *state;

	audit_fill(f, 6);
	audit_untrigger(f);
	tdb_exec(f->db, "DELETE FROM audit_log WHERE id = 3");
	audit_expect_break(f, "at record 4: record 3 is missing");
}

static void
test_audit_altered(void **state)
{
	struct fx *f = *state;

	audit_fill(f, 6);
	audit_untrigger(f);
	tdb_exec(f->db, "UPDATE audit_log SET detail = 'nothing to see' WHERE id = 5");
	audit_expect_break(f, "at record 5: its content was altered");
}

static void
test_audit_reordered(void **state)
{
	struct fx *f = *state;

	audit_fill(f, 6);
	audit_untrigger(f);
	/* Swap records 2 and 3, renumbering them to keep the ids dense. */
	tdb_exec(f->db, "UPDATE audit_log SET id = -2 WHERE id = 2; "
	    "UPDATE audit_log SET id = 2 WHERE id = 3; "
	    "UPDATE audit_log SET id = 3 WHERE id = -2;");
	audit_expect_break(f, "at record 2");
}

static void
test_audit_rehashed(void **state)
{
	struct fx *f = *state;

	/* Someone who recomputes the altered record's own hash still breaks
	 * the link to the next record. */
	audit_fill(f, 4);
	audit_untrigger(f);
	tdb_exec(f->db, "UPDATE audit_log SET detail = 'x', hash = zeroblob(32) "
	    "WHERE id = 2");
	audit_expect_break(f, "at record 2");
}

/* ---- territory ----------------------------------------------------------- */

static void
test_territory(void **state)
{
	struct fx *f = *state;
	struct hr_error err;
	struct db_territory t;
	int64_t a;

	assert_int_equal(db_territory_ancestor(f->db, f->vil1, HR_TERR_HROMADA, &a, &err), 0);
	assert_int_equal(a, f->hr1);
	assert_int_equal(db_territory_ancestor(f->db, f->vil1, HR_TERR_SETTLEMENT, &a, &err), 0);
	assert_int_equal(a, f->vil1);
	assert_int_equal(db_territory_ancestor(f->db, f->vil1, HR_TERR_OBLAST, &a, &err), 0);
	assert_int_equal(a, f->oblast);
	assert_int_equal(db_territory_ancestor(f->db, f->hr1, HR_TERR_CNAP, &a, &err), -1);
	assert_int_equal(err.code, HR_E_NOT_FOUND);

	assert_int_equal(db_territory_within(f->db, f->vil1, f->hr1, &err), 1);
	assert_int_equal(db_territory_within(f->db, f->vil1, f->vil1, &err), 1);
	assert_int_equal(db_territory_within(f->db, f->vil1, f->country, &err), 1);
	assert_int_equal(db_territory_within(f->db, f->vil1, f->hr2, &err), 0);
	assert_int_equal(db_territory_within(f->db, f->hr1, f->vil1, &err), 0);
	assert_int_equal(db_territory_within(f->db, 9999, f->hr1, &err), -1);

	assert_int_equal(db_territory_find(f->db, "UA59000000000057109", &t, &err), 0);
	assert_int_equal(t.id, f->oblast);
	assert_int_equal(t.kind, HR_TERR_OBLAST);
	db_territory_free(&t);
	assert_int_equal(db_territory_find(f->db, "Дунаєцький", &t, &err), 0);
	assert_int_equal(t.id, f->sta2);
	assert_int_equal(t.parent_id, f->hr1);
	db_territory_free(&t);
	assert_int_equal(db_territory_add(f->db, f->hr2, HR_TERR_STAROSTA,
	    "Дунаєцький", NULL, &a, &err), 0);
	assert_int_equal(db_territory_find(f->db, "Дунаєцький", &t, &err), -1);
	assert_int_equal(err.code, HR_E_DUPLICATE);
	assert_int_equal(db_territory_find(f->db, "Атлантида", &t, &err), -1);
	assert_int_equal(err.code, HR_E_NOT_FOUND);
	/* A second КАТОТТГ is refused; a malformed one too. */
	assert_int_equal(db_territory_add(f->db, f->hr2, HR_TERR_SETTLEMENT,
	    "X", "UA59000000000057109", &a, &err), -1);
	assert_int_equal(err.code, HR_E_DUPLICATE);
	assert_int_equal(db_territory_add(f->db, f->hr2, HR_TERR_SETTLEMENT,
	    "X", "UA123", &a, &err), -1);
	assert_int_equal(err.code, HR_E_INVALID);
}

/* ---- keys ------------------------------------------------------------------ */

/* How many secrets the key file holds (-1: none, no file). */
static int
keyfile_count(const char *path)
{
	struct keyfile kf;
	struct hr_error err;
	int rc = keyfile_read(path, &kf, &err), n = (int)kf.n;

	sodium_memzero(&kf, sizeof kf);
	return rc == 1 ? -1 : rc < 0 ? -2 : n;
}

/*
 * Keys: secrets in the key file only (issue 18, item 6); a key past its
 * grace period or revoked is no longer loaded and its secret is wiped
 * from the file (item 7); a database with its secrets inside (before
 * migration 016) gives them to the key file at the first load.
 */
static void
test_keys(void **state)
{
	struct fx *f = *state;
	struct hr_error err;
	struct hr_server_keys k;
	struct hr_keypair a, b, c;
	struct stat st;
	char kf[320];
	size_t dropped = 0;

	fx_path(f, ".key", kf, sizeof kf);
	assert_int_equal(db_keys_load(f->db, kf, NOW, &k, &err), -1);
	assert_int_equal(err.code, HR_E_NOT_FOUND);
	assert_int_equal(db_keys_create(f->db, kf, NOW, 0, &a, &err), 0);
	assert_int_equal(db_keys_create(f->db, kf, NOW + 10, 100, &b, &err), 0);
	assert_int_equal(db_keys_load(f->db, kf, NOW + 20, &k, &err), 0);
	assert_int_equal(k.count, 2);
	assert_memory_equal(k.keys[0].pk, b.pk, HR_PUBKEY_LEN);
	assert_memory_equal(k.keys[0].sk, b.sk, HR_PUBKEY_LEN);
	assert_memory_equal(k.keys[1].pk, a.pk, HR_PUBKEY_LEN);
	/* The secrets are in the file (0600), not in the database. */
	assert_int_equal(tdb_int(f->db, "SELECT count(*) FROM server_keys "
	    "WHERE length(secret) > 0"), 0);
	assert_int_equal(stat(kf, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(keyfile_count(kf), 2);
	/* a's grace ended: not loaded, and pruning wipes its secret. */
	assert_int_equal(db_keys_load(f->db, kf, NOW + 111, &k, &err), 0);
	assert_int_equal(k.count, 1);
	assert_int_equal(db_keys_prune(f->db, kf, NOW + 111, &dropped, &err), 0);
	assert_int_equal(dropped, 1);
	assert_int_equal(keyfile_count(kf), 1);
	/* Revocation: not the current key; a previous one at once. */
	assert_int_equal(db_keys_revoke(f->db, kf, b.pk, NOW + 120, &err), -1);
	assert_int_equal(err.code, HR_E_STATE);
	assert_int_equal(db_keys_create(f->db, kf, NOW + 130, 3600, &c, &err), 0);
	assert_int_equal(db_keys_load(f->db, kf, NOW + 140, &k, &err), 0);
	assert_int_equal(k.count, 2);
	assert_int_equal(db_keys_revoke(f->db, kf, b.pk, NOW + 150, &err), 0);
	assert_int_equal(db_keys_load(f->db, kf, NOW + 160, &k, &err), 0);
	assert_int_equal(k.count, 1);
	assert_memory_equal(k.keys[0].pk, c.pk, HR_PUBKEY_LEN);
	assert_int_equal(keyfile_count(kf), 1);
	/* Without the current key's secret the keys do not load. */
	assert_int_equal(unlink(kf), 0);
	assert_int_equal(db_keys_load(f->db, kf, NOW + 170, &k, &err), -1);
	assert_int_equal(err.code, HR_E_IO);
	/* An old database: its secret moves to the key file. */
	{
		sqlite3_stmt *up;

		assert_int_equal(sqlite3_prepare_v2(f->db->sql, "UPDATE "
		    "server_keys SET secret = ?1 WHERE public = ?2", -1, &up,
		    NULL), SQLITE_OK);
		sqlite3_bind_blob(up, 1, c.sk, 32, SQLITE_STATIC);
		sqlite3_bind_blob(up, 2, c.pk, 32, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(up), SQLITE_DONE);
		sqlite3_finalize(up);
	}
	assert_int_equal(db_keys_load(f->db, kf, NOW + 180, &k, &err), 0);
	assert_memory_equal(k.keys[0].sk, c.sk, HR_PUBKEY_LEN);
	assert_int_equal(keyfile_count(kf), 1);
	assert_int_equal(tdb_int(f->db, "SELECT count(*) FROM server_keys "
	    "WHERE length(secret) > 0"), 0);
	sodium_memzero(&k, sizeof k);
}

/* ---- journal ------------------------------------------------------------- */

struct jfx {
	int64_t persons[8];
	int64_t per_office[4];   /* applications in cnap1, sta1, sta2, cnap2 */
};

static const struct {
	const char *surname, *name, *patronymic;
	int sex;
} jpeople[8] = {
	{ "Іваненко", "Петро", "Іванович", HR_SEX_MALE },
	{ "Іваненко", "Олена", "Петрівна", HR_SEX_FEMALE },
	{ "Іванів", "Ігор", "Романович", HR_SEX_MALE },
	{ "Дем'яненко", "Юрій", "Олегович", HR_SEX_MALE },
	{ "Єрмоленко", "Ніна", "Степанівна", HR_SEX_FEMALE },
	{ "Ґудзь", "Ганна", "Павлівна", HR_SEX_FEMALE },
	{ "Шевченко", "Тарас", "Григорович", HR_SEX_MALE },
	{ "Коваль", "Марія", "Іванівна", HR_SEX_FEMALE },
};

static void
journal_fill(struct fx *f, struct jfx *j)
{
	const int64_t office[4] = { f->cnap1, f->sta1, f->sta2, f->cnap2 };
	struct hr_error err;

	assert_int_equal(db_begin(f->db, &err), 0);
	for (int i = 0; i < 8; i++) {
		struct db_person p = { 0 };
		char rn[HR_RNOKPP_LEN + 1], birth[16];
		struct hr_date d;
		int32_t days = 30000 + 400 * i;

		assert_int_equal(hr_rnokpp_make(days, i, jpeople[i].sex, rn), 0);
		hr_date_from_days(days, &d);
		snprintf(birth, sizeof birth, "%04d-%02d-%02d", d.y, d.m, d.d);
		p.rnokpp = rn;
		p.surname = jpeople[i].surname;
		p.name = jpeople[i].name;
		p.patronymic = jpeople[i].patronymic;
		p.birth_date = birth;
		p.sex = jpeople[i].sex;
		assert_int_equal(db_person_add(f->db, &p, &j->persons[i], &err), 0);
	}
	tdb_exec(f->db, "INSERT INTO services (code, name, system) VALUES "
	    "('birth', 'Допомога при народженні', 'asopd'), "
	    "('subsidy', 'Субсидія', 'subsidy')");
	memset(j->per_office, 0, sizeof j->per_office);
	for (int k = 0; k < 300; k++) {
		struct db_application_new a = { 0 };
		int o = k % 7 < 3 ? 0 : k % 7 < 5 ? 1 : k % 7 < 6 ? 2 : 3;
		int64_t id;

		a.front_office_id = office[o];
		a.service_code = k % 3 ? "birth" : "subsidy";
		a.applicant_id = j->persons[k % 8];
		a.created_by = f->user;
		a.at = NOW + k;
		assert_int_equal(db_application_add(f->db, &a, &id, &err), 0);
		if (k % 4 == 0)
			assert_int_equal(db_application_set_status(f->db, id,
			    HR_ST_DRAFT, HR_ST_AT_OTG, f->user, NULL, NOW + k, &err), 0);
		j->per_office[o]++;
	}
	assert_int_equal(db_commit(f->db, &err), 0);
}

struct collect {
	int64_t ids[128];
	int     n;
	int64_t scope_check;   /* front office id every row must have, or 0 */
	const char *office_name;
};

static int
collect_row(void *ud, const struct db_journal_row *r)
{
	struct collect *c = ud;

	assert_true(c->n < 128);
	c->ids[c->n++] = r->id;
	assert_non_null(r->applicant);
	assert_non_null(r->service_name);
	if (c->office_name != NULL)
		assert_string_equal(r->front_office, c->office_name);
	return 0;
}

/* Walk every page of f; check order and the cursor; return the count. */
static int64_t
journal_walk_all(struct fx *fx, struct db_journal_filter *f,
    const char *office_name)
{
	struct hr_error err;
	int64_t total = 0, prev = INT64_MAX, next;

	f->before_id = 0;
	do {
		struct collect c = { .n = 0, .office_name = office_name };

		assert_int_equal(db_journal_page(fx->db, f, collect_row, &c, &next,
		    &err), 0);
		for (int i = 0; i < c.n; i++) {
			assert_true(c.ids[i] < prev);   /* newest first, no repeats */
			prev = c.ids[i];
		}
		assert_true(c.n <= f->limit);
		if (next != 0) {
			assert_int_equal(c.n, f->limit);
			assert_int_equal(next, c.ids[c.n - 1]);
		}
		total += c.n;
		f->before_id = next;
	} while (next != 0);
	return total;
}

/* Persons with no applications whose folded names start with `prefix`:
 * enough of them make a query on that prefix take the wide way. */
static void
many_persons(struct fx *fx, const char *prefix)
{
	char sql[512];

	snprintf(sql, sizeof sql, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
	    "SELECT i + 1 FROM n WHERE i < 1500) INSERT INTO persons (surname, "
	    "name, birth_date, sex, search_name, created_at) SELECT 'X', 'Y', "
	    "'1990-01-01', 'M', '%s' || i, 0 FROM n", prefix);
	tdb_exec(fx->db, sql);
}

/* Applications of a hromada of their own whose applicants' folded names
 * start with `prefix`: enough of them make a name query on that prefix
 * take the wide way (db/journal.c counts the applications bearing it). */
static void
many_apps(struct fx *fx, const char *prefix)
{
	struct hr_error err;
	int64_t spszn, h, cnap;
	char sql[1024];

	assert_int_equal(db_territory_ancestor(fx->db, fx->hr1, HR_TERR_SPSZN,
	    &spszn, &err), 0);
	assert_int_equal(db_territory_add(fx->db, spszn, HR_TERR_HROMADA,
	    "Далека", NULL, &h, &err), 0);
	assert_int_equal(db_territory_add(fx->db, h, HR_TERR_CNAP, "ЦНАП далекий",
	    NULL, &cnap, &err), 0);
	/* Their applicant has no РНОКПП: an РНОКПП query finds none of them. */
	tdb_exec(fx->db, "INSERT INTO persons (surname, name, birth_date, sex, "
	    "search_name, created_at) VALUES ('Z', 'Z', '1990-01-01', 'M', "
	    "'z z', 0)");
	snprintf(sql, sizeof sql, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
	    "SELECT i + 1 FROM n WHERE i < 1500) INSERT INTO applications "
	    "(hromada_id, front_office_id, spszn_id, oblast_id, service_code, "
	    "applicant_id, applicant_search, status, created_by, created_at, "
	    "updated_at) SELECT %lld, %lld, %lld, (SELECT parent_id FROM "
	    "territories WHERE id = %lld), (SELECT min(code) FROM services), "
	    "(SELECT max(id) FROM persons), '%s' || i, 'draft', (SELECT min(id) "
	    "FROM users), (SELECT max(created_at) FROM applications), 0 FROM n",
	    (long long)h, (long long)cnap, (long long)spszn, (long long)spszn,
	    prefix);
	tdb_exec(fx->db, sql);
}

static void
test_journal_scope(void **state)
{
	struct fx *fx = *state;
	struct db_journal_filter f = { DB_SCOPE_HROMADA, 0, -1, NULL, NULL, 0, 50,
	    0, 0, 0, 0 };
	struct hr_error err;
	int64_t counts[HR_ST__COUNT];
	struct jfx j;

	journal_fill(fx, &j);
	f.scope_id = fx->hr1;
	assert_int_equal(journal_walk_all(fx, &f, NULL),
	    j.per_office[0] + j.per_office[1] + j.per_office[2]);
	f.scope_id = fx->hr2;
	assert_int_equal(journal_walk_all(fx, &f, "ЦНАП 2"), j.per_office[3]);
	f.scope_col = DB_SCOPE_FRONT_OFFICE;
	f.scope_id = fx->sta1;
	assert_int_equal(journal_walk_all(fx, &f, "Слоутський"), j.per_office[1]);
	f.scope_col = DB_SCOPE_SPSZN;
	f.scope_id = fx->spszn;
	assert_int_equal(journal_walk_all(fx, &f, NULL), 300);
	f.scope_col = DB_SCOPE_OBLAST;
	f.scope_id = fx->oblast;
	assert_int_equal(journal_walk_all(fx, &f, NULL), 300);
	f.scope_col = DB_SCOPE_ALL;
	assert_int_equal(journal_walk_all(fx, &f, NULL), 300);
	/* A foreign scope sees nothing. */
	f.scope_col = DB_SCOPE_HROMADA;
	f.scope_id = fx->cnap1;
	assert_int_equal(journal_walk_all(fx, &f, NULL), 0);

	/* Status and service filters; counts per status. */
	f.scope_col = DB_SCOPE_SPSZN;
	f.scope_id = fx->spszn;
	f.status = HR_ST_AT_OTG;
	assert_int_equal(journal_walk_all(fx, &f, NULL), 75);
	f.service = "subsidy";
	assert_int_equal(journal_walk_all(fx, &f, NULL), 25);
	f.status = -1;
	f.service = NULL;
	assert_int_equal(db_journal_counts(fx->db, &f, counts, &err), 0);
	assert_int_equal(counts[HR_ST_AT_OTG], 75);
	assert_int_equal(counts[HR_ST_DRAFT], 225);
	assert_int_equal(counts[HR_ST_ANSWERED], 0);
}

static void
test_journal_query(void **state)
{
	struct fx *fx = *state;
	struct db_journal_filter f = { DB_SCOPE_ALL, 0, -1, NULL, NULL, 0, 100,
	    0, 0, 0, 0 };
	char rn[HR_RNOKPP_LEN + 1];
	int64_t counts[HR_ST__COUNT];
	struct hr_error err;
	struct jfx j;

	journal_fill(fx, &j);
	/* Exact РНОКПП of person 2 (every 8th application). */
	assert_int_equal(hr_rnokpp_make(30800, 2, HR_SEX_MALE, rn), 0);
	f.query = rn;
	assert_int_equal(journal_walk_all(fx, &f, NULL), 300 / 8 + (300 % 8 > 2));
	/* Name prefixes in any case, across Cyrillic letters ASCII folding
	 * misses (І, Є, Ґ) and apostrophe look-alikes. */
	f.query = "ІВАНЕНКО";          /* persons 0 and 1 */
	assert_int_equal(journal_walk_all(fx, &f, NULL), 38 + 38);
	f.query = "іванен";
	assert_int_equal(journal_walk_all(fx, &f, NULL), 76);
	f.query = "Іван";               /* also Іванів */
	assert_int_equal(journal_walk_all(fx, &f, NULL), 76 + 38);
	f.query = "іваненко о";         /* surname and the name's initial */
	assert_int_equal(journal_walk_all(fx, &f, NULL), 38);
	f.query = "ДЕМ’ЯНЕНКО";        /* typographic apostrophe */
	assert_int_equal(journal_walk_all(fx, &f, NULL), 38);
	f.query = "єрмол";
	assert_int_equal(journal_walk_all(fx, &f, NULL), 37);
	f.query = "ґУДЗЬ";
	assert_int_equal(journal_walk_all(fx, &f, NULL), 37);
	f.query = "Петренко";
	assert_int_equal(journal_walk_all(fx, &f, NULL), 0);
	/* The same answers when so many applications match that the search
	 * walks the scope instead of starting from the name index (the
	 * scope is the country: those 1,500 are found too). */
	many_apps(fx, "іваненко я");
	f.query = "Іван";
	assert_int_equal(journal_walk_all(fx, &f, NULL), 76 + 38 + 1500);
	f.query = "ІВАНЕНКО";
	assert_int_equal(journal_walk_all(fx, &f, NULL), 76 + 1500);
	f.status = HR_ST_DRAFT;
	assert_int_equal(db_journal_counts(fx->db, &f, counts, &err), 0);
	assert_int_equal(counts[HR_ST_DRAFT] + counts[HR_ST_AT_OTG], 76 + 1500);
	f.status = -1;
	many_persons(fx, "36");         /* digits: an РНОКПП prefix */
	tdb_exec(fx->db, "UPDATE persons SET rnokpp = search_name WHERE search_name "
	    "GLOB '36*'");
	f.query = "3";
	assert_int_equal(journal_walk_all(fx, &f, NULL), 300);
	/* Scope still applies under a query. */
	f.scope_col = DB_SCOPE_FRONT_OFFICE;
	f.scope_id = fx->cnap2;
	f.query = "Іваненко";
	assert_true(journal_walk_all(fx, &f, NULL) < 76);
}

/* Rows where the kept counts (008_status_counts) and a count disagree. */
static int64_t
kept_counts_wrong(struct hr_db *db)
{
	static const char counted[] =
	    "SELECT 'front_office', front_office_id, service_code, "
	    "package_full, status, count(*) FROM applications GROUP BY 2, 3, "
	    "4, 5 UNION ALL SELECT 'hromada', hromada_id, service_code, "
	    "package_full, status, count(*) FROM applications GROUP BY 2, 3, "
	    "4, 5 UNION ALL SELECT 'spszn', spszn_id, service_code, "
	    "package_full, status, count(*) FROM applications GROUP BY 2, 3, "
	    "4, 5 UNION ALL SELECT 'oblast', oblast_id, service_code, "
	    "package_full, status, count(*) FROM applications GROUP BY 2, 3, "
	    "4, 5 UNION ALL SELECT 'all', 0, service_code, package_full, "
	    "status, count(*) FROM applications GROUP BY 3, 4, 5";
	static const char kept[] =
	    "SELECT scope, territory_id, service, package_full, status, n FROM "
	    "status_counts WHERE n > 0";
	char sql[2048];

	sqlite3_stmt *st;
	int64_t wrong = 0;

	snprintf(sql, sizeof sql, "%s EXCEPT %s", counted, kept);
	assert_int_equal(sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL),
	    SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		fprintf(stderr, "counted %s %lld %s %d %s: %lld, kept differs\n",
		    sqlite3_column_text(st, 0),
		    (long long)sqlite3_column_int64(st, 1),
		    sqlite3_column_text(st, 2), sqlite3_column_int(st, 3),
		    sqlite3_column_text(st, 4),
		    (long long)sqlite3_column_int64(st, 5));
		wrong++;
	}
	sqlite3_finalize(st);
	/* counted is a compound itself: the EXCEPT must take all of it. */
	snprintf(sql, sizeof sql, "SELECT count(*) FROM (%s EXCEPT SELECT * "
	    "FROM (%s))", kept, counted);
	return wrong + tdb_int(db, sql);
}

/* The counts the journal opens with are kept by triggers, not counted:
 * they must follow every insert, status change, move and delete. */
static void
test_journal_counts_kept(void **state)
{
	struct fx *fx = *state;
	struct db_journal_filter f = { DB_SCOPE_SPSZN, 0, -1, NULL, NULL, 0, 50,
	    0, 0, 0, 0 };
	int64_t kept[HR_ST__COUNT], counted[HR_ST__COUNT];
	struct hr_error err;
	struct jfx j;

	journal_fill(fx, &j);
	assert_int_equal(kept_counts_wrong(fx->db), 0);
	tdb_exec(fx->db, "UPDATE applications SET status = 'at_spszn' WHERE id % 3 = 0");
	tdb_exec(fx->db, "UPDATE applications SET status = 'checked' WHERE id % 5 = 0");
	tdb_exec(fx->db, "UPDATE applications SET package_full = 1 - package_full");
	assert_int_equal(kept_counts_wrong(fx->db), 0);
	/* A draft's service changed (031_service_counts), and one set to
	 * what it was (no move). */
	tdb_exec(fx->db, "UPDATE applications SET service_code = CASE "
	    "service_code WHEN 'birth' THEN 'subsidy' ELSE 'birth' END WHERE "
	    "id % 4 = 0");
	tdb_exec(fx->db, "UPDATE applications SET service_code = service_code "
	    "WHERE id % 6 = 0");
	assert_int_equal(kept_counts_wrong(fx->db), 0);
	/* A move to another front office of the same hromada. */
	tdb_exec(fx->db, "UPDATE applications SET front_office_id = (SELECT "
	    "front_office_id FROM applications a2 WHERE a2.hromada_id = "
	    "applications.hromada_id ORDER BY a2.id LIMIT 1) WHERE id % 7 = 0");
	assert_int_equal(kept_counts_wrong(fx->db), 0);
	tdb_exec(fx->db, "PRAGMA foreign_keys = OFF");
	tdb_exec(fx->db, "DELETE FROM applications WHERE id % 11 = 0");
	tdb_exec(fx->db, "PRAGMA foreign_keys = ON");
	assert_int_equal(kept_counts_wrong(fx->db), 0);

	/* The journal reads them without a filter, and counts the index with
	 * one; both agree (a package filter that keeps everything: none). */
	f.scope_id = fx->spszn;
	f.visible = (1u << HR_ST_AT_SPSZN) | (1u << HR_ST_CHECKED);
	assert_int_equal(db_journal_counts(fx->db, &f, kept, &err), 0);
	assert_int_equal(kept[HR_ST_AT_SPSZN], tdb_int(fx->db, "SELECT count(*) "
	    "FROM applications WHERE status = 'at_spszn'"));
	assert_int_equal(kept[HR_ST_DRAFT], 0);          /* not visible */
	f.package = DB_PACKAGE_FULL;
	assert_int_equal(db_journal_counts(fx->db, &f, counted, &err), 0);
	f.package = DB_PACKAGE_PARTIAL;
	assert_int_equal(db_journal_counts(fx->db, &f, kept, &err), 0);
	for (int s = 0; s < HR_ST__COUNT; s++)
		counted[s] += kept[s];
	f.package = DB_PACKAGE_ANY;
	assert_int_equal(db_journal_counts(fx->db, &f, kept, &err), 0);
	assert_memory_equal(kept, counted, sizeof kept);

	/* With a service filter they are the kept ones too (031): equal to a
	 * count, and what the kept rows say -- spoiled on purpose, the
	 * counts follow the spoiled row, not the applications. */
	f.service = "birth";
	assert_int_equal(db_journal_counts(fx->db, &f, kept, &err), 0);
	assert_int_equal(kept[HR_ST_AT_SPSZN], tdb_int(fx->db, "SELECT count(*) "
	    "FROM applications WHERE status = 'at_spszn' AND service_code = "
	    "'birth'"));
	assert_int_equal(kept[HR_ST_CHECKED], tdb_int(fx->db, "SELECT count(*) "
	    "FROM applications WHERE status = 'checked' AND service_code = "
	    "'birth'"));
	assert_int_equal(kept[HR_ST_DRAFT], 0);          /* not visible */
	assert_int_equal(tdb_int(fx->db, "SELECT count(*) FROM status_counts "
	    "WHERE scope = 'spszn' AND service = 'birth' AND status = "
	    "'checked' AND package_full = 1"), 1);
	tdb_exec(fx->db, "UPDATE status_counts SET n = n + 1000 WHERE scope = "
	    "'spszn' AND service = 'birth' AND status = 'checked' AND "
	    "package_full = 1");
	assert_int_equal(db_journal_counts(fx->db, &f, counted, &err), 0);
	assert_int_equal(counted[HR_ST_CHECKED], kept[HR_ST_CHECKED] + 1000);
	/* ... and with a package filter too */
	f.package = DB_PACKAGE_PARTIAL;
	assert_int_equal(db_journal_counts(fx->db, &f, counted, &err), 0);
	assert_int_equal(counted[HR_ST_CHECKED], tdb_int(fx->db, "SELECT "
	    "count(*) FROM applications WHERE status = 'checked' AND "
	    "service_code = 'birth' AND package_full = 0"));
	f.package = DB_PACKAGE_FULL;
	assert_int_equal(db_journal_counts(fx->db, &f, counted, &err), 0);
	assert_int_equal(counted[HR_ST_CHECKED], 1000 + tdb_int(fx->db,
	    "SELECT count(*) FROM applications WHERE status = 'checked' AND "
	    "service_code = 'birth' AND package_full = 1"));
	f.package = DB_PACKAGE_ANY;
	tdb_exec(fx->db, "UPDATE status_counts SET n = n - 1000 WHERE scope = "
	    "'spszn' AND service = 'birth' AND status = 'checked' AND "
	    "package_full = 1");
	/* A service the scope has none of: no rows, no walk. */
	f.service = "no_such_service";
	assert_int_equal(db_journal_counts(fx->db, &f, kept, &err), 0);
	for (int s = 0; s < HR_ST__COUNT; s++)
		assert_int_equal(kept[s], 0);
}

/*
 * A registration number or its start: found through the numbers' own
 * index (hromada, year, number) in every scope -- the same rows and
 * counts as testing each application of the scope, which is what a
 * count of the scope with that number gives.
 */
static void
test_journal_reg_no(void **state)
{
	struct fx *fx = *state;
	struct db_journal_filter f = { .scope_col = DB_SCOPE_HROMADA,
	    .status = -1, .limit = 7 };
	const struct { enum db_scope_col col; int64_t *id; const char *name; }
	    scopes[] = {
		{ DB_SCOPE_FRONT_OFFICE, &fx->cnap1, "front_office_id" },
		{ DB_SCOPE_HROMADA, &fx->hr1, "hromada_id" },
		{ DB_SCOPE_SPSZN, &fx->spszn, "spszn_id" },
		{ DB_SCOPE_OBLAST, &fx->oblast, "oblast_id" },
		{ DB_SCOPE_ALL, NULL, "1" },
	};
	int64_t counts[HR_ST__COUNT];
	struct hr_error err;
	struct jfx j;
	char one[32], plan[2048], sql[512];
	const char *starts[3];

	journal_fill(fx, &j);
	/* numbers over three years, as the registration gives them out */
	tdb_exec(fx->db, "UPDATE applications SET reg_year = 2026 - id % 3, "
	    "reg_no = printf('%05d/%d', id, 2026 - id % 3) WHERE id % 4 = 0");
	assert_true(tdb_int(fx->db, "SELECT count(*) FROM applications WHERE "
	    "reg_no IS NOT NULL") > 20);
	snprintf(sql, sizeof sql, "SELECT reg_no FROM applications WHERE "
	    "reg_no IS NOT NULL AND hromada_id = %lld ORDER BY id LIMIT 1 "
	    "OFFSET 3", (long long)fx->hr1);
	{
		sqlite3_stmt *st;

		assert_int_equal(sqlite3_prepare_v2(fx->db->sql, sql, -1, &st,
		    NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		snprintf(one, sizeof one, "%s", sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
	}
	starts[0] = one;          /* one number */
	starts[1] = "000";        /* a page reads the index from 3 characters */
	starts[2] = "0";          /* ... a shorter one walks; counts do not */
	for (size_t i = 0; i < sizeof scopes / sizeof scopes[0]; i++)
		for (size_t k = 0; k < 3; k++) {
			int64_t want, sum = 0;

			f.scope_col = scopes[i].col;
			f.scope_id = scopes[i].id ? *scopes[i].id : 0;
			f.reg_no = starts[k];
			snprintf(sql, sizeof sql, "SELECT count(*) FROM "
			    "applications WHERE %s = %lld AND substr(reg_no, 1, "
			    "%zu) = '%s'", scopes[i].name, (long long)f.scope_id,
			    strlen(starts[k]), starts[k]);
			if (scopes[i].id == NULL)
				snprintf(sql, sizeof sql, "SELECT count(*) FROM "
				    "applications WHERE substr(reg_no, 1, %zu) = "
				    "'%s'", strlen(starts[k]), starts[k]);
			want = tdb_int(fx->db, sql);
			assert_true(want > 0 || scopes[i].col ==
			    DB_SCOPE_FRONT_OFFICE);
			assert_int_equal(journal_walk_all(fx, &f, NULL), want);
			assert_int_equal(db_journal_counts(fx->db, &f, counts,
			    &err), 0);
			for (int st = 0; st < HR_ST__COUNT; st++)
				sum += counts[st];
			assert_int_equal(sum, want);
			f.before_id = 0;
			assert_int_equal(db_journal_plan(fx->db, &f, plan,
			    sizeof plan, &err), 0);
			if ((strlen(starts[k]) >= 3) != (strstr(plan,
			    "applications_reg_no") != NULL))
				fail_msg("reg_no %s: plan:\n%s", starts[k], plan);
		}
}

static void
assert_plan(struct fx *fx, const struct db_journal_filter *f, const char *index)
{
	struct hr_error err;
	char plan[2048];

	assert_int_equal(db_journal_plan(fx->db, f, plan, sizeof plan, &err), 0);
	if (getenv("TEST_DB_PLANS") != NULL)
		fprintf(stderr, "%s", plan);
	/* A narrow search sorts the few applications it found; nothing else
	 * may sort. */
	if ((strstr(plan, "TEMP B-TREE") != NULL && f->query == NULL) ||
	    strstr(plan, index) == NULL)
		fail_msg("journal plan should use %s without a sort:\n%s", index, plan);
}

/* A page of the kind ranges: index (or nothing: the scope has none of
 * the kind), at most one sort (the page's rows), none in a range. */
static void
assert_kind_plan(struct fx *fx, const struct db_journal_filter *f,
    const char *index)
{
	struct hr_error err;
	char plan[8192];
	const char *p, *sort = "TEMP B-TREE";

	assert_int_equal(db_journal_plan(fx->db, f, plan, sizeof plan, &err), 0);
	if (getenv("TEST_DB_PLANS") != NULL)
		fprintf(stderr, "%s", plan);
	p = strstr(plan, sort);
	if (strstr(plan, index) == NULL || (p != NULL &&
	    strstr(p + strlen(sort), sort) != NULL))
		fail_msg("journal plan should merge ranges of %s:\n%s", index,
		    plan);
}

static void
journal_plans(struct fx *fx)
{
	struct db_journal_filter f = { DB_SCOPE_HROMADA, 0, -1, NULL, NULL, 0, 50,
	    0, 0, 0, 0 };

	f.scope_id = fx->hr1;
	f.before_id = 100;
	assert_plan(fx, &f, "applications_hromada_walk");
	f.scope_col = DB_SCOPE_FRONT_OFFICE;
	assert_plan(fx, &f, "applications_front_walk");
	f.scope_col = DB_SCOPE_SPSZN;
	assert_plan(fx, &f, "applications_spszn_walk");
	f.scope_col = DB_SCOPE_OBLAST;
	assert_plan(fx, &f, "applications_oblast_walk");
	/* A back office's page tests the statuses it may see on the same
	 * index (007_journal_walk), still in id order; with a package, the
	 * kind index's ranges (036_journal_kinds). */
	f.scope_col = DB_SCOPE_SPSZN;
	f.visible = (1u << HR_ST_AT_SPSZN) | (1u << HR_ST_CHECKED);
	assert_plan(fx, &f, "applications_spszn_walk");
	f.package = DB_PACKAGE_FULL;
	assert_kind_plan(fx, &f, "applications_spszn_kind");
	/* Exactly the statuses the back office sees (proto/workflow.c): its
	 * partial index, which only holds those; if this fails, the index's
	 * condition in 007_journal_walk.sql and the workflow have drifted. */
	f.visible = hr_workflow_visible_mask(HR_ROLE_SPSZN);
	assert_kind_plan(fx, &f, "applications_spszn_kind");
	f.package = DB_PACKAGE_ANY;
	assert_plan(fx, &f, "applications_spszn_seen");
	/* One status (or a service): the ranges of its combinations on the
	 * kind index (036_journal_kinds), merged in id order; the only sort
	 * is of the page's own rows. */
	f.visible = 0;
	f.scope_col = DB_SCOPE_HROMADA;
	f.status = HR_ST_AT_OTG;
	assert_kind_plan(fx, &f, "applications_hromada_kind");
	f.scope_col = DB_SCOPE_SPSZN;
	f.visible = hr_workflow_visible_mask(HR_ROLE_SPSZN);
	f.status = HR_ST_CHECKED;
	assert_kind_plan(fx, &f, "applications_spszn_kind");
	f.visible = 0;
	f.status = -1;
	f.service = "subsidy";
	f.scope_col = DB_SCOPE_FRONT_OFFICE;
	assert_kind_plan(fx, &f, "applications_front_kind");
	f.service = NULL;
	f.scope_col = DB_SCOPE_SPSZN;
	f.status = HR_ST_AT_OTG;
	/* «не повідомлено»: the partial index of the untold decisions. */
	f.status = HR_ST_ANSWERED;
	f.unnotified = 1;
	f.scope_col = DB_SCOPE_FRONT_OFFICE;
	assert_plan(fx, &f, "applications_front_unnotified");
	f.scope_col = DB_SCOPE_HROMADA;
	assert_plan(fx, &f, "applications_hromada_unnotified");
	f.unnotified = 0;
	f.scope_col = DB_SCOPE_SPSZN;
	/* A name search in a scope with a name index of its own reads that
	 * index's range, narrow in the country or not (their own copy's
	 * name, 014); only where there is none (an oblast, the country) a
	 * narrow one starts from the applications bearing the name; a narrow
	 * РНОКПП search from persons, reaching the applications through the
	 * applicant index. */
	f.status = -1;
	f.query = "Іваненко";
	assert_plan(fx, &f, "applications_spszn_search (spszn_id=? AND "
	    "applicant_search>? AND applicant_search<?)");
	f.scope_col = DB_SCOPE_OBLAST;
	assert_plan(fx, &f, "applications_search (applicant_search>? AND "
	    "applicant_search<?)");
	f.scope_col = DB_SCOPE_SPSZN;
	f.query = "3652504575";
	assert_plan(fx, &f, "(rnokpp=?)");
	assert_plan(fx, &f, "applications_applicant");
	/* A wide one (many persons match) that few of the scope's
	 * applications match reads the scope's range of the name index
	 * (005_perf); a dense one walks the scope in order
	 * (tests/unit/test_journal_scope.c checks both ways' answers). */
	f.query = "ш";
	assert_plan(fx, &f, "applications_spszn_search (spszn_id=? AND "
	    "applicant_search>? AND applicant_search<?)");
	f.query = "шев";
	f.scope_col = DB_SCOPE_FRONT_OFFICE;
	assert_plan(fx, &f, "applications_front_search (front_office_id=? AND "
	    "applicant_search>? AND applicant_search<?)");
	/* Deadlines (issue 17): late, expiring and the clock order read the
	 * scope's (scope, due date) index from the cursor, no sort, whatever
	 * the statuses the role sees (022_deadlines). */
	f.query = NULL;
	f.today = 46363;
	f.after_clock = db_journal_clock_key(46000, 7);
	f.clock = DB_CLOCK_LATE;
	assert_plan(fx, &f, "applications_front_clock (front_office_id=? AND "
	    "stage_due>? AND stage_due<?)");
	f.scope_col = DB_SCOPE_HROMADA;
	f.clock = DB_CLOCK_EXPIRING;
	assert_plan(fx, &f, "applications_hromada_clock (hromada_id=?");
	f.scope_col = DB_SCOPE_SPSZN;
	f.clock = DB_CLOCK_ANY;
	f.clock_order = 1;
	f.visible = hr_workflow_visible_mask(HR_ROLE_SPSZN);
	assert_plan(fx, &f, "applications_spszn_clock (spszn_id=?");
	f.visible = 0;
	f.clock_order = 0;
	f.after_clock = 0;
}

/* The plans hold on a database never analysed (how it is deployed) and
 * after ANALYZE. */
static void
test_journal_plan(void **state)
{
	struct fx *fx = *state;
	struct jfx j;

	journal_fill(fx, &j);
	many_apps(fx, "шевчук ");
	journal_plans(fx);
	tdb_exec(fx->db, "ANALYZE");
	journal_plans(fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_migrations_reopen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_statement_cache, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_statement_cache_bytes, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_users, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_each_scope, setup, teardown),
		cmocka_unit_test(test_throttle_source),
		cmocka_unit_test_setup_teardown(test_throttle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_throttle_user_ceiling, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_throttle_ipv6, setup, teardown),
		cmocka_unit_test_setup_teardown(test_throttle_inflight, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_throttle_admin, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_tickets, setup, teardown),
		cmocka_unit_test(test_ticket_binder),
		cmocka_unit_test_setup_teardown(test_audit_intact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_deleted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_altered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_reordered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_rehashed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_territory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_journal_scope, setup, teardown),
		cmocka_unit_test_setup_teardown(test_journal_query, setup, teardown),
		cmocka_unit_test_setup_teardown(test_journal_plan, setup, teardown),
		cmocka_unit_test_setup_teardown(test_journal_reg_no, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_journal_counts_kept, setup,
		    teardown),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
