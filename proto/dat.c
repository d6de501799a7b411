/*
 * dat.c — the *.DAT parser: a whole exchange file in, checked records out
 * (dat.h; man/hromada-dat.5 is the format).
 *
 * The input is untrusted.  The order of work bounds everything before it is
 * allocated: the file's size, then one pass that finds the lines (each at
 * most HR_DAT_LINE_MAX) and counts records by kind, then one allocation per
 * array sized by those counts and an arena of 4 bytes per input byte for
 * the decoded strings (decoding at most triples a field, plus its NUL).
 * Then each line is split at unescaped `|`, its fields are decoded into the
 * arena and checked one by one; the first problem stops the parse with
 * "line N, field F: what is wrong".  The END line's count and CRC-32 are
 * compared last, so a truncated or altered file never yields records.
 */
#include "proto/dat_priv.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/filetype.h"
#include "proto/ident.h"

const char *const dat_header_fields[H__N] = { "magic", "version", "kind",
	"charset", "system", "number", "office", "created", "count" };
const char *const dat_app_fields[A__N] = { "tag", "id", "reg_no", "service",
	"pay_method", "iban", "post_office", "phone" };
const char *const dat_person_fields[P__N] = { "tag", "member", "relation",
	"surname", "name", "patronymic", "birth_date", "sex", "rnokpp",
	"doc_type", "doc_number", "unzr", "reg_address", "act_address" };
const char *const dat_income_fields[I__N] = { "tag", "member", "type",
	"period_from", "period_to", "amount" };
const char *const dat_scan_fields[S__N] = { "tag", "doc", "type", "size",
	"hash" };
const char *const dat_answer_fields[D__N] = { "tag", "id", "reg_no",
	"decision", "amount", "period_from", "period_to", "reason" };
const char *const dat_end_fields[E__N] = { "tag", "count", "crc32" };

const char *const dat_kind_names[] = { [HR_DAT_EXPORT] = "export",
	[HR_DAT_ANSWER] = "answer", NULL };
const char *const dat_charset_names[] = { [HR_DAT_UTF8] = "UTF-8",
	[HR_DAT_CP1251] = "CP1251", NULL };

static const char *const decision_names[] = { NULL, "assigned", "refused",
	"registered", "registration_refused", NULL };
static const char *const decision_labels[] = { NULL, "assigned", "refused",
	"registered as a beneficiary", "registration refused" };
static const char *const relations[] = { "spouse", "child", "parent",
	"sibling", "other", NULL };
static const char *const income_types[] = { "salary", "pension", "benefit",
	"alimony", "business", "other", NULL };
static const char *const doc_types[] = { NULL, "passport", "id_card",
	"birth_cert", NULL };   /* by enum hr_doc_kind */
static const char *const pay_methods[] = { "bank", "post", NULL };
static const char *const sexes[] = { "M", "F", NULL };

/* What each decision needs: 1 required, 0 optional, -1 must be empty. */
static const struct {
	int amount, period_from, period_to, reason;
} decision_rules[HR_DEC__END] = {
	[HR_DEC_ASSIGNED]              = {  1, 1, 1,  0 },
	[HR_DEC_REFUSED]               = { -1, 0, 0,  1 },
	[HR_DEC_REGISTERED]            = { -1, 1, 0,  0 },
	[HR_DEC_REGISTRATION_REFUSED]  = { -1, 0, 0,  1 },
};

const char *
hr_decision_name(int d)
{
	return d > 0 && d < HR_DEC__END ? decision_names[d] : NULL;
}

const char *
hr_decision_label(int d)
{
	return d > 0 && d < HR_DEC__END ? decision_labels[d] : NULL;
}

/* Index of s in a NULL-terminated list starting at `from`, or -1. */
static int
list_find(const char *const *list, int from, const char *s)
{
	for (int i = from; list[i] != NULL; i++)
		if (strcmp(list[i], s) == 0)
			return i;
	return -1;
}

int
hr_decision_from_name(const char *s)
{
	return s != NULL ? list_find(decision_names, 1, s) : -1;
}

/* ---- the parse state ---------------------------------------------------- */

struct parse {
	const char         *data;
	size_t              len;
	struct hr_dat      *d;
	struct hr_error    *err;
	unsigned            line;       /* 1-based number of the current line */
	size_t              line_off;   /* where the current line starts */
	const char *const  *names;      /* field names of the current line */
	size_t              nf;         /* fields on the current line */
	char               *f[DAT_FIELDS_MAX];
	size_t              flen[DAT_FIELDS_MAX];
	size_t              arena_used, arena_cap;
	size_t              napps, npersons, nincome, nscans, nanswers;
	int                 in_income;  /* current application reached its I lines */
	int                 in_scans;   /* ... and its S lines */
	int                 ended;      /* the END line was read */
};

/* The context of an error on the current line: "line N: ..." or "line N,
 * field F: ..." (field < 0: the line as a whole). */
static int
context(struct parse *p, int field)
{
	if (field < 0)
		return hr_error_prefix(p->err, "line {line}",
		    HR_INT("line", p->line));
	return hr_error_prefix(p->err, "line {line}, field {field}",
	    HR_INT("line", p->line), HR_STR("field", p->names[field]));
}

