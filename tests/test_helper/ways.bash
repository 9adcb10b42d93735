# tests/test_helper/ways.bash - run one input through every way of scoring it
# and report every disagreement with `pc-score` (loaded by tests/ways.bats).
#
# The promise under test: pc-score, pc-threads -j N, mpirun -n N pc-mpirun and
# pc-split | parallel pc-score | pc-merge give the same stdout, the same stderr
# (program name aside) and the same exit status for every input, with
# --on-error=fail and with --on-error=skip, and the good rows are the exact
# oracle's.
#
# A case is a file of tests/corpus/: NAME.csv (one input) or NAME.list (input
# file names, one a line, relative to the corpus; a name with no file there is
# an I/O error on purpose).  `ways_case WAY CASE ROOT` copies the case's
# inputs into ROOT/CASE/in/, runs everything there with the same relative
# paths (in/NAME.csv), so that file names in messages are comparable, prints
# one paragraph per disagreement (case, way, mode, and a short diff) and
# returns 1 if there was any.  `ways_check_all WAY ROOT` does that for every
# case, a few at a time, and lists them all.
#
# WAY is one of:
#   score     pc-score -B SIZE, SIZE = 1 2 3 7 64 4096
#   threads   pc-threads -j J -B 7 and -B 64, J = 1 2 3
#   mpirun    mpirun -n N pc-mpirun -B 64, N = 1 2 3, and -n 2 -B 7
#   pipeline  pc-split -l 1 | parallel -j1 -k pc-score | pc-merge (single-file
#             cases not named frame-*: pc-split refuses framed input)
#   oracle    tests/oracle.py score --on-error=MODE --bad-rows=FILE, against
#             pc-score: the same stdout; status 1 in fail mode when the
#             oracle found a bad row, else 0; one FILE:LINE:COL message per
#             bad row (fail mode: the first only), naming its file and a line
#             of it.  Not on cases with a missing file, nor on frame-* ones:
#             the oracle reads CSV, and framing is pc-split's protocol.
# each in MODE = fail and skip.  The reference is always
# `pc-score --on-error=MODE PATHS...`.
#
# WAYS_FORMAT (0.2: --header and -t) runs every case in another input
# format: its words are `header` (each input gets a first line
# "name,v1,v2" before its bytes, and every program --header), `semicolon`
# (the bytes , and ; of each input swapped, and every program -t ';') or
# `tab` (, and TAB swapped, -t '\t').  pc-split, the scorers, pc-score
# and the oracle get the options; the scorers of the pipeline do not, for
# a chunk says its header= and delim= itself.
#
# Comparison: stdout byte for byte; exit status; stderr after a leading
# "pc-score: ", "pc-threads: ", "pc-mpirun: ", "pc-merge: " or "pc-split: "
# becomes "PROG: ".  mpirun's own boxed notices that a rank exited non-zero
# and a libevent warning of Open MPI's are not the program's stderr and are
# dropped.  For the pipeline
# the stderr compared is pc-split's, then the scorers' without their per-chunk
# "skipped N bad rows of M" summaries (and without GNU Parallel's "This job
# failed" note), then only pc-merge's own "skipped N bad rows of M" summary;
# the reference's summary is dropped when it says "skipped 0 bad rows".
# A way that dies of a signal (status over 128) is shown with its whole
# stderr, unfiltered: that says whether a rank died ("mpirun noticed that
# process rank N ... exited on signal") or mpirun itself (its own
# backtrace, no such line), which a 12-line diff may cut off.
#
# Only bash, coreutils, sed, awk, diff and xargs are used, so the functions
# also run outside bats (each case runs in a `bash` of its own).  They need
# PATH (the built programs), PC_SRCDIR and PYTHON3, which common.bash sets.

WAYS_HELPER=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/ways.bash
: "${WAYS_CORPUS:=$PC_SRCDIR/tests/corpus}"
: "${PYTHON3:=python3}"
# Cases run this many at a time.  mpirun spends part of its start-up
# waiting, not computing, so its way runs more at once.
: "${WAYS_JOBS:=2}"
: "${WAYS_MPI_JOBS:=6}"
# Every command is stopped after this many seconds (status 124): a hang is a
# disagreement too, and must not hang the suite.
: "${WAYS_TIMEOUT:=120}"
export WAYS_CORPUS WAYS_JOBS WAYS_MPI_JOBS WAYS_TIMEOUT

