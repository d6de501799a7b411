#!/bin/sh
# screens.sh — golden screens at 80x24: every role's cabinet (the journal,
# or the report, or the users) and, for the roles with a journal, the case
# view of its first application, captured through tmux (capture-pane)
# from the real client against the real server with the demo data, and
# compared with tests/e2e/golden/<role>-<screen>.txt.  A change of the
# layout shows here as a diff; HROMADA_GOLDEN_UPDATE=1 writes the files
# anew (look at them before committing).
#
# Then the case view after an edit: «Оновлено» shows the time of the edit.
#
# The demo data have fixed dates; TZ=UTC makes the times fixed too, and
# HROMADA_TODAY the day the cases' clocks are read against (hromadad(8)),
# so the days left in the journal and the case view stay the same.
set -u

. "$(dirname "$0")/lib.sh"
e2e_init screens
need_test_hooks
E2E_PORT_SALT=277
TZ=UTC
HROMADA_TODAY=2026-12-07
export TZ HROMADA_TODAY
G=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/golden

e2e_demo_db
start_server

# compare NAME: the screen now against golden/NAME.txt
compare() {
	screen | sed 's/ *$//' >"$T/$1.txt"
	if [ -n "${HROMADA_GOLDEN_UPDATE:-}" ]; then
		cp "$T/$1.txt" "$G/$1.txt"
		say "# wrote golden/$1.txt"
		return 0
	fi
	[ -f "$G/$1.txt" ] || fail "no golden/$1.txt (HROMADA_GOLDEN_UPDATE=1 makes it)"
	if ! diff -u "$G/$1.txt" "$T/$1.txt" >"$T/$1.diff"; then
		cat "$T/$1.diff"
		fail "$1 differs from golden/$1.txt"
	fi
}

# The rows of the journal have come (not only its header).
journal_rows() { screen | sed -n '8p' | grep -q '[0-9]\{5\}/20'; }

PIN=1
session() {
	client "$1" 80x24 xterm-256color
	login "$1"
	if [ -n "$PIN" ]; then
		wait_screen "Невідомий сервер"
		text "т"
		PIN=
	fi
}

nok=0
for role in sta cnap supersta supercnap upo spszn; do
	STEP="journal of $role"
	session "$role"
	wait_screen "Журнал заяв"
	poll 100 journal_rows || fail "no rows in the journal of $role"
	sleep 0.3                      # the rows, then the counts: let it settle
	compare "$role-journal"
	STEP="case view of $role"
	keys Enter
	wait_screen "Заява №"
	wait_screen "Послуга:"
	sleep 0.3
	compare "$role-case"
	keys F10
	expect_exit
	nok=$((nok + 1))
	say "ok $nok - $role: journal and case view at 80x24"
done
for role in oblast ministry admin; do
	STEP="cabinet of $role"
	session "$role"
	case $role in
	admin) wait_screen "Користувачі" ;;
	*)     wait_screen "Заяви за" ;;
	esac
	sleep 1
	compare "$role-cabinet"
	keys F10
	expect_exit
	nok=$((nok + 1))
	say "ok $nok - $role: cabinet at 80x24"
done

# «Оновлено» after an edit: sta's draft 00009/2026, a new phone, saved.
STEP="updated after an edit"
session sta
wait_screen "Журнал заяв"
poll 100 journal_rows || fail "no rows in the journal"
text "00009"
wait_screen "Пошук: 00009"
keys Enter
wait_screen "Заява № 00009/2026"
was=$(screen | sed -n 's/.*Оновлено: \([0-9.: ]*\).*/\1/p' | head -n 1)
keys F4
wait_screen "Заява № 00009/2026, Формування"
focus_to "Телефон"
keys C-u
text "0671112233"
# the draft pays to a bank account it does not have yet
focus_to "IBAN"
keys C-u
text "UA213223130000026007233566001"
keys F2
wait_screen "збережено" 150
wait_screen "Заява № 00009/2026"
today=$(date -u +%d.%m.%Y)
wait_screen "Оновлено: $today"
screen | grep -q "Телефон: +380671112233" || fail "the new phone is not shown"
[ "$was" != "$(screen | sed -n 's/.*Оновлено: \([0-9.: ]*\).*/\1/p' | head -n 1)" ] ||
	fail "«Оновлено» did not change ($was)"
keys F10
expect_exit
nok=$((nok + 1))
say "ok $nok - «Оновлено» shows the edit ($was -> $today)"
say "PASS: golden screens and the case view after an edit"
