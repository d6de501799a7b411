/*
 * refdata.h — reference data the screens map codes and ids with: the
 * services with their required documents, the document types
 * (reference.get), and the front offices of the user's scope
 * (territory.front_offices), whose names journal rows carry only by id.
 *
 * Kept for the life of the client and on disk (diskcache.h) per server
 * and user, and revalidated with the server by etag (PROTOCOL.md
 * "Revalidation") when a session starts: a clerk's daily login costs a
 * few bytes, and screens have the names before the first reply comes.
 */
#ifndef TUI_REFDATA_H
#define TUI_REFDATA_H

#include <stddef.h>
#include <stdint.h>

#include "tui/app.h"

struct ref_service {
	char   *code, *name, *system;
	char   *short_name;           /* for narrow columns; the name if none */
	char  **docs;                 /* codes of the required documents */
	size_t  ndocs;
};

struct ref_doc {
	char *code, *name;
};

struct ref_office {
	int64_t id;
	char   *name, *kind, *hromada;
};

struct refdata {
	struct ref_service *svc;
	size_t              nsvc;
	struct ref_doc     *doc;
	size_t              ndoc;
	const char        **svc_labels;   /* service names, for a choice list */
	struct ref_office  *office;       /* front offices in scope, by id */
	size_t              noffice;
	/* the server's limits on scans (0: not told) */
	uint64_t            file_max, app_max, chunk_max;
};

/*
 * Take the cache for `user` on `server` from disk when the one in memory
 * is someone else's (a login screen calls it before sending the
 * password).  Nothing is sent.
 */
void refdata_open(const char *server, const char *user);

/* The role the user had in their last session here ("userSta"), or NULL. */
const char *refdata_last_role(void);

/* Remember the session's role (for the next login's guess). */
void refdata_set_role(const char *role);

/*
 * The login revalidates the cache at no cost (PROTOCOL.md "login"): it
 * carries REFDATA_LOGIN_FIELDS params, `reference` and `front_offices`,
 * the etags of the copies held (0 for none; refdata_open first), and its
 * reply carries back only what changed, which refdata_take_login takes
 * (into the cache and the disk file); what it left out is current.
 */
#define REFDATA_LOGIN_FIELDS 2
void refdata_pack_login(msgpack_packer *pk);
void refdata_take_login(struct app *a, const msgpack_object *result);

/*
 * Revalidate the services, documents and front offices with the etags
 * held, as background requests (unless checked in the last minute); changes are taken into the cache and the
 * disk file, and the current screen gets APP_EV_DATA.
 */
void refdata_sync(struct app *a);

/* The cache for the logged-in user, or NULL when it must be fetched. */
const struct refdata *refdata_get(const struct app *a);

/*
 * Send reference.get (with the etag held); the cache is filled before
 * `done` runs with the reply (done is called like any app_reply_fn).
 * 0, or -1 (not sent).
 */
int refdata_fetch(struct app *a, app_reply_fn *done);

/* The front offices as territory.front_offices answered ({items}), or NULL. */
const msgpack_object *refdata_offices_result(void);

/* Fill from a reference.get result (also for tests). */
int refdata_load(struct refdata *rd, const msgpack_object *result);
/* Fill the front offices from a territory.front_offices result. */
int refdata_load_offices(struct refdata *rd, const msgpack_object *result);
void refdata_free(struct refdata *rd);

int         refdata_service(const struct refdata *rd, const char *code); /* index or -1 */
/* Name of service `code`, or the code itself when unknown (rd may be NULL). */
const char *refdata_service_name(const struct refdata *rd, const char *code);
/* The short name of service `code` for narrow columns (reference data's
 * short_uk; its name when it has none; the code when unknown). */
const char *refdata_service_short(const struct refdata *rd, const char *code);
const char *refdata_doc_name(const struct refdata *rd, const char *code); /* code if unknown */
/* Is document `code` required by service index `si`? */
int         refdata_required(const struct refdata *rd, int si, const char *code);
/* Front office `id`, or NULL (rd may be NULL). */
const struct ref_office *refdata_office(const struct refdata *rd, int64_t id);

#endif
