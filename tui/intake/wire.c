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

#define NDOC_TYPES (sizeof hr_doc_types / sizeof hr_doc_types[0])
#define NSEXES     (sizeof hr_sexes / sizeof hr_sexes[0])

#define PKEY(f) HR_KEY(hr_person_fields, f)
#define MKEY(f) HR_KEY(hr_member_fields, f)
#define IKEY(f) HR_KEY(hr_income_fields, f)
#define YKEY(f) HR_KEY(hr_payment_fields, f)
#define SKEY(f) HR_KEY(hr_save_fields, f)

/* Is a typed field sent in its canonical form (documents, phones,
 * dates: at most three of a person, as struct kvs has room for)? */
static int
normalised(int field)
{
	enum hr_field_check c = hr_person_fields[field].check;

	return c == HR_FC_DOCNUM || c == HR_FC_PHONE || c == HR_FC_DATE;
}

/* The canonical form of a field's value when it passes its check
 * (proto/app_fields.h), else as typed. */
static const char *
norm(const struct intake_person *p, int field, char *buf, size_t cap)
{
	const char *s = p->f[field];
	size_t len = s ? strlen(s) : 0;
	int r = -1;

	if (s == NULL)
		return NULL;
	switch (hr_person_fields[field].check) {
	case HR_FC_DOCNUM:
		if (p->doc_type > 0)
			r = hr_docnum_normalize(p->doc_type, s, len, buf, cap, NULL);
		break;
	case HR_FC_PHONE:
		r = hr_phone_normalize(s, len, buf, cap, NULL);
		break;
	case HR_FC_DATE:
		r = intake_date_wire(s, buf, cap);
		break;
	default:
		break;
	}
	return r == 0 ? buf : s;
}

static void
pack_person(const struct intake_person *p, msgpack_packer *pk)
{
	struct kvs m;
	int nb = 0;

	m.n = 0;
	if (p->id > 0)
		kv_int(&m, PKEY(HR_PF_ID), p->id, 0);
	if (p->rnokpp_refused || p->id > 0)
		kv_int(&m, PKEY(HR_PF_REFUSED), p->rnokpp_refused, 1);
	for (int i = 0; i < HR_PF__COUNT; i++) {
		const char *v = p->f[i];

		if (!hr_person_field_typed(i) ||
		    (i == HR_PF_RNOKPP && p->rnokpp_refused))
			continue;
		if (v != NULL && normalised(i))
			v = norm(p, i, m.buf[nb++], sizeof m.buf[0]);
		kv_str_or_clear(&m, PKEY(i), v, p->id > 0);
	}
	if (p->sex == HR_SEX_MALE || p->sex == HR_SEX_FEMALE)
		kv_str(&m, PKEY(HR_PF_SEX), hr_sexes[p->sex - 1].name);
	kv_str_or_clear(&m, PKEY(HR_PF_DOCTYPE), p->doc_type > 0 &&
	    (size_t)p->doc_type <= NDOC_TYPES ? hr_doc_types[p->doc_type - 1].name :
	    NULL, p->id > 0);
	kv_pack(&m, pk);
}

static void
pack_family(const struct intake *in, msgpack_packer *pk)
{
	msgpack_pack_array(pk, in->nfamily);
	for (size_t i = 0; i < in->nfamily; i++) {
		const struct intake_member *fm = &in->family[i];
		msgpack_pack_map(pk, 2);
		hr_pack_kv_str(pk, MKEY(HR_MF_RELATION), hr_relations[fm->relation].name);
		hr_pack_str(pk, MKEY(HR_MF_PERSON));
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
		kv_int(&m, IKEY(HR_IF_MEMBER), r->member, 0);
		kv_str(&m, IKEY(HR_IF_TYPE), hr_income_types[r->type].name);
		kv_str(&m, IKEY(HR_IF_FROM), intake_date_wire(r->from, from,
		    sizeof from) == 0 ? from : r->from);
		kv_str(&m, IKEY(HR_IF_TO), intake_date_wire(r->to, to, sizeof to) == 0 ?
		    to : r->to);
		kv_int(&m, IKEY(HR_IF_AMOUNT), r->amount, 0);
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
		kv_str(&m, YKEY(HR_YF_METHOD), hr_pay_methods[HR_PAY_BANK].name);
		if (v != NULL && hr_iban_normalize(v, strlen(v), iban, sizeof iban,
		    NULL) == 0)
			v = iban;
		kv_str(&m, YKEY(HR_YF_IBAN), v);
	} else {
		kv_str(&m, YKEY(HR_YF_METHOD), hr_pay_methods[HR_PAY_POST].name);
		kv_str(&m, YKEY(HR_YF_POST), in->post_office);
	}
	kv_pack(&m, pk);
}

