#!/usr/bin/env bats
# pc-threads: byte-identical to pc-score (itself held to the exact oracle)
# for every job count, method, block size and error mode.
bats_require_minimum_version 1.5.0
load test_helper/common

setup_file() {
	export DATA="$BATS_FILE_TMPDIR"
	oracle gen --seed 41 --rows 6000 --profile mixed > "$DATA/mixed.csv"
	oracle score "$DATA/mixed.csv" > "$DATA/mixed.expected"
	# long rows, so small blocks cut rows and the reader carries them
	pc-gen -r 300 -c 400 -m 1000 -s 9 > "$DATA/long.csv"
	pc-score "$DATA/long.csv" > "$DATA/long.expected"
	# a bad row deep inside, after many blocks of good ones
	{ head -n 3000 "$DATA/long.csv" | head -n 150; printf 'BAD,1,-7,2\n'; sed -n '151,300p' "$DATA/long.csv"; } > "$DATA/bad.csv"
}

@test "the oracle agrees with pc-score on the shared input" {
	run pc-score "$DATA/mixed.csv"
	assert_success
	cmp -s <(printf '%s\n' "$output") "$DATA/mixed.expected"
}

@test "-j 1, 2, 3 and 8 equal the oracle, closed form, small and large blocks" {
	for j in 1 2 3 8; do
		for b in 1K 64K 1M; do
			pc-threads -j "$j" -B "$b" "$DATA/mixed.csv" > "$BATS_TEST_TMPDIR/out"
			cmp "$BATS_TEST_TMPDIR/out" "$DATA/mixed.expected" || fail "-j $j -B $b differs"
		done
	done
}

@test "-j 1, 2, 3 and 8 equal the oracle, exhaustive method" {
	for j in 1 2 3 8; do
		pc-threads -j "$j" -B 4K -m exhaustive "$DATA/mixed.csv" > "$BATS_TEST_TMPDIR/out"
		cmp "$BATS_TEST_TMPDIR/out" "$DATA/mixed.expected" || fail "-j $j differs"
	done
}

@test "standard input, and rows longer than a block" {
	for j in 1 3; do
		pc-threads -j "$j" -B 7 < "$DATA/mixed.csv" > "$BATS_TEST_TMPDIR/out"
		cmp "$BATS_TEST_TMPDIR/out" "$DATA/mixed.expected" || fail "stdin -j $j differs"
		pc-threads -j "$j" -B 100 < "$DATA/long.csv" > "$BATS_TEST_TMPDIR/out"
		cmp "$BATS_TEST_TMPDIR/out" "$DATA/long.expected" || fail "long rows -j $j differ"
	done
}

@test "-j with no threads or a non-number is a usage error" {
	run --separate-stderr pc-threads -j 0 "$DATA/mixed.csv"
	assert_failure 2
	assert_output ''
	[[ "$stderr" == *"invalid number of jobs"* ]]
	run pc-threads -j many "$DATA/mixed.csv"
	assert_failure 2
}

