/*
 * intake_parse.c — application.save params to a validated struct
 * intake_save.
 *
 * The top-level params were checked by the method's schema (types and
 * bounds); nested maps are checked here with schemas of their own
 * (hr_schema_check_at: "applicant.rnokpp: is too long ..."), then every
 * value with the validators the client uses while typing (proto/ident.h)
 * and against the reference data.  Person maps are only read here: what a
 * key left out means depends on what is stored, so their fields are
 * checked by intake_persons.c once laid over it.  The first problem found
 * is the error, HR_E_INVALID naming the field by its path
 * ("family[2].birth_date: ...").  Nothing is written to the database here.
 */
#include "srvd/intake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/reference.h"
#include "proto/mpread.h"
#include "proto/schema.h"

#define PATH_MAX_LEN 48

/* ---- owned strings ---------------------------------------------------- */

/* Take ownership of copy (NULL: out of memory). */
static char *
own_keep(struct intake_save *s, char *copy, int *oom)
{
	char **grown;

	if (copy == NULL) {
		*oom = 1;
		return NULL;
	}
	if (s->nowned == s->capowned) {
		size_t cap = s->capowned ? s->capowned * 2 : 32;

		if ((grown = realloc(s->owned, cap * sizeof *grown)) == NULL) {
			free(copy);
			*oom = 1;
			return NULL;
		}
		s->owned = grown;
		s->capowned = cap;
	}
	s->owned[s->nowned++] = copy;
	return copy;
}

char *
intake_own(struct intake_save *s, const char *str, int *oom)
{
	return str == NULL ? NULL : own_keep(s, strdup(str), oom);
}

/* Copy a string value into s's ownership; NULL when absent or empty. */
static char *
own_str(struct intake_save *s, const msgpack_object *v, int *oom)
{
	if (v == NULL || v->type != MSGPACK_OBJECT_STR || v->via.str.size == 0)
		return NULL;
	return own_keep(s, hr_val_strdup(v), oom);
}

void
intake_save_free(struct intake_save *s)
{
	for (size_t i = 0; i < s->nowned; i++)
		free(s->owned[i]);
	free(s->owned);
	free(s->family);
	free(s->income);
	free(s->old);
	memset(s, 0, sizeof *s);
}

/* ---- persons ---------------------------------------------------------- */

/*
 * A person map is only read here: which keys it has and their text.  What
 * it means depends on what is stored (a left-out key keeps the field), so
 * the checks of the fields come after intake_persons_resolve has laid the
 * map over the application's copy or the base.
 */
static const struct hr_schema person_schema =
    HR_APP_SCHEMA(hr_person_fields, HR_PF__COUNT);

/* "<path>.<the field's key>" into buf. */
static const char *
sub(char *buf, size_t cap, const char *path, const struct hr_app_field *field)
{
	snprintf(buf, cap, "%s.%s", path, field->wire.name);
	return buf;
}

static int
parse_person(struct intake_save *s, const msgpack_object *o,
    struct intake_person *ip, const char *path, struct hr_error *err)
{
	const msgpack_object *v[HR_PF__COUNT];
	int oom = 0;

	memset(ip, 0, sizeof *ip);
	snprintf(ip->path, sizeof ip->path, "%s", path);
	if (hr_schema_check_at(&person_schema, o, v, path, err) < 0)
		return -1;
	ip->id = hr_val_int(v[HR_PF_ID], 0);
	for (int f = 0; f < HR_PF_ID; f++) {
		const msgpack_object *x = v[f];

		if (x == NULL)
			continue;                  /* left out: kept */
		ip->given |= 1u << f;
		if (f == HR_PF_REFUSED)
			ip->refused = hr_val_bool(x, 0);
		else
			ip->raw[f] = own_str(s, x, &oom);   /* "": cleared */
	}
	return oom ? hr_error_set(err, HR_E_INTERNAL, "out of memory") : 0;
}

/* ---- family ----------------------------------------------------------- */

