/*
 * bench_batch.c — a batch check of the back office's marked set at country
 * scale (issue 17): `application.batch` over N marked applications against
 * a real hromadad on a big database.
 *
 *   bench_batch [--db FILE] [--rows N] [--singles M]
 *
 * The claim under test: a batch check of 1,000 marked applications takes
 * under 1 s at the server on the 1,000,000-application database
 * (tests/bench/gen_big; FILE is WRITTEN: give a copy).  Without --db the
 * program runs on the demo database (a smoke run: the few at_spszn
 * applications it has; only success is checked).
 *
 * The demo's back office `spszn` logs in, marks every at_spszn application
 * of its journal the way `*` does (journal.list `marks`: its time and
 * bytes are printed), checks the first N in ONE application.batch, then
 * checks the next M one by one with application.transition, the way a
 * clerk would without batches — the same work per row, in the same run, so
 * the ratio does not depend on the machine's load as much as the times
 * do.  Printed for each: wall time from send to reply over loopback (the
 * server's work, its group commits' fsyncs, one round trip), the server
 * process's CPU time (utime + stime from /proc, all its threads) and both
 * per row, with the machine's load beside them.
 *
 * Exit status: 0 when every call succeeded and every row moved; 1
 * otherwise.  The time target is reported, never a failure (machines
 * differ), unless --strict.
 */
#include "config.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "proto/client.h"
#include "proto/method_names.h"
#include "proto/rpc.h"
#include "proto/workflow.h"
#include "tests/lib/tclient.h"
#include "tests/lib/testsrv.h"

#define CALL_MS   600000
#define TARGET_MS 1000.0

static struct {
	const char *db;
	long        rows, singles;
	int         strict;
} opt = { NULL, 1000, 200, 0 };

static struct testsrv srv;
static int            launched;

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2),
    noreturn));

static void
die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "bench_batch: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (launched)
		testsrv_dump_log(&srv, stderr, 2000);
	exit(1);
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* The server's CPU time so far, in ms (all threads: utime + stime). */
static double
server_cpu_ms(void)
{
	char path[64], buf[2048], *p;
	unsigned long long ut = 0, st = 0;
	FILE *f;
	size_t n;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)srv.pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* after "(comm)": state is field 3, utime 14, stime 15 */
	if ((p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu "
	    "%llu", &ut, &st) != 2)
		return -1;
	return (double)(ut + st) * 1e3 / (double)sysconf(_SC_CLK_TCK);
}

static void
parse(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "rows", required_argument, NULL, 'r' },
		{ "singles", required_argument, NULL, 's' },
		{ "strict", no_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1)
		switch (c) {
		case 'd': opt.db = optarg; break;
		case 'r': opt.rows = strtol(optarg, NULL, 10); break;
		case 's': opt.singles = strtol(optarg, NULL, 10); break;
		case 'S': opt.strict = 1; break;
		default:
			fprintf(stderr, "usage: bench_batch [--db FILE] "
			    "[--rows N] [--singles M] [--strict]\n");
			exit(2);
		}
	if (opt.rows < 1 || opt.rows > HR_BATCH_MAX || opt.singles < 0)
		die("--rows is 1..2000, --singles >= 0");
}

static int progress_frames;

static void
on_notify(void *ud, const struct hr_msg *note)
{
	(void)ud;
	if (hr_rpc_method_is(note, HR_N_PROGRESS))
		progress_frames++;
}

/* Every at_spszn application of the journal, as `*` marks them. */
static size_t
mark_all(struct hr_client *c, int64_t **ids, int64_t **vers)
{
	struct hr_client_stats a, b;
	const msgpack_object *m, *mi, *mv;
	msgpack_packer *pk;
	struct tcall t;
	double t0, ms;
	int64_t id = 0;
	size_t n;

	hr_client_stats(c, &a);
	pk = hr_client_begin(c, HR_M_JOURNAL_LIST);
	msgpack_pack_map(pk, 2);
	hr_pack_kv_str(pk, "status", "at_spszn");
	hr_pack_kv_bool(pk, "marks", 1);
	tcall_init(&t);
	t0 = now_ms();
	if (tcall_send_wait(c, &t, CALL_MS) != 0 || t.code != HR_OK)
		die("journal.list marks: %s", t.msg);
	ms = now_ms() - t0;
	hr_client_stats(c, &b);
	m = tobj_get(tcall_result(&t), "marks");
	mi = tobj_get(m, "ids");
	mv = tobj_get(m, "versions");
	if (mi == NULL || mv == NULL || mi->type != MSGPACK_OBJECT_ARRAY)
		die("journal.list marks: no ids (more than 2000 at_spszn?)");
	n = mi->via.array.size;
	*ids = calloc(n + 1, sizeof **ids);
	*vers = calloc(n + 1, sizeof **vers);
	if (*ids == NULL || *vers == NULL)
		die("out of memory");
	for (size_t i = 0; i < n; i++) {
		int64_t d = (int64_t)mi->via.array.ptr[i].via.u64;

		id = i == 0 ? d : id - d;
		(*ids)[i] = id;
		(*vers)[i] = (int64_t)mv->via.array.ptr[i].via.u64;
	}
	printf("marks (`*`, status at_spszn): %zu applications in %.1f ms, "
	    "%llu bytes in (%.1f per application)\n", n, ms,
	    (unsigned long long)(b.bytes_in - a.bytes_in),
	    n ? (double)(b.bytes_in - a.bytes_in) / (double)n : 0.0);
	tcall_free(&t);
	return n;
}

