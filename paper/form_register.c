/*
 * form_register.c — the transfer register (реєстр передавання документів)
 * that travels with the paper files (forms.h; FORMS.md §4.2, the layout
 * recommended there; no official form was found).
 *
 * Its number and date, who hands over and who receives, the period it
 * covers; a row per application (№ з/п, registration number, date
 * accepted, applicant, РНОКПП or document, assistance, documents, the
 * electronic case's number, a note for an incomplete package); totals in
 * figures and in words; the signatures of who hands over and who
 * receives.  Every page carries the register's number and date at its
 * foot.  It is built only from what was stored when the register was
 * made, so a reprint is the same document.
 *
 * The register's columns are data (struct paper_col rows), alike in shape
 * with the other forms' column tables by design.
 */
#include "config.h"

#include "paper/forms.h"

#include <inttypes.h>
#include <stdio.h>

#include "paper/fmt.h"
#include "paper/forms_priv.h"

#define B PAPER_BOLD

static void
register_head(struct paper_doc *d, const struct paper_register *r)
{
	char made[32], from[32], to[32], foot[128];

	paper_date_short(r->made_on, made, sizeof made);
	snprintf(foot, sizeof foot, "Реєстр № %d/%d від %s", r->number, r->year,
	    made);
	paper_footer(d, foot);
	d->landscape = 1;             /* nine columns */
	paper_text(d, PAPER_LARGE, PAPER_CENTER, "РЕЄСТР № %d/%d", r->number,
	    r->year);
	paper_text(d, B, PAPER_CENTER, "передавання заяв та документів");
	paper_space(d, 1);
	paper_field(d, "від", r->from_name, "(хто передає)");
	paper_field(d, "до", r->to_name, "(хто приймає)");
	paper_field(d, "Дата складання:", made, NULL);
	if (r->period_from != NULL || r->period_to != NULL) {
		char period[96];
		snprintf(period, sizeof period, "з %s по %s",
		    paper_date_short(r->period_from, from, sizeof from),
		    paper_date_short(r->period_to, to, sizeof to));
		paper_field(d, "Заяви, передані за період:", period, NULL);
	}
	paper_space(d, 1);
}

static const struct paper_col register_cols[] = {
	{ "№ з/п", 3, PAPER_CENTER, 1 },
	{ "Реєстр. № заяви", 8, PAPER_CENTER, 1 },
	{ "Дата прийняття", 7, PAPER_CENTER, 1 },
	{ "ПІБ заявника", 13, PAPER_LEFT, 0 },
	{ "РНОКПП або документ", 9, PAPER_CENTER, 1 },
	{ "Вид допомоги", 14, PAPER_LEFT, 0 },
	{ "К-сть докум.", 6, PAPER_CENTER, 1 },
	{ "№ ел. справи", 6, PAPER_CENTER, 1 },
	{ "Примітка", 8, PAPER_LEFT, 0 },
};
#define REGISTER_NCOLS (sizeof register_cols / sizeof register_cols[0])

static void
register_rows(struct paper_doc *d, const struct paper_register *r,
    int64_t *docs)
{
	int t = paper_table(d, register_cols, REGISTER_NCOLS);

	*docs = 0;
	for (size_t i = 0; i < r->nrows; i++) {
		const struct paper_register_row *w = &r->rows[i];
		char ord[16], date[16], ndocs[16], kase[32], note[64];
		const char *row[REGISTER_NCOLS] = { ord, w->reg_no, date,
		    w->applicant, w->ident, w->service_name, ndocs, kase, note };
		snprintf(ord, sizeof ord, "%d", w->ord);
		paper_date_short(w->reg_date, date, sizeof date);
		snprintf(ndocs, sizeof ndocs, "%d", w->documents);
		snprintf(kase, sizeof kase, "%" PRId64, w->application_id);
		if (w->missing > 0)
			snprintf(note, sizeof note, "неповний пакет (бракує %d)",
			    w->missing);
		else
			note[0] = '\0';
		paper_row(d, t, 0, row);
		*docs += w->documents;
	}
	{
		char napps[16], ndocs[32];
		const char *row[REGISTER_NCOLS] = { "", "Разом", "", napps, "",
		    "", ndocs, "", "" };
		snprintf(napps, sizeof napps, "%zu %s", r->nrows,
		    paper_plural((int64_t)r->nrows, "заява", "заяви", "заяв"));
		snprintf(ndocs, sizeof ndocs, "%" PRId64, *docs);
		paper_row(d, t, B, row);
	}
}

static void
register_totals(struct paper_doc *d, const struct paper_register *r,
    int64_t docs)
{
	char apps_w[256], docs_w[256];
	int64_t n = (int64_t)r->nrows;

	paper_space(d, 1);
	paper_text(d, 0, PAPER_LEFT, "Усього передано: %" PRId64 " (%s) %s, "
	    "%" PRId64 " (%s) %s.", n, paper_number_words(n, PAPER_FEM, apps_w,
	    sizeof apps_w), paper_plural(n, "заяву", "заяви", "заяв"), docs,
	    paper_number_words(docs, PAPER_MASC, docs_w, sizeof docs_w),
	    paper_plural(docs, "документ", "документи", "документів"));
	paper_keep(d);
}

int
paper_form_register_doc(const struct paper_register *r, struct paper_doc *d)
{
	int64_t docs;

	register_head(d, r);
	register_rows(d, r, &docs);
	register_totals(d, r, docs);
	paper_space(d, 2);
	paper_sign(d, "Передав(ла)", r->made_by, NULL);
	paper_space(d, 2);
	paper_sign(d, "Прийняв(ла)", NULL, NULL);
	return d->failed ? -1 : 0;
}
