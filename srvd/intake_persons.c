/*
 * intake_persons.c — the persons of an application.save: what each person
 * map means against what is stored, and what the save writes of them.
 *
 * An application carries its own copy of its applicant and family
 * (db/application_persons.h); the central base of recipients is where a form is
 * pre-filled from.  A person map of a save is laid over what the save
 * starts from — the application's copy of that person when it is on the
 * application already, else the base's record (map with `id`), else
 * nothing (a new person) — so a key left out keeps the field as it is, an
 * empty string clears it, and the result is checked as a whole.  The
 * РНОКПП is never erased by leaving it out or sending it empty: only the
 * refusal mark (rnokpp_refused) erases it.
 *
 * Only through such a save — of an application the user may edit, in the
 * user's scope — does a clerk correct a person of the base: the fields the
 * form changed against what it started from are laid over the base's
 * current record and written (person.identifiers audits the identifiers
 * among them).  Nothing else of the base is touched, and no other
 * application's copy ever is: a correction reaches another draft only when
 * its clerk takes it (application.get `base_changed`).
 */
#include "srvd/intake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/application_persons.h"
#include "proto/buf.h"
#include "srvd/request_audit.h"

/* ---- copies ------------------------------------------------------------ */

static void
pcopy_set(struct intake_save *s, struct intake_pcopy *c, int64_t id,
    int64_t version, const char *relation, const struct db_person *p,
    int *oom)
{
	memset(c, 0, sizeof *c);
	c->id = id;
	c->version = version;
	snprintf(c->relation, sizeof c->relation, "%s", relation ? relation : "");
	c->p.rnokpp = intake_own(s, p->rnokpp, oom);
	c->p.rnokpp_refused = p->rnokpp_refused != 0;
	c->p.surname = intake_own(s, p->surname, oom);
	c->p.name = intake_own(s, p->name, oom);
	c->p.patronymic = intake_own(s, p->patronymic, oom);
	c->p.birth_date = intake_own(s, p->birth_date, oom);
	c->p.sex = p->sex;
	c->p.unzr = intake_own(s, p->unzr, oom);
	c->p.doc_type = intake_own(s, p->doc_type, oom);
	c->p.doc_number = intake_own(s, p->doc_number, oom);
	c->p.reg_address = intake_own(s, p->reg_address, oom);
	c->p.act_address = intake_own(s, p->act_address, oom);
	c->p.phone = intake_own(s, p->phone, oom);
}

struct old_ctx {
	struct intake_save *s;
	size_t              cap;
	int                 oom;
};

static int
old_cb(void *ud, const struct db_app_person *r)
{
	struct old_ctx *c = ud;
	struct intake_save *s = c->s;
	struct intake_pcopy *g;

	if ((g = hr_grow(s->old, &c->cap, s->nold, sizeof *g, 8)) == NULL) {
		c->oom = 1;
		return 1;
	}
	s->old = g;
	pcopy_set(s, &s->old[s->nold++], r->v.id, r->base_version, r->relation,
	    &r->v.p, &c->oom);
	return c->oom;
}

struct base_ctx {
	struct intake_save  *s;
	struct intake_pcopy *out;
	int                  oom;
};

static int
base_cb(void *ud, const struct db_person_view *v)
{
	struct base_ctx *c = ud;

	pcopy_set(c->s, c->out, v->id, v->version, NULL, &v->p, &c->oom);
	return c->oom;
}

/* The base's current record of person `id` into *out (owned by s). */
static int
base_get(struct srv_req *rq, struct intake_save *s, int64_t id,
    struct intake_pcopy *out, struct hr_error *err)
{
	struct base_ctx c = { s, out, 0 };

	if (db_person_get(rq->db, id, base_cb, &c, err) < 0)
		return c.oom ? hr_error_set(err, HR_E_INTERNAL, "out of memory") :
		    -1;
	return 0;
}

/* The application's copy of person `id`, if it is on the application. */
static const struct intake_pcopy *
old_find(const struct intake_save *s, int64_t id)
{
	for (size_t i = 0; i < s->nold; i++)
		if (s->old[i].id == id)
			return &s->old[i];
	return NULL;
}

