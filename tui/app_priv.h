/*
 * app_priv.h — the app's state, shared by app.c (loop, input, drawing) and
 * app_link.c (connection, session, reconnect, server keys).  Not for screens.
 */
#ifndef TUI_APP_PRIV_H
#define TUI_APP_PRIV_H

#include "proto/handshake.h"
#include "tui/app.h"
#include "tui/dialog.h"
#include "tui/keys.h"

#define APP_CONNECT_TIMEOUT_MS 10000
#define APP_PING_IDLE_MS       30000
#define APP_PING_TIMEOUT_MS    15000
#define APP_BACKOFF_MIN_MS     1000
#define APP_BACKOFF_MAX_MS     30000

struct app {
	const struct app_nav *nav;        /* where to go (main's tui/nav.c) */
	struct hr_client *client;
	struct linktrace *trace;          /* HROMADA_TRACE (linktrace.h) */
	struct uploads   *uploads;        /* scans on their way (uploads.h) */
	struct downloads *downloads;      /* scans being saved (downloads.h) */
	char             *server;         /* address typed last */
	char             *default_user;
	char             *kh_path;        /* known_hosts, NULL when unknown */

	struct session    sess;
	int               logged_in;
	int               resuming;       /* resume sent, no answer yet */
	uint32_t          progress_msgid; /* the last `progress` notification */
	int64_t           progress_done, progress_total;
	int               retired;        /* the server asked us to reconnect
	                                     (`closing` {reconnect: true}) */

	struct screen    *screen;
	struct screen    *next_screen;    /* installed after the current key */
	unsigned          serial;

	struct dialog    *dialog;
	app_answer_fn    *dlg_fn;
	void             *dlg_ud;
	int               help;           /* F1 overlay shown */

	char              status[512];
	char              notice[512];    /* app_notice: kept past a screen change */
	int               cur_y, cur_x;   /* cursor wanted; -1 none */
	int               quit, closing;

	long              retry_at;       /* ms; 0 = no reconnect scheduled */
	int               backoff_ms;
	long              conn_deadline;  /* ms; 0 = none */
	long              ping_at;        /* ms; 0 = none */
	long              ping_deadline;  /* ms; 0 = no ping outstanding */
	uint64_t          seen_bytes_in;
	long              screen_timer;   /* ms; 0 = none (app_timer) */
	unsigned          timer_serial;   /* the screen that asked for it */

	uint8_t           offered_pk[HR_PUBKEY_LEN];
	int               key_changed;    /* the prompt is about a changed key */

	struct keys_reader keys;          /* Esc-digit folding (tui/keys.h) */

	int               fg_pending;     /* app_send requests unanswered */
	int               preconnect;     /* the link is app_preconnect's: its
	                                     failures are nobody's business */
};

/* app_link.c */
void app_on_link_error(struct app *a, const struct hr_error *err);
void app_on_notify(void *ud, const struct hr_msg *note);
void app_timers(struct app *a);
long app_next_timer(const struct app *a);     /* ms from now; -1 none */
void app_goodbye(struct app *a);              /* logout before quitting */
void app_session_free(struct session *s);
const char *app_link_label(const struct app *a);

#endif
