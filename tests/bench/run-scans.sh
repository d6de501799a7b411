#!/bin/sh
# Run the scans benchmark (tests/bench/bench_scans.c, issue 12's targets).
#
#   tests/bench/run-scans.sh [BUILD_DIR] [--slow | --store] [--files N]
#       [--size BYTES] [--clients K] [--hash-timed] [--no-spread] [--strict]
#
# Builds nothing: BUILD_DIR (default $top_builddir, else .) must hold
# hromadad, hromadactl, tests/link/linkemu and tests/bench/bench_scans.
# Starts hromadad on a demo database in a private temporary directory
# (removed however the run ends), then
#   1. attaches 5 scans of 100,000 bytes through linkemu at 64 kbit/s with
#      600 ms round trips (about 70 s), beside the physical minimum;
#   2. stores 1,000 scans of 200,000 bytes from 8 clients at once, beside
#      the disk's sequential fsync'd write rate measured in the same run:
#      the same bytes with an fdatasync per 200,000 (a file acknowledged
#      is durable: like with like; measured right before and right after
#      the store, judged against the mean), and with one fdatasync at the
#      end.
#      The clients hash their files before the clock (a clerk's client
#      does when the file is picked); --hash-timed hashes inside it.
#      The run's directory is marked a new tree for ext4 (+T), so that a
#      run does not make its files among the inodes the last run's
#      removal freed (SCANS.md, session 11); --no-spread leaves it be.
# Prints the figures and the load average.  Only a build without
# sanitizers gives meaningful figures.  Exit 1 when an upload failed, or
# with --strict when a target was missed.
#
# Alike on purpose: the script is tests/lib/built.sh's three steps (built,
# shift, built_run), as every run-*.sh that only runs one program.
set -eu
. "$(dirname "$0")/../lib/built.sh"
built run-scans "${1:-}" hromadad hromadactl tests/link/linkemu \
    tests/bench/bench_scans
shift "$built_shift"
built_run hromada-scansbench tests/bench/bench_scans "$@"
