#!/usr/bin/env bats
# The Python examples (examples/python): each script on small inputs, its
# output against the oracle and pc-score, byte for byte; bad rows, missing
# files, standard input, several files, --help.  No timing is asserted.
bats_require_minimum_version 1.5.0
load test_helper/common

EX=$PC_SRCDIR/examples/python

setup_file() {
	cd "$BATS_FILE_TMPDIR"
	# the edge rows: every tie rule of powercouples(7), 3^2 against 2^3,
	# rows of 0s and 1s, values at and near 2^64
	cat > edge.csv <<-'EOF'
	E,2,4
	F,4,2,2
	U,4,1,2,2,4
	J,3,2
	J2,2,3
	T,2,18446744073709551615,4
	K,1,7,1
	H,1,1
	A,1,0,1
	B,0,0,5
	C,5,0,0
	D,0,5
	G,0,1
	I,0,0
	Z,0,0,0,0
	O,1,1,1,0
	P,0,1,1
	N,9,9,1
	Pedro,2,3,5,8
	M,18446744073709551615,18446744073709551614
	M2,18446744073709551614,18446744073709551615,2
	M3,18446744073709551615,18446744073709551615
	M4,18446744073709551613,3,18446744073709551612
	EOF
	pc-gen -r 30 -c 9 -s 11 > gen.csv
	pc-gen -r 30 -c 5 -m 18446744073709551616 -s 12 >> gen.csv
	pc-gen -r 20 -c 7 -m 5 -s 13 >> gen.csv
	# the oracle's draw: quoted names with commas, quotes, CR and LF,
	# padded and quoted numbers, near-ties of huge powers, CRLF, a BOM
	oracle gen --seed py1 --rows 150 > mixed.csv
	oracle gen --seed py2 --rows 150 --profile ties --crlf --bom --no-final-newline > ties.csv
	oracle gen --seed py3 --rows 60 --profile huge > huge.csv
	for f in edge gen mixed ties huge; do
		oracle score "$f.csv" > "$f.want"
		pc-score "$f.csv" | cmp - "$f.want"
	done
	# a bad row between good ones: the rows before it, its message, status 1
	printf 'a,1,2\n"b, ""c""",3,4\nbad,1,x\nz,5,6\n' > bad.csv
}

setup() {
	cd "$BATS_FILE_TMPDIR"
	export PYTHONDONTWRITEBYTECODE=1 # nothing written next to the scripts
	export PC_LIBPOWERCOUPLES=$PC_BUILDDIR/lib/.libs/libpowercouples.so.0
	[ -e "$PC_LIBPOWERCOUPLES" ] || fail "no $PC_LIBPOWERCOUPLES: is the library built?"
	# a library built with AddressSanitizer loads into Python only with the
	# ASan runtime preloaded (and Python's own allocations not leak-checked)
	local asan
	asan=$(ldd "$PC_LIBPOWERCOUPLES" | awk '/libasan/ { print $3 }')
	if [ -n "$asan" ]; then
		export PC_PY_PRELOAD=$asan
		export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
	fi
}

# py SCRIPT ARGS...: run an example with the tests' Python
py() {
	local script=$1
	shift
	LD_PRELOAD=${PC_PY_PRELOAD:-} "$PYTHON3" "$EX/$script" "$@"
}

# mpi_python: a Python 3 that has mpi4py (Debian's python3-mpi4py is for
# /usr/bin/python3, which need not be the first python3 on PATH)
mpi_python() {
	local p
	for p in "$PYTHON3" /usr/bin/python3; do
		if "$p" -c 'import mpi4py' 2> /dev/null; then
			echo "$p"
			return 0
		fi
	done
	fail "no python3 with mpi4py (./bootstrap --install-deps installs python3-mpi4py)"
}

# same_as_oracle CMD...: CMD FILE gives the oracle's bytes for every input
same_as_oracle() {
	local f
	for f in edge gen mixed ties huge; do
		"$@" "$f.csv" > "$BATS_TEST_TMPDIR/$f.got" ||
			fail "$* $f.csv: exit status $?"
		same_file "$BATS_TEST_TMPDIR/$f.got" "$f.want" || fail "$* $f.csv"
	done
}

