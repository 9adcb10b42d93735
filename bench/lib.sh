# shellcheck shell=bash
# bench/lib.sh - what the benchmark scripts share: finding the programs,
# the median wall time of a command over repeated runs (of several
# commands, interleaved), and an awk closed form to check pc-score by.
# Benchmarks are not tests: they print figures, as ratios to a baseline
# measured in the same run, because these machines are shared and noisy.

bench_top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# bench_bindir DIR: put the built programs first on PATH
bench_bindir() {
	local d=${1:-$bench_top}
	local p
	for p in pc-score pc-gen pc-threads pc-mpirun pc-split pc-merge; do
		[ -x "$d/$p/$p" ] && PATH="$d/$p:$PATH"
	done
	export PATH
}

# bench_prog DIR NAME: the path of program NAME of DIR, a build tree
# (DIR/NAME/NAME) or a directory of programs (DIR/NAME); status 1 if neither
bench_prog() {
	if [ -x "$1/$2/$2" ]; then
		echo "$1/$2/$2"
	elif [ -x "$1/$2" ] && [ ! -d "$1/$2" ]; then
		echo "$1/$2"
	else
		return 1
	fi
}

# median_seconds RUNS CMD...: run CMD (a shell command line) RUNS times
# after one warm-up, print the median wall time in seconds.
median_seconds() {
	local runs=$1
	shift
	local cmd="$*"
	if command -v hyperfine > /dev/null && command -v python3 > /dev/null; then
		local json
		json=$(mktemp)
		hyperfine --style none --warmup 1 --runs "$runs" --export-json "$json" \
			--output=null "$cmd" > /dev/null 2>&1 ||
			{ rm -f "$json"; echo "bench: '$cmd' failed" >&2; return 1; }
		python3 -c 'import json,sys; print("%.4f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$json"
		rm -f "$json"
		return
	fi
	local i t0 t1 times=()
	bash -c "$cmd" > /dev/null 2>&1
	for ((i = 0; i < runs; i++)); do
		t0=$(date +%s%N)
		bash -c "$cmd" > /dev/null 2>&1 || { echo "bench: '$cmd' failed" >&2; return 1; }
		t1=$(date +%s%N)
		times+=($(( t1 - t0 )))
	done
	printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "%.4f\n", a[int((NR + 1) / 2)] / 1e9 }'
}

# bench_times LABEL SECONDS [LABEL SECONDS]...: a table of commands and
# their median wall times, under a header line
bench_times() {
	printf '%-44s %10s\n' command seconds
	while [ $# -ge 2 ]; do
		printf '%-44s %10s\n' "$1" "$2"
		shift 2
	done
}

# ratio A B: A / B with two decimals
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'
}

# bench_interleaved RUNS CMD...: run the shell command lines CMD... in
# rounds, each once a round in an order turning by one each round, one
# warm-up round then RUNS timed ones, and print each one's median wall time
# in seconds, one a line in the order given, less the median of an empty
# command timed in the same rounds (starting bash).  Interleaved, a shared
# machine's load drifting during the run moves every command alike.
bench_interleaved() {
	local runs=$1
	shift
	local cmds=(: "$@")
	local n=${#cmds[@]} r k i t0 t1 times=()
	for ((r = 0; r <= runs; r++)); do
		for ((k = 0; k < n; k++)); do
			i=$(( (k + r) % n ))
			t0=${EPOCHREALTIME//[.,]/}
			bash -c "${cmds[i]}" > /dev/null 2>&1 ||
				{ echo "bench: '${cmds[i]}' failed" >&2; return 1; }
			t1=${EPOCHREALTIME//[.,]/}
			[ "$r" -eq 0 ] || times[i]+="$(( t1 - t0 )) "
		done
	done
	for ((i = 0; i < n; i++)); do
		# shellcheck disable=SC2086 # one word a time
		printf '%s\n' ${times[i]} | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
	done | awk 'NR == 1 { zero = $1; next }
		{ t = ($1 - zero) / 1e6; printf "%.6f\n", (t > 1e-6 ? t : 1e-6) }'
}

# The closed form of SPEC 1.1 for plain rows name,n1,...,nk: no quoted
# fields, no blanks, canonical numbers, as pc-gen writes them.  awk compares
# numbers as doubles, which is exact below 2^53: fine for values < 100.
#   a >= b      the two largest values, with multiplicity
#   f2, f4      field number of the first 2 and the first 4 (0: none)
#   z1          some value after the first one is 0
# shellcheck disable=SC2016,SC2034 # awk's $1, not the shell's; used by the scripts
bench_closed_awk='BEGIN { FS = "," }
{
	a = -1; b = -1; f2 = 0; f4 = 0; z1 = 0
	for (i = 2; i <= NF; i++) {
		v = $i + 0
		if (v > a) { b = a; a = v } else if (v > b) b = v
		if (v == 2 && !f2) f2 = i
		if (v == 4 && !f4) f4 = i
		if (v == 0 && i >= 3) z1 = 1
	}
	v0 = $2 + 0; v1 = $3 + 0
	if (b >= 2) {
		if (a == b) { x = a; y = a }
		else if (b >= 3) { x = b; y = a }
		else if (a == 3) { x = 3; y = 2 }
		else if (a == 4) { if (f2 < f4) { x = 2; y = 4 } else { x = 4; y = 2 } }
		else { x = 2; y = a }
	} else if (b == 1 && a >= 2) { x = a; y = 1 }
	# every best pair is worth 1: the first pair (i, j) with n_i == 1 or
	# n_j == 0, which has i == 0 or i == 1
	else if (v0 == 1) { x = 1; y = v1 }
	else if (z1) { x = v0; y = 0 }
	else if (v1 == 1) { x = 1; y = v0 }
	else { x = v1; y = 0 }
	printf "%s,%d,%d\n", $1, x, y
}'
