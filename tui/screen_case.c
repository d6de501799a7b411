/*
 * screen_case.c — one application, read-only, with what may be done to it
 * (application.get, application.transition).
 *
 * Top: registration number, applicant, status; when the application came
 * back for rework, the reason of the return in reverse video, so the
 * person who must act on it cannot miss it; when its package is partial,
 * what is missing, so the back office sees it first.  Below, three views
 * Tab goes round: the application (applicant, family, income, documents
 * with the missing ones, payment, phone, notes), its scans (case_scans.h:
 * see, save, attach, detach) and its history (who, when, from -> to,
 * comment, scans attached and detached); F3 goes to the history and back
 * to the application, as on every screen before the scans.  All scroll.
 * Sending a partial package up asks first, naming what is missing.
 *
 * The actions are the ones the server lists for this user now; each has a
 * fixed function key (case_actions, below), so F7 is always "return"
 * whatever the role.  A return asks for its reason first (the workflow
 * table's needs_reason), every action asks for confirmation, and the
 * transition carries the version the user saw: if someone changed the
 * application meanwhile, the server refuses (HR_E_CONFLICT), the user is
 * told and the application reloaded.  F4 opens the form when the server
 * says the application is editable.  Esc or F9 goes back to the journal.
 *
 * The key bar follows the actions, so the screen carries its own copy of
 * screen_ops with its own fkey array.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proto/app_fields.h"
#include "proto/ident.h"
#include "proto/method_names.h"
#include "proto/roles.h"
#include "proto/workflow.h"
#include "tui/box.h"
#include "tui/bytes.h"
#include "tui/case_cache.h"
#include "tui/case_scans.h"
#include "tui/clock_mark.h"
#include "tui/dialog.h"
#include "tui/field_labels.h"
#include "tui/journal_filter.h"
#include "tui/mp.h"
#include "tui/notify_ui.h"
#include "tui/print.h"
#include "tui/refdata.h"
#include "tui/screens.h"
#include "tui/status_counts.h"
#include "tui/text.h"
#include "tui/textarea.h"
#include "tui/textview.h"
#include "tui/words.h"

/* The application's keys, read from its one table (proto/app_fields.h):
 * the case view shows what application.get returns under them. */
#define K_APP(f)    (hr_save_fields[HR_SF_##f].wire.name)
#define K_PERSON(f) (hr_person_fields[HR_PF_##f].wire.name)
#define K_MEMBER(f) (hr_member_fields[HR_MF_##f].wire.name)
#define K_INCOME(f) (hr_income_fields[HR_IF_##f].wire.name)
#define K_PAY(f)    (hr_payment_fields[HR_YF_##f].wire.name)

#define CASE_REASON_MAX  1000        /* the server's limit on `reason` */
#define CASE_REASON_ROWS 4
#define CASE_FKEYS_MAX   (HR_ACT__COUNT + 8)
/* Who records that the applicant was told (application.notify). */
#define CASE_TELLERS     (HR_ROLES_FRONT | HR_ROLES_SUPER | \
	HR_ROLE_BIT(HR_ROLE_UPO_OTG))

/* Action -> function key and the short label of the key bar. */
static const struct case_action {
	int         action;              /* enum hr_action */
	int         fkey;
	const char *bar;                 /* msgid; the dialogs use hr_action_label */
} case_actions[] = {
	{ HR_ACT_SEND_OTG,     5, N_("Send to hromada") },
	{ HR_ACT_SEND_SPSZN,   6, N_("Check, send to back office") },
	{ HR_ACT_RETURN_FRONT, 7, N_("Return") },
	{ HR_ACT_RETURN_OTG,   7, N_("Return") },
	{ HR_ACT_CHECK,        8, N_("Checked") },
};
#define CASE_NACTIONS (sizeof case_actions / sizeof case_actions[0])

enum case_view { VIEW_APP, VIEW_SCANS, VIEW_HISTORY, VIEW__COUNT };
enum case_modal { MODAL_NONE, MODAL_REASON, MODAL_CONFIRM, MODAL_PRINT,
	MODAL_NOTIFY };

struct case_screen {
	struct screen      base;
	struct screen_ops  ops;              /* own copy: the key bar varies */
	struct fkey        fk[CASE_FKEYS_MAX];

	int64_t            id, version;
	int                status;           /* enum hr_status, -1 unknown */
	char              *reg_no, *applicant, *last_reason;
	int                has_clock;        /* the stage's clock (issue 17) */
	int                clock_left, clock_state;
	char               clock_due[HR_DATE_STR_MAX];
	int                clock_stage;      /* enum hr_stage */
	int                editable;
	unsigned           actions;          /* bit per enum hr_action */
	size_t             nhistory;
	int                loaded;
	int64_t            etag;             /* of the copy shown */
	int                load_error;       /* enum hr_err of a failed load */
	int                width;            /* columns at the last draw */

	enum case_view     view;
	struct textview    body, history;
	struct case_scans  scans;
	int                package_full;
	char              *missing;          /* names of the missing documents */
	int                partial_ok;       /* the sender confirmed it */

	enum case_modal    modal;
	const struct case_action *pending;
	struct textarea    reason;
	const char        *reason_error;     /* msgid; NULL none */
	struct dialog     *confirm;
	struct print_ui   *print;            /* F2, while open */
	struct notify_ui  *notify;           /* F6 on an answered one */
	int                has_decision;
	int                may_tell;         /* F6: answered, a counter role */
	int                print_on_load;    /* screen_case_print */
};

static const struct fkey case_fk_help = { 1, N_("Help") };
static const struct fkey case_fk_print = { 2, N_("Print") };
static const struct fkey case_fk_told = { 6, N_("Applicant told") };
static const struct fkey case_fk_save = { 2, N_("Save") };
static const struct fkey case_fk_history = { 3, N_("History") };
static const struct fkey case_fk_app = { 3, N_("Application") };
static const struct fkey case_fk_edit = { 4, N_("Edit") };
static const struct fkey case_fk_journal = { 9, N_("Journal") };
static const struct fkey case_fk_quit = { 10, N_("Quit") };

static const struct fkey case_fk_modal[] = {
	{ 1, N_("Help") }, { 9, N_("Cancel") }, { 10, N_("Quit") },
};
static const struct fkey case_fk_notify[] = {
	{ 1, N_("Help") }, { 2, N_("Record") }, { 9, N_("Cancel") },
	{ 10, N_("Quit") },
};

static void case_load(struct case_screen *c, struct app *a);

/* ---- formatting ---- */

/* "YYYY-MM-DD" -> "DD.MM.YYYY"; anything else as it is. */
static const char *
case_date(const msgpack_object *v, char *buf, size_t n)
{
	char iso[64];
	struct hr_date d;

	mp_text(v, iso, sizeof iso);
	if (hr_date_parse(iso, strlen(iso), NULL, &d, NULL) != 0 ||
	    hr_date_format(&d, buf, n) != 0)
		snprintf(buf, n, "%s", iso[0] ? iso : "—");
	return buf;
}

/* Unix time -> "DD.MM.YYYY HH:MM" local. */
static const char *
case_time(const msgpack_object *v, char *buf, size_t n)
{
	time_t t = (time_t)mp_int(v, 0);
	struct tm tm;

	if (t <= 0 || localtime_r(&t, &tm) == NULL)
		snprintf(buf, n, "—");
	else
		strftime(buf, n, "%d.%m.%Y %H:%M", &tm);
	return buf;
}

/* Text of a field, or a dash when empty. */
static const char *
case_text(const msgpack_object *v, char *buf, size_t n)
{
	mp_text(v, buf, n);
	if (buf[0] == '\0')
		snprintf(buf, n, "—");
	return buf;
}

