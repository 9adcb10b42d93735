#!/usr/bin/env bats
# pc-merge: rows back in index order, and every way a run can be incomplete.
bats_require_minimum_version 1.5.0
load test_helper/common

setup_file() {
	export DATA="$BATS_FILE_TMPDIR"
	oracle gen --seed 301 --rows 3000 --profile mixed > "$DATA/in.csv"
	oracle score "$DATA/in.csv" > "$DATA/expected"
	pc-split -n 8 -d "$DATA/chunks" "$DATA/in.csv" > "$DATA/paths"
	mkdir "$DATA/scored"
	while IFS= read -r f; do
		pc-score -o "$DATA/scored/$(basename "$f")" "$f"
	done < "$DATA/paths"
	export RUN
	RUN=$(head -n 1 "$DATA/scored/in.0001.csv" | grep -o 'id=[0-9a-f]*' | cut -d= -f2)
}

@test "chunks in order, reversed, or as one shuffled stream: the same rows" {
	pc-merge "$DATA"/scored/*.csv > "$BATS_TEST_TMPDIR/got"
	same_file "$BATS_TEST_TMPDIR/got" "$DATA/expected"
	pc-merge $(ls "$DATA"/scored/*.csv | sort -r) > "$BATS_TEST_TMPDIR/got"
	same_file "$BATS_TEST_TMPDIR/got" "$DATA/expected"
	cat $(ls "$DATA"/scored/*.csv | shuf) | pc-merge > "$BATS_TEST_TMPDIR/got"
	same_file "$BATS_TEST_TMPDIR/got" "$DATA/expected"
}

@test "early chunks beyond --buffer-size spill to -T DIR, and leave nothing there" {
	mkdir "$BATS_TEST_TMPDIR/tmp"
	cat $(ls "$DATA"/scored/*.csv | sort -r) |
		pc-merge --buffer-size=1K -T "$BATS_TEST_TMPDIR/tmp" > "$BATS_TEST_TMPDIR/got"
	same_file "$BATS_TEST_TMPDIR/got" "$DATA/expected"
	[ -z "$(ls -A "$BATS_TEST_TMPDIR/tmp")" ]
	TMPDIR="$BATS_TEST_TMPDIR/tmp" pc-merge -S 1K $(ls "$DATA"/scored/*.csv | sort -r) > "$BATS_TEST_TMPDIR/got"
	same_file "$BATS_TEST_TMPDIR/got" "$DATA/expected"
}

@test "a lost chunk: exit 1, naming it and the run; -o leaves no file" {
	run --separate-stderr pc-merge -o "$BATS_TEST_TMPDIR/res.csv" $(ls "$DATA"/scored/*.csv | sed 3d)
	assert_failure 1
	[ "$stderr" = "pc-merge: run $RUN: chunk 3 is missing" ]
	[ ! -e "$BATS_TEST_TMPDIR/res.csv" ]
	run --separate-stderr pc-merge $(ls "$DATA"/scored/*.csv | sed -e 2d -e 8d)
	assert_failure 1
	[[ "$stderr" == *"chunk 2 is missing"* ]]
	[[ "$stderr" == *"no chunk has last=1"* ]]
}

@test "a truncated chunk: exit 1" {
	head -n -1 "$DATA/scored/in.0005.csv" > "$BATS_TEST_TMPDIR/cut.csv"
	run --separate-stderr pc-merge $(ls "$DATA"/scored/*.csv | sed 5d) "$BATS_TEST_TMPDIR/cut.csv"
	assert_failure 1
	[[ "$stderr" == *"run $RUN: chunk 5 is truncated"* ]]
	# cut short in a stream: the next header comes before the trailer
	cat "$BATS_TEST_TMPDIR/cut.csv" "$DATA"/scored/in.000[1-4].csv "$DATA"/scored/in.000[6-8].csv > "$BATS_TEST_TMPDIR/stream"
	run --separate-stderr pc-merge < "$BATS_TEST_TMPDIR/stream"
	assert_failure 1
	[[ "$stderr" == *"chunk 5 is truncated"* ]]
}

@test "a duplicated chunk: exit 1" {
	run --separate-stderr pc-merge "$DATA"/scored/*.csv "$DATA/scored/in.0004.csv"
	assert_failure 1
	[ "$stderr" = "pc-merge: run $RUN: chunk 4 appears twice" ]
}

@test "chunks of two different runs: exit 1" {
	pc-split -n 8 -d "$BATS_TEST_TMPDIR/other" "$DATA/in.csv" > /dev/null
	pc-score "$BATS_TEST_TMPDIR/other/in.0006.csv" > "$BATS_TEST_TMPDIR/foreign.csv"
	run --separate-stderr pc-merge $(ls "$DATA"/scored/*.csv | sed 6d) "$BATS_TEST_TMPDIR/foreign.csv"
	assert_failure 1
	[[ "$stderr" == *"chunk 6 belongs to another run"* ]]
	[[ "$stderr" == *"chunk 6 is missing"* ]]
}

@test "a corrupted header, an unscored chunk, a wrong count: exit 1" {
	sed '1s/index=1/index=one/' "$DATA/scored/in.0001.csv" > "$BATS_TEST_TMPDIR/bad.csv"
	run --separate-stderr pc-merge "$BATS_TEST_TMPDIR/bad.csv" $(ls "$DATA"/scored/*.csv | sed 1d)
	assert_failure 1
	[[ "$stderr" == *"bad.csv:1:1: "* ]]
	run --separate-stderr pc-merge "$DATA/chunks/in.0001.csv" $(ls "$DATA"/scored/*.csv | sed 1d)
	assert_failure 1
	[[ "$stderr" == *"chunk 1: it was not scored"* ]]
	# drop one plain row (not a line of a quoted name)
	local n
	n=$(grep -anE '^[A-Za-z]+,[0-9]+,[0-9]+$' "$DATA/scored/in.0002.csv" | head -n 1 | cut -d: -f1)
	[ -n "$n" ]
	sed "${n}d" "$DATA/scored/in.0002.csv" > "$BATS_TEST_TMPDIR/short.csv"
	run --separate-stderr pc-merge $(ls "$DATA"/scored/*.csv | sed 2d) "$BATS_TEST_TMPDIR/short.csv"
	assert_failure 1
	[[ "$stderr" == *"chunk 2: #pc:end says scored="*"but it holds"* ]]
}

@test "unframed inputs are concatenated in argument order" {
	printf 'A,2,1\nB,3,4' > "$BATS_TEST_TMPDIR/a.csv"
	printf 'C,5,6\n' > "$BATS_TEST_TMPDIR/b.csv"
	run pc-merge "$BATS_TEST_TMPDIR/a.csv" "$BATS_TEST_TMPDIR/b.csv"
	assert_success
	assert_output "$(printf 'A,2,1\nB,3,4\nC,5,6')"
	run pc-merge "$BATS_TEST_TMPDIR/a.csv" "$DATA/scored/in.0001.csv"
	assert_failure 1
}

@test "--help and --version" {
	run pc-merge --help
	assert_success
	assert_output --partial 'Usage: pc-merge'
	run pc-merge --version
	assert_line --index 0 'pc-merge (powercouples) 0.1.0'
}
