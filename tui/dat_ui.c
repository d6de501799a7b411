/*
 * dat_ui.c — export and import of *.DAT files from the journal (dat_ui.h).
 *
 * States: export goes PICK (decision system) -> DIR (where to save; Enter
 * sends after a yes to the confirmation) -> closed; import goes PATH ->
 * closed.  The requests' replies arrive at the journal screen (app_send)
 * and are handled here by functions that need only the reply, so the
 * modal may already be gone; they end with APP_EV_RESUMED to the current
 * screen, which makes the journal reload.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paper/file.h"
#include "proto/dat.h"
#include "proto/method_names.h"
#include "proto/rpc.h"
#include "tui/app.h"
#include "tui/box.h"
#include "tui/dat_ui.h"
#include "tui/field.h"
#include "tui/fkeys.h"
#include "tui/mp.h"
#include "tui/picker.h"
#include "tui/text.h"

#define DAT_UI_PATH_MAX 1024

enum dat_state { DU_PICK, DU_DIR, DU_PATH };

struct dat_ui {
	enum dat_state  state;
	struct picker  *picker;
	struct field    path;
	int             system;      /* index into systems[] */
	long long       checked;
};

/* The decision systems of services (db/reference/services.csv). */
static const struct {
	const char *code, *label;
} systems[] = {
	{ "asopd",   N_("ASOPD: state assistances") },
	{ "edarp",   N_("EDARP: benefits") },
	{ "subsidy", N_("Housing subsidies") },
};
#define NSYSTEMS (sizeof systems / sizeof systems[0])

/* Where the client saves exports; remembered for the session. */
static char last_dir[DAT_UI_PATH_MAX] = "~/hromada-dat/";

static struct dat_ui *
dat_ui_new(enum dat_state st)
{
	struct dat_ui *u = calloc(1, sizeof *u);

	if (u == NULL)
		return NULL;
	u->state = st;
	if (field_init(&u->path, DAT_UI_PATH_MAX - 1, 0) < 0) {
		free(u);
		return NULL;
	}
	return u;
}

struct dat_ui *
dat_ui_export(struct app *a, long long checked)
{
	const char *items[NSYSTEMS];
	struct dat_ui *u = dat_ui_new(DU_PICK);

	(void)a;
	if (u == NULL)
		return NULL;
	for (size_t i = 0; i < NSYSTEMS; i++)
		items[i] = _(systems[i].label);
	u->checked = checked;
	u->picker = picker_new(_("Export to which decision system?"), items,
	    NSYSTEMS, 0);
	if (u->picker == NULL) {
		dat_ui_free(u);
		return NULL;
	}
	return u;
}

struct dat_ui *
dat_ui_import(struct app *a)
{
	struct dat_ui *u = dat_ui_new(DU_PATH);

	(void)a;
	if (u != NULL)
		field_set(&u->path, last_dir);
	return u;
}

void
dat_ui_free(struct dat_ui *u)
{
	if (u == NULL)
		return;
	picker_free(u->picker);
	field_free(&u->path);
	free(u);
}

/* ---- saving and reading files ---------------------------------------- */

int
dat_ui_save(const char *dir, const char *name, const void *data, size_t len,
    char *path, size_t cap, struct hr_error *err)
{
	char d[DAT_UI_PATH_MAX];
	ssize_t w;
	int fd;

	if (paper_expand_home(dir, d, sizeof d) < 0 || strchr(name, '/') != NULL ||
	    snprintf(path, cap, "%s%s%s", d, d[0] && d[strlen(d) - 1] == '/' ?
	    "" : "/", name) >= (int)cap)
		return hr_errorf(err, HR_E_IO, "file.path_long",
		    "{file}: the path is too long", HR_STR("file", dir));
	if (mkdir(d, 0700) < 0 && errno != EEXIST)
		return paper_file_error(err, d, errno);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0)
		return paper_file_error(err, path, errno);
	w = write(fd, data, len);
	if (w != (ssize_t)len || fsync(fd) < 0) {
		if (w >= 0 && w != (ssize_t)len)
			hr_errorf(err, HR_E_IO, "file.short_write",
			    "{file}: the disk took only part of the file",
			    HR_STR("file", path));
		else
			paper_file_error(err, path, errno);
		close(fd);
		unlink(path);
		return -1;
	}
	if (close(fd) < 0)
		return paper_file_error(err, path, errno);
	return 0;
}

