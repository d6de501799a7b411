#!/bin/sh
# run-deadlines.sh — the journal by the clock at size (issue 17): a page of
# «прострочені», of «спливає строк» and of the clock order from a cursor in
# the middle, and the cabinet's late count, beside the newest-first page
# and the count of the same hromada, all timed in the same run with the
# sqlite3 shell on the page queries db/journal.c builds (the indexes of
# migration 022).  Not part of `make check`: it writes N applications.
#
#   tests/bench/run-deadlines.sh BUILD_DIR [N]      (N default 1000000)
#
# One hromada of the demo gets a twentieth of the N applications, the rest
# go to fifty others; an eighth are answered (no clock), the others have
# clocks due over three months around today.  Prints the size, the late
# cases of the hromada and each query's time, with the
# machine's load (timed figures on a shared machine: compare the ratios).
set -eu
B=${1:?usage: run-deadlines.sh BUILD_DIR [N]}
N=${2:-1000000}
command -v sqlite3 >/dev/null || { echo "SKIP: sqlite3 missing"; exit 77; }
T=$(mktemp -d "${TMPDIR:-/tmp}/run-deadlines.XXXXXX")
trap 'rm -rf "$T"' EXIT
DB=$T/b.db
"$B/hromadactl" --db "$DB" init >/dev/null
"$B/hromadactl" --db "$DB" demo >/dev/null
H=$(sqlite3 "$DB" "SELECT territory_id FROM users WHERE name = 'upo'")
A=$(sqlite3 "$DB" "SELECT min(id) FROM applications WHERE hromada_id = $H")
TODAY=$(( ($(date +%s) - $(date -d 1899-12-31 +%s)) / 86400 ))
sqlite3 "$DB" "
DROP TRIGGER IF EXISTS status_counts_insert;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $N)
INSERT INTO applications (hromada_id, front_office_id, spszn_id, oblast_id,
    service_code, applicant_id, applicant_search, status, package_full,
    version, created_by, created_at, updated_at, stage_start, stage_days,
    stage_due, stage_warn)
SELECT CASE WHEN i % 20 = 0 THEN a.hromada_id ELSE 100000 + i % 50 END,
    a.front_office_id, a.spszn_id, a.oblast_id, a.service_code,
    a.applicant_id, a.applicant_search,
    CASE i % 8 WHEN 0 THEN 'draft' WHEN 1 THEN 'at_otg' WHEN 2 THEN 'at_spszn'
        WHEN 3 THEN 'checked' WHEN 4 THEN 'exported' WHEN 5 THEN 'returned_otg'
        WHEN 6 THEN 'returned_front' ELSE 'answered' END, 0, 1, a.created_by,
    a.created_at + i, a.created_at + i,
    CASE WHEN i % 8 = 7 THEN NULL ELSE $TODAY - 60 + (i * 7919) % 90 END,
    CASE WHEN i % 8 = 7 THEN NULL ELSE 10 END,
    CASE WHEN i % 8 = 7 THEN NULL ELSE $TODAY - 46 + (i * 7919) % 90 END,
    CASE WHEN i % 8 = 7 THEN NULL ELSE $TODAY - 48 + (i * 7919) % 90 END
FROM n, applications a WHERE a.id = $A;"
LATE=$(sqlite3 "$DB" "SELECT count(*) FROM applications WHERE hromada_id = $H
    AND stage_due < $TODAY")
ALL=$(sqlite3 "$DB" "SELECT count(*) FROM applications WHERE hromada_id = $H")
echo "applications: $(sqlite3 "$DB" 'SELECT count(*) FROM applications');" \
    "the hromada: $ALL, late: $LATE; load: $(cut -d' ' -f1-3 /proc/loadavg)"
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
	    'BEGIN { printf "%s: %.3f ms\n", n, (t - b) / r / 1e6 }'
}
time_q "page, newest first" "$P INDEXED BY applications_hromada_walk
    WHERE a.hromada_id = $H AND a.id < 9000000000000000000
    ORDER BY a.id DESC LIMIT 21)"
time_q "page, «прострочені»" "$P $CI AND a.stage_due < $TODAY AND
    (a.stage_due, a.id) > (0, 0) ORDER BY a.stage_due, a.id LIMIT 21)"
time_q "page, «спливає строк»" "$P $CI AND a.stage_due >= $TODAY AND
    a.stage_warn <= $TODAY AND (a.stage_due, a.id) > (0, 0)
    ORDER BY a.stage_due, a.id LIMIT 21)"
time_q "page, clock order, mid cursor" "$P $CI AND (a.stage_due, a.id) >
    ($TODAY, 500000) ORDER BY a.stage_due, a.id LIMIT 21)"
time_q "cabinet's late count" "SELECT count(*) FROM applications a $CI
    AND a.stage_due < $TODAY"
time_q "the hromada's count (for scale)" "SELECT count(*) FROM
    applications a WHERE a.hromada_id = $H"
