/*
 * uploads.c — the client's upload queue run from the app's loop, saved
 * between runs, and its progress line (uploads.h).
 *
 * Circle kept on purpose: the queue reports through the app (app.h) and
 * names documents from the reference data (refdata.h), and the app steps
 * the queue each turn; app_link.c says why, the include lines say so
 * (circle:).
 */
#include "config.h"

#include "tui/uploads.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tui/app.h"
#include "tui/bytes.h"
#include "tui/errmsg.h"
#include "tui/refdata.h"    /* circle: document names for the status line */
#include "tui/statefile.h"
#include "tui/text.h"

struct uploads {
	struct hr_uploader *q;
	struct app         *app;          /* for the done notes; NULL before login */
	char               *save_path;    /* the queue of user@server, or NULL */
	uint64_t            file_max, app_max;
	int                 dirty;        /* the saved queue is behind */
};

/* $XDG_STATE_HOME/hromada/uploads-USER@SERVER (statefile.h). */
static char *
uploads_file(const char *user, const char *server)
{
	size_t n = strlen(user) + strlen(server) + 16;
	char *name = malloc(n), *p;

	if (name == NULL)
		return NULL;
	snprintf(name, n, "uploads-%s@%s", user, server);
	p = state_file_path(name, 1);
	free(name);
	return p;
}

/* Write the unfinished uploads (a temporary file, then renamed). */
static void
uploads_save(struct uploads *u)
{
	char tmp[PATH_MAX];
	FILE *f;

	if (u->save_path == NULL || !u->dirty)
		return;
	snprintf(tmp, sizeof tmp, "%s.tmp", u->save_path);
	if ((f = fopen(tmp, "w")) == NULL)
		return;
	(void)fchmod(fileno(f), 0600);
	if (hr_uploader_save(u->q, f) == 0 && fclose(f) == 0 &&
	    rename(tmp, u->save_path) == 0) {
		u->dirty = 0;
		return;
	}
	(void)unlink(tmp);
}

/* A file ended: say so, let the screen reload, keep the saved queue in step. */
static void
uploads_done(void *ud, const struct hr_upload_info *in)
{
	struct uploads *u = ud;
	const struct refdata *rd;
	const char *doc = in->document;
	char why[512];

	u->dirty = 1;
	uploads_save(u);
	if (u->app == NULL)
		return;
	if ((rd = refdata_get(u->app)) != NULL)
		doc = refdata_doc_name(rd, in->document);
	if (in->state == HR_UP_DONE)
		app_status(u->app, _("Scan \"%s\" attached as \"%s\""), in->name,
		    doc);
	else
		app_status(u->app, _("Scan \"%s\" NOT attached: %s"), in->name,
		    errmsg(&in->err, why, sizeof why));
	app_notify(u->app, APP_EV_UPLOADED);
}

struct uploads *
uploads_new(struct hr_client *c)
{
	struct uploads *u = calloc(1, sizeof *u);

	if (u == NULL)
		return NULL;
	if ((u->q = hr_uploader_new(c)) == NULL) {
		free(u);
		return NULL;
	}
	hr_uploader_on_done(u->q, uploads_done, u);
	return u;
}

void
uploads_free(struct uploads *u)
{
	if (u == NULL)
		return;
	uploads_save(u);
	hr_uploader_free(u->q);
	free(u->save_path);
	free(u);
}

void
uploads_login(struct uploads *u, struct app *a, const char *user,
    const char *server)
{
	char *path = uploads_file(user, server);
	struct hr_error err;
	FILE *f;

	u->app = a;
	if (path == NULL)
		return;
	if (u->save_path != NULL && strcmp(path, u->save_path) == 0) {
		free(path);                   /* a resume: the queue goes on */
		return;
	}
	uploads_logout(u);
	u->app = a;
	u->save_path = path;
	if ((f = fopen(path, "r")) != NULL) {
		(void)hr_uploader_load(u->q, f, &err);
		fclose(f);
	}
}

