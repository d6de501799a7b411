/*
 * test_paper.c — the printed documents (paper/) from fixed data.
 *
 * Plain text: each document, UTF-8, equals its golden file in tests/paper/
 * (HROMADA_UPDATE_GOLDEN=1 rewrites them; read the diff before
 * committing).  CP866: the Ukrainian letters CP866 lacks come out as
 * their DOS stand-ins, and lines end in CR LF.
 *
 * PDF: the text pdftotext extracts holds what the data says — names,
 * registration numbers, dates written both ways, amounts in figures and in
 * words, IBAN, documents — in Cyrillic; the file is under 100 KB with the
 * font embedded, and the same document gives the same bytes (a stored
 * register reprints identically).  A missing font is a clear error, not a
 * PDF of empty boxes.
 *
 * And the conventions themselves: numbers and sums in words, plural
 * forms, dates, deadlines, names, documents, file names.
 *
 * Alike on purpose: the checks of a document's text are runs of
 * assert_non_null(strstr(text, ...)) / assert_null, one a phrase the
 * document must or must not hold, as in tests/unit/test_sheet.c. The
 * sample data itself is tests/lib/tpaper.c's, shared with
 * tests/bench/bench_paper.c.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "paper/data.h"
#include "paper/file.h"
#include "paper/fmt.h"
#include "paper/forms.h"
#include "paper/render.h"
#include "paper/wire.h"
#include "proto/rpc.h"
#include "tests/lib/tpaper.h"

#ifndef PDFTOTEXT
#define PDFTOTEXT "pdftotext"
#endif

/* ---- fixtures ---- */

static const struct paper_person fx_family[] = {
	{ .surname = "Іваненко", .name = "Петро", .patronymic = "Олексійович",
	  .birth_date = "1982-11-23", .sex = "M", .rnokpp = "3652504575",
	  .doc_type = "id_card", .doc_number = "004512345",
	  .relation = "spouse" },
	{ .surname = "Іваненко", .name = "Марія", .patronymic = "Петрівна",
	  .birth_date = "2015-04-01", .sex = "F", .doc_type = "birth_cert",
	  .doc_number = "I-АБ123456", .relation = "child" },
};

static const struct paper_income fx_income[] = {
	{ 0, "salary", "2026-06-01", "2026-11-30", 4500000 },
	{ 1, "pension", "2026-06-01", "2026-11-30", 1234556 },
	{ 2, "alimony", "2026-06-01", "2026-11-30", 600000 },
};

static const struct paper_docref fx_docs[] = {
	{ "application", "Заява" },
	{ "id_doc", "Паспорт громадянина України або ID-картка" },
	{ "income_decl", "Декларація про доходи та майновий стан" },
};

static const struct paper_docref fx_missing[] = {
	{ "family_comp", "Довідка про склад сім'ї або зареєстрованих у "
	  "житловому приміщенні осіб" },
};

static void
fx_app(struct paper_app *a)
{
	tpaper_app(a);
	a->family = (struct paper_person *)fx_family;
	a->nfamily = 2;
	a->income = (struct paper_income *)fx_income;
	a->nincome = 3;
	a->documents = (struct paper_docref *)fx_docs;
	a->ndocuments = 3;
	a->missing = (struct paper_docref *)fx_missing;
	a->nmissing = 1;
}

static struct paper_register_row fx_rows[3] = {
	{ 1, 1042, "00012/2026", "2026-12-07", "Іваненко Ганна Петрівна",
	  "3068208400", "Державна соціальна допомога малозабезпеченим сім'ям",
	  4, 1 },
	{ 2, 1043, "00013/2026", "2026-12-07", "Коваль Іван Степанович",
	  "МК654321", "Допомога при народженні дитини", 5, 0 },
	{ 3, 1050, "00015/2026", "2026-12-08", "Ґудзь Євген Їжакович",
	  "1759013776", "Житлова субсидія на оплату житлово-комунальних "
	  "послуг", 6, 0 },
};

