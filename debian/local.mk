## debian/: the Debian packaging (native), built with dpkg-buildpackage -b.
## `make deb` (debian/ci-check.sh) builds the packages in a temporary copy
## of the git checkout, runs lintian, extracts them into a directory tree
## of their own and runs a pipeline from there against the built pc-score,
## and the C example against the extracted -dev package.
EXTRA_DIST += debian/changelog debian/control debian/copyright debian/rules \
	debian/source/format debian/powercouples.install debian/powercouples.docs \
	debian/powercouples-mpi.install debian/libpowercouples0.install \
	debian/libpowercouples0.symbols debian/libpowercouples-dev.install \
	debian/not-installed debian/ci-check.sh debian/.gitignore
deb: all
	$(top_srcdir)/debian/ci-check.sh '$(abs_top_builddir)/pc-score/pc-score'
.PHONY: deb
