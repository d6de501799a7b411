/*
 * main.c — hromadad: options, configuration, start-up and tear-down.
 *
 * Always in the foreground (systemd style: no fork, no pid file); logs to
 * standard error, a file (--log-file, reopened on SIGHUP) or syslog.  The
 * start-up order is the order of dependencies: configuration, log, libsodium,
 * database (lock, migrations), server keys, the listening sockets, then
 * giving up root (daemon.h), then the password workers; tear-down is the
 * reverse.  Every refusal to start is one line
 * that says what to fix, and exit status 1.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <ev.h>
#include <sodium.h>

#include "db/ckptlog.h"
#include "db/db.h"
#include "db/deadlines.h"
#include "db/keypairs.h"
#include "proto/frame.h"
#include "proto/handshake.h"
#include "srvd/auth.h"
#include "srvd/commit.h"
#include "srvd/conf.h"
#include "srvd/daemon.h"
#include "srvd/log.h"
#include "srvd/loop.h"
#include "srvd/method_table.h"
#include "srvd/notices.h"
#include "srvd/dispatch.h"
#include "srvd/prehash.h"
#include "srvd/query.h"
#include "srvd/readaudit.h"
#include "srvd/reply.h"
#include "srvd/server.h"
#include "srvd/spares.h"
#include "srvd/upload.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif
#define DEFAULT_CONFIG SYSCONFDIR "/hromada/hromadad.conf"

/* --version tells a test build (configure --enable-test-hooks) apart. */
#ifdef HAVE_TEST_HOOKS
#define TEST_HOOKS_NOTE " (test hooks: HROMADA_TODAY; not for production)"
#else
#define TEST_HOOKS_NOTE ""
#endif

/* Command-line values; NULL when not given (the file or default applies). */
struct options {
	const char *config;
	const char *db;
	char       *listen;      /* repeated --listen joined by commas */
	const char *log_file;
	const char *log_level;
	const char *user;
};

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: hromadad [--db FILE] [--listen ADDR:PORT]... "
	    "[--config FILE]\n"
	    "                [--log-file FILE] [--log-level LEVEL] "
	    "[--foreground]\n"
	    "                [--user NAME]\n"
	    "  --db FILE          database (made by hromadactl init)\n"
	    "  --listen ADDR:PORT address to listen on (default %s;\n"
	    "                     IPv6 as [::1]:7350; may be repeated)\n"
	    "  --config FILE      configuration (default %s if it exists)\n"
	    "  --log-file FILE    log to FILE instead of stderr "
	    "(SIGHUP reopens it)\n"
	    "  --log-level LEVEL  error, warning, info or debug\n"
	    "  --user NAME        started as root, run as NAME (default "
	    SRV_DEFAULT_USER ")\n"
	    "  --foreground       accepted; hromadad never forks\n",
	    SRV_DEFAULT_LISTEN, DEFAULT_CONFIG);
}

static int
append_listen(struct options *o, const char *addr)
{
	size_t old = o->listen ? strlen(o->listen) : 0;
	char  *p = realloc(o->listen, old + strlen(addr) + 2);

	if (p == NULL)
		return -1;
	if (old == 0)
		p[0] = '\0';
	else
		strcat(p, ",");
	strcat(p, addr);
	o->listen = p;
	return 0;
}