static void
fx_register(struct paper_register *r)
{
	tpaper_register(r);
	r->rows = fx_rows;
	r->nrows = 3;
}

/* ---- helpers ---- */

/* HROMADA_DUMP_DIR=DIR keeps every rendered document there, to look at
 * (pdftoppm -png renders a page). */
static void
dump(int kind, int fmt, const struct paper_bytes *out)
{
	const char *dir = getenv("HROMADA_DUMP_DIR");
	char path[1024];
	FILE *f;

	if (dir == NULL)
		return;
	snprintf(path, sizeof path, "%s/%s.%s", dir, paper_kind_name(kind),
	    paper_format_ext(fmt));
	if ((f = fopen(path, "wb")) != NULL) {
		fwrite(out->data, 1, out->len, f);
		fclose(f);
	}
}

static struct paper_doc *
build(int kind)
{
	struct paper_app a;
	struct paper_register r;
	struct paper_doc *d = NULL;
	struct hr_error err;

	fx_app(&a);
	fx_register(&r);
	if (kind == PAPER_REGISTER)
		assert_int_equal(paper_form_register(&r, &d, &err), 0);
	else
		assert_int_equal(paper_form_app(kind, &a, &d, &err), 0);
	return d;
}

static void
render(int kind, int fmt, struct paper_bytes *out)
{
	struct paper_doc *d = build(kind);
	struct hr_error err;

	memset(out, 0, sizeof *out);
	if (paper_render(d, fmt, NULL, out, &err) != 0)
		fail_msg("render %s: %s", paper_kind_name(kind), err.msg);
	paper_doc_free(d);
	dump(kind, fmt, out);
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void
check_golden(int kind)
{
	const char *src = getenv("top_srcdir");
	char path[1024];
	struct paper_bytes out;
	size_t len;
	char *want;

	render(kind, PAPER_FMT_TEXT, &out);
	snprintf(path, sizeof path, "%s/tests/paper/%s.txt", src ? src : ".",
	    paper_kind_name(kind));
	if (getenv("HROMADA_UPDATE_GOLDEN") != NULL) {
		FILE *f = fopen(path, "wb");
		assert_non_null(f);
		assert_int_equal(fwrite(out.data, 1, out.len, f), out.len);
		fclose(f);
	}
	want = slurp(path, &len);
	if (want == NULL)
		fail_msg("no golden file %s (HROMADA_UPDATE_GOLDEN=1 makes it)",
		    path);
	if (len != out.len || memcmp(want, out.data, len) != 0) {
		fwrite(out.data, 1, out.len, stderr);
		fail_msg("%s differs from its golden file %s (printed above)",
		    paper_kind_name(kind), path);
	}
	free(want);
	paper_bytes_free(&out);
}

/* The text pdftotext finds in the PDF, blanks collapsed to one space. */
static char *
pdf_text(const struct paper_bytes *pdf)
{
	char in[] = "/tmp/test_paper.XXXXXX", out[64], cmd[256];
	size_t len;
	char *t, *w, *r;
	int fd = mkstemp(in);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, pdf->data, pdf->len), (ssize_t)pdf->len);
	close(fd);
	snprintf(out, sizeof out, "%s.txt", in);
	snprintf(cmd, sizeof cmd, "%s -q -enc UTF-8 %s %s", PDFTOTEXT, in, out);
	assert_int_equal(system(cmd), 0);
	t = slurp(out, &len);
	assert_non_null(t);
	unlink(in);
	unlink(out);
	for (r = w = t; *r; r++) {
		int blank = *r == ' ' || *r == '\n' || *r == '\t' || *r == '\f';
		if ((unsigned char)r[0] == 0xc2 && (unsigned char)r[1] == 0xa0) {
			r++;                  /* a no-break space is a blank */
			blank = 1;
		}
		if (blank && (w == t || w[-1] == ' '))
			continue;
		*w++ = blank ? ' ' : *r;
	}
	*w = '\0';
	return t;
}