# bad_as_pc_score PROG CMD...: on bad.csv, CMD writes pc-score's rows,
# exits 1, and prints pc-score's message under the name PROG
bad_as_pc_score() {
	local prog=$1
	shift
	pc-score bad.csv > "$BATS_TEST_TMPDIR/bad.want" 2> "$BATS_TEST_TMPDIR/bad.msg" || true
	run --separate-stderr "$@" bad.csv
	[ "$status" -eq 1 ] || fail "exit status $status, not 1"
	[ "$output" = "$(cat "$BATS_TEST_TMPDIR/bad.want")" ] || fail "rows: $output"
	assert_equal "$(head -n 1 <<< "$stderr")" "$(sed "s/^pc-score:/$prog:/" "$BATS_TEST_TMPDIR/bad.msg")"
	# the message is pc-score's own wording
	assert_equal "$(cat "$BATS_TEST_TMPDIR/bad.msg")" 'pc-score: bad.csv:3:7: not a number ("x")'
}

@test "pc_pure.py: the closed form and every pair give the oracle's bytes" {
	same_as_oracle py pc_pure.py
	same_as_oracle py pc_pure.py --method=exhaustive
}

@test "pc_pure.py: standard input, - and several files are one stream" {
	py pc_pure.py < edge.csv | cmp - edge.want
	cat gen.csv | py pc_pure.py -m exhaustive - | cmp - gen.want
	py pc_pure.py edge.csv ties.csv gen.csv | cmp - <(cat edge.want ties.want gen.want)
}

@test "pc_pure.py: a bad row, a missing file, a directory, a bad option" {
	bad_as_pc_score pc_pure.py py pc_pure.py
	run --separate-stderr py pc_pure.py edge.csv no-such.csv
	[ "$status" -eq 2 ]
	assert_equal "$output" "$(cat edge.want)"
	assert_equal "$stderr" "pc_pure.py: cannot open 'no-such.csv': No such file or directory"
	run --separate-stderr py pc_pure.py .
	[ "$status" -eq 2 ]
	assert_equal "$stderr" "pc_pure.py: read error on '.': Is a directory"
	run -2 py pc_pure.py --method=fast edge.csv
}

@test "the reader: pc-score's messages for every kind of bad row the oracle draws" {
	local seed n=0
	for seed in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		oracle gen --seed "bad$seed" --rows 5 --bad-rate 0.6 $([ $((seed % 2)) = 0 ] && echo --crlf) > b.csv
		pc-score b.csv > b.want 2> b.msg && continue
		n=$((n + 1))
		run --separate-stderr py pc_pure.py b.csv
		[ "$status" -eq 1 ] || fail "seed $seed: exit status $status"
		[ "$output" = "$(cat b.want)" ] || fail "seed $seed: rows differ"
		assert_equal "$stderr" "$(sed 's/^pc-score:/pc_pure.py:/' b.msg)"
	done
	[ "$n" -ge 10 ] || fail "only $n inputs with a bad row"
}

@test "compare_powers agrees with the oracle's comparison, near-ties included" {
	PYTHONPATH=$EX:$PC_SRCDIR/tests "$PYTHON3" -c '
import random, oracle, powercouples_common as pc
rnd = random.Random(5)
quads = list(oracle.NEAR_TIES)
for _ in range(3000):
    pick = lambda: rnd.choice((0, 1, 2, 3, 4, rnd.getrandbits(rnd.randint(1, 64))))
    quads.append((pick(), pick(), pick(), pick()))
bad = [q for q in quads if pc.compare_powers(*q) != oracle.cmp_pow(*q)]
assert len(quads) > 3000 and not bad, bad[:5]
assert sum(pc.compare_powers(*q) == 0 for q in oracle.NEAR_TIES) >= 10
'
}

@test "pc_ctypes.py: powercouples_csv and powercouples_row give the oracle's bytes" {
	same_as_oracle py pc_ctypes.py
	same_as_oracle py pc_ctypes.py --via=row
	same_as_oracle py pc_ctypes.py --via=csv -m exhaustive
	same_as_oracle py pc_ctypes.py --via=row -m exhaustive
	py pc_ctypes.py < edge.csv | cmp - edge.want
	py pc_ctypes.py edge.csv - ties.csv < gen.csv | cmp - <(cat edge.want gen.want ties.want)
}

