/*
 * cached.h — the results a client keeps on its disk and revalidates by
 * etag (revalidate.h): the reference data and the front offices of the
 * user's scope.  Each is packed by its own method (reference.get,
 * territory.front_offices) and by `login`, which carries them back only
 * when the client's copy is not current, so that a clerk's daily login
 * costs no request, no reply and no byte for them (PROTOCOL.md "login").
 */
#ifndef SRV_CACHED_H
#define SRV_CACHED_H

#include "db/db.h"
#include "proto/error.h"
#include "srvd/revalidate.h"
#include "srvd/scope.h"

struct srv_uploads;

/* reference.get's pairs (services, documents[, uploads]) into rv. */
int cached_reference(struct hr_db *db, const struct srv_uploads *uploads,
    struct revalidate *rv, struct hr_error *err);

/* territory.front_offices' pairs (items) for scope `s` into rv; a scope
 * that sees no applications is HR_E_FORBIDDEN. */
int cached_front_offices(struct hr_db *db, const struct srv_scope *s,
    struct revalidate *rv, struct hr_error *err);

#endif
