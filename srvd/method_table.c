/*
 * method_table.c — THE method table: every request a client may send, who may
 * send it, and how its params must look.  The table names every handler,
 * and a handler may read the table (login tells a role which methods it
 * may call: srv_method_find): a call circle kept on purpose, the table
 * being data.
 *
 * Adding a method: a name in proto/method_names.h, a section in PROTOCOL.md
 * "Methods", a file srvd/method_<name>.c, and one row here — in name order
 * (srv_method_find is a binary search; test_methods_table checks the order).
 *
 * `roles` is checked only when `needs_login` is set; before login nobody has
 * a role.  `writes` puts the request inside a savepoint of the group commit
 * and holds its reply until the commit is on disk (commit.h).  A read of a
 * logged-in user (`writes` 0) runs on a query thread (query.h); if it
 * audits (srv_audit: every read of persons' data does), the loop appends
 * the record afterwards, durable within audit_read_window of the reply
 * (readaudit.h).
 */
#include "srvd/method_table.h"

#include <string.h>

#include "proto/method_names.h"
#include "proto/roles.h"

#define ADMIN HR_ROLE_BIT(HR_ROLE_ADMIN)
#define CASES HR_ROLES_CASES
#define SPSZN HR_ROLE_BIT(HR_ROLE_SPSZN)
/* Reports (aggregates): every role with a territory of applications. */
#define REPORTS (HR_ROLES_CASES | HR_ROLES_REPORT)
/* Who may change an application's contents in some status (workflow.c). */
#define EDITORS (HR_ROLES_FRONT | HR_ROLES_SUPER | HR_ROLE_BIT(HR_ROLE_UPO_OTG))
/* Who meets applicants and hands paper on: front offices, super users,
 * the hromada's social unit (registers.h says which stage). */
#define COUNTER (HR_ROLES_FRONT | HR_ROLES_SUPER | HR_ROLE_BIT(HR_ROLE_UPO_OTG))

/* Who works on a marked set (application.batch): the back office, the
 * hromada's social unit and the super users. */
#define BATCHERS (HR_ROLES_SUPER | HR_ROLE_BIT(HR_ROLE_UPO_OTG) | SPSZN)

const struct srv_method srv_methods[] = {
	/* name                          handler                         params                                  roles            login writes */
	{ HR_M_APPLICATION_BATCH,       method_application_batch,       &method_application_batch_params,       BATCHERS,        1, 1 },
	{ HR_M_APPLICATION_GET,         method_application_get,         &method_application_get_params,         CASES,           1, 0 },
	{ HR_M_APPLICATION_NOTIFY,      method_application_notify,      &method_application_notify_params,      COUNTER,         1, 1 },
	{ HR_M_APPLICATION_PRINT,       method_application_print,       &method_application_print_params,       CASES,           1, 0 },
	{ HR_M_APPLICATION_SAVE,        method_application_save,        &method_application_save_params,        EDITORS,         1, 1 },
	{ HR_M_APPLICATION_TRANSITION,  method_application_transition,  &method_application_transition_params,  CASES,           1, 1 },
	{ HR_M_ATTACHMENT_DETACH,       method_attachment_detach,       &method_attachment_detach_params,       EDITORS,         1, 1 },
	{ HR_M_ATTACHMENT_READ,         method_attachment_read,         &method_attachment_read_params,         CASES,           1, 0 },
	{ HR_M_DAT_EXPORT,              method_dat_export,              &method_dat_export_params,              SPSZN,           1, 1 },
	{ HR_M_DAT_GET,                 method_dat_get,                 &method_dat_get_params,                 SPSZN,           1, 0 },
	{ HR_M_DAT_IMPORT,              method_dat_import,              &method_dat_import_params,              SPSZN,           1, 1 },
	{ HR_M_DAT_LIST,                method_dat_list,                &method_dat_list_params,                SPSZN,           1, 0 },
	{ HR_M_JOURNAL_LIST,            method_journal_list,            &method_journal_list_params,            HR_ROLES_CASES,  1, 0 },
	{ HR_M_LOGIN,                   method_login,                   &method_login_params,                   HR_ROLES_ALL,    0, 1 },
	{ HR_M_LOGOUT,                  method_logout,                  &method_logout_params,                  HR_ROLES_ALL,    1, 1 },
	{ HR_M_PERSON_GET,              method_person_get,              &method_person_get_params,              CASES,           1, 0 },
	{ HR_M_PERSON_SEARCH,           method_person_search,           &method_person_search_params,           CASES,           1, 0 },
	{ HR_M_PING,                    method_ping,                    &method_ping_params,                    HR_ROLES_ALL,    0, 0 },
	{ HR_M_REFERENCE_GET,           method_reference_get,           &method_reference_get_params,           HR_ROLES_ALL,    1, 0 },
	{ HR_M_REGISTER_CANDIDATES,     method_register_candidates,     &method_register_candidates_params,     COUNTER,         1, 0 },
	{ HR_M_REGISTER_CREATE,         method_register_create,         &method_register_create_params,         COUNTER,         1, 1 },
	{ HR_M_REGISTER_GET,            method_register_get,            &method_register_get_params,            CASES,           1, 0 },
	{ HR_M_REGISTER_LIST,           method_register_list,           &method_register_list_params,           CASES,           1, 0 },
	{ HR_M_REPORT_GET,              method_report_get,              &method_report_get_params,              REPORTS,         1, 0 },
	{ HR_M_REPORT_MONITOR,          method_report_monitor,          &method_report_monitor_params,          HR_ROLES_REPORT, 1, 0 },
	{ HR_M_REPORT_SUMMARY,          method_report_summary,          &method_report_summary_params,          HR_ROLES_REPORT, 1, 0 },
	{ HR_M_RESUME,                  method_resume,                  &method_resume_params,                  HR_ROLES_ALL,    0, 1 },
	{ HR_M_TERRITORY_FRONT_OFFICES, method_territory_front_offices, &method_territory_front_offices_params, CASES,           1, 0 },
	{ HR_M_UPLOAD_BEGIN,            method_upload_begin,            &method_upload_begin_params,            EDITORS,         1, SRV_WRITES_EARLY },
	{ HR_M_UPLOAD_CANCEL,           method_upload_cancel,           &method_upload_cancel_params,           EDITORS,         1, 1 },
	{ HR_M_UPLOAD_CHUNK,            method_upload_chunk,            &method_upload_chunk_params,            EDITORS,         1, 1 },
	{ HR_M_UPLOAD_PROVE,            method_upload_prove,            &method_upload_prove_params,            EDITORS,         1, 1 },
	{ HR_M_USER_LIST,               method_user_list,               &method_user_list_params,               ADMIN,           1, 0 },
};
const size_t srv_nmethods = sizeof srv_methods / sizeof srv_methods[0];

/* strcmp order between a counted name and a NUL-terminated one. */
static int
method_cmp(const char *name, size_t len, const char *entry)
{
	size_t elen = strlen(entry);
	int    c = memcmp(name, entry, len < elen ? len : elen);

	if (c != 0)
		return c;
	return len < elen ? -1 : len > elen;
}

const struct srv_method *
srv_method_find(const char *name, size_t len)
{
	size_t lo = 0, hi = srv_nmethods;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int    c = method_cmp(name, len, srv_methods[mid].name);

		if (c == 0)
			return &srv_methods[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}
