/*
 * dat_import.h — one decision system's answer file imported whole, in the
 * caller's transaction: what hromadad's dat.import and `hromadactl dat
 * import` both run.
 *
 * All or nothing, in this order: the file parses (proto/dat.h: the error
 * names line and field); it is an answer for this back office from a known
 * system; its (system, number) was never imported before (openIMIS: every
 * exchange file is numbered and one already seen is refused, naming when
 * and by whom); every record names an application of this back office, of
 * that system, with the same journal number, in status `exported`, once.
 * Any bad record refuses the whole file with the bad lines listed; an
 * application the back office does not see is worded, byte for byte, like
 * one that does not exist.  Then: the file is stored, each decision
 * recorded, each application answered with a history row and an audit
 * record (and `answered` told).
 */
#ifndef HR_DB_DAT_IMPORT_H
#define HR_DB_DAT_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "db/dat.h"

/* A record that cannot be applied, kept for a dry run's preview. */
struct db_dat_import_bad {
	unsigned        line;
	struct hr_error why;
};
#define DB_DAT_PREVIEW_BAD_MAX 50

struct db_dat_import {
	/* the file and the back office (the caller's) */
	const char          *name;       /* as the user gave it */
	const uint8_t       *data;
	size_t               len;
	int64_t              spszn_id;
	const char          *office;     /* its code in files */
	int                  dry_run;    /* check everything, change nothing */
	/* what was read and done (db_dat_import_free) */
	struct hr_dat        dat;
	int64_t             *versions;   /* per answer, from the check */
	int64_t              file_id;
	uint32_t             imported;
	/* set when the FILE was refused (not a failure of the system): a
	 * "dat.import_refused" record went through who->audit, and the
	 * caller keeps it when it rolls the rest back */
	int                  refused;
	/* dry run: decisions by kind (enum hr_decision), the records that
	 * cannot be applied (all counted, the first DB_DAT_PREVIEW_BAD_MAX
	 * kept) */
	size_t               kinds[HR_DEC__END];
	struct db_dat_import_bad *bad;
	size_t               nbad, nbad_kept;
};

/*
 * Import in the name of `who`.  0, or -1 with err saying why the file was
 * refused (or what failed); then the caller rolls back, but for a refusal
 * (x->refused) keeps the audit record of it: who, which file, why.  Each
 * kind of refusal has its own error id and code: a damaged file (the
 * parser's), not an answer, another back office's, an unknown system, a
 * file imported before (HR_E_DUPLICATE), a record whose application is
 * not there or not the back office's (HR_E_NOT_FOUND), the same
 * application twice (HR_E_DUPLICATE), another number or system
 * (HR_E_INVALID), not exported (HR_E_STATE).
 * A dry run (x->dry_run) writes nothing: 0 with the counts and the bad
 * records, or -1 when the file as a whole is refused (header, parse);
 * it leaves no audit record.
 */
int  db_dat_import_run(struct hr_db *db, const struct db_dat_actor *who,
    struct db_dat_import *x, struct hr_error *err);
void db_dat_import_free(struct db_dat_import *x);

#endif
