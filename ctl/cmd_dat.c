/*
 * cmd_dat.c — hromadactl dat export|import|list|get: the back office's
 * *.DAT exchange run unattended (from cron), against the live database.
 *
 *   dat export --system S [--back-office ID] [--status checked]
 *              [--charset UTF-8|CP1251] [--user LOGIN] --out DIR
 *   dat import [--user LOGIN] FILE...
 *   dat list   [--back-office ID] [--limit N]
 *   dat get N  [--back-office ID] --out DIR
 *
 * The work is the server's own (db/dat_export.h, db/dat_import.h): the
 * same checks, the same numbering, the same history rows and the same
 * audit records, in the name of a back-office user (--user, else the one
 * active specialist of that back office), the actor written as that user
 * with "hromadactl USER@TTY" as the address.  Safe while hromadad serves:
 * each file is one write transaction (BEGIN IMMEDIATE, which waits out the
 * server's group commit with the busy timeout; the server waits for ours
 * the same way), SQLite in WAL mode.
 *
 * A file is never half there: an export file is written beside its final
 * name and forced to the disk before the transaction commits, and gets
 * its name after; should the commit fail, the temporary file is removed
 * and nothing was exported.  Export writes files until no checked
 * application of the system is left (DB_DAT_EXPORT_MAX per file).
 *
 * Exit status (for cron): 0 done; 1 a file was refused or something
 * failed (the message on stderr names the file and why); 2 usage; 3
 * export found nothing checked (nothing was numbered).
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctl/ctl.h"
#include "db/audit.h"
#include "db/dat.h"
#include "db/dat_export.h"
#include "db/dat_import.h"
#include "db/db.h"
#include "db/durable.h"
#include "db/territory.h"
#include "db/users.h"
#include "paper/file.h"
#include "proto/roles.h"

#define DAT_EXIT_NOTHING 3

struct dat_opts {
	const char *sub, *system, *office, *status, *charset, *user, *out;
	const char *limit;
	char      **files;
	int         nfiles;
};

/* The acting user: a specialist of a back office. */
struct dat_who {
	struct db_dat_actor actor;
	struct hr_db       *db;
	int64_t             spszn_id;
	char                login[128];
	char                office[HR_DAT_OFFICE_MAX];
	char                where[300];
};

static int
who_audit(void *ud, const char *action, const char *object,
    const char *detail, struct hr_error *err)
{
	struct dat_who *w = ud;
	struct db_audit_entry e = { w->actor.user_id, w->login, w->where,
	    action, object, detail };

	return db_audit(w->db, &e, err);
}

/* ---- options ----------------------------------------------------------- */

