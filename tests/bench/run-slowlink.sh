#!/bin/sh
# run-slowlink.sh — the terminal client over a slow link, beside the same
# client used over SSH and SSH -C through the same link (issue 11).
#
#   tests/bench/run-slowlink.sh [BUILD_DIR] [--rate 64kbit] [--delay 300ms]
#       [--think S] [--no-ssh] [--no-intake] [--short] [--trace]
#
# What runs: a demo database filled by gen_big (sta's starosta district has
# ~200 applications), hromadad on a free loopback port, and for each way
# in a link emulator (tests/link/linkemu, --delay is one way) in front of
# it:
#
#   native   hromada in tmux (80x24) -> linkemu -> hromadad
#   SSH      ssh in tmux -> linkemu -> a private sshd, which runs hromada
#            there -> hromadad (the terminal crosses the link, not the
#            protocol)
#   SSH -C   the same with ssh -C (zlib)
#
# The sshd is this script's own: a loopback port, a configuration, host
# and user keys in a temporary directory; nothing of the system's ssh is
# used or changed.  It needs /usr/sbin/sshd (Debian: openssh-server) and
# ssh (openssh-client); without them the SSH columns are skipped (--no-ssh
# skips them anyway).  sshd needs its privilege separation directory
# /run/sshd, which is created when missing.
#
# The walk is the issue's: start -> login screen, password -> journal, PgDn,
# PgDn, open the case under the cursor, back to the journal (F9), quit
# (F10).  After every step the clerk reads for --think seconds (default 3)
# before the next key: the native client fetches ahead meanwhile, SSH has
# nothing to fetch.  A step's *wait* is from the key to the screen showing
# all of what the step brings (polled with tmux capture-pane every 10 ms;
# the harness's own floor is printed: a purely local redraw); its bytes
# and turns are the link's (linkemu's counters) from the key to the next
# key, so what the native client fetches ahead counts where it happens.
#
# The intake (F4, service, find the applicant in the base, take them with
# their family, IBAN, F2 save, open it, F5 send to the hromada, confirm;
# the documents are scans attached later, issue 12): a typist
# who knows the form sends each field as a burst of keys and looks at the
# screen before going on (waits for the field, list or dialog to show);
# the total time, typing included, is compared.  --short: the walk only,
# native only, fewer checks (a smoke run, seconds).
#
# Prints one table: wait (ms), bytes up/down and turns per step for each
# way, the ratios native / SSH -C, the targets and the machine's load.
# Figures are meaningful from a build without sanitizers.  Exit status 1
# when something did not work (a screen never came); missed targets are
# flagged in the table, not an exit status.  --trace: then the native
# client's frames step by step (HROMADA_TRACE, hromada(1)): what each
# step sent and received, request by request.
set -u

b=${top_builddir:-.}
if [ $# -gt 0 ] && [ -d "$1" ]; then
	b=$1
	shift
fi
b=$(cd "$b" && pwd)
RATE=64kbit
DELAY=300ms
THINK=3
SSH_MODES="ssh sshc"
INTAKE=1
SHORT=0
TRACE=0
while [ $# -gt 0 ]; do
	case $1 in
	--rate) RATE=$2; shift ;;
	--delay) DELAY=$2; shift ;;
	--think) THINK=$2; shift ;;
	--no-ssh) SSH_MODES= ;;
	--no-intake) INTAKE=0 ;;
	--short) SHORT=1; SSH_MODES=; INTAKE=0; THINK=1 ;;
	--trace) TRACE=1 ;;
	*) echo "run-slowlink: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
for p in hromadad hromadactl hromada tests/link/linkemu tests/bench/gen_big; do
	[ -x "$b/$p" ] || { echo "run-slowlink: $b/$p is not built" >&2; exit 1; }
