/*
 * cmd_files.c — hromadactl files gc|verify: the file store of the scans
 * (db/filestore.h) against the rows that name its files
 * (db/attachments.h).
 *
 * `gc` removes what nothing needs, inside one write transaction (BEGIN
 * IMMEDIATE), so that the server, whose group commit waits for the lock,
 * can neither attach nor record a file meanwhile:
 *   - uploads without progress for --keep (default 7 days): their rows
 *     and their partial files;
 *   - recorded files no attachment references: their rows and files;
 *   - files in the store no row records, partial files no upload owns,
 *     temporary files of a store write that never finished.
 * Not while a backup copies the store (the store's lock, which gc takes
 * exclusively and backup shared).
 * A content an open upload is bringing or proving is never touched: the
 * server publishes a file (renames it into place) before the transaction
 * that records it and deletes its upload, so while gc holds the lock an
 * upload row stands for every file in flight.  Files are unlinked before
 * the commit; should the commit fail, rows may name files that are gone —
 * the server checks the store before it takes a file as already there,
 * and the next gc drops such rows.
 *
 * `verify` re-hashes every recorded file (a read snapshot of the rows) and
 * prints a line for each that is missing, damaged (its content no longer
 * has its name) or of another size, with the applications it is attached
 * to — the same words in every language, for scripts — and exits 1.
 * Files no row records are counted, not an error.
 */
#include "ctl/ctl.h"

#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db/attachments.h"
#include "db/filestore.h"

#define FILES_KEEP_DEFAULT (7 * 86400)      /* uploads without progress */
#define FILES_KEEP_MAX     (3650LL * 86400)
#define FILES_TMP_AGE      3600             /* put-* leftovers older than */

/* Hashes collected before anything is changed (no table is written while
 * a statement walks it). */
struct hashes {
	uint8_t (*h)[HR_FILE_HASH_LEN];
	int64_t  *size;
	size_t    n, cap;
	int       oom;
};

static int
hashes_add(struct hashes *hs, const uint8_t h[HR_FILE_HASH_LEN],
    int64_t size)
{
	if (hs->n == hs->cap) {
		size_t ncap = hs->cap ? 2 * hs->cap : 256;
		void *a = realloc(hs->h, ncap * sizeof *hs->h);
		void *b;

		if (a == NULL) {
			hs->oom = 1;
			return 1;
		}
		hs->h = a;
		if ((b = realloc(hs->size, ncap * sizeof *hs->size)) == NULL) {
			hs->oom = 1;
			return 1;
		}
		hs->size = b;
		hs->cap = ncap;
	}
	memcpy(hs->h[hs->n], h, HR_FILE_HASH_LEN);
	hs->size[hs->n++] = size;
	return 0;
}

static void
hashes_free(struct hashes *hs)
{
	free(hs->h);
	free(hs->size);
	memset(hs, 0, sizeof *hs);
}

/* After a walk that filled hs (rc its result): 0, or -1 with hs freed. */
static int
hashes_walked(struct hashes *hs, int rc, struct hr_error *err)
{
	if (hs->oom) {
		hashes_free(hs);
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	}
	if (rc < 0) {
		hashes_free(hs);
		return -1;
	}
	return 0;
}

static int
file_cb(void *ud, const struct db_file *f)
{
	return hashes_add(ud, f->hash, f->size);
}

static int
store_cb(void *ud, const uint8_t hash[HR_FILE_HASH_LEN])
{
	return hashes_add(ud, hash, 0);
}

/* Open the store of the database (made when missing: a database from
 * before the scans has none yet). */
static int
files_open(struct ctl_ctx *ctx, struct hr_db **db, struct hr_store *st,
    struct hr_error *err)
{
	if (ctl_open(ctx, db, err) < 0)
		return -1;
	if (hr_store_open(st, ctx->db_path, 1, err) < 0) {
		db_close(*db);
		*db = NULL;
		return -1;
	}
	return 0;
}

/* ---- gc ------------------------------------------------------------------ */

