/*
 * save.c — saving the application (application.save, one round
 * trip) and loading it (application.get), and what the server's refusals
 * mean for the clerk:
 *  - HR_E_INVALID names a field ("family[1].birth_date: ..."): the message
 *    goes under that field and the cursor there (opening the family member
 *    or income row it is in);
 *  - HR_E_CONFLICT: someone else saved first; everything typed stays, and
 *    the clerk chooses: save over theirs (fetch the new version, save
 *    again) or drop theirs and reload;
 *  - HR_E_DUPLICATE for a person: offer the person who is in the base.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/method_names.h"
#include "proto/rpc.h"
#include "tui/case_cache.h"
#include "tui/errmsg.h"
#include "tui/intake/form_priv.h"
#include "tui/journal_filter.h"
#include "tui/mp.h"
#include "tui/screens.h"

/* ---- where a server message points ---- */

/* The form's item of each field of the table (proto/app_fields.h) that
 * is not a person's typed text (PERSON_BASE + HR_PF_*). */
static const struct {
	const struct hr_app_field *field;
	int                        id;
} save_fields[] = {
	{ &hr_person_fields[HR_PF_REFUSED],  ID_REFUSED },
	{ &hr_person_fields[HR_PF_SEX],      ID_SEX },
	{ &hr_person_fields[HR_PF_DOCTYPE],  ID_DOC_TYPE },
	{ &hr_member_fields[HR_MF_RELATION], ID_REL },
	{ &hr_income_fields[HR_IF_MEMBER],   ID_INC_MEMBER },
	{ &hr_income_fields[HR_IF_TYPE],     ID_INC_TYPE },
	{ &hr_income_fields[HR_IF_FROM],     ID_INC_FROM },
	{ &hr_income_fields[HR_IF_TO],       ID_INC_TO },
	{ &hr_income_fields[HR_IF_AMOUNT],   ID_INC_AMOUNT },
	{ &hr_payment_fields[HR_YF_METHOD],  ID_PAY_METHOD },
	{ &hr_payment_fields[HR_YF_IBAN],    ID_IBAN },
	{ &hr_payment_fields[HR_YF_POST],    ID_POST },
	{ &hr_save_fields[HR_SF_NOTES],      ID_NOTES },
	{ &hr_save_fields[HR_SF_SERVICE],    ID_SERVICE },
	{ &hr_save_fields[HR_SF_DOCUMENTS],  ID_DOCS_HEAD },
};

static int
key_is(const struct hr_app_field *f, const char *name, size_t len)
{
	return strlen(f->wire.name) == len && memcmp(f->wire.name, name, len) == 0;
}

static int
save_field_id(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof save_fields / sizeof save_fields[0]; i++)
		if (key_is(save_fields[i].field, name, len))
			return save_fields[i].id;
	for (int i = 0; i < HR_PF__COUNT; i++)
		if (hr_person_field_typed(i) && key_is(&hr_person_fields[i], name,
		    len))
			return PERSON_BASE + i;
	return -1;
}

struct save_path {
	enum { SP_MAIN, SP_FAMILY, SP_INCOME } where;
	int index;          /* family/income row, 0-based (the server counts from 1) */
	int id;             /* item id, -1 unknown */
};

/*
 * The field an error names by its `path` ("applicant.rnokpp",
 * "family[2].person.birth_date", "income[1].amount", "payment.iban",
 * "service"; indices from 1).
 */
static void
save_parse_path(const char *path, struct save_path *p)
{
	const char *last;

	p->where = SP_MAIN;
	p->index = 0;
	p->id = -1;
	if (path == NULL)
		return;
	if (strncmp(path, "family[", 7) == 0 || strncmp(path, "income[", 7) == 0) {
		p->where = path[0] == 'f' ? SP_FAMILY : SP_INCOME;
		p->index = atoi(path + 7) - 1;
	}
	last = strrchr(path, '.');
	last = last != NULL ? last + 1 : path;
	p->id = save_field_id(last, strcspn(last, "["));
}

/* The server refused a field: open its row, mark the field, say why. */
static void
save_invalid(struct fs *s, struct app *a, const struct hr_error *err)
{
	struct save_path p;
	char text[512], hint[512];
	struct form *f = &s->main;

	save_parse_path(hr_error_value(err, "path"), &p);
	errmsg(err, text, sizeof text);
	errmsg_problem(err, hint, sizeof hint);
	if (p.where == SP_FAMILY && (size_t)p.index < s->in.nfamily) {
		family_edit(s, p.index);
		f = &s->sub;
	} else if (p.where == SP_INCOME && (size_t)p.index < s->in.nincome) {
		income_edit(s, p.index);
		f = &s->sub;
	}
	if (p.id >= 0 && form_item(f, p.id) != NULL) {
		form_set_error(f, p.id, hint);
		form_focus(f, p.id);
	}
	app_status(a, "%s: %s", _("Not saved"), text);
	s->error_status = 1;
	s->errors_shown = -1;
}

