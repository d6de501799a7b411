#!/bin/sh
# tests/e2e/base_offer.sh — an application keeps what was sent (issue 10),
# through the real client in tmux:
#
#  1. `supercnap2` (ЦНАП of Шалигинська) starts a draft for the applicant
#     of Шалигинська's checked 00004/2026, typing their РНОКПП and taking
#     them from the base;
#  2. `sta` (a starosta district of Березівська, another hromada) starts an
#     application for the same person and corrects their registration
#     address;
#  3. 00004/2026 is as the back office checked it: same version, history
#     and copy of the applicant; the base has the new address and still
#     the РНОКПП; `spszn` opening 00004/2026 sees the old address;
#  4. `supercnap2` opens the draft: the client says the base has changed
#     and offers the new address (the application's value beside the
#     base's); taken and saved, the draft has it;
#  5. sta's case history lists the correction: «Заявник: Адреса
#     реєстрації: old → new»;
#  6. emptying the РНОКПП without the refusal mark is refused in the form
#     (issue 14), nothing is saved.
#
# Waits poll the screen with timeouts; nothing sleeps a fixed time.
#
# Alike on purpose: each numbered step opens a client as one user (session),
# finds the case (find_open), checks what that user sees and closes (F10,
# the tmux server killed, say ok N) — the same frame around each step's own
# keys and checks.
set -u

. "$(dirname "$0")/lib.sh"
e2e_init offer sqlite3
E2E_PORT_SALT=211
STEP=0

# open_row REG: Enter on the journal's first row until its case opens (a
# key pressed while the page still reloads may be taken by the reload).
open_row() {
	i=0
	while ! screen_has "Заява № $1"; do
		[ $i -ge 5 ] && fail "the case $1 did not open"
		keys Enter
		poll 50 screen_has "Заява № $1"
		i=$((i + 1))
	done
}

# session USER: the client of USER (100x40), logged in, on its journal.
session() {
	client "$1" 100x40
	login "$1"
	wait_screen "Журнал заяв"
}

# find_open Q REG: the journal filtered by Q, then the case REG opened.
find_open() {
	keys /
	wait_screen "Фільтр журналу"
	text "$1"
	keys Enter
	wait_screen "$2"
	open_row "$2"
}

e2e_demo_db
CHECKED=$(sql "SELECT a.id FROM applications a JOIN territories h
    ON h.id = a.hromada_id WHERE a.reg_no = '00004/2026'
    AND h.name LIKE 'Шалигинська%' AND a.status = 'checked'")
[ -n "$CHECKED" ] || { say "the demo has no checked 00004/2026 of Шалигинська"; exit 99; }
P=$(sql "SELECT applicant_id FROM applications WHERE id = $CHECKED")
RNOKPP=$(sql "SELECT rnokpp FROM persons WHERE id = $P")
SURNAME=$(sql "SELECT surname FROM persons WHERE id = $P")
OLD=$(sql "SELECT reg_address FROM persons WHERE id = $P")
NEW="с. Береза, вул. Нова, 7"
snap() {
	sql "SELECT version, updated_at, (SELECT count(*) FROM application_history
	    WHERE application_id = $CHECKED), (SELECT group_concat(ordinal || person_id
	    || coalesce(rnokpp, '-') || surname || coalesce(reg_address, '-'), ';')
	    FROM application_persons WHERE application_id = $CHECKED)
	    FROM applications WHERE id = $CHECKED"
}
BEFORE=$(snap)
say "# 00004/2026 is application $CHECKED; its applicant $SURNAME (person $P)"

start_server

# new_app USER: F4, the first service of the picker (or the one after it
# with `next`), the person taken from the base by РНОКПП, an IBAN.
new_app() {
	keys F4
	wait_screen "Нова заява"
	focus_to "Послуга  "
	keys Enter
	wait_screen "┌"
	[ "${1:-}" = next ] && keys Down
	keys Enter
	wait_gone "┌"
	focus_to "РНОКПП  "
	text "$RNOKPP"
	keys Tab
	wait_screen "Особа з цим РНОКПП уже є в базі"
	text "т"
	wait_screen "Дані особи взято з бази"
	screen | grep -q "^ Прізвище  *$SURNAME" || fail "the person was not taken"
}

