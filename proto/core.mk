# proto/core.mk — the core of proto/: buffers, framing, handshake, channel,
# msgpack pre-scan and reading, RPC envelopes, params schemas.  See HELPERS.md.
#
# Alike on purpose: a fuzz target is declared by the same lines in every
# fragment that has one (proto/core.mk, ident.mk, dat.mk), named for its
# target; automake has no templates to say them once.

proto_libhrproto_a_SOURCES += \
	proto/buf.c proto/buf.h \
	proto/frame.c proto/frame.h \
	proto/channel.c proto/channel.h \
	proto/handshake.c proto/handshake.h \
	proto/mpscan.c proto/mpscan.h \
	proto/mpread.c proto/mpread.h \
	proto/rpc.c proto/rpc.h \
	proto/schema.c proto/schema.h \
	proto/app_fields.c proto/app_fields.h

EXTRA_DIST += proto/PROTOCOL.md

# ---- unit tests (cmocka) ----
proto_core_tests = \
	tests/unit/test_buf \
	tests/unit/test_frame \
	tests/unit/test_channel \
	tests/unit/test_handshake \
	tests/unit/test_mpscan_rpc \
	tests/unit/test_schema

check_PROGRAMS += $(proto_core_tests)
TESTS += $(proto_core_tests)

proto_core_test_cflags = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
proto_core_test_ldadd = proto/libhrproto.a $(MSGPACK_LIBS) $(SODIUM_LIBS) $(CMOCKA_LIBS)

tests_unit_test_buf_CFLAGS = $(proto_core_test_cflags)
tests_unit_test_buf_LDADD = $(proto_core_test_ldadd)
tests_unit_test_frame_CFLAGS = $(proto_core_test_cflags)
tests_unit_test_frame_LDADD = $(proto_core_test_ldadd)
tests_unit_test_channel_CFLAGS = $(proto_core_test_cflags)
tests_unit_test_channel_LDADD = $(proto_core_test_ldadd)
# The same test with the channel compiled -DNDEBUG, as a release build
# would be: the nonce counter's guard must not be an assert that vanishes.
check_PROGRAMS += tests/unit/test_channel_ndebug
TESTS += tests/unit/test_channel_ndebug
tests_unit_test_channel_ndebug_SOURCES = tests/unit/test_channel.c \
	proto/channel.c
tests_unit_test_channel_ndebug_CPPFLAGS = $(AM_CPPFLAGS) -DNDEBUG
tests_unit_test_channel_ndebug_CFLAGS = $(proto_core_test_cflags)
tests_unit_test_channel_ndebug_LDADD = $(proto_core_test_ldadd)
tests_unit_test_handshake_CFLAGS = $(proto_core_test_cflags)
tests_unit_test_handshake_LDADD = $(proto_core_test_ldadd)
tests_unit_test_mpscan_rpc_CFLAGS = $(proto_core_test_cflags)
tests_unit_test_mpscan_rpc_LDADD = $(proto_core_test_ldadd)
tests_unit_test_schema_CFLAGS = $(proto_core_test_cflags)
tests_unit_test_schema_LDADD = $(proto_core_test_ldadd)

# ---- fuzz targets ----
# Each target is also a plain replay program (tests/fuzz/replay.h): built with
# the normal compiler and run by `make check` over its seed corpus
# (tests/fuzz/corpus/<target>/).  How to fuzz: tests/fuzz/README.md.
proto_core_fuzz_sources = \
	proto/error.c proto/buf.c proto/frame.c proto/channel.c \
	proto/handshake.c proto/mpscan.c proto/mpread.c proto/rpc.c \
	proto/schema.c

check_PROGRAMS += tests/fuzz/fuzz_rpc_replay tests/fuzz/fuzz_frame_handshake_replay
TESTS += tests/fuzz/fuzz_rpc_replay tests/fuzz/fuzz_frame_handshake_replay
tests_fuzz_fuzz_rpc_replay_SOURCES = tests/fuzz/fuzz_rpc.c tests/fuzz/replay.h
tests_fuzz_fuzz_rpc_replay_LDADD = proto/libhrproto.a $(MSGPACK_LIBS) $(SODIUM_LIBS)
tests_fuzz_fuzz_frame_handshake_replay_SOURCES = tests/fuzz/fuzz_frame_handshake.c \
	tests/fuzz/replay.h
tests_fuzz_fuzz_frame_handshake_replay_LDADD = proto/libhrproto.a $(MSGPACK_LIBS) \
	$(SODIUM_LIBS)
EXTRA_DIST += tests/fuzz/README.md tests/fuzz/corpus/fuzz_rpc \
	tests/fuzz/corpus/fuzz_frame_handshake

# libFuzzer builds (configure CC=clang --enable-fuzzing).  The proto sources
# are compiled into the target itself so they get the fuzzer's coverage
# instrumentation; libhrproto.a is not.
if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_rpc tests/fuzz/fuzz_frame_handshake
tests_fuzz_fuzz_rpc_SOURCES = tests/fuzz/fuzz_rpc.c $(proto_core_fuzz_sources)
tests_fuzz_fuzz_rpc_CPPFLAGS = $(AM_CPPFLAGS) -DHR_LIBFUZZER
tests_fuzz_fuzz_rpc_CFLAGS = $(AM_CFLAGS) $(HR_FUZZ_FLAGS)
tests_fuzz_fuzz_rpc_LDFLAGS = $(AM_LDFLAGS) $(HR_FUZZ_FLAGS)
tests_fuzz_fuzz_rpc_LDADD = $(MSGPACK_LIBS) $(SODIUM_LIBS)
tests_fuzz_fuzz_frame_handshake_SOURCES = tests/fuzz/fuzz_frame_handshake.c \
	$(proto_core_fuzz_sources)
tests_fuzz_fuzz_frame_handshake_CPPFLAGS = $(AM_CPPFLAGS) -DHR_LIBFUZZER
tests_fuzz_fuzz_frame_handshake_CFLAGS = $(AM_CFLAGS) $(HR_FUZZ_FLAGS)
tests_fuzz_fuzz_frame_handshake_LDFLAGS = $(AM_LDFLAGS) $(HR_FUZZ_FLAGS)
tests_fuzz_fuzz_frame_handshake_LDADD = $(MSGPACK_LIBS) $(SODIUM_LIBS)
endif

# Structured errors and their way over the wire (proto/error.h, rpc.c).
check_PROGRAMS += tests/unit/test_error
TESTS += tests/unit/test_error
tests_unit_test_error_CFLAGS = $(proto_core_test_cflags)
tests_unit_test_error_LDADD = $(proto_core_test_ldadd)
