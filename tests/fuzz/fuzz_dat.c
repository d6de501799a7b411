/*
 * fuzz_dat.c — the *.DAT parser (proto/dat.h) on arbitrary bytes.
 *
 * Built with -DHR_LIBFUZZER it is a libFuzzer target (configure CC=clang
 * --enable-fuzzing); otherwise tests/fuzz/replay.h makes it a program that
 * replays the seed corpus tests/fuzz/corpus/fuzz_dat, which `make check`
 * runs.  Beyond "never crash", a file the parser accepts must survive the
 * writer: written back it parses again with the same header and records.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/buf.h"
#include "proto/dat.h"

#define HR_FUZZ_NAME "fuzz_dat"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REQUIRE(c) do { if (!(c)) { \
	fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c); abort(); } \
	} while (0)

static void
round_trip(const struct hr_dat *d)
{
	struct hr_buf   out;
	struct hr_dat   back;
	struct hr_error err;

	hr_buf_init(&out, HR_DAT_FILE_MAX);
	/* The writer may refuse only a file that grows past the bound
	 * (CRLF input written back is never longer, escapes the same). */
	if (hr_dat_write(d, &out, &err) == 0) {
		REQUIRE(hr_dat_parse(hr_buf_head(&out), hr_buf_used(&out),
		    &back, &err) == 0);
		REQUIRE(back.hdr.count == d->hdr.count);
		REQUIRE(back.hdr.number == d->hdr.number);
		REQUIRE(back.hdr.created == d->hdr.created);
		for (uint32_t i = 0; d->hdr.kind == HR_DAT_EXPORT &&
		    i < d->hdr.count; i++)
			REQUIRE(back.apps[i].nscans == d->apps[i].nscans);
		hr_dat_free(&back);
	} else {
		REQUIRE(err.msg[0] != '\0');
	}
	hr_buf_free(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hr_dat   d;
	struct hr_error err;

	if (hr_dat_parse(data, size, &d, &err) != 0) {
		REQUIRE(err.msg[0] != '\0');
		return 0;
	}
	round_trip(&d);
	hr_dat_free(&d);
	return 0;
}

#ifndef HR_LIBFUZZER
#include "tests/fuzz/replay.h"
#endif
