# tests/link/link.mk — the link emulator (tests/link/README.md): a
# delaying, rate-limiting TCP proxy between loopback sockets, which the
# slow-link benchmarks put between the client and the server.  Not
# installed; built with the programs so benchmarks find it.

noinst_PROGRAMS += tests/link/linkemu
tests_link_linkemu_SOURCES = tests/link/linkemu.c

check_PROGRAMS += tests/link/test_linkemu
TESTS += tests/link/test_linkemu
tests_link_test_linkemu_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_link_test_linkemu_LDADD = $(CMOCKA_LIBS)
tests_link_test_linkemu_DEPENDENCIES = tests/link/linkemu

EXTRA_DIST += tests/link/README.md
