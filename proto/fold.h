/*
 * fold.h — the search form of names and addresses.
 *
 * SQLite's LIKE, lower() and upper() fold ASCII only, so "Іваненко" would
 * not find "ІВАНЕНКО" (PITFALLS.md).  Instead every searchable text is
 * stored a second time in folded form, computed here, and every search
 * query is folded by the same function; equal folded forms mean "the same
 * name" and a prefix of a folded form is a prefix match.  Client and server
 * must fold identically, hence this lives in proto/.
 *
 * Folding:
 *  - Latin and Cyrillic to lower case (Ukrainian А-Я Ґ Є І Ї, and Ё Ъ Ы Э
 *    Ў of legacy Russian/Belarusian data);
 *  - the apostrophe's look-alikes (ʼ ’ ‘ ` ´ ʹ ′) to ASCII ';
 *    hyphen look-alikes (‐ ‑ –) to ASCII -;
 *  - decomposed й ї ё ў (letter + combining breve/diaeresis) to the
 *    single letter, as text pasted from some editors carries them;
 *  - every run of white space (also no-break and other Unicode spaces) to
 *    one ASCII space, none at either end;
 *  - decimal digits of every script (full-width, Arabic-Indic, ...) to
 *    ASCII 0-9;
 *  - invisible characters (controls, zero-width, soft hyphen, BOM) and bytes
 *    that are not well-formed UTF-8 are dropped.
 * The result is valid UTF-8 without NUL bytes and never longer than the
 * input.  Folding is idempotent: fold(fold(x)) == fold(x).
 */
#ifndef HR_FOLD_H
#define HR_FOLD_H

#include <stddef.h>

/*
 * Fold s[0..len) into out[0..cap), NUL-terminated when cap > 0.  Returns the
 * length of the whole folded text (without the NUL), like snprintf: if that
 * is >= cap the output was cut at a character boundary.  cap = len + 1
 * always suffices.
 */
size_t hr_fold_into(const char *s, size_t len, char *out, size_t cap);

/* Folded copy of s[0..len), NUL-terminated; caller frees; NULL if out of
 * memory. */
char  *hr_fold(const char *s, size_t len);

/* What a search query is (journal.list, person.search). */
enum hr_query_kind {
	HR_QUERY_EMPTY,    /* nothing but blanks: no filter */
	HR_QUERY_RNOKPP,   /* exactly 10 digits: look up by РНОКПП */
	HR_QUERY_DIGITS,   /* other digits only: not a name (start of an РНОКПП?) */
	HR_QUERY_NAME,     /* anything else: fold it, match surname prefixes */
};

/*
 * Classify s[0..len).  Digits are any decimal digits (full-width ３,
 * Arabic-Indic ٣, ... fold to ASCII) and may be grouped by blanks of any
 * kind or hyphens ("3652 504 575"): such a query is a number, never a
 * name.  The check digit of an РНОКПП query is not checked: a search for
 * a wrong number finds nothing.
 */
enum hr_query_kind hr_query_kind(const char *s, size_t len);

/*
 * The ASCII digits of a query that is digits only (as hr_query_kind
 * sees it) into out[0..cap), NUL-terminated; their count, or 0 when the
 * query is not digits only (or they do not fit).
 */
size_t hr_query_digits(const char *s, size_t len, char *out, size_t cap);

#endif
