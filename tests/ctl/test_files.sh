#!/bin/sh
# test_files.sh — hromadactl files verify|gc on the demo database's file
# store (db/filestore.h): verify passes on the demo's scans and names a
# damaged, a missing and a resized file with the applications using them;
# gc removes a detached file, an upload without progress with its partial,
# a file and a partial nothing records and an old temporary file, and
# keeps what an attachment, a fresh upload or an upload of that content
# still needs, and refuses while a backup holds the store; backup copies
# exactly the scans its snapshot names (hashed, refusing a damaged one),
# restore puts them back with the database (the old ones kept beside
# DB.bak) and refuses a backup whose scans are missing or damaged,
# leaving the live database and store as they were.  Exit codes: 0
# success, 1 the check failed, 2 usage.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || { echo "no sqlite3: skipped"; exit 77; }
command -v b2sum >/dev/null 2>&1 || { echo "no b2sum: skipped"; exit 77; }
ctl_begin test_files
db=$tmp/hromada.db
store=$tmp/hromada.files
C="$ctl --db $db"

q() { sql "$1"; }
hash_of() { b2sum -l 256 "$1" | cut -c1-64; }
path_of() { echo "$store/$(echo "$1" | cut -c1-2)/$1"; }

run 0 "init" $C init
run 0 "demo" $C demo
[ -d "$store/partial" ] && ok || bad "no store beside the database"
[ "$(stat -c %a "$store")" = 700 ] && ok || bad "the store is not 0700"
nfiles=$(q "SELECT count(*) FROM files")
[ "$nfiles" -gt 0 ] && ok || bad "the demo stored no scans"

# ---- verify ----
run 0 "verify on the demo" $C files verify
expect out "Files intact: $nfiles files" "verify counts every file"

h=$(q "SELECT lower(hex(hash)) FROM files ORDER BY hash LIMIT 1")
f=$(path_of "$h")
reg=$(q "SELECT a.reg_no FROM attachments t JOIN applications a ON
    a.id = t.application_id WHERE lower(hex(t.file_hash)) = '$h' AND
    a.reg_no IS NOT NULL LIMIT 1")
[ "$(hash_of "$f")" = "$h" ] && ok || bad "a stored file is not named by its BLAKE2b-256"
cp "$f" "$tmp/keep"
chmod u+w "$f"
printf 'X' | dd of="$f" bs=1 seek=20 conv=notrunc 2>/dev/null
run 1 "verify: a damaged file" $C files verify
expect out "^damaged	$h	" "verify names the damaged file"
[ -z "$reg" ] || expect out "$reg" "verify names an application using it"
expect err "1 of $nfiles stored files are missing or damaged" "verify says how many"
rm -f "$f"
run 1 "verify: a missing file" $C files verify
expect out "^missing	$h	" "verify names the missing file"
head -c 10 "$tmp/keep" >"$f"
run 1 "verify: a cut file" $C files verify
expect out "	$h	" "verify names the cut file"
cp "$tmp/keep" "$f"
run 0 "verify after the file is back" $C files verify

# ---- gc keeps what is used ----
run 0 "gc on the demo" $C files gc
expect out "Removed 0 files" "gc removes no used file"
[ "$(q "SELECT count(*) FROM files")" = "$nfiles" ] && ok || bad "gc dropped used rows"

# A file detached everywhere it was attached: its row and its file go.
h1=$(q "SELECT lower(hex(hash)) FROM files ORDER BY hash DESC LIMIT 1")
app=$(q "SELECT min(application_id) FROM attachments")
q "DELETE FROM attachments WHERE lower(hex(file_hash)) = '$h1'"

# An upload with no progress for 8 days and its partial; a fresh one.
old=$(( $(date +%s) - 8 * 86400 ))
now=$(date +%s)
q "INSERT INTO uploads (id, user_id, application_id, doc_code, name, hash,
    size, received, created_at, updated_at) VALUES (900, 1, $app, 'id_doc',
    'old.jpg', x'$(printf %062d01 0)', 100, 10, $old, $old),
    (901, 1, $app, 'id_doc', 'new.jpg', x'$(printf %062d02 0)', 100, 10,
    $now, $now)"
printf '0123456789' >"$store/partial/900"
printf '0123456789' >"$store/partial/901"

