#!/usr/bin/env bats
# Slurm: pc-mpirun under srun and sbatch, and pc-split's chunks as a job
# array, on a one-node Slurm of this suite's own (test_helper/slurm.bash),
# each held to pc-score byte for byte.  The job scripts are the installed
# examples, run as they ship (examples/slurm/).
#
# Opt-in, as root: PC_TEST_SLURM=1 (`make check-slurm` sets it).  Needs
# Debian's slurmctld, slurmd, slurm-client and munge (./bootstrap
# --install-deps installs them); no Slurm or munge of the machine's is
# used or touched.
bats_require_minimum_version 1.5.0
load test_helper/common
load test_helper/slurm

# Why the suite cannot run here, or nothing.  (Bats 1.8 reports a skip in
# setup_file as a failure when there is a teardown_file: each test skips.)
slurm_missing() {
	if [ "${PC_TEST_SLURM:-}" != 1 ]; then
		echo "the Slurm suite is opt-in: PC_TEST_SLURM=1 (make check-slurm)"
		return
	fi
	[ "$(id -u)" -eq 0 ] || { echo "the Slurm suite runs slurmd, which must be root"; return; }
	local cmd
	for cmd in munged mungekey slurmctld slurmd srun sbatch sinfo squeue scontrol scancel; do
		command -v "$cmd" > /dev/null ||
			{ echo "$cmd is not installed (./bootstrap --install-deps)"; return; }
	done
	command -v pc-mpirun > /dev/null || { echo "pc-mpirun was not built (configure found no MPI)"; return; }
	[ "${MPI_FLAVOR:-openmpi}" = openmpi ] ||
		echo "pc-mpirun is built with $MPI_FLAVOR; this suite runs Open MPI's under srun --mpi=pmix"
}

setup_file() {
	PC_SLURM_SKIP=$(slurm_missing)
	export PC_SLURM_SKIP
	[ -z "$PC_SLURM_SKIP" ] || return 0
	# Nothing of a Slurm job this suite may itself run in reaches srun or
	# sbatch: they would take it for an allocation of this cluster.
	local v
	for v in $(compgen -e); do
		case $v in SLURM_* | SBATCH_* | SRUN_* | SALLOC_*) unset "$v" ;; esac
	done
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
	# munged wants a socket directory that all may search: not below
	# BATS_FILE_TMPDIR, whose parents are private
	PC_SLURM_TOP=$(mktemp -d "${TMPDIR:-/tmp}/pc-slurm.XXXXXX")
	export PC_SLURM_TOP
	if ! slurm_start "$PC_SLURM_TOP"; then
		slurm_stop
		false
	fi
	export DATA="$BATS_FILE_TMPDIR"
	pc-gen -r 6000 -c 200 -m 100000 -s 17 -o "$DATA/big.csv"
	pc-score "$DATA/big.csv" > "$DATA/big.expected"
}

teardown_file() {
	slurm_stop
}

setup() {
	[ -z "$PC_SLURM_SKIP" ] || skip "$PC_SLURM_SKIP"
	cd "$BATS_TEST_TMPDIR"
}

@test "Debian's Slurm has the mpi/pmix plugin" {
	run srun --mpi=list
	assert_success
	assert_output --partial pmix
}

@test "srun --mpi=pmix -n 2 pc-mpirun -o out.csv big.csv equals pc-score" {
	timeout 120 srun --mpi=pmix -n 2 pc-mpirun -B 64K -o out.csv "$DATA/big.csv" < /dev/null
	same_file out.csv "$DATA/big.expected"
	timeout 120 srun --mpi=pmix -n 2 pc-mpirun -B 16K -m exhaustive -o ex.csv "$DATA/big.csv" < /dev/null
	same_file ex.csv "$DATA/big.expected"
}

@test "srun -n 2 without --mpi=pmix fails: no task runs the job alone, none writes the output" {
	# Debian's default (MpiDefault=none): no PMI between srun and Open MPI.
	# Open MPI 4 stops in MPI_Init; were MPI_Init to make each task a job of
	# one rank, pc-mpirun would refuse and name --mpi=pmix.
	mkdir o
	run --separate-stderr timeout 120 srun -n 2 pc-mpirun -B 64K -o o/out.csv "$DATA/big.csv" < /dev/null
	assert_failure
	[ "$status" -ne 124 ] || fail "srun still ran after 120 s"
	assert_output ""
	[[ "$stderr" == *'direct launched using "srun"'* || "$stderr" == *"--mpi=pmix"* ]] ||
		fail "no word of the missing PMI: $stderr"
	only_files o
}

