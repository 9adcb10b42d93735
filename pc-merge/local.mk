## pc-merge: reassemble scored chunks and prove nothing is missing
bin_PROGRAMS += pc-merge/pc-merge
pc_merge_pc_merge_SOURCES = pc-merge/pc-merge.c \
	pc-merge/merge.c pc-merge/merge.h \
	pc-merge/list.c pc-merge/list.h \
	pc-merge/store.c pc-merge/store.h \
	pc-merge/table.c pc-merge/table.h
man_MANS += man/pc-merge.1
EXTRA_DIST += man/pc-merge.1.in
TESTS += tests/pc-merge.bats tests/pipeline.bats
EXTRA_DIST += tests/pc-merge.bats tests/pipeline.bats bench/bench-pipeline.sh \
	bench/bench-merge.sh bench/bench-cluster.sh