/* 0 ok, 1 exit 0 (--help, --version), -1 usage error. */
static int
parse_options(int argc, char **argv, struct options *o)
{
	enum { O_DB = 256, O_LISTEN, O_CONFIG, O_LOGFILE, O_LOGLEVEL, O_FG,
	       O_HELP, O_VERSION, O_USER };
	static const struct option longopts[] = {
		{ "db",         required_argument, NULL, O_DB },
		{ "listen",     required_argument, NULL, O_LISTEN },
		{ "config",     required_argument, NULL, O_CONFIG },
		{ "log-file",   required_argument, NULL, O_LOGFILE },
		{ "log-level",  required_argument, NULL, O_LOGLEVEL },
		{ "foreground", no_argument,       NULL, O_FG },
		{ "user",       required_argument, NULL, O_USER },
		{ "help",       no_argument,       NULL, O_HELP },
		{ "version",    no_argument,       NULL, O_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case O_DB:       o->db = optarg; break;
		case O_LISTEN:
			if (append_listen(o, optarg) < 0)
				return -1;
			break;
		case O_CONFIG:   o->config = optarg; break;
		case O_LOGFILE:  o->log_file = optarg; break;
		case O_LOGLEVEL: o->log_level = optarg; break;
		case O_USER:     o->user = optarg; break;
		case O_FG:       break;
		case O_HELP:     usage(stdout); return 1;
		case O_VERSION:
			printf("hromadad %s%s\n", PACKAGE_VERSION, TEST_HOOKS_NOTE);
			return 1;
		default:         usage(stderr); return -1;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "hromadad: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return -1;
	}
	return 0;
}

/* File first (explicit must exist; the default only if present), then options. */
static int
load_config(struct srv_config *cfg, const struct options *o, struct hr_error *err)
{
	static const struct { const char *key; size_t off; } overrides[] = {
		{ "db",        offsetof(struct options, db) },
		{ "listen",    offsetof(struct options, listen) },
		{ "log_file",  offsetof(struct options, log_file) },
		{ "log_level", offsetof(struct options, log_level) },
		{ "user",      offsetof(struct options, user) },
	};
	const char *path = o->config;

	if (path == NULL && access(DEFAULT_CONFIG, F_OK) == 0)
		path = DEFAULT_CONFIG;
	if (path != NULL && srv_config_load(cfg, path, err) < 0)
		return -1;
	for (size_t i = 0; i < sizeof overrides / sizeof overrides[0]; i++) {
		const char *v = *(const char *const *)((const char *)o +
		    overrides[i].off);

		if (v != NULL && srv_config_set(cfg, overrides[i].key, v, err) < 0)
			return -1;
	}
	return 0;
}

/* Open the database and load the keys; log what a person must check. */
static int
open_store(struct srv *srv, const struct srv_config *cfg, struct hr_db **db,
    int *lock_fd, struct hr_error *err)
{
	char fp[HR_FINGERPRINT_LEN];

	if (access(cfg->db, F_OK) != 0)
		return hr_error_set(err, HR_E_IO, "database %s: %s; create it "
		    "with: hromadactl --db %s init", cfg->db, strerror(errno),
		    cfg->db);
	if (daemon_lock_db(cfg->db, lock_fd, err) < 0 ||
	    db_open(db, cfg->db, 0, err) < 0 ||
	    db_cache_set(*db, cfg->writer_cache / 1024, err) < 0)
		return -1;
	/* Moves secrets left in the database to the key file (keypairs.h). */
	if (db_keys_load(*db, srv->key_file, db_now(), &srv->keys, err) < 0) {
		if (err->code == HR_E_NOT_FOUND)
			hr_error_set(err, HR_E_NOT_FOUND, "database %s has no "
			    "server key: run hromadactl --db %s init", cfg->db,
			    cfg->db);
		return -1;
	}
	hr_key_fingerprint(srv->keys.keys[0].pk, fp);
	srv_log_always("database %s, server key %s (%zu in grace), secrets in "
	    "%s", cfg->db, fp, srv->keys.count - 1, srv->key_file);
	if (db_today_fixed() != NULL)
		log_warning("a test build: the clocks are read against "
		    "HROMADA_TODAY=%s, not today", db_today_fixed());
	return 0;
}

/*
 * After giving up root: can the server still reread its keys (keyring.h)?
 * If not, say so once; it runs on with the keys it has.  Never fails.
 */
static int
check_key_file(const char *key_file)
{
	if (access(key_file, R_OK) != 0)
		log_warning("the key file %s is not readable by the server's user "
		    "(%s): key rotations and revocations take effect only at a "
		    "restart; make it owned by that user", key_file,
		    strerror(errno));
	return 0;
}

/*
 * The reader for read-only requests and the commit thread's checkpointer,
 * opened after the writer has migrated the schema (server.h).
 */
static int
open_more(const struct srv_config *cfg, struct hr_db **reader,
    struct hr_db **ckpt, struct hr_error *err)
{
	if (db_open(reader, cfg->db, HR_DB_READONLY, err) < 0 ||
	    db_open(ckpt, cfg->db, 0, err) < 0)
		return -1;
	return 0;
}

/*
 * Started as root, the server writes and reads the scans' store as the
 * user it becomes: the store, and anything in it hromadactl made as root,
 * is given to that user first.
 */
static int
give_store(const struct srv_config *cfg, struct hr_store *st,
    struct hr_error *err)
{
	unsigned uid, gid;
	int keep;

	if (daemon_run_ids(cfg->user, cfg->group, &uid, &gid, &keep, err) < 0)
		return -1;
	return keep ? 0 : hr_store_give(st, uid, gid, err);
}

static int
run(const struct srv_config *cfg)
{
	struct ev_loop *loop = ev_default_loop(EVFLAG_AUTO);
	struct hr_db   *db = NULL, *reader = NULL, *ckpt = NULL;
	struct srv      srv;
	struct srv_uploads uploads = { .store = { .fd = -1, .partial_fd = -1 } };
	struct hr_error err;
	static char     key_file[4200];
	int             rc = -1, lock_fd = -1, committing = 0;

	hr_error_clear(&err);
	if (loop == NULL || loop_init(&srv, loop, cfg, &err) < 0) {
		log_error("%s", loop ? err.msg : "cannot start the event loop");
		return 1;
	}
	if (cfg->key_file != NULL)
		snprintf(key_file, sizeof key_file, "%s", cfg->key_file);
	else
		db_keys_default_file(cfg->db, key_file, sizeof key_file);
	srv.key_file = key_file;
	/* Its connections keep the checkpoints' notes open: after root is
	 * given up they may no longer be opened (db/ckptlog.h). */
	db_ckptlog_keep_open();
	if (open_store(&srv, cfg, &db, &lock_fd, &err) < 0 ||
	    open_more(cfg, &reader, &ckpt, &err) < 0)
		goto out;
	if (uploads_init(&uploads, cfg->db, cfg->upload_file_max,
	    cfg->upload_application_max, &err) < 0 ||
	    give_store(cfg, &uploads.store, &err) < 0)
		goto out;
	srv.uploads = &uploads;
	srv.writer = db;
	srv.reader = reader;
	commit_init(&srv.commit, db, (size_t)cfg->commit_batch, srv_deliver, &srv);
	committing = 1;
	/* The query threads' connections open before root is given up, as
	 * the others do (the database may be readable by root only). */
	commit_set_syncers(&srv.commit, (size_t)cfg->sync_threads);
	if (commit_watch(&srv.commit, loop, ckpt, &err) < 0 ||
	    readaudit_start(&srv, cfg->audit_read_window, &err) < 0 ||
	    query_start(&srv, cfg->query_threads, (size_t)cfg->max_connections,
	    &err) < 0 ||
	    prehash_start(&srv, cfg->hash_threads, srv_dispatch_hashed,
	    &err) < 0 ||
	    loop_listen(&srv, &err) < 0 ||
	    daemon_drop_root(cfg->user, cfg->group, &err) < 0 ||
	    spares_start(&uploads.spares, &uploads.store, &err) < 0 ||
	    check_key_file(srv.key_file) < 0 ||
	    auth_start(&srv.auth, loop, cfg->auth_workers, cfg->auth_queue,
	    method_login_finish, &srv, &err) < 0 ||
	    notices_start(&srv, &err) < 0)
		goto out;
	loop_log_audit_head(reader, "start");
	loop_run(&srv);
	rc = 0;
out:
	if (rc < 0)
		log_error("%s", err.msg);
	notices_stop(&srv);           /* a command still running is killed */
	auth_stop(srv.auth);          /* after every login was answered */
	query_stop(&srv);             /* and every read */
	prehash_stop(&srv);           /* chunks not hashed yet: dropped */
	if (committing)
		commit_free(&srv.commit);   /* joins the commit thread */
	readaudit_stop(&srv);         /* after the last batch is on disk */
	if (rc == 0)
		loop_log_audit_head(db, "stop");   /* all is committed */
	loop_free(&srv);
	uploads_free(&uploads);         /* after every request ran */
	sodium_memzero(&srv.keys, sizeof srv.keys);
	db_close(ckpt);
	db_close(reader);
	db_close(db);
	if (lock_fd >= 0)
		close(lock_fd);
	ev_loop_destroy(loop);
	if (rc == 0)
		srv_log_always("stopped");
	return rc < 0 ? 1 : 0;
}

/*
 * A request's buffers (a decrypted frame, its copy while it waits for the
 * writer) are up to a frame's size, 200 KB for a scan's chunk.  glibc
 * serves such sizes from fresh mmap'd or brk'd pages and gives them back
 * when freed, so every scan paid ~100 page faults and their zeroing
 * (perf: 9 % of the loop).  Keep them in the heap for reuse instead: the
 * memory held is bounded by the frames in flight at the busiest moment.
 */
static void
tune_malloc(void)
{
#ifdef __GLIBC__
	(void)mallopt(M_MMAP_THRESHOLD, 4 * HR_FRAME_MAX);
	(void)mallopt(M_TRIM_THRESHOLD, 64 * HR_FRAME_MAX);
#endif
}

/*
 * SQLite as Debian builds it has no lookaside allocator (OMIT_LOOKASIDE):
 * each statement mallocs and frees its cursors and cells, small blocks of
 * a few sizes, tens of thousands a second under writes.  glibc's
 * per-thread cache keeps 7 free blocks of a size; past them every malloc
 * and free goes to the arena's bins (perf: malloc and free ~10 % of the
 * loop in the write pass; callgrind, 20 clerks saving: an
 * application.save 1.26 M instructions with 7, 1.17 M with 256, no less
 * with 1000).  The cache's size is a tunable glibc reads only when a
 * process starts, from GLIBC_TUNABLES, so hromadad starts itself again
 * once with it (the same process id; an environment that sets
 * tcache_count itself is left alone).  Not under valgrind, which would let
 * the new image run without it, nor with AddressSanitizer's allocator.
 */
#define MALLOC_CACHE_TUNABLE "glibc.malloc.tcache_count"
#define MALLOC_CACHE_COUNT   256

static void
tune_malloc_cache(char **argv)
{
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
	const char *was = getenv("GLIBC_TUNABLES"), *pre = getenv("LD_PRELOAD");
	char tunables[1024], self[PATH_MAX];
	ssize_t n;

	if ((was != NULL && strstr(was, MALLOC_CACHE_TUNABLE) != NULL) ||
	    (pre != NULL && strstr(pre, "vgpreload") != NULL))
		return;
	if ((size_t)snprintf(tunables, sizeof tunables, "%s%s%s=%d",
	    was ? was : "", was && *was ? ":" : "", MALLOC_CACHE_TUNABLE,
	    MALLOC_CACHE_COUNT) >= sizeof tunables ||
	    setenv("GLIBC_TUNABLES", tunables, 1) != 0)
		return;
	/* By its own name: exec'd as /proc/self/exe the process would be
	 * called "exe" in ps, top and pgrep. */
	if ((n = readlink("/proc/self/exe", self, sizeof self - 1)) <= 0)
		return;
	self[n] = '\0';
	(void)execv(self, argv);
	/* Not restarted: on with glibc's default. */
#else
	(void)argv;
#endif
}

int
main(int argc, char **argv)
{
	struct options    o = { 0 };
	struct srv_config cfg;
	struct hr_error   err;
	int               rc;

	tune_malloc_cache(argv);
	tune_malloc();
	signal(SIGPIPE, SIG_IGN);
	srv_config_init(&cfg);
	hr_error_clear(&err);
	if ((rc = parse_options(argc, argv, &o)) != 0)
		goto done;
	if (load_config(&cfg, &o, &err) < 0 ||
	    srv_log_open(cfg.log_target, cfg.log_file, cfg.log_level, &err) < 0) {
		fprintf(stderr, "hromadad: %s\n", err.msg);
		rc = -1;
		goto done;
	}
	if (sodium_init() < 0) {
		log_error("libsodium failed to initialise");
		rc = -1;
	} else
		rc = run(&cfg) ? -1 : 0;
	srv_log_close();
done:
	free(o.listen);
	srv_config_free(&cfg);
	return rc < 0 ? 1 : 0;
}
