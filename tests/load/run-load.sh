#!/bin/sh
# The load proof: 200 concurrent active sessions against a real hromadad on
# a demo database -- or, with --big, on the national-size database of the
# intake benchmark (1,000,000 applications, 5,000,000 persons) -- and raw
# SQLite on the same database file for the durable-write comparison.
# Prints tests/load/loadgen's table with the targets side by side (every
# query kind p99 < 20 ms, beside the same queries on SQLite alone in the
# same file; application writes >= 50 % of raw SQLite's one-insert
# transactions on the same file).
#
#   tests/load/run-load.sh [BUILD_DIR] [--big FILE [--in-place]] [--backup]
#       [--windows N] [loadgen options...]
#
# BUILD_DIR (default $top_builddir, else .) must hold hromadad, hromadactl
# and tests/load/loadgen (and tests/bench/gen_big for --big).  Figures mean
# something only from a build without sanitizers.
#
#   --big FILE  the database: a copy of FILE, made by gen_big (the intake
#               benchmark's cache, tests/bench/run-intake.sh --cache FILE,
#               is one) or, when FILE does not exist, generated (~3 min,
#               4.6 GiB) and kept there for the next run
#   --in-place  run on FILE itself, not on a copy (FILE and FILE.key must
#               exist; FILE keeps what the passes write and is migrated
#               to this build's schema): a copy of your own, made once,
#               instead of 5 GiB copied again for every run
#               -- but every run leaves tens of thousands of new
#               applications in the load's offices, and the journal's
#               filters walk them: a figure of an --in-place run after
#               others is not a figure of the national database
#   --backup    `hromadactl backup` runs over and over (paced, as an
#               operator runs it) during every pass; its estimate, progress
#               and result are printed after the passes; $BACKUP_OPTIONS
#               are its options (say "--deadline 3" on a machine never
#               idle)
#   --windows N instead of the four passes, N windows of 60 s of fast
#               clerks (pass 2's pace) one after another, each headed by
#               the backup's phase when it began: with --backup and N
#               large enough (~8 at national size), one whole backup --
#               its copy, its moment and its verification -- seen from the
#               clerks.  With --backup a window 0 without any backup comes
#               first; at the end a table gives every query kind's p99 in
#               each window side by side, window 0 first
#
# $LOAD_CONF adds lines to the server's hromadad.conf (an A/B such as
# LOAD_CONF='query_threads = 4').
#
# Without loadgen options it runs four passes: capacity (no pause), ~0.1 s
# and ~1 s pauses (the latency targets), and application writes only at
# capacity (the durable-write target); with options, one loadgen run with
# them: --sessions, --seconds, --think-ms, --strict (exit 1 when a target
# is missed) ...
set -eu
. "$(dirname "$0")/server.sh"
built run-load "${1:-}" hromadad hromadactl tests/load/loadgen
shift "$built_shift"
big= backup=0 windows=0 in_place=0
while [ $# -gt 0 ]; do
	case $1 in
	--big) big=$2; shift 2 ;;
	--in-place) in_place=1; shift ;;
	--backup) backup=1; shift ;;
	--windows) windows=$2; shift 2 ;;
	*) break ;;
	esac
done

# The server's -wal: its size twice a second into $tmp/wal.txt, for each
# pass's "Server WAL:" line (its longest and its end; issue 15: it had
# grown to 490 MB in 3 minutes).
wpid=
start_wal_watch() {
	: > "$tmp/wal.txt"
	( while :; do
		stat -c %s "$db-wal" 2>/dev/null || echo 0
		sleep 0.5
	done ) >> "$tmp/wal.txt" &
	wpid=$!
}
# wal_since N: the samples from line N on, as one line.
wal_since() {
	awk -v from="$1" 'NR > from { n++; if ($1 > max) max = $1; last = $1 }
	END { printf "Server WAL: max %.1f MiB, at the end %.1f MiB (%d samples, every 0.5 s)\n",
	    max / 1048576, last / 1048576, n }' "$tmp/wal.txt"
}
wal_mark() { wc -l < "$tmp/wal.txt"; }
bpid=
stop_backups() {
	[ -n "$bpid" ] || return 0
	kill "$bpid" 2>/dev/null || true
	wait "$bpid" 2>/dev/null || true
	# The copy in progress: its own pid, written by the loop.
	[ -f "$tmp/backup.pid" ] && kill "$(cat "$tmp/backup.pid")" 2>/dev/null || true
	sleep 0.2
	rm -f "$tmp"/backup-*.db "$tmp"/backup-*.db.partial*
	bpid=
}
cleanup() {
	stop_backups
	[ -z "$wpid" ] || kill "$wpid" 2>/dev/null || true
	hr_cleanup
}
hr_tmp
trap cleanup EXIT
trap 'exit 1' INT TERM
if [ -n "$big" ] && [ $in_place = 1 ]; then
	[ -f "$big" ] && [ -f "$big.key" ] || {
		echo "run-load: --in-place needs $big and $big.key" >&2; exit 1; }
	db=$(cd "$(dirname "$big")" && pwd)/$(basename "$big")
	echo "run: the database is $db itself" >&2
