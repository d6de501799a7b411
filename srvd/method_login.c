/*
 * method_login.c — `login` {user, password, client} -> session.
 *
 * In two halves around the password check, which runs on a worker thread
 * (auth.h) because Argon2id takes ~50 ms:
 *
 *   method_login          on the loop: admit the attempt (limits.h: logins
 *                         in flight per source and per user; db/throttle.h:
 *                         locked?), look the user up, queue the
 *                         verification (unknown user: a dummy hash, so the
 *                         time taken does not tell which names exist)
 *   method_login_finish   on the loop, when verified: inside its own
 *                         savepoint record the success or the failure,
 *                         then answer through the group commit
 *
 * An attempt counts against the throttle from the moment it is admitted:
 * the attempts in flight under each throttle key are added to the key's
 * failures on record (limits_key_count), so no more guesses can be in
 * flight at once than the key has left before it locks, and no user or
 * source can queue more than logins_in_flight_per_user / _per_source for
 * the two Argon2 workers.
 *
 * Every refusal after the password is checked answers the same
 * HR_E_CREDENTIALS "wrong user name or password": a wrong password, an
 * unknown user, a disabled account, and -- so that a refusal never
 * confirms a right password -- a territory that requires a terminal the
 * login did not prove, or a terminal proof that is not good.  Only the
 * audit log's detail says which.  Failures under names that do not exist
 * are audited in aggregate (unknown_names.h): anyone can type names.
 *
 * login_may reads the method table (srv_method_find), which names this
 * file's handlers: a call circle kept on purpose, the table being data
 * (method_table.c).
 *
 * The client's cached reference data and front offices ride on the
 * login: `reference` and `front_offices` are the etags of its copies,
 * and the reply carries a result back only when the copy is not current
 * (cached.h), so a daily login spends no request on them.
 *
 * Terminal keys (proto/terminal.h): a `terminal_proof` is checked on the
 * loop at once (it needs this connection's transcript and the server key
 * its handshake used).  A login with a valid proof of a registered
 * terminal is throttled by that terminal's own failures only
 * (db/throttle.h), so failures from elsewhere never lock it out.  The
 * territory rule is judged after the password.  Failures are recorded
 * even when the client has gone meanwhile, so hanging up does not dodge
 * the throttle.
 */
#include "srvd/method_table.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "db/audit.h"
#include "db/terminals.h"
#include "db/territory.h"
#include "db/throttle.h"
#include "db/users.h"
#include "proto/method_names.h"
#include "proto/mpread.h"
#include "proto/roles.h"
#include "proto/terminal.h"
#include "srvd/auth.h"
#include "srvd/cached.h"
#include "srvd/conn.h"
#include "srvd/keyring.h"
#include "srvd/limits.h"
#include "srvd/log.h"
#include "srvd/reply.h"
#include "srvd/server.h"
#include "srvd/session.h"
#include "srvd/unknown_names.h"

enum { P_USER, P_PASSWORD, P_CLIENT, P_TERMINAL, P_TERMINAL_PROOF,
    P_REFERENCE, P_FRONT_OFFICES, P__COUNT };

static const struct hr_field fields[] = {
	[P_USER]     = { "user",     HR_F_STR, HR_F_REQUIRED, 0, 64 },
	[P_PASSWORD] = { "password", HR_F_STR, HR_F_REQUIRED, 0, 256 },
	[P_CLIENT]   = { "client",   HR_F_STR, HR_F_NULLABLE, 0, 64 },
	[P_TERMINAL] = { "terminal", HR_F_STR, HR_F_NULLABLE, 0,
	                 HR_TERMINAL_NAME_MAX },
	[P_TERMINAL_PROOF] = { "terminal_proof", HR_F_BIN, HR_F_NULLABLE, 0,
	                 HR_TERMINAL_PROOF_LEN },
	[P_REFERENCE]      = { "reference", HR_F_INT, HR_F_NULLABLE, 0, INT64_MAX },
	[P_FRONT_OFFICES]  = { "front_offices", HR_F_INT, HR_F_NULLABLE, 0,
	                 INT64_MAX },
};
const struct hr_schema method_login_params = { fields, P__COUNT, 0 };

/* Whom the attempt is judged as (db/throttle.h). */
static struct db_login_from
login_from(const struct auth_job *job)
{
	return (struct db_login_from){ job->user, job->source,
	    job->terminal != NULL && job->terminal_bad == NULL ?
	    job->terminal : NULL };
}

