#!/bin/sh
# keys.sh — key decoding per TERM, through the real client (`hromada
# --keys`, the key test) in tmux: for every terminal type a clerk may
# have, the bytes each common terminal sends for Home, End, Insert,
# Delete, PgUp, PgDn, arrows, Shift-Tab and F1–F12 (xterm, rxvt, the
# Linux console, screen/tmux, PuTTY, VT220) must arrive as that key —
# never as Esc and letters — and Esc followed by a digit as F1–F10.
#
# Before tui/keys.c, End from tmux under TERM=xterm-256color ("ESC [4~")
# arrived as Esc: in the form it asked to leave without saving.
. "$(dirname "$0")/lib.sh"
e2e_init keys

# hex bytes  expected name: one encoding per line
SEQS='1b5b317e Home
1b5b347e End
1b5b377e Home
1b5b387e End
1b5b48 Home
1b5b46 End
1b4f48 Home
1b4f46 End
1b5b327e Insert
1b5b337e Delete
1b5b357e PgUp
1b5b367e PgDn
1b5b41 Up
1b4f42 Down
1b5b43 Right
1b4f44 Left
1b5b5a Shift-Tab
1b4f50 F1
1b5b31317e F1
1b5b5b41 F1
1b4f53 F4
1b5b31347e F4
1b5b5b45 F5
1b5b31357e F5
1b4f54 F5
1b5b31377e F6
1b5b31387e F7
1b5b31397e F8
1b5b32307e F9
1b5b32317e F10
1b4f59 F10
1b5b32337e F11
1b5b32347e F12
1b31 F1
1b35 F5
1b30 F10'

# The terminal types: what a PC, tmux, screen, SSH from Windows (PuTTY),
# a Linux console or an old terminal say they are.
TERMS='xterm xterm-256color screen screen-256color tmux-256color linux vt100 vt220 rxvt rxvt-unicode putty'

start_keytest() {
	tmux_fresh
	tmux -L "$SOCK" -f /dev/null new -d -x 80 -y 40 \
	    "env -u LANGUAGE TERM=$1 HROMADA_LOCALEDIR='$B/locale' \
	     '$B/hromada' --keys 2>>'$T/client.err'; echo \$? >'$T/exit'; \
	     sleep 30" || fail "tmux could not start the key test"
	wait_screen "Перевірка клавіш"
}

# The last two lines the key test listed, as "previous|last".
last_keys() {
	screen | sed -n '5,40p' | sed 's/^ *//' | grep -v '^$' | tail -n 2 |
	    tr '\n' '|' | sed 's/|$//'
}
marker_last() { [ "$(last_keys | sed 's/.*|//')" = "'$1'" ]; }
changed() { ! marker_last "$1"; }

checked=0
for term in $TERMS; do
	if ! infocmp "$term" >/dev/null 2>&1; then
		say "# TERM=$term: no terminfo entry here (ncurses-term); skipped"
		continue
	fi
	STEP="TERM=$term"
	start_keytest "$term"
	m=x
	while read -r hex want; do
		# A marker key first, so that what follows is known to be new.
		m=$([ "$m" = x ] && echo y || echo x)
		text "$m"
		poll 50 marker_last "$m" || fail "marker $m not shown"
		tmux -L "$SOCK" send-keys -H $(echo "$hex" | sed 's/../& /g')
		poll 50 changed "$m" || fail "bytes $hex gave no key"
		sleep 0.1           # a sequence taken apart shows more keys
		got=$(last_keys)
		[ "$got" = "'$m'|$want" ] ||
			fail "bytes $hex arrived as \"$got\" after the marker, not $want"
	done <<SEQS_END
$SEQS
SEQS_END
	checked=$((checked + 1))
	say "ok $checked - TERM=$term: every encoding decoded"
	keys C-q
	poll 50 exited || fail "Ctrl-Q did not end the key test"
done
[ "$checked" -ge 8 ] || fail "only $checked terminal types could be checked"
say "PASS: key decoding for $checked terminal types"
