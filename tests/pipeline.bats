#!/usr/bin/env bats
# The pipelines users type with GNU Parallel: byte-identical to pc-score on
# the whole input and to the exact oracle, and every failure caught by
# pc-merge, naming the chunk.
bats_require_minimum_version 1.5.0
load test_helper/common

setup_file() {
	export DATA="$BATS_FILE_TMPDIR"
	# quoted names with newlines, CRLF, blank lines, no final newline
	oracle gen --seed 401 --rows 4000 --profile mixed --crlf --no-final-newline > "$DATA/big.csv"
	oracle score "$DATA/big.csv" > "$DATA/big.oracle"
	pc-score "$DATA/big.csv" > "$DATA/big.expected"
	oracle gen --seed 402 --rows 1500 --profile ties > "$DATA/ties.csv"
	oracle score "$DATA/ties.csv" > "$DATA/ties.oracle"
	# for --pipe, whose records end at every LF: no newline inside a name
	pc-gen -r 3000 -c 40 -m 1000 -s 5 > "$DATA/plain.csv"
	oracle gen --seed 403 --rows 2000 --profile huge |
		"$PYTHON3" -c 'import sys
for row in sys.stdin.buffer.read().split(b"\n"):
    if row.count(b"\"") % 2 == 0 and row.count(b",") >= 2:   # whole rows only
        sys.stdout.buffer.write(row + b"\n")' >> "$DATA/plain.csv"
	oracle score "$DATA/plain.csv" > "$DATA/plain.oracle"
}

setup() {
	command -v parallel > /dev/null || skip "GNU Parallel is not installed"
	cd "$BATS_TEST_TMPDIR"
}

# same_as_score_and_oracle GOT NAME: equal to pc-score's output and the oracle's
same_as_score_and_oracle() {
	same_file "$1" "$DATA/$2.oracle" || return 1
	[ ! -e "$DATA/$2.expected" ] || same_file "$1" "$DATA/$2.expected"
}

@test "the oracle agrees with pc-score on these inputs (else nothing below means much)" {
	same_file "$DATA/big.expected" "$DATA/big.oracle"
	pc-score "$DATA/plain.csv" > got
	same_file got "$DATA/plain.oracle"
}

@test "pc-split -n N -d work big.csv | parallel pc-score | pc-merge, N = 1, 2, 7, 8" {
	for n in 1 2 7 8; do
		rm -rf work
		pc-split -n "$n" -d work "$DATA/big.csv" | parallel --will-cite pc-score | pc-merge > result.csv
		same_as_score_and_oracle result.csv big || fail "-n $n"
	done
}

@test "the same with jobs finishing in any order (--shuf), and more chunks than rows" {
	pc-split -n 16 -d work "$DATA/big.csv" | parallel --will-cite --shuf -j 4 pc-score | pc-merge > result.csv
	same_as_score_and_oracle result.csv big
	head -n 5 "$DATA/ties.csv" > five.csv
	oracle score five.csv > five.oracle
	pc-split -n 8 -d work5 five.csv | parallel --will-cite --shuf pc-score | pc-merge > result.csv
	same_file result.csv five.oracle
}

@test "an input that ends in a CR: the pipeline gives pc-score's output and status" {
	local f
	for f in 'a,1,2\r' 'a,1,2\n\r' 'a,1,2\r\nb,3,4\r' 'a,1,2\r\nb,x,4\r'; do
		printf "$f" > cr.csv
		run --separate-stderr pc-score --on-error=skip cr.csv
		local want_out=$output want_status=$status
		rm -rf work
		run --separate-stderr bash -c 'pc-split -l 1 -d work cr.csv |
			parallel --will-cite pc-score --on-error=skip | pc-merge'
		[ "$status" -eq "$want_status" ] || fail "'$f': status $status, pc-score's $want_status"
		[ "$output" = "$want_out" ] || fail "'$f': '$output', pc-score's '$want_out'"
		run pc-score cr.csv
		want_out=$output want_status=$status
		rm -rf work
		run bash -c 'pc-split -l 1 -d work cr.csv | parallel --will-cite pc-score | pc-merge'
		[ "$status" -eq "$want_status" ] || fail "'$f', fail mode: status $status, pc-score's $want_status"
	done
}

@test "-l and -b, from standard input, with pc-threads and the exhaustive method" {
	cat "$DATA/ties.csv" | pc-split -l 100 -d work |
		parallel --will-cite --shuf pc-score -m exhaustive | pc-merge -o result.csv
	same_file result.csv "$DATA/ties.oracle"
	command -v pc-threads > /dev/null || skip "pc-threads is not built"
	cat "$DATA/big.csv" | pc-split -b 16K -d work2 |
		parallel --will-cite -j 2 pc-threads -j 2 | pc-merge > result.csv
	same_as_score_and_oracle result.csv big
}

@test "parallel --pipe -k pc-score on plain CSV, default and 64k blocks" {
	parallel --will-cite --pipe -k pc-score < "$DATA/plain.csv" > got
	same_file got "$DATA/plain.oracle"
	parallel --will-cite --pipe --block 64k -k pc-score < "$DATA/plain.csv" > got
	same_file got "$DATA/plain.oracle"
	# many blocks, so the test can fail if blocks were cut inside a row
	[ "$(stat -c %s "$DATA/plain.csv")" -gt $((4 * 65536)) ]
}

