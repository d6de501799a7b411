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

#define AUDIT_HASH_LEN 32u

/* The fields of one record as they are hashed. */
struct audit_rec {
	int64_t     id, at, user_id;
	const char *text[5];   /* actor, address, action, object, detail */
	size_t      len[5];
};

static void
audit_put_int(crypto_generichash_state *h, int64_t v)
{
	uint8_t b[8];
	uint64_t u = (uint64_t)v;

	for (int i = 7; i >= 0; i--, u >>= 8)
		b[i] = (uint8_t)(u & 0xff);
	crypto_generichash_update(h, b, sizeof b);
}

static void
audit_put_text(crypto_generichash_state *h, const char *s, size_t len)
{
	uint8_t b[5] = { s != NULL, (uint8_t)(len >> 24), (uint8_t)(len >> 16),
	    (uint8_t)(len >> 8), (uint8_t)len };

	crypto_generichash_update(h, b, sizeof b);
	if (s != NULL && len > 0)
		crypto_generichash_update(h, (const uint8_t *)s, len);
}

static void
audit_hash(const uint8_t prev[AUDIT_HASH_LEN], const struct audit_rec *r,
    uint8_t out[AUDIT_HASH_LEN])
{
	crypto_generichash_state h;

	crypto_generichash_init(&h, NULL, 0, AUDIT_HASH_LEN);
	crypto_generichash_update(&h, prev, AUDIT_HASH_LEN);
	audit_put_int(&h, r->id);
	audit_put_int(&h, r->at);
	audit_put_int(&h, r->user_id);
	for (int i = 0; i < 5; i++)
		audit_put_text(&h, r->text[i], r->len[i]);
	crypto_generichash_final(&h, out, AUDIT_HASH_LEN);
}

/* Id and hash of the newest record; id 0 and zero hash when empty. */
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
	if (rc <= 0)
		return rc;
	*id = sqlite3_column_int64(st, 0);
	if (sqlite3_column_bytes(st, 1) == AUDIT_HASH_LEN)
		memcpy(hash, sqlite3_column_blob(st, 1), AUDIT_HASH_LEN);
	(void)sqlite3_reset(st);
	return 0;
}

static void
audit_set_text(struct audit_rec *r, int i, const char *s)
{
	r->text[i] = s;
	r->len[i] = s != NULL ? strlen(s) : 0;
}

static int
audit_append(struct hr_db *db, const struct db_audit_entry *e, int64_t at,
    struct hr_error *err)
{
	uint8_t prev[AUDIT_HASH_LEN], hash[AUDIT_HASH_LEN];
	struct audit_rec r;
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
	audit_hash(prev, &r, hash);
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
audit_col_text(sqlite3_stmt *st, int col, struct audit_rec *r, int i)
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
	struct audit_rec r;

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
	audit_hash(prev, &r, want);
	if (sqlite3_column_bytes(st, 9) != AUDIT_HASH_LEN ||
	    sodium_memcmp(sqlite3_column_blob(st, 9), want, AUDIT_HASH_LEN) != 0)
		return hr_errorf(err, HR_E_INVALID, "audit.altered",
		    "audit chain broken at record {id}: its content was altered"
		    , HR_INT("id", r.id));
	memcpy(prev, want, AUDIT_HASH_LEN);
	return 0;
}

int
db_audit_verify(struct hr_db *db, int64_t *checked, struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT id, at, user_id, actor, "
	    "address, action, object, detail, prev_hash, hash FROM audit_log "
	    "ORDER BY id", err);
	uint8_t prev[AUDIT_HASH_LEN] = { 0 };
	int64_t n = 0;
	int rc;

	if (checked != NULL)
		*checked = 0;
	if (st == NULL)
		return -1;
	while ((rc = db_step_row(db, st, "read the audit log", err)) == 1) {
		if (audit_check_row(st, n + 1, prev, err) < 0) {
			(void)sqlite3_reset(st);
			return -1;
		}
		n++;
		if (checked != NULL)
			*checked = n;
	}
	return rc;
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

/* "ID:HEX" -> id and hash; -1 with HR_E_USAGE. */
static int
audit_anchor_parse(const char *anchor, int64_t *id,
    uint8_t hash[AUDIT_HASH_LEN], struct hr_error *err)
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

int
db_audit_verify_head(struct hr_db *db, const char *anchor, int64_t *checked,
    struct hr_error *err)
{
	uint8_t want[AUDIT_HASH_LEN];
	sqlite3_stmt *st;
	int64_t id = 0;
	int rc;

	if (audit_anchor_parse(anchor, &id, want, err) < 0 ||
	    db_audit_verify(db, checked, err) < 0)
		return -1;
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
		return hr_errorf(err, HR_E_INVALID, "audit.rewritten",
		    "audit log rewritten: record {id} does not have the "
		    "anchored hash (the chain up to it was rebuilt)",
		    HR_INT("id", id));
	return 0;
}

int
db_audit_each(struct hr_db *db, const struct db_audit_filter *f,
    db_audit_fn *fn, void *ud, struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT id, at, user_id, actor, "
	    "address, action, object, detail FROM audit_log WHERE "
	    "(?1 IS NULL OR actor = ?1) AND (?2 IS NULL OR action GLOB ?2) AND "
	    "(?3 IS NULL OR object = ?3) AND (?4 = 0 OR at >= ?4) AND "
	    "(?5 = 0 OR at < ?5) ORDER BY id DESC LIMIT ?6", err);
	int rc;

	if (st == NULL || db_bindf(db, st, "audit filter", err, "tttiii",
	    f->actor, f->action, f->object, f->since, f->until,
	    f->limit > 0 ? (int64_t)f->limit : (int64_t)-1) < 0)
		return -1;
	while ((rc = db_step_row(db, st, "read the audit log", err)) == 1) {
		struct db_audit_record r = {
			sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
			sqlite3_column_int64(st, 2),
			(const char *)sqlite3_column_text(st, 3),
			(const char *)sqlite3_column_text(st, 4),
			(const char *)sqlite3_column_text(st, 5),
			(const char *)sqlite3_column_text(st, 6),
			(const char *)sqlite3_column_text(st, 7),
		};

		if ((rc = fn(ud, &r)) != 0) {
			(void)sqlite3_reset(st);
			return rc < 0 ? -1 : 0;
		}
	}
	return rc;
}