void
uploads_logout(struct uploads *u)
{
	uploads_save(u);
	/* Another user's scans are not this one's to send: forget the queue
	 * (it stays saved for its owner). */
	while (hr_uploader_count(u->q) > 0) {
		struct hr_upload_info in;

		hr_uploader_get(u->q, 0, &in);
		hr_uploader_forget(u->q, in.id);
	}
	free(u->save_path);
	u->save_path = NULL;
	u->app = NULL;
}

void
uploads_set_limits(struct uploads *u, uint64_t file_max, uint64_t app_max,
    uint64_t chunk_max)
{
	u->file_max = file_max;
	u->app_max = app_max;
	hr_uploader_set_limits(u->q, file_max, chunk_max);
}

uint64_t uploads_file_max(const struct uploads *u) { return u->file_max; }
uint64_t uploads_app_max(const struct uploads *u) { return u->app_max; }

int
uploads_step(struct uploads *u, int online, long now_ms)
{
	return hr_uploader_step(u->q, online, now_ms);
}

int
uploads_add(struct uploads *u, const char *path, int64_t app,
    const char *doc, struct hr_error *err)
{
	if (hr_uploader_add(u->q, path, app, doc, err) == 0)
		return -1;
	u->dirty = 1;
	uploads_save(u);
	return 0;
}

size_t
uploads_of(const struct uploads *u, int64_t app, struct hr_upload_info *out,
    size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; i < hr_uploader_count(u->q) && n < cap; i++)
		if (hr_uploader_get(u->q, i, &out[n]) == 0 &&
		    out[n].application == app)
			n++;
	return n;
}

uint64_t
uploads_pending_bytes(const struct uploads *u, int64_t app)
{
	struct hr_upload_info in;
	uint64_t n = 0;

	for (size_t i = 0; i < hr_uploader_count(u->q); i++)
		if (hr_uploader_get(u->q, i, &in) == 0 && in.application == app &&
		    in.state != HR_UP_DONE && in.state != HR_UP_FAILED)
			n += in.size;
	return n;
}

void
uploads_cancel(struct uploads *u, unsigned id)
{
	hr_uploader_cancel(u->q, id);
	u->dirty = 1;
	uploads_save(u);
}

void
uploads_retry(struct uploads *u, unsigned id)
{
	hr_uploader_retry(u->q, id);
	u->dirty = 1;
	uploads_save(u);
}

int
uploads_active(const struct uploads *u)
{
	struct hr_upload_totals t;

	hr_uploader_totals(u->q, 0, &t);
	return t.active > 0;
}

/* "Scans: 2 files, 140 KB of 500 KB, 7.8 KB/s, 46 s left [####......]" */
void
uploads_draw(const struct uploads *u, WINDOW *w, int y, int width,
    long now_ms)
{
	struct hr_upload_totals t;
	char done[32], all[32], rate[32], eta[32], line[256];
	int n, bar, fill;

	hr_uploader_totals(u->q, now_ms, &t);
	if (t.active == 0 || width < 20)
		return;
	bytes_size(t.acked, done, sizeof done);
	bytes_size(t.bytes, all, sizeof all);
	if (t.rate > 0)
		snprintf(line, sizeof line, _("Sending scans: %zu, %s of %s, %s, "
		    "%s left"), t.active, done, all, bytes_rate(t.rate, rate,
		    sizeof rate), bytes_eta(t.eta, eta, sizeof eta));
	else
		snprintf(line, sizeof line, _("Sending scans: %zu, %s of %s"),
		    t.active, done, all);
	n = text_put(w, y, 0, line, width, A_BOLD, 1);
	bar = width - n - 3;
	if (bar < 8)
		return;
	if (bar > 30)
		bar = 30;
	fill = t.bytes > 0 ? (int)((double)t.acked / (double)t.bytes * bar) : 0;
	mvwaddch(w, y, width - bar - 2, '[');
	for (int i = 0; i < bar; i++)
		mvwaddch(w, y, width - bar - 1 + i, i < fill ? '#' : '.');
	mvwaddch(w, y, width - 1, ']');
}
