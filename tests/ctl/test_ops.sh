#!/bin/sh
# test_ops.sh — the operations commands of hromadactl end to end on a
# temporary database: terminal, territory, service, user show|role|scope,
# backup and restore (also refused while hromadad runs), audit show and
# verify (with a deleted, an altered and a reordered record), stats, and
# hromadad refusing a bad configuration with the file and line.
#
# Exit codes checked: 0 success, 1 the command failed, 2 usage error.
. "$(dirname "$0")/lib.sh"
srv=${top_builddir:-.}/hromadad
[ -x "$srv" ] || { echo "no hromadad at $srv"; exit 99; }
ctl_begin test_ops
db=$tmp/hromada.db
C="$ctl --db $db"

run 0 "init" $C init
run 0 "demo" $C demo

# ---- the server's secret: in its key file, never in the database ----
[ "$(stat -c %a "$db.key" 2>/dev/null)" = 600 ] && ok ||
	bad "init left no key file $db.key of mode 600"
grep -q "^secret " "$db.key" && ok || bad "the key file holds no secret"
secret_hex() {   # the raw bytes of the key file's secret, as hex
	sed -n 's/^secret //p' "$db.key" | head -n 1 | base64 -d |
	    od -An -v -tx1 | tr -d ' \n'
}
hex_of() { od -An -v -tx1 "$1" | tr -d ' \n'; }
if command -v sqlite3 >/dev/null 2>&1; then
	[ "$(sqlite3 "$db" "SELECT count(*) FROM server_keys WHERE length(secret) > 0")" = 0 ] &&
	    ok || bad "the database holds a server secret"
	# A database from before the key file: its secret moves out.
	sec=$(secret_hex)
	cp "$db.key" "$tmp/key.saved"
	sqlite3 "$db" "UPDATE server_keys SET secret = X'$sec' WHERE retired_at IS NULL"
	rm -f "$db.key"
	run 0 "key show moves the secret out" $C key show
	[ "$(sqlite3 "$db" "SELECT count(*) FROM server_keys WHERE length(secret) > 0")" = 0 ] &&
	    ok || bad "the secret stayed in the database"
	[ "$(secret_hex)" = "$sec" ] && ok || bad "the key file did not get the secret"
	[ "$(stat -c %a "$db.key")" = 600 ] && ok || bad "moved key file mode"
fi
run 2 "key revoke without a fingerprint" $C key revoke
cur_fp=$($C key show | sed -n 1p)
run 1 "key revoke of the current key" $C key revoke "$cur_fp"
expect err "current key" "revoking the current key says to rotate first"
run 1 "key revoke of an unknown key" $C key revoke SHA256:nosuchkey

# ---- help lists every command ----
run 0 "--help" "$ctl" --help
for c in terminal territory service backup restore audit stats lock; do
	expect out "^  $c " "--help lists $c"
done

# ---- terminal ----
H="Березівська сільська ОТГ"
run 0 "terminal add" $C terminal add cnap-pc1 --territory "$H" --out "$tmp/pc1.key"
expect out "cnap-pc1" "terminal add names the terminal"
[ "$(stat -c %a "$tmp/pc1.key")" = 600 ] && ok || bad "key file mode is not 600"
expect_file() { grep -q "$2" "$1" && ok || bad "$3"; }
expect_file "$tmp/pc1.key" "^terminal cnap-pc1$" "key file names the terminal"
expect_file "$tmp/pc1.key" "^secret " "key file holds the secret"
run 1 "terminal add: name taken" $C terminal add cnap-pc1 --territory "$H" --out "$tmp/pc1b.key"
expect err "exists already" "taken terminal name is said"
[ -e "$tmp/pc1b.key" ] && bad "a refused terminal left a key file" || ok
run 1 "terminal add: file exists" $C terminal add cnap-pc2 --territory "$H" --out "$tmp/pc1.key"
expect err "remove it first" "existing key file is not overwritten"
run 1 "terminal add: bad name" $C terminal add "Bad Name" --territory "$H" --out "$tmp/x.key"
run 1 "terminal add: unknown territory" $C terminal add pc9 --territory Атлантида --out "$tmp/x.key"
run 2 "terminal add without --out" $C terminal add pc9 --territory "$H"
run 2 "terminal without subcommand" $C terminal
run 0 "terminal list" $C terminal list
expect out "^cnap-pc1 *active" "terminal list shows the terminal"
run 0 "terminal revoke" $C terminal revoke cnap-pc1
run 1 "terminal revoke again" $C terminal revoke cnap-pc1
expect err "revoked already" "second revoke says so"
run 1 "terminal revoke unknown" $C terminal revoke nope
run 0 "terminal list after revoke" $C terminal list
expect out "^cnap-pc1 *revoked" "revoked terminal is shown so"

