/*
 * buf.c — growable byte buffer with a hard limit (see buf.h).
 *
 * Consumed bytes stay at the front until more room is needed; only then is
 * the unconsumed tail moved down.  This keeps hr_buf_consume O(1), which
 * matters when a connection consumes one small frame at a time out of a big
 * read.  The limit counts unconsumed bytes only, so a peer cannot make us
 * hold more than `limit` bytes of its data at any moment.
 *
 * Alike on purpose: hr_buf_init/free have the shape of every container
 * (tui/table.c, tui/form.c): set up empty, drop the storage.
 */
#include "proto/buf.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#define BUF_MIN_CAP 256u

/* The buffer's shape: consumed <= used <= allocated, and storage exactly
 * when something was allocated (the buffer owns it alone). */
#define BUF_OK(b) assert((b)->off <= (b)->len && (b)->len <= (b)->cap && \
	((b)->data == NULL) == ((b)->cap == 0))

void
hr_buf_init(struct hr_buf *b, size_t limit)
{
	memset(b, 0, sizeof *b);
	b->limit = limit;
}

void
hr_buf_free(struct hr_buf *b)
{
	BUF_OK(b);
	free(b->data);
	b->data = NULL;
	b->off = b->len = b->cap = 0;
}

/* Move unconsumed bytes to the front so the free space is contiguous. */
static void
buf_compact(struct hr_buf *b)
{
	size_t used = hr_buf_used(b);

	if (b->off == 0)
		return;
	if (used > 0)
		memmove(b->data, b->data + b->off, used);
	b->off = 0;
	b->len = used;
}

/*
 * Grow the allocation to hold at least `need` bytes in total.  Doubling keeps
 * appends amortised O(1); the allocation never exceeds max(need, limit), so
 * the limit also bounds memory.  Called after compaction, so need <= limit.
 */
static int
buf_grow(struct hr_buf *b, size_t need)
{
	size_t   cap = b->cap > BUF_MIN_CAP ? b->cap : BUF_MIN_CAP;
	uint8_t *p;

	assert(b->off == 0 && need <= b->limit);
	while (cap < need && cap <= SIZE_MAX / 2)
		cap *= 2;
	if (cap > b->limit)
		cap = b->limit;
	if (cap < need)
		cap = need;
	p = realloc(b->data, cap);
	if (p == NULL)
		return -1;
	b->data = p;
	b->cap = cap;
	return 0;
}

uint8_t *
hr_buf_reserve(struct hr_buf *b, size_t n)
{
	size_t used = hr_buf_used(b);

	BUF_OK(b);
	if (n > b->limit || used > b->limit - n)
		return NULL;
	if (b->data != NULL && b->cap - b->len >= n)
		return b->data + b->len;
	buf_compact(b);
	if (b->cap - b->len < n && buf_grow(b, b->len + n) == -1)
		return NULL;
	return b->data + b->len;
}

void
hr_buf_commit(struct hr_buf *b, size_t n)
{
	BUF_OK(b);
	assert(n <= b->cap - b->len);
	b->len += n;
}

int
hr_buf_append(struct hr_buf *b, const void *p, size_t n)
{
	uint8_t *dst;

	if (n == 0)
		return 0;
	if ((dst = hr_buf_reserve(b, n)) == NULL)
		return -1;
	memcpy(dst, p, n);
	hr_buf_commit(b, n);
	return 0;
}

void
hr_buf_consume(struct hr_buf *b, size_t n)
{
	BUF_OK(b);
	assert(n <= hr_buf_used(b));
	b->off += n;
	if (b->off == b->len)          /* empty: restart at the front for free */
		b->off = b->len = 0;
}

void *
hr_grow(void *v, size_t *cap, size_t n, size_t size, size_t first)
{
	size_t ncap;
	void  *nv;

	assert(n <= *cap && size > 0 && first > 0);
	if (n < *cap)
		return v;
	ncap = *cap ? *cap * 2 : first;
	if (ncap < *cap || ncap > SIZE_MAX / size)
		return NULL;
	if ((nv = realloc(v, ncap * size)) == NULL)
		return NULL;
	*cap = ncap;
	return nv;
}
