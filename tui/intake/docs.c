/*
 * docs.c — the service and the documents checklist.  The service's
 * required documents (reference data) are marked with "*" and listed
 * first; the heading says whether the package is full or what is missing.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/intake/form_priv.h"
#include "tui/refdata.h"

static int
docs_service(const struct fs *s, const struct refdata *rd)
{
	return refdata_service(rd, s->in.service);
}

/* Required documents not ticked. */
static size_t
docs_missing(const struct fs *s, const struct refdata *rd)
{
	int si = docs_service(s, rd);
	size_t n = 0;

	if (si < 0)
		return 0;
	for (size_t k = 0; k < rd->svc[si].ndocs; k++)
		n += !intake_doc_has(&s->in, rd->svc[si].docs[k]);
	return n;
}

static void
docs_head_text(const struct fs *s, const struct refdata *rd, char *buf, size_t n)
{
	size_t miss = docs_missing(s, rd);

	if (docs_service(s, rd) < 0)
		snprintf(buf, n, "%s", _("Documents (choose the service first)"));
	else if (miss == 0)
		snprintf(buf, n, "%s", _("Documents: full package"));
	else
		snprintf(buf, n, _("Documents: partial package, %zu required missing (*)"), miss);
}

static int
docs_add_one(struct fs *s, struct form *f, const struct refdata *rd, size_t i,
    int required)
{
	char label[512];

	snprintf(label, sizeof label, "%s%s", rd->doc[i].name, required ? " *" : "");
	return form_add_check(f, ID_DOC + (int)i, label,
	    intake_doc_has(&s->in, rd->doc[i].code));
}

int
docs_add_items(struct fs *s, struct form *f)
{
	const struct refdata *rd = refdata_get(s->app);
	char head[256];
	int r = 0, si;

	if (rd == NULL)
		return 0;
	si = docs_service(s, rd);
	docs_head_text(s, rd, head, sizeof head);
	r |= form_add_heading(f, ID_DOCS_HEAD, head);
	for (int pass = 1; pass >= 0; pass--)           /* required first */
		for (size_t i = 0; i < rd->ndoc; i++)
			if (refdata_required(rd, si, rd->doc[i].code) == pass)
				r |= docs_add_one(s, f, rd, i, pass);
	return r ? -1 : 0;
}

void
docs_read(struct fs *s, const struct form *f)
{
	const struct refdata *rd = refdata_get(s->app);

	for (size_t i = 0; rd != NULL && i < rd->ndoc; i++)
		if (form_item((struct form *)f, ID_DOC + (int)i) != NULL)
			intake_doc_set(&s->in, rd->doc[i].code, form_on(f, ID_DOC + (int)i));
}

void
docs_update_head(struct fs *s, struct form *f)
{
	const struct refdata *rd = refdata_get(s->app);
	char head[256];

	if (rd == NULL)
		return;
	docs_read(s, f);
	docs_head_text(s, rd, head, sizeof head);
	form_set_label(f, ID_DOCS_HEAD, head);
}
