#!/usr/bin/env bats
# libpowercouples (include/powercouples.h), through tests/pc-api, which is
# linked with the build tree's shared library: powercouples_row and
# powercouples_csv held to the exact oracle (tests/oracle.py) on random
# rows, for both methods; powercouples_csv's bad rows, rows before them and
# "LINE:COL: message" held to what pc-score prints for the same bytes;
# what the shared library exports, and its soname.  tests/unit-api covers
# errno, the buffers and threads.
bats_require_minimum_version 1.5.0
load test_helper/common

api() {
	"$PC_BUILDDIR/tests/pc-api" "$@"
}

SO="$PC_BUILDDIR/lib/.libs/libpowercouples.so"

# rows FILE.rows FILE.want SEED PROFILE N: N rows of plain numbers drawn by
# the oracle's generator for PROFILE, and the oracle's couple of each
rows() {
	"$PYTHON3" - "$PC_SRCDIR/tests" "$@" <<'EOF'
import random, sys
sys.path.insert(0, sys.argv[1])
import oracle
rows_path, want_path, seed, profile, n = sys.argv[2:7]
rnd = random.Random(seed)
with open(rows_path, "w") as rows, open(want_path, "w") as want:
    for _ in range(int(n)):
        values = oracle.PROFILES[profile](rnd, oracle._k(rnd))
        rows.write(" ".join(map(str, values)) + "\n")
        want.write("%d,%d\n" % oracle.power_couple(values))
EOF
}

setup_file() {
	load test_helper/common
	export DATA="$BATS_FILE_TMPDIR"
	oracle gen --seed 51 --rows 3000 --profile mixed > "$DATA/mixed.csv"
	oracle gen --seed 52 --rows 2000 --profile small --crlf > "$DATA/small.csv"
	oracle gen --seed 53 --rows 2000 --profile huge --no-final-newline > "$DATA/huge.csv"
	oracle gen --seed 54 --rows 2000 --profile ties --crlf --no-final-newline --bom > "$DATA/ties.csv"
	for d in mixed small huge ties; do
		oracle score "$DATA/$d.csv" > "$DATA/$d.exp"
	done
}

# api_vs_pc_score FILE [METHOD]: pc-api csv and pc-score on FILE agree on
# the exit status, the output and the message (pc-score's after "-:")
api_vs_pc_score() {
	local in=$1 method=${2:-closed} st_api=0 st_score=0
	api csv "$method" < "$in" > "$BATS_TEST_TMPDIR/api.out" 2> "$BATS_TEST_TMPDIR/api.err" || st_api=$?
	pc-score -m "$method" < "$in" > "$BATS_TEST_TMPDIR/score.out" \
		2> "$BATS_TEST_TMPDIR/score.err" || st_score=$?
	sed 's/^pc-score: -://' "$BATS_TEST_TMPDIR/score.err" > "$BATS_TEST_TMPDIR/score.msg"
	if [ "$st_api" != "$st_score" ]; then
		echo "# $in: pc-api exit $st_api, pc-score exit $st_score" >&2
		return 1
	fi
	same_file "$BATS_TEST_TMPDIR/api.out" "$BATS_TEST_TMPDIR/score.out" &&
		same_file "$BATS_TEST_TMPDIR/api.err" "$BATS_TEST_TMPDIR/score.msg"
}

# ---- powercouples_row --------------------------------------------------------

@test "powercouples_row equals the oracle on 8,000 random rows of every profile, both methods" {
	local p seed=61
	for p in mixed small huge ties; do
		rows "$DATA/$p.rows" "$DATA/$p.rows.want" "$seed" "$p" 2000
		seed=$((seed + 1))
		for m in closed exhaustive; do
			api row "$m" < "$DATA/$p.rows" > "$BATS_TEST_TMPDIR/got"
			same_file "$BATS_TEST_TMPDIR/got" "$DATA/$p.rows.want"
		done
	done
}

@test "powercouples_row: rows of 2 to 2,000 values, both methods" {
	"$PYTHON3" - "$PC_SRCDIR/tests" "$BATS_TEST_TMPDIR" <<'EOF'
import random, sys
sys.path.insert(0, sys.argv[1])
import oracle
rnd = random.Random(62)
with open(sys.argv[2] + "/long.rows", "w") as rows, open(sys.argv[2] + "/long.want", "w") as want:
    for k in (2, 3, 17, 100, 500, 2000):
        for profile in ("mixed", "ties"):
            values = oracle.PROFILES[profile](rnd, k)
            rows.write(" ".join(map(str, values)) + "\n")
            want.write("%d,%d\n" % oracle.power_couple(values))
EOF
	api row closed < "$BATS_TEST_TMPDIR/long.rows" > "$BATS_TEST_TMPDIR/got"
	same_file "$BATS_TEST_TMPDIR/got" "$BATS_TEST_TMPDIR/long.want"
	api row exhaustive < "$BATS_TEST_TMPDIR/long.rows" > "$BATS_TEST_TMPDIR/got"
	same_file "$BATS_TEST_TMPDIR/got" "$BATS_TEST_TMPDIR/long.want"
}

@test "powercouples_row: fewer than two values is EINVAL" {
	run -2 api row <<< "5"
	assert_output "pc-api: Invalid argument"
}

# ---- powercouples_csv ----------------------------------------------------------

@test "powercouples_csv equals the oracle on 9,000 random rows (LF, CRLF, no final LF, BOM), both methods" {
	local d m
	for d in mixed small huge ties; do
		for m in closed exhaustive; do
			api csv "$m" < "$DATA/$d.csv" > "$BATS_TEST_TMPDIR/got"
			same_file "$BATS_TEST_TMPDIR/got" "$DATA/$d.exp"
		done
	done
}

