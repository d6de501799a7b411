/*
 * audit.c — the hash-chained audit log.
 *
 * hash(n) = BLAKE2b-256(prev_hash(n) || encode(id, at, user_id, actor,
 * address, action, object, detail)), with prev_hash(1) = 32 zero bytes and
 * prev_hash(n) = hash(n - 1).  encode() writes integers as 8 bytes big-endian
 * and each text as a presence byte (0 for NULL) then a 4-byte big-endian
 * length and the bytes, so no two different records encode alike (a NULL and
 * an empty text differ; "ab"+"c" differs from "a"+"bc").  Ids are assigned
 * here as last id + 1 inside the write transaction, so the chain order is
 * the id order and a gap in ids is a deleted record.
 */
#include "db/audit.h"
#include "db/db_priv.h"

#include <assert.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AUDIT_HASH_LEN DB_AUDIT_HASH_LEN

/* ---- the encoding (also the archive's, db/audit_archive.c) ---- */

static uint8_t *
audit_put_int(uint8_t *p, int64_t v)
{
	uint64_t u = (uint64_t)v;

	for (int i = 7; i >= 0; i--, u >>= 8)
		p[i] = (uint8_t)(u & 0xff);
	return p + 8;
}

static int64_t
audit_get_int(const uint8_t *p)
{
	uint64_t u = 0;

	for (int i = 0; i < 8; i++)
		u = u << 8 | p[i];
	return (int64_t)u;
}

size_t
db_audit_encode(const struct db_audit_fields *f, uint8_t *buf, size_t cap)
{
	size_t need = 3 * 8;
	uint8_t *p = buf;

	for (int i = 0; i < 5; i++)
		need += 5 + (f->text[i] != NULL ? f->len[i] : 0);
	if (buf == NULL || cap < need)
		return need;
	p = audit_put_int(p, f->id);
	p = audit_put_int(p, f->at);
	p = audit_put_int(p, f->user_id);
	for (int i = 0; i < 5; i++) {
		size_t len = f->text[i] != NULL ? f->len[i] : 0;

		*p++ = f->text[i] != NULL;
		*p++ = (uint8_t)(len >> 24);
		*p++ = (uint8_t)(len >> 16);
		*p++ = (uint8_t)(len >> 8);
		*p++ = (uint8_t)len;
		if (len > 0)
			memcpy(p, f->text[i], len);
		p += len;
	}
	return need;
}

int
db_audit_decode(const uint8_t *p, size_t len, size_t *used,
    struct db_audit_fields *f)
{
	size_t off = 24;

	if (len < off)
		return -1;
	f->id = audit_get_int(p);
	f->at = audit_get_int(p + 8);
	f->user_id = audit_get_int(p + 16);
	for (int i = 0; i < 5; i++) {
		size_t n;

		if (len - off < 5 || p[off] > 1)
			return -1;
		n = (size_t)p[off + 1] << 24 | (size_t)p[off + 2] << 16 |
		    (size_t)p[off + 3] << 8 | (size_t)p[off + 4];
		if (len - off - 5 < n || (p[off] == 0 && n != 0))
			return -1;
		f->text[i] = p[off] ? (const char *)p + off + 5 : NULL;
		f->len[i] = n;
		off += 5 + n;
	}
	*used = off;
	return 0;
}

