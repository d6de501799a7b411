/*
 * durable.c — fsync of a file and of the directory holding it (see
 * durable.h).
 */
#include "db/durable.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
db_fsync_file(const char *path, struct hr_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

	if (fd < 0)
		return hr_errorf(err, HR_E_IO, "file.error", "{file}: {reason}",
		    HR_STR("file", path), HR_STR("reason", strerror(errno)));
	rc = fsync(fd);
	close(fd);
	return rc == 0 ? 0 : hr_errorf(err, HR_E_IO, "io.fsync", "cannot write "
	    "{file} to disk: {reason}", HR_STR("file", path), HR_STR("reason",
	    strerror(errno)));
}

int
db_fsync_dir(const char *path, struct hr_error *err)
{
	char *copy = strdup(path);
	int   fd;

	if (copy == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(copy);
	if (fd < 0)
		return hr_errorf(err, HR_E_IO, "file.error", "{file}: {reason}",
		    HR_STR("file", path), HR_STR("reason", strerror(errno)));
	(void)fsync(fd);
	close(fd);
	return 0;
}
