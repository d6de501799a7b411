/*
 * errmsg.h — errors in the clerk's language.
 *
 * A structured error (proto/error.h) is rendered from the catalogue: each
 * part's English text is a msgid of po/uk.po, and the values the client
 * knows how to name are named in Ukrainian too — a request field path
 * ("family[2].person.birth_date" → «член сім'ї 2, дата народження»), a
 * status, a decision system, a role, an action, a *.DAT field, an English
 * `label`.  An unstructured error shows its code's text.  No English
 * reaches the screen either way.
 */
#ifndef TUI_ERRMSG_H
#define TUI_ERRMSG_H

#include <stddef.h>

#include "proto/error.h"

/* The error in Ukrainian into buf[0..cap); returns buf. */
const char *errmsg(const struct hr_error *e, char *buf, size_t cap);

/* Just the problem (part 0), without contexts such as the field path:
 * for a hint beside the field itself.  Returns buf. */
const char *errmsg_problem(const struct hr_error *e, char *buf, size_t cap);

/* A request field path in words («заявник, РНОКПП»); returns buf. */
const char *errmsg_path(const char *path, char *buf, size_t cap);

#endif
