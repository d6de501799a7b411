/*
 * registers.c — shared by the register.* methods (registers.h).
 */
#include "srvd/registers.h"

#include <stdio.h>
#include <string.h>

#include "db/print.h"
#include "db/territory.h"
#include "db/users.h"
#include "proto/ident.h"
#include "proto/roles.h"
#include "srvd/session.h"

/* Who makes which stage (registers.h). */
static const struct {
	int      role;
	unsigned stages;        /* bit per enum db_reg_stage */
	int      dflt;
} makers[] = {
	{ HR_ROLE_USER_STA,        1u << DB_REG_OTG, DB_REG_OTG },
	{ HR_ROLE_USER_CNAP,       1u << DB_REG_OTG, DB_REG_OTG },
	{ HR_ROLE_SUPER_USER_STA,  (1u << DB_REG_OTG) | (1u << DB_REG_SPSZN),
	  DB_REG_SPSZN },
	{ HR_ROLE_SUPER_USER_CNAP, (1u << DB_REG_OTG) | (1u << DB_REG_SPSZN),
	  DB_REG_SPSZN },
	{ HR_ROLE_UPO_OTG,         1u << DB_REG_SPSZN, DB_REG_SPSZN },
};

/* The day window when the request names none. */
#define REG_DEFAULT_DAYS 31

int
reg_stage(struct srv_req *rq, const msgpack_object *v, int *stage,
    struct hr_error *err)
{
	char name[16];

	for (size_t i = 0; i < sizeof makers / sizeof makers[0]; i++) {
		if (makers[i].role != rq->sess->role)
			continue;
		if (v == NULL) {
			*stage = makers[i].dflt;
			return 0;
		}
		snprintf(name, sizeof name, "%.*s", (int)v->via.str.size,
		    v->via.str.ptr);
		if ((*stage = db_reg_stage_from_name(name)) < 0)
			return hr_errorf(err, HR_E_INVALID, "register.stage",
			    "unknown stage \"{name}\" (otg, spszn)",
			    HR_STR("name", name)), hr_error_at(err, "stage");
		if (!(makers[i].stages & (1u << *stage)))
			return *stage == DB_REG_OTG ? hr_errorf(err,
			    HR_E_FORBIDDEN, "register.stage_otg", "your role "
			    "does not hand applications over to the hromada") :
			    hr_errorf(err, HR_E_FORBIDDEN, "register.stage_spszn",
			    "your role does not hand applications over to the "
			    "back office");
		return 0;
	}
	return hr_errorf(err, HR_E_FORBIDDEN, "register.role",
	    "your role makes no transfer registers");
}

static int
day_param(const msgpack_object *v, char *iso, const char *field,
    struct hr_error *err)
{
	struct hr_date d;

	if (hr_date_parse(v->via.str.ptr, v->via.str.size, field, &d, err) < 0)
		return -1;
	snprintf(iso, 11, "%04d-%02d-%02d", d.y, d.m, d.d);
	return 0;
}

int
reg_period(const msgpack_object *from, const msgpack_object *to, int64_t *t0,
    int64_t *t1, char *iso_from, char *iso_to, struct hr_error *err)
{
	int64_t now = db_now();

	db_local_day(now - (int64_t)(REG_DEFAULT_DAYS - 1) * 86400, iso_from);
	db_local_day(now, iso_to);
	if ((from != NULL && day_param(from, iso_from, "date_from", err) < 0) ||
	    (to != NULL && day_param(to, iso_to, "date_to", err) < 0))
		return -1;
	if (strcmp(iso_from, iso_to) > 0)
		return hr_errorf(err, HR_E_INVALID, "register.period",
		    "{from} is after the period's end {to}",
		    HR_STR("from", iso_from), HR_STR("to", iso_to)),
		    hr_error_at(err, "date_from");
	if (db_day_start(iso_from, 0, t0) < 0 || db_day_start(iso_to, 1, t1) < 0)
		return hr_error_set(err, HR_E_INTERNAL, "a checked day did not "
		    "convert: %s, %s", iso_from, iso_to);
	return 0;
}

/* The name of a territory; a hromada is named by its social unit, which
 * is who hands over and receives there. */
static int
office_name(struct hr_db *db, int64_t id, char *out, size_t cap,
    struct hr_error *err)
{
	struct db_territory t;

	if (db_territory_get(db, id, &t, err) < 0)
		return -1;
	if (t.kind == HR_TERR_HROMADA)
		snprintf(out, cap, "Структурний підрозділ з питань соціального "
		    "захисту населення (%s)", t.name);
	else
		snprintf(out, cap, "%s", t.name);
	db_territory_free(&t);
	return 0;
}

int
reg_head(struct srv_req *rq, int stage, struct db_register_new *r,
    struct reg_names *names, struct hr_error *err)
{
	struct hr_db *db = rq->db;
	int64_t office = rq->sess->territory_id;
	struct db_user u;

	memset(r, 0, sizeof *r);
	r->office_id = office;
	r->stage = stage;
	r->made_by = rq->sess->user_id;
	if (db_territory_ancestor(db, office, HR_TERR_HROMADA, &r->hromada_id,
	    err) < 0 || db_territory_ancestor(db, office, HR_TERR_SPSZN,
	    &r->spszn_id, err) < 0)
		return -1;
	if (office_name(db, office, names->from, sizeof names->from, err) < 0 ||
	    office_name(db, stage == DB_REG_OTG ? r->hromada_id : r->spszn_id,
	    names->to, sizeof names->to, err) < 0)
		return -1;
	if (db_user_by_id(db, r->made_by, &u, err) < 0)
		return -1;
	snprintf(names->by, sizeof names->by, "%s", u.full_name);
	db_user_free(&u);
	r->from_name = names->from;
	r->to_name = names->to;
	r->made_by_name = names->by;
	return 0;
}
