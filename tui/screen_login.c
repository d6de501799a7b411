/*
 * screen_login.c — server address, user name and hidden password.
 *
 * The connection starts as the screen shows, when the server's key is
 * pinned, so the handshake is done while the password is typed.  Enter
 * submits: the app connects if it has not (with the pinned key, or asks
 * the user about an unknown one and then tells us to try again) and we
 * send `login` with the etags of the reference data cached on disk (its
 * reply brings back only what changed), followed in the same round trip
 * by the journal's first page.
 * Errors are shown in Ukrainian from their code: wrong credentials,
 * throttled, server unreachable, key refused.  The password is wiped from
 * memory once the server has answered it.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "proto/method_names.h"
#include "tui/field.h"
#include "tui/refdata.h"
#include "tui/screens.h"
#include "tui/text.h"

enum { F_SERVER, F_USER, F_PASSWORD, F__COUNT };

struct login {
	struct screen base;
	struct field  f[F__COUNT];
	int           focus;
	int           busy;          /* login sent, waiting */
	char          msg[512];
};

static const char *const login_labels[F__COUNT] = {
	N_("Server:"), N_("User:"), N_("Password:"),
};

static const struct fkey login_fkeys[] = {
	{ 1, N_("Help") }, { 10, N_("Quit") },
};

static void
login_set_msg(struct login *l, const char *msg)
{
	snprintf(l->msg, sizeof l->msg, "%s", msg ? msg : "");
}

static void
login_reply(struct app *a, struct screen *s, const struct hr_msg *reply,
    const struct hr_error *err)
{
	struct login *l = (struct login *)s;

	if (reply == NULL)
		return;         /* link failure: the app sends us LINK_FAILED */
	l->busy = 0;
	field_clear(&l->f[F_PASSWORD]);
	if (err->code != HR_OK) {
		login_set_msg(l, app_error(err));
		l->focus = err->code == HR_E_CREDENTIALS ? F_PASSWORD : l->focus;
		return;
	}
	app_session_start(a, &reply->result);
}

/*
 * Pack {user, password, client[, terminal, terminal_proof]} and send; the
 * password copy is wiped.
 */
static int
login_send(struct login *l, struct app *a, const char *user, const char *pw)
{
	msgpack_packer *pk = app_begin(a, HR_M_LOGIN);

	/* The cached reference data ride on the login (their etags); the
	 * first page goes in the same round trip. */
	refdata_open(app_server(a), user);
	msgpack_pack_map(pk, 3 + REFDATA_LOGIN_FIELDS + app_terminal_fields(a));
	hr_pack_kv_str(pk, "user", user);
	hr_pack_kv_str(pk, "password", pw);
	hr_pack_kv_str(pk, "client", PACKAGE "/" VERSION);
	refdata_pack_login(pk);
	app_pack_terminal(a, pk);
	if (app_send(a, login_reply) != 0)
		return -1;
	journal_prefetch_first(a, user);
	return 0;
}

static void
login_submit(struct login *l, struct app *a)
{
	char *server = field_text(&l->f[F_SERVER]);
	char *user = field_text(&l->f[F_USER]);
	char *pw = field_text(&l->f[F_PASSWORD]);
	struct hr_error err;

	if (server == NULL || user == NULL || pw == NULL)
		login_set_msg(l, app_error_text(HR_E_IO));
	else if (server[0] == '\0' || user[0] == '\0' || pw[0] == '\0')
		login_set_msg(l, _("Enter the server, user name and password"));
	else if (!app_link_to(a, server) && app_connect(a, server, &err) != 0)
		login_set_msg(l, err.code == HR_E_USAGE ? _("Invalid server address; "
		    "expected HOST:PORT") : _("The server is unreachable"));
	else if (login_send(l, a, user, pw) == 0) {
		l->busy = 1;
		login_set_msg(l, _("Connecting..."));
	}
	if (pw != NULL)
		sodium_memzero(pw, strlen(pw));
	free(server);
	free(user);
	free(pw);
}

static void
login_link_failed(struct login *l, const struct hr_error *err)
{
	if (!l->busy)
		return;         /* the early connection (app_preconnect) failed */
	l->busy = 0;
	switch (err->code) {
	case HR_E_CRYPTO:
	case HR_E_VERSION:
	case HR_E_PROTOCOL:
		login_set_msg(l, app_error_text(err->code));
		break;
	default:
		login_set_msg(l, _("The server is unreachable"));
	}
}

