/*
 * wire.c — the application between the form and the wire: packing
 * application.save params, reading application.get and person.get results
 * (see application.h).  Compact on purpose (64 kbit/s links): only the keys
 * that have a value are sent — except for a person from the base, whose
 * emptied fields go as "" (a key left out keeps what is stored).
 */
#include "config.h"

#include "proto/ident.h"
#include "tui/intake/application.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/rpc.h"
#include "tui/mp.h"

#define KV_MAX 20

/* One key/value of a map being packed. */
struct kv {
	const char *key;
	const char *s;          /* string value, or NULL: integer */
	int64_t     i;
	int         is_bool;
};

struct kvs {
	struct kv v[KV_MAX];
	int       n;
	char      buf[4][HR_DOCNUM_STR_MAX + 16];   /* normalised values */
};

static void
kv_str(struct kvs *m, const char *key, const char *s)
{
	if (s != NULL && *s != '\0' && m->n < KV_MAX)
		m->v[m->n++] = (struct kv){ key, s, 0, 0 };
}

/* A field of a person from the base: left out it would be kept as the
 * base has it, so an emptied field goes as "" (PROTOCOL.md person maps). */
static void
kv_str_or_clear(struct kvs *m, const char *key, const char *s, int known)
{
	if (known && (s == NULL || *s == '\0') && m->n < KV_MAX)
		m->v[m->n++] = (struct kv){ key, "", 0, 0 };
	else
		kv_str(m, key, s);
}

static void
kv_int(struct kvs *m, const char *key, int64_t i, int is_bool)
{
	if (m->n < KV_MAX)
		m->v[m->n++] = (struct kv){ key, NULL, i, is_bool };
}

static void
kv_pack(const struct kvs *m, msgpack_packer *pk)
{
	msgpack_pack_map(pk, (size_t)m->n);
	for (int i = 0; i < m->n; i++) {
		const struct kv *e = &m->v[i];
		hr_pack_str(pk, e->key);
		if (e->s != NULL)
			hr_pack_str(pk, e->s);
		else if (e->is_bool)
			e->i ? msgpack_pack_true(pk) : msgpack_pack_false(pk);
		else
			msgpack_pack_int64(pk, e->i);
	}
}

int
intake_date_wire(const char *typed, char *out, size_t cap)
{
	struct hr_date d;

	if (typed == NULL || hr_date_parse(typed, strlen(typed), NULL, &d, NULL) != 0)
		return -1;
	return snprintf(out, cap, "%04d-%02d-%02d", d.y, d.m, d.d) < (int)cap ? 0 : -1;
}

static const char *const doc_type_names[] = {
	[HR_DOC_PASSPORT] = "passport", [HR_DOC_ID_CARD] = "id_card",
	[HR_DOC_BIRTH_CERT] = "birth_cert",
};
#define DOC_TYPES (sizeof doc_type_names / sizeof doc_type_names[0])

/* The canonical form of an identifier when it parses, else as typed. */
static const char *
norm(const struct intake_person *p, int field, char *buf, size_t cap)
{
	const char *s = p->f[field];
	size_t len = s ? strlen(s) : 0;
	int r = -1;

	if (s == NULL)
		return NULL;
	if (field == IP_DOCNUM && p->doc_type > 0)
		r = hr_docnum_normalize(p->doc_type, s, len, buf, cap, NULL);
	else if (field == IP_PHONE)
		r = hr_phone_normalize(s, len, buf, cap, NULL);
	else if (field == IP_BIRTH)
		r = intake_date_wire(s, buf, cap);
	return r == 0 ? buf : s;
}

