/*
 * form_priv.h — the intake form screen's state, shared by its parts in
 * tui/intake/: screen.c (life, keys, drawing), person.c (the personal
 * fields of applicant and family members), family.c, income.c, docs.c
 * (service and documents checklist), payment.c, save.c (application.save
 * and what its errors mean), base.c (what changed in the base of
 * recipients since the last save); the application they edit is
 * application.h.
 * Not for other screens: they call screen_form_new (screens.h).
 * The parts call each other (screen.c builds the form from the parts; the
 * parts rebuild it through fs_build): one module in several files, behind
 * this header, the way the server's method files sit behind method_table.h.
 *
 * The application lives in `in` (the model); the main form is built from
 * it and read back into it (fs_sync) before anything that rebuilds the
 * form or saves.  A family member or an income row is edited in the
 * sub-form, which replaces the main form on the screen until the clerk
 * accepts (F2) or cancels (Esc).
 */
#ifndef TUI_FORM_PRIV_H
#define TUI_FORM_PRIV_H

#include "tui/app.h"
#include "tui/attach_ui.h"
#include "tui/form.h"
#include "tui/intake/application.h"
#include "tui/person_search.h"

/* Item ids.  Personal fields are PERSON_BASE + HR_PF_* (the typed ones;
 * the refusal, sex and document kind have ids of their own). */
enum {
	ID_SERVICE = 1, ID_DOCS_HEAD, ID_PAY_METHOD, ID_IBAN, ID_POST,
	ID_NOTES, ID_FAMILY_ADD, ID_INCOME_ADD, ID_SUB_DONE,
	ID_REL, ID_INC_MEMBER, ID_INC_TYPE, ID_INC_FROM, ID_INC_TO, ID_INC_AMOUNT,
	ID_FIND_PERSON, ID_COPY_ADDR, ID_LAST_REASON, ID_ATTACH,
	PERSON_BASE = 100,            /* + HR_PF_* */
	ID_REFUSED = 150, ID_SEX, ID_DOC_TYPE,
	ID_FAMILY_ROW = 1000,         /* + index */
	ID_INCOME_ROW = 2000,         /* + index */
	ID_DOC = 3000,                /* + index into refdata documents */
};

enum fs_mode { FS_LOADING, FS_MAIN, FS_MEMBER, FS_INCOME };

struct fs {
	struct screen         base;
	struct app           *app;            /* for the form's check calls */
	struct intake         in;
	struct form           main, sub;
	enum fs_mode          mode;
	int64_t               from_case;      /* opened from this case's view
	                                         (F4): leaving goes back to it */
	int                   sub_index;      /* row being edited; -1 new */
	struct intake_person  sub_person;     /* member being edited */
	struct person_search *ps;             /* open search, or NULL */
	struct attach_ui      attach;         /* attaching a scan (Enter on
	                                         the documents' button) */
	int                   ps_for_sub;     /* the search fills the sub-form */
	int                   dirty;          /* unsaved changes */
	int                   rebuild;        /* rebuild the main form after this key */
	int                   busy;           /* a save is on its way */
	int                   readonly;
	int64_t               id;             /* 0: a new application */
	char                  looked_up[16];  /* last РНОКПП looked for */
	int                   lookup_for_sub; /* the lookup/person.get is for the sub-form */
	int64_t               offer_id;       /* person offered in a question */
	char                  offer_ident[64];/* the identifier they were
	                                         found by (person.get q) */
	int                   del_index;      /* row the clerk asked to remove */
	int                   sub_dirty;      /* the sub-form was edited */
	int                   overwrite;      /* conflict: fetch the version, save again */
	struct base_offer    *offers;         /* the base's changes to offer */
	size_t                noffers, next_offer, offers_taken;
	int                   print_after_save; /* F8: print once saved */
	int                   error_status;   /* the status line lists wrong
	                                         fields: update it as they are
	                                         fixed, clear it at none */
	int                   errors_shown;   /* the count it says; -1: the
	                                         server's message */
	char                **member_labels;  /* income editor's member choice */
	size_t                nmember_labels;
	const char           *labels_sex[2], *labels_doc[3],
	                     *labels_rel[HR_REL__COUNT],
	                     *labels_inc[HR_INC__COUNT], *labels_pay[2];
};

/* screen.c */
void fs_sync(struct fs *s);                   /* main form -> model */
void fs_build(struct fs *s);                  /* model -> main form */
struct form *fs_form(struct fs *s);           /* the form on screen */
void fs_main_show(struct fs *s);              /* back to the main form */
const char *fs_check(void *ud, struct form *f, int id, int leaving,
    char *buf, size_t n);
void fs_leave(struct fs *s, struct app *a);   /* back to the journal */
int  fs_alive(const void *ud);                /* is ud the form screen on? */
void fs_sub_show(struct fs *s, enum fs_mode mode);  /* sub-form built: show it */

/* person.c */
int  person_add_fields(struct fs *s, struct form *f,
         const struct intake_person *p);
void person_read(const struct form *f, struct intake_person *p);
/* NULL or a message; `id` is one of the person's items. */
const char *person_check(struct fs *s, struct form *f, int id, int leaving,
    char *buf, size_t n);
void person_copy_address(struct form *f);
/* Look an РНОКПП up (person.search) and offer the person found. */
void person_lookup(struct fs *s, struct app *a, const char *rnokpp, int for_sub);
/* person.get id, then fill the applicant (and family) or the sub-form. */
void person_take(struct fs *s, struct app *a, int64_t id,
    const char *found_by, int for_sub);

/* family.c */
int  family_add_rows(struct fs *s, struct form *f);
void family_edit(struct fs *s, int index);    /* -1: a new member */
int  family_accept(struct fs *s);             /* sub-form -> model; 0 ok */
void family_remove(struct fs *s, struct app *a, int index);
void family_label(const struct intake *in, size_t i, char *buf, size_t n);

/* income.c */
int  income_add_rows(struct fs *s, struct form *f);
void income_edit(struct fs *s, int index);
int  income_accept(struct fs *s);
void income_remove(struct fs *s, struct app *a, int index);
const char *income_check(struct fs *s, struct form *f, int id, char *buf,
    size_t n);
void income_free_labels(struct fs *s);

/* docs.c */
int  docs_add_items(struct fs *s, struct form *f);
void docs_read(struct fs *s, const struct form *f);
void docs_update_head(struct fs *s, struct form *f);
/* Enter on "Attach a scan": the file, the document, the queue. */
void docs_attach(struct fs *s, struct app *a);
/* A scan ended (APP_EV_UPLOADED): the documents anew from the server. */
void docs_refresh(struct fs *s, struct app *a);

/* payment.c */
int  payment_add_items(struct fs *s, struct form *f);
void payment_read(struct fs *s, const struct form *f);
const char *payment_check(struct fs *s, struct form *f, int id, char *buf,
    size_t n);

/* base.c: offer what the base of recipients changed since the
 * application was saved (application.get `base_changed`), field by field */
struct base_offer;
void base_offer_start(struct fs *s, struct app *a, const msgpack_object *bc);
void base_offer_free(struct fs *s);

/* save.c */
void save_start(struct fs *s, struct app *a);
void save_load(struct fs *s, struct app *a);      /* application.get */

#endif
