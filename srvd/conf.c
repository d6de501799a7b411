/*
 * conf.c — parse hromadad.conf (see conf.h).
 *
 * The key table is the whole configuration surface: name, type, where the
 * value goes, its bounds and its default.  Adding a setting is adding a
 * field to struct srv_config and one row here (and a line in
 * hromadad.conf(5)).
 */
#include "srvd/conf.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/throttle.h"
#include "srvd/log.h"

#ifndef LOCALSTATEDIR
#define LOCALSTATEDIR "/var"
#endif

enum cfg_type {
	CFG_STR,       /* char *, newly allocated */
	CFG_INT,       /* int within [min, max] */
	CFG_SECONDS,   /* int seconds within [min, max]; suffix s, m, h or d */
	CFG_MILLIS,    /* int milliseconds within [min, max]; suffix ms or s
	                  (a bare number is seconds) */
	CFG_BYTES,     /* int bytes within [min, max]; suffix K, M or G (KiB...) */
	CFG_LOG,       /* "stderr" or "syslog" */
	CFG_LEVEL,     /* a log level name */
	CFG_LISTEN,    /* char *: host:port or [v6]:port, comma separated */
};

struct cfg_key {
	const char   *name;
	enum cfg_type type;
	size_t        offset;
	long          min, max;
	long          def;      /* the default of a number (not of a string) */
};

#define OFF(f) offsetof(struct srv_config, f)
#define DAY    86400L

static const struct cfg_key cfg_keys[] = {
	{ "audit_read_window", CFG_MILLIS,  OFF(audit_read_window), 0, 60000, 1000 },
	{ "auth_queue",        CFG_INT,     OFF(auth_queue),        1, 100000, 64 },
	{ "auth_workers",      CFG_INT,     OFF(auth_workers),      1, 64, 2 },
	{ "batch_slice",       CFG_MILLIS,  OFF(batch_slice),       0, 10000, 50 },
	{ "commit_batch",      CFG_INT,     OFF(commit_batch),      1, 100000, 256 },
	/* A whole office behind one NAT address reconnects at once after a
	 * power cut: room for a hundred at once, twenty a second after. */
	{ "connect_burst_per_source", CFG_INT, OFF(connect_burst_per_source), 1, 1000000, 100 },
	{ "connect_rate_per_source", CFG_INT, OFF(connect_rate_per_source), 1, 1000000, 20 },
	{ "connection_max_age", CFG_SECONDS, OFF(connection_max_age), 1, 30 * DAY, 4 * 3600 },
	{ "db",                CFG_STR,     OFF(db),                0, 0, 0 },
	{ "group",             CFG_STR,     OFF(group),             0, 0, 0 },
	{ "handshake_timeout", CFG_SECONDS, OFF(handshake_timeout), 1, 3600, 10 },
	{ "hash_threads",      CFG_INT,     OFF(hash_threads),      0, 16, 1 },
	{ "idle_timeout",      CFG_SECONDS, OFF(idle_timeout),      10, 7 * DAY, 15 * 60 },
	{ "key_file",          CFG_STR,     OFF(key_file),          0, 0, 0 },
	{ "listen",            CFG_LISTEN,  OFF(listen),            0, 0, 0 },
	{ "lock_after_source", CFG_INT,     OFF(lock_after_source), 1, 100000, DB_THROTTLE_SOURCE_MAX },
	{ "lock_after_user",   CFG_INT,     OFF(lock_after_user),   1, 100000, DB_THROTTLE_USER_MAX },
	{ "lock_after_user_source", CFG_INT, OFF(lock_after_user_source), 1, 100000, DB_THROTTLE_PAIR_MAX },
	{ "lock_max",          CFG_SECONDS, OFF(lock_max),          60, 30 * DAY, DB_THROTTLE_LOCK_MAX },
	{ "lock_max_user",     CFG_SECONDS, OFF(lock_max_user),     60, 30 * DAY, DB_THROTTLE_USER_LOCK_MAX },
	{ "lock_window",       CFG_SECONDS, OFF(lock_window),       60, 30 * DAY, DB_THROTTLE_WINDOW },
	{ "log",               CFG_LOG,     OFF(log_target),        0, 0, SRV_LOG_STDERR },
	{ "log_file",          CFG_STR,     OFF(log_file),          0, 0, 0 },
	{ "log_level",         CFG_LEVEL,   OFF(log_level),         0, 0, SRV_LOG_INFO },
	/* ping is allowed before login: without this an anonymous connection
	 * that pings now and then would hold its slot for ever. */
	{ "login_timeout",     CFG_SECONDS, OFF(login_timeout),     1, DAY, 2 * 60 },
	{ "logins_in_flight_per_source", CFG_INT, OFF(logins_in_flight_per_source), 1, 100000, 16 },
	{ "logins_in_flight_per_user", CFG_INT, OFF(logins_in_flight_per_user), 1, 1000, 2 },
	{ "max_connections",   CFG_INT,     OFF(max_connections),   1, SRV_MAX_CONNECTIONS_CEIL - 1, 1024 },
	{ "max_connections_per_source", CFG_INT, OFF(max_connections_per_source), 1, SRV_MAX_CONNECTIONS_CEIL - 1, 256 },
	{ "monitor_using_days", CFG_INT,    OFF(monitor_using_days), 1, 366, 30 },
	{ "notify_command",    CFG_STR,     OFF(notify_command),    0, 0, 0 },
	{ "notify_timeout",    CFG_SECONDS, OFF(notify_timeout),    1, 600, 30 },
	{ "query_threads",     CFG_INT,     OFF(query_threads),     0, 64, 2 },
	{ "session_max_age",   CFG_SECONDS, OFF(session_max_age),   1, 90 * DAY, DAY },
	{ "sync_threads",      CFG_INT,     OFF(sync_threads),      0, 16, 3 },
	{ "ticket_ttl",        CFG_SECONDS, OFF(ticket_ttl),        60, 90 * DAY, 12 * 3600 },
	{ "upload_application_max", CFG_BYTES, OFF(upload_application_max), 1024, INT_MAX, 50L << 20 },
	{ "upload_file_max",   CFG_BYTES,   OFF(upload_file_max),   1024, 1 << 30, 10L << 20 },
	{ "user",              CFG_STR,     OFF(user),              0, 0, 0 },
	{ "writer_cache",      CFG_BYTES,   OFF(writer_cache),      1L << 20, INT_MAX, DB_WRITER_CACHE_KIB * 1024L },
};
#define NKEYS (sizeof cfg_keys / sizeof cfg_keys[0])

