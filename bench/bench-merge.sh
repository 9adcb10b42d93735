#!/usr/bin/env bash
# bench/bench-merge.sh - pc-merge on many small scored chunks (100,000 of
# one row each by default) against pc-merge on the same rows unframed and
# against cat of the scored stream, median of RUNS runs, all in one run.
# A framing line must cost the reader its own length, not a block's: the
# framed figure should stay within a small factor of the unframed one.
#
#   bench/bench-merge.sh [-r ROWS] [-c COLS] [-n RUNS] [--bindir DIR] [--keep]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

rows=100000 cols=5 runs=5 bindir="" keep=0
while [ $# -gt 0 ]; do
	case $1 in
	-r) rows=$2; shift 2 ;;
	-c) cols=$2; shift 2 ;;
	-n) runs=$2; shift 2 ;;
	--bindir) bindir=$2; shift 2 ;;
	--keep) keep=1; shift ;;
	-h|--help) sed -n '2,8p' "$0"; exit 0 ;;
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
printf '%-44s %10s\n' command seconds
printf '%-44s %10s\n' "cat scored stream >/dev/null" "$t_cat"
printf '%-44s %10s\n' "pc-merge, $rows one-row chunks" "$t_framed"
printf '%-44s %10s\n' "pc-merge, the same rows unframed" "$t_plain"
echo "ratio framed/unframed = $(ratio "$t_framed" "$t_plain"); framed/cat = $(ratio "$t_framed" "$t_cat")"
