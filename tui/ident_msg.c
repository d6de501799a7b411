/*
 * ident_msg.c — translated validator messages (see ident_msg.h).  A table:
 * the fixed English part to look for, the msgid to show; "%s" in a msgid
 * takes the value the English message had in "(the number says ...)".
 */
#include "config.h"

#include "tui/ident_msg.h"

#include <stdio.h>
#include <string.h>

#include "tui/tui.h"

static const struct {
	const char *english;   /* a part of the message that identifies it */
	const char *msgid;
} ident_msgs[] = {
	{ "РНОКПП is empty", N_("Enter the RNOKPP or mark that the person refused it") },
	{ "РНОКПП: must be exactly 10 digits", N_("The RNOKPP has exactly 10 digits") },
	{ "РНОКПП: check digit is wrong",
	  N_("The RNOKPP check digit is wrong: look for a mistyped digit") },
	{ "РНОКПП: birth date does not match",
	  N_("The RNOKPP does not match the birth date (the number says %s)") },
	{ "РНОКПП: sex does not match",
	  N_("The RNOKPP does not match the sex (the number says %s)") },
	{ "УНЗР: write it as", N_("Write the UNZR as YYYYMMDD-NNNNN") },
	{ "УНЗР: the first 8 digits",
	  N_("The first 8 digits of the UNZR are not a real date") },
	{ "УНЗР: check digit is wrong",
	  N_("The UNZR check digit is wrong: look for a mistyped digit") },
	{ "УНЗР: birth date does not match",
	  N_("The UNZR does not match the birth date (the number says %s)") },
	{ "write it as DD.MM.YYYY", N_("Write the date as DD.MM.YYYY") },
	{ "no such day in the calendar", N_("There is no such day in the calendar") },
	{ "is in the future", N_("The date is in the future") },
	{ "is empty", N_("This field must be filled in") },
	{ "passport: write", N_("A passport number is 2 Cyrillic letters and 6 digits, like МК123456") },
	{ "ID card: write", N_("An ID card number is 9 digits") },
	{ "birth certificate: write",
	  N_("A birth certificate number is a series and 6 digits, like I-АБ123456") },
	{ "number is empty", N_("Enter the document number") },
	{ "a Cyrillic letter typed", N_("IBAN: only Latin letters and digits (a Cyrillic letter typed?)") },
	{ "IBAN: only Latin", N_("IBAN: only Latin letters and digits") },
	{ "starts with UA", N_("A Ukrainian IBAN starts with UA") },
	{ "IBAN: must be 29", N_("An IBAN has 29 characters: UA and 27 more") },
	{ "IBAN: after UA", N_("After UA come 2 check digits and the 6-digit bank code") },
	{ "IBAN: check digits are wrong",
	  N_("The IBAN check digits are wrong: look for a mistyped character") },
	{ "phone: write", N_("Write a Ukrainian phone number like 0671234567") },
	{ "cannot start with 0", N_("The code after 380 cannot start with 0") },
	{ ": write a sum", N_("Write a sum like 1234,56") },
	{ ": digit groups", N_("Digit groups are of three, like 1 234 567,89") },
	{ ": at most 2 digits", N_("At most 2 digits after the comma (kopecks)") },
	{ " must not be negative", N_("The sum must not be negative") },
	{ " is too large", N_("The sum is too large") },
};

/* "male"/"female"/a date from "(the number says X)" into val. */
static void
ident_value(const char *msg, char *val, size_t n)
{
	const char *p = strstr(msg, "(the number says ");
	size_t len;

	val[0] = '\0';
	if (p == NULL)
		return;
	p += strlen("(the number says ");
	len = strcspn(p, ")");
	if (strncmp(p, "male", len) == 0 && len == 4)
		snprintf(val, n, "%s", _("male"));
	else if (strncmp(p, "female", len) == 0 && len == 6)
		snprintf(val, n, "%s", _("female"));
	else
		snprintf(val, n, "%.*s", (int)len, p);
}

const char *
ident_msg(const char *msg, char *buf, size_t n)
{
	char val[64];

	for (size_t i = 0; i < sizeof ident_msgs / sizeof ident_msgs[0]; i++) {
		if (strstr(msg, ident_msgs[i].english) == NULL)
			continue;
		const char *t = _(ident_msgs[i].msgid), *p = strstr(t, "%s");

		ident_value(msg, val, sizeof val);
		if (p != NULL)
			snprintf(buf, n, "%.*s%s%s", (int)(p - t), t, val, p + 2);
		else
			snprintf(buf, n, "%s", t);
		return buf;
	}
	snprintf(buf, n, "%s", msg);
	return buf;
}
