/*
 * words.c — the words for wire names (see words.h): one table, used by
 * the case view and the error messages alike.
 */
#include "config.h"

#include "tui/words.h"

#include <string.h>

#include "tui/tui.h"

/* The decision systems of services (db/reference/services.csv). */
static const struct {
	const char *code, *name;
} words_systems[] = {
	{ "asopd",   N_("ASOPD") },
	{ "edarp",   N_("EDARP") },
	{ "subsidy", N_("Housing subsidies") },
};

const char *
words_system(const char *code)
{
	for (size_t i = 0; i < sizeof words_systems / sizeof words_systems[0];
	    i++)
		if (strcmp(words_systems[i].code, code) == 0)
			return _(words_systems[i].name);
	return code;
}
