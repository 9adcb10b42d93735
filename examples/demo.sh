#!/usr/bin/env bash
# demo.sh - what powercouples does, in two parts (run by `make demo`, and
# installed with the documentation, next to demo.csv):
#
#  1. the rules: each row of demo.csv shows one of them; pc-score scores
#     the file and every row is printed beside its answer with a line
#     saying why;
#  2. the scale: pc-gen writes a big input (and a smaller one for the
#     exhaustive method), and every way of running scores it (pc-score,
#     pc-threads, pc-split | parallel | pc-merge, mpirun pc-mpirun when it
#     was built), with the time each took and a check (cmp) that all of
#     them wrote the same bytes.
#
#   demo.sh [-r ROWS] [-x ROWS] [-c COLS] [-j N] [--rules FILE] [--workdir DIR]
#
#   -r ROWS        rows of the big input, for the closed form (default
#                  34000: about 50 MB with 500 values a row)
#   -x ROWS        rows of the input of the exhaustive method (default 4000)
#   -c COLS        values per row of both (default 500)
#   -j N           threads, jobs and ranks of the parallel runs (default:
#                  nproc, at least 2)
#   --rules FILE   the rule rows (default: demo.csv next to this script)
#   --workdir DIR  write the inputs and outputs into DIR and keep them
#                  (default: a temporary directory, removed at the end)
#
# The programs are taken from PATH: `make demo` puts the build tree's
# first; after `make install` the installed ones are used.  Open MPI's
# mpirun is given --oversubscribe, and as root the two variables it wants;
# MPIRUN names another launcher (make demo passes configure's).
# Exit status: 0 when every way of running wrote the same bytes, 1 when
# one did not, 2 for a usage error or a program that failed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
usage() { sed -n '2,29p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "demo: $*" >&2; exit 2; }

rows=34000 rows_ex=4000 cols=500 jobs="" rules=$here/demo.csv workdir=""
while [ $# -gt 0 ]; do
	case $1 in
	-r | -x | -c | -j | --rules | --workdir)
		[ $# -ge 2 ] || die "option '$1' needs a value"
		case $1 in
		-r) rows=$2 ;; -x) rows_ex=$2 ;; -c) cols=$2 ;; -j) jobs=$2 ;;
		--rules) rules=$2 ;; --workdir) workdir=$2 ;;
		esac
		shift 2 ;;
	-h | --help) usage; exit 0 ;;
	*) die "unknown option '$1' (try --help)" ;;
	esac
done
if [ -z "$jobs" ]; then
	jobs=$(nproc)
	[ "$jobs" -ge 2 ] || jobs=2
fi
for n in "$rows" "$rows_ex" "$cols" "$jobs"; do
	case $n in
	'' | *[!0-9]* | 0) die "'$n' is not a positive whole number" ;;
	esac
done
[ "$cols" -ge 2 ] || die "a row needs at least 2 values (-c $cols)"
[ -r "$rules" ] || die "cannot read the rule rows '$rules'"
for p in pc-score pc-gen pc-threads pc-split pc-merge parallel; do
	command -v "$p" > /dev/null || die "$p is not on PATH (build it, or make install)"
done

if [ -n "$workdir" ]; then
	mkdir -p "$workdir"
	work=$(cd "$workdir" && pwd)
else
	work=$(mktemp -d "${TMPDIR:-/tmp}/pc-demo.XXXXXX")
	trap 'rm -rf "$work"' EXIT
fi

echo "powercouples demo, with $(command -v pc-score) ($(pc-score --version | head -n 1))"

# ---- 1. the rules ----------------------------------------------------------
# One line per row of demo.csv, in its order: why the answer is what it is.
# The CSV itself holds rows only (a comment or a header would be a bad row).
why=(
	"5 and 8 are the two largest; from 3 up the smaller base wins: 5^8 = 390625 > 8^5 = 32768"
	"2^4 = 4^2 = 16, a tie: the first pair in the order (0,1), (0,2), ..., (1,0), ... wins: 2,4"
	"the same tie with the 4 first: the first pair, (0,1), is 4^2"
	"3^2 = 9 > 2^3 = 8: the one case where the larger number wins as the base"
	"from 5 up, 2 wins as the base: 2^5 = 32 > 5^2 = 25"
	"an exponent of 1: 7^1 = 7; every other pair is worth 1"
	"every pair is 1^1 = 1, a tie: the first pair wins"
	"nothing beats 1 (0^1 = 0): the first pair worth 1 is 1^0, at (0,1)"
	"0^0 = 1, exactly (no error): every pair is worth 1, the first wins"
	"0^5 = 0 < 5^0 = 1: the larger power wins, not the first pair"
	"2^64-1 and 2^64-2 are one number as doubles (2^64); exactly, (2^64-2)^(2^64-1) wins"
	"the largest value twice: two positions, so it may pair with itself"
	"a quoted name with a comma is one field, written back byte for byte; 3^4 = 81 > 4^3 = 64"
)
mapfile -t input < "$rules"
pc-score -o "$work/rules.out" "$rules"
mapfile -t output < "$work/rules.out"
if [ "${#input[@]}" -ne "${#why[@]}" ] || [ "${#output[@]}" -ne "${#why[@]}" ]; then
	die "$rules has ${#input[@]} lines and pc-score wrote ${#output[@]} rows, for ${#why[@]} explanations"
