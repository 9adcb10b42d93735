#!/usr/bin/env bats
# bench/speedup.sh (make bench) at a tiny size: the PNG when gnuplot is on
# PATH, the text table when it is not, one line per method, way and number
# of workers, and a way that writes other bytes stops it; bench/table.sh
# (make bench too) at a tiny size: every figure of its table, one column a
# build, its checks, bounds and usage errors.  No timing is asserted: only
# that every figure is there and is a number.
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

# ---- bench/table.sh: the table of speed figures ------------------------------
TABLE_TINY=(--quick -n 1 --closed 400,20 --wide 50,20 --short 500,3 --exhaustive 10,20
	--exhaustive-huge 2,20 --callgrind 4000)

# table_cells FILE: "N<TAB>cell<TAB>cell..." for each figure row of FILE's
# markdown table, its label and target left out
table_cells() {
	awk -F ' [|] ' '/^[|] [0-9]+\. / {
		n = $1; sub(/^[|] /, "", n); sub(/\..*/, "", n)
		line = n
		for (i = 2; i < NF; i++) line = line "\t" $i
		print line
	}' "$1"
}

# figure_ok N CELL: CELL is a number in the form of figure N
figure_ok() {
	local re
	case $1 in
	1 | 2 | 6 | 7) re='^[0-9]+\.[0-9]{2}x \([0-9]+\.[0-9]{2} GB/s\)$' ;;
	3) re='^[0-9]+\.[0-9]{2}x \([0-9]+\.[0-9] ns/row\)$' ;;
	4 | 5) re='^[0-9]+\.[0-9]{3} ns/pair$' ;;
	8 | 9) re='^[0-9]+\.[0-9]{2}$' ;;
	10) re='^[0-9]+\.[0-9]{2} \([0-9]+/row\)$' ;;
	*) return 1 ;;
	esac
	# valgrind cannot run a build with AddressSanitizer
	if [ "$1" -ge 8 ] && ldd "$PC_BUILDDIR/pc-score/pc-score" | grep -q libasan; then
		re='^n/a \(AddressSanitizer\)$'
	fi
	[[ $2 =~ $re ]] || { echo "figure $1: not a figure: '$2'" >&2; return 1; }
}

# check_table FILE COLUMNS: FILE's figures 1 to 10, once each in order,
# each with COLUMNS cells of figures
check_table() {
	local n cells i=0 cell
	table_cells "$1" > cells
	[ "$(cut -f 1 cells | tr '\n' ' ')" = "1 2 3 4 5 6 7 8 9 10 " ] ||
		fail "the figures are not 1 to 10: $(cut -f 1 cells | tr '\n' ' ')"
	while IFS=$'\t' read -r n cells; do
		IFS=$'\t' read -ra cell <<< "$cells"
		[ "${#cell[@]}" -eq "$2" ] || fail "figure $n: ${#cell[@]} cells, not $2"
		for i in "${!cell[@]}"; do
			figure_ok "$n" "${cell[i]}" || return 1
		done
	done < cells
}

@test "table.sh: a tiny run prints every figure with a number, and its caption" {
	run --separate-stderr bash "$PC_SRCDIR/bench/table.sh" "${TABLE_TINY[@]}" --bindir "$PC_BUILDDIR"
	[ "$status" -eq 0 ] || fail "status $status: $stderr"
	echo "$output" > table
	assert_line --index 0 "| figure | measured | target |"
	assert_line --index 1 "| --- | --- | --- |"
	check_table table 1
	# the sizes given, and the targets of the issue
	assert_line --partial "| 1. pc-score, 400 x 20 ("
	assert_line --partial "| 3. pc-score, short rows, 500 x 3 ("
	assert_line --regexp "^[|] 4[.] .* [|] <= 0[.]35 [|]$"
	assert_line --regexp "^[|] 7[.] .* [|] < 1x [|]$"
	assert_line --regexp ", nproc $(nproc), load average [0-9. ]+ at the start, [0-9. ]+ at the end; medians of 1 interleaved rounds"
	assert_line --partial "; build: $PC_BUILDDIR; command: bash bench/table.sh --quick -n 1 --closed 400,20 --wide 50,20 "
	# the checks ran, and the progress is on standard error
	[[ $stderr == *"table: checking the after build ($PC_BUILDDIR)"* ]] || fail "stderr: $stderr"
	[[ $stderr == *"table: timing split: 1 rounds of 2 commands"* ]] || fail "stderr: $stderr"
}

