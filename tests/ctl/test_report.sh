#!/bin/sh
# test_report.sh — hromadactl report (issue 16) on the demo database: the
# CSV files are read back with sqlite3's RFC 4180 reader (.import --csv)
# and compared with counts made here from the raw tables — the history,
# the users — not from the summary the command reads.  Also: the
# byte-order mark, a reason with a comma quoted, --out written whole,
# and the errors (an unknown report, a bad month: nothing written).
# --format xlsx: each report's XLSX, read back by the tests' own reader
# (tests/lib/xlsx2csv over unzip), holds the CSV's cells — counts as
# number cells, months and moments as date cells.  `report deadlines`:
# each stage of the country and each office against counts made here from
# application_clocks.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || { echo "SKIP: sqlite3 missing"; exit 77; }
ctl_begin test_report
db=$tmp/h.db
C="$ctl --db $db"

# read CSV file $1 into table $2 of a scratch database, query $3
csvq() {
	rm -f "$tmp/csv.db"
	sqlite3 "$tmp/csv.db" ".import --csv $1 $2" "$3"
}

$C init >/dev/null 2>&1 && $C demo >/dev/null 2>&1 || { echo "no demo db"; exit 99; }
# a return whose reason has a comma and a quote
APP=$(sql "SELECT min(id) FROM applications WHERE status = 'at_spszn'")
U=$(sql "SELECT id FROM users WHERE name = 'spszn'")
sql "UPDATE applications SET status = 'returned_otg' WHERE id = $APP;
    INSERT INTO application_history (application_id, at, user_id,
    from_status, to_status, comment) VALUES ($APP, strftime('%s', 'now'),
    $U, 'at_spszn', 'returned_otg', 'Скан нечитабельний, \"паспорт\"')" ||
	{ echo "cannot add a return"; exit 99; }

TO=$(date +%Y%m)
FROM=$(date -d "$(date +%Y-%m-15) -11 months" +%Y%m)
IN="CAST(strftime('%Y%m', h.at, 'unixepoch', 'localtime') AS INTEGER)
    BETWEEN $FROM AND $TO"
formed_by() {
	sql "SELECT count(*) FROM application_history h JOIN applications a
	    ON a.id = h.application_id WHERE a.$1 = $2 AND
	    h.from_status = 'draft' AND h.to_status IN ('at_otg', 'at_spszn')
	    AND $IN"
}

# 1. the byte-order mark, and the summary
$C report summary >"$tmp/s.csv" 2>"$tmp/err" || bad "report summary failed"
same "BOM" "$(head -c 3 "$tmp/s.csv" | od -An -tx1 | tr -d ' \n')" efbbbf
tail -c +4 "$tmp/s.csv" >"$tmp/s2.csv"
same "CRLF line ends" "$(grep -c "$(printf '\r')\$" "$tmp/s.csv")" 2
same "summary formed" "$(csvq "$tmp/s2.csv" s 'SELECT formed FROM s')" \
    "$(sql "SELECT count(*) FROM application_history h WHERE
    h.from_status = 'draft' AND h.to_status IN ('at_otg', 'at_spszn')
    AND $IN")"
same "summary returned" "$(csvq "$tmp/s2.csv" s 'SELECT returned FROM s')" \
    "$(sql "SELECT count(*) FROM application_history h WHERE h.to_status IN
    ('returned_front', 'returned_otg') AND h.from_status <> h.to_status
    AND $IN")"

# 2. children of the country and of an oblast, each against the history
$C report children --no-bom --out "$tmp/c.csv" || bad "report children"
for id in $(sql "SELECT id FROM territories WHERE kind = 'oblast'"); do
	same "oblast $id formed" "$(csvq "$tmp/c.csv" c \
	    "SELECT formed FROM c WHERE territory_id = '$id'")" \
	    "$(formed_by oblast_id "$id")"
done
SUM=$(sql "SELECT id FROM territories WHERE name = 'Сумська область'")
$C report children --territory "Сумська область" --no-bom \
    --out "$tmp/c2.csv" || bad "report children of an oblast"
for id in $(sql "SELECT id FROM territories WHERE parent_id = $SUM"); do
	same "back office $id formed" "$(csvq "$tmp/c2.csv" c \
	    "SELECT formed FROM c WHERE territory_id = '$id'")" \
	    "$(formed_by spszn_id "$id")"
done

# 3. the months add up to the summary
$C report months --no-bom --out "$tmp/m.csv" || bad "report months"
same "months" "$(csvq "$tmp/m.csv" m 'SELECT count(*), sum(formed) FROM m')" \
    "12|$(csvq "$tmp/s2.csv" s 'SELECT formed FROM s')"

# 4. the reason with a comma and a quote, read back whole
$C report reasons --no-bom --out "$tmp/r.csv" || bad "report reasons"
same "reason" "$(csvq "$tmp/r.csv" r "SELECT count FROM r WHERE
    reason = 'Скан нечитабельний, \"паспорт\"'")" 1

# 5. compensation: each hromada's accepted cases in 2026-10
$C report compensation --month 2026-10 --no-bom --out "$tmp/k.csv" ||
	bad "report compensation"
for id in $(sql "SELECT id FROM territories WHERE kind = 'hromada'"); do
	same "hromada $id accepted" "$(csvq "$tmp/k.csv" k \
	    "SELECT accepted FROM k WHERE hromada_id = '$id'")" \
	    "$(sql "SELECT count(*) FROM application_history h JOIN
	    applications a ON a.id = h.application_id WHERE a.hromada_id = $id
	    AND h.to_status = 'checked' AND strftime('%Y-%m', h.at,
	    'unixepoch', 'localtime') = '2026-10'")"
	same "hromada $id connected" "$(csvq "$tmp/k.csv" k \
	    "SELECT connected FROM k WHERE hromada_id = '$id'")" \
	    "$(sql "SELECT count(*) > 0 FROM users WHERE NOT disabled AND
	    territory_id IN (SELECT $id UNION SELECT id FROM territories
	    WHERE parent_id = $id AND kind IN ('cnap', 'starosta'))")"
