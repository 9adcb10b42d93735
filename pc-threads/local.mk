## pc-threads: the scorer on N POSIX threads
bin_PROGRAMS += pc-threads/pc-threads
pc_threads_pc_threads_SOURCES = pc-threads/pc-threads.c
man_MANS += man/pc-threads.1
EXTRA_DIST += man/pc-threads.1.in
TESTS += tests/pc-threads.bats
EXTRA_DIST += tests/pc-threads.bats bench/bench-parallel.sh
