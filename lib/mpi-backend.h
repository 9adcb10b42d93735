/* mpi-backend.h - the MPI back end of the block loop (pipeline.h).
 *
 * Rank 0 runs pc_pipeline_run() with this back end: an independent block
 * goes to the worker rank with the fewest in flight (two at most each),
 * else to rank 0's own scoring thread.  Rank 0's main thread makes every
 * MPI call and polls while everyone is busy, because a large message
 * moves only while both ends are in MPI calls (unless shared memory can
 * copy it alone; TCP between nodes cannot).  MPI keeps the messages
 * between two ranks in order, so each rank's results come back in the
 * order its blocks went out.  Blocks and results travel in the format of
 * wire.h.  Only rank 0 touches files: no shared filesystem is needed.
 * Built only into pc-mpirun, with the MPI compiler flags.              */
#ifndef PC_MPI_BACKEND_H
#define PC_MPI_BACKEND_H

#include <stdbool.h>

#include "pipeline.h"

/* Rank 0: a back end over ranks 1..nranks-1 (and a thread of its own when
 * `threaded`, i.e. MPI gave at least MPI_THREAD_FUNNELED). */
pc_backend *pc_mpi_backend(const pc_score_opts *o, int nranks, bool threaded);
/* Ranks > 0: score what rank 0 sends until it says stop. */
void pc_mpi_work(const pc_score_opts *o);
/* Rank 0, when it stops before running the loop: let the others go. */
void pc_mpi_release(int nranks);

#endif
