/*
 * linktrace.h — the client's trace of its link: one line per frame, for
 * finding out what a step of the clerk's costs on a slow link (the
 * slow-link benchmark and its regression test read it).
 *
 * With HROMADA_TRACE=FILE in the environment the client appends to FILE
 * (created 0600) a line per frame sent or received:
 *
 *     MS DIR BYTES MSGID WHAT
 *
 * MS milliseconds since the client started (monotonic), DIR `>` sent or
 * `<` received, BYTES on the wire (frame header and tag included), MSGID
 * the request's (0 for the handshake and notifications), WHAT the
 * request's method or `(handshake)`, `(notification)`, `(dropped)`.
 * Nothing of a frame's content is written (hr_client_set_trace).
 */
#ifndef TUI_LINKTRACE_H
#define TUI_LINKTRACE_H

#include "proto/client.h"

struct linktrace;

/* The trace to `path`, NULL when path is NULL or empty, or when the file
 * cannot be opened (then a line on stderr says why). */
struct linktrace *linktrace_open(const char *path);
void              linktrace_close(struct linktrace *t);

/* hr_trace_fn for hr_client_set_trace(c, linktrace_frame, t). */
hr_trace_fn       linktrace_frame;

#endif
