#!/bin/sh
# tests/e2e/intake_form.sh — the intake form, driven through tmux against
# a real server, the way a clerk of a starosta district would:
#
#  1. `sta` logs in, F4 from the journal opens a new application;
#  2. a service is picked from the reference data, its list showing long
#     names whole at 80 columns (the saved package is partial: no
#     document is ticked);
#  3. Home and End from tmux under TERM=xterm-256color (ESC [1~, ESC [4~)
#     move the cursor and never ask to leave the form; typing into the
#     full РНОКПП field is refused and says why; a wrong РНОКПП
#     (3652504570) shows the Ukrainian check-digit message when the cursor
#     leaves it; the right one (3652504575, male,
#     01.01.2000) clears it; a passport typed in Latin lower case is shown
#     normalised (МК123456); F6 copies the registration address;
#  4. a family member is found in the base by a lower-case surname prefix
#     (F3, debounced person.search) and taken (person.get);
#  5. an income row: sum typed "12345,6" is shown "12 345,60";
#  6. a bank IBAN; F2 saves: the journal comes back at once with the
#     registration number on the status line (no dialog to dismiss), and
#     the application is in the journal;
#  7. a second new form: typing the same РНОКПП offers the person in the
#     base (never created twice), with a warning that they have an open
#     application (the one of step 6); Esc then asks before dropping the
#     changes, and neither the arrows nor Enter can answer «Так» — only
#     its letter.
#
# Waits poll the screen with timeouts; nothing sleeps a fixed time.
set -u

. "$(dirname "$0")/lib.sh"
e2e_init intake
E2E_PORT_SALT=154

# ---- the server and the client ----

e2e_demo_db
start_server
client sta 80x24 xterm-256color
login sta
pin_key
wait_screen "Журнал заяв"
wait_screen "/20"

# 1. F4 opens a new application
keys F4
wait_screen "Нова заява"
wait_screen "Послуга"
say "ok 1 - F4 opens a new application"

# 2. a service from the reference data
focus_to "Послуга  "
keys Enter
wait_screen "┌"
# at 80 columns the list is moved left to show long names whole (it was
# cut to the field's 54 columns), and its hint too
wait_screen "Допомога особам з інвалідністю з дитинства та дітям з інвалідністю"
wait_screen "друкуйте для пошуку"
keys Enter
wait_gone "┌"
svc=$(screen | sed -n 's/^ Послуга  *<\([^ >][^>]*\)>.*/\1/p' | sed 's/ *$//')
[ -n "$svc" ] && [ "$svc" != "-" ] || fail "no service chosen"
say "ok 2 - service chosen from the whole names: $svc"

# 3. РНОКПП: wrong check digit, then right; passport normalised
focus_to "РНОКПП  "
text "3652504570"
keys Home                                  # tmux sends ESC [1~
text "9"                                   # the field is full
wait_screen "Поле заповнене; Backspace або Ctrl-U стирає"
screen_has "Вийти без збереження" && fail "Home arrived as Esc"
keys End BSpace                            # tmux sends ESC [4~
screen_has "Вийти без збереження" && fail "End arrived as Esc"
text "0"
keys Tab
wait_screen "РНОКПП: неправильна контрольна цифра"
keys Up BSpace
text "5"
keys Tab
wait_gone "РНОКПП: неправильна контрольна цифра"
focus_to "Прізвище  "
text "Тестенко"
keys Tab
text "Петро"
keys Tab
text "Іванович"
keys Tab
text "01.01.2000"
keys Tab
focus_to "Стать  "
keys Right                                 # чоловіча
wait_screen "<чоловіча"
screen_has "не відповідає" && fail "РНОКПП reported as not matching"
focus_to "Документ  "
keys Right                                 # паспорт-книжечка
focus_to "Номер документа"
text "mk123456"
keys Tab
wait_screen "буде збережено як МК123456"
focus_to "Адреса реєстрації"
text "с. Слоут, вул. Миру, 1"
keys F6
focus_to "Телефон"
text "067 123 45 67"
keys Tab
wait_screen "+380671234567"
screen | grep -q "^ Фактична адреса  *с. Слоут, вул. Миру, 1" ||
	fail "F6 did not copy the registration address"
say "ok 3 - РНОКПП check digit message, passport and phone normalised, F6"