/* A problem of the current line: fail(p, field, id, HR_MSGID(text), values). */
#define fail(p, field, id, text, ...) \
	fail_args((p), (field), (id), (text), \
	    (const struct hr_error_arg[]){ __VA_ARGS__ __VA_OPT__(,) { 0, 0, 0 } })

static int
fail_args(struct parse *p, int field, const char *id, const char *text,
    const struct hr_error_arg *args)
{
	hr_error_make(p->err, HR_E_INVALID, id, text, args);
	return context(p, field);
}

/* A validator's error under the line/field context. */
static int
fail_with(struct parse *p, int field, const struct hr_error *e)
{
	if (p->err != NULL) {
		*p->err = *e;
		p->err->code = HR_E_INVALID;
	}
	return context(p, field);
}

/* ---- field checks -------------------------------------------------------- */

static int
is_blank(const char *s)
{
	return s[strspn(s, " \t")] == '\0';
}

/* Decimal digits only (no sign), min..max, never empty. */
static int
f_int(struct parse *p, int i, int64_t min, int64_t max, int64_t *out)
{
	const char *s = p->f[i];
	int64_t     v = 0;

	if (p->flen[i] == 0 || p->flen[i] > 19)
		return fail(p, i, "dat.int_form",
		    HR_MSGID("write a whole number of 1 to 19 digits"));
	for (size_t k = 0; k < p->flen[i]; k++) {
		if (s[k] < '0' || s[k] > '9')
			return fail(p, i, "dat.not_integer",
			    HR_MSGID("\"{value}\" is not a whole number "
			    "(digits only)"), HR_STR("value", s));
		if (v > (INT64_MAX - (s[k] - '0')) / 10)
			return fail(p, i, "dat.int_too_large",
			    HR_MSGID("{value} is too large"), HR_STR("value", s));
		v = v * 10 + (s[k] - '0');
	}
	if (v < min || v > max)
		return fail(p, i, "dat.int_range",
		    HR_MSGID("{value} is out of range {min}..{max}"),
		    HR_INT("value", v), HR_INT("min", min), HR_INT("max", max));
	*out = v;
	return 0;
}

/* Free text within `max` bytes; not blank when required. */
static int
f_text(struct parse *p, int i, size_t max, int required)
{
	if (p->flen[i] > max)
		return fail(p, i, "dat.too_long",
		    HR_MSGID("longer than {max} bytes"), HR_INT("max", max));
	if (required && is_blank(p->f[i]))
		return fail(p, i, "dat.empty", HR_MSGID("must not be empty"));
	return 0;
}

/* Must be empty; `why` is an English phrase HR_MSGID marks. */
static int
f_empty(struct parse *p, int i, const char *why)
{
	return p->flen[i] == 0 ? 0 : fail(p, i, "dat.not_empty",
	    HR_MSGID("must be empty {label}"), HR_STR("label", why));
}

/* One of a NULL-terminated list (starting at `from`); *out its index. */
static int
f_oneof(struct parse *p, int i, const char *const *list, int from, int *out)
{
	char allowed[160] = "";

	if ((*out = list_find(list, from, p->f[i])) >= 0)
		return 0;
	for (int k = from; list[k] != NULL; k++)
		snprintf(allowed + strlen(allowed), sizeof allowed -
		    strlen(allowed), "%s%s", k > from ? ", " : "", list[k]);
	return fail(p, i, "dat.not_one_of",
	    HR_MSGID("\"{value}\" is not one of {allowed}"),
	    HR_STR("value", p->f[i]), HR_STR("allowed", allowed));
}

/* YYYY-MM-DD, a real day.  Empty is allowed when !required (d->y = 0). */
static int
f_date(struct parse *p, int i, int required, struct hr_date *d)
{
	const char *s = p->f[i];
	struct hr_error e;

	d->y = d->m = d->d = 0;
	if (p->flen[i] == 0 && !required)
		return 0;
	if (p->flen[i] != 10 || s[4] != '-' || s[7] != '-')
		return fail(p, i, "dat.date_form",
		    HR_MSGID("write the date as YYYY-MM-DD"));
	if (hr_date_parse(s, 10, HR_MSGID("date"), d, &e) < 0)
		return fail_with(p, i, &e);
	return 0;
}

static int
f_period(struct parse *p, int from, int to, int need_from, int need_to)
{
	struct hr_date a, b;

	if (f_date(p, from, need_from, &a) < 0 ||
	    f_date(p, to, need_to, &b) < 0)
		return -1;
	if (a.y != 0 && b.y != 0 && hr_date_cmp(&a, &b) > 0)
		return fail(p, to, "dat.period_order",
		    HR_MSGID("the period ends before it starts ({date})"),
		    HR_STR("date", p->f[from]));
	if (a.y == 0 && b.y != 0)
		return fail(p, from, "dat.period_start",
		    HR_MSGID("a period with an end needs a start"));
	return 0;
}

/* Kopecks: digits only (no sign, no separator). */
static int
f_amount(struct parse *p, int i, int64_t *out)
{
	if (p->flen[i] == 0)
		return fail(p, i, "dat.amount_empty",
		    HR_MSGID("must not be empty (kopecks, digits only)"));
	return f_int(p, i, 0, INT64_MAX, out);
}

