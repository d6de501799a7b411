#!/bin/sh
# tests/e2e/scans.sh — scanned documents through the real client, driven
# through tmux as a clerk and a back office specialist would:
#
#  1. `supersta` opens its draft, goes to the case's scans (Tab), attaches
#     two scans with the file picker (Ins; type-to-find a directory, then
#     the file; the second time the picker opens where the first ended)
#     and the document type picker (required ones first, type-to-find): a
#     JPEG as the passport and a PDF as the bank details; both go up in the
#     background and appear as pages of their documents, and the stored
#     files have the hashes of the originals;
#  2. the case is sent straight to the back office (F6): the package is
#     partial, so the question is loud and «Ні» is its default — Enter
#     does not send it, «т» does; the history records what was missing;
#  3. `spszn` opens the case: what is missing is at the top; in its scans
#     it saves the passport on its own PC (Enter, a directory picker, F2),
#     is told where, and the saved file is byte for byte the original.
#
# No fixed sleeps: every wait polls the screen or the database.
set -u

. "$(dirname "$0")/lib.sh"
e2e_init scans sqlite3 b2sum base64
E2E_PORT_SALT=231
STEP=0


# scan_jpeg FILE BYTES / scan_pdf FILE BYTES: files that start and end as
# those formats must (the server judges the type by the bytes).
scan_jpeg() {
	{ printf '\377\330\377\340\000\020JFIF\000'
	  head -c "$2" /dev/urandom | tr -d '\377'
	  printf '\377\331'; } >"$1"
}
scan_pdf() {
	{ printf '%%PDF-1.4\n%% scan\n'
	  head -c "$2" /dev/urandom | base64
	  printf '\n%%%%EOF\n'; } >"$1"
}

e2e_demo_db
demo_app "benefit_cash draft of supersta" "SELECT a.id FROM applications a
    JOIN users u ON u.id = a.created_by WHERE u.name = 'supersta' AND
    a.status = 'draft' AND a.service_code = 'benefit_cash' ORDER BY a.id LIMIT 1"
# The passport and the bank details are what the test attaches; the
# РНОКПП stays missing, so the package stays partial.
sql "DELETE FROM attachments WHERE application_id = $APP AND
    doc_code IN ('id_doc', 'bank_details', 'rnokpp')"
[ "$(sql "SELECT package_full FROM applications WHERE id = $APP")" = 0 ] ||
	{ say "the package did not become partial"; exit 99; }
say "# application $APP, No. $REG"

mkdir -p "$HOMEDIR/Скани" "$HOMEDIR/Збережене"
scan_jpeg "$HOMEDIR/Скани/паспорт.jpg" 150000
scan_pdf "$HOMEDIR/Скани/реквізити.pdf" 40000
H1=$(b2sum -l 256 "$HOMEDIR/Скани/паспорт.jpg" | cut -c1-64)
H2=$(b2sum -l 256 "$HOMEDIR/Скани/реквізити.pdf" | cut -c1-64)

start_server

# open_case USER: logged in (the first pins the key), the case open.
PINNED=
open_case() {
	client "$1" 100x30
	login "$1"
	if [ -z "$PINNED" ]; then
		pin_key
		PINNED=1
	fi
	wait_screen "Журнал заяв"
	find_in_journal "$RNOKPP"
	open_found "$REG"
}

# pick_doc FILTER NAME: the document type by typing, then Enter.
pick_doc() {
	wait_screen "Який це документ? (* — обов'язковий)"
	text "$1"
	wait_screen "$2 *"
	keys Enter
	wait_gone "Який це документ?"
}