WAYS_MODES="fail skip"
: "${WAYS_FORMAT:=}"
export WAYS_FORMAT

# ways_format_opts: the options WAYS_FORMAT gives every program, one a line.
ways_format_opts() {
	local w
	for w in $WAYS_FORMAT; do
		case $w in
		header) printf '%s\n' --header ;;
		semicolon) printf '%s\n' -t ';' ;;
		tab) printf '%s\n' -t '\t' ;;
		*) echo "ways: unknown WAYS_FORMAT word '$w'" >&2; return 2 ;;
		esac
	done
}

# ways_format FILE: rewrite the input FILE into WAYS_FORMAT.
ways_format() {
	local w
	for w in $WAYS_FORMAT; do
		case $w in
		semicolon) tr ',;' ';,' < "$1" > "$1.tmp" && mv -- "$1.tmp" "$1" ;;
		tab) tr ',\t' '\t,' < "$1" > "$1.tmp" && mv -- "$1.tmp" "$1" ;;
		esac
	done
	for w in $WAYS_FORMAT; do
		if [ "$w" = header ]; then
			{ printf 'name,v1,v2\n'; cat -- "$1"; } > "$1.tmp" && mv -- "$1.tmp" "$1"
		fi
	done
}
WAYS_SCORE_BLOCKS="1 2 3 7 64 4096"

# ways_cases: every case name of the corpus, sorted (NAME.csv, NAME.list).
ways_cases() {
	local f
	for f in "$WAYS_CORPUS"/*.csv "$WAYS_CORPUS"/*.list; do
		[ -e "$f" ] && printf '%s\n' "${f##*/}"
	done | LC_ALL=C sort
}

# ways_inputs CASE: the input file names of CASE, one a line.
ways_inputs() {
	case $1 in
	*.list) sed -e 's/\r$//' -e '/^$/d' "$WAYS_CORPUS/$1" ;;
	*) printf '%s\n' "$1" ;;
	esac
}

# ways_missing CASE: succeed when CASE names an input that does not exist.
ways_missing() {
	local f
	while IFS= read -r f; do
		[ -e "$WAYS_CORPUS/$f" ] || return 0
	done < <(ways_inputs "$1")
	return 1
}

# ways_applies WAY CASE: succeed when WAY is run on CASE.
ways_applies() {
	case $1 in
	pipeline) [[ $2 == *.csv && $2 != frame-* ]] ;;
	oracle) [[ $2 != frame-* ]] && ! ways_missing "$2" ;;
	*) return 0 ;;
	esac
}

# ways_norm: stderr with the program's name replaced by PROG.
ways_norm() {
	sed -E 's/^pc-(score|threads|mpirun|merge|split): /PROG: /'
}

# ways_strip_mpirun: drop Open MPI's boxed notices that a process exited
# with a non-zero status (the status itself is compared), and the libevent
# warning Open MPI now and then prints as processes end, a known race of
# its own (open-mpi/ompi#2004: "[warn] Epoll MOD(1) on fd 27 failed. ...");
# any other box, such as a rank killed by a signal, is kept and shows as a
# difference.
ways_strip_mpirun() {
	awk '
	/^\[warn\] Epoll [A-Z]+\([0-9]+\) on fd [0-9]+ failed\. / { next }
	/^----------------------------------------+$/ {
		if (inbox) {
			box = box $0 "\n"
			if (!benign) printf "%s", box
			inbox = 0; box = ""
		} else {
			inbox = 1; benign = 0; box = $0 "\n"
		}
		next
	}
	inbox {
		box = box $0 "\n"
		if ($0 ~ /^Primary job +terminated normally, but [0-9]+ process(es)? returned$/ ||
		    $0 ~ /^mpirun detected that one or more processes exited with non-zero status/)
			benign = 1
		next
	}
	{ print }
	END { if (inbox) printf "%s", box }'
}

