/*
 * client.h — the client library: one encrypted session with hromadad.
 *
 * Used by the terminal client, the tests and the load generator alike.  It
 * never blocks: the caller owns the event loop (poll, libev, ...), asks which
 * fd to watch and whether to wait for writability, and calls hr_client_io
 * when the fd is ready.  Requests are queued even before the channel is up
 * and sent once it is; each reply is delivered to its callback.
 *
 * Life: new -> connect -> (handshake) -> READY -> calls ... -> free.
 * On a dropped link every pending callback gets HR_E_DISCONNECTED, the state
 * becomes HR_CS_CLOSED, and the caller may connect again and `resume` with
 * the ticket that the last login/resume returned (hr_client_ticket).
 */
#ifndef HR_CLIENT_H
#define HR_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include <msgpack.h>

#include "proto/error.h"
#include "proto/handshake.h"
#include "proto/method_names.h"
#include "proto/rpc.h"

enum hr_client_state {
	HR_CS_IDLE,        /* not connected */
	HR_CS_CONNECTING,  /* TCP connect in progress */
	HR_CS_HANDSHAKE,   /* hello sent, waiting for the server's answer */
	HR_CS_READY,       /* channel up */
	HR_CS_CLOSED,      /* link dropped or closed; see hr_client_error */
};

struct hr_client;

/*
 * Reply callback: `reply` is the decoded response (valid only during the
 * call) or NULL when the request failed locally (err says why: disconnect,
 * timeout).  When reply->err_code != HR_OK, `err` carries code and message.
 */
typedef void hr_reply_fn(void *ud, const struct hr_msg *reply,
    const struct hr_error *err);   /* err is never NULL; HR_OK on success */

/* Notification callback (server-initiated message). */
typedef void hr_notify_fn(void *ud, const struct hr_msg *note);

struct hr_client *hr_client_new(void);
void              hr_client_free(struct hr_client *c);

/* Pin the server key (NULL: first contact, the handshake ends in a key offer). */
void hr_client_set_server_key(struct hr_client *c, const uint8_t *pk);
void hr_client_set_notify(struct hr_client *c, hr_notify_fn *fn, void *ud);

/*
 * Start a non-blocking connect to "host:port" ("[v6]:port" too).  Returns 0
 * (in progress) or -1 with err set (bad address, resolver failure).
 */
int  hr_client_connect(struct hr_client *c, const char *addr, struct hr_error *err);

/*
 * Use an already connected stream socket (a socketpair in tests, a pipe to
 * an ssh tunnel); the client takes ownership of `fd` and starts the
 * handshake.  0, or -1 with err set (fd closed).
 */
int  hr_client_attach_fd(struct hr_client *c, int fd, struct hr_error *err);

int  hr_client_fd(const struct hr_client *c);          /* -1 when none */
int  hr_client_wants_write(const struct hr_client *c);
enum hr_client_state hr_client_state(const struct hr_client *c);

/*
 * Do the I/O that is possible now.  Returns 0, or -1 when the connection
 * has just ended (state CLOSED; err and hr_client_error say why, e.g.
 * HR_E_KEY_UNKNOWN with the offered keys in hr_client_offered_keys).
 */
int  hr_client_io(struct hr_client *c, int readable, int writable, struct hr_error *err);

const struct hr_error *hr_client_error(const struct hr_client *c);

/*
 * The server's current key as it announced it inside this connection
 * (notification `server_key`: the key this connection used is in its
 * grace period after a rotation).  1 with pk set, 0 when none.  The
 * client that trusted the key it connected with may pin this one from
 * now on (known_hosts); a ticket got under the old key may go to it.
 */
int  hr_client_announced_key(const struct hr_client *c,
    uint8_t pk[HR_PUBKEY_LEN]);

/* After HR_E_KEY_UNKNOWN / HR_E_KEY_CHANGED: the keys the server offered. */
size_t hr_client_offered_keys(const struct hr_client *c,
    const uint8_t **keys /* HR_PUBKEY_LEN each, consecutive */);

/*
 * Build a request: begin returns a packer positioned for the params map
 * (pack exactly one map), then send queues it.  Returns the msgid.
 */
msgpack_packer *hr_client_begin(struct hr_client *c, const char *method);
/* 0 (no callback will come) when the request is too big or memory ran out. */
uint32_t        hr_client_send(struct hr_client *c, hr_reply_fn *fn, void *ud);
/*
 * Room for `len` bytes at the end of the request being built, for the
 * caller to fill in place right after packing their header (a bin's
 * msgpack_pack_bin): a scan's chunk is read from its file straight into
 * the request instead of into a buffer that the packer then copies.
 * NULL when memory ran out (the request is then not to be sent).
 */
