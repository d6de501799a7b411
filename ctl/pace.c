/*
 * pace.c — steps, pauses, priorities and progress for long copies (see
 * pace.h for why).
 */
#include "config.h"

#include "ctl/ctl.h"
#include "ctl/pace.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define PACE_REPORT_EVERY 1.0     /* seconds between progress lines (tty) */
#define PACE_REPORT_UNSIZED 60.0  /* ... of a phase without a total (not a tty) */
#define PACE_ESTIMATE_AFTER 1.0   /* seconds of work before the estimate */
#define PACE_TICK_MIN 0.01        /* pace_tick: pause in slices of >= 10 ms */
#define PACE_LAST_NICE 19         /* idle work after its deadline */
#define PACE_NICE 10              /* the process's, pace_lower_priority */

/* linux/ioprio.h, which not every libc installs. */
#define IOPRIO_CLASS_SHIFT 13
#define IOPRIO_CLASS_BE    2
#define IOPRIO_WHO_PROCESS 1

double
pace_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Seconds this thread waited for a CPU while runnable (the second field
 * of schedstat, nanoseconds); -1 where the kernel does not say.  A
 * thread's own file: the copy and the verification run on the thread
 * that paces them.
 */
static double
pace_run_delay(void)
{
	static int missing;
	unsigned long long run, wait;
	FILE *f;
	int n;

	if (missing)
		return -1;
	if ((f = fopen("/proc/thread-self/schedstat", "re")) == NULL) {
		missing = 1;
		return -1;
	}
	n = fscanf(f, "%llu %llu", &run, &wait);
	fclose(f);
	if (n != 2) {
		missing = 1;
		return -1;
	}
	return (double)wait / 1e9;
}

double
pace_work_now(void)
{
	double now = pace_now(), wait = pace_run_delay();

	return wait < 0 ? now : now - wait;
}

static void
pace_sleep(double s)
{
	struct timespec ts;

	if (s <= 0)
		return;
	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

const char *
pace_bytes(uint64_t n, char *buf, size_t cap)
{
	static const char *const unit[] = { N_("B"), N_("KiB"), N_("MiB"),
	    N_("GiB"), N_("TiB") };
	double v = (double)n;
	int u = 0;

	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	snprintf(buf, cap, u == 0 ? "%.0f %s" : "%.1f %s", v, _(unit[u]));
	return buf;
}

const char *
pace_duration(double s, char *buf, size_t cap)
{
	long t = (long)(s + 0.5);

	if (t >= 3600)
		snprintf(buf, cap, _("%ld h %ld min"), t / 3600, t % 3600 / 60);
	else if (t >= 60)
		snprintf(buf, cap, _("%ld min %ld s"), t / 60, t % 60);
	else
		snprintf(buf, cap, _("%ld s"), t);
	return buf;
}

void
pace_init(struct ctl_pace *p, FILE *out)
{
	memset(p, 0, sizeof *p);
	p->share = 0.5;
	p->started = pace_now();
	p->out = out;
	p->tty = out != NULL && isatty(fileno(out));
}

void
pace_lower_priority(void)
{
	/* Both are favours to the server; failing them changes nothing else. */
	(void)setpriority(PRIO_PROCESS, 0, PACE_NICE);
#ifdef SYS_ioprio_set
	(void)syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0,
	    (IOPRIO_CLASS_BE << IOPRIO_CLASS_SHIFT) | 7);
#endif
}

void
pace_idle_class(void)
{
	/* The server's threads always come first (nice 10 still took a share
	 * of a core they were queueing for); the pacer measures only the time
	 * the work itself runs or waits for the disk (pace_work_now). */
#ifdef SCHED_IDLE
	struct sched_param sp = { 0 };

	(void)sched_setscheduler(0, SCHED_IDLE, &sp);
#endif
}

void
pace_normal_class(void)
{
	struct sched_param sp = { 0 };

	(void)sched_setscheduler(0, SCHED_OTHER, &sp);
}

