## examples/race: the race example of the tutorial, built by make check and
## installed as source under $(docdir)/examples/race; tests/tutorial.bats
check_PROGRAMS += examples/race/race
examples_race_race_SOURCES = examples/race/race.c
examples_race_race_LDADD =
nobase_dist_pcexamples_DATA += examples/race/race.c
TESTS += tests/tutorial.bats
EXTRA_DIST += tests/tutorial.bats
