#!/usr/bin/env bats
# pc-split: chunks cut on row boundaries, framed, counted as the scorer counts,
# announced only when complete.
bats_require_minimum_version 1.5.0
load test_helper/common

setup_file() {
	export DATA="$BATS_FILE_TMPDIR"
	# quoted names with newlines, CRLF, blank lines, no final newline
	oracle gen --seed 201 --rows 3000 --profile mixed --crlf --no-final-newline > "$DATA/in.csv"
	# what splitting must keep: pc-score's output on the whole input (the
	# oracle is checked against the pipelines in pipeline.bats)
	pc-score "$DATA/in.csv" > "$DATA/expected"
	pc-gen -r 4000 -c 5 -s 3 > "$DATA/rows4000.csv"
}

setup() {
	cd "$BATS_TEST_TMPDIR"
	bg_pids=
}

teardown() {
	kill_bg_jobs
}

# score_chunks: pc-score each path read from stdin (which checks its rows=),
# and print the scored rows without their framing.
score_chunks() {
	local f
	while IFS= read -r f; do
		pc-score "$f" || { echo "pc-score failed on $f" >&2; return 1; }
	done | grep -av '^#pc:[^,]*$'
}

# data_of FILE...: the chunks' data, framing lines (no comma) dropped
data_of() {
	cat "$@" | grep -av '^#pc:[^,]*$'
}

@test "-n 1, 2, 7: that many chunks, whose rows give back the input's scores" {
	for n in 1 2 7; do
		rm -rf w
		pc-split -n "$n" -d w "$DATA/in.csv" > paths
		[ "$(wc -l < paths)" -eq "$n" ] || fail "-n $n: $(wc -l < paths) chunks"
		score_chunks < paths > got
		same_file got "$DATA/expected" || fail "-n $n"
	done
}

@test "-n balances by bytes, and cuts before the first row at or after each share" {
	pc-split -n 4 -d w "$DATA/rows4000.csv" > paths
	local total sizes min max
	total=$(stat -c %s "$DATA/rows4000.csv")
	sizes=$(while read -r f; do data_of "$f" | wc -c; done < paths | sort -n)
	min=$(head -n 1 <<< "$sizes")
	max=$(tail -n 1 <<< "$sizes")
	# rows here are about 30 bytes: the shares differ by less than two rows
	[ $((max - min)) -lt 80 ] || fail "sizes: $sizes"
	# chunk 2 starts at the first row at or after total/4
	local before
	before=$(data_of "$(head -n 1 paths)" | wc -c)
	[ "$before" -ge $((total / 4)) ] || fail "chunk 1 holds $before bytes of $total"
	local first_len
	first_len=$(data_of "$(head -n 1 paths)" | tail -n 1 | wc -c)
	[ $((before - first_len)) -lt $((total / 4)) ] || fail "chunk 1 holds a row too many"
}

@test "-n with more chunks than rows: exactly N chunks, some empty, the last marked" {
	printf 'A,1,2\nB,3,4\n' > two.csv
	run pc-split -n 5 -d w two.csv
	assert_success
	[ "${#lines[@]}" -eq 5 ]
	tail -n 1 "${lines[4]}" | grep -q ' index=5 rows=0 last=1$'
	[ "$(cat w/*.csv | grep -c '^#pc:end')" -eq 5 ]
	[ "$(cat w/*.csv | grep -c 'last=1')" -eq 1 ]
	[ "$(data_of w/*.csv)" = "$(printf 'A,1,2\nB,3,4')" ]
	printf '%s\n' "${lines[@]}" | score_chunks > got
	assert_equal "$(cat got)" "$(printf 'A,2,1\nB,3,4')"
}

