# tests/lib/built.sh — the first step of the scripts that run a benchmark
# or a proof by hand (tests/bench/run-*.sh, tests/load/run-*.sh,
# tests/crash/crash.sh, tests/hostile/run-hostile.sh): which build to run, and that it holds the
# programs they need.  They build nothing.
#
#	. "$(dirname "$0")/../lib/built.sh"
#	built run-scans "${1:-}" hromadad hromadactl tests/bench/bench_scans
#	shift "$built_shift"
#	built_run hromada-scansbench tests/bench/bench_scans "$@"

# built NAME FIRST-ARGUMENT PROGRAM...: $b is the build directory — the
# script's first argument when that is a directory ($built_shift is then
# 1, else 0), else $top_builddir, else . — as an absolute path.  Exits 1
# naming the first PROGRAM (a path under $b) that is not built.
built() {
	built_name=$1
	b=${top_builddir:-.}
	built_shift=0
	if [ -n "$2" ] && [ -d "$2" ]; then
		b=$2
		built_shift=1
	fi
	shift 2
	b=$(cd "$b" && pwd)
	for p in "$@"; do
		[ -x "$b/$p" ] || { echo "$built_name: $b/$p is not built" >&2; exit 1; }
	done
}

# built_run TEMPLATE PROGRAM [ARGUMENT...]: run $b/PROGRAM with TMPDIR a
# scratch directory of its own (removed however the run ends, a Ctrl-C
# too) and top_builddir=$b; exit with its status.
built_run() {
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	trap 'exit 1' INT TERM
	built_prog=$b/$2
	shift 2
	status=0
	TMPDIR=$tmp top_builddir=$b "$built_prog" "$@" || status=$?
	exit $status
}
