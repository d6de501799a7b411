/*
 * unzr.c — УНЗР, the record number in the Unified State Demographic Register.
 *
 * Form YYYYMMDD-NNNNC: the holder's birth date, a four-digit serial and a
 * check digit computed like the check digits of machine-readable travel
 * documents (ICAO 9303): weights 7, 3, 1 repeating over the twelve digits,
 * sum mod 10.  Only holders of biometric documents have one, so the field
 * is optional; when given it must agree with the birth date.
 */
#include "proto/ident.h"

#include "proto/ident_priv.h"

/* What the messages call the value (a msgid, see hr_ident_fail). */
#define LABEL HR_MSGID("УНЗР")

static int
unzr_check_digit(const char *date8, const char *serial4)
{
	static const int w[3] = { 7, 3, 1 };
	int sum = 0;

	for (int i = 0; i < 8; i++)
		sum += w[i % 3] * (date8[i] - '0');
	for (int i = 0; i < 4; i++)
		sum += w[(8 + i) % 3] * (serial4[i] - '0');
	return sum % 10;
}

int
hr_unzr_check(const char *s, size_t len, struct hr_date *birth,
    struct hr_error *err)
{
	struct hr_date d;

	if (len == 0)
		return hr_errorf(err, HR_E_INVALID, "unzr.empty", "УНЗР is empty");
	if (len != HR_UNZR_LEN || !hr_all_digits(s, 8) || s[8] != '-' ||
	    !hr_all_digits(s + 9, 5))
		return hr_ident_fail(err, LABEL, "unzr.form",
		    HR_MSGID("write it as YYYYMMDD-NNNNN (8 digits, hyphen, 5 digits)"));
	d.y = hr_digits_value(s, 4);
	d.m = hr_digits_value(s + 4, 2);
	d.d = hr_digits_value(s + 6, 2);
	if (!hr_date_valid(d.y, d.m, d.d))
		return hr_ident_fail(err, LABEL, "unzr.date",
		    HR_MSGID("the first 8 digits are not a real date"));
	if (unzr_check_digit(s, s + 9) != s[13] - '0')
		return hr_ident_fail(err, LABEL, "unzr.check_digit",
		    HR_MSGID("check digit is wrong, look for a mistyped digit"));
	if (birth != NULL)
		*birth = d;
	return 0;
}

int
hr_unzr_match(const char *s, size_t len, const struct hr_date *birth,
    struct hr_error *err)
{
	struct hr_date d;

	if (hr_unzr_check(s, len, &d, err) != 0)
		return -1;
	if (birth != NULL && hr_date_cmp(birth, &d) != 0)
	{
		char got[HR_DATE_STR_MAX];

		(void)hr_date_format(&d, got, sizeof got);
		return hr_ident_fail(err, LABEL, "unzr.birth_date",
		    HR_MSGID("birth date does not match (the number says {date})"),
		    HR_STR("date", got));
	}
	return 0;
}

int
hr_unzr_make(const struct hr_date *birth, int serial,
    char out[static HR_UNZR_LEN + 1])
{
	int v;

	if (!hr_date_valid(birth->y, birth->m, birth->d) || birth->y > 9999 ||
	    serial < 0 || serial > 9999)
		return -1;
	v = birth->y * 10000 + birth->m * 100 + birth->d;
	for (int i = 7; i >= 0; i--, v /= 10)
		out[i] = (char)('0' + v % 10);
	out[8] = '-';
	v = serial;
	for (int i = 12; i >= 9; i--, v /= 10)
		out[i] = (char)('0' + v % 10);
	out[13] = (char)('0' + unzr_check_digit(out, out + 9));
	out[14] = '\0';
	return 0;
}