/* Every number its default from the table; of the strings, listen and db
 * have one (the others are NULL: see conf.h). */
void
srv_config_init(struct srv_config *c)
{
	memset(c, 0, sizeof *c);
	for (size_t i = 0; i < NKEYS; i++)
		if (cfg_keys[i].type != CFG_STR && cfg_keys[i].type != CFG_LISTEN)
			*(int *)(void *)((char *)c + cfg_keys[i].offset) =
			    (int)cfg_keys[i].def;
	c->listen = strdup(SRV_DEFAULT_LISTEN);
	c->db = strdup(LOCALSTATEDIR "/lib/hromada/hromada.db");
}

void
srv_config_free(struct srv_config *c)
{
	free(c->listen);
	free(c->db);
	free(c->key_file);
	free(c->log_file);
	free(c->user);
	free(c->group);
	free(c->notify_command);
	memset(c, 0, sizeof *c);
}

static const struct cfg_key *
cfg_find(const char *name)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (strcmp(cfg_keys[i].name, name) == 0)
			return &cfg_keys[i];
	return NULL;
}

/* Suffixes of durations (seconds or milliseconds) and of sizes. */
struct cfg_unit {
	const char *suffix;
	long        mult;
};

static const struct cfg_unit cfg_seconds[] = {
	{ "", 1 }, { "s", 1 }, { "m", 60 }, { "h", 3600 }, { "d", 86400 },
	{ NULL, 0 },
};
static const struct cfg_unit cfg_millis[] = {
	{ "", 1000 }, { "s", 1000 }, { "ms", 1 }, { NULL, 0 },
};
static const struct cfg_unit cfg_bytes[] = {   /* sizes: KiB, MiB, GiB */
	{ "", 1 }, { "K", 1L << 10 }, { "M", 1L << 20 }, { "G", 1L << 30 },
	{ NULL, 0 },
};

