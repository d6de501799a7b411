/*
 * bench_paper.c — what printing costs: a transfer register of 500
 * applications, and the size of an application's PDF (issue 13's targets:
 * the register renders in under 1 s; an application PDF is under 100 KB
 * with the font subset embedded).
 *
 * Everything goes through the code the client and hromadactl print with
 * (paper/: the form built from the data, then laid out by libharu or as
 * plain text); the data is generated here, like a register the server
 * returns (register.get) — what the server adds is one indexed read of the
 * stored rows.
 *
 * Timings are the median of --runs runs, in wall-clock time and in the
 * process's CPU time (less disturbed by a busy machine), printed beside
 * their target with the machine's load average.  Registers of 50 and 5000
 * rows are timed too, so the cost per row shows (a ratio measured in the
 * same run).  Sizes and page counts are deterministic.
 *
 * --smoke (tests/bench/run-paper-small.sh, in `make check`): one run of
 * each, asserting only what does not depend on the machine — every render
 * succeeds, a register of 500 rows has every row, the same register gives
 * the same bytes twice, and an application PDF (also one with a large
 * family and many income lines) is under 100 KB.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "paper/data.h"
#include "paper/doc.h"
#include "paper/forms.h"
#include "paper/render.h"
#include "tests/lib/tbench.h"
#include "tests/lib/tpaper.h"

#define RUNS_MAX        50
#define T_REGISTER_MS   1000.0
#define T_APP_PDF_KB    100.0

/* ---- data ---- */

static const char *const surnames[] = {
	"Іваненко", "Коваль", "Ґудзь", "Шевчук", "Бондаренко", "Ткаченко",
	"Кравчук", "Олійник", "Мельник", "Їжакевич", "Поліщук", "Лисенко",
};
static const char *const names[] = {
	"Ганна", "Іван", "Євген", "Марія", "Олександр", "Юлія", "Петро",
	"Оксана", "Тарас", "Ірина",
};
static const char *const patronymics[] = {
	"Петрівна", "Степанович", "Їжакович", "Олексіївна", "Миколайович",
	"Василівна", "Іванович",
};
static const char *const services[] = {
	"Державна соціальна допомога малозабезпеченим сім'ям",
	"Допомога при народженні дитини",
	"Житлова субсидія на оплату житлово-комунальних послуг",
	"Державна соціальна допомога особам з інвалідністю з дитинства та "
	"дітям з інвалідністю",
};

/* A register of n rows as register.get returns it. */
static void
make_register(struct paper_register *r, size_t n)
{
	struct paper_arena *ar = &r->arena;
	char buf[256];

	tpaper_register(r);
	r->to_name = "Управління соціального захисту населення Глухівської РДА";
	r->period_from = "2026-11-01";
	r->period_to = "2026-11-30";
	r->rows = paper_arena_alloc(ar, n * sizeof *r->rows);
	if (r->rows == NULL) {
		fprintf(stderr, "bench_paper: out of memory\n");
		exit(1);
	}
	r->nrows = n;
	for (size_t i = 0; i < n; i++) {
		struct paper_register_row *w = &r->rows[i];
		w->ord = (int)i + 1;
		w->application_id = 1000 + (int64_t)i;
		snprintf(buf, sizeof buf, "%05zu/2026", i + 1);
		w->reg_no = paper_arena_strdup(ar, buf);
		snprintf(buf, sizeof buf, "2026-11-%02zu", 1 + i % 30);
		w->reg_date = paper_arena_strdup(ar, buf);
		snprintf(buf, sizeof buf, "%s %s %s",
		    surnames[i % (sizeof surnames / sizeof surnames[0])],
		    names[i % (sizeof names / sizeof names[0])],
		    patronymics[i % (sizeof patronymics / sizeof patronymics[0])]);
		w->applicant = paper_arena_strdup(ar, buf);
		snprintf(buf, sizeof buf, "%010zu", 3068208400u + i * 7);
		w->ident = paper_arena_strdup(ar, buf);
		w->service_name = services[i % (sizeof services /
		    sizeof services[0])];
		w->documents = 3 + (int)(i % 5);
		w->missing = i % 17 == 0;
	}
}

static struct paper_person family[10];
static struct paper_income income[40];

static const struct paper_docref docs[] = {
	{ "application", "Заява" },
	{ "id_doc", "Паспорт громадянина України або ID-картка" },
	{ "income_decl", "Декларація про доходи та майновий стан" },
	{ "family_comp", "Довідка про склад сім'ї або зареєстрованих у "
	  "житловому приміщенні осіб" },
	{ "birth_cert", "Свідоцтво про народження дитини" },
};