void
db_audit_hash(const uint8_t prev[DB_AUDIT_HASH_LEN],
    const struct db_audit_fields *f, uint8_t out[DB_AUDIT_HASH_LEN])
{
	crypto_generichash_state h;
	uint8_t small[512], *buf = small;
	size_t n = db_audit_encode(f, NULL, 0);

	if (n > sizeof small && (buf = malloc(n)) == NULL) {
		/* Hash it in pieces rather than fail: the same bytes. */
		uint8_t head[24];

		crypto_generichash_init(&h, NULL, 0, AUDIT_HASH_LEN);
		crypto_generichash_update(&h, prev, AUDIT_HASH_LEN);
		audit_put_int(audit_put_int(audit_put_int(head, f->id), f->at),
		    f->user_id);
		crypto_generichash_update(&h, head, sizeof head);
		for (int i = 0; i < 5; i++) {
			size_t len = f->text[i] != NULL ? f->len[i] : 0;
			uint8_t b[5] = { f->text[i] != NULL, (uint8_t)(len >> 24),
			    (uint8_t)(len >> 16), (uint8_t)(len >> 8),
			    (uint8_t)len };

			crypto_generichash_update(&h, b, sizeof b);
			if (len > 0)
				crypto_generichash_update(&h,
				    (const uint8_t *)f->text[i], len);
		}
		crypto_generichash_final(&h, out, AUDIT_HASH_LEN);
		return;
	}
	db_audit_encode(f, buf, n);
	crypto_generichash_init(&h, NULL, 0, AUDIT_HASH_LEN);
	crypto_generichash_update(&h, prev, AUDIT_HASH_LEN);
	crypto_generichash_update(&h, buf, n);
	crypto_generichash_final(&h, out, AUDIT_HASH_LEN);
	if (buf != small)
		free(buf);
}

/* ---- what a record names (searching by person or application) ---- */

static int
audit_text_is(const char *t, size_t n, const char *s)
{
	return t != NULL && n == strlen(s) && memcmp(t, s, n) == 0;
}

/* Decimal id at p[0..n) up to a non-digit; the digits taken, or 0. */
static size_t
audit_id_at(const char *p, size_t n, int64_t *id)
{
	size_t i = 0;
	int64_t v = 0;

	while (i < n && p[i] >= '0' && p[i] <= '9' && i < 18)
		v = v * 10 + (p[i++] - '0');
	*id = v;
	return v > 0 ? i : 0;
}

void
db_audit_keys(const struct db_audit_fields *f, db_audit_key_fn *fn, void *ud)
{
	static const struct { const char *prefix; int kind; } objects[] = {
		{ "application:", DB_AUDIT_APPLICATION },
		{ "person:", DB_AUDIT_PERSON },
	};
	const char *o = f->text[3], *d = f->text[4];
	size_t on = f->len[3], dn = f->len[4];
	int kind = 0;
	int64_t id;

	for (size_t k = 0; o != NULL && k < 2; k++) {
		size_t pl = strlen(objects[k].prefix);

		if (on > pl && memcmp(o, objects[k].prefix, pl) == 0 &&
		    audit_id_at(o + pl, on - pl, &id) == on - pl)
			fn(ud, objects[k].kind, id);
	}
	/* The ids a page or a search showed: "...; ids 7,5,3". */
	if (audit_text_is(f->text[2], f->len[2], "journal.read"))
		kind = DB_AUDIT_APPLICATION;
	else if (audit_text_is(f->text[2], f->len[2], "person.search"))
		kind = DB_AUDIT_PERSON;
	if (kind == 0 || d == NULL)
		return;
	for (size_t i = 0; i + 4 <= dn; i++) {
		size_t k;

		if (memcmp(d + i, "ids ", 4) != 0 || (i > 0 && d[i - 1] != ' '))
			continue;
		for (k = i + 4; k < dn; ) {
			size_t got = audit_id_at(d + k, dn - k, &id);

			if (got == 0)
				break;
			fn(ud, kind, id);
			k += got;
			if (k >= dn || d[k] != ',')
				break;
			k++;
		}
		break;
	}
}

struct audit_match {
	int     kind;
	int64_t id;
	int     found;
};

static void
audit_match_key(void *ud, int kind, int64_t id)
{
	struct audit_match *m = ud;

	if (kind == m->kind && id == m->id)
		m->found = 1;
}

int
db_audit_names(const struct db_audit_fields *f, int kind, int64_t id)
{
	struct audit_match m = { kind, id, 0 };

	db_audit_keys(f, audit_match_key, &m);
	return m.found;
}

/* ---- appending ---- */

/*
 * Id and hash of the newest record; when every record is archived, the
 * newest archived one (the registry keeps it); id 0 and zero hash when
 * there never was one.
 */
