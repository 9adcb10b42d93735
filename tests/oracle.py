#!/usr/bin/env python3
"""oracle.py - an exact, independent PowerCouples oracle, and test inputs.

  oracle.py score [FILE...]   expected output of pc-score for valid input
  oracle.py gen --seed S --rows N [--profile P] [--crlf] [--no-final-newline]
                              random valid input where ties, 0..4, duplicates
                              of the maximum, values near 2^64 and names that
                              need quoting are common
  oracle.py selftest          the spec's worked examples and a few identities

It shares nothing with the C code: CSV comes from Python's csv module, and
x^y is compared by exact integer powers when they are small enough, else by
an exact equality test (a^b == c^d iff, with g = gcd(b, d), a = t^(d/g) and
c = t^(b/g) for an integer t) and logarithms in decimal arithmetic at rising
precision for the order.  Pairs are scanned in itertools.permutations order,
the first strict maximum winning, as the tutorial's reference code did.
"""
import csv
import decimal
import io
import itertools
import math
import random
import sys

U64_MAX = 2**64 - 1


def klass(x, y):
    """0 if x^y == 0, 1 if x^y == 1, 2 if x^y > 1."""
    if y == 0 or x == 1:
        return 1
    return 0 if x == 0 else 2


def iroot(x, n):
    """The integer n-th root of x (< 2^64) if x is a perfect n-th power."""
    if n == 1:
        return x
    r = int(round(x ** (1.0 / n)))   # n >= 2: r <= 2^32, within 2 of the root
    for c in range(max(r - 2, 0), r + 3):
        if c ** n == x:
            return c
    return None


def powers_equal(a, b, c, d):
    """a^b == c^d for a, c >= 2 and b, d >= 1, without computing them."""
    g = math.gcd(b, d)
    b1, d1 = b // g, d // g
    if b1 > 64 or d1 > 64:   # t >= 2 would make t^65 > 2^64
        return False
    t = iroot(a, d1)
    return t is not None and t ** b1 == c


_ln_cache = {}


def ln(x, prec):
    key = (x, prec)
    if key not in _ln_cache:
        with decimal.localcontext() as ctx:
            ctx.prec = prec
            _ln_cache[key] = decimal.Decimal(x).ln()
    return _ln_cache[key]


def cmp_pow(a, b, c, d):
    """Sign of a^b - c^d, exactly."""
    ka, kc = klass(a, b), klass(c, d)
    if ka != kc or ka != 2:
        return (ka > kc) - (ka < kc)
    if b * a.bit_length() <= 4096 and d * c.bit_length() <= 4096:
        p, q = a ** b, c ** d
        return (p > q) - (p < q)
    # doubles are good to about 1e-15 relative here: far apart, they decide
    f1, f2 = b * math.log(a), d * math.log(c)
    if abs(f1 - f2) > 1e-9 * max(f1, f2):
        return 1 if f1 > f2 else -1
    if powers_equal(a, b, c, d):
        return 0
    prec = 60
    while True:
        with decimal.localcontext() as ctx:
            ctx.prec = prec + 10
            l1 = decimal.Decimal(b) * ln(a, prec)
            l2 = decimal.Decimal(d) * ln(c, prec)
            # each logarithm is good to 10^(1-prec) relative; allow 100x that
            margin = max(l1, l2) * decimal.Decimal(10) ** (3 - prec)
            if l1 - l2 > margin:
                return 1
            if l2 - l1 > margin:
                return -1
        prec *= 2
        if prec > 20000:
            raise RuntimeError("no decision for %d^%d vs %d^%d" % (a, b, c, d))


def best_pair(values):
    best = None
    for x, y in itertools.permutations(values, 2):
        if best is None or cmp_pow(x, y, best[0], best[1]) > 0:
            best = (x, y)
    return best


def quote(name):
    if any(ch in name for ch in ',"\r\n'):
        return '"' + name.replace('"', '""') + '"'
    return name


def number(field):
    f = field.strip(' \t')
    if len(f) >= 2 and f[0] == '"' and f[-1] == '"':
        f = f[1:-1].strip(' \t')
    if not f.isdigit() or not f.isascii():
        raise ValueError("not a whole number: %r" % field)
    v = int(f)
    if v > U64_MAX:
        raise ValueError("over 2^64-1: %r" % field)
    return v


def score(streams, out):
    for data in streams:
        text = data.decode('latin-1')   # bytes in, the same bytes out
        if text.startswith('\xef\xbb\xbf'):
            text = text[3:]
        for row in csv.reader(io.StringIO(text, newline='')):
            if not row:
                continue
            values = [number(f) for f in row[1:]]
            if len(values) < 2:
                raise ValueError("fewer than two numbers: %r" % row)
            x, y = best_pair(values)
            out.write(('%s,%d,%d\n' % (quote(row[0]), x, y)).encode('latin-1'))


NAMES = ['A', 'Pedro', 'Juan', 'Doe, J.', 'say "hi"', 'two\nlines', 'cr\rname',
         '#hash', '', ' spaced ', 'comma,and "quote"', 'crlf\r\nin name',
         'ÅÉ unicode', 'x' * 40]
SPECIAL = [0, 1, 2, 3, 4, 5, 8, 9, 16, 27, 64, 81, 256, 2**32 - 1, 2**32, 2**62,
           2**63, U64_MAX, U64_MAX - 1, 3**40, 7**22, 10**19]


