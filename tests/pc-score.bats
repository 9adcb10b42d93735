#!/usr/bin/env bats
# pc-score: the serial scorer, held to the specification's worked examples
# and to the exact oracle (tests/oracle.py) on random input, for both
# methods, files and standard input, and every block size; its diagnostics
# (file, line, column, message), skip mode and rejects; -o; I/O errors.
bats_require_minimum_version 1.5.0
load test_helper/common

U64_MAX=18446744073709551615

setup_file() {
	load test_helper/common
	export DATA="$BATS_FILE_TMPDIR"
	# 20,000 random rows in four files: every profile, LF and CRLF, with and
	# without a final newline, with and without a byte-order mark.
	oracle gen --seed 11 --rows 8000 --profile mixed > "$DATA/mixed.csv"
	oracle gen --seed 12 --rows 4000 --profile small --crlf > "$DATA/small.csv"
	oracle gen --seed 13 --rows 4000 --profile huge --no-final-newline > "$DATA/huge.csv"
	oracle gen --seed 14 --rows 4000 --profile ties --crlf --no-final-newline --bom > "$DATA/ties.csv"
	for d in mixed small huge ties; do
		oracle score "$DATA/$d.csv" > "$DATA/$d.exp"
	done
}

# The specification's worked examples, input and expected output.
SPEC_IN='Pedro,2,3,5,8
Juan,4,9,4,7
Diego,5,9,4,8
E,2,4
F,4,2,2
J,3,2
K,1,7,1
H,1,1
A,1,0,1
B,0,0,5
C,5,0,0
D,0,5
G,0,1
I,0,0'
SPEC_OUT='Pedro,5,8
Juan,7,9
Diego,8,9
E,2,4
F,4,2
J,3,2
K,7,1
H,1,1
A,1,0
B,0,0
C,5,0
D,5,0
G,1,0
I,0,0'

# ---- the oracle itself -------------------------------------------------------

@test "the oracle passes its own self-test" {
	run oracle selftest
	assert_success
	assert_output --partial "all checks passed"
}

@test "the oracle gives the specification's worked examples" {
	printf '%s\n' "$SPEC_IN" > "$BATS_TEST_TMPDIR/spec.csv"
	run oracle score "$BATS_TEST_TMPDIR/spec.csv"
	assert_success
	assert_output "$SPEC_OUT"
}

# ---- worked examples -----------------------------------------------------------

@test "worked examples of the specification, closed form" {
	printf '%s\n' "$SPEC_IN" > "$BATS_TEST_TMPDIR/spec.csv"
	run --separate-stderr pc-score "$BATS_TEST_TMPDIR/spec.csv"
	assert_success
	assert_output "$SPEC_OUT"
	[ -z "$stderr" ] || fail "unexpected stderr: $stderr"
	run pc-score --method=closed "$BATS_TEST_TMPDIR/spec.csv"
	assert_success
	assert_output "$SPEC_OUT"
}

@test "worked examples of the specification, exhaustive method" {
	printf '%s\n' "$SPEC_IN" > "$BATS_TEST_TMPDIR/spec.csv"
	run --separate-stderr pc-score --method=exhaustive "$BATS_TEST_TMPDIR/spec.csv"
	assert_success
	assert_output "$SPEC_OUT"
	run pc-score -m exhaustive "$BATS_TEST_TMPDIR/spec.csv"
	assert_success
	assert_output "$SPEC_OUT"
}

@test "worked examples one row at a time on standard input, both methods" {
	local i=0 want
	mapfile -t ins <<< "$SPEC_IN"
	mapfile -t outs <<< "$SPEC_OUT"
	[ "${#ins[@]}" -eq 14 ] && [ "${#outs[@]}" -eq 14 ]
	for i in "${!ins[@]}"; do
		for m in closed exhaustive; do
			run pc-score -m "$m" <<< "${ins[$i]}"
			assert_success
			assert_output "${outs[$i]}"
			# and without its newline
			run pc-score -m "$m" - < <(printf '%s' "${ins[$i]}")
			assert_success
			assert_output "${outs[$i]}"
		done
	done
}

# ---- against the oracle on random input ---------------------------------------

@test "differential: 20,000 random rows from files, closed form, equal to the oracle" {
	local n=0
	for d in mixed small huge ties; do
		pc-score "$DATA/$d.csv" > "$BATS_TEST_TMPDIR/out" || fail "pc-score failed on $d.csv"
		same_file "$BATS_TEST_TMPDIR/out" "$DATA/$d.exp" || fail "closed form differs from the oracle on $d.csv"
		n=$((n + $(oracle score "$DATA/$d.csv" | wc -c)))
	done
	[ "$n" -gt 100000 ] # the data really is there
}

@test "differential: 20,000 random rows from files, exhaustive method, equal to the oracle" {
	for d in mixed small huge ties; do
		pc-score --method=exhaustive "$DATA/$d.csv" > "$BATS_TEST_TMPDIR/out" || fail "pc-score failed on $d.csv"
		same_file "$BATS_TEST_TMPDIR/out" "$DATA/$d.exp" || fail "exhaustive method differs from the oracle on $d.csv"
	done
}

@test "differential: standard input (a pipe and a redirection), both methods" {
	for d in mixed small huge ties; do
		for m in closed exhaustive; do
			cat "$DATA/$d.csv" | pc-score -m "$m" > "$BATS_TEST_TMPDIR/out" || fail "pc-score -m $m failed on a pipe"
			same_file "$BATS_TEST_TMPDIR/out" "$DATA/$d.exp" || fail "$m from a pipe differs on $d.csv"
			pc-score -m "$m" - < "$DATA/$d.csv" > "$BATS_TEST_TMPDIR/out" || fail "pc-score -m $m - failed"
			same_file "$BATS_TEST_TMPDIR/out" "$DATA/$d.exp" || fail "$m from '-' differs on $d.csv"
		done
	done
}

@test "differential: the output does not depend on the block size (1, 7, 13, 4096, 64K)" {
	for d in mixed small huge ties; do
		for b in 1 7 13 4096 64K; do
			pc-score -B "$b" "$DATA/$d.csv" > "$BATS_TEST_TMPDIR/out" || fail "-B $b failed on $d.csv"
			same_file "$BATS_TEST_TMPDIR/out" "$DATA/$d.exp" || fail "-B $b differs on $d.csv"
		done
		pc-score --block-size=13 < "$DATA/$d.csv" > "$BATS_TEST_TMPDIR/out" || fail "--block-size=13 on stdin failed"
		same_file "$BATS_TEST_TMPDIR/out" "$DATA/$d.exp" || fail "--block-size=13 on stdin differs on $d.csv"
	done
	for b in 1 13 4096; do
		pc-score -m exhaustive -B "$b" "$DATA/mixed.csv" > "$BATS_TEST_TMPDIR/out" || fail "exhaustive -B $b failed"
		same_file "$BATS_TEST_TMPDIR/out" "$DATA/mixed.exp" || fail "exhaustive -B $b differs"
	done
}

@test "differential: several files in one run are one stream ('-' among them)" {
	cat "$DATA/mixed.exp" "$DATA/small.exp" "$DATA/ties.exp" > "$BATS_TEST_TMPDIR/want"
	pc-score "$DATA/mixed.csv" "$DATA/small.csv" "$DATA/ties.csv" > "$BATS_TEST_TMPDIR/out" || fail "pc-score failed"
	same_file "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/want"
	pc-score -B 13 -m exhaustive "$DATA/mixed.csv" - "$DATA/ties.csv" < "$DATA/small.csv" > "$BATS_TEST_TMPDIR/out" || fail "pc-score failed"
	same_file "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/want"
}

