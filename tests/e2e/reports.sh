#!/bin/sh
# tests/e2e/reports.sh — «Звітність» through the real client against the
# real server, driven through tmux as the ministry would (issue 16):
#
#  1. the ministry's cabinet, F7: the country's report over the last 12
#     months; its counts are the ones sqlite3 finds in the raw history;
#     the oblasts listed, the months drawn with Unicode blocks;
#  2. Enter goes down — oblast, back office, hromada — each level with
#     its own counts (checked against the database) and the way back up
#     shown; Backspace goes up;
#  3. F4 and Left change the period; the counts follow;
#  4. Tab: monitoring of the back office's hromadas, connected / using;
#  5. TERM=vt100: the chart in ASCII; Esc at the top returns to the
#     cabinet; F10 quits;
#  6. F2 saves what the screen shows as CSV (mode 0600, with a BOM); read
#     back with sqlite3's CSV reader, its rows are the screen's numbers;
#     F2 again as XLSX: read back by the tests' own reader, the same cells
#     as the CSV, the counts number cells and the period date cells.
#  7. a case role (upo, the hromada): F7 from the journal opens the
#     hromada's report (its counts as the history says, its front offices
#     below); Tab shows its clerks, each with the cases the history says
#     they sent up; F2 saves that as XLSX; Esc goes back to the journal.
#     The ministry's Tab (step 4) is monitoring and never shows a person.
#  8. F6: deadline compliance (issue 17) of the country — per stage the
#     clocks closed in the period on time / late, the open ones and of
#     them the late, each as sqlite3 counts them in application_clocks;
#     the offices below, worst first; F2 saves it as CSV (each office's
#     numbers as the raw clocks say) and XLSX (the same cells); at vt100
#     the share's bar is ASCII.
set -u

. "$(dirname "$0")/lib.sh"
e2e_init reports sqlite3 unzip
E2E_PORT_SALT=331
STEP=0

e2e_demo_db
FP=$("$B/hromadactl" --db "$T/h.db" key show | head -n 1)

# The period the screen opens on: the current month and 11 before it.
TO=$(date +%Y%m)
FROM=$(date -d "$(date +%Y-%m-15) -11 months" +%Y%m)
in_period() {
	echo "CAST(strftime('%Y%m', $1, 'unixepoch', 'localtime') AS INTEGER)
	    BETWEEN $FROM AND $TO"
}
# formed at a level: first sent up from the front office, within the period
formed() {
	sql "SELECT count(*) FROM application_history h JOIN applications a
	    ON a.id = h.application_id WHERE $1 AND h.from_status = 'draft'
	    AND h.to_status IN ('at_otg', 'at_spszn') AND $(in_period h.at)"
}
accepted() {
	sql "SELECT count(*) FROM application_history h JOIN applications a
	    ON a.id = h.application_id WHERE $1 AND h.to_status = 'checked'
	    AND $(in_period h.at)"
}
tid() { sql "SELECT id FROM territories WHERE name = '$1'"; }

start_server

# ---- 1. the country ----
STEP=1
client ministry
login ministry
pin_key "$FP"
wait_screen "Заяви за громадами"
keys F7
wait_screen "Звітність: Україна"
N=$(formed 1)
A=$(accepted 1)
[ "$N" -gt 0 ] || fail "the demo formed nothing in the period"
wait_screen "Сформовано $N "
screen_has "прийнято $A " || fail "the country's accepted is not $A"
screen_has "Сумська область" || fail "no Сумська область row"
screen_has "Вінницька область" || fail "no Вінницька область row"
screen_has "█" || fail "no Unicode block in the chart"
say "ok 1 - the country: formed $N, accepted $A, as the history says"

