# tests/test_helper/cluster.bash - a simulated cluster for tests/cluster.bats.
#
# As root, cluster_up N makes N hosts h1..hN, each of them
#   - a network namespace with one interface, pc0, 10.213.0.1I/24, joined by
#     a veth pair to a bridge that lives in a network namespace of its own
#     (the "switch"), so that none of this touches the root namespace's
#     network and nothing leaves the namespaces made here;
#   - a mount namespace of its own (and a UTS namespace: `hostname` is hI)
#     in which /root (its HOME), /usr/local (its install prefix), /tmp,
#     /var/tmp, /dev/shm, /run, /home, /work and the directories of the test
#     and of the build tree are fresh, empty tmpfs, and the rest of the file
#     system (the OS image: /usr, /etc, ...) is read-only: every file a host
#     can write is its own, and a file written on one host is seen on no
#     other, nor by the machine that drives them; /etc/ssh and /etc/hosts
#     are the host's own;
#   - an sshd (Debian's openssh-server) on 10.213.0.1I:22, key login only,
#     started inside those namespaces, so that every session over ssh sees
#     the host's own files.
# The hosts share the machine's process ids (no PID namespace): `ps` on a
# host lists every process, and a host's processes are those of its network
# namespace (ip netns pids).
# The driving side is a network namespace "ctl" (10.213.0.10) on the same
# bridge.  $CLUSTER_SSH is an ssh that runs there with the cluster's own
# configuration, keys and known_hosts file (written here, checked strictly):
#     "$CLUSTER_SSH" h1 pc-score --version
#     parallel --ssh "$CLUSTER_SSH" -S h1,h2 ...
# On the hosts, /etc/ssh/ssh_config is the same configuration, so that `ssh h2`
# on h1 (as Open MPI's mpirun runs it) works as well.
#
# cluster_install copies the toolkit of the build tree under test, installed
# with `make install DESTDIR=...`, to every host's /usr/local through tar over
# ssh.  cluster_lose HOST kills every process of a host by its id (sshd
# first): the host is gone, and a connection to it is refused.
# cluster_cut HOST cuts its link first, so that its peers are told nothing.
# cluster_revive HOST boots it again, empty, with the toolkit installed.  cluster_down
# stops every process the cluster started, by id, and deletes the namespaces
# it made; it is safe to call at any point, and again.  All of its state is
# kept in $CLUSTER_DIR.
#
# Also a script:  bash tests/test_helper/cluster.bash up N DIR  /  down DIR

CLUSTER_NET=10.213.0
CLUSTER_MASK=(/tmp /var/tmp /root /home /work /usr/local /dev/shm /run)

# cluster_ns_pids NS: the ids of the processes in network namespace NS
cluster_ns_pids() {
	ip netns pids "$1" 2> /dev/null || true
}

