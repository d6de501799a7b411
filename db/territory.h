/*
 * territory.h — the territory tree (DOMAIN.md "Territory").
 *
 * country > oblast > district back office (spszn) > hromada > cnap /
 * starosta district > settlement.  Parent links are stored explicitly
 * (КАТОТТГ codes do not encode the tree by cutting the string).
 */
#ifndef HR_DB_TERRITORY_H
#define HR_DB_TERRITORY_H

#include <stdint.h>

#include "db/db.h"
#include "proto/roles.h"

struct db_territory {
	int64_t id;
	int64_t parent_id;       /* 0 for the root */
	int     kind;            /* enum hr_terr_kind */
	char   *name;
	char   *katottg;         /* may be NULL */
};

void db_territory_free(struct db_territory *t);

int  db_territory_get(struct hr_db *db, int64_t id, struct db_territory *out,
    struct hr_error *err);
int  db_territory_add(struct hr_db *db, int64_t parent_id, int kind,
    const char *name, const char *katottg, int64_t *id, struct hr_error *err);
/* First ancestor-or-self of `id` of the given kind: 0 found, -1 otherwise. */
int  db_territory_ancestor(struct hr_db *db, int64_t id, int kind,
    int64_t *ancestor, struct hr_error *err);
/* Every ancestor-or-self of `id` in one walk up: ids[kind] (enum
 * hr_terr_kind), 0 for a kind not above it.  0, or -1 with err. */
int  db_territory_ancestors(struct hr_db *db, int64_t id,
    int64_t ids[HR_TERR__COUNT], struct hr_error *err);
/* Is `id` equal to or below `ancestor`? 1 yes, 0 no, -1 error. */
int  db_territory_within(struct hr_db *db, int64_t id, int64_t ancestor,
    struct hr_error *err);

/*
 * Look a territory up the way an administrator names it: all digits is an
 * id, "UA" + 17 digits a КАТОТТГ code, anything else the exact name (then
 * HR_E_DUPLICATE when two territories share it).  HR_E_NOT_FOUND if none.
 */
int  db_territory_find(struct hr_db *db, const char *spec,
    struct db_territory *out, struct hr_error *err);

/*
 * Children of `parent_id` (0: the root) in id order.  fn returns 0 to go on,
 * 1 to stop (then 0 is returned), -1 to fail.  The territory is valid only
 * during the call; db calls from fn must not list territories again.
 */
typedef int db_territory_fn(void *ud, const struct db_territory *t);
int  db_territory_children(struct hr_db *db, int64_t parent_id,
    db_territory_fn *fn, void *ud, struct hr_error *err);

/*
 * Import one classifier row: a territory with this КАТОТТГ code is added
 * under parent_id, or, when it exists with the same kind and parent,
 * renamed.  A different kind or parent is refused (HR_E_INVALID): users
 * hang on kinds and applications keep their territories' ids.  *created
 * says which happened.
 */
int  db_territory_upsert(struct hr_db *db, const char *katottg,
    int64_t parent_id, int kind, const char *name, int64_t *id, int *created,
    struct hr_error *err);

/*
 * `root` (0: the whole tree) and everything below it, depth first (a
 * parent before its children, siblings by id), with the depth below root
 * and the territory's require_terminal flag.  Same rules for fn as
 * db_territory_children.
 */
typedef int db_territory_tree_fn(void *ud, const struct db_territory *t,
    int depth, int require_terminal);
int  db_territory_subtree(struct hr_db *db, int64_t root,
    db_territory_tree_fn *fn, void *ud, struct hr_error *err);

/*
 * Front offices (ЦНАП, starosta districts) at or below `root` (0: all),
 * with the name of their hromada, by hromada then name.  fn as for
 * db_territory_children; `t` and `hromada` live only during the call.
 */
typedef int db_front_office_fn(void *ud, const struct db_territory *t,
    const char *hromada);
int  db_territory_front_offices(struct hr_db *db, int64_t root,
    db_front_office_fn *fn, void *ud, struct hr_error *err);

#endif