# ---- lock (the login throttle's locks) ----
run 0 "lock list: nothing" $C lock list
expect out "nothing is locked" "lock list says nothing is locked"
sqlite3 "$db" "INSERT INTO login_throttle VALUES ('p:sta 10.0.0.9', 5, strftime('%s','now'), strftime('%s','now') + 600, strftime('%s','now') + 900);
INSERT INTO login_throttle VALUES ('u:sta', 5, strftime('%s','now'), 0, strftime('%s','now') + 900);" 2>/dev/null ||
	bad "cannot seed login_throttle (sqlite3 missing?)"
run 0 "lock list" $C lock list
expect out "^pair *sta *10.0.0.9 *5 " "lock list shows the locked pair"
grep -q "^user" "$tmp/out" && bad "lock list shows an unlocked key" || ok
run 0 "lock list --all" $C lock list --all
expect out "^user *sta *(anywhere) *5 " "lock list --all shows the counting key"
run 2 "lock clear without a target" $C lock clear
run 2 "lock clear --all with --user" $C lock clear --all --user sta
run 0 "lock clear --user" $C lock clear --user sta
expect out "Locks cleared: 2" "lock clear --user clears its key and pairs"
run 0 "lock list after clear" $C lock list --all
expect out "no failed logins are counting" "nothing left after clear"
run 0 "audit of the clearing" $C audit show --action lock.clear
expect out "user sta" "lock.clear is audited"

# ---- territory ----
run 0 "territory list" $C territory list
expect out "Україна \[country\]" "the tree has the root"
run 0 "territory list --under" $C territory list --under "$H"
expect out "^ *[0-9]*  $H \[hromada\]" "--under starts at the territory"
if grep -q "Вінницька" "$tmp/out"; then bad "--under shows other oblasts"; else ok; fi
run 1 "territory list --under unknown" $C territory list --under Атлантида
# A small classifier: an oblast, a raion (P), a hromada (H), a village (C);
# listed children first to show that the order of rows does not matter.
cat >"$tmp/k.csv" <<'CSV'
code,parent,kind,name
UA71080010010012345,UA71080010000054321,C,Нове Село
UA71080010000054321,UA71080000000011111,H,"Нова сільська ОТГ, тестова"
UA71080000000011111,UA71000000000022222,P,Новий район
UA71000000000022222,,O,Черкаська область
CSV
run 0 "territory import" $C territory import "$tmp/k.csv"
expect out "4 rows, 4 added" "import counts the rows"
run 0 "territory import again (idempotent)" $C territory import "$tmp/k.csv"
expect out "0 added, 4 updated" "second import adds nothing"
run 0 "territory list after import" $C territory list --under UA71000000000022222
expect out "^ *[0-9]*        Нове Село \[settlement\] UA71080010010012345" "village under its hromada"
expect out "Нова сільська ОТГ, тестова \[hromada\]" "quoted name with a comma"
cat >"$tmp/bad.csv" <<'CSV'
UA71000000000033333,,O,Ще одна область
UA7100000000003333X,,O,Погана
UA71000000000044444,UA71000000000055555,H,Сирота
UA71000000000066666,,planet,Марс
UA71000000000077777,,O,
UA71000000000033333,,O,Двічі
CSV
run 1 "territory import bad file" $C territory import "$tmp/bad.csv"
expect err "bad.csv:2: code" "bad code reported with its line"
expect err "bad.csv:4: kind" "bad kind reported with its line"
expect err "bad.csv:5: name" "empty name reported with its line"
expect err "bad.csv:6: code UA71000000000033333 appears twice" "duplicate reported"
expect err "nothing imported" "bad file imports nothing"
run 0 "territory list after a bad import" $C territory list
if grep -q "Ще одна область" "$tmp/out"; then bad "a bad import wrote rows"; else ok; fi
printf 'UA71000000000044444,UA71000000000055555,H,Сирота\n' >"$tmp/orphan.csv"
run 1 "territory import: parent unknown" $C territory import "$tmp/orphan.csv"
expect err "orphan.csv:1: parent UA71000000000055555 is neither" "unknown parent named"
printf 'UA71080000000011111,,P,Район під країною\n' >"$tmp/move.csv"
run 1 "territory import: moving refused" $C territory import "$tmp/move.csv"
expect err "not the kind or the parent" "moving a territory is refused"
printf 'UA71080000000099999,UA71080010010012345,H,Громада під селом\n' >"$tmp/kind.csv"
run 1 "territory import: kind under a lower kind" $C territory import "$tmp/kind.csv"
run 1 "territory import: missing file" $C territory import "$tmp/nope.csv"
run 2 "territory import without FILE" $C territory import
run 2 "territory require-terminal maybe" $C territory require-terminal "$H" maybe
run 0 "territory require-terminal on" $C territory require-terminal "$H" on
run 0 "territory list shows the requirement" $C territory list --under "$H"
expect out "requires terminal" "requirement is listed"