/* Every string of `want` is in `text`; `ordered` ones in this order. */
static void
expect_in(const char *text, const char *const *want, size_t n, int ordered)
{
	const char *from = text;

	for (size_t i = 0; i < n; i++) {
		const char *at = strstr(ordered ? from : text, want[i]);
		if (at == NULL)
			fail_msg("PDF text lacks \"%s\"%s:\n%s", want[i],
			    ordered ? " (in order)" : "", text);
		if (ordered)
			from = at + strlen(want[i]);
	}
}

/* ---- plain text ---- */

static void
test_golden_application(void **state)
{
	(void)state;
	check_golden(PAPER_APPLICATION);
}

static void
test_golden_receipt(void **state)
{
	(void)state;
	check_golden(PAPER_RECEIPT);
}

static void
test_golden_notice(void **state)
{
	(void)state;
	check_golden(PAPER_NOTICE);
}

static void
test_golden_register(void **state)
{
	(void)state;
	check_golden(PAPER_REGISTER);
}

static void
test_text_width(void **state)
{
	struct paper_bytes out;

	(void)state;
	for (int k = 0; k < PAPER_KIND__COUNT; k++) {
		const char *p, *end;
		render(k, PAPER_FMT_TEXT, &out);
		p = (const char *)out.data;
		end = p + out.len;
		while (p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
			size_t cols = 0;
			for (size_t i = 0; i < len; i++)
				cols += ((unsigned char)p[i] & 0xc0) != 0x80 &&
				    p[i] != '\f';
			if (cols > PAPER_TEXT_WIDTH)
				fail_msg("%s: a line of %zu columns: %.*s",
				    paper_kind_name(k), cols, (int)len, p);
			p += len + 1;
		}
		paper_bytes_free(&out);
	}
}

static void
test_cp866(void **state)
{
	struct paper_bytes out;
	const char *t;

	(void)state;
	render(PAPER_REGISTER, PAPER_FMT_TEXT_CP866, &out);
	t = (const char *)out.data;
	/* "Ґудзь Євген Їжакович": Ґ -> Г (0x83), Є 0xF2, Ї 0xF4 */
	assert_non_null(memmem(t, out.len, "\x83\xe3\xa4\xa7\xec", 5));
	assert_non_null(memmem(t, out.len, "\xf2\xa2\xa3\xa5\xad", 5));
	assert_non_null(memmem(t, out.len, "\xf4\xa6\xa0\xaa\xae\xa2\xa8"
	    "\xe7", 8));
	/* "Іваненко": І -> Latin I */
	assert_non_null(memmem(t, out.len, "I\xa2\xa0\xad\xa5\xad\xaa\xae", 8));
	/* "№" 0xFC, CR LF line ends, no UTF-8 left */
	assert_non_null(memmem(t, out.len, "\xfc", 1));
	assert_non_null(memmem(t, out.len, "\r\n", 2));
	assert_null(memmem(t, out.len, "\xd0", 1));
	paper_bytes_free(&out);
}

/* ---- PDF ---- */