@test "differential: the whole 64-bit range (pc-gen -m 2^64), both methods" {
	pc-gen -r 3000 -c 6 -m 18446744073709551616 -s 5 > "$BATS_TEST_TMPDIR/wide.csv"
	pc-gen -r 1000 -c 3 -m 18446744073709551616 --min 18446744073709551610 -s 6 >> "$BATS_TEST_TMPDIR/wide.csv"
	oracle score "$BATS_TEST_TMPDIR/wide.csv" > "$BATS_TEST_TMPDIR/want"
	# values of 20 digits really are there
	grep -q ',1[0-9]\{19\}' "$BATS_TEST_TMPDIR/want"
	for m in closed exhaustive; do
		pc-score -m "$m" "$BATS_TEST_TMPDIR/wide.csv" > "$BATS_TEST_TMPDIR/out" || fail "-m $m failed"
		same_file "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/want" || fail "-m $m differs from the oracle"
	done
}

@test "differential: long rows carried across small blocks" {
	# 3000 values below 12 per row: many ties, rows far longer than a block
	pc-gen -r 150 -c 3000 -m 12 -s 8 > "$BATS_TEST_TMPDIR/long.csv"
	oracle score "$BATS_TEST_TMPDIR/long.csv" > "$BATS_TEST_TMPDIR/want"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/want")" -eq 150 ]
	for b in 1 13 4096 1M; do
		pc-score -B "$b" "$BATS_TEST_TMPDIR/long.csv" > "$BATS_TEST_TMPDIR/out" || fail "-B $b failed"
		same_file "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/want" || fail "-B $b differs"
	done
	pc-score -m exhaustive -B 4096 "$BATS_TEST_TMPDIR/long.csv" > "$BATS_TEST_TMPDIR/out" || fail "exhaustive failed"
	same_file "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/want" || fail "exhaustive differs"
}

# ---- rows of a million numbers ------------------------------------------------

@test "a row of 1,000,000 numbers below 100 equals the oracle" {
	pc-gen -r 1 -c 1000000 -s 31 > "$BATS_TEST_TMPDIR/row.csv"
	[ "$(tr -cd , < "$BATS_TEST_TMPDIR/row.csv" | wc -c)" -eq 1000000 ]
	oracle score "$BATS_TEST_TMPDIR/row.csv" > "$BATS_TEST_TMPDIR/want"
	pc-score "$BATS_TEST_TMPDIR/row.csv" > "$BATS_TEST_TMPDIR/out" || fail "pc-score failed"
	same_file "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/want"
	pc-score -B 4096 < "$BATS_TEST_TMPDIR/row.csv" > "$BATS_TEST_TMPDIR/out" || fail "pc-score -B 4096 failed"
	same_file "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/want"
}

@test "a row of 1,000,000 numbers with a known answer, in bounded memory" {
	# values 0..98, then 99 and 100 planted: 99^100 > 100^99 is the best
	pc-gen -r 1 -c 999998 -m 99 -s 32 | tr -d '\n' > "$BATS_TEST_TMPDIR/row.csv"
	printf ',100,99\n' >> "$BATS_TEST_TMPDIR/row.csv"
	local name
	name=$(head -c 10 "$BATS_TEST_TMPDIR/row.csv")
	/usr/bin/time -v -o "$BATS_TEST_TMPDIR/time" pc-score -B 64K "$BATS_TEST_TMPDIR/row.csv" > "$BATS_TEST_TMPDIR/out" || fail "pc-score failed"
	run cat "$BATS_TEST_TMPDIR/out"
	assert_output "$name,99,100"
	local kb
	kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$BATS_TEST_TMPDIR/time")
	[ -n "$kb" ] && [ "$kb" -lt 65536 ] || fail "resident set $kb kB for one long row (bound 64 MB)"
	# the same row in the other order, and through a pipe
	run bash -c 'printf "XX,99,"; tail -c +12 "$1"' _ "$BATS_TEST_TMPDIR/row.csv"
	printf '%s\n' "$output" | sed 's/,100,99$/,100/' > "$BATS_TEST_TMPDIR/row2.csv"
	run bash -c 'cat "$1" | pc-score' _ "$BATS_TEST_TMPDIR/row2.csv"
	assert_success
	assert_output "XX,99,100"
}

@test "a row of 1,000,000 values in 0..4 (ties everywhere) equals the oracle" {
	pc-gen -r 1 -c 1000000 -m 5 -s 33 > "$BATS_TEST_TMPDIR/row.csv"
	pc-gen -r 2 -c 500000 -m 2 -s 34 >> "$BATS_TEST_TMPDIR/row.csv"
	oracle score "$BATS_TEST_TMPDIR/row.csv" > "$BATS_TEST_TMPDIR/want"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/want")" -eq 3 ]
	pc-score -B 1K "$BATS_TEST_TMPDIR/row.csv" > "$BATS_TEST_TMPDIR/out" || fail "pc-score failed"
	same_file "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/want"
}

# ---- input format ---------------------------------------------------------------

@test "quoted names with commas, quotes, newlines and CR are written back, minimally quoted" {
	printf '"Doe, J.",3,4\n"say ""hi""",1,2\n"two\nlines",2,4\n"cr\rinside",0,0\n"crlf\r\ninside",4,2\n"plain",5,6\n"""",1,1\n",",0,1\n' > "$BATS_TEST_TMPDIR/in.csv"
	local want
	want=$(printf '"Doe, J.",3,4\n"say ""hi""",2,1\n"two\nlines",2,4\n"cr\rinside",0,0\n"crlf\r\ninside",4,2\nplain,5,6\n"""",1,1\n",",1,0')
	run --separate-stderr pc-score "$BATS_TEST_TMPDIR/in.csv"
	assert_success
	assert_output "$want"
	run oracle score "$BATS_TEST_TMPDIR/in.csv"
	assert_output "$want"
	run pc-score -m exhaustive -B 1 "$BATS_TEST_TMPDIR/in.csv"
	assert_output "$want"
}

@test "names are written byte for byte: blanks, empty, UTF-8, other bytes, '#'" {
	printf ' Bob ,2,3\n,3,2\n"",7,7\n\t\xc3\xa9t\xc3\xa9\t,4,5\n\xff\xfe,1,0\n#pc:chunk,0,1\n"\xef\xbb\xbfx",1,2\n' > "$BATS_TEST_TMPDIR/in.csv"
	printf ' Bob ,3,2\n,3,2\n,7,7\n\t\xc3\xa9t\xc3\xa9\t,4,5\n\xff\xfe,1,0\n#pc:chunk,1,0\n\xef\xbb\xbfx,2,1\n' > "$BATS_TEST_TMPDIR/want"
	oracle score "$BATS_TEST_TMPDIR/in.csv" > "$BATS_TEST_TMPDIR/oracle"
	same_file "$BATS_TEST_TMPDIR/oracle" "$BATS_TEST_TMPDIR/want"
	pc-score "$BATS_TEST_TMPDIR/in.csv" > "$BATS_TEST_TMPDIR/out" || fail "pc-score failed"
	same_file "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/want"
}

@test "numbers: blanks around them, leading zeros, quotes, 2^64-1" {
	printf 'a, 007 ,"12"\nb,\t"3"\t, "04" \nc,"5" ,000000000000000000000000000000000018446744073709551615\nd,%s,%s\ne,00,0000\n' "$U64_MAX" "$((1 << 62))" > "$BATS_TEST_TMPDIR/in.csv"
	local want
	want=$(printf 'a,7,12\nb,3,4\nc,5,%s\nd,4611686018427387904,%s\ne,0,0' "$U64_MAX" "$U64_MAX")
	run --separate-stderr pc-score "$BATS_TEST_TMPDIR/in.csv"
	assert_success
	assert_output "$want"
	run pc-score -m exhaustive "$BATS_TEST_TMPDIR/in.csv"
	assert_output "$want"
	run oracle score "$BATS_TEST_TMPDIR/in.csv"
	assert_output "$want"
}

