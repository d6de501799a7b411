#!/bin/sh
# Build Hromada out of tree in ./build (or $BUILD_DIR), passing any
# arguments to configure.  Re-runs bootstrap/configure only when needed.
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$top/build}
[ -x "$top/configure" ] || (cd "$top" && ./bootstrap >/dev/null)
mkdir -p "$build"
cd "$build"
if [ ! -f Makefile ] || [ "$*" != "$(cat .configure-args 2>/dev/null)" ]; then
	"$top/configure" -q "$@"
	printf '%s' "$*" > .configure-args
fi
make -j"$(nproc)" -s
