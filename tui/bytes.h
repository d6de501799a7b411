/*
 * bytes.h — sizes, speeds and durations as a clerk reads them: "240 КБ",
 * "1,2 МБ", "7,8 КБ/с", "1 хв 5 с".  Units are the binary ones (1 КБ =
 * 1024 bytes) with the short Ukrainian names through gettext; the decimal
 * comma is the Ukrainian one.  Domain-free.
 */
#ifndef TUI_BYTES_H
#define TUI_BYTES_H

#include <stddef.h>
#include <stdint.h>

/* "512 B", "240 KB", "1.2 MB" (translated); returns buf. */
const char *bytes_size(uint64_t n, char *buf, size_t cap);
/* A rate in bytes per second: "7.8 KB/s". */
const char *bytes_rate(double per_s, char *buf, size_t cap);
/* Seconds left: "45 s", "3 min 20 s", "1 h 5 min"; "—" when < 0. */
const char *bytes_eta(double s, char *buf, size_t cap);

#endif
