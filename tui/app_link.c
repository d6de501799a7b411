/*
 * app_link.c — the connection seen from the UI: connecting with the pinned
 * key, asking the user about unknown or changed server keys, starting the
 * session, and keeping it alive (keep-alive ping, reconnect with backoff,
 * `resume` with the ticket).
 *
 * The app shell (app.c, app_link.c, behind app.h) and what a session keeps
 * (refdata.c, case_cache.c, uploads.c, downloads.c) call each other: they
 * send and report through the app, and the app fills and clears them at
 * login and logout and steps the scan queues each turn.  The app owns them
 * as redis' server owns its modules' state; the include lines that close
 * the circle say so ("circle:").
 */
#include "config.h"

#include "proto/client.h"
#include "tui/app_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/known_hosts.h"
#include "proto/method_names.h"
#include "proto/roles.h"
#include "tui/case_cache.h"
#include "tui/downloads.h"  /* circle: the app owns the scan queues and steps them */
#include "tui/journal_filter.h"
#include "tui/mp.h"
#include "tui/refdata.h"
#include "tui/uploads.h"    /* circle: as downloads.h */

/* ---- connecting ---- */

int
app_link_to(const struct app *a, const char *server)
{
	enum hr_client_state st = hr_client_state(a->client);

	return (st == HR_CS_CONNECTING || st == HR_CS_HANDSHAKE ||
	    st == HR_CS_READY) && strcmp(a->server, server) == 0;
}

int
app_preconnect(struct app *a, const char *server)
{
	uint8_t pk[HR_PUBKEY_LEN];
	struct hr_error err;

	if (server == NULL || server[0] == '\0' || app_link_to(a, server) ||
	    a->kh_path == NULL ||
	    hr_known_hosts_lookup(a->kh_path, server, pk, &err) != 1 ||
	    app_connect(a, server, &err) != 0)
		return -1;
	a->preconnect = 1;
	return 0;
}

int
app_connect(struct app *a, const char *server, struct hr_error *err)
{
	uint8_t pk[HR_PUBKEY_LEN];
	int found = 0;
	char *copy = strdup(server);

	if (copy == NULL)
		return hr_error_set(err, HR_E_IO, "out of memory");
	free(a->server);               /* `server` may be a->server itself */
	a->server = copy;
	if (a->kh_path != NULL &&
	    (found = hr_known_hosts_lookup(a->kh_path, a->server, pk, err)) < 0)
		return -1;
	hr_client_set_server_key(a->client, found ? pk : NULL);
	if (hr_client_connect(a->client, a->server, err) != 0)
		return -1;
	a->conn_deadline = app_now_ms() + APP_CONNECT_TIMEOUT_MS;
	return 0;
}

/* ---- session ---- */

void
app_session_free(struct session *s)
{
	free(s->user);
	free(s->full_name);
	free(s->role_name);
	free(s->territory);
	free(s->scope);
	memset(s, 0, sizeof *s);
	s->role = -1;
}

static void
app_session_read(struct session *s, const msgpack_object *r)
{
	app_session_free(s);
	s->user = mp_strdup(mp_get(r, "user"));
	s->full_name = mp_strdup(mp_get(r, "full_name"));
	s->role_name = mp_strdup(mp_get(r, "role"));
	s->territory = mp_strdup(mp_get(r, "territory"));
	s->scope = mp_strdup(mp_get(r, "scope"));
	s->user_id = mp_int(mp_get(r, "user_id"), 0);
	s->role = s->role_name ? hr_role_from_name(s->role_name) : -1;
}

void
app_session_start(struct app *a, const msgpack_object *result)
{
	app_session_read(&a->sess, result);
	case_cache_clear(a);            /* another session's cases */
	refdata_open(a->server, a->sess.user);
	refdata_set_role(a->sess.role_name);
	refdata_take_login(a, result);  /* what changed came with it */
	a->logged_in = 1;
	a->resuming = 0;
	a->backoff_ms = APP_BACKOFF_MIN_MS;
	a->ping_at = app_now_ms() + APP_PING_IDLE_MS;
	uploads_login(a->uploads, a, a->sess.user ? a->sess.user : "",
	    a->server);
	downloads_login(a->downloads, a);
	app_home(a);
}

/* Back to the login screen with `msg` (the session is over). */
static void
app_logout_local(struct app *a, const char *msg)
{
	a->logged_in = 0;
	a->resuming = 0;
	a->retry_at = a->ping_at = a->ping_deadline = a->conn_deadline = 0;
	uploads_logout(a->uploads);
	downloads_logout(a->downloads);
	app_session_free(&a->sess);
	journal_memo_forget_rows();
	case_cache_clear(a);
	hr_client_close(a->client);
	app_set_screen(a, a->nav->login(a, msg));
}