/* Whatever canonical form `norm` gives must be the field itself. */
typedef int norm_fn(const char *, size_t, char *, size_t, struct hr_error *);

static int
f_canonical(struct parse *p, int i, norm_fn *norm)
{
	char canon[64];
	struct hr_error e;

	if (norm(p->f[i], p->flen[i], canon, sizeof canon, &e) < 0)
		return fail_with(p, i, &e);
	if (strcmp(canon, p->f[i]) != 0)
		return fail(p, i, "dat.canonical",
		    HR_MSGID("write it in canonical form: {value}"),
		    HR_STR("value", canon));
	return 0;
}

/* "NNNNN/YYYY": the hromada's journal number. */
static int
f_reg_no(struct parse *p, int i)
{
	const char *s = p->f[i], *slash = strchr(s, '/');
	size_t      k = slash != NULL ? (size_t)(slash - s) : 0;

	if (slash == NULL || k == 0 || k > 10 || strlen(slash + 1) != 4 ||
	    strspn(s, "0123456789") != k ||
	    strspn(slash + 1, "0123456789") != 4)
		return fail(p, i, "dat.reg_no",
		    HR_MSGID("\"{value}\" is not a journal number NNNNN/YYYY"),
		    HR_STR("value", s));
	return 0;
}

/* ---- lines and fields ---------------------------------------------------- */

/* Bounds of the line at p->line_off; 0 at the end of data. */
static int
line_bounds(struct parse *p, size_t *n, size_t *next)
{
	const char *s = p->data + p->line_off;
	size_t      left = p->len - p->line_off;
	const char *nl = memchr(s, '\n', left);

	if (left == 0)
		return 0;
	if (nl == NULL) {
		if (left > HR_DAT_LINE_MAX)
			return fail(p, -1, "dat.line_too_long",
			    HR_MSGID("longer than {max} bytes"),
			    HR_INT("max", HR_DAT_LINE_MAX));
		return fail(p, -1, "dat.truncated",
		    HR_MSGID("the file is truncated: its last line has no end"));
	}
	*n = (size_t)(nl - s);
	*next = p->line_off + *n + 1;
	if (*n > 0 && s[*n - 1] == '\r')
		(*n)--;
	if (*n > HR_DAT_LINE_MAX)
		return fail(p, -1, "dat.line_too_long",
		    HR_MSGID("longer than {max} bytes"),
		    HR_INT("max", HR_DAT_LINE_MAX));
	return 1;
}

/* Name of field i before the line is fully split: by the line's tag. */
static const char *
field_name(struct parse *p, size_t i, char num[24])
{
	static const struct {
		const char        *tag;
		const char *const *names;
		size_t             n;
	} by_tag[] = {
		{ "A", dat_app_fields, A__N }, { "P", dat_person_fields, P__N },
		{ "I", dat_income_fields, I__N }, { "S", dat_scan_fields, S__N },
		{ "D", dat_answer_fields, D__N },
		{ "END", dat_end_fields, E__N },
	};
	if (p->line == 1 && i < H__N)
		return dat_header_fields[i];
	for (size_t k = 0; p->nf > 0 && k < sizeof by_tag / sizeof by_tag[0]; k++)
		if (strcmp(p->f[0], by_tag[k].tag) == 0 && i < by_tag[k].n)
			return by_tag[k].names[i];
	snprintf(num, 24, "%zu", i + 1);
	return num;
}

/* Split s[0..n) at unescaped `|` and decode each field into the arena. */
static int
line_split(struct parse *p, const char *s, size_t n)
{
	enum hr_dat_charset cs = p->d->hdr.charset;
	struct hr_error e;
	size_t start = 0;
	char num[24];

	p->nf = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && s[i] == '\\' && i + 1 < n) {
			i++;
			continue;
		}
		if (i < n && s[i] != '|')
			continue;
		if (p->nf == DAT_FIELDS_MAX)
			return fail(p, -1, "dat.too_many_fields",
			    HR_MSGID("more than {max} fields"),
			    HR_INT("max", DAT_FIELDS_MAX));
		p->f[p->nf] = p->d->arena_ + p->arena_used;
		if (dat_field_decode(s + start, i - start, cs, p->f[p->nf],
		    &p->flen[p->nf], &e) < 0) {
			if (p->err != NULL) {
				*p->err = e;
				p->err->code = HR_E_INVALID;
			}
			return hr_error_prefix(p->err,
			    "line {line}, field {field}", HR_INT("line", p->line),
			    HR_STR("field", field_name(p, p->nf, num)));
		}
		p->arena_used += p->flen[p->nf] + 1;
		p->nf++;
		start = i + 1;
	}
	return 0;
}

/* Fields are known by name from here on; their number must be right.
 * `what` names the line: an English phrase HR_MSGID marks. */
static int
line_expect(struct parse *p, const char *const *names, size_t n,
    const char *what)
{
	p->names = names;
	if (p->nf != n)
		return fail(p, -1, "dat.field_count",
		    HR_MSGID("{label} has {count} fields, expected {expected}"),
		    HR_STR("label", what), HR_INT("count", p->nf),
		    HR_INT("expected", n));
	return 0;
}