@test "CRLF, blank lines (LF and CRLF) and a missing final newline" {
	printf '\n\r\nA,2,3\r\n\r\n\nB,4,2,2\r\n"C\r\nD",1,0,1\r\n\r\nE,0,5' > "$BATS_TEST_TMPDIR/in.csv"
	local want
	want=$(printf 'A,3,2\nB,4,2\n"C\r\nD",1,0\nE,5,0')
	run --separate-stderr pc-score "$BATS_TEST_TMPDIR/in.csv"
	assert_success
	assert_output "$want"
	[ -z "$stderr" ] || fail "stderr: $stderr"
	run oracle score "$BATS_TEST_TMPDIR/in.csv"
	assert_output "$want"
	# output lines end in LF alone, whatever the input used
	pc-score "$BATS_TEST_TMPDIR/in.csv" > "$BATS_TEST_TMPDIR/out"
	[ "$(tr -cd '\r' < "$BATS_TEST_TMPDIR/out" | wc -c)" -eq 1 ] # only the one inside the name
	[ "$(tail -c 1 "$BATS_TEST_TMPDIR/out" | od -An -c | tr -d ' ')" = '\n' ]
}

@test "a CR as a file's very last byte ends its last line; a lone CR elsewhere ends none" {
	printf 'A,2,3\r' > "$BATS_TEST_TMPDIR/a.csv"          # a CRLF file that lost its final LF
	printf 'B,4,2,2\r\n\r' > "$BATS_TEST_TMPDIR/b.csv"  # ... after a blank line's CR
	printf '\r' > "$BATS_TEST_TMPDIR/c.csv"
	local f want
	want=$(printf 'A,3,2\nB,4,2')
	for m in closed exhaustive; do
		run --separate-stderr pc-score -m "$m" "$BATS_TEST_TMPDIR/a.csv" "$BATS_TEST_TMPDIR/c.csv" \
			"$BATS_TEST_TMPDIR/b.csv" "$BATS_TEST_TMPDIR/c.csv"
		assert_success
		assert_output "$want"
		[ -z "$stderr" ] || fail "stderr: $stderr"
	done
	run oracle score "$BATS_TEST_TMPDIR/a.csv" "$BATS_TEST_TMPDIR/c.csv" "$BATS_TEST_TMPDIR/b.csv" \
		"$BATS_TEST_TMPDIR/c.csv"
	assert_success
	assert_output "$want"
	# anywhere but at a file's end a lone CR ends no line: here it is inside a number
	for f in 'A,2,3\rB,4,5\n' 'A,2,3\rB,4,5'; do
		printf "$f" > "$BATS_TEST_TMPDIR/mid.csv"
		run --separate-stderr pc-score "$BATS_TEST_TMPDIR/mid.csv"
		assert_failure 1
		[[ $stderr == "pc-score: $BATS_TEST_TMPDIR/mid.csv:1:5: not a number ("*")" ]] || fail "stderr: $stderr"
		run oracle score "$BATS_TEST_TMPDIR/mid.csv"
		assert_failure 1
	done
}

@test "a byte-order mark is skipped at the start of every file, and only there" {
	printf '\xef\xbb\xbfA,2,3\n' > "$BATS_TEST_TMPDIR/a.csv"
	printf '\xef\xbb\xbfB,4,5\r\n' > "$BATS_TEST_TMPDIR/b.csv"
	printf '\xef\xbb\xbf' > "$BATS_TEST_TMPDIR/only-bom.csv"
	run --separate-stderr pc-score "$BATS_TEST_TMPDIR/a.csv" "$BATS_TEST_TMPDIR/only-bom.csv" - "$BATS_TEST_TMPDIR/b.csv" < "$BATS_TEST_TMPDIR/b.csv"
	assert_success
	assert_output "$(printf 'A,3,2\nB,4,5\nB,4,5')"
	# a BOM on a later line belongs to the name
	printf '\xef\xbb\xbfA,2,3\n\xef\xbb\xbfB,4,5\n' > "$BATS_TEST_TMPDIR/c.csv"
	pc-score "$BATS_TEST_TMPDIR/c.csv" > "$BATS_TEST_TMPDIR/out"
	printf 'A,3,2\n\xef\xbb\xbfB,4,5\n' > "$BATS_TEST_TMPDIR/want"
	same_file "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/want"
	oracle score "$BATS_TEST_TMPDIR/c.csv" > "$BATS_TEST_TMPDIR/oracle"
	same_file "$BATS_TEST_TMPDIR/oracle" "$BATS_TEST_TMPDIR/want"
}

@test "empty input, blank lines only: no output, success" {
	: > "$BATS_TEST_TMPDIR/empty.csv"
	printf '\n\r\n\n' > "$BATS_TEST_TMPDIR/blank.csv"
	run --separate-stderr pc-score "$BATS_TEST_TMPDIR/empty.csv" "$BATS_TEST_TMPDIR/blank.csv"
	assert_success
	assert_output ""
	[ -z "$stderr" ]
	run pc-score < /dev/null
	assert_success
	assert_output ""
}

@test "a file without a final newline does not run into the next file" {
	printf 'a,2,3' > "$BATS_TEST_TMPDIR/a.csv"
	printf 'b,4,5\n' > "$BATS_TEST_TMPDIR/b.csv"
	printf 'c,0,1\r\nd,1,1' > "$BATS_TEST_TMPDIR/c.csv"
	run --separate-stderr pc-score "$BATS_TEST_TMPDIR/a.csv" "$BATS_TEST_TMPDIR/c.csv" "$BATS_TEST_TMPDIR/b.csv"
	assert_success
	assert_output "$(printf 'a,3,2\nc,1,0\nd,1,1\nb,4,5')"
	run oracle score "$BATS_TEST_TMPDIR/a.csv" "$BATS_TEST_TMPDIR/c.csv" "$BATS_TEST_TMPDIR/b.csv"
	assert_output "$(printf 'a,3,2\nc,1,0\nd,1,1\nb,4,5')"
}

# ---- bad rows -------------------------------------------------------------------

# bad_row ROW LINE COL MESSAGE [FOUND] [last]
# Score a file of a good row, a quoted name over two lines, then ROW
# (printf %b escapes) from line 4 on, then a good row (none with "last").
# Expect: the first two rows scored, exit 1 and the one message
# "pc-score: FILE:LINE:COL: MESSAGE (FOUND)" on stderr; both methods.
bad_row() {
	local f=$BATS_TEST_TMPDIR/in.csv found=${5:-} m
	{
		printf 'first,2,3\n"two\nlines, quoted",3,4\n'
		printf '%b' "$1"
		[ "${6:-}" = last ] || printf 'after,5,6\n'
	} > "$f"
	printf 'first,2,3\n"two\nlines, quoted",3,4\n' > "$BATS_TEST_TMPDIR/good.csv"
	local want
	want=$(oracle score "$BATS_TEST_TMPDIR/good.csv")
	[ "$want" = "$(printf 'first,3,2\n"two\nlines, quoted",3,4')" ]
	for m in closed exhaustive; do
		run --separate-stderr pc-score -m "$m" "$f"
		assert_failure 1
		assert_output "$want"
		local head="pc-score: $f:$2:$3: $4"
		if [[ $stderr != "$head ("*")" ]]; then
			fail "-m $m: expected stderr '$head (...)', got '$stderr'"
		fi
		if [[ $stderr == *$'\n'* ]]; then
			fail "-m $m: expected one line on stderr, got '$stderr'"
		fi
		if [ -n "$found" ] && [ "$stderr" != "$head $found" ]; then
			fail "-m $m: expected stderr '$head $found', got '$stderr'"
		fi
	done
	# the oracle refuses the row too
	run oracle score "$f"
	assert_failure 1
}

@test "bad row: negative value" {
	bad_row 'neg,7,-5,3\n' 4 7 'negative value' '("-5")'
	bad_row 'neg,7, \t-12 ,3\n' 4 9 'negative value'
	bad_row '-1,2,-0\n' 4 6 'negative value'
}

