/*
 * error.h — errors as values.
 *
 * Every fallible function in Hromada takes a `struct hr_error *` and fills it
 * on failure with a code (the wire value sent to clients, see PROTOCOL.md
 * "Error codes") and an English message a person can act on (`msg`, for
 * logs and for clients without a catalogue).
 *
 * An error a person may see is *structured*: besides the code it carries a
 * stable id and one or more parts, each an English text with {name}
 * placeholders and the values of those names.  The text is the msgid in
 * po/uk.po; a client renders the error in its language from its catalogue
 * and the values (hr_error_render), the server sends all of it on the wire
 * (PROTOCOL.md "Error details").  Write such errors like this:
 *
 *     return hr_errorf(err, HR_E_STATE, "dat.nothing_to_export",
 *         "no checked applications of {system} to export",
 *         HR_STR("system", sys));
 *
 * and add the text to po/uk.po (tools/po-check.sh fails until it is
 * there and translated).  Context goes in front of an error as another
 * part: hr_error_at(err, "applicant.rnokpp") gives "applicant.rnokpp: …";
 * hr_error_prefix(err, "line {line}", HR_INT("line", 3)) "line 3: …".
 * Placeholder names a client renders specially are listed at
 * hr_error_render below.
 *
 * hr_error_set (printf, English only) remains for what no person is
 * shown in words: HR_E_INTERNAL (the client says "internal server
 * error"), log-only failures, tests.  A client shows such an error by its
 * code's text (hr_error_text).
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
	HR_E_NO_SPACE     = 24, /* the server's storage is full */
	HR_E_TOO_LARGE    = 25, /* over a size limit; message names it */
	HR_E__COUNT
};

#define HR_ERROR_MSG_MAX    256  /* English message, bytes with the NUL */
#define HR_ERROR_ID_MAX     48   /* stable id: "dat.not_integer" */
#define HR_ERROR_PARTS_MAX  4    /* the problem and up to 3 contexts */
#define HR_ERROR_ARGS_MAX   10   /* values over all parts */
#define HR_ERROR_TEXT_MAX   240  /* one part's text, bytes */
#define HR_ERROR_NAME_MAX   24   /* a placeholder name */
#define HR_ERROR_VALUE_MAX  160  /* a value, bytes (longer ones are cut) */
#define HR_ERROR_POOL_MAX   1024 /* bytes for all texts, names and values */

struct hr_error {
	int  code;                    /* enum hr_err */
	char msg[HR_ERROR_MSG_MAX];   /* English, formatted, always NUL-terminated */

	/* The structured form; nparts == 0 for an hr_error_set error. */
	char id[HR_ERROR_ID_MAX];
	unsigned char nparts, nargs;
	struct hr_error_part {
		unsigned short text;      /* offset in pool */
		unsigned char  raw;       /* text is a literal message, no catalogue */
	} part[HR_ERROR_PARTS_MAX];   /* [0] the problem, then outer contexts */
	struct hr_error_value {
		unsigned short name, val; /* offsets in pool */
		unsigned char  part;      /* whose placeholder */
		unsigned char  is_int;    /* val is a decimal integer */
	} arg[HR_ERROR_ARGS_MAX];
	unsigned short used;
	char pool[HR_ERROR_POOL_MAX];
};

/* A value for a {name} placeholder: a string or an integer. */
struct hr_error_arg {
	const char *name;            /* NULL ends a list */
	const char *s;               /* the string, or NULL for the integer */
	long long   i;
};

static inline struct hr_error_arg
hr_error_arg_str(const char *name, const char *s)
{
	struct hr_error_arg a = { name, s != NULL ? s : "", 0 };

	return a;
}

static inline struct hr_error_arg
hr_error_arg_int(const char *name, long long i)
{
	struct hr_error_arg a = { name, NULL, i };

	return a;
}

#define HR_STR(name, s) hr_error_arg_str((name), (s))
#define HR_INT(name, i) hr_error_arg_int((name), (long long)(i))

/* Clear to HR_OK with an empty message. */
void hr_error_clear(struct hr_error *e);

/*
 * Set code and a printf-style message (truncated to fit): an unstructured
 * error.  Returns -1 so that callers can write
 * `return hr_error_set(err, HR_E_INVALID, "...")`.
 * `e` may be NULL, then only -1 is returned.
 */
