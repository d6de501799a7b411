/*
 * tclient.h — blocking calls over the client library, for tests and benches.
 *
 * The client library hands a reply to a callback and the reply lives only
 * during that call.  A `struct tcall` keeps what a test wants to look at
 * afterwards: the error code and message and a private copy of the result
 * map.  Every wait is bounded by a timeout in milliseconds.
 */
#ifndef HR_TCLIENT_H
#define HR_TCLIENT_H

#include <stddef.h>
#include <stdint.h>

#include <msgpack.h>

#include "proto/client.h"
#include "proto/error.h"

struct tcall {
	int              done;      /* the callback ran */
	int              code;      /* HR_OK, the server's code, or a local one */
	char             msg[HR_ERROR_MSG_MAX];
	int              have_result;
	msgpack_sbuffer  copy;      /* the result, re-packed */
	msgpack_unpacked result;    /* decoded from `copy` (points into it) */
	int64_t          ms;        /* wall time of the call */
};

void tcall_init(struct tcall *t);
void tcall_free(struct tcall *t);      /* and ready for reuse */

/* The result map, or NULL when there was none. */
const msgpack_object *tcall_result(const struct tcall *t);

/* The reply callback that fills a struct tcall (ud). */
void tcall_reply(void *ud, const struct hr_msg *reply, const struct hr_error *err);

/*
 * Send what hr_client_begin/pack prepared and wait for the reply.  Returns
 * t->code (HR_OK on success); a local wait failure sets t->code too.
 */
int tcall_send_wait(struct hr_client *c, struct tcall *t, int timeout_ms);

/* Method with empty params. */
int tcall_empty(struct hr_client *c, const char *method, struct tcall *t,
    int timeout_ms);
int tcall_login(struct hr_client *c, const char *user, const char *password,
    struct tcall *t, int timeout_ms);

/* New client connected to addr with pk pinned (NULL: none); waits READY. */
struct hr_client *tclient_open(const char *addr, const uint8_t *pk,
    int timeout_ms, struct hr_error *err);

/* The same from local IPv4 address `from` (tsock_connect_from). */
struct hr_client *tclient_open_from(const char *addr, const char *from,
    const uint8_t *pk, int timeout_ms, struct hr_error *err);

/*
 * Run the client's I/O for at most timeout_ms or until it is CLOSED.
 * Returns 1 when closed, 0 when the time ran out.
 */
int tclient_pump(struct hr_client *c, int timeout_ms, struct hr_error *err);

/* The monotonic clock in milliseconds (with fractions): for deadlines and
 * latencies. */
double tclock_ms(void);

/* ---- looking into results ---- */

/* Value of `key` in a map, or NULL (also when `map` is not a map).  The
 * rules are proto/mpread.h's, as the client reads replies. */
const msgpack_object *tobj_get(const msgpack_object *map, const char *key);
int     tobj_is_str(const msgpack_object *o, const char *s);  /* equal? */
int     tobj_is_int(const msgpack_object *o);
int64_t tobj_int(const msgpack_object *o, int64_t dflt);
/* Copy a string value into out (truncated, NUL-terminated); "" if not one. */
const char *tobj_str(const msgpack_object *o, char *out, size_t cap);

#endif