/* ---- the header ---------------------------------------------------------- */

/* Two digits at s, at most `max`; -1 otherwise. */
static int
two_digits(const char *s, int max)
{
	int v;

	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	v = (s[0] - '0') * 10 + (s[1] - '0');
	return v <= max ? v : -1;
}

static int
parse_created(struct parse *p, int i, int64_t *out)
{
	const char *s = p->f[i];
	struct hr_date d, epoch = { 1970, 1, 1 };
	int hh = -1, mm = -1, ss = -1;

	if (p->flen[i] == 20 && s[10] == 'T' && s[13] == ':' &&
	    s[16] == ':' && s[19] == 'Z') {
		hh = two_digits(s + 11, 23);
		mm = two_digits(s + 14, 59);
		ss = two_digits(s + 17, 59);
	}
	if (hh < 0 || mm < 0 || ss < 0 || s[4] != '-' || s[7] != '-' ||
	    hr_date_parse(s, 10, NULL, &d, NULL) < 0)
		return fail(p, i, "dat.time_form",
		    HR_MSGID("write the time as YYYY-MM-DDTHH:MM:SSZ (UTC)"));
	*out = ((int64_t)hr_date_to_days(&d) - hr_date_to_days(&epoch)) *
	    86400 + hh * 3600 + mm * 60 + ss;
	return 0;
}

static int
parse_office(struct parse *p, int i)
{
	if (hr_katottg_check(p->f[i], p->flen[i], NULL) == 0 ||
	    (p->flen[i] >= 1 && p->flen[i] <= 18 &&
	    strspn(p->f[i], "0123456789") == p->flen[i]))
		return 0;
	return fail(p, i, "dat.office",
	    HR_MSGID("the back office is its КАТОТТГ (UA + 17 digits) or its "
	    "number"));
}

static int
parse_header_fields(struct parse *p, struct hr_dat_header *h)
{
	int64_t v;
	int     k;

	if (p->nf < 1 || strcmp(p->f[H_MAGIC], DAT_MAGIC) != 0)
		return fail(p, -1, "dat.magic",
		    HR_MSGID("not a *.DAT exchange file (it must start with "
		    "{magic})"), HR_STR("magic", DAT_MAGIC));
	if (line_expect(p, dat_header_fields, H__N,
	    HR_MSGID("the header")) < 0 ||
	    f_int(p, H_VERSION, 1, 99, &v) < 0)
		return -1;
	if (v != HR_DAT_VERSION)
		return fail(p, H_VERSION, "dat.version",
		    HR_MSGID("version {version} is not supported (this program "
		    "reads version {supported})"), HR_INT("version", v),
		    HR_INT("supported", HR_DAT_VERSION));
	h->version = (int)v;
	if (f_oneof(p, H_KIND, dat_kind_names, HR_DAT_EXPORT, &k) < 0)
		return -1;
	h->kind = (enum hr_dat_kind)k;
	if (f_oneof(p, H_CHARSET, dat_charset_names, 0, &k) < 0)
		return -1;
	h->charset = (enum hr_dat_charset)k;
	if (!dat_is_token(p->f[H_SYSTEM], p->flen[H_SYSTEM],
	    HR_DAT_SYSTEM_MAX - 1))
		return fail(p, H_SYSTEM, "dat.system_form",
		    HR_MSGID("a system name is 1 to {max} of a-z, 0-9, _"),
		    HR_INT("max", HR_DAT_SYSTEM_MAX - 1));
	memcpy(h->system, p->f[H_SYSTEM], p->flen[H_SYSTEM] + 1);
	if (p->flen[H_NUMBER] != 6)
		return fail(p, H_NUMBER, "dat.number_form",
		    HR_MSGID("the exchange number has 6 digits"));
	if (f_int(p, H_NUMBER, 1, HR_DAT_NUMBER_MAX, &v) < 0)
		return -1;
	h->number = (uint32_t)v;
	if (parse_office(p, H_OFFICE) < 0)
		return -1;
	memcpy(h->office, p->f[H_OFFICE], p->flen[H_OFFICE] + 1);
	if (parse_created(p, H_CREATED, &h->created) < 0 ||
	    f_int(p, H_COUNT, 0, HR_DAT_RECORDS_MAX, &v) < 0)
		return -1;
	h->count = (uint32_t)v;
	return 0;
}

/* ---- export records ------------------------------------------------------ */

/* The application before the next A line or END: has its applicant? */
static int
app_close(struct parse *p)
{
	if (p->napps > 0 && p->d->apps[p->napps - 1].npersons == 0)
		return fail(p, -1, "dat.no_applicant",
		    HR_MSGID("application {reg_no} has no applicant (a P line "
		    "with member 0)"),
		    HR_STR("reg_no", p->d->apps[p->napps - 1].reg_no));
	return 0;
}