uint8_t        *hr_client_reserve(struct hr_client *c, size_t len);

/*
 * Terminal key (proto/terminal.h): with one set, a login request packs
 * hr_client_terminal_fields() more params (0 or 2) with
 * hr_client_pack_terminal(c, pk) — `terminal` and `terminal_proof`.  The
 * proof is computed when the request is sealed, from the pinned server key
 * and this connection's handshake transcript.  name NULL forgets the key.
 */
void hr_client_set_terminal(struct hr_client *c, const char *name,
    const uint8_t sk[HR_PUBKEY_LEN]);
int  hr_client_terminal_fields(const struct hr_client *c);
void hr_client_pack_terminal(struct hr_client *c, msgpack_packer *pk);

/*
 * This connection's handshake transcript hash (PROTOCOL.md "Key
 * schedule"), for proofs bound to it; -1 when the channel is not up.
 */
int  hr_client_transcript(const struct hr_client *c, uint8_t out[32]);

/*
 * Forget request `msgid`: its callback will not run.  A request still
 * waiting for the channel is never sent; one already sent gets its
 * response dropped on arrival (PROTOCOL.md "Client": a response to no
 * outstanding request is ignored).  For prefetches the user no longer
 * needs.  1 when it was pending, 0 when not (answered, failed, unknown).
 */
int  hr_client_cancel(struct hr_client *c, uint32_t msgid);

/* Requests sent or queued whose reply has not come yet. */
size_t hr_client_pending(const struct hr_client *c);

/* Close the connection (pending callbacks get HR_E_DISCONNECTED). */
void hr_client_close(struct hr_client *c);

/*
 * The ticket from the last successful login/resume reply (the library
 * keeps it, proto/ticket.h), or NULL when there is none -- or when the
 * server key pinned now is not the one the ticket came under: a ticket is
 * never used with a key pinned after it (hr_client_set_server_key).
 */
const uint8_t *hr_client_ticket(const struct hr_client *c);

/*
 * Give the client a ticket obtained under `server_pk` (another client's,
 * in a load generator or a test; NULL: the key pinned now).  A NULL
 * ticket forgets it.
 */
void hr_client_set_ticket(struct hr_client *c,
    const uint8_t ticket[HR_TICKET_LEN], const uint8_t server_pk[HR_PUBKEY_LEN]);

/*
 * A resume request packs hr_client_resume_fields() params (2, or 0 when
 * there is no ticket usable with the pinned key) with
 * hr_client_pack_resume: `ticket_id` and `binder`, computed when the
 * request is sealed from the ticket and this connection's handshake
 * transcript.  -1 (nothing packed) without a usable ticket.
 */
int  hr_client_resume_fields(const struct hr_client *c);
int  hr_client_pack_resume(struct hr_client *c, msgpack_packer *pk);

/* Bytes and frames sent and received since hr_client_new (for benchmarks). */
struct hr_client_stats {
	uint64_t bytes_out, bytes_in, frames_out, frames_in;
};
void hr_client_stats(const struct hr_client *c, struct hr_client_stats *st);

/*
 * Frame by frame, for benchmarks, tests and the client's trace file
 * (hromada(1) HROMADA_TRACE): fn is told each frame as it is sealed into
 * the output (out 1) or handled from the input (out 0), with its bytes on
 * the wire (header and tag included), the request's msgid (0 for the
 * handshake and notifications) and what it is: the request's method (a
 * response is named by its request's), "(handshake)", "(notification)",
 * or "(dropped)" for a response to a request no longer pending
 * (hr_client_cancel).  Nothing of a frame's content is told.  NULL stops.
 */
#define HR_TRACE_METHOD_MAX 31
typedef void hr_trace_fn(void *ud, int out, uint32_t msgid, const char *what,
    size_t bytes);
void hr_client_set_trace(struct hr_client *c, hr_trace_fn *fn, void *ud);

/*
 * Blocking convenience for tests and tools: run the I/O until the reply to
 * `msgid` has been delivered or `timeout_ms` passes.  0, or -1 with err.
 */
int  hr_client_wait(struct hr_client *c, uint32_t msgid, int timeout_ms,
    struct hr_error *err);

/* Blocking: run until READY (or failure) within timeout_ms. */
int  hr_client_wait_ready(struct hr_client *c, int timeout_ms, struct hr_error *err);

#endif
