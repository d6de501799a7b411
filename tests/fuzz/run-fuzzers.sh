#!/bin/sh
# Build every libFuzzer target of tests/fuzz/ with clang and run each for a
# short time: the fuzzing step of CI (tests/proof.mk registers it).
#
#   tests/fuzz/run-fuzzers.sh            FUZZ_SECONDS=20 per target
#
# The targets are the files tests/fuzz/fuzz_*.c; each must have a libFuzzer
# build rule under ENABLE_FUZZING in the automake fragment of the part it
# tests (proto/core.mk, proto/ident.mk, ...).  The build is out of tree, in
# $FUZZ_BUILD_DIR (default: under make check $top_builddir/proof-fuzz-build,
# kept between runs; else a temporary directory), configured with
# CC=clang --enable-fuzzing, so it never touches another build.  Each target
# starts from a scratch copy of its seed corpus tests/fuzz/corpus/<target>/
# and new inputs stay in that scratch copy: the committed corpus is
# hand-picked.  A crash fails the run, prints the input in hex and keeps it
# (path printed) so it can be added to the corpus once fixed.
#
# Exit 77 (skipped) when clang cannot build a libFuzzer program.
#
# NOTE: the .DAT import parser comes with a later issue; its fuzz target
# (tests/fuzz/fuzz_dat.c) will be picked up here automatically once it has
# a build rule.
set -u
top=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top=$(cd "$top" && pwd)
secs=${FUZZ_SECONDS:-20}

command -v clang >/dev/null 2>&1 || { echo "run-fuzzers: no clang: skipped"; exit 77; }
# make distcheck checks a read-only copy of the sources: the normal
# `make check` has fuzzed already, so do not build a third copy there.
[ -w "$top" ] || { echo "run-fuzzers: read-only sources (distcheck): skipped"; exit 77; }
probe=$(mktemp -d "${TMPDIR:-/tmp}/hromada-fuzzprobe.XXXXXX")
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' \
	> "$probe/p.c"
if ! clang -fsanitize=fuzzer "$probe/p.c" -o "$probe/p" >/dev/null 2>&1; then
	rm -rf "$probe"
	echo "run-fuzzers: clang cannot link libFuzzer programs: skipped"
	exit 77
fi
rm -rf "$probe"

work=$(mktemp -d "${TMPDIR:-/tmp}/hromada-fuzz.XXXXXX")
keep=
cleanup() { [ -n "$keep" ] || rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 1' INT TERM
if [ -n "${FUZZ_BUILD_DIR:-}" ]; then
	b=$FUZZ_BUILD_DIR
elif [ -n "${top_builddir:-}" ]; then
	b=$top_builddir/proof-fuzz-build      # make check: kept for the next run
else
	b=$work/build
fi
mkdir -p "$b"

if [ ! -f "$b/Makefile" ]; then
	echo "run-fuzzers: configuring a clang --enable-fuzzing build in $b"
	(cd "$b" && "$top/configure" -q CC=clang --enable-fuzzing) \
		>"$work/configure.log" 2>&1 || {
		cat "$work/configure.log"; echo "run-fuzzers: configure failed"; exit 1; }
fi

targets=
for f in "$top"/tests/fuzz/fuzz_*.c; do
	[ -f "$f" ] || continue
	targets="$targets $(basename "$f" .c)"
done
[ -n "$targets" ] || { echo "run-fuzzers: no tests/fuzz/fuzz_*.c"; exit 1; }

failed=0 ran=0
for t in $targets; do
	if ! (cd "$b" && timeout 600 make -s "tests/fuzz/$t") >"$work/$t.build" 2>&1; then
		if grep -q "No rule to make target" "$work/$t.build"; then
			echo "run-fuzzers: $t has no libFuzzer build rule (ENABLE_FUZZING): FAIL"
		else
			echo "run-fuzzers: $t does not build: FAIL"
			tail -n 30 "$work/$t.build"
		fi
		failed=$((failed + 1))
		continue
	fi
	corpus=$work/corpus-$t
	mkdir -p "$corpus" "$work/artifacts-$t"
	seeds=$top/tests/fuzz/corpus/$t
	[ -d "$seeds" ] && cp "$seeds"/* "$corpus"/ 2>/dev/null
	# New inputs go to $corpus (the first directory); the seeds are read only.
	timeout -k 5 $((secs + 60)) "$b/tests/fuzz/$t" -max_total_time="$secs" \
		-print_final_stats=1 -artifact_prefix="$work/artifacts-$t/" \
		-timeout=10 -rss_limit_mb=2048 "$corpus" >"$work/$t.log" 2>&1
	rc=$?
	ran=$((ran + 1))
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t.log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/$t.log")
	ncorp=$(ls "$corpus" | wc -l)
	if [ $rc -eq 0 ]; then
		echo "run-fuzzers: $t: ${secs}s, ${execs:-?} runs (${rate:-?}/s), corpus $ncorp files: ok"
	else
		failed=$((failed + 1))
		keep=1
		echo "run-fuzzers: $t: FAILED (exit $rc); log and inputs kept in $work"
		grep -E "ERROR|SUMMARY|^#[0-9]+ .*DONE" "$work/$t.log" | head -n 5
		for a in "$work/artifacts-$t"/*; do
			[ -f "$a" ] || continue
			echo "  input $a:"
			od -An -tx1 "$a" | head -n 8
		done
	fi
done
echo "run-fuzzers: $ran targets run, $failed failed"
[ $failed -eq 0 ]