static void
test_pdf_application(void **state)
{
	struct paper_app a;
	struct paper_bytes pdf;
	char *text, name[256], born[64], date[64], dl[64], iso[16], sum[64];
	char spouse[256], child[256];

	(void)state;
	fx_app(&a);
	render(PAPER_APPLICATION, PAPER_FMT_PDF, &pdf);
	assert_true(pdf.len < 100 * 1024);
	text = pdf_text(&pdf);
	{
		const char *const ordered[] = {
			a.back_office.name, "ЗАЯВА", "1. Відомості про заявника",
			paper_full_name(&a.applicant, name, sizeof name),
			paper_date_short(a.applicant.birth_date, born, sizeof born),
			a.applicant.rnokpp, a.applicant.unzr,
			"паспорт громадянина України серія МК № 123456",
			a.applicant.reg_address, a.phone,
			"2. Прошу призначити", a.service_name,
			"3. Виплату прошу здійснювати", a.iban,
			"4. До заяви додаю документи", fx_docs[1].name,
			"Документи, які необхідно подати додатково, до",
			paper_date_long(paper_missing_deadline(&a, iso,
			    sizeof iso), dl, sizeof dl),
			"Заявник", "Заповнюється посадовою особою", a.reg_no,
			paper_date_short(a.reg_date, date, sizeof date),
			a.front_office.name, a.clerk,
			"ДЕКЛАРАЦІЯ", "Розділ I",
		};
		expect_in(text, ordered, sizeof ordered / sizeof ordered[0], 1);
	}
	{
		const char *const any[] = {
			paper_full_name(&fx_family[0], spouse, sizeof spouse),
			paper_full_name(&fx_family[1], child, sizeof child),
			"чоловік", "дочка", "I-АБ 123456", "004512345",
			"заробітна плата", "45 000,00", "12 345,56",
			"57 345,56",                 /* total without aliments */
			"Розділ VI. Аліменти", "6 000,00",
			"Розділ III. Житлові приміщення", fx_missing[0].name,
		};
		expect_in(text, any, sizeof any / sizeof any[0], 0);
	}
	assert_string_equal(paper_money(123456, sum, sizeof sum),
	    "1\xc2\xa0" "234,56\xc2\xa0" "грн");
	free(text);
	paper_bytes_free(&pdf);
}

static void
test_pdf_receipt_notice(void **state)
{
	struct paper_app a;
	struct paper_bytes pdf;
	char *text, name[256], dl[64], iso[16], words[256];

	(void)state;
	fx_app(&a);
	render(PAPER_RECEIPT, PAPER_FMT_PDF, &pdf);
	text = pdf_text(&pdf);
	{
		const char *const ordered[] = {
			a.front_office.name, a.front_office.phone, "РОЗПИСКА",
			paper_full_name(&a.applicant, name, sizeof name),
			"РНОКПП 3068208400", a.reg_no, "07 грудня 2026 року",
			a.service_name, "Прийнято документи:", fx_docs[2].name,
			paper_date_long(paper_missing_deadline(&a, iso,
			    sizeof iso), dl, sizeof dl),
			fx_missing[0].name, a.back_office.name,
			"за телефоном +380671234567", "Прийняв(ла)", a.clerk,
			"Розписку отримав(ла)",
		};
		expect_in(text, ordered, sizeof ordered / sizeof ordered[0], 1);
	}
	free(text);
	paper_bytes_free(&pdf);

	render(PAPER_NOTICE, PAPER_FMT_PDF, &pdf);
	text = pdf_text(&pdf);
	{
		const char *const ordered[] = {
			a.back_office.name, a.back_office.phone,
			paper_full_name(&a.applicant, name, sizeof name),
			"ПОВІДОМЛЕННЯ", "про надання державної соціальної "
			"допомоги малозабезпеченим сім'ям",
			"№ 00012/2026 від 07.12.2026", "призначити",
			a.service_name, "20.12.2026",
			"1 234,56 грн", paper_money_words(123456, words,
			    sizeof words),
			"з 01.01.2027 по 30.06.2027", a.iban,
			"Повідомлення видав(ла)", a.front_office.name,
			a.printed_by, "Повідомлення отримав(ла)",
		};
		expect_in(text, ordered, sizeof ordered / sizeof ordered[0], 1);
	}
	free(text);
	paper_bytes_free(&pdf);
}

static void
test_pdf_register_same_bytes(void **state)
{
	struct paper_bytes one, two;
	char *text;

	(void)state;
	render(PAPER_REGISTER, PAPER_FMT_PDF, &one);
	render(PAPER_REGISTER, PAPER_FMT_PDF, &two);
	assert_int_equal(one.len, two.len);
	assert_memory_equal(one.data, two.data, one.len);
	text = pdf_text(&one);
	{
		const char *const ordered[] = {
			"РЕЄСТР № 3/2026", "передавання заяв та документів",
			fx_rows[0].reg_no, fx_rows[0].applicant,
			fx_rows[2].applicant,
			"Усього передано: 3 (три) заяви, 15 (п'ятнадцять) "
			"документів.", "Передав(ла)", "Петренко Олена Іванівна",
			"Прийняв(ла)", "Реєстр № 3/2026 від 08.12.2026",
		};
		expect_in(text, ordered, sizeof ordered / sizeof ordered[0], 1);
	}
	expect_in(text, (const char *const[]){ "неповний пакет",
	    "Ґудзь Євген Їжакович", "1759013776" }, 3, 0);
	free(text);
	paper_bytes_free(&one);
	paper_bytes_free(&two);
}