# ---- 2. down and up ----
STEP=2
text "Сум"
keys Enter
wait_screen "Звітність: Сумська область"
screen_has "Україна   Період" || fail "no way up shown"
wait_screen "Сформовано $(formed "a.oblast_id = $(tid 'Сумська область')") "
text "УСЗН Глух"
keys Enter
wait_screen "Звітність: УСЗН Глухівської РДА"
wait_screen "Сформовано $(formed "a.spszn_id = $(tid 'УСЗН Глухівської РДА')") "
text "Берез"
keys Enter
wait_screen "Звітність: Березівська сільська ОТГ"
H=$(tid 'Березівська сільська ОТГ')
wait_screen "Сформовано $(formed "a.hromada_id = $H") "
screen_has "ЦНАП Березівської сільської ради" || fail "no front office rows"
screen_has "Україна › Сумська область › УСЗН Глухівської РДА" ||
	fail "the way up is not shown"
keys BSpace
wait_screen "Звітність: УСЗН Глухівської РДА"
say "ok 2 - oblast, back office, hromada, each as the database says; up"

# ---- 3. the period ----
STEP=3
keys F4                                    # 12 -> 24 months
FROM24=$(date -d "$(date +%Y-%m-15) -23 months" +%Y-%m)
wait_screen "Період $FROM24 – $(date +%Y-%m)"
keys Left
PREV=$(date -d "$(date +%Y-%m-15) -1 month" +%Y-%m)
wait_screen "– $PREV"
keys Right
wait_screen "– $(date +%Y-%m)"
say "ok 3 - F4 and Left/Right move the period"

