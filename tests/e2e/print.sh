#!/bin/sh
# tests/e2e/print.sh — printing from the real client against the real
# server, driven through tmux as a ЦНАП clerk would (issue 13):
#
#  1. the receipt of an answered application, as PDF: the client says
#     where the file is, it is there with mode 0600, named for the
#     number, and holds the number, the applicant and the ЦНАП's phone
#     (pdftotext); `lp` (a stand-in on PATH) gets it when the clerk says
#     yes; hromadactl print makes the same document from the database;
#  2. the decision notice, as plain text for a dot-matrix printer
#     (CP866): the sum and the period are in it; F6 pressed while the
#     dialog asks to print closes it unprinted and reaches the case view
#     (issue 14: a modal dialog does not swallow an F-key);
#  3. «Заявника повідомлено» (F6): way and comment recorded, the case
#     shows it and the history, the database has it;
#  4. a transfer register (journal F9, F4, untick one, F2): numbered 1,
#     printed as PDF; the same register from hromadactl is the same bytes;
#  5. a printer directory that cannot be made: a clear Ukrainian message,
#     no file; a printer queue that refuses: the file stays, the clerk is
#     told; the client quits cleanly.
set -u

. "$(dirname "$0")/lib.sh"
e2e_init print sqlite3 pdftotext iconv
E2E_PORT_SALT=211
STEP=0
ctl() { "$B/hromadactl" --db "$T/h.db" "$@"; }

e2e_demo_db

# ---- the data: contacts, an answered application with a decision of known
# figures (instead of the demo's) ----

CNAP_T=$(sql "SELECT territory_id FROM users WHERE name = 'cnap'")
SPSZN_T=$(sql "SELECT territory_id FROM users WHERE name = 'spszn'")
ctl territory contacts "$CNAP_T" --phone "+380544212345" \
    --address "41400, с. Береза, вул. Центральна, 1" >/dev/null ||
	fail "hromadactl territory contacts"
demo_app "answered application of cnap" "SELECT id FROM applications
    WHERE front_office_id = $CNAP_T AND status = 'answered' ORDER BY id LIMIT 1"
SPSZN_U=$(sql "SELECT id FROM users WHERE name = 'spszn'")
sql "INSERT INTO dat_files (direction, system, number, spszn_id, name,
    created_at, stored_at, user_id, crc32, record_count, data)
    VALUES ('answer', 'asopd', 1, $SPSZN_T, 'answer.DAT', 1795000000,
    1795000000, $SPSZN_U, '00000000', 1, x'00');
    DELETE FROM decisions WHERE application_id = $APP;
    INSERT INTO decisions (application_id, decision, amount, period_from,
    period_to, imported_at, file_id) VALUES ($APP, 'assigned', 123456,
    '2027-01-01', '2027-06-30', 1795000000, last_insert_rowid());" ||
	fail "the decision"
FILE_REG=$(printf '%s' "$REG" | tr / -)
say "# application $APP, No. $REG, applicant $SURNAME"

# A stand-in for CUPS' lp: keeps what it is given.
mkdir -p "$T/bin" "$T/spool"
cat >"$T/bin/lp" <<EOF
#!/bin/sh
for f; do last=\$f; done
cp "\$last" "$T/spool/" && echo "request id is fake-1 (1 file(s))"
EOF
chmod 755 "$T/bin/lp"

start_server
PRINTDIR=$HOMEDIR/hromada-print

# ---- the client ----

# open_case [RNOKPP REG]: from the journal into a case (default: APP's)
open_case() {
	wait_screen "Журнал заяв"
	find_in_journal "${1:-$RNOKPP}"
	open_found "${2:-$REG}"
}

# print DOC_KEYS FORMAT_KEYS: F2, the document and the form chosen by
# Down presses, then the saved dialog
print_doc() {
	keys F2
	wait_screen "Що друкувати?"
	for k in $1; do keys "$k"; done
	keys Enter
	wait_screen "У якому вигляді друкувати?"
	for k in $2; do keys "$k"; done
	keys Enter
	wait_screen "Документ збережено:" 150
}

