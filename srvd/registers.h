/*
 * registers.h — what the register.* methods share: which stage of
 * transfer register a role makes (a table), the names of who hands over
 * and who receives, and a period of days turned into times.
 *
 *   role                      makes stage            default
 *   userSta, userCnap         otg (to the hromada)   otg
 *   super_userSta/Cnap        otg or spszn           spszn (they check and
 *                                                    send straight on)
 *   upo_otg                   spszn (to the back office)
 *
 * The back office makes none; it sees the registers handed to it.
 */
#ifndef SRV_REGISTERS_H
#define SRV_REGISTERS_H

#include <stddef.h>
#include <stdint.h>

#include <msgpack.h>

#include "db/registers.h"
#include "srvd/method_table.h"

/* The stage the request asks for (`v` a str or NULL: the role's default);
 * HR_E_FORBIDDEN when the role may not make it, HR_E_INVALID for an
 * unknown name. */
int reg_stage(struct srv_req *rq, const msgpack_object *v, int *stage,
    struct hr_error *err);

/* Days `from`, `to` ("YYYY-MM-DD", inclusive; NULL: the last 31 days up
 * to today) as [*t0, *t1) in seconds, and as the register's period
 * strings (iso_from/iso_to, 11 bytes each). */
int reg_period(const msgpack_object *from, const msgpack_object *to,
    int64_t *t0, int64_t *t1, char *iso_from, char *iso_to,
    struct hr_error *err);

/* A register's head for the request's user and stage: office, hromada,
 * back office and their names (into the buffers). */
struct reg_names {
	char from[512], to[512], by[256];
};
int reg_head(struct srv_req *rq, int stage, struct db_register_new *r,
    struct reg_names *names, struct hr_error *err);

#endif
