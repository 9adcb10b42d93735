#!/usr/bin/env bats
# pc-split: chunks on row boundaries, framed, counted as the scorer counts.
bats_require_minimum_version 1.5.0
load test_helper/common

setup_file() {
	export DATA="$BATS_FILE_TMPDIR"
	oracle gen --seed 201 --rows 3000 --profile mixed --crlf --no-final-newline > "$DATA/in.csv"
	oracle score "$DATA/in.csv" > "$DATA/expected"
	pc-gen -r 4000 -c 5 -s 3 > "$DATA/rows4000.csv"
}

# score_chunks LISTFILE: pc-score each chunk (which checks its rows=), rows only
score_chunks() {
	local f
	while IFS= read -r f; do
		pc-score "$f" || return 1
	done < "$1" | grep -av '^#pc:'
}

@test "-n 1, 2, 7: that many chunks, whose rows give back the input's scores" {
	for n in 1 2 7; do
		rm -rf "$BATS_TEST_TMPDIR/w"
		pc-split -n "$n" -d "$BATS_TEST_TMPDIR/w" "$DATA/in.csv" > "$BATS_TEST_TMPDIR/paths"
		[ "$(wc -l < "$BATS_TEST_TMPDIR/paths")" -eq "$n" ]
		score_chunks "$BATS_TEST_TMPDIR/paths" > "$BATS_TEST_TMPDIR/got"
		same_file "$BATS_TEST_TMPDIR/got" "$DATA/expected" || fail "-n $n"
	done
}

@test "-n balances by bytes" {
	pc-split -n 4 -d "$BATS_TEST_TMPDIR/w" "$DATA/rows4000.csv" > /dev/null
	local sizes
	sizes=$(stat -c %s "$BATS_TEST_TMPDIR"/w/*.csv | sort -n)
	local min max
	min=$(head -n 1 <<< "$sizes")
	max=$(tail -n 1 <<< "$sizes")
	[ $((max - min)) -lt 200 ] || fail "sizes $sizes"
}

@test "more chunks than rows: empty chunks, still exactly -n of them, the last marked" {
	printf 'A,1,2\nB,3,4\n' > "$BATS_TEST_TMPDIR/two.csv"
	run pc-split -n 5 -d "$BATS_TEST_TMPDIR/w" "$BATS_TEST_TMPDIR/two.csv"
	assert_success
	[ "${#lines[@]}" -eq 5 ]
	grep -q 'rows=0 last=1$' "${lines[4]}"
	[ "$(cat "$BATS_TEST_TMPDIR"/w/*.csv | grep -c '^#pc:end')" -eq 5 ]
	[ "$(cat "$BATS_TEST_TMPDIR"/w/*.csv | grep -vc '^#pc:')" -eq 2 ]
}

@test "-l 100 on 4000 rows makes 40 chunks of 100 rows" {
	run pc-split -l 100 -d "$BATS_TEST_TMPDIR/w" "$DATA/rows4000.csv"
	assert_success
	[ "${#lines[@]}" -eq 40 ]
	for f in "${lines[@]}"; do
		[ "$(grep -vc '^#pc:' "$f")" -eq 100 ]
		tail -n 1 "$f" | grep -q ' rows=100'
	done
	tail -n 1 "${lines[39]}" | grep -q 'last=1$'
	! grep -q 'last=1' "${lines[0]}"
}

@test "-b cuts at the first row end past SIZE, from standard input too" {
	run pc-split -b 10K -d "$BATS_TEST_TMPDIR/w" < "$DATA/in.csv"
	assert_success
	[ "${#lines[@]}" -gt 5 ]
	[[ "${lines[0]}" == */w/stdin.00000001.csv ]]
	printf '%s\n' "${lines[@]}" > "$BATS_TEST_TMPDIR/paths"
	score_chunks "$BATS_TEST_TMPDIR/paths" > "$BATS_TEST_TMPDIR/got"
	same_file "$BATS_TEST_TMPDIR/got" "$DATA/expected"
}

