#!/usr/bin/env bash
# bench/bench-score.sh - pc-score's throughput against `cat FILE >/dev/null`
# and an awk one-liner of the closed form, and pc-gen's throughput writing
# the same input to /dev/null, as medians of RUNS runs measured in one run
# of this script.  A benchmark, not a test: it prints figures.
#
#   bench/bench-score.sh [-r ROWS] [-c COLS] [-n RUNS] [--bindir DIR]
#                        [--exhaustive] [--keep]
#
#   -r ROWS        rows of input (default 200000)
#   -c COLS        values per row (default 500), in [0,100) as pc-gen's default
#   -n RUNS        timed runs per command, after one warm-up (default 5)
#   --bindir DIR   the build tree holding pc-score/pc-score and pc-gen/pc-gen,
#                  or a directory holding pc-score and pc-gen (default: the
#                  tree this script is in; else they are taken from PATH)
#   --exhaustive   also time pc-score -m exhaustive (slow: minutes by default)
#   --keep         keep the temporary directory with the input and outputs
#
# Before timing anything it checks that pc-score and the awk closed form
# write the same bytes for the input, and stops with status 1 if they do not.
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

usage() { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; }
need_arg() { [ $# -ge 2 ] || { echo "bench-score: option '$1' needs a value" >&2; exit 2; }; }

rows=200000 cols=500 runs=5 bindir="" exhaustive=0 keep=0
while [ $# -gt 0 ]; do
	case $1 in
	-r) need_arg "$@"; rows=$2; shift 2 ;;
	-c) need_arg "$@"; cols=$2; shift 2 ;;
	-n) need_arg "$@"; runs=$2; shift 2 ;;
	--bindir) need_arg "$@"; bindir=$2; shift 2 ;;
	--exhaustive) exhaustive=1; shift ;;
	--keep) keep=1; shift ;;
	-h|--help) usage; exit 0 ;;
	*) echo "bench-score: unknown option '$1' (try --help)" >&2; exit 2 ;;
	esac
done
for n in "$rows" "$cols" "$runs"; do
	case $n in
	'' | *[!0-9]* | 0) echo "bench-score: '$n' is not a positive whole number" >&2; exit 2 ;;
	esac
done

# A build tree (DIR/pc-score/pc-score) or a bin directory (DIR/pc-score).
bench_bindir "$bindir"
if [ -n "$bindir" ] && [ -x "$bindir/pc-score" ]; then
	PATH="$bindir:$PATH"
fi
for p in pc-score pc-gen; do
	command -v "$p" > /dev/null ||
		{ echo "bench-score: $p not found (build it, or give --bindir DIR)" >&2; exit 2; }
done
awk_cmd=$(command -v mawk || command -v awk)
awk_name=$(basename "$awk_cmd")


work=$(mktemp -d "${TMPDIR:-/tmp}/bench-score.XXXXXX")
if [ "$keep" = 1 ]; then
	echo "keeping $work"
else
	trap 'rm -rf "$work"' EXIT
fi
f=$work/input.csv
printf '%s\n' "$bench_closed_awk" > "$work/closed.awk"

echo "pc-score: $(command -v pc-score)"
echo "pc-gen:   $(command -v pc-gen)"
echo "awk:      $awk_cmd"
echo "timing:   $(command -v hyperfine > /dev/null && command -v python3 > /dev/null &&
	echo hyperfine || echo 'date +%s%N loop')"
pc-gen -r "$rows" -c "$cols" -s 1 -o "$f"
cat "$f" > /dev/null   # into the page cache

# The awk closed form is an independent check of pc-score's answers.
pc-score "$f" > "$work/pc-score.out"
"$awk_cmd" -f "$work/closed.awk" "$f" > "$work/awk.out"
if ! cmp -s "$work/pc-score.out" "$work/awk.out"; then
	echo "bench-score: FAILED: pc-score and the $awk_name closed form disagree on $f" >&2
	diff "$work/pc-score.out" "$work/awk.out" | head -n 10 >&2 || true
	[ "$keep" = 1 ] || echo "bench-score: rerun with --keep to look at the files" >&2
	exit 1
fi
echo "outputs agree: pc-score and the $awk_name closed form, $(wc -l < "$work/awk.out") rows"
if [ "$exhaustive" = 1 ]; then
	# a cheap check on the first rows; the test suite checks the rest
	head -n 2000 "$f" | pc-score -m exhaustive > "$work/exhaustive.out"
	if ! head -n 2000 "$work/pc-score.out" | cmp -s - "$work/exhaustive.out"; then
		echo "bench-score: FAILED: the two methods disagree on the first 2000 rows" >&2
		exit 1
	fi
	echo "outputs agree: pc-score -m exhaustive on the first 2000 rows"
fi

bytes=$(wc -c < "$f")
mb=$(awk -v s="$bytes" 'BEGIN { printf "%.1f", s / 1e6 }')
t_cat=$(median_seconds "$runs" "cat $f")
t_gen=$(median_seconds "$runs" "pc-gen -r $rows -c $cols -s 1")
t_awk=$(median_seconds "$runs" "$awk_cmd -f $work/closed.awk $f")
t_score=$(median_seconds "$runs" "pc-score $f")
# -o makes the result durable before it appears (fsync of the file, then
# of its directory): its cost against plain redirection to a file
t_redir=$(median_seconds "$runs" "pc-score $f > $work/redir.out")
t_dash_o=$(median_seconds "$runs" "pc-score -o $work/dash-o.out $f")
t_ex=""
[ "$exhaustive" = 1 ] && t_ex=$(median_seconds "$runs" "pc-score -m exhaustive $f")

echo
echo "input: $rows rows x $cols values in [0,100), $mb MB; median of $runs runs"
line() { printf '%-24s %10s %10s %10s\n' "$@"; }
line command seconds MB/s "x cat"
line "cat FILE >/dev/null" "$t_cat" "$(ratio "$mb" "$t_cat")" "1.00"
line "$awk_name closed form" "$t_awk" "$(ratio "$mb" "$t_awk")" "$(ratio "$t_awk" "$t_cat")"
line "pc-score" "$t_score" "$(ratio "$mb" "$t_score")" "$(ratio "$t_score" "$t_cat")"
line "pc-gen (writes FILE)" "$t_gen" "$(ratio "$mb" "$t_gen")" "$(ratio "$t_gen" "$t_cat")"
[ -z "$t_ex" ] ||
	line "pc-score -m exhaustive" "$t_ex" "$(ratio "$mb" "$t_ex")" "$(ratio "$t_ex" "$t_cat")"
echo
echo "pc-score throughput = $(ratio "$mb" "$t_score") MB/s"
echo "ratio pc-score/$awk_name = $(awk -v a="$t_score" -v b="$t_awk" \
	'BEGIN { if (a > 0 && b > 0) printf "%.4f (awk takes %.0f times as long)", a / b, b / a
		else printf "n/a (too fast to measure)" }')"
echo "ratio pc-score/cat = $(ratio "$t_score" "$t_cat") (target <= 8)"
echo "pc-gen throughput = $(ratio "$mb" "$t_gen") MB/s (target >= 500)"
echo "pc-score > FILE: $t_redir s; pc-score -o FILE (synced, renamed): $t_dash_o s;" \
     "ratio -o/redirection = $(ratio "$t_dash_o" "$t_redir")"
