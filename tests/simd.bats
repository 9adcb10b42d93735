#!/usr/bin/env bats
# Every SIMD path (PC_SIMD=scalar, sse2, avx2, avx512, those this processor
# runs) on inputs shaped to reach every branch of the closed form's fast
# paths: the plain short row, the lane's 64-byte steps, numbers of 8, 9,
# 19 and 20 digits, 2^64 deep inside long rows, names of 15, 16 and 17
# bytes, CRLF rows, blank lines and bad fields (tests/gen-shapes.py),
# at block sizes that cut rows anywhere.  The answers, and the lines of the
# bad rows, are the oracle's; pc-threads and the exhaustive method too.
bats_require_minimum_version 1.5.0
load test_helper/common

setup_file() {
	load test_helper/common
	export DATA="$BATS_FILE_TMPDIR"
	python3 "$BATS_TEST_DIRNAME/gen-shapes.py" 21 4000 > "$DATA/shapes.csv"
	oracle score --on-error=skip --bad-rows="$DATA/bad.tsv" "$DATA/shapes.csv" > "$DATA/shapes.exp" 2> /dev/null
	cut -f2 "$DATA/bad.tsv" > "$DATA/bad.lines"
}

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
}

# check PATH ARGS...: pc-score ARGS on the shapes, as the oracle says
check() {
	local p=$1
	shift
	PC_SIMD=$p "$@" --on-error=skip "$DATA/shapes.csv" > got 2> err ||
		fail "PC_SIMD=$p $*: status $?"
	same_file got "$DATA/shapes.exp" || fail "PC_SIMD=$p $*: the answers differ"
	sed -n 's/^[a-z-]*: [^:]*:\([0-9]*\):[0-9]*: .*/\1/p' err > lines
	same_file lines "$DATA/bad.lines" || fail "PC_SIMD=$p $*: other rows reported bad"
}

@test "the shapes reach what they are for: long rows, 20-digit numbers, bad rows, blank lines" {
	[ "$(wc -l < "$DATA/bad.lines")" -gt 100 ]
	[ "$(wc -l < "$DATA/shapes.exp")" -gt 3000 ]
	grep -q -E ',[0-9]{20}(,|$)' "$DATA/shapes.csv"
	awk -F, 'NF > 300 { n++ } END { exit !(n > 100) }' "$DATA/shapes.csv"
	grep -q -c '^$' "$DATA/shapes.csv"
}

@test "every path: pc-score at block sizes 64, 1000, 65536 and the default" {
	local p b
	for p in scalar sse2 avx2 avx512; do
		has_path "$p" || { echo "# $p: not run by this processor" >&3; continue; }
		for b in 64 1000 65536; do
			check "$p" pc-score -B "$b"
		done
		check "$p" pc-score
	done
}

# cols_fit INPUT ERR: every "PROG: FILE:LINE:COL: ..." of ERR has COL at
# most one past the end of line LINE of INPUT (its bytes, LF not counted)
cols_fit() {
	"$PYTHON3" - "$1" "$2" <<'EOF'
import sys
lines = open(sys.argv[1], "rb").read().split(b"\n")
bad = 0
for msg in open(sys.argv[2], "rb").read().splitlines():
    parts = msg.split(b":", 4)
    if len(parts) == 5 and parts[2].isdigit() and parts[3].isdigit():
        line, col = int(parts[2]), int(parts[3])
        bad += col > len(lines[line - 1]) + 1
sys.exit(1 if bad else 0)
EOF
}

