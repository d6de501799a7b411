/*
 * diskcache.h — small files the client keeps between runs so that a
 * clerk's daily login does not fetch again what has not changed (the
 * reference data, refdata.c).  They live under $XDG_CACHE_HOME/hromada
 * (default ~/.cache/hromada), one per server and user, mode 0600.
 *
 * Nothing read back is trusted: a missing, short, corrupt or foreign file
 * is simply no cache, and what it held is revalidated with the server
 * before anything depends on it.  Writes go through a temporary file and
 * rename(2), so a crash leaves the old file or the new one.
 */
#ifndef TUI_DISKCACHE_H
#define TUI_DISKCACHE_H

#include <stddef.h>
#include <stdint.h>

/*
 * The file for `kind` ("ref") of `user` on `server`: newly allocated, or
 * NULL when neither XDG_CACHE_HOME nor HOME is set.  Characters other
 * than letters, digits, '.', '-' are written as '_' in the name.
 */
char *diskcache_path(const char *server, const char *user, const char *kind);

/* The whole file (at most `max` bytes; caller frees): 0, or -1 (no cache). */
int   diskcache_read(const char *path, size_t max, uint8_t **data, size_t *len);

/* Replace the file with `len` bytes.  0, or -1 (the cache is just older). */
int   diskcache_write(const char *path, const void *data, size_t len);

#endif