# ---- 4. monitoring ----
STEP=4
keys Tab
wait_screen "Моніторинг: УСЗН Глухівської РДА"
HS=$(sql "SELECT count(*) FROM territories WHERE kind = 'hromada' AND
    parent_id = $(tid 'УСЗН Глухівської РДА')")
wait_screen "Громади: $HS, підключено"
screen_has "Березівська сільська ОТГ" || fail "no hromada rows"
keys Tab
wait_screen "Звітність: УСЗН Глухівської РДА"
keys F10
expect_exit
say "ok 4 - monitoring of the back office's hromadas"

# ---- 5. vt100 ----
STEP=5
client ministry 80x24 vt100
login ministry
wait_screen "Заяви за громадами"
keys Escape 7
wait_screen "Звітність: Україна"
wait_screen "Сформовано по місяцях: ["
screen_has "█" && fail "Unicode blocks on a vt100"
screen | grep -q "місяцях: \[[ _.,:=+#-]*#" || fail "no ASCII chart"
keys Escape
wait_screen "Заяви за громадами"
keys Escape 0
expect_exit
say "ok 5 - TERM=vt100: the chart in ASCII; Esc back to the cabinet"

# ---- 6. F2: what the screen shows, as CSV, read back ----
STEP=6
client ministry
login ministry
wait_screen "Заяви за громадами"
keys F7
wait_screen "Звітність: Україна"
wait_screen "Сформовано $N "
keys F2
wait_screen "Зберегти звіт як?"
keys Enter                                  # CSV, offered first
wait_screen "Збережено:"
CSV=$(ls "$HOMEDIR"/hromada-print/report-*.csv 2>/dev/null | head -n 1)
[ -n "$CSV" ] || fail "no CSV saved under ~/hromada-print"
[ "$(stat -c %a "$CSV")" = 600 ] || fail "CSV mode $(stat -c %a "$CSV")"
[ "$(head -c 3 "$CSV" | od -An -tx1 | tr -d ' \n')" = efbbbf ] ||
	fail "no byte-order mark"
tail -c +4 "$CSV" | sed '1,/^\r*$/d' >"$T/rows.csv"   # the table part
sqlite3 "$T/csv.db" ".import --csv $T/rows.csv t" ||
	fail "the CSV does not read back"
for name in "Сумська область" "Вінницька область"; do
	row=$(screen | grep -F "$name" | awk '{print $(NF-5)}')
	got=$(sqlite3 "$T/csv.db" "SELECT \"Сформ.\" FROM t WHERE
	    \"Територія\" = '$name'")
	[ -n "$got" ] && [ "$got" = "$row" ] ||
		fail "$name: CSV says \"$got\", the screen \"$row\""
done
grep -q "Сформовано $N " "$CSV" || fail "the CSV lacks the summary line"
keys F2
wait_screen "Зберегти звіт як?"
keys Down Enter                             # XLSX
wait_screen ".xlsx"
XLSX=$(ls "$HOMEDIR"/hromada-print/report-*.xlsx 2>/dev/null | head -n 1)
[ -n "$XLSX" ] || fail "no XLSX saved under ~/hromada-print"
[ "$(stat -c %a "$XLSX")" = 600 ] || fail "XLSX mode $(stat -c %a "$XLSX")"
"$B/tests/lib/xlsx2csv" "$XLSX" >"$T/x.csv" || fail "the XLSX does not read"
tail -c +4 "$CSV" | sed 's/,*\r$/\r/' | cmp -s - "$T/x.csv" ||
	fail "the XLSX's cells are not the CSV's"
"$B/tests/lib/xlsx2csv" --types "$XLSX" >"$T/types"
grep -q "^s,d,d" "$T/types" || fail "the period is not two date cells"
grep -q "^s,n,n,n,n,n" "$T/types" || fail "the counts are not number cells"
keys F10
expect_exit
say "ok 6 - F2 saves the screen as CSV and as XLSX; read back, the numbers match"

# ---- 7. a case role: F7 from the journal, its clerks ----
STEP=7
client upo
login upo
wait_screen "Журнал заяв"
wait_screen "7Звітність"
keys F7
H=$(tid 'Березівська сільська ОТГ')
wait_screen "Звітність: Березівська сільська ОТГ"
wait_screen "Сформовано $(formed "a.hromada_id = $H") "
screen_has "ЦНАП Березівської сільської ради" || fail "no front office rows"
keys Tab
wait_screen "Працівники: Березівська сільська ОТГ"
sql "SELECT u.name, count(*) FROM application_history h JOIN applications a
    ON a.id = h.application_id JOIN users u ON u.id = h.user_id
    WHERE a.hromada_id = $H AND h.from_status = 'draft' AND h.to_status IN
    ('at_otg', 'at_spszn') AND $(in_period h.at) GROUP BY u.id" \
    >"$T/clerks"
[ -s "$T/clerks" ] || fail "nobody of the hromada sent cases up"
while IFS='|' read -r who n; do
	screen | grep -F " $who " | grep -q " $n " ||
		fail "clerk $who: not shown with $n cases"
done <"$T/clerks"
keys F2
wait_screen "Зберегти звіт як?"
keys Down Enter
wait_screen ".xlsx"
X=$(ls "$HOMEDIR"/hromada-print/clerks-*.xlsx 2>/dev/null | head -n 1)
[ -n "$X" ] || fail "no clerks XLSX saved"
"$B/tests/lib/xlsx2csv" "$X" >"$T/clerks.csv" || fail "the XLSX does not read"
while IFS='|' read -r who n; do
	tr -d '\r' <"$T/clerks.csv" | grep -q ",$who,.*,$n,[0-9]*\$" ||
		fail "clerk $who: not in the XLSX with $n cases"
done <"$T/clerks"
keys Escape                                 # at the top: back home
wait_screen "Журнал заяв"
keys F10
expect_exit
# the back office: F9 (transfer registers), F7
client spszn
login spszn
wait_screen "Журнал заяв"
keys F9
wait_screen "7Звітність"
keys F7
wait_screen "Звітність: УСЗН Глухівської РДА"
keys Tab
wait_screen "Працівники: УСЗН Глухівської РДА"
keys F10
expect_exit
say "ok 7 - the hromada: F7 from the journal, its report, its clerks (and as XLSX); the back office from its registers"

# ---- 8. F6: deadlines, counted from the clocks ----
STEP=8
TODAY=$(sql "SELECT CAST(round(julianday('now', 'localtime', 'start of day')
    - julianday('1899-12-31')) AS INTEGER)")
