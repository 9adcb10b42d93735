## pc-mpirun: the scorer across MPI ranks (when configure found an MPI)
if HAVE_MPI
bin_PROGRAMS += pc-mpirun/pc-mpirun
pc_mpirun_pc_mpirun_SOURCES = pc-mpirun/pc-mpirun.c lib/mpi-backend.c lib/mpi-backend.h
pc_mpirun_pc_mpirun_CFLAGS = $(AM_CFLAGS) $(MPI_CFLAGS)
pc_mpirun_pc_mpirun_LDADD = $(LDADD) $(MPI_LIBS)
man_MANS += man/pc-mpirun.1
endif
## the page ships either way, so a later build with MPI finds it
EXTRA_DIST += man/pc-mpirun.1.in
TESTS += tests/pc-mpirun.bats
EXTRA_DIST += tests/pc-mpirun.bats pc-mpirun/pc-mpirun.c lib/mpi-backend.c lib/mpi-backend.h \
	bench/bench-startup.sh
