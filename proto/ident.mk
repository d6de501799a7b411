# proto/ident.mk — Ukrainian identifiers, dates, amounts and search folding
# (proto/ident.h, proto/fold.h), their unit tests and fuzz target.
#
# Alike on purpose: a fuzz target is declared by the same lines in every
# fragment that has one (proto/core.mk, ident.mk, dat.mk) — the replay
# program `make check` runs, then the libFuzzer build — named for its
# target; automake has no templates to say them once.

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

# Fuzz target (tests/fuzz/README.md).  Without libFuzzer it is a replay
# program that `make check` runs over tests/fuzz/corpus/fuzz_ident.
check_PROGRAMS += tests/fuzz/fuzz_ident_replay
TESTS += tests/fuzz/fuzz_ident_replay
tests_fuzz_fuzz_ident_replay_SOURCES = tests/fuzz/fuzz_ident.c \
	tests/fuzz/replay.h
tests_fuzz_fuzz_ident_replay_LDADD = proto/libhrproto.a
EXTRA_DIST += tests/fuzz/corpus/fuzz_ident

# The libFuzzer build compiles the sources itself so that they carry the
# fuzzer's coverage instrumentation (configure CC=clang --enable-fuzzing).
if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_ident
tests_fuzz_fuzz_ident_SOURCES = tests/fuzz/fuzz_ident.c $(hr_ident_sources) \
	proto/error.c proto/error.h
tests_fuzz_fuzz_ident_CPPFLAGS = $(AM_CPPFLAGS) -DHR_LIBFUZZER
tests_fuzz_fuzz_ident_CFLAGS = $(AM_CFLAGS) $(HR_FUZZ_FLAGS)
tests_fuzz_fuzz_ident_LDFLAGS = $(AM_LDFLAGS) $(HR_FUZZ_FLAGS)
endif