static int
dat_parse(int argc, char **argv, struct dat_opts *o, struct hr_error *err)
{
	static const struct {
		const char *name;
		size_t      off;
	} vals[] = {
		{ "--system",      offsetof(struct dat_opts, system) },
		{ "--back-office", offsetof(struct dat_opts, office) },
		{ "--status",      offsetof(struct dat_opts, status) },
		{ "--charset",     offsetof(struct dat_opts, charset) },
		{ "--user",        offsetof(struct dat_opts, user) },
		{ "--out",         offsetof(struct dat_opts, out) },
		{ "--limit",       offsetof(struct dat_opts, limit) },
	};

	memset(o, 0, sizeof *o);
	if (argc < 2 || (strcmp(argv[1], "export") != 0 &&
	    strcmp(argv[1], "import") != 0 && strcmp(argv[1], "list") != 0 &&
	    strcmp(argv[1], "get") != 0))
		return hr_errorf(err, HR_E_USAGE, "ctl.dat_subcommand", "dat "
		    "wants export, import, list or get");
	o->sub = argv[1];
	if ((o->files = calloc((size_t)argc, sizeof *o->files)) == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	for (int i = 2; i < argc; i++) {
		int r = 0;

		for (size_t k = 0; r == 0 && k < sizeof vals / sizeof vals[0];
		    k++) {
			const char *v;

			if ((r = ctl_opt_value(argc, argv, &i, vals[k].name, &v,
			    err)) > 0)
				*(const char **)((char *)o + vals[k].off) = v;
		}
		if (r < 0)
			return -1;
		if (r > 0)
			continue;
		if (argv[i][0] == '-' && argv[i][1] != '\0')
			return ctl_unexpected(o->sub, argv[i], err);
		o->files[o->nfiles++] = argv[i];
	}
	return 0;
}

/* Which options each subcommand takes, and what it needs. */
static int
dat_check(const struct dat_opts *o, struct hr_error *err)
{
	const char *bad = NULL;
	int export = strcmp(o->sub, "export") == 0;
	int import = strcmp(o->sub, "import") == 0;
	int get = strcmp(o->sub, "get") == 0;

	if (!export && (o->system || o->status || o->charset))
		bad = o->system ? "--system" : o->status ? "--status" :
		    "--charset";
	else if (import && o->office)
		bad = "--back-office";
	else if ((export || import || get) && o->limit)
		bad = "--limit";
	else if (!export && !get && o->out)
		bad = "--out";
	else if (!import && !get && o->nfiles > 0)
		bad = o->files[0];
	else if (get && o->nfiles > 1)
		bad = o->files[1];
	if (bad != NULL)
		return ctl_unexpected(o->sub, bad, err);
	if (export && (o->system == NULL || o->out == NULL))
		return hr_errorf(err, HR_E_USAGE, "ctl.dat_export_args", "dat "
		    "export wants --system SYSTEM and --out DIR");
	if (export && o->status && strcmp(o->status, "checked") != 0)
		return hr_errorf(err, HR_E_USAGE, "ctl.dat_status", "only "
		    "checked applications are exported, not \"{value}\"",
		    HR_STR("value", o->status));
	if (export && o->charset && strcmp(o->charset, "UTF-8") != 0 &&
	    strcmp(o->charset, "CP1251") != 0)
		return hr_errorf(err, HR_E_INVALID, "dat.charset",
		    "UTF-8 or CP1251"), hr_error_at(err, "charset");
	if (import && o->nfiles == 0)
		return hr_errorf(err, HR_E_USAGE, "ctl.dat_import_args", "dat "
		    "import wants one or more answer files");
	if (get && (o->nfiles != 1 || o->out == NULL))
		return hr_errorf(err, HR_E_USAGE, "ctl.dat_get_args", "dat get "
		    "wants the file's number from dat list and --out DIR");
	return 0;
}

/* ---- who acts, for which back office ---------------------------------- */

struct pick {
	int64_t spszn_id;        /* 0: any back office */
	int64_t user_id, territory_id;
	char    login[128], others[256];
	int     n;
};

static int
pick_cb(void *ud, const struct db_user *u)
{
	struct pick *p = ud;

	if (u->role != HR_ROLE_SPSZN || u->disabled ||
	    (p->spszn_id != 0 && u->territory_id != p->spszn_id))
		return 0;
	if (p->n++ == 0) {
		p->user_id = u->id;
		p->territory_id = u->territory_id;
		snprintf(p->login, sizeof p->login, "%s", u->name);
	} else {
		size_t used = strlen(p->others);

		snprintf(p->others + used, sizeof p->others - used, "%s%s",
		    used ? ", " : "", u->name);
	}
	return 0;
}

/* The back office named by spec (id, КАТОТТГ or name): its id. */
static int
office_find(struct hr_db *db, const char *spec, int64_t *id,
    struct hr_error *err)
{
	struct db_territory t;
	int kind;

	if (db_territory_find(db, spec, &t, err) < 0)
		return -1;
	*id = t.id;
	kind = t.kind;
	db_territory_free(&t);
	if (kind != HR_TERR_SPSZN)
		return hr_errorf(err, HR_E_INVALID, "ctl.dat_not_back_office",
		    "territory {value} is not a back office (СПСЗН)",
		    HR_STR("value", spec));
	return 0;
}

/*
 * Who acts: --user (a specialist of the back office), else the one active
 * specialist of the back office (of any, when none is named).
 */
static int
who_find(struct hr_db *db, const char *login, int64_t spszn_id,
    struct dat_who *w, struct hr_error *err)
{
	struct pick p;

	memset(&p, 0, sizeof p);
	p.spszn_id = spszn_id;
	if (login != NULL) {
		struct db_user u;

		if (db_user_by_name(db, login, &u, err) < 0)
			return -1;
		pick_cb(&p, &u);
		db_user_free(&u);
		if (p.n == 0)
			return hr_errorf(err, HR_E_INVALID, "ctl.dat_user",
			    "user {user} is not an active specialist of this "
			    "back office", HR_STR("user", login));
	} else {
		if (db_user_each(db, 0, pick_cb, &p, err) < 0)
			return -1;
		if (p.n == 0)
			return hr_errorf(err, HR_E_INVALID, "ctl.dat_no_user",
			    "no active back-office specialist to act as; "
			    "create one (user add --role spszn)");
		if (p.n > 1)
			return hr_errorf(err, HR_E_USAGE, "ctl.dat_which_user",
			    "name the specialist to act as with --user "
			    "(also: {users})", HR_STR("users", p.others));
	}
	memset(w, 0, sizeof *w);
	w->db = db;
	w->spszn_id = p.territory_id;
	w->actor.user_id = p.user_id;
	w->actor.role = HR_ROLE_SPSZN;
	w->actor.audit = who_audit;
	w->actor.ud = w;
	snprintf(w->login, sizeof w->login, "%s", p.login);
	snprintf(w->where, sizeof w->where, "hromadactl ");
	ctl_where(w->where + strlen(w->where), sizeof w->where -
	    strlen(w->where));
	return db_dat_office_code(db, w->spszn_id, w->office,
	    sizeof w->office, err);
}

/* --back-office and --user together: the back office decides. */
static int
who_for(struct hr_db *db, const struct dat_opts *o, struct dat_who *w,
    struct hr_error *err)
{
	int64_t spszn_id = 0;

	if (o->office != NULL && office_find(db, o->office, &spszn_id,
	    err) < 0)
		return -1;
	return who_find(db, o->user, spszn_id, w, err);
}

/* ---- files ------------------------------------------------------------- */

/* Write data into dir/.name.tmp (0600, new), forced to the disk. */
static int
file_write_tmp(const char *dir, const char *name, const void *data,
    size_t len, char *tmp, size_t cap, struct hr_error *err)
{
	const char *p = data;
	int fd;

	snprintf(tmp, cap, "%s/.%s.tmp", dir, name);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0)
		return paper_file_error(err, tmp, errno);
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = n < 0 ? errno : ENOSPC;

			close(fd);
			unlink(tmp);
			return paper_file_error(err, tmp, e);
		}
		p += n;
		len -= (size_t)n;
	}
	if (fsync(fd) < 0 || close(fd) < 0) {
		int e = errno;

		unlink(tmp);
		return paper_file_error(err, tmp, e);
	}
	return 0;
}

