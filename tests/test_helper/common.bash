# tests/test_helper/common.bash - loaded by every bats suite (`load test_helper/common`).
#
# Under `make check` the Makefile exports PATH (the built programs first),
# PC_SRCDIR (the absolute source directory), PC_BUILDDIR, PYTHON3 and MPIRUN.
# Run by hand from the top of a built tree (`bats tests/pc-score.bats`), the
# same values are worked out here.  Tests write only below $BATS_TEST_TMPDIR
# or $BATS_FILE_TMPDIR: the source tree is read-only under `make distcheck`.

bats_load_library bats-support
bats_load_library bats-assert

if [ -z "${PC_SRCDIR:-}" ]; then
	PC_SRCDIR=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
fi
if [ -z "${PC_BUILDDIR:-}" ]; then
	PC_BUILDDIR=$PC_SRCDIR
fi
: "${PYTHON3:=python3}"
if [ -z "${MPIRUN:-}" ]; then
	MPIRUN=$(command -v mpirun 2>/dev/null || echo no)
fi
# configure's MPI_FLAVOR (openmpi or mpich), or what the launcher says of itself
if [ -z "${MPI_FLAVOR:-}" ] || [ "$MPI_FLAVOR" = none ]; then
	case $("$MPIRUN" --version 2>&1) in
	*"Open MPI"* | *OpenRTE*) MPI_FLAVOR=openmpi ;;
	*HYDRA* | *[Mm][Pp][Ii][Cc][Hh]*) MPI_FLAVOR=mpich ;;
	*) MPI_FLAVOR=none ;;
	esac
fi
for _pc_prog in pc-score pc-gen pc-split pc-merge pc-threads pc-mpirun; do
	case ":$PATH:" in
	*":$PC_BUILDDIR/$_pc_prog:"*) ;;
	*) if [ -x "$PC_BUILDDIR/$_pc_prog/$_pc_prog" ]; then
		PATH="$PC_BUILDDIR/$_pc_prog:$PATH"
	   fi ;;
	esac
done
unset _pc_prog
# what configure wrote in: the version, the man pages' date, the bug address
if [ -z "${PC_VERSION:-}" ]; then
	PC_VERSION=$(sed -n 's/^#define PACKAGE_VERSION "\(.*\)"$/\1/p' "$PC_BUILDDIR/config.h")
	PC_BUGREPORT=$(sed -n 's/^#define PACKAGE_BUGREPORT "\(.*\)"$/\1/p' "$PC_BUILDDIR/config.h")
	PC_DATE=$(sed -n 's/^PC_DATE = //p' "$PC_BUILDDIR/Makefile")
fi
export PATH PC_SRCDIR PC_BUILDDIR PYTHON3 MPIRUN MPI_FLAVOR PC_VERSION PC_DATE PC_BUGREPORT

# The exact, independent oracle: `oracle gen ...`, `oracle score FILE...`.
oracle() {
	"$PYTHON3" "$PC_SRCDIR/tests/oracle.py" "$@"
}

# same_file GOT WANT: succeed when the two files are byte-identical, else
# print the size of each and the first differing lines, and fail.
same_file() {
	if cmp -s -- "$1" "$2"; then
		return 0
	fi
	{
		echo "# $1 ($(wc -c < "$1") bytes, $(wc -l < "$1") lines)"
		echo "#   differs from $2 ($(wc -c < "$2") bytes, $(wc -l < "$2") lines):"
		cmp -- "$1" "$2" 2>&1 | sed 's/^/#   /'
		diff -- <(head -c 1000000 "$1") <(head -c 1000000 "$2") | head -n 12 | cut -c 1-300 | sed 's/^/#   /'
	} >&2
	return 1
}

# only_files DIR NAME...: DIR holds no file but the NAMEs (so a failed -o
# run left neither its target nor a temporary file behind).
only_files() {
	local dir=$1 f base
	shift
	for f in "$dir"/* "$dir"/.[!.]*; do
		[ -e "$f" ] || continue
		base=${f##*/}
		local ok=
		local want
		for want in "$@"; do
			[ "$base" = "$want" ] && ok=1
		done
		if [ -z "$ok" ]; then
			echo "# unexpected file left in $dir: $base" >&2
			ls -la "$dir" >&2
			return 1
		fi
	done
}

# kill_bg_jobs: end the background jobs a test started and kept in
# bg_pids (their own ids, from $!), so that a test that fails while they
# wait on a FIFO does not hang the suite.  For teardown().
kill_bg_jobs() {
	local p
	for p in ${bg_pids:-}; do
		kill "$p" 2> /dev/null || true
	done
}

# signal_mid_run SIG PROG ARGS...: run PROG ARGS... (which reads the FIFO
# in.fifo and writes with -o, or its chunks, into out/; its standard output
# goes to stdout.txt) and send it SIG while it waits for more input; print
# its exit status.  The writer's open of the FIFO returns only once PROG
# has opened it, which is after PROG made its temporary output file.
signal_mid_run() {
	local sig=$1
	shift
	mkfifo in.fifo
	mkdir -p out
	# a background job of a non-interactive shell starts with SIGINT
	# ignored, and an ignored signal rightly stays so: reset them
	env --default-signal=INT,TERM,HUP "$@" < /dev/null > stdout.txt &
	local pid=$!
	exec 8> in.fifo              # returns once PROG opened in.fifo
	printf 'a,1,2\nb,3,4\n' >&8  # some rows, and no end of input yet
	[ -n "$(ls -A out)" ] || fail "no temporary file while running"
	kill -s "$sig" "$pid"
	local rc=0
	wait "$pid" || rc=$?
	exec 8>&-
	echo "$rc"
}

