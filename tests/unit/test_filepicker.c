/*
 * test_filepicker.c — the keyboard file picker (tui/filepicker.h), on a
 * directory tree made for the test: directories first, then the files the
 * caller ranks first, then the rest; type-to-find (Cyrillic folded);
 * entering and leaving directories; a typed path; a hidden file only for
 * a typed dot; the directory mode's "choose this directory"; an empty
 * directory; the remembered directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tui/filepicker.h"

static char root[256];

static void
touch(const char *rel)
{
	char p[512];
	FILE *f;

	snprintf(p, sizeof p, "%s/%s", root, rel);
	assert_non_null(f = fopen(p, "w"));
	fputs("x", f);
	fclose(f);
}

static void
dir(const char *rel)
{
	char p[512];

	snprintf(p, sizeof p, "%s/%s", root, rel);
	assert_int_equal(mkdir(p, 0700), 0);
}

static int
setup(void **state)
{
	const char *tmp = getenv("TMPDIR");

	(void)state;
	snprintf(root, sizeof root, "%s/test_fp.XXXXXX", tmp ? tmp : "/tmp");
	if (mkdtemp(root) == NULL)
		return -1;
	dir("Скани");
	dir("Скани/2026");
	dir("порожній");
	touch("Скани/паспорт.JPG");
	touch("Скани/лист.docx");
	touch("Скани/довідка.pdf");
	touch("Скани/.сховане.pdf");
	touch("Скани/2026/заява.png");
	return 0;
}

static int
teardown(void **state)
{
	char cmd[600];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : -1;
}

static int
type(struct filepicker *fp, const wchar_t *s)
{
	int r = FILEPICKER_OPEN;

	for (; *s != L'\0'; s++) {
		struct key k = { 0, (wint_t)*s };

		r = filepicker_key(fp, &k);
	}
	return r;
}

static int
press(struct filepicker *fp, int is_key, wint_t ch)
{
	struct key k = { is_key, ch };

	return filepicker_key(fp, &k);
}

/* Scans first: the caller's ranking. */
static int
rank(void *ud, const char *name)
{
	const char *dot = strrchr(name, '.');

	(void)ud;
	if (dot != NULL && strcasecmp(dot, ".docx") == 0)
		return -1;                        /* hidden */
	return dot != NULL && strcasecmp(dot, ".jpg") == 0;
}

static void
test_browse_and_choose(void **state)
{
	char start[300];
	struct filepicker *fp;

	(void)state;
	snprintf(start, sizeof start, "%s/Скани", root);
	assert_non_null(fp = filepicker_new("t", FILEPICKER_FILE, start, rank,
	    NULL));
	/* "..", 2026/, паспорт.JPG (ranked), довідка.pdf; no .docx, no dot */
	assert_int_equal(filepicker_visible(fp), 4);
	assert_int_equal(type(fp, L"ДОВ"), FILEPICKER_OPEN);  /* folded */
	assert_int_equal(filepicker_visible(fp), 1);
	assert_int_equal(press(fp, 0, L'\r'), FILEPICKER_CHOSEN);
	assert_non_null(strstr(filepicker_path(fp), "/Скани/довідка.pdf"));

	/* Esc clears the search first; Backspace on nothing goes up. */
	type(fp, L"xyz");
	assert_int_equal(filepicker_visible(fp), 0);
	assert_int_equal(press(fp, 0, 27), FILEPICKER_OPEN);
	assert_int_equal(filepicker_visible(fp), 4);
	type(fp, L".сх");                      /* a dot shows hidden files */
	assert_int_equal(filepicker_visible(fp), 1);
	press(fp, 0, 27);
	type(fp, L"2026");
	assert_int_equal(press(fp, 0, L'\r'), FILEPICKER_OPEN);   /* entered */
	assert_non_null(strstr(filepicker_dir(fp), "/Скани/2026"));
	assert_int_equal(press(fp, 1, KEY_BACKSPACE), FILEPICKER_OPEN);
	assert_non_null(strstr(filepicker_dir(fp), "/Скани"));
	assert_null(strstr(filepicker_dir(fp), "2026"));
	filepicker_free(fp);
}

static void
test_typed_path_and_empty_dir(void **state)
{
	char path[400];
	struct filepicker *fp;

	(void)state;
	assert_non_null(fp = filepicker_new("t", FILEPICKER_FILE, root, NULL,
	    NULL));
	snprintf(path, sizeof path, "%s/порожній", root);
	{
		wchar_t w[400];

		mbstowcs(w, path, 400);
		type(fp, w);
	}
	assert_int_equal(press(fp, 0, L'\r'), FILEPICKER_OPEN);
	assert_non_null(strstr(filepicker_dir(fp), "/порожній"));
	assert_int_equal(filepicker_visible(fp), 1);   /* ".." only */
	type(fp, L"/no/such/dir");
	assert_int_equal(press(fp, 0, L'\r'), FILEPICKER_OPEN);
	assert_non_null(strstr(filepicker_dir(fp), "/порожній"));
	assert_int_equal(press(fp, 0, 27), FILEPICKER_OPEN);
	assert_int_equal(press(fp, 0, 27), FILEPICKER_CANCEL);
	filepicker_free(fp);
}

static void
test_directory_mode(void **state)
{
	struct filepicker *fp;
	char home[300], *last;

	(void)state;
	assert_non_null(fp = filepicker_new("t", FILEPICKER_DIR, root, NULL,
	    NULL));
	/* ./ (this directory), ../, Скани/, порожній/: no files */
	assert_int_equal(filepicker_visible(fp), 4);
	assert_int_equal(press(fp, 0, L'\r'), FILEPICKER_CHOSEN);
	assert_string_equal(filepicker_path(fp), filepicker_dir(fp));
	type(fp, L"скани");
	press(fp, 0, L'\r');
	assert_int_equal(press(fp, 1, KEY_F(2)), FILEPICKER_CHOSEN);
	assert_non_null(strstr(filepicker_path(fp), "/Скани"));

	/* The directory is remembered for its purpose. */
	snprintf(home, sizeof home, "%s/state", root);
	setenv("XDG_STATE_HOME", home, 1);
	assert_null(filepicker_last_dir("test"));
	filepicker_remember("test", filepicker_path(fp));
	assert_non_null(last = filepicker_last_dir("test"));
	assert_string_equal(last, filepicker_path(fp));
	free(last);
	filepicker_free(fp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_browse_and_choose),
		cmocka_unit_test(test_typed_path_and_empty_dir),
		cmocka_unit_test(test_directory_mode),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, setup, teardown);
}
