#!/bin/sh
# The crash proof (tests/crash/crash.c): kill -9 hromadad at random moments
# under write load, CYCLES times (default 100), and after each kill check
# with the server down that every acknowledged write is present, that
# nothing unacknowledged is half there, that PRAGMA integrity_check is ok and
# that the audit hash chain verifies.  Each cycle is short (a restart, up to
# 0.4 s of writing); the whole run stays well under 5 minutes.
#
#   tests/crash/crash.sh [BUILD_DIR] [-n CYCLES] [-w MAX_MS_BEFORE_KILL]
#
# Also registered in `make check` with 20 cycles (tests/crash/crash-short.sh).
set -eu
. "$(dirname "$0")/../lib/built.sh"
built crash "${1:-}" hromadad hromadactl tests/crash/crash
shift "$built_shift"
# tests/lib finds the programs through $top_builddir.
top_builddir=$b
export top_builddir
# TESTSRV_SLOW=N (tests/lib/testsrv.h) stretches crash's own watchdog N
# times on a loaded machine; this bound follows it.
slow=${TESTSRV_SLOW:-1}
case $slow in ''|*[!0-9]*) slow=1 ;; esac
[ "$slow" -ge 1 ] && [ "$slow" -le 20 ] || slow=1
exec timeout -k 5 $((295 * slow)) "$b/tests/crash/crash" "$@"
