/*
 * buf.h — a growable byte buffer with a hard limit, and hr_grow for the
 * growable arrays everywhere else.
 *
 * Connections keep their input and output in these.  The limit is what makes
 * backpressure possible: appending past it fails instead of growing without
 * bound, and the caller decides (stop reading, drop the peer).
 * The buffer owns `data`; hr_buf_free releases it.
 */
#ifndef HR_BUF_H
#define HR_BUF_H

#include <stddef.h>
#include <stdint.h>

struct hr_buf {
	uint8_t *data;
	size_t   off;    /* first unconsumed byte */
	size_t   len;    /* bytes in use, counted from data (so unconsumed = len - off) */
	size_t   cap;
	size_t   limit;  /* hard maximum of unconsumed bytes */
};

void    hr_buf_init(struct hr_buf *b, size_t limit);
void    hr_buf_free(struct hr_buf *b);

/*
 * Unconsumed bytes and where they start.  An empty, never-grown buffer has
 * no storage: its head is NULL (NULL + 0 is undefined behaviour in C).
 */
static inline size_t   hr_buf_used(const struct hr_buf *b) { return b->len - b->off; }
static inline uint8_t *hr_buf_head(const struct hr_buf *b)
{
	return b->data != NULL ? b->data + b->off : NULL;
}

/*
 * Make room for n more bytes and return where they go (commit them with
 * hr_buf_commit).  NULL when that would pass the limit or memory runs out.
 */
uint8_t *hr_buf_reserve(struct hr_buf *b, size_t n);
void     hr_buf_commit(struct hr_buf *b, size_t n);

/* Append n bytes; -1 when over the limit or out of memory. */
int      hr_buf_append(struct hr_buf *b, const void *p, size_t n);

/* Drop n bytes from the head; compacts lazily. */
void     hr_buf_consume(struct hr_buf *b, size_t n);

/*
 * Room for one more element in a growable array `v` of `size`-byte
 * elements that holds n and has room for *cap: `v` itself while there is
 * room, else the array moved to twice the room (`first` elements at the
 * first growth) and *cap updated; NULL when memory runs out (then v and
 * *cap are unchanged: the caller still owns v).  Usage:
 *
 *	if ((v = hr_grow(s->v, &s->cap, s->n, sizeof *v, 16)) == NULL)
 *		return -1;
 *	s->v = v;
 */
void    *hr_grow(void *v, size_t *cap, size_t n, size_t size, size_t first);

#endif
