/*
 * app_echo.c — the echo of a saved application in its reply (see
 * app_echo.h): its two pairs, and the audit of the case's read.
 */
#include "srvd/app_echo.h"

#include <stdio.h>

#include "proto/rpc.h"
#include "srvd/method_table.h"
#include "srvd/request_audit.h"

int
app_echo_pack(struct srv_req *rq, int64_t id, msgpack_packer *out, int audit,
    struct hr_error *err)
{
	hr_pack_str(out, "journal");
	if (journal_one(rq, id, out, err) < 0)
		return -1;
	hr_pack_str(out, "case");
	return application_case(rq, id, out, audit, err);
}

int
app_echo_audit(struct srv_req *rq, int64_t id, const char *reg_no,
    struct hr_error *err)
{
	char object[32], detail[64];

	snprintf(object, sizeof object, "application:%lld", (long long)id);
	snprintf(detail, sizeof detail, "%s (saved)", reg_no ? reg_no : "");
	return srv_audit(rq, "application.read", object, detail, err);
}
