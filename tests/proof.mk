# tests/proof.mk — load, crash, hostile-client and fuzz proofs (issue «Proof under load and faults»).
#
# What each proof shows and how to run it: tests/load/README.md.  Only the
# short ones run in `make check`; the long ones are scripts run by hand.

# Load generator: N encrypted sessions in one epoll loop on the real client
# library; the mix, idle capacity, raw SQLite comparison (tests/load/run-*.sh).
noinst_PROGRAMS += tests/load/loadgen
tests_load_loadgen_SOURCES = tests/load/loadgen.c
tests_load_loadgen_LDADD = proto/libhrproto.a $(MSGPACK_LIBS) $(SODIUM_LIBS) \
	$(SQLITE_LIBS) -lm
dist_noinst_SCRIPTS += tests/load/run-load.sh tests/load/run-idle.sh
EXTRA_DIST += tests/load/README.md
