#!/bin/sh
# check-circles.sh — the modules of the project include each other one
# way: no circles in the include graph, so that the layering a newcomer
# reads from the include lines (proto <- db <- srvd/ctl, proto <- tui, and
# inside each part the loop above the connections, the screens above the
# shell) is the real one, and stays so.
#
# A module is a file's path without its extension (srvd/conn.c and
# srvd/conn.h are srvd/conn), a private header (NAME_priv.h) counting as
# its module's.  Module A depends on B when a file of A includes B's
# header ("dir/b.h").  Every strongly connected part of more than one
# module is printed with the includes that tie it, and the check fails.
#
# A circle kept on purpose says why where it is made: an include line
# whose comment holds "circle:" and the reason, e.g.
#     #include "srvd/session.h"  /* circle: struct conn_session only ... */
# is left out of the graph.
#
# Usage: check-circles.sh [DIR...], in the source tree ($top_srcdir when
# set); no DIR: proto db srvd tui ctl paper tests.  Exits 1 on a circle.
set -u
cd "${top_srcdir:-.}" || exit 1
[ $# -gt 0 ] || set -- proto db srvd tui ctl paper tests

find "$@" -name '*.[ch]' | sort | while read -r f; do
	sed -n '/circle:/d
	    s/^[ 	]*#[ 	]*include[ 	]*"\([a-z_]*\/[a-z_0-9/]*\)\.h".*/\1/p' \
	    "$f" | while read -r h; do echo "${f%.[ch]} $h"; done
done | sed 's/_priv\( \|$\)/\1/g' | awk '
$1 != $2 {
	if (!(($1, $2) in edge)) { edge[$1, $2] = 1; n[$1]++; adj[$1, n[$1]] = $2 }
	node[$1] = 1; node[$2] = 1
}
# Tarjan: the strongly connected parts, each printed once.
function visit(v,   i, j, w, k) {
	idx[v] = low[v] = ++counter; stack[++sp] = v; on[v] = 1
	for (i = 1; i <= n[v]; i++) {
		w = adj[v, i]
		if (!(w in idx)) { visit(w); if (low[w] < low[v]) low[v] = low[w] }
		else if (on[w] && idx[w] < low[v]) low[v] = idx[w]
	}
	if (low[v] != idx[v])
		return
	k = 0
	do { w = stack[sp--]; on[w] = 0; part[++k] = w; in_part[w] = v } while (w != v)
	if (k == 1)
		return
	bad++
	printf "check-circles: a circle of %d modules:\n", k
	for (i = 1; i <= k; i++)
		for (j = 1; j <= n[part[i]]; j++)
			if (in_part[adj[part[i], j]] == v)
				printf "  %s includes %s.h\n", part[i], adj[part[i], j]
}
END {
	for (v in node)
		if (!(v in idx))
			visit(v)
	if (bad) {
		print "check-circles: cut each circle (a callback the lower module " \
		    "is handed, a type moved down), or say why on the include " \
		    "line that closes it (/* circle: ... */)"
		exit 1
	}
}'