static int
parse_payment(struct parse *p, struct hr_dat_app *a)
{
	int k;

	if (p->flen[A_PAY_METHOD] == 0)
		return f_empty(p, A_IBAN, "without pay_method") < 0 ||
		    f_empty(p, A_POST_OFFICE, "without pay_method") < 0 ? -1 : 0;
	if (f_oneof(p, A_PAY_METHOD, pay_methods, 0, &k) < 0)
		return -1;
	if (k == 0 && (f_empty(p, A_POST_OFFICE, "for bank") < 0 ||
	    f_canonical(p, A_IBAN, hr_iban_normalize) < 0))
		return -1;
	if (k == 1 && (f_empty(p, A_IBAN, "for post") < 0 ||
	    f_text(p, A_POST_OFFICE, 200, 1) < 0))
		return -1;
	a->pay_method = p->f[A_PAY_METHOD];
	a->iban = p->f[A_IBAN];
	a->post_office = p->f[A_POST_OFFICE];
	return 0;
}

static int
parse_app(struct parse *p)
{
	struct hr_dat_app *a;

	if (line_expect(p, dat_app_fields, A__N, HR_MSGID("an A record")) < 0 ||
	    app_close(p) < 0)
		return -1;
	if (p->napps == HR_DAT_RECORDS_MAX)
		return fail(p, -1, "dat.too_many_records",
		    HR_MSGID("more than {max} records"),
		    HR_INT("max", HR_DAT_RECORDS_MAX));
	a = &p->d->apps[p->napps];
	a->line = p->line;
	a->persons = p->d->persons_ + p->npersons;
	a->income = p->d->income_ + p->nincome;
	a->scans = p->d->scans_ + p->nscans;
	if (f_int(p, A_ID, 1, INT64_MAX, &a->id) < 0 ||
	    f_reg_no(p, A_REG_NO) < 0)
		return -1;
	a->reg_no = p->f[A_REG_NO];
	if (!dat_is_token(p->f[A_SERVICE], p->flen[A_SERVICE], 63))
		return fail(p, A_SERVICE, "dat.service_form",
		    HR_MSGID("a service code is 1 to 63 of a-z, 0-9, _"));
	a->service = p->f[A_SERVICE];
	if (parse_payment(p, a) < 0)
		return -1;
	if (p->flen[A_PHONE] > 0 &&
	    f_canonical(p, A_PHONE, hr_phone_normalize) < 0)
		return -1;
	a->phone = p->f[A_PHONE];
	p->napps++;
	p->in_income = 0;
	p->in_scans = 0;
	return 0;
}

/* The current application for a P or I line. */
static struct hr_dat_app *
cur_app(struct parse *p, const char *what)
{
	if (p->napps == 0) {
		fail(p, -1, "dat.no_a_line",
		    HR_MSGID("{tag} line before the first A line"),
		    HR_STR("tag", what));
		return NULL;
	}
	return &p->d->apps[p->napps - 1];
}

static int
parse_person_ids(struct parse *p, struct hr_dat_person *x,
    const struct hr_date *birth)
{
	struct hr_error e;
	int k;

	x->rnokpp_refused = strcmp(p->f[P_RNOKPP], DAT_REFUSED) == 0;
	x->rnokpp = x->rnokpp_refused ? "" : p->f[P_RNOKPP];
	if (!x->rnokpp_refused && p->flen[P_RNOKPP] > 0 &&
	    hr_rnokpp_match(p->f[P_RNOKPP], p->flen[P_RNOKPP], birth,
	    x->sex == 'M' ? HR_SEX_MALE : HR_SEX_FEMALE, &e) < 0)
		return fail_with(p, P_RNOKPP, &e);
	if (p->flen[P_DOC_TYPE] == 0) {
		if (f_empty(p, P_DOC_NUMBER, HR_MSGID("without doc_type")) < 0)
			return -1;
	} else {
		char canon[HR_DOCNUM_STR_MAX];

		if (f_oneof(p, P_DOC_TYPE, doc_types, 1, &k) < 0)
			return -1;
		if (hr_docnum_normalize(k, p->f[P_DOC_NUMBER],
		    p->flen[P_DOC_NUMBER], canon, sizeof canon, &e) < 0)
			return fail_with(p, P_DOC_NUMBER, &e);
		if (strcmp(canon, p->f[P_DOC_NUMBER]) != 0)
			return fail(p, P_DOC_NUMBER, "dat.canonical",
			    HR_MSGID("write it in canonical form: {value}"),
			    HR_STR("value", canon));
	}
	if (x->rnokpp[0] == '\0' && p->flen[P_DOC_NUMBER] == 0)
		return fail(p, P_DOC_NUMBER, "dat.no_identifier",
		    HR_MSGID("a person without an РНОКПП needs an identity "
		    "document"));
	if (p->flen[P_UNZR] > 0 && hr_unzr_match(p->f[P_UNZR],
	    p->flen[P_UNZR], birth, &e) < 0)
		return fail_with(p, P_UNZR, &e);
	x->doc_type = p->f[P_DOC_TYPE];
	x->doc_number = p->f[P_DOC_NUMBER];
	x->unzr = p->f[P_UNZR];
	return 0;
}