# clocks STAGE [OFFICE]: on_time|closed|running|running_late, as the screen
clocks() {
	sql "SELECT coalesce(sum(c.late_days = 0), 0) || '|' || count(*) FROM
	    application_clocks c WHERE c.stage = '$1' AND c.stopped_at IS NOT
	    NULL AND $(in_period c.stopped_at) ${2:+AND c.office_id = $2}" |
	    tr '\n' '|'
	sql "SELECT count(*) || '|' || coalesce(sum(c.due_day < $TODAY), 0)
	    FROM application_clocks c WHERE c.stage = '$1' AND
	    c.stopped_at IS NULL ${2:+AND c.office_id = $2}"
}
client ministry
login ministry
wait_screen "Заяви за громадами"
keys F7
wait_screen "Звітність: Україна"
keys F6
wait_screen "Строки: Україна"
for st in front:фронт-офіс otg:громада spszn:бек-офіс; do
	set -- $(clocks "${st%%:*}" | tr '|' ' ')
	ot=$1 cl=$2 ru=$3 rl=$4
	wait_screen "вчасно ($ot з $cl); відкр. $ru, простр. $rl"
	screen | grep -F "вчасно ($ot з $cl); відкр. $ru, простр. $rl" |
	    grep -q "^ *${st#*:} " || fail "${st#*:}: not $ot of $cl, $ru, $rl"
done
[ "$(sql "SELECT count(*) FROM application_clocks")" -gt 0 ] ||
	fail "the demo has no clocks"
screen_has "Етап" || fail "no office list"
keys F2
wait_screen "Зберегти звіт як?"
keys Enter                                  # CSV
wait_screen "Збережено:"
CSV=$(ls "$HOMEDIR"/hromada-print/deadlines-*.csv 2>/dev/null | head -n 1)
[ -n "$CSV" ] || fail "no deadlines CSV saved"
tail -c +4 "$CSV" | sed '1,/^\r*$/d' >"$T/dl.csv"
rm -f "$T/dl.db"
sqlite3 "$T/dl.db" ".import --csv $T/dl.csv t" || fail "the CSV does not read back"
sqlite3 "$T/dl.db" "SELECT \"Офіс\", \"Вчасно\", \"Пізно\", \"Відкр.\",
    \"Простр.\" FROM t WHERE \"Офіс\" <> 'Україна'" >"$T/dl.rows"
[ -s "$T/dl.rows" ] || fail "no office rows in the CSV"
while IFS='|' read -r name ot late ru rl; do
	id=$(tid "$(printf '%s' "$name" | sed "s/'/''/g")")
	st=$(sql "SELECT stage FROM application_clocks WHERE office_id = $id
	    LIMIT 1")
	want=$(clocks "$st" "$id")
	[ "$ot|$((ot + late))|$ru|$rl" = "$want" ] ||
		fail "$name: CSV $ot|$((ot + late))|$ru|$rl, clocks $want"
done <"$T/dl.rows"
[ "$(sqlite3 "$T/dl.db" "SELECT count(*) FROM t WHERE \"Офіс\" =
    'Україна'")" = 3 ] || fail "the country's three stage lines are not in the CSV"
keys F2
wait_screen "Зберегти звіт як?"
keys Down Enter                             # XLSX
wait_screen ".xl"                           # the path is cut at 80 columns
X=$(ls "$HOMEDIR"/hromada-print/deadlines-*.xlsx 2>/dev/null | head -n 1)
[ -n "$X" ] || fail "no deadlines XLSX saved"
"$B/tests/lib/xlsx2csv" "$X" >"$T/dlx.csv" || fail "the XLSX does not read"
tail -c +4 "$CSV" | sed 's/,*\r$/\r/' | cmp -s - "$T/dlx.csv" ||
	fail "the deadlines XLSX's cells are not the CSV's"
keys F10
expect_exit
client ministry 80x24 vt100
login ministry
wait_screen "Заяви за громадами"
keys Escape 7
wait_screen "Звітність: Україна"
keys Escape 6
wait_screen "Строки: Україна"
screen | grep "^ *фронт-офіс " | grep -q "[#.]\{8\}" ||
	fail "no ASCII bar at vt100"
screen_has "█" && fail "Unicode blocks on a vt100"
keys Escape 0
expect_exit
say "ok 8 - F6: deadlines per stage and office as the clocks say; CSV and XLSX; ASCII at vt100"
