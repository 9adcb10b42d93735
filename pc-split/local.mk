## pc-split: cut an input into framed chunks
bin_PROGRAMS += pc-split/pc-split
pc_split_pc_split_SOURCES = pc-split/pc-split.c
man_MANS += man/pc-split.1
EXTRA_DIST += man/pc-split.1.in
TESTS += tests/pc-split.bats
EXTRA_DIST += tests/pc-split.bats