@test "bad row: negative value after a multi-line quoted name" {
	bad_row '"bad\nname",1,-2\n' 5 9 'negative value' '("-2")'
	bad_row '"bad\r\nname\n\n",1,2,-3\r\n' 7 7 'negative value'
}

@test "bad row: fractional value" {
	bad_row 'fr,1.5,2\n' 4 4 'fractional value' '("1.5")'
	bad_row 'fr,1, 2.0\n' 4 7 'fractional value'
}

@test "bad row: signed value" {
	bad_row 'sg,2,+5\n' 4 6 'signed value' '("+5")'
}

@test "bad row: not a number" {
	bad_row 'nn,abc,2\n' 4 4 'not a number'
	bad_row 'nn,2,1e3\n' 4 6 'not a number'
	bad_row 'nn,0x10,2\n' 4 4 'not a number'
	bad_row 'nn,2,"1 2"\n' 4 6 'not a number'
	bad_row 'nn,2,"2"x\n' 4 6 'not a number'
	bad_row 'nn,1 2,3\n' 4 4 'not a number'
	# a point followed by no digit is no fraction
	bad_row 'nn,1,.\n' 4 6 'not a number'
	bad_row 'nn,.,1\n' 4 4 'not a number'
	bad_row 'nn,1,. \n' 4 6 'not a number'
}

@test "bad row: empty field" {
	bad_row 'ef,1,,2\n' 4 6 'empty field'
	bad_row 'ef,1,  ,2\n' 4 6 'empty field'
	bad_row 'ef,1,""\n' 4 6 'empty field'
	bad_row 'ef,1,2,\n' 4 8 'empty field'
	bad_row 'ef,,1,2\r\n' 4 4 'empty field'
}

@test "bad row: value over 2^64-1" {
	bad_row 'ov,18446744073709551616,1\n' 4 4 'value over 18446744073709551615' '("18446744073709551616")'
	bad_row 'ov,1, 99999999999999999999999\n' 4 7 'value over 18446744073709551615'
	bad_row 'ov,1,0018446744073709551620\n' 4 6 'value over 18446744073709551615'
	bad_row 'ov,1,"36893488147419103232"\n' 4 6 'value over 18446744073709551615'
	# an overlong value at a block's very end (the sanitizer build catches
	# a read past the block, as there once was)
	local b
	printf 'a,1,99999999999999999999999\n' > "$BATS_TEST_TMPDIR/ovf.csv"
	for b in 1 7 24 27 28 29 32 64; do
		run --separate-stderr pc-score -B "$b" "$BATS_TEST_TMPDIR/ovf.csv"
		assert_failure 1
		[[ $stderr == *":1:5: value over 18446744073709551615 ("* ]] || fail "-B $b: $stderr"
	done
}

@test "bad row: fewer than two numbers" {
	bad_row 'fw,5\n' 4 5 'fewer than two numbers' '(found 1)'
	bad_row 'fw\n' 4 3 'fewer than two numbers' '(found 0)'
	bad_row 'fw,5\r\n' 4 5 'fewer than two numbers' '(found 1)'
	bad_row '"quoted, name\nspanning",5\n' 5 12 'fewer than two numbers' '(found 1)'
	bad_row 'fw,5' 4 5 'fewer than two numbers' '(found 1)' last
}

@test "bad row: NUL byte" {
	bad_row 'nu,1\0,2\n' 4 5 'NUL byte'
	bad_row 'n\0u,1,2\n' 4 2 'NUL byte'
}

@test "bad row: unterminated quote" {
	bad_row '"never closed,1,2\nmore,3,4\n' 4 1 'unterminated quote' '' last
	bad_row 'un,1,"2\n' 4 6 'unterminated quote' '' last
}

@test "bad row: quote inside an unquoted field" {
	bad_row 'ab"c,1,2\n' 4 1 'quote inside an unquoted field'
	bad_row ' "ab",1,2\n' 4 1 'quote inside an unquoted field'
}

@test "bad row: text after a closing quote" {
	bad_row '"ab"c,1,2\n' 4 1 'text after a closing quote'
	bad_row '"ab" ,1,2\n' 4 1 'text after a closing quote'
}

@test "bad row on standard input is reported as '-'" {
	run --separate-stderr pc-score < <(printf 'A,2,3\nB,1,-3\nC,1,2\n')
	assert_failure 1
	assert_output "A,3,2"
	[ "$stderr" = 'pc-score: -:2:5: negative value ("-3")' ] || fail "stderr: $stderr"
}

@test "several files: line numbers restart, the message names the right file" {
	printf 'a1,2,3\na2,4,5\n' > "$BATS_TEST_TMPDIR/a.csv"
	printf 'b1,1,2\nb2,3,-1\nb3,1,1\n' > "$BATS_TEST_TMPDIR/b.csv"
	run --separate-stderr pc-score "$BATS_TEST_TMPDIR/a.csv" "$BATS_TEST_TMPDIR/b.csv"
	assert_failure 1
	assert_output "$(printf 'a1,3,2\na2,4,5\nb1,2,1')"
	[[ $stderr == "pc-score: $BATS_TEST_TMPDIR/b.csv:2:6: negative value ("*")" ]] || fail "stderr: $stderr"
	# stdin between two files, a relative path as given
	cd "$BATS_TEST_TMPDIR"
	run --separate-stderr pc-score a.csv - b.csv < <(printf '\xef\xbb\xbfs1,0,0\r\n\r\ns2,1\r\n')
	assert_failure 1
	assert_output "$(printf 'a1,3,2\na2,4,5\ns1,0,0')"
	[[ $stderr == "pc-score: -:3:5: fewer than two numbers ("*")" ]] || fail "stderr: $stderr"
	run --separate-stderr pc-score --on-error=skip b.csv a.csv ./b.csv
	assert_success
	[[ ${stderr_lines[0]} == "pc-score: b.csv:2:6: negative value ("*")" ]] ||
		fail "stderr line 1: ${stderr_lines[0]}"
	[[ ${stderr_lines[1]} == "pc-score: ./b.csv:2:6: negative value ("*")" ]] ||
		fail "stderr line 2: ${stderr_lines[1]}"
}

@test "fail mode: nothing after the bad row is written" {
	oracle gen --seed 21 --rows 3000 > "$BATS_TEST_TMPDIR/a.csv"
	oracle score "$BATS_TEST_TMPDIR/a.csv" > "$BATS_TEST_TMPDIR/want"
	{ cat "$BATS_TEST_TMPDIR/a.csv"; printf 'bad,1,x\n'; cat "$BATS_TEST_TMPDIR/a.csv"; } > "$BATS_TEST_TMPDIR/in.csv"
	local line
	line=$(($(wc -l < "$BATS_TEST_TMPDIR/a.csv") + 1))
	for b in 7 1M; do
		run --separate-stderr pc-score -B "$b" "$BATS_TEST_TMPDIR/in.csv"
		assert_failure 1
		[ "$stderr" = "pc-score: $BATS_TEST_TMPDIR/in.csv:$line:7: not a number (\"x\")" ] || fail "stderr: $stderr"
		pc-score -B "$b" "$BATS_TEST_TMPDIR/in.csv" > "$BATS_TEST_TMPDIR/out" 2>/dev/null && fail "should fail"
		same_file "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/want"
	done
}

# ---- skip mode and rejects -------------------------------------------------------

