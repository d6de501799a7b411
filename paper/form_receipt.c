/*
 * form_receipt.c — the receipt (розписка) the applicant takes home
 * (forms.h; FORMS.md §3.2, the layout recommended there from the confirmed
 * pieces).
 *
 * The front office and how to reach it, the applicant and the number and
 * date the application was registered under, the assistance, the
 * documents accepted, the documents still to bring with the deadline (or
 * that the package is full), where the application goes and how the
 * decision will be made known, and the two signatures: who accepted, and
 * the applicant's that the receipt was received.
 */
#include "config.h"

#include "paper/forms.h"

#include <stdio.h>
#include <string.h>

#include "paper/fmt.h"
#include "paper/forms_priv.h"

#define B PAPER_BOLD

static void
receipt_head(struct paper_doc *d, const struct paper_app *a)
{
	char contacts[1024];

	paper_text(d, B, PAPER_CENTER, "%s", a->front_office.name ?
	    a->front_office.name : "");
	paper_office_contacts(&a->front_office, contacts, sizeof contacts);
	if (contacts[0])
		paper_text(d, PAPER_SMALL, PAPER_CENTER, "%s", contacts);
	paper_rule(d);
	paper_space(d, 1);
	paper_text(d, PAPER_LARGE, PAPER_CENTER, "РОЗПИСКА");
	paper_text(d, B, PAPER_CENTER, "про прийняття заяви та документів");
	paper_space(d, 1);
}

static void
receipt_applicant(struct paper_doc *d, const struct paper_app *a)
{
	char name[512], id[256], date[64];
	const struct paper_person *p = &a->applicant;

	paper_field(d, "Заявник:", paper_full_name(p, name, sizeof name), NULL);
	if (p->rnokpp != NULL && !p->rnokpp_refused)
		snprintf(id, sizeof id, "РНОКПП %s", p->rnokpp);
	else
		paper_id_document(p, id, sizeof id);
	paper_field(d, "", id, NULL);
	paper_field(d, "Заяву зареєстровано за №", a->reg_no, NULL);
	paper_field(d, "Дата реєстрації:", paper_date_long(a->reg_date, date,
	    sizeof date), NULL);
	paper_field(d, "Вид допомоги:", a->service_name, NULL);
}

static void
receipt_documents(struct paper_doc *d, const struct paper_app *a)
{
	static const struct paper_col cols[] = {
		{ "№ з/п", 1, PAPER_CENTER, 0 },
		{ "Назва документа", 9, PAPER_LEFT, 0 },
		{ "Кількість аркушів", 2, PAPER_CENTER, 0 },
	};
	char iso[16], when[64];
	int t;

	paper_space(d, 1);
	paper_text(d, B, PAPER_LEFT, "Прийнято документи:");
	paper_keep(d);
	t = paper_table(d, cols, 3);
	for (size_t i = 0; i < a->ndocuments; i++) {
		char no[24];
		const char *row[3] = { no, a->documents[i].name ?
		    a->documents[i].name : a->documents[i].code, "" };
		snprintf(no, sizeof no, "%zu", i + 1);
		paper_row(d, t, 0, row);
	}
	if (a->ndocuments == 0) {
		const char *row[3] = { "", "Документи не подано", "" };
		paper_row(d, t, 0, row);
	}
	paper_space(d, 1);
	if (a->nmissing == 0) {
		paper_text(d, B, PAPER_LEFT, "Пакет документів повний.");
		return;
	}
	paper_text(d, B, PAPER_LEFT, "Необхідно подати додатково до %s:",
	    paper_date_long(paper_missing_deadline(a, iso, sizeof iso), when,
	    sizeof when));
	for (size_t i = 0; i < a->nmissing; i++)
		paper_text(d, 0, PAPER_LEFT, "%zu. %s", i + 1,
		    a->missing[i].name ? a->missing[i].name : a->missing[i].code);
	paper_text(d, PAPER_SMALL, PAPER_JUSTIFY, "Якщо документи буде подано "
	    "в цей строк, днем звернення вважається день реєстрації заяви.");
}

/* How the applicant hears of the decision: by the contact phone when
 * there is one, else by post at the actual address. */
static void
receipt_decision(struct paper_doc *d, const struct paper_app *a)
{
	const char *phone = a->phone ? a->phone : a->applicant.phone;
	char how[512], contacts[1024];

	if (phone != NULL && phone[0] != '\0')
		snprintf(how, sizeof how, "за телефоном %s", phone);
	else
		snprintf(how, sizeof how, "листом на адресу проживання");
	paper_space(d, 1);
	paper_text(d, B, PAPER_LEFT, "Як Ви дізнаєтеся про рішення");
	paper_text(d, 0, PAPER_JUSTIFY, "Заяву з документами передано для "
	    "розгляду до %s. Рішення приймається в строки, встановлені для "
	    "цього виду допомоги, після надходження повного пакета "
	    "документів. Коли рішення надійде, %s повідомить Вам про нього %s; "
	    "повідомлення про рішення можна отримати особисто.",
	    a->back_office.name ? a->back_office.name :
	    "органу соціального захисту населення",
	    a->front_office.name ? a->front_office.name : "центр",
	    how);
	paper_office_contacts(&a->front_office, contacts, sizeof contacts);
	paper_text(d, 0, PAPER_JUSTIFY, "Дізнатися про стан розгляду заяви "
	    "можна, назвавши її номер %s%s%s.", a->reg_no ? a->reg_no : "",
	    contacts[0] ? ": " : "", contacts);
	paper_keep(d);
}

int
paper_form_receipt(const struct paper_app *a, struct paper_doc *d)
{
	char name[512];

	receipt_head(d, a);
	receipt_applicant(d, a);
	receipt_documents(d, a);
	receipt_decision(d, a);
	paper_space(d, 2);
	paper_sign(d, "Прийняв(ла)", a->clerk, NULL);
	paper_space(d, 1);
	paper_sign(d, "Розписку отримав(ла)", paper_full_name(&a->applicant,
	    name, sizeof name), NULL);
	return d->failed ? -1 : 0;
}
