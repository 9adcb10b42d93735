#!/usr/bin/env bats
# examples/demo.sh (make demo): the rule rows of examples/demo.csv printed
# beside the oracle's answers with a line of explanation each, and every way
# of running compared byte for byte, on a tiny size; from the build tree, via
# make demo, and installed.
bats_require_minimum_version 1.5.0
load test_helper/common
# What this suite runs launches mpirun: under --enable-sanitizers,
# LeakSanitizer reports Open MPI's own allocations at exit (as in
# mpi_launch); pc-score's and pc-threads' suites leak-check our code.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"

DEMO_SIZE=(-r 300 -x 60 -c 30 -j 2)

setup_file() {
	export RULES=$PC_SRCDIR/examples/demo.csv
	export DEMO=$PC_SRCDIR/examples/demo.sh
	export WORK=$BATS_FILE_TMPDIR/work
	local rc=0
	bash "$DEMO" "${DEMO_SIZE[@]}" --workdir "$WORK" > "$BATS_FILE_TMPDIR/demo.out" 2>&1 || rc=$?
	echo "$rc" > "$BATS_FILE_TMPDIR/demo.rc"
	oracle score "$RULES" > "$BATS_FILE_TMPDIR/rules.oracle"
}

setup() {
	cd "$BATS_TEST_TMPDIR"
	OUT=$BATS_FILE_TMPDIR/demo.out
}

# rule_lines: the demo's lines "   INPUT  ->  OUTPUT", as INPUT<TAB>OUTPUT,
# the padding after INPUT removed
rule_lines() {
	sed -n 's/^   \(.*[^ ]\) *  ->  \(.*\)$/\1\t\2/p' "$OUT"
}

@test "the demo succeeds and ends saying that all outputs are the same" {
	[ "$(cat "$BATS_FILE_TMPDIR/demo.rc")" -eq 0 ] || { cat "$OUT" >&2; false; }
	run tail -n 1 "$OUT"
	assert_output "All the outputs of each input are byte-identical."
}

@test "demo.csv holds rows only (no header, no comment): the oracle scores every line" {
	run oracle score "$RULES"
	assert_success
	[ "${#lines[@]}" -eq "$(wc -l < "$RULES")" ]
	[ "$(sort "$RULES" | uniq -d)" = "" ] || fail "a row appears twice"
}

@test "each rule row is printed beside its answer, and the answers are the oracle's" {
	rule_lines | cut -f 1 > inputs
	rule_lines | cut -f 2 > outputs
	same_file inputs "$RULES"
	same_file outputs "$BATS_FILE_TMPDIR/rules.oracle"
}

@test "each rule row is followed by one line saying why" {
	local n=0 expect_why=0 line
	while IFS= read -r line; do
		if [[ $line =~ ^"   ".*"  ->  " ]]; then
			[ "$expect_why" -eq 0 ] || fail "no explanation before: $line"
			expect_why=1 n=$((n + 1))
		elif [ "$expect_why" -eq 1 ]; then
			[[ $line =~ ^"        "[^\ ].{20,} ]] || fail "not an explanation: '$line'"
			expect_why=0
		fi
	done < "$OUT"
	[ "$expect_why" -eq 0 ]
	[ "$n" -eq "$(wc -l < "$RULES")" ]
}

@test "the rule rows show the rules of the issue (by the oracle's answers)" {
	local o=$BATS_FILE_TMPDIR/rules.oracle
	# the 2 and 4 tie, won by whichever comes first
	grep -q ',2,4$' "$o"
	grep -q ',4,2$' "$o"
	paste -d '\t' "$RULES" "$o" | grep -qE '^[^,]*,2,4	.*,2,4$'
	paste -d '\t' "$RULES" "$o" | grep -qE '^[^,]*,4,2(,[0-9]+)*	.*,4,2$'
	# 3^2 beats 2^3, though the 2 comes first
	paste -d '\t' "$RULES" "$o" | grep -qE '^[^,]*,2,3	.*,3,2$'
	# rows of 0s and 1s only, answered by the first pair worth 1
	grep -qE '^[^,]*(,0)+$' "$RULES"
	grep -qE '^[^,]*(,1)+$' "$RULES"
	grep -qE '^[^,]*,(0|1)(,(0|1))*$' "$o"
	# values near 2^64, in both places of the answer
	grep -qE ',18446744073709551[0-9]{3},18446744073709551[0-9]{3}$' "$o"
	# a quoted name with a comma, written back as it came
	grep -qE '^"[^"]*,[^"]*",' "$o"
}

