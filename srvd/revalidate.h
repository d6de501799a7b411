/*
 * revalidate.h — "has it changed since the copy I hold?" for results a
 * client caches: reference data, the front offices of its scope, a
 * journal page (PROTOCOL.md "Revalidation").
 *
 * A handler packs the result's key/value pairs into a struct revalidate
 * instead of the reply, counting them, then calls revalidate_finish: the
 * version is a hash of those bytes, so it changes exactly when the result
 * would.  When the client's version (`known`, from its params) is the
 * same, the reply is {etag: version, unchanged: true} and nothing else;
 * else the whole result with `etag` as one more pair.  The server
 * keeps no state: the version is computed from what would be sent.
 */
#ifndef SRV_REVALIDATE_H
#define SRV_REVALIDATE_H

#include <stdint.h>

#include <msgpack.h>

struct revalidate {
	msgpack_sbuffer sb;
	msgpack_packer  pk;      /* pack the result's pairs here */
	uint32_t        pairs;   /* ... and count them here */
};

void    revalidate_init(struct revalidate *r);

/*
 * Pack the reply map into `out` and free r's buffer.  `known` is the
 * client's etag param, 0 when it has none.  Returns the etag (53 bits,
 * > 0).
 */
int64_t revalidate_finish(struct revalidate *r, msgpack_packer *out,
    int64_t known);

/*
 * For a result that rides inside another reply (login, PROTOCOL.md
 * "login"): when `known` is current nothing is packed and 0 returned (the
 * client's copy stands, at no cost); else the pair `key`: the whole
 * result map with its `etag` is packed into `out` and 1 returned.  r's
 * buffer is freed either way.
 */
int     revalidate_changed(struct revalidate *r, msgpack_packer *out,
    const char *key, int64_t known);

/* The version of n bytes (53 bits, never 0): for tests. */
int64_t revalidate_version(const void *p, size_t n);

#endif
