#!/usr/bin/env bats
# tests/tutorial.bats - powercouples-tutorial(7) and its race example.
#
# The page's commands (lines "$ ..." of its example blocks, found by
# tests/test_helper/tutorial.py) run in order, in one shell, in an empty
# directory, with the build tree's programs on PATH and the installed
# examples directory read from the source tree; a command marked "exact"
# must print what the page shows.  Commands that need other hosts, Slurm,
# mpi4py or the installed library are checked for syntax (bash -n) and for
# the suite that runs their kind of command.  The page renders without a
# warning.  examples/race/race, built by make check, is exact when locked
# and keeps the numbers in flight within its semaphore's bound; that the
# unlocked run loses additions depends on timing, so it is not asserted.

bats_require_minimum_version 1.5.0
load test_helper/common
# What this suite runs launches mpirun: under --enable-sanitizers,
# LeakSanitizer reports Open MPI's own allocations at exit (as in
# mpi_launch); pc-score's and pc-threads' suites leak-check our code.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"

# the page as installed: configure makes it in the build tree from
# man/powercouples-tutorial.7.in
PAGE=$PC_BUILDDIR/man/powercouples-tutorial.7
RACE=$PC_BUILDDIR/examples/race/race
# where `make install` puts the examples, as the page names them
INSTALLED_EXAMPLES=/usr/local/share/doc/powercouples/examples

# extract: the page's commands into $BATS_TEST_TMPDIR/cmds/NNN.sh (and what
# the page shows after each into NNN.out), and their list into cmds.tsv:
# NNN LINE NEEDS SUITE KEY EXACT, tab-separated.
extract() {
	"$PYTHON3" "$PC_SRCDIR/tests/test_helper/tutorial.py" extract "$PAGE" \
		"$BATS_TEST_TMPDIR/cmds" > "$BATS_TEST_TMPDIR/cmds.tsv"
}

@test "the page renders without warnings (man --warnings, mandoc -Tlint)" {
	run --separate-stderr env LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$PAGE"
	assert_success
	[ -z "$stderr" ] || fail "man --warnings: $stderr"
	[[ $output == *"4. MUTEXES AND SEMAPHORES"* ]]
	[[ $output == *"7. SPEED-UP, EFFICIENCY AND AMDAHL'S LAW"* ]]
	run mandoc -Tlint -W warning "$PAGE"
	assert_success
	assert_output ''
}