# ---- 1. attach two scans ----
STEP=1
open_case supersta
keys Tab
wait_screen "Хто прикріпив"
wait_screen "Неповний пакет, бракує:"
keys IC
wait_screen "Прикріпити скан: виберіть файл"
text "скани"                      # type-to-find, case-folded
wait_screen "Скани/"
keys Enter
wait_screen "$HOMEDIR/Скани"
text "паспорт"
wait_screen "паспорт.jpg"
keys Enter
pick_doc "паспорт" "Паспорт громадянина України або ID-картка"
wait_screen "Скан «паспорт.jpg» прикріплено"
keys IC                           # opens where the last one was picked
wait_screen "$HOMEDIR/Скани"
text "реквіз"
wait_screen "реквізити.pdf"
keys Enter
pick_doc "реквізити" "Реквізити банківського рахунку"
wait_screen "Скан «реквізити.pdf» прикріплено"
wait_screen "паспорт.jpg"
wait_screen "реквізити.pdf"
[ "$(sql "SELECT count(*) FROM attachments t WHERE t.application_id = $APP
    AND ((t.doc_code = 'id_doc' AND lower(hex(t.file_hash)) = '$H1') OR
    (t.doc_code = 'bank_details' AND lower(hex(t.file_hash)) = '$H2'))")" = 2 ] ||
	fail "the stored attachments do not have the files' hashes"
for h in "$H1" "$H2"; do
	f="$T/h.files/$(printf %s "$h" | cut -c1-2)/$h"
	[ "$(b2sum -l 256 "$f" | cut -c1-64)" = "$h" ] ||
		fail "the stored file $f is not the original"
done
say "ok 1 - two scans attached through the file and document pickers; stored with their hashes"

# ---- 2. send the partial package up ----
STEP=2
keys F6
wait_screen "ПАКЕТ НЕПОВНИЙ."
wait_screen "Бракує: Довідка про присвоєння РНОКПП"
keys Enter                        # the default is «Ні»
wait_gone "ПАКЕТ НЕПОВНИЙ."
[ "$(sql "SELECT status FROM applications WHERE id = $APP")" = draft ] ||
	fail "Enter sent the partial package"
keys F6
wait_screen "ПАКЕТ НЕПОВНИЙ."
text "т"
wait_screen "Виконано. Статус:"
[ "$(sql "SELECT status FROM applications WHERE id = $APP")" = at_spszn ] ||
	fail "the case did not reach the back office"
[ "$(sql "SELECT event_detail FROM application_history WHERE application_id
    = $APP ORDER BY id DESC LIMIT 1")" = rnokpp ] ||
	fail "the history does not record what was missing"
keys F10
expect_exit
say "ok 2 - a partial package is sent only when confirmed; the history records what was missing"

# ---- 3. the back office saves a scan ----
STEP=3
open_case spszn
wait_screen "Неповний пакет, бракує: Довідка про присвоєння РНОКПП"
keys Tab
wait_screen "паспорт.jpg"
# The rows follow the service's documents in its order (a document without
# a scan is one "none" row): the passport's row is below those before it.
DOWN=$(sql "SELECT coalesce(sum(max(1, (SELECT count(*) FROM attachments t
    WHERE t.application_id = $APP AND t.doc_code = sd.doc_code))), 0)
    FROM service_documents sd WHERE sd.service_code = 'benefit_cash' AND
    sd.ordinal < (SELECT ordinal FROM service_documents WHERE service_code =
    'benefit_cash' AND doc_code = 'id_doc')")
i=0
while [ "$i" -lt "$DOWN" ]; do
	keys Down
	i=$((i + 1))
done
keys Enter
wait_screen "Зберегти скан: виберіть каталог"
text "збереж"
wait_screen "Збережене/"
keys Enter
wait_screen "$HOMEDIR/Збережене"
keys F2
wait_screen "Скан збережено: $HOMEDIR/Збережене/"
SAVED=$(ls "$HOMEDIR/Збережене/")
[ -n "$SAVED" ] || fail "nothing was saved"
cmp "$HOMEDIR/Збережене/$SAVED" "$HOMEDIR/Скани/$SAVED" ||
	fail "the saved scan $SAVED differs from the original"
[ "$(sql "SELECT count(*) FROM audit_log WHERE action = 'attachment.read'")" -ge 1 ] ||
	fail "reading the scan was not audited"
say "ok 3 - the back office saved $SAVED; it is the original byte for byte; the read is audited"

keys F10
expect_exit
if grep -q "Sanitizer\|runtime error" "$T/client.err" 2>/dev/null; then
	fail "the sanitizers reported something (client stderr above)"
fi
say "ok 4 - the clients quit cleanly"