static int
parse_person(struct parse *p)
{
	struct hr_dat_app    *a = cur_app(p, "P");
	struct hr_dat_person *x;
	struct hr_date        birth;
	int64_t               m;
	int                   k;

	if (a == NULL || line_expect(p, dat_person_fields, P__N,
	    HR_MSGID("a P record")) < 0)
		return -1;
	if (p->in_income || p->in_scans)
		return fail(p, -1, "dat.p_after_i",
		    HR_MSGID("P lines come before the I and S lines of their "
		    "application"));
	if (f_int(p, P_MEMBER, 0, HR_DAT_MEMBERS_MAX, &m) < 0)
		return -1;
	if ((size_t)m != a->npersons)
		return fail(p, P_MEMBER, "dat.member_order",
		    HR_MSGID("expected member {member} (0 the applicant, then "
		    "1, 2, ... in order)"), HR_INT("member", a->npersons));
	x = &p->d->persons_[p->npersons];
	x->member = (int)m;
	if (m == 0 ? f_empty(p, P_RELATION, HR_MSGID("for the applicant")) < 0 :
	    f_oneof(p, P_RELATION, relations, 0, &k) < 0)
		return -1;
	if (f_text(p, P_SURNAME, 64, 1) < 0 || f_text(p, P_NAME, 64, 1) < 0 ||
	    f_text(p, P_PATRONYMIC, 64, 0) < 0 ||
	    f_date(p, P_BIRTH_DATE, 1, &birth) < 0 ||
	    f_oneof(p, P_SEX, sexes, 0, &k) < 0)
		return -1;
	x->sex = p->f[P_SEX][0];
	if (parse_person_ids(p, x, &birth) < 0 ||
	    f_text(p, P_REG_ADDRESS, 300, 0) < 0 ||
	    f_text(p, P_ACT_ADDRESS, 300, 0) < 0)
		return -1;
	x->relation = p->f[P_RELATION];
	x->surname = p->f[P_SURNAME];
	x->name = p->f[P_NAME];
	x->patronymic = p->f[P_PATRONYMIC];
	x->birth_date = p->f[P_BIRTH_DATE];
	x->reg_address = p->f[P_REG_ADDRESS];
	x->act_address = p->f[P_ACT_ADDRESS];
	a->npersons++;
	p->npersons++;
	return 0;
}

static int
parse_income(struct parse *p)
{
	struct hr_dat_app    *a = cur_app(p, "I");
	struct hr_dat_income *r;
	int64_t               m;
	int                   k;

	if (a == NULL || line_expect(p, dat_income_fields, I__N,
	    HR_MSGID("an I record")) < 0)
		return -1;
	if (p->in_scans)
		return fail(p, -1, "dat.i_after_s",
		    HR_MSGID("I lines come before the S lines of their "
		    "application"));
	if (a->nincome == HR_DAT_INCOME_MAX)
		return fail(p, -1, "dat.too_many_income",
		    HR_MSGID("more than {max} income rows in application "
		    "{reg_no}"), HR_INT("max", HR_DAT_INCOME_MAX),
		    HR_STR("reg_no", a->reg_no));
	if (f_int(p, I_MEMBER, 0, HR_DAT_MEMBERS_MAX, &m) < 0)
		return -1;
	if ((size_t)m >= a->npersons)
		return fail(p, I_MEMBER, "dat.no_member",
		    HR_MSGID("application {reg_no} has no member {member}"),
		    HR_STR("reg_no", a->reg_no), HR_INT("member", m));
	r = &p->d->income_[p->nincome];
	r->member = (int)m;
	if (f_oneof(p, I_TYPE, income_types, 0, &k) < 0 ||
	    f_period(p, I_PERIOD_FROM, I_PERIOD_TO, 1, 1) < 0 ||
	    f_amount(p, I_AMOUNT, &r->amount) < 0)
		return -1;
	r->type = p->f[I_TYPE];
	r->period_from = p->f[I_PERIOD_FROM];
	r->period_to = p->f[I_PERIOD_TO];
	a->nincome++;
	p->nincome++;
	p->in_income = 1;
	return 0;
}

