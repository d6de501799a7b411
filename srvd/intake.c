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

/* A text field of p as stored (NULL for the others). */
static const char *
person_raw(const struct db_person *p, enum hr_person_field f)
{
	switch (f) {
	case HR_PF_RNOKPP:     return p->rnokpp;
	case HR_PF_SURNAME:    return p->surname;
	case HR_PF_NAME:       return p->name;
	case HR_PF_PATRONYMIC: return p->patronymic;
	case HR_PF_BIRTH:      return p->birth_date;
	case HR_PF_UNZR:       return p->unzr;
	case HR_PF_DOCTYPE:    return p->doc_type;
	case HR_PF_DOCNUM:     return p->doc_number;
	case HR_PF_REGADDR:    return p->reg_address;
	case HR_PF_ACTADDR:    return p->act_address;
	case HR_PF_PHONE:      return p->phone;
	case HR_PF_REFUSED:
	case HR_PF_SEX:
	case HR_PF_ID:
	case HR_PF__COUNT:     break;
	}
	return NULL;
}

const char *
intake_person_value(const struct db_person *p, enum hr_person_field f)
{
	const char *v;

	switch (f) {
	case HR_PF_REFUSED:    return p->rnokpp_refused ? "true" : "false";
	case HR_PF_SEX:
		return p->sex == HR_SEX_MALE || p->sex == HR_SEX_FEMALE ?
		    hr_sexes[p->sex - 1].name : NULL;
	default:
		v = person_raw(p, f);
		return v != NULL && *v != '\0' ? v : NULL;
	}
}

/* The sex as a person map gives it: a person in the base has one. */
static const char *
sex_key_value(const struct db_person *p)
{
	return hr_sexes[p->sex == HR_SEX_MALE ? 0 : 1].name;
}

/* The fields a person_brief carries (PROTOCOL.md): all but these. */
static int
brief_has(enum hr_person_field f)
{
	return f != HR_PF_UNZR && f != HR_PF_ACTADDR && f != HR_PF_PHONE;
}

void
intake_pack_person(msgpack_packer *pk, const struct db_person_view *v,
    int full, const char *relation)
{
	const struct db_person *p = &v->p;

	msgpack_pack_map(pk, (full ? HR_PF__COUNT : HR_PF__COUNT - 3) +
	    (relation != NULL));
	if (relation != NULL)
		hr_pack_kv_str(pk, hr_member_fields[HR_MF_RELATION].wire.name,
		    relation);
	hr_pack_kv_int(pk, hr_person_fields[HR_PF_ID].wire.name, v->id);
	for (int f = 0; f < HR_PF_ID; f++) {
		const char *key = hr_person_fields[f].wire.name;

		if (!full && !brief_has(f))
			continue;
		if (f == HR_PF_REFUSED)
			hr_pack_kv_bool(pk, key, p->rnokpp_refused);
		else if (f == HR_PF_SEX)
			hr_pack_kv_str(pk, key, sex_key_value(p));
		else
			hr_pack_kv_str(pk, key, person_raw(p, f));
	}
}

void
intake_pack_person_lean(msgpack_packer *pk, const struct db_person_view *v,
    const char *relation, const char *same_reg)
{
	const struct db_person *p = &v->p;
	const char *reg = intake_person_value(p, HR_PF_REGADDR);
	int same = same_reg != NULL && *same_reg != '\0' && reg != NULL &&
	    strcmp(same_reg, reg) == 0;
	const char *val[HR_PF_ID];
	size_t n = 1 + (relation != NULL && *relation != '\0') + (same != 0);
	int f;

	for (f = 0; f < HR_PF_ID; f++) {
		val[f] = f == HR_PF_SEX ? sex_key_value(p) :
		    f == HR_PF_REFUSED ? (p->rnokpp_refused ? "" : NULL) :
		    f == HR_PF_REGADDR && same ? NULL :
		    intake_person_value(p, f);
		n += val[f] != NULL;
	}
	msgpack_pack_map(pk, n);
	hr_pack_kv_int(pk, hr_person_fields[HR_PF_ID].wire.name, v->id);
	if (relation != NULL && *relation != '\0')
		hr_pack_kv_str(pk, hr_member_fields[HR_MF_RELATION].wire.name,
		    relation);
	for (f = 0; f < HR_PF_ID; f++)
		if (f == HR_PF_REFUSED && val[f] != NULL)
			hr_pack_kv_bool(pk, hr_person_fields[f].wire.name, 1);
		else if (val[f] != NULL)
			hr_pack_kv_str(pk, hr_person_fields[f].wire.name, val[f]);
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
