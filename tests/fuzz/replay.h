/*
 * replay.h — main() for a fuzz target built without libFuzzer.
 *
 * Included by each tests/fuzz/fuzz_*.c under #ifndef HR_LIBFUZZER, so the
 * same target is also a plain program: it runs every file (or every file in
 * every directory) named on the command line through LLVMFuzzerTestOneInput.
 * With no arguments it replays its own seed corpus,
 * $top_srcdir/tests/fuzz/corpus/HR_FUZZ_NAME, which is how `make check`
 * runs it with gcc and the sanitizers: crashes found by fuzzing and saved to
 * the corpus stay fixed.
 */
#ifndef HR_FUZZ_REPLAY_H
#define HR_FUZZ_REPLAY_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REPLAY_MAX_INPUT (4u * 1024u * 1024u)

/* Run one file; -1 when it cannot be read. */
static int
replay_file(const char *path)
{
	FILE    *f = fopen(path, "rb");
	uint8_t *buf;
	size_t   n;

	if (f == NULL) {
		fprintf(stderr, "%s: cannot open\n", path);
		return -1;
	}
	if ((buf = malloc(REPLAY_MAX_INPUT)) == NULL) {
		fclose(f);
		return -1;
	}
	n = fread(buf, 1, REPLAY_MAX_INPUT, f);
	fclose(f);
	/* an exact-size copy so ASan catches any read past the input */
	uint8_t *exact = malloc(n ? n : 1);
	if (exact != NULL) {
		memcpy(exact, buf, n);
		LLVMFuzzerTestOneInput(exact, n);
		free(exact);
	}
	free(buf);
	return exact != NULL ? 0 : -1;
}

/* A file, or each regular file of a directory; returns inputs run or -1. */
static int
replay_path(const char *path)
{
	struct stat    st;
	struct dirent *de;
	DIR           *d;
	char           sub[4096];
	int            count = 0;

	if (stat(path, &st) == -1) {
		fprintf(stderr, "%s: not found\n", path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return replay_file(path) == 0 ? 1 : -1;
	if ((d = opendir(path)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof sub, "%s/%s", path, de->d_name);
		if (stat(sub, &st) == 0 && S_ISREG(st.st_mode)) {
			if (replay_file(sub) == -1) {
				closedir(d);
				return -1;
			}
			count++;
		}
	}
	closedir(d);
	return count;
}

int
main(int argc, char **argv)
{
	const char *top = getenv("top_srcdir");
	char        corpus[4096];
	int         total = 0;

	if (argc < 2) {
		snprintf(corpus, sizeof corpus, "%s/tests/fuzz/corpus/%s",
		    top ? top : ".", HR_FUZZ_NAME);
		total = replay_path(corpus);
		if (total <= 0) {
			fprintf(stderr, "%s: no seed corpus found\n", corpus);
			return 1;
		}
	}
	for (int i = 1; i < argc; i++) {
		int n = replay_path(argv[i]);

		if (n < 0)
			return 1;
		total += n;
	}
	printf("%s: %d inputs replayed without a crash\n", HR_FUZZ_NAME, total);
	return 0;
}

#endif