/* "surname name patronymic" of a person map. */
static const char *
case_name(const msgpack_object *p, char *buf, size_t n)
{
	char s[256], nm[256], pt[256];

	snprintf(buf, n, "%s %s %s",
	    mp_text(mp_get(p, K_PERSON(SURNAME)), s, sizeof s),
	    mp_text(mp_get(p, K_PERSON(NAME)), nm, sizeof nm),
	    mp_text(mp_get(p, K_PERSON(PATRONYMIC)), pt, sizeof pt));
	return buf;
}

/* Display of the value of `key` in `m` through a table of wire -> msgid. */
struct case_word { const char *wire, *label; };

static const char *
case_word(const struct case_word *t, const msgpack_object *v, char *buf, size_t n)
{
	mp_text(v, buf, n);
	for (; t->wire != NULL; t++)
		if (strcmp(t->wire, buf) == 0)
			return _(t->label);
	return buf[0] ? buf : "—";
}

/* The view names a document by its kind alone ("passport", where the
 * form says "passport booklet" beside "ID card"); the kinds are
 * proto/app_fields.h's hr_doc_types. */
static const struct case_word case_doc_types[] = {
	{ "passport", N_("passport") }, { "id_card", N_("ID card") },
	{ "birth_cert", N_("birth certificate") }, { NULL, NULL },
};
/* Relations and income types in the words of the form (intake/), so a
 * clerk reads the same name in the form and here. */
static const char *
case_form_word(const struct hr_choice *choices, size_t n,
    const msgpack_object *v, char *buf, size_t cap)
{
	int i = hr_choice_find(choices, n, mp_text(v, buf, cap));

	if (i >= 0)
		return _(choices[i].label);
	return buf[0] ? buf : "—";
}

/* ---- the application view ---- */

#define ADD(c, ind, attr, ...) textview_add(&(c)->body, (ind), (attr), __VA_ARGS__)

/* A family member's registration address: reg_same is the applicant's. */
static const char *
case_reg_address(const msgpack_object *p, const msgpack_object *applicant,
    char *buf, size_t n)
{
	if (mp_bool(mp_get(p, "reg_same"), 0) && applicant != NULL)
		return case_text(mp_get(applicant, K_PERSON(REGADDR)), buf, n);
	return case_text(mp_get(p, K_PERSON(REGADDR)), buf, n);
}

static void
case_person(struct case_screen *c, const msgpack_object *p,
    const msgpack_object *applicant, int ind)
{
	char b1[256], b2[256], b3[256];
	const msgpack_object *rn = mp_get(p, K_PERSON(RNOKPP));

	ADD(c, ind, A_NORMAL, "%s: %s", _("Name"), case_name(p, b1, sizeof b1));
	ADD(c, ind, A_NORMAL, "%s: %s   %s: %s", _("Birth date"),
	    case_date(mp_get(p, K_PERSON(BIRTH)), b1, sizeof b1), _("Sex"),
	    case_form_word(hr_sexes, 2, mp_get(p, K_PERSON(SEX)), b2, sizeof b2));
	if (mp_bool(mp_get(p, K_PERSON(REFUSED)), 0))
		ADD(c, ind, A_NORMAL, "%s: %s", _("RNOKPP"),
		    _("refused (passport mark)"));
	else
		ADD(c, ind, A_NORMAL, "%s: %s", _("RNOKPP"), case_text(rn, b1, sizeof b1));
	ADD(c, ind, A_NORMAL, "%s: %s   %s: %s %s", _("UNZR"),
	    case_text(mp_get(p, K_PERSON(UNZR)), b1, sizeof b1), _("Document"),
	    case_word(case_doc_types, mp_get(p, K_PERSON(DOCTYPE)), b2, sizeof b2),
	    mp_text(mp_get(p, K_PERSON(DOCNUM)), b3, sizeof b3));
	ADD(c, ind, A_NORMAL, "%s: %s", _("Registration address"),
	    case_reg_address(p, applicant, b1, sizeof b1));
	ADD(c, ind, A_NORMAL, "%s: %s", _("Actual address"),
	    case_text(mp_get(p, K_PERSON(ACTADDR)), b1, sizeof b1));
}

static void
case_family(struct case_screen *c, const msgpack_object *fam,
    const msgpack_object *applicant)
{
	uint32_t n = fam && fam->type == MSGPACK_OBJECT_ARRAY ? fam->via.array.size : 0;
	char rel[64];

	ADD(c, 0, A_BOLD | A_UNDERLINE, "%s (%u)", _("Family members"), n);
	if (n == 0)
		ADD(c, 1, A_NORMAL, "%s", _("none"));
	for (uint32_t i = 0; i < n; i++) {
		const msgpack_object *m = &fam->via.array.ptr[i];
		const msgpack_object *p = mp_get(m, K_MEMBER(PERSON));
		ADD(c, 1, A_BOLD, "%u. %s", i + 1,
		    case_form_word(hr_relations, HR_REL__COUNT,
		    mp_get(m, K_MEMBER(RELATION)), rel, sizeof rel));
		case_person(c, p ? p : m, applicant, 4);  /* nested, or flattened */
	}
}

/* Who an income belongs to: 0 the applicant, k the k-th family member. */
static const char *
case_member(const msgpack_object *app, int64_t k, char *buf, size_t n)
{
	const msgpack_object *fam = mp_get(app, K_APP(FAMILY)), *m, *p;

	if (k <= 0)
		return case_name(mp_get(app, K_APP(APPLICANT)), buf, n);
	if (fam == NULL || fam->type != MSGPACK_OBJECT_ARRAY ||
	    (uint64_t)k > fam->via.array.size) {
		snprintf(buf, n, "#%lld", (long long)k);
		return buf;
	}
	m = &fam->via.array.ptr[k - 1];
	p = mp_get(m, K_MEMBER(PERSON));
	return case_name(p ? p : m, buf, n);
}

static void
case_income(struct case_screen *c, const msgpack_object *app)
{
	const msgpack_object *inc = mp_get(app, K_APP(INCOME));
	uint32_t n = inc && inc->type == MSGPACK_OBJECT_ARRAY ? inc->via.array.size : 0;
	int64_t total = 0;
	char who[256], ty[64], from[16], to[16], amt[48];

	ADD(c, 0, A_BOLD | A_UNDERLINE, "%s (%u)", _("Income"), n);
	for (uint32_t i = 0; i < n; i++) {
		const msgpack_object *e = &inc->via.array.ptr[i];
		int64_t k = mp_int(mp_get(e, K_INCOME(AMOUNT)), 0);
		total += k;
		hr_amount_format(k, amt, sizeof amt);
		ADD(c, 1, A_NORMAL, "%s: %s, %s–%s: %s %s",
		    case_member(app, mp_int(mp_get(e, K_INCOME(MEMBER)), 0), who, sizeof who),
		    case_form_word(hr_income_types, HR_INC__COUNT,
		    mp_get(e, K_INCOME(TYPE)), ty, sizeof ty),
		    case_date(mp_get(e, K_INCOME(FROM)), from, sizeof from),
		    case_date(mp_get(e, K_INCOME(TO)), to, sizeof to), amt, _("UAH"));
	}
	hr_amount_format(total, amt, sizeof amt);
	ADD(c, 1, n ? A_BOLD : A_NORMAL, "%s: %s %s", _("Total"), amt, _("UAH"));
}