static void
pack_person(const struct intake_person *p, msgpack_packer *pk)
{
	static const int normalised[] = { IP_DOCNUM, IP_PHONE, IP_BIRTH };
	struct kvs m;
	int nb = 0;

	m.n = 0;
	if (p->id > 0)
		kv_int(&m, "id", p->id, 0);
	if (p->rnokpp_refused || p->id > 0)
		kv_int(&m, "rnokpp_refused", p->rnokpp_refused, 1);
	for (int i = 0; i < IP__COUNT; i++) {
		const char *v = p->f[i];
		if (i == IP_RNOKPP && p->rnokpp_refused)
			continue;
		for (size_t k = 0; k < sizeof normalised / sizeof normalised[0]; k++)
			if (normalised[k] == i)
				v = norm(p, i, m.buf[nb++], sizeof m.buf[0]);
		kv_str_or_clear(&m, intake_person_keys[i], v, p->id > 0);
	}
	if (p->sex == HR_SEX_MALE || p->sex == HR_SEX_FEMALE)
		kv_str(&m, "sex", p->sex == HR_SEX_MALE ? "M" : "F");
	kv_str_or_clear(&m, "doc_type", p->doc_type > 0 && (size_t)p->doc_type <
	    DOC_TYPES ? doc_type_names[p->doc_type] : NULL, p->id > 0);
	kv_pack(&m, pk);
}

static void
pack_family(const struct intake *in, msgpack_packer *pk)
{
	msgpack_pack_array(pk, in->nfamily);
	for (size_t i = 0; i < in->nfamily; i++) {
		const struct intake_member *fm = &in->family[i];
		msgpack_pack_map(pk, 2);
		hr_pack_kv_str(pk, "relation", intake_rel_names[fm->relation]);
		hr_pack_str(pk, "person");
		pack_person(&fm->p, pk);
	}
}

static void
pack_income(const struct intake *in, msgpack_packer *pk)
{
	msgpack_pack_array(pk, in->nincome);
	for (size_t i = 0; i < in->nincome; i++) {
		const struct intake_income *r = &in->income[i];
		char from[HR_DATE_STR_MAX], to[HR_DATE_STR_MAX];
		struct kvs m;

		m.n = 0;
		kv_int(&m, "member", r->member, 0);
		kv_str(&m, "type", intake_inc_names[r->type]);
		kv_str(&m, "period_from", intake_date_wire(r->from, from, sizeof from) == 0 ?
		    from : r->from);
		kv_str(&m, "period_to", intake_date_wire(r->to, to, sizeof to) == 0 ?
		    to : r->to);
		kv_int(&m, "amount", r->amount, 0);
		kv_pack(&m, pk);
	}
}

static void
pack_payment(const struct intake *in, msgpack_packer *pk)
{
	char iban[HR_IBAN_STR_MAX];
	const char *v = in->iban;
	struct kvs m;

	m.n = 0;
	if (in->pay_method == PAY_BANK) {
		kv_str(&m, "method", "bank");
		if (v != NULL && hr_iban_normalize(v, strlen(v), iban, sizeof iban,
		    NULL) == 0)
			v = iban;
		kv_str(&m, "iban", v);
	} else {
		kv_str(&m, "method", "post");
		kv_str(&m, "post_office", in->post_office);
	}
	kv_pack(&m, pk);
}

void
intake_pack(const struct intake *in, msgpack_packer *pk)
{
	char pbuf[HR_PHONE_STR_MAX];
	const char *phone = norm(&in->applicant, IP_PHONE, pbuf, sizeof pbuf);
	int n = 2 + (in->id > 0) * 2 + (in->nfamily > 0) + (in->nincome > 0) +
	    (in->pay_method != PAY_NONE) +
	    (in->notes != NULL && *in->notes != '\0') + (phone != NULL);

	msgpack_pack_map(pk, (size_t)n);
	if (in->id > 0) {
		hr_pack_kv_int(pk, "id", in->id);
		hr_pack_kv_int(pk, "version", in->version);
	}
	hr_pack_kv_str(pk, "service", in->service ? in->service : "");
	hr_pack_str(pk, "applicant");
	pack_person(&in->applicant, pk);
	if (in->nfamily > 0) {
		hr_pack_str(pk, "family");
		pack_family(in, pk);
	}
	if (in->nincome > 0) {
		hr_pack_str(pk, "income");
		pack_income(in, pk);
	}
	if (in->pay_method != PAY_NONE) {
		hr_pack_str(pk, "payment");
		pack_payment(in, pk);
	}
	if (in->notes != NULL && *in->notes != '\0')
		hr_pack_kv_str(pk, "notes", in->notes);
	if (phone != NULL)              /* the application's contact phone */
		hr_pack_kv_str(pk, "phone", phone);
}

