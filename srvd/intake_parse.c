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
enum { P_ID, P__FIRST };

static const struct hr_field person_fields[P__FIRST + IPF__COUNT] = {
	[P_ID]                       = { "id",             HR_F_INT,  HR_F_NULLABLE, 1, INT64_MAX },
	[P__FIRST + IPF_RNOKPP]      = { "rnokpp",         HR_F_STR,  HR_F_NULLABLE, 0, 16 },
	[P__FIRST + IPF_REFUSED]     = { "rnokpp_refused", HR_F_BOOL, HR_F_NULLABLE, 0, 0 },
	[P__FIRST + IPF_SURNAME]     = { "surname",        HR_F_STR,  HR_F_NULLABLE, 0, 64 },
	[P__FIRST + IPF_NAME]        = { "name",           HR_F_STR,  HR_F_NULLABLE, 0, 64 },
	[P__FIRST + IPF_PATRONYMIC]  = { "patronymic",     HR_F_STR,  HR_F_NULLABLE, 0, 64 },
	[P__FIRST + IPF_BIRTH]       = { "birth_date",     HR_F_STR,  HR_F_NULLABLE, 0, 16 },
	[P__FIRST + IPF_SEX]         = { "sex",            HR_F_STR,  HR_F_NULLABLE, 0, 1 },
	[P__FIRST + IPF_UNZR]        = { "unzr",           HR_F_STR,  HR_F_NULLABLE, 0, 20 },
	[P__FIRST + IPF_DOCTYPE]     = { "doc_type",       HR_F_STR,  HR_F_NULLABLE, 0, 16 },
	[P__FIRST + IPF_DOCNUM]      = { "doc_number",     HR_F_STR,  HR_F_NULLABLE, 0, 32 },
	[P__FIRST + IPF_REGADDR]     = { "reg_address",    HR_F_STR,  HR_F_NULLABLE, 0, 300 },
	[P__FIRST + IPF_ACTADDR]     = { "act_address",    HR_F_STR,  HR_F_NULLABLE, 0, 300 },
	[P__FIRST + IPF_PHONE]       = { "phone",          HR_F_STR,  HR_F_NULLABLE, 0, 32 },
};
static const struct hr_schema person_schema = { person_fields,
    P__FIRST + IPF__COUNT };

/* "<path>.<field>" into buf. */
static const char *
sub(char *buf, size_t cap, const char *path, const char *field)
{
	snprintf(buf, cap, "%s.%s", path, field);
	return buf;
}

static int
parse_person(struct intake_save *s, const msgpack_object *o,
    struct intake_person *ip, const char *path, struct hr_error *err)
{
	const msgpack_object *v[P__FIRST + IPF__COUNT];
	int oom = 0;

	memset(ip, 0, sizeof *ip);
	snprintf(ip->path, sizeof ip->path, "%s", path);
	if (hr_schema_check_at(&person_schema, o, v, path, err) < 0)
		return -1;
	ip->id = hr_val_int(v[P_ID], 0);
	for (int f = 0; f < IPF__COUNT; f++) {
		const msgpack_object *x = v[P__FIRST + f];

		if (x == NULL)
			continue;                  /* left out: kept */
		ip->given |= 1u << f;
		if (f == IPF_REFUSED)
			ip->refused = hr_val_bool(x, 0);
		else
			ip->raw[f] = own_str(s, x, &oom);   /* "": cleared */
	}
	return oom ? hr_error_set(err, HR_E_INTERNAL, "out of memory") : 0;
}

/* ---- family ----------------------------------------------------------- */

enum { F_RELATION, F_PERSON, F__COUNT };
static const struct hr_field member_fields[F__COUNT] = {
	[F_RELATION] = { "relation", HR_F_STR, HR_F_REQUIRED, 0, 15 },
	[F_PERSON]   = { "person",   HR_F_MAP, HR_F_REQUIRED, 0,
	    P__FIRST + IPF__COUNT },
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
		if (hr_schema_check_at(&member_schema, &arr->via.array.ptr[i], v,
		    path, err) < 0)
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

	if (hr_schema_check_at(&income_schema, o, v, path, err) < 0)
		return -1;
	r->r.member = (int)hr_val_int(v[I_MEMBER], 0);
	if ((size_t)r->r.member > s->nfamily && s->nfamily == 0)
		return hr_errorf(err, HR_E_INVALID, "income.member_alone",
		    "{member} is not on the application (0 = the applicant; "
		    "there are no family members)", HR_INT("member",
		    r->r.member)), hr_error_at(err, sub(f, sizeof f, path,
		    "member"));
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

/* ---- payment, service ------------------------------------------------- */

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
	if (hr_schema_check_at(&payment_schema, o, v, "payment", err) < 0)
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
	    parse_payment(s, vals[SAVE_PAYMENT], err) < 0 ||
	    parse_contact(s, vals, err) < 0)
		return -1;
	return 0;
}