static void
test_pdf_font_missing(void **state)
{
	struct paper_doc *d = build(PAPER_RECEIPT);
	struct paper_opts o = { "/nonexistent/fonts" };
	struct paper_bytes out = { 0 };
	struct hr_error err;

	(void)state;
	assert_int_equal(paper_render(d, PAPER_FMT_PDF, &o, &out, &err), -1);
	assert_int_equal(err.code, HR_E_IO);
	assert_non_null(strstr(err.msg, "fonts-dejavu-core"));
	assert_int_equal(out.len, 0);
	paper_doc_free(d);
}

/* ---- conventions ---- */

static void
test_words(void **state)
{
	char b[512];

	(void)state;
	assert_string_equal(paper_number_words(0, PAPER_MASC, b, sizeof b), "нуль");
	assert_string_equal(paper_number_words(21, PAPER_FEM, b, sizeof b),
	    "двадцять одна");
	assert_string_equal(paper_number_words(12, PAPER_FEM, b, sizeof b),
	    "дванадцять");
	assert_string_equal(paper_number_words(2002, PAPER_MASC, b, sizeof b),
	    "дві тисячі два");
	assert_string_equal(paper_number_words(1000000, PAPER_MASC, b, sizeof b),
	    "один мільйон");
	assert_string_equal(paper_number_words(345, PAPER_MASC, b, sizeof b),
	    "триста сорок п'ять");
	assert_string_equal(paper_money_words(123456, b, sizeof b),
	    "одна тисяча двісті тридцять чотири гривні 56 копійок");
	assert_string_equal(paper_money_words(2101, b, sizeof b),
	    "двадцять одна гривня 01 копійка");
	assert_string_equal(paper_money_words(500, b, sizeof b),
	    "п'ять гривень 00 копійок");
	assert_string_equal(paper_plural(11, "заява", "заяви", "заяв"), "заяв");
	assert_string_equal(paper_plural(22, "заява", "заяви", "заяв"), "заяви");
	assert_string_equal(paper_plural(101, "заява", "заяви", "заяв"), "заява");
}

static void
test_dates_names(void **state)
{
	char b[256];
	struct paper_person p = { .surname = "Ґудзь", .name = "Євген",
	    .patronymic = "Їжакович", .doc_type = "birth_cert",
	    .doc_number = "XII-АБ123456" };

	(void)state;
	assert_string_equal(paper_date_short("2026-03-05", b, sizeof b),
	    "05.03.2026");
	assert_string_equal(paper_date_long("2026-03-05", b, sizeof b),
	    "05 березня 2026 року");
	assert_string_equal(paper_date_short("nonsense", b, sizeof b), "");
	assert_string_equal(paper_date_add_months("2026-01-31", 1, b, sizeof b),
	    "2026-02-28");
	assert_string_equal(paper_date_add_months("2027-12-15", 3, b, sizeof b),
	    "2028-03-15");
	assert_string_equal(paper_date_add_months("2028-01-31", 1, b, sizeof b),
	    "2028-02-29");
	assert_string_equal(paper_short_name(&p, b, sizeof b), "Ґудзь Є. Ї.");
	assert_string_equal(paper_id_document(&p, b, sizeof b),
	    "свідоцтво про народження серія XII-АБ № 123456");
	p.relation = "child";
	p.sex = "M";
	assert_string_equal(paper_relation(&p), "син");
}

