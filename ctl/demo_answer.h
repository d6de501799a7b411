/*
 * demo_answer.h — the demo's decisions, as the decision systems' answer
 * files bring them (ctl/demo_answer.c).
 *
 * An application is `answered` only because an answer file was imported
 * (DOMAIN.md): the file is stored whole and brings the application's
 * decision.  The demo notes a decision each time it answers an
 * application; at the end it stores, for each back office and decision
 * system, one answer file of those decisions -- real *.DAT bytes
 * (proto/dat.h, which parses its own output), named, numbered and
 * checksummed as an import stores them -- and the decisions naming it.
 * So the demo's answered cases have their decision, its notice can be
 * printed, and `dat get` hands out a file that `dat import` would read.
 * tests/bench/gen_big answers its national year the same way.
 */
#ifndef HR_CTL_DEMO_ANSWER_H
#define HR_CTL_DEMO_ANSWER_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "proto/error.h"

/*
 * A decision system numbers its answer files itself: the demo's come from
 * counters that had long been running, so that a first answer made on the
 * demo (numbered 1, 2, ... like the exports it answers) is not one "imported
 * before".
 */
#define DEMO_ANSWER_NUMBER 417

struct demo_decision {
	int64_t app_id;
	int64_t user_id;           /* the back office's account that imported it */
	int64_t at;                /* when: the application's `answered` time */
	int     decision;          /* enum hr_decision */
	int64_t amount;            /* kopecks, for an assignment */
};

struct demo_answers {
	struct demo_decision *v;
	size_t                n, cap;
};

/* Note a decision for the end (the application must exist). */
int  demo_answer_note(struct demo_answers *a, const struct demo_decision *d,
    struct hr_error *err);

/*
 * Note the decision application `app_id` brings as `user_id` answers it at
 * `at`: every third refused, the others assigned 1,500.00 to 2,250.00
 * UAH.  From the id, not a random stream, so that the data made after
 * it stay as they were: the demo's samples, and tests/bench/gen_big's
 * year of answered applications.
 */
int  demo_answer_decided(struct demo_answers *a, int64_t app_id,
    int64_t user_id, int64_t at, struct hr_error *err);

/*
 * Store the answer files and the decisions noted, in the open transaction:
 * a back office's decisions of one system go DEMO_ANSWER_FILE_MAX to a
 * file (well inside HR_DAT_RECORDS_MAX and HR_DAT_FILE_MAX), numbered on
 * from DEMO_ANSWER_NUMBER -- the demo's fit one file each, a national
 * year's back office needs dozens.
 */
#define DEMO_ANSWER_FILE_MAX 1000
int  demo_answers_store(struct demo_answers *a, struct hr_db *db,
    struct hr_error *err);

void demo_answers_free(struct demo_answers *a);

#endif
