/*
 * revalidate.c — versions of cacheable results as hashes of their bytes
 * (see revalidate.h).  BLAKE2b-64, cut to 53 bits so that any client's
 * number type holds it exactly; a collision would only make one client
 * keep a stale copy until its next refresh, and 2^-53 is far below
 * anything else that can go wrong.
 */
#include "srvd/revalidate.h"

#include <string.h>

#include <sodium.h>

#include "proto/rpc.h"

#define VERSION_BITS 53

void
revalidate_init(struct revalidate *r)
{
	msgpack_sbuffer_init(&r->sb);
	msgpack_packer_init(&r->pk, &r->sb, msgpack_sbuffer_write);
	r->pairs = 0;
}

int64_t
revalidate_version(const void *p, size_t n)
{
	uint8_t h[8];
	uint64_t v = 0;

	crypto_generichash(h, sizeof h, p, n, NULL, 0);
	for (int i = 0; i < 8; i++)
		v = (v << 8) | h[i];
	v &= ((uint64_t)1 << VERSION_BITS) - 1;
	return v == 0 ? 1 : (int64_t)v;
}

int
revalidate_changed(struct revalidate *r, msgpack_packer *out, const char *key,
    int64_t known)
{
	int64_t v = revalidate_version(r->sb.data ? r->sb.data : "", r->sb.size);

	if (known == v) {
		msgpack_sbuffer_destroy(&r->sb);
		return 0;
	}
	hr_pack_str(out, key);
	(void)revalidate_finish(r, out, 0);
	return 1;
}

int64_t
revalidate_finish(struct revalidate *r, msgpack_packer *out, int64_t known)
{
	int64_t v = revalidate_version(r->sb.data ? r->sb.data : "", r->sb.size);

	if (known == v) {
		msgpack_pack_map(out, 2);
		hr_pack_kv_int(out, "etag", v);
		hr_pack_kv_bool(out, "unchanged", 1);
	} else {
		msgpack_pack_map(out, r->pairs + 1);
		hr_pack_kv_int(out, "etag", v);
		if (r->sb.size > 0)
			out->callback(out->data, r->sb.data, r->sb.size);
	}
	msgpack_sbuffer_destroy(&r->sb);
	return v;
}
