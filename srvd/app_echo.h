/*
 * app_echo.h — an application as the client will show it next, packed
 * into the reply of the request that changed it (application.save), so
 * that the clerk waits for no second round trip: its journal row and its
 * case.  Each is packed by the method that owns its format (journal.list,
 * application.get), so the formats cannot drift apart (PROTOCOL.md
 * "application.save").
 */
#ifndef SRV_APP_ECHO_H
#define SRV_APP_ECHO_H

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
 * etag), audited as its read ("application.read", detail "... (saved)").
 * 0, or -1 with err (not in scope: HR_E_NOT_FOUND).
 */
int application_case(struct srv_req *rq, int64_t id, msgpack_packer *out,
    struct hr_error *err);

#endif
