#!/bin/sh
# Run the intake benchmark (tests/bench/bench_intake.c, tests/bench/INTAKE.md).
#
#   tests/bench/run-intake.sh [BUILD_DIR] [--small] [--cache FILE] [options...]
#
# Builds nothing: BUILD_DIR (default $top_builddir, else .) must hold
# hromadad, hromadactl, tests/bench/gen_big and tests/bench/bench_intake.
# bench_intake makes a demo database in a private temporary directory, fills
# it with gen_big (5,000,000 persons and 1,000,000 applications, ~2 minutes;
# --small: 50,000 and 10,000, a second) or copies --cache FILE when that was
# made with the same arguments, starts hromadad on a free loopback port,
# measures, prints the table and stops the server.  The directory (about
# 2.5 GB at full size) is removed however the run ends.  Figures are only
# meaningful from a build without sanitizers.
#
# Exit status: 1 when a call failed or a save missed its 1 round trip /
# 3 KB budget; timings are flagged in the table, never a failure unless
# --strict is given.
#
# Alike on purpose: the script is tests/lib/built.sh's three steps (built,
# shift, built_run), as every run-*.sh that only runs one program.
set -eu
. "$(dirname "$0")/../lib/built.sh"
built run-intake "${1:-}" hromadad hromadactl tests/bench/gen_big \
    tests/bench/bench_intake
shift "$built_shift"

# bench_intake's server directory goes under the scratch one; a Ctrl-C
# leaves nothing behind (the server dies with bench_intake:
# PR_SET_PDEATHSIG).
built_run hromada-intakebench tests/bench/bench_intake "$@"
