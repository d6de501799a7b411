/*
 * mpscan.c — bounded pre-scan of untrusted msgpack (see mpscan.h).
 *
 * msgpack-c trusts declared sizes: it allocates for an array's count before
 * it reads any element.  This walker reads the same grammar without
 * allocating and refuses any declared size the remaining input cannot back:
 * a str/bin/ext payload longer than what is left, an array with more
 * elements than bytes left (each element takes at least one byte), a map
 * with more than half as many pairs.  Every object consumes at least one
 * byte, so the walk is O(len); recursion is bounded by the depth cap.
 *
 * The grammar is one table indexed by the first byte, the way the msgpack
 * spec lays it out.
 */
#include "proto/mpscan.h"

/* Hard ceiling on nesting whatever the caller asks: bounds the C stack. */
#define MPSCAN_DEPTH_CEILING 64

enum mp_kind {
	MP_BAD,      /* 0xc1: never used */
	MP_FIXED,    /* `arg` bytes of payload after the type byte */
	MP_FIXSTR,   /* length in the low 5 bits */
	MP_FIXARR,   /* count in the low 4 bits */
	MP_FIXMAP,
	MP_STR,      /* `arg`-byte big-endian length, then payload (str, bin) */
	MP_EXT,      /* `arg`-byte length, then 1 type byte, then payload */
	MP_ARR,      /* `arg`-byte count */
	MP_MAP,
};

struct mp_rule {
	unsigned char kind, arg;
};

/* First bytes 0xc0..0xdf; the fix ranges are handled by range in mp_rule_of. */
static const struct mp_rule mp_rules_c0[32] = {
	[0x00] = { MP_FIXED, 0 },  /* nil */
	[0x01] = { MP_BAD, 0 },    /* reserved */
	[0x02] = { MP_FIXED, 0 },  /* false */
	[0x03] = { MP_FIXED, 0 },  /* true */
	[0x04] = { MP_STR, 1 },    /* bin 8 */
	[0x05] = { MP_STR, 2 },    /* bin 16 */
	[0x06] = { MP_STR, 4 },    /* bin 32 */
	[0x07] = { MP_EXT, 1 },    /* ext 8 */
	[0x08] = { MP_EXT, 2 },    /* ext 16 */
	[0x09] = { MP_EXT, 4 },    /* ext 32 */
	[0x0a] = { MP_FIXED, 4 },  /* float 32 */
	[0x0b] = { MP_FIXED, 8 },  /* float 64 */
	[0x0c] = { MP_FIXED, 1 },  /* uint 8 */
	[0x0d] = { MP_FIXED, 2 },
	[0x0e] = { MP_FIXED, 4 },
	[0x0f] = { MP_FIXED, 8 },
	[0x10] = { MP_FIXED, 1 },  /* int 8 */
	[0x11] = { MP_FIXED, 2 },
	[0x12] = { MP_FIXED, 4 },
	[0x13] = { MP_FIXED, 8 },
	[0x14] = { MP_FIXED, 2 },  /* fixext 1: type + 1 */
	[0x15] = { MP_FIXED, 3 },
	[0x16] = { MP_FIXED, 5 },
	[0x17] = { MP_FIXED, 9 },
	[0x18] = { MP_FIXED, 17 }, /* fixext 16 */
	[0x19] = { MP_STR, 1 },    /* str 8 */
	[0x1a] = { MP_STR, 2 },
	[0x1b] = { MP_STR, 4 },
	[0x1c] = { MP_ARR, 2 },    /* array 16 */
	[0x1d] = { MP_ARR, 4 },
	[0x1e] = { MP_MAP, 2 },    /* map 16 */
	[0x1f] = { MP_MAP, 4 },
};

static struct mp_rule
mp_rule_of(uint8_t b)
{
	if (b <= 0x7f || b >= 0xe0)
		return (struct mp_rule){ MP_FIXED, 0 };    /* fixints */
	if (b <= 0x8f)
		return (struct mp_rule){ MP_FIXMAP, 0 };
	if (b <= 0x9f)
		return (struct mp_rule){ MP_FIXARR, 0 };
	if (b <= 0xbf)
		return (struct mp_rule){ MP_FIXSTR, 0 };
	return mp_rules_c0[b - 0xc0];
}

struct mp_scan {
	const uint8_t   *p;
	size_t           len, pos;
	int              max_depth;
	struct hr_error *err;
};

