/*
 * raw_reads.h — the load mix's queries on SQLite alone, for the figures
 * beside the server's.
 *
 * The server's latency for a journal page is its SQL plus everything
 * around it: the network, encryption, the session check, packing, the
 * audit record and the queue for a query thread.  To show which part is
 * SQLite's, loadgen runs each query kind also here, in its own process, on
 * the same database file: the very statements the server's handler runs
 * (method_journal_list.c: the page through db/journal.h, the calendar of
 * the clocks when a row has one, and with counts the per-status counts,
 * the untold decisions and the late cases; method_person_search.c:
 * db_person_search), through db/ — prepared, bound and stepped with the
 * sqlite3 C API — in one read transaction each, for the same demo users
 * with their scopes resolved as at login (srvd/scope.h).  One request at a
 * time: the figure is what a query costs with nobody else waiting.
 */
#ifndef HR_TESTS_RAW_READS_H
#define HR_TESTS_RAW_READS_H

#include <stddef.h>
#include <stdint.h>

struct raw_db;

/* What one journal.list carries (NULL: no such filter). */
struct raw_journal_params {
	const char *q;          /* a surname's start */
	const char *status;     /* a status name */
	const char *service;    /* a service code */
	int         counts;     /* counts: true */
	int         walk;       /* page after page, as journal.page does */
	/* one of the other filters by its param's name -- package,
	 * decision, reg_no, clock ("late", "expiring" or "order": order
	 * clock), unnotified -- and its value as the request carries it */
	const char *filter, *value;
	const char *date_from, *date_to;  /* "YYYY-MM-DD" */
};

/*
 * Open `file` read-only and resolve each of users[0..n) (names of the
 * demo's users).  0, or -1 with a message on stderr.
 */
int    raw_open(struct raw_db **out, const char *file,
    const char *const *users, size_t n);
void   raw_close(struct raw_db *r);

/* One journal.list of user u as its handler queries it: milliseconds,
 * -1 on failure (said on stderr once). */
double raw_journal(struct raw_db *r, size_t u,
    const struct raw_journal_params *p);

/* One person.search (a name's start, 10 rows) of user u: ms, or -1. */
double raw_person_search(struct raw_db *r, size_t u, const char *q);

#endif
