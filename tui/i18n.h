/*
 * i18n.h — locale and message catalogue set-up for the client.
 *
 * The interface speaks Ukrainian whatever the machine's locale: clerks'
 * PCs often have only C/C.UTF-8 generated.  See i18n.c for how.
 */
#ifndef TUI_I18N_H
#define TUI_I18N_H

/* `lang` (from --lang) may be NULL: then LANGUAGE, else "uk". */
void i18n_init(const char *lang);

#endif
