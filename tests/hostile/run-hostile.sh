#!/bin/sh
# Hostile clients against a real hromadad (tests/hostile/hostile.c): starts a
# server on a demo database with handshake_timeout = 1 s, runs the attacks
# (short version; pass --full for the long one) and checks the server log;
# then a second server with 64 slots and per-source limits, for the attacks
# of several sources (hostile --sources).
#
#   tests/hostile/run-hostile.sh [BUILD_DIR] [hostile options...]
#
# Registered in `make check` (tests/proof.mk) in its short form (~30 s).
set -eu
. "$(dirname "$0")/../load/server.sh"
built run-hostile "${1:-}" hromadad hromadactl tests/hostile/hostile
shift "$built_shift"

hr_tmp
trap hr_cleanup EXIT
trap 'exit 1' INT TERM
hr_demo
cat > "$tmp/hromadad.conf" <<CONF
# The slow attacks must end within the test.
handshake_timeout = 1s
# The well-behaved client's standing session never logs in; --full runs
# longer than the default login_timeout (2m).
login_timeout = 10m
max_connections = 4096
# These attacks come from one source and check the per-connection
# defences; the per-source limits have their own run below.
max_connections_per_source = 4096
connect_rate_per_source = 1000000
connect_burst_per_source = 1000000
log_level = info
CONF
hr_start --config "$tmp/hromadad.conf"
status=0
timeout -k 5 170 "$b/tests/hostile/hostile" --addr "$addr" --key "$key" \
	--log "$tmp/hromadad.log" "$@" || status=$?
if ! kill -0 "$pid" 2>/dev/null; then
	echo "run-hostile: hromadad died during the attacks; its log ends:" >&2
	tail -n 30 "$tmp/hromadad.log" >&2
	status=1
fi
hr_stop || status=1
[ $status -eq 0 ] || { echo "--- server log (tail)"; tail -n 20 "$tmp/hromadad.log"; }

# Per-source limits: few slots, two sources trying to hold them all.
slots=64 per_source=48 rate=50 burst=60
cat > "$tmp/sources.conf" <<CONF
handshake_timeout = 10s
login_timeout = 10m
max_connections = $slots
max_connections_per_source = $per_source
connect_rate_per_source = $rate
connect_burst_per_source = $burst
log_level = info
CONF
addr=
hr_start --config "$tmp/sources.conf"
timeout -k 5 120 "$b/tests/hostile/hostile" --addr "$addr" --key "$key" \
	--log "$tmp/hromadad.log" --sources --slots $slots \
	--per-source $per_source --rate $rate --burst $burst "$@" || status=1
if ! kill -0 "$pid" 2>/dev/null; then
	echo "run-hostile: hromadad died during the per-source attacks" >&2
	tail -n 30 "$tmp/hromadad.log" >&2
	status=1
fi
hr_stop || status=1
exit $status
