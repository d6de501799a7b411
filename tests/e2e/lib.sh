# tests/e2e/lib.sh — what every end-to-end test of the terminal client
# does the same way, sourced by login_journal.sh, workflow.sh and
# intake_form.sh (`. "$(dirname "$0")/lib.sh"`):
#
#   e2e_init NAME [PROGRAM...]  skip (77) without the built programs, tmux
#                               or a PROGRAM on PATH; make the temporary
#                               directory $T and the tmux socket name
#                               $SOCK; clean both up on exit
#   need_test_hooks             skip (77) unless the build reads
#                               HROMADA_TODAY (configure --enable-test-hooks)
#   e2e_demo_db                 $T/h.db with the demo data; password USER
#   start_server [PORT]         hromadad on a free port ($PORT), or on
#                               PORT again (options from $SRV_ARGS);
#                               stop_server
#   client USER [WxH] [TERM] [ENV]  hromada in a fresh tmux session, up
#                               to its login screen; login USER; pin_key
#   expect_exit                 the client quits with status 0
#   poll, screen, screen_has, wait_screen, wait_gone, keys, text, fail
#   focused TEXT, focus_to TEXT  the form item with TEXT has the focus /
#                               move the focus there
#
# Each test keeps its own steps and assertions.  No fixed sleeps: every
# wait polls the screen (capture-pane) or a file with a timeout.  A test
# may set STEP (named in failures), E2E_PORT_SALT (so tests started
# together try different ports first) and EXTRA_SOCKS (more tmux sockets
# to kill on exit).

B=${top_builddir:-$(pwd)}
SRV_PID=
PORT=
EXTRA_SOCKS=

e2e_init() {
	name=$1
	shift
	for p in hromada hromadad hromadactl; do
		if [ ! -x "$B/$p" ]; then
			echo "SKIP: $B/$p not built"
			exit 77
		fi
	done
	for p in tmux "$@"; do
		command -v "$p" >/dev/null 2>&1 ||
			{ echo "SKIP: $p missing"; exit 77; }
	done
	T=$(mktemp -d "/tmp/hromada-$name.XXXXXX") || exit 99
	SOCK=hromada-$name-$$
	HOMEDIR=$T/home
	mkdir -p "$HOMEDIR"
	trap e2e_cleanup EXIT
	trap 'exit 99' INT TERM HUP
}

# sql QUERY: on the test's database ($DB, else $T/h.db).  The server
# writes the same file meanwhile: wait for its lock (10 s) rather than
# fail a step with "database is locked" on a loaded machine.
sql() { sqlite3 -cmd '.timeout 10000' "${DB:-$T/h.db}" "$1"; }

# applicant APP COLUMN: a column of application APP's applicant (persons:
# rnokpp, surname, ...), as the tests find the case in the journal by it.
applicant() {
	sql "SELECT p.$2 FROM applications a JOIN persons p
	    ON p.id = a.applicant_id WHERE a.id = $1"
}

# demo_app WHAT QUERY: the demo's application QUERY selects (its id):
# sets APP, its REG, and its applicant's RNOKPP and SURNAME; without one,
# says "the demo has no WHAT" and the test is skipped (99).
demo_app() {
	APP=$(sql "$2")
	[ -n "$APP" ] || { say "the demo has no $1"; exit 99; }
	REG=$(sql "SELECT reg_no FROM applications WHERE id = $APP")
	RNOKPP=$(applicant "$APP" rnokpp)
	SURNAME=$(applicant "$APP" surname)
}

# A fixed "today" for the clocks is a test hook: only a build configured
# with --enable-test-hooks reads HROMADA_TODAY (hromadad(8)).
need_test_hooks() {
	grep -q '^#define HAVE_TEST_HOOKS 1' "$B/config.h" 2>/dev/null && return 0
	echo "SKIP: this test fixes today with HROMADA_TODAY, which only a" \
	    "build configured with --enable-test-hooks reads"
	exit 77
}