/* May the calling thread leave SCHED_IDLE for SCHED_OTHER at `nice`? */
static int
pace_may_leave_idle_at(int nice)
{
	struct rlimit rl;

	if (geteuid() == 0)
		return 1;
	if (getrlimit(RLIMIT_NICE, &rl) != 0)
		return 0;
	return rl.rlim_cur == RLIM_INFINITY ||
	    (rlim_t)(20 - nice) <= rl.rlim_cur;
}

int
pace_may_leave_idle(void)
{
	int nice;

	errno = 0;
	nice = getpriority(PRIO_PROCESS, 0);
	return errno == 0 && pace_may_leave_idle_at(nice);
}

/* Nice 19 for the calling thread (Linux: a nice value is a thread's),
 * SCHED_OTHER.  Raising the nice value first: leaving SCHED_IDLE is then
 * allowed with an RLIMIT_NICE of 1. */
static void
pace_nice_19(void)
{
	(void)setpriority(PRIO_PROCESS, 0, PACE_LAST_NICE);
	pace_normal_class();
}

static int
pace_is_idle(void)
{
#ifdef SCHED_IDLE
	return sched_getscheduler(0) == SCHED_IDLE;
#else
	return 0;
#endif
}

void
pace_enter_idle(struct ctl_pace *p)
{
	if (p->stepped || !pace_may_leave_idle_at(PACE_LAST_NICE))
		pace_nice_19();
	else
		pace_idle_class();
}

void
pace_leave_idle(void)
{
	if (!pace_is_idle() && getpriority(PRIO_PROCESS, 0) <= PACE_NICE)
		return;
	if (pace_may_leave_idle_at(PACE_NICE)) {
		(void)setpriority(PRIO_PROCESS, 0, PACE_NICE);
		pace_normal_class();
	}
}

/* The deadline has passed: idle work on this thread goes on at nice 19. */
static void
pace_step_up(struct ctl_pace *p)
{
	char t[32];

	if (!p->stepped && p->out != NULL) {
		if (p->tty)
			fputc('\r', p->out);
		fprintf(p->out, _("%s: not done by its deadline (%s after the "
		    "start): going on at nice 19, no longer only on idle "
		    "CPUs\n"), p->what ? p->what : "", pace_duration(p->deadline -
		    p->started, t, sizeof t));
		fflush(p->out);
	}
	p->stepped = 1;
	if (pace_is_idle() && p->idle_until == 0)
		pace_nice_19();
}

void
pace_phase_count(struct ctl_pace *p, const char *what, uint64_t total,
    const char *unit)
{
	pace_phase(p, what, total);
	p->unit = unit;
}

void
pace_phase(struct ctl_pace *p, const char *what, uint64_t total)
{
	p->what = what;
	p->unit = NULL;
	p->total = total;
	p->done = 0;
	p->busy = p->slept = 0;
	p->t0 = pace_now();
	p->mark = pace_work_now();
	p->next_report = p->t0 + PACE_REPORT_EVERY;
	p->next_tenth = 1;
	p->estimated = 0;
}

double
pace_eta(const struct ctl_pace *p)
{
	double el = pace_now() - p->t0;

	if (p->done == 0 || p->total == 0 || el <= 0)
		return -1;
	return el * (double)(p->total - (p->done < p->total ? p->done :
	    p->total)) / (double)p->done;
}

/* An amount of the phase: bytes, or a count of its unit. */
static const char *
pace_amount(const struct ctl_pace *p, uint64_t n, char *buf, size_t cap)
{
	if (p->unit == NULL)
		return pace_bytes(n, buf, cap);
	snprintf(buf, cap, "%llu %s", (unsigned long long)n, p->unit);
	return buf;
}