@test "under srun, standard output is srun's pipe: refused, use -o; srun --output=FILE.%t is written" {
	run --separate-stderr timeout 120 srun --mpi=pmix -n 2 pc-mpirun "$DATA/big.csv" < /dev/null
	assert_failure 2
	assert_output ""
	[[ "$stderr" == *"the launcher's own output cannot be reached from here: use -o FILE"* ]] ||
		fail "no refusal: $stderr"
	# one file for all tasks is still a pipe, to slurmstepd, which writes it
	run timeout 120 srun --mpi=pmix -n 2 --output=all.csv pc-mpirun "$DATA/big.csv" < /dev/null
	assert_failure 2
	[[ "$output$(cat all.csv 2> /dev/null)" == *"use -o FILE"* ]] || fail "no refusal: $output"
	[ ! -s all.csv ] || ! grep -qv '^pc-mpirun: ' all.csv || fail "rows in all.csv"
	# a file per task (%t) is the task's own standard output, written
	# directly: rank 0's holds the rows, the others' stay empty
	timeout 120 srun --mpi=pmix -n 2 --output='got.%t.csv' pc-mpirun -B 64K "$DATA/big.csv" < /dev/null
	same_file got.0.csv "$DATA/big.expected"
	[ ! -s got.1.csv ]
}

@test "sbatch --wait examples/slurm/pc-mpirun.sbatch equals pc-score" {
	local script=$PC_SRCDIR/examples/slurm/pc-mpirun.sbatch
	run timeout 150 sbatch --wait --ntasks=2 --output=job.log "$script" "$DATA/big.csv" out.csv -B 64K
	[ "$status" -eq 0 ] || fail "sbatch: status $status, $output; job.log: $(cat job.log 2> /dev/null)"
	same_file out.csv "$DATA/big.expected"
	[ ! -s job.log ] || fail "the job said: $(cat job.log)"
	# a bad row: the job fails with pc-mpirun's status, and no output appears
	{ head -n 3000 "$DATA/big.csv"; echo 'BAD,1,x'; } > bad.csv
	run timeout 150 sbatch --wait --ntasks=2 --output=bad.log "$script" bad.csv bad.out -B 64K
	assert_failure
	[ ! -e bad.out ]
	grep -q 'pc-mpirun: .*bad.csv:3001:7: not a number' bad.log || fail "bad.log: $(cat bad.log)"
}

@test "a job array over pc-split's chunks (examples/slurm/pc-array.sbatch), then pc-merge, equals pc-score" {
	local script=$PC_SRCDIR/examples/slurm/pc-array.sbatch n
	pc-split -n 4 -d work "$DATA/big.csv" > chunks.txt
	n=$(wc -l < chunks.txt)
	[ "$n" -eq 4 ]
	run timeout 150 sbatch --wait --array="1-$n" --output='array-%a.log' "$script" chunks.txt
	[ "$status" -eq 0 ] || fail "sbatch: status $status, $output; $(cat array-*.log 2> /dev/null)"
	pc-merge -o result.csv work/*.csv.out
	same_file result.csv "$DATA/big.expected"
	# a task past the last chunk says so and fails; a lost result is named
	run timeout 150 sbatch --wait --array=5 --output=past.log "$script" chunks.txt
	assert_failure
	grep -q 'chunks.txt has no line 5' past.log || fail "past.log: $(cat past.log)"
	rm work/big.00003.csv.out
	run pc-merge work/*.csv.out
	assert_failure 1
	assert_output --partial "chunk 3 is missing"
}

@test "the job scripts shown in pc-mpirun(1) and pc-split(1) are the shipped examples, line for line" {
	local man script line n
	for man in pc-mpirun:pc-mpirun pc-split:pc-array; do
		script=$PC_SRCDIR/examples/slurm/${man#*:}.sbatch
		n=0
		while IFS= read -r line; do
			n=$((n + 1))
			grep -qxF -- "$line" "$script" || fail "${man%%:*}(1) shows '$line', which $script lacks"
		done < <(mandoc -Tascii "$PC_SRCDIR/man/${man%%:*}.1" | sed 's/.\x08//g' |
			sed -n '/^ *#!\/bin\/sh$/,/^ *exec /p' | sed 's/^ *//')
		[ "$n" -ge 5 ] || fail "${man%%:*}(1) shows no job script"
	done
}
