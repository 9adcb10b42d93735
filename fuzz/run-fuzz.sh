#!/bin/sh
# fuzz/run-fuzz.sh - run each libFuzzer harness for a while from its seeds
# (what `make fuzz-run` does; run it from the top of the build tree).
#
#   fuzz/run-fuzz.sh SECONDS SRCDIR [HARNESS...]
#
# HARNESS is reader, frame, pipeline or pow (default: all four, one after
# the other).  Each runs for SECONDS seconds from the committed seeds (and
# from what earlier runs found, kept in fuzz/work/HARNESS/).  Its log is
# fuzz/work/HARNESS.log; a crash, a leak, a timeout or a disagreement is
# saved as fuzz/crashes/HARNESS-crash-SHA1 (or leak-, timeout-, oom-) and
# shown here, with the harness's explanation, as hex.  The exit status is 1
# if any harness found something, 2 if a harness is missing.
set -u
seconds=${1:?usage: run-fuzz.sh SECONDS SRCDIR [HARNESS...]}
srcdir=${2:?usage: run-fuzz.sh SECONDS SRCDIR [HARNESS...]}
shift 2
[ $# -gt 0 ] || set -- reader frame pipeline pow

# A sanitizer report that names the line, and no time wasted on a hang:
# an input that takes more than FUZZ_TIMEOUT seconds is a finding too.
: "${FUZZ_TIMEOUT:=30}"
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export UBSAN_OPTIONS

status=0
mkdir -p fuzz/work fuzz/crashes
for h in "$@"; do
	bin=fuzz/fuzz-$h
	case $h in
	reader) max_len=4096 seeds="$srcdir/tests/corpus $srcdir/fuzz/corpus/frame" ;;
	frame) max_len=8192 seeds="$srcdir/fuzz/corpus/frame $srcdir/tests/corpus" ;;
	pipeline) max_len=2048 seeds="$srcdir/tests/corpus" ;;
	pow) max_len=64 seeds="$srcdir/fuzz/corpus/pow" ;;
	*) echo "run-fuzz.sh: no harness '$h' (reader, frame, pipeline, pow)" >&2; exit 2 ;;
	esac
	if [ ! -x "$bin" ]; then
		echo "run-fuzz.sh: $bin is not built (make fuzz)" >&2
		exit 2
	fi
	# what harnesses found once: every CSV harness starts from those too
	if [ "$h" != pow ] && [ -d "$srcdir/fuzz/corpus/regressions" ]; then
		seeds="$seeds $srcdir/fuzz/corpus/regressions"
	fi
	mkdir -p "fuzz/work/$h"
	log=fuzz/work/$h.log
	echo "== $bin for $seconds s (seeds: $seeds)"
	# shellcheck disable=SC2086
	"$bin" -max_total_time="$seconds" -max_len="$max_len" -timeout="$FUZZ_TIMEOUT" \
		-print_final_stats=1 -artifact_prefix="fuzz/crashes/$h-" \
		"fuzz/work/$h" $seeds > "$log" 2>&1
	rc=$?
	# the last status line: executions, coverage (cov: edges, ft: features)
	grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -n 1
	grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb):' "$log"
	if [ "$rc" -ne 0 ]; then
		status=1
		echo "!! fuzz-$h found a problem (exit status $rc); the end of $log:"
		tail -n 80 "$log" | sed 's/^/   /'
		for f in fuzz/crashes/"$h"-*; do
			[ -f "$f" ] || continue
			echo "!! the input, $f ($(wc -c < "$f") bytes):"
			od -A d -c "$f" | head -n 64 | sed 's/^/   /'
		done
		echo "!! reproduce: $bin $(ls fuzz/crashes/"$h"-* 2> /dev/null | head -n 1)"
	fi
done
exit "$status"