static int
audit_last(struct hr_db *db, int64_t *id, uint8_t hash[AUDIT_HASH_LEN],
    struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT id, hash FROM audit_log "
	    "ORDER BY id DESC LIMIT 1", err);
	int rc;

	*id = 0;
	memset(hash, 0, AUDIT_HASH_LEN);
	if (st == NULL)
		return -1;
	rc = db_step_row(db, st, "read the last audit record", err);
	if (rc < 0)
		return -1;
	if (rc == 0 && db_has_table(db, "audit_archives")) {
		st = db_prepare(db, "SELECT last_id, last_hash FROM "
		    "audit_archives ORDER BY last_id DESC LIMIT 1", err);
		if (st == NULL || (rc = db_step_row(db, st, "read the audit "
		    "archives", err)) < 0)
			return -1;
	}
	if (rc == 0)
		return 0;
	*id = sqlite3_column_int64(st, 0);
	if (sqlite3_column_bytes(st, 1) == AUDIT_HASH_LEN)
		memcpy(hash, sqlite3_column_blob(st, 1), AUDIT_HASH_LEN);
	(void)sqlite3_reset(st);
	return 0;
}

static void
audit_set_text(struct db_audit_fields *r, int i, const char *s)
{
	r->text[i] = s;
	r->len[i] = s != NULL ? strlen(s) : 0;
}

static int
audit_append(struct hr_db *db, const struct db_audit_entry *e, int64_t at,
    struct hr_error *err)
{
	uint8_t prev[AUDIT_HASH_LEN], hash[AUDIT_HASH_LEN];
	struct db_audit_fields r;
	int64_t last;

	/* The last hash and the new row in one write transaction (above). */
	assert(!sqlite3_get_autocommit(db->sql));
	if (audit_last(db, &last, prev, err) < 0)
		return -1;
	r.id = last + 1;
	r.at = at;
	r.user_id = e->user_id;
	audit_set_text(&r, 0, e->actor);
	audit_set_text(&r, 1, e->address);
	audit_set_text(&r, 2, e->action);
	audit_set_text(&r, 3, e->object);
	audit_set_text(&r, 4, e->detail);
	db_audit_hash(prev, &r, hash);
	return db_run(db, "INSERT INTO audit_log (id, at, user_id, actor, "
	    "address, action, object, detail, prev_hash, hash) VALUES "
	    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "append to the audit log", err,
	    "iiitttttbb", r.id, r.at, r.user_id, e->actor, e->address,
	    e->action, e->object, e->detail, prev, (size_t)AUDIT_HASH_LEN,
	    hash, (size_t)AUDIT_HASH_LEN);
}

int
db_audit(struct hr_db *db, const struct db_audit_entry *e, struct hr_error *err)
{
	return db_audit_at(db, e, db_now(), err);
}

int
db_audit_at(struct hr_db *db, const struct db_audit_entry *e, int64_t at,
    struct hr_error *err)
{
	int own, rc;

	if (e->actor == NULL || e->action == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "audit record without "
		    "actor or action");
	/* Reading the last hash and appending must not interleave with
	 * another writer: both happen under the write lock. */
	if (db_tx_enter(db, &own, err) < 0)
		return -1;
	rc = audit_append(db, e, at, err);
	return db_tx_leave(db, own, rc, err);
}

/* A text column as (pointer, length), NULL kept. */
static void
audit_col_text(sqlite3_stmt *st, int col, struct db_audit_fields *r, int i)
{
	r->text[i] = (const char *)sqlite3_column_text(st, col);
	r->len[i] = r->text[i] != NULL ? (size_t)sqlite3_column_bytes(st, col) : 0;
}

