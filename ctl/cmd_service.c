/*
 * cmd_service.c — hromadactl service import|export: the reference list of
 * services (required documents, decision system, the deadlines of the
 * three stages) and document types.
 *
 * The files are the two CSVs of db/reference (reference.h).  Import checks
 * every row (codes, decision systems, document codes) and loads both files
 * in one transaction with its audit record: an error names the file and
 * line and changes nothing.  Export writes both files back in the same
 * format, each through a temporary file and rename(2).
 */
#include "ctl/ctl.h"
#include "db/csv.h"
#include "db/reference.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
svc_import(struct hr_db *db, const char *dir, struct hr_error *err)
{
	char detail[512];
	int ndocs = 0, nserv = 0, rc;

	if (db_begin(db, err) < 0)
		return -1;
	rc = db_reference_load(db, dir, &ndocs, &nserv, err);
	snprintf(detail, sizeof detail, "%d services, %d document types from "
	    "%s", nserv, ndocs, dir);
	if (rc == 0)
		rc = ctl_audit(db, "service.import", "services", detail, err);
	if (rc == 0 && db_commit(db, err) == 0) {
		printf(_("Imported %d services, %d document types from %s\n"),
		    nserv, ndocs, dir);
		return 0;
	}
	db_rollback(db);
	return -1;
}

/* ---- export ---- */

struct svc_out {
	struct hr_db *db;
	FILE         *f;
	int           n;
	char         *list;      /* ';'-joined documents of one service */
	size_t        len;
	int           failed;
};

static int
svc_put_doc(void *ud, const char *code, const char *name)
{
	struct svc_out *o = ud;

	db_csv_put(o->f, code, 0);
	db_csv_put(o->f, name, 1);
	o->n++;
	return 0;
}

static int
svc_add_required(void *ud, const char *code)
{
	struct svc_out *o = ud;
	size_t n = strlen(code);
	char *p = realloc(o->list, o->len + n + 2);

	if (p == NULL)
		return -1;
	o->list = p;
	if (o->len > 0)
		o->list[o->len++] = ';';
	memcpy(o->list + o->len, code, n + 1);
	o->len += n;
	return 0;
}

static int
svc_put_service(void *ud, const struct db_service *s)
{
	struct svc_out *o = ud;
	struct hr_error e2;

	o->len = 0;
	if (o->list != NULL)
		o->list[0] = '\0';
	if (db_service_required(o->db, s->code, svc_add_required, o, &e2) < 0) {
		o->failed = 1;
		return -1;
	}
	db_csv_put(o->f, s->code, 0);
	db_csv_put(o->f, s->name, 0);
	db_csv_put(o->f, s->system, 0);
	db_csv_put(o->f, o->list ? o->list : "", 0);
	db_csv_put(o->f, s->short_name, 0);
	for (int i = 0; i < 3; i++) {
		char n[16];

		snprintf(n, sizeof n, "%d", s->days[i]);
		db_csv_put(o->f, n, i == 2);
	}
	o->n++;
	return 0;
}

/* Write DIR/name through DIR/name.tmp; `services` picks the content. */
static int
svc_write(struct hr_db *db, const char *dir, const char *name, int services,
    int *count, struct hr_error *err)
{
	struct svc_out o = { db, NULL, 0, NULL, 0, 0 };
	char path[4096], tmp[4200];
	int rc;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if ((o.f = ctl_out_open(path, tmp, sizeof tmp, err)) == NULL)
		return -1;
	fputs(services ? "code,name_uk,system,required_documents,short_uk,"
	    "days_front,days_otg,days_spszn\n" :
	    "code,name_uk\n", o.f);
	rc = services ? db_reference_services(db, svc_put_service, &o, err) :
	    db_reference_documents(db, svc_put_doc, &o, err);
	free(o.list);
	rc = ctl_out_close(o.f, tmp, path, rc, err);
	*count = o.n;
	return rc;
}

static int
svc_export(struct hr_db *db, const char *dir, struct hr_error *err)
{
	int ndocs, nserv;

	if (svc_write(db, dir, DB_REF_DOCUMENTS, 0, &ndocs, err) < 0 ||
	    svc_write(db, dir, DB_REF_SERVICES, 1, &nserv, err) < 0)
		return -1;
	printf(_("Exported %d services to %s/%s and %d document types to "
	    "%s/%s\n"), nserv, dir, DB_REF_SERVICES, ndocs, dir,
	    DB_REF_DOCUMENTS);
	return 0;
}

static int
cmd_service_exec(struct ctl_ctx *ctx, int argc, char **argv,
    struct hr_error *err)
{
	struct hr_db *db;
	int export, rc;

	if (argc != 3 || (strcmp(argv[1], "import") != 0 &&
	    strcmp(argv[1], "export") != 0))
		return hr_errorf(err, HR_E_USAGE, "ctl.subcommand", "service "
		    "wants import DIR or export DIR");
	export = strcmp(argv[1], "export") == 0;
	if (ctl_open(ctx, &db, err) < 0)
		return -1;
	rc = export ? svc_export(db, argv[2], err) : svc_import(db, argv[2],
	    err);
	db_close(db);
	return rc;
}

const struct ctl_cmd ctl_cmd_service = {
	"service", cmd_service_exec, "import DIR | export DIR",
	N_("Load or save the services and document types (CSV)"),
	N_("service import DIR\n"
	"    Load DIR/documents.csv (code,name_uk) and DIR/services.csv\n"
	"    (code,name_uk,system,required_documents[,short_uk[,days_front,\n"
	"    days_otg,days_spszn]]) as in the installed reference files:\n"
	"    codes are [a-z0-9_], system is asopd, subsidy or edarp,\n"
	"    required_documents are document codes joined by ';', short_uk\n"
	"    the name the journal shows (16 characters), days_* the deadlines\n"
	"    of the three stages in working days (1 to 365; a file without\n"
	"    them keeps the stored ones, a new service gets 1, 2 and 10).\n"
	"    Existing codes are updated; nothing changes if any row is bad.\n"
	"service export DIR\n"
	"    Write both files to DIR in the same format (edit, then import).\n"),
};
