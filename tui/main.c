/*
 * main.c — `hromada`, the terminal client: options, then the app loop.
 *
 *     hromada [--server HOST:PORT] [--user NAME] [--lang LANG]
 *             [--terminal-key FILE]
 *     hromada --forget-server HOST:PORT
 *     hromada --keys | --help | --version
 *
 * Nothing heavy happens before the login screen appears: no files but the
 * message catalogue are read, no connection is made until the user submits.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "proto/known_hosts.h"
#include "proto/terminal.h"
#include "tui/app.h"
#include "tui/keys.h"
#include "tui/nav.h"
#include "proto/i18n.h"
#include "tui/tui.h"

#define DEFAULT_SERVER "127.0.0.1:7350"

static void
usage(FILE *f)
{
	fprintf(f, _("Usage: %s [--server HOST:PORT] [--user NAME] [--lang LANG]\n"
	    "               [--terminal-key FILE]\n"
	    "       %s --forget-server HOST:PORT\n"
	    "       %s --keys | --help | --version\n\n"
	    "Terminal client of Hromada for front and back offices.\n\n"
	    "  --server HOST:PORT  server address (default: $HROMADA_SERVER or %s)\n"
	    "  --user NAME         pre-fill the user name\n"
	    "  --lang LANG         interface language (default: uk)\n"
	    "  --terminal-key FILE this PC's terminal key (hromadactl terminal add)\n"
	    "  --forget-server HOST:PORT\n"
	    "                      forget the server key this PC trusts for\n"
	    "                      HOST:PORT, after the administrator replaced it;\n"
	    "                      the next connection asks to compare the new one\n"
	    "  --keys              key test: show what each pressed key is\n"
	    "  --help              show this help\n"
	    "  --version           show the version\n"), PACKAGE, PACKAGE,
	    PACKAGE, DEFAULT_SERVER);
}

/*
 * --forget-server: remove HOST:PORT from known_hosts, the only way a
 * changed server key is ever accepted (the client refuses it otherwise,
 * as ssh does: the administrator runs this once the change is confirmed).
 */
static int
forget_server(const char *server)
{
	struct hr_error err;
	char *path = hr_known_hosts_path(&err);
	int rc;

	if (path == NULL) {
		fprintf(stderr, "%s: %s\n", PACKAGE, app_error(&err));
		return 1;
	}
	rc = hr_known_hosts_remove(path, server, &err);
	if (rc < 0)
		fprintf(stderr, "%s: %s\n", PACKAGE, app_error(&err));
	else if (rc == 0)
		printf(_("No key is pinned for %s in %s\n"), server, path);
	else
		printf(_("The key of %s is forgotten (%s); compare the new "
		    "fingerprint with your administrator's at the next "
		    "connection.\n"), server, path);
	free(path);
	return rc < 0 ? 1 : 0;
}

/* Pre-scan for --lang so that even --help comes out in that language. */
static const char *
find_lang(int argc, char **argv)
{
	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], "--lang") == 0)
			return argv[i + 1];
	return NULL;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "server",  required_argument, NULL, 's' },
		{ "user",    required_argument, NULL, 'u' },
		{ "lang",    required_argument, NULL, 'l' },
		{ "terminal-key", required_argument, NULL, 't' },
		{ "forget-server", required_argument, NULL, 'F' },
		{ "keys",    no_argument,       NULL, 'k' },
		{ "help",    no_argument,       NULL, 'h' },
		{ "version", no_argument,       NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct app_options opt = { getenv("HROMADA_SERVER"), NULL, NULL, NULL,
	    &hromada_nav };
	char term_name[HR_TERMINAL_NAME_MAX + 1];
	uint8_t term_sk[HR_PUBKEY_LEN];
	const char *term_file = NULL;
	struct hr_error err;
	struct app *a;
	int c, rc;

	hr_i18n_init(find_lang(argc, argv), "uk");
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 's': opt.server = optarg; break;
		case 'u': opt.user = optarg; break;
		case 'l': break;
		case 't': term_file = optarg; break;
		case 'F': return forget_server(optarg);
		case 'k': return keys_test();
		case 'h': usage(stdout); return 0;
		case 'V': printf("%s %s\n", PACKAGE, VERSION); return 0;
		default:  usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return 2;
	}
	if (opt.server == NULL || opt.server[0] == '\0')
		opt.server = DEFAULT_SERVER;
	if (sodium_init() < 0) {
		fprintf(stderr, "%s: %s\n", PACKAGE, _("cannot initialise libsodium"));
		return 1;
	}
	if (term_file != NULL) {
		if (hr_terminal_key_load(term_file, term_name, term_sk, &err) < 0) {
			fprintf(stderr, "%s: %s\n", PACKAGE, app_error(&err));
			return 1;
		}
		opt.terminal = term_name;
		opt.terminal_sk = term_sk;
	}
	a = app_new(&opt);
	sodium_memzero(term_sk, sizeof term_sk);
	if (a == NULL) {
		fprintf(stderr, "%s: %s\n", PACKAGE, _("out of memory"));
		return 1;
	}
	rc = app_run(a);
	app_free(a);
	return rc;
}