@test "every path: short rows many at a time, plain and not, at block sizes 64 to the default, with -t ';', TAB and '|'" {
	# Runs of short plain rows fill whole 64-byte windows (score.c takes
	# them from the window's masks); among them rows that are not plain in
	# one way each: '"', NUL or CR in the name (and 0xFF, which is
	# plain), an empty field, a delimiter last, one number, 19 and 20
	# digits, a sign, a long row.
	local p b d
	python3 "$BATS_TEST_DIRNAME/gen-shapes.py" 23 20000 short > short.csv
	for d in ',' ';' $'\t' '|'; do
		tr ',' "$d" < short.csv > in.csv
		oracle score --on-error=skip -t "$d" --bad-rows=bad.tsv in.csv > want 2> want.err
		cut -f2,3 bad.tsv > bad.lines   # a bad row's first and last line
		sed -n 's/^[a-z.]*: \(skipped .*\)/\1/p' want.err > want.summary
		[ -s want.summary ]
		[ "$(wc -l < want)" -gt 16000 ] && [ "$(wc -l < bad.lines)" -gt 700 ]
		# every block size with ',', the smallest and the default with
		# the others (CI runs this suite three times, once under ASan)
		local sizes=(64 100 1000 65536 default)
		[ "$d" = , ] || sizes=(64 default)
		for p in scalar sse2 avx2 avx512; do
			has_path "$p" || continue
			for b in "${sizes[@]}"; do
				local B=(-B "$b")
				[ "$b" = default ] && B=()
				PC_SIMD=$p pc-score --on-error=skip -t "$d" "${B[@]}" in.csv > got 2> err ||
					fail "PC_SIMD=$p -t '$d' -B $b: status $?"
				same_file got want || fail "PC_SIMD=$p -t '$d' -B $b: the answers differ"
				sed -n 's/^[a-z-]*: [^:]*:\([0-9]*\):[0-9]*: .*/\1/p' err > lines
				# one message a bad row, at a line of it (a '"' in a name
				# opens a quoted section: the row goes on over LFs)
				[ "$(wc -l < lines)" -eq "$(wc -l < bad.lines)" ] &&
					paste lines bad.lines | awk '$1 < $2 || $1 > $3 { exit 1 }' ||
					fail "PC_SIMD=$p -t '$d' -B $b: other rows reported bad"
				# each column within its line (a line start left behind
				# by rows taken many at a time would count theirs too)
				cols_fit in.csv err || fail "PC_SIMD=$p -t '$d' -B $b: a column past its line's end"
				# the rows counted: "skipped N bad rows of M"
				sed -n 's/^[a-z-]*: \(skipped .*\)/\1/p' err > summary
				same_file summary want.summary || fail "PC_SIMD=$p -t '$d' -B $b: other counts"
			done
			# the rows scored, as each chunk's #pc:end says them:
			# pc-merge holds scored= to the rows it gets
			rm -rf ch && mkdir ch
			pc-split -t "$d" -n 3 -d ch in.csv > paths
			xargs cat < paths | PC_SIMD=$p pc-score --on-error=skip -B 1000 2> /dev/null |
				pc-merge > got || fail "PC_SIMD=$p -t '$d': pc-merge refused the scored chunks"
			same_file got want || fail "PC_SIMD=$p -t '$d': the merged answers differ"
		done
	done
}

@test "every path: pc-threads -j 3 and standard input" {
	local p
	for p in scalar sse2 avx2 avx512; do
		has_path "$p" || continue
		check "$p" pc-threads -j 3 -B 4096
		PC_SIMD=$p pc-score --on-error=skip < "$DATA/shapes.csv" > got 2> /dev/null
		same_file got "$DATA/shapes.exp" || fail "PC_SIMD=$p: standard input differs"
	done
}

@test "every path: the exhaustive method gives the closed form's answers" {
	local p
	head -n 1500 "$DATA/shapes.csv" > part.csv
	oracle score --on-error=skip part.csv > part.exp 2> /dev/null
	for p in scalar sse2 avx2 avx512; do
		has_path "$p" || continue
		PC_SIMD=$p pc-score -m exhaustive --on-error=skip part.csv > got 2> /dev/null
		same_file got part.exp || fail "PC_SIMD=$p -m exhaustive differs"
	done
}