/* Give the temporary file its name (never over another file). */
static int
file_publish(const char *dir, const char *tmp, const char *name,
    char *path, size_t cap, struct hr_error *err)
{
	snprintf(path, cap, "%s/%s", dir, name);
	if (link(tmp, path) < 0) {
		int e = errno;

		return paper_file_error(err, path, e);
	}
	unlink(tmp);
	return db_fsync_dir(dir, err);
}

/* The output directory: made (0700) when missing. */
static int
out_dir(const char *given, char *dir, size_t cap, struct hr_error *err)
{
	struct stat st;

	if (paper_expand_home(given, dir, cap) < 0)
		return hr_errorf(err, HR_E_USAGE, "ctl.dat_out", "--out {value} "
		    "is too long", HR_STR("value", given));
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return paper_file_error(err, dir, errno);
	if (stat(dir, &st) < 0)
		return paper_file_error(err, dir, errno);
	if (!S_ISDIR(st.st_mode))
		return hr_errorf(err, HR_E_IO, "ctl.dat_out_not_dir",
		    "{file} is not a folder", HR_STR("file", dir));
	return 0;
}

/* ---- export ------------------------------------------------------------ */

/* One file: 0 made (x->remaining says whether to go on), -1 err. */
static int
export_one(struct hr_db *db, struct dat_who *w, const struct dat_opts *o,
    const char *dir, struct db_dat_export *x, struct hr_error *err)
{
	char tmp[PAPER_PATH_MAX + 128], path[PAPER_PATH_MAX + 128];
	struct stat st;
	int rc;

	memset(x, 0, sizeof *x);
	x->spszn_id = w->spszn_id;
	x->office = w->office;
	x->system = o->system;
	x->charset = o->charset && strcmp(o->charset, "CP1251") == 0 ?
	    HR_DAT_CP1251 : HR_DAT_UTF8;
	if (db_begin(db, err) < 0)
		return -1;
	rc = db_dat_export_run(db, &w->actor, x, err);
	if (rc == 0) {
		snprintf(path, sizeof path, "%s/%s", dir, x->name);
		if (lstat(path, &st) == 0)
			rc = hr_errorf(err, HR_E_DUPLICATE, "ctl.dat_exists",
			    "{file} is there already: this database numbers "
			    "its files as another did; nothing was exported",
			    HR_STR("file", path));
	}
	if (rc == 0)
		rc = file_write_tmp(dir, x->name, hr_buf_head(&x->file),
		    hr_buf_used(&x->file), tmp, sizeof tmp, err);
	if (rc < 0) {
		db_rollback(db);
		return -1;
	}
	if (db_commit(db, err) < 0) {
		db_rollback(db);
		unlink(tmp);
		return -1;
	}
	if (file_publish(dir, tmp, x->name, path, sizeof path, err) < 0)
		return hr_error_prefix(err, "exchange file No. {number} is "
		    "exported and kept in the database (dat get), but",
		    HR_INT("number", x->number));
	printf(_("%s: %u applications\n"), path, x->count);
	return 0;
}