static const struct hr_schema member_schema =
    HR_APP_SCHEMA(hr_member_fields, HR_MF__COUNT);

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
		const msgpack_object *v[HR_MF__COUNT];

		snprintf(path, sizeof path, "family[%u]", i + 1);
		if (hr_schema_check_at(&member_schema, &arr->via.array.ptr[i], v,
		    path, err) < 0)
			return -1;
		snprintf(m->relation, sizeof m->relation, "%.*s",
		    (int)v[HR_MF_RELATION]->via.str.size, v[HR_MF_RELATION]->via.str.ptr);
		if (!db_relation_valid(m->relation))
			return hr_errorf(err, HR_E_INVALID, "family.relation",
			    "must be spouse, child, parent, sibling or other"),
			    hr_error_at(err, sub(pp, sizeof pp, path,
		    &hr_member_fields[HR_MF_RELATION]));
		if (parse_person(s, v[HR_MF_PERSON], &m->person,
		    sub(pp, sizeof pp, path,
		    &hr_member_fields[HR_MF_PERSON]), err) < 0)
			return -1;
		s->nfamily++;
	}
	return 0;
}

/* ---- income ----------------------------------------------------------- */

static const struct hr_schema income_schema =
    HR_APP_SCHEMA(hr_income_fields, HR_IF__COUNT);

static int
income_date(const msgpack_object *v, char out[HR_DATE_STR_MAX],
    const char *path, enum hr_income_field field, struct hr_error *err)
{
	char f[PATH_MAX_LEN + 16];
	struct hr_date d;

	if (hr_date_parse(v->via.str.ptr, v->via.str.size, HR_MSGID("date"), &d,
	    err) < 0)
		return intake_field_err(err, sub(f, sizeof f, path,
		    &hr_income_fields[field]));
	snprintf(out, HR_DATE_STR_MAX, "%04d-%02d-%02d", d.y, d.m, d.d);
	return 0;
}

static int
parse_income_row(struct intake_save *s, const msgpack_object *o,
    struct intake_income *r, const char *path, struct hr_error *err)
{
	const msgpack_object *v[HR_IF__COUNT];
	char f[PATH_MAX_LEN + 16];

	if (hr_schema_check_at(&income_schema, o, v, path, err) < 0)
		return -1;
	r->r.member = (int)hr_val_int(v[HR_IF_MEMBER], 0);
	if ((size_t)r->r.member > s->nfamily && s->nfamily == 0)
		return hr_errorf(err, HR_E_INVALID, "income.member_alone",
		    "{member} is not on the application (0 = the applicant; "
		    "there are no family members)", HR_INT("member",
		    r->r.member)), hr_error_at(err, sub(f, sizeof f, path,
		    &hr_income_fields[HR_IF_MEMBER]));
	if ((size_t)r->r.member > s->nfamily)
		return hr_errorf(err, HR_E_INVALID, "income.member",
		    "{member} is not on the application (0 = the applicant, "
		    "1..{count} = family)", HR_INT("member", r->r.member),
		    HR_INT("count", s->nfamily)),
		    hr_error_at(err, sub(f, sizeof f, path,
		    &hr_income_fields[HR_IF_MEMBER]));
	snprintf(r->type, sizeof r->type, "%.*s", (int)v[HR_IF_TYPE]->via.str.size,
	    v[HR_IF_TYPE]->via.str.ptr);
	if (!db_income_type_valid(r->type))
		return hr_errorf(err, HR_E_INVALID, "income.type",
		    "must be salary, pension, benefit, alimony, business or "
		    "other"), hr_error_at(err, sub(f, sizeof f, path,
		    &hr_income_fields[HR_IF_TYPE]));
	if (income_date(v[HR_IF_FROM], r->from, path, HR_IF_FROM, err) < 0 ||
	    income_date(v[HR_IF_TO], r->to, path, HR_IF_TO, err) < 0)
		return -1;
	if (strcmp(r->from, r->to) > 0)
		return hr_errorf(err, HR_E_INVALID, "income.period",
		    "is before period_from"),
		    hr_error_at(err, sub(f, sizeof f, path,
		    &hr_income_fields[HR_IF_TO]));
	r->r.type = r->type;
	r->r.period_from = r->from;
	r->r.period_to = r->to;
	r->r.amount = hr_val_int(v[HR_IF_AMOUNT], 0);
	if (r->r.amount < 0)
		return hr_errorf(err, HR_E_INVALID, "income.negative",
		    "must not be negative (kopecks)"),
		    hr_error_at(err, sub(f, sizeof f, path,
		    &hr_income_fields[HR_IF_AMOUNT]));
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

/* ---- payment, service ------------------------------------------------- */

static const struct hr_schema payment_schema =
    HR_APP_SCHEMA(hr_payment_fields, HR_YF__COUNT);

static int
parse_payment(struct intake_save *s, const msgpack_object *o,
    struct hr_error *err)
{
	const msgpack_object *v[HR_YF__COUNT];
	int oom = 0;

