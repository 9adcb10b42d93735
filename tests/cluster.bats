#!/usr/bin/env bats
# Across machines for real: hosts with files, a network and an sshd of their
# own (tests/test_helper/cluster.bash), and on them the pipeline of pc-split,
# GNU Parallel over ssh and pc-merge, a host lost mid-run (and pc-merge
# --rerun naming the chunks to score again), and pc-mpirun under Open MPI's
# mpirun across hosts: byte-identical to pc-score on the whole input every
# time, and a rank's host lost mid-run ending the job.  Root only, and opt-in: PC_TEST_CLUSTER=1, which
# `make check-cluster` sets (make check does not run this suite).
bats_require_minimum_version 1.5.0
load test_helper/common
load test_helper/cluster

setup_file() {
	# (bats 1.8 cannot skip in setup_file: setup() does)
	[ "${PC_TEST_CLUSTER:-}" = 1 ] || return 0
	export DATA="$BATS_FILE_TMPDIR"
	# quoted names with newlines, CRLF, blank lines, no final newline: the
	# bytes must cross the network unchanged
	oracle gen --seed 401 --rows 4000 --profile mixed --crlf --no-final-newline > "$DATA/big.csv"
	pc-score "$DATA/big.csv" > "$DATA/big.expected"
	oracle score "$DATA/big.csv" | cmp -s - "$DATA/big.expected"
	cluster_up 2
	cluster_install
	# Open MPI between the hosts: TCP only, on the cluster's own interface.
	# orted (/usr/bin) and pc-mpirun (installed in /usr/local/bin) are on
	# the PATH that sshd gives a session, so neither --prefix nor -x PATH
	# is needed; as root, mpirun wants the two OMPI_ALLOW_* variables
	export MPI="OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 timeout 120 mpirun \
--mca btl tcp,self --mca btl_tcp_if_include pc0 --mca oob_tcp_if_include pc0 \
--mca plm_rsh_agent ssh -x ASAN_OPTIONS=detect_leaks=0"
}

teardown_file() {
	cluster_down
}

setup() {
	if [ "${PC_TEST_CLUSTER:-}" != 1 ]; then
		skip "the cluster suite runs with PC_TEST_CLUSTER=1, as root (make check-cluster)"
	fi
	cd "$BATS_TEST_TMPDIR" || return 1
	bg_pids=
}

teardown() {
	kill_bg_jobs
	# what a test that failed left on the hosts (those still up)
	local h
	for h in $CLUSTER_HOSTS; do
		cluster_ssh "$h" 'find ~ /tmp /var/tmp /dev/shm -mindepth 1 -delete' 2> /dev/null || true
	done
}

# par ARGS...: GNU Parallel, with the cluster's ssh
par() {
	parallel --will-cite --ssh "$CLUSTER_SSH" "$@"
}

# hosts_clean: no file left in any host's writable directories, nothing
# running on a host but its sshd, and no ssh left running on the driver
hosts_clean() {
	local h left
	for h in $CLUSTER_HOSTS; do
		left=$(cluster_ssh "$h" 'find ~ /tmp /var/tmp /dev/shm -mindepth 1') || return 1
		[ -z "$left" ] || fail "left on $h: $left"
		cluster_idle "$h" || return 1
	done
	cluster_idle ctl
}

@test "the hosts: their own files, names and sshd; the toolkit installed from this build" {
	local h
	for h in $CLUSTER_HOSTS; do
		run cluster_ssh "$h" 'hostname; command -v pc-score pc-split pc-merge pc-mpirun; pc-score --version | head -n 1'
		assert_success
		assert_output "$h
/usr/local/bin/pc-score
/usr/local/bin/pc-split
/usr/local/bin/pc-merge
/usr/local/bin/pc-mpirun
$(pc-score --version | head -n 1)"
		# neither the build tree nor the test's files are there: each is
		# gone, or an empty directory of the host's own (where it lies
		# outside the usual ones, as in CI's /check/work/main)
		run cluster_ssh "$h" "ls -A /work /tmp ~ '$PC_BUILDDIR' '$DATA' 2>&1 | grep -v -e ':\$' -e '^\$' -e 'No such file'"
		assert_failure 1
		assert_output ""
		# and the rest is read-only
		run cluster_ssh "$h" 'for d in /usr /etc /var /opt; do ! touch $d/x 2> /dev/null || echo $d; done'
		assert_success
		assert_output ""
	done
	# a file written on one host is seen on no other, nor on the driver
	cluster_ssh h1 'echo one > ~/mine; echo one > /usr/local/mine; echo one > /tmp/mine'
	run cluster_ssh h2 'cat ~/mine /usr/local/mine /tmp/mine'
	assert_failure
	[ ! -e /usr/local/mine ]
	# from host to host (Open MPI's mpirun needs it), with the known host keys
	run cluster_ssh h1 'ssh h2 hostname'
	assert_success
	assert_output h2
	cluster_ssh h1 'rm ~/mine /usr/local/mine /tmp/mine'
	hosts_clean
}

