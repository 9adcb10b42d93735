#!/bin/sh
# tests/corpus/make-corpus.sh - (re)create the edge-case corpus of tests/ways.bats.
#
#   tests/corpus/make-corpus.sh [DIR]      (DIR: default, this script's directory)
#
# Every case is written byte for byte with printf (octal escapes: \000 NUL,
# \015 CR, \357\273\277 the UTF-8 byte-order mark) or a small awk loop, so the
# same bytes come out everywhere.  NAME.csv is a single-file case whose name
# says what it tests; NAME.list is a multi-file case: one input file name a
# line, relative to this directory (a name with no file is an I/O error on
# purpose).  Files named frame-* hold a framing line (a row start, `#pc:`, no
# comma): pc-split refuses them, so the pipeline way does not run them.
# The generated files are committed; this script also writes local.mk, the
# list of them that Makefile.am includes so that `make dist` ships them.
# After changing this script, run it and commit what it wrote.
set -eu
dir=${1:-$(dirname "$0")}
cd "$dir"
rm -f -- *.csv *.list local.mk
LC_ALL=C
export LC_ALL

# c NAME FORMAT: NAME.csv holds printf FORMAT
c() {
	# shellcheck disable=SC2059 # the format is the point
	printf "$2" > "$1.csv"
}
# l NAME FILE...: NAME.list names the FILEs
l() {
	n=$1
	shift
	printf '%s\n' "$@" > "$n.list"
}
# cols N FIRST: N comma-separated numbers FIRST, FIRST+1, ... mod 1000
cols() {
	awk -v n="$1" -v f="$2" 'BEGIN { for (i = 0; i < n; i++) printf "%s%d", (i ? "," : ""), (f + i) % 1000 }'
}

## ---- good rows: the rules --------------------------------------------------
c rules-worked-examples 'Pedro,2,3,5,8\nJuan,4,9,4,7\nDiego,5,9,4,8\nE,2,4\nF,4,2,2\nJ,3,2\nK,1,7,1\nH,1,1\nA,1,0,1\nB,0,0,5\nC,5,0,0\nD,0,5\nG,0,1\nI,0,0\n'
c rules-zeros-and-ones 'a,0,0\nb,0,1\nc,1,0\nd,1,1\ne,0,0,0,0\nf,1,1,1\ng,0,1,0,1\nh,1,0,0\ni,0,0,1\nj,0,1,1\n'
c rules-tie-2-and-4 'a,2,4\nb,4,2\nc,2,2,4,4\nd,4,4,2\ne,1,2,4,0\nf,0,4,3,2\ng,4,3,2\nh,2,1,4\n'
c rules-3-squared-vs-2-cubed 'a,3,2\nb,2,3\nc,3,3,2\nd,2,3,1\ne,0,2,3\n'
c rules-equal-maxima 'a,9,9,1\nb,1,9,9\nc,5,5\nd,7,3,7\n'
c rules-one-and-big 'a,1,7\nb,7,1\nc,1,1,18446744073709551615\nd,0,18446744073709551615\n'
c rules-perfect-powers 'a,4,16\nb,16,4\nc,8,4,2\nd,27,9,3\ne,65536,256,16,4,2\n'
c u64-max-values 'a,18446744073709551615,18446744073709551615\nb,18446744073709551615,2\nc,1,18446744073709551615\nd,18446744073709551614,18446744073709551615\n'
c u64-max-with-leading-zeros 'a,000000018446744073709551615,3\nb,2,0018446744073709551615\n'
c u64-over-by-one 'a,18446744073709551616,2\n'
c u64-over-with-leading-zeros 'a,1,2\nb,00018446744073709551616,2\nc,3,4\n'
c u64-over-50-digits 'a,12345678901234567890123456789012345678901234567890,2\n'
c u64-over-last-row-no-newline 'a,1,2\nb,3,18446744073709551616'
c leading-zeros-20-plus-digits-in-range 'a,000000000000000000000000000007,0000000000000000000000003\nb,00000000000000000000000000000000000000000,1\n'
c leading-zeros-longer-than-a-block "a,$(awk 'BEGIN { for (i = 0; i < 5000; i++) printf "0" }')5,3\nb,2,3\n"

