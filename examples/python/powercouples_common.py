"""powercouples_common.py - what every Python example shares.

One job each:

  Rows(paths, prog)     read CSV rows (name, values) from files or stdin,
                        stopping at the first bad row or unreadable file;
                        finish() then reports it as pc-score would
  output_line(...)      one output line `name,x,y`, as bytes
  closed_form(values)   the power couple in one pass (powercouples(7))
  all_pairs(values)     the power couple by trying every ordered pair,
                        comparing the powers exactly (compare_powers)
  add_common_arguments  the options every example takes (FILE..., -m)
  quiet_on_closed_pipe  end quietly when standard output is a closed pipe

The reader takes the toolkit's row grammar with one simplification: it
stops at the first bad row (pc-score's --on-error=fail, the default), so
it never has to find where a bad row ends.  Every valid input is read as
pc-score reads it: quoted names (holding commas, quotes written "", CR and
LF), blanks, leading zeros and quotes around numbers, LF or CRLF line ends,
a last line without one, a byte-order mark at the start of each file,
blank lines.  Bad rows are reported as `PROG: FILE:LINE:COLUMN: what
(found)`, in pc-score's words and at its line and column: tests/python.bats
checks that on the oracle's every kind of bad row, but the reader was not
derived from pc-score's, so a rare row may be described differently.
Lines starting with #pc: (pc-split's chunk framing) are not understood:
they are read as ordinary rows.
"""

import math
import signal
import sys
from decimal import Context, Decimal

U64_MAX = (1 << 64) - 1
BOM = b"\xef\xbb\xbf"
BLANKS = b" \t"


# --------------------------------------------------------------------------
# Reading rows
# --------------------------------------------------------------------------


class BadRow(Exception):
    """A bad row: its line, the column of the bad field, the message."""

    def __init__(self, line, col, message):
        super().__init__(message)
        self.line, self.col, self.message = line, col, message


def _shown(field):
    """The field as pc-score shows it in a message: in quotes, escaped,
    cut after 32 bytes."""
    cut = len(field) > 32
    text = []
    for byte in field[:32]:
        ch = chr(byte)
        if ch in '"\\':
            text.append("\\" + ch)
        elif 0x20 <= byte < 0x7F:
            text.append(ch)
        else:
            text.append("\\x%02X" % byte)
    return '"%s%s"' % ("".join(text), "..." if cut else "")


def _number(field, line, col, shown=None):
    """The value of one number field (bytes between two commas), or raise
    BadRow.  col is the column of the field's first byte; shown is the
    field as the message shows it, when that differs (a CR of its CRLF)."""
    if shown is None:
        shown = field
    body = field.lstrip(BLANKS)
    if body == b"":
        raise BadRow(line, col, "empty field (%s)" % _shown(shown))
    col += len(field) - len(body)
    shown = shown[len(field) - len(body):]
    if b"\0" in body:
        at = body.index(b"\0")  # shown: from the NUL to the field's end
        raise BadRow(line, col + at, "NUL byte (%s)" % _shown(shown[at:]))
    if body.startswith(b'"'):
        close = 1
        while True:  # the closing quote: a quote not doubled
            close = body.find(b'"', close)
            if close < 0:
                # a quoted section that this field does not close: it is
                # unterminated if no quote comes after it (the caller
                # looks further, and may make it "not a number")
                what = "unterminated quote" if body.count(b'"') == 1 else "not a number"
                raise BadRow(line, col, "%s (%s)" % (what, _shown(shown)))
            if body[close + 1:close + 2] != b'"':
                break
            close += 2
        inner = body[1:close].strip(BLANKS)
        after = body[close + 1:].strip(BLANKS)
    else:
        inner, after = body.rstrip(BLANKS), b""
    if inner == b"":
        raise BadRow(line, col, "empty field (%s)" % _shown(shown))
    if inner.isdigit() and after == b"":
        value = int(inner)
        if value > U64_MAX:
            raise BadRow(line, col, "value over %d (%s)" % (U64_MAX, _shown(shown)))
        return value
    if inner.startswith(b"-"):
        what = "negative value"
    elif inner.startswith(b"+"):
        what = "signed value"
    elif inner.lstrip(b"0123456789").startswith(b".") and after == b"":
        what = "fractional value"
    else:
        what = "not a number"
    raise BadRow(line, col, "%s (%s)" % (what, _shown(shown)))


