/*
 * app.c — the client's main loop: input, drawing, screens and dialogs.
 *
 * One iteration: install a pending screen change, draw everything into
 * stdscr and send it with a single doupdate, then poll stdin and the
 * connection together.  Keys are read in a batch (nodelay) so a burst of
 * typing over a slow SSH link costs one redraw.  Link handling (connect,
 * resume, keys, timers) lives in app_link.c.
 *
 * Circle kept on purpose: the app and what a session keeps (refdata,
 * uploads, downloads) call each other; app_link.c says why, the include
 * lines that close it say so (circle:).
 */
#include "config.h"

#include "proto/client.h"
#include "tui/app_priv.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "proto/known_hosts.h"
#include "proto/roles.h"
#include "tui/errmsg.h"
#include "tui/downloads.h"  /* circle: the app owns the scan queues and steps them */
#include "tui/keys.h"
#include "tui/linktrace.h"
#include "tui/statusbar.h"
#include "tui/text.h"
#include "tui/uploads.h"    /* circle: as downloads.h */

#define APP_ESCDELAY_DEFAULT 250

struct app_req {
	struct app   *a;
	unsigned      serial;
	app_reply_fn *fn;
};

long
app_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

struct app *
app_new(const struct app_options *opt)
{
	struct app *a = calloc(1, sizeof *a);
	struct hr_error err;

	if (a == NULL)
		return NULL;
	a->client = hr_client_new();
	a->server = strdup(opt->server ? opt->server : "");
	a->default_user = strdup(opt->user ? opt->user : "");
	if (a->client != NULL) {
		a->uploads = uploads_new(a->client);
		a->downloads = downloads_new(a->client);
	}
	if (a->client == NULL || a->server == NULL || a->default_user == NULL ||
	    a->uploads == NULL || a->downloads == NULL) {
		app_free(a);
		return NULL;
	}
	a->kh_path = hr_known_hosts_path(&err);
	a->nav = opt->nav;
	a->sess.role = -1;
	a->cur_y = a->cur_x = -1;
	a->backoff_ms = APP_BACKOFF_MIN_MS;
	hr_client_set_notify(a->client, app_on_notify, a);
	if ((a->trace = linktrace_open(getenv("HROMADA_TRACE"))) != NULL)
		hr_client_set_trace(a->client, linktrace_frame, a->trace);
	if (opt->terminal != NULL)
		hr_client_set_terminal(a->client, opt->terminal, opt->terminal_sk);
	return a;
}

void
app_free(struct app *a)
{
	if (a == NULL)
		return;
	a->closing = 1;             /* replies from here on go nowhere */
	hr_client_free(a->client);  /* first: it fails their requests */
	linktrace_close(a->trace);
	uploads_free(a->uploads);
	downloads_free(a->downloads);
	if (a->screen != NULL)
		a->screen->ops->free(a->screen);
	if (a->next_screen != NULL)
		a->next_screen->ops->free(a->next_screen);
	dialog_free(a->dialog);
	app_session_free(&a->sess);
	free(a->server);
	free(a->default_user);
	free(a->kh_path);
	free(a);
}

const char *app_server(const struct app *a) { return a->server; }
struct uploads *app_uploads(struct app *a) { return a->uploads; }
struct downloads *app_downloads(struct app *a) { return a->downloads; }

void
app_notify(struct app *a, enum app_event ev)
{
	if (!a->closing && a->screen != NULL && a->screen->ops->event != NULL)
		a->screen->ops->event(a->screen, a, ev, NULL);
}
const char *app_default_user(const struct app *a) { return a->default_user; }
const struct session *app_session(const struct app *a) { return &a->sess; }

const char *
app_error_text(int code)
{
	return _(hr_error_text(code));
}

const char *
app_error(const struct hr_error *e)
{
	static char buf[1024];

	return errmsg(e, buf, sizeof buf);
}

