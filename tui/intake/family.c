/*
 * family.c — family members: their rows in the main form (Enter
 * edits, Delete removes, the last row adds one) and the sub-form that
 * edits one member (relation and the same personal fields as the
 * applicant's).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/intake/form_priv.h"

void
family_label(const struct intake *in, size_t i, char *buf, size_t n)
{
	const struct intake_member *m = &in->family[i];
	const char *const *f = (const char *const *)m->p.f;

	snprintf(buf, n, "%zu. %s %s %s, %s, %s", i + 1,
	    f[HR_PF_SURNAME] ? f[HR_PF_SURNAME] : "?",
	    f[HR_PF_NAME] ? f[HR_PF_NAME] : "",
	    f[HR_PF_PATRONYMIC] ? f[HR_PF_PATRONYMIC] : "",
	    _(hr_relations[m->relation].label), f[HR_PF_BIRTH] ? f[HR_PF_BIRTH] : "");
}

int
family_add_rows(struct fs *s, struct form *f)
{
	char buf[512];
	int r = 0;

	snprintf(buf, sizeof buf, _("Family members (%zu)"), s->in.nfamily);
	r |= form_add_heading(f, -1, buf);
	for (size_t i = 0; i < s->in.nfamily; i++) {
		family_label(&s->in, i, buf, sizeof buf);
		r |= form_add_button(f, ID_FAMILY_ROW + (int)i, buf);
	}
	if (!s->readonly)
		r |= form_add_button(f, ID_FAMILY_ADD,
		    _("[+] Add a family member (Enter; Delete removes a member)"));
	return r ? -1 : 0;
}

/*
 * Open the sub-form for member `index` (-1: a new one; -2: rebuild it from
 * sub_person, as after taking a person from the base).
 */
void
family_edit(struct fs *s, int index)
{
	int rel = HR_REL_CHILD;

	if (index == -2) {
		rel = form_choice(&s->sub, ID_REL);
	} else {
		intake_person_free(&s->sub_person);
		s->sub_index = index;
		if (index >= 0) {
			rel = s->in.family[index].relation;
			intake_person_copy(&s->sub_person, &s->in.family[index].p);
		}
	}
	form_clear(&s->sub);
	form_add_heading(&s->sub, -1, s->sub_index >= 0 ?
	    _("Family member: F2 accepts, Esc cancels, F3 finds in the base") :
	    _("New family member: F2 accepts, Esc cancels, F3 finds in the base"));
	form_add_choice(&s->sub, ID_REL,
	    _(hr_member_fields[HR_MF_RELATION].form_label), s->labels_rel,
	    HR_REL__COUNT, rel);
	person_add_fields(s, &s->sub, &s->sub_person);
	form_add_button(&s->sub, ID_SUB_DONE, _("[ Accept (F2) ]"));
	s->looked_up[0] = '\0';
	fs_sub_show(s, FS_MEMBER);
}

int
family_accept(struct fs *s)
{
	struct intake_member m;

	person_read(&s->sub, &s->sub_person);
	if (form_check_all(&s->sub) > 0)
		return -1;
	m.relation = form_choice(&s->sub, ID_REL);
	if (m.relation < 0)
		m.relation = HR_REL_OTHER;
	m.p = s->sub_person;
	if (s->sub_index >= 0 && (size_t)s->sub_index < s->in.nfamily) {
		intake_person_free(&s->in.family[s->sub_index].p);
		s->in.family[s->sub_index] = m;
	} else if (intake_family_add(&s->in, &m) != 0) {
		return -1;      /* full: the caller says so; sub_person still owns */
	}
	memset(&s->sub_person, 0, sizeof s->sub_person);
	return 0;
}

static void
family_remove_answer(struct app *a, void *ud, int yes)
{
	struct fs *s = ud;

	if (!fs_alive(ud) || !yes)
		return;
	fs_sync(s);
	intake_family_remove(&s->in, (size_t)s->del_index);
	s->dirty = 1;
	fs_build(s);
	app_status(a, "%s", _("The family member was removed"));
}

void
family_remove(struct fs *s, struct app *a, int index)
{
	char label[512], text[768];

	if (index < 0 || (size_t)index >= s->in.nfamily)
		return;
	s->del_index = index;
	family_label(&s->in, (size_t)index, label, sizeof label);
	snprintf(text, sizeof text, _("Remove %s?\nTheir income rows are removed too."),
	    label);
	app_ask(a, _("Remove a family member"), text, 1, 0, family_remove_answer, s);
}
