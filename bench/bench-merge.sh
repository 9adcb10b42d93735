#!/usr/bin/env bash
# bench/bench-merge.sh - pc-merge on many small scored chunks (100,000 of
# one row each by default) against pc-merge on the same rows unframed and
# against cat of the scored stream, median of RUNS runs, all in one run.
# A framing line must cost the reader its own length, not a block's: the
# framed figure should stay within a small factor of the unframed one.
# Then pc-merge of a few large chunks in order (pc-split -n 8 of a
# R x C file, each scored, concatenated) against cat of the same bytes.
#
#   bench/bench-merge.sh [-r ROWS] [-c COLS] [-R ROWS] [-C COLS] [-n RUNS]
#                        [--bindir DIR] [--keep]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

rows=100000 cols=5 runs=5 bindir="" keep=0 big_rows=200000 big_cols=500
while [ $# -gt 0 ]; do
	case $1 in
	-r) rows=$2; shift 2 ;;
	-c) cols=$2; shift 2 ;;
	-R) big_rows=$2; shift 2 ;;
	-C) big_cols=$2; shift 2 ;;
	-n) runs=$2; shift 2 ;;
	--bindir) bindir=$2; shift 2 ;;
	--keep) keep=1; shift ;;
	-h|--help) sed -n '2,11p' "$0"; exit 0 ;;
	*) echo "bench-merge: unknown option '$1'" >&2; exit 2 ;;
	esac
done
bench_bindir "$bindir"

work=$(mktemp -d)
[ "$keep" = 1 ] || trap 'rm -rf "$work"' EXIT
f="$work/input.csv"
pc-gen -r "$rows" -c "$cols" -s 3 -o "$f"
pc-split -l 1 -d "$work/chunks" "$f" > "$work/paths"
# every chunk scored, in one stream, as GNU Parallel would deliver them
xargs -a "$work/paths" cat | pc-score > "$work/scored.stream"
pc-score "$f" > "$work/plain.out"
pc-merge "$work/scored.stream" | cmp -s - "$work/plain.out" ||
	{ echo "bench-merge: pc-merge's output differs from pc-score's" >&2; exit 1; }
echo "outputs agree (pc-merge of $rows chunks and pc-score)"

mb=$(awk -v s="$(wc -c < "$work/scored.stream")" 'BEGIN { printf "%.1f", s / 1e6 }')
t_cat=$(median_seconds "$runs" "cat $work/scored.stream")
t_framed=$(median_seconds "$runs" "pc-merge $work/scored.stream")
t_plain=$(median_seconds "$runs" "pc-merge $work/plain.out")
echo "input: $rows one-row chunks of $cols values, $mb MB scored; median of $runs runs"
bench_times "cat scored stream >/dev/null" "$t_cat" \
	"pc-merge, $rows one-row chunks" "$t_framed" \
	"pc-merge, the same rows unframed" "$t_plain"
echo "ratio framed/unframed = $(ratio "$t_framed" "$t_plain"); framed/cat = $(ratio "$t_framed" "$t_cat")"

# in-order scored chunks: what a pipeline's pc-merge reads
g="$work/big.csv"
pc-gen -r "$big_rows" -c "$big_cols" -s 5 -o "$g"
pc-split -n 8 -d "$work/big" "$g" > "$work/big.paths"
xargs -a "$work/big.paths" -I{} sh -c 'pc-score "$1" > "$1.scored"' sh {}
sed 's/$/.scored/' "$work/big.paths" | xargs cat > "$work/big.stream"
rm -f "$g"
pc-merge "$work/big.stream" | cmp -s - <(sed 's/$/.scored/' "$work/big.paths" | xargs cat | grep -v '^#pc:') ||
	{ echo "bench-merge: pc-merge of the 8 chunks is not their rows in order" >&2; exit 1; }
mbb=$(awk -v s="$(wc -c < "$work/big.stream")" 'BEGIN { printf "%.1f", s / 1e6 }')
t_cat8=$(median_seconds "$runs" "cat $work/big.stream")
t_merge8=$(median_seconds "$runs" "pc-merge $work/big.stream")
echo "input: pc-split -n 8 of ${big_rows}x$big_cols, each chunk scored, in order: $mbb MB; median of $runs runs"
bench_times "cat scored chunks >/dev/null" "$t_cat8" "pc-merge, 8 chunks in order" "$t_merge8"
echo "ratio in-order chunks/cat = $(ratio "$t_merge8" "$t_cat8")"