/* "<path>.id: person not found" — the same for a person who does not
 * exist and for one out of the user's reach; the id is not repeated. */
static int
no_person(struct hr_error *err, const char *path)
{
	char f[80];

	snprintf(f, sizeof f, "%s.id", path);
	hr_errorf(err, HR_E_INVALID, "person.not_found", "person not found");
	return hr_error_at(err, f);
}

/* What person map ip starts from (prev.id 0: a new person). */
static int
person_prev(struct srv_req *rq, struct intake_save *s,
    struct intake_person *ip, struct hr_error *err)
{
	const char *idents[3] = { ip->raw[HR_PF_RNOKPP], ip->raw[HR_PF_DOCNUM],
	    ip->raw[HR_PF_UNZR] };
	const struct intake_pcopy *o;
	int reach;

	if (ip->id == 0)
		return 0;
	if ((o = old_find(s, ip->id)) != NULL) {
		ip->prev = *o;                /* strings owned by s already */
		return 0;
	}
	/* A person of the base the user may not reach reads like none. */
	if (intake_person_reachable(rq, ip->id, idents, 3, &reach, err) < 0)
		return -1;
	if (!reach)
		return no_person(err, ip->path);
	if (base_get(rq, s, ip->id, &ip->prev, err) == 0)
		return 0;
	if (err->code != HR_E_NOT_FOUND)
		return -1;
	return no_person(err, ip->path);
}

/* ---- one person: the map over what it starts from ---------------------- */

static const char *
take(const struct intake_person *ip, int f, const char *prev)
{
	return (ip->given & (1u << f)) ? ip->raw[f] : prev;
}

static int
blank(const char *s)
{
	return s == NULL || s[strspn(s, " ")] == '\0';
}

/* "<person's path>.<field's key>" into buf. */
static const char *
sub(char *buf, size_t cap, const struct intake_person *ip,
    enum hr_person_field f)
{
	snprintf(buf, cap, "%s.%s", ip->path, hr_person_fields[f].wire.name);
	return buf;
}

/* "<path>: is required" */
static int
required(struct hr_error *err, const char *path)
{
	hr_errorf(err, HR_E_INVALID, "field.required", "is required");
	return hr_error_at(err, path);
}

/* "<path>: is already family member k" */
static int
family_twice(struct hr_error *err, const char *path, size_t k)
{
	hr_errorf(err, HR_E_INVALID, "family.twice", "is already family member "
	    "{member}", HR_INT("member", k + 1));
	return hr_error_at(err, path);
}

static int
merge_names(struct intake_person *ip, struct hr_error *err)
{
	const struct db_person *o = &ip->prev.p;
	const char *sex;
	char f[80];
	int i;

	ip->p.surname = take(ip, HR_PF_SURNAME, o->surname);
	ip->p.name = take(ip, HR_PF_NAME, o->name);
	ip->p.patronymic = take(ip, HR_PF_PATRONYMIC, o->patronymic);
	ip->p.reg_address = take(ip, HR_PF_REGADDR, o->reg_address);
	ip->p.act_address = take(ip, HR_PF_ACTADDR, o->act_address);
	if (blank(ip->p.surname))
		return required(err, sub(f, sizeof f, ip, HR_PF_SURNAME));
	if (blank(ip->p.name))
		return required(err, sub(f, sizeof f, ip, HR_PF_NAME));
	if (!(ip->given & (1u << HR_PF_SEX))) {
		if (ip->prev.id == 0)
			return required(err, sub(f, sizeof f, ip, HR_PF_SEX));
		ip->p.sex = o->sex;
		return 0;
	}
	sex = ip->raw[HR_PF_SEX];
	i = hr_choice_find(hr_sexes, sizeof hr_sexes / sizeof hr_sexes[0],
	    sex);
	if (i >= 0)
		ip->p.sex = (enum hr_sex)(i + 1);       /* hr_sexes' order */
	else
		return hr_errorf(err, HR_E_INVALID, "person.sex",
		    "must be M or F"), hr_error_at(err, sub(f, sizeof f, ip,
		    HR_PF_SEX));
	return 0;
}