@test "pc_ctypes.py: bad rows as pc-score reports them; no library, status 2" {
	bad_as_pc_score pc_ctypes.py py pc_ctypes.py
	bad_as_pc_score pc_ctypes.py py pc_ctypes.py --via=row
	run -2 py pc_ctypes.py no-such.csv
	PC_LIBPOWERCOUPLES=$BATS_TEST_TMPDIR/none.so run --separate-stderr py pc_ctypes.py edge.csv
	[ "$status" -eq 2 ]
	[[ $stderr == "pc_ctypes.py: cannot load the C library ("*"set PC_LIBPOWERCOUPLES"* ]]
}

@test "pc_pool.py: a Pool of processes gives the oracle's bytes, in order" {
	same_as_oracle py pc_pool.py -j 3 --batch 4
	same_as_oracle py pc_pool.py -j 2 --batch 1 -m exhaustive
	py pc_pool.py -j 1 < mixed.csv | cmp - mixed.want
	bad_as_pc_score pc_pool.py py pc_pool.py -j 2 --batch 1
	run -2 py pc_pool.py -j 0 edge.csv
}

@test "pc_threads.py: Python threads and threads calling C give the oracle's bytes" {
	same_as_oracle py pc_threads.py -j 3
	same_as_oracle py pc_threads.py -j 3 -m exhaustive
	same_as_oracle py pc_threads.py -j 3 --kernel=c
	same_as_oracle py pc_threads.py -j 2 --kernel=c -m exhaustive
	bad_as_pc_score pc_threads.py py pc_threads.py -j 2 --kernel=c
}

@test "pc_threads.py --timings: the rows, and a line of seconds per kernel" {
	run --separate-stderr py pc_threads.py -j 2 --timings -m exhaustive edge.csv
	assert_success
	assert_equal "$output" "$(cat edge.want)"
	# the figures are not checked (they depend on the machine), their shape is
	local re=': (python|c) kernel, exhaustive method, 23 rows: 1 thread [0-9.]+ s, 2 threads [0-9.]+ s: speed-up [0-9.]+$'
	[ "$(grep -cE "^pc_threads.py$re" <<< "$stderr")" -eq 2 ] || fail "stderr: $stderr"
}

@test "pc_mpi.py: scattered to ranks and gathered, the oracle's bytes" {
	local mpy
	mpy=$(mpi_python)
	[ "${MPIRUN:-no}" != no ] || fail "no MPI launcher (MPIRUN)"
	local f
	for f in edge gen mixed ties huge; do
		mpi_launch 3 "$mpy" "$EX/pc_mpi.py" "$f.csv" > "$BATS_TEST_TMPDIR/$f.got"
		same_file "$BATS_TEST_TMPDIR/$f.got" "$f.want"
	done
	mpi_launch 2 "$mpy" "$EX/pc_mpi.py" -m exhaustive < huge.csv | cmp - huge.want
	# more ranks than rows: some ranks score nothing
	printf 'a,1,2\n' | mpi_launch 4 "$mpy" "$EX/pc_mpi.py" | cmp - <(echo a,2,1)
	# one rank, without mpirun
	"$mpy" "$EX/pc_mpi.py" edge.csv | cmp - edge.want
}

@test "pc_mpi.py: a bad row ends the job with status 1 after the rows before it" {
	local mpy
	mpy=$(mpi_python)
	pc-score bad.csv > "$BATS_TEST_TMPDIR/bad.want" 2> "$BATS_TEST_TMPDIR/bad.msg" || true
	run --separate-stderr mpi_launch 3 "$mpy" "$EX/pc_mpi.py" bad.csv
	[ "$status" -eq 1 ] || fail "exit status $status"
	assert_equal "$output" "$(cat "$BATS_TEST_TMPDIR/bad.want")"
	# the launcher adds its own lines about the status; ours is there once
	[ "$(grep -cxF "$(sed 's/^pc-score:/pc_mpi.py:/' "$BATS_TEST_TMPDIR/bad.msg")" <<< "$stderr")" -eq 1 ]
}

@test "every script: --help names its options and the input it takes" {
	local s
	for s in pc_pure.py pc_ctypes.py pc_pool.py pc_threads.py pc_mpi.py; do
		run py "$s" --help
		assert_success
		assert_line --partial "usage: $s"
		assert_output --partial "--method"
		# the grammar it reads, however argparse wraps the lines
		[[ $(tr -s ' \n' '  ' <<< "$output") == *"Input"*"read until the first bad row"* ]] ||
			fail "$s --help does not say what it reads"
	done
	run py pc_threads.py --help
	assert_output --partial "--timings"
}
