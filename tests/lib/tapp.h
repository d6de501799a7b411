/*
 * tapp.h — applications that nobody has yet, for load and crash tests.
 *
 * application.save refuses a person already in the base and a second open
 * application of a person, so a test that creates many needs applicants
 * nobody else has: each one's РНОКПП walks (birth day, serial, sex) from
 * 01.01.1925 on.  The demo's oldest persons are born after 1937
 * (ctl/cmd_demo.c, ages 19..88 on 01.11.2026), gen_big's after that too,
 * so no generated number collides with theirs.  Where the walk starts is
 * the caller's (tapp_walk_start): from the clock, runs on one database do
 * not meet either (4096 numbers a second, round in ~3 h).
 */
#ifndef HR_TAPP_H
#define HR_TAPP_H

#include <stdint.h>

#include <msgpack.h>

#include "proto/ident.h"

struct tapp_person {
	char rnokpp[HR_RNOKPP_LEN + 1];
	char birth[16];            /* YYYY-MM-DD */
	int  male;
};

/* Start the walk at `seed` (e.g. time(NULL) * 4096). */
void tapp_walk_start(uint64_t seed);

/* The next applicant of the walk. */
void tapp_next(struct tapp_person *p);

/*
 * The params of application.save creating a housing subsidy for p, with
 * `surname` (tests find their applications by it); no scans (the package
 * is partial until some are attached).
 */
void tapp_pack_save(msgpack_packer *pk, const struct tapp_person *p,
    const char *surname);

#endif
