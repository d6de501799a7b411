/*
 * application_changes.h — what an application.save changed, field by field, for
 * the application's history (db_app_note_changes, PROTOCOL.md
 * application.get `history[].changes`).
 *
 * Every edit records the fields whose value differs, old -> new, under a
 * path that names them as the protocol does ("service", "payment.iban",
 * "applicant.reg_address", "family[2].birth_date", "income[1]"; the
 * document types, "documents", are noted by an attach or detach
 * (db/attachments.c)); identifiers (РНОКПП, УНЗР, document number, IBAN) are
 * masked to their last four characters, as the audit log keeps them.
 * A creation records what it corrected in the base of recipients.
 */
#ifndef SRV_APP_CHANGES_H
#define SRV_APP_CHANGES_H

#include <stddef.h>

#include "db/applications.h"
#include "srvd/intake.h"

struct app_changes {
	struct db_change *v;        /* strings owned */
	size_t            n, cap;
	int               oom;
};

void app_changes_init(struct app_changes *c);
void app_changes_free(struct app_changes *c);

/*
 * The changes of an update: the application before it (`old`, its
 * persons in s->old, its income read here) against the
 * save `s` with its persons resolved.
 */
int  app_changes_update(struct hr_db *db, const struct db_app *old,
    const struct intake_save *s, struct app_changes *c, struct hr_error *err);

/* The changes of a creation: each person taken from the base against
 * what the form made of them. */
int  app_changes_create(const struct intake_save *s, struct app_changes *c,
    struct hr_error *err);

#endif
