/*
 * statefile.c — the client's state directory (statefile.h).
 */
#include "tui/statefile.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

char *
state_file_path(const char *name, int make_dirs)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char base[PATH_MAX], *p;
	size_t n;

	if (xdg != NULL && xdg[0] == '/')
		snprintf(base, sizeof base, "%s/hromada", xdg);
	else if (home != NULL && home[0] != '\0')
		snprintf(base, sizeof base, "%s/.local/state/hromada", home);
	else
		return NULL;
	if (make_dirs) {
		for (char *s = base + 1; *s != '\0'; s++)
			if (*s == '/') {
				*s = '\0';
				(void)mkdir(base, 0700);
				*s = '/';
			}
		(void)mkdir(base, 0700);
	}
	n = strlen(base) + strlen(name) + 2;
	if ((p = malloc(n)) == NULL)
		return NULL;
	snprintf(p, n, "%s/%s", base, name);
	for (char *s = p + strlen(base) + 1; *s != '\0'; s++)
		if (*s == '/')
			*s = '_';
	return p;
}
