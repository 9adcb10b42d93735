#!/usr/bin/env python3
"""oracle.py - the exact, independent reference for the powercouples test suites.

Subcommands:

  gen --seed S --rows N [--profile mixed|small|huge|ties] [--crlf]
      [--no-final-newline] [--bom] [--bad-rate P]
      Write N random input rows to standard output (bytes).  The draw
      favours what is hard: ties, 0..4, repeated maxima, values near 2^64,
      perfect powers, near-equal powers, names that need quoting, and the
      formatting freedoms of the input (blanks, leading zeros, quoted
      numbers, blank lines).  With --bad-rate P each row is, with
      probability P, a bad row of some kind instead (stray quotes, bare
      CRs, bad values, a quoted LF, ...; an unterminated quote only in the
      last row); the good rows are then those of P = 0 less the ones
      replaced.  The same arguments always give the same bytes, and P = 0
      (the default) gives the bytes gen always gave.

  score [--on-error=fail|skip] [--bad-rows=FILE] [--header] [-t CHAR] [FILE...]
      Read CSV (FILE "-" or none: standard input; several files are one
      stream, but a row never spans two) and write the expected output
      `name,x,y` per good row.  --header (0.2): each file's first line,
      up to its first LF, is a header: no row, not even a bad one, and
      the lines after it keep their numbers (the header is line 1); the
      output starts with one line `name,x,y`.  -t CHAR (0.2): fields are
      separated by CHAR (one byte, or `\t` for TAB) instead of `,`, in
      the output too (a name is quoted when it holds CHAR, `"`, CR or
      LF); the quote rules are those of `,`, and a TAB that separates
      fields is no blank around a number.  Rows are cut by a state machine written
      from the specification (0.2), sharing nothing with the C reader.
      fail (the default): stop at the first bad row, after writing the
      output of the rows before it; name its file and first line on
      standard error; exit 1.  skip: leave bad rows out, end with
      "oracle.py: skipped N bad rows of M" on standard error, exit 0.
      --bad-rows=FILE: write there one line per bad row found (fail: the
      first only), "PATH<TAB>FIRST<TAB>LAST<TAB>reason", PATH as given,
      FIRST and LAST the row's first line and the line of its last byte.

  selftest
      Check the oracle against the specification's worked examples, exact
      integer powers, known identities and near-ties.

Only the standard library is used (Debian 12's python3 is enough).

The power comparison never computes a 64-bit power: a^b against c^d is
decided by the trivial cases (0, 1, exponent 0), then by a double-precision
comparison of b*ln(a) with d*ln(c) when the gap is far above the rounding
error, then by exact integers when both powers are small, and otherwise by an
exact equality test (a^b == c^d iff a = t^d', c = t^b' with b'/d' the reduced
ratio of the exponents) followed by decimal logarithms at rising precision
with a rigorous error bound.
"""

import argparse
import decimal
import math
import os
import random
import re
import sys

U64_MAX = (1 << 64) - 1
BOM = b"\xef\xbb\xbf"

# --------------------------------------------------------------------------
# Exact comparison of powers
# --------------------------------------------------------------------------


def _kind(a, b):
    """0 for a power worth 0, 1 for a power worth 1, 2 for one above 1."""
    if b == 0:
        return 1  # a^0 = 1, 0^0 = 1 included
    if a == 0:
        return 0
    if a == 1:
        return 1
    return 2


def iroot(n, k):
    """Largest integer t with t**k <= n (n >= 0, k >= 1)."""
    if k == 1 or n < 2:
        return n
    t = int(round(n ** (1.0 / k)))
    while t > 0 and t ** k > n:
        t -= 1
    while (t + 1) ** k <= n:
        t += 1
    return t


def powers_equal(a, b, c, d):
    """a^b == c^d exactly, for a, c >= 2 and b, d >= 1 (all below 2^64)."""
    g = math.gcd(b, d)
    bp, dp = b // g, d // g
    # a^bp == c^dp with gcd(bp, dp) == 1 forces a == t^dp and c == t^bp.
    if bp > 64 or dp > 64:
        return False  # t >= 2 would make a or c at least 2^65
    t = iroot(a, dp)
    if t < 2 or t ** dp != a:
        return False
    return t ** bp == c


def _cmp_by_decimal_logs(a, b, c, d):
    """Sign of b*ln(a) - d*ln(c), known to be non-zero (powers unequal)."""
    prec = 50
    while prec <= 20000:
        ctx = decimal.Context(prec=prec, rounding=decimal.ROUND_HALF_EVEN)
        # ln is correctly rounded: relative error at most 10^(1-prec) / 2.
        la = decimal.Decimal(a).ln(ctx)
        lc = decimal.Decimal(c).ln(ctx)
        wide = decimal.Context(prec=prec + 60)
        x = wide.multiply(la, decimal.Decimal(b))  # exact
        y = wide.multiply(lc, decimal.Decimal(d))  # exact
        rel = decimal.Decimal(10) ** (1 - prec)
        err = wide.multiply(wide.add(abs(x), abs(y)), rel)  # generous bound
        diff = wide.subtract(x, y)
        if diff > err:
            return 1
        if diff < -err:
            return -1
        prec *= 2
    raise RuntimeError("cannot separate %d^%d and %d^%d" % (a, b, c, d))


EXACT_BITS = 4096


def cmp_pow(a, b, c, d, force_slow=False):
    """Sign of a^b - c^d (-1, 0, 1), exactly, for 0 <= a, b, c, d < 2^64."""
    ka, kc = _kind(a, b), _kind(c, d)
    if ka != kc:
        return 1 if ka > kc else -1
    if ka < 2:
        return 0
    # both a, c >= 2 and b, d >= 1
    if a == c:
        return (b > d) - (b < d)
    if b == d:
        return (a > c) - (a < c)
    if not force_slow:
        x = float(b) * math.log(a)
        y = float(d) * math.log(c)
        # the two products are each within ~4 ulps of the truth
        if abs(x - y) > 1e-12 * max(x, y):
            return 1 if x > y else -1
        if b * a.bit_length() <= EXACT_BITS and d * c.bit_length() <= EXACT_BITS:
            p, q = a ** b, c ** d
            return (p > q) - (p < q)
    if powers_equal(a, b, c, d):
        return 0
    return _cmp_by_decimal_logs(a, b, c, d)


def power_couple(values):
    """The first ordered pair (x, y) of different positions maximising x^y."""
    k = len(values)
    if k < 2:
        raise ValueError("fewer than two numbers")
    # Only the first two positions holding each value can start or end the
    # first best pair: a later copy always has an earlier twin giving the
    # same power at a smaller (i, j).  This keeps huge rows of small values
    # cheap without changing the answer.
    if k > 16:
        seen = {}
        pos = []
        for i, v in enumerate(values):
            n = seen.get(v, 0)
            if n < 2:
                seen[v] = n + 1
                pos.append(i)
        cand = [values[i] for i in pos]
    else:
        cand = list(values)
    best = None
    for i, x in enumerate(cand):
        for j, y in enumerate(cand):
            if i == j:
                continue
            if best is None or cmp_pow(x, y, best[0], best[1]) > 0:
                best = (x, y)
    return best