# ---- user show, role, scope ----
run 0 "user show" $C user show cnap
expect out "^role: *userCnap" "user show gives the role"
expect out "^terminal: *required" "user under the territory needs a terminal"
run 1 "user show unknown" $C user show nobody
run 0 "territory require-terminal off" $C territory require-terminal "$H" off
run 0 "user role" $C user role cnap --role super_userCnap
expect out "userCnap -> super_userCnap" "user role reports the change"
run 1 "user role: wrong kind" $C user role cnap --role upo_otg
expect err "belongs to a territory of kind hromada" "wrong kind is explained"
run 1 "user role: unknown role" $C user role cnap --role boss
run 2 "user role without --role" $C user role cnap
run 0 "user role with territory" $C user role cnap --role upo_otg --territory "$H"
run 0 "user scope" $C user scope cnap --territory "Якушинецька сільська ОТГ"
expect out "Якушинецька" "user scope reports the territory"
run 1 "user scope: wrong kind" $C user scope cnap --territory "Вінницька область"
run 2 "user scope without --territory" $C user scope cnap

# ---- service ----
mkdir "$tmp/ref"
run 0 "service export" $C service export "$tmp/ref"
expect out "22 services" "export counts the services"
head -n 1 "$tmp/ref/services.csv" | grep -q "^code,name_uk,system,required_documents,short_uk,days_front,days_otg,days_spszn$" && ok || bad "services.csv header"
run 0 "service import of the export" $C service import "$tmp/ref"
grep -q "^care_80,.*,Догляд 80+,1,2,10$" "$tmp/ref/services.csv" && ok || bad "short names exported"
cut -d, -f1-4 "$tmp/ref/services.csv" >"$tmp/ref/four.csv"
mv "$tmp/ref/four.csv" "$tmp/ref/services.csv"
run 0 "service import without short names (four columns)" $C service import "$tmp/ref"
run 0 "service export after it" $C service export "$tmp/ref"
# (the deadlines stay as stored: tests/ctl/test_calendar.sh)
grep -q "^care_80,.*,,1,2,10$" "$tmp/ref/services.csv" && ok || bad "four columns: no short name"
sed -i 's/^birth,\(.*\),asopd,/birth,\1,nowhere,/' "$tmp/ref/services.csv"
run 1 "service import: bad system" $C service import "$tmp/ref"
expect err "services.csv:[0-9]*: decision system \"nowhere\"" "bad system named with its line"
run 1 "service export to a missing dir" $C service export "$tmp/nowhere"
run 2 "service without DIR" $C service import

# ---- audit show ----
run 0 "audit show" $C audit show --limit 3
[ "$(wc -l <"$tmp/out")" -eq 3 ] && ok || bad "audit show --limit 3 printed $(wc -l <"$tmp/out") lines"
run 0 "audit show --action" $C audit show --action 'terminal.*' --limit 0
expect out "terminal.add	terminal:cnap-pc1" "filter by action pattern"
if grep -qv "	terminal\." "$tmp/out"; then bad "--action let others through"; else ok; fi
run 0 "audit show --object" $C audit show --object user:cnap
expect out "user.scope" "filter by object"
run 0 "audit show --since/--until" $C audit show --since 2000-01-01 --until 2999-12-31
run 0 "audit show in the past" $C audit show --until 2000-01-01
[ -s "$tmp/out" ] && bad "--until 2000 shows records" || ok
run 2 "audit show bad date" $C audit show --since yesterday
run 2 "audit show bad limit" $C audit show --limit -1
run 2 "audit without subcommand" $C audit

