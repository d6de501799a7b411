# tests/ctl/lib.sh — what the hromadactl shell tests share: English
# messages whatever the machine's locale, a scratch directory removed at
# exit (with the server a test started, $spid), the pass/fail counters,
# the checks, and the closing count automake's log shows.
#
#	. "$(dirname "$0")/lib.sh"
#	ctl_begin test_NAME     # $tmp made; exit 99 without hromadactl
#	run 0 "what" $C ...      # and expect, same, ok, bad
#	ctl_end                  # "N passed, N failed"; fails if any failed
set -u
unset LANGUAGE LC_ALL LC_MESSAGES
LANG=C.UTF-8
export LANG
ctl=${top_builddir:-.}/hromadactl
pass=0
fail=0
spid=

ctl_begin() {
	[ -x "$ctl" ] || { echo "no hromadactl at $ctl"; exit 99; }
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX") || exit 99
	trap '[ -n "$spid" ] && kill "$spid" 2>/dev/null; rm -rf "$tmp"' EXIT
	trap 'exit 1' INT TERM
}

ctl_end() {
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# same WHAT GOT WANT
same() {
	if [ "$2" = "$3" ]; then ok; else bad "$1: got \"$2\", wanted \"$3\""; fi
}

# run WANT-STATUS WHAT COMMAND...: output in $tmp/out and $tmp/err
run() {
	want=$1 what=$2
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	check_status "$want" "$what" $?
}

# check_status WANT-STATUS WHAT GOT-STATUS, showing $tmp/out and err
check_status() {
	if [ "$3" -eq "$1" ]; then ok; else
		bad "$2: exit $3, wanted $1"
		sed 's/^/  stdout: /' "$tmp/out" | head -n 10
		sed 's/^/  stderr: /' "$tmp/err" | head -n 10
	fi
}

# expect FILE PATTERN WHAT: grep -q PATTERN in $tmp/FILE
expect() {
	if grep -q -- "$2" "$tmp/$1"; then ok; else
		bad "$3: no \"$2\" in $1:"
		sed 's/^/  /' "$tmp/$1" | head -n 10
	fi
}

# sql QUERY: on the test's database $db (waiting up to 10 s for a
# running hromadad's lock)
sql() { sqlite3 -cmd '.timeout 10000' "$db" "$1"; }
