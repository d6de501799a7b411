#!/bin/sh
# test_calendar.sh — hromadactl calendar and the deadlines that hromadactl
# service import/export carry (issue 17), on the demo database.
#
# The calendar: holiday/workday/remove/list/export/import with their
# refusals (a day that has an entry, an entry that changes nothing, an
# unknown kind, the same day twice in a file: nothing changed, exit 1),
# each change audited; a holiday added inside a running clock moves its
# due date by one working day and removing it moves it back — the
# expected dates counted here day by day with date(1), not by the code
# under test.  Services: export writes the three deadline columns, import
# stores edited ones, refuses an empty or out-of-range deadline naming the
# line (nothing changed), and a five-column file keeps the stored ones.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || { echo "SKIP: sqlite3 missing"; exit 77; }
ctl_begin test_calendar
db=$tmp/h.db
C="$ctl --db $db"

has() {    # WHAT FILE TEXT
	if grep -qF -- "$3" "$2"; then ok; else bad "$1: no \"$3\" in"; cat "$2"; fi
}
# day numbers (days since 31.12.1899) and dates, by date(1)
day_of() { echo $(( ($(date -u -d "$1" +%s) - $(date -u -d 1899-12-31 +%s)) / 86400 )); }
date_of() { date -u -d "1899-12-31 + $1 days" +%F; }
# the N-th working day after day D, weekends and the holidays in $hol
add_workdays() {
	d=$1 n=$2
	while [ "$n" -gt 0 ]; do
		d=$((d + 1))
		wd=$(date -u -d "$(date_of "$d")" +%u)
		[ "$wd" -ge 6 ] && continue
		case " $hol " in *" $d "*) continue ;; esac
		n=$((n - 1))
	done
	echo "$d"
}

$C init >/dev/null 2>&1 && $C demo >/dev/null 2>&1 || { echo "no demo db"; exit 99; }

# ---- 1. the calendar: add, refuse, list, remove ----
run 0 "holiday" $C calendar holiday 25.12.2026 "Різдво Христове"
has "holiday said" "$tmp/out" "Added 25.12.2026 as a holiday"
run 0 "workday" $C calendar workday 2027-01-09 "за 08.01"
run 1 "a holiday on a Saturday" $C calendar holiday 26.12.2026
has "Saturday holiday refused" "$tmp/err" "26.12.2026 is a Saturday or Sunday"
run 1 "a workday on a weekday" $C calendar workday 28.12.2026
has "weekday workday refused" "$tmp/err" "28.12.2026 is a weekday"
run 1 "the same day again" $C calendar holiday 25.12.2026
has "overlap" "$tmp/err" "25.12.2026 is in the calendar already, as a holiday (Різдво Христове); remove it first"
run 2 "no date" $C calendar holiday
run 1 "a bad date" $C calendar holiday 31.02.2027
run 2 "unknown subcommand" $C calendar frobnicate
run 0 "list" $C calendar list
has "list holiday" "$tmp/out" "25.12.2026  Fri  holiday        Різдво Христове"
has "list workday" "$tmp/out" "09.01.2027  Sat  working day    за 08.01"
run 0 "list a year" $C calendar list --year 2027
same "one entry in 2027" "$(grep -c '^[0-9]' "$tmp/out")" 1
run 1 "remove what is not there" $C calendar remove 24.12.2026
has "not there" "$tmp/err" "24.12.2026 is not in the calendar"
same "two entries" "$(sql "SELECT count(*) FROM calendar_days")" 2

# ---- 2. export, import, its refusals ----
run 0 "export" $C calendar export "$tmp/cal.csv"
same "export" "$(cat "$tmp/cal.csv")" "date,kind,note
2026-12-25,holiday,Різдво Христове
2027-01-09,workday,за 08.01"
run 0 "import the same" $C calendar import "$tmp/cal.csv"
has "all there" "$tmp/out" "Imported 0 calendar entries from $tmp/cal.csv (2 already there)"
printf 'date,kind,note\n2027-01-01,holiday,Новий рік\n01.01.2027,holiday,again\n' >"$tmp/twice.csv"
run 1 "a day twice" $C calendar import "$tmp/twice.csv"
has "twice" "$tmp/err" "twice.csv:3: 01.01.2027 is on line 2 too"
printf 'date,kind,note\n2027-01-01,holiday,Новий рік\n2027-01-07,feast,x\n' >"$tmp/kind.csv"
run 1 "an unknown kind" $C calendar import "$tmp/kind.csv"
has "kind" "$tmp/err" "kind.csv:3: kind \"feast\" is not holiday or workday"
printf 'date,kind,note\n2027-01-01,holiday,Новий рік\n2026-12-25,holiday,інше\n' >"$tmp/over.csv"
run 1 "an overlapping entry" $C calendar import "$tmp/over.csv"
has "overlap in a file" "$tmp/err" "over.csv:3: 25.12.2026 is in the calendar already"
same "nothing of a refused file" "$(sql "SELECT count(*) FROM calendar_days")" 2
printf 'date,kind,note\n2027-01-01,holiday,Новий рік\n2027-01-07,holiday,Різдво\n' >"$tmp/new.csv"
run 0 "import --replace" $C calendar import "$tmp/new.csv" --replace
same "replaced" "$(sql "SELECT group_concat(day || kind, ' ') FROM calendar_days")" \
    "$(day_of 2027-01-01)holiday $(day_of 2027-01-07)holiday"
