#!/usr/bin/env bats
# pc-merge: rows back in index order, and every way a run can be incomplete,
# each named, with exit 1.
bats_require_minimum_version 1.5.0
load test_helper/common

setup_file() {
	export DATA="$BATS_FILE_TMPDIR"
	oracle gen --seed 301 --rows 3000 --profile mixed --crlf > "$DATA/in.csv"
	pc-score "$DATA/in.csv" > "$DATA/expected"
	pc-split -n 8 -d "$DATA/chunks" "$DATA/in.csv" > "$DATA/paths"
	mkdir "$DATA/scored"
	local f
	while IFS= read -r f; do
		pc-score -o "$DATA/scored/$(basename "$f")" "$f"
	done < "$DATA/paths"
	export RUN
	RUN=$(head -n 1 "$DATA/scored/in.00001.csv" | grep -o 'id=[0-9a-f]*' | cut -d= -f2)
}

setup() {
	cd "$BATS_TEST_TMPDIR"
	S="$DATA/scored"
}

# all_but N...: the scored chunks without those indexes, in index order
all_but() {
	local f keep i
	for f in "$S"/in.*.csv; do
		keep=1
		for i in "$@"; do
			[ "$f" = "$S/in.$(printf %05d "$i").csv" ] && keep=0
		done
		[ "$keep" = 1 ] && echo "$f"
	done
}

