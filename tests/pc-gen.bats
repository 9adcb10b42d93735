#!/usr/bin/env bats
# pc-gen: exact shape, reproducible bytes, the value range.
bats_require_minimum_version 1.5.0
load test_helper/common

@test "exactly ROWS rows of a 10-letter name and COLS values" {
	run pc-gen -r 37 -c 11 -s 4
	assert_success
	[ "${#lines[@]}" -eq 37 ]
	for l in "${lines[@]}"; do
		[[ "$l" =~ ^[A-Z]{10}(,(0|[1-9][0-9]?)){11}$ ]] || fail "bad row: $l"
	done
}

@test "the defaults: 10 rows of 500 values in [0,100)" {
	run pc-gen
	assert_success
	[ "${#lines[@]}" -eq 10 ]
	[ "$(awk -F, '{ n += NF - 1 } END { print n }' <<< "$output")" -eq 5000 ]
	[ "$(tr ',' '\n' <<< "$output" | grep -vc '^[A-Z]')" -eq 5000 ]
	local bad
	bad=$(tr ',' '\n' <<< "$output" | grep -v '^[A-Z]' | grep -vE '^[0-9]{1,2}$' | head -n 3) || true
	[ -z "$bad" ] || fail "values outside [0,100): $bad"
}

@test "the same seed gives the same bytes; another seed, other bytes" {
	pc-gen -r 2000 -c 30 -s 77 > "$BATS_TEST_TMPDIR/a"
	pc-gen -r 2000 -c 30 -s 77 -o "$BATS_TEST_TMPDIR/b"
	pc-gen -r 2000 -c 30 -s 78 > "$BATS_TEST_TMPDIR/c"
	cmp "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
	run -1 cmp -s "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/c"   # 1: they differ (2 would be trouble)
}

@test "the bytes of a seed are fixed (so every machine agrees)" {
	# recorded from this implementation; splitmix64 and Lemire's method are
	# integer-only, so any machine that differs has a bug
	run pc-gen -r 2 -c 6 -s 1
	assert_success
	assert_output "$(printf 'OSZXBCQUUI,39,74,98,97,93,44\nLOIKHYUYHW,56,76,84,87,7,52')"
}

@test "--min and -m bound the values, both ends reached" {
	run pc-gen -r 200 -c 50 --min 5 -m 8 -s 2
	assert_success
	local vals
	vals=$(tr ',' '\n' <<< "$output" | grep -v '^[A-Z]' | sort -u | tr '\n' ' ')
	[ "$vals" = "5 6 7 " ]
}

@test "-m 2^64 makes every 64-bit value possible, and they score" {
	run pc-gen -r 300 -c 20 -m 18446744073709551616 -s 3
	assert_success
	local top
	top=$(tr ',' '\n' <<< "$output" | grep -v '^[A-Z]' | awk 'length($0) == 20' | wc -l)
	[ "$top" -gt 1000 ]   # about 54% of values have 20 digits
	run pc-gen -r 3 -c 4 --min 18446744073709551614 -m 18446744073709551616
	assert_success
	[ "$(tr ',' '\n' <<< "$output" | grep -vc '^[A-Z]')" -eq 12 ]
	local bad
	bad=$(tr ',' '\n' <<< "$output" | grep -v '^[A-Z]' | grep -vE '^1844674407370955161[45]$' | head -n 3) || true
	[ -z "$bad" ] || fail "values outside [2^64-2, 2^64): $bad"
	pc-gen -r 500 -c 30 -m 18446744073709551616 -s 4 > "$BATS_TEST_TMPDIR/big.csv"
	oracle score "$BATS_TEST_TMPDIR/big.csv" > "$BATS_TEST_TMPDIR/want"
	pc-score "$BATS_TEST_TMPDIR/big.csv" > "$BATS_TEST_TMPDIR/got"
	same_file "$BATS_TEST_TMPDIR/got" "$BATS_TEST_TMPDIR/want"
}

@test "zero rows is an empty output" {
	run pc-gen -r 0
	assert_success
	assert_output ''
}

