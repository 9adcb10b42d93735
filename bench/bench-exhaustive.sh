#!/usr/bin/env bash
# bench/bench-exhaustive.sh - the exhaustive method's cost per ordered pair,
# as wall time (median of RUNS runs) and, when valgrind is there, as
# instructions counted by callgrind (stable on a loaded machine), on two
# inputs: small values (pc-gen's default, [0,100)) and near-equal huge
# values (the 1000 values below 2^64).  A benchmark, not a test.
#
#   bench/bench-exhaustive.sh [-n RUNS] [--bindir DIR] [--small R,C]
#                             [--huge R,C] [--callgrind R] [--simd PATH]
#
#   -n RUNS          timed runs per input, after one warm-up (default 3)
#   --bindir DIR     a build tree or a directory holding pc-score and pc-gen
#   --small R,C      rows and values per row of the small input (2000,500)
#   --huge R,C       rows and values per row of the huge input (400,300)
#   --callgrind R    rows of each input counted by callgrind (default 20;
#                    0: no callgrind)
#   --simd PATH      run pc-score with PC_SIMD=PATH (default: its own choice)
#
# The time per pair is the run's wall time (reading, parsing and writing
# included) over the R*C*(C-1) ordered pairs, and its CPU time (user +
# system, median of RUNS runs), which a loaded machine disturbs less; the instruction count per
# pair is callgrind's count for the first R rows less its count for the
# closed method on them (start-up, reading and parsing), over their pairs.  Before timing anything
# it checks that the exhaustive method and the closed form agree.
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

usage() { sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; }
need_arg() { [ $# -ge 2 ] || { echo "bench-exhaustive: option '$1' needs a value" >&2; exit 2; }; }

runs=3 bindir="" small=2000,500 huge=400,300 cg_rows=20 simd=""
while [ $# -gt 0 ]; do
	case $1 in
	-n) need_arg "$@"; runs=$2; shift 2 ;;
	--bindir) need_arg "$@"; bindir=$2; shift 2 ;;
	--small) need_arg "$@"; small=$2; shift 2 ;;
	--huge) need_arg "$@"; huge=$2; shift 2 ;;
	--callgrind) need_arg "$@"; cg_rows=$2; shift 2 ;;
	--simd) need_arg "$@"; simd=$2; shift 2 ;;
	-h|--help) usage; exit 0 ;;
	*) echo "bench-exhaustive: unknown option '$1' (try --help)" >&2; exit 2 ;;
	esac
done
for rc in "$small" "$huge"; do
	case $rc in
	[1-9]*,[1-9]*) ;;
	*) echo "bench-exhaustive: '$rc' is not ROWS,COLS" >&2; exit 2 ;;
	esac
done

bench_bindir "$bindir"
if [ -n "$bindir" ] && [ -x "$bindir/pc-score" ]; then
	PATH="$bindir:$PATH"
fi
for p in pc-score pc-gen; do
	command -v "$p" > /dev/null ||
		{ echo "bench-exhaustive: $p not found (build it, or give --bindir DIR)" >&2; exit 2; }
done
[ -z "$simd" ] || export PC_SIMD="$simd"

work=$(mktemp -d "${TMPDIR:-/tmp}/bench-exhaustive.XXXXXX")
trap 'rm -rf "$work"' EXIT

# the near-equal huge values: all 1000 values in [2^64 - 1000, 2^64)
huge_range="--min 18446744073709550616 -m 18446744073709551616"

echo "pc-score: $(command -v pc-score)${simd:+ (PC_SIMD=$simd)}"
echo "ns/pair:  wall/CPU; instr/pair: callgrind (valgrind has no AVX-512: AVX2 at most)"
echo "machine:  $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg) (shared: wall times are noisy)"
# instructions ARGS...: callgrind's count of pc-score ARGS
instructions() {
	valgrind --tool=callgrind --callgrind-out-file=/dev/null pc-score "$@" 2>&1 > /dev/null |
		sed -n 's/.*Collected : *\([0-9]*\).*/\1/p'
}
# cpu_seconds RUNS CMD: the median CPU time (user + system) of CMD
cpu_seconds() {
	local runs=$1 i
	shift
	for ((i = 0; i < runs; i++)); do
		# the second line of `times`: the children's user and system time
		(bash -c "$*" > /dev/null 2>&1; times) | sed -n 2p |
			awk '{ split($1, u, /[ms]/); split($2, s, /[ms]/)
				printf "%.4f\n", u[1] * 60 + u[2] + s[1] * 60 + s[2] }'
	done | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}
line() { printf '%-8s %12s %9s %9s %11s %11s\n' "$@"; }
line input "rows x cols" "wall s" "CPU s" "ns/pair" "instr/pair"
for what in small huge; do
	if [ "$what" = small ]; then rc=$small range=""; else rc=$huge range=$huge_range; fi
	rows=${rc%,*} cols=${rc#*,}
	f=$work/$what.csv
	# shellcheck disable=SC2086 # range is two options or none
	pc-gen -r "$rows" -c "$cols" -s 1 $range -o "$f"
	pc-score "$f" > "$work/closed.out"
	pc-score -m exhaustive "$f" > "$work/exhaustive.out"
	cmp -s "$work/closed.out" "$work/exhaustive.out" ||
		{ echo "bench-exhaustive: FAILED: the two methods disagree on $what" >&2; exit 1; }
	pairs=$((rows * cols * (cols - 1)))
	t=$(median_seconds "$runs" "pc-score -m exhaustive $f")
	c=$(cpu_seconds "$runs" "pc-score -m exhaustive $f")
	ns=$(awk -v t="$t" -v c="$c" -v p="$pairs" 'BEGIN { printf "%.3f/%.3f", t * 1e9 / p, c * 1e9 / p }')
	ipp=n/a
	if [ "$cg_rows" -gt 0 ] && command -v valgrind > /dev/null; then
		head -n "$cg_rows" "$f" > "$work/cg.csv"
		cg_pairs=$(( $(wc -l < "$work/cg.csv") * cols * (cols - 1) ))
		ir=$(instructions -m exhaustive "$work/cg.csv")
		ir0=$(instructions -m closed "$work/cg.csv")
		ipp=$(awk -v i="$ir" -v i0="$ir0" -v p="$cg_pairs" 'BEGIN { printf "%.2f", (i - i0) / p }')
	fi
	line "$what" "${rows}x$cols" "$t" "$c" "$ns" "$ipp"
done
