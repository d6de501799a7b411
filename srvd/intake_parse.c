/*
 * intake_parse.c — application.save params to a validated struct
 * intake_save.
 *
 * The top-level params were checked by the method's schema (types and
 * bounds); nested maps are checked here with schemas of their own, then
 * every value with the validators the client uses while typing
 * (proto/ident.h) and against the reference data.  The first problem found
 * is the error, HR_E_INVALID naming the field by its path
 * ("family[2].birth_date: ...").  Nothing is written to the database here.
 */
#include "srvd/intake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/reference.h"
#include "proto/mpread.h"
#include "proto/schema.h"

#define PATH_MAX_LEN 48

/* ---- owned strings ---------------------------------------------------- */

/* Copy a string value into s's ownership; NULL when absent or empty. */
static char *
own_str(struct intake_save *s, const msgpack_object *v, int *oom)
{
	char *copy, **grown;

	if (v == NULL || v->type != MSGPACK_OBJECT_STR || v->via.str.size == 0)
		return NULL;
	if (s->nowned == s->capowned) {
		size_t cap = s->capowned ? s->capowned * 2 : 32;

		if ((grown = realloc(s->owned, cap * sizeof *grown)) == NULL) {
			*oom = 1;
			return NULL;
		}
		s->owned = grown;
		s->capowned = cap;
	}
	if ((copy = hr_val_strdup(v)) == NULL) {
		*oom = 1;
		return NULL;
	}
	s->owned[s->nowned++] = copy;
	return copy;
}

void
intake_save_free(struct intake_save *s)
{
	for (size_t i = 0; i < s->nowned; i++)
		free(s->owned[i]);
	free(s->owned);
	free(s->family);
	free(s->income);
	free(s->docs);
	memset(s, 0, sizeof *s);
}

/* A nested map against its schema; errors become HR_E_INVALID at path. */
static int
nested_check(const struct hr_schema *sch, const msgpack_object *o,
    const msgpack_object **vals, const char *path, struct hr_error *err)
{
	if (hr_schema_check(sch, o, vals, err) == 0)
		return 0;
	hr_error_recode(err, HR_E_INVALID);
	return hr_error_at(err, path);
}

/* ---- persons ---------------------------------------------------------- */

enum { P_ID, P_RNOKPP, P_REFUSED, P_SURNAME, P_NAME, P_PATRONYMIC, P_BIRTH,
    P_SEX, P_UNZR, P_DOCTYPE, P_DOCNUM, P_REGADDR, P_ACTADDR, P_PHONE,
    P__COUNT };

static const struct hr_field person_fields[P__COUNT] = {
	[P_ID]         = { "id",             HR_F_INT,  HR_F_NULLABLE, 1, INT64_MAX },
	[P_RNOKPP]     = { "rnokpp",         HR_F_STR,  HR_F_NULLABLE, 0, 16 },
	[P_REFUSED]    = { "rnokpp_refused", HR_F_BOOL, HR_F_NULLABLE, 0, 0 },
	[P_SURNAME]    = { "surname",        HR_F_STR,  HR_F_REQUIRED, 0, 64 },
	[P_NAME]       = { "name",           HR_F_STR,  HR_F_REQUIRED, 0, 64 },
	[P_PATRONYMIC] = { "patronymic",     HR_F_STR,  HR_F_NULLABLE, 0, 64 },
	[P_BIRTH]      = { "birth_date",     HR_F_STR,  HR_F_REQUIRED, 0, 16 },
	[P_SEX]        = { "sex",            HR_F_STR,  HR_F_REQUIRED, 0, 1 },
	[P_UNZR]       = { "unzr",           HR_F_STR,  HR_F_NULLABLE, 0, 20 },
	[P_DOCTYPE]    = { "doc_type",       HR_F_STR,  HR_F_NULLABLE, 0, 16 },
	[P_DOCNUM]     = { "doc_number",     HR_F_STR,  HR_F_NULLABLE, 0, 32 },
	[P_REGADDR]    = { "reg_address",    HR_F_STR,  HR_F_NULLABLE, 0, 300 },
	[P_ACTADDR]    = { "act_address",    HR_F_STR,  HR_F_NULLABLE, 0, 300 },
	[P_PHONE]      = { "phone",          HR_F_STR,  HR_F_NULLABLE, 0, 32 },
};
static const struct hr_schema person_schema = { person_fields, P__COUNT };