@test "every path: a number of 2^64 after 500 plain ones is reported at its column" {
	local p head col
	head="r$(printf ',%s' $(seq 1 500)),"
	printf '%s18446744073709551616,7\n' "$head" > big.csv
	col=$(( ${#head} + 1 ))   # the number's first byte
	for p in scalar sse2 avx2 avx512; do
		has_path "$p" || continue
		PC_SIMD=$p run -1 --separate-stderr pc-score big.csv
		[ "$stderr" = "pc-score: big.csv:1:$col: value over 18446744073709551615 (\"18446744073709551616\")" ] ||
			fail "PC_SIMD=$p: $stderr"
	done
}

@test "every path: the lane and the fast row with -t ';' and -t TAB, as the oracle says" {
	local p d
	for d in ';' '\t'; do
		if [ "$d" = ';' ]; then tr ',' ';' < "$DATA/shapes.csv" > in.csv; else tr ',' '\t' < "$DATA/shapes.csv" > in.csv; fi
		oracle score --on-error=skip -t "$d" in.csv > want 2> /dev/null
		[ "$(wc -l < want)" -gt 3000 ]
		for p in scalar sse2 avx2 avx512; do
			has_path "$p" || continue
			PC_SIMD=$p pc-score --on-error=skip -t "$d" -B 1000 in.csv > got 2> /dev/null
			same_file got want || fail "PC_SIMD=$p -t '$d' differs"
		done
	done
}

@test "every path: pc-split's chunks and pc-merge's output are the same bytes; a bad PC_SIMD is refused" {
	local p f
	pc-score --on-error=skip "$DATA/shapes.csv" > want 2> /dev/null
	PC_SIMD=scalar pc-split -n 5 -d ref "$DATA/shapes.csv" > /dev/null
	# each run has an id of its own: compare the chunks without it
	for f in ref/*; do sed 's/ id=[0-9a-f]* / id= /' "$f" > "$f.noid"; done
	for p in scalar sse2 avx2 avx512; do
		has_path "$p" || continue
		rm -rf ch
		PC_SIMD=$p pc-split -n 5 -d ch "$DATA/shapes.csv" > paths
		for f in ch/*; do
			sed 's/ id=[0-9a-f]* / id= /' "$f" | cmp -s - "ref/${f#ch/}.noid" ||
				fail "PC_SIMD=$p: chunk $f differs"
		done
		[ "$(ls ch | wc -l)" -eq 5 ]
		xargs cat < paths | pc-score --on-error=skip 2> /dev/null | PC_SIMD=$p pc-merge > got 2> /dev/null
		same_file got want || fail "PC_SIMD=$p: pc-merge differs"
	done
	for prog in pc-split pc-merge; do
		PC_SIMD=avx9 run -2 --separate-stderr $prog /dev/null
		[ "$stderr" = "$prog: PC_SIMD=avx9: not a path (scalar, sse2, avx2, avx512 or auto)" ] ||
			fail "$prog: $stderr"
	done
}

@test "every path: the lane's guess at the runner-up, right and wrong in turn, as the oracle says" {
	# Rows with two 99s (the next row's guess is 98) and rows with one 99
	# and the rest below 98 (the guess is wrong: b is below it), and the
	# same for 20-digit values, where the guess is cut to two digits.
	python3 - > guess.csv <<'PY'
import random
random.seed(13)
for i in range(600):
    k = random.choice([12, 40, 120, 300])
    if i % 4 == 0:
        v = [random.randint(0, 99) for _ in range(k)]; v[2] = v[k - 1] = 99
    elif i % 4 == 1:
        v = [random.randint(0, 97) for _ in range(k)]; v[random.randrange(5, k)] = 99
    elif i % 4 == 2:
        v = [random.randint(18 * 10**18, 2**64 - 1) for _ in range(k)]
    else:
        v = [random.randint(0, 17 * 10**18) for _ in range(k)]; v[random.randrange(5, k)] = 2**64 - 1
    print("r%d," % i + ",".join(map(str, v)))
PY
	oracle score guess.csv > want
	[ "$(wc -l < want)" -eq 600 ]
	for p in scalar sse2 avx2 avx512; do
		has_path "$p" || continue
		PC_SIMD=$p pc-score guess.csv > got || fail "PC_SIMD=$p: status $?"
		same_file got want || fail "PC_SIMD=$p: differs from the oracle"
		PC_SIMD=$p pc-score -B 4096 guess.csv > got
		same_file got want || fail "PC_SIMD=$p -B 4096: differs from the oracle"
	done
}