UNTOLD=$(sql "SELECT count(*) FROM applications WHERE front_office_id = $CNAP_T
    AND status = 'answered' AND notified_at IS NULL")

client cnap 100x30 screen "PATH=$T/bin:$PATH"
login cnap
pin_key
wait_screen "На зв'язку"
wait_screen "Не повідомлено про рішення: $UNTOLD"     # the cabinet's news

# 1. the receipt, PDF, sent to lp
STEP=1
open_case
wait_screen "Заявника ще не повідомлено"
print_doc "Down" "Home"
wait_screen "$PRINTDIR/receipt_$FILE_REG.pdf"
wait_screen "Надіслати його на принтер"
RECEIPT=$PRINTDIR/receipt_$FILE_REG.pdf
[ -f "$RECEIPT" ] || fail "no $RECEIPT"
[ "$(stat -c %a "$RECEIPT")" = 600 ] || fail "the receipt is not mode 0600"
[ "$(stat -c %a "$PRINTDIR")" = 700 ] || fail "the folder is not mode 0700"
pdftotext -q "$RECEIPT" "$T/receipt.txt" || fail "pdftotext"
for want in "РОЗПИСКА" "$REG" "$SURNAME" "+380544212345" "РНОКПП $RNOKPP"; do
	grep -F -q -- "$want" "$T/receipt.txt" || fail "the receipt lacks $want"
done
text "т"
wait_screen "Надіслано на принтер: request id is fake-1"
[ -f "$T/spool/receipt_$FILE_REG.pdf" ] || fail "lp did not get the receipt"
ctl print receipt "$REG" --dir "$T/ctl" >/dev/null || fail "hromadactl print receipt"
pdftotext -q "$T/ctl/receipt_$FILE_REG.pdf" "$T/receipt-ctl.txt"
cmp -s "$T/receipt.txt" "$T/receipt-ctl.txt" ||
	fail "hromadactl's receipt says something else than the client's"
say "ok 1 - receipt saved 0600 as receipt_$FILE_REG.pdf, sent to lp, same as hromadactl's"

# 2. the notice, text for a dot-matrix printer
STEP=2
print_doc "Down Down" "Down Down"
NOTICE=$PRINTDIR/notice_$FILE_REG.cp866.txt
[ -f "$NOTICE" ] || fail "no $NOTICE"
# F6 while the dialog asks (issue 14): it closes as Esc would — nothing
# printed — and the case view takes F6 (step 3 goes on from there)
keys F6
wait_gone "Документ збережено:"
wait_screen "< телефоном >"
[ ! -f "$T/spool/notice_$FILE_REG.cp866.txt" ] || fail "F6 printed the notice"
iconv -f CP866 -t UTF-8 "$NOTICE" >"$T/notice.txt" || fail "not CP866"
for want in "ПОВ""I""ДОМЛЕННЯ" "1 234,56 грн" "з 01.01.2027 по 30.06.2027" "$REG"; do
	sed 's/\xc2\xa0/ /g' "$T/notice.txt" | grep -F -q -- "$want" ||
		fail "the notice lacks $want"
done
grep -q "$(printf '\r')$" "$NOTICE" || fail "CP866 text without CR LF"
say "ok 2 - the notice as CP866 text with the sum and the period"

# 3. the applicant was told (F6 was pressed in step 2's dialog)
STEP=3
wait_screen "Заявника повідомлено"
keys Tab Tab
text "сказали про суму"
keys F2
wait_screen "Записано: заявника повідомлено"
wait_screen "Заявника повідомлено: телефоном"
[ "$(sql "SELECT notified_how FROM applications WHERE id = $APP")" = phone ] ||
	fail "the database does not say phone"
keys F3
wait_screen "створено → Формування"          # the history, drawn; its newest
keys End                                      # rows (the demo's scans fill
wait_screen "заявника повідомлено телефоном"  # its first page)
wait_screen "сказали про суму"
keys F3
say "ok 3 - told by phone: recorded, shown, in the history"

# 4. a transfer register, and hromadactl's copy of it
STEP=4
keys F9
wait_screen "Журнал заяв"
if [ "$UNTOLD" -gt 1 ]; then
	wait_screen "Не повідомлено про рішення: $((UNTOLD - 1))"
else
	wait_gone "Не повідомлено про рішення"
fi
keys F9
wait_screen "Реєстри передавання"
keys F4
wait_screen "Новий реєстр передавання до громади"
keys Tab
for i in 1 2 3 4 5 6 7 8 9 10; do keys BSpace; done
text "01.01.2026"
keys Enter
# the candidates: sent to the hromada this year, still there or further
N=$(sql "SELECT count(*) FROM applications a WHERE front_office_id = $CNAP_T
    AND status NOT IN ('draft', 'returned_front') AND EXISTS (SELECT 1
    FROM application_history h WHERE h.application_id = a.id
    AND h.to_status = 'at_otg')")
[ "$N" -ge 2 ] || fail "fewer than two candidates ($N)"
wait_screen "позначено $N з $N"
keys Space                                    # untick the first
wait_screen "позначено $((N - 1)) з $N"
keys F2
wait_screen "Скласти реєстр передавання з $((N - 1)) заяв"
keys Enter
wait_screen "Реєстр передавання № 1/"
keys Enter                                    # print it
wait_screen "У якому вигляді друкувати?"
keys Home Enter                               # PDF (CP866 was the last)
wait_screen "register_1-" 150
REGISTER=$(ls "$PRINTDIR"/register_1-*.pdf)
[ -f "$REGISTER" ] || fail "no register file"
keys Escape
ctl print register 1 --dir "$T/ctl" >/dev/null || fail "hromadactl print register"
cmp "$REGISTER" "$T/ctl/$(basename "$REGISTER")" ||
	fail "hromadactl's register is not the client's, byte for byte"
[ "$(sql "SELECT count(*) FROM transfer_register_rows WHERE register_id = 1")" = $((N - 1)) ] ||
	fail "the register does not hold $((N - 1)) rows"
say "ok 4 - register No. 1 of $((N - 1)) applications; hromadactl prints the same bytes"

# 4b. from the form: F8 saves and goes on to printing
DRAFT=$(sql "SELECT id FROM applications WHERE front_office_id = $CNAP_T
    AND status = 'draft' ORDER BY id LIMIT 1")
DRAFT_REG=$(sql "SELECT reg_no FROM applications WHERE id = $DRAFT")
DRAFT_RN=$(applicant "$DRAFT" rnokpp)
sql "UPDATE applications SET pay_method = 'bank',
    iban = 'UA213996220000026007233566001' WHERE id = $DRAFT"   # valid to save
V0=$(sql "SELECT version FROM applications WHERE id = $DRAFT")
keys F9
wait_screen "Журнал заяв"
keys F8                                       # the filter off
open_case "$DRAFT_RN" "$DRAFT_REG"
keys F4
wait_screen "Заява № $DRAFT_REG"
wait_screen "Зберегти, друк"
keys F8
wait_screen "Що друкувати?" 150
[ "$(sql "SELECT version FROM applications WHERE id = $DRAFT")" -gt "$V0" ] ||
	fail "F8 did not save"
keys Enter
wait_screen "У якому вигляді друкувати?"
keys Home Enter
wait_screen "application_$(printf '%s' "$DRAFT_REG" | tr / -).pdf" 150
keys Escape
pdftotext -q "$PRINTDIR/application_$(printf '%s' "$DRAFT_REG" | tr / -).pdf" \
    "$T/application.txt" || fail "no application PDF"
grep -q "ЗАЯВА" "$T/application.txt" && grep -q "ДЕКЛАРАЦІЯ" "$T/application.txt" ||
	fail "the application PDF lacks its parts"
say "ok 4b - F8 in the form saved $DRAFT_REG and printed it"
keys F10
expect_exit

# 5. a folder that cannot be made, a queue that refuses
STEP=5
: >"$T/afile"
cat >"$T/bin/lp" <<EOF
#!/bin/sh
echo "lp: Error - No default destination." >&2
exit 1
EOF
client cnap 100x30 screen "PATH=$T/bin:$PATH HROMADA_PRINT_DIR=$T/afile/print"
login cnap
wait_screen "На зв'язку"
open_case
keys F2
wait_screen "Що друкувати?"
keys Down Enter
wait_screen "У якому вигляді друкувати?"
keys Enter
wait_screen "Не надруковано"
wait_screen "$T/afile/print"
[ -e "$T/afile/print" ] && fail "something was made under a file"
keys Enter
keys F10
expect_exit
client cnap 100x30 screen "PATH=$T/bin:$PATH"
login cnap
wait_screen "На зв'язку"
open_case
print_doc "Down" "Home"
text "т"
wait_screen "Не надруковано"
wait_screen "No default destination"
wait_screen "Файл збережено"
keys Enter
keys F10
expect_exit
if grep -q "Sanitizer\|runtime error" "$T/client.err" 2>/dev/null; then
	fail "the sanitizers reported something (client stderr above)"
fi
say "ok 5 - no folder, no printer: told in Ukrainian, nothing half-made"
