/*
 * error.c — error values: the code table, and structured errors (a stable
 * id, parts of English text with {name} placeholders, their values) with
 * their rendering in English or through a client's catalogue.
 *
 * A structured error keeps its texts and values in one bounded pool inside
 * the struct (offsets, not pointers), so errors copy by assignment, cross
 * threads, and a received error needs no allocation.  Values that do not
 * fit are cut at a character boundary ("…"); parts or values beyond the
 * bounds are dropped from the details, never from the English message.
 */
#include "proto/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One row per code: the table is the single place names and texts live. */
static const struct {
	const char *name;
	const char *text;
} error_table[HR_E__COUNT] = {
	[HR_OK]             = { "ok",           "Success" },
	[HR_E_PROTOCOL]     = { "protocol",     "Protocol error" },
	[HR_E_PARAMS]       = { "params",       "Invalid request parameters" },
	[HR_E_NO_METHOD]    = { "no_method",    "Unknown request" },
	[HR_E_AUTH_NEEDED]  = { "auth_needed",  "Please log in" },
	[HR_E_CREDENTIALS]  = { "credentials",  "Wrong user name or password" },
	[HR_E_THROTTLED]    = { "throttled",    "Too many failed attempts, try again later" },
	[HR_E_FORBIDDEN]    = { "forbidden",    "Not allowed for your role or territory" },
	[HR_E_NOT_FOUND]    = { "not_found",    "Not found" },
	[HR_E_CONFLICT]     = { "conflict",     "Someone else changed this record" },
	[HR_E_INVALID]      = { "invalid",      "Invalid value" },
	[HR_E_BUSY]         = { "busy",         "Server is busy, try again" },
	[HR_E_INTERNAL]     = { "internal",     "Internal server error" },
	[HR_E_TICKET]       = { "ticket",       "Session expired, please log in" },
	[HR_E_DUPLICATE]    = { "duplicate",    "Record already exists" },
	[HR_E_STATE]        = { "state",        "Not allowed in the current status" },
	[HR_E_IO]           = { "io",           "Input/output error" },
	[HR_E_CRYPTO]       = { "crypto",       "Secure channel failure" },
	[HR_E_KEY_UNKNOWN]  = { "key_unknown",  "Server key is not known yet" },
	[HR_E_KEY_CHANGED]  = { "key_changed",  "Server key has changed" },
	[HR_E_VERSION]      = { "version",      "Protocol version not supported" },
	[HR_E_DISCONNECTED] = { "disconnected", "Connection lost" },
	[HR_E_TIMEOUT]      = { "timeout",      "Timed out" },
	[HR_E_USAGE]        = { "usage",        "Invalid usage" },
	[HR_E_NO_SPACE]     = { "no_space",     "The server has no room to store this" },
	[HR_E_TOO_LARGE]    = { "too_large",    "Larger than the server accepts" },
};

void
hr_error_clear(struct hr_error *e)
{
	if (e == NULL)
		return;
	e->code = HR_OK;
	e->msg[0] = '\0';
	hr_error_drop_details(e);
}

void
hr_error_drop_details(struct hr_error *e)
{
	e->id[0] = '\0';
	e->nparts = e->nargs = 0;
	e->used = 0;
}

int
hr_error_set(struct hr_error *e, int code, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return -1;
	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	hr_error_drop_details(e);
	return -1;
}

int
hr_error_recode(struct hr_error *e, int code)
{
	if (e != NULL)
		e->code = code;
	return -1;
}

/* ---- the pool ---- */

/* Longest prefix of s[0..n) that ends on a UTF-8 character boundary. */
static size_t
utf8_cut(const char *s, size_t n)
{
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}

/*
 * Copy s[0..n) into the pool, at most `max` bytes (cut on a character,
 * "…" appended when cut).  Offset, or -1 when the pool is full.
 */
static int
pool_add(struct hr_error *e, const char *s, size_t n, size_t max)
{
	static const char ell[] = "\xe2\x80\xa6";   /* … */
	size_t off = e->used, room = sizeof e->pool - off, cut = n;

	if (n > max) {
		cut = utf8_cut(s, max - (sizeof ell - 1));
		if (off + cut + sizeof ell > sizeof e->pool)
			return -1;
		memcpy(e->pool + off, s, cut);
		memcpy(e->pool + off + cut, ell, sizeof ell);
		e->used = (unsigned short)(off + cut + sizeof ell);
		return (int)off;
	}
	if (cut + 1 > room)
		return -1;
	memcpy(e->pool + off, s, cut);
	e->pool[off + cut] = '\0';
	e->used = (unsigned short)(off + cut + 1);
	return (int)off;
}

static int
part_add(struct hr_error *e, const char *text, size_t n, int raw)
{
	int off;

	if (e->nparts == HR_ERROR_PARTS_MAX ||
	    (off = pool_add(e, text, n, HR_ERROR_TEXT_MAX)) < 0)
		return -1;
	e->part[e->nparts].text = (unsigned short)off;
	e->part[e->nparts].raw = (unsigned char)raw;
	e->nparts++;
	return 0;
}

