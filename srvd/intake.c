/*
 * intake.c — helpers shared by the intake methods (see intake.h).
 */
#include "srvd/intake.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "proto/fold.h"
#include "proto/rpc.h"
#include "srvd/scope.h"
#include "srvd/session.h"

int
intake_app_load(struct srv_req *rq, int64_t id, struct db_app *out,
    struct hr_error *err)
{
	const struct conn_session *s = rq->sess;

	if (db_app_get(rq->db, id, out, err) == 0) {
		if (scope_sees_app(&s->scope, s->role, out)) {
			rq->app_seen = id;
			return 0;
		}
		db_app_free(out);
	} else if (err->code != HR_E_NOT_FOUND)
		return -1;
	/* One answer, byte for byte, for an id that does not exist and one
	 * out of sight; it does not even repeat the id. */
	return hr_errorf(err, HR_E_NOT_FOUND, "application.not_found",
	    "application not found");
}

int
intake_conflict(struct srv_req *rq, const struct db_app *a,
    struct hr_error *err)
{
	char who[128], when[32] = "?";
	int64_t at = 0;
	struct tm tm;
	time_t t;

	if (db_app_last_change(rq->db, a->id, who, sizeof who, &at,
	    err) < 0)
		return -1;
	t = (time_t)at;
	if (at != 0 && localtime_r(&t, &tm) != NULL)
		strftime(when, sizeof when, "%d.%m.%Y %H:%M", &tm);
	if (who[0] == '\0')
		return hr_errorf(err, HR_E_CONFLICT, "application.changed",
		    "application {reg_no} was changed by another user at {at}; "
		    "reload", HR_STR("reg_no", a->reg_no ? a->reg_no :
		    "(draft)"), HR_STR("at", when));
	return hr_errorf(err, HR_E_CONFLICT, "application.changed",
	    "application {reg_no} was changed by {user} at {at}; reload",
	    HR_STR("reg_no", a->reg_no ? a->reg_no : "(draft)"),
	    HR_STR("user", who), HR_STR("at", when));
}

void
intake_pack_person(msgpack_packer *pk, const struct db_person_view *v,
    int full, const char *relation)
{
	const struct db_person *p = &v->p;

	msgpack_pack_map(pk, (full ? 14 : 11) + (relation != NULL));
	if (relation != NULL)
		hr_pack_kv_str(pk, "relation", relation);
	hr_pack_kv_int(pk, "id", v->id);
	hr_pack_kv_str(pk, "rnokpp", p->rnokpp);
	hr_pack_kv_bool(pk, "rnokpp_refused", p->rnokpp_refused);
	hr_pack_kv_str(pk, "surname", p->surname);
	hr_pack_kv_str(pk, "name", p->name);
	hr_pack_kv_str(pk, "patronymic", p->patronymic);
	hr_pack_kv_str(pk, "birth_date", p->birth_date);
	hr_pack_kv_str(pk, "sex", p->sex == HR_SEX_MALE ? "M" : "F");
	hr_pack_kv_str(pk, "doc_type", p->doc_type);
	hr_pack_kv_str(pk, "doc_number", p->doc_number);
	hr_pack_kv_str(pk, "reg_address", p->reg_address);
	if (!full)
		return;
	hr_pack_kv_str(pk, "unzr", p->unzr);
	hr_pack_kv_str(pk, "act_address", p->act_address);
	hr_pack_kv_str(pk, "phone", p->phone);
}

static int
intake_has(const char *s)
{
	return s != NULL && s[0] != '\0';
}

void
intake_pack_person_lean(msgpack_packer *pk, const struct db_person_view *v,
    const char *relation, const char *same_reg)
{
	const struct db_person *p = &v->p;
	int same = intake_has(same_reg) && intake_has(p->reg_address) &&
	    strcmp(same_reg, p->reg_address) == 0;
	const char *const kv[][2] = {
		{ "relation", relation },        { "rnokpp", p->rnokpp },
		{ "surname", p->surname },       { "name", p->name },
		{ "patronymic", p->patronymic }, { "birth_date", p->birth_date },
		{ "sex", p->sex == HR_SEX_MALE ? "M" : "F" },
		{ "doc_type", p->doc_type },     { "doc_number", p->doc_number },
		{ "reg_address", same ? NULL : p->reg_address },
		{ "unzr", p->unzr },             { "act_address", p->act_address },
		{ "phone", p->phone },
	};
	size_t n = 1 + (p->rnokpp_refused != 0) + (same != 0), i;

	for (i = 0; i < sizeof kv / sizeof kv[0]; i++)
		n += intake_has(kv[i][1]);
	msgpack_pack_map(pk, n);
	hr_pack_kv_int(pk, "id", v->id);
	for (i = 0; i < sizeof kv / sizeof kv[0]; i++)
		if (intake_has(kv[i][1]))
			hr_pack_kv_str(pk, kv[i][0], kv[i][1]);
	if (p->rnokpp_refused)
		hr_pack_kv_bool(pk, "rnokpp_refused", 1);
	if (same)
		hr_pack_kv_bool(pk, "reg_same", 1);
}

struct pack_ctx {
	msgpack_packer *pk;
	const char     *relation;
};

static int
pack_full_cb(void *ud, const struct db_person_view *v)
{
	struct pack_ctx *c = ud;

	intake_pack_person(c->pk, v, 1, c->relation);
	return 0;
}

int
intake_pack_person_id(struct srv_req *rq, int64_t id, const char *relation,
    struct hr_error *err)
{
	struct pack_ctx c = { rq->pk, relation };

