/*
 * journal_filter.c — the journal's filter: state, wire form, summary and
 * the dialog that edits it (see journal_filter.h).
 *
 * The dialog is a column of rows described by one table: a row is either
 * a choice (Enter opens a picker) or a text field (dates, name/РНОКПП).
 * Dates are typed as DD.MM.YYYY and travel as YYYY-MM-DD; a date that does
 * not parse, or a range that ends before it starts, keeps the dialog open
 * with the reason shown in it.
 */
#include "config.h"

#include "tui/journal_filter.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/dat.h"
#include "proto/ident.h"
#include "proto/roles.h"
#include "proto/rpc.h"
#include "tui/box.h"
#include "tui/field.h"
#include "tui/mp.h"
#include "tui/picker.h"
#include "tui/status_counts.h"
#include "tui/text.h"

static const char *const package_labels[JF_PKG__COUNT] = {
	[JF_PKG_ANY]     = N_("Any package"),
	[JF_PKG_FULL]    = N_("Full package"),
	[JF_PKG_PARTIAL] = N_("Partial package"),
};
static const char *const package_wire[JF_PKG__COUNT] = {
	[JF_PKG_FULL] = "full", [JF_PKG_PARTIAL] = "partial",
};

/* ---- state ---- */

void
jfilter_init(struct journal_filter *f)
{
	memset(f, 0, sizeof *f);
	f->status = -1;
}

void
jfilter_clear(struct journal_filter *f)
{
	free(f->service);
	free(f->service_name);
	free(f->front_name);
	free(f->q);
	jfilter_init(f);
}

static int
jf_dup(char **dst, const char *src)
{
	*dst = NULL;
	return src != NULL && (*dst = strdup(src)) == NULL ? -1 : 0;
}

int
jfilter_copy(struct journal_filter *dst, const struct journal_filter *src)
{
	*dst = *src;
	if (jf_dup(&dst->service, src->service) | jf_dup(&dst->service_name,
	    src->service_name) | jf_dup(&dst->front_name, src->front_name) |
	    jf_dup(&dst->q, src->q)) {
		jfilter_clear(dst);
		return -1;
	}
	return 0;
}

int
jfilter_active(const struct journal_filter *f)
{
	return jfilter_nparams(f) > 0;
}

uint32_t
jfilter_nparams(const struct journal_filter *f)
{
	return (f->status >= 0) + (f->service != NULL) +
	    (f->package != JF_PKG_ANY) + (f->date_from[0] != '\0') +
	    (f->date_to[0] != '\0') + (f->front_office != 0) + (f->q != NULL) +
	    (f->unnotified != 0) + (f->decision != 0) + (f->reg_no[0] != '\0') +
	    (f->clock != JF_CLOCK_ANY);
}

/* The «Строк» picker, by enum jf_clock. */
static const char *const clock_labels[JF_CLOCK__COUNT] = {
	[JF_CLOCK_ANY]      = N_("Newest first"),
	[JF_CLOCK_ORDER]    = N_("By deadline, most urgent first"),
	[JF_CLOCK_LATE]     = N_("Late"),
	[JF_CLOCK_EXPIRING] = N_("Deadline running out"),
};

void
jfilter_pack(const struct journal_filter *f, msgpack_packer *pk)
{
	if (f->status >= 0)
		hr_pack_kv_str(pk, "status", hr_status_name(f->status));
	if (f->service != NULL)
		hr_pack_kv_str(pk, "service", f->service);
	if (f->package != JF_PKG_ANY)
		hr_pack_kv_str(pk, "package", package_wire[f->package]);
	if (f->date_from[0] != '\0')
		hr_pack_kv_str(pk, "date_from", f->date_from);
	if (f->date_to[0] != '\0')
		hr_pack_kv_str(pk, "date_to", f->date_to);
	if (f->front_office != 0)
		hr_pack_kv_int(pk, "front_office", f->front_office);
	if (f->q != NULL)
		hr_pack_kv_str(pk, "q", f->q);
	if (f->unnotified)
		hr_pack_kv_bool(pk, "unnotified", 1);
	if (f->decision != 0)
		hr_pack_kv_str(pk, "decision", f->decision == JF_DEC_NONE ?
		    "none" : hr_decision_name(f->decision));
	if (f->reg_no[0] != '\0')
		hr_pack_kv_str(pk, "reg_no", f->reg_no);
	if (f->clock == JF_CLOCK_ORDER)
		hr_pack_kv_str(pk, "order", "clock");
	else if (f->clock != JF_CLOCK_ANY)
		hr_pack_kv_str(pk, "clock", f->clock == JF_CLOCK_LATE ? "late" :
		    "expiring");
}