# ---- stats ----
run 0 "stats" $C stats
for w in "userSta" "hromada" "persons" "audit records" "database file" \
    "write-ahead log" "server key  *SHA256:" "revoked"; do
	expect out "$w" "stats shows $w"
done
run 2 "stats with an argument" $C stats now

# ---- backup and restore (no server) ----
# A session ticket in the backup (revoked later, say) must not come back.
have_sqlite=0
command -v sqlite3 >/dev/null 2>&1 && have_sqlite=1
[ $have_sqlite = 0 ] || sqlite3 "$db" "INSERT INTO session_tickets (id,
    user_id, created_at, expires_at, login_at) SELECT randomblob(32),
    min(id), 0, 4000000000, 0 FROM users"
run 0 "backup" $C backup "$tmp/b1.db"
expect out "verified: every page read back ok, quick_check ok, audit chain of [0-9]* records ok, its head [0-9]*:[0-9a-f]\{64\}" "backup is verified and names its head"
expect err "one moment of the database held for [0-9.]* s: 0 pages read again" "backup's moment reads only what the log committed"
expect err "verifying: every page read back from the disk: 100% " "backup reads every page back"
expect err "verifying: quick_check" "backup checks the copy's structure"
expect err "after 30 min 0 s at nice 19 if not done" "backup says its deadline"
expect err "paced: the disk busy with it at most 50% of the time" "backup says how it is paced"
expect err "copying: 100% " "backup shows its progress"
expect err "verifying" "backup says it verifies"
[ "$(stat -c %a "$tmp/b1.db")" = 600 ] && ok || bad "backup mode is not 600"
[ -e "$tmp/b1.db.partial" ] && bad "backup left its .partial" || ok
run 0 "the backup's head is recorded" $C audit show --action backup --limit 1
expect out "its head [0-9]*:" "backup record anchors the copy"
run 0 "backup --full-check --deadline 2" $C backup --full-check --deadline 2 "$tmp/b5.db"
expect out "verified: every page read back ok, integrity_check ok" "backup --full-check runs integrity_check"
expect err "after 2 min 0 s at nice 19 if not done" "backup says its deadline"
run 0 "backup --quiet at full speed" $C backup --quiet --share 100 "$tmp/b0.db"
[ -s "$tmp/err" ] && bad "backup --quiet wrote to stderr" || ok
run 0 "backup with a rate" $C backup --rate 50 --share 25 "$tmp/b00.db"
expect err "at most 25% of the time" "backup says its share"
expect err "paced: at most 50 MB a second" "backup says its rate"
# The backup does not hold the server's secret (issue 18, item 6).
case "$(hex_of "$tmp/b1.db")" in
*"$(secret_hex)"*) bad "the backup holds the server's secret" ;;
*) ok ;;
esac
[ ! -e "$tmp/b1.db.key" ] && ok || bad "backup copied the key file"
run 1 "backup over an existing file" $C backup "$tmp/b1.db"
expect err "exists already" "backup never replaces a file"
run 2 "backup without FILE" $C backup
run 2 "backup --share 0" $C backup --share 0 "$tmp/bx.db"
expect err "share wants a number from 1 to 100" "bad share refused"
run 2 "backup --rate x" $C backup --rate x "$tmp/bx.db"
run 2 "backup --deadline -1" $C backup --deadline -1 "$tmp/bx.db"
run 2 "backup two files" $C backup "$tmp/bx.db" "$tmp/by.db"
run 0 "user add after the backup" sh -c "echo koval-pass-2026 | $C user add late --role admin --territory 1 --full-name Late --password-stdin"
printf 'not a database at all, just text\n' >"$tmp/junk.db"
run 1 "restore junk" $C restore "$tmp/junk.db"
run 1 "restore a missing file" $C restore "$tmp/none.db"
sqlite3 "$tmp/empty.db" "CREATE TABLE t(x)" 2>/dev/null
run 1 "restore a foreign database" $C restore "$tmp/empty.db"
expect err "not a Hromada database" "foreign database refused"
run 0 "restore" $C restore "$tmp/b1.db"
expect out "hromada.db.bak" "restore names the kept database"
[ -f "$db.bak" ] && ok || bad "no .bak kept"
run 1 "user added after the backup is gone" $C user show late
run 0 "the .bak still has it" "$ctl" --db "$db.bak" user show late
run 0 "audit verify after restore" $C audit verify
run 0 "restore is audited" $C audit show --action restore
expect out "restore	database	from $tmp/b1.db" "restore record"
if [ $have_sqlite = 1 ]; then
	[ "$(sqlite3 "$tmp/b1.db" "SELECT count(*) FROM session_tickets")" = 1 ] &&
	    [ "$(sqlite3 "$db" "SELECT count(*) FROM session_tickets")" = 0 ] &&
	    ok || bad "restore kept the backup's session tickets"
