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
TO=$(sqlite3 "$DB" "SELECT strftime('%Y%m', max(at), 'unixepoch',
    'localtime') FROM application_history")
FROM=$(( (TO / 100 - 1) * 100 + TO % 100 + 1 ))
[ $((TO % 100)) -eq 12 ] && FROM=$(( TO / 100 * 100 + 1 ))
ms() { echo $(( $(date +%s%N) / 1000000 )); }
echo "sqlite3 shell, the country's year counted from the history (what a"
echo "report without the summary would read):"
t0=$(ms)
sqlite3 "$DB" "SELECT count(*) FILTER (WHERE from_status = 'draft' AND
    to_status IN ('at_otg', 'at_spszn')), count(*) FILTER (WHERE to_status =
    'checked'), count(*) FILTER (WHERE to_status IN ('returned_front',
    'returned_otg')) FROM application_history WHERE CAST(strftime('%Y%m',
    at, 'unixepoch', 'localtime') AS INTEGER) BETWEEN $FROM AND $TO"
echo "  $(( $(ms) - t0 )) ms (the whole sqlite3 process)"
echo "sqlite3 shell, the same from the summary:"
t0=$(ms)
sqlite3 "$DB" "SELECT measure, sum(n) FROM report_facts WHERE territory_id =
    0 AND month BETWEEN $FROM AND $TO AND measure IN ('formed', 'accepted',
    'returned') GROUP BY measure"
echo "  $(( $(ms) - t0 )) ms (the whole sqlite3 process)"
