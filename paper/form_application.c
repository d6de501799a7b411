/*
 * form_application.c — the application the applicant signs, with the
 * income declaration (forms.h; FORMS.md §1 and §2, layout R1/R2).
 *
 * Page 1..: the application in the print order of the Ministry's own print
 * job (FORMS.md §1.2): the body it is addressed to, the applicant, first
 * or repeat, the assistance asked for, the payment method, the documents
 * presented and those still to bring with their deadline, the statements,
 * the applicant's signature, and the official's part (registration number
 * and date, who accepted).  Then the declaration on a page of its own:
 * Розділ I (the family), II (incomes, aliments excluded), III-V (housing,
 * vehicles, big expenses: blank rows to fill in by hand — Hromada does not
 * collect them), VI (aliments), the statements and the signatures of the
 * declarant and the adult family members.
 *
 * An empty value prints as a line to write on, so the form is usable even
 * where data are missing.
 *
 * The tables' columns are data (struct paper_col rows: heading, weight,
 * alignment, unbroken), as in every form of paper/: lists of rows alike in
 * shape by design, not code written twice.
 */
#include "config.h"

#include "paper/forms.h"

#include <stdio.h>
#include <string.h>

#include "paper/fmt.h"
#include "paper/forms_priv.h"

#define B (PAPER_BOLD)

static const char *
nz(const char *s)
{
	return s ? s : "";
}

static void
app_addressee(struct paper_doc *d, const struct paper_app *a)
{
	char name[512];

	paper_field(d, "До", a->back_office.name,
	    "(найменування органу соціального захисту населення)");
	paper_field(d, "від", paper_full_name(&a->applicant, name, sizeof name),
	    "(прізвище, ім'я, по батькові (за наявності) заявника)");
	paper_space(d, 1);
	paper_text(d, PAPER_LARGE, PAPER_CENTER, "ЗАЯВА");
	paper_text(d, B, PAPER_CENTER, "про призначення усіх видів "
	    "соціальної допомоги, компенсацій та пільг");
	paper_space(d, 1);
}

static void
app_applicant(struct paper_doc *d, const struct paper_app *a)
{
	const struct paper_person *p = &a->applicant;
	char buf[512], doc[256];
	const struct paper_check first[] = {
		{ "звертаюся вперше", !a->repeat },
		{ "звертаюся повторно", a->repeat },
	};

	paper_text(d, B, PAPER_LEFT, "1. Відомості про заявника");
	paper_field(d, "Прізвище, ім'я, по батькові (за наявності):",
	    paper_full_name(p, buf, sizeof buf), NULL);
	paper_field(d, "Дата народження:", paper_date_short(p->birth_date, buf,
	    sizeof buf), NULL);
	if (p->rnokpp_refused)
		paper_field(d, "Реєстраційний номер облікової картки платника "
		    "податків:", "відмовився(лася) від РНОКПП через релігійні "
		    "переконання (відмітка в паспорті)", NULL);
	else
		paper_field(d, "Реєстраційний номер облікової картки платника "
		    "податків:", p->rnokpp, NULL);
	paper_field(d, "Унікальний номер запису в ЄДДР:", p->unzr, NULL);
	paper_field(d, "Документ, що посвідчує особу:",
	    paper_id_document(p, doc, sizeof doc), NULL);
	paper_field(d, "виданий(а)", NULL, "(ким і коли)");
	paper_field(d, "Зареєстроване місце проживання:", p->reg_address,
	    "(поштовий індекс, область, район, населений пункт, вулиця, "
	    "будинок, корпус, квартира)");
	paper_field(d, "Фактичне місце проживання:", p->act_address ?
	    p->act_address : p->reg_address, NULL);
	paper_field(d, "Контактний номер телефону:", a->phone ? a->phone :
	    p->phone, NULL);
	paper_checks(d, first, 2);
}

static void
app_service(struct paper_doc *d, const struct paper_app *a)
{
	const struct paper_check svc = { nz(a->service_name), 1 };

	paper_space(d, 1);
	paper_text(d, B, PAPER_LEFT, "2. Прошу призначити");
	paper_checks(d, &svc, 1);
}