save_app() { save_with_iban "збережено; документи:"; }

# 1. the draft in Шалигинська
STEP=1
client supercnap2 100x40
login supercnap2
pin_key
wait_screen "Журнал заяв"
new_app
save_app
DRAFT_REG=$reg
DRAFT=$(sql "SELECT a.id FROM applications a JOIN territories h ON
    h.id = a.hromada_id WHERE a.reg_no = '$DRAFT_REG' AND h.name LIKE 'Шалигинська%'")
[ -n "$DRAFT" ] || fail "the draft $DRAFT_REG is not in the database"
keys F10
expect_exit
say "ok 1 - supercnap2 saved the draft $DRAFT_REG of $SURNAME"

# 2. sta corrects the registration address in a new application
STEP=2
session sta
new_app next
focus_to "Адреса реєстрації"
keys C-e C-u
text "$NEW"
keys Tab
save_app
STA_REG=$reg
keys F10
expect_exit
say "ok 2 - sta saved $STA_REG with the new address"

# 3. 00004/2026 did not move; the base has the new address and the РНОКПП
STEP=3
[ "$(snap)" = "$BEFORE" ] || fail "00004/2026 changed: $BEFORE -> $(snap)"
[ "$(sql "SELECT reg_address FROM persons WHERE id = $P")" = "$NEW" ] ||
	fail "the base did not take the new address"
[ "$(sql "SELECT rnokpp FROM persons WHERE id = $P")" = "$RNOKPP" ] ||
	fail "the base lost the РНОКПП"
session spszn
find_open "$RNOKPP" 00004/2026
wait_screen "${OLD%%,*}"
screen_has "$NEW" && fail "the back office sees the new address"
keys F10
tmux -L "$SOCK" kill-server 2>/dev/null
say "ok 3 - 00004/2026 unchanged (version, history, copy); spszn sees the old address"

# 4. the draft offers the new address; taken and saved
STEP=4
session supercnap2
find_open "$RNOKPP" "$DRAFT_REG"
keys F4
wait_screen "Дані в базі отримувачів змінилися (1 з 1)"
wait_screen "Заявник: Адреса реєстрації"
wait_screen "У заяві: ${OLD%%,*}"
wait_screen "У базі: $NEW"
text "т"
wait_screen "Взято з бази полів: 1"
screen | grep -q "^ Адреса реєстрації  *$NEW" || fail "the form did not take the address"
keys F2
wait_screen "збережено; документи:" 150
[ "$(sql "SELECT reg_address FROM application_persons WHERE application_id = $DRAFT
    AND ordinal = 0")" = "$NEW" ] || fail "the draft was not saved with the new address"
keys F10
tmux -L "$SOCK" kill-server 2>/dev/null
say "ok 4 - the draft offered the new address field by field; taken and saved"

# 5. the correction in sta's history
STEP=5
session sta
find_open "$RNOKPP" "$STA_REG"
keys F3
wait_screen "Заявник: Адреса реєстрації: ${OLD%%,*}"
wait_screen "$NEW"                          # the line wraps after "→"
say "ok 5 - sta's history shows the correction, old → new"

# 6. an emptied РНОКПП is refused in the form, without the refusal mark
STEP=6
V=$(sql "SELECT version FROM applications WHERE reg_no = '$STA_REG'
    AND front_office_id = (SELECT territory_id FROM users WHERE name = 'sta')")
keys F3                                     # back to the application
keys F4
wait_screen "Зберегти"
focus_to "РНОКПП  "
keys C-e C-u
keys F2
wait_screen "Не збережено: полів із помилками (позначені !): 1"
[ "$(sql "SELECT version FROM applications WHERE reg_no = '$STA_REG'
    AND front_office_id = (SELECT territory_id FROM users WHERE name = 'sta')")" = "$V" ] ||
	fail "the application was saved without an РНОКПП"
focus_to "РНОКПП  "                          # the only field in error:
text "$RNOKPP"                              # put back, it saves
keys F2
wait_screen "збережено; документи:" 150
keys F10
expect_exit
if grep -q "Sanitizer\|runtime error" "$T/client.err" 2>/dev/null; then
	fail "the sanitizers reported something (client stderr above)"
fi
say "ok 6 - an emptied РНОКПП is refused before anything is sent"
exit 0