static void
login_event(struct screen *s, struct app *a, enum app_event ev,
    const struct hr_error *err)
{
	struct login *l = (struct login *)s;

	switch (ev) {
	case APP_EV_SHOWN:
		(void)app_preconnect(a, app_server(a));
		break;
	case APP_EV_LINK_FAILED:
		login_link_failed(l, err);
		break;
	case APP_EV_KEY_TRUSTED:
		login_submit(l, a);
		break;
	case APP_EV_KEY_REFUSED:
		l->busy = 0;
		login_set_msg(l, err->code == HR_E_KEY_CHANGED ?
		    _("The server key has changed; login refused") :
		    _("The server key was not trusted; login cancelled"));
		break;
	default:
		break;
	}
}

static int
login_key(struct screen *s, struct app *a, const struct key *k)
{
	struct login *l = (struct login *)s;
	int ch = (int)k->ch;

	if (l->busy)
		return 1;       /* wait for the answer (F10 still quits) */
	if ((!k->is_key && (ch == '\r' || ch == '\n')) || (k->is_key && ch == KEY_ENTER)) {
		if (l->focus < F_PASSWORD && l->f[l->focus + 1].len == 0)
			l->focus++;
		else
			login_submit(l, a);
		return 1;
	}
	if ((!k->is_key && ch == '\t') || (k->is_key && ch == KEY_DOWN)) {
		l->focus = (l->focus + 1) % F__COUNT;
		return 1;
	}
	if (k->is_key && (ch == KEY_BTAB || ch == KEY_UP)) {
		l->focus = (l->focus + F__COUNT - 1) % F__COUNT;
		return 1;
	}
	if (!k->is_key && ch == 27) {
		field_clear(&l->f[F_PASSWORD]);
		login_set_msg(l, NULL);
		return 1;
	}
	return field_key(&l->f[l->focus], k);
}

static void
login_draw(struct screen *s, struct app *a, WINDOW *w, int y, int h, int width)
{
	struct login *l = (struct login *)s;
	int bw = width < 64 ? width - 2 : 64, x = (width - bw) / 2;
	int lw = 14, top = y + (h > 12 ? (h - 10) / 2 : 0);

	text_center(w, top, 0, width, _("Hromada: sign in"), A_BOLD);
	for (int i = 0; i < F__COUNT; i++) {
		int fy = top + 2 + i * 2;
		int cx;
		text_put(w, fy, x, _(login_labels[i]), lw, A_NORMAL, 1);
		cx = field_draw(&l->f[i], w, fy, x + lw, bw - lw, i == l->focus);
		if (i == l->focus && !l->busy)
			app_cursor(a, fy, cx);
	}
	text_center(w, top + 9, 0, width, l->msg, A_BOLD);
	text_center(w, top + 11 < y + h ? top + 11 : y + h - 1, 0, width,
	    _("Enter: sign in   Tab: next field   F10: quit"), A_NORMAL);
}

static void
login_free(struct screen *s)
{
	struct login *l = (struct login *)s;

	for (int i = 0; i < F__COUNT; i++)
		field_free(&l->f[i]);
	free(l);
}

static const struct screen_ops login_ops = {
	.draw = login_draw,
	.key = login_key,
	.event = login_event,
	.free = login_free,
	.fkeys = login_fkeys,
	.nfkeys = sizeof login_fkeys / sizeof login_fkeys[0],
	.help_topic = HELP_LOGIN,
};

struct screen *
screen_login_new(struct app *a, const char *message)
{
	struct login *l = calloc(1, sizeof *l);
	static const size_t max[F__COUNT] = { 255, 64, 256 };

	if (l == NULL)
		return NULL;
	l->base.ops = &login_ops;
	for (int i = 0; i < F__COUNT; i++)
		if (field_init(&l->f[i], max[i], i == F_PASSWORD) != 0) {
			login_free(&l->base);
			return NULL;
		}
	field_set(&l->f[F_SERVER], app_server(a));
	field_set(&l->f[F_USER], app_default_user(a));
	l->focus = app_default_user(a)[0] ? F_PASSWORD : F_USER;
	login_set_msg(l, message);
	return &l->base;
}
