/*
 * downloads.c — scans saved on this PC in the background (downloads.h).
 *
 * Circle kept on purpose: the queue reports through the app (app.h), and
 * the app steps it each turn; app_link.c says why, the include lines say
 * so (circle:).
 */
#include "config.h"

#include "tui/downloads.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proto/download.h"
#include "tui/app.h"
#include "tui/bytes.h"
#include "tui/errmsg.h"
#include "tui/text.h"

struct downloads {
	struct hr_downloader *q;
	struct app           *app;
};

/* "/home/x/a.pdf", or "host: /home/x/a.pdf" when the client runs in an
 * SSH session (the file is on that machine). */
static const char *
downloads_where(const char *path, char *buf, size_t cap)
{
	char host[256];

	if (getenv("SSH_CONNECTION") == NULL && getenv("SSH_TTY") == NULL)
		return path;
	if (gethostname(host, sizeof host) != 0)
		snprintf(host, sizeof host, "?");
	host[sizeof host - 1] = '\0';
	snprintf(buf, cap, _("%s, on the computer \"%s\" where the program "
	    "runs"), path, host);
	return buf;
}

static void
downloads_done(void *ud, const struct hr_download_info *in)
{
	struct downloads *d = ud;
	char where[1024], why[512];

	if (d->app == NULL)
		return;
	if (in->state == HR_DL_DONE)
		app_status(d->app, _("Scan saved: %s"), downloads_where(in->path,
		    where, sizeof where));
	else
		app_status(d->app, _("Scan NOT saved: %s"), errmsg(&in->err, why,
		    sizeof why));
}

struct downloads *
downloads_new(struct hr_client *c)
{
	struct downloads *d = calloc(1, sizeof *d);

	if (d == NULL || (d->q = hr_downloader_new(c)) == NULL) {
		free(d);
		return NULL;
	}
	hr_downloader_on_done(d->q, downloads_done, d);
	return d;
}

void
downloads_free(struct downloads *d)
{
	if (d == NULL)
		return;
	hr_downloader_free(d->q);
	free(d);
}

void
downloads_login(struct downloads *d, struct app *a)
{
	d->app = a;
}

void
downloads_logout(struct downloads *d)
{
	struct hr_download_info in;

	while (hr_downloader_count(d->q) > 0 &&
	    hr_downloader_get(d->q, 0, &in) == 0)
		hr_downloader_cancel(d->q, in.id);
	d->app = NULL;
}

void
downloads_set_piece_max(struct downloads *d, uint64_t max)
{
	hr_downloader_set_piece_max(d->q, max);
}

int
downloads_step(struct downloads *d, int online, long now_ms)
{
	int more = hr_downloader_step(d->q, online, now_ms);

	hr_downloader_prune(d->q);
	return more;
}

int
downloads_add(struct downloads *d, int64_t id, const char *dir,
    const char *name, struct hr_error *err)
{
	return hr_downloader_add(d->q, id, dir, name, err) == 0 ? -1 : 0;
}

int
downloads_active(const struct downloads *d)
{
	struct hr_download_totals t;

	hr_downloader_totals(d->q, 0, &t);
	return t.active > 0;
}

void
downloads_draw(const struct downloads *d, WINDOW *w, int y, int width,
    long now_ms)
{
	struct hr_download_totals t;
	char done[32], all[32], rate[32], eta[32], line[256];

	hr_downloader_totals(d->q, now_ms, &t);
	if (t.active == 0)
		return;
	bytes_size(t.done, done, sizeof done);
	bytes_size(t.bytes, all, sizeof all);
	if (t.rate > 0 && t.bytes > 0)
		snprintf(line, sizeof line, _("Saving scans: %zu, %s of %s, %s, "
		    "%s left"), t.active, done, all, bytes_rate(t.rate, rate,
		    sizeof rate), bytes_eta(t.eta, eta, sizeof eta));
	else
		snprintf(line, sizeof line, _("Saving scans: %zu, %s"), t.active,
		    done);
	text_put(w, y, 0, line, width, A_BOLD, 1);
}