@test "usage errors exit 2" {
	run --separate-stderr pc-gen --min 10 -m 10
	assert_failure 2
	[[ "$stderr" == *"must be below the maximum"* ]]
	run pc-gen -m 18446744073709551617
	assert_failure 2
	run pc-gen -r -1
	assert_failure 2
	run pc-gen -c 0
	assert_failure 2
	run pc-gen extra
	assert_failure 2
}

@test "-o is atomic: a failed run leaves nothing; /dev/full exits 2" {
	run --separate-stderr pc-gen -r 1000 -o /dev/full
	assert_failure 2
	[[ "$stderr" == *"write error"* ]]
	run pc-gen -r 10 -o "$BATS_TEST_TMPDIR/no/such/dir/x.csv"
	assert_failure 2
	pc-gen -r 5 -o "$BATS_TEST_TMPDIR/ok.csv"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/ok.csv")" -eq 5 ]
}

@test "--help and --version" {
	run pc-gen --help
	assert_success
	assert_output --partial 'Usage: pc-gen'
	run pc-gen --version
	assert_success
	assert_line --index 0 "pc-gen (powercouples) $PC_VERSION"
}

@test "a huge -c is written in pieces: no overflow, a closed pipe ends it quietly" {
	# cols * 21 wrapped around and pc-gen crashed with SIGSEGV
	run bash -c 'pc-gen -c 878416384462359601 -r 1 | head -c 64 | wc -c; echo "${PIPESTATUS[0]}"'
	assert_output "$(printf '64\n141')"
	# rows longer than a piece are the bytes 0.1 wrote whole (its md5sum)
	[ "$(pc-gen -r 3 -c 9000 -s 5 | md5sum)" = "fda82fe7dfc6dfb33f1897ae7172ee55  -" ]
	[ "$(pc-gen -r 3 -c 9000 -s 5 | awk -F, '{ print NF }' | sort -u)" = 9001 ]
}

@test "-o: the file synced, renamed into place, then its directory synced" {
	cd "$BATS_TEST_TMPDIR"
	sync_calls calls pc-gen -r 3 -c 4 -s 9 -o out.csv
	printf '%s\n' 'fsync .pc-*' 'rename .pc-* out.csv' 'fsync DIR' > want
	same_file calls want
	[ "$(wc -l < out.csv)" -eq 3 ]
}

@test "--header and -t: a header line name,v1..vCOLS first, the same values between other separators" {
	cd "$BATS_TEST_TMPDIR"
	pc-gen -r 50 -c 7 -s 11 > plain.csv
	# the header, spelled out, then the plain rows with ';' for ','
	{ echo 'name;v1;v2;v3;v4;v5;v6;v7'; tr ',' ';' < plain.csv; } > want.csv
	pc-gen -r 50 -c 7 -s 11 --header -t ';' > got.csv
	same_file got.csv want.csv
	pc-gen -r 50 -c 7 -s 11 --header -t ';' -o out.csv
	same_file out.csv want.csv
	# TAB as \t, without a header
	tr ',' '\t' < plain.csv > want-tab.csv
	pc-gen -r 50 -c 7 -s 11 -t '\t' > got-tab.csv
	same_file got-tab.csv want-tab.csv
	# a header wider than a write piece (64 KiB), and a header alone
	[ "$(pc-gen -r 0 -c 20000 --header | awk -F, '{ print NF, $1, $2, $NF }')" = "20001 name v1 v20000" ]
	[ "$(pc-gen -r 2 -c 20000 --header | wc -l)" -eq 3 ]
	# what the scorers read with the same options
	pc-score --header -t ';' got.csv > scored.csv
	{ echo 'name;x;y'; pc-score plain.csv | tr ',' ';'; } > want-scored.csv
	same_file scored.csv want-scored.csv
	# a delimiter the scorers refuse is refused here too
	run pc-gen -t x
	assert_failure 2
	assert_output --partial "pc-gen: invalid delimiter 'x'"
}
