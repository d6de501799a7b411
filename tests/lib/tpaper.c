/*
 * tpaper.c — the sample documents' data (tpaper.h).
 */
#include "tests/lib/tpaper.h"

#include <string.h>

#include "paper/data.h"

void
tpaper_app(struct paper_app *a)
{
	memset(a, 0, sizeof *a);
	a->id = 1042;
	a->reg_no = "00012/2026";
	a->reg_date = "2026-12-07";
	a->status = "answered";
	a->service = "low_income";
	a->service_name = "Державна соціальна допомога малозабезпеченим сім'ям";
	a->hromada = "Березівська сільська територіальна громада";
	a->front_office = (struct paper_office){ "ЦНАП Березівської сільської "
	    "ради", "41400, Сумська обл., с. Березівка, вул. Центральна, 1",
	    "+380544212345", "cnap@berezivka.gov.ua", "пн–пт 8:00–17:00" };
	a->back_office = (struct paper_office){ "Управління соціального "
	    "захисту населення Глухівської РДА", "41400, м. Глухів, вул. "
	    "Шевченка, 5", "+380544221100", NULL, NULL };
	a->clerk = "Петренко Олена Іванівна";
	a->printed_by = "Петренко Олена Іванівна";
	a->printed_on = "2026-12-21";
	a->applicant = (struct paper_person){ .surname = "Іваненко",
	    .name = "Ганна", .patronymic = "Петрівна", .birth_date =
	    "1985-03-05", .sex = "F", .rnokpp = "3068208400",
	    .unzr = "19850305-00021", .doc_type = "passport",
	    .doc_number = "МК123456", .reg_address = "41400, Сумська обл., "
	    "с. Березівка, вул. Лісова, 7", .phone = "+380671234567" };
	a->pay_method = "bank";
	a->iban = "UA213996220000026007233566001";
	a->phone = "+380671234567";
	a->has_decision = 1;
	a->decision = (struct paper_decision){ "assigned", 1, 123456,
	    "2027-01-01", "2027-06-30", NULL, "2026-12-20" };
}

void
tpaper_register(struct paper_register *r)
{
	memset(r, 0, sizeof *r);
	r->id = 7;
	r->number = 3;
	r->year = 2026;
	r->made_on = "2026-12-08";
	r->stage = "otg";
	r->from_name = "ЦНАП Березівської сільської ради";
	r->to_name = "Відділ соціального захисту населення Березівської "
	    "сільської ради";
	r->made_by = "Петренко Олена Іванівна";
	r->period_from = "2026-12-07";
	r->period_to = "2026-12-08";
}
