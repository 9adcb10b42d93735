#!/usr/bin/env bats
# Every program started with fds 0, 1 and 2 closed in every combination
# (cron jobs and daemons start that way): a file written with -o (or
# pc-split's chunks) is whole or absent, never holds a message or a list
# of paths, nothing else is left behind, and the exit status is the one a
# run with all three open gives.  SPEC 6: every program makes sure fds 0-2
# are open before anything else.
bats_require_minimum_version 1.5.0
load test_helper/common

setup_file() {
	export DATA="$BATS_FILE_TMPDIR"
	printf 'a,1,2\n"b, c",3,4\nd,5,0,0\n' > "$DATA/in.csv"
	printf 'a,1,2\nbad,x,1\nb,3,4\n' > "$DATA/bad.csv"
	pc-score "$DATA/in.csv" > "$DATA/in.want"
	(cd "$DATA" && mkdir chunks && pc-split -l 1 -d chunks in.csv |
		while read -r c; do pc-score -o "$c.out" "$c"; done)
	pc-gen -r 50 -c 6 -s 3 > "$DATA/gen.want"
}

# with_closed FDS CMD...: run CMD with the fds listed in FDS (a word of
# the digits 0, 1, 2) closed; those left open are /dev/null for 0, the
# files out.txt and err.txt for 1 and 2.  Sets $status.
with_closed() {
	local fds=$1 redir=""
	shift
	case $fds in *0*) redir+=" 0<&-" ;; *) redir+=" 0< /dev/null" ;; esac
	case $fds in *1*) redir+=" 1>&-" ;; *) redir+=" 1> out.txt" ;; esac
	case $fds in *2*) redir+=" 2>&-" ;; *) redir+=" 2> err.txt" ;; esac
	status=0
	eval '"$@"'"$redir" || status=$?
}

# sweep CMD...: CMD (which writes with -o into o/, from files only) with
# each combination of closed fds: exit 0, o/ holds exactly o/out.csv and
# it is the file the same command writes with every fd open, standard
# output stays empty.
sweep() {
	local fds
	mkdir -p ref && (cd ref && mkdir o && "$@" < /dev/null > out.txt 2> err.txt)
	[ -s ref/o/out.csv ] || fail "no reference output from $*"
	for fds in 0 1 2 01 02 12 012; do
		rm -rf run && mkdir -p run/o && cd run
		with_closed "$fds" "$@"
		[ "$status" -eq 0 ] || fail "fds $fds closed: exit status $status ($*)"
		same_file o/out.csv ../ref/o/out.csv || fail "fds $fds closed: o/out.csv differs"
		only_files o out.csv || fail "fds $fds closed: litter in o/"
		[ ! -s out.txt ] || fail "fds $fds closed: something on standard output"
		cd ..
	done
}

@test "pc-score -o, pc-threads -o, pc-mpirun -o: the file whole with any of fds 0-2 closed" {
	cd "$BATS_TEST_TMPDIR"
	sweep pc-score -o o/out.csv "$DATA/in.csv"
	same_file ref/o/out.csv "$DATA/in.want"
	rm -rf ref && sweep pc-threads -j 2 -o o/out.csv "$DATA/in.csv"
	same_file ref/o/out.csv "$DATA/in.want"
	if command -v pc-mpirun > /dev/null; then   # run alone: one rank
		# under --enable-sanitizers, LeakSanitizer reports Open MPI's own
		# allocations at exit (as in tests/pc-mpirun.bats)
		export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
		rm -rf ref && sweep pc-mpirun -o o/out.csv "$DATA/in.csv"
		same_file ref/o/out.csv "$DATA/in.want"
	fi
}

@test "pc-merge -o and pc-gen -o: the file whole with any of fds 0-2 closed" {
	cd "$BATS_TEST_TMPDIR"
	sweep pc-merge -o o/out.csv "$DATA"/chunks/*.out
	same_file ref/o/out.csv "$DATA/in.want"
	rm -rf ref && sweep pc-gen -r 50 -c 6 -s 3 -o o/out.csv
	same_file ref/o/out.csv "$DATA/gen.want"
}

@test "a bad row with any of fds 0-2 closed: exit 1, and no -o file (fail mode)" {
	cd "$BATS_TEST_TMPDIR"
	local fds prog
	for prog in pc-score pc-threads; do
		for fds in 0 1 2 01 02 12 012; do
			rm -rf run && mkdir -p run/o && cd run
			with_closed "$fds" "$prog" -o o/out.csv "$DATA/bad.csv"
			[ "$status" -eq 1 ] || fail "$prog, fds $fds closed: exit status $status"
			only_files o || fail "$prog, fds $fds closed: litter in o/"
			[ ! -s out.txt ] || fail "$prog, fds $fds closed: something on standard output"
			cd ..
		done
	done
}

@test "skip mode with any of fds 0-2 closed: the rows and the rejects, never a message inside them" {
	cd "$BATS_TEST_TMPDIR"
	local fds
	for fds in 0 1 2 01 02 12 012; do
		rm -rf run && mkdir -p run/o && cd run
		with_closed "$fds" pc-score --on-error=skip --rejects=o/rej.csv -o o/out.csv "$DATA/bad.csv"
		[ "$status" -eq 0 ] || fail "fds $fds closed: exit status $status"
		[ "$(cat o/out.csv)" = "$(printf 'a,2,1\nb,3,4')" ] || fail "fds $fds closed: o/out.csv"
		[ "$(cat o/rej.csv)" = "bad,x,1" ] || fail "fds $fds closed: o/rej.csv"
		only_files o out.csv rej.csv
		cd ..
	done
}

@test "pc-split with any of fds 0-2 closed: its chunks with fd 1 open; fd 1 closed is exit 2 and no chunk" {
	cd "$BATS_TEST_TMPDIR"
	local fds
	for fds in 0 1 2 01 02 12 012; do
		rm -rf run && mkdir -p run/o && cd run
		with_closed "$fds" pc-split -l 1 -d o "$DATA/in.csv"
		case $fds in
		*1*)
			# the list of paths cannot be written: no chunk was announced,
			# so none is left (and none holds the list)
			[ "$status" -eq 2 ] || fail "fds $fds closed: exit status $status"
			only_files o || fail "fds $fds closed: chunks left in o/"
			;;
		*)
			[ "$status" -eq 0 ] || fail "fds $fds closed: exit status $status"
			[ "$(cat out.txt)" = "$(printf 'o/in.%05d.csv\n' 1 2 3)" ] ||
				fail "fds $fds closed: the paths printed: $(cat out.txt)"
			only_files o in.00001.csv in.00002.csv in.00003.csv
			[ "$(grep -hv '^#pc:' o/*.csv)" = "$(cat "$DATA/in.csv")" ] ||
				fail "fds $fds closed: the chunks' rows"
			;;
		esac
		cd ..
	done
}
