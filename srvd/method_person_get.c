/*
 * method_person_get.c — `person.get`: one recipient of the central base
 * with their family, to pre-fill an application.  The user may open a
 * person of their own oblast (one a name search there finds), or anyone
 * whose identifier they typed (`q`: the РНОКПП, document number or УНЗР
 * they found the person by — a lookup by identifier is national); anyone
 * else reads, byte for byte, like a person who does not exist.  Every
 * read is audited ("person.read").
 */
#include "srvd/method_table.h"

#include <stdio.h>
#include <stdlib.h>

#include "proto/mpread.h"
#include "proto/rpc.h"
#include "srvd/intake.h"
#include "srvd/request_audit.h"

enum { P_ID, P_Q };

static const struct hr_field fields[] = {
	[P_ID] = { "id", HR_F_INT, HR_F_REQUIRED, 1, INT64_MAX },
	[P_Q]  = { "q",  HR_F_STR, HR_F_NULLABLE, 0, 64 },
};
const struct hr_schema method_person_get_params = { fields, 2 };

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
	msgpack_pack_map(rq->pk, 2);
	hr_pack_str(rq->pk, "person");
	if (intake_pack_person_id(rq, id, NULL, err) < 0)
		return err->code == HR_E_NOT_FOUND ? hr_errorf(err,
		    HR_E_NOT_FOUND, "person.not_found", "person not found") : -1;
	if (pack_family(rq, &f, err) < 0)
		return -1;
	snprintf(object, sizeof object, "person:%lld", (long long)id);
	return srv_audit(rq, "person.read", object, NULL,
	    err);
}