# cluster_up N [DIR]: make and start hosts h1..hN (N is 1 to 9); DIR (default
# $BATS_FILE_TMPDIR/cluster) must not exist.  On failure the cluster is taken
# down again and cluster_up returns 1.
cluster_up() {
	local n=$1 dir=${2:-$BATS_FILE_TMPDIR/cluster}
	if [ "$(id -u)" -ne 0 ]; then
		echo "cluster: needs root (ip netns, mount)" >&2
		return 1
	fi
	local tool
	for tool in ip nsenter unshare ssh ssh-keygen /usr/sbin/sshd tar; do
		command -v "$tool" > /dev/null || {
			echo "cluster: $tool is missing (apt-get install openssh-server iproute2 util-linux)" >&2
			return 1
		}
	done
	mkdir "$dir" || return 1
	CLUSTER_DIR=$(cd "$dir" && pwd)
	# a name of this cluster's own: other runs may make clusters at the same time
	CLUSTER_NAME=pcc-$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')
	CLUSTER_HOSTS=
	local i
	for i in $(seq 1 "$n"); do
		CLUSTER_HOSTS="$CLUSTER_HOSTS h$i"
	done
	CLUSTER_HOSTS=${CLUSTER_HOSTS# }
	CLUSTER_SSH=$CLUSTER_DIR/bin/ssh
	export CLUSTER_DIR CLUSTER_NAME CLUSTER_HOSTS CLUSTER_SSH
	echo "$CLUSTER_NAME" > "$CLUSTER_DIR/name"
	echo "$CLUSTER_HOSTS" > "$CLUSTER_DIR/hosts-list"
	: > "$CLUSTER_DIR/namespaces"
	if ! _cluster_make; then
		echo "cluster: could not be set up; taking it down" >&2
		cluster_down
		return 1
	fi
}

_cluster_make() {
	local d=$CLUSTER_DIR ns=$CLUSTER_NAME h i
	mkdir -p "$d/bin" || return 1
	# keys: one for logging in (to every host, from the driver and from each
	# host), one host key per host
	ssh-keygen -q -t ed25519 -N '' -C cluster -f "$d/id" || return 1
	{
		printf '%s\n' "$CLUSTER_NET.10 ctl"
		for h in $CLUSTER_HOSTS; do
			printf '%s\n' "$CLUSTER_NET.1${h#h} $h"
		done
	} > "$d/hosts"
	: > "$d/known_hosts"
	for h in $CLUSTER_HOSTS; do
		mkdir -p "$d/$h/ssh" || return 1
		ssh-keygen -q -t ed25519 -N '' -C "$h" -f "$d/$h/ssh/ssh_host_ed25519_key" || return 1
		printf '%s,%s %s\n' "$h" "$CLUSTER_NET.1${h#h}" \
			"$(cut -d' ' -f1,2 "$d/$h/ssh/ssh_host_ed25519_key.pub")" >> "$d/known_hosts"
	done
	# the client's configuration, for the driver (-F) and as the hosts' own
	# /etc/ssh/ssh_config (with paths as the hosts see them)
	_cluster_ssh_config "$d/id" "$d/known_hosts" > "$d/ssh_config"
	printf '#!/bin/sh\n# ssh into the cluster %s, from its driver namespace\nexec nsenter --net=/run/netns/%s-ctl -- ssh -F %s "$@"\n' \
		"$ns" "$ns" "$d/ssh_config" > "$CLUSTER_SSH"
	chmod +x "$CLUSTER_SSH"

	# the network: a bridge in a namespace of its own, a veth pair to each host
	_cluster_netns "$ns-sw" || return 1
	ip -n "$ns-sw" link add br0 type bridge || return 1
	ip -n "$ns-sw" link set br0 up || return 1
	_cluster_netns "$ns-ctl" || return 1
	_cluster_wire ctl "$CLUSTER_NET.10" || return 1
	for h in $CLUSTER_HOSTS; do
		_cluster_netns "$ns-$h" || return 1
		_cluster_wire "$h" "$CLUSTER_NET.1${h#h}" || return 1
	done

	for h in $CLUSTER_HOSTS; do
		_cluster_start_host "$h" || return 1
	done
	for h in $CLUSTER_HOSTS; do
		_cluster_wait_host "$h" || return 1
	done
}

# _cluster_ssh_config IDENTITY KNOWN_HOSTS
_cluster_ssh_config() {
	local h
	for h in $CLUSTER_HOSTS; do
		printf 'Host %s\n\tHostName %s\n' "$h" "$CLUSTER_NET.1${h#h}"
	done
	cat <<-EOF
	Host *
	 	User root
	 	IdentityFile $1
	 	IdentitiesOnly yes
	 	UserKnownHostsFile $2
	 	GlobalKnownHostsFile /dev/null
	 	StrictHostKeyChecking yes
	 	CheckHostIP no
	 	BatchMode yes
	 	ConnectTimeout 10
	 	ServerAliveInterval 5
	 	ServerAliveCountMax 2
	 	LogLevel ERROR
	EOF
}

# _cluster_netns NAME: make a network namespace and remember it
_cluster_netns() {
	ip netns add "$1" || return 1
	echo "$1" >> "$CLUSTER_DIR/namespaces"
	ip -n "$1" link set lo up
}

# _cluster_wire HOST ADDRESS: a veth pair from the bridge to HOST's pc0
_cluster_wire() {
	local ns=$CLUSTER_NAME
	ip -n "$ns-sw" link add "v-$1" type veth peer name pc0 netns "$ns-$1" || return 1
	ip -n "$ns-sw" link set "v-$1" master br0 up || return 1
	ip -n "$ns-$1" addr add "$2/24" dev pc0 || return 1
	ip -n "$ns-$1" link set pc0 up
}

# _cluster_start_host HOST: its files, then its sshd in its own namespaces
_cluster_start_host() {
	local h=$1 d=$CLUSTER_DIR
	local addr=$CLUSTER_NET.1${h#h}
	cat > "$d/$h/ssh/sshd_config" <<-EOF
	ListenAddress $addr:22
	HostKey /etc/ssh/ssh_host_ed25519_key
	PidFile none
	UsePAM no
	PermitRootLogin prohibit-password
	PubkeyAuthentication yes
	AuthorizedKeysFile /etc/ssh/authorized_keys
	PasswordAuthentication no
	KbdInteractiveAuthentication no
	StrictModes yes
	MaxStartups 64
	MaxSessions 64
	PrintMotd no
	Subsystem sftp /usr/lib/openssh/sftp-server
	LogLevel INFO
	EOF
	cp "$d/id.pub" "$d/$h/ssh/authorized_keys" &&
		cp "$d/id" "$d/$h/ssh/id" &&
		cp "$d/known_hosts" "$d/$h/ssh/ssh_known_hosts" || return 1
	_cluster_ssh_config /etc/ssh/id /etc/ssh/ssh_known_hosts > "$d/$h/ssh/ssh_config"
	chmod 600 "$d/$h/ssh/id" "$d/$h/ssh/ssh_host_ed25519_key"
	# the directories hidden under an empty tmpfs of the host's own: the
	# usual ones, and wherever the test and the build tree are
	local masks=("${CLUSTER_MASK[@]}") m
	for m in "$CLUSTER_DIR" "${PC_BUILDDIR:-}" "${PC_SRCDIR:-}" "${BATS_RUN_TMPDIR:-}"; do
		[ -n "$m" ] && [ -d "$m" ] && masks+=("$(cd "$m" && pwd -P)")
	done
	# what runs in the new namespaces: a shell that sets up the host's
	# files, then becomes its sshd (so sshd's id is the one started here)
	local script='set -e
		hostname "$1"; src=$2; shift 2
		mount -o remount,bind,ro /
		mount -t tmpfs -o mode=755,size=16m pc-etc-ssh /etc/ssh
		cp "$src/ssh/"* /etc/ssh/
		mount --bind "$src/../hosts" /etc/hosts
		for m in "$@"; do
			[ -d "$m" ] || continue
			mount -t tmpfs -o mode=755,size=512m pc-private "$m"
		done
		chmod 700 /root
		chmod 1777 /tmp /var/tmp /dev/shm
		mkdir -m 755 /run/sshd
		cd /
		exec /usr/sbin/sshd -D -e -f /etc/ssh/sshd_config'
	ip netns exec "$CLUSTER_NAME-$h" \
		unshare --mount --uts --propagation private \
		sh -c "$script" sh "$h" "$d/$h" "${masks[@]}" \
		< /dev/null > "$d/$h/sshd.log" 2>&1 3>&- &
	echo "$!" > "$d/$h/sshd.pid"
	disown "$!" 2> /dev/null || true
}

# _cluster_wait_host HOST: until its sshd answers (at most 20 s)
_cluster_wait_host() {
	local h=$1 try pid
	pid=$(cat "$CLUSTER_DIR/$h/sshd.pid")
	for try in $(seq 1 100); do
		if ! kill -0 "$pid" 2> /dev/null; then
			echo "cluster: the sshd of $h died:" >&2
			cat "$CLUSTER_DIR/$h/sshd.log" >&2
			return 1
		fi
		if grep -q 'Server listening' "$CLUSTER_DIR/$h/sshd.log" &&
			"$CLUSTER_SSH" "$h" true < /dev/null 2> /dev/null; then
			return 0
		fi
		sleep 0.2
	done
	echo "cluster: no answer from the sshd of $h:" >&2
	cat "$CLUSTER_DIR/$h/sshd.log" >&2
	"$CLUSTER_SSH" -o LogLevel=DEBUG1 "$h" true < /dev/null >&2
	return 1
}

# cluster_install: install the build tree under test into a staging
# directory (make install DESTDIR=...) and copy it to every host's
# /usr/local, as tar over ssh
cluster_install() {
	local stage=$CLUSTER_DIR/stage h
	# (under make check-cluster: not the outer make's jobserver or variables)
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES \
		make -s -C "$PC_BUILDDIR" install DESTDIR="$stage" prefix=/usr/local \
		> "$CLUSTER_DIR/install.log" 2>&1 || {
		cat "$CLUSTER_DIR/install.log" >&2
		return 1
	}
	for h in $CLUSTER_HOSTS; do
		_cluster_copy_toolkit "$h" || return 1
	done
}

# _cluster_copy_toolkit HOST: the staged install to HOST's /usr/local
_cluster_copy_toolkit() {
	tar -C "$CLUSTER_DIR/stage/usr/local" -cf - . | "$CLUSTER_SSH" "$1" 'tar -C /usr/local -xf -'
}

# cluster_revive HOST: a lost host (cluster_lose) boots again: its sshd in
# fresh namespaces of files (so its home, /tmp and /usr/local are empty
# again), with the same address and host key, and the toolkit installed
# there again (after cluster_install)
cluster_revive() {
	local h=$1
	[ -z "$(cluster_ns_pids "$CLUSTER_NAME-$h")" ] || {
		echo "cluster: $h still runs" >&2
		return 1
	}
	ip -n "$CLUSTER_NAME-$h" link set pc0 up || return 1
	_cluster_start_host "$h" && _cluster_wait_host "$h" || return 1
	[ ! -d "$CLUSTER_DIR/stage" ] || _cluster_copy_toolkit "$h"
}

# cluster_ssh HOST COMMAND...: run COMMAND (one shell command line) on HOST
cluster_ssh() {
	"$CLUSTER_SSH" "$@"
}

# cluster_rx_bytes HOST: the bytes HOST's pc0 has received so far
cluster_rx_bytes() {
	ip netns exec "$CLUSTER_NAME-$1" cat /sys/class/net/pc0/statistics/rx_bytes
}

# cluster_idle HOST: succeed when nothing runs on HOST (a host, or ctl, the
# driver's network namespace) but its sshd, waiting up to 10 s for sessions
# that have just ended to go; else print what runs and fail
cluster_idle() {
	local h=$1 sshd='' p try left
	[ -f "$CLUSTER_DIR/$h/sshd.pid" ] && sshd=$(cat "$CLUSTER_DIR/$h/sshd.pid")
	for try in $(seq 1 50); do
		left=
		for p in $(cluster_ns_pids "$CLUSTER_NAME-$h"); do
			[ "$p" = "$sshd" ] || left="$left $p"
		done
		[ -z "$left" ] && return 0
		sleep 0.2
	done
	echo "# still running on $h:" >&2
	# shellcheck disable=SC2086
	ps -o pid,args -p "$(echo $left | tr ' ' ,)" >&2
	return 1
}

# _cluster_sshd_of HOST: the id of HOST's sshd, if it still runs in HOST's
# namespace (a recorded id alone could by now be another process's)
_cluster_sshd_of() {
	local pid p
	pid=$(cat "$CLUSTER_DIR/$1/sshd.pid" 2> /dev/null) || return 0
	for p in $(cluster_ns_pids "$CLUSTER_NAME-$1"); do
		[ "$p" = "$pid" ] && echo "$pid"
	done
	return 0
}

# cluster_lose HOST: the host is lost: every process in its namespace (its
# sshd, its sessions, their jobs) killed by id, sshd first, with SIGKILL as
# a crash would; its network namespace stays, so a connection to it is
# refused at once (and does not wait for a time-out)
cluster_lose() {
	local h=$1 pid p try
	pid=$(_cluster_sshd_of "$h")
	[ -z "$pid" ] || kill -KILL "$pid" 2> /dev/null || true
	for try in $(seq 1 50); do
		p=$(cluster_ns_pids "$CLUSTER_NAME-$h")
		[ -n "$p" ] || return 0
		# shellcheck disable=SC2086
		kill -KILL $p 2> /dev/null || true
		sleep 0.1
	done
	echo "cluster: processes of $h would not die: $p" >&2
	return 1
}

# cluster_cut HOST: the host goes silent, as one powered off or cut off the
# network does: its link goes down first, so that no connection of it is
# closed (no FIN, no RST reaches a peer), then its processes are killed
# (cluster_lose); its peers notice only by time-outs (the ssh configuration
# here sends keepalives: ServerAliveInterval 5, ServerAliveCountMax 2)
cluster_cut() {
	ip -n "$CLUSTER_NAME-$1" link set pc0 down || return 1
	cluster_lose "$1"
}

# cluster_down: stop everything the cluster started, by process id, and
# delete the namespaces it made.  Only processes found in those namespaces
# are signalled.
cluster_down() {
	local d=${CLUSTER_DIR:-} ns p h try left
	[ -n "$d" ] && [ -f "$d/namespaces" ] || return 0
	# the sshd's first (so that no new session starts), then whatever is
	# still running in the namespaces (sessions and their jobs, orted)
	for h in $CLUSTER_HOSTS; do
		p=$(_cluster_sshd_of "$h")
		[ -z "$p" ] || kill -TERM "$p" 2> /dev/null || true
	done
	for try in $(seq 1 50); do
		left=
		while read -r ns; do
			p=$(cluster_ns_pids "$ns")
			[ -z "$p" ] && continue
			left="$left $p"
			# shellcheck disable=SC2086
			if [ "$try" -lt 20 ]; then kill -TERM $p 2> /dev/null; else kill -KILL $p 2> /dev/null; fi
		done < "$d/namespaces"
		[ -z "$left" ] && break
		sleep 0.1
	done
	[ -z "$left" ] || echo "cluster: processes left:$left" >&2
	while read -r ns; do
		ip netns del "$ns" 2> /dev/null || true
	done < "$d/namespaces"
	: > "$d/namespaces"
	[ -z "$left" ]
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -u
	case "${1-}" in
	up) cluster_up "$2" "$3" && cluster_install && echo "CLUSTER_DIR=$CLUSTER_DIR CLUSTER_SSH=$CLUSTER_SSH" ;;
	down) CLUSTER_DIR=$(cd "$2" && pwd) CLUSTER_NAME=$(cat "$2/name") CLUSTER_HOSTS=$(cat "$2/hosts-list") cluster_down ;;
	revive) CLUSTER_DIR=$(cd "$3" && pwd) CLUSTER_NAME=$(cat "$3/name") CLUSTER_HOSTS=$(cat "$3/hosts-list") CLUSTER_SSH=$CLUSTER_DIR/bin/ssh cluster_revive "$2" ;;
	*) echo "usage: $0 up N DIR | down DIR | revive HOST DIR  (needs PC_BUILDDIR for up and revive)" >&2; exit 2 ;;
	esac
fi