/* ---- reconnect and resume ---- */

static void
app_schedule_retry(struct app *a)
{
	a->retry_at = app_now_ms() + a->backoff_ms;
	a->backoff_ms *= 2;
	if (a->backoff_ms > APP_BACKOFF_MAX_MS)
		a->backoff_ms = APP_BACKOFF_MAX_MS;
}

static void
app_resume_reply(void *ud, const struct hr_msg *reply, const struct hr_error *err)
{
	struct app *a = ud;

	if (reply == NULL || a->closing)
		return;                 /* the link failed: app_on_link_error retries */
	a->resuming = 0;
	if (err->code == HR_E_TICKET || err->code == HR_E_AUTH_NEEDED ||
	    err->code == HR_E_CREDENTIALS || err->code == HR_E_FORBIDDEN) {
		app_logout_local(a, _("The session has ended; please log in again"));
		return;
	}
	if (err->code != HR_OK) {
		hr_client_close(a->client);
		app_schedule_retry(a);
		app_status(a, "%s", app_error(err));
		return;
	}
	app_session_read(&a->sess, &reply->result);
	a->backoff_ms = APP_BACKOFF_MIN_MS;
	a->ping_at = app_now_ms() + APP_PING_IDLE_MS;
	if (a->screen != NULL && a->screen->ops->event != NULL)
		a->screen->ops->event(a->screen, a, APP_EV_RESUMED, NULL);
	app_status(a, "%s", _("Connection restored"));
}

static void
app_reconnect(struct app *a)
{
	struct hr_error err;
	msgpack_packer *pk;

	a->retry_at = 0;
	if (hr_client_ticket(a->client) == NULL) {
		app_logout_local(a, _("The session has ended; please log in again"));
		return;
	}
	if (app_connect(a, a->server, &err) != 0) {
		app_on_link_error(a, &err);
		return;
	}
	/* The key pinned now may not be the one the ticket came under (a
	 * key accepted since): then the ticket is not used (client.h). */
	if (hr_client_resume_fields(a->client) == 0) {
		app_logout_local(a, _("The session has ended; please log in again"));
		return;
	}
	/* The ticket's id and binder, and a session a terminal proved
	 * resumes only with its proof again. */
	pk = hr_client_begin(a->client, HR_M_RESUME);
	msgpack_pack_map(pk, hr_client_resume_fields(a->client) +
	    app_terminal_fields(a));
	(void)hr_client_pack_resume(a->client, pk);
	app_pack_terminal(a, pk);
	a->resuming = hr_client_send(a->client, app_resume_reply, a) != 0;
	app_status(a, "%s", _("Reconnecting to the server..."));
}

/* ---- server keys ---- */

/*
 * First contact only: a person who compared the fingerprint trusts the
 * key.  A changed key never comes here (app_refuse_changed_key).
 */
static void
app_key_answer(struct app *a, void *ud, int yes)
{
	struct hr_error err;
	int rc;

	if (!yes) {
		hr_errorf(&err, HR_E_KEY_UNKNOWN, "link.key_refused",
		    "server key not trusted");
		if (a->logged_in)
			app_logout_local(a, app_error_text(err.code));
		else if (a->screen != NULL && a->screen->ops->event != NULL)
			a->screen->ops->event(a->screen, a, APP_EV_KEY_REFUSED, &err);
		return;
	}
	rc = a->kh_path == NULL ? 0 :
	    hr_known_hosts_add(a->kh_path, a->server, a->offered_pk, &err);
	if (rc != 0)
		app_message(a, _("Error"), app_error(&err));
	hr_client_set_server_key(a->client, a->offered_pk);
	if (a->logged_in)
		app_reconnect(a);
	else if (a->screen != NULL && a->screen->ops->event != NULL)
		a->screen->ops->event(a->screen, a, APP_EV_KEY_TRUSTED, NULL);
}

static void
app_ask_unknown_key(struct app *a, const char *fp)
{
	char text[1024];

	snprintf(text, sizeof text, _("This is the first connection to %s.\n"
	    "The server's key fingerprint is:\n\n%s\n\n"
	    "Compare it with the fingerprint your administrator gave you.\n"
	    "Trust this server?"), a->server, fp);
	app_ask(a, _("Unknown server"), text, 0, 0, app_key_answer, NULL);
}

