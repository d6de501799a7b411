/*
 * decision.c — how a decision is told to the applicant (forms.h
 * paper_notice_decision), apart from the forms: the server's automatic
 * notice (srvd/notices.c) words decisions the same way and must not pull
 * the renderers (libharu) in with the printed notice.
 *
 * FORMS.md §5.1 item 9: the low-income assistance (249) "assigned" with a
 * sum of 0.00 is a refusal — the family's income is above the guaranteed
 * minimum — and is told as one.
 */
#include "config.h"

#include "paper/forms.h"

#include <string.h>

static int
is_low_income_zero(const struct paper_app *a)
{
	const struct paper_decision *d = &a->decision;

	return a->service != NULL && strcmp(a->service, "low_income") == 0 &&
	    d->decision != NULL && strcmp(d->decision, "assigned") == 0 &&
	    d->has_amount && d->amount == 0;
}

const char *
paper_notice_decision(const struct paper_app *a)
{
	if (is_low_income_zero(a))
		return "refused";
	return a->decision.decision ? a->decision.decision : "";
}

const char *
paper_notice_reason(const struct paper_app *a)
{
	if (is_low_income_zero(a) && (a->decision.reason == NULL ||
	    a->decision.reason[0] == '\0'))
		return PAPER_REASON_INCOME_ABOVE;
	return a->decision.reason;
}