/* One line per code of an array, named from the reference when known. */
static void
case_codes(struct case_screen *c, struct app *a, const msgpack_object *arr,
    const char *mark, attr_t attr)
{
	const struct refdata *rd = refdata_get(a);
	char code[128];

	for (uint32_t i = 0; arr && arr->type == MSGPACK_OBJECT_ARRAY &&
	    i < arr->via.array.size; i++) {
		const char *nm;
		mp_text(&arr->via.array.ptr[i], code, sizeof code);
		nm = rd ? refdata_doc_name(rd, code) : code;
		/* The document's name; its code is for programs only. */
		textview_add(&c->body, 1, attr, "%s %s", mark, nm);
	}
}

static void
case_documents(struct case_screen *c, struct app *a, const msgpack_object *app)
{
	const msgpack_object *miss = mp_get(app, "missing");
	int full = mp_bool(mp_get(app, "package_full"), 0);

	const msgpack_object *att = mp_get(app, "attachments");
	uint32_t nscans = att && att->type == MSGPACK_OBJECT_ARRAY ?
	    att->via.array.size : 0;

	ADD(c, 0, A_BOLD | A_UNDERLINE, "%s: %s", _("Documents"),
	    full ? _("full package") : _("partial package"));
	case_codes(c, a, mp_get(app, K_APP(DOCUMENTS)), "[+]", A_NORMAL);
	if (miss && miss->type == MSGPACK_OBJECT_ARRAY && miss->via.array.size > 0) {
		ADD(c, 1, A_BOLD, "%s:", _("Missing"));
		case_codes(c, a, miss, "[-]", A_BOLD);
	}
	ADD(c, 1, A_DIM, _("%u scans attached: Tab shows them"), nscans);
}

static void
case_payment(struct case_screen *c, const msgpack_object *app)
{
	const msgpack_object *pay = mp_get(app, K_APP(PAYMENT));
	char m[32], b[256];

	ADD(c, 0, A_BOLD | A_UNDERLINE, "%s", _("Payment"));
	mp_text(mp_get(pay, K_PAY(METHOD)), m, sizeof m);
	if (strcmp(m, "bank") == 0)
		ADD(c, 1, A_NORMAL, "%s: %s", _("Bank account (IBAN)"),
		    case_text(mp_get(pay, K_PAY(IBAN)), b, sizeof b));
	else if (strcmp(m, "post") == 0)
		ADD(c, 1, A_NORMAL, "%s: %s", _("Post office"),
		    case_text(mp_get(pay, K_PAY(POST)), b, sizeof b));
	else
		ADD(c, 1, A_NORMAL, "%s", _("not given"));
	ADD(c, 0, A_NORMAL, "%s: %s", _("Notes"),
	    case_text(mp_get(app, K_APP(NOTES)), b, sizeof b));
}

static const struct case_word case_told_ways[] = {
	{ "in_person", N_("in person") }, { "phone", N_("by phone") },
	{ "sms", N_("by SMS") }, { "letter", N_("by letter") }, { NULL, NULL },
};

/* Whether the applicant was told of the decision (application.notify). */
static void
case_told(struct case_screen *c, const msgpack_object *d)
{
	const msgpack_object *at = mp_get(d, "notified_at");
	char how[64], when[32];

	if (at == NULL || at->type != MSGPACK_OBJECT_POSITIVE_INTEGER) {
		ADD(c, 1, A_BOLD | A_REVERSE, "%s", _("The applicant has not been "
		    "told yet"));
		return;
	}
	ADD(c, 1, A_NORMAL, "%s: %s, %s", _("The applicant was told"),
	    case_word(case_told_ways, mp_get(d, "notified_how"), how,
	    sizeof how), case_time(at, when, sizeof when));
}

static const struct case_word case_decisions[] = {
	{ "assigned", N_("Assigned") }, { "refused", N_("Refused") },
	{ "registered", N_("Registered as a beneficiary") },
	{ "registration_refused", N_("Registration refused") }, { NULL, NULL },
};

/* The decision imported from the decision system (answered only). */
static void
case_decision(struct case_screen *c, const msgpack_object *d)
{
	const msgpack_object *amount = mp_get(d, "amount");
	char w[64], money[HR_AMOUNT_STR_MAX], f[32], t[32], r[1100];

	if (d == NULL || d->type != MSGPACK_OBJECT_MAP)
		return;
	ADD(c, 0, A_BOLD | A_UNDERLINE, "%s", _("Decision"));
	ADD(c, 1, A_BOLD, "%s", case_word(case_decisions, mp_get(d, "decision"),
	    w, sizeof w));
	if (amount != NULL && amount->type == MSGPACK_OBJECT_POSITIVE_INTEGER &&
	    hr_amount_format(mp_int(amount, 0), money, sizeof money) == 0)
		ADD(c, 1, A_BOLD, "%s: %s %s", _("Amount"), money, _("UAH"));
	if (mp_get(d, "period_from") != NULL &&
	    mp_get(d, "period_from")->type == MSGPACK_OBJECT_STR)
		ADD(c, 1, A_NORMAL, "%s: %s – %s", _("Period"),
		    case_date(mp_get(d, "period_from"), f, sizeof f),
		    case_date(mp_get(d, "period_to"), t, sizeof t));
	if (mp_get(d, "reason") != NULL &&
	    mp_get(d, "reason")->type == MSGPACK_OBJECT_STR)
		ADD(c, 1, A_NORMAL, "%s: %s", _("Reason"),
		    case_text(mp_get(d, "reason"), r, sizeof r));
	case_told(c, d);
}

/*
 * The stages the case has been in, each with its deadline and how it
 * ended (application.get `clocks`: [stage, office, days, started_at, due,
 * stopped_at, late_days]).
 */
static void
case_clocks(struct case_screen *c, const msgpack_object *clocks)
{
	char stage[16], t1[32], t2[32], due[HR_DATE_STR_MAX], how[96];

	if (clocks == NULL || clocks->type != MSGPACK_OBJECT_ARRAY ||
	    clocks->via.array.size == 0)
		return;
	ADD(c, 0, A_BOLD | A_UNDERLINE, "%s", _("Deadlines of the stages"));
	for (uint32_t i = 0; i < clocks->via.array.size; i++) {
		const msgpack_object *k = &clocks->via.array.ptr[i];
		const msgpack_object *e;

		if (k->type != MSGPACK_OBJECT_ARRAY || k->via.array.size < 7)
			continue;
		e = k->via.array.ptr;
		mp_text(&e[0], stage, sizeof stage);
		if (e[5].type == MSGPACK_OBJECT_NIL)
			snprintf(how, sizeof how, "%s", _("running"));
		else if (mp_int(&e[6], 0) > 0)
			snprintf(how, sizeof how, _("late by %d working days"),
			    (int)mp_int(&e[6], 0));
		else
			snprintf(how, sizeof how, "%s", _("on time"));
		ADD(c, 1, e[5].type != MSGPACK_OBJECT_NIL && mp_int(&e[6], 0) > 0 ?
		    A_BOLD : A_NORMAL, _("%s: from %s, %d working days, due %s; "
		    "%s%s%s"), clock_stage_label(hr_stage_from_name(stage)),
		    case_time(&e[3], t1, sizeof t1), (int)mp_int(&e[2], 0),
		    case_date(&e[4], due, sizeof due), how,
		    e[5].type != MSGPACK_OBJECT_NIL ? ", " : "",
		    e[5].type != MSGPACK_OBJECT_NIL ? case_time(&e[5], t2,
		    sizeof t2) : "");
	}
}

