# tests/test_helper/slurm.bash - a one-node Slurm of the suite's own, for
# tests/slurm.bats (`load test_helper/slurm`).
#
# slurm_start DIR starts munged, slurmctld and slurmd as root, everything
# below DIR: munge's key, socket, pid, log and seed files; slurm.conf
# (exported as SLURM_CONF, so srun, sbatch, squeue... use it); the state,
# spool, log and pid files of both daemons.  The ports are picked free
# below the kernel's ephemeral range; the controller and the node are
# addressed as 127.0.0.1.  (Slurm 22.05 has no setting to bind its daemons
# to one address: they listen on every address, on those ports only, and
# accept only requests signed with DIR's munge key.)  One node, "pc1",
# with 2 CPUs, no cgroups (proctrack/linuxproc, task/none), no accounting.
# It returns once the node is idle, polling at most PC_SLURM_POLLS times.
#
# slurm_stop ends every job, then the three daemons by their process ids,
# each waited for (SIGKILL after a bounded wait), and removes DIR.

: "${PC_SLURM_POLLS:=150}"   # times 0.2 s

# slurm_free_port: a TCP port that no socket uses (in /proc/net/tcp and
# tcp6), below the kernel's ephemeral range, where no connect() picks it
slurm_free_port() {
	local lo _hi port try _sl local_addr _rest
	local -A used=()
	read -r lo _hi < /proc/sys/net/ipv4/ip_local_port_range
	while read -r _sl local_addr _rest; do
		[[ $local_addr == *:* ]] && used[$((16#${local_addr##*:}))]=1
	done < <(cat /proc/net/tcp /proc/net/tcp6 2> /dev/null)
	for ((try = 0; try < 100; try++)); do
		port=$((10000 + RANDOM % (lo - 10000)))
		if [ -z "${used[$port]:-}" ]; then
			echo "$port"
			return 0
		fi
	done
	return 1
}

# slurm_poll N PIDS CMD...: run CMD up to N times, 0.2 s apart, until it
# succeeds; give up early when one of the PIDS (the daemons) is gone
slurm_poll() {
	local n=$1 pids=$2 i pid
	shift 2
	for ((i = 0; i < n; i++)); do
		"$@" 2> /dev/null && return 0
		for pid in $pids; do
			kill -0 "$pid" 2> /dev/null || return 1
		done
		sleep 0.2
	done
	return 1
}

slurm_ctld_up() {
	scontrol ping 2> /dev/null | grep -q 'is UP'
}

slurm_no_jobs() {
	[ -z "$(squeue -h -o %i 2> /dev/null)" ]
}

slurm_node_idle() {
	[ "$(sinfo -h -n pc1 -o %T 2> /dev/null)" = idle ]
}

slurm_start() {
	local dir=$1
	PC_SLURM_DIR=$dir
	PC_SLURM_PIDS=
	export PC_SLURM_DIR
	# munged wants every directory above its socket searchable by all, and
	# its key readable by its own user only
	mkdir -p "$dir/munge" "$dir/sock" "$dir/ctld" "$dir/spool" "$dir/tmp"
	chmod 755 "$dir" "$dir/sock"
	chmod 700 "$dir/munge"
	mungekey --create --keyfile="$dir/munge/munge.key" --bits=1024 > /dev/null 2>&1 ||
		dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
	chmod 400 "$dir/munge/munge.key"
	local sock=$dir/sock/munge.socket
	munged --foreground --socket="$sock" --key-file="$dir/munge/munge.key" \
		--pid-file="$dir/munge/munged.pid" --log-file="$dir/munge/munged.log" \
		--seed-file="$dir/munge/munged.seed" < /dev/null > "$dir/munge/munged.out" 2>&1 3>&- &
	PC_SLURM_PIDS="$!"
	slurm_poll "$PC_SLURM_POLLS" "$!" munge --socket="$sock" -n -o /dev/null || {
		slurm_fail_start "munged did not answer on $sock" "$dir/munge/munged.log"
		return 1
	}

	local ctld_port slurmd_port
	if ! ctld_port=$(slurm_free_port) || ! slurmd_port=$(slurm_free_port); then
		slurm_fail_start "no free port"
		return 1
	fi
	while [ "$slurmd_port" = "$ctld_port" ]; do slurmd_port=$(slurm_free_port); done
	cat > "$dir/slurm.conf" <<-CONF
	# written by tests/test_helper/slurm.bash
	ClusterName=pctest
	SlurmctldHost=localhost(127.0.0.1)
	SlurmctldPort=$ctld_port
	SlurmdPort=$slurmd_port
	SlurmUser=root
	SlurmdUser=root
	AuthType=auth/munge
	CredType=cred/munge
	AuthInfo=socket=$sock
	StateSaveLocation=$dir/ctld
	SlurmdSpoolDir=$dir/spool
	SlurmctldPidFile=$dir/slurmctld.pid
	SlurmdPidFile=$dir/slurmd.pid
	SlurmctldLogFile=$dir/slurmctld.log
	SlurmdLogFile=$dir/slurmd.log
	SlurmctldDebug=info
	SlurmdDebug=info
	TmpFS=$dir/tmp
	ProctrackType=proctrack/linuxproc
	TaskPlugin=task/none
	JobAcctGatherType=jobacct_gather/none
	AccountingStorageType=accounting_storage/none
	JobCompType=jobcomp/none
	SwitchType=switch/none
	MpiDefault=none
	SelectType=select/cons_tres
	SelectTypeParameters=CR_CPU
	SchedulerType=sched/backfill
	ReturnToService=2
	SlurmdParameters=config_overrides
	SlurmctldTimeout=30
	SlurmdTimeout=30
	InactiveLimit=0
	MinJobAge=30
	KillWait=5
	Waittime=0
	NodeName=pc1 NodeHostname=$(uname -n) NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
	PartitionName=pc Nodes=pc1 Default=YES MaxTime=INFINITE State=UP
	CONF
	export SLURM_CONF=$dir/slurm.conf

	slurmctld -D -i -f "$SLURM_CONF" < /dev/null > "$dir/slurmctld.out" 2>&1 3>&- &
	PC_SLURM_PIDS="$! $PC_SLURM_PIDS"
	slurm_poll "$PC_SLURM_POLLS" "$PC_SLURM_PIDS" slurm_ctld_up || true
	slurmd -D -N pc1 -f "$SLURM_CONF" < /dev/null > "$dir/slurmd.out" 2>&1 3>&- &
	PC_SLURM_PIDS="$! $PC_SLURM_PIDS"
	export PC_SLURM_PIDS
	slurm_poll "$PC_SLURM_POLLS" "$PC_SLURM_PIDS" slurm_node_idle || {
		slurm_fail_start "node pc1 is not idle after $PC_SLURM_POLLS polls ($(sinfo -h -n pc1 -o %T 2>&1))" \
			"$dir/slurmctld.log" "$dir/slurmd.log" "$dir/slurmctld.out" "$dir/slurmd.out"
		return 1
	}
}

# slurm_fail_start WHY LOG...: say why, show the end of each log
slurm_fail_start() {
	local why=$1 f
	shift
	echo "# slurm_start: $why" >&2
	for f in "$@"; do
		[ -f "$f" ] && { echo "# --- $f" >&2; tail -n 20 "$f" | sed 's/^/#   /' >&2; }
	done
	return 1
}

# slurm_stop: cancel every job, stop slurmd, slurmctld and munged (in that
# order, by pid), then remove PC_SLURM_DIR
slurm_stop() {
	[ -n "${PC_SLURM_DIR:-}" ] || return 0
	if [ -n "${SLURM_CONF:-}" ]; then
		local jobs
		jobs=$(squeue -h -o %i 2> /dev/null) || jobs=
		# shellcheck disable=SC2086
		[ -z "$jobs" ] || scancel --quiet $jobs 2> /dev/null || true
		slurm_poll 50 "" slurm_no_jobs || true
	fi
	local pid i
	for pid in ${PC_SLURM_PIDS:-}; do
		kill -TERM "$pid" 2> /dev/null || continue
		for ((i = 0; i < 50; i++)); do
			kill -0 "$pid" 2> /dev/null || break
			sleep 0.2
		done
		kill -KILL "$pid" 2> /dev/null || true
		wait "$pid" 2> /dev/null || true
	done
	PC_SLURM_PIDS=
	rm -rf "$PC_SLURM_DIR"
	PC_SLURM_DIR=
}