	return db_person_get(rq->db, id, pack_full_cb, &c, err);
}

/* Is `typed` person v's РНОКПП, document number or УНЗР? */
static int
ident_is(const struct db_person *p, const char *typed)
{
	char canon[HR_DOCNUM_STR_MAX + 64];
	size_t len = strlen(typed);
	enum hr_doc_kind k;

	if (hr_query_digits(typed, len, canon, sizeof canon) == HR_RNOKPP_LEN &&
	    p->rnokpp != NULL && strcmp(canon, p->rnokpp) == 0)
		return 1;
	k = hr_docnum_guess(typed, len);
	if (k != HR_DOC_UNKNOWN && hr_docnum_normalize(k, typed, len, canon,
	    sizeof canon, NULL) == 0 && p->doc_number != NULL &&
	    strcmp(canon, p->doc_number) == 0)
		return 1;
	if (hr_unzr_check(typed, len, NULL, NULL) == 0 && p->unzr != NULL &&
	    strncmp(typed + strspn(typed, " "), p->unzr, HR_UNZR_LEN) == 0)
		return 1;
	return 0;
}

struct reach_ctx {
	const char *const *idents;
	size_t             n;
	int                yes;
};

static int
reach_cb(void *ud, const struct db_person_view *v)
{
	struct reach_ctx *c = ud;

	for (size_t i = 0; i < c->n && !c->yes; i++)
		if (c->idents[i] != NULL && *c->idents[i] != '\0')
			c->yes = ident_is(&v->p, c->idents[i]);
	return 0;
}

int
intake_person_reachable(struct srv_req *rq, int64_t id,
    const char *const *idents, size_t n, int *yes, struct hr_error *err)
{
	struct reach_ctx c = { idents, n, 0 };

	*yes = 0;
	if (rq->sess->scope.oblast_id != 0 && db_person_in_oblast(rq->db, id,
	    rq->sess->scope.oblast_id, yes, err) < 0)
		return -1;
	if (*yes || n == 0)
		return 0;
	if (db_person_get(rq->db, id, reach_cb, &c, err) < 0) {
		if (err->code != HR_E_NOT_FOUND)
			return -1;
		hr_error_clear(err);
		return 0;
	}
	*yes = c.yes;
	return 0;
}

void
intake_list_init(struct intake_list *l)
{
	msgpack_sbuffer_init(&l->sb);
	msgpack_packer_init(&l->pk, &l->sb, msgpack_sbuffer_write);
	l->n = 0;
}

void
intake_list_flush(struct intake_list *l, msgpack_packer *pk, const char *key)
{
	hr_pack_str(pk, key);
	msgpack_pack_array(pk, l->n);
	if (l->sb.size > 0)
		pk->callback(pk->data, l->sb.data, l->sb.size);
	intake_list_destroy(l);
}

void
intake_list_destroy(struct intake_list *l)
{
	msgpack_sbuffer_destroy(&l->sb);
	msgpack_sbuffer_init(&l->sb);
	l->n = 0;
}

static void
family_put(struct intake_family *f, int64_t id, const char *relation)
{
	if (f->n == INTAKE_FAMILY_MAX)
		return;
	f->id[f->n] = id;
	snprintf(f->relation[f->n], sizeof f->relation[0], "%s",
	    relation ? relation : "other");
	f->n++;
}

static int
family_person_cb(void *ud, int64_t member_id, const char *relation)
{
	family_put(ud, member_id, relation);
	return 0;
}

int
intake_family_of_person(struct srv_req *rq, int64_t person_id,
    struct intake_family *f, struct hr_error *err)
{
	f->n = 0;
	return db_family_each(rq->db, person_id, family_person_cb, f, err);
}

const struct intake_person_text intake_person_texts[] = {
	{ "rnokpp",      offsetof(struct db_person, rnokpp) },
	{ "surname",     offsetof(struct db_person, surname) },
	{ "name",        offsetof(struct db_person, name) },
	{ "patronymic",  offsetof(struct db_person, patronymic) },
	{ "birth_date",  offsetof(struct db_person, birth_date) },
	{ "unzr",        offsetof(struct db_person, unzr) },
	{ "doc_type",    offsetof(struct db_person, doc_type) },
	{ "doc_number",  offsetof(struct db_person, doc_number) },
	{ "reg_address", offsetof(struct db_person, reg_address) },
	{ "act_address", offsetof(struct db_person, act_address) },
	{ "phone",       offsetof(struct db_person, phone) },
};
const size_t intake_nperson_texts = sizeof intake_person_texts /
    sizeof intake_person_texts[0];

const char *
intake_person_text(const struct db_person *p, size_t i)
{
	const char *v = *(const char *const *)(const void *)((const char *)p +
	    intake_person_texts[i].off);

	return v != NULL && *v != '\0' ? v : NULL;
}

void
intake_mask(const char *s, char *out, size_t cap)
{
	size_t n = s ? strlen(s) : 0;

	if (s == NULL || n == 0)
		snprintf(out, cap, "-");
	else if (n <= 4)
		snprintf(out, cap, "…");
	else
		snprintf(out, cap, "…%s", s + n - 4);
}

/* "РНОКПП: check digit is wrong" -> "applicant.rnokpp: check digit is
 * wrong": the check's own label gives way to the field's path. */
int
intake_field_err(struct hr_error *err, const char *path)
{
	hr_error_pop(err);
	hr_error_recode(err, HR_E_INVALID);
	return hr_error_at(err, path);
}