void
intake_pack(const struct intake *in, msgpack_packer *pk)
{
	char pbuf[HR_PHONE_STR_MAX];
	const char *phone = norm(&in->applicant, HR_PF_PHONE, pbuf, sizeof pbuf);
	int n = 2 + (in->id > 0) * 2 + (in->nfamily > 0) + (in->nincome > 0) +
	    (in->pay_method != PAY_NONE) +
	    (in->notes != NULL && *in->notes != '\0') + (phone != NULL);

	msgpack_pack_map(pk, (size_t)n);
	if (in->id > 0) {
		hr_pack_kv_int(pk, SKEY(HR_SF_ID), in->id);
		hr_pack_kv_int(pk, SKEY(HR_SF_VERSION), in->version);
	}
	hr_pack_kv_str(pk, SKEY(HR_SF_SERVICE), in->service ? in->service :
	    "");
	hr_pack_str(pk, SKEY(HR_SF_APPLICANT));
	pack_person(&in->applicant, pk);
	if (in->nfamily > 0) {
		hr_pack_str(pk, SKEY(HR_SF_FAMILY));
		pack_family(in, pk);
	}
	if (in->nincome > 0) {
		hr_pack_str(pk, SKEY(HR_SF_INCOME));
		pack_income(in, pk);
	}
	if (in->pay_method != PAY_NONE) {
		hr_pack_str(pk, SKEY(HR_SF_PAYMENT));
		pack_payment(in, pk);
	}
	if (in->notes != NULL && *in->notes != '\0')
		hr_pack_kv_str(pk, SKEY(HR_SF_NOTES), in->notes);
	if (phone != NULL)              /* the application's contact phone */
		hr_pack_kv_str(pk, SKEY(HR_SF_PHONE), phone);
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
	p->id = mp_int(mp_get(m, PKEY(HR_PF_ID)), 0);
	for (int i = 0; i < HR_PF__COUNT; i++)
		if (hr_person_field_typed(i))
			load_str(&p->f[i], mp_get(m, PKEY(i)),
			    hr_person_fields[i].check == HR_FC_DATE);
	p->rnokpp_refused = mp_bool(mp_get(m, PKEY(HR_PF_REFUSED)), 0);
	mp_text(mp_get(m, PKEY(HR_PF_SEX)), buf, sizeof buf);
	p->sex = hr_choice_find(hr_sexes, NSEXES, buf) + 1;  /* enum hr_sex */
	mp_text(mp_get(m, PKEY(HR_PF_DOCTYPE)), buf, sizeof buf);
	p->doc_type = hr_choice_find(hr_doc_types, NDOC_TYPES, buf) + 1;
}

int
intake_person_take(struct intake_person *p, const char *key, const char *value)
{
	const struct hr_app_field *f;
	struct hr_date d;
	char shown[HR_DATE_STR_MAX];
	int i;

	if (strcmp(key, PKEY(HR_PF_SEX)) == 0) {
		p->sex = hr_choice_find(hr_sexes, NSEXES, value) + 1;
		return 0;
	}
	if (strcmp(key, PKEY(HR_PF_REFUSED)) == 0) {
		p->rnokpp_refused = value && strcmp(value, "true") == 0;
		if (p->rnokpp_refused)
			intake_set(&p->f[HR_PF_RNOKPP], NULL);
		return 0;
	}
	if (strcmp(key, PKEY(HR_PF_DOCTYPE)) == 0) {
		p->doc_type = hr_choice_find(hr_doc_types, NDOC_TYPES, value) + 1;
		return 0;
	}
	f = hr_app_field_find(hr_person_fields, HR_PF__COUNT, key);
	if (f == NULL || !hr_person_field_typed(i = (int)(f - hr_person_fields)))
		return -1;
	if (f->check == HR_FC_DATE && value != NULL &&
	    hr_date_parse(value, strlen(value), NULL, &d, NULL) == 0 &&
	    hr_date_format(&d, shown, sizeof shown) == 0)
		value = shown;
	return intake_set(&p->f[i], value);
}

