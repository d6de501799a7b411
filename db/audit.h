/*
 * audit.h — the append-only, hash-chained audit log.
 *
 * Every change and every read of a person's data appends one record:
 * who, when, from where, what action on which object, and a detail text.
 * Each record stores hash = BLAKE2b-256(prev_hash || canonical fields), so
 * removing, altering or reordering records breaks the chain and
 * db_audit_verify names the first record where it breaks.
 */
#ifndef HR_DB_AUDIT_H
#define HR_DB_AUDIT_H

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
};

/* Matching records, newest first; fn returns 0 to go on, 1 stop, -1 fail. */
typedef int db_audit_fn(void *ud, const struct db_audit_record *r);
int db_audit_each(struct hr_db *db, const struct db_audit_filter *f,
    db_audit_fn *fn, void *ud, struct hr_error *err);

/* 0 intact; -1 with err naming the first bad record id. */
int db_audit_verify(struct hr_db *db, int64_t *checked, struct hr_error *err);

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

/*
 * db_audit_verify, then: is the anchored record ("ID:HEX", as above) still
 * there with that hash?  -1 with err saying the log was cut (the record is
 * gone) or rewritten (another hash), or HR_E_USAGE for a malformed anchor.
 */
int db_audit_verify_head(struct hr_db *db, const char *anchor,
    int64_t *checked, struct hr_error *err);

#endif