/* Read an n-byte big-endian size at pos (n is 1, 2 or 4). */
static int
mp_read_size(struct mp_scan *s, unsigned n, uint64_t *v)
{
	if (s->len - s->pos < n)
		return hr_error_set(s->err, HR_E_PROTOCOL,
		    "msgpack truncated at byte %zu", s->pos);
	*v = 0;
	while (n-- > 0)
		*v = *v << 8 | s->p[s->pos++];
	return 0;
}

/* Skip n payload bytes, which must all be there. */
static int
mp_skip(struct mp_scan *s, uint64_t n)
{
	if (n > s->len - s->pos)
		return hr_error_set(s->err, HR_E_PROTOCOL,
		    "msgpack declares %llu bytes at byte %zu but only %zu remain",
		    (unsigned long long)n, s->pos, s->len - s->pos);
	s->pos += (size_t)n;
	return 0;
}

static int mp_scan_object(struct mp_scan *s, int depth);

/*
 * A container of `items` objects at nesting level `depth` (1 for the
 * outermost); a map of n pairs comes here as 2n items.  Each item takes at
 * least one byte, so more items than bytes left is a lie.  The count check comes before any element is read, which is
 * the whole point: this is where the 5-byte `dd ff ff ff ff` bomb stops.
 */
static int
mp_scan_items(struct mp_scan *s, uint64_t items, int depth)
{
	if (depth > s->max_depth)
		return hr_error_set(s->err, HR_E_PROTOCOL,
		    "msgpack nested deeper than %d levels", s->max_depth);
	if (items > s->len - s->pos)
		return hr_error_set(s->err, HR_E_PROTOCOL,
		    "msgpack declares %llu elements at byte %zu but only %zu "
		    "bytes remain", (unsigned long long)items, s->pos,
		    s->len - s->pos);
	for (uint64_t i = 0; i < items; i++)
		if (mp_scan_object(s, depth) == -1)
			return -1;
	return 0;
}

/* One object starting at s->pos, inside `depth` containers. */
static int
mp_scan_object(struct mp_scan *s, int depth)
{
	struct mp_rule r;
	uint64_t       n;
	uint8_t        b;

	if (s->pos >= s->len)
		return hr_error_set(s->err, HR_E_PROTOCOL,
		    "msgpack truncated at byte %zu", s->pos);
	b = s->p[s->pos++];
	r = mp_rule_of(b);
	switch (r.kind) {
	case MP_FIXED:
		return mp_skip(s, r.arg);
	case MP_FIXSTR:
		return mp_skip(s, b & 0x1f);
	case MP_FIXARR:
		return mp_scan_items(s, b & 0x0f, depth + 1);
	case MP_FIXMAP:
		return mp_scan_items(s, 2u * (b & 0x0f), depth + 1);
	case MP_STR:
		return mp_read_size(s, r.arg, &n) == -1 ? -1 : mp_skip(s, n);
	case MP_EXT:
		if (mp_read_size(s, r.arg, &n) == -1)
			return -1;
		return mp_skip(s, n + 1);    /* type byte + payload */
	case MP_ARR:
		if (mp_read_size(s, r.arg, &n) == -1)
			return -1;
		return mp_scan_items(s, n, depth + 1);
	case MP_MAP:
		if (mp_read_size(s, r.arg, &n) == -1)
			return -1;
		/* n pairs need 2n bytes; n <= 2^32 so 2n cannot overflow */
		return mp_scan_items(s, 2 * n, depth + 1);
	default:
		return hr_error_set(s->err, HR_E_PROTOCOL,
		    "msgpack reserved byte 0x%02x at byte %zu", b, s->pos - 1);
	}
}

int
hr_mpscan(const uint8_t *p, size_t len, int max_depth, struct hr_error *err)
{
	struct mp_scan s = { p, len, 0, max_depth, err };

	if (s.max_depth > MPSCAN_DEPTH_CEILING)
		s.max_depth = MPSCAN_DEPTH_CEILING;
	if (s.max_depth < 0)
		s.max_depth = 0;
	if (mp_scan_object(&s, 0) == -1)
		return -1;
	if (s.pos != len)
		return hr_error_set(err, HR_E_PROTOCOL,
		    "%zu trailing bytes after the msgpack object", len - s.pos);
	return 0;
}