@test "both inputs are scored every way, and each output is compared with pc-score's" {
	local m way
	for m in closed exhaustive; do
		grep -q "^   pc-score -m $m " "$OUT"
		grep -q "^   pc-threads -j 2 -m $m " "$OUT"
		grep -q "^   pc-split -n 4 | parallel -j 2 pc-score -m $m | pc-merge " "$OUT"
	done
	for way in pc-threads pipeline; do
		[ "$(grep -c "^   cmp: $way wrote the same bytes as pc-score" "$OUT")" -eq 2 ]
	done
	if mpi_have; then
		[ "$(grep -c "^   cmp: pc-mpirun wrote the same bytes as pc-score" "$OUT")" -eq 2 ]
		grep -qE '^   [^ ]*mpirun.* -n 2 pc-mpirun -m exhaustive ' "$OUT"
	else
		grep -q "no MPI run" "$OUT"
	fi
	grep -q "^   cmp: the closed form gives the same answers" "$OUT"
	# what was compared is right, too
	oracle score "$WORK/big.csv" > big.oracle
	same_file "$WORK/closed.pc-score" big.oracle
	oracle score "$WORK/exhaustive.csv" > ex.oracle
	same_file "$WORK/exhaustive.pc-score" ex.oracle
	[ "$(wc -l < big.oracle)" -eq 300 ]
}

@test "a way that writes other bytes makes the demo fail, naming it" {
	mkdir fake
	local real
	real=$(command -v pc-threads)
	printf '#!/bin/sh\n"%s" "$@" | sed "\\$s/,[0-9]*$/,999999/"\n' "$real" > fake/pc-threads
	chmod +x fake/pc-threads
	PATH=$PWD/fake:$PATH run bash "$DEMO" "${DEMO_SIZE[@]}"
	assert_failure 1
	assert_output --partial "cmp: pc-threads DIFFERS from pc-score"
	refute_output --partial "All the outputs of each input are byte-identical."
}

@test "a way that fails stops the demo with status 2" {
	mkdir fake
	printf '#!/bin/sh\nexit 2\n' > fake/pc-merge
	chmod +x fake/pc-merge
	PATH=$PWD/fake:$PATH run bash "$DEMO" "${DEMO_SIZE[@]}"
	assert_failure 2
	assert_output --partial "demo: 'pc-split -n 4 | parallel -j 2 pc-score -m closed | pc-merge' failed"
}

@test "bad options are usage errors" {
	run bash "$DEMO" -r 0
	assert_failure 2
	assert_output "demo: '0' is not a positive whole number"
	run bash "$DEMO" --rows 5
	assert_failure 2
	assert_output --partial "unknown option '--rows'"
	run bash "$DEMO" -c 1
	assert_failure 2
	run bash "$DEMO" -x
	assert_failure 2
	assert_output "demo: option '-x' needs a value"
}

@test "make demo runs the script with the build tree's programs" {
	run env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
		make -s -C "$PC_BUILDDIR" demo DEMO_FLAGS="${DEMO_SIZE[*]}"
	assert_success
	assert_line --index 0 --partial "powercouples demo, with $PC_BUILDDIR/pc-score/pc-score "
	assert_line "All the outputs of each input are byte-identical."
}

@test "installed, the demo finds its demo.csv and runs with the installed programs" {
	local dest=$BATS_TEST_TMPDIR/dest
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
		make -s -C "$PC_BUILDDIR" install DESTDIR="$dest" prefix=/usr/local > install.log 2>&1 ||
		{ cat install.log >&2; false; }
	local ex=$dest/usr/local/share/doc/powercouples/examples
	[ -x "$ex/demo.sh" ]
	cmp "$ex/demo.csv" "$RULES"
	PATH=$dest/usr/local/bin:/usr/local/bin:/usr/bin:/bin run "$ex/demo.sh" "${DEMO_SIZE[@]}"
	assert_success
	assert_line --index 0 --partial "powercouples demo, with $dest/usr/local/bin/pc-score "
	assert_line --partial "== 1. The rules, one row each: $ex/demo.csv"
	assert_line "All the outputs of each input are byte-identical."
}
