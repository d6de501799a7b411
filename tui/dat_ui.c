/*
 * dat_ui.c — export and import of *.DAT files from the journal (dat_ui.h).
 *
 * Export: a dry run of dat.export says how many checked applications go
 * to each decision system and how many of them are partial packages; the
 * system is picked from that list (WAIT -> PICK), the directory asked
 * (DIR), and the confirmation repeats the counts.  A marked set, or the
 * checked applications of the journal's filter (dat_ui_export_ids), is
 * judged by a dry run too; its confirmation lists
 * every system and what is refused, then one export per system follows,
 * files saved one by one.  Import: the keyboard file picker (FILE, *.DAT
 * first), the file checked locally with the server's parser, then a dry
 * run of dat.import (WAIT) whose answer is shown (PREVIEW: decisions by
 * kind, the applications, the records that cannot be applied) before the
 * real import on Enter.
 *
 * Replies arrive at the journal (app_send); a reply for a modal that is
 * still open moves it on (`open_ui`), one that ends it marks it DONE and
 * wakes the journal (APP_EV_DATA), which frees it.  A refusal is titled by
 * its kind (refusal_title), not by its error code.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paper/file.h"
#include "proto/dat.h"
#include "proto/ident.h"
#include "proto/method_names.h"
#include "proto/rpc.h"
#include "tui/app.h"
#include "tui/box.h"
#include "tui/dat_ui.h"
#include "tui/field.h"
#include "tui/filepicker.h"
#include "tui/fkeys.h"
#include "tui/mp.h"
#include "tui/picker.h"
#include "tui/text.h"

#define DAT_UI_PATH_MAX 1024
#define DAT_PURPOSE     "dat"       /* the file picker's remembered folder */
#define DAT_PLAN_MAX    8

enum dat_state { DU_WAIT, DU_PICK, DU_DIR, DU_FILE, DU_PREVIEW, DU_DONE };

struct dat_plan {
	char      system[HR_DAT_SYSTEM_MAX];
	long long count, partial;
};

struct dat_ui {
	enum dat_state     state;
	struct picker     *picker;
	struct filepicker *fp;
	struct field       path;
	struct dat_plan    plan[DAT_PLAN_MAX];
	size_t             nplan;
	int                pick;        /* index into plan[] */
	/* a marked set, or a filter's applications (`filter` its summary) */
	int64_t           *ids, *versions;
	size_t             nids;
	char              *filter;
	long long          refused;
	/* import: the file, and the preview's lines */
	char              *name;
	void              *data;
	size_t             len;
	char             **lines;
	size_t             nlines, top;
	int                can_apply;
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

/* The modal open now (one at a time), for the replies that move it on. */
static struct dat_ui *open_ui;

static const char *
system_label(const char *code)
{
	for (size_t i = 0; i < NSYSTEMS; i++)
		if (strcmp(systems[i].code, code) == 0)
			return _(systems[i].label);
	return code;
}

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
	open_ui = u;
	return u;
}

void
dat_ui_free(struct dat_ui *u)
{
	if (u == NULL)
		return;
	if (open_ui == u)
		open_ui = NULL;
	picker_free(u->picker);
	filepicker_free(u->fp);
	field_free(&u->path);
	free(u->ids);
	free(u->versions);
	free(u->filter);
	free(u->name);
	free(u->data);
	for (size_t i = 0; i < u->nlines; i++)
		free(u->lines[i]);
	free(u->lines);
	free(u);
}

int
dat_ui_finished(const struct dat_ui *u)
{
	return u->state == DU_DONE;
}

