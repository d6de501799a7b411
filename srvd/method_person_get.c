/*
 * method_person_get.c — `person.get`: one recipient of the central base
 * with their family, to pre-fill an application, and the applications of
 * theirs that are still open in the user's scope.  The user may open a
 * person of their own oblast (one a name search there finds), or anyone
 * whose identifier they typed (`q`: the РНОКПП, document number or УНЗР
 * they found the person by — a lookup by identifier is national); anyone
 * else reads, byte for byte, like a person who does not exist.  Every
 * read is audited ("person.read").
 */
#include "srvd/method_table.h"

#include <stdio.h>
#include <stdlib.h>

#include "db/applications.h"
#include "proto/mpread.h"
#include "proto/roles.h"
#include "proto/rpc.h"
#include "srvd/intake.h"
#include "srvd/request_audit.h"
#include "srvd/scope.h"
#include "srvd/session.h"

enum { P_ID, P_Q };

static const struct hr_field fields[] = {
	[P_ID] = { "id", HR_F_INT, HR_F_REQUIRED, 1, INT64_MAX },
	[P_Q]  = { "q",  HR_F_STR, HR_F_NULLABLE, 0, 64 },
};
const struct hr_schema method_person_get_params = { fields, 2, 0 };

#define PERSON_OPEN_MAX 10

/*
 * The person's applications that are not answered yet and that the user's
 * scope sees: a clerk taking the person in is warned of them (a second
 * application for the same service is refused at save anyway).
 */
static int
pack_open(struct srv_req *rq, int64_t person_id, struct hr_error *err)
{
	const struct conn_session *s = rq->sess;
	int64_t ids[PERSON_OPEN_MAX * 4];
	struct db_app apps[PERSON_OPEN_MAX];
	size_t n, shown = 0;

	if (db_app_open_ids(rq->db, person_id, ids, sizeof ids / sizeof ids[0],
	    &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n && shown < PERSON_OPEN_MAX; i++) {
		if (db_app_get(rq->db, ids[i], &apps[shown], err) < 0) {
			for (size_t k = 0; k < shown; k++)
				db_app_free(&apps[k]);
			return -1;
		}
		if (scope_sees_app(&s->scope, s->role, &apps[shown]))
			shown++;
		else
			db_app_free(&apps[shown]);
	}
	hr_pack_str(rq->pk, "open");
	msgpack_pack_array(rq->pk, shown);
	for (size_t i = 0; i < shown; i++) {
		msgpack_pack_map(rq->pk, 6);
		hr_pack_kv_int(rq->pk, "id", apps[i].id);
		hr_pack_kv_str(rq->pk, "reg_no", apps[i].reg_no);
		hr_pack_kv_str(rq->pk, "service", apps[i].service);
		hr_pack_kv_str(rq->pk, "service_name", apps[i].service_name);
		hr_pack_kv_str(rq->pk, "status", hr_status_name(apps[i].status));
		hr_pack_kv_str(rq->pk, "front_office", apps[i].front_office);
		db_app_free(&apps[i]);
	}
	return 0;
}

static int
pack_family(struct srv_req *rq, const struct intake_family *f,
    struct hr_error *err)
{
	hr_pack_str(rq->pk, "family");
	msgpack_pack_array(rq->pk, f->n);
	for (size_t i = 0; i < f->n; i++) {
		msgpack_pack_map(rq->pk, 2);
		hr_pack_kv_str(rq->pk, "relation", f->relation[i]);
		hr_pack_str(rq->pk, "person");
		if (intake_pack_person_id(rq, f->id[i], NULL, err) < 0)
			return -1;
	}
	return 0;
}

int
method_person_get(struct srv_req *rq, struct hr_error *err)
{
	int64_t id = hr_val_int(rq->vals[P_ID], 0);
	struct intake_family f;
	char object[32];

	char *q = hr_val_strdup(rq->vals[P_Q]);
	const char *idents[1] = { q };
	int reach, rc;

	rc = intake_person_reachable(rq, id, idents, 1, &reach, err);
	free(q);
	if (rc < 0)
		return -1;
	if (!reach)
		return hr_errorf(err, HR_E_NOT_FOUND, "person.not_found",
		    "person not found");
	if (intake_family_of_person(rq, id, &f, err) < 0)
		return -1;
	msgpack_pack_map(rq->pk, 3);
	hr_pack_str(rq->pk, "person");
	if (intake_pack_person_id(rq, id, NULL, err) < 0)
		return err->code == HR_E_NOT_FOUND ? hr_errorf(err,
		    HR_E_NOT_FOUND, "person.not_found", "person not found") : -1;
	if (pack_family(rq, &f, err) < 0 || pack_open(rq, id, err) < 0)
		return -1;
	snprintf(object, sizeof object, "person:%lld", (long long)id);
	return srv_audit(rq, "person.read", object, NULL,
	    err);
}