# --------------------------------------------------------------------------
# score: split rows by the grammar's state machine, check them, print
# --------------------------------------------------------------------------


class BadRow(Exception):
    pass


# States of the row splitter.  Spec 0.2 fixes where rows end by one rule: a
# `"` opens a quoted section only at the start of a field (after blanks), and
# only inside a quoted section are LF, CR and `,` data.  A quote anywhere
# else opens nothing, so a bad row still ends at its own line feed and never
# swallows the rows after it.  Python's csv module does not quite follow that
# rule (for it a quote after a leading blank opens nothing), so the rows are
# cut here by hand; the bytes of each field are then checked on their own.
FIELD_START = 0  # at a row's start or after a comma; blanks keep us here
UNQUOTED = 1     # in a field without a quoted section, or in the text after
                 # its closing quote: both end at `,` or LF, and a `"` in
                 # either is a stray quote that opens nothing
QUOTED = 2       # inside a quoted section: only a `"` can leave it
JUST_CLOSED = 3  # right after the quote that closed a quoted section

_QUOTE, _LF, _CR = 0x22, 0x0A, 0x0D
COMMA = 0x2C


def _blanks(delim):
    """The bytes that may surround a number: space and TAB, less the
    field separator."""
    return bytes(b for b in b" \t" if b != delim)


def _field_end_re(delim):
    return re.compile(b"[" + re.escape(bytes([delim])) + b"\n]")


class RawRow:
    """One row as the splitter cut it, before any check of its fields.

    fields: (raw, open, close) per field: its bytes and the offsets in them
    of the quote that opened its quoted section and of the one that closed
    it (-1 when there is none).  The row's line end is not in the last
    field: its LF, the CR of a CRLF, or a CR that is the file's last byte.
    first, last: the line of the row's first byte and of its last byte (its
    terminating LF when it has one).  unterminated: a quoted section that
    never closed made the row run to the end of the file."""

    __slots__ = ("first", "last", "fields", "unterminated")

    def __init__(self, first, last, fields, unterminated):
        self.first, self.last = first, last
        self.fields, self.unterminated = fields, unterminated

    def is_blank(self):
        # "\n", "\r\n", or a lone "\r" as the file's last byte: the CR is
        # already gone, so a blank line is one empty unquoted field
        return len(self.fields) == 1 and self.fields[0][0] == b"" and not self.unterminated


def split_rows(data, delim=COMMA):
    """Yield a RawRow for every row of one file's bytes (a BOM already
    removed), blank lines included.  Line numbers count LFs from 1.  delim
    is the field separator (the byte that plays the comma's part)."""
    blank = _blanks(delim)
    field_end = _field_end_re(delim)
    n = len(data)
    i = 0
    line = 1
    while i < n:
        start, first = i, line
        fields = []
        fstart, fopen, fclose = i, -1, -1
        state = FIELD_START
        unterminated = False
        while True:
            if i >= n:
                # a quote opened as the file's last byte never closes either
                unterminated = state == QUOTED
                end = n
                break
            if state == FIELD_START:
                c = data[i]
                if c in blank:
                    i += 1
                elif c == _QUOTE:
                    fopen = i
                    state = QUOTED
                    i += 1
                else:
                    state = UNQUOTED  # the byte is looked at there
            elif state == QUOTED:
                j = data.find(b'"', i)
                if j < 0:
                    unterminated = True  # the row runs to the end of the file
                    i = end = n
                    break
                fclose = j
                state = JUST_CLOSED
                i = j + 1
            elif state == JUST_CLOSED:
                if data[i] == _QUOTE:  # `""`: a quote inside the section
                    fclose = -1
                    state = QUOTED
                    i += 1
                else:
                    # `,` or LF end the field there; any other byte is text
                    # after the closing quote, which a `"` cannot reopen
                    state = UNQUOTED
            else:  # UNQUOTED: only `,` and LF matter, a `"` opens nothing
                m = field_end.search(data, i)
                if m is None:
                    i = end = n
                    break
                j = m.start()
                if data[j] == _LF:
                    end = j
                    break
                fields.append(_field(data, fstart, j, fopen, fclose))
                fstart, fopen, fclose = j + 1, -1, -1
                state = FIELD_START
                i = j + 1
        # The CR of a CRLF, or a CR that is the file's very last byte, ends
        # the line and is no part of the last field; any other CR stays in
        # the row (and makes it bad unless it is inside a quoted name).
        # Neither can be inside an open quoted section: a row ends at an LF
        # only outside one, and an unterminated row keeps all its bytes.
        fend = end
        if not unterminated and end > fstart and data[end - 1] == _CR:
            fend = end - 1
        fields.append(_field(data, fstart, fend, fopen, fclose))
        last_byte = end if end < n else n - 1
        last = first + data.count(b"\n", start, last_byte)
        yield RawRow(first, last, fields, unterminated)
        line = last + 1
        i = end + 1


def _field(data, start, end, fopen, fclose):
    """(raw, open, close) of the field data[start:end], offsets made relative."""
    return (data[start:end], fopen - start if fopen >= 0 else -1,
            fclose - start if fclose >= 0 else -1)


# A whole valid numeric field: blanks, then digits alone or inside quotes
# with blanks, then blanks.  A match is the common case; a field that does
# not match is looked at again by _number only to name the fault.
def _number_re(delim):
    b = b"[" + re.escape(_blanks(delim)) + b"]*"
    return re.compile(b + b'(?:([0-9]+)|"' + b + b'([0-9]+)' + b + b'")' + b)


_NUMBER_RE = {}   # by delimiter


def _name(raw, fopen, fclose):
    if fopen == 0 and fclose == len(raw) - 1:
        # quoted from its first byte to its last: any byte goes inside,
        # CR and LF included (the splitter saw to the `""` pairs)
        return raw[1:-1].replace(b'""', b'"')
    if fopen >= 0 or b'"' in raw:
        # a quoted name with blanks before its opening quote or anything
        # (even a blank) after its closing one, or a stray quote
        raise BadRow("misplaced quote")
    if b"\r" in raw:
        raise BadRow("bare CR inside a row")
    return raw


