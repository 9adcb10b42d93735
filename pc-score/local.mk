## pc-score: the serial scorer
bin_PROGRAMS += pc-score/pc-score
pc_score_pc_score_SOURCES = pc-score/pc-score.c
man_MANS += man/pc-score.1
EXTRA_DIST += man/pc-score.1.in
TESTS += tests/pc-score.bats tests/exhaustive.bats tests/simd.bats
EXTRA_DIST += tests/pc-score.bats tests/exhaustive.bats tests/simd.bats tests/gen-shapes.py bench/bench-score.sh bench/lib.sh \
	bench/bench-exhaustive.sh