/* The whole file, at most HR_DAT_FILE_MAX bytes; caller frees. */
static void *
read_file(const char *path, size_t *len, struct hr_error *err)
{
	char p[DAT_UI_PATH_MAX];
	struct stat st;
	FILE *f;
	char *buf;
	int rerr;

	if (paper_expand_home(path, p, sizeof p) < 0) {
		hr_errorf(err, HR_E_IO, "file.path_long",
		    "{file}: the path is too long", HR_STR("file", path));
		return NULL;
	}
	/* A folder opens for reading on Linux and reads as nothing. */
	if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
		paper_file_error(err, path, EISDIR);
		return NULL;
	}
	if ((f = fopen(p, "rb")) == NULL) {
		paper_file_error(err, path, errno);
		return NULL;
	}
	if ((buf = malloc(HR_DAT_FILE_MAX + 1)) == NULL) {
		fclose(f);
		hr_error_set(err, HR_E_IO, "out of memory");
		return NULL;
	}
	*len = fread(buf, 1, HR_DAT_FILE_MAX + 1, f);
	rerr = ferror(f) ? errno : 0;
	fclose(f);
	if (rerr != 0) {
		free(buf);
		paper_file_error(err, path, rerr);
		return NULL;
	}
	if (*len > HR_DAT_FILE_MAX) {
		free(buf);
		hr_errorf(err, HR_E_IO, "file.too_big",
		    "{file} has more than {max} bytes: it is not an answer file",
		    HR_STR("file", path), HR_INT("max", HR_DAT_FILE_MAX));
		return NULL;
	}
	if (*len == 0) {
		free(buf);
		hr_errorf(err, HR_E_IO, "file.empty", "{file} is empty",
		    HR_STR("file", path));
		return NULL;
	}
	return buf;
}

/* ---- replies ---------------------------------------------------------- */

static void
show_error(struct app *a, const char *title, const struct hr_error *err)
{
	app_message(a, title, app_error(err));
}

static void
export_reply(struct app *a, struct screen *s, const struct hr_msg *reply,
    const struct hr_error *err)
{
	const msgpack_object *r = &reply->result, *data = mp_get(r, "data");
	char name[HR_DAT_NAME_MAX], path[DAT_UI_PATH_MAX + 128], text[1600];
	struct hr_error e;

	app_status(a, NULL);
	if (err->code != HR_OK) {
		show_error(a, _("Export"), err);
		return;
	}
	mp_text(mp_get(r, "name"), name, sizeof name);
	if (data == NULL || data->type != MSGPACK_OBJECT_BIN ||
	    dat_ui_save(last_dir, name, data->via.bin.ptr, data->via.bin.size,
	    path, sizeof path, &e) < 0)
		snprintf(text, sizeof text, _("Exchange file No. %lld (%s) was "
		    "made, %lld applications are exported, but it could not be "
		    "saved:\n%s\n\nIt is kept on the server."), (long long)
		    mp_int(mp_get(r, "number"), 0), name, (long long)mp_int(
		    mp_get(r, "count"), 0), app_error(&e));
	else
		snprintf(text, sizeof text, _("Exchange file No. %lld saved:\n"
		    "%s\n\n%lld applications exported; %lld checked ones wait "
		    "for the next file."), (long long)mp_int(mp_get(r,
		    "number"), 0), path, (long long)mp_int(mp_get(r, "count"),
		    0), (long long)mp_int(mp_get(r, "remaining"), 0));
	app_message(a, _("Export"), text);
	s->ops->event(s, a, APP_EV_RESUMED, NULL);
}

static void
import_reply(struct app *a, struct screen *s, const struct hr_msg *reply,
    const struct hr_error *err)
{
	char text[256];

	app_status(a, NULL);
	if (err->code != HR_OK) {
		show_error(a, _("Import of an answer"), err);
		return;
	}
	snprintf(text, sizeof text, _("%lld decisions imported: the "
	    "applications are answered."), (long long)mp_int(mp_get(
	    &reply->result, "imported"), 0));
	app_message(a, _("Import of an answer"), text);
	s->ops->event(s, a, APP_EV_RESUMED, NULL);
}

