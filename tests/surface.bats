#!/usr/bin/env bats
# tests/surface.bats - what every program's command line shares (SPEC 6):
# --progress, the sizes of size options, --help's bug-report line, --version.

bats_require_minimum_version 1.5.0
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

# ---- sizes: one grammar for every SIZE option (lib/cli.c) ----------------

# N rows of 16 bytes each ("r0000000001,1,2\n"): a chunk of -b SIZE holds
# the rows that begin before SIZE bytes, ceil(SIZE / 16) of them
rows16() {
	awk -v n="$1" 'BEGIN { for (i = 1; i <= n; i++) printf "r%010d,1,2\n", i }'
}

# the rows (data lines) of each chunk pc-split makes with -b $1
rows_per_chunk() {
	rm -rf w
	pc-split -b "$1" -d w rows.csv | while read -r c; do grep -vc '^#pc:' "$c"; done | tr '\n' ' '
}

@test "sizes: K, KiB and k are 1024 bytes, KB is 1000, as in coreutils; M and MB alike" {
	rows16 150 > rows.csv
	[ "$(wc -c < rows.csv)" -eq 2400 ]
	# 1024 / 16 = 64 rows a chunk; 1000 / 16 = 62.5, so 63
	assert_equal "$(rows_per_chunk 1K)" "64 64 22 "
	assert_equal "$(rows_per_chunk 1KiB)" "64 64 22 "
	assert_equal "$(rows_per_chunk 1k)" "64 64 22 "
	assert_equal "$(rows_per_chunk 1KB)" "63 63 24 "
	assert_equal "$(rows_per_chunk 1kB)" "63 63 24 "
	assert_equal "$(rows_per_chunk 1000)" "63 63 24 "
	rows16 70000 > rows.csv
	# 1048576 / 16 = 65536 rows; 1000000 / 16 = 62500
	assert_equal "$(rows_per_chunk 1M)" "65536 4464 "
	assert_equal "$(rows_per_chunk 1MiB)" "65536 4464 "
	assert_equal "$(rows_per_chunk 1MB)" "62500 7500 "
}

@test "sizes: empty, negative, not a number, unknown suffix, overflow: clear messages, exit 2" {
	local arg why
	while IFS='|' read -r arg why; do
		run --separate-stderr pc-split -b "$arg" in.csv
		assert_failure 2
		assert_equal "${stderr%%$'\n'*}" "pc-split: invalid chunk size '$arg': $why"
		[ ! -e in.00001.csv ] || fail "a chunk for -b '$arg'"
	done <<-'EOF2'
	|empty
	-1|negative
	-1K|negative
	K|not a number
	 1|not a number
	1X|unknown suffix (K, M, G, T and KiB ... TiB are powers of 1024, KB ... TB of 1000)
	1KBB|unknown suffix (K, M, G, T and KiB ... TiB are powers of 1024, KB ... TB of 1000)
	1%|unknown suffix (K, M, G, T and KiB ... TiB are powers of 1024, KB ... TB of 1000)
	18446744073709551616|too large (at most 2^64-1 bytes)
	16777216T|too large (at most 2^64-1 bytes)
	18446744073709552KB|too large (at most 2^64-1 bytes)
	0|out of range (at least 1)
	EOF2
	# the largest size there is is one
	pc-split -b 18446744073709551615 -d w in.csv > /dev/null
	pc-split -b 16777215T -d w2 in.csv > /dev/null
	# the scorers' block size: 1 to 1G
	run --separate-stderr pc-score -B 1025M in.csv
	assert_failure 2
	assert_equal "${stderr%%$'\n'*}" "pc-score: invalid block size '1025M': out of range (1 to 1G)"
	run --separate-stderr pc-threads -B 1X in.csv
	assert_failure 2
	[[ "$stderr" == "pc-threads: invalid block size '1X': unknown suffix"* ]]
	run pc-score -B 1GiB in.csv
	assert_success
}

@test "sizes: pc-merge -S N% is N percent of memory, as sort -S; at most 100%" {
	mkdir tmp
	rows16 3000 > rows.csv
	pc-split -l 1000 -d w rows.csv | xargs cat | pc-score > scored.csv
	pc-score rows.csv > expected
	# the chunks backwards: chunks 3 and 2 come early and wait, in memory
	# while they fit, else in a temporary file in -T DIR (here missing)
	ls w/*.csv | sort -r | xargs -n 1 pc-score > backwards
	run -2 --separate-stderr pc-merge -S 0% -T no-such-dir backwards
	[[ "$stderr" == "pc-merge: cannot create a temporary file in 'no-such-dir': "* ]] || fail "$stderr"
	# 1% of any machine's memory holds the two waiting chunks, 32 KB
	pc-merge -S 1% -T no-such-dir backwards > got
	same_file got expected
	pc-merge -S 100% -T no-such-dir backwards > got
	same_file got expected
	run -2 --separate-stderr pc-merge -S 101% backwards
	assert_equal "${stderr%%$'\n'*}" "pc-merge: invalid buffer size '101%': more than 100% of memory"
	run -2 --separate-stderr pc-merge -S 5%K backwards
	[[ "$stderr" == "pc-merge: invalid buffer size '5%K': unknown suffix"*"or N% of memory)"* ]] || fail "$stderr"
}

# ---- make check without bats; make check-expensive -----------------------

@test "without bats, each suite is reported SKIP with the reason, through the TAP driver make check uses" {
	run env AM_TAP_AWK="${AWK:-awk}" sh "$PC_SRCDIR/build-aux/tap-driver.sh" \
		--test-name tests/pc-gen.bats --log-file pc-gen.log --trs-file pc-gen.trs \
		--color-tests no --enable-hard-errors yes --expect-failure no -- \
		sh "$PC_SRCDIR/tests/run-bats.sh" no "$PC_SRCDIR/tests/pc-gen.bats"
	assert_success
	assert_output --regexp '^SKIP: tests/pc-gen.bats .*bats was not found by configure'
	grep -qx ':test-result: SKIP' pc-gen.trs
	! grep -q ':test-result: \(ERROR\|FAIL\)' pc-gen.trs
	# (with bats, every suite of make check goes through the same wrapper)
}

@test "make check-expensive is make check with PC_TEST_EXPENSIVE=1" {
	run env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -n -C "$PC_BUILDDIR" check-expensive
	assert_success
	assert_output --regexp "PC_TEST_EXPENSIVE=1 [^ ]*make.* check"
}
