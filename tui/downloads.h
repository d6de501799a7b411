/*
 * downloads.h — scans being saved on this PC (proto/download.h run from
 * the app's loop): the clerk goes on working meanwhile, the status line
 * says where each file was saved — naming the machine when the client runs
 * over SSH, since the file is on that machine, not on the clerk's own.
 */
#ifndef TUI_DOWNLOADS_H
#define TUI_DOWNLOADS_H

#include <stdint.h>

#include "tui/tui.h"

struct app;
struct hr_client;
struct hr_error;
struct downloads;

struct downloads *downloads_new(struct hr_client *c);
void downloads_free(struct downloads *d);   /* after the client */
void downloads_login(struct downloads *d, struct app *a);
void downloads_logout(struct downloads *d);
void downloads_set_piece_max(struct downloads *d, uint64_t max);

int  downloads_step(struct downloads *d, int online, long now_ms);
/* Save attachment `id` (called `name` on the server) into `dir`. */
int  downloads_add(struct downloads *d, int64_t id, const char *dir,
    const char *name, struct hr_error *err);
int  downloads_active(const struct downloads *d);
void downloads_draw(const struct downloads *d, WINDOW *w, int y, int width,
    long now_ms);

#endif