# ways_mpi N CMD...: CMD under mpirun as tests/pc-mpirun.bats runs it (as
# root too), with two settings that only save time, unless the environment
# sets them: odls_base_sigkill_timeout=0, or mpirun waits 2 s to clean up
# after a rank that exited non-zero (ranks long gone), and pml=ob1, the
# component Open MPI ends up choosing on one host anyway (Debian excludes
# ucx), without first probing the others (0.2 s a run).  And each mpirun
# gets a session directory of its own (orte_tmpdir_base): mpiruns started
# at once race to make and remove the shared /tmp/ompi.HOST.UID, and the
# loser dies in orte_init, "A call to mkdir was unable to create the
# desired directory ... File exists", exit 1 (open-mpi/ompi#8510; once in
# about 300 runs three at a time here).
ways_mpi() {
	local tmp rc=0
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/pc-ompi.XXXXXX") || return 2
	OMPI_MCA_odls_base_sigkill_timeout=${OMPI_MCA_odls_base_sigkill_timeout:-0} \
	OMPI_MCA_pml=${OMPI_MCA_pml:-ob1} \
	OMPI_MCA_orte_tmpdir_base=${OMPI_MCA_orte_tmpdir_base:-$tmp} \
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	MPI_TIMEOUT=$WAYS_TIMEOUT \
		mpi_launch "$@" || rc=$?
	rm -rf -- "$tmp"
	return "$rc"
}

# ways_have_mpi: succeed when the MPI launcher and pc-mpirun are both there.
ways_have_mpi() {
	mpi_have
}

# ways_have_oracle_options: succeed when oracle.py score takes --on-error
# and --bad-rows.
ways_have_oracle_options() {
	local help
	help=$("$PYTHON3" "$PC_SRCDIR/tests/oracle.py" score --help 2>&1) &&
		[[ $help == *--on-error* && $help == *--bad-rows* ]]
}

# _ways_show FILE: the first lines of FILE, made printable, indented.
_ways_show() {
	head -n 12 -- "$1" | cut -c 1-200 | cat -v | sed 's/^/      /'
}

# _ways_diff WANT GOT: a short diff (pc-score's lines -, the way's +).
_ways_diff() {
	diff -- "$1" "$2" | sed -e '/^---$/d' -e 's/^< /-/' -e 's/^> /+/' |
		head -n 12 | cut -c 1-200 | cat -v | sed 's/^/      /'
}

# _ways_report CASE LABEL MODE: the first line of a disagreement.
_ways_report() {
	printf 'DISAGREE  case %s  way `%s`  --on-error=%s\n' "$1" "$2" "$3"
}

# _ways_compare CASE LABEL MODE WANT GOT: compare GOT.{out,err,rc} with
# WANT.{out,err,rc} (err already normalized); print what differs.
_ways_compare() {
	local case=$1 label=$2 mode=$3 want=$4 got=$5 bad=0 msg=
	local wrc grc
	read -r wrc < "$want.rc"
	read -r grc < "$got.rc"
	if [ "$wrc" != "$grc" ]; then
		msg+="    exit status $grc, pc-score's $wrc"
		[ "$grc" = 124 ] && msg+=" (124: timed out after $WAYS_TIMEOUT s)"
		msg+=$'\n'
		bad=1
		# killed by a signal: the whole stderr, unfiltered, says who died
		# (a rank: its backtrace, then mpirun's "process rank N ... exited on
		# signal"; mpirun itself: its own backtrace and no such line)
		if [ "$grc" -gt 128 ] && [ -f "$got.raw" ]; then
			msg+="    its stderr, unfiltered:"$'\n'
			msg+=$(head -n 60 -- "$got.raw" | cut -c 1-200 | cat -v | sed 's/^/      /')$'\n'
		fi
	fi
	if ! cmp -s "$want.out" "$got.out"; then
		msg+="    stdout differs (- pc-score, + this way):"$'\n'
		msg+=$(_ways_diff "$want.out" "$got.out")$'\n'
		bad=1
	fi
	if ! cmp -s "$want.err" "$got.err"; then
		msg+="    stderr differs (- pc-score, + this way):"$'\n'
		msg+=$(_ways_diff "$want.err" "$got.err")$'\n'
		bad=1
	fi
	if [ "$bad" = 1 ]; then
		_ways_report "$case" "$label" "$mode"
		printf '%s' "$msg"
	fi
	return "$bad"
}