static const struct {
	const char      *name;
	enum hr_doc_kind kind;
} doc_types[] = {
	{ "passport",   HR_DOC_PASSPORT },
	{ "id_card",    HR_DOC_ID_CARD },
	{ "birth_cert", HR_DOC_BIRTH_CERT },
};

/* "<path>.<field>" into buf. */
static const char *
sub(char *buf, size_t cap, const char *path, const char *field)
{
	snprintf(buf, cap, "%s.%s", path, field);
	return buf;
}

/* Birth date: a real day, not in the future; stored as YYYY-MM-DD. */
static int
person_birth(struct intake_person *ip, const char *s, struct hr_date *d,
    const char *path, struct hr_error *err)
{
	char f[PATH_MAX_LEN + 16], today[16];
	time_t now = time(NULL);
	struct tm tm;

	sub(f, sizeof f, path, "birth_date");
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

/* РНОКПП against birth date and sex, or the refusal. */
static int
person_rnokpp(struct intake_person *ip, const char *s, const struct hr_date *d,
    const char *path, struct hr_error *err)
{
	char f[PATH_MAX_LEN + 16];

	sub(f, sizeof f, path, "rnokpp");
	if (s == NULL)
		return 0;
	if (ip->p.rnokpp_refused)
		return hr_errorf(err, HR_E_INVALID, "person.rnokpp_refused",
		    "given although the person refused the РНОКПП"),
		    hr_error_at(err, f);
	if (hr_rnokpp_match(s, strlen(s), d, (enum hr_sex)ip->p.sex, err) < 0)
		return intake_field_err(err, f);
	snprintf(ip->rnokpp, sizeof ip->rnokpp, "%.10s", s);
	ip->p.rnokpp = ip->rnokpp;
	return 0;
}

/* Document type and number (canonical form), and the refusal's rule. */
static int
person_doc(struct intake_person *ip, const char *type, const char *num,
    const char *path, struct hr_error *err)
{
	char f[PATH_MAX_LEN + 16];
	size_t i, n = sizeof doc_types / sizeof doc_types[0];

	if (type == NULL && num == NULL) {
		if (ip->p.rnokpp_refused)
			return hr_errorf(err, HR_E_INVALID, "person.refused_doc",
			    "a passport or ID card is required when the РНОКПП "
			    "is refused"),
			    hr_error_at(err, sub(f, sizeof f, path, "doc_number"));
		return 0;
	}
	for (i = 0; type != NULL && i < n; i++)
		if (strcmp(type, doc_types[i].name) == 0)
			break;
	if (type == NULL || i == n)
		return hr_errorf(err, HR_E_INVALID, "person.doc_type",
		    "must be passport, id_card or birth_cert"),
		    hr_error_at(err, sub(f, sizeof f, path, "doc_type"));
	sub(f, sizeof f, path, "doc_number");
	if (num == NULL)
		return hr_errorf(err, HR_E_INVALID, "person.doc_number",
		    "is required with the document type"), hr_error_at(err, f);
	if (hr_docnum_normalize(doc_types[i].kind, num, strlen(num), ip->doc,
	    sizeof ip->doc, err) < 0)
		return intake_field_err(err, f);
	if (ip->p.rnokpp_refused && doc_types[i].kind == HR_DOC_BIRTH_CERT)
		return hr_errorf(err, HR_E_INVALID, "person.refused_doc",
		    "a passport or ID card is required when the РНОКПП is "
		    "refused"), hr_error_at(err, f);
	ip->p.doc_type = doc_types[i].name;
	ip->p.doc_number = ip->doc;
	return 0;
}

static int
person_names(struct intake_save *s, struct intake_person *ip,
    const msgpack_object **v, const char *path, int *oom,
    struct hr_error *err)
{
	char f[PATH_MAX_LEN + 16];

	ip->p.surname = own_str(s, v[P_SURNAME], oom);
	ip->p.name = own_str(s, v[P_NAME], oom);
	ip->p.patronymic = own_str(s, v[P_PATRONYMIC], oom);
	ip->p.reg_address = own_str(s, v[P_REGADDR], oom);
	ip->p.act_address = own_str(s, v[P_ACTADDR], oom);
	if (*oom)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	if (ip->p.surname == NULL || strspn(ip->p.surname, " ") ==
	    strlen(ip->p.surname))
		return hr_errorf(err, HR_E_INVALID, "field.required",
		    "is required"),
		    hr_error_at(err, sub(f, sizeof f, path, "surname"));
	if (ip->p.name == NULL || strspn(ip->p.name, " ") == strlen(ip->p.name))
		return hr_errorf(err, HR_E_INVALID, "field.required",
		    "is required"),
		    hr_error_at(err, sub(f, sizeof f, path, "name"));
	if (hr_val_str_eq(v[P_SEX], "M"))
		ip->p.sex = HR_SEX_MALE;
	else if (hr_val_str_eq(v[P_SEX], "F"))
		ip->p.sex = HR_SEX_FEMALE;
	else
		return hr_errorf(err, HR_E_INVALID, "person.sex",
		    "must be M or F"),
		    hr_error_at(err, sub(f, sizeof f, path, "sex"));
	return 0;
}

static int
person_idents(struct intake_save *s, struct intake_person *ip,
    const msgpack_object **v, const char *path, int *oom,
    struct hr_error *err)
{
	const char *birth = own_str(s, v[P_BIRTH], oom),
	    *rnokpp = own_str(s, v[P_RNOKPP], oom),
	    *unzr = own_str(s, v[P_UNZR], oom),
	    *type = own_str(s, v[P_DOCTYPE], oom),
	    *num = own_str(s, v[P_DOCNUM], oom),
	    *phone = own_str(s, v[P_PHONE], oom);
	char f[PATH_MAX_LEN + 16];
	struct hr_date d;

	if (*oom)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	if (birth == NULL)
		return hr_errorf(err, HR_E_INVALID, "field.required",
		    "is required"),
		    hr_error_at(err, sub(f, sizeof f, path, "birth_date"));
	if (person_birth(ip, birth, &d, path, err) < 0 ||
	    person_rnokpp(ip, rnokpp, &d, path, err) < 0 ||
	    person_doc(ip, type, num, path, err) < 0)
		return -1;
	if (unzr != NULL) {
		if (hr_unzr_match(unzr, strlen(unzr), &d, err) < 0)
			return intake_field_err(err, sub(f, sizeof f, path, "unzr"));
		snprintf(ip->unzr, sizeof ip->unzr, "%.14s", unzr);
		ip->p.unzr = ip->unzr;
	}
	if (phone != NULL) {
		if (hr_phone_normalize(phone, strlen(phone), ip->phone,
		    sizeof ip->phone, err) < 0)
			return intake_field_err(err, sub(f, sizeof f, path, "phone"));
		ip->p.phone = ip->phone;
	}
	if (ip->p.rnokpp == NULL && ip->p.doc_number == NULL)
		return hr_errorf(err, HR_E_INVALID, "person.no_identifier",
		    "give the РНОКПП or an identity document"),
		    hr_error_at(err, sub(f, sizeof f, path, "rnokpp"));
	return 0;
}

static int
parse_person(struct intake_save *s, const msgpack_object *o,
    struct intake_person *ip, const char *path, struct hr_error *err)
{
	const msgpack_object *v[P__COUNT];
	int oom = 0;

	memset(ip, 0, sizeof *ip);
	if (nested_check(&person_schema, o, v, path, err) < 0)
		return -1;
	ip->id = hr_val_int(v[P_ID], 0);
	ip->p.rnokpp_refused = hr_val_bool(v[P_REFUSED], 0);
	if (person_names(s, ip, v, path, &oom, err) < 0)
		return -1;
	return person_idents(s, ip, v, path, &oom, err);
}

/* ---- family ----------------------------------------------------------- */

enum { F_RELATION, F_PERSON, F__COUNT };
static const struct hr_field member_fields[F__COUNT] = {
	[F_RELATION] = { "relation", HR_F_STR, HR_F_REQUIRED, 0, 15 },
	[F_PERSON]   = { "person",   HR_F_MAP, HR_F_REQUIRED, 0, P__COUNT },
};
static const struct hr_schema member_schema = { member_fields, F__COUNT };

static int
parse_family(struct intake_save *s, const msgpack_object *arr,
    struct hr_error *err)
{
	char path[PATH_MAX_LEN], pp[PATH_MAX_LEN + 16];

	if (arr == NULL || arr->via.array.size == 0)
		return 0;
	s->family = calloc(arr->via.array.size, sizeof *s->family);
	if (s->family == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	for (uint32_t i = 0; i < arr->via.array.size; i++) {
		struct intake_member *m = &s->family[i];
		const msgpack_object *v[F__COUNT];

		snprintf(path, sizeof path, "family[%u]", i + 1);
		if (nested_check(&member_schema, &arr->via.array.ptr[i], v, path,
		    err) < 0)
			return -1;
		snprintf(m->relation, sizeof m->relation, "%.*s",
		    (int)v[F_RELATION]->via.str.size, v[F_RELATION]->via.str.ptr);
		if (!db_relation_valid(m->relation))
			return hr_errorf(err, HR_E_INVALID, "family.relation",
			    "must be spouse, child, parent, sibling or other"),
			    hr_error_at(err, sub(pp, sizeof pp, path, "relation"));
		if (parse_person(s, v[F_PERSON], &m->person,
		    sub(pp, sizeof pp, path, "person"), err) < 0)
			return -1;
		s->nfamily++;
	}
	return 0;
}

/* ---- income ----------------------------------------------------------- */

enum { I_MEMBER, I_TYPE, I_FROM, I_TO, I_AMOUNT, I__COUNT };
static const struct hr_field income_fields[I__COUNT] = {
	[I_MEMBER] = { "member",      HR_F_INT, HR_F_REQUIRED, 0, 20 },
	[I_TYPE]   = { "type",        HR_F_STR, HR_F_REQUIRED, 0, 15 },
	[I_FROM]   = { "period_from", HR_F_STR, HR_F_REQUIRED, 0, 16 },
	[I_TO]     = { "period_to",   HR_F_STR, HR_F_REQUIRED, 0, 16 },
	[I_AMOUNT] = { "amount",      HR_F_INT, HR_F_REQUIRED, INT64_MIN, INT64_MAX },
};
static const struct hr_schema income_schema = { income_fields, I__COUNT };

static int
income_date(const msgpack_object *v, char out[HR_DATE_STR_MAX],
    const char *path, const char *field, struct hr_error *err)
{
	char f[PATH_MAX_LEN + 16];
	struct hr_date d;

	if (hr_date_parse(v->via.str.ptr, v->via.str.size, HR_MSGID("date"), &d,
	    err) < 0)
		return intake_field_err(err, sub(f, sizeof f, path, field));
	snprintf(out, HR_DATE_STR_MAX, "%04d-%02d-%02d", d.y, d.m, d.d);
	return 0;
}

static int
parse_income_row(struct intake_save *s, const msgpack_object *o,
    struct intake_income *r, const char *path, struct hr_error *err)
{
	const msgpack_object *v[I__COUNT];
	char f[PATH_MAX_LEN + 16];

	if (nested_check(&income_schema, o, v, path, err) < 0)
		return -1;
	r->r.member = (int)hr_val_int(v[I_MEMBER], 0);
	if ((size_t)r->r.member > s->nfamily)
		return hr_errorf(err, HR_E_INVALID, "income.member",
		    "{member} is not on the application (0 = the applicant, "
		    "1..{count} = family)", HR_INT("member", r->r.member),
		    HR_INT("count", s->nfamily)),
		    hr_error_at(err, sub(f, sizeof f, path, "member"));
	snprintf(r->type, sizeof r->type, "%.*s", (int)v[I_TYPE]->via.str.size,
	    v[I_TYPE]->via.str.ptr);
	if (!db_income_type_valid(r->type))
		return hr_errorf(err, HR_E_INVALID, "income.type",
		    "must be salary, pension, benefit, alimony, business or "
		    "other"), hr_error_at(err, sub(f, sizeof f, path, "type"));
	if (income_date(v[I_FROM], r->from, path, "period_from", err) < 0 ||
	    income_date(v[I_TO], r->to, path, "period_to", err) < 0)
		return -1;
	if (strcmp(r->from, r->to) > 0)
		return hr_errorf(err, HR_E_INVALID, "income.period",
		    "is before period_from"),
		    hr_error_at(err, sub(f, sizeof f, path, "period_to"));
	r->r.type = r->type;
	r->r.period_from = r->from;
	r->r.period_to = r->to;
	r->r.amount = hr_val_int(v[I_AMOUNT], 0);
	if (r->r.amount < 0)
		return hr_errorf(err, HR_E_INVALID, "income.negative",
		    "must not be negative (kopecks)"),
		    hr_error_at(err, sub(f, sizeof f, path, "amount"));
	return 0;
}

static int
parse_income(struct intake_save *s, const msgpack_object *arr,
    struct hr_error *err)
{
	char path[PATH_MAX_LEN];

	if (arr == NULL || arr->via.array.size == 0)
		return 0;
	s->income = calloc(arr->via.array.size, sizeof *s->income);
	if (s->income == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	for (uint32_t i = 0; i < arr->via.array.size; i++) {
		snprintf(path, sizeof path, "income[%u]", i + 1);
		if (parse_income_row(s, &arr->via.array.ptr[i], &s->income[i],
		    path, err) < 0)
			return -1;
		s->nincome++;
	}
	return 0;
}

/* ---- documents, payment, service -------------------------------------- */

/* "documents[k]", k counted from 1. */
static const char *
doc_path(char *buf, size_t cap, uint32_t i)
{
	snprintf(buf, cap, "documents[%u]", i + 1);
	return buf;
}

static int
parse_documents(struct srv_req *rq, struct intake_save *s,
    const msgpack_object *arr, struct hr_error *err)
{
	char path[PATH_MAX_LEN];
	int oom = 0, rc;

	if (arr == NULL || arr->via.array.size == 0)
		return 0;
	if ((s->docs = calloc(arr->via.array.size, sizeof *s->docs)) == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	for (uint32_t i = 0; i < arr->via.array.size; i++) {
		const msgpack_object *o = &arr->via.array.ptr[i];
		const char *code;

		if (o->type != MSGPACK_OBJECT_STR || o->via.str.size == 0 ||
		    o->via.str.size > 32)
			return hr_errorf(err, HR_E_INVALID, "documents.code",
			    "must be a document code"),
			    hr_error_at(err, doc_path(path, sizeof path, i));
		if ((code = own_str(s, o, &oom)) == NULL)
			return hr_error_set(err, HR_E_INTERNAL, "out of memory");
		if ((rc = db_doctype_exists(rq->db, code, err)) < 0)
			return -1;
		if (rc == 0)
			return hr_errorf(err, HR_E_INVALID, "documents.unknown",
			    "unknown document type \"{value}\"",
			    HR_STR("value", code)),
			    hr_error_at(err, doc_path(path, sizeof path, i));
		s->docs[s->ndocs++] = code;
	}
	return 0;
}

enum { Y_METHOD, Y_IBAN, Y_POST, Y__COUNT };
static const struct hr_field payment_fields[Y__COUNT] = {
	[Y_METHOD] = { "method",      HR_F_STR, HR_F_REQUIRED, 0, 8 },
	[Y_IBAN]   = { "iban",        HR_F_STR, HR_F_NULLABLE, 0, 64 },
	[Y_POST]   = { "post_office", HR_F_STR, HR_F_NULLABLE, 0, 200 },
};
static const struct hr_schema payment_schema = { payment_fields, Y__COUNT };

static int
parse_payment(struct intake_save *s, const msgpack_object *o,
    struct hr_error *err)
{
	const msgpack_object *v[Y__COUNT];
	int oom = 0;

	if (o == NULL)
		return 0;
	if (nested_check(&payment_schema, o, v, "payment", err) < 0)
		return -1;
	if (hr_val_str_eq(v[Y_METHOD], "bank")) {
		s->pay_method = "bank";
		if (v[Y_IBAN] == NULL || v[Y_IBAN]->via.str.size == 0)
			return hr_errorf(err, HR_E_INVALID, "payment.iban",
			    "is required when paid to a bank account"),
			    hr_error_at(err, "payment.iban");
		if (hr_iban_normalize(v[Y_IBAN]->via.str.ptr,
		    v[Y_IBAN]->via.str.size, s->iban, sizeof s->iban, err) < 0)
			return intake_field_err(err, "payment.iban");
		return 0;
	}
	if (!hr_val_str_eq(v[Y_METHOD], "post"))
		return hr_errorf(err, HR_E_INVALID, "payment.method",
		    "must be bank or post"), hr_error_at(err, "payment.method");
	s->pay_method = "post";
	s->post_office = own_str(s, v[Y_POST], &oom);
	if (oom)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	if (s->post_office == NULL)
		return hr_errorf(err, HR_E_INVALID, "payment.post_office",
		    "is required when paid by post"),
		    hr_error_at(err, "payment.post_office");
	return 0;
}

static int
parse_service(struct srv_req *rq, struct intake_save *s, struct hr_error *err)
{
	int oom = 0, rc;

	s->service = own_str(s, rq->vals[SAVE_SERVICE], &oom);
	if (oom)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	if (s->service == NULL)
		return hr_errorf(err, HR_E_INVALID, "field.required",
		    "is required"), hr_error_at(err, "service");
	if ((rc = db_service_exists(rq->db, s->service, err)) < 0)
		return -1;
	if (rc == 0)
		return hr_errorf(err, HR_E_INVALID, "service.unknown",
		    "unknown service \"{value}\"", HR_STR("value", s->service)),
		    hr_error_at(err, "service");
	return 0;
}

static int
parse_contact(struct intake_save *s, const msgpack_object **vals,
    struct hr_error *err)
{
	const msgpack_object *ph = vals[SAVE_PHONE];
	int oom = 0;

	if (ph != NULL && ph->via.str.size > 0 && hr_phone_normalize(
	    ph->via.str.ptr, ph->via.str.size, s->phone, sizeof s->phone,
	    err) < 0)
		return intake_field_err(err, "phone");
	s->notes = own_str(s, vals[SAVE_NOTES], &oom);
	return oom ? hr_error_set(err, HR_E_INTERNAL, "out of memory") : 0;
}

int
intake_parse(struct srv_req *rq, struct intake_save *s, struct hr_error *err)
{
	const msgpack_object **vals = rq->vals;

	memset(s, 0, sizeof *s);
	s->id = hr_val_int(vals[SAVE_ID], 0);
	s->version = hr_val_int(vals[SAVE_VERSION], 0);
	if (s->id != 0 && s->version == 0)
		return hr_errorf(err, HR_E_INVALID, "application.version",
		    "is required with id (the version you loaded)"),
		    hr_error_at(err, "version");
	if (parse_service(rq, s, err) < 0 ||
	    parse_person(s, vals[SAVE_APPLICANT], &s->applicant, "applicant",
	    err) < 0 ||
	    parse_family(s, vals[SAVE_FAMILY], err) < 0 ||
	    parse_income(s, vals[SAVE_INCOME], err) < 0 ||
	    parse_documents(rq, s, vals[SAVE_DOCUMENTS], err) < 0 ||
	    parse_payment(s, vals[SAVE_PAYMENT], err) < 0 ||
	    parse_contact(s, vals, err) < 0)
		return -1;
	return db_package_full(rq->db, s->service, s->docs, s->ndocs,
	    &s->package_full, err);
}
