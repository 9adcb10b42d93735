## the tutorial, powercouples-tutorial(7): the page; its race example,
## built by make check and installed as source under $(docdir)/examples/race;
## and tests/tutorial.bats, which runs the page's commands and the example
man_MANS += man/powercouples-tutorial.7
EXTRA_DIST += man/powercouples-tutorial.7.in
check_PROGRAMS += examples/race/race
examples_race_race_SOURCES = examples/race/race.c
examples_race_race_LDADD =
nobase_dist_pcexamples_DATA += examples/race/race.c
TESTS += tests/tutorial.bats
EXTRA_DIST += tests/tutorial.bats tests/test_helper/tutorial.py