static int
dat_export(struct hr_db *db, const struct dat_opts *o, int *nothing,
    struct hr_error *err)
{
	struct dat_who w;
	struct db_dat_export x;
	char dir[PAPER_PATH_MAX];
	int files = 0, rc;

	if (who_for(db, o, &w, err) < 0 || out_dir(o->out, dir, sizeof dir,
	    err) < 0)
		return -1;
	do {
		rc = export_one(db, &w, o, dir, &x, err);
		db_dat_export_free(&x);
		if (rc < 0 && files > 0 &&
		    strcmp(err->id, "dat.nothing_to_export") == 0)
			return 0;         /* taken by the server meanwhile */
		if (rc < 0) {
			*nothing = files == 0 &&
			    strcmp(err->id, "dat.nothing_to_export") == 0;
			return -1;
		}
		files++;
	} while (x.remaining > 0);
	return 0;
}

/* ---- import ------------------------------------------------------------ */

static void *
file_read(const char *path, size_t *len, struct hr_error *err)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;

	if (f == NULL) {
		paper_file_error(err, path, errno);
		return NULL;
	}
	if ((buf = malloc(HR_DAT_FILE_MAX + 1)) == NULL) {
		fclose(f);
		hr_error_set(err, HR_E_INTERNAL, "out of memory");
		return NULL;
	}
	n = fread(buf, 1, HR_DAT_FILE_MAX + 1, f);
	if (ferror(f)) {
		paper_file_error(err, path, errno ? errno : EIO);
		n = 0;
	} else if (n > HR_DAT_FILE_MAX)
		hr_errorf(err, HR_E_INVALID, "dat.too_big", "the file is "
		    "larger than {max} bytes", HR_INT("max", HR_DAT_FILE_MAX));
	else if (n == 0)
		hr_errorf(err, HR_E_IO, "file.empty", "{file} is empty",
		    HR_STR("file", path));
	fclose(f);
	if (n == 0 || n > HR_DAT_FILE_MAX) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

/* The back office an answer is for: its header's office. */
static int
answer_office(struct hr_db *db, const void *data, size_t len,
    int64_t *spszn_id, struct hr_error *err)
{
	struct hr_dat d;
	int rc;

	memset(&d, 0, sizeof d);
	rc = hr_dat_parse(data, len, &d, err);
	if (rc == 0 && (rc = office_find(db, d.hdr.office, spszn_id,
	    err)) < 0 && err->code == HR_E_NOT_FOUND)
		hr_errorf(err, HR_E_INVALID, "dat.office_unknown",
		    "the file is for back office {office}, which this "
		    "database does not have", HR_STR("office", d.hdr.office));
	hr_dat_free(&d);
	return rc;
}

/*
 * A file refused before the import could start (unreadable, for a back
 * office the database does not have, no one to act as): its audit record
 * in hromadactl's own name.  Returns -1 with err as it was.
 */
static int
import_unread(struct hr_db *db, const char *name, struct hr_error *err)
{
	char object[HR_DAT_NAME_MAX + 160], detail[HR_ERROR_MSG_MAX + 200];
	struct hr_error e;

	if (err->code == HR_E_INTERNAL || err->code == HR_E_BUSY)
		return -1;
	snprintf(object, sizeof object, "dat_file:%s", name);
	snprintf(detail, sizeof detail, "%s refused: %s [%s]", name, err->msg,
	    err->id);
	hr_error_clear(&e);
	if (db_begin(db, &e) < 0)
		return -1;
	if (ctl_audit(db, "dat.import_refused", object, detail, &e) < 0 ||
	    db_commit(db, &e) < 0)
		db_rollback(db);
	return -1;
}

