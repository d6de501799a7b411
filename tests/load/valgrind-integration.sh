#!/bin/sh
# The integration test (tests/integration/test_session) with hromadad under
# valgrind --leak-check=full: any memory error or leak in the server fails.
#
#   tests/load/valgrind-integration.sh
#
# valgrind and the sanitizers do not mix, so this builds its own copy
# without sanitizers (-O1 -g) in $VALGRIND_BUILD_DIR (default: under make
# check $top_builddir/proof-valgrind-build, else /tmp/hromada-valgrind-build;
# kept between runs so that a rerun only recompiles what changed).  test_session finds the programs through
# $top_builddir: it gets a directory whose `hromadad` is a wrapper running
# the real one under valgrind (one log per server process), and whose
# hromadactl is the real one.  The test client runs natively; set
# VALGRIND_CLIENT=1 to run it under valgrind too (much slower).
#
# Exit 77 (skipped) when valgrind is missing.
set -u
top=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top=$(cd "$top" && pwd)
command -v valgrind >/dev/null 2>&1 || { echo "valgrind-integration: no valgrind: skipped"; exit 77; }
# make distcheck checks a read-only copy of the sources: the normal
# `make check` has run this already, so do not build a third copy there.
[ -w "$top" ] || { echo "valgrind-integration: read-only sources (distcheck): skipped"; exit 77; }

if [ -n "${VALGRIND_BUILD_DIR:-}" ]; then
	b=$VALGRIND_BUILD_DIR
elif [ -n "${top_builddir:-}" ]; then
	b=$top_builddir/proof-valgrind-build     # make check: next to its build
else
	b=/tmp/hromada-valgrind-build
fi
mkdir -p "$b"
if [ ! -f "$b/Makefile" ]; then
	echo "valgrind-integration: configuring a build without sanitizers in $b"
	(cd "$b" && "$top/configure" -q CFLAGS="-O1 -g") >"$b/configure.out" 2>&1 || {
		cat "$b/configure.out"; exit 1; }
fi
(cd "$b" && make -s -j2 hromadad hromadactl tests/integration/test_session) \
	>"$b/make.out" 2>&1 || { tail -n 40 "$b/make.out"; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/hromada-vg.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM
mkdir -p "$work/bin" "$work/logs"
ln -s "$b/hromadactl" "$work/bin/hromadactl"
cat > "$work/bin/hromadad" <<WRAP
#!/bin/sh
exec valgrind -q --vgdb=no --error-exitcode=1 --leak-check=full \
	--show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
	--log-file="$work/logs/hromadad.%p.log" "$b/hromadad" "\$@"
WRAP
chmod +x "$work/bin/hromadad"

client=
[ "${VALGRIND_CLIENT:-0}" = 1 ] && client="valgrind -q --vgdb=no --error-exitcode=1 --leak-check=full"
start=$(date +%s)
status=0
# Under valgrind a server starts ~20 times slower: stretch the start-up deadlines.
TESTSRV_SLOW=${TESTSRV_SLOW:-6} top_builddir=$work/bin timeout -k 5 900 $client "$b/tests/integration/test_session" \
	>"$work/test.out" 2>&1 || status=$?
secs=$(( $(date +%s) - start ))
grep -E "^\[ *(PASSED|FAILED|  FAILED|  PASSED) *\]|^\[  FAILED  \]|^\[==========\]" "$work/test.out" | tail -n 5

# Every server process wrote a log; anything in one is an error or a leak
# (-q keeps clean runs silent).  Servers killed with SIGKILL by the test
# report no leaks, which is fine: they were killed on purpose.
logs=0 dirty=0
for l in "$work"/logs/*.log; do
	[ -f "$l" ] || continue
	logs=$((logs + 1))
	if [ -s "$l" ]; then
		dirty=$((dirty + 1))
		echo "---- valgrind: $l"
		head -n 60 "$l"
	fi
done
echo "valgrind-integration: test_session exit $status in ${secs}s; $logs server runs under valgrind, $dirty with errors"
if [ $status -ne 0 ]; then
	tail -n 40 "$work/test.out"
fi
[ $status -eq 0 ] && [ $dirty -eq 0 ] && [ $logs -gt 0 ]
