/*
 * durable.h — making what was written to a file, or a rename in a
 * directory, reach the disk (fsync), for the writers of files beside the
 * database: the key file, audit archives, backups, a restore.
 */
#ifndef DB_DURABLE_H
#define DB_DURABLE_H

#include "proto/error.h"

/* fsync the file at `path`; -1 with err (HR_E_IO) when it cannot be
 * opened or written to the disk. */
int db_fsync_file(const char *path, struct hr_error *err);

/*
 * fsync the directory holding `path`, so that a rename or a new file in
 * it is durable.  -1 with err when the directory cannot be opened (or no
 * memory); a directory fsync the file system refuses is no error.
 */
int db_fsync_dir(const char *path, struct hr_error *err);

#endif
