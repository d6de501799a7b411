/*
 * uploads.h — the client's scans on their way to the server: the upload
 * queue of the client library (proto/uploader.h) run from the app's loop.
 *
 * The queue lives as long as the app (one per client, whoever logs in:
 * it is bound to the user and server it started with and saved under
 * $XDG_STATE_HOME/hromada/uploads-USER@SERVER).  It goes on while the
 * clerk works in any screen; a cut link pauses it and the resumed session
 * continues it from the last acknowledged chunk; a restarted client
 * takes the saved queue up again after the same user logs in.  A file
 * that ends (attached, or refused) is said on the status line and the
 * current screen gets APP_EV_UPLOADED to reload what it shows.
 *
 * The progress line (uploads_draw) shows the files, the bytes, the speed
 * and the time left.
 */
#ifndef TUI_UPLOADS_H
#define TUI_UPLOADS_H

#include <stddef.h>
#include <stdint.h>

#include "proto/error.h"
#include "proto/uploader.h"
#include "tui/tui.h"

struct app;
struct uploads;

struct uploads *uploads_new(struct hr_client *c);
/* Save what is unfinished and free (after the client: see uploader.h). */
void uploads_free(struct uploads *u);

/* The user logged in (or resumed): bind the queue to user@server and take
 * the saved one up; the server's limits once reference.get told them. */
void uploads_login(struct uploads *u, struct app *a, const char *user,
    const char *server);
void uploads_logout(struct uploads *u);
void uploads_set_limits(struct uploads *u, uint64_t file_max,
    uint64_t app_max, uint64_t chunk_max);

/* From the loop: 1 when local work is left (poll without waiting). */
int  uploads_step(struct uploads *u, int online, long now_ms);

/* The server's per-file limit (0: not known yet). */
uint64_t uploads_file_max(const struct uploads *u);
uint64_t uploads_app_max(const struct uploads *u);

/*
 * Queue `path` for application `app` as document `doc`: checked first
 * (readable, not empty, a scan, within the limit).  0, or -1 with err
 * (structured, for errmsg).
 */
int  uploads_add(struct uploads *u, const char *path, int64_t app,
    const char *doc, struct hr_error *err);

/* Entries of one application (active first, then those that ended
 * since the screen last looked), into out[0..cap); returns the count. */
size_t uploads_of(const struct uploads *u, int64_t app,
    struct hr_upload_info *out, size_t cap);
/* Bytes of one application's scans still on their way. */
uint64_t uploads_pending_bytes(const struct uploads *u, int64_t app);
void uploads_cancel(struct uploads *u, unsigned id);
void uploads_retry(struct uploads *u, unsigned id);

/* Is anything on its way? */
int  uploads_active(const struct uploads *u);
/* The progress line into `w` at row y (nothing when idle). */
void uploads_draw(const struct uploads *u, WINDOW *w, int y, int width,
    long now_ms);

#endif
