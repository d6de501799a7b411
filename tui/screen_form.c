/*
 * screen_form.c — the intake form: a new application or an existing one.
 *
 * First version: a placeholder so that callers link; the form itself
 * (applicant, family, income, documents, payment) is being built.
 */
#include "config.h"

#include <stdlib.h>

#include "tui/screens.h"
#include "tui/text.h"

struct form_screen {
	struct screen base;
	int64_t       id;
};

static const struct fkey form_fkeys[] = {
	{ 1, N_("Help") }, { 10, N_("Quit") },
};

static void
fs_draw(struct screen *s, struct app *a, WINDOW *w, int y, int h, int width)
{
	(void)s; (void)a; (void)h;
	text_put(w, y, 1, _("Application"), width - 2, A_BOLD, 0);
}

static int
fs_key(struct screen *s, struct app *a, const struct key *k)
{
	(void)s;
	if ((k->is_key && k->ch == KEY_F(10)) || (!k->is_key && k->ch == 27)) {
		app_set_screen(a, screen_journal_new(a));
		return 1;
	}
	return 0;
}

static void
fs_event(struct screen *s, struct app *a, enum app_event ev,
    const struct hr_error *err)
{
	(void)s; (void)a; (void)ev; (void)err;
}

static void
fs_free(struct screen *s)
{
	free(s);
}

static const struct screen_ops form_ops = {
	.draw = fs_draw,
	.key = fs_key,
	.event = fs_event,
	.free = fs_free,
	.fkeys = form_fkeys,
	.nfkeys = sizeof form_fkeys / sizeof form_fkeys[0],
};

struct screen *
screen_form_new(struct app *a, int64_t application_id)
{
	struct form_screen *f = calloc(1, sizeof *f);

	(void)a;
	if (f == NULL)
		return NULL;
	f->base.ops = &form_ops;
	f->id = application_id;
	return &f->base;
}
