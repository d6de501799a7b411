/*
 * i18n.h — locale and message catalogue set-up, for the terminal client
 * and hromadactl.
 *
 * Hromada speaks Ukrainian on machines where the uk_UA locale may not be
 * generated (clerks' PCs often have only C/C.UTF-8): the character type
 * falls back to a UTF-8 locale that exists, and the catalogue is chosen
 * by LANGUAGE, which gettext honours once the messages locale is not
 * "C".  See i18n.c for how.
 */
#ifndef HR_I18N_H
#define HR_I18N_H

/*
 * Set the locale and bind the catalogue of PACKAGE.  The language is, in
 * this order: `lang` (a --lang option; may be NULL), the user's LANGUAGE,
 * `dflt` (the client passes "uk": Ukrainian whatever the locale), else
 * the language of the locale the environment asks for (LC_ALL,
 * LC_MESSAGES, LANG: "uk_UA.UTF-8" gives "uk") even when that locale is
 * not installed; with none of them, the source language, English.
 * HROMADA_LOCALEDIR overrides the installed catalogue directory, so that
 * the programs run from the build tree ($(top_builddir)/locale).
 */
void hr_i18n_init(const char *lang, const char *dflt);

#endif
