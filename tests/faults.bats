#!/usr/bin/env bats
# Fault injection (issue 9, "nothing lost, whatever happens"): every program,
# run once for each call it makes of each function that can fail, with that
# one call failing (tests/libfault.so, see tests/fault.c for what it covers).
# Whatever fails, the run either
#   - fails cleanly: exit 2, a "PROGRAM: ..." message ("PROGRAM: out of
#     memory ..." for an allocation), and no output file and no temporary
#     file left (pc-split: only the chunks whose paths it printed, each
#     complete), or
#   - succeeds, byte for byte as a run without faults, when the failed call
#     could do no harm; each case lists those calls in `harmless`, and any
#     other call that fails without failing the run is a bug.
# Interrupted calls (EINTR) and short reads and writes must always be taken
# in stride: the run succeeds, byte for byte.
bats_require_minimum_version 1.5.0
load test_helper/common

setup_file() {
	export DATA="$BATS_FILE_TMPDIR"
	FAULT_LIB="$PC_BUILDDIR/tests/libfault.so"
	[ -f "$FAULT_LIB" ] || {
		echo "# $FAULT_LIB is missing: make check builds it (or make tests/libfault.so)" >&3
		return 1
	}
	export FAULT_LIB
	export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
	# pc-mpirun run alone: no daemon to start, which also makes it faster
	export OMPI_MCA_ess_singleton_isolated=1
	# a sanitizer build: the fault library comes before the ASan runtime
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0:detect_leaks=0"
	# rows of every size, and a near tie (x^y against y^x with x = 2^60,
	# y = x + 1) that only MPFR decides (-m exhaustive)
	{
		local i
		for i in 1 2 3 4 5 6 7 8; do
			echo "r$i,$((i * 37 % 11)),$((i * 13 % 7)),$((i + 1)),$((i * i))"
		done
		echo "t,1152921504606846976,1152921504606846977"
		echo "q,2,4,16"
	} > "$DATA/in.csv"
	printf 'a,1,2\nb,x,3\nc,4,5\nd,1\ne,6,7,8\n' > "$DATA/bad.csv"
	# scored chunks, in reverse index order so pc-merge keeps the early ones
	mkdir "$DATA/chunks"
	pc-split -l 3 -d "$DATA/chunks" "$DATA/in.csv" > "$DATA/chunks/list"
	local f
	while IFS= read -r f; do
		pc-score -o "$DATA/chunks/scored.${f##*/}" "$f"
	done < "$DATA/chunks/list"
}

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# The judging below uses shell builtins only: forks are what a sweep of
# a thousand runs spends its time on.
shopt -s extglob nullglob dotglob

# slurp FILE: its bytes in $slurped (text: no NUL)
slurp() {
	slurped=
	IFS= read -r -d '' slurped < "$1" || true
}

