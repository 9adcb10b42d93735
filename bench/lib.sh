# bench/lib.sh - what the benchmark scripts share: finding the programs,
# and the median wall time of a command over repeated runs.
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

# ratio A B: A / B with two decimals
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'
}
