/*
 * error.h — errors as values.
 *
 * Every fallible function in Hromada takes a `struct hr_error *` and fills it
 * on failure with a code (the wire value sent to clients, see PROTOCOL.md
 * "Error codes") and an English message a person can act on.  The terminal
 * client shows the Ukrainian translation of hr_error_text(code) and, where it
 * helps, the server's detail.
 *
 * Codes are part of the protocol: never renumber, only append.
 */
#ifndef HR_ERROR_H
#define HR_ERROR_H

#include <stddef.h>

enum hr_err {
	HR_OK             = 0,
	HR_E_PROTOCOL     = 1,  /* malformed frame or message */
	HR_E_PARAMS       = 2,  /* params do not match the method's schema */
	HR_E_NO_METHOD    = 3,  /* unknown method */
	HR_E_AUTH_NEEDED  = 4,  /* method needs a logged-in session */
	HR_E_CREDENTIALS  = 5,  /* wrong user name or password (never says which) */
	HR_E_THROTTLED    = 6,  /* too many failed logins; retry later */
	HR_E_FORBIDDEN    = 7,  /* role or territory does not allow this */
	HR_E_NOT_FOUND    = 8,
	HR_E_CONFLICT     = 9,  /* someone else changed the record (version) */
	HR_E_INVALID      = 10, /* a field failed validation; message names it */
	HR_E_BUSY         = 11, /* server overloaded; retry later */
	HR_E_INTERNAL     = 12, /* server-side failure; details in the server log */
	HR_E_TICKET       = 13, /* session ticket unknown or expired */
	HR_E_DUPLICATE    = 14, /* record exists already; message names it */
	HR_E_STATE        = 15, /* workflow does not allow this from the current status */
	HR_E_IO           = 16, /* local I/O failure (files, sockets) */
	HR_E_CRYPTO       = 17, /* handshake or decryption failure */
	HR_E_KEY_UNKNOWN  = 18, /* client: server key not pinned yet */
	HR_E_KEY_CHANGED  = 19, /* client: server key differs from the pinned one */
	HR_E_VERSION      = 20, /* protocol version not supported */
	HR_E_DISCONNECTED = 21, /* client: link dropped */
	HR_E_TIMEOUT      = 22,
	HR_E_USAGE        = 23, /* command-line misuse (hromadactl) */
	HR_E__COUNT
};

#define HR_ERROR_MSG_MAX 256

struct hr_error {
	int  code;                    /* enum hr_err */
	char msg[HR_ERROR_MSG_MAX];   /* English, formatted, always NUL-terminated */
};

/* Clear to HR_OK with an empty message. */
void hr_error_clear(struct hr_error *e);

/*
 * Set code and a printf-style message (truncated to fit).  Returns -1 so that
 * callers can write `return hr_error_set(err, HR_E_INVALID, "...")`.
 * `e` may be NULL, then only -1 is returned.
 */
int hr_error_set(struct hr_error *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Stable identifier of a code, e.g. "credentials"; "unknown" for others. */
const char *hr_error_name(int code);

/* Short English default text of a code, used as the gettext msgid in the UI. */
const char *hr_error_text(int code);

#endif
