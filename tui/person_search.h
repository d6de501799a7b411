/*
 * person_search.h — find a person in the central base: the clerk types an
 * РНОКПП, a document number or the start of a surname (any case); after a
 * pause in typing (PS_DEBOUNCE_MS, through app_timer) one person.search
 * goes out, never more than one at a time, and the list shows who was
 * found.  Enter picks a person.  The owner screen routes its timer event,
 * the search reply and the keys here, and draws it in its area.
 */
#ifndef TUI_PERSON_SEARCH_H
#define TUI_PERSON_SEARCH_H

#include <stdint.h>

#include "tui/app.h"

#define PS_DEBOUNCE_MS 300

enum { PS_OPEN, PS_CANCEL, PS_PICKED };

struct person_search;

/* `reply` is the owner's app_reply_fn that hands replies to
 * person_search_reply.  `initial` (may be NULL) is typed in already. */
struct person_search *person_search_new(struct app *a, app_reply_fn *reply,
    const char *initial);
void person_search_free(struct person_search *ps);

/* PS_OPEN, PS_CANCEL, or PS_PICKED with *id set. */
int  person_search_key(struct person_search *ps, struct app *a,
         const struct key *k, int64_t *id);
void person_search_timer(struct person_search *ps, struct app *a);
void person_search_reply(struct person_search *ps, struct app *a,
         const struct hr_msg *reply, const struct hr_error *err);
/* The query the list answers (what person.get is told the person was
 * found by); NULL before any. */
const char *person_search_query(const struct person_search *ps);
void person_search_draw(struct person_search *ps, struct app *a, WINDOW *w,
         int y, int h, int width);

#endif
