/*
 * journal_filter.h — what the journal shows: the filter's state, how it
 * goes into journal.list, the one-line summary above the list, and the
 * modal dialog that edits it (status, decision, service, full/partial
 * package, date range, front office, registration number, applicant name
 * or РНОКПП, and the deadline: the order by it, late or expiring cases).
 *
 * The lists the pickers offer (services from reference.get, front offices
 * from territory.front_offices) are read from the replies into struct
 * jf_lists, which the journal keeps for the session.
 */
#ifndef TUI_JOURNAL_FILTER_H
#define TUI_JOURNAL_FILTER_H

#include <stddef.h>
#include <stdint.h>

#include <msgpack.h>

#include "tui/fkeys.h"
#include "tui/journal_rows.h"
#include "tui/journal_marks.h"
#include "tui/tui.h"

enum jf_package { JF_PKG_ANY, JF_PKG_FULL, JF_PKG_PARTIAL, JF_PKG__COUNT };

#define JF_DATE_ISO 11        /* "YYYY-MM-DD" + NUL */
#define JF_Q_MAX    64        /* the server's limit on `q` */
#define JF_REG_MAX  16        /* the server's limit on `reg_no` */
#define JF_DEC_NONE (-1)      /* `decision`: no decision yet */

struct journal_filter {
	int      status;              /* enum hr_status; -1 = any */
	char    *service;             /* service code; NULL = any */
	char    *service_name;
	int      package;             /* enum jf_package */
	char     date_from[JF_DATE_ISO], date_to[JF_DATE_ISO];  /* "" = open */
	int64_t  front_office;        /* territory id; 0 = any */
	char    *front_name;
	char    *q;                   /* applicant name or РНОКПП; NULL = none */
	int      unnotified;          /* answered, applicant not told yet
	                                 (status is then answered) */
	int      decision;            /* enum hr_decision, JF_DEC_NONE, 0 any */
	char     reg_no[JF_REG_MAX + 1];  /* number or its start; "" any */
	int      clock;               /* enum jf_clock */
};

/* The «Строк» row: the order by the clock, or a filter by it (journal.list
 * `order: clock`, `clock: late|expiring`). */
enum jf_clock { JF_CLOCK_ANY, JF_CLOCK_ORDER, JF_CLOCK_LATE,
	JF_CLOCK_EXPIRING, JF_CLOCK__COUNT };

void jfilter_init(struct journal_filter *f);
void jfilter_clear(struct journal_filter *f);          /* frees, back to "any" */
int  jfilter_copy(struct journal_filter *dst, const struct journal_filter *src);
int  jfilter_active(const struct journal_filter *f);

/* Key/value pairs the filter adds to journal.list params: count, then pack. */
uint32_t jfilter_nparams(const struct journal_filter *f);
void jfilter_pack(const struct journal_filter *f, msgpack_packer *pk);

/* One line for people ("" when nothing is filtered); caller frees. */
char *jfilter_summary(const struct journal_filter *f);

/* ---- the lists the pickers offer ---- */

struct jf_item {
	char   *key;                  /* service code, or territory id as text */
	char   *name;
	int64_t id;
};

struct jf_lists {
	struct jf_item *services, *offices;
	size_t          nservices, noffices;
	int             have_offices;        /* the reply arrived */
};

void jf_lists_free(struct jf_lists *l);
/* Take `items` (n of them, each key and name owned) as the services. */
void jf_lists_set_services(struct jf_lists *l, struct jf_item *items, size_t n);
/*
 * From a territory.front_offices result.  The list counts as read even on
 * failure (-1: out of memory), so the picker is never waited for twice.
 */
int  jf_lists_read_offices(struct jf_lists *l, const msgpack_object *result);

/* Name of the item with `key`, or NULL. */
const char *jf_item_name(const struct jf_item *it, size_t n, const char *key);

/*
 * What the journal remembers for the session while other screens come and
 * go (each screen is freed when the next one starts): the filter, the
 * picker lists, the rows (journal_rows.h), the row under the cursor and
 * the application last opened, so that coming back from a case or the
 * form shows the same journal at once.  One per process, started
 * afresh when a different user logs in.
 */
struct journal_memo {
	char                 *user;
	struct journal_filter filter;
	struct jf_lists       lists;
	struct jrows          rows;         /* what the filter gave so far */
	int64_t               sel_id;       /* the row the cursor was on */
	int64_t               top_id;       /* the first row in view */
	int64_t               opened_id;    /* 0 = none */
	struct jmarks         marks;        /* the marked set (journal_marks.h) */
};

struct journal_memo *journal_memo(const char *user);
void journal_memo_free(void);
/* Drop the rows (persons' data) but keep the filter: the session ended. */
void journal_memo_forget_rows(void);

/* ---- the dialog ---- */

enum { JF_OPEN, JF_APPLY, JF_CANCEL };

struct jf_dialog;

/*
 * Edit a copy of `cur`.  `status_mask` has bit s set for every status the
 * user may pick (1u << HR_ST_...); `focus_q` starts in the name/РНОКПП
 * field.  NULL when out of memory.
 */
struct jf_dialog *jf_dialog_new(const struct journal_filter *cur,
    const struct jf_lists *lists, unsigned status_mask, int focus_q);
void jf_dialog_free(struct jf_dialog *d);

/* JF_OPEN, JF_APPLY (take the filter with jf_dialog_take) or JF_CANCEL. */
int  jf_dialog_key(struct jf_dialog *d, const struct key *k);
/* Move the edited filter into `out` (which is cleared first). */
void jf_dialog_take(struct jf_dialog *d, struct journal_filter *out);
void jf_dialog_draw(struct jf_dialog *d, WINDOW *w, int *cy, int *cx);

/* The key bar while the dialog is open. */
extern const struct fkey jf_dialog_fkeys[];
extern const size_t jf_dialog_nfkeys;

#endif