/* The warning about a changed key is closed: the connection is over. */
static void
app_key_refused(struct app *a, void *ud, int yes)
{
	struct hr_error err;

	(void)ud;
	(void)yes;
	hr_errorf(&err, HR_E_KEY_CHANGED, "link.key_changed", "the server key "
	    "has changed");
	if (a->logged_in)
		app_logout_local(a, app_error_text(err.code));
	else if (a->screen != NULL && a->screen->ops->event != NULL)
		a->screen->ops->event(a->screen, a, APP_EV_KEY_REFUSED, &err);
}

/*
 * A changed key is never accepted from here, whatever the clerk presses
 * (as ssh refuses a changed host key): a man in the middle who resets the
 * link and offers its own key would otherwise get the session at the next
 * password.  A planned rotation reaches the client inside the channel
 * (`server_key`, app_on_notify); anything else is the administrator's to
 * confirm and to clear with `hromada --forget-server`.
 */
static void
app_refuse_changed_key(struct app *a, const char *fp)
{
	char text[1600], old[HR_FINGERPRINT_LEN] = "?";
	uint8_t pk[HR_PUBKEY_LEN];
	struct hr_error err;

	if (a->kh_path != NULL &&
	    hr_known_hosts_lookup(a->kh_path, a->server, pk, &err) == 1)
		hr_key_fingerprint(pk, old);
	snprintf(text, sizeof text, _("WARNING: THE SERVER KEY OF %s HAS CHANGED!\n"
	    "Someone may be intercepting the connection, or the administrator "
	    "has replaced the key.\n\nPinned:  %s\nOffered: %s\n\n"
	    "The connection is refused.  Tell your administrator.  If the key "
	    "was replaced on purpose, the administrator clears the old one on "
	    "this PC (hromada --forget-server %s) and you compare the new "
	    "fingerprint at the next connection."), a->server, old, fp,
	    a->server);
	app_alert(a, _("SERVER KEY CHANGED"), text, app_key_refused, NULL);
}

static void
app_prompt_key(struct app *a, const struct hr_error *err)
{
	const uint8_t *keys;
	char fp[HR_FINGERPRINT_LEN];

	if (hr_client_offered_keys(a->client, &keys) == 0) {
		if (a->screen != NULL && a->screen->ops->event != NULL)
			a->screen->ops->event(a->screen, a, APP_EV_LINK_FAILED, err);
		return;
	}
	memcpy(a->offered_pk, keys, HR_PUBKEY_LEN);
	a->key_changed = (err->code == HR_E_KEY_CHANGED);
	hr_key_fingerprint(a->offered_pk, fp);
	if (a->key_changed)
		app_refuse_changed_key(a, fp);
	else
		app_ask_unknown_key(a, fp);
}

/* ---- link events and timers ---- */

void
app_on_link_error(struct app *a, const struct hr_error *err)
{
	a->conn_deadline = a->ping_deadline = 0;
	a->resuming = 0;
	if (a->closing)
		return;
	if (a->preconnect) {            /* the login will connect and tell */
		a->preconnect = 0;
		return;
	}
	if (err->code == HR_E_KEY_UNKNOWN || err->code == HR_E_KEY_CHANGED) {
		app_prompt_key(a, err);
		return;
	}
	if (a->logged_in && a->retired) {
		/* The server retired the connection (connection_max_age): a
		 * new one at once, with fresh keys, without alarming anyone. */
		a->retired = 0;
		a->retry_at = app_now_ms();
		return;
	}
	if (a->logged_in) {
		app_schedule_retry(a);
		app_status(a, "%s", _("Connection lost; reconnecting..."));
		return;
	}
	if (a->screen != NULL && a->screen->ops->event != NULL)
		a->screen->ops->event(a->screen, a, APP_EV_LINK_FAILED, err);
}

/*
 * The server announced its current key inside this channel, which the key
 * we trust authenticated (a planned rotation): trust the new key from now
 * on.  The ticket follows it (proto/client.h).
 */
static void
app_on_server_key(struct app *a)
{
	uint8_t pk[HR_PUBKEY_LEN], old[HR_PUBKEY_LEN];
	struct hr_error err;
	int found = 0;

	if (!hr_client_announced_key(a->client, pk) || a->kh_path == NULL)
		return;
	if ((found = hr_known_hosts_lookup(a->kh_path, a->server, old,
	    &err)) == 1 && memcmp(old, pk, HR_PUBKEY_LEN) == 0)
		return;                 /* told before */
	if (hr_known_hosts_replace(a->kh_path, a->server, pk, &err) != 0) {
		app_status(a, "%s", app_error(&err));
		return;
	}
	app_status(a, "%s", _("The server's key was renewed; this PC now "
	    "trusts the new one"));
}

