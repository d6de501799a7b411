/*
 * keyring.c — reloading, withdrawing and announcing the server's keys,
 * and checking the proofs made with them (see keyring.h).
 */
#include "srvd/keyring.h"

#include <string.h>

#include <msgpack.h>
#include <sodium.h>

#include "db/keypairs.h"
#include "proto/method_names.h"
#include "proto/rpc.h"
#include "proto/terminal.h"
#include "srvd/conn.h"
#include "srvd/log.h"
#include "srvd/server.h"

/* The key pair in use with this public key, or NULL. */
static const struct hr_keypair *
keyring_find(const struct srv *srv, const uint8_t pk[HR_PUBKEY_LEN])
{
	for (size_t i = 0; i < srv->keys.count; i++)
		if (memcmp(srv->keys.keys[i].pk, pk, HR_PUBKEY_LEN) == 0)
			return &srv->keys.keys[i];
	return NULL;
}

/* `server_key` {key}: the current key, to a client that used another. */
static void
keyring_announce(struct conn *c)
{
	const uint8_t  *key = c->srv->keys.keys[0].pk;
	struct conn_note n;
	msgpack_packer *pk = conn_note_begin(&n, HR_N_SERVER_KEY);

	msgpack_pack_map(pk, 1);
	hr_pack_str(pk, "key");
	msgpack_pack_bin(pk, HR_PUBKEY_LEN);
	msgpack_pack_bin_body(pk, key, HR_PUBKEY_LEN);
	(void)conn_note_send(c, &n);
	log_debug("conn %llu: told the current server key", (unsigned long long)
	    c->id);
}

void
keyring_conn_ready(struct conn *c, const uint8_t *hello, size_t len)
{
	int i = hr_hs_server_key_index(&c->srv->keys, hello, len);

	if (i < 0)
		return;
	memcpy(c->hs_pk, c->srv->keys.keys[i].pk, HR_PUBKEY_LEN);
	c->have_hs_pk = 1;
	if (i != 0)
		keyring_announce(c);
}

int
keyring_terminal_proof_ok(const struct conn *c,
    const uint8_t t_pk[HR_PUBKEY_LEN], const uint8_t *proof)
{
	const struct hr_keypair *s;
	uint8_t want[HR_TERMINAL_PROOF_LEN];
	int ok;

	if (!c->have_hs_pk || (s = keyring_find(c->srv, c->hs_pk)) == NULL)
		return 0;
	ok = hr_terminal_proof(s->sk, t_pk, c->ch.server_eph_sk, t_pk,
	    c->ch.transcript, want) == 0 &&
	    sodium_memcmp(want, proof, HR_TERMINAL_PROOF_LEN) == 0;
	sodium_memzero(want, sizeof want);
	return ok;
}

/* Log what changed between the keys in use and the fresh ones. */
static void
keyring_log_changes(const struct hr_server_keys *old,
    const struct hr_server_keys *fresh, const char *why)
{
	char fp[HR_FINGERPRINT_LEN];

	for (size_t i = 0; i < old->count; i++) {
		size_t j;

		for (j = 0; j < fresh->count; j++)
			if (memcmp(old->keys[i].pk, fresh->keys[j].pk,
			    HR_PUBKEY_LEN) == 0)
				break;
		if (j == fresh->count) {
			hr_key_fingerprint(old->keys[i].pk, fp);
			srv_log_always("server key %s withdrawn (%s): past its "
			    "grace period, or revoked; its connections close",
			    fp, why);
		}
	}
	if (memcmp(old->keys[0].pk, fresh->keys[0].pk, HR_PUBKEY_LEN) != 0) {
		hr_key_fingerprint(fresh->keys[0].pk, fp);
		srv_log_always("server key %s is now current (%s, %zu in grace)",
		    fp, why, fresh->count - 1);
	}
}

void
keyring_reload(struct srv *srv, const char *why)
{
	struct hr_server_keys fresh;
	struct conn *c, *next;
	struct hr_error err;
	size_t dropped = 0;
	int new_current;

	hr_error_clear(&err);
	if (db_keys_load(srv->reader, srv->key_file, db_now(), &fresh,
	    &err) < 0) {
		/* Once, not every KEYRING_RELOAD seconds: a key file the
		 * server's user cannot read (a demo started as root) stays
		 * so, and a warning a minute buried the log.  A reload asked
		 * for (SIGHUP) always answers. */
		if (!srv->key_reload_failing || strcmp(why, "timer") != 0)
			log_warning("server keys not reloaded (%s): %s; the "
			    "keys in use stay%s", why, err.msg,
			    strcmp(why, "timer") == 0 ? " (said once; "
			    "reloads go on every minute)" : "");
		srv->key_reload_failing = 1;
		return;
	}
	if (srv->key_reload_failing)
		srv_log_always("server keys read again (%s)", why);
	srv->key_reload_failing = 0;
	new_current = memcmp(fresh.keys[0].pk, srv->keys.keys[0].pk,
	    HR_PUBKEY_LEN) != 0;
	keyring_log_changes(&srv->keys, &fresh, why);
	sodium_memzero(&srv->keys, sizeof srv->keys);
	srv->keys = fresh;
	sodium_memzero(&fresh, sizeof fresh);
	for (c = srv->conns.live; c != NULL; c = next) {
		next = c->next;
		if (!c->have_hs_pk)
			continue;
		if (keyring_find(srv, c->hs_pk) == NULL)
			conn_fail(c, "the server key of its handshake was "
			    "withdrawn (past its grace period, or revoked)");
		else if (new_current && c->state == CONN_READY &&
		    memcmp(c->hs_pk, srv->keys.keys[0].pk, HR_PUBKEY_LEN) != 0)
			keyring_announce(c);
	}
	/* Secrets of keys no longer usable: out of the key file too. */
	if (db_keys_prune(srv->reader, srv->key_file, db_now(), &dropped,
	    &err) < 0)
		log_warning("retired server keys not wiped from %s: %s",
		    srv->key_file, err.msg);
	else if (dropped > 0)
		srv_log_always("wiped %zu retired server key secret%s from %s",
		    dropped, dropped == 1 ? "" : "s", srv->key_file);
}

static void
keyring_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	keyring_reload(w->data, "timer");
}

void
keyring_start(struct srv *srv)
{
	ev_timer_init(&srv->key_reload, keyring_timer_cb, KEYRING_RELOAD,
	    KEYRING_RELOAD);
	srv->key_reload.data = srv;
	ev_timer_start(srv->loop, &srv->key_reload);
}

void
keyring_stop(struct srv *srv)
{
	ev_timer_stop(srv->loop, &srv->key_reload);
}
