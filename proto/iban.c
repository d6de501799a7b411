/*
 * iban.c — Ukrainian IBAN (ISO 13616): where assistance is paid.
 *
 * "UA", two check digits, the bank's 6-digit code (МФО) and a 19-character
 * account.  The whole number must be 1 mod 97 once the first four
 * characters move to the end and letters become 10..35.  The number is far
 * too long for any integer type, so the remainder is carried digit by digit.
 *
 * People copy IBANs from bank letters with spaces every four characters, so
 * spaces are dropped.  Anything outside Latin letters and digits is refused
 * rather than guessed at: a Cyrillic "І" or "О" in a bank account is a
 * typing error the clerk must see.
 */
#include "proto/ident.h"

#include <string.h>

#include "proto/ident_priv.h"

/* What the messages call the value (a msgid, see hr_ident_fail). */
#define LABEL HR_MSGID("IBAN")

static int
is_upper_ascii(unsigned char c)
{
	return c >= 'A' && c <= 'Z';
}

/* ISO 7064 mod 97-10 of the rearranged number. */
static int
iban_mod97(const char *iban)
{
	int r = 0;

	for (size_t k = 0; k < HR_IBAN_LEN; k++) {
		unsigned char c = (unsigned char)iban[(k + 4) % HR_IBAN_LEN];
		if (hr_isdigit(c))
			r = (r * 10 + (c - '0')) % 97;
		else
			r = (r * 100 + (c - 'A' + 10)) % 97;
	}
	return r;
}

int
hr_iban_make(const char *bban, char out[static HR_IBAN_STR_MAX])
{
	char buf[HR_IBAN_STR_MAX];
	int check;

	if (strlen(bban) != HR_IBAN_LEN - 4)
		return -1;
	for (const char *p = bban; *p != '\0'; p++)
		if (!hr_isdigit((unsigned char)*p) && !is_upper_ascii((unsigned char)*p))
			return -1;
	memcpy(buf, "UA00", 4);
	memcpy(buf + 4, bban, HR_IBAN_LEN - 4);
	buf[HR_IBAN_LEN] = '\0';
	check = 98 - iban_mod97(buf);            /* then the number is 1 mod 97 */
	buf[2] = (char)('0' + check / 10);
	buf[3] = (char)('0' + check % 10);
	memcpy(out, buf, HR_IBAN_STR_MAX);
	return 0;
}

/* Copy s without spaces, upper-cased, into buf[0..HR_IBAN_LEN]; *n gets the
 * count, HR_IBAN_LEN + 1 meaning "too long". */
static int
iban_compact(const char *s, size_t len, char *buf, size_t *n,
    struct hr_error *err)
{
	*n = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ' ')
			continue;
		if (c >= 0x80)
			return hr_ident_fail(err, LABEL, "iban.cyrillic",
		    HR_MSGID("only Latin letters and digits are allowed (a "
			    "Cyrillic letter typed instead of a Latin one?)"));
		if (c >= 'a' && c <= 'z')
			c = (unsigned char)(c - 'a' + 'A');
		if (!hr_isdigit(c) && !is_upper_ascii(c))
			return hr_ident_fail(err, LABEL, "iban.chars",
		    HR_MSGID("only Latin letters and digits are allowed"));
		if (*n == HR_IBAN_LEN) {
			*n = HR_IBAN_LEN + 1;
			return 0;
		}
		buf[(*n)++] = (char)c;
	}
	return 0;
}

int
hr_iban_normalize(const char *s, size_t len, char *out, size_t cap,
    struct hr_error *err)
{
	char buf[HR_IBAN_LEN];
	size_t n;

	if (cap > 0)
		out[0] = '\0';
	if (iban_compact(s, len, buf, &n, err) != 0)
		return -1;
	if (n == 0)
		return hr_errorf(err, HR_E_INVALID, "iban.empty", "IBAN is empty");
	if (n < 2 || memcmp(buf, "UA", 2) != 0)
		return hr_ident_fail(err, LABEL, "iban.country",
		    HR_MSGID("a Ukrainian IBAN starts with UA"));
	if (n != HR_IBAN_LEN)
		return n < HR_IBAN_LEN ?
		    hr_ident_fail(err, LABEL, "iban.length",
		    HR_MSGID("must be 29 characters, UA and 27 more (too short)")) :
		    hr_ident_fail(err, LABEL, "iban.length",
		    HR_MSGID("must be 29 characters, UA and 27 more (too long)"));
	if (!hr_all_digits(buf + 2, 8))
		return hr_ident_fail(err, LABEL, "iban.bank_code",
		    HR_MSGID("after UA come 2 check digits and the 6-digit bank "
		    "code"));
	if (iban_mod97(buf) != 1)
		return hr_ident_fail(err, LABEL, "iban.check_digits",
		    HR_MSGID("check digits are wrong, look for a mistyped character"));
	if (cap < HR_IBAN_STR_MAX)
		return hr_error_set(err, HR_E_INTERNAL,
		    "IBAN: output buffer too small");
	memcpy(out, buf, HR_IBAN_LEN);
	out[HR_IBAN_LEN] = '\0';
	return 0;
}