void
app_on_notify(void *ud, const struct hr_msg *note)
{
	struct app *a = ud;
	const msgpack_object *again;
	char reason[256];

	if (hr_rpc_method_is(note, HR_N_SERVER_KEY)) {
		app_on_server_key(a);
		return;
	}
	if (hr_rpc_method_is(note, HR_N_PROGRESS)) {
		a->progress_msgid = (uint32_t)mp_int(mp_get(&note->params,
		    "msgid"), 0);
		a->progress_done = mp_int(mp_get(&note->params, "done"), 0);
		a->progress_total = mp_int(mp_get(&note->params, "total"), 0);
		app_notify_data(a);
		return;
	}
	if (!hr_rpc_method_is(note, HR_N_CLOSING))
		return;
	again = mp_get(&note->params, "reconnect");
	if (again != NULL && again->type == MSGPACK_OBJECT_BOOLEAN &&
	    again->via.boolean) {
		a->retired = 1;         /* only this connection ends */
		return;
	}
	mp_text(mp_get(&note->params, "reason"), reason, sizeof reason);
	app_status(a, _("The server is shutting down: %s"), reason);
}

static void
app_ping_reply(void *ud, const struct hr_msg *reply, const struct hr_error *err)
{
	struct app *a = ud;

	if (reply != NULL)
		a->ping_deadline = 0;
}

static void
app_ping(struct app *a, long now)
{
	msgpack_packer *pk = hr_client_begin(a->client, HR_M_PING);

	msgpack_pack_map(pk, 0);
	if (hr_client_send(a->client, app_ping_reply, a) != 0)
		a->ping_deadline = now + APP_PING_TIMEOUT_MS;
	a->ping_at = now + APP_PING_IDLE_MS;
}

/* A deadline passed without an answer: drop the link and handle it. */
static void
app_link_timeout(struct app *a, const char *what)
{
	struct hr_error err;

	hr_errorf(&err, HR_E_TIMEOUT, "link.timeout", "{label}",
	    HR_STR("label", what));
	hr_client_close(a->client);
	app_on_link_error(a, &err);
}

void
app_timers(struct app *a)
{
	long now = app_now_ms();
	struct hr_client_stats st;

	hr_client_stats(a->client, &st);
	if (st.bytes_in != a->seen_bytes_in) {      /* traffic: link is alive */
		a->seen_bytes_in = st.bytes_in;
		if (a->ping_at)
			a->ping_at = now + APP_PING_IDLE_MS;
	}
	if (hr_client_state(a->client) == HR_CS_READY)
		a->conn_deadline = 0;
	if (a->conn_deadline && now >= a->conn_deadline)
		app_link_timeout(a, N_("no answer from the server"));
	else if (a->ping_deadline && now >= a->ping_deadline)
		app_link_timeout(a, N_("the server stopped answering"));
	else if (a->logged_in && a->retry_at && now >= a->retry_at)
		app_reconnect(a);
	else if (a->logged_in && app_online(a) && a->ping_at && now >= a->ping_at)
		app_ping(a, now);
	if (a->screen_timer && now >= a->screen_timer) {
		a->screen_timer = 0;
		if (a->screen != NULL && a->screen->serial == a->timer_serial &&
		    a->screen->ops->event != NULL)
			a->screen->ops->event(a->screen, a, APP_EV_TIMER, NULL);
	}
}

long
app_next_timer(const struct app *a)
{
	long now = app_now_ms(), next = -1;
	long t[5] = { a->conn_deadline, a->ping_deadline, a->retry_at,
	    a->logged_in ? a->ping_at : 0, a->screen_timer };

	for (int i = 0; i < 5; i++) {
		if (t[i] == 0)
			continue;
		long d = t[i] > now ? t[i] - now : 0;
		if (next < 0 || d < next)
			next = d;
	}
	return next;
}

const char *
app_link_label(const struct app *a)
{
	switch (hr_client_state(a->client)) {
	case HR_CS_CONNECTING:
	case HR_CS_HANDSHAKE:
		return _("Connecting...");
	case HR_CS_READY:
		return a->resuming ? _("Connecting...") : _("Online");
	default:
		return a->logged_in ? _("Offline, reconnecting...") : _("Not connected");
	}
}

void
app_goodbye(struct app *a)
{
	struct hr_error err;
	msgpack_packer *pk;
	uint32_t id;

	if (!a->logged_in || !app_online(a))
		return;
	pk = hr_client_begin(a->client, HR_M_LOGOUT);
	msgpack_pack_map(pk, 0);
	if ((id = hr_client_send(a->client, NULL, NULL)) != 0)
		hr_client_wait(a->client, id, 500, &err);
}
