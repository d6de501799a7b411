#!/bin/sh
# run-deadlines.sh — deadlines at size (issue 17): the journal by the clock
# and the compliance report through the server's code, beside the sqlite3
# shell running the page queries db/journal.c builds, on a database whose
# clocks tests/bench/gen_big made as the server's transitions would.  Not
# part of `make check`: it writes N applications (tests/bench/DEADLINES.md).
#
#   tests/bench/run-deadlines.sh BUILD_DIR [N] [DIR]
#
# N applications (default 1,000,000; persons 5 N, the busiest hromada N/20)
# in DIR (default a temporary directory, removed at the end; a DIR given is
# kept, and reused when it already holds deadlines.db).  "Today" is the day
# gen_big's year ends (its END_DAY), so the figures do not depend on the
# day of the run.  Prints the sizes, bench_deadlines' figures (median and
# p99, wall and CPU), the same pages and count timed by the sqlite3 shell
# with the machine's load, and checks that the server's late count is the
# shell's (exit 1 if not).
set -eu
B=${1:?usage: run-deadlines.sh BUILD_DIR [N] [DIR]}
N=${2:-1000000}
TODAY_ISO=2026-11-20                  # gen_big.c END_DAY
command -v sqlite3 >/dev/null || { echo "SKIP: sqlite3 missing"; exit 77; }
for p in hromadactl tests/bench/gen_big tests/bench/bench_deadlines; do
	[ -x "$B/$p" ] || { echo "SKIP: $B/$p not built"; exit 77; }
done
if [ -n "${3:-}" ]; then
	T=$3
	mkdir -p "$T"
else
	T=$(mktemp -d "${TMPDIR:-/tmp}/run-deadlines.XXXXXX")
	trap 'rm -rf "$T"' EXIT
fi
DB=$T/deadlines.db
load() { cut -d' ' -f1-3 /proc/loadavg; }
if [ ! -f "$DB" ]; then
	"$B/hromadactl" --db "$DB" init >/dev/null
	"$B/hromadactl" --db "$DB" demo >/dev/null
	echo "gen_big: $N applications (load $(load))"
	"$B/tests/bench/gen_big" --db "$DB" --apps "$N" \
	    --persons $((N * 5)) --big-apps $((N / 20)) |
	    grep -E "applications|clocks|history|total|scopes"
fi
echo "load before: $(load)"
"$B/tests/bench/bench_deadlines" --db "$DB" --today "$TODAY_ISO" \
    --runs 200 | tee "$T/bench.out"
set -- $(tail -n 1 "$T/bench.out")
H=$2 S=$4 TODAY=$6 CDUE=$8 CID=${10}

# The gen_big file's own consistency: the clock copied onto each case is
# its running clock in application_clocks.
RUN_LATE=$(sqlite3 "$DB" "SELECT count(*) FROM application_clocks c JOIN
    applications a ON a.id = c.application_id WHERE a.hromada_id = $H AND
    c.stopped_at IS NULL AND c.due_day < $TODAY")
APP_LATE=$(sqlite3 "$DB" "SELECT count(*) FROM applications WHERE
    hromada_id = $H AND stage_due < $TODAY")
echo "the hromada's late clocks: $RUN_LATE running in application_clocks," \
    "$APP_LATE by applications.stage_due"
[ "$RUN_LATE" = "$APP_LATE" ] || { echo "FAIL: the copies differ"; exit 1; }
# what the server counted (upo_otg sees every status: proto/workflow.c)
SRV_LATE=$(awk '/hromada: late count/ { print $4 }' "$T/bench.out")

echo "sqlite3 shell, the same statements (load $(load)):"
P="SELECT count(*) FROM (SELECT a.id FROM applications a"
CI="INDEXED BY applications_hromada_clock WHERE a.hromada_id = $H AND
    a.stage_due IS NOT NULL"
REPS=2000
run_reps() {   # run_reps SQL: the statement REPS times in one shell, ns
	t0=$(date +%s%N)
	awk -v q="$1" -v n="$REPS" 'BEGIN { for (i = 0; i < n; i++) print q ";" }' |
	    sqlite3 "$DB" >/dev/null
	echo $(( $(date +%s%N) - t0 ))
}
BASE=
for r in 1 2 3; do
	ns=$(run_reps "SELECT 1")
	[ -z "$BASE" ] || [ "$ns" -lt "$BASE" ] && BASE=$ns
done
time_q() {     # time_q NAME SQL: mean of REPS runs less the shell's own, best of 3
	best=
	for r in 1 2 3; do
		ns=$(run_reps "$2")
		[ -z "$best" ] || [ "$ns" -lt "$best" ] && best=$ns
	done
	awk -v n="$1" -v t="$best" -v b="$BASE" -v r="$REPS" \
	    'BEGIN { printf "  %-26s %.3f ms\n", n, (t - b) / r / 1e6 }'
}
time_q "hromada: late page" "$P $CI AND a.stage_due < $TODAY AND
    (a.stage_due, a.id) > (0, 0) ORDER BY a.stage_due, a.id LIMIT 21)"
time_q "hromada: expiring page" "$P $CI AND a.stage_due >= $TODAY AND
    a.stage_warn <= $TODAY AND (a.stage_due, a.id) > (0, 0)
    ORDER BY a.stage_due, a.id LIMIT 21)"
time_q "hromada: clock order, mid" "$P $CI AND (a.stage_due, a.id) >
    ($CDUE, $CID) ORDER BY a.stage_due, a.id LIMIT 21)"
time_q "hromada: late count" "SELECT count(*) FROM applications a $CI
    AND a.stage_due < $TODAY"
echo "the hromada's late cases: server $SRV_LATE, shell $APP_LATE"
[ "$SRV_LATE" = "$APP_LATE" ] || { echo "FAIL: the late counts differ"; exit 1; }
echo "load after: $(load)"
