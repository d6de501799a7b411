/*
 * journal_marks.c — the journal's marked set (journal_marks.h): a sorted
 * array of (id, version), binary-searched.
 */
#include "tui/journal_marks.h"

#include <stdlib.h>
#include <string.h>

#include "proto/workflow.h"
#include "tui/mp.h"

void
jmarks_free(struct jmarks *s)
{
	free(s->m);
	memset(s, 0, sizeof *s);
}

void
jmarks_clear(struct jmarks *s)
{
	s->n = 0;
}

/* Index of id, or of where it would go (*found 0). */
static size_t
jmarks_find(const struct jmarks *s, int64_t id, int *found)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->m[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < s->n && s->m[lo].id == id;
	return lo;
}

int
jmarks_has(const struct jmarks *s, int64_t id)
{
	int found;

	(void)jmarks_find(s, id, &found);
	return found;
}

static int
jmarks_reserve(struct jmarks *s, size_t n)
{
	struct jmark *m;
	size_t cap;

	if (n <= s->cap)
		return 0;
	cap = s->cap ? s->cap : 64;
	while (cap < n)
		cap *= 2;
	if ((m = realloc(s->m, cap * sizeof *m)) == NULL)
		return -1;
	s->m = m;
	s->cap = cap;
	return 0;
}

int
jmarks_add(struct jmarks *s, int64_t id, int64_t version)
{
	int found;
	size_t i = jmarks_find(s, id, &found);

	if (found) {
		s->m[i].version = version;
		return 1;
	}
	if (s->n >= HR_BATCH_MAX || jmarks_reserve(s, s->n + 1) < 0)
		return -1;
	memmove(&s->m[i + 1], &s->m[i], (s->n - i) * sizeof *s->m);
	s->m[i].id = id;
	s->m[i].version = version;
	s->n++;
	return 1;
}

void
jmarks_remove(struct jmarks *s, int64_t id)
{
	int found;
	size_t i = jmarks_find(s, id, &found);

	if (!found)
		return;
	memmove(&s->m[i], &s->m[i + 1], (s->n - i - 1) * sizeof *s->m);
	s->n--;
}

int
jmarks_toggle(struct jmarks *s, int64_t id, int64_t version)
{
	if (jmarks_has(s, id)) {
		jmarks_remove(s, id);
		return 0;
	}
	return jmarks_add(s, id, version);
}

static int
by_id(const void *a, const void *b)
{
	const struct jmark *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

long
jmarks_take(struct jmarks *s, const msgpack_object *marks, int64_t *count,
    int *over)
{
	const msgpack_object *ids = mp_get(marks, "ids");
	const msgpack_object *vers = mp_get(marks, "versions");
	const msgpack_object *ov = mp_get(marks, "over");
	struct jmarks add = { NULL, 0, 0 };
	int64_t id = 0;
	size_t n, i, j, k;

	*count = mp_int(mp_get(marks, "count"), -1);
	*over = ov != NULL && ov->type == MSGPACK_OBJECT_BOOLEAN &&
	    ov->via.boolean;
	if (ids == NULL || vers == NULL || ids->type != MSGPACK_OBJECT_ARRAY ||
	    vers->type != MSGPACK_OBJECT_ARRAY ||
	    ids->via.array.size != vers->via.array.size)
		return -1;
	n = ids->via.array.size;
	if (n > HR_BATCH_MAX || jmarks_reserve(&add, n + 1) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		const msgpack_object *d = &ids->via.array.ptr[i];
		const msgpack_object *v = &vers->via.array.ptr[i];

		if (d->type != MSGPACK_OBJECT_POSITIVE_INTEGER ||
		    v->type != MSGPACK_OBJECT_POSITIVE_INTEGER ||
		    d->via.u64 > INT64_MAX || v->via.u64 > INT64_MAX)
			break;
		id = i == 0 ? (int64_t)d->via.u64 : id - (int64_t)d->via.u64;
		if (id <= 0)
			break;
		add.m[i].id = id;
		add.m[i].version = (int64_t)v->via.u64;
	}
	if (i < n) {
		jmarks_free(&add);
		return -1;
	}
	add.n = n;
	qsort(add.m, n, sizeof *add.m, by_id);
	/* Merge: each takes the version the server just gave. */
	k = s->n;
	for (i = 0; i < n; i++)
		if (!jmarks_has(s, add.m[i].id))
			k++;
	if (k > HR_BATCH_MAX || jmarks_reserve(s, k) < 0) {
		jmarks_free(&add);
		return -1;
	}
	for (i = 0; i < n; i++) {
		int found;

		j = jmarks_find(s, add.m[i].id, &found);
		if (found)
			s->m[j].version = add.m[i].version;
		else
			(void)jmarks_add(s, add.m[i].id, add.m[i].version);
	}
	jmarks_free(&add);
	return (long)s->n;
}
