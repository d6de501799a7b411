/*
 * batch.h — the application.batch jobs still running in slices
 * (method_application_batch.c): the loop frees what is left of them when
 * the server stops.
 */
#ifndef SRV_BATCH_H
#define SRV_BATCH_H

struct srv;

/* Free the jobs that wait for their next slice (not those in the group
 * commit's queue: commit_free drops them). */
void batch_free_all(struct srv *srv);

#endif
