#!/bin/sh
# tests/e2e/dat_exchange.sh — the back office's *.DAT exchange through the
# terminal client, driven through tmux.  With nothing marked, F6 takes the
# journal's filter (issue 17 point 2): filtered by one applicant's РНОКПП
# (typed after `/`), the confirmation gives the filter and the count of
# its checked АСОПД applications with the partial packages among them,
# and exactly those are exported — the other checked ones stay.  Then,
# the filter cleared, `spszn` presses F6 «Вивантажити»;
# the systems are listed with how many checked applications go to each and
# how many of them are partial packages (issue 17), it picks АСОПД, keeps
# the default directory and the confirmation repeats the counts; the file
# asopd_<office>_000002.DAT appears in ~/hromada-dat/ with mode 0600 and
# the rest of the checked АСОПД applications are exported.  Then F7 «Завантажити
# відповідь» opens the keyboard file picker: a damaged file (typed as a
# path) is refused with its own title, «Пошкоджений файл», and the parse
# error (line and field); an answer naming an unknown application and one
# application twice is shown before anything happens — «Що зробить файл»
# with each refused line titled by its kind («Заяву не знайдено», «Та сама
# заява двічі»), not «Неможливо в поточному статусі» — and cannot be
# applied; the good answer, found by typing part of its name (*.DAT
# first), shows its decisions by kind and its applications, and Enter
# imports it: the journal shows the decisions in the status column,
# «Призначено 3125,50» and «Відмовлено», and the filter by decision finds
# them (issue 14).  No fixed sleeps: every wait polls the screen.
#
# Alike on purpose: the two filter-by-decision checks pick a choice
# (pick_decision), then look for the row that must be listed and the one
# that must not — the same check on the two decisions.
set -u

. "$(dirname "$0")/lib.sh"
e2e_init dat sqlite3

