#!/usr/bin/env bash
# bench/table.sh - the speed figures of the toolkit in one markdown table,
# all measured in one run of this script: pc-score against cat on three
# shapes of data, the exhaustive method's time per pair on small and on
# near-equal huge values, pc-merge against cat, pc-split against cat > copy,
# then callgrind's instructions per byte of pc-score on the three shapes.
# A benchmark, not a test: it prints figures.  `make bench` runs it.
#
#   bench/table.sh [--bindir DIR] [--baseline-bindir DIR] [-n RUNS] [-s SEED]
#                  [--closed R,C] [--wide R,C] [--short R,C] [--exhaustive R,C]
#                  [--exhaustive-huge R,C] [--callgrind BYTES] [--check-rows N]
#                  [--timeout SECONDS] [--quick] [--keep]
#
#   --bindir DIR           the build tree to time (DIR/pc-score/pc-score ...) or
#                          a directory of the programs (default: the tree this
#                          script is in)
#   --baseline-bindir DIR  also time the programs of DIR, in the same rounds,
#                          and print them as "before" beside the others
#   -n RUNS                timed rounds, after one warm-up round (default 5)
#   -s SEED                pc-gen's seed for every input (default 1)
#   --closed R,C           rows and values < 100 of figures 1, 6 and 7
#                          (default 200000,500: 292 MB)
#   --wide R,C             the same with every 64-bit value (200000,500: 2 GB)
#   --short R,C            short rows (default 4000000,3)
#   --exhaustive R,C       figure 4, values < 100 (default 30000,500: about
#                          1 s at 0.135 ns a pair)
#   --exhaustive-huge R,C  figure 5, values in [2^64 - 1000, 2^64) (default
#                          4000,300: about 1 s at 2.7 ns a pair)
#   --callgrind BYTES      about how much of each shape callgrind counts
#                          (default 4000000; 0: no callgrind)
#   --check-rows N         rows the awk closed form checks (default 20000)
#   --timeout SECONDS      a command that has not ended after SECONDS in its
#                          check run is stopped and not timed: its figure is
#                          a bound, "> ..." (default 60)
#   --quick                tiny inputs and 3 rounds, a few seconds (sizes and
#                          -n given as options still apply)
#   --keep                 keep the temporary directory with the inputs
#
# Times are medians of RUNS rounds; in each round every command of a figure
# runs once (cat, the baseline build's, this build's, in an order that turns
# from round to round), so that load drifting on a shared machine moves them
# alike.  Ratios are against cat measured in the same rounds.  Before timing,
# every output is checked: pc-score's against pc-threads', the awk closed
# form's on its first rows (values < 100) and the other build's; the
# exhaustive method's against the closed form's; pc-merge's against
# pc-score's; pc-split's chunks against the input.  A check that fails stops
# the script with status 1; a bad option is status 2.  Progress goes to
# standard error, the table and its caption to standard output.
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

usage() { sed -n '2,48p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "table: $*" >&2; exit 2; }
fail() { echo "table: FAILED: $*" >&2; exit 1; }
say() { echo "table: $*" >&2; }

command_line="bash bench/table.sh"
for a in "$@"; do
	if [[ $a =~ ^[][A-Za-z0-9_./,=:+^-]+$ ]]; then
		command_line+=" $a"
	else
		command_line+=" $(printf '%q' "$a")"
	fi
done

declare -A opt=() def=()
quick=0 keep=0
while [ $# -gt 0 ]; do
	case $1 in
	--bindir | --baseline-bindir | -n | -s | --closed | --wide | --short | \
	--exhaustive | --exhaustive-huge | --callgrind | --check-rows | --timeout)
		[ $# -ge 2 ] || die "option '$1' needs a value"
		opt[$1]=$2
		shift 2 ;;
	--quick) quick=1; shift ;;
	--keep) keep=1; shift ;;
	-h | --help) usage; exit 0 ;;
	*) die "unknown option '$1' (try --help)" ;;
	esac
done
# the defaults, or --quick's; what was given wins either way
if [ "$quick" = 1 ]; then
	def=([-n]=3 [--closed]="2000,500" [--wide]="200,500" [--short]="40000,3"
		[--exhaustive]="20,500" [--exhaustive-huge]="2,50" [--callgrind]=100000)
else
	def=([-n]=5 [--closed]="200000,500" [--wide]="200000,500" [--short]="4000000,3"
		[--exhaustive]="30000,500" [--exhaustive-huge]="4000,300" [--callgrind]=4000000)