@test "chunks in order, reversed, or shuffled in one stream: the rows in index order" {
	pc-merge "$S"/*.csv > got
	same_file got "$DATA/expected"
	pc-merge $(ls "$S"/*.csv | sort -r) > got
	same_file got "$DATA/expected"
	for i in 1 2 3; do
		cat $(ls "$S"/*.csv | shuf) | pc-merge > got
		same_file got "$DATA/expected"
	done
	# - is standard input, among files
	cat "$S/in.00003.csv" | pc-merge $(all_but 3) - > got
	same_file got "$DATA/expected"
}

@test "-o writes the file only when the run is complete" {
	pc-merge -o res.csv $(ls "$S"/*.csv | sort -r)
	same_file res.csv "$DATA/expected"
	run pc-merge -o res2.csv $(all_but 3)
	assert_failure 1
	[ ! -e res2.csv ]
	[ -z "$(ls -A | grep -v '^res\.csv$')" ] || fail "left behind: $(ls -A)"
}

@test "early chunks beyond --buffer-size spill to -T DIR, and nothing is left there" {
	mkdir tmp
	cat $(ls "$S"/*.csv | sort -r) | pc-merge --buffer-size=1K -T tmp > got
	same_file got "$DATA/expected"
	[ -z "$(ls -A tmp)" ]
	TMPDIR="$PWD/tmp" pc-merge -S 0 $(ls "$S"/*.csv | sort -r) > got
	same_file got "$DATA/expected"
	[ -z "$(ls -A tmp)" ]
	# the spill file is really used: without a place for it, pc-merge fails
	run --separate-stderr pc-merge -S 1K -T no-such-dir $(ls "$S"/*.csv | sort -r)
	assert_failure 2
	[[ "$stderr" == "pc-merge: cannot create a temporary file in 'no-such-dir': "* ]]
	# ...but only for chunks that come early
	pc-merge -S 1K -T no-such-dir "$S"/*.csv > got
	same_file got "$DATA/expected"
}

@test "stdout closed: a write error, and the rows never go into the spill file" {
	mkdir tmp
	# from standard input nothing is opened but the spill file, which
	# would get fd 1 if fd 1 were left closed
	run -2 --separate-stderr bash -c "cat $(ls "$S"/*.csv | sort -r | tr '\n' ' ') | pc-merge -S 1K -T tmp >&-"
	assert_equal "$stderr" "pc-merge: write error on standard output: Bad file descriptor"
	[ -z "$(ls -A tmp)" ]
}

@test "chunks larger than a read block that start in memory and then spill" {
	pc-gen -r 600000 -c 2 -s 4 > long.csv
	pc-score long.csv > long.expected
	pc-split -n 3 -d w long.csv > /dev/null
	local f
	for f in w/*.csv; do pc-score -o "$f.out" "$f"; done
	# each scored chunk is over 2 MiB: its first block fits the buffer, the next not
	[ "$(stat -c %s w/long.00001.csv.out)" -gt 2500000 ]
	mkdir tmp
	pc-merge -S 1500K -T tmp w/long.00003.csv.out w/long.00002.csv.out w/long.00001.csv.out > got
	same_file got long.expected
	cat w/long.00002.csv.out w/long.00003.csv.out w/long.00001.csv.out | pc-merge -S 3M -T tmp > got
	same_file got long.expected
	[ -z "$(ls -A tmp)" ]
}

@test "a lost chunk: exit 1, naming the run and the chunk" {
	run --separate-stderr pc-merge $(all_but 3)
	assert_failure 1
	assert_equal "$stderr" "pc-merge: run $RUN: chunk 3 is missing"
	run --separate-stderr pc-merge $(all_but 2 5 6)
	assert_failure 1
	assert_equal "$stderr" "$(printf 'pc-merge: run %s: chunk %s is missing\n' "$RUN" 2 "$RUN" 5 "$RUN" 6)"
}

@test "the last chunk lost: no chunk has last=1, and count= still names it" {
	run --separate-stderr pc-merge $(all_but 2 8)
	assert_failure 1
	assert_equal "${stderr_lines[0]}" "pc-merge: run $RUN: no chunk has last=1"
	[[ "$stderr" == *"run $RUN: chunk 2 is missing"* ]]
	[[ "$stderr" == *"run $RUN: chunk 8 is missing"* ]]
	# without count= (chunks of -l), the highest index seen bounds the gaps
	pc-split -l 500 -d w "$DATA/in.csv" > paths
	local n
	n=$(wc -l < paths)
	[ "$n" -ge 4 ]
	sed -e 2d -e '$d' paths | while read -r f; do pc-score "$f"; done > stream
	run --separate-stderr pc-merge < stream
	assert_failure 1
	[[ "$stderr" == *": no chunk has last=1"* ]]
	[[ "$stderr" == *": chunk 2 is missing"* ]]
}

@test "a truncated chunk, in a file or in a stream: exit 1" {
	head -n -1 "$S/in.00005.csv" > cut.csv
	run --separate-stderr pc-merge $(all_but 5) cut.csv
	assert_failure 1
	assert_equal "$stderr" "pc-merge: run $RUN: chunk 5 is truncated (no #pc:end line before the end of cut.csv)"
	# cut short in a stream: the next header comes before the trailer
	cat cut.csv $(all_but 5) > stream
	run --separate-stderr pc-merge < stream
	assert_failure 1
	[[ "$stderr" == "pc-merge: run $RUN: chunk 5 is truncated (no #pc:end line before the #pc:chunk line at standard input:"* ]]
	# and at the very end of the input
	cat $(all_but 5) cut.csv | pc-merge > /dev/null 2> err && fail "exit 0"
	grep -qx "pc-merge: run $RUN: chunk 5 is truncated (no #pc:end line before the end of standard input)" err
}

@test "a duplicated chunk: exit 1" {
	run --separate-stderr pc-merge "$S"/*.csv "$S/in.00004.csv"
	assert_failure 1
	assert_equal "$stderr" "pc-merge: run $RUN: chunk 4 appears twice (again at $S/in.00004.csv:1)"
	# twice before its turn (both waiting), in a stream
	cat "$S/in.00006.csv" "$S/in.00006.csv" "$S"/*.csv | pc-merge > /dev/null 2> err && fail "exit 0"
	[ "$(grep -c 'chunk 6 appears twice' err)" -eq 2 ]
}

@test "chunks of two different runs: exit 1" {
	pc-split -n 8 -d other "$DATA/in.csv" > /dev/null
	pc-score other/in.00006.csv > foreign.csv
	local other
	other=$(head -n 1 foreign.csv | grep -o 'id=[0-9a-f]*' | cut -d= -f2)
	run --separate-stderr pc-merge $(all_but 6) foreign.csv
	assert_failure 1
	assert_equal "${stderr_lines[0]}" "pc-merge: run $RUN: two runs: $RUN and $other (chunk 6 of run $other, foreign.csv:1)"
	assert_equal "${stderr_lines[1]}" "pc-merge: run $RUN: chunk 6 is missing"
}

@test "a corrupted header or trailer: exit 1 with FILE:LINE" {
	sed '1s/index=1/index=one/' "$S/in.00001.csv" > bad.csv
	run --separate-stderr pc-merge bad.csv $(all_but 1)
	assert_failure 1
	[[ "${stderr_lines[0]}" == "pc-merge: bad.csv:1: corrupt framing line: "* ]]
	[[ "${stderr_lines[1]}" =~ ^"pc-merge: run $RUN: chunk 1 has a corrupt #pc:chunk line (its #pc:end line is at bad.csv:"[0-9]+")"$ ]]
	[ "${#stderr_lines[@]}" -eq 2 ]
	local n
	n=$(wc -l < "$S/in.00002.csv")
	sed '$s/ rows=/ rowz=/' "$S/in.00002.csv" > bad2.csv
	run --separate-stderr pc-merge bad2.csv $(all_but 2)
	assert_failure 1
	[[ "${stderr_lines[0]}" == "pc-merge: bad2.csv:$n: corrupt framing line: "* ]]
	assert_equal "${stderr_lines[1]}" "pc-merge: run $RUN: chunk 2 is truncated (its #pc:end line at bad2.csv:$n is corrupt)"
	# a framing line pc-merge does not know at all
	# (after a plain row, not inside a quoted name)
	n=$(grep -anE '^[A-Za-z]+,[0-9]+,[0-9]+$' "$S/in.00003.csv" | head -n 1 | cut -d: -f1)
	[ -n "$n" ]
	{ head -n "$n" "$S/in.00003.csv"; echo '#pc:oops v=1'; tail -n +$((n + 1)) "$S/in.00003.csv"; } > bad3.csv
	run --separate-stderr pc-merge $(all_but 3) bad3.csv
	assert_failure 1
	[[ "${stderr_lines[0]}" == "pc-merge: bad3.csv:$((n + 1)): corrupt framing line: unknown framing line"* ]]
	[[ "$stderr" == *"chunk 3 is truncated"* ]]
}

@test "an unscored chunk, a wrong count: exit 1, naming the chunk" {
	run --separate-stderr pc-merge "$DATA/chunks/in.00001.csv" $(all_but 1)
	assert_failure 1
	assert_equal "$stderr" "pc-merge: run $RUN: chunk 1: it was not scored (its #pc:end line has no scored= and rejected=)"
	# a row lost from a chunk (a plain one, not a line of a quoted name)
	local n s
	n=$(grep -anE '^[A-Za-z]+,[0-9]+,[0-9]+$' "$S/in.00004.csv" | head -n 1 | cut -d: -f1)
	[ -n "$n" ]
	sed "${n}d" "$S/in.00004.csv" > short.csv
	s=$(tail -n 1 short.csv | sed 's/.* scored=\([0-9]*\).*/\1/')
	run --separate-stderr pc-merge $(all_but 4) short.csv
	assert_failure 1
	assert_equal "$stderr" "pc-merge: run $RUN: chunk 4: #pc:end says scored=$s but it holds $((s - 1)) rows"
	# counts that do not add up
	sed '$s/ rejected=0/ rejected=1/' "$S/in.00007.csv" > sum.csv
	run --separate-stderr pc-merge $(all_but 7) sum.csv
	assert_failure 1
	[[ "$stderr" == "pc-merge: run $RUN: chunk 7: #pc:end says scored="*" and rejected=1, which is not rows="* ]]
}