/* ---- conflict ---- */

static void
save_reload_answer(struct app *a, void *ud, int yes)
{
	struct fs *s = ud;

	if (!fs_alive(ud))
		return;
	if (!yes) {
		app_status(a, "%s", _("Your changes are kept in the form; F2 saves them"));
		return;
	}
	s->dirty = 0;
	save_load(s, a);
}

static void
save_overwrite_answer(struct app *a, void *ud, int yes)
{
	struct fs *s = ud;

	if (!fs_alive(ud))
		return;
	if (!yes) {
		app_ask(a, _("Reload"), _("Drop your changes and load the saved version?"),
		    1, 0, save_reload_answer, s);
		return;
	}
	s->overwrite = 1;
	save_load(s, a);              /* the new version, then save again */
}

static void
save_conflict(struct fs *s, struct app *a, const struct hr_error *err)
{
	char text[768], why[512];

	snprintf(text, sizeof text, "%s\n(%s)\n\n%s",
	    _("Someone else has changed this application since you opened it."),
	    errmsg(err, why, sizeof why),
	    _("Save your version over theirs? (No: other choices)"));
	app_ask(a, _("The application was changed"), text, 1, 0,
	    save_overwrite_answer, s);
}

/* ---- duplicate person ---- */

static void
save_dup_answer(struct app *a, void *ud, int yes)
{
	struct fs *s = ud;

	if (!fs_alive(ud) || !yes)
		return;
	person_take(s, a, s->offer_id, s->offer_ident, s->mode == FS_MEMBER);
}

/* A person of the form is in the base already (person.known, with the
 * person's id and the path of the form's person). */
static void
save_duplicate(struct fs *s, struct app *a, const struct hr_error *err)
{
	const char *pid = hr_error_value(err, "person_id");
	const char *path = hr_error_value(err, "path");
	const struct intake_person *who;
	char text[768];
	int index = path != NULL && strncmp(path, "family[", 7) == 0 ?
	    atoi(path + 7) - 1 : -1;

	if (strcmp(err->id, "person.known") != 0 || pid == NULL) {
		app_message(a, _("The application was not saved"),
		    errmsg(err, text, sizeof text));
		return;
	}
	s->offer_id = strtoll(pid, NULL, 10);
	/* The identifier the server matched: what the form carries. */
	who = index >= 0 && (size_t)index < s->in.nfamily ?
	    &s->in.family[index].p : &s->in.applicant;
	snprintf(s->offer_ident, sizeof s->offer_ident, "%s",
	    who->f[HR_PF_RNOKPP] ? who->f[HR_PF_RNOKPP] : who->f[HR_PF_DOCNUM] ?
	    who->f[HR_PF_DOCNUM] : who->f[HR_PF_UNZR] ? who->f[HR_PF_UNZR] : "");
	if (index >= 0 && (size_t)index < s->in.nfamily)
		family_edit(s, index);
	snprintf(text, sizeof text, "%s\n\n%s",
	    _("This person is in the base already; a second record is not made."),
	    _("Take their data from the base (then save again)?"));
	app_ask(a, _("The person is known"), text, 0, 1, save_dup_answer, s);
}

/* ---- saving ---- */

/*
 * The reply brings the application as the journal and the case view show
 * it (PROTOCOL.md "application.save"): the journal has its row at once
 * (a new one at the top, in sight when the view was at the top) and the
 * case opens without a request — no round trip after a save.
 */
static void
save_echo(struct app *a, int64_t id, const msgpack_object *res, int fresh)
{
	struct journal_memo *m = journal_memo(app_session(a)->user);
	struct jrows *r = &m->rows;
	int at_top = r->n == 0 || m->top_id == r->row[0].id;

	if (jrows_put(r, mp_get(res, "journal"),
	    jfilter_nparams(&m->filter) == 0) && at_top && r->n > 0)
		m->top_id = r->row[0].id;
	/* A new application: the journal the form returns to has its cursor
	 * on it, in view -- its scans are attached from its case (Enter),
	 * and the clerk should not have to look for the row just made.  Not
	 * when the journal's filter leaves it out. */
	if (fresh && jrows_find(r, id) >= 0)
		m->opened_id = m->top_id = id;
	case_cache_put(a, id, mp_get(res, "case"));
}

