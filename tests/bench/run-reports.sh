#!/bin/sh
# run-reports.sh — the reports benchmark (issue 16): report.get's work
# (db_report_build) on a big database, beside the same year's totals
# counted by the plain sqlite3 shell from the history (what a report
# without the summary table would have to read).
#
#   tests/bench/run-reports.sh [BUILDDIR] [--db FILE] [--apps M]
#
# Without --db, makes one with hromadactl init + demo + gen_big (M
# applications, default 1,000,000; 5,000,000 persons).  Take the figures
# when `uptime` shows a load below ~2; the script prints the load.
# Beside bench_reports' figures (the report as the server builds it), the
# sqlite3 shell runs the report's own statements on the same file.
set -eu
B=.
DB=
APPS=1000000
while [ $# -gt 0 ]; do
	case $1 in
	--db) DB=$2; shift 2 ;;
	--apps) APPS=$2; shift 2 ;;
	*) B=$1; shift ;;
	esac
done
for p in hromadactl tests/bench/gen_big tests/bench/bench_reports; do
	[ -x "$B/$p" ] || { echo "build $B/$p first"; exit 2; }
done
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 2; }
if [ -z "$DB" ]; then
	DB=$(mktemp -d /tmp/bench-reports.XXXXXX)/big.db
	"$B/hromadactl" --db "$DB" init >/dev/null
	"$B/hromadactl" --db "$DB" demo >/dev/null
	"$B/tests/bench/gen_big" --db "$DB" --apps "$APPS" \
	    --persons $((APPS * 5)) --quiet
fi
echo "load: $(uptime | sed 's/.*load average: //')"
echo "applications: $(sqlite3 "$DB" 'SELECT count(*) FROM applications')," \
    "history rows: $(sqlite3 "$DB" 'SELECT count(*) FROM application_history')," \
    "summary rows: $(sqlite3 "$DB" 'SELECT count(*) FROM report_facts')"
"$B/tests/bench/bench_reports" --db "$DB" --runs 50
ms() { echo $(( $(date +%s%N) / 1000000 )); }
TO=$(sqlite3 "$DB" "SELECT strftime('%Y%m', max(at), 'unixepoch',
    'localtime') FROM application_history")
FROM=$(( (TO / 100 - 1) * 100 + TO % 100 + 1 ))
[ $((TO % 100)) -eq 12 ] && FROM=$(( TO / 100 * 100 + 1 ))
OBLAST=$(sqlite3 "$DB" "SELECT id FROM territories WHERE kind = 'oblast'
    ORDER BY id LIMIT 1")

# The report's own statements (db/reports.c: report_own, report_months,
# report_children), run by the plain sqlite3 shell on the same file; its
# .timer gives each statement's time, without the process start.
COUNTERS="'created', 'formed', 'sent', 'accepted', 'returned', 'decision',
    'notified'"
report_sql() {   # TERRITORY (0: the country) FACTS_ID
	echo "SELECT measure, key, sum(n), sum(amount) FROM report_facts
	    WHERE territory_id = $2 AND month BETWEEN $FROM AND $TO
	    GROUP BY measure, key;"
	echo "SELECT month, measure, key, sum(n), sum(amount) FROM report_facts
	    WHERE territory_id = $2 AND month BETWEEN $FROM AND $TO AND
	    measure IN ($COUNTERS) GROUP BY month, measure, key;"
	echo "SELECT c.id, c.kind, c.name, f.measure, f.key, sum(f.n),
	    sum(f.amount) FROM territories c LEFT JOIN report_facts f ON
	    f.territory_id = c.id AND f.month BETWEEN $FROM AND $TO AND
	    f.measure IN ($COUNTERS, 'clerk') WHERE c.parent_id = $1 AND
	    c.kind IN ('oblast', 'spszn', 'hromada', 'cnap', 'starosta')
	    GROUP BY c.id, f.measure, f.key ORDER BY c.name, c.id;"
}
ROOT=$(sqlite3 "$DB" "SELECT id FROM territories WHERE parent_id IS NULL")
shell_runs() {   # WHAT TERRITORY FACTS_ID: 20 runs, the sum of the three
	what=$1
	shift
	for i in $(seq 20); do
		report_sql "$@" | sed '1s/^/.timer on\n/' |
		    sqlite3 "$DB" | awk '/^Run Time/ {
		    s += $4 } END { printf "%.2f\n", s * 1000 }'
	done | sort -n | awk -v w="$what" '{ t[NR] = $1 } END {
	    printf "%-30s runs %3d  median %7.2f max %7.2f ms (sqlite3 shell, the same three statements)\n",
	    w, NR, t[int((NR + 1) / 2)], t[NR] }'
}
shell_runs "country, 12 months" "$ROOT" 0
shell_runs "oblast (drill-down one level)" "$OBLAST" "$OBLAST"
echo "sqlite3 shell, the country's year counted from the history (what a"
echo "report without the summary would read):"
t0=$(ms)
sqlite3 "$DB" "SELECT count(*) FILTER (WHERE from_status = 'draft' AND
    to_status IN ('at_otg', 'at_spszn')), count(*) FILTER (WHERE to_status =
    'checked'), count(*) FILTER (WHERE to_status IN ('returned_front',
    'returned_otg')) FROM application_history WHERE CAST(strftime('%Y%m',
    at, 'unixepoch', 'localtime') AS INTEGER) BETWEEN $FROM AND $TO"
echo "  $(( $(ms) - t0 )) ms (the whole sqlite3 process)"
echo "load after: $(uptime | sed 's/.*load average: //')"