fi

# ---- restore refuses while hromadad runs; hromadad refuses a bad conf ----
cat >"$tmp/bad.conf" <<CONF
[hromadad]
listen = 127.0.0.1:0
frobnicate = yes
CONF
run 1 "hromadad: unknown key" "$srv" --config "$tmp/bad.conf" --db "$db"
expect err "bad.conf:3: unknown key 'frobnicate'" "config refusal names file and line"
printf 'idle_timeout = 3\n' >"$tmp/bad2.conf"
run 1 "hromadad: value out of range" "$srv" --config "$tmp/bad2.conf" --db "$db"
expect err "bad2.conf:1: idle_timeout" "bad value names file and line"
printf 'user = no-such-user-here\n' >"$tmp/bad3.conf"
if [ "$(id -u)" = 0 ]; then
	run 1 "hromadad: missing user" "$srv" --config "$tmp/bad3.conf" --db "$db" --listen 127.0.0.1:0
	expect err "user 'no-such-user-here' does not exist" "missing user is named"
fi
: >"$tmp/srv.log"
"$srv" --db "$db" --listen 127.0.0.1:0 2>>"$tmp/srv.log" &
spid=$!
i=0
while ! grep -q "listening on" "$tmp/srv.log" && [ $i -lt 100 ]; do
	sleep 0.1; i=$((i + 1)); done
# The server is called by its name in ps and pgrep, also after it started
# itself again with a larger malloc cache (srvd/main.c tune_malloc_cache).
comm=$(cat "/proc/$spid/comm" 2>/dev/null || echo "?")
[ "$comm" = hromadad ] && ok || bad "the server's process is called '$comm', not hromadad"
run 1 "restore while the server runs" $C restore "$tmp/b1.db"
expect err "stop it first" "restore says to stop the server"
run 1 "a second server on the same database" "$srv" --db "$db" --listen 127.0.0.1:0
expect err "in use" "second server refused"
run 0 "backup while the server runs" $C backup "$tmp/b2.db"
kill "$spid"; wait "$spid"; spid=

# ---- audit verify: deleted, altered, reordered ----
if command -v sqlite3 >/dev/null 2>&1; then
	run 0 "audit verify intact" $C audit verify
	expect out "intact" "verify says intact"
	tamper() { # name SQL
		cp "$db" "$tmp/$1.db"
		sqlite3 "$tmp/$1.db" "DROP TRIGGER audit_log_no_update;
		    DROP TRIGGER audit_log_no_delete; $2"
	}
	tamper del "DELETE FROM audit_log WHERE id = 5"
	run 1 "verify: deleted record" "$ctl" --db "$tmp/del.db" audit verify
	expect err "broken at record 6: record 5 is missing" "deleted record named"
	tamper alt "UPDATE audit_log SET detail = 'nothing happened' WHERE id = 4"
	run 1 "verify: altered record" "$ctl" --db "$tmp/alt.db" audit verify
	expect err "broken at record 4: its content was altered" "altered record named"
	tamper swap "UPDATE audit_log SET id = -3 WHERE id = 3;
	    UPDATE audit_log SET id = 3 WHERE id = 4;
	    UPDATE audit_log SET id = 4 WHERE id = -3"
	run 1 "verify: reordered records" "$ctl" --db "$tmp/swap.db" audit verify
	expect err "broken at record 3: it does not follow record 2" "reordered record named"
	tamper last "DELETE FROM audit_log WHERE id = (SELECT max(id) - 1 FROM audit_log)"
	run 1 "verify: deleted next-to-last record" "$ctl" --db "$tmp/last.db" audit verify
	# Records cut from the end leave a valid chain; an anchor finds them.
	run 0 "audit head" $C audit head
	head=$(cat "$tmp/out")
	case $head in
	[1-9]*:????????????????????????????????????????????????????????????????) ok ;;
	*) bad "audit head printed '$head', not ID:HASH" ;;
	esac
	run 0 "verify --head, intact" $C audit verify --head "$head"
	expect out "anchored record is in it" "verify --head says the anchor holds"
	tamper cut "DELETE FROM audit_log WHERE id >= (SELECT max(id) - 2 FROM audit_log)"
	run 0 "verify: a cut end still chains" "$ctl" --db "$tmp/cut.db" audit verify
	run 1 "verify --head: cut end found" "$ctl" --db "$tmp/cut.db" audit verify --head "$head"
	expect err "audit log cut: record" "verify --head names the cut"
	tamper redo "UPDATE audit_log SET hash = zeroblob(32) WHERE id = (SELECT max(id) FROM audit_log)"
	run 1 "verify --head: rewritten head found" "$ctl" --db "$tmp/redo.db" audit verify --head "$head"
	run 2 "verify --head: malformed anchor" $C audit verify --head "12:xyz"