@test "a bad row: the same rows before it, the same message and status as pc-score" {
	run --separate-stderr pc-score -B 4K "$DATA/bad.csv"
	assert_failure 1
	local want_out=$output want_err=${stderr/#pc-score:/pc-threads:}
	[[ "$want_err" == "pc-threads: $DATA/bad.csv:151:7: negative value (\"-7\")" ]]
	for j in 1 2 3 8; do
		run --separate-stderr pc-threads -j "$j" -B 4K "$DATA/bad.csv"
		assert_failure 1
		[ "$output" = "$want_out" ] || fail "-j $j: stdout differs"
		[ "$stderr" = "$want_err" ] || fail "-j $j: stderr differs: $stderr"
	done
}

@test "skip mode: output, messages and rejects in input order, as pc-score" {
	local bad="$BATS_TEST_TMPDIR/bad.csv"
	{ sed -n '1,40p' "$DATA/long.csv"; printf 'X,1\n'; sed -n '41,200p' "$DATA/long.csv"; printf 'Y,1,2.5\n'; sed -n '201,300p' "$DATA/long.csv"; } > "$bad"
	# the same rejects path for both, as the summary line names it
	pc-score -B 2K --on-error=skip --rejects="$BATS_TEST_TMPDIR/rej" "$bad" \
		> "$BATS_TEST_TMPDIR/want.out" 2> "$BATS_TEST_TMPDIR/want.err"
	mv "$BATS_TEST_TMPDIR/rej" "$BATS_TEST_TMPDIR/want.rej"
	grep -q 'skipped 2 bad rows of 302' "$BATS_TEST_TMPDIR/want.err"
	sed -i 's/^pc-score:/pc-threads:/' "$BATS_TEST_TMPDIR/want.err"
	for j in 1 2 8; do
		pc-threads -j "$j" -B 2K --on-error=skip --rejects="$BATS_TEST_TMPDIR/rej" "$bad" \
			> "$BATS_TEST_TMPDIR/got.out" 2> "$BATS_TEST_TMPDIR/got.err"
		cmp "$BATS_TEST_TMPDIR/got.out" "$BATS_TEST_TMPDIR/want.out"
		cmp "$BATS_TEST_TMPDIR/got.err" "$BATS_TEST_TMPDIR/want.err"
		cmp "$BATS_TEST_TMPDIR/rej" "$BATS_TEST_TMPDIR/want.rej"
	done
}

@test "framed chunks are echoed and counted as by pc-score" {
	local f="$BATS_TEST_TMPDIR/framed.csv"
	{
		echo '#pc:chunk v=1 id=00112233445566aa index=1'
		sed -n '1,120p' "$DATA/long.csv"
		echo '#pc:end v=1 id=00112233445566aa index=1 rows=120'
		echo '#pc:chunk v=1 id=00112233445566aa index=2'
		sed -n '121,300p' "$DATA/long.csv"
		echo '#pc:end v=1 id=00112233445566aa index=2 rows=180 last=1'
	} > "$f"
	pc-score "$f" > "$BATS_TEST_TMPDIR/want"
	grep -qx '#pc:end v=1 id=00112233445566aa index=2 rows=180 scored=180 rejected=0 last=1' "$BATS_TEST_TMPDIR/want"
	for j in 1 2 3; do
		pc-threads -j "$j" -B 1K "$f" > "$BATS_TEST_TMPDIR/got"
		cmp "$BATS_TEST_TMPDIR/got" "$BATS_TEST_TMPDIR/want"
	done
	# a chunk that lost its trailer is an error
	head -n -1 "$f" > "$BATS_TEST_TMPDIR/cut.csv"
	run --separate-stderr pc-threads -j 2 -B 1K "$BATS_TEST_TMPDIR/cut.csv"
	assert_failure 1
	[[ "$stderr" == *"chunk 2 of run 00112233445566aa"*"truncated"* ]]
}

@test "-o after a failure leaves no file; after success, the whole output" {
	run pc-threads -j 2 -B 4K -o "$BATS_TEST_TMPDIR/res.csv" "$DATA/bad.csv"
	assert_failure 1
	[ ! -e "$BATS_TEST_TMPDIR/res.csv" ]
	[ -z "$(ls "$BATS_TEST_TMPDIR" | grep 'res.csv')" ]
	run pc-threads -j 2 -o "$BATS_TEST_TMPDIR/res.csv" "$DATA/mixed.csv"
	assert_success
	cmp "$BATS_TEST_TMPDIR/res.csv" "$DATA/mixed.expected"
}

@test "writing to a full disk exits 2 with a message" {
	run --separate-stderr pc-threads -j 2 -o /dev/full "$DATA/mixed.csv"
	assert_failure 2
	[[ "$stderr" == *"write error"* ]]
}

@test "--help names -j; --version names the package" {
	run pc-threads --help
	assert_success
	assert_output --partial '--jobs=N'
	run pc-threads --version
	assert_success
	assert_line --index 0 "pc-threads (powercouples) $PC_VERSION"
}

# workers [PREFIX...]: the threads that `PREFIX... pc-threads in.fifo`
# starts by default, counted in /proc once it has opened its input (the
# back end starts its threads before the first input is opened); the
# main thread, which reads and writes, is not counted.
workers() {
	rm -f in.fifo
	mkfifo in.fifo
	"$@" pc-threads in.fifo > /dev/null &
	local pid=$! tasks
	exec 8> in.fifo   # returns once pc-threads opened it
	tasks=$(ls "/proc/$pid/task" | wc -l)
	exec 8>&-
	wait "$pid"
	echo $((tasks - 1))
}

@test "the default -j is the CPUs pc-threads may run on, as nproc counts them (taskset)" {
	cd "$BATS_TEST_TMPDIR"
	[ "$(workers)" -eq "$(nproc)" ]
	[ "$(workers taskset -c 0)" -eq 1 ]
	[ "$(taskset -c 0 nproc)" -eq 1 ]
	if [ "$(nproc --all)" -ge 2 ]; then
		[ "$(workers taskset -c 0,1)" -eq 2 ]
	fi
}

# in_cgroup QUOTA PERIOD CMD...: run CMD in a new cgroup (v1's cpu
# controller, or v2's) with that CPU quota; the cgroup is removed after.
in_cgroup() {
	local quota=$1 period=$2 cg
	shift 2
	if [ -f /sys/fs/cgroup/cpu/cpu.cfs_quota_us ]; then
		cg=/sys/fs/cgroup/cpu/pc-test-$$-$BATS_TEST_NUMBER
		mkdir "$cg"
		echo "$period" > "$cg/cpu.cfs_period_us"
		echo "$quota" > "$cg/cpu.cfs_quota_us"
	else
		grep -qw cpu /sys/fs/cgroup/cgroup.controllers ||
			fail "no cgroup CPU controller to test with (needs root and cgroup v1 or v2)"
		grep -qw cpu /sys/fs/cgroup/cgroup.subtree_control ||
			echo +cpu > /sys/fs/cgroup/cgroup.subtree_control
		cg=/sys/fs/cgroup/pc-test-$$-$BATS_TEST_NUMBER
		mkdir "$cg"
		if [ "$quota" -lt 0 ]; then quota=max; fi
		echo "$quota $period" > "$cg/cpu.max"
	fi
	local rc=0
	CG=$cg "$@" || rc=$?
	rmdir "$cg"
	return "$rc"
}

# in_cg CMD...: move this shell into $CG, then exec CMD
in_cg() {
	echo "$BASHPID" > "$CG/cgroup.procs"
	exec "$@"
}

@test "the default -j is capped by a cgroup CPU quota, rounded up (srun -c, containers)" {
	[ "$(id -u)" -eq 0 ] || fail "this test makes cgroups: run it as root"
	cd "$BATS_TEST_TMPDIR"
	export -f in_cg
	[ "$(in_cgroup 100000 100000 workers bash -c 'in_cg "$@"' in_cg)" -eq 1 ]
	[ "$(in_cgroup 50000 100000 workers bash -c 'in_cg "$@"' in_cg)" -eq 1 ]
	if [ "$(nproc)" -ge 2 ]; then
		[ "$(in_cgroup 150000 100000 workers bash -c 'in_cg "$@"' in_cg)" -eq 2 ]
	fi
	# no quota: the affinity mask alone
	[ "$(in_cgroup -1 100000 workers bash -c 'in_cg "$@"' in_cg)" -eq "$(nproc)" ]
}

@test "a read error after rows (a directory as the second input): the rows first, then the error, exit 2" {
	cd "$BATS_TEST_TMPDIR"
	pc-gen -r 3000 -c 5 -s 7 > a.csv
	oracle score a.csv > want
	mkdir dir
	local j
	for j in 1 2 3; do
		run -2 --separate-stderr bash -c "pc-threads -j $j -B 4K a.csv dir > got"
		assert_equal "$stderr" "pc-threads: read error on 'dir': Is a directory"
		same_file got want
	done
}

@test "-o: the file synced, renamed into place, then its directory synced" {
	cd "$BATS_TEST_TMPDIR"
	printf 'a,1,2\nb,3,4\n' > in.csv
	sync_calls calls pc-threads -j 2 -o out.csv in.csv
	printf '%s\n' 'fsync .pc-*' 'rename .pc-* out.csv' 'fsync DIR' > want
	same_file calls want
	[ "$(cat out.csv)" = "$(printf 'a,2,1\nb,3,4')" ]
}

@test "a block that fills with bad rows, then rows longer than a block: each row keeps its name" {
	# a result stops at PC_ERRORS_MAX (4096) bad rows, and the rest of its
	# block is scored when it is written, after the blocks read since; a
	# row carried through those must not be lost (pc-score reads ahead too)
	local shape cmd
	for shape in 1 2; do
		"$PYTHON3" -c '
import sys
w = sys.stdout.write
if sys.argv[1] == "1":
    for i in range(3000): w("g%05d,3,4\n" % i)
    w("L1," + "100," * 10000 + "7\n")
    for i in range(5000): w("x,1\n")
    w("L2," + "200," * 10000 + "9\n")
else:   # a row over five blocks after a block of 6000 bad rows
    for i in range(6000): w("x,1\n")
    w("L2," + "200," * 60000 + "9\n")
for i in range(20): w("t%03d,5,6\n" % i)' "$shape" > "$BATS_TEST_TMPDIR/in.csv"
		oracle score --on-error=skip "$BATS_TEST_TMPDIR/in.csv" > "$BATS_TEST_TMPDIR/want" 2> /dev/null
		grep -q '^L2,200,200$' "$BATS_TEST_TMPDIR/want"
		for cmd in "pc-score" "taskset -c 0 pc-score" "pc-threads -j 1" "pc-threads -j 2" "pc-threads -j 3"; do
			$cmd -B 32768 --on-error=skip "$BATS_TEST_TMPDIR/in.csv" > "$BATS_TEST_TMPDIR/got" 2> /dev/null ||
				fail "$cmd: status $?"
			same_file "$BATS_TEST_TMPDIR/got" "$BATS_TEST_TMPDIR/want" ||
				fail "shape $shape: $cmd -B 32768 differs"
		done
	done
}