/* Check one row against the expected predecessor; names the break. */
static int
audit_check_row(sqlite3_stmt *st, int64_t expect_id,
    uint8_t prev[AUDIT_HASH_LEN], struct hr_error *err)
{
	uint8_t want[AUDIT_HASH_LEN];
	struct db_audit_fields r;

	r.id = sqlite3_column_int64(st, 0);
	r.at = sqlite3_column_int64(st, 1);
	r.user_id = sqlite3_column_int64(st, 2);
	for (int i = 0; i < 5; i++)
		audit_col_text(st, 3 + i, &r, i);
	if (r.id != expect_id)
		return hr_errorf(err, HR_E_INVALID, "audit.missing",
		    "audit chain broken at record {id}: record {other} is "
		    "missing", HR_INT("id", r.id), HR_INT("other", expect_id));
	if (sqlite3_column_bytes(st, 8) != AUDIT_HASH_LEN ||
	    sodium_memcmp(sqlite3_column_blob(st, 8), prev, AUDIT_HASH_LEN) != 0)
		return hr_errorf(err, HR_E_INVALID, "audit.order", "audit "
		    "chain broken at record {id}: it does not follow record "
		    "{other} (removed, reordered or replaced records)",
		    HR_INT("id", r.id), HR_INT("other", r.id - 1));
	db_audit_hash(prev, &r, want);
	if (sqlite3_column_bytes(st, 9) != AUDIT_HASH_LEN ||
	    sodium_memcmp(sqlite3_column_blob(st, 9), want, AUDIT_HASH_LEN) != 0)
		return hr_errorf(err, HR_E_INVALID, "audit.altered",
		    "audit chain broken at record {id}: its content was altered"
		    , HR_INT("id", r.id));
	memcpy(prev, want, AUDIT_HASH_LEN);
	return 0;
}

/*
 * Where the live chain begins: the first live id and the hash it must
 * follow.  Without archives, record 1 and 32 zero bytes.  With them, the
 * registry must be one chain of segments from record 1 on, each deleted
 * from audit_log in order; the live log continues where the deletion got
 * (the hash of the last record deleted, kept with it).
 */
static int
audit_live_start(struct hr_db *db, int64_t *first, uint8_t prev[AUDIT_HASH_LEN],
    struct hr_error *err)
{
	sqlite3_stmt *st;
	uint8_t last[AUDIT_HASH_LEN] = { 0 };
	int64_t next = 1, deleted = 0;
	int rc, partial = 0;

	*first = 1;
	memset(prev, 0, AUDIT_HASH_LEN);
	if (!db_has_table(db, "audit_archives"))
		return 0;
	st = db_prepare(db, "SELECT first_id, last_id, prev_hash, last_hash, "
	    "deleted_to, deleted_hash FROM audit_archives ORDER BY first_id",
	    err);
	if (st == NULL)
		return -1;
	while ((rc = db_step_row(db, st, "read the audit archives", err)) == 1) {
		int64_t f = sqlite3_column_int64(st, 0);
		int64_t l = sqlite3_column_int64(st, 1);
		int64_t d = sqlite3_column_int64(st, 4);

		if (f != next || sqlite3_column_bytes(st, 2) != AUDIT_HASH_LEN ||
		    sodium_memcmp(sqlite3_column_blob(st, 2), last,
		    AUDIT_HASH_LEN) != 0 ||
		    sqlite3_column_bytes(st, 3) != AUDIT_HASH_LEN ||
		    sqlite3_column_bytes(st, 5) != AUDIT_HASH_LEN) {
			(void)sqlite3_reset(st);
			return hr_errorf(err, HR_E_INVALID, "audit.archive_chain",
			    "audit archives broken at the segment from record "
			    "{id}: it does not continue the segment before it",
			    HR_INT("id", f));
		}
		if (partial && d >= f) {
			(void)sqlite3_reset(st);
			return hr_errorf(err, HR_E_INVALID, "audit.archive_order",
			    "audit archives: records of the segment from {id} "
			    "are deleted before an older segment's",
			    HR_INT("id", f));
		}
		if (d >= f) {
			deleted = d;
			memcpy(prev, sqlite3_column_blob(st, 5), AUDIT_HASH_LEN);
		}
		partial |= d < l;
		memcpy(last, sqlite3_column_blob(st, 3), AUDIT_HASH_LEN);
		next = l + 1;
	}
	if (rc < 0)
		return -1;
	*first = deleted + 1;
	return 0;
}

/* Each archive's anchor record, while still live, says what the registry
 * row says (the chain binds the registry). */