/* Birth date: a real day, not in the future; stored as YYYY-MM-DD. */
static int
merge_birth(struct intake_person *ip, struct hr_date *d, struct hr_error *err)
{
	const char *s = take(ip, HR_PF_BIRTH, ip->prev.p.birth_date);
	char f[80], today[16];
	time_t now = time(NULL);
	struct tm tm;

	sub(f, sizeof f, ip, HR_PF_BIRTH);
	if (blank(s))
		return required(err, f);
	if (hr_date_parse(s, strlen(s), HR_MSGID("birth date"), d, err) < 0)
		return intake_field_err(err, f);
	snprintf(ip->birth, sizeof ip->birth, "%04d-%02d-%02d", d->y, d->m, d->d);
	localtime_r(&now, &tm);
	strftime(today, sizeof today, "%Y-%m-%d", &tm);
	if (strcmp(ip->birth, today) > 0)
		return hr_errorf(err, HR_E_INVALID, "person.birth_future",
		    "is in the future"), hr_error_at(err, f);
	ip->p.birth_date = ip->birth;
	return 0;
}

/* Document type and number (canonical form), and the refusal's rule. */
static int
merge_doc(struct intake_person *ip, struct hr_error *err)
{
	const char *type = take(ip, HR_PF_DOCTYPE, ip->prev.p.doc_type),
	    *num = take(ip, HR_PF_DOCNUM, ip->prev.p.doc_number);
	int i;
	enum hr_doc_kind kind;
	char f[80];

	ip->p.doc_type = ip->p.doc_number = NULL;
	if (type == NULL && num == NULL) {
		if (ip->p.rnokpp_refused)
			return hr_errorf(err, HR_E_INVALID, "person.refused_doc",
			    "a passport or ID card is required when the РНОКПП "
			    "is refused"), hr_error_at(err, sub(f, sizeof f, ip,
			    HR_PF_DOCNUM));
		return 0;
	}
	i = hr_choice_find(hr_doc_types, sizeof hr_doc_types /
	    sizeof hr_doc_types[0], type);
	if (i < 0)
		return hr_errorf(err, HR_E_INVALID, "person.doc_type",
		    "must be passport, id_card or birth_cert"),
		    hr_error_at(err, sub(f, sizeof f, ip, HR_PF_DOCTYPE));
	sub(f, sizeof f, ip, HR_PF_DOCNUM);
	if (num == NULL)
		return hr_errorf(err, HR_E_INVALID, "person.doc_number",
		    "is required with the document type"), hr_error_at(err, f);
	kind = (enum hr_doc_kind)(i + 1);        /* hr_doc_types' order */
	if (hr_docnum_normalize(kind, num, strlen(num), ip->doc,
	    sizeof ip->doc, err) < 0)
		return intake_field_err(err, f);
	if (ip->p.rnokpp_refused && kind == HR_DOC_BIRTH_CERT)
		return hr_errorf(err, HR_E_INVALID, "person.refused_doc",
		    "a passport or ID card is required when the РНОКПП is "
		    "refused"), hr_error_at(err, f);
	ip->p.doc_type = hr_doc_types[i].name;
	ip->p.doc_number = ip->doc;
	return 0;
}

/*
 * The РНОКПП: sent, it is checked against birth date and sex; sent empty,
 * it may be erased only with the refusal mark; left out, it is kept —
 * unless the mark is set now, which erases it.
 */
static int
merge_rnokpp(struct intake_person *ip, const struct hr_date *d,
    struct hr_error *err)
{
	int given = (ip->given & (1u << HR_PF_RNOKPP)) != 0;
	const char *s = given ? ip->raw[HR_PF_RNOKPP] : ip->prev.p.rnokpp;
	char f[80];

