#!/bin/sh
# Install the Debian packages Hromada needs to build, run and test.
# Skips apt entirely when everything is present already.
set -e
PKGS="build-essential autoconf automake autopoint gettext pkg-config \
libncurses-dev libsodium-dev libsqlite3-dev libev-dev libmsgpack-dev \
libcmocka-dev libzstd-dev sqlite3 tmux mandoc locales \
libhpdf-dev libxlsxwriter-dev fonts-dejavu-core ncurses-term"
# ncurses-term: terminfo of PuTTY and others for the key tests (keys.sh).
# poppler-utils: pdftotext reads the printed PDFs back in the tests;
# universal-ctags: tests/lint/check-includes.sh reads the headers with it;
# unzip: the tests read the reports' XLSX files back (tests/tools/xlsx_read).
[ "${1:-}" = "--test" ] && PKGS="$PKGS clang valgrind poppler-utils \
universal-ctags unzip"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "Installing:$missing"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing
