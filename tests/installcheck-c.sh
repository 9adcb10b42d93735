#!/bin/sh
# installcheck-c.sh - run by `make installcheck` (and so by `make distcheck`):
# the C example as installed ($docdir/examples/c/score-row.c) is compiled
# against the installed library, found through its pkg-config file, once
# with the shared library and once with the static one (which needs
# Libs.private), and gives what the installed pc-score gives on the same
# rows: the same output, exit status and message.
#
# The environment (from the Makefile): CC CFLAGS LDFLAGS PKG_CONFIG, and
# DESTDIR bindir libdir docdir, the install directories.
set -eu

fail() {
	echo "installcheck-c: $*" >&2
	exit 1
}

[ "$PKG_CONFIG" != no ] || fail "pkg-config was not found by configure (Debian: pkg-config)"
src=$DESTDIR$docdir/examples/c/score-row.c
[ -f "$src" ] || fail "$src is not installed"
[ -f "$DESTDIR$libdir/pkgconfig/powercouples.pc" ] || fail "powercouples.pc is not installed"

work=$(mktemp -d "${TMPDIR:-/tmp}/pc-installcheck.XXXXXX")
trap 'rm -rf "$work"' EXIT

# the installed .pc names the prefix; under DESTDIR pkg-config adds it
PKG_CONFIG_PATH=$DESTDIR$libdir/pkgconfig
PKG_CONFIG_SYSROOT_DIR=${DESTDIR:-}
export PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR
[ "$($PKG_CONFIG --modversion powercouples)" = "$("$DESTDIR$bindir/pc-score" --version |
	sed -n '1s/.* //p')" ] || fail "pkg-config's version of powercouples is not pc-score's"

# shellcheck disable=SC2046,SC2086
$CC $CFLAGS $($PKG_CONFIG --cflags powercouples) -o "$work/score-row" "$src" \
	$LDFLAGS $($PKG_CONFIG --libs powercouples) || fail "$src does not build with the shared library"
# shellcheck disable=SC2046,SC2086
$CC $CFLAGS $($PKG_CONFIG --cflags powercouples) -o "$work/score-row-static" "$src" \
	$LDFLAGS $($PKG_CONFIG --static --libs powercouples | sed 's/-lpowercouples/-l:libpowercouples.a/') ||
	fail "$src does not build with the static library"
if command -v readelf > /dev/null; then
	readelf -d "$work/score-row" | grep -q 'NEEDED.*libpowercouples\.so\.0' ||
		fail "score-row is not linked with libpowercouples.so.0"
	if readelf -d "$work/score-row-static" | grep -q 'NEEDED.*libpowercouples'; then
		fail "score-row-static is linked with the shared library"
	fi
fi
LD_LIBRARY_PATH=$DESTDIR$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export LD_LIBRARY_PATH

# rows from the installed pc-gen, a few by hand, and a bad row after good ones
"$DESTDIR$bindir/pc-gen" -r 300 -c 12 -s 7 -o "$work/gen.csv"
printf 'E,2,4\nF,4,2,2\n"Doe, J.",1,7,1\r\nB,0,0,5' > "$work/hand.csv"
printf 'a,1,2\nb,3,4\nc,5,x\nd,1,2\n' > "$work/bad.csv"
for prog in score-row score-row-static; do
	for input in gen hand bad; do
		st_ex=0 st_score=0
		"$work/$prog" < "$work/$input.csv" > "$work/ex.out" 2> "$work/ex.err" || st_ex=$?
		"$DESTDIR$bindir/pc-score" < "$work/$input.csv" > "$work/score.out" \
			2> "$work/score.err" || st_score=$?
		sed 's/^pc-score: /score-row: /' "$work/score.err" > "$work/score.msg"
		[ "$st_ex" = "$st_score" ] ||
			fail "$prog < $input.csv: exit $st_ex, pc-score's $st_score"
		cmp -s "$work/ex.out" "$work/score.out" ||
			fail "$prog < $input.csv: not pc-score's output"
		cmp -s "$work/ex.err" "$work/score.msg" ||
			fail "$prog < $input.csv: '$(cat "$work/ex.err")', pc-score's '$(cat "$work/score.err")'"
		echo "installcheck-c: $prog < $input.csv: as pc-score (exit $st_ex)"
	done
	# powercouples_row on the arguments, against pc-score on the same row
	for row in "2 4 3" "4 2" "1 7 1" "0 0" "18446744073709551615 18446744073709551614 3"; do
		# shellcheck disable=SC2086
		got=$("$work/$prog" $row)
		want=$(echo "r,$row" | tr ' ' ',' | "$DESTDIR$bindir/pc-score" | sed 's/^r,//')
		[ "$got" = "$want" ] || fail "$prog $row: $got, pc-score's $want"
	done
	echo "installcheck-c: $prog ROW: as pc-score on 5 rows"
done
