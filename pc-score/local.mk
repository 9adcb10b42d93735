## pc-score: the serial scorer
bin_PROGRAMS += pc-score/pc-score
pc_score_pc_score_SOURCES = pc-score/pc-score.c
dist_man_MANS += man/pc-score.1
TESTS += tests/pc-score.bats tests/exhaustive.bats
EXTRA_DIST += tests/pc-score.bats tests/exhaustive.bats bench/bench-score.sh bench/lib.sh \
	bench/bench-exhaustive.sh
