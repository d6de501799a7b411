/*
 * pace.h — keeping a long copy from taking the disk away from hromadad.
 *
 * A backup of a national database is gigabytes.  Copied flat out, its
 * writes fill the kernel's page cache with dirty pages that are written
 * back in bursts, and every fsync of the server's group commit queues
 * behind them: measured at 3.5 GB, journal replies went from 5 to 292 ms
 * during the copy and to 1.4 s while its pages were written back.  A pacer
 * makes the copy a good neighbour:
 *
 *   - it works in STEPS (a few MiB), and the caller forces each step's
 *     pages out to the disk before the next (ctl/copy.c), so that no more
 *     than one step of the copy is ever waiting for the disk -- a server
 *     fsync waits for at most that;
 *   - after each step it PAUSES, so the copy keeps the disk busy at most
 *     `share` of the time (default a half: a step that took 20 ms is
 *     followed by 20 ms of rest) and moves at most `rate` bytes a second
 *     when one is given;
 *   - it lowers the process's CPU and I/O priority (nice 10, best-effort
 *     I/O class at its lowest level; schedulers that ignore I/O priority
 *     still get the pauses); work that holds nothing the server waits
 *     for -- the copy's first part, which reads the file without a
 *     transaction, and verifying the finished copy -- runs SCHED_IDLE,
 *     only on a CPU nothing else wants; the copy's second part too, but
 *     only for a few seconds (idle_until): its read transaction keeps the
 *     server's WAL from being checkpointed, so starving it for long would
 *     make every read of the server slower -- after that it takes its
 *     share at nice 10;
 *   - idle work has a DEADLINE (deadline): on a machine whose CPUs are
 *     never idle the idle class would wait for ever, so once the deadline
 *     has passed such work goes on at nice 19 -- still behind everything
 *     else, but no longer only on CPUs nothing else wants
 *     (pace_enter_idle, pace_step);
 *   - its work is its OWN time (pace_work_now): the wall clock less the
 *     time it waited for a CPU.  Counting that wait as work made it pause
 *     as if it had worked and then compete again for the cores exactly
 *     while the server's threads needed them; now a backup starved of CPU
 *     by a busy server simply waits, and its pauses follow what it did;
 *   - it says how long the whole will take (from the speed of the first
 *     second, then from the speed so far) and shows progress: a line
 *     rewritten in place on a terminal, else a line every 10 %.
 *
 * The pause also serves CPU-bound work such as verifying the copy
 * (pace_busy_since: call it often, it sleeps when the share is used up).
 */
#ifndef HR_CTL_PACE_H
#define HR_CTL_PACE_H

#include <stdint.h>
#include <stdio.h>

struct ctl_pace {
	/* settings */
	double      share;        /* of the time the work may take, 0 < s <= 1 */
	double      rate;         /* bytes per second at most; 0: no cap */
	int         idle;         /* work that holds nothing of the live
	                             database runs SCHED_IDLE (the copy's
	                             first part, ctl/copy.c) */
	double      idle_until;   /* > 0: this thread is SCHED_IDLE until
	                             then (pace_now), pace_step ends it */
	double      deadline;     /* > 0: after then (pace_now) idle work
	                             goes on at nice 19 */
	int         stepped;      /* the deadline passed (said once) */
	double      started;      /* pace_init's time (pace_now) */
	FILE       *out;          /* progress; NULL: quiet */
	int         tty;          /* out is a terminal: rewrite one line */
	/* the phase being paced */
	const char *what;         /* "copying", "verifying" */
	const char *unit;         /* what done/total count ("records"); NULL:
	                             bytes */
	uint64_t    total, done;
	double      t0;           /* when the phase began (monotonic s) */
	double      busy;         /* seconds of work in it so far */
	double      slept;        /* ... and of pauses */
	double      mark;         /* pace_work_now at the last pause */
	double      next_report;  /* when progress is due */
	int         next_tenth;   /* non-tty: the next 10 % to print */
	int         estimated;    /* the estimate was printed */
};

/* Defaults: share 0.5, no rate cap, progress to `out` (NULL: none). */
void   pace_init(struct ctl_pace *p, FILE *out);

/* Nice 10 and the lowest best-effort I/O priority, for the process. */
void   pace_lower_priority(void);

/*
 * The idle scheduling class (SCHED_IDLE) for the calling thread, for work
 * that holds no lock or snapshot of the live database: it runs only when
 * no other thread wants the CPU.  Nothing when refused.
 */
void   pace_idle_class(void);

/*
 * Back to the normal class (SCHED_OTHER at the process's nice) for the
 * calling thread.  Leaving SCHED_IDLE needs root, or an RLIMIT_NICE that
 * allows the nice value: pace_may_leave_idle says whether it will work.
 */
void   pace_normal_class(void);
int    pace_may_leave_idle(void);

/*
 * Work that holds nothing of the live database, on the calling thread:
 * the idle class -- or nice 19 when the deadline has passed, or when the
 * idle class could not be left at the deadline (no root, no RLIMIT_NICE
 * of at least 1).  pace_step then steps the thread up at the deadline.
 */
void   pace_enter_idle(struct ctl_pace *p);

/*
 * Back from idle work to the process's lowered priority (nice 10) on the
 * calling thread, where allowed: before it takes the live database's
 * write lock, which a starved thread would hold while the server waits.
 */
void   pace_leave_idle(void);

/* Begin a phase of `total` bytes: "copying" 3.4 GiB, "verifying" ... */
void   pace_phase(struct ctl_pace *p, const char *what, uint64_t total);
/* ... of `total` things (`unit`, already translated: "records"). */
void   pace_phase_count(struct ctl_pace *p, const char *what, uint64_t total,
    const char *unit);

/*
 * A step moved `units` more and took `busy` seconds of work: pause as the
 * share and the rate require, print progress (and the estimate once).
 */
void   pace_step(struct ctl_pace *p, uint64_t units, double busy);

/*
 * For work without natural steps (a long SQL statement's progress
 * handler): `units` more are done; measures the work since the last call
 * or pause itself and pauses when due.
 */
void   pace_tick(struct ctl_pace *p, uint64_t units);

/* The phase is over: its final line; the seconds it took. */
double pace_end(struct ctl_pace *p);

/* Seconds left in the phase at the speed so far (-1 before any work). */
double pace_eta(const struct ctl_pace *p);

/* The monotonic clock, seconds. */
double pace_now(void);

/*
 * This thread's own time, seconds: the monotonic clock less the time the
 * thread spent runnable but waiting for a CPU (/proc/thread-self/schedstat;
 * the monotonic clock alone where that is not available).  A step's work
 * is the difference of two readings.
 */
double pace_work_now(void);

/* "3.4 GiB", "812 MiB" into buf. */
const char *pace_bytes(uint64_t n, char *buf, size_t cap);

/* "1 min 40 s", "12 s" into buf. */
const char *pace_duration(double s, char *buf, size_t cap);

#endif