struct gc {
	struct hr_db    *db;
	struct hr_store *st;
	int64_t          now, keep;
	/* what was removed */
	int64_t          uploads, files, bytes, orphans, partials, temps;
	int64_t          kept;      /* orphan files an open upload needs */
};

/* Upload ids, collected the same way. */
struct ids {
	int64_t *id;
	size_t   n, cap;
	int      oom;
};

static int
ids_add(struct ids *s, int64_t id)
{
	if (s->n == s->cap) {
		size_t ncap = s->cap ? 2 * s->cap : 64;
		int64_t *a = realloc(s->id, ncap * sizeof *a);

		if (a == NULL) {
			s->oom = 1;
			return 1;
		}
		s->id = a;
		s->cap = ncap;
	}
	s->id[s->n++] = id;
	return 0;
}

static int
stale_cb(void *ud, const struct db_upload *u)
{
	return ids_add(ud, u->id);
}

/* Uploads without progress for --keep: rows and partial files. */
static int
gc_stale_uploads(struct gc *g, struct hr_error *err)
{
	struct ids s = { NULL, 0, 0, 0 };
	int rc = db_uploads_stale_each(g->db, g->now - g->keep, stale_cb, &s,
	    err);

	if (s.oom)
		rc = hr_error_set(err, HR_E_INTERNAL, "out of memory");
	for (size_t i = 0; rc == 0 && i < s.n; i++) {
		rc = db_upload_delete(g->db, s.id[i], err);
		if (rc == 0) {
			hr_store_partial_remove(g->st, s.id[i]);
			g->uploads++;
		}
	}
	free(s.id);
	return rc;
}

/* Recorded files nothing references: rows, then files. */
static int
gc_unreferenced(struct gc *g, struct hr_error *err)
{
	struct hashes hs = { 0 };
	int rc;

	if (hashes_walked(&hs, db_files_unreferenced_each(g->db, file_cb, &hs,
	    err), err) < 0)
		return -1;
	rc = 0;
	for (size_t i = 0; rc == 0 && i < hs.n; i++) {
		rc = db_file_delete(g->db, hs.h[i], err);
		if (rc == 0)
			rc = hr_store_remove(g->st, hs.h[i], err);
		if (rc == 0) {
			g->files++;
			g->bytes += hs.size[i];
		}
	}
	hashes_free(&hs);
	return rc;
}

/* Files in the store that no row records (a crash between the rename and
 * the commit, a gc that could not commit): removed, unless an open upload
 * of that content is about to record it. */
static int
gc_orphans(struct gc *g, struct hr_error *err)
{
	struct hashes hs = { 0 };
	int rc;

	if (hashes_walked(&hs, hr_store_each(g->st, store_cb, &hs, err),
	    err) < 0)
		return -1;
	rc = 0;
	for (size_t i = 0; rc == 0 && i < hs.n; i++) {
		struct db_file f;
		int found = 0, open = 0;

		rc = db_file_get(g->db, hs.h[i], &f, &found, err);
		if (rc == 0 && !found)
			rc = db_upload_hash_open(g->db, hs.h[i], &open, err);
		if (rc < 0 || found)
			continue;
		if (open) {
			g->kept++;
			continue;
		}
		rc = hr_store_remove(g->st, hs.h[i], err);
		if (rc == 0)
			g->orphans++;
	}
	hashes_free(&hs);
	return rc;
}

static int
partial_cb(void *ud, int64_t id)
{
	return ids_add(ud, id);
}

/* Partial files of uploads that are no more. */
static int
gc_partials(struct gc *g, struct hr_error *err)
{
	struct ids s = { NULL, 0, 0, 0 };
	int rc = hr_store_partials_each(g->st, partial_cb, &s, err);

	if (s.oom)
		rc = hr_error_set(err, HR_E_INTERNAL, "out of memory");
	for (size_t i = 0; rc == 0 && i < s.n; i++) {
		int exists = 1;

		rc = db_upload_exists(g->db, s.id[i], &exists, err);
		if (rc == 0 && !exists) {
			hr_store_partial_remove(g->st, s.id[i]);
			g->partials++;
		}
	}
	free(s.id);
	return rc;
}