/* End the modal from a reply: the journal frees it at the event. */
static void
finish(struct app *a, struct screen *s)
{
	if (open_ui != NULL)
		open_ui->state = DU_DONE;
	s->ops->event(s, a, APP_EV_DATA, NULL);
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

/* ---- titles of refusals ----------------------------------------------- */

/*
 * Each kind of refusal has its own title: the error's id says which (an
 * unknown application is not "not in the current status", a record twice
 * is not either).  A damaged file is any other *.DAT parser error.
 */
static const struct {
	const char *id, *title;
} refusal_titles[] = {
	{ "dat.not_ours",            N_("Application not found") },
	{ "application.not_found",   N_("Application not found") },
	{ "dat.answered_twice",      N_("The same application twice") },
	{ "dat.export_twice",        N_("The same application twice") },
	{ "dat.other_number",        N_("Another registration number") },
	{ "dat.other_system",        N_("Another decision system") },
	{ "dat.export_other_system", N_("Another decision system") },
	{ "dat.not_exported",        N_("The application is not exported") },
	{ "dat.export_not_checked",  N_("The application is not checked") },
	{ "dat.export_changed",      N_("Changed by someone else") },
	{ "dat.answer_imported",     N_("The file was imported before") },
	{ "dat.other_office",        N_("A file of another back office") },
	{ "dat.not_answer",          N_("Not an answer file") },
	{ "dat.unknown_system",      N_("Unknown decision system") },
	{ "dat.nothing_to_export",   N_("Nothing to export") },
};

static const char *
refusal_title(const struct hr_error *e, const char *fallback)
{
	for (size_t i = 0; i < sizeof refusal_titles / sizeof refusal_titles[0];
	    i++)
		if (strcmp(e->id, refusal_titles[i].id) == 0)
			return _(refusal_titles[i].title);
	if (strncmp(e->id, "dat.", 4) == 0 && e->code == HR_E_INVALID)
		return _("Damaged file");
	if (strncmp(e->id, "file.", 5) == 0)
		return _("The file cannot be read");
	return fallback;
}

static void
show_error(struct app *a, const char *fallback, const struct hr_error *err)
{
	app_message(a, refusal_title(err, fallback), app_error(err));
}

/*
 * The modal a dry run's reply moves on; NULL when it is not waiting any
 * more, or when the reply is an error (then shown, titled by its kind,
 * and the modal ended).
 */
static struct dat_ui *
reply_target(struct app *a, struct screen *s, const struct hr_error *err,
    const char *title)
{
	struct dat_ui *u = open_ui;

	app_status(a, NULL);
	if (u == NULL || u->state != DU_WAIT)
		return NULL;
	if (err->code != HR_OK) {
		show_error(a, title, err);
		finish(a, s);
		return NULL;
	}
	return u;
}

/* ---- export ------------------------------------------------------------ */

static void
export_saved(struct app *a, const msgpack_object *r, char *text, size_t cap)
{
	const msgpack_object *data = mp_get(r, "data");
	char name[HR_DAT_NAME_MAX], path[DAT_UI_PATH_MAX + 128];
	size_t used = strlen(text);
	struct hr_error e;

	(void)a;
	mp_text(mp_get(r, "name"), name, sizeof name);
	if (data == NULL || data->type != MSGPACK_OBJECT_BIN ||
	    dat_ui_save(last_dir, name, data->via.bin.ptr, data->via.bin.size,
	    path, sizeof path, &e) < 0)
		snprintf(text + used, cap - used, _("Exchange file No. %lld (%s) "
		    "was made, %lld applications are exported, but it could not "
		    "be saved:\n%s\nIt is kept on the server.\n"), (long long)
		    mp_int(mp_get(r, "number"), 0), name, (long long)mp_int(
		    mp_get(r, "count"), 0), app_error(&e));
	else
		snprintf(text + used, cap - used, _("Exchange file No. %lld "
		    "saved:\n%s\n%lld applications exported.\n"), (long long)
		    mp_int(mp_get(r, "number"), 0), path, (long long)mp_int(
		    mp_get(r, "count"), 0));
}

static void
export_reply(struct app *a, struct screen *s, const struct hr_msg *reply,
    const struct hr_error *err)
{
	char text[1600] = "";
	long long rest;

	app_status(a, NULL);
	if (err->code != HR_OK) {
		show_error(a, _("Export"), err);
		return;
	}
	export_saved(a, &reply->result, text, sizeof text);
	rest = (long long)mp_int(mp_get(&reply->result, "remaining"), 0);
	if (rest > 0)
		snprintf(text + strlen(text), sizeof text - strlen(text),
		    _("%lld checked ones wait for the next file."), rest);
	app_message(a, _("Export"), text);
	s->ops->event(s, a, APP_EV_RESUMED, NULL);
}

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

/* "N applications (of them partial packages: K)" of one system. */
static void
plan_text(const struct dat_plan *p, char *out, size_t cap)
{
	snprintf(out, cap, _("%s: %lld applications, partial packages among "
	    "them: %lld"), system_label(p->system), p->count, p->partial);
}

static void
export_confirm(struct dat_ui *u, struct app *a)
{
	static char code[HR_DAT_SYSTEM_MAX];
	const struct dat_plan *p = &u->plan[u->pick];
	char *dir = field_text(&u->path), text[1400];

	if (dir != NULL && dir[0] != '\0')
		snprintf(last_dir, sizeof last_dir, "%s", dir);
	free(dir);
	snprintf(code, sizeof code, "%s", p->system);
	snprintf(text, sizeof text, _("Export %lld checked applications to "
	    "%s into a new numbered exchange file?\nPartial packages among "
	    "them: %lld.\nThe file is saved into %s"), p->count,
	    system_label(p->system), p->partial, last_dir);
	app_ask(a, _("Export"), text, 0, 1, export_send, code);
}

/* The plan as the modal keeps it; 0 systems: nothing to export. */
static void
plan_read(struct dat_ui *u, const msgpack_object *r)
{
	const msgpack_object *sys = mp_get(r, "systems"),
	    *ref = mp_get(r, "refused");

	u->nplan = 0;
	for (uint32_t i = 0; sys != NULL && sys->type ==
	    MSGPACK_OBJECT_ARRAY && i < sys->via.array.size &&
	    u->nplan < DAT_PLAN_MAX; i++) {
		struct dat_plan *p = &u->plan[u->nplan];

		mp_text(mp_get(&sys->via.array.ptr[i], "system"), p->system,
		    sizeof p->system);
		p->count = mp_int(mp_get(&sys->via.array.ptr[i], "count"), 0);
		p->partial = mp_int(mp_get(&sys->via.array.ptr[i], "partial"),
		    0);
		if (p->count > 0)
			u->nplan++;
	}
	u->refused = ref != NULL && ref->type == MSGPACK_OBJECT_ARRAY ?
	    ref->via.array.size : 0;
}

/* The dry run of the whole back office: the systems to pick from. */
static void
plan_reply(struct app *a, struct screen *s, const struct hr_msg *reply,
    const struct hr_error *err)
{
	struct dat_ui *u = reply_target(a, s, err, _("Export"));
	const char *items[DAT_PLAN_MAX];
	char labels[DAT_PLAN_MAX][256];

	if (u == NULL)
		return;
	plan_read(u, &reply->result);
	if (u->nplan == 0) {
		app_message(a, _("Nothing to export"), _("There are no checked "
		    "applications to export."));
		finish(a, s);
		return;
	}
	for (size_t i = 0; i < u->nplan; i++) {
		plan_text(&u->plan[i], labels[i], sizeof labels[i]);
		items[i] = labels[i];
	}
	u->picker = picker_new(_("Export to which decision system?"), items,
	    u->nplan, 0);
	if (u->picker == NULL) {
		finish(a, s);
		return;
	}
	u->state = DU_PICK;
	s->ops->event(s, a, APP_EV_DATA, NULL);
}

struct dat_ui *
dat_ui_export(struct app *a, long long checked)
{
	struct dat_ui *u;
	msgpack_packer *pk;

	(void)checked;
	if (open_ui != NULL || (u = dat_ui_new(DU_WAIT)) == NULL)
		return NULL;
	pk = app_begin(a, HR_M_DAT_EXPORT);
	msgpack_pack_map(pk, 1);
	hr_pack_kv_bool(pk, "dry_run", 1);
	if (app_send(a, plan_reply) != 0) {
		dat_ui_free(u);
		return NULL;
	}
	app_status(a, "%s", _("Counting the checked applications..."));
	return u;
}

/* ---- export of a marked set or of a filter ------------------------------ */

/*
 * One export per system, each with the whole set (the server refuses the
 * other systems' ids, which are not counted here), again with `left` when
 * a file is full.  The chain outlives the modal.
 */
static struct {
	int64_t  *ids, *versions;
	size_t    nids;
	char      systems[DAT_PLAN_MAX][HR_DAT_SYSTEM_MAX];
	size_t    nsystems, cur;
	long long exported, refused;
	char      title[160];
	char      text[2400];
} chain;

/* The modal's and the messages' title: a marked set's, or a filter's. */
static const char *
set_title(const struct dat_ui *u)
{
	return u->filter != NULL ? _("Export by the filter") :
	    _("Export of the marked applications");
}

static void chain_send(struct app *a);

static void
chain_end(struct app *a, struct screen *s, const struct hr_error *err)
{
	size_t used = strlen(chain.text);

	if (err != NULL)
		snprintf(chain.text + used, sizeof chain.text - used, "%s: %s\n",
		    refusal_title(err, _("Export")), app_error(err));
	used = strlen(chain.text);
	snprintf(chain.text + used, sizeof chain.text - used, _("Exported: "
	    "%lld; not exported: %lld."), chain.exported, chain.refused);
	app_message(a, chain.title, chain.text);
	free(chain.ids);
	free(chain.versions);
	chain.ids = chain.versions = NULL;
	s->ops->event(s, a, APP_EV_RESUMED, NULL);
}

static void
chain_reply(struct app *a, struct screen *s, const struct hr_msg *reply,
    const struct hr_error *err)
{
	const msgpack_object *r = &reply->result, *left, *ref;
	struct hr_error e;

	app_status(a, NULL);
	if (err->code != HR_OK) {
		chain_end(a, s, err);
		return;
	}
	export_saved(a, r, chain.text, sizeof chain.text);
	chain.exported += mp_int(mp_get(r, "count"), 0);
	ref = mp_get(r, "refused");
	for (uint32_t i = 0; ref != NULL && ref->type == MSGPACK_OBJECT_ARRAY &&
	    i < ref->via.array.size; i++) {
		const msgpack_object *p = &ref->via.array.ptr[i];

		if (p->type != MSGPACK_OBJECT_ARRAY || p->via.array.size != 2)
			continue;
		hr_rpc_error_obj_read(&p->via.array.ptr[1], &e);
		if (strcmp(e.id, "dat.export_other_system") == 0 ||
		    chain.cur > 0)
			continue;      /* another system's: its own turn */
		chain.refused++;
	}
	left = mp_get(r, "left");
	if (left != NULL && left->type == MSGPACK_OBJECT_ARRAY &&
	    left->via.array.size > 0) {
		/* the same system again with the ones the file left out */
		size_t n = 0;

		for (uint32_t i = 0; i < left->via.array.size; i++)
			for (size_t k = 0; k < chain.nids; k++)
				if (chain.ids[k] == mp_int(&left->via.array.ptr[i],
				    0)) {
					chain.ids[n] = chain.ids[k];
					chain.versions[n++] = chain.versions[k];
					break;
				}
		chain.nids = n;
	} else if (++chain.cur == chain.nsystems) {
		chain_end(a, s, NULL);
		return;
	}
	chain_send(a);
}

static void
chain_send(struct app *a)
{
	msgpack_packer *pk = app_begin(a, HR_M_DAT_EXPORT);

	msgpack_pack_map(pk, 3);
	hr_pack_kv_str(pk, "system", chain.systems[chain.cur]);
	hr_pack_str(pk, "ids");
	msgpack_pack_array(pk, chain.nids);
	for (size_t i = 0; i < chain.nids; i++)
		msgpack_pack_int64(pk, chain.ids[i]);
	hr_pack_str(pk, "versions");
	msgpack_pack_array(pk, chain.nids);
	for (size_t i = 0; i < chain.nids; i++)
		msgpack_pack_int64(pk, chain.versions[i]);
	if (app_send(a, chain_reply) == 0)
		app_status(a, "%s", _("Exporting..."));
}

static void
chain_start(struct app *a, void *ud, int yes)
{
	struct dat_ui *u = ud;

	(void)u;
	if (!yes) {
		free(chain.ids);
		free(chain.versions);
		chain.ids = chain.versions = NULL;
		return;
	}
	chain_send(a);
}

/* The marked set's confirmation: every system, and what is refused. */
static void
ids_confirm(struct dat_ui *u, struct app *a)
{
	char *dir = field_text(&u->path), line[300];
	size_t used = 0;

	if (dir != NULL && dir[0] != '\0')
		snprintf(last_dir, sizeof last_dir, "%s", dir);
	free(dir);
	free(chain.ids);
	free(chain.versions);
	memset(&chain, 0, sizeof chain);
	chain.ids = u->ids;
	chain.versions = u->versions;
	chain.nids = u->nids;
	u->ids = u->versions = NULL;
	chain.refused = 0;      /* counted from the export's own replies */
	snprintf(chain.title, sizeof chain.title, "%s", set_title(u));
	if (u->filter != NULL)
		used += (size_t)snprintf(chain.text, sizeof chain.text, _("Export "
		    "the checked applications of the filter into new numbered "
		    "exchange files?\nFilter: %s\n"), u->filter);
	else
		used += (size_t)snprintf(chain.text, sizeof chain.text, "%s\n",
		    _("Export the marked applications into new numbered "
		    "exchange files?"));
	for (size_t i = 0; i < u->nplan; i++) {
		snprintf(chain.systems[chain.nsystems++], HR_DAT_SYSTEM_MAX,
		    "%s", u->plan[i].system);
		plan_text(&u->plan[i], line, sizeof line);
		used += (size_t)snprintf(chain.text + used, sizeof chain.text -
		    used, "  %s\n", line);
	}
	if (u->refused > 0)
		used += (size_t)snprintf(chain.text + used, sizeof chain.text -
		    used, _("Not exported (not checked, changed meanwhile or "
		    "not found): %lld\n"), u->refused);
	snprintf(chain.text + used, sizeof chain.text - used,
	    _("The files are saved into %s"), last_dir);
	app_ask(a, chain.title, chain.text, 0, 1, chain_start, NULL);
	chain.text[0] = '\0';
}

static void
ids_plan_reply(struct app *a, struct screen *s, const struct hr_msg *reply,
    const struct hr_error *err)
{
	struct dat_ui *u = reply_target(a, s, err, open_ui != NULL ?
	    set_title(open_ui) : _("Export"));

	if (u == NULL)
		return;
	plan_read(u, &reply->result);
	if (u->nplan == 0) {
		char text[300];

		snprintf(text, sizeof text, u->filter != NULL ? _("None of the "
		    "%zu applications of the filter can be exported: they are "
		    "not checked, changed meanwhile or not found.") : _("None "
		    "of the %zu marked applications can be exported: they are "
		    "not checked, changed meanwhile or not found."), u->nids);
		app_message(a, _("Nothing to export"), text);
		finish(a, s);
		return;
	}
	u->state = DU_DIR;
	field_set(&u->path, last_dir);
	s->ops->event(s, a, APP_EV_DATA, NULL);
}

struct dat_ui *
dat_ui_export_ids(struct app *a, const int64_t *ids, const int64_t *versions,
    size_t n, const char *filter)
{
	struct dat_ui *u;
	msgpack_packer *pk;

	if (n == 0 || open_ui != NULL || (u = dat_ui_new(DU_WAIT)) == NULL)
		return NULL;
	u->ids = calloc(n, sizeof *u->ids);
	u->versions = calloc(n, sizeof *u->versions);
	u->filter = filter != NULL ? strdup(filter) : NULL;
	if (u->ids == NULL || u->versions == NULL ||
	    (filter != NULL && u->filter == NULL)) {
		dat_ui_free(u);
		return NULL;
	}
	memcpy(u->ids, ids, n * sizeof *ids);
	memcpy(u->versions, versions, n * sizeof *versions);
	u->nids = n;
	pk = app_begin(a, HR_M_DAT_EXPORT);
	msgpack_pack_map(pk, 3);
	hr_pack_kv_bool(pk, "dry_run", 1);
	hr_pack_str(pk, "ids");
	msgpack_pack_array(pk, n);
	for (size_t i = 0; i < n; i++)
		msgpack_pack_int64(pk, ids[i]);
	hr_pack_str(pk, "versions");
	msgpack_pack_array(pk, n);
	for (size_t i = 0; i < n; i++)
		msgpack_pack_int64(pk, versions[i]);
	if (app_send(a, ids_plan_reply) != 0) {
		dat_ui_free(u);
		return NULL;
	}
	app_status(a, "%s", filter != NULL ? _("Checking the applications of "
	    "the filter...") : _("Checking the marked applications..."));
	return u;
}

/* ---- import ------------------------------------------------------------ */

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

static void
import_send(struct dat_ui *u, struct app *a, int dry_run)
{
	msgpack_packer *pk = app_begin(a, HR_M_DAT_IMPORT);

	msgpack_pack_map(pk, dry_run ? 3 : 2);
	hr_pack_kv_str(pk, "name", u->name);
	if (dry_run)
		hr_pack_kv_bool(pk, "dry_run", 1);
	hr_pack_str(pk, "data");
	msgpack_pack_bin(pk, u->len);
	msgpack_pack_bin_body(pk, u->data, u->len);
}

/* A decision in words (the case view's words). */
static const char *const decision_words[HR_DEC__END] = {
	[HR_DEC_ASSIGNED]             = N_("Assigned"),
	[HR_DEC_REFUSED]              = N_("Refused"),
	[HR_DEC_REGISTERED]           = N_("Registered as a beneficiary"),
	[HR_DEC_REGISTRATION_REFUSED] = N_("Registration refused"),
};

static const char *
decision_word(const char *name)
{
	int d = hr_decision_from_name(name);

	return d > 0 && d < HR_DEC__END ? _(decision_words[d]) : name;
}

static int
line_add(struct dat_ui *u, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int
line_add(struct dat_ui *u, const char *fmt, ...)
{
	char buf[600], **n;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if ((n = realloc(u->lines, (u->nlines + 1) * sizeof *n)) == NULL)
		return -1;
	u->lines = n;
	if ((u->lines[u->nlines] = strdup(buf)) == NULL)
		return -1;
	u->nlines++;
	return 0;
}

/* What the file would do, as lines of the preview. */
static void
preview_build(struct dat_ui *u, const msgpack_object *r)
{
	const msgpack_object *kinds = mp_get(r, "decisions"),
	    *apps = mp_get(r, "apps"), *bad = mp_get(r, "refusals");
	char sys[HR_DAT_SYSTEM_MAX], amount[HR_AMOUNT_STR_MAX], reg[32];
	char word[64];
	long long nbad = mp_int(mp_get(r, "bad"), 0);
	struct hr_error e;

	mp_text(mp_get(r, "system"), sys, sizeof sys);
	line_add(u, _("File: %s"), u->name);
	line_add(u, _("Answer of %s No. %06lld, %lld records"),
	    system_label(sys), (long long)mp_int(mp_get(r, "number"), 0),
	    (long long)mp_int(mp_get(r, "count"), 0));
	line_add(u, "%s", _("Decisions by kind:"));
	for (int k = 1; k < HR_DEC__END; k++)
		line_add(u, "  %s  %lld", _(decision_words[k]),
		    (long long)mp_int(mp_get(kinds, hr_decision_name(k)), 0));
	if (nbad > 0) {
		line_add(u, _("%lld records cannot be applied: the file will "
		    "not be imported."), nbad);
		for (uint32_t i = 0; bad != NULL && bad->type ==
		    MSGPACK_OBJECT_ARRAY && i < bad->via.array.size; i++) {
			const msgpack_object *p = &bad->via.array.ptr[i];

			if (p->type != MSGPACK_OBJECT_ARRAY ||
			    p->via.array.size != 2)
				continue;
			hr_rpc_error_obj_read(&p->via.array.ptr[1], &e);
			line_add(u, _("  line %lld: %s: %s"), (long long)mp_int(
			    &p->via.array.ptr[0], 0), refusal_title(&e, ""),
			    app_error(&e));
		}
	}
	line_add(u, "%s", _("Applications in the file:"));
	for (uint32_t i = 0; apps != NULL && apps->type ==
	    MSGPACK_OBJECT_ARRAY && i < apps->via.array.size; i++) {
		const msgpack_object *p = &apps->via.array.ptr[i];

		if (p->type != MSGPACK_OBJECT_ARRAY || p->via.array.size != 5)
			continue;
		mp_text(&p->via.array.ptr[2], reg, sizeof reg);
		mp_text(&p->via.array.ptr[3], word, sizeof word);
		amount[0] = '\0';
		if (p->via.array.ptr[4].type != MSGPACK_OBJECT_NIL)
			hr_amount_format(mp_int(&p->via.array.ptr[4], 0),
			    amount, sizeof amount);
		line_add(u, "  %-12s %s %s", reg, decision_word(word), amount);
	}
	u->can_apply = nbad == 0;
}

static void
preview_reply(struct app *a, struct screen *s, const struct hr_msg *reply,
    const struct hr_error *err)
{
	struct dat_ui *u = reply_target(a, s, err, _("Import of an answer"));

	if (u == NULL)
		return;
	preview_build(u, &reply->result);
	u->state = DU_PREVIEW;
	s->ops->event(s, a, APP_EV_DATA, NULL);
}

/* *.DAT first; nothing hidden (an answer may come named otherwise). */
static int
dat_rank(void *ud, const char *name)
{
	const char *dot = strrchr(name, '.');

	(void)ud;
	return dot != NULL && strcasecmp(dot, ".dat") == 0;
}

struct dat_ui *
dat_ui_import(struct app *a)
{
	struct dat_ui *u;
	char *dir, home[DAT_UI_PATH_MAX];

	(void)a;
	if (open_ui != NULL || (u = dat_ui_new(DU_FILE)) == NULL)
		return NULL;
	dir = filepicker_last_dir(DAT_PURPOSE);
	if (dir == NULL && paper_expand_home(last_dir, home, sizeof home) == 0)
		dir = strdup(home);
	u->fp = filepicker_new(_("Import of an answer: choose the file"),
	    FILEPICKER_FILE, dir, dat_rank, NULL);
	free(dir);
	if (u->fp == NULL) {
		dat_ui_free(u);
		return NULL;
	}
	return u;
}

/* The file chosen: checked here with the server's parser, then the dry
 * run.  0: the modal closes (an error was shown). */
static int
file_chosen(struct dat_ui *u, struct app *a)
{
	const char *path = filepicker_path(u->fp);
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	struct hr_error e;
	struct hr_dat d;

	filepicker_remember(DAT_PURPOSE, filepicker_dir(u->fp));
	memset(&d, 0, sizeof d);
	if ((u->data = read_file(path, &u->len, &e)) == NULL ||
	    hr_dat_parse(u->data, u->len, &d, &e) < 0) {
		hr_dat_free(&d);
		show_error(a, _("Import of an answer"), &e);
		return 0;
	}
	hr_dat_free(&d);
	if ((u->name = strdup(base)) == NULL)
		return 0;
	import_send(u, a, 1);
	if (app_send(a, preview_reply) != 0)
		return 0;
	app_status(a, "%s", _("Checking the file..."));
	u->state = DU_WAIT;
	return 1;
}

/* ---- keys and drawing -------------------------------------------------- */

static int
is_cancel(const struct key *k)
{
	return (!k->is_key && k->ch == 27) || fkeys_number(k) == 10;
}

/* Up/Down/PgUp/PgDn/Home/End over the preview. */
static void
preview_scroll(struct dat_ui *u, const struct key *k)
{
	size_t page = 10, max = u->nlines > 1 ? u->nlines - 1 : 0;

	if (!k->is_key)
		return;
	if (k->ch == KEY_DOWN && u->top < max)
		u->top++;
	else if (k->ch == KEY_UP && u->top > 0)
		u->top--;
	else if (k->ch == KEY_NPAGE)
		u->top = u->top + page < max ? u->top + page : max;
	else if (k->ch == KEY_PPAGE)
		u->top = u->top > page ? u->top - page : 0;
	else if (k->ch == KEY_HOME)
		u->top = 0;
	else if (k->ch == KEY_END)
		u->top = max;
}

int
dat_ui_key(struct dat_ui *u, struct app *a, const struct key *k)
{
	int r;

	switch (u->state) {
	case DU_DONE:
		return 0;
	case DU_WAIT:
		return !is_cancel(k);
	case DU_PICK:
		if ((r = picker_key(u->picker, k)) == PICKER_OPEN)
			return 1;
		if (r == PICKER_CANCEL)
			return 0;
		u->pick = r;
		u->state = DU_DIR;
		field_set(&u->path, last_dir);
		return 1;
	case DU_FILE:
		if ((r = filepicker_key(u->fp, k)) == FILEPICKER_OPEN)
			return 1;
		if (r == FILEPICKER_CANCEL)
			return 0;
		return file_chosen(u, a);
	case DU_PREVIEW:
		if (is_cancel(k))
			return 0;
		if (!key_is_enter(k)) {
			preview_scroll(u, k);
			return 1;
		}
		if (!u->can_apply)
			return 0;
		import_send(u, a, 0);
		if (app_send(a, import_reply) == 0)
			app_status(a, "%s", _("Importing..."));
		return 0;
	case DU_DIR:
		break;
	}
	if (is_cancel(k))
		return 0;
	if (!key_is_enter(k)) {
		field_key(&u->path, k);
		return 1;
	}
	if (u->ids != NULL)
		ids_confirm(u, a);
	else
		export_confirm(u, a);
	return 0;
}

static void
preview_draw(struct dat_ui *u, WINDOW *w)
{
	int y, x, h = getmaxy(w) - 2, width = getmaxx(w) - 4;

	box_center(w, &y, &x, &h, &width);
	box_draw(w, y, x, h, width, _("What the file will do"), A_NORMAL);
	for (int i = 0; i < h - 4 && u->top + (size_t)i < u->nlines; i++)
		text_put(w, y + 1 + i, x + 2, u->lines[u->top + (size_t)i],
		    width - 4, A_NORMAL, 0);
	text_put(w, y + h - 2, x + 2, u->can_apply ?
	    _("Enter: import   Up/Down, PgUp/PgDn: scroll   Esc: cancel") :
	    _("Up/Down, PgUp/PgDn: scroll   Esc: close"), width - 4, A_BOLD, 0);
}

void
dat_ui_draw(struct dat_ui *u, WINDOW *w, int *cy, int *cx)
{
	int y, x, h = 6, width = 64;

	*cy = *cx = -1;
	switch (u->state) {
	case DU_DONE:
		return;
	case DU_PICK:
		picker_draw(u->picker, w, cy, cx);
		return;
	case DU_FILE:
		filepicker_draw(u->fp, w, cy, cx);
		return;
	case DU_PREVIEW:
		preview_draw(u, w);
		return;
	case DU_WAIT:
		h = 4;
		box_center(w, &y, &x, &h, &width);
		box_draw(w, y, x, h, width, _("Exchange files"), A_NORMAL);
		text_put(w, y + 1, x + 2, _("Asking the server..."), width - 4,
		    A_NORMAL, 0);
		text_put(w, y + 2, x + 2, _("Esc: close"), width - 4, A_DIM, 0);
		return;
	case DU_DIR:
		break;
	}
	box_center(w, &y, &x, &h, &width);
	box_draw(w, y, x, h, width, _("Export"), A_NORMAL);
	text_put(w, y + 1, x + 2, _("Save the file into the directory:"),
	    width - 4, A_NORMAL, 0);
	*cx = field_draw(&u->path, w, y + 2, x + 2, width - 4, 1);
	*cy = y + 2;
	text_put(w, y + 4, x + 2, _("Enter: go on   Esc: cancel"), width - 4,
	    A_DIM, 0);
}
