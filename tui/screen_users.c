/*
 * screen_users.c — the administrator's cabinet (user.list): the accounts
 * in the administrator's territory.  Enter shows one account's fields.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/method_names.h"
#include "tui/list.h"
#include "tui/mp.h"
#include "tui/screens.h"
#include "tui/table.h"
#include "tui/text.h"

enum { U_NAME, U_FULL, U_ROLE, U_TERR, U_STATE, U__COUNT };

struct users {
	struct screen   base;
	struct list     list;
	struct table    rows;
	struct list_col cols[U__COUNT];
	int             loaded;
};

static const struct fkey users_fkeys[] = {
	{ 1, N_("Help") }, { 5, N_("Refresh") }, { 10, N_("Quit") },
};

static void
users_add(struct users *u, const msgpack_object *it)
{
	char role[64], *row[U__COUNT];
	int disabled = mp_bool(mp_get(it, "disabled"), 0);
	int login = mp_bool(mp_get(it, "login"), 1);

	row[U_NAME] = mp_strdup(mp_get(it, "name"));
	row[U_FULL] = mp_strdup(mp_get(it, "full_name"));
	row[U_ROLE] = strdup(app_role_label(mp_text(mp_get(it, "role"), role, sizeof role)));
	row[U_TERR] = mp_strdup(mp_get(it, "territory"));
	row[U_STATE] = strdup(disabled ? _("disabled") : !login ?
	    _("no login") : _("active"));
	table_add(&u->rows, row);
}

static void
users_reply(struct app *a, struct screen *s, const struct hr_msg *reply,
    const struct hr_error *err)
{
	struct users *u = (struct users *)s;
	const msgpack_object *items;

	if (reply == NULL)
		return;
	if (err->code != HR_OK) {
		app_status(a, "%s", app_error(err));
		return;
	}
	table_clear(&u->rows);
	items = mp_get(&reply->result, "users");
	for (uint32_t i = 0; items && items->type == MSGPACK_OBJECT_ARRAY &&
	    i < items->via.array.size; i++)
		users_add(u, &items->via.array.ptr[i]);
	u->loaded = 1;
	list_set_rows(&u->list, u->rows.nrows);
	app_status_clear_if(a, _("Loading..."));
}

static void
users_refresh(struct users *u, struct app *a)
{
	msgpack_packer *pk = app_begin(a, HR_M_USER_LIST);

	msgpack_pack_map(pk, 0);
	if (app_send(a, users_reply) == 0)
		app_status(a, "%s", _("Loading..."));
}

static void
users_detail(struct users *u, struct app *a)
{
	char text[1024];
	size_t r = u->list.sel;

	if (r >= u->rows.nrows)
		return;
	snprintf(text, sizeof text, "%s: %s\n%s: %s\n%s: %s\n%s: %s\n%s: %s",
	    _("Login"), table_get(&u->rows, r, U_NAME),
	    _("Full name"), table_get(&u->rows, r, U_FULL),
	    _("Role"), table_get(&u->rows, r, U_ROLE),
	    _("Territory"), table_get(&u->rows, r, U_TERR),
	    _("State"), table_get(&u->rows, r, U_STATE));
	app_message(a, _("User"), text);
}

static int
users_key(struct screen *s, struct app *a, const struct key *k)
{
	struct users *u = (struct users *)s;
	int ch = (int)k->ch;

	if ((k->is_key && ch == KEY_F(5)) || (!k->is_key && ch == CTRL_KEY('r'))) {
		users_refresh(u, a);
		return 1;
	}
	if ((!k->is_key && (ch == '\r' || ch == '\n')) || (k->is_key && ch == KEY_ENTER)) {
		users_detail(u, a);
		return 1;
	}
	return list_key(&u->list, k);
}

static void
users_draw(struct screen *s, struct app *a, WINDOW *w, int y, int h, int width)
{
	struct users *u = (struct users *)s;
	char buf[256];

	snprintf(buf, sizeof buf, "%s (%zu)", _("Users"), u->rows.nrows);
	text_put(w, y, 1, buf, width - 2, A_BOLD, 0);
	if (u->loaded && u->rows.nrows == 0) {
		text_center(w, y + h / 2, 0, width, _("No users"), A_BOLD);
		return;
	}
	list_draw(&u->list, w, y + 2, 0, h - 2, width);
}

static void
users_event(struct screen *s, struct app *a, enum app_event ev,
    const struct hr_error *err)
{
	if (ev == APP_EV_SHOWN || ev == APP_EV_RESUMED)
		users_refresh((struct users *)s, a);
}

static void
users_free(struct screen *s)
{
	struct users *u = (struct users *)s;

	table_free(&u->rows);
	free(u);
}

static const struct screen_ops users_ops = {
	.draw = users_draw,
	.key = users_key,
	.event = users_event,
	.free = users_free,
	.fkeys = users_fkeys,
	.nfkeys = sizeof users_fkeys / sizeof users_fkeys[0],
	.help_topic = HELP_USERS,
};

struct screen *
screen_users_new(struct app *a)
{
	struct users *u = calloc(1, sizeof *u);

	if (u == NULL)
		return NULL;
	u->base.ops = &users_ops;
	u->cols[U_NAME] = (struct list_col){ _("Login"), 12 };
	u->cols[U_FULL] = (struct list_col){ _("Full name"), 0 };
	u->cols[U_ROLE] = (struct list_col){ _("Role"), 0 };
	u->cols[U_TERR] = (struct list_col){ _("Territory"), 0 };
	u->cols[U_STATE] = (struct list_col){ _("State"), 10 };
	table_init(&u->rows, U__COUNT);
	list_init(&u->list, u->cols, U__COUNT, table_cell, &u->rows);
	list_set_find(&u->list, 1u << U_NAME | 1u << U_FULL);
	return &u->base;
}