const char *
app_role_label(const char *role_name)
{
	const struct hr_role_info *ri;

	if (role_name == NULL)
		return "";
	ri = hr_role_info(hr_role_from_name(role_name));
	return ri ? _(ri->label) : role_name;
}

const char *
app_status_label(const char *status_name)
{
	const char *l = hr_status_label(hr_status_from_name(status_name));

	return l ? l : status_name;
}

/* ---- screens, dialogs, status ---- */

void
app_set_screen(struct app *a, struct screen *s)
{
	if (s == NULL)
		return;
	if (a->next_screen != NULL)
		a->next_screen->ops->free(a->next_screen);
	a->next_screen = s;
}

void
app_home(struct app *a)
{
	const struct app_nav *nav = a->nav;
	size_t i;

	for (i = 0; i + 1 < nav->ncabinets; i++)
		if (a->sess.role >= 0 &&
		    (nav->cabinets[i].roles & HR_ROLE_BIT(a->sess.role)))
			break;
	app_set_screen(a, nav->cabinets[i].make(a));
}

void
app_open_case(struct app *a, int64_t application_id)
{
	app_set_screen(a, a->nav->case_view(a, application_id));
}

void
app_open_reports(struct app *a)
{
	if (a->nav->reports != NULL)
		app_set_screen(a, a->nav->reports(a));
}

void
app_open_registers(struct app *a)
{
	if (a->nav->registers != NULL)
		app_set_screen(a, a->nav->registers(a));
}

void
app_open_form(struct app *a, int64_t application_id)
{
	app_set_screen(a, a->nav->form(a, application_id));
}

/* Install a pending screen: the old one goes, the new one is told. */
static void
app_apply_screen(struct app *a)
{
	while (a->next_screen != NULL) {
		struct screen *s = a->next_screen;

		a->next_screen = NULL;
		if (a->screen != NULL)
			a->screen->ops->free(a->screen);
		a->screen = s;
		s->serial = ++a->serial;
		a->status[0] = '\0';
		if (s->ops->event != NULL)
			s->ops->event(s, a, APP_EV_SHOWN, NULL);
	}
}

static void
app_dialog_open(struct app *a, struct dialog *d, app_answer_fn *fn, void *ud)
{
	if (d == NULL)
		return;
	dialog_free(a->dialog);
	a->dialog = d;
	a->dlg_fn = fn;
	a->dlg_ud = ud;
}

void
app_message(struct app *a, const char *title, const char *text)
{
	app_dialog_open(a, dialog_new(DIALOG_MESSAGE, title, text, 0, 1), NULL, NULL);
}

void
app_alert(struct app *a, const char *title, const char *text,
    app_answer_fn *fn, void *ud)
{
	app_dialog_open(a, dialog_new(DIALOG_MESSAGE, title, text, 1, 1), fn,
	    ud);
}

void
app_ask(struct app *a, const char *title, const char *text, int loud,
    int default_yes, app_answer_fn *fn, void *ud)
{
	app_dialog_open(a, dialog_new(DIALOG_YESNO, title, text, loud, default_yes),
	    fn, ud);
}

void
app_ask_guarded(struct app *a, const char *title, const char *text,
    app_answer_fn *fn, void *ud)
{
	app_dialog_open(a, dialog_new(DIALOG_GUARDED, title, text, 1, 0), fn,
	    ud);
}

void
app_notice(struct app *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->notice, sizeof a->notice, fmt, ap);
	va_end(ap);
}

