/*
 * wire.c — printed documents' data packed and read (wire.h).
 *
 * Each structure has one table of its string fields (name on the wire,
 * offset in the structure) that both directions walk, so a field added to
 * one side is on the other.
 */
#include "config.h"

#include "paper/wire.h"

#include <stddef.h>
#include <string.h>

#include "proto/mpread.h"
#include "proto/rpc.h"

/* ---- the tables ---- */

struct sfield {
	const char *key;
	size_t      off;
};
#define SF(type, f) { #f, offsetof(struct type, f) }

static const struct sfield person_str[] = {
	SF(paper_person, surname), SF(paper_person, name),
	SF(paper_person, patronymic), SF(paper_person, birth_date),
	SF(paper_person, sex), SF(paper_person, rnokpp),
	SF(paper_person, unzr), SF(paper_person, doc_type),
	SF(paper_person, doc_number), SF(paper_person, reg_address),
	SF(paper_person, act_address), SF(paper_person, phone),
	SF(paper_person, relation),
};
static const struct sfield office_str[] = {
	SF(paper_office, name), SF(paper_office, address),
	SF(paper_office, phone), SF(paper_office, email),
	SF(paper_office, hours),
};
static const struct sfield app_str[] = {
	SF(paper_app, reg_no), SF(paper_app, reg_date), SF(paper_app, status),
	SF(paper_app, service), SF(paper_app, service_name),
	SF(paper_app, hromada), SF(paper_app, clerk),
	SF(paper_app, printed_by), SF(paper_app, printed_on),
	SF(paper_app, pay_method), SF(paper_app, iban),
	SF(paper_app, post_office), SF(paper_app, phone),
};
static const struct sfield decision_str[] = {
	SF(paper_decision, decision), SF(paper_decision, period_from),
	SF(paper_decision, period_to), SF(paper_decision, reason),
	SF(paper_decision, decided_on),
};
static const struct sfield income_str[] = {
	SF(paper_income, type), SF(paper_income, period_from),
	SF(paper_income, period_to),
};
static const struct sfield register_str[] = {
	SF(paper_register, made_on), SF(paper_register, stage),
	SF(paper_register, from_name), SF(paper_register, to_name),
	SF(paper_register, made_by), SF(paper_register, period_from),
	SF(paper_register, period_to),
};
#define N(a) (sizeof (a) / sizeof (a)[0])

static const char *const *
str_at(const void *base, size_t off)
{
	return (const char *const *)((const char *)base + off);
}

/* ---- packing ---- */

static void
pack_strs(msgpack_packer *pk, const void *base, const struct sfield *f,
    size_t n)
{
	for (size_t i = 0; i < n; i++)
		hr_pack_kv_str(pk, f[i].key, *str_at(base, f[i].off));
}

static void
pack_person(msgpack_packer *pk, const struct paper_person *p)
{
	msgpack_pack_map(pk, N(person_str) + 1);
	pack_strs(pk, p, person_str, N(person_str));
	hr_pack_kv_bool(pk, "rnokpp_refused", p->rnokpp_refused);
}

static void
pack_office(msgpack_packer *pk, const char *key, const struct paper_office *o)
{
	hr_pack_str(pk, key);
	msgpack_pack_map(pk, N(office_str));
	pack_strs(pk, o, office_str, N(office_str));
}

static void
pack_docs(msgpack_packer *pk, const char *key, const struct paper_docref *d,
    size_t n)
{
	hr_pack_str(pk, key);
	msgpack_pack_array(pk, (uint32_t)n);
	for (size_t i = 0; i < n; i++) {
		msgpack_pack_map(pk, 2);
		hr_pack_kv_str(pk, "code", d[i].code);
		hr_pack_kv_str(pk, "name", d[i].name);
	}
}

static void
pack_decision(msgpack_packer *pk, const struct paper_app *a)
{
	hr_pack_str(pk, "decision");
	if (!a->has_decision) {
		msgpack_pack_nil(pk);
		return;
	}
	msgpack_pack_map(pk, N(decision_str) + 1);
	pack_strs(pk, &a->decision, decision_str, N(decision_str));
	hr_pack_str(pk, "amount");
	if (a->decision.has_amount)
		msgpack_pack_int64(pk, a->decision.amount);
	else
		msgpack_pack_nil(pk);
}