@test "pc-split -n 6 | parallel -S h1,h2 --transferfile {} --return {}.out --cleanup pc-score; pc-merge work/*.out" {
	pc-split -n 6 -d work "$DATA/big.csv" |
		par -S h1,h2 --joblog log --transferfile {} --return {}.out --cleanup \
			pc-score -o {}.out {}
	pc-merge work/*.out > result.csv
	same_file result.csv "$DATA/big.expected"
	# both hosts worked, and the jobs ran there, not here
	[ "$(awk 'NR > 1 && $7 == 0 { print $2 }' log | sort -u | tr '\n' ' ')" = "h1 h2 " ]
	hosts_clean
}

@test "the same with --sshloginfile, and with -M (ssh ControlMaster)" {
	printf '1/h1\n1/h2\n' > hosts
	pc-split -n 6 -d work "$DATA/big.csv" |
		par --sshloginfile hosts --transferfile {} --return {}.out --cleanup \
			pc-score -o {}.out {}
	pc-merge work/*.out > result.csv
	same_file result.csv "$DATA/big.expected"
	hosts_clean
	pc-split -n 6 -d work2 "$DATA/big.csv" |
		par -M -S h1,h2 --transferfile {} --return {}.out --cleanup \
			pc-score -o {}.out {}
	pc-merge work2/*.out > result2.csv
	same_file result2.csv "$DATA/big.expected"
	# the control masters are gone too
	hosts_clean
}

@test "mpirun --host h1,h2, run on h1: the input only there, rank 1 on h2, the same bytes" {
	cluster_ssh h1 'cat > big.csv' < "$DATA/big.csv"
	cluster_ssh h2 '[ ! -e big.csv ]'
	run cluster_ssh h1 "$MPI --host h1,h2 -n 2 hostname | sort"
	assert_success
	assert_output "h1
h2"
	local before after
	before=$(cluster_rx_bytes h2)
	cluster_ssh h1 "$MPI --host h1,h2 -n 2 pc-mpirun -B 4K big.csv" > result.csv
	after=$(cluster_rx_bytes h2)
	same_file result.csv "$DATA/big.expected"
	# rank 1 got blocks to score: h2 received more than 8 of them (launching
	# orted there and its messages take some 8 KB)
	[ $((after - before)) -gt $((8 * 4096 + 8192)) ] ||
		fail "h2 received only $((after - before)) bytes"
	# -o writes on rank 0's host
	cluster_ssh h1 "$MPI --host h1,h2 -n 2 pc-mpirun -B 4K -o res.csv big.csv"
	cluster_ssh h1 'cat res.csv' > res.csv
	same_file res.csv "$DATA/big.expected"
	cluster_ssh h2 '[ ! -e res.csv ]'
	cluster_ssh h1 'rm big.csv res.csv'
	hosts_clean
}

@test "mpirun --hostfile (h1 slots=1, h2 slots=2), exhaustive method, input from standard input" {
	cluster_ssh h1 'cat > big.csv; printf "h1 slots=1\nh2 slots=2\n" > hostfile' < "$DATA/big.csv"
	run cluster_ssh h1 "$MPI --hostfile hostfile -n 3 hostname | sort"
	assert_success
	assert_output "h1
h2
h2"
	cluster_ssh h1 "$MPI --hostfile hostfile -n 3 pc-mpirun -B 4K -m exhaustive < big.csv" > result.csv
	same_file result.csv "$DATA/big.expected"
	cluster_ssh h1 'rm big.csv hostfile'
	hosts_clean
}

@test "mpirun on the driver, ranks on h1 and h2: -o writes on rank 0's host; standard output is refused" {
	cluster_ssh h1 'cat > big.csv' < "$DATA/big.csv"
	# mpirun in the driver's network namespace, with the driver's ssh
	# configuration; each orted checks that the agent's program exists on
	# its host too (a path of the driver's only, such as $CLUSTER_SSH, makes
	# it abort), and all of them are started by mpirun (no tree spawn: the
	# configuration file is the driver's)
	local mpirun=(env OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
		nsenter --net="/run/netns/$CLUSTER_NAME-ctl" -- timeout 120 mpirun
		--mca btl tcp,self --mca btl_tcp_if_include pc0 --mca oob_tcp_if_include pc0
		--mca plm_rsh_agent "ssh -F $CLUSTER_DIR/ssh_config" --mca plm_rsh_no_tree_spawn 1
		--wdir /root --host h1,h2 -n 2)
	run "${mpirun[@]}" hostname < /dev/null
	assert_success
	assert_line h1
	assert_line h2
	"${mpirun[@]}" pc-mpirun -B 4K -o res.csv big.csv < /dev/null
	cluster_ssh h1 'cat res.csv' > res.csv
	same_file res.csv "$DATA/big.expected"
	# rank 0 is not on the launcher's host: its standard output is only
	# orted's forwarder, which would lose write errors (pc-mpirun(1))
	run --separate-stderr "${mpirun[@]}" pc-mpirun -B 4K big.csv < /dev/null
	assert_failure 2
	[ -z "$output" ]
	[[ "$stderr" == *"pc-mpirun: standard output would go through the launcher, which loses write errors, and the launcher's own output cannot be reached from here: use -o FILE"* ]]
	cluster_ssh h1 'rm big.csv res.csv'
	hosts_clean
}

# rank_host_lost HOW: mpirun --host h1,h2 on h1, rank 1 on h2, and h2 lost
# mid-run by `cluster_HOW h2` (lose: every process of it killed, their
# connections closed by its kernel; cut: silent, its link down first); the
# job must end non-zero within 120 s and leave no out.csv on h1
rank_host_lost() {
	local how=$1
	# exhaustive scoring of 29 MB: minutes of work, so the job is still
	# running whatever the machine's speed when h2 is lost
	pc-gen -r 20000 -c 500 -s 5 > heavy.csv
	# The input goes to rank 0 through a FIFO on h1, in two parts: its first
	# 2 MB, then the rest once the test says so on go.fifo (read-write:
	# opening never blocks)
	cluster_ssh h1 'mkfifo in.fifo'
	mkfifo go.fifo
	local go
	exec {go}<> go.fifo
	{
		head -c 2000000 heavy.csv
		read -r -u "$go" _
		tail -c +2000001 heavy.csv
	} 2> /dev/null 3>&- | cluster_ssh h1 'cat > in.fifo' 2> /dev/null 3>&- &
	local feeder=$!
	bg_pids=$feeder
	local before
	before=$(cluster_rx_bytes h2)
	cluster_ssh h1 "$MPI --host h1,h2 -n 2 pc-mpirun -m exhaustive -B 64K -o out.csv in.fifo" \
		< /dev/null > mpi.out 2> mpi.err 3>&- &
	local job=$!
	bg_pids="$job $bg_pids"
	# until rank 1, on h2, has had 8 blocks to score: the job is past
	# MPI_Init on every rank and rank 0 is dealing out blocks, with most of
	# the input still to come
	local try got=0
	for try in $(seq 1 600); do
		got=$(($(cluster_rx_bytes h2) - before))
		[ "$got" -gt $((8 * 65536 + 16384)) ] && break
		kill -0 "$job" 2> /dev/null || { cat mpi.err >&2; fail "the job ended before h2 got 8 blocks"; }
		sleep 0.2
	done
	[ "$got" -gt $((8 * 65536 + 16384)) ] || fail "h2 received only $got bytes in 120 s"
	# h2 is lost: every process of it (orted, rank 1, its sshd) killed
	"cluster_$how" h2
	local t0=$SECONDS
	echo go >&"$go"   # rank 0 goes on reading and dealing out blocks
	local rc=0
	wait "$job" || rc=$?
	local took=$((SECONDS - t0))
	echo "# cluster_$how h2: mpirun ended $took s later, with status $rc" >&3
	[ "$rc" -ne 0 ] || fail "the job succeeded without rank 1"
	[ "$rc" -ne 124 ] && [ "$rc" -ne 137 ] || fail "the job hung until timeout 120 ended it"
	[ "$took" -le 120 ] || fail "the job took $took s to end"
	# no result, and no temporary file of -o, on rank 0's host
	run cluster_ssh h1 'ls -A ~ /tmp'
	assert_output "/root:
in.fifo

/tmp:"
	# the feeder's ssh ends with the reader gone (a closed pipe)
	for try in $(seq 1 50); do
		kill -0 "$feeder" 2> /dev/null || break
		sleep 0.2
	done
	kill -0 "$feeder" 2> /dev/null && fail "the feeder still runs"
	exec {go}>&-
	cluster_ssh h1 'rm in.fifo'
	# h1 is left with nothing running of the job (orted, rank 0) either
	cluster_idle h1
	cluster_idle ctl
	# h2 boots again, for the tests after this one
	cluster_revive h2
	hosts_clean
}

@test "mpirun --host h1,h2, h2 lost mid-run: the job ends non-zero within 120 s, and leaves no out.csv on h1" {
	rank_host_lost lose
}

@test "mpirun --host h1,h2, h2 cut off mid-run (silent): ssh's keepalives end the job within 120 s, no out.csv on h1" {
	rank_host_lost cut
}

# last: h2 is gone afterwards
@test "h2 lost between two chunks: pc-merge --rerun names the missing ones; parallel :::: todo on h1 alone, the same bytes" {
	pc-split -n 6 -d work "$DATA/big.csv" > paths
	# odd chunks on h1, even ones on h2, one job at a time on each, in order
	awk '{ print $0 "@" (NR % 2 ? "one" : "two") }' paths > args
	# h2 blocks in its second job (chunk 4) on a FIFO that only h2 has, and
	# is lost there: after chunk 2 came back, before chunk 4 did
	cluster_ssh h2 'mkfifo gate'
	local job='[ {} != work/big.00004.csv ] || [ ! -p gate ] || { : > gate.waiting; cat gate; }; pc-score -o {}.out {}'
	par --hgrp -S @one/1/h1 -S @two/1/h2 --joblog log \
		--transferfile {} --return {}.out --cleanup "$job" :::: args \
		> parallel.out 2> parallel.err 3>&- &
	local pid=$!
	bg_pids=$pid
	local try
	for try in $(seq 1 150); do
		cluster_ssh h2 '[ -e gate.waiting ]' && break
		kill -0 "$pid" 2> /dev/null || fail "parallel ended before chunk 4 started on h2"
		sleep 0.2
	done
	cluster_ssh h2 '[ -e gate.waiting ]'
	cluster_lose h2
	local status=0
	wait "$pid" || status=$?
	[ "$status" -eq 2 ] || { cat parallel.err >&2; fail "parallel: status $status, not 2 (two jobs failed)"; }
	# the jobs of chunks 4 and 6 failed (ssh's 255), the others came back
	run awk 'NR > 1 { print $1, $2, $7 }' log
	assert_output --partial "4 h2 255"
	assert_output --partial "6 h2 255"
	[ "$(awk 'NR > 1 && $7 == 0 { print $1 }' log | sort | tr '\n' ' ')" = "1 2 3 5 " ]
	# pc-merge names the chunks to score again, from pc-split's list
	run --separate-stderr pc-merge --chunk-list=paths --rerun=todo -o result.csv work/*.out
	assert_failure 1
	local id
	id=$(head -n 1 work/big.00001.csv | sed 's/.*id=\([0-9a-f]*\).*/\1/')
	assert_equal "$stderr" "pc-merge: run $id: no chunk has last=1
pc-merge: run $id: chunk 4 is missing
pc-merge: run $id: chunk 6 is missing"
	[ ! -e result.csv ]
	printf 'work/big.00004.csv\nwork/big.00006.csv\n' > want
	same_file todo want
	# exactly those again, on the host that is left, as GNU Parallel reads them
	par -S 1/h1 --joblog log2 --transferfile {} --return {}.out --cleanup "$job" :::: todo
	[ "$(awk 'NR > 1 { print $2, $7 }' log2 | tr '\n' ' ')" = "h1 0 h1 0 " ]
	pc-merge --chunk-list=paths --rerun=todo -o result.csv work/*.out
	same_file result.csv "$DATA/big.expected"
	[ -f todo ] && [ ! -s todo ]
	local left
	left=$(cluster_ssh h1 'find ~ /tmp /var/tmp /dev/shm -mindepth 1')
	[ -z "$left" ] || fail "left on h1: $left"
	cluster_idle h1
	cluster_idle ctl
}