@test "powercouples_csv: the specification's examples; no final line feed" {
	run api csv < <(printf 'Pedro,2,3,5,8\nJuan,4,9,4,7\nE,2,4\nF,4,2,2\nK,1,7,1\nB,0,0,5')
	assert_success
	assert_output "$(printf 'Pedro,2,3,5,8\nJuan,4,9,4,7\nE,2,4\nF,4,2,2\nK,1,7,1\nB,0,0,5' |
		oracle score)"
	assert_line --index 0 "Pedro,5,8"
}

@test "powercouples_csv: quoted names (comma, LF, doubled quote), quoted numbers, CRLF, blank lines" {
	local in="$BATS_TEST_TMPDIR/in.csv"
	printf '"Doe, J.",3,2\r\n\r\n"two\nlines",1,7\r\n"q""uote", "4" ,2\n\n"",5,5\r\n' > "$in"
	oracle score "$in" > "$BATS_TEST_TMPDIR/want"
	for m in closed exhaustive; do
		api csv "$m" < "$in" > "$BATS_TEST_TMPDIR/got"
		same_file "$BATS_TEST_TMPDIR/got" "$BATS_TEST_TMPDIR/want"
	done
	run api csv < "$in"
	assert_line --index 0 '"Doe, J.",3,2'
	assert_line --index 3 '"q""uote",4,2'
	api_vs_pc_score "$in"
}

@test "powercouples_csv: a bad row gives 1, the rows before it and LINE:COL: message" {
	local in="$BATS_TEST_TMPDIR/in.csv"
	printf 'a,1,2\n"b\nc",3,4\nd,5,zz,6\ne,1,2\n' > "$in"
	run --separate-stderr api csv < "$in"
	[ "$status" -eq 1 ]
	assert_output "$(printf 'a,1,2\n"b\nc",3,4\n' | oracle score)"
	[ "$stderr" = '4:5: not a number ("zz")' ]
	api_vs_pc_score "$in"
}

@test "powercouples_csv: every kind of bad row, as pc-score reports it (status, rows before, message)" {
	local seed m in="$BATS_TEST_TMPDIR/bad.csv"
	for seed in 71 72 73 74 75 76 77 78 79 80 81 82 83 84 85 86; do
		oracle gen --seed "$seed" --rows 200 --profile mixed --bad-rate 0.02 \
			$([ $((seed % 2)) = 0 ] && echo --crlf) \
			$([ $((seed % 3)) = 0 ] && echo --no-final-newline) > "$in"
		# the rows before the first bad one are the oracle's, too
		oracle score "$in" > "$BATS_TEST_TMPDIR/want" 2> /dev/null || true
		for m in closed exhaustive; do
			api_vs_pc_score "$in" "$m"
			same_file "$BATS_TEST_TMPDIR/api.out" "$BATS_TEST_TMPDIR/want"
		done
	done
}

@test "powercouples_csv: short rows, stray quotes, bare CRs, values past 2^64-1, as pc-score" {
	local in="$BATS_TEST_TMPDIR/in.csv" case
	for case in 'a,1\n' 'a\n' 'a,1,2\nb,18446744073709551616,1\n' 'a,"1,2\n' 'a,1,2\rb,3\n' \
		'a,1,2\r' 'x"y,1,2\n' 'a,-1,2\n' ',1,2\n' 'a,1,,2\n' 'a,1,2\n\x00,1,2\n' \
		'a,1 2,3\n' '"a"b,1,2\n' 'a,"",2\n' '\xef\xbb\xbfa,1,x\n'; do
		printf "$case" > "$in"
		api_vs_pc_score "$in"
	done
}

@test "powercouples_csv: a framing line (#pc:) is a bad row of its own, after the rows before it" {
	run --separate-stderr api csv < <(printf 'a,1,2\n#pc:chunk v=1 id=0123456789abcdef index=1\nb,1,2\n')
	[ "$status" -eq 1 ]
	assert_output "a,2,1"
	[[ "$stderr" == "2:1: a framing line (#pc:...): "* ]]
	# a name that starts with #pc: is no framing line, nor is a line inside quotes
	printf '#pc:x,1,2\n"a\n#pc:y",3,4\n' > "$BATS_TEST_TMPDIR/in.csv"
	run api csv < "$BATS_TEST_TMPDIR/in.csv"
	assert_success
	assert_output "$(oracle score "$BATS_TEST_TMPDIR/in.csv")"
}

# ---- the shared library itself -------------------------------------------------

@test "libpowercouples.so exports exactly the functions of powercouples.h" {
	local header="$PC_SRCDIR/include/powercouples.h"
	nm -D --defined-only "$SO" | awk '{ print $3 }' | sort > "$BATS_TEST_TMPDIR/exported"
	sed -n 's/^[a-z].* \**\(powercouples_[a-z_]*\)(.*/\1/p' "$header" | sort > "$BATS_TEST_TMPDIR/declared"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/declared")" -eq 4 ]
	same_file "$BATS_TEST_TMPDIR/exported" "$BATS_TEST_TMPDIR/declared"
	# the internal symbols are there, but hidden
	nm "$SO" | grep -q ' pc_score_block$'
}

@test "libpowercouples.so has the soname libpowercouples.so.0; its version is the package's" {
	run readelf -d "$SO"
	assert_output --partial "Library soname: [libpowercouples.so.0]"
	run api version
	assert_output "$(pc-score --version | head -n 1 | awk '{ print $NF }')"
}
