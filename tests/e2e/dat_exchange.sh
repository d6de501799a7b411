#!/bin/sh
# tests/e2e/dat_exchange.sh — the back office's *.DAT exchange through the
# terminal client, driven through tmux: `spszn` presses F6 «Вивантажити»,
# picks АСОПД, keeps the default directory and confirms; the file
# asopd_<office>_000001.DAT appears in ~/hromada-dat/ with mode 0600 and
# the checked АСОПД applications are exported.  Then F7 «Завантажити
# відповідь» with a damaged file: the parse error (line and field) is shown
# and nothing changes.  Then a good answer with two decisions: the journal
# shows them in the status column, «Призначено 3125,50» and «Відмовлено»,
# and the filter by decision finds them (issue 14).  No fixed sleeps:
# every wait polls the screen.
set -u

. "$(dirname "$0")/lib.sh"
e2e_init dat sqlite3
sql() { sqlite3 "$T/h.db" "$1"; }

e2e_demo_db
CHECKED=$(sql "SELECT count(*) FROM applications a JOIN services s ON
    s.code = a.service_code WHERE a.status = 'checked' AND s.system = 'asopd'")
[ "$CHECKED" -gt 0 ] || { say "the demo has no checked АСОПД applications"; exit 99; }
EXPORTED0=$(sql "SELECT count(*) FROM applications WHERE status = 'exported'")
start_server
client spszn
login spszn
pin_key
wait_screen "6Вивант"   # the key bar shortens labels to fit 80 columns

keys F6
wait_screen "До якої системи вивантажити?"
keys Enter
wait_screen "Зберегти файл у каталог:"
keys Enter
wait_screen "Вивантажити всі перевірені заяви"
text "т"
wait_screen "Файл обміну № 1 збережено" 200
F=$(ls "$HOMEDIR/hromada-dat/" | grep '^asopd_.*_000001\.DAT$')
[ -n "$F" ] || fail "no exported file in ~/hromada-dat"
MODE=$(stat -c %a "$HOMEDIR/hromada-dat/$F")
[ "$MODE" = 600 ] || fail "the file has mode $MODE, not 600"
head -1 "$HOMEDIR/hromada-dat/$F" | grep -q "^HROMADA-DAT|1|export|UTF-8|asopd|000001|" ||
	fail "the file does not start with the header"
N=$(sql "SELECT count(*) FROM applications WHERE status = 'exported'")
[ "$N" = $((EXPORTED0 + CHECKED)) ] || fail "$N exported, expected $EXPORTED0 + $CHECKED"
keys Enter
wait_gone "Файл обміну № 1 збережено"

printf 'HROMADA-DAT|1|answer|UTF-8|asopd|000001|X\n' >"$HOMEDIR/bad.DAT"
keys F7
wait_screen "Шлях до файлу відповіді"
keys C-u
text "~/bad.DAT"
keys Enter
# The parser's error in Ukrainian, its line and what is wrong.
wait_screen "Рядок 1: заголовок: полів 7, а має бути 9"
keys Enter
wait_gone "Рядок 1: заголовок"
# A folder given for the file: said so, not "the file is empty".
keys F7
wait_screen "Шлях до файлу відповіді"
keys C-u
text "~/"
keys Enter
wait_screen "це тека: вкажіть назву файла в ній"
[ "$(sql "SELECT count(*) FROM dat_files WHERE direction = 'answer' AND
    spszn_id = (SELECT territory_id FROM users WHERE name = 'spszn')")" = 0 ] ||
	fail "an answer was stored"
keys Enter
wait_gone "це тека"

# A good answer: the first two applications of the export, one assigned
# 3125,50, one refused.  CRC-32 from gzip's trailer (no other tool needed).
STEP="answer with decisions"
OFFICE=$(head -1 "$HOMEDIR/hromada-dat/$F" | cut -d'|' -f7)
grep '^A|' "$HOMEDIR/hromada-dat/$F" | head -2 | cut -d'|' -f2,3 >"$T/two"
[ "$(wc -l <"$T/two")" = 2 ] || fail "the export has fewer than two applications"
R1=$(sed -n 1p "$T/two" | cut -d'|' -f2)
R2=$(sed -n 2p "$T/two" | cut -d'|' -f2)
{
	printf 'HROMADA-DAT|1|answer|UTF-8|asopd|000001|%s|2026-12-01T09:00:00Z|2\n' "$OFFICE"
	printf 'D|%s|assigned|312550|2026-12-01|2027-05-31|\n' "$(sed -n 1p "$T/two")"
	printf 'D|%s|refused||||дохід перевищує межу\n' "$(sed -n 2p "$T/two")"
} >"$T/body"
CRC=$(gzip -c "$T/body" | tail -c 8 | head -c 4 | od -An -tx4 | tr -d ' ')
{ cat "$T/body"; printf 'END|2|%s\n' "$CRC"; } >"$HOMEDIR/good.DAT"
keys F7
wait_screen "Шлях до файлу відповіді"
keys C-u
text "~/good.DAT"
keys Enter
wait_screen "Завантажено рішень: 2" 200
keys Enter
wait_gone "Завантажено рішень"
[ "$(sql "SELECT count(*) FROM decisions d JOIN dat_files f ON
    f.id = d.file_id WHERE f.spszn_id = (SELECT territory_id FROM users
    WHERE name = 'spszn')")" = 2 ] ||
	fail "the answer's decisions were not stored"
# The filter by decision: the assigned one, its sum in the status column;
# then the refused one alone.
pick_decision() {              # pick_decision DOWNS: DOWNS below the current choice
	keys F3
	wait_screen "Фільтр журналу"
	keys Tab Enter
	wait_screen "Рішення ще немає"
	i=0
	while [ $i -lt "$1" ]; do keys Down; i=$((i + 1)); done
	keys Enter
	wait_gone "Рішення ще немає"
	keys F2
	wait_gone "Фільтр журналу"
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
