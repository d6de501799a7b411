# proto/ident.mk — Ukrainian identifiers, dates, amounts and search folding
# (proto/ident.h, proto/fold.h), their unit tests and fuzz target.

hr_ident_sources = \
	proto/ident.h proto/ident_priv.h \
	proto/date.c proto/rnokpp.c proto/unzr.c proto/docnum.c \
	proto/iban.c proto/katottg.c proto/phone.c proto/amount.c \
	proto/fold.h proto/fold.c

proto_libhrproto_a_SOURCES += $(hr_ident_sources)

check_PROGRAMS += tests/unit/test_ident tests/unit/test_fold
TESTS += tests/unit/test_ident tests/unit/test_fold
tests_unit_test_ident_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_ident_LDADD = proto/libhrproto.a $(CMOCKA_LIBS)
tests_unit_test_fold_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_fold_LDADD = proto/libhrproto.a $(CMOCKA_LIBS)

# Fuzz target.  Without libFuzzer it is a replay program, run as a test over
# the seed corpus (with no arguments it reads tests/fuzz/corpus/ident).
check_PROGRAMS += tests/fuzz/fuzz_ident_replay
TESTS += tests/fuzz/fuzz_ident_replay
tests_fuzz_fuzz_ident_replay_SOURCES = tests/fuzz/fuzz_ident.c
tests_fuzz_fuzz_ident_replay_LDADD = proto/libhrproto.a
EXTRA_DIST += tests/fuzz/corpus/ident

# The libFuzzer build compiles the sources itself so that they carry the
# fuzzer's coverage instrumentation (configure CC=clang --enable-fuzzing).
if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_ident
tests_fuzz_fuzz_ident_SOURCES = tests/fuzz/fuzz_ident.c $(hr_ident_sources) \
	proto/error.c proto/error.h
tests_fuzz_fuzz_ident_CPPFLAGS = $(AM_CPPFLAGS) -DHR_LIBFUZZER
tests_fuzz_fuzz_ident_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_ident_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
endif