fi
# hromadad logged the audit head at start and at stop.
n=$(grep -c "audit head [0-9]*:[0-9a-f]* (st" "$tmp/srv.log" || true)
[ "$n" -ge 2 ] && ok || bad "hromadad logged $n audit heads (start, stop), not 2"

# ---- audit archive: retention, continuity, search ----
# Every record so far, then a few more after a second; archive the first.
cut=$(date '+%Y-%m-%d %H:%M:%S')
sleep 1
run 0 "a record after the cut" $C audit show --limit 1
live_before=$($C audit show --limit 0 | wc -l)
run 2 "archive without --before" $C audit archive
run 2 "archive in the future" $C audit archive --before 2999-01-01
expect err "in the future" "a future cut refused"
run 0 "audit archive" $C audit archive --before "$cut" --out "$tmp/a1.db"
expect out "^Archived audit records 1\.\." "archive says what it took"
expect out "verified, registered, anchored in the chain" "archive verified and anchored"
expect err "deleting from the live log: 100%" "archive shows its progress"
[ "$(stat -c %a "$tmp/a1.db")" = 600 ] && ok || bad "archive mode is not 600"
live_after=$($C audit show --limit 0 | wc -l)
[ "$live_after" -lt "$live_before" ] && ok || bad "the live log did not shrink ($live_before -> $live_after)"
run 0 "verify after archiving" $C audit verify
expect out "archived in 1 segments" "verify counts the archive"
run 0 "verify --archive" $C audit verify --archive "$tmp/a1.db"
expect out "the hash chain holds and continues the registered segment" "archive file verified"
run 0 "archive again: nothing" $C audit archive --before "$cut"
expect out "Nothing to archive" "nothing twice"
sleep 1
run 1 "archive over a file" $C audit archive --before "$(date '+%Y-%m-%d %H:%M:%S')" --out "$tmp/a1.db"
expect err "exists already" "an archive never replaces a file"
# Search: the archived user.add records of cnap are found in the file.
run 0 "show --archive" $C audit show --object user:cnap --archive "$tmp/a1.db"
expect out "user.add	user:cnap" "archived record found"
run 0 "show --person (none)" $C audit show --person 999999 --archive "$tmp/a1.db"
[ -s "$tmp/out" ] && bad "show --person 999999 found something" || ok
run 2 "show --person x" $C audit show --person x
if command -v sqlite3 >/dev/null 2>&1; then
	cp "$tmp/a1.db" "$tmp/a1bad.db"
	sqlite3 "$tmp/a1bad.db" "UPDATE blocks SET data = x'28b52ffd'"
	run 1 "verify a damaged archive" $C audit verify --archive "$tmp/a1bad.db"
	expect err "is not an intact audit archive" "damaged archive refused"
	# The registry altered: its anchor record in the chain says otherwise.
	cp "$db" "$tmp/reg.db"
	sqlite3 "$tmp/reg.db" "UPDATE audit_archives SET records = records + 1"
	run 1 "verify: registry altered" "$ctl" --db "$tmp/reg.db" audit verify
	expect err "does not anchor the archived segment" "altered registry found"
	# Archived records cannot be put back or others deleted by hand.
	run 1 "verify --archive against another registry" "$ctl" --db "$tmp/reg.db" audit verify --archive "$tmp/a1.db"
fi

ctl_end