e2e_cleanup() {
	for s in "$SOCK" $EXTRA_SOCKS; do
		tmux -L "$s" kill-server 2>/dev/null
	done
	if [ -n "$SRV_PID" ]; then
		kill "$SRV_PID" 2>/dev/null
		wait "$SRV_PID" 2>/dev/null
	fi
	rm -rf "$T"
}

say() { printf '%s\n' "$*"; }

# fail MESSAGE: the screen, the client's stderr and the server log, exit 1
fail() {
	say "FAIL${STEP:+ (step $STEP)}: $*"
	say "---- screen ----"
	tmux -L "$SOCK" capture-pane -p 2>/dev/null
	say "---- client stderr ----"
	tail -n 20 "$T/client.err" 2>/dev/null
	say "---- server log ----"
	tail -n 20 "$T/srv.log" 2>/dev/null
	exit 1
}

# poll N CMD...: run CMD until it succeeds, at most N tenths of a second
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
wait_gone() { poll "${2:-100}" screen_lacks "$1" || fail "\"$1\" still on the screen"; }
keys() { tmux -L "$SOCK" send-keys "$@"; }
text() { tmux -L "$SOCK" send-keys -l "$1"; }

# Is the line with TEXT drawn in reverse video (the focused item)?  The
# title, the message line and the key bar do not count.
ESC=$(printf '\033')
focused() {
	tmux -L "$SOCK" capture-pane -p -e 2>/dev/null | sed '1d;$d' | sed '$d' |
	    grep "$ESC\[7m" | sed "s/$ESC\[[0-9;]*m//g" | grep -F -q -- "$1"
}
# focus_to TEXT [KEY]: press KEY (Down) until the item with TEXT has the focus.
# One key at a time, each waiting for the screen to change: keys pressed
# faster than a loaded machine redraws would overshoot the item.  When a key
# no longer changes anything the end of the form is reached: turn round.
focus_to() {
	i=0
	key=${2:-Down}
	while ! focused "$1"; do
		[ $i -ge 120 ] && fail "could not move the focus to \"$1\""
		before=$(tmux -L "$SOCK" capture-pane -p -e 2>/dev/null)
		keys "$key"
		j=0
		while [ "$(tmux -L "$SOCK" capture-pane -p -e 2>/dev/null)" = "$before" ]; do
			j=$((j + 1))
			if [ $j -ge 20 ]; then
				case $key in Down) key=Up ;; Up) key=Down ;; esac
				break
			fi
			sleep 0.05
		done
		i=$((i + 1))
	done
}

# ---- the server ----

# e2e_demo_db: a database with the demo users and applications; the demo's
# passwords are kept in $T/demo.txt for password USER.
e2e_demo_db() {
	"$B/hromadactl" --db "$T/h.db" init >"$T/init.txt" 2>&1 ||
		{ cat "$T/init.txt"; exit 99; }
	"$B/hromadactl" --db "$T/h.db" demo >"$T/demo.txt" 2>&1 ||
		{ cat "$T/demo.txt"; exit 99; }
	[ "$(password sta)" = demo-sta-2026 ] ||
		{ say "unexpected demo output"; cat "$T/demo.txt"; exit 99; }
}
password() { awk -v u="$1" '$1 == u { print $2 }' "$T/demo.txt"; }

server_listening() {
	kill -0 "$SRV_PID" 2>/dev/null && grep -q "listening on" "$T/srv.log"
}

