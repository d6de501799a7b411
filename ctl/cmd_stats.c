/*
 * cmd_stats.c — hromadactl stats: what the database holds, at a glance.
 *
 * Counts by kind (db/stats.c), the files' sizes, and the server key an
 * administrator compares with what clerks were told.
 */
#include "ctl/ctl.h"
#include "db/stats.h"
#include "proto/handshake.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

struct stats_out {
	const char *group;      /* the group printed last */
};

static int
stats_print(void *ud, const char *group, const char *key, int64_t value)
{
	struct stats_out *o = ud;

	if (key == NULL) {
		ctl_cell(group, 28);
		printf(" %lld\n", (long long)value);
		o->group = NULL;
		return 0;
	}
	if (o->group == NULL || strcmp(o->group, group) != 0)
		printf("%s:\n", group);
	o->group = group;
	printf("  ");
	ctl_cell(key, 26);
	printf(" %lld\n", (long long)value);
	return 0;
}

static long long
stats_size(const char *path, const char *suffix)
{
	char p[4200];
	struct stat st;

	snprintf(p, sizeof p, "%s%s", path, suffix);
	return stat(p, &st) == 0 ? (long long)st.st_size : 0;
}

/* The current key's fingerprint and when it became current. */
static int
stats_key(struct hr_db *db, struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT created_at, "
	    "(SELECT count(*) FROM server_keys WHERE retired_at IS NOT NULL "
	    "AND revoked_at IS NULL AND grace_until > ?), public FROM "
	    "server_keys WHERE retired_at IS NULL", err);
	char fp[HR_FINGERPRINT_LEN] = "?", when[32] = "?";
	long long grace = 0;
	time_t at;
	struct tm tm;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, db_now());
	if (sqlite3_step(st) == SQLITE_ROW) {
		if (sqlite3_column_bytes(st, 2) == HR_PUBKEY_LEN)
			hr_key_fingerprint(sqlite3_column_blob(st, 2), fp);
		at = (time_t)sqlite3_column_int64(st, 0);
		strftime(when, sizeof when, "%Y-%m-%d %H:%M",
		    localtime_r(&at, &tm));
		grace = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	ctl_cell(_("server key"), 28);
	printf(" %s\n", fp);
	ctl_cell(_("server key since"), 28);
	printf(" %s\n", when);
	ctl_cell(_("older keys in grace"), 28);
	printf(" %lld\n", grace);
	return 0;
}

static int
cmd_stats_exec(struct ctl_ctx *ctx, int argc, char **argv,
    struct hr_error *err)
{
	struct stats_out o = { NULL };
	struct hr_db *db;
	int rc;

	if (argc != 1)
		return hr_errorf(err, HR_E_USAGE, "ctl.arguments", "stats "
		    "takes no arguments");
	if (ctl_open(ctx, &db, err) < 0)
		return -1;
	rc = db_stats(db, stats_print, &o, err);
	if (rc == 0) {
		ctl_cell(_("database file"), 28);
		printf(_(" %lld bytes\n"), stats_size(ctx->db_path, ""));
		ctl_cell(_("write-ahead log (WAL)"), 28);
		printf(_(" %lld bytes\n"), stats_size(ctx->db_path, "-wal"));
		rc = stats_key(db, err);
	}
	db_close(db);
	return rc;
}

const struct ctl_cmd ctl_cmd_stats = {
	"stats", cmd_stats_exec, "",
	N_("Counts, file sizes and the server key"),
	N_("Users by role, territories by kind, terminals, persons,\n"
	"applications by status, audit records, services; the sizes of the\n"
	"database and its WAL file; the current server key's fingerprint,\n"
	"since when it is current, and how many older keys still work.\n"),
};