e2e_demo_db
OURS="a.spszn_id = (SELECT territory_id FROM users WHERE name = 'spszn')"
CHECKED=$(sql "SELECT count(*) FROM applications a JOIN services s ON
    s.code = a.service_code WHERE a.status = 'checked' AND s.system = 'asopd'
    AND $OURS")
[ "$CHECKED" -gt 0 ] || { say "the demo has no checked АСОПД applications"; exit 99; }
PARTIAL=$(sql "SELECT count(*) FROM applications a JOIN services s ON
    s.code = a.service_code WHERE a.status = 'checked' AND s.system = 'asopd'
    AND a.package_full = 0 AND $OURS")
EXPORTED0=$(sql "SELECT count(*) FROM applications WHERE status = 'exported'")
# The applicant with the fewest checked АСОПД applications, and theirs.
RNOKPP=$(sql "SELECT p.rnokpp FROM applications a JOIN services s ON s.code =
    a.service_code JOIN persons p ON p.id = a.applicant_id WHERE a.status =
    'checked' AND s.system = 'asopd' AND p.rnokpp IS NOT NULL AND $OURS
    GROUP BY p.id ORDER BY count(*), p.id LIMIT 1")
APPLICANT="p.id = a.applicant_id AND p.rnokpp = '$RNOKPP'"
FK=$(sql "SELECT count(*) FROM applications a JOIN services s ON s.code =
    a.service_code, persons p WHERE a.status = 'checked' AND s.system =
    'asopd' AND $OURS AND $APPLICANT")
FP=$(sql "SELECT count(*) FROM applications a JOIN services s ON s.code =
    a.service_code, persons p WHERE a.status = 'checked' AND s.system =
    'asopd' AND a.package_full = 0 AND $OURS AND $APPLICANT")
FALL=$(sql "SELECT count(*) FROM applications a, persons p WHERE
    a.status = 'checked' AND $OURS AND $APPLICANT")
[ -n "$RNOKPP" ] && [ "$FK" -gt 0 ] && [ "$FK" -lt "$CHECKED" ] ||
	{ say "no applicant with some, not all, checked АСОПД applications"; exit 99; }
start_server
client spszn
login spszn
pin_key
wait_screen "6Вивант"   # the key bar shortens labels to fit 80 columns

STEP="export by the filter"
text "/"
wait_screen "Фільтр журналу"
text "$RNOKPP"
keys F2
wait_gone "Фільтр журналу"
wait_screen "«$RNOKPP»"
keys F6
wait_screen "Зберегти файл у каталог:"
keys Enter
wait_screen "Вивантаження за фільтром"
wait_screen "Вивантажити перевірені заяви за фільтром"
wait_screen "Фільтр: «$RNOKPP»"
wait_screen "АСОПД: державні допомоги: заяв $FK, з них неповних пакетів: $FP"
text "т"
wait_screen "Вивантажено: $FALL; не вивантажено: 0." 200
N=$(sql "SELECT count(*) FROM applications a, persons p WHERE
    a.status = 'checked' AND $OURS AND $APPLICANT")
[ "$N" = 0 ] || fail "$N checked applications of the filter were not exported"
N=$(sql "SELECT count(*) FROM applications WHERE status = 'exported'")
[ "$N" = $((EXPORTED0 + FALL)) ] ||
	fail "$N exported, expected $EXPORTED0 + $FALL (the filter's alone)"
ls "$HOMEDIR/hromada-dat/" | grep -q '^asopd_.*_000001\.DAT$' ||
	fail "no asopd file No. 1 for the filter"
keys Enter
wait_gone "Вивантажено: $FALL; не вивантажено"
keys F8
wait_gone "«$RNOKPP»"
say "ok - F6 with a filter exports the filter's $FALL checked applications alone"
CHECKED=$((CHECKED - FK)) PARTIAL=$((PARTIAL - FP))
EXPORTED0=$((EXPORTED0 + FALL))

STEP="export of every checked one"
keys F6
wait_screen "До якої системи вивантажити?"
# each system with its count and the partial packages among them
wait_screen "АСОПД: державні допомоги: заяв $CHECKED, з них неповних пакетів: $PARTIAL"
keys Enter
wait_screen "Зберегти файл у каталог:"
keys Enter
wait_screen "Вивантажити перевірені заяви ($CHECKED) до системи АСОПД"
wait_screen "З них неповних пакетів: $PARTIAL."
text "т"
wait_screen "Файл обміну № 2 збережено" 200
F=$(ls "$HOMEDIR/hromada-dat/" | grep '^asopd_.*_000002\.DAT$')
[ -n "$F" ] || fail "no exported file in ~/hromada-dat"
MODE=$(stat -c %a "$HOMEDIR/hromada-dat/$F")
[ "$MODE" = 600 ] || fail "the file has mode $MODE, not 600"
head -1 "$HOMEDIR/hromada-dat/$F" | grep -q "^HROMADA-DAT|1|export|UTF-8|asopd|000002|" ||
	fail "the file does not start with the header"
N=$(sql "SELECT count(*) FROM applications WHERE status = 'exported'")
[ "$N" = $((EXPORTED0 + CHECKED)) ] || fail "$N exported, expected $EXPORTED0 + $CHECKED"
keys Enter
wait_gone "Файл обміну № 2 збережено"

printf 'HROMADA-DAT|1|answer|UTF-8|asopd|000001|X\n' >"$HOMEDIR/bad.DAT"
keys F7
wait_screen "Завантаження відповіді: виберіть файл"
text "~/bad.DAT"
keys Enter
# Its own title, and the parser's error in Ukrainian: its line, what is wrong.
wait_screen "Пошкоджений файл"
wait_screen "Рядок 1: заголовок: полів 7, а має бути 9"
keys Enter
wait_gone "Рядок 1: заголовок"

# Answers: the first two applications of the export.  CRC-32 from gzip's
# trailer (no other tool needed).  mkanswer OUT RECORDS LINES...
OFFICE=$(head -1 "$HOMEDIR/hromada-dat/$F" | cut -d'|' -f7)
grep '^A|' "$HOMEDIR/hromada-dat/$F" | head -2 | cut -d'|' -f2,3 >"$T/two"
[ "$(wc -l <"$T/two")" = 2 ] || fail "the export has fewer than two applications"
R1=$(sed -n 1p "$T/two" | cut -d'|' -f2)
R2=$(sed -n 2p "$T/two" | cut -d'|' -f2)
mkanswer() {
	out=$1 n=$2
	shift 2
	{
		printf 'HROMADA-DAT|1|answer|UTF-8|asopd|000001|%s|2026-12-01T09:00:00Z|%s\n' "$OFFICE" "$n"
		for l in "$@"; do printf '%s\n' "$l"; done
	} >"$T/body"
	CRC=$(gzip -c "$T/body" | tail -c 8 | head -c 4 | od -An -tx4 | tr -d ' ')
	{ cat "$T/body"; printf 'END|%s|%s\n' "$n" "$CRC"; } >"$out"
}
D1="D|$(sed -n 1p "$T/two")|assigned|312550|2026-12-01|2027-05-31|"
D2="D|$(sed -n 2p "$T/two")|refused||||дохід перевищує межу"

# An unknown application and one application twice: the preview says so,
# each line titled by its kind, and the file cannot be applied (nothing
# stored beside the demo's answers).
DEMO_ANSWERS=$(sql "SELECT count(*) FROM dat_files WHERE direction = 'answer'
    AND spszn_id = (SELECT territory_id FROM users WHERE name = 'spszn')")
DEMO_DECISIONS=$(sql "SELECT count(*) FROM decisions d JOIN dat_files f ON
    f.id = d.file_id WHERE f.spszn_id = (SELECT territory_id FROM users
    WHERE name = 'spszn')")
STEP="preview of a refused answer"
mkanswer "$HOMEDIR/twice.DAT" 3 "$D1" "$D1" "D|99999999|00001/2024|refused||||-"
keys F7
wait_screen "Завантаження відповіді: виберіть файл"
text "~/twice.DAT"
keys Enter
wait_screen "Що зробить файл"
wait_screen "Записів, які не можна застосувати: 2"
wait_screen "рядок 3: Та сама заява двічі: Та сама заява, що й у рядку 2"
wait_screen "рядок 4: Заяву не знайдено"
screen_has "Неможливо в поточному статусі" && fail "a refusal is titled «Неможливо в поточному статусі»"
screen_has "Enter: завантажити" && fail "a file that cannot be applied offers Enter"
keys Escape
wait_gone "Що зробить файл"
[ "$(sql "SELECT count(*) FROM dat_files WHERE direction = 'answer' AND
    spszn_id = (SELECT territory_id FROM users WHERE name = 'spszn')")" = "$DEMO_ANSWERS" ] ||
	fail "an answer was stored"
say "ok - the preview names each refused line by its kind"

# The good answer, found in the picker by typing part of its name: the
# preview gives the decisions by kind and the applications, Enter imports.
STEP="answer with decisions"
mkanswer "$HOMEDIR/hromada-dat/asopd_answer_000001.DAT" 2 "$D1" "$D2"
keys F7
wait_screen "Завантаження відповіді: виберіть файл"
text "answer"
wait_screen "asopd_answer_000001.DAT"
keys Enter
wait_screen "Що зробить файл"
wait_screen "Відповідь АСОПД: державні допомоги № 000001, записів: 2"
screen | grep -Eq "Призначено +1" && screen | grep -Eq "Відмовлено +1" &&
	screen | grep -Eq "Взято на облік +0" ||
	fail "the preview does not give the decisions by kind"
wait_screen "$R1"
wait_screen "$R2"
[ "$(sql "SELECT count(*) FROM decisions d JOIN dat_files f ON
    f.id = d.file_id WHERE f.spszn_id = (SELECT territory_id FROM users
    WHERE name = 'spszn')")" = "$DEMO_DECISIONS" ] || fail "the preview changed something"
keys Enter
wait_screen "Завантажено рішень: 2" 200
keys Enter
wait_gone "Завантажено рішень"
# The same file picked twice, and a file of another back office: each
# its own title, said before anything happens.
STEP="a file picked twice"
keys F7
wait_screen "Завантаження відповіді: виберіть файл"
text "answer"
wait_screen "asopd_answer_000001.DAT"
keys Enter
wait_screen "Файл уже завантажено"
wait_screen "вже завантажено"
keys Enter
wait_gone "Файл уже завантажено"
STEP="a file of another back office"
OFFICE_REAL=$OFFICE OFFICE=UA99999999999999999
mkanswer "$HOMEDIR/other.DAT" 1 "$D2"
OFFICE=$OFFICE_REAL
keys F7
wait_screen "Завантаження відповіді: виберіть файл"
text "~/other.DAT"
keys Enter
wait_screen "Файл іншого бек-офісу"
keys Enter
wait_gone "Файл іншого бек-офісу"
say "ok - a file picked twice and another back office's file are refused by name"
[ "$(sql "SELECT count(*) FROM decisions d JOIN dat_files f ON
    f.id = d.file_id WHERE f.spszn_id = (SELECT territory_id FROM users
    WHERE name = 'spszn')")" = "$((DEMO_DECISIONS + 2))" ] ||
	fail "the answer's decisions were not stored"
# The filter by decision: the assigned one, its sum in the status column;
# then the refused one alone.
pick_decision() {              # pick_decision DOWNS: DOWNS below the current choice
	filter_pick "Tab Enter" "Рішення ще немає" "$(downs "$1")"
}
pick_decision 2
wait_screen "Фільтр: Призначено"
poll 100 screen_has "$R1" || fail "the assigned $R1 is not listed"
screen | grep -F -- "$R1" | grep -q "Призначено 3125,50" ||
	fail "the row $R1 does not show «Призначено 3125,50»"
screen_has "$R2" && fail "the refused $R2 is listed among the assigned"
say "ok - the journal shows $R1 «Призначено 3125,50» under the filter by decision"
pick_decision 1                # the picker opens on the current one
wait_screen "Фільтр: Відмовлено"
poll 100 screen_has "$R2" || fail "the refused $R2 is not listed"
screen | grep -F -- "$R2" | grep -q "Відмовлено" ||
	fail "the row $R2 does not show «Відмовлено»"
screen_has "$R1" && fail "the assigned $R1 is listed among the refused"
say "ok - the filter by decision lists $R2 alone"
say "PASS: dat exchange through the client"