/* A BLAKE2b-256 hash as the S line writes it: 64 lower-case hex digits. */
static int
is_hash_hex(const char *s, size_t n)
{
	if (n != 64)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

static int
parse_scan(struct parse *p)
{
	struct hr_dat_app  *a = cur_app(p, "S");
	struct hr_dat_scan *r;

	if (a == NULL || line_expect(p, dat_scan_fields, S__N,
	    HR_MSGID("an S record")) < 0)
		return -1;
	if (a->npersons == 0)
		return fail(p, -1, "dat.s_before_p",
		    HR_MSGID("S lines come after the P lines of their "
		    "application"));
	if (a->nscans == HR_DAT_SCANS_MAX)
		return fail(p, -1, "dat.too_many_scans",
		    HR_MSGID("more than {max} attached files in application "
		    "{reg_no}"), HR_INT("max", HR_DAT_SCANS_MAX),
		    HR_STR("reg_no", a->reg_no));
	r = &p->d->scans_[p->nscans];
	if (!dat_is_token(p->f[S_DOC], p->flen[S_DOC], 63))
		return fail(p, S_DOC, "dat.doc_form",
		    HR_MSGID("a document code is 1 to 63 of a-z, 0-9, _"));
	if (hr_filetype_from_name(p->f[S_TYPE]) == HR_FT_NONE)
		return fail(p, S_TYPE, "dat.scan_type",
		    HR_MSGID("\"{value}\" is not jpeg, png, pdf or tiff"),
		    HR_STR("value", p->f[S_TYPE]));
	if (f_int(p, S_SIZE, 1, INT64_C(1) << 40, &r->size) < 0)
		return -1;
	if (!is_hash_hex(p->f[S_HASH], p->flen[S_HASH]))
		return fail(p, S_HASH, "dat.scan_hash",
		    HR_MSGID("a hash is 64 lower-case hex digits (BLAKE2b-256)"));
	r->doc = p->f[S_DOC];
	r->type = p->f[S_TYPE];
	r->hash = p->f[S_HASH];
	a->nscans++;
	p->nscans++;
	p->in_scans = 1;
	return 0;
}

/* ---- answer records ------------------------------------------------------ */

/* -1 must be empty, 0 optional, 1 required. */
static int
f_rule(struct parse *p, int i, int rule, const char *decision)
{
	if (rule < 0 && p->flen[i] > 0)
		return fail(p, i, "dat.decision_field",
		    HR_MSGID("must be empty for {decision}"),
		    HR_STR("decision", decision));
	if (rule > 0 && is_blank(p->f[i]))
		return fail(p, i, "dat.decision_field",
		    HR_MSGID("is required for {decision}"),
		    HR_STR("decision", decision));
	return 0;
}

static int
parse_answer(struct parse *p)
{
	struct hr_dat_answer *r;
	int                   dec;

	if (line_expect(p, dat_answer_fields, D__N, HR_MSGID("a D record")) < 0)
		return -1;
	if (p->nanswers == HR_DAT_RECORDS_MAX)
		return fail(p, -1, "dat.too_many_records",
		    HR_MSGID("more than {max} records"),
		    HR_INT("max", HR_DAT_RECORDS_MAX));
	r = &p->d->answers[p->nanswers];
	r->line = p->line;
	if (f_int(p, D_ID, 1, INT64_MAX, &r->app_id) < 0 ||
	    f_reg_no(p, D_REG_NO) < 0 ||
	    f_oneof(p, D_DECISION, decision_names, 1, &dec) < 0)
		return -1;
	r->decision = dec;
	if (f_rule(p, D_AMOUNT, decision_rules[dec].amount,
	    decision_names[dec]) < 0 ||
	    f_rule(p, D_PERIOD_FROM, decision_rules[dec].period_from,
	    decision_names[dec]) < 0 ||
	    f_rule(p, D_PERIOD_TO, decision_rules[dec].period_to,
	    decision_names[dec]) < 0 ||
	    f_rule(p, D_REASON, decision_rules[dec].reason,
	    decision_names[dec]) < 0)
		return -1;
	r->has_amount = p->flen[D_AMOUNT] > 0;
	if ((r->has_amount && f_amount(p, D_AMOUNT, &r->amount) < 0) ||
	    f_period(p, D_PERIOD_FROM, D_PERIOD_TO, 0, 0) < 0 ||
	    f_text(p, D_REASON, 1000, 0) < 0)
		return -1;
	r->reg_no = p->f[D_REG_NO];
	r->period_from = p->f[D_PERIOD_FROM];
	r->period_to = p->f[D_PERIOD_TO];
	r->reason = p->f[D_REASON];
	p->nanswers++;
	return 0;
}

/* ---- the END line -------------------------------------------------------- */

static int
parse_end(struct parse *p)
{
	size_t   records = p->d->hdr.kind == HR_DAT_EXPORT ? p->napps :
	    p->nanswers;
	uint32_t crc = hr_dat_crc32(0, p->data, p->line_off);
	char     want[9];
	int64_t  count;

	if (line_expect(p, dat_end_fields, E__N, HR_MSGID("the END line")) < 0 ||
	    app_close(p) < 0 || f_int(p, E_COUNT, 0, HR_DAT_RECORDS_MAX,
	    &count) < 0)
		return -1;
	if ((size_t)count != records)
		return fail(p, E_COUNT, "dat.count",
		    HR_MSGID("says {count} records, the file has {records} "
		    "(lines lost or added?)"), HR_INT("count", count),
		    HR_INT("records", records));
	if (records != p->d->hdr.count)
		return fail(p, E_COUNT, "dat.count",
		    HR_MSGID("the header says {count} records, the file has "
		    "{records}"), HR_INT("count", p->d->hdr.count),
		    HR_INT("records", records));
	snprintf(want, sizeof want, "%08x", crc);
	if (strcmp(p->f[E_CRC], want) != 0)
		return fail(p, E_CRC, "dat.checksum",
		    HR_MSGID("checksum mismatch: the file says {value}, its "
		    "contents give {computed} (the file was altered or "
		    "damaged)"), HR_STR("value", p->f[E_CRC]),
		    HR_STR("computed", want));
	p->ended = 1;
	return 0;
}

/* ---- driver -------------------------------------------------------------- */

typedef int line_fn(struct parse *);

static const struct {
	const char      *tag;
	enum hr_dat_kind kind;     /* 0: both */
	line_fn         *parse;
} line_kinds[] = {
	{ "A",   HR_DAT_EXPORT, parse_app },
	{ "P",   HR_DAT_EXPORT, parse_person },
	{ "I",   HR_DAT_EXPORT, parse_income },
	{ "S",   HR_DAT_EXPORT, parse_scan },
	{ "D",   HR_DAT_ANSWER, parse_answer },
	{ "END", 0,             parse_end },
};

static int
parse_body_line(struct parse *p)
{
	const char *tag = p->f[0];

	if (p->ended)
		return fail(p, -1, "dat.after_end",
		    HR_MSGID("there is more after the END line"));
	for (size_t i = 0; i < sizeof line_kinds / sizeof line_kinds[0]; i++) {
		if (strcmp(tag, line_kinds[i].tag) != 0)
			continue;
		if (line_kinds[i].kind != 0 &&
		    line_kinds[i].kind != p->d->hdr.kind)
			return p->d->hdr.kind == HR_DAT_EXPORT ?
			    fail(p, -1, "dat.wrong_line",
			    HR_MSGID("a {tag} line does not belong in an export "
			    "file"), HR_STR("tag", tag)) :
			    fail(p, -1, "dat.wrong_line",
			    HR_MSGID("a {tag} line does not belong in an answer "
			    "file"), HR_STR("tag", tag));
		return line_kinds[i].parse(p);
	}
	return fail(p, -1, "dat.unknown_line",
	    HR_MSGID("unknown record \"{tag}\" (A, P, I, S, D or END)"),
	    HR_STR("tag", tag));
}

/* Count lines by their tag (to size the arrays) before any parsing. */
static void
count_tags(const char *s, size_t len, size_t n[5])
{
	static const char tags[] = "APIDS";

	for (size_t off = 0; off + 1 < len; ) {
		const char *nl = memchr(s + off, '\n', len - off);
		const char *t = strchr(tags, s[off]);

		if (t != NULL && s[off] != '\0' && s[off + 1] == '|')
			n[t - tags]++;
		if (nl == NULL)
			break;
		off = (size_t)(nl - s) + 1;
	}
}

static int
parse_alloc(struct parse *p)
{
	struct hr_dat *d = p->d;
	size_t n[5] = { 0, 0, 0, 0, 0 };

	count_tags(p->data, p->len, n);
	p->arena_cap = 4 * p->len + 16;
	d->arena_ = malloc(p->arena_cap);
	d->apps = calloc(n[0] + 1, sizeof *d->apps);
	d->persons_ = calloc(n[1] + 1, sizeof *d->persons_);
	d->income_ = calloc(n[2] + 1, sizeof *d->income_);
	d->answers = calloc(n[3] + 1, sizeof *d->answers);
	d->scans_ = calloc(n[4] + 1, sizeof *d->scans_);
	if (d->arena_ == NULL || d->apps == NULL || d->persons_ == NULL ||
	    d->income_ == NULL || d->answers == NULL || d->scans_ == NULL)
		return hr_error_set(p->err, HR_E_INTERNAL, "out of memory "
		    "reading a %zu-byte file", p->len);
	return 0;
}

static int
parse_lines(struct parse *p)
{
	size_t n, next;
	int    rc;

	while ((rc = line_bounds(p, &n, &next)) > 0) {
		if (line_split(p, p->data + p->line_off, n) < 0)
			return -1;
		if (p->line == 1 ? parse_header_fields(p, &p->d->hdr) < 0 :
		    parse_body_line(p) < 0)
			return -1;
		p->line_off = next;
		p->line++;
	}
	if (rc < 0)
		return -1;
	if (!p->ended)
		return fail(p, -1, "dat.no_end",
		    HR_MSGID("the file is truncated: no END line"));
	return 0;
}

int
dat_parse(const void *data, size_t len, struct hr_dat *out,
    unsigned *bad_line, struct hr_error *err)
{
	struct parse p;

	memset(out, 0, sizeof *out);
	memset(&p, 0, sizeof p);
	p.data = data;
	p.len = len;
	p.d = out;
	p.err = err;
	p.line = 1;
	if (len == 0)
		return hr_errorf(err, HR_E_INVALID, "dat.file_empty",
		    "the file is empty");
	if (len > HR_DAT_FILE_MAX)
		return hr_errorf(err, HR_E_INVALID, "dat.file_too_big",
		    "the file has {size} bytes; at most {max} are accepted",
		    HR_INT("size", len), HR_INT("max", HR_DAT_FILE_MAX));
	if (parse_alloc(&p) < 0 || parse_lines(&p) < 0) {
		if (bad_line != NULL)
			*bad_line = p.line;
		hr_dat_free(out);
		return -1;
	}
	return 0;
}

int
hr_dat_parse(const void *data, size_t len, struct hr_dat *out,
    struct hr_error *err)
{
	return dat_parse(data, len, out, NULL, err);
}

void
hr_dat_free(struct hr_dat *d)
{
	if (d == NULL)
		return;
	free(d->apps);
	free(d->answers);
	free(d->persons_);
	free(d->income_);
	free(d->scans_);
	free(d->arena_);
	memset(d, 0, sizeof *d);
}

int
hr_dat_filename(const struct hr_dat_header *h, char *out, size_t cap)
{
	int n = snprintf(out, cap, "%s_%s_%06u.DAT", h->system, h->office,
	    (unsigned)h->number);

	return n < 0 || (size_t)n >= cap ? -1 : 0;
}
