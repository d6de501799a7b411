/*
 * i18n.c — make the client speak Ukrainian in a UTF-8 terminal, even where
 * the uk_UA locale is not installed.
 *
 *  - setlocale(LC_ALL, "") from the environment; if that fails (a locale
 *    that is not generated) or does not give UTF-8, fall back to C.UTF-8
 *    (present on every glibc >= 2.35 system) for the character type;
 *  - gettext ignores LANGUAGE while LC_MESSAGES is "C" or "POSIX", so such
 *    a messages locale is switched to C.UTF-8 too;
 *  - LANGUAGE picks the catalogue: --lang, else the user's LANGUAGE, else uk;
 *  - HROMADA_LOCALEDIR overrides the installed catalogue directory so the
 *    client runs from the build tree (make builds $(top_builddir)/locale).
 */
#include "config.h"

#include "tui/i18n.h"

#include <langinfo.h>
#include <libintl.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

static const char *const utf8_locales[] = {
	"C.UTF-8", "C.utf8", "uk_UA.UTF-8", "en_US.UTF-8",
};

static int
i18n_is_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs != NULL && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

/* Set `cat` to the first UTF-8 locale that exists. */
static void
i18n_fallback(int cat)
{
	for (size_t i = 0; i < sizeof utf8_locales / sizeof utf8_locales[0]; i++)
		if (setlocale(cat, utf8_locales[i]) != NULL)
			return;
}

void
i18n_init(const char *lang)
{
	const char *msgs, *dir, *env;

	if (setlocale(LC_ALL, "") == NULL)
		i18n_fallback(LC_ALL);
	if (!i18n_is_utf8())
		i18n_fallback(LC_CTYPE);
	msgs = setlocale(LC_MESSAGES, NULL);
	if (msgs == NULL || strcmp(msgs, "C") == 0 || strcmp(msgs, "POSIX") == 0)
		i18n_fallback(LC_MESSAGES);
	env = getenv("LANGUAGE");
	if (lang != NULL && lang[0] != '\0')
		setenv("LANGUAGE", lang, 1);
	else if (env == NULL || env[0] == '\0')
		setenv("LANGUAGE", "uk", 1);
	dir = getenv("HROMADA_LOCALEDIR");
	bindtextdomain(PACKAGE, dir != NULL && dir[0] != '\0' ? dir : LOCALEDIR);
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	textdomain(PACKAGE);
}
