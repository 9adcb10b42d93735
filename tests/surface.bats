#!/usr/bin/env bats
# tests/surface.bats - what every program's command line shares (SPEC 6):
# --progress, the sizes of size options, --help's bug-report line, --version.

load test_helper/common

setup() {
	cd "$BATS_TEST_TMPDIR"
	printf 'a,1,2\nb,3,4\nc,5,6\n' > in.csv
}

# ---- --progress: one function for every program ---------------------------

# CMD run with stderr on a terminal (a pty of script(1)), its stdout to
# /dev/null: what the terminal showed, in $BATS_TEST_TMPDIR/tty
on_tty() {
	script -qfc "$1 > /dev/null" /dev/null > tty < /dev/null
}

# the command of each program that reads in.csv (or makes 3 rows) and reports 3 rows
progress_cmd() {
	case $1 in
	pc-split) echo "pc-split -l 1 -d chunks -p in.csv" ;;
	pc-merge) pc-split -l 1 -d m in.csv | xargs cat | pc-score > scored.csv
		  echo "pc-merge -p scored.csv" ;;
	pc-gen)   echo "pc-gen -r 3 -c 2 -p" ;;
	*)        echo "$1 -p in.csv" ;;
	esac
}

@test "--progress in a pipe: one line per report, no CR or escapes, rows counted, output untouched" {
	local prog cmd
	for prog in pc-score pc-split pc-merge pc-gen; do
		cmd=$(progress_cmd "$prog")
		$cmd > out 2> err || fail "$cmd failed: $(cat err)"
		! grep -q $'[\r\033]' err || fail "$prog: a CR or an escape in a pipe"
		run tail -n 1 err
		[[ "$output" =~ ^$prog:\ 0\.0\ MB,\ 3\ rows,\ [0-9.]+\ MB/s$ ]] || fail "$prog: got '$output'"
		# the same output as without it
		rm -rf chunks
		${cmd/ -p/} > out2 2> err2 || fail "$cmd without -p failed"
		[ ! -s err2 ] || fail "$prog without -p wrote: $(cat err2)"
		sed 's/[0-9a-f]\{16\}/ID/' out > a; sed 's/[0-9a-f]\{16\}/ID/' out2 > b
		cmp a b || fail "$prog: the output changed with -p"
		rm -rf chunks
	done
}

@test "--progress on a terminal: redrawn in place (CR, erase to the end of the line), a newline at the end" {
	local prog cmd
	for prog in pc-score pc-split pc-merge pc-gen; do
		cmd=$(progress_cmd "$prog")
		on_tty "$cmd" || fail "$cmd failed on a terminal"
		# the pty turns LF into CR LF
		run cat -v tty
		# (a slow machine may have redrawn it before the last report)
		[[ "$output" =~ ^(\^M$prog:\ [^^]*\^\[\[K)*\^M$prog:\ 0\.0\ MB,\ 3\ rows,\ [0-9.]+\ MB/s\^\[\[K\^M$ ]] || fail "$prog: got '$output'"
		rm -rf chunks
	done
}

@test "--progress is in every program's --help, the scorers' words" {
	local prog want
	want=$(pc-score --help | grep -e '--progress' | sed 's/  */ /g')
	for prog in pc-score pc-threads pc-split pc-merge pc-gen; do
		run "$prog" --help
		assert_success
		assert_equal "$(grep -e '--progress' <<< "$output" | sed 's/  */ /g')" "$want"
	done
}
