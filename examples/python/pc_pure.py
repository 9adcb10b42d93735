#!/usr/bin/env python3
"""pc_pure.py - the power couple of each CSV row, in pure Python.

The tutorial's "Pure Python Implementation": one process, one thread.
--method=exhaustive tries every ordered pair of positions as the tutorial
did (max over itertools.permutations(row, 2), key x**y), but compares the
powers without computing them when they are huge: see compare_powers in
powercouples_common.py.  --method=closed (the default) uses the closed form
of powercouples(7): one pass over the row, no powers at all.
"""

import argparse
import sys

import powercouples_common as pc


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0].split(" - ", 1)[1],
        epilog=pc.GRAMMAR_HELP)
    pc.add_common_arguments(parser)
    args = parser.parse_args()
    pc.quiet_on_closed_pipe()
    couple = pc.METHODS[args.method]
    rows = pc.Rows(args.files, parser.prog)
    out = sys.stdout.buffer
    for name, values in rows:
        out.write(pc.output_line(name, *couple(values)))
    rows.finish()


if __name__ == "__main__":
    main()
