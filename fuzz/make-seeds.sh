#!/bin/sh
# fuzz/make-seeds.sh - write the committed seeds of fuzz/corpus/ from the
# test corpus with the built programs.  Run it from the top of a built tree
# (after `make`), then commit fuzz/corpus/.  The seeds of the reader and
# pipeline harnesses are tests/corpus/*.csv themselves (make fuzz-run passes
# that directory); these are the ones made from it:
#
#   frame/   chunks from pc-split -l 2, raw and scored (pc-score
#            --on-error=skip), one by one and all of a run in one stream,
#            in order and reversed: input for the framing, chunk and
#            pc-merge checks;
#   pow/     a few (x1, y1, x2, y2) quadruples and rows for fuzz-pow.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
corpus=$top/tests/corpus
out=$top/fuzz/corpus
split=$top/pc-split/pc-split
score=$top/pc-score/pc-score
for p in "$split" "$score"; do
	[ -x "$p" ] || { echo "make-seeds.sh: $p is not built (run make first)" >&2; exit 2; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

rm -rf "$out/frame" "$out/pow"
mkdir -p "$out/frame" "$out/pow"
for name in rules-worked-examples mixed-every-kind-of-bad crlf-lines quoted-name-lf \
	bom-start many-short-rows-some-bad no-final-newline quote-unterminated-last-row \
	cr-last-byte-after-rows blank-lines-between-rows; do
	dir=$tmp/$name
	mkdir -p "$dir/raw" "$dir/scored"
	cp "$corpus/$name.csv" "$dir/in.csv"
	(cd "$dir" && "$split" -l 2 -d raw in.csv > paths)
	first=
	while IFS= read -r chunk; do
		base=${chunk##*/}
		"$score" --on-error=skip -o "$dir/scored/$base" "$dir/$chunk" 2> /dev/null || true
		if [ -z "$first" ]; then
			first=$base
			cp "$dir/$chunk" "$out/frame/$name.raw-first.csv"
			cp "$dir/scored/$base" "$out/frame/$name.scored-first.csv"
		fi
	done < "$dir/paths"
	cat "$dir"/raw/*.csv > "$out/frame/$name.raw-all.csv"
	cat "$dir"/scored/*.csv > "$out/frame/$name.scored-all.csv"
	cat $(ls "$dir"/scored/*.csv | sort -r) > "$out/frame/$name.scored-reversed.csv"
done

# fuzz-pow: a mode byte, then little-endian 64-bit values (see fuzz-pow.c)
u64() {
	# the 8 bytes of $1, little-endian, as printf octal escapes
	v=$1 s=
	for _ in 1 2 3 4 5 6 7 8; do
		s="$s\\$(printf '%03o' $((v & 255)))"
		v=$((v >> 8))
	done
	printf "$s"
}
seed() {
	name=$1 mode=$2
	shift 2
	{
		printf "\\$(printf '%03o' "$mode")"
		for v in "$@"; do u64 "$v"; done
	} > "$out/pow/$name"
}
seed raw-2-4-4-2 0 2 4 4 2
seed raw-3-2-2-3 0 3 2 2 3
seed raw-8-3-2-9 0 8 3 2 9
seed raw-big-tie 0 4294967296 3 65536 6
seed raw-u64-max 0 -1 2 -2 2
seed bits-near 1 1000003 77 1000033 77
seed root-powers 2 3 5 7 11
seed near-tie 3 4096 1000 2 12000
seed row-small 4 0x0403020100010204 0x0807060504030201
seed row-zeros-ones 4 0x0100000001000000 0x0000000000000001
echo "make-seeds.sh: $(ls "$out/frame" | wc -l) frame seeds, $(ls "$out/pow" | wc -l) pow seeds"