static void
test_file_names(void **state)
{
	char b[128];

	(void)state;
	paper_file_name(PAPER_APPLICATION, "00012/2026", PAPER_FMT_PDF, b, sizeof b);
	assert_string_equal(b, "application_00012-2026.pdf");
	paper_file_name(PAPER_REGISTER, "3/2026", PAPER_FMT_TEXT_CP866, b, sizeof b);
	assert_string_equal(b, "register_3-2026.cp866.txt");
	paper_file_name(PAPER_RECEIPT, "../../etc/passwd", PAPER_FMT_TEXT, b,
	    sizeof b);
	assert_null(strchr(b, '/'));
	assert_int_equal(paper_kind_from_name("notice"), PAPER_NOTICE);
	assert_int_equal(paper_kind_from_name("nope"), -1);
	assert_int_equal(paper_format_from_name("cp866"), PAPER_FMT_TEXT_CP866);
}

/* The text of a document rendered from `a`. */
static void
text_of_app(int kind, const struct paper_app *a, struct paper_bytes *out)
{
	struct paper_doc *d;
	struct hr_error err;

	memset(out, 0, sizeof *out);
	assert_int_equal(paper_form_app(kind, a, &d, &err), 0);
	assert_int_equal(paper_render_text(d, 0, out, &err), 0);
	paper_doc_free(d);
}

/* What the server packs, the client reads back: the same documents. */
static void
test_wire_round_trip(void **state)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;
	msgpack_unpacked u;
	struct paper_app a, back;
	struct paper_register r, rback;
	struct hr_error err;
	size_t off = 0;

	(void)state;
	fx_app(&a);
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	paper_wire_pack_app(&pk, &a);
	msgpack_unpacked_init(&u);
	assert_int_equal(msgpack_unpack_next(&u, sb.data, sb.size, &off),
	    MSGPACK_UNPACK_SUCCESS);
	assert_int_equal(off, sb.size);
	assert_int_equal(paper_wire_read_app(&u.data, &back, &err), 0);
	for (int k = PAPER_APPLICATION; k <= PAPER_NOTICE; k++) {
		struct paper_bytes one, two;
		text_of_app(k, &a, &one);
		text_of_app(k, &back, &two);
		assert_int_equal(one.len, two.len);
		assert_memory_equal(one.data, two.data, one.len);
		paper_bytes_free(&one);
		paper_bytes_free(&two);
	}
	paper_app_free(&back);
	msgpack_unpacked_destroy(&u);

	fx_register(&r);
	msgpack_sbuffer_clear(&sb);
	paper_wire_pack_register(&pk, &r);
	msgpack_unpacked_init(&u);
	off = 0;
	assert_int_equal(msgpack_unpack_next(&u, sb.data, sb.size, &off),
	    MSGPACK_UNPACK_SUCCESS);
	assert_int_equal(paper_wire_read_register(&u.data, &rback, &err), 0);
	assert_int_equal(rback.nrows, 3);
	assert_int_equal(rback.number, 3);
	assert_string_equal(rback.rows[2].applicant, fx_rows[2].applicant);
	assert_int_equal(rback.rows[1].documents, 5);
	assert_string_equal(rback.to_name, r.to_name);
	paper_register_free(&rback);
	msgpack_unpacked_destroy(&u);

	/* anything else reads as absent, never crashes */
	msgpack_sbuffer_clear(&sb);
	msgpack_pack_map(&pk, 2);
	hr_pack_kv_int(&pk, "family", 7);
	hr_pack_kv_str(&pk, "rows", "x");
	msgpack_unpacked_init(&u);
	off = 0;
	assert_int_equal(msgpack_unpack_next(&u, sb.data, sb.size, &off),
	    MSGPACK_UNPACK_SUCCESS);
	assert_int_equal(paper_wire_read_app(&u.data, &back, &err), 0);
	assert_int_equal(back.nfamily, 0);
	assert_null(back.reg_no);
	paper_app_free(&back);
	assert_int_equal(paper_wire_read_register(&u.data, &rback, &err), 0);
	assert_int_equal(rback.nrows, 0);
	paper_register_free(&rback);
	msgpack_unpacked_destroy(&u);
	msgpack_sbuffer_destroy(&sb);
}