/* The decision picker: any, none yet, then each kind (enum hr_decision). */
static const char *const decision_labels[] = {
	N_("Any decision"), N_("No decision yet"), N_("Assigned"),
	N_("Refused"), N_("Registered as a beneficiary"),
	N_("Registration refused"),
};

/* Picker index <-> filter value. */
static int
jf_decision_of(int idx)
{
	return idx <= 0 ? 0 : idx == 1 ? JF_DEC_NONE : idx - 1;
}

static int
jf_decision_idx(int decision)
{
	return decision == 0 ? 0 : decision == JF_DEC_NONE ? 1 : decision + 1;
}

/* The status picker's extra item: a decision the applicant has not been
 * told of yet (journal.list `unnotified`). */
static const char jf_untold_label[] = N_("Decision, applicant not told");
#define JF_UNTOLD HR_ST__COUNT          /* its pick_status value */

/* "YYYY-MM-DD" -> "DD.MM.YYYY" (out has HR_DATE_STR_MAX bytes). */
static void
jf_date_show(const char *iso, char *out, size_t n)
{
	struct hr_date d;

	out[0] = '\0';
	if (iso[0] != '\0' && hr_date_parse(iso, strlen(iso), NULL, &d, NULL) == 0)
		hr_date_format(&d, out, n);
}

char *
jfilter_summary(const struct journal_filter *f)
{
	char *out = NULL, from[HR_DATE_STR_MAX], to[HR_DATE_STR_MAX];
	size_t n = 0;
	FILE *m = open_memstream(&out, &n);
	const char *sep = "";

	if (m == NULL)
		return NULL;
#define JF_PART(...) do { fputs(sep, m); fprintf(m, __VA_ARGS__); sep = "; "; } while (0)
	if (f->unnotified)
		JF_PART("%s", _(jf_untold_label));
	else if (f->status >= 0)
		JF_PART("%s", status_short_label(f->status));
	if (f->decision != 0)
		JF_PART("%s", _(decision_labels[jf_decision_idx(f->decision)]));
	if (f->service != NULL)
		JF_PART("%s", f->service_name ? f->service_name : f->service);
	if (f->package != JF_PKG_ANY)
		JF_PART("%s", _(package_labels[f->package]));
	jf_date_show(f->date_from, from, sizeof from);
	jf_date_show(f->date_to, to, sizeof to);
	if (from[0] != '\0' || to[0] != '\0')
		JF_PART("%s %s %s %s", _("from"), from[0] ? from : "…", _("to"),
		    to[0] ? to : "…");
	if (f->front_office != 0)
		JF_PART("%s", f->front_name ? f->front_name : "?");
	if (f->reg_no[0] != '\0')
		JF_PART("№ %s", f->reg_no);
	if (f->q != NULL)
		JF_PART("«%s»", f->q);
	if (f->clock != JF_CLOCK_ANY)
		JF_PART("%s", _(clock_labels[f->clock]));
#undef JF_PART
	fclose(m);
	return out;
}

/* ---- lists ---- */

static void
jf_items_free(struct jf_item *it, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(it[i].key);
		free(it[i].name);
	}
	free(it);
}

void
jf_lists_free(struct jf_lists *l)
{
	jf_items_free(l->services, l->nservices);
	jf_items_free(l->offices, l->noffices);
	memset(l, 0, sizeof *l);
}

