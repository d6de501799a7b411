/*
 * method_table.h — what a request handler sees, and the method table.
 *
 * Each method lives in its own file (method_login.c, method_ping.c, ...)
 * exporting its handler and its params schema; srvd/method_table.c lists them
 * in one table with who may call them.  dispatch.c has already checked, before
 * a handler runs, that the method exists, that the session is logged in if it
 * must be, that the role is in the mask, and that the params match the
 * schema: the handler reads rq->vals[i] for field i of its schema.
 *
 * A handler queries the database only through rq->db, the connection
 * dispatch.c chose for it from the method's `writes` flag, never through a
 * server-wide handle.  A read (`writes` 0) of a logged-in user runs on a query
 * thread (query.h): it sees the user through rq->sess only (rq->conn and
 * rq->srv are NULL there) and audits with srv_audit (request_audit.h), whose
 * record the loop appends before the reply may go.
 *
 * A handler packs its result map into rq->pk and returns 0, or returns -1
 * with err set (the reply becomes that error; the connection stays usable),
 * or SRV_ASYNC when it will answer later itself (login).
 *
 * Methods marked `writes` run inside their own savepoint of the shared
 * transaction and their replies wait for the group commit (commit.h); a
 * failing one is rolled back alone.
 */
#ifndef SRV_METHOD_TABLE_H
#define SRV_METHOD_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include <msgpack.h>

#include "proto/error.h"
#include "proto/schema.h"

struct hr_db;
struct srv;
struct srv_uploads;
struct srv_config;
struct conn;

#define SRV_ASYNC 1

struct conn_session;
struct srv_audit_rec;

struct srv_req {
	struct srv            *srv;     /* NULL on a query thread */
	struct conn           *conn;    /* NULL on a query thread: use sess */
	const struct conn_session *sess;  /* who asks (login, role, scope) */
	const char            *where;   /* address [+ terminal], for the audit */
	struct hr_db          *db;      /* the connection this request uses */
	uint32_t               msgid;
	const msgpack_object **vals;    /* by index of the method's schema */
	msgpack_packer        *pk;      /* the result map goes here */
	int                    keep;    /* a writer failing with this set
	                                   keeps its writes (a recorded
	                                   failure: audit, throttle) */
	struct srv_audit_rec **later;   /* a read's audit records, appended by
	                                   the loop (request_audit.h) */
	int64_t                app_seen; /* the application intake_app_load
	                                   found in scope (0: none yet); its
	                                   parts are read only after that */
	struct srv_uploads    *uploads; /* the scans (upload.h): a query
	                                   thread uses its store and limits
	                                   only, which never change */
	const struct srv_config *cfg;   /* hromadad.conf (conf.h); never
	                                   changes while the server runs */
	struct srv_hashed     *hashed;  /* bytes of the request hashed (and
	                                   written) off the loop (prehash.h),
	                                   or NULL */
	int64_t               *echo;    /* non-NULL: a write may leave its
	                                   reply's echo to be built after its
	                                   COMMIT (app_echo.h): it sets
	                                   *echo to the application's id */
};

/*
 * The BLAKE2b-256 (`hash`, HR_FILE_HASH_LEN bytes) of the `n` bytes at
 * `at`, inside the request: upload.chunk's data, hashed ahead.  When the
 * chunk starts a file, they may have been written ahead too, at offset 0
 * of `spare`, an unnamed file of the store (spares.h): `spare_errno` is 0
 * when all were written, else why not.  The spare is whoever holds this
 * struct's: a handler that keeps it sets `spare` to -1; the dispatcher
 * closes what is left (the file vanishes).
 */
struct srv_hashed {
	const uint8_t *at;
	size_t         n;
	const uint8_t *hash;
	int            spare;
	int            spare_errno;
};

typedef int srv_handler_fn(struct srv_req *rq, struct hr_error *err);

struct srv_method {
	const char             *name;         /* proto/method_names.h HR_M_* */
	srv_handler_fn         *handler;
	const struct hr_schema *params;
	unsigned                roles;        /* HR_ROLE_BIT mask */
	int                     needs_login;  /* roles checked only if set */
	int                     writes;       /* SRV_WRITES_* (0: reads) */
};

/*
 * srv_method.writes: a writer runs in the group commit's batch, inside a
 * savepoint of its own (commit.h).  Its reply is held until the batch is
 * on disk -- "saved" means on disk -- unless the method claims nothing
 * durable (SRV_WRITES_EARLY: upload.begin, whose upload becomes durable
 * with its first acknowledged chunk, PROTOCOL.md): that reply goes at
 * once, when no earlier reply of its connection is still held.
 */
#define SRV_WRITES       1
#define SRV_WRITES_EARLY 2

/* The table, sorted by name (method_table.c). */
extern const struct srv_method srv_methods[];
extern const size_t            srv_nmethods;

/* Binary search by a not NUL-terminated name; NULL if unknown. */
const struct srv_method *srv_method_find(const char *name, size_t len);

/* ---- the handlers (one file each) ---- */

#define SRV_METHOD_DECL(fn) \
	srv_handler_fn fn; \
	extern const struct hr_schema fn##_params

SRV_METHOD_DECL(method_application_batch);
SRV_METHOD_DECL(method_application_get);
SRV_METHOD_DECL(method_application_notify);
SRV_METHOD_DECL(method_application_print);
SRV_METHOD_DECL(method_attachment_detach);
SRV_METHOD_DECL(method_attachment_read);
SRV_METHOD_DECL(method_application_save);
SRV_METHOD_DECL(method_application_transition);
SRV_METHOD_DECL(method_dat_export);
SRV_METHOD_DECL(method_dat_get);
SRV_METHOD_DECL(method_dat_import);
SRV_METHOD_DECL(method_dat_list);
SRV_METHOD_DECL(method_journal_list);
SRV_METHOD_DECL(method_login);
SRV_METHOD_DECL(method_logout);
SRV_METHOD_DECL(method_person_get);
SRV_METHOD_DECL(method_person_search);
SRV_METHOD_DECL(method_ping);
SRV_METHOD_DECL(method_reference_get);
SRV_METHOD_DECL(method_register_candidates);
SRV_METHOD_DECL(method_register_create);
SRV_METHOD_DECL(method_register_get);
SRV_METHOD_DECL(method_register_list);
SRV_METHOD_DECL(method_report_get);
SRV_METHOD_DECL(method_report_monitor);
SRV_METHOD_DECL(method_report_summary);
SRV_METHOD_DECL(method_resume);
SRV_METHOD_DECL(method_territory_front_offices);
SRV_METHOD_DECL(method_upload_begin);
SRV_METHOD_DECL(method_upload_cancel);
SRV_METHOD_DECL(method_upload_chunk);
SRV_METHOD_DECL(method_upload_prove);
SRV_METHOD_DECL(method_user_list);

/* The second half of login, when the password has been verified (auth.h). */
struct auth_job;
void method_login_finish(void *srv, struct auth_job *job);

#endif