@test "-l 100 on 4000 rows makes exactly 40 chunks of 100 rows" {
	run pc-split -l 100 -d w "$DATA/rows4000.csv"
	assert_success
	[ "${#lines[@]}" -eq 40 ]
	local i=0 f
	for f in "${lines[@]}"; do
		i=$((i + 1))
		[ "$(data_of "$f" | wc -l)" -eq 100 ] || fail "$f"
		head -n 1 "$f" | grep -Eq "^#pc:chunk v=1 id=[0-9a-f]{16} index=$i file=[^ ]*rows4000.csv line=[0-9]+\$" || fail "$f: $(head -n 1 "$f")"
		tail -n 1 "$f" | grep -Eq " index=$i rows=100( last=1)?\$" || fail "$f: $(tail -n 1 "$f")"
	done
	tail -n 1 "${lines[39]}" | grep -q 'last=1$'
	[ "$(cat w/*.csv | grep -c 'last=1')" -eq 1 ]
	# rows are never split and nothing is lost: the data is the input
	data_of "${lines[@]}" > data
	same_file data "$DATA/rows4000.csv"
}

@test "-l counts rows as the scorer does: blank lines are no rows, a quoted newline no row end" {
	printf 'A,1,2\n\n"x\ny",3,4\r\n\r\nB,5,6\n' > t.csv
	run pc-split -l 1 -d w t.csv
	assert_success
	[ "${#lines[@]}" -eq 3 ]
	grep -q 'rows=1$' "${lines[0]}"
	[ "$(data_of "${lines[1]}")" = "$(printf '"x\ny",3,4\r\n\r')" ]
}

