#!/bin/sh
# `make check`'s short crash proof: 20 kill -9 cycles (tests/crash/crash.sh).
exec "$(dirname "$0")/crash.sh" "${top_builddir:-.}" -n 20