/* Items from an array of maps: key_field (string or id) and "name". */
static int
jf_items_read(const msgpack_object *arr, const char *key_field,
    struct jf_item **out, size_t *nout)
{
	size_t n = arr && arr->type == MSGPACK_OBJECT_ARRAY ? arr->via.array.size : 0;
	struct jf_item *it = calloc(n + 1, sizeof *it);

	*out = NULL;
	*nout = 0;
	if (it == NULL)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const msgpack_object *e = &arr->via.array.ptr[i];
		it[i].key = mp_strdup(mp_get(e, key_field));
		it[i].name = mp_strdup(mp_get(e, "name"));
		it[i].id = mp_int(mp_get(e, key_field), 0);
		if (it[i].key == NULL || it[i].name == NULL) {
			jf_items_free(it, i + 1);
			return -1;
		}
	}
	*out = it;
	*nout = n;
	return 0;
}

void
jf_lists_set_services(struct jf_lists *l, struct jf_item *items, size_t n)
{
	jf_items_free(l->services, l->nservices);
	l->services = items;
	l->nservices = items ? n : 0;
}

int
jf_lists_read_offices(struct jf_lists *l, const msgpack_object *result)
{
	jf_items_free(l->offices, l->noffices);
	l->have_offices = 1;
	return jf_items_read(mp_get(result, "items"), "id", &l->offices,
	    &l->noffices);
}

const char *
jf_item_name(const struct jf_item *it, size_t n, const char *key)
{
	for (size_t i = 0; key != NULL && i < n; i++)
		if (strcmp(it[i].key, key) == 0)
			return it[i].name;
	return NULL;
}

/* ---- the session's memory ---- */

static struct journal_memo memo = { .filter = { .status = -1 } };

void
journal_memo_free(void)
{
	free(memo.user);
	jfilter_clear(&memo.filter);
	jf_lists_free(&memo.lists);
	jrows_free(&memo.rows);
	jmarks_free(&memo.marks);
	memset(&memo, 0, sizeof memo);
	jfilter_init(&memo.filter);
	jrows_init(&memo.rows);
}

void
journal_memo_forget_rows(void)
{
	jrows_free(&memo.rows);
	jmarks_clear(&memo.marks);
	memo.sel_id = memo.top_id = memo.opened_id = 0;
}

struct journal_memo *
journal_memo(const char *user)
{
	if (user == NULL)
		user = "";
	if (memo.user == NULL || strcmp(memo.user, user) != 0) {
		journal_memo_free();
		memo.user = strdup(user);
	}
	return &memo;
}

/* ---- the dialog ---- */

enum jf_rowid { R_STATUS, R_DECISION, R_SERVICE, R_PACKAGE, R_FROM, R_TO,
	R_OFFICE, R_REG_NO, R_Q, R_CLOCK, R__COUNT };

struct jf_dialog {
	struct journal_filter  f;          /* the choices so far */
	const struct jf_lists *lists;      /* borrowed; outlives the dialog */
	unsigned               status_mask;
	int                    focus;      /* enum jf_rowid */
	struct field           text[R__COUNT];   /* used by the text rows */
	struct picker         *picker;     /* open over the row in focus */
	int                    pick_status[HR_ST__COUNT + 2];
	const char            *error;      /* msgid shown in the box; NULL none */
};

const struct fkey jf_dialog_fkeys[] = {
	{ 1, N_("Help") }, { 2, N_("Apply") }, { 8, N_("Clear") },
	{ 9, N_("Cancel") }, { 10, N_("Quit") },
};
const size_t jf_dialog_nfkeys = sizeof jf_dialog_fkeys / sizeof jf_dialog_fkeys[0];

typedef int  jf_open_fn(struct jf_dialog *d, const char **items, size_t *sel);
typedef void jf_chose_fn(struct jf_dialog *d, int idx);
typedef const char *jf_value_fn(const struct jf_dialog *d);