static int
arg_add(struct hr_error *e, int part, const char *name, size_t nlen,
    const char *val, size_t vlen, int is_int)
{
	int no, vo;

	if (e->nargs == HR_ERROR_ARGS_MAX || nlen == 0 ||
	    nlen >= HR_ERROR_NAME_MAX ||
	    (no = pool_add(e, name, nlen, HR_ERROR_NAME_MAX)) < 0 ||
	    (vo = pool_add(e, val, vlen, HR_ERROR_VALUE_MAX)) < 0)
		return -1;
	e->arg[e->nargs].name = (unsigned short)no;
	e->arg[e->nargs].val = (unsigned short)vo;
	e->arg[e->nargs].part = (unsigned char)part;
	e->arg[e->nargs].is_int = (unsigned char)is_int;
	e->nargs++;
	return 0;
}

/* Add the values of a list to part `part`; values beyond the bounds are
 * dropped (the English message has them all). */
static void
args_add(struct hr_error *e, int part, const struct hr_error_arg *args)
{
	char num[32];

	for (; args != NULL && args->name != NULL; args++) {
		if (args->s != NULL) {
			(void)arg_add(e, part, args->name, strlen(args->name),
			    args->s, strlen(args->s), 0);
			continue;
		}
		snprintf(num, sizeof num, "%lld", args->i);
		(void)arg_add(e, part, args->name, strlen(args->name), num,
		    strlen(num), 1);
	}
}

/* ---- rendering ---- */

struct out {
	char  *p;
	size_t cap, len;
};

static void
out_put(struct out *o, const char *s, size_t n)
{
	if (o->len + 1 >= o->cap)
		return;
	if (n > o->cap - 1 - o->len)
		n = utf8_cut(s, o->cap - 1 - o->len);
	memcpy(o->p + o->len, s, n);
	o->len += n;
	o->p[o->len] = '\0';
}

static const char *
arg_value(const struct hr_error *e, int part, const char *name, size_t n)
{
	for (int i = 0; i < e->nargs; i++) {
		const char *an = e->pool + e->arg[i].name;

		if (e->arg[i].part == part && strncmp(an, name, n) == 0 &&
		    an[n] == '\0')
			return e->pool + e->arg[i].val;
	}
	return NULL;
}

/* One part's text with its placeholders filled; unknown ones stay. */
static void
render_part(const struct hr_error *e, int k, const struct hr_error_lang *lang,
    struct out *o)
{
	const char *t = e->pool + e->part[k].text, *open, *close, *v;
	char name[HR_ERROR_NAME_MAX], buf[HR_ERROR_VALUE_MAX + 64];

	if (!e->part[k].raw && lang != NULL && lang->translate != NULL)
		t = lang->translate(t);
	if (e->part[k].raw) {
		out_put(o, t, strlen(t));
		return;
	}
	while ((open = strchr(t, '{')) != NULL &&
	    (close = strchr(open, '}')) != NULL) {
		size_t n = (size_t)(close - open - 1);

		out_put(o, t, (size_t)(open - t));
		v = n < sizeof name ? arg_value(e, k, open + 1, n) : NULL;
		if (v == NULL) {
			out_put(o, open, n + 2);
		} else {
			const char *shown = NULL;

			if (lang != NULL && lang->value != NULL) {
				memcpy(name, open + 1, n);
				name[n] = '\0';
				shown = lang->value(name, v, buf, sizeof buf);
			}
			if (shown == NULL)
				shown = v;
			out_put(o, shown, strlen(shown));
		}
		t = close + 1;
	}
	out_put(o, t, strlen(t));
}

static void
render_english(struct hr_error *e)
{
	struct out o = { e->msg, sizeof e->msg, 0 };

	e->msg[0] = '\0';
	for (int k = e->nparts - 1; k >= 0; k--) {
		render_part(e, k, NULL, &o);
		if (k > 0)
			out_put(&o, ": ", 2);
	}
}

const char *
hr_error_render(const struct hr_error *e, const struct hr_error_lang *lang,
    char *out, size_t cap)
{
	struct out o = { out, cap, 0 };

	if (cap == 0)
		return out;
	out[0] = '\0';
	if (e->nparts == 0) {
		const char *t = hr_error_text(e->code);

		if (lang != NULL && lang->translate != NULL)
			t = lang->translate(t);
		else if (e->msg[0] != '\0')
			t = e->msg;
		out_put(&o, t, strlen(t));
		return out;
	}
	for (int k = e->nparts - 1; k >= 0; k--) {
		render_part(e, k, lang, &o);
		if (k > 0)
			out_put(&o, ": ", 2);
	}
	return out;
}

/* ---- building ---- */