static int
audit_check_anchors(struct hr_db *db, int64_t first, struct hr_error *err)
{
	sqlite3_stmt *st;
	char want[DB_AUDIT_ANCHOR_MAX];
	int rc;

	if (!db_has_table(db, "audit_archives"))
		return 0;
	st = db_prepare(db, "SELECT r.first_id, r.last_id, r.records, "
	    "r.first_at, r.last_at, r.file, r.prev_hash, r.last_hash, "
	    "a.action, a.object, a.detail, r.anchor_id FROM audit_archives r "
	    "LEFT JOIN audit_log a ON a.id = r.anchor_id WHERE r.anchor_id >= ? "
	    "ORDER BY r.first_id", err);
	if (st == NULL || db_bindf(db, st, "audit anchors", err, "i", first) < 0)
		return -1;
	while ((rc = db_step_row(db, st, "read the audit anchors", err)) == 1) {
		const char *action = (const char *)sqlite3_column_text(st, 8);
		const char *object = (const char *)sqlite3_column_text(st, 9);
		const char *detail = (const char *)sqlite3_column_text(st, 10);
		char obj[64];

		db_audit_anchor_text(sqlite3_column_int64(st, 0),
		    sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2),
		    sqlite3_column_int64(st, 3), sqlite3_column_int64(st, 4),
		    (const char *)sqlite3_column_text(st, 5),
		    sqlite3_column_blob(st, 6), sqlite3_column_blob(st, 7), obj,
		    sizeof obj, want, sizeof want);
		if (action == NULL || strcmp(action, "audit.archive") != 0 ||
		    object == NULL || strcmp(object, obj) != 0 ||
		    detail == NULL || strcmp(detail, want) != 0) {
			int64_t id = sqlite3_column_int64(st, 11);

			(void)sqlite3_reset(st);
			return hr_errorf(err, HR_E_INVALID, "audit.archive_anchor",
			    "audit archives: record {id} does not anchor the "
			    "archived segment the registry holds (the registry "
			    "was altered)", HR_INT("id", id));
		}
	}
	return rc;
}

void
db_audit_anchor_text(int64_t first_id, int64_t last_id, int64_t records,
    int64_t first_at, int64_t last_at, const char *file,
    const void *prev_hash, const void *last_hash, char *object,
    size_t ocap, char *detail, size_t dcap)
{
	char prev[AUDIT_HASH_LEN * 2 + 1] = "", last[AUDIT_HASH_LEN * 2 + 1] = "";

	if (prev_hash != NULL)
		sodium_bin2hex(prev, sizeof prev, prev_hash, AUDIT_HASH_LEN);
	if (last_hash != NULL)
		sodium_bin2hex(last, sizeof last, last_hash, AUDIT_HASH_LEN);
	snprintf(object, ocap, "audit:%lld-%lld", (long long)first_id,
	    (long long)last_id);
	snprintf(detail, dcap, "records %lld..%lld (%lld), at %lld..%lld, "
	    "archived to %s; prev %s; last %s", (long long)first_id,
	    (long long)last_id, (long long)records, (long long)first_at,
	    (long long)last_at, file ? file : "?", prev, last);
}

int
db_audit_verify(struct hr_db *db, int64_t *checked, struct hr_error *err)
{
	sqlite3_stmt *st;
	uint8_t prev[AUDIT_HASH_LEN];
	int64_t n = 0, first;
	int rc;

	if (checked != NULL)
		*checked = 0;
	if (audit_live_start(db, &first, prev, err) < 0)
		return -1;
	st = db_prepare(db, "SELECT id, at, user_id, actor, address, action, "
	    "object, detail, prev_hash, hash FROM audit_log ORDER BY id", err);
	if (st == NULL)
		return -1;
	while ((rc = db_step_row(db, st, "read the audit log", err)) == 1) {
		if (audit_check_row(st, first + n, prev, err) < 0) {
			(void)sqlite3_reset(st);
			return -1;
		}
		n++;
		if (checked != NULL)
			*checked = n;
	}
	if (rc < 0)
		return -1;
	return audit_check_anchors(db, first, err);
}

