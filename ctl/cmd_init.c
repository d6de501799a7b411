/*
 * cmd_init.c — hromadactl init: create the database, its schema, the root
 * territory, the reference data and the server key pair.
 *
 * Everything after the schema happens in one transaction, and the key is the
 * mark of an initialised database (ctl_open), so a failed init leaves a
 * database that init can simply run on again.
 */
#include "ctl/ctl.h"
#include "db/filestore.h"
#include "db/keypairs.h"
#include "db/reference.h"
#include "db/territory.h"
#include "proto/handshake.h"
#include "proto/roles.h"

#include <errno.h>
#include <libgen.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CTL_ROOT_NAME "Україна"

static int
init_parse(int argc, char **argv, const char **refdir, struct hr_error *err)
{
	for (int i = 1; i < argc; i++) {
		int r = ctl_opt_value(argc, argv, &i, "--reference", refdir, err);

		if (r < 0)
			return -1;
		if (r == 0)
			return ctl_unexpected(argv[0], argv[i], err);
	}
	return 0;
}

/* The default location's directory may not exist yet on a fresh system. */
static int
init_mkdir_parent(const char *path, struct hr_error *err)
{
	char *copy = strdup(path);
	const char *dir;
	int rc = 0;

	if (copy == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	dir = dirname(copy);
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		rc = hr_errorf(err, HR_E_IO, "io.create", "cannot create "
		    "{file}: {reason}", HR_STR("file", dir), HR_STR("reason",
		    strerror(errno)));
	free(copy);
	return rc;
}

/* Refuse a database that has a key already. */
static int
init_check_fresh(struct hr_db *db, const char *path, const char *key_path,
    struct hr_error *err)
{
	struct hr_server_keys keys;
	struct hr_error e2;

	if (db_keys_load(db, key_path, db_now(), &keys, &e2) == 0 ||
	    e2.code == HR_E_IO) {
		sodium_memzero(&keys, sizeof keys);
		return hr_errorf(err, HR_E_DUPLICATE, "ctl.initialised",
		    "{file} is initialised already; nothing done", HR_STR("file"
		    , path));
	}
	if (e2.code != HR_E_NOT_FOUND)
		return hr_error_set(err, e2.code, "%s", e2.msg);
	return 0;
}

static int
init_fill(struct hr_db *db, const char *refdir, const char *key_path,
    struct hr_keypair *kp, struct hr_error *err)
{
	char detail[128];
	int ndocs, nserv;

	if (db_territory_add(db, 0, HR_TERR_COUNTRY, CTL_ROOT_NAME, NULL, NULL,
	    err) < 0 ||
	    db_reference_load(db, refdir, &ndocs, &nserv, err) < 0 ||
	    db_keys_create(db, key_path, db_now(), 0, kp, err) < 0)
		return -1;
	snprintf(detail, sizeof detail, "%d services, %d document types",
	    nserv, ndocs);
	printf(_("Reference data: %d services, %d document types (from %s)\n"),
	    nserv, ndocs, refdir);
	return ctl_audit(db, "init", "database", detail, err);
}

static int
cmd_init_exec(struct ctl_ctx *ctx, int argc, char **argv, struct hr_error *err)
{
	const char *refdir = NULL;
	char fp[HR_FINGERPRINT_LEN];
	struct hr_keypair kp;
	struct hr_db *db;
	int rc;

	if (init_parse(argc, argv, &refdir, err) < 0 ||
	    init_mkdir_parent(ctx->db_path, err) < 0 ||
	    db_open(&db, ctx->db_path, HR_DB_CREATE, err) < 0)
		return -1;
	refdir = ctl_reference_dir(refdir);
	rc = init_check_fresh(db, ctx->db_path, ctx->key_path, err);
	if (rc == 0 && (rc = db_begin(db, err)) == 0) {
		rc = init_fill(db, refdir, ctx->key_path, &kp, err);
		rc = rc == 0 ? db_commit(db, err) : rc;
		if (rc < 0)
			db_rollback(db);
	}
	/* A key file left by an earlier database keeps only the new key. */
	if (rc == 0)
		rc = db_keys_prune(db, ctx->key_path, db_now(), NULL, err);
	db_close(db);
	if (rc == 0) {
		struct hr_store st;      /* the scans' directory beside it */

		rc = hr_store_open(&st, ctx->db_path, 1, err);
		hr_store_close(&st);
	}
	if (rc < 0)
		return -1;
	hr_key_fingerprint(kp.pk, fp);
	sodium_memzero(&kp, sizeof kp);
	printf(_("Initialised %s\nServer key fingerprint: %s\n"), ctx->db_path,
	    fp);
	printf(_("The server's secret key is in %s (mode 0600): backups of the "
	    "database do not hold it; keep a copy of that file in a safe "
	    "place.\n"), ctx->key_path);
	return 0;
}

const struct ctl_cmd ctl_cmd_init = {
	"init", cmd_init_exec, "[--reference DIR]",
	N_("Create the database, load the reference data, make the server "
	"key"),
	N_("Creates FILE (mode 0600) with the schema, the root territory\n"
	"\"Україна\", the services and document types from\n"
	"DIR/services.csv and DIR/documents.csv (default: the installed\n"
	"copies), and the server's key pair -- its secret in the key file\n"
	"(--key-file, default FILE.key, mode 0600), never in the database --\n"
	"and prints the key's fingerprint.  Refuses a database that is\n"
	"initialised already.\n"),
};