# _ways_run TAG FILTER CMD...: in the current directory run CMD with no
# stdin, into TAG.out, TAG.err (normalized, through FILTER first) and TAG.rc.
_ways_run() {
	local tag=$1 filter=$2 rc=0
	shift 2
	"$@" < /dev/null > "$tag.out" 2> "$tag.raw" || rc=$?
	echo "$rc" > "$tag.rc"
	if [ "$filter" = cat ]; then
		ways_norm < "$tag.raw" > "$tag.err"
	else
		"$filter" < "$tag.raw" | ways_norm > "$tag.err"
	fi
}

# ways_prepare CASE DIR: make DIR/in/ with CASE's inputs; set WAYS_PATHS to
# the relative paths of all its inputs, missing ones too, and WAYS_OPTS to
# the options of WAYS_FORMAT.
ways_prepare() {
	local case=$1 dir=$2 f
	WAYS_PATHS=()
	mapfile -t WAYS_OPTS < <(ways_format_opts)
	rm -rf -- "$dir"
	mkdir -p -- "$dir/in"
	while IFS= read -r f; do
		WAYS_PATHS+=("in/$f")
		if [ -e "$WAYS_CORPUS/$f" ]; then
			cp -- "$WAYS_CORPUS/$f" "$dir/in/$f"
			[ -z "$WAYS_FORMAT" ] || ways_format "$dir/in/$f"
		fi
	done < <(ways_inputs "$case")
}

# _ways_reference MODE: pc-score's ref-MODE.{out,err,rc} in the current
# directory.
_ways_reference() {
	_ways_run "ref-$1" cat timeout "$WAYS_TIMEOUT" pc-score "${WAYS_OPTS[@]}" --on-error="$1" \
		"${WAYS_PATHS[@]}"
}

# _ways_variants WAY: one line per variant of WAY: LABEL<TAB>COMMAND WORDS
# (the words are split on blanks; MODE and PATHS are added by the caller).
_ways_variants() {
	local b j n
	case $1 in
	score)
		for b in $WAYS_SCORE_BLOCKS; do
			printf 'pc-score -B %s\ttimeout %s pc-score -B %s\n' "$b" "$WAYS_TIMEOUT" "$b"
		done ;;
	threads)
		for j in 1 2 3; do
			for b in 7 64; do
				printf 'pc-threads -j %s -B %s\ttimeout %s pc-threads -j %s -B %s\n' \
					"$j" "$b" "$WAYS_TIMEOUT" "$j" "$b"
			done
		done ;;
	mpirun)
		for n in 1 2 3; do
			printf 'mpirun -n %s pc-mpirun -B 64\tways_mpi %s pc-mpirun -B 64\n' "$n" "$n"
		done
		printf 'mpirun -n 2 pc-mpirun -B 7\tways_mpi 2 pc-mpirun -B 7\n' ;;
	esac
}

# _ways_scorers WAY CASE: the score, threads or mpirun way.
_ways_scorers() {
	local way=$1 case=$2 mode label words filter i=0 bad=0
	local -a cmd
	filter="cat"
	[ "$way" = mpirun ] && filter=ways_strip_mpirun
	for mode in $WAYS_MODES; do
		while IFS=$'\t' read -r label words; do
			i=$((i + 1))
			read -r -a cmd <<< "$words"
			_ways_run "way$i" "$filter" "${cmd[@]}" "${WAYS_OPTS[@]}" --on-error="$mode" \
				"${WAYS_PATHS[@]}"
			_ways_compare "$case" "$label" "$mode" "ref-$mode" "way$i" || bad=1
		done < <(_ways_variants "$way")
	done
	return "$bad"
}

# _ways_perr: the scorers' stderr in the pipeline, without the per-chunk
# skip summaries and GNU Parallel's note on the job that failed.
_ways_perr() {
	awk '
	skipnext { skipnext = 0; next }
	/^parallel: This job failed:$/ { skipnext = 1; next }
	/^pc-score: skipped [0-9]+ bad rows? of [0-9]+/ { next }
	{ print }'
}