/* Choice rows: how to fill the picker, take its answer, show the value. */
static jf_open_fn  jf_open_status, jf_open_decision, jf_open_service,
    jf_open_package, jf_open_office, jf_open_clock;
static jf_chose_fn jf_chose_status, jf_chose_decision, jf_chose_service,
    jf_chose_package, jf_chose_office, jf_chose_clock;
static jf_value_fn jf_show_status, jf_show_decision, jf_show_service,
    jf_show_package, jf_show_office, jf_show_clock;

static const struct jf_row {
	const char  *label;          /* msgid */
	size_t       max;            /* text rows: characters; 0 = a choice */
	jf_open_fn  *open;
	jf_chose_fn *chose;
	jf_value_fn *show;
} jf_rows[R__COUNT] = {
	[R_STATUS]  = { N_("Status"), 0, jf_open_status, jf_chose_status, jf_show_status },
	[R_DECISION] = { N_("Decision"), 0, jf_open_decision, jf_chose_decision,
	                 jf_show_decision },
	[R_SERVICE] = { N_("Service"), 0, jf_open_service, jf_chose_service, jf_show_service },
	[R_PACKAGE] = { N_("Documents"), 0, jf_open_package, jf_chose_package, jf_show_package },
	[R_FROM]    = { N_("Created from (DD.MM.YYYY)"), 10, NULL, NULL, NULL },
	[R_TO]      = { N_("Created to (DD.MM.YYYY)"), 10, NULL, NULL, NULL },
	[R_OFFICE]  = { N_("Front office"), 0, jf_open_office, jf_chose_office, jf_show_office },
	[R_REG_NO]  = { N_("Reg. no (or its start)"), JF_REG_MAX, NULL, NULL, NULL },
	[R_Q]       = { N_("Applicant or RNOKPP"), JF_Q_MAX, NULL, NULL, NULL },
	[R_CLOCK]   = { N_("Deadline"), 0, jf_open_clock, jf_chose_clock, jf_show_clock },
};

#define JF_PICK_MAX 512       /* items a picker offers (front offices of a hromada: dozens) */

static int
jf_open_status(struct jf_dialog *d, const char **items, size_t *sel)
{
	int n = 0;

	items[n] = _("All statuses");
	d->pick_status[n++] = -1;
	for (int s = 0; s < HR_ST__COUNT; s++) {
		if (!(d->status_mask & (1u << s)))
			continue;
		if (s == d->f.status && !d->f.unnotified)
			*sel = (size_t)n;
		items[n] = hr_status_label(s);
		d->pick_status[n++] = s;
	}
	if (d->status_mask & (1u << HR_ST_ANSWERED)) {
		if (d->f.unnotified)
			*sel = (size_t)n;
		items[n] = _(jf_untold_label);
		d->pick_status[n++] = JF_UNTOLD;
	}
	return n;
}

static void
jf_chose_status(struct jf_dialog *d, int idx)
{
	d->f.unnotified = d->pick_status[idx] == JF_UNTOLD;
	d->f.status = d->f.unnotified ? HR_ST_ANSWERED : d->pick_status[idx];
}

static const char *
jf_show_status(const struct jf_dialog *d)
{
	if (d->f.unnotified)
		return _(jf_untold_label);
	return d->f.status >= 0 ? hr_status_label(d->f.status) : _("All statuses");
}

/* A picker over "all" + a list of items; the current key is selected. */
static int
jf_open_items(const struct jf_item *it, size_t n, const char *all,
    const char *cur, const char **items, size_t *sel)
{
	size_t k = 0;

	items[k++] = all;
	for (size_t i = 0; i < n && k < JF_PICK_MAX; i++) {
		if (cur != NULL && strcmp(cur, it[i].key) == 0)
			*sel = k;
		items[k++] = it[i].name;
	}
	return (int)k;
}

