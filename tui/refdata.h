/*
 * refdata.h — reference data (reference.get): the services with their
 * required documents, and the document types.  Fetched once per session
 * and kept for the life of the client (re-fetched when another user logs
 * in); screens read the cache.
 */
#ifndef TUI_REFDATA_H
#define TUI_REFDATA_H

#include <stddef.h>

#include "tui/app.h"

struct ref_service {
	char   *code, *name, *system;
	char  **docs;                 /* codes of the required documents */
	size_t  ndocs;
};

struct ref_doc {
	char *code, *name;
};

struct refdata {
	struct ref_service *svc;
	size_t              nsvc;
	struct ref_doc     *doc;
	size_t              ndoc;
	const char        **svc_labels;   /* service names, for a choice list */
};

/* The cache for the logged-in user, or NULL when it must be fetched. */
const struct refdata *refdata_get(const struct app *a);

/*
 * Send reference.get; the cache is filled before `done` runs with the
 * reply (done is called like any app_reply_fn).  0, or -1 (not sent).
 */
int refdata_fetch(struct app *a, app_reply_fn *done);

/* Fill the cache from a reference.get result (also for tests). */
int refdata_load(struct refdata *rd, const msgpack_object *result);
void refdata_free(struct refdata *rd);

int         refdata_service(const struct refdata *rd, const char *code); /* index or -1 */
const char *refdata_doc_name(const struct refdata *rd, const char *code); /* code if unknown */
/* Is document `code` required by service index `si`? */
int         refdata_required(const struct refdata *rd, int si, const char *code);

#endif