# _ways_pipeline CASE: pc-split -l 1 | parallel pc-score | pc-merge.
_ways_pipeline() {
	local case=$1 mode tag bad=0 label
	local -a st
	for mode in $WAYS_MODES; do
		tag=pipe-$mode
		label="pc-split -l 1 | parallel -j1 -k --halt now,fail=1 pc-score | pc-merge"
		rm -rf "chunks-$mode"
		timeout "$WAYS_TIMEOUT" pc-split "${WAYS_OPTS[@]}" -l 1 -d "chunks-$mode" "${WAYS_PATHS[0]}" \
			< /dev/null > "$tag.paths" 2> "$tag.serr"
		timeout "$WAYS_TIMEOUT" parallel --will-cite -j1 -k --halt now,fail=1 \
			pc-score --on-error="$mode" {} :::: "$tag.paths" < /dev/null 2> "$tag.perr" |
			timeout "$WAYS_TIMEOUT" pc-merge > "$tag.out" 2> "$tag.merr"
		st=("${PIPESTATUS[@]}")
		echo "${st[1]}" > "$tag.rc"
		{
			cat "$tag.serr"
			_ways_perr < "$tag.perr"
			grep -E '^pc-merge: skipped [0-9]+ bad rows? of [0-9]+' "$tag.merr"
		} | ways_norm > "$tag.err"
		cp "ref-$mode.out" "ref-$tag.out"
		cp "ref-$mode.rc" "ref-$tag.rc"
		grep -vE '^PROG: skipped 0 bad rows of [0-9]+$' "ref-$mode.err" > "ref-$tag.err"
		_ways_compare "$case" "$label" "$mode" "ref-$tag" "$tag" || bad=1
	done
	return "$bad"
}

# _ways_oracle CASE: pc-score against the oracle, rows, status and where
# the bad rows are.
_ways_oracle() {
	local case=$1 mode tag bad=0 msg label nbad nmsg want k path line first last
	local -a mpath mline
	for mode in $WAYS_MODES; do
		tag=oracle-$mode
		label="oracle.py score --on-error=$mode --bad-rows=FILE"
		msg=
		rm -f "$tag.bad"
		timeout "$WAYS_TIMEOUT" "$PYTHON3" "$PC_SRCDIR/tests/oracle.py" score "${WAYS_OPTS[@]}" \
			--on-error="$mode" --bad-rows="$tag.bad" "${WAYS_PATHS[@]}" \
			< /dev/null > "$tag.out" 2> "$tag.err"
		echo $? > "$tag.rc"
		if [ "$(cat "$tag.rc")" -gt 1 ] || [ ! -f "$tag.bad" ] ||
			grep -q '^Traceback ' "$tag.err"; then
			_ways_report "$case" "$label" "$mode"
			echo "    the oracle failed (status $(cat "$tag.rc"), a traceback or no bad-rows file):"
			tail -n 4 -- "$tag.err" | cut -c 1-200 | cat -v | sed 's/^/      /'
			bad=1
			continue
		fi
		nbad=$(grep -c . "$tag.bad")
		if ! cmp -s "ref-$mode.out" "$tag.out"; then
			msg+="    stdout differs (- pc-score, + oracle):"$'\n'
			msg+=$(_ways_diff "ref-$mode.out" "$tag.out")$'\n'
		fi
		want=0
		[ "$mode" = fail ] && [ "$nbad" -gt 0 ] && want=1
		if [ "$(cat "ref-$mode.rc")" != "$want" ]; then
			msg+="    pc-score's exit status $(cat "ref-$mode.rc"), expected $want (the oracle found $nbad bad row(s))"$'\n'
		fi
		# pc-score's FILE:LINE:COL messages, in order
		mpath=() mline=()
		while IFS=$'\t' read -r path line; do
			mpath+=("$path") mline+=("$line")
		done < <(sed -nE 's/^PROG: ([^:]*):([0-9]+):[0-9]+: .*/\1\t\2/p' "ref-$mode.err")
		nmsg=${#mpath[@]}
		[ "$mode" = fail ] && [ "$nbad" -gt 1 ] && nbad=1
		if [ "$nmsg" != "$nbad" ]; then
			msg+="    pc-score printed $nmsg FILE:LINE:COL message(s), the oracle found $nbad bad row(s)"$'\n'
		fi
		k=0
		while IFS=$'\t' read -r path first last _ && [ "$k" -lt "$nbad" ]; do
			if [ "$k" -lt "$nmsg" ] &&
				{ [ "${mpath[k]}" != "$path" ] || [ "${mline[k]}" -lt "$first" ] ||
					[ "${mline[k]}" -gt "$last" ]; }; then
				msg+="    bad row $((k + 1)): pc-score says ${mpath[k]}:${mline[k]}, the oracle $path lines $first to $last"$'\n'
			fi
			k=$((k + 1))
		done < "$tag.bad"
		if [ -n "$msg" ]; then
			_ways_report "$case" "$label" "$mode"
			printf '%s' "$msg"
			echo "    pc-score's stderr:"
			_ways_show "ref-$mode.err"
			echo "    the oracle's bad rows:"
			_ways_show "$tag.bad"
			bad=1
		fi
	done
	return "$bad"
}

# ways_case WAY CASE ROOT: run CASE through WAY in ROOT/CASE, in both modes;
# print every disagreement and return 1 if there is any (0 when WAY does not
# apply to CASE).
ways_case() {
	local way=$1 case=$2 root=$3 dir mode
	ways_applies "$way" "$case" || return 0
	dir=$root/$case
	ways_prepare "$case" "$dir"
	(
		cd "$dir" || exit 2
		for mode in $WAYS_MODES; do
			_ways_reference "$mode"
		done
		case $way in
		score | threads | mpirun) _ways_scorers "$way" "$case" ;;
		pipeline) _ways_pipeline "$case" ;;
		oracle) _ways_oracle "$case" ;;
		*) echo "ways_case: unknown way '$way'" >&2; exit 2 ;;
		esac
	)
}

