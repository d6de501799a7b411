# tests/bench/bench.mk — the intake benchmark (tests/bench/INTAKE.md).
#
# gen_big fills a demo database with 5,000,000 persons and 1,000,000
# applications; bench_intake measures journal pages, person search and
# saving an application against a real hromadad on it.  Too heavy for
# `make check`: run tests/bench/run-intake.sh by hand.  Only the small
# version (--small: 50,000 persons, 10,000 applications) is a test, and it
# asserts only what is deterministic (every call succeeds; a save is 1
# round trip and <= 3 KB on the wire), never a timing.

# The demo's name stock (ctl/demo_data.c) and its answer files
# (ctl/demo_answer.c) are shared, not copied.
noinst_PROGRAMS += tests/bench/gen_big
tests_bench_gen_big_SOURCES = tests/bench/gen_big.c ctl/demo_data.c ctl/demo.h \
	ctl/demo_answer.c ctl/demo_answer.h
tests_bench_gen_big_LDADD = db/libhrdb.a proto/libhrproto.a \
	$(SQLITE_LIBS) $(SODIUM_LIBS) -lm

noinst_PROGRAMS += tests/bench/bench_intake
tests_bench_bench_intake_SOURCES = tests/bench/bench_intake.c
tests_bench_bench_intake_LDADD = $(HR_TEST_LIBS) -lm

# The audit log at national size: records and bytes per clerk-day, and a
# simulated year with monthly archiving (db/audit_archive.h); by hand.
noinst_PROGRAMS += tests/bench/bench_audit
tests_bench_bench_audit_SOURCES = tests/bench/bench_audit.c
tests_bench_bench_audit_LDADD = db/libhrdb.a proto/libhrproto.a \
	$(SQLITE_LIBS) $(ZSTD_LIBS) $(SODIUM_LIBS)

dist_noinst_SCRIPTS += tests/bench/run-intake.sh tests/bench/run-intake-small.sh
EXTRA_DIST += tests/bench/INTAKE.md

# The smoke version (seconds).  It runs the programs above and the server.
TESTS += tests/bench/run-intake-small.sh

# What the benchmark led to: the journal's name search within a scope
# (migration 005_perf, db/journal.c) against its plain definition.
check_PROGRAMS += tests/unit/test_journal_scope
TESTS += tests/unit/test_journal_scope
tests_unit_test_journal_scope_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_journal_scope_LDADD = tests/lib/libhrtest.a db/libhrdb.a \
	proto/libhrproto.a \
	$(SQLITE_LIBS) $(SODIUM_LIBS) $(CMOCKA_LIBS)

# The printing benchmark (tests/bench/PAPER.md): a 500-row transfer
# register and an application's PDF through paper/.  Its smoke version is
# a test and asserts only sizes, rows and identical bytes, never a timing.
noinst_PROGRAMS += tests/bench/bench_paper
tests_bench_bench_paper_SOURCES = tests/bench/bench_paper.c
tests_bench_bench_paper_LDADD = tests/lib/libhrtest.a $(HR_PAPER_LIBS) \
	proto/libhrproto.a \
	$(MSGPACK_LIBS)
dist_noinst_SCRIPTS += tests/bench/run-paper-small.sh
EXTRA_DIST += tests/bench/PAPER.md
TESTS += tests/bench/run-paper-small.sh

# The reports benchmark (issue 16): db_report_build — what report.get runs
# — on a big database, beside the sqlite3 shell counting the same year from
# the history.  By hand: tests/bench/run-reports.sh.
noinst_PROGRAMS += tests/bench/bench_reports
tests_bench_bench_reports_SOURCES = tests/bench/bench_reports.c
tests_bench_bench_reports_LDADD = db/libhrdb.a proto/libhrproto.a \
	$(SQLITE_LIBS) $(SODIUM_LIBS)
dist_noinst_SCRIPTS += tests/bench/run-reports.sh
EXTRA_DIST += tests/bench/REPORTS.md

# The slow link (issue 11): the real client in tmux through
# tests/link/linkemu beside the same client over SSH and SSH -C to a
# private sshd (tests/bench/SLOWLINK.md).  By hand:
# tests/bench/run-slowlink.sh BUILD_DIR (a build without sanitizers).
dist_noinst_SCRIPTS += tests/bench/run-slowlink.sh
EXTRA_DIST += tests/bench/SLOWLINK.md
# The scans benchmark (issue 12): 500 KB over a 64 kbit/s, 600 ms link
# (tests/link/linkemu) against the physical minimum, and 1,000 files of
# 200 KB stored against the disk's fsync'd sequential rate, measured in
# the same run.  Minutes: run tests/bench/run-scans.sh by hand (a build
# without sanitizers); not part of make check.
noinst_PROGRAMS += tests/bench/bench_scans
tests_bench_bench_scans_SOURCES = tests/bench/bench_scans.c
tests_bench_bench_scans_LDADD = $(HR_TEST_LIBS) -lm
dist_noinst_SCRIPTS += tests/bench/run-scans.sh
EXTRA_DIST += tests/bench/SCANS.md

# The *.DAT exchange (issue 17): a 10,000-application batch exported and
# its answers imported with db/dat_export.h and db/dat_import.h — what
# dat.export and dat.import run — on a copy of the 1,000,000-application
# database, beside the raw SQLite insert rate of the same run.  By hand:
# tests/bench/run-dat.sh BUILD_DIR BIG.db (a build without sanitizers);
# the smoke run on the demo database (run-dat-small.sh) is a test: every
# application both ways, no statement of the exchange scanning a table.
noinst_PROGRAMS += tests/bench/bench_dat
tests_bench_bench_dat_SOURCES = tests/bench/bench_dat.c
tests_bench_bench_dat_LDADD = tests/lib/libhrtest.a db/libhrdb.a \
	proto/libhrproto.a \
	$(SQLITE_LIBS) $(SODIUM_LIBS)
dist_noinst_SCRIPTS += tests/bench/run-dat.sh tests/bench/run-dat-small.sh
EXTRA_DIST += tests/bench/DAT.md
TESTS += tests/bench/run-dat-small.sh
# What the exchange's fewer indexes cost the journal (028_status_indexes):
# pages of one status walk the scope's index.  By hand, on a 1M copy.
noinst_PROGRAMS += tests/bench/bench_status_pages
tests_bench_bench_status_pages_SOURCES = tests/bench/bench_status_pages.c
tests_bench_bench_status_pages_LDADD = tests/lib/libhrtest.a db/libhrdb.a \
	proto/libhrproto.a \
	$(SQLITE_LIBS) $(SODIUM_LIBS)

# The batch benchmark (issue 17): one application.batch check of 1,000
# marked applications against a real hromadad on the 1,000,000-application
# database, beside the same work one application.transition at a time.
# By hand: tests/bench/run-batch.sh; the smoke run on the demo database
# (run-batch-small.sh) is a test and checks only that every row moved.
noinst_PROGRAMS += tests/bench/bench_batch
tests_bench_bench_batch_SOURCES = tests/bench/bench_batch.c
tests_bench_bench_batch_LDADD = $(HR_TEST_LIBS)
dist_noinst_SCRIPTS += tests/bench/run-batch.sh tests/bench/run-batch-small.sh
EXTRA_DIST += tests/bench/BATCH.md
TESTS += tests/bench/run-batch-small.sh