done
command -v tmux >/dev/null 2>&1 || { echo "run-slowlink: no tmux: skipped"; exit 77; }
if [ -n "$SSH_MODES" ] && { [ ! -x /usr/sbin/sshd ] || ! command -v ssh >/dev/null 2>&1 ||
    ! command -v ssh-keygen >/dev/null 2>&1; }; then
	echo "run-slowlink: no /usr/sbin/sshd or ssh (Debian: openssh-server," \
	    "openssh-client): the SSH columns are skipped"
	SSH_MODES=
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/hromada-slowlink.XXXXXX") || exit 1
SOCK=hromada-slowlink-$$
PIDS=
cleanup() {
	tmux -L "$SOCK" kill-server 2>/dev/null
	for p in $PIDS; do
		kill "$p" 2>/dev/null
	done
	for p in $PIDS; do
		wait "$p" 2>/dev/null
	done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

say() { printf '%s\n' "$*"; }
die() {
	say "run-slowlink: $*" >&2
	say "---- screen ----" >&2
	tmux -L "$SOCK" capture-pane -p >&2 2>/dev/null
	exit 1
}
now_ms() { date +%s%3N; }

# ---- the database and the server ----

db=$T/h.db
"$b/hromadactl" --db "$db" init >/dev/null || die "hromadactl init failed"
"$b/hromadactl" --db "$db" demo >"$T/demo.txt" || die "hromadactl demo failed"
"$b/tests/bench/gen_big" --db "$db" --persons 20000 --apps 4000 \
    --big-apps 1500 --hromadas 40 --quiet || die "gen_big failed"
password() { awk -v u="$1" '$1 == u { print $2 }' "$T/demo.txt"; }
sql() { sqlite3 "$db" "$1"; }

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null ||
		echo $((20000 + ($$ * 7 + $1 * 131) % 40000))
}
SRV_PORT=$(free_port 1)
"$b/hromadad" --db "$db" --listen "127.0.0.1:$SRV_PORT" 2>"$T/srv.log" &
PIDS="$PIDS $!"
i=0
until grep -q "listening on" "$T/srv.log" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 200 ] || die "hromadad did not start: $(tail -n 3 "$T/srv.log")"
	sleep 0.05
done

# linkemu NAME TARGET_PORT: a link of our own in front of TARGET_PORT;
# sets EMU_PORT.  Counters: emu_stats NAME.
linkemu() {
	rm -f "$T/$1.port"
	"$b/tests/link/linkemu" --listen 127.0.0.1:0 --to "127.0.0.1:$2" \
	    --rate "$RATE" --delay "$DELAY" --stats "$T/$1.sock" \
	    --ready "$T/$1.port" 2>"$T/$1.log" &
	PIDS="$PIDS $!"
	i=0
	until [ -s "$T/$1.port" ]; do
		i=$((i + 1))
		[ $i -lt 200 ] || die "linkemu did not start"
		sleep 0.02
	done
	EMU_PORT=$(cat "$T/$1.port")
}
# "UP DOWN TURNS" of link NAME so far
emu_stats() {
	"$b/tests/link/linkemu" --query "$T/$1.sock" |
	    awk '{ print $2, $4, $10 }'
}

# Each way has its own HOME for the client: its known_hosts, its cache.
client_home() { # DIR SERVER_ADDR
	mkdir -p "$1/.config/hromada"
	"$b/hromadactl" --db "$db" key show --known-hosts "$2" \
	    >"$1/.config/hromada/known_hosts" || die "key show failed"
	chmod 600 "$1/.config/hromada/known_hosts"
}
CLIENT_ENV="env -u LANGUAGE XDG_CONFIG_HOME= XDG_CACHE_HOME= HROMADA_LOCALEDIR=$b/locale HROMADA_ESCDELAY=100"

# ---- the private sshd ----