/* The progress line: "copying: 42% 1.4 GiB of 3.4 GiB, 37.5 MiB/s, 55 s left". */
static void
pace_report(struct ctl_pace *p, int final)
{
	char a[32], b[32], r[32], t[32];
	double el = pace_now() - p->t0, eta = pace_eta(p);

	if (p->out == NULL)
		return;
	if (p->tty)
		fputc('\r', p->out);
	if (p->total == 0)
		fprintf(p->out, _("%s: %s"), p->what, pace_duration(el, t,
		    sizeof t));
	else if (final)
		fprintf(p->out, _("%s: %3d%% %s of %s, %s/s, in %s"), p->what,
		    100, pace_amount(p, p->done, a, sizeof a), pace_amount(p,
		    p->total, b, sizeof b), pace_amount(p, el > 0 ?
		    (uint64_t)((double)p->done / el) : 0, r, sizeof r),
		    pace_duration(el, t, sizeof t));
	else
		fprintf(p->out, _("%s: %3d%% %s of %s, %s/s, %s left"), p->what,
		    (int)(100.0 * (double)p->done / (double)p->total),
		    pace_amount(p, p->done, a, sizeof a), pace_amount(p,
		    p->total, b, sizeof b), pace_amount(p, el > 0 ?
		    (uint64_t)((double)p->done / el) : 0, r, sizeof r),
		    pace_duration(eta > 0 ? eta : 0, t, sizeof t));
	fputs(final || !p->tty ? "\n" : "   ", p->out);
	fflush(p->out);
}

/* The estimate, once, after the first second of work. */
static void
pace_estimate(struct ctl_pace *p)
{
	char t[32], r[32];
	double el = pace_now() - p->t0, eta = pace_eta(p);

	if (p->estimated || p->out == NULL || p->total == 0 || eta < 0 ||
	    el < PACE_ESTIMATE_AFTER)
		return;
	p->estimated = 1;
	if (p->tty)
		fputc('\r', p->out);
	fprintf(p->out, _("%s: about %s in all (%s/s so far, busy %.0f%% of "
	    "the time)\n"), p->what,
	    pace_duration(el + eta, t, sizeof t),
	    pace_amount(p, (uint64_t)((double)p->done / el), r, sizeof r),
	    100.0 * p->busy / el);
}

static void
pace_progress(struct ctl_pace *p)
{
	double now = pace_now();

	pace_estimate(p);
	if (p->out == NULL)
		return;
	if (p->tty) {
		if (now >= p->next_report) {
			p->next_report = now + PACE_REPORT_EVERY;
			pace_report(p, 0);
		}
		return;
	}
	/* A phase of unknown size (the verification): a line a minute, so
	 * that a log shows it going on. */
	if (p->total == 0) {
		if (now >= p->next_report) {
			p->next_report = now + PACE_REPORT_UNSIZED;
			if (now - p->t0 >= PACE_REPORT_UNSIZED)
				pace_report(p, 0);
		}
		return;
	}
	if (p->done < p->total && p->next_tenth < 10 &&
	    p->done * 10 >= (uint64_t)p->next_tenth * p->total) {
		while (p->next_tenth < 10 &&
		    p->done * 10 >= (uint64_t)p->next_tenth * p->total)
			p->next_tenth++;
		pace_report(p, 0);
	}
}

void
pace_step(struct ctl_pace *p, uint64_t units, double busy)
{
	double pause = 0, now, need;

	p->done += units;
	p->busy += busy;
	/* The share: rest (1/share - 1) times the work. */
	if (p->share > 0 && p->share < 1)
		pause = busy * (1.0 / p->share - 1.0);
	/* The rate: not ahead of done/rate since the start. */
	if (p->rate > 0) {
		now = pace_now();
		need = p->t0 + (double)p->done / p->rate - now;
		if (need > pause)
			pause = need;
	}
	pace_sleep(pause);
	p->slept += pause;
	if (p->deadline > 0 && pace_now() >= p->deadline &&
	    (!p->stepped || pace_is_idle()))
		pace_step_up(p);
	if (p->idle_until > 0 && pace_now() >= p->idle_until) {
		pace_normal_class();
		p->idle_until = 0;
	}
	p->mark = pace_work_now();
	pace_progress(p);
}

void
pace_tick(struct ctl_pace *p, uint64_t units)
{
	double now = pace_work_now(), work = now - p->mark;

	p->done += units;
	if (work >= PACE_TICK_MIN)      /* else gather until a slice is worth it */
		pace_step(p, 0, work);
}

double
pace_end(struct ctl_pace *p)
{
	double el = pace_now() - p->t0;

	if (p->total > 0)
		p->done = p->total;
	pace_report(p, 1);
	return el;
}