# 4. a family member found by a lower-case surname prefix
focus_to "Додати члена сім"
keys Enter
wait_screen "Новий член сім"
keys F3
wait_screen "Пошук особи"
text "марч"
wait_screen "Знайдено:"
screen | grep -q "^Марченко " || fail "no Марченко found for \"марч\""
member=$(screen | sed -n 's/^\(Марченко [^ ]* [^ ]*\) .*/\1/p' | head -n 1)
keys Enter
wait_screen "Дані особи взято з бази"
keys F2
wait_screen "Члени сім’ї (1)"
wait_screen "1. $member"
say "ok 4 - family member found by \"марч\" and taken: $member"

# 5. an income row
focus_to "Додати дохід"
keys Enter
wait_screen "Дохід: F2"
focus_to "Період з"
text "01.01.2026"
keys Tab
text "31.03.2026"
keys Tab
text "12345,6"
keys Tab
wait_screen "= 12 345,60 грн"
keys F2
wait_screen "Декларація про доходи (1)"
wait_screen "12 345,60 грн"
say "ok 5 - income row, 12345,6 shown as 12 345,60"

# 6. IBAN, save, registration number, journal
save_with_iban "збережено; документи: неповний пакет"   # no dialog between
regno=$reg
wait_screen "$regno"
screen | grep -F -- "$regno" | grep -q "Тестенко" ||
	fail "the journal row $regno is not Тестенко's"
# The cursor is on it (its scans are attached from its case: Enter), not
# on the row it was on before the form: the journal draws the selected row
# in reverse video from its first column.
cursor_on() {
	tmux -L "$SOCK" capture-pane -p -e | grep "^$ESC\[\(0;\)\{0,1\}7m" |
	    grep -q -F -- "$1"
}
poll 50 cursor_on "$regno" ||
	fail "the cursor is not on the new application $regno"
say "ok 6 - saved as $regno, listed in the journal, the cursor on it"

# 7. the same РНОКПП again: the person in the base is offered; Esc asks
keys F4
wait_screen "Нова заява"
focus_to "РНОКПП  "
text "3652504575"
keys Tab
wait_screen "Особа з цим РНОКПП уже є в базі"
wait_screen "Тестенко Петро Іванович"
text "т"
# Taken from the base, with the warning of the application saved in 6.
wait_screen "У цієї особи вже є незавершена заява: № $regno"
screen | grep -q "^ Прізвище  *Тестенко" || fail "the person was not taken"
keys Escape
wait_screen "Є незбережені зміни. Вийти без збереження?"
keys Right Tab                             # «Так» cannot be highlighted
wait_screen "Т (Y) — так; Н (N), Enter або Esc — ні"
keys Enter                                 # answers «Ні»
wait_gone "Вийти без збереження?"
screen_has "Нова заява" || fail "the form closed on «Ні»"
keys C-q                                   # not Esc: the same question
wait_screen "Вийти без збереження?"
text "т"
wait_screen "Журнал заяв"
say "ok 7 - the known person is offered; Esc and Ctrl-Q ask before dropping"

# 8. the status line's count of wrong fields stays true: an empty form
# saved, the focus passed over the empty fields (their messages wait),
# then a service picked (the form is rebuilt for its documents) — one
# wrong field fewer, the others still counted and marked.
STEP="error count"
errors() { screen | sed -n 's/.*позначені !): \([0-9]*\).*/\1/p' | tail -n 1; }
keys F4
wait_screen "Нова заява"
keys F2
wait_screen "позначені !)"
n0=$(errors)
[ "${n0:-0}" -ge 5 ] || fail "an empty form counted ${n0:-no} wrong fields"
focus_to "Телефон"
focus_to "Послуга  " Up
keys Enter
wait_screen "┌"
keys Enter
wait_gone "┌"
wait_screen "позначені !): $((n0 - 1))"
marks=$(screen | sed '1d;$d' | grep -c '!$')
[ "$marks" -ge $((n0 - 2)) ] || fail "only $marks fields still marked"
keys C-q
wait_screen "Вийти без збереження?"
text "т"
wait_screen "Журнал заяв"
say "ok 8 - wrong fields: $n0, then $((n0 - 1)) after the service, still marked"

keys F10
expect_exit
if grep -q "Sanitizer\|runtime error" "$T/client.err" 2>/dev/null; then
	fail "the sanitizers reported something (client stderr above)"
fi
say "ok 9 - the client quit cleanly"
exit 0
