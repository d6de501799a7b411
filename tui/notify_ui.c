/*
 * notify_ui.c — "the applicant was told" from the case view (notify_ui.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proto/ident.h"
#include "proto/method_names.h"
#include "proto/rpc.h"
#include "tui/box.h"
#include "tui/field.h"
#include "tui/fkeys.h"
#include "tui/notify_ui.h"
#include "tui/text.h"

#define NOTIFY_COMMENT_MAX 500

/* The ways, as application.notify names them. */
static const struct {
	const char *wire, *label;
} ways[] = {
	{ "in_person", N_("in person") },
	{ "phone",     N_("by phone") },
	{ "sms",       N_("by SMS") },
	{ "letter",    N_("by letter") },
};
#define NWAYS (int)(sizeof ways / sizeof ways[0])

enum { NF_HOW, NF_WHEN, NF_COMMENT, NF__COUNT };

struct notify_ui {
	int64_t      id, version;
	int          how;          /* index into ways */
	int          focus;        /* NF_* */
	struct field when, comment;
	const char  *error;        /* msgid shown under the fields, or NULL */
};

struct notify_ui *
notify_ui_new(int64_t id, int64_t version)
{
	struct notify_ui *u = calloc(1, sizeof *u);
	char now[32];
	time_t t = time(NULL);
	struct tm tm;

	if (u == NULL)
		return NULL;
	if (field_init(&u->when, 16, 0) < 0 ||
	    field_init(&u->comment, NOTIFY_COMMENT_MAX, 0) < 0) {
		notify_ui_free(u);
		return NULL;
	}
	u->id = id;
	u->version = version;
	u->how = 1;                   /* by phone: the usual way */
	if (localtime_r(&t, &tm) != NULL) {
		strftime(now, sizeof now, "%d.%m.%Y %H:%M", &tm);
		field_set(&u->when, now);
	}
	return u;
}

void
notify_ui_free(struct notify_ui *u)
{
	if (u == NULL)
		return;
	field_free(&u->when);
	field_free(&u->comment);
	free(u);
}

int
notify_ui_parse_time(const char *s, int64_t *out)
{
	struct hr_date d;
	int hh = 12, mm = 0, n = 0;
	const char *sp = strchr(s, ' ');
	size_t dl = sp ? (size_t)(sp - s) : strlen(s);

	if (hr_date_parse(s, dl, NULL, &d, NULL) < 0)
		return -1;
	if (sp != NULL && sp[strspn(sp, " ")] != '\0' &&
	    (sscanf(sp, " %d:%d%n", &hh, &mm, &n) != 2 ||
	    sp[n + strspn(sp + n, " ")] != '\0' || hh < 0 || hh > 23 ||
	    mm < 0 || mm > 59))
		return -1;
	*out = hr_date_local(&d, 0, hh, mm);
	return 0;
}

static void
notify_send(struct notify_ui *u, struct app *a, int64_t at,
    app_reply_fn *done)
{
	char *comment = field_text(&u->comment);
	int has = comment != NULL && comment[strspn(comment, " ")] != '\0';
	msgpack_packer *pk = app_begin(a, HR_M_APPLICATION_NOTIFY);

	msgpack_pack_map(pk, 4 + has);
	hr_pack_kv_int(pk, "id", u->id);
	hr_pack_kv_int(pk, "version", u->version);
	hr_pack_kv_str(pk, "how", ways[u->how].wire);
	hr_pack_kv_int(pk, "at", at);
	if (has)
		hr_pack_kv_str(pk, "comment", comment);
	free(comment);
	if (app_send(a, done) == 0)
		app_status(a, "%s", _("Sending..."));
}

/* Enter on the last field, or F2: check the time, send.  1 still open. */
static int
notify_submit(struct notify_ui *u, struct app *a, app_reply_fn *done)
{
	char *when = field_text(&u->when);
	int64_t at;
	int bad = when == NULL || notify_ui_parse_time(when, &at) < 0;

	free(when);
	if (bad) {
		u->error = N_("Write when as DD.MM.YYYY HH:MM");
		u->focus = NF_WHEN;
		return 1;
	}
	if (at > (int64_t)time(NULL) + 60) {
		u->error = N_("The applicant cannot have been told in the future");
		u->focus = NF_WHEN;
		return 1;
	}
	if (!app_online(a)) {
		u->error = N_("No connection to the server; try again when it "
		    "is back");
		return 1;
	}
	notify_send(u, a, at, done);
	return 0;
}

int
notify_ui_key(struct notify_ui *u, struct app *a, const struct key *k,
    app_reply_fn *done)
{
	int n = fkeys_number(k);

	if ((!k->is_key && k->ch == 27) || n == 9)
		return 0;
	if (n == 2 || (key_is_enter(k) && u->focus == NF__COUNT - 1))
		return notify_submit(u, a, done);
	if (key_is_enter(k) || (!k->is_key && k->ch == '\t') ||
	    (k->is_key && k->ch == KEY_DOWN)) {
		u->focus = (u->focus + 1) % NF__COUNT;
		return 1;
	}
	if ((k->is_key && (k->ch == KEY_UP || k->ch == KEY_BTAB))) {
		u->focus = (u->focus + NF__COUNT - 1) % NF__COUNT;
		return 1;
	}
	u->error = NULL;
	if (u->focus == NF_HOW) {
		if (k->is_key && k->ch == KEY_LEFT)
			u->how = (u->how + NWAYS - 1) % NWAYS;
		else if ((k->is_key && k->ch == KEY_RIGHT) ||
		    (!k->is_key && k->ch == ' '))
			u->how = (u->how + 1) % NWAYS;
		return 1;
	}
	field_key(u->focus == NF_WHEN ? &u->when : &u->comment, k);
	return 1;
}

void
notify_ui_draw(struct notify_ui *u, WINDOW *w, int *cy, int *cx)
{
	int y, x, h = 10, wd = 64, lw = 12, fx, c;
	char how[96];

	box_center(w, &y, &x, &h, &wd);
	box_draw(w, y, x, h, wd, _("The applicant was told"), A_NORMAL);
	fx = x + 2 + lw;
	text_put(w, y + 2, x + 2, _("How:"), lw, A_NORMAL, 1);
	snprintf(how, sizeof how, "< %s >", _(ways[u->how].label));
	text_put(w, y + 2, fx, how, wd - lw - 4,
	    u->focus == NF_HOW ? A_REVERSE : A_BOLD, 0);
	text_put(w, y + 3, x + 2, _("When:"), lw, A_NORMAL, 1);
	c = field_draw(&u->when, w, y + 3, fx, 18, u->focus == NF_WHEN);
	if (u->focus == NF_WHEN) {
		*cy = y + 3;
		*cx = c;
	}
	text_put(w, y + 4, x + 2, _("Comment:"), lw, A_NORMAL, 1);
	c = field_draw(&u->comment, w, y + 4, fx, wd - lw - 4,
	    u->focus == NF_COMMENT);
	if (u->focus == NF_COMMENT) {
		*cy = y + 4;
		*cx = c;
	} else if (u->focus == NF_HOW) {
		*cy = -1;
		*cx = -1;
	}
	if (u->error != NULL)
		text_put(w, y + 6, x + 2, _(u->error), wd - 4,
		    A_BOLD | A_REVERSE, 0);
	text_put(w, y + h - 2, x + 2, _("←→ how   Tab: next   F2: record   "
	    "Esc: cancel"), wd - 4, A_DIM, 0);
}