fi
def+=([-s]=1 [--check-rows]=20000 [--timeout]=60 [--bindir]=$bench_top [--baseline-bindir]="")
for k in "${!def[@]}"; do
	[ -n "${opt[$k]+set}" ] || opt[$k]=${def[$k]}
done

whole() {   # whole NAME VALUE [MIN]: VALUE is a whole number >= MIN (1)
	case $2 in
	'' | *[!0-9]*) die "$1: '$2' is not a whole number" ;;
	esac
	[ "$2" -ge "${3-1}" ] || die "$1: '$2' is less than ${3-1}"
}
whole -n "${opt[-n]}"
whole -s "${opt[-s]}" 0
whole --callgrind "${opt[--callgrind]}" 0
whole --check-rows "${opt[--check-rows]}" 0
whole --timeout "${opt[--timeout]}"
declare -A rows=() cols=()
for shape in closed wide short exhaustive exhaustive-huge; do
	rc=${opt[--$shape]}
	[[ $rc =~ ^[0-9]+,[0-9]+$ ]] || die "--$shape: '$rc' is not ROWS,COLS"
	rows[$shape]=${rc%,*} cols[$shape]=${rc#*,}
	whole "--$shape" "${rows[$shape]}"
	whole "--$shape" "${cols[$shape]}" 2
done
runs=${opt[-n]} seed=${opt[-s]} limit=${opt[--timeout]}

# the builds: "after" is --bindir's, "before" --baseline-bindir's
declare -A dir=([after]=${opt[--bindir]})
builds=(after)
if [ -n "${opt[--baseline-bindir]}" ]; then
	dir[before]=${opt[--baseline-bindir]}
	builds=(before after)
fi
declare -A prog=()
for b in "${builds[@]}"; do
	[ -d "${dir[$b]}" ] || die "'${dir[$b]}' is not a directory"
	dir[$b]=$(cd "${dir[$b]}" && pwd)
	for p in pc-score pc-threads pc-gen pc-split pc-merge; do
		prog[$b,$p]=$(bench_prog "${dir[$b]}" "$p") ||
			die "no $p in ${dir[$b]} (build it, or give --bindir DIR)"
	done
done
cg=0
if [ "${opt[--callgrind]}" -gt 0 ]; then
	command -v valgrind > /dev/null ||
		die "valgrind is not installed (or give --callgrind 0)"
	cg=1
fi
awk_cmd=$(command -v mawk || command -v awk)

work=$(mktemp -d "${TMPDIR:-/tmp}/bench-table.XXXXXX")
if [ "$keep" = 1 ]; then
	say "keeping $work"
else
	trap 'rm -rf "$work"' EXIT
fi
trap 'exit 130' INT TERM
printf '%s\n' "$bench_closed_awk" > "$work/closed.awk"
started=$(date +%s)
load_start=$(cut -d ' ' -f 1-3 /proc/loadavg)

# ---- the inputs, with this build's pc-gen (the same bytes everywhere) -------
two64=18446744073709551616
declare -A range=([closed]="" [wide]="-m $two64" [short]="" [exhaustive]=""
	[exhaustive-huge]="--min 18446744073709550616 -m $two64")
declare -A file=() bytes=()
for shape in closed wide short exhaustive exhaustive-huge; do
	file[$shape]=$work/$shape.csv
	say "generating $shape: ${rows[$shape]} x ${cols[$shape]}"
	# shellcheck disable=SC2086 # range is options or none
	"${prog[after,pc-gen]}" -r "${rows[$shape]}" -c "${cols[$shape]}" -s "$seed" \
		${range[$shape]} -o "${file[$shape]}"
	bytes[$shape]=$(wc -c < "${file[$shape]}")
done
mb() {   # mb BYTES: in MB (kB below 100 kB)
	awk -v b="$1" 'BEGIN { if (b >= 1e8) printf "%.0f MB", b / 1e6
		else if (b >= 1e5) printf "%.1f MB", b / 1e6; else printf "%.1f kB", b / 1e3 }'
}
shape_name() {
	echo "${rows[$1]} x ${cols[$1]} ($(mb "${bytes[$1]}"))"
}

