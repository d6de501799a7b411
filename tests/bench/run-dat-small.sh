#!/bin/sh
# run-dat-small.sh — the *.DAT benchmark's smoke run (make check) on the
# demo database: ten АСОПД applications of its busiest back office
# exported and their answers imported through db/dat_export.h and
# db/dat_import.h, as dat.export and dat.import run them.  Asserts that
# every one went both ways, that no statement of the exchange found its
# rows by scanning a table (bench_dat's statement counters) and that the
# summaries each file moved once at its end (db/batch_summaries.h) are
# what a recount gives (--verify 1), not any time: the figures are
# tests/bench/run-dat.sh's, at national size.
B=${top_builddir:-.}
[ -x "$B/tests/bench/bench_dat" ] || { echo "SKIP: bench_dat not built"; exit 77; }
[ -x "$B/hromadactl" ] || { echo "SKIP: hromadactl not built"; exit 77; }
T=$(mktemp -d "${TMPDIR:-/tmp}/dat-small.XXXXXX") || exit 99
trap 'rm -rf "$T"' EXIT
trap 'exit 1' INT TERM
{ "$B/hromadactl" --db "$T/h.db" init && "$B/hromadactl" --db "$T/h.db" demo; } \
    >"$T/demo.txt" 2>&1 || { cat "$T/demo.txt"; exit 99; }
"$B/tests/bench/bench_dat" --db "$T/h.db" --apps 10 --verify 1 >"$T/out" 2>&1
rc=$?
cat "$T/out"
[ $rc = 0 ] ||
	{ echo "FAIL: bench_dat exited $rc (not every application both ways)"; exit 1; }
grep -q '^query plans: [0-9]* statements ran, 0 scan more than' "$T/out" ||
	{ echo "FAIL: a statement of the exchange scans a table"; exit 1; }
grep -q '^summaries: 0 wrong' "$T/out" ||
	{ echo "FAIL: the summaries moved by the exchange are not a recount's"; exit 1; }
echo "PASS: 10 applications exported and answered, no statement scans a table, summaries right"