def gen_value(rnd, profile):
    if profile == 'small':
        return rnd.randrange(100)
    if profile == 'ties':
        return rnd.choice([0, 1, 2, 3, 4])
    if profile == 'huge':
        return rnd.choice([U64_MAX - rnd.randrange(5), 2**63 + rnd.randrange(3),
                           rnd.randrange(2**64), rnd.choice(SPECIAL)])
    r = rnd.random()   # mixed
    if r < 0.30:
        return rnd.randrange(5)
    if r < 0.50:
        return rnd.randrange(100)
    if r < 0.70:
        return rnd.choice(SPECIAL)
    if r < 0.85:
        return rnd.randrange(2**rnd.randrange(1, 65))
    return U64_MAX - rnd.randrange(3)


def gen_field(rnd, v, profile):
    text = str(v)
    if profile != 'mixed':
        return text
    r = rnd.random()
    if r < 0.05:
        return '00' + text
    if r < 0.10:
        return ' %s\t' % text
    if r < 0.14:
        return '"%s"' % text
    return text


def gen(seed, rows, profile, crlf, final_newline):
    rnd = random.Random(seed)
    eol = '\r\n' if crlf else '\n'
    out = []
    for i in range(rows):
        k = rnd.choice([2, 2, 3, 3, 4, 5, 6, 7, 8]) if rnd.random() < 0.9 else rnd.randrange(9, 31)
        values = [gen_value(rnd, profile) for _ in range(k)]
        if rnd.random() < 0.3:   # a duplicate of the maximum
            values[rnd.randrange(k)] = max(values)
        name = rnd.choice(NAMES) if profile == 'mixed' or rnd.random() < 0.2 else 'R%d' % i
        if name and rnd.random() < 0.1 and not any(ch in name for ch in ',"\r\n'):
            qname = '"%s"' % name     # quoted though it needs no quotes
        else:
            qname = quote(name)
        if qname == '':
            qname = '""' if rnd.random() < 0.5 else ''
        out.append(qname + ',' + ','.join(gen_field(rnd, v, profile) for v in values) + eol)
        if profile == 'mixed' and rnd.random() < 0.02:
            out.append(eol)   # a blank line
    text = ''.join(out)
    if not final_newline and text.endswith(eol):
        text = text[:-len(eol)]
    return text.encode('latin-1')


def selftest():
    examples = {
        'Pedro,2,3,5,8': (5, 8), 'Juan,4,9,4,7': (7, 9), 'Diego,5,9,4,8': (8, 9),
        'E,2,4': (2, 4), 'F,4,2,2': (4, 2), 'J,3,2': (3, 2), 'K,1,7,1': (7, 1),
        'H,1,1': (1, 1), 'A,1,0,1': (1, 0), 'B,0,0,5': (0, 0), 'C,5,0,0': (5, 0),
        'D,0,5': (5, 0), 'G,0,1': (1, 0), 'I,0,0': (0, 0),
    }
    bad = 0
    for row, want in examples.items():
        got = best_pair([int(v) for v in row.split(',')[1:]])
        if got != want:
            print('FAIL %s: %s, want %s' % (row, got, want))
            bad += 1
    checks = [
        (cmp_pow(2, 4, 4, 2), 0), (cmp_pow(2, 2**62, 4, 2**61), 0),
        (cmp_pow(2**62, 31, 2**31, 62), 0), (cmp_pow(3, 665, 2, 1054), 1),
        (cmp_pow(3, 665 * 2**50, 2, 1054 * 2**50), 1),
        (cmp_pow(U64_MAX, U64_MAX - 1, U64_MAX - 1, U64_MAX), -1),
        (cmp_pow(0, 0, 5, 0), 0), (cmp_pow(0, 3, 1, 9), -1),
    ]
    for i, (got, want) in enumerate(checks):
        if got != want:
            print('FAIL identity %d: %d, want %d' % (i, got, want))
            bad += 1
    # the small-value path and the logarithm path must agree
    rnd = random.Random(1)
    for _ in range(3000):
        a, c = rnd.randrange(2, 300), rnd.randrange(2, 300)
        b, d = rnd.randrange(1, 400), rnd.randrange(1, 400)
        exact = (a ** b > c ** d) - (a ** b < c ** d)
        if powers_equal(a, b, c, d) != (exact == 0):
            print('FAIL powers_equal(%d,%d,%d,%d)' % (a, b, c, d))
            bad += 1
    print('selftest: %s' % ('ok' if bad == 0 else '%d failures' % bad))
    return 1 if bad else 0


def main(argv):
    if len(argv) >= 2 and argv[1] == 'score':
        files = argv[2:] or ['-']
        streams = (sys.stdin.buffer.read() if f == '-' else open(f, 'rb').read() for f in files)
        try:
            score(streams, sys.stdout.buffer)
        except ValueError as e:
            sys.stderr.write('oracle: %s\n' % e)
            return 1
        return 0
    if len(argv) >= 2 and argv[1] == 'gen':
        args = argv[2:]
        opts = {'--seed': '1', '--rows': '10', '--profile': 'mixed'}
        flags = set()
        while args:
            a = args.pop(0)
            if a in ('--crlf', '--no-final-newline'):
                flags.add(a)
            elif a in opts and args:
                opts[a] = args.pop(0)
            else:
                sys.stderr.write('oracle: bad argument %r\n' % a)
                return 2
        if opts['--profile'] not in ('mixed', 'small', 'huge', 'ties'):
            sys.stderr.write('oracle: unknown profile %r\n' % opts['--profile'])
            return 2
        sys.stdout.buffer.write(gen(int(opts['--seed']), int(opts['--rows']), opts['--profile'],
                                    '--crlf' in flags, '--no-final-newline' not in flags))
        return 0
    if len(argv) >= 2 and argv[1] == 'selftest':
        return selftest()
    sys.stderr.write(__doc__)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))