@test "--on-error=skip: good rows scored, every bad row reported, summary, exit 0" {
	local f=$BATS_TEST_TMPDIR/in.csv
	printf 'g1,2,3\nb1,1,-5\n"g2\nx",4,5\n"b2\ny",7,1.5\ng3,0,0\r\nb3,5\r\nb4,1\0,2\n\ng4,9,9\nb5,18446744073709551616,1' > "$f"
	printf 'g1,2,3\n"g2\nx",4,5\ng3,0,0\r\ng4,9,9\n' > "$BATS_TEST_TMPDIR/good.csv"
	local want
	want=$(oracle score "$BATS_TEST_TMPDIR/good.csv")
	[ "$want" = "$(printf 'g1,3,2\n"g2\nx",4,5\ng3,0,0\ng4,9,9')" ]
	for m in closed exhaustive; do
		run --separate-stderr pc-score -m "$m" --on-error=skip --rejects="$BATS_TEST_TMPDIR/rej" "$f"
		assert_success
		assert_output "$want"
		mapfile -t errs <<< "$stderr"
		[ "${#errs[@]}" -eq 6 ] || fail "want 5 messages and a summary, got: $stderr"
		[[ ${errs[0]} == "pc-score: $f:2:6: negative value ("*")" ]] || fail "${errs[0]}"
		[[ ${errs[1]} == "pc-score: $f:6:6: fractional value ("*")" ]] || fail "${errs[1]}"
		[[ ${errs[2]} == "pc-score: $f:8:5: fewer than two numbers ("*")" ]] || fail "${errs[2]}"
		[[ ${errs[3]} == "pc-score: $f:9:5: NUL byte"* ]] || fail "${errs[3]}"
		[[ ${errs[4]} == "pc-score: $f:12:4: value over 18446744073709551615 ("*")" ]] || fail "${errs[4]}"
		[[ ${errs[5]} == pc-score:*"skipped 5 bad row"* ]] || fail "summary: ${errs[5]}"
		printf 'b1,1,-5\n"b2\ny",7,1.5\nb3,5\r\nb4,1\0,2\nb5,18446744073709551616,1\n' > "$BATS_TEST_TMPDIR/want-rej"
		same_file "$BATS_TEST_TMPDIR/rej" "$BATS_TEST_TMPDIR/want-rej"
	done
	# without --rejects, the same on stdout and stderr
	run --separate-stderr pc-score --on-error=skip < "$f"
	assert_success
	assert_output "$want"
	assert_equal "$(printf '%s\n' "$stderr" | tail -n 1 | grep -c 'skipped 5 bad row')" 1
	[[ $stderr == "pc-score: -:2:6: negative value"* ]] || fail "$stderr"
}

@test "--on-error=skip over random input with bad rows planted, any block size" {
	oracle gen --seed 22 --rows 2000 --profile mixed > "$BATS_TEST_TMPDIR/a.csv"
	oracle gen --seed 23 --rows 2000 --profile huge --crlf > "$BATS_TEST_TMPDIR/b.csv"
	cat "$BATS_TEST_TMPDIR/a.csv" "$BATS_TEST_TMPDIR/b.csv" > "$BATS_TEST_TMPDIR/good.csv"
	oracle score "$BATS_TEST_TMPDIR/good.csv" > "$BATS_TEST_TMPDIR/want"
	printf 'x1,1,-1\n"x\n2",+1,2\r\nx3,1\n' > "$BATS_TEST_TMPDIR/bad.csv"
	cat "$BATS_TEST_TMPDIR/bad.csv" "$BATS_TEST_TMPDIR/a.csv" "$BATS_TEST_TMPDIR/bad.csv" "$BATS_TEST_TMPDIR/b.csv" "$BATS_TEST_TMPDIR/bad.csv" > "$BATS_TEST_TMPDIR/in.csv"
	cat "$BATS_TEST_TMPDIR/bad.csv" "$BATS_TEST_TMPDIR/bad.csv" "$BATS_TEST_TMPDIR/bad.csv" > "$BATS_TEST_TMPDIR/want-rej"
	for b in 1 13 4096 1M; do
		pc-score -B "$b" --on-error=skip --rejects "$BATS_TEST_TMPDIR/rej" "$BATS_TEST_TMPDIR/in.csv" > "$BATS_TEST_TMPDIR/out" 2> "$BATS_TEST_TMPDIR/err" || fail "-B $b: exit $?"
		same_file "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/want" || fail "-B $b: output differs"
		same_file "$BATS_TEST_TMPDIR/rej" "$BATS_TEST_TMPDIR/want-rej" || fail "-B $b: rejects differ"
		[ "$(wc -l < "$BATS_TEST_TMPDIR/err")" -eq 10 ] || fail "-B $b: $(cat "$BATS_TEST_TMPDIR/err")"
		tail -n 1 "$BATS_TEST_TMPDIR/err" | grep -q 'skipped 9 bad row' || fail "-B $b: summary $(tail -n 1 "$BATS_TEST_TMPDIR/err")"
	done
}

@test "--rejects without --on-error=skip is a usage error" {
	run --separate-stderr pc-score --rejects="$BATS_TEST_TMPDIR/rej" /dev/null
	assert_failure 2
	[ -n "$stderr" ]
	[ ! -e "$BATS_TEST_TMPDIR/rej" ]
}

# ---- -o -----------------------------------------------------------------------

@test "-o FILE writes the output, and nothing else, into FILE's directory" {
	mkdir "$BATS_TEST_TMPDIR/out"
	run --separate-stderr pc-score -o "$BATS_TEST_TMPDIR/out/result.csv" "$DATA/mixed.csv"
	assert_success
	assert_output ""
	same_file "$BATS_TEST_TMPDIR/out/result.csv" "$DATA/mixed.exp"
	only_files "$BATS_TEST_TMPDIR/out" result.csv
	# an existing file is replaced
	run pc-score --output="$BATS_TEST_TMPDIR/out/result.csv" "$DATA/small.csv"
	assert_success
	same_file "$BATS_TEST_TMPDIR/out/result.csv" "$DATA/small.exp"
	only_files "$BATS_TEST_TMPDIR/out" result.csv
	# a relative name, in the current directory
	cd "$BATS_TEST_TMPDIR/out"
	run pc-score -o rel.csv "$DATA/huge.csv"
	assert_success
	same_file rel.csv "$DATA/huge.exp"
	only_files . result.csv rel.csv
}

@test "-o FILE: a failed run leaves no file and no temporary file" {
	mkdir "$BATS_TEST_TMPDIR/out"
	{ cat "$DATA/mixed.csv"; printf 'bad,1,-1\n'; } > "$BATS_TEST_TMPDIR/bad.csv"
	for m in closed exhaustive; do
		run --separate-stderr pc-score -m "$m" -o "$BATS_TEST_TMPDIR/out/result.csv" "$BATS_TEST_TMPDIR/bad.csv"
		assert_failure 1
		[[ $stderr == *"negative value"* ]] || fail "stderr: $stderr"
		[ ! -e "$BATS_TEST_TMPDIR/out/result.csv" ] || fail "a failed run left its output file"
		only_files "$BATS_TEST_TMPDIR/out"
	done
	# an input that cannot be opened, after a good one
	run --separate-stderr pc-score -o "$BATS_TEST_TMPDIR/out/result.csv" "$DATA/mixed.csv" "$BATS_TEST_TMPDIR/nonexistent.csv"
	assert_failure 2
	only_files "$BATS_TEST_TMPDIR/out"
}

@test "-o FILE: a failed run leaves an existing FILE as it was" {
	mkdir "$BATS_TEST_TMPDIR/out"
	printf 'old contents\n' > "$BATS_TEST_TMPDIR/out/result.csv"
	printf 'a,1,2\nb,1,1.5\n' > "$BATS_TEST_TMPDIR/bad.csv"
	run pc-score -o "$BATS_TEST_TMPDIR/out/result.csv" "$BATS_TEST_TMPDIR/bad.csv"
	assert_failure 1
	run cat "$BATS_TEST_TMPDIR/out/result.csv"
	assert_output "old contents"
	only_files "$BATS_TEST_TMPDIR/out" result.csv
}

