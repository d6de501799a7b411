/*
 * amount.c — money in hryvnias, held as int64 kopecks.
 *
 * Assistance amounts are summed, compared and exported to the decision
 * systems, so they must be exact: no floating point anywhere, parsing
 * included.  The written forms are the Ukrainian ones ("1 234,56", comma
 * before the kopecks, a space between thousands) and the programmers' one
 * ("1234.56").
 *
 * A decimal point followed by three digits ("1.234") is refused, not read as
 * one thousand two hundred thirty-four: either reading could be what the
 * clerk meant, and a wrong amount of money is worse than a question.
 */
#include "proto/ident.h"

#include <string.h>

#include "proto/ident_priv.h"

/* What may separate groups of thousands: space, no-break space, narrow
 * no-break space, thin space (word processors and banks use all of them). */
static const char *const group_sep[] = {
	" ", "\xc2\xa0", "\xe2\x80\xaf", "\xe2\x80\x89",
};

/* Length of the group separator at s[0..len), or 0. */
static size_t
sep_len(const char *s, size_t len)
{
	for (size_t i = 0; i < sizeof group_sep / sizeof group_sep[0]; i++) {
		size_t n = strlen(group_sep[i]);
		if (n <= len && memcmp(s, group_sep[i], n) == 0)
			return n;
	}
	return 0;
}

enum amount_fail {
	AM_OK,
	AM_FORM,       /* not a number as we write them */
	AM_GROUPS,     /* thousands groups not of three */
	AM_DECIMALS,   /* more than two digits after the separator */
	AM_NEGATIVE,
	AM_OVERFLOW,
};

/* Appended to the field name. */
/* What is wrong; `labelled`: the field's name goes in front ("amount: ..."),
 * else the text says it itself. */
static const struct {
	const char *id, *text;
	int labelled;
} amount_msg[] = {
	[AM_FORM]     = { "amount.form",
	    HR_MSGID("write a sum like 1234,56"), 1 },
	[AM_GROUPS]   = { "amount.groups",
	    HR_MSGID("digit groups are of three, like 1 234 567,89"), 1 },
	[AM_DECIMALS] = { "amount.decimals",
	    HR_MSGID("at most 2 digits after the comma (kopecks)"), 1 },
	[AM_NEGATIVE] = { "amount.negative",
	    HR_MSGID("{label} must not be negative"), 0 },
	[AM_OVERFLOW] = { "amount.too_large", HR_MSGID("{label} is too large"), 0 },
};

/*
 * The hryvnia part at s[*i..len): digits, optionally grouped by three.
 * Stops at the first character that is neither digit nor separator.
 */
static enum amount_fail
parse_whole(const char *s, size_t len, size_t *i, uint64_t *v)
{
	size_t group = 0, groups = 0, k;

	*v = 0;
	while (*i < len) {
		unsigned char c = (unsigned char)s[*i];
		if (hr_isdigit(c)) {
			if (*v > (uint64_t)INT64_MAX / 100)
				return AM_OVERFLOW;
			*v = *v * 10 + (uint64_t)(c - '0');
			group++;
			(*i)++;
		} else if ((k = sep_len(s + *i, len - *i)) > 0) {
			/* A separator closes a group: the first has 1..3
			 * digits, the later ones exactly 3. */
			if (group == 0 || group > 3 || (groups > 0 && group != 3))
				return AM_GROUPS;
			groups++;
			group = 0;
			*i += k;
		} else
			break;
	}
	if (group == 0)
		return groups > 0 ? AM_GROUPS : AM_FORM;
	if (groups > 0 && group != 3)
		return AM_GROUPS;
	return *v > (uint64_t)INT64_MAX / 100 ? AM_OVERFLOW : AM_OK;
}

/* Optional ",NN" or ".NN" at s[*i..len) as kopecks 0..99. */
static enum amount_fail
parse_fraction(const char *s, size_t len, size_t *i, int *kop)
{
	size_t n = 0;

	*kop = 0;
	if (*i == len)
		return AM_OK;
	if (s[*i] != ',' && s[*i] != '.')
		return AM_FORM;
	(*i)++;
	while (*i + n < len && hr_isdigit((unsigned char)s[*i + n]))
		n++;
	if (n == 0)
		return AM_FORM;
	if (n > 2)
		return AM_DECIMALS;
	*kop = (s[*i] - '0') * 10 + (n == 2 ? s[*i + 1] - '0' : 0);
	*i += n;
	return AM_OK;
}

static enum amount_fail
parse_amount(const char *s, size_t len, int64_t *kopecks)
{
	enum amount_fail f;
	uint64_t whole;
	size_t i = 0;
	int kop;

	if (s[0] == '-')
		return AM_NEGATIVE;
	if ((f = parse_whole(s, len, &i, &whole)) != AM_OK ||
	    (f = parse_fraction(s, len, &i, &kop)) != AM_OK)
		return f;
	if (i != len)
		return AM_FORM;
	if (whole > ((uint64_t)INT64_MAX - (uint64_t)kop) / 100)
		return AM_OVERFLOW;
	*kopecks = (int64_t)(whole * 100 + (uint64_t)kop);
	return AM_OK;
}

int
hr_amount_parse(const char *s, size_t len, const char *field,
    int64_t *kopecks, struct hr_error *err)
{
	enum amount_fail f;
	int64_t v;

	if (field == NULL)
		field = HR_MSGID("amount");
	hr_trim_ascii(&s, &len);
	if (len == 0)
		return hr_errorf(err, HR_E_INVALID, "amount.empty",
		    "{label} is empty", HR_STR("label", field));
	if ((f = parse_amount(s, len, &v)) != AM_OK) {
		hr_errorf_text(err, HR_E_INVALID, amount_msg[f].id,
		    amount_msg[f].text, HR_STR("label", field));
		return amount_msg[f].labelled ? hr_error_prefix(err, "{label}",
		    HR_STR("label", field)) : -1;
	}
	*kopecks = v;
	return 0;
}

int
hr_amount_format(int64_t kopecks, char *out, size_t cap)
{
	char buf[HR_AMOUNT_STR_MAX];
	size_t p = sizeof buf, n;
	/* Magnitude as unsigned: -INT64_MIN does not fit an int64. */
	uint64_t m = kopecks < 0 ? 0 - (uint64_t)kopecks : (uint64_t)kopecks;
	int digits = 0;

	buf[--p] = '\0';
	buf[--p] = (char)('0' + m % 10);
	m /= 10;
	buf[--p] = (char)('0' + m % 10);
	m /= 10;
	buf[--p] = ',';
	do {
		if (digits > 0 && digits % 3 == 0)
			buf[--p] = ' ';
		buf[--p] = (char)('0' + m % 10);
		m /= 10;
		digits++;
	} while (m > 0);
	if (kopecks < 0)
		buf[--p] = '-';
	n = sizeof buf - p;
	if (cap < n)
		return -1;
	memcpy(out, buf + p, n);
	return 0;
}
