#!/bin/sh
# run-dat.sh — the *.DAT benchmark (issue 17) on a copy of a big database.
#
#   tests/bench/run-dat.sh BUILD_DIR BIG.db [RUNS]
#
# BUILD_DIR is a build WITHOUT sanitizers; BIG.db the 1,000,000-application
# database of tests/bench/gen_big (not written to: it is copied, with its
# -wal when it has one, so it must not be written meanwhile).  bench_dat
# runs RUNS times (default 3) on the one copy, each on 10,000 fresh
# applications; the copy is deleted at the end.  The first run also
# brings the copy's schema up to date (untimed).
set -eu
[ $# -ge 2 ] || { echo "usage: $0 BUILD_DIR BIG.db [RUNS]" >&2; exit 2; }
b=$1 src=$2 runs=${3:-3}
bench=$b/tests/bench/bench_dat
[ -x "$bench" ] || { echo "no $bench (make tests/bench/bench_dat)" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-dat.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
echo "copying $src ($(du -h "$src" | cut -f1)) ..."
cp "$src" "$tmp/big.db"
[ -f "$src-wal" ] && cp "$src-wal" "$tmp/big.db-wal"
i=0
while [ $i -lt "$runs" ]; do
	i=$((i + 1))
	echo "---- run $i of $runs ($(nproc) CPUs)"
	"$bench" --db "$tmp/big.db"
done
