#!/usr/bin/env python3
"""pc_ctypes.py - the power couple of each CSV row, by the C library.

The tutorial's "C-function Implementation": Python calls libpowercouples
through ctypes (powercouples_clib.py says where the library is looked for:
PC_LIBPOWERCOUPLES, then ctypes.util.find_library).  --via=csv (the
default) hands each file whole to powercouples_csv(), which parses and
scores it exactly as pc-score does, messages included; each file is held
in memory.  --via=row reads the rows in Python (powercouples_common.py) and
calls powercouples_row() once per row: the cost of crossing into C for
every row shows against --via=csv.
"""

import argparse
import sys

import powercouples_clib as clib
import powercouples_common as pc


def read_all(path):
    """The bytes of a file ("-": standard input), or None after printing
    pc-score's message for a file that cannot be read."""
    try:
        if path == "-":
            return sys.stdin.buffer.read()
        with open(path, "rb") as f:
            return f.read()
    except IsADirectoryError as e:
        return "read error on '%s': %s" % (path, e.strerror)
    except OSError as e:
        return "cannot open '%s': %s" % (path, e.strerror)


def by_csv(paths, method, prog):
    """Each file through powercouples_csv(); return the exit status."""
    out = sys.stdout.buffer
    for path in paths or ["-"]:
        data = read_all(path)
        if isinstance(data, str):
            out.flush()
            sys.stderr.write("%s: %s\n" % (prog, data))
            return 2
        text, error = clib.csv(data, method)
        out.write(text)
        if error is not None:
            out.flush()
            sys.stderr.write("%s: %s:%s\n" % (prog, path, error))
            return 1
    return 0


def by_row(paths, method, prog):
    """Rows read in Python, each scored by powercouples_row()."""
    out = sys.stdout.buffer
    rows = pc.Rows(paths, prog)
    for name, values in rows:
        out.write(pc.output_line(name, *clib.row(values, method)))
    rows.finish()
    return 0


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0].split(" - ", 1)[1],
        epilog=pc.GRAMMAR_HELP.replace("Input:", "Input (--via=row):")
        + "  With --via=csv the library reads the whole grammar, as pc-score does.")
    pc.add_common_arguments(parser)
    parser.add_argument("--via", choices=("csv", "row"), default="csv",
                        help="csv (the default): powercouples_csv() on each whole file; "
                        "row: powercouples_row() on each row read in Python")
    args = parser.parse_args()
    pc.quiet_on_closed_pipe()
    method = clib.METHOD_CODES[args.method]
    score = by_csv if args.via == "csv" else by_row
    try:
        clib.load()
    except OSError as e:
        sys.stderr.write("%s: %s\n" % (parser.prog, e))
        sys.exit(2)
    status = score(args.files, method, parser.prog)
    sys.stdout.flush()
    sys.exit(status)


if __name__ == "__main__":
    main()
