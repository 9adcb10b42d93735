#!/usr/bin/env python3
"""pc_mpi.py - the power couple of each CSV row, across MPI ranks (mpi4py).

The tutorial's "Distributed Memory" example, with mpi4py in place of
Parallel Python (pp), which is no longer maintained: run it as
`mpirun -n N python3 pc_mpi.py FILE...`.  Rank 0 reads all the rows, cuts
them into N contiguous slices and scatters one to each rank (itself
included); every rank scores its slice in pure Python; rank 0 gathers the
results, which come back in rank order, so in input order, and writes
them.  The ranks share no memory: the rows and results travel as pickled
messages, and only rank 0 touches files.  Run alone (no mpirun) it is one
rank.
"""

import argparse
import os
import sys

import powercouples_common as pc


def launched_rank():
    """This process's rank as the launcher's environment tells it (Open
    MPI, or PMI for MPICH and Slurm), before MPI is initialised; 0 alone."""
    for var in ("OMPI_COMM_WORLD_RANK", "PMI_RANK", "PMIX_RANK"):
        if os.environ.get(var, "").isdigit():
            return int(os.environ[var])
    return 0


def parse_arguments():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0].split(" - ", 1)[1],
        epilog=pc.GRAMMAR_HELP + "  Rank 0 holds all the rows in memory.")
    pc.add_common_arguments(parser)
    if launched_rank() != 0:
        # --help and usage errors are printed once, by rank 0, not N times
        sys.stdout = sys.stderr = open(os.devnull, "w")
    args = parser.parse_args()
    sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
    return parser.prog, args


def main():
    # the arguments first: --help needs no MPI
    prog, args = parse_arguments()
    from mpi4py import MPI

    comm = MPI.COMM_WORLD
    rank, size = comm.Get_rank(), comm.Get_size()
    rows = slices = None
    if rank == 0:
        pc.quiet_on_closed_pipe()
        rows = pc.Rows(args.files, prog)
        table = list(rows)  # up to the first bad row, if any
        n = len(table)
        slices = [table[r * n // size:(r + 1) * n // size] for r in range(size)]
    mine = comm.scatter(slices, root=0)
    couple = pc.METHODS[args.method]
    text = b"".join(pc.output_line(name, *couple(values)) for name, values in mine)
    results = comm.gather(text, root=0)
    if rank == 0:
        sys.stdout.buffer.write(b"".join(results))
        rows.finish()  # exit status 1 or 2 after the rows before a problem


if __name__ == "__main__":
    main()
