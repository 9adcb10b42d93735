#!/usr/bin/env bats
# The pipelines users type, with GNU Parallel: byte-identical to pc-score
# and to the exact oracle, and every failure caught by pc-merge.
bats_require_minimum_version 1.5.0
load test_helper/common

setup_file() {
	export DATA="$BATS_FILE_TMPDIR"
	oracle gen --seed 401 --rows 4000 --profile mixed --crlf --no-final-newline > "$DATA/in.csv"
	oracle score "$DATA/in.csv" > "$DATA/expected"
	# for --pipe, whose records end at any LF: no newlines inside names
	pc-gen -r 3000 -c 40 -m 1000 -s 5 > "$DATA/plain.csv"
	oracle gen --seed 402 --rows 2000 --profile huge | grep -av '"' >> "$DATA/plain.csv"
	oracle score "$DATA/plain.csv" > "$DATA/plain.expected"
}

setup() {
	command -v parallel > /dev/null || skip "GNU Parallel is not installed"
	cd "$BATS_TEST_TMPDIR"
}

@test "pc-split -n N | parallel pc-score | pc-merge equals the oracle, N = 1, 3, 8" {
	for n in 1 3 8; do
		rm -rf work
		pc-split -n "$n" -d work "$DATA/in.csv" | parallel --will-cite pc-score | pc-merge > got
		same_file got "$DATA/expected" || fail "-n $n"
	done
}

@test "the same with pc-threads and the exhaustive method, and -l" {
	pc-split -l 300 -d work "$DATA/in.csv" | parallel --will-cite -j 2 pc-threads -j 1 -m exhaustive | pc-merge -o got
	same_file got "$DATA/expected"
}

@test "parallel --pipe -k pc-score on plain CSV, default and 64k blocks" {
	parallel --will-cite --pipe -k pc-score < "$DATA/plain.csv" > got
	same_file got "$DATA/plain.expected"
	parallel --will-cite --pipe --block 64k -k pc-score < "$DATA/plain.csv" > got
	same_file got "$DATA/plain.expected"
}

@test "parallel --joblog with -o {}.out, then pc-merge of the outputs" {
	pc-split -n 6 -d work "$DATA/in.csv" > /dev/null
	parallel --will-cite --joblog log pc-score -o {}.out {} ::: work/*.csv
	[ "$(awk 'NR > 1 && $7 == 0' log | wc -l)" -eq 6 ]
	pc-merge work/*.out > got
	same_file got "$DATA/expected"
}

@test "a job that fails: pc-merge names the chunk; --resume-failed reruns it alone" {
	pc-split -n 5 -d work "$DATA/in.csv" > /dev/null
	cp work/in.0003.csv good
	sed -i '2s/,\([0-9]\)/,x\1/' work/in.0003.csv   # a bad row in chunk 3
	run parallel --will-cite --joblog log pc-score -o {}.out {} ::: work/*.csv
	[ "$status" -eq 1 ]      # one job failed
	[ ! -e work/in.0003.csv.out ]
	run --separate-stderr pc-merge work/*.out
	assert_failure 1
	[[ "$stderr" == *": chunk 3 is missing" ]]
	cp good work/in.0003.csv
	touch -d '1 hour ago' work/in.000[1245].csv.out
	parallel --will-cite --resume-failed --joblog log pc-score -o {}.out {} ::: work/*.csv
	[ "$(awk 'NR > 1' log | wc -l)" -eq 6 ]   # five first runs and one rerun
	[ -n "$(find work -name '*.out' -newer good)" ]
	pc-merge work/*.out > got
	same_file got "$DATA/expected"
}

@test "a lost job's chunk, in the pipeline: pc-merge fails" {
	pc-split -n 4 -d work "$DATA/in.csv" | grep -v '0002' | parallel --will-cite pc-score > scored
	run --separate-stderr pc-merge < scored
	assert_failure 1
	[[ "$stderr" == *"chunk 2 is missing"* ]]
}
