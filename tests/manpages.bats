#!/usr/bin/env bats
# tests/manpages.bats - the man pages against the programs: every option of
# a program's --help is in its page's OPTIONS and the other way round; the
# version and date that configure wrote in; the sections every program's
# page has.  Only pages of programs (section 1) are checked against --help:
# the library's and the tutorial's pages have no program.

bats_require_minimum_version 1.5.0
load test_helper/common

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# a page as installed: configure makes man/*.1 from man/*.1.in in the build
# tree; a page without .in is in the source tree
page() {
	if [ -e "$PC_BUILDDIR/man/$1" ]; then
		echo "$PC_BUILDDIR/man/$1"
	else
		echo "$PC_SRCDIR/man/$1"
	fi
}

# every page there is, once, by name (pc-score.1, powercouples.7, ...)
all_pages() {
	{ ls "$PC_SRCDIR/man"; ls "$PC_BUILDDIR/man" 2>/dev/null; } |
		grep -E '\.[1-9](\.in)?$' | sed 's/\.in$//' | sort -u
}

# the programs this build made, each with its page
programs() {
	local p
	for p in pc-score pc-threads pc-mpirun pc-split pc-merge pc-gen; do
		if [ -x "$PC_BUILDDIR/$p/$p" ]; then echo "$p"; fi
	done
}

@test "every option of each program's --help is in its man page's OPTIONS, and the other way round" {
	local prog n=0
	for prog in $(programs); do
		"$prog" --help | "$PYTHON3" "$PC_SRCDIR/tests/test_helper/options.py" help > help.opts
		"$PYTHON3" "$PC_SRCDIR/tests/test_helper/options.py" man "$(page "$prog.1")" \
			"$(page pc-score.1)" > man.opts
		[ -s help.opts ] || fail "$prog: no option found in --help"
		diff -u --label "$prog --help" --label "$prog.1 OPTIONS" help.opts man.opts ||
			fail "$prog: --help and its man page list different options (above)"
		n=$((n + 1))
	done
	[ "$n" -ge 5 ] || fail "only $n programs built"
}

@test "every program page says the version and date configure wrote, and no placeholder is left" {
	local name p
	[ -n "$PC_VERSION" ] && [ -n "$PC_DATE" ] || fail "PC_VERSION or PC_DATE unset"
	for name in $(all_pages); do
		p=$(page "$name")
		! grep -n '@[A-Z_]*@' "$p" || fail "$name: a placeholder is left"
		case $name in
		pc-*.1 | powercouples.7)
			grep -q "^\.TH [A-Z-]* [1-9] \"$PC_DATE\" \"powercouples $PC_VERSION\"" "$p" ||
				fail "$name: $(grep '^\.TH' "$p")" ;;
		esac
	done
}

@test "every program page has ENVIRONMENT, AUTHORS, REPORTING BUGS with the bug address, COPYRIGHT" {
	local prog p section
	for prog in pc-score pc-threads pc-mpirun pc-split pc-merge pc-gen; do
		p=$(page "$prog.1")
		for section in ENVIRONMENT AUTHORS 'REPORTING BUGS' COPYRIGHT; do
			grep -qx "\.SH $section" "$p" || fail "$prog.1 has no $section"
		done
		sed -n '/^\.SH REPORTING BUGS/,/^\.SH/p' "$p" | grep -qF "$PC_BUGREPORT" ||
			fail "$prog.1: REPORTING BUGS does not give $PC_BUGREPORT"
	done
	# the one program that reads the environment documents what it reads
	grep -qx '\.B TMPDIR' "$(page pc-merge.1)"
}

@test "every --help ends with the bug address, as GNU programs' do" {
	local prog
	[[ "$PC_BUGREPORT" == https://* ]] || fail "PACKAGE_BUGREPORT is '$PC_BUGREPORT'"
	for prog in $(programs); do
		run "$prog" --help
		assert_success
		assert_line --index $((${#lines[@]} - 2)) "Report bugs to: <$PC_BUGREPORT>"
		assert_line --index $((${#lines[@]} - 1)) --regexp '^powercouples home page: <https://'
	done
}

@test "every page passes mandoc -Tlint -W warning" {
	local name
	for name in $(all_pages); do
		run mandoc -Tlint -W warning "$(page "$name")"
		assert_success
		assert_output ''
	done
}
