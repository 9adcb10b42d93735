## pc-split: cut an input into framed chunks
bin_PROGRAMS += pc-split/pc-split
pc_split_pc_split_SOURCES = pc-split/pc-split.c
dist_man_MANS += man/pc-split.1
TESTS += tests/pc-split.bats
EXTRA_DIST += tests/pc-split.bats