	if (o == NULL)
		return 0;
	if (hr_schema_check_at(&payment_schema, o, v, "payment", err) < 0)
		return -1;
	if (hr_val_str_eq(v[HR_YF_METHOD], hr_pay_methods[HR_PAY_BANK].name)) {
		s->pay_method = hr_pay_methods[HR_PAY_BANK].name;
		if (v[HR_YF_IBAN] == NULL || v[HR_YF_IBAN]->via.str.size == 0)
			return hr_errorf(err, HR_E_INVALID, "payment.iban",
			    "is required when paid to a bank account"),
			    hr_error_at(err, "payment.iban");
		if (hr_iban_normalize(v[HR_YF_IBAN]->via.str.ptr,
		    v[HR_YF_IBAN]->via.str.size, s->iban, sizeof s->iban, err) < 0)
			return intake_field_err(err, "payment.iban");
		return 0;
	}
	if (!hr_val_str_eq(v[HR_YF_METHOD], hr_pay_methods[HR_PAY_POST].name))
		return hr_errorf(err, HR_E_INVALID, "payment.method",
		    "must be bank or post"), hr_error_at(err, "payment.method");
	s->pay_method = hr_pay_methods[HR_PAY_POST].name;
	s->post_office = own_str(s, v[HR_YF_POST], &oom);
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

	s->service = own_str(s, rq->vals[HR_SF_SERVICE], &oom);
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
	const msgpack_object *ph = vals[HR_SF_PHONE];
	int oom = 0;

	if (ph != NULL && ph->via.str.size > 0 && hr_phone_normalize(
	    ph->via.str.ptr, ph->via.str.size, s->phone, sizeof s->phone,
	    err) < 0)
		return intake_field_err(err, "phone");
	s->notes = own_str(s, vals[HR_SF_NOTES], &oom);
	return oom ? hr_error_set(err, HR_E_INTERNAL, "out of memory") : 0;
}

int
intake_parse(struct srv_req *rq, struct intake_save *s, struct hr_error *err)
{
	const msgpack_object **vals = rq->vals;

	memset(s, 0, sizeof *s);
	s->id = hr_val_int(vals[HR_SF_ID], 0);
	s->version = hr_val_int(vals[HR_SF_VERSION], 0);
	if (s->id != 0 && s->version == 0)
		return hr_errorf(err, HR_E_INVALID, "application.version",
		    "is required with id (the version you loaded)"),
		    hr_error_at(err, "version");
	if (parse_service(rq, s, err) < 0 ||
	    parse_person(s, vals[HR_SF_APPLICANT], &s->applicant, "applicant",
	    err) < 0 ||
	    parse_family(s, vals[HR_SF_FAMILY], err) < 0 ||
	    parse_income(s, vals[HR_SF_INCOME], err) < 0 ||
	    parse_payment(s, vals[HR_SF_PAYMENT], err) < 0 ||
	    parse_contact(s, vals, err) < 0)
		return -1;
	return 0;
}
