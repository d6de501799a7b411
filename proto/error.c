/*
 * error.c — error values: code table and formatting.
 */
#include "proto/error.h"

#include <stdarg.h>
#include <stdio.h>
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
};

void
hr_error_clear(struct hr_error *e)
{
	if (e == NULL)
		return;
	e->code = HR_OK;
	e->msg[0] = '\0';
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
	return -1;
}

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
