#!/usr/bin/env bash
# bench/bench-startup.sh - where pc-mpirun's start-up goes: mpirun alone
# (`mpirun -n N true`), a bare MPI program of the same MPI (MPI_Init_thread
# and MPI_Finalize, nothing else, compiled here with MPICC), and pc-mpirun
# on a one-row file; median of RUNS runs each, in one run.  What pc-mpirun
# adds is the third minus the second: the rest is the MPI's own.
#
#   bench/bench-startup.sh [-n RUNS] [--ranks N] [--mpicc CC] [--mpirun CMD] [--bindir DIR]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

runs=11 ranks=2 mpicc=${MPICC:-mpicc} mpirun=${MPIRUN:-mpirun} bindir=""
while [ $# -gt 0 ]; do
	case $1 in
	-n) runs=$2; shift 2 ;;
	--ranks) ranks=$2; shift 2 ;;
	--mpicc) mpicc=$2; shift 2 ;;
	--mpirun) mpirun=$2; shift 2 ;;
	--bindir) bindir=$2; shift 2 ;;
	-h|--help) sed -n '2,8p' "$0"; exit 0 ;;
	*) echo "bench-startup: unknown option '$1'" >&2; exit 2 ;;
	esac
done
bench_bindir "$bindir"
command -v pc-mpirun > /dev/null || { echo "bench-startup: pc-mpirun is not built" >&2; exit 2; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
launch="$mpirun -n $ranks"
case $("$mpirun" --version 2>&1) in
*"Open MPI"* | *OpenRTE*) launch="$mpirun --oversubscribe -n $ranks" ;;
esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/bare.c" <<'EOF'
#include <mpi.h>
int main(int argc, char **argv)
{
	int provided;
	MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
	MPI_Finalize();
	return 0;
}
EOF
"$mpicc" -O2 -o "$work/bare" "$work/bare.c"
printf 'a,1,2\n' > "$work/one.csv"

echo "machine: $(nproc) CPUs; $launch; $runs runs each, median wall time"
t_true=$(median_seconds "$runs" "$launch true")
t_bare=$(median_seconds "$runs" "$launch $work/bare")
t_pc=$(median_seconds "$runs" "$launch pc-mpirun -o $work/out.csv $work/one.csv")
printf '%-52s %8s\n' "mpirun alone (true)" "$t_true" \
	"a bare MPI program (MPI_Init_thread, MPI_Finalize)" "$t_bare" \
	"pc-mpirun on one row" "$t_pc"
printf '\nthe MPI'"'"'s own start-up and end (bare - true): %.3f s\n' \
	"$(awk -v a="$t_bare" -v b="$t_true" 'BEGIN { print a - b }')"
printf 'what pc-mpirun adds (pc-mpirun - bare):         %.3f s (%s x the bare program)\n' \
	"$(awk -v a="$t_pc" -v b="$t_bare" 'BEGIN { print a - b }')" "$(ratio "$t_pc" "$t_bare")"