/* ---- reading ---- */

/* Copy a string value into *slot (replacing it); dates shown DD.MM.YYYY. */
static void
load_str(char **slot, const msgpack_object *v, int is_date)
{
	char *s = mp_strdup(v);
	struct hr_date d;
	char shown[HR_DATE_STR_MAX];

	if (s != NULL && is_date &&
	    hr_date_parse(s, strlen(s), NULL, &d, NULL) == 0 &&
	    hr_date_format(&d, shown, sizeof shown) == 0)
		intake_set(slot, shown);
	else
		intake_set(slot, s);
	free(s);
}

void
intake_person_load(struct intake_person *p, const msgpack_object *m)
{
	char buf[32];

	intake_person_free(p);
	p->id = mp_int(mp_get(m, "id"), 0);
	for (int i = 0; i < IP__COUNT; i++)
		load_str(&p->f[i], mp_get(m, intake_person_keys[i]), i == IP_BIRTH);
	p->rnokpp_refused = mp_bool(mp_get(m, "rnokpp_refused"), 0);
	mp_text(mp_get(m, "sex"), buf, sizeof buf);
	p->sex = strcmp(buf, "M") == 0 ? HR_SEX_MALE :
	    strcmp(buf, "F") == 0 ? HR_SEX_FEMALE : HR_SEX_UNKNOWN;
	mp_text(mp_get(m, "doc_type"), buf, sizeof buf);
	p->doc_type = buf[0] ? intake_lookup(doc_type_names + 1, DOC_TYPES - 1, buf) + 1 : 0;
}

int
intake_person_take(struct intake_person *p, const char *key, const char *value)
{
	struct hr_date d;
	char shown[HR_DATE_STR_MAX];
	int i;

	if (strcmp(key, "sex") == 0) {
		p->sex = value && strcmp(value, "M") == 0 ? HR_SEX_MALE :
		    value && strcmp(value, "F") == 0 ? HR_SEX_FEMALE : HR_SEX_UNKNOWN;
		return 0;
	}
	if (strcmp(key, "rnokpp_refused") == 0) {
		p->rnokpp_refused = value && strcmp(value, "true") == 0;
		if (p->rnokpp_refused)
			intake_set(&p->f[IP_RNOKPP], NULL);
		return 0;
	}
	if (strcmp(key, "doc_type") == 0) {
		i = value ? intake_lookup(doc_type_names + 1, DOC_TYPES - 1, value) : -1;
		p->doc_type = i >= 0 ? i + 1 : 0;
		return 0;
	}
	if ((i = intake_lookup(intake_person_keys, IP__COUNT, key)) < 0)
		return -1;
	if (i == IP_BIRTH && value != NULL &&
	    hr_date_parse(value, strlen(value), NULL, &d, NULL) == 0 &&
	    hr_date_format(&d, shown, sizeof shown) == 0)
		value = shown;
	return intake_set(&p->f[i], value);
}

static int
load_name(const msgpack_object *v, const char *const *names, size_t n, int dflt)
{
	char buf[32];
	int i = intake_lookup(names, n, mp_text(v, buf, sizeof buf));

	return i >= 0 ? i : dflt;
}

/*
 * Family entries: {relation, person: {...}} or {relation, ...person};
 * reg_same (application.get) stands for the applicant's registration
 * address, so the applicant is loaded first.
 */
static void
load_family(struct intake *in, const msgpack_object *fam)
{
	while (in->nfamily > 0)
		intake_family_remove(in, in->nfamily - 1);
	for (uint32_t i = 0; fam && fam->type == MSGPACK_OBJECT_ARRAY &&
	    i < fam->via.array.size; i++) {
		const msgpack_object *e = &fam->via.array.ptr[i], *p = mp_get(e, "person");
		struct intake_member m;

		memset(&m, 0, sizeof m);
		m.relation = load_name(mp_get(e, "relation"), intake_rel_names,
		    REL__COUNT, REL_OTHER);
		intake_person_load(&m.p, p != NULL ? p : e);
		if (mp_bool(mp_get(p != NULL ? p : e, "reg_same"), 0) &&
		    in->applicant.f[IP_REG_ADDR] != NULL) {
			free(m.p.f[IP_REG_ADDR]);
			m.p.f[IP_REG_ADDR] = strdup(in->applicant.f[IP_REG_ADDR]);
		}
		if (intake_family_add(in, &m) != 0)
			intake_person_free(&m.p);
	}
}