static void
case_build_body(struct case_screen *c, struct app *a, const msgpack_object *app,
    const msgpack_object *decision, const msgpack_object *clocks)
{
	char b1[512], t1[32], t2[32];
	const struct refdata *rd = refdata_get(a);
	const struct ref_office *fo = refdata_office(rd,
	    mp_int(mp_get(app, "front_office_id"), 0));
	int si;

	textview_clear(&c->body);
	case_decision(c, decision);
	mp_text(mp_get(app, K_APP(SERVICE)), b1, sizeof b1);
	si = rd ? refdata_service(rd, b1) : -1;
	ADD(c, 0, A_NORMAL, "%s: %s (%s)", _("Service"),
	    si >= 0 ? rd->svc[si].name : b1,
	    words_system(si >= 0 ? rd->svc[si].system : ""));
	if (fo != NULL)
		ADD(c, 0, A_NORMAL, "%s: %s; %s", _("Front office"), fo->name,
		    fo->hromada);
	else
		ADD(c, 0, A_NORMAL, "%s: #%lld", _("Front office"), (long long)
		    mp_int(mp_get(app, "front_office_id"), 0));
	ADD(c, 0, A_NORMAL, "%s: %s   %s: %s", _("Created"),
	    case_time(mp_get(app, "created_at"), t1, sizeof t1), _("Updated"),
	    case_time(mp_get(app, "updated_at"), t2, sizeof t2));
	ADD(c, 0, A_BOLD | A_UNDERLINE, "%s", _("Applicant"));
	case_person(c, mp_get(app, K_APP(APPLICANT)), NULL, 1);
	/* The contact phone, beside whom it reaches: the application's, else
	 * the one the applicant has in the base. */
	if (mp_get(app, K_APP(PHONE)) == NULL ||
	    mp_get(app, K_APP(PHONE))->type != MSGPACK_OBJECT_STR)
		ADD(c, 1, A_NORMAL, "%s: %s", _("Phone"), case_text(mp_get(
		    mp_get(app, K_APP(APPLICANT)), K_PERSON(PHONE)), b1,
		    sizeof b1));
	else
		ADD(c, 1, A_NORMAL, "%s: %s", _("Phone"),
		    case_text(mp_get(app, K_APP(PHONE)), b1, sizeof b1));
	case_family(c, mp_get(app, K_APP(FAMILY)), mp_get(app, K_APP(APPLICANT)));
	case_income(c, app);
	case_documents(c, a, app);
	case_payment(c, app);
	case_clocks(c, clocks);
}

#undef ADD

/* ---- the history view ---- */

/* Short label of a history entry's status code; nil means it was created. */
static const char *
case_status_short(const msgpack_object *v)
{
	int64_t st = mp_int(v, -1);

	if (v == NULL || v->type == MSGPACK_OBJECT_NIL)
		return _("created");
	return st >= 0 && st < HR_ST__COUNT ? status_short_label((int)st) : "?";
}

/* An edit: the status stayed (from = to). */
static int
case_is_edit(const msgpack_object *from, const msgpack_object *to)
{
	return from->type != MSGPACK_OBJECT_NIL && mp_int(from, -1) == mp_int(to, -2);
}

/* What an edit changed: "Заявник: Адреса реєстрації: old → new". */
static void
case_build_changes(struct case_screen *c, const msgpack_object *ch)
{
	char path[64], label[160], o[512], n[512], ob[512], nb[512];

	for (uint32_t i = 0; ch && ch->type == MSGPACK_OBJECT_ARRAY &&
	    i < ch->via.array.size; i++) {
		const msgpack_object *x = &ch->via.array.ptr[i];

		mp_text(mp_get(x, "field"), path, sizeof path);
		mp_text(mp_get(x, "old"), o, sizeof o);
		mp_text(mp_get(x, "new"), n, sizeof n);
		textview_add(&c->history, 4, A_NORMAL, "%s: %s → %s",
		    field_path_label(path, label, sizeof label),
		    field_value_text(path, o, ob, sizeof ob),
		    field_value_text(path, n, nb, sizeof nb));
	}
}

/*
 * History comments the server writes itself for telling the applicant
 * (PROTOCOL.md "application.notify", hromadad.conf(5) notify_command) are
 * English in a fixed form; their fixed words are shown in the user's
 * language, the times, numbers and the clerk's comment as they are.
 */
static const struct {
	const char *en, *label;
} case_comment_words[] = {
	{ "applicant told: in person", N_("applicant told: in person") },
	{ "applicant told: by phone",  N_("applicant told: by phone") },
	{ "applicant told: by SMS",    N_("applicant told: by SMS") },
	{ "applicant told: by letter", N_("applicant told: by letter") },
	{ "automatic notice to ",      N_("automatic notice to ") },
	{ ": sent",                    N_(": sent") },
	{ ": failed",                  N_(": failed") },
	{ "timed out after ",          N_("timed out after ") },
	{ "exit status ",              N_("exit status ") },
	{ "killed by signal ",         N_("killed by signal ") },
	{ "outcome unknown: the server stopped before the command finished; "
	  "tell the applicant yourself", N_("outcome unknown: the server "
	  "stopped before the command finished; tell the applicant yourself") },
	{ "cannot run notify_command: ", N_("cannot run notify_command: ") },
};

static void
case_comment_words_apply(char *comment, size_t cap)
{
	char out[2048];
	size_t o = 0;
	const char *p = comment;

	if (strncmp(comment, "applicant told: ", 16) != 0 &&
	    strncmp(comment, "automatic notice to ", 20) != 0)
		return;
	while (*p && o + 1 < sizeof out) {
		size_t i, n = sizeof case_comment_words /
		    sizeof case_comment_words[0];
		for (i = 0; i < n; i++) {
			size_t len = strlen(case_comment_words[i].en);
			if (strncmp(p, case_comment_words[i].en, len) == 0) {
				int w = snprintf(out + o, sizeof out - o, "%s",
				    _(case_comment_words[i].label));
				if (w > 0)
					o += (size_t)w < sizeof out - o ?
					    (size_t)w : sizeof out - o - 1;
				p += len;
				break;
			}
		}
		if (i == n)
			out[o++] = *p++;
	}
	out[o] = '\0';
	snprintf(comment, cap, "%s", out);
}

/* Is the event one of a scan (attach, detach)? */
static int
case_scan_event(const msgpack_object *ev)
{
	char kind[16];

	mp_text(mp_get(ev, "kind"), kind, sizeof kind);
	return strcmp(kind, "attach") == 0 || strcmp(kind, "detach") == 0;
}

/* What a history row's event says (attach, detach, a partial package). */
static void
case_history_event(struct case_screen *c, struct app *a,
    const msgpack_object *ev)
{
	const struct refdata *rd = refdata_get(a);
	char kind[16], doc[64], name[256], size[32], list[1024];
	const msgpack_object *miss;
	size_t len = 0;

	mp_text(mp_get(ev, "kind"), kind, sizeof kind);
	mp_text(mp_get(ev, "document"), doc, sizeof doc);
	mp_text(mp_get(ev, "name"), name, sizeof name);
	bytes_size((uint64_t)mp_int(mp_get(ev, "size"), 0), size, sizeof size);
	if (strcmp(kind, "attach") == 0 || strcmp(kind, "detach") == 0) {
		textview_add(&c->history, 2, A_NORMAL, "%s: %s — %s, %s",
		    kind[0] == 'a' ? _("Scan attached") : _("Scan detached"),
		    rd ? refdata_doc_name(rd, doc) : doc, name, size);
		return;
	}
	if (strcmp(kind, "partial") != 0)
		return;
	list[0] = '\0';
	miss = mp_get(ev, "missing");
	for (uint32_t i = 0; miss && miss->type == MSGPACK_OBJECT_ARRAY &&
	    i < miss->via.array.size && len < sizeof list - 1; i++) {
		int n = snprintf(list + len, sizeof list - len, "%s%s", i ? ", " :
		    "", rd ? refdata_doc_name(rd, mp_text(&miss->via.array.ptr[i],
		    doc, sizeof doc)) : mp_text(&miss->via.array.ptr[i], doc,
		    sizeof doc));

		if (n > 0)
			len += (size_t)n;
	}
	textview_add(&c->history, 2, A_BOLD, "%s: %s",
	    _("Sent as a partial package, missing"), list);
}