# ---- the checks, which are also each command's first run --------------------
declare -A timed_out=()
# run NAME CMD: run the shell command line CMD, its output to
# $work/NAME.out, stopped after --timeout seconds (then timed_out[NAME]);
# any other failure stops the script
run() {
	local status=0
	timeout "$limit" bash -o pipefail -c "$2" > "$work/$1.out" 2> "$work/$1.err" || status=$?
	if [ "$status" -eq 124 ]; then
		say "'$2' did not end in $limit s: not timed"
		timed_out[$1]=1
		return
	fi
	[ "$status" -eq 0 ] || fail "'$2' exited with status $status: $(head -c 300 "$work/$1.err")"
}
# same A B WHAT: the outputs of runs A and B are the same bytes
same() {
	cmp -s "$work/$1.out" "$work/$2.out" || fail "$3 ($work/$1.out, $work/$2.out)"
}
# lines NAME N: run NAME wrote N lines
lines() {
	local n
	n=$(wc -l < "$work/$1.out")
	[ "$n" -eq "$2" ] || fail "$1: $n lines of output, not $2"
}
# awk_check NAME SHAPE: the first --check-rows rows of run NAME are the awk
# closed form's (values < 100 only: awk's numbers are doubles)
awk_check() {
	local k=${opt[--check-rows]}
	[ "$k" -gt 0 ] || return 0
	head -n "$k" "${file[$2]}" | "$awk_cmd" -f "$work/closed.awk" > "$work/awk.out"
	head -n "$k" "$work/$1.out" | cmp -s - "$work/awk.out" ||
		fail "$1: pc-score and the awk closed form disagree on the first $k rows of ${file[$2]}"
}

# cmd[FIGURE,BUILD]: the command timed; base[FIGURE]: the one it is
# divided by (cat)
declare -A cmd=() base=()
for shape in closed wide short; do
	base[$shape]="cat ${file[$shape]}"
done
base[merge]=""   # set below: the scored chunks' bytes
base[split]="cat ${file[closed]} > $work/copy"
# file 1 cut by this build's pc-split -n 8, for pc-merge (the same chunks for both builds)
run chunks "${prog[after,pc-split]} -n 8 -d $work/chunks ${file[closed]}"
lines chunks 8
for b in "${builds[@]}"; do
	say "checking the $b build (${dir[$b]})"
	for shape in closed wide short; do
		cmd[$shape,$b]="${prog[$b,pc-score]} ${file[$shape]}"
		run "$shape.$b" "${cmd[$shape,$b]}"
		lines "$shape.$b" "${rows[$shape]}"
		run "$shape.$b.threads" "${prog[$b,pc-threads]} -j 2 ${file[$shape]}"
		same "$shape.$b" "$shape.$b.threads" "$shape: pc-score and pc-threads -j 2 disagree"
		[ "$shape" = wide ] || awk_check "$shape.$b" "$shape"
		[ "$b" = after ] && [ "${#builds[@]}" = 2 ] &&
			same "$shape.before" "$shape.after" "$shape: the two builds' pc-score disagree"
	done
	for shape in exhaustive exhaustive-huge; do
		cmd[$shape,$b]="${prog[$b,pc-score]} -m exhaustive ${file[$shape]}"
		run "$shape.$b.closed" "${prog[$b,pc-score]} ${file[$shape]}"
		run "$shape.$b" "${cmd[$shape,$b]}"
		[ -n "${timed_out[$shape.$b]-}" ] && continue
		lines "$shape.$b" "${rows[$shape]}"
		same "$shape.$b" "$shape.$b.closed" "$shape: the exhaustive method and the closed form disagree"
	done
	# pc-merge: the chunks of file 1, each scored, in order
	while read -r chunk; do
		"${prog[$b,pc-score]}" "$chunk"
	done < "$work/chunks.out" > "$work/scored.$b" || fail "pc-score of a chunk failed"
	cmd[merge,$b]="${prog[$b,pc-merge]} $work/scored.$b"
	run "merge.$b" "${cmd[merge,$b]}"
	same "merge.$b" "closed.$b" "pc-merge of the scored chunks and pc-score disagree"
	base[merge]="cat $work/scored.$b"   # the same bytes for every build: checked
	# pc-split: its chunks, framing lines left out, are the input
	cmd[split,$b]="rm -rf $work/split.$b; ${prog[$b,pc-split]} -n 8 -d $work/split.$b ${file[closed]}"
	run "split.$b" "${cmd[split,$b]}"
	lines "split.$b" 8
	xargs cat < "$work/split.$b.out" | grep -v '^#pc:' |
		cmp -s - "${file[closed]}" || fail "pc-split -n 8: the chunks are not the input"
