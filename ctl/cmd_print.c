/*
 * cmd_print.c — hromadactl print: the documents the client prints, from
 * the database, for batch runs (a day's transfer registers, a pile of
 * receipts).
 *
 *   print application|receipt|notice APPLICATION [options]
 *   print register REGISTER [options]
 *   print registers --date YYYY-MM-DD [--office TERRITORY] [options]
 *   options: --format pdf|text|cp866   --dir DIR | --out FILE   --lp
 *            --hromada TERRITORY (with a registration number)
 *            --office TERRITORY (with a register's N/YYYY)
 *
 * The data come from db/print.h, the reader the server uses for
 * application.print and register.get, and the documents from paper/, so
 * the client and this command print the same facts the same way; a
 * register prints byte for byte as the client prints it.  Files are saved
 * as the client saves them (0600, atomically; default folder the current
 * one).  Every document printed is one audit record, as every print by
 * the client is.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl/ctl.h"
#include "db/print.h"
#include "db/registers.h"
#include "db/territory.h"
#include "paper/file.h"
#include "paper/forms.h"
#include "paper/render.h"
#include "proto/buf.h"

#define PRINT_LP_TIMEOUT_MS 15000

struct print_opts {
	int         kind;            /* enum paper_kind */
	int         fmt;             /* enum paper_format */
	const char *spec;            /* the application or register named */
	const char *dir, *out, *date, *hromada, *office;
	int         lp;
};

/* Render `d` and save it (or write it to stdout for --out -). */
static int
print_emit(const struct print_opts *o, struct paper_doc *d,
    const char *number, struct hr_error *err)
{
	struct paper_bytes bytes = { 0 };
	char name[256], path[PAPER_PATH_MAX + 256], reply[512];
	const char *dir = o->dir ? o->dir : ".";
	int rc;

	if (paper_render(d, o->fmt, NULL, &bytes, err) < 0)
		return -1;
	if (o->out != NULL && strcmp(o->out, "-") == 0) {
		errno = 0;
		rc = fwrite(bytes.data, 1, bytes.len, stdout) == bytes.len &&
		    fflush(stdout) == 0 ? 0 : paper_file_error(err,
		    _("standard output"), errno ? errno : EIO);
		paper_bytes_free(&bytes);
		return rc;
	}
	if (o->out != NULL) {
		/* FILE: its folder and its name */
		const char *slash = strrchr(o->out, '/');
		snprintf(name, sizeof name, "%s", slash ? slash + 1 : o->out);
		if (slash == NULL)
			snprintf(path, sizeof path, ".");
		else if (slash == o->out)
			snprintf(path, sizeof path, "/");
		else
			snprintf(path, sizeof path, "%.*s", (int)(slash - o->out),
			    o->out);
		dir = path;
	} else {
		paper_file_name(o->kind, number, o->fmt, name, sizeof name);
	}
	{
		char saved[PAPER_PATH_MAX + 256];
		rc = paper_file_save(dir, name, bytes.data, bytes.len, saved,
		    sizeof saved, err);
		paper_bytes_free(&bytes);
		if (rc < 0)
			return -1;
		printf("%s\n", saved);
		if (o->lp && paper_lp_print(saved, o->fmt, PRINT_LP_TIMEOUT_MS,
		    reply, sizeof reply, err) < 0)
			return -1;
		if (o->lp)
			printf("  %s\n", reply);
	}
	return 0;
}

static int
print_app(struct hr_db *db, const struct print_opts *o, struct hr_error *err)
{
	struct db_territory t = { 0 };
	struct paper_app a;
	struct paper_doc *d = NULL;
	char object[48], detail[96];
	int64_t id, hromada = 0;
	int rc;

	if (o->hromada != NULL) {
		if (db_territory_find(db, o->hromada, &t, err) < 0)
			return -1;
		hromada = t.id;
		db_territory_free(&t);
	}
	if (db_print_find_app(db, o->spec, hromada, &id, err) < 0)
		return -1;
	rc = db_print_app(db, id, 0, &a, err);
	if (rc == 0)
		rc = paper_form_app(o->kind, &a, &d, err);
	if (rc == 0)
		rc = print_emit(o, d, a.reg_no, err);
	if (rc == 0) {
		snprintf(object, sizeof object, "application:%lld", (long long)id);
		snprintf(detail, sizeof detail, "%s %s (hromadactl print)",
		    paper_kind_name(o->kind), a.reg_no ? a.reg_no : "");
		rc = ctl_audit(db, "application.print", object, detail, err);
	}
	paper_doc_free(d);
	paper_app_free(&a);
	return rc;
}

