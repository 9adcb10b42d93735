#!/usr/bin/env bats
# bench/speedup.sh (make bench) at a tiny size: the PNG when gnuplot is on
# PATH, the text table when it is not, one line per method, way and number
# of workers, and a way that writes other bytes stops it.  No timing is
# asserted: only that every figure is there and is a number.
bats_require_minimum_version 1.5.0
load test_helper/common
# What this suite runs launches mpirun: under --enable-sanitizers,
# LeakSanitizer reports Open MPI's own allocations at exit (as in
# mpi_launch); pc-score's and pc-threads' suites leak-check our code.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"

TINY=(-r 200 -x 40 -c 20 -n 1)   # and the build tree's programs (setup)

setup() {
	cd "$BATS_TEST_TMPDIR"
	SPEEDUP=$PC_SRCDIR/bench/speedup.sh
	TINY+=(--bindir "$PC_BUILDDIR")
}

# ways: the ways of running the script measures here
ways() {
	echo pc-threads parallel
	if mpi_have; then echo mpirun; fi
}

# expected_lines WORKERS...: "method way workers", sorted, one per line
expected_lines() {
	local m w n
	for m in closed exhaustive; do
		for w in $(ways); do
			for n in "$@"; do
				echo "$m $w $n"
			done
		done
	done | sort
}

# table_lines FILE: the table's data lines of FILE as "method way workers",
# sorted, after checking that the seconds and the speed-up are numbers
table_lines() {
	grep -E '^  (closed|exhaustive) ' "$1" | while read -r m w n b t s; do
		[[ $b =~ ^[0-9]+\.[0-9]{4}$ && $t =~ ^[0-9]+\.[0-9]{4}$ && $s =~ ^[0-9]+\.[0-9]{2}$ ]] ||
			{ echo "not a figure: $m $w $n $b $t $s" >&2; return 1; }
		echo "$m $w $n"
	done | sort
}

# no_gnuplot_path: a PATH with everything on the current one but gnuplot
no_gnuplot_path() {
	local d f
	mkdir -p nognuplot
	IFS=: read -ra dirs <<< "$PATH"
	for d in "${dirs[@]}"; do
		for f in "$d"/*; do
			[ -x "$f" ] && [ ! -d "$f" ] || continue
			case ${f##*/} in gnuplot*) continue ;; esac
			[ -e "nognuplot/${f##*/}" ] || ln -s "$f" "nognuplot/${f##*/}"
		done
	done
	echo "$PWD/nognuplot"
}

@test "a tiny run draws speedup.png, and gnuplot says nothing" {
	command -v gnuplot > /dev/null   # bootstrap installs gnuplot-nox
	run --separate-stderr bash "$SPEEDUP" "${TINY[@]}" --outdir out
	[ "$status" -eq 0 ] || fail "status $status: $stderr"
	[ -z "$stderr" ] || fail "something on stderr: $stderr"
	assert_line "plot: $PWD/out/speedup.png"
	# the PNG signature, then an IHDR of 1200 x 700
	[ "$(head -c 24 out/speedup.png | od -An -tx1 | tr -d ' \n')" = \
		89504e470d0a1a0a0000000d49484452000004b0000002bc ]
	[ ! -e out/speedup.txt ]
	# the default workers: 1, 2, 4, ... below nproc, and nproc (2 at least)
	local n=$(nproc) w=1 list=()
	while [ "$w" -lt "$n" ]; do list+=("$w"); w=$((w * 2)); done
	list+=("$n")
	[ "$n" -ge 2 ] || list=(1 2)
	echo "$output" > printed
	[ "$(table_lines printed)" = "$(expected_lines "${list[@]}")" ]
	assert_line --partial "(up to nproc = $n)"
	assert_line --regexp "^# machine: .+, [0-9]+ cores, nproc $n, load average "
	assert_line --regexp "^# closed form: 200 x 20, [0-9]+ bytes, pc-score [0-9.]+ (to [0-9.]+ )?s;$"
	assert_line --regexp "^# exhaustive: 40 x 20, [0-9]+ bytes, pc-score [0-9.]+ (to [0-9.]+ )?s$"
	assert_line --partial "medians of 1 runs"
}

@test "without gnuplot, speedup.txt: the table, one line per method, way and workers" {
	PATH=$(no_gnuplot_path) run --separate-stderr bash "$SPEEDUP" "${TINY[@]}" -w "1 2 3" --outdir out
	[ "$status" -eq 0 ] || fail "status $status: $stderr"
	assert_line "table: $PWD/out/speedup.txt (gnuplot is not installed: no plot)"
	[ ! -e out/speedup.png ]
	[ "$(table_lines out/speedup.txt)" = "$(expected_lines 1 2 3)" ]
	grep -q "^# workers: 1, 2, 3 (beyond nproc = $(nproc): oversubscribed)" out/speedup.txt ||
		[ "$(nproc)" -ge 3 ]
	grep -q '^# machine: ' out/speedup.txt
	# the file is the table printed
	grep -E '^(#|  )' <<< "$output" > printed
	same_file printed out/speedup.txt
}

@test "a way that writes other bytes than pc-score stops the benchmark" {
	# a directory of programs for --bindir: the real ones, but pc-threads
	mkdir fake
	local p
	for p in pc-score pc-gen pc-split pc-merge pc-mpirun; do
		! command -v "$p" > /dev/null || ln -s "$(command -v "$p")" fake/
	done
	printf '#!/bin/sh\n"%s" "$@" | sed "1s/,[0-9]*$/,999999/"\n' "$(command -v pc-threads)" > fake/pc-threads
	chmod +x fake/pc-threads
	run bash "$SPEEDUP" "${TINY[@]}" -w 2 --bindir "$PWD/fake" --outdir out
	assert_failure 1
	assert_output --partial "speedup: 'pc-threads -j 2 -m closed "
	assert_output --partial "wrote other bytes than pc-score"
	[ ! -e out/speedup.png ] && [ ! -e out/speedup.txt ]
}

@test "bad options are usage errors" {
	run bash "$SPEEDUP" -n 0
	assert_failure 2
	assert_output "speedup: '0' is not a positive whole number"
	run bash "$SPEEDUP" -w "1 x"
	assert_failure 2
	run bash "$SPEEDUP" --size 3
	assert_failure 2
	assert_output --partial "unknown option '--size'"
}
