#!/bin/sh
# tests/e2e/intake_form.sh — the intake form, driven through tmux against
# a real server, the way a clerk of a starosta district would:
#
#  1. `sta` logs in, F4 from the journal opens a new application;
#  2. a service is picked from the reference data (the saved package is
#     partial: no document is ticked);
#  3. a wrong РНОКПП (3652504570) shows the Ukrainian check-digit message
#     when the cursor leaves it; the right one (3652504575, male,
#     01.01.2000) clears it; a passport typed in Latin lower case is shown
#     normalised (МК123456); F6 copies the registration address;
#  4. a family member is found in the base by a lower-case surname prefix
#     (F3, debounced person.search) and taken (person.get);
#  5. an income row: sum typed "12345,6" is shown "12 345,60";
#  6. a bank IBAN; F2 saves: the registration number is shown, and the
#     application is in the journal;
#  7. a second new form: typing the same РНОКПП offers the person in the
#     base (never created twice); Esc then asks before dropping the
#     changes.
#
# Waits poll the screen with timeouts; nothing sleeps a fixed time.
set -u

B=${top_builddir:-$(pwd)}
for p in hromada hromadad hromadactl; do
	if [ ! -x "$B/$p" ]; then
		echo "SKIP: $B/$p not built"
		exit 77
	fi
done
command -v tmux >/dev/null 2>&1 || { echo "SKIP: tmux missing"; exit 77; }

T=$(mktemp -d /tmp/hromada-intake.XXXXXX) || exit 99
SOCK=hromada-intake-$$
SRV_PID=
PORT=

