#!/bin/sh
# The intake benchmark's smoke version for `make check` (tests/bench/bench.mk):
# 50,000 persons, 10,000 applications, a few hundred calls, seconds.  Fails
# when a call fails or a typical save takes more than one round trip or
# 3 KB on the wire — deterministic properties; timings are printed only.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
exec "$here/run-intake.sh" ${top_builddir:+"$top_builddir"} --small
