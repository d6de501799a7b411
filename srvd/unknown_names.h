/*
 * unknown_names.h — failed logins under user names that do not exist,
 * audited in aggregate.
 *
 * Anyone can type a name, so one audit record per such failure would let
 * a stranger grow the audit log without bound (it is append-only and kept
 * for years).  Instead the loop counts them per source and writes, every
 * UNKNOWN_NAMES_FLUSH seconds, one `login.fail` record per source that had
 * any: actor "(unknown names)", the source as the address, and a detail
 * "N failed logins under unknown user names in the last M s: a, b, c (and
 * K more names)".  At most UNKNOWN_NAMES_SOURCES sources are kept apart;
 * beyond that the rest are counted under the address "*".  Failures of
 * existing users are audited one by one, as before (method_login.c); the
 * throttle counts unknown names like any other (db/throttle.h).
 */
#ifndef SRV_UNKNOWN_NAMES_H
#define SRV_UNKNOWN_NAMES_H

#define UNKNOWN_NAMES_FLUSH    60.0
#define UNKNOWN_NAMES_SOURCES  1024
#define UNKNOWN_NAMES_SAMPLE   5      /* names quoted per record */

struct srv;
struct srv_unknown_names;

struct srv_unknown_names *unknown_names_new(void);
/* Frees what was not written: call unknown_names_flush first. */
void unknown_names_free(struct srv_unknown_names *u);

/* One failed login under `name` (which does not exist) from `source`. */
void unknown_names_note(struct srv_unknown_names *u, const char *source,
    const char *name);

/*
 * Write the records (on the writer, in a savepoint of their own).  Sources
 * whose record could not be written yet (the writer is busy) stay for the
 * next call.  Returns how many sources are still waiting.
 */
int  unknown_names_flush(struct srv *srv, struct srv_unknown_names *u);

#endif
