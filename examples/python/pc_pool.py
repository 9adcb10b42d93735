#!/usr/bin/env python3
"""pc_pool.py - the power couple of each CSV row, on a multiprocessing.Pool.

The tutorial's "Shared Memory: Implementation with Multiprocessing": the
main process reads the rows and hands them, in batches, to N worker
processes with Pool.imap, which gives the results back in input order
while the workers run; the main process writes them.  Each worker is a
Python interpreter of its own, with its own GIL, so pure-Python scoring
runs on N cores at once; what it pays for that is pickling every batch
and its results across a pipe.
"""

import argparse
import os
import sys
from multiprocessing import Pool

import powercouples_common as pc


def score_batch(job):
    """In a worker: the output lines of a batch of (name, values) rows."""
    method, batch = job
    couple = pc.METHODS[method]
    return b"".join(pc.output_line(name, *couple(values)) for name, values in batch)


def batches(rows, method, size):
    """The rows in lists of size, each with the method to score them by."""
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield method, batch
            batch = []
    if batch:
        yield method, batch


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0].split(" - ", 1)[1],
        epilog=pc.GRAMMAR_HELP)
    pc.add_common_arguments(parser)
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                        help="worker processes (default: the number of CPUs)")
    parser.add_argument("--batch", type=int, default=64,
                        help="rows handed to a worker at a time (default 64)")
    args = parser.parse_args()
    if args.jobs < 1 or args.batch < 1:
        parser.error("-j and --batch need a whole number of at least 1")
    pc.quiet_on_closed_pipe()
    rows = pc.Rows(args.files, parser.prog)
    out = sys.stdout.buffer
    with Pool(args.jobs) as pool:
        # imap reads the batches lazily and keeps their order; the reader
        # stops at the first bad row, so the rows before it are all written
        for text in pool.imap(score_batch, batches(rows, args.method, args.batch)):
            out.write(text)
    rows.finish()


if __name__ == "__main__":
    main()
