/*
 * ticket.c — session tickets as Ed25519 seeds, and resume binders (see
 * ticket.h).
 */
#include "proto/ticket.h"

#include <string.h>

#include <sodium.h>

#define TICKET_LABEL "hromada resume binder"

_Static_assert(HR_TICKET_LEN == crypto_sign_SEEDBYTES,
    "a ticket is an Ed25519 seed");
_Static_assert(HR_TICKET_ID_LEN == crypto_sign_PUBLICKEYBYTES,
    "a ticket id is an Ed25519 public key");
_Static_assert(HR_TICKET_BINDER_LEN == crypto_sign_BYTES,
    "a binder is an Ed25519 signature");

void
hr_ticket_new(uint8_t ticket[HR_TICKET_LEN], uint8_t id[HR_TICKET_ID_LEN])
{
	randombytes_buf(ticket, HR_TICKET_LEN);
	hr_ticket_id(ticket, id);
}

void
hr_ticket_id(const uint8_t ticket[HR_TICKET_LEN], uint8_t id[HR_TICKET_ID_LEN])
{
	uint8_t sk[crypto_sign_SECRETKEYBYTES];

	crypto_sign_seed_keypair(id, sk, ticket);
	sodium_memzero(sk, sizeof sk);
}

/* "hromada resume binder" || h: what a binder signs. */
static void
ticket_message(const uint8_t transcript[32],
    uint8_t msg[sizeof TICKET_LABEL - 1 + 32])
{
	memcpy(msg, TICKET_LABEL, sizeof TICKET_LABEL - 1);
	memcpy(msg + sizeof TICKET_LABEL - 1, transcript, 32);
}

void
hr_ticket_binder(const uint8_t ticket[HR_TICKET_LEN],
    const uint8_t transcript[32], uint8_t binder[HR_TICKET_BINDER_LEN])
{
	uint8_t pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
	uint8_t msg[sizeof TICKET_LABEL - 1 + 32];

	crypto_sign_seed_keypair(pk, sk, ticket);
	ticket_message(transcript, msg);
	crypto_sign_detached(binder, NULL, msg, sizeof msg, sk);
	sodium_memzero(sk, sizeof sk);
}

int
hr_ticket_binder_ok(const uint8_t id[HR_TICKET_ID_LEN],
    const uint8_t transcript[32], const uint8_t binder[HR_TICKET_BINDER_LEN])
{
	uint8_t msg[sizeof TICKET_LABEL - 1 + 32];

	ticket_message(transcript, msg);
	return crypto_sign_verify_detached(binder, msg, sizeof msg, id) == 0;
}
