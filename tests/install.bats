#!/usr/bin/env bats
# tests/install.bats - `make install DESTDIR=...` of this build: the
# programs, the man pages (as configure wrote them), README, NEWS, COPYING
# and the examples in share/doc/powercouples, and the bash completion where
# bash-completion's own loader finds it; `make uninstall` removes them all.

bats_require_minimum_version 1.5.0
load test_helper/common

setup_file() {
	ROOT=$BATS_FILE_TMPDIR/root
	export ROOT
	# the make that runs the suite passes its flags down; this is a make of its own
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$PC_BUILDDIR" install \
		DESTDIR="$ROOT" > "$BATS_FILE_TMPDIR/install.log" 2>&1 ||
		{ cat "$BATS_FILE_TMPDIR/install.log" >&3; return 1; }
}

# a variable of the build's Makefile, expanded as make expands it
make_var() {
	printf 'pc-print:\n\t@echo $(%s)\n' "$1" |
		env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$PC_BUILDDIR" -f Makefile -f - pc-print
}

@test "README, NEWS, COPYING and the Slurm examples are installed in share/doc/powercouples" {
	local doc f
	doc=$ROOT$(make_var docdir)
	[[ "$doc" == */share/doc/powercouples ]] || fail "docdir is $doc"
	for f in README.md NEWS COPYING examples/slurm/pc-mpirun.sbatch examples/slurm/pc-array.sbatch; do
		cmp "$PC_SRCDIR/$f" "$doc/$f" || fail "$f is not installed as it is in the tree"
	done
}

@test "the programs and their man pages are installed, the pages with the version in" {
	local bin man1 prog
	bin=$ROOT$(make_var bindir)
	man1=$ROOT$(make_var man1dir)
	for prog in pc-score pc-threads pc-split pc-merge pc-gen; do
		[ -x "$bin/$prog" ] || fail "no $bin/$prog"
		grep -q "^\.TH .*\"powercouples $PC_VERSION\"" "$man1/$prog.1" || fail "$prog.1"
	done
	grep -q "^\.TH POWERCOUPLES 7 .*\"powercouples $PC_VERSION\"" "$ROOT$(make_var man7dir)/powercouples.7"
	! grep -l '@[A-Z_]*@' "$man1"/*.1
}

@test "the completion is installed for every program, and bash-completion's loader finds it there" {
	local dir prog
	dir=$ROOT$(make_var bashcompletiondir)
	for prog in pc-score pc-threads pc-mpirun pc-split pc-merge pc-gen; do
		cmp "$PC_SRCDIR/completion/powercouples.bash" "$dir/$prog" || fail "no $dir/$prog"
	done
	[ -r /usr/share/bash-completion/bash_completion ] || fail "bash-completion is not installed"
	# the loader looks in DIR/bash-completion/completions for each DIR of XDG_DATA_DIRS
	[[ "$dir" == */bash-completion/completions ]] || fail "$dir: not a place bash-completion looks"
	run env XDG_DATA_DIRS="${dir%/bash-completion/completions}" BASH_COMPLETION_USER_DIR=/nonexistent \
		bash -c 'source /usr/share/bash-completion/bash_completion &&
			__load_completion pc-merge && complete -p pc-merge'
	assert_success
	assert_output 'complete -F _powercouples pc-merge'
}

@test "make uninstall leaves no file behind" {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$PC_BUILDDIR" uninstall DESTDIR="$ROOT" > /dev/null
	run find "$ROOT" ! -type d
	assert_output ''
}
