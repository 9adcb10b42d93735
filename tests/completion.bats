#!/usr/bin/env bats
# tests/completion.bats - the bash completion (completion/powercouples.bash),
# driven as bash drives it: COMP_WORDS and COMP_CWORD set, the function
# called, COMPREPLY checked.  Options come from each program's --help.

bats_require_minimum_version 1.5.0
load test_helper/common

setup() {
	cd "$BATS_TEST_TMPDIR"
	source "$PC_SRCDIR/completion/powercouples.bash"
}

# complete WORD...: the last word is the one being completed; COMPREPLY
# sorted, one a line, in $output
complete_words() {
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE="$*"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_powercouples
	output=$(printf '%s\n' "${COMPREPLY[@]}" | sort)
}

@test "the script registers its function for every program" {
	local prog
	for prog in pc-score pc-threads pc-mpirun pc-split pc-merge pc-gen; do
		run complete -p "$prog"
		assert_success
		assert_output "complete -F _powercouples $prog"
	done
}

@test "'-' completes to every option of the program's --help, and only those" {
	local prog
	for prog in pc-score pc-threads pc-split pc-merge pc-gen; do
		# the options as tests/manpages.bats reads --help: -o/--output
		"$prog" --help | "$PYTHON3" "$PC_SRCDIR/tests/test_helper/options.py" help |
			tr '/' '\n' | grep . | sort > want
		complete_words "$prog" -
		# --output= is offered with its =
		sed 's/=$//' <<< "$output" > got
		diff -u want got || fail "$prog: '-' completes to other options than --help lists"
	done
	complete_words pc-split --ch
	assert_output '--chunks=' # it takes an argument
	complete_words pc-merge --z
	assert_output '--zero'
}

@test "--method= and --on-error= complete to the words the scorers accept" {
	printf 'a,2,3\n' > in.csv
	complete_words pc-score --method=
	assert_output $'closed\nexhaustive'
	complete_words pc-threads --method=ex
	assert_output 'exhaustive'
	# bash's COMP_WORDBREAKS splits at =: --method, =, ex
	complete_words pc-score --method = ex
	assert_output 'exhaustive'
	complete_words pc-score --method =
	assert_output $'closed\nexhaustive'
	complete_words pc-score -m ''
	assert_output $'closed\nexhaustive'
	complete_words pc-score --on-error=
	assert_output $'fail\nskip'
	# each word it offers is one the program takes
	local w
	for w in closed exhaustive; do pc-score --method="$w" in.csv > /dev/null; done
	for w in fail skip; do pc-score --on-error="$w" in.csv > /dev/null 2>&1; done
	# pc-gen's -m is a number: nothing to offer
	complete_words pc-gen -m ''
	assert_output ''
}

@test "files where a FILE or LIST goes, directories where a DIR goes, nothing for numbers" {
	mkdir sub
	touch data.csv dots.txt
	complete_words pc-score ''
	assert_output $'data.csv\ndots.txt\nsub'
	complete_words pc-score d
	assert_output $'data.csv\ndots.txt'
	complete_words pc-score -o da
	assert_output 'data.csv'
	complete_words pc-merge --chunk-list=do
	assert_output 'dots.txt'
	complete_words pc-split -d ''
	assert_output 'sub'
	complete_words pc-merge --temporary-directory = s
	assert_output 'sub'
	complete_words pc-split -n ''
	assert_output ''
	complete_words pc-gen --rows=
	assert_output ''
}
