/*
 * dat_write.c — the *.DAT writer (dat.h): records in, one file out.
 *
 * Lines are built field by field into the caller's buffer (its limit bounds
 * the file), escaped and encoded by dat_text.c; the END line carries the
 * count and the CRC-32 of everything before it.  The writer does not repeat
 * the parser's field checks: it parses its own output instead, so the
 * checks live in one place and a file it returns is one the parser (ours
 * and, by the man page, the decision system's) accepts.  A failure names
 * the record by its journal number and the line and field.
 */
#include "proto/dat_priv.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

struct wr {
	struct hr_buf       *out;
	enum hr_dat_charset  cs;
	unsigned             line;
	const char *const   *names;
	int                  field;     /* next field index on the line */
	struct hr_error     *err;
};

static int
wr_full(struct wr *w)
{
	hr_errorf(w->err, HR_E_INVALID, "dat.too_big",
	    "the file would exceed {max} bytes; export fewer applications",
	    HR_INT("max", HR_DAT_FILE_MAX));
	return hr_error_prefix(w->err, "line {line}", HR_INT("line", w->line));
}

static void
wr_begin(struct wr *w, const char *const *names)
{
	w->names = names;
	w->field = 0;
}

/* One field (NULL = empty), with the separator before it. */
static int
wr_str(struct wr *w, const char *s)
{
	struct hr_error e;

	if (w->field > 0 && hr_buf_append(w->out, "|", 1) < 0)
		return wr_full(w);
	if (dat_field_encode(w->out, s, w->cs, &e) < 0) {
		if (w->err != NULL) {
			*w->err = e;
			w->err->code = HR_E_INVALID;
		}
		return hr_error_prefix(w->err, "line {line}, field {field}",
		    HR_INT("line", w->line), HR_STR("field",
		    w->names[w->field]));
	}
	w->field++;
	return 0;
}

static int
wr_int(struct wr *w, int64_t v)
{
	char num[24];

	snprintf(num, sizeof num, "%" PRId64, v);
	return wr_str(w, num);
}

static int
wr_end_line(struct wr *w)
{
	if (hr_buf_append(w->out, "\n", 1) < 0)
		return wr_full(w);
	w->line++;
	return 0;
}

static int
wr_header(struct wr *w, const struct hr_dat_header *h)
{
	char      num[8], created[24];
	struct tm tm;
	time_t    t = (time_t)h->created;

	if (gmtime_r(&t, &tm) == NULL)
		return hr_error_set(w->err, HR_E_INTERNAL, "line 1, field "
		    "created: not a time");
	strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(num, sizeof num, "%06u", (unsigned)h->number);
	wr_begin(w, dat_header_fields);
	if (wr_str(w, DAT_MAGIC) < 0 || wr_int(w, HR_DAT_VERSION) < 0 ||
	    wr_str(w, h->kind == HR_DAT_ANSWER ? "answer" : "export") < 0 ||
	    wr_str(w, dat_charset_names[h->charset == HR_DAT_CP1251]) < 0 ||
	    wr_str(w, h->system) < 0 || wr_str(w, num) < 0 ||
	    wr_str(w, h->office) < 0 || wr_str(w, created) < 0 ||
	    wr_int(w, h->count) < 0)
		return -1;
	return wr_end_line(w);
}

static int
wr_person(struct wr *w, const struct hr_dat_person *x)
{
	char sex[2] = { x->sex, '\0' };

	wr_begin(w, dat_person_fields);
	if (wr_str(w, "P") < 0 || wr_int(w, x->member) < 0 ||
	    wr_str(w, x->relation) < 0 || wr_str(w, x->surname) < 0 ||
	    wr_str(w, x->name) < 0 || wr_str(w, x->patronymic) < 0 ||
	    wr_str(w, x->birth_date) < 0 || wr_str(w, sex) < 0 ||
	    wr_str(w, x->rnokpp_refused ? DAT_REFUSED : x->rnokpp) < 0 ||
	    wr_str(w, x->doc_type) < 0 || wr_str(w, x->doc_number) < 0 ||
	    wr_str(w, x->unzr) < 0 || wr_str(w, x->reg_address) < 0 ||
	    wr_str(w, x->act_address) < 0)
		return -1;
	return wr_end_line(w);
}

static int
wr_income(struct wr *w, const struct hr_dat_income *r)
{
	wr_begin(w, dat_income_fields);
	if (wr_str(w, "I") < 0 || wr_int(w, r->member) < 0 ||
	    wr_str(w, r->type) < 0 || wr_str(w, r->period_from) < 0 ||
	    wr_str(w, r->period_to) < 0 || wr_int(w, r->amount) < 0)
		return -1;
	return wr_end_line(w);
}