static int
load_name(const msgpack_object *v, const struct hr_choice *names, size_t n,
    int dflt)
{
	char buf[32];
	int i = hr_choice_find(names, n, mp_text(v, buf, sizeof buf));

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
		const msgpack_object *e = &fam->via.array.ptr[i], *p = mp_get(e,
		    MKEY(HR_MF_PERSON));
		struct intake_member m;

		memset(&m, 0, sizeof m);
		m.relation = load_name(mp_get(e, MKEY(HR_MF_RELATION)), hr_relations,
		    HR_REL__COUNT, HR_REL_OTHER);
		intake_person_load(&m.p, p != NULL ? p : e);
		if (mp_bool(mp_get(p != NULL ? p : e, "reg_same"), 0) &&
		    in->applicant.f[HR_PF_REGADDR] != NULL) {
			free(m.p.f[HR_PF_REGADDR]);
			m.p.f[HR_PF_REGADDR] = strdup(in->applicant.f[HR_PF_REGADDR]);
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
		r.member = (int)mp_int(mp_get(e, IKEY(HR_IF_MEMBER)), 0);
		r.type = load_name(mp_get(e, IKEY(HR_IF_TYPE)), hr_income_types,
		    HR_INC__COUNT, HR_INC_OTHER);
		load_str(&r.from, mp_get(e, IKEY(HR_IF_FROM)), 1);
		load_str(&r.to, mp_get(e, IKEY(HR_IF_TO)), 1);
		r.amount = mp_int(mp_get(e, IKEY(HR_IF_AMOUNT)), 0);
		if (intake_income_add(in, &r) != 0)
			intake_income_free(&r);
	}
}

void
intake_load_docs(struct intake *in, const msgpack_object *app)
{
	const msgpack_object *docs = mp_get(app, SKEY(HR_SF_DOCUMENTS));
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

	mp_text(mp_get(pay, YKEY(HR_YF_METHOD)), buf, sizeof buf);
	in->pay_method = strcmp(buf, hr_pay_methods[HR_PAY_POST].name) == 0 ?
	    PAY_POST : PAY_BANK;
	load_str(&in->iban, mp_get(pay, YKEY(HR_YF_IBAN)), 0);
	load_str(&in->post_office, mp_get(pay, YKEY(HR_YF_POST)), 0);
}

void
intake_load(struct intake *in, const msgpack_object *app)
{
	intake_free(in);
	in->id = mp_int(mp_get(app, SKEY(HR_SF_ID)), 0);
	in->version = mp_int(mp_get(app, SKEY(HR_SF_VERSION)), 0);
	load_str(&in->reg_no, mp_get(app, "reg_no"), 0);
	load_str(&in->status, mp_get(app, "status"), 0);
	load_str(&in->last_reason, mp_get(app, "last_reason"), 0);
	load_str(&in->service, mp_get(app, SKEY(HR_SF_SERVICE)), 0);
	load_str(&in->notes, mp_get(app, SKEY(HR_SF_NOTES)), 0);
	intake_person_load(&in->applicant, mp_get(app, SKEY(HR_SF_APPLICANT)));
	if (in->applicant.f[HR_PF_PHONE] == NULL)
		load_str(&in->applicant.f[HR_PF_PHONE], mp_get(app,
		    SKEY(HR_SF_PHONE)), 0);
	load_family(in, mp_get(app, SKEY(HR_SF_FAMILY)));
	load_income(in, mp_get(app, SKEY(HR_SF_INCOME)));
	intake_load_docs(in, app);
	load_payment(in, mp_get(app, SKEY(HR_SF_PAYMENT)));
}

void
intake_load_person_get(struct intake *in, const msgpack_object *result)
{
	const msgpack_object *fam = mp_get(result, SKEY(HR_SF_FAMILY));

	intake_person_load(&in->applicant, mp_get(result, "person"));
	if (fam != NULL && fam->type == MSGPACK_OBJECT_ARRAY && fam->via.array.size > 0)
		load_family(in, fam);     /* else keep the family typed so far */
}