@test "-o a FIFO is written in place" {
	local d=$BATS_TEST_TMPDIR/d
	mkdir "$d"
	mkfifo "$d/fifo"
	cat "$d/fifo" > "$d/got" &
	local reader=$!
	run --separate-stderr timeout 60 pc-score -o "$d/fifo" "$DATA/small.csv"
	wait "$reader"
	assert_success
	[ -p "$d/fifo" ] || fail "the FIFO was replaced"
	same_file "$d/got" "$DATA/small.exp"
	only_files "$d" fifo got
}

@test "-o /dev/full and a full standard output: exit 2 with a message" {
	run --separate-stderr pc-score -o /dev/full "$DATA/mixed.csv"
	assert_failure 2
	[ -n "$stderr" ] || fail "no message"
	[[ $stderr == pc-score:* ]] || fail "stderr: $stderr"
	# a small output, only written when the program ends, too
	run --separate-stderr bash -c 'pc-score "$1" > /dev/full' _ "$DATA/mixed.csv"
	assert_failure 2
	[[ $stderr == pc-score:* ]] || fail "stderr: $stderr"
	printf 'a,1,2\n' > "$BATS_TEST_TMPDIR/one.csv"
	run --separate-stderr bash -c 'pc-score "$1" > /dev/full' _ "$BATS_TEST_TMPDIR/one.csv"
	assert_failure 2
	[[ $stderr == pc-score:* ]] || fail "stderr: $stderr"
	# skip mode: rejects to a full disk is an I/O error too
	printf 'a,1,2\nb,1\n' > "$BATS_TEST_TMPDIR/bad.csv"
	run --separate-stderr pc-score --on-error=skip --rejects=/dev/full "$BATS_TEST_TMPDIR/bad.csv"
	assert_failure 2
}

@test "-o into a directory that does not exist: exit 2 with a message" {
	run --separate-stderr pc-score -o "$BATS_TEST_TMPDIR/no/such/dir/out.csv" "$DATA/mixed.csv"
	assert_failure 2
	[[ $stderr == *"$BATS_TEST_TMPDIR/no/such/dir"* ]] || fail "stderr: $stderr"
}

# ---- I/O errors and pipes ------------------------------------------------------

@test "an input that cannot be opened or read: exit 2, the file named" {
	run --separate-stderr pc-score "$BATS_TEST_TMPDIR/nonexistent.csv"
	assert_failure 2
	assert_output ""
	[[ $stderr == pc-score:*"$BATS_TEST_TMPDIR/nonexistent.csv"* ]] || fail "stderr: $stderr"
	run --separate-stderr pc-score "$BATS_TEST_TMPDIR"
	assert_failure 2
	[[ $stderr == pc-score:*"$BATS_TEST_TMPDIR"* ]] || fail "stderr: $stderr"
	if [ "$(id -u)" -ne 0 ]; then
		printf 'a,1,2\n' > "$BATS_TEST_TMPDIR/secret.csv"
		chmod 000 "$BATS_TEST_TMPDIR/secret.csv"
		run --separate-stderr pc-score "$BATS_TEST_TMPDIR/secret.csv"
		assert_failure 2
		[[ $stderr == *secret.csv* ]] || fail "stderr: $stderr"
	fi
}

@test "pc-score big.csv | head -n 3 ends quietly" {
	pc-gen -r 30000 -c 500 -s 3 > "$BATS_TEST_TMPDIR/big.csv"
	for m in closed exhaustive; do
		# no pipefail: head's status is the pipeline's
		run --separate-stderr timeout 120 bash -c 'pc-score -m "$1" "$2" | head -n 3' _ "$m" "$BATS_TEST_TMPDIR/big.csv"
		assert_success
		[ "${#lines[@]}" -eq 3 ] || fail "-m $m: ${#lines[@]} lines"
		[ -z "$stderr" ] || fail "-m $m: stderr '$stderr'"
		assert_line --index 0 --regexp '^[A-Z]{10},[0-9]+,[0-9]+$'
		[ "${lines[0]}" = "$(head -n 1 "$BATS_TEST_TMPDIR/big.csv" | pc-score)" ]
	done
	# also from standard input
	run --separate-stderr timeout 120 bash -c 'cat "$1" | pc-score | head -n 3' _ "$BATS_TEST_TMPDIR/big.csv"
	assert_success
	[ "${#lines[@]}" -eq 3 ]
	[ -z "$stderr" ] || fail "stderr '$stderr'"
}

# ---- command line --------------------------------------------------------------

@test "--help and --version on standard output, exit 0" {
	run --separate-stderr pc-score --help
	assert_success
	assert_output --partial "pc-score"
	assert_output --partial "--method"
	assert_output --partial "--on-error"
	[ -z "$stderr" ]
	run --separate-stderr pc-score -h
	assert_success
	assert_output --partial "--output"
	run --separate-stderr pc-score --version
	assert_success
	assert_line --index 0 "pc-score (powercouples) $PC_VERSION"
	[ -z "$stderr" ]
	run pc-score -V
	assert_success
	assert_line --index 0 "pc-score (powercouples) $PC_VERSION"
}

@test "usage errors: exit 2, a message on stderr, nothing on stdout" {
	local args
	cp "$DATA/small.csv" "$BATS_TEST_TMPDIR/small.orig"
	for args in "--no-such-option" "-Q" "--method=bogus" "-m" "--method=" \
		"--on-error=ignore" "--on-error=" "-B abc" "-B 12Q" "-B 0" "-B -5" \
		"-B 2G" "--block-size="; do
		# shellcheck disable=SC2086
		run --separate-stderr pc-score $args "$DATA/small.csv"
		[ "$status" -eq 2 ] || fail "'pc-score $args' exited $status, want 2"
		[ -n "$stderr" ] || fail "'pc-score $args' printed no message"
		[ -z "$output" ] || fail "'pc-score $args' wrote to stdout: ${output:0:200}"
	done
	# an option missing its argument at the end (before a file it would
	# take that file as its argument: -o FILE would overwrite it)
	for args in "-o" "--output" "-m" "-B" "--rejects"; do
		run --separate-stderr pc-score $args < /dev/null
		[ "$status" -eq 2 ] || fail "'pc-score $args' exited $status, want 2"
		[[ $stderr == *"requires an argument"* ]] || fail "'pc-score $args': stderr '$stderr'"
		[ -z "$output" ] || fail "'pc-score $args' wrote to stdout: ${output:0:200}"
	done
	# nothing above touched the shared input
	same_file "$DATA/small.csv" "$BATS_TEST_TMPDIR/small.orig"
}

@test "block sizes with suffixes and long option forms are accepted" {
	for b in 1 1K 1k 64K 1M 1G; do
		run pc-score -B "$b" "$DATA/small.csv"
		assert_success
	done
	pc-score --block-size=2K --method exhaustive --on-error fail --output "$BATS_TEST_TMPDIR/out" "$DATA/ties.csv"
	same_file "$BATS_TEST_TMPDIR/out" "$DATA/ties.exp"
}

@test "--progress reports on stderr and leaves the output alone" {
	run --separate-stderr pc-score -p "$DATA/mixed.csv"
	assert_success
	printf '%s\n' "$output" > "$BATS_TEST_TMPDIR/out"
	same_file "$BATS_TEST_TMPDIR/out" "$DATA/mixed.exp"
	pc-score --progress -o "$BATS_TEST_TMPDIR/out2" < "$DATA/mixed.csv" 2> /dev/null
	same_file "$BATS_TEST_TMPDIR/out2" "$DATA/mixed.exp"
}

# ---- expensive: PC_TEST_EXPENSIVE=1 ----------------------------------------------

