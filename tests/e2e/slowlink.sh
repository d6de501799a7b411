#!/bin/sh
# slowlink.sh — what the slow link carries stays within its budgets
# (issue 11), in seconds, without sshd: the real client in tmux (80x30: a
# 20-row page) through the link emulator (tests/link/linkemu) in front of
# a real hromadad, on a demo database grown by gen_big; its own trace
# (HROMADA_TRACE, hromada(1)) says frame by frame what was sent and
# received.  The benchmark with the times beside SSH is
# tests/bench/run-slowlink.sh; this keeps its byte and round-trip figures
# from regressing silently:
#
#   login    a clerk's daily login (reference data cached) is ONE round
#            trip of two requests, `login` and the journal's first page —
#            no reference.get or territory.front_offices at all — and the
#            login's reply is at most LOGIN_MAX bytes
#   page     every journal page of 20 rows is at most PAGE_MAX bytes
#   ahead    the next page and the case under a resting cursor come
#            without a key; PgDn and opening that case send no request
#   case     a case without attachments is at most CASE_MAX bytes
#   back     coming back to the journal checks the pages by etag: each
#            answer at most UNCHANGED_MAX bytes
#   walk     the whole walk (login, PgDn, open, back) moves at most
#            WALK_DOWN_MAX bytes down the link (7,000 until gen_big's
#            answered cases carried their decisions: the walk went from
#            6,831 to 7,286 B, each page ~150 B and an answered case
#            ~145 B larger, as the real ones are)
#
# Bytes are the client's frames on the wire (header and tag included),
# the same as the link counts; they do not depend on the machine's load.
. "$(dirname "$0")/lib.sh"

LOGIN_MAX=512
PAGE_MAX=2048
CASE_MAX=1536
UNCHANGED_MAX=64
WALK_DOWN_MAX=7500

e2e_init slowlink
for p in tests/link/linkemu tests/bench/gen_big; do
	[ -x "$B/$p" ] || { echo "SKIP: $B/$p not built"; exit 77; }
done
command -v sqlite3 >/dev/null 2>&1 || { echo "SKIP: sqlite3 missing"; exit 77; }
LINK_PID=
EXTRA_SOCKS=
trap 'kill "$LINK_PID" 2>/dev/null; e2e_cleanup' EXIT

STEP=setup
e2e_demo_db
"$B/tests/bench/gen_big" --db "$T/h.db" --persons 8000 --apps 600 \
    --big-apps 300 --hromadas 40 --quiet || fail "gen_big failed"
start_server
SRV_PORT=$PORT
"$B/tests/link/linkemu" --listen 127.0.0.1:0 --to "127.0.0.1:$SRV_PORT" \
    --rate 1mbit --delay 100ms --stats "$T/link.sock" --ready "$T/link.port" \
    2>"$T/link.log" &
LINK_PID=$!
poll 100 test -s "$T/link.port" || fail "linkemu did not start"
PORT=$(cat "$T/link.port")          # the client goes through the link

