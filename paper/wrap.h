/*
 * wrap.h — breaking a paragraph into lines no wider than a measure, for
 * both renderers: plaintext.c measures in columns, pdf.c in points of a font.
 * Internal to paper/.
 */
#ifndef HR_PAPER_WRAP_H
#define HR_PAPER_WRAP_H

#include <stddef.h>
#include <stdint.h>

/* Width of s[0..len) in the caller's unit. */
typedef double paper_measure_fn(void *ud, const char *s, size_t len);
/* One line: s[0..len), without the blanks where it was broken. */
typedef int paper_line_fn(void *ud, const char *s, size_t len);

/*
 * Greedy word wrap of UTF-8 `s` to `width`: lines break at blanks, and at
 * '\n' always; a word wider than the whole line is cut between characters.
 * An empty paragraph gives one empty line.  Stops at the first non-zero
 * return of `line` and returns it; 0 when done.
 */
int paper_wrap(const char *s, double width, paper_measure_fn *measure,
    void *mud, paper_line_fn *line, void *lud);

/* Bytes of the UTF-8 sequence starting with byte c (1 for a stray byte). */
size_t paper_utf8_len(unsigned char c);

/* Characters (code points) in s[0..len). */
size_t paper_utf8_count(const char *s, size_t len);

/* Next code point of s[*i..len), advancing *i; U+FFFD for a bad byte. */
uint32_t paper_utf8_next(const char *s, size_t len, size_t *i);



/*
 * Widths of n table columns sharing `avail`: by their weights, but no
 * column narrower than its longest word (minw[i]) when the words fit —
 * the wider columns give up what the narrow ones need.  When they do not
 * all fit, the columns marked `hard` (numbers, dates) still get theirs
 * and the others share the rest by weight.  out[i] sums to avail.
 */
void paper_col_widths(const double *weight, const double *minw,
    const int *hard, size_t n, double avail, double *out);

/* Width of the longest blank-separated word of s by `measure`. */
double paper_longest_word(const char *s, paper_measure_fn *measure, void *mud);

#endif
