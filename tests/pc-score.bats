#!/usr/bin/env bats
# pc-score: the serial scorer, held to the exact oracle and to the spec.
bats_require_minimum_version 1.5.0
load test_helper/common

setup_file() {
	export DATA="$BATS_FILE_TMPDIR"
	oracle gen --seed 101 --rows 8000 --profile mixed > "$DATA/mixed.csv"
	oracle gen --seed 102 --rows 5000 --profile huge --crlf > "$DATA/huge.csv"
	oracle gen --seed 103 --rows 5000 --profile ties --no-final-newline > "$DATA/ties.csv"
	oracle gen --seed 104 --rows 4000 --profile mixed --crlf --no-final-newline > "$DATA/crlf.csv"
	for f in mixed huge ties crlf; do
		oracle score "$DATA/$f.csv" > "$DATA/$f.expected"
	done
	cat "$DATA"/{mixed,huge,ties,crlf}.csv > /dev/null
}

# bad_row TEXT: run pc-score on TEXT as the file bad.csv
bad_row() {
	printf '%s' "$1" > "$BATS_TEST_TMPDIR/bad.csv"
	run --separate-stderr pc-score "$BATS_TEST_TMPDIR/bad.csv"
}

@test "the worked examples of the spec" {
	printf '%s\n' Pedro,2,3,5,8 Juan,4,9,4,7 Diego,5,9,4,8 E,2,4 F,4,2,2 J,3,2 K,1,7,1 \
		H,1,1 A,1,0,1 B,0,0,5 C,5,0,0 D,0,5 G,0,1 I,0,0 > "$BATS_TEST_TMPDIR/ex.csv"
	printf '%s\n' Pedro,5,8 Juan,7,9 Diego,8,9 E,2,4 F,4,2 J,3,2 K,7,1 \
		H,1,1 A,1,0 B,0,0 C,5,0 D,5,0 G,1,0 I,0,0 > "$BATS_TEST_TMPDIR/want"
	for m in closed exhaustive; do
		pc-score -m "$m" "$BATS_TEST_TMPDIR/ex.csv" > "$BATS_TEST_TMPDIR/got"
		same_file "$BATS_TEST_TMPDIR/got" "$BATS_TEST_TMPDIR/want"
	done
	oracle score "$BATS_TEST_TMPDIR/ex.csv" > "$BATS_TEST_TMPDIR/oracle"
	same_file "$BATS_TEST_TMPDIR/oracle" "$BATS_TEST_TMPDIR/want"
}

@test "22000 random rows equal the oracle: closed form, from files" {
	for f in mixed huge ties crlf; do
		pc-score "$DATA/$f.csv" > "$BATS_TEST_TMPDIR/got"
		same_file "$BATS_TEST_TMPDIR/got" "$DATA/$f.expected"
	done
}

@test "22000 random rows equal the oracle: exhaustive method, from files" {
	for f in mixed huge ties crlf; do
		pc-score --method=exhaustive "$DATA/$f.csv" > "$BATS_TEST_TMPDIR/got"
		same_file "$BATS_TEST_TMPDIR/got" "$DATA/$f.expected"
	done
}

@test "random rows equal the oracle from standard input, both methods" {
	for m in closed exhaustive; do
		pc-score -m "$m" < "$DATA/mixed.csv" > "$BATS_TEST_TMPDIR/got"
		same_file "$BATS_TEST_TMPDIR/got" "$DATA/mixed.expected"
		cat "$DATA/huge.csv" | pc-score -m "$m" - > "$BATS_TEST_TMPDIR/got"
		same_file "$BATS_TEST_TMPDIR/got" "$DATA/huge.expected"
	done
}

@test "several files are one stream, in order" {
	pc-score "$DATA/mixed.csv" "$DATA/huge.csv" "$DATA/ties.csv" > "$BATS_TEST_TMPDIR/got"
	cat "$DATA/mixed.expected" "$DATA/huge.expected" "$DATA/ties.expected" > "$BATS_TEST_TMPDIR/want"
	same_file "$BATS_TEST_TMPDIR/got" "$BATS_TEST_TMPDIR/want"
}

@test "the block size never changes the output (rows cut and carried)" {
	for b in 1 2 7 64 1000 4K; do
		for m in closed exhaustive; do
			pc-score -B "$b" -m "$m" "$DATA/crlf.csv" > "$BATS_TEST_TMPDIR/got"
			same_file "$BATS_TEST_TMPDIR/got" "$DATA/crlf.expected" || fail "-B $b -m $m"
		done
	done
}