STA_T=$(sql "SELECT territory_id FROM users WHERE name = 'sta'")
REGS=$(sql "SELECT reg_no FROM applications WHERE front_office_id = $STA_T
    ORDER BY id DESC LIMIT 60")
reg() { printf '%s\n' "$REGS" | sed -n "$(($1 + 1))p"; }
[ -n "$(reg 40)" ] || fail "sta's journal has fewer than 41 applications"

TRACE=$T/trace
mark() { say "== $1" >>"$TRACE"; }
# section NAME: the trace lines of step NAME (up to the next mark)
section() { sed -n "/^== $1\$/,/^== /p" "$TRACE" | grep -v '^== '; }
# replies WHAT: how many responses to WHAT the trace holds
replies() { grep -c "^[0-9]* < [0-9]* [0-9]* $1\$" "$TRACE"; }
has_replies() { [ "$(replies "$1")" -ge "$2" ]; }
down_bytes() {  # LINK counter of bytes down
	"$B/tests/link/linkemu" --query "$T/link.sock" | awk '{ print $4 }'
}

# ---- a first login: pins the key and fills the reference-data cache ----
STEP=first
client sta 80x30 screen "HROMADA_TRACE='$TRACE'"
login sta
pin_key
wait_screen "Журнал заяв"
wait_screen "$(reg 0)"
keys F10
expect_exit

# ---- the measured walk ----
STEP=login
: >"$TRACE"
client sta 80x30 screen "HROMADA_TRACE='$TRACE'"
# the early connection's handshake, done while the password is typed
poll 100 grep -q '< [0-9]* 0 (handshake)' "$TRACE" ||
	fail "no handshake while the login screen shows"
DOWN0=$(down_bytes)
mark login
login sta
wait_screen "$(reg 0)"
wait_screen "$(reg 19)"
rows=$(screen | grep -c -E '^[0-9]{5}/[0-9]{4} ')
[ "$rows" = 20 ] || fail "the journal shows $rows rows at 80x30, not 20"
# What the login waited for: the requests sent before the first answer.
section login | awk '
	$2 == "<" { exit }
	$2 == ">" { printf "%s ", $5 }' >"$T/first"
[ "$(cat "$T/first")" = "login journal.list " ] ||
	fail "the login's round trip sent: $(cat "$T/first")(want login journal.list)"
section login | grep -E -q 'reference.get|territory.front_offices' &&
	fail "the login asked for cached reference data: $(section login)"
n=$(section login | awk '$2 == "<" && $5 == "login" { print $3 }')
[ -n "$n" ] && [ "$n" -le "$LOGIN_MAX" ] ||
	fail "the login's reply is ${n:-no} bytes (budget $LOGIN_MAX)"
say "ok 1 - login: one round trip (login + first page), no reference data asked, reply $n B"

STEP=ahead
# the next page comes without a key, then the case under the cursor
poll 100 has_replies journal.list 2 || fail "the next page was not fetched ahead"
poll 100 has_replies application.get 1 ||
	fail "the case under the resting cursor was not fetched ahead"
mark pgdn
keys NPage
wait_screen "$(reg 38)"
wait_screen "$(reg 19)"
screen_has "$(reg 18)" && fail "PgDn did not turn the page"
# the page after that and the case under the cursor, ahead again
poll 100 has_replies journal.list 3 || fail "the third page was not fetched ahead"
poll 100 has_replies application.get 2 ||
	fail "the case under the resting cursor was not fetched ahead after PgDn"
section pgdn | awk '$2 == ">" && $5 != "journal.list" && $5 != "application.get" {
	print; bad = 1 } END { exit bad }' || fail "PgDn sent what it should not"
say "ok 2 - the next page and the case under the cursor come ahead"

STEP=open
mark open
keys Enter
wait_screen "Заява № $(reg 19)"
wait_screen "Фронт-офіс:"
sleep 0.3
section open | grep -q ' > ' && fail "opening a case fetched ahead sent: $(section open)"
say "ok 3 - opening the case fetched ahead sends nothing"

STEP=back
sleep 2                         # the clerk reads the case (JROWS_FRESH_MS)
mark back
keys F9
wait_screen "$(reg 19)"
wait_screen "$(reg 38)"
poll 100 sh -c "[ \$(sed -n '/^== back\$/,\$p' '$TRACE' | grep -c ' < .* journal.list') -ge 1 ]" ||
	fail "coming back did not check the pages held"
sleep 1
section back | awk -v max="$UNCHANGED_MAX" '$2 == "<" && $3 > max { print; bad = 1 }
	END { exit bad }' >"$T/big" || fail "a page checked by etag came whole: $(cat "$T/big")"
say "ok 4 - back to the journal: the pages held checked by etag, $(section back | grep -c ' < ') small answers"

STEP=budgets
# every 20-row page and every case (the two fetched have no attachments)
awk -v max="$PAGE_MAX" '$2 == "<" && $5 == "journal.list" && $3 > max { print; bad = 1 }
	END { exit bad }' "$TRACE" >"$T/big" || fail "a journal page over $PAGE_MAX B: $(cat "$T/big")"
pages=$(awk '$2 == "<" && $5 == "journal.list" && $3 > 1000 { printf "%s ", $3 }' "$TRACE")
ids=$(sql "SELECT count(*) FROM attachments t JOIN applications a ON a.id = t.application_id
    WHERE a.reg_no IN ('$(reg 0)', '$(reg 19)')")
[ "$ids" = 0 ] || fail "the cases fetched have attachments: the case budget is for none"
awk -v max="$CASE_MAX" '$2 == "<" && $5 == "application.get" && $3 > max { print; bad = 1 }
	END { exit bad }' "$TRACE" >"$T/big" || fail "a case over $CASE_MAX B: $(cat "$T/big")"
cases=$(awk '$2 == "<" && $5 == "application.get" { printf "%s ", $3 }' "$TRACE")
down=$(($(down_bytes) - DOWN0))
[ "$down" -le "$WALK_DOWN_MAX" ] ||
	fail "the walk moved $down B down the link (budget $WALK_DOWN_MAX): $(cat "$TRACE")"
say "ok 5 - pages ${pages}B (<= $PAGE_MAX), cases ${cases}B (<= $CASE_MAX), the walk $down B down (<= $WALK_DOWN_MAX)"

keys F10
expect_exit
