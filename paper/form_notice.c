/*
 * form_notice.c — the notice of a decision handed or sent to the
 * applicant (forms.h; FORMS.md §5.1).
 *
 * The issuing body (the back office that decided) with its contacts, the
 * applicant's name and address, the title by the kind of decision, the
 * application it answers, the decision itself — for an award the sum a
 * month in figures and in words and the period (or «довічно» with no end),
 * for a refusal the reason — the payment details for an award, how to
 * appeal, and the part the front office fills in when it hands the notice
 * over: who, when, and the applicant's signature.
 *
 * As the source system words it (FORMS.md §5.1 items 1 and 9): an award of
 * the low-income assistance (249) is titled «про надання державної
 * соціальної допомоги малозабезпеченим сім'ям», of an assistance to
 * families with children «про надання державної допомоги сім'ям з дітьми»;
 * and the low-income assistance "assigned" with a sum of 0.00 is a refusal
 * — the family's income is above the guaranteed minimum — and is printed
 * as one (paper_notice_decision).
 */
#include "config.h"

#include "paper/forms.h"

#include <stdio.h>
#include <string.h>

#include "paper/fmt.h"
#include "paper/forms_priv.h"

#define B PAPER_BOLD

/* By decision: the line under ПОВІДОМЛЕННЯ and the verb of the text. */
static const struct {
	const char *decision, *title, *verb;
	int         award;          /* amount and period apply */
} notice_kinds[] = {
	{ "assigned", "про призначення допомоги", "призначити", 1 },
	{ "refused", "про відмову у призначенні допомоги",
	  "відмовити у призначенні", 0 },
	{ "registered", "про взяття на облік", "взяти на облік для отримання",
	  1 },
	{ "registration_refused", "про відмову у взятті на облік",
	  "відмовити у взятті на облік для отримання", 0 },
};

/* Assistance to families with children (the law of that name): their
 * award's title names it. */
static const char *const children_services[] = {
	"maternity", "birth", "adoption", "guardianship", "single_parent",
};

static int
notice_kind(const struct paper_app *a)
{
	const char *dec = paper_notice_decision(a);

	for (size_t i = 0; i < sizeof notice_kinds / sizeof notice_kinds[0]; i++)
		if (strcmp(dec, notice_kinds[i].decision) == 0)
			return (int)i;
	return 1;                   /* unknown: worded as a refusal, no sum */
}

/* The line under ПОВІДОМЛЕННЯ. */
static const char *
notice_title(const struct paper_app *a)
{
	int k = notice_kind(a);

	if (strcmp(notice_kinds[k].decision, "assigned") == 0 &&
	    a->service != NULL) {
		if (strcmp(a->service, "low_income") == 0)
			return "про надання державної соціальної допомоги "
			    "малозабезпеченим сім'ям";
		for (size_t i = 0; i < sizeof children_services /
		    sizeof children_services[0]; i++)
			if (strcmp(a->service, children_services[i]) == 0)
				return "про надання державної допомоги сім'ям "
				    "з дітьми";
	}
	return notice_kinds[k].title;
}

static void
notice_head(struct paper_doc *d, const struct paper_app *a)
{
	char contacts[1024], name[512];
	const char *addr = a->applicant.act_address ? a->applicant.act_address :
	    a->applicant.reg_address;

	paper_text(d, B, PAPER_LEFT, "%s", a->back_office.name ?
	    a->back_office.name : "");
	paper_office_contacts(&a->back_office, contacts, sizeof contacts);
	if (contacts[0])
		paper_text(d, PAPER_SMALL, PAPER_LEFT, "%s", contacts);
	paper_space(d, 1);
	paper_text(d, B, PAPER_RIGHT, "%s", paper_full_name(&a->applicant,
	    name, sizeof name));
	if (addr != NULL)
		paper_text(d, 0, PAPER_RIGHT, "%s", addr);
	paper_space(d, 2);
	paper_text(d, PAPER_LARGE, PAPER_CENTER, "ПОВІДОМЛЕННЯ");
	paper_text(d, B, PAPER_CENTER, "%s", notice_title(a));
	paper_space(d, 1);
}