# snapshot: everything a run made (the files under out/, and its standard
# output), with pc-split's run ids made equal, in $snap
snapshot() {
	local f
	snap=
	for f in out/* out/*/* stdout; do
		[ -f "$f" ] || continue
		slurp "$f"
		[ "$kind" != split ] || slurped=${slurped//id=+([0-9a-f])/id=RUN}
		snap+="== $f"$'\n'"$slurped"
	done
}

# left_clean: a failed run left nothing it should not have
left_clean() {
	local f want=
	if [ "$kind" = split ]; then
		# the chunks whose paths were printed, complete, and nothing else
		while IFS= read -r f; do
			[ -n "$f" ] || continue
			want+=" $f "
			slurp "$f"
			[[ "$slurped" == *$'\n#pc:end '*([^$'\n'])$'\n' ]] ||
				{ echo "# $f is not complete"; return 1; }
		done < stdout
	elif [ -s stdout ]; then
		echo "# output on stdout"
		return 1
	fi
	for f in out/* out/*/*; do
		if [ -f "$f" ] && [[ "$want" != *" $f "* ]]; then
			echo "# left behind: $f"
			return 1
		fi
	done
}

# has_line FILE PREFIX: some line of FILE starts with PREFIX
has_line() {
	local line
	while IFS= read -r line || [ -n "$line" ]; do
		[[ "$line" != "$2"* ]] || return 0
	done < "$1"
	return 1
}

# one FUNC N [ERR]: run the case with that call failing, and judge.  Sets
# `outcome` to failed, harmless or unfired (and `outcome_thread` when the
# call that failed was not on the main thread); prints why and returns 1
# when the run went wrong.
one() {
	local func=$1 n=$2 err=${3:-} status=0 fired=
	outcome= outcome_thread=
	: > count
	PC_FAULT="$func:$n${err:+:$err}" PC_FAULT_COUNT="$PWD/count" LD_PRELOAD="$FAULT_LIB" \
		"${cmd[@]}" > stdout 2> stderr || status=$?
	local line
	while read -r line; do
		case $line in
		"fired "*" thread") fired=1 outcome_thread=1 ;;
		"fired "*) fired=1 ;;
		esac
	done < count
	local why=
	if [ "$status" -eq 0 ] || [ -n "$err" ]; then
		snapshot
		if [ "$status" -ne 0 ]; then
			why="exit $status, not a retry"
		elif [ "$snap" != "$reference" ]; then
			why="exit 0 but not what a run without faults makes"
		elif [ -z "$fired" ]; then
			outcome=unfired
		elif [ -n "$err" ]; then
			outcome=harmless
		elif [[ " $harmless " == *" $func:$n "* ]]; then
			outcome=harmless
		else
			why="the failed call was not noticed (exit 0); not in harmless='$harmless'"
		fi
	elif [ "$status" -ne 2 ]; then
		why="exit $status, not 2"
	elif ! has_line stderr "$prog: "; then
		why="no '$prog: ...' message"
	elif [ "$func" = malloc ] && ! has_line stderr "$prog: out of memory"; then
		why="no '$prog: out of memory' message"
	elif ! left_clean; then
		why="a failed run left files"
	else
		outcome=failed
	fi
	if [ -n "$why" ]; then
		echo "# $prog with $func:$n${err:+:$err} failing: $why"
		while IFS= read -r line; do echo "#   stderr: $line"; done < stderr
	fi
	# the next run starts from an empty out/ again
	for line in out/* out/*/*; do
		if [ -f "$line" ]; then
			rm -rf out && mkdir -p out $dirs
			break
		fi
	done
	[ -z "$why" ]
}

# sweep: the reference run, then every call of every function in `funcs`
# (malloc: the first `malloc_dense`, then every `malloc_stride`th, when
# set), and the read and write calls again interrupted and short (unless
# `retries` is "no").  Reports the outcomes on fd 3, and fails at the end
# if any run went wrong.
sweep() {
	rm -rf out && mkdir -p out $dirs
	PC_FAULT_COUNT="$PWD/count" LD_PRELOAD="$FAULT_LIB" "${cmd[@]}" > stdout 2> stderr ||
		fail "the run without faults failed: $(cat stderr)"
	snapshot
	reference=$snap
	local counts
	counts=$(cat count)
	rm -rf out && mkdir -p out $dirs
	local bad=0 func n calls err runs=0 line
	for func in ${funcs:-malloc read write fsync rename close mkstemp open fchmod stdio thread}; do
		calls=$(awk -v f="$func" '$1 == f { print $2 }' <<< "$counts")
		local errs=("")
		case $func:${retries:-yes} in read:yes|write:yes) errs+=(EINTR SHORT) ;; esac
		for err in "${errs[@]}"; do
			local failed=0 threads=0 harmless_seen= step=1 dense=$calls tried=0
			if [ "$func" = malloc ] && [ -n "${malloc_stride:-}" ]; then
				step=$malloc_stride dense=$malloc_dense
			fi
			for ((n = 1; n <= calls; n += n < dense ? 1 : step)); do
				one "$func" "$n" "$err" || bad=$((bad + 1))
				tried=$((tried + 1))
				case $outcome in
				failed) failed=$((failed + 1)) ;;
				harmless) harmless_seen+=" $n" ;;
				esac
				[ -z "$outcome_thread" ] || threads=$((threads + 1))
			done
			runs=$((runs + tried))
			line="$func${err:+:$err}: $calls calls"
			[ "$tried" -eq "$calls" ] || line+=" ($tried tried)"
			[ "$failed" -eq 0 ] || line+=", $failed failed cleanly"
			[ "$threads" -eq 0 ] || line+=" ($threads on a scoring thread)"
			[ -z "$harmless_seen" ] || line+=", harmless:$harmless_seen"
			echo "# ${cmd[0]##*/}: $line" >&3
		done
	done
	echo "# ${cmd[0]##*/}: $runs runs" >&3
	[ "$bad" -eq 0 ] || fail "$bad runs went wrong"
}

