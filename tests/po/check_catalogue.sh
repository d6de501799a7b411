#!/bin/sh
# check_catalogue.sh — every text a person reads is in po/uk.po, translated.
#
# 1. Every marked text (po/Makevars' xgettext keywords: _(), N_(),
#    HR_MSGID(), hr_errorf's and hr_error_prefix's texts) in tui/, ctl/,
#    srvd/, db/, proto/ and paper/ has a Ukrainian entry in po/uk.po that is
#    neither missing, nor empty, nor fuzzy, and keeps the {name}
#    placeholders of a structured error's text (proto/error.h).
# 2. po/POTFILES.in lists every file with marked texts (make update-po).
# 3. No text in tui/ or ctl/ that looks like words to read (two words in a
#    row, or any Cyrillic) escapes the marking: such a string literal is
#    marked, or listed in po/exempt.pot with the reason it is not for
#    translation (data, protocol names, SQL).
#
# Prints what is wrong and exits 1; 0 when the catalogue is complete.
set -u
src=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
po=$src/po/uk.po
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
status=0

opts=$(sed -n 's/^XGETTEXT_OPTIONS *= *//p' "$src/po/Makevars")
cd "$src" || exit 1
find tui ctl srvd db proto paper -name '*.c' | LC_ALL=C sort >"$tmp/files"

# shellcheck disable=SC2086
if ! xgettext $opts -o "$tmp/marked.pot" \
    --files-from="$tmp/files" 2>"$tmp/xg.err"; then
	cat "$tmp/xg.err"
	exit 1
fi

# ---- 1. translated, not fuzzy, placeholders kept ----
if ! msgcmp "$po" "$tmp/marked.pot" >"$tmp/cmp" 2>&1; then
	echo "po/uk.po lacks (or leaves untranslated or fuzzy) these texts:"
	grep -v "^msgcmp: found" "$tmp/cmp" | sed 's/^/  /'
	status=1
fi
if [ -n "$(msgattrib --only-fuzzy --no-obsolete "$po" 2>/dev/null)" ]; then
	echo "po/uk.po has fuzzy entries (check the translation, drop the flag):"
	msgattrib --only-fuzzy --no-obsolete --no-wrap "$po" | grep '^msgid' |
	    sed 's/^/  /'
	status=1
fi
msgattrib --no-obsolete --no-wrap --no-location "$po" 2>/dev/null | awk '
	function unq(s) { sub(/^[a-z_]+ "/, "", s); sub(/"$/, "", s); return s }
	function names(s,   out, t) {
		out = ""
		while (match(s, /\{[a-z_]+\}/)) {
			t = substr(s, RSTART, RLENGTH)
			out = out " " t
			s = substr(s, RSTART + RLENGTH)
		}
		return out
	}
	function sorted(s,   a, n, i, j, t, out) {
		n = split(s, a, " ")
		for (i = 1; i <= n; i++)
			for (j = i + 1; j <= n; j++)
				if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
		out = ""
		for (i = 1; i <= n; i++)
			if (i == 1 || a[i] != a[i - 1])
				out = out " " a[i]
		return out
	}
	function check() {
		if (id != "" && str != "" && sorted(names(id)) != sorted(names(str))) {
			printf "placeholders differ:\n  msgid  \"%s\"\n  msgstr \"%s\"\n", id, str
			bad = 1
		}
	}
	/^msgid "/  { check(); id = unq($0); str = ""; mode = "id"; next }
	/^msgstr "/ { str = unq($0); mode = "str"; next }
	/^"/        { if (mode == "id") id = id unq($0); else str = str unq($0); next }
	END         { check(); exit bad }
' || status=1

# ---- 2. POTFILES.in ----
grep '^#:' "$tmp/marked.pot" | tr ' ' '\n' | grep -v '^#:' |
    sed 's/:[0-9]*$//' | LC_ALL=C sort -u >"$tmp/with-texts"
grep -v '^#' po/POTFILES.in | sed '/^$/d' | LC_ALL=C sort -u >"$tmp/listed"
missing=$(LC_ALL=C comm -23 "$tmp/with-texts" "$tmp/listed")
if [ -n "$missing" ]; then
	echo "po/POTFILES.in does not list these files with marked texts:"
	echo "$missing" | sed 's/^/  /'
	status=1
fi

# ---- 3. unmarked words in tui/ and ctl/ ----
# Files that are data, not messages: the demo data set's names.
exempt_files='ctl/demo_data.c'
grep -E '^(tui|ctl)/' "$tmp/files" | grep -v -x -F "$exempt_files" \
    >"$tmp/ui-files"
xgettext --extract-all --from-code=UTF-8 --no-wrap \
    -x "$tmp/marked.pot" -x po/exempt.pot -o "$tmp/all.pot" \
    --files-from="$tmp/ui-files" 2>/dev/null
awk '
	/^#: / { loc = loc substr($0, 4) " "; next }
	/^msgid "/ {
		s = substr($0, 8, length($0) - 8)
		if (s ~ /[A-Za-z][a-z]+ [A-Za-z][a-z]+/ || s ~ /[\320-\323][\200-\277]/) {
			printf "  %s\"%s\"\n", loc, s
			n++
		}
		loc = ""
		next
	}
	END {
		if (n > 0) {
			print "(" n " texts above are not marked for translation: wrap them in _() or N_(), or list them in po/exempt.pot with the reason)"
			exit 1
		}
	}
' "$tmp/all.pot" >"$tmp/unmarked" || {
	echo "unmarked texts in tui/ and ctl/:"
	cat "$tmp/unmarked"
	status=1
}

[ "$status" -eq 0 ] && echo "po/uk.po: complete"
exit "$status"
