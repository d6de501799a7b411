/*
 * options.c — the option parsing shared by hromadactl's commands:
 * `--name value` and `--name=value`, durations, moments (audit --since,
 * --until, audit archive --before), and the error for an argument a
 * command does not take.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE     /* strptime */
#endif
#include "ctl/ctl.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

int
ctl_opt_value(int argc, char **argv, int *i, const char *name,
    const char **value, struct hr_error *err)
{
	size_t n = strlen(name);
	const char *a = argv[*i];

	if (strncmp(a, name, n) != 0)
		return 0;
	if (a[n] == '=') {
		*value = a + n + 1;
		return 1;
	}
	if (a[n] != '\0')
		return 0;
	if (*i + 1 >= argc)
		return hr_errorf(err, HR_E_USAGE, "ctl.option_value",
		    "option {option} needs a value", HR_STR("option", name));
	*value = argv[++*i];
	return 1;
}

int
ctl_unexpected(const char *command, const char *arg, struct hr_error *err)
{
	return hr_errorf(err, HR_E_USAGE, "ctl.argument",
	    "{command}: unexpected argument \"{value}\"",
	    HR_STR("command", command), HR_STR("value", arg));
}

int
ctl_opt_duration(const char *name, const char *s, int64_t max, int64_t *out,
    struct hr_error *err)
{
	static const struct { char unit; int64_t mult; } units[] = {
		{ 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 },
	};
	int64_t mult = 1;
	long long v;
	char *end;

	v = strtoll(s, &end, 10);
	for (size_t i = 0; *end != '\0' && end[1] == '\0' &&
	    i < sizeof units / sizeof units[0]; i++)
		if (*end == units[i].unit) {
			mult = units[i].mult;
			end++;
		}
	if (*s < '0' || *s > '9' || *end != '\0' || v < 0 || v > max / mult)
		return hr_errorf(err, HR_E_USAGE, "ctl.duration", "{option} "
		    "wants a duration up to {max} days (seconds, or 30m, 36h, "
		    "7d), not \"{value}\"", HR_STR("option", name),
		    HR_INT("max", max / 86400), HR_STR("value", s));
	*out = (int64_t)v * mult;
	return 0;
}

/*
 * "YYYY-MM-DD" (local midnight; with end set, the midnight after) or
 * "YYYY-MM-DD HH:MM[:SS]" (local time) to seconds since the epoch.
 */
int
ctl_audit_time(const char *opt, const char *s, int end, int64_t *out,
    struct hr_error *err)
{
	static const char *const forms[] = { "%Y-%m-%d %H:%M:%S",
	    "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d" };

	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		struct tm tm;
		const char *rest;

		memset(&tm, 0, sizeof tm);
		rest = strptime(s, forms[i], &tm);
		if (rest == NULL || *rest != '\0')
			continue;
		if (i == 3 && end)
			tm.tm_mday++;
		tm.tm_isdst = -1;
		*out = (int64_t)mktime(&tm);
		return 0;
	}
	return hr_errorf(err, HR_E_USAGE, "ctl.audit_time", "{option} wants "
	    "YYYY-MM-DD or \"YYYY-MM-DD HH:MM\", not \"{value}\"",
	    HR_STR("option", opt), HR_STR("value", s));
}