static void
app_payment(struct paper_doc *d, const struct paper_app *a)
{
	int bank = a->pay_method && strcmp(a->pay_method, "bank") == 0;
	int post = a->pay_method && strcmp(a->pay_method, "post") == 0;
	const struct paper_check b = { "через банк", bank };
	const struct paper_check p = { "через поштове відділення", post };

	paper_space(d, 1);
	paper_text(d, B, PAPER_LEFT, "3. Виплату прошу здійснювати");
	paper_checks(d, &b, 1);
	paper_field(d, "номер рахунку (IBAN):", bank ? a->iban : NULL, NULL);
	paper_checks(d, &p, 1);
	paper_field(d, "поштове відділення (індекс, адреса):",
	    post ? a->post_office : NULL, NULL);
}

/* A table of documents: № з/п, name. */
static void
doc_table(struct paper_doc *d, const struct paper_docref *docs, size_t n)
{
	static const struct paper_col cols[] = {
		{ "№ з/п", 1, PAPER_CENTER, 0 },
		{ "Назва документа", 10, PAPER_LEFT, 0 },
	};
	int t = paper_table(d, cols, 2);

	for (size_t i = 0; i < n; i++) {
		char no[24];
		const char *row[2] = { no, docs[i].name ? docs[i].name :
		    docs[i].code };
		snprintf(no, sizeof no, "%zu", i + 1);
		paper_row(d, t, 0, row);
	}
}

static void
app_documents(struct paper_doc *d, const struct paper_app *a)
{
	char when[64], iso[16];

	paper_space(d, 1);
	paper_text(d, B, PAPER_LEFT, "4. До заяви додаю документи");
	if (a->ndocuments == 0)
		paper_text(d, 0, PAPER_LEFT, "Документи не подано.");
	else
		doc_table(d, a->documents, a->ndocuments);
	if (a->nmissing > 0) {
		paper_space(d, 1);
		paper_text(d, B, PAPER_LEFT, "Документи, які необхідно подати "
		    "додатково, до %s:", paper_date_long(
		    paper_missing_deadline(a, iso, sizeof iso), when,
		    sizeof when));
		doc_table(d, a->missing, a->nmissing);
	}
}

static void
app_statements(struct paper_doc *d)
{
	paper_space(d, 1);
	paper_text(d, PAPER_SMALL, PAPER_JUSTIFY, "Попереджений(а) про відповідальність "
	    "за подання недостовірних відомостей та приховування відомостей, "
	    "що впливають на право на допомогу та її розмір. Зобов'язуюся "
	    "протягом місяця повідомити орган соціального захисту населення "
	    "про зміну обставин, що впливають на право на допомогу (складу "
	    "сім'ї, доходів, місця проживання, реквізитів для виплати).");
	paper_text(d, PAPER_SMALL, PAPER_JUSTIFY, "Відповідно до Закону України «Про "
	    "захист персональних даних» даю згоду на обробку моїх "
	    "персональних даних та даних членів моєї сім'ї з метою "
	    "призначення та виплати допомоги.");
	paper_keep(d);
}

/* The official's part, kept on one page: a chain of PAPER_KEEP. */
static void
app_official(struct paper_doc *d, const struct paper_app *a)
{
	char date[32], name[512], regd[96];

	paper_space(d, 1);
	paper_sign(d, "Заявник", paper_full_name(&a->applicant, name,
	    sizeof name), NULL);
	paper_space(d, 2);
	paper_rule(d);
	paper_keep(d);
	paper_text(d, B, PAPER_LEFT, "Заповнюється посадовою особою");
	paper_keep(d);
	snprintf(regd, sizeof regd, "%s від %s", nz(a->reg_no),
	    paper_date_short(a->reg_date, date, sizeof date));
	paper_field(d, "Заяву зареєстровано за №", regd, NULL);
	paper_keep(d);
	paper_field(d, "Заяву прийняв(ла):", a->front_office.name,
	    "(найменування центру надання адміністративних послуг / "
	    "старостинського округу)");
	paper_keep(d);
	paper_sign(d, "Посадова особа", a->clerk, NULL);
}

/* ---- the declaration ---- */

/* Name of income row's member: 0 the applicant, k the k-th member. */
static const struct paper_person *
member(const struct paper_app *a, int k)
{
	if (k <= 0 || (size_t)k > a->nfamily)
		return &a->applicant;
	return &a->family[k - 1];
}

