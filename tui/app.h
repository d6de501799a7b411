/*
 * app.h — the terminal client's main loop and what screens may ask of it.
 *
 * The app owns the connection (proto/client.h), the session (who is logged
 * in), the current screen, an optional modal dialog and the help overlay.
 * Its loop polls stdin and the connection fd together with a timeout taken
 * from its timers (reconnect, keep-alive, connect deadline), so the UI never
 * waits for the network; it draws once per batch of input (one doupdate).
 *
 * When the link drops after login the app reconnects with backoff and sends
 * `resume` with the session ticket: the user never retypes the password.
 */
#ifndef TUI_APP_H
#define TUI_APP_H

#include <stddef.h>
#include <stdint.h>

#include <msgpack.h>

#include "proto/client.h"
#include "proto/error.h"
#include "proto/rpc.h"
#include "tui/fkeys.h"
#include "tui/tui.h"

struct app;
struct screen;

/* Events the app tells the current screen about. */
enum app_event {
	APP_EV_SHOWN,         /* the screen has just become the current one */
	APP_EV_LINK_FAILED,   /* connecting or the link failed (err says why) */
	APP_EV_KEY_TRUSTED,   /* the user pinned the server key: try again */
	APP_EV_KEY_REFUSED,   /* the user refused the key (err says which case) */
	APP_EV_RESUMED,       /* the session is back after a reconnect: refresh */
	APP_EV_TIMER,         /* the time asked for with app_timer has come */
	APP_EV_DATA,          /* data the screen may show arrived in the
	                         background (a prefetch, a revalidation) */
	APP_EV_UPLOADED,      /* a scan was attached or refused (uploads.h):
	                         reload what shows attachments */
};

struct screen_ops {
	/* Draw into rows [y, y + h) of `w`, `width` columns. */
	void (*draw)(struct screen *s, struct app *a, WINDOW *w, int y, int h, int width);
	/* A key the app did not take; 1 when used. */
	int  (*key)(struct screen *s, struct app *a, const struct key *k);
	void (*event)(struct screen *s, struct app *a, enum app_event ev,
	    const struct hr_error *err);
	void (*free)(struct screen *s);
	const struct fkey *fkeys;     /* the bottom bar while this screen is on */
	size_t nfkeys;
	/*
	 * Optional: a quit key (F10, Ctrl-Q, Ctrl-C) while this screen is on.
	 * 1 = the screen took it (e.g. to ask about unsaved changes and then
	 * go back); 0 or no function: the client quits.
	 */
	int  (*quit)(struct screen *s, struct app *a);
	int  help_topic;              /* enum help_topic: what F1 explains */
};

/* What the F1 overlay explains besides the key bar (screen_help.c). */
enum help_topic {
	HELP_GENERAL, HELP_LOGIN, HELP_JOURNAL, HELP_CASE, HELP_FORM,
	HELP_REPORT, HELP_USERS, HELP_REPORTS,
};

/* Every screen struct starts with this. */
struct screen {
	const struct screen_ops *ops;
	unsigned serial;              /* set by the app; replies check it */
};

/* The logged-in user as the login/resume result describes them. */
struct session {
	char   *user, *full_name, *role_name, *territory, *scope;
	int     role;                 /* enum hr_role, -1 when unknown */
	int64_t user_id;
};

/*
 * Where the app goes, handed to it by main (tui/nav.c): the app knows
 * screens only through this table, as screens know the app only through
 * this header, so neither includes the other's constructors.
 */
struct app_cabinet {
	unsigned roles;                          /* HR_ROLE_BIT mask */
	struct screen *(*make)(struct app *a);
};
struct app_nav {
	/* Login; `message` (may be NULL) is shown as the first notice. */
	struct screen *(*login)(struct app *a, const char *message);
	/* What a user lands on after login: the first row whose mask has the
	 * role, else the last row. */
	const struct app_cabinet *cabinets;
	size_t                    ncabinets;
	/* One application: its case view, the intake form (0: a new one). */
	struct screen *(*case_view)(struct app *a, int64_t application_id);
	struct screen *(*form)(struct app *a, int64_t application_id);
	/* «Звітність»: reports and monitoring (NULL: none). */
	struct screen *(*reports)(struct app *a);
	/* The transfer registers (NULL: none). */
	struct screen *(*registers)(struct app *a);
	/* The F1 overlay and its key bar. */
	/* The F1 overlay of screen `ops` for `role` (-1 before login). */
	void (*help_draw)(WINDOW *w, int y, int h, int width,
	    const struct screen_ops *ops, int role);
	const struct fkey        *help_fkeys;
	const size_t             *help_nfkeys;
};

struct app_options {
	const char *server;           /* "host:port" */
	const char *user;             /* pre-filled user name, may be NULL */
	const char *terminal;         /* --terminal-key: terminal name, or NULL */
	const uint8_t *terminal_sk;   /* and its secret key (copied) */
	const struct app_nav *nav;    /* kept, not copied */
};

struct app *app_new(const struct app_options *opt);
void        app_free(struct app *a);
int         app_run(struct app *a);   /* until the user quits; exit status */

/* ---- for screens ---- */

/* Replace the current screen (takes effect after the current key). */
void app_set_screen(struct app *a, struct screen *s);

/* Go to a screen of the navigation table (app_nav): the user's cabinet,
 * an application's case view, the intake form (0: a new application),
 * reports, the transfer registers. */