/* An application; `big`: ten in the family, forty income lines. */
static void
make_app(struct paper_app *a, int big)
{
	static const char *const types[] = { "salary", "pension", "alimony",
	    "scholarship" };
	size_t nfam = big ? 10 : 2, ninc = big ? 40 : 3;

	tpaper_app(a);
	a->applicant.reg_address = "41400, Сумська обл., Шосткинський р-н, "
	    "с. Березівка, вул. Лісова, буд. 7, кв. 12";
	a->applicant.act_address = "41400, Сумська обл., м. Глухів, вул. "
	    "Києво-Московська, буд. 105, кв. 3";
	for (size_t i = 0; i < nfam; i++)
		family[i] = (struct paper_person){ .surname = "Іваненко",
		    .name = names[i % (sizeof names / sizeof names[0])],
		    .patronymic = patronymics[i % 7], .birth_date =
		    "2010-04-01", .sex = i % 2 ? "F" : "M", .rnokpp =
		    "3652504575", .doc_type = "birth_cert", .doc_number =
		    "I-АБ123456", .relation = i == 0 ? "spouse" : "child" };
	for (size_t i = 0; i < ninc; i++)
		income[i] = (struct paper_income){ (int)(i % (nfam + 1)),
		    types[i % 4], "2026-06-01", "2026-11-30",
		    100000 + (int64_t)i * 12345 };
	a->family = family;
	a->nfamily = nfam;
	a->income = income;
	a->nincome = ninc;
	a->documents = (struct paper_docref *)docs;
	a->ndocuments = sizeof docs / sizeof docs[0];
}

/* ---- measuring ---- */

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, tb_cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Pages of a PDF: its /Type /Page objects (not /Pages). */
static int
pdf_pages(const struct paper_bytes *b)
{
	static const char tag[] = "/Type /Page";
	int n = 0;

	for (size_t i = 0; i + sizeof tag <= b->len; i++)
		if (memcmp(b->data + i, tag, sizeof tag - 1) == 0 &&
		    b->data[i + sizeof tag - 1] != 's')
			n++;
	return n;
}

struct result {
	double wall_ms, cpu_ms;
	size_t bytes;
	int    pages;
};

/* Build and render one document `runs` times: medians, the last bytes. */
static int
measure(const struct paper_app *a, const struct paper_register *r, int kind,
    int fmt, int runs, struct result *res, struct paper_bytes *keep)
{
	double wall[RUNS_MAX], cpu[RUNS_MAX];

	for (int i = 0; i < runs; i++) {
		struct paper_doc *d = NULL;
		struct paper_bytes out = { 0 };
		struct hr_error err;
		double w0 = tb_clock_ms(CLOCK_MONOTONIC);
		double c0 = tb_clock_ms(CLOCK_PROCESS_CPUTIME_ID);
		int rc = kind == PAPER_REGISTER ?
		    paper_form_register(r, &d, &err) :
		    paper_form_app(kind, a, &d, &err);

		if (rc == 0)
			rc = paper_render(d, fmt, NULL, &out, &err);
		cpu[i] = tb_clock_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
		wall[i] = tb_clock_ms(CLOCK_MONOTONIC) - w0;
		paper_doc_free(d);
		if (rc != 0) {
			fprintf(stderr, "bench_paper: %s (%s): %s\n",
			    paper_kind_name(kind), paper_format_name(fmt),
			    err.msg);
			paper_bytes_free(&out);
			return -1;
		}
		res->bytes = out.len;
		res->pages = fmt == PAPER_FMT_PDF ? pdf_pages(&out) : 0;
		if (keep != NULL && i == runs - 1)
			*keep = out;
		else
			paper_bytes_free(&out);
	}
	res->wall_ms = median(wall, runs);
	res->cpu_ms = median(cpu, runs);
	return 0;
}

static double
load_average(void)
{
	double l = -1;
	FILE *f = fopen("/proc/loadavg", "r");

	if (f != NULL) {
		if (fscanf(f, "%lf", &l) != 1)
			l = -1;
		fclose(f);
	}
	return l;
}

