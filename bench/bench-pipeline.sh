#!/usr/bin/env bash
# bench/bench-pipeline.sh - pc-split's throughput against `cat FILE >/dev/null`,
# and the GNU Parallel pipeline against pc-score alone, median of RUNS runs,
# all in one run.
#
#   bench/bench-pipeline.sh [-r ROWS] [-c COLS] [-n RUNS] [-j JOBS]
#                           [--rows-exhaustive R] [--bindir DIR] [--keep]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

rows=200000 cols=500 runs=5 jobs=$(nproc) bindir="" keep=0 rows_ex=20000
while [ $# -gt 0 ]; do
	case $1 in
	-r) rows=$2; shift 2 ;;
	-c) cols=$2; shift 2 ;;
	-n) runs=$2; shift 2 ;;
	-j) jobs=$2; shift 2 ;;
	--rows-exhaustive) rows_ex=$2; shift 2 ;;
	--bindir) bindir=$2; shift 2 ;;
	--keep) keep=1; shift ;;
	-h|--help) sed -n '2,7p' "$0"; exit 0 ;;
	*) echo "bench-pipeline: unknown option '$1'" >&2; exit 2 ;;
	esac
done
bench_bindir "$bindir"
command -v parallel > /dev/null || { echo "bench-pipeline: GNU Parallel is not installed" >&2; exit 1; }

work=$(mktemp -d)
[ "$keep" = 1 ] || trap 'rm -rf "$work"' EXIT
f="$work/input.csv"
pc-gen -r "$rows" -c "$cols" -s 1 -o "$f"
cat "$f" > /dev/null
mb=$(awk -v s="$(wc -c < "$f")" 'BEGIN { printf "%.1f", s / 1e6 }')

split="rm -rf $work/chunks; pc-split -n 8 -d $work/chunks $f"
pipeline="rm -rf $work/chunks; pc-split -n 8 -d $work/chunks $f | parallel --will-cite -j $jobs pc-score | pc-merge"
[ "$(bash -c "$pipeline" | md5sum)" = "$(pc-score "$f" | md5sum)" ] ||
	{ echo "bench-pipeline: the pipeline's output differs from pc-score's" >&2; exit 1; }
echo "outputs agree (pipeline and pc-score)"

t_cat=$(median_seconds "$runs" "cat $f")
t_copy=$(median_seconds "$runs" "cat $f > $work/copy")
t_split=$(median_seconds "$runs" "$split")
t_score=$(median_seconds "$runs" "pc-score $f")
t_pipe=$(median_seconds "$runs" "$pipeline")
echo "input: ${rows}x$cols values in [0,100), $mb MB; $(nproc) CPUs; median of $runs runs"
printf '%-44s %10s %10s\n' command seconds MB/s
printf '%-44s %10s %10s\n' "cat >/dev/null" "$t_cat" "$(ratio "$mb" "$t_cat")"
printf '%-44s %10s %10s\n' "cat > file (writes what pc-split writes)" "$t_copy" "$(ratio "$mb" "$t_copy")"
printf '%-44s %10s %10s\n' "pc-split -n 8" "$t_split" "$(ratio "$mb" "$t_split")"
printf '%-44s %10s %10s\n' "pc-score" "$t_score" "$(ratio "$mb" "$t_score")"
printf '%-44s %10s %10s\n' "pc-split | parallel -j $jobs pc-score | pc-merge" "$t_pipe" "$(ratio "$mb" "$t_pipe")"
echo "ratio pc-split/cat = $(ratio "$t_split" "$t_cat"); pc-split/(cat > file) = $(ratio "$t_split" "$t_copy")"

# quoted numbers, as spreadsheets export them: every field has two quotes
# for pc-split to walk past (rows of them once took time quadratic in the
# number of quotes)
fq="$work/quoted.csv"
head -n 50000 "$f" | sed 's/,\([0-9]*\)/,"\1"/g' > "$fq"
mbq=$(awk -v s="$(wc -c < "$fq")" 'BEGIN { printf "%.1f", s / 1e6 }')
t_catq=$(median_seconds "$runs" "cat $fq")
t_splitq=$(median_seconds "$runs" "rm -rf $work/chunksq; pc-split -n 8 -d $work/chunksq $fq")
echo "quoted numbers ($mbq MB): cat $t_catq s, pc-split -n 8 $t_splitq s ($(ratio "$mbq" "$t_splitq") MB/s);" \
     "ratio pc-split/cat = $(ratio "$t_splitq" "$t_catq")"
echo "closed form: pipeline/pc-score = $(ratio "$t_pipe" "$t_score") (the closed form is I/O-bound: chunks are written, and jobs started)"

# the compute-bound method, where spreading the work pays
fx="$work/exhaustive.csv"
pc-gen -r "$rows_ex" -c "$cols" -s 2 -o "$fx"
pipe_ex="rm -rf $work/chunks; pc-split -n 8 -d $work/chunks $fx | parallel --will-cite -j $jobs pc-score -m exhaustive | pc-merge"
[ "$(bash -c "$pipe_ex" | md5sum)" = "$(pc-score "$fx" | md5sum)" ] ||
	{ echo "bench-pipeline: the exhaustive pipeline's output differs" >&2; exit 1; }
t_ex=$(median_seconds "$runs" "pc-score -m exhaustive $fx")
t_pipe_ex=$(median_seconds "$runs" "$pipe_ex")
printf '\nexhaustive method, %sx%s:\n' "$rows_ex" "$cols"
bench_times "pc-score -m exhaustive" "$t_ex" \
	"pc-split | parallel -j $jobs pc-score -m exhaustive | pc-merge" "$t_pipe_ex"
echo "exhaustive: speed-up of the pipeline over pc-score = $(ratio "$t_ex" "$t_pipe_ex")"
