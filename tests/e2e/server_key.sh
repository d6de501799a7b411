#!/bin/sh
# tests/e2e/server_key.sh — the server's key as a clerk's client meets it
# (issue 18, items 3 and 7), through the real terminal client in tmux:
#
#  1. a planned rotation: the administrator makes a new key and signals
#     the server (SIGHUP); the logged-in client is told the new key inside
#     its channel and pins it (known_hosts) without asking anyone; the
#     old key is then revoked, the server closes the connection made with
#     it, and the client reconnects with the new key and resumes its
#     session -- no key dialog, no password;
#  2. a key that changed without being announced (another server on the
#     same address) is refused: the warning offers nothing to accept, and
#     pressing «Так» («т») or Enter leaves known_hosts as it was;
#  3. `hromada --forget-server` clears the pinned key; the next
#     connection is a first contact again, whose fingerprint is compared.
set -u

. "$(dirname "$0")/lib.sh"
E2E_PORT_SALT=311
e2e_init server_key

ctl() { "$B/hromadactl" --db "$T/h.db" "$@"; }
kh=$HOMEDIR/.config/hromada/known_hosts
pinned() { sed -n "s/^127.0.0.1:$PORT //p" "$kh" 2>/dev/null; }
pinned_is() { [ "$(pinned)" = "$1" ]; }
key_b64() { ctl key show | sed -n 2p; }

e2e_demo_db
# Started as root, the server would give root up and could no longer
# reread its key file in this directory, which is root's alone.
[ "$(id -u)" = 0 ] && SRV_ARGS="--user root"
start_server

# 1. planned rotation: announced, pinned, resumed
STEP=1
OLD_FP=$(ctl key show | head -n 1)
OLD_KEY=$(key_b64)
client sta
login sta
pin_key "$OLD_FP"
wait_screen "Журнал заяв"
pinned_is "$OLD_KEY" || fail "first contact did not pin the key"
ctl key rotate --grace 1h >/dev/null 2>&1 || fail "key rotate failed"
NEW_KEY=$(key_b64)
kill -HUP "$SRV_PID"
poll 100 pinned_is "$NEW_KEY" ||
	fail "the announced key was not pinned (known_hosts: $(pinned))"
wait_screen "Ключ сервера оновлено"
ctl key revoke "$OLD_FP" >/dev/null 2>&1 || fail "key revoke failed"
kill -HUP "$SRV_PID"
poll 100 grep -q "withdrawn (SIGHUP)" "$T/srv.log" ||
	fail "the server did not withdraw the old key"
wait_screen "З'єднання відновлено" 400
wait_screen "На зв'язку"
wait_screen "Журнал заяв"
screen_has "ЗМІНИВСЯ" && fail "a key dialog after a planned rotation"
screen_has "Пароль:" && fail "asked for the password again"
ctl audit show --user sta --action resume --limit 1 >"$T/audit.txt" 2>&1
grep -q "resume" "$T/audit.txt" || fail "no resume after the rotation"
keys F10
expect_exit
say "ok 1 - a planned rotation is announced, pinned and resumed with"

# 2. an unannounced key: refused, nothing to accept
STEP=2
old_port=$PORT
stop_server
mv "$T/h.db" "$T/first.db"
rm -f "$T/h.db-wal" "$T/h.db-shm" "$T/h.db.key"
e2e_demo_db                     # another database, another key
OTHER_FP=$(ctl key show | head -n 1)
start_server "$old_port"
client sta
login sta
wait_screen "КЛЮЧ СЕРВЕРА ЗМІНИВСЯ"
wait_screen "forget-server"
text "т"                        # «Так» would have replaced the key
keys Enter
wait_screen "Ключ сервера змінився; вхід заборонено"
pinned_is "$NEW_KEY" || fail "a changed key was pinned: $(pinned)"
screen_has "Журнал заяв" && fail "logged in through a changed key"
keys F10
expect_exit
say "ok 2 - an unannounced key change is refused, whatever is pressed"

# 3. --forget-server, then a first contact again
STEP=3
env HOME="$HOMEDIR" XDG_CONFIG_HOME= "$B/hromada" --forget-server \
    "127.0.0.1:$PORT" >"$T/forget.txt" 2>&1 || fail "--forget-server failed"
[ -z "$(pinned)" ] || fail "--forget-server left $(pinned)"
client sta
login sta
pin_key "$OTHER_FP"
wait_screen "Журнал заяв"
keys F10
expect_exit
say "ok 3 - --forget-server, then a first contact with the fingerprint"

exit 0
