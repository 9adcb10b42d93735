#!/usr/bin/env bats
# --header and -t, --delimiter (0.2): the rules and edge cases, one by one,
# for every program that takes them.  tests/ways-format.bats runs the whole
# corpus in these formats through every way of running.
bats_require_minimum_version 1.5.0
load test_helper/common

setup_file() {
	export DATA="$BATS_FILE_TMPDIR"
	# rows in ';' with names that hold ';' and ',' (quoted or not), a header
	{
		printf 'name;first;second\n'
		oracle gen --seed 77 --rows 400 --profile mixed | tr ',;' ';,'
	} > "$DATA/semi.csv"
	oracle score --header -t ';' "$DATA/semi.csv" > "$DATA/semi.expected"
}

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# scorers: every way of running one scorer, a line each (ARGS are added).
scorers() {
	echo "pc-score"
	echo "pc-score -B 1"
	echo "pc-score -B 7"
	echo "pc-score -B 64"
	echo "pc-threads -j 1 -B 7"
	echo "pc-threads -j 2 -B 64"
	echo "pc-threads -j 3 -B 1"
	if mpi_have; then
		echo "mpi_launch 1 pc-mpirun -B 64"
		echo "mpi_launch 2 pc-mpirun -B 7"
	fi
}

@test "--header -t ';': every scorer, every way, as the oracle (written from the spec)" {
	local way
	[ -s "$DATA/semi.expected" ]
	head -n 1 "$DATA/semi.expected" | grep -qx 'name;x;y'
	while IFS= read -r way; do
		# shellcheck disable=SC2086
		$way --header -t ';' "$DATA/semi.csv" > got || fail "$way: status $?"
		cmp got "$DATA/semi.expected" || fail "$way differs from the oracle"
	done < <(scorers)
}