static void
decl_family(struct paper_doc *d, const struct paper_app *a)
{
	static const struct paper_col cols[] = {
		{ "Прізвище, ім'я, по батькові", 6, PAPER_LEFT, 0 },
		{ "Ступінь родинного зв'язку", 4, PAPER_LEFT, 0 },
		{ "Дата народження", 3, PAPER_CENTER, 1 },
		{ "Серія та номер документа", 4, PAPER_CENTER, 0 },
		{ "РНОКПП", 4, PAPER_CENTER, 1 },
		{ "Примітка", 3, PAPER_LEFT, 0 },
	};
	int t;

	paper_text(d, B, PAPER_LEFT, "Розділ I. Загальні відомості");
	paper_text(d, 0, PAPER_LEFT, "3. Дані про осіб, які входять до "
	    "складу сім'ї:");
	t = paper_table(d, cols, 6);
	for (size_t i = 0; i <= a->nfamily; i++) {
		const struct paper_person *p = i == 0 ? &a->applicant :
		    &a->family[i - 1];
		char name[512], born[16], doc[96];
		const char *row[6] = { paper_full_name(p, name, sizeof name),
		    i == 0 ? "заявник" : paper_relation(p),
		    paper_date_short(p->birth_date, born, sizeof born),
		    paper_doc_number(p, doc, sizeof doc),
		    p->rnokpp_refused ? "відмова" : nz(p->rnokpp), "" };
		paper_row(d, t, 0, row);
	}
}

static void
decl_income(struct paper_doc *d, const struct paper_app *a, int alimony)
{
	static const struct paper_col inc[] = {
		{ "Прізвище та ініціали", 5, PAPER_LEFT, 0 },
		{ "Вид доходу", 5, PAPER_LEFT, 0 },
		{ "Період", 5, PAPER_CENTER, 1 },
		{ "Сума, грн", 3, PAPER_RIGHT, 1 },
		{ "Джерело доходу", 4, PAPER_LEFT, 0 },
	};
	static const struct paper_col ali[] = {
		{ "Прізвище та ініціали отримувача", 6, PAPER_LEFT, 0 },
		{ "Платник", 5, PAPER_LEFT, 0 },
		{ "Період", 5, PAPER_CENTER, 1 },
		{ "Сума, грн", 3, PAPER_RIGHT, 1 },
		{ "Заборгованість", 3, PAPER_CENTER, 0 },
	};
	int t = paper_table(d, alimony ? ali : inc, 5), rows = 0;
	int64_t total = 0;
	char sum[PAPER_AMOUNT_MAX];

	for (size_t i = 0; i < a->nincome; i++) {
		const struct paper_income *r = &a->income[i];
		char name[256], from[16], to[16], period[48];
		char amt[PAPER_AMOUNT_MAX];
		const char *row[5];
		if ((strcmp(nz(r->type), "alimony") == 0) != alimony)
			continue;
		snprintf(period, sizeof period, "%s – %s",
		    paper_date_short(r->period_from, from, sizeof from),
		    paper_date_short(r->period_to, to, sizeof to));
		paper_amount(r->amount, amt, sizeof amt);
		row[0] = paper_short_name(member(a, r->member), name,
		    sizeof name);
		row[1] = alimony ? "" : paper_income_type(r->type);
		row[2] = period;
		row[3] = amt;
		row[4] = "";
		paper_row(d, t, 0, row);
		total += r->amount;
		rows++;
	}
	if (rows == 0) {
		char name[256];
		const char *row[5] = { paper_short_name(&a->applicant, name,
		    sizeof name), "Не має", "", "", "" };
		paper_row(d, t, 0, row);
	} else if (!alimony) {
		const char *row[5] = { "Разом", "", "", sum, "" };
		paper_amount(total, sum, sizeof sum);
		paper_row(d, t, B, row);
	}
}

/* A section Hromada does not collect: its columns and two blank rows. */
static void
decl_blank(struct paper_doc *d, const char *title,
    const struct paper_col *cols, size_t n)
{
	const char *row[8] = { "", "", "", "", "", "", "", "" };
	int t;

	paper_space(d, 1);
	paper_text(d, B, PAPER_LEFT, "%s", title);
	paper_keep(d);
	t = paper_table(d, cols, n);
	paper_row(d, t, 0, row);
	paper_row(d, t, 0, row);
}

