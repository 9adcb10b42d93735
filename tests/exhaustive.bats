#!/usr/bin/env bats
# The exhaustive method on each of its code paths (PC_SIMD=scalar, avx2,
# avx512): against the oracle (tests/oracle.py) on random rows of every
# profile and on hand-made rows of ties, 0s, 1s, duplicates and perfect
# powers, and against the closed form on near-equal huge values and on
# long rows of small values.  A path the processor lacks must be refused.
bats_require_minimum_version 1.5.0
load test_helper/common

setup_file() {
	load test_helper/common
	export DATA="$BATS_FILE_TMPDIR"
	oracle gen --seed 31 --rows 3000 --profile mixed > "$DATA/mixed.csv"
	oracle gen --seed 32 --rows 1500 --profile huge > "$DATA/huge.csv"
	oracle gen --seed 33 --rows 1500 --profile ties > "$DATA/ties.csv"
	oracle gen --seed 34 --rows 1500 --profile small > "$DATA/small.csv"
	# ties on the way to the best and at it, 0s and 1s, duplicates, and
	# powers of one another: 2^32 = 4^16 = 16^8 = 256^4, 3^40 = 9^20
	cat > "$DATA/hand.csv" <<'ROWS'
a,2,4
b,4,2
c,0,2,1,4,2
d,1,0,0,1
e,0,0,0
f,1,1,1
g,2,32,4,16,16,8,256,4
h,3,40,9,20,81,10,12157665459056928801,3486784401
i,4294967296,4294967296,65536,2,32,4,16
j,18446744073709551615,18446744073709551614,18446744073709551615
k,18446744073709551614,18446744073709551615,0,1,2,4
l,4611686018427387904,31,2147483648,62,2,64
m,1,1,0,2,4,4,2
n,5,0,0,0,0,1
ROWS
	for d in mixed huge ties small hand; do
		oracle score "$DATA/$d.csv" > "$DATA/$d.exp"
	done
	# near-equal huge values (all within 1000 of 2^64), and long rows of
	# values below 100: the closed form (held to the oracle elsewhere)
	pc-gen -r 60 -c 250 -s 3 --min 18446744073709550616 -m 18446744073709551616 -o "$DATA/near.csv"
	pc-gen -r 200 -c 400 -s 4 -o "$DATA/long.csv"
	for d in near long; do
		pc-score "$DATA/$d.csv" > "$DATA/$d.exp"
	done
}

# check_path NAME: the exhaustive method on that path, every data set;
# or, on a processor without it, the refusal
check_path() {
	local p=$1 d
	if ! has_path "$p"; then
		PC_SIMD=$p run --separate-stderr pc-score -m exhaustive "$DATA/hand.csv"
		[ "$status" -eq 2 ] || fail "PC_SIMD=$p: status $status on a processor without it"
		[ "$stderr" = "pc-score: PC_SIMD=$p: this processor does not run it" ] || fail "stderr: $stderr"
		[ -z "$output" ]
		return
	fi
	for d in hand mixed huge ties small near long; do
		PC_SIMD=$p pc-score -m exhaustive "$DATA/$d.csv" > "$BATS_TEST_TMPDIR/out" ||
			fail "PC_SIMD=$p pc-score -m exhaustive failed on $d.csv"
		same_file "$BATS_TEST_TMPDIR/out" "$DATA/$d.exp" || fail "PC_SIMD=$p differs on $d.csv"
	done
	# the threads back end takes the same path
	PC_SIMD=$p pc-threads -j 2 -m exhaustive "$DATA/near.csv" > "$BATS_TEST_TMPDIR/out"
	same_file "$BATS_TEST_TMPDIR/out" "$DATA/near.exp"
}

@test "exhaustive method, PC_SIMD=scalar: equal to the oracle and the closed form" {
	check_path scalar
}

@test "exhaustive method, PC_SIMD=avx2: equal to the oracle and the closed form" {
	check_path avx2
}

@test "exhaustive method, PC_SIMD=avx512: equal to the oracle and the closed form" {
	check_path avx512
}

@test "exhaustive method: PC_SIMD unset, empty or auto takes a path that gives the same" {
	for v in unset "" auto; do
		if [ "$v" = unset ]; then
			env -u PC_SIMD pc-score -m exhaustive "$DATA/hand.csv" > "$BATS_TEST_TMPDIR/out"
		else
			PC_SIMD=$v pc-score -m exhaustive "$DATA/hand.csv" > "$BATS_TEST_TMPDIR/out"
		fi
		same_file "$BATS_TEST_TMPDIR/out" "$DATA/hand.exp" || fail "PC_SIMD=$v differs"
	done
}

@test "PC_SIMD: an unknown path is a usage error (status 2), before any output" {
	for v in sse3 AVX2 "avx512 "; do
		PC_SIMD=$v run --separate-stderr pc-score -m exhaustive "$DATA/hand.csv"
		[ "$status" -eq 2 ] || fail "PC_SIMD='$v': status $status"
		[ "$stderr" = "pc-score: PC_SIMD=$v: not a path (scalar, sse2, avx2, avx512 or auto)" ] ||
			fail "PC_SIMD='$v': stderr: $stderr"
		[ -z "$output" ]
	done
}