@test "--header -t ';': pc-split | pc-score per chunk (no options) | pc-merge, as pc-score" {
	local paths f
	pc-split --header -t ';' -l 37 -d ch "$DATA/semi.csv" > paths
	[ "$(wc -l < paths)" -gt 5 ]
	# each chunk says what it is: no header line in it, header=1 and delim= up front
	head -n 1 ch/semi.00001.csv | grep -q ' line=2 header=1 delim=%3B$'
	! grep -qx 'name;first;second' ch/*.csv
	while IFS= read -r f; do pc-score -B 7 "$f"; done < paths > scored
	pc-merge scored > got
	cmp got "$DATA/semi.expected"
	# in any order, and through pc-threads and pc-mpirun in one stream
	tac paths | xargs cat | pc-threads -j 3 -B 1 | pc-merge | cmp - "$DATA/semi.expected"
	if mpi_have; then
		xargs cat < paths | mpi_launch 2 pc-mpirun -B 64 | pc-merge | cmp - "$DATA/semi.expected"
	fi
	# the chunks' own delimiter wins over a scorer's -t and --header
	pc-score --header -t '|' ch/semi.00002.csv | cmp - <(pc-score ch/semi.00002.csv)
}

@test "--header: each file's first line is skipped, the output header comes once" {
	printf 'h1,x\na,2,3\n' > one.csv
	printf 'h2\nb,4,5\n' > two.csv
	: > empty.csv
	run -0 pc-score --header one.csv empty.csv two.csv
	[ "$output" = $'name,x,y\na,3,2\nb,4,5' ]
	oracle score --header one.csv empty.csv two.csv | cmp - <(pc-score --header one.csv empty.csv two.csv)
	pc-threads -j 2 -B 1 --header one.csv empty.csv two.csv | cmp - <(pc-score --header one.csv empty.csv two.csv)
	# without --header the first lines are rows, and bad ones
	run -1 pc-score one.csv
	[[ $output == *"one.csv:1:"* ]]
}

@test "--header: the header is the first line whatever it holds: quotes, CRLF, a BOM, no LF" {
	printf '\xef\xbb\xbf"unclosed,x\r\nq,1,2\r\n' > a.csv
	run -0 pc-score --header a.csv
	[ "$output" = $'name,x,y\nq,2,1' ]
	printf 'only a header' > b.csv
	run -0 pc-score --header b.csv
	[ "$output" = "name,x,y" ]
	printf 'name,x,y\n' > c.csv
	run -0 pc-score --header -t ';' c.csv
	[ "$output" = "name;x;y" ]
	oracle score --header a.csv b.csv | cmp - <(pc-score --header a.csv b.csv)
}

@test "--header on an empty input or a header-only file: the header alone, exit 0, every way" {
	local way
	: > empty.csv
	printf 'name,v\n' > hdr.csv
	for f in empty.csv hdr.csv; do
		while IFS= read -r way; do
			# shellcheck disable=SC2086
			$way --header $f > got || fail "$way $f: status $?"
			printf 'name,x,y\n' | cmp - got || fail "$way $f: not the header alone"
		done < <(scorers)
		oracle score --header $f | cmp - got
		rm -rf ch
		pc-split --header -d ch $f > paths
		xargs cat < paths | pc-score | pc-merge > got
		printf 'name,x,y\n' | cmp - got
	done
	: | pc-score --header | cmp - <(printf 'name,x,y\n')
}

@test "a bad row's FILE:LINE:COL counts the header as line 1, in every way and through chunks" {
	local way
	printf 'name;v\nok;1;2\nbad;1;-2\n' > bad.csv
	while IFS= read -r way; do
		# shellcheck disable=SC2086
		# (stderr apart: pc-mpirun's forwarded streams may interleave)
		run -1 --separate-stderr $way --header -t ';' bad.csv
		[[ $stderr == *"bad.csv:3:7: negative value"* ]] || fail "$way: $stderr"
	done < <(scorers)
	pc-split --header -t ';' -l 1 -d ch bad.csv > paths
	run -1 pc-score "$(tail -n 1 paths)"
	[[ $output == *"bad.csv:3:7: negative value"* ]]
	# the oracle puts it on the same line
	run -1 oracle score --header -t ';' bad.csv
	[[ $output == *"line 3"* ]]
}

@test "-t: the delimiter in names, quotes and blanks; the other bytes are text" {
	# a quoted name may hold the delimiter; a comma is then no separator
	printf '"a;b";1;2\nc,d;3;4\n"e,f"; 5 ;"6"\n' > s.csv
	run -0 pc-score -t ';' s.csv
	[ "$output" = $'"a;b";2;1\nc,d;3;4\ne,f;5;6' ]
	oracle score -t ';' s.csv | cmp - <(pc-score -t ';' s.csv)
	# TAB: a TAB separates, so it is no blank; a space still is
	printf 'a b\t 1\t2 \n"c\td"\t3\t4\n' > t.tsv
	run -0 pc-score -t '\t' t.tsv
	[ "$output" = $'a b\t2\t1\n"c\td"\t3\t4' ]
	pc-score -t "$(printf '\t')" t.tsv | cmp - <(pc-score -t '\t' t.tsv)
	oracle score -t '\t' t.tsv | cmp - <(pc-score -t '\t' t.tsv)
	# a comma-separated row is one name in ';' input: too few numbers
	printf 'a,1,2\n' > c.csv
	run -1 pc-score -t ';' c.csv
	[[ $output == *"c.csv:1:6: fewer than two numbers"* ]]
	# a row that starts with #pc: is a row when it holds the delimiter
	printf '#pc:x;1;2\n' > f.csv
	run -0 pc-score -t ';' f.csv
	[ "$output" = '#pc:x;2;1' ]
}

@test "-t: a long row cut at the delimiter, not at a comma" {
	# (the name's comma is text: a cut there would start a number mid-name)
	{ printf 'n,o'; for i in $(seq 1 300); do printf ';%d' "$i"; done; printf '\nm;1,2;3\n'; } > long.csv
	run -1 pc-score -t ';' -B 7 long.csv
	[[ $output == *"long.csv:2:3: not a number"* ]]
	[[ $output == *"n,o;299;300"* ]]
	pc-threads -j 2 -B 5 -t ';' --on-error=skip long.csv 2> /dev/null | cmp - <(echo "n,o;299;300")
}

@test "a bad delimiter: exit 2 with a message, in every program that takes -t" {
	local prog bad
	for prog in pc-score pc-threads pc-split; do
		for bad in '' ab '"' 1 a ' ' '#' '=' '-' '.' ':' '%' "$(printf '\r')" "$(printf '\n')"; do
			run -2 "$prog" -t "$bad" /dev/null
			[[ $output == "$prog: "*"delimiter"* ]] || fail "$prog -t '$bad': $output"
			[[ $output == *"Try '$prog --help'"* ]]
		done
		run -2 "$prog" --delimiter=';;' /dev/null
		[[ $output == *"single byte"* ]]
	done
	if mpi_have; then
		run -2 mpi_launch 1 pc-mpirun -t ab /dev/null
		[[ $output == *"pc-mpirun: the delimiter must be a single byte"* ]]
	fi
}

@test "--help of every program names --header and --delimiter" {
	local prog
	for prog in pc-score pc-threads pc-split; do
		run -0 "$prog" --help
		[[ $output == *"--header"* && $output == *"-t, --delimiter=CHAR"* ]] || fail "$prog"
	done
}

@test "chunks: old ones (no header=, delim=) still score and merge; a bad delim= is refused" {
	printf '#pc:chunk v=1 id=0123456789abcdef index=1\na,1,2\n#pc:end v=1 id=0123456789abcdef index=1 rows=1 last=1\n' > old.csv
	pc-score old.csv | pc-merge | cmp - <(echo a,2,1)
	# a chunk with delim= is read by it whatever -t says
	sed '1s/$/ delim=%7C/; 2s/,/|/g' old.csv > pipe.csv
	pc-score -t ';' pipe.csv | pc-merge | cmp - <(echo 'a|2|1')
	sed '1s/$/ delim=%41/' old.csv > bad.csv
	run -1 pc-score bad.csv
	[[ $output == *"bad.csv:1:1: "*"bad delim= value"* ]]
	run -1 pc-merge bad.csv
	[[ $output == *"bad delim= value"* ]]
}

@test "pc-merge writes the header once, before chunk 1, and refuses chunks that disagree" {
	printf 'h\na,1,2\nb,3,4\nc,5,6\n' > in.csv
	pc-split --header -l 1 -d ch in.csv > paths
	tac paths | xargs cat | pc-score | pc-merge > got
	printf 'name,x,y\na,2,1\nb,3,4\nc,5,6\n' | cmp - got
	# chunk 2 of the same run without header=1
	sed -i '1s/ header=1//' ch/in.00002.csv
	run -1 bash -c 'xargs cat < paths | pc-score | pc-merge'
	[[ $output == *"chunk 2 has other header=/delim= fields than chunk 1"* ]]
}

@test "-t: a comma among the values is no separator, on the fast path and in the SIMD lane too" {
	# the lane takes over once a row's runner-up is 3 or more, with 64 bytes ahead
	{
		printf 'a;5;7;9;11;1,2;4\n'
		printf 'b;5;7;9;11;1;2,4\n'
		printf 'c;5;7;1,2;4\n'
		for i in $(seq 1 20); do printf 'pad%d;3;4;5;6;7;8;9;10;11;12\n' "$i"; done
	} > lane.csv
	run -0 pc-score -t ';' --on-error=skip lane.csv
	[[ $output == *"lane.csv:1:12: not a number (\"1,2\")"* ]]
	[[ $output == *"lane.csv:2:14: not a number (\"2,4\")"* ]]
	[[ $output == *"lane.csv:3:7: not a number (\"1,2\")"* ]]
	[[ $output == *"skipped 3 bad rows of 23"* ]]
	pc-score -t ';' --on-error=skip lane.csv 2> /dev/null |
		cmp - <(oracle score -t ';' --on-error=skip lane.csv 2> /dev/null)
	# and with ',' the same rows are good
	tr ',;' ';,' < lane.csv | pc-score --on-error=skip > /dev/null 2> err
	grep -q 'skipped 3 bad rows' err
}

@test "-t: a quote after the delimiter opens a quoted section, whose LF ends no row" {
	printf 'a;"1\n2";3\nb;4;5\n' > q.csv
	run -0 pc-score -t ';' --on-error=skip q.csv
	[[ $output == *"skipped 1 bad row of 2"* ]]
	pc-score -t ';' --on-error=skip q.csv 2> /dev/null | cmp - <(echo 'b;4;5')
	oracle score -t ';' --on-error=skip q.csv 2> /dev/null | cmp - <(echo 'b;4;5')
	# pc-split counts the rows so too (its chunk's rows= must be what the scorer finds)
	pc-split -t ';' -l 1 -d ch q.csv > paths
	[ "$(wc -l < paths)" = 2 ]
	xargs cat < paths | pc-score --on-error=skip 2> /dev/null | pc-merge | cmp - <(echo 'b;4;5')
}

@test "--header and an input that cannot be opened: exit 2, no header on standard output" {
	run -2 --separate-stderr pc-score --header missing.csv
	[ -z "$output" ]
	[[ $stderr == *"cannot open 'missing.csv'"* ]]
}