# ---- MPI: every test launches with $MPIRUN, whichever MPI it is -----------

# mpi_launch N ARGS...: $MPIRUN -n N ARGS..., with what this MPI needs to
# start more ranks than there are cores, as root too (Open MPI wants
# --oversubscribe and two variables; MPICH's mpiexec needs nothing), under
# `timeout $MPI_TIMEOUT` (default 120: a hung job fails, it does not hang
# the suite).  Exported, so that `bash -c` can call it.
mpi_launch() {
	local n=$1
	shift
	# Under --enable-sanitizers, LeakSanitizer reports Open MPI's own
	# allocations at exit (every rank): no leak check through a launcher;
	# the code pc-mpirun runs is leak-checked by pc-score's and
	# pc-threads' suites.
	local ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
	export ASAN_OPTIONS
	# shellcheck disable=SC2086
	case $MPI_FLAVOR in
	openmpi)
		OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 \
			timeout ${MPI_TIMEOUT:-120} "$MPIRUN" --oversubscribe -n "$n" "$@" ;;
	*) timeout ${MPI_TIMEOUT:-120} "$MPIRUN" -n "$n" "$@" ;;
	esac
}
export -f mpi_launch

# mpi_have: succeed when the tests have an MPI launcher and pc-mpirun.
mpi_have() {
	[ "${MPIRUN:-no}" != no ] && [ -x "$MPIRUN" ] && command -v pc-mpirun > /dev/null
}

# mpi_over_network: make the ranks of the next launches talk as ranks on
# different hosts do, over TCP, never through shared memory (the setting
# of each MPI; the other MPI ignores it).
mpi_over_network() {
	export OMPI_MCA_btl=tcp,self MPIR_CVAR_NOLOCAL=1
}

# mpi_is_rank PID R: succeed when process PID is rank R of a launch (by
# its launcher's variable: Open MPI's, or PMI's for MPICH and Slurm).
mpi_is_rank() {
	tr '\0' '\n' < "/proc/$1/environ" 2> /dev/null |
		grep -qxE "(OMPI_COMM_WORLD_RANK|PMI_RANK|PMIX_RANK)=$2"
}

# sync_calls OUT CMD...: run CMD under strace (a test dependency: see
# bootstrap) and write to OUT its fsync() and rename() calls, one a line:
# "fsync NAME" (a file's base name), "fsync DIR" (a directory),
# "rename FROM TO" (as given); a temporary name .pc-XXXXXX becomes .pc-*.
# The status, stdout and stderr are CMD's.  LeakSanitizer cannot run under
# ptrace: under --enable-sanitizers it is off for CMD alone.
sync_calls() {
	local out=$1 trace=$BATS_TEST_TMPDIR/sync_calls.trace rc=0 line path
	shift
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		strace -f -y -qq -e trace=fsync,rename -o "$trace" "$@" || rc=$?
	while IFS= read -r line; do
		if [[ $line =~ fsync\([0-9]+\<([^\>]*)\>\) ]]; then
			path=${BASH_REMATCH[1]}
			if [ -d "$path" ]; then
				echo "fsync DIR"
			else
				echo "fsync ${path##*/}"
			fi
		elif [[ $line =~ rename\(\"([^\"]*)\",\ \"([^\"]*)\"\) ]]; then
			echo "rename ${BASH_REMATCH[1]} ${BASH_REMATCH[2]}"
		fi
	done < "$trace" | sed 's/\.pc-[A-Za-z0-9]\{6\}/.pc-*/g' > "$out"
	return "$rc"
}

# nonblocking CMD...: exec CMD with its standard output's file description
# made non-blocking (O_NONBLOCK), as a parent process such as mpirun or an
# event loop may leave it.  Exported, for `bash -c`.
nonblocking() {
	"$PYTHON3" -c 'import fcntl, os, sys
fcntl.fcntl(1, fcntl.F_SETFL, fcntl.fcntl(1, fcntl.F_GETFL) | os.O_NONBLOCK)
os.execvp(sys.argv[1], sys.argv[1:])' "$@"
}
export -f nonblocking

# slow_cat: copy standard input to standard output a line at a time, far
# slower than any program here writes, so that a pipe into it fills up.
slow_cat() {
	local line
	while IFS= read -r line; do
		printf '%s\n' "$line"
	done
}
export -f slow_cat

# has_path NAME: this processor runs the PC_SIMD path NAME (its flags in
# /proc/cpuinfo, as lib/simd.c asks cpuid); sse2: every x86-64
has_path() {
	local flags
	flags=" $(grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2) "
	case $1 in
	scalar | sse2) return 0 ;;
	avx2) [[ $flags == *" avx2 "* ]] ;;
	avx512) [[ $flags == *" avx512f "* && $flags == *" avx512bw "* && $flags == *" avx512dq "* ]] ;;
	esac
}