void app_home(struct app *a);
void app_open_case(struct app *a, int64_t application_id);
void app_open_form(struct app *a, int64_t application_id);
void app_open_reports(struct app *a);
void app_open_registers(struct app *a);

/* Modal dialogs.  The answer function runs after the dialog has closed. */
typedef void app_answer_fn(struct app *a, void *ud, int yes);
void app_message(struct app *a, const char *title, const char *text);
/* A loud message (a warning nobody may click past: one button); fn, when
 * not NULL, is called once it is closed. */
void app_alert(struct app *a, const char *title, const char *text,
    app_answer_fn *fn, void *ud);
void app_ask(struct app *a, const char *title, const char *text, int loud,
    int default_yes, app_answer_fn *fn, void *ud);
/* A question whose yes loses work ("leave without saving?"): only its
 * letter answers yes; Enter and stray keys answer no (DIALOG_GUARDED). */
void app_ask_guarded(struct app *a, const char *title, const char *text,
    app_answer_fn *fn, void *ud);

/*
 * Say on the status line that something is done, also when the screen
 * changes right after: the line shows it until the next key.  A success
 * is not a modal dialog, so the keys typed next go where they were meant.
 */
void app_notice(struct app *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The message line above the key bar (printf-style; NULL clears). */
void app_status(struct app *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Clear the message line if it still shows `msg` (e.g. "Loading..."). */
void app_status_clear_if(struct app *a, const char *msg);

/*
 * Wake the current screen with APP_EV_TIMER in `ms` milliseconds (e.g. a
 * search that waits until typing stops).  One timer per screen: a new call
 * replaces the previous one; ms < 0 cancels.  A screen change cancels it.
 */
void app_timer(struct app *a, long ms);

/* The monotonic clock in milliseconds. */
long app_now_ms(void);

/* Put the terminal cursor here after drawing (for the focused field). */
void app_cursor(struct app *a, int y, int x);

/* Connect to `server` ("host:port"), using its pinned key if any. */
int  app_connect(struct app *a, const char *server, struct hr_error *err);

/* Is the link to `server` up or on its way? */
int  app_link_to(const struct app *a, const char *server);

/*
 * Connect to `server` ahead of the login when its key is pinned, so the
 * handshake is done while the user types the password; nothing is asked
 * of the user and a failure is silent (the login connects again).  0 when
 * a connection was started.
 */
int  app_preconnect(struct app *a, const char *server);

/*
 * Requests.  The reply goes to `fn` only if the screen that sent it is
 * still the current one (else it is dropped).  app_send returns 0, or -1
 * when the request cannot go now (link down while logged in: the status
 * line says so).
 */
typedef void app_reply_fn(struct app *a, struct screen *s,
    const struct hr_msg *reply, const struct hr_error *err);
msgpack_packer *app_begin(struct app *a, const char *method);
/* Login params of the terminal key (--terminal-key): how many, then pack. */
int  app_terminal_fields(const struct app *a);
void app_pack_terminal(struct app *a, msgpack_packer *pk);
int  app_send(struct app *a, app_reply_fn *fn);

/*
 * Background requests (prefetch, revalidation, reference data): the reply
 * goes to `fn` whatever screen is current, and NULL replies come on a
 * dropped link or when the app closes.  They do not count as the user's
 * own requests (app_busy).  Returns the msgid for app_cancel, or 0 when
 * nothing was sent.
 */
uint32_t app_send_bg(struct app *a, hr_reply_fn *fn, void *ud);
/* Forget a background request: its callback will not run (hr_client_cancel). */
void app_cancel(struct app *a, uint32_t msgid);

/*
 * The user's own requests (app_send) still waiting for their reply.  A
 * prefetch goes out only when this is 0, so it never queues in front of
 * something the user waits for.
 */
int  app_busy(const struct app *a);

/*
 * How far the request `msgid` has got by the server's last `progress`
 * notification (application.batch): 1 with *done of *total, 0 when none
 * came for it.  Each notification wakes the screen with APP_EV_DATA.
 */
int  app_progress(const struct app *a, uint32_t msgid, int64_t *done,
    int64_t *total);

/* Tell the current screen that background data arrived (APP_EV_DATA). */
void app_notify_data(struct app *a);

/* Is the session usable now (connected and, after login, resumed)? */
int  app_online(const struct app *a);

/* Start the session from a login result and open the user's cabinet. */
void app_session_start(struct app *a, const msgpack_object *result);
const struct session *app_session(const struct app *a);

/* Tell the current screen about an event (e.g. APP_EV_UPLOADED). */
void app_notify(struct app *a, enum app_event ev);

/* The scans on their way (tui/uploads.h) and being saved (downloads.h). */
struct uploads *app_uploads(struct app *a);
struct downloads *app_downloads(struct app *a);

/* Translated text of an error code (hr_error_text through gettext). */
const char *app_error_text(int code);

/*
 * An error in the user's language (tui/errmsg.h): a structured error in
 * full, an unstructured one by its code.  The text lives in a buffer of
 * the app's until the next call.
 */
const char *app_error(const struct hr_error *e);

/* Translated label of a role name ("userSta"), or the name itself. */
const char *app_role_label(const char *role_name);

/* Translated status label of a status name ("draft"), or the name. */
const char *app_status_label(const char *status_name);

/* The server address the user typed last (never NULL). */
const char *app_server(const struct app *a);
const char *app_default_user(const struct app *a);

#endif