static void
notice_award(struct paper_doc *d, const struct paper_app *a)
{
	static const struct paper_col cols[] = {
		{ "Період", 3, PAPER_CENTER, 0 },
		{ "Сума на місяць, грн", 2, PAPER_RIGHT, 0 },
	};
	const struct paper_decision *dec = &a->decision;
	char from[16], to[16], period[64], sum[64], words[512];
	char figures[PAPER_AMOUNT_MAX];
	const char *row[2] = { period, figures };
	int t;

	if (!dec->has_amount)
		return;
	paper_money(dec->amount, sum, sizeof sum);
	paper_text(d, 0, PAPER_JUSTIFY, "Розмір допомоги: %s (%s) на місяць.",
	    sum, paper_money_words(dec->amount, words, sizeof words));
	paper_date_short(dec->period_from, from, sizeof from);
	if (dec->period_to != NULL && dec->period_to[0] != '\0')
		snprintf(period, sizeof period, "з %s по %s", from,
		    paper_date_short(dec->period_to, to, sizeof to));
	else
		snprintf(period, sizeof period, "з %s довічно", from);
	paper_amount(dec->amount, figures, sizeof figures);
	t = paper_table(d, cols, 2);
	paper_row(d, t, 0, row);
}

static void
notice_payment(struct paper_doc *d, const struct paper_app *a)
{
	int bank = a->pay_method && strcmp(a->pay_method, "bank") == 0;
	int post = a->pay_method && strcmp(a->pay_method, "post") == 0;

	if (bank)
		paper_field(d, "Виплата через банк, рахунок (IBAN):", a->iban,
		    NULL);
	else if (post)
		paper_field(d, "Виплата через підприємство зв'язку:",
		    a->post_office, NULL);
}

static void
notice_body(struct paper_doc *d, const struct paper_app *a)
{
	const struct paper_decision *dec = &a->decision;
	int k = notice_kind(a);
	char date[64], decided[64];
	const char *by = a->back_office.name ? a->back_office.name :
	    "органом соціального захисту населення";

	paper_text(d, 0, PAPER_JUSTIFY, "Повідомляємо, що за Вашою заявою "
	    "№ %s від %s прийнято рішення %s: «%s».",
	    a->reg_no ? a->reg_no : "", paper_date_short(a->reg_date, date,
	    sizeof date), notice_kinds[k].verb,
	    a->service_name ? a->service_name : "");
	paper_field(d, "Рішення прийняв:", by, NULL);
	if (dec->decided_on != NULL)
		paper_field(d, "Дата рішення:", paper_date_short(dec->decided_on,
		    decided, sizeof decided), NULL);
	if (notice_kinds[k].award) {
		notice_award(d, a);
		notice_payment(d, a);
	} else {
		paper_field(d, "Причина відмови:", paper_notice_reason(a), NULL);
	}
	paper_space(d, 1);
	paper_text(d, PAPER_SMALL, PAPER_JUSTIFY, "Рішення може бути оскаржене "
	    "до органу вищого рівня або до суду в установленому законом "
	    "порядку.");
}

static void
notice_handover(struct paper_doc *d, const struct paper_app *a)
{
	char contacts[1024], name[512];

	paper_space(d, 2);
	paper_sign(d, "Посадова особа, яка прийняла рішення", NULL, NULL);
	paper_space(d, 2);
	paper_rule(d);
	paper_text(d, B, PAPER_LEFT, "Заповнюється під час вручення");
	paper_office_contacts(&a->front_office, contacts, sizeof contacts);
	paper_field(d, "Повідомлення видав(ла):", a->front_office.name, NULL);
	if (contacts[0])
		paper_text(d, PAPER_SMALL, PAPER_LEFT, "%s", contacts);
	paper_keep(d);
	paper_sign(d, "Посадова особа", a->printed_by, NULL);
	paper_sign(d, "Повідомлення отримав(ла)", paper_full_name(
	    &a->applicant, name, sizeof name), NULL);
}

int
paper_form_notice(const struct paper_app *a, struct paper_doc *d)
{
	notice_head(d, a);
	notice_body(d, a);
	notice_handover(d, a);
	return d->failed ? -1 : 0;
}
