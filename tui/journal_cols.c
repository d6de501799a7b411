/*
 * journal_cols.c — the journal's columns at any width (see journal_cols.h).
 *
 * The widths at 80 columns, a back office's (several hromadas):
 *
 *   Реєстр. №  Дата  Статус             Дні Заявник        Послуга          Громада
 *   00004/2026 14.11 Перевірено СПСЗН   -3  Панченко В. І. Опіка/піклування Шалигинс…
 *   10         5     18                 3   rest (≥ 14)    16               8..14
 *
 * and a starosta district's (one office, one hromada) gives the applicant
 * 23.  Wider terminals give the surplus to the applicant (up to 32), then
 * to the service (its full name), then to the place.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>
#include <wctype.h>

#include "proto/dat.h"
#include "proto/ident.h"
#include "proto/roles.h"
#include "tui/journal_cols.h"
#include "tui/status_counts.h"
#include "tui/text.h"
#include "tui/tui.h"

enum {
	W_REG_NO = 10, W_DATE = 5, W_LONG_DATE = 10, W_STATUS = 18,
	W_CLOCK = 3, W_SERVICE = 16, W_PLACE_MIN = 8, W_PLACE_MAX = 14,
	W_APPLICANT_MIN = 14, W_APPLICANT_WANT = 32, W_SERVICE_WANT = 48,
	W_PLACE_WANT = 30, LONG_DATE_AT = 100,
};

static const char *const titles[JC__COUNT] = {
	[JC_REG_NO] = N_("Reg. no"), [JC_DATE] = N_("Date"),
	[JC_STATUS] = N_("Status"), [JC_CLOCK] = N_("Days"),
	[JC_APPLICANT] = N_("Applicant"),
	[JC_SERVICE] = N_("Service"), [JC_PLACE] = N_("Front office"),
};

/* Give column *w up to `want` of *extra. */
static void
grow(int *w, int want, int *extra)
{
	int d = want - *w;

	if (d > *extra)
		d = *extra;
	if (d > 0) {
		*w += d;
		*extra -= d;
	}
}

void
jcols_layout(struct jcols *c, int width, int offices, int hromadas,
    int place_w)
{
	int w[JC__COUNT] = { W_REG_NO, W_DATE, W_STATUS, W_CLOCK, 0, W_SERVICE,
	    0 };
	int fixed = 0, extra;

	memset(c, 0, sizeof *c);
	c->width = width;
	c->place = hromadas > 1 ? JP_HROMADA : offices > 1 ? JP_OFFICE :
	    JP_NONE;
	c->n = c->place != JP_NONE ? JC__COUNT : JC__COUNT - 1;
	c->long_date = width >= LONG_DATE_AT;
	if (c->long_date)
		w[JC_DATE] = W_LONG_DATE;
	if (c->place != JP_NONE)
		w[JC_PLACE] = place_w < W_PLACE_MIN ? W_PLACE_MIN :
		    place_w > W_PLACE_MAX ? W_PLACE_MAX : place_w;
	for (size_t i = 0; i < c->n; i++)
		fixed += w[i];
	fixed += (int)c->n - 1;               /* a space between columns */
	extra = width - fixed;
	/* the applicant first, then the service's full name, the place */
	grow(&w[JC_APPLICANT], W_APPLICANT_WANT, &extra);
	grow(&w[JC_SERVICE], W_SERVICE_WANT, &extra);
	if (c->place != JP_NONE)
		grow(&w[JC_PLACE], W_PLACE_WANT, &extra);
	w[JC_APPLICANT] += extra > 0 ? extra : 0;
	/* short of room: the place gives way first (its cell ends in "…") */
	if (w[JC_APPLICANT] < W_APPLICANT_MIN && c->place != JP_NONE) {
		int d = W_APPLICANT_MIN - w[JC_APPLICANT];

		if (d > w[JC_PLACE] - W_PLACE_MIN)
			d = w[JC_PLACE] - W_PLACE_MIN;
		w[JC_PLACE] -= d;
		w[JC_APPLICANT] += d;
	}
	if (w[JC_APPLICANT] < W_APPLICANT_MIN)   /* narrower than 80: the */
		w[JC_APPLICANT] = W_APPLICANT_MIN;   /* list cuts the right end */
	for (size_t i = 0; i < c->n; i++) {
		c->lc[i].title = _(titles[i]);
		c->lc[i].width = w[i];
	}
	if (c->place == JP_HROMADA)
		c->lc[JC_PLACE].title = _("Hromada");
}

