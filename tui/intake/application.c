/*
 * application.c — the application the intake form holds: lifetime, family and
 * income lists, documents (see application.h).  Every string is owned by the
 * struct it sits in.
 */
#include "config.h"

#include "tui/intake/application.h"

#include <stdlib.h>
#include <string.h>

#include "tui/tui.h"

void
intake_init(struct intake *in)
{
	memset(in, 0, sizeof *in);
	in->editable = 1;
	in->pay_method = PAY_BANK;
}

int
intake_set(char **slot, const char *s)
{
	char *c = NULL;

	if (s != NULL && *s != '\0' && (c = strdup(s)) == NULL)
		return -1;
	free(*slot);
	*slot = c;
	return 0;
}

void
intake_person_free(struct intake_person *p)
{
	for (int i = 0; i < HR_PF__COUNT; i++)
		free(p->f[i]);
	memset(p, 0, sizeof *p);
}

int
intake_person_copy(struct intake_person *dst, const struct intake_person *src)
{
	struct intake_person t = *src;

	for (int i = 0; i < HR_PF__COUNT; i++) {
		t.f[i] = NULL;
		if (intake_set(&t.f[i], src->f[i]) != 0) {
			intake_person_free(&t);
			return -1;
		}
	}
	*dst = t;
	return 0;
}

void
intake_income_free(struct intake_income *r)
{
	free(r->from);
	free(r->to);
	r->from = r->to = NULL;
}

void
intake_free(struct intake *in)
{
	free(in->reg_no);
	free(in->status);
	free(in->last_reason);
	free(in->service);
	intake_person_free(&in->applicant);
	for (size_t i = 0; i < in->nfamily; i++)
		intake_person_free(&in->family[i].p);
	free(in->family);
	for (size_t i = 0; i < in->nincome; i++)
		intake_income_free(&in->income[i]);
	free(in->income);
	for (size_t i = 0; i < in->ndocs; i++)
		free(in->docs[i]);
	free(in->docs);
	free(in->iban);
	free(in->post_office);
	free(in->notes);
	intake_init(in);
}

/* Grow an array of `size`-byte elements to hold one more; 0 or -1. */
static int
intake_grow(void **arr, size_t n, size_t size)
{
	void *na;

	if ((n & (n - 1)) != 0 && n > 4)   /* capacity is the next power of 2 */
		return 0;
	na = realloc(*arr, (n < 4 ? 4 : n * 2) * size);
	if (na == NULL)
		return -1;
	*arr = na;
	return 0;
}

/* Takes ownership of m->p's strings on success. */
int
intake_family_add(struct intake *in, const struct intake_member *m)
{
	if (in->nfamily >= INTAKE_FAMILY_MAX ||
	    intake_grow((void **)&in->family, in->nfamily, sizeof *in->family) != 0)
		return -1;
	in->family[in->nfamily++] = *m;
	return 0;
}

void
intake_family_remove(struct intake *in, size_t i)
{
	size_t k = i + 1, j = 0;

	if (i >= in->nfamily)
		return;
	intake_person_free(&in->family[i].p);
	memmove(&in->family[i], &in->family[i + 1],
	    (in->nfamily - i - 1) * sizeof *in->family);
	in->nfamily--;
	for (size_t r = 0; r < in->nincome; r++) {
		struct intake_income *row = &in->income[r];
		if (row->member == (int)k) {
			intake_income_free(row);
			continue;
		}
		if (row->member > (int)k)
			row->member--;
		in->income[j++] = *row;
	}
	in->nincome = j;
}

/* Takes ownership of r's strings on success. */
int
intake_income_add(struct intake *in, const struct intake_income *r)
{
	if (in->nincome >= INTAKE_INCOME_MAX ||
	    intake_grow((void **)&in->income, in->nincome, sizeof *in->income) != 0)
		return -1;
	in->income[in->nincome++] = *r;
	return 0;
}

void
intake_income_remove(struct intake *in, size_t i)
{
	if (i >= in->nincome)
		return;
	intake_income_free(&in->income[i]);
	memmove(&in->income[i], &in->income[i + 1],
	    (in->nincome - i - 1) * sizeof *in->income);
	in->nincome--;
}

int
intake_doc_has(const struct intake *in, const char *code)
{
	for (size_t i = 0; i < in->ndocs; i++)
		if (strcmp(in->docs[i], code) == 0)
			return 1;
	return 0;
}

int
intake_doc_set(struct intake *in, const char *code, int on)
{
	char *c;

	for (size_t i = 0; i < in->ndocs; i++)
		if (strcmp(in->docs[i], code) == 0) {
			if (!on) {
				free(in->docs[i]);
				in->docs[i] = in->docs[--in->ndocs];
			}
			return 0;
		}
	if (!on)
		return 0;
	if (in->ndocs >= INTAKE_DOCS_MAX ||
	    intake_grow((void **)&in->docs, in->ndocs, sizeof *in->docs) != 0 ||
	    (c = strdup(code)) == NULL)
		return -1;
	in->docs[in->ndocs++] = c;
	return 0;
}
