/*
 * main.c — `hromada`, the terminal client: options, then the app loop.
 *
 *     hromada [--server HOST:PORT] [--user NAME] [--lang LANG]
 *     hromada --help | --version
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

#include "tui/app.h"
#include "tui/i18n.h"
#include "tui/tui.h"

#define DEFAULT_SERVER "127.0.0.1:7350"

static void
usage(FILE *f)
{
	fprintf(f, _("Usage: %s [--server HOST:PORT] [--user NAME] [--lang LANG]\n"
	    "       %s --help | --version\n\n"
	    "Terminal client of Hromada for front and back offices.\n\n"
	    "  --server HOST:PORT  server address (default: $HROMADA_SERVER or %s)\n"
	    "  --user NAME         pre-fill the user name\n"
	    "  --lang LANG         interface language (default: uk)\n"
	    "  --help              show this help\n"
	    "  --version           show the version\n"), PACKAGE, PACKAGE,
	    DEFAULT_SERVER);
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
		{ "help",    no_argument,       NULL, 'h' },
		{ "version", no_argument,       NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct app_options opt = { getenv("HROMADA_SERVER"), NULL };
	struct app *a;
	int c, rc;

	i18n_init(find_lang(argc, argv));
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 's': opt.server = optarg; break;
		case 'u': opt.user = optarg; break;
		case 'l': break;
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
	if ((a = app_new(&opt)) == NULL) {
		fprintf(stderr, "%s: %s\n", PACKAGE, _("out of memory"));
		return 1;
	}
	rc = app_run(a);
	app_free(a);
	return rc;
}