/* Replace *key and *name with copies of item idx-1 (0 = "all": NULL). */
static void
jf_take_item(const struct jf_item *it, int idx, char **key, char **name)
{
	free(*key);
	free(*name);
	*key = *name = NULL;
	if (idx <= 0)
		return;
	*key = strdup(it[idx - 1].key);
	*name = strdup(it[idx - 1].name);
	if (*key == NULL || *name == NULL) {
		free(*key);
		free(*name);
		*key = *name = NULL;
	}
}

static int
jf_open_service(struct jf_dialog *d, const char **items, size_t *sel)
{
	return jf_open_items(d->lists->services, d->lists->nservices,
	    _("All services"), d->f.service, items, sel);
}

static void
jf_chose_service(struct jf_dialog *d, int idx)
{
	jf_take_item(d->lists->services, idx, &d->f.service, &d->f.service_name);
}

static const char *
jf_show_service(const struct jf_dialog *d)
{
	return d->f.service ? d->f.service_name : _("All services");
}

static int
jf_open_clock(struct jf_dialog *d, const char **items, size_t *sel)
{
	for (int i = 0; i < JF_CLOCK__COUNT; i++)
		items[i] = _(clock_labels[i]);
	*sel = (size_t)d->f.clock;
	return JF_CLOCK__COUNT;
}

static void
jf_chose_clock(struct jf_dialog *d, int idx)
{
	d->f.clock = idx >= 0 && idx < JF_CLOCK__COUNT ? idx : JF_CLOCK_ANY;
}

static const char *
jf_show_clock(const struct jf_dialog *d)
{
	return _(clock_labels[d->f.clock]);
}

static int
jf_open_decision(struct jf_dialog *d, const char **items, size_t *sel)
{
	for (size_t i = 0; i < sizeof decision_labels / sizeof *decision_labels;
	    i++)
		items[i] = _(decision_labels[i]);
	*sel = (size_t)jf_decision_idx(d->f.decision);
	return (int)(sizeof decision_labels / sizeof *decision_labels);
}

static void
jf_chose_decision(struct jf_dialog *d, int idx)
{
	d->f.decision = jf_decision_of(idx);
}

static const char *
jf_show_decision(const struct jf_dialog *d)
{
	return _(decision_labels[jf_decision_idx(d->f.decision)]);
}

static int
jf_open_package(struct jf_dialog *d, const char **items, size_t *sel)
{
	for (int i = 0; i < JF_PKG__COUNT; i++)
		items[i] = _(package_labels[i]);
	*sel = (size_t)d->f.package;
	return JF_PKG__COUNT;
}

static void jf_chose_package(struct jf_dialog *d, int idx) { d->f.package = idx; }

static const char *
jf_show_package(const struct jf_dialog *d)
{
	return _(package_labels[d->f.package]);
}

static int
jf_open_office(struct jf_dialog *d, const char **items, size_t *sel)
{
	char cur[32];

	snprintf(cur, sizeof cur, "%lld", (long long)d->f.front_office);
	return jf_open_items(d->lists->offices, d->lists->noffices,
	    _("All front offices"), d->f.front_office ? cur : NULL, items, sel);
}

static void
jf_chose_office(struct jf_dialog *d, int idx)
{
	char *key = NULL;

	jf_take_item(d->lists->offices, idx, &key, &d->f.front_name);
	d->f.front_office = idx > 0 && key ? d->lists->offices[idx - 1].id : 0;
	free(key);
}

static const char *
jf_show_office(const struct jf_dialog *d)
{
	return d->f.front_office ? d->f.front_name : _("All front offices");
}

/* ---- dialog life ---- */

