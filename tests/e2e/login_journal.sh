#!/bin/sh
# tests/e2e/login_journal.sh — the real terminal client against the real
# server, driven through tmux like a clerk would drive it.
#
#  1. first contact: the key prompt shows the server's fingerprint; «Так»
#     pins it (known_hosts, mode 0600); the demo user `sta` lands on the
#     journal (Ukrainian labels, applications listed); Enter opens a row,
#     F1 shows the help, F10 quits;
#  2. a wrong password gives the Ukrainian error and no key prompt;
#  3. every demo role lands on its cabinet (journal, report, users);
#  4. TERM=vt100 (F1–F4 only): Esc 1 for help, Esc 0 to quit;
#  5. a resize from 80x24 to 100x30 redraws at the new size;
#  6. C and en_US.UTF-8 locales still give a Ukrainian interface;
#  7. the server restarts under a logged-in client: it reconnects and
#     resumes without the password;
#  8. a changed server key is refused with a loud warning;
#  9. help per role and screen: F1 in sta's journal explains F4, in the
#     back office's F6/F7, in the oblast's report neither; typing in the
#     journal finds an applicant (type-to-find); the key bar says that
#     Esc and a digit type an F-key (vt100 in step 4).
#
# No fixed sleeps: every wait polls the screen (capture-pane) or a file
# with a timeout.  Processes and the temporary directory go away on exit.
set -u

. "$(dirname "$0")/lib.sh"
e2e_init e2e

# ---- the server ----

e2e_demo_db
FP=$("$B/hromadactl" --db "$T/h.db" key show | head -n 1)

start_server

# 1. first contact, key prompt, journal, detail, help, quit
client sta
login sta
pin_key "$FP"
wait_screen "Журнал заяв"
wait_screen "Слоутський старостинський округ"
wait_screen "/2026"                       # registration numbers listed
for label in "Реєстр. №" "Статус" "Заявник" "Формування:" "На зв'язку"; do
	screen_has "$label" || fail "journal lacks \"$label\""
done
kh=$HOMEDIR/.config/hromada/known_hosts
grep -q "^127.0.0.1:$PORT " "$kh" || fail "key not pinned in $kh"
[ "$(stat -c %a "$kh")" = 600 ] || fail "known_hosts mode $(stat -c %a "$kh")"
keys Enter
wait_screen "Заявник:"
keys Escape
wait_gone "Заявник:" 50
keys F1
wait_screen "Клавіші"
keys Space
keys F10
expect_exit
say "ok 1 - first contact, key pinned, journal of sta, F1, F10"

# 2. wrong password
client sta
text "wrong-password"
keys Enter
wait_screen "Неправильне ім'я користувача або пароль"
screen_has "Невідомий сервер" && fail "key prompt although the key is pinned"
keys Escape 0                              # F10 as Esc 0
expect_exit
say "ok 2 - wrong password shows the Ukrainian error"

# 3. every role lands on its cabinet
for u in sta cnap supersta supercnap upo spszn oblast ministry admin; do
	case $u in
	oblast|ministry) cabinet="Заяви за громадами" ;;
	admin)           cabinet="Користувачі (" ;;
	*)               cabinet="Журнал заяв" ;;
	esac
	client "$u"
	login "$u"
	wait_screen "$cabinet"
	wait_screen "На зв'язку"
	case $u in
	oblast|ministry) wait_screen "Березівська сільська ОТГ" ;;
	admin)           wait_screen "supercnap2" ;;
	esac
	keys C-q
	expect_exit
	say "ok 3 - $u lands on \"$cabinet\""
done

# 4. vt100: no F5-F10, Esc+digit instead
client sta 80x24 vt100
login sta
wait_screen "Журнал заяв"
wait_screen "Esc+цифра=F"                  # the bar says Esc+digit = F-key
keys Escape 1
wait_screen "Клавіші"
keys Escape
keys Escape 0
expect_exit
say "ok 4 - TERM=vt100 with Esc 1 / Esc 0"