setup_sshd() {
	mkdir -p "$T/ssh" && chmod 700 "$T/ssh"
	ssh-keygen -q -t ed25519 -N '' -f "$T/ssh/host" || die "ssh-keygen"
	ssh-keygen -q -t ed25519 -N '' -f "$T/ssh/user" || die "ssh-keygen"
	cp "$T/ssh/user.pub" "$T/ssh/authorized_keys"
	SSHD_PORT=$(free_port 2)
	cat >"$T/ssh/sshd_config" <<-EOF
	Port $SSHD_PORT
	ListenAddress 127.0.0.1
	HostKey $T/ssh/host
	PidFile $T/ssh/sshd.pid
	AuthorizedKeysFile $T/ssh/authorized_keys
	PubkeyAuthentication yes
	PasswordAuthentication no
	KbdInteractiveAuthentication no
	UsePAM no
	StrictModes no
	PermitRootLogin prohibit-password
	PrintMotd no
	PrintLastLog no
	LogLevel ERROR
	EOF
	if [ ! -d /run/sshd ]; then
		mkdir -p /run/sshd 2>/dev/null && chmod 755 /run/sshd ||
			die "sshd needs /run/sshd; create it (as root)"
	fi
	/usr/sbin/sshd -D -e -f "$T/ssh/sshd_config" 2>"$T/ssh/sshd.log" &
	PIDS="$PIDS $!"
	i=0
	until python3 -c "import socket; socket.create_connection(('127.0.0.1', $SSHD_PORT)).close()" 2>/dev/null ||
	    { [ -n "$(command -v nc)" ] && nc -z 127.0.0.1 "$SSHD_PORT" 2>/dev/null; }; do
		i=$((i + 1))
		[ $i -lt 100 ] || die "sshd did not start: $(cat "$T/ssh/sshd.log")"
		sleep 0.05
	done
}

# ---- driving tmux ----

screen() { tmux -L "$SOCK" capture-pane -p 2>/dev/null; }
keys() { tmux -L "$SOCK" send-keys "$@"; }
text() { tmux -L "$SOCK" send-keys -l "$1"; }
# has T1 [T2...]: every text is on the screen
has() {
	s=$(screen)
	for t in "$@"; do
		case $s in *"$t"*) ;; *) return 1 ;; esac
	done
	return 0
}
# wait_for T1 [T2...]: poll every 10 ms (60 s at most)
wait_for() {
	w0=$(now_ms)
	until has "$@"; do
		[ $(($(now_ms) - w0)) -lt 60000 ] || die "no \"$*\" on the screen"
		sleep 0.01
	done
}
# Is the item with TEXT drawn in reverse video (the focused item)?
focused() {
	tmux -L "$SOCK" capture-pane -p -e 2>/dev/null | grep "$(printf '\033')\[7m" |
	    sed "s/$(printf '\033')\[[0-9;]*m//g" | grep -F -q -- "$1"
}