@test "expensive: 1 GB of generated rows streamed through a pipe in bounded memory" {
	[ "${PC_TEST_EXPENSIVE:-0}" = 1 ] || skip "expensive (about 1 GB through a pipe): set PC_TEST_EXPENSIVE=1"
	local rows=720000 bytes kb
	bytes=$(pc-gen -r "$rows" -c 500 -s 77 | wc -c)
	[ "$bytes" -ge 1000000000 ] || fail "only $bytes bytes generated"
	pc-gen -r "$rows" -c 500 -s 77 | /usr/bin/time -v -o "$BATS_TEST_TMPDIR/time" pc-score | wc -l > "$BATS_TEST_TMPDIR/count"
	grep -q 'Exit status: 0' "$BATS_TEST_TMPDIR/time" || fail "$(cat "$BATS_TEST_TMPDIR/time")"
	[ "$(cat "$BATS_TEST_TMPDIR/count")" -eq "$rows" ] || fail "$(cat "$BATS_TEST_TMPDIR/count") rows out, want $rows"
	kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$BATS_TEST_TMPDIR/time")
	[ "$kb" -lt 65536 ] || fail "maximum resident set $kb kB (bound 64 MB)"
	# the same bytes read from a file with the exhaustive method on a sample
	pc-gen -r 300 -c 500 -s 78 > "$BATS_TEST_TMPDIR/sample.csv"
	oracle score "$BATS_TEST_TMPDIR/sample.csv" > "$BATS_TEST_TMPDIR/want"
	pc-score -m exhaustive "$BATS_TEST_TMPDIR/sample.csv" > "$BATS_TEST_TMPDIR/out"
	same_file "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/want"
}

@test "expensive: 1 GB of full 64-bit values, bounded memory, both methods against the oracle" {
	[ "${PC_TEST_EXPENSIVE:-0}" = 1 ] || skip "expensive (about 1 GB of 64-bit values): set PC_TEST_EXPENSIVE=1"
	local rows=210000 kb
	pc-gen -r "$rows" -c 250 -m 18446744073709551616 -s 79 | /usr/bin/time -v -o "$BATS_TEST_TMPDIR/time" pc-score -o /dev/null
	grep -q 'Exit status: 0' "$BATS_TEST_TMPDIR/time" || fail "$(cat "$BATS_TEST_TMPDIR/time")"
	kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$BATS_TEST_TMPDIR/time")
	[ "$kb" -lt 65536 ] || fail "maximum resident set $kb kB (bound 64 MB)"
	run bash -c 'pc-gen -r "$1" -c 250 -m 18446744073709551616 -s 79 | pc-score | wc -l' _ "$rows"
	assert_output "$rows"
	# 100,000 rows of 8 values: both methods equal the oracle
	pc-gen -r 100000 -c 8 -m 18446744073709551616 -s 80 > "$BATS_TEST_TMPDIR/wide.csv"
	oracle score "$BATS_TEST_TMPDIR/wide.csv" > "$BATS_TEST_TMPDIR/want"
	for m in closed exhaustive; do
		pc-score -m "$m" "$BATS_TEST_TMPDIR/wide.csv" > "$BATS_TEST_TMPDIR/out"
		same_file "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/want" || fail "-m $m differs"
	done
	# long rows of 64-bit values: the two methods agree
	pc-gen -r 2000 -c 200 -m 18446744073709551616 -s 81 > "$BATS_TEST_TMPDIR/long.csv"
	pc-score "$BATS_TEST_TMPDIR/long.csv" > "$BATS_TEST_TMPDIR/closed"
	pc-score -m exhaustive "$BATS_TEST_TMPDIR/long.csv" > "$BATS_TEST_TMPDIR/exhaustive"
	same_file "$BATS_TEST_TMPDIR/exhaustive" "$BATS_TEST_TMPDIR/closed"
}

# ---- descriptors 0, 1 and 2 closed (cron jobs and daemons start that way) ----

@test "stdout closed: -o still writes its file whole; without -o it is a write error" {
	cd "$BATS_TEST_TMPDIR"
	printf 'a,1,2\nb,3,4\n' > in.csv
	# mkstemp must not get fd 1, nor the output be taken for standard output
	pc-score -o out.csv in.csv >&-
	[ "$(cat out.csv)" = "$(printf 'a,2,1\nb,3,4')" ]
	only_files . in.csv out.csv
	run -2 --separate-stderr bash -c 'pc-score in.csv >&-'
	[[ "$stderr" == "pc-score: write error on standard output: Bad file descriptor" ]]
}

@test "stdin closed: reading it is a read error, and -o leaves no file" {
	mkdir "$BATS_TEST_TMPDIR/d"
	cd "$BATS_TEST_TMPDIR/d"
	run -2 --separate-stderr bash -c 'pc-score -o out.csv <&-'
	assert_equal "$stderr" "pc-score: read error on '-': Bad file descriptor"
	only_files .
}

@test "stderr closed: skip mode's messages never land in the -o file" {
	cd "$BATS_TEST_TMPDIR"
	printf 'a,1,2\nbad,x,1\nb,3,4\n' > in.csv
	pc-score --on-error=skip -o out.csv in.csv 2>&-
	[ "$(cat out.csv)" = "$(printf 'a,2,1\nb,3,4')" ]
}

# ---- signals: nothing left behind ---------------------------------------------

@test "SIGTERM, SIGINT, SIGHUP mid-run: the -o temporary file is removed, the signal is the status" {
	cd "$BATS_TEST_TMPDIR"
	local sig want
	for sig in TERM INT HUP; do
		want=$((128 + $(kill -l "$sig")))
		rm -rf out in.fifo
		[ "$(signal_mid_run "$sig" pc-score -o out/result.csv in.fifo)" = "$want" ] || fail "SIG$sig"
		only_files out
		rm -rf out in.fifo
		[ "$(signal_mid_run "$sig" pc-threads -j 2 -o out/result.csv in.fifo)" = "$want" ] || fail "pc-threads SIG$sig"
		only_files out
	done
}

@test "an -o name near NAME_MAX works: the temporary name is short" {
	cd "$BATS_TEST_TMPDIR"
	printf 'a,1,2\n' > in.csv
	local name
	name=$(printf 'n%.0s' $(seq 1 250)).csv   # 254 bytes: no room for a suffix
	pc-score -o "$name" in.csv
	[ "$(cat "$name")" = "a,2,1" ]
	only_files . in.csv "$name"
}

@test "skip mode: memory stays bounded however many bad rows a block holds" {
	cd "$BATS_TEST_TMPDIR"
	yes a | head -n 2000000 > bad.csv   # 2 million bad rows in one 16 MiB block
	/usr/bin/time -f %M -o rss pc-score -B 16M --on-error=skip bad.csv > out 2> err
	assert_equal "$(tail -n 1 err)" "pc-score: skipped 2000000 bad rows of 2000000"
	[ "$(wc -l < err)" -eq 2000001 ]
	# 0.1 kept a 176-byte record per bad row: 350 MB here
	[ "$(cat rss)" -lt 100000 ] || fail "max RSS $(cat rss) KB"
}

@test "skip mode: a block with more bad rows than one result holds gives the same messages everywhere" {
	cd "$BATS_TEST_TMPDIR"
	# 10,000 bad rows among good ones, more than PC_ERRORS_MAX (4096) in one block
	awk 'BEGIN { for (i = 1; i <= 20000; i++) print (i % 2 ? "bad" i ",x," i : "g" i "," i % 7 "," i % 5) }' > in.csv
	pc-score -B 100 --on-error=skip --rejects=want.rej in.csv > want.out 2> want.err
	[ "$(grep -c ': not a number' want.err)" -eq 10000 ]
	local way
	for way in "pc-score -B 16M" "pc-score -B 1M" "pc-threads -j 2 -B 16M" "pc-threads -j 3 -B 200K"; do
		$way --on-error=skip --rejects=got.rej in.csv > got.out 2> got.err
		same_file got.out want.out || fail "$way: rows"
		same_file got.rej want.rej || fail "$way: rejects"
		# the same messages, the summary naming its own rejects file
		[ "$(sed 's/^pc-[a-z]*: //; s/got\.rej/want.rej/' got.err)" = "$(sed 's/^pc-[a-z]*: //' want.err)" ] ||
			fail "$way: messages"
	done
}