static void
test_notice_needs_decision(void **state)
{
	struct paper_app a;
	struct paper_doc *d;
	struct hr_error err;

	(void)state;
	fx_app(&a);
	a.has_decision = 0;
	assert_int_equal(paper_form_app(PAPER_NOTICE, &a, &d, &err), -1);
	assert_int_equal(err.code, HR_E_STATE);
	assert_null(d);
}

/* The notice's text (UTF-8) for `a`, NUL-terminated; free it. */
static char *
notice_text_of(const struct paper_app *a)
{
	struct paper_doc *d = NULL;
	struct paper_bytes out = { 0 };
	struct hr_error err;

	assert_int_equal(paper_form_app(PAPER_NOTICE, a, &d, &err), 0);
	assert_int_equal(paper_render(d, PAPER_FMT_TEXT, NULL, &out, &err), 0);
	paper_doc_free(d);
	assert_int_equal(paper_bytes_add(&out, "", 1), 0);
	return (char *)out.data;
}

/*
 * FORMS.md §5.1 items 1 and 9: the award's title names the low-income
 * assistance or the assistance to families with children; the low-income
 * assistance assigned with 0.00 is told as a refusal (income above the
 * guaranteed minimum) — only that one.
 */
static void
test_notice_titles_and_zero_sum(void **state)
{
	struct paper_app a;
	char *t;

	(void)state;
	fx_app(&a);
	t = notice_text_of(&a);
	assert_non_null(strstr(t, "про надання державної соціальної допомоги "
	    "малозабезпеченим сім'ям"));
	assert_non_null(strstr(t, "234,56"));
	free(t);

	a.service = "birth";
	a.service_name = "Допомога при народженні дитини";
	t = notice_text_of(&a);
	assert_non_null(strstr(t, "про надання державної допомоги сім'ям з "
	    "дітьми"));
	free(t);

	a.service = "burial";
	a.service_name = "Допомога на поховання";
	t = notice_text_of(&a);
	assert_non_null(strstr(t, "про призначення допомоги"));
	free(t);

	/* a zero sum of another assistance stays an award */
	a.decision.amount = 0;
	assert_string_equal(paper_notice_decision(&a), "assigned");

	fx_app(&a);
	a.decision.amount = 0;
	assert_string_equal(paper_notice_decision(&a), "refused");
	assert_string_equal(paper_notice_reason(&a), PAPER_REASON_INCOME_ABOVE);
	t = notice_text_of(&a);
	assert_non_null(strstr(t, "про відмову у призначенні допомоги"));
	assert_non_null(strstr(t, "відмовити у призначенні"));
	assert_non_null(strstr(t, "Причина відмови:"));
	assert_non_null(strstr(t, "середньомісячний сукупний дохід"));
	assert_null(strstr(t, "Розмір допомоги"));
	assert_null(strstr(t, "IBAN"));
	free(t);

	/* a reason the answer gave is kept */
	a.decision.reason = "подано недостовірні відомості";
	assert_string_equal(paper_notice_reason(&a),
	    "подано недостовірні відомості");
}

/* ---- saving and lp ---- */

static char *
tmpdir_make(void)
{
	char *d = strdup("/tmp/test_paper_dir.XXXXXX");

	assert_non_null(d);
	assert_non_null(mkdtemp(d));
	return d;
}

static void
rm_rf(const char *d)
{
	char cmd[512];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", d);
	assert_int_equal(system(cmd), 0);
}