/* Whole-string decimal integer; a unit suffix only for durations and
 * sizes. */
static int
cfg_parse_int(const struct cfg_key *k, const char *value, int *out,
    struct hr_error *err)
{
	const struct cfg_unit *u = k->type == CFG_SECONDS ? cfg_seconds :
	    k->type == CFG_MILLIS ? cfg_millis : k->type == CFG_BYTES ?
	    cfg_bytes : NULL;
	const char *unit = k->type == CFG_MILLIS ? " milliseconds" :
	    k->type == CFG_SECONDS ? " seconds" : k->type == CFG_BYTES ?
	    " bytes" : "";
	char *end;
	long  v, mult = 1;

	errno = 0;
	v = strtol(value, &end, 10);
	if (end == value || errno == ERANGE)
		return hr_error_set(err, HR_E_USAGE, "%s: '%s' is not a number",
		    k->name, value);
	for (; u != NULL && u->suffix != NULL; u++)
		if (strcmp(end, u->suffix) == 0) {
			mult = u->mult;
			end += strlen(end);
			break;
		}
	if (*end != '\0')
		return hr_error_set(err, HR_E_USAGE, "%s: '%s' is not a %s",
		    k->name, value, k->type == CFG_SECONDS ?
		    "duration (e.g. 90, 90s, 15m, 2h, 1d)" :
		    k->type == CFG_MILLIS ? "duration (e.g. 1, 1s, 250ms)" :
		    k->type == CFG_BYTES ? "size (e.g. 10485760, 10240K, 10M, 1G)" :
		    "number");
	if (v > LONG_MAX / mult || v * mult < k->min || v * mult > k->max)
		return hr_error_set(err, HR_E_USAGE, "%s: %s is out of range "
		    "(%ld..%ld%s)", k->name, value, k->min, k->max, unit);
	*out = (int)(v * mult);
	return 0;
}

static int
cfg_parse_enum(const struct cfg_key *k, const char *value, int *out,
    struct hr_error *err)
{
	int v;

	if (k->type == CFG_LEVEL) {
		if ((v = srv_log_level_from_name(value)) < 0)
			return hr_error_set(err, HR_E_USAGE, "%s: '%s' is not one "
			    "of error, warning, info, debug", k->name, value);
	} else if (strcmp(value, "stderr") == 0)
		v = SRV_LOG_STDERR;
	else if (strcmp(value, "syslog") == 0)
		v = SRV_LOG_SYSLOG;
	else
		return hr_error_set(err, HR_E_USAGE, "%s: '%s' is not stderr "
		    "or syslog", k->name, value);
	*out = v;
	return 0;
}

/* One listen address: "host:port", "[v6]:port" or "*:port", port 0..65535. */
static int
cfg_check_addr(const char *a, size_t len, struct hr_error *err)
{
	const char *colon = NULL;
	size_t      i, ncolons = 0;
	long        port = 0;

	for (i = 0; i < len; i++)
		if (a[i] == ':') {
			colon = a + i;
			ncolons++;
		}
	if (colon == NULL || colon == a || (ncolons > 1 && (a[0] != '[' ||
	    colon[-1] != ']')))
		return hr_error_set(err, HR_E_USAGE, "listen: '%.*s' is not "
		    "host:port (IPv6 as [::1]:7350)", (int)len, a);
	for (const char *p = colon + 1; p < a + len; p++) {
		if (*p < '0' || *p > '9' || (port = port * 10 + (*p - '0')) > 65535)
			return hr_error_set(err, HR_E_USAGE, "listen: bad port "
			    "in '%.*s'", (int)len, a);
	}
	if (colon + 1 == a + len)
		return hr_error_set(err, HR_E_USAGE, "listen: no port in '%.*s'",
		    (int)len, a);
	return 0;
}