int
db_audit_head(struct hr_db *db, char out[DB_AUDIT_HEAD_MAX],
    struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT id, hash FROM audit_log "
	    "ORDER BY id DESC LIMIT 1", err);
	char hex[AUDIT_HASH_LEN * 2 + 1];
	int rc;

	if (st == NULL)
		return -1;
	rc = db_step_row(db, st, "read the audit head", err);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		snprintf(out, DB_AUDIT_HEAD_MAX, "0:");
		return 0;
	}
	if (sqlite3_column_bytes(st, 1) != AUDIT_HASH_LEN) {
		(void)sqlite3_reset(st);
		return hr_errorf(err, HR_E_INVALID, "audit.hash", "audit "
		    "record {id} has no valid hash", HR_INT("id",
		    sqlite3_column_int64(st, 0)));
	}
	sodium_bin2hex(hex, sizeof hex, sqlite3_column_blob(st, 1),
	    AUDIT_HASH_LEN);
	snprintf(out, DB_AUDIT_HEAD_MAX, "%lld:%s",
	    (long long)sqlite3_column_int64(st, 0), hex);
	(void)sqlite3_reset(st);
	return 0;
}

int
db_audit_anchor_parse(const char *anchor, int64_t *id,
    uint8_t hash[DB_AUDIT_HASH_LEN], struct hr_error *err)
{
	const char *colon = strchr(anchor, ':');
	char *end;
	size_t got = 0;
	long long v;

	v = strtoll(anchor, &end, 10);
	if (colon == NULL || end != colon || v < 1 ||
	    sodium_hex2bin(hash, AUDIT_HASH_LEN, colon + 1, strlen(colon + 1),
	    NULL, &got, NULL) != 0 || got != AUDIT_HASH_LEN)
		return hr_errorf(err, HR_E_USAGE, "audit.anchor", "audit "
		    "anchor '{value}': expected ID:HASH as hromadad logged it "
		    "or `audit head` printed it (a record id, a colon, 64 hex "
		    "digits)", HR_STR("value", anchor));
	*id = v;
	return 0;
}

/* An anchored record whose hash is not the anchor's. */
static int
audit_rewritten(int64_t id, struct hr_error *err)
{
	return hr_errorf(err, HR_E_INVALID, "audit.rewritten",
	    "audit log rewritten: record {id} does not have the anchored "
	    "hash (the chain up to it was rebuilt)", HR_INT("id", id));
}

/*
 * An anchored record that is archived: the registry knows the hash of each
 * segment's last record (and of the last one deleted); any other needs the
 * archive file.  0 checked, -1 with err, 1 not archived (look in the log).
 */
static int
audit_head_archived(struct hr_db *db, int64_t id,
    const uint8_t want[AUDIT_HASH_LEN], struct hr_error *err)
{
	sqlite3_stmt *st;
	const void *h = NULL;
	int rc;

	if (!db_has_table(db, "audit_archives"))
		return 1;
	st = db_prepare(db, "SELECT first_id, last_id, last_hash, deleted_to, "
	    "deleted_hash FROM audit_archives WHERE ?1 BETWEEN first_id AND "
	    "deleted_to", err);
	if (st == NULL || db_bindf(db, st, "audit anchor", err, "i", id) < 0)
		return -1;
	if ((rc = db_step_row(db, st, "read the audit archives", err)) <= 0)
		return rc < 0 ? -1 : 1;
	if (sqlite3_column_int64(st, 1) == id)
		h = sqlite3_column_blob(st, 2);
	else if (sqlite3_column_int64(st, 3) == id)
		h = sqlite3_column_blob(st, 4);
	if (h == NULL) {
		int64_t f = sqlite3_column_int64(st, 0), l =
		    sqlite3_column_int64(st, 1);

		(void)sqlite3_reset(st);
		return hr_errorf(err, HR_E_USAGE, "audit.anchor_archived",
		    "record {id} is archived (records {first}..{last}): check "
		    "the anchor against that archive file with audit verify "
		    "--archive FILE --head", HR_INT("id", id), HR_INT("first", f),
		    HR_INT("last", l));
	}
	rc = sodium_memcmp(h, want, AUDIT_HASH_LEN) == 0;
	(void)sqlite3_reset(st);
	if (!rc)
		return audit_rewritten(id, err);
	return 0;
}

int
db_audit_verify_head(struct hr_db *db, const char *anchor, int64_t *checked,
    struct hr_error *err)
{
	uint8_t want[AUDIT_HASH_LEN];
	sqlite3_stmt *st;
	int64_t id = 0;
	int rc;

