/*
 * fuzz_ident.c — every identifier check and the search folding on arbitrary
 * bytes.
 *
 * Built with -DHR_LIBFUZZER it is a libFuzzer target (configure CC=clang
 * --enable-fuzzing).  Otherwise main() below replays files: each argument is
 * a file or a directory of files; with no argument it replays the seed
 * corpus $top_srcdir/tests/fuzz/corpus/ident, which is how `make check` runs
 * it.  A crash or sanitizer report is the failure; beyond that the target
 * asserts the properties callers rely on (NUL-terminated canonical forms
 * that check again, folding idempotent and never longer than its input).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/fold.h"
#include "proto/ident.h"

#define HR_FUZZ_NAME "fuzz_ident"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REQUIRE(c) do { if (!(c)) { \
	fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c); abort(); } \
	} while (0)

static void
fuzz_dates(const char *s, size_t n)
{
	struct hr_date d, back;
	struct hr_rnokpp_info info;
	char out[HR_DATE_STR_MAX];
	struct hr_error err;

	if (hr_date_parse(s, n, "date", &d, &err) == 0) {
		REQUIRE(hr_date_format(&d, out, sizeof out) == 0);
		REQUIRE(hr_date_from_days(hr_date_to_days(&d), &back) == 0);
		REQUIRE(hr_date_cmp(&d, &back) == 0);
	}
	if (hr_rnokpp_check(s, n, &info, &err) == 0)
		REQUIRE(hr_rnokpp_match(s, n, &info.birth, info.sex, &err) == 0);
	if (hr_unzr_check(s, n, &d, &err) == 0)
		REQUIRE(hr_unzr_match(s, n, &d, &err) == 0);
	(void)hr_katottg_check(s, n, &err);
}

/* A normaliser's output must pass the same normaliser unchanged. */
typedef int norm_fn(const char *, size_t, char *, size_t, struct hr_error *);

static void
fuzz_norm(norm_fn *fn, const char *s, size_t n)
{
	char a[64], b[64];
	struct hr_error err;

	if (fn(s, n, a, sizeof a, &err) != 0)
		return;
	REQUIRE(fn(a, strlen(a), b, sizeof b, &err) == 0);
	REQUIRE(strcmp(a, b) == 0);
}

static int
docnum_passport(const char *s, size_t n, char *o, size_t c, struct hr_error *e)
{
	return hr_docnum_normalize(HR_DOC_PASSPORT, s, n, o, c, e);
}

static int
docnum_id_card(const char *s, size_t n, char *o, size_t c, struct hr_error *e)
{
	return hr_docnum_normalize(HR_DOC_ID_CARD, s, n, o, c, e);
}

static int
docnum_birth(const char *s, size_t n, char *o, size_t c, struct hr_error *e)
{
	return hr_docnum_normalize(HR_DOC_BIRTH_CERT, s, n, o, c, e);
}

static void
fuzz_amount(const char *s, size_t n)
{
	char out[HR_AMOUNT_STR_MAX];
	int64_t k, k2;
	struct hr_error err;

	if (hr_amount_parse(s, n, NULL, &k, &err) != 0)
		return;
	REQUIRE(k >= 0);
	REQUIRE(hr_amount_format(k, out, sizeof out) == 0);
	REQUIRE(hr_amount_parse(out, strlen(out), NULL, &k2, &err) == 0);
	REQUIRE(k == k2);
}

static void
fuzz_fold(const char *s, size_t n)
{
	char *a, *b;
	char small[8];
	size_t la;

	a = hr_fold(s, n);
	REQUIRE(a != NULL);
	la = strlen(a);
	REQUIRE(la <= n);
	REQUIRE(hr_fold_into(s, n, small, sizeof small) == la);
	REQUIRE(strncmp(a, small, strlen(small)) == 0);
	b = hr_fold(a, la);
	REQUIRE(b != NULL && strcmp(a, b) == 0);
	free(b);
	free(a);
	(void)hr_query_kind(s, n);
	(void)hr_docnum_guess(s, n);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Both libFuzzer and replay.h pass an exact-size buffer, so ASan sees
	 * any read past the input. */
	const char *s = (const char *)data;

	fuzz_dates(s, size);
	fuzz_norm(hr_iban_normalize, s, size);
	fuzz_norm(hr_phone_normalize, s, size);
	fuzz_norm(docnum_passport, s, size);
	fuzz_norm(docnum_id_card, s, size);
	fuzz_norm(docnum_birth, s, size);
	fuzz_amount(s, size);
	fuzz_fold(s, size);
	return 0;
}

#ifndef HR_LIBFUZZER
#include "tests/fuzz/replay.h"
#endif
