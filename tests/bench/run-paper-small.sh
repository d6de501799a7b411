#!/bin/sh
# The printing benchmark's smoke version for `make check` (tests/bench/
# bench.mk): one run of bench_paper --smoke — a 500-row transfer register
# rendered with every row and the same bytes twice, application PDFs under
# 100 KB.  Timings are printed only; run tests/bench/bench_paper by hand for
# the medians (tests/bench/PAPER.md).
set -eu
exec "${top_builddir:-.}/tests/bench/bench_paper" --smoke
