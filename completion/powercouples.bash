# bash completion for the powercouples programs -*- shell-script -*-
#
# Installed as pc-score in bash-completion's directory, and as links named
# after every other program, so that bash-completion loads it on first use.
# The options come from the program's own --help (one source of truth):
# every line that starts with blanks and an option, "-o, --output=FILE".
# The word after the option says what its argument is: FILE and LIST are
# files, DIR a directory; METHOD and MODE take the values below.

# The words an argument may be, by its name in --help: the scorers'
# --method=METHOD and --on-error=MODE.
_powercouples_values()
{
	case $1 in
	METHOD) echo 'closed exhaustive' ;;
	MODE) echo 'fail skip' ;;
	esac
}

# "OPTION ARG" a line, from PROGRAM --help: ARG is - for none.  Cached
# per program for the shell's life.
_powercouples_options()
{
	local prog=$1 var
	var=_powercouples_opts_${prog//[^A-Za-z0-9]/_}
	if [ -z "${!var+set}" ]; then
		printf -v "$var" '%s' "$("$prog" --help 2>/dev/null | sed -n -E \
			-e 's/^ {2,6}(-[A-Za-z0-9]), (--[a-z][a-z0-9-]*)=([A-Z]+).*/\1 \3\n\2 \3/p' \
			-e 't' \
			-e 's/^ {2,6}(-[A-Za-z0-9]), (--[a-z][a-z0-9-]*).*/\1 -\n\2 -/p' \
			-e 't' \
			-e 's/^ {2,6}(--[a-z][a-z0-9-]*)=([A-Z]+).*/\1 \2/p' \
			-e 't' \
			-e 's/^ {2,6}(--[a-z][a-z0-9-]*).*/\1 -/p')"
	fi
	printf '%s\n' "${!var}"
}

_powercouples()
{
	local prog=${COMP_WORDS[0]##*/}
	local cur=${COMP_WORDS[COMP_CWORD]}
	local prev=
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	local opt= arg= line
	COMPREPLY=()

	# --opt=value: one word, or three when = breaks words (bash's default)
	if [[ $cur == --*=* ]]; then
		opt=${cur%%=*}
		cur=${cur#*=}
	elif [[ $cur == = ]] && ((COMP_CWORD > 1)); then
		opt=$prev
		cur=
	elif [[ $prev == = ]] && ((COMP_CWORD > 2)); then
		opt=${COMP_WORDS[COMP_CWORD - 2]}
	elif [[ $prev == -* ]]; then
		opt=$prev
	fi
	if [ -n "$opt" ]; then
		while read -r line; do
			[ "${line%% *}" = "$opt" ] && arg=${line#* }
		done < <(_powercouples_options "$prog")
	fi
	if [ -n "$arg" ] && [ "$arg" != - ]; then
		local values
		values=$(_powercouples_values "$arg")
		if [ -n "$values" ]; then
			mapfile -t COMPREPLY < <(compgen -W "$values" -- "$cur")
		else
			case $arg in
			FILE | LIST) mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;;
			DIR) mapfile -t COMPREPLY < <(compgen -d -- "$cur") ;;
			esac   # a number or a size: nothing to offer
			compopt -o filenames 2> /dev/null || true
		fi
		return 0
	fi
	if [[ $cur == -* ]]; then
		local words=() o a
		while read -r o a; do
			[ -n "$o" ] || continue
			if [ "$a" = - ] || [[ $o != --* ]]; then
				words+=("$o")
			else
				words+=("$o=")
			fi
		done < <(_powercouples_options "$prog")
		mapfile -t COMPREPLY < <(compgen -W "${words[*]}" -- "$cur")
		# no space after --output=: its argument follows
		[[ ${COMPREPLY[*]} == *= ]] && compopt -o nospace 2> /dev/null || true
		return 0
	fi
	mapfile -t COMPREPLY < <(compgen -f -- "$cur")
	compopt -o filenames 2> /dev/null || true
	return 0
}

complete -F _powercouples pc-score pc-threads pc-mpirun pc-split pc-merge pc-gen