@test "table.sh --baseline-bindir: before and after columns, from one run" {
	run --separate-stderr bash "$PC_SRCDIR/bench/table.sh" "${TABLE_TINY[@]}" --callgrind 0 \
		--bindir "$PC_BUILDDIR" --baseline-bindir "$PC_BUILDDIR/pc-score/.."
	[ "$status" -eq 0 ] || fail "status $status: $stderr"
	echo "$output" > table
	assert_line --index 0 "| figure | before | after | target |"
	assert_line --index 1 "| --- | --- | --- | --- |"
	# --callgrind 0: figures 1 to 7 only, each with two figures
	table_cells table > cells
	[ "$(cut -f 1 cells | tr '\n' ' ')" = "1 2 3 4 5 6 7 " ]
	local n a b
	while IFS=$'\t' read -r n a b; do
		figure_ok "$n" "$a" && figure_ok "$n" "$b"
	done < cells
	assert_line --partial "; before: $PC_BUILDDIR, after: $PC_BUILDDIR; command: "
	# commands of both builds in every figure's rounds: cat, before, after
	[[ $stderr == *"table: timing closed: 1 rounds of 3 commands"* ]] || fail "stderr: $stderr"
	[[ $stderr == *"table: timing exhaustive: 1 rounds of 2 commands"* ]] || fail "stderr: $stderr"
}

# fake_bindir DIR PROGRAM SCRIPT: DIR, the build's programs, with PROGRAM a
# shell script running SCRIPT, where $real is the real program
fake_bindir() {
	mkdir -p "$1"
	local p
	for p in pc-score pc-threads pc-gen pc-split pc-merge; do
		[ -e "$1/$p" ] || ln -s "$PC_BUILDDIR/$p/$p" "$1/$p"
	done
	rm "$1/$2"
	printf '#!/bin/sh\nreal=%s\n%s\n' "$PC_BUILDDIR/$2/$2" "$3" > "$1/$2"
	chmod +x "$1/$2"
}

@test "table.sh: a wrong output stops it before any timing" {
	# pc-score's first row changed (to a y no value < 100 can be): pc-threads
	# disagrees
	fake_bindir wrong pc-score '"$real" "$@" | sed "1s/,[0-9]*$/,100/"'
	run bash "$PC_SRCDIR/bench/table.sh" "${TABLE_TINY[@]}" --bindir "$PWD/wrong"
	assert_failure 1
	assert_output --partial "table: FAILED: closed: pc-score and pc-threads -j 2 disagree"
	refute_output --partial "timing"
	refute_output --partial "| figure"
	# the exhaustive method off in its last row: the closed form disagrees
	fake_bindir exh pc-score 'case " $* " in *" -m exhaustive "*) "$real" "$@" | sed "\$s/,[0-9]*$/,100/" ;; *) exec "$real" "$@" ;; esac'
	run bash "$PC_SRCDIR/bench/table.sh" "${TABLE_TINY[@]}" --bindir "$PWD/exh"
	assert_failure 1
	assert_output --partial "table: FAILED: exhaustive: the exhaustive method and the closed form disagree"
	# pc-merge losing the last row
	fake_bindir merge pc-merge '"$real" "$@" | sed "\$d"'
	run bash "$PC_SRCDIR/bench/table.sh" "${TABLE_TINY[@]}" --bindir "$PWD/merge"
	assert_failure 1
	assert_output --partial "table: FAILED: pc-merge of the scored chunks and pc-score disagree"
	# pc-threads as wrong as pc-score: the awk closed form disagrees; with
	# no awk check, the baseline build does
	local sedit='"$real" "$@" | sed "1s/,[0-9]*$/,100/"'
	fake_bindir both pc-score "$sedit"
	fake_bindir both pc-threads "$sedit"
	run bash "$PC_SRCDIR/bench/table.sh" "${TABLE_TINY[@]}" --bindir "$PWD/both"
	assert_failure 1
	assert_output --partial "table: FAILED: closed.after: pc-score and the awk closed form disagree on the first 20000 rows"
	run bash "$PC_SRCDIR/bench/table.sh" "${TABLE_TINY[@]}" --check-rows 0 --bindir "$PWD/both" \
		--baseline-bindir "$PC_BUILDDIR"
	assert_failure 1
	assert_output --partial "table: FAILED: closed: the two builds' pc-score disagree"
	# both dropping the last row, no awk check: too few lines
	local drop='"$real" "$@" | sed "\$d"'
	fake_bindir short pc-score "$drop"
	fake_bindir short pc-threads "$drop"
	run bash "$PC_SRCDIR/bench/table.sh" "${TABLE_TINY[@]}" --check-rows 0 --bindir "$PWD/short"
	assert_failure 1
	assert_output --partial "table: FAILED: closed.after: 399 lines of output, not 400"
	# a baseline's pc-split that drops a row: line 2 of the first chunk,
	# after its framing line
	fake_bindir split pc-split 'out=$("$real" "$@") || exit; echo "$out"; sed -i 2d "$(echo "$out" | head -n 1)"'
	run bash "$PC_SRCDIR/bench/table.sh" "${TABLE_TINY[@]}" --bindir "$PC_BUILDDIR" \
		--baseline-bindir "$PWD/split"
	assert_failure 1
	assert_output --partial "table: FAILED: pc-split -n 8: the chunks are not the input"
}