@test "a quoted name holding a newline is never cut" {
	for i in $(seq 1 50); do printf '"name\n%d",%d,2\n' "$i" "$i"; done > "$BATS_TEST_TMPDIR/nl.csv"
	run pc-split -b 1 -d "$BATS_TEST_TMPDIR/w" "$BATS_TEST_TMPDIR/nl.csv"
	assert_success
	[ "${#lines[@]}" -eq 50 ]
	for f in "${lines[@]}"; do
		[ "$(grep -c '^"name$' "$f")" -eq 1 ] || fail "$f: $(cat "$f")"
		tail -n 1 "$f" | grep -q ' rows=1'
	done
}

@test "the framing: one run id, indexes from 1, count= with -n, paths that sort" {
	pc-split -n 12 -d "$BATS_TEST_TMPDIR/w" "$DATA/in.csv" > "$BATS_TEST_TMPDIR/paths"
	[ "$(cat "$BATS_TEST_TMPDIR/paths")" = "$(ls "$BATS_TEST_TMPDIR"/w/*.csv)" ]
	local ids
	ids=$(cat "$BATS_TEST_TMPDIR"/w/*.csv | grep -o 'id=[0-9a-f]*' | sort -u)
	[ "$(wc -l <<< "$ids")" -eq 1 ]
	[[ "$ids" =~ ^id=[0-9a-f]{16}$ ]]
	head -n 1 "$BATS_TEST_TMPDIR/w/in.0003.csv" | grep -qx "#pc:chunk v=1 ${ids} index=3 count=12"
	# a fresh run id for each run
	pc-split -n 2 -d "$BATS_TEST_TMPDIR/w2" "$DATA/in.csv" > /dev/null
	! grep -q "$ids" "$BATS_TEST_TMPDIR"/w2/*.csv
}

@test "-z ends paths with NUL; --prefix names the chunks" {
	pc-split -z -n 3 --prefix=part -d "$BATS_TEST_TMPDIR/w" "$DATA/in.csv" > "$BATS_TEST_TMPDIR/paths"
	[ "$(tr -cd '\0' < "$BATS_TEST_TMPDIR/paths" | wc -c)" -eq 3 ]
	[ -f "$BATS_TEST_TMPDIR/w/part.0002.csv" ]
}

@test "empty input: one chunk of no rows, marked last" {
	run pc-split -l 5 -d "$BATS_TEST_TMPDIR/w" < /dev/null
	assert_success
	[ "${#lines[@]}" -eq 1 ]
	[ "$(tail -n 1 "${lines[0]}" | sed 's/id=[0-9a-f]*/id=X/')" = '#pc:end v=1 id=X index=1 rows=0 last=1' ]
}

@test "framed input, -n on a pipe, bad options" {
	pc-split -n 2 -d "$BATS_TEST_TMPDIR/w" "$DATA/in.csv" > /dev/null
	run --separate-stderr pc-split -l 5 -d "$BATS_TEST_TMPDIR/w2" "$BATS_TEST_TMPDIR/w/in.0001.csv"
	assert_failure 1
	[[ "$stderr" == *"already framed"* ]]
	run bash -c 'cat "$1" | pc-split -n 2 -d "$2"' _ "$DATA/in.csv" "$BATS_TEST_TMPDIR/w3"
	assert_failure 2
	run pc-split -n 2 -l 3 "$DATA/in.csv"
	assert_failure 2
	run pc-split -n 0 "$DATA/in.csv"
	assert_failure 2
	run pc-split -n 2 "$BATS_TEST_TMPDIR/nothing-here.csv"
	assert_failure 2
}

@test "--help and --version" {
	run pc-split --help
	assert_success
	assert_output --partial 'Usage: pc-split'
	run pc-split --version
	assert_line --index 0 'pc-split (powercouples) 0.1.0'
}
