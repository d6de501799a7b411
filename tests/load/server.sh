# tests/load/server.sh — sourced by the proof scripts (load, idle, crash,
# valgrind) and tests/bench/run-spine.sh: make a demo database in a
# temporary directory and run hromadad on a free loopback port, everything
# bounded in time.
#
# The caller sets $b (the build directory holding hromadad and hromadactl),
# usually with tests/lib/built.sh's `built`, which this file brings along
# (its callers, like built.sh's, are scripts in tests/*/).
# hr_tmp sets $tmp and $db; hr_start sets $addr, $pid and $key (the known
# hosts line "HOST:PORT BASE64"); the server's stderr goes to $tmp/hromadad.log.
# hr_cleanup (install it with trap) kills what is left and removes $tmp.

. "$(dirname "$0")/../lib/built.sh"

hr_tmp() {
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/hromada-proof.XXXXXX")
	db=$tmp/hromada.db
	pid=
}

hr_demo() {
	"$b/hromadactl" --db "$db" init >/dev/null &&
	"$b/hromadactl" --db "$db" demo >/dev/null
}

# hr_big FILE: the national-size database of tests/bench (gen_big): a
# copy of FILE (and of its key file FILE.key, the server's secret keys, and
# its scans' store FILE less .db plus .files, the demo's attachments), or
# generated (hr_demo + gen_big, ~3 minutes) and copied to FILE for the next
# time.  cp is safe: no process has either file open.
hr_big() {
	# An empty -wal is what a reader that opened FILE leaves behind: it
	# holds nothing, the main file alone is the database.
	if [ -f "$1" ] && [ -f "$1.key" ] && [ ! -s "$1-wal" ]; then
		echo "run: the database is a copy of $1" >&2
		cp "$1" "$db" && cp -p "$1.key" "$db.key" || return
		# Its scans' store (the demo's attachments): without it every
		# backup fails at its end, when it copies the files.
		if [ -d "$(hr_store_of "$1")" ]; then
			rm -rf "$(hr_store_of "$db")"
			cp -a "$(hr_store_of "$1")" "$(hr_store_of "$db")" || return
		fi
		# On the disk before the server starts: left to the kernel,
		# gigabytes of the copy are written back while the first
		# figures are taken, and every fsync of the server's first
		# seconds waits behind them (session 8's "backup start stall":
		# 1.4 s of every read and write, 2.7 s into window 1).
		sync "$db"
		return
	fi
	# Never generate over a database somebody has open.
	if [ -f "$1" ]; then
		echo "run: $1 has a write-ahead log ($1-wal) or no key file" \
		    "($1.key): checkpoint it (sqlite3 $1 'PRAGMA" \
		    "wal_checkpoint(TRUNCATE)') when nobody has it open" >&2
		return 1
	fi
	[ -x "$b/tests/bench/gen_big" ] || {
		echo "run: $b/tests/bench/gen_big is not built" >&2; return 1; }
	echo "run: generating the national-size database (gen_big, ~3 min) into $1" >&2
	hr_demo && "$b/tests/bench/gen_big" --db "$db" --quiet &&
	cp "$db" "$1" && cp -p "$db.key" "$1.key" &&
	cp -a "$(hr_store_of "$db")" "$(hr_store_of "$1")"
}

# hr_store_of DB: the scans' store hromadad keeps beside DB (DB less its
# .db, then .files: db/filestore.c's hr_store_dir_for_db).
hr_store_of() {
	echo "${1%.db}.files"
}

hr_free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null ||
		echo $((20000 + $$ % 20000))
}

# hr_wait_listening LOG PID: up to 20 s; 0 when listening, 1 when it ended.
hr_wait_listening() {
	i=0
	while ! grep -q "listening on" "$1" 2>/dev/null; do
		kill -0 "$2" 2>/dev/null || return 1
		i=$((i + 1))
		if [ $i -gt 2000 ]; then
			echo "hromadad did not start in 20 s" >&2
			cat "$1" >&2
			return 1
		fi
		sleep 0.01
	done
	return 0
}

# hr_start [hromadad options...]: on $addr if set, else on a free port.
hr_start() {
	tries=0
	while :; do
		tries=$((tries + 1))
		[ -n "${addr:-}" ] || addr=127.0.0.1:$(hr_free_port)
		: > "$tmp/hromadad.log"
		"$b/hromadad" --db "$db" --listen "$addr" "$@" 2>>"$tmp/hromadad.log" &
		pid=$!
		hr_wait_listening "$tmp/hromadad.log" "$pid" && break
		wait "$pid" 2>/dev/null || true
		pid=
		if [ $tries -ge 5 ] || ! grep -q "in use" "$tmp/hromadad.log"; then
			echo "hromadad did not start:" >&2
			cat "$tmp/hromadad.log" >&2
			return 1
		fi
		addr=
	done
	key=$("$b/hromadactl" --db "$db" key show --known-hosts "$addr")
}

# hr_stop: SIGTERM, at most 10 s for a clean exit (status 0).
hr_stop() {
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null || true
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 1000 ]; do
		sleep 0.01
		i=$((i + 1))
	done
	if kill -0 "$pid" 2>/dev/null; then
		echo "hromadad did not stop in 10 s after SIGTERM" >&2
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
		pid=
		return 1
	fi
	st=0
	wait "$pid" || st=$?
	pid=
	[ $st -eq 0 ] || { echo "hromadad exited with status $st" >&2; return 1; }
}

hr_cleanup() {
	if [ -n "${pid:-}" ] && kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	if [ -n "${tmp:-}" ] && [ -z "${HROMADA_KEEP:-}" ]; then
		rm -rf "$tmp"
	fi
}
