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
. "$(dirname "$0")/../lib/built.sh"
built run-spine "${1:-}" hromadad hromadactl hromada tests/bench/bench_spine
shift "$built_shift"
login_text=${HROMADA_LOGIN_TEXT:-Пароль:|Password:}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hromada-spine.XXXXXX")
server=
cleanup() {
	if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
		kill -TERM "$server" 2>/dev/null || true
		wait "$server" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

db=$tmp/hromada.db
"$b/hromadactl" --db "$db" init >/dev/null
"$b/hromadactl" --db "$db" demo >/dev/null

# A port that is free now; try a few if another process takes it meanwhile.
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null ||
		echo $((20000 + $$ % 20000))
}
tries=0
while :; do
	tries=$((tries + 1))
	port=$(free_port)
	addr=127.0.0.1:$port
	: > "$tmp/hromadad.log"
	"$b/hromadad" --db "$db" --listen "$addr" 2>"$tmp/hromadad.log" &
	server=$!
	i=0
	while ! grep -q "listening on" "$tmp/hromadad.log"; do
		if ! kill -0 "$server" 2>/dev/null; then
			break
		fi
		i=$((i + 1))
		if [ $i -gt 400 ]; then
			echo "run-spine: hromadad did not start in 20 s" >&2
			cat "$tmp/hromadad.log" >&2
			exit 1
		fi
		sleep 0.05
	done
	grep -q "listening on" "$tmp/hromadad.log" && break
	wait "$server" 2>/dev/null || true
	server=
	if [ $tries -ge 5 ] || ! grep -q "in use" "$tmp/hromadad.log"; then
		echo "run-spine: hromadad did not start:" >&2
		cat "$tmp/hromadad.log" >&2
		exit 1
	fi
done

line=$("$b/hromadactl" --db "$db" key show --known-hosts "$addr")
status=0
"$b/tests/bench/bench_spine" --addr "$addr" --known-hosts "$line" \
	--hromada "$b/hromada" --login-text "$login_text" \
	--localedir "$b/locale" "$@" || status=$?

kill -TERM "$server"
if wait "$server"; then
	server=
else
	echo "run-spine: hromadad did not exit 0 after SIGTERM" >&2
	server=
	status=1
fi
exit $status