elif [ -n "$big" ]; then
	hr_big "$big"
else
	hr_demo
fi
# The load generator plays 200 clerks from one address: as for offices
# behind one NAT or an SSH tunnel, the per-source limits must let them in.
cat > "$tmp/hromadad.conf" <<CONF
max_connections_per_source = 1000
connect_rate_per_source = 10000
connect_burst_per_source = 10000
logins_in_flight_per_source = 1000
CONF
# $LOAD_CONF: more hromadad.conf lines for an A/B (query_threads = 4, say).
[ -z "${LOAD_CONF:-}" ] || printf '%s\n' "$LOAD_CONF" >> "$tmp/hromadad.conf"
hr_start --config "$tmp/hromadad.conf"
start_wal_watch
status=0

# remove_gently FILE: cut FILE down 64 MiB at a time, then remove it.  At
# once, ext4 frees a 5 GiB file's blocks in one journal commit, and every
# fsync of the server's waits behind it: app.save's max went to 164 ms at
# the moment a backup was removed, its p99 over the windows to 41-66 ms.
remove_gently() {
	while [ -s "$1" ]; do
		truncate -s -64M "$1" 2>/dev/null || break
		sleep 0.02
	done
	rm -f "$1"
}

start_backups() {
	# One paced backup after another for as long as the passes run.
	(
		i=0
		while :; do
			i=$((i + 1))
			echo "--- backup $i, $(date +%T)" >>"$tmp/backup.log"
			# shellcheck disable=SC2086
			"$b/hromadactl" --db "$db" backup ${BACKUP_OPTIONS:-} \
			    "$tmp/backup-$i.db" >>"$tmp/backup.log" 2>&1 &
			echo $! > "$tmp/backup.pid"
			wait $! || echo "backup $i failed" >>"$tmp/backup.log"
			remove_gently "$tmp/backup-$i.db"
			rm -rf "$tmp/backup-$i.files"
		done
	) &
	bpid=$!
	echo "=== a paced hromadactl backup runs from now on (its report follows the passes)"
}
[ $backup = 1 ] && [ "$windows" -eq 0 ] && start_backups

# The windows side by side: every query kind's p99 (and the server's CPU
# a request) in each window, from loadgen's tables in $tmp/window-*.txt.
window_table() {
	awk -v n="$1" '
	FNR == 1 { w = FILENAME; sub(/.*window-/, "", w); sub(/\.txt$/, "", w) }
	/^row / { rows = 1; next }
	rows && /^all / { rows = 0; next }
	rows && NF >= 6 && $2 ~ /^[0-9]+$/ {
		if (!($1 in seen)) { seen[$1] = 1; kind[++nk] = $1 }
		p99[$1, w] = $5
	}
	/^Server: / {
		for (i = 1; i <= NF; i++) if ($i == "ms") cpu[w] = substr($(i - 1), 2)
		if ($2 == "RSS") rss[w] = int($3 / 1024)
	}
	/^Server disk reads: / { rd[w] = $4 }
	/^Server WAL: / { wal[w] = $4 }
	END {
		printf "%-18s", "p99 ms"
		for (w = 0; w <= n; w++) printf " %7s", "w" w
		printf "\n"
		for (k = 1; k <= nk; k++) {
			if (kind[k] == "ping") continue
			printf "%-18s", kind[k]
			for (w = 0; w <= n; w++) printf " %7s", ((kind[k], w) in p99) ? p99[kind[k], w] : "-"
			printf "\n"
		}
		printf "%-18s", "CPU ms a request"
		for (w = 0; w <= n; w++) printf " %7s", (w in cpu) ? cpu[w] : "-"
		printf "\n%-18s", "server RSS MiB"
		for (w = 0; w <= n; w++) printf " %7s", (w in rss) ? rss[w] : "-"
		printf "\n%-18s", "server disk MiB"
		for (w = 0; w <= n; w++) printf " %7s", (w in rd) ? rd[w] : "-"
		printf "\n%-18s", "-wal max MiB"
		for (w = 0; w <= n; w++) printf " %7s", (w in wal) ? wal[w] : "-"
		printf "\n"
	}' "$tmp"/window-*.txt
	sed -n 's/^=== window \([0-9]*\) of [0-9]*, \([0-9:]*\), load \([^:]*\): backup: /w\1 \2 load \3: /p' "$tmp/windows.txt"
}

