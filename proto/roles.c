/*
 * roles.c — the vocabulary tables: roles, territory kinds, statuses.
 */
#include "proto/roles.h"

#include <string.h>

/*
 * `home` is where the user account hangs in the territory tree; `scope` is
 * how high they see.  A super user is attached to a starosta district or
 * ЦНАП like a plain one, but sees the whole hromada (DOMAIN.md).
 */
static const struct hr_role_info role_table[HR_ROLE__COUNT] = {
	[HR_ROLE_USER_STA]        = { "userSta",        "Starosta district official",
	                              HR_TERR_STAROSTA, HR_TERR_STAROSTA, 1 },
	[HR_ROLE_USER_CNAP]       = { "userCnap",       "CNAP official",
	                              HR_TERR_CNAP,     HR_TERR_CNAP,     1 },
	[HR_ROLE_SUPER_USER_STA]  = { "super_userSta",  "Starosta district official (extended)",
	                              HR_TERR_STAROSTA, HR_TERR_HROMADA,  1 },
	[HR_ROLE_SUPER_USER_CNAP] = { "super_userCnap", "CNAP official (extended)",
	                              HR_TERR_CNAP,     HR_TERR_HROMADA,  1 },
	[HR_ROLE_UPO_OTG]         = { "upo_otg",        "Hromada social protection unit",
	                              HR_TERR_HROMADA,  HR_TERR_HROMADA,  1 },
	[HR_ROLE_SPSZN]           = { "spszn",          "District back office specialist",
	                              HR_TERR_SPSZN,    HR_TERR_SPSZN,    1 },
	[HR_ROLE_OBLAST]          = { "oblast",         "Oblast department",
	                              HR_TERR_OBLAST,   HR_TERR_OBLAST,   0 },
	[HR_ROLE_MINISTRY]        = { "ministry",       "Ministry IT centre",
	                              HR_TERR_COUNTRY,  HR_TERR_COUNTRY,  0 },
	[HR_ROLE_ADMIN]           = { "admin",          "System administrator",
	                              HR_TERR_COUNTRY,  HR_TERR_COUNTRY,  0 },
};

static const char *const terr_kind_names[HR_TERR__COUNT] = {
	"country", "oblast", "spszn", "hromada", "cnap", "starosta", "settlement",
};

static const struct {
	const char *name;
	const char *label;
} status_table[HR_ST__COUNT] = {
	[HR_ST_DRAFT]          = { "draft",          "Формування заяви" },
	[HR_ST_AT_OTG]         = { "at_otg",         "Заяву передано до ОТГ" },
	[HR_ST_RETURNED_FRONT] = { "returned_front", "Заяву повернуто на формування заяви" },
	[HR_ST_AT_SPSZN]       = { "at_spszn",       "Заяву перевірено та передано до СПСЗН" },
	[HR_ST_RETURNED_OTG]   = { "returned_otg",   "Заяву повернуто до ОТГ" },
	[HR_ST_CHECKED]        = { "checked",        "Заяву перевірено на рівні СПСЗН" },
	[HR_ST_EXPORTED]       = { "exported",       "Заяву вивантажено в СПСЗН" },
	[HR_ST_ANSWERED]       = { "answered",       "Отримано відповідь по заяві від СПСЗН" },
};

const struct hr_role_info *
hr_role_info(int role)
{
	if (role < 0 || role >= HR_ROLE__COUNT)
		return NULL;
	return &role_table[role];
}

int
hr_role_from_name(const char *name)
{
	for (int r = 0; r < HR_ROLE__COUNT; r++)
		if (strcmp(role_table[r].name, name) == 0)
			return r;
	return -1;
}

const char *
hr_terr_kind_name(int kind)
{
	if (kind < 0 || kind >= HR_TERR__COUNT)
		return NULL;
	return terr_kind_names[kind];
}

int
hr_terr_kind_from_name(const char *name)
{
	for (int k = 0; k < HR_TERR__COUNT; k++)
		if (strcmp(terr_kind_names[k], name) == 0)
			return k;
	return -1;
}

const char *
hr_status_name(int status)
{
	if (status < 0 || status >= HR_ST__COUNT)
		return NULL;
	return status_table[status].name;
}

const char *
hr_status_label(int status)
{
	if (status < 0 || status >= HR_ST__COUNT)
		return NULL;
	return status_table[status].label;
}

int
hr_status_from_name(const char *name)
{
	for (int s = 0; s < HR_ST__COUNT; s++)
		if (strcmp(status_table[s].name, name) == 0)
			return s;
	return -1;
}
