#!/usr/bin/env bash
# bench/bench-parallel.sh - speed-up of pc-threads and pc-mpirun over
# pc-score, on the closed form (I/O-bound) and the exhaustive method
# (compute-bound), median of RUNS runs each, all in one run.
#
#   bench/bench-parallel.sh [-n RUNS] [--rows-closed R] [--rows-exhaustive R]
#                           [--cols C] [--bindir DIR] [--plot FILE.png] [--keep]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

runs=5 rows_closed=200000 rows_exhaustive=40000 cols=500 bindir="" plot="" keep=0
while [ $# -gt 0 ]; do
	case $1 in
	-n) runs=$2; shift 2 ;;
	--rows-closed) rows_closed=$2; shift 2 ;;
	--rows-exhaustive) rows_exhaustive=$2; shift 2 ;;
	--cols) cols=$2; shift 2 ;;
	--bindir) bindir=$2; shift 2 ;;
	--plot) plot=$2; shift 2 ;;
	--keep) keep=1; shift ;;
	-h|--help) sed -n '2,7p' "$0"; exit 0 ;;
	*) echo "bench-parallel: unknown option '$1'" >&2; exit 2 ;;
	esac
done
bench_bindir "$bindir"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
have_mpi=0
command -v pc-mpirun > /dev/null && command -v mpirun > /dev/null && have_mpi=1

work=$(mktemp -d)
[ "$keep" = 1 ] || trap 'rm -rf "$work"' EXIT
pc-gen -r "$rows_closed" -c "$cols" -s 1 -o "$work/closed.csv"
pc-gen -r "$rows_exhaustive" -c "$cols" -s 2 -o "$work/exhaustive.csv"
cat "$work"/*.csv > /dev/null   # into the page cache

echo "machine: $(nproc) CPUs; $runs runs each, median wall time"
echo "closed form: ${rows_closed}x$cols ($(du -m "$work/closed.csv" | cut -f1) MB);" \
     "exhaustive: ${rows_exhaustive}x$cols"
printf '\n%-12s %-22s %10s %9s\n' method command seconds speed-up
table="$work/table"
: > "$table"
for method in closed exhaustive; do
	f="$work/$method.csv"
	want=$(pc-score -m "$method" "$f" | md5sum)
	base=$(median_seconds "$runs" "pc-score -m $method $f")
	printf '%-12s %-22s %10s %9s\n' "$method" "pc-score" "$base" "1.00"
	cmds=("pc-threads -j 1" "pc-threads -j 2")
	[ "$have_mpi" = 1 ] && cmds+=("mpirun -n 1 pc-mpirun" "mpirun -n 2 pc-mpirun")
	for c in "${cmds[@]}"; do
		full="${c/mpirun /mpirun --oversubscribe } -m $method $f"
		[ "$(eval "$full" < /dev/null | md5sum)" = "$want" ] ||
			{ echo "bench-parallel: '$c' output differs from pc-score's" >&2; exit 1; }
		t=$(median_seconds "$runs" "$full < /dev/null")
		s=$(ratio "$base" "$t")
		printf '%-12s %-22s %10s %9s\n' "$method" "$c" "$t" "$s"
		workers=${c##* -[jn] }; workers=${workers%% *}
		echo "$method ${c%% *} $workers $s" >> "$table"
	done
done
[ "$have_mpi" = 1 ] || echo "(pc-mpirun or mpirun is missing: no MPI rows)"

echo
echo "targets on 2 cores: pc-threads -j 2 >= 1.8x exhaustive, >= 1.5x closed;" \
     "pc-mpirun -n 2 >= 1.6x exhaustive (mpirun's own start-up included)"

if [ -n "$plot" ]; then
	if command -v gnuplot > /dev/null; then
		for m in closed exhaustive; do
			for p in pc-threads mpirun; do
				awk -v m="$m" -v p="$p" '$1 == m && $2 == p { print $3, $4 }' "$table" > "$work/$m-$p.dat"
			done
		done
		gnuplot <<-GP
			set terminal png size 800,500
			set output "$plot"
			set title "PowerCouples speed-up over pc-score ($(nproc) CPUs)"
			set xlabel "workers (threads or ranks)"
			set ylabel "speed-up"
			set xtics 1
			set key left top
			set yrange [0:*]
			plot x title "ideal" dashtype 2 lc rgb "gray", \
			     "$work/exhaustive-pc-threads.dat" with linespoints title "pc-threads, exhaustive", \
			     "$work/exhaustive-mpirun.dat" with linespoints title "pc-mpirun, exhaustive", \
			     "$work/closed-pc-threads.dat" with linespoints title "pc-threads, closed", \
			     "$work/closed-mpirun.dat" with linespoints title "pc-mpirun, closed"
		GP
		echo "plot: $plot"
	else
		echo "(gnuplot is not installed: no plot)"
	fi
fi
