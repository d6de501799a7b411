#!/bin/sh
# Run the spine benchmark (tests/bench/bench_spine.c) against a real server.
#
#   tests/bench/run-spine.sh [BUILD_DIR] [bench_spine options...]
#
# Builds nothing: BUILD_DIR (default $top_builddir, else .) must hold
# hromadad, hromadactl, hromada and tests/bench/bench_spine.  Creates a demo
# database in a temporary directory, starts hromadad on a free loopback port,
# runs the benchmark (handshake + login + first journal page on the wire, and
# the terminal client's start to its login screen in tmux), stops the server
# and removes the directory.  Figures are only meaningful from a build
# without sanitizers (configure without --enable-sanitizers).
#
# HROMADA_LOGIN_TEXT: texts that show the client's login screen, '|' between.
set -eu
. "$(dirname "$0")/../load/server.sh"
built run-spine "${1:-}" hromadad hromadactl hromada tests/bench/bench_spine
shift "$built_shift"
login_text=${HROMADA_LOGIN_TEXT:-Пароль:|Password:}

hr_tmp
trap hr_cleanup EXIT
trap 'exit 1' INT TERM
hr_demo
hr_start

status=0
"$b/tests/bench/bench_spine" --addr "$addr" --known-hosts "$key" \
	--hromada "$b/hromada" --login-text "$login_text" \
	--localedir "$b/locale" "$@" || status=$?

hr_stop || status=1
exit $status