static int
print_register(struct hr_db *db, const struct print_opts *o, int64_t id,
    struct hr_error *err)
{
	struct paper_register r;
	struct paper_doc *d = NULL;
	char object[48], detail[96], number[32];
	int rc = db_print_register(db, id, &r, err);

	if (rc == 0)
		rc = paper_form_register(&r, &d, err);
	snprintf(number, sizeof number, "%d/%d", r.number, r.year);
	if (rc == 0)
		rc = print_emit(o, d, number, err);
	if (rc == 0) {
		snprintf(object, sizeof object, "register:%lld", (long long)id);
		snprintf(detail, sizeof detail, "No. %s, %zu rows (hromadactl "
		    "print)", number, r.nrows);
		rc = ctl_audit(db, "register.read", object, detail, err);
	}
	paper_doc_free(d);
	paper_register_free(&r);
	return rc;
}

/* Registers made on a day: collected first, printed after (one query at
 * a time on the connection). */
struct day_list {
	int64_t *ids;
	size_t   n, cap;
};

static int
day_cb(void *ud, const struct db_register_info *r)
{
	struct day_list *l = ud;

	int64_t *v = hr_grow(l->ids, &l->cap, l->n, sizeof *v, 16);

	if (v == NULL)
		return -1;
	l->ids = v;
	l->ids[l->n++] = r->id;
	return 0;
}

static int
office_id(struct hr_db *db, const char *spec, int64_t *id,
    struct hr_error *err)
{
	struct db_territory t;

	*id = 0;
	if (spec == NULL)
		return 0;
	if (db_territory_find(db, spec, &t, err) < 0)
		return -1;
	*id = t.id;
	db_territory_free(&t);
	return 0;
}

static int
print_day(struct hr_db *db, const struct print_opts *o, struct hr_error *err)
{
	struct day_list l = { 0 };
	int64_t office;
	int rc;

	if (office_id(db, o->office, &office, err) < 0)
		return -1;
	rc = db_register_on_day(db, o->date, office, day_cb, &l, err);
	if (rc < 0 && err->code == HR_OK)
		rc = hr_error_set(err, HR_E_INTERNAL, "out of memory");
	if (rc == 0 && l.n == 0)
		fprintf(stderr, _("No transfer registers were made on %s.\n"),
		    o->date);
	for (size_t i = 0; rc == 0 && i < l.n; i++)
		rc = print_register(db, o, l.ids[i], err);
	free(l.ids);
	return rc;
}

/* ---- arguments ---- */