void
paper_wire_pack_app(msgpack_packer *pk, const struct paper_app *a)
{
	msgpack_pack_map(pk, N(app_str) + 10);
	hr_pack_kv_int(pk, "id", a->id);
	pack_strs(pk, a, app_str, N(app_str));
	hr_pack_kv_bool(pk, "repeat", a->repeat);
	pack_office(pk, "front_office", &a->front_office);
	pack_office(pk, "back_office", &a->back_office);
	hr_pack_str(pk, "applicant");
	pack_person(pk, &a->applicant);
	hr_pack_str(pk, "family");
	msgpack_pack_array(pk, (uint32_t)a->nfamily);
	for (size_t i = 0; i < a->nfamily; i++)
		pack_person(pk, &a->family[i]);
	hr_pack_str(pk, "income");
	msgpack_pack_array(pk, (uint32_t)a->nincome);
	for (size_t i = 0; i < a->nincome; i++) {
		msgpack_pack_map(pk, N(income_str) + 2);
		hr_pack_kv_int(pk, "member", a->income[i].member);
		pack_strs(pk, &a->income[i], income_str, N(income_str));
		hr_pack_kv_int(pk, "amount", a->income[i].amount);
	}
	pack_docs(pk, "documents", a->documents, a->ndocuments);
	pack_docs(pk, "missing", a->missing, a->nmissing);
	pack_decision(pk, a);
}

void
paper_wire_pack_register(msgpack_packer *pk, const struct paper_register *r)
{
	msgpack_pack_map(pk, N(register_str) + 4);
	hr_pack_kv_int(pk, "id", r->id);
	hr_pack_kv_int(pk, "number", r->number);
	hr_pack_kv_int(pk, "year", r->year);
	pack_strs(pk, r, register_str, N(register_str));
	hr_pack_str(pk, "rows");
	msgpack_pack_array(pk, (uint32_t)r->nrows);
	for (size_t i = 0; i < r->nrows; i++) {
		const struct paper_register_row *w = &r->rows[i];
		msgpack_pack_array(pk, 9);
		msgpack_pack_int64(pk, w->ord);
		msgpack_pack_int64(pk, w->application_id);
		hr_pack_str(pk, w->reg_no);
		hr_pack_str(pk, w->reg_date);
		hr_pack_str(pk, w->applicant);
		hr_pack_str(pk, w->ident);
		hr_pack_str(pk, w->service_name);
		msgpack_pack_int64(pk, w->documents);
		msgpack_pack_int64(pk, w->missing);
	}
}

/* ---- reading ---- */

/* Fields by the rules of proto/mpread.h: absent or of another type reads
 * as absent. */
#define get(m, key)      hr_val_get((m), (key))
#define get_int(m, key)  hr_val_int(hr_val_get((m), (key)), 0)
#define get_bool(m, key) hr_val_bool(hr_val_get((m), (key)), 0)

static const char *
obj_str(struct paper_arena *a, const msgpack_object *v)
{
	if (v == NULL || v->type != MSGPACK_OBJECT_STR)
		return NULL;
	return paper_arena_strndup(a, v->via.str.ptr, v->via.str.size);
}

static void
read_strs(struct paper_arena *a, const msgpack_object *m, void *base,
    const struct sfield *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		*(const char **)((char *)base + f[i].off) =
		    obj_str(a, get(m, f[i].key));
}

/* An array value and its length (0 when absent or not an array). */
static const msgpack_object *
get_array(const msgpack_object *m, const char *key, size_t *n)
{
	const msgpack_object *v = get(m, key);

	*n = v && v->type == MSGPACK_OBJECT_ARRAY ? v->via.array.size : 0;
	return *n ? v->via.array.ptr : NULL;
}

static void
read_person(struct paper_arena *a, const msgpack_object *m,
    struct paper_person *p)
{
	read_strs(a, m, p, person_str, N(person_str));
	p->rnokpp_refused = get_bool(m, "rnokpp_refused");
}

static void *
read_array(struct paper_arena *a, const msgpack_object *m, const char *key,
    size_t elem, size_t *n, const msgpack_object **items)
{
	*items = get_array(m, key, n);
	return *n ? paper_arena_alloc(a, *n * elem) : NULL;
}

static struct paper_docref *
read_docs(struct paper_arena *a, const msgpack_object *m, const char *key,
    size_t *n)
{
	const msgpack_object *items;
	struct paper_docref *d = read_array(a, m, key, sizeof *d, n, &items);

	for (size_t i = 0; d != NULL && i < *n; i++) {
		d[i].code = obj_str(a, get(&items[i], "code"));
		d[i].name = obj_str(a, get(&items[i], "name"));
	}
	return d;
}