void
app_status(struct app *a, const char *fmt, ...)
{
	va_list ap;

	a->status[0] = '\0';
	if (fmt == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(a->status, sizeof a->status, fmt, ap);
	va_end(ap);
}

void
app_status_clear_if(struct app *a, const char *msg)
{
	if (strcmp(a->status, msg) == 0)
		a->status[0] = '\0';
}

void
app_timer(struct app *a, long ms)
{
	a->screen_timer = ms < 0 ? 0 : app_now_ms() + ms;
	a->timer_serial = a->next_screen != NULL ? a->serial + 1 :
	    a->screen != NULL ? a->screen->serial : 0;
}

void
app_cursor(struct app *a, int y, int x)
{
	a->cur_y = y;
	a->cur_x = x;
}

/* ---- requests ---- */

msgpack_packer *
app_begin(struct app *a, const char *method)
{
	return hr_client_begin(a->client, method);
}

int
app_terminal_fields(const struct app *a)
{
	return hr_client_terminal_fields(a->client);
}

void
app_pack_terminal(struct app *a, msgpack_packer *pk)
{
	hr_client_pack_terminal(a->client, pk);
}

static void
app_req_reply(void *ud, const struct hr_msg *reply, const struct hr_error *err)
{
	struct app_req *r = ud;
	struct app *a = r->a;

	if (a->fg_pending > 0)
		a->fg_pending--;
	if (!a->closing && a->screen != NULL && a->screen->serial == r->serial)
		r->fn(a, a->screen, reply, err);
	free(r);
}

int
app_send(struct app *a, app_reply_fn *fn)
{
	struct app_req *r;

	if (a->logged_in && !app_online(a)) {
		app_status(a, "%s", _("No connection to the server; try again when it is back"));
		return -1;
	}
	if ((r = malloc(sizeof *r)) == NULL)
		return -1;
	r->a = a;
	r->serial = a->screen ? a->screen->serial : 0;
	if (a->next_screen != NULL)       /* sent while a new screen is starting */
		r->serial = a->serial + 1;
	r->fn = fn;
	if (hr_client_send(a->client, app_req_reply, r) == 0) {
		free(r);
		app_status(a, "%s", _("The request could not be sent"));
		return -1;
	}
	a->fg_pending++;
	a->preconnect = 0;              /* the user's request owns the link now */
	return 0;
}

uint32_t
app_send_bg(struct app *a, hr_reply_fn *fn, void *ud)
{
	if (a->closing || (a->logged_in && !app_online(a)))
		return 0;
	return hr_client_send(a->client, fn, ud);
}

void
app_cancel(struct app *a, uint32_t msgid)
{
	if (msgid != 0)
		(void)hr_client_cancel(a->client, msgid);
}

int
app_busy(const struct app *a)
{
	return a->fg_pending;
}

int
app_progress(const struct app *a, uint32_t msgid, int64_t *done,
    int64_t *total)
{
	if (msgid == 0 || a->progress_msgid != msgid)
		return 0;
	*done = a->progress_done;
	*total = a->progress_total;
	return 1;
}

void
app_notify_data(struct app *a)
{
	if (!a->closing && a->screen != NULL && a->screen->ops->event != NULL)
		a->screen->ops->event(a->screen, a, APP_EV_DATA, NULL);
}

int
app_online(const struct app *a)
{
	return hr_client_state(a->client) == HR_CS_READY && !a->resuming;
}

/* ---- drawing ---- */

/*
 * Status line: user, role, territory and the link state.  On a narrow
 * terminal the full name goes first, then role and territory are cut to
 * share what is left, so that all four stay visible.
 */
static void
app_draw_status(struct app *a, int width)
{
	const struct session *s = &a->sess;
	const char *link = app_link_label(a), *role;
	char left[768], r[256], t[256], right[256];
	int room = width - text_width(link) - 4, rest;

	if (!a->logged_in) {
		statusbar_draw(stdscr, 0, width, _("Hromada"), link);
		return;
	}
	if (uploads_active(a->uploads) || downloads_active(a->downloads)) {
		snprintf(right, sizeof right, "%s%s| %s",
		    uploads_active(a->uploads) ? _("sending scans ") : "",
		    downloads_active(a->downloads) ? _("saving scans ") : "",
		    link);
		link = right;
	}
	role = app_role_label(s->role_name);
	snprintf(left, sizeof left, "%s (%s) | %s | %s", s->user ? s->user : "",
	    s->full_name ? s->full_name : "", role, s->territory ? s->territory : "");
	if (text_width(left) > room) {
		rest = room - text_width(s->user ? s->user : "") - 6;
		text_trunc(role, rest / 2, r, sizeof r);
		text_trunc(s->territory ? s->territory : "", rest - text_width(r), t,
		    sizeof t);
		snprintf(left, sizeof left, "%s | %s | %s", s->user ? s->user : "", r, t);
	}
	statusbar_draw(stdscr, 0, width, left, link);
}

static void
app_draw(struct app *a)
{
	int h, w;
	const struct fkey *fk = a->nav->help_fkeys;
	size_t nfk = *a->nav->help_nfkeys;

	getmaxyx(stdscr, h, w);
	erase();
	a->cur_y = a->cur_x = -1;
	if (h < 6 || w < 20) {
		text_put(stdscr, 0, 0, _("The terminal is too small"), w, A_BOLD, 0);
		wnoutrefresh(stdscr);
		doupdate();
		return;
	}
	app_draw_status(a, w);
	if (a->screen != NULL) {
		a->screen->ops->draw(a->screen, a, stdscr, 1, h - 3, w);
		fk = a->screen->ops->fkeys;
		nfk = a->screen->ops->nfkeys;
	}
	/* A notice stays on the line until the next key, whatever the
	 * screen says meanwhile ("Loading..."); with nothing to say, the
	 * scans on their way up or down show their progress there. */
	if (a->notice[0] != '\0')
		text_put(stdscr, h - 2, 0, a->notice, w, A_BOLD, 1);
	else if (a->status[0] == '\0' && uploads_active(a->uploads))
		uploads_draw(a->uploads, stdscr, h - 2, w, app_now_ms());
	else if (a->status[0] == '\0' && downloads_active(a->downloads))
		downloads_draw(a->downloads, stdscr, h - 2, w, app_now_ms());
	else
		text_put(stdscr, h - 2, 0, a->status, w, A_BOLD, 1);
	fkeys_draw(stdscr, h - 1, w, fk, nfk);
	if (a->help)
		a->nav->help_draw(stdscr, 1, h - 3, w, a->screen ?
		    a->screen->ops : NULL, a->logged_in ? a->sess.role : -1);
	if (a->dialog != NULL)
		dialog_draw(a->dialog, stdscr);
	if (a->dialog == NULL && !a->help && a->cur_y >= 0) {
		curs_set(1);
		move(a->cur_y, a->cur_x);
	} else {
		curs_set(0);
	}
	wnoutrefresh(stdscr);
	doupdate();
}

/* ---- keys ---- */

static int
app_is_quit(const struct key *k)
{
	if (k->is_key)
		return k->ch == (wint_t)KEY_F(10);
	return k->ch == CTRL_KEY('q') || k->ch == CTRL_KEY('c');
}

/* The open dialog takes the key; 1 when it closed on an F-key that is
 * now the screen's (dialog.h DIALOG_PASS: answered as Esc, then acted on
 * — unless the answer opened another dialog, which takes the next key). */
static int
app_dialog_key(struct app *a, const struct key *k)
{
	int r = dialog_key(a->dialog, k);
	app_answer_fn *fn = a->dlg_fn;
	void *ud = a->dlg_ud;

	if (r == DIALOG_OPEN)
		return 0;
	dialog_free(a->dialog);
	a->dialog = NULL;
	a->dlg_fn = NULL;
	if (fn != NULL)
		fn(a, ud, r == DIALOG_YES);
	return r == DIALOG_PASS && a->dialog == NULL;
}

static void
app_key(struct app *a, const struct key *k)
{
	a->notice[0] = '\0';
	if (k->is_key && k->ch == KEY_RESIZE)
		return;                         /* the next draw uses the new size */
	if (app_is_quit(k)) {
		if (a->screen != NULL && a->screen->ops->quit != NULL &&
		    a->screen->ops->quit(a->screen, a))
			app_apply_screen(a);
		else
			a->quit = 1;
		return;
	}
	if (!k->is_key && k->ch == CTRL_KEY('l')) {
		clearok(curscr, TRUE);
		return;
	}
	if (a->dialog != NULL && !app_dialog_key(a, k))
		return;
	if (a->help) {
		a->help = 0;                    /* any key closes the help */
		return;
	}
	if (fkeys_number(k) == 1) {
		a->help = 1;
		return;
	}
	if (a->screen != NULL)
		a->screen->ops->key(a->screen, a, k);
	app_apply_screen(a);
}

/* ---- the loop ---- */

static void
app_term_start(void)
{
	const char *e = getenv("HROMADA_ESCDELAY");
	int delay = e ? atoi(e) : APP_ESCDELAY_DEFAULT;

	/* Boxes in Unicode line drawing, not the VT100 alternate character
	 * set: over tmux, screen and PuTTY with TERM=xterm the switch to
	 * that set is often lost and frames come out as "lqqqk". */
	setenv("NCURSES_NO_UTF8_ACS", "1", 0);
	initscr();
	raw();                  /* Ctrl-Q/Ctrl-C reach us as keys */
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(delay > 0 && delay < 10000 ? delay : APP_ESCDELAY_DEFAULT);
	keys_init();
	fkeys_set_esc_prefix(keys_few_fkeys());
	curs_set(0);
}

/* Wait for input or the network, at most until the next timer. */
static void
app_poll(struct app *a)
{
	struct pollfd p[2] = { { .fd = STDIN_FILENO, .events = POLLIN } };
	int cfd = hr_client_fd(a->client), n, online, busy;
	long t = app_next_timer(a), now = app_now_ms();
	struct key k;
	struct hr_error err;

	/* Scans go and come between keystrokes: a bounded step each turn,
	 * and no waiting while a step has local work left. */
	online = a->logged_in && app_online(a);
	busy = uploads_step(a->uploads, online, now);
	busy |= downloads_step(a->downloads, online, now);
	if (busy)
		t = 0;
	else if ((uploads_active(a->uploads) || downloads_active(a->downloads)) &&
	    (t < 0 || t > 1000))
		t = 1000;                   /* the progress line's clock */
	p[1].fd = cfd;
	p[1].events = POLLIN | (hr_client_wants_write(a->client) ? POLLOUT : 0);
	n = poll(p, cfd >= 0 ? 2 : 1, t < 0 ? -1 : (int)t);
	if (n < 0 && errno != EINTR) {
		a->quit = 1;
		return;
	}
	if (n > 0 && cfd >= 0 && p[1].revents != 0 &&
	    hr_client_io(a->client, (p[1].revents & (POLLIN | POLLHUP | POLLERR)) != 0,
	    (p[1].revents & (POLLOUT | POLLERR)) != 0, &err) != 0)
		app_on_link_error(a, &err);
	/* Read keys even after EINTR: that is how KEY_RESIZE arrives. */
	int got = 0;
	while (!a->quit && keys_read(&a->keys, &k)) {
		app_key(a, &k);
		got = 1;
	}
	if (!got && n > 0 && (p[0].revents & (POLLHUP | POLLERR | POLLNVAL)))
		a->quit = 1;            /* the terminal went away */
	app_timers(a);
}

int
app_run(struct app *a)
{
	app_term_start();
	if (a->screen == NULL && a->next_screen == NULL)
		app_set_screen(a, a->nav->login(a, NULL));
	while (!a->quit) {
		app_apply_screen(a);
		app_draw(a);
		app_poll(a);
	}
	app_goodbye(a);
	endwin();
	return 0;
}
