/*
 * data.c — the arena that owns the strings of an application or register
 * to print (data.h), and freeing them.
 */
#include "config.h"

#include "paper/data.h"

#include <stdlib.h>
#include <string.h>

void *
paper_arena_alloc(struct paper_arena *a, size_t size)
{
	void *p;

	if (a->failed)
		return NULL;
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 64;
		void **n = realloc(a->p, cap * sizeof *n);
		if (n == NULL) {
			a->failed = 1;
			return NULL;
		}
		a->p = n;
		a->cap = cap;
	}
	if ((p = calloc(1, size ? size : 1)) == NULL) {
		a->failed = 1;
		return NULL;
	}
	a->p[a->n++] = p;
	return p;
}

char *
paper_arena_strndup(struct paper_arena *a, const char *s, size_t n)
{
	char *c;

	if (s == NULL || (c = paper_arena_alloc(a, n + 1)) == NULL)
		return NULL;
	memcpy(c, s, n);
	c[n] = '\0';
	return c;
}

char *
paper_arena_strdup(struct paper_arena *a, const char *s)
{
	return s ? paper_arena_strndup(a, s, strlen(s)) : NULL;
}

void
paper_arena_free(struct paper_arena *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->p[i]);
	free(a->p);
	memset(a, 0, sizeof *a);
}

void
paper_app_free(struct paper_app *a)
{
	paper_arena_free(&a->arena);
	memset(a, 0, sizeof *a);
}

void
paper_register_free(struct paper_register *r)
{
	paper_arena_free(&r->arena);
	memset(r, 0, sizeof *r);
}