done

# 6. monitor: the last line is the country's totals
$C report monitor --days 366 --no-bom --out "$tmp/o.csv" || bad "report monitor"
same "monitor hromadas" "$(csvq "$tmp/o.csv" o "SELECT hromadas FROM o
    WHERE kind = 'country'")" \
    "$(sql "SELECT count(*) FROM territories WHERE kind = 'hromada'")"

# 6b. deadlines: the country's stages and each office, against the clocks
$C report deadlines --no-bom --out "$tmp/d.csv" || bad "report deadlines"
TODAY=$(sql "SELECT CAST(round(julianday('now', 'localtime', 'start of day')
    - julianday('1899-12-31')) AS INTEGER)")
CIN="stopped_at IS NOT NULL AND CAST(strftime('%Y%m', stopped_at,
    'unixepoch', 'localtime') AS INTEGER) BETWEEN $FROM AND $TO"
clocks() {   # WHERE: closed|on_time|late|late_days|running|running_late
	sql "SELECT count(*) FILTER (WHERE $CIN) || '|' || count(*) FILTER
	    (WHERE $CIN AND late_days = 0) || '|' || count(*) FILTER (WHERE
	    $CIN AND late_days > 0) || '|' || coalesce(sum(late_days) FILTER
	    (WHERE $CIN), 0) || '|' || count(*) FILTER (WHERE stopped_at IS
	    NULL) || '|' || count(*) FILTER (WHERE stopped_at IS NULL AND
	    due_day < $TODAY) FROM application_clocks WHERE $1"
}
DCOLS="closed || '|' || on_time || '|' || late || '|' || late_days || '|' ||
    running || '|' || running_late"
[ "$(sql "SELECT count(*) FROM application_clocks")" -gt 0 ] ||
	bad "the demo has no clocks"
for st in front otg spszn; do
	same "deadlines $st" "$(csvq "$tmp/d.csv" d "SELECT $DCOLS FROM d
	    WHERE level = 'territory' AND stage = '$st'")" \
	    "$(clocks "stage = '$st'")"
done
same "deadlines offices" "$(csvq "$tmp/d.csv" d "SELECT count(*) FROM d
    WHERE level = 'office'")" "$(sql "SELECT count(DISTINCT office_id)
    FROM application_clocks WHERE stopped_at IS NULL OR ($CIN)")"
for id in $(csvq "$tmp/d.csv" d "SELECT territory_id FROM d WHERE
    level = 'office'"); do
	same "deadlines office $id" "$(csvq "$tmp/d.csv" d "SELECT $DCOLS
	    FROM d WHERE level = 'office' AND territory_id = '$id'")" \
	    "$(clocks "office_id = $id")"
done

# 7. XLSX: the same cells as the CSV, numbers and dates as such
x2c=${top_builddir:-.}/tests/lib/xlsx2csv
if [ -x "$x2c" ] && command -v unzip >/dev/null 2>&1; then
	for r in summary months children services decisions times reasons \
	    deadlines monitor compensation; do
		$C report $r --month 2026-10 --no-bom --out "$tmp/x.csv" ||
			bad "report $r csv"
		$C report $r --month 2026-10 --format xlsx --out "$tmp/x.xlsx" ||
			bad "report $r xlsx"
		# XLSX keeps no trailing empty cells
		same "xlsx $r" "$("$x2c" "$tmp/x.xlsx" | md5sum)" \
		    "$(sed 's/,*\r$/\r/' "$tmp/x.csv" | md5sum)"
	done
	"$x2c" --types "$tmp/x.xlsx" >"$tmp/types"
	same "compensation kinds" "$(sed -n 2p "$tmp/types" | cut -d, -f1-7)" \
	    "n,s,s,d,n,n,n"
	$C report months --format xlsx --out "$tmp/m.xlsx" || bad "months xlsx"
	same "months: a month a date, counts numbers" \
	    "$("$x2c" --types "$tmp/m.xlsx" | sed -n 2p)" \
	    "$(printf 'd,n,n,n,n,n,n,n,n,n\r')"
	$C report months --format xlsx >"$tmp/out" 2>"$tmp/err" </dev/null
	same "xlsx to a pipe" $? 0
	same "xlsx to a pipe is the file" "$(head -c 2 "$tmp/out")" PK
	$C report months --format xls >"$tmp/out" 2>"$tmp/err"
	same "bad format status" $? 2
else
	echo "SKIP: no unzip or xlsx2csv — XLSX not read back"
fi

# 8. errors: nothing written
echo old >"$tmp/keep.csv"
$C report nosuch >"$tmp/out" 2>"$tmp/err"
same "unknown report status" $? 2
grep -q 'no report "nosuch"' "$tmp/err" && ok || bad "unknown report message"
$C report months --from 2026-13 --out "$tmp/keep.csv" 2>"$tmp/err"
same "bad month status" $? 2
same "bad month leaves the file" "$(cat "$tmp/keep.csv")" old
$C report summary --territory "no such place" >"$tmp/out" 2>"$tmp/err"
same "unknown territory status" $? 1
same "unknown territory prints nothing" "$(wc -c <"$tmp/out" | tr -d ' ')" 0

ctl_end