/*
 * History rows are arrays [at, user, from, to, comment, changes, event]
 * (PROTOCOL.md "application.get"), the last three only when there is
 * something; `user` indexes `users`, [login, full name].
 */
static void
case_build_history(struct case_screen *c, struct app *a,
    const msgpack_object *hist, const msgpack_object *users)
{
	uint32_t n = hist && hist->type == MSGPACK_OBJECT_ARRAY ? hist->via.array.size : 0;
	uint32_t nu = users && users->type == MSGPACK_OBJECT_ARRAY ?
	    users->via.array.size : 0;
	char when[32], who[256], user[128], comment[2048];

	textview_clear(&c->history);
	c->nhistory = n;
	if (n == 0)
		textview_add(&c->history, 0, A_NORMAL, "%s", _("No history yet"));
	for (uint32_t i = 0; i < n; i++) {
		const msgpack_object *e = &hist->via.array.ptr[i], *f, *u = NULL;
		const msgpack_object *ev;
		int64_t ui;

		if (e->type != MSGPACK_OBJECT_ARRAY || e->via.array.size < 4)
			continue;
		f = e->via.array.ptr;
		ui = mp_int(&f[1], -1);
		if (ui >= 0 && (uint64_t)ui < nu &&
		    users->via.array.ptr[ui].type == MSGPACK_OBJECT_ARRAY &&
		    users->via.array.ptr[ui].via.array.size >= 2)
			u = users->via.array.ptr[ui].via.array.ptr;
		textview_add(&c->history, 0, A_BOLD, "%s  %s (%s)",
		    case_time(&f[0], when, sizeof when),
		    u ? mp_text(&u[1], who, sizeof who) : "?",
		    u ? mp_text(&u[0], user, sizeof user) : "?");
		comment[0] = '\0';
		if (e->via.array.size > 4)
			mp_text(&f[4], comment, sizeof comment);
		case_comment_words_apply(comment, sizeof comment);
		/* A scan attached or detached changes no status: its event
		 * line says it all.  An edit says so; an event (the applicant
		 * told) is its comment. */
		ev = e->via.array.size > 6 ? &f[6] : NULL;
		if (case_scan_event(ev))
			;
		else if (case_is_edit(&f[2], &f[3]) && comment[0] == '\0')
			textview_add(&c->history, 2, A_NORMAL, "%s (%s)",
			    _("edited"), case_status_short(&f[3]));
		else if (!case_is_edit(&f[2], &f[3]))
			textview_add(&c->history, 2, A_NORMAL, "%s → %s",
			    case_status_short(&f[2]), case_status_short(&f[3]));
		if (comment[0] != '\0')
			textview_add(&c->history, 2, A_NORMAL, "%s: %s", _("Comment"),
			    comment);
		if (e->via.array.size > 5)
			case_build_changes(c, &f[5]);
		if (ev != NULL)
			case_history_event(c, a, ev);
	}
}

/* ---- the key bar ---- */

static const struct case_action *
case_action_by_key(const struct case_screen *c, int fkey)
{
	for (size_t i = 0; i < CASE_NACTIONS; i++)
		if (case_actions[i].fkey == fkey &&
		    (c->actions & (1u << case_actions[i].action)))
			return &case_actions[i];
	return NULL;
}

/*
 * The key bar: help, the view switch, edit, the actions, back, quit —
 * every key the screen offers; fkeys_draw shortens labels to fit.
 */
static void
case_fkeys(struct case_screen *c)
{
	size_t n = 0;

	if (c->modal == MODAL_NOTIFY) {
		c->ops.fkeys = case_fk_notify;
		c->ops.nfkeys = sizeof case_fk_notify / sizeof case_fk_notify[0];
		return;
	}
	if (c->modal != MODAL_NONE) {
		c->ops.fkeys = case_fk_modal;
		c->ops.nfkeys = sizeof case_fk_modal / sizeof case_fk_modal[0];
		return;
	}
	c->fk[n++] = case_fk_help;
	/* F2: save the scan in the scans view, print elsewhere. */
	if (c->view == VIEW_SCANS)
		c->fk[n++] = case_fk_save;
	else if (c->loaded)
		c->fk[n++] = case_fk_print;
	c->fk[n++] = c->view == VIEW_HISTORY ? case_fk_app : case_fk_history;
	if (c->editable)
		c->fk[n++] = case_fk_edit;
	for (int key = 5; key <= 8; key++) {
		const struct case_action *ca = case_action_by_key(c, key);
		if (ca != NULL)
			c->fk[n++] = (struct fkey){ ca->fkey, ca->bar };
		else if (key == 6 && c->may_tell)
			c->fk[n++] = case_fk_told;
	}
	c->fk[n++] = case_fk_journal;
	c->fk[n++] = case_fk_quit;
	c->ops.fkeys = c->fk;
	c->ops.nfkeys = n;
}

/* ---- replies ---- */

static void
case_read_actions(struct case_screen *c, const msgpack_object *acts)
{
	char name[64];

	c->actions = 0;
	for (uint32_t i = 0; acts && acts->type == MSGPACK_OBJECT_ARRAY &&
	    i < acts->via.array.size; i++) {
		int act = hr_action_from_name(mp_text(&acts->via.array.ptr[i], name,
		    sizeof name));
		if (act >= 0)
			c->actions |= 1u << act;
	}
}

/* "Довідка про доходи, Декларація": what the header and the partial
 * package's question name. */
static void
case_read_missing(struct case_screen *c, struct app *a,
    const msgpack_object *miss)
{
	const struct refdata *rd = refdata_get(a);
	char list[1024], code[64];
	size_t len = 0;

	list[0] = '\0';
	for (uint32_t i = 0; miss && miss->type == MSGPACK_OBJECT_ARRAY &&
	    i < miss->via.array.size && len < sizeof list - 1; i++) {
		const char *nm;
		int n;

		mp_text(&miss->via.array.ptr[i], code, sizeof code);
		nm = rd ? refdata_doc_name(rd, code) : code;
		n = snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "",
		    nm);
		if (n > 0)
			len += (size_t)n < sizeof list - len ? (size_t)n :
			    sizeof list - len - 1;
	}
	free(c->missing);
	c->missing = list[0] != '\0' ? strdup(list) : NULL;
}

/* application.get `clock`: {stage, days, due, left, state} or nil. */
static void
case_read_clock(struct case_screen *c, const msgpack_object *k)
{
	char stage[16];

	c->has_clock = k != NULL && k->type == MSGPACK_OBJECT_MAP;
	if (!c->has_clock)
		return;
	c->clock_left = (int)mp_int(mp_get(k, "left"), 0);
	c->clock_state = (int)mp_int(mp_get(k, "state"), 0);
	c->clock_stage = hr_stage_from_name(mp_text(mp_get(k, "stage"), stage,
	    sizeof stage));
	case_date(mp_get(k, "due"), c->clock_due, sizeof c->clock_due);
}

