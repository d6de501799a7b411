/*
 * journal_cols.h — the journal's columns at any width, 80 first.
 *
 * At 80 columns a journal row must still read: the number, the day, the
 * status (or, for an answered application, its decision and sum), the
 * applicant and the service, and — only when the rows held name more than
 * one — the hromada (a back office mixes several hromadas' «00004/2026»)
 * or else the front office.  Widths are computed here, every column fixed,
 * the applicant taking what is left; what does not fit is shortened the
 * way people shorten it (a service's short name, «Коваль М. П.», a
 * hromada's first word), and the full text of the selected row goes to
 * one line under the list.  Domain words only; no drawing.
 */
#ifndef TUI_JOURNAL_COLS_H
#define TUI_JOURNAL_COLS_H

#include <stddef.h>
#include <stdint.h>

#include "tui/list.h"

/* The columns, left to right; all but the place are always shown.  The
 * clock (the working days left at the case's stage, tui/clock_mark.h)
 * takes 3 columns. */
enum jcol {
	JC_REG_NO, JC_DATE, JC_STATUS, JC_CLOCK, JC_APPLICANT, JC_SERVICE,
	JC_PLACE, JC__COUNT
};

/* What the place column shows, when shown. */
enum jplace { JP_NONE, JP_OFFICE, JP_HROMADA };

struct jcols {
	struct list_col lc[JC__COUNT];   /* titles (translated) and widths */
	size_t          n;               /* columns shown: JC_PLACE or not */
	enum jplace     place;
	int             width;           /* laid out for this many columns */
	int             long_date;       /* dd.mm.yyyy (else dd.mm) */
};

/*
 * Lay the columns out for `width` screen columns.  offices / hromadas:
 * how many different ones the rows held name; place_w: the widest short
 * place name among them (jcols_place).  A list drawing with c->lc and
 * c->n columns fills exactly `width`.
 */
void jcols_layout(struct jcols *c, int width, int offices, int hromadas,
    int place_w);

/*
 * "Surname Name Patronymic" fitted into `width` columns: whole, then
 * «Surname Name P.», «Surname N. P.», «Surname N.», then cut with "…".
 */
const char *jcols_name(const char *full, int width, char *buf, size_t n);

/*
 * The status cell: the status's label; for an answered application with
 * a decision (decision > 0, enum hr_decision) the decision and its sum
 * («Призначено 3 125,50», shortened to «Призн. 3 125,50» when wider than
 * `width`).
 */
const char *jcols_status(int status, int decision, int has_amount,
    int64_t amount, int width, char *buf, size_t n);

/*
 * A place's name as the column shows it: its first word («Березівська
 * сільська ОТГ» → «Березівська», «Слоутський старостинський округ» →
 * «Слоутський»), two words when the first is an abbreviation («ЦНАП
 * Шалигинської …» → «ЦНАП Шалигинської»).
 */
const char *jcols_place(const char *name, char *buf, size_t n);

/* The day of creation: "dd.mm" or, with long_date, "dd.mm.yyyy". */
const char *jcols_date(int64_t created_at, int long_date, char *buf,
    size_t n);

#endif
