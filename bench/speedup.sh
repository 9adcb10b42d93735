#!/usr/bin/env bash
# bench/speedup.sh - the picture of the speed-up: for both methods (the
# closed form, I/O-bound; the exhaustive method, compute-bound) and the three
# ways of running in parallel (pc-threads -j N; pc-split | parallel -j N
# pc-score | pc-merge; mpirun -n N pc-mpirun), the speed-up over pc-score
# against the number of workers N, as medians of RUNS runs measured in one
# run of this script, beside the ideal line.  A benchmark, not a test: it
# prints figures.  `make bench` runs it.
#
#   bench/speedup.sh [-r ROWS] [-x ROWS] [-c COLS] [-n RUNS] [-w "N..."]
#                    [--bindir DIR] [--outdir DIR] [--keep]
#
#   -r ROWS        rows of the closed form's input (default 68000: 100 MB)
#   -x ROWS        rows of the exhaustive method's input (default 4000: 6 MB)
#   -c COLS        values per row of both (default 500, in [0,100))
#   -n RUNS        timed runs of each command, after one warm-up (default 3);
#                  pc-score's are timed again before each way's
#   -w "N..."      the numbers of workers (default: 1, 2, 4, ... up to nproc,
#                  and nproc itself)
#   --bindir DIR   the build tree (DIR/pc-score/pc-score ...) or a directory
#                  of the programs (default: the tree this script is in, else
#                  PATH)
#   --outdir DIR   where speedup.png goes (default: the directory of this
#                  script)
#   --keep         keep the temporary directory with the inputs and tables
#
# With gnuplot on PATH it draws DIR/speedup.png (and fails if gnuplot says
# anything at all); without it, it writes the table to DIR/speedup.txt.  It
# prints the table either way: one line per method, way and number of
# workers.  Before timing a command it checks that it writes pc-score's
# bytes, and stops with status 1 if not.  MPIRUN names the MPI launcher
# (default mpirun); without pc-mpirun or a launcher there are no MPI lines.
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

usage() { sed -n '2,32p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "speedup: $*" >&2; exit 2; }

rows=68000 rows_ex=4000 cols=500 runs=3 workers="" bindir="" keep=0
outdir=$bench_top/bench
while [ $# -gt 0 ]; do
	case $1 in
	-r | -x | -c | -n | -w | --bindir | --outdir)
		[ $# -ge 2 ] || die "option '$1' needs a value"
		case $1 in
		-r) rows=$2 ;; -x) rows_ex=$2 ;; -c) cols=$2 ;; -n) runs=$2 ;;
		-w) workers=$2 ;; --bindir) bindir=$2 ;; --outdir) outdir=$2 ;;
		esac
		shift 2 ;;
	--keep) keep=1; shift ;;
	-h | --help) usage; exit 0 ;;
	*) die "unknown option '$1' (try --help)" ;;
	esac
done
cpus=$(nproc)
if [ -z "$workers" ]; then
	for ((w = 1; w < cpus; w *= 2)); do
		workers+="$w "
	done
	workers+=$cpus
	[ "$cpus" -ge 2 ] || workers="1 2"   # one CPU: still show what 2 do
fi
for n in "$rows" "$rows_ex" "$cols" "$runs" $workers; do
	case $n in
	'' | *[!0-9]* | 0) die "'$n' is not a positive whole number" ;;
	esac
done
max_workers=0
for w in $workers; do
	[ "$w" -le "$max_workers" ] || max_workers=$w
done

bench_bindir "$bindir"
if [ -n "$bindir" ] && [ -x "$bindir/pc-score" ]; then
	PATH="$bindir:$PATH"
fi
for p in pc-score pc-gen pc-threads pc-split pc-merge parallel; do
	command -v "$p" > /dev/null || die "$p not found (build it, or give --bindir DIR)"
done
mpirun=${MPIRUN:-mpirun}
mpi=""
if command -v pc-mpirun > /dev/null && command -v "$mpirun" > /dev/null; then
	case $("$mpirun" --version 2>&1) in
	*"Open MPI"* | *OpenRTE*)
		mpi="$mpirun --oversubscribe"
		export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 ;;
	*) mpi=$mpirun ;;
	esac
fi
ways="pc-threads parallel"
[ -z "$mpi" ] || ways+=" mpirun"
mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/bench-speedup.XXXXXX")
if [ "$keep" = 1 ]; then
	echo "keeping $work"
else
	trap 'rm -rf "$work"' EXIT
fi

# ---- what is measured, on what ----------------------------------------------
cpu_model=$(sed -n 's/^model name[[:space:]]*: *//p' /proc/cpuinfo | head -n 1)
cores=$(awk -F': *' '/^physical id/ { p = $2 } /^core id/ { c[p ":" $2] = 1 }
	END { n = 0; for (k in c) n++; print n }' /proc/cpuinfo)
[ "$cores" -gt 0 ] || cores=$cpus
load=$(cut -d ' ' -f 1 /proc/loadavg)
closed_csv=$work/closed.csv
exhaustive_csv=$work/exhaustive.csv
pc-gen -r "$rows" -c "$cols" -s 1 -o "$closed_csv"
pc-gen -r "$rows_ex" -c "$cols" -s 2 -o "$exhaustive_csv"
cat "$closed_csv" "$exhaustive_csv" > /dev/null   # into the page cache
size() { echo "$1 x $cols, $(wc -c < "$2") bytes"; }

# way_cmd WAY N METHOD FILE: the command line of one way of running
way_cmd() {
	case $1 in
	pc-threads) echo "pc-threads -j $2 -m $3 $4" ;;
	parallel) echo "rm -rf $work/chunks; pc-split -n $((2 * $2)) -d $work/chunks $4 |" \
		"parallel --will-cite -j $2 pc-score -m $3 | pc-merge" ;;
	mpirun) echo "$mpi -n $2 pc-mpirun -m $3 $4 < /dev/null" ;;
	esac
}