def _name(field, line):
    """Check an unquoted name (bytes up to the first comma)."""
    if b"\0" in field:
        at = field.index(b"\0")
        raise BadRow(line, 1 + at, "NUL byte (%s)" % _shown(field[at:]))
    if b'"' in field:
        raise BadRow(line, 1, "quote inside an unquoted field (%s)" % _shown(field))
    if b"\r" in field:
        raise BadRow(line, 1, "CR inside an unquoted field (%s)" % _shown(field))
    return field


def _where(text, offset, first):
    """(line, column) of byte offset of a row's text starting at line first."""
    return first + text.count(b"\n", 0, offset), offset - text.rfind(b"\n", 0, offset)


def parse_rows(lines):
    """Yield (name, values) for each row of one file, given as an iterator
    of its lines (bytes, each with its LF but the last perhaps); raise
    BadRow at the first bad row.  name is bytes, values ints."""
    number = 0  # line number of the last line taken
    for text in lines:
        number += 1
        if number == 1 and text.startswith(BOM):
            text = text[len(BOM):]  # columns count after it
        first = number
        if text.startswith(b'"'):
            # a quoted name: it may hold LF, so it may take more lines
            close = 1
            while True:
                close = text.find(b'"', close)
                if close < 0:
                    more = next(lines, None)
                    if more is None:
                        cut = text.split(b"\n", 1)[0].split(b",", 1)[0]
                        raise BadRow(first, 1, "unterminated quote (%s)" % _shown(cut))
                    number += 1
                    close = len(text)
                    text += more
                    continue
                if text[close + 1:close + 2] != b'"':
                    break
                close += 2
            name = text[1:close].replace(b'""', b'"')
            start = text.rfind(b"\n", 0, close) + 1  # where the last line starts
            rest = text[close + 1:]
            if b"\0" in name:
                raise BadRow(*_where(text, text.index(b"\0"), first), "NUL byte (\"\\x00\")")
            if not rest.startswith(b",") and rest not in (b"\n", b"\r\n", b"", b"\r"):
                field = text[:close + 1] + rest.split(b",", 1)[0].rstrip(b"\n")
                raise BadRow(first, 1, "text after a closing quote (%s)" % _shown(field))
            col = close + 2 - start  # the column of the byte after the quote
            cr = b""
            if rest.endswith(b"\n"):
                rest = rest[:-1]
            if rest.endswith(b"\r"):
                rest, cr = rest[:-1], b"\r"  # CRLF, or a CR as the last byte
        else:
            body = text[:-1] if text.endswith(b"\n") else text
            cr = b""
            if body.endswith(b"\r"):
                body, cr = body[:-1], b"\r"  # CRLF, or a CR as the last byte
            if body == b"":
                continue  # a blank line
            end = body.find(b",")
            if end < 0:
                end = len(body)
            name = _name(body[:end], number)
            rest = body[end:]
            col = end + 1
        # rest: from the comma after the name on, without the line end
        values = []
        fields = rest.split(b",")[1:]
        col += 1  # past the comma
        for n, field in enumerate(fields):
            # pc-score shows the CR of a CRLF as part of the last field
            shown = field + cr if n == len(fields) - 1 else field
            try:
                values.append(_number(field, number, col, shown))
            except BadRow as e:
                if e.message.startswith("unterminated") and (
                        any(b'"' in later for later in fields[n + 1:])
                        or any(b'"' in more for more in lines)):
                    # a quote further on closes it: the field is just bad
                    e.message = "not a number" + e.message[len("unterminated quote"):]
                raise
            col += len(field) + 1
        if len(values) < 2:
            raise BadRow(number, col - 1, "fewer than two numbers (found %d)" % len(values))
        yield name, values


