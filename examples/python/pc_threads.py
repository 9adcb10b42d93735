#!/usr/bin/env python3
"""pc_threads.py - the power couple of each CSV row, on N Python threads.

The tutorial's "Shared Memory: Implementation with Threading": the rows
are read into a list, and N threads (threading.Thread) score one
contiguous slice of it each, into a shared list of results that is then
written in order.  With --kernel=python the threads run pure Python and
CPython's global interpreter lock (GIL) lets only one of them run at a
time: N threads are no faster than one.  With --kernel=c each thread calls
powercouples_row() through ctypes, which releases the GIL during the call,
so the threads do run at once.  --timings shows both: it scores the input
with 1 and N threads and each kernel (a run shorter than a second is
repeated for a second and averaged), prints the seconds on standard error,
and checks that every run gives the same rows.
"""

import argparse
import os
import sys
import threading
import time

import powercouples_common as pc


def kernel(name, method):
    """The function (values -> (x, y)) of a kernel and method."""
    if name == "python":
        return pc.METHODS[method]
    import powercouples_clib as clib  # only the C kernel needs the library
    code = clib.METHOD_CODES[method]
    clib.load()
    return lambda values: clib.row(values, code)


def score(rows, couple, nthreads):
    """The output lines of rows, scored by nthreads threads."""
    lines = [None] * len(rows)

    def work(first, end):  # one thread: rows[first:end]
        for i in range(first, end):
            name, values = rows[i]
            lines[i] = pc.output_line(name, *couple(values))

    n = len(rows)
    threads = [threading.Thread(target=work, args=(t * n // nthreads, (t + 1) * n // nthreads))
               for t in range(nthreads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return lines


def timings(rows, method, nthreads, want, prog):
    """Score the rows with 1 and nthreads threads per kernel; print the
    seconds on standard error; fail if any run's rows differ from want."""
    for name in ("python", "c"):
        couple = kernel(name, method)
        seconds = {}
        for n in sorted({1, nthreads}):
            runs, start = 0, time.perf_counter()
            while True:  # a fast run is repeated for a second, and averaged
                got = score(rows, couple, n)
                runs += 1
                if got != want:
                    sys.exit("%s: the %s kernel on %d threads gave other rows" % (prog, name, n))
                elapsed = time.perf_counter() - start
                if elapsed >= 1.0:
                    break
            seconds[n] = elapsed / runs
        report = ", ".join("%d thread%s %.3f s" % (n, "s" * (n > 1), s)
                           for n, s in sorted(seconds.items()))
        sys.stderr.write("%s: %s kernel, %s method, %d rows: %s: speed-up %.2f\n"
                         % (prog, name, method, len(rows), report,
                            seconds[1] / max(seconds[nthreads], 1e-9)))


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0].split(" - ", 1)[1],
        epilog=pc.GRAMMAR_HELP + "  All the rows are held in memory.")
    pc.add_common_arguments(parser)
    parser.add_argument("-j", "--threads", type=int, default=os.cpu_count() or 1,
                        help="threads (default: the number of CPUs)")
    parser.add_argument("--kernel", choices=("python", "c"), default="python",
                        help="python (the default): pure Python, under the GIL; "
                        "c: powercouples_row() through ctypes, outside it")
    parser.add_argument("--timings", action="store_true",
                        help="also time both kernels on 1 and N threads (standard error)")
    args = parser.parse_args()
    if args.threads < 1:
        parser.error("-j needs a whole number of at least 1")
    pc.quiet_on_closed_pipe()
    rows = pc.Rows(args.files, parser.prog)
    table = list(rows)
    try:
        lines = score(table, kernel(args.kernel, args.method), args.threads)
        if args.timings:
            timings(table, args.method, args.threads, lines, parser.prog)
    except OSError as e:  # the C library cannot be loaded
        sys.stderr.write("%s: %s\n" % (parser.prog, e))
        sys.exit(2)
    sys.stdout.buffer.write(b"".join(lines))
    rows.finish()


if __name__ == "__main__":
    main()
