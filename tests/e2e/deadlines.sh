#!/bin/sh
# deadlines.sh — every case's clock in the real client against the real
# server (issue 17), driven through tmux at 80x24.
#
# The demo database gets a holiday (27.11.2026) with hromadactl calendar
# before the server starts; "today" is fixed at 07.12.2026 (hromadad(8)
# HROMADA_TODAY) and one back-office case is made due today.  Then:
#  1. the back office's journal has the «Дні» column, the late rows marked
#     "-N" with N counted here day by day (weekends and the holiday
#     skipped), the amber one "0!", and «Прострочено: N» in the cabinet's
#     header equal to the database's count;
#  2. the filter «Строк» → «Прострочені» lists the late cases, the most
#     overdue first (the database's order by due date), and no other;
#     «Спливає строк» lists the one due today;
#  3. the case view says «Строк до DD.MM.YYYY: прострочено на N роб. дн.»
#     and lists the stages' deadlines;
#  4. TERM=vt100 (no colour): the same marks, as text.
set -u

. "$(dirname "$0")/lib.sh"
e2e_init deadlines sqlite3
need_test_hooks
E2E_PORT_SALT=331
TZ=UTC
HROMADA_TODAY=2026-12-07
export TZ HROMADA_TODAY

e2e_demo_db
DB=$T/h.db
day_of() { echo $(( ($(date -u -d "$1" +%s) - $(date -u -d 1899-12-31 +%s)) / 86400 )); }
date_of() { date -u -d "1899-12-31 + $1 days" +%F; }
HOL=$(day_of 2026-11-27)
works() {      # works DAY: a working day (weekends and the holiday off)
	[ "$1" -ne "$HOL" ] && [ "$(date -u -d "$(date_of "$1")" +%u)" -le 5 ]
}
late_by() {    # late_by DUE: working days in (DUE, today], at least 1
	n=0 d=$1
	while [ "$d" -lt "$TODAY" ]; do
		d=$((d + 1))
		works "$d" && n=$((n + 1))
	done
	[ "$n" -lt 1 ] && n=1
	echo "$n"
}
TODAY=$(day_of "$HROMADA_TODAY")

"$B/hromadactl" --db "$DB" calendar holiday 27.11.2026 "тест" >"$T/cal.txt" 2>&1 ||
	{ cat "$T/cal.txt"; fail "calendar holiday"; }
SP=$(sql "SELECT territory_id FROM users WHERE name = 'spszn'")
SEEN="status IN ('at_spszn', 'returned_otg', 'checked', 'exported')"
# one case of the back office due today: amber, 0 days left
AMBER=$(sql "SELECT reg_no FROM applications WHERE spszn_id = $SP AND
    $SEEN ORDER BY id DESC LIMIT 1")
sql "UPDATE applications SET stage_due = $TODAY, stage_warn = $TODAY - 2
    WHERE reg_no = '$AMBER' AND spszn_id = $SP"
LATE=$(sql "SELECT count(*) FROM applications WHERE spszn_id = $SP AND
    $SEEN AND stage_due < $TODAY")
[ "$LATE" -gt 0 ] || fail "the demo has no late case"
# the most overdue: first in the filter
FIRST=$(sql "SELECT reg_no || ' ' || stage_due FROM applications WHERE
    spszn_id = $SP AND $SEEN AND stage_due < $TODAY ORDER BY stage_due, id
    LIMIT 1")
FIRST_REG=${FIRST% *}
FIRST_LATE=$(late_by "${FIRST#* }")

start_server

# 1. the column, the marks, the cabinet's count
client spszn
login spszn
pin_key
wait_screen "Журнал заяв"
wait_screen "Прострочено: $LATE"
screen | grep -q "Реєстр. №  Дата  Статус  *Дні Заявник" ||
	fail "no «Дні» column after the status"
screen | grep -q "^$AMBER .* 0! " || fail "$AMBER not marked amber (0!)"
say "ok 1 - the clock column, the amber mark, «Прострочено: $LATE»"

# 2. «Прострочені», the most overdue first; then «Спливає строк»
pick_clock() {     # pick_clock N: the «Строк» row's N-th choice (0 first)
	filter_pick "$(downs 9)Enter" "За строком, найтерміновіші спершу" \
	    "Home $(downs "$1")"
}
pick_clock 2                    # «Прострочені»
wait_screen "Фільтр: Прострочені"
wait_screen "Прострочено: $LATE"
row=$(screen | grep -m1 '^[0-9]\{5\}/2026')
case $row in
"$FIRST_REG "*" -$FIRST_LATE "*) ;;
*) fail "the first late row is \"$row\", wanted $FIRST_REG late by $FIRST_LATE" ;;
esac
rows=$(screen | grep -c '^[0-9]\{5\}/2026')
want=$((LATE < 14 ? LATE : 14))
[ "$rows" -ge "$want" ] || fail "$rows late rows shown, wanted $want"
screen | grep '^[0-9]\{5\}/2026' | grep -v ' -[0-9][0-9]* ' &&
	fail "a row that is not late under «Прострочені»"
screen_has "$AMBER " && fail "$AMBER (due today) under «Прострочені»"
say "ok 2 - «Прострочені»: $LATE, $FIRST_REG first, late by $FIRST_LATE"

pick_clock 3                    # «Спливає строк»
wait_screen "Фільтр: Спливає строк"
wait_screen "$AMBER "
[ "$(screen | grep -c '^[0-9]\{5\}/2026')" = 1 ] ||
	fail "«Спливає строк» lists other cases than $AMBER"
say "ok 3 - «Спливає строк»: $AMBER alone"

# 3. the case view: the clock in words, the stages
pick_clock 2
wait_screen "Фільтр: Прострочені"
wait_screen "$FIRST_REG "
keys Enter
wait_screen "Заява № $FIRST_REG"
due=$(date -u -d "$(date_of "${FIRST#* }")" +%d.%m.%Y)
wait_screen "Строк до $due: прострочено на $FIRST_LATE роб. дн."
keys End
wait_screen "Строки етапів"
keys Escape
wait_screen "Журнал заяв"
keys F10
expect_exit
say "ok 4 - the case view: «Строк до $due: прострочено на $FIRST_LATE роб. дн.»"

# 4. vt100: the marks are text, no colour needed
client spszn 80x24 vt100
login spszn
wait_screen "Прострочено: $LATE"
screen | grep -q "^$AMBER .* 0! " || fail "vt100: $AMBER not marked 0!"
screen | grep -q '^[0-9]\{5\}/2026 .* -[0-9][0-9]* ' || fail "vt100: no late mark"
keys Escape 0
expect_exit
say "ok 5 - TERM=vt100 shows the same marks"
say "PASS: deadlines in the journal and the case view"
