/*
 * main.c — hromadactl: the command table, global options, dispatch.
 *
 * Adding a command is adding a ctl/cmd_*.c file and one line in ctl_cmds.
 * Exit status: 0 success, 1 the command failed (message on stderr),
 * 2 usage errors (unknown command or option).
 */
#include "ctl/ctl.h"
#include "db/keypairs.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/i18n.h"

#ifndef LOCALSTATEDIR
#define LOCALSTATEDIR "/var"
#endif
#define CTL_DEFAULT_DB LOCALSTATEDIR "/lib/hromada/hromada.db"

static const struct ctl_cmd *const ctl_cmds[] = {
	&ctl_cmd_init,
	&ctl_cmd_demo,
	&ctl_cmd_user,
	&ctl_cmd_key,
	&ctl_cmd_lock,
	&ctl_cmd_terminal,
	&ctl_cmd_territory,
	&ctl_cmd_service,
	&ctl_cmd_calendar,
	&ctl_cmd_backup,
	&ctl_cmd_restore,
	&ctl_cmd_audit,
	&ctl_cmd_stats,
	&ctl_cmd_print,
	&ctl_cmd_report,
	&ctl_cmd_files,
	&ctl_cmd_dat,
};
#define CTL_NCMDS (sizeof ctl_cmds / sizeof ctl_cmds[0])

static void
ctl_usage(FILE *f)
{
	fprintf(f, _("usage: hromadactl [--db FILE] [--key-file FILE] COMMAND "
	    "[ARGS...]\n"
	    "       hromadactl help [COMMAND]\n\n"
	    "The database is FILE, else $HROMADA_DB, else %s.\n"
	    "The server's key file is --key-file, else $HROMADA_KEY_FILE,\n"
	    "else the database's name with .key added.\n\n"
	    "Commands:\n"), CTL_DEFAULT_DB);
	for (size_t i = 0; i < CTL_NCMDS; i++)
		fprintf(f, "  %-10s %s\n", ctl_cmds[i]->name,
		    _(ctl_cmds[i]->summary));
	fprintf(f, "\n%s\n",
	    _("Run 'hromadactl help COMMAND' for a command's options."));
}

void
ctl_cmd_help(const struct ctl_cmd *cmd)
{
	printf(_("usage: hromadactl [--db FILE] %s %s\n\n%s.\n"), cmd->name,
	    cmd->usage, _(cmd->summary));
	if (cmd->help != NULL)
		printf("\n%s", _(cmd->help));
}

static const struct ctl_cmd *
ctl_find(const char *name)
{
	for (size_t i = 0; i < CTL_NCMDS; i++)
		if (strcmp(ctl_cmds[i]->name, name) == 0)
			return ctl_cmds[i];
	return NULL;
}

static int
ctl_help(int argc, char **argv)
{
	const struct ctl_cmd *cmd;

	if (argc < 2) {
		ctl_usage(stdout);
		return 0;
	}
	cmd = ctl_find(argv[1]);
	if (cmd == NULL) {
		fprintf(stderr, _("hromadactl: unknown command \"%s\"\n"),
		    argv[1]);
		return 2;
	}
	ctl_cmd_help(cmd);
	return 0;
}

/* Global options before the command; returns the command's index. */
static int
ctl_global_opts(int argc, char **argv, struct ctl_ctx *ctx,
    struct hr_error *err)
{
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *v;
		int r;

		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 0;
		r = ctl_opt_value(argc, argv, &i, "--db", &v, err);
		if (r > 0) {
			ctx->db_path = v;
			continue;
		}
		if (r == 0)
			r = ctl_opt_value(argc, argv, &i, "--key-file", &v, err);
		if (r < 0)
			return -1;
		if (r == 0)
			return hr_errorf(err, HR_E_USAGE, "ctl.option",
			    "unknown option \"{value}\"", HR_STR("value",
			    argv[i]));
		ctx->key_path = v;
	}
	return i;
}

int
main(int argc, char **argv)
{
	struct ctl_ctx ctx = { NULL, NULL };
	static char key_path[4200];
	const struct ctl_cmd *cmd;
	struct hr_error err;
	char text[HR_ERROR_MSG_MAX * 2];
	int i;

	hr_i18n_init(NULL, NULL);
	if (sodium_init() < 0) {
		fprintf(stderr, "hromadactl: %s\n",
		    _("cannot initialise libsodium"));
		return 1;
	}
	hr_error_clear(&err);
	i = ctl_global_opts(argc, argv, &ctx, &err);
	if (i < 0) {
		fprintf(stderr, "hromadactl: %s\n",
		    ctl_error_text(&err, text, sizeof text));
		ctl_usage(stderr);
		return 2;
	}
	if (i == 0 || i >= argc) {
		ctl_usage(i == 0 ? stdout : stderr);
		return i == 0 ? 0 : 2;
	}
	if (strcmp(argv[i], "help") == 0)
		return ctl_help(argc - i, argv + i);
	if ((cmd = ctl_find(argv[i])) == NULL) {
		fprintf(stderr, _("hromadactl: unknown command \"%s\"; try "
		    "hromadactl --help\n"), argv[i]);
		return 2;
	}
	for (int j = i + 1; j < argc; j++) {
		if (strcmp(argv[j], "--help") == 0 || strcmp(argv[j], "-h") == 0) {
			ctl_cmd_help(cmd);
			return 0;
		}
	}
	if (ctx.db_path == NULL)
		ctx.db_path = getenv("HROMADA_DB");
	if (ctx.db_path == NULL || ctx.db_path[0] == '\0')
		ctx.db_path = CTL_DEFAULT_DB;
	if (ctx.key_path == NULL)
		ctx.key_path = getenv("HROMADA_KEY_FILE");
	if (ctx.key_path == NULL || ctx.key_path[0] == '\0') {
		db_keys_default_file(ctx.db_path, key_path, sizeof key_path);
		ctx.key_path = key_path;
	}
	if (cmd->exec(&ctx, argc - i, argv + i, &err) == 0)
		return 0;
	fprintf(stderr, "hromadactl %s: %s\n", cmd->name,
	    ctl_error_text(&err, text, sizeof text));
	return err.code == HR_E_USAGE ? 2 : 1;
}
