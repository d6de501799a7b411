#!/bin/sh
# tests/e2e/batch.sh — the back office's batch work through the terminal
# client at TERM=vt100 (no colours: the mark must show by itself), driven
# through tmux (issue 17):
#
#  1. `spszn` marks two rows with Space: they show a `*` after the number,
#     the filter line «Позначено: 2», the key bar «2Дії»; `-` clears;
#  2. marks one row, `*` marks every application of the journal (the
#     server names them, all pages): «Позначено: N» with the journal's
#     count; the marked set survives paging (PgDn and back);
#  3. one at_spszn application is changed by someone else meanwhile (its
#     version moves on in the database);
#  4. F2 → «Позначити перевіреними» → confirm: the summary says how many
#     moved and how many were refused, names the changed one «змінив(ла)»
#     and one not in a status the action applies to; the database has the
#     others checked and the changed one untouched;
#  5. after the summary the refused ones stay marked, the moved ones do
#     not; `-` clears;
#  6. `*` and F2 → «Вивантажити до систем призначення»: dat.export's dry
#     run says how many are not exported, and the checked ones go to
#     numbered *.DAT files.
# No fixed sleeps: every wait polls the screen.
set -u

. "$(dirname "$0")/lib.sh"
e2e_init batch sqlite3
E2E_PORT_SALT=171

e2e_demo_db
# the back office's scope (the demo may hold other oblasts' applications)
SC="spszn_id = (SELECT territory_id FROM users WHERE name = 'spszn')"
AT=$(sql "SELECT count(*) FROM applications WHERE status = 'at_spszn' AND $SC")
[ "$AT" -ge 3 ] || { say "the demo has too few at_spszn applications"; exit 99; }
SEEN=$(sql "SELECT count(*) FROM applications WHERE status IN ('at_spszn',
    'returned_otg', 'checked', 'exported', 'answered') AND $SC")
CHECKED0=$(sql "SELECT count(*) FROM applications WHERE status = 'checked'")
[ "$SEEN" -le 2000 ] || { say "the demo's back office sees more than 2000"; exit 99; }
# The at_spszn application someone else changes, and the newest row.
CHANGED=$(sql "SELECT id FROM applications WHERE status = 'at_spszn' AND $SC
    ORDER BY id LIMIT 1")
CHANGED_NO=$(sql "SELECT reg_no FROM applications WHERE id = $CHANGED")
TOP_NO=$(sql "SELECT reg_no FROM applications WHERE status IN ('at_spszn',
    'returned_otg', 'checked', 'exported', 'answered') AND $SC
    ORDER BY id DESC LIMIT 1")
SECOND_NO=$(sql "SELECT reg_no FROM applications WHERE status IN ('at_spszn',
    'returned_otg', 'checked', 'exported', 'answered') AND $SC
    ORDER BY id DESC LIMIT 1 OFFSET 1")

start_server
client spszn 80x24 vt100
login spszn
pin_key
wait_screen "Журнал заяв"
wait_screen "$TOP_NO"

STEP=1
keys Space
wait_screen "$TOP_NO*"
wait_screen "Позначено: 1"
wait_screen "2Дії"
keys Space
wait_screen "$SECOND_NO*"
wait_screen "Позначено: 2"
text "-"
wait_screen "Позначки знято: 2"
wait_gone "$TOP_NO*"
wait_gone "Позначено: 2"

STEP=2
keys Home
keys Space
wait_screen "Позначено: 1"
text "*"
wait_screen "Позначено: $SEEN (фільтру відповідає $SEEN)"
wait_screen " Позначено: $SEEN"
keys PgDn
keys PgDn
keys Home
wait_screen "$TOP_NO*"
wait_screen " Позначено: $SEEN"

STEP=3
sql "UPDATE applications SET version = version + 1 WHERE id = $CHANGED"

STEP=4
keys F2
wait_screen "Що зробити з позначеними заявами?"
wait_screen "Позначити перевіреними"
keys Enter
wait_screen "Позначено заяв: $SEEN. Виконати для кожної?"
keys Enter
MOVED=$((AT - 1))
REFUSED=$((SEEN - MOVED))
wait_screen "Переведено: $MOVED із $SEEN. Відмовлено: $REFUSED." 300
wait_screen "Відмовлено (лишаються позначеними):"
screen | grep -F -q "Заяву $CHANGED_NO змінив(ла)" ||
	fail "the changed application is not named as changed"
screen | grep -F -q "дія «Позначити як перевірену» звідти" ||
	fail "no refusal for a status the action does not apply to"
N=$(sql "SELECT count(*) FROM applications WHERE status = 'checked'")
[ "$N" = $((CHECKED0 + MOVED)) ] || fail "$N checked, expected $CHECKED0 + $MOVED"
[ "$(sql "SELECT status FROM applications WHERE id = $CHANGED")" = at_spszn ] ||
	fail "the changed application moved"
[ "$(sql "SELECT count(*) FROM audit_log WHERE action = 'application.batch'")" = 1 ] ||
	fail "no audit record of the batch"
# the summary scrolls: the moved list is at its end
keys End
wait_screen "Переведено в статус «Заяву перевірено на рівні СПСЗН»:"

STEP=5
keys Escape
wait_gone "Відмовлено (лишаються позначеними):"
wait_screen " Позначено: $REFUSED"
text "-"
wait_screen "Позначки знято: $REFUSED"
wait_gone "Позначено: $REFUSED"

STEP=6    # the marked set to *.DAT: dat.export's dry run, then the files
CHK=$(sql "SELECT count(*) FROM applications WHERE status = 'checked' AND $SC")
EXP0=$(sql "SELECT count(*) FROM applications WHERE status = 'exported'")
[ "$CHK" -ge 1 ] || fail "nothing checked to export"
text "*"
wait_screen " Позначено: $SEEN"
keys F2
wait_screen "Вивантажити до систем призначення (*.DAT)"
keys Down Down Enter
wait_screen "Зберегти файл у каталог:"
keys Enter
wait_screen "Вивантаження позначених заяв"
wait_screen "Не буде вивантажено (не перевірені, змінені тим часом або не знайдені): $((SEEN - CHK))"
text "т"
wait_screen "Вивантажено: $CHK; не вивантажено: $((SEEN - CHK))." 200
N=$(sql "SELECT count(*) FROM applications WHERE status = 'exported'")
[ "$N" = $((EXP0 + CHK)) ] || fail "$N exported, expected $EXP0 + $CHK"
ls "$HOMEDIR"/hromada-dat/*.DAT >/dev/null 2>&1 || fail "no *.DAT file saved"
keys Enter

keys F10
expect_exit
say "PASS"