@test "parallel --joblog LOG pc-score -o {}.out {} ::: work/*.csv, then pc-merge work/*.out" {
	pc-split -n 6 -d work "$DATA/big.csv" > /dev/null
	parallel --will-cite --joblog log pc-score -o {}.out {} ::: work/*.csv
	[ "$(awk 'NR > 1 && $7 == 0' log | wc -l)" -eq 6 ]
	pc-merge work/*.out > result.csv
	same_as_score_and_oracle result.csv big
	pc-merge -o result2.csv $(ls work/*.out | sort -r)
	same_as_score_and_oracle result2.csv big
}

@test "across machines as typed: --sshlogin with --transferfile {} --return {}.out (local here)" {
	pc-split -n 4 -d work "$DATA/big.csv" |
		parallel --will-cite --sshlogin : --transferfile {} --return {}.out --cleanup \
			pc-score -o {}.out {} 2> /dev/null
	pc-merge work/*.out > result.csv
	same_as_score_and_oracle result.csv big
}

@test "a job that fails: pc-merge names its chunk; --resume-failed reruns it alone" {
	pc-split -n 5 -d work "$DATA/big.csv" > /dev/null
	cp work/big.00003.csv good
	# a bad row in chunk 3: the first plain row gets a letter in a number
	local n
	n=$(grep -anE '^[A-Za-z]+,[0-9]+,' work/big.00003.csv | head -n 1 | cut -d: -f1)
	sed -i "${n}s/,\([0-9]\)/,x\1/" work/big.00003.csv
	run parallel --will-cite --joblog log pc-score --on-error=fail -o {}.out {} ::: work/*.csv
	[ "$status" -eq 1 ]      # one job failed
	[ ! -e work/big.00003.csv.out ]
	run --separate-stderr pc-merge work/*.out
	assert_failure 1
	assert_equal "$stderr" "pc-merge: run $(head -n 1 good | sed 's/.*id=\([0-9a-f]*\).*/\1/'): chunk 3 is missing"
	cp good work/big.00003.csv
	parallel --will-cite --resume-failed --joblog log pc-score -o {}.out {} ::: work/*.csv
	[ "$(awk 'NR > 1' log | wc -l)" -eq 6 ]   # five first runs and one rerun
	[ "$(awk 'NR > 1 && $7 == 0' log | wc -l)" -eq 5 ]
	pc-merge work/*.out > result.csv
	same_as_score_and_oracle result.csv big
}

@test "a chunk file deleted before its job ran: pc-merge fails, naming it" {
	pc-split -n 4 -d work "$DATA/big.csv" > paths
	rm work/big.00002.csv
	run --separate-stderr bash -c 'parallel --will-cite pc-score < paths | pc-merge > result.csv'
	assert_failure 1
	[[ "$stderr" == *"cannot open 'work/big.00002.csv'"* ]]       # the job's own message
	[[ "$stderr" == *"pc-merge: run "*": chunk 2 is missing"* ]]
	# or lost on the way, with no message at all from the job
	pc-split -n 4 -d work2 "$DATA/big.csv" | grep -v '00004' | parallel --will-cite pc-score > scored
	run --separate-stderr pc-merge < scored
	assert_failure 1
	[[ "$stderr" == *": no chunk has last=1"* ]]
	[[ "$stderr" == *": chunk 4 is missing"* ]]
}

@test "a job that died half-way, or stopped at a bad row: its chunk is truncated" {
	pc-split -n 4 -d work "$DATA/big.csv" > paths
	run --separate-stderr bash -c \
		'parallel --will-cite "if [ {#} = 2 ]; then pc-score {} | head -n 20; else pc-score {}; fi" < paths | pc-merge'
	assert_failure 1
	[[ "$stderr" == *": chunk 2 is truncated (no #pc:end line before "* ]]
	local n
	n=$(grep -anE '^[A-Za-z]+,[0-9]+,' work/big.00003.csv | head -n 1 | cut -d: -f1)
	sed -i "${n}s/,\([0-9]\)/,-\1/" work/big.00003.csv
	run --separate-stderr bash -c 'parallel --will-cite pc-score < paths | pc-merge -o result.csv'
	assert_failure 1
	[[ "$stderr" == *": chunk 3 is truncated (no #pc:end line before "* ]]
	[ ! -e result.csv ]
}

@test "a chunk scored twice, or chunks of two runs: pc-merge fails" {
	pc-split -n 4 -d work "$DATA/big.csv" > paths
	run --separate-stderr bash -c '{ cat paths; sed -n 3p paths; } | parallel --will-cite pc-score | pc-merge'
	assert_failure 1
	[[ "$stderr" == *": chunk 3 appears twice"* ]]
	pc-split -n 4 -d other "$DATA/big.csv" > other.paths
	run --separate-stderr bash -c '{ sed 2d paths; sed -n 2p other.paths; } | parallel --will-cite pc-score | pc-merge'
	assert_failure 1
	[[ "$stderr" == *": two runs: "* ]]
	[[ "$stderr" == *": chunk 2 is missing"* ]]
}

@test "a corrupted header: the scorer refuses the chunk and pc-merge names it" {
	pc-split -n 4 -d work "$DATA/big.csv" > paths
	sed -i '1s/ v=1 / v=2 /' work/big.00002.csv
	run --separate-stderr bash -c 'parallel --will-cite pc-score < paths | pc-merge'
	assert_failure 1
	[[ "$stderr" == *"work/big.00002.csv:1:1: unsupported framing version"* ]]   # pc-score
	[[ "$stderr" == *"pc-merge: run "*": chunk 2 is missing"* ]]
}