int
main(int argc, char **argv)
{
	struct hr_client *c;
	struct hr_error err;
	struct tcall t;
	int64_t *ids, *vers;
	double load[3] = { -1, -1, -1 }, w0, c0, bw, bc, sw = 0, sc = 0;
	long moved, singles_done = 0;
	size_t n;
	int bad = 0;

	parse(argc, argv);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (sodium_init() < 0)
		die("sodium_init failed");
	testsrv_watchdog(3600);
	hr_error_clear(&err);
	if (testsrv_prepare(&srv, &err) != 0)
		die("prepare: %s", err.msg);
	if (opt.db != NULL && snprintf(srv.db, sizeof srv.db, "%s", opt.db) >=
	    (int)sizeof srv.db)
		die("--db path too long");
	if (testsrv_launch(&srv, 600000, &err) != 0)
		die("start hromadad: %s", err.msg);
	launched = 1;
	if ((c = tclient_open(srv.addr, srv.pk, 20000, &err)) == NULL)
		die("connect: %s", err.msg);
	hr_client_set_notify(c, on_notify, NULL);
	tcall_init(&t);
	if (tcall_login(c, "spszn", "demo-spszn-2026", &t, CALL_MS) != 0 ||
	    t.code != HR_OK)
		die("login: %s", t.msg);
	tcall_free(&t);

	n = mark_all(c, &ids, &vers);
	if (opt.db == NULL) {            /* the demo: what there is */
		opt.rows = (long)(n > 1 ? n - 1 : n);
		opt.singles = (long)n - opt.rows;
	}
	if ((size_t)(opt.rows + opt.singles) > n)
		die("fewer at_spszn applications than --rows + --singles");

	(void)getloadavg(load, 3);
	printf("load before: %.2f %.2f %.2f\n", load[0], load[1], load[2]);

	/* ONE batch of N */
	{
		msgpack_packer *pk = hr_client_begin(c, HR_M_APPLICATION_BATCH);

		msgpack_pack_map(pk, 3);
		hr_pack_kv_str(pk, "action", "check");
		hr_pack_str(pk, "ids");
		msgpack_pack_array(pk, (uint32_t)opt.rows);
		for (long i = 0; i < opt.rows; i++)
			msgpack_pack_int64(pk, ids[i]);
		hr_pack_str(pk, "versions");
		msgpack_pack_array(pk, (uint32_t)opt.rows);
		for (long i = 0; i < opt.rows; i++)
			msgpack_pack_int64(pk, vers[i]);
	}
	tcall_init(&t);
	c0 = server_cpu_ms();
	w0 = now_ms();
	if (tcall_send_wait(c, &t, CALL_MS) != 0 || t.code != HR_OK)
		die("application.batch: %s", t.msg);
	bw = now_ms() - w0;
	bc = server_cpu_ms() - c0;
	moved = (long)tobj_int(tobj_get(tcall_result(&t), "moved"), -1);
	if (moved != opt.rows) {
		fprintf(stderr, "bench_batch: %ld of %ld moved\n", moved,
		    opt.rows);
		bad++;
	}
	tcall_free(&t);

	/* the same one by one */
	c0 = server_cpu_ms();
	w0 = now_ms();
	for (long i = opt.rows; i < opt.rows + opt.singles; i++) {
		msgpack_packer *pk = hr_client_begin(c,
		    HR_M_APPLICATION_TRANSITION);

		msgpack_pack_map(pk, 3);
		hr_pack_kv_int(pk, "id", ids[i]);
		hr_pack_kv_int(pk, "version", vers[i]);
		hr_pack_kv_str(pk, "action", "check");
		tcall_init(&t);
		if (tcall_send_wait(c, &t, CALL_MS) != 0 || t.code != HR_OK) {
			fprintf(stderr, "bench_batch: transition: %s\n", t.msg);
			bad++;
		} else
			singles_done++;
		tcall_free(&t);
	}
	if (opt.singles > 0) {
		sw = now_ms() - w0;
		sc = server_cpu_ms() - c0;
	}
	(void)getloadavg(load, 3);

	printf("\n%-34s %8s %10s %12s %10s %12s\n", "", "rows", "wall ms",
	    "wall/row us", "cpu ms", "cpu/row us");
	printf("%-34s %8ld %10.1f %12.1f %10.1f %12.1f\n",
	    "application.batch (one request)", opt.rows, bw, bw * 1e3 /
	    (double)opt.rows, bc, bc * 1e3 / (double)opt.rows);
	if (opt.singles > 0)
		printf("%-34s %8ld %10.1f %12.1f %10.1f %12.1f\n",
		    "application.transition, one by one", opt.singles, sw,
		    sw * 1e3 / (double)opt.singles, sc, sc * 1e3 /
		    (double)opt.singles);
	if (opt.singles > 0 && sw > 0)
		printf("per row, batch / one by one: wall %.2f, cpu %.2f\n",
		    (bw / (double)opt.rows) / (sw / (double)opt.singles),
		    sc > 0 ? (bc / (double)opt.rows) / (sc / (double)opt.singles) :
		    0.0);
	printf("the batch ran in %d slices (progress notifications + 1)\n",
	    progress_frames + 1);
	printf("target: %ld rows in < %.0f ms at the server: %s (%.1f ms)\n",
	    opt.rows, TARGET_MS, bw < TARGET_MS ? "MET" : "MISSED", bw);
	printf("load after: %.2f %.2f %.2f\n", load[0], load[1], load[2]);

	hr_client_free(c);
	if (testsrv_stop(&srv, 60000, NULL, &err) != 0) {
		fprintf(stderr, "bench_batch: %s\n", err.msg);
		bad++;
	}
	testsrv_free(&srv);
	free(ids);
	free(vers);
	return bad || (opt.strict && bw >= TARGET_MS) ? 1 : 0;
}