	sub(f, sizeof f, ip, HR_PF_RNOKPP);
	ip->p.rnokpp_refused = (ip->given & (1u << HR_PF_REFUSED)) ? ip->refused :
	    ip->prev.p.rnokpp_refused;
	ip->p.rnokpp = NULL;
	if (ip->p.rnokpp_refused) {
		if (given && s != NULL)
			return hr_errorf(err, HR_E_INVALID,
			    "person.rnokpp_refused", "given although the person "
			    "refused the РНОКПП"), hr_error_at(err, f);
		return 0;
	}
	if (s == NULL) {
		if (given && ip->prev.p.rnokpp != NULL)
			return hr_errorf(err, HR_E_INVALID, "person.rnokpp_erase",
			    "cannot be erased; if the person refused the "
			    "РНОКПП, set rnokpp_refused"), hr_error_at(err, f);
		return 0;       /* required or not: merge_required decides */
	}
	if (hr_rnokpp_match(s, strlen(s), d, (enum hr_sex)ip->p.sex, err) < 0)
		return intake_field_err(err, f);
	snprintf(ip->rnokpp, sizeof ip->rnokpp, "%.10s", s);
	ip->p.rnokpp = ip->rnokpp;
	return 0;
}

static int
merge_optional(struct intake_person *ip, const struct hr_date *d,
    struct hr_error *err)
{
	const char *unzr = take(ip, HR_PF_UNZR, ip->prev.p.unzr),
	    *phone = take(ip, HR_PF_PHONE, ip->prev.p.phone);
	char f[80];

	ip->p.unzr = ip->p.phone = NULL;
	if (unzr != NULL) {
		if (hr_unzr_match(unzr, strlen(unzr), d, err) < 0)
			return intake_field_err(err, sub(f, sizeof f, ip,
			    HR_PF_UNZR));
		snprintf(ip->unzr, sizeof ip->unzr, "%.14s", unzr);
		ip->p.unzr = ip->unzr;
	}
	if (phone != NULL) {
		if (hr_phone_normalize(phone, strlen(phone), ip->phone,
		    sizeof ip->phone, err) < 0)
			return intake_field_err(err, sub(f, sizeof f, ip,
			    HR_PF_PHONE));
		ip->p.phone = ip->phone;
	}
	return 0;
}

/*
 * Every person has an РНОКПП or the refusal mark (then a passport or ID
 * card); a child with a birth certificate may not have one yet.
 */
static int
merge_required(struct intake_person *ip, struct hr_error *err)
{
	char f[80];

	if (ip->p.rnokpp != NULL || ip->p.rnokpp_refused)
		return 0;
	if (ip->p.doc_type != NULL && strcmp(ip->p.doc_type,
	    hr_doc_types[HR_DOC_BIRTH_CERT - 1].name) == 0)
		return 0;
	return hr_errorf(err, HR_E_INVALID, "person.rnokpp_required",
	    "is required; if the person refused the РНОКПП, set "
	    "rnokpp_refused"), hr_error_at(err, sub(f, sizeof f, ip,
	    HR_PF_RNOKPP));
}

static int
person_merge(struct intake_person *ip, struct hr_error *err)
{
	struct hr_date d;

	memset(&ip->p, 0, sizeof ip->p);
	if (merge_names(ip, err) < 0 || merge_birth(ip, &d, err) < 0 ||
	    merge_rnokpp(ip, &d, err) < 0 || merge_doc(ip, err) < 0 ||
	    merge_optional(ip, &d, err) < 0 || merge_required(ip, err) < 0)
		return -1;
	return 0;
}

/* ---- the save's persons ------------------------------------------------ */

static int
load_old(struct srv_req *rq, struct intake_save *s, int64_t app_id,
    struct hr_error *err)
{
	struct old_ctx c = { s, 0, 0 };

	if (db_app_persons_each(rq->db, app_id, old_cb, &c, err) < 0)
		return c.oom ? hr_error_set(err, HR_E_INTERNAL, "out of memory") :
		    -1;
	return 0;
}

static int
person_resolve(struct srv_req *rq, struct intake_save *s,
    struct intake_person *ip, struct hr_error *err)
{
	if (person_prev(rq, s, ip, err) < 0)
		return -1;
	return person_merge(ip, err);
}