/* ---- sending ---------------------------------------------------------- */

static void
export_send(struct app *a, void *ud, int yes)
{
	const char *code = ud;
	msgpack_packer *pk;

	if (!yes)
		return;
	pk = app_begin(a, HR_M_DAT_EXPORT);
	msgpack_pack_map(pk, 1);
	hr_pack_kv_str(pk, "system", code);
	if (app_send(a, export_reply) == 0)
		app_status(a, "%s", _("Exporting..."));
}

static void
export_confirm(struct dat_ui *u, struct app *a)
{
	char *dir = field_text(&u->path), text[1400];

	if (dir != NULL && dir[0] != '\0')
		snprintf(last_dir, sizeof last_dir, "%s", dir);
	free(dir);
	snprintf(text, sizeof text, _("Export every checked application of "
	    "%s into a new numbered exchange file?\n(Checked in the journal, "
	    "all systems: %lld.)\nThe file is saved into %s"),
	    _(systems[u->system].label), u->checked, last_dir);
	app_ask(a, _("Export"), text, 0, 1, export_send,
	    (void *)systems[u->system].code);
}

static void
import_send(struct dat_ui *u, struct app *a)
{
	char *path = field_text(&u->path);
	const char *base;
	struct hr_dat d;
	struct hr_error e;
	msgpack_packer *pk;
	size_t len = 0;
	void *data;

	if (path == NULL)
		return;
	base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	if ((data = read_file(path, &len, &e)) == NULL ||
	    hr_dat_parse(data, len, &d, &e) < 0) {
		show_error(a, _("Import of an answer"), &e);
	} else {
		hr_dat_free(&d);
		pk = app_begin(a, HR_M_DAT_IMPORT);
		msgpack_pack_map(pk, 2);
		hr_pack_kv_str(pk, "name", base);
		hr_pack_str(pk, "data");
		msgpack_pack_bin(pk, len);
		msgpack_pack_bin_body(pk, data, len);
		if (app_send(a, import_reply) == 0)
			app_status(a, "%s", _("Importing..."));
	}
	free(data);
	free(path);
}

/* ---- keys and drawing -------------------------------------------------- */

static int
is_cancel(const struct key *k)
{
	return (!k->is_key && k->ch == 27) || fkeys_number(k) == 10;
}

int
dat_ui_key(struct dat_ui *u, struct app *a, const struct key *k)
{
	int r;

	if (u->state == DU_PICK) {
		if ((r = picker_key(u->picker, k)) == PICKER_OPEN)
			return 1;
		if (r == PICKER_CANCEL)
			return 0;
		u->system = r;
		u->state = DU_DIR;
		field_set(&u->path, last_dir);
		return 1;
	}
	if (is_cancel(k))
		return 0;
	if (!key_is_enter(k)) {
		field_key(&u->path, k);
		return 1;
	}
	if (u->state == DU_DIR)
		export_confirm(u, a);
	else
		import_send(u, a);
	return 0;
}

void
dat_ui_draw(struct dat_ui *u, WINDOW *w, int *cy, int *cx)
{
	int y, x, h = 6, width = 64;
	const char *title = u->state == DU_PATH ? _("Import of an answer") :
	    _("Export");
	const char *prompt = u->state == DU_PATH ? _("Path of the answer "
	    "file (*.DAT):") : _("Save the file into the directory:");

	*cy = *cx = -1;
	if (u->state == DU_PICK) {
		picker_draw(u->picker, w, cy, cx);
		return;
	}
	box_center(w, &y, &x, &h, &width);
	box_draw(w, y, x, h, width, title, A_NORMAL);
	text_put(w, y + 1, x + 2, prompt, width - 4, A_NORMAL, 0);
	*cx = field_draw(&u->path, w, y + 2, x + 2, width - 4, 1);
	*cy = y + 2;
	text_put(w, y + 4, x + 2, _("Enter: go on   Esc: cancel"), width - 4,
	    A_DIM, 0);
}
