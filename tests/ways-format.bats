#!/usr/bin/env bats
# tests/ways.bats again, in the other input formats of 0.2: every corpus
# case with a header line and ';' between fields (--header -t ';'), and
# with TAB between fields (-t '\t'), through every way of running, as
# pc-score (the TAB through every way but mpirun: the ranks get the
# delimiter in each block, the same for ';' and TAB, and mpirun's way is
# the dearest); and pc-score's rows as the oracle's, which implements --header
# and --delimiter on its own (WAYS_FORMAT in tests/test_helper/ways.bash
# says how the inputs are rewritten).
bats_require_minimum_version 1.5.0
load test_helper/common
load test_helper/ways

setup() {
	cd "$BATS_TEST_TMPDIR"
}

@test "the formats rewrite the inputs as they say, and give the options" {
	printf 'a;b,"c\td",1,2\n' > in.csv
	WAYS_FORMAT="header semicolon" ways_format in.csv
	printf 'name,v1,v2\na,b;"c\td";1;2\n' | cmp - in.csv
	printf 'a\tb,1\n' > in2.csv
	WAYS_FORMAT=tab ways_format in2.csv
	printf 'a,b\t1\n' | cmp - in2.csv
	run -0 env WAYS_FORMAT="header tab" bash -c '. "$1"; ways_format_opts' x "$WAYS_HELPER"
	[ "$output" = $'--header\n-t\n\\t' ]
}

@test "--header -t ';': every corpus case, pc-score -B 1, 2, 3, 7, 64, 4096 as pc-score" {
	WAYS_FORMAT="header semicolon" ways_check_all score "$BATS_TEST_TMPDIR/w"
}

@test "--header -t ';': every corpus case, pc-threads -j 1, 2, 3 -B 7 and 64 as pc-score" {
	WAYS_FORMAT="header semicolon" ways_check_all threads "$BATS_TEST_TMPDIR/w"
}

@test "--header -t ';': every corpus case, mpirun -n 1, 2, 3 pc-mpirun as pc-score" {
	ways_have_mpi || fail "mpirun or pc-mpirun is absent (configure found no MPI)"
	WAYS_FORMAT="header semicolon" ways_check_all mpirun "$BATS_TEST_TMPDIR/w"
}

@test "--header -t ';': every single-file case, pc-split | parallel pc-score | pc-merge as pc-score" {
	WAYS_FORMAT="header semicolon" ways_check_all pipeline "$BATS_TEST_TMPDIR/w"
}

@test "--header -t ';': every corpus case, pc-score's rows, status and bad rows as the oracle's" {
	WAYS_FORMAT="header semicolon" ways_check_all oracle "$BATS_TEST_TMPDIR/w"
}

@test "-t '\\t': every corpus case, pc-score -B 1 to 4096 as pc-score" {
	WAYS_FORMAT=tab ways_check_all score "$BATS_TEST_TMPDIR/w"
}

@test "-t '\\t': every corpus case, pc-threads -j 1, 2, 3 as pc-score" {
	WAYS_FORMAT=tab ways_check_all threads "$BATS_TEST_TMPDIR/w"
}

@test "-t '\\t': every single-file case, pc-split | parallel pc-score | pc-merge as pc-score" {
	WAYS_FORMAT=tab ways_check_all pipeline "$BATS_TEST_TMPDIR/w"
}

@test "-t '\\t': every corpus case, pc-score's rows, status and bad rows as the oracle's" {
	WAYS_FORMAT=tab ways_check_all oracle "$BATS_TEST_TMPDIR/w"
}
