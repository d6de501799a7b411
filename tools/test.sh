#!/bin/sh
# Build Hromada with AddressSanitizer + UndefinedBehaviorSanitizer and run the
# whole test suite (unit, integration, end-to-end in tmux, fuzz corpora
# replay, man page lint, distcheck).  Ends with the line `N passed, N failed`.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/tools/deps.sh" --test || exit 1
(cd "$top" && ./bootstrap >/dev/null 2>&1) || { echo "bootstrap failed"; exit 1; }

b=$top/build-test
# --enable-test-hooks: the golden screens fix "today" (HROMADA_TODAY).
BUILD_DIR=$b "$top/tools/build.sh" --enable-sanitizers --enable-test-hooks || {
	echo "0 passed, 1 failed"; exit 1; }

cd "$b"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
make -j"$(nproc)" check >check.out 2>&1
# Show the log of every test that did not pass, then the summary.
for trs in $(find . -name '*.trs'); do
	if ! grep -q '^:test-result: PASS\|^:test-result: SKIP\|^:test-result: XFAIL' "$trs"; then
		log=${trs%.trs}.log
		echo "==== FAILED: ${trs%.trs}"
		tail -n 60 "$log"
	fi
done
grep -E '^(# |PASS|FAIL|ERROR|XPASS|SKIP)' check.out | grep -v '^PASS' || true

passed=$(cat $(find . -name '*.trs') /dev/null | grep -c '^:test-result: PASS')
failed=$(cat $(find . -name '*.trs') /dev/null | grep -cE '^:test-result: (FAIL|ERROR|XPASS)')
skipped=$(cat $(find . -name '*.trs') /dev/null | grep -c '^:test-result: SKIP')

# Release checks outside automake's harness.
extra() { # name command...
	name=$1; shift
	if "$@" >"$b/$name.out" 2>&1; then
		passed=$((passed + 1)); echo "PASS: $name"
	else
		failed=$((failed + 1)); echo "FAIL: $name"; tail -n 40 "$b/$name.out"
	fi
}
lint_man() {
	for m in "$top"/man/*.[1-8]; do
		[ -f "$m" ] || continue
		mandoc -Tlint -W warning "$m" || return 1
	done
}
extra man-lint lint_man
if [ "${HROMADA_SKIP_DISTCHECK:-}" != 1 ]; then
	extra distcheck make -j"$(nproc)" distcheck
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
