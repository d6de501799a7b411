/*
 * log.c — log lines to standard error, a file or syslog (see log.h).
 *
 * A line is "YYYY-MM-DD HH:MM:SS level: message" on stderr and in files;
 * syslog adds its own time and tag.  When standard error is systemd's
 * journal ($JOURNAL_STREAM names it, sd-daemon(3)), a line is
 * "<PRIORITY>level: message" instead: the journal keeps the level, so
 * `journalctl -p warning -u hromadad` works, and adds its own time.  Lines are written with one fprintf
 * and flushed at once so a crash loses nothing already logged.
 */
#include "srvd/log.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

static const struct {
	const char *name;
	int         syslog_prio;
} level_table[] = {
	[SRV_LOG_ERROR]   = { "error",   LOG_ERR },
	[SRV_LOG_WARNING] = { "warning", LOG_WARNING },
	[SRV_LOG_INFO]    = { "info",    LOG_INFO },
	[SRV_LOG_DEBUG]   = { "debug",   LOG_DEBUG },
};
#define NLEVELS (sizeof level_table / sizeof level_table[0])

/* The file pointer may be swapped by srv_log_reopen while another thread
 * writes a line. */
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

static struct {
	int   target;
	int   level;
	FILE *fp;          /* the --log-file, NULL for stderr */
	char  path[4096];  /* its name, for reopening */
	int   journal;     /* stderr is the systemd journal */
} logst = { SRV_LOG_STDERR, SRV_LOG_INFO, NULL, "", 0 };

/* Is standard error the journal stream systemd gave us ("DEV:INODE")? */
static int
log_stderr_is_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	return js != NULL && sscanf(js, "%llu:%llu", &dev, &ino) == 2 &&
	    fstat(STDERR_FILENO, &st) == 0 &&
	    (unsigned long long)st.st_dev == dev &&
	    (unsigned long long)st.st_ino == ino;
}

int
srv_log_level_from_name(const char *name)
{
	for (size_t i = 0; i < NLEVELS; i++)
		if (strcmp(level_table[i].name, name) == 0)
			return (int)i;
	return -1;
}

const char *
srv_log_level_name(int level)
{
	if (level < 0 || (size_t)level >= NLEVELS)
		return "?";
	return level_table[level].name;
}

int
srv_log_open(int target, const char *file, int level, struct hr_error *err)
{
	srv_log_close();
	logst.target = target;
	logst.level = level;
	if (target == SRV_LOG_SYSLOG) {
		openlog("hromadad", LOG_PID | LOG_NDELAY, LOG_DAEMON);
		return 0;
	}
	if (file == NULL || *file == '\0') {
		logst.journal = log_stderr_is_journal();
		return 0;
	}
	if (strlen(file) >= sizeof logst.path)
		return hr_error_set(err, HR_E_USAGE, "log file name too long");
	logst.fp = fopen(file, "a");
	if (logst.fp == NULL)
		return hr_error_set(err, HR_E_IO, "cannot open log file %s: %s",
		    file, strerror(errno));
	strcpy(logst.path, file);
	return 0;
}

void
srv_log_reopen(void)
{
	FILE *fp;

	if (logst.fp == NULL)
		return;
	fp = fopen(logst.path, "a");
	if (fp == NULL) {
		log_error("cannot reopen log file %s: %s (keeping the old one)",
		    logst.path, strerror(errno));
		return;
	}
	/* The query and commit threads log too: swap under the lock. */
	pthread_mutex_lock(&log_lock);
	fclose(logst.fp);
	logst.fp = fp;
	pthread_mutex_unlock(&log_lock);
	log_info("log file reopened");
}

void
srv_log_close(void)
{
	if (logst.fp != NULL)
		fclose(logst.fp);
	logst.fp = NULL;
	logst.path[0] = '\0';
	if (logst.target == SRV_LOG_SYSLOG)
		closelog();
	logst.target = SRV_LOG_STDERR;
	logst.journal = 0;
}

int
srv_log_enabled(int level)
{
	return level <= logst.level;
}

static void log_write(int level, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static void
log_write(int level, const char *fmt, va_list ap)
{
	FILE     *fp;
	char      msg[1024], stamp[32];
	time_t    now = time(NULL);
	struct tm tm;

	vsnprintf(msg, sizeof msg, fmt, ap);
	if (logst.target == SRV_LOG_SYSLOG) {
		syslog(level_table[level].syslog_prio, "%s", msg);
		return;
	}
	if (logst.journal && logst.fp == NULL) {
		fprintf(stderr, "<%d>%s: %s\n", level_table[level].syslog_prio,
		    level_table[level].name, msg);
		return;
	}
	localtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &tm);
	pthread_mutex_lock(&log_lock);
	fp = logst.fp != NULL ? logst.fp : stderr;
	fprintf(fp, "%s %s: %s\n", stamp, level_table[level].name, msg);
	fflush(fp);
	pthread_mutex_unlock(&log_lock);
}

void
srv_log(int level, const char *fmt, ...)
{
	va_list ap;

	if (level < 0 || (size_t)level >= NLEVELS || !srv_log_enabled(level))
		return;
	va_start(ap, fmt);
	log_write(level, fmt, ap);
	va_end(ap);
}

void
srv_log_always(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_write(SRV_LOG_INFO, fmt, ap);
	va_end(ap);
}
