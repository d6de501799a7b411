/*
 * katottg.c — КАТОТТГ, the classifier code of a territorial unit.
 *
 * "UA" and 17 digits: oblast 2, raion 2, hromada 3, settlement 3, city
 * district 2 and 5 more.  Only the form is checked here.  Which unit is whose
 * parent is read from the classifier table, never cut out of the string: a
 * child's last five digits differ from its parent's (DOMAIN.md).
 */
#include "proto/ident.h"

#include "proto/ident_priv.h"

/* What the messages call the value (a msgid, see hr_ident_fail). */
#define LABEL HR_MSGID("КАТОТТГ")

int
hr_katottg_check(const char *s, size_t len, struct hr_error *err)
{
	if (len == 0)
		return hr_errorf(err, HR_E_INVALID, "katottg.empty",
		    "КАТОТТГ is empty");
	if (len != HR_KATOTTG_LEN || s[0] != 'U' || s[1] != 'A' ||
	    !hr_all_digits(s + 2, HR_KATOTTG_LEN - 2))
		return hr_ident_fail(err, LABEL, "katottg.form",
		    HR_MSGID("must be UA and 17 digits"));
	return 0;
}
