/*
 * app_echo.h — an application as the client will show it next, packed
 * into the reply of the request that changed it (application.save), so
 * that the clerk waits for no second round trip: its journal row and its
 * case.  Each is packed by the method that owns its format (journal.list,
 * application.get), so the formats cannot drift apart (PROTOCOL.md
 * "application.save").
 *
 * Where it is built.  The echo is a read -- a journal row, the case with
 * its history and clocks: a dozen queries -- and it was 17 % of the event
 * loop's time under the write load of tests/load (pass 4), where the loop,
 * which does every write's SQLite work, is the limit.  So when the server
 * has query threads (query.h) the loop writes the save and packs the
 * reply's first pairs only (rq->echo set: app_echo_defer), the reply is
 * held for the batch's COMMIT as every write's, and once the batch is on
 * disk a query thread reads the application from what is committed and
 * packs the echo after them (query_echo); then the reply goes out.  So
 * "saved" still means on disk, the case shows what is, and the loop
 * writes the next batch meanwhile.  The connection hands over no other
 * request from the save until its reply went (conn_wait), so its replies
 * keep their order.  Without query threads the echo is packed on the loop
 * inside the write, as before.
 */
#ifndef SRV_APP_ECHO_H
#define SRV_APP_ECHO_H

#include <stdint.h>

#include <msgpack.h>

#include "proto/error.h"

struct srv_req;

/*
 * Application `id` as a one-row journal page: the map {rows: [row],
 * services: [code]} of journal.list's format (without next, etag and
 * counts), or nil when the user's journal does not show it.  No audit:
 * the request that changed it is audited.  0, or -1 with err.
 */
int journal_one(struct srv_req *rq, int64_t id, msgpack_packer *out,
    struct hr_error *err);

/*
 * Application `id` as application.get returns it (the lean case with its
 * etag); with `audit`, audited as its read ("application.read", detail
 * "... (saved)": app_echo_audit).  0, or -1 with err (not in scope:
 * HR_E_NOT_FOUND).
 */
int application_case(struct srv_req *rq, int64_t id, msgpack_packer *out,
    int audit, struct hr_error *err);

/*
 * The echo's two pairs of the result map, "journal" (journal_one) and
 * "case" (application_case), of application `id` into out.  0, or -1 with
 * err (out then holds part of them).
 */
int app_echo_pack(struct srv_req *rq, int64_t id, msgpack_packer *out,
    int audit, struct hr_error *err);

/*
 * The audit record of the case's read, "application.read" with the
 * detail "REG_NO (saved)", appended by the write itself when the echo is
 * built after it: the record is durable with the save, as it was when the
 * case was read inside it.  0, or -1 with err.
 */
int app_echo_audit(struct srv_req *rq, int64_t id, const char *reg_no,
    struct hr_error *err);

#endif
