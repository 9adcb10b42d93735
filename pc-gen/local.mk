## pc-gen: reproducible input
bin_PROGRAMS += pc-gen/pc-gen
pc_gen_pc_gen_SOURCES = pc-gen/pc-gen.c
man_MANS += man/pc-gen.1
EXTRA_DIST += man/pc-gen.1.in
TESTS += tests/pc-gen.bats
EXTRA_DIST += tests/pc-gen.bats
