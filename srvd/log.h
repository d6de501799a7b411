/*
 * log.h — the server's log: levels, standard error / a file / syslog.
 *
 * hromadad runs in the foreground under a service manager, so by default it
 * logs to standard error; --log-file sends the same lines to a file that
 * SIGHUP reopens (for logrotate), and "log = syslog" hands them to syslog.
 * Only the event-loop thread logs; the auth workers report through results.
 */
#ifndef SRV_LOG_H
#define SRV_LOG_H

#include "proto/error.h"

enum srv_log_level {
	SRV_LOG_ERROR,
	SRV_LOG_WARNING,
	SRV_LOG_INFO,
	SRV_LOG_DEBUG,
};

enum srv_log_target {
	SRV_LOG_STDERR,   /* standard error, or the --log-file when one is set */
	SRV_LOG_SYSLOG,
};

/* Level by name ("error", "warning", "info", "debug"); -1 if unknown. */
int         srv_log_level_from_name(const char *name);
const char *srv_log_level_name(int level);

/*
 * Start logging.  `file` (may be NULL) is used only with SRV_LOG_STDERR.
 * -1 with err when the file cannot be opened.
 */
int  srv_log_open(int target, const char *file, int level, struct hr_error *err);

/* SIGHUP: reopen the log file (a no-op for stderr and syslog). */
void srv_log_reopen(void);
void srv_log_close(void);

int  srv_log_enabled(int level);

void srv_log(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A line written whatever the level (start-up banner, shutdown). */
void srv_log_always(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

#define log_error(...)   srv_log(SRV_LOG_ERROR, __VA_ARGS__)
#define log_warning(...) srv_log(SRV_LOG_WARNING, __VA_ARGS__)
#define log_info(...)    srv_log(SRV_LOG_INFO, __VA_ARGS__)
#define log_debug(...)   srv_log(SRV_LOG_DEBUG, __VA_ARGS__)

#endif