class Rows:
    """Iterate over (name, values) of the rows of the files (none or "-":
    standard input), read in order as one stream; a row never spans two
    files.  The iteration stops at the first problem; finish() reports it
    and exits with pc-score's status (1 bad row, 2 unreadable file).  So a
    script writes the rows before the problem, then calls finish()."""

    def __init__(self, paths, prog):
        self.paths = list(paths) or ["-"]
        self.prog = prog
        self.error = None  # (message, exit status) of the first problem

    def __iter__(self):
        for path in self.paths:
            try:
                if path == "-":
                    yield from parse_rows(iter(sys.stdin.buffer))
                    continue
                try:
                    f = open(path, "rb")
                except IsADirectoryError as e:
                    self.error = ("read error on '%s': %s" % (path, e.strerror), 2)
                    return
                except OSError as e:
                    self.error = ("cannot open '%s': %s" % (path, e.strerror), 2)
                    return
                with f:
                    yield from parse_rows(iter(f))
            except BadRow as e:
                self.error = ("%s:%d:%d: %s" % (path, e.line, e.col, e.message), 1)
                return
            except OSError as e:
                self.error = ("read error on '%s': %s" % (path, e.strerror), 2)
                return

    def finish(self):
        """Report the problem that stopped the rows, if any, and exit."""
        sys.stdout.flush()
        if self.error is not None:
            message, status = self.error
            sys.stderr.write("%s: %s\n" % (self.prog, message))
            sys.exit(status)


def quiet_on_closed_pipe():
    """End quietly, as the C programs do, when the reader of standard
    output goes away (pc-score ... | head): Python would otherwise raise
    BrokenPipeError and print a traceback."""
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)


def output_line(name, x, y):
    """The output line of a row, as bytes: the name back byte for byte,
    quoted only when it holds a comma, a quote, CR or LF."""
    if any(c in name for c in b',"\r\n'):
        name = b'"' + name.replace(b'"', b'""') + b'"'
    return b"%s,%d,%d\n" % (name, x, y)


# --------------------------------------------------------------------------
# The closed form (powercouples(7), THE CLOSED FORM)
# --------------------------------------------------------------------------


def closed_form(values):
    """The power couple (x, y) of a row, in one pass and without powers."""
    a = b = -1  # the largest and second largest value, repeats counted
    first2 = first4 = None  # positions of the first 2 and the first 4
    for i, v in enumerate(values):
        if v > a:
            a, b = v, a
        elif v > b:
            b = v
        if v == 2 and first2 is None:
            first2 = i
        elif v == 4 and first4 is None:
            first4 = i
    if b >= 2:
        if a == b:
            return a, a
        if b >= 3:
            return b, a  # b^a > a^b for 3 <= b < a
        if a == 3:
            return 3, 2  # 9 > 8
        if a == 4:  # 2^4 = 4^2: the first pair in order wins
            return (2, 4) if first2 < first4 else (4, 2)
        return 2, a  # 2^a > a^2 for a >= 5
    if b == 1 and a >= 2:
        return a, 1  # worth a: every other pair is worth 1 or 0
    # only one value above 0, or none: the best pairs are worth 1 (x = 1 or
    # y = 0), or 0; the first pair worth 1 starts at position 0 or 1
    for i, v in enumerate(values):
        if v == 1:
            return 1, values[1 if i == 0 else 0]
        for j, w in enumerate(values):
            if j != i and w == 0:
                return v, 0
    raise AssertionError("unreachable: a row of two values has a pair worth 1")


# --------------------------------------------------------------------------
# Every pair, compared exactly
# --------------------------------------------------------------------------