# ---- rules each checked by a mutation (issue 8) --------------------------------

@test "a bare CR in an unquoted name is a bad row, with its own message" {
	run -1 --separate-stderr bash -c "printf 'b\r,3,4\nc,3,4\n' | pc-score"
	assert_output ""
	assert_equal "$stderr" 'pc-score: -:1:1: CR inside an unquoted field ("b\x0D")'
	run --separate-stderr bash -c "printf 'b\r,3,4\nc,3,4\n' | pc-score --on-error=skip"
	assert_output "c,3,4"   # 3^4 = 81 beats 4^3 = 64
}

@test "a chunk whose rows= is not the rows it holds is refused" {
	mkdir "$BATS_TEST_TMPDIR/d"
	cd "$BATS_TEST_TMPDIR/d"
	printf '#pc:chunk v=1 id=0123456789abcdef index=1\na,1,2\n#pc:end v=1 id=0123456789abcdef index=1 rows=2 last=1\n' > r.csv
	run -1 --separate-stderr pc-score r.csv
	assert_equal "$stderr" "pc-score: r.csv:3:1: chunk 1 of run 0123456789abcdef: its #pc:end line says rows=2 but it holds 1 rows"
	run -1 --separate-stderr pc-score -o out.csv r.csv
	only_files . r.csv
}

@test "-o gives the file the mode a new file gets (0666 less the umask), not mkstemp's 0600" {
	cd "$BATS_TEST_TMPDIR"
	printf 'a,1,2\n' > in.csv
	(umask 022 && pc-score -o out.csv in.csv)
	[ "$(stat -c %a out.csv)" = 644 ]
	(umask 002 && pc-score -o out2.csv in.csv)
	[ "$(stat -c %a out2.csv)" = 664 ]
}

@test "--progress reports bytes and rows on stderr (its last line, off a terminal)" {
	cd "$BATS_TEST_TMPDIR"
	printf 'a,1,2\nb,3,4\n' > in.csv
	run --separate-stderr pc-score -p in.csv
	assert_success
	[[ "$stderr" =~ ^pc-score:\ 0\.0\ MB,\ 2\ rows,\ [0-9.]+\ MB/s$ ]] || fail "got: $stderr"
	run --separate-stderr pc-threads -j 2 --progress in.csv
	[[ "$stderr" =~ ^pc-threads:\ 0\.0\ MB,\ 2\ rows,\ [0-9.]+\ MB/s$ ]] || fail "got: $stderr"
}

# ---- rules checked by a mutation run (issue 8, again) -----------------------

@test "a raw chunk whose #pc:end already has scored= is refused: it was scored before" {
	mkdir "$BATS_TEST_TMPDIR/d"
	cd "$BATS_TEST_TMPDIR/d"
	printf '#pc:chunk v=1 id=0123456789abcdef index=1\na,1,2\n#pc:end v=1 id=0123456789abcdef index=1 rows=1 scored=1 rejected=0 last=1\n' > s.csv
	run -1 --separate-stderr pc-score s.csv
	assert_equal "$stderr" "pc-score: s.csv:3:1: chunk 1 of run 0123456789abcdef: already scored (its #pc:end line has scored= and rejected=)"
	run -1 --separate-stderr pc-score -o out.csv s.csv
	only_files . s.csv
}

@test "a read error after rows (a directory as the second input): the rows first, then the error, exit 2" {
	cd "$BATS_TEST_TMPDIR"
	printf 'a,1,2\nb,3,4\n' > a.csv
	mkdir dir
	local args
	for args in "" "-B 1" "--on-error=skip"; do
		run -2 --separate-stderr pc-score $args a.csv dir
		assert_output "$(printf 'a,2,1\nb,3,4')"
		assert_equal "$stderr" "pc-score: read error on 'dir': Is a directory"
	done
	# and so with -o: the run failed, so no file
	run -2 --separate-stderr pc-score -o out.csv a.csv dir
	[ ! -e out.csv ]
}

@test "skip mode past the 4096th bad row of a block: every message at its line, every reject copied" {
	cd "$BATS_TEST_TMPDIR"
	# 5000 bad rows (x is no number) in one block, a good row after each
	awk 'BEGIN { for (i = 1; i <= 5000; i++) { print "bad" i ",x,1"; print "g" i ",1,2" } }' > in.csv
	awk 'BEGIN { for (i = 1; i <= 5000; i++) print "g" i ",2,1" }' > want.out
	{
		awk 'BEGIN { for (i = 1; i <= 5000; i++) printf "pc-score: in.csv:%d:%d: not a number (\"x\")\n", 2 * i - 1, length("bad" i) + 2 }'
		echo "pc-score: skipped 5000 bad rows of 10000 (copied to got.rej)"
	} > want.err
	grep '^bad' in.csv > want.rej
	pc-score -B 16M --on-error=skip --rejects=got.rej in.csv > got.out 2> got.err
	same_file got.out want.out
	same_file got.err want.err
	same_file got.rej want.rej
	# the messages past the 4096th, spelled out
	[ "$(sed -n 4097p got.err)" = 'pc-score: in.csv:8193:9: not a number ("x")' ]
	[ "$(sed -n 5000p got.err)" = 'pc-score: in.csv:9999:9: not a number ("x")' ]
}

@test "-o and --rejects: both files synced, then both renamed into place, then their directories synced, each once" {
	cd "$BATS_TEST_TMPDIR"
	printf 'a,1,2\nbad,x,1\nb,3,4\n' > in.csv
	sync_calls calls pc-score --on-error=skip --rejects=rej.csv -o out.csv in.csv 2> /dev/null
	# both appear or neither: nothing that can fail is left once the
	# first rename is done but the renames and the directory syncs; one
	# directory, through another name too, is synced once
	printf '%s\n' 'fsync .pc-*' 'fsync .pc-*' 'rename .pc-* out.csv' 'rename .pc-* rej.csv' \
		'fsync DIR' > want
	same_file calls want
	[ "$(cat out.csv)" = "$(printf 'a,2,1\nb,3,4')" ]
	[ "$(cat rej.csv)" = "bad,x,1" ]
	ln -s . here
	sync_calls calls pc-score --on-error=skip --rejects=here/rej.csv -o out.csv in.csv 2> /dev/null
	printf '%s\n' 'fsync .pc-*' 'fsync .pc-*' 'rename .pc-* out.csv' 'rename here/.pc-* here/rej.csv' \
		'fsync DIR' > want
	same_file calls want
	# two directories, two syncs
	mkdir sub
	sync_calls calls pc-score --on-error=skip --rejects=sub/rej.csv -o out.csv in.csv 2> /dev/null
	printf '%s\n' 'fsync .pc-*' 'fsync .pc-*' 'rename .pc-* out.csv' 'rename sub/.pc-* sub/rej.csv' \
		'fsync DIR' 'fsync DIR' > want
	same_file calls want
	[ "$(cat sub/rej.csv)" = "bad,x,1" ]
	# standard output is neither synced nor renamed
	sync_calls calls pc-score in.csv --on-error=skip > /dev/null 2>&1
	[ ! -s calls ]
}

@test "a non-blocking standard output that fills up is waited on, not a write error" {
	cd "$BATS_TEST_TMPDIR"
	pc-gen -r 50000 -c 10 -s 3 -o in.csv   # 1.6 MB of rows out: more than a pipe holds
	pc-score in.csv > want.out
	# it failed: "write error on standard output: Resource temporarily unavailable"
	run --separate-stderr bash -c 'nonblocking pc-score in.csv | slow_cat > got.out; echo "${PIPESTATUS[0]}"'
	assert_output 0
	assert_equal "$stderr" ""
	same_file got.out want.out
}
