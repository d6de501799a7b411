# tests/proof.mk — load, crash, hostile-client and fuzz proofs (issue «Proof under load and faults»).
#
# What each proof shows and how to run it: tests/load/README.md.  Only the
# short ones run in `make check`; the long ones are scripts run by hand.

# Load generator: N encrypted sessions in one epoll loop on the real client
# library; the mix, idle capacity, raw SQLite comparison (tests/load/run-*.sh).
noinst_PROGRAMS += tests/load/loadgen
# With --raw-reads it runs each query kind on SQLite alone too, through the
# same db/ calls as the handlers (tests/load/raw_reads.c).
tests_load_loadgen_SOURCES = tests/load/loadgen.c \
	tests/load/raw_reads.c tests/load/raw_reads.h
tests_load_loadgen_LDADD = tests/lib/libhrtest.a srvd/libhrsrvd.a \
	db/libhrdb.a proto/libhrproto.a \
	$(MSGPACK_LIBS) $(SODIUM_LIBS) $(SQLITE_LIBS) $(AX_PTHREAD_LIBS) -lm
dist_noinst_SCRIPTS += tests/load/run-load.sh tests/load/run-idle.sh
# Sourced by the proof scripts: demo database and a server on a free port.
EXTRA_DIST += tests/load/README.md tests/load/server.sh

# Hostile clients (slowloris, huge frame headers, half-open, handshake flood,
# garbage) while a well-behaved client pings; the short version runs here.
check_PROGRAMS += tests/hostile/hostile
tests_hostile_hostile_SOURCES = tests/hostile/hostile.c
tests_hostile_hostile_LDADD = tests/lib/libhrtest.a proto/libhrproto.a \
	$(MSGPACK_LIBS) $(SODIUM_LIBS)
tests_hostile_hostile_DEPENDENCIES = $(HR_TEST_DEPS)
TESTS += tests/hostile/run-hostile.sh
dist_noinst_SCRIPTS += tests/hostile/run-hostile.sh

# Crash test: kill -9 under write load, then check acknowledged writes,
# atomicity, integrity_check and the audit chain (tests/crash/crash.sh).
check_PROGRAMS += tests/crash/crash
tests_crash_crash_SOURCES = tests/crash/crash.c
tests_crash_crash_LDADD = tests/lib/libhrtest.a db/libhrdb.a proto/libhrproto.a \
	$(SQLITE_LIBS) $(MSGPACK_LIBS) $(SODIUM_LIBS)
tests_crash_crash_DEPENDENCIES = $(HR_TEST_DEPS) db/libhrdb.a
TESTS += tests/crash/crash-short.sh
dist_noinst_SCRIPTS += tests/crash/crash.sh tests/crash/crash-short.sh

# Fuzzing in CI: a clang --enable-fuzzing build of every tests/fuzz/fuzz_*.c
# target in its own directory, FUZZ_SECONDS (20) each; skipped without clang.
TESTS += tests/fuzz/run-fuzzers.sh
dist_noinst_SCRIPTS += tests/fuzz/run-fuzzers.sh

# valgrind: the integration test with hromadad under valgrind --leak-check=full,
# from a build of its own without sanitizers (~50 s once built; skipped
# without valgrind).
TESTS += tests/load/valgrind-integration.sh
dist_noinst_SCRIPTS += tests/load/valgrind-integration.sh

# The fuzz and valgrind proofs build copies of the tree beside the tests;
# `make clean` (and so distcheck) must remove them.
clean-local: clean-local-proof
clean-local-proof:
	-rm -rf proof-fuzz-build proof-valgrind-build
.PHONY: clean-local-proof