## ---- values that are not whole numbers ------------------------------------
c value-negative 'a,1,2\nb,-3,2\nc,3,4\n'
c value-negative-zero 'a,-0,2\n'
c value-fractional 'a,1.5,2\n'
c value-trailing-dot 'a,15.,2\n'
c value-signed-plus 'a,+3,2\n'
c value-hex-and-exponent 'a,0x10,2\nb,1e5,2\n'
c value-letters 'a,12a,3\n'
c value-space-inside 'a,1 2,3\n'
c value-tab-inside 'a,1\t2,3\n'
c value-empty-middle 'a,1,,2\n'
c value-empty-last 'a,1,2,\n'
c value-empty-last-crlf 'a,1,2,\r\n'
c value-blanks-only 'a,1, \t ,2\n'
c value-blanks-around 'a, 7 ,\t8\t\nb,  1,2  \n'
c value-one-number 'a,5\n'
c value-one-number-last-row-no-newline 'a,1,2\nb,5'
c value-name-only 'a,1,2\nb\nc,3,4\n'
c value-name-only-no-newline 'a,1,2\nb'
c value-utf8-digits 'a,\331\243,2\n'

## ---- quoted numbers ------------------------------------------------------
c quoted-number-plain 'a,"12","3"\n'
c quoted-number-blanks-outside 'a, "12" ,\t"3"\t\n'
c quoted-number-blanks-inside-and-outside 'a, " 12 " ,3\n'
c quoted-number-holding-lf 'a,"1\n2",3\nb,4,5\n'
c quoted-number-escaped-quote 'a,"1""2",3\n'
c quoted-number-text-after 'a,"12"x,3\n'
c quoted-number-empty 'a,"",3\n'
c quoted-number-blanks-then-comma-inside 'a, "1,2",3\nb,4,5\n'
c quoted-number-negative 'a,"-1",3\n'

## ---- quoted names ----------------------------------------------------------
c quoted-name-comma '"Doe, J",3,4\n'
c quoted-name-escaped-quotes '"Doe, ""JJ""",3,4\n"""",1,2\n"""""",2,1\n'
c quoted-name-lf '"a\nb",3,4\nc,1,2\n'
c quoted-name-crlf '"a\r\nb",3,4\r\nc,1,2\r\n'
c quoted-name-cr '"a\rb",3,4\nc,1,2\n'
c quoted-name-many-lfs '"\n\n\na\n\n",3,4\n"\n",5,6\n'
c quoted-name-empty '"",3,4\n'
c quoted-name-no-numbers '"a,b"\nc,1,2\n'
c quoted-name-pair-only 'a,1,2\n""\n'
c quoted-name-plain-needs-no-quotes '"abc",1,2\n'
c quoted-name-pc-end '"#pc:end",1,2\n"#pc:chunk v=1 id=0123456789abcdef index=1",3,4\n'
c quoted-name-lf-then-frame-header '"x\n#pc:chunk v=1 id=0123456789abcdef index=1",1,2\nb,3,4\n'
c quoted-name-lf-then-frame-trailer 'a,1,2\n"x\n#pc:end v=1 id=0123456789abcdef index=1 rows=1 last=1\n",3,4\nb,5,6\n'

## ---- quotes in odd places ---------------------------------------------------
c quote-stray-in-name 'ab"c,1,2\n'
c quote-stray-in-name-then-rows 'a,1,2\nab"c,1,2\nd,3,4\ne,5,6\n'
c quote-stray-at-end-of-name 'abc",1,2\nd,3,4\n'
c quote-stray-in-number 'x,1,2"3\n'
c quote-stray-in-number-then-rows 'a,1,2\nx,1,2"3\ny,4,5\nz,6,7\n'
c quote-stray-pair-in-two-rows 'a,1,2\nb"x,3,4\nc,5,6\nd"y,7,8\ne,9,9\n'
c quote-text-after-closing-quote '"ab"c,1,2\n'
c quote-blank-after-closing-quote '"ab" ,1,2\nc,3,4\n'
c quote-text-after-closing-quote-then-lf '"ab"c\nd",1,2\ne,3,4\n'
c quote-unterminated-middle-closed-later 'a,1,2\n"b,3,4\nc",5,6\nd,7,8\n'
c quote-unterminated-middle-never-closed 'a,1,2\n"bc,3,4\nd,5,6\ne,7,8\n'
c quote-unterminated-last-row 'a,1,2\n"b,3,4\n'
c quote-unterminated-last-row-no-newline 'a,1,2\n"b,3,4'
c quote-unterminated-in-last-number 'a,1,2\nb,1,"2\n'
c quote-only-line 'a,1,2\n"\n'
c quote-in-name-crlf 'a,1,2\r\nb"c,3,4\r\nd,5,6\r\n'

