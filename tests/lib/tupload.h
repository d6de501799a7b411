/*
 * tupload.h — driving the client's upload queue (proto/uploader.h) in tests
 * and benchmarks: the loop a real client runs, with a hook to cut the
 * link at a chosen moment, and a reconnect that resumes the session.
 */
#ifndef HR_TUPLOAD_H
#define HR_TUPLOAD_H

#include "proto/client.h"
#include "proto/uploader.h"

/* Called every turn of the loop; non-zero stops the loop early. */
typedef int tupload_hook_fn(void *ud, struct hr_client *c,
    struct hr_uploader *u);

/*
 * Step the uploader and the client's I/O until every upload is DONE or
 * FAILED (0), the hook stops the loop (1), the link closes (2: reconnect
 * and drive again), or timeout_ms passes (-1).
 */
int tupload_drive(struct hr_client *c, struct hr_uploader *u,
    tupload_hook_fn *hook, void *ud, int timeout_ms);

/* After a cut: connect again to addr and resume with the client's ticket.
 * 0, or -1 with err. */
int tupload_reconnect(struct hr_client *c, const char *addr, int timeout_ms,
    struct hr_error *err);

/* Every entry's state is DONE?  (0 if one is not, and prints why.) */
int tupload_all_done(const struct hr_uploader *u);

#endif