static void
case_read(struct case_screen *c, struct app *a, const msgpack_object *res)
{
	const msgpack_object *app = mp_get(res, "application");
	char st[64], nm[512];

	c->version = mp_int(mp_get(app, K_APP(VERSION)), 0);
	c->status = hr_status_from_name(mp_text(mp_get(app, "status"), st, sizeof st));
	free(c->reg_no);
	free(c->applicant);
	free(c->last_reason);
	c->reg_no = mp_strdup(mp_get(app, "reg_no"));
	c->applicant = strdup(case_name(mp_get(app, K_APP(APPLICANT)), nm, sizeof nm));
	c->last_reason = mp_strdup(mp_get(app, "last_reason"));
	c->editable = mp_bool(mp_get(res, "editable"), 0);
	c->has_decision = mp_get(res, "decision") != NULL &&
	    mp_get(res, "decision")->type == MSGPACK_OBJECT_MAP;
	c->may_tell = c->status == HR_ST_ANSWERED &&
	    app_session(a)->role >= 0 && (CASE_TELLERS &
	    HR_ROLE_BIT(app_session(a)->role));
	c->package_full = mp_bool(mp_get(app, "package_full"), 0);
	case_read_missing(c, a, mp_get(app, "missing"));
	case_read_actions(c, mp_get(res, "actions"));
	case_read_clock(c, mp_get(res, "clock"));
	case_build_body(c, a, app, mp_get(res, "decision"),
	    mp_get(res, "clocks"));
	case_build_history(c, a, mp_get(res, "history"), mp_get(res, "users"));
	case_scans_load(&c->scans, a, app, c->editable);
	c->loaded = 1;
	case_fkeys(c);
	if (c->print_on_load && c->modal == MODAL_NONE &&
	    (c->print = print_ui_app(c->id, c->has_decision)) != NULL) {
		c->print_on_load = 0;
		c->modal = MODAL_PRINT;
		case_fkeys(c);
	}
}

/*
 * Show what the cache holds for this application when it is newer than
 * what is shown (its etag differs), or the error of the load the user
 * waited for.
 */
static void
case_take_cached(struct case_screen *c, struct app *a)
{
	const msgpack_object *res = case_cache_get(c->id, NULL);
	const struct hr_error *e = case_cache_error(c->id);
	int64_t etag = mp_int(mp_get(res, "etag"), 0);

	if (res != NULL && (!c->loaded || etag != c->etag)) {
		c->etag = etag;
		c->load_error = HR_OK;
		case_read(c, a, res);
	} else if (res == NULL && e->code != HR_OK && !case_cache_pending(c->id)) {
		c->load_error = e->code;
	}
}

/* Load (again) from the server; the user waits. */
static void
case_load(struct case_screen *c, struct app *a)
{
	(void)case_cache_fetch(a, c->id, CASE_WAIT);
}

/*
 * Open: a copy fetched ahead (or a moment ago) shows at once, one older
 * than CASE_FRESH_MS is shown and checked by etag in the background, one
 * on its way is waited for, else it is fetched.
 */
static void
case_show(struct case_screen *c, struct app *a)
{
	long age = 0;

	if (case_cache_get(c->id, &age) != NULL) {
		case_take_cached(c, a);
		if (age > CASE_FRESH_MS)
			(void)case_cache_fetch(a, c->id, CASE_CHECK);
		return;
	}
	case_load(c, a);
}

/* Document names for the view come from the session's reference cache. */
static void
case_ref_reply(struct app *a, struct screen *s, const struct hr_msg *reply,
    const struct hr_error *err)
{
	(void)err;                      /* without names, codes will do */
	if (reply != NULL)
		case_show((struct case_screen *)s, a);
}

/* The application, after the reference data when they are not here yet. */
static void
case_open(struct case_screen *c, struct app *a)
{
	if (refdata_get(a) != NULL || refdata_fetch(a, case_ref_reply) != 0)
		case_show(c, a);
}

/* After a transition: say what happened, then show the application anew. */
static void
case_transition_reply(struct app *a, struct screen *s, const struct hr_msg *reply,
    const struct hr_error *err)
{
	struct case_screen *c = (struct case_screen *)s;
	char st[64], text[HR_ERROR_MSG_MAX + 256];

	if (reply == NULL)
		return;
	if (err->code == HR_OK) {
		int to = hr_status_from_name(mp_text(mp_get(&reply->result, "status"),
		    st, sizeof st));
		/* The journal's row follows at once; the case is loaded anew. */
		jrows_set_status(&journal_memo(app_session(a)->user)->rows, c->id, to);
		case_load(c, a);
		app_status(a, "%s: %s", _("Done. Status"), to >= 0 ?
		    hr_status_label(to) : st);
		return;
	}
	if (err->code == HR_E_CONFLICT || err->code == HR_E_STATE) {
		snprintf(text, sizeof text, "%s\n\n%s", err->code == HR_E_CONFLICT ?
		    _("Someone else changed this application while you were looking "
		    "at it. It has been reloaded: check it and try again.") :
		    _("The application is no longer in a status that allows this. "
		    "It has been reloaded."), app_error(err));
		app_message(a, _("The application has changed"), text);
		case_load(c, a);
		return;
	}
	app_message(a, _("The action was not done"), app_error(err));
}

static void
case_send_transition(struct case_screen *c, struct app *a)
{
	const struct case_action *ca = c->pending;
	char *reason = NULL;
	msgpack_packer *pk;

	if (ca == NULL)
		return;
	if (!textarea_blank(&c->reason))
		reason = textarea_text(&c->reason);
	pk = app_begin(a, HR_M_APPLICATION_TRANSITION);
	msgpack_pack_map(pk, 3 + (reason != NULL) + c->partial_ok);
	hr_pack_kv_int(pk, "id", c->id);
	hr_pack_kv_int(pk, "version", c->version);
	hr_pack_kv_str(pk, "action", hr_action_name(ca->action));
	if (reason != NULL)
		hr_pack_kv_str(pk, "reason", reason);
	if (c->partial_ok)                  /* the sender saw what is missing */
		hr_pack_kv_bool(pk, "partial", 1);
	c->partial_ok = 0;
	free(reason);
	if (app_send(a, case_transition_reply) == 0)
		app_status(a, "%s", _("Sending..."));
	c->pending = NULL;
}

/* After "the applicant was told": say so, show the application anew. */
static void
case_told_reply(struct app *a, struct screen *s, const struct hr_msg *reply,
    const struct hr_error *err)
{
	struct case_screen *c = (struct case_screen *)s;

	if (reply == NULL)
		return;
	app_status(a, NULL);
	if (err->code != HR_OK) {
		app_message(a, _("Not recorded"), app_error(err));
		if (err->code == HR_E_CONFLICT || err->code == HR_E_STATE)
			case_load(c, a);
		return;
	}
	case_load(c, a);
	app_status(a, "%s", _("Recorded: the applicant was told"));
}

/* ---- the action dialogs ---- */

static void
case_modal_close(struct case_screen *c)
{
	dialog_free(c->confirm);
	c->confirm = NULL;
	print_ui_free(c->print);
	c->print = NULL;
	notify_ui_free(c->notify);
	c->notify = NULL;
	c->modal = MODAL_NONE;
	c->reason_error = NULL;
	case_fkeys(c);
}

/* Does the action hand the case up the chain (a partial package needs a
 * confirmation, PROTOCOL.md "application.transition")? */
static int
case_sends_up(int action)
{
	return action == HR_ACT_SEND_OTG || action == HR_ACT_SEND_SPSZN;
}

/* The workflow row of `action` from the current status for this user. */
static const struct hr_transition *
case_transition(const struct case_screen *c, struct app *a, int action)
{
	return hr_workflow_find(c->status, action, app_session(a)->role);
}

