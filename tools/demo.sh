#!/bin/sh
# Try Hromada on a demo database, from a fresh Debian machine:
# installs the dependencies, builds, creates a demo database (kept in
# ./demo-data and reused next time; --fresh recreates it), starts hromadad on
# 127.0.0.1 and opens the terminal client at its login screen.  The server
# stops when the client exits.
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
state=$top/demo-data
port=${HROMADA_DEMO_PORT:-7350}
addr=127.0.0.1:$port

"$top/tools/deps.sh"
"$top/tools/build.sh"
b=$top/build

[ "${1:-}" = "--fresh" ] && rm -rf "$state"
mkdir -p "$state"
if [ ! -f "$state/hromada.db" ]; then
	"$b/hromadactl" --db "$state/hromada.db" init
	"$b/hromadactl" --db "$state/hromada.db" demo > "$state/demo-users.txt"
fi

"$b/hromadad" --db "$state/hromada.db" --listen "$addr" \
	--log-file "$state/hromadad.log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT INT TERM
i=0
until grep -q "listening on" "$state/hromadad.log" 2>/dev/null; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 $server 2>/dev/null; then
		echo "hromadad did not start; see $state/hromadad.log" >&2
		tail -n 5 "$state/hromadad.log" >&2
		exit 1
	fi
	sleep 0.1
done

clear 2>/dev/null || true
echo "hromadad is listening on $addr (log: $state/hromadad.log)"
echo "Server key: $("$b/hromadactl" --db "$state/hromada.db" key show | head -n 1)"
echo
cat "$state/demo-users.txt"
echo
printf 'Press Enter to open the client (F10 quits)... '
read -r _ || true

# The demo keeps its pinned key apart from the user's own known_hosts.
XDG_CONFIG_HOME=$state/config HROMADA_LOCALEDIR=$b/locale \
	"$b/hromada" --server "$addr"
