#!/usr/bin/env bash
# bench/bench-cluster.sh - the pc-split | parallel | pc-merge pipeline across
# two simulated hosts (tests/test_helper/cluster.bash: as root) against one
# host, for a few chunk counts: the median wall time of RUNS runs, the time
# per chunk, and what ssh and rsync cost per chunk, as ratios to local
# GNU Parallel measured in the same run; advice on chunk sizes at the end.
#
#   bench/bench-cluster.sh [-r ROWS] [-c COLS] [-n RUNS] [--chunks "2 8 32"]
#                          [--bindir DIR] [--keep]
#
# The hosts are namespaces of this machine: they share its CPUs, so two
# hosts compute no faster than one; what this measures is the cost of going
# through ssh and rsync, which a real cluster pays too (plus its network).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

rows=40000 cols=500 runs=3 counts="2 8 32" bindir="" keep=0
while [ $# -gt 0 ]; do
	case $1 in
	-r) rows=$2; shift 2 ;;
	-c) cols=$2; shift 2 ;;
	-n) runs=$2; shift 2 ;;
	--chunks) counts=$2; shift 2 ;;
	--bindir) bindir=$2; shift 2 ;;
	--keep) keep=1; shift ;;
	-h|--help) sed -n '2,13p' "$0"; exit 0 ;;
	*) echo "bench-cluster: unknown option '$1'" >&2; exit 2 ;;
	esac
done
[ "$(id -u)" -eq 0 ] || { echo "bench-cluster: needs root (the simulated cluster)" >&2; exit 1; }
command -v parallel > /dev/null || { echo "bench-cluster: GNU Parallel is not installed" >&2; exit 1; }
bench_bindir "$bindir"
export PC_BUILDDIR=${bindir:-$bench_top}
. "$bench_top/tests/test_helper/cluster.bash"

work=$(mktemp -d)
cleanup() {
	cluster_down || true
	[ "$keep" = 1 ] || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cd "$work"

echo "bench-cluster: starting 2 hosts and installing the toolkit there ($PC_BUILDDIR)"
cluster_up 2 "$work/cluster"
cluster_install

f=input.csv
pc-gen -r "$rows" -c "$cols" -s 1 -o "$f"
mb=$(awk -v s="$(wc -c < "$f")" 'BEGIN { printf "%.1f", s / 1e6 }')
pc-score "$f" > expected

par="parallel --will-cite --ssh $CLUSTER_SSH"
remote="--transferfile {} --return {}.out --cleanup pc-score -o {}.out {}"
# pipeline N PARALLEL-ARGS: split into N chunks, score with GNU Parallel,
# merge; the command line, for median_seconds
pipeline() {
	local n=$1
	shift
	echo "rm -rf w; pc-split -n $n -d w $f | $* && pc-merge -o result.csv w/*.out"
}
declare -A cmd
for n in $counts; do
	cmd[local,$n]=$(pipeline "$n" "parallel --will-cite -j 2 pc-score -o {}.out {}")
	cmd[h1,$n]=$(pipeline "$n" "$par -S 2/h1 $remote")
	cmd[h1h2,$n]=$(pipeline "$n" "$par -S 1/h1,1/h2 $remote")
	cmd[h1h2M,$n]=$(pipeline "$n" "$par -M -S 1/h1,1/h2 $remote")
done
# every way gives pc-score's bytes, and leaves nothing on the hosts
for k in "${!cmd[@]}"; do
	bash -c "${cmd[$k]}" > /dev/null 2>&1 || { echo "bench-cluster: '${cmd[$k]}' failed" >&2; exit 1; }
	cmp -s result.csv expected || { echo "bench-cluster: $k: the output differs from pc-score's" >&2; exit 1; }
done
for h in $CLUSTER_HOSTS; do
	left=$(cluster_ssh "$h" 'find ~ /tmp -mindepth 1')
	[ -z "$left" ] || { echo "bench-cluster: left on $h: $left" >&2; exit 1; }
done
echo "outputs agree (every way, every chunk count, and pc-score)"

t_score=$(median_seconds "$runs" "pc-score -o result.csv $f")
# one chunk's round trip, without scoring: what ssh and rsync cost
echo x > one
t_ssh=$(median_seconds "$runs" "$CLUSTER_SSH h1 true")
t_trip=$(median_seconds "$runs" "$par -S 1/h1 --transferfile {} --return {}.out --cleanup 'cp {} {}.out' ::: one")
sample=sample.csv
head -n 2000 "$f" > "$sample"
mb_s=$(awk -v s="$(wc -c < "$sample")" 'BEGIN { printf "%.3f", s / 1e6 }')
t_ex=$(median_seconds "$runs" "pc-score -m exhaustive $sample")

echo
echo "input: ${rows}x$cols values, $mb MB; $(nproc) CPUs shared by both hosts; median of $runs runs"
echo "pc-score alone (the baseline): $t_score s ($(ratio "$mb" "$t_score") MB/s)"
echo "an ssh session (ssh h1 true): $t_ssh s; one job's round trip through parallel -S h1 --transferfile --return --cleanup: $t_trip s"
printf '\n%-8s %-36s %9s %9s %9s %11s\n' chunks way seconds s/chunk "/local" "ssh s/chunk"
declare -A t
for n in $counts; do
	for k in local h1 h1h2 h1h2M; do
		t[$k,$n]=$(median_seconds "$runs" "${cmd[$k,$n]}")
	done
	for k in local h1 h1h2 h1h2M; do
		case $k in
		local) way="parallel -j 2 (this host)" ;;
		h1) way="parallel -S 2/h1 (one host, ssh)" ;;
		h1h2) way="parallel -S 1/h1,1/h2" ;;
		h1h2M) way="parallel -M -S 1/h1,1/h2" ;;
		esac
		# the cost over local parallel, per chunk: each job slot pays it for
		# its chunks in turn, 2 slots in every way
		over=$(awk -v a="${t[$k,$n]}" -v b="${t[local,$n]}" -v n="$n" 'BEGIN { printf "%.3f", (a - b) * 2 / n }')
		[ "$k" = local ] && over=-
		printf '%-8s %-36s %9s %9s %9s %11s\n' "$n" "$way" "${t[$k,$n]}" \
			"$(awk -v a="${t[$k,$n]}" -v n="$n" 'BEGIN { printf "%.3f", a / n }')" \
			"$(ratio "${t[$k,$n]}" "${t[local,$n]}")" "$over"
	done
