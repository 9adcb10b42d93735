#!/usr/bin/env bash
# debian/ci-check.sh - build the Debian packages from a clean copy of this
# git checkout and check them, without installing anything on the system:
#   1. debian/changelog's version is configure.ac's (AC_INIT);
#   2. dpkg-buildpackage -us -uc -b, in a temporary copy of the files git
#      knows (tracked, and untracked but not ignored): it writes to ..;
#   3. lintian on the result: any E: tag fails;
#   4. dpkg -x of every .deb into an empty directory tree, and from there,
#      with PATH and LD_LIBRARY_PATH pointing into it only, one pipeline
#      pc-gen | pc-split | pc-score | pc-merge, pc-threads, and pc-mpirun
#      under mpirun.openmpi, each compared with REFERENCE, a pc-score
#      built from the same sources (default: the build tree's);
#   5. the C example of libpowercouples-dev, as packaged, built through
#      pkg-config against the extracted tree, shared and static, and held
#      to the packaged pc-score (the tree's tests/installcheck-c.sh).
# usage: debian/ci-check.sh [REFERENCE-PC-SCORE]
# Exit status 0 when everything passed, 1 otherwise; PC_DEB_KEEP=1 keeps
# the temporary directory (its path is printed).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
reference=${1:-$top/pc-score/pc-score}
me=debian/ci-check.sh

fail() { echo "$me: $*" >&2; exit 1; }

[ -x "$reference" ] || fail "no reference pc-score at '$reference': build the tree first (./configure && make)"
git -C "$top" rev-parse --git-dir > /dev/null 2>&1 ||
	fail "$top is not a git checkout: the package is built from the files git knows"

# 1. the versions agree (the package is native: no Debian revision)
upstream=$(sed -n 's/^AC_INIT(\[powercouples\], *\[\([^]]*\)\].*/\1/p' "$top/configure.ac")
debian=$(dpkg-parsechangelog -l "$top/debian/changelog" -SVersion)
[ -n "$upstream" ] || fail "cannot read the version in configure.ac's AC_INIT"
[ "$debian" = "$upstream" ] ||
	fail "debian/changelog says $debian, configure.ac $upstream: add a debian/changelog entry (dch -v $upstream)"

work=$(mktemp -d "${TMPDIR:-/tmp}/pc-deb.XXXXXX")
if [ "${PC_DEB_KEEP:-0}" = 1 ]; then
	echo "$me: keeping $work"
else
	trap 'rm -rf "$work"' EXIT
fi

# 2. build, from a copy holding no build output of the checkout
src=$work/powercouples-$upstream
mkdir "$src"
git -C "$top" ls-files -z --cached --others --exclude-standard |
	(cd "$top" && tar --null -T - -cf -) | tar -xf - -C "$src"
echo "== dpkg-buildpackage -us -uc -b (log: $work/build.log on failure)"
start=$(date +%s)
(cd "$src" && dpkg-buildpackage -us -uc -b -jauto) > "$work/build.log" 2>&1 || {
	tail -n 60 "$work/build.log"
	fail "dpkg-buildpackage failed"
}
echo "built in $(($(date +%s) - start)) s:"
(cd "$work" && ls -1 ./*.deb)

# 3. lintian: errors fail, warnings and information are shown
echo "== lintian"
changes=("$work"/powercouples_"$upstream"_*.changes)
lintian --fail-on error --display-info "${changes[@]}" || fail "lintian reported errors (E: above)"

# 4. the packages in a directory tree of their own
root=$work/root
mkdir "$root"
for deb in "$work"/*.deb; do
	case $deb in *-dbgsym_*) continue ;; esac
	dpkg -x "$deb" "$root"
done
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
export PATH="$root/usr/bin:/usr/bin:/bin"
export LD_LIBRARY_PATH="$root/usr/lib/$multiarch"
for file in usr/include/powercouples.h "usr/lib/$multiarch/libpowercouples.so.0" \
	"usr/lib/$multiarch/libpowercouples.so" "usr/lib/$multiarch/libpowercouples.a" \
	"usr/lib/$multiarch/pkgconfig/powercouples.pc"; do
	[ -e "$root/$file" ] || fail "no $file in the packages"
done
for prog in pc-gen pc-split pc-score pc-merge pc-threads pc-mpirun; do
	[ "$(command -v "$prog")" = "$root/usr/bin/$prog" ] || fail "$prog is not in the extracted packages"
	"$prog" --version > /dev/null || fail "$prog --version failed"
	# the completion, named after the program (powercouples holds all six)
	[ -e "$root/usr/share/bash-completion/completions/$prog" ] ||
		fail "no bash completion for $prog in the packages"
done
for page in powercouples-tutorial.7; do
	[ -f "$root/usr/share/man/man${page##*.}/$page.gz" ] || fail "no man page $page in the packages"
done
for page in pc-gen.1 pc-split.1 pc-score.1 pc-merge.1 pc-threads.1 pc-mpirun.1 powercouples.7 \
	libpowercouples.3; do
	[ -f "$root/usr/share/man/man${page##*.}/$page.gz" ] || fail "no man page $page in the packages"
done

echo "== pc-gen | pc-split | pc-score | pc-merge, pc-threads, pc-mpirun from the packages"
cd "$work"
mkdir chunks
pc-gen -r 3000 -c 60 -m 1000 -s 12 | tee input.csv |
	pc-split -l 250 -d chunks | xargs pc-score | pc-merge > pipeline.csv
"$reference" input.csv > expected.csv
[ "$(wc -l < expected.csv)" -eq 3000 ] || fail "the reference scored $(wc -l < expected.csv) rows of 3000"
cmp expected.csv pipeline.csv || fail "the packages' pipeline differs from $reference"
pc-threads -j 2 input.csv > threads.csv
cmp expected.csv threads.csv || fail "the package's pc-threads differs from $reference"
OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 \
	mpirun.openmpi --oversubscribe -np 2 -x LD_LIBRARY_PATH pc-mpirun input.csv > mpirun.csv ||
	fail "pc-mpirun from the package failed under mpirun.openmpi"
cmp expected.csv mpirun.csv || fail "the package's pc-mpirun differs from $reference"
echo "3000 rows: the same bytes as $reference"

# 5. the -dev package: the tree's own installcheck of the C example
# (tests/installcheck-c.sh), on the extracted tree as the installed one:
# the example as packaged, built through pkg-config on the shared and on
# the static library, gives what the packaged pc-score gives
echo "== the C example of libpowercouples-dev, through pkg-config (shared, then static)"
DESTDIR=$root bindir=/usr/bin libdir=/usr/lib/$multiarch docdir=/usr/share/doc/libpowercouples-dev \
	CC=cc CFLAGS='-O2 -Wall -Werror' LDFLAGS='' PKG_CONFIG=pkg-config \
	sh "$src/tests/installcheck-c.sh" || fail "the -dev package's C example failed (above)"

echo "$me: all passed"
