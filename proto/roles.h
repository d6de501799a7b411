/*
 * roles.h — who a user is and how far they see (DOMAIN.md "Roles").
 *
 * Roles, territory kinds and application statuses are shared vocabulary of
 * client and server; the tables in roles.c are the single source of their
 * wire names and properties.  Permission to call a method is a role mask in
 * the server's method table; permission on an application is decided from
 * the role's scope level and the territory tree (srvd/scope.c).
 */
#ifndef HR_ROLES_H
#define HR_ROLES_H

#include <stddef.h>

enum hr_role {
	HR_ROLE_USER_STA,        /* userSta */
	HR_ROLE_USER_CNAP,       /* userCnap */
	HR_ROLE_SUPER_USER_STA,  /* super_userSta */
	HR_ROLE_SUPER_USER_CNAP, /* super_userCnap */
	HR_ROLE_UPO_OTG,         /* upo_otg */
	HR_ROLE_SPSZN,           /* spszn */
	HR_ROLE_OBLAST,          /* oblast */
	HR_ROLE_MINISTRY,        /* ministry */
	HR_ROLE_ADMIN,           /* admin */
	HR_ROLE__COUNT
};

#define HR_ROLE_BIT(r) (1u << (r))
#define HR_ROLES_FRONT  (HR_ROLE_BIT(HR_ROLE_USER_STA) | HR_ROLE_BIT(HR_ROLE_USER_CNAP))
#define HR_ROLES_SUPER  (HR_ROLE_BIT(HR_ROLE_SUPER_USER_STA) | HR_ROLE_BIT(HR_ROLE_SUPER_USER_CNAP))
#define HR_ROLES_CASES  (HR_ROLES_FRONT | HR_ROLES_SUPER | \
                         HR_ROLE_BIT(HR_ROLE_UPO_OTG) | HR_ROLE_BIT(HR_ROLE_SPSZN))
#define HR_ROLES_REPORT (HR_ROLE_BIT(HR_ROLE_OBLAST) | HR_ROLE_BIT(HR_ROLE_MINISTRY))
#define HR_ROLES_ALL    ((1u << HR_ROLE__COUNT) - 1u)

enum hr_terr_kind {
	HR_TERR_COUNTRY,
	HR_TERR_OBLAST,
	HR_TERR_SPSZN,      /* district back office (raion) */
	HR_TERR_HROMADA,
	HR_TERR_CNAP,
	HR_TERR_STAROSTA,   /* starosta district */
	HR_TERR_SETTLEMENT,
	HR_TERR__COUNT
};

struct hr_role_info {
	const char       *name;          /* wire and database name, e.g. "userSta" */
	const char       *label;         /* English label (gettext msgid) */
	enum hr_terr_kind home;          /* kind of territory the user is attached to */
	enum hr_terr_kind scope;         /* kind of the ancestor whose subtree they see */
	int               personal_data; /* may see persons' data */
};

const struct hr_role_info *hr_role_info(int role);    /* NULL if out of range */
int  hr_role_from_name(const char *name);             /* -1 if unknown */

const char *hr_terr_kind_name(int kind);              /* "oblast", ...; NULL */
int         hr_terr_kind_from_name(const char *name); /* -1 if unknown */

/* Application statuses (DOMAIN.md "Application statuses"), in life order. */
enum hr_status {
	HR_ST_DRAFT,
	HR_ST_AT_OTG,
	HR_ST_RETURNED_FRONT,
	HR_ST_AT_SPSZN,
	HR_ST_RETURNED_OTG,
	HR_ST_CHECKED,
	HR_ST_EXPORTED,
	HR_ST_ANSWERED,
	HR_ST__COUNT
};

const char *hr_status_name(int status);      /* "draft", ...; NULL if out of range */
const char *hr_status_label(int status);     /* Ukrainian label as users know it */
int         hr_status_from_name(const char *name);

#endif