# rows S/in.0000N.csv... holds, without the framing
rows_of() {
	local i
	for i in "$@"; do
		grep -hv '^#pc:[^,]*$' "$S/in.$(printf %05d "$i").csv"
	done
}

@test "a problem stops the rows at once: a wrong count=, two chunks with last=1" {
	sed '1s/count=8/count=9/' "$S/in.00003.csv" > c3.csv
	run --separate-stderr pc-merge "$S/in.00001.csv" "$S/in.00002.csv" c3.csv $(all_but 1 2 3)
	assert_failure 1
	[[ $stderr == *"chunk 3 says count=9 but an earlier one said count=8"* ]] || fail "stderr: $stderr"
	[ "$output" = "$(rows_of 1 2)" ] || fail "rows after the problem were written"
	# the last chunk first, then chunk 2 says last=1 as well
	sed '$s/$/ last=1/' "$S/in.00002.csv" > c2.csv
	run --separate-stderr pc-merge "$S/in.00008.csv" "$S/in.00001.csv" c2.csv $(all_but 1 2 8)
	assert_failure 1
	[[ $stderr == *"chunks 8 and 2 both say last=1"* ]] || fail "stderr: $stderr"
	[ "$output" = "$(rows_of 1 2)" ] || fail "rows after the problem were written"
}

