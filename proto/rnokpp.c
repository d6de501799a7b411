/*
 * rnokpp.c — РНОКПП, the 10-digit personal tax number (DOMAIN.md).
 *
 * Digits 1-5 count days since 31.12.1899 (the birth date), 6-8 are a serial,
 * 9 is odd for men and even for women, 10 is a check digit over the first
 * nine.  Both the birth date and the sex can therefore be cross-checked
 * against the person's documents, which catches most typing errors that the
 * check digit alone would let through.
 */
#include "proto/ident.h"

#include "proto/ident_priv.h"

/* What the messages call the value (a msgid, see hr_ident_fail). */
#define LABEL HR_MSGID("РНОКПП")

/* Weights of digits 1..9.  The first is negative, so the sum can be too. */
static const int rnokpp_weights[9] = { -1, 5, 7, 9, 4, 6, 10, 5, 7 };

/* Check digit of the nine digits d[0..9). */
static int
rnokpp_check_digit(const char *d)
{
	int sum = 0, r;

	for (int i = 0; i < 9; i++)
		sum += rnokpp_weights[i] * (d[i] - '0');
	/* C's % keeps the sign of the dividend: bring -10..-1 up into 0..10. */
	r = sum % 11;
	if (r < 0)
		r += 11;
	return r % 10;
}

static const char *
sex_name(enum hr_sex sex)
{
	return sex == HR_SEX_MALE ? HR_MSGID("male") : HR_MSGID("female");
}

int
hr_rnokpp_check(const char *s, size_t len, struct hr_rnokpp_info *info,
    struct hr_error *err)
{
	struct hr_rnokpp_info in;

	if (len == 0)
		return hr_errorf(err, HR_E_INVALID, "rnokpp.empty",
		    "РНОКПП is empty");
	if (len != HR_RNOKPP_LEN || !hr_all_digits(s, len))
		return hr_ident_fail(err, LABEL, "rnokpp.form",
		    HR_MSGID("must be exactly 10 digits"));
	if (rnokpp_check_digit(s) != s[9] - '0')
		return hr_ident_fail(err, LABEL, "rnokpp.check_digit",
		    HR_MSGID("check digit is wrong, look for a mistyped digit"));
	if (info == NULL)
		return 0;
	in.days = hr_digits_value(s, 5);
	/* 0..99999 days always give a date within 1899..2173. */
	(void)hr_date_from_days(in.days, &in.birth);
	in.sex = (s[8] - '0') % 2 ? HR_SEX_MALE : HR_SEX_FEMALE;
	*info = in;
	return 0;
}

int
hr_rnokpp_match(const char *s, size_t len, const struct hr_date *birth,
    enum hr_sex sex, struct hr_error *err)
{
	struct hr_rnokpp_info in;
	char got[HR_DATE_STR_MAX];

	if (hr_rnokpp_check(s, len, &in, err) != 0)
		return -1;
	if (birth != NULL && hr_date_cmp(birth, &in.birth) != 0) {
		if (hr_date_format(&in.birth, got, sizeof got) != 0)
			got[0] = '\0';
		return hr_ident_fail(err, LABEL, "rnokpp.birth_date",
		    HR_MSGID("birth date does not match (the number says {date})"),
		    HR_STR("date", got));
	}
	if (sex != HR_SEX_UNKNOWN && sex != in.sex)
		return hr_ident_fail(err, LABEL, "rnokpp.sex",
		    HR_MSGID("sex does not match (the number says {label})"),
		    HR_STR("label", sex_name(in.sex)));
	return 0;
}

int
hr_rnokpp_make(int32_t days, int serial, enum hr_sex sex,
    char out[static HR_RNOKPP_LEN + 1])
{
	int32_t v;
	int d9;

	if (days < 0 || days > 99999 || serial < 0 || serial > 4999 ||
	    (sex != HR_SEX_MALE && sex != HR_SEX_FEMALE))
		return -1;
	/* Digit 9: 1 3 5 7 9 for men, 0 2 4 6 8 for women. */
	d9 = 2 * (serial / 1000) + (sex == HR_SEX_MALE);
	v = days;
	for (int i = 4; i >= 0; i--, v /= 10)
		out[i] = (char)('0' + v % 10);
	v = serial % 1000;
	for (int i = 7; i >= 5; i--, v /= 10)
		out[i] = (char)('0' + v % 10);
	out[8] = (char)('0' + d9);
	out[9] = (char)('0' + rnokpp_check_digit(out));
	out[10] = '\0';
	return 0;
}
