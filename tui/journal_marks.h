/*
 * journal_marks.h — the journal's marked set: the applications the user
 * marked (Space on a row, `*` for every application of the filter), each
 * with the version it had when marked, for a batch action over them all
 * (application.batch, batch_ui.h).
 *
 * The set belongs to the session's journal memo, not to a page: it
 * survives paging, another filter and a visit to a case, until the user
 * clears it (`-`), a batch moves its applications, or the session ends.
 * Kept sorted by id, so that drawing a page asks "marked?" cheaply.
 * Bounded by HR_BATCH_MAX (what one batch takes).  Domain-light: ids and
 * versions only.
 */
#ifndef TUI_JOURNAL_MARKS_H
#define TUI_JOURNAL_MARKS_H

#include <stddef.h>
#include <stdint.h>

#include <msgpack.h>

struct jmark {
	int64_t id;
	int64_t version;
};

struct jmarks {
	struct jmark *m;          /* ascending by id */
	size_t        n, cap;
};

void jmarks_free(struct jmarks *s);
void jmarks_clear(struct jmarks *s);

/* Is application `id` marked? */
int  jmarks_has(const struct jmarks *s, int64_t id);

/*
 * Mark (with the version seen) or unmark.  jmarks_toggle returns 1 when
 * it is marked now, 0 when unmarked, -1 when the set is full
 * (HR_BATCH_MAX) or out of memory.
 */
int  jmarks_add(struct jmarks *s, int64_t id, int64_t version);
void jmarks_remove(struct jmarks *s, int64_t id);
int  jmarks_toggle(struct jmarks *s, int64_t id, int64_t version);

/*
 * Add the applications of a journal.list `marks` reply ({count, over,
 * ids, versions}: ids newest first as differences).  Returns how many the
 * set holds now, or -1 when the reply is malformed or would overflow the
 * set (nothing is added then); *count gets the reply's count (-1 when
 * unreadable), *over whether the server stopped counting.
 */
long jmarks_take(struct jmarks *s, const msgpack_object *marks,
    int64_t *count, int *over);

#endif
