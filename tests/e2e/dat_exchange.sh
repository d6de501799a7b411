#!/bin/sh
# tests/e2e/dat_exchange.sh — the back office's *.DAT exchange through the
# terminal client, driven through tmux: `spszn` presses F6 «Вивантажити»,
# picks АСОПД, keeps the default directory and confirms; the file
# asopd_<office>_000001.DAT appears in ~/hromada-dat/ with mode 0600 and
# the checked АСОПД applications are exported.  Then F7 «Завантажити
# відповідь» with a damaged file: the parse error (line and field) is shown
# and nothing changes.  No fixed sleeps: every wait polls the screen.
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
[ "$(sql "SELECT count(*) FROM dat_files WHERE direction = 'answer'")" = 0 ] ||
	fail "an answer was stored"
say "PASS: dat exchange through the client"