# Powers up to this many bits are compared as Python integers, exactly as
# the tutorial's key=lambda p: p[0] ** p[1] did.  That was fine for its
# values below 100 (99^99 has 657 bits), but 2^64 - 1 to the power 2^64 - 1
# has about 2^70 bits, far more than any memory.
EXACT_BITS = 1 << 16


def _size(x, y):
    """0 for x^y = 0, 1 for x^y = 1, 2 for x^y > 1."""
    if y == 0 or x == 1:
        return 1
    return 0 if x == 0 else 2


def compare_powers(a, b, c, d):
    """-1, 0 or 1 as a^b is below, equal to or above c^d, exactly, for
    whole numbers below 2^64, without computing a huge power:

    1. 0, 1 and exponents 0 first; then a common base or exponent;
    2. b ln a against d ln c in double precision, trusted only when the two
       differ by far more than its rounding error (a few units in 2^-53);
    3. closer: with g = gcd(b, d), a^b against c^d is a^(b/g) against
       c^(d/g), as exact integers when those are small enough;
    4. otherwise the two are unequal (equal powers with coprime exponents
       p, q need a = t^q and c = t^p, so c or a would pass 2^64), and
       logarithms at rising decimal precision tell them apart."""
    sa, sc = _size(a, b), _size(c, d)
    if sa != sc or sa < 2:
        return (sa > sc) - (sa < sc)
    if a == c:
        return (b > d) - (b < d)
    if b == d:
        return (a > c) - (a < c)
    left, right = b * math.log(a), d * math.log(c)
    if abs(left - right) > 1e-12 * max(left, right):
        return 1 if left > right else -1
    g = math.gcd(b, d)
    p, q = b // g, d // g
    if p * a.bit_length() <= EXACT_BITS and q * c.bit_length() <= EXACT_BITS:
        left, right = a ** p, c ** q
        return (left > right) - (left < right)
    digits = 40
    while True:
        ctx = Context(prec=digits)
        # ln() is correctly rounded: each logarithm is within half a unit
        # in its last digit, and the products are exact (wide enough)
        wide = Context(prec=2 * digits + 40)
        left = wide.multiply(Decimal(a).ln(ctx), p)
        right = wide.multiply(Decimal(c).ln(ctx), q)
        bound = wide.multiply(wide.add(left, right), Decimal(10) ** (1 - digits))
        gap = wide.subtract(left, right)
        if abs(gap) > bound:
            return 1 if gap > 0 else -1
        digits *= 2


def all_pairs(values):
    """The power couple by the tutorial's method: every ordered pair of
    different positions in the order (0,1), (0,2), ..., (1,0), ..., kept
    only when strictly larger, so that the first of equal pairs wins."""
    best = None
    for i, x in enumerate(values):
        for j, y in enumerate(values):
            if i != j and (best is None or compare_powers(x, y, *best) > 0):
                best = (x, y)
    return best


METHODS = {"closed": closed_form, "exhaustive": all_pairs}


def add_common_arguments(parser):
    """FILE... and -m/--method, as pc-score takes them."""
    parser.add_argument("files", nargs="*", metavar="FILE",
                        help="CSV files read in order as one stream; none or - "
                        "reads standard input")
    parser.add_argument("-m", "--method", choices=sorted(METHODS), default="closed",
                        help="closed (the default): the closed form, one pass; "
                        "exhaustive: every ordered pair, compared exactly")


GRAMMAR_HELP = (
    "Input: pc-score's CSV rows name,n1,...,nk (k >= 2, values 0 to 2^64-1; quoted "
    "names, quoted or padded numbers, CRLF, BOM, blank lines), read until the "
    "first bad row, which is reported as pc-score reports it (exit 1); chunk "
    "framing lines (#pc:) are not understood.  Output: name,x,y per row, the "
    "bytes pc-score writes.")