done
[ "${#builds[@]}" = 1 ] || cmp -s "$work/scored.before" "$work/scored.after" ||
	fail "the two builds score the chunks differently ($work/scored.before, $work/scored.after)"

# ---- the timings -------------------------------------------------------------
# t[FIGURE,BUILD], t[FIGURE,base]: median seconds
declare -A t=()
for fig in closed wide short exhaustive exhaustive-huge merge split; do
	names=() list=()
	if [ -n "${base[$fig]-}" ]; then
		names+=(base) list+=("${base[$fig]}")
	fi
	for b in "${builds[@]}"; do
		[ -z "${timed_out[$fig.$b]-}" ] || continue
		names+=("$b") list+=("${cmd[$fig,$b]}")
	done
	[ "${#names[@]}" -gt 0 ] || continue
	say "timing $fig: $runs rounds of ${#list[@]} commands"
	mapfile -t got < <(bench_interleaved "$runs" "${list[@]}" || echo FAILED)
	if [ "${got[*]}" = FAILED ] || [ "${#got[@]}" -ne "${#names[@]}" ]; then
		fail "timing $fig failed"
	fi
	for i in "${!names[@]}"; do
		t[$fig,${names[i]}]=${got[i]}
	done
done

# ---- callgrind: instructions per byte ----------------------------------------
# on the first rows of each of the shapes of figures 1 to 3, about
# --callgrind bytes, less the count on an empty input (start-up)
# (none for a sanitizer build: valgrind cannot run AddressSanitizer's)
declare -A ipb=() cg_file=()
instructions() {   # instructions PROGRAM FILE: callgrind's count
	valgrind --tool=callgrind --callgrind-out-file=/dev/null "$1" "$2" \
		> /dev/null 2> "$work/callgrind.err" ||
		fail "$1 $2 under callgrind: $(tail -n 5 "$work/callgrind.err")"
	sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' "$work/callgrind.err"
}
if [ "$cg" = 1 ]; then
	: > "$work/empty.csv"
	for shape in closed wide short; do
		n=$(awk -v want="${opt[--callgrind]}" -v b="${bytes[$shape]}" -v r="${rows[$shape]}" \
			'BEGIN { n = int(want * r / b + 0.5); print (n < 1 ? 1 : (n > r ? r : n)) }')
		cg_file[$shape]=$work/cg.$shape.csv
		head -n "$n" "${file[$shape]}" > "${cg_file[$shape]}"
	done
	for b in "${builds[@]}"; do
		# ldd's whole output first: with pipefail, grep -q leaving at its
		# match can kill ldd with SIGPIPE and make the test false
		libs=$(ldd "${prog[$b,pc-score]}" 2> /dev/null || true)
		if [[ $libs == *libasan* ]]; then
			say "the $b build has AddressSanitizer: no callgrind"
			continue
		fi
		say "counting instructions of the $b build (callgrind)"
		ir0=$(instructions "${prog[$b,pc-score]}" "$work/empty.csv")
		[ -n "$ir0" ] || fail "callgrind counted nothing for an empty input"
		for shape in closed wide short; do
			ir=$(instructions "${prog[$b,pc-score]}" "${cg_file[$shape]}")
			[ -n "$ir" ] || fail "callgrind counted nothing for $shape"
			ipb[$shape,$b]=$((ir - ir0))
		done
	done
fi
load_end=$(cut -d ' ' -f 1-3 /proc/loadavg)
elapsed=$(( $(date +%s) - started ))

