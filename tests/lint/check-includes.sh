#!/bin/sh
# check-includes.sh — include what you use: every header of the project
# that a file includes ("dir/name.h") gives the file at least one name it
# uses, so the include lines say what a file depends on and nothing else.
#
# A header's names are what universal-ctags finds declared in it: functions,
# types, struct/union/enum tags, enumerators, variables, macros (not its
# include guard), and the tags only it declares ahead (`struct hr_client;`,
# a type defined in a .c file).  Its members (s.m, p->m) count only where
# no other header has a member of that name.  A file uses a name when the
# name is a word of the file, its comments and the insides of its strings
# removed, or when the file reaches a struct through a member of a struct
# of a header it includes (rq->sess names struct conn_session).
#
# Not checked: a .c file's own header (named like it, or the first project
# header it includes: a module of several files behind one header); an
# include marked `/* IWYU pragma: keep */`; a header with an include marked
# `IWYU pragma: export` (included for what it includes, as tui/tui.h is for
# curses).  The marks are include-what-you-use's, whose stricter check can
# replace this one.
#
# Usage: check-includes.sh [FILE...], in the source tree ($top_srcdir when
# set); no FILE: every C file of proto/ db/ srvd/ tui/ ctl/ paper/ tests/.
# Prints one line per include that gives nothing and exits 1; exits 77
# (skipped) when universal-ctags is not installed.
set -u
cd "${top_srcdir:-.}" || exit 1
ctags --version 2>/dev/null | grep -q 'Universal Ctags' || {
	echo "check-includes: universal-ctags is not installed: skipped"
	exit 77
}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
dirs="proto db srvd tui ctl paper tests"
[ $# -gt 0 ] || set -- $(find $dirs -name '*.[ch]' | sort)

tags() { # FILE KINDS FORMAT: universal-ctags' list of the declarations
	ctags -x --language-force=C --kinds-C="$2" --fields=+t \
	    --_xformat="$3" -o - "$1"
}
includes() { # FILE: the project headers it includes, but those kept
	grep -v 'IWYU pragma: keep' "$1" |
	    sed -n 's/^[ 	]*#[ 	]*include[ 	]*"\([a-z_]*\/[a-z_0-9/]*\.h\)".*/\1/p'
}

# Members that more than one header declares (->id, .db) say nothing of
# which header a file uses; tags some header defines are no name of a
# header that declares them ahead (`struct conn;`).
find $dirs -name '*.h' | while read -r h; do tags "$h" m '.%N' | sort -u
done | sort | uniq -d > "$tmp/shared"
echo '.-' >> "$tmp/shared"      # grep -f of an empty file matches nothing
find $dirs -name '*.h' | while read -r h; do tags "$h" sug '%N'
done | sort -u > "$tmp/defined"

# The names a header declares, one a line (members as ".name"), in a file
# whose path it prints; "-" for a header that exports what it includes.
names() {
	out=$tmp/$(echo "$1" | tr / _).names
	if grep -q 'IWYU pragma: export' "$1"; then
		echo -; return
	fi
	if [ ! -f "$out" ]; then
		guard=$(sed -n 's/^#ifndef[ 	]*\([A-Za-z_0-9]*_H\)[ 	]*$/\1/p' \
		    "$1" | head -n 1)
		{
			tags "$1" +pxdegmstuv '%N %K' | awk -v g="$guard" '
			    $1 == g { next }
			    $2 == "member" { print "." $1; next }
			    { print $1 }'
			sed -n 's/^[ 	]*\(struct\|union\|enum\)[ 	]\+\([A-Za-z_][A-Za-z0-9_]*\)[ 	]*;.*/\2/p' \
			    "$1" | grep -vxF -f "$tmp/defined"
		} | sort -u | grep -vxF -f "$tmp/shared" > "$out"
	fi
	echo "$out"
}

# ".member tag" for each member of a header that points to a struct.
pointers() {
	out=$tmp/$(echo "$1" | tr / _).pointers
	[ -f "$out" ] || tags "$1" m '.%N %{typeref}' |
	    sed -n 's/^\(\.[A-Za-z0-9_]*\) [a-z]*:.*\(struct\|union\|enum\)[: ]\([A-Za-z_][A-Za-z0-9_]*\).*/\1 \3/p' \
	    > "$out"
	cat "$out"
}

# The words of a file, its comments and the insides of its strings
# removed; a word after "." or "->" also as ".word".
words() {
	gcc -fpreprocessed -dD -E -P -x c "$1" 2>/dev/null |
	    sed 's/"\([^"\\]\|\\.\)*"/""/g; s/->/./g' |
	    sed 's/\.[ 	]*\([A-Za-z_][A-Za-z0-9_]*\)/ \1 .\1 /g' |
	    tr -c 'A-Za-z0-9_.' '\n' |
	    awk '/^\.?[A-Za-z_][A-Za-z0-9_]*$/ { print; next }
		{ n = split($0, w, ".")
		  for (i = 1; i <= n; i++) if (w[i] != "") print w[i] }' |
	    sort -u
}

bad=0
for f in "$@"; do
	incs=$(includes "$f")
	[ -n "$incs" ] || continue
	words "$f" > "$tmp/words"
	# The structs it reaches through members (a .c file also through
	# its own header's headers).
	reach=$incs
	case $f in *.c) [ -f "${f%.c}.h" ] &&
		reach="$reach $(includes "${f%.c}.h")" ;; esac
	for h in $reach; do
		[ -f "$h" ] && pointers "$h"
	done | awk 'NR == FNR { used[$1] = 1; next } used[$1] { print $2 }' \
	    "$tmp/words" - >> "$tmp/words"
	first=$(echo "$incs" | head -n 1)
	for h in $incs; do
		case $f in *.c) [ "$h" != "$first" ] || continue ;; esac
		[ "$h" != "${f%.c}.h" ] && [ -f "$h" ] || continue
		n=$(names "$h")
		[ "$n" = - ] && continue
		grep -qxF -f "$n" "$tmp/words" && continue
		echo "$f: includes $h but uses none of it"
		bad=1
	done
done
exit $bad