# 5. resize 80x24 -> 100x30
client sta
login sta
wait_screen "Журнал заяв"
tmux -L "$SOCK" resize-window -x 100 -y 30
bar_at_30() { tmux -L "$SOCK" capture-pane -p | sed -n 30p | grep -q "10Вихід"; }
poll 50 bar_at_30 || fail "no key bar on line 30 after the resize"
# the status line's right end (the link state) moves to column 100
wide_status() {
	w=$(tmux -L "$SOCK" capture-pane -p | sed -n 1p | LC_ALL=C.UTF-8 wc -m)
	[ "$w" -ge 100 ]
}
poll 50 wide_status || fail "the status line was not redrawn for 100 columns"
keys F10
expect_exit
say "ok 5 - resize to 100x30"

# 6. Ukrainian whatever the locale
for loc in "LANG=C LC_ALL=C" "LANG=en_US.UTF-8" "LANG=uk_UA.UTF-8"; do
	client sta 80x24 screen "$loc"
	screen_has "Користувач:" || fail "not Ukrainian with $loc"
	keys F10
	expect_exit
	say "ok 6 - Ukrainian with $loc"
done

# 7. the server restarts: reconnect and resume without the password
client sta
login sta
wait_screen "На зв'язку"
wait_screen "/2026"
old_port=$PORT
stop_server
wait_screen "Немає зв'язку"
start_server "$old_port"
wait_screen "З'єднання відновлено" 400
wait_screen "На зв'язку"
wait_screen "/2026"
screen_has "Пароль:" && fail "asked for the password again"
keys F10
expect_exit
say "ok 7 - reconnect and resume after a server restart"

# 8. a changed key is refused loudly
stop_server
"$B/hromadactl" --db "$T/h.db" key rotate --grace 0 >/dev/null 2>&1 ||
	fail "hromadactl key rotate failed"
start_server "$old_port"
client sta
login sta
wait_screen "КЛЮЧ СЕРВЕРА ЗМІНИВСЯ"
keys Enter                                  # the warning's only button
wait_screen "Ключ сервера змінився; вхід заборонено"
keys F10
expect_exit
say "ok 8 - changed server key refused"

# 9. help per role and screen; type-to-find in the journal
stop_server
rm -f "$HOMEDIR/.config/hromada/known_hosts"
start_server "$old_port"
help_of() {
	client "$1"
	login "$1"
	[ -n "${PIN:-}" ] && { wait_screen "Невідомий сервер"; text "т"; }
	PIN=
	wait_screen "$2"
	keys F1
	wait_screen "$3"
}
PIN=1
help_of sta "Журнал заяв" "Клавіші: журнал"
wait_screen "нова заява для особи, яка прийшла"
screen_has "Вивантажити" && fail "sta's help offers the back office's export"
keys Escape
# Type-to-find: the applicant's row is selected (drawn in reverse).
first=$(screen | sed -n '8p' | awk '{print $5}')
text "кузьменко"
wait_screen "Пошук: кузьменко"
selected_has() {
	tmux -L "$SOCK" capture-pane -p -e | grep "$(printf '\033')\[7m" |
	    grep -q "Кузьменко"
}
poll 50 selected_has || fail "typing did not find Кузьменко"
keys F10
expect_exit
help_of spszn "Журнал заяв" "Клавіші: журнал"
wait_screen "записати позначені або перевірені за фільтром заяви"   # wraps
screen_has "нова заява для особи" && fail "spszn's help offers F4"
keys F10
expect_exit
help_of oblast "Заяви за громадами" "Клавіші: звіт"
screen_has "нова заява" && fail "the oblast's help offers a new application"
screen_has "F4" && fail "the oblast's help lists F4"
keys F10
expect_exit
say "ok 9 - help per role and screen; type-to-find in the journal"

exit 0