# ---- the measurements --------------------------------------------------------
# Each speed-up is against a median of pc-score measured just before the
# way's, so that a shared machine's load drifting during the run moves both.
table=$work/table   # method way workers pc-score-seconds seconds speed-up
: > "$table"
for method in closed exhaustive; do
	f=${method}_csv
	f=${!f}
	pc-score -m "$method" "$f" > "$work/want"
	for way in $ways; do
		for w in $workers; do
			cmd=$(way_cmd "$way" "$w" "$method" "$f")
			bash -o pipefail -c "$cmd" > "$work/got" ||
				{ echo "speedup: '$cmd' failed" >&2; exit 1; }
			cmp -s "$work/want" "$work/got" ||
				{ echo "speedup: '$cmd' wrote other bytes than pc-score" >&2; exit 1; }
			echo "measuring: $method, $way, $w workers"
			base=$(median_seconds "$runs" "pc-score -m $method $f")
			t=$(median_seconds "$runs" "$cmd")
			echo "$method $way $w $base $t $(ratio "$base" "$t")" >> "$table"
		done
	done
done
# pc-score's range of medians, for the caption: start and drift of the run
base_range() {
	awk -v m="$1" '$1 == m { if (lo == "" || $4 < lo) lo = $4; if ($4 > hi) hi = $4 }
		END { printf (lo == hi ? "%s s" : "%s to %s s"), lo, hi }' "$table"
}

w_note="up to nproc = $cpus"
[ "$max_workers" -le "$cpus" ] || w_note="beyond nproc = $cpus: oversubscribed"
caption=(
	"machine: ${cpu_model:-unknown CPU}, $cores cores, nproc $cpus, load average $load at the start"
	"closed form: $(size "$rows" "$closed_csv"), pc-score $(base_range closed);"
	"exhaustive: $(size "$rows_ex" "$exhaustive_csv"), pc-score $(base_range exhaustive)"
	"workers: ${workers// /, } ($w_note); medians of $runs runs; speed-up = pc-score's median just before / the way's"
)

# ---- the table, always; the plot when gnuplot is there -----------------------
print_table() {
	printf '# %s\n' "${caption[@]}"
	printf '# %-10s %-10s %7s %9s %9s %8s\n' method way workers pc-score seconds speed-up
	awk '{ printf "  %-10s %-10s %7d %9.4f %9.4f %8.2f\n", $1, $2, $3, $4, $5, $6 }' "$table"
}
echo
print_table
[ -n "$mpi" ] || echo "(pc-mpirun or $mpirun is missing: no mpirun lines)"

if ! command -v gnuplot > /dev/null; then
	print_table > "$outdir/speedup.txt"
	echo "table: $outdir/speedup.txt (gnuplot is not installed: no plot)"
	exit 0
fi

png=$outdir/speedup.png
declare -A title=(
	[pc-threads]="pc-threads -j N"
	[parallel]="pc-split | parallel -j N pc-score | pc-merge"
	[mpirun]="mpirun -n N pc-mpirun"
)
gp=$work/speedup.gp
q() { printf '"%s"' "${1//[\"\\]/}"; }   # a gnuplot string
{
	echo "set terminal pngcairo size 1200,700 font 'sans,11' noenhanced"
	echo "set output $(q "$png")"
	echo "set multiplot layout 1,2 margins 0.06,0.98,0.25,0.9 spacing 0.07" \
		"title $(q "PowerCouples: speed-up over pc-score against the number of workers") font 'sans,14'"
	echo "set xlabel 'workers N (threads, parallel jobs or MPI ranks)'"
	echo "set ylabel 'speed-up (pc-score time / time on N workers)'"
	echo "set xrange [0.5:$max_workers + 0.5]"
	echo "set yrange [0:*]"
	echo "set xtics 1"
	echo "set grid"
	echo "set key top left box opaque"
	for i in "${!caption[@]}"; do
		echo "set label $((i + 1)) $(q "${caption[i]}") at screen 0.06, screen $(awk -v i="$i" 'BEGIN { print 0.13 - 0.035 * i }')"
	done
	for method in closed exhaustive; do
		if [ "$method" = closed ]; then
			echo "set title 'closed form (one pass a row: I/O-bound), $rows x $cols'"
		else
			echo "set title 'exhaustive method (every pair: compute-bound), $rows_ex x $cols'"
			echo "unset label"   # the caption once
		fi
		plot="plot x title 'ideal: N times as fast' with lines dashtype 2 lc rgb 'gray40' lw 2"
		for way in $ways; do
			awk -v m="$method" -v w="$way" '$1 == m && $2 == w { print $3, $6 }' "$table" > "$work/$method-$way.dat"
			plot+=", $(q "$work/$method-$way.dat") using 1:2 title $(q "${title[$way]}") with linespoints lw 2 pt 7 ps 1.3"
		done
		echo "$plot"
	done
	echo "unset multiplot"
} > "$gp"
if ! gnuplot "$gp" > "$work/gnuplot.out" 2>&1 || [ -s "$work/gnuplot.out" ]; then
	echo "speedup: gnuplot failed on $gp:" >&2
	cat "$work/gnuplot.out" >&2
	exit 1
fi
echo "plot: $png"
