# tests/test_helper/common.bash - loaded by every bats suite.
# `make check` exports PATH (the built programs first), PC_SRCDIR, PC_BUILDDIR,
# PYTHON3 and MPIRUN; run by hand from the top of a built tree
# (`bats tests/pc-score.bats`), the same is worked out here.

bats_load_library bats-support
bats_load_library bats-assert

: "${PC_SRCDIR:=$(cd "$BATS_TEST_DIRNAME/.." && pwd)}"
: "${PC_BUILDDIR:=$PC_SRCDIR}"
: "${PYTHON3:=python3}"
: "${MPIRUN:=$(command -v mpirun || echo no)}"
export PC_SRCDIR PC_BUILDDIR PYTHON3 MPIRUN
for _p in pc-score pc-gen pc-split pc-merge pc-threads pc-mpirun; do
	case ":$PATH:" in
	*":$PC_BUILDDIR/$_p:"*) ;;
	*) [ -x "$PC_BUILDDIR/$_p/$_p" ] && PATH="$PC_BUILDDIR/$_p:$PATH" ;;
	esac
done
unset _p
export PATH

# The exact oracle: `oracle gen ...`, `oracle score FILE`.
oracle() {
	"$PYTHON3" "$PC_SRCDIR/tests/oracle.py" "$@"
}

# same_file GOT WANT: byte-identical, or show where they part.
same_file() {
	if ! cmp -s "$1" "$2"; then
		echo "# $1 and $2 differ:"
		diff <(head -c 200000 "$1") <(head -c 200000 "$2") | head -n 10
		return 1
	fi
}
