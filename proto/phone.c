/*
 * phone.c — Ukrainian phone numbers in one form, +380XXXXXXXXX.
 *
 * Clerks copy numbers as people say them: "067 123 45 67", "+38 (067)
 * 123-45-67", "8 067 ..." (the old trunk prefix).  All of them are the same
 * 12 digits 380 + operator/area code + subscriber number, which is what we
 * store so that a number is found however it was typed.
 */
#include "proto/ident.h"

#include <string.h>

#include "proto/ident_priv.h"

/* What the messages call the value (a msgid, see hr_ident_fail). */
#define LABEL HR_MSGID("phone")

#define PHONE_DIGITS 12      /* 380 and nine more */

/* Separators people put between digit groups. */
static int
is_phone_sep(unsigned char c)
{
	return c == ' ' || c == '-' || c == '(' || c == ')' || c == '.';
}

/*
 * How the digits typed map onto the full 12: a national form lacks the
 * leading "38" or "3".  Table: digits typed, prefix they must start with,
 * what to put in front.
 */
static const struct {
	size_t      n;
	const char *starts;
	const char *add;
} phone_forms[] = {
	{ 12, "380", ""   },   /* 380671234567, +380671234567 */
	{ 11, "80",  "3"  },   /* 80671234567 */
	{ 10, "0",   "38" },   /* 0671234567 */
};

/* Digits of s into d[0..PHONE_DIGITS]; *plus set if s starts with '+'. */
static int
phone_digits(const char *s, size_t len, char *d, size_t *n, int *plus)
{
	size_t i = 0;

	*n = 0;
	*plus = 0;
	hr_trim_ascii(&s, &len);
	if (len > 0 && s[0] == '+') {
		*plus = 1;
		i = 1;
	}
	for (; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (is_phone_sep(c))
			continue;
		if (!hr_isdigit(c) || *n == PHONE_DIGITS)
			return -1;
		d[(*n)++] = (char)c;
	}
	return 0;
}

/* Index of the row of phone_forms that d[0..n) matches, or -1. */
static int
phone_form(const char *d, size_t n)
{
	for (size_t k = 0; k < sizeof phone_forms / sizeof phone_forms[0]; k++)
		if (n == phone_forms[k].n && memcmp(d, phone_forms[k].starts,
		    strlen(phone_forms[k].starts)) == 0)
			return (int)k;
	return -1;
}

int
hr_phone_normalize(const char *s, size_t len, char *out, size_t cap,
    struct hr_error *err)
{
	char d[PHONE_DIGITS], full[PHONE_DIGITS];
	size_t n, al;
	int plus, k;

	if (cap > 0)
		out[0] = '\0';
	if (phone_digits(s, len, d, &n, &plus) != 0)
		return hr_ident_fail(err, LABEL, "phone.form",
		    HR_MSGID("write a Ukrainian number like 0671234567 or "
		    "+380671234567"));
	if (n == 0 && !plus)
		return hr_errorf(err, HR_E_INVALID, "phone.empty",
		    "phone is empty");
	/* "+" belongs only before the full international form. */
	if ((k = phone_form(d, n)) < 0 || (plus && k != 0))
		return hr_ident_fail(err, LABEL, "phone.form",
		    HR_MSGID("write a Ukrainian number like 0671234567 or "
		    "+380671234567"));
	al = strlen(phone_forms[k].add);
	memcpy(full, phone_forms[k].add, al);
	memcpy(full + al, d, n);
	/* After 380 comes an operator or area code, never starting with 0. */
	if (full[3] == '0')
		return hr_ident_fail(err, LABEL, "phone.operator",
		    HR_MSGID("the code after 380 cannot start with 0"));
	if (cap < HR_PHONE_STR_MAX)
		return hr_error_set(err, HR_E_INTERNAL,
		    "phone: output buffer too small");
	out[0] = '+';
	memcpy(out + 1, full, PHONE_DIGITS);
	out[HR_PHONE_LEN] = '\0';
	return 0;
}