static int
import_one(struct hr_db *db, const struct dat_opts *o, const char *path,
    struct hr_error *err)
{
	struct db_dat_import x;
	struct dat_who w;
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	int64_t spszn_id;
	void *data;
	int rc;

	memset(&x, 0, sizeof x);
	if ((data = file_read(path, &x.len, err)) == NULL)
		return import_unread(db, base, err);
	rc = answer_office(db, data, x.len, &spszn_id, err);
	if (rc == 0)
		rc = who_find(db, o->user, spszn_id, &w, err);
	if (rc < 0) {
		free(data);
		return import_unread(db, base, err);
	}
	if ((rc = db_begin(db, err)) == 0) {
		struct hr_error e;

		x.name = base;
		x.data = data;
		x.spszn_id = w.spszn_id;
		x.office = w.office;
		rc = db_dat_import_run(db, &w.actor, &x, err);
		/* a refused file: only its audit record was written; keep it */
		if ((rc == 0 || x.refused) && db_commit(db, rc == 0 ? err :
		    &e) < 0)
			rc = -1;
		if (rc < 0)
			db_rollback(db);
	}
	if (rc == 0)
		printf(_("%s: %u decisions imported\n"), path, x.imported);
	db_dat_import_free(&x);
	free(data);
	return rc;
}

static int
dat_import(struct hr_db *db, const struct dat_opts *o, struct hr_error *err)
{
	char text[HR_ERROR_MSG_MAX * 2];
	int failed = 0;

	for (int i = 0; i < o->nfiles; i++) {
		struct hr_error e;

		hr_error_clear(&e);
		if (import_one(db, o, o->files[i], &e) == 0)
			continue;
		if (failed++ == 0)
			*err = e;
		fprintf(stderr, "hromadactl dat import: %s: %s\n", o->files[i],
		    ctl_error_text(&e, text, sizeof text));
	}
	if (failed == 0)
		return 0;
	return hr_errorf(err, HR_E_STATE, "ctl.dat_refused", "{bad} of "
	    "{count} files not imported", HR_INT("bad", failed),
	    HR_INT("count", o->nfiles));
}

/* ---- list, get --------------------------------------------------------- */

static int
list_cb(void *ud, const struct db_dat_file *f)
{
	char when[32];

	(void)ud;
	db_dat_when(f->stored_at, when, sizeof when);
	printf("%6lld  %-6s  %-8s %06lld  %-16s %6lld  ", (long long)f->id,
	    f->direction, f->system, (long long)f->number, when,
	    (long long)f->record_count);
	ctl_cell(f->user ? f->user : "-", 24);
	printf("  %s\n", f->name);
	return 0;
}

static int
dat_list(struct hr_db *db, const struct dat_opts *o, struct hr_error *err)
{
	int64_t spszn_id;
	long limit = 50;
	char *end;

	if (o->limit != NULL) {
		limit = strtol(o->limit, &end, 10);
		if (*end != '\0' || limit < 1 || limit > 100000)
			return hr_errorf(err, HR_E_USAGE, "ctl.dat_limit",
			    "--limit wants a number from 1 to 100000, not "
			    "\"{value}\"", HR_STR("value", o->limit));
	}
	if (o->office != NULL) {
		if (office_find(db, o->office, &spszn_id, err) < 0)
			return -1;
	} else {
		struct dat_who w;

		if (who_find(db, o->user, 0, &w, err) < 0)
			return -1;
		spszn_id = w.spszn_id;
	}
	printf("%6s  %-6s  %-8s %-6s  %-16s %6s  ", "ID", _("KIND"),
	    _("SYSTEM"), "NO.", _("STORED"), _("COUNT"));
	ctl_cell(_("BY"), 24);
	printf("  %s\n", _("FILE"));
	return db_dat_file_each(db, spszn_id, (int)limit, list_cb, NULL, err);
}

static int
name_cb(void *ud, const struct db_dat_file *f)
{
	snprintf(ud, HR_DAT_NAME_MAX + 8, "%s", f->name);
	return 0;
}