int
intake_persons_resolve(struct srv_req *rq, struct intake_save *s,
    int64_t app_id, struct hr_error *err)
{
	if (app_id != 0 && load_old(rq, s, app_id, err) < 0)
		return -1;
	if (person_resolve(rq, s, &s->applicant, err) < 0)
		return -1;
	for (size_t i = 0; i < s->nfamily; i++) {
		struct intake_person *ip = &s->family[i].person;

		if (person_resolve(rq, s, ip, err) < 0)
			return -1;
		if (ip->id != 0 && ip->id == s->applicant.id)
			return hr_errorf(err, HR_E_INVALID, "family.is_applicant",
			    "is the applicant"), hr_error_at(err, ip->path);
		for (size_t k = 0; k < i; k++)
			if (ip->id != 0 && s->family[k].person.id == ip->id)
				return family_twice(err, ip->path, k);
	}
	return 0;
}

/* ---- writing the base -------------------------------------------------- */

/* Equal strings; NULL and "" are the same (no value). */
static int
same(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/* The fields (1 << HR_PF_*) where a and b differ. */
static unsigned
person_diff(const struct db_person *a, const struct db_person *b)
{
	unsigned m = 0;

	for (int f = 0; f < HR_PF_ID; f++)
		if (!same(intake_person_value(a, f), intake_person_value(b, f)))
			m |= 1u << f;
	return m;
}

/* Lay the fields `m` of src over dst; the РНОКПП and its refusal mark,
 * and a document's type and number, go as pairs. */
static void
person_overlay(struct db_person *dst, const struct db_person *src, unsigned m)
{
	if (m & ((1u << HR_PF_RNOKPP) | (1u << HR_PF_REFUSED))) {
		dst->rnokpp = src->rnokpp;
		dst->rnokpp_refused = src->rnokpp_refused;
	}
	if (m & ((1u << HR_PF_DOCTYPE) | (1u << HR_PF_DOCNUM))) {
		dst->doc_type = src->doc_type;
		dst->doc_number = src->doc_number;
	}
	if (m & (1u << HR_PF_SURNAME))    dst->surname = src->surname;
	if (m & (1u << HR_PF_NAME))       dst->name = src->name;
	if (m & (1u << HR_PF_PATRONYMIC)) dst->patronymic = src->patronymic;
	if (m & (1u << HR_PF_BIRTH))      dst->birth_date = src->birth_date;
	if (m & (1u << HR_PF_SEX))        dst->sex = src->sex;
	if (m & (1u << HR_PF_UNZR))       dst->unzr = src->unzr;
	if (m & (1u << HR_PF_REGADDR))    dst->reg_address = src->reg_address;
	if (m & (1u << HR_PF_ACTADDR))    dst->act_address = src->act_address;
	if (m & (1u << HR_PF_PHONE))      dst->phone = src->phone;
}

/* "rnokpp …4575 -> …1234; doc_number …3456 -> …7890": the identifiers
 * that changed, masked as the audit log keeps them. */
static size_t
idents_diff(const struct db_person *o, const struct db_person *n, char *out,
    size_t cap)
{
	size_t len = 0;

	out[0] = '\0';
	for (int f = 0; f < HR_PF_ID; f++) {
		const struct hr_app_field *k = &hr_person_fields[f];
		const char *a = intake_person_value(o, f),
		    *b = intake_person_value(n, f);
		char ma[32], mb[32];
		int w;

		/* The identifiers, and the kind of document with its number. */
		if ((!k->masked && f != HR_PF_DOCTYPE) || same(a, b))
			continue;
		if (k->masked) {
			intake_mask(a, ma, sizeof ma);
			intake_mask(b, mb, sizeof mb);
		} else {
			snprintf(ma, sizeof ma, "%s", a ? a : "-");
			snprintf(mb, sizeof mb, "%s", b ? b : "-");
		}
		w = snprintf(out + len, cap - len, "%s%s %s -> %s", len ? "; " :
		    "", k->wire.name, ma, mb);
		if (w > 0 && (size_t)w < cap - len)
			len += (size_t)w;
	}
	if ((o->rnokpp_refused != 0) != (n->rnokpp_refused != 0) &&
	    cap - len > 40)
		len += (size_t)snprintf(out + len, cap - len, "%srnokpp_refused "
		    "%d -> %d", len ? "; " : "", o->rnokpp_refused != 0,
		    n->rnokpp_refused != 0);
	return len;
}

static int
person_audit(struct srv_req *rq, const char *action, int64_t id,
    const char *detail, struct hr_error *err)
{
	char object[32];

	snprintf(object, sizeof object, "person:%lld", (long long)id);
	return srv_audit(rq, action, object, detail, err);
}

/* "<path>: <what>" for an error of the base's own checks. */
static int
base_err(struct hr_error *err, const char *path)
{
	if (err->code == HR_E_INTERNAL)
		return -1;
	if (err->code != HR_E_DUPLICATE)
		hr_error_recode(err, HR_E_INVALID);
	return hr_error_at(err, path);
}

/* A person of the base: write what the form corrected, if anything. */
static int
person_correct(struct srv_req *rq, struct intake_save *s,
    struct intake_person *ip, struct hr_error *err)
{
	unsigned m = person_diff(&ip->prev.p, &ip->p);
	struct intake_pcopy base;
	struct db_person fixed;
	char diff[256];

	if (base_get(rq, s, ip->id, &base, err) < 0)
		return -1;
	ip->base_version = base.version;
	fixed = base.p;
	person_overlay(&fixed, &ip->p, m);
	if (m == 0 || person_diff(&base.p, &fixed) == 0)
		return 0;
	if (db_person_update(rq->db, ip->id, &fixed, err) < 0)
		return base_err(err, ip->path);
	ip->base_version = base.version + 1;
	if (idents_diff(&base.p, &fixed, diff, sizeof diff) == 0)
		return 0;
	return person_audit(rq, "person.identifiers", ip->id, diff, err);
}

/* A new person, unless an identifier is known already. */
static int
person_add(struct srv_req *rq, struct intake_person *ip, struct hr_error *err)
{
	const char *which = NULL;
	int64_t found = 0;

	if (db_person_find_ident(rq->db, &ip->p, 0, &found, &which, err) < 0)
		return -1;
	if (found != 0)
		return hr_errorf(err, HR_E_DUPLICATE, "person.known",
		    "person already in the base: id {person_id} ({path}: same "
		    "{label})", HR_INT("person_id", found), HR_STR("path",
		    ip->path), HR_STR("label", which));
	if (db_person_add(rq->db, &ip->p, &ip->id, err) < 0)
		return base_err(err, ip->path);
	ip->base_version = 1;
	return person_audit(rq, "person.add", ip->id, ip->path, err);
}

static int
person_store(struct srv_req *rq, struct intake_save *s,
    struct intake_person *ip, struct hr_error *err)
{
	return ip->id ? person_correct(rq, s, ip, err) : person_add(rq, ip, err);
}

int
intake_persons_store(struct srv_req *rq, struct intake_save *s,
    struct hr_error *err)
{
	if (person_store(rq, s, &s->applicant, err) < 0)
		return -1;
	for (size_t i = 0; i < s->nfamily; i++) {
		struct intake_person *ip = &s->family[i].person;

		if (person_store(rq, s, ip, err) < 0)
			return -1;
		/* Two new persons of one form may turn out to be one. */
		for (size_t k = 0; k < i; k++)
			if (s->family[k].person.id == ip->id)
				return family_twice(err, ip->path, k);
	}
	return 0;
}

int
intake_persons_copy(struct srv_req *rq, const struct intake_save *s,
    int64_t app_id, struct hr_error *err)
{
	struct db_app_person rows[1 + 20];
	size_t n = 0;

	if (s->nfamily > 20)
		return hr_error_set(err, HR_E_INTERNAL, "too many family members");
	rows[n++] = (struct db_app_person){ 0, NULL, s->applicant.base_version,
	    { s->applicant.id, s->applicant.p, 0 } };
	for (size_t i = 0; i < s->nfamily; i++, n++) {
		const struct intake_person *ip = &s->family[i].person;

		rows[n] = (struct db_app_person){ (int)n, s->family[i].relation,
		    ip->base_version, { ip->id, ip->p, 0 } };
	}
	return db_app_persons_set(rq->db, app_id, rows, n, err);
}
