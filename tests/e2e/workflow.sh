#!/bin/sh
# tests/e2e/workflow.sh — one application through its whole life, by four
# people in four fresh `hromada` sessions, driven through tmux like clerks
# would drive it (the acceptance test of the case view and the workflow):
#
#  1. `sta` (starosta district) opens its demo draft and sends it to the
#     hromada: draft -> at_otg;
#  2. `upo` (hromada's social unit) finds it with the filter dialog
#     (status, date range, front office) and returns it with a reason (an
#     empty reason is refused): at_otg -> returned_front;
#  3. `sta` sees the reason on top and sends it again: -> at_otg;
#  4. `supersta` (super user of the same hromada, another district) checks
#     it and sends it straight to the back office: at_otg -> at_spszn;
#     `upo`, who had it open meanwhile, tries to return it: the server
#     refuses the old version, upo is told and sees it reloaded;
#  5. `spszn` returns it to the hromada with a reason: -> returned_otg;
#  6. `upo` sends it: -> at_spszn;
#  7. `spszn` marks it checked: -> checked; the history lists every
#     transition with both reasons.
#
# And who sees what: `sta` sees only its own district (not the sibling
# district's applications), the back office's journal has no drafts,
# `oblast` has no journal of persons.  The application and the identifiers
# are read from the demo database, so the test does not depend on how the
# demo is generated.  No fixed sleeps: every wait polls the screen.
set -u

. "$(dirname "$0")/lib.sh"
e2e_init wf sqlite3
SOCK1=$SOCK                 # the main session; $SOCK1-b a second one
EXTRA_SOCKS="$SOCK1 $SOCK1-b"
E2E_PORT_SALT=77
STEP=0

line_starts() { screen | grep -q -- "^ $1"; }
wait_line() { poll "${2:-100}" line_starts "$1" || fail "no line \" $1\""; }

# ---- the server and the demo ----

e2e_demo_db

# The application: sta's first draft.  Its reg_no and applicant's РНОКПП.
STA_T=$(sql "SELECT territory_id FROM users WHERE name = 'sta'")
demo_app "draft of sta" "SELECT id FROM applications
    WHERE front_office_id = $STA_T AND status = 'draft' ORDER BY id LIMIT 1"