def _number(raw, fopen, fclose, delim=COMMA):
    if delim not in _NUMBER_RE:
        _NUMBER_RE[delim] = _number_re(delim)
    blank = _blanks(delim)
    m = _NUMBER_RE[delim].fullmatch(raw)
    if m:
        v = int(m.group(1) or m.group(2))
        if v > U64_MAX:
            raise BadRow("value over 2^64-1: %a" % raw.decode("latin-1"))
        return v
    if fopen >= 0:
        body = raw[fopen + 1:fclose].replace(b'""', b'"')
        if raw[fclose + 1:].strip(blank):
            raise BadRow("misplaced quote")  # text after the closing quote
    else:
        body = raw
        if b'"' in raw:
            raise BadRow("misplaced quote")
    s = body.strip(blank)
    if s == b"":
        raise BadRow("empty field")
    if b"\r" in s and fopen < 0:
        raise BadRow("bare CR inside a row")
    raise BadRow("not a number: %a" % raw.decode("latin-1"))


def read_row(row, delim=COMMA):
    """(name, values) of one non-blank RawRow, or raise BadRow.  The name
    comes back as a str of one char per byte (latin-1), so that writing it
    out again gives the same bytes."""
    if row.unterminated:
        raise BadRow("unterminated quote")
    fields = row.fields
    if any(b"\0" in f[0] for f in fields):
        raise BadRow("NUL byte")
    name = _name(*fields[0])
    values = [_number(*f, delim=delim) for f in fields[1:]]
    if len(values) < 2:
        raise BadRow("fewer than two numbers")
    return name.decode("latin-1"), values


def scan_rows(data, delim=COMMA, header=False):
    """Yield (first, last, name, values, reason) for every row of one file's
    bytes, bad ones too: name and values are None for a bad row, reason is
    None for a good one.  Blank lines are not rows.  With header, the first
    line (to its first LF, whatever it holds) is none either."""
    if data.startswith(BOM):
        data = data[len(BOM):]  # on the first line: no line number changes
    skipped = 0
    if header and data:
        lf = data.find(b"\n")
        data = data[lf + 1:] if lf >= 0 else b""
        skipped = 1             # the header was line 1
    for row in split_rows(data, delim):
        if row.is_blank():
            continue
        first, last = row.first + skipped, row.last + skipped
        try:
            name, values = read_row(row, delim)
        except BadRow as e:
            yield first, last, None, None, str(e)
        else:
            yield first, last, name, values, None


def parse_rows(data):
    """Yield (line, name, values) for every row of one file's bytes; raise
    BadRow at the first bad row."""
    for first, _, name, values, reason in scan_rows(data):
        if reason is not None:
            raise BadRow("line %d: %s" % (first, reason))
        yield first, name, values


def quote_name(name, delim=","):
    if any(ch in name for ch in delim + '"\r\n'):
        return '"' + name.replace('"', '""') + '"'
    return name


def score_inputs(inputs, skip, delim=COMMA, header=False):
    """Score (path, data) pairs, read in order as one stream of rows.

    Return (out, bad, rows): out the output lines of the good rows, bad the
    (path, first, last, reason) of the bad rows, rows the number of rows
    seen.  Without skip, stop at the first bad row: out then holds the good
    rows before it, and inputs after it are never read."""
    out, bad, rows = [], [], 0
    for path, data in inputs:
        for first, last, name, values, reason in scan_rows(data, delim, header):
            rows += 1
            if reason is not None:
                bad.append((path, first, last, reason))
                if not skip:
                    return out, bad, rows
                continue
            x, y = power_couple(values)
            d = chr(delim)
            out.append("%s%s%d%s%d\n" % (quote_name(name, d), d, x, d, y))
    return out, bad, rows


def _read_inputs(files):
    for path in files:
        if path == "-":
            yield path, sys.stdin.buffer.read()
        else:
            with open(path, "rb") as f:
                yield path, f.read()


def cmd_score(args):
    skip = args.on_error == "skip"
    files = args.files or ["-"]
    # created before reading, so that it exists (empty) when all rows are good
    report = open(args.bad_rows, "wb") if args.bad_rows is not None else None
    delim = args.delimiter
    out, bad, rows = score_inputs(_read_inputs(files), skip, delim, args.header)
    if args.header:
        out.insert(0, "name%sx%sy\n" % (chr(delim), chr(delim)))
    sys.stdout.buffer.write("".join(out).encode("latin-1"))
    sys.stdout.buffer.flush()
    if report is not None:
        with report:
            for path, first, last, reason in bad:
                # reasons are ASCII without tabs or newlines (%a escapes)
                report.write(b"%s\t%d\t%d\t%s\n" % (os.fsencode(path), first, last,
                                                     reason.encode("ascii")))
    if skip:
        sys.stderr.write("oracle.py: skipped %d bad rows of %d\n" % (len(bad), rows))
        return 0
    if bad:
        path, first, _, reason = bad[0]
        sys.stderr.write("oracle.py: %s: line %d: %s\n" % (path, first, reason))
        return 1
    return 0


# --------------------------------------------------------------------------
# gen: random valid input
# --------------------------------------------------------------------------


def _special_values():
    vals = {0, 1, 2, 3, 4, 5, U64_MAX, U64_MAX - 1, U64_MAX - 2, 1 << 63,
            (1 << 63) - 1, (1 << 63) + 1, 1 << 32, (1 << 32) - 1, (1 << 32) + 1,
            10 ** 19, 10 ** 19 - 1, 99, 100, 255, 256, 65535, 65536}
    # perfect powers of small bases, and their neighbours, below 2^64
    for base in (2, 3, 4, 5, 6, 7, 8, 9, 10, 16, 27, 32, 81, 243, 256, 1000, 65536):
        p = base
        while p * base <= U64_MAX:
            p *= base
        vals.update({p, p - 1})
        if p + 1 <= U64_MAX:
            vals.add(p + 1)
    vals.update({1 << 62, 4 ** 31, 3 ** 40, 3 ** 40 + 1, 7 ** 22, 2 ** 48, 16 ** 12})
    return sorted(vals)


SPECIAL = _special_values()


def _convergents(x, limit):
    """Continued-fraction convergents p/q of the Decimal x with p, q <= limit."""
    out = []
    h0, h1, k0, k1 = 0, 1, 1, 0
    ctx = decimal.Context(prec=80)
    r = x
    for _ in range(60):
        a = int(r)
        h0, h1 = h1, a * h1 + h0
        k0, k1 = k1, a * k1 + k0
        if h1 > limit or k1 > limit:
            break
        out.append((h1, k1))
        frac = ctx.subtract(r, decimal.Decimal(a))
        if frac == 0:
            break
        r = ctx.divide(1, frac)
    return out