static int
dat_get(struct hr_db *db, const struct dat_opts *o, struct hr_error *err)
{
	char dir[PAPER_PATH_MAX], tmp[PAPER_PATH_MAX + 128];
	char path[PAPER_PATH_MAX + 128], name[HR_DAT_NAME_MAX + 8];
	char object[40];
	struct dat_who w;
	int64_t id;
	void *data = NULL;
	size_t len;
	char *end;
	int rc;

	id = strtoll(o->files[0], &end, 10);
	if (*end != '\0' || id < 1)
		return hr_errorf(err, HR_E_USAGE, "ctl.dat_get_id", "dat get "
		    "wants the ID dat list shows, not \"{value}\"",
		    HR_STR("value", o->files[0]));
	if (who_for(db, o, &w, err) < 0 || out_dir(o->out, dir, sizeof dir,
	    err) < 0)
		return -1;
	snprintf(object, sizeof object, "dat_file:%lld", (long long)id);
	if (db_begin(db, err) < 0)
		return -1;
	rc = db_dat_file_get(db, id, w.spszn_id, name_cb, name, &data, &len,
	    err);
	if (rc == 0)
		rc = who_audit(&w, "dat.read", object, NULL, err);
	if (rc == 0)
		rc = file_write_tmp(dir, name, data, len, tmp, sizeof tmp, err);
	if (rc == 0 && (rc = db_commit(db, err)) < 0)
		unlink(tmp);
	if (rc < 0)
		db_rollback(db);
	if (rc == 0 && (rc = file_publish(dir, tmp, name, path, sizeof path,
	    err)) < 0)
		unlink(tmp);
	if (rc == 0)
		printf("%s\n", path);
	free(data);
	return rc;
}

/* ---- the command ------------------------------------------------------- */

static int
cmd_dat_exec(struct ctl_ctx *ctx, int argc, char **argv,
    struct hr_error *err)
{
	struct dat_opts o;
	struct hr_db *db;
	int rc, nothing = 0;

	rc = dat_parse(argc, argv, &o, err);
	if (rc == 0)
		rc = dat_check(&o, err);
	if (rc == 0 && (rc = ctl_open(ctx, &db, err)) == 0) {
		/* one page cache for all the files of the command: each file
		 * finds the pages the files before it read (db/dat.h) */
		if ((strcmp(o.sub, "export") == 0 || strcmp(o.sub, "import") ==
		    0) && db_cache_set(db, DB_DAT_CACHE_KIB, err) < 0)
			rc = -1;
		else if (strcmp(o.sub, "export") == 0)
			rc = dat_export(db, &o, &nothing, err);
		else if (strcmp(o.sub, "import") == 0)
			rc = dat_import(db, &o, err);
		else if (strcmp(o.sub, "list") == 0)
			rc = dat_list(db, &o, err);
		else
			rc = dat_get(db, &o, err);
		db_close(db);
	}
	free(o.files);
	if (rc < 0 && nothing) {
		char text[HR_ERROR_MSG_MAX * 2];

		printf("%s\n", ctl_error_text(err, text, sizeof text));
		exit(DAT_EXIT_NOTHING);
	}
	return rc;
}

const struct ctl_cmd ctl_cmd_dat = {
	"dat", cmd_dat_exec,
	"export --system SYSTEM [--back-office ID] [--status checked] "
	"--out DIR | import FILE... | list | get ID --out DIR",
	N_("Export and import the back office's *.DAT exchange files"),
	N_("export             write every checked application of SYSTEM\n"
	"                   (asopd, edarp, subsidy) into numbered files\n"
	"                   in DIR, marking them exported\n"
	"  --back-office ID the back office (id, KATOTTG or name)\n"
	"  --status checked what is exported (only checked ones)\n"
	"  --charset CS     UTF-8 (default) or CP1251\n"
	"  --out DIR        the folder (made when missing)\n"
	"import FILE...     import decision systems' answer files, each\n"
	"                   whole or not at all\n"
	"list               the back office's exchange files, newest first\n"
	"  --limit N        at most N (default 50)\n"
	"get ID --out DIR   save a stored file (its ID from list) again\n"
	"every subcommand:\n"
	"  --user LOGIN     the back-office specialist to act as (default:\n"
	"                   the only active one)\n"
	"exit status: 0 done, 1 refused or failed, 2 usage, 3 nothing was\n"
	"checked to export\n"),
};