STA_TOTAL=$(sql "SELECT count(*) FROM applications WHERE front_office_id = $STA_T")
# An application of a sibling district of the same hromada (sta must not
# see it) and a draft elsewhere in the hromada (the back office must not).
SIBLING=$(sql "SELECT p.rnokpp FROM applications a JOIN persons p
    ON p.id = a.applicant_id JOIN territories t ON t.id = a.front_office_id
    WHERE t.parent_id = (SELECT parent_id FROM territories WHERE id = $STA_T)
    AND t.kind = 'starosta' AND a.front_office_id <> $STA_T AND p.rnokpp IS NOT NULL
    AND p.rnokpp NOT IN (SELECT p2.rnokpp FROM applications a2 JOIN persons p2
        ON p2.id = a2.applicant_id WHERE a2.front_office_id = $STA_T
        AND p2.rnokpp IS NOT NULL)
    ORDER BY a.id LIMIT 1")
OTHER_DRAFT=$(sql "SELECT p.rnokpp FROM applications a JOIN persons p
    ON p.id = a.applicant_id WHERE a.status = 'draft' AND a.id <> $APP
    AND a.hromada_id = (SELECT hromada_id FROM applications WHERE id = $APP)
    AND p.rnokpp IS NOT NULL
    AND p.rnokpp NOT IN (SELECT p2.rnokpp FROM applications a2 JOIN persons p2
        ON p2.id = a2.applicant_id WHERE a2.status <> 'draft'
        AND p2.rnokpp IS NOT NULL)
    ORDER BY a.id LIMIT 1")
H0=$(sql "SELECT count(*) FROM application_history WHERE application_id = $APP")
CREATED=$(sql "SELECT strftime('%d.%m.%Y', created_at, 'unixepoch', 'localtime')
    FROM applications WHERE id = $APP")
STA_NAME=$(sql "SELECT name FROM territories WHERE id = $STA_T")
for v in REG RNOKPP SURNAME SIBLING OTHER_DRAFT; do
	eval "[ -n \"\$$v\" ]" || { say "the demo lacks $v"; exit 99; }
done
say "# application $APP, No. $REG, applicant $SURNAME"

start_server

# ---- the clients ----

PINNED=

# session USER [WxH]: a fresh hromada in a fresh tmux, logged in, on its
# cabinet.  The first session pins the server key.
session() {
	u=$1
	size=${2:-100x40}
	client "$u" "$size"
	login "$u"
	if [ -z "$PINNED" ]; then
		pin_key
		PINNED=1
	fi
	wait_screen "На зв'язку"
}

# open_case: from the journal, filtered to our application, into its case.
open_case() {
	wait_screen "Журнал заяв"
	find_in_journal "$RNOKPP"
	open_found "$REG"
	wait_screen "Заявник: $SURNAME"
}

# act FKEY DIALOG_TITLE NEW_STATUS: an action without a reason, confirmed.
act() {
	keys "$1"
	wait_screen "$2"
	wait_screen "Новий статус: $3"
	# A partial package is sent only when asked twice over: its question
	# is loud and its default is «Ні» (Enter would not send it).
	if screen_has "ПАКЕТ НЕПОВНИЙ"; then
		text "т"
	else
		keys Enter
	fi
	wait_screen "Виконано. Статус: $3"
	wait_line "Статус: $3"
}

# give_back DIALOG_TITLE REASON NEW_STATUS: F7, an empty reason refused,
# then the reason, confirmed.
give_back() {
	keys F7
	wait_screen "$1"
	wait_screen "Причина повернення (обов'язково):"
	keys Enter
	wait_screen "Вкажіть причину"
	text "$2"
	keys Enter
	wait_screen "Новий статус: $3"
	wait_screen "Причина: $2"
	keys Enter
	wait_screen "Виконано. Статус: $3"
	wait_line "Статус: $3"
}

bye() {
	keys F10
	tmux -L "$SOCK" kill-server 2>/dev/null
}

has_key() { screen | tail -n 1 | grep -F -q -- "$1"; }
expect_key() { poll 30 has_key "$1" || fail "no key \"$1\" in the key bar"; }
expect_no_key() { has_key "$1" && fail "key \"$1\" should not be offered"; }

REASON1="Немає довідки про доходи за останні 6 місяців"
REASON2="Уточніть суму пенсії у декларації"

# 1. sta: only its own district; sends the draft to the hromada
STEP=1
session sta
wait_screen "Журнал заяв"
wait_screen "усього $STA_TOTAL)"
find_in_journal "$SIBLING"
wait_screen "Заяв немає"
keys F8                                     # clear the filter
wait_screen "Фільтр: немає"
wait_screen "усього $STA_TOTAL)"
open_case
wait_line "Статус: Формування заяви"
expect_key "Редагувати"
expect_key "Передати до ОТГ"
expect_no_key "Повернути"
# F4 opens the form; closing it comes back to the case, not the journal
keys F4
wait_screen "Зберегти"
keys F10
wait_line "Статус: Формування заяви"
expect_key "Передати до ОТГ"
act F5 "Передати до ОТГ" "Заяву передано до ОТГ"
bye
say "ok 1 - sta sees only its district, edits and closes the form back to the case, sends the draft: at_otg"

# 2. upo: finds it with the filter dialog (status and front office from
#    the pickers, the creation day as the date range), then returns it
STEP=2
session upo
wait_screen "Журнал заяв"
keys F3
wait_screen "Фільтр журналу"
keys Enter                                  # the status picker
text "передано до ОТГ"
keys Enter
keys Down Down Down Down                    # decision, service, package -> from
text "$CREATED"
keys Down
text "$CREATED"
keys Down Enter                             # the front office picker
text "${STA_NAME%% *}"
keys Enter
keys F2
wait_screen "Фільтр: Передано до ОТГ; з $CREATED по $CREATED; $STA_NAME"
wait_screen "$REG"
keys F8
wait_screen "Фільтр: немає"
open_case
wait_line "Статус: Заяву передано до ОТГ"
expect_key "Перевірити і передати до СПСЗН"
expect_key "Повернути"
expect_no_key "Редагувати"
give_back "Повернути на формування заяви" "$REASON1" \
    "Заяву повернуто на формування заяви"
bye
say "ok 2 - upo returns it with a reason: returned_front"

# 3. sta: the reason on top; sends again
STEP=3
session sta
open_case
wait_line "Статус: Заяву повернуто на формування заяви"
wait_screen "Причина повернення: $REASON1"
expect_key "Редагувати"
act F5 "Передати до ОТГ" "Заяву передано до ОТГ"
wait_gone "Причина повернення:"
bye
say "ok 3 - sta reads the reason and sends it again: at_otg"

# 4. supersta: checks and sends straight to the back office, while upo
#    has the application open: upo's return then meets the new version
#    (HR_E_CONFLICT), upo is told, and the case reloads
STEP=4
SOCK=$SOCK1-b
session upo
open_case
wait_line "Статус: Заяву передано до ОТГ"
SOCK=$SOCK1
session supersta
open_case
expect_no_key "Повернути"
act F6 "Перевірити і передати до СПСЗН" "Заяву перевірено та передано до СПСЗН"
bye
SOCK=$SOCK1-b
keys F7
wait_screen "Причина повернення (обов'язково):"
text "Запізно"
keys Enter
wait_screen "Новий статус:"
keys Enter
wait_screen "Заяву змінено"
wait_screen "Хтось інший змінив цю заяву"
keys Enter
wait_line "Статус: Заяву перевірено та передано до СПСЗН"
expect_no_key "Повернути"
bye
SOCK=$SOCK1
say "ok 4 - supersta sends it to the back office (at_spszn); upo, who had it open, gets the conflict and a reload"

# 5. spszn: no drafts in its journal; returns it to the hromada
STEP=5
session spszn
wait_screen "Журнал заяв"
wait_screen "Формування: 0"
find_in_journal "$OTHER_DRAFT"
wait_screen "Заяв немає"
keys F8
wait_screen "Фільтр: немає"
open_case
expect_key "Перевірено"
expect_no_key "Редагувати"
give_back "Повернути до ОТГ" "$REASON2" "Заяву повернуто до ОТГ"
bye
say "ok 5 - spszn (no drafts in its journal) returns it: returned_otg"

# 6. upo: the back office's reason on top; sends it
STEP=6
session upo
open_case
wait_screen "Причина повернення: $REASON2"
act F6 "Перевірити і передати до СПСЗН" "Заяву перевірено та передано до СПСЗН"
bye
say "ok 6 - upo reads the reason and sends it: at_spszn"

# 7. spszn: marks it checked; the history has every step and both reasons
STEP=7
session spszn 110x50
open_case
act F8 "Позначити як перевірену" "Заяву перевірено на рівні СПСЗН"
expect_no_key "Повернути"
keys F3
wait_screen "Історія ($((H0 + 7)))"
for line in "Формування → Передано до ОТГ" \
    "Передано до ОТГ → На доопрацюванні" \
    "На доопрацюванні → Передано до ОТГ" \
    "Передано до ОТГ → Передано до СПСЗН" \
    "Передано до СПСЗН → Повернуто до ОТГ" \
    "Повернуто до ОТГ → Передано до СПСЗН" \
    "Передано до СПСЗН → Перевірено СПСЗН" \
    "Коментар: $REASON1" "Коментар: $REASON2" \
    "(sta)" "(upo)" "(supersta)" "(spszn)"; do
	poll 50 screen_has "$line" || fail "the history lacks \"$line\""
done
[ "$(sql "SELECT status FROM applications WHERE id = $APP")" = checked ] ||
	fail "the database says $(sql "SELECT status FROM applications WHERE id = $APP")"
bye
say "ok 7 - spszn marks it checked; the history lists every transition"

# 8. oblast: reports only, no journal of persons
STEP=8
session oblast
wait_screen "Заяви за громадами"
keys /
keys Enter
screen_has "Журнал заяв" && fail "oblast got a journal"
screen_has "$SURNAME" && fail "oblast sees a person's name"
bye
say "ok 8 - oblast has no journal of persons"

exit 0