/* Bytes of the UTF-8 character at s (1 for a stray byte). */
static size_t
u8len(const char *s)
{
	unsigned char b = (unsigned char)*s;
	size_t n = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;

	for (size_t i = 1; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			return 1;
	return n;
}

/* Append the word [s, e) whole, or its initial and "." when `initial`. */
static void
put_word(char *buf, size_t n, size_t *len, const char *s, const char *e,
    int initial)
{
	size_t k = initial ? u8len(s) : (size_t)(e - s);

	if (*len > 0 && *len + 1 < n)
		buf[(*len)++] = ' ';
	if (*len + k + 2 > n)
		return;
	memcpy(buf + *len, s, k);
	*len += k;
	if (initial)
		buf[(*len)++] = '.';
	buf[*len] = '\0';
}

const char *
jcols_name(const char *full, int width, char *buf, size_t n)
{
	/* word k of the name: whole (0) or as an initial (1), per form */
	static const unsigned char forms[][3] = {
		{ 0, 0, 0 }, { 0, 0, 1 }, { 0, 1, 1 }, { 0, 1, 2 },
	};
	const char *ws[3], *we[3];
	size_t nw = 0;
	const char *p = full != NULL ? full : "";

	if (n == 0)
		return "";
	buf[0] = '\0';
	while (*p != '\0' && nw < 3) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		ws[nw] = p;
		while (*p != '\0' && *p != ' ')
			p++;
		we[nw++] = p;
	}
	while (*p == ' ')
		p++;
	/* Not three words (or more): shown as it is, cut if it must be. */
	if (nw < 3 || *p != '\0' || text_width(full) <= width)
		return text_trunc(full != NULL ? full : "", width, buf, n);
	for (size_t f = 1; f < sizeof forms / sizeof forms[0]; f++) {
		size_t len = 0;

		buf[0] = '\0';
		for (size_t k = 0; k < 3; k++)
			if (forms[f][k] < 2)
				put_word(buf, n, &len, ws[k], we[k], forms[f][k]);
		if (text_width(buf) <= width)
			return buf;
	}
	{
		char tmp[256];

		snprintf(tmp, sizeof tmp, "%s", buf);
		return text_trunc(tmp, width, buf, n);
	}
}

/* The decision as the status column says it: the word, and its short
 * form for a sum that leaves no room. */
static const struct {
	const char *word, *brief;
} decision_words[HR_DEC__END] = {
	[HR_DEC_ASSIGNED]             = { N_("Assigned"), N_("Asgd.") },
	[HR_DEC_REFUSED]              = { N_("Refused"), N_("Refused") },
	[HR_DEC_REGISTERED]           = { N_("On the register"),
	                                  N_("On the register") },
	[HR_DEC_REGISTRATION_REFUSED] = { N_("Not registered"),
	                                  N_("Not registered") },
};

const char *
jcols_status(int status, int decision, int has_amount, int64_t amount,
    int width, char *buf, size_t n)
{
	char money[HR_AMOUNT_STR_MAX], *q;
	const char *m;

	if (status != HR_ST_ANSWERED || decision <= 0 ||
	    decision >= HR_DEC__END) {
		snprintf(buf, n, "%s", status >= 0 ? status_short_label(status) :
		    "?");
		return buf;
	}
	if (!has_amount || hr_amount_format(amount, money, sizeof money) < 0) {
		snprintf(buf, n, "%s", _(decision_words[decision].word));
		return buf;
	}
	/* "3125,50": no group spaces, the column is narrow */
	for (m = money, q = money; *m != '\0'; m++)
		if (*m != ' ')
			*q++ = *m;
	*q = '\0';
	snprintf(buf, n, "%s %s", _(decision_words[decision].word), money);
	if (text_width(buf) > width)
		snprintf(buf, n, "%s %s", _(decision_words[decision].brief),
		    money);
	return buf;
}

const char *
jcols_place(const char *name, char *buf, size_t n)
{
	const char *p = name != NULL ? name : "", *e = p;
	int upper = 1;

	while (*e != '\0' && *e != ' ')
		e++;
	/* An abbreviation (all capitals: «ЦНАП») takes the next word along. */
	for (const char *s = p; s < e; s += u8len(s)) {
		wchar_t wc;

		if (mbtowc(&wc, s, (size_t)(e - s)) <= 0 || !iswupper(wc))
			upper = 0;
	}
	if (upper && e - p > 1 && *e == ' ') {
		e++;
		while (*e != '\0' && *e != ' ')
			e++;
	}
	snprintf(buf, n, "%.*s", (int)(e - p), p);
	return buf;
}

const char *
jcols_date(int64_t created_at, int long_date, char *buf, size_t n)
{
	time_t t = (time_t)created_at;
	struct tm tm;

	if (created_at <= 0 || localtime_r(&t, &tm) == NULL) {
		snprintf(buf, n, "%s", "");
		return buf;
	}
	strftime(buf, n, long_date ? "%d.%m.%Y" : "%d.%m", &tm);
	return buf;
}
