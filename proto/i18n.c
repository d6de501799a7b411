/*
 * i18n.c — make Hromada's programs speak the user's language (Ukrainian
 * for the client whatever the locale) in a UTF-8 terminal, even where the
 * uk_UA locale is not installed.
 *
 *  - the language wanted is read from the environment first (LC_ALL,
 *    LC_MESSAGES, LANG), because setlocale forgets it when it fails;
 *  - setlocale(LC_ALL, "") from the environment; if that fails (a locale
 *    that is not generated) or does not give UTF-8, fall back to C.UTF-8
 *    (present on every glibc >= 2.35 system) for the character type;
 *  - gettext ignores LANGUAGE while LC_MESSAGES is "C" or "POSIX", so such
 *    a messages locale is switched to C.UTF-8 too;
 *  - LANGUAGE picks the catalogue (see i18n.h for the order);
 *  - HROMADA_LOCALEDIR overrides the installed catalogue directory so the
 *    programs run from the build tree (make builds $(top_builddir)/locale).
 */
#include "config.h"

#include "proto/i18n.h"

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

/* "uk" from "uk_UA.UTF-8" in the first of LC_ALL, LC_MESSAGES, LANG that
 * is set; "" for C, POSIX or nothing. */
static void
i18n_env_lang(char *out, size_t cap)
{
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
	const char *v = NULL;
	size_t n;

	out[0] = '\0';
	for (size_t i = 0; i < sizeof vars / sizeof vars[0] && v == NULL; i++)
		if ((v = getenv(vars[i])) != NULL && v[0] == '\0')
			v = NULL;
	if (v == NULL || strcmp(v, "C") == 0 || strcmp(v, "POSIX") == 0 ||
	    strncmp(v, "C.", 2) == 0)
		return;
	n = strcspn(v, "_.@");
	if (n > 0 && n < cap) {
		memcpy(out, v, n);
		out[n] = '\0';
	}
}

void
hr_i18n_init(const char *lang, const char *dflt)
{
	const char *msgs, *dir, *env;
	char wanted[16];

	i18n_env_lang(wanted, sizeof wanted);
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
	else if (env != NULL && env[0] != '\0')
		;                               /* the user's choice */
	else if (dflt != NULL)
		setenv("LANGUAGE", dflt, 1);
	else if (wanted[0] != '\0')
		setenv("LANGUAGE", wanted, 1);  /* its locale may be missing */
	dir = getenv("HROMADA_LOCALEDIR");
	bindtextdomain(PACKAGE, dir != NULL && dir[0] != '\0' ? dir : LOCALEDIR);
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	textdomain(PACKAGE);
}
