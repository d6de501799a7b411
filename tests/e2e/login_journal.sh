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
#  8. a changed server key is refused with a loud warning.
#
# No fixed sleeps: every wait polls the screen (capture-pane) or a file
# with a timeout.  Processes and the temporary directory go away on exit.
set -u

B=${top_builddir:-$(pwd)}
for p in hromada hromadad hromadactl; do
	if [ ! -x "$B/$p" ]; then
		echo "SKIP: $B/$p not built"
		exit 77
	fi
done
command -v tmux >/dev/null 2>&1 || { echo "SKIP: tmux missing"; exit 77; }

T=$(mktemp -d /tmp/hromada-e2e.XXXXXX) || exit 99
SOCK=hromada-e2e-$$
SRV_PID=
PORT=
FAILED=0

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
	cat "$T/client.err" 2>/dev/null | tail -n 20
	say "---- server log ----"
	tail -n 20 "$T/srv.log" 2>/dev/null
	exit 1
}

# poll CMD until it succeeds, at most $1 tenths of a second
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

screen_has() { tmux -L "$SOCK" capture-pane -p 2>/dev/null | grep -F -q -- "$1"; }
wait_screen() { poll "${2:-100}" screen_has "$1" || fail "no \"$1\" on the screen"; }
keys() { tmux -L "$SOCK" send-keys "$@"; }
text() { tmux -L "$SOCK" send-keys -l "$1"; }

# ---- the server ----

"$B/hromadactl" --db "$T/h.db" init >"$T/init.txt" 2>&1 || { cat "$T/init.txt"; exit 99; }
"$B/hromadactl" --db "$T/h.db" demo >"$T/demo.txt" 2>&1 || { cat "$T/demo.txt"; exit 99; }
FP=$("$B/hromadactl" --db "$T/h.db" key show | head -n 1)
password() { awk -v u="$1" '$1 == u { print $2 }' "$T/demo.txt"; }
[ "$(password sta)" = demo-sta-2026 ] || { say "unexpected demo output"; cat "$T/demo.txt"; exit 99; }

server_listening() {
	kill -0 "$SRV_PID" 2>/dev/null && grep -q "listening on" "$T/srv.log"
}

# start_server [PORT]: a free port is found by trying (the server refuses a
# port in use and exits).
start_server() {
	tries=0
	while [ $tries -lt 20 ]; do
		p=${1:-$((20000 + ($$ * 7 + tries * 131) % 40000))}
		: >"$T/srv.log"
		"$B/hromadad" --db "$T/h.db" --listen "127.0.0.1:$p" 2>"$T/srv.log" &
		SRV_PID=$!
		if poll 200 server_listening; then
			PORT=$p
			return 0
		fi
		kill "$SRV_PID" 2>/dev/null
		wait "$SRV_PID" 2>/dev/null
		SRV_PID=
		[ -n "${1:-}" ] && sleep 0.2       # same port: wait for it to free
		tries=$((tries + 1))
	done
	fail "hromadad did not start"
}

stop_server() {
	kill "$SRV_PID" 2>/dev/null
	wait "$SRV_PID" 2>/dev/null
	SRV_PID=
}

start_server

# ---- the client ----

HOMEDIR=$T/home
mkdir -p "$HOMEDIR"

# client USER [WxH] [TERM] [extra env...]: start hromada in a fresh tmux
client() {
	u=$1
	size=${2:-80x24}
	term=${3:-screen}
	extra=${4:-}
	rm -f "$T/exit"
	tmux -L "$SOCK" kill-server 2>/dev/null
	tmux -L "$SOCK" -f /dev/null new -d -x "${size%x*}" -y "${size#*x}" \
	    "env -u LANGUAGE HOME='$HOMEDIR' XDG_CONFIG_HOME= TERM=$term \
	     HROMADA_LOCALEDIR='$B/locale' HROMADA_ESCDELAY=100 $extra \
	     '$B/hromada' --server 127.0.0.1:$PORT --user '$u' 2>>'$T/client.err'; \
	     echo \$? >'$T/exit'; sleep 30"
	wait_screen "Громада: вхід до системи"
}

exited() { [ -s "$T/exit" ]; }
expect_exit() {
	poll 100 exited || fail "the client did not quit"
	[ "$(cat "$T/exit")" = 0 ] || fail "the client exited with $(cat "$T/exit")"
	tmux -L "$SOCK" kill-server 2>/dev/null
}

login() { # USER
	text "$(password "$1")"
	keys Enter
}

# 1. first contact, key prompt, journal, detail, help, quit
client sta
login sta
wait_screen "Невідомий сервер"
wait_screen "$FP"
text "т"
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
poll 50 sh -c "! tmux -L $SOCK capture-pane -p | grep -q 'Заявник:'" ||
	fail "the detail dialog did not close"
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
keys Enter                                  # the default answer is «Ні»
wait_screen "Ключ сервера змінився; вхід заборонено"
keys F10
expect_exit
say "ok 8 - changed server key refused"

exit 0