run 0 "remove" $C calendar remove 01.01.2027
run 0 "remove" $C calendar remove 07.01.2027
same "audited" "$(sql "SELECT group_concat(action, ' ') FROM (SELECT action
    FROM audit_log WHERE action LIKE 'calendar.%' ORDER BY id)")" \
    "calendar.add calendar.add calendar.import calendar.import calendar.remove calendar.remove"

# ---- 3. a holiday inside a running clock moves its due date ----
# a case of the back office's stage, its clock begun on a Monday
APP=$(sql "SELECT min(id) FROM applications WHERE status = 'at_spszn'")
START=$(day_of 2027-03-01)
sql "UPDATE applications SET stage_start = $START, stage_days = 10,
    stage_due = $START + 14, stage_warn = $START + 10 WHERE id = $APP;
    UPDATE application_clocks SET start_day = $START, due_day = $START + 14
    WHERE application_id = $APP AND stopped_at IS NULL"
hol=""
same "due, weekends only" "$(add_workdays "$START" 10)" "$((START + 14))"
run 0 "holiday in the clock" $C calendar holiday 2027-03-08 "8 березня"
has "moved" "$tmp/out" "Due dates moved: "
hol="$(day_of 2027-03-08)"
same "due moved" "$(sql "SELECT stage_due FROM applications WHERE id = $APP")" \
    "$(add_workdays "$START" 10)"
same "the clock's row too" "$(sql "SELECT due_day FROM application_clocks
    WHERE application_id = $APP AND stopped_at IS NULL")" \
    "$(add_workdays "$START" 10)"
same "amber from" "$(sql "SELECT stage_warn FROM applications WHERE id = $APP")" \
    "$(add_workdays "$START" 8)"
run 0 "remove it" $C calendar remove 2027-03-08
hol=""
same "due back" "$(sql "SELECT stage_due FROM applications WHERE id = $APP")" \
    "$((START + 14))"

# ---- 4. services carry their deadlines ----
mkdir "$tmp/ref"
run 0 "service export" $C service export "$tmp/ref"
same "header" "$(head -1 "$tmp/ref/services.csv")" \
    "code,name_uk,system,required_documents,short_uk,days_front,days_otg,days_spszn"
same "defaults" "$(grep '^subsidy_fuel,' "$tmp/ref/services.csv" | cut -d, -f6-)" "1,2,10"
sed 's/^\(subsidy_fuel,.*\),1,2,10$/\1,2,3,15/' "$tmp/ref/services.csv" >"$tmp/s.csv" &&
    mv "$tmp/s.csv" "$tmp/ref/services.csv"
run 0 "service import" $C service import "$tmp/ref"
same "stored" "$(sql "SELECT days_front || days_otg || ',' || days_spszn
    FROM services WHERE code = 'subsidy_fuel'")" "23,15"
line=$(grep -n '^subsidy_fuel,' "$tmp/ref/services.csv" | cut -d: -f1)
sed 's/^\(subsidy_fuel,.*\),2,3,15$/\1,2,,15/' "$tmp/ref/services.csv" >"$tmp/s.csv" &&
    mv "$tmp/s.csv" "$tmp/ref/services.csv"
run 1 "a service without a deadline" $C service import "$tmp/ref"
has "no deadline" "$tmp/err" "services.csv:$line: service subsidy_fuel has no deadline for stage otg: give 1 to 365 working days"
sed 's/^\(subsidy_fuel,.*\),2,,15$/\1,2,3,400/' "$tmp/ref/services.csv" >"$tmp/s.csv" &&
    mv "$tmp/s.csv" "$tmp/ref/services.csv"
run 1 "a deadline too long" $C service import "$tmp/ref"
has "too long" "$tmp/err" "deadline \"400\" of service subsidy_fuel, stage spszn: give 1 to 365 working days"
same "nothing changed" "$(sql "SELECT days_front || days_otg || ',' || days_spszn
    FROM services WHERE code = 'subsidy_fuel'")" "23,15"
cut -d, -f1-5 "$tmp/ref/services.csv" >"$tmp/s.csv" && mv "$tmp/s.csv" "$tmp/ref/services.csv"
run 0 "a file without deadlines" $C service import "$tmp/ref"
same "kept" "$(sql "SELECT days_front || days_otg || ',' || days_spszn
    FROM services WHERE code = 'subsidy_fuel'")" "23,15"

ctl_end