static void
decl_property(struct paper_doc *d)
{
	static const struct paper_col housing[] = {
		{ "Прізвище та ініціали", 4, PAPER_LEFT, 0 },
		{ "Вид приміщення", 4, PAPER_LEFT, 0 },
		{ "Площа, м²", 2, PAPER_CENTER, 0 },
		{ "Адреса", 7, PAPER_LEFT, 0 },
	};
	static const struct paper_col vehicles[] = {
		{ "Прізвище та ініціали", 4, PAPER_LEFT, 0 },
		{ "Марка", 4, PAPER_LEFT, 0 },
		{ "Номерний знак", 3, PAPER_CENTER, 0 },
		{ "Рік випуску", 2, PAPER_CENTER, 0 },
		{ "Отримано безоплатно (так/ні)", 3, PAPER_CENTER, 0 },
	};
	static const struct paper_col expenses[] = {
		{ "Прізвище та ініціали", 4, PAPER_LEFT, 0 },
		{ "Вид витрати", 6, PAPER_LEFT, 0 },
		{ "Сума, грн", 3, PAPER_RIGHT, 1 },
		{ "Дата", 3, PAPER_CENTER, 0 },
	};

	decl_blank(d, "Розділ III. Житлові приміщення", housing, 4);
	decl_blank(d, "Розділ IV. Транспортні засоби (випуску не більше "
	    "15 років тому)", vehicles, 5);
	decl_blank(d, "Розділ V. Разові витрати понад 50 000 грн за 12 "
	    "місяців перед зверненням", expenses, 4);
}

static void
app_declaration(struct paper_doc *d, const struct paper_app *a)
{
	char name[512];

	paper_page(d);
	paper_field(d, "До", a->back_office.name,
	    "(найменування структурного підрозділу з питань соціального "
	    "захисту населення)");
	paper_space(d, 1);
	paper_text(d, PAPER_LARGE, PAPER_CENTER, "ДЕКЛАРАЦІЯ");
	paper_text(d, B, PAPER_CENTER, "про доходи та майновий стан осіб, "
	    "які звернулися за призначенням соціальної допомоги");
	paper_space(d, 1);
	paper_field(d, "", paper_full_name(&a->applicant, name, sizeof name),
	    "(прізвище, ім'я, по батькові (за наявності) заявника / "
	    "законного представника заявника / уповноваженого представника "
	    "сім'ї)");
	paper_field(d, "", a->applicant.reg_address, "(поштовий індекс, "
	    "область, район, населений пункт, вулиця, будинок, корпус, "
	    "квартира)");
	paper_space(d, 1);
	decl_family(d, a);
	paper_space(d, 1);
	paper_text(d, B, PAPER_LEFT, "Розділ II. Доходи членів сім'ї");
	paper_keep(d);
	decl_income(d, a, 0);
	decl_property(d);
	paper_space(d, 1);
	paper_text(d, B, PAPER_LEFT, "Розділ VI. Аліменти");
	paper_keep(d);
	decl_income(d, a, 1);
	paper_space(d, 1);
	paper_text(d, 0, PAPER_JUSTIFY, "Усі відомості, зазначені в "
	    "декларації, правдиві; про відповідальність за подання "
	    "недостовірних відомостей попереджені. Згодні на обробку "
	    "персональних даних членів сім'ї.");
	paper_keep(d);
	paper_sign(d, "Заявник", name, NULL);
	for (size_t i = 0; i < a->nfamily; i++) {
		char member_name[512];
		paper_sign(d, "Член сім'ї", paper_full_name(&a->family[i],
		    member_name, sizeof member_name), NULL);
	}
}

int
paper_form_application(const struct paper_app *a, struct paper_doc *d)
{
	app_addressee(d, a);
	app_applicant(d, a);
	app_service(d, a);
	app_payment(d, a);
	app_documents(d, a);
	app_statements(d);
	app_official(d, a);
	app_declaration(d, a);
	return d->failed ? -1 : 0;
}