/* Count the job in (+1) or out (-1) of the attempts in flight. */
static void
login_count(struct srv *srv, struct auth_job *job, int delta)
{
	struct db_login_from f = login_from(job);
	char keys[DB_THROTTLE_KEYS][DB_THROTTLE_KEY_MAX];
	int  n = db_throttle_keys(&f, keys);

	if (delta < 0) {
		if (!job->counted)
			return;
		limits_login_release(srv->limits, job->source, job->user);
		job->counted = 0;
	} else
		job->counted = 1;
	for (int i = 0; i < n; i++)
		(void)limits_key_add(srv->limits, keys[i], delta);
}

/*
 * May this attempt be verified now?  Takes its place among the logins in
 * flight (limits.h) when it may; then login_count counts it in.
 */
static int
login_admit(struct srv_req *rq, struct auth_job *job, struct hr_error *err)
{
	struct srv          *srv = rq->srv;
	struct db_login_from f = login_from(job);
	char     keys[DB_THROTTLE_KEYS][DB_THROTTLE_KEY_MAX];
	unsigned inflight[DB_THROTTLE_KEYS] = { 0 };
	int64_t  retry = 0;
	int      n = db_throttle_keys(&f, keys), rc;

	for (int i = 0; i < n; i++)
		inflight[i] = limits_key_count(srv->limits, keys[i]);
	rc = db_throttle_check(rq->db, &srv->throttle, &f, inflight, db_now(),
	    &retry, err);
	if (rc < 0)
		return -1;
	if (rc == 1)
		return hr_errorf(err, HR_E_THROTTLED, "login.throttled",
		    "too many failed logins; try again in {seconds} seconds",
		    HR_INT("seconds", retry));
	if (rc == 2)
		return hr_errorf(err, HR_E_BUSY, "login.in_flight",
		    "logins of this account are being checked; try again in "
		    "a moment");
	return limits_login_admit(srv->limits, job->source, job->user, err);
}

