/*
 * words.h — the words people know for the wire names the client shows
 * and that are no reference data: the decision systems.
 */
#ifndef TUI_WORDS_H
#define TUI_WORDS_H

/* "asopd" -> «АСОПД», translated; the code itself when unknown. */
const char *words_system(const char *code);

#endif