done

# advice: what a chunk costs over local parallel, from the two largest
# chunk counts (the slope: each of the 2 job slots pays it for half the
# chunks), so that the fixed costs of a run (parallel's start, -M's master
# connections) are not counted per chunk
set -- $(echo "$counts" | tr ' ' '\n' | sort -n | tail -n 2)
if [ $# -eq 2 ]; then
	na=$1 nb=$2
else
	na=0 nb=$1
	t[h1h2,0]=0 t[h1h2M,0]=0 t[local,0]=0
fi
slope() {
	awk -v ra="${t[$1,$na]}" -v rb="${t[$1,$nb]}" -v la="${t[local,$na]}" -v lb="${t[local,$nb]}" \
		-v na="$na" -v nb="$nb" 'BEGIN { o = ((rb - ra) - (lb - la)) * 2 / (nb - na); printf "%.3f", (o > 0 ? o : 0) }'
}
o=$(slope h1h2)
oM=$(slope h1h2M)
rate=$(awk -v m="$mb" -v s="$t_score" 'BEGIN { printf "%.1f", m / s }')
rate_ex=$(awk -v m="$mb_s" -v s="$t_ex" 'BEGIN { printf "%.3f", m / s }')
echo
echo "advice (from these figures):"
echo "  - each chunk sent to a host costs about $o s of ssh and rsync ($oM s with -M), whatever its size"
echo "    (from $na and $nb chunks; an ssh login alone took $t_ssh s);"
echo "    pc-score scores $rate MB/s (closed form) and $rate_ex MB/s (-m exhaustive) on one CPU here."
awk -v o="$o" -v oM="$oM" -v r="$rate" -v rx="$rate_ex" 'BEGIN {
	# a chunk of S MB takes S/r s to score: the overhead stays under 10% when S >= 10 o r
	printf "  - for that to stay under 10%% of the scoring, a chunk needs at least %.1f MB with -m exhaustive (%.1f MB with -M),\n", 10 * o * rx, 10 * oM * rx
	printf "    and %.0f MB with the closed form (%.0f MB with -M): the closed form scores faster than rsync copies, and gains nothing from other hosts;\n", 10 * o * r, 10 * oM * r
}'
echo "  - the exhaustive method is where hosts pay: pc-split -n 2 to 4 times the job slots of all hosts keeps them busy to the end"
echo "    and makes a lost host cost a few small chunks (pc-merge --rerun names them) rather than one big one;"
echo "  - use -M (ssh ControlMaster) whenever there are many chunks: it saves the ssh handshakes of every transfer and job."