/* Fill the job with the user's hash, or the dummy for an unknown name. */
static int
login_lookup(struct srv_req *rq, struct auth_job *job, struct hr_error *err)
{
	struct db_user u;

	memset(&u, 0, sizeof u);
	if (db_user_by_name(rq->db, job->user, &u, err) == 0) {
		job->user_id = u.id;
		job->disabled = u.disabled;
		job->pwhash = u.pwhash;
		u.pwhash = NULL;
		db_user_free(&u);
	} else if (err->code == HR_E_NOT_FOUND) {
		hr_error_clear(err);
		job->pwhash = strdup(auth_dummy_hash(rq->srv->auth));
	} else
		return -1;
	if (job->pwhash == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	return 0;
}

/*
 * Check the terminal proof against this connection's handshake; the
 * verdict waits in the job until the password is verified.
 */
static int
login_terminal(struct srv_req *rq, struct auth_job *job, struct hr_error *err)
{
	const msgpack_object *name = rq->vals[P_TERMINAL];
	const msgpack_object *proof = rq->vals[P_TERMINAL_PROOF];
	struct db_terminal t;

	if (name == NULL && proof == NULL)
		return 0;
	if (name == NULL || proof == NULL ||
	    proof->via.bin.size != HR_TERMINAL_PROOF_LEN)
		return hr_errorf(err, HR_E_PARAMS, "login.terminal_params",
		    "terminal and terminal_proof ({size} bytes) go together",
		    HR_INT("size", HR_TERMINAL_PROOF_LEN));
	if ((job->terminal = hr_val_strdup(name)) == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	if (db_terminal_by_name(rq->db, job->terminal, &t, err) < 0) {
		if (err->code != HR_E_NOT_FOUND)
			return -1;
		hr_error_clear(err);
		job->terminal_bad = HR_MSGID("terminal not registered");
		return 0;
	}
	job->terminal_territory = t.territory_id;
	if (t.revoked_at != 0)
		job->terminal_bad = HR_MSGID("terminal revoked");
	else if (!keyring_terminal_proof_ok(rq->conn, t.pk,
	    (const uint8_t *)proof->via.bin.ptr))
		job->terminal_bad = HR_MSGID("terminal proof wrong");
	db_terminal_free(&t);
	return 0;
}

int
method_login(struct srv_req *rq, struct hr_error *err)
{
	struct conn     *c = rq->conn;
	struct auth_job *job;

	if (c->login_pending)
		return hr_errorf(err, HR_E_BUSY, "login.in_progress",
		    "a login is already in progress on this connection");
	if ((job = auth_job_new()) == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	job->conn_id = c->id;
	job->msgid = rq->msgid;
	job->user = hr_val_strdup(rq->vals[P_USER]);
	job->password = hr_val_strdup(rq->vals[P_PASSWORD]);
	job->client = hr_val_strdup(rq->vals[P_CLIENT]);
	job->addr = strdup(c->addr);
	job->source = strdup(c->source);
	job->etag_reference = rq->vals[P_REFERENCE] == NULL ? -1 :
	    hr_val_int(rq->vals[P_REFERENCE], 0);
	job->etag_front_offices = rq->vals[P_FRONT_OFFICES] == NULL ? -1 :
	    hr_val_int(rq->vals[P_FRONT_OFFICES], 0);
	if (job->user == NULL || job->password == NULL || job->addr == NULL ||
	    job->source == NULL) {
		auth_job_free(job);
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	}
	if (login_terminal(rq, job, err) < 0 || login_admit(rq, job, err) < 0) {
		auth_job_free(job);
		return -1;
	}
	login_count(rq->srv, job, +1);
	if (login_lookup(rq, job, err) < 0 ||
	    auth_submit(rq->srv->auth, job, err) < 0) {
		login_count(rq->srv, job, -1);
		auth_job_free(job);
		return -1;
	}
	c->login_pending = 1;
	/* Requests sent behind the login (a client pipelines its first
	 * page with it) run after it, as every connection's requests do. */
	conn_wait(c);
	return SRV_ASYNC;
}

/* Why a verified login still fails, for the audit log only. */
static const char *
login_failure(const struct auth_job *job)
{
	if (job->user_id == 0)
		return "unknown user";
	if (!job->match)
		return "wrong password";
	if (job->disabled)
		return "account disabled";
	return NULL;
}

/*
 * After the password: may this user log in from this terminal (or from no
 * terminal)?  NULL yes; else why not, for the audit log.
 */
static const char *
login_terminal_refusal(struct hr_db *db, const struct db_user *u,
    const struct auth_job *job, struct hr_error *err)
{
	int req, within;

	if (job->terminal_bad != NULL)
		return job->terminal_bad;
	if (job->terminal != NULL) {
		within = db_territory_within(db, u->territory_id,
		    job->terminal_territory, err);
		if (within < 0)
			return HR_MSGID("terminal check failed");
		return within ? NULL : HR_MSGID("terminal of another territory");
	}
	req = db_terminal_required(db, u->territory_id, NULL, err);
	if (req < 0)
		return HR_MSGID("terminal check failed");
	return req ? HR_MSGID("no terminal key, but the territory requires one") : NULL;
}

/* "why; client X; terminal Y" for the audit record's detail. */
static void
login_detail(char *out, size_t cap, const char *why,
    const struct auth_job *job)
{
	snprintf(out, cap, "%s%s%s%s%s", why ? why : "",
	    job->client ? "; client " : "", job->client ? job->client : "",
	    job->terminal ? "; terminal " : "",
	    job->terminal ? job->terminal : "");
}

/*
 * Count the failure, audit why, and answer as for a wrong password --
 * whatever the reason, so that no refusal tells a right password from a
 * wrong one (PROTOCOL.md "login").
 */
static int
login_record_failure(struct srv *srv, struct hr_db *db,
    const struct auth_job *job, const char *why, struct hr_error *err)
{
	struct db_login_from f = login_from(job);
	char detail[256];

	login_detail(detail, sizeof detail, why, job);
	if (db_throttle_fail(db, &srv->throttle, &f, db_now(), err) < 0)
		return -1;
	if (job->user_id == 0)
		unknown_names_note(srv->unknown, job->source, job->user);
	else if (db_audit(db, &(struct db_audit_entry){ job->user_id,
	    job->user, job->addr, "login.fail", NULL, detail }, err) < 0)
		return -1;
	return hr_errorf(err, HR_E_CREDENTIALS, "login.credentials",
	    "wrong user name or password");
}

/* May `role` call `method` (the method table's roles)? */
static int
login_may(int role, const char *method)
{
	const struct srv_method *m = srv_method_find(method, strlen(method));

	return m != NULL && (m->roles & HR_ROLE_BIT(role)) != 0;
}

/* What login_cached needs: the job and the server. */
struct login_ctx {
	const struct auth_job *job;
	struct srv            *srv;
};

/*
 * session_more_fn: the cached results the client asked about whose copy
 * is not current, as pairs `reference` and `front_offices` (each the
 * method's result map with its etag).  A result the role may not have is
 * left out, as one that did not change.
 */
static int
login_cached(void *ud, struct hr_db *db, const struct conn_session *s,
    msgpack_packer *pk, struct hr_error *err)
{
	const struct login_ctx *x = ud;
	struct revalidate rv;
	int n = 0, rc = 0;

	if (x->job->etag_reference >= 0 &&
	    login_may(s->role, HR_M_REFERENCE_GET)) {
		revalidate_init(&rv);
		if ((rc = cached_reference(db, x->srv->uploads, &rv, err)) == 0)
			n += revalidate_changed(&rv, pk, "reference",
			    x->job->etag_reference);
	}
	if (rc == 0 && x->job->etag_front_offices >= 0 && s->scope.applications &&
	    login_may(s->role, HR_M_TERRITORY_FRONT_OFFICES)) {
		revalidate_init(&rv);
		if ((rc = cached_front_offices(db, &s->scope, &rv, err)) == 0)
			n += revalidate_changed(&rv, pk, "front_offices",
			    x->job->etag_front_offices);
	}
	if (rc < 0)
		msgpack_sbuffer_destroy(&rv.sb);
	return rc < 0 ? -1 : n;
}

static int
login_record_success(struct srv *srv, struct hr_db *db, struct conn *c,
    const struct auth_job *job, msgpack_packer *pk, struct hr_error *err)
{
	struct db_login_from f;
	struct db_user u;
	const char    *refused;
	char           detail[256];
	int            rc;

	memset(&u, 0, sizeof u);
	if (db_user_by_id(db, job->user_id, &u, err) < 0)
		return -1;
	if ((refused = login_terminal_refusal(db, &u, job, err)) != NULL) {
		db_user_free(&u);
		return login_record_failure(srv, db, job, refused, err);
	}
	snprintf(detail, sizeof detail, "client %s%s%s",
	    job->client ? job->client : "unknown",
	    job->terminal ? "; terminal " : "",
	    job->terminal ? job->terminal : "");
	/* Audit records of this session name the terminal (session.c). */
	snprintf(c->terminal, sizeof c->terminal, "%s",
	    job->terminal ? job->terminal : "");
	f = login_from(job);
	rc = db_throttle_success(db, &f, err);
	if (rc == 0)
		rc = session_open(srv, db, c, &u, db_now(), "login", detail, pk,
		    login_cached, &(struct login_ctx){ job, srv }, err);
	db_user_free(&u);
	return rc;
}

/*
 * Savepoint rules: a recorded failure keeps its savepoint (the throttle
 * counter and the audit record must stay) although the reply is an error.
 *
 * It writes, so it needs the writer: while the group commit's thread owns
 * it, the job is deferred (commit_defer) and this runs again when the
 * writer is free; login_pending stays set meanwhile.
 */
static void
login_finish_run(void *ud, void *arg)
{
	method_login_finish(ud, arg);
}

static void
login_finish_drop(void *ud, void *arg)
{
	(void)ud;
	auth_job_free(arg);
}

void
method_login_finish(void *ud, struct auth_job *job)
{
	struct srv      *srv = ud;
	struct conn     *c;
	uint64_t         job_conn = job->conn_id;
	const char      *why = login_failure(job);
	struct srv_reply r;
	struct hr_error  err;
	int              rc, keep, begin;

	hr_error_clear(&err);
	begin = commit_request_begin(&srv->commit, &err);
	if (begin == COMMIT_DEFER) {
		if (commit_defer(&srv->commit, login_finish_run,
		    login_finish_drop, job) == 0)
			return;
		begin = hr_errorf(&err, HR_E_BUSY, "server.memory",
		    "the server is short of memory; try again");
	}
	if ((c = conn_table_find(&srv->conns, job->conn_id)) != NULL)
		c->login_pending = 0;
	login_count(srv, job, -1);
	srv_reply_init(&r);
	srv_reply_result(&r, job->msgid);
	if (begin < 0) {
		rc = -1;
		keep = -1;
	} else if (why != NULL) {
		rc = login_record_failure(srv, srv->writer, job, why, &err);
		keep = err.code == HR_E_CREDENTIALS;
	} else if (c == NULL) {
		rc = keep = 0;               /* right password, nobody to tell */
	} else {
		rc = login_record_success(srv, srv->writer, c, job, &r.pk, &err);
		keep = rc == 0 || err.code == HR_E_CREDENTIALS;
	}
	if (keep >= 0)
		commit_request_end(&srv->commit, keep);
	if (rc < 0) {
		log_info("login of '%s' from %s failed: %s", job->user, job->addr,
		    why ? why : err.msg);
		srv_reply_error(&r, job->msgid, &err);
	} else if (c != NULL)
		log_info("conn %llu: %s logged in", (unsigned long long)c->id,
		    job->user);
	srv_reply_finish(srv, job->conn_id, job->msgid, &r, keep >= 0);
	auth_job_free(job);
	if ((c = conn_table_find(&srv->conns, job_conn)) != NULL && c->waiting)
		conn_resume(c);          /* the requests that came behind it */
}
