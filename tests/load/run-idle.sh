#!/bin/sh
# The idle-capacity proof: 10,000 concurrent encrypted sessions, every one
# logged in, held against one hromadad while fresh clients connect and
# ping.  Prints the server's RSS (target < 512 MB) and the fresh client's
# connect+handshake+ping time.
#
#   tests/load/run-idle.sh [BUILD_DIR] [loadgen options...]
#
# Both processes need ~10,000 descriptors: the soft limit is raised to the
# hard limit here (ulimit -Hn must allow it) and hromadad gets
# max_connections from a config file.  A password login is an Argon2id
# verification (~50 ms, 64 MiB, 2 worker threads), so 2 sessions per demo
# user log in with the password and every other one resumes with a ticket
# (loadgen's per-user pool), as a clerk's client does after a reconnect:
# 10,000 logged-in sessions, not 10,000 password hashes.
set -eu
. "$(dirname "$0")/server.sh"
built run-idle "${1:-}" hromadad hromadactl tests/load/loadgen
shift "$built_shift"
n=${HROMADA_IDLE_SESSIONS:-10000}
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((n + 100)) ]; then
	echo "run-idle: $n sessions need $((n + 100)) descriptors; ulimit -Hn is $(ulimit -Hn)" >&2
	exit 77
fi

hr_tmp
trap hr_cleanup EXIT
trap 'exit 1' INT TERM
hr_demo
cat > "$tmp/hromadad.conf" <<CONF
# more than the idle sessions plus the fresh clients
max_connections = $((n + 1000))
# all of them from one address (per-source limits, hromadad.conf(5))
max_connections_per_source = $((n + 1000))
connect_rate_per_source = 1000000
connect_burst_per_source = 1000000
logins_in_flight_per_source = 1000
CONF
hr_start --config "$tmp/hromadad.conf"
status=0
timeout -k 5 300 "$b/tests/load/loadgen" --addr "$addr" --key "$key" \
	--server-pid "$pid" --idle "$n" --idle-login "$n" --seconds 5 \
	"$@" || status=$?
hr_stop || status=1
exit $status
