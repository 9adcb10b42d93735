#!/usr/bin/env python3
"""gen-shapes.py - rows shaped to reach every branch of pc-score's fast
paths (the plain short row, the lane's 64-byte steps), written from the
row grammar alone: names of every length up to 40 bytes (bytes >= 0x80
too), numbers of 1 to 21 digits with and without leading zeros, values
at and around 2^64, rows of 1 to 20 numbers and of hundreds, CRLF rows,
blank lines, and now and then a bad field.  The oracle says what the
answers are; this only makes the input.

  gen-shapes.py SEED ROWS
  gen-shapes.py SEED ROWS short

The second form writes short rows, most of them plain (a name of up to
20 bytes and 2 to 6 numbers, most below 100, some of 3 to 18 digits or
with leading zeros), so that runs of them fill whole
64-byte windows, and among them a row in five that is not plain in one
way: a name holding '"', NUL or CR (or 0xFF, which is plain), an empty field, a delimiter
at the row's start or end, one number, a number of 19 or 20 digits or
with a sign, space or letter, a row longer than 64 bytes, a CRLF end, a
blank line.
"""
import random
import sys

seed, rows = int(sys.argv[1]), int(sys.argv[2])
rnd = random.Random(seed)
NAME_BYTES = b"ABCXYZabcxyz0123456789_-. #\xc3\xa9"
ODD = [b" 5", b'"7"', b"", b"-3", b"+4", b"1x", b"\t9", b"18446744073709551616",
       b"999999999999999999999", b'"x"']


def number():
    shape = rnd.randrange(10)
    if shape == 0:
        v = rnd.randrange(100)
    elif shape == 1:
        v = rnd.getrandbits(64) >> rnd.randrange(64)
    elif shape == 2:
        v = 2**64 - 1 - rnd.randrange(3)
    elif shape == 3:
        return b"0" * rnd.randrange(1, 4) + str(rnd.randrange(10**rnd.randrange(1, 8))).encode()
    elif shape == 4:   # exactly 8, 9, 16, 19 or 20 digits
        n = rnd.choice([8, 9, 16, 19, 20])
        v = rnd.randrange(10**(n - 1), min(10**n, 2**64))
    else:
        v = rnd.randrange(10**rnd.randrange(1, 6))
    return str(v).encode()


def short_row():
    name = bytes(rnd.choice(b"abcxyz019 ._-") for _ in range(rnd.randrange(21)))
    vals = [("0" * rnd.randrange(1, 3) + str(rnd.randrange(10)) if rnd.randrange(6) == 0 else
             str(rnd.choice([rnd.randrange(5), rnd.randrange(100), rnd.randrange(100),
                             rnd.randrange(10**rnd.randrange(3, 19))]))).encode()
            for _ in range(rnd.randrange(2, 7))]
    end = b"\n"
    if rnd.randrange(5) == 0:
        odd = rnd.randrange(13)
        if odd <= 3:   # '"', NUL or CR (not plain), or 0xFF (plain), in the name
            i = rnd.randrange(len(name) + 1)
            name = name[:i] + [b'"', b"\0", b"\r", b"\xff"][odd] + name[i:]
        elif odd == 4:
            vals[rnd.randrange(len(vals))] = b""
        elif odd == 5:
            vals.append(b"")                      # a delimiter before the LF
        elif odd == 6:
            name = b""                            # an empty name
        elif odd == 7:
            vals = vals[:1]
        elif odd == 8:
            n = rnd.choice([19, 20])
            vals[rnd.randrange(len(vals))] = str(rnd.randrange(10**(n - 1), 10**n)).encode()
        elif odd == 9:
            vals[rnd.randrange(len(vals))] = rnd.choice([b"+1", b" 2", b"3x", b"-4", b"0"])
        elif odd == 10:
            vals += [str(rnd.randrange(10**6)).encode() for _ in range(rnd.randrange(8, 20))]
        elif odd == 11:
            end = b"\r\n"
        else:
            return b"\n"
    return name + b"," + b",".join(vals) + end


if len(sys.argv) > 3 and sys.argv[3] == "short":
    sys.stdout.buffer.write(b"".join(short_row() for _ in range(rows)))
    sys.exit(0)

out = []
for r in range(rows):
    kind = rnd.randrange(20)
    if kind == 0:
        out.append(b"\r\n" if rnd.randrange(2) else b"\n")
        continue
    name = bytes(rnd.choice(NAME_BYTES) for _ in range(rnd.choice([0, 1, 7, 15, 16, 17, 31, 40, rnd.randrange(41)])))
    name = name.replace(b"\xc3", b"\xc3\xa9")
    k = rnd.randrange(300, 700) if kind == 1 else rnd.randrange(1, 21)
    vals = [number() for _ in range(k)]
    if rnd.randrange(12) == 0:
        vals[rnd.randrange(k)] = rnd.choice(ODD)
    end = b"\r\n" if rnd.randrange(8) == 0 else b"\n"
    out.append(name + b"," + b",".join(vals) + end)
sys.stdout.buffer.write(b"".join(out))
