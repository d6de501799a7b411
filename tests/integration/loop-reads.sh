#!/bin/sh
# The authorisation matrix and the intake tests again, with the reads run
# on the event loop (query_threads = 0) instead of on query threads: both
# ways of running a read must check and audit the same (srvd/query.h).
set -eu
b=${top_builddir:-.}
conf=$(mktemp "${TMPDIR:-/tmp}/hromada-loop-reads.XXXXXX")
trap 'rm -f "$conf"' EXIT
printf 'query_threads = 0\n' > "$conf"
TESTSRV_CONFIG=$conf
export TESTSRV_CONFIG
"$b/tests/integration/test_authz_matrix"
"$b/tests/integration/test_intake"