struct jf_dialog *
jf_dialog_new(const struct journal_filter *cur, const struct jf_lists *lists,
    unsigned status_mask, int focus_q)
{
	struct jf_dialog *d = calloc(1, sizeof *d);
	char shown[HR_DATE_STR_MAX];

	if (d == NULL || jfilter_copy(&d->f, cur) != 0) {
		free(d);
		return NULL;
	}
	d->lists = lists;
	d->status_mask = status_mask;
	d->focus = focus_q ? R_Q : R_STATUS;
	for (int r = 0; r < R__COUNT; r++) {
		if (jf_rows[r].max == 0)
			continue;
		if (field_init(&d->text[r], jf_rows[r].max, 0) != 0) {
			jf_dialog_free(d);
			return NULL;
		}
	}
	jf_date_show(cur->date_from, shown, sizeof shown);
	field_set(&d->text[R_FROM], shown);
	jf_date_show(cur->date_to, shown, sizeof shown);
	field_set(&d->text[R_TO], shown);
	field_set(&d->text[R_Q], cur->q);
	field_set(&d->text[R_REG_NO], cur->reg_no);
	return d;
}

void
jf_dialog_free(struct jf_dialog *d)
{
	if (d == NULL)
		return;
	for (int r = 0; r < R__COUNT; r++)
		if (d->text[r].buf != NULL)
			field_free(&d->text[r]);
	picker_free(d->picker);
	jfilter_clear(&d->f);
	free(d);
}

void
jf_dialog_take(struct jf_dialog *d, struct journal_filter *out)
{
	jfilter_clear(out);
	*out = d->f;
	jfilter_init(&d->f);
}

/* Text field -> ISO date in `iso`; 0, or -1 when typed but not a date. */
static int
jf_read_date(const struct field *fl, char *iso)
{
	char *s = field_text(fl);
	struct hr_date dt;
	int r = 0;

	iso[0] = '\0';
	if (s == NULL)
		return -1;
	if (s[strspn(s, " ")] != '\0') {
		r = hr_date_parse(s, strlen(s), NULL, &dt, NULL);
		if (r == 0)
			snprintf(iso, JF_DATE_ISO, "%04d-%02d-%02d", dt.y, dt.m, dt.d);
	}
	free(s);
	return r;
}

/* Text rows -> filter; on a bad value focus that row and say why. */
static int
jf_read_texts(struct jf_dialog *d)
{
	char *q;
	size_t a;

	if (jf_read_date(&d->text[R_FROM], d->f.date_from) != 0) {
		d->focus = R_FROM;
		d->error = N_("Write the date as DD.MM.YYYY");
		return -1;
	}
	if (jf_read_date(&d->text[R_TO], d->f.date_to) != 0) {
		d->focus = R_TO;
		d->error = N_("Write the date as DD.MM.YYYY");
		return -1;
	}
	if (d->f.date_from[0] && d->f.date_to[0] &&
	    strcmp(d->f.date_from, d->f.date_to) > 0) {
		d->focus = R_TO;
		d->error = N_("The range ends before it starts");
		return -1;
	}
	if ((q = field_text(&d->text[R_REG_NO])) == NULL)
		return -1;
	a = strspn(q, " ");
	for (size_t e = strlen(q); e > a && q[e - 1] == ' '; e--)
		q[e - 1] = '\0';
	if (q[a + strspn(q + a, "0123456789/")] != '\0') {
		free(q);
		d->focus = R_REG_NO;
		d->error = N_("A registration number has digits and /: 00004 or "
		    "00004/2026");
		return -1;
	}
	snprintf(d->f.reg_no, sizeof d->f.reg_no, "%s", q + a);
	free(q);
	free(d->f.q);
	d->f.q = NULL;
	if ((q = field_text(&d->text[R_Q])) == NULL)
		return -1;
	a = strspn(q, " ");
	for (size_t e = strlen(q); e > a && q[e - 1] == ' '; e--)
		q[e - 1] = '\0';
	if (q[a] != '\0')
		d->f.q = strdup(q + a);
	free(q);
	return 0;
}

static void
jf_clear_all(struct jf_dialog *d)
{
	jfilter_clear(&d->f);
	for (int r = 0; r < R__COUNT; r++)
		if (d->text[r].buf != NULL)
			field_clear(&d->text[r]);
	d->error = NULL;
}

static void
jf_open_picker(struct jf_dialog *d)
{
	const struct jf_row *row = &jf_rows[d->focus];
	const char *items[JF_PICK_MAX + 1];
	size_t sel = 0;
	int n = row->open(d, items, &sel);

	d->picker = picker_new(_(row->label), items, (size_t)n, sel);
}