int hr_error_set(struct hr_error *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Set a structured error: `id` names it for programs (stable, lower case,
 * dotted), `text` is the English message with {name} placeholders — a
 * string literal, as it is the msgid xgettext extracts — and the rest
 * are HR_STR/HR_INT values.  msg becomes the English rendering.  Returns
 * -1; `e` may be NULL.
 */
#define hr_errorf(e, code, id, text, ...) \
	hr_error_make((e), (code), (id), (text), \
	    (const struct hr_error_arg[]){ __VA_ARGS__ __VA_OPT__(,) { 0, 0, 0 } })
int hr_error_make(struct hr_error *e, int code, const char *id,
    const char *text, const struct hr_error_arg *args);

/*
 * The same with a text that is not a literal at the call (one picked from
 * a table): mark each text of the table HR_MSGID("...") so that xgettext
 * still finds it.
 */
#define hr_errorf_text hr_errorf
#define HR_MSGID(s) (s)

/*
 * Put a context in front of an error already set: a part "text" with its
 * own values, rendered "text: <what was there>".  The code and id stay.
 * An unstructured error becomes structured, its English message a literal
 * part.  Returns -1; `e` may be NULL.
 */
#define hr_error_prefix(e, text, ...) \
	hr_error_prefix_args((e), (text), \
	    (const struct hr_error_arg[]){ __VA_ARGS__ __VA_OPT__(,) { 0, 0, 0 } })
int hr_error_prefix_args(struct hr_error *e, const char *text,
    const struct hr_error_arg *args);

/* The commonest context: the field path of a request, "{path}: …". */
int hr_error_at(struct hr_error *e, const char *path);

/* Take the outermost context off again (a check's own label, before
 * hr_error_at puts the field path there); nothing when only the problem
 * is left.  Returns -1. */
int hr_error_pop(struct hr_error *e);

/* Change the code, keeping the message and details (-1). */
int hr_error_recode(struct hr_error *e, int code);

/* ---- reading a structured error ---- */

/* The value of placeholder `name` in any part (innermost first), or NULL. */
const char *hr_error_value(const struct hr_error *e, const char *name);

/* Part k's text (0 = the problem) and the number of its values. */
const char *hr_error_part_text(const struct hr_error *e, int k);
int hr_error_part_raw(const struct hr_error *e, int k);

/*
 * Filling an error from the wire (proto/rpc.c): start with code, English
 * message and id, then add parts from the outermost in, each followed by
 * its values.  Each returns 0, or -1 when a bound is exceeded (the caller
 * then drops the details: hr_error_drop_details).
 */
int hr_error_load_begin(struct hr_error *e, int code, const char *msg,
    size_t msg_len, const char *id, size_t id_len);
int hr_error_load_part(struct hr_error *e, const char *text, size_t len);
int hr_error_load_arg(struct hr_error *e, const char *name, size_t name_len,
    const char *val, size_t val_len, int is_int);
/* Parts were added outermost first; put them in storage order. */
void hr_error_load_end(struct hr_error *e);
void hr_error_drop_details(struct hr_error *e);

/*
 * Render the error in a language: the parts from the outermost, each text
 * passed through lang->translate (gettext) and its {name}s replaced by
 * values passed through lang->value, joined by ": ".  A structured error
 * with lang NULL renders its English message.  An unstructured one
 * renders translate(hr_error_text(code)), its English details dropped:
 * they are not in the language asked for.
 *
 * Names with a meaning clients render (PROTOCOL.md "Error details"):
 * path (a request field path), label (an English noun that is itself a
 * msgid), status/from/to (status wire names), system (decision system),
 * role, action, service, doc (reference codes).  Others are shown as
 * they are.  Always NUL-terminates out (cap > 0); returns out.
 */
struct hr_error_lang {
	const char *(*translate)(const char *msgid);
	/* The display form of value `val` of placeholder `name`, or NULL to
	 * show it as it is; buf[0..cap) is the caller's to use. */
	const char *(*value)(const char *name, const char *val, char *buf,
	    size_t cap);
};
const char *hr_error_render(const struct hr_error *e,
    const struct hr_error_lang *lang, char *out, size_t cap);

/* Stable identifier of a code, e.g. "credentials"; "unknown" for others. */
const char *hr_error_name(int code);

/* Short English default text of a code, used as the gettext msgid in the UI. */
const char *hr_error_text(int code);

#endif