@test "RFC 4180 names: quotes, commas, newlines, CR; written minimally quoted" {
	printf '"Doe, J.",1,2\n"say ""hi""",3,4\n"two\nlines",5,6\n"plain",7,8\ncr\rx,9,10\n"",1,1\n' > "$BATS_TEST_TMPDIR/n.csv"
	run pc-score "$BATS_TEST_TMPDIR/n.csv"
	assert_success
	[ "$output" = "$(printf '"Doe, J.",2,1\n"say ""hi""",3,4\n"two\nlines",5,6\nplain,7,8\n"cr\rx",9,10\n,1,1')" ]
}

@test "BOM, CRLF, blank lines, spaces, quoted numbers, leading zeros, no final newline" {
	printf '\xEF\xBB\xBFA, 1 ,\t2\r\n\r\n\nB,"3", " 04 " ,0005\nC,0,0' > "$BATS_TEST_TMPDIR/f.csv"
	run pc-score "$BATS_TEST_TMPDIR/f.csv"
	assert_success
	# B is 3,4,5: 4^5 = 1024 > 5^4 = 625
	[ "$output" = "$(printf 'A,2,1\nB,4,5\nC,0,0')" ]
}

@test "the largest 64-bit values" {
	printf 'M,18446744073709551615,18446744073709551614\nN,18446744073709551615,2,18446744073709551615\n' > "$BATS_TEST_TMPDIR/m.csv"
	run pc-score "$BATS_TEST_TMPDIR/m.csv"
	assert_success
	assert_output "$(printf 'M,18446744073709551614,18446744073709551615\nN,18446744073709551615,18446744073709551615')"
}

@test "a row of a million numbers, through small blocks" {
	pc-gen -r 1 -c 1000000 -m 100 -s 3 | sed 's/$/,100,99/' > "$BATS_TEST_TMPDIR/wide.csv"
	# every value is below 99 but the two planted at the end: 99^100 wins
	local name
	name=$(cut -d, -f1 "$BATS_TEST_TMPDIR/wide.csv")
	run pc-score -B 64K "$BATS_TEST_TMPDIR/wide.csv"
	assert_success
	assert_output "$name,99,100"
	run pc-score "$BATS_TEST_TMPDIR/wide.csv"
	assert_output "$name,99,100"
}

@test "bad input: negative value, with file, line, column and exit 1" {
	bad_row $'A,1,2\nB,3,-5,6\n'
	assert_failure 1
	assert_output 'A,2,1'
	[ "$stderr" = "pc-score: $BATS_TEST_TMPDIR/bad.csv:2:5: negative value (\"-5\")" ]
}

@test "bad input: fractional, signed, not a number" {
	bad_row $'A,1,2\nB,1.5,2\n'
	assert_failure 1
	[[ "$stderr" == *"bad.csv:2:3: fractional value (\"1.5\")" ]]
	bad_row $'A,+5,2\n'
	assert_failure 1
	[[ "$stderr" == *"bad.csv:1:3: signed value (\"+5\")" ]]
	for v in abc 1e3 0x10 '1 2' '12abc'; do
		bad_row "A,1,$v"$'\n'
		assert_failure 1
		[[ "$stderr" == *"bad.csv:1:5: not a number (\"$v\")" ]] || fail "$v: $stderr"
	done
}

@test "bad input: empty fields" {
	bad_row $'A,1,,2\n'
	assert_failure 1
	[[ "$stderr" == *"bad.csv:1:5: empty field"* ]]
	bad_row $'A,1,2,\n'
	assert_failure 1
	[[ "$stderr" == *"bad.csv:1:7: empty field"* ]]
	bad_row $'A,1,"",2\n'
	assert_failure 1
	[[ "$stderr" == *"bad.csv:1:5: empty field"* ]]
}

@test "bad input: a value over 2^64-1" {
	bad_row $'A,1,18446744073709551616\n'
	assert_failure 1
	[[ "$stderr" == *"bad.csv:1:5: value over 18446744073709551615 (\"18446744073709551616\")" ]]
	bad_row $'A,1,99999999999999999999999999\n'
	assert_failure 1
	[[ "$stderr" == *"bad.csv:1:5: value over 18446744073709551615"* ]]
}

@test "bad input: fewer than two numbers, at the end of the row" {
	bad_row $'A,1,2\nB,5\n'
	assert_failure 1
	[[ "$stderr" == *"bad.csv:2:4: fewer than two numbers (found 1)" ]]
	bad_row $'A\n'
	assert_failure 1
	[[ "$stderr" == *"bad.csv:1:2: fewer than two numbers (found 0)" ]]
}

@test "bad input: a NUL byte" {
	printf 'A,1,2\nB,1,\0002\n' > "$BATS_TEST_TMPDIR/bad.csv"
	run --separate-stderr pc-score "$BATS_TEST_TMPDIR/bad.csv"
	assert_failure 1
	[[ "$stderr" == *"bad.csv:2:5: NUL byte"* ]]
}

@test "bad input: quotes out of place, and an unterminated quote" {
	bad_row $'ab"c,1,2\n'
	assert_failure 1
	[[ "$stderr" == *"bad.csv:1:1: quote inside an unquoted field"* ]]
	bad_row $'"ab"c,1,2\n'
	assert_failure 1
	[[ "$stderr" == *"bad.csv:1:1: text after a closing quote"* ]]
	bad_row $'A,1,2\n"open,1,2\nB,3,4\n'
	assert_failure 1
	assert_output 'A,2,1'
	[[ "$stderr" == *"bad.csv:2:1: unterminated quote"* ]]
}

@test "the line number counts the lines inside quoted names" {
	bad_row $'"one\ntwo\nthree",1,2\nB,1,x\n'
	assert_failure 1
	[[ "$stderr" == *"bad.csv:4:5: not a number (\"x\")" ]]
	bad_row $'"one\ntwo",1,2,x\n'
	assert_failure 1
	[[ "$stderr" == *"bad.csv:2:10: not a number (\"x\")" ]]
}

@test "line numbers restart with each file, which the message names" {
	printf 'A,1,2\nB,3,4\n' > "$BATS_TEST_TMPDIR/one.csv"
	printf 'C,1,2\nD,x,4\n' > "$BATS_TEST_TMPDIR/two.csv"
	run --separate-stderr pc-score "$BATS_TEST_TMPDIR/one.csv" "$BATS_TEST_TMPDIR/two.csv"
	assert_failure 1
	[ "$stderr" = "pc-score: $BATS_TEST_TMPDIR/two.csv:2:3: not a number (\"x\")" ]
	run --separate-stderr pc-score < "$BATS_TEST_TMPDIR/two.csv"
	[ "$stderr" = 'pc-score: -:2:3: not a number ("x")' ]
}

@test "skip mode: good rows scored, each bad row reported and copied verbatim" {
	printf 'A,1,2\r\nB,x,2\r\nC,3,4\n"q,\n1",-1,2\nD,5\nE,6,7' > "$BATS_TEST_TMPDIR/in.csv"
	run --separate-stderr pc-score --on-error=skip --rejects="$BATS_TEST_TMPDIR/rej.csv" "$BATS_TEST_TMPDIR/in.csv"
	assert_success
	assert_output "$(printf 'A,2,1\nC,3,4\nE,6,7')"
	[[ "$stderr" == *"in.csv:2:3: not a number"* ]]
	[[ "$stderr" == *"in.csv:5:4: negative value"* ]]
	[[ "$stderr" == *"in.csv:6:4: fewer than two numbers"* ]]
	[[ "$(tail -n 1 <<< "$stderr")" == *"skipped 3 bad rows of 6"* ]]
	[ "$(cat "$BATS_TEST_TMPDIR/rej.csv")" = "$(printf 'B,x,2\r\n"q,\n1",-1,2\nD,5')" ]
}

@test "skip mode over random good rows changes nothing" {
	run --separate-stderr pc-score --on-error=skip "$DATA/mixed.csv"
	assert_success
	[[ "$stderr" == *"skipped 0 bad rows of 8000"* ]]
	printf '%s\n' "$output" > "$BATS_TEST_TMPDIR/got"
	same_file "$BATS_TEST_TMPDIR/got" "$DATA/mixed.expected"
}

@test "--rejects without skip mode, and other misuse, exit 2" {
	run pc-score --rejects=x.csv "$DATA/mixed.csv"
	assert_failure 2
	run pc-score --method=fast "$DATA/mixed.csv"
	assert_failure 2
	run pc-score --on-error=maybe "$DATA/mixed.csv"
	assert_failure 2
	run pc-score --no-such-option
	assert_failure 2
	run --separate-stderr pc-score "$BATS_TEST_TMPDIR/does-not-exist.csv"
	assert_failure 2
	[[ "$stderr" == *"cannot open"*"does-not-exist.csv"* ]]
}

@test "-o writes the file only when the run succeeds, and leaves no temporary file" {
	local dir="$BATS_TEST_TMPDIR/out"
	mkdir "$dir"
	printf 'A,1,2\nB,x\n' > "$BATS_TEST_TMPDIR/bad.csv"
	run pc-score -o "$dir/res.csv" "$BATS_TEST_TMPDIR/bad.csv"
	assert_failure 1
	[ -z "$(ls -A "$dir")" ]
	echo old > "$dir/res.csv"
	run pc-score -o "$dir/res.csv" "$BATS_TEST_TMPDIR/bad.csv"
	assert_failure 1
	[ "$(cat "$dir/res.csv")" = old ]
	[ "$(ls -A "$dir")" = res.csv ]
	run pc-score -o "$dir/res.csv" "$DATA/mixed.csv"
	assert_success
	same_file "$dir/res.csv" "$DATA/mixed.expected"
	[ "$(ls -A "$dir")" = res.csv ]
}

@test "a full disk exits 2 with a message, on stdout and with -o" {
	run --separate-stderr bash -c 'pc-score "$1" > /dev/full' _ "$DATA/mixed.csv"
	assert_failure 2
	[[ "$stderr" == *"write error"*"No space left on device"* ]]
	run --separate-stderr pc-score -o /dev/full "$DATA/mixed.csv"
	assert_failure 2
	[[ "$stderr" == *"write error on /dev/full"* ]]
	[ -c /dev/full ]
}

@test "a closed pipe downstream ends pc-score quietly" {
	run --separate-stderr bash -c 'pc-score "$1" "$1" "$1" | head -n 3' _ "$DATA/mixed.csv"
	assert_success
	[ "${#lines[@]}" -eq 3 ]
	[ -z "$stderr" ]
}

@test "--progress reports bytes and rows on standard error" {
	run --separate-stderr pc-score --progress "$DATA/mixed.csv"
	assert_success
	[[ "$stderr" == *"MB"*"8000 rows"* ]]
}

@test "--help and --version" {
	run pc-score --help
	assert_success
	assert_output --partial 'Usage: pc-score [OPTION]... [FILE]...'
	assert_output --partial '--method=METHOD'
	run pc-score --version
	assert_success
	assert_line --index 0 'pc-score (powercouples) 0.1.0'
}

@test "expensive: 1 GB through a pipe in bounded memory (PC_TEST_EXPENSIVE=1)" {
	[ "${PC_TEST_EXPENSIVE:-0}" = 1 ] || skip "set PC_TEST_EXPENSIVE=1 to stream 1 GB"
	# 700000 rows of 500 values < 100: about 1.02 GB
	run --separate-stderr bash -c 'pc-gen -r 700000 -c 500 -s 8 | /usr/bin/time -v pc-score | wc -l'
	assert_success
	assert_output 700000
	local rss
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' <<< "$stderr")
	[ -n "$rss" ] && [ "$rss" -lt 65536 ] || fail "peak memory $rss KB"
}

@test "expensive: 200000 rows of 64-bit values, both methods agree, bounded memory (PC_TEST_EXPENSIVE=1)" {
	[ "${PC_TEST_EXPENSIVE:-0}" = 1 ] || skip "set PC_TEST_EXPENSIVE=1 to run"
	pc-gen -r 200000 -c 60 -m 18446744073709551616 -s 12 > "$BATS_TEST_TMPDIR/big64.csv"
	run --separate-stderr bash -c 'pc-score "$1" | md5sum; pc-score -m exhaustive "$1" | md5sum; /usr/bin/time -v pc-score "$1" > /dev/null' _ "$BATS_TEST_TMPDIR/big64.csv"
	assert_success
	[ "${lines[0]}" = "${lines[1]}" ]
	local rss
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' <<< "$stderr")
	[ "$rss" -lt 65536 ] || fail "peak memory $rss KB"
}