static void
case_ask_confirm(struct case_screen *c, struct app *a)
{
	const struct case_action *ca = c->pending;
	const struct hr_transition *t = case_transition(c, a, ca->action);
	char text[2048], *reason = textarea_text(&c->reason);
	int n;

	int partial = case_sends_up(ca->action) && !c->package_full &&
	    c->missing != NULL;

	n = snprintf(text, sizeof text, "%s № %s\n%s\n\n%s: %s", _("Application"),
	    c->reg_no ? c->reg_no : "", c->applicant ? c->applicant : "",
	    _("New status"), t ? hr_status_label(t->to) : "?");
	if (reason != NULL && reason[0] != '\0' && n > 0 && (size_t)n < sizeof text)
		n += snprintf(text + n, sizeof text - (size_t)n, "\n%s: %s",
		    _("Reason"), reason);
	if (partial && n > 0 && (size_t)n < sizeof text)
		snprintf(text + n, sizeof text - (size_t)n, "\n\n%s\n%s: %s\n%s",
		    _("THE PACKAGE IS PARTIAL."), _("Missing"), c->missing,
		    _("Send it without these documents? The history will record "
		    "what is missing."));
	free(reason);
	dialog_free(c->confirm);
	c->partial_ok = partial;
	/* A partial package: a loud question whose default is "No". */
	c->confirm = dialog_new(DIALOG_YESNO, _(hr_action_label(ca->action)), text,
	    partial, !partial);
	c->modal = c->confirm ? MODAL_CONFIRM : MODAL_NONE;
	case_fkeys(c);
}

static void
case_start_action(struct case_screen *c, struct app *a,
    const struct case_action *ca)
{
	const struct hr_transition *t = case_transition(c, a, ca->action);

	c->pending = ca;
	textarea_set(&c->reason, "");
	c->reason_error = NULL;
	if (t != NULL && t->needs_reason) {
		c->modal = MODAL_REASON;
		case_fkeys(c);
		return;
	}
	case_ask_confirm(c, a);
}

static void
case_reason_key(struct case_screen *c, struct app *a, const struct key *k)
{
	if ((!k->is_key && k->ch == 27) || fkeys_number(k) == 9) {
		c->pending = NULL;
		case_modal_close(c);
		return;
	}
	if (key_is_enter(k) || fkeys_number(k) == 2) {
		if (textarea_blank(&c->reason)) {
			c->reason_error = N_("Write the reason: the person who gets "
			    "the application back reads it");
			return;
		}
		case_ask_confirm(c, a);
		return;
	}
	if (textarea_key(&c->reason, k))
		c->reason_error = NULL;
}

/* 1 when the question closed on an F-key that the case view then acts on
 * (dialog.h DIALOG_PASS; F9 only cancels, as its key bar says). */
static int
case_confirm_key(struct case_screen *c, struct app *a, const struct key *k)
{
	int r = fkeys_number(k) == 9 ? DIALOG_NO : dialog_key(c->confirm, k);

	if (r == DIALOG_OPEN)
		return 0;
	if (r == DIALOG_YES)
		case_send_transition(c, a);
	else {
		c->pending = NULL;
		c->partial_ok = 0;
	}
	case_modal_close(c);
	return r == DIALOG_PASS;
}

static void
case_draw_reason(struct case_screen *c, struct app *a, WINDOW *w)
{
	int y, x, bh = CASE_REASON_ROWS + 7, bw = 70, cy, cx;

	box_center(w, &y, &x, &bh, &bw);
	box_draw(w, y, x, bh, bw, _(hr_action_label(c->pending->action)), A_NORMAL);
	text_put(w, y + 1, x + 2, _("Reason of the return (required):"), bw - 4,
	    A_BOLD, 0);
	textarea_draw(&c->reason, w, y + 2, x + 2, CASE_REASON_ROWS, bw - 4, 1,
	    &cy, &cx);
	if (c->reason_error != NULL)
		text_put(w, y + 3 + CASE_REASON_ROWS, x + 2, _(c->reason_error),
		    bw - 4, A_BOLD | A_REVERSE, 0);
	text_put(w, y + bh - 2, x + 2, _("Enter: continue   Esc: cancel"), bw - 4,
	    A_NORMAL, 0);
	app_cursor(a, cy, cx);
}

/* ---- screen ---- */

static void
case_back(struct app *a)
{
	app_home(a);
}

/* Tab: the next view, round. */
static void
case_next_view(struct case_screen *c)
{
	c->view = (c->view + 1) % VIEW__COUNT;
	case_fkeys(c);
}

/* F3: the history, or back from it to the application. */
static void
case_history_view(struct case_screen *c)
{
	c->view = c->view == VIEW_HISTORY ? VIEW_APP : VIEW_HISTORY;
	case_fkeys(c);
}

static int
case_fkey(struct case_screen *c, struct app *a, int n)
{
	const struct case_action *ca;

	switch (n) {
	case 2:
		if ((c->print = print_ui_app(c->id, c->has_decision)) != NULL) {
			c->modal = MODAL_PRINT;
			case_fkeys(c);
		}
		return 1;
	case 3:
		case_history_view(c);
		return 1;
	case 4:
		if (c->editable)
			app_open_form(a, c->id);
		return 1;
	case 6:
		if (!c->may_tell || case_action_by_key(c, 6) != NULL)
			break;
		if ((c->notify = notify_ui_new(c->id, c->version)) != NULL) {
			c->modal = MODAL_NOTIFY;
			case_fkeys(c);
		}
		return 1;
	}
	if ((ca = case_action_by_key(c, n)) == NULL)
		return 0;
	if (!app_online(a))
		app_status(a, "%s", _("No connection to the server; try again when it is back"));
	else
		case_start_action(c, a, ca);
	return 1;
}

static int
case_key(struct screen *s, struct app *a, const struct key *k)
{
	struct case_screen *c = (struct case_screen *)s;
	int n = fkeys_number(k);

	if (c->modal == MODAL_REASON) {
		case_reason_key(c, a, k);
		return 1;
	}
	if (c->modal == MODAL_CONFIRM && !case_confirm_key(c, a, k))
		return 1;
	if (c->modal == MODAL_PRINT) {
		if (!print_ui_key(c->print, a, k))
			case_modal_close(c);
		return 1;
	}
	if (c->modal == MODAL_NOTIFY) {
		if (!notify_ui_key(c->notify, a, k, case_told_reply))
			case_modal_close(c);
		return 1;
	}
	if (case_scans_modal(&c->scans) && (case_scans_key(&c->scans, a, k) ||
	    case_scans_modal(&c->scans) || n == 0))
		return 1;       /* else an F-key closed its question: act on it */
	if (c->view == VIEW_SCANS && c->loaded && n != 9 && n != 3 &&
	    case_scans_key(&c->scans, a, k))
		return 1;
	if ((!k->is_key && k->ch == 27) || n == 9) {
		case_back(a);
		return 1;
	}
	if (!k->is_key && k->ch == L'\t') {
		case_next_view(c);
		return 1;
	}
	if (!k->is_key && k->ch == CTRL_KEY('r')) {
		case_load(c, a);
		return 1;
	}
	if (n != 0 && c->loaded)
		return case_fkey(c, a, n);
	if (c->view == VIEW_SCANS)
		return 0;
	return textview_key(c->view == VIEW_APP ? &c->body : &c->history, k);
}

/* A partial package: what is missing, in reverse video (the back
 * office checks completeness first).  Returns the rows used. */
/* "LABEL: TEXT" in reverse bold across the width, wrapped to at most
 * `most` lines; how many it took. */
