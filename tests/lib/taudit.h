/*
 * taudit.h — a test's look at the audit log, waiting for a read's records.
 *
 * A write's audit records are on disk when its reply arrives ("saved"
 * means on disk).  A read's are not: since reads stopped waiting on the
 * disk (srvd/readaudit.h, PROTOCOL.md "Audit of reads") they are committed
 * within audit_read_window (1 s by default) AFTER the reply.  A test that
 * looks for a read's record right after the reply therefore races the
 * server's next group commit and fails now and then -- more often the
 * busier the machine.  Every such look goes through the *_reaches / *_next
 * functions here: they poll the database (a fresh read transaction each
 * time, WAL) until the record is there, bounded by TAUDIT_WAIT_MS, and
 * return what they last saw, so that the test's own assert says what was
 * wrong.  A count that must NOT grow is checked with taudit_count after a
 * later write's reply (that write's commit carries every earlier read's
 * records, readaudit.h).
 */
#ifndef HR_TAUDIT_H
#define HR_TAUDIT_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

/* Longer than any audit_read_window a test sets, short of any test timeout. */
#define TAUDIT_WAIT_MS 5000

/*
 * Records with this action, and this object when `object` is not NULL
 * (e.g. "application:42"); -1 (and a line on stderr) when the query fails.
 */
int64_t taudit_count(sqlite3 *db, const char *action, const char *object);

/* taudit_count once it has reached `want`, or what it is after the wait. */
int64_t taudit_count_reaches(sqlite3 *db, const char *action,
    const char *object, int64_t want);

/* The id of the newest record (0 in an empty log). */
int64_t taudit_last_id(sqlite3 *db);

/*
 * The detail of the first record of `action` with an id above `after`,
 * into out (bounded by cap), waiting for it: 1 when found, 0 (out "")
 * after the wait.
 */
int     taudit_next_detail(sqlite3 *db, int64_t after, const char *action,
    char *out, size_t cap);

#endif