@test "the highest index there is, 2^64-1: the missing chunks below it, and nothing else" {
	local id=0123456789abcdef i=18446744073709551615
	printf '#pc:chunk v=1 id=%s index=%s\na,2,1\n#pc:end v=1 id=%s index=%s rows=1 scored=1 rejected=0 last=1\n' \
		"$id" "$i" "$id" "$i" > top.csv
	run --separate-stderr pc-merge top.csv
	assert_failure 1
	assert_equal "$stderr" "pc-merge: run $id: chunks 1 to 18446744073709551614 are missing (18446744073709551614 chunks)"
}

@test "a stream of failures: each one named, once" {
	head -n -1 "$S/in.00002.csv" > cut.csv
	cat "$S/in.00001.csv" cut.csv "$S/in.00004.csv" "$S/in.00004.csv" "$S/in.00006.csv" "$S/in.00008.csv" > stream
	run --separate-stderr pc-merge < stream
	assert_failure 1
	[[ "$stderr" == *": chunk 2 is truncated"* ]]
	[[ "$stderr" == *": chunk 4 appears twice"* ]]
	[[ "$stderr" == *": chunk 3 is missing"* ]]
	[[ "$stderr" == *": chunk 5 is missing"* ]]
	[[ "$stderr" == *": chunk 7 is missing"* ]]
	[ "${#stderr_lines[@]}" -eq 5 ]
}