static void
test_file_save(void **state)
{
	char *d = tmpdir_make(), sub[512], path[1024], bad[600];
	struct hr_error err;
	struct stat st;
	size_t len;
	char *back;

	(void)state;
	snprintf(sub, sizeof sub, "%s/hromada-print", d);
	assert_int_equal(paper_file_save(sub, "receipt_1-2026.pdf", "one", 3,
	    path, sizeof path, &err), 0);
	assert_int_equal(stat(sub, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);        /* the folder */
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);        /* the document */
	/* a second print of the same document replaces the first */
	assert_int_equal(paper_file_save(sub, "receipt_1-2026.pdf", "second", 6,
	    path, sizeof path, &err), 0);
	back = slurp(path, &len);
	assert_int_equal(len, 6);
	assert_memory_equal(back, "second", 6);
	free(back);
	/* a folder that cannot be: a clear error, nothing left behind */
	snprintf(bad, sizeof bad, "%s/receipt_1-2026.pdf/under", sub);
	assert_int_equal(paper_file_save(bad, "x.pdf", "x", 1, path,
	    sizeof path, &err), -1);
	assert_int_equal(err.code, HR_E_IO);
	assert_non_null(strstr(err.msg, "under"));
	assert_int_equal(paper_file_save(sub, "a/b.pdf", "x", 1, path,
	    sizeof path, &err), -1);
	{
		char cmd[700];
		snprintf(cmd, sizeof cmd, "test $(ls -A '%s' | wc -l) -eq 1", sub);
		assert_int_equal(system(cmd), 0);         /* no temporary left */
	}
	rm_rf(d);
	free(d);
}

/* A fake lp on PATH: `script` is its body. */
static void
fake_lp(const char *dir, const char *script)
{
	char path[600];
	FILE *f;

	snprintf(path, sizeof path, "%s/lp", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "#!/bin/sh\n%s\n", script);
	fclose(f);
	assert_int_equal(chmod(path, 0755), 0);
}

static void
test_lp(void **state)
{
	char *d = tmpdir_make(), path[1200], reply[256], *old;
	struct hr_error err;

	(void)state;
	old = strdup(getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
	setenv("PATH", d, 1);
	assert_int_equal(paper_lp_found(), 0);
	fake_lp(d, "echo \"request id is test-1 (1 file(s)) $*\"");
	assert_int_equal(paper_lp_found(), 1);
	snprintf(path, sizeof path, "%s/doc.cp866.txt", d);
	assert_int_equal(paper_lp_print(path, PAPER_FMT_TEXT_CP866, 5000, reply,
	    sizeof reply, &err), 0);
	assert_non_null(strstr(reply, "request id is test-1"));
	assert_non_null(strstr(reply, "-o raw"));        /* CP866 goes raw */
	fake_lp(d, "echo 'lp: Error - No default destination.' >&2; exit 1");
	assert_int_equal(paper_lp_print(path, PAPER_FMT_PDF, 5000, reply,
	    sizeof reply, &err), -1);
	assert_int_equal(err.code, HR_E_IO);
	assert_non_null(strstr(err.msg, "No default destination"));
	fake_lp(d, "exec /bin/sleep 30");
	assert_int_equal(paper_lp_print(path, PAPER_FMT_PDF, 300, reply,
	    sizeof reply, &err), -1);
	assert_int_equal(err.code, HR_E_TIMEOUT);
	setenv("PATH", old, 1);
	free(old);
	rm_rf(d);
	free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_application),
		cmocka_unit_test(test_golden_receipt),
		cmocka_unit_test(test_golden_notice),
		cmocka_unit_test(test_golden_register),
		cmocka_unit_test(test_text_width),
		cmocka_unit_test(test_cp866),
		cmocka_unit_test(test_pdf_application),
		cmocka_unit_test(test_pdf_receipt_notice),
		cmocka_unit_test(test_pdf_register_same_bytes),
		cmocka_unit_test(test_pdf_font_missing),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_dates_names),
		cmocka_unit_test(test_file_names),
		cmocka_unit_test(test_notice_needs_decision),
		cmocka_unit_test(test_notice_titles_and_zero_sum),
		cmocka_unit_test(test_wire_round_trip),
		cmocka_unit_test(test_file_save),
		cmocka_unit_test(test_lp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