# _ways_by_size CASE...: the CASEs, one a line, the largest inputs first.
_ways_by_size() {
	local -A size=()
	local bytes f case total
	while read -r bytes f; do
		size[${f##*/}]=$bytes
	done < <(stat -c '%s %n' -- "$WAYS_CORPUS"/*.csv)
	for case in "$@"; do
		total=0
		while IFS= read -r f; do
			total=$((total + ${size[$f]:-0}))
		done < <(ways_inputs "$case")
		printf '%s %s\n' "$total" "$case"
	done | sort -k 1,1nr -k 2,2 | cut -d ' ' -f 2
}

# ways_check_all WAY ROOT [CASE...]: ways_case on every CASE (default: the
# whole corpus), WAYS_JOBS at a time (WAYS_MPI_JOBS for mpirun); print every
# disagreement of every case, then the list of cases that disagree, and
# return 1 if any did.
ways_check_all() {
	local way=$1 root=$2 jobs=$WAYS_JOBS case rc n=0 ran=0
	local -a cases failed=()
	shift 2
	if [ $# -gt 0 ]; then
		cases=("$@")
	else
		mapfile -t cases < <(ways_cases)
	fi
	[ "$way" = mpirun ] && jobs=$WAYS_MPI_JOBS
	mkdir -p -- "$root/reports"
	# the largest inputs first, so that no slow case starts last
	_ways_by_size "${cases[@]}" | tr '\n' '\0' |
		xargs -0 -n 1 -P "$jobs" bash -c '
			. "$1"
			rc=0
			ways_case "$2" "$4" "$3" > "$3/reports/$4.txt" 2>&1 || rc=$?
			echo "$rc" > "$3/reports/$4.rc"
		' ways-case "$WAYS_HELPER" "$way" "$root"
	for case in "${cases[@]}"; do
		n=$((n + 1))
		ways_applies "$way" "$case" && ran=$((ran + 1))
		rc=$(cat "$root/reports/$case.rc" 2> /dev/null) || rc=none
		if [ "$rc" != 0 ]; then
			failed+=("$case")
			cat "$root/reports/$case.txt" 2> /dev/null
			[ "$rc" = 1 ] || echo "HARNESS ERROR  case $case  way $way: status $rc"
		fi
	done
	echo "# way $way: $ran of $n cases run, ${#failed[@]} disagree${failed[*]:+:}"
	for case in "${failed[@]}"; do
		echo "#   $case"
	done
	[ "${#failed[@]}" -eq 0 ]
}
