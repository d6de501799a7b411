/*
 * wrap.c — word wrap shared by the renderers (wrap.h).
 *
 * The text comes from the server or the database, where every string was
 * checked to be UTF-8; a stray byte is still handled (as one character)
 * rather than trusted.
 */
#include "config.h"

#include "paper/wrap.h"

#include <string.h>

size_t
paper_utf8_len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if ((c & 0xe0) == 0xc0)
		return 2;
	if ((c & 0xf0) == 0xe0)
		return 3;
	if ((c & 0xf8) == 0xf0)
		return 4;
	return 1;
}

uint32_t
paper_utf8_next(const char *s, size_t len, size_t *i)
{
	const unsigned char *p = (const unsigned char *)s + *i;
	size_t n = paper_utf8_len(p[0]);
	uint32_t c;

	if (n == 1 || *i + n > len) {
		(*i)++;
		return p[0] < 0x80 ? p[0] : 0xfffd;
	}
	c = p[0] & (0x7f >> n);
	for (size_t k = 1; k < n; k++) {
		if ((p[k] & 0xc0) != 0x80) {
			(*i)++;
			return 0xfffd;
		}
		c = (c << 6) | (p[k] & 0x3f);
	}
	*i += n;
	return c;
}

size_t
paper_utf8_count(const char *s, size_t len)
{
	size_t i = 0, n = 0;

	while (i < len) {
		paper_utf8_next(s, len, &i);
		n++;
	}
	return n;
}

/* The longest prefix of s[0..len) (whole characters, at least one) that
 * fits `width`. */
static size_t
fit_chars(const char *s, size_t len, double width, paper_measure_fn *measure,
    void *mud)
{
	size_t i = paper_utf8_len((unsigned char)s[0]), best;

	if (i > len)
		i = len;
	best = i;
	while (i < len) {
		size_t next = i + paper_utf8_len((unsigned char)s[i]);
		if (next > len || measure(mud, s, next) > width)
			break;
		best = i = next;
	}
	return best;
}

/* One paragraph without '\n'. */
static int
wrap_para(const char *s, size_t len, double width, paper_measure_fn *measure,
    void *mud, paper_line_fn *line, void *lud)
{
	size_t start = 0;
	int rc;

	while (start < len && s[start] == ' ')
		start++;
	if (start == len)
		return line(lud, s, 0);
	while (start < len) {
		size_t end = start, fit = start;   /* fit: end of the last word that fits */

		while (end < len) {
			size_t w = end;
			while (w < len && s[w] == ' ')
				w++;
			while (w < len && s[w] != ' ')
				w++;
			if (measure(mud, s + start, w - start) > width)
				break;
			fit = end = w;
		}
		if (fit == start)         /* one word wider than the line */
			fit = start + fit_chars(s + start, len - start, width,
			    measure, mud);
		if ((rc = line(lud, s + start, fit - start)) != 0)
			return rc;
		start = fit;
		while (start < len && s[start] == ' ')
			start++;
	}
	return 0;
}

int
paper_wrap(const char *s, double width, paper_measure_fn *measure, void *mud,
    paper_line_fn *line, void *lud)
{
	const char *p = s ? s : "";
	int rc;

	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if ((rc = wrap_para(p, len, width, measure, mud, line, lud)) != 0)
			return rc;
		if (nl == NULL)
			return 0;
		p = nl + 1;
	}
}

double
paper_longest_word(const char *s, paper_measure_fn *measure, void *mud)
{
	double best = 0;
	size_t i = 0, len = s ? strlen(s) : 0;

	while (i < len) {
		size_t w0;
		while (i < len && (s[i] == ' ' || s[i] == '\n'))
			i++;
		w0 = i;
		while (i < len && s[i] != ' ' && s[i] != '\n')
			i++;
		if (i > w0) {
			double w = measure(mud, s + w0, i - w0);
			if (w > best)
				best = w;
		}
	}
	return best;
}

/* Raise the columns below their minimum to it, taking the difference
 * from the others in proportion to what they have above theirs. */
static void
raise_to_min(const double *minw, size_t n, double *out)
{
	double short_by = 0, spare = 0;

	for (size_t i = 0; i < n; i++) {
		if (out[i] < minw[i]) {
			short_by += minw[i] - out[i];
			out[i] = minw[i];
		} else {
			spare += out[i] - minw[i];
		}
	}
	if (short_by <= 0 || spare <= 0)
		return;
	for (size_t i = 0; i < n; i++)
		if (out[i] > minw[i])
			out[i] -= short_by * (out[i] - minw[i]) / spare;
}

void
paper_col_widths(const double *weight, const double *minw, const int *hard,
    size_t n, double avail, double *out)
{
	double sum = 0, need = 0, need_hard = 0, floor[64];

	for (size_t i = 0; i < n; i++) {
		sum += weight[i];
		need += minw[i];
		need_hard += hard[i] ? minw[i] : 0;
	}
	for (size_t i = 0; i < n; i++)
		out[i] = sum > 0 ? avail * weight[i] / sum : avail / (double)n;
	if (need <= avail) {
		raise_to_min(minw, n, out);
		return;
	}
	if (need_hard > avail || n > 64)
		return;                 /* nothing fits: weights alone */
	for (size_t i = 0; i < n; i++)
		floor[i] = hard[i] ? minw[i] : 0;
	raise_to_min(floor, n, out);
}
