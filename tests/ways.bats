#!/usr/bin/env bats
# Every way of scoring gives pc-score's bytes, messages and exit status on
# every edge case of tests/corpus/, with --on-error=fail and =skip, and
# pc-score gives the exact oracle's rows and finds its bad rows.  Each test
# runs the whole corpus through one way and lists every disagreement, not
# just the first (tests/test_helper/ways.bash has the harness and the rules).
bats_require_minimum_version 1.5.0
load test_helper/common
load test_helper/ways

setup() {
	cd "$BATS_TEST_TMPDIR"
}

@test "the corpus: at least 100 cases, each list names inputs, local.mk ships them all" {
	local n
	n=$(ways_cases | wc -l)
	[ "$n" -ge 100 ] || fail "only $n cases in $WAYS_CORPUS"
	[ "$(ways_cases | grep -c '\.list$')" -ge 6 ] || fail "fewer than 6 multi-file cases"
	local list f
	for list in "$WAYS_CORPUS"/*.list; do
		[ -n "$(ways_inputs "${list##*/}")" ] || fail "${list##*/} names no input"
		while IFS= read -r f; do
			[ -e "$WAYS_CORPUS/$f" ] || [[ $f == does-not-exist* ]] ||
				fail "${list##*/} names $f, which is neither a corpus file nor does-not-exist*"
		done < <(ways_inputs "${list##*/}")
	done
	# every corpus file is in local.mk, so that make dist ships it
	run diff <(cd "$WAYS_CORPUS" && ls | grep -vx local.mk | LC_ALL=C sort) \
		<(grep -v '^#' "$WAYS_CORPUS/local.mk" | grep -o 'tests/corpus/[^ \\]*' | sed 's|^tests/corpus/||' | LC_ALL=C sort)
	[ "$status" -eq 0 ] ||
		fail "tests/corpus/local.mk does not list the corpus (run tests/corpus/make-corpus.sh): $output"
}

@test "the corpus: make-corpus.sh makes it again byte for byte" {
	mkdir regen
	sh "$WAYS_CORPUS/make-corpus.sh" regen
	cp "$WAYS_CORPUS/make-corpus.sh" regen/
	run diff -r "$WAYS_CORPUS" regen
	[ "$status" -eq 0 ] || fail "the corpus is not what make-corpus.sh makes: $output"
}

@test "the corpus: exactly the frame-* cases hold a framing line at a row start" {
	local f name
	for f in "$WAYS_CORPUS"/*.csv; do
		name=${f##*/}
		# quote parity decides whether a line starts a row
		if LC_ALL=C awk '
			BEGIN { even = 1 }
			even && /^#pc:/ && !/,/ { found = 1 }
			{ if (gsub(/"/, "\"") % 2) even = !even }
			END { exit !found }' "$f"; then
			[[ $name == frame-* ]] || fail "$name holds a framing line but is not named frame-*"
		else
			[[ $name != frame-* ]] || fail "$name is named frame-* but holds no framing line"
		fi
	done
}

@test "every corpus case: pc-score -B 1, 2, 3, 7, 64, 4096 as pc-score" {
	ways_check_all score "$BATS_TEST_TMPDIR/w"
}

@test "every corpus case: pc-threads -j 1, 2, 3 with -B 7 and -B 64 as pc-score" {
	command -v pc-threads > /dev/null || skip "pc-threads is not built"
	ways_check_all threads "$BATS_TEST_TMPDIR/w"
}

@test "every corpus case: mpirun -n 1, 2, 3 pc-mpirun -B 64 and -n 2 -B 7 as pc-score" {
	ways_have_mpi || skip "mpirun or pc-mpirun is absent (configure found no MPI)"
	ways_check_all mpirun "$BATS_TEST_TMPDIR/w"
}

@test "every single-file corpus case but frame-*: pc-split | parallel pc-score | pc-merge as pc-score" {
	command -v parallel > /dev/null || skip "GNU Parallel is not installed"
	ways_check_all pipeline "$BATS_TEST_TMPDIR/w"
}

@test "every corpus case but frame-* and missing files: pc-score's rows, status and bad rows as the oracle's" {
	ways_have_oracle_options ||
		skip "tests/oracle.py score has no --on-error and --bad-rows options yet"
	ways_check_all oracle "$BATS_TEST_TMPDIR/w"
}