def _near_tie_sets():
    """Quadruples (a, b, c, d) with a^b very close to (or equal to) c^d."""
    ctx = decimal.Context(prec=80)
    sets = []
    for a, c in ((2, 3), (2, 5), (3, 5), (2, 10), (3, 7), (2, 7), (5, 7)):
        ratio = ctx.divide(decimal.Decimal(c).ln(ctx), decimal.Decimal(a).ln(ctx))
        # a^b ~ c^d  <=>  b/d ~ ln c / ln a
        for b, d in _convergents(ratio, U64_MAX):
            sets.append((a, b, c, d))
            m = U64_MAX // max(b, d)
            if m > 1:
                sets.append((a, b * m, c, d * m))
    # 3^(2^63) against 2^X, X = 2^63 * log2(3) rounded down and up
    e = 1 << 63
    x = ctx.multiply(decimal.Decimal(e), ctx.divide(decimal.Decimal(3).ln(ctx), decimal.Decimal(2).ln(ctx)))
    xf = int(x)
    sets += [(3, e, 2, xf), (3, e, 2, xf + 1)]
    # exactly equal powers: a = t^dp, c = t^bp, exponents bp*g and dp*g
    for t, bp, dp in ((2, 1, 2), (2, 31, 62), (2, 3, 4), (3, 2, 3), (2, 5, 7),
                      (6, 3, 5), (2, 16, 63), (10, 7, 19), (3, 20, 40), (255, 3, 8)):
        a, c = t ** dp, t ** bp
        if a > U64_MAX or c > U64_MAX:
            continue
        for g in (1, 2, 7, U64_MAX // max(bp, dp)):
            sets.append((a, bp * g, c, dp * g))
    return sets


NEAR_TIES = _near_tie_sets()

_PLAIN = ["Pedro", "Juan", "Diego", "Ana", "Mar\u00eda", "Jos\u00e9", "\u540d\u524d",
          "Zo\u00eb", "O'Brien", "x", "Row 7", "  padded  ", "tab\there", "#pc:end", "#1",
          "a;b", "it's", "M\u00fcller-L\u00fcdenscheidt", "\U0001F600", "ABCDEFGHIJ"]
_NEEDS_QUOTES = ["Doe, J.", 'say "hi"', "two\nlines", "crlf\r\ninside", "cr\ronly",
                 '"', ",", '""', "a,b,c", 'He said "x, y"\nthen left', "\n",
                 "trailing,", ",leading", 'mixed "q",\r\n,end']


def _gen_name(rnd, first_row):
    r = rnd.random()
    if r < 0.30:
        name = rnd.choice(_NEEDS_QUOTES)
    elif r < 0.40:
        name = "".join(rnd.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(10))
    elif r < 0.43:
        name = ""
    elif r < 0.45 and not first_row:
        name = "\ufeffbom"  # a BOM that is not at the start of a file is data
    elif r < 0.47:
        name = "".join(rnd.choice('ab ,"\n\r') for _ in range(rnd.randint(1, 8)))
    else:
        name = rnd.choice(_PLAIN)
    raw = name.encode("utf-8")
    name = raw.decode("latin-1")  # what the byte-transparent parser sees
    if any(ch in name for ch in ',"\r\n'):
        return raw, b'"' + raw.replace(b'"', b'""') + b'"', name
    if name.startswith(" ") or name.endswith(" ") or name.startswith("\t"):
        # blanks around a name are only kept by the quotes
        return raw, b'"' + raw + b'"', name
    if rnd.random() < 0.12:
        return raw, b'"' + raw + b'"', name  # quotes that are not needed
    return raw, raw, name


def _fmt_number(rnd, v, fancy):
    s = str(v)
    if not fancy:
        return s.encode()
    r = rnd.random()
    if r < 0.10:
        s = "0" * rnd.randint(1, 4) + s
    elif r < 0.13:
        s = "0" * rnd.randint(20, 30) + s  # long, but its value fits
    r = rnd.random()
    if r < 0.10:
        s = '"' + s + '"'
    elif r < 0.14:
        s = rnd.choice([" ", "\t", "  "]) + '"' + s + '"' + rnd.choice(["", " ", "\t"])
    elif r < 0.16:
        s = '"' + s + '"' + rnd.choice([" ", "\t"])
    r = rnd.random()
    if r < 0.10:
        s = rnd.choice([" ", "\t", " \t", "   "]) + s
    if rnd.random() < 0.10:
        s = s + rnd.choice([" ", "\t", "\t ", "  "])
    return s.encode()


def _k(rnd):
    r = rnd.random()
    if r < 0.35:
        return 2
    if r < 0.90:
        return rnd.randint(3, 8)
    return rnd.randint(9, 30)


def _values_small(rnd, k):
    if rnd.random() < 0.7:
        return [rnd.choice((0, 0, 1, 1, 2, 2, 3, 4)) for _ in range(k)]
    return [rnd.randint(0, 20) for _ in range(k)]


def _values_huge(rnd, k):
    out = []
    for _ in range(k):
        r = rnd.random()
        if r < 0.45:
            out.append(rnd.choice(SPECIAL))
        elif r < 0.65:
            out.append(U64_MAX - rnd.randint(0, 1000))
        elif r < 0.90:
            out.append(rnd.getrandbits(rnd.randint(1, 64)))
        else:
            out.append(rnd.randint(0, 4))
    if rnd.random() < 0.3:
        out[rnd.randrange(k)] = max(out)  # a repeated maximum
    return out


def _values_ties(rnd, k):
    r = rnd.random()
    if r < 0.25:
        # 2 and 4 in some order, padded with small values
        base = [2, 4] + [rnd.choice((0, 1, 2, 4)) for _ in range(k - 2)]
    elif r < 0.45:
        # only zeros and ones: every pair is worth 0 or 1
        base = [rnd.choice((0, 1)) for _ in range(k)]
    elif r < 0.70:
        # the maximum repeated
        m = rnd.choice((2, 3, 4, 5, 9, 100, U64_MAX, 1 << 63, rnd.getrandbits(64)))
        base = [m, m] + [rnd.randint(0, m) for _ in range(k - 2)]
    elif r < 0.85:
        base = [rnd.choice((0, 1, 2, 3, 4)) for _ in range(k)]
    else:
        v = rnd.choice((0, 1, 2, 3, 4, 7, U64_MAX))
        base = [v] * k
    rnd.shuffle(base)
    return base


def _values_near(rnd, k):
    a, b, c, d = rnd.choice(NEAR_TIES)
    base = [a, b, c, d]
    while len(base) < k:
        base.append(rnd.choice((0, 1, 2, 3, rnd.getrandbits(rnd.randint(1, 64)))))
    rnd.shuffle(base)
    return base


def _values_mixed(rnd, k):
    r = rnd.random()
    if r < 0.20:
        return _values_small(rnd, k)
    if r < 0.40:
        return _values_huge(rnd, k)
    if r < 0.60:
        return _values_ties(rnd, k)
    if r < 0.70:
        return _values_near(rnd, max(k, 4))
    if r < 0.85:
        return [rnd.randint(0, 99) for _ in range(k)]
    return [rnd.getrandbits(rnd.randint(1, 64)) for _ in range(k)]


PROFILES = {
    "mixed": _values_mixed,
    "small": _values_small,
    "huge": _values_huge,
    "ties": _values_ties,
}


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _word(rnd):
    # letters only: a quote put into it can never be at a field's start
    return "".join(rnd.choice(_LETTERS) for _ in range(rnd.randint(1, 6))).encode()


def _num(rnd):
    return str(rnd.choice((0, 1, 2, 3, 4, 7, 10, 255, rnd.getrandbits(64)))).encode()


def _insert(rnd, s, piece, lo=1):
    at = rnd.randint(lo, len(s))
    return s[:at] + piece + s[at:]


BAD_KINDS = ("stray quote in a name", "stray quote in a number",
             "text after a closing quote", "quote inside a quoted number",
             "bare CR", "negative value", "fractional value", "signed value",
             "not a number", "empty field", "value over 2^64-1",
             "fewer than two numbers", "NUL byte", "LF in a quoted number",
             "quoted comma after blanks", "unterminated quote")


def _bad_row(rnd, last_row):
    """One bad row (bytes, without its line end) and its kind.

    Its last byte is never a CR (that would be a good CRLF line end) and
    only the last row may hold an unterminated quote, which swallows every
    byte after it."""
    kinds = BAD_KINDS if last_row else BAD_KINDS[:-1]
    kind = rnd.choice(kinds)
    name = _word(rnd)
    nums = [_num(rnd) for _ in range(rnd.randint(2, 4))]

    def put(field, last_ok=True):
        # the bad field among the numbers; not last if its end would matter
        at = rnd.randint(0, len(nums) if last_ok else len(nums) - 1)
        return b",".join([name] + nums[:at] + [field] + nums[at:])

    if kind == "stray quote in a name":
        return b",".join([_insert(rnd, name, b'"')] + nums), kind
    if kind == "stray quote in a number":
        return put(rnd.choice((_insert(rnd, _num(rnd), b'"'), b'1 "2"', b'7"'))), kind
    if kind == "text after a closing quote":
        tail = rnd.choice((b"c", b" ", b"\t", b'x"y', b"\rz"))
        if rnd.random() < 0.5:
            return b",".join([b'"' + name + b'"' + tail] + nums), kind
        return put(b'"' + _num(rnd) + b'"' + tail.strip(b" \t") + b"x"), kind
    if kind == "quote inside a quoted number":
        return put(b'"1""2"'), kind
    if kind == "bare CR":
        if rnd.random() < 0.5:
            return b",".join([_insert(rnd, name, b"\r", 0)] + nums), kind
        return put(_insert(rnd, _num(rnd), b"\r", 0), last_ok=False), kind
    if kind == "negative value":
        return put(rnd.choice((b"-5", b" -12 ", b"-0", b'"-3"'))), kind
    if kind == "fractional value":
        return put(rnd.choice((b"1.5", b"2.", b".5", b"0.0"))), kind
    if kind == "signed value":
        return put(rnd.choice((b"+5", b'"+7"', b" +0"))), kind
    if kind == "not a number":
        return put(rnd.choice((b"abc", b"0x10", b"1e3", b"1 2", b'" 1 2 "', b"NaN",
                               "\u0663".encode(), "\uff11".encode()))), kind
    if kind == "empty field":
        return put(rnd.choice((b"", b" ", b"\t ", b'""', b'" "'))), kind
    if kind == "value over 2^64-1":
        return put(rnd.choice((b"18446744073709551616", b"00018446744073709551616",
                               b'"18446744073709551616"', b"184467440737095516159",
                               b"1" + b"0" * 30))), kind
    if kind == "fewer than two numbers":
        return rnd.choice((name, name + b",5", b'"a,b",7', name + b', "3"')), kind
    if kind == "NUL byte":
        if rnd.random() < 0.5:
            return b",".join([_insert(rnd, name, b"\0", 0)] + nums), kind
        return put(_insert(rnd, _num(rnd), b"\0", 0)), kind
    if kind == "LF in a quoted number":
        # one bad row over two lines: the quoted section holds the LF
        lf = rnd.choice((b"\n", b"\r\n"))
        return put(rnd.choice((b"", b" ")) + b'"' + _num(rnd) + lf + _num(rnd) + b'"'), kind
    if kind == "quoted comma after blanks":
        # the blanks do not stop the quote opening: the comma is inside it
        return put(rnd.choice((b" ", b"\t", b"  ")) + b'"' + _num(rnd) + b"," + _num(rnd) + b'"'), kind
    # unterminated quote: in the name or in a number
    if rnd.random() < 0.5:
        return b'"' + b",".join([name] + nums), kind
    return put(rnd.choice((b"", b" ")) + b'"' + _num(rnd)), kind


def generate(seed, rows, profile="mixed", crlf=False, final_newline=True, bom=False,
             bad_rate=0.0, bad=None):
    """Return (bytes, [(name, values)] of the good rows) for the given
    parameters.  With bad_rate, each row is a bad one with that probability;
    pass a list as bad to have (first line, last line, kind) of each put in."""
    rnd = random.Random("%s/%d/%s" % (seed, rows, profile))
    # Bad rows come from a stream of their own, and replace good rows that
    # are drawn anyway: rnd and every good row stay the same whatever the
    # rate, so rate 0 gives the very bytes it always gave, and another rate
    # gives those rows less the ones replaced.
    brnd = random.Random("%s/%d/%s/bad" % (seed, rows, profile))
    eol = b"\r\n" if crlf else b"\n"
    draw = PROFILES[profile]
    parts = [BOM] if bom else []
    truth = []
    lfs = 0  # LFs written so far: the next row starts on line lfs + 1
    for n in range(rows):
        if rnd.random() < 0.03:
            parts.append(eol * rnd.randint(1, 2))  # blank lines are skipped
            lfs += parts[-1].count(b"\n")
        _, field, name = _gen_name(rnd, n == 0)
        values = draw(rnd, _k(rnd))
        fancy = rnd.random() < 0.35
        fields = [field] + [_fmt_number(rnd, v, fancy) for v in values]
        row = b",".join(fields)
        if bad_rate > 0 and brnd.random() < bad_rate:
            row, kind = _bad_row(brnd, n == rows - 1)
            if bad is not None:
                bad.append((lfs + 1, lfs + 1 + row.count(b"\n"), kind))
        else:
            truth.append((name, values))
        parts.append(row)
        parts.append(eol)
        lfs += row.count(b"\n") + 1
    if not final_newline and rows > 0:
        parts.pop()
    return b"".join(parts), truth


def cmd_gen(args):
    data, _ = generate(args.seed, args.rows, args.profile, args.crlf,
                       not args.no_final_newline, args.bom, args.bad_rate)
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
    return 0


# --------------------------------------------------------------------------
# selftest
# --------------------------------------------------------------------------

SPEC_EXAMPLES = [
    ("Pedro,2,3,5,8", "Pedro,5,8"), ("Juan,4,9,4,7", "Juan,7,9"),
    ("Diego,5,9,4,8", "Diego,8,9"), ("E,2,4", "E,2,4"), ("F,4,2,2", "F,4,2"),
    ("J,3,2", "J,3,2"), ("K,1,7,1", "K,7,1"), ("H,1,1", "H,1,1"),
    ("A,1,0,1", "A,1,0"), ("B,0,0,5", "B,0,0"), ("C,5,0,0", "C,5,0"),
    ("D,0,5", "D,5,0"), ("G,0,1", "G,1,0"), ("I,0,0", "I,0,0"),
]


def _exact_pow(a, b):
    return 1 if b == 0 else a ** b


def _brute(values):
    """Exact brute force by real integer powers (small values only)."""
    best = None
    for i, x in enumerate(values):
        for j, y in enumerate(values):
            if i != j and (best is None or _exact_pow(x, y) > best[0]):
                best = (_exact_pow(x, y), x, y)
    return best[1], best[2]


def _closed_form(v):
    """Section 1.1 of the specification, written out independently."""
    order = sorted(range(len(v)), key=lambda i: (-v[i], i))
    a, b = v[order[0]], v[order[1]]
    if b >= 2:
        if a == b:
            return a, a
        if b >= 3:
            return b, a
        if a == 3:
            return 3, 2
        if a == 4:
            return (2, 4) if v.index(2) < v.index(4) else (4, 2)
        return 2, a
    if b == 1 and a >= 2:
        return a, 1
    for i, x in enumerate(v):
        if x == 1:
            return 1, v[1 if i == 0 else 0]
        for j, y in enumerate(v):
            if j != i and y == 0:
                return x, 0
    raise AssertionError("unreachable")


def cmd_selftest(args):
    fails = []

    def check(what, got, want):
        if got != want:
            fails.append("%s: got %r, want %r" % (what, got, want))

    # the worked examples, through the whole parse and score path
    for line, want in SPEC_EXAMPLES:
        rows = list(parse_rows((line + "\n").encode()))
        name, values = rows[0][1], rows[0][2]
        x, y = power_couple(values)
        check(line, "%s,%d,%d" % (quote_name(name), x, y), want)

    # identities
    check("2^4 vs 4^2", cmp_pow(2, 4, 4, 2), 0)
    check("2^62 vs 4^31", cmp_pow(2, 62, 4, 31), 0)
    check("2^62 vs 4^31 slow", cmp_pow(2, 62, 4, 31, True), 0)
    check("(2^64-1)^2 vs 2^128", cmp_pow(U64_MAX, 2, 2, 128), -1)
    check("(2^64-1)^2 vs 4^64", cmp_pow(U64_MAX, 2, 4, 64), -1)
    check("(2^64-1)^2 vs 2^127", cmp_pow(U64_MAX, 2, 2, 127), 1)
    check("(2^32)^4 vs 2^128", cmp_pow(1 << 32, 4, 2, 128), 0)
    check("(2^32)^(2^63) vs 2^(2^63*32)?", cmp_pow(1 << 32, 1 << 63, 1 << 63, 1 << 32), 1)
    check("(2^63)^(2^32) vs (2^32)^(2^63)", cmp_pow(1 << 63, 1 << 32, 1 << 32, 1 << 63), -1)
    check("2^(2^64-1) vs 4^(2^63)", cmp_pow(2, U64_MAX, 4, 1 << 63), -1)
    check("4^(2^62) vs 2^(2^63)", cmp_pow(4, 1 << 62, 2, 1 << 63), 0)
    check("3^40 vs 9^20", cmp_pow(3, 40, 9, 20), 0)
    check("(3^40)^6 vs 9^120 slow", cmp_pow(3 ** 40, 6, 9, 120, True), 0)
    check("27^(2^62) vs 9^(3*2^61)", cmp_pow(27, 1 << 62, 9, 3 << 61), 0)
    check("0^0 vs 1^5", cmp_pow(0, 0, 1, 5), 0)
    check("0^0 vs 0^1", cmp_pow(0, 0, 0, 1), 1)
    check("7^0 vs 0^0", cmp_pow(7, 0, 0, 0), 0)
    check("2^1 vs 1^(2^64-1)", cmp_pow(2, 1, 1, U64_MAX), 1)
    ctx = decimal.Context(prec=100)
    e = 1 << 63
    x = int(ctx.multiply(decimal.Decimal(e), ctx.divide(decimal.Decimal(3).ln(ctx), decimal.Decimal(2).ln(ctx))))
    check("3^(2^63) vs 2^floor(2^63 log2 3)", cmp_pow(3, e, 2, x), 1)
    check("3^(2^63) vs 2^ceil(2^63 log2 3)", cmp_pow(3, e, 2, x + 1), -1)
    check("2^floor vs 3^(2^63)", cmp_pow(2, x, 3, e), -1)
    # 2^485 vs 3^306: a close convergent of log2 3, small enough to check exactly
    for (a, b, c, d) in ((2, 485, 3, 306), (2, 1054, 3, 665), (2, 24727, 3, 15601),
                         (3, 2 * 15601, 2, 2 * 24727)):
        want = (a ** b > c ** d) - (a ** b < c ** d)
        check("%d^%d vs %d^%d slow" % (a, b, c, d), cmp_pow(a, b, c, d, True), want)
        check("%d^%d vs %d^%d" % (a, b, c, d), cmp_pow(a, b, c, d), want)

    # every near-tie set is consistent in both directions and with itself
    for a, b, c, d in NEAR_TIES:
        s = cmp_pow(a, b, c, d)
        check("antisymmetry %r" % ((a, b, c, d),), cmp_pow(c, d, a, b), -s)
        check("slow path %r" % ((a, b, c, d),), cmp_pow(a, b, c, d, True), s)
        if max(b * a.bit_length(), d * c.bit_length()) <= 200000:
            p, q = a ** b, c ** d
            check("exact %r" % ((a, b, c, d),), s, (p > q) - (p < q))

    rnd = random.Random(20161124)
    # all small quadruples against real integer powers
    for a in range(0, 9):
        for b in range(0, 9):
            for c in range(0, 9):
                for d in range(0, 9):
                    want = (_exact_pow(a, b) > _exact_pow(c, d)) - (_exact_pow(a, b) < _exact_pow(c, d))
                    check("%d^%d vs %d^%d" % (a, b, c, d), cmp_pow(a, b, c, d), want)
    # random comparisons with exact integers, fast and slow paths
    for _ in range(3000):
        a = rnd.getrandbits(rnd.randint(1, 64))
        c = rnd.getrandbits(rnd.randint(1, 64))
        b = rnd.randint(0, 4096 // max(1, a.bit_length()))
        d = rnd.randint(0, 4096 // max(1, c.bit_length()))
        if rnd.random() < 0.3:
            t = rnd.randint(2, 50)
            bp, dp = rnd.randint(1, 6), rnd.randint(1, 6)
            a, c = t ** dp, t ** bp
            g = rnd.randint(1, 20)
            b, d = bp * g, dp * g
        p, q = _exact_pow(a, b), _exact_pow(c, d)
        want = (p > q) - (p < q)
        check("random %r" % ((a, b, c, d),), cmp_pow(a, b, c, d), want)
        check("random slow %r" % ((a, b, c, d),), cmp_pow(a, b, c, d, True), want)
    # rows: oracle against brute force and against the closed form
    for _ in range(4000):
        k = rnd.randint(2, 7)
        v = [rnd.choice((0, 1, 2, 3, 4, 5, rnd.randint(0, 40))) for _ in range(k)]
        pc = power_couple(v)
        check("row %r brute" % (v,), pc, _brute(v))
        check("row %r closed" % (v,), pc, _closed_form(v))
    for _ in range(3000):
        k = rnd.randint(2, 30)
        v = _values_mixed(rnd, k)
        check("mixed row %r closed" % (v,), power_couple(v), _closed_form(v))
    # the reduction used for long rows changes nothing
    for _ in range(300):
        v = [rnd.randint(0, 6) for _ in range(rnd.randint(17, 40))]
        check("long row %r" % (v,), power_couple(v), _brute(v))
        check("long row %r closed" % (v,), power_couple(v), _closed_form(v))

    # generated input parses back to what was generated, for every option
    for profile in PROFILES:
        for crlf in (False, True):
            for final in (False, True):
                data, truth = generate(7, 400, profile, crlf, final, crlf)
                got = [(n, v) for _, n, v in parse_rows(data)]
                check("gen/parse %s crlf=%s final=%s" % (profile, crlf, final),
                      got == truth, True)
                again, _ = generate(7, 400, profile, crlf, final, crlf)
                check("gen is deterministic", again == data, True)
    # generated bad rows: found at the lines where they were put, every
    # kind of them, and the good rows around them untouched
    kinds = set()
    for seed in range(40):
        for crlf, final, bom in ((False, True, False), (True, False, True),
                                 (False, False, True), (True, True, False)):
            profile = sorted(PROFILES)[seed % len(PROFILES)]
            rate = (0.3, 1.0)[seed % 2]
            rows = (60, 4)[seed % 2]
            log = []
            data, truth = generate(seed, rows, profile, crlf, final, bom, rate, log)
            kinds.update(k for _, _, k in log)
            what = "gen --bad-rate %s seed %d crlf=%s final=%s" % (rate, seed, crlf, final)
            scanned = list(scan_rows(data))
            check(what + " good rows", [(n, v) for _, _, n, v, r in scanned if r is None], truth)
            check(what + " bad rows", [(f, l) for f, l, _, _, r in scanned if r is not None],
                  [(f, l) for f, l, _ in log])
            again, _ = generate(seed, rows, profile, crlf, final, bom, rate)
            check(what + " is deterministic", again == data, True)
            # the good rows are those of rate 0, less the ones replaced
            _, all_rows = generate(seed, rows, profile, crlf, final, bom)
            it = iter(all_rows)
            check(what + " keeps the good rows", all(r in it for r in truth), True)
            check(what + " row count", len(truth) + len(log), rows)
    check("every kind of bad row generated", sorted(kinds), sorted(BAD_KINDS))

    # the 0.2 grammar, in skip mode, answers derived by hand from the spec:
    # (files, output, bad rows as (file, first line, last line), rows)
    def skip_score(files, skip=True):
        inputs = [("f%d" % i, d) for i, d in enumerate(files, 1)]
        out, bad, rows = score_inputs(inputs, skip)
        return "".join(out), [(p, f, l) for p, f, l, _ in bad], rows

    for files, out, bad, rows in (
            # stray quotes open nothing: their row ends at its own LF
            ([b'x,1,2"3\nb,1,2\nc,3,4\n'], "b,2,1\nc,3,4\n", [("f1", 1, 1)], 3),
            ([b'ab"c,1,2\nd,2,2\n"e"f,3,3\ng,1,0\n'], "d,2,2\ng,1,0\n",
             [("f1", 1, 1), ("f1", 3, 3)], 4),
            ([b'x,"1"2"\nc,1,1\n'], "c,1,1\n", [("f1", 1, 1)], 2),
            ([b'x,1,2"\nc,2,1\n'], "c,2,1\n", [("f1", 1, 1)], 2),
            # ... but a quote at a later field's start still opens
            ([b'a"b,"1\n2",3\nc,1,1\n'], "c,1,1\n", [("f1", 1, 2)], 2),
            # CR: in an unquoted name or number bad, in a quoted name data,
            # before an LF or as the file's last byte a line end
            ([b'a,2,3\nb\r,3,4\nc,0,1\n'], "a,3,2\nc,1,0\n", [("f1", 2, 2)], 3),
            ([b'"a\rb",1,2\n'], '"a\rb",2,1\n', [], 1),
            ([b'"a\r",1,2\n'], '"a\r",2,1\n', [], 1),
            ([b'a,1,2\r'], "a,2,1\n", [], 1),
            ([b'a,1,2\r\nb,3,4\n'], "a,2,1\nb,3,4\n", [], 2),
            ([b'a,1\r,2\nb,0,0\n'], "b,0,0\n", [("f1", 1, 1)], 2),
            ([b'a,1,2\r\r\nb,0,0\n'], "b,0,0\n", [("f1", 1, 1)], 2),
            ([b'\rx,1,2\nb,0,0\n'], "b,0,0\n", [("f1", 1, 1)], 2),
            ([b'"ab"\rc,1,2\n"ab",1,2\r\n'], "ab,2,1\n", [("f1", 1, 1)], 2),
            ([b'a,1,2\n\r', b'\r', b'\r\n\n'], "a,2,1\n", [], 1),
            # a quoted number holding an LF: one bad row over two lines
            ([b'x,"1\n2",3\nb,2,4\n'], "b,2,4\n", [("f1", 1, 2)], 2),
            # a blank, then a quote that opens: the comma is inside it
            ([b'x, "1,2",3\nc,0,0\n'], "c,0,0\n", [("f1", 1, 1)], 2),
            # the same before a name: opens, and the name is bad
            ([b' "a,b",1,2\nz,1,2\n'], "z,2,1\n", [("f1", 1, 1)], 2),
            ([b' "a\nb",1,2\nz,1,2\n'], "z,2,1\n", [("f1", 1, 2)], 2),
            # an unterminated quote runs to its file's end, and no further
            ([b'a,2,3\nx,"12,3\nb,1,1\n', b'c,5,5\n'], "a,3,2\nc,5,5\n", [("f1", 2, 3)], 3),
            ([b'a,1,2\n"b,1', b'c,1,3\n'], "a,2,1\nc,3,1\n", [("f1", 2, 2)], 3),
            ([b'"b\n\n,1'], "", [("f1", 1, 3)], 1),
            ([b'a,1,2\nb,1,"', b'c,1,2\n'], "a,2,1\nc,2,1\n", [("f1", 2, 2)], 3),
            # line numbers: a multi-line name, blank lines, a BOM
            ([b'"n\n\nm",1,-2\nz,3,3\n'], "z,3,3\n", [("f1", 1, 3)], 2),
            ([b'\xef\xbb\xbf\n\r\nq,1,x\r\nr,4,2\n'], "r,4,2\n", [("f1", 3, 3)], 2),
            ([b'a,1,2\n', b'b,1,2\nc,1\n'], "a,2,1\nb,2,1\n", [("f2", 2, 2)], 3),
            # quotes that are right
            ([b'x,"12" ,"3"\t\ny," 7 ",2\n'], "x,3,12\ny,2,7\n", [], 2),
            ([b'"a""b",1,2\n"x,y",3,3\n'], '"a""b",2,1\n"x,y",3,3\n', [], 2),
            ([b'"a""b"c,1,2\nx,"1""2",3\n'], "", [("f1", 1, 1), ("f1", 2, 2)], 2),
            # a line of a blank is a row, not an empty line
            ([b' \n'], "", [("f1", 1, 1)], 1)):
        got = skip_score(files)
        check("skip %r" % files, got, (out, bad, rows))
    # fail mode: the good rows before the first bad one, which alone is
    # reported, and the files after it are not read
    check("fail mode", skip_score([b'a,2,3\nx,"12,3\nb,1,1\n', b'c,5,5\n'], False),
          ("a,3,2\n", [("f1", 2, 3)], 2))
    check("fail mode 2", skip_score([b'ab"c,1,2\nd,2,2\n"e"f,3,3\n'], False),
          ("", [("f1", 1, 1)], 1))
    # and the reasons
    for data, reason in ((b'x,"12,3\n', "unterminated quote"), (b'x,1,"', "unterminated quote"),
                         (b'"', "unterminated quote"), (b'b\r,3,4\n', "bare CR inside a row"),
                         (b'x,1,2\0\n', "NUL byte"), (b'x,1\n', "fewer than two numbers"),
                         (b'x,1,\n', "empty field"), (b'x,1,2"3\n', "misplaced quote"),
                         (b'"x" ,1,2\n', "misplaced quote"),
                         (b'x,1,18446744073709551616\n', "value over 2^64-1: '18446744073709551616'"),
                         (b'x,1,-2\n', "not a number: '-2'")):
        check("reason %r" % data, [r for _, _, _, _, r in scan_rows(data)], [reason])

    # malformed rows are refused
    for bad in (b"A,1,-5\n", b"A,1,1.5\n", b"A,+5,1\n", b"A,abc,1\n", b"A,1e3,1\n",
                b"A,1,,2\n", b"A,1,  ,2\n", b'A,1,""\n', b"A,18446744073709551616,1\n",
                b"A,5\n", b"A\n", b"A,1,2\0\n", b'"A,1,2\n', b'ab"c,1,2\n',
                b'"ab"c,1,2\n', b'"ab" ,1,2\n', b'A,"1 2",3\n', b'A,"2"x,3\n',
                b'A,0x10,1\n', b'A,1,2"3\n', b'A\r,1,2\n', b'A,1\r,2\n', b'A,"1\n2",3\n',
                b'A, "1,2",3\n', b' "A",1,2\n', b'A,1,"2\n'):
        try:
            list(parse_rows(b"ok,1,2\n" + bad))
            fails.append("accepted %r" % bad)
        except BadRow:
            pass
    # and these odd but valid ones are read as meant
    for good, want in ((b'\xef\xbb\xbfa, 007 ,"12"\r\n', ("a", [7, 12])),
                       (b'"x ""y"""," 3 ",\t"4"\t', ('x "y"', [3, 4])),
                       (b'\n\r\n,0,00000000000000000000000018446744073709551615\n',
                        ("", [0, U64_MAX]))):
        rows = [(n, v) for _, n, v in parse_rows(good)]
        check("valid %r" % good, rows, [want])

    if fails:
        for f in fails[:50]:
            print("FAIL:", f)
        print("%d failure(s)" % len(fails))
        return 1
    print("oracle selftest: all checks passed")
    return 0


def _probability(text):
    p = float(text)
    if not 0.0 <= p <= 1.0:
        raise argparse.ArgumentTypeError("not a probability: %r" % text)
    return p


def _delimiter(text):
    """One byte, or `\\t` for TAB."""
    if text == "\\t":
        return 0x09
    b = os.fsencode(text)
    if len(b) != 1 or b in b'"\r\n0123456789':
        raise argparse.ArgumentTypeError("not a delimiter: %r" % text)
    return b[0]


def main(argv=None):
    # SPEC 2 allows any number of leading zeros; Python 3.11 refuses to
    # convert more than 4300 digits unless told not to
    if hasattr(sys, "set_int_max_str_digits"):
        sys.set_int_max_str_digits(0)
    p = argparse.ArgumentParser(prog="oracle.py", description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("gen", help="write random valid input")
    g.add_argument("--seed", required=True)
    g.add_argument("--rows", type=int, required=True)
    g.add_argument("--profile", choices=sorted(PROFILES), default="mixed")
    g.add_argument("--crlf", action="store_true")
    g.add_argument("--no-final-newline", action="store_true")
    g.add_argument("--bom", action="store_true")
    g.add_argument("--bad-rate", type=_probability, default=0.0, metavar="P")
    s = sub.add_parser("score", help="write the expected output")
    s.add_argument("--on-error", choices=("fail", "skip"), default="fail")
    s.add_argument("--bad-rows", metavar="FILE")
    s.add_argument("--header", action="store_true")
    s.add_argument("-t", "--delimiter", type=_delimiter, default=COMMA, metavar="CHAR")
    s.add_argument("files", nargs="*")
    sub.add_parser("selftest", help="check the oracle itself")
    args = p.parse_args(argv)
    if args.cmd == "gen":
        return cmd_gen(args)
    if args.cmd == "score":
        return cmd_score(args)
    return cmd_selftest(args)


if __name__ == "__main__":
    sys.exit(main())
