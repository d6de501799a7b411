/*
 * unknown_names.c — aggregate audit of failed logins under names that do
 * not exist (see unknown_names.h).
 *
 * A list of sources, most recent first; each keeps its count, the time
 * of its first failure and a few distinct names.  Lookups walk the list:
 * it is bounded (UNKNOWN_NAMES_SOURCES) and emptied every minute, and a
 * login costs an Argon2id hash anyway.
 */
#include "srvd/unknown_names.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ev.h>

#include "srvd/commit.h"
#include "srvd/log.h"
#include "srvd/request_audit.h"
#include "srvd/server.h"

#define NAME_MAX_BYTES 64

struct unknown_source {
	char      source[DB_SOURCE_MAX];
	unsigned long count;
	double    since;                       /* first failure (wall clock) */
	char      names[UNKNOWN_NAMES_SAMPLE][NAME_MAX_BYTES + 1];
	int       nnames;
	struct unknown_source *next;
};

struct srv_unknown_names {
	struct unknown_source *list;
	size_t                 n;
};

struct srv_unknown_names *
unknown_names_new(void)
{
	return calloc(1, sizeof(struct srv_unknown_names));
}

void
unknown_names_free(struct srv_unknown_names *u)
{
	if (u == NULL)
		return;
	while (u->list != NULL) {
		struct unknown_source *s = u->list;

		u->list = s->next;
		free(s);
	}
	free(u);
}

static struct unknown_source *
unknown_find(struct srv_unknown_names *u, const char *source)
{
	struct unknown_source *s;

	for (s = u->list; s != NULL; s = s->next)
		if (strcmp(s->source, source) == 0)
			return s;
	if (u->n >= UNKNOWN_NAMES_SOURCES)
		source = "*";
	for (s = u->list; s != NULL; s = s->next)
		if (strcmp(s->source, source) == 0)
			return s;
	if ((s = calloc(1, sizeof *s)) == NULL)
		return NULL;
	snprintf(s->source, sizeof s->source, "%s", source);
	s->since = ev_time();
	s->next = u->list;
	u->list = s;
	u->n++;
	return s;
}

void
unknown_names_note(struct srv_unknown_names *u, const char *source,
    const char *name)
{
	struct unknown_source *s = u != NULL ? unknown_find(u, source) : NULL;

	if (s == NULL)
		return;
	s->count++;
	for (int i = 0; i < s->nnames; i++)
		if (strncmp(s->names[i], name, NAME_MAX_BYTES) == 0)
			return;
	if (s->nnames < UNKNOWN_NAMES_SAMPLE)
		snprintf(s->names[s->nnames++], NAME_MAX_BYTES + 1, "%s", name);
}

/* The record's detail: count, period and the names seen. */
static void
unknown_detail(const struct unknown_source *s, char *out, size_t cap)
{
	size_t len;

	len = (size_t)snprintf(out, cap, "%lu failed login%s under unknown "
	    "user names in the last %.0f s:", s->count, s->count == 1 ? "" :
	    "s", ev_time() - s->since + 0.5);
	for (int i = 0; i < s->nnames && len < cap; i++)
		len += (size_t)snprintf(out + len, cap - len, "%s %s",
		    i ? "," : "", s->names[i]);
	if (s->count > (unsigned long)s->nnames && len < cap)
		snprintf(out + len, cap - len, " (names beyond these %d are not "
		    "kept)", s->nnames);
}

int
unknown_names_flush(struct srv *srv, struct srv_unknown_names *u)
{
	struct unknown_source **pp = &u->list;
	char   detail[UNKNOWN_NAMES_SAMPLE * (NAME_MAX_BYTES + 2) + 160];
	int    waiting = 0;

	while (*pp != NULL) {
		struct unknown_source *s = *pp;
		struct srv_audit_rec   rec = { "login.fail", NULL, detail,
		    NULL, 0 };
		struct hr_error        err;
		int                    rc;

		unknown_detail(s, detail, sizeof detail);
		hr_error_clear(&err);
		rc = session_audit_append(srv, 0, "(unknown names)", s->source,
		    &rec, &err);
		if (rc == COMMIT_DEFER) {
			waiting++;
			pp = &s->next;
			continue;
		}
		if (rc < 0)
			log_warning("audit of failed logins from %s (%s): %s",
			    s->source, detail, err.msg);
		*pp = s->next;
		u->n--;
		free(s);
	}
	return waiting;
}
