/*
 * options.c — the option parsing shared by hromadactl's commands:
 * `--name value` and `--name=value`, and the error for an argument a command
 * does not take.
 */
#include "ctl/ctl.h"

#include <string.h>

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
