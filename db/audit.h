/*
 * audit.h — the append-only, hash-chained audit log.
 *
 * Every change and every read of a person's data appends one record:
 * who, when, from where, what action on which object, and a detail text.
 * Each record stores hash = BLAKE2b-256(prev_hash || canonical fields), so
 * removing, altering or reordering records breaks the chain and
 * db_audit_verify names the first record where it breaks.
 *
 * Old segments of the chain may be archived (db/audit_archive.h): moved
 * to a file and deleted from audit_log, oldest first.  The registry of
 * archives (table audit_archives) keeps each segment's first and last
 * hash and how far its deletion got, so the live log is verified from
 * where the archives end, and an `audit.archive` record in the chain
 * anchors each registry row.
 */
#ifndef HR_DB_AUDIT_H
#define HR_DB_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

struct db_audit_entry {
	int64_t     user_id;     /* 0 for the system / hromadactl */
	const char *actor;       /* user name or "hromadactl" */
	const char *address;     /* client address or terminal, may be NULL */
	const char *action;      /* e.g. "login", "login.fail", "journal.read" */
	const char *object;      /* e.g. "application:42", may be NULL */
	const char *detail;      /* free text, may be NULL */
};

int db_audit(struct hr_db *db, const struct db_audit_entry *e, struct hr_error *err);

/* The same, for something that happened at `at` (seconds), not now. */
int db_audit_at(struct hr_db *db, const struct db_audit_entry *e, int64_t at,
    struct hr_error *err);

/*
 * A record as the chain hashes it: texts with their lengths, NULL absent
 * (texts need not end with a NUL).  hash(n) = BLAKE2b-256(hash(n-1) ||
 * encode(record n)); encode: id, at, user_id as 8 bytes big-endian, then
 * each text as a byte 1 (present) or 0 (NULL), its length as 4 bytes
 * big-endian, its bytes.  An archive stores records in this encoding.
 */
#define DB_AUDIT_HASH_LEN 32
struct db_audit_fields {
	int64_t     id, at, user_id;
	const char *text[5];   /* actor, address, action, object, detail */
	size_t      len[5];
};

/* Write the encoding into buf if it fits in cap (buf may be NULL); the
 * length it takes. */
size_t db_audit_encode(const struct db_audit_fields *f, uint8_t *buf,
    size_t cap);
/* Read one encoded record at p[0..len) (texts point into p); 0 with *used,
 * or -1 when it is not a whole, well-formed record. */
int    db_audit_decode(const uint8_t *p, size_t len, size_t *used,
    struct db_audit_fields *f);
/* The hash of a record that follows a record whose hash was prev. */
void   db_audit_hash(const uint8_t prev[DB_AUDIT_HASH_LEN],
    const struct db_audit_fields *f, uint8_t out[DB_AUDIT_HASH_LEN]);

/*
 * Whom a record names, for searching by person or application: its
 * object ("application:42", "person:7") and the ids a journal page
 * (journal.read: applications) or a person search (person.search:
 * persons) showed, listed in its detail after "ids ".
 */
enum { DB_AUDIT_APPLICATION = 1, DB_AUDIT_PERSON = 2 };
typedef void db_audit_key_fn(void *ud, int kind, int64_t id);
void db_audit_keys(const struct db_audit_fields *f, db_audit_key_fn *fn,
    void *ud);
/* Does it name (kind, id)? */
int  db_audit_names(const struct db_audit_fields *f, int kind, int64_t id);

/* One stored record, as read back (texts live during the callback). */
struct db_audit_record {
	int64_t     id, at, user_id;
	const char *actor, *address, *action, *object, *detail;
};

/* What `hromadactl audit show` selects; NULL / 0 fields do not filter. */
struct db_audit_filter {
	const char *actor;       /* exact user name */
	const char *action;      /* GLOB pattern: "login", "user.*" */
	const char *object;      /* exact object: "user:koval" */
	int64_t     since, until;/* at >= since, at < until */
	int         limit;       /* the newest `limit` matches; 0: all */
	int64_t     person;      /* records that name person N (db_audit_keys) */
	int64_t     application; /* ... application N */
};

/* Does r pass the filter's person and application (the rest is SQL)? */
int db_audit_filter_names(const struct db_audit_filter *f,
    const struct db_audit_fields *r);

/* Matching records, newest first; fn returns 0 to go on, 1 stop, -1 fail. */
typedef int db_audit_fn(void *ud, const struct db_audit_record *r);
int db_audit_each(struct hr_db *db, const struct db_audit_filter *f,
    db_audit_fn *fn, void *ud, struct hr_error *err);

/*
 * 0 intact; -1 with err naming the first bad record id.  With archives:
 * the registry is one chain of segments from record 1, the live log
 * continues it, and each anchor record still live matches its row.
 * *checked: the live records checked.
 */
int db_audit_verify(struct hr_db *db, int64_t *checked, struct hr_error *err);

/*
 * The object and detail of the anchor record of an archived segment (the
 * registry row's fields; hashes DB_AUDIT_HASH_LEN bytes).  The verifier
 * rebuilds them to compare.
 */
#define DB_AUDIT_ANCHOR_MAX 512
void db_audit_anchor_text(int64_t first_id, int64_t last_id, int64_t records,
    int64_t first_at, int64_t last_at, const char *file,
    const void *prev_hash, const void *last_hash, char *object,
    size_t ocap, char *detail, size_t dcap);

/*
 * The chain cannot show records cut from its END: what is left is still a
 * valid chain.  An ANCHOR does: the newest record's id and hash, written
 * down outside the database (hromadad logs it at start, every hour and at
 * shutdown; `hromadactl audit head` prints it).  The head as "ID:HEX"
 * (DB_AUDIT_HEAD_MAX bytes with the NUL; "0:" when the log is empty).
 */
#define DB_AUDIT_HEAD_MAX 88
int db_audit_head(struct hr_db *db, char out[DB_AUDIT_HEAD_MAX],
    struct hr_error *err);

/* "ID:HEX" -> id and hash; -1 with HR_E_USAGE. */
int db_audit_anchor_parse(const char *anchor, int64_t *id,
    uint8_t hash[DB_AUDIT_HASH_LEN], struct hr_error *err);

/*
 * db_audit_verify, then: is the anchored record ("ID:HEX", as above) still
 * there with that hash?  -1 with err saying the log was cut (the record is
 * gone) or rewritten (another hash), or HR_E_USAGE for a malformed anchor.
 * An archived record is checked against the registry when it is the last
 * of its segment; another one needs its archive file (HR_E_USAGE saying
 * so; db/audit_archive.h checks it there).
 */
int db_audit_verify_head(struct hr_db *db, const char *anchor,
    int64_t *checked, struct hr_error *err);

#endif