kind=scorer   # or split
# one_cpu: this test, and what it runs, on one CPU: pc-score then runs one
# thread, whose calls the sweep counts the same in every run (with two it
# reads nproc's cgroup files, whose calls fail unnoticed by design, and
# scores on pc-threads' back end, which the pc-threads case sweeps)
one_cpu() {
	taskset -pc 0 "$BASHPID" > /dev/null
}
dirs=   # made in out/ before each run

@test "pc-score -o: every failed call fails the run cleanly" {
	one_cpu
	prog=pc-score cmd=(pc-score -o out/scored.csv "$DATA/in.csv")
	# the input, once read to its end; the directory, once synced
	harmless="close:1 close:3"
	sweep
}

@test "pc-score -m exhaustive -o: out of memory inside MPFR too" {
	one_cpu
	prog=pc-score cmd=(pc-score -m exhaustive -o out/scored.csv "$DATA/in.csv")
	funcs=malloc
	sweep
}

@test "pc-score --rejects -o: both files, or neither" {
	one_cpu
	prog=pc-score
	cmd=(pc-score --on-error=skip --rejects=out/rejects.csv -o out/scored.csv "$DATA/bad.csv")
	# the input; the two directories, once synced
	harmless="close:1 close:4 close:5"
	sweep
}

@test "pc-threads -j 2 -m exhaustive -o: the scoring threads too" {
	prog=pc-threads
	cmd=(pc-threads -j 2 -B 64 -m exhaustive -o out/scored.csv "$DATA/in.csv")
	harmless="close:1 close:3"
	sweep
}

@test "pc-mpirun alone -m exhaustive -o" {
	prog=pc-mpirun
	cmd=(pc-mpirun -B 64 -m exhaustive -o out/scored.csv "$DATA/in.csv")
	# and the scoring thread of rank 0 (it scores inline without)
	harmless="close:1 close:3 thread:1"
	# each run starts MPI (~0.4 s): the first allocations (those of the
	# closed method too), then a sample of MPFR's; the retries of EINTR
	# and short counts are pc-score's code, swept there
	malloc_dense=20 malloc_stride=5 retries=no
	sweep
}

@test "pc-split -d: only printed chunks, each complete" {
	prog=pc-split kind=split
	cmd=(pc-split -l 4 -d out "$DATA/in.csv")
	# /dev/urandom for the run id (the clock will do), and the input
	harmless="open:1 read:1 close:1 close:2"
	sweep
}

@test "pc-merge -o, spilling into -T: every failed call fails the run cleanly" {
	prog=pc-merge dirs=out/tmp harmless=
	cmd=(pc-merge -S 1 -T out/tmp -o out/merged.csv)
	local f n=0
	for f in $(LC_ALL=C sort -r "$DATA/chunks/list"); do
		cmd+=("$DATA/chunks/scored.${f##*/}")
		n=$((n + 1))
		harmless+=" close:$n"   # each input, once read to its end
	done
	# then the output; the directory, once synced; the spill file, once
	# all of it was read back
	harmless+=" close:$((n + 2)) close:$((n + 3))"
	sweep
}

@test "pc-gen -o: every failed call fails the run cleanly" {
	prog=pc-gen cmd=(pc-gen -r 40 -c 5 -s 9 -o out/rows.csv)
	# the directory, once synced
	harmless="close:2"
	sweep
}