# start WAY CMD: the client in a fresh tmux server, 80x24, TERM=screen
start() {
	tmux -L "$SOCK" kill-server 2>/dev/null
	tsock=${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCK
	i=0
	while [ -S "$tsock" ] && [ $i -lt 50 ]; do sleep 0.05; i=$((i + 1)); done
	rm -f "$T/exit"
	tmux -L "$SOCK" -f /dev/null new -d -x 80 -y 24 \
	    "$2 2>>'$T/$1.err'; echo \$? >'$T/exit'; sleep 600" ||
		die "tmux could not start"
}

# ---- what the screens will show ----

STA_T=$(sql "SELECT territory_id FROM users WHERE name = 'sta'")
REGS=$(sql "SELECT reg_no FROM applications WHERE front_office_id = $STA_T ORDER BY id DESC LIMIT 80")
reg() { printf '%s\n' "$REGS" | sed -n "$(($1 + 1))p"; }

# ---- one step: a key, the screen it brings, the link's traffic ----

# Results go to $T/res: "WAY STEP WAIT_MS UP DOWN TURNS"
STEP_NAME=
STEP_KEYS_AT=
STEP_WAIT=
STEP_STATS=
# begin_step WAY NAME: note the counters; the step's key follows
begin_step() {
	end_step "$1"
	STEP_NAME=$2
	STEP_STATS=$(emu_stats "$1")
	STEP_KEYS_AT=$(now_ms)
	[ "$1" = native ] && say "== $2" >>"$T/native.trace"
}
# done_step: the screen is complete (after wait_for)
done_step() { STEP_WAIT=$(($(now_ms) - STEP_KEYS_AT)); }
# end_step WAY: the step's traffic ends where the next step begins
end_step() {
	[ -n "$STEP_NAME" ] || return 0
	set -- "$1" $STEP_STATS $(emu_stats "$1")
	say "$1 $STEP_NAME $STEP_WAIT $(($5 - $2)) $(($6 - $3)) $(($7 - $4))" >>"$T/res"
	STEP_NAME=
}
think() { sleep "$THINK"; }

# The harness's floor: F1 (help, drawn by the client itself) and back.
floor_ms() {
	f0=$(now_ms)
	keys F1
	wait_for "Натисніть будь-яку клавішу"
	f1=$(now_ms)
	keys Space
	wait_for "Журнал заяв"
	say "$((f1 - f0))"
}

# ---- the walk ----

# walk WAY CMD
walk() {
	way=$1
	cmd=$2
	begin_step "$way" start
	start "$way" "$cmd"
	wait_for "Пароль:"
	done_step
	think
	begin_step "$way" login
	text "$(password sta)"
	keys Enter
	wait_for "Журнал заяв" "$(reg 0)" "$(reg $((PAGE - 1)))"
	done_step
	think
	top=0
	for n in 1 2; do
		begin_step "$way" "pgdn$n"
		keys NPage
		top=$((top + PAGE - 1))
		wait_for "$(reg $top)" "$(reg $((top + PAGE - 1)))"
		has "$(reg $((top - 1)))" && die "PgDn did not turn the page"
		done_step
		think
	done
	begin_step "$way" open
	keys Enter
	wait_for "Заява № $(reg $top)" "Фронт-офіс:" "9Журнал"
	done_step
	think
	begin_step "$way" back
	keys F9
	wait_for "Журнал заяв" "$(reg $top)" "$(reg $((top + PAGE - 1)))"
	done_step
	think
	if [ "$way" = native ] && [ -z "${FLOOR:-}" ]; then
		FLOOR=$(floor_ms)
		think
	fi
	begin_step "$way" quit
	keys F10
	w0=$(now_ms)
	until [ -s "$T/exit" ]; do
		[ $(($(now_ms) - w0)) -lt 30000 ] || die "the client did not quit"
		sleep 0.01
	done
	done_step
	sleep 1
	end_step "$way"
}

# ---- the intake ----

# down_to TEXT: Down until the item with TEXT has the focus (calibration
# only: it looks at the screen after every key); prints the count.
down_to() {
	n=0
	while ! focused "$1"; do
		before=$(tmux -L "$SOCK" capture-pane -p -e)
		keys Down
		n=$((n + 1))
		[ $n -lt 200 ] || die "could not reach \"$1\""
		j=0
		while [ "$(tmux -L "$SOCK" capture-pane -p -e)" = "$before" ] && [ $j -lt 50 ]; do
			sleep 0.02
			j=$((j + 1))
		done
	done
	say $n
}

# Persons the intake finds: in a family, no application yet, the only
# ones with their full name, findable by name from sta's oblast.
STA_OBLAST=$(sql "WITH RECURSIVE up(id, parent_id, kind) AS (
      SELECT id, parent_id, kind FROM territories WHERE id = $STA_T
      UNION ALL SELECT t.id, t.parent_id, t.kind FROM territories t
      JOIN up ON t.id = up.parent_id)
    SELECT id FROM up WHERE kind = 'oblast'")
# The same form for each (a grown-up with a passport and a spouse only),
# so that the key counts learnt on one hold for all.
PERSONS=$(sql "SELECT p.surname || ' ' || p.name || ' ' || p.patronymic FROM persons p
    WHERE p.doc_type = 'passport' AND p.birth_date < '2000-01-01'
      AND (SELECT count(*) FROM family_members f WHERE f.person_id = p.id) = 1
      AND EXISTS (SELECT 1 FROM family_members f WHERE f.person_id = p.id
          AND f.relation = 'spouse')
      AND EXISTS (SELECT 1 FROM person_oblasts o WHERE o.person_id = p.id
          AND o.oblast_id = $STA_OBLAST)
      AND NOT EXISTS (SELECT 1 FROM applications a WHERE a.applicant_id = p.id)
      AND p.rnokpp IS NOT NULL
      AND p.patronymic IS NOT NULL AND p.patronymic <> ''
      AND (SELECT count(*) FROM persons q WHERE q.surname = p.surname AND q.name = p.name
          AND q.patronymic = p.patronymic) = 1
    ORDER BY p.id LIMIT 4")
person() { printf '%s\n' "$PERSONS" | sed -n "$1p"; }
SERVICE="Житлова субсидія на оплату"
IBAN=UA213996220000026007233566001

# The form's layout as key counts, learnt once on the native client
# over a fast link (what a clerk who knows the form has in their fingers).
calibrate_intake() {
	keys F4
	wait_for "Нова заява"
	keys Enter
	wait_for "┌"
	N_SERVICE=$(down_to "$SERVICE")
	keys Enter
	wait_for "<$SERVICE"
	keys F3
	wait_for "Пошук особи"
	text "$(person 4)"
	wait_for "Знайдено: 1"
	keys Enter
	wait_for "Дані особи взято з бази"
	N_IBAN=$(down_to "IBAN")
	keys Escape
	wait_for "Вийти без збереження?"
	text "т"
	wait_for "Журнал заяв"
}

# intake WAY N: the measured intake with person N; one step, and its
# phases in $T/phases
intake() {
	way=$1
	begin_step "$way" intake
	keys F4
	wait_for "Нова заява"
	keys Enter
	wait_for "┌"
	i=0; while [ $i -lt "$N_SERVICE" ]; do keys Down; i=$((i + 1)); done
	keys Enter
	wait_for "<$SERVICE"
	keys F3
	wait_for "Пошук особи"
	text "$(person "$2")"
	wait_for "Знайдено: 1"
	keys Enter
	wait_for "Дані особи взято з бази"
	i=0; while [ $i -lt "$N_IBAN" ]; do keys Down; i=$((i + 1)); done
	text "$IBAN"
	wait_for "$IBAN"
	keys F2
	# the journal shows the new application (at the top) once it has
	# revalidated its first page
	wait_for "Журнал заяв" "збережено"
	w0=$(now_ms)
	until screen | grep -A1 '^Реєстр' | tail -n 1 | grep -q 'Формування'; do
		[ $(($(now_ms) - w0)) -lt 60000 ] || die "the new draft is not at the top"
		sleep 0.01
	done
	keys Home Enter
	wait_for "Заява №" "Формування заяви" "5Передати"
	keys F5
	wait_for "Новий статус"
	# the package is partial (no scans yet): the question's default is
	# No; "т" answers yes
	text "т"
	wait_for "Виконано. Статус"
	done_step
	think
}

# ---- the runs ----

: >"$T/res"
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)

# native: warm the client's cache once (a clerk's daily login), then walk
mkdir -p "$T/native"
linkemu native "$SRV_PORT"
client_home "$T/native" "127.0.0.1:$EMU_PORT"
NATIVE_CMD="$CLIENT_ENV HOME=$T/native HROMADA_TRACE=$T/native.trace TERM=screen $b/hromada --server 127.0.0.1:$EMU_PORT --user sta"
start native "$NATIVE_CMD"
wait_for "Пароль:"
text "$(password sta)"
keys Enter
wait_for "Журнал заяв" "$(reg 0)"
# The rows the journal shows at 80x24 (the client's page): reg numbers on
# the screen once the first page is drawn.
sleep 1
PAGE=$(screen | grep -c -E '[0-9]{5}/[0-9]{4}')
[ "$PAGE" -ge 5 ] || die "the journal shows $PAGE rows"
if [ "$INTAKE" = 1 ]; then
	calibrate_intake
fi
keys F10
until [ -s "$T/exit" ]; do sleep 0.05; done

# The walks first (each sees the same journal), then the intakes (each
# adds an application at the top).
say "== (the measured runs)" >>"$T/native.trace"
walk native "$NATIVE_CMD"
if [ -n "$SSH_MODES" ]; then
	setup_sshd
	mkdir -p "$T/remote"
	client_home "$T/remote" "127.0.0.1:$SRV_PORT"
	REMOTE="$CLIENT_ENV HOME=$T/remote $b/hromada --server 127.0.0.1:$SRV_PORT --user sta"
	for way in $SSH_MODES; do
		linkemu "$way" "$SSHD_PORT"
		printf '[127.0.0.1]:%s %s\n' "$EMU_PORT" "$(cut -d' ' -f1-2 "$T/ssh/host.pub")" \
		    >"$T/ssh/known_hosts.$way"
		opt=
		[ "$way" = sshc ] && opt=-C
		cmd="env TERM=screen ssh -F /dev/null $opt -i $T/ssh/user -o IdentitiesOnly=yes \
		    -o UserKnownHostsFile=$T/ssh/known_hosts.$way -o StrictHostKeyChecking=yes \
		    -o BatchMode=yes -o LogLevel=ERROR -p $EMU_PORT -t 127.0.0.1 '$REMOTE'"
		printf '%s\n' "$cmd" >"$T/cmd.$way"
		walk "$way" "$cmd"
	done
fi
if [ "$INTAKE" = 1 ]; then
	n=1
	for way in native $SSH_MODES; do
		if [ "$way" = native ]; then
			cmd=$NATIVE_CMD
		else
			cmd=$(cat "$T/cmd.$way")
		fi
		start "$way" "$cmd"
		wait_for "Пароль:"
		text "$(password sta)"
		keys Enter
		wait_for "Журнал заяв" "$(reg 0)"
		think
		intake "$way" "$n"
		end_step "$way"
		n=$((n + 1))
	done
fi
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- the table ----

awk -v floor="${FLOOR:-0}" -v rate="$RATE" -v delay="$DELAY" -v think="$THINK" \
    -v load0="$LOAD0" -v load1="$LOAD1" '
{
	w[$1, $2] = $3; up[$1, $2] = $4; dn[$1, $2] = $5; tu[$1, $2] = $6
	have[$1] = 1
}
function cell(way, s) {
	if (!((way, s) in w))
		return sprintf("%21s", "-")
	return sprintf("%6d %6d/%-6d %2d", w[way, s], up[way, s], dn[way, s], tu[way, s])
}
END {
	split("start login pgdn1 pgdn2 open back quit", steps, " ")
	split("start -> login screen|password -> journal|PgDn|PgDn|open the case|back to the journal (F9)|quit (F10)", label, "|")
	printf "Link %s each way, %s one-way delay (RTT %s x 2); the clerk reads %s s after each step.\n", rate, delay, delay, think
	printf "Load (1, 5, 15 min): %s before, %s after.  Harness floor (a local redraw seen through tmux): %d ms.\n\n", load0, load1, floor
	printf "%-26s %-21s %-21s %-21s  %s\n", "", "native", "SSH", "SSH -C", "native / SSH -C"
	printf "%-26s %-21s %-21s %-21s  %s\n", "step", "wait ms   up/down B  turns", "", "", "wait   bytes"
	for (i = 1; i <= 7; i++) {
		s = steps[i]
		r = ""
		if (("sshc", s) in w && w["sshc", s] > 0) {
			bn = up["native", s] + dn["native", s]
			bs = up["sshc", s] + dn["sshc", s]
			r = sprintf("%5.2f  %5.2f", w["native", s] / w["sshc", s], bs ? bn / bs : 0)
		}
		printf "%-26s %s %s %s  %s\n", label[i], cell("native", s), cell("ssh", s), cell("sshc", s), r
		for (way in have) {
			tw[way] += w[way, s]; tup[way] += up[way, s]; tdn[way] += dn[way, s]; ttu[way] += tu[way, s]
		}
	}
	printf "%-26s", "whole walk"
	split("native ssh sshc", ways, " ")
	for (k = 1; k <= 3; k++) {
		if (ways[k] in have)
			printf " %6d %6d/%-6d %2d", tw[ways[k]], tup[ways[k]], tdn[ways[k]], ttu[ways[k]]
		else
			printf " %21s", "-"
	}
	if ("sshc" in have)
		printf "  %5.2f  %5.2f", tw["native"] / tw["sshc"], (tup["native"] + tdn["native"]) / (tup["sshc"] + tdn["sshc"])
	printf "\n"
	if (("native", "intake") in w) {
		printf "%-26s %s %s %s", "whole intake (typing incl.)", cell("native", "intake"), cell("ssh", "intake"), cell("sshc", "intake")
		if (("sshc", "intake") in w)
			printf "  %5.2f  %5.2f", w["native", "intake"] / w["sshc", "intake"], (up["native", "intake"] + dn["native", "intake"]) / (up["sshc", "intake"] + dn["sshc", "intake"])
		printf "\n"
	}
	printf "\nTargets (issue 11): every browsing step (PgDn, open, back) waits <= 0.5 x SSH -C, a prefetched one\n"
	printf "waits nothing (the harness floor); the whole walk moves <= the bytes of SSH -C; the whole intake\n"
	printf "takes <= 0.5 x SSH -C.\n"
	if ("sshc" in have) {
		split("pgdn1 pgdn2 open back", br, " ")
		for (i = 1; i <= 4; i++) {
			s = br[i]
			ok = w["native", s] <= 0.5 * w["sshc", s]
			printf "  %-8s %5d ms vs %5d ms x 0.5 = %5d ms  %s%s\n", s, w["native", s], w["sshc", s], w["sshc", s] / 2,
			    ok ? "met" : "MISSED", w["native", s] <= floor + 50 ? " (at the floor: nothing waited)" : ""
		}
		bn = tup["native"] + tdn["native"]; bs = tup["sshc"] + tdn["sshc"]
		printf "  walk bytes %d vs %d  %s\n", bn, bs, bn <= bs ? "met" : "MISSED"
		if (("sshc", "intake") in w)
			printf "  intake %d ms vs %d ms x 0.5 = %d ms  %s\n", w["native", "intake"], w["sshc", "intake"],
			    w["sshc", "intake"] / 2, w["native", "intake"] <= 0.5 * w["sshc", "intake"] ? "met" : "MISSED"
	}
}' "$T/res"

# ---- the native client's frames, step by step ----

if [ "$TRACE" = 1 ]; then
	say ""
	say "The native client's frames (HROMADA_TRACE): ms since the client started, > sent / < received,"
	say "bytes on the wire, msgid, method; a step's sum below it."
	sed -n '/^== (the measured runs)/,$p' "$T/native.trace" | awk '
	function flush() {
		if (step != "")
			printf "   %-24s %6d B up in %2d frames, %6d B down in %2d frames\n", "(" step ")", up, nup, dn, ndn
		up = dn = nup = ndn = 0
	}
	/^== / { flush(); step = substr($0, 4); if (step != "(the measured runs)") print "-- " step; else step = ""; next }
	{ printf "   %7d %s %5d %4d %s\n", $1, $2, $3, $4, $5
	  if ($2 == ">") { up += $3; nup++ } else { dn += $3; ndn++ } }
	END { flush() }'
fi