/* Temporary files of a store write that never finished (a killed
 * hromadactl demo or restore): older than an hour. */
static void
gc_temps(struct gc *g)
{
	int fd = openat(g->st->partial_fd, ".", O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;
	struct stat sb;

	if (d == NULL) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, "put-", 4) != 0 ||
		    fstatat(g->st->partial_fd, e->d_name, &sb,
		    AT_SYMLINK_NOFOLLOW) != 0 ||
		    (int64_t)sb.st_mtime > g->now - FILES_TMP_AGE)
			continue;
		if (unlinkat(g->st->partial_fd, e->d_name, 0) == 0)
			g->temps++;
	}
	closedir(d);
}

static int
files_gc(struct ctl_ctx *ctx, int64_t keep, struct hr_error *err)
{
	struct hr_store st;
	struct gc g = { 0 };
	char detail[200];
	int rc;

	if (files_open(ctx, &g.db, &st, err) < 0)
		return -1;
	g.st = &st;
	g.now = db_now();
	g.keep = keep;
	/* Not while a backup copies the store: it must find every file its
	 * snapshot names. */
	rc = hr_store_lock(&st, 1, err);
	if (rc == 0)
		rc = db_begin(g.db, err);
	if (rc == 0) {
		if (gc_stale_uploads(&g, err) < 0 ||
		    gc_unreferenced(&g, err) < 0 || gc_orphans(&g, err) < 0 ||
		    gc_partials(&g, err) < 0)
			rc = -1;
		if (rc == 0) {
			snprintf(detail, sizeof detail, "%" PRId64 " files (%"
			    PRId64 " bytes), %" PRId64 " uploads, %" PRId64
			    " orphans, %" PRId64 " partials", g.files, g.bytes,
			    g.uploads, g.orphans, g.partials);
			rc = ctl_audit(g.db, "files.gc", "store", detail, err);
		}
		if (rc == 0)
			rc = db_commit(g.db, err);
		else
			db_rollback(g.db);
	}
	if (rc == 0) {
		gc_temps(&g);
		rc = hr_store_sync(&st, err);
	}
	hr_store_close(&st);
	db_close(g.db);
	if (rc < 0)
		return -1;
	printf(_("Removed %lld files no application uses (%lld bytes), %lld "
	    "uploads without progress, %lld files and %lld partial files "
	    "nothing recorded, %lld temporary files\n"), (long long)g.files,
	    (long long)g.bytes, (long long)g.uploads, (long long)g.orphans,
	    (long long)g.partials, (long long)g.temps);
	if (g.kept > 0)
		printf(_("Kept %lld files that open uploads are bringing\n"),
		    (long long)g.kept);
	return 0;
}

/* ---- verify -------------------------------------------------------------- */

static int
verify_one(struct hr_db *db, struct hr_store *st, const uint8_t *h,
    int64_t size, int *bad, struct hr_error *err)
{
	char hex[HR_FILE_HASH_HEX], uses[512];
	const char *what = NULL;
	uint64_t got = 0;
	int ok = 0;

	if (hr_store_rehash(st, h, &ok, &got, err) < 0) {
		if (err->code != HR_E_NOT_FOUND)
			return -1;
		what = "missing";
	} else if (!ok) {
		what = "damaged";
	} else if ((int64_t)got != size) {
		what = "size";
	}
	if (what == NULL)
		return 0;
	(*bad)++;
	if (db_file_uses(db, h, uses, sizeof uses, err) < 0)
		return -1;
	hr_filehash_hex(h, hex);
	printf("%s\t%s\t%" PRId64 "\t%s\n", what, hex, size,
	    uses[0] ? uses : "-");
	return 0;
}