# A file nothing records; one an open upload is bringing; a partial of no
# upload; an old and a fresh temporary file.
printf 'orphan content' >"$tmp/orphan"
ho=$(hash_of "$tmp/orphan")
mkdir -p "$(dirname "$(path_of "$ho")")"
cp "$tmp/orphan" "$(path_of "$ho")"
printf 'in flight' >"$tmp/flight"
hf=$(hash_of "$tmp/flight")
mkdir -p "$(dirname "$(path_of "$hf")")"
cp "$tmp/flight" "$(path_of "$hf")"
q "INSERT INTO uploads (id, user_id, application_id, doc_code, name, hash,
    size, received, created_at, updated_at) VALUES (902, 1, $app, 'id_doc',
    'flight.jpg', x'$hf', 9, 9, $now, $now)"
printf 'x' >"$store/partial/777"
printf 'x' >"$store/partial/put-1-1"
touch -d '2 hours ago' "$store/partial/put-1-1"
printf 'x' >"$store/partial/put-1-2"

run 0 "verify with an orphan" $C files verify
expect out "2 files in the store are recorded nowhere" "verify counts files no row records"

run 2 "gc: bad --keep" $C files gc --keep 7x
expect err "wants a duration" "a bad --keep is explained"
run 2 "gc: unknown argument" $C files gc --now
run 2 "files without subcommand" $C files
run 2 "verify with arguments" $C files verify --all

run 0 "gc" $C files gc --keep 7d
expect out "Removed 1 files no application uses" "gc removes the detached file"
expect out "1 uploads without progress, 1 files and 1 partial files nothing recorded, 1 temporary files" "gc counts what it removed"
expect out "Kept 1 files that open uploads are bringing" "gc keeps a file in flight"
[ -e "$(path_of "$h1")" ] && bad "the detached file is still there" || ok
[ "$(q "SELECT count(*) FROM files WHERE lower(hex(hash)) = '$h1'")" = 0 ] && ok || bad "the detached file's row is still there"
[ "$(q "SELECT group_concat(id) FROM uploads ORDER BY id")" = "901,902" ] && ok || bad "gc removed the wrong uploads"
[ -e "$store/partial/900" ] && bad "the stale upload's partial is still there" || ok
[ -e "$store/partial/901" ] && ok || bad "the fresh upload's partial was removed"
[ -e "$store/partial/777" ] && bad "a partial of no upload is still there" || ok
[ -e "$(path_of "$ho")" ] && bad "a file nothing records is still there" || ok
[ -e "$(path_of "$hf")" ] && ok || bad "gc removed a file an upload is bringing"
[ -e "$store/partial/put-1-1" ] && bad "an old temporary file is still there" || ok
[ -e "$store/partial/put-1-2" ] && ok || bad "gc removed a fresh temporary file"
[ "$(q "SELECT count(*) FROM audit_log WHERE action = 'files.gc'")" = 2 ] && ok || bad "gc is not audited"
run 0 "verify after gc" $C files verify
expect out "Files intact: $((nfiles - 1)) files" "verify after gc"

# --keep 0: every upload without progress now goes.
q "UPDATE uploads SET updated_at = updated_at - 5"
run 0 "gc --keep 0" $C files gc --keep 0
[ "$(q "SELECT count(*) FROM uploads")" = 0 ] && ok || bad "--keep 0 kept uploads"
[ -e "$(path_of "$hf")" ] && bad "the in-flight file outlived its upload" || ok

# ---- backup and restore carry the scans ----
run 0 "gc before the backup" $C files gc --keep 0
n0=$(q "SELECT count(*) FROM files")
q "INSERT INTO uploads (id, user_id, application_id, doc_code, name, hash,
    size, received, created_at, updated_at) VALUES (950, 1, $app, 'id_doc',
    'later.jpg', x'$(printf %062d03 0)', 100, 10, $now, $now)"
run 0 "backup" $C backup "$tmp/b1.db"
expect out "$n0 scans" "backup counts the scans"
[ -d "$tmp/b1.files" ] && ok || bad "backup wrote no b1.files"
nb=$(find "$tmp/b1.files" -type f -path '*/??/*' | wc -l)
[ "$nb" = "$n0" ] && ok || bad "backup holds $nb files, the database $n0"
badcopy=0
for g in $(find "$tmp/b1.files" -type f -path '*/??/*'); do
	[ "$(hash_of "$g")" = "$(basename "$g")" ] || badcopy=1