# start_server [PORT]: a free port is found by trying (the server refuses a
# port in use and exits); with PORT, that port until it is free again.
start_server() {
	tries=0
	while [ $tries -lt 20 ]; do
		p=${1:-$((20000 + ($$ * 7 + tries * 131 + ${E2E_PORT_SALT:-0}) % 40000))}
		: >"$T/srv.log"
		# shellcheck disable=SC2086
		"$B/hromadad" --db "$T/h.db" --listen "127.0.0.1:$p" \
		    ${SRV_ARGS:-} 2>"$T/srv.log" &
		SRV_PID=$!
		if poll 200 server_listening; then
			PORT=$p
			return 0
		fi
		stop_server
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

# ---- the client ----

# tmux_fresh: end the tmux server on $SOCK and wait until its socket is
# gone.  kill-server returns before the server has exited; a `new` that
# reaches the dying server fails with "server exited unexpectedly".
tmux_fresh() {
	tmux -L "$SOCK" kill-server 2>/dev/null
	tsock=${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCK
	i=0
	while [ -S "$tsock" ] && [ $i -lt 50 ]; do
		sleep 0.05
		i=$((i + 1))
	done
}

# client USER [WxH] [TERM] [ENV]: hromada in a fresh tmux session (80x24,
# TERM=screen), on its login screen.  Its exit status goes to $T/exit.
client() {
	u=$1
	size=${2:-80x24}
	term=${3:-screen}
	extra=${4:-}
	rm -f "$T/exit"
	tmux_fresh
	tmux -L "$SOCK" -f /dev/null new -d -x "${size%x*}" -y "${size#*x}" \
	    "env -u LANGUAGE HOME='$HOMEDIR' XDG_CONFIG_HOME= TERM=$term \
	     HROMADA_LOCALEDIR='$B/locale' HROMADA_ESCDELAY=100 $extra \
	     '$B/hromada' --server 127.0.0.1:$PORT --user '$u' 2>>'$T/client.err'; \
	     echo \$? >'$T/exit'; sleep 30" ||
		fail "tmux could not start the client"
	wait_screen "Громада: вхід до системи"
}

# login USER: type the demo password on the login screen
login() {
	text "$(password "$1")"
	keys Enter
}

# pin_key [FINGERPRINT]: answer «Так» to the first-contact key prompt
# (after seeing FINGERPRINT on it, if given)
pin_key() {
	wait_screen "Невідомий сервер"
	[ -n "${1:-}" ] && wait_screen "$1"
	text "т"
}

# find_in_journal Q: the journal filtered by applicant name or РНОКПП ("/")
find_in_journal() {
	keys /
	wait_screen "Фільтр журналу"
	text "$1"
	keys Enter
	wait_gone "Фільтр журналу"
	wait_screen "Фільтр: «$1»"
}

# filter_pick ROW TEXT MOVES: a choice made in the journal's filter
# dialog (F3) and applied: the keys ROW open a row's picker, which shows
# TEXT; the keys MOVES ("" for none) then Enter choose, F2 applies.
filter_pick() {
	keys F3
	wait_screen "Фільтр журналу"
	# shellcheck disable=SC2086
	keys $1
	wait_screen "$2"
	# shellcheck disable=SC2086
	[ -z "$3" ] || keys $3
	keys Enter
	wait_gone "$2"
	keys F2
	wait_gone "Фільтр журналу"
}

# downs N: the key Down N times, as filter_pick's MOVES.
downs() {
	downs_i=0
	while [ "$downs_i" -lt "$1" ]; do
		printf 'Down '
		downs_i=$((downs_i + 1))
	done
}

# open_found REG: the application REG, listed, opened into its case view
open_found() {
	wait_screen "$1"
	keys Enter
	wait_screen "Заява № $1"
}

# save_with_iban SAVED: the form's IBAN filled in and F2; waits for the
# message SAVED ("збережено; документи: ..."), sets $reg to the
# registration number it names, and waits for the journal behind it.
save_with_iban() {
	focus_to "IBAN"
	text "UA213996220000026007233566001"
	keys Tab
	keys F2
	wait_screen "$1" 150
	reg=$(screen | sed -n 's/.*Заяву № \([0-9]*\/[0-9]*\) збережено.*/\1/p' |
	    head -n 1)
	[ -n "$reg" ] || fail "no registration number shown"
	wait_screen "Журнал заяв"
}

exited() { [ -s "$T/exit" ]; }
expect_exit() {
	poll 100 exited || fail "the client did not quit"
	[ "$(cat "$T/exit")" = 0 ] || fail "the client exited with $(cat "$T/exit")"
	tmux -L "$SOCK" kill-server 2>/dev/null
}