static int
files_verify(struct ctl_ctx *ctx, struct hr_error *err)
{
	struct hashes rows = { 0 }, stored = { 0 };
	struct hr_store st;
	struct hr_db *db;
	int64_t bytes = 0, orphans = 0, count;
	int bad = 0, rc;

	if (files_open(ctx, &db, &st, err) < 0)
		return -1;
	rc = db_begin_read(db, err);
	if (rc == 0)
		rc = hashes_walked(&rows, db_files_each(db, file_cb, &rows, err),
		    err);
	if (rc == 0)
		rc = hashes_walked(&stored, hr_store_each(&st, store_cb, &stored,
		    err), err);
	for (size_t i = 0; rc == 0 && i < rows.n; i++) {
		rc = verify_one(db, &st, rows.h[i], rows.size[i], &bad, err);
		bytes += rows.size[i];
	}
	for (size_t i = 0; rc == 0 && i < stored.n; i++) {
		struct db_file f;
		int found = 0;

		rc = db_file_get(db, stored.h[i], &f, &found, err);
		if (rc == 0 && !found)
			orphans++;
	}
	if (rc == 0)
		rc = db_commit(db, err);
	else
		db_rollback(db);
	count = (int64_t)rows.n;
	hashes_free(&rows);
	hashes_free(&stored);
	hr_store_close(&st);
	db_close(db);
	if (rc < 0)
		return -1;
	if (bad > 0)
		return hr_errorf(err, HR_E_INVALID, "files.damaged", "{bad} of "
		    "{count} stored files are missing or damaged (listed "
		    "above): restore them from a backup",
		    HR_INT("bad", bad), HR_INT("count", count));
	printf(_("Files intact: %lld files, %lld bytes re-hashed\n"),
	    (long long)count, (long long)bytes);
	if (orphans > 0)
		printf(_("%lld files in the store are recorded nowhere "
		    "(`hromadactl files gc` removes them)\n"),
		    (long long)orphans);
	return 0;
}

static int
cmd_files_exec(struct ctl_ctx *ctx, int argc, char **argv,
    struct hr_error *err)
{
	const char *keep_s = NULL;
	int64_t keep = FILES_KEEP_DEFAULT;

	if (argc < 2 || (strcmp(argv[1], "gc") != 0 &&
	    strcmp(argv[1], "verify") != 0))
		return hr_errorf(err, HR_E_USAGE, "ctl.subcommand", "files "
		    "wants gc or verify");
	if (strcmp(argv[1], "verify") == 0) {
		if (argc != 2)
			return hr_errorf(err, HR_E_USAGE, "ctl.arguments",
			    "files {command} takes no arguments",
			    HR_STR("command", argv[1]));
		return files_verify(ctx, err);
	}
	for (int i = 2; i < argc; i++) {
		int r = ctl_opt_value(argc, argv, &i, "--keep", &keep_s, err);

		if (r < 0)
			return -1;
		if (r == 0)
			return hr_errorf(err, HR_E_USAGE, "ctl.argument",
			    "{command}: unexpected argument \"{value}\"",
			    HR_STR("command", "files gc"), HR_STR("value",
			    argv[i]));
	}
	if (keep_s != NULL && ctl_opt_duration("--keep", keep_s,
	    FILES_KEEP_MAX, &keep, err) < 0)
		return -1;
	return files_gc(ctx, keep, err);
}

const struct ctl_cmd ctl_cmd_files = {
	"files", cmd_files_exec, "gc [--keep DURATION] | verify",
	N_("Remove scans nothing uses, or check every stored scan"),
	N_("files gc [--keep DURATION]\n"
	"    Remove, in one write transaction, the scans no application\n"
	"    uses, uploads without progress for DURATION (default 7d;\n"
	"    seconds, or 30m, 36h, 7d) with their partial files, and files\n"
	"    in the store nothing records.  A file an open upload is\n"
	"    bringing is never removed.  Safe while hromadad runs.\n"
	"files verify\n"
	"    Hash every stored scan anew; exit 1 listing each that is\n"
	"    missing, damaged or of another size, with the applications it\n"
	"    is attached to (restore those from a backup).\n"),
};