# timeout: a hung run ends; --seconds and the ramp are bounded inside too.
loadgen() {
	w0=$(wal_mark)
	timeout -k 5 600 "$b/tests/load/loadgen" --addr "$addr" --key "$key" \
		--server-pid "$pid" --audit-db "$db" --sessions 200 --seconds 20 \
		"$@" || status=$?
	wal_since "$w0"
}
if [ "$windows" -gt 0 ]; then
	i=0
	[ $backup = 1 ] && i=-1
	while [ $i -lt "$windows" ]; do
		i=$((i + 1))
		[ $backup = 1 ] && [ $i = 1 ] && start_backups
		phase=$(tail -n 1 "$tmp/backup.log" 2>/dev/null | tr '\r' '\n' |
		    tail -n 1 || true)
		[ $i = 0 ] && phase="none (the baseline, before any backup)"
		echo "=== window $i of $windows, $(date +%T), load $(cut -d' ' -f1-3 /proc/loadavg): backup: ${phase:-none}" |
		    tee -a "$tmp/windows.txt"
		# What the server had to read from the disk (its pages pushed
		# out of the page cache, by a backup say).
		r0=$(awk '/^read_bytes/ { print $2 }' "/proc/$pid/io" 2>/dev/null || echo 0)
		loadgen --think-ms 100 --seconds 60 "$@" >"$tmp/window-$i.txt"
		r1=$(awk '/^read_bytes/ { print $2 }' "/proc/$pid/io" 2>/dev/null || echo 0)
		echo "Server disk reads: $(( (${r1:-0} - ${r0:-0}) / 1048576 )) MiB in the window" >>"$tmp/window-$i.txt"
		cat "$tmp/window-$i.txt"
		echo
	done
	echo "=== every query kind's p99 (ms) window by window; the backup's phase when each began"
	window_table "$windows"
elif [ $# -gt 0 ]; then
	loadgen --raw-db "$db" --raw-reads "$db" "$@"
else
	# Three readings of "200 active sessions": every session always
	# waiting for a reply (the server saturated: its capacity), sessions
	# pausing ~0.1 s (ten times faster than anyone works at a keyboard)
	# and clerks who act about once a second.  The latency target is
	# judged on the last two: at saturation latency is sessions /
	# throughput by definition.  Then the durable-write target: only
	# application writes, at capacity, beside raw SQLite's one-insert
	# transactions in the same database file.
	echo "=== pass 1: capacity — 200 sessions, no pause between requests"
	loadgen --think-ms 0
	echo
	echo "=== pass 2: fast clerks — 200 sessions, ~0.1 s (exponential) between requests"
	loadgen --think-ms 100 --raw-reads "$db"
	echo
	echo "=== pass 3: clerks — 200 sessions, ~1 s (exponential) between requests"
	loadgen --think-ms 1000 --raw-reads "$db"
	echo
	echo "=== pass 4: application writes — 200 sessions, save and send on, no pause; raw SQLite on the same file"
	loadgen --think-ms 0 --seconds 10 --only app.save,app.transition \
		--raw-db "$db" --raw-seconds 3
fi
if [ $backup = 1 ]; then
	stop_backups
	echo
	echo "=== the backups that ran meanwhile (hromadactl backup's own report)"
	grep -v "^copying[^:]*: *[0-9]*% " "$tmp/backup.log" || true
fi
[ -z "$wpid" ] || kill "$wpid" 2>/dev/null || true
echo
echo "=== the whole run: the server's -wal and its checkpoints"
wal_since 0
hr_stop || status=1
# and its group commit: batches, and those answered before a log restart;
# the query threads: their page cache misses a request
grep -h -e "write-ahead log:" -e "group commit:" -e "query threads:" \
	"$tmp/hromadad.log" | sed 's/^[0-9 :-]*//' || true
exit $status
