/*
 * ticket.h — session tickets and the binder that ties a resume to its
 * handshake.
 *
 * A ticket is the 32-byte seed of an Ed25519 key pair, which the server
 * makes at login (and at every resume) and gives the client once.  The
 * server keeps only the public key, the ticket's *id*.  The ticket itself
 * never travels again: to resume, the client sends the id and a *binder*
 *
 *   binder = Ed25519-sign(key of the ticket, "hromada resume binder" || h)
 *
 * with h the transcript hash of the connection it resumes on
 * (hr_channel.transcript) -- as TLS 1.3's PSK binder binds a resumption
 * to its handshake.  So a resume read by anyone (a server impersonated
 * with a stolen key, a proxy) cannot be replayed on another connection,
 * and the server's database holds nothing that makes a binder: a stolen
 * copy of it resumes no session.  (TLS uses an HMAC, whose key the server
 * would have to keep; a signature needs only the public half.)
 * PROTOCOL.md "resume".
 */
#ifndef HR_TICKET_H
#define HR_TICKET_H

#include <stdint.h>

#include "proto/method_names.h"   /* HR_TICKET_LEN */

#define HR_TICKET_ID_LEN     32u
#define HR_TICKET_BINDER_LEN 64u

/* A new ticket and its id (the server, at login and resume). */
void hr_ticket_new(uint8_t ticket[HR_TICKET_LEN],
    uint8_t id[HR_TICKET_ID_LEN]);

/* The id of a ticket (the client sends it with the binder). */
void hr_ticket_id(const uint8_t ticket[HR_TICKET_LEN],
    uint8_t id[HR_TICKET_ID_LEN]);

/* The binder of `ticket` for the connection whose transcript hash is h. */
void hr_ticket_binder(const uint8_t ticket[HR_TICKET_LEN],
    const uint8_t transcript[32], uint8_t binder[HR_TICKET_BINDER_LEN]);

/* Does `binder` come from the ticket of `id`, for this transcript?  1/0. */
int  hr_ticket_binder_ok(const uint8_t id[HR_TICKET_ID_LEN],
    const uint8_t transcript[32], const uint8_t binder[HR_TICKET_BINDER_LEN]);

#endif