/* The register's text holds every row's number (the last one too). */
static int
has_every_row(const struct paper_bytes *text, size_t n)
{
	char want[32];

	snprintf(want, sizeof want, "%05zu/2026", n);
	return memmem(text->data, text->len, want, strlen(want)) != NULL;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "runs", required_argument, NULL, 'r' },
		{ "smoke", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	static const size_t sizes[] = { 50, 500, 5000 };
	struct paper_register regs[3];
	struct paper_app small, big;
	struct result res[3], text500, app_small, app_big, receipt, notice;
	struct paper_bytes one = { 0 }, two = { 0 }, text = { 0 };
	int runs = 7, smoke = 0, c, fail = 0;

	while ((c = getopt_long(argc, argv, "r:s", longopts, NULL)) != -1) {
		if (c == 'r')
			runs = atoi(optarg);
		else if (c == 's')
			smoke = 1;
		else {
			fprintf(stderr, "usage: bench_paper [--runs N] "
			    "[--smoke]\n");
			return 2;
		}
	}
	if (smoke)
		runs = 1;
	if (runs < 1 || runs > RUNS_MAX) {
		fprintf(stderr, "bench_paper: --runs 1..%d\n", RUNS_MAX);
		return 2;
	}
	printf("# bench_paper: %d run(s), load average %.2f at the start\n",
	    runs, load_average());
	for (size_t i = 0; i < 3; i++) {
		if (smoke && sizes[i] != 500)
			continue;
		make_register(&regs[i], sizes[i]);
		if (measure(NULL, &regs[i], PAPER_REGISTER, PAPER_FMT_PDF, runs,
		    &res[i], sizes[i] == 500 ? &one : NULL) < 0)
			return 1;
	}
	if (measure(NULL, &regs[1], PAPER_REGISTER, PAPER_FMT_PDF, 1, &res[1],
	    &two) < 0 ||
	    measure(NULL, &regs[1], PAPER_REGISTER, PAPER_FMT_TEXT, runs,
	    &text500, &text) < 0)
		return 1;
	make_app(&small, 0);
	if (measure(&small, NULL, PAPER_APPLICATION, PAPER_FMT_PDF, runs,
	    &app_small, NULL) < 0 ||
	    measure(&small, NULL, PAPER_RECEIPT, PAPER_FMT_PDF, runs, &receipt,
	    NULL) < 0 ||
	    measure(&small, NULL, PAPER_NOTICE, PAPER_FMT_PDF, runs, &notice,
	    NULL) < 0)
		return 1;
	make_app(&big, 1);
	if (measure(&big, NULL, PAPER_APPLICATION, PAPER_FMT_PDF, runs,
	    &app_big, NULL) < 0)
		return 1;

	printf("%-44s %9s %9s %9s %6s  %s\n", "document", "wall ms", "cpu ms",
	    "bytes", "pages", "target");
	for (size_t i = 0; i < 3; i++) {
		char what[64];
		if (smoke && sizes[i] != 500)
			continue;
		snprintf(what, sizeof what, "register, %zu rows, PDF", sizes[i]);
		printf("%-44s %9.1f %9.1f %9zu %6d  %s\n", what, res[i].wall_ms,
		    res[i].cpu_ms, res[i].bytes, res[i].pages, sizes[i] == 500 ?
		    "< 1000 ms" : "");
	}
	printf("%-44s %9.1f %9.1f %9zu %6s\n", "register, 500 rows, text",
	    text500.wall_ms, text500.cpu_ms, text500.bytes, "");
	printf("%-44s %9.1f %9.1f %9zu %6d  < 100 KB\n", "application, PDF",
	    app_small.wall_ms, app_small.cpu_ms, app_small.bytes,
	    app_small.pages);
	printf("%-44s %9.1f %9.1f %9zu %6d  < 100 KB\n",
	    "application, 10 in family, 40 incomes, PDF", app_big.wall_ms,
	    app_big.cpu_ms, app_big.bytes, app_big.pages);
	printf("%-44s %9.1f %9.1f %9zu %6d\n", "receipt, PDF", receipt.wall_ms,
	    receipt.cpu_ms, receipt.bytes, receipt.pages);
	printf("%-44s %9.1f %9.1f %9zu %6d\n", "notice, PDF", notice.wall_ms,
	    notice.cpu_ms, notice.bytes, notice.pages);
	if (!smoke && res[0].cpu_ms > 0)
		printf("cost per row (cpu): %.3f ms at 500 rows, %.3f ms at "
		    "5000; 5000 rows / 50 rows = %.1fx\n",
		    (res[1].cpu_ms - res[0].cpu_ms) / 450,
		    (res[2].cpu_ms - res[1].cpu_ms) / 4500,
		    res[2].cpu_ms / res[0].cpu_ms);
	printf("# load average %.2f at the end\n", load_average());

	/* what does not depend on the machine */
	if (one.len != two.len || memcmp(one.data, two.data, one.len) != 0) {
		printf("FAIL: the same register gave different bytes\n");
		fail = 1;
	}
	if (!has_every_row(&text, 500)) {
		printf("FAIL: the 500-row register lacks its last row\n");
		fail = 1;
	}
	if (app_small.bytes >= T_APP_PDF_KB * 1024 ||
	    app_big.bytes >= T_APP_PDF_KB * 1024) {
		printf("FAIL: an application PDF is 100 KB or more\n");
		fail = 1;
	}
	if (!smoke && res[1].wall_ms >= T_REGISTER_MS)
		printf("NOTE: the 500-row register took %.0f ms (target < %.0f; "
		    "load %.2f)\n", res[1].wall_ms, T_REGISTER_MS,
		    load_average());
	paper_bytes_free(&one);
	paper_bytes_free(&two);
	paper_bytes_free(&text);
	for (size_t i = 0; i < 3; i++)
		if (!smoke || sizes[i] == 500)
			paper_register_free(&regs[i]);
	return fail;
}