static void
read_decision(struct paper_app *a, const msgpack_object *m)
{
	const msgpack_object *d = get(m, "decision"), *amt;

	if (d == NULL || d->type != MSGPACK_OBJECT_MAP)
		return;
	a->has_decision = 1;
	read_strs(&a->arena, d, &a->decision, decision_str, N(decision_str));
	amt = get(d, "amount");
	a->decision.has_amount = amt != NULL &&
	    amt->type == MSGPACK_OBJECT_POSITIVE_INTEGER;
	a->decision.amount = a->decision.has_amount ? get_int(d, "amount") : 0;
}

int
paper_wire_read_app(const msgpack_object *m, struct paper_app *a,
    struct hr_error *err)
{
	const msgpack_object *items;

	memset(a, 0, sizeof *a);
	if (m == NULL || m->type != MSGPACK_OBJECT_MAP)
		return hr_error_set(err, HR_E_PROTOCOL, "the application to "
		    "print is not a map");
	a->id = get_int(m, "id");
	read_strs(&a->arena, m, a, app_str, N(app_str));
	a->repeat = get_bool(m, "repeat");
	read_strs(&a->arena, get(m, "front_office"), &a->front_office,
	    office_str, N(office_str));
	read_strs(&a->arena, get(m, "back_office"), &a->back_office,
	    office_str, N(office_str));
	read_person(&a->arena, get(m, "applicant"), &a->applicant);
	a->family = read_array(&a->arena, m, "family", sizeof *a->family,
	    &a->nfamily, &items);
	for (size_t i = 0; a->family != NULL && i < a->nfamily; i++)
		read_person(&a->arena, &items[i], &a->family[i]);
	a->income = read_array(&a->arena, m, "income", sizeof *a->income,
	    &a->nincome, &items);
	for (size_t i = 0; a->income != NULL && i < a->nincome; i++) {
		read_strs(&a->arena, &items[i], &a->income[i], income_str,
		    N(income_str));
		a->income[i].member = (int)get_int(&items[i], "member");
		a->income[i].amount = get_int(&items[i], "amount");
	}
	a->documents = read_docs(&a->arena, m, "documents", &a->ndocuments);
	a->missing = read_docs(&a->arena, m, "missing", &a->nmissing);
	read_decision(a, m);
	if (a->arena.failed)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	return 0;
}

int
paper_wire_read_register(const msgpack_object *m, struct paper_register *r,
    struct hr_error *err)
{
	const msgpack_object *rows;
	size_t n;

	memset(r, 0, sizeof *r);
	if (m == NULL || m->type != MSGPACK_OBJECT_MAP)
		return hr_error_set(err, HR_E_PROTOCOL, "the register to print "
		    "is not a map");
	r->id = get_int(m, "id");
	r->number = (int)get_int(m, "number");
	r->year = (int)get_int(m, "year");
	read_strs(&r->arena, m, r, register_str, N(register_str));
	rows = get_array(m, "rows", &n);
	r->rows = n ? paper_arena_alloc(&r->arena, n * sizeof *r->rows) : NULL;
	for (size_t i = 0; r->rows != NULL && i < n; i++) {
		const msgpack_object *w = &rows[i];
		const msgpack_object *c = w->via.array.ptr;
		struct paper_register_row *o = &r->rows[r->nrows];
		if (w->type != MSGPACK_OBJECT_ARRAY || w->via.array.size != 9 ||
		    c[0].type != MSGPACK_OBJECT_POSITIVE_INTEGER ||
		    c[1].type != MSGPACK_OBJECT_POSITIVE_INTEGER ||
		    c[7].type != MSGPACK_OBJECT_POSITIVE_INTEGER ||
		    c[8].type != MSGPACK_OBJECT_POSITIVE_INTEGER)
			return hr_error_set(err, HR_E_PROTOCOL, "register row %zu "
			    "is not [ord, application, reg_no, reg_date, "
			    "applicant, ident, service, documents, missing]",
			    i + 1);
		o->ord = (int)c[0].via.u64;
		o->application_id = (int64_t)c[1].via.u64;
		o->reg_no = obj_str(&r->arena, &c[2]);
		o->reg_date = obj_str(&r->arena, &c[3]);
		o->applicant = obj_str(&r->arena, &c[4]);
		o->ident = obj_str(&r->arena, &c[5]);
		o->service_name = obj_str(&r->arena, &c[6]);
		o->documents = (int)(c[7].via.u64 & 0x7fffffff);
		o->missing = (int)(c[8].via.u64 & 0x7fffffff);
		r->nrows++;
	}
	if (r->arena.failed)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	return 0;
}