cleanup() {
	tmux -L "$SOCK" kill-server 2>/dev/null
	if [ -n "$SRV_PID" ]; then
		kill "$SRV_PID" 2>/dev/null
		wait "$SRV_PID" 2>/dev/null
	fi
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 99' INT TERM HUP

say() { printf '%s\n' "$*"; }
fail() {
	say "FAIL: $*"
	say "---- screen ----"
	tmux -L "$SOCK" capture-pane -p 2>/dev/null
	say "---- client stderr ----"
	tail -n 20 "$T/client.err" 2>/dev/null
	say "---- server log ----"
	tail -n 20 "$T/srv.log" 2>/dev/null
	exit 1
}

poll() {
	n=$1
	shift
	while [ "$n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

screen() { tmux -L "$SOCK" capture-pane -p 2>/dev/null; }
screen_has() { screen | grep -F -q -- "$1"; }
screen_lacks() { ! screen_has "$1"; }
wait_screen() { poll "${2:-100}" screen_has "$1" || fail "no \"$1\" on the screen"; }
wait_gone() { poll "${2:-100}" screen_lacks "$1" || fail "\"$1\" stays on the screen"; }
keys() { tmux -L "$SOCK" send-keys "$@"; }
text() { tmux -L "$SOCK" send-keys -l "$1"; }

# Is the line with TEXT drawn in reverse video (the focused item)?
ESC=$(printf '\033')
focused() {
	tmux -L "$SOCK" capture-pane -p -e 2>/dev/null | sed -n '2,22p' |
	    grep "$ESC\[7m" | sed "s/$ESC\[[0-9;]*m//g" | grep -F -q -- "$1"
}
# focus_to TEXT [KEY]: press KEY (Down) until the item with TEXT has the focus
focus_to() {
	i=0
	while ! focused "$1"; do
		[ $i -ge 80 ] && fail "could not move the focus to \"$1\""
		keys "${2:-Down}"
		sleep 0.05
		i=$((i + 1))
	done
}

# ---- the server ----

"$B/hromadactl" --db "$T/h.db" init >"$T/init.txt" 2>&1 || { cat "$T/init.txt"; exit 99; }
"$B/hromadactl" --db "$T/h.db" demo >"$T/demo.txt" 2>&1 || { cat "$T/demo.txt"; exit 99; }
password() { awk -v u="$1" '$1 == u { print $2 }' "$T/demo.txt"; }
[ "$(password sta)" = demo-sta-2026 ] || { say "unexpected demo output"; exit 99; }

server_listening() {
	kill -0 "$SRV_PID" 2>/dev/null && grep -q "listening on" "$T/srv.log"
}
tries=0
while [ -z "$PORT" ]; do
	[ $tries -ge 20 ] && fail "hromadad did not start"
	p=$((20000 + ($$ * 11 + tries * 137) % 40000))
	: >"$T/srv.log"
	"$B/hromadad" --db "$T/h.db" --listen "127.0.0.1:$p" 2>"$T/srv.log" &
	SRV_PID=$!
	if poll 200 server_listening; then
		PORT=$p
	else
		kill "$SRV_PID" 2>/dev/null
		wait "$SRV_PID" 2>/dev/null
		SRV_PID=
	fi
	tries=$((tries + 1))
done

# ---- the client ----

mkdir -p "$T/home"
tmux -L "$SOCK" -f /dev/null new -d -x 80 -y 24 \
    "env -u LANGUAGE HOME='$T/home' XDG_CONFIG_HOME= TERM=screen \
     HROMADA_LOCALEDIR='$B/locale' HROMADA_ESCDELAY=100 \
     '$B/hromada' --server 127.0.0.1:$PORT --user sta 2>>'$T/client.err'; \
     echo \$? >'$T/exit'; sleep 30"
wait_screen "Громада: вхід до системи"
text "$(password sta)"
keys Enter
wait_screen "Невідомий сервер"
text "т"
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
keys Enter
wait_gone "┌"
svc=$(screen | sed -n 's/^ Послуга  *<\([^ >][^>]*\)>.*/\1/p' | sed 's/ *$//')
[ -n "$svc" ] && [ "$svc" != "-" ] || fail "no service chosen"
say "ok 2 - service chosen: $svc"

# 3. РНОКПП: wrong check digit, then right; passport normalised
focus_to "РНОКПП  "
text "3652504570"
keys Tab
wait_screen "Неправильна контрольна цифра РНОКПП"
keys Up BSpace
text "5"
keys Tab
wait_gone "Неправильна контрольна цифра РНОКПП"
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
focus_to "IBAN"
text "UA213996220000026007233566001"
keys Tab
keys F2
wait_screen "Заяву збережено" 150
wait_screen "Документи: неповний пакет"
regno=$(screen | sed -n 's/.*Реєстраційний номер: \([0-9]*\/[0-9]*\).*/\1/p' | head -n 1)
[ -n "$regno" ] || fail "no registration number shown"
keys Enter
wait_screen "Журнал заяв"
wait_screen "$regno"
screen | grep -F -- "$regno" | grep -q "Тестенко" ||
	fail "the journal row $regno is not Тестенко's"
say "ok 6 - saved as $regno and listed in the journal"

# 7. the same РНОКПП again: the person in the base is offered; Esc asks
keys F4
wait_screen "Нова заява"
focus_to "РНОКПП  "
text "3652504575"
keys Tab
wait_screen "Особа з цим РНОКПП уже є в базі"
wait_screen "Тестенко Петро Іванович"
text "т"
wait_screen "Дані особи взято з бази"
screen | grep -q "^ Прізвище  *Тестенко" || fail "the person was not taken"
keys Escape
wait_screen "Є незбережені зміни. Вийти без збереження?"
keys Enter                                 # the default is «Ні»
wait_gone "Вийти без збереження?"
screen_has "Нова заява" || fail "the form closed on «Ні»"
keys C-q                                   # not Esc: the same question
wait_screen "Вийти без збереження?"
text "т"
wait_screen "Журнал заяв"
say "ok 7 - the known person is offered; Esc and Ctrl-Q ask before dropping"

keys F10
poll 100 test -s "$T/exit" || fail "the client did not quit"
[ "$(cat "$T/exit")" = 0 ] || fail "the client exited with $(cat "$T/exit")"
if grep -q "Sanitizer\|runtime error" "$T/client.err" 2>/dev/null; then
	fail "the sanitizers reported something (client stderr above)"
fi
say "ok 8 - the client quit cleanly"
exit 0