## ---- CR in every place ---------------------------------------------------------
c cr-bare-in-name 'a,1,2\nb\r,3,4\nc,5,6\n'
c cr-bare-in-number 'a,1\r2,3\nb,4,5\n'
c cr-bare-after-number 'a,1\r,2\nb,4,5\n'
c cr-last-byte-one-row 'A,2,3\r'
c cr-last-byte-after-rows 'a,1,2\nA,2,3\r'
c cr-last-byte-after-crlf-rows 'a,1,2\r\nA,2,3\r'
c cr-last-byte-after-blank-line 'a,1,2\n\r'
c cr-last-byte-after-bad-row 'a,1,2\r\nb,x,4\r'
c cr-cr-lf 'a,1,2\r\r\nb,3,4\n'
c cr-lone-in-middle 'a,1,2\rb,3,4\n'
c cr-lone-line-in-middle 'a,1,2\n\rb,3,4\n'
c cr-only-file '\r'
c cr-cr-only-file '\r\r'
c crlf-lines 'a,1,2\r\nb,3,4\r\n'
c crlf-no-final-newline 'a,1,2\r\nb,3,4'
c crlf-bad-row 'a,1,2\r\nb,x,3\r\nc,-1,2\r\nd,5,6\r\n'

## ---- byte-order marks ----------------------------------------------------------
c bom-start '\357\273\277a,1,2\nb,3,4\n'
c bom-only '\357\273\277'
c bom-then-blank-lines '\357\273\277\n\r\n\n'
c bom-then-blank-lines-then-rows '\357\273\277\n\na,3,4\n'
c bom-in-middle-is-data 'a,1,2\n\357\273\277b,3,4\n'
c bom-twice '\357\273\277\357\273\277a,1,2\n'
c bom-partial '\357\273a,1,2\n'
c bom-then-quoted-name '\357\273\277"a,b",1,2\n'
c bom-then-bad-row '\357\273\277a,x,2\nb,3,4\n'

## ---- NUL bytes -------------------------------------------------------------------
c nul-in-name 'a,1,2\nb\000c,3,4\nd,5,6\n'
c nul-in-number 'a,1\000,2\n'
c nul-in-quoted-name '"a\000b",1,2\nc,3,4\n'
c nul-alone-on-a-line 'a,1,2\n\000\nb,3,4\n'

## ---- blank and blank-looking lines ------------------------------------------------
c empty-file ''
c blank-lf-only '\n\n\n'
c blank-crlf-only '\r\n\r\n'
c blank-lines-between-rows '\na,1,2\n\n\nb,3,4\n\n'
c blank-crlf-and-lf-mixed '\r\n\n\r\na,1,2\r\n\n'
c blank-spaces-only-line 'a,1,2\n   \nb,3,4\n'
c blank-tab-only-line 'a,1,2\n\t\nb,3,4\n'
c blank-comma-only-line 'a,1,2\n,\nb,3,4\n'
c blank-two-commas-line 'a,1,2\n,,\nb,3,4\n'
c blank-three-commas-line ',,,\n'
c name-empty-unquoted ',1,2\n'
c name-with-blanks ' a b ,1,2\n'
c name-high-bytes '\303\251t\303\251,1,2\n\377\376,3,4\n'
c no-final-newline 'a,1,2\nb,3,4'

## ---- framing-like lines ------------------------------------------------------------
c framelike-data-row '#pc:chunk,1,2\n#pc:end,3,4\n#,5,6\n'
c framelike-hash-names '#pc,1,2\n#pc:x y,3,4\n'
c frame-pc-alone 'a,1,2\n#pc:\nb,3,4\n'
c frame-header-in-plain-data 'a,1,2\n#pc:chunk v=1 id=0123456789abcdef index=1\nb,3,4\n'
c frame-trailer-in-plain-data 'a,1,2\n#pc:end v=1 id=0123456789abcdef index=1 rows=1 last=1\nb,3,4\n'
c frame-whole-chunk '#pc:chunk v=1 id=0123456789abcdef index=1\na,1,2\nb,x,4\nc,5,6\n#pc:end v=1 id=0123456789abcdef index=1 rows=3 last=1\n'
c frame-chunk-without-trailer '#pc:chunk v=1 id=0123456789abcdef index=1\na,1,2\n'
c frame-pc-crlf 'a,1,2\r\n#pc:\r\nb,3,4\r\n'