static int
wr_scan(struct wr *w, const struct hr_dat_scan *r)
{
	wr_begin(w, dat_scan_fields);
	if (wr_str(w, "S") < 0 || wr_str(w, r->doc) < 0 ||
	    wr_str(w, r->type) < 0 || wr_int(w, r->size) < 0 ||
	    wr_str(w, r->hash) < 0)
		return -1;
	return wr_end_line(w);
}

static int
wr_app(struct wr *w, const struct hr_dat_app *a)
{
	wr_begin(w, dat_app_fields);
	if (wr_str(w, "A") < 0 || wr_int(w, a->id) < 0 ||
	    wr_str(w, a->reg_no) < 0 || wr_str(w, a->service) < 0 ||
	    wr_str(w, a->pay_method) < 0 || wr_str(w, a->iban) < 0 ||
	    wr_str(w, a->post_office) < 0 || wr_str(w, a->phone) < 0 ||
	    wr_end_line(w) < 0)
		return -1;
	for (size_t i = 0; i < a->npersons; i++)
		if (wr_person(w, &a->persons[i]) < 0)
			return -1;
	for (size_t i = 0; i < a->nincome; i++)
		if (wr_income(w, &a->income[i]) < 0)
			return -1;
	for (size_t i = 0; i < a->nscans; i++)
		if (wr_scan(w, &a->scans[i]) < 0)
			return -1;
	return 0;
}

static int
wr_answer(struct wr *w, const struct hr_dat_answer *r)
{
	wr_begin(w, dat_answer_fields);
	if (wr_str(w, "D") < 0 || wr_int(w, r->app_id) < 0 ||
	    wr_str(w, r->reg_no) < 0 ||
	    wr_str(w, hr_decision_name(r->decision)) < 0 ||
	    (r->has_amount ? wr_int(w, r->amount) : wr_str(w, NULL)) < 0 ||
	    wr_str(w, r->period_from) < 0 || wr_str(w, r->period_to) < 0 ||
	    wr_str(w, r->reason) < 0)
		return -1;
	return wr_end_line(w);
}

static int
wr_trailer(struct wr *w, size_t start, uint32_t count)
{
	char crc[12];

	snprintf(crc, sizeof crc, "%08" PRIx32, hr_dat_crc32(0,
	    hr_buf_head(w->out) + start, hr_buf_used(w->out) - start));
	wr_begin(w, dat_end_fields);
	if (wr_str(w, "END") < 0 || wr_int(w, count) < 0 ||
	    wr_str(w, crc) < 0)
		return -1;
	return wr_end_line(w);
}

/* The record that holds `line` (export files: an A line and its P, I, S). */
static const char *
record_at(const struct hr_dat *d, unsigned line)
{
	unsigned first = 2;

	for (uint32_t i = 0; i < d->hdr.count; i++) {
		unsigned n = d->hdr.kind == HR_DAT_ANSWER ? 1 : (unsigned)(1 +
		    d->apps[i].npersons + d->apps[i].nincome +
		    d->apps[i].nscans);
		const char *reg = d->hdr.kind == HR_DAT_ANSWER ?
		    d->answers[i].reg_no : d->apps[i].reg_no;

		if (line >= first && line < first + n)
			return reg != NULL ? reg : "(no number)";
		first += n;
	}
	return NULL;
}

/* Put the record's journal number in front of err's message. */
static int
name_record(const struct hr_dat *d, unsigned line, struct hr_error *err)
{
	const char *rec = record_at(d, line);

	if (err == NULL || rec == NULL)
		return -1;
	return hr_error_prefix(err, "application {reg_no}",
	    HR_STR("reg_no", rec));
}

/* Parse what was written; a failure names the record. */
static int
wr_verify(const struct hr_dat *d, const uint8_t *p, size_t n,
    struct hr_error *err)
{
	struct hr_dat back;
	unsigned line = 0;

	if (dat_parse(p, n, &back, &line, err) == 0) {
		hr_dat_free(&back);
		return 0;
	}
	return name_record(d, line, err);
}

int
hr_dat_write(const struct hr_dat *d, struct hr_buf *out, struct hr_error *err)
{
	struct wr w = { out, d->hdr.charset, 1, NULL, 0, err };
	size_t    start = hr_buf_used(out);
	int       rc;

	rc = wr_header(&w, &d->hdr);
	for (uint32_t i = 0; rc == 0 && i < d->hdr.count; i++)
		rc = d->hdr.kind == HR_DAT_ANSWER ?
		    wr_answer(&w, &d->answers[i]) : wr_app(&w, &d->apps[i]);
	if (rc < 0)
		name_record(d, w.line, err);
	if (rc == 0)
		rc = wr_trailer(&w, start, d->hdr.count);
	if (rc == 0)
		rc = wr_verify(d, hr_buf_head(out) + start,
		    hr_buf_used(out) - start, err);
	if (rc < 0 && hr_buf_used(out) > start)
		out->len -= hr_buf_used(out) - start;
	return rc;
}