# ---- the table ---------------------------------------------------------------
# value FIGURE BUILD: what the table says for one build
value() {
	local fig=$1 b=$2 r=${rows[$1]-} c=${cols[$1]-}
	case $fig in
	exhaustive | exhaustive-huge)
		local pairs=$((r * c * (c - 1)))
		if [ -n "${timed_out[$fig.$b]-}" ]; then
			awk -v s="$limit" -v p="$pairs" 'BEGIN { printf "> %.1f ns/pair (stopped after %d s)", s * 1e9 / p, s }'
		else
			awk -v s="${t[$fig,$b]}" -v p="$pairs" 'BEGIN { printf "%.3f ns/pair", s * 1e9 / p }'
		fi ;;
	closed | wide | merge | split)
		local n=${bytes[closed]}
		[ "$fig" = wide ] && n=${bytes[wide]}
		[ "$fig" = merge ] && n=$(wc -c < "$work/scored.$b")
		awk -v s="${t[$fig,$b]}" -v c="${t[$fig,base]}" -v n="$n" \
			'BEGIN { printf "%.2fx (%.2f GB/s)", s / c, n / s / 1e9 }' ;;
	short)
		awk -v s="${t[$fig,$b]}" -v c="${t[$fig,base]}" -v r="$r" \
			'BEGIN { printf "%.2fx (%.1f ns/row)", s / c, s * 1e9 / r }' ;;
	cg-closed | cg-wide | cg-short)
		local shape=${fig#cg-}
		[ -n "${ipb[$shape,$b]-}" ] || { echo "n/a (AddressSanitizer)"; return; }
		awk -v i="${ipb[$shape,$b]}" -v n="$(wc -c < "${cg_file[$shape]}")" \
			-v r="$(wc -l < "${cg_file[$shape]}")" -v s="$shape" \
			'BEGIN { printf "%.2f", i / n; if (s == "short") printf " (%.0f/row)", i / r }' ;;
	esac
}
cg_name() {
	echo "$(wc -l < "${cg_file[$1]}") rows, $(mb "$(wc -c < "${cg_file[$1]}")")"
}
declare -A label=(
	[closed]="1. pc-score, $(shape_name closed) values < 100: time / cat FILE"
	[wide]="2. pc-score, $(shape_name wide) of every 64-bit value: time / cat FILE"
	[short]="3. pc-score, short rows, $(shape_name short): time / cat FILE"
	[exhaustive]="4. pc-score -m exhaustive, $(shape_name exhaustive) values < 100: ns per ordered pair"
	[exhaustive-huge]="5. pc-score -m exhaustive, $(shape_name exhaustive-huge) near-equal values in [2^64 - 1000, 2^64): ns per ordered pair"
	[merge]="6. pc-merge of file 1 cut by pc-split -n 8, each chunk scored, in order ($(mb "$(wc -c < "$work/scored.after")")): time / cat of the same bytes"
	[split]="7. pc-split -n 8 -d DIR of file 1: time / cat FILE > copy"
)
declare -A target=([closed]="<= 2x" [wide]="<= 2.5x" [short]="<= 6x" [exhaustive]="<= 0.35"
	[exhaustive-huge]="<= 5" [merge]="<= 3x" [split]="< 1x")
figures=(closed wide short exhaustive exhaustive-huge merge split)
if [ "$cg" = 1 ]; then
	label[cg-closed]="8. callgrind: pc-score instructions per byte, shape 1 ($(cg_name closed))"
	label[cg-wide]="9. callgrind: pc-score instructions per byte, shape 2 ($(cg_name wide))"
	label[cg-short]="10. callgrind: pc-score instructions per byte (per row), shape 3 ($(cg_name short))"
	target[cg-closed]="-" target[cg-wide]="-" target[cg-short]="-"
	figures+=(cg-closed cg-wide cg-short)
fi

cpu=$(sed -n 's/^model name[[:space:]]*: *//p' /proc/cpuinfo | head -n 1)
simd=$(grep -o -w -E 'avx512(f|bw|vl|dq|vbmi2|vpopcntdq)|avx2' /proc/cpuinfo | sort -u | tr '\n' ' ')
if [ "${#builds[@]}" = 2 ]; then
	echo "| figure | before | after | target |"
	echo "| --- | --- | --- | --- |"
else
	echo "| figure | measured | target |"
	echo "| --- | --- | --- |"
fi
for fig in "${figures[@]}"; do
	line="| ${label[$fig]} |"
	for b in "${builds[@]}"; do
		line+=" $(value "$fig" "$b") |"
	done
	echo "$line ${target[$fig]} |"
done
echo
echo "${cpu:-unknown CPU}${simd:+ (${simd% })}, nproc $(nproc), load average $load_start at the start," \
	"$load_end at the end; medians of $runs interleaved rounds (after a warm-up" \
	"round) in ${elapsed} s; seed $seed; inputs from pc-gen: 1: $(shape_name closed)," \
	"2: $(shape_name wide), 3: $(shape_name short), 4: $(shape_name exhaustive)," \
	"5: $(shape_name exhaustive-huge); callgrind (no AVX-512 under valgrind: AVX2 at" \
	"most) on the first rows of 1, 2, 3, less its count on an empty input;" \
	"$(if [ "${#builds[@]}" = 2 ]; then echo "before: ${dir[before]}, after: ${dir[after]}"
	else echo "build: ${dir[after]}"; fi); command: $command_line"