@test "the harness's filters: mpirun's own notices, the pipeline's summaries" {
	local box='--------------------------------------------------------------------------'
	run ways_strip_mpirun <<- EOF
		pc-mpirun: in/a.csv:2:3: not a number ("x")
		$box
		Primary job  terminated normally, but 1 process returned
		a non-zero exit code. Per user-direction, the job has been aborted.
		$box
		$box
		mpirun detected that one or more processes exited with non-zero status, thus causing
		the job to be terminated. The first process to do so was:

		  Process name: [[15577,1],0]
		  Exit code:    1
		$box
		[warn] Epoll MOD(1) on fd 27 failed. Old events were 6; read change was 0 (none); write change was 2 (del); close change was 0 (none): Bad file descriptor
		$box
		mpirun noticed that process rank 1 with PID 0 on node vm exited on signal 11 (Segmentation fault).
		$box
	EOF
	assert_success
	assert_output "pc-mpirun: in/a.csv:2:3: not a number (\"x\")
$box
mpirun noticed that process rank 1 with PID 0 on node vm exited on signal 11 (Segmentation fault).
$box"
	run _ways_perr <<- 'EOF'
		pc-score: skipped 0 bad rows of 1
		pc-score: in/a.csv:2:3: not a number ("x")
		pc-score: skipped 1 bad row of 1
		parallel: This job failed:
		pc-score --on-error=fail chunks-fail/a.00002.csv
		pc-score: cannot open 'chunks-fail/a.00003.csv': No such file or directory
	EOF
	assert_output "pc-score: in/a.csv:2:3: not a number (\"x\")
pc-score: cannot open 'chunks-fail/a.00003.csv': No such file or directory"
	run ways_norm <<< $'pc-threads: x\npc-mpirun: y\npc-merge: z\npc-split: w\npc-scorer: v\n pc-score: u'
	assert_output $'PROG: x\nPROG: y\nPROG: z\nPROG: w\npc-scorer: v\n pc-score: u'
}

# fake_pc_threads BODY: $BATS_TEST_TMPDIR/fake/pc-threads, a bash script
# that runs BODY with $real, the real pc-threads, and $score, pc-score (both
# found before the fake directory goes first on PATH, so the fake never calls
# itself).
fake_pc_threads() {
	local real score
	real=$(PATH=${PATH#"$BATS_TEST_TMPDIR/fake:"}; command -v pc-threads)
	score=$(PATH=${PATH#"$BATS_TEST_TMPDIR/fake:"}; command -v pc-score)
	[[ -n $real && -n $score && $real != "$BATS_TEST_TMPDIR/fake/"* ]] ||
		fail "the real pc-threads and pc-score are not found"
	mkdir -p "$BATS_TEST_TMPDIR/fake"
	{
		echo '#!/bin/bash'
		printf 'real=%q score=%q\n' "$real" "$score"
		echo "$1"
	} > "$BATS_TEST_TMPDIR/fake/pc-threads"
	chmod +x "$BATS_TEST_TMPDIR/fake/pc-threads"
}

@test "the harness can fail: a pc-threads that drops a row, changes the status or a message is caught" {
	command -v pc-threads > /dev/null || skip "pc-threads is not built"
	local good=rules-worked-examples.csv bad=mixed-bad-adjacent.csv
	PATH="$BATS_TEST_TMPDIR/fake:$PATH"

	# faithful: pc-score under the name pc-threads (without -j): no report
	fake_pc_threads 'a=(); while [ $# -gt 0 ]; do if [ "$1" = -j ]; then shift 2; else a+=("$1"); shift; fi; done
exec "$score" "${a[@]}"'
	run ways_check_all threads "$BATS_TEST_TMPDIR/ok" "$good" "$bad" multi-bad-row-then-missing-file.list
	assert_success
	assert_output --partial "# way threads: 3 of 3 cases run, 0 disagree"

	# the last output line dropped
	fake_pc_threads 'set -o pipefail; "$real" "$@" | sed "\$d"'
	run ways_check_all threads "$BATS_TEST_TMPDIR/drop" "$good"
	assert_failure
	assert_output --partial "DISAGREE  case $good  way \`pc-threads -j 2 -B 64\`  --on-error=skip"
	assert_output --partial "stdout differs"
	assert_output --partial "-I,0,0"
	assert_output --partial "#   $good"

	# exit status 0 whatever happened
	fake_pc_threads '"$real" "$@"; exit 0'
	run ways_check_all threads "$BATS_TEST_TMPDIR/status" "$good" "$bad"
	assert_failure
	assert_output --partial "DISAGREE  case $bad  way \`pc-threads -j 3 -B 7\`  --on-error=fail"
	assert_output --partial "exit status 0, pc-score's 1"
	refute_output --partial "DISAGREE  case $good"
	refute_output --partial "--on-error=skip"

	# one more message on stderr
	fake_pc_threads '"$real" "$@"; s=$?; echo "pc-threads: one more line" >&2; exit $s'
	run ways_check_all threads "$BATS_TEST_TMPDIR/stderr" "$bad"
	assert_failure
	assert_output --partial "stderr differs"
	assert_output --partial "+PROG: one more line"
	assert_output --partial "1 of 1 cases run, 1 disagree"
}
