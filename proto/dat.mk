# proto/dat.mk — the *.DAT exchange files with the decision systems
# (proto/dat.h, man/hromada-dat.5): parser, writer, unit test, fuzz target.
#
# Alike on purpose: a fuzz target is declared by the same lines in every
# fragment that has one (proto/core.mk, ident.mk, dat.mk) — the replay
# program `make check` runs, then the libFuzzer build — named for its
# target; automake has no templates to say them once.

hr_dat_sources = proto/dat.h proto/dat_priv.h proto/dat.c proto/dat_write.c \
	proto/dat_text.c

proto_libhrproto_a_SOURCES += $(hr_dat_sources)

check_PROGRAMS += tests/unit/test_dat
TESTS += tests/unit/test_dat
tests_unit_test_dat_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_dat_LDADD = proto/libhrproto.a $(CMOCKA_LIBS)

# Fuzz target (tests/fuzz/README.md): without libFuzzer a replay program
# that `make check` runs over tests/fuzz/corpus/fuzz_dat.
check_PROGRAMS += tests/fuzz/fuzz_dat_replay
TESTS += tests/fuzz/fuzz_dat_replay
tests_fuzz_fuzz_dat_replay_SOURCES = tests/fuzz/fuzz_dat.c tests/fuzz/replay.h
tests_fuzz_fuzz_dat_replay_LDADD = proto/libhrproto.a
EXTRA_DIST += tests/fuzz/corpus/fuzz_dat

if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_dat
tests_fuzz_fuzz_dat_SOURCES = tests/fuzz/fuzz_dat.c $(hr_dat_sources) \
	$(hr_ident_sources) proto/buf.c proto/buf.h proto/error.c proto/error.h \
	proto/filetype.c proto/filetype.h
tests_fuzz_fuzz_dat_CPPFLAGS = $(AM_CPPFLAGS) -DHR_LIBFUZZER
tests_fuzz_fuzz_dat_CFLAGS = $(AM_CFLAGS) $(HR_FUZZ_FLAGS)
tests_fuzz_fuzz_dat_LDFLAGS = $(AM_LDFLAGS) $(HR_FUZZ_FLAGS)
endif