static int
jf_picker_key(struct jf_dialog *d, const struct key *k)
{
	int r = fkeys_number(k) == 9 ? PICKER_CANCEL : picker_key(d->picker, k);

	if (r == PICKER_OPEN)
		return JF_OPEN;
	if (r >= 0)
		jf_rows[d->focus].chose(d, r);
	picker_free(d->picker);
	d->picker = NULL;
	return JF_OPEN;
}

/* Focus moves: 1 when the key was one. */
static int
jf_move(struct jf_dialog *d, const struct key *k)
{
	int dir = 0;

	if ((k->is_key && k->ch == KEY_DOWN) || (!k->is_key && k->ch == L'\t'))
		dir = 1;
	else if (k->is_key && (k->ch == KEY_UP || k->ch == KEY_BTAB))
		dir = -1;
	if (dir == 0)
		return 0;
	d->focus = (d->focus + dir + R__COUNT) % R__COUNT;
	return 1;
}

static int
jf_apply(struct jf_dialog *d)
{
	return jf_read_texts(d) == 0 ? JF_APPLY : JF_OPEN;
}

int
jf_dialog_key(struct jf_dialog *d, const struct key *k)
{
	const struct jf_row *row = &jf_rows[d->focus];

	if (d->picker != NULL)
		return jf_picker_key(d, k);
	if ((!k->is_key && k->ch == 27) || fkeys_number(k) == 9)
		return JF_CANCEL;
	if (fkeys_number(k) == 2)
		return jf_apply(d);
	if (fkeys_number(k) == 8) {
		jf_clear_all(d);
		return JF_OPEN;
	}
	if (jf_move(d, k))
		return JF_OPEN;
	if (key_is_enter(k)) {
		if (row->max > 0)
			return jf_apply(d);
		jf_open_picker(d);
		return JF_OPEN;
	}
	if (row->max > 0 && field_key(&d->text[d->focus], k))
		d->error = NULL;
	else if (row->max == 0 && !k->is_key && k->ch == L' ')
		jf_open_picker(d);
	return JF_OPEN;
}

void
jf_dialog_draw(struct jf_dialog *d, WINDOW *w, int *cy, int *cx)
{
	int y, x, bh = R__COUNT + 6, bw = 72, lw = 28;

	box_center(w, &y, &x, &bh, &bw);
	box_draw(w, y, x, bh, bw, _("Journal filter"), A_NORMAL);
	*cy = *cx = -1;
	for (int r = 0; r < R__COUNT && r + 2 < bh - 1; r++) {
		int ry = y + 1 + r, vx = x + 2 + lw, vw = bw - lw - 4;
		text_put(w, ry, x + 2, _(jf_rows[r].label), lw - 1,
		    r == d->focus ? A_BOLD : A_NORMAL, 1);
		if (jf_rows[r].max > 0) {
			int c = field_draw(&d->text[r], w, ry, vx, vw, r == d->focus);
			if (r == d->focus) {
				*cy = ry;
				*cx = c;
			}
		} else {
			char v[512];
			snprintf(v, sizeof v, "%s ▾", jf_rows[r].show(d));
			text_put(w, ry, vx, v, vw, r == d->focus ? A_REVERSE :
			    A_UNDERLINE, 1);
		}
	}
	if (d->error != NULL)
		text_put(w, y + R__COUNT + 2, x + 2, _(d->error), bw - 4,
		    A_BOLD | A_REVERSE, 0);
	text_put(w, y + bh - 3, x + 2, _("Enter: choose / apply   F2: apply"),
	    bw - 4, A_NORMAL, 0);
	text_put(w, y + bh - 2, x + 2, _("F8: clear all   Esc: cancel"), bw - 4,
	    A_NORMAL, 0);
	if (d->picker != NULL)
		picker_draw(d->picker, w, cy, cx);
}