static int
print_args(int argc, char **argv, struct print_opts *o, struct hr_error *err)
{
	const char *fmt = NULL;

	memset(o, 0, sizeof *o);
	if (argc < 2)
		return hr_errorf(err, HR_E_USAGE, "ctl.subcommand", "print wants "
		    "application, receipt, notice, register or registers");
	o->kind = strcmp(argv[1], "registers") == 0 ? PAPER_REGISTER :
	    paper_kind_from_name(argv[1]);
	if (o->kind < 0)
		return hr_errorf(err, HR_E_USAGE, "ctl.subcommand", "print wants "
		    "application, receipt, notice, register or registers, not "
		    "\"{value}\"", HR_STR("value", argv[1]));
	for (int i = 2; i < argc; i++) {
		int r = 0;
		if (strcmp(argv[i], "--lp") == 0) {
			o->lp = 1;
			continue;
		}
		if ((r = ctl_opt_value(argc, argv, &i, "--format", &fmt, err)) ||
		    (r = ctl_opt_value(argc, argv, &i, "--dir", &o->dir, err)) ||
		    (r = ctl_opt_value(argc, argv, &i, "--out", &o->out, err)) ||
		    (r = ctl_opt_value(argc, argv, &i, "--date", &o->date, err)) ||
		    (r = ctl_opt_value(argc, argv, &i, "--hromada", &o->hromada,
		    err)) ||
		    (r = ctl_opt_value(argc, argv, &i, "--office", &o->office,
		    err))) {
			if (r < 0)
				return -1;
			continue;
		}
		if (argv[i][0] == '-' || o->spec != NULL)
			return ctl_unexpected("print", argv[i], err);
		o->spec = argv[i];
	}
	o->fmt = fmt ? paper_format_from_name(fmt) : PAPER_FMT_PDF;
	if (o->fmt < 0)
		return hr_errorf(err, HR_E_USAGE, "print.format", "--format wants "
		    "pdf, text or cp866, not \"{value}\"", HR_STR("value", fmt));
	if (o->dir != NULL && o->out != NULL)
		return hr_errorf(err, HR_E_USAGE, "print.dir_out",
		    "give --dir or --out, not both");
	if (strcmp(argv[1], "registers") == 0) {
		if (o->date == NULL || o->spec != NULL)
			return hr_errorf(err, HR_E_USAGE, "ctl.arguments",
			    "print registers --date YYYY-MM-DD [--office "
			    "TERRITORY]");
		if (o->out != NULL)
			return hr_errorf(err, HR_E_USAGE, "print.dir_out_many",
			    "several registers go to a folder: give --dir, not "
			    "--out");
	} else if (o->spec == NULL) {
		return hr_errorf(err, HR_E_USAGE, "ctl.arguments",
		    "print {what} APPLICATION|REGISTER [options]",
		    HR_STR("what", argv[1]));
	}
	return 0;
}

static int
cmd_print_exec(struct ctl_ctx *ctx, int argc, char **argv,
    struct hr_error *err)
{
	struct print_opts o;
	struct hr_db *db;
	int64_t id, office;
	int rc;

	if (print_args(argc, argv, &o, err) < 0)
		return -1;
	if (ctl_open(ctx, &db, err) < 0)
		return -1;
	if (strcmp(argv[1], "registers") == 0)
		rc = print_day(db, &o, err);
	else if (o.kind != PAPER_REGISTER)
		rc = print_app(db, &o, err);
	else
		rc = office_id(db, o.office, &office, err) < 0 ||
		    db_print_find_register(db, o.spec, office, &id, err) < 0 ?
		    -1 : print_register(db, &o, id, err);
	db_close(db);
	return rc;
}

const struct ctl_cmd ctl_cmd_print = {
	"print", cmd_print_exec,
	"application|receipt|notice|register|registers ...",
	N_("Print applications, receipts, notices and transfer registers"),
	N_("print application|receipt|notice APPLICATION [options]\n"
	"    The application with its income declaration, the applicant's\n"
	"    receipt, or the decision notice.  APPLICATION: its id, or its\n"
	"    registration number NNNNN/YYYY (with --hromada TERRITORY when\n"
	"    several hromadas use it).\n"
	"print register REGISTER [options]\n"
	"    A transfer register as it was made: its id, or N/YYYY with\n"
	"    --office TERRITORY (the office that made it).\n"
	"print registers --date YYYY-MM-DD [--office TERRITORY] [options]\n"
	"    Every register made that day (of that office).\n"
	"Options:\n"
	"    --format pdf|text|cp866  PDF (default), plain text in UTF-8, or in\n"
	"                             CP866 for dot-matrix printers\n"
	"    --dir DIR                the folder (default: the current one);\n"
	"                             files are named like the client's:\n"
	"                             receipt_00012-2026.pdf, register_3-2026.pdf\n"
	"    --out FILE               one document to FILE (- : standard output)\n"
	"    --lp                     also send each file to the default printer\n"
	"Files are made with mode 0600 and replace an older print of the same\n"
	"document only when complete.  Every document printed is audited.\n"),
};
