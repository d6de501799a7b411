/*
 * loop.h — the server's life around its event loop: building struct srv
 * (server.h), listening, accepting (the admission by limits.h), the
 * connection table's hooks, signals, the housekeeping timers, the
 * shutdown sequence.  main.c is its one user; it is the one part of the
 * server that calls all the others.
 */
#ifndef SRV_LOOP_H
#define SRV_LOOP_H

#include <ev.h>

#include "proto/error.h"

struct hr_db;
struct srv;
struct srv_config;

/* The connection table (its hooks installed), the spare descriptor, the
 * limits; the rest zeroed. */
int  loop_init(struct srv *srv, struct ev_loop *loop,
    const struct srv_config *cfg, struct hr_error *err);

/* Bind every address of cfg->listen; -1 with err naming the address. */
int  loop_listen(struct srv *srv, struct hr_error *err);

/*
 * Watchers for signals and housekeeping, print "hromadad: listening on
 * ADDR" per listener on stderr (tests wait for it), then run the loop
 * until the shutdown is complete.
 */
void loop_run(struct srv *srv);

/* SIGTERM: stop accepting, tell clients, finish in-flight work, break. */
void loop_shutdown(struct srv *srv, const char *why);

/* Close listeners, free every connection (after ev_run returned). */
void loop_free(struct srv *srv);

/*
 * Log the audit log's head ("audit head ID:HASH"): an anchor outside the
 * database, so that records cut from the end of the log are found
 * (hromadactl audit verify --head).  At start, every SRV_AUDIT_ANCHOR
 * seconds and at the end (`when` says which).
 */
void loop_log_audit_head(struct hr_db *db, const char *when);

#endif
