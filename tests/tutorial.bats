#!/usr/bin/env bats
# tests/tutorial.bats - the race example of the tutorial.
#
# examples/race/race, built by make check, is exact when locked and keeps
# the numbers in flight within its semaphore's bound; that the unlocked run
# loses additions depends on timing, so it is not asserted.

bats_require_minimum_version 1.5.0
load test_helper/common

RACE=$PC_BUILDDIR/examples/race/race

@test "race --locked is exact, every time, with 1 to 8 threads" {
	local t i
	for t in 1 2 4 8; do
		for i in 1 2 3 4 5; do
			run timeout 60 "$RACE" --locked -t "$t" -n 200000
			assert_success
			assert_output "locked: $t thread$([ "$t" = 1 ] || echo s) added 1 200000 times each: counter $((t * 200000)), expected $((t * 200000))"
		done
	done
}

@test "race --unlocked with one thread is exact; with more it reports what it counted" {
	run timeout 60 "$RACE" --unlocked -t 1 -n 100000
	assert_success
	assert_output "unlocked: 1 thread added 1 100000 times each: counter 100000, expected 100000"
	# exit 0 with the exact count, or 1 naming the additions lost: whichever
	# the timing gave, the figures add up
	run timeout 60 "$RACE" --unlocked -t 4 -n 1000000
	[[ $output =~ ^unlocked:\ 4\ threads\ added\ 1\ 1000000\ times\ each:\ counter\ ([0-9]+),\ expected\ 4000000( \(([0-9]+) additions lost\))?$ ]] ||
		fail "unexpected output: $output"
	local got=${BASH_REMATCH[1]} lost=${BASH_REMATCH[3]:-0}
	[ $((got + lost)) -eq 4000000 ]
	if [ "$lost" -eq 0 ]; then [ "$status" -eq 0 ]; else [ "$status" -eq 1 ]; fi
}

@test "race --semaphore adds every number once, with at most SLOTS in flight" {
	local t k
	for t in 1 2 4; do
		for k in 1 2 3 16; do
			run timeout 60 "$RACE" --semaphore -t "$t" -k "$k" -n 20000
			assert_success
			[[ $output =~ ^semaphore:\ $t\ threads?\ added\ up\ 1..20000:\ sum\ 200010000,\ expected\ 200010000\;\ at\ most\ ([0-9]+)\ of\ $k\ numbers\ in\ flight$ ]] ||
				fail "unexpected output: $output"
			[ "${BASH_REMATCH[1]}" -ge 1 ] && [ "${BASH_REMATCH[1]}" -le "$k" ]
		done
	done
}

@test "race: usage errors exit 2 with a message" {
	run "$RACE" -n 0
	[ "$status" -eq 2 ]
	assert_output "race: N must be a number from 1 to 1000000000, not '0'"
	run "$RACE" -t x
	[ "$status" -eq 2 ]
	assert_output "race: THREADS must be a number from 1 to 1024, not 'x'"
	run "$RACE" --locked extra
	[ "$status" -eq 2 ]
	assert_output --partial "usage: race"
	run "$RACE" --help
	assert_success
	assert_output --partial "usage: race"
}