fi
width=5
for row in "${input[@]}"; do
	[ "${#row}" -le "$width" ] || width=${#row}
done
echo
echo "== 1. The rules, one row each: $rules, scored by pc-score"
echo "   (each row is name,n1,...,nk; the answer name,x,y has the largest x^y of two positions)"
echo
printf '   %-*s      %s\n' "$width" input "output (name,x,y)"
for i in "${!input[@]}"; do
	printf '   %-*s  ->  %s\n' "$width" "${input[i]}" "${output[i]}"
	printf '        %s\n' "${why[i]}"
done

# ---- 2. the scale ----------------------------------------------------------
mpirun=${MPIRUN:-mpirun}
mpi="" mpi_shown=""   # the launcher with its options; the same as typed
if command -v pc-mpirun > /dev/null && command -v "$mpirun" > /dev/null; then
	case $("$mpirun" --version 2>&1) in
	*"Open MPI"* | *OpenRTE*)
		mpi="$mpirun --oversubscribe"
		if [ "$(id -u)" -eq 0 ]; then
			export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
		fi ;;
	*) mpi=$mpirun ;;
	esac
	mpi_shown=${mpirun##*/}${mpi#"$mpirun"}
fi

mb() { awk -v s="$(wc -c < "$1")" 'BEGIN { printf "%.1f MB", s / 1e6 }'; }

# timed LABEL OUT CMD...: run CMD (its output in OUT), print LABEL, the wall
# time, and the speed-up over the first run of the section ($base_ns)
timed() {
	local label=$1 out=$2 t0 t1
	shift 2
	t0=$(date +%s%N)
	"$@" > "$out" || die "'$label' failed"
	t1=$(date +%s%N)
	local ns=$((t1 - t0))
	[ "$ns" -gt 0 ] || ns=1
	[ -n "$base_ns" ] || base_ns=$ns
	awk -v l="$label" -v t="$ns" -v b="$base_ns" \
		'BEGIN { printf "   %-64s %7.2f s %9.2f\n", l, t / 1e9, b / t }'
}

pipeline() {   # pipeline IN METHOD: pc-split | parallel pc-score | pc-merge
	rm -rf "$work/chunks"
	pc-split -n $((2 * jobs)) -d "$work/chunks" "$1" |
		parallel --will-cite -j "$jobs" pc-score -m "$2" |
		pc-merge
}

differ=0 base_ns=""
# every_way METHOD FILE: score FILE with METHOD every way, compare the bytes
every_way() {
	local m=$1 f=$2 name out
	base_ns=""
	printf '   %-64s %9s %9s\n' "" "wall time" "speed-up"
	timed "pc-score -m $m" "$work/$m.pc-score" pc-score -m "$m" "$f"
	timed "pc-threads -j $jobs -m $m" "$work/$m.pc-threads" pc-threads -j "$jobs" -m "$m" "$f"
	timed "pc-split -n $((2 * jobs)) | parallel -j $jobs pc-score -m $m | pc-merge" \
		"$work/$m.pipeline" pipeline "$f" "$m"
	if [ -n "$mpi" ]; then
		# shellcheck disable=SC2086 # $mpi is the launcher and its options
		timed "$mpi_shown -n $jobs pc-mpirun -m $m" "$work/$m.pc-mpirun" \
			$mpi -n "$jobs" pc-mpirun -m "$m" "$f" < /dev/null
	fi
	for name in pc-threads pipeline pc-mpirun; do
		out=$work/$m.$name
		[ -e "$out" ] || continue
		if cmp -s "$work/$m.pc-score" "$out"; then
			echo "   cmp: $name wrote the same bytes as pc-score ($(wc -l < "$out") rows)"
		else
			echo "   cmp: $name DIFFERS from pc-score: $(cmp "$work/$m.pc-score" "$out" 2>&1 || true)"
			differ=1
		fi
	done
}

big=$work/big.csv
small=$work/exhaustive.csv
echo
echo "== 2. At scale: every way of running, on $jobs workers ($(nproc) CPUs here)"
pc-gen -r "$rows" -c "$cols" -s 42 -o "$big"
pc-gen -r "$rows_ex" -c "$cols" -s 43 -o "$small"
cat "$big" "$small" > /dev/null   # into the page cache, for every run alike
echo
echo "-- the closed form, one pass a row (I/O-bound): pc-gen -r $rows -c $cols -s 42, $(mb "$big")"
every_way closed "$big"
echo "   (the closed form goes as fast as the input can be read: starting jobs or ranks"
echo "   and copying chunks cost more than the extra CPUs save)"
echo
echo "-- the exhaustive method, every pair (compute-bound): pc-gen -r $rows_ex -c $cols -s 43, $(mb "$small")"
every_way exhaustive "$small"
pc-score "$small" > "$work/closed-on-small.out"
if cmp -s "$work/closed-on-small.out" "$work/exhaustive.pc-score"; then
	echo "   cmp: the closed form gives the same answers on this input"
else
	echo "   cmp: the closed form DIFFERS from the exhaustive method on this input"
	differ=1
fi
echo "   (here the work is the CPU's: N workers come close to N times as fast when N"
echo "   cores are idle, and the inputs are many blocks of 1 MiB)"
[ -n "$mpi" ] || echo "   (pc-mpirun was not built, or there is no mpirun: no MPI run)"

echo
echo "Wall times of one run each, on a machine that may be busy; bench/speedup.sh"
echo "(make bench) measures medians of several runs and draws the speed-up."
if [ "$differ" -ne 0 ]; then
	echo "demo: some outputs differ (see cmp above)" >&2
	exit 1
fi
echo "All the outputs of each input are byte-identical."
