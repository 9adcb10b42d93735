## pc-threads: the scorer on N POSIX threads
bin_PROGRAMS += pc-threads/pc-threads
pc_threads_pc_threads_SOURCES = pc-threads/pc-threads.c
dist_man_MANS += man/pc-threads.1
TESTS += tests/pc-threads.bats
EXTRA_DIST += tests/pc-threads.bats bench/bench-parallel.sh