int
hr_error_make(struct hr_error *e, int code, const char *id, const char *text,
    const struct hr_error_arg *args)
{
	if (e == NULL)
		return -1;
	e->code = code;
	hr_error_drop_details(e);
	snprintf(e->id, sizeof e->id, "%s", id != NULL ? id : "");
	(void)part_add(e, text, strlen(text), 0);
	args_add(e, 0, args);
	render_english(e);
	return -1;
}

/*
 * A context in front.  An unstructured error first becomes one literal
 * part (its English message).  When no part fits any more, the English
 * message still gets the context.
 */
int
hr_error_prefix_args(struct hr_error *e, const char *text,
    const struct hr_error_arg *args)
{
	char inner[HR_ERROR_MSG_MAX];

	if (e == NULL)
		return -1;
	if (e->nparts == 0 && e->msg[0] != '\0')
		(void)part_add(e, e->msg, strlen(e->msg), 1);
	snprintf(inner, sizeof inner, "%s", e->msg);
	if (part_add(e, text, strlen(text), 0) == 0) {
		args_add(e, e->nparts - 1, args);
		render_english(e);
		return -1;
	}
	/* Details full: keep them, extend only the English message. */
	{
		struct hr_error tmp;
		struct out o = { e->msg, sizeof e->msg, 0 };

		hr_error_clear(&tmp);
		(void)part_add(&tmp, text, strlen(text), 0);
		args_add(&tmp, 0, args);
		render_english(&tmp);
		e->msg[0] = '\0';
		out_put(&o, tmp.msg, strlen(tmp.msg));
		out_put(&o, ": ", 2);
		out_put(&o, inner, strlen(inner));
	}
	return -1;
}

int
hr_error_at(struct hr_error *e, const char *path)
{
	return hr_error_prefix(e, "{path}", HR_STR("path", path));
}

int
hr_error_pop(struct hr_error *e)
{
	int top, kept = 0;

	if (e == NULL || e->nparts < 2)
		return -1;
	top = e->nparts - 1;
	for (int i = 0; i < e->nargs; i++)
		if (e->arg[i].part != top)
			e->arg[kept++] = e->arg[i];
	e->nargs = (unsigned char)kept;
	e->nparts--;
	render_english(e);
	return -1;
}

/* ---- reading ---- */

const char *
hr_error_value(const struct hr_error *e, const char *name)
{
	for (int k = 0; k < e->nparts; k++) {
		const char *v = arg_value(e, k, name, strlen(name));

		if (v != NULL)
			return v;
	}
	return NULL;
}

const char *
hr_error_part_text(const struct hr_error *e, int k)
{
	return k >= 0 && k < e->nparts ? e->pool + e->part[k].text : NULL;
}

int
hr_error_part_raw(const struct hr_error *e, int k)
{
	return k >= 0 && k < e->nparts && e->part[k].raw;
}

/* ---- loading from the wire ---- */

int
hr_error_load_begin(struct hr_error *e, int code, const char *msg,
    size_t msg_len, const char *id, size_t id_len)
{
	size_t n = msg_len < sizeof e->msg - 1 ? msg_len : sizeof e->msg - 1;

	e->code = code;
	if (n < msg_len)
		n = utf8_cut(msg, n);
	memcpy(e->msg, msg, n);
	e->msg[n] = '\0';
	hr_error_drop_details(e);
	if (id_len >= sizeof e->id)
		return -1;
	memcpy(e->id, id, id_len);
	e->id[id_len] = '\0';
	return 0;
}

int
hr_error_load_part(struct hr_error *e, const char *text, size_t len)
{
	if (len > HR_ERROR_TEXT_MAX)
		return -1;
	return part_add(e, text, len, 0);
}

int
hr_error_load_arg(struct hr_error *e, const char *name, size_t name_len,
    const char *val, size_t val_len, int is_int)
{
	if (e->nparts == 0)
		return -1;
	return arg_add(e, e->nparts - 1, name, name_len, val, val_len, is_int);
}

/* Parts arrived outermost first; storage keeps the problem at [0]. */
void
hr_error_load_end(struct hr_error *e)
{
	int n = e->nparts;

	for (int k = 0; k < n / 2; k++) {
		struct hr_error_part t = e->part[k];

		e->part[k] = e->part[n - 1 - k];
		e->part[n - 1 - k] = t;
	}
	for (int i = 0; i < e->nargs; i++)
		e->arg[i].part = (unsigned char)(n - 1 - e->arg[i].part);
}

/* ---- code table ---- */

const char *
hr_error_name(int code)
{
	if (code < 0 || code >= HR_E__COUNT || error_table[code].name == NULL)
		return "unknown";
	return error_table[code].name;
}

const char *
hr_error_text(int code)
{
	if (code < 0 || code >= HR_E__COUNT || error_table[code].text == NULL)
		return "Unknown error";
	return error_table[code].text;
}