## ---- long rows, many rows --------------------------------------------------------------
## (each long row is over 4096 bytes, the largest -B of the harness, so it is
## carried across blocks; the oracle compares all pairs, so they stay short)
c long-row-3000-values "long,$(cols 3000 7)\n"
c long-rows-with-bad-values "a,$(cols 1500 3)\nb,$(cols 1200 11),x,$(cols 500 1)\nc,$(cols 1600 5)\nd,$(cols 1500 9),-1\ne,1,2\n"
c long-row-bad-first-value "a,x,$(cols 3000 1)\nb,1,2\n"
c long-row-crlf-no-final-newline "a,$(cols 1500 2)\r\nb,$(cols 1500 4)"
c long-name "$(awk 'BEGIN { for (i = 0; i < 6000; i++) printf "n" }'),1,2\nb,3,4\n"
c long-quoted-name-with-lfs "\"$(awk 'BEGIN { for (i = 0; i < 800; i++) printf "ab\\n,\"\"" }')\",1,2\nb,3,4\n"
c long-unterminated-quote "a,1,2\n\"$(awk 'BEGIN { for (i = 0; i < 800; i++) printf "ab,1,2\\n" }')"
c many-short-rows "$(awk 'BEGIN { for (i = 1; i <= 600; i++) printf "r%d,%d,%d\\n", i, i % 7, i % 5 }')"
c many-short-rows-some-bad "$(awk 'BEGIN { for (i = 1; i <= 600; i++) if (i % 97 == 0) printf "r%d,%d,x\\n", i, i % 7; else printf "r%d,%d,%d\\n", i, i % 7, i % 5 }')"

## ---- mixtures of good and bad rows ------------------------------------------------------
c mixed-bad-first 'a,x,2\nb,1,2\nc,3,4\n'
c mixed-bad-last 'a,1,2\nb,3,4\nc,-5,2\n'
c mixed-bad-last-no-newline 'a,1,2\nb,3,4\nc,5'
c mixed-bad-adjacent 'a,1,2\nb,1.5,2\nc,+1,2\nd,,2\ne,3,4\n'
c mixed-all-bad 'a,x,2\nb,1\nc,-1,2\n'
c mixed-bad-every-other 'a,1,2\nb,x,2\nc,3,4\nd,5\ne,6,7\nf,8,99999999999999999999\ng,9,9\n'
c mixed-every-kind-of-bad 'ok,1,2\nneg,-1,2\nfrac,1.5,2\nsign,+1,2\nnan,1e5,2\nempty,,2\nover,18446744073709551616,2\nfew,1\nnul,1\0002,3\nq"x,1,2\n"t"x,1,2\nlast,3,4\n'

## ---- multi-file cases ---------------------------------------------------------------------------
l multi-two-good-files rules-worked-examples.csv crlf-lines.csv
l multi-bad-row-then-missing-file mixed-bad-first.csv does-not-exist.csv
l multi-missing-file-first does-not-exist.csv rules-worked-examples.csv
l multi-good-then-missing-file rules-zeros-and-ones.csv does-not-exist.csv
l multi-unterminated-quote-then-good-file quote-unterminated-last-row-no-newline.csv rules-worked-examples.csv
l multi-no-final-newline-then-more no-final-newline.csv crlf-lines.csv no-final-newline.csv
l multi-cr-last-byte-then-more cr-last-byte-one-row.csv crlf-lines.csv
l multi-bom-in-each-file bom-start.csv bom-then-bad-row.csv bom-start.csv
l multi-empty-files-around empty-file.csv rules-tie-2-and-4.csv empty-file.csv blank-lf-only.csv
l multi-bad-row-in-second-file rules-worked-examples.csv mixed-bad-last.csv
l multi-stray-quote-then-good-file quote-stray-in-name.csv rules-zeros-and-ones.csv
l multi-value-one-number-no-newline-then-more value-one-number-last-row-no-newline.csv crlf-lines.csv

## ---- the list make dist ships ---------------------------------------------------------------
{
	echo '## tests/corpus/local.mk - written by make-corpus.sh: the corpus of tests/ways.bats.'
	printf 'EXTRA_DIST += tests/corpus/make-corpus.sh'
	for f in *.csv *.list; do
		printf ' \\\n\ttests/corpus/%s' "$f"
	done
	echo
} > local.mk
