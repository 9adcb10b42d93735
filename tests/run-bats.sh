#!/bin/sh
# tests/run-bats.sh BATS SUITE - how make check runs a bats suite: as TAP,
# or, when configure found no bats (BATS=no), as a skipped suite that says
# why ("1..0 # SKIP": the TAP driver counts it SKIP, not ERROR).
bats=$1
shift
if [ "$bats" = no ] || ! command -v "$bats" > /dev/null 2>&1; then
	echo "1..0 # SKIP bats was not found by configure (Debian: apt-get install bats bats-support bats-assert), then ./configure again"
	exit 0
fi
exec "$bats" --tap "$@"