@test "table.sh: a command slower than --timeout is not timed: its figure is a bound" {
	fake_bindir slow pc-score 'case " $* " in *" -m exhaustive "*) sleep 5 ;; esac; exec "$real" "$@"'
	run --separate-stderr bash "$PC_SRCDIR/bench/table.sh" "${TABLE_TINY[@]}" --callgrind 0 \
		--timeout 1 --bindir "$PWD/slow"
	[ "$status" -eq 0 ] || fail "status $status: $stderr"
	# 10 x 20 x 19 pairs in 1 s: 263157.9 ns a pair; 2 x 20 x 19: 1315789.5
	assert_line --regexp "^[|] 4[.] .* [|] > 263157[.]9 ns/pair [(]stopped after 1 s[)] [|] <= 0[.]35 [|]$"
	assert_line --regexp "^[|] 5[.] .* [|] > 1315789[.]5 ns/pair [(]stopped after 1 s[)] [|] <= 5 [|]$"
	[[ $stderr == *"did not end in 1 s: not timed"* ]] || fail "stderr: $stderr"
	# as the baseline: a bound before, a figure after, the other figures
	# both
	run --separate-stderr bash "$PC_SRCDIR/bench/table.sh" "${TABLE_TINY[@]}" --callgrind 0 \
		--timeout 1 --bindir "$PC_BUILDDIR" --baseline-bindir "$PWD/slow"
	[ "$status" -eq 0 ] || fail "status $status: $stderr"
	assert_line --regexp "^[|] 4[.] .* [|] > 263157[.]9 ns/pair [(]stopped after 1 s[)] [|] [0-9]+[.][0-9]{3} ns/pair [|] <= 0[.]35 [|]$"
	assert_line --regexp "^[|] 5[.] .* [|] > 1315789[.]5 ns/pair [(]stopped after 1 s[)] [|] [0-9]+[.][0-9]{3} ns/pair [|] <= 5 [|]$"
	[[ $stderr == *"table: timing exhaustive: 1 rounds of 1 commands"* ]] || fail "stderr: $stderr"
}

@test "table.sh: bad options are usage errors" {
	local T=$PC_SRCDIR/bench/table.sh
	run bash "$T" -n 0
	assert_failure 2
	assert_output "table: -n: '0' is less than 1"
	run bash "$T" -n x
	assert_failure 2
	assert_output "table: -n: 'x' is not a whole number"
	run bash "$T" --closed 5
	assert_failure 2
	assert_output "table: --closed: '5' is not ROWS,COLS"
	run bash "$T" --short 5,1
	assert_failure 2
	assert_output "table: --short: '1' is less than 2"
	run bash "$T" --bindir
	assert_failure 2
	assert_output "table: option '--bindir' needs a value"
	run bash "$T" --baseline-bindir /nonexistent
	assert_failure 2
	assert_output "table: '/nonexistent' is not a directory"
	run bash "$T" --bindir "$BATS_TEST_TMPDIR"
	assert_failure 2
	assert_output "table: no pc-score in $BATS_TEST_TMPDIR (build it, or give --bindir DIR)"
	run bash "$T" --size 3
	assert_failure 2
	assert_output "table: unknown option '--size' (try --help)"
	run bash "$T" --help
	assert_success
	assert_line --index 0 --partial "bench/table.sh - the speed figures"
}