static void
save_done(struct fs *s, struct app *a, const msgpack_object *res)
{
	char reg[64];
	int full = mp_bool(mp_get(res, "package_full"), 0);

	s->dirty = 0;
	/* The case view that follows shows what was saved, not a copy kept
	 * from before (case_cache.h). */
	save_echo(a, mp_int(mp_get(res, "id"), 0), res,
	    s->id == 0 && s->in.id == 0);
	mp_text(mp_get(res, "reg_no"), reg, sizeof reg);
	/* Not a dialog: the keys typed next (F5, a letter) are meant for the
	 * screen that follows. */
	app_notice(a, full ? _("The application No. %s is saved; documents: "
	    "full package") : _("The application No. %s is saved; documents: "
	    "partial package"), reg);
	/* F8 "save and print": on to the case view, its print choice open. */
	if (s->print_after_save && mp_int(mp_get(res, "id"), 0) > 0) {
		app_set_screen(a, screen_case_print(a, mp_int(mp_get(res, "id"),
		    0)));
		return;
	}
	fs_leave(s, a);
}

static void
save_reply(struct app *a, struct screen *sc, const struct hr_msg *reply,
    const struct hr_error *err)
{
	struct fs *s = (struct fs *)sc;
	char text[512];

	s->busy = 0;
	app_status_clear_if(a, _("Saving..."));
	if (reply == NULL) {
		app_status(a, "%s", _("Not saved: no connection. Everything typed is kept; F2 tries again"));
		return;
	}
	switch (err->code) {
	case HR_OK:
		save_done(s, a, &reply->result);
		break;
	case HR_E_INVALID:
		save_invalid(s, a, err);
		break;
	case HR_E_CONFLICT:
		save_conflict(s, a, err);
		break;
	case HR_E_DUPLICATE:
		save_duplicate(s, a, err);
		break;
	default:
		app_status(a, "%s: %s", _("Not saved"), app_error_text(err->code));
		app_message(a, _("The application was not saved"),
		    errmsg(err, text, sizeof text));
		break;
	}
}

void
save_start(struct fs *s, struct app *a)
{
	msgpack_packer *pk;
	int bad;

	if (s->busy || s->readonly || s->mode != FS_MAIN)
		return;
	fs_sync(s);
	bad = form_check_all(&s->main);
	s->rebuild = 0;
	if (bad > 0) {
		app_status(a, _("Not saved: %d field(s) need correcting (marked with !)"), bad);
		s->error_status = 1;
		s->errors_shown = bad;
		return;
	}
	pk = app_begin(a, HR_M_APPLICATION_SAVE);
	intake_pack(&s->in, pk);
	if (app_send(a, save_reply) == 0) {
		s->busy = 1;
		app_status(a, "%s", _("Saving..."));
	}
}

/* ---- loading ---- */

static void
load_reply(struct app *a, struct screen *sc, const struct hr_msg *reply,
    const struct hr_error *err)
{
	struct fs *s = (struct fs *)sc;
	const msgpack_object *app;

	if (reply == NULL)
		return;
	if (err->code != HR_OK) {
		app_message(a, _("The application could not be opened"),
		    app_error(err));
		if (s->mode == FS_LOADING) {
			s->from_case = 0;    /* the case would not open either */
			fs_leave(s, a);
		}
		return;
	}
	app = mp_get(&reply->result, "application");
	if (s->overwrite) {           /* keep what was typed; only the version */
		s->overwrite = 0;
		s->in.version = mp_int(mp_get(app, "version"), s->in.version);
		save_start(s, a);
		return;
	}
	intake_load(&s->in, app);
	s->readonly = !mp_bool(mp_get(&reply->result, "editable"), 0);
	s->dirty = 0;
	fs_main_show(s);
	fs_build(s);
	app_status(a, "%s", s->readonly ?
	    _("This application cannot be changed in its status: view only") : "");
	base_offer_start(s, a, mp_get(&reply->result, "base_changed"));
}

void
save_load(struct fs *s, struct app *a)
{
	msgpack_packer *pk = app_begin(a, HR_M_APPLICATION_GET);

	msgpack_pack_map(pk, 1);
	hr_pack_kv_int(pk, "id", s->id > 0 ? s->id : s->in.id);
	if (app_send(a, load_reply) == 0 && s->mode == FS_LOADING)
		app_status(a, "%s", _("Loading..."));
}