static int
cfg_check_listen(const char *value, struct hr_error *err)
{
	const char *p = value;
	size_t      n;
	int         count = 0;

	while (*p != '\0') {
		p += strspn(p, ", \t");
		if ((n = strcspn(p, ", \t")) == 0)
			break;
		if (cfg_check_addr(p, n, err) < 0)
			return -1;
		count++;
		p += n;
	}
	if (count == 0)
		return hr_error_set(err, HR_E_USAGE, "listen: no address");
	return 0;
}

int
srv_config_set(struct srv_config *c, const char *key, const char *value,
    struct hr_error *err)
{
	const struct cfg_key *k = cfg_find(key);
	char **sp;

	if (k == NULL)
		return hr_error_set(err, HR_E_USAGE, "unknown key '%s'", key);
	switch (k->type) {
	case CFG_LISTEN:
		if (cfg_check_listen(value, err) < 0)
			return -1;
		/* FALLTHROUGH */
	case CFG_STR:
		if (*value == '\0')
			return hr_error_set(err, HR_E_USAGE, "%s: empty value", key);
		sp = (char **)((char *)c + k->offset);
		free(*sp);
		if ((*sp = strdup(value)) == NULL)
			return hr_error_set(err, HR_E_INTERNAL, "out of memory");
		return 0;
	case CFG_INT:
	case CFG_SECONDS:
	case CFG_MILLIS:
	case CFG_BYTES:
		return cfg_parse_int(k, value, (int *)((char *)c + k->offset), err);
	case CFG_LOG:
	case CFG_LEVEL:
		return cfg_parse_enum(k, value, (int *)((char *)c + k->offset), err);
	}
	return hr_error_set(err, HR_E_INTERNAL, "%s: bad key type", key);
}

static char *
cfg_trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/*
 * One line: blank, comment, section header or key = value.  `seen` marks
 * keys already set in this file (a repeated key is a mistake, not an
 * override).
 */
static int
cfg_line(struct srv_config *c, char *line, unsigned char seen[],
    struct hr_error *err)
{
	char *eq, *key, *value;
	const struct cfg_key *k;

	line = cfg_trim(line);
	if (*line == '\0' || *line == '#' || *line == ';')
		return 0;
	if (*line == '[') {
		if (strcmp(line, "[hromadad]") != 0)
			return hr_error_set(err, HR_E_USAGE, "unknown section %s "
			    "(only [hromadad])", line);
		return 0;
	}
	if ((eq = strchr(line, '=')) == NULL)
		return hr_error_set(err, HR_E_USAGE, "expected key = value");
	*eq = '\0';
	key = cfg_trim(line);
	value = cfg_trim(eq + 1);
	if ((k = cfg_find(key)) != NULL) {
		if (seen[k - cfg_keys])
			return hr_error_set(err, HR_E_USAGE, "key '%s' is set "
			    "twice", key);
		seen[k - cfg_keys] = 1;
	}
	return srv_config_set(c, key, value, err);
}

int
srv_config_load(struct srv_config *c, const char *path, struct hr_error *err)
{
	unsigned char seen[NKEYS] = { 0 };
	struct hr_error e;
	FILE   *fp;
	char   *line = NULL;
	size_t  cap = 0;
	ssize_t n;
	int     lineno = 0, rc = 0;

	if ((fp = fopen(path, "r")) == NULL)
		return hr_error_set(err, HR_E_IO, "%s: %s", path, strerror(errno));
	hr_error_clear(&e);
	while ((n = getline(&line, &cap, fp)) >= 0) {
		lineno++;
		if (memchr(line, '\0', (size_t)n) != NULL)
			rc = hr_error_set(&e, HR_E_USAGE, "NUL byte in line");
		else
			rc = cfg_line(c, line, seen, &e);
		if (rc < 0)
			break;
	}
	if (rc == 0 && ferror(fp))
		rc = hr_error_set(&e, HR_E_IO, "read error");
	free(line);
	fclose(fp);
	if (rc < 0)
		return hr_error_set(err, e.code, "%s:%d: %s", path, lineno, e.msg);
	return 0;
}
