/*
 * tdat.h — the tests' decision system: its answer (*.DAT, proto/dat.h,
 * hromada-dat(5)) to an export, as tests/integration/test_dat and
 * tests/ctl/test_dat_ctl import it; and the calls that move the files
 * (dat.export, dat.import) for the integration tests.
 */
#ifndef HR_TDAT_H
#define HR_TDAT_H

#include <stddef.h>
#include <stdint.h>

#include "proto/dat.h"
#include "proto/error.h"
#include "tests/lib/tclient.h"

/* What an export carried: its back office and applications (ids and
 * registration numbers, in the file's order). */
struct tdat_export {
	const char    *office;
	const int64_t *ids;
	const char   (*reg)[24];
	size_t         n;
};

/* What the even records of an answer assign. */
struct tdat_assign {
	int64_t     amount;          /* kopecks of record 0; record i: + i */
	const char *from, *to;       /* the period, YYYY-MM-DD */
};

#define TDAT_REFUSAL "дохід перевищує межу"

/*
 * The answer to `ex`: record i assigned (as `as` says) when i is even,
 * refused for TDAT_REFUSAL when odd, then the nextra records of `extra`
 * (at most 16).  The file's bytes, malloc'd, their count in *len; NULL with
 * err set when it cannot be written.
 */
uint8_t *tdat_answer(const struct tdat_export *ex,
    const struct tdat_assign *as, const struct hr_dat_answer *extra,
    size_t nextra, size_t *len, struct hr_error *err);

/*
 * dat.export {system} as c's user; the reply in t (tcall_init'ed by the
 * caller), waiting at most ms.  Returns what tcall_send_wait does.
 */
int tdat_call_export(struct hr_client *c, const char *system,
    struct tcall *t, int ms);

/* dat.import of a file's bytes, named asopd_answer.DAT; as above. */
int tdat_call_import(struct hr_client *c, const void *data, size_t len,
    struct tcall *t, int ms);

/* dat.import of the file `d` describes; -1 with err when it cannot be
 * written (nothing is sent), else as above. */
int tdat_import_dat(struct hr_client *c, const struct hr_dat *d,
    struct tcall *t, int ms, struct hr_error *err);

#endif