static int
case_draw_banner(WINDOW *w, int y, int width, const char *label,
    const char *text, int most)
{
	struct textview tv;
	int h;

	textview_init(&tv);
	textview_add(&tv, 0, A_REVERSE | A_BOLD, "%s: %s", label, text);
	h = textview_lines(&tv, width - 2);
	h = h > most ? most : h;
	for (int i = 0; i < h; i++)
		text_put(w, y + i, 1, "", width - 2, A_REVERSE | A_BOLD, 1);
	textview_draw(&tv, w, y, 1, h, width - 2);
	textview_free(&tv);
	return h;
}

static int
case_draw_missing(struct case_screen *c, WINDOW *w, int y, int width)
{
	if (c->package_full || c->missing == NULL)
		return 0;
	return case_draw_banner(w, y, width, _("Partial package, missing"),
	    c->missing, 2);
}

/* The header; returns the rows used. */
static int
case_draw_head(struct case_screen *c, WINDOW *w, int y, int width)
{
	char buf[1024];
	int rows = 2, x;
	int returned = c->status == HR_ST_RETURNED_FRONT || c->status == HR_ST_RETURNED_OTG;

	snprintf(buf, sizeof buf, "%s № %s   %s: %s", _("Application"),
	    c->reg_no ? c->reg_no : "", _("Applicant"),
	    c->applicant ? c->applicant : "");
	text_put(w, y, 1, buf, width - 2, A_BOLD, 0);
	snprintf(buf, sizeof buf, "%s: %s", _("Status"),
	    c->status >= 0 ? hr_status_label(c->status) : "?");
	x = 1 + text_put(w, y + 1, 1, buf, width - 2, returned ? A_BOLD :
	    A_NORMAL, 0);
	if (c->has_clock) {
		/* the stage's clock, marked (not by colour alone): beside the
		 * status when it fits, else on a line of its own */
		char words[96];
		int cy = y + 1;

		snprintf(buf, sizeof buf, _("Deadline %s: %s"), c->clock_due,
		    clock_mark_words(c->clock_left, c->clock_state, words,
		    sizeof words));
		if (x + 3 + text_width(buf) <= width - 1) {
			x += 3;
		} else {
			cy = y + rows++;
			x = 1;
		}
		text_put(w, cy, x, buf, width - 1 - x,
		    clock_mark_attr(c->clock_state), 0);
	}
	if (returned && c->last_reason != NULL && c->last_reason[0] != '\0')
		rows += case_draw_banner(w, y + rows, width,
		    _("Reason of the return"), c->last_reason, 3);
	return rows + case_draw_missing(c, w, y + rows, width);
}

static void
case_draw_tabs(struct case_screen *c, WINDOW *w, int y, int width)
{
	char hist[128], scans[128];
	int x = 1;

	snprintf(hist, sizeof hist, " %s (%zu) ", _("History"), c->nhistory);
	snprintf(scans, sizeof scans, " %s (%zu) ", _("Scans"),
	    case_scans_count(&c->scans));
	x += text_put(w, y, x, _(" Application "), width - x,
	    c->view == VIEW_APP ? A_REVERSE : A_NORMAL, 0);
	x += text_put(w, y, x, " ", width - x, A_NORMAL, 0);
	x += text_put(w, y, x, scans, width - x,
	    c->view == VIEW_SCANS ? A_REVERSE : A_NORMAL, 0);
	x += text_put(w, y, x, " ", width - x, A_NORMAL, 0);
	x += text_put(w, y, x, hist, width - x,
	    c->view == VIEW_HISTORY ? A_REVERSE : A_NORMAL, 0);
	text_put(w, y, x + 2, _("(Tab: switch)"), width - x - 2, A_DIM, 0);
}

static void
case_draw(struct screen *s, struct app *a, WINDOW *w, int y, int h, int width)
{
	struct case_screen *c = (struct case_screen *)s;
	int used;

	if (c->width != width) {
		c->width = width;
		case_fkeys(c);
	}
	if (!c->loaded) {
		text_center(w, y + h / 2, 0, width, c->load_error ?
		    app_error_text(c->load_error) : _("Loading..."), A_BOLD);
		if (c->load_error)
			text_center(w, y + h / 2 + 2, 0, width,
			    _("Esc or F9: back to the journal"), A_NORMAL);
		return;
	}
	used = case_draw_head(c, w, y, width);
	case_draw_tabs(c, w, y + used, width);
	used += 1;
	if (c->view == VIEW_SCANS) {
		case_scans_refresh(&c->scans, a);    /* the progress moves */
		case_scans_draw(&c->scans, a, w, y + used, h - used, width);
	} else
		textview_draw(c->view == VIEW_APP ? &c->body : &c->history, w,
		    y + used, 1, h - used, width - 2);
	if (c->modal == MODAL_REASON)
		case_draw_reason(c, a, w);
	else if (c->modal == MODAL_CONFIRM)
		dialog_draw(c->confirm, w);
	else if (c->modal == MODAL_PRINT || c->modal == MODAL_NOTIFY) {
		int cy = -1, cx = -1;
		if (c->modal == MODAL_PRINT)
			print_ui_draw(c->print, w, &cy, &cx);
		else
			notify_ui_draw(c->notify, w, &cy, &cx);
		if (cy >= 0)
			app_cursor(a, cy, cx);
	}
	else if (case_scans_modal(&c->scans))
		case_scans_draw_modal(&c->scans, a, w);
}

static void
case_event(struct screen *s, struct app *a, enum app_event ev,
    const struct hr_error *err)
{
	struct case_screen *c = (struct case_screen *)s;

	(void)err;
	if (ev == APP_EV_DATA) {
		case_take_cached(c, a);
		return;
	}
	if (ev == APP_EV_UPLOADED) {          /* a scan ended: show it */
		if (c->loaded)
			(void)case_cache_fetch(a, c->id, CASE_CHECK);
		return;
	}
	if (ev != APP_EV_SHOWN && ev != APP_EV_RESUMED)
		return;
	journal_memo(app_session(a)->user)->opened_id = c->id;
	if (ev == APP_EV_RESUMED)
		case_load(c, a);
	else
		case_open(c, a);
}

static void
case_free(struct screen *s)
{
	struct case_screen *c = (struct case_screen *)s;

	textview_free(&c->body);
	textview_free(&c->history);
	textarea_free(&c->reason);
	dialog_free(c->confirm);
	print_ui_free(c->print);
	notify_ui_free(c->notify);
	case_scans_free(&c->scans);
	free(c->reg_no);
	free(c->applicant);
	free(c->last_reason);
	free(c->missing);
	free(c);
}

static const struct screen_ops case_ops = {
	.draw = case_draw,
	.key = case_key,
	.event = case_event,
	.free = case_free,
	.help_topic = HELP_CASE,
};

struct screen *
screen_case_new(struct app *a, int64_t application_id)
{
	struct case_screen *c = calloc(1, sizeof *c);

	(void)a;
	if (c == NULL)
		return NULL;
	if (textarea_init(&c->reason, CASE_REASON_MAX) != 0) {
		free(c);
		return NULL;
	}
	c->ops = case_ops;
	c->base.ops = &c->ops;
	case_scans_init(&c->scans);
	c->id = application_id;
	c->status = -1;
	c->width = 80;
	textview_init(&c->body);
	textview_init(&c->history);
	case_fkeys(c);
	return &c->base;
}

struct screen *
screen_case_print(struct app *a, int64_t application_id)
{
	struct screen *s = screen_case_new(a, application_id);

	if (s != NULL)
		((struct case_screen *)s)->print_on_load = 1;
	return s;
}