static void
load_income(struct intake *in, const msgpack_object *inc)
{
	for (uint32_t i = 0; inc && inc->type == MSGPACK_OBJECT_ARRAY &&
	    i < inc->via.array.size; i++) {
		const msgpack_object *e = &inc->via.array.ptr[i];
		struct intake_income r;

		memset(&r, 0, sizeof r);
		r.member = (int)mp_int(mp_get(e, "member"), 0);
		r.type = load_name(mp_get(e, "type"), intake_inc_names, INC__COUNT,
		    INC_OTHER);
		load_str(&r.from, mp_get(e, "period_from"), 1);
		load_str(&r.to, mp_get(e, "period_to"), 1);
		r.amount = mp_int(mp_get(e, "amount"), 0);
		if (intake_income_add(in, &r) != 0)
			intake_income_free(&r);
	}
}

void
intake_load_docs(struct intake *in, const msgpack_object *app)
{
	const msgpack_object *docs = mp_get(app, "documents");
	const msgpack_object *att = mp_get(app, "attachments");
	char buf[64];

	for (size_t i = 0; i < in->ndocs; i++)
		free(in->docs[i]);
	in->ndocs = 0;
	for (uint32_t i = 0; docs && docs->type == MSGPACK_OBJECT_ARRAY &&
	    i < docs->via.array.size; i++)
		intake_doc_set(in, mp_text(&docs->via.array.ptr[i], buf, sizeof buf), 1);
	in->nscans = 0;
	in->scan_bytes = 0;
	for (uint32_t i = 0; att && att->type == MSGPACK_OBJECT_ARRAY &&
	    i < att->via.array.size; i++) {
		in->nscans++;
		in->scan_bytes += (uint64_t)mp_int(mp_get(&att->via.array.ptr[i],
		    "size"), 0);
	}
}

static void
load_payment(struct intake *in, const msgpack_object *pay)
{
	char buf[16];

	mp_text(mp_get(pay, "method"), buf, sizeof buf);
	in->pay_method = strcmp(buf, "post") == 0 ? PAY_POST : PAY_BANK;
	load_str(&in->iban, mp_get(pay, "iban"), 0);
	load_str(&in->post_office, mp_get(pay, "post_office"), 0);
}

void
intake_load(struct intake *in, const msgpack_object *app)
{
	intake_free(in);
	in->id = mp_int(mp_get(app, "id"), 0);
	in->version = mp_int(mp_get(app, "version"), 0);
	load_str(&in->reg_no, mp_get(app, "reg_no"), 0);
	load_str(&in->status, mp_get(app, "status"), 0);
	load_str(&in->last_reason, mp_get(app, "last_reason"), 0);
	load_str(&in->service, mp_get(app, "service"), 0);
	load_str(&in->notes, mp_get(app, "notes"), 0);
	intake_person_load(&in->applicant, mp_get(app, "applicant"));
	if (in->applicant.f[IP_PHONE] == NULL)
		load_str(&in->applicant.f[IP_PHONE], mp_get(app, "phone"), 0);
	load_family(in, mp_get(app, "family"));
	load_income(in, mp_get(app, "income"));
	intake_load_docs(in, app);
	load_payment(in, mp_get(app, "payment"));
}

void
intake_load_person_get(struct intake *in, const msgpack_object *result)
{
	const msgpack_object *fam = mp_get(result, "family");

	intake_person_load(&in->applicant, mp_get(result, "person"));
	if (fam != NULL && fam->type == MSGPACK_OBJECT_ARRAY && fam->via.array.size > 0)
		load_family(in, fam);     /* else keep the family typed so far */
}