@test "unframed inputs are concatenated in argument order; mixing them with chunks fails" {
	printf 'A,2,1\nB,3,4' > a.csv
	printf 'C,5,6\n' > b.csv
	run pc-merge a.csv b.csv
	assert_success
	assert_output "$(printf 'A,2,1\nB,3,4\nC,5,6')"
	pc-merge b.csv a.csv | cmp - <(printf 'C,5,6\nA,2,1\nB,3,4')
	# blank lines ahead of any row get the line feed between files too
	printf '\n\r' > blank.csv
	pc-merge blank.csv b.csv | cmp - <(printf '\n\r\nC,5,6\n')
	run --separate-stderr pc-merge a.csv "$S/in.00001.csv"
	assert_failure 1
	assert_equal "$stderr" "pc-merge: $S/in.00001.csv:1: a framing line in unframed input: merge chunks or plain files, not both"
	run --separate-stderr pc-merge "$S"/*.csv b.csv
	assert_failure 1
	assert_equal "$stderr" "pc-merge: b.csv:1: rows outside any chunk (framed and unframed input mixed?)"
}

@test "rows outside any chunk are told at the line of the first such row, not of blank lines before it" {
	# found by fuzz/fuzz-frame: the line was where the reader's block began,
	# so it depended on the block size (a blank line here, with 1 MiB blocks)
	cat "$S"/*.csv > mixed.csv
	local n
	n=$(wc -l < mixed.csv)
	printf '\n\n\nabc,1,2\n' >> mixed.csv
	run --separate-stderr pc-merge mixed.csv
	assert_failure 1
	assert_equal "$stderr" "pc-merge: mixed.csv:$((n + 4)): rows outside any chunk (framed and unframed input mixed?)"
}

@test "no input at all is an error: it is what a pipeline whose every job failed gives" {
	run --separate-stderr pc-merge < /dev/null
	assert_failure 1
	assert_equal "$stderr" "pc-merge: no input: no chunk and no row (did every job fail?)"
	run --separate-stderr pc-merge -o res.csv /dev/null
	assert_failure 1
	[ ! -e res.csv ]
}

@test "usage and I/O errors: exit 2 with a message" {
	run --separate-stderr pc-merge no-such-file
	assert_failure 2
	assert_equal "$stderr" "pc-merge: cannot open 'no-such-file': No such file or directory"
	run --separate-stderr pc-merge -S lots "$S/in.00001.csv"
	assert_failure 2
	[[ "$stderr" == *"invalid buffer size 'lots'"* ]]
	run --separate-stderr pc-merge --nope
	assert_failure 2
	run --separate-stderr pc-merge -o /dev/full "$S"/*.csv
	assert_failure 2
	[[ "$stderr" == *"write error"* ]]
	run --separate-stderr pc-merge -o no-such-dir/res.csv "$S"/*.csv
	assert_failure 2
	[[ "$stderr" == "pc-merge: cannot create 'no-such-dir/res.csv': "* ]]
}

# a run of its own in work/, scored into work/*.out, with pc-split's list
# in paths (names as pc-split printed them: relative to this directory)
scored_run() {
	pc-split "$@" -d work "$DATA/in.csv" > paths
	parallel --will-cite pc-score -o {}.out {} :::: paths
}

@test "--rerun: the paths of the missing, truncated and inconsistent chunks, for parallel; after them, the run is complete" {
	scored_run -n 8
	rm work/in.00003.csv.out
	head -c 500 work/in.00005.csv.out > cut && mv cut work/in.00005.csv.out
	sed -i '3d' work/in.00007.csv.out   # a row gone: scored= no longer adds up
	run --separate-stderr pc-merge --chunk-list=paths --rerun=todo -o result.csv work/*.out
	assert_failure 1
	[ ! -e result.csv ]
	local id
	id=$(head -n 1 work/in.00001.csv | grep -o 'id=[0-9a-f]*' | cut -d= -f2)
	assert_equal "${#stderr_lines[@]}" 3
	assert_equal "${stderr_lines[0]}" "pc-merge: run $id: chunk 5 is truncated (no #pc:end line before the end of work/in.00005.csv.out)"
	[[ "${stderr_lines[1]}" == "pc-merge: run $id: chunk 7: #pc:end says scored="*" but it holds "*" rows" ]]
	assert_equal "${stderr_lines[2]}" "pc-merge: run $id: chunk 3 is missing"
	printf 'work/in.00003.csv\nwork/in.00005.csv\nwork/in.00007.csv\n' > want
	same_file todo want
	# exactly those again, as GNU Parallel reads a list
	parallel --will-cite --joblog log pc-score -o {}.out {} :::: todo
	[ "$(awk 'NR > 1 { print $7 }' log | tr '\n' ' ')" = "0 0 0 " ]
	pc-merge --chunk-list=paths --rerun=todo -o result.csv work/*.out
	same_file result.csv "$DATA/expected"
	# a complete run: the list is empty (replaced, not appended to)
	[ -f todo ] && [ ! -s todo ]
	# a chunk twice is named, but a rerun cannot mend it: it is not listed
	cp work/in.00002.csv.out again.out
	run --separate-stderr pc-merge --chunk-list=paths --rerun=todo work/*.out again.out
	assert_failure 1
	[[ "$stderr" == *"chunk 2 appears twice (again at again.out:1)" ]]
	[ -f todo ] && [ ! -s todo ]
}

@test "--rerun from a single stream, and when every job failed: pc-merge needs only pc-split's list" {
	scored_run -n 8
	rm work/in.00002.csv.out work/in.00008.csv.out
	run --separate-stderr sh -c 'cat work/*.out | pc-merge --chunk-list=paths --rerun=todo'
	assert_failure 1
	printf 'work/in.00002.csv\nwork/in.00008.csv\n' > want
	same_file todo want
	# the whole pipeline in one stream, the list kept with tee; the job of
	# chunk 4 fails before it writes anything
	rm -r work paths
	mkdir -p work
	local job='case {} in *00004*) exit 3;; esac; pc-score {}'
	run --separate-stderr sh -c "pc-split -n 8 -d work '$DATA/in.csv' | tee paths |
		parallel --will-cite '$job' | tee scored | pc-merge --chunk-list=paths --rerun=todo > result.csv"
	assert_failure 1
	assert_equal "$stderr" "pc-merge: run $(head -n 1 work/in.00001.csv | grep -o 'id=[0-9a-f]*' | cut -d= -f2): chunk 4 is missing"
	echo work/in.00004.csv > want
	same_file todo want
	{ cat scored; parallel --will-cite pc-score :::: todo; } | pc-merge --chunk-list=paths --rerun=todo > result.csv
	same_file result.csv "$DATA/expected"
	[ ! -s todo ]
	# no scored chunk at all: every chunk of the list
	run --separate-stderr pc-merge --chunk-list=paths --rerun=todo < /dev/null
	assert_failure 1
	assert_equal "$stderr" "pc-merge: no input: no chunk and no row (did every job fail?)"
	same_file todo paths
}

@test "--chunk-list: the last chunks lost without count= (-l): the list says where the run ends" {
	scored_run -l 400   # 3000 rows: 8 chunks, the last of 200
	[ "$(wc -l < paths)" -eq 8 ]
	rm work/in.00007.csv.out work/in.00008.csv.out
	run --separate-stderr pc-merge --chunk-list=paths --rerun=todo work/*.out
	assert_failure 1
	local id
	id=$(head -n 1 work/in.00001.csv | grep -o 'id=[0-9a-f]*' | cut -d= -f2)
	assert_equal "$stderr" "pc-merge: run $id: no chunk has last=1
pc-merge: run $id: chunk 7 is missing
pc-merge: run $id: chunk 8 is missing"
	printf 'work/in.00007.csv\nwork/in.00008.csv\n' > want
	same_file todo want
	# a list of some chunks only (the last todo, say): the others it cannot name
	echo work/in.00008.csv > some
	run --separate-stderr pc-merge --chunk-list=some --rerun=todo work/*.out
	assert_failure 1
	[[ "$stderr" == *"pc-merge: run $id: 1 chunk to score again is not in some, so --rerun cannot name it (the first: chunk 7)" ]]
	same_file todo some
}

@test "-z: pc-split -z's list in, NUL-terminated paths out, for parallel -0; any byte in a name" {
	local name=$'odd name\nwith a newline'
	pc-split -z -n 4 --prefix="$name" -d work "$DATA/in.csv" > paths
	parallel --will-cite -0 pc-score -o {}.out {} :::: paths
	rm "work/$name.00002.csv.out"
	run --separate-stderr pc-merge -z --chunk-list=paths --rerun=todo work/*.out
	assert_failure 1
	printf 'work/%s.00002.csv\0' "$name" > want
	same_file todo want
	parallel --will-cite -0 -a todo pc-score -o {}.out {}
	pc-merge -z --chunk-list=paths --rerun=todo -o result.csv work/*.out
	same_file result.csv "$DATA/expected"
	[ ! -s todo ]
	# without -z, the list is taken for lines: a path with no chunk
	rm "work/$name.00002.csv.out"
	run --separate-stderr pc-merge --chunk-list=paths --rerun=todo work/*.out
	assert_failure 2
}

@test "--rerun and --chunk-list: usage and list errors, exit 2; the rerun file is then left alone" {
	scored_run -n 8
	run --separate-stderr pc-merge --rerun=todo work/*.out
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "pc-merge: --rerun needs --chunk-list: the paths of the chunks, as pc-split printed them"
	run --separate-stderr pc-merge --rerun=- --chunk-list=paths work/*.out
	assert_failure 2
	[[ "$stderr" == *"--rerun=- needs -o: standard output holds the rows"* ]]
	echo old > todo
	run --separate-stderr pc-merge --chunk-list=nothing-here --rerun=todo work/*.out
	assert_failure 2
	assert_equal "$stderr" "pc-merge: cannot open 'nothing-here': No such file or directory"
	echo work/in.00009.csv > bad
	run --separate-stderr pc-merge --chunk-list=bad --rerun=todo work/*.out
	assert_failure 2
	assert_equal "$stderr" "pc-merge: bad:1: 'work/in.00009.csv': No such file or directory"
	ls work/*.out > bad
	run --separate-stderr pc-merge --chunk-list=bad --rerun=todo work/*.out
	assert_failure 2
	assert_equal "$stderr" "pc-merge: bad:1: 'work/in.00001.csv.out': a scored chunk: list pc-split's chunks, not their results"
	echo "$DATA/in.csv" > bad
	run --separate-stderr pc-merge --chunk-list=bad --rerun=todo work/*.out
	assert_failure 2
	[[ "$stderr" == "pc-merge: bad:1: '$DATA/in.csv': not a chunk of pc-split's"* ]]
	# the chunks of another run
	run --separate-stderr pc-merge --chunk-list="$DATA/paths" --rerun=todo work/*.out
	assert_failure 2
	[[ "$stderr" == "pc-merge: $DATA/paths lists the chunks of run $RUN, not of run "* ]]
	{ head -n 1 paths; head -n 1 "$DATA/paths"; } > bad
	run --separate-stderr pc-merge --chunk-list=bad --rerun=todo work/*.out
	assert_failure 2
	[[ "$stderr" == "pc-merge: bad:2: '$DATA/chunks/in.00001.csv' is a chunk of run $RUN, not of run "* ]]
	{ cat paths; head -n 1 paths; } > bad
	run --separate-stderr pc-merge --chunk-list=bad --rerun=todo work/*.out
	assert_failure 2
	assert_equal "$stderr" "pc-merge: bad: chunk 1 is listed twice ('work/in.00001.csv' and 'work/in.00001.csv')"
	run --separate-stderr pc-merge --chunk-list=paths --rerun=no-such-dir/todo work/*.out
	assert_failure 2
	[[ "$stderr" == "pc-merge: cannot create 'no-such-dir/todo': "* ]]
	echo old > want
	same_file todo want
	# and no temporary file left beside it
	[ -z "$(find . work -maxdepth 1 -name ".pc-*")" ]
}

@test "--help and --version" {
	run pc-merge --help
	assert_success
	assert_output --partial 'Usage: pc-merge [OPTION]... [FILE]...'
	assert_output --partial '--buffer-size=SIZE'
	assert_output --partial '--rerun=FILE'
	assert_output --partial '--chunk-list=LIST'
	run pc-merge --version
	assert_success
	assert_line --index 0 "pc-merge (powercouples) $PC_VERSION"
}

@test "index=0 is refused by the scorer and by pc-merge (chunks count from 1)" {
	printf '#pc:chunk v=1 id=0123456789abcdef index=0\na,1,2\n#pc:end v=1 id=0123456789abcdef index=0 rows=1 last=1\n' > raw.csv
	run -1 --separate-stderr pc-score raw.csv
	assert_equal "$stderr" "pc-score: raw.csv:1:1: index=0 (chunks count from 1)"
	assert_output ""
	printf '#pc:chunk v=1 id=0123456789abcdef index=0\na,2,1\n#pc:end v=1 id=0123456789abcdef index=0 rows=1 scored=1 rejected=0 last=1\n' > scored.csv
	run -1 --separate-stderr pc-merge scored.csv
	[[ "$stderr" == "pc-merge: scored.csv:1: corrupt framing line: index=0 (chunks count from 1)"* ]]
	assert_output ""
}

@test "SIGTERM, SIGINT, SIGHUP mid-run: the -o temporary file is removed, the signal is the status" {
	cd "$BATS_TEST_TMPDIR"
	local sig
	for sig in TERM INT HUP; do
		rm -rf out in.fifo
		[ "$(signal_mid_run "$sig" pc-merge -o out/result.csv in.fifo)" = "$((128 + $(kill -l "$sig")))" ] ||
			fail "SIG$sig"
		only_files out
	done
}

# ---- rules checked by a mutation run (issue 8, again) -----------------------

# scored_chunk HEADER-END ROWS N TRAILER-END: chunk 1 (of 1) of run 0123456789abcdef,
# scored, holding ROWS (printf %b: \n is a newline) counted as N rows
scored_chunk() {
	printf '#pc:chunk v=1 id=0123456789abcdef index=1%s\n%b#pc:end v=1 id=0123456789abcdef index=1 rows=%s scored=%s rejected=0 last=1%s\n' \
		"$1" "$2" "$3" "$3" "$4"
}

@test "a framing line holding a CR is refused (a scorer writes none): exit 1, named" {
	scored_chunk '' 'a,2,1\n' 1 '' > ok.csv
	run pc-merge ok.csv
	assert_success
	assert_output "a,2,1"
	scored_chunk $'\r' 'a,2,1\n' 1 '' > crh.csv
	run -1 --separate-stderr pc-merge crh.csv
	assert_equal "${stderr_lines[0]}" "pc-merge: crh.csv:1: corrupt framing line: a framing line ends in a CR (a scorer writes none: was the chunk converted to CRLF?)"
	scored_chunk '' 'a,2,1\n' 1 $'\r' > crt.csv
	run -1 --separate-stderr pc-merge -o out.csv crt.csv
	assert_equal "${stderr_lines[0]}" "pc-merge: crt.csv:3: corrupt framing line: a framing line ends in a CR (a scorer writes none: was the chunk converted to CRLF?)"
	[ ! -e out.csv ]
}

@test "a blank line inside a scored chunk is refused (a scorer writes none): exit 1" {
	scored_chunk '' 'a,2,1\nb,4,3\n' 2 '' > ok.csv
	run pc-merge ok.csv
	assert_success
	scored_chunk '' 'a,2,1\n\nb,4,3\n' 2 '' > blank.csv
	run -1 --separate-stderr pc-merge -o out.csv blank.csv
	assert_equal "${stderr_lines[0]}" "pc-merge: run 0123456789abcdef: chunk 1: it holds 1 blank line (a scorer writes none)"
	[ ! -e out.csv ]
	scored_chunk '' 'a,2,1\r\n\r\nb,4,3\n\n' 2 '' > blanks.csv
	run -1 --separate-stderr pc-merge blanks.csv
	assert_equal "${stderr_lines[0]}" "pc-merge: run 0123456789abcdef: chunk 1: it holds 2 blank lines (a scorer writes none)"
}

@test "a scored row longer than a read block (1 and 2 MiB), cut after its comma, is counted once" {
	# the reader cuts such a row after the comma that ends its name when the
	# row's LF lies just beyond the block: its rest must not count again,
	# and the rows after it must count
	local len name
	for len in 1048566 2097142 2097147 2097151 3145718; do
		name=$(head -c "$len" /dev/zero | tr '\0' n)
		scored_chunk '' "$name"',18446744073709551615,1\nb,4,3\nc,6,5\n' 3 '' > long.csv
		pc-merge long.csv > got
		{ printf '%s,18446744073709551615,1\n' "$name"; printf 'b,4,3\nc,6,5\n'; } > want
		same_file got want || fail "a name of $len bytes"
		cat long.csv | pc-merge > got
		same_file got want || fail "a name of $len bytes, a stream"
	done
}

@test "-o: the file synced, renamed into place, then its directory synced" {
	sync_calls calls pc-merge -o res.csv "$S"/*.csv
	printf '%s\n' 'fsync .pc-*' 'rename .pc-* res.csv' 'fsync DIR' > want
	same_file calls want
	same_file res.csv "$DATA/expected"
}