	if (db_audit_anchor_parse(anchor, &id, want, err) < 0 ||
	    db_audit_verify(db, checked, err) < 0)
		return -1;
	if ((rc = audit_head_archived(db, id, want, err)) <= 0)
		return rc;                /* archived: checked there, or -1 */
	st = db_prepare(db, "SELECT hash FROM audit_log WHERE id = ?", err);
	if (st == NULL || db_bindf(db, st, "audit anchor", err, "i", id) < 0)
		return -1;
	rc = db_step_row(db, st, "read the anchored record", err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return hr_errorf(err, HR_E_INVALID, "audit.cut", "audit log "
		    "cut: record {id}, the anchor, is gone; the log now ends "
		    "at record {other} (records after it were removed, or this "
		    "is an older copy)", HR_INT("id", id), HR_INT("other",
		    checked ? *checked : 0));
	rc = sqlite3_column_bytes(st, 0) == AUDIT_HASH_LEN &&
	    sodium_memcmp(sqlite3_column_blob(st, 0), want, AUDIT_HASH_LEN) == 0;
	(void)sqlite3_reset(st);
	if (!rc)
		return audit_rewritten(id, err);
	return 0;
}

/* Does a record pass the parts of a filter SQL cannot test? */
int
db_audit_filter_names(const struct db_audit_filter *f,
    const struct db_audit_fields *r)
{
	return (f->person == 0 || db_audit_names(r, DB_AUDIT_PERSON,
	    f->person)) && (f->application == 0 || db_audit_names(r,
	    DB_AUDIT_APPLICATION, f->application));
}

int
db_audit_each(struct hr_db *db, const struct db_audit_filter *f,
    db_audit_fn *fn, void *ud, struct hr_error *err)
{
	/* By person or application: the object, or an id in the detail of a
	 * page or a search (instr narrows, db_audit_names decides), so the
	 * limit is counted here. */
	sqlite3_stmt *st = db_prepare(db, "SELECT id, at, user_id, actor, "
	    "address, action, object, detail FROM audit_log WHERE "
	    "(?1 IS NULL OR actor = ?1) AND (?2 IS NULL OR action GLOB ?2) AND "
	    "(?3 IS NULL OR object = ?3) AND (?4 = 0 OR at >= ?4) AND "
	    "(?5 = 0 OR at < ?5) AND (?7 = 0 OR object = 'person:' || ?7 OR "
	    "instr(detail, ?7) > 0) AND (?8 = 0 OR object = 'application:' || "
	    "?8 OR instr(detail, ?8) > 0) ORDER BY id DESC LIMIT ?6", err);
	int by_names = f->person != 0 || f->application != 0;
	int64_t left = f->limit > 0 ? f->limit : -1;
	int rc = 0;

	if (st == NULL || db_bindf(db, st, "audit filter", err, "tttiiiii",
	    f->actor, f->action, f->object, f->since, f->until,
	    f->limit > 0 && !by_names ? (int64_t)f->limit : (int64_t)-1,
	    f->person, f->application) < 0)
		return -1;
	while (left != 0 &&
	    (rc = db_step_row(db, st, "read the audit log", err)) == 1) {
		struct db_audit_record r = {
			sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
			sqlite3_column_int64(st, 2), db_text(st, 3),
			db_text(st, 4), db_text(st, 5), db_text(st, 6),
			db_text(st, 7),
		};

		if (by_names) {
			struct db_audit_fields fl = { r.id, r.at, r.user_id,
			    { r.actor, r.address, r.action, r.object, r.detail },
			    { 0 } };

			for (int i = 0; i < 5; i++)
				fl.len[i] = fl.text[i] ? strlen(fl.text[i]) : 0;
			if (!db_audit_filter_names(f, &fl))
				continue;
		}
		if (left > 0)
			left--;
		if ((rc = fn(ud, &r)) != 0) {
			(void)sqlite3_reset(st);
			return rc < 0 ? -1 : 0;
		}
	}
	if (left == 0) {                  /* enough: the rest is not read */
		(void)sqlite3_reset(st);
		return 0;
	}
	return rc;
}
