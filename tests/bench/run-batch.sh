#!/bin/sh
# run-batch.sh — the batch benchmark (issue 17, tests/bench/BATCH.md): a
# batch check of 1,000 marked applications on the 1,000,000-application
# database, beside the same work one transition at a time.
#
#   tests/bench/run-batch.sh BUILDDIR SOURCE_DB [ROWS [SINGLES]]
#
# BUILDDIR a release build (no sanitizers).  SOURCE_DB is a gen_big
# database (with its .key); it is NOT written: the run works on a copy in
# a temporary directory under /tmp (sqlite3 .backup, consistent even while
# another program reads or writes the source), deleted at the end.  Give
# a source already at the build's schema (hromadad migrates a copy that
# is not at its first start: on 1,000,000 applications that takes many
# minutes, and bench_batch waits at most 10).
# Take the figures when `uptime` shows a load below ~2; the program
# prints the load.
set -eu
B=${1:?BUILDDIR}
SRC=${2:?SOURCE_DB}
ROWS=${3:-1000}
SINGLES=${4:-200}
[ -x "$B/tests/bench/bench_batch" ] || { echo "build $B/tests/bench/bench_batch first"; exit 2; }
[ -f "$SRC" ] && [ -f "$SRC.key" ] || { echo "$SRC or its .key missing"; exit 2; }
W=$(mktemp -d /tmp/bench-batch.XXXXXX)
trap 'rm -rf "$W"' EXIT INT TERM
echo "copying $SRC ($(du -h "$SRC" | cut -f1)) ..."
nice -n 19 ionice -c3 sqlite3 "file:$SRC?mode=ro" ".backup '$W/big.db'"
cp "$SRC.key" "$W/big.db.key"
chmod 0600 "$W/big.db.key"
echo "applications: $(sqlite3 "$W/big.db" 'SELECT count(*) FROM applications')"
top_builddir=$B "$B/tests/bench/bench_batch" --db "$W/big.db" --rows "$ROWS" \
    --singles "$SINGLES"