done
[ $badcopy = 0 ] && ok || bad "a backed-up scan is not named by its hash"
[ "$(stat -c %a "$tmp/b1.files")" = 700 ] && ok || bad "the backup's scans are not 0700"
mkdir "$tmp/b2.files"
run 1 "backup: FILE.files exists" $C backup "$tmp/b2.db"
expect err "b2.files exists already" "backup never writes into an existing directory"
[ -e "$tmp/b2.db" ] && bad "a refused backup left b2.db" || ok
rmdir "$tmp/b2.files"

# A damaged scan is not backed up: the backup fails and leaves nothing.
h2=$(q "SELECT lower(hex(hash)) FROM files ORDER BY hash LIMIT 1")
f2=$(path_of "$h2")
cp "$f2" "$tmp/keep2"
printf 'Y' | dd of="$f2" bs=1 seek=30 conv=notrunc 2>/dev/null
run 1 "backup with a damaged scan" $C backup "$tmp/b3.db"
expect err "is damaged" "backup names the damaged scan"
[ -e "$tmp/b3.db" ] || [ -e "$tmp/b3.files" ] || [ -e "$tmp/b3.db.partial" ] ||
    [ -e "$tmp/b3.db.partial.files" ] && bad "a failed backup left files" || ok
cp "$tmp/keep2" "$f2"

# gc waits for no backup: while one holds the store it refuses.
if command -v flock >/dev/null 2>&1; then
	flock -s "$store" sleep 3 &
	lpid=$!
	sleep 0.5
	run 1 "gc while a backup copies the store" $C files gc
	expect err "a backup is copying" "gc says a backup is running"
	wait "$lpid"
fi

# After the backup: a scan detached and collected, a new upload.
hd=$(q "SELECT lower(hex(hash)) FROM files ORDER BY hash DESC LIMIT 1")
q "DELETE FROM attachments WHERE lower(hex(file_hash)) = '$hd'"
run 0 "gc after the backup" $C files gc
[ -e "$(path_of "$hd")" ] && bad "gc kept the detached scan" || ok

# Refused restores change nothing.
cp "$tmp/b1.db" "$tmp/nofiles.db"
run 1 "restore a backup without its scans" $C restore "$tmp/nofiles.db"
expect err "the backup's scans are missing" "restore says the scans are missing"
cp -r "$tmp/b1.files" "$tmp/bad.files"
cp "$tmp/b1.db" "$tmp/bad.db"
chmod -R u+w "$tmp/bad.files"
printf 'Z' | dd of="$tmp/bad.files/$(echo "$h2" | cut -c1-2)/$h2" bs=1 seek=30 conv=notrunc 2>/dev/null
run 1 "restore a backup with a damaged scan" $C restore "$tmp/bad.db"
expect err "is damaged" "restore names the damaged scan"
[ "$(q "SELECT count(*) FROM files")" = $((n0 - 1)) ] && ok || bad "a refused restore changed the database"
[ -e "$store.restoring" ] || [ -e "$tmp/hromada.db.restoring.files" ] &&
    bad "a refused restore left its copy" || ok
run 0 "verify after refused restores" $C files verify

run 0 "restore" $C restore "$tmp/b1.db"
expect out "$n0 scans" "restore counts the scans"
[ -e "$(path_of "$hd")" ] && ok || bad "restore did not bring the detached scan back"
[ "$(q "SELECT count(*) FROM files")" = "$n0" ] && ok || bad "restore: wrong files rows"
[ "$(q "SELECT count(*) FROM uploads")" = 0 ] && ok || bad "restore kept the backup's uploads"
[ -d "$tmp/hromada.db.bak.files" ] && ok || bad "the old scans are not kept beside hromada.db.bak"
[ -e "$tmp/hromada.db.restoring" ] || [ -e "$tmp/hromada.db.restoring.files" ] &&
    bad "restore left its copy" || ok
run 0 "verify after restore" $C files verify
expect out "Files intact: $n0 files" "every restored scan is whole"
run 0 "restore undone from hromada.db.bak" $C restore "$tmp/hromada.db.bak"
[ "$(q "SELECT count(*) FROM files")" = $((n0 - 1)) ] && ok || bad "undoing the restore: wrong files rows"
run 0 "verify after undoing the restore" $C files verify

ctl_end
