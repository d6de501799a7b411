/*
 * ident_msg.h — the clerk's language for the messages of proto/ident.h.
 *
 * The validators (shared with the server) write English messages with
 * values in them ("РНОКПП: birth date does not match (the number says
 * 01.01.2000)").  Here each known message is recognised by its fixed part
 * and replaced by its translation, with the value carried over; the server's
 * HR_E_INVALID messages ("applicant.rnokpp: ...") are read the same way.
 * An unknown message is returned as it is.
 */
#ifndef TUI_IDENT_MSG_H
#define TUI_IDENT_MSG_H

#include <stddef.h>

/* Translated text of `msg` into buf[0..n); returns buf. */
const char *ident_msg(const char *msg, char *buf, size_t n);

#endif
