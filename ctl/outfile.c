/*
 * outfile.c — a file hromadactl writes for a person to open (an export):
 * whole or not at all, through PATH.tmp, flushed to disk and renamed over
 * PATH only when every line is written (ctl.h).
 */
#include "ctl/ctl.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

FILE *
ctl_out_open(const char *path, char *tmp, size_t cap, struct hr_error *err)
{
	FILE *f;

	if ((size_t)snprintf(tmp, cap, "%s.tmp", path) >= cap) {
		hr_errorf(err, HR_E_IO, "io.create", "cannot create {file}: "
		    "{reason}", HR_STR("file", path), HR_STR("reason",
		    strerror(ENAMETOOLONG)));
		return NULL;
	}
	if ((f = fopen(tmp, "w")) == NULL)
		hr_errorf(err, HR_E_IO, "io.create", "cannot create {file}: "
		    "{reason}", HR_STR("file", tmp), HR_STR("reason",
		    strerror(errno)));
	return f;
}

int
ctl_out_close(FILE *f, const char *tmp, const char *path, int rc,
    struct hr_error *err)
{
	int bad = fflush(f) != 0 || fsync(fileno(f)) != 0;

	bad |= fclose(f) != 0;
	if (rc == 0 && bad)
		rc = hr_errorf(err, HR_E_IO, "io.write", "cannot write {file}: "
		    "{reason}", HR_STR("file", tmp), HR_STR("reason",
		    strerror(errno)));
	if (rc == 0 && rename(tmp, path) != 0)
		rc = hr_errorf(err, HR_E_IO, "io.rename", "cannot rename "
		    "{file} to {to}: {reason}", HR_STR("file", tmp), HR_STR("to",
		    path), HR_STR("reason", strerror(errno)));
	if (rc < 0)
		unlink(tmp);
	return rc;
}