@test "every \$ line of the page is a command found, in page order" {
	extract
	local want
	want=$(grep -c '^\$ ' "$PAGE")
	[ "$(wc -l < "$BATS_TEST_TMPDIR/cmds.tsv")" -eq "$want" ]
	[ "$want" -ge 60 ]
	# a few landmarks, decoded as the reader types them
	grep -qx 'cc -O2 -pthread -o race race.c' "$BATS_TEST_TMPDIR"/cmds/*.sh
	grep -qx './race --locked' "$BATS_TEST_TMPDIR"/cmds/*.sh
	grep -q "^speedup() { awk -v p=\"\$1\" .*'BEGIN { s = t1 / tp; printf \".*\\\\n\"" \
		"$BATS_TEST_TMPDIR"/cmds/*.sh
	# the list is in page order
	cut -f 2 "$BATS_TEST_TMPDIR/cmds.tsv" | sort -n -c
}

@test "the extractor refuses what a shell would not take as printed" {
	local page=$BATS_TEST_TMPDIR/bad.7
	printf '.TH X 7\n.EX\n$ pc-score a.csv\n.EE\n' > "$page"
	run "$PYTHON3" "$PC_SRCDIR/tests/test_helper/tutorial.py" extract "$page" "$BATS_TEST_TMPDIR/x"
	assert_failure
	assert_output --partial "bad.7:3: a bare '-' in a command"
	printf '.TH X 7\n.EX\n$ echo \\fBx\\fR\n.EE\n' > "$page"
	run "$PYTHON3" "$PC_SRCDIR/tests/test_helper/tutorial.py" extract "$page" "$BATS_TEST_TMPDIR/x"
	assert_failure
	assert_output --partial "bad.7:3: roff escape '\\\\f' in an example"
	printf '.TH X 7\n.PP\n$ ls\n' > "$page"
	run "$PYTHON3" "$PC_SRCDIR/tests/test_helper/tutorial.py" extract "$page" "$BATS_TEST_TMPDIR/x"
	assert_failure
	assert_output --partial "bad.7:3: a command outside .EX/.EE"
	printf '.TH X 7\n.EX\n.\\" needs: hosts: tests/cluster.bats: ssh\nnode1\n.EE\n' > "$page"
	run "$PYTHON3" "$PC_SRCDIR/tests/test_helper/tutorial.py" extract "$page" "$BATS_TEST_TMPDIR/x"
	assert_failure
	assert_output --partial "bad.7:3: a comment about a command, and no command after it"
	printf '.TH X 7\n.EX\n$ echo a \\e\n  b\n.\\" exact\n$ echo \\(aqc\\(aq\nc\n.EE\n' > "$page"
	run "$PYTHON3" "$PC_SRCDIR/tests/test_helper/tutorial.py" extract "$page" "$BATS_TEST_TMPDIR/x"
	assert_success
	assert_output "$(printf '001\t3\t-\t-\t-\tno\n002\t6\t-\t-\t-\tyes')"
	[ "$(cat "$BATS_TEST_TMPDIR/x/001.sh")" = "$(printf 'echo a \\\n  b')" ]
	[ "$(cat "$BATS_TEST_TMPDIR/x/002.sh")" = "echo 'c'" ]
	[ "$(cat "$BATS_TEST_TMPDIR/x/002.out")" = c ]
}

@test "the page's commands run in order in an empty directory, and print what it shows" {
	extract
	local cmds=$BATS_TEST_TMPDIR/cmds script=$BATS_TEST_TMPDIR/reader.sh
	local n line needs suite key exact cmd ran=0
	{
		echo 'set -o pipefail'
		# the examples are read from the source tree: leave no __pycache__ there
		echo 'export PYTHONDONTWRITEBYTECODE=1'
		# mpirun is the tests' launcher; MPICH's takes neither Open MPI
		# option, nor needs them
		echo 'mpirun() {'
		echo '	if [ "$MPI_FLAVOR" = mpich ]; then'
		echo '		local a=() x'
		echo '		for x; do case $x in --allow-run-as-root|--oversubscribe) ;; *) a+=("$x") ;; esac; done'
		echo '		set -- "${a[@]}"'
		echo '	fi'
		echo '	timeout 120 "$MPIRUN" "$@"'
		echo '}'
		while IFS=$'\t' read -r n line needs suite key exact; do
			[ "$needs" = - ] || continue
			cmd=$(< "$cmds/$n.sh")
			cmd=${cmd//"$INSTALLED_EXAMPLES"/"$PC_SRCDIR/examples"}
			printf 'echo "\\$ (page line %s)" >&2\n{\n%s\n} > "%s/%s.got"\n' \
				"$line" "$cmd" "$cmds" "$n"
			printf 'rc=$?; cat "%s/%s.got"\n' "$cmds" "$n"
			printf 'if [ $rc -ne 0 ]; then echo "page line %s: exit status $rc" >&2; exit 1; fi\n' "$line"
			ran=$((ran + 1))
		done < "$BATS_TEST_TMPDIR/cmds.tsv"
		echo 'echo "all commands ran" >&2'
	} > "$script"
	[ "$ran" -ge 50 ]
	mkdir "$BATS_TEST_TMPDIR/reader"
	cd "$BATS_TEST_TMPDIR/reader"
	run timeout 600 bash "$script" < /dev/null
	assert_success
	assert_line "all commands ran"
	# a command marked exact printed what the page shows after it
	local checked=0
	while IFS=$'\t' read -r n line needs suite key exact; do
		[ "$exact" = yes ] || continue
		[ "$needs" = - ] || fail "page line $line: a command that does not run cannot be exact"
		same_file "$cmds/$n.got" "$cmds/$n.out" || fail "page line $line prints other lines than the page shows"
		checked=$((checked + 1))
	done < "$BATS_TEST_TMPDIR/cmds.tsv"
	[ "$checked" -ge 10 ]
	# the tutorial's directory is where the later commands ran
	[ -s pc-tutorial/cpu.csv ] && [ -s pc-tutorial/race.c ] && [ -x pc-tutorial/race ]
}

@test "the commands that need hosts, Slurm, mpi4py or the library: valid, and run by the suite named" {
	extract
	local n line needs suite key exact cmd marked=0
	while IFS=$'\t' read -r n line needs suite key exact; do
		[ "$needs" != - ] || continue
		case $needs in
		hosts | slurm | mpi4py | library) ;;
		*) fail "page line $line: needs '$needs', which is none of hosts, slurm, mpi4py, library" ;;
		esac
		bash -n "$BATS_TEST_TMPDIR/cmds/$n.sh" || fail "page line $line: not valid shell"
		cmd=$(< "$BATS_TEST_TMPDIR/cmds/$n.sh")
		[[ $cmd == *"$key"* ]] || fail "page line $line: '$key' is not in the command"
		[ -f "$PC_SRCDIR/$suite" ] || fail "page line $line: no suite $suite"
		grep -qF -- "$key" "$PC_SRCDIR/$suite" || fail "page line $line: '$key' is not in $suite"
		marked=$((marked + 1))
	done < "$BATS_TEST_TMPDIR/cmds.tsv"
	[ "$marked" -ge 8 ]
}

@test "race --locked is exact, every time, with 1 to 8 threads" {
	local t i
	for t in 1 2 4 8; do
		for i in 1 2 3 4 5; do
			run timeout 60 "$RACE" --locked -t "$t" -n 200000
			assert_success
			assert_output "locked: $t thread$([ "$t" = 1 ] || echo s) added 1 200000 times each: counter $((t * 200000)), expected $((t * 200000))"
		done
	done
}

@test "race --unlocked with one thread is exact; with more it reports what it counted" {
	run timeout 60 "$RACE" --unlocked -t 1 -n 100000
	assert_success
	assert_output "unlocked: 1 thread added 1 100000 times each: counter 100000, expected 100000"
	# exit 0 with the exact count, or 1 naming the additions lost: whichever
	# the timing gave, the figures add up
	run timeout 60 "$RACE" --unlocked -t 4 -n 1000000
	[[ $output =~ ^unlocked:\ 4\ threads\ added\ 1\ 1000000\ times\ each:\ counter\ ([0-9]+),\ expected\ 4000000( \(([0-9]+) additions lost\))?$ ]] ||
		fail "unexpected output: $output"
	local got=${BASH_REMATCH[1]} lost=${BASH_REMATCH[3]:-0}
	[ $((got + lost)) -eq 4000000 ]
	if [ "$lost" -eq 0 ]; then [ "$status" -eq 0 ]; else [ "$status" -eq 1 ]; fi
}

@test "race --semaphore adds every number once, with at most SLOTS in flight" {
	local t k
	for t in 1 2 4; do
		for k in 1 2 3 16; do
			run timeout 60 "$RACE" --semaphore -t "$t" -k "$k" -n 20000
			assert_success
			[[ $output =~ ^semaphore:\ $t\ threads?\ added\ up\ 1..20000:\ sum\ 200010000,\ expected\ 200010000\;\ at\ most\ ([0-9]+)\ of\ $k\ numbers\ in\ flight$ ]] ||
				fail "unexpected output: $output"
			[ "${BASH_REMATCH[1]}" -ge 1 ] && [ "${BASH_REMATCH[1]}" -le "$k" ]
		done
	done
}

@test "race: usage errors exit 2 with a message" {
	run "$RACE" -n 0
	[ "$status" -eq 2 ]
	assert_output "race: N must be a number from 1 to 1000000000, not '0'"
	run "$RACE" -t x
	[ "$status" -eq 2 ]
	assert_output "race: THREADS must be a number from 1 to 1024, not 'x'"
	run "$RACE" --locked extra
	[ "$status" -eq 2 ]
	assert_output --partial "usage: race"
	run "$RACE" --help
	assert_success
	assert_output --partial "usage: race"
}
