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
	/* Copy to an exact-size heap block so ASan sees any over-read. */
	char *s = malloc(size ? size : 1);

	if (s == NULL)
		return 0;
	if (size > 0)
		memcpy(s, data, size);
	fuzz_dates(s, size);
	fuzz_norm(hr_iban_normalize, s, size);
	fuzz_norm(hr_phone_normalize, s, size);
	fuzz_norm(docnum_passport, s, size);
	fuzz_norm(docnum_id_card, s, size);
	fuzz_norm(docnum_birth, s, size);
	fuzz_amount(s, size);
	fuzz_fold(s, size);
	free(s);
	return 0;
}

#ifndef HR_LIBFUZZER
#include <dirent.h>
#include <sys/stat.h>

static int
replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, len = 0, n;

	if (f == NULL) {
		perror(path);
		return -1;
	}
	do {
		if (len == cap) {
			uint8_t *nb = realloc(buf, cap = cap ? 2 * cap : 4096);
			if (nb == NULL) {
				fclose(f);
				free(buf);
				return -1;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

/* A file, or every regular file in a directory; returns the count run. */
static int
replay_path(const char *path)
{
	struct stat st;
	struct dirent *e;
	DIR *d;
	int count = 0;

	if (stat(path, &st) != 0) {
		perror(path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return replay_file(path) == 0 ? 1 : -1;
	if ((d = opendir(path)) == NULL) {
		perror(path);
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		char sub[4096];
		if (e->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(sub, sizeof sub, "%s/%s", path, e->d_name)
		    >= sizeof sub || replay_file(sub) != 0) {
			closedir(d);
			return -1;
		}
		count++;
	}
	closedir(d);
	return count;
}

int
main(int argc, char **argv)
{
	const char *top = getenv("top_srcdir");
	char dflt[4096];
	int total = 0;

	if (argc < 2) {
		snprintf(dflt, sizeof dflt, "%s/tests/fuzz/corpus/ident",
		    top ? top : ".");
		argv[0] = dflt;
		argc = 1;
	} else {
		argv++;
		argc--;
	}
	for (int i = 0; i < argc; i++) {
		int n = replay_path(argv[i]);
		if (n < 0)
			return 1;
		total += n;
	}
	if (total == 0) {
		fprintf(stderr, "fuzz_ident: no inputs to replay\n");
		return 1;
	}
	printf("fuzz_ident: %d inputs replayed\n", total);
	return 0;
}
#endif