@test "-b cuts at the first row that begins SIZE bytes or more into the chunk" {
	run pc-split -b 10K -d w "$DATA/rows4000.csv"
	assert_success
	local n=${#lines[@]} i size last_row
	[ "$n" -ge 10 ]
	for ((i = 0; i < n - 1; i++)); do
		size=$(data_of "${lines[i]}" | wc -c)
		last_row=$(data_of "${lines[i]}" | tail -n 1 | wc -c)
		[ "$size" -ge 10240 ] || fail "${lines[i]}: $size bytes"
		[ $((size - last_row)) -lt 10240 ] || fail "${lines[i]}: a row too many"
	done
	data_of "${lines[@]}" > data
	same_file data "$DATA/rows4000.csv"
}

@test "-b on standard input: chunks named stdin, and the scores come back" {
	run pc-split -b 20K -d w < "$DATA/in.csv"
	assert_success
	[ "${#lines[@]}" -gt 5 ]
	[ "${lines[0]}" = w/stdin.00001.csv ]
	printf '%s\n' "${lines[@]}" | score_chunks > got
	same_file got "$DATA/expected"
	# a pipe has no size: 10 digits, and -b (64M) is the default, never -n
	cat "$DATA/in.csv" | pc-split -d w2 > paths
	assert_equal "$(cat paths)" w2/stdin.0000000001.csv
	score_chunks < paths > got
	same_file got "$DATA/expected"
	cat "$DATA/in.csv" | pc-split -b 20K -d w3 > paths
	[ "$(wc -l < paths)" -eq "${#lines[@]}" ]
	score_chunks < paths > got
	same_file got "$DATA/expected"
}

@test "a quoted name holding newlines is never cut" {
	for i in $(seq 1 50); do printf '"name\n%d\n",%d,2\r\n' "$i" "$i"; done > nl.csv
	local f rows
	for opt in "-b 1" "-l 1" "-n 50" "-n 7"; do
		rm -rf w
		run pc-split $opt -d w nl.csv
		assert_success
		for f in "${lines[@]}"; do
			# each row whole: as many names as rows=, each with its 3 lines
			rows=$(tail -n 1 "$f" | sed 's/.* rows=\([0-9]*\).*/\1/')
			[ "$(grep -c '^"name$' "$f")" -eq "$rows" ] || fail "$opt: $f: $(cat "$f")"
			[ "$(grep -c $'^",[0-9]*,2\r$' "$f")" -eq "$rows" ] || fail "$opt: $f: $(cat "$f")"
		done
		[ "$(data_of w/*.csv)" = "$(cat nl.csv)" ] || fail "$opt: the data differs"
	done
	# one row per chunk when asked for
	[ "$(pc-split -b 1 -d w2 nl.csv | wc -l)" -eq 50 ]
}

@test "rows are copied byte for byte: CRLF kept, a BOM dropped, a last LF added" {
	printf '\xef\xbb\xbfA,1,2\r\n"q\r\nr",3,4\r\n\r\nC,5,6' > t.csv
	pc-split -l 2 -d w t.csv > paths
	[ "$(wc -l < paths)" -eq 2 ]
	data_of $(cat paths) > data
	printf 'A,1,2\r\n"q\r\nr",3,4\r\n\r\nC,5,6\n' > want
	same_file data want
	# the added LF puts the trailer on a line of its own
	tail -n 2 w/t.00002.csv | head -n 1 | grep -qx 'C,5,6'
}

@test "the framing: one fresh run id, indexes from 1, count= with -n, names that sort" {
	pc-split -n 12 -d w "$DATA/in.csv" > paths
	[ "$(cat paths)" = "$(ls -d w/*.csv)" ]
	local ids
	ids=$(cat w/*.csv | grep -ao 'id=[0-9a-f]*' | sort -u)
	[ "$(wc -l <<< "$ids")" -eq 1 ]
	[[ "$ids" =~ ^id=[0-9a-f]{16}$ ]]
	head -n 1 w/in.00003.csv | grep -Eqx "#pc:chunk v=1 ${ids} index=3 count=12 file=[^ ]*/in.csv line=[0-9]+"
	tail -n 1 w/in.00012.csv | grep -Eqx "#pc:end v=1 ${ids} index=12 rows=[0-9]+ last=1"
	# -l does not know the count
	pc-split -l 1000 -d w2 "$DATA/in.csv" > /dev/null
	run -1 grep -q 'count=' w2/*.csv
	# a fresh run id for each run
	run -1 grep -q "$ids" w2/*.csv
	# 10 digits when a pipe's size is unknown; more than 5 when needed
	pc-split -n 123456 -d w3 < <(printf 'A,1,2\n') 2> err || true
	grep -q 'regular file' err
	printf 'A,1,2\n' > one.csv
	pc-split -n 123456 -d w3 one.csv | head -n 1 | grep -qx 'w3/one.000001.csv'
}

@test "-z ends paths with NUL; --prefix names the chunks; -d is made, parents too" {
	pc-split -z -n 3 --prefix=part -d a/b/c "$DATA/in.csv" > paths
	[ "$(tr -cd '\0' < paths | wc -c)" -eq 3 ]
	[ "$(tr '\0' '\n' < paths | head -n 1)" = a/b/c/part.00001.csv ]
	[ -f a/b/c/part.00003.csv ]
	# no -d: the current directory, names without a directory
	run pc-split -n 2 "$DATA/in.csv"
	assert_success
	assert_output "$(printf 'in.00001.csv\nin.00002.csv')"
	[ -z "$(ls -A | grep -v '^in\.0000[12]\.csv$\|^paths$\|^a$')" ]
}

@test "empty input, or only blank lines: one chunk of no rows, marked last" {
	run pc-split -l 5 -d w < /dev/null
	assert_success
	[ "${#lines[@]}" -eq 1 ]
	[ "$(sed 's/id=[0-9a-f]*/id=X/' "${lines[0]}")" = "$(printf '#pc:chunk v=1 id=X index=1 file=- line=1\n#pc:end v=1 id=X index=1 rows=0 last=1')" ]
	printf '\n\r\n\n' > blank.csv
	run pc-split -b 1 -d w2 blank.csv
	assert_success
	[ "${#lines[@]}" -eq 1 ]
	run pc-score "${lines[0]}"
	assert_success
	assert_line --index 1 --regexp ' rows=0 scored=0 rejected=0 last=1$'
}

@test "a path is printed as soon as its chunk is complete, before the input ends" {
	pc-gen -r 60000 -c 5 -s 9 > first.csv     # more than one read block (1 MiB)
	# The writer waits on go.fifo before the last row, so pc-split cannot
	# see the input end until the test lets it.  Why the writer's word on
	# ready.fifo means that pc-split has done all it can with first.csv: its
	# reader hands out blocks of 1 MiB, filled by read() until full or at
	# the end of the input; once `cat` has put all of first.csv into the
	# pipe, which holds at most 64 KiB, pc-split has read past the first
	# 1 MiB, so it has split the whole first block (printed its paths, made
	# the next chunk's temporary file) and is filling the second, which
	# cannot fill up before the last row comes (first.csv is under 2 MiB).
	local size
	size=$(wc -c < first.csv)
	[ "$size" -gt $((1048576 + 262144)) ] && [ "$size" -lt $((2097152 - 65536)) ] ||
		fail "first.csv is $size bytes: the wait below needs 1.25 MiB to 2 MiB"
	mkfifo in.fifo ready.fifo go.fifo
	local ready go
	exec {ready}<> ready.fifo {go}<> go.fifo   # read-write: opening never blocks
	{ cat first.csv; echo written >&"$ready"; read -r -u "$go" _; printf 'Z,5,6\n'; } > in.fifo 3>&- &
	bg_pids=$!
	local writer=$!
	pc-split -l 1000 -d w in.fifo > paths 3>&- &
	bg_pids="$! $bg_pids"
	local pid=$!
	read -r -t 120 -u "$ready" _ || fail "the writer did not get first.csv into pc-split in 120 s"
	# the chunks of the first block are out, and whole, before the input ends
	[ -s paths ] || fail "no path printed before the input ended"
	kill -0 "$pid" || fail "pc-split is already done: the test proves nothing"
	[ "$(head -n 1 paths)" = w/in.fifo.0000000001.csv ]
	tail -n 1 w/in.fifo.0000000001.csv | grep -Eq ' index=1 rows=1000$'
	local n
	n=$(wc -l < paths)
	[ "$n" -ge 1 ] && [ "$n" -lt 61 ] || fail "$n paths printed"
	# the chunk being written is not visible under its name: the only chunk
	# files are the printed ones, beside one temporary file
	[ "$(ls w/*.csv)" = "$(sort paths)" ] || fail "chunk files: $(ls w)"
	[ "$(ls -A w | grep -vc '\.csv$')" -eq 1 ] || fail "files in w: $(ls w)"
	echo go >&"$go"
	wait "$pid"
	wait "$writer"
	bg_pids=
	exec {ready}>&- {go}>&-
	[ "$(wc -l < paths)" -eq 61 ]
	[ -z "$(ls w | grep -v '\.csv$')" ] || fail "left behind: $(ls w)"
}

@test "already framed input: exit 1, and no chunk is left half-written" {
	pc-split -n 2 -d w "$DATA/in.csv" > /dev/null
	run --separate-stderr pc-split -l 5 -d w2 w/in.00001.csv
	assert_failure 1
	[[ "$stderr" == "pc-split: w/in.00001.csv: input is already framed (a #pc:chunk line after row 0)"* ]]
	{ printf 'A,1,2\nB,3,4\n'; tail -n 1 w/in.00002.csv; } > framed.csv
	run --separate-stderr pc-split -l 1 -d w3 framed.csv
	assert_failure 1
	[[ "$stderr" == *"input is already framed (a #pc:end line after row 2)"* ]]
	[ -z "$(ls w3 | grep -v '^framed\.00001\.csv$')" ] || fail "$(ls w3)"
}

@test "an unterminated quote at the end of the input stays in its chunk, and is scored as pc-score does" {
	printf 'A,1,2\n"B,3,4\nC,5,6\n' > q.csv
	run --separate-stderr pc-split -l 1 -d w q.csv
	assert_success
	assert_equal "${#lines[@]}" 2
	tail -n 1 w/q.00002.csv | grep -Eqx '#pc:end v=1 id=[0-9a-f]{16} index=2 rows=1 last=1'
	for mode in fail skip; do
		run --separate-stderr pc-score --on-error=$mode q.csv
		local want_status=$status want_err=$stderr
		run --separate-stderr pc-score --on-error=$mode w/q.00002.csv
		assert_equal "$status" "$want_status"
		# the row is told at its place in q.csv, whose trailer the quote did not swallow
		assert_equal "$(grep -v 'skipped' <<< "$stderr")" "$(grep -v 'skipped' <<< "$want_err")"
	done
}

@test "each header says where its chunk starts in the input: file= (encoded) and line=" {
	printf 'A,1,2\n\n"B\nb",3,4\r\nC,5,6\n' > 'a b%,c.csv'
	pc-split -l 1 -d w 'a b%,c.csv' > paths
	[ "$(wc -l < paths)" -eq 3 ]
	grep -h '^#pc:chunk' w/*.csv | sed 's/.*file=//' > got
	printf '%s\n' 'a%20b%25%2Cc.csv line=1' 'a%20b%25%2Cc.csv line=3' 'a%20b%25%2Cc.csv line=5' > want
	same_file got want
	# a bad row in chunk 3 is told at its line in the user's file
	printf 'A,1,2\nB,3,4\nC,x,6\n' > bad.csv
	pc-split -l 1 -d w2 bad.csv > /dev/null
	run --separate-stderr pc-score w2/bad.00003.csv
	assert_failure 1
	assert_equal "$stderr" 'pc-score: bad.csv:3:3: not a number ("x")'
}

@test "usage and I/O errors: exit 2 with a message" {
	run --separate-stderr bash -c 'cat "$1" | pc-split -n 2 -d w' _ "$DATA/in.csv"
	assert_failure 2
	[[ "$stderr" == *"-n needs a regular file"* ]]
	run --separate-stderr pc-split -n 2 -l 3 "$DATA/in.csv"
	assert_failure 2
	[[ "$stderr" == *"only one of -n, -l and -b"* ]]
	for bad in "-n 0" "-l x" "-b 1Q" "--prefix=a/b" "--nope"; do
		run --separate-stderr pc-split $bad "$DATA/in.csv"
		assert_failure 2
		[ -n "$stderr" ] || fail "$bad: no message"
	done
	run --separate-stderr pc-split -n 2 nothing-here.csv
	assert_failure 2
	[[ "$stderr" == "pc-split: cannot open 'nothing-here.csv': No such file or directory" ]]
	touch afile
	run --separate-stderr pc-split -n 2 -d afile "$DATA/in.csv"
	assert_failure 2
	[[ "$stderr" == "pc-split: cannot create directory 'afile': "* ]]
	run --separate-stderr pc-split a.csv b.csv
	assert_failure 2
	[[ "$stderr" == *"extra operand 'b.csv'"* ]]
}

@test "a closed pipe downstream ends pc-split quietly" {
	run --separate-stderr bash -c 'pc-split -l 1 -d w "$1" | head -n 1' _ "$DATA/rows4000.csv"
	assert_success
	assert_output w/rows4000.00001.csv
	assert_equal "$stderr" ""
}

@test "--help and --version" {
	run pc-split --help
	assert_success
	assert_output --partial 'Usage: pc-split [OPTION]... [FILE]'
	assert_output --partial '--chunks=N'
	# the header as pc-split(1) gives it
	assert_output --partial '#pc:chunk v=1 id=RUN index=I [count=N] file=FILE line=L'
	run pc-split -V
	assert_success
	assert_line --index 0 "pc-split (powercouples) $PC_VERSION"
}

@test "a chunk that would overwrite the input is refused (exit 2), the input intact" {
	printf 'a,1,2\nb,3,4\n' > in.csv
	mkdir ow
	cp in.csv ow/in.00001.csv
	run -2 --separate-stderr pc-split -l 1 --prefix=in -d ow ow/in.00001.csv
	assert_equal "$stderr" "pc-split: 'ow/in.00001.csv' would overwrite the input"
	same_file ow/in.00001.csv in.csv
	# a hard link is the same file under another name
	ln ow/in.00001.csv ow/x.00001.csv
	run -2 --separate-stderr pc-split -l 1 --prefix=x -d ow ow/in.00001.csv
	[[ "$stderr" == *"'ow/x.00001.csv' would overwrite the input" ]]
	same_file ow/in.00001.csv in.csv
}

@test "stdout closed: the list of paths is a write error, never written into a chunk" {
	printf 'a,1,2\nb,3,4\n' > in.csv
	run -2 --separate-stderr bash -c 'pc-split -l 1 -d w in.csv >&-'
	[[ "$stderr" == "pc-split: write error on standard output: Bad file descriptor" ]]
	# a chunk exists only once its path is printed: chunk 1, complete but
	# never named, is removed, and chunk 2 is never begun
	[ -d w ]
	[ -z "$(ls -A w)" ] || fail "left behind: $(ls -A w)"
}

@test "stdout full: exit 2, and no chunk whose path was not printed" {
	printf 'a,1,2\nb,3,4\n' > in.csv
	run -2 --separate-stderr bash -c 'pc-split -d w in.csv > /dev/full'
	[[ "$stderr" == "pc-split: write error on standard output: No space left on device" ]]
	[ -z "$(ls -A w)" ] || fail "left behind: $(ls -A w)"
}

@test "SIGTERM, SIGINT, SIGHUP mid-run: the chunk in progress is removed, the signal is the status" {
	local sig rc pid
	for sig in TERM INT HUP; do
		rm -rf w in.fifo
		mkfifo in.fifo
		# a background job of a non-interactive shell starts with SIGINT
		# ignored, and an ignored signal rightly stays so: reset them
		env --default-signal=INT,TERM,HUP pc-split -l 1 -d w in.fifo > paths &
		pid=$!
		exec 8> in.fifo   # returns once pc-split opened it, after it made chunk 1's temporary file
		[ -n "$(ls -A w)" ] || fail "SIG$sig: no temporary chunk while running"
		kill -s "$sig" "$pid"
		rc=0
		wait "$pid" || rc=$?
		exec 8>&-
		[ "$rc" -eq $((128 + $(kill -l "$sig"))) ] || fail "SIG$sig: exit status $rc"
		[ -z "$(ls -A w)" ] || fail "SIG$sig: left behind: $(ls -A w)"
	done
}

@test "-n: the empty chunks after the last row say line= of the input's end" {
	# one row (line 1): chunks 2 and 3 start at the input's end, line 2
	printf 'a,1,2\n' > one.csv
	pc-split -n 3 -d w one.csv > /dev/null
	grep -h '^#pc:chunk' w/*.csv | sed 's/.* index=//' > got
	printf '%s\n' '1 count=3 file=one.csv line=1' '2 count=3 file=one.csv line=2' '3 count=3 file=one.csv line=2' > want
	same_file got want
	# blank lines after the row belong to chunk 1: the end is line 4
	printf 'a,1,2\n\n\n' > one.csv
	pc-split -n 3 -d w2 one.csv > /dev/null
	grep -h '^#pc:chunk' w2/*.csv | sed 's/.* index=//' > got
	printf '%s\n' '1 count=3 file=one.csv line=1' '2 count=3 file=one.csv line=4' '3 count=3 file=one.csv line=4' > want
	same_file got want
}

@test "a chunk name that is the input under another path, or another file: only the input is refused" {
	printf 'a,1,2\nb,3,4\n' > in.csv
	mkdir ow
	# an old chunk there that is not the input is replaced, as any output
	printf 'old\n' > ow/in.00001.csv
	pc-split -l 1 --prefix=in -d ow in.csv > paths
	[ "$(grep -vc '^#pc:' ow/in.00001.csv)" -eq 1 ]
	grep -qx 'a,1,2' ow/in.00001.csv
	# the input reached through a symlink of its directory is still the input
	cp in.csv ow/x.00002.csv
	ln -s ow link
	run -2 --separate-stderr pc-split -l 1 --prefix=x -d link ow/x.00002.csv
	assert_equal "$stderr" "pc-split: 'link/x.00002.csv' would overwrite the input"
	same_file ow/x.00002.csv in.csv
}
