#!/bin/sh
# run-batch-small.sh — the batch benchmark's smoke run (make check): the
# demo database's at_spszn applications in one application.batch and one
# application.transition; asserts only that every row moved.
B=${top_builddir:-.}
[ -x "$B/tests/bench/bench_batch" ] || { echo "SKIP: bench_batch not built"; exit 77; }
exec "$B/tests/bench/bench_batch"
