#!/usr/bin/env python3
"""oracle.py - the exact, independent reference for the powercouples test suites.

Subcommands:

  gen --seed S --rows N [--profile mixed|small|huge|ties] [--crlf]
      [--no-final-newline] [--bom]
      Write N random, valid input rows to standard output (bytes).  The draw
      favours what is hard: ties, 0..4, repeated maxima, values near 2^64,
      perfect powers, near-equal powers, names that need quoting, and the
      formatting freedoms of the input (blanks, leading zeros, quoted
      numbers, blank lines).  The same arguments always give the same bytes.

  score [FILE...]
      Read CSV (FILE "-" or none: standard input) and write the expected
      output `name,x,y` per row.  Parsing is done by Python's csv module, so
      it shares nothing with the C reader.  Exit 1 on a malformed row.

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
import csv
import decimal
import io
import math
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
# score: parse with the csv module, print the expected output
# --------------------------------------------------------------------------


class BadRow(Exception):
    pass


_NAME_RE = r'(?:"(?:[^"]|"")*"|[^",\r\n]*)'
_NUM_RE = r'(?:[ \t]*"(?:[^"]|"")*"[ \t]*|[^",\r\n]*)'
_ROW_RE = re.compile(_NAME_RE + r"(?:," + _NUM_RE + r")*", re.S)
_FIELD_RE = re.compile(_NUM_RE, re.S)


def _check_raw(raw):
    """Structural check of one raw row (line ending removed): quotes only
    around whole fields, closed, with nothing but blanks after a closing
    quote of a number and nothing at all after the closing quote of a name."""
    if "\0" in raw:
        raise BadRow("NUL byte")
    if '"' not in raw:
        if "\r" in raw or "\n" in raw:
            raise BadRow("bare CR inside a row")
        return
    if not _ROW_RE.fullmatch(raw):
        raise BadRow("misplaced quote")


def _number(field):
    s = field.strip(" \t")
    if len(s) >= 2 and s[0] == '"' and s[-1] == '"':
        # ` "12" `: a quoted number with blanks around it, which the csv
        # module leaves as an unquoted field
        s = s[1:-1]
    if s == "":
        raise BadRow("empty field")
    if not s.isascii() or not s.isdigit():
        raise BadRow("not a number: %r" % field)
    v = int(s)
    if v > U64_MAX:
        raise BadRow("value over 2^64-1: %r" % field)
    return v


def quote_name(name):
    if any(ch in name for ch in ',"\r\n'):
        return '"' + name.replace('"', '""') + '"'
    return name


class _Tap:
    """Line iterator that remembers the lines the csv reader took."""

    def __init__(self, it):
        self.it = it
        self.taken = []

    def __iter__(self):
        return self

    def __next__(self):
        line = next(self.it)
        self.taken.append(line)
        return line


def parse_rows(data):
    """Yield (line, name, values) for every non-empty row of one file's bytes."""
    if data.startswith(BOM):
        data = data[len(BOM):]
    text = data.decode("latin-1")  # bytes in, bytes out, one char per byte
    tap = _Tap(iter(io.StringIO(text, newline="")))
    reader = csv.reader(tap, strict=False)
    line = 1
    pos = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            raise BadRow("line %d: csv: %s" % (line, e))
        raw = "".join(tap.taken)
        tap.taken = []
        first = line
        pos += len(raw)
        # StringIO(newline="") also ends lines at a lone CR; the format
        # allows that only as the very last byte (a CRLF file that lost its
        # final LF), where it ends the last line, or is a blank line
        if raw.endswith("\r") and pos < len(text):
            raise BadRow("line %d: a CR alone ends a line" % first)
        line += sum(1 for _ in re.finditer(r"\r\n|\r|\n", raw))
        if not row:
            continue  # an empty line
        body = raw
        for end in ("\r\n", "\n", "\r"):
            if body.endswith(end):
                body = body[: -len(end)]
                break
        try:
            _check_raw(body)
            if len(row) < 3:
                raise BadRow("fewer than two numbers")
            values = [_number(f) for f in row[1:]]
        except BadRow as e:
            raise BadRow("line %d: %s" % (first, e))
        yield first, row[0], values


def cmd_score(args):
    csv.field_size_limit(sys.maxsize)
    files = args.files or ["-"]
    out = []
    status = 0
    for path in files:
        if path == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as f:
                data = f.read()
        try:
            for _, name, values in parse_rows(data):
                x, y = power_couple(values)
                out.append("%s,%d,%d\n" % (quote_name(name), x, y))
        except BadRow as e:
            sys.stderr.write("oracle.py: %s: %s\n" % (path, e))
            status = 1
            break
    sys.stdout.buffer.write("".join(out).encode("latin-1"))
    sys.stdout.buffer.flush()
    return status


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


def generate(seed, rows, profile="mixed", crlf=False, final_newline=True, bom=False):
    """Return (bytes, [(name, values)]) for the given parameters."""
    rnd = random.Random("%s/%d/%s" % (seed, rows, profile))
    eol = b"\r\n" if crlf else b"\n"
    draw = PROFILES[profile]
    parts = [BOM] if bom else []
    truth = []
    for n in range(rows):
        if rnd.random() < 0.03:
            parts.append(eol * rnd.randint(1, 2))  # blank lines are skipped
        _, field, name = _gen_name(rnd, n == 0)
        values = draw(rnd, _k(rnd))
        fancy = rnd.random() < 0.35
        fields = [field] + [_fmt_number(rnd, v, fancy) for v in values]
        parts.append(b",".join(fields))
        parts.append(eol)
        truth.append((name, values))
    if not final_newline and rows > 0:
        parts.pop()
    return b"".join(parts), truth


def cmd_gen(args):
    data, _ = generate(args.seed, args.rows, args.profile, args.crlf,
                       not args.no_final_newline, args.bom)
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
    # malformed rows are refused
    for bad in (b"A,1,-5\n", b"A,1,1.5\n", b"A,+5,1\n", b"A,abc,1\n", b"A,1e3,1\n",
                b"A,1,,2\n", b"A,1,  ,2\n", b'A,1,""\n', b"A,18446744073709551616,1\n",
                b"A,5\n", b"A\n", b"A,1,2\0\n", b'"A,1,2\n', b'ab"c,1,2\n',
                b'"ab"c,1,2\n', b'"ab" ,1,2\n', b'A,"1 2",3\n', b'A,"2"x,3\n',
                b'A,0x10,1\n'):
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


def main(argv=None):
    p = argparse.ArgumentParser(prog="oracle.py", description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("gen", help="write random valid input")
    g.add_argument("--seed", required=True)
    g.add_argument("--rows", type=int, required=True)
    g.add_argument("--profile", choices=sorted(PROFILES), default="mixed")
    g.add_argument("--crlf", action="store_true")
    g.add_argument("--no-final-newline", action="store_true")
    g.add_argument("--bom", action="store_true")
    s = sub.add_parser("score", help="write the expected output")
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
