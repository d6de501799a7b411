# proto/core.mk — the core of proto/: buffers, framing, handshake, channel,
# msgpack pre-scan, RPC envelopes, params schemas.  See HELPERS.md.

proto_libhrproto_a_SOURCES += \
	proto/buf.c proto/buf.h \
	proto/frame.c proto/frame.h \
	proto/channel.c proto/channel.h \
	proto/handshake.c proto/handshake.h \
	proto/mpscan.c proto/mpscan.h \
	proto/rpc.c proto/rpc.h \
	proto/schema.c proto/schema.h

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
tests_unit_test_handshake_CFLAGS = $(proto_core_test_cflags)
tests_unit_test_handshake_LDADD = $(proto_core_test_ldadd)
tests_unit_test_mpscan_rpc_CFLAGS = $(proto_core_test_cflags)
tests_unit_test_mpscan_rpc_LDADD = $(proto_core_test_ldadd)
tests_unit_test_schema_CFLAGS = $(proto_core_test_cflags)
tests_unit_test_schema_LDADD = $(proto_core_test_ldadd)
